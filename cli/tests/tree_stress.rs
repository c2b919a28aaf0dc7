//! Stress tests of the tree writer through the `zave` binary: a property over partial renders,
//! concurrent writers on one tree, and renders killed (SIGKILL) at random moments. Each test
//! checks the promises of `tree/src/run.rs` and `tree/src/journal.rs` on whole-tree snapshots.
//!
//! The trees live on `/dev/shm` when there is one: the crash test writes 13,000 files per run,
//! which a disk-backed file system may take tens of seconds to delete.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::ops::Bound;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};

use common::{text, zave};
use zave::index::{Half, Shard};
use zave::tree::TenantPlaces;

/// The profile's path prefix and the two folders that hold the tenants' own folders.
const PREFIX: &str = "clusters/kind";
const PLATFORM: &str = "clusters/kind/platform/tenants";
const WORKLOAD: &str = "clusters/kind/tenants";
/// The folder of the index's root and shard objects.
const FLUX: &str = "clusters/kind/platform/flux";
/// How many places a tenant has: two folders, its Application and its Flux Kustomization.
const PLACES: usize = 4;
const JOURNAL: &str = ".zave-journal";

/// A whole tree: each file by relative path with its bytes; each folder as `path/`, empty.
type Snapshot = BTreeMap<String, Vec<u8>>;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A small deterministic PRNG (SplitMix64), seeded per round or iteration.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        let span = u64::try_from(high - low + 1).expect("small span");
        low + usize::try_from(self.next() % span).expect("small value")
    }

    /// A sorted subset of `0..n` with a size in `low..=high`.
    fn subset(&mut self, n: usize, low: usize, high: usize) -> Vec<usize> {
        let size = self.between(low, high.min(n));
        let mut pool: Vec<usize> = (0..n).collect();
        for i in 0..size {
            let j = self.between(i, n - 1);
            pool.swap(i, j);
        }
        let mut chosen = pool[..size].to_vec();
        chosen.sort_unstable();
        chosen
    }
}

/// A folder for trees: on `/dev/shm` when it exists (a memory file system), else the usual
/// temporary folder.
fn scratch_dir() -> tempfile::TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix("zave-stress-");
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = builder.tempdir_in(shm) {
            return dir;
        }
    }
    builder.tempdir().expect("temporary folder")
}

/// One usable fixture contract: its tenant name and file.
#[derive(Debug, Clone)]
struct Fixture {
    name: String,
    path: String,
}

/// The fixtures of `valid/` and `platform/` that `zave validate --profile kind` accepts, one
/// per tenant name (the first in path order), sorted by path.
fn fixtures() -> &'static [Fixture] {
    static FIXTURES: OnceLock<Vec<Fixture>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/contracts");
        let mut paths = Vec::new();
        for folder in ["valid", "platform"] {
            for entry in fs::read_dir(root.join(folder)).expect("fixture folder") {
                let path = entry.expect("fixture entry").path();
                if path.extension().is_some_and(|ext| ext == "yaml") {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        let mut seen = BTreeSet::new();
        let mut fixtures = Vec::new();
        for path in paths {
            let path = path.to_string_lossy().into_owned();
            let validated = zave(&["validate", "--profile", "kind", &path]);
            if validated.status.code() != Some(0) {
                continue;
            }
            let document: serde_yaml::Value =
                serde_yaml::from_slice(&fs::read(&path).expect("fixture")).expect("YAML");
            let name = document["metadata"]["name"]
                .as_str()
                .expect("metadata.name")
                .to_owned();
            if seen.insert(name.clone()) {
                fixtures.push(Fixture { name, path });
            }
        }
        assert!(
            fixtures.len() >= 8,
            "too few usable fixtures: {}",
            fixtures.len()
        );
        fixtures
    })
}

/// The arguments of `zave render CONTRACTS --profile kind --out OUT EXTRA`.
fn render_args<'a>(out: &'a Path, contracts: &'a [String], extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["render"];
    args.extend(contracts.iter().map(String::as_str));
    args.extend(["--profile", "kind", "--out"]);
    args.push(out.to_str().expect("UTF-8 path"));
    args.extend(extra);
    args
}

fn render(out: &Path, contracts: &[String], extra: &[&str]) -> Output {
    zave(&render_args(out, contracts, extra))
}

fn render_ok(out: &Path, contracts: &[String], extra: &[&str]) {
    let output = render(out, contracts, extra);
    assert_eq!(
        output.status.code(),
        Some(0),
        "zave render {extra:?} into {} failed:\n{}",
        out.display(),
        text(&output.stderr)
    );
}

/// `zave render --check`; the output, for its status and listing.
fn check(out: &Path, contracts: &[String], extra: &[&str]) -> Output {
    let mut extra = extra.to_vec();
    extra.push("--check");
    render(out, contracts, &extra)
}

fn check_ok(out: &Path, contracts: &[String], extra: &[&str]) {
    let output = check(out, contracts, extra);
    assert_eq!(
        output.status.code(),
        Some(0),
        "zave render --check {extra:?} on {} found differences:\n{}{}",
        out.display(),
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// Spawns `zave render` with standard error to `log` (never a pipe nobody reads).
fn spawn_render(out: &Path, contracts: &[String], extra: &[&str], log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_zave"))
        .args(render_args(out, contracts, extra))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(log).expect("log file"))
        .spawn()
        .expect("zave starts")
}

/// The whole tree under `root` (empty when it does not exist).
fn snapshot(root: &Path) -> Snapshot {
    fn walk(dir: &Path, relative: &str, into: &mut Snapshot) {
        for entry in fs::read_dir(dir).expect("readable folder") {
            let entry = entry.expect("folder entry");
            let name = entry.file_name().into_string().expect("UTF-8 name");
            let path = if relative.is_empty() {
                name
            } else {
                format!("{relative}/{name}")
            };
            let kind = entry.file_type().expect("file type");
            if kind.is_dir() {
                into.insert(format!("{path}/"), Vec::new());
                walk(&entry.path(), &path, into);
            } else if kind.is_file() {
                into.insert(path, fs::read(entry.path()).expect("readable file"));
            } else {
                panic!("{path} is neither a file nor a folder: zave writes only those");
            }
        }
    }
    let mut snapshot = Snapshot::new();
    if root.exists() {
        walk(root, "", &mut snapshot);
    }
    snapshot
}

/// Whether a snapshot path is (inside) a scratch entry or the journal.
fn is_scratch_path(path: &str) -> bool {
    path.split('/').any(|part| part.starts_with(".zave-"))
}

/// Every scratch entry (or the journal) in a snapshot: the outermost path of each.
fn scratch_entries(snapshot: &Snapshot) -> Vec<String> {
    let mut found = BTreeSet::new();
    for path in snapshot.keys() {
        let mut parts = Vec::new();
        for part in path.trim_end_matches('/').split('/') {
            parts.push(part);
            if part.starts_with(".zave-") {
                found.insert(parts.join("/"));
                break;
            }
        }
    }
    found.into_iter().collect()
}

/// The first few differences between two snapshots, for a failure message.
fn describe_difference(actual: &Snapshot, expected: &Snapshot) -> String {
    let mut lines = Vec::new();
    for (path, bytes) in actual {
        match expected.get(path) {
            None => lines.push(format!("unexpected: {path}")),
            Some(other) if other != bytes => lines.push(format!("different: {path}")),
            Some(_) => {}
        }
    }
    for path in expected.keys() {
        if !actual.contains_key(path) {
            lines.push(format!("missing:    {path}"));
        }
    }
    let total = lines.len();
    lines.truncate(20);
    format!("{total} paths differ, first ones:\n{}", lines.join("\n"))
}

fn assert_same_tree(actual: &Snapshot, expected: &Snapshot, what: &str) {
    assert!(
        actual == expected,
        "{what}: {}",
        describe_difference(actual, expected)
    );
}

/// A tenant's four places: 0 the platform folder, 1 the workload folder, 2 the Application,
/// 3 the Flux Kustomization. Each place as the paths it holds (the folder itself included)
/// and their bytes.
fn place<'a>(snapshot: &'a Snapshot, tenant: &str, which: usize) -> BTreeMap<&'a str, &'a [u8]> {
    let places = TenantPlaces::of(PREFIX, tenant);
    let (prefix, exact) = match which {
        0 => (format!("{PLATFORM}/{tenant}/"), false),
        1 => (format!("{WORKLOAD}/{tenant}/"), false),
        2 => (places.application, true),
        _ => (places.flux, true),
    };
    with_prefix(snapshot, &prefix)
        .filter(|(path, _)| !exact || path.len() == prefix.len())
        .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
        .collect()
}

/// The entries of a snapshot whose path starts with `prefix`.
fn with_prefix<'a>(
    snapshot: &'a Snapshot,
    prefix: &str,
) -> impl Iterator<Item = (&'a String, &'a Vec<u8>)> {
    snapshot
        .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
        .take_while(move |(path, _)| path.starts_with(prefix))
}

/// The tenant a snapshot path belongs to, if it is one of a tenant's places.
fn tenant_of(path: &str) -> Option<&str> {
    for folder in [PLATFORM, WORKLOAD] {
        if let Some(rest) = path.strip_prefix(folder).and_then(|r| r.strip_prefix('/')) {
            if let Some((tenant, _)) = rest.split_once('/') {
                return Some(tenant);
            }
        }
    }
    let (folder, file) = path.rsplit_once('/')?;
    is_shard_folder(folder)
        .then(|| file.strip_suffix(".yaml"))
        .flatten()
        .filter(|tenant| *tenant != "kustomization")
}

/// Whether `folder` is one of the index's shard folders, which hold tenants' files.
fn is_shard_folder(folder: &str) -> bool {
    Half::ALL
        .iter()
        .any(|half| Shard::all().any(|shard| half.shard_dir(PREFIX, shard) == folder))
}

/// Whether `path` is a file of the index: the root, a shard object, or a shard's index.
fn is_index(path: &str) -> bool {
    let Some((folder, file)) = path.rsplit_once('/') else {
        return false;
    };
    folder == FLUX || (is_shard_folder(folder) && file == "kustomization.yaml")
}

/// The `resources` of an index kustomization in a tree.
fn index_resources(root: &Path, index: &str) -> Vec<String> {
    let bytes = fs::read(root.join(index)).expect("index kustomization");
    let document: serde_yaml::Value = serde_yaml::from_slice(&bytes).expect("YAML index");
    document["resources"]
        .as_sequence()
        .expect("resources list")
        .iter()
        .map(|item| item.as_str().expect("resource name").to_owned())
        .collect()
}

/// Asserts the shard indexes of both halves list exactly `names`, each in its own shard.
fn assert_index_lists(root: &Path, names: &BTreeSet<String>) {
    for half in Half::ALL {
        for shard in Shard::all() {
            let index = format!("{}/kustomization.yaml", half.shard_dir(PREFIX, shard));
            let mut listed = index_resources(root, &index);
            listed.sort();
            let expected: Vec<String> = names
                .iter()
                .filter(|name| Shard::of(name) == shard)
                .map(|name| format!("{name}.yaml"))
                .collect();
            assert_eq!(listed, expected, "{index}");
        }
    }
}

fn paths_of(fixtures: &[Fixture], chosen: &[usize]) -> Vec<String> {
    chosen.iter().map(|&i| fixtures[i].path.clone()).collect()
}

fn names_of(fixtures: &[Fixture], chosen: &[usize]) -> BTreeSet<String> {
    chosen.iter().map(|&i| fixtures[i].name.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// 1. A render of some tenants changes only those tenants and the index.

/// One case: render S into a fresh tree, then R ⊆ S (with the same inputs, or with another
/// bundle when `rebundle`).
fn partial_render_case(s: &[usize], r: &[usize], rebundle: bool) {
    let all = fixtures();
    let dir = scratch_dir();
    let tree = dir.path().join("tree");
    let s_paths = paths_of(all, s);
    let r_paths = paths_of(all, r);
    let r_extra: &[&str] = if rebundle { &["--bundle", "next"] } else { &[] };

    render_ok(&tree, &s_paths, &[]);
    let before = snapshot(&tree);
    render_ok(&tree, &r_paths, r_extra);
    let after = snapshot(&tree);

    let alone_tree = dir.path().join("alone");
    render_ok(&alone_tree, &r_paths, r_extra);
    let alone = snapshot(&alone_tree);

    let s_names = names_of(all, s);
    let r_names = names_of(all, r);
    for tenant in s_names.difference(&r_names) {
        for which in 0..PLACES {
            let now = place(&after, tenant, which);
            assert!(!now.is_empty(), "{tenant}: place {which} is gone");
            assert_eq!(
                now,
                place(&before, tenant, which),
                "{tenant} (not rendered the second time): place {which} changed"
            );
        }
    }
    for tenant in &r_names {
        for which in 0..PLACES {
            let now = place(&after, tenant, which);
            assert!(!now.is_empty(), "{tenant}: place {which} is missing");
            assert_eq!(
                now,
                place(&alone, tenant, which),
                "{tenant}: place {which} is not what rendering R alone writes"
            );
        }
    }
    // Nothing but the tenants of S and the two indexes: no stray or scratch entry.
    for path in after.keys() {
        if path.ends_with('/') || is_index(path) {
            assert!(!is_scratch_path(path), "scratch entry left: {path}");
            continue;
        }
        let tenant = tenant_of(path).unwrap_or_else(|| panic!("stray path {path}"));
        assert!(s_names.contains(tenant), "{path} belongs to no tenant of S");
    }
    let union: BTreeSet<String> = s_names.union(&r_names).cloned().collect();
    assert_index_lists(&tree, &union);

    if rebundle {
        // R's tenants now carry the other bundle: each part of the tree checks against the
        // contracts and inputs that produced it, and a check of S with the first inputs lists
        // exactly the files of R's tenants.
        check_ok(&tree, &r_paths, r_extra);
        let rest: Vec<usize> = s.iter().copied().filter(|i| !r.contains(i)).collect();
        if !rest.is_empty() {
            check_ok(&tree, &paths_of(all, &rest), &[]);
        }
        let output = check(&tree, &s_paths, &[]);
        assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
        let listing = text(&output.stdout);
        assert!(!listing.is_empty(), "the check lists the changed files");
        for line in listing.lines() {
            let path = line.split_whitespace().nth(1).expect("`change: path` line");
            let tenant = tenant_of(path).unwrap_or_else(|| panic!("unexpected line {line:?}"));
            assert!(r_names.contains(tenant), "{line:?} is not a file of R");
        }
    } else {
        // The same inputs again: the second render is a no-op on the whole tree.
        assert_same_tree(
            &after,
            &before,
            "rendering R ⊆ S again with the same inputs",
        );
        check_ok(&tree, &s_paths, &[]);
    }
}

#[test]
fn rendering_some_tenants_changes_only_them_and_the_index() {
    let started = Instant::now();
    let n = fixtures().len();
    let strategy = proptest::sample::subsequence((0..n).collect::<Vec<usize>>(), 1..=n)
        .prop_flat_map(|s| {
            let len = s.len();
            (
                Just(s.clone()),
                proptest::sample::subsequence(s, 1..=len),
                any::<bool>(),
            )
        });
    let config = ProptestConfig {
        cases: 20,
        max_shrink_iters: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |(s, r, rebundle)| {
        partial_render_case(&s, &r, rebundle);
        Ok(())
    });
    if let Err(error) = result {
        let all = fixtures();
        panic!("{error}\n(S and R are indexes into {all:#?})");
    }
    eprintln!(
        "partial renders: 20 cases over {n} fixtures in {:.1?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// 2. Concurrent writers on one tree.

#[test]
fn concurrent_renders_end_as_one_serial_outcome() {
    let started = Instant::now();
    let all = fixtures();
    let n = all.len();
    let mut waited = 0;
    for round in 0..10u64 {
        let prerendered = round >= 5;
        let mut rng = Rng::new(0x5eed_0000 + round);
        let dir = scratch_dir();
        let tree = dir.path().join("tree");
        let expected_tree = dir.path().join("expected");
        // On a pre-rendered tree, some tenants are there already with another bundle: the
        // concurrent renders replace those they name and leave the others.
        let mut present = Vec::new();
        if prerendered {
            present = rng.subset(n, 4, 10);
            let paths = paths_of(all, &present);
            render_ok(&tree, &paths, &["--bundle", "pre"]);
            render_ok(&expected_tree, &paths, &["--bundle", "pre"]);
        }
        let sets: Vec<Vec<usize>> = (0..8).map(|_| rng.subset(n, 2, 8)).collect();
        let mut children = Vec::new();
        for (i, set) in sets.iter().enumerate() {
            let log = dir.path().join(format!("render-{i}.log"));
            let child = spawn_render(&tree, &paths_of(all, set), &[], &log);
            children.push((child, log));
        }
        for (mut child, log) in children {
            let status = child.wait().expect("zave ends");
            let stderr = fs::read_to_string(&log).expect("log");
            assert!(
                status.success(),
                "round {round}: a concurrent render failed ({status}):\n{stderr}"
            );
            if stderr.contains("waiting for another zave run") {
                waited += 1;
            }
        }
        let union: BTreeSet<usize> = sets.iter().flatten().copied().collect();
        let union: Vec<usize> = union.into_iter().collect();
        let union_paths = paths_of(all, &union);
        render_ok(&expected_tree, &union_paths, &[]);
        let actual = snapshot(&tree);
        assert_same_tree(
            &actual,
            &snapshot(&expected_tree),
            &format!(
                "round {round} (pre-rendered: {prerendered}): 8 concurrent renders of {sets:?}"
            ),
        );
        check_ok(&tree, &union_paths, &[]);
        let scratch = scratch_entries(&actual);
        assert!(scratch.is_empty(), "round {round}: left {scratch:?}");
        let mut listed = names_of(all, &union);
        listed.extend(names_of(all, &present));
        assert_index_lists(&tree, &listed);
    }
    eprintln!(
        "concurrent renders: 10 rounds of 8 processes in {:.1?}; {waited} of 80 processes \
         waited for the lock",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Renders killed at random moments.

/// Where a kill landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// No journal, every tenant still the old version (rendering, comparing, staging).
    BeforeSwaps,
    /// The journal exists: swaps under way.
    DuringSwaps,
    /// No journal, every tenant the new version (removing what was swapped out).
    AfterSwaps,
    /// The render ended before the kill.
    Finished,
}

/// How one of a tenant's places compares with the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Old,
    New,
    /// Old and new are the same bytes: either.
    Either,
}

/// A swap or drop line of a journal: folder, live, new (swaps only), old.
#[derive(Debug)]
struct Step {
    folder: String,
    live: String,
    new: Option<String>,
}

fn read_journal(tree: &Path) -> Option<Vec<Step>> {
    let text = match fs::read_to_string(tree.join(JOURNAL)) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
        Err(error) => panic!("unreadable journal: {error}"),
    };
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.starts_with("# zave journal"),
        "not a journal: {first:?}"
    );
    let steps = lines
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["exchange", folder, live, new, ..] | ["replace", folder, live, new] => Step {
                    folder: (*folder).to_owned(),
                    live: (*live).to_owned(),
                    new: Some((*new).to_owned()),
                },
                ["drop", folder, live, _old] => Step {
                    folder: (*folder).to_owned(),
                    live: (*live).to_owned(),
                    new: None,
                },
                _ => panic!("unreadable journal line {line:?}"),
            }
        })
        .collect();
    Some(steps)
}

/// The folder and entry name of a tenant's place.
fn place_entry(tenant: &str, which: usize) -> (String, String) {
    let places = TenantPlaces::of(PREFIX, tenant);
    let file = |path: String| {
        let (folder, name) = path.rsplit_once('/').expect("a file in a folder");
        (folder.to_owned(), name.to_owned())
    };
    match which {
        0 => (PLATFORM.to_owned(), tenant.to_owned()),
        1 => (WORKLOAD.to_owned(), tenant.to_owned()),
        2 => file(places.application),
        _ => file(places.flux),
    }
}

/// What a tree looked like right after a kill.
struct Inspection {
    phase: Phase,
    /// The scratch entries (and journal) left, outermost paths.
    scratch: Vec<String>,
    /// Places holding the new version (where it differs from the old).
    new_places: usize,
}

/// Kills `child` (SIGKILL; a no-op when it ended already) and tells whether it had finished
/// successfully by itself.
fn kill(mut child: Child, log: &Path) -> bool {
    let _ = child.kill();
    let status = child.wait().expect("zave ends");
    killed_or_done(status, log)
}

/// Sleeps until `delay` after `begun`.
fn sleep_until(begun: Instant, delay: Duration) {
    std::thread::sleep(delay.saturating_sub(begun.elapsed()));
}

/// Inspects a tree right after a kill of a render from `old` to `new`; asserts every tenant
/// place is wholly one version (never absent: a swap is one exchange), a tenant mixes versions
/// only when the journal lists it, and without a journal the tenants are all old or all new.
fn inspect_after_kill(
    tree: &Path,
    tenants: &[String],
    old: &Snapshot,
    new: &Snapshot,
) -> Inspection {
    let now = snapshot(tree);
    let journal = read_journal(tree);
    // Journal-listed places, with the staged name of each swap.
    let mut listed: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    let mut listed_tenants = BTreeSet::new();
    if let Some(steps) = &journal {
        for step in steps {
            let key = (step.folder.clone(), step.live.clone());
            let tenant = match step.folder.as_str() {
                PLATFORM | WORKLOAD => Some(step.live.as_str()),
                FLUX => None,
                shard if is_shard_folder(shard) => step.live.strip_suffix(".yaml"),
                other => panic!("a journal step in an unexpected folder {other}"),
            };
            if let Some(tenant) = tenant.filter(|t| !t.starts_with("kustomization")) {
                listed_tenants.insert(tenant.to_owned());
            }
            listed.insert(key, step.new.clone());
        }
    }
    // Nothing in the tree but the versions' paths and scratch entries.
    for path in now.keys() {
        assert!(
            is_scratch_path(path) || old.contains_key(path) || new.contains_key(path),
            "after the kill, {path} belongs to neither version"
        );
    }
    let indexes = old.keys().chain(new.keys()).filter(|path| is_index(path));
    for index in indexes {
        let bytes = now.get(index).map(Vec::as_slice);
        assert!(
            bytes == old.get(index).map(Vec::as_slice)
                || bytes == new.get(index).map(Vec::as_slice),
            "after the kill, {index} is neither version"
        );
    }
    let mut new_places = 0;
    let (mut any_old, mut any_new) = (false, false);
    for tenant in tenants {
        let mut states = [State::Either; PLACES];
        for (which, state) in states.iter_mut().enumerate() {
            let current = place(&now, tenant, which);
            let before = place(old, tenant, which);
            let after = place(new, tenant, which);
            *state = if before == after && current == before {
                State::Either
            } else if current == before {
                State::Old
            } else if current == after {
                State::New
            } else if current.is_empty() {
                // A swap exchanges the staged version with the live one in one rename: a
                // place is never absent, even while the journal lists it.
                panic!(
                    "after the kill, place {which} of {tenant} is absent (journal present: {}, \
                     lists it: {})",
                    journal.is_some(),
                    listed.contains_key(&(
                        place_entry(tenant, which).0,
                        place_entry(tenant, which).1
                    ))
                );
            } else {
                let differing: Vec<&str> = current
                    .keys()
                    .chain(before.keys())
                    .filter(|path| current.get(*path) != before.get(*path))
                    .take(5)
                    .copied()
                    .collect();
                panic!(
                    "after the kill, place {which} of {tenant} is neither wholly old nor wholly \
                     new (differs from old at {differing:?})"
                );
            };
        }
        new_places += states.iter().filter(|state| **state == State::New).count();
        let has_old = states.contains(&State::Old);
        let has_new = states.contains(&State::New);
        let in_transition = has_old && has_new;
        if in_transition {
            assert!(
                journal.is_some() && listed_tenants.contains(tenant),
                "after the kill, {tenant} mixes versions {states:?} and the journal (present: \
                 {}) does not list it",
                journal.is_some()
            );
        }
        any_old |= has_old;
        any_new |= has_new;
    }
    let phase = if journal.is_some() {
        Phase::DuringSwaps
    } else {
        // Without a journal no swap is under way: all tenants old, or all new.
        assert!(
            !(any_old && any_new),
            "no journal, yet some tenants are old and others new"
        );
        if any_new {
            Phase::AfterSwaps
        } else {
            Phase::BeforeSwaps
        }
    };
    Inspection {
        phase,
        scratch: scratch_entries(&now),
        new_places,
    }
}

/// Polls for the journal until it appears (true) or the render ends (false).
fn wait_for_journal(tree: &Path, child: &mut Child) -> bool {
    let journal = tree.join(JOURNAL);
    loop {
        if journal.symlink_metadata().is_ok() {
            return true;
        }
        if child.try_wait().expect("child status").is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Asserts a killed render ended by the kill or by itself, successfully.
fn killed_or_done(status: ExitStatus, log: &Path) -> bool {
    if status.success() {
        return true;
    }
    assert_eq!(
        status.signal(),
        Some(9),
        "the render failed by itself ({status}):\n{}",
        fs::read_to_string(log).unwrap_or_default()
    );
    false
}

#[test]
fn a_killed_render_leaves_each_tenant_old_or_new_and_the_next_run_finishes() {
    let started = Instant::now();
    let dir = scratch_dir();
    let contracts_dir = dir.path().join("contracts");
    fs::create_dir(&contracts_dir).expect("contracts folder");
    let tenants: Vec<String> = (0..1000).map(|i| format!("t{i:04}")).collect();
    let contracts: Vec<String> = tenants
        .iter()
        .map(|name| {
            let path = contracts_dir.join(format!("{name}.yaml"));
            let contract = format!(
                "apiVersion: zave.io/v1\nkind: Workload\nmetadata:\n  name: {name}\nspec:\n  \
                 runtime: container\n  exposure: internal-http\n  delivery: rolling\n  \
                 resources:\n    tier: small\n"
            );
            fs::write(&path, contract).expect("contract written");
            path.to_string_lossy().into_owned()
        })
        .collect();
    let tree = dir.path().join("tree");
    let log = dir.path().join("render.log");
    let bundles = ["old", "new"];

    // The two versions, each rendered whole into a fresh tree.
    render_ok(&tree, &contracts, &["--bundle", "old"]);
    let fresh = dir.path().join("fresh");
    render_ok(&fresh, &contracts, &["--bundle", "new"]);
    let versions = [snapshot(&tree), snapshot(&fresh)];
    fs::remove_dir_all(&fresh).expect("fresh tree removed");
    assert!(versions[0].len() > 13_000, "{} paths", versions[0].len());

    // One whole run from old to new, timed, with the moment the journal exists.
    let begun = Instant::now();
    let mut child = spawn_render(&tree, &contracts, &["--bundle", "new"], &log);
    let journal_path = tree.join(JOURNAL);
    let (mut seen, mut gone) = (None, None);
    while child.try_wait().expect("child status").is_none() {
        let exists = journal_path.symlink_metadata().is_ok();
        match (exists, seen, gone) {
            (true, None, _) => seen = Some(begun.elapsed()),
            (false, Some(_), None) => gone = Some(begun.elapsed()),
            _ => {}
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let duration = begun.elapsed();
    assert!(child.wait().expect("zave ends").success());
    let window = match (seen, gone) {
        (Some(seen), Some(gone)) => gone - seen,
        (Some(seen), None) => duration - seen,
        _ => Duration::ZERO,
    };
    eprintln!(
        "crash test: setup {:.1?}; one run old → new takes {duration:.1?}, the journal exists \
         from {seen:.1?} for {window:.1?}",
        started.elapsed()
    );
    assert_same_tree(&snapshot(&tree), &versions[1], "the measured run");

    // Each iteration kills a render from the current version to the other one, checks the
    // tree, and lets the next render finish; the next iteration goes back (so the finishing
    // render is also the restore of the starting state).
    let mut current = 1;
    let mut phases: BTreeMap<Phase, usize> = BTreeMap::new();
    let mut replay_phases: BTreeMap<Phase, usize> = BTreeMap::new();
    let mut leftovers_checked = false;
    for iteration in 0..10u64 {
        let target = 1 - current;
        let (from, to) = (&versions[current], &versions[target]);
        let bundle = ["--bundle", bundles[target]];
        let mut rng = Rng::new(0xc4a5_0000 + iteration);
        // Of five kills: two at a uniform moment of the measured run, one late in it (70-95%),
        // two while the journal exists (found by polling for it: the swaps take a few tens of
        // milliseconds of a run of seconds, which uniform delays would almost never hit).
        let begun = Instant::now();
        let mut child = spawn_render(&tree, &contracts, &bundle, &log);
        match iteration % 5 {
            0 | 1 => sleep_until(begun, duration.mul_f64(rng.unit())),
            2 => sleep_until(begun, duration.mul_f64(0.7 + 0.25 * rng.unit())),
            _ => {
                if wait_for_journal(&tree, &mut child) {
                    std::thread::sleep(window.mul_f64(0.5 * rng.unit()));
                }
            }
        }
        let delay = begun.elapsed();
        let finished = kill(child, &log);
        let seen = inspect_after_kill(&tree, &tenants, from, to);
        let phase = if finished {
            assert_eq!(
                seen.phase,
                Phase::AfterSwaps,
                "a finished run leaves no journal"
            );
            assert!(
                seen.scratch.is_empty(),
                "a finished run left {:?}",
                seen.scratch
            );
            Phase::Finished
        } else {
            seen.phase
        };
        *phases.entry(phase).or_default() += 1;
        eprintln!(
            "crash test: iteration {iteration} ({} → {}), kill after {delay:.2?}: {phase:?}, \
             {} of 3000 places new, {} scratch entries left",
            bundles[current],
            bundles[target],
            seen.new_places,
            seen.scratch.len(),
        );

        // The first time the journal is left: a check lists it and every scratch entry (staged
        // `new`, swapped-out `old`) as a leftover, and exits 1.
        if phase == Phase::DuringSwaps && !leftovers_checked {
            leftovers_checked = true;
            let output = check(&tree, &contracts, &bundle);
            assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
            let listing = text(&output.stdout);
            let listed: BTreeSet<&str> = listing.lines().collect();
            for entry in &seen.scratch {
                let line = format!("leftover: {entry}");
                assert!(
                    listed.contains(line.as_str()),
                    "the check does not list {line:?}"
                );
            }
        }

        // Killed while the journal existed: the next render replays it first; kill that one
        // too, early, while it may still be replaying. A replay is idempotent, so the tree must
        // still satisfy the same rule.
        if phase == Phase::DuringSwaps {
            let begun = Instant::now();
            let child = spawn_render(&tree, &contracts, &bundle, &log);
            sleep_until(
                begun,
                (window + Duration::from_millis(30)).mul_f64(rng.unit()),
            );
            let delay = begun.elapsed();
            let finished = kill(child, &log);
            let again = inspect_after_kill(&tree, &tenants, from, to);
            let replay_phase = if finished {
                Phase::Finished
            } else {
                again.phase
            };
            assert_ne!(
                replay_phase,
                Phase::BeforeSwaps,
                "after a replay began, tenants went back to the old version"
            );
            *replay_phases.entry(replay_phase).or_default() += 1;
            eprintln!(
                "crash test:   the replaying render killed after {delay:.2?}: {replay_phase:?}, \
                 {} of 3000 places new",
                again.new_places
            );
            assert!(
                again.new_places >= seen.new_places,
                "the replay swapped places back"
            );
        }

        // The next run replays any journal, clears the scratch entries, and finishes.
        let output = render(&tree, &contracts, &bundle);
        assert_eq!(
            output.status.code(),
            Some(0),
            "iteration {iteration}: the render after the kill failed:\n{}",
            text(&output.stderr)
        );
        check_ok(&tree, &contracts, &bundle);
        let after = snapshot(&tree);
        let scratch = scratch_entries(&after);
        assert!(
            scratch.is_empty(),
            "iteration {iteration}: left {scratch:?}"
        );
        assert_same_tree(
            &after,
            to,
            &format!("iteration {iteration}: the tree after the recovering render"),
        );
        current = target;
    }
    eprintln!(
        "crash test: kills by phase {phases:?}; kills of the replaying render {replay_phases:?}; \
         {:.1?} in all",
        started.elapsed()
    );
    assert!(
        phases.get(&Phase::DuringSwaps).copied().unwrap_or(0) > 0,
        "no kill landed while the journal existed: the swap phase went untested"
    );
}
