//! Publishing: the public site and its notices, built from the ledger through one public
//! projection (`public`), rendered with tera and pulldown-cmark, and checked by the privacy guard
//! before a single file is written. This module never imports egui, and templates never receive
//! a personal record.
//!
//! A publish renders each file in memory and runs the guard over it there; only a file found
//! clean is staged beside the output, and after the first hit nothing more is. Only when every
//! file has passed are the staged files moved into place and those that no longer belong
//! removed. A refused publish leaves the previous output exactly as it was, no staging behind,
//! and a list of hits traced to where each value came from (`trace`).

mod cache;
mod guard;
mod guide;
mod markdown;
mod output;
mod public;
mod render;
mod settings;
mod trace;

pub use guard::{Allowed, Guard, Hit, HitKind, Place, Source};
pub use guide::{GuideFront, PublicGuideItem};
pub use markdown::{allowed_link, render as render_markdown};
pub use output::WriteReport;
pub use public::{MIN_RESPONDENTS, PublicSite, project};
pub use render::{CSP, Files};

use cache::{Record, Seen, Stat};
use guide::GuideEntry;
use output::{Settled, Staging};
use render::{SiteHead, Theme};
pub use settings::{Cadence, SiteSettings};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use crate::model::Ledger;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Why a publish failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// A content file is malformed.
    #[error("内容文件 {file} 有误：{detail}。请改正后再发布。")]
    Content {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A template failed to render.
    #[error("网页模板出错：{0}。如果改过主题（themes/），请检查改动；否则请报告这个问题。")]
    Template(String),
    /// Reading or writing failed.
    #[error("读写 {path} 时出错：{detail}。之前发布的网站没有改动。")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's message.
        detail: String,
    },
    /// The settings file is malformed.
    #[error("{0}")]
    Settings(String),
    /// The guard found personal data: nothing was written.
    #[error("隐私检查未通过：发现 {} 处疑似个人信息，本次没有发布任何文件，之前发布的网站没有改动。\n{}", .0.len(), list_hits(.0))]
    Leak(Vec<Hit>),
}

fn list_hits(hits: &[Hit]) -> String {
    let mut out: Vec<String> = hits.iter().take(50).map(|h| format!("  {h}")).collect();
    if hits.len() > 50 {
        out.push(format!("  ……另有 {} 处", hits.len() - 50));
    }
    out.join("\n")
}

/// What to publish from, and where.
pub struct PublishInput<'a> {
    /// The ledger (fully loaded).
    pub ledger: &'a Ledger,
    /// The committee folder: `content/` and `themes/` are read from here.
    pub root: &'a Path,
    /// Public settings (`data/site.ron`).
    pub settings: &'a SiteSettings,
    /// The day of publication.
    pub today: NaiveDate,
}

/// What a publish did.
#[derive(Debug, Clone)]
pub struct PublishReport {
    /// Files written, unchanged and removed.
    pub written: WriteReport,
    /// Files rendered and checked by the guard this time (the others are as they were when last
    /// checked, by a guard looking for the same things).
    pub checked: usize,
    /// Time taken.
    pub took: Duration,
}

impl std::fmt::Display for PublishReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "写入 {} 个文件，未变 {} 个，删除 {} 个；用时 {:.2} 秒。",
            self.written.written.len(),
            self.written.unchanged,
            self.written.removed.len(),
            self.took.as_secs_f64()
        )?;
        let total = self.written.written.len() + self.written.unchanged;
        if self.checked == 0 {
            write!(
                f,
                "隐私检查：没有生成新文件；全部 {total} 个文件自上次通过检查后没有变化。"
            )
        } else if self.checked >= total {
            write!(f, "隐私检查：已检查全部 {total} 个文件，未发现个人信息。")
        } else {
            write!(
                f,
                "隐私检查：已检查本次生成的 {} 个文件，未发现个人信息；其余 {} 个文件自上次通过检查后没有变化。",
                self.checked,
                total - self.checked
            )
        }
    }
}

/// The JSON of `value`, for fingerprints. A value that cannot be written (never, for the public
/// types) gets random bytes, so that nothing recorded is trusted.
fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| rand::random::<u128>().to_le_bytes().to_vec())
}

fn theme_dir(input: &PublishInput<'_>) -> Result<Option<PathBuf>, PublishError> {
    let name = input.settings.theme.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let dir = input.root.join("themes").join(name);
    if !dir.is_dir() {
        return Err(PublishError::Settings(format!(
            "网站设置里的主题“{}”不存在（应在 {}）。",
            input.settings.theme,
            dir.display()
        )));
    }
    Ok(Some(dir))
}

/// Renders the whole site in memory; nothing touches the disk and nothing is checked (see
/// [`check`]). For tests and previews: [`publish`] renders in pieces and only what changed.
pub fn build(input: &PublishInput<'_>) -> Result<Files, PublishError> {
    let site = public::project(input.ledger, input.settings, input.today);
    let theme = theme_dir(input)?;
    let guide = guide::load(&input.root.join("content"))?;
    render::render(&site, &guide, theme.as_deref())
}

/// The guard for `ledger`: the signers' names, and the office's phone and address, each allowed
/// only as itself (see [`Allowed`]).
pub fn guard_for(ledger: &Ledger, settings: &SiteSettings) -> Guard {
    let mut allowed = Allowed {
        signers: ledger
            .committee
            .workers
            .iter()
            .filter(|w| w.signs_notices)
            .map(|w| w.name.clone())
            .collect(),
        phones: vec![settings.office_phone.clone()],
        addresses: vec![settings.office_address.clone()],
    };
    if let Some(c) = &ledger.committee.committee {
        allowed.phones.push(c.office_phone.clone());
        allowed.addresses.push(c.office_address.clone());
    }
    Guard::new(ledger, &allowed)
}

/// Checks every file and file name.
pub fn check(ledger: &Ledger, settings: &SiteSettings, files: &Files) -> Vec<Hit> {
    let guard = guard_for(ledger, settings);
    let files: Vec<(&String, &Vec<u8>)> = files.iter().collect();
    files
        .par_iter()
        .flat_map_iter(|(path, bytes)| guard.scan(path, &String::from_utf8_lossy(bytes)))
        .collect()
}

/// How many guide items are rendered, checked and staged at a time: enough to keep every core
/// busy, few enough that a large guide is never held in memory whole.
const CHUNK: usize = 512;

/// A guide file as found now: its fingerprint, and its text when it had to be read.
struct Found {
    stat: Stat,
    hash: u128,
    text: Option<String>,
}

/// What came of one rendered file.
struct Outcome {
    path: String,
    seen: Seen,
    hits: Vec<Hit>,
}

/// Builds, checks and writes the site to `out`, doing only what changed since the last publish
/// to the same folder: a guide item whose file, theme, committee and guard are unchanged, and
/// whose output files are as they were written, is neither rendered nor checked again. Every
/// file rendered is checked by the guard; when any hit is found nothing is written.
pub fn publish(input: &PublishInput<'_>, out: &Path) -> Result<PublishReport, PublishError> {
    let started = Instant::now();
    let site = public::project(input.ledger, input.settings, input.today);
    let theme_dir = theme_dir(input)?;
    let record_path = Record::path_for(out);
    // Independent of one another, so side by side: the theme, the guard, the program's
    // fingerprint, and the guide files (read only those whose size or time changed since the
    // last publish).
    let ((theme, guard), (program, loaded)) = rayon::join(
        || {
            rayon::join(
                || Theme::load(theme_dir.as_deref()),
                || guard_for(input.ledger, input.settings),
            )
        },
        || {
            rayon::join(cache::program, || {
                let old = Record::load(record_path.as_deref());
                let sources = guide::sources(&input.root.join("content"))?;
                let found = find_sources(&sources)?;
                Ok::<_, PublishError>((old, sources, found))
            })
        },
    );
    let theme = theme?;
    let (old, sources, found) = loaded?;
    let head = SiteHead::of(&site);
    let base = head.context();
    let global = {
        let mut h = Xxh3::new();
        match program {
            Some(p) => h.update(&p.to_le_bytes()),
            // The program cannot be read: trust nothing recorded.
            None => h.update(&rand::random::<u128>().to_le_bytes()),
        }
        h.update(&theme.key().to_le_bytes());
        h.update(&guard.key().to_le_bytes());
        h.update(&json(&head));
        h.digest128()
    };
    let fresh = old.global != cache::hex(global);
    // What the output holds now of what was recorded (size and time still as written); nothing
    // is trusted when the program, theme, committee or guard changed.
    let intact: HashMap<&str, &Seen> = if fresh {
        HashMap::new()
    } else {
        old.outputs
            .par_iter()
            .filter(|(path, seen)| Stat::of(&out.join(path.as_str())) == Some(seen.stat))
            .map(|(path, seen)| (path.as_str(), seen))
            .collect()
    };
    let known = |path: &str| intact.get(path).copied();
    let site_key = {
        let mut h = Xxh3::new();
        h.update(&global.to_le_bytes());
        h.update(&json(&site));
        for (s, f) in sources.iter().zip(&found) {
            h.update(s.slug.as_bytes());
            h.update(&f.hash.to_le_bytes());
        }
        cache::hex(h.digest128())
    };
    let unit_clean = |slug: &str, hash: u128| {
        old.sources
            .get(slug)
            .is_some_and(|seen| seen.hash == cache::hex(hash))
            && known(&render::guide_path(slug)).is_some()
    };
    let site_clean = !fresh
        && old.site == site_key
        && old
            .outputs
            .keys()
            .filter(|p| !is_guide_output(p, &old.sources))
            .all(|p| known(p).is_some());

    let staging = Staging::new(out)?;
    // Set at the first hit: from then on nothing more is staged, and a file with a hit never is.
    let refused = AtomicBool::new(false);
    let settle = |path: String, bytes: Vec<u8>, hits: Vec<Hit>| -> Result<Outcome, PublishError> {
        if !hits.is_empty() {
            refused.store(true, Ordering::Relaxed);
        }
        if refused.load(Ordering::Relaxed) {
            let seen = Seen {
                stat: Stat { len: 0, mtime: 0 },
                hash: String::new(),
            };
            return Ok(Outcome { path, seen, hits });
        }
        let seen = match staging.settle(&path, bytes, known(&path))? {
            Settled::Unchanged(seen) => seen,
            // Its size and time are filled in once it is written.
            Settled::Staged { hash } => Seen {
                stat: Stat { len: 0, mtime: 0 },
                hash,
            },
        };
        Ok(Outcome { path, seen, hits })
    };
    let mut record = Record {
        global: cache::hex(global),
        site: site_key,
        ..Record::default()
    };
    let mut hits: Vec<Hit> = Vec::new();
    let mut checked = 0usize;
    let mut entries: Vec<GuideEntry> = Vec::new();
    let mut found = found;
    let result = (|| -> Result<(), PublishError> {
        for (chunk, found) in sources.chunks(CHUNK).zip(found.chunks_mut(CHUNK)) {
            let done: Vec<(Option<GuideEntry>, Option<Outcome>)> = chunk
                .par_iter()
                .zip(found.par_iter_mut())
                .map(|(source, f)| {
                    let clean = unit_clean(&source.slug, f.hash);
                    if clean && site_clean {
                        // Nothing to do: the outputs stay as recorded.
                        return Ok((None, None));
                    }
                    let text = match f.text.take() {
                        Some(t) => t,
                        None => source.read()?,
                    };
                    let item = guide::parse_item(&source.slug, &text, &source.path)?;
                    let entry = (!site_clean).then(|| GuideEntry::of(&item));
                    if clean {
                        return Ok((entry, None));
                    }
                    let (path, text) = render::guide_page(&theme, &base, &item)?;
                    let found = guard.scan(&path, &text);
                    Ok((entry, Some(settle(path, text.into_bytes(), found)?)))
                })
                .collect::<Result<_, PublishError>>()?;
            for ((source, f), (entry, outcome)) in chunk.iter().zip(found.iter()).zip(done) {
                record.sources.insert(
                    source.slug.clone(),
                    Seen {
                        stat: f.stat,
                        hash: cache::hex(f.hash),
                    },
                );
                entries.extend(entry);
                match outcome {
                    Some(o) => {
                        checked += 1;
                        hits.extend(o.hits);
                        record.outputs.insert(o.path, o.seen);
                    }
                    // Not rendered: its page stays as recorded.
                    None => {
                        let path = render::guide_path(&source.slug);
                        if let Some(seen) = known(&path) {
                            record.outputs.insert(path, seen.clone());
                        }
                    }
                }
            }
        }
        if site_clean {
            for (path, seen) in &old.outputs {
                // The guide is the same as last time (it is part of the site's key).
                if !is_guide_output(path, &old.sources) {
                    record.outputs.insert(path.clone(), seen.clone());
                }
            }
            return Ok(());
        }
        entries.sort_by(|a, b| a.order().cmp(&b.order()));
        let pages = render::site_pages(&theme, &base, &site, &entries)?;
        let outcomes: Vec<Outcome> = pages
            .into_par_iter()
            .map(|(path, text)| {
                let found = guard.scan(&path, &text);
                settle(path, text.into_bytes(), found)
            })
            .collect::<Result<_, _>>()?;
        checked += outcomes.len();
        for o in outcomes {
            hits.extend(o.hits);
            record.outputs.insert(o.path, o.seen);
        }
        Ok(())
    })();
    if let Err(e) = result {
        return Err(staging.discard().unwrap_or(e));
    }
    if !hits.is_empty() {
        staging.discard();
        trace::attribute(&mut hits, &guard, input, &site, theme_dir.as_deref());
        return Err(PublishError::Leak(hits));
    }
    let keep: BTreeSet<String> = record.outputs.keys().cloned().collect();
    let (written, stats) = staging.commit(&keep)?;
    for (path, stat) in stats {
        if let Some(seen) = record.outputs.get_mut(&path) {
            seen.stat = stat;
        }
    }
    record.save(record_path.as_deref());
    Ok(PublishReport {
        written,
        checked,
        took: started.elapsed(),
    })
}

/// The guide files as found now: each one's size and time, its text and the fingerprint of that
/// text. Always read whole: an edit that keeps the size and the time must still be noticed.
fn find_sources(sources: &[guide::GuideSource]) -> Result<Vec<Found>, PublishError> {
    sources
        .par_iter()
        .map(|s| {
            let stat = Stat::of(&s.path).ok_or_else(|| PublishError::Io {
                path: s.path.clone(),
                detail: "文件读不到".into(),
            })?;
            let text = s.read()?;
            Ok(Found {
                stat,
                hash: xxh3_128(text.as_bytes()),
                text: Some(text),
            })
        })
        .collect()
}

/// Whether `path` is the page of a guide item recorded in `sources`.
fn is_guide_output(path: &str, sources: &BTreeMap<String, Seen>) -> bool {
    let slug = path
        .strip_prefix("guide/")
        .and_then(|rest| rest.strip_suffix(".html"));
    slug.is_some_and(|s| sources.contains_key(s))
}
