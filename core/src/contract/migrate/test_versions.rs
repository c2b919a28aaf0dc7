//! A test-only pair of contract versions and the migration between them, so the mechanism is
//! proved before the first real version after `zave.io/v1` exists.
//!
//! `migration-test.zave.io/v1` is `zave.io/v1` under another name; `migration-test.zave.io/v2`
//! renames `spec.resources.tier` to `size` and `spec.dependencies[].workload` to `service`, and
//! spells the delivery `rolling` as `rolling-update`: one rule of each kind, in a mapping and in
//! list items.

use std::sync::OnceLock;

use serde_json::{Map, Value as Json};

use super::{Migration, Rule};
use crate::schema::CompiledSchema;

/// The older test version.
pub const V1: &str = "migration-test.zave.io/v1";
/// The newer test version.
pub const V2: &str = "migration-test.zave.io/v2";

/// The migration from [`V1`] to [`V2`].
pub const MIGRATION: Migration = Migration {
    from: V1,
    to: V2,
    rules: &[
        Rule::RenameKey {
            at: "spec.resources.tier",
            to: "size",
        },
        Rule::RenameKey {
            at: "spec.dependencies[].workload",
            to: "service",
        },
        Rule::ReplaceValue {
            at: "spec.delivery",
            from: "rolling",
            to: "rolling-update",
        },
    ],
};

/// The schema of a test version.
pub fn schema_of(version: &str) -> Option<&'static CompiledSchema> {
    static SCHEMAS: OnceLock<[CompiledSchema; 2]> = OnceLock::new();
    let [v1, v2] = SCHEMAS.get_or_init(|| {
        let (v1, v2) = schemas();
        [CompiledSchema::from_json(v1), CompiledSchema::from_json(v2)]
    });
    match version {
        V1 => Some(v1),
        V2 => Some(v2),
        _ => None,
    }
}

/// The JSON Schemas of [`V1`] and [`V2`], derived from the contract schema.
pub fn schemas() -> (Json, Json) {
    let mut v1 = crate::contract_schema().clone();
    set_const(&mut v1, "ApiVersion", "zave.io/v1", V1);
    let mut v2 = v1.clone();
    set_const(&mut v2, "ApiVersion", V1, V2);
    set_const(&mut v2, "Delivery", "rolling", "rolling-update");
    rename_property(&mut v2, "Resources", "tier", "size");
    rename_property(&mut v2, "Dependency", "workload", "service");
    (v1, v2)
}

fn definition<'s>(schema: &'s mut Json, name: &str) -> Option<&'s mut Map<String, Json>> {
    schema.get_mut("$defs")?.get_mut(name)?.as_object_mut()
}

fn set_const(schema: &mut Json, definition_name: &str, from: &str, to: &str) {
    let branches = definition(schema, definition_name)
        .and_then(|d| d.get_mut("oneOf"))
        .and_then(Json::as_array_mut);
    for branch in branches.into_iter().flatten() {
        if branch.get("const").is_some_and(|c| c == from) {
            branch["const"] = Json::from(to);
        }
    }
}

fn rename_property(schema: &mut Json, definition_name: &str, from: &str, to: &str) {
    let Some(definition) = definition(schema, definition_name) else {
        return;
    };
    let properties = definition
        .get_mut("properties")
        .and_then(Json::as_object_mut);
    if let Some(properties) = properties {
        if let Some(property) = properties.remove(from) {
            properties.insert(to.to_owned(), property);
        }
    }
    let required = definition.get_mut("required").and_then(Json::as_array_mut);
    for name in required.into_iter().flatten() {
        if name == from {
            *name = Json::from(to);
        }
    }
}
