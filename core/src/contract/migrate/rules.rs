//! The rules a migration is made of, and the text edits each makes on one contract.

use super::MigrateError;
use super::edit::{Edit, range};
use crate::document::{Entry, Node, Value};

/// One rewrite of a contract, at a place written like `spec.dependencies[].workload` (`[]` is
/// every item of a list). A place the contract does not have is left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The key at `at` is renamed to `to`, its value, comments and place kept.
    RenameKey {
        /// The key's place.
        at: &'static str,
        /// Its new name.
        to: &'static str,
    },
    /// The value at `at`, when it is the string `from`, becomes the string `to`.
    ReplaceValue {
        /// The value's place.
        at: &'static str,
        /// The old value.
        from: &'static str,
        /// The new value.
        to: &'static str,
    },
}

impl Rule {
    /// The edits this rule makes on `document`, loaded from `text`.
    pub(super) fn edits(&self, document: &Node, text: &str) -> Result<Vec<Edit>, MigrateError> {
        let mut edits = Vec::new();
        match *self {
            Rule::RenameKey { at, to } => {
                for (mapping, entry) in entries_at(document, at)? {
                    if let Some(taken) = mapping.entry(to) {
                        return Err(MigrateError::KeyTaken {
                            key: to.to_owned(),
                            at: taken.key_span.start,
                        });
                    }
                    edits.push(rewrite(text, entry.key_span, to)?);
                }
            }
            Rule::ReplaceValue { at, from, to } => {
                for (_, entry) in entries_at(document, at)? {
                    if !matches!(&entry.value.value, Value::String(text) if text == from) {
                        continue;
                    }
                    edits.push(rewrite(text, entry.value.span, to)?);
                }
            }
        }
        Ok(edits)
    }
}

/// The edit that writes `to` in place of the scalar at `span`, in the scalar's own style: a
/// quoted one stays quoted with the same quote, a plain one stays plain where it can.
fn rewrite(text: &str, span: crate::document::Span, to: &str) -> Result<Edit, MigrateError> {
    let range = located(text, span)?;
    let edit = match (quoted_end(text, range.start), &text[range.start..]) {
        (Some(end), rest) if rest.starts_with('\'') => Edit {
            range: range.start..end,
            text: format!("'{}'", to.replace('\'', "''")),
        },
        (Some(end), _) => Edit {
            range: range.start..end,
            text: serde_json::to_string(to).unwrap_or_default(),
        },
        (None, _) => Edit {
            range,
            text: crate::yaml::inline_scalar(to),
        },
    };
    Ok(edit)
}

fn located(
    text: &str,
    span: crate::document::Span,
) -> Result<std::ops::Range<usize>, MigrateError> {
    range(text, span).ok_or(MigrateError::Position { at: span.start })
}

/// Just past the closing quote of a quoted scalar starting at `start`; `None` when the scalar
/// there is not quoted. (The loader's span of a quoted scalar can reach past it.)
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && rest[i + 1..].starts_with('\'') => {
                chars.next();
            }
            c if c == quote => return Some(start + i + 1),
            _ => {}
        }
    }
    None
}

/// One step of a place: a key, or every item of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'p> {
    Key(&'p str),
    EachItem,
}

/// The steps of a place; a place that does not end in a key is not one a rule can name.
fn steps(place: &str) -> Result<Vec<Step<'_>>, MigrateError> {
    let mut steps = Vec::new();
    for part in place.split('.') {
        let (key, items) = match part.find("[]") {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        let bracket = key.contains(['[', ']']);
        if key.is_empty() || bracket || !items.replace("[]", "").is_empty() {
            return Err(MigrateError::BadPlace {
                place: place.to_owned(),
            });
        }
        steps.push(Step::Key(key));
        steps.extend(std::iter::repeat_n(Step::EachItem, items.len() / 2));
    }
    match steps.last() {
        Some(Step::Key(_)) => Ok(steps),
        _ => Err(MigrateError::BadPlace {
            place: place.to_owned(),
        }),
    }
}

/// Every entry at `place`, with the mapping that holds it, in document order.
fn entries_at<'d>(
    document: &'d Node,
    place: &str,
) -> Result<Vec<(&'d Node, &'d Entry)>, MigrateError> {
    let steps = steps(place)?;
    let Some((Step::Key(last), parents)) = steps.split_last() else {
        return Ok(Vec::new());
    };
    let mut nodes = vec![document];
    for step in parents {
        nodes = nodes
            .into_iter()
            .flat_map(|node| match (step, &node.value) {
                (Step::Key(key), Value::Map(_)) => {
                    node.entry(key).map(|e| &e.value).into_iter().collect()
                }
                (Step::EachItem, Value::Seq(items)) => items.iter().collect(),
                _ => Vec::new(),
            })
            .collect();
    }
    Ok(nodes
        .into_iter()
        .filter_map(|node| node.entry(last).map(|entry| (node, entry)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_name_keys_and_list_items() {
        assert_eq!(
            steps("spec.dependencies[].workload").ok(),
            Some(vec![
                Step::Key("spec"),
                Step::Key("dependencies"),
                Step::EachItem,
                Step::Key("workload")
            ])
        );
        for bad in ["", "spec.", "spec[]", "a[x].b", ".a"] {
            assert!(steps(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_quoted_scalar_ends_at_its_closing_quote() {
        assert_eq!(quoted_end(r#"a: "x\"y" # c"#, 3), Some(9));
        assert_eq!(quoted_end("a: 'it''s' # c", 3), Some(10));
        assert_eq!(quoted_end("a: plain # c", 3), None);
    }
}
