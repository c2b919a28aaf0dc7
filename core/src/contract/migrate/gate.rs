//! The compatibility gate: what a recorded contract schema lets through must still pass.

use serde_json::Value as Json;

use super::path_from;
use crate::schema::diff::{Change, Class, api_versions, classify};

/// The breaking changes from `recorded` to `current` that nothing answers for; empty when the
/// current schema may replace the recorded one.
///
/// While `current` still accepts every `apiVersion` of `recorded`, every breaking change
/// counts. A version it no longer accepts must be left by a registered migration that ends
/// at a version it does accept: then the breaking changes are the new version's, and
/// [`super::migrate`] carries the contracts across.
pub fn gate(recorded: &Json, current: &Json) -> Vec<Change> {
    let changes = classify(recorded, current);
    let accepted = api_versions(current);
    let migrated = api_versions(recorded).difference(&accepted).all(|version| {
        path_from(version)
            .last()
            .is_some_and(|last| accepted.contains(last.to))
    });
    let replaced = !api_versions(recorded).is_subset(&accepted);
    if replaced && migrated {
        return Vec::new();
    }
    changes
        .into_iter()
        .filter(|change| change.class() == Class::Breaking)
        .collect()
}
