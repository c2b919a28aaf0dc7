//! The pooler's set-level files through `zave render --out`: what they hold under every
//! built-in profile, and that rendering one tenant keeps every other tenant's entry.

mod common;

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};

use common::{fixture, sorted_names, text, zave};

/// The pooler's folder under profile `profile`'s path prefix.
fn pooler_dir(profile: &str) -> String {
    let prefix = match profile {
        "aws" => "clusters/aws-production",
        "linode" => "clusters/linode-sandbox",
        _ => "clusters/kind",
    };
    format!("{prefix}/platform/pooler")
}

/// Every file of the pooler's folder in `tree`, under a `=== name` line; empty without one.
fn pooler_files(tree: &Path, profile: &str) -> String {
    let Some(names) = sorted_names(&tree.join(pooler_dir(profile))) else {
        return String::new();
    };
    let mut out = String::new();
    for name in names {
        let content = fs::read_to_string(tree.join(pooler_dir(profile)).join(&name)).expect("read");
        out.push_str(&format!("=== {name}\n{content}"));
    }
    out
}

fn render_into(tree: &Path, profile: &str, contracts: &[String], extra: &[&str]) {
    let mut args = vec!["render", "--profile", profile, "--out"];
    let out = tree.to_string_lossy().into_owned();
    args.push(&out);
    args.extend(contracts.iter().map(String::as_str));
    args.extend(extra);
    let run = zave(&args);
    assert!(run.status.success(), "{}", text(&run.stderr));
}

#[test]
fn the_pooler_files_under_every_built_in_profile() {
    let contracts = [
        fixture("platform/payments-api.yaml"),
        fixture("valid/postgres-migrations.yaml"),
        fixture("valid/async-mysql-large.yaml"),
    ];
    for profile in ["kind", "linode", "aws"] {
        let tree = tempfile::tempdir().expect("temporary folder");
        // linode refuses tier large: its set leaves the MySQL tenant out.
        let set: Vec<String> = contracts
            .iter()
            .filter(|c| profile != "linode" || !c.ends_with("async-mysql-large.yaml"))
            .cloned()
            .collect();
        render_into(tree.path(), profile, &set, &[]);
        let files = pooler_files(tree.path(), profile);
        if profile == "kind" {
            assert_eq!(files, "", "kind has no pooler, so no pooler files");
            continue;
        }
        insta::assert_snapshot!(format!("pooler@{profile}"), files);
    }
}

/// A contract named `name` with tier `tier` and engine `engine`.
fn contract(name: &str, tier: &str, engine: &str) -> String {
    format!(
        "apiVersion: zave.io/v1\nkind: Workload\nmetadata: {{name: {name}}}\nspec:\n  \
         runtime: container\n  exposure: none\n  delivery: rolling\n  \
         persistence: {{engine: {engine}}}\n  resources: {{tier: {tier}}}\n"
    )
}

#[test]
fn rendering_one_tenant_keeps_every_other_tenants_pooler_entry() {
    let tenant = (
        prop::sample::select(vec!["small", "standard", "large"]),
        prop::sample::select(vec!["postgres", "mysql", "none"]),
    );
    let set = prop::collection::btree_map("[a-z]{1,6}", tenant, 1..5);
    let case = (
        set,
        any::<prop::sample::Index>(),
        prop::sample::select(vec!["small", "large"]),
    );
    let mut runner = TestRunner::new(ProptestConfig {
        cases: 12,
        ..ProptestConfig::default()
    });
    runner
        .run(&case, |(set, pick, new_tier)| {
            let dir = tempfile::tempdir().expect("temporary folder");
            let write = |key: &str, tier: &str, engine: &str| {
                let name = format!("t-{key}");
                let path = dir.path().join(format!("{name}.yaml"));
                fs::write(&path, contract(&name, tier, engine)).expect("write contract");
                path.to_string_lossy().into_owned()
            };
            let keys: Vec<&String> = set.keys().collect();
            let all: Vec<String> = set
                .iter()
                .map(|(key, (tier, engine))| write(key, tier, engine))
                .collect();
            let tree = dir.path().join("tree");
            fs::create_dir(&tree).expect("tree folder");
            render_into(&tree, "aws", &all, &[]);

            // One tenant changes its tier and is rendered alone.
            let chosen = keys[pick.index(keys.len())];
            let (_, engine) = &set[chosen];
            let changed = write(chosen, new_tier, engine);
            render_into(&tree, "aws", std::slice::from_ref(&changed), &[]);

            // The same set, rendered whole into an empty tree.
            let fresh = dir.path().join("fresh");
            fs::create_dir(&fresh).expect("fresh folder");
            let all: Vec<String> = set
                .iter()
                .map(|(key, (tier, engine))| {
                    let tier = if key == chosen { new_tier } else { tier };
                    write(key, tier, engine)
                })
                .collect();
            render_into(&fresh, "aws", &all, &[]);
            let (after_one, whole) = (pooler_files(&tree, "aws"), pooler_files(&fresh, "aws"));
            prop_assert_eq!(&after_one, &whole);
            let pooled = set
                .values()
                .filter(|(_, engine)| *engine == "postgres")
                .count();
            prop_assert_eq!(after_one.matches("; tenant t-").count(), pooled);
            Ok(())
        })
        .expect("a single-tenant render keeps every other entry");
}
