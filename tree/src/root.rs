//! Opening the output folder: the one rule for the `--out` path, and the lock on it.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rustix::fs::{Mode, OFlags};

use crate::TreeError;
use crate::dir::Dir;
use crate::lock;

/// What a run does with the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Compare only: nothing is created or changed; shares the lock with other checks.
    Check,
    /// Write: creates the folder when missing; holds the lock alone.
    Write,
}

/// The output folder, opened and locked for one run. Dropped before a run over it finished,
/// it removes the folders it created (when still empty): a refused run leaves no trace.
#[derive(Debug)]
pub struct Tree {
    /// Folders created to open it, outermost first.
    created: Vec<PathBuf>,
    /// Set when a run over it finished.
    kept: AtomicBool,
    /// The opened folder; `None` when checking a folder that does not exist.
    root: Option<Dir>,
    access: Access,
}

impl Tree {
    /// Opens the output folder at `path` for `access`, waiting up to `wait` for another run
    /// that holds it (`waiting` is called once when it must wait).
    ///
    /// The rule for the path itself: it may not contain `..`, and what it names (after any
    /// trailing `.`) must be a real folder, not a symbolic link; the folders above it are
    /// the user's and resolved as usual. Below it, no link is ever followed.
    pub fn open(
        path: &Path,
        access: Access,
        wait: Duration,
        waiting: &mut dyn FnMut(),
    ) -> Result<Tree, TreeError> {
        let shown = path.display().to_string();
        let mut created = Vec::new();
        let create = (access == Access::Write).then_some(&mut created);
        let Some(root) = open_real_folder(path, create)? else {
            return Ok(Tree {
                created,
                kept: AtomicBool::new(true),
                root: None,
                access,
            });
        };
        lock::acquire(root.fd(), access == Access::Write, wait, waiting).map_err(|error| {
            match error {
                lock::LockError::Busy => TreeError::Busy(shown.clone()),
                lock::LockError::Io(source) => TreeError::io(shown.clone(), source),
            }
        })?;
        Ok(Tree {
            created,
            kept: AtomicBool::new(false),
            root: Some(root),
            access,
        })
    }

    /// The opened folder; `None` when a check found no folder.
    pub(crate) fn root(&self) -> Option<&Dir> {
        self.root.as_ref()
    }

    /// Keeps what was created to open the tree: a run over it finished.
    pub(crate) fn keep(&self) {
        self.kept.store(true, Ordering::Relaxed);
    }

    /// What this run may do.
    pub fn access(&self) -> Access {
        self.access
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        if !self.kept.load(Ordering::Relaxed) {
            for folder in self.created.iter().rev() {
                // Only an empty folder goes; one that holds anything stays.
                let _ = std::fs::remove_dir(folder);
            }
        }
    }
}

/// Opens the folder `path` names, by the rule of [`Tree::open`]; `None` when it is missing
/// and `created` is `None`, else it is made and the folders made are recorded there.
pub(crate) fn open_real_folder(
    path: &Path,
    created: Option<&mut Vec<PathBuf>>,
) -> Result<Option<Dir>, TreeError> {
    let shown = path.display().to_string();
    if path.as_os_str().is_empty() {
        return Err(TreeError::NotAFolder("an empty path".to_owned()));
    }
    let normal = normalized(path).ok_or_else(|| TreeError::Outside(shown.clone()))?;
    match std::fs::symlink_metadata(&normal) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(TreeError::Link(shown)),
        Ok(meta) if !meta.is_dir() => return Err(TreeError::NotAFolder(shown)),
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let Some(created) = created else {
                return Ok(None);
            };
            let mut missing: Vec<PathBuf> = normal
                .ancestors()
                .take_while(|folder| !folder.as_os_str().is_empty() && !folder.exists())
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            std::fs::create_dir_all(&normal).map_err(|e| TreeError::io(shown.clone(), e))?;
            created.extend(missing);
        }
        Err(error) => return Err(TreeError::io(shown, error)),
    }
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let fd =
        rustix::fs::openat(rustix::fs::CWD, &normal, flags, Mode::empty()).map_err(|error| {
            match error {
                rustix::io::Errno::LOOP => TreeError::Link(shown.clone()),
                other => TreeError::io(shown.clone(), other.into()),
            }
        })?;
    Ok(Some(Dir::from_fd(fd, String::new())))
}

/// `path` without `.` parts, so its last component is what it names; `None` with `..`.
fn normalized(path: &Path) -> Option<PathBuf> {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => return None,
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    if path.as_os_str().is_empty() {
        return None;
    }
    if normal.as_os_str().is_empty() {
        normal.push(".");
    }
    Some(normal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_path_names_its_folder_without_dots() {
        assert_eq!(normalized(Path::new("out/.")), Some(PathBuf::from("out")));
        assert_eq!(
            normalized(Path::new("./out/./")),
            Some(PathBuf::from("out"))
        );
        assert_eq!(normalized(Path::new(".")), Some(PathBuf::from(".")));
        assert_eq!(normalized(Path::new("link/../x")), None);
        assert_eq!(
            normalized(Path::new("")),
            None,
            "an empty --out is no folder"
        );
        assert_eq!(
            normalized(Path::new("/srv/gitops")),
            Some(PathBuf::from("/srv/gitops"))
        );
    }
}
