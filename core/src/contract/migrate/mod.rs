//! Rewriting a contract from one `apiVersion` to a later one, by editing its text in place so
//! its comments, key order and layout stay as the tenant wrote them.
//!
//! A [`Migration`] is a list of [`Rule`]s from one version to the next; [`migrate`] follows
//! the registered ones from the contract's version to the newest it can reach. Today
//! `zave.io/v1` is the only version, so nothing is registered; the mechanism is proved on a
//! test-only pair of versions ([`test_versions`]).

mod edit;
mod gate;
mod rules;
#[cfg(any(test, feature = "test-versions"))]
pub mod test_versions;

pub use gate::gate;
pub use rules::Rule;

use crate::diagnostic::Diagnostic;
use crate::document::{self, Node, Path, Position, Value};
use crate::schema::{self, CompiledSchema};

/// The rules that take a contract from one `apiVersion` to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The version it reads.
    pub from: &'static str,
    /// The version it writes.
    pub to: &'static str,
    /// What changes, applied in order.
    pub rules: &'static [Rule],
}

/// The migrations of zave's real contract versions (none yet: `zave.io/v1` is the first).
pub const MIGRATIONS: &[Migration] = &[];

/// Every migration zave knows: the real ones, and the test-only pair in test builds.
pub fn registry() -> impl Iterator<Item = &'static Migration> {
    let real = MIGRATIONS.iter();
    #[cfg(any(test, feature = "test-versions"))]
    let real = real.chain(std::iter::once(&test_versions::MIGRATION));
    real
}

/// The migrations that lead from `from` to the newest version reachable, in order.
pub fn path_from(from: &str) -> Vec<&'static Migration> {
    let mut path: Vec<&'static Migration> = Vec::new();
    let mut at = from;
    while let Some(next) = registry().find(|m| m.from == at) {
        if path.iter().any(|m| m.from == next.from) {
            break;
        }
        path.push(next);
        at = next.to;
    }
    path
}

/// The schema a version's contracts are checked against, when zave knows the version.
pub fn schema_of(version: &str) -> Option<&'static CompiledSchema> {
    #[cfg(any(test, feature = "test-versions"))]
    if let Some(schema) = test_versions::schema_of(version) {
        return Some(schema);
    }
    current_versions()
        .contains(version)
        .then(super::validate::compiled_schema)
}

/// The versions zave validates and renders: those its contract schema accepts.
fn current_versions() -> std::collections::BTreeSet<String> {
    schema::diff::api_versions(crate::contract_schema())
}

/// A contract rewritten to a newer version, or left as it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Migrated {
    /// The contract's text afterwards (the input itself when no migration applied).
    pub text: String,
    /// The version it was written in.
    pub from: String,
    /// The version it is written in now.
    pub to: String,
    /// What its new version's schema finds in it (stage 1); empty when it is valid.
    pub findings: Vec<Diagnostic>,
}

impl Migrated {
    /// Whether the text changed.
    pub fn changed(&self) -> bool {
        self.from != self.to
    }
}

/// Why a contract could not be migrated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MigrateError {
    /// The text is not one YAML document zave can read.
    #[error("{}", .0.message)]
    Load(Diagnostic),
    /// The document has no `apiVersion` string.
    #[error("the contract has no apiVersion to migrate from")]
    NoApiVersion {
        /// Where the document starts.
        at: Position,
    },
    /// No migration starts at the contract's version and zave does not know it either.
    #[error("apiVersion {version:?} is not one zave can migrate; it knows {}", known.join(", "))]
    UnknownVersion {
        /// The contract's version.
        version: String,
        /// Where it stands.
        at: Position,
        /// The versions zave knows.
        known: Vec<String>,
    },
    /// A renamed key would take the name of a key the mapping already has.
    #[error("cannot rename to {key:?}: the mapping already has that key")]
    KeyTaken {
        /// The key.
        key: String,
        /// Where the existing key stands.
        at: Position,
    },
    /// A rule names a place that is not a path of keys and list items (a bug in a rule).
    #[error("the migration rule's place {place:?} is not a path of keys")]
    BadPlace {
        /// The place as written.
        place: String,
    },
    /// A position of the loaded document is outside its text (a bug, reported, never a panic).
    #[error("a position of the document lies outside its text")]
    Position {
        /// The position.
        at: Position,
    },
}

impl MigrateError {
    /// Where in the contract the problem is, when it is in the contract.
    pub fn position(&self) -> Option<Position> {
        match self {
            MigrateError::Load(diagnostic) => diagnostic
                .line
                .zip(diagnostic.column)
                .map(|(line, column)| Position { line, column }),
            MigrateError::NoApiVersion { at }
            | MigrateError::UnknownVersion { at, .. }
            | MigrateError::KeyTaken { at, .. }
            | MigrateError::Position { at } => Some(*at),
            MigrateError::BadPlace { .. } => None,
        }
    }
}

/// Rewrites `source` from its `apiVersion` along every registered migration to the newest
/// version reachable. A contract already at that version comes back unchanged, so running
/// this twice changes nothing.
pub fn migrate(source: &[u8]) -> Result<Migrated, MigrateError> {
    let document = document::load(source).map_err(MigrateError::Load)?;
    let (from, at) = api_version(&document)?;
    let path = path_from(&from);
    let to = path.last().map_or(from.as_str(), |m| m.to).to_owned();
    let Some(target) = schema_of(&to) else {
        let mut known = current_versions();
        known.extend(registry().flat_map(|m| [m.from, m.to]).map(str::to_owned));
        let known = known.into_iter().collect();
        return Err(MigrateError::UnknownVersion {
            version: from,
            at,
            known,
        });
    };
    // Loaded once, the source is UTF-8.
    let mut text = String::from_utf8_lossy(source).into_owned();
    for migration in &path {
        text = apply(&text, migration)?;
    }
    let document = document::load(text.as_bytes()).map_err(MigrateError::Load)?;
    let findings = schema::check(target, &document, &NoHints).findings;
    Ok(Migrated {
        text,
        from,
        to,
        findings,
    })
}

/// `text` rewritten by one migration: each rule on the text the previous one left, then the
/// new `apiVersion`.
fn apply(text: &str, migration: &Migration) -> Result<String, MigrateError> {
    let mut text = text.to_owned();
    let rules = migration
        .rules
        .iter()
        .copied()
        .chain(std::iter::once(Rule::ReplaceValue {
            at: "apiVersion",
            from: migration.from,
            to: migration.to,
        }));
    for rule in rules {
        let document = document::load(text.as_bytes()).map_err(MigrateError::Load)?;
        let edits = rule.edits(&document, &text)?;
        text = edit::apply(&text, edits);
    }
    Ok(text)
}

fn api_version(document: &Node) -> Result<(String, Position), MigrateError> {
    let missing = MigrateError::NoApiVersion {
        at: document.span.start,
    };
    let node = document
        .at(&Path::root().key("apiVersion"))
        .ok_or(missing.clone())?;
    match &node.value {
        Value::String(version) => Ok((version.clone(), node.span.start)),
        _ => Err(missing),
    }
}

struct NoHints;
impl schema::Hints for NoHints {}

#[cfg(test)]
mod tests;
