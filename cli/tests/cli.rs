//! The `zave` binary as CI runs it: exit codes, output formats, standard input.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use common::{fixture, zave};

fn zave_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zave"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zave starts");
    // zave stops reading past its size bound, so a closed pipe is an expected outcome.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("zave finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn valid_contracts_exit_zero_and_say_so() {
    let output = zave(&[
        "validate",
        &fixture("platform/mia.yaml"),
        &fixture("platform/payments-api.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "2 contracts checked: 2 valid, 0 invalid, 0 warnings\n"
    );
}

#[test]
fn one_invalid_contract_among_valid_ones_exits_one() {
    let output = zave(&[
        "validate",
        &fixture("platform/mia.yaml"),
        &fixture("platform/oracle-reserved-runtime.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("error[Z201]: spec.runtime: value \"python\" is reserved"),
        "{text}"
    );
    assert!(text.contains("oracle-reserved-runtime.yaml:6:12"), "{text}");
    assert!(
        text.contains(" 6 |   runtime: python\n   |            ^^^^^^\n"),
        "{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn warnings_pass_unless_strict() {
    let file = fixture("platform/example-tenant.yaml");
    let lenient = zave(&["validate", &file]);
    assert_eq!(lenient.status.code(), Some(0));
    assert!(stdout(&lenient).contains("warning[W001]"));
    let strict = zave(&["validate", "--strict", &file]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains("error[W001]"));
}

#[test]
fn missing_file_and_bad_usage_exit_two() {
    let missing = zave(&["validate", "/nonexistent/zave.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot open /nonexistent/zave.yaml")
    );
    assert_eq!(zave(&["validate"]).status.code(), Some(2));
    assert_eq!(
        zave(&["validate", "--format", "xml", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(zave(&["frobnicate"]).status.code(), Some(2));
    let directory = zave(&["validate", env!("CARGO_MANIFEST_DIR")]);
    assert_eq!(directory.status.code(), Some(2));
}

#[test]
fn json_format_carries_every_field() {
    let output = zave(&[
        "validate",
        "--format",
        "json",
        &fixture("invalid/unknown-values.yaml"),
        &fixture("platform/mia.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["valid"], false);
    let first = &files[0]["diagnostics"][0];
    assert_eq!(first["code"], "Z113");
    assert_eq!(first["path"], "spec.runtime");
    assert_eq!(first["line"], 6);
    assert_eq!(first["column"], 12);
    assert_eq!(first["help"], "did you mean \"container\"?");
    assert_eq!(files[1]["valid"], true);
    assert!(
        files[1]["contract_hash"]
            .as_str()
            .is_some_and(|h| h.starts_with("sha256:") && h.len() == 71)
    );
}

#[test]
fn github_format_is_one_escaped_annotation_per_finding() {
    let output = zave(&[
        "validate",
        "--format",
        "github",
        &fixture("invalid/many-errors.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    // Every stage's findings at once: Z114, Z201, Z203, Z112.
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines.iter().all(|l| l.starts_with("::error file=")),
        "{text}"
    );
    assert!(
        lines[1].contains(",line=8,col=13,endLine=8,endColumn=19,title=Z201::spec.delivery: value"),
        "{text}"
    );
    assert!(
        lines[1].contains("%0Ahelp: zave.io/v1 implements: rolling"),
        "{text}"
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let contract = std::fs::read(fixture("platform/panchito.yaml")).expect("fixture");
    let output = zave_with_stdin(&["validate", "-"], &contract);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("1 valid"));
    let broken = zave_with_stdin(&["validate", "-"], b"kind: [");
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).contains("--> <stdin>:1:8\n"));
}

#[test]
fn huge_input_is_refused_without_reading_it_all() {
    let mut big = b"a: ".to_vec();
    big.resize(3 * 1024 * 1024, b'x');
    let output = zave_with_stdin(&["validate", "-"], &big);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("error[Z101]"));
}

#[test]
fn hash_ignores_formatting() {
    let block = zave(&["hash", &fixture("platform/payments-api.yaml")]);
    let reformatted = b"{spec: {resources: {tier: standard}, capabilities: [{name: metrics}, {name: tracing}],\n persistence: {engine: postgres}, build: {mode: dockerfile}, delivery: rolling,\n exposure: public-http, runtime: container}, metadata: {name: payments-api},\n kind: Workload, apiVersion: 'zave.io/v1'}  # same data\n";
    let flow = zave_with_stdin(&["hash", "-"], reformatted);
    assert_eq!(block.status.code(), Some(0));
    assert_eq!(stdout(&block), stdout(&flow));
    assert!(stdout(&block).starts_with("sha256:"));
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let output = zave(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let committed = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/contract.schema.json"),
    )
    .expect("committed schema");
    assert_eq!(stdout(&output), committed);
}

#[test]
fn contracts_given_together_are_checked_as_a_set() {
    let caller = fixture("sets/calls-worker.yaml");
    let worker = fixture("valid/async-mysql-large.yaml");
    let output = zave(&["validate", &caller, &worker]);
    assert_eq!(output.status.code(), Some(1), "Z402 is an error");
    let text = stdout(&output);
    assert!(text.contains("error[Z402]: spec.dependencies[0].workload"));
    assert!(text.contains("calls-worker.yaml:12:17"));
    assert!(text.contains("warning[Z403]: spec.dependencies[1].workload"));
    let json = stdout(&zave(&["validate", "--format", "json", &caller, &worker]));
    assert!(json.contains("\"code\": \"Z402\"") && json.contains("\"code\": \"Z403\""));
    let github = stdout(&zave(&["validate", "--format", "github", &caller, &worker]));
    assert!(github.contains("::warning file=") && github.contains("title=Z403"));
    // A dependency outside the set is a warning, an error with --strict; alone, no set.
    let calls = fixture("valid/with-dependencies.yaml");
    let ledger = fixture("valid/grpc-redis.yaml");
    let warned = zave(&["validate", &calls, &ledger]);
    assert_eq!(warned.status.code(), Some(0));
    assert!(stdout(&warned).contains("warning[Z403]"));
    assert_eq!(
        zave(&["validate", "--strict", &calls, &ledger])
            .status
            .code(),
        Some(1)
    );
    assert!(!stdout(&zave(&["validate", &calls])).contains("Z403"));
    let search = fixture("valid/internal-http-dockerfile-path.yaml");
    let all = zave(&["validate", "--strict", &calls, &ledger, &search]);
    assert_eq!(all.status.code(), Some(0), "{}", stdout(&all));
}
