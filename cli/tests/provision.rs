//! `zave provision-script`: the script for review, its files for a runner, and its refusals.

mod common;

use common::{fixture, text, zave};

#[test]
fn prints_the_runner_and_the_sql_the_job_runs() {
    let contract = fixture("platform/payments-api.yaml");
    let output = zave(&["provision-script", &contract, "--profile", "aws"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let script = text(&output.stdout);
    assert!(script.starts_with("# ==> run.sh\n#!/bin/sh\n"));
    assert!(script.contains("\n# ==> provision.sql\n"));
    assert!(script.contains("CREATE DATABASE %I', 'db_payments_api'"));
    // aws has a pooler for tenants; provisioning talks to the server itself.
    assert!(script.contains("--host='zave-prod.cluster-c1x2y3z4.eu-west-1.rds.amazonaws.com'"));
    assert!(!script.contains("pgbouncer"));
    assert!(script.contains("CONNECTION LIMIT 25 PASSWORD :'app_password'"));
    let again = zave(&["provision-script", &contract, "--profile", "aws"]);
    assert_eq!(
        again.stdout, output.stdout,
        "the same inputs give the same script"
    );
}

/// `zave provision-script` of the Redis fixture `ledger` under `linode`, into `out`.
fn provision_ledger_into(out: &std::path::Path) -> std::process::Output {
    zave(&[
        "provision-script",
        &fixture("valid/grpc-redis.yaml"),
        "--profile",
        "linode",
        "--out",
        &out.to_string_lossy(),
    ])
}

#[test]
fn writes_the_files_a_runner_executes() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("ledger");
    let output = provision_ledger_into(&out);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let runner = std::fs::read_to_string(out.join("run.sh")).expect("run.sh written");
    assert!(runner.contains("ACL SETUSER 'ledger' reset on \"#$hash\""));
    assert!(!out.join("provision.sql").exists(), "Redis needs no SQL");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("run.sh"))
            .expect("run.sh")
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "run.sh is executable: {mode:o}");
    }
}

#[cfg(unix)]
#[test]
fn never_writes_through_a_symbolic_link() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = dir.path().join("ledger");
    std::fs::create_dir(&out).expect("output folder");
    let elsewhere = dir.path().join("elsewhere.sh");
    std::fs::write(&elsewhere, "untouched\n").expect("a file outside");
    std::os::unix::fs::symlink(&elsewhere, out.join("run.sh")).expect("symbolic link");
    let output = provision_ledger_into(&out);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("symbolic link"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&elsewhere).expect("still there"),
        "untouched\n"
    );
}

#[test]
fn a_contract_without_a_database_has_nothing_to_provision() {
    let output = zave(&[
        "provision-script",
        &fixture("valid/engine-none.yaml"),
        "--profile",
        "kind",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("declares no database"));
}

#[test]
fn a_name_the_engine_cannot_take_is_refused_with_its_code() {
    let output = zave(&[
        "provision-script",
        &fixture("invalid/name-unmappable-postgres.yaml"),
        "--profile",
        "kind",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("error[Z207]: metadata.name"));
    assert!(output.stdout.is_empty());
}
