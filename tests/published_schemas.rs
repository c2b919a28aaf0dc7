//! The schemas committed under `schemas/` are exactly what zave enforces today.

#[test]
fn committed_contract_schema_is_current() {
    let path = zave_conformance::repo_root().join("schemas/contract.schema.json");
    let committed = std::fs::read_to_string(&path).expect("schemas/contract.schema.json exists");
    let current = zave::schema::to_pretty_json(zave::contract_schema());
    assert!(
        committed == current,
        "schemas/contract.schema.json is stale; regenerate it with\n  cargo run -p zave-cli -- schema contract > schemas/contract.schema.json"
    );
}
