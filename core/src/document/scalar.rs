//! YAML 1.2 core-schema resolution of plain scalars: null, booleans, integers, floats, strings.

use super::node::Value;

/// Resolves an unquoted, untagged scalar the way the YAML 1.2 core schema does.
/// YAML 1.1 spellings such as `yes`, `off` or `0777` stay strings (and integers).
pub fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = parse_int(text) {
        return Value::Int(int);
    }
    if let Some(float) = parse_float(text) {
        return Value::Float(float);
    }
    Value::String(text.to_owned())
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(octal) = text.strip_prefix("0o") {
        return digits_only(octal, 8).and_then(|d| i64::from_str_radix(d, 8).ok());
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return digits_only(hex, 16).and_then(|d| i64::from_str_radix(d, 16).ok());
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits_only(unsigned, 10)?;
    text.parse().ok()
}

fn digits_only(text: &str, radix: u32) -> Option<&str> {
    (!text.is_empty() && text.chars().all(|c| c.is_digit(radix))).then_some(text)
}

fn parse_float(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let negative = text.starts_with('-');
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    // [0-9]* ( \. [0-9]* )? ( [eE] [-+]? [0-9]+ )?, with at least one mantissa digit.
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok = whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit())
        && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok =
        exponent.is_none_or(|e| digits_only(e.strip_prefix(['-', '+']).unwrap_or(e), 10).is_some());
    (mantissa_ok && exponent_ok)
        .then(|| text.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_core_schema_types() {
        assert_eq!(resolve_plain(""), Value::Null);
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("True"), Value::Bool(true));
        assert_eq!(resolve_plain("3"), Value::Int(3));
        assert_eq!(resolve_plain("-17"), Value::Int(-17));
        assert_eq!(resolve_plain("0x1F"), Value::Int(31));
        assert_eq!(resolve_plain("0o17"), Value::Int(15));
        assert_eq!(resolve_plain("1.5"), Value::Float(1.5));
        assert_eq!(resolve_plain("1e3"), Value::Float(1000.0));
        assert_eq!(resolve_plain("-.inf"), Value::Float(f64::NEG_INFINITY));
    }

    #[test]
    fn keeps_yaml_1_1_spellings_and_words_as_strings() {
        for text in [
            "yes",
            "off",
            "on",
            "no",
            "rolling",
            "1.2.3",
            "0x",
            "e5",
            ".",
            "1_000",
            "sha-1234567",
        ] {
            assert_eq!(
                resolve_plain(text),
                Value::String(text.to_owned()),
                "{text}"
            );
        }
    }

    #[test]
    fn integers_too_large_for_64_bits_become_floats() {
        assert_eq!(resolve_plain("99999999999999999999"), Value::Float(1e20));
    }
}
