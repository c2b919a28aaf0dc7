//! Contract-specific help for stage 1: fields the platform derives, corrected names, and the
//! reserved values never offered as a fix.

use super::compat::Implemented;
use super::model::{BuildMode, CapabilityName, Delivery, NAME_MAX_LENGTH, Runtime, Tier};
use crate::document::{Path, PathSegment};
use crate::schema::Hints;
use crate::suggest::suggesting;

/// Help that knows the contract: why there is no `image` or `replicas` key, and what a valid
/// version of a bad name would be.
pub struct ContractHints;

/// Keys users often try to write, and what the platform derives them from instead.
const DERIVED_FIELDS: &[(&str, &str)] = &[
    (
        "image",
        "the image comes from CI (`zave render --image`); the contract has no image field",
    ),
    (
        "port",
        "HTTP workloads listen on port 8080 (PORT); the contract has no port field",
    ),
    (
        "ports",
        "HTTP workloads listen on port 8080 (PORT); the contract has no ports field",
    ),
    (
        "env",
        "environment variables are derived from persistence and capabilities; secrets come from the store",
    ),
    (
        "replicas",
        "replicas come from the profile's tier table; set spec.resources.tier",
    ),
    (
        "host",
        "hosts are derived from the name and the profile's domain",
    ),
    (
        "hostname",
        "hosts are derived from the name and the profile's domain",
    ),
    (
        "domain",
        "hosts are derived from the name and the profile's domain",
    ),
    (
        "namespace",
        "the namespace is derived from metadata.name (ns-<name>)",
    ),
];

impl Hints for ContractHints {
    fn unknown_key(&self, _path: &Path, key: &str) -> Option<String> {
        DERIVED_FIELDS
            .iter()
            .find(|(field, _)| *field == key)
            .map(|(_, help)| (*help).to_owned())
    }

    fn is_reserved(&self, path: &Path, value: &str) -> bool {
        fn reserved<T: Implemented>(value: &str) -> bool {
            T::VALUES
                .iter()
                .any(|v| v.text() == value && !v.is_implemented())
        }
        match path.segments().last() {
            Some(PathSegment::Key(key)) => match key.as_str() {
                "runtime" => reserved::<Runtime>(value),
                "delivery" => reserved::<Delivery>(value),
                "mode" => reserved::<BuildMode>(value),
                "tier" => reserved::<Tier>(value),
                "name" => reserved::<CapabilityName>(value),
                _ => false,
            },
            _ => false,
        }
    }

    fn invalid_format(&self, path: &Path, value: &str) -> Option<String> {
        let is_name = match path.segments() {
            [PathSegment::Key(a), PathSegment::Key(b)] => a == "metadata" && b == "name",
            // A dependency names another contract: the same grammar.
            [
                PathSegment::Key(a),
                PathSegment::Key(b),
                PathSegment::Index(_),
                PathSegment::Key(c),
            ] => a == "spec" && b == "dependencies" && c == "workload",
            _ => false,
        };
        if !is_name {
            return None;
        }
        let rule = format!(
            "a name is 1 to {NAME_MAX_LENGTH} characters: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit"
        );
        Some(match suggest_name(value) {
            Some(name) if name != value => format!("{rule}; {}", suggesting(&name)),
            _ => rule,
        })
    }
}

/// The closest valid name: lower case, other characters as `-`, trimmed to the longest name.
pub fn suggest_name(value: &str) -> Option<String> {
    let mut name = String::new();
    for c in value.trim().chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '-'
        };
        if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
            name.push(c);
        }
    }
    let name = name.trim_start_matches(|c: char| !c.is_ascii_lowercase());
    let longest = usize::try_from(NAME_MAX_LENGTH).unwrap_or(usize::MAX);
    let name: String = name.chars().take(longest).collect();
    let name = name.trim_end_matches('-');
    (!name.is_empty()).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::suggest_name;

    #[test]
    fn suggests_a_valid_name() {
        assert_eq!(
            suggest_name("Payments_API").as_deref(),
            Some("payments-api")
        );
        assert_eq!(suggest_name("../etc/passwd").as_deref(), Some("etc-passwd"));
        assert_eq!(suggest_name("app.v2\n").as_deref(), Some("app-v2"));
        assert_eq!(suggest_name("123"), None);
        assert_eq!(suggest_name(&"a".repeat(50)).map(|n| n.len()), Some(40));
    }
}
