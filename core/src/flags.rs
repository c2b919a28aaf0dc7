//! A tenant's `flags.json`: flagd's flag-definition format, read with positioned findings and
//! kept as the canonical text the flagd sidecar serves.
//!
//! The rules are those of flagd's published schema (`https://flagd.dev/schema/v0/flags.json`)
//! that decide whether a flag can be evaluated, plus the one the schema cannot say: a default
//! variant or a targeting result must name a variant of its flag.

use crate::diagnostic::{self, Code, Diagnostic, Diagnostics};
use crate::document::{self, Node, Path, Position, Span, Value};
use crate::suggest::{did_you_mean, quote};

/// The keys a flags file may have at its top.
const FILE_KEYS: &[&str] = &["$schema", "flags", "metadata", "$evaluators"];
/// The keys a flag may have.
const FLAG_KEYS: &[&str] = &[
    "state",
    "variants",
    "defaultVariant",
    "targeting",
    "metadata",
];
/// The states a flag may be in.
const STATES: &[&str] = &["ENABLED", "DISABLED"];

/// A checked flag set, as flagd reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagSet {
    text: String,
    keys: Vec<String>,
}

impl FlagSet {
    /// The set without a flag, served when no flags file is given (W005).
    pub fn empty() -> FlagSet {
        FlagSet {
            text: "{\n  \"flags\": {}\n}\n".to_owned(),
            keys: Vec::new(),
        }
    }

    /// The set as the JSON flagd reads: the file's data, re-serialized so formatting of the
    /// source does not change the rendered ConfigMap's name.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The flag keys, in file order.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }
}

/// Reads a flags file, reporting every finding at once, each at its node in the file.
pub fn parse(bytes: &[u8]) -> Result<FlagSet, Diagnostics> {
    if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(Diagnostics(vec![syntax_error(&error)]));
    }
    let document = document::load(bytes).map_err(|finding| Diagnostics(vec![finding]))?;
    let mut findings = Vec::new();
    let keys = check_file(&document, &mut findings);
    if !findings.is_empty() {
        diagnostic::sort(&mut findings);
        return Err(Diagnostics(findings));
    }
    let mut text = serde_json::to_string_pretty(&document.to_json()).unwrap_or_default();
    text.push('\n');
    Ok(FlagSet { text, keys })
}

fn syntax_error(error: &serde_json::Error) -> Diagnostic {
    let at = Position {
        line: u32::try_from(error.line()).unwrap_or(u32::MAX),
        column: u32::try_from(error.column()).unwrap_or(u32::MAX),
    };
    let reason = error.to_string();
    let reason = reason.split(" at line ").next().unwrap_or(&reason);
    Diagnostic::new(
        Code::FlagsSyntax,
        &Path::root(),
        Some(Span::point(at)),
        format!("the flags file is not valid JSON: {reason}"),
    )
    .with_help("a flags file is JSON in flagd's format: {\"flags\": {\"<key>\": {…}}}")
}

fn invalid(code: Code, node: &Node, path: &Path, message: String) -> Diagnostic {
    Diagnostic::new(code, path, Some(node.span), message)
}

/// Checks the whole file; returns the flag keys.
fn check_file(document: &Node, findings: &mut Vec<Diagnostic>) -> Vec<String> {
    let root = Path::root();
    let Value::Map(entries) = &document.value else {
        findings.push(wrong_type(document, &root, "a mapping of flags"));
        return Vec::new();
    };
    check_keys(document, &root, FILE_KEYS, findings);
    if let Some(schema) = document.entry("$schema") {
        expect_string(&schema.value, &root.key("$schema"), findings);
    }
    if let Some(metadata) = document.entry("metadata") {
        check_metadata(&metadata.value, &root.key("metadata"), findings);
    }
    if let Some(evaluators) = document.entry("$evaluators") {
        if !matches!(evaluators.value.value, Value::Map(_)) {
            findings.push(wrong_type(
                &evaluators.value,
                &root.key("$evaluators"),
                "a mapping of named rules",
            ));
        }
    }
    let Some(flags) = entries.iter().find(|entry| entry.key == "flags") else {
        findings.push(
            invalid(
                Code::FlagsInvalid,
                document,
                &root.key("flags"),
                "the flags file has no \"flags\" mapping".to_owned(),
            )
            .with_help("write {\"flags\": {}} for a set without a flag"),
        );
        return Vec::new();
    };
    let path = root.key("flags");
    let Value::Map(flags) = &flags.value.value else {
        findings.push(wrong_type(&flags.value, &path, "a mapping of flag keys"));
        return Vec::new();
    };
    for flag in flags {
        check_flag(&flag.value, &path.key(&flag.key), findings);
    }
    flags.iter().map(|flag| flag.key.clone()).collect()
}

fn check_flag(flag: &Node, path: &Path, findings: &mut Vec<Diagnostic>) {
    if !matches!(flag.value, Value::Map(_)) {
        findings.push(wrong_type(
            flag,
            path,
            "a mapping (state, variants, defaultVariant)",
        ));
        return;
    }
    check_keys(flag, path, FLAG_KEYS, findings);
    for key in ["state", "variants", "defaultVariant"] {
        if flag.entry(key).is_none() {
            findings.push(Diagnostic::new(
                Code::FlagsInvalid,
                &path.key(key),
                Some(flag.span_for(&path.key(key))),
                format!("flag {} has no {key}", quote(&last_key(path))),
            ));
        }
    }
    if let Some(state) = flag.entry("state") {
        check_state(&state.value, &path.key("state"), findings);
    }
    let variants = flag
        .entry("variants")
        .map(|entry| check_variants(&entry.value, &path.key("variants"), findings))
        .unwrap_or_default();
    if let Some(default) = flag.entry("defaultVariant") {
        let at = path.key("defaultVariant");
        match &default.value.value {
            Value::Null => {}
            Value::String(name) => {
                check_variant_name(&default.value, &at, name, &variants, findings)
            }
            _ => findings.push(wrong_type(&default.value, &at, "a variant's name")),
        }
    }
    if let Some(targeting) = flag.entry("targeting") {
        let at = path.key("targeting");
        if matches!(targeting.value.value, Value::Map(_)) {
            check_rule(&targeting.value, &at, &variants, findings);
        } else {
            findings.push(
                invalid(
                    Code::TargetingShape,
                    &targeting.value,
                    &at,
                    format!("targeting is {}, not a JsonLogic rule", targeting.value.value.type_noun()),
                )
                .with_help("write a mapping with one operator, such as {\"if\": [condition, \"on\", \"off\"]}, or {} for none"),
            );
        }
    }
    if let Some(metadata) = flag.entry("metadata") {
        check_metadata(&metadata.value, &path.key("metadata"), findings);
    }
}

fn check_state(state: &Node, path: &Path, findings: &mut Vec<Diagnostic>) {
    match &state.value {
        Value::String(text) if STATES.contains(&text.as_str()) => {}
        Value::String(text) => {
            findings.push(
                invalid(
                    Code::FlagsInvalid,
                    state,
                    path,
                    format!("state {} is not ENABLED or DISABLED", quote(text)),
                )
                .with_help(did_you_mean(text, STATES, "a flag's states")),
            );
        }
        _ => findings.push(wrong_type(state, path, "ENABLED or DISABLED")),
    }
}

/// The kind of a variant's value; every variant of a flag has the same.
fn variant_kind(value: &Value) -> Option<&'static str> {
    match value {
        Value::Bool(_) => Some("a boolean"),
        Value::String(_) => Some("a string"),
        Value::Int(_) | Value::Float(_) => Some("a number"),
        Value::Map(_) => Some("an object"),
        Value::Null | Value::Seq(_) => None,
    }
}

/// Checks the variants; returns their names.
fn check_variants(variants: &Node, path: &Path, findings: &mut Vec<Diagnostic>) -> Vec<String> {
    let Value::Map(entries) = &variants.value else {
        findings.push(wrong_type(
            variants,
            path,
            "a mapping of variant names to values",
        ));
        return Vec::new();
    };
    if entries.is_empty() {
        findings.push(invalid(
            Code::FlagsInvalid,
            variants,
            path,
            "a flag needs at least one variant".to_owned(),
        ));
    }
    let mut first_kind = None;
    for entry in entries {
        let at = path.key(&entry.key);
        match (variant_kind(&entry.value.value), first_kind) {
            (None, _) => findings.push(wrong_type(
                &entry.value,
                &at,
                "a boolean, a string, a number or an object",
            )),
            (Some(kind), None) => first_kind = Some(kind),
            (Some(kind), Some(first)) if kind != first => findings.push(
                invalid(
                    Code::FlagsInvalid,
                    &entry.value,
                    &at,
                    format!(
                        "variant {} is {kind}, but the flag's first variant is {first}",
                        quote(&entry.key)
                    ),
                )
                .with_help("every variant of a flag has the same type"),
            ),
            (Some(_), Some(_)) => {}
        }
    }
    entries.iter().map(|entry| entry.key.clone()).collect()
}

fn check_variant_name(
    node: &Node,
    path: &Path,
    name: &str,
    variants: &[String],
    findings: &mut Vec<Diagnostic>,
) {
    if variants.iter().any(|variant| variant == name) {
        return;
    }
    let names: Vec<&str> = variants.iter().map(String::as_str).collect();
    findings.push(
        invalid(
            Code::UnknownVariant,
            node,
            path,
            format!("{} is not a variant of this flag", quote(name)),
        )
        .with_help(did_you_mean(name, &names, "the flag's variants")),
    );
}

/// Checks a JsonLogic rule: a mapping is an operation with exactly one operator (or `{}`, no
/// rule at all at the top); the literal results of `if` must name variants.
fn check_rule(rule: &Node, path: &Path, variants: &[String], findings: &mut Vec<Diagnostic>) {
    match &rule.value {
        Value::Map(entries) if entries.is_empty() && path_is_targeting(path) => {}
        Value::Map(entries) if entries.len() != 1 => findings.push(
            invalid(
                Code::TargetingShape,
                rule,
                path,
                format!(
                    "a JsonLogic operation has exactly one operator, this one has {}",
                    entries.len()
                ),
            )
            .with_help("nest operations instead: {\"and\": [{…}, {…}]}"),
        ),
        Value::Map(entries) => {
            for entry in entries {
                let at = path.key(&entry.key);
                if entry.key == "if" {
                    check_if_results(&entry.value, &at, variants, findings);
                }
                check_rule(&entry.value, &at, variants, findings);
            }
        }
        Value::Seq(items) => {
            for (index, item) in items.iter().enumerate() {
                check_rule(item, &path.index(index), variants, findings);
            }
        }
        _ => {}
    }
}

fn path_is_targeting(path: &Path) -> bool {
    last_key(path) == "targeting"
}

/// `if`'s arguments are `[condition, result, condition, result, …, otherwise]`: each result
/// that is a string literal is a variant's name.
fn check_if_results(args: &Node, path: &Path, variants: &[String], findings: &mut Vec<Diagnostic>) {
    let Value::Seq(items) = &args.value else {
        return;
    };
    for (index, item) in items.iter().enumerate() {
        let is_result = index % 2 == 1 || index + 1 == items.len() && index % 2 == 0 && index > 0;
        if let (true, Value::String(name)) = (is_result, &item.value) {
            check_variant_name(item, &path.index(index), name, variants, findings);
        }
    }
}

fn check_metadata(metadata: &Node, path: &Path, findings: &mut Vec<Diagnostic>) {
    let Value::Map(entries) = &metadata.value else {
        findings.push(wrong_type(metadata, path, "a mapping"));
        return;
    };
    for entry in entries {
        if !matches!(
            entry.value.value,
            Value::Bool(_) | Value::String(_) | Value::Int(_) | Value::Float(_)
        ) {
            findings.push(wrong_type(
                &entry.value,
                &path.key(&entry.key),
                "a boolean, a string or a number",
            ));
        }
    }
}

fn check_keys(node: &Node, path: &Path, allowed: &[&str], findings: &mut Vec<Diagnostic>) {
    let Value::Map(entries) = &node.value else {
        return;
    };
    for entry in entries {
        if allowed.contains(&entry.key.as_str()) {
            continue;
        }
        findings.push(
            Diagnostic::new(
                Code::FlagsInvalid,
                &path.key(&entry.key),
                Some(entry.key_span),
                format!("unknown key {}", quote(&entry.key)),
            )
            .with_help(did_you_mean(&entry.key, allowed, "allowed here")),
        );
    }
}

fn expect_string(node: &Node, path: &Path, findings: &mut Vec<Diagnostic>) {
    if !matches!(node.value, Value::String(_)) {
        findings.push(wrong_type(node, path, "a string"));
    }
}

fn wrong_type(node: &Node, path: &Path, expected: &str) -> Diagnostic {
    invalid(
        Code::FlagsInvalid,
        node,
        path,
        format!("expected {expected}, found {}", node.value.type_noun()),
    )
}

fn last_key(path: &Path) -> String {
    match path.segments().last() {
        Some(crate::document::PathSegment::Key(key)) => key.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, String, Option<u32>, Option<u32>)> {
        match parse(text.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(Diagnostics(found)) => found
                .into_iter()
                .map(|d| (d.code.as_str(), d.path, d.line, d.column))
                .collect(),
        }
    }

    #[test]
    fn a_valid_file_keeps_its_flags_in_order() {
        let text = r#"{"flags": {"b": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},
                      "a": {"state": "DISABLED", "variants": {"x": "1"}, "defaultVariant": null}}}"#;
        let set = parse(text.as_bytes()).expect("valid");
        assert_eq!(set.keys(), ["b", "a"]);
        let reread: serde_json::Value = serde_json::from_str(set.text()).expect("json");
        assert_eq!(reread["flags"]["b"]["variants"]["on"], true);
    }

    #[test]
    fn bad_json_is_reported_where_it_breaks() {
        assert_eq!(
            codes("{\"flags\": {\n  \"a\": ,\n}}"),
            [("Z130", String::new(), Some(2), Some(8))]
        );
    }

    #[test]
    fn an_unknown_default_variant_points_at_it() {
        let text = "{\"flags\": {\"a\": {\n  \"state\": \"ENABLED\",\n  \"variants\": {\"on\": true, \"off\": false},\n  \"defaultVariant\": \"of\"\n}}}";
        assert_eq!(
            codes(text),
            [(
                "Z132",
                "flags.a.defaultVariant".to_owned(),
                Some(4),
                Some(21)
            )]
        );
    }

    #[test]
    fn a_targeting_rule_of_the_wrong_shape_is_refused() {
        let list = r#"{"flags": {"a": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "targeting": ["on"]}}}"#;
        assert_eq!(codes(list)[0].0, "Z133");
        let two = r#"{"flags": {"a": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "targeting": {"if": [true, "on"], "==": [1, 1]}}}}"#;
        assert_eq!(codes(two)[0].1, "flags.a.targeting");
    }

    #[test]
    fn an_if_result_must_name_a_variant() {
        let text = r#"{"flags": {"a": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on", "targeting": {"if": [{"==": [{"var": "tier"}, "gold"]}, "on", "nope"]}}}}"#;
        let found = codes(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "Z132");
        assert_eq!(found[0].1, "flags.a.targeting.if[2]");
    }

    #[test]
    fn mixed_variant_types_unknown_keys_and_states_are_all_reported() {
        let text = r#"{"flags": {"a": {"state": "ENABLE", "variants": {"on": true, "off": "no"}, "defaultVariant": "on", "colour": 1}}, "extra": 1}"#;
        let found: Vec<_> = codes(text).into_iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(
            found,
            [
                ("Z131", "flags.a.state".to_owned()),
                ("Z131", "flags.a.variants.off".to_owned()),
                ("Z131", "flags.a.colour".to_owned()),
                ("Z131", "extra".to_owned()),
            ]
        );
    }

    #[test]
    fn the_empty_set_is_valid_flagd_input() {
        let set = parse(FlagSet::empty().text().as_bytes()).expect("valid");
        assert!(set.keys().is_empty());
    }
}
