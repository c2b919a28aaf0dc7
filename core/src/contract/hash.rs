//! The contract hash: SHA-256 of the contract's RFC 8785 canonical JSON, as written.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::document::Node;

/// `sha256:<hex>` of a contract's canonical JSON (RFC 8785: sorted keys, no whitespace), so
/// formatting, comments, key order and quoting style never change it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContractHash(String);

impl ContractHash {
    /// The hash of a loaded document, as written (defaults are not applied).
    pub fn of(document: &Node) -> ContractHash {
        let canonical = serde_json_canonicalizer::to_vec(document).unwrap_or_default();
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

    #[test]
    fn ignores_layout_and_changes_with_values() {
        assert_eq!(hash("b: 1\na: x  # note\n"), hash("{a: \"x\", b: 1}"));
        assert_ne!(hash("a: x\n"), hash("a: y\n"));
        assert_ne!(hash("a: \"1\"\n"), hash("a: 1\n"));
    }
}
