//! Durations as Go's `time.ParseDuration` reads them (a `metav1.Duration`, such as an
//! ExternalSecret's `refreshInterval`): `0`, or one or more decimal numbers each with a unit
//! `ns`, `us`, `µs`, `ms`, `s`, `m` or `h`, such as `1h30m`, `90s`, `1.5h`.

/// Nanoseconds per unit, longest spelling first so `ms` is not read as `m`.
const UNITS: &[(&str, f64)] = &[
    ("ns", 1.0),
    ("us", 1e3),
    ("µs", 1e3),
    ("μs", 1e3),
    ("ms", 1e6),
    ("s", 1e9),
    ("m", 60e9),
    ("h", 3600e9),
];

/// A non-negative Go duration. An interval is never negative, so a sign `-` is refused although
/// Go's grammar has it; a total beyond Go's range (about 292 years) is refused as Go does.
pub fn duration(value: &str) -> Result<(), String> {
    let unsigned = value.strip_prefix('+').unwrap_or(value);
    if unsigned.starts_with('-') {
        return Err("it is negative".to_owned());
    }
    if unsigned == "0" {
        return Ok(());
    }
    if unsigned.is_empty() {
        return Err(expected());
    }
    let mut rest = unsigned;
    let mut total = 0.0_f64;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(end);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
            return Err(expected());
        }
        let Some((unit, scale)) = UNITS.iter().find(|(unit, _)| tail.starts_with(unit)) else {
            return Err(expected());
        };
        let amount: f64 = number.parse().map_err(|_| expected())?;
        total += amount * scale;
        rest = &tail[unit.len()..];
    }
    if total > i64::MAX as f64 {
        return Err("it is longer than Go's longest duration".to_owned());
    }
    Ok(())
}

fn expected() -> String {
    "expected a Go duration such as 90s, 1h30m or 1.5h".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_are_accepted() {
        for good in [
            "1h30m",
            "90s",
            "1.5h",
            "1h",
            "0",
            "300ms",
            "2h45m0.5s",
            "1µs",
            ".5s",
            "5.s",
        ] {
            assert_eq!(duration(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "1",
            "1d",
            "h",
            ".s",
            "1 h",
            "1H",
            "-1h",
            "1h-30m",
            "1..5s",
            "9999999999h",
        ] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }
}
