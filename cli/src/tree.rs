//! The GitOps tree on disk: safe writes (inside the output folder, never through a symbolic
//! link, atomic, only over zave's own files), comparison for `--check`, and pruning.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};

use zave::RenderedFile;
use zave::manifest::HEADER_PREFIX;
use zave::scaffold::OnDisk;

/// One difference between the tree zave would write and the tree on disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    /// zave would add this file.
    Added(String),
    /// The file on disk differs.
    Changed(String),
    /// zave would remove this file (it generated it, and it is no longer produced).
    Removed(String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Added(path) => write!(f, "added:   {path}"),
            Difference::Changed(path) => write!(f, "changed: {path}"),
            Difference::Removed(path) => write!(f, "removed: {path}"),
        }
    }
}

/// The output folder, checked once: it exists (or is created) and is not a symbolic link.
pub struct Tree {
    root: PathBuf,
    /// Staging folders in use by a thread of this process. Another writer of the same new
    /// folder (a shared one, such as the Applications folder) waits until it is in place and
    /// then writes file by file: had it created the folder itself, the rename would replace
    /// that empty folder under a file being created in it.
    staging: Mutex<BTreeSet<PathBuf>>,
    /// Signalled when a staging folder is released.
    staged: Condvar,
    /// Real folders (not symbolic links) above the folders files are written in, found by
    /// any thread of this process: each is looked at once per run, not once per tenant. A
    /// tenant's own folders are not kept, so this does not grow with the number of tenants.
    /// Held as plain strings, which compare bytewise (a `Path` compares component by
    /// component).
    ancestors: Mutex<BTreeSet<OsString>>,
}

/// What one pass over a set of files knows about folders.
struct Seen<'t> {
    /// The tree's real folders above the folders files go in.
    ancestors: &'t Mutex<BTreeSet<OsString>>,
    /// Real folders files go in, found or created by this pass.
    folders: BTreeSet<PathBuf>,
    /// Folders this pass created: nothing in them predates it, so their files need no check.
    created: BTreeSet<PathBuf>,
}

impl Seen<'_> {
    /// Whether `path` is known to be a real folder.
    fn is_folder(&self, path: &Path) -> bool {
        self.folders.contains(path) || {
            let ancestors = self
                .ancestors
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            ancestors.contains(path.as_os_str())
        }
    }

    /// Records that `path` is a real folder: for the whole run when files do not go directly
    /// in it, else for this pass.
    fn add_folder(&mut self, path: &Path, holds_files: bool) {
        if holds_files {
            self.folders.insert(path.to_path_buf());
        } else {
            let mut ancestors = self
                .ancestors
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            ancestors.insert(path.as_os_str().to_owned());
        }
    }

    /// Whether `path` is inside a folder this pass created.
    fn is_new(&self, path: &Path) -> bool {
        path.parent()
            .is_some_and(|parent| self.created.contains(parent))
    }
}

impl Tree {
    /// Opens (creating when `create`) the output folder.
    pub fn open(root: &Path, create: bool) -> Result<Tree, String> {
        if let Ok(meta) = fs::symlink_metadata(root) {
            if meta.file_type().is_symlink() {
                return Err(format!(
                    "{} is a symbolic link; zave writes only into a real folder",
                    root.display()
                ));
            }
            if !meta.is_dir() {
                return Err(format!("{} is not a folder", root.display()));
            }
        } else if create {
            fs::create_dir_all(root)
                .map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        }
        Ok(Tree {
            root: root.to_path_buf(),
            staging: Mutex::default(),
            staged: Condvar::new(),
            ancestors: Mutex::default(),
        })
    }

    fn seen(&self) -> Seen<'_> {
        Seen {
            ancestors: &self.ancestors,
            folders: BTreeSet::new(),
            created: BTreeSet::new(),
        }
    }

    /// The place of a tree path on disk, refusing any path that could leave the folder and any
    /// symbolic link on the way. Folders in `seen` are not looked at again, nor anything below
    /// a missing one.
    fn locate_in(&self, relative: &str, seen: &mut Seen<'_>) -> Result<PathBuf, String> {
        let path = Path::new(relative);
        if !path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(format!(
                "refusing to write outside the output folder: {relative}"
            ));
        }
        let mut current = self.root.clone();
        let mut missing = false;
        let depth = path.components().count();
        for (index, component) in path.components().enumerate() {
            current.push(component);
            if missing || seen.is_new(&current) || seen.is_folder(&current) {
                continue;
            }
            match fs::symlink_metadata(&current) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(format!(
                        "refusing to write through the symbolic link {}",
                        current.display()
                    ));
                }
                Ok(meta) if meta.is_dir() => {
                    seen.add_folder(&current, index + 2 >= depth);
                }
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => missing = true,
                _ => {}
            }
        }
        Ok(current)
    }

    fn locate(&self, relative: &str) -> Result<PathBuf, String> {
        self.locate_in(relative, &mut self.seen())
    }

    /// What writing `files` would change on disk, without writing.
    pub fn compare(&self, files: &[RenderedFile]) -> Result<Vec<Difference>, String> {
        let mut differences = Vec::new();
        let mut seen = self.seen();
        for file in files {
            let target = self.locate_in(&file.path, &mut seen)?;
            match fs::read(&target) {
                Ok(existing) if existing == file.content.as_bytes() => {}
                Ok(_) => differences.push(Difference::Changed(file.path.clone())),
                Err(_) => differences.push(Difference::Added(file.path.clone())),
            }
        }
        Ok(differences)
    }

    /// Writes `files`, atomically: a folder that does not exist yet is written whole beside
    /// its place and renamed into it; in a folder that exists, each file goes through a
    /// temporary file renamed into place. Either way a reader never sees half a file. Files
    /// already identical are skipped, and a file zave did not generate is never replaced.
    /// Files are not synced one by one: a GitOps working tree is committed, and the renames
    /// already keep every file whole.
    pub fn write(&self, files: &[RenderedFile]) -> Result<(), String> {
        let mut seen = self.seen();
        let mut rest = files;
        while let Some(first) = rest.first() {
            let folder = split_folder(&first.path).0;
            let count = rest
                .iter()
                .take_while(|file| split_folder(&file.path).0 == folder)
                .count();
            let (group, after) = rest.split_at(count);
            rest = after;
            let located = self.locate_in(&first.path, &mut seen)?;
            let parent = located.parent().filter(|p| !seen.is_folder(p));
            match parent {
                Some(parent) if !folder.is_empty() && self.stage_folder(parent, group)? => {
                    seen.add_folder(parent, true);
                }
                _ => self.write_each(group, &mut seen)?,
            }
        }
        Ok(())
    }

    /// Writes `files` one by one into folders that may exist.
    fn write_each(&self, files: &[RenderedFile], seen: &mut Seen<'_>) -> Result<(), String> {
        for file in files {
            let target = self.locate_in(&file.path, seen)?;
            if seen.is_new(&target) {
                put(&target, &file.path, &file.content, seen)?;
                continue;
            }
            match fs::read(&target) {
                Ok(existing) if existing == file.content.as_bytes() => continue,
                Ok(existing) if !existing.starts_with(HEADER_PREFIX.as_bytes()) => {
                    return Err(format!(
                        "{} exists and was not generated by zave; move it away first",
                        file.path
                    ));
                }
                _ => {}
            }
            put(&target, &file.path, &file.content, seen)?;
        }
        Ok(())
    }

    /// Writes one file atomically at `relative`, whatever is there (the caller decided it may
    /// be replaced), never through a symbolic link.
    pub fn write_file(&self, relative: &str, content: &str) -> Result<(), String> {
        let mut seen = self.seen();
        let target = self.locate_in(relative, &mut seen)?;
        put(&target, relative, content, &mut seen)
    }

    /// What stands at `relative`: nothing, a regular file (read up to `limit` bytes), or
    /// something else (a folder, or a symbolic link on the way).
    pub fn inspect(&self, relative: &str, limit: u64) -> Result<OnDisk, String> {
        let Ok(target) = self.locate(relative) else {
            return Ok(OnDisk::NotAFile);
        };
        match fs::symlink_metadata(&target) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(OnDisk::Missing),
            Err(error) => Err(format!("cannot read {relative}: {error}")),
            Ok(meta) if !meta.is_file() => Ok(OnDisk::NotAFile),
            Ok(_) => {
                let mut bytes = Vec::new();
                fs::File::open(&target)
                    .and_then(|file| {
                        std::io::Read::read_to_end(
                            &mut std::io::Read::take(file, limit),
                            &mut bytes,
                        )
                    })
                    .map_err(|error| format!("cannot read {relative}: {error}"))?;
                Ok(OnDisk::File(bytes))
            }
        }
    }

    /// The names of every entry of the folder `relative`, sorted; none when it does not exist.
    pub fn entries(&self, relative: &str) -> Result<Vec<String>, String> {
        let located = self.locate(relative)?;
        if fs::symlink_metadata(&located).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Err(format!("{relative} is a symbolic link"));
        }
        let Ok(entries) = fs::read_dir(&located) else {
            return Ok(Vec::new());
        };
        let mut names: Vec<String> = entries
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        Ok(names)
    }

    /// The zave-generated files directly in `dir` (a tree path) that are not in `keep`.
    pub fn stale_in(&self, dir: &str, keep: &BTreeSet<String>) -> Result<Vec<String>, String> {
        let located = self.locate(dir)?;
        let Ok(entries) = fs::read_dir(&located) else {
            return Ok(Vec::new());
        };
        let mut stale = Vec::new();
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{dir}/{name}");
            if kind.is_file() && !keep.contains(&path) && is_generated(&entry.path()) {
                stale.push(path);
            }
        }
        stale.sort();
        Ok(stale)
    }

    /// The sub-folders of `dir` (a tree path), by name.
    pub fn folders_in(&self, dir: &str) -> Result<Vec<String>, String> {
        let located = self.locate(dir)?;
        let Ok(entries) = fs::read_dir(&located) else {
            return Ok(Vec::new());
        };
        let mut folders: Vec<String> = entries
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        folders.sort();
        Ok(folders)
    }

    /// Writes `files` (all directly in `folder`, which did not exist) into a staging folder
    /// beside it, then renames that into place: the folder appears whole, and each file costs no
    /// rename of its own. False, with nothing left behind, when another thread staged the same
    /// folder first (the tenants of one render share the Applications folder; this waits for
    /// it) or `folder` appeared meanwhile: the caller then writes file by file.
    fn stage_folder(&self, folder: &Path, files: &[RenderedFile]) -> Result<bool, String> {
        let (Some(parent), Some(name)) = (folder.parent(), folder.file_name()) else {
            return Ok(false);
        };
        let mut staging_name = OsString::from(".");
        staging_name.push(name);
        staging_name.push(".zave-tmp");
        let staging = parent.join(staging_name);
        let lock = || self.staging.lock().unwrap_or_else(PoisonError::into_inner);
        let mut in_use = lock();
        if !in_use.insert(staging.clone()) {
            while in_use.contains(&staging) {
                in_use = self
                    .staged
                    .wait(in_use)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            return Ok(false);
        }
        drop(in_use);
        let staged = stage_into(&staging, folder, files);
        lock().remove(&staging);
        self.staged.notify_all();
        staged
    }

    /// Removes a zave-generated file, and its folder when that leaves it empty.
    pub fn remove(&self, path: &str) -> Result<(), String> {
        let located = self.locate(path)?;
        fs::remove_file(&located).map_err(|e| format!("cannot remove {path}: {e}"))?;
        if let Some(parent) = located.parent() {
            // Succeeds only when empty.
            if fs::remove_dir(parent).is_ok() {
                let mut ancestors = self
                    .ancestors
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                ancestors.remove(parent.as_os_str());
            }
        }
        Ok(())
    }
}

/// Writes `content` to `target` through a temporary file renamed into place, creating the
/// folder when `seen` did not find it.
fn put(target: &Path, relative: &str, content: &str, seen: &mut Seen<'_>) -> Result<(), String> {
    let parent = target
        .parent()
        .ok_or_else(|| format!("{relative} has no folder"))?;
    if !seen.is_folder(parent) {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        seen.add_folder(parent, true);
        seen.created.insert(parent.to_path_buf());
    }
    let file_name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file");
    let temporary = parent.join(format!(".{file_name}.zave-tmp"));
    let written =
        fs::write(&temporary, content.as_bytes()).and_then(|()| fs::rename(&temporary, target));
    if let Err(error) = written {
        let _ = fs::remove_file(&temporary);
        return Err(format!("cannot write {relative}: {error}"));
    }
    Ok(())
}

/// Writes `files` into the `staging` folder (this thread's alone) and renames it to `folder`;
/// false when `folder` appeared meanwhile.
fn stage_into(staging: &Path, folder: &Path, files: &[RenderedFile]) -> Result<bool, String> {
    if let Some(parent) = staging.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    if fs::symlink_metadata(staging).is_ok() {
        // Left by an interrupted render: it holds only what zave was writing.
        fs::remove_dir_all(staging)
            .or_else(|_| fs::remove_file(staging))
            .map_err(|e| format!("cannot clear {}: {e}", staging.display()))?;
    }
    fs::create_dir(staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    let written = files.iter().try_for_each(|file| {
        let name = split_folder(&file.path).1;
        if !matches!(
            Path::new(name).components().collect::<Vec<_>>()[..],
            [Component::Normal(_)]
        ) {
            return Err(format!(
                "refusing to write outside the output folder: {}",
                file.path
            ));
        }
        fs::File::create_new(staging.join(name))
            .and_then(|mut out| std::io::Write::write_all(&mut out, file.content.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", file.path))
    });
    let renamed = written.and_then(|()| match fs::rename(staging, folder) {
        Ok(()) => Ok(true),
        Err(_) if fs::symlink_metadata(folder).is_ok() => Ok(false),
        Err(e) => Err(format!("cannot create {}: {e}", folder.display())),
    });
    if renamed != Ok(true) {
        let _ = fs::remove_dir_all(staging);
    }
    renamed
}

/// A tree path's folder and file name (the folder is empty for a file at the root).
fn split_folder(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// Whether the file at `path` starts with zave's header.
fn is_generated(path: &Path) -> bool {
    let mut start = [0u8; HEADER_PREFIX.len()];
    fs::File::open(path)
        .and_then(|mut file| std::io::Read::read_exact(&mut file, &mut start))
        .is_ok_and(|()| start == HEADER_PREFIX.as_bytes())
}
