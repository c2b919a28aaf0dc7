//! Snapshots of the diagnostics of every fixture contract, in text and JSON form.

use zave::{Diagnostics, TextStyle, ValidateOptions};

fn snapshot_fixture(path: &std::path::Path) {
    let bytes = std::fs::read(path).expect("fixture is readable");
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("");
    let name = format!(
        "{folder}/{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("")
    );
    let outcome = zave::validate(&bytes, ValidateOptions::default());
    let (valid, findings) = match &outcome {
        Ok(checked) => (true, checked.findings.clone()),
        Err(Diagnostics(findings)) => (false, findings.clone()),
    };
    match folder {
        "valid" => assert!(valid, "{name} must validate: {findings:#?}"),
        "invalid" => assert!(!valid, "{name} must be refused"),
        _ => {}
    }
    let source = String::from_utf8_lossy(&bytes);
    let text = Diagnostics(findings.clone()).to_text(&name, Some(&source), TextStyle::Plain);
    let verdict = if valid { "valid" } else { "invalid" };
    insta::assert_snapshot!("text", format!("{verdict}\n\n{text}"));
    insta::assert_json_snapshot!("json", findings);
}

#[test]
fn invalid_fixtures() {
    insta::glob!("../fixtures/contracts", "invalid/*.yaml", |path| {
        snapshot_fixture(path)
    });
}

#[test]
fn valid_fixtures() {
    insta::glob!("../fixtures/contracts", "valid/*.yaml", |path| {
        snapshot_fixture(path)
    });
}

#[test]
fn platform_fixtures() {
    insta::glob!("../fixtures/contracts", "platform/*.yaml", |path| {
        snapshot_fixture(path)
    });
}

/// SPEC §2: a contract with one mistake per stage shows all of them in one run, in order.
#[test]
fn one_mistake_per_stage_is_reported_at_once() {
    let bytes = std::fs::read(zave_conformance::fixture(
        "contracts/invalid/one-per-stage.yaml",
    ))
    .expect("fixture is readable");
    let linode = zave::Profile::builtin("linode").expect("built-in");
    let outcome = zave::validate(
        &bytes,
        ValidateOptions {
            strict: false,
            profile: Some(linode),
        },
    );
    let Err(Diagnostics(findings)) = &outcome else {
        panic!("the contract must be refused");
    };
    let source = String::from_utf8_lossy(&bytes);
    let text = Diagnostics(findings.clone()).to_text(
        "one-per-stage.yaml",
        Some(&source),
        TextStyle::Plain,
    );
    insta::assert_snapshot!(text);
}

#[test]
fn strict_mode_turns_mutations_into_errors() {
    let bytes = std::fs::read(zave_conformance::fixture(
        "contracts/platform/example-tenant.yaml",
    ))
    .expect("fixture is readable");
    let lenient = zave::validate(&bytes, ValidateOptions::default());
    assert_eq!(zave_conformance::codes(&lenient), ["W001", "W002"]);
    let strict = zave::validate(
        &bytes,
        ValidateOptions {
            strict: true,
            profile: None,
        },
    );
    let Err(Diagnostics(findings)) = strict else {
        panic!("strict mode must refuse a contract that needed defaults");
    };
    assert!(findings.iter().all(|d| d.severity == zave::Severity::Error));
    assert_eq!(
        findings.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["W001", "W002"]
    );
}
