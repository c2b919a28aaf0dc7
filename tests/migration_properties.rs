//! Properties of `zave contract migrate` on the test-only pair of versions, over random valid
//! contracts written with a comment on every line.

use proptest::prelude::*;
use zave::contract::migrate::{migrate, test_versions};
use zave_conformance::valid_contract;

/// A valid contract as YAML text in the older test version, every line commented.
fn commented_source(contract: &serde_json::Value) -> String {
    let mut contract = contract.clone();
    contract["apiVersion"] = test_versions::V1.into();
    let text = zave::yaml::to_yaml(&contract).expect("YAML");
    text.lines()
        .enumerate()
        .map(|(i, line)| format!("{line}  # note {i}\n"))
        .collect()
}

fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| line.rfind("  # note ").map(|at| &line[at..]))
        .collect()
}

proptest! {
    #[test]
    fn migrating_keeps_comments_and_lines_gives_a_valid_contract_and_is_idempotent(
        contract in valid_contract()
    ) {
        let source = commented_source(&contract);
        let once = migrate(source.as_bytes()).expect("migrates");
        prop_assert_eq!(&once.to, test_versions::V2);
        prop_assert!(once.findings.is_empty(), "{:?}\n{}", once.findings, once.text);
        prop_assert_eq!(comments(&once.text), comments(&source));
        prop_assert_eq!(once.text.lines().count(), source.lines().count());
        let twice = migrate(once.text.as_bytes()).expect("migrates");
        prop_assert!(!twice.changed());
        prop_assert_eq!(twice.text, once.text);
    }
}
