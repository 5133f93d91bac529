//! Writes a checked site into its folder: only the files whose bytes changed (a page replaced goes
//! through a temp file and a rename, so a reader never sees half of it), then removes files that
//! no longer belong. The folder is never emptied first.

use super::PublishError;
use super::render::Files;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

/// Writes `files` into `out`.
pub fn write(out: &Path, files: &Files) -> Result<WriteReport, PublishError> {
    std::fs::create_dir_all(out).map_err(|e| io(out, e))?;
    let before = existing(out)?;
    let mut report = WriteReport::default();
    for (rel, bytes) in files {
        let path = out.join(rel);
        if before.contains(rel) && std::fs::read(&path).is_ok_and(|b| b == *bytes) {
            report.unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        if !before.contains(rel) {
            // A new page: nothing links to it until the pages written after it, so it is written
            // in place (creating files is the slow part of a first publish).
            std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
            report.written.push(rel.clone());
            continue;
        }
        let tmp = path.with_file_name(format!(
            ".{}.tmp",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        std::fs::write(&tmp, bytes).map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| io(&path, e))?;
        report.written.push(rel.clone());
    }
    for rel in before.difference(&files.keys().cloned().collect()) {
        let path = out.join(rel);
        std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
        report.removed.push(rel.clone());
    }
    remove_empty_dirs(out);
    Ok(report)
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
