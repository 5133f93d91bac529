//! The privacy guard: the last step of every publish. It scans every output file, and every file
//! name, for anything personal: ID-number shapes (18 or 15 digits, valid or not, in full-width
//! digits or split by spaces or dashes), mobile numbers, masked IDs and phones, and every name,
//! ID number, phone and room address stored in the ledger (matched with Aho-Corasick on
//! normalised text), except the names of the members who sign notices. Any hit fails the publish.

use crate::model::{Ledger, Payee};
use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use regex::Regex;
use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::sync::{LazyLock, Mutex};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// What kind of personal data a hit looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    /// The shape of an ID number.
    IdShape,
    /// The shape of a mobile number.
    MobileShape,
    /// A masked ID number or phone.
    Masked,
    /// A name stored in the ledger.
    Name,
    /// An ID number stored in the ledger.
    IdNumber,
    /// A phone stored in the ledger.
    Phone,
    /// A room address stored in the ledger.
    Address,
}

impl HitKind {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            HitKind::IdShape => "疑似身份证号",
            HitKind::MobileShape => "疑似手机号",
            HitKind::Masked => "打码的证件号或电话",
            HitKind::Name => "台账中的姓名",
            HitKind::IdNumber => "台账中的身份证号",
            HitKind::Phone => "台账中的电话",
            HitKind::Address => "台账中的门牌室号",
        }
    }
}

/// One thing the guard found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The output file (relative); masked when its name is itself a hit.
    pub file: String,
    /// Line, from 1; 0 for a hit in the file name.
    pub line: usize,
    /// What it looks like.
    pub kind: HitKind,
    /// The surroundings, with the hit masked.
    pub excerpt: String,
}

impl fmt::Display for Hit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(
                f,
                "文件名 {}：{}：{}",
                self.file,
                self.kind.label(),
                self.excerpt
            )
        } else {
            write!(
                f,
                "{} 第 {} 行：{}：{}",
                self.file,
                self.line,
                self.kind.label(),
                self.excerpt
            )
        }
    }
}

/// Text as the guard compares it: full-width ASCII folded to ASCII, letters upper-cased, and
/// whitespace, zero-width characters and dashes dropped, so `１３８ ００１３－８０００` reads as
/// `13800138000` and `张 三` as `张三`.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            // Most of a page is ASCII markup: the short way.
            if !(c.is_ascii_whitespace() || c == '\u{0B}' || c == '-') {
                out.push(c.to_ascii_uppercase());
            }
            continue;
        }
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            other => other,
        };
        let drop = c.is_whitespace()
            || matches!(
                c,
                '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}'
            );
        if !drop {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

static SHAPES: LazyLock<Vec<(HitKind, Regex)>> = LazyLock::new(|| {
    [
        (
            HitKind::IdShape,
            r"(?:^|[^0-9])([0-9]{17}[0-9X]|[0-9]{15})(?:[^0-9]|$)",
        ),
        (
            HitKind::MobileShape,
            r"(?:^|[^0-9])(1[3-9][0-9]{9})(?:[^0-9]|$)",
        ),
        (HitKind::Masked, r"([0-9]{2,}[*＊]{3,}[0-9]{2,}X?)"),
    ]
    .into_iter()
    .filter_map(|(k, re)| Regex::new(re).ok().map(|r| (k, r)))
    .collect()
});

/// The guard, built from the ledger.
pub struct Guard {
    matcher: Option<AhoCorasick>,
    kinds: Vec<HitKind>,
    allowed: Option<AhoCorasick>,
    /// Fingerprint of everything the guard looks for (see [`Guard::key`]).
    key: u128,
    /// Fingerprints of normalised lines already found clean. No hit can span a line (line breaks
    /// are kept by normalisation and are neither digits nor part of a name), so a line clean in
    /// one file is clean in every file: the template lines repeated on every page, and a guide
    /// item's body repeated on its page and its two boards, are scanned once. Sharded to keep
    /// the cores from waiting on one lock; a line with a hit is never recorded.
    clean: Vec<Mutex<HashSet<u128>>>,
}

const CLEAN_SHARDS: usize = 16;

/// A file larger than this is scanned by all the cores at once.
const PARALLEL_BYTES: usize = 1 << 18;

impl Guard {
    /// Collects every name, ID number, phone and room address in the ledger. `allowed` may appear:
    /// the names of the members who sign notices, and the office's public phone.
    pub fn new(ledger: &Ledger, allowed: &[String]) -> Guard {
        let mut patterns: BTreeSet<(String, HitKind)> = BTreeSet::new();
        let mut add = |text: &str, kind: HitKind| {
            let n = normalise(text);
            // One character is a word, not a name.
            if n.chars().count() >= 2 {
                patterns.insert((n, kind));
            }
        };
        let book = &ledger.households;
        for h in &book.households {
            if let Some(p) = &h.phone {
                add(p.as_str(), HitKind::Phone);
            }
            if let Some(b) = book.building(h.building) {
                let number = b.number.trim_end_matches('号');
                add(&format!("{}{}室", b.number, h.room), HitKind::Address);
                add(&format!("{}{}", b.number, h.room), HitKind::Address);
                add(&format!("{number}号楼{}室", h.room), HitKind::Address);
                // `12-302` is left out on purpose: digits alone cannot be told from a count or
                // an item number (第1230项), and the guard must not cry wolf.
            }
            for p in &h.members {
                add(&p.name, HitKind::Name);
                if let Some(id) = &p.id_number {
                    add(id.as_str(), HitKind::IdNumber);
                }
                if let Some(ph) = &p.phone {
                    add(ph.as_str(), HitKind::Phone);
                }
            }
        }
        for w in &ledger.committee.workers {
            if !w.signs_notices {
                add(&w.name, HitKind::Name);
            }
            if let Some(ph) = &w.phone {
                add(ph.as_str(), HitKind::Phone);
            }
        }
        for v in ledger.all_visits() {
            add(&v.resident_name, HitKind::Name);
        }
        for r in &ledger.desk.receptions {
            if let Some(name) = &r.visitor {
                add(name, HitKind::Name);
            }
            if let Some(ph) = &r.visitor_phone {
                add(ph.as_str(), HitKind::Phone);
            }
        }
        for f in ledger.funds.values() {
            for p in &f.payments {
                if let Payee::Individual { name, .. } = &p.payee {
                    add(name, HitKind::Name);
                }
            }
        }
        let allowed_norm: Vec<String> = allowed
            .iter()
            .map(|a| normalise(a))
            .filter(|a| !a.is_empty())
            .collect();
        patterns.retain(|(p, _)| !allowed_norm.contains(p));
        let mut key = Xxh3::new();
        for (text, kind) in &patterns {
            key.update(text.as_bytes());
            key.update(&[0, *kind as u8, 0]);
        }
        for a in &allowed_norm {
            key.update(a.as_bytes());
            key.update(&[1]);
        }
        let (texts, kinds): (Vec<String>, Vec<HitKind>) = patterns.into_iter().unzip();
        // Standard semantics: every overlapping occurrence is reported.
        let build = |list: &[String]| {
            (!list.is_empty())
                .then(|| AhoCorasick::new(list).ok())
                .flatten()
        };
        Guard {
            matcher: build(&texts),
            kinds,
            allowed: (!allowed_norm.is_empty())
                .then(|| {
                    AhoCorasick::builder()
                        .match_kind(MatchKind::LeftmostLongest)
                        .build(&allowed_norm)
                        .ok()
                })
                .flatten(),
            key: key.digest128(),
            clean: (0..CLEAN_SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// A fingerprint of what this guard looks for in the ledger (names, numbers and addresses,
    /// and the allowed names). Its rules are code: the publish cache keys on the program too.
    pub fn key(&self) -> u128 {
        self.key
    }

    fn shard(&self, line: u128) -> std::sync::MutexGuard<'_, HashSet<u128>> {
        // A poisoned shard only means another scan panicked; its set is still valid.
        let i = (line % CLEAN_SHARDS as u128) as usize;
        self.clean[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Scans one file (its name and its text). When the name itself holds a hit, every hit of
    /// the file is reported under the masked name, so the report never repeats the leak.
    pub fn scan(&self, file: &str, text: &str) -> Vec<Hit> {
        let name = normalise(file);
        let mut hits: Vec<Hit> = self
            .spans(&name)
            .into_iter()
            .map(|(kind, start, end)| Hit {
                file: String::new(),
                line: 0,
                kind,
                excerpt: excerpt(&name, start, end),
            })
            .collect();
        let shown = hits
            .first()
            .map_or_else(|| file.to_owned(), |h| h.excerpt.clone());
        // Line by line: normalisation keeps line breaks and changes nothing across them, so a
        // line already found clean, in this file or another, is skipped before it is even
        // normalised. A large file (the search index) is shared among the cores.
        let lines = text.split('\n').enumerate();
        if text.len() > PARALLEL_BYTES {
            let lines: Vec<(usize, &str)> = lines.collect();
            hits.par_extend(
                lines
                    .into_par_iter()
                    .flat_map_iter(|(i, raw)| self.scan_line(i + 1, raw)),
            );
        } else {
            hits.extend(lines.flat_map(|(i, raw)| self.scan_line(i + 1, raw)));
        }
        for h in &mut hits {
            h.file.clone_from(&shown);
        }
        hits
    }

    /// The hits of line number `number` of a file (the file's name is filled in by the caller).
    fn scan_line(&self, number: usize, raw: &str) -> Vec<Hit> {
        if raw.is_empty() {
            return Vec::new();
        }
        let fingerprint = xxh3_128(raw.as_bytes());
        if self.shard(fingerprint).contains(&fingerprint) {
            return Vec::new();
        }
        let line = normalise(raw);
        let spans = self.spans(&line);
        if spans.is_empty() {
            self.shard(fingerprint).insert(fingerprint);
        }
        spans
            .into_iter()
            .map(|(kind, start, end)| Hit {
                file: String::new(),
                line: number,
                kind,
                excerpt: excerpt(&line, start, end),
            })
            .collect()
    }

    /// Every hit in normalised text: its kind and byte range.
    fn spans(&self, norm: &str) -> Vec<(HitKind, usize, usize)> {
        let mut hits = Vec::new();
        // Every shape needs eleven digits in a row or an asterisk: most lines have neither.
        let mut run = 0;
        let may_have_shape = norm.bytes().any(|b| {
            run = if b.is_ascii_digit() { run + 1 } else { 0 };
            run >= 11 || b == b'*'
        });
        for (kind, re) in SHAPES.iter().filter(|_| may_have_shape) {
            for caps in re.captures_iter(norm) {
                if let Some(m) = caps.get(1) {
                    hits.push((*kind, m.start(), m.end()));
                }
            }
        }
        if let Some(matcher) = &self.matcher {
            let allowed: Vec<(usize, usize)> = self
                .allowed
                .as_ref()
                .map(|a| a.find_iter(norm).map(|m| (m.start(), m.end())).collect())
                .unwrap_or_default();
            let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            for m in matcher.find_overlapping_iter(norm) {
                let kind = self.kinds[m.pattern().as_usize()];
                let (start, end) = (m.start(), m.end());
                // A number inside a longer number (a voucher, an amount) is not that number.
                if norm[start..end].bytes().all(|b| b.is_ascii_digit())
                    && (digit(norm[..start].chars().next_back())
                        || digit(norm[end..].chars().next()))
                {
                    continue;
                }
                // A name inside a signer's name (张丽 in 张丽华) is the signer.
                if kind == HitKind::Name && allowed.iter().any(|(s, e)| *s <= start && end <= *e) {
                    continue;
                }
                hits.push((kind, start, end));
            }
        }
        hits
    }
}

/// Ten characters either side, the hit itself masked after its first character.
fn excerpt(norm: &str, start: usize, end: usize) -> String {
    let before: String = {
        let mut v: Vec<char> = norm[..start].chars().rev().take(10).collect();
        v.reverse();
        v.into_iter().collect()
    };
    let after: String = norm[end..].chars().take(10).collect();
    let mut found = norm[start..end].chars();
    let first = found.next().map(String::from).unwrap_or_default();
    let masked: String = found.map(|_| '*').collect();
    format!("…{before}【{first}{masked}】{after}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_full_width_and_split_digits() {
        assert_eq!(normalise("１３８ ００１３－８０００"), "13800138000");
        assert_eq!(normalise("张　三"), "张三");
        assert_eq!(normalise("3101\u{200B}05x"), "310105X");
    }

    #[test]
    fn shapes_are_found_without_a_ledger() {
        let guard = Guard::new(&Ledger::default(), &[]);
        for (text, kind) in [
            ("证号 11010519491231002X 在此", HitKind::IdShape),
            ("证号 110105 1949 1231 0021", HitKind::IdShape),
            ("旧证 110105491231002", HitKind::IdShape),
            ("电话 139-1234-5678", HitKind::MobileShape),
            ("打码 3101**********1234", HitKind::Masked),
            ("打码 138****5678", HitKind::Masked),
        ] {
            let hits = guard.scan("a.html", text);
            assert!(hits.iter().any(|h| h.kind == kind), "{text}: {hits:?}");
            assert!(
                hits.iter()
                    .all(|h| !h.excerpt.contains("5678") || h.kind != kind)
            );
        }
        assert!(
            guard
                .scan(
                    "a.html",
                    "金额 12,345.00 元，凭证 PZ-2026-0012，日期 2026年1月5日"
                )
                .is_empty()
        );
    }
}
