//! The index of the tree at scale: snapshots of its objects, every object reached from the
//! root exactly once, and shards that stay put as tenants come and go.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use serde_json::Value as Json;
use zave::index::{Half, SHARDS, Shard, index_files};
use zave::{FileKind, Profile, RenderInputs, RenderedFile};
use zave_conformance::PROFILES;

/// A tenant that renders under every built-in profile.
fn contract(name: &str) -> String {
    format!(
        "apiVersion: zave.io/v1\nkind: Workload\nmetadata: {{name: {name}}}\n\
         spec: {{runtime: container, exposure: internal-http, delivery: rolling, \
         resources: {{tier: small}}}}\n"
    )
}

/// The whole tree rendering `names` under `profile` writes into an empty folder, by path.
fn tree(names: &BTreeSet<String>, profile: &Profile) -> BTreeMap<String, RenderedFile> {
    let rendered: Vec<zave::Rendered> = names
        .iter()
        .map(|name| {
            zave::render(contract(name).as_bytes(), profile, RenderInputs::default())
                .unwrap_or_else(|e| panic!("{name} renders: {e:?}"))
        })
        .collect();
    zave::tree::fresh_tree(&rendered, profile)
        .expect("the tree emits")
        .into_iter()
        .map(|file| (file.path.clone(), file))
        .collect()
}

fn yaml(file: &RenderedFile) -> Json {
    serde_yaml::from_str(&file.content).unwrap_or_else(|e| panic!("{}: {e}", file.path))
}

/// Walks the tree as the GitOps engines do, from `root` (a folder with a kustomization):
/// each kustomization's resources, each Flux Kustomization's `spec.path`, each Application's
/// `spec.source.path`. Counts how often each object file is reached.
fn reach(tree: &BTreeMap<String, RenderedFile>, root: &str) -> BTreeMap<String, usize> {
    let mut reached = BTreeMap::new();
    let mut folders = vec![root.to_owned()];
    while let Some(folder) = folders.pop() {
        let index = &tree[&format!("{folder}/kustomization.yaml")];
        let listed = yaml(index)["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for entry in listed {
            let path = format!("{folder}/{}", entry.as_str().expect("a file name"));
            let object = yaml(&tree[&path]);
            *reached.entry(path).or_insert(0) += 1;
            let applies = match object["kind"].as_str() {
                Some("Kustomization") => object["spec"]["path"].as_str(),
                Some("Application") => object["spec"]["source"]["path"].as_str(),
                _ => None,
            };
            if let Some(applied) = applies {
                let applied = applied.strip_prefix("./").unwrap_or(applied);
                folders.push(applied.to_owned());
            }
        }
    }
    reached
}

fn names(count: usize) -> BTreeSet<String> {
    (0..count).map(|i| format!("tenant-{i}")).collect()
}

#[test]
fn the_index_objects_are_what_the_engines_apply() {
    let profile = Profile::builtin("kind").expect("built-in");
    let tenants: BTreeSet<String> = ["mia", "panchito", "oracle"].map(str::to_owned).into();
    let tree = tree(&tenants, profile);
    let shard = Shard::of("mia");
    let mut text = String::new();
    for path in [
        "clusters/kind/platform/flux/kustomization.yaml".to_owned(),
        format!("clusters/kind/platform/flux/tenants-{}.yaml", shard.label()),
        format!(
            "clusters/kind/platform/flux/applications-{}.yaml",
            shard.label()
        ),
        format!(
            "{}/kustomization.yaml",
            Half::Tenants.shard_dir("clusters/kind", shard)
        ),
        Half::Tenants.tenant_file("clusters/kind", "mia"),
        format!(
            "{}/kustomization.yaml",
            Half::Applications.shard_dir("clusters/kind", shard)
        ),
    ] {
        text.push_str(&format!("=== {path}\n{}\n", tree[&path].content));
    }
    insta::assert_snapshot!("index_kind", text);
}

#[test]
fn a_profile_names_the_flux_namespace_source_interval_and_base() {
    let source = include_str!("../fixtures/profiles/valid/gateway.yaml");
    let profile = Profile::from_yaml(source.as_bytes()).expect("the fixture profile loads");
    let tree = tree(&["mia".to_owned()].into(), &profile);
    let prefix = &profile.spec.gitops.path_prefix;
    let mut text = String::new();
    for path in [
        Half::Tenants.tenant_file(prefix, "mia"),
        format!("{}/tenants-00.yaml", zave::index::flux_dir(prefix)),
    ] {
        text.push_str(&format!("=== {path}\n{}\n", tree[&path].content));
    }
    insta::assert_snapshot!("index_gateway_profile", text);
}

#[test]
fn no_build_of_a_thousand_tenants_holds_more_than_a_shard() {
    let profile = Profile::builtin("aws").expect("built-in");
    let tree = tree(&names(1000), profile);
    let mut largest = 0;
    for (path, file) in &tree {
        if path.ends_with("/kustomization.yaml") {
            let listed = yaml(file)["resources"].as_array().map_or(0, Vec::len);
            largest = largest.max(listed);
        }
    }
    // 1,000 tenants over 32 shards: about 31 per shard; the root lists the 64 shards.
    assert_eq!(
        largest,
        2 * usize::from(SHARDS),
        "the root is the largest build"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Every object zave writes is reached from the root exactly once, and nothing else is.
    #[test]
    fn the_root_reaches_every_object_exactly_once(
        count in 0usize..40,
        profile in prop::sample::select(PROFILES),
    ) {
        let profile = Profile::builtin(profile).expect("built-in");
        let tree = tree(&names(count), profile);
        let root = zave::index::flux_dir(&profile.spec.gitops.path_prefix);
        let reached = reach(&tree, &root);
        let objects: BTreeSet<&String> = tree
            .iter()
            .filter(|(_, file)| file.kind == FileKind::Object)
            .map(|(path, _)| path)
            .collect();
        let twice: Vec<_> = reached.iter().filter(|(_, n)| **n != 1).collect();
        prop_assert!(twice.is_empty(), "reached more than once: {twice:?}");
        prop_assert_eq!(reached.keys().collect::<BTreeSet<_>>(), objects);
    }

    /// A tenant's shard depends on its name alone, and adding it to a tree changes only the
    /// two shard indexes of its shard: the root and every other index file stay as they were.
    #[test]
    fn adding_a_tenant_rewrites_only_its_own_shards_index(
        others in prop::collection::btree_set("[a-z][a-z0-9-]{0,12}[a-z0-9]", 0..60),
        added in "[a-z][a-z0-9-]{0,12}[a-z0-9]",
    ) {
        prop_assume!(!others.contains(&added));
        let profile = Profile::builtin("kind").expect("built-in");
        let before = index_files(&others, profile).expect("emits");
        let mut with = others.clone();
        with.insert(added.clone());
        let after = index_files(&with, profile).expect("emits");
        let changed: Vec<&str> = before
            .iter()
            .zip(&after)
            .filter(|(a, b)| {
                assert_eq!(a.path, b.path, "the index has the same files");
                a.content != b.content
            })
            .map(|(a, _)| a.path.as_str())
            .collect();
        let shard = Shard::of(&added);
        let expected: Vec<String> = Half::ALL
            .map(|half| format!("{}/kustomization.yaml", half.shard_dir("clusters/kind", shard)))
            .into_iter()
            .collect();
        let mut expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        expected.sort_unstable();
        prop_assert_eq!(changed, expected);
    }
}
