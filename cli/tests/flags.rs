//! `--flags-file` through the built binary: a flag set given once is kept by later renders,
//! a changed set replaces its ConfigMap, a refused file is reported where it breaks and
//! renders nothing, and no file at all is W005.

mod common;

use std::fs;
use std::path::Path;

use common::{fixture, text, zave};

const CONTRACT: &str = "valid/feature-flags.yaml";
const WORKLOAD: &str = "clusters/kind/tenants/shopfront";

fn flags_fixture() -> String {
    fixture("valid/feature-flags.flags.json")
}

/// `zave render CONTRACT --profile kind --out OUT EXTRA...`.
fn render(out: &Path, extra: &[&str]) -> std::process::Output {
    let contract = fixture(CONTRACT);
    let out = out.to_string_lossy().into_owned();
    let mut args = vec![
        "render",
        contract.as_str(),
        "--profile",
        "kind",
        "--out",
        &out,
    ];
    args.extend(extra);
    zave(&args)
}

/// The flag set ConfigMap files of the tenant's workload folder.
fn flag_config_maps(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(out.join(WORKLOAD))
        .expect("workload folder")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("configmap-shopfront-flags-"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_flag_set_given_once_is_kept_by_later_renders_and_a_changed_one_replaces_it() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("repo");
    let flags = flags_fixture();
    let first = render(&out, &["--flags-file", &flags]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(!text(&first.stderr).contains("W005"));
    let maps = flag_config_maps(&out);
    assert_eq!(maps.len(), 1, "{maps:?}");
    let written = fs::read_to_string(out.join(WORKLOAD).join(&maps[0])).expect("configmap");
    assert!(written.contains("\"new-checkout\""), "{written}");

    // Without --flags-file the tree's set is used: nothing changes, nothing is said.
    let again = render(&out, &[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert!(
        !text(&again.stderr).contains("W005"),
        "the tree records a flag set: {}",
        text(&again.stderr)
    );
    assert_eq!(flag_config_maps(&out), maps);
    let check = render(&out, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));

    // Another set is another ConfigMap; the old one goes with the tenant's old files.
    let other = dir.path().join("flags.json");
    let changed = fs::read_to_string(&flags).expect("fixture").replace(
        "\"defaultVariant\": \"green\"",
        "\"defaultVariant\": \"red\"",
    );
    fs::write(&other, changed).expect("changed flags");
    let replaced = render(&out, &["--flags-file", &other.to_string_lossy()]);
    assert_eq!(
        replaced.status.code(),
        Some(0),
        "{}",
        text(&replaced.stderr)
    );
    let now = flag_config_maps(&out);
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, maps, "a changed set gets a new name");
    let deployment = fs::read_to_string(out.join(WORKLOAD).join("deployment-shopfront.yaml"))
        .expect("deployment");
    let mounted = now[0]
        .trim_start_matches("configmap-")
        .trim_end_matches(".yaml");
    assert!(
        deployment.contains(&format!("name: {mounted}\n")),
        "{deployment}"
    );
}

#[test]
fn a_refused_flags_file_is_reported_in_that_file_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("repo");
    let bad = dir.path().join("flags.json");
    fs::write(
        &bad,
        "{\"flags\": {\"a\": {\n  \"state\": \"ENABLED\",\n  \"variants\": {\"on\": true},\n  \"defaultVariant\": \"of\"\n}}}\n",
    )
    .expect("bad flags");
    let refused = render(&out, &["--flags-file", &bad.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    let report = text(&refused.stderr);
    assert!(report.contains("error[Z132]"), "{report}");
    assert!(
        report.contains(&format!("--> {}:4:21", bad.display())),
        "positioned in the flags file: {report}"
    );
    assert!(!out.exists(), "nothing was written");

    let missing = render(&out, &["--flags-file", "no-such-flags.json"]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "an unreadable file is an I/O error"
    );
}

#[test]
fn without_a_flags_file_the_sidecar_serves_an_empty_set_and_says_so() {
    let contract = fixture(CONTRACT);
    let output = zave(&["render", &contract, "--profile", "kind"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("warning[W005]"));
    assert!(text(&output.stdout).contains("flags.json: |\n    {\n      \"flags\": {}\n    }\n"));
    let strict = zave(&["render", &contract, "--profile", "kind", "--strict"]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "strict refuses the empty set"
    );

    // The empty set is no input the tree records: the next render says W005 again and
    // changes nothing.
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("repo");
    let first = render(&out, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let check = render(&out, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    assert!(text(&check.stderr).contains("warning[W005]"));
}
