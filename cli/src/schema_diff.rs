//! `zave schema diff OLD NEW`: every difference between two JSON Schemas, additive or breaking.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::Value as Json;
use zave::schema::diff::{Change, Class, any_breaking, classify};

use crate::args::{Format, FormatArg};
use crate::{EXIT_USAGE, input, print};

/// The arguments of `zave schema diff`.
#[derive(Debug, Args)]
pub struct SchemaDiffArgs {
    /// The older schema (JSON); `-` reads standard input.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The newer schema (JSON).
    #[arg(value_name = "NEW")]
    new: PathBuf,
    #[command(flatten)]
    format: FormatArg,
}

/// Prints the classification; exit 0 when nothing breaks, 1 when something does, 2 when a
/// schema cannot be read.
pub fn run(args: &SchemaDiffArgs) -> ExitCode {
    let (old, new) = match (read_schema(&args.old), read_schema(&args.new)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            for error in [old.err(), new.err()].into_iter().flatten() {
                eprintln!("zave: {error}");
            }
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let changes = classify(&old.1, &new.1);
    let text = match args.format.format {
        Format::Human => human(&changes),
        Format::Json => json(&old.0, &new.0, &changes),
        Format::Github => github(&changes),
    };
    let status = print(&text);
    if any_breaking(&changes) {
        ExitCode::FAILURE
    } else {
        status
    }
}

/// A schema file's shown name and its JSON.
fn read_schema(path: &Path) -> Result<(String, Json), String> {
    let input = input::read(path)?;
    if input.bytes.len() > zave::document::MAX_INPUT_BYTES {
        return Err(format!("{} is larger than 1 MiB", input.name));
    }
    let schema: Json = serde_json::from_slice(&input.bytes)
        .map_err(|e| format!("{}:{}:{}: not JSON: {e}", input.name, e.line(), e.column()))?;
    if !(schema.is_object() || schema.is_boolean()) {
        return Err(format!(
            "{} is not a JSON Schema (an object or a boolean)",
            input.name
        ));
    }
    Ok((input.name, schema))
}

fn human(changes: &[Change]) -> String {
    let width = changes.iter().map(|c| c.place().len()).max().unwrap_or(0);
    let mut out: String = changes
        .iter()
        .map(|c| format!("{:<8}  {:<width$}  {}\n", c.class(), c.place(), c.kind))
        .collect();
    let breaking = changes
        .iter()
        .filter(|c| c.class() == Class::Breaking)
        .count();
    let noun = if changes.len() == 1 {
        "change"
    } else {
        "changes"
    };
    out.push_str(&format!(
        "{} {noun}: {breaking} breaking, {} additive\n",
        changes.len(),
        changes.len() - breaking
    ));
    out
}

fn json(old: &str, new: &str, changes: &[Change]) -> String {
    let document = serde_json::json!({
        "old": old,
        "new": new,
        "breaking": any_breaking(changes),
        "changes": changes,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// One workflow command per change: an error when it breaks, a notice when it adds.
fn github(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            let level = match c.class() {
                Class::Breaking => "error",
                Class::Additive => "notice",
            };
            format!(
                "::{level} title=schema {}::{}: {}\n",
                c.class(),
                c.place(),
                c.kind
            )
        })
        .collect()
}
