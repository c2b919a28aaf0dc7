//! `zave init` and `zave check-repo` through the built binary: idempotence, the overwrite
//! rules, the contract as the source of truth, and every kind of conformance finding.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{text, zave_in as zave};

const FILES: &[&str] = &[
    "zave.yaml",
    "Dockerfile",
    "docker-compose.yml",
    ".gitignore",
    "README.md",
    ".github/workflows/build.yaml",
];

/// Every file of a repository, path and bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, into: &mut Vec<(PathBuf, Vec<u8>)>) {
        for entry in fs::read_dir(dir).expect("readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, into);
            } else {
                into.push((path.clone(), fs::read(&path).expect("readable file")));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
}

/// A fresh `payments-api` repository with PostgreSQL, in a temporary folder.
fn scaffolded() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().expect("temporary folder");
    let output = zave(
        &["init", "payments-api", "--persistence", "postgres"],
        root.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let repo = root.path().join("payments-api");
    (root, repo)
}

/// Replaces `from` with `to` in a file of the repository and returns the new text.
fn edit(path: &Path, from: &str, to: &str) -> String {
    let text = fs::read_to_string(path).expect("readable file");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    let edited = text.replace(from, to);
    fs::write(path, &edited).expect("edit");
    edited
}

fn check(repo: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check-repo", "."];
    args.extend_from_slice(extra);
    zave(&args, repo)
}

/// The report of `zave check-repo` on a repository that does not conform (exit status 1).
fn nonconforming(repo: &Path, extra: &[&str]) -> String {
    let output = check(repo, extra);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    text(&output.stdout)
}

#[test]
fn init_writes_the_repository_and_it_conforms_and_validates() {
    let (_root, repo) = scaffolded();
    for file in FILES {
        assert!(repo.join(file).is_file(), "{file} is written");
    }
    let output = check(&repo, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(
        text(&output.stdout),
        ". conforms: valid contract, 5 generated files as zave generates them, no other workflow\n"
    );
    let validate = zave(&["validate", "--strict", "zave.yaml"], &repo);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stdout)
    );
}

#[test]
fn running_init_again_with_the_same_inputs_changes_nothing() {
    let (root, repo) = scaffolded();
    let before = snapshot(&repo);
    let output = zave(
        &["init", "payments-api", "--persistence", "postgres"],
        root.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(snapshot(&repo), before);
    let report = text(&output.stdout);
    assert!(
        report.contains("read      payments-api/zave.yaml"),
        "{report}"
    );
    assert_eq!(report.matches("unchanged ").count(), 5, "{report}");
    assert!(
        !report.contains("updated") && !report.contains("created"),
        "{report}"
    );
}

#[test]
fn a_changed_contract_updates_only_what_derives_from_it() {
    let (_root, repo) = scaffolded();
    let contract = repo.join("zave.yaml");
    let edited = edit(&contract, "engine: postgres", "engine: redis");
    let before = snapshot(&repo);
    let output = zave(&["init", "payments-api", "--dir", "."], &repo);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let after = snapshot(&repo);
    let changed: Vec<String> = before
        .iter()
        .zip(&after)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| {
            a.0.strip_prefix(&repo)
                .expect("inside")
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(changed, ["README.md", "docker-compose.yml"]);
    assert_eq!(fs::read_to_string(&contract).expect("contract"), edited);
    let compose = fs::read_to_string(repo.join("docker-compose.yml")).expect("compose");
    assert!(
        compose.contains("REDIS_URL") && !compose.contains("DATABASE_URL"),
        "{compose}"
    );
    assert_eq!(check(&repo, &[]).status.code(), Some(0));
}

#[test]
fn a_file_zave_did_not_generate_is_kept_unless_forced() {
    let (_root, repo) = scaffolded();
    let readme = repo.join("README.md");
    fs::write(&readme, "# payments-api\n\nOur own words.\n").expect("hand-written README");
    let output = zave(&["init", "payments-api", "--dir", "."], &repo);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stdout).contains("kept      ./README.md (not generated by zave"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(
        fs::read_to_string(&readme).expect("README"),
        "# payments-api\n\nOur own words.\n"
    );
    // A README without zave's header is the tenant's: the repository still conforms.
    assert_eq!(check(&repo, &[]).status.code(), Some(0));
    let forced = zave(&["init", "payments-api", "--dir", ".", "--force"], &repo);
    assert_eq!(forced.status.code(), Some(0));
    assert!(
        fs::read_to_string(&readme)
            .expect("README")
            .starts_with("<!-- Generated by zave")
    );
}

#[test]
fn force_restores_zaves_files_and_keeps_the_contract() {
    let (_root, repo) = scaffolded();
    let contract = repo.join("zave.yaml");
    let edited = format!(
        "{}# our note\n",
        fs::read_to_string(&contract).expect("contract")
    );
    fs::write(&contract, &edited).expect("edit the contract");
    let binding = repo.join(".github/workflows/build.yaml");
    fs::write(&binding, "on: push\njobs: {}\n").expect("a hand-written binding");
    let output = zave(&["init", "payments-api", "--dir", ".", "--force"], &repo);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(fs::read_to_string(&contract).expect("contract"), edited);
    assert!(
        fs::read_to_string(&binding)
            .expect("binding")
            .starts_with("# Generated by zave")
    );
    assert_eq!(check(&repo, &[]).status.code(), Some(0));
}

#[test]
fn flags_may_not_contradict_the_contract_on_disk() {
    let (_root, repo) = scaffolded();
    let before = snapshot(&repo);
    let output = zave(
        &[
            "init",
            "payments-api",
            "--dir",
            ".",
            "--persistence",
            "mysql",
        ],
        &repo,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--persistence mysql (zave.yaml says postgres)"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(snapshot(&repo), before, "nothing written");
    let renamed = zave(&["init", "billing", "--dir", "."], &repo);
    assert_eq!(renamed.status.code(), Some(2));
    assert!(text(&renamed.stderr).contains("names the workload \"payments-api\", not \"billing\""));
    let forced = zave(
        &[
            "init",
            "payments-api",
            "--dir",
            ".",
            "--persistence",
            "mysql",
            "--force",
        ],
        &repo,
    );
    assert_eq!(forced.status.code(), Some(0));
    let contract = fs::read_to_string(repo.join("zave.yaml")).expect("contract");
    assert!(contract.contains("engine: mysql"), "{contract}");
    let compose = fs::read_to_string(repo.join("docker-compose.yml")).expect("compose");
    assert!(compose.contains("mariadb"), "{compose}");
}

#[test]
fn an_invalid_name_or_combination_writes_nothing() {
    let root = tempfile::tempdir().expect("temporary folder");
    let output = zave(&["init", "Payments_API"], root.path());
    assert_eq!(
        output.status.code(),
        Some(2),
        "a bad argument is a usage error"
    );
    let stderr = text(&output.stderr);
    // Said of the argument, never of a zave.yaml that was not written.
    assert!(stderr.starts_with("zave: NAME: error[Z114]: "), "{stderr}");
    assert!(
        stderr.contains("did you mean \"payments-api\"?"),
        "{stderr}"
    );
    assert!(!stderr.contains("zave.yaml:"), "{stderr}");
    let output = zave(
        &[
            "init",
            "site",
            "--runtime",
            "static",
            "--persistence",
            "redis",
        ],
        root.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("error[Z20"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(fs::read_dir(root.path()).expect("folder").count(), 0);
}

#[test]
fn init_never_writes_through_a_symbolic_link() {
    let (_root, repo) = scaffolded();
    let outside = tempfile::tempdir().expect("temporary folder");
    fs::remove_file(repo.join("Dockerfile")).expect("remove");
    std::os::unix::fs::symlink(outside.path().join("Dockerfile"), repo.join("Dockerfile"))
        .expect("symlink");
    let output = zave(&["init", "payments-api", "--dir", "."], &repo);
    assert_eq!(output.status.code(), Some(2));
    assert!(!outside.path().join("Dockerfile").exists());
    assert!(nonconforming(&repo, &[]).contains("Dockerfile: error[R006]"));
}

#[test]
fn check_repo_finds_an_extra_workflow() {
    let (_root, repo) = scaffolded();
    fs::write(
        repo.join(".github/workflows/deploy.yml"),
        "on: push\njobs: {}\n",
    )
    .expect("extra workflow");
    assert_eq!(
        nonconforming(&repo, &[]),
        ".github/workflows/deploy.yml: error[R005]: a workflow besides the CI binding: tenant \
         repositories run no CI logic of their own (remove it; the platform's shared workflows \
         do the building)\n"
    );
}

#[test]
fn check_repo_finds_an_edited_dockerfile() {
    let (_root, repo) = scaffolded();
    let dockerfile = repo.join("Dockerfile");
    edit(&dockerfile, "USER 10001:10001", "USER root");
    let report = nonconforming(&repo, &[]);
    assert_eq!(report.lines().count(), 1, "{report}");
    assert!(
        report.starts_with("Dockerfile: error[R002]: carries zave's header but differs"),
        "{report}"
    );
}

#[test]
fn check_repo_finds_a_stale_binding() {
    let (_root, repo) = scaffolded();
    let old = "0123456789abcdef0123456789abcdef01234567";
    let output = zave(
        &[
            "init",
            "payments-api",
            "--dir",
            ".",
            "--pipelines-commit",
            old,
            "--pipelines-release",
            "v1.0.0",
        ],
        &repo,
    );
    assert_eq!(output.status.code(), Some(0));
    let report = text(&check(&repo, &[]).stdout);
    assert!(
        report.starts_with(&format!(
            ".github/workflows/build.yaml: error[R003]: stale: calls \
             zavestudios/platform-pipelines/.github/workflows/container-build-dispatch.yml@{old} # v1.0.0, \
             zave now pins zavestudios/platform-pipelines/.github/workflows/container-build-dispatch.yml@"
        )),
        "{report}"
    );
    // A binding whose header was removed is still the platform's.
    let binding = repo.join(".github/workflows/build.yaml");
    let body: String = fs::read_to_string(&binding)
        .expect("binding")
        .lines()
        .skip(1)
        .map(|line| format!("{line}\n"))
        .collect();
    fs::write(&binding, body).expect("remove the header");
    let report = text(&check(&repo, &[]).stdout);
    assert!(report.contains("build.yaml: error[R004]"), "{report}");
}

#[test]
fn check_repo_finds_an_invalid_contract_with_its_position() {
    let (_root, repo) = scaffolded();
    let contract = repo.join("zave.yaml");
    edit(&contract, "delivery: rolling", "delivery: canary");
    let report = nonconforming(&repo, &[]);
    assert!(
        report.starts_with("error[Z201]: spec.delivery: value \"canary\"")
            && report.contains("  --> zave.yaml:12:13\n")
            && report.contains("^^^^^^"),
        "the source line and a caret, as --help says: {report}"
    );
    let github = text(&check(&repo, &["--format", "github"]).stdout);
    assert!(
        github.starts_with("::error file=zave.yaml,line=12,col=13,title=Z201::spec.delivery: "),
        "{github}"
    );
}

#[test]
fn check_repo_annotates_findings_for_github() {
    let (_root, repo) = scaffolded();
    fs::remove_file(repo.join("docker-compose.yml")).expect("remove");
    assert_eq!(
        nonconforming(&repo, &["--format", "github"]),
        "::error file=docker-compose.yml,title=R001::missing%0Ahelp: run `zave init --dir .` to regenerate it\n"
    );
}

#[test]
fn a_repository_without_a_contract_does_not_conform() {
    let root = tempfile::tempdir().expect("temporary folder");
    let repo = root.path().join("Payments_API");
    fs::create_dir(&repo).expect("folder");
    let report = nonconforming(&repo, &[]);
    assert!(
        report.contains("zave.yaml: error[R001]: missing: the repository has no contract (run `zave init payments-api --dir .` to write one)"),
        "the hint names the folder's name made valid, never a literal NAME: {report}"
    );
    // The files at fixed places are reported missing too, not hidden until a contract exists.
    assert!(
        report.contains("docker-compose.yml: error[R001]: missing"),
        "{report}"
    );
}

#[test]
fn a_dockerfile_path_over_another_file_is_refused() {
    let (_root, repo) = scaffolded();
    let contract = repo.join("zave.yaml");
    let edited = edit(
        &contract,
        "  resources:",
        "  build:\n    dockerfilePath: zave.yaml\n  resources:",
    );
    let output = zave(&["init", "payments-api", "--dir", ".", "--force"], &repo);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("dockerfilePath \"zave.yaml\""));
    assert_eq!(fs::read_to_string(&contract).expect("contract"), edited);
    let report = text(&check(&repo, &[]).stdout);
    assert!(report.starts_with("zave.yaml: error[R007]"), "{report}");
}

#[test]
fn check_repo_reports_json_for_tools() {
    let (_root, repo) = scaffolded();
    fs::write(repo.join(".github/workflows/lint.yaml"), "on: push\n").expect("extra workflow");
    let report: serde_json::Value =
        serde_json::from_str(&nonconforming(&repo, &["--format", "json"]))
            .expect("one JSON document");
    assert_eq!(report["conforms"], false);
    assert_eq!(report["contract"], serde_json::json!([]));
    assert_eq!(report["findings"][0]["file"], ".github/workflows/lint.yaml");
    assert_eq!(report["findings"][0]["code"], "R005");
}
