//! Writes a checked site into its folder. New and changed files, each already found clean by the
//! guard in memory, are first written to a staging folder beside the output
//! (`.public.sibai-staging` next to `public`); only when every page has passed the guard are
//! they moved into place, one rename each (or, on a first publish, the
//! whole staging folder at once), and the files that no longer belong removed. A failed publish
//! discards the staging folder and leaves the output exactly as it was; the folder is never
//! emptied first, and a reader never sees half a page.
//!
//! Files are created by one writer thread while the others render and check: on a disk where
//! creating a file costs more than filling it, two threads creating files in one folder only
//! wait on each other, and a renderer that waits on the disk leaves its core idle.

use super::PublishError;
use super::cache::{Seen, Stat, hex};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

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

/// Writes `bytes` to the new file `path`; returns its size and time as written (`None` if it
/// is not a plain file then).
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<Option<Stat>> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    // On Unix the time the write set stays the file's: it is asked of the open file, without
    // looking the path up again. Windows may set it once more when the file is closed: asked
    // after.
    #[cfg(unix)]
    {
        Ok(Stat::of_meta(&file.metadata()?))
    }
    #[cfg(not(unix))]
    {
        drop(file);
        Ok(Stat::of(path))
    }
}

fn io(path: &Path, e: std::io::Error) -> PublishError {
    PublishError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Every file under a folder, relative, with `/` separators, and its size and time (`None`
/// for what is not a plain file: a link, a device).
pub type Listing = BTreeMap<String, Option<Stat>>;

/// Every file under `dir` (none when it does not exist), as a [`Listing`].
pub fn list(dir: &Path) -> Result<Listing, PublishError> {
    // Each folder with its path relative to `dir` ("" or "guide/"); each file named from its
    // folder's, without taking paths apart (a large site holds tens of thousands).
    let mut out: Vec<(String, Option<Stat>)> = Vec::new();
    let mut stack: Vec<(PathBuf, String)> = vec![(dir.to_path_buf(), String::new())];
    while let Some((d, prefix)) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&d, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| io(&d, e))?;
            let name = entry.file_name();
            let rel = format!("{prefix}{}", name.to_string_lossy());
            // The entry's own (a link is not followed), read relative to its folder.
            let meta = match entry.metadata() {
                Ok(meta) => meta,
                // Gone since the folder was read.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io(&d.join(&name), e)),
            };
            if meta.is_dir() {
                stack.push((d.join(&name), rel + "/"));
            } else {
                out.push((rel, Stat::of_meta(&meta)));
            }
        }
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out.into_iter().collect())
}

/// Whether a rendered file differs from what the output folder holds.
pub enum Settled {
    /// The output already holds these bytes.
    Unchanged(Seen),
    /// Queued for the staging folder, to be moved into place on commit; its size and time are
    /// known once written (see [`Staging::commit`]).
    Staged {
        /// Fingerprint of the bytes.
        hash: String,
    },
}

/// How many rendered files may wait for the writer: enough to keep it busy, few enough that
/// a slow disk never holds a large guide in memory.
const QUEUE: usize = 512;

/// What the writer thread did: each file written and its size and time, or the first error.
type Written = Result<Vec<(String, Stat)>, PublishError>;

/// New and changed files of one publish, waiting beside the output folder.
pub struct Staging {
    out: PathBuf,
    /// Whether the output folder existed when the publish began (if not, nothing needs to be
    /// compared with it).
    out_exists: bool,
    dir: PathBuf,
    queue: Option<SyncSender<(String, Vec<u8>)>>,
    writer: Option<JoinHandle<Written>>,
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
        let (queue, files) = sync_channel::<(String, Vec<u8>)>(QUEUE);
        let into = dir.clone();
        let writer = std::thread::Builder::new()
            .name("publish-writer".into())
            .spawn(move || {
                let mut made: HashSet<PathBuf> = HashSet::new();
                let mut written = Vec::new();
                // On an error the queue is dropped: the next file queued fails, and the publish
                // reports this error (see `discard`).
                for (rel, bytes) in files {
                    let path = into.join(&rel);
                    if let Some(parent) = path.parent()
                        && !made.contains(parent)
                    {
                        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
                        made.insert(parent.to_path_buf());
                    }
                    // A rename keeps the time, so this is what the output will show.
                    let stat = write_new(&path, &bytes)
                        .map_err(|e| io(&path, e))?
                        .ok_or_else(|| PublishError::Io {
                            path: path.clone(),
                            detail: "刚写入的文件读不到".into(),
                        })?;
                    written.push((rel, stat));
                }
                Ok(written)
            })
            .map_err(|e| io(&dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            out_exists: out.exists(),
            dir,
            queue: Some(queue),
            writer: Some(writer),
        })
    }

    /// Compares `bytes` with the output's `rel` and queues them for the staging folder if they
    /// differ. `known` is the record of the output file when its size and time still match it:
    /// the bytes then need not be read back.
    pub fn settle(
        &self,
        rel: &str,
        bytes: Vec<u8>,
        known: Option<&Seen>,
    ) -> Result<Settled, PublishError> {
        let hash = hex(xxhash_rust::xxh3::xxh3_128(&bytes));
        if let Some(seen) = known
            && seen.hash == hash
        {
            return Ok(Settled::Unchanged(seen.clone()));
        }
        let target = self.out.join(rel);
        if self.out_exists
            && let Some(stat) = Stat::of(&target)
            && stat.len == bytes.len() as u64
            && std::fs::read(&target).is_ok_and(|b| b == bytes)
        {
            return Ok(Settled::Unchanged(Seen { stat, hash }));
        }
        let stopped = || PublishError::Io {
            path: self.dir.clone(),
            detail: "写入已中断".into(),
        };
        self.queue
            .as_ref()
            .ok_or_else(stopped)?
            .send((rel.to_owned(), bytes))
            .map_err(|_| stopped())?;
        Ok(Settled::Staged { hash })
    }

    /// Waits for the writer to write everything queued.
    fn written(&mut self) -> Written {
        self.queue = None;
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(written)) => written,
            Some(Err(_)) => Err(PublishError::Io {
                path: self.dir.clone(),
                detail: "写文件的线程意外中止".into(),
            }),
            None => Ok(Vec::new()),
        }
    }

    /// Moves the staged files into the output and removes every file of the output that is not
    /// a key of `keep` (the record of what the publish made): of the files `before` lists (the
    /// output as listed earlier in the publish), or, without it, of those it holds now.
    /// Returns what was done, and the size and time of each file written.
    pub fn commit<V>(
        mut self,
        keep: &BTreeMap<String, V>,
        before: Option<Listing>,
    ) -> Result<(WriteReport, Vec<(String, Stat)>), PublishError> {
        let stats = match self.written() {
            Ok(stats) => stats,
            Err(e) => {
                self.discard();
                return Err(e);
            }
        };
        let mut staged: Vec<String> = stats.iter().map(|(rel, _)| rel.clone()).collect();
        staged.sort();
        let mut report = WriteReport {
            unchanged: keep.len() - staged.len(),
            ..WriteReport::default()
        };
        if !self.out.exists() && staged.len() == keep.len() {
            // A first publish: the staging folder becomes the output in one step.
            if std::fs::rename(&self.dir, &self.out).is_ok() {
                report.written = staged;
                return Ok((report, stats));
            }
        }
        std::fs::create_dir_all(&self.out).map_err(|e| io(&self.out, e))?;
        let before = match before {
            Some(listed) => listed,
            None => list(&self.out)?,
        };
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
        for rel in before.keys().filter(|rel| !keep.contains_key(*rel)) {
            let path = self.out.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => report.removed.push(rel.clone()),
                // Gone since it was listed.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&path, e)),
            }
        }
        // Only a removal can leave a folder empty (a file moved in fills its folder).
        if !report.removed.is_empty() {
            remove_empty_dirs(&self.out);
        }
        self.discard();
        Ok((report, stats))
    }

    /// Stops the writer and removes the staging folder and what it holds. Returns the writer's
    /// error, if it had one: the reason a file could not be queued.
    pub fn discard(mut self) -> Option<PublishError> {
        let failed = self.written().err();
        let _ = std::fs::remove_dir_all(&self.dir);
        failed
    }
}

impl Drop for Staging {
    /// A publish that ends without committing or discarding (a panic) still stops its writer
    /// and leaves no staging folder behind.
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = self.written();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_written_fails_the_commit_and_leaves_the_output() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "之前的首页").unwrap();
        let staging = Staging::new(&out).unwrap();
        // Something takes the place of the staging folder's subfolder: the writer fails.
        std::fs::write(staging.dir.join("guide"), "不是文件夹").unwrap();
        let mut failed = None;
        for i in 0..(QUEUE * 2) {
            let queued = staging.settle(&format!("guide/{i}.html"), b"page".to_vec(), None);
            if let Err(e) = queued {
                failed = Some(e);
                break;
            }
        }
        let keep: BTreeMap<String, ()> = [("index.html".to_owned(), ())].into();
        let err = match staging.commit(&keep, None) {
            Err(e) => e,
            Ok(_) => panic!("the commit went through"),
        };
        let text = err.to_string();
        assert!(
            text.contains("guide") && text.contains("没有改动"),
            "{text}"
        );
        // Queuing stopped once the writer had failed (the queue holds at most QUEUE files).
        assert!(failed.is_some());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "之前的首页"
        );
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
        assert!(!staging_dir(&out).exists());
    }

    #[test]
    fn a_discarded_publish_reports_why_the_writer_stopped() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let staging = Staging::new(&out).unwrap();
        std::fs::write(staging.dir.join("guide"), "不是文件夹").unwrap();
        let _ = staging.settle("guide/a.html", b"page".to_vec(), None);
        let why = staging.discard().map(|e| e.to_string()).unwrap_or_default();
        assert!(why.contains("guide"), "{why}");
        assert!(!out.exists());
        assert!(!staging_dir(&out).exists());
    }

    #[test]
    fn a_listing_made_earlier_is_committed_against_what_is_there_now() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        std::fs::create_dir_all(out.join("guide/old")).unwrap();
        for (rel, text) in [
            ("index.html", "首页"),
            ("guide/a.html", "甲"),
            ("guide/old/b.html", "乙"),
            ("gone.html", "已删"),
        ] {
            std::fs::write(out.join(rel), text).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(out.join("index.html"), out.join("link.html")).unwrap();
        assert!(list(&root.path().join("missing")).unwrap().is_empty());
        let listed = list(&out).unwrap();
        let names: Vec<&str> = listed.keys().map(String::as_str).collect();
        let mut expected = vec![
            "gone.html",
            "guide/a.html",
            "guide/old/b.html",
            "index.html",
        ];
        if cfg!(unix) {
            expected.push("link.html");
        }
        expected.sort_unstable();
        assert_eq!(names, expected);
        assert_eq!(listed["guide/a.html"], Stat::of(&out.join("guide/a.html")));
        assert_eq!(listed["guide/a.html"].map(|s| s.len), Some(3));
        if cfg!(unix) {
            // A link is listed (and removed like any other file), not followed.
            assert_eq!(listed["link.html"], None);
        }
        // Removed by hand after the listing, and a file made after it: the commit removes
        // what is listed and not kept, passes over what is gone, and leaves the new file.
        std::fs::remove_file(out.join("gone.html")).unwrap();
        std::fs::write(out.join("new.html"), "后来").unwrap();
        let staging = Staging::new(&out).unwrap();
        staging
            .settle("guide/a.html", "甲二".as_bytes().to_vec(), None)
            .unwrap();
        let keep: BTreeMap<String, ()> = [
            ("index.html".to_owned(), ()),
            ("guide/a.html".to_owned(), ()),
        ]
        .into();
        let (report, _) = staging.commit(&keep, Some(listed)).unwrap();
        let mut removed = vec!["guide/old/b.html"];
        if cfg!(unix) {
            removed.push("link.html");
        }
        assert_eq!(report.removed, removed);
        assert_eq!(report.written, ["guide/a.html"]);
        assert_eq!(
            std::fs::read_to_string(out.join("guide/a.html")).unwrap(),
            "甲二"
        );
        assert!(out.join("new.html").exists() && out.join("index.html").exists());
        assert!(!out.join("guide/old").exists());
    }

    fn staging_dir(out: &Path) -> PathBuf {
        out.with_file_name(".public.sibai-staging")
    }
}
