//! Classifying every difference between two JSON Schemas as additive or breaking.
//!
//! The schemas are read as zave's stage-1 check reads them (see [`super::check`]): a change
//! is **additive** when every document the old schema accepted is still accepted, and
//! **breaking** when some document it accepted is now refused. Each keyword is compared on its
//! own, so the verdict errs only one way: a change zave cannot prove additive is breaking.

mod change;
mod walk;

mod pattern;

pub use change::{Change, ChangeKind, Class};

use std::collections::BTreeSet;

use serde_json::Value as Json;

/// Every difference between `old` and `new` that changes what they accept, in document order
/// of the places they concern (descriptions and other annotations are not differences).
pub fn classify(old: &Json, new: &Json) -> Vec<Change> {
    let mut changes = walk::compare(old, new);
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes
}

/// Whether any of `changes` is breaking.
pub fn any_breaking(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.class() == Class::Breaking)
}

/// The `apiVersion` values a contract schema accepts (its top-level `apiVersion` property's
/// enumeration); empty when it names none.
pub fn api_versions(schema: &Json) -> BTreeSet<String> {
    let property = schema.pointer("/properties/apiVersion");
    property
        .and_then(|p| walk::resolve(p, schema).as_object())
        .and_then(walk::allowed_values)
        .into_iter()
        .flatten()
        .filter_map(|value| value.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests;
