//! What a publish reads, and may make, before it has the ledger.
//!
//! `sibai publish` derives the key from the passphrase on one core for about a second; the
//! other core would be idle. Nothing the ledger holds is needed to read the theme, the record
//! of the last publish, every guide file and what the output folder holds, with each file's
//! size and time ([`Prefetch::read`]), nor to parse the guide
//! files that changed and make the search index's term shards of the groups that hold guide
//! items only ([`Prefetch::read_ahead`]): the guide comes first in the index, and a term shard
//! is made from its documents' titles and texts alone.
//!
//! What is made ahead is used only where the run would make exactly the same: an item parsed
//! ahead is an item whose file the run would parse, from the same text; a group's term shards
//! are kept under the fingerprint of everything they are made from ([`search::group_key`]),
//! and the run takes them only when the documents it has for that group give the same
//! fingerprint. The run still checks every file it writes. Making ahead stops as soon as the
//! key is there (`stop`): what was not made is made by the run, as without it. The output
//! folder is looked at once, here, about a second before the run decides which pages it
//! holds as written and which files to remove: a file changed in that second by another
//! program is taken as it was listed, as it would be in the moment between any look and the
//! commit; one removed meanwhile is passed over.

use super::super::cache::{self, Record, Stat};
use super::super::guide::{self, GuideEntry, GuideSource, PublicGuideItem};
use super::super::output::{self, Listing};
use super::super::render::Theme;
use super::super::search::{self, Doc, GROUP};
use super::super::{PublishError, PublishInput, SiteSettings, theme_dir, theme_dir_of};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use xxhash_rust::xxh3::xxh3_128;

/// A guide file as found now: its size, the fingerprint of its content, and its text when the
/// last publish did not see it as it is (the time is not read: the content is what counts).
pub(in crate::publish) struct Found {
    pub(super) stat: Stat,
    pub(super) hash: u128,
    /// The file's text, when the last publish did not see it as it is and it was not parsed
    /// ahead.
    pub(super) text: Option<String>,
    /// The file parsed ahead (in place of `text`): the item and its entry, or why it could not
    /// be read.
    pub(super) parsed: Option<Result<(PublicGuideItem, GuideEntry), PublishError>>,
    /// The item's search text, read ahead for a term shard made ahead (an item the last
    /// publish saw as it is: the run needs its text only for the search).
    pub(super) search_text: Option<String>,
}

/// What was read, and made, ahead of the ledger: the theme, the program's fingerprint, the
/// output folder's files with their sizes and times, the record of the last publish, the guide
/// files (each read whole: its fingerprint is of its
/// content), and what could be made of them. `sibai publish` reads it on one thread while the
/// other derives the key from the passphrase.
pub struct Prefetch {
    root: PathBuf,
    out: PathBuf,
    pub(super) theme_dir: Option<PathBuf>,
    pub(super) record_path: Option<PathBuf>,
    pub(super) theme: Theme,
    pub(super) program: Option<u128>,
    /// What the output folder held (`None` if it could not be read: it is read again when the
    /// run commits).
    pub(super) listing: Option<Listing>,
    pub(super) old: Record,
    pub(super) sources: Vec<GuideSource>,
    /// Taken by the run, which hands each text on as it renders.
    pub(super) found: Vec<Found>,
    /// Term shards made ahead, by the fingerprint of what they were made from.
    pub(super) terms: HashMap<u128, Vec<(String, String)>>,
    /// How many guide files were parsed ahead.
    parsed: usize,
    /// How long the reading (and making) took.
    took: Duration,
}

impl Prefetch {
    /// Reads what a publish of the committee folder `root` (with `settings`) to `out` needs
    /// before it has the ledger; the parts side by side, on as many threads as the caller's
    /// rayon pool has.
    pub fn read(
        root: &Path,
        settings: &SiteSettings,
        out: &Path,
    ) -> Result<Prefetch, PublishError> {
        Prefetch::read_parsing(root, settings, out, None)
    }

    /// [`Prefetch::read`]; with `parse`, each changed guide file is parsed as soon as it is
    /// read, until `parse` is set, rather than kept as text (see [`find_sources`]).
    fn read_parsing(
        root: &Path,
        settings: &SiteSettings,
        out: &Path,
        parse: Option<&AtomicBool>,
    ) -> Result<Prefetch, PublishError> {
        let started = Instant::now();
        let theme_dir = theme_dir_of(root, settings)?;
        let record_path = Record::path_for(out);
        let (theme, ((program, listing), loaded)) = rayon::join(
            || Theme::load(theme_dir.as_deref()),
            || {
                rayon::join(
                    || (cache::program(), output::list(out).ok()),
                    || {
                        let old = Record::load(record_path.as_deref());
                        let sources = guide::sources(&root.join("content"))?;
                        let found = find_sources(&sources, &old, parse)?;
                        Ok::<_, PublishError>((old, sources, found))
                    },
                )
            },
        );
        let (old, sources, found) = loaded?;
        let parsed = found.iter().filter(|f| f.parsed.is_some()).count();
        Ok(Prefetch {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            theme_dir,
            record_path,
            theme: theme?,
            program,
            listing,
            old,
            sources,
            found,
            terms: HashMap::new(),
            parsed,
            took: started.elapsed(),
        })
    }

    /// [`Prefetch::read`], then, until `stop` is set, what can be made without the ledger:
    /// the guide files that changed parsed, then the term shards of each group of guide items
    /// whose documents changed since the last publish. Each piece is whole or not made.
    pub fn read_ahead(
        root: &Path,
        settings: &SiteSettings,
        out: &Path,
        stop: &AtomicBool,
    ) -> Result<Prefetch, PublishError> {
        let started = Instant::now();
        let mut pre = Prefetch::read_parsing(root, settings, out, Some(stop))?;
        pre.parse_changed(stop);
        pre.make_terms(stop);
        pre.took = started.elapsed();
        Ok(pre)
    }

    /// How long the reading (and making) took.
    pub fn took(&self) -> Duration {
        self.took
    }

    /// How many guide files were parsed, and how many groups of term shards made, ahead.
    pub fn made(&self) -> (usize, usize) {
        (self.parsed, self.terms.len())
    }

    /// Whether this was read for a publish of `input` to `out`.
    pub(super) fn is_for(&self, input: &PublishInput<'_>, out: &Path) -> bool {
        self.root == input.root
            && self.out == out
            && theme_dir(input).is_ok_and(|dir| dir == self.theme_dir)
    }

    /// Parses each changed guide file (what the run would parse first), until `stop`.
    fn parse_changed(&mut self, stop: &AtomicBool) {
        for (source, f) in self.sources.iter().zip(&mut self.found) {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            if let Some(text) = f.text.take() {
                f.parsed = Some(guide::parse_with_entry(source, &text));
                self.parsed += 1;
            }
        }
    }

    /// Makes the term shards of each group of guide items (documents `g × GROUP` onwards, all
    /// of them guide items) that the record does not hold as made from the same files, until
    /// `stop`. Every item must have an entry: parsed ahead, or the record's for a file the last
    /// publish saw as it is; otherwise nothing is made.
    fn make_terms(&mut self, stop: &AtomicBool) {
        let mut heads: Vec<(usize, GuideEntry)> = Vec::with_capacity(self.sources.len());
        for (i, (source, f)) in self.sources.iter().zip(&self.found).enumerate() {
            let entry = match &f.parsed {
                Some(Ok((_, entry))) => entry.head(),
                Some(Err(_)) => return,
                None if f.text.is_some() => return,
                None => match self.old.entries.get(&source.slug) {
                    Some(entry) => entry.clone(),
                    None => return,
                },
            };
            heads.push((i, entry));
        }
        // The guide's documents in the order the run numbers them (a stable sort, from the
        // files' order, as the run's).
        heads.sort_by(|a, b| a.1.order().cmp(&b.1.order()));
        for (g, group) in heads.chunks_exact(GROUP).enumerate() {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let hashes: Vec<u128> = group
                .iter()
                .map(|(i, entry)| {
                    super::search::guide_doc_hash(
                        &search::guide_doc(entry).url,
                        self.found[*i].hash,
                    )
                })
                .collect();
            let fingerprint = super::search::fingerprint(&hashes);
            let recorded = (0..search::BUCKETS)
                .all(|b| self.old.search.get(&search::term_path(g, b)) == Some(&fingerprint));
            if recorded {
                // Kept by the run as it is, unless the output lost it.
                continue;
            }
            let Some(entries) = self.group_entries(group) else {
                return;
            };
            let docs: Vec<Doc<'_>> = entries.iter().map(search::guide_doc).collect();
            let key = search::group_key(g, &docs);
            let stopped = || stop.load(Ordering::Relaxed);
            match search::term_shards_unless(g, &docs, &stopped) {
                Some(Ok(files)) => {
                    self.terms.insert(key, files);
                }
                // Made by the run, which reports what failed.
                Some(Err(_)) => {}
                None => return,
            }
        }
    }

    /// The entries of `group` with their search texts: of an item parsed ahead, its entry; of
    /// any other, its file read and parsed again (the text is kept for the run). `None` if a
    /// file cannot be read.
    fn group_entries(&mut self, group: &[(usize, GuideEntry)]) -> Option<Vec<GuideEntry>> {
        group
            .iter()
            .map(|(i, head)| {
                let f = &mut self.found[*i];
                if let Some(Ok((_, entry))) = &f.parsed {
                    return Some(entry.clone());
                }
                let text = match &f.search_text {
                    Some(text) => text.clone(),
                    None => {
                        let text = GuideEntry::of(&self.sources[*i].load().ok()?).text;
                        f.search_text = Some(text.clone());
                        text
                    }
                };
                Some(GuideEntry {
                    text,
                    ..head.clone()
                })
            })
            .collect()
    }
}

/// The guide files as found now: each one's size and the fingerprint of its content, read whole
/// (an edit that keeps the size and the time must still be noticed). The text is kept only of a
/// file that the last publish did not see as it is now: an unchanged one is read again only if
/// something needs it, so that a republish of a large guide holds no copy of it.
///
/// With `parse` (reading ahead of the ledger), a changed file is parsed from the bytes just read
/// until `parse` is set, and only what was parsed is kept: copying every file's text first, to
/// parse it after, touched 35 MB more of fresh memory for 10,000 items, which this machine
/// clears at well under 1 GB/s (a fifth of the reading thread's time, perf).
fn find_sources(
    sources: &[GuideSource],
    old: &Record,
    parse: Option<&AtomicBool>,
) -> Result<Vec<Found>, PublishError> {
    use std::io::Read as _;
    sources
        .par_iter()
        .map_init(Vec::new, |bytes, s| {
            let failed = |e: std::io::Error| PublishError::Io {
                path: s.path.clone(),
                detail: e.to_string(),
            };
            bytes.clear();
            std::fs::File::open(&s.path)
                .and_then(|mut f| f.read_to_end(bytes))
                .map_err(failed)?;
            let hash = xxh3_128(bytes);
            let known = old
                .sources
                .get(&s.slug)
                .is_some_and(|seen| seen.hash == cache::hex(hash));
            let (mut text, mut parsed) = (None, None);
            if !known {
                // Checked by simdutf8: the standard library's check took ~10 instructions a
                // byte of the guide's files (36 million for 1,000, callgrind).
                let checked = simdutf8::basic::from_utf8(bytes).map_err(|_| {
                    failed(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "不是 UTF-8 编码的文本",
                    ))
                })?;
                match parse {
                    Some(stop) if !stop.load(Ordering::Relaxed) => {
                        parsed = Some(guide::parse_with_entry(s, checked));
                    }
                    _ => text = Some(checked.to_owned()),
                }
            }
            Ok(Found {
                stat: Stat {
                    len: bytes.len() as u64,
                    mtime: 0,
                },
                hash,
                text,
                parsed,
                search_text: None,
            })
        })
        .collect()
}
