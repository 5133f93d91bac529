//! The file layer the vault writes through, so that tests can make any step of a save fail:
//! [`RealFs`] is the disk; `store::faulty` (tests only) injects EIO, ENOSPC or a short write
//! at a chosen step.

use std::fmt::Debug;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
