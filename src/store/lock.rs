//! The OS-level write lock: an advisory lock on `.lock` held for the life of the process, freed
//! by the OS when the holder dies, so it can never go stale. It is taken only to write: a folder
//! that cannot be written (read-only media, no write permission) opens for viewing, without it.

use super::error::StoreError;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::ErrorKind;
use std::path::Path;

/// What this process may do with a vault folder.
pub(crate) enum Access {
    /// It holds the write lock.
    Write(File),
    /// Another window or PC holds it: view only.
    Busy,
    /// The folder cannot be written (the error says why): view only.
    ReadOnly(StoreError),
}

impl Access {
    /// The lock, when held.
    pub(crate) fn into_lock(self) -> Option<File> {
        match self {
            Access::Write(f) => Some(f),
            Access::Busy | Access::ReadOnly(_) => None,
        }
    }

    /// The lock, or why there is none.
    pub(crate) fn require_write(self) -> Result<File, StoreError> {
        match self {
            Access::Write(f) => Ok(f),
            Access::Busy => Err(StoreError::LockedByOther),
            Access::ReadOnly(e) => Err(e),
        }
    }
}

/// Whether an error says the place cannot be written (rather than something going wrong).
fn is_unwritable(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
    )
}

/// Finds out whether `dir` can be written and, if so, takes the lock.
pub(crate) fn acquire(dir: &Path) -> Result<Access, StoreError> {
    let unwritable = || Access::ReadOnly(StoreError::ReadOnlyMedia(dir.to_path_buf()));
    // A file can be made where the ledger's files go (the lock file itself may exist and be
    // writable in a folder that is not).
    let ledger = dir.join("ledger");
    let probe_dir = if ledger.is_dir() {
        ledger
    } else {
        dir.to_path_buf()
    };
    let probe = probe_dir.join(format!(".sibai-probe-{}", std::process::id()));
    match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(f) => {
            drop(f);
            let _ = std::fs::remove_file(&probe);
        }
        Err(e) if is_unwritable(&e) => return Ok(unwritable()),
        // Left by a process with our id that died: it is writable.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(&probe);
        }
        Err(e) => return Err(StoreError::io("检查台账文件夹", &probe_dir, e)),
    }
    let path = dir.join(".lock");
    let file = match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if is_unwritable(&e) => return Ok(unwritable()),
        Err(e) => return Err(StoreError::io("打开锁文件", &path, e)),
    };
    match file.try_lock() {
        Ok(()) => Ok(Access::Write(file)),
        Err(TryLockError::WouldBlock) => Ok(Access::Busy),
        Err(TryLockError::Error(e)) => Err(StoreError::io("锁定台账", &path, e)),
    }
}
