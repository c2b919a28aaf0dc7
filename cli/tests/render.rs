//! `zave render`, `diff` and `profile` through the built binary: the GitOps gate, safe
//! writing, pruning.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{fixture, sorted_names, text, zave};
use zave::index::{Half, Shard};
use zave::tree::TenantPlaces;

fn render_into(out: &Path, contracts: &[&str], extra: &[&str]) -> Output {
    let out = out.to_string_lossy().into_owned();
    let mut args = vec!["render", "--profile", "kind", "--out", out.as_str()];
    let paths: Vec<String> = contracts.iter().map(|c| fixture(c)).collect();
    args.extend(paths.iter().map(String::as_str));
    args.extend(extra);
    zave(&args)
}

/// Renders `contracts` into `out` under the kind profile and requires success.
fn render_ok(out: &Path, contracts: &[&str]) {
    let output = render_into(out, contracts, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

const PREFIX: &str = "clusters/kind";

#[test]
fn stdout_is_a_stream_of_objects_and_the_report_goes_to_stderr() {
    let output = zave(&["render", &fixture("platform/mia.yaml"), "--profile", "kind"]);
    assert_eq!(output.status.code(), Some(0));
    let stream = text(&output.stdout);
    assert!(
        stream.starts_with(
            "---\n# Source: clusters/kind/platform/tenants/mia/namespace-ns-mia.yaml\n"
        )
    );
    assert_eq!(
        stream.matches("\n---\n").count() + 1,
        stream.matches("# Source: ").count()
    );
    assert!(
        !stream.contains("apiVersion: kustomize.config.k8s.io/"),
        "the stream holds objects only, no kustomization.yaml"
    );
    assert!(
        stream.contains("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"),
        "the tenant's Flux Kustomization is one of its objects"
    );
    assert!(text(&output.stderr).contains("warning[W004]"));
}

#[test]
fn a_written_tree_passes_the_check_and_a_second_render_changes_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let contracts = [
        "platform/mia.yaml",
        "platform/oracle.yaml",
        "valid/static-internal.yaml",
    ];
    assert_eq!(
        render_into(dir.path(), &contracts, &[]).status.code(),
        Some(0)
    );
    let deployment = dir
        .path()
        .join(PREFIX)
        .join("tenants/mia/deployment-mia.yaml");
    let before = fs::metadata(&deployment)
        .and_then(|m| m.modified())
        .expect("written");
    for name in ["docs", "mia", "oracle"] {
        let shard = Half::Tenants.shard_dir(PREFIX, Shard::of(name));
        let index = fs::read_to_string(dir.path().join(shard).join("kustomization.yaml"))
            .expect("the shard index");
        assert!(index.contains(&format!("\n- {name}.yaml\n")), "{index}");
    }
    assert!(
        !dir.path()
            .join(PREFIX)
            .join("platform/tenants/kustomization.yaml")
            .exists(),
        "a new tree has no index over every tenant folder"
    );
    assert_eq!(
        render_into(dir.path(), &contracts, &[]).status.code(),
        Some(0)
    );
    let after = fs::metadata(&deployment)
        .and_then(|m| m.modified())
        .expect("still there");
    assert_eq!(before, after, "an unchanged file is not rewritten");
    let check = render_into(dir.path(), &contracts, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
}

#[test]
fn the_check_lists_added_changed_and_removed_files() {
    let dir = tempfile::tempdir().expect("temporary folder");
    render_ok(dir.path(), &["platform/mia.yaml", "platform/panchito.yaml"]);
    let root = dir.path().join(PREFIX);
    fs::remove_file(root.join("tenants/mia/service-mia.yaml")).expect("removed");
    let ingress = root.join("tenants/mia/ingress-mia.yaml");
    let edited = fs::read_to_string(&ingress)
        .expect("ingress")
        .replace("mia.localtest.me", "evil.example.com");
    fs::write(&ingress, edited).expect("edited");
    let check = render_into(dir.path(), &["platform/mia.yaml"], &["--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        text(&check.stdout),
        "changed:  clusters/kind/tenants/mia/ingress-mia.yaml\n\
         added:    clusters/kind/tenants/mia/service-mia.yaml\n",
        "a tenant the run does not name is not compared"
    );
    let pruning = render_into(dir.path(), &["platform/mia.yaml"], &["--check", "--prune"]);
    assert_eq!(pruning.status.code(), Some(1));
    let listing = text(&pruning.stdout);
    let panchito = TenantPlaces::of(PREFIX, "panchito");
    let shard_index = format!(
        "{}/kustomization.yaml",
        Half::Tenants.shard_dir(PREFIX, Shard::of("panchito"))
    );
    for line in [
        "removed:  clusters/kind/tenants/panchito/deployment-panchito.yaml\n".to_owned(),
        format!("removed:  {}\n", panchito.application),
        format!("removed:  {}\n", panchito.flux),
        format!("changed:  {shard_index}\n"),
    ] {
        assert!(listing.contains(&line), "{listing}");
    }
    assert!(
        root.join("tenants/panchito").exists(),
        "--check writes nothing"
    );
}

#[test]
fn only_prune_takes_tenants_out_and_a_foreign_file_stops_it() {
    let dir = tempfile::tempdir().expect("temporary folder");
    render_ok(dir.path(), &["platform/mia.yaml", "platform/panchito.yaml"]);
    let root = dir.path().join(PREFIX);
    render_ok(dir.path(), &["platform/mia.yaml"]);
    assert!(
        root.join("tenants/panchito/deployment-panchito.yaml")
            .exists()
    );
    let foreign = root.join("tenants/panchito/NOTES.md");
    fs::write(&foreign, "kept by hand\n").expect("foreign file");
    let refused = render_into(dir.path(), &["platform/mia.yaml"], &["--prune"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("tenants/panchito/NOTES.md was not generated by zave"),
        "{}",
        text(&refused.stderr)
    );
    assert!(
        root.join("platform/tenants/panchito").exists(),
        "nothing was pruned"
    );
    fs::remove_file(&foreign).expect("moved away");
    let pruned = render_into(dir.path(), &["platform/mia.yaml"], &["--prune"]);
    assert_eq!(pruned.status.code(), Some(0), "{}", text(&pruned.stderr));
    assert!(
        text(&pruned.stderr)
            .contains("removed:  clusters/kind/tenants/panchito/deployment-panchito.yaml")
    );
    assert!(!root.join("tenants/panchito").exists());
    assert!(!root.join("platform/tenants/panchito").exists());
    assert!(
        !root
            .join("platform/argocd/applications/panchito.yaml")
            .exists()
    );
    assert!(root.join("tenants/mia/deployment-mia.yaml").exists());
}

#[test]
fn a_new_tenant_folder_appears_whole_and_an_interrupted_one_is_cleared() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let tenants = dir.path().join(PREFIX).join("tenants");
    // What a render killed while staging `tenants/mia` would leave behind.
    let leftover = tenants.join(".zave-new-0123456789abcdef0123456789abcdef-mia");
    fs::create_dir_all(&leftover).expect("leftover staging folder");
    fs::write(leftover.join("deployment-mia.yaml"), "half").expect("half a file");
    let check = render_into(dir.path(), &["platform/mia.yaml"], &["--check"]);
    assert!(text(&check.stdout).contains("leftover: clusters/kind/tenants/.zave-new-"));
    render_ok(dir.path(), &["platform/mia.yaml", "platform/panchito.yaml"]);
    let names = sorted_names(&tenants).expect("tenants folder");
    assert_eq!(names, ["mia", "panchito"], "no staging folder is left");
    let check = render_into(
        dir.path(),
        &["platform/mia.yaml", "platform/panchito.yaml"],
        &["--check"],
    );
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
}

#[test]
fn nothing_is_written_when_any_contract_has_an_error() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("repo");
    let output = render_into(
        &out,
        &["platform/mia.yaml", "platform/oracle-reserved-runtime.yaml"],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("error[Z201]"));
    assert!(!out.exists(), "no folder, no file");
    let duplicate = render_into(
        &out,
        &[
            "platform/payments-api.yaml",
            "platform/payments-api-minimal.yaml",
        ],
        &[],
    );
    assert_eq!(duplicate.status.code(), Some(1));
    let stderr = text(&duplicate.stderr);
    assert!(stderr.contains(
        "error[Z401]: metadata.name: another contract of this set is already named \"payments-api\""
    ));
    assert!(
        stderr.contains("payments-api-minimal.yaml:"),
        "on the second contract"
    );
    assert!(!out.exists());
}

#[test]
fn a_hostile_output_folder_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("target");
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&elsewhere, &link).expect("symlink");
    let output = render_into(&link, &["platform/mia.yaml"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("symbolic link"));
    assert_eq!(fs::read_dir(&elsewhere).expect("readable").count(), 0);

    let out = dir.path().join("repo");
    fs::create_dir_all(out.join(PREFIX)).expect("prefix");
    std::os::unix::fs::symlink(&elsewhere, out.join(PREFIX).join("tenants"))
        .expect("inner symlink");
    let inner = render_into(&out, &["platform/mia.yaml"], &[]);
    assert_eq!(inner.status.code(), Some(2));
    assert!(
        text(&inner.stderr).contains("symbolic link"),
        "{}",
        text(&inner.stderr)
    );
    assert_eq!(
        fs::read_dir(&elsewhere).expect("readable").count(),
        0,
        "nothing written through the link"
    );
}

#[test]
fn a_file_zave_did_not_generate_is_never_overwritten() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let target = dir
        .path()
        .join(PREFIX)
        .join("tenants/mia/deployment-mia.yaml");
    fs::create_dir_all(target.parent().expect("folder")).expect("folder");
    fs::write(&target, "# hand-written\n").expect("foreign");
    let output = render_into(dir.path(), &["platform/mia.yaml"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("was not generated by zave"));
    assert_eq!(
        fs::read_to_string(&target).expect("kept"),
        "# hand-written\n"
    );
}

#[test]
fn usage_errors_exit_two_and_invalid_profiles_exit_one() {
    let two = zave(&[
        "render",
        &fixture("platform/mia.yaml"),
        &fixture("platform/oracle.yaml"),
        "--image",
        "localhost:5001/x:1",
    ]);
    assert_eq!(two.status.code(), Some(2));
    assert_eq!(
        zave(&["render", &fixture("platform/mia.yaml"), "--profile", "gke"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        zave(&["render", &fixture("platform/mia.yaml"), "--check"])
            .status
            .code(),
        Some(2)
    );
    let profile = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/profiles/invalid/inconsistent.yaml");
    let invalid = zave(&[
        "render",
        &fixture("platform/mia.yaml"),
        "--profile-file",
        &profile.to_string_lossy(),
    ]);
    assert_eq!(invalid.status.code(), Some(1));
    assert!(text(&invalid.stderr).contains("error[Z120]"));
}

#[test]
fn diff_between_profiles_takes_an_image_by_tenant_name() {
    let digest = format!("@sha256:{}", "a".repeat(64));
    let diff = |image: &str| {
        zave(&[
            "diff",
            &fixture("platform/mia.yaml"),
            "--profile",
            "kind",
            "--to-profile",
            "kind",
            "--image",
            image,
        ])
    };
    let allowed = diff(&format!("mia=localhost:5001/mia{digest}"));
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stderr));
    // The named image is the one checked: kind does not allow this registry.
    let foreign = diff(&format!("mia=ghcr.io/acme/mia{digest}"));
    assert_ne!(foreign.status.code(), Some(0));
    assert!(
        text(&foreign.stderr).contains("error[Z304]"),
        "{}",
        text(&foreign.stderr)
    );
    let stray = diff(&format!("ghost=localhost:5001/ghost{digest}"));
    assert_eq!(stray.status.code(), Some(2));
    assert!(text(&stray.stderr).contains("\"ghost\", but no contract of this run has that name"));
}

#[test]
fn diff_shows_what_changes_between_profiles() {
    let output = zave(&[
        "diff",
        &fixture("platform/mia.yaml"),
        "--profile",
        "kind",
        "--to-profile",
        "aws",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let diff = text(&output.stdout);
    assert!(
        diff.contains(
            "--- kind/tenants/mia/ingress-mia.yaml\n+++ aws/tenants/mia/ingress-mia.yaml\n"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("-  ingressClassName: nginx\n+  ingressClassName: alb\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+++ aws/tenants/mia/horizontalpodautoscaler-mia.yaml"),
        "{diff}"
    );
    let same = zave(&[
        "diff",
        &fixture("platform/mia.yaml"),
        "--profile",
        "kind",
        "--to-profile",
        "kind",
    ]);
    assert_eq!(same.status.code(), Some(0));
    assert!(same.stdout.is_empty());
}

#[test]
fn diff_against_the_tree_on_disk() {
    let dir = tempfile::tempdir().expect("temporary folder");
    render_ok(dir.path(), &["platform/mia.yaml"]);
    let out = dir.path().to_string_lossy().into_owned();
    let clean = zave(&[
        "diff",
        &fixture("platform/mia.yaml"),
        "--profile",
        "kind",
        "--out",
        &out,
    ]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    let changed = zave(&[
        "diff",
        &fixture("platform/payments-api.yaml"),
        "--profile",
        "kind",
        "--out",
        &out,
    ]);
    assert_eq!(changed.status.code(), Some(1));
}

#[test]
fn profiles_are_listed_and_printable() {
    assert_eq!(
        text(&zave(&["profile", "list"]).stdout),
        "kind\tlocal\nlinode\tsandbox\naws\tproduction\n"
    );
    let shown = zave(&["profile", "show", "aws"]);
    assert_eq!(shown.status.code(), Some(0));
    assert!(text(&shown.stdout).contains("requiredCapabilities: [metrics]"));
    assert_eq!(zave(&["profile", "show", "gke"]).status.code(), Some(2));
}

#[test]
fn explain_names_the_origin_of_each_part() {
    let output = zave(&[
        "explain",
        &fixture("platform/oracle.yaml"),
        "deployment/oracle",
        "--profile",
        "aws",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let explained = text(&output.stdout);
    assert!(explained.starts_with("Deployment/oracle\n"), "{explained}");
    assert!(
        explained.contains("  spec.replicas\n    profile    aws: spec.availability.autoscaling"),
        "{explained}"
    );
    assert!(
        explained.contains("    mutation   W003: capability metrics injected"),
        "{explained}"
    );
    assert!(
        explained.contains("    mutation   W002: spec.resources.tier defaulted to standard"),
        "{explained}"
    );
    assert!(
        !explained.contains("(PORT)"),
        "a worker has no HTTP port: {explained}"
    );
    assert!(
        !explained.contains("NetworkPolicy/"),
        "the filter keeps one object"
    );

    let with_image = zave(&[
        "explain",
        &fixture("platform/mia.yaml"),
        "deployment",
        "--profile",
        "kind",
        "--image",
        "localhost:5001/mia:1.0",
    ]);
    assert!(text(&with_image.stdout).contains("    input      --image\n"));
    let json = zave(&[
        "explain",
        &fixture("platform/mia.yaml"),
        "--profile",
        "kind",
        "--format",
        "json",
    ]);
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert!(
        parsed
            .as_array()
            .is_some_and(|all| all.iter().any(|e| e["object"] == "Application/mia"))
    );
    assert_eq!(
        zave(&["explain", &fixture("platform/mia.yaml"), "cronjob/mia"])
            .status
            .code(),
        Some(2)
    );
}
