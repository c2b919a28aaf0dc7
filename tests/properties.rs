//! Properties of validation: no input panics, generated valid contracts validate, a schema
//! error never hides another field's later findings, and the contract hash depends on the
//! data only.

use proptest::prelude::*;
use serde_json::Value as Json;
use zave::{Diagnostics, ValidateOptions};
use zave_conformance::valid_contract;

/// Writes JSON data as YAML, taking every layout decision from `choices`: key order, block or
/// flow collections, plain, single- or double-quoted scalars, and comments.
struct Writer<'a> {
    choices: &'a [u8],
    next: usize,
}

impl Writer<'_> {
    fn choose(&mut self, options: usize) -> usize {
        let byte = self
            .choices
            .get(self.next % self.choices.len().max(1))
            .copied()
            .unwrap_or(0);
        self.next += 1;
        usize::from(byte) % options
    }

    fn entries<'v>(
        &mut self,
        object: &'v serde_json::Map<String, Json>,
    ) -> Vec<(&'v String, &'v Json)> {
        let mut entries: Vec<_> = object.iter().collect();
        for i in (1..entries.len()).rev() {
            let j = self.choose(i + 1);
            entries.swap(i, j);
        }
        entries
    }

    fn scalar(&mut self, value: &Json) -> String {
        match value {
            Json::String(s) => {
                let plain_safe = s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-./".contains(c))
                    && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && !["true", "false", "null", "yes", "no"].contains(&s.as_str());
                match self.choose(3) {
                    0 if plain_safe => s.clone(),
                    1 => format!("'{}'", s.replace('\'', "''")),
                    _ => serde_json::to_string(s).unwrap_or_default(),
                }
            }
            other => other.to_string(),
        }
    }

    fn flow(&mut self, value: &Json) -> String {
        match value {
            Json::Object(object) => {
                let parts: Vec<String> = self
                    .entries(object)
                    .into_iter()
                    .map(|(k, v)| {
                        format!(
                            "{}: {}",
                            self.scalar(&Json::String(k.clone())),
                            self.flow(v)
                        )
                    })
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Json::Array(items) => {
                let parts: Vec<String> = items.iter().map(|v| self.flow(v)).collect();
                format!("[{}]", parts.join(", "))
            }
            scalar => self.scalar(scalar),
        }
    }

    fn comment(&mut self) -> &'static str {
        if self.choose(4) == 0 {
            "  # a note"
        } else {
            ""
        }
    }

    fn block(&mut self, value: &Json, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match value {
            Json::Object(object) => {
                for (key, value) in self.entries(object) {
                    if self.choose(5) == 0 {
                        out.push_str(&format!("{pad}# about {key}\n"));
                    }
                    let key = self.scalar(&Json::String(key.clone()));
                    self.value_after(&format!("{pad}{key}:"), value, indent, out);
                }
            }
            Json::Array(items) => {
                for item in items {
                    self.value_after(&format!("{pad}-"), item, indent, out);
                }
            }
            scalar => out.push_str(&format!("{pad}{}\n", self.scalar(scalar))),
        }
    }

    fn value_after(&mut self, lead: &str, value: &Json, indent: usize, out: &mut String) {
        let nested = matches!(value, Json::Object(o) if !o.is_empty())
            || matches!(value, Json::Array(a) if !a.is_empty());
        if nested && self.choose(3) != 0 {
            out.push_str(&format!("{lead}{}\n", self.comment()));
            self.block(value, indent + 2, out);
        } else {
            let text = self.flow(value);
            let comment = self.comment();
            out.push_str(&format!("{lead} {text}{comment}\n"));
        }
    }

    fn document(choices: &[u8], value: &Json) -> String {
        let mut writer = Writer { choices, next: 0 };
        let mut out = String::from("# zave contract\n");
        writer.block(value, 0, &mut out);
        out
    }
}

fn hash_of(text: &str) -> String {
    let document =
        zave::document::load(text.as_bytes()).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
    zave::ContractHash::of(&document).to_string()
}

/// Every leaf of a JSON document, by path, for mutating one.
fn leaf_paths(value: &Json, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Json::Object(object) => {
            for (k, v) in object {
                let mut path = prefix.clone();
                path.push(k.clone());
                leaf_paths(v, path, out);
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let mut path = prefix.clone();
                path.push(i.to_string());
                leaf_paths(v, path, out);
            }
        }
        _ => out.push(prefix),
    }
}

fn leaf_mut<'v>(value: &'v mut Json, path: &[String]) -> Option<&'v mut Json> {
    path.iter().try_fold(value, |node, segment| match node {
        Json::Object(object) => object.get_mut(segment),
        Json::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Text that looks like YAML: its punctuation, indentation and words, in any order.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "apiVersion",
        "kind",
        "metadata",
        "spec",
        "name",
        ":",
        " ",
        "  ",
        "\n",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "!!str ",
        "!tag ",
        "? ",
        "|",
        ">",
        "'",
        "\"",
        "#",
        "---\n",
        "...\n",
        "\t",
        "zave.io/v1",
        "Workload",
        "container",
        "static",
        "runtime",
        "exposure",
        "~",
        "3",
        "-1.5e3",
        "\\",
        "%YAML 1.2\n",
        "<<",
        "@",
        "`",
    ]);
    prop::collection::vec(token, 0..120).prop_map(|tokens| tokens.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = zave::validate(&bytes, ValidateOptions::default());
    }

    #[test]
    fn arbitrary_yaml_never_panics_and_findings_are_positioned(text in yamlish()) {
        if let Err(Diagnostics(findings)) = zave::validate(text.as_bytes(), ValidateOptions::default()) {
            prop_assert!(!findings.is_empty());
            let lines = u32::try_from(text.lines().count().max(1)).unwrap_or(u32::MAX) + 1;
            for finding in &findings {
                let line = finding.line.unwrap_or(0);
                prop_assert!(line >= 1 && line <= lines, "{finding:?} outside the {lines} lines of {text:?}");
            }
            let positions: Vec<_> = findings.iter().map(|f| (f.line, f.column)).collect();
            let mut sorted = positions.clone();
            sorted.sort();
            prop_assert_eq!(positions, sorted);
        }
    }

    #[test]
    fn generated_valid_contracts_validate(contract in valid_contract(), choices in prop::collection::vec(any::<u8>(), 1..64)) {
        let text = Writer::document(&choices, &contract);
        let checked = zave::validate(text.as_bytes(), ValidateOptions::default());
        let checked = checked.map_err(|d| TestCaseError::fail(format!("{d:#?}\n{text}")))?;
        prop_assert_eq!(checked.name.as_str(), contract["metadata"]["name"].as_str().unwrap_or_default());
        prop_assert_eq!(serde_json::to_value(&checked.written).ok(), Some(contract));
    }

    #[test]
    fn a_schema_error_never_hides_another_fields_later_findings(
        contract in valid_contract(),
        broken in 0..4usize,
        choices in prop::collection::vec(any::<u8>(), 1..64),
    ) {
        let mut contract = contract;
        contract["spec"]["delivery"] = Json::from("canary");
        let (unit, value) = [
            ("exposure", Json::from("publik")),
            ("resources", serde_json::json!({"tier": "huge"})),
            ("build", serde_json::json!({"mode": 7})),
            ("name", Json::from("Bad_Name")),
        ][broken].clone();
        if unit == "name" {
            contract["metadata"]["name"] = value;
        } else {
            contract["spec"][unit] = value;
        }
        let text = Writer::document(&choices, &contract);
        let Err(Diagnostics(findings)) = zave::validate(text.as_bytes(), ValidateOptions::default()) else {
            return Err(TestCaseError::fail(format!("refused expected:\n{text}")));
        };
        let codes: Vec<(&str, &str)> = findings.iter().map(|d| (d.code.as_str(), d.path.as_str())).collect();
        prop_assert!(codes.contains(&("Z201", "spec.delivery")), "{:?}\n{}", codes, text);
        prop_assert!(codes.iter().any(|(code, _)| code.starts_with("Z1")), "{:?}", codes);
    }

    #[test]
    fn hash_ignores_layout(contract in valid_contract(),
                           a in prop::collection::vec(any::<u8>(), 1..64),
                           b in prop::collection::vec(any::<u8>(), 1..64)) {
        let first = Writer::document(&a, &contract);
        let second = Writer::document(&b, &contract);
        prop_assert_eq!(hash_of(&first), hash_of(&second), "{}\n---\n{}", first, second);
    }

    #[test]
    fn hash_changes_when_any_value_changes(contract in valid_contract(),
                                           choices in prop::collection::vec(any::<u8>(), 1..64),
                                           pick in any::<prop::sample::Index>()) {
        let mut paths = Vec::new();
        leaf_paths(&contract, Vec::new(), &mut paths);
        let path = pick.get(&paths);
        let mut changed = contract.clone();
        if let Some(leaf) = leaf_mut(&mut changed, path) {
            let replacement = match &*leaf {
                Json::String(s) => Json::String(format!("{s}x")),
                other => Json::String(other.to_string()),
            };
            *leaf = replacement;
        }
        let before = hash_of(&Writer::document(&choices, &contract));
        let after = hash_of(&Writer::document(&choices, &changed));
        prop_assert_ne!(before, after, "changing {:?} kept the hash", path);
    }
}
