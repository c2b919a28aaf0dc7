//! The migration mechanism on the test-only pair: text kept, result valid, a second run idle.

use super::test_versions::{self, V1, V2};
use super::*;
use crate::schema::diff::{any_breaking, classify};

const BEFORE: &str = "\
# yaml-language-server: $schema=./schema.json
apiVersion: migration-test.zave.io/v1   # the version
kind: Workload
metadata: {name: ledger}
spec:
  runtime: container
  delivery: \"rolling\"          # quoted by the tenant
  exposure: grpc
  resources:
    # the tier comes first
    tier: small
  dependencies:
    - workload: payments-api   # calls it
    - {workload: fraud-check}
";

const AFTER: &str = "\
# yaml-language-server: $schema=./schema.json
apiVersion: migration-test.zave.io/v2   # the version
kind: Workload
metadata: {name: ledger}
spec:
  runtime: container
  delivery: \"rolling-update\"          # quoted by the tenant
  exposure: grpc
  resources:
    # the tier comes first
    size: small
  dependencies:
    - service: payments-api   # calls it
    - {service: fraud-check}
";

#[test]
fn a_migration_rewrites_only_what_its_rules_name() {
    let migrated = migrate(BEFORE.as_bytes()).expect("migrates");
    assert_eq!(migrated.text, AFTER);
    assert_eq!((migrated.from.as_str(), migrated.to.as_str()), (V1, V2));
    assert!(migrated.changed());
}

#[test]
fn quoted_keys_and_values_keep_their_quotes() {
    let source = "apiVersion: 'migration-test.zave.io/v1'\nkind: Workload\nmetadata: {name: a}\nspec: {runtime: container, exposure: none, resources: {\"tier\": small}}\n";
    let migrated = migrate(source.as_bytes()).expect("migrates");
    assert_eq!(
        migrated.text,
        "apiVersion: 'migration-test.zave.io/v2'\nkind: Workload\nmetadata: {name: a}\nspec: {runtime: container, exposure: none, resources: {\"size\": small}}\n"
    );
    assert_eq!(migrated.findings, Vec::new());
}

#[test]
fn the_result_is_valid_under_the_new_version_and_was_not_before() {
    let migrated = migrate(BEFORE.as_bytes()).expect("migrates");
    assert_eq!(migrated.findings, Vec::new());
    let before = document::load(BEFORE.as_bytes()).expect("loads");
    let v2 = schema_of(V2).expect("known");
    assert!(!schema::check(v2, &before, &NoHints).findings.is_empty());
}

#[test]
fn migrating_twice_changes_nothing() {
    let once = migrate(BEFORE.as_bytes()).expect("migrates");
    let twice = migrate(once.text.as_bytes()).expect("migrates");
    assert_eq!(twice.text, once.text);
    assert!(!twice.changed());
    assert_eq!(twice.findings, Vec::new());
}

#[test]
fn a_contract_of_the_current_version_is_left_as_it_is() {
    let source = "apiVersion: zave.io/v1  # newest\nkind: Workload\nmetadata: {name: a}\nspec: {runtime: container, exposure: none}\n";
    let migrated = migrate(source.as_bytes()).expect("migrates");
    assert_eq!(migrated.text, source);
    assert!(!migrated.changed());
    assert_eq!(migrated.findings, Vec::new());
}

#[test]
fn what_cannot_be_migrated_is_refused_with_its_position() {
    let unknown = migrate(b"kind: Workload\napiVersion: zave.io/v9\n");
    assert!(matches!(
        &unknown,
        Err(MigrateError::UnknownVersion { version, .. }) if version == "zave.io/v9"
    ));
    assert_eq!(
        unknown.err().and_then(|e| e.position()),
        Some(Position {
            line: 2,
            column: 13
        })
    );
    assert!(matches!(
        migrate(b"kind: Workload\n"),
        Err(MigrateError::NoApiVersion { .. })
    ));
    assert!(matches!(
        migrate(b"apiVersion: [zave.io/v1]\n"),
        Err(MigrateError::NoApiVersion { .. })
    ));
    assert!(matches!(migrate(b"a: b: c\n"), Err(MigrateError::Load(_))));
    let taken = format!("{V1}\nspec:\n  resources: {{tier: small, size: large}}\n");
    assert!(matches!(
        migrate(format!("apiVersion: {taken}").as_bytes()),
        Err(MigrateError::KeyTaken { key, .. }) if key == "size"
    ));
}

#[test]
fn the_gate_lets_a_breaking_change_through_only_with_a_new_version_and_its_migration() {
    let (v1, v2) = test_versions::schemas();
    assert!(any_breaking(&classify(&v1, &v2)));
    assert_eq!(gate(&v1, &v2), Vec::new());
    // The same breaking changes under the old version's name are refused.
    let mut same_version = v2.clone();
    same_version["$defs"]["ApiVersion"]["oneOf"][0]["const"] = V1.into();
    let refused = gate(&v1, &same_version);
    let places: Vec<&str> = refused.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        places,
        [
            "spec.delivery",
            "spec.dependencies[].workload",
            "spec.resources.tier"
        ]
    );
    // A new version that no migration reaches is refused too.
    let mut unreachable = v2;
    unreachable["$defs"]["ApiVersion"]["oneOf"][0]["const"] = "migration-test.zave.io/v3".into();
    assert!(
        gate(&v1, &unreachable)
            .iter()
            .any(|c| c.path == "apiVersion")
    );
}

#[test]
fn every_registered_rule_names_a_valid_place() {
    let empty = document::load(b"{}").expect("loads");
    for migration in registry() {
        for rule in migration.rules {
            assert!(rule.edits(&empty, "{}").is_ok(), "{rule:?}");
        }
        assert!(schema_of(migration.to).is_some(), "{migration:?}");
    }
}
