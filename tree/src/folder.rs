//! A plain folder of files zave writes one by one (a tenant repository, provisioning
//! scripts): the same handle-relative, link-refusing access as the tree, without its runs.

use std::path::Path;

pub use zave::scaffold::OnDisk;

use crate::TreeError;
use crate::dir::{Dir, Kind};
use crate::names::{Names, Purpose};
use crate::root::open_real_folder;

/// An opened folder; reads of a folder that does not exist find nothing.
#[derive(Debug)]
pub struct Folder {
    root: Option<Dir>,
}

impl Folder {
    /// Opens the folder at `path` (creating it when `create`), by the rule of
    /// [`crate::Tree::open`] for the path itself.
    pub fn open(path: &Path, create: bool) -> Result<Folder, TreeError> {
        Ok(Folder {
            root: open_real_folder(path, create.then_some(&mut Vec::new()))?,
        })
    }

    /// The folder holding the file at `relative`, and the file's name; `None` when missing.
    fn parent_of<'r>(
        &self,
        relative: &'r str,
        create: bool,
    ) -> Result<Option<(Dir, &'r str)>, TreeError> {
        let Some(root) = &self.root else {
            return Ok(None);
        };
        let (folder, name) = relative.rsplit_once('/').unwrap_or(("", relative));
        let mut created = Vec::new();
        let created = create.then_some(&mut created);
        Ok(root.open_path(folder, created)?.map(|dir| (dir, name)))
    }

    /// What stands at `relative`: nothing, a regular file (read up to `limit` bytes), or
    /// something else (a folder, or a symbolic link anywhere on the way).
    pub fn inspect(&self, relative: &str, limit: u64) -> Result<OnDisk, TreeError> {
        let parent = match self.parent_of(relative, false) {
            Ok(parent) => parent,
            Err(TreeError::Link(_) | TreeError::NotAFolder(_)) => return Ok(OnDisk::NotAFile),
            Err(error) => return Err(error),
        };
        let Some((dir, name)) = parent else {
            return Ok(OnDisk::Missing);
        };
        match dir.read(name, limit) {
            Ok(Some(bytes)) => Ok(OnDisk::File(bytes)),
            Ok(None) => Ok(OnDisk::Missing),
            Err(TreeError::Link(_) | TreeError::NotAFile(_)) => Ok(OnDisk::NotAFile),
            Err(error) => Err(error),
        }
    }

    /// The names of every entry of the folder `relative`, sorted; none when it does not exist.
    pub fn entries(&self, relative: &str) -> Result<Vec<String>, TreeError> {
        let Some(root) = &self.root else {
            return Ok(Vec::new());
        };
        Ok(match root.open_path(relative, None)? {
            Some(dir) => dir.entries()?.into_iter().map(|(name, _)| name).collect(),
            None => Vec::new(),
        })
    }

    /// Writes `content` at `relative` whole: a temporary file under an unpredictable name,
    /// renamed over whatever file is there (the caller decided it may be replaced). Creates
    /// the folders on the way; never writes through a link, nor over a folder.
    pub fn write_file(&self, relative: &str, content: &str) -> Result<(), TreeError> {
        self.write(relative, content, false)
    }

    /// Writes the script `content` at `relative` as [`Folder::write_file`] does, executable.
    pub fn write_executable(&self, relative: &str, content: &str) -> Result<(), TreeError> {
        self.write(relative, content, true)
    }

    fn write(&self, relative: &str, content: &str, executable: bool) -> Result<(), TreeError> {
        let Some((dir, name)) = self.parent_of(relative, true)? else {
            return Err(TreeError::Outside(relative.to_owned()));
        };
        if let Some(kind @ (Kind::Folder | Kind::Link | Kind::Other)) = dir.kind(name)? {
            let path = dir.child_path(name);
            return Err(if kind == Kind::Link {
                TreeError::Link(path)
            } else {
                TreeError::NotAFile(path)
            });
        }
        let temporary = Names::new()?.scratch(Purpose::Temporary, name);
        let created = if executable {
            dir.create_executable(&temporary, content.as_bytes())
        } else {
            dir.create_file(&temporary, content.as_bytes())
        };
        created
            .and_then(|()| dir.rename(&temporary, &dir, name))
            .inspect_err(|_| {
                let _ = dir.remove_file(&temporary);
            })
    }
}
