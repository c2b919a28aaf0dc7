//! `zave review`: the fixture pairs of `fixtures/review/`, as Markdown and as JSON.

mod common;

use std::path::PathBuf;

use common::{text, zave};

fn case(name: &str) -> [String; 2] {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/review");
    ["base", "head"].map(|side| root.join(name).join(side).to_string_lossy().into_owned())
}

#[test]
fn each_fixture_pair_as_markdown_and_json() {
    for name in ["platform-change", "no-change"] {
        let [base, head] = case(name);
        let markdown = zave(&["review", &base, &head, "--profile", "kind"]);
        assert_eq!(
            markdown.status.code(),
            Some(0),
            "{}",
            text(&markdown.stderr)
        );
        insta::assert_snapshot!(format!("{name}.md"), text(&markdown.stdout));
        let json = zave(&[
            "review",
            &base,
            &head,
            "--profile",
            "kind",
            "--format",
            "json",
        ]);
        assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
        insta::assert_snapshot!(format!("{name}.json"), text(&json.stdout));
    }
}

#[test]
fn the_change_kinds_a_platform_team_gates_on() {
    let [base, head] = case("platform-change");
    let output = zave(&[
        "review",
        &base,
        &head,
        "--profile",
        "kind",
        "--format",
        "json",
    ]);
    let review: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let changes = |tenant: &str| -> Vec<String> {
        review["tenants"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["name"] == tenant)
            .flat_map(|t| t["changes"].as_array().cloned().unwrap_or_default())
            .map(|c| c["change"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(
        changes("ledger"),
        [
            "exposure_widened",
            "dependency_added",
            "tier_changed",
            "engine_changed"
        ]
    );
    assert_eq!(changes("docs"), ["tenant_removed"]);
    assert_eq!(changes("orders"), ["tenant_added"]);
    assert_eq!(changes("payments-api"), ["capability_removed"]);
    let ledger = &review["tenants"][1]["changes"][3];
    assert_eq!(
        ledger["data_risk"], true,
        "postgres to mysql loses the data"
    );
}

#[test]
fn reformatting_a_contract_is_no_change() {
    let [base, head] = case("no-change");
    let output = zave(&[
        "review",
        &base,
        &head,
        "--profile",
        "kind",
        "--format",
        "json",
    ]);
    let review: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(review["tenants"], serde_json::json!([]));
    assert_eq!(review["files"]["changed"], serde_json::json!([]));
}

#[test]
fn an_invalid_contract_or_a_missing_folder_is_refused() {
    let broken = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        broken.path().join("bad.yaml"),
        "apiVersion: zave.io/v1\nkind: Workload\n",
    )
    .expect("write");
    let [base, _] = case("no-change");
    let dir = broken.path().to_str().expect("UTF-8");
    let output = zave(&["review", &base, dir, "--profile", "kind"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(text(&output.stderr).contains("bad.yaml"));
    let missing = zave(&["review", &base, "no-such-folder", "--profile", "kind"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn two_git_revisions_of_the_working_directory() {
    let repo = tempfile::tempdir().expect("temp dir");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=zave",
                "-c",
                "user.email=zave@example.invalid",
            ])
            .args(args)
            .current_dir(repo.path())
            .output()
            .expect("git runs");
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            text(&status.stderr)
        );
    };
    let [base, head] = case("platform-change");
    git(&["init", "--quiet"]);
    for (side, message) in [(&base, "base"), (&head, "head")] {
        for entry in std::fs::read_dir(repo.path()).expect("read") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|ext| ext == "yaml") {
                std::fs::remove_file(path).expect("remove");
            }
        }
        for entry in std::fs::read_dir(side).expect("read") {
            let path = entry.expect("entry").path();
            let name = path.file_name().expect("name");
            std::fs::copy(&path, repo.path().join(name)).expect("copy");
        }
        git(&["add", "--all"]);
        git(&["commit", "--quiet", "--message", message]);
    }
    let from_git = common::zave_in(
        &["review", "HEAD~1", "HEAD", "--profile", "kind"],
        repo.path(),
    );
    assert_eq!(
        from_git.status.code(),
        Some(0),
        "{}",
        text(&from_git.stderr)
    );
    let from_folders = zave(&["review", &base, &head, "--profile", "kind"]);
    assert_eq!(
        text(&from_git.stdout),
        text(&from_folders.stdout),
        "the same contracts from git revisions review the same"
    );
    let unknown = common::zave_in(
        &["review", "no-such-rev", "HEAD", "--profile", "kind"],
        repo.path(),
    );
    assert_eq!(unknown.status.code(), Some(2));
}
