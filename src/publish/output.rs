//! Writes a checked site into its folder. New and changed files are first written to a staging
//! folder beside the output (`.public.sibai-staging` next to `public`); only when every page has
//! passed the guard are they moved into place, one rename each (or, on a first publish, the
//! whole staging folder at once), and the files that no longer belong removed. A failed publish
//! discards the staging folder and leaves the output exactly as it was; the folder is never
//! emptied first, and a reader never sees half a page.

use super::PublishError;
use super::cache::{Seen, Stat, hex};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct WriteReport {
    /// Files written (relative paths).
    pub written: Vec<String>,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files removed.
    pub removed: Vec<String>,
}

fn io(path: &Path, e: std::io::Error) -> PublishError {
    PublishError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Every file under `dir`, relative, with `/` separators.
fn existing(dir: &Path) -> Result<BTreeSet<String>, PublishError> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&d, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| io(&d, e))?;
            let path = entry.path();
            if entry.file_type().map_err(|e| io(&path, e))?.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"));
            }
        }
    }
    Ok(out)
}

/// Whether a rendered file differs from what the output folder holds.
pub enum Settled {
    /// The output already holds these bytes.
    Unchanged(Seen),
    /// Written to the staging folder, to be moved into place on commit.
    Staged(Seen),
}

/// New and changed files of one publish, waiting beside the output folder.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    made: Mutex<HashSet<PathBuf>>,
    staged: Mutex<Vec<String>>,
}

impl Staging {
    /// An empty staging folder beside `out` (a leftover of an interrupted publish is removed).
    pub fn new(out: &Path) -> Result<Staging, PublishError> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| PublishError::Io {
                path: out.to_path_buf(),
                detail: "输出文件夹不能是根目录".into(),
            })?;
        let dir = out.with_file_name(format!(".{name}.sibai-staging"));
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&dir, e)),
        }
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            made: Mutex::default(),
            staged: Mutex::default(),
        })
    }

    fn make_parent(&self, path: &Path) -> Result<(), PublishError> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        if !made.contains(parent) {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            made.insert(parent.to_path_buf());
        }
        Ok(())
    }

    /// Compares `bytes` with the output's `rel` and stages them if they differ. `known` is the
    /// record of the output file when its size and time still match it: the bytes then need
    /// not be read back.
    pub fn settle(
        &self,
        rel: &str,
        bytes: &[u8],
        known: Option<&Seen>,
    ) -> Result<Settled, PublishError> {
        let hash = hex(xxhash_rust::xxh3::xxh3_128(bytes));
        if let Some(seen) = known
            && seen.hash == hash
        {
            return Ok(Settled::Unchanged(seen.clone()));
        }
        let target = self.out.join(rel);
        if let Some(stat) = Stat::of(&target)
            && stat.len == bytes.len() as u64
            && std::fs::read(&target).is_ok_and(|b| b == bytes)
        {
            return Ok(Settled::Unchanged(Seen { stat, hash }));
        }
        let path = self.dir.join(rel);
        self.make_parent(&path)?;
        std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
        // A rename keeps the time, so this is what the output will show.
        let stat = Stat::of(&path).ok_or_else(|| PublishError::Io {
            path: path.clone(),
            detail: "刚写入的文件读不到".into(),
        })?;
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_owned());
        Ok(Settled::Staged(Seen { stat, hash }))
    }

    /// Moves the staged files into the output and removes every file of the output that is not
    /// in `keep`.
    pub fn commit(self, keep: &BTreeSet<String>) -> Result<WriteReport, PublishError> {
        let mut staged =
            std::mem::take(&mut *self.staged.lock().unwrap_or_else(|e| e.into_inner()));
        staged.sort();
        let mut report = WriteReport {
            unchanged: keep.len() - staged.len(),
            ..WriteReport::default()
        };
        if !self.out.exists() && staged.len() == keep.len() {
            // A first publish: the staging folder becomes the output in one step.
            if std::fs::rename(&self.dir, &self.out).is_ok() {
                report.written = staged;
                return Ok(report);
            }
        }
        std::fs::create_dir_all(&self.out).map_err(|e| io(&self.out, e))?;
        let before = existing(&self.out)?;
        let mut made: HashSet<PathBuf> = HashSet::new();
        for rel in &staged {
            let (from, to) = (self.dir.join(rel), self.out.join(rel));
            if let Some(parent) = to.parent()
                && made.insert(parent.to_path_buf())
            {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            if std::fs::rename(&from, &to).is_err() {
                // Another file system (the output is a mount point): copy through a temp file.
                let tmp = to.with_file_name(format!(
                    ".{}.tmp",
                    to.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                ));
                std::fs::copy(&from, &tmp).map_err(|e| io(&tmp, e))?;
                std::fs::rename(&tmp, &to).map_err(|e| io(&to, e))?;
            }
        }
        report.written = staged;
        for rel in before.difference(keep) {
            let path = self.out.join(rel);
            std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
            report.removed.push(rel.clone());
        }
        remove_empty_dirs(&self.out);
        self.discard();
        Ok(report)
    }

    /// Removes the staging folder and what it holds.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            // Fails (and is meant to) unless the folder is now empty.
            let _ = std::fs::remove_dir(&path);
        }
    }
}
