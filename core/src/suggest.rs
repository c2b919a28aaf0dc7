//! "Did you mean" suggestions for near-miss keys and values.

/// The candidate closest to `input`, when one is close enough to be a likely typo: equal but
/// for case, within an edit distance of a third of its length (at least 1, at most 3), or
/// else the one candidate that starts with it as a whole word (`public` for `public-http`).
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    closest_by_spelling(input, &candidates).or_else(|| only_word_prefix(input, &candidates))
}

fn only_word_prefix<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lowered = input.to_lowercase();
    let mut found = candidates.iter().copied().filter(|candidate| {
        candidate
            .to_lowercase()
            .strip_prefix(&lowered)
            .is_some_and(|rest| rest.starts_with('-'))
    });
    match (found.next(), found.next()) {
        (Some(only), None) if !lowered.is_empty() => Some(only),
        _ => None,
    }
}

fn closest_by_spelling<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lowered = input.to_lowercase();
    let budget = (input.chars().count() / 3).clamp(1, 3);
    candidates
        .iter()
        .copied()
        .map(|candidate| {
            let distance = if candidate.to_lowercase() == lowered {
                0
            } else {
                strsim::damerau_levenshtein(&lowered, &candidate.to_lowercase())
            };
            (distance, candidate)
        })
        .filter(|&(distance, _)| distance <= budget)
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
}

/// A help line for a near miss: `did you mean "public-http"?`, or the list of what is allowed.
pub fn did_you_mean(input: &str, allowed: &[&str], noun: &str) -> String {
    match closest(input, allowed.iter().copied()) {
        Some(candidate) => suggesting(candidate),
        None => format!("{noun}: {}", allowed.join(", ")),
    }
}

/// The help of a near miss that names its fix: `did you mean "public-http"?`.
pub fn suggesting(candidate: &str) -> String {
    format!("{SUGGESTION_START}{candidate}{SUGGESTION_END}")
}

const SUGGESTION_START: &str = "did you mean \"";
const SUGGESTION_END: &str = "\"?";

impl crate::diagnostic::Diagnostic {
    /// The word to write in place of the node this finding marks, when its help suggests one
    /// (a near miss of a key, a value or a name): the quick fix an editor offers.
    pub fn suggestion(&self) -> Option<&str> {
        let help = self.help.as_deref()?.strip_suffix(SUGGESTION_END)?;
        let start = help.rfind(SUGGESTION_START)? + SUGGESTION_START.len();
        Some(&help[start..]).filter(|word| !word.is_empty() && !word.contains('"'))
    }
}

/// A value quoted for a message, with control characters escaped and long values shortened,
/// so a hostile value can never break a line of output.
pub fn quote(value: &str) -> String {
    const MAX_CHARS: usize = 60;
    let shown: String = value.chars().take(MAX_CHARS).collect();
    let quoted = format!("{shown:?}");
    if value.chars().count() > MAX_CHARS {
        format!("{}…\"", &quoted[..quoted.len() - 1])
    } else {
        quoted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPOSURES: &[&str] = &["none", "internal-http", "public-http", "grpc", "async"];

    #[test]
    fn suggests_typos_and_case_slips() {
        assert_eq!(
            closest("public-htp", EXPOSURES.iter().copied()),
            Some("public-http")
        );
        assert_eq!(
            closest("Public-HTTP", EXPOSURES.iter().copied()),
            Some("public-http")
        );
        assert_eq!(closest("gprc", EXPOSURES.iter().copied()), Some("grpc"));
    }

    #[test]
    fn suggests_the_one_value_a_word_begins() {
        assert_eq!(
            closest("public", EXPOSURES.iter().copied()),
            Some("public-http")
        );
        assert_eq!(
            closest("internal", EXPOSURES.iter().copied()),
            Some("internal-http")
        );
        // Two values begin with "gpu": no guess.
        assert_eq!(closest("gpu", ["gpu-small", "gpu-large"]), None);
    }

    #[test]
    fn does_not_suggest_unrelated_words() {
        assert_eq!(closest("websocket", EXPOSURES.iter().copied()), None);
        assert_eq!(
            did_you_mean("x", &["a1", "b2"], "allowed"),
            "allowed: a1, b2"
        );
    }

    #[test]
    fn a_suggestion_is_read_back_from_the_help_that_names_it() {
        let finding = |help: &str| {
            crate::diagnostic::Diagnostic::new(
                crate::diagnostic::Code::UnknownValue,
                &crate::document::Path::root(),
                None,
                "m",
            )
            .with_help(help)
        };
        let typo = finding(&did_you_mean("publik-http", EXPOSURES, "allowed"));
        assert_eq!(typo.suggestion(), Some("public-http"));
        let name = finding(&format!("a name is short; {}", suggesting("web-app")));
        assert_eq!(name.suggestion(), Some("web-app"));
        let list = finding(&did_you_mean("websocket", EXPOSURES, "allowed"));
        assert_eq!(list.suggestion(), None);
    }

    #[test]
    fn quoting_escapes_line_breaks_and_shortens() {
        assert_eq!(quote("a\nb"), "\"a\\nb\"");
        let long = "x".repeat(100);
        assert!(quote(&long).ends_with("…\""));
        assert_eq!(quote(&long).chars().count(), 63);
    }
}
