//! `zave contract migrate` on the core's test-only pair of versions: comments and order kept,
//! the result valid, a second run changing nothing.

mod common;

use common::{text, zave};

const BEFORE: &str = "\
# the ledger: calls payments
apiVersion: migration-test.zave.io/v1
kind: Workload
metadata:
  name: ledger        # the tenant
spec:
  exposure: grpc      # exposure before runtime, as written
  runtime: container
  resources: {tier: large}
  dependencies:
    # who it calls
    - workload: payments-api
";

fn contract(source: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("zave.yaml");
    std::fs::write(&path, source).expect("written");
    (dir, path)
}

#[test]
fn write_rewrites_the_file_and_a_second_run_changes_nothing() {
    let (_dir, path) = contract(BEFORE);
    let file = path.to_string_lossy().into_owned();
    let first = zave(&["contract", "migrate", &file, "--write"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let migrated = std::fs::read_to_string(&path).expect("readable");
    insta::assert_snapshot!(migrated);
    let second = zave(&["contract", "migrate", &file, "--write"]);
    assert_eq!(second.status.code(), Some(0));
    assert!(text(&second.stderr).contains("nothing to do"));
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), migrated);
}

#[test]
fn without_write_the_result_goes_to_standard_output_and_the_file_stays() {
    let (_dir, path) = contract(BEFORE);
    let output = zave(&["contract", "migrate", &path.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stdout).contains("apiVersion: migration-test.zave.io/v2\n"));
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), BEFORE);
}

#[test]
fn a_result_the_new_version_refuses_is_not_written() {
    let invalid = BEFORE.replace("runtime: container", "runtime: container\n  replicas: 3");
    let (_dir, path) = contract(&invalid);
    let output = zave(&["contract", "migrate", &path.to_string_lossy(), "--write"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("error[Z1"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), invalid);
}

#[test]
fn a_current_contract_is_left_alone_and_an_unknown_version_refused() {
    let current = common::fixture("valid/grpc-redis.yaml");
    let before = std::fs::read_to_string(&current).expect("readable");
    let output = zave(&["contract", "migrate", &current]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), before);
    let unknown = zave(&[
        "contract",
        "migrate",
        &common::fixture("invalid/api-version-v2.yaml"),
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown.stderr).contains(":1:13:"),
        "{}",
        text(&unknown.stderr)
    );
    let stdin = zave(&["contract", "migrate", "-", "--write"]);
    assert_eq!(stdin.status.code(), Some(2));
}
