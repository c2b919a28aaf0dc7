//! The schemas committed under `schemas/` are exactly what zave enforces today.

fn assert_current(file: &str, kind: &str, current: &serde_json::Value) {
    let path = zave_conformance::repo_root().join("schemas").join(file);
    let committed =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("schemas/{file}: {e}"));
    assert!(
        committed == zave::schema::to_pretty_json(current),
        "schemas/{file} is stale; regenerate it with\n  cargo run -p zave-cli -- schema {kind} > schemas/{file}"
    );
}

#[test]
fn committed_contract_schema_is_current() {
    assert_current("contract.schema.json", "contract", zave::contract_schema());
}

#[test]
fn committed_profile_schema_is_current() {
    assert_current(
        "profile.schema.json",
        "profile",
        zave::profile::profile_schema(),
    );
}
