//! `zave contract migrate FILE`: the contract rewritten to the newest apiVersion zave knows,
//! its comments and key order kept.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use zave::contract::migrate::{MigrateError, migrate};

use crate::{EXIT_USAGE, input, print};

/// The arguments of `zave contract migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The contract; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Rewrite the file in place instead of printing the result.
    #[arg(long)]
    write: bool,
}

/// Migrates one contract: exit 0 when it is migrated or already current, 1 when it cannot be
/// migrated or the result is not valid (nothing is written then), 2 on usage or I/O errors.
pub fn run(args: &MigrateArgs) -> ExitCode {
    if args.write && args.file.as_os_str() == "-" {
        eprintln!("zave: --write needs a file, not standard input");
        return ExitCode::from(EXIT_USAGE);
    }
    let input = match input::read(&args.file) {
        Ok(input) => input,
        Err(error) => {
            eprintln!("zave: {error}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let migrated = match migrate(&input.bytes) {
        Ok(migrated) => migrated,
        Err(error) => {
            eprintln!("{}", refusal(&input.name, &input.bytes, &error));
            return ExitCode::FAILURE;
        }
    };
    if !migrated.findings.is_empty() {
        let diagnostics = zave::Diagnostics(migrated.findings);
        eprint!(
            "{}",
            diagnostics.to_text(&input.name, Some(&migrated.text), zave::TextStyle::Plain)
        );
        eprintln!(
            "zave: {} as {} would not be valid; nothing written",
            input.name, migrated.to
        );
        return ExitCode::FAILURE;
    }
    if !args.write {
        return print(&migrated.text);
    }
    if migrated.changed() {
        if let Err(error) = replace(&args.file, &migrated.text) {
            eprintln!("zave: cannot write {}: {error}", input.name);
            return ExitCode::from(EXIT_USAGE);
        }
        eprintln!("{}: {} -> {}", input.name, migrated.from, migrated.to);
    } else {
        eprintln!("{}: already {}, nothing to do", input.name, migrated.to);
    }
    ExitCode::SUCCESS
}

/// Why the contract cannot be migrated, at its position.
fn refusal(name: &str, bytes: &[u8], error: &MigrateError) -> String {
    if let MigrateError::Load(diagnostic) = error {
        let source = String::from_utf8_lossy(bytes);
        return diagnostic.to_text(name, Some(&source), zave::TextStyle::Plain);
    }
    match error.position() {
        Some(at) => format!("{name}:{}:{}: error: {error}", at.line, at.column),
        None => format!("{name}: error: {error}"),
    }
}

/// Replaces `path` by `text` through a file beside it and a rename, so a crash leaves the old
/// contract or the new one.
fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    let mut staged = path.as_os_str().to_owned();
    staged.push(".zave-migrate");
    std::fs::write(&staged, text)?;
    std::fs::rename(&staged, path)
}
