//! A schema `pattern`, compiled once to a DFA and searched like JSON Schema does (found
//! anywhere in the string).

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind};

/// Most bytes one pattern's DFA may take; a pattern past it matches nothing.
const DFA_SIZE_LIMIT: usize = 1 << 22;

/// Compiles `pattern` to a DFA starting as `start` says, with every match state kept (what both
/// the stage-1 search and the schema comparison's walk read); `None` when it is not a pattern
/// zave can read or its DFA is too big.
pub(super) fn dfa(pattern: &str, start: StartKind) -> Option<dense::DFA<Vec<u32>>> {
    dense::Builder::new()
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .configure(
            dense::Config::new()
                .match_kind(MatchKind::All)
                .start_kind(start)
                .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                .determinize_size_limit(Some(DFA_SIZE_LIMIT)),
        )
        .build(pattern)
        .ok()
}

/// A compiled `pattern`: the same DFA the schema comparison reads, searched forwards until the
/// first match.
#[derive(Debug)]
pub(crate) struct Pattern {
    dfa: dense::DFA<Vec<u32>>,
}

impl Pattern {
    /// Compiles `pattern`; `None` when it is not a pattern zave can read or its DFA is too big.
    pub(crate) fn new(pattern: &str) -> Option<Pattern> {
        dfa(pattern, StartKind::Unanchored).map(|dfa| Pattern { dfa })
    }

    /// Whether the pattern is found in `text`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let input = Input::new(text).anchored(Anchored::No).earliest(true);
        matches!(self.dfa.try_search_fwd(&input), Ok(Some(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn matches(pattern: &str, text: &str) -> bool {
        Pattern::new(pattern).is_some_and(|p| p.is_match(text))
    }

    #[test]
    fn a_pattern_is_found_anywhere_unless_anchored() {
        assert!(matches("b", "abc"));
        assert!(!matches("^b", "abc"));
        assert!(matches("^[a-z]([a-z0-9-]*[a-z0-9])?$", "payments-api"));
        assert!(!matches("^[a-z]([a-z0-9-]*[a-z0-9])?$", "payments-"));
        assert!(!matches("^[a-z]([a-z0-9-]*[a-z0-9])?$", "payments\napi"));
    }

    #[test]
    fn classes_read_characters_not_bytes() {
        assert!(matches("^[^{}]*\\{name\\}[^{}]*$", "é-{name}-ü"));
        assert!(matches("^.$", "é"));
        assert!(!matches("^.$", "ab"));
    }

    #[test]
    fn what_cannot_be_compiled_is_refused() {
        assert!(Pattern::new("(").is_none());
    }
}
