//! What every CLI test file needs: fixtures, the built binary, its output as text.

#![allow(dead_code, reason = "each test file uses the helpers it needs")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A contract fixture's path, relative to `fixtures/contracts/`.
pub fn fixture(relative: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/contracts")
        .join(relative)
        .to_string_lossy()
        .into_owned()
}

/// Runs the built `zave` with `args`, standard input closed.
pub fn zave(args: &[&str]) -> Output {
    zave_in(args, Path::new("."))
}

/// Runs the built `zave` with `args` in `cwd`, standard input closed.
pub fn zave_in(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zave"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("zave runs")
}

/// Output bytes as text; zave writes UTF-8 only.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The names in folder `dir`, sorted; `None` when it cannot be read.
pub fn sorted_names(dir: &Path) -> Option<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    Some(names)
}
