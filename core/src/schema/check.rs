//! Stage 1: checks a positioned document against a JSON Schema, collecting every finding.
//!
//! Interprets the keywords zave's generated schemas use (a test proves no other appears):
//! `$ref`, `type`, `const`, `enum`, `oneOf` of constants, `properties`, `required`,
//! `additionalProperties`, `items`, `minItems`, `maxItems`, `pattern`, `minLength`,
//! `maxLength`, `minimum`, `maximum`. Annotations (`description`, `default`, …) are ignored.

use serde_json::{Map, Value as Json};

use super::CompiledSchema;

use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Node, Path, Span, Value};
use crate::suggest::{did_you_mean, quote};

/// Keywords the check enforces.
#[cfg(test)]
pub(crate) const ENFORCED_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "const",
    "enum",
    "oneOf",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
];

/// Keywords that only describe; they never refuse a document.
#[cfg(test)]
pub(crate) const ANNOTATION_KEYWORDS: &[&str] = &[
    "$schema",
    "$defs",
    "$id",
    "title",
    "description",
    "default",
    "examples",
    "format",
];

/// Extra, model-specific help a schema cannot carry.
pub trait Hints {
    /// Help for a key the schema does not allow at `path` (the path includes the key).
    fn unknown_key(&self, _path: &Path, _key: &str) -> Option<String> {
        None
    }
    /// Whether `value`, allowed at `path`, is reserved: accepted by the schema (a later stage
    /// refuses it) but not offered when a user is told what to write.
    fn is_reserved(&self, _path: &Path, _value: &str) -> bool {
        false
    }
    /// Help for a string at `path` that breaks its pattern or length.
    fn invalid_format(&self, _path: &Path, _value: &str) -> Option<String> {
        None
    }
}

/// What stage 1 found: every finding, and where the unknown keys are (a later stage can read
/// the document without them).
#[derive(Debug, Default)]
pub struct SchemaFindings {
    /// Every finding, in document order.
    pub findings: Vec<Diagnostic>,
    /// The paths of keys the schema does not allow.
    pub unknown_keys: Vec<Path>,
}

/// Checks `document` against `schema` and returns every finding.
pub fn check(schema: &CompiledSchema, document: &Node, hints: &dyn Hints) -> SchemaFindings {
    let mut checker = Checker {
        compiled: schema,
        root: schema.json(),
        hints,
        findings: Vec::new(),
        unknown_keys: Vec::new(),
    };
    checker.node(schema.json(), document, &Trail::Root, document.span);
    SchemaFindings {
        findings: checker.findings,
        unknown_keys: checker.unknown_keys,
    }
}

/// Where the check is in the document, kept on the stack; a [`Path`] is built only for a
/// finding, so a valid document costs no path allocations.
#[derive(Clone, Copy)]
enum Trail<'t> {
    Root,
    Key(&'t Trail<'t>, &'t str),
    Index(&'t Trail<'t>, usize),
}

impl Trail<'_> {
    fn path(&self) -> Path {
        match self {
            Trail::Root => Path::root(),
            Trail::Key(parent, key) => parent.path().key(key),
            Trail::Index(parent, index) => parent.path().index(*index),
        }
    }
}

struct Checker<'a> {
    compiled: &'a CompiledSchema,
    root: &'a Json,
    hints: &'a dyn Hints,
    findings: Vec<Diagnostic>,
    unknown_keys: Vec<Path>,
}

impl<'a> Checker<'a> {
    /// Checks one node; `owner` is where a missing key inside it is reported (its own key).
    fn node(&mut self, schema: &'a Json, node: &Node, path: &Trail<'_>, owner: Span) {
        let Some(schema) = schema.as_object() else {
            return;
        };
        if let Some(target) = schema
            .get("$ref")
            .and_then(Json::as_str)
            .and_then(|r| self.resolve(r))
        {
            self.node(target, node, path, owner);
        }
        if let Some(allowed) = allowed_values(schema) {
            // The common case first: an allowed word needs no path and no offer.
            let accepted =
                matches!(&node.value, Value::String(text) if allowed.contains(&text.as_str()));
            if !accepted {
                self.one_of(schema, &allowed, node, path);
            }
            return;
        }
        if let Some(expected) = schema.get("type") {
            if !type_matches(expected, &node.value) {
                let mut finding = Diagnostic::new(
                    Code::WrongType,
                    &path.path(),
                    Some(node.span),
                    format!(
                        "expected {}, found {}",
                        type_nouns(expected),
                        describe(&node.value)
                    ),
                );
                finding = finding.with_help(type_help(schema, expected, &node.value));
                self.findings.push(finding);
                return;
            }
        }
        match &node.value {
            Value::Map(_) => self.mapping(schema, node, path, owner),
            Value::Seq(items) => {
                self.count_bounds(schema, items.len(), node, path);
                if let Some(item_schema) = schema.get("items") {
                    for (index, item) in items.iter().enumerate() {
                        self.node(item_schema, item, &Trail::Index(path, index), item.span);
                    }
                }
            }
            Value::String(text) => self.string(schema, text, node, path),
            Value::Int(_) | Value::Float(_) => self.number(schema, node, path),
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn resolve(&self, reference: &str) -> Option<&'a Json> {
        let name = reference.strip_prefix("#/$defs/")?;
        self.root.get("$defs")?.get(name)
    }

    fn one_of(
        &mut self,
        schema: &Map<String, Json>,
        allowed: &[&str],
        node: &Node,
        path: &Trail<'_>,
    ) {
        let at = path.path();
        let offered: Vec<&str> = allowed
            .iter()
            .copied()
            .filter(|value| !self.hints.is_reserved(&at, value))
            .collect();
        let Value::String(text) = &node.value else {
            let example = schema
                .get("default")
                .and_then(Json::as_str)
                .or(offered.first().copied())
                .unwrap_or_default();
            self.findings.push(
                Diagnostic::new(
                    Code::WrongType,
                    &at,
                    Some(node.span),
                    format!(
                        "expected one of {}, found {}",
                        list(&offered),
                        describe(&node.value)
                    ),
                )
                .with_help(format!("write one of the listed words, such as {example}")),
            );
            return;
        };
        if allowed.contains(&text.as_str()) {
            return;
        }
        let message = match offered.as_slice() {
            [only] => format!(
                "value {} is not supported; expected \"{only}\"",
                quote(text)
            ),
            _ => format!("value {} is not one of {}", quote(text), list(&offered)),
        };
        let help = match offered.as_slice() {
            [only] => format!("the only value zave understands here is \"{only}\""),
            _ => did_you_mean(text, &offered, "allowed"),
        };
        self.findings.push(
            Diagnostic::new(Code::UnknownValue, &at, Some(node.span), message).with_help(help),
        );
    }

    fn mapping(
        &mut self,
        schema: &'a Map<String, Json>,
        node: &Node,
        path: &Trail<'_>,
        owner: Span,
    ) {
        let Value::Map(entries) = &node.value else {
            return;
        };
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties");
        for entry in entries {
            let entry_path = Trail::Key(path, &entry.key);
            match properties.and_then(|p| p.get(&entry.key)) {
                Some(property) => self.node(property, &entry.value, &entry_path, entry.key_span),
                None => match additional {
                    Some(Json::Bool(false)) => {
                        let known: Vec<&str> = properties
                            .map(|p| p.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        let help = self
                            .hints
                            .unknown_key(&entry_path.path(), &entry.key)
                            .unwrap_or_else(|| {
                                did_you_mean(&entry.key, &known, "keys allowed here")
                            });
                        self.unknown_keys.push(entry_path.path());
                        self.findings.push(
                            Diagnostic::new(
                                Code::UnknownKey,
                                &entry_path.path(),
                                Some(entry.key_span),
                                format!("unknown key {}", quote(&entry.key)),
                            )
                            .with_help(help),
                        );
                    }
                    Some(value_schema @ Json::Object(_)) => {
                        self.node(value_schema, &entry.value, &entry_path, entry.key_span);
                    }
                    _ => {}
                },
            }
        }
        let required = schema.get("required").and_then(Json::as_array);
        for key in required.into_iter().flatten().filter_map(Json::as_str) {
            if node.entry(key).is_none() {
                let mut finding = Diagnostic::new(
                    Code::MissingKey,
                    &Trail::Key(path, key).path(),
                    Some(owner),
                    format!("missing required key \"{key}\""),
                );
                let property = properties.and_then(|p| p.get(key));
                if let Some(allowed) = property.and_then(|p| self.allowed_values_of(p)) {
                    finding =
                        finding.with_help(format!("add `{key}:` with one of {}", list(&allowed)));
                } else if let Some(help) = property.and_then(Json::as_object).and_then(description)
                {
                    finding = finding.with_help(format!("add `{key}:`: {help}"));
                }
                self.findings.push(finding);
            }
        }
    }

    fn allowed_values_of(&self, schema: &'a Json) -> Option<Vec<&'a str>> {
        let object = schema.as_object()?;
        match object.get("$ref").and_then(Json::as_str) {
            Some(reference) => self
                .resolve(reference)?
                .as_object()
                .and_then(allowed_values),
            None => allowed_values(object),
        }
    }

    fn count_bounds(
        &mut self,
        schema: &Map<String, Json>,
        count: usize,
        node: &Node,
        path: &Trail<'_>,
    ) {
        let count = count as u64;
        if let Some(min) = schema
            .get("minItems")
            .and_then(Json::as_u64)
            .filter(|&min| count < min)
        {
            self.format_error(
                path,
                node,
                format!("the list has {count} items; at least {min} are needed"),
            );
        }
        if let Some(max) = schema
            .get("maxItems")
            .and_then(Json::as_u64)
            .filter(|&max| count > max)
        {
            self.format_error(
                path,
                node,
                format!("the list has {count} items; at most {max} are allowed"),
            );
        }
    }

    fn string(&mut self, schema: &Map<String, Json>, text: &str, node: &Node, path: &Trail<'_>) {
        let length = text.chars().count() as u64;
        let mut problems = Vec::new();
        if let Some(min) = schema
            .get("minLength")
            .and_then(Json::as_u64)
            .filter(|&min| length < min)
        {
            problems.push(format!(
                "it is {length} characters long; at least {min} are needed"
            ));
        }
        if let Some(max) = schema
            .get("maxLength")
            .and_then(Json::as_u64)
            .filter(|&max| length > max)
        {
            problems.push(format!(
                "it is {length} characters long; at most {max} are allowed"
            ));
        }
        if let Some(pattern) = schema.get("pattern").and_then(Json::as_str) {
            let matches = self
                .compiled
                .pattern(pattern)
                .is_some_and(|compiled| compiled.is_match(text));
            if !matches && length > 0 {
                problems.push(format!("it does not match {pattern}"));
            }
        }
        if problems.is_empty() {
            return;
        }
        let mut finding = Diagnostic::new(
            Code::InvalidFormat,
            &path.path(),
            Some(node.span),
            format!(
                "value {} is not valid: {}",
                quote(text),
                problems.join("; ")
            ),
        );
        let help = self
            .hints
            .invalid_format(&path.path(), text)
            .or_else(|| description(schema));
        if let Some(help) = help {
            finding = finding.with_help(help);
        }
        self.findings.push(finding);
    }

    fn number(&mut self, schema: &Map<String, Json>, node: &Node, path: &Trail<'_>) {
        let number = match node.value {
            Value::Int(i) => i as f64,
            Value::Float(f) => f,
            _ => return,
        };
        if let Some(min) = schema
            .get("minimum")
            .and_then(Json::as_f64)
            .filter(|&min| number < min)
        {
            self.format_error(
                path,
                node,
                format!("value {number} is below the minimum {min}"),
            );
        }
        if let Some(max) = schema
            .get("maximum")
            .and_then(Json::as_f64)
            .filter(|&max| number > max)
        {
            self.format_error(
                path,
                node,
                format!("value {number} is above the maximum {max}"),
            );
        }
    }

    fn format_error(&mut self, path: &Trail<'_>, node: &Node, message: String) {
        self.findings.push(Diagnostic::new(
            Code::InvalidFormat,
            &path.path(),
            Some(node.span),
            message,
        ));
    }
}

/// The allowed values of an enumeration: `const`, `enum`, or a `oneOf` whose every branch is a
/// `const` (the form schemars gives documented enums).
fn allowed_values(schema: &Map<String, Json>) -> Option<Vec<&str>> {
    if let Some(constant) = schema.get("const") {
        return Some(vec![constant.as_str()?]);
    }
    if let Some(values) = schema.get("enum").and_then(Json::as_array) {
        return values.iter().map(Json::as_str).collect();
    }
    let branches = schema.get("oneOf").and_then(Json::as_array)?;
    branches
        .iter()
        .map(|branch| branch.get("const").and_then(Json::as_str))
        .collect()
}

fn type_matches(expected: &Json, value: &Value) -> bool {
    match expected {
        Json::String(name) => type_name_matches(name, value),
        Json::Array(names) => names
            .iter()
            .filter_map(Json::as_str)
            .any(|name| type_name_matches(name, value)),
        _ => true,
    }
}

fn type_name_matches(name: &str, value: &Value) -> bool {
    match (name, value) {
        ("object", Value::Map(_)) | ("array", Value::Seq(_)) | ("string", Value::String(_)) => true,
        ("integer", Value::Int(_)) | ("boolean", Value::Bool(_)) | ("null", Value::Null) => true,
        ("integer", Value::Float(f)) => f.fract() == 0.0 && f.is_finite(),
        ("number", Value::Int(_) | Value::Float(_)) => true,
        _ => false,
    }
}

fn type_nouns(expected: &Json) -> String {
    let noun = |name: &str| match name {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean",
        "null" => "null",
        _ => "a value",
    };
    match expected {
        Json::String(name) => noun(name).to_owned(),
        Json::Array(names) => names
            .iter()
            .filter_map(Json::as_str)
            .map(noun)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "a value".to_owned(),
    }
}

/// A fix for a value of the wrong type: a `key value` line that lacks its colon, else what to
/// write, with the example the schema's description gives.
fn type_help(schema: &Map<String, Json>, expected: &Json, found: &Value) -> String {
    if let (Some("object"), Value::String(text)) = (expected.as_str(), found) {
        if let Some((key, value)) = text.split_once(' ').filter(|_| !text.contains(':')) {
            return format!(
                "is a `:` missing? write `{key}: {}` to make it a mapping",
                value.trim()
            );
        }
    }
    let what = type_nouns(expected);
    // An example is code the description introduces as the value's own form: "a mapping such
    // as `…`", "written `…`", "a list of `…` entries".
    let example = schema
        .get("description")
        .and_then(Json::as_str)
        .and_then(|text| {
            let parts: Vec<&str> = text.split('`').collect();
            parts.windows(2).step_by(2).find_map(|pair| {
                let introduced = [
                    "a mapping such as ",
                    "written ",
                    "a list of ",
                    "one key: ",
                    "contract: ",
                ]
                .iter()
                .any(|lead| pair[0].ends_with(lead));
                (introduced && !pair[1].is_empty()).then_some(pair[1])
            })
        });
    match example {
        Some(example) => format!("write {what} here, such as `{example}`"),
        None => format!("write {what} here"),
    }
}

/// How a found value is named in a message: its type, and its text when it is a scalar.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Int(i) => format!("an integer ({i})"),
        Value::Float(f) => format!("a number ({f})"),
        Value::String(s) => format!("a string ({})", quote(s)),
        Value::Seq(_) | Value::Map(_) => value.type_noun().to_owned(),
    }
}

fn list(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first sentence of a schema's description, as help text.
fn description(schema: &Map<String, Json>) -> Option<String> {
    let text = schema.get("description")?.as_str()?;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match flat.find(". ") {
        Some(end) => flat[..=end].to_owned(),
        None => flat,
    })
}
