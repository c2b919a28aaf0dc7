//! Data that arrived without source text (a binding's dict or object) to a document tree
//! without positions, under the same nesting limit as text.

use super::load::{MAX_DEPTH, too_deep};
use super::node::{Entry, Node, Span, Value};
use crate::diagnostic::Diagnostic;
use serde_json::Value as Json;

/// The document for JSON-like data. Findings about it carry paths but no lines; nesting
/// deeper than [`MAX_DEPTH`] is refused as it is in text.
pub fn from_json(data: &Json) -> Result<Node, Diagnostic> {
    node(data, 0)
}

fn node(data: &Json, depth: usize) -> Result<Node, Diagnostic> {
    let collection_depth = depth + 1;
    let value = match data {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(s.clone()),
        Json::Array(_) | Json::Object(_) if collection_depth > MAX_DEPTH => {
            return Err(too_deep(Span::default()));
        }
        Json::Array(items) => Value::Seq(
            items
                .iter()
                .map(|item| node(item, collection_depth))
                .collect::<Result<_, _>>()?,
        ),
        Json::Object(entries) => Value::Map(
            entries
                .iter()
                .map(|(key, value)| {
                    Ok(Entry {
                        key: key.clone(),
                        key_span: Span::default(),
                        value: node(value, collection_depth)?,
                    })
                })
                .collect::<Result<_, Diagnostic>>()?,
        ),
    };
    Ok(Node {
        value,
        span: Span::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn data_becomes_a_document_without_positions() {
        let document = from_json(&json!({"metadata": {"name": "web"}, "n": [1, 2.5, null]}))
            .expect("shallow data");
        assert_eq!(
            document.to_json(),
            json!({"metadata": {"name": "web"}, "n": [1, 2.5, null]})
        );
        assert_eq!(document.span, Span::default());
    }

    #[test]
    fn nesting_beyond_the_limit_is_refused_like_text() {
        let mut data = json!("leaf");
        for _ in 0..MAX_DEPTH {
            data = json!([data]);
        }
        assert!(from_json(&data).is_ok(), "{MAX_DEPTH} levels are allowed");
        let finding = from_json(&json!([data])).expect_err("one level too many");
        assert_eq!(finding.code.as_str(), "Z106");
        assert_eq!(finding.line, None);
    }
}
