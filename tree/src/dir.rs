//! Folders as opened handles: every operation is relative to one, by a single name, and never
//! follows a symbolic link (`O_NOFOLLOW`, `AT_SYMLINK_NOFOLLOW`), so nothing can lead outside.

use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

#[cfg(any(target_os = "linux", target_os = "android"))]
use rustix::fs::RenameFlags;
use rustix::fs::{AtFlags, Dir as Entries, FileType, Mode, OFlags};
use rustix::io::Errno;

use crate::TreeError;

/// What stands at a name inside a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A regular file.
    File,
    /// A folder.
    Folder,
    /// A symbolic link (never followed).
    Link,
    /// A device, socket or pipe.
    Other,
}

/// An opened folder, and its tree path for messages (empty for the root).
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
    path: String,
}

const FOLDER_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// The permissions of what zave creates, before the umask: what `mkdir` and editors use.
const FOLDER_MODE: Mode = Mode::from_raw_mode(0o755);
const FILE_MODE: Mode = Mode::from_raw_mode(0o644);
const EXECUTABLE_MODE: Mode = Mode::from_raw_mode(0o755);

impl Dir {
    /// Wraps an opened folder handle.
    pub fn from_fd(fd: OwnedFd, path: String) -> Dir {
        Dir { fd, path }
    }

    /// The folder's handle.
    pub fn fd(&self) -> &OwnedFd {
        &self.fd
    }

    /// The tree path of `name` in this folder.
    pub fn child_path(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_owned()
        } else {
            format!("{}/{name}", self.path)
        }
    }

    fn io(&self, name: &str, error: Errno) -> TreeError {
        TreeError::io(self.child_path(name), error.into())
    }

    /// What stands at `name`, without following a link; `None` when nothing does.
    pub fn kind(&self, name: &str) -> Result<Option<Kind>, TreeError> {
        checked(name, &self.path)?;
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(kind_of(FileType::from_raw_mode(stat.st_mode)))),
            Err(Errno::NOENT) => Ok(None),
            Err(error) => Err(self.io(name, error)),
        }
    }

    /// Refuses when zave could not replace or empty the entry `name` (no write permission,
    /// an immutable flag): found before the run changes anything, not halfway through its
    /// swap. Nothing there is fine.
    pub fn check_replaceable(&self, name: &str) -> Result<(), TreeError> {
        checked(name, &self.path)?;
        let wanted = rustix::fs::Access::WRITE_OK;
        match rustix::fs::accessat(
            &self.fd,
            name,
            wanted,
            AtFlags::EACCESS | AtFlags::SYMLINK_NOFOLLOW,
        ) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(error) => Err(self.io(name, error)),
        }
    }

    /// Opens the sub-folder `name`; `None` when it does not exist. A link or a file there is
    /// refused.
    pub fn open_folder(&self, name: &str) -> Result<Option<Dir>, TreeError> {
        checked(name, &self.path)?;
        match rustix::fs::openat(&self.fd, name, FOLDER_FLAGS, Mode::empty()) {
            Ok(fd) => Ok(Some(Dir::from_fd(fd, self.child_path(name)))),
            Err(Errno::NOENT) => Ok(None),
            Err(Errno::LOOP | Errno::NOTDIR) => Err(self.not_a_folder(name)),
            Err(error) => Err(self.io(name, error)),
        }
    }

    fn not_a_folder(&self, name: &str) -> TreeError {
        match self.kind(name) {
            Ok(Some(Kind::Link)) => TreeError::Link(self.child_path(name)),
            _ => TreeError::NotAFolder(self.child_path(name)),
        }
    }

    /// Opens the folder at the tree path `relative` below this one (`a/b/c`); `None` when a
    /// part is missing. With `created`, missing parts are made, and their tree paths recorded
    /// there in the order they were made.
    pub fn open_path(
        &self,
        relative: &str,
        mut created: Option<&mut Vec<String>>,
    ) -> Result<Option<Dir>, TreeError> {
        let mut current: Option<Dir> = None;
        for name in relative.split('/').filter(|part| !part.is_empty()) {
            let parent = current.as_ref().unwrap_or(self);
            let next = match (parent.open_folder(name)?, created.as_deref_mut()) {
                (Some(dir), _) => Some(dir),
                (None, Some(created)) => {
                    let dir = parent.make_folder(name)?;
                    created.push(parent.child_path(name));
                    Some(dir)
                }
                (None, None) => None,
            };
            match next {
                Some(dir) => current = Some(dir),
                None => return Ok(None),
            }
        }
        match current {
            Some(dir) => Ok(Some(dir)),
            None => self.duplicate().map(Some),
        }
    }

    /// Removes the empty folder at tree path `relative` below this one; false when it is not
    /// empty or not there.
    pub fn remove_empty_path(&self, relative: &str) -> bool {
        let (parent, name) = relative.rsplit_once('/').unwrap_or(("", relative));
        matches!(self.open_path(parent, None), Ok(Some(dir))
            if checked(name, &dir.path).is_ok()
                && rustix::fs::unlinkat(&dir.fd, name, AtFlags::REMOVEDIR).is_ok())
    }

    fn duplicate(&self) -> Result<Dir, TreeError> {
        let fd = rustix::fs::openat(&self.fd, ".", FOLDER_FLAGS, Mode::empty())
            .map_err(|error| TreeError::io(self.path.clone(), error.into()))?;
        Ok(Dir::from_fd(fd, self.path.clone()))
    }

    /// The file `name`, up to `limit` bytes (one more tells it is longer); `None` when nothing
    /// is there. A link, folder or device there is refused.
    pub fn read(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, TreeError> {
        checked(name, &self.path)?;
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK;
        let fd = match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Ok(None),
            Err(Errno::LOOP) => return Err(TreeError::Link(self.child_path(name))),
            Err(error) => return Err(self.io(name, error)),
        };
        let file = File::from(fd);
        let meta = file
            .metadata()
            .map_err(|error| TreeError::io(self.child_path(name), error))?;
        if !meta.is_file() {
            return Err(TreeError::NotAFile(self.child_path(name)));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0));
        file.take(limit)
            .read_to_end(&mut bytes)
            .map_err(|error| TreeError::io(self.child_path(name), error))?;
        Ok(Some(bytes))
    }

    /// Creates the file `name`, which must not exist, with `content`.
    pub fn create_file(&self, name: &str, content: &[u8]) -> Result<(), TreeError> {
        self.create(name, content, FILE_MODE)
    }

    /// Creates the executable file `name` (a script), which must not exist, with `content`.
    pub fn create_executable(&self, name: &str, content: &[u8]) -> Result<(), TreeError> {
        self.create(name, content, EXECUTABLE_MODE)
    }

    fn create(&self, name: &str, content: &[u8], mode: Mode) -> Result<(), TreeError> {
        checked(name, &self.path)?;
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, mode)
            .map_err(|error| self.io(name, error))?;
        File::from(fd)
            .write_all(content)
            .map_err(|error| TreeError::io(self.child_path(name), error))
    }

    /// Creates the folder `name`, which must not exist.
    pub fn make_folder(&self, name: &str) -> Result<Dir, TreeError> {
        checked(name, &self.path)?;
        rustix::fs::mkdirat(&self.fd, name, FOLDER_MODE).map_err(|error| self.io(name, error))?;
        self.open_folder(name)?
            .ok_or_else(|| self.io(name, Errno::NOENT))
    }

    /// Renames `from` in this folder to `to` in `target`; what stands at `to` is replaced only
    /// as `rename(2)` does (a file, or an empty folder).
    pub fn rename(&self, from: &str, target: &Dir, to: &str) -> Result<(), TreeError> {
        checked(from, &self.path)?;
        checked(to, &target.path)?;
        rustix::fs::renameat(&self.fd, from, &target.fd, to).map_err(|error| self.io(from, error))
    }

    /// The inode number of the entry `name` (not following a link); `None` when nothing is there.
    pub fn inode(&self, name: &str) -> Result<Option<u64>, TreeError> {
        checked(name, &self.path)?;
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(stat.st_ino)),
            Err(Errno::NOENT) => Ok(None),
            Err(error) => Err(self.io(name, error)),
        }
    }

    /// This folder's own inode number.
    pub fn own_inode(&self) -> Result<u64, TreeError> {
        rustix::fs::fstat(&self.fd)
            .map(|stat| stat.st_ino)
            .map_err(|error| TreeError::io(self.path.clone(), error.into()))
    }

    /// Renames `from` to `to` in this folder, refusing when something stands at `to`.
    pub fn rename_new(&self, from: &str, to: &str) -> Result<(), TreeError> {
        checked(from, &self.path)?;
        checked(to, &self.path)?;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let renamed =
            rustix::fs::renameat_with(&self.fd, from, &self.fd, to, RenameFlags::NOREPLACE);
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let renamed = match rustix::fs::statat(&self.fd, to, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(_) => Err(Errno::EXIST),
            Err(_) => rustix::fs::renameat(&self.fd, from, &self.fd, to),
        };
        renamed.map_err(|error| self.io(to, error))
    }

    /// Exchanges the entries `a` and `b` of this folder in one step. Where the system has no
    /// atomic exchange, `b` is briefly absent (the journal still makes the step whole).
    pub fn exchange(&self, a: &str, b: &str) -> Result<(), TreeError> {
        checked(a, &self.path)?;
        checked(b, &self.path)?;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            rustix::fs::renameat_with(&self.fd, a, &self.fd, b, RenameFlags::EXCHANGE)
                .map_err(|error| self.io(b, error))
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            let parked = format!("{a}.parked");
            rustix::fs::renameat(&self.fd, b, &self.fd, &*parked)
                .and_then(|()| rustix::fs::renameat(&self.fd, a, &self.fd, b))
                .and_then(|()| rustix::fs::renameat(&self.fd, &*parked, &self.fd, a))
                .map_err(|error| self.io(b, error))
        }
    }

    /// Flushes the whole file system this folder is on to the disk.
    pub fn sync_filesystem(&self) -> Result<(), TreeError> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let synced = rustix::fs::syncfs(&self.fd);
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let synced = rustix::fs::fsync(&self.fd);
        synced.map_err(|error| TreeError::io(self.path.clone(), error.into()))
    }

    /// Flushes the file `name` to the disk.
    pub fn sync_file(&self, name: &str) -> Result<(), TreeError> {
        checked(name, &self.path)?;
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        rustix::fs::openat(&self.fd, name, flags, Mode::empty())
            .and_then(rustix::fs::fsync)
            .map_err(|error| self.io(name, error))
    }

    /// Removes the file or link `name` (a link itself, never what it points at).
    pub fn remove_file(&self, name: &str) -> Result<(), TreeError> {
        checked(name, &self.path)?;
        match rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(error) => Err(self.io(name, error)),
        }
    }

    /// Removes the folder `name` and the files and links directly in it. A folder inside it is
    /// refused: zave only ever removes the flat folders it staged or replaced.
    pub fn remove_flat_folder(&self, name: &str) -> Result<(), TreeError> {
        let Some(folder) = self.open_folder(name)? else {
            return Ok(());
        };
        for (entry, kind) in folder.entries()? {
            if kind == Kind::Folder {
                return Err(TreeError::NotAFile(folder.child_path(&entry)));
            }
            folder.remove_file(&entry)?;
        }
        match rustix::fs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(error) => Err(self.io(name, error)),
        }
    }

    /// Every entry of the folder and what it is, sorted by name; names that are not UTF-8
    /// are listed lossily (zave never writes one, so they are never its own).
    pub fn entries(&self) -> Result<Vec<(String, Kind)>, TreeError> {
        let listing = Entries::read_from(self.fd.as_fd())
            .map_err(|error| TreeError::io(self.path.clone(), error.into()))?;
        let mut entries = Vec::new();
        for entry in listing {
            let entry = entry.map_err(|error| TreeError::io(self.path.clone(), error.into()))?;
            let bytes = entry.file_name().to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            let name = String::from_utf8_lossy(bytes).into_owned();
            let kind = match entry.file_type() {
                FileType::Unknown => self.kind(&name)?.unwrap_or(Kind::Other),
                known => kind_of(known),
            };
            entries.push((name, kind));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(entries)
    }
}

fn kind_of(file_type: FileType) -> Kind {
    match file_type {
        FileType::RegularFile => Kind::File,
        FileType::Directory => Kind::Folder,
        FileType::Symlink => Kind::Link,
        _ => Kind::Other,
    }
}

/// Refuses a name that is not one plain component: empty, `.`, `..`, or holding `/` or NUL.
fn checked<'n>(name: &'n str, folder: &str) -> Result<&'n OsStr, TreeError> {
    let plain = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.bytes().any(|byte| byte == b'/' || byte == 0);
    if plain {
        Ok(OsStr::from_bytes(name.as_bytes()))
    } else {
        Err(TreeError::Outside(if folder.is_empty() {
            name.to_owned()
        } else {
            format!("{folder}/{name}")
        }))
    }
}
