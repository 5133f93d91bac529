//! A file layer for tests that fails one chosen step of a save (EIO, ENOSPC, or a short write
//! reported as success), to show that no fault loses an acknowledged save. Built only for the
//! tests (`cfg(test)` or the `testing` feature).

use super::fs::{FileSystem, RealFs};
use std::collections::HashMap;
use std::io;
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
