//! One publish run: only what changed since the last publish to the same folder is rendered,
//! checked and written. Each file is checked by the guard in memory before it is staged; a file
//! with a hit never is, and after the first hit nothing more is staged. When any hit is found,
//! nothing is written, the staging folder is removed, and each hit is traced to where its value
//! came from.

use super::cache::{self, Record, Seen, Stat};
use super::guide::{self, GuideEntry};
use super::output::{Settled, Staging};
use super::render::{self, SiteHead, Theme};
use super::{
    Hit, PublishError, PublishInput, PublishReport, guard_for, json, public, theme_dir, trace,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

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
    // fingerprint, and the guide files (each read whole: its fingerprint is of its content).
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
