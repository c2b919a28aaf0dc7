//! Kubernetes resource quantities (`k8s.io/apimachinery/pkg/api/resource`):
//!
//! ```text
//! quantity ::= sign? number suffix
//! number   ::= digits | digits "." digits? | "." digits
//! suffix   ::= binarySI | decimalSI | ("e" | "E") sign? digits
//! binarySI ::= Ki | Mi | Gi | Ti | Pi | Ei
//! decimalSI::= n | u | m | "" | k | M | G | T | P | E
//! ```

const SUFFIXES: &[&str] = &[
    "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "", "k", "M", "G", "T", "P", "E",
];

/// A non-negative quantity such as `1.5Gi`, `1Pi`, `500m`, `1e3` or `128974848`. A request, a
/// limit or a quota is never negative, so a sign `-` is refused although the grammar has it.
pub fn quantity(value: &str) -> Result<(), String> {
    let unsigned = value.strip_prefix('+').unwrap_or(value);
    if unsigned.starts_with('-') {
        return Err("it is negative".to_owned());
    }
    let number_end = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
        return Err(expected());
    }
    if SUFFIXES.contains(&suffix) {
        return Ok(());
    }
    let exponent = suffix
        .strip_prefix(['e', 'E'])
        .map(|rest| rest.strip_prefix(['+', '-']).unwrap_or(rest));
    match exponent {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err(expected()),
    }
}

fn expected() -> String {
    "expected a number with an optional suffix, such as 500m, 1.5Gi or 1e3".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_quantities_are_accepted() {
        for good in [
            "1.5Gi",
            "1Pi",
            "500m",
            "1e3",
            "128974848",
            "129e6",
            "123Mi",
            "0",
            "0.5",
            ".5",
            "5.",
            "+1",
            "2E",
            "1E-3",
            "100n",
            "10u",
            "4",
        ] {
            assert_eq!(quantity(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "lots", "", "1.5 Gi", "1gi", "1KiB", "Gi", ".", "1..5", "1.2.3", "e3", "1e", "1e+",
            "1e1.5", "-1", "1Mi ", " 1",
        ] {
            assert!(quantity(bad).is_err(), "{bad}");
        }
    }
}
