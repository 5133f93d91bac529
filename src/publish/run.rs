//! One publish run: only what changed since the last publish to the same folder is rendered,
//! checked and written. Each file is checked by the guard in memory before it is staged; a file
//! with a hit never is, and after the first hit nothing more is staged. When any hit is found,
//! nothing is written, the staging folder is removed, and each hit is traced to where its value
//! came from.

use super::cache::{self, Record, Seen, Stat};
use super::guard::Reading;
use super::guide::{self, GuideEntry};
use super::output::{Settled, Staging};
use super::render::{self, SiteHead, Theme};
use super::{
    Hit, Phases, PublishError, PublishInput, PublishReport, guard_for, json, public, trace,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::mem::take;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

mod ahead;
mod search;
use ahead::Found;
pub use ahead::Prefetch;
use search::Texts;

/// How many guide items are rendered, checked and staged at a time: enough to keep every core
/// busy, few enough that a large guide is never held in memory whole.
const CHUNK: usize = 512;

/// How many chunks' worth of rendered pages may wait for the guard's patterns (about 6 MB of
/// pages on the 10,000-item guide, and the guard's reading of them): rendering goes on
/// meanwhile instead of waiting.
const AHEAD: usize = 4;

/// What came of one guide item in a chunk.
struct Rendered {
    entry: GuideEntry,
    /// Its page (path and text), when it was rendered.
    page: Option<(String, String)>,
    /// Its file's size and fingerprint.
    stat: Stat,
    hash: u128,
}

/// A rendered page waiting for its check: its path and text, and the guard's reading of it
/// when it was read before the guard's patterns were made.
struct Page {
    path: String,
    text: String,
    reading: Option<Reading>,
}

/// What came of one rendered file.
struct Outcome {
    path: String,
    seen: Seen,
    hits: Vec<Hit>,
    /// Whether the guard read it (not when it is byte for byte what it last passed).
    checked: bool,
}

/// What a run reads before it renders: the public projection, the guard, and what it could
/// read without the ledger.
struct Loaded {
    site: public::PublicSite,
    guard: super::guard::Guard,
    pre: Prefetch,
}

impl Loaded {
    /// Reads what the run needs: the guard, and beside it the projection and what was not read
    /// ahead (`pre`, read for this publish).
    fn read(
        input: &PublishInput<'_>,
        out: &Path,
        pre: Option<Prefetch>,
    ) -> Result<Loaded, PublishError> {
        let (guard, (site, pre)) = rayon::join(
            || guard_for(input.ledger, input.settings),
            || {
                let site = public::project(input.ledger, input.settings, input.today);
                let pre = match pre {
                    Some(p) => Ok(p),
                    None => Prefetch::read(input.root, input.settings, out),
                };
                (site, pre)
            },
        );
        Ok(Loaded {
            site,
            guard,
            pre: pre?,
        })
    }

    /// The fingerprint of everything every page depends on: the program, the theme, the guard
    /// and the site's head. When it changed, nothing recorded is trusted.
    fn global(&self, head: &SiteHead) -> u128 {
        let mut h = Xxh3::new();
        match self.pre.program {
            Some(p) => h.update(&p.to_le_bytes()),
            // The program cannot be read: trust nothing recorded.
            None => h.update(&rand::random::<u128>().to_le_bytes()),
        }
        h.update(&self.pre.theme.key().to_le_bytes());
        h.update(&self.guard.key().to_le_bytes());
        h.update(&json(head));
        h.digest128()
    }

    /// A run with what was read: it looks at what the output holds now and opens the staging
    /// folder.
    fn run<'a>(
        &'a self,
        base: &'a tera::Context,
        global: u128,
        out: &Path,
        terms: HashMap<u128, Vec<(String, String)>>,
    ) -> Result<Run<'a>, PublishError> {
        Ok(Run {
            theme: &self.pre.theme,
            base,
            guard: &self.guard,
            global,
            old: &self.pre.old,
            intact: self.intact(out, global),
            staging: Staging::new(out)?,
            refused: AtomicBool::new(false),
            terms: Mutex::new(terms),
            render_ns: AtomicU64::new(0),
            check_ns: AtomicU64::new(0),
        })
    }

    /// Whether the output may still hold what the last publish recorded: the record was made
    /// with everything global as now, and the first file it lists is as written (a quick look
    /// before the patterns are made; [`Loaded::intact`] looks at every file).
    fn may_hold(&self, out: &Path, global: u128) -> bool {
        let old = &self.pre.old;
        old.global == cache::hex(global)
            && old
                .outputs
                .iter()
                .next()
                .is_some_and(|(path, seen)| self.stat_now(out, path) == Some(seen.stat))
    }

    /// The size and time of the output's file `path` now: as listed ahead, or looked at here.
    fn stat_now(&self, out: &Path, path: &str) -> Option<Stat> {
        match &self.pre.listing {
            Some(listing) => listing.get(path).copied().flatten(),
            None => Stat::of(&out.join(path)),
        }
    }

    /// What the output holds now of what the last publish recorded. Nothing is trusted when
    /// the program, theme, committee or guard changed.
    fn intact(&self, out: &Path, global: u128) -> HashMap<&str, &Seen> {
        let old = &self.pre.old;
        if old.global != cache::hex(global) {
            return HashMap::new();
        }
        old.outputs
            .par_iter()
            .filter(|(path, seen)| self.stat_now(out, path) == Some(seen.stat))
            .map(|(path, seen)| (path.as_str(), seen))
            .collect()
    }
}

/// The fingerprint of the site's own pages (all but the guide items' pages and the search
/// index): everything global, the public projection, and what they show of the guide, each
/// item's entry (name, title, category, audience) in display order. An edit of an item's text
/// alone leaves it as it was: those pages are not made again.
fn site_key_of(global: u128, site: &public::PublicSite, entries: &[GuideEntry]) -> String {
    let mut h = Xxh3::new();
    h.update(&global.to_le_bytes());
    h.update(&json(site));
    h.update(&entries.len().to_le_bytes());
    for e in entries {
        for part in [&e.slug, &e.title, &e.category, &e.audience] {
            h.update(&part.len().to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    cache::hex(h.digest128())
}

/// A run under way: what it renders with, what the output already holds, and the staging
/// folder that nothing more reaches after the first hit.
struct Run<'a> {
    theme: &'a Theme,
    base: &'a tera::Context,
    guard: &'a super::guard::Guard,
    /// The fingerprint of what every page depends on (see [`Loaded::global`]).
    global: u128,
    old: &'a Record,
    /// What the output holds now of what was recorded (size and time still as written).
    intact: HashMap<&'a str, &'a Seen>,
    staging: Staging,
    /// Set at the first hit: from then on nothing more is staged, and a file with a hit never is.
    refused: AtomicBool,
    /// Term shards made ahead of the ledger, by the fingerprint of what they were made from
    /// (see [`search::group_key`](super::search::group_key)); each taken when used.
    terms: Mutex<HashMap<u128, Vec<(String, String)>>>,
    /// Thread time spent rendering and checking, in nanoseconds.
    render_ns: AtomicU64,
    check_ns: AtomicU64,
}

impl Run<'_> {
    /// Runs `f`, adding its time to `counter`.
    fn timed<T>(counter: &AtomicU64, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        let ns = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
        counter.fetch_add(ns, Ordering::Relaxed);
        out
    }

    /// Renders with `f`, counting its time as rendering.
    fn rendering<T>(&self, f: impl FnOnce() -> T) -> T {
        Self::timed(&self.render_ns, f)
    }

    /// The guard's hits in one file, counting its time as checking.
    fn scan(&self, path: &str, text: &str) -> Vec<Hit> {
        Self::timed(&self.check_ns, || self.guard.scan(path, text))
    }

    /// What was recorded for `path`, if the output still holds it as written.
    fn known(&self, path: &str) -> Option<&Seen> {
        self.intact.get(path).copied()
    }

    /// Whether a guide item's file is as recorded and its page still as written.
    fn unit_clean(&self, slug: &str, hash: u128) -> bool {
        self.old
            .sources
            .get(slug)
            .is_some_and(|seen| seen.hash == cache::hex(hash))
            && self.known(&render::guide_path(slug)).is_some()
    }

    /// Stages a checked file, unless it or an earlier one had a hit.
    fn settle(
        &self,
        path: String,
        bytes: Vec<u8>,
        hits: Vec<Hit>,
    ) -> Result<Outcome, PublishError> {
        if !hits.is_empty() {
            self.refused.store(true, Ordering::Relaxed);
        }
        let unwritten = Seen {
            stat: Stat { len: 0, mtime: 0 },
            hash: String::new(),
        };
        if self.refused.load(Ordering::Relaxed) {
            return Ok(Outcome {
                path,
                seen: unwritten,
                hits,
                checked: true,
            });
        }
        let seen = match self.staging.settle(&path, bytes, self.known(&path))? {
            Settled::Unchanged(seen) => seen,
            // Its size and time are filled in once it is written.
            Settled::Staged { hash } => Seen { hash, ..unwritten },
        };
        Ok(Outcome {
            path,
            seen,
            hits,
            checked: true,
        })
    }

    /// Checks and stages a rendered file, unless the output holds it byte for byte as it was
    /// when it last passed a guard looking for the same things (the record's global key holds
    /// the guard's): then it is kept as it is, unread.
    fn check_and_settle(&self, path: String, text: String) -> Result<Outcome, PublishError> {
        if let Some(seen) = self.known(&path)
            && seen.hash == cache::hex(xxh3_128(text.as_bytes()))
        {
            return Ok(Outcome {
                path,
                seen: seen.clone(),
                hits: Vec::new(),
                checked: false,
            });
        }
        let found = self.scan(&path, &text);
        self.settle(path, text.into_bytes(), found)
    }

    /// Adds what came of rendered files to the record and the hits; returns how many were
    /// checked.
    fn tally(outcomes: Vec<Outcome>, record: &mut Record, hits: &mut Vec<Hit>) -> usize {
        let mut checked = 0;
        for o in outcomes {
            checked += usize::from(o.checked);
            hits.extend(o.hits);
            record.outputs.insert(o.path, o.seen);
        }
        checked
    }

    /// Renders, checks and stages the guide items that changed, a chunk at a time, and records
    /// every item; returns how many pages were checked. While the guard's patterns are still
    /// being made, each rendered page is read by the guard at once (reading needs no pattern)
    /// and rendering goes on, up to [`AHEAD`] chunks' worth of pages, instead of waiting for
    /// them: a check would wait, and the core with it. Items whose page is not made again are
    /// recorded without waiting.
    fn guide(
        &self,
        sources: &[guide::GuideSource],
        found: &mut [Found],
        record: &mut Record,
        hits: &mut Vec<Hit>,
        entries: &mut Vec<GuideEntry>,
    ) -> Result<usize, PublishError> {
        let mut checked = 0;
        let chunks = sources.len().div_ceil(CHUNK);
        // Rendered and not yet checked.
        let mut waiting: Vec<Page> = Vec::new();
        for (k, (chunk, found)) in sources
            .chunks(CHUNK)
            .zip(found.chunks_mut(CHUNK))
            .enumerate()
        {
            let rendered = self.render_chunk(chunk, found)?;
            let mut pages = self.record_chunk(chunk, rendered, record, entries);
            if !self.guard.is_ready() {
                self.read_early(&mut pages);
            }
            waiting.append(&mut pages);
            if k + 1 < chunks && waiting.len() < AHEAD * CHUNK && !self.guard.is_ready() {
                continue;
            }
            checked += self.check_pages(take(&mut waiting), record, hits)?;
        }
        Ok(checked)
    }

    /// Renders the items of one chunk that changed (a changed file, or a page no longer as
    /// written); lists the others as recorded.
    fn render_chunk(
        &self,
        chunk: &[guide::GuideSource],
        found: &mut [Found],
    ) -> Result<Vec<Rendered>, PublishError> {
        chunk
            .par_iter()
            .zip(found.par_iter_mut())
            .map(|(source, f)| {
                let (stat, hash) = (f.stat, f.hash);
                let clean = self.unit_clean(&source.slug, f.hash);
                if clean && let Some(entry) = self.old.entries.get(&source.slug) {
                    // Listed as recorded (without its text: read again only if the search
                    // needs it); its page stays as written.
                    return Ok(Rendered {
                        entry: entry.clone(),
                        page: None,
                        stat,
                        hash,
                    });
                }
                let (item, entry) = match f.parsed.take() {
                    // Parsed ahead of the ledger, from the same text.
                    Some(parsed) => parsed?,
                    None => {
                        let text = match f.text.take() {
                            Some(t) => t,
                            None => source.read()?,
                        };
                        self.rendering(|| guide::parse_with_entry(source, &text))?
                    }
                };
                if clean {
                    return Ok(Rendered {
                        entry,
                        page: None,
                        stat,
                        hash,
                    });
                }
                let page = self.rendering(|| render::guide_page(self.theme, self.base, &item))?;
                Ok(Rendered {
                    entry,
                    page: Some(page),
                    stat,
                    hash,
                })
            })
            .collect()
    }

    /// Records a rendered chunk, whose items are `sources`, in order: each item's file, entry
    /// and, when its page was not made again, the page as recorded. Returns the pages made, to
    /// be checked.
    fn record_chunk(
        &self,
        sources: &[guide::GuideSource],
        rendered: Vec<Rendered>,
        record: &mut Record,
        entries: &mut Vec<GuideEntry>,
    ) -> Vec<Page> {
        let mut pages = Vec::new();
        for (source, r) in sources.iter().zip(rendered) {
            record.sources.insert(
                source.slug.clone(),
                Seen {
                    stat: r.stat,
                    hash: cache::hex(r.hash),
                },
            );
            record.entries.insert(source.slug.clone(), r.entry.head());
            entries.push(r.entry);
            match r.page {
                Some((path, text)) => pages.push(Page {
                    path,
                    text,
                    reading: None,
                }),
                // Not rendered: its page stays as recorded.
                None => {
                    let path = render::guide_path(&source.slug);
                    if let Some(seen) = self.known(&path) {
                        record.outputs.insert(path, seen.clone());
                    }
                }
            }
        }
        pages
    }

    /// Reads rendered pages as the guard reads a file, before its patterns are made (the time
    /// counts as checking).
    fn read_early(&self, pages: &mut [Page]) {
        pages.par_iter_mut().for_each(|p| {
            p.reading = Self::timed(&self.check_ns, || Reading::of(&p.path, &p.text));
        });
    }

    /// Checks and stages rendered pages, and records them; returns how many were checked.
    fn check_pages(
        &self,
        pages: Vec<Page>,
        record: &mut Record,
        hits: &mut Vec<Hit>,
    ) -> Result<usize, PublishError> {
        let outcomes: Vec<Outcome> = pages
            .into_par_iter()
            .map(|p| {
                let found = match &p.reading {
                    Some(reading) => Self::timed(&self.check_ns, || self.guard.hits(reading)),
                    None => self.scan(&p.path, &p.text),
                };
                self.settle(p.path, p.text.into_bytes(), found)
            })
            .collect::<Result<_, PublishError>>()?;
        Ok(Self::tally(outcomes, record, hits))
    }

    /// Renders, checks and stages the site's own pages (home, funds, projects, the guide's
    /// index, boards, the search page), or keeps them as recorded when nothing they show
    /// changed; a page rendered again as it was is not read again. Beside them, the search
    /// index, whose shards are kept or made again each by its own documents. `entries` is the
    /// whole guide. Returns how many files were checked.
    fn site_pages(
        &self,
        site: &public::PublicSite,
        mut entries: Vec<GuideEntry>,
        texts: &Texts<'_>,
        record: &mut Record,
        hits: &mut Vec<Hit>,
    ) -> Result<usize, PublishError> {
        entries.sort_by(|a, b| a.order().cmp(&b.order()));
        // What the site's pages show of the guide (not the text, which only the search holds).
        let heads: Vec<GuideEntry> = entries.iter().map(GuideEntry::head).collect();
        record.site = site_key_of(self.global, site, &heads);
        // The two side by side: neither waits for the other's longest file.
        let (own, index) = rayon::join(
            || self.own_pages(site, &heads, record, hits),
            || {
                let (mut index, mut found) = (Record::default(), Vec::new());
                let checked = self.search(site, entries, texts, &mut index, &mut found)?;
                Ok::<_, PublishError>((checked, index, found))
            },
        );
        let (checked, index, found) = index?;
        record.outputs.extend(index.outputs);
        record.search.extend(index.search);
        hits.extend(found);
        Ok(own? + checked)
    }

    /// The site's own pages (see [`Run::site_pages`]); `record.site` is their key.
    fn own_pages(
        &self,
        site: &public::PublicSite,
        heads: &[GuideEntry],
        record: &mut Record,
        hits: &mut Vec<Hit>,
    ) -> Result<usize, PublishError> {
        let own = |path: &str| {
            !is_guide_output(path, &self.old.sources) && !super::search::is_index_file(path)
        };
        let clean = self.old.site == record.site
            && self
                .old
                .outputs
                .keys()
                .filter(|p| own(p))
                .all(|p| self.known(p).is_some());
        if clean {
            for (path, seen) in &self.old.outputs {
                if own(path) {
                    record.outputs.insert(path.clone(), seen.clone());
                }
            }
            return Ok(0);
        }
        let pages = self.rendering(|| render::site_pages(self.theme, self.base, site, heads))?;
        let outcomes: Vec<Outcome> = pages
            .into_par_iter()
            .map(|(path, text)| self.check_and_settle(path, text))
            .collect::<Result<_, _>>()?;
        Ok(Self::tally(outcomes, record, hits))
    }
}

/// Builds, checks and writes the site to `out`, doing only what changed since the last publish
/// to the same folder: a guide item whose file, theme, committee and guard are unchanged, and
/// whose output files are as they were written, is neither rendered nor checked again. Every
/// file rendered is checked by the guard; when any hit is found nothing is written.
pub fn publish(input: &PublishInput<'_>, out: &Path) -> Result<PublishReport, PublishError> {
    publish_prefetched(input, out, None)
}

/// [`publish`], with what was read ahead of the ledger (what was read for another folder,
/// theme or output is not used: it is read again).
pub fn publish_prefetched(
    input: &PublishInput<'_>,
    out: &Path,
    pre: Option<Prefetch>,
) -> Result<PublishReport, PublishError> {
    let started = Instant::now();
    let pre = pre.filter(|p| p.is_for(input, out));
    let prefetched = pre.as_ref().map(Prefetch::took);
    let parsed_ahead = pre.as_ref().map_or(0, |p| p.made().0);
    let mut loaded = Loaded::read(input, out, pre)?;
    let read = started.elapsed();
    let (mut found, terms) = (take(&mut loaded.pre.found), take(&mut loaded.pre.terms));
    let terms_ahead = terms.len();
    let head = SiteHead::of(&loaded.site);
    let base = head.context();
    let global = loaded.global(&head);
    let mut record = Record {
        global: cache::hex(global),
        ..Record::default()
    };
    let mut hits: Vec<Hit> = Vec::new();
    let mut entries: Vec<GuideEntry> = Vec::new();
    let will_check = will_check(&found, !loaded.may_hold(out, global));
    // The guard's patterns are made from here on, on one core; on the other, what the output
    // holds is looked at and the guide, the site's pages and the search index are rendered
    // meanwhile. A check that comes before the patterns are made waits for them.
    let (_, ran) = rayon::join(
        || {
            if will_check > 0 {
                loaded.guard.prepare(will_check);
            }
        },
        || {
            let run = loaded.run(&base, global, out, terms)?;
            // The run is handed back even when rendering failed: its staging is discarded.
            let render_all = || {
                let guide = run.guide(
                    &loaded.pre.sources,
                    &mut found,
                    &mut record,
                    &mut hits,
                    &mut entries,
                )?;
                let texts = Texts::new(&loaded.pre.sources, &found);
                let site = run.site_pages(&loaded.site, entries, &texts, &mut record, &mut hits)?;
                Ok(guide + site)
            };
            let result = render_all();
            Ok::<_, PublishError>((run, result))
        },
    );
    let (run, result) = ran?;
    let built = started.elapsed();
    let Run {
        staging,
        render_ns,
        check_ns,
        terms,
        ..
    } = run;
    // Term shards made ahead that the run used (the others were not made from its documents).
    let used = terms_ahead - terms.into_inner().map_or(0, |t| t.len());
    let made_ahead = (parsed_ahead, used);
    let checked = match result {
        Ok(checked) => checked,
        Err(e) => return Err(staging.discard().unwrap_or(e)),
    };
    if !hits.is_empty() {
        staging.discard();
        trace::attribute(
            &mut hits,
            &loaded.guard,
            input,
            &loaded.site,
            loaded.pre.theme_dir.as_deref(),
        );
        return Err(PublishError::Leak(hits));
    }
    let (written, stats) = staging.commit(&record.outputs, take(&mut loaded.pre.listing))?;
    for (path, stat) in stats {
        if let Some(seen) = record.outputs.get_mut(&path) {
            seen.stat = stat;
        }
    }
    record.save(loaded.pre.record_path.as_deref(), &loaded.pre.old);
    let took = started.elapsed();
    drop_aside((loaded, record, found));
    Ok(PublishReport {
        written,
        checked,
        took,
        phases: Phases {
            prefetched,
            made_ahead,
            read,
            build: built - read,
            render: Duration::from_nanos(render_ns.into_inner()),
            check: Duration::from_nanos(check_ns.into_inner()),
            write: took - built,
        },
    })
}

/// Frees `held` on a thread of its own: what a run held (the records of the last publish and of
/// this one, the projection, the guard, the theme; the guide's search texts; in `sibai publish`,
/// the ledger) is tens of thousands of small allocations, and freeing them took ~25 ms of a
/// one-item republish after the work was done. A program that exits meanwhile has nothing more
/// to free; if no thread can be started, it is freed here.
pub(crate) fn drop_aside<T: Send + 'static>(held: T) {
    let _ = std::thread::Builder::new()
        .name("free-aside".into())
        .spawn(move || drop(held));
}

/// About how many pages a run will check: a guide file the last publish did not see (all of
/// them, the first time) is certain to be, and every page is when nothing recorded holds
/// (another program, theme, committee or guard). The guard's patterns are made for that many
/// while the first pages are rendered, rather than at the first check.
fn will_check(found: &[Found], nothing_recorded: bool) -> usize {
    let changed = found
        .iter()
        .filter(|f| f.text.is_some() || f.parsed.is_some())
        .count();
    if nothing_recorded {
        found.len().max(changed)
    } else {
        changed
    }
}

/// Whether `path` is the page of a guide item recorded in `sources`.
fn is_guide_output(path: &str, sources: &BTreeMap<String, Seen>) -> bool {
    let slug = path
        .strip_prefix("guide/")
        .and_then(|rest| rest.strip_suffix(".html"));
    slug.is_some_and(|s| sources.contains_key(s))
}
