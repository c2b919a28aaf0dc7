//! The editor's offers agree with validation: a word offered as reserved or refused is refused
//! with its code when written, and a word offered as allowed is never refused for itself.

use proptest::prelude::*;
use serde_json::{Value as Json, json};
use zave::contract::offers::{Standing, offers};
use zave::{Code, Profile, ValidateOptions};
use zave_conformance::{PROFILES, valid_contract};

/// `contract` with the field at `path` set to `word` (a list field gets one entry).
fn with_word(mut contract: Json, path: &str, word: &str) -> Json {
    let spec = &mut contract["spec"];
    match path {
        "spec.capabilities[].name" => spec["capabilities"] = json!([{ "name": word }]),
        "spec.persistence.engine" => spec["persistence"] = json!({ "engine": word }),
        "spec.resources.tier" => spec["resources"] = json!({ "tier": word }),
        "spec.build.mode" => spec["build"] = json!({ "mode": word }),
        _ => spec[path.trim_start_matches("spec.")] = json!(word),
    }
    contract
}

const REFUSING: &[Code] = &[
    Code::Reserved,
    Code::StructuralCapability,
    Code::ExposureNotAllowed,
    Code::EngineNotAllowed,
    Code::TierNotAllowed,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn each_word_stands_as_validation_decides(contract in valid_contract(), profile in prop::sample::select(PROFILES)) {
        let profile = Profile::named(profile).expect("built-in");
        let options = ValidateOptions { strict: false, profile: Some(profile) };
        for field in offers(Some(profile)).iter().filter(|f| f.path.starts_with("spec.")) {
            for offer in &field.values {
                let text = with_word(contract.clone(), &field.path, &offer.value).to_string();
                let findings = match zave::validate(text.as_bytes(), options) {
                    Ok(checked) => checked.findings,
                    Err(diagnostics) => diagnostics.0,
                };
                let place = field.path.replace("[]", "[0]");
                let refusals: Vec<Code> = findings
                    .iter()
                    .filter(|d| d.path == place && REFUSING.contains(&d.code))
                    .map(|d| d.code)
                    .collect();
                let earlier_error = findings
                    .iter()
                    .any(|d| d.is_error() && !REFUSING.contains(&d.code) && d.code.stage() != "policy");
                match offer.standing {
                    Standing::Allowed => prop_assert!(refusals.is_empty(), "{} {}: {refusals:?}", field.path, offer.value),
                    // Stage 3 runs only when stages 1 and 2 passed.
                    Standing::Refused if earlier_error => {}
                    _ => prop_assert!(offer.code.is_some_and(|code| refusals.contains(&code)),
                        "{} {} {:?}: {findings:?}", field.path, offer.value, offer.code),
                }
            }
        }
    }
}
