//! The search index within a publish run: a shard is made, checked and written again only when
//! the documents it was made from changed (or its file did). Each term shard group and each
//! document shard is recorded with a fingerprint of its documents: a guide item by its file's
//! content, a notice or project by what it shows. An edit of one guide item therefore redoes its
//! group's term shards and its document shard; the guide items those need are read again, the
//! others not at all.

use super::{Found, Outcome, Record, Run};
use crate::publish::guide::{self, GuideEntry, GuideSource};
use crate::publish::public::PublicSite;
use crate::publish::search::{self, Doc, GROUP, PER_SHARD};
use crate::publish::{Hit, PublishError, cache};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use xxhash_rust::xxh3::Xxh3;

/// The guide items' files as the run read them: each item's text for the search, read again
/// only for the shards that need it.
pub(in crate::publish) struct Texts<'a> {
    sources: &'a [GuideSource],
    found: &'a [Found],
    by_slug: HashMap<&'a str, usize>,
}

impl<'a> Texts<'a> {
    pub(super) fn new(sources: &'a [GuideSource], found: &'a [Found]) -> Texts<'a> {
        let by_slug = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.as_str(), i))
            .collect();
        Texts {
            sources,
            found,
            by_slug,
        }
    }

    /// The fingerprint of item `slug`'s file.
    fn hash(&self, slug: &str) -> u128 {
        self.by_slug
            .get(slug)
            .and_then(|&i| self.found.get(i))
            .map_or(0, |f| f.hash)
    }

    /// The search text of item `slug`, as its entry has it.
    fn text(&self, slug: &str) -> Result<String, PublishError> {
        let Some(&i) = self.by_slug.get(slug) else {
            return Ok(String::new());
        };
        let found = self.found.get(i);
        // Read ahead of the ledger, for a term shard made ahead.
        if let Some(text) = found.and_then(|f| f.search_text.as_ref()) {
            return Ok(text.clone());
        }
        let source = &self.sources[i];
        let read;
        let text = match found.and_then(|f| f.text.as_deref()) {
            Some(text) => text,
            None => {
                read = source.read()?;
                &read
            }
        };
        let item = guide::parse_item(&source.slug, text, &source.path)?;
        Ok(GuideEntry::of(&item).text)
    }
}

/// The shards of a range of documents: their paths and the fingerprint of the documents.
struct Shards {
    paths: Vec<String>,
    fingerprint: String,
}

/// What a guide item's document is recorded by: its address and its file's content.
pub(super) fn guide_doc_hash(url: &str, file: u128) -> u128 {
    let mut h = Xxh3::new();
    h.update(url.as_bytes());
    h.update(&[0]);
    h.update(&file.to_le_bytes());
    h.digest128()
}

pub(super) fn fingerprint(docs: &[u128]) -> String {
    let mut h = Xxh3::new();
    h.update(&docs.len().to_le_bytes());
    for d in docs {
        h.update(&d.to_le_bytes());
    }
    cache::hex(h.digest128())
}

impl Run<'_> {
    /// Keeps shards as recorded when they were made from the same documents and the output
    /// holds them as written.
    fn keep(&self, shards: &Shards, record: &mut Record) -> bool {
        let same = shards.paths.iter().all(|p| {
            self.old.search.get(p) == Some(&shards.fingerprint) && self.known(p).is_some()
        });
        if same {
            for p in &shards.paths {
                if let Some(seen) = self.known(p) {
                    record.outputs.insert(p.clone(), seen.clone());
                }
                record.search.insert(p.clone(), shards.fingerprint.clone());
            }
        }
        same
    }

    /// Makes, checks and stages the search index's shards whose documents changed; `entries`
    /// is the guide in display order. Returns how many files were checked.
    pub(super) fn search(
        &self,
        site: &PublicSite,
        mut entries: Vec<GuideEntry>,
        texts: &Texts<'_>,
        record: &mut Record,
        hits: &mut Vec<Hit>,
    ) -> Result<usize, PublishError> {
        let guide_count = entries.len();
        let docs: Vec<u128> = search::docs(site, &entries)
            .iter()
            .enumerate()
            .map(|(i, d)| match entries.get(i) {
                Some(entry) if i < guide_count => guide_doc_hash(&d.url, texts.hash(&entry.slug)),
                _ => {
                    let mut h = Xxh3::new();
                    h.update(d.url.as_bytes());
                    h.update(&[0]);
                    for part in [d.title, d.kind, &d.text] {
                        h.update(part.as_bytes());
                        h.update(&[0]);
                    }
                    h.digest128()
                }
            })
            .collect();
        let groups: Vec<(usize, Shards)> = docs
            .chunks(GROUP)
            .enumerate()
            .map(|(g, chunk)| {
                let paths = (0..search::BUCKETS)
                    .map(|b| search::term_path(g, b))
                    .collect();
                let fingerprint = fingerprint(chunk);
                (g, Shards { paths, fingerprint })
            })
            .filter(|(_, shards)| !self.keep(shards, record))
            .collect();
        let shards: Vec<(usize, Shards)> = docs
            .chunks(PER_SHARD)
            .enumerate()
            .map(|(k, chunk)| {
                let shards = Shards {
                    paths: vec![search::doc_path(k)],
                    fingerprint: fingerprint(chunk),
                };
                (k, shards)
            })
            .filter(|(_, shards)| !self.keep(shards, record))
            .collect();
        // The texts those shards need, of items listed from the record.
        let needed: BTreeSet<usize> = groups
            .iter()
            .flat_map(|(g, _)| g * GROUP..(g + 1) * GROUP)
            .chain(
                shards
                    .iter()
                    .flat_map(|(k, _)| k * PER_SHARD..(k + 1) * PER_SHARD),
            )
            .filter(|&i| entries.get(i).is_some_and(|e| e.text.is_empty()))
            .collect();
        let read: Vec<(usize, String)> = needed
            .into_par_iter()
            .map(|i| Ok((i, self.rendering(|| texts.text(&entries[i].slug))?)))
            .collect::<Result<_, PublishError>>()?;
        for (i, text) in read {
            entries[i].text = text;
        }
        let docs: Vec<Doc> = search::docs(site, &entries);
        // Each group's term shards, each document shard and the meta file are made side by
        // side, and each file is checked as soon as it is made.
        let terms = groups.par_iter().map(|(g, _)| {
            let end = ((g + 1) * GROUP).min(docs.len());
            let group = &docs[g * GROUP..end];
            // Made ahead of the ledger from the same documents, or made now.
            let ahead = self
                .terms
                .lock()
                .ok()
                .and_then(|mut made| made.remove(&search::group_key(*g, group)));
            match ahead {
                Some(files) => Ok(files),
                None => self.rendering(|| search::term_shards(*g, group)),
            }
        });
        let doc_shards = shards.par_iter().map(|(k, _)| {
            let end = ((k + 1) * PER_SHARD).min(docs.len());
            self.rendering(|| search::doc_shard(*k, &docs[k * PER_SHARD..end]))
                .map(|f| vec![f])
        });
        let meta = rayon::iter::once(Ok(vec![search::meta(docs.len())]));
        let outcomes: Vec<Outcome> = terms
            .chain(doc_shards)
            .chain(meta)
            .map(|files| {
                files?
                    .into_iter()
                    .map(|(path, text)| self.check_and_settle(path, text))
                    .collect::<Result<Vec<Outcome>, PublishError>>()
            })
            .collect::<Result<Vec<Vec<Outcome>>, PublishError>>()?
            .into_iter()
            .flatten()
            .collect();
        // What each shard was made from (the record is saved only if the whole publish passes).
        for (_, shards) in groups.iter().chain(&shards) {
            for p in &shards.paths {
                record.search.insert(p.clone(), shards.fingerprint.clone());
            }
        }
        // The guide's texts, tens of thousands of strings, are freed beside the rest of the run
        // rather than before it can end.
        drop(docs);
        super::drop_aside(entries);
        Ok(Self::tally(outcomes, record, hits))
    }
}
