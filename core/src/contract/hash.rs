//! The contract hash: SHA-256 of the contract's RFC 8785 canonical JSON, as written.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::document::{Node, Value};

/// `sha256:<hex>` of a contract's canonical JSON (RFC 8785: sorted keys, no whitespace), so
/// formatting, comments, key order and quoting style never change it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContractHash(String);

impl ContractHash {
    /// The hash of a loaded document, as written (defaults are not applied).
    pub fn of(document: &Node) -> ContractHash {
        let mut canonical = Vec::with_capacity(512);
        if write_canonical(document, &mut canonical).is_none() {
            canonical = serde_json_canonicalizer::to_vec(document).unwrap_or_default();
        }
        let digest = Sha256::digest(&canonical);
        let mut text = String::with_capacity(7 + 64);
        text.push_str("sha256:");
        crate::hex::push_hex(&mut text, &digest);
        ContractHash(text)
    }

    /// The hash as written in annotations: `sha256:<64 hex digits>`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The largest integer RFC 8785 writes as itself: its numbers are IEEE 754 doubles.
const EXACT_INTEGER: i64 = 1 << 53;

/// Writes `node` as RFC 8785 canonical JSON, the way `serde_json_canonicalizer` does for
/// what contracts hold (strings, booleans, null, integers up to 2^53, lists and mappings);
/// `None` on a float or a larger integer, whose ECMAScript number form that crate writes.
fn write_canonical(node: &Node, out: &mut Vec<u8>) -> Option<()> {
    match &node.value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Int(i) if i.unsigned_abs() <= EXACT_INTEGER.unsigned_abs() => {
            out.extend_from_slice(i.to_string().as_bytes());
        }
        Value::Int(_) | Value::Float(_) => return None,
        Value::String(text) => write_string(text, out),
        Value::Seq(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_canonical(item, out)?;
            }
            out.push(b']');
        }
        Value::Map(entries) => {
            // Keys in the order of their UTF-16 code units (byte order for ASCII keys).
            let mut sorted: Vec<_> = entries.iter().collect();
            if sorted.iter().all(|entry| entry.key.is_ascii()) {
                sorted.sort_unstable_by(|a, b| a.key.cmp(&b.key));
            } else {
                sorted.sort_unstable_by(|a, b| a.key.encode_utf16().cmp(b.key.encode_utf16()));
            }
            out.push(b'{');
            for (index, entry) in sorted.into_iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_string(&entry.key, out);
                out.push(b':');
                write_canonical(&entry.value, out)?;
            }
            out.push(b'}');
        }
    }
    Some(())
}

/// A JSON string as ECMAScript's `JSON.stringify` writes it: `"` and `\` escaped, the five
/// short escapes, other controls as `\u00xx`, every other character as itself.
fn write_string(text: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for &byte in text.as_bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x00..0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xF)]);
            }
            _ => out.push(byte),
        }
    }
    out.push(b'"');
}

impl fmt::Display for ContractHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::load;

    fn hash(text: &str) -> String {
        ContractHash::of(&load(text.as_bytes()).expect("loads")).to_string()
    }

    #[test]
    fn hashes_the_canonical_json_bytes() {
        // Canonical JSON of this document is {"a":"b","n":[1,true,null]}.
        assert_eq!(
            hash("n: [1, true, ~]\na: b\n"),
            "sha256:48a0f0ae98391581527d69f2115311f1e54d874ce0ee79d42bd86d1e29c6707a"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 512, failure_persistence: None, ..Default::default()
        })]

        /// The direct writer gives the bytes of the RFC 8785 crate on any document it takes.
        #[test]
        fn the_direct_writer_matches_the_canonicalizer(json in json_value()) {
            let text = crate::yaml::to_yaml(&json).expect("YAML");
            let node = load(text.as_bytes()).expect("zave's YAML loads");
            let mut direct = Vec::new();
            if write_canonical(&node, &mut direct).is_some() {
                let reference = serde_json_canonicalizer::to_vec(&node).expect("canonical");
                proptest::prop_assert_eq!(
                    String::from_utf8_lossy(&direct),
                    String::from_utf8_lossy(&reference)
                );
            }
        }
    }

    fn text() -> proptest::string::RegexGeneratorStrategy<String> {
        proptest::string::string_regex(
            "[a-zA-Z0-9 \"\\\\\u{0}-\u{1f}\u{7f}\u{e9}\u{2028}\u{ff5e}\u{1f600}]{0,8}",
        )
        .expect("pattern")
    }

    /// JSON values with the strings and numbers that are hard to write canonically: controls,
    /// quotes, backslashes, non-ASCII keys (sorted by UTF-16 units), integers near 2^53.
    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            (-(1i64 << 54)..(1i64 << 54)).prop_map(serde_json::Value::from),
            (-1000i64..1000).prop_map(serde_json::Value::from),
            text().prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map(text(), inner, 0..4)
                    .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn ignores_layout_and_changes_with_values() {
        assert_eq!(hash("b: 1\na: x  # note\n"), hash("{a: \"x\", b: 1}"));
        assert_ne!(hash("a: x\n"), hash("a: y\n"));
        assert_ne!(hash("a: \"1\"\n"), hash("a: 1\n"));
    }
}
