//! Shared helpers of the conformance suites: where fixtures live and how findings are shown.

use std::path::{Path, PathBuf};

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
