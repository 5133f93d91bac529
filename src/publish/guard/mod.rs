//! The privacy guard: the last step of every publish, and the reason a public site is possible.
//!
//! Every output file is read as a reader would see it ([`extract`]): the page text with the
//! markup removed, as one text across elements and line breaks; every tag's attributes; comments,
//! scripts and styles; the file's own name. Each is put in one canonical form ([`canon`]): NFKC,
//! invisible characters dropped, entities and percent-encoding decoded, Chinese numerals read
//! as digits, separators between digits ignored. In that form the guard looks for:
//!
//! - shapes of personal numbers, ledger or not ([`shapes`]): 18- and 15-digit ID numbers,
//!   mobile numbers with any prefix (+86, 0086), masked IDs and phones with any mask character;
//! - every personal value in the ledger, in every spelling a person would write ([`values`]):
//!   names, ID numbers, phones and landlines, room addresses (`21号楼701室`, `21-701`, …),
//!   household-register addresses, payees, organisations' contact people and phones, all
//!   looked for at once by one automaton ([`matcher`]).
//!
//! Allowed values (the signers' names, the office's phone and address) are allowed only as
//! themselves: a signer's name where it signs (an element marked `data-signer`), the office
//! phone and address where they stand whole. Any other hit fails the publish. Hits are data
//! ([`Hit`]): the file, line and place, the kind, a masked form, a masked excerpt, and where the
//! value came from ([`Source`], filled in by the publish).

mod canon;
mod extract;
mod matcher;
mod shapes;
mod values;

pub use canon::{Canon, canon};
pub use extract::Place;
pub use values::Allowed;

use crate::model::Ledger;
use rayon::prelude::*;
use std::fmt;
use std::sync::OnceLock;
use values::Pattern;
use xxhash_rust::xxh3::Xxh3;

/// What kind of personal data a hit looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// A room or household-register address stored in the ledger.
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
            HitKind::Address => "台账中的住址",
        }
    }

    /// Whether the kind names a value stored in the ledger (rather than a shape).
    fn is_ledger_value(self) -> bool {
        matches!(
            self,
            HitKind::Name | HitKind::IdNumber | HitKind::Phone | HitKind::Address
        )
    }
}

/// Where a value that reached the output came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// The ledger record the value belongs to (a resident, a visitor, a payee…).
    Owner {
        /// The record, e.g. `居民户（内部编号 12）`.
        record: String,
        /// The field, e.g. `成员电话`.
        field: String,
    },
    /// The public field of the ledger that carried it to the page.
    Record {
        /// The record, e.g. `实事项目 2026-1`.
        record: String,
        /// The field, e.g. `需求`.
        field: String,
    },
    /// A content file (the 百事汇 guide).
    Content {
        /// Path relative to the committee folder.
        file: String,
        /// Line, from 1 (0 for the file's name).
        line: usize,
        /// Front-matter field, `正文` or `文件名`.
        field: String,
    },
    /// The site settings (`site.ron`).
    Settings {
        /// The setting.
        field: String,
    },
    /// A file of the theme.
    Theme {
        /// Path relative to the committee folder.
        file: String,
        /// Line, from 1.
        line: usize,
    },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Owner { record, field } => write!(f, "台账中{record}的{field}"),
            Source::Record { record, field } => write!(f, "{record}的“{field}”"),
            Source::Content { file, line: 0, .. } => write!(f, "内容文件 {file} 的文件名"),
            Source::Content { file, line, field } => {
                write!(f, "内容文件 {file} 第 {line} 行（{field}）")
            }
            Source::Settings { field } => write!(f, "网站设置的“{field}”"),
            Source::Theme { file, line } => write!(f, "主题文件 {file} 第 {line} 行"),
        }
    }
}

/// One thing the guard found. Nothing in it is the value itself: the value is masked, and the
/// excerpt masks it and every other value found near it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The output file (relative); masked when its name is itself a hit.
    pub file: String,
    /// Line, from 1; 0 for a hit in the file name.
    pub line: usize,
    /// Where in the file.
    pub place: Place,
    /// What it looks like.
    pub kind: HitKind,
    /// The value, masked (`138****8000`, `钱**`).
    pub masked: String,
    /// The surroundings, every value in them masked.
    pub excerpt: String,
    /// Where the value came from (filled in by the publish; empty when no input holds it as
    /// written, e.g. a value split across two fields).
    pub sources: Vec<Source>,
    /// A fingerprint of the value in canonical form, to find it among the inputs.
    pub(crate) value: u128,
}

impl fmt::Display for Hit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "文件名 {}", self.file)?;
        } else {
            write!(
                f,
                "{} 第 {} 行（{}）",
                self.file,
                self.line,
                self.place.label()
            )?;
        }
        write!(
            f,
            "：{}“{}”，附近文字：{}",
            self.kind.label(),
            self.masked,
            self.excerpt
        )?;
        if !self.sources.is_empty() {
            // The inputs that carried it first, then the records it belongs to; a value many
            // records share is named by its first three.
            let mut sources: Vec<&Source> = self.sources.iter().collect();
            sources.sort_by_key(|s| matches!(s, Source::Owner { .. }));
            let owners = sources
                .iter()
                .filter(|s| matches!(s, Source::Owner { .. }))
                .count();
            let carriers = sources.len() - owners;
            let shown: Vec<String> = sources
                .iter()
                .take(carriers + owners.min(3))
                .map(ToString::to_string)
                .collect();
            write!(f, "；来自 {}", shown.join("、"))?;
            if owners > 3 {
                write!(f, " 等 {owners} 条台账记录")?;
            }
        }
        Ok(())
    }
}

/// A hit in one canonical text, before it is placed in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What it looks like.
    pub kind: HitKind,
    /// Byte range in the canonical text.
    pub start: usize,
    /// End of the range.
    pub end: usize,
    /// The pattern it matched, for a ledger value.
    pub pattern: Option<usize>,
}

/// The guard, built from the ledger.
pub struct Guard {
    /// Every personal value as the ledger holds it.
    wanted: Vec<values::Wanted>,
    /// Their patterns and the matcher, made on the first scan: a publish that has nothing new
    /// to check needs only the fingerprint.
    built: OnceLock<Built>,
    allowed: values::AllowedMatch,
    /// Fingerprint of everything the guard looks for (see [`Guard::key`]).
    key: u128,
}

/// How many pages make a large check: a guide page and its share of the search index hold
/// about 10 KB of text, and the faster automaton pays for its building from about 10 MB.
pub const LARGE_CHECK: usize = 1000;

/// The values' patterns in canonical form, and one matcher for all of them.
struct Built {
    matcher: Option<matcher::Matcher>,
    patterns: Vec<Pattern>,
}

/// An output file as the guard reads it, before anything is looked for in it: its name and
/// what a reader can see of it, in canonical form. Reading needs no pattern, so a publish
/// reads the pages it has rendered while the guard's patterns are still being made.
pub struct Reading {
    file: String,
    texts: Vec<(Place, Canon)>,
}

impl Reading {
    /// `file` (its path in the output) with content `text`, read whole; `None` for a large file,
    /// which [`Guard::scan`] reads in pieces, each dropped once checked.
    pub fn of(file: &str, text: &str) -> Option<Reading> {
        (!extract::in_pieces(file, text)).then(|| Reading::whole(file, text))
    }

    fn whole(file: &str, text: &str) -> Reading {
        Reading {
            file: file.to_owned(),
            texts: extract::texts(file, text),
        }
    }
}

impl Guard {
    /// Collects every personal value of the ledger, in every spelling. `allowed` may appear,
    /// each only as itself.
    pub fn new(ledger: &Ledger, allowed: &Allowed) -> Guard {
        let wanted = values::collect(ledger);
        let allowed = values::AllowedMatch::new(allowed);
        let mut key = Xxh3::new();
        for w in &wanted {
            w.fingerprint_into(&mut key);
        }
        key.update(&allowed.key().to_le_bytes());
        Guard {
            wanted,
            built: OnceLock::new(),
            allowed,
            key: key.digest128(),
        }
    }

    /// Makes the patterns and the matcher now, rather than at the first scan (a publish that is
    /// sure to check something does it beside other work), for a check of about `pages` pages:
    /// from `LARGE_CHECK` (1,000) on, with the automaton that takes longer to build and reads
    /// faster.
    pub fn prepare(&self, pages: usize) {
        self.built.get_or_init(|| self.build(pages >= LARGE_CHECK));
    }

    /// Whether the patterns and the matcher are made: a check now would not wait for them.
    pub fn is_ready(&self) -> bool {
        self.built.get().is_some()
    }

    /// The patterns and the matcher, made on first use (for a small check) unless prepared.
    fn built(&self) -> &Built {
        self.built.get_or_init(|| self.build(false))
    }

    fn build(&self, large: bool) -> Built {
        let (texts, patterns) = values::build(&self.wanted);
        let matcher = matcher::Matcher::new(&texts, large);
        Built { matcher, patterns }
    }

    /// A fingerprint of what this guard looks for in the ledger (values and allowed values).
    /// Its rules are code: the publish cache keys on the program too.
    pub fn key(&self) -> u128 {
        self.key
    }

    /// Scans one output file: its name and what a reader can see of it. When the name itself
    /// holds a hit, every hit of the file is reported under the masked name.
    pub fn scan(&self, file: &str, text: &str) -> Vec<Hit> {
        match extract::pieces(file, text) {
            None => self.hits(&Reading::whole(file, text)),
            // A large file (the search index) by all the cores, each piece read and checked
            // and dropped in turn; the pieces overlap by a line.
            Some(pieces) => {
                let (mut hits, shown) = self.name_hits(file);
                hits.par_extend(pieces.into_par_iter().flat_map_iter(|(from, to, line)| {
                    self.hits_in(&extract::plain(&text[from..to], line), Place::Text)
                }));
                let mut seen = std::collections::HashSet::new();
                hits.retain(|h| seen.insert((h.line, h.kind, h.value, h.place)));
                for h in &mut hits {
                    h.file.clone_from(&shown);
                }
                hits
            }
        }
    }

    /// The hits of a file read beforehand, as [`Guard::scan`] finds them in it.
    pub fn hits(&self, reading: &Reading) -> Vec<Hit> {
        let (mut hits, shown) = self.name_hits(&reading.file);
        for (place, text) in &reading.texts {
            hits.extend(self.hits_in(text, *place));
        }
        for h in &mut hits {
            h.file.clone_from(&shown);
        }
        hits
    }

    /// The hits in a file's name (on line 0), and the name as its hits may show it.
    fn name_hits(&self, file: &str) -> (Vec<Hit>, String) {
        let mut hits = self.hits_in(&canon(file), Place::FileName);
        for h in &mut hits {
            h.line = 0;
        }
        let shown = if hits.is_empty() {
            file.to_owned()
        } else {
            masked_path(file)
        };
        (hits, shown)
    }

    /// `path` as a message may show it: masked when it holds a hit.
    pub fn shown_path(&self, path: &str) -> String {
        if self.find(&canon(path)).is_empty() {
            path.to_owned()
        } else {
            masked_path(path)
        }
    }

    /// Scans a text that is not an output (a content file, the settings): its hits, each with
    /// its line. Used to find where a refused value came from.
    pub fn scan_source(&self, text: &str) -> Vec<Hit> {
        extract::texts("source.html", text)
            .into_iter()
            .flat_map(|(place, text)| self.hits_in(&text, place))
            .collect()
    }

    /// The hits of one canonical text, as [`Hit`]s (file not yet filled in).
    fn hits_in(&self, text: &Canon, place: Place) -> Vec<Hit> {
        let found = self.find(text);
        if found.is_empty() {
            return Vec::new();
        }
        found
            .iter()
            .map(|f| {
                let value = &text.text[f.start..f.end];
                Hit {
                    file: String::new(),
                    line: text.line(f.start) as usize,
                    place,
                    kind: f.kind,
                    masked: mask_value(f.kind, value),
                    excerpt: excerpt(text, f, &found),
                    sources: f
                        .pattern
                        .map(|p| values::owners(&self.wanted, &self.built().patterns[p]))
                        .unwrap_or_default(),
                    value: fingerprint(value),
                }
            })
            .collect()
    }

    /// Every hit in a canonical text.
    pub fn find(&self, text: &Canon) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        let built = self.built();
        if let Some(matcher) = &built.matcher {
            for (start, end, p) in matcher.find(&text.text) {
                let pattern = &built.patterns[p];
                if !pattern.rule.holds(text, start, end) {
                    continue;
                }
                if self.allowed.covers(text, pattern.kind, start, end) {
                    continue;
                }
                found.push(Found {
                    kind: pattern.kind,
                    start,
                    end,
                    pattern: Some(p),
                });
            }
        }
        // A shape where a ledger value was found says nothing more.
        for s in shapes::find(text) {
            if !found
                .iter()
                .any(|f| f.kind.is_ledger_value() && f.start < s.end && s.start < f.end)
            {
                found.push(s);
            }
        }
        found.sort_by_key(|f| (f.start, f.end, f.kind));
        found.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.kind == b.kind);
        // One spelling inside a longer one of the same kind (5号302 in 5号302室) is one hit.
        let all = found.clone();
        found.retain(|f| {
            !all.iter().any(|g| {
                g.kind == f.kind
                    && g.start <= f.start
                    && f.end <= g.end
                    && (g.end - g.start) > (f.end - f.start)
            })
        });
        found
    }
}

/// The fingerprint of a canonical value.
pub(crate) fn fingerprint(value: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(value.as_bytes())
}

/// A value masked for a message: a name keeps its first character, a number its first three
/// and last four digits (fewer when it is short), anything else its first character.
fn mask_value(kind: HitKind, value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let (front, back) = match kind {
        HitKind::Name | HitKind::Address => (1, 0),
        _ if n >= 11 => (3, 4),
        _ if n >= 7 => (2, 2),
        _ => (1, 0),
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < front || i + back >= n { *c } else { '*' })
        .collect()
}

/// Ten characters either side of a hit, every hit among them masked, and every other run of
/// five or more digits masked too (it may be a number the ledger does not hold).
fn excerpt(text: &Canon, hit: &Found, all: &[Found]) -> String {
    let s = &text.text;
    let from = s[..hit.start]
        .char_indices()
        .rev()
        .nth(9)
        .map_or(0, |(i, _)| i);
    let to = s[hit.end..]
        .char_indices()
        .nth(10)
        .map_or(s.len(), |(i, _)| hit.end + i);
    let window: Vec<(usize, char)> = s[from..to]
        .char_indices()
        .map(|(i, c)| (from + i, c))
        .collect();
    let mut masked: Vec<char> = window
        .iter()
        .map(|(i, c)| {
            let in_hit = all.iter().find(|f| f.start <= *i && *i < f.end);
            match in_hit {
                Some(f) if *i != f.start => '*',
                _ => *c,
            }
        })
        .collect();
    // Long digit runs.
    let mut k = 0;
    while k < window.len() {
        if window[k].1.is_ascii_digit() {
            let start = k;
            while k < window.len() && window[k].1.is_ascii_digit() {
                k += 1;
            }
            if k - start >= 5 {
                for c in &mut masked[start + 1..k] {
                    *c = '*';
                }
            }
        } else {
            k += 1;
        }
    }
    let body: String = masked.into_iter().collect();
    format!(
        "{}{body}{}",
        if from > 0 { "…" } else { "" },
        if to < s.len() { "…" } else { "" }
    )
}

/// A file's path with a hit in it, every digit and every character that is not ASCII masked:
/// `guide/item***********.html`.
fn masked_path(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii_digit() || !c.is_ascii() {
                '*'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::BTreeSet;

    fn guard() -> Guard {
        Guard::new(&Ledger::default(), &Allowed::default())
    }

    #[test]
    fn shapes_are_found_without_a_ledger() {
        let guard = guard();
        for (text, kind) in [
            ("证号 11010519491231002X 在此", HitKind::IdShape),
            ("证号 110105 1949 1231 0021", HitKind::IdShape),
            ("旧证 110105491231002", HitKind::IdShape),
            ("电话 139-1234-5678", HitKind::MobileShape),
            ("电话 +86 139 1234 5678", HitKind::MobileShape),
            ("电话 008613912345678", HitKind::MobileShape),
            ("打码 3101**********1234", HitKind::Masked),
            ("打码 138****5678", HitKind::Masked),
            ("打码 138xxxx5678", HitKind::Masked),
        ] {
            let hits = guard.scan("a.html", text);
            assert!(hits.iter().any(|h| h.kind == kind), "{text}: {hits:?}");
            for h in &hits {
                assert!(!h.to_string().contains("5678 ") && !h.excerpt.contains("1234"));
            }
        }
    }

    #[test]
    fn ordinary_public_text_passes() {
        let guard = guard();
        for text in [
            "金额 12,345.00 元，凭证 PZ-2026-0012，日期 2026年1月5日",
            "沪府办〔2021〕12号；2026-11-29 至 2026-12-31；第 3 期",
            "<table><tr><td>2026-05-01</td><td>1200.00</td><td>2026-0012</td></tr></table>",
            "二〇二六年十一月二十九日，共计一百二十人次",
        ] {
            let hits = guard.scan("a.html", text);
            assert!(hits.is_empty(), "{text}: {hits:?}");
        }
    }

    #[test]
    fn a_large_check_finds_what_a_small_one_finds() {
        let ledger = crate::demo::generate(
            crate::demo::DemoSize::Typical,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
            7,
        );
        let (small, large) = (
            Guard::new(&ledger, &Allowed::default()),
            Guard::new(&ledger, &Allowed::default()),
        );
        small.prepare(1);
        large.prepare(LARGE_CHECK);
        let is_large = |g: &Guard| g.built().matcher.as_ref().map(matcher::Matcher::is_large);
        assert_eq!(
            (is_large(&small), is_large(&large)),
            (Some(false), Some(true))
        );
        // Every 37th value the ledger holds, each in a paragraph of its own.
        let page: String = small
            .wanted
            .iter()
            .step_by(37)
            .map(|w| format!("<p>请联系{}办理。</p>\n", w.raw()))
            .collect();
        let key = |h: &Hit| (h.line, h.kind, h.masked.clone(), h.place);
        let a: Vec<_> = small.scan("a.html", &page).iter().map(key).collect();
        let b: Vec<_> = large.scan("a.html", &page).iter().map(key).collect();
        assert!(a.len() > 100, "{}", a.len());
        assert_eq!(a, b);
    }

    #[test]
    fn a_file_read_before_the_patterns_are_made_has_the_hits_of_a_scan() {
        let ledger = crate::demo::generate(
            crate::demo::DemoSize::Typical,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
            7,
        );
        // Residents' names (the ledger's values that are all Chinese characters).
        let names: Vec<String> = Guard::new(&ledger, &Allowed::default())
            .wanted
            .iter()
            .map(|w| w.raw().to_owned())
            .filter(|v| {
                v.chars().count() >= 2 && v.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            })
            .step_by(17)
            .collect();
        assert!(names.len() > 20, "{}", names.len());
        // Values in the text (split by a line break), an attribute, a comment, a script, and
        // a file named after one; a plain file; a large plain file, which is read in pieces.
        let page = format!(
            "<p>请联系{}\n办理。</p>\n<img alt=\"{}\">\n<!-- {} -->\n<script>var a=\"{}\";</script>\n",
            names[0], names[1], names[2], names[3]
        );
        let files = [
            ("guide/a.html".to_owned(), page),
            (format!("guide/{}.html", names[4]), "<p>无</p>".to_owned()),
            ("search/d/a.js".to_owned(), format!("[\"{}\"]", names[5])),
        ];
        let reader = Guard::new(&ledger, &Allowed::default());
        let readings: Vec<Reading> = files
            .iter()
            .map(|(file, text)| Reading::of(file, text).expect("read whole"))
            .collect();
        // Read with no pattern made; checked once they are.
        assert!(!reader.is_ready());
        let scanner = Guard::new(&ledger, &Allowed::default());
        for ((file, text), reading) in files.iter().zip(&readings) {
            let scanned = scanner.scan(file, text);
            assert_eq!(reader.hits(reading), scanned, "{file}");
            let places: BTreeSet<(Place, usize)> =
                scanned.iter().map(|h| (h.place, h.line)).collect();
            let expected: &[(Place, usize)] = match file.as_str() {
                "guide/a.html" => &[
                    (Place::Text, 1),
                    (Place::Attribute, 3),
                    (Place::Comment, 4),
                    (Place::Code, 5),
                ],
                "search/d/a.js" => &[(Place::Text, 1)],
                _ => &[(Place::FileName, 0)],
            };
            assert_eq!(
                places,
                expected.iter().copied().collect(),
                "{file}: {scanned:?}"
            );
        }
        assert!(reader.is_ready());
        let large = "[\"公开\"]\n".repeat(extract::CHUNK / 8);
        assert!(Reading::of("search/d/b.js", &large).is_none());
        assert!(Reading::of("guide/b.html", &large).is_some());
    }

    /// The patterns are made on first use, inside a parallel check, on a pool of more threads
    /// than this machine's cores: the thread that makes them must not take up another check
    /// meanwhile (it would wait for itself). A hang is reported as a failure after a minute.
    #[test]
    fn patterns_made_inside_a_parallel_check_on_many_threads_do_not_wait_for_themselves() {
        let ledger = crate::demo::generate(
            crate::demo::DemoSize::Typical,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
            7,
        );
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(6)
                .build()
                .expect("pool");
            let pages: Vec<String> = (0..12)
                .map(|i| format!("<p>第{i}页，办理须知。</p>"))
                .collect();
            for _ in 0..20 {
                let guard = Guard::new(&ledger, &Allowed::default());
                let hits: usize = pool.install(|| {
                    pages
                        .par_iter()
                        .map(|p| guard.scan("a.html", p).len())
                        .sum()
                });
                assert_eq!(hits, 0);
            }
            let _ = done.send(());
        });
        assert!(
            finished
                .recv_timeout(std::time::Duration::from_secs(60))
                .is_ok(),
            "the check never finished"
        );
    }

    #[test]
    fn a_value_is_masked_for_the_message() {
        assert_eq!(mask_value(HitKind::Phone, "13800138000"), "138****8000");
        assert_eq!(mask_value(HitKind::Name, "钱多多"), "钱**");
        assert_eq!(
            mask_value(HitKind::IdNumber, "440524188001010014"),
            "440***********0014"
        );
    }
}
