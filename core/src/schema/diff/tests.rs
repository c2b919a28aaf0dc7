//! The classifier on hand-made pairs of schemas: each kind of change, in both classes.

use serde_json::{Value as Json, json};

use super::{Change, ChangeKind, Class, any_breaking, api_versions, classify};

/// A closed mapping schema with these properties and required keys.
fn mapping(properties: Json, required: &[&str]) -> Json {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
        "required": required,
    })
}

fn enumeration(values: &[&str]) -> Json {
    let branches: Vec<Json> = values
        .iter()
        .map(|v| json!({"const": v, "type": "string", "description": format!("The {v} value.")}))
        .collect();
    json!({ "oneOf": branches })
}

/// The changes as `(path, class, kind)` triples, the kind as its JSON tag.
fn summary(old: &Json, new: &Json) -> Vec<(String, Class, String)> {
    classify(old, new)
        .iter()
        .map(|change| {
            let tag = serde_json::to_value(change).unwrap_or_default()["kind"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            (change.path.clone(), change.class(), tag)
        })
        .collect()
}

fn one(path: &str, class: Class, kind: &str) -> Vec<(String, Class, String)> {
    vec![(path.to_owned(), class, kind.to_owned())]
}

#[test]
fn identical_schemas_and_changed_descriptions_are_no_change() {
    let schema = crate::contract_schema();
    assert_eq!(classify(schema, schema), Vec::<Change>::new());
    let old = mapping(
        json!({"a": {"type": "string", "description": "A."}}),
        &["a"],
    );
    let new = mapping(json!({"a": {"type": "string", "title": "the a"}}), &["a"]);
    assert_eq!(classify(&old, &new), Vec::<Change>::new());
}

#[test]
fn a_new_optional_field_is_additive_and_a_new_required_one_breaking() {
    let old = mapping(json!({"engine": {"type": "string"}}), &["engine"]);
    let optional = mapping(
        json!({"engine": {"type": "string"}, "migrations": {"type": "object"}}),
        &["engine"],
    );
    let required = mapping(
        json!({"engine": {"type": "string"}, "migrations": {"type": "object"}}),
        &["engine", "migrations"],
    );
    assert_eq!(
        summary(&old, &optional),
        one("migrations", Class::Additive, "field-added")
    );
    assert_eq!(
        summary(&old, &required),
        one("migrations", Class::Breaking, "field-added")
    );
}

#[test]
fn removing_or_renaming_a_field_is_breaking() {
    let old = mapping(
        json!({"tier": {"type": "string"}, "cpu": {"type": "integer"}}),
        &[],
    );
    let removed = mapping(json!({"tier": {"type": "string"}}), &[]);
    let renamed = mapping(
        json!({"size": {"type": "string"}, "cpu": {"type": "integer"}}),
        &[],
    );
    assert_eq!(
        summary(&old, &removed),
        one("cpu", Class::Breaking, "field-removed")
    );
    assert_eq!(
        summary(&old, &renamed),
        one("tier", Class::Breaking, "field-renamed")
    );
    assert_eq!(
        classify(&old, &renamed)[0].kind,
        ChangeKind::FieldRenamed { to: "size".into() }
    );
}

#[test]
fn a_field_made_optional_is_additive_and_made_required_breaking() {
    let optional = mapping(json!({"delivery": {"type": "string"}}), &[]);
    let required = mapping(json!({"delivery": {"type": "string"}}), &["delivery"]);
    assert_eq!(
        summary(&required, &optional),
        one("delivery", Class::Additive, "field-optional")
    );
    assert_eq!(
        summary(&optional, &required),
        one("delivery", Class::Breaking, "field-required")
    );
}

#[test]
fn a_new_enum_value_is_additive_and_a_removed_one_breaking() {
    let old = mapping(json!({"tier": enumeration(&["small", "large"])}), &[]);
    let wider = mapping(
        json!({"tier": enumeration(&["small", "large", "huge"])}),
        &[],
    );
    let narrower = mapping(json!({"tier": enumeration(&["small"])}), &[]);
    assert_eq!(
        summary(&old, &wider),
        one("tier", Class::Additive, "values-added")
    );
    assert_eq!(
        summary(&old, &narrower),
        one("tier", Class::Breaking, "values-removed")
    );
    // The same values written as `enum` or `oneOf` of constants are the same schema.
    let as_enum = mapping(json!({"tier": {"enum": ["large", "small"]}}), &[]);
    assert_eq!(classify(&old, &as_enum), Vec::<Change>::new());
}

#[test]
fn an_enumeration_imposed_is_breaking_and_lifted_additive() {
    let free = mapping(json!({"tier": {"type": "string"}}), &[]);
    let listed = mapping(json!({"tier": {"type": "string", "enum": ["small"]}}), &[]);
    assert_eq!(
        summary(&free, &listed),
        one("tier", Class::Breaking, "values-restricted")
    );
    assert_eq!(
        summary(&listed, &free),
        one("tier", Class::Additive, "values-unrestricted")
    );
}

#[test]
fn a_relaxed_pattern_is_additive_and_a_narrowed_one_breaking_with_an_example() {
    let name =
        |pattern: &str| mapping(json!({"name": {"type": "string", "pattern": pattern}}), &[]);
    let old = name("^[a-z]([a-z0-9-]*[a-z0-9])?$");
    let relaxed = name("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    assert_eq!(
        summary(&old, &relaxed),
        one("name", Class::Additive, "pattern-relaxed")
    );
    let narrowed = name("^[a-z]+$");
    let changes = classify(&old, &narrowed);
    assert_eq!(changes.len(), 1);
    let ChangeKind::PatternNarrowed {
        example: Some(example),
        ..
    } = &changes[0].kind
    else {
        panic!("narrowed with an example: {changes:?}");
    };
    assert!(
        example.contains(|c: char| c.is_ascii_digit() || c == '-'),
        "{example}"
    );
    // A pattern where there was none narrows; dropping one relaxes.
    let free = mapping(json!({"name": {"type": "string"}}), &[]);
    assert_eq!(
        summary(&free, &old),
        one("name", Class::Breaking, "pattern-narrowed")
    );
    assert_eq!(
        summary(&old, &free),
        one("name", Class::Additive, "pattern-relaxed")
    );
}

#[test]
fn a_changed_type_is_breaking_and_a_wider_one_additive() {
    let integer = mapping(json!({"port": {"type": "integer"}}), &[]);
    let string = mapping(json!({"port": {"type": "string"}}), &[]);
    let number = mapping(json!({"port": {"type": "number"}}), &[]);
    let either = mapping(json!({"port": {"type": ["integer", "string"]}}), &[]);
    assert_eq!(
        summary(&integer, &string),
        one("port", Class::Breaking, "type-narrowed")
    );
    assert_eq!(
        summary(&integer, &number),
        one("port", Class::Additive, "type-widened")
    );
    assert_eq!(
        summary(&integer, &either),
        one("port", Class::Additive, "type-widened")
    );
    assert_eq!(
        summary(&number, &integer),
        one("port", Class::Breaking, "type-narrowed")
    );
}

#[test]
fn bounds_relaxed_are_additive_and_tightened_breaking() {
    let length = |min: u64, max: u64| {
        mapping(
            json!({"name": {"type": "string", "minLength": min, "maxLength": max}}),
            &[],
        )
    };
    assert_eq!(
        summary(&length(1, 40), &length(1, 63)),
        one("name", Class::Additive, "bound-relaxed")
    );
    assert_eq!(
        summary(&length(1, 40), &length(2, 40)),
        one("name", Class::Breaking, "bound-tightened")
    );
    let items = |schema: Json| mapping(json!({"list": schema}), &[]);
    assert_eq!(
        summary(
            &items(json!({"type": "array"})),
            &items(json!({"type": "array", "maxItems": 8}))
        ),
        one("list", Class::Breaking, "bound-tightened")
    );
}

#[test]
fn other_keys_allowed_are_additive_and_refused_breaking() {
    let closed = mapping(json!({}), &[]);
    let open = json!({"type": "object", "properties": {}, "required": []});
    assert_eq!(
        summary(&closed, &open),
        one("", Class::Additive, "other-keys-allowed")
    );
    assert_eq!(
        summary(&open, &closed),
        one("", Class::Breaking, "other-keys-refused")
    );
}

#[test]
fn changes_inside_lists_and_references_are_found_where_documents_hold_them() {
    let old = json!({
        "$defs": {"Capability": mapping(json!({"name": enumeration(&["metrics"])}), &["name"])},
        "type": "object",
        "properties": {"capabilities": {"type": "array", "items": {"$ref": "#/$defs/Capability"}}},
    });
    // The definition is renamed and inlined elsewhere: documents see only the new value.
    let new = json!({
        "$defs": {"Feature": mapping(json!({"name": enumeration(&["metrics", "feature-flags"])}), &["name"])},
        "type": "object",
        "properties": {"capabilities": {"type": "array", "items": {"$ref": "#/$defs/Feature"}}},
    });
    assert_eq!(
        summary(&old, &new),
        one("capabilities[].name", Class::Additive, "values-added")
    );
}

#[test]
fn a_keyword_the_classifier_does_not_read_counts_as_breaking() {
    let old = mapping(json!({"n": {"type": "integer"}}), &[]);
    let new = mapping(json!({"n": {"type": "integer", "multipleOf": 2}}), &[]);
    assert_eq!(
        summary(&old, &new),
        one("n", Class::Breaking, "keyword-changed")
    );
    let nothing = mapping(json!({"n": false}), &[]);
    assert_eq!(
        summary(&old, &nothing),
        one("n", Class::Breaking, "nothing-accepted")
    );
}

#[test]
fn the_v1_fields_being_added_now_are_additive() {
    // The schema before migrations and feature-flags: the current one without them.
    let new = crate::contract_schema().clone();
    let mut old = new.clone();
    let defs = &mut old["$defs"];
    if let Some(properties) = defs["Persistence"]["properties"].as_object_mut() {
        properties.remove("migrations");
    }
    if let Some(branches) = defs["CapabilityName"]["oneOf"].as_array_mut() {
        branches.retain(|branch| branch["const"] != "feature-flags");
    }
    assert_ne!(old, new, "the current schema has both fields");
    let changes = classify(&old, &new);
    assert!(!any_breaking(&changes), "{changes:#?}");
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        ["spec.capabilities[].name", "spec.persistence.migrations"]
    );
}

#[test]
fn the_contract_schema_names_its_api_version() {
    let versions: Vec<String> = api_versions(crate::contract_schema()).into_iter().collect();
    assert_eq!(versions, ["zave.io/v1"]);
}

#[test]
fn a_change_serializes_with_its_class_and_message() {
    let old = mapping(json!({"a": {"type": "string"}}), &[]);
    let new = mapping(json!({}), &[]);
    let value = serde_json::to_value(classify(&old, &new)).unwrap_or_default();
    assert_eq!(
        value,
        json!([{"path": "a", "class": "breaking", "kind": "field-removed", "message": "field removed"}])
    );
}

#[test]
fn recursive_schemas_are_compared_to_a_bounded_depth() {
    let tree = |leaf: Json| {
        json!({
            "$defs": {"Node": {"type": "object", "properties": {
                "leaf": leaf,
                "child": {"$ref": "#/$defs/Node"},
            }}},
            "$ref": "#/$defs/Node",
        })
    };
    let old = tree(json!({"type": "string"}));
    assert_eq!(classify(&old, &old), Vec::<Change>::new());
    let changes = classify(&old, &tree(json!({"type": "integer"})));
    assert!(
        changes
            .iter()
            .any(|c| c.path == "leaf" && c.class() == Class::Breaking)
    );
    assert!(changes.iter().all(|c| c.class() == Class::Breaking));
}
