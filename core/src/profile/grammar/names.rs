//! Names, label keys and label values, as Kubernetes' apimachinery validation defines them.

/// The most bytes all annotations of one object may hold together (keys and values).
pub const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// An RFC 1123 label: a namespace or most object names. At most 63 characters of `[a-z0-9-]`,
/// starting and ending with a letter or digit.
pub fn dns_label(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("it is empty".to_owned());
    }
    if value.len() > 63 {
        return Err(format!(
            "it has {} characters, at most 63 are allowed",
            value.len()
        ));
    }
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    if !value.bytes().all(allowed) {
        return Err("only lower-case letters, digits and '-' are allowed".to_owned());
    }
    if value.starts_with('-') || value.ends_with('-') {
        return Err("it must start and end with a letter or digit".to_owned());
    }
    Ok(())
}

/// An RFC 1123 subdomain: a host or an object name that may hold dots. At most 253 characters,
/// dot-separated labels, no empty label and no trailing dot.
pub fn dns_subdomain(value: &str) -> Result<(), String> {
    if value.len() > 253 {
        return Err(format!(
            "it has {} characters, at most 253 are allowed",
            value.len()
        ));
    }
    if value.ends_with('.') {
        return Err("it ends with a dot".to_owned());
    }
    if !value.contains('.') {
        return dns_label(value);
    }
    for label in value.split('.') {
        if label.is_empty() {
            return Err(if value.is_empty() {
                "it is empty".to_owned()
            } else {
                "it has an empty label (\"..\" or a leading dot)".to_owned()
            });
        }
        dns_label(label).map_err(|why| format!("label \"{label}\": {why}"))?;
    }
    Ok(())
}

/// A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of at most
/// 63 characters of `[A-Za-z0-9-_.]` starting and ending with a letter or digit.
pub fn label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        dns_subdomain(prefix).map_err(|why| format!("prefix \"{prefix}\": {why}"))?;
    }
    if name.is_empty() {
        return Err("the name after the prefix is empty".to_owned());
    }
    qualified_name(name)
}

/// A label value: empty, or at most 63 characters of `[A-Za-z0-9-_.]` starting and ending with
/// a letter or digit.
pub fn label_value(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    qualified_name(value)
}

/// An annotation key has the grammar of a label key.
pub fn annotation_key(key: &str) -> Result<(), String> {
    label_key(key)
}

/// The name part of a key, and a non-empty label value.
fn qualified_name(name: &str) -> Result<(), String> {
    if name.len() > 63 {
        return Err(format!(
            "it has {} characters, at most 63 are allowed",
            name.len()
        ));
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    if !name.bytes().all(allowed) {
        return Err("only letters, digits, '-', '_' and '.' are allowed".to_owned());
    }
    let edge = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    if !edge(name.bytes().next()) || !edge(name.bytes().last()) {
        return Err("it must start and end with a letter or digit".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_lower_case_and_short() {
        for good in ["ns-a", "kube-system", "a", "0", &"a".repeat(63)] {
            assert_eq!(dns_label(good), Ok(()), "{good}");
        }
        for bad in ["", "my ns", "Ns", "-a", "a-", "a.b", &"a".repeat(64), "é"] {
            assert!(dns_label(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn subdomains_refuse_trailing_dots_empty_labels_and_length() {
        for good in ["demo.zave.dev", "localhost", "a-1.b"] {
            assert_eq!(dns_subdomain(good), Ok(()), "{good}");
        }
        let long = format!("{}.dev", "a".repeat(290));
        for bad in [
            "demo.zave.dev.",
            "demo..dev",
            ".dev",
            "",
            "Demo.dev",
            "{other}.dev",
            &long,
        ] {
            assert!(dns_subdomain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keys_have_an_optional_prefix_and_a_qualified_name() {
        for good in ["release", "app.kubernetes.io/name", "k8s-app", "A_b.c"] {
            assert_eq!(label_key(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "has space",
            "a/",
            "/a",
            "Bad_Prefix/x",
            "a/b/c",
            "-a",
            &"a".repeat(64),
        ] {
            assert!(label_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_may_be_empty_but_not_arbitrary() {
        for good in ["", "kube-prometheus-stack", "v1.2_3"] {
            assert_eq!(label_value(good), Ok(()), "{good}");
        }
        for bad in ["two words", "a/b", "-a", "line\nbreak", &"a".repeat(64)] {
            assert!(label_value(bad).is_err(), "{bad}");
        }
    }
}
