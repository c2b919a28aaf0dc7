//! Properties of every scaffolded repository: its contract is valid without a warning, its
//! compose file gives the app exactly the environment keys the render gives the container
//! (through the real render, under every built-in profile), and it conforms as generated.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value as Json;
use zave::scaffold::{
    self, InitAnswers, OnDisk, PinOverride, Question, ScaffoldFile, ScaffoldSettings,
};
use zave::{CheckedContract, FileKind, Profile, RenderInputs, ValidateOptions};
use zave_conformance::{PROFILES, engine_takes, valid_contract};

fn settings() -> ScaffoldSettings {
    let profile = Profile::builtin("kind").expect("built-in");
    ScaffoldSettings::from_profile(profile, PinOverride::default()).expect("settings")
}

/// The app's environment keys in the compose file.
fn compose_keys(files: &[ScaffoldFile]) -> BTreeSet<String> {
    let compose = files
        .iter()
        .find(|f| f.path == "docker-compose.yml")
        .expect("a compose file");
    let document: Json = serde_yaml::from_str(&compose.content).expect("compose is YAML");
    document["services"]["app"]["environment"]
        .as_object()
        .map(|env| env.keys().cloned().collect())
        .unwrap_or_default()
}

/// The rendered container's environment keys, and whether the profile injected a capability
/// (W003); `None` when the profile's policy refuses the contract (such as tier `large` on
/// linode).
fn rendered_keys(source: &str, profile: &str) -> Option<(BTreeSet<String>, bool)> {
    let profile = Profile::builtin(profile).expect("built-in");
    let rendered = zave::render(source.as_bytes(), profile, RenderInputs::default()).ok()?;
    let deployment: Json = rendered
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Object)
        .map(|f| serde_yaml::from_str::<Json>(&f.content).expect("YAML"))
        .find(|o| o["kind"] == "Deployment")
        .expect("a Deployment");
    let keys = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str().map(str::to_owned))
        .collect();
    let injected = rendered.findings.iter().any(|f| f.code.as_str() == "W003");
    Some((keys, injected))
}

/// The keys a capability adds, for the ones a profile may inject.
const CAPABILITY_KEYS: &[&str] = &[
    "METRICS_PORT",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
];

fn assert_same_environment(source: &str, checked: &CheckedContract) {
    let files = scaffold::files(checked, &settings()).expect("no collision");
    let compose = compose_keys(&files);
    assert!(
        rendered_keys(source, "kind").is_some(),
        "kind allows everything"
    );
    for profile in PROFILES {
        let Some((rendered, injected)) = rendered_keys(source, profile) else {
            continue;
        };
        if injected {
            // The profile added a capability (W003, reported): its keys come on top.
            prop_assert_subset(&compose, &rendered, profile);
            for extra in rendered.difference(&compose) {
                assert!(
                    CAPABILITY_KEYS.contains(&extra.as_str()),
                    "profile {profile}: {extra}"
                );
            }
        } else {
            assert_eq!(rendered, compose, "profile {profile}");
        }
    }
}

fn prop_assert_subset(small: &BTreeSet<String>, large: &BTreeSet<String>, profile: &str) {
    assert!(
        small.is_subset(large),
        "profile {profile}: {small:?} within {large:?}"
    );
}

/// Answers `zave init` accepts and zave.io/v1 allows together.
fn answers() -> impl Strategy<Value = InitAnswers> {
    let name = "[a-z]([a-z0-9-]{0,38}[a-z0-9])?";
    let pick = |question: Question| prop::sample::select(question.options());
    (
        name,
        prop::bool::ANY,
        pick(Question::Exposure),
        pick(Question::Persistence),
        prop::sample::subsequence(Question::Capability.options(), 0..=2),
        pick(Question::Tier),
        prop::sample::select(vec!["internal-http", "public-http"]),
    )
        .prop_map(
            |(name, is_static, exposure, engine, capabilities, tier, site)| {
                // A name the engine cannot take is Z207: no engine then.
                let engine = if engine_takes(&name, engine) {
                    engine
                } else {
                    "none"
                };
                let mut answers = InitAnswers::new(name);
                let mut answer =
                    |question, value| answers.answer(question, value).expect("offered");
                answer(Question::Tier, tier);
                if is_static {
                    answer(Question::Runtime, "static");
                    answer(Question::Exposure, site);
                } else {
                    answer(Question::Exposure, exposure);
                    answer(Question::Persistence, engine);
                    for capability in capabilities {
                        answer(Question::Capability, capability);
                    }
                }
                answers
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn init_writes_a_contract_valid_without_a_warning(answers in answers()) {
        let source = answers.contract_source();
        let strict = ValidateOptions { strict: true, profile: None };
        let checked = zave::validate(source.as_bytes(), strict);
        prop_assert!(checked.is_ok(), "{source}");
        let checked = checked.expect("valid");
        prop_assert_eq!(InitAnswers::from_contract(&checked), answers);
    }

    #[test]
    fn compose_gives_the_app_the_keys_the_render_gives_the_container(answers in answers()) {
        let source = answers.contract_source();
        let checked = zave::validate(source.as_bytes(), ValidateOptions::default()).expect("valid");
        assert_same_environment(&source, &checked);
    }

    #[test]
    fn any_valid_contract_scaffolds_the_same_keys_and_conforms(contract in valid_contract()) {
        let source = serde_json::to_string(&contract).expect("JSON");
        let checked = zave::validate(source.as_bytes(), ValidateOptions::default()).expect("valid");
        assert_same_environment(&source, &checked);
        let files = scaffold::files(&checked, &settings()).expect("no collision");
        prop_assert_eq!(&files[0].path, &checked.dockerfile_path);
        // Written anew (init --force), the contract says the same.
        let answers = InitAnswers::from_contract(&checked);
        let again = answers.contract_source();
        let rechecked = zave::validate(again.as_bytes(), ValidateOptions::default());
        prop_assert!(rechecked.is_ok(), "{again}");
        prop_assert_eq!(InitAnswers::from_contract(&rechecked.expect("valid")), answers);
        let read = |path: &str| match files.iter().find(|f| f.path == path) {
            Some(file) => OnDisk::File(file.content.clone().into_bytes()),
            None => OnDisk::Missing,
        };
        let findings = scaffold::check_repository(&files, &read, &["build.yaml".to_owned()]);
        prop_assert!(findings.is_empty(), "{findings:?}");
    }
}
