//! Golden trees: every fixture contract under every built-in profile, reviewed as snapshots.
//! Combinations a profile refuses snapshot their diagnostics instead.

use zave::{Diagnostics, Profile, RenderInputs, TextStyle};
use zave_conformance::{PROFILES, tree_text};

/// A digest-pinned image from each profile's registry, as CI would pass it.
fn image(profile: &Profile, name: &str) -> String {
    format!(
        "{}/{name}@sha256:{}",
        profile.spec.registry.prefix,
        "4f".repeat(32)
    )
}

fn snapshot_trees(path: &std::path::Path) {
    let bytes = std::fs::read(path).expect("fixture is readable");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    // A fixture's flag set, when one lies beside it as `<stem>.flags.json`.
    let flags = std::fs::read(path.with_extension("flags.json"))
        .ok()
        .map(|bytes| zave::flags::parse(&bytes).expect("fixture flags are valid"));
    for profile_name in PROFILES {
        let profile = Profile::builtin(profile_name).expect("built-in profile");
        let contract_name = zave::validate(&bytes, zave::ValidateOptions::default())
            .map(|checked| checked.name)
            .unwrap_or_default();
        let image = image(profile, &contract_name);
        let inputs = RenderInputs {
            image: Some(&image),
            version: Some("sha-4f4f4f4"),
            bundle: Some("platform-2026.11"),
            flags: flags.as_ref(),
            strict: false,
        };
        let text = match zave::render(&bytes, profile, inputs) {
            Ok(rendered) => tree_text(&rendered, profile),
            Err(Diagnostics(findings)) => {
                let source = String::from_utf8_lossy(&bytes);
                format!(
                    "refused\n\n{}",
                    Diagnostics(findings).to_text(name, Some(&source), TextStyle::Plain)
                )
            }
        };
        insta::assert_snapshot!(*profile_name, text);
    }
}

#[test]
fn platform_contracts_under_every_profile() {
    insta::glob!("../fixtures/contracts", "platform/*.yaml", |path| {
        snapshot_trees(path)
    });
}

#[test]
fn valid_contracts_under_every_profile() {
    insta::glob!("../fixtures/contracts", "valid/*.yaml", |path| {
        snapshot_trees(path)
    });
}

#[test]
fn the_bootstrap_image_is_a_reported_mutation() {
    let bytes =
        std::fs::read(zave_conformance::fixture("contracts/platform/mia.yaml")).expect("fixture");
    let profile = Profile::builtin("kind").expect("kind");
    let rendered = zave::render(&bytes, profile, RenderInputs::default()).expect("renders");
    assert_eq!(
        rendered
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>(),
        ["W004"]
    );
    let deployment = rendered
        .files
        .iter()
        .find(|f| f.path.ends_with("deployment-mia.yaml"))
        .expect("deployment");
    assert!(
        deployment
            .content
            .contains("image: localhost:5001/mia:bootstrap\n")
    );
    assert!(
        deployment
            .content
            .contains("zave.io/mutations: W004:image\n")
    );
    let strict = zave::render(
        &bytes,
        profile,
        RenderInputs {
            strict: true,
            ..RenderInputs::default()
        },
    );
    assert!(
        strict.is_err(),
        "strict mode refuses a render that needed the bootstrap image"
    );
}

#[test]
fn policy_refusals_name_the_profile() {
    let bytes = std::fs::read(zave_conformance::fixture(
        "contracts/platform/ml-model-training.yaml",
    ))
    .expect("fixture");
    let linode = Profile::builtin("linode").expect("linode");
    let Err(Diagnostics(findings)) = zave::render(&bytes, linode, RenderInputs::default()) else {
        panic!("linode refuses tier large");
    };
    let refusal = findings
        .iter()
        .find(|f| f.code.as_str() == "Z303")
        .expect("Z303");
    assert_eq!(refusal.path, "spec.resources.tier");
    assert_eq!((refusal.line, refusal.column), (Some(18), Some(11)));
    assert_eq!(
        refusal.help.as_deref(),
        Some("profile \"linode\" allows: small, standard")
    );
}

#[test]
fn custom_profiles_render_the_platform_contracts() {
    insta::glob!("../fixtures/profiles", "valid/*.yaml", |path| {
        let profile =
            Profile::from_yaml(&std::fs::read(path).expect("readable")).expect("valid profile");
        for contract in ["mia", "oracle", "xavierlopez-me"] {
            let file = zave_conformance::fixture(&format!("contracts/platform/{contract}.yaml"));
            let bytes = std::fs::read(&file).expect("fixture");
            let text = match zave::render(&bytes, &profile, RenderInputs::default()) {
                Ok(rendered) => tree_text(&rendered, &profile),
                Err(diagnostics) => {
                    let source = String::from_utf8_lossy(&bytes);
                    format!(
                        "refused\n\n{}",
                        diagnostics.to_text(contract, Some(&source), TextStyle::Plain)
                    )
                }
            };
            insta::assert_snapshot!(contract, text);
        }
    });
}

#[test]
fn invalid_profiles_are_refused_with_positions() {
    insta::glob!("../fixtures/profiles", "invalid/*.yaml", |path| {
        let bytes = std::fs::read(path).expect("readable");
        let Err(diagnostics) = Profile::from_yaml(&bytes) else {
            panic!("{} must be refused", path.display());
        };
        let source = String::from_utf8_lossy(&bytes);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        insta::assert_snapshot!(diagnostics.to_text(name, Some(&source), TextStyle::Plain));
    });
}

#[test]
fn the_built_in_profiles_are_valid_and_printable() {
    for (name, source) in zave::profile::BUILTIN_PROFILES {
        let profile =
            Profile::from_yaml(source.as_bytes()).unwrap_or_else(|d| panic!("{name}: {d:#?}"));
        assert_eq!(profile.name(), *name);
        assert_eq!(Profile::builtin(name), Some(&profile));
    }
}
