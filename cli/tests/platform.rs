//! `zave platform`: the bootstrap tree, written into a GitOps repository beside tenants.

mod common;

use common::{text, zave};

#[test]
fn the_bootstrap_of_each_builtin_profile() {
    for profile in ["kind", "linode", "aws"] {
        let output = zave(&["platform", "--profile", profile]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let again = zave(&["platform", "--profile", profile]);
        assert_eq!(again.stdout, output.stdout, "same profile, same bytes");
        insta::assert_snapshot!(format!("platform@{profile}"), text(&output.stdout));
    }
}

#[test]
fn the_root_kustomization_applies_the_index_render_writes() {
    let out = tempfile::tempdir().expect("temp dir");
    let root = out.path().to_str().expect("UTF-8 path");
    let contract = common::fixture("platform/payments-api.yaml");
    let rendered = zave(&["render", &contract, "--profile", "kind", "--out", root]);
    assert_eq!(
        rendered.status.code(),
        Some(0),
        "{}",
        text(&rendered.stderr)
    );
    let bootstrap = zave(&["platform", "--profile", "kind", "--out", root]);
    assert_eq!(
        bootstrap.status.code(),
        Some(0),
        "{}",
        text(&bootstrap.stderr)
    );
    let stream = text(&zave(&["platform", "--profile", "kind"]).stdout);
    let paths: Vec<&str> = stream
        .lines()
        .filter_map(|line| line.strip_prefix("  path: ./"))
        .collect();
    // One root: the index, which reaches every tenant through its shards.
    assert_eq!(paths, ["clusters/kind/platform/flux"], "{stream}");
    for path in paths {
        assert!(
            out.path().join(path).join("kustomization.yaml").is_file(),
            "{path} is a folder render wrote, with its kustomization"
        );
    }
    assert!(
        out.path()
            .join("clusters/kind/platform/bootstrap/kustomization.yaml")
            .is_file()
    );
    // A second run replaces its own files and changes nothing.
    let again = zave(&["platform", "--profile", "kind", "--out", root]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
}

#[test]
fn a_file_zave_did_not_write_is_refused_before_anything_is_written() {
    let out = tempfile::tempdir().expect("temp dir");
    let bootstrap = out.path().join("clusters/kind/platform/bootstrap");
    std::fs::create_dir_all(&bootstrap).expect("folder");
    std::fs::write(bootstrap.join("namespace-zave-platform.yaml"), "# mine\n").expect("file");
    let root = out.path().to_str().expect("UTF-8 path");
    let output = zave(&["platform", "--profile", "kind", "--out", root]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("namespace-zave-platform.yaml"));
    let left: Vec<_> = std::fs::read_dir(&bootstrap).expect("read").collect();
    assert_eq!(left.len(), 1, "nothing else was written");
    assert_eq!(
        std::fs::read_to_string(bootstrap.join("namespace-zave-platform.yaml")).expect("read"),
        "# mine\n"
    );
}

#[test]
fn an_unknown_profile_is_a_usage_error() {
    let output = zave(&["platform", "--profile", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}
