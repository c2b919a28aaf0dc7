//! `zave schema diff`: two schema files in, every change classified, exit 1 when any breaks.

mod common;

use common::{text, zave};
use serde_json::{Value as Json, json};

fn current_schema() -> Json {
    serde_json::from_slice(&zave(&["schema"]).stdout).expect("the schema is JSON")
}

/// The contract schema with a new optional persistence field.
fn additive_schema() -> Json {
    let mut schema = current_schema();
    schema["$defs"]["Persistence"]["properties"]["notes"] = json!({"type": "object"});
    schema
}

/// The additive schema without the tier `gpu-large`.
fn changed_schema() -> Json {
    let mut schema = additive_schema();
    if let Some(tiers) = schema["$defs"]["Tier"]["oneOf"].as_array_mut() {
        tiers.retain(|tier| tier["const"] != "gpu-large");
    }
    schema
}

fn write(dir: &tempfile::TempDir, name: &str, schema: &Json) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, serde_json::to_vec(schema).expect("JSON")).expect("written");
    path.to_string_lossy().into_owned()
}

fn schemas() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let old = write(&dir, "old.json", &current_schema());
    let new = write(&dir, "new.json", &changed_schema());
    (dir, old, new)
}

#[test]
fn a_breaking_difference_is_listed_with_the_additive_ones_and_fails() {
    let (_dir, old, new) = schemas();
    let output = zave(&["schema", "diff", &old, &new]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(text(&output.stdout));
}

#[test]
fn json_output_gives_each_change_as_data() {
    let (_dir, old, new) = schemas();
    let output = zave(&["schema", "diff", &old, &new, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Json = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["breaking"], true);
    let changes: Vec<(&str, &str, &str)> = report["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let field = |key: &str| c[key].as_str().unwrap_or_default();
            (field("path"), field("class"), field("kind"))
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("spec.persistence.notes", "additive", "field-added"),
            ("spec.resources.tier", "breaking", "values-removed"),
        ]
    );
}

#[test]
fn an_additive_difference_passes_and_the_same_schema_has_none() {
    let (dir, old, _new) = schemas();
    let additive = write(&dir, "additive.json", &additive_schema());
    let output = zave(&["schema", "diff", &old, &additive]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout),
        "additive  spec.persistence.notes  new optional field\n1 change: 0 breaking, 1 additive\n"
    );
    let same = zave(&["schema", "diff", &old, &old]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(text(&same.stdout), "0 changes: 0 breaking, 0 additive\n");
}

#[test]
fn a_file_that_is_not_json_is_a_usage_error_with_its_position() {
    let (dir, old, _new) = schemas();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"type\": \n").expect("written");
    let output = zave(&["schema", "diff", &old, &broken.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("broken.json:3:"),
        "{}",
        text(&output.stderr)
    );
    let list = write(&dir, "list.json", &json!([1, 2]));
    assert_eq!(
        zave(&["schema", "diff", &list, &old]).status.code(),
        Some(2)
    );
    let missing = zave(&["schema", "diff", &old, "no-such-schema.json"]);
    assert_eq!(missing.status.code(), Some(2));
}
