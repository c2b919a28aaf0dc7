//! The journal of a run's swaps: the steps that put staged tenants in place (and take pruned
//! ones out), written whole and durably before the first, removed after the last. An interrupted run
//! leaves it behind, and the next run replays it; a step already done is skipped, so a replay
//! can itself be interrupted and replayed.

use crate::TreeError;
use crate::dir::Dir;
use crate::names::{JOURNAL, Names, Purpose};

/// The journal's first line: what it is, and its format's version.
const FIRST_LINE: &str = "# zave journal 2: the swaps of an interrupted run";

/// A journal larger than this is not zave's.
const LIMIT: u64 = 256 << 20;

/// One step, inside one folder of the tree (names are plain, the folder a tree path). At every
/// moment of a step, its place holds the old entry or the new one, never nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Put the staged folder `new` at `live`. When a folder stands there, the two are exchanged
    /// in one rename and the old one then goes to `old`; `staged` is the staged folder's inode,
    /// which tells a replay whether the exchange happened.
    Exchange {
        /// The folder's tree path.
        folder: String,
        /// The entry's place.
        live: String,
        /// The staged folder.
        new: String,
        /// Where the replaced folder goes.
        old: String,
        /// The staged folder's inode number.
        staged: u64,
    },
    /// Put the staged file `new` over `live`: one rename, which replaces a file atomically.
    Replace {
        /// The folder's tree path.
        folder: String,
        /// The entry's place.
        live: String,
        /// The staged file.
        new: String,
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
            Step::Exchange {
                folder,
                live,
                new,
                old,
                staged,
            } => format!("exchange\t{folder}\t{live}\t{new}\t{old}\t{staged}\n"),
            Step::Replace { folder, live, new } => format!("replace\t{folder}\t{live}\t{new}\n"),
            Step::Drop { folder, live, old } => format!("drop\t{folder}\t{live}\t{old}\n"),
        }
    }

    fn from_line(line: &str) -> Option<Step> {
        let parts: Vec<&str> = line.split('\t').collect();
        let owned = |i: usize| parts[i].to_owned();
        match parts.first().copied() {
            Some("exchange") if parts.len() == 6 => Some(Step::Exchange {
                folder: owned(1),
                live: owned(2),
                new: owned(3),
                old: owned(4),
                staged: parts[5].parse().ok()?,
            }),
            Some("replace") if parts.len() == 4 => Some(Step::Replace {
                folder: owned(1),
                live: owned(2),
                new: owned(3),
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
        match self {
            Step::Exchange {
                live,
                new,
                old,
                staged,
                ..
            } => {
                let Some(inode) = within.inode(new)? else {
                    return Ok(()); // put in place, and the old folder (if any) moved on
                };
                if inode == *staged {
                    if within.kind(live)?.is_none() {
                        return within.rename_new(new, live);
                    }
                    within.exchange(new, live)?;
                }
                // `new` now holds the folder that was in place.
                move_aside(within, new, old)
            }
            Step::Replace { live, new, .. } => match within.kind(new)? {
                Some(_) => within.rename(new, within, live),
                None => Ok(()),
            },
            Step::Drop { live, old, .. } => match within.kind(live)? {
                Some(_) => move_aside(within, live, old),
                None => Ok(()),
            },
        }
    }

    /// The step's folder.
    pub fn folder(&self) -> &str {
        match self {
            Step::Exchange { folder, .. }
            | Step::Replace { folder, .. }
            | Step::Drop { folder, .. } => folder,
        }
    }
}

/// Renames `from` to the fresh name `to`, which must still be free.
fn move_aside(within: &Dir, from: &str, to: &str) -> Result<(), TreeError> {
    if within.kind(to)?.is_some() {
        return Err(TreeError::Recovery {
            journal: JOURNAL.to_owned(),
            reason: format!("{} exists already", within.child_path(to)),
        });
    }
    within.rename(from, within, to)
}

/// Writes the journal of `steps` into `root` whole (a temporary file renamed into place).
pub fn write(root: &Dir, names: &Names, steps: &[Step]) -> Result<(), TreeError> {
    let mut text = String::from(FIRST_LINE);
    text.push('\n');
    for step in steps {
        text.push_str(&step.to_line());
    }
    let temporary = names.scratch(Purpose::Temporary, JOURNAL);
    // What the journal points at, then the journal itself, reach the disk before any step:
    // after a power cut it never names a staged file that was not written.
    root.sync_filesystem()?;
    root.create_file(&temporary, text.as_bytes())?;
    root.sync_file(&temporary)?;
    root.rename(&temporary, root, JOURNAL)?;
    root.sync_filesystem()
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
