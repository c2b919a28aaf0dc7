//! Whether one `pattern` accepts every string another accepts, decided on their DFAs.
//!
//! A JSON Schema pattern matches when it is found anywhere in the string, so each pattern is
//! compiled to an unanchored DFA and a string counts as matched once any of its prefixes
//! reached a match. The two DFAs and a third that accepts valid UTF-8 are walked together,
//! breadth first, until a string the old pattern matches and the new one does not is found,
//! or every reachable combination is seen. Anything the DFAs cannot decide (a size limit, a
//! feature zave's patterns do not use) is reported as undecided, never as relaxed.

use std::collections::{BTreeMap, VecDeque};

use regex_automata::Anchored;
use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;

/// How far the comparison of two patterns got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Inclusion {
    /// The new pattern matches every string the old one matched.
    Relaxed,
    /// This string matched the old pattern and does not match the new one.
    Narrowed(String),
    /// The DFAs could not decide (too large, or an unsupported feature).
    Undecided,
}

/// Most combined states visited before giving up.
const MAX_VISITED: usize = 200_000;

/// Decides whether `new` matches every string `old` matches.
pub(super) fn inclusion(old: &str, new: &str) -> Inclusion {
    let (Some(old), Some(new), Some(utf8)) = (
        Walker::search(old),
        Walker::search(new),
        Walker::whole("(?s:.)*"),
    ) else {
        return Inclusion::Undecided;
    };
    let start = State {
        old: old.start,
        old_matched: old.is_match(old.start),
        new: new.start,
        new_matched: new.is_match(new.start),
        utf8: utf8.start,
    };
    let mut parents: BTreeMap<State, Option<(State, u8)>> = BTreeMap::new();
    parents.insert(start, None);
    let mut queue = VecDeque::from([start]);
    while let Some(state) = queue.pop_front() {
        let old_accepts = state.old_matched || old.accepts_at_end(state.old);
        let new_accepts = state.new_matched || new.accepts_at_end(state.new);
        if old_accepts && !new_accepts && utf8.accepts_at_end(state.utf8) {
            return Inclusion::Narrowed(spell(&parents, state));
        }
        for byte in bytes_printable_first() {
            let next = State {
                old: old.dfa.next_state(state.old, byte),
                old_matched: state.old_matched,
                new: new.dfa.next_state(state.new, byte),
                new_matched: state.new_matched,
                utf8: utf8.dfa.next_state(state.utf8, byte),
            };
            let next = State {
                old_matched: next.old_matched || old.is_match(next.old),
                new_matched: next.new_matched || new.is_match(next.new),
                ..next
            };
            if [
                old.dfa.is_quit_state(next.old),
                new.dfa.is_quit_state(next.new),
            ]
            .contains(&true)
            {
                return Inclusion::Undecided;
            }
            // Nothing to find past here: the new pattern already matched, the text is no
            // longer UTF-8, or the old pattern can no longer match.
            let hopeless = next.new_matched
                || utf8.dfa.is_dead_state(next.utf8)
                || (!next.old_matched && old.dfa.is_dead_state(next.old));
            if hopeless || parents.contains_key(&next) {
                continue;
            }
            if parents.len() >= MAX_VISITED {
                return Inclusion::Undecided;
            }
            parents.insert(next, Some((state, byte)));
            queue.push_back(next);
        }
    }
    Inclusion::Relaxed
}

/// One combined state of the three DFAs, with whether each pattern has matched already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct State {
    old: StateID,
    old_matched: bool,
    new: StateID,
    new_matched: bool,
    utf8: StateID,
}

/// A compiled DFA and its start state.
struct Walker {
    dfa: dense::DFA<Vec<u32>>,
    start: StateID,
}

impl Walker {
    /// A DFA that finds `pattern` anywhere, as a JSON Schema `pattern` is applied.
    fn search(pattern: &str) -> Option<Walker> {
        Walker::build(pattern, Anchored::No, StartKind::Unanchored)
    }

    /// A DFA that matches `pattern` from the first byte (only its end state is read).
    fn whole(pattern: &str) -> Option<Walker> {
        Walker::build(
            &format!(r"\A(?:{pattern})\z"),
            Anchored::Yes,
            StartKind::Anchored,
        )
    }

    fn build(pattern: &str, anchored: Anchored, kind: StartKind) -> Option<Walker> {
        let dfa = crate::schema::pattern::dfa(pattern, kind)?;
        let start = dfa
            .start_state(&start::Config::new().anchored(anchored))
            .ok()?;
        Some(Walker { dfa, start })
    }

    fn is_match(&self, state: StateID) -> bool {
        self.dfa.is_match_state(state)
    }

    /// Whether the text read so far is matched once the input ends here.
    fn accepts_at_end(&self, state: StateID) -> bool {
        self.dfa.is_match_state(self.dfa.next_eoi_state(state))
    }
}

/// Every byte, printable ASCII first, so a counterexample reads well when one exists.
fn bytes_printable_first() -> impl Iterator<Item = u8> {
    (b' '..=b'~').chain((0..b' ').chain(b'\x7f'..=u8::MAX))
}

/// The bytes that lead from the start to `state`, as text (the UTF-8 DFA accepted them).
fn spell(parents: &BTreeMap<State, Option<(State, u8)>>, mut state: State) -> String {
    let mut bytes = Vec::new();
    while let Some(Some((parent, byte))) = parents.get(&state) {
        bytes.push(*byte);
        state = *parent;
    }
    bytes.reverse();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: &str = r"^[a-z]([a-z0-9-]*[a-z0-9])?$";

    #[test]
    fn a_pattern_includes_itself_and_wider_ones_include_it() {
        assert_eq!(inclusion(NAME, NAME), Inclusion::Relaxed);
        assert_eq!(
            inclusion(NAME, r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"),
            Inclusion::Relaxed
        );
        assert_eq!(inclusion("^a$", "a"), Inclusion::Relaxed);
    }

    #[test]
    fn a_narrower_pattern_is_shown_with_a_string_it_now_refuses() {
        let Inclusion::Narrowed(example) = inclusion(r"^[a-z0-9]+$", r"^[a-z]+$") else {
            panic!("narrowed");
        };
        assert!(regex_lite::Regex::new(r"^[a-z0-9]+$").is_ok_and(|r| r.is_match(&example)));
        assert!(regex_lite::Regex::new(r"^[a-z]+$").is_ok_and(|r| !r.is_match(&example)));
    }

    #[test]
    fn search_semantics_apply_to_unanchored_patterns() {
        // "a" is found in "xa"; "^a" is not.
        assert!(matches!(inclusion("a", "^a"), Inclusion::Narrowed(_)));
        assert_eq!(inclusion("^ab", "b"), Inclusion::Relaxed);
    }

    #[test]
    fn counterexamples_are_valid_text_beyond_ascii() {
        let Inclusion::Narrowed(example) = inclusion("^.$", "^[a-z]$") else {
            panic!("narrowed");
        };
        assert_eq!(example.chars().count(), 1);
        assert!(!example.chars().all(|c| c.is_ascii_lowercase()));
    }

    #[test]
    fn what_the_dfa_cannot_read_is_undecided() {
        assert_eq!(inclusion("(", "a"), Inclusion::Undecided);
    }
}
