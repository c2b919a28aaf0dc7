//! The compatibility gate: the contract schema zave enforces now accepts everything each
//! recorded release of it accepted (`schemas/history/`), unless a new apiVersion and a
//! migration answer for the difference.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::Value as Json;
use zave::schema::{CompiledSchema, Hints, check};
use zave_conformance::{repo_root, valid_contract};

/// A zave version: major, minor, patch.
type Version = (u64, u64, u64);

struct NoHints;
impl Hints for NoHints {}

/// Each recorded schema with its zave version, oldest first.
fn history() -> Vec<(Version, Json)> {
    let folder = repo_root().join("schemas/history");
    let mut records: Vec<(Version, Json)> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("schemas/history: {e}"))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .map(|path| {
            let version = version_of(&path).unwrap_or_else(|| {
                panic!("{}: not named <major>.<minor>.<patch>.json", path.display())
            });
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let schema =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (version, schema)
        })
        .collect();
    records.sort_by_key(|(version, _)| *version);
    assert!(!records.is_empty(), "schemas/history holds no record");
    records
}

fn version_of(path: &Path) -> Option<Version> {
    let name = path.file_name()?.to_str()?.strip_suffix(".json")?;
    let mut parts = name.split('.').map(|part| part.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

/// A version as written: `0.1.0`.
fn dotted((major, minor, patch): Version) -> String {
    format!("{major}.{minor}.{patch}")
}

fn crate_version() -> Version {
    version_of(Path::new(&format!("{}.json", zave::VERSION))).expect("a semantic version")
}

#[test]
fn the_history_names_released_versions_each_of_which_changed_the_schema() {
    let records = history();
    assert!(
        records
            .iter()
            .all(|(version, _)| *version <= crate_version()),
        "a record is newer than zave {}",
        zave::VERSION
    );
    for pair in records.windows(2) {
        let ((older, old), (newer, new)) = (&pair[0], &pair[1]);
        assert!(
            old != new,
            "{} records the same schema as {}: record only versions that changed it",
            dotted(*newer),
            dotted(*older)
        );
    }
}

#[test]
fn the_current_schema_breaks_no_recorded_release() {
    let current = zave::contract_schema();
    for (version, recorded) in history() {
        let unanswered = zave::contract::migrate::gate(&recorded, current);
        let listed: Vec<String> = unanswered
            .iter()
            .map(|change| format!("  {}: {}", change.place(), change.kind))
            .collect();
        assert!(
            unanswered.is_empty(),
            "breaking changes since the schema of zave {}, without a new apiVersion and a migration:\n{}",
            dotted(version),
            listed.join("\n")
        );
    }
}

/// Every contract fixture, platform contracts included, sorted.
fn contract_fixtures() -> Vec<PathBuf> {
    fn collect(folder: &Path, into: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
        for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
            if path.is_dir() {
                collect(&path, into);
            } else if path.extension().is_some_and(|ext| ext == "yaml") {
                into.push(path);
            }
        }
    }
    let mut files = Vec::new();
    collect(&repo_root().join("fixtures/contracts"), &mut files);
    files.sort();
    files
}

fn accepted(schema: &CompiledSchema, document: &zave::document::Node) -> bool {
    check(schema, document, &NoHints).findings.is_empty()
}

#[test]
fn every_fixture_a_recorded_schema_accepted_is_still_accepted() {
    let current = CompiledSchema::from_json(zave::contract_schema().clone());
    let fixtures = contract_fixtures();
    for (version, recorded) in history() {
        let recorded = CompiledSchema::from_json(recorded);
        let mut checked = 0;
        for path in &fixtures {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let Ok(document) = zave::document::load(&bytes) else {
                continue;
            };
            if accepted(&recorded, &document) {
                checked += 1;
                assert!(
                    accepted(&current, &document),
                    "{} was valid under the schema of zave {} and is refused now",
                    path.display(),
                    dotted(version)
                );
            }
        }
        assert!(
            checked > 0,
            "no fixture was valid under {}: the check proved nothing",
            dotted(version)
        );
    }
}

/// Each recorded schema, compiled, with its version.
type CompiledHistory = Vec<(Version, CompiledSchema)>;

/// The current schema and each recorded one, compiled once for the property below.
fn compiled() -> &'static (CompiledSchema, CompiledHistory) {
    static COMPILED: OnceLock<(CompiledSchema, CompiledHistory)> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let current = CompiledSchema::from_json(zave::contract_schema().clone());
        let records = history()
            .into_iter()
            .map(|(version, schema)| (version, CompiledSchema::from_json(schema)))
            .collect();
        (current, records)
    })
}

proptest! {
    #[test]
    fn a_valid_v1_contract_a_recorded_schema_accepts_is_accepted_now(contract in valid_contract()) {
        let document = zave::document::from_json(&contract).expect("data");
        let (current, records) = compiled();
        for (version, recorded) in records {
            if accepted(recorded, &document) {
                prop_assert!(accepted(current, &document), "refused now, valid under {}: {}", dotted(*version), contract);
            }
        }
    }
}
