//! The journal of a run's swaps: the steps that put staged tenants in place (and take pruned
//! ones out), written whole before the first, removed after the last. An interrupted run
//! leaves it behind, and the next run replays it; a step already done is skipped, so a replay
//! can itself be interrupted and replayed.

use crate::TreeError;
use crate::dir::Dir;
use crate::names::{JOURNAL, Names, Purpose};

/// The journal's first line: what it is, and its format's version.
const FIRST_LINE: &str = "# zave journal 1: the swaps of an interrupted run";

/// A journal larger than this is not zave's.
const LIMIT: u64 = 256 << 20;

/// One step, inside one folder of the tree (names are plain, the folder a tree path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Put `new` at `live`; what was at `live` goes to `old`.
    Swap {
        /// The folder's tree path.
        folder: String,
        /// The entry's place.
        live: String,
        /// The staged entry.
        new: String,
        /// Where the replaced entry goes.
        old: String,
    },
    /// Take `live` out of the tree, to `old`.
    Drop {
        /// The folder's tree path.
        folder: String,
        /// The entry's place.
        live: String,
        /// Where it goes.
        old: String,
    },
}

impl Step {
    fn to_line(&self) -> String {
        match self {
            Step::Swap {
                folder,
                live,
                new,
                old,
            } => format!("swap\t{folder}\t{live}\t{new}\t{old}\n"),
            Step::Drop { folder, live, old } => format!("drop\t{folder}\t{live}\t{old}\n"),
        }
    }

    fn from_line(line: &str) -> Option<Step> {
        let parts: Vec<&str> = line.split('\t').collect();
        let owned = |i: usize| parts[i].to_owned();
        match parts.first().copied() {
            Some("swap") if parts.len() == 5 => Some(Step::Swap {
                folder: owned(1),
                live: owned(2),
                new: owned(3),
                old: owned(4),
            }),
            Some("drop") if parts.len() == 4 => Some(Step::Drop {
                folder: owned(1),
                live: owned(2),
                old: owned(3),
            }),
            _ => None,
        }
    }

    /// Does the step unless it is done; `within` is the step's folder.
    pub fn apply(&self, within: &Dir) -> Result<(), TreeError> {
        let (live, new, old) = match self {
            Step::Swap { live, new, old, .. } => (live, Some(new), old),
            Step::Drop { live, old, .. } => (live, None, old),
        };
        if new.is_some_and(|new| matches!(within.kind(new), Ok(None))) {
            return Ok(()); // swapped already
        }
        if within.kind(live)?.is_some() {
            if within.kind(old)?.is_some() {
                return Err(TreeError::Recovery {
                    journal: JOURNAL.to_owned(),
                    reason: format!("{} exists already", within.child_path(old)),
                });
            }
            within.rename(live, within, old)?;
        }
        match new {
            Some(new) => within.rename(new, within, live),
            None => Ok(()),
        }
    }

    /// The step's folder.
    pub fn folder(&self) -> &str {
        match self {
            Step::Swap { folder, .. } | Step::Drop { folder, .. } => folder,
        }
    }
}

/// Writes the journal of `steps` into `root` whole (a temporary file renamed into place).
pub fn write(root: &Dir, names: &Names, steps: &[Step]) -> Result<(), TreeError> {
    let mut text = String::from(FIRST_LINE);
    text.push('\n');
    for step in steps {
        text.push_str(&step.to_line());
    }
    let temporary = names.scratch(Purpose::Temporary, JOURNAL);
    root.create_file(&temporary, text.as_bytes())?;
    root.rename(&temporary, root, JOURNAL)
}

/// Removes the journal once every step it lists is done.
pub fn remove(root: &Dir) -> Result<(), TreeError> {
    root.remove_file(JOURNAL)
}

/// Whether an interrupted run left a journal.
pub fn exists(root: &Dir) -> Result<bool, TreeError> {
    Ok(root.kind(JOURNAL)?.is_some())
}

/// Finishes the steps an interrupted run's journal lists, then removes it.
pub fn replay(root: &Dir) -> Result<(), TreeError> {
    let failed = |reason: String| TreeError::Recovery {
        journal: JOURNAL.to_owned(),
        reason,
    };
    let Some(bytes) = root.read(JOURNAL, LIMIT)? else {
        return Ok(());
    };
    let text = String::from_utf8(bytes).map_err(|_| failed("it is not UTF-8".to_owned()))?;
    let mut lines = text.lines();
    if lines.next() != Some(FIRST_LINE) {
        return Err(failed("it is not a zave journal".to_owned()));
    }
    for line in lines {
        let step =
            Step::from_line(line).ok_or_else(|| failed(format!("unreadable line {line:?}")))?;
        let Some(dir) = root.open_path(step.folder(), None)? else {
            return Err(failed(format!("the folder {} is gone", step.folder())));
        };
        step.apply(&dir)?;
    }
    remove(root)
}
