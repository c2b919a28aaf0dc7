//! The binding parity cases in `fixtures/parity/cases.json` cover every fixture contract under
//! every profile. The Python and WebAssembly suites read that file and compare each binding's
//! output with the CLI's for the same case; this test keeps the file complete and current.

use serde_json::{Value as Json, json};
use zave_conformance::{PROFILES, fixtures_in, repo_root};

const CASES: &str = "fixtures/parity/cases.json";
const VERSION: &str = "sha-4f4f4f4";
const BUNDLE: &str = "platform-2026.11";

/// A repository-relative path with `/` separators, as every language reads it.
fn relative(path: &std::path::Path) -> String {
    let root = repo_root().canonicalize().expect("repository root");
    let path = path.canonicalize().expect("fixture path");
    let relative = path
        .strip_prefix(&root)
        .expect("fixture inside the repository");
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `group/stem` of a fixture, such as `platform/mia`.
fn fixture_id(path: &std::path::Path) -> String {
    let group = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{group}/{stem}")
}

/// A digest-pinned image from the profile's registry, as CI would pass it.
fn image(registry: &str, contract: &[u8]) -> String {
    let name = zave::validate(contract, zave::ValidateOptions::default())
        .map(|checked| checked.name)
        .unwrap_or_else(|_| "unnamed".to_owned());
    format!("{registry}/{name}@sha256:{}", "4f".repeat(32))
}

fn expected_cases() -> Json {
    let mut profiles: Vec<(String, Json, zave::Profile)> = PROFILES
        .iter()
        .map(|name| {
            let profile = zave::Profile::builtin(name).expect("built-in").clone();
            (name.to_string(), json!({ "profile": name }), profile)
        })
        .collect();
    for file in fixtures_in("profiles/valid") {
        let source = std::fs::read(&file).expect("profile fixture");
        let profile = zave::Profile::from_yaml(&source).expect("valid profile fixture");
        let stem = file.file_stem().expect("file name").to_string_lossy();
        profiles.push((
            stem.into_owned(),
            json!({ "profileFile": relative(&file) }),
            profile,
        ));
    }

    let mut renders = Vec::new();
    let mut validations = Vec::new();
    let renderable = [
        fixtures_in("contracts/platform"),
        fixtures_in("contracts/valid"),
    ]
    .concat();
    for contract in &renderable {
        let source = std::fs::read(contract).expect("contract fixture");
        let id = fixture_id(contract);
        let path = relative(contract);
        for (profile_id, selector, profile) in &profiles {
            let mut case = json!({
                "id": format!("{id}@{profile_id}"),
                "contract": path,
                "image": image(&profile.spec.registry.prefix, &source),
                "version": VERSION,
                "bundle": BUNDLE,
            });
            merge(&mut case, selector);
            renders.push(case);
        }
        // Without an image (the bootstrap image, W004), and the same in strict mode.
        for strict in [false, true] {
            let suffix = if strict {
                "bootstrap+strict"
            } else {
                "bootstrap"
            };
            renders.push(json!({
                "id": format!("{id}@kind+{suffix}"),
                "contract": path,
                "profile": "kind",
                "strict": strict,
            }));
        }
        for profile in PROFILES {
            validations.push(json!({
                "id": format!("{id}@{profile}+strict"),
                "contract": path,
                "profile": profile,
                "strict": true,
            }));
        }
    }
    for contract in fixtures_in("contracts/invalid") {
        validations.push(json!({ "id": fixture_id(&contract), "contract": relative(&contract) }));
    }
    json!({ "render": renders, "validate": validations })
}

fn merge(case: &mut Json, extra: &Json) {
    if let (Some(case), Some(extra)) = (case.as_object_mut(), extra.as_object()) {
        case.extend(extra.clone());
    }
}

#[test]
fn committed_cases_cover_every_fixture_under_every_profile() {
    let expected = serde_json::to_string_pretty(&expected_cases()).expect("JSON") + "\n";
    let path = repo_root().join(CASES);
    if std::env::var_os("ZAVE_UPDATE_PARITY_CASES").is_some() {
        std::fs::write(&path, &expected).expect("write the cases");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{CASES} is stale; regenerate it with\n  ZAVE_UPDATE_PARITY_CASES=1 cargo test -p zave-conformance --test parity_cases"
    );
}
