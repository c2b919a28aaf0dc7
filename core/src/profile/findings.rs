//! Collecting positioned findings about a profile document, shared by its load-time checks.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::document::{Node, Path};

/// The findings of one check of a profile document, each positioned in its source.
pub(super) struct Findings<'d> {
    document: &'d Node,
    /// What was found, in the order found.
    pub list: Vec<Diagnostic>,
}

impl<'d> Findings<'d> {
    pub fn new(document: &'d Node) -> Self {
        Findings {
            document,
            list: Vec::new(),
        }
    }

    /// A finding about the value at `path`.
    pub fn at(&mut self, code: Code, path: &Path, message: String) {
        let span = self.document.span_for(path);
        self.list
            .push(Diagnostic::new(code, path, Some(span), message));
    }

    /// A finding about the key `key` of the mapping at `map`, pointing at the key.
    pub fn at_key(&mut self, code: Code, map: &Path, key: &str, message: String) {
        let path = map.key(key);
        let span = self
            .document
            .at(map)
            .and_then(|node| node.entry(key))
            .map_or_else(|| self.document.span_for(&path), |entry| entry.key_span);
        self.list
            .push(Diagnostic::new(code, &path, Some(span), message));
    }

    /// Checks `value` at `path` with `grammar`; `what` names it in the message.
    pub fn grammar(
        &mut self,
        path: &Path,
        what: &str,
        value: &str,
        grammar: impl Fn(&str) -> Result<(), String>,
    ) {
        if let Err(why) = grammar(value) {
            self.at(
                Code::InvalidProfileValue,
                path,
                format!("{what} {} is not valid: {why}", shown(value)),
            );
        }
    }

    /// Checks every key of the mapping at `path` with `key_grammar`, and every value with
    /// `value_grammar`.
    pub fn map(
        &mut self,
        path: &Path,
        what: &str,
        map: &BTreeMap<String, String>,
        key_grammar: fn(&str) -> Result<(), String>,
        value_grammar: fn(&str) -> Result<(), String>,
    ) {
        for (key, value) in map {
            if let Err(why) = key_grammar(key) {
                self.at_key(
                    Code::InvalidProfileValue,
                    path,
                    key,
                    format!("{what} key {} is not valid: {why}", shown(key)),
                );
            }
            self.grammar(
                &path.key(key),
                &format!("{what} value"),
                value,
                value_grammar,
            );
        }
    }
}

/// A value as a message quotes it: JSON-escaped (newlines stay visible), at most 64 characters.
pub(super) fn shown(value: &str) -> String {
    const MAX: usize = 64;
    let quoted = serde_json::to_string(value).unwrap_or_default();
    if quoted.chars().count() <= MAX {
        return quoted;
    }
    let head: String = quoted.chars().take(MAX - 2).collect();
    format!("{head}…\" ({} characters)", value.chars().count())
}
