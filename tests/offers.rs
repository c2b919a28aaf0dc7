//! The editor's help agrees with validation: a word offered as reserved or refused is refused
//! with its code when written, a word offered as allowed is never refused for itself, and a
//! suggested fix written over its finding's node clears that finding.

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

/// `word` with one slip: the character at `at` (modulo its length) dropped or doubled.
fn slip(word: &str, at: usize, doubled: bool) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = at % chars.len();
    if doubled {
        chars.insert(at, chars[at]);
    } else {
        chars.remove(at);
    }
    chars.into_iter().collect()
}

/// The byte offset of a 1-based line and column (columns count characters).
fn offset(text: &str, line: u32, column: u32) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line as usize - 1)
        .map(str::len)
        .sum();
    text[start..]
        .char_indices()
        .nth(column as usize - 1)
        .map_or(text.len(), |(i, _)| start + i)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_suggested_fix_written_over_its_node_clears_its_finding(
        contract in valid_contract(),
        target in prop::sample::select(&["exposure", "runtime", "name"][..]),
        in_key in prop::bool::ANY,
        at in 0usize..16,
        doubled in prop::bool::ANY,
    ) {
        let mut contract = contract;
        let owner = if target == "name" { "metadata" } else { "spec" };
        let map = contract[owner].as_object_mut().expect("a mapping");
        let value = map.remove(target).expect("the field");
        if in_key {
            map.insert(slip(target, at, doubled), value);
        } else {
            let word = value.as_str().expect("a word");
            map.insert(target.to_owned(), json!(slip(word, at, doubled)));
        }
        let text = serde_yaml::to_string(&contract).expect("yaml");
        let Err(diagnostics) = zave::validate(text.as_bytes(), ValidateOptions::default()) else {
            return Ok(()); // the slip made another valid word
        };
        for finding in diagnostics.0.iter().filter(|d| d.suggestion().is_some()) {
            let (Some(line), Some(column), Some(end_line), Some(end_column)) =
                (finding.line, finding.column, finding.end_line, finding.end_column) else {
                prop_assert!(false, "a fix without a node: {finding:?}");
                continue;
            };
            let mut fixed = text.clone();
            fixed.replace_range(
                offset(&text, line, column)..offset(&text, end_line, end_column),
                finding.suggestion().unwrap_or_default(),
            );
            let after = match zave::validate(fixed.as_bytes(), ValidateOptions::default()) {
                Ok(checked) => checked.findings,
                Err(diagnostics) => diagnostics.0,
            };
            prop_assert!(
                !after.iter().any(|d| d.code == finding.code && d.path == finding.path),
                "{finding:?}\n{text}\n{fixed}"
            );
        }
    }
}
