//! JSON Schemas derived from the typed models, and the stage-1 check that enforces them.
//!
//! The published schema and the check are one thing: zave validates a document against exactly
//! the schema an editor is pointed at.

mod check;
pub mod diff;
mod pattern;

pub use check::{Hints, SchemaFindings, check};

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value as Json;

use pattern::Pattern;

/// A published schema, ready for the stage-1 check: each of its `pattern`s is compiled once, the
/// first time a string is checked against it (a contract meets few of them).
#[derive(Debug)]
pub struct CompiledSchema {
    json: Json,
    patterns: BTreeMap<String, OnceLock<Option<Pattern>>>,
}

impl CompiledSchema {
    /// Derives the schema of `T`.
    pub fn of<T: JsonSchema>() -> CompiledSchema {
        CompiledSchema::from_json(schema_for::<T>())
    }

    /// Reads the patterns of a schema given as JSON (a recorded one, say).
    pub fn from_json(json: Json) -> CompiledSchema {
        let mut patterns = BTreeMap::new();
        collect_patterns(&json, &mut patterns);
        CompiledSchema { json, patterns }
    }

    /// The schema as JSON, as published.
    pub fn json(&self) -> &Json {
        &self.json
    }

    /// The compiled form of a pattern of this schema; `None` for a pattern it does not have or
    /// one that cannot be compiled.
    pub(crate) fn pattern(&self, pattern: &str) -> Option<&Pattern> {
        let compiled = self.patterns.get(pattern)?;
        compiled.get_or_init(|| Pattern::new(pattern)).as_ref()
    }
}

fn collect_patterns(schema: &Json, patterns: &mut BTreeMap<String, OnceLock<Option<Pattern>>>) {
    match schema {
        Json::Object(object) => {
            let pattern = object.get("pattern").and_then(Json::as_str);
            if let Some(pattern) = pattern.filter(|p| !patterns.contains_key(*p)) {
                patterns.insert(pattern.to_owned(), OnceLock::new());
            }
            object
                .values()
                .for_each(|value| collect_patterns(value, patterns));
        }
        Json::Array(items) => items
            .iter()
            .for_each(|item| collect_patterns(item, patterns)),
        _ => {}
    }
}

/// The JSON Schema of a model, as zave publishes and enforces it.
///
/// Optional fields may be left out but not set to `null`, so nullability that serde's `Option`
/// would add is removed.
pub fn schema_for<T: JsonSchema>() -> Json {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    remove_null(&mut schema);
    schema
}

/// Removes `null` from `type` lists and unwraps `anyOf: [X, {type: null}]`, everywhere.
fn remove_null(schema: &mut Json) {
    match schema {
        Json::Object(object) => {
            if let Some(Json::Array(types)) = object.get_mut("type") {
                types.retain(|t| t != "null");
                if let [single] = types.as_slice() {
                    let single = single.clone();
                    object.insert("type".to_owned(), single);
                }
            }
            let unwrapped = match object.get("anyOf") {
                Some(Json::Array(branches)) if branches.len() == 2 => branches
                    .iter()
                    .find(|branch| branch.get("type").is_none_or(|t| t != "null"))
                    .filter(|_| {
                        branches
                            .iter()
                            .any(|b| b.get("type").is_some_and(|t| t == "null"))
                    })
                    .cloned(),
                _ => None,
            };
            if let Some(Json::Object(inner)) = unwrapped {
                object.remove("anyOf");
                for (key, value) in inner {
                    object.entry(key).or_insert(value);
                }
            }
            object.values_mut().for_each(remove_null);
        }
        Json::Array(items) => items.iter_mut().for_each(remove_null),
        _ => {}
    }
}

/// Pretty JSON text of a schema, as committed in `schemas/`, with a final newline.
pub fn to_pretty_json(schema: &Json) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::check::{ANNOTATION_KEYWORDS, ENFORCED_KEYWORDS};
    use super::*;

    /// Every keyword in a schema zave publishes must be enforced or a pure annotation: a
    /// keyword the check ignored would let documents through that editors refuse.
    fn assert_keywords_known(schema: &Json, at: &str) {
        let Some(object) = schema.as_object() else {
            return;
        };
        for (key, value) in object {
            assert!(
                ENFORCED_KEYWORDS.contains(&key.as_str())
                    || ANNOTATION_KEYWORDS.contains(&key.as_str()),
                "schema keyword {key:?} at {at} is not enforced by the stage-1 check"
            );
            match key.as_str() {
                "properties" | "$defs" => {
                    for (name, sub) in value.as_object().into_iter().flatten() {
                        assert_keywords_known(sub, &format!("{at}/{key}/{name}"));
                    }
                }
                "items" | "additionalProperties" => {
                    assert_keywords_known(value, &format!("{at}/{key}"))
                }
                "oneOf" => {
                    for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
                        assert_keywords_known(sub, &format!("{at}/{key}/{i}"));
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn contract_schema_uses_only_enforced_keywords() {
        assert_keywords_known(crate::contract_schema(), "#");
    }

    #[test]
    fn profile_schema_uses_only_enforced_keywords() {
        assert_keywords_known(crate::profile::profile_schema(), "#");
    }

    #[test]
    fn optional_fields_are_not_nullable() {
        let text = serde_json::to_string(crate::contract_schema()).unwrap_or_default();
        assert!(!text.contains("\"null\""), "{text}");
        assert!(!text.contains("anyOf"), "{text}");
    }
}
