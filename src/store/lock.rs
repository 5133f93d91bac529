//! The OS-level write lock: an advisory lock on `.lock` held for the life of the process, freed
//! by the OS when the holder dies, so it can never go stale.

use super::error::StoreError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// Takes the lock. `Ok(None)` means another instance holds it: open read-only.
pub(crate) fn acquire(dir: &Path) -> Result<Option<File>, StoreError> {
    let path = dir.join(".lock");
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| StoreError::io("打开锁文件", &path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(StoreError::io("锁定台账", &path, e)),
    }
}
