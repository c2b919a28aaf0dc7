//! The walk over two schemas side by side, place by place of the documents they describe.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json, json};

use super::change::{Change, ChangeKind};
use super::pattern::{Inclusion, inclusion};

/// Keywords that never refuse a document (the stage-1 check ignores them too).
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$defs",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "format",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Keywords this walk compares; any other that differs is a [`ChangeKind::KeywordChanged`].
const COMPARED: &[&str] = &[
    "$ref",
    "type",
    "const",
    "enum",
    "oneOf",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "pattern",
];

/// Lower bounds: a higher value lets less through.
const LOWER_BOUNDS: &[&str] = &["minItems", "minLength", "minProperties", "minimum"];
/// Upper bounds: a lower value lets less through.
const UPPER_BOUNDS: &[&str] = &["maxItems", "maxLength", "maxProperties", "maximum"];

/// How deep the walk follows nested and referenced schemas before it stops.
const MAX_DEPTH: usize = 64;

/// Compares two whole schemas.
pub(super) fn compare(old: &Json, new: &Json) -> Vec<Change> {
    let mut walk = Walk {
        old_root: old,
        new_root: new,
        same_definitions: old.get("$defs") == new.get("$defs"),
        changes: Vec::new(),
    };
    walk.node(old, new, "", 0);
    walk.changes
}

/// `schema` with its `$ref` chain followed inside `root`'s `$defs`, as far as it resolves.
pub(super) fn resolve<'a>(schema: &'a Json, root: &'a Json) -> &'a Json {
    let mut schema = schema;
    for _ in 0..MAX_DEPTH {
        let target = schema
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .and_then(|name| root.get("$defs")?.get(name));
        match target {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

/// The values an enumeration allows: `const`, `enum`, or a `oneOf` of constants only.
pub(super) fn allowed_values(schema: &Map<String, Json>) -> Option<Vec<&Json>> {
    if let Some(constant) = schema.get("const") {
        return Some(vec![constant]);
    }
    if let Some(values) = schema.get("enum").and_then(Json::as_array) {
        return Some(values.iter().collect());
    }
    let branches = schema.get("oneOf").and_then(Json::as_array)?;
    branches.iter().map(|branch| branch.get("const")).collect()
}

struct Walk<'a> {
    old_root: &'a Json,
    new_root: &'a Json,
    /// Whether both schemas define the same `$defs`.
    same_definitions: bool,
    changes: Vec<Change>,
}

impl Walk<'_> {
    fn push(&mut self, path: &str, kind: ChangeKind) {
        self.changes.push(Change {
            path: path.to_owned(),
            kind,
        });
    }

    /// Compares the schemas of one place.
    fn node(&mut self, old: &Json, new: &Json, path: &str, depth: usize) {
        if depth > MAX_DEPTH {
            // Too deep to follow (a recursive schema): what differs there cannot be proved
            // additive.
            if old != new {
                self.push(path, keyword("$ref"));
            }
            return;
        }
        // Equal text is an equal schema only when references resolve alike.
        if old == new && self.same_definitions {
            return;
        }
        let old = effective(old, self.old_root);
        let new = effective(new, self.new_root);
        if old == new && !refers(&old) {
            return;
        }
        match (&old, &new) {
            (Json::Bool(false), _) => return,
            (_, Json::Bool(false)) => return self.push(path, ChangeKind::NothingAccepted),
            _ => {}
        }
        let empty = Map::new();
        let old = old.as_object().unwrap_or(&empty);
        let new = new.as_object().unwrap_or(&empty);
        if !self.types(old, new, path) {
            return;
        }
        if self.values(old, new, path) {
            return;
        }
        self.properties(old, new, path, depth);
        self.items(old, new, path, depth);
        self.pattern(old, new, path);
        self.bounds(old, new, path);
        self.other_keywords(old, new, path);
    }

    /// Compares `type`; false when no type is shared and nothing else is worth comparing.
    fn types(&mut self, old: &Map<String, Json>, new: &Map<String, Json>, path: &str) -> bool {
        let (from, to) = (type_set(old), type_set(new));
        if from == to {
            return true;
        }
        let accepted = |set: &Option<BTreeSet<String>>, name: &str| match set {
            None => true,
            Some(set) => set.contains(name) || (name == "integer" && set.contains("number")),
        };
        let lost = match &from {
            None => to.is_some(),
            Some(from) => from.iter().any(|name| !accepted(&to, name)),
        };
        let names = |set: &Option<BTreeSet<String>>| set.iter().flatten().cloned().collect();
        let (from_names, to_names) = (names(&from), names(&to));
        let shared = match (&from, &to) {
            (Some(from), Some(_)) => from.iter().any(|name| accepted(&to, name)),
            _ => true,
        };
        let kind = if lost {
            ChangeKind::TypeNarrowed {
                from: from_names,
                to: to_names,
            }
        } else {
            ChangeKind::TypeWidened {
                from: from_names,
                to: to_names,
            }
        };
        self.push(path, kind);
        shared
    }

    /// Compares enumerations; true when the new schema has one, which then decides alone
    /// (as in the stage-1 check).
    fn values(&mut self, old: &Map<String, Json>, new: &Map<String, Json>, path: &str) -> bool {
        // Compared by their JSON text, which orders them the same on every run.
        let spelled = |values: Option<Vec<&Json>>| -> Option<BTreeMap<String, Json>> {
            values.map(|values| {
                values
                    .into_iter()
                    .map(|value| (value.to_string(), value.clone()))
                    .collect()
            })
        };
        let from = spelled(allowed_values(old));
        let to = spelled(allowed_values(new));
        let list = |set: &BTreeMap<String, Json>| set.values().cloned().collect::<Vec<_>>();
        match (from, to) {
            (None, None) => {
                let branches = |schema: &Map<String, Json>| schema.get("oneOf").cloned();
                if branches(old) != branches(new) {
                    self.push(path, keyword("oneOf"));
                }
                false
            }
            (Some(_), None) => {
                self.push(path, ChangeKind::ValuesUnrestricted);
                false
            }
            (None, Some(to)) => {
                self.push(path, ChangeKind::ValuesRestricted { values: list(&to) });
                true
            }
            (Some(from), Some(to)) => {
                let only = |a: &BTreeMap<String, Json>, b: &BTreeMap<String, Json>| -> Vec<Json> {
                    let kept = a.iter().filter(|(text, _)| !b.contains_key(*text));
                    kept.map(|(_, value)| value.clone()).collect()
                };
                let (removed, added) = (only(&from, &to), only(&to, &from));
                if !removed.is_empty() {
                    self.push(path, ChangeKind::ValuesRemoved { values: removed });
                }
                if !added.is_empty() {
                    self.push(path, ChangeKind::ValuesAdded { values: added });
                }
                true
            }
        }
    }

    fn properties(
        &mut self,
        old: &Map<String, Json>,
        new: &Map<String, Json>,
        path: &str,
        depth: usize,
    ) {
        let no_properties = Map::new();
        let props = |schema: &Map<String, Json>| {
            schema
                .get("properties")
                .and_then(Json::as_object)
                .cloned()
                .unwrap_or_else(|| no_properties.clone())
        };
        let (old_props, new_props) = (props(old), props(new));
        let (old_other, new_other) = (other_keys(old), other_keys(new));
        let (old_required, new_required) = (required(old), required(new));
        let mut removed = Vec::new();
        let mut added = Vec::new();
        let names: BTreeSet<&String> = old_props.keys().chain(new_props.keys()).collect();
        for name in names {
            let at = child(path, name);
            match (
                old_props.get(name),
                new_props.get(name),
                old_other,
                new_other,
            ) {
                (Some(from), Some(to), _, _) => self.node(from, to, &at, depth + 1),
                (Some(from), None, _, Some(to)) => self.node(from, to, &at, depth + 1),
                (None, Some(to), Some(from), _) => self.node(from, to, &at, depth + 1),
                (Some(_), None, _, None) => removed.push(name.clone()),
                (None, Some(_), None, _) => added.push(name.clone()),
                (None, None, _, _) => {}
            }
        }
        // One field gone and one with the same schema in its place: a rename.
        let renamed = match (removed.as_slice(), added.as_slice()) {
            ([from], [to])
                if self.is_rename(&old_props[from], &new_props[to])
                    && old_required.contains(from) == new_required.contains(to) =>
            {
                let kind = ChangeKind::FieldRenamed { to: to.clone() };
                self.push(&child(path, from), kind);
                [std::mem::take(&mut removed), std::mem::take(&mut added)].concat()
            }
            _ => Vec::new(),
        };
        for name in &removed {
            self.push(&child(path, name), ChangeKind::FieldRemoved);
        }
        for name in &added {
            let required = new_required.contains(name);
            self.push(&child(path, name), ChangeKind::FieldAdded { required });
        }
        for name in new_required.difference(&old_required) {
            if !added.contains(name) && !renamed.contains(name) {
                self.push(&child(path, name), ChangeKind::FieldRequired);
            }
        }
        for name in old_required.difference(&new_required) {
            if !removed.contains(name) && !renamed.contains(name) {
                self.push(&child(path, name), ChangeKind::FieldOptional);
            }
        }
        self.keys(old, new, path, depth);
    }

    /// Whether a removed field's schema and an added one's accept the same values.
    fn is_rename(&self, old: &Json, new: &Json) -> bool {
        let mut inner = Walk {
            old_root: self.old_root,
            new_root: self.new_root,
            same_definitions: self.same_definitions,
            changes: Vec::new(),
        };
        inner.node(old, new, "", 0);
        inner.changes.is_empty()
    }

    /// Compares what happens to keys neither schema names (`additionalProperties`).
    fn keys(&mut self, old: &Map<String, Json>, new: &Map<String, Json>, path: &str, depth: usize) {
        match (other_keys(old), other_keys(new)) {
            (None, Some(_)) => self.push(path, ChangeKind::OtherKeysAllowed),
            (Some(_), None) => self.push(path, ChangeKind::OtherKeysRefused),
            (Some(from), Some(to)) => self.node(from, to, &child(path, "*"), depth + 1),
            (None, None) => {}
        }
    }

    fn items(
        &mut self,
        old: &Map<String, Json>,
        new: &Map<String, Json>,
        path: &str,
        depth: usize,
    ) {
        if !old.contains_key("items") && !new.contains_key("items") {
            return;
        }
        let anything = &Json::Bool(true);
        let from = old.get("items").unwrap_or(anything);
        let to = new.get("items").unwrap_or(anything);
        self.node(from, to, &format!("{path}[]"), depth + 1);
    }

    fn pattern(&mut self, old: &Map<String, Json>, new: &Map<String, Json>, path: &str) {
        let text = |schema: &Map<String, Json>| {
            schema
                .get("pattern")
                .and_then(Json::as_str)
                .map(str::to_owned)
        };
        let (from, to) = (text(old), text(new));
        let kind = match (&from, &to) {
            (None, None) => return,
            (Some(a), Some(b)) if a == b => return,
            (Some(_), None) => ChangeKind::PatternRelaxed { from, to },
            (None, Some(b)) => ChangeKind::PatternNarrowed {
                from,
                to: b.clone(),
                example: None,
            },
            (Some(a), Some(b)) => match inclusion(a, b) {
                Inclusion::Relaxed => ChangeKind::PatternRelaxed { from, to },
                Inclusion::Narrowed(example) => ChangeKind::PatternNarrowed {
                    from,
                    to: b.clone(),
                    example: Some(example),
                },
                Inclusion::Undecided => ChangeKind::PatternNarrowed {
                    from,
                    to: b.clone(),
                    example: None,
                },
            },
        };
        self.push(path, kind);
    }

    fn bounds(&mut self, old: &Map<String, Json>, new: &Map<String, Json>, path: &str) {
        let bounds = LOWER_BOUNDS
            .iter()
            .map(|k| (k, true))
            .chain(UPPER_BOUNDS.iter().map(|k| (k, false)));
        for (keyword, lower) in bounds {
            let (from, to) = (old.get(*keyword), new.get(*keyword));
            let number = |value: Option<&Json>| value.and_then(Json::as_f64);
            let tightened = match (number(from), number(to)) {
                (Some(a), Some(b)) if a == b => continue,
                (None, None) => continue,
                (Some(a), Some(b)) => (b > a) == lower,
                (None, Some(_)) => true,
                (Some(_), None) => false,
            };
            let keyword = (*keyword).to_owned();
            let spelled = |value: Option<&Json>| value.map(Json::to_string);
            let kind = match (tightened, spelled(to)) {
                (true, Some(to)) => ChangeKind::BoundTightened {
                    keyword,
                    from: spelled(from),
                    to,
                },
                (_, to) => ChangeKind::BoundRelaxed {
                    keyword,
                    from: spelled(from),
                    to,
                },
            };
            self.push(path, kind);
        }
    }

    fn other_keywords(&mut self, old: &Map<String, Json>, new: &Map<String, Json>, path: &str) {
        let known = |key: &str| {
            ANNOTATIONS.contains(&key)
                || COMPARED.contains(&key)
                || LOWER_BOUNDS.contains(&key)
                || UPPER_BOUNDS.contains(&key)
        };
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys.into_iter().filter(|key| !known(key)) {
            if old.get(key) != new.get(key) {
                self.push(path, keyword(key));
            }
        }
    }
}

/// A schema with its `$ref` resolved and annotations dropped: what decides acceptance.
/// `true` is the empty schema; a reference's siblings add to its target.
fn effective(schema: &Json, root: &Json) -> Json {
    let target = resolve(schema, root);
    let mut merged = match target {
        Json::Bool(true) => Map::new(),
        Json::Object(object) => object.clone(),
        other => return other.clone(),
    };
    if let (Json::Object(own), false) = (schema, std::ptr::eq(schema, target)) {
        for (key, value) in own {
            merged.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
    merged.retain(|key, _| key != "$ref" && !ANNOTATIONS.contains(&key.as_str()));
    // A `oneOf` of constants keeps only the constants: their descriptions are annotations.
    if let Some(Json::Array(branches)) = merged.get_mut("oneOf") {
        for branch in branches.iter_mut() {
            if let Some(object) = branch.as_object_mut() {
                object.retain(|key, _| !ANNOTATIONS.contains(&key.as_str()));
            }
        }
    }
    if merged.is_empty() {
        json!(true)
    } else {
        Json::Object(merged)
    }
}

/// Whether a schema holds a `$ref` anywhere (then equal text may still differ in meaning).
fn refers(schema: &Json) -> bool {
    match schema {
        Json::Object(object) => object
            .iter()
            .any(|(key, value)| key == "$ref" || refers(value)),
        Json::Array(items) => items.iter().any(refers),
        _ => false,
    }
}

fn type_set(schema: &Map<String, Json>) -> Option<BTreeSet<String>> {
    match schema.get("type")? {
        Json::String(name) => Some(BTreeSet::from([name.clone()])),
        Json::Array(names) => Some(
            names
                .iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => None,
    }
}

fn required(schema: &Map<String, Json>) -> BTreeSet<String> {
    let names = schema.get("required").and_then(Json::as_array);
    names
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_owned)
        .collect()
}

/// The schema of keys `properties` does not name; `None` when they are refused.
fn other_keys(schema: &Map<String, Json>) -> Option<&Json> {
    static ANYTHING: Json = Json::Bool(true);
    match schema.get("additionalProperties") {
        Some(Json::Bool(false)) => None,
        Some(other) => Some(other),
        None => Some(&ANYTHING),
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn keyword(name: &str) -> ChangeKind {
    ChangeKind::KeywordChanged {
        keyword: name.to_owned(),
    }
}
