//! The names of what a run writes beside the tree before swapping it in: unpredictable, so no
//! one can plant a link where zave will create a file, and recognisable, so the next run can
//! clear what an interrupted one left.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::TreeError;

/// What a scratch entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The new version of a tenant's folder or file, before it is swapped in.
    New,
    /// The old version, swapped out, removed at the end of the run.
    Old,
    /// A file written whole before it is renamed over its place.
    Temporary,
}

impl Purpose {
    fn word(self) -> &'static str {
        match self {
            Purpose::New => "new",
            Purpose::Old => "old",
            Purpose::Temporary => "tmp",
        }
    }
}

/// The journal of a run's swaps, at the root of the output folder.
pub const JOURNAL: &str = ".zave-journal";

/// Random hex digits of a run's scratch names, before the counter.
const RANDOM_DIGITS: usize = 24;

/// Mints the scratch names of one run: a random part drawn once, and a counter.
#[derive(Debug)]
pub struct Names {
    random: String,
    counter: AtomicU32,
}

impl Names {
    /// Draws the run's random part from the operating system.
    pub fn new() -> Result<Names, TreeError> {
        let mut bytes = [0u8; RANDOM_DIGITS / 2];
        getrandom::fill(&mut bytes).map_err(|error| {
            TreeError::io(
                "",
                std::io::Error::other(format!("no random numbers: {error}")),
            )
        })?;
        Ok(Names {
            random: bytes.iter().map(|byte| format!("{byte:02x}")).collect(),
            counter: AtomicU32::new(0),
        })
    }

    /// A fresh scratch name for `purpose` beside the entry `name`.
    pub fn scratch(&self, purpose: Purpose, name: &str) -> String {
        let count = self.counter.fetch_add(1, Ordering::Relaxed);
        format!(".zave-{}-{}{count:08x}-{name}", purpose.word(), self.random)
    }
}

/// Whether `name` is a scratch name some run minted.
pub fn is_scratch(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(".zave-") else {
        return false;
    };
    let Some(rest) = ["new-", "old-", "tmp-"]
        .iter()
        .find_map(|word| rest.strip_prefix(word))
    else {
        return false;
    };
    let digits = RANDOM_DIGITS + 8;
    rest.len() > digits + 1
        && rest.as_bytes()[..digits]
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        && rest.as_bytes()[digits] == b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_names_are_fresh_and_recognised() {
        let names = Names::new().expect("random numbers");
        let first = names.scratch(Purpose::New, "web");
        let second = names.scratch(Purpose::New, "web");
        assert_ne!(first, second);
        assert!(is_scratch(&first) && is_scratch(&names.scratch(Purpose::Old, "web.yaml")));
        let other_run = Names::new()
            .expect("random numbers")
            .scratch(Purpose::New, "web");
        assert_ne!(
            first[..40],
            other_run[..40],
            "the random part differs between runs"
        );
        for foreign in [
            ".zave-new-web",
            ".zave-new-0123-web",
            "web",
            ".zave-journal",
            ".zave-new-",
        ] {
            assert!(!is_scratch(foreign), "{foreign}");
        }
    }
}
