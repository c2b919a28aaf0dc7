//! The tree writer's promises through the built binary, one group per case of the issue: a
//! render changes only its tenants, images do not roll back, nothing escapes `--out`, two
//! writers wait for each other, a refusal changes nothing, standard input, one rule for
//! "differs", strict ownership, and one tree however the contracts are split.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{fixture, text, zave};

const PREFIX: &str = "clusters/kind";
const PLATFORM_INDEX: &str = "clusters/kind/platform/tenants/kustomization.yaml";
const APPLICATIONS_INDEX: &str = "clusters/kind/platform/argocd/applications/kustomization.yaml";

/// The 9 valid fixtures and mia: ten tenants.
const TEN: [&str; 10] = [
    "valid/alias-within-bound.yaml",
    "valid/async-mysql-large.yaml",
    "valid/engine-none.yaml",
    "valid/flow-style.yaml",
    "valid/grpc-redis.yaml",
    "valid/internal-http-dockerfile-path.yaml",
    "valid/name-forty-chars.yaml",
    "valid/schema-comment.yaml",
    "valid/static-internal.yaml",
    "platform/mia.yaml",
];

/// Their tenant names, sorted as the index lists them.
const TEN_NAMES: [&str; 10] = [
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaz",
    "anchored",
    "cache-warmer",
    "docs",
    "editor-friendly",
    "flow",
    "ledger",
    "listings-ingest",
    "mia",
    "search",
];

const THREE: [&str; 3] = [
    "platform/mia.yaml",
    "platform/panchito.yaml",
    "platform/oracle.yaml",
];

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A kind image for tenant `name`: its repository, pinned to 64 copies of `digit`.
fn image(name: &str, digit: char) -> String {
    format!(
        "localhost:5001/{name}@sha256:{}",
        digit.to_string().repeat(64)
    )
}

/// `--image NAME=REF` for each tenant, all pinned to `digit`.
fn images_for(names: &[&str], digit: char) -> Vec<String> {
    names
        .iter()
        .flat_map(|name| {
            [
                "--image".to_owned(),
                format!("{name}={}", image(name, digit)),
            ]
        })
        .collect()
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// `zave COMMAND --profile kind --out OUT CONTRACTS... EXTRA...`.
fn run_tree(command: &str, out: &Path, contracts: &[&str], extra: &[String]) -> Output {
    let out = path_arg(out);
    let mut args: Vec<String> = vec![
        command.to_owned(),
        "--profile".to_owned(),
        "kind".to_owned(),
        "--out".to_owned(),
        out,
    ];
    args.extend(contracts.iter().map(|c| fixture(c)));
    args.extend(extra.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    zave(&args)
}

fn render(out: &Path, contracts: &[&str], extra: &[String]) -> Output {
    run_tree("render", out, contracts, extra)
}

fn check(out: &Path, contracts: &[&str], extra: &[String]) -> Output {
    let mut extra = extra.to_vec();
    extra.push("--check".to_owned());
    run_tree("render", out, contracts, &extra)
}

fn diff(out: &Path, contracts: &[&str], extra: &[String]) -> Output {
    run_tree("diff", out, contracts, extra)
}

/// Requires exit status `code`, showing both streams otherwise.
#[track_caller]
fn expect_code(output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}\n--- stdout\n{}\n--- stderr\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

#[track_caller]
fn render_ok(out: &Path, contracts: &[&str], extra: &[String]) -> Output {
    let output = render(out, contracts, extra);
    expect_code(&output, 0, "render succeeds");
    output
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| (*arg).to_owned()).collect()
}

/// Everything below `root` by relative path: a file's bytes, a link as `-> target`, a folder
/// as `<folder>`. Hidden entries (scratch names, the journal) are included.
fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, folder: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(folder) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            let relative = path
                .strip_prefix(root)
                .expect("below the root")
                .to_string_lossy()
                .into_owned();
            let meta = fs::symlink_metadata(&path).expect("metadata");
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).expect("link target");
                into.insert(relative, format!("-> {}", target.display()).into_bytes());
            } else if meta.is_dir() {
                into.insert(relative, b"<folder>".to_vec());
                walk(root, &path, into);
            } else {
                into.insert(relative, fs::read(&path).expect("readable file"));
            }
        }
    }
    let mut all = BTreeMap::new();
    walk(root, root, &mut all);
    all
}

/// The paths whose entries differ between two snapshots (present in one only, or other bytes).
fn changed_paths(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut paths: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|path| before.get(*path) != after.get(*path))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Asserts that nothing below `root` changed since `before`.
#[track_caller]
fn assert_unchanged(root: &Path, before: &BTreeMap<String, Vec<u8>>, what: &str) {
    let after = snapshot(root);
    let changed = changed_paths(before, &after);
    assert!(changed.is_empty(), "{what}: these changed: {changed:#?}");
}

/// Whether `path` belongs to tenant `name` (one of its three places).
fn is_tenant_path(path: &str, name: &str) -> bool {
    path == format!("{PREFIX}/platform/argocd/applications/{name}.yaml")
        || [
            format!("{PREFIX}/platform/tenants/{name}"),
            format!("{PREFIX}/tenants/{name}"),
        ]
        .iter()
        .any(|folder| path == folder || path.starts_with(&format!("{folder}/")))
}

/// The names an index kustomization lists under `resources:`.
fn index_entries(out: &Path, index: &str) -> Vec<String> {
    let content = fs::read_to_string(out.join(index)).expect("index file");
    content
        .lines()
        .skip_while(|line| *line != "resources:")
        .skip(1)
        .filter_map(|line| line.strip_prefix("- "))
        .map(str::to_owned)
        .collect()
}

#[track_caller]
fn assert_index_lists(out: &Path, names: &[&str]) {
    let folders: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let files: Vec<String> = names.iter().map(|n| format!("{n}.yaml")).collect();
    assert_eq!(index_entries(out, PLATFORM_INDEX), folders, "tenants index");
    assert_eq!(
        index_entries(out, APPLICATIONS_INDEX),
        files,
        "applications index"
    );
}

fn deployment(out: &Path, name: &str) -> String {
    fs::read_to_string(
        out.join(PREFIX)
            .join(format!("tenants/{name}/deployment-{name}.yaml")),
    )
    .expect("deployment")
}

/// Runs the built `zave` with `args`, `input` on standard input.
fn zave_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zave"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zave starts");
    child
        .stdin
        .take()
        .expect("standard input")
        .write_all(input)
        .expect("input written");
    child.wait_with_output().expect("zave runs")
}

/// Starts `zave render --profile kind --out OUT CONTRACTS...` without waiting for it.
fn spawn_render(out: &Path, contracts: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_zave"))
        .args(["render", "--profile", "kind", "--out", &path_arg(out)])
        .args(contracts.iter().map(|c| fixture(c)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("zave starts")
}

/// Whether this process runs as root: it owns `created`, which it made.
fn running_as_root(created: &Path) -> bool {
    fs::metadata(created).expect("metadata").uid() == 0
}

/// A folder outside the tree with a file and a sub-folder in it, to prove nothing reached it.
fn sentinel(dir: &Path) -> PathBuf {
    let outside = dir.join("outside");
    fs::create_dir_all(outside.join("sub")).expect("sentinel folder");
    fs::write(outside.join("secret.txt"), "do not touch\n").expect("sentinel file");
    fs::write(outside.join("sub/deployment-mia.yaml"), "# mine\n").expect("sentinel file");
    outside
}

// ---------------------------------------------------------------------------------------
// 1. A render changes only its tenants; --prune takes the others out
// ---------------------------------------------------------------------------------------

#[test]
fn rendering_one_tenant_leaves_every_other_tenant_byte_identical_and_prune_takes_them_out() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path();
    render_ok(out, &TEN, &[]);
    assert_index_lists(out, &TEN_NAMES);
    let before = snapshot(out);

    // mia alone, with an image, so that its own files do change.
    render_ok(out, &["platform/mia.yaml"], &images_for(&["mia"], 'a'));
    let after = snapshot(out);
    let changed = changed_paths(&before, &after);
    assert!(
        changed
            .iter()
            .any(|path| path.ends_with("tenants/mia/deployment-mia.yaml")),
        "mia was rendered again: {changed:#?}"
    );
    let stray: Vec<&String> = changed
        .iter()
        .filter(|path| {
            !is_tenant_path(path, "mia") && *path != PLATFORM_INDEX && *path != APPLICATIONS_INDEX
        })
        .collect();
    assert!(
        stray.is_empty(),
        "only mia's files and the two index files may change: {stray:#?}"
    );
    for name in TEN_NAMES.iter().filter(|name| **name != "mia") {
        for folder in ["platform/tenants", "tenants"] {
            assert!(
                out.join(PREFIX).join(folder).join(name).is_dir(),
                "{folder}/{name} is still there"
            );
        }
    }
    assert_index_lists(out, &TEN_NAMES);

    let pruned = render_ok(out, &["platform/mia.yaml"], &strings(&["--prune"]));
    for name in TEN_NAMES.iter().filter(|name| **name != "mia") {
        for place in [
            format!("platform/tenants/{name}"),
            format!("tenants/{name}"),
            format!("platform/argocd/applications/{name}.yaml"),
        ] {
            assert!(!out.join(PREFIX).join(&place).exists(), "{place} is pruned");
        }
    }
    assert_index_lists(out, &["mia"]);
    let stderr = text(&pruned.stderr);
    assert!(
        stderr.contains("removed:  clusters/kind/tenants/docs/deployment-docs.yaml\n")
            && stderr.contains("1 tenant in the tree"),
        "{stderr}"
    );
    assert!(deployment(out, "mia").contains(&image("mia", 'a')));
    expect_code(
        &check(out, &["platform/mia.yaml"], &[]),
        0,
        "mia is up to date",
    );
}

// ---------------------------------------------------------------------------------------
// 2. Images do not roll back
// ---------------------------------------------------------------------------------------

#[test]
fn images_given_once_are_kept_by_later_renders_without_images_and_no_w004_appears() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("repo");
    let pair = ["platform/mia.yaml", "platform/panchito.yaml"];
    let (image_a, image_b) = (image("mia", 'a'), image("panchito", 'b'));
    let given = strings(&[
        "--image",
        &format!("mia={image_a}"),
        "--image",
        &format!("panchito={image_b}"),
    ]);
    let first = render_ok(&out, &pair, &given);
    assert!(
        !text(&first.stderr).contains("W004"),
        "{}",
        text(&first.stderr)
    );
    assert!(deployment(&out, "mia").contains(&image_a));
    assert!(deployment(&out, "panchito").contains(&image_b));

    // Again with nothing given: the tree's record is used.
    let again = render_ok(&out, &pair, &[]);
    assert!(
        !text(&again.stderr).contains("W004"),
        "the image the tree records is no bootstrap image: {}",
        text(&again.stderr)
    );
    assert!(deployment(&out, "mia").contains(&image_a));
    assert!(deployment(&out, "panchito").contains(&image_b));
    expect_code(&check(&out, &pair, &[]), 0, "the check uses the record too");

    // A custom profile that differs from kind only in the ingress host: every tenant is
    // restaged, still with its image.
    let source = zave(&["profile", "show", "kind"]);
    let profile = text(&source.stdout).replace("{name}.localtest.me", "{name}.kind.test");
    assert_ne!(profile, text(&source.stdout), "the profile changed");
    let profile_file = dir.path().join("kind-custom.yaml");
    fs::write(&profile_file, profile).expect("profile file");
    let out_arg = path_arg(&out);
    let profile_arg = path_arg(&profile_file);
    let mut args = vec![
        "render".to_owned(),
        "--profile-file".to_owned(),
        profile_arg,
        "--out".to_owned(),
        out_arg,
    ];
    args.extend(pair.iter().map(|c| fixture(c)));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let switched = zave(&args);
    expect_code(&switched, 0, "render under the custom profile");
    assert!(
        !text(&switched.stderr).contains("W004"),
        "{}",
        text(&switched.stderr)
    );
    let ingress =
        fs::read_to_string(out.join(PREFIX).join("tenants/mia/ingress-mia.yaml")).expect("ingress");
    assert!(ingress.contains("mia.kind.test"), "re-rendered: {ingress}");
    assert!(deployment(&out, "mia").contains(&image_a));
    assert!(deployment(&out, "panchito").contains(&image_b));

    // W004 still appears when neither the run nor the tree gives an image.
    let fresh = render_ok(&dir.path().join("fresh"), &pair, &[]);
    assert!(text(&fresh.stderr).contains("W004"));

    // A plain --image with two contracts says nothing of whose it is.
    let plain = render(&out, &pair, &strings(&["--image", &image_a]));
    expect_code(
        &plain,
        2,
        "a plain --image with two contracts is a usage error",
    );
    assert!(deployment(&out, "mia").contains(&image_a));
}

// ---------------------------------------------------------------------------------------
// 3. Nothing escapes --out
// ---------------------------------------------------------------------------------------

#[test]
fn an_output_path_through_a_link_or_with_dot_dot_is_refused_and_nothing_outside_changes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let outside = sentinel(dir.path());
    symlink(&outside, dir.path().join("link")).expect("link to the outside");
    fs::create_dir(dir.path().join("real")).expect("real folder");
    let before = snapshot(dir.path());
    let base = path_arg(dir.path());
    for out in [
        format!("{base}/link"),
        format!("{base}/link/"),
        format!("{base}/link/."),
        format!("{base}/link/./"),
        format!("{base}/real/../outside"),
        format!("{base}/real/../real"),
    ] {
        let output = render(
            Path::new(&out),
            &["platform/mia.yaml"],
            &images_for(&["mia"], 'a'),
        );
        expect_code(&output, 2, &format!("--out {out} is refused"));
        assert_unchanged(dir.path(), &before, &format!("--out {out}"));
        let checked = check(Path::new(&out), &["platform/mia.yaml"], &[]);
        expect_code(&checked, 2, &format!("--check --out {out} is refused"));
        assert_unchanged(dir.path(), &before, &format!("--check --out {out}"));
    }
}

#[test]
fn a_link_planted_inside_the_tree_is_never_followed_and_the_tree_works_once_it_is_gone() {
    // (where the link stands, below --out; whether it points at the outside folder or file,
    // or at a name that does not exist yet; whether zave may instead succeed without it).
    let plants: [(&str, &str, bool); 9] = [
        ("clusters/kind/tenants/mia", "outside", false),
        ("clusters/kind/tenants/mia", "outside/not-yet", false),
        (
            "clusters/kind/tenants/mia/deployment-mia.yaml",
            "outside/secret.txt",
            false,
        ),
        (
            "clusters/kind/tenants/mia/deployment-mia.yaml",
            "outside/not-yet.yaml",
            false,
        ),
        ("clusters/kind/platform", "outside", false),
        ("clusters/kind/platform/tenants/mia", "outside/sub", false),
        (
            "clusters/kind/platform/argocd/applications/kustomization.yaml",
            "outside/secret.txt",
            false,
        ),
        (
            "clusters/kind/tenants/mia/.deployment-mia.yaml.zave-tmp",
            "outside/secret.txt",
            true,
        ),
        (
            "clusters/kind/tenants/mia/.deployment-mia.yaml.zave-tmp",
            "outside/not-yet.yaml",
            true,
        ),
    ];
    for (place, target, may_succeed) in plants {
        let dir = tempfile::tempdir().expect("temporary folder");
        let outside = sentinel(dir.path());
        let out = dir.path().join("repo");
        render_ok(&out, &["platform/mia.yaml"], &[]);
        let planted = out.join(place);
        if let Ok(meta) = fs::symlink_metadata(&planted) {
            if meta.is_dir() {
                fs::remove_dir_all(&planted).expect("moved away");
            } else {
                fs::remove_file(&planted).expect("moved away");
            }
        }
        symlink(dir.path().join(target), &planted).expect("planted link");
        let outside_before = snapshot(&outside);
        let tree_before = snapshot(&out);
        let what = format!("a link at {place} to {target}");

        // A render that wants to change mia's files (a new image), and a check.
        let output = render(&out, &["platform/mia.yaml"], &images_for(&["mia"], 'c'));
        let code = output.status.code();
        if may_succeed {
            assert!(
                code == Some(0) || code == Some(2),
                "{what}: refused or done, got {code:?}: {}",
                text(&output.stderr)
            );
        } else {
            expect_code(&output, 2, &format!("{what} is refused"));
            assert!(
                text(&output.stderr).contains("symbolic link"),
                "{what}: {}",
                text(&output.stderr)
            );
            assert_unchanged(&out, &tree_before, &format!("{what}: refused, the tree"));
        }
        assert_unchanged(&outside, &outside_before, &format!("{what}: the outside"));
        assert!(
            !dir.path().join("outside/not-yet").exists()
                && !dir.path().join("outside/not-yet.yaml").exists(),
            "{what}: nothing was created through the link"
        );
        if !may_succeed {
            let checked = check(&out, &["platform/mia.yaml"], &[]);
            expect_code(&checked, 2, &format!("{what}: the check refuses it too"));
            assert_unchanged(
                &outside,
                &outside_before,
                &format!("{what}: after the check"),
            );
        }

        // Once the link is gone, the tree renders again.
        if fs::symlink_metadata(&planted).is_ok() {
            fs::remove_file(&planted).expect("link removed");
        }
        render_ok(&out, &["platform/mia.yaml"], &images_for(&["mia"], 'c'));
        expect_code(
            &check(&out, &["platform/mia.yaml"], &[]),
            0,
            &format!("{what}: up to date once the link is gone"),
        );
        assert!(deployment(&out, "mia").contains(&image("mia", 'c')));
        assert_unchanged(&outside, &outside_before, &format!("{what}: in the end"));
    }
}

// ---------------------------------------------------------------------------------------
// 4. Two writers: the second waits for the first
// ---------------------------------------------------------------------------------------

#[test]
fn two_renders_started_together_on_a_new_folder_both_succeed_and_the_tree_holds_both() {
    let first = [
        "platform/mia.yaml",
        "platform/panchito.yaml",
        "valid/static-internal.yaml",
    ];
    let second = [
        "platform/oracle.yaml",
        "valid/grpc-redis.yaml",
        "valid/engine-none.yaml",
    ];
    let union: Vec<&str> = first.iter().chain(second.iter()).copied().collect();
    let names = [
        "mia",
        "panchito",
        "docs",
        "oracle",
        "ledger",
        "cache-warmer",
    ];
    for round in 0..10 {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("new/repo");
        let one = spawn_render(&out, &first);
        let two = spawn_render(&out, &second);
        for (child, set) in [(one, "first"), (two, "second")] {
            let output = child.wait_with_output().expect("zave runs");
            expect_code(&output, 0, &format!("round {round}: the {set} render"));
        }
        expect_code(
            &check(&out, &union, &[]),
            0,
            &format!("round {round}: the union is up to date"),
        );
        let mut sorted = names;
        sorted.sort_unstable();
        assert_index_lists(&out, &sorted);
        for name in names {
            let platform = out.join(PREFIX).join("platform/tenants").join(name);
            for file in ["networkpolicy-default-deny.yaml", "kustomization.yaml"] {
                assert!(
                    platform.join(file).is_file(),
                    "round {round}: platform/tenants/{name}/{file}"
                );
            }
            let workload = out.join(PREFIX).join("tenants").join(name);
            assert!(
                workload.join("kustomization.yaml").is_file(),
                "round {round}: tenants/{name}/kustomization.yaml"
            );
        }
        let leftovers: Vec<String> = snapshot(&out)
            .into_keys()
            .filter(|path| {
                path.rsplit('/')
                    .next()
                    .is_some_and(|n| n.starts_with(".zave-"))
            })
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

#[test]
fn a_render_gives_up_after_wait_seconds_while_another_holds_the_lock_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("repo");
    render_ok(&out, &["platform/mia.yaml"], &[]);
    let before = snapshot(&out);
    // `flock -o`: the lock is held by flock itself, not by the command it runs.
    let mut holder = Command::new("flock")
        .args([
            "-o",
            &path_arg(&out),
            "sh",
            "-c",
            "echo locked; exec sleep 3",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("flock (util-linux) runs");
    let mut line = String::new();
    BufReader::new(holder.stdout.take().expect("flock's output"))
        .read_line(&mut line)
        .expect("flock says it holds the lock");
    assert_eq!(line, "locked\n");

    let started = Instant::now();
    let output = render(
        &out,
        &["platform/mia.yaml"],
        &[images_for(&["mia"], 'd'), strings(&["--wait", "1"])].concat(),
    );
    let waited = started.elapsed();
    expect_code(&output, 2, "gave up waiting");
    let stderr = text(&output.stderr);
    assert!(stderr.contains("waiting for another zave run"), "{stderr}");
    assert!(stderr.contains("another zave run is using"), "{stderr}");
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_millis(2900),
        "waited about a second: {waited:?}"
    );
    assert_unchanged(&out, &before, "the tree while another run held it");

    assert!(holder.wait().expect("flock ends").success());
    render_ok(&out, &["platform/mia.yaml"], &images_for(&["mia"], 'd'));
    assert!(deployment(&out, "mia").contains(&image("mia", 'd')));
}

// ---------------------------------------------------------------------------------------
// 5. A refusal changes nothing; leftovers are reported, then cleared
// ---------------------------------------------------------------------------------------

/// Renders mia, panchito and oracle into a fresh tree; the next render (with new images)
/// would change every one of them.
fn three_tenant_tree(out: &Path) -> Vec<String> {
    render_ok(out, &THREE, &[]);
    images_for(&["mia", "panchito", "oracle"], 'e')
}

#[test]
fn a_refusal_in_the_second_tenant_leaves_the_whole_tree_byte_identical() {
    let workload = |out: &Path| out.join(PREFIX).join("tenants/panchito");
    type Spoil = fn(&Path);
    let spoilers: [(&str, Spoil); 5] = [
        ("a foreign file in panchito's workload folder", |folder| {
            fs::write(folder.join("NOTES.md"), "kept by hand\n").expect("foreign file");
        }),
        ("a folder where panchito's Deployment belongs", |folder| {
            fs::remove_file(folder.join("deployment-panchito.yaml")).expect("moved");
            fs::create_dir(folder.join("deployment-panchito.yaml")).expect("folder");
        }),
        (
            "a foreign sub-folder in panchito's workload folder",
            |folder| {
                fs::create_dir(folder.join("extra")).expect("folder");
            },
        ),
        ("a symbolic link in panchito's workload folder", |folder| {
            symlink("service-panchito.yaml", folder.join("alias.yaml")).expect("link");
        }),
        ("a hand-edited file without zave's header", |folder| {
            fs::write(folder.join("service-panchito.yaml"), "kind: Service\n").expect("edit");
        }),
    ];
    for (what, spoil) in spoilers {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path();
        let given = three_tenant_tree(out);
        spoil(&workload(out));
        let before = snapshot(out);
        let output = render(out, &THREE, &given);
        expect_code(&output, 2, &format!("{what} is refused"));
        assert_unchanged(out, &before, what);
        // Pruning panchito (while mia would change) is refused the same way.
        let mut pruning_args = images_for(&["mia"], 'e');
        pruning_args.push("--prune".to_owned());
        let pruning = render(out, &["platform/mia.yaml"], &pruning_args);
        expect_code(&pruning, 2, &format!("{what}: pruning panchito is refused"));
        assert_unchanged(out, &before, &format!("{what}, pruning"));
    }
}

#[test]
fn a_contract_error_in_the_second_of_three_leaves_the_whole_tree_byte_identical() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path();
    let given = three_tenant_tree(out);
    let before = snapshot(out);
    let spoiled = [
        "platform/mia.yaml",
        "platform/oracle-reserved-runtime.yaml",
        "platform/panchito.yaml",
    ];
    let output = render(out, &spoiled, &given[..4]);
    expect_code(&output, 1, "a contract with an error");
    assert!(text(&output.stderr).contains("error[Z201]"));
    assert_unchanged(out, &before, "a run with a contract error");
}

/// A tenant folder made unwritable for one test, made writable again when dropped (so the
/// temporary folder can go): `chmod 0500`, or as root (who ignores permissions) `chattr +i`.
enum Unwritable {
    ReadOnly(PathBuf),
    Immutable(PathBuf),
}

impl Unwritable {
    /// Makes `folder` unwritable; `None` (having said why) when that is impossible here.
    fn make(folder: &Path) -> Option<Unwritable> {
        if !running_as_root(folder) {
            fs::set_permissions(folder, fs::Permissions::from_mode(0o500)).expect("chmod 0500");
            return Some(Unwritable::ReadOnly(folder.to_path_buf()));
        }
        println!(
            "running as root, which ignores permissions: the tenant folder is made immutable \
             (chattr +i) instead of chmod 0500"
        );
        let status = Command::new("chattr").arg("+i").arg(folder).status();
        if status.is_ok_and(|status| status.success()) {
            return Some(Unwritable::Immutable(folder.to_path_buf()));
        }
        println!(
            "SKIPPED the permission case: running as root, and chattr +i is not available here \
             (no CAP_LINUX_IMMUTABLE, or a file system without the flag)"
        );
        None
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        match self {
            Unwritable::ReadOnly(folder) => {
                let _ = fs::set_permissions(folder, fs::Permissions::from_mode(0o755));
            }
            Unwritable::Immutable(folder) => {
                let _ = Command::new("chattr").arg("-i").arg(folder).status();
            }
        }
    }
}

// BUG (found by this test): an unwritable tenant folder is not found before the tree changes.
// Non-root with `chmod 0500 tenants/panchito`, the run swaps every tenant in, then fails to
// empty the swapped-out `.zave-old-…-panchito` (EACCES), exits 2 and leaves the new files in
// place plus `.zave-old-…` folders. As root with `chattr +i tenants/panchito`, the rename of
// panchito fails after the journal is written and earlier swaps were done: exit 2, the
// `.zave-journal`, `.zave-new-…`/`.zave-tmp-…` entries and a half-swapped panchito remain.
#[test]
fn an_unwritable_tenant_folder_is_refused_before_anything_in_the_tree_changes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path();
    let given = three_tenant_tree(out);
    let folder = out.join(PREFIX).join("tenants/panchito");
    let Some(_unwritable) = Unwritable::make(&folder) else {
        return;
    };
    let before = snapshot(out);
    let output = render(out, &THREE, &given);
    let after = snapshot(out);
    let changed = changed_paths(&before, &after);
    expect_code(&output, 2, "an unwritable tenant folder is refused");
    assert!(
        changed.is_empty(),
        "BUG: the refusal came after the tree changed (exit {:?}, {}); changed: {changed:#?}",
        output.status.code(),
        text(&output.stderr).lines().last().unwrap_or_default()
    );
}

#[test]
fn a_refused_run_into_a_new_folder_leaves_no_folder_behind() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("new/repo");
    // An image for a tenant no contract of the run is named: refused at the end of the run.
    let output = render(
        &out,
        &["platform/mia.yaml"],
        &strings(&["--image", &format!("ghost={}", image("ghost", 'f'))]),
    );
    expect_code(&output, 2, "an image for a tenant not in the run");
    assert!(!dir.path().join("new").exists(), "no folder is left behind");
}

#[test]
fn a_leftover_staging_folder_is_reported_by_the_check_and_cleared_by_the_next_render() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path();
    render_ok(out, &["platform/mia.yaml"], &[]);
    let scratch = format!(
        "{PREFIX}/tenants/.zave-new-{}-mia",
        "0123456789abcdef0123456789abcdef"
    );
    fs::create_dir(out.join(&scratch)).expect("leftover staging folder");
    fs::write(out.join(&scratch).join("deployment-mia.yaml"), "half").expect("short file");
    let before = snapshot(out);

    let checked = check(out, &["platform/mia.yaml"], &[]);
    expect_code(&checked, 1, "the leftover is a difference");
    assert_eq!(text(&checked.stdout), format!("leftover: {scratch}\n"));
    assert_unchanged(out, &before, "--check writes nothing");
    let differs = diff(out, &["platform/mia.yaml"], &[]);
    expect_code(&differs, 1, "diff --out agrees");

    let rendered = render_ok(out, &["platform/mia.yaml"], &[]);
    assert!(
        text(&rendered.stderr).contains(&format!("cleared:  {scratch}")),
        "{}",
        text(&rendered.stderr)
    );
    assert!(!out.join(&scratch).exists());
    expect_code(&check(out, &["platform/mia.yaml"], &[]), 0, "clean again");
}

#[test]
fn a_journal_left_by_a_crash_is_reported_then_replayed_by_the_next_render() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path();
    render_ok(out, &["platform/mia.yaml"], &[]);
    let tenants = out.join(PREFIX).join("tenants");
    // A crash after staging mia's workload and writing the journal, before the swap: the
    // staged folder holds what the contract produces, the live one a stale file.
    let hex = "00112233445566778899aabbccddeeff";
    let new = format!(".zave-new-{hex}-mia");
    let old = format!(".zave-old-{hex}-mia");
    fs::create_dir(tenants.join(&new)).expect("staged folder");
    for entry in fs::read_dir(tenants.join("mia")).expect("mia's folder") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), tenants.join(&new).join(entry.file_name())).expect("copied");
    }
    let service = tenants.join("mia/service-mia.yaml");
    let stale = format!(
        "{}# stale\n",
        fs::read_to_string(&service).expect("service")
    );
    fs::write(&service, &stale).expect("stale file");
    let staged = snapshot(&tenants.join(&new));
    let inode = std::os::unix::fs::MetadataExt::ino(
        &fs::metadata(tenants.join(&new)).expect("staged folder"),
    );
    fs::write(
        out.join(".zave-journal"),
        format!(
            "# zave journal 2: the swaps of an interrupted run\n\
             exchange\t{PREFIX}/tenants\tmia\t{new}\t{old}\t{inode}\n"
        ),
    )
    .expect("journal");
    let before = snapshot(out);

    let checked = check(out, &["platform/mia.yaml"], &[]);
    expect_code(&checked, 1, "an interrupted run is a difference");
    let listing = text(&checked.stdout);
    assert!(listing.contains("leftover: .zave-journal\n"), "{listing}");
    assert!(
        listing.contains(&format!("leftover: {PREFIX}/tenants/{new}\n")),
        "{listing}"
    );
    assert_unchanged(out, &before, "--check writes nothing");

    // A render that does not name mia finishes mia's swap.
    let rendered = render_ok(out, &["platform/panchito.yaml"], &[]);
    assert!(
        text(&rendered.stderr).contains("cleared:  .zave-journal"),
        "{}",
        text(&rendered.stderr)
    );
    assert!(
        !out.join(".zave-journal").exists(),
        "the journal is removed"
    );
    assert!(!tenants.join(&new).exists() && !tenants.join(&old).exists());
    assert_eq!(
        snapshot(&tenants.join("mia")),
        staged,
        "the swap was finished"
    );
    expect_code(
        &check(out, &["platform/mia.yaml", "platform/panchito.yaml"], &[]),
        0,
        "clean after the replay",
    );
}

// ---------------------------------------------------------------------------------------
// 6. Standard input
// ---------------------------------------------------------------------------------------

#[test]
fn a_contract_on_standard_input_renders_to_stdout_and_into_a_tree() {
    let mia = fs::read(fixture("platform/mia.yaml")).expect("mia.yaml");
    let from_file = zave(&["render", &fixture("platform/mia.yaml"), "--profile", "kind"]);
    expect_code(&from_file, 0, "render mia.yaml");
    let from_stdin = zave_with_stdin(&["render", "-", "--profile", "kind"], &mia);
    expect_code(&from_stdin, 0, "render -");
    assert!(!from_stdin.stdout.is_empty());
    assert_eq!(text(&from_stdin.stdout), text(&from_file.stdout));

    let dir = tempfile::tempdir().expect("temporary folder");
    let out = path_arg(&dir.path().join("stdin"));
    let written = zave_with_stdin(&["render", "-", "--profile", "kind", "--out", &out], &mia);
    expect_code(&written, 0, "render - --out");
    let reference = dir.path().join("file");
    render_ok(&reference, &["platform/mia.yaml"], &[]);
    assert_eq!(
        snapshot(&dir.path().join("stdin")),
        snapshot(&reference),
        "the same tree as from the file"
    );

    let panchito = fixture("platform/panchito.yaml");
    let mixed_out = path_arg(&dir.path().join("mixed"));
    let mixed = zave_with_stdin(
        &[
            "render",
            "-",
            &panchito,
            "--profile",
            "kind",
            "--out",
            &mixed_out,
        ],
        &mia,
    );
    expect_code(&mixed, 0, "- next to another contract");
    assert_index_lists(&dir.path().join("mixed"), &["mia", "panchito"]);
    let mixed_stream = zave_with_stdin(&["render", &panchito, "-", "--profile", "kind"], &mia);
    expect_code(&mixed_stream, 0, "- next to another contract, to stdout");
    let stream = text(&mixed_stream.stdout);
    assert!(stream.contains("# Source: clusters/kind/tenants/mia/deployment-mia.yaml\n"));
    assert!(stream.contains("# Source: clusters/kind/tenants/panchito/"));
}

// ---------------------------------------------------------------------------------------
// 7. One rule for "differs": render --check and diff --out agree
// ---------------------------------------------------------------------------------------

/// `render --check` and `diff --out` on the same tree and flags: their exit statuses (which
/// must agree) and the diff's output.
#[track_caller]
fn check_and_diff(out: &Path, contracts: &[&str], extra: &[String]) -> (i32, String, String) {
    let checked = check(out, contracts, extra);
    let differs = diff(out, contracts, extra);
    let (a, b) = (checked.status.code(), differs.status.code());
    assert_eq!(
        a,
        b,
        "render --check and diff --out agree\n--- check\n{}{}\n--- diff\n{}{}",
        text(&checked.stdout),
        text(&checked.stderr),
        text(&differs.stdout),
        text(&differs.stderr)
    );
    (
        a.expect("an exit status"),
        text(&checked.stdout),
        text(&differs.stdout),
    )
}

fn file_headers(unified: &str) -> Vec<&str> {
    unified
        .lines()
        .filter(|line| line.starts_with("--- ") || line.starts_with("+++ "))
        .collect()
}

#[test]
fn render_check_and_diff_out_find_the_same_differences() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path();
    let mia = ["platform/mia.yaml"];
    render_ok(out, &mia, &[]);
    let (code, listing, unified) = check_and_diff(out, &mia, &[]);
    assert_eq!((code, listing.as_str(), unified.as_str()), (0, "", ""));

    // A stale file.
    let path = format!("{PREFIX}/tenants/mia/service-mia.yaml");
    let original = fs::read_to_string(out.join(&path)).expect("service");
    fs::write(out.join(&path), format!("{original}# edited\n")).expect("stale");
    let (code, listing, unified) = check_and_diff(out, &mia, &[]);
    assert_eq!(code, 1);
    assert_eq!(listing, format!("changed:  {path}\n"));
    assert_eq!(
        file_headers(&unified),
        [
            format!("--- disk/{path}").as_str(),
            format!("+++ render/{path}").as_str()
        ],
        "{unified}"
    );
    assert!(
        unified.contains("\n@@ ") && unified.contains("\n-# edited\n"),
        "{unified}"
    );

    // A missing file.
    fs::remove_file(out.join(&path)).expect("removed");
    let (code, listing, unified) = check_and_diff(out, &mia, &[]);
    assert_eq!(code, 1);
    assert_eq!(listing, format!("added:    {path}\n"));
    assert_eq!(
        file_headers(&unified),
        ["--- /dev/null", format!("+++ render/{path}").as_str()],
        "{unified}"
    );

    // Rendered with a version and a bundle: the same flags find nothing.
    render_ok(out, &mia, &[]);
    let inputs = strings(&["--version-label", "mia=sha-1234567", "--bundle", "b1"]);
    render_ok(out, &mia, &inputs);
    assert!(deployment(out, "mia").contains("sha-1234567"));
    let (code, listing, unified) = check_and_diff(out, &mia, &inputs);
    assert_eq!((code, listing.as_str(), unified.as_str()), (0, "", ""));
    // The version is recorded in the tree; the bundle is not, so without it both differ.
    let (code, _, _) = check_and_diff(out, &mia, &strings(&["--bundle", "b1"]));
    assert_eq!(code, 0, "the recorded version is used");
    let (code, _, unified) = check_and_diff(out, &mia, &[]);
    assert_eq!(code, 1, "without the bundle the files differ");
    assert!(!unified.is_empty());

    // Pruning: both list the files --prune would take out.
    let pair = ["platform/mia.yaml", "platform/panchito.yaml"];
    render_ok(out, &pair, &inputs[2..]);
    let mut pruning = inputs.clone();
    pruning.push("--prune".to_owned());
    let (code, listing, unified) = check_and_diff(out, &mia, &pruning);
    assert_eq!(code, 1);
    let removed = format!("{PREFIX}/tenants/panchito/deployment-panchito.yaml");
    assert!(
        listing.contains(&format!("removed:  {removed}\n")),
        "{listing}"
    );
    assert!(
        unified.contains(&format!("--- disk/{removed}\n+++ /dev/null\n")),
        "{unified}"
    );
    let (code, _, _) = check_and_diff(out, &mia, &inputs);
    assert_eq!(code, 0, "without --prune panchito is not compared");

    // A leftover: both report it.
    let scratch = format!("{PREFIX}/tenants/.zave-tmp-{}-x.yaml", "f".repeat(32));
    fs::write(out.join(&scratch), "half").expect("leftover file");
    let (code, listing, unified) = check_and_diff(out, &mia, &inputs);
    assert_eq!(code, 1);
    assert_eq!(listing, format!("leftover: {scratch}\n"));
    assert_eq!(unified, format!("leftover: {scratch}\n"));
}

// ---------------------------------------------------------------------------------------
// 8. Ownership is the exact header
// ---------------------------------------------------------------------------------------

#[test]
fn only_files_with_zaves_exact_header_are_zaves() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path();
    render_ok(out, &["platform/mia.yaml", "platform/panchito.yaml"], &[]);
    let lookalike = out.join(PREFIX).join("platform/argocd/applications/x.yaml");
    let hand_written = "# Generated by zavesomething-else\napiVersion: argoproj.io/v1alpha1\n";
    fs::write(&lookalike, hand_written).expect("hand-written file");
    // A folder in the tenants' place whose kustomization is not zave's is no tenant either.
    let foreign = out.join(PREFIX).join("platform/tenants/x");
    fs::create_dir(&foreign).expect("foreign folder");
    fs::write(foreign.join("kustomization.yaml"), hand_written).expect("foreign file");

    let again = render_ok(out, &["platform/mia.yaml", "platform/panchito.yaml"], &[]);
    assert!(
        text(&again.stderr).contains("2 tenants in the tree"),
        "{}",
        text(&again.stderr)
    );
    assert_index_lists(out, &["mia", "panchito"]);

    let pruned = render_ok(out, &["platform/mia.yaml"], &strings(&["--prune"]));
    let stderr = text(&pruned.stderr);
    for line in [
        "removed:  clusters/kind/tenants/panchito/deployment-panchito.yaml\n",
        "removed:  clusters/kind/platform/tenants/panchito/kustomization.yaml\n",
        "removed:  clusters/kind/platform/argocd/applications/panchito.yaml\n",
    ] {
        assert!(stderr.contains(line), "pruning is reported: {stderr}");
    }
    assert!(stderr.contains("1 tenant in the tree"), "{stderr}");
    assert_eq!(fs::read_to_string(&lookalike).expect("kept"), hand_written);
    assert_eq!(
        fs::read_to_string(foreign.join("kustomization.yaml")).expect("kept"),
        hand_written
    );
    assert_index_lists(out, &["mia"]);

    // A hand-written file where zave must write: refused, left as it is.
    let application = out
        .join(PREFIX)
        .join("platform/argocd/applications/mia.yaml");
    fs::write(&application, hand_written).expect("hand-written application");
    let before = snapshot(out);
    let refused = render(out, &["platform/mia.yaml"], &images_for(&["mia"], 'a'));
    expect_code(&refused, 2, "a hand-written file where zave must write");
    assert!(
        text(&refused.stderr)
            .contains("platform/argocd/applications/mia.yaml was not generated by zave"),
        "{}",
        text(&refused.stderr)
    );
    assert_unchanged(out, &before, "the refused render");
}

// ---------------------------------------------------------------------------------------
// 9. One tree however the contracts are split
// ---------------------------------------------------------------------------------------

#[test]
fn rendering_two_contracts_together_or_one_after_the_other_writes_the_same_bytes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let together = dir.path().join("together");
    let apart = dir.path().join("apart");
    let single = dir.path().join("single");
    render_ok(
        &together,
        &["platform/mia.yaml", "platform/panchito.yaml"],
        &[],
    );
    render_ok(&apart, &["platform/mia.yaml"], &[]);
    render_ok(&apart, &["platform/panchito.yaml"], &[]);
    let (a, b) = (snapshot(&together), snapshot(&apart));
    assert_eq!(changed_paths(&a, &b), Vec::<String>::new());
    assert!(a.contains_key(PLATFORM_INDEX) && a.contains_key(APPLICATIONS_INDEX));

    render_ok(&single, &["platform/mia.yaml"], &[]);
    assert_index_lists(&single, &["mia"]);
    let index = fs::read_to_string(single.join(PLATFORM_INDEX)).expect("index");
    assert!(index.starts_with("# Generated by zave "), "{index}");
}
