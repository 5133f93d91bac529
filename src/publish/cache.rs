//! The publish record: what the last successful publish read and wrote, so that the next one
//! renders, checks and writes only what changed. It lives beside the output folder, never inside
//! it (that folder is public): `public/` has `.public.sibai-publish.json` next to it. It holds
//! fingerprints, sizes and times, and the guide items' titles and categories as the public site
//! lists them, nothing personal; and it is only a shortcut: a missing, damaged or outdated record
//! means everything is rendered and checked again.
//!
//! Every fingerprint includes the program itself, so a new version of sibai (with other
//! templates or guard rules) never trusts what an older one recorded.

use super::guide::GuideEntry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// Bumped when the record's meaning changes.
const FORMAT: u32 = 2;

/// A 128-bit fingerprint, as text (the record is JSON).
pub fn hex(fingerprint: u128) -> String {
    format!("{fingerprint:032x}")
}

/// A fingerprint of the running program: the executable's bytes. `None` when it cannot be read,
/// and then nothing is trusted from one publish to the next.
pub fn program() -> Option<u128> {
    static PROGRAM: LazyLock<Option<u128>> = LazyLock::new(|| {
        let exe = std::env::current_exe().ok()?;
        hash_file(&exe).ok()
    });
    *PROGRAM
}

/// The xxh3 fingerprint of a file's bytes, read a piece at a time into one small buffer: the
/// program is tens of MB, and holding it whole while the key is derived cost the reading
/// thread ~50 ms on this machine, most of it the system clearing fresh memory (perf).
fn hash_file(path: &Path) -> std::io::Result<u128> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 256 << 10];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(hasher.digest128()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Size and modification time of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since 1970.
    pub mtime: u64,
}

impl Stat {
    /// The file's size and time, or `None` when it is missing or not a file.
    pub fn of(path: &Path) -> Option<Stat> {
        Stat::of_meta(&std::fs::metadata(path).ok()?)
    }

    /// The size and time in `meta`, or `None` when it is not a file's.
    pub fn of_meta(meta: &std::fs::Metadata) -> Option<Stat> {
        if !meta.is_file() {
            return None;
        }
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Stat {
            len: meta.len(),
            mtime: u64::try_from(mtime).ok()?,
        })
    }
}

/// A file as last seen: its size and time then, and the fingerprint of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Size and time.
    pub stat: Stat,
    /// Fingerprint of the bytes (see [`hex`]).
    pub hash: String,
}

/// What the last successful publish read and wrote.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Record {
    /// [`FORMAT`].
    pub format: u32,
    /// When the record was written, nanoseconds since 1970.
    pub written_at: u64,
    /// What every page depends on: the program, the theme, the guard, the committee and signers.
    pub global: String,
    /// What the site's own pages (everything but the guide items' pages and the search index)
    /// depend on.
    pub site: String,
    /// Guide files, by slug.
    pub sources: BTreeMap<String, Seen>,
    /// Output files, by path relative to the output folder.
    pub outputs: BTreeMap<String, Seen>,
    /// Each guide item's entry in the index pages (without its text), by slug.
    #[serde(default)]
    pub entries: BTreeMap<String, GuideEntry>,
    /// Each search shard: the fingerprint of the documents it was made from, by path.
    #[serde(default)]
    pub search: BTreeMap<String, String>,
}

impl Record {
    /// Where the record of the output folder `out` is kept; `None` for a folder with no parent.
    pub fn path_for(out: &Path) -> Option<PathBuf> {
        let name = out.file_name()?.to_string_lossy().into_owned();
        Some(out.with_file_name(format!(".{name}.sibai-publish.json")))
    }

    /// The record at `path`, or an empty one when it is missing, damaged or of another format.
    pub fn load(path: Option<&Path>) -> Record {
        path.and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice::<Record>(&bytes).ok())
            .filter(|r| r.format == FORMAT)
            .unwrap_or_default()
    }

    /// Writes the record (through a temp file and a rename), unless it says the same as
    /// `old`, the one read at the start (a republish with nothing to do writes nothing at all).
    /// A record that cannot be written only makes the next publish slower, so failure is not an
    /// error.
    pub fn save(&mut self, path: Option<&Path>, old: &Record) {
        let Some(path) = path else { return };
        if self.global == old.global
            && self.site == old.site
            && self.sources == old.sources
            && self.outputs == old.outputs
            && self.entries == old.entries
            && self.search == old.search
            && old.format == FORMAT
        {
            return;
        }
        self.format = FORMAT;
        self.written_at = now();
        let tmp = path.with_extension("json.tmp");
        let written = std::fs::File::create(&tmp).ok().and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            self.write_json(&mut out)?;
            out.into_inner().ok().map(drop)
        });
        if written.is_none() || std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Writes the record as JSON, as `serde_json` writes it: its three large maps (a record of
    /// 10,000 pages is ~3.5 MB) are each made on a core of its own, then written in their
    /// places.
    fn write_json(&self, out: impl std::io::Write) -> Option<()> {
        use serde_json::value::{RawValue, to_raw_value};
        let (sources, (outputs, entries)) = rayon::join(
            || to_raw_value(&self.sources),
            || {
                rayon::join(
                    || to_raw_value(&self.outputs),
                    || to_raw_value(&self.entries),
                )
            },
        );
        /// [`Record`]'s fields, in its order, the large ones already written.
        #[derive(Serialize)]
        struct Written<'a> {
            format: u32,
            written_at: u64,
            global: &'a str,
            site: &'a str,
            sources: &'a RawValue,
            outputs: &'a RawValue,
            entries: &'a RawValue,
            search: &'a BTreeMap<String, String>,
        }
        let written = Written {
            format: self.format,
            written_at: self.written_at,
            global: &self.global,
            site: &self.site,
            sources: &sources.ok()?,
            outputs: &outputs.ok()?,
            entries: &entries.ok()?,
            search: &self.search,
        };
        serde_json::to_writer(out, &written).ok()
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_hashed_a_piece_at_a_time_has_the_fingerprint_of_its_whole_bytes() {
        let dir = tempfile::tempdir().expect("temp");
        // Empty, smaller than the buffer, exactly it, and across several of it.
        for len in [0usize, 1000, 256 << 10, (600 << 10) + 7] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let path = dir.path().join(format!("f{len}"));
            std::fs::write(&path, &bytes).expect("write");
            assert_eq!(
                hash_file(&path).expect("read"),
                xxhash_rust::xxh3::xxh3_128(&bytes),
                "{len}"
            );
        }
        assert!(hash_file(&dir.path().join("missing")).is_err());
        assert!(program().is_some());
    }

    #[test]
    fn the_record_is_written_as_serde_json_writes_it_and_read_back_the_same() {
        let seen = |len: u64, hash: &str| Seen {
            stat: Stat {
                len,
                mtime: len * 7,
            },
            hash: hash.to_owned(),
        };
        let mut record = Record {
            global: "0a1b".to_owned(),
            site: "引号\"与\\斜杠".to_owned(),
            ..Record::default()
        };
        for i in 0..50u64 {
            record
                .sources
                .insert(format!("item-{i:02}"), seen(i, &format!("{i:032x}")));
            record
                .outputs
                .insert(format!("guide/item-{i:02}.html"), seen(i + 1, "ff"));
            record.entries.insert(
                format!("item-{i:02}"),
                GuideEntry {
                    slug: format!("item-{i:02}"),
                    title: format!("办理第{i}项\u{2028}"),
                    category: "类别".to_owned(),
                    audience: String::new(),
                    text: String::new(),
                },
            );
        }
        record
            .search
            .insert("search/t/a.js".to_owned(), "beef".to_owned());
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join(".public.sibai-publish.json");
        record.save(Some(&path), &Record::default());
        let written = std::fs::read(&path).expect("written");
        assert_eq!(written, serde_json::to_vec(&record).expect("json"));
        assert!(!path.with_extension("json.tmp").exists());
        let back = Record::load(Some(&path));
        assert_eq!(back.format, FORMAT);
        assert_eq!(
            serde_json::to_vec(&back).expect("json"),
            serde_json::to_vec(&record).expect("json")
        );
        assert_eq!(back.entries.len(), 50);
    }
}
