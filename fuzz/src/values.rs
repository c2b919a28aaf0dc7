//! Arbitrary YAML data for the emitter round trip: every value zave's emitter promises to
//! write (nulls, booleans, 64-bit integers, floats, strings, lists, string-keyed mappings),
//! nested to a bounded depth.

use arbitrary::{Result, Unstructured};
use serde_yaml::{Mapping, Number, Value};

/// Deepest nesting generated; far below serde_yaml's own recursion limit.
const MAX_DEPTH: usize = 24;

/// A value read from the fuzzer's bytes.
pub fn value(u: &mut Unstructured<'_>) -> Result<Value> {
    value_at(u, 0)
}

fn value_at(u: &mut Unstructured<'_>, depth: usize) -> Result<Value> {
    let kinds = if depth >= MAX_DEPTH { 6 } else { 8 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Number(Number::from(u.arbitrary::<i64>()?)),
        3 => Value::Number(Number::from(u.arbitrary::<u64>()?)),
        4 => Value::Number(Number::from(u.arbitrary::<f64>()?)),
        5 => Value::String(string(u)?),
        6 => {
            let mut items = Vec::new();
            u.arbitrary_loop(None, Some(16), |u| {
                items.push(value_at(u, depth + 1)?);
                Ok(std::ops::ControlFlow::Continue(()))
            })?;
            Value::Sequence(items)
        }
        _ => {
            let mut map = Mapping::new();
            u.arbitrary_loop(None, Some(16), |u| {
                let key = Value::String(string(u)?);
                map.insert(key, value_at(u, depth + 1)?);
                Ok(std::ops::ControlFlow::Continue(()))
            })?;
            Value::Mapping(map)
        }
    })
}

/// A string, sometimes built from YAML's own vocabulary so the fuzzer meets the words and
/// indicators a reader could take for something else (`~`, `0x1F`, `- `, `|`) more often than
/// chance would have it.
fn string(u: &mut Unstructured<'_>) -> Result<String> {
    const PIECES: &[&str] = &[
        "",
        " ",
        "\n",
        "\t",
        "\r",
        "#",
        ": ",
        "- ",
        "-",
        "? ",
        "|",
        ">",
        "'",
        "\"",
        "\\",
        "&a",
        "*a",
        "!t",
        "%",
        "@",
        "`",
        "{",
        "}",
        "[",
        "]",
        ",",
        "~",
        "null",
        "Null",
        "NULL",
        "true",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "0",
        "-0",
        "+1",
        "0x1F",
        "0o17",
        "017",
        "1_000",
        "1e3",
        "1.",
        ".5",
        ".inf",
        "-.Inf",
        ".nan",
        "2001-12-14",
        "12:30:45",
        "<<",
        "=",
        "---",
        "...",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "é",
        "\u{1F600}",
    ];
    if u.arbitrary()? {
        return u.arbitrary();
    }
    let mut text = String::new();
    u.arbitrary_loop(None, Some(8), |u| {
        text.push_str(u.choose(PIECES)?);
        Ok(std::ops::ControlFlow::Continue(()))
    })?;
    Ok(text)
}

/// Whether zave's emitter promises to write `value` as it is: string keys only (it writes
/// other scalar keys as strings, and refuses the rest), no tags (YAML data, not serde's).
pub fn is_writable(value: &Value) -> bool {
    match value {
        Value::Sequence(items) => items.iter().all(is_writable),
        Value::Mapping(map) => map
            .iter()
            .all(|(key, value)| key.is_string() && is_writable(value)),
        Value::Tagged(_) => false,
        _ => true,
    }
}
