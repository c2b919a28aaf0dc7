//! Shared helpers of the conformance suites: where fixtures live and how findings are shown.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{Value as Json, json};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A fixture path relative to `fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    repo_root().join("fixtures").join(relative)
}

/// The fixture files under `fixtures/<folder>`, sorted by name.
pub fn fixtures_in(folder: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(folder))
        .unwrap_or_else(|e| panic!("fixtures/{folder} is missing: {e}"))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// The codes of a validation outcome, in order.
pub fn codes(outcome: &Result<zave::CheckedContract, zave::Diagnostics>) -> Vec<&'static str> {
    let findings = match outcome {
        Ok(checked) => &checked.findings,
        Err(diagnostics) => &diagnostics.0,
    };
    findings.iter().map(|d| d.code.as_str()).collect()
}

/// Implemented values only, so every generated contract is valid.
const EXPOSURES: &[&str] = &["none", "internal-http", "public-http", "grpc", "async"];
const HTTP_EXPOSURES: &[&str] = &["internal-http", "public-http"];
const ENGINES: &[&str] = &["postgres", "mysql", "redis", "none"];
const TIERS: &[&str] = &["small", "standard", "large"];

fn name() -> impl Strategy<Value = String> {
    "[a-z]([a-z0-9-]{0,38}[a-z0-9])?"
}

fn pick(values: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(values)
}

/// A valid contract as JSON data (implemented values only), with optional sections present or not.
pub fn valid_contract() -> impl Strategy<Value = Json> {
    let container = (
        pick(EXPOSURES),
        prop::option::of(pick(ENGINES)),
        prop::sample::subsequence(vec!["metrics", "tracing", "feature-flags"], 0..=3),
        prop::bool::ANY,
    );
    let statik = pick(HTTP_EXPOSURES);
    (
        name(),
        prop::bool::ANY,
        container,
        statik,
        prop::option::of(pick(TIERS)),
        prop::bool::ANY,
        prop::option::of("[a-z]{1,8}(/[a-z]{1,8}){0,2}"),
        prop::collection::btree_set(name(), 0..=3),
    )
        .prop_map(
            |(name, is_static, container, static_exposure, tier, delivery, dockerfile, calls)| {
                let mut spec = serde_json::Map::new();
                if is_static {
                    spec.insert("runtime".into(), json!("static"));
                    spec.insert("exposure".into(), json!(static_exposure));
                } else {
                    let (exposure, engine, capabilities, migrates) = container;
                    spec.insert("runtime".into(), json!("container"));
                    spec.insert("exposure".into(), json!(exposure));
                    // A name the engine cannot take is Z207: leave the engine out then.
                    if let Some(engine) = engine.filter(|engine| engine_takes(&name, engine)) {
                        let mut persistence = json!({ "engine": engine });
                        // Migrations need a schema: Z209 on the others.
                        if migrates && matches!(engine, "postgres" | "mysql") {
                            persistence["migrations"] = json!({ "command": ["./migrate", "up"] });
                        }
                        spec.insert("persistence".into(), persistence);
                    }
                    if !capabilities.is_empty() {
                        let list: Vec<Json> =
                            capabilities.iter().map(|c| json!({ "name": c })).collect();
                        spec.insert("capabilities".into(), Json::Array(list));
                    }
                }
                if delivery {
                    spec.insert("delivery".into(), json!("rolling"));
                }
                if let Some(tier) = tier {
                    spec.insert("resources".into(), json!({ "tier": tier }));
                }
                // Distinct, never itself, never `db` (DB_HOST): Z205, Z206.
                let calls: Vec<Json> = calls
                    .into_iter()
                    .filter(|called| *called != name && called != "db")
                    .map(|called| json!({ "workload": called }))
                    .collect();
                if !calls.is_empty() {
                    spec.insert("dependencies".into(), Json::Array(calls));
                }
                if let Some(path) = dockerfile {
                    spec.insert(
                        "build".into(),
                        json!({ "mode": "dockerfile", "dockerfilePath": path }),
                    );
                }
                json!({
                    "apiVersion": "zave.io/v1",
                    "kind": "Workload",
                    "metadata": { "name": name },
                    "spec": spec,
                })
            },
        )
}

/// Whether `name` maps to safe identifiers for `engine` (see Z207).
pub fn engine_takes(name: &str, engine: &str) -> bool {
    serde_json::from_value(json!(engine))
        .is_ok_and(|engine| zave::render::persistence::names::unmappable(name, engine).is_none())
}

/// The built-in profiles, by name.
pub const PROFILES: &[&str] = &["kind", "linode", "aws"];

/// A whole render as one reviewable text: the report, then every file under a `=== path` line
/// (the tenant's files, then the two shard indexes listing it; the rest of the index is the same
/// for every tenant and has a snapshot of its own).
pub fn tree_text(rendered: &zave::Rendered, profile: &zave::Profile) -> String {
    let mut text = String::from("report:\n");
    for finding in &rendered.findings {
        text.push_str(&format!(
            "  {} {}: {}\n",
            finding.code, finding.path, finding.message
        ));
    }
    let index = zave::index_files(std::slice::from_ref(&rendered.name), profile)
        .expect("the index renders");
    let listed = format!("\n- {}.yaml\n", rendered.name);
    let shard_indexes = index.iter().filter(|file| file.content.contains(&listed));
    for file in rendered.files.iter().chain(shard_indexes) {
        text.push_str(&format!("\n=== {}\n{}", file.path, file.content));
    }
    text
}
