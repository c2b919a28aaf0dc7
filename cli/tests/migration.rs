//! Upgrading a live tree from the layout before shards (one Flux Kustomization over
//! `platform/tenants`, every tenant folder in one build) to the sharded index, proved against a
//! model of Flux's kustomize-controller: under any order of reconciles, no tenant namespace is
//! ever pruned, and the same model does prune one when the old root is simply repointed.
//!
//! The model keeps what decides a prune in kustomize-controller: a reconcile builds its path,
//! applies every object (labelling it with its own name), then deletes the objects of its last
//! inventory it no longer builds, skipping those labelled by another Kustomization or
//! annotated `kustomize.toolkit.fluxcd.io/prune: disabled`; deleting a Kustomization that is
//! not suspended deletes its inventory the same way; deleting a namespace deletes its objects.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_yaml::Value;

use common::{fixture, text, zave};

const PREFIX: &str = "clusters/kind";
const LEGACY_INDEX: &str = "clusters/kind/platform/tenants/kustomization.yaml";
const TENANTS: [&str; 3] = [
    "platform/mia.yaml",
    "platform/panchito.yaml",
    "platform/oracle.yaml",
];

/// An object in the cluster: kind, namespace, name.
type Id = (String, String, String);

/// A Kustomization in the model.
#[derive(Debug, Clone)]
struct Kustomization {
    path: String,
    prune: bool,
    suspended: bool,
    inventory: BTreeSet<Id>,
}

/// What the cluster holds: each object with the Kustomization that last applied it.
#[derive(Debug, Default)]
struct Cluster {
    objects: BTreeMap<Id, Live>,
    kustomizations: BTreeMap<String, Kustomization>,
}

#[derive(Debug, Clone)]
struct Live {
    owner: Option<String>,
    prune_disabled: bool,
    /// For a Flux Kustomization object: what it applies.
    spec: Option<(String, bool)>,
}

/// A revision of the GitOps repository: every file by path, read as YAML.
struct Tree(BTreeMap<String, Value>);

impl Tree {
    /// The files below `root`, as Flux's source would fetch them.
    fn read(root: &Path) -> Tree {
        fn walk(root: &Path, folder: &Path, into: &mut BTreeMap<String, Value>) {
            for entry in fs::read_dir(folder).expect("readable folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    walk(root, &path, into);
                } else {
                    let relative = path.strip_prefix(root).expect("below the root");
                    let relative = relative.to_string_lossy().into_owned();
                    let bytes = fs::read(&path).expect("readable file");
                    let value = serde_yaml::from_slice(&bytes).expect("YAML");
                    into.insert(relative, value);
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(root, root, &mut files);
        Tree(files)
    }

    fn file(&self, path: &str) -> Option<&Value> {
        self.0.get(path)
    }

    fn is_folder(&self, path: &str) -> bool {
        let below = format!("{path}/");
        self.0
            .range(below.clone()..)
            .next()
            .is_some_and(|(p, _)| p.starts_with(&below))
    }
}

/// The objects `folder` builds to in `tree`, or `None` when it has no kustomization.
fn build(tree: &Tree, folder: &str) -> Option<Vec<(Id, Live)>> {
    let index = tree.file(&format!("{folder}/kustomization.yaml"))?;

    let mut objects = Vec::new();
    for entry in index["resources"].as_sequence().into_iter().flatten() {
        let entry = entry.as_str().expect("a resource");
        let path = format!("{folder}/{entry}");
        if tree.is_folder(&path) {
            objects.extend(build(tree, &path)?);
            continue;
        }
        let object = tree.file(&path).expect("a file");
        let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
        let metadata = &object["metadata"];
        let id = (
            text(&object["kind"]),
            text(&metadata["namespace"]),
            text(&metadata["name"]),
        );
        let flux = text(&object["apiVersion"]).starts_with("kustomize.toolkit.fluxcd.io/");
        let spec = flux.then(|| {
            let path = text(&object["spec"]["path"]);
            let path = path.trim_start_matches("./").to_owned();
            (path, object["spec"]["prune"].as_bool().unwrap_or(false))
        });
        let prune_disabled =
            text(&metadata["annotations"]["kustomize.toolkit.fluxcd.io/prune"]) == "disabled";
        objects.push((
            id,
            Live {
                owner: None,
                prune_disabled,
                spec,
            },
        ));
    }
    Some(objects)
}

impl Cluster {
    /// One reconcile of Kustomization `name` against the tree as it is now.
    fn reconcile(&mut self, tree: &Tree, name: &str) {
        let Some(kustomization) = self.kustomizations.get(name).cloned() else {
            return;
        };
        if kustomization.suspended {
            return;
        }
        let Some(objects) = build(tree, &kustomization.path) else {
            return;
        };
        let mut inventory = BTreeSet::new();
        for (id, mut live) in objects {
            live.owner = Some(name.to_owned());
            if let (Some((path, prune)), "Kustomization") = (&live.spec, id.0.as_str()) {
                let entry = self
                    .kustomizations
                    .entry(id.2.clone())
                    .or_insert(Kustomization {
                        path: path.clone(),
                        prune: *prune,
                        suspended: false,
                        inventory: BTreeSet::new(),
                    });
                entry.path = path.clone();
                entry.prune = *prune;
            }
            self.objects.insert(id.clone(), live);
            inventory.insert(id);
        }
        if kustomization.prune {
            for id in kustomization.inventory.difference(&inventory) {
                self.prune(id, name);
            }
        }
        if let Some(entry) = self.kustomizations.get_mut(name) {
            entry.inventory = inventory;
        }
    }

    /// Deletes `id` for Kustomization `by`, unless another one owns it or pruning is off.
    fn prune(&mut self, id: &Id, by: &str) {
        let Some(live) = self.objects.get(id) else {
            return;
        };
        if live.owner.as_deref() != Some(by) || live.prune_disabled {
            return;
        }
        self.delete(id);
    }

    /// Deletes `id` and what its deletion takes with it.
    fn delete(&mut self, id: &Id) {
        self.objects.remove(id);
        if id.0 == "Namespace" {
            let inside: Vec<Id> = self
                .objects
                .keys()
                .filter(|o| o.1 == id.2)
                .cloned()
                .collect();
            for object in inside {
                self.objects.remove(&object);
            }
        }
        if id.0 == "Kustomization" {
            if let Some(gone) = self.kustomizations.remove(&id.2) {
                if gone.prune && !gone.suspended {
                    for object in &gone.inventory {
                        self.prune(object, &id.2);
                    }
                }
            }
        }
    }

    /// The platform engineer applies a Kustomization by hand (the README's root objects).
    fn apply_by_hand(&mut self, name: &str, path: &str) {
        self.kustomizations.insert(
            name.to_owned(),
            Kustomization {
                path: path.to_owned(),
                prune: true,
                suspended: false,
                inventory: BTreeSet::new(),
            },
        );
    }

    fn namespaces(&self) -> BTreeSet<String> {
        self.objects
            .keys()
            .filter(|id| id.0 == "Namespace")
            .map(|id| id.2.clone())
            .collect()
    }
}

/// A tree in the layout before shards: what the previous zave wrote for `TENANTS`.
fn legacy_tree(dir: &Path) -> PathBuf {
    let tree = dir.join("tree");
    render(&tree, &[]);
    for sharded in ["platform/flux", "platform/argocd"] {
        fs::remove_dir_all(tree.join(PREFIX).join(sharded)).expect("no shards before");
    }
    let names: Vec<String> = ["mia", "oracle", "panchito"].map(str::to_owned).into();
    let legacy = zave::index::legacy_index(&names, PREFIX).expect("emits");
    fs::write(tree.join(&legacy.path), legacy.content).expect("the old index");
    tree
}

fn render(tree: &Path, extra: &[&str]) {
    let out = tree.to_string_lossy().into_owned();
    let mut args = vec!["render", "--profile", "kind", "--out", out.as_str()];
    let contracts: Vec<String> = TENANTS.iter().map(|c| fixture(c)).collect();
    args.extend(contracts.iter().map(String::as_str));
    args.extend(extra);
    let output = zave(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

/// The cluster after the old root reconciled the legacy tree: every tenant object is its.
fn legacy_cluster(tree: &Tree) -> Cluster {
    let mut cluster = Cluster::default();
    cluster.apply_by_hand("tenants", &format!("{PREFIX}/platform/tenants"));
    cluster.reconcile(tree, "tenants");
    assert_eq!(
        cluster.namespaces().len(),
        3,
        "the legacy tree builds every tenant"
    );
    cluster
}

/// Reconciles Kustomizations in the order `picks` gives, asserting after each that every
/// tenant namespace still exists.
fn reconcile_in_order(cluster: &mut Cluster, tree: &Tree, picks: &[usize], when: &str) {
    let expected: BTreeSet<String> = ["ns-mia", "ns-oracle", "ns-panchito"]
        .map(str::to_owned)
        .into();
    for pick in picks {
        let names: Vec<String> = cluster.kustomizations.keys().cloned().collect();
        if names.is_empty() {
            return;
        }
        let name = &names[pick % names.len()];
        cluster.reconcile(tree, name);
        assert_eq!(
            cluster.namespaces(),
            expected,
            "{when}: after reconciling {name}"
        );
    }
}

/// Reconciles every Kustomization, in name order, until nothing new appears.
fn settle(cluster: &mut Cluster, tree: &Tree) {
    for _ in 0..4 {
        let names: Vec<String> = cluster.kustomizations.keys().cloned().collect();
        for name in names {
            cluster.reconcile(tree, &name);
        }
    }
}

#[test]
fn the_first_render_after_upgrading_keeps_the_old_index_listing_every_tenant() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let tree = legacy_tree(dir.path());
    let before = fs::read_to_string(tree.join(LEGACY_INDEX)).expect("old index");
    render(&tree, &[]);
    assert_eq!(
        fs::read_to_string(tree.join(LEGACY_INDEX)).expect("kept"),
        before
    );
    assert!(
        tree.join(PREFIX)
            .join("platform/flux/kustomization.yaml")
            .is_file()
    );
    // A subset render keeps listing the others; pruning one takes it out of the old index too.
    let out = tree.to_string_lossy().into_owned();
    let mia = fixture("platform/mia.yaml");
    let pruned = zave(&[
        "render",
        "--profile",
        "kind",
        "--out",
        &out,
        &mia,
        "--prune",
    ]);
    assert_eq!(pruned.status.code(), Some(0), "{}", text(&pruned.stderr));
    let index = fs::read_to_string(tree.join(LEGACY_INDEX)).expect("kept");
    assert!(index.ends_with("resources:\n- mia\n"), "{index}");
    // Once the engineer deletes it, zave never writes it again.
    fs::remove_file(tree.join(LEGACY_INDEX)).expect("deleted by hand");
    render(&tree, &[]);
    assert!(!tree.join(LEGACY_INDEX).exists());
}

/// The three revisions of an upgrade: the legacy tree, the first render after upgrading, and
/// that tree once the platform engineer deleted the old index.
fn revisions() -> &'static [Tree; 3] {
    static REVISIONS: OnceLock<[Tree; 3]> = OnceLock::new();
    REVISIONS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let tree = legacy_tree(dir.path());
        let legacy = Tree::read(&tree);
        render(&tree, &[]);
        let upgraded = Tree::read(&tree);
        fs::remove_file(tree.join(LEGACY_INDEX)).expect("deleted by hand");
        let retired = Tree::read(&tree);
        [legacy, upgraded, retired]
    })
}

/// Suspends the old root and deletes it: its objects stay, as Flux leaves a suspended
/// Kustomization's inventory.
fn retire_old_root(cluster: &mut Cluster) {
    if let Some(old) = cluster.kustomizations.get_mut("tenants") {
        old.suspended = true;
    }
    cluster.delete(&(
        "Kustomization".to_owned(),
        String::new(),
        "tenants".to_owned(),
    ));
}

#[test]
fn the_model_prunes_every_namespace_when_the_old_root_is_simply_repointed() {
    let [legacy, upgraded, _] = revisions();
    let mut cluster = legacy_cluster(legacy);
    if let Some(root) = cluster.kustomizations.get_mut("tenants") {
        root.path = format!("{PREFIX}/platform/flux");
    }
    cluster.reconcile(upgraded, "tenants");
    assert!(
        cluster.namespaces().is_empty(),
        "the model sees the window the README's procedure avoids"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The README's procedure: render (the old index stays), apply the new root, suspend and
    /// delete the old root, delete the old index. No order of reconciles in between prunes a
    /// tenant namespace, and in the end each tenant is its own Kustomization's.
    #[test]
    fn upgrading_never_prunes_a_tenant_namespace(
        before_root in prop::collection::vec(any::<usize>(), 0..6),
        overlap in prop::collection::vec(any::<usize>(), 0..80),
        after_old_root in prop::collection::vec(any::<usize>(), 0..80),
        after_old_index in prop::collection::vec(any::<usize>(), 0..80),
    ) {
        let [legacy, upgraded, retired] = revisions();
        let mut cluster = legacy_cluster(legacy);
        reconcile_in_order(&mut cluster, upgraded, &before_root, "after the first render");
        cluster.apply_by_hand("zave", &format!("{PREFIX}/platform/flux"));
        reconcile_in_order(&mut cluster, upgraded, &overlap, "with both roots");
        retire_old_root(&mut cluster);
        reconcile_in_order(&mut cluster, upgraded, &after_old_root, "after deleting the old root");
        reconcile_in_order(&mut cluster, retired, &after_old_index, "after deleting the old index");

        settle(&mut cluster, retired);
        for tenant in ["mia", "oracle", "panchito"] {
            let namespace = ("Namespace".to_owned(), String::new(), format!("ns-{tenant}"));
            let owner = cluster.objects.get(&namespace).and_then(|live| live.owner.clone());
            prop_assert_eq!(owner, Some(format!("tenant-{tenant}")));
        }
    }
}

#[test]
fn a_tenant_pruned_after_the_upgrade_is_deleted_with_its_namespace() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let tree = legacy_tree(dir.path());
    let mut cluster = legacy_cluster(&Tree::read(&tree));
    render(&tree, &[]);
    cluster.apply_by_hand("zave", &format!("{PREFIX}/platform/flux"));
    settle(&mut cluster, &Tree::read(&tree));
    retire_old_root(&mut cluster);
    fs::remove_file(tree.join(LEGACY_INDEX)).expect("deleted by hand");
    // One interval later every tenant Kustomization has applied its folder again.
    settle(&mut cluster, &Tree::read(&tree));
    let out = tree.to_string_lossy().into_owned();
    let (mia, oracle) = (
        fixture("platform/mia.yaml"),
        fixture("platform/oracle.yaml"),
    );
    let pruned = zave(&[
        "render",
        "--profile",
        "kind",
        "--out",
        &out,
        &mia,
        &oracle,
        "--prune",
    ]);
    assert_eq!(pruned.status.code(), Some(0), "{}", text(&pruned.stderr));
    settle(&mut cluster, &Tree::read(&tree));
    let left: Vec<String> = cluster.namespaces().into_iter().collect();
    assert_eq!(
        left,
        ["ns-mia", "ns-oracle"],
        "removing a tenant still removes it"
    );
}
