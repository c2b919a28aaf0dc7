//! The machine outputs (`--format json`, `--format github`) against their committed schema:
//! real runs of validate, render and check-repo, unreadable files included.

mod common;

use std::path::PathBuf;

use common::{fixture, text, zave, zave_in};

fn report_schema() -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas/report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// Parses `output` as one JSON document and checks it against the report schema.
fn conforming(output: &[u8]) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_slice(output).expect("one JSON document");
    let problems: Vec<String> = report_schema()
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{}\n{report:#}", problems.join("\n"));
    report
}

/// Every key of a JSON value, recursively.
fn keys(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                found.push(key.clone());
                keys(inner, found);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| keys(item, found)),
        _ => {}
    }
}

#[test]
fn the_schema_refuses_the_old_mixed_casing() {
    let old = serde_json::json!({"files": [{
        "file": "zave.yaml", "valid": true, "contractHash": null, "diagnostics": []
    }]});
    assert!(!report_schema().is_valid(&old));
}

#[test]
fn validate_json_has_one_casing_and_fits_the_schema_with_an_unreadable_file() {
    let output = zave(&[
        "validate",
        "--format",
        "json",
        &fixture("invalid/many-errors.yaml"),
        "/nonexistent/zave.yaml",
        &fixture("platform/mia.yaml"),
    ]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unreadable file is exit 2"
    );
    let report = conforming(&output.stdout);
    let files = report["files"].as_array().expect("files");
    assert_eq!(
        files.len(),
        3,
        "every file, the unreadable one in its place"
    );
    assert_eq!(files[1]["file"], "/nonexistent/zave.yaml");
    assert!(
        files[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("cannot open")),
        "{report:#}"
    );
    assert_eq!(files[2]["valid"], true);
    let mut found = Vec::new();
    keys(&report, &mut found);
    let mixed: Vec<&String> = found
        .iter()
        .filter(|k| k.chars().any(|c| c.is_ascii_uppercase()))
        .collect();
    assert!(mixed.is_empty(), "snake_case only: {mixed:?}");
    assert!(found.iter().any(|k| k == "contract_hash") && found.iter().any(|k| k == "end_line"));
}

#[test]
fn render_json_on_standard_error_fits_the_schema() {
    let output = zave(&[
        "render",
        "--format",
        "json",
        &fixture("invalid/many-errors.yaml"),
        "/nonexistent/zave.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "nothing is rendered");
    let report = conforming(&output.stderr);
    assert_eq!(report["files"][1]["file"], "/nonexistent/zave.yaml");
}

#[test]
fn check_repo_json_fits_the_schema() {
    let root = tempfile::tempdir().expect("temporary folder");
    let output = zave_in(&["check-repo", "--format", "json"], root.path());
    assert_eq!(output.status.code(), Some(1));
    let report = conforming(&output.stdout);
    assert_eq!(report["conforms"], false);
}

#[test]
fn an_unreadable_file_is_a_github_annotation_too() {
    let output = zave(&[
        "validate",
        "--format",
        "github",
        "/nonexistent/zave.yaml",
        &fixture("platform/mia.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with("::error file=/nonexistent/zave.yaml,title=unreadable::cannot open"),
        "{stdout}"
    );
}

#[test]
fn human_output_says_an_unreadable_file_on_standard_error() {
    let output = zave(&[
        "validate",
        "/nonexistent/zave.yaml",
        &fixture("platform/mia.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("zave: cannot open /nonexistent/zave.yaml"));
    assert_eq!(
        text(&output.stdout),
        "2 contracts checked: 1 valid, 0 invalid, 1 unreadable, 0 warnings\n"
    );
}
