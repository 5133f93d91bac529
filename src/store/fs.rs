//! The file layer the vault writes through, so that tests can make any step of a save fail:
//! [`RealFs`] is the disk; [`FaultyFs`] injects EIO, ENOSPC or a short write at a chosen step.

use std::collections::HashMap;
use std::fmt::Debug;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One kind of step a save takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FsOp {
    /// Writing a new file's bytes.
    Write,
    /// Flushing a file to disk.
    Fsync,
    /// Renaming a file over another.
    Rename,
    /// Flushing a folder's entries to disk.
    DirFsync,
    /// Linking or copying a file into the backups.
    Link,
}

/// The file operations the vault needs.
pub trait FileSystem: Send + Sync + Debug {
    /// Reads a whole file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Creates or truncates a file and writes `data` (not yet flushed).
    fn write(&self, path: &Path, data: &[u8]) -> io::Result<()>;
    /// Flushes a file's data and metadata to disk.
    fn fsync(&self, path: &Path) -> io::Result<()>;
    /// Renames `from` over `to` (atomic on one file system).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes a folder's entries (no-op where the platform cannot).
    fn fsync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Makes `to` a hard link to `from`, or a copy where links are not supported.
    fn link_or_copy(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Removes a file.
    fn remove(&self, path: &Path) -> io::Result<()>;
    /// Lists a folder's files (not recursive); empty when it does not exist.
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;
    /// Creates a folder and its parents.
    fn create_dir_all(&self, dir: &Path) -> io::Result<()>;
}

/// The real disk.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        file.write_all(data)
    }

    fn fsync(&self, path: &Path) -> io::Result<()> {
        // Write access is needed to flush on Windows.
        OpenOptions::new().write(true).open(path)?.sync_all()
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn fsync_dir(&self, dir: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            File::open(dir)?.sync_all()
        }
        #[cfg(not(unix))]
        {
            // Windows cannot open a folder for flushing; NTFS journals renames itself.
            let _ = dir;
            Ok(())
        }
    }

    fn link_or_copy(&self, from: &Path, to: &Path) -> io::Result<()> {
        match fs::hard_link(from, to) {
            Ok(()) => Ok(()),
            Err(_) => {
                // FAT32 USB sticks and some network shares have no hard links.
                fs::copy(from, to)?;
                File::open(to)?.sync_all()
            }
        }
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        match fs::read_dir(dir) {
            Ok(entries) => {
                let mut out = Vec::new();
                for entry in entries {
                    let entry = entry?;
                    if entry.file_type()?.is_file() {
                        out.push(entry.path());
                    }
                }
                out.sort();
                Ok(out)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)
    }
}

/// What an injected fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// An I/O error (EIO).
    Io,
    /// The disk is full (ENOSPC); a write leaves half the data behind.
    DiskFull,
    /// A write silently stores only half the data and reports success.
    ShortWrite,
}

impl FaultKind {
    fn error(self) -> io::Error {
        match self {
            FaultKind::DiskFull => io::Error::new(io::ErrorKind::StorageFull, "injected ENOSPC"),
            FaultKind::Io | FaultKind::ShortWrite => io::Error::other("injected EIO"),
        }
    }
}

/// A file layer that fails the `nth` (0-based) occurrence of `op` with `kind`, once.
#[derive(Debug)]
pub struct FaultyFs {
    op: FsOp,
    nth: usize,
    kind: FaultKind,
    seen: Mutex<HashMap<FsOp, usize>>,
}

impl FaultyFs {
    /// A layer that fails the `nth` occurrence of `op`.
    pub fn new(op: FsOp, nth: usize, kind: FaultKind) -> FaultyFs {
        FaultyFs {
            op,
            nth,
            kind,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the fault has fired.
    pub fn fired(&self) -> bool {
        self.seen
            .lock()
            .map(|s| s.get(&self.op).copied().unwrap_or(0) > self.nth)
            .unwrap_or(false)
    }

    fn should_fail(&self, op: FsOp) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            return false;
        };
        let count = seen.entry(op).or_insert(0);
        let fail = op == self.op && *count == self.nth;
        *count += 1;
        fail
    }
}

impl FileSystem for FaultyFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        RealFs.read(path)
    }

    fn write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        if self.should_fail(FsOp::Write) {
            RealFs.write(path, &data[..data.len() / 2])?;
            return match self.kind {
                FaultKind::ShortWrite => Ok(()),
                kind => Err(kind.error()),
            };
        }
        RealFs.write(path, data)
    }

    fn fsync(&self, path: &Path) -> io::Result<()> {
        if self.should_fail(FsOp::Fsync) {
            return Err(self.kind.error());
        }
        RealFs.fsync(path)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        if self.should_fail(FsOp::Rename) {
            return Err(self.kind.error());
        }
        RealFs.rename(from, to)
    }

    fn fsync_dir(&self, dir: &Path) -> io::Result<()> {
        if self.should_fail(FsOp::DirFsync) {
            return Err(self.kind.error());
        }
        RealFs.fsync_dir(dir)
    }

    fn link_or_copy(&self, from: &Path, to: &Path) -> io::Result<()> {
        if self.should_fail(FsOp::Link) {
            return Err(self.kind.error());
        }
        RealFs.link_or_copy(from, to)
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        RealFs.remove(path)
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        RealFs.list(dir)
    }

    fn create_dir_all(&self, dir: &Path) -> io::Result<()> {
        RealFs.create_dir_all(dir)
    }
}
