//! What a new user meets in the first hour: each command keeps the promise its help makes.

mod common;

use std::path::Path;

use common::{fixture, text, zave, zave_in};

fn profile_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/profiles/valid")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_contract_with_one_mistake_per_stage_shows_every_one_in_one_run() {
    let output = zave(&[
        "validate",
        "--profile",
        "linode",
        &fixture("invalid/one-per-stage.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = text(&output.stdout);
    for code in ["error[Z113]", "error[Z201]", "error[Z303]"] {
        assert!(report.contains(code), "{code} in one run: {report}");
    }
    assert!(report.contains("did you mean \"public-http\"?"), "{report}");
}

#[test]
fn the_set_stage_reads_what_a_refused_contract_left_valid() {
    // one-per-stage is refused, but its name is valid: a second contract of that name is Z401.
    let output = zave(&[
        "validate",
        &fixture("invalid/one-per-stage.yaml"),
        &fixture("invalid/one-per-stage.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stdout).contains("error[Z401]"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn validate_takes_a_profile_file() {
    let output = zave(&[
        "validate",
        "--profile-file",
        &profile_fixture("restricted.yaml"),
        &fixture("platform/mia.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("error[Z301]"));
}

#[test]
fn diff_compares_with_a_profile_file_and_says_when_nothing_differs() {
    let contract = fixture("platform/mia.yaml");
    let same = zave(&[
        "diff",
        &contract,
        "--profile-file",
        &profile_fixture("gateway.yaml"),
        "--to-profile-file",
        &profile_fixture("gateway.yaml"),
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));
    assert!(same.stdout.is_empty());
    assert!(text(&same.stderr).contains("no differences"));
    let differs = zave(&[
        "diff",
        &contract,
        "--profile",
        "kind",
        "--to-profile-file",
        &profile_fixture("gateway.yaml"),
    ]);
    assert_eq!(differs.status.code(), Some(1), "{}", text(&differs.stderr));
    assert!(text(&differs.stdout).starts_with("--- "));
}

#[test]
fn diff_without_another_side_names_every_way_to_give_one() {
    let output = zave(&["diff", &fixture("platform/mia.yaml")]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    for flag in ["--to-profile", "--to-profile-file", "--out"] {
        assert!(stderr.contains(flag), "{flag}: {stderr}");
    }
    let help = text(&zave(&["diff", "--help"]).stdout);
    assert!(help.contains("1 when something does"), "{help}");
}

#[test]
fn the_version_flag_is_zaves_and_the_label_has_its_own_name() {
    let program = zave(&["--version"]);
    assert_eq!(program.status.code(), Some(0));
    assert!(text(&program.stdout).contains(env!("CARGO_PKG_VERSION")));
    // Never a silent success: a CI script still writing `--version VALUE` is told the label's
    // name, and nothing is rendered or checked.
    let old = zave(&[
        "render",
        &fixture("platform/mia.yaml"),
        "--version",
        "sha-1234567",
    ]);
    assert_eq!(old.status.code(), Some(2));
    assert!(old.stdout.is_empty());
    assert!(
        text(&old.stderr).contains("--version-label"),
        "{}",
        text(&old.stderr)
    );
    let labelled = zave(&[
        "render",
        &fixture("platform/mia.yaml"),
        "--version-label",
        "sha-1234567",
    ]);
    assert_eq!(
        labelled.status.code(),
        Some(0),
        "{}",
        text(&labelled.stderr)
    );
    assert!(text(&labelled.stdout).contains("sha-1234567"));
}

#[test]
fn explain_takes_format_and_every_input_it_cites() {
    let output = zave(&[
        "explain",
        &fixture("platform/mia.yaml"),
        "deployment",
        "--bundle",
        "b1",
        "--version-label",
        "sha-1234567",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(parsed.as_array().is_some_and(|all| !all.is_empty()));
    let human = text(&zave(&["explain", &fixture("platform/mia.yaml"), "deployment"]).stdout);
    for cited in human.lines().filter_map(|l| l.trim().strip_prefix("input")) {
        let flag = cited.split_whitespace().next().unwrap_or_default();
        let help = text(&zave(&["explain", "--help"]).stdout);
        assert!(help.contains(flag), "explain cites {flag}, so it takes it");
    }
}

#[test]
fn hash_refuses_an_invalid_contract() {
    let output = zave(&["hash", &fixture("invalid/one-per-stage.yaml")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no hash for an invalid contract");
    assert!(text(&output.stderr).contains("error[Z113]"));
}

#[test]
fn a_shown_profile_points_at_a_schema_that_exists_outside_the_repository() {
    let output = zave(&["profile", "show", "aws"]);
    assert_eq!(output.status.code(), Some(0));
    let first = text(&output.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        first.starts_with("# yaml-language-server: $schema=https://")
            && first.ends_with("/schemas/profile.schema.json"),
        "{first}"
    );
}

#[test]
fn init_under_a_profile_writes_a_contract_valid_strictly_under_it() {
    let root = tempfile::tempdir().expect("temporary folder");
    let init = zave_in(&["init", "shop", "--profile", "aws"], root.path());
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    let contract = root.path().join("shop/zave.yaml");
    let contract = contract.to_string_lossy();
    let strict = zave(&["validate", "--strict", "--profile", "aws", &contract]);
    assert_eq!(strict.status.code(), Some(0), "{}", text(&strict.stdout));
    assert!(
        std::fs::read_to_string(&*contract)
            .expect("written")
            .contains("- name: metrics")
    );
}

#[test]
fn render_counts_in_the_right_number() {
    let root = tempfile::tempdir().expect("temporary folder");
    let out = root.path().to_string_lossy();
    let output = zave(&["render", &fixture("platform/mia.yaml"), "--out", &out]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("rendered 1 tenant into"), "{stderr}");
    assert!(stderr.contains("; 1 tenant in the tree"), "{stderr}");
}

#[test]
fn init_needs_no_name_where_zave_yaml_says_it() {
    let root = tempfile::tempdir().expect("temporary folder");
    let empty = zave_in(&["init"], root.path());
    assert_eq!(empty.status.code(), Some(2));
    assert!(
        text(&empty.stderr).contains("name the workload"),
        "{}",
        text(&empty.stderr)
    );
    let first = zave_in(&["init", "shop", "--dir", "."], root.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    // What check-repo's hints say to run.
    let again = zave_in(&["init", "--dir", "."], root.path());
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert!(
        !text(&again.stdout).contains("created"),
        "{}",
        text(&again.stdout)
    );
}
