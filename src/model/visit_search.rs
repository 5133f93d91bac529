//! Finding visits: the 走访 list's filters (走访人, 类型, 月份, free text) and a search that, as
//! more is typed, looks only within the previous answer (200,000 visits at the stress size).
//!
//! The text finds a visit by its resident's name or its reason, by its household's address, or
//! by whatever 居民户's search finds the household by (a name, 5-302, the last digits of a
//! phone or ID number).

use super::finder::{Finder, Query, narrows};
use super::{HouseholdId, Ledger, Visit, VisitKind, WorkerId};
use chrono::{Datelike, NaiveDateTime};
use std::collections::{BTreeMap, HashSet};

/// A visit's place in the ledger: its year and its position in that year's list.
pub type VisitAt = (i32, usize);

/// The visit at `at`.
pub fn visit_at(ledger: &Ledger, (year, index): VisitAt) -> Option<&Visit> {
    ledger.visits.get(&year)?.get(index)
}

/// Which kinds of visit the list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KindFilter {
    /// 全部.
    #[default]
    All,
    /// 一般走访.
    General,
    /// 特殊对象走访.
    Special,
    /// 业务条线, any line of work.
    Line,
}

impl KindFilter {
    /// Every choice, in the order the list offers them.
    pub const ALL: [KindFilter; 4] = [
        KindFilter::All,
        KindFilter::General,
        KindFilter::Special,
        KindFilter::Line,
    ];

    /// The choice in words.
    pub fn label(self) -> &'static str {
        match self {
            KindFilter::All => "全部",
            KindFilter::General => "一般走访",
            KindFilter::Special => "特殊对象走访",
            KindFilter::Line => "业务条线",
        }
    }

    /// Whether a visit of kind `k` is shown.
    pub fn accepts(self, k: &VisitKind) -> bool {
        match self {
            KindFilter::All => true,
            KindFilter::General => *k == VisitKind::General,
            KindFilter::Special => *k == VisitKind::Special,
            KindFilter::Line => matches!(k, VisitKind::LineOfWork(_)),
        }
    }
}

/// What the 走访 list is narrowed to.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct VisitFilters {
    /// 走访人; `None`: everyone.
    pub worker: Option<WorkerId>,
    /// 类型.
    pub kind: KindFilter,
    /// 月份 (year, month); `None`: every month.
    pub month: Option<(i32, u32)>,
    /// 查找: address, resident's name or reason (see the module's doc).
    pub text: String,
}

/// What the search needs of the ledger, computed once until the ledger changes.
#[derive(Default)]
pub struct VisitIndex {
    /// Every visit, newest first.
    all: Vec<VisitAt>,
    /// The months that have visits, newest first.
    months: Vec<(i32, u32)>,
    /// Every household's address, formatted once.
    addresses: Vec<(HouseholdId, String)>,
    /// Each visit's resident name and reason in one flat text, searched with memchr.
    texts: VisitTexts,
}

impl VisitIndex {
    /// Indexes the ledger's visits.
    pub fn new(ledger: &Ledger) -> VisitIndex {
        let mut all: Vec<(NaiveDateTime, i32, usize)> = ledger
            .visits
            .iter()
            .flat_map(|(y, list)| list.iter().enumerate().map(move |(i, v)| (v.at, *y, i)))
            .collect();
        all.sort_unstable_by(|a, b| b.cmp(a));
        let mut months: Vec<(i32, u32)> = all
            .iter()
            .map(|(at, _, _)| (at.year(), at.month()))
            .collect();
        months.dedup();
        let book = &ledger.households;
        VisitIndex {
            all: all.into_iter().map(|(_, y, i)| (y, i)).collect(),
            months,
            addresses: book
                .households
                .iter()
                .map(|h| (h.id, book.address_of(h)))
                .collect(),
            texts: VisitTexts::new(ledger),
        }
    }

    /// The months that have visits, newest first.
    pub fn months(&self) -> &[(i32, u32)] {
        &self.months
    }

    /// The visits that pass `filters`, newest first.
    ///
    /// `previous` is the answer last shown and the filters it was for: when `filters` can only
    /// narrow it (the same choices and more text typed), only those rows are searched, and
    /// they keep the order they were shown in. The second value says whether that happened.
    pub fn search(
        &self,
        ledger: &Ledger,
        finder: Option<&Finder>,
        filters: &VisitFilters,
        previous: Option<(&VisitFilters, &[VisitAt])>,
    ) -> (Vec<VisitAt>, bool) {
        let f = filters;
        let text = f.text.trim();
        let query = |t: &str| Query {
            text: t.to_owned(),
            moved_out: true,
            ..Query::default()
        };
        // Narrowing holds for the text fields (substrings) and, as the finder says, for its
        // matches too (3 digits are a room, 4 the end of a phone: "567" then "5678" widens).
        let narrower = previous.filter(|(old, _)| {
            old.worker == f.worker
                && old.kind == f.kind
                && old.month == f.month
                && text.contains(old.text.trim())
                && narrows(&query(old.text.trim()), &query(text))
        });
        let narrowed = narrower.is_some();
        let base: &[VisitAt] = narrower.map_or(&self.all, |(_, rows)| rows);
        // Households found by the text: by address, or as 居民户's search finds them; once per
        // household, not once per visit.
        let mut found: HashSet<HouseholdId> = HashSet::new();
        if !text.is_empty() {
            if let Some(finder) = finder {
                found.extend(
                    finder
                        .find(&query(text))
                        .into_iter()
                        .filter_map(|i| finder.id(i)),
                );
            }
            found.extend(
                self.addresses
                    .iter()
                    .filter(|(_, a)| a.contains(text))
                    .map(|(id, _)| *id),
            );
        }
        let needle = memchr::memmem::Finder::new(text.as_bytes());
        let rows = base
            .iter()
            .copied()
            .filter(|&at| {
                let Some(v) = visit_at(ledger, at) else {
                    return false;
                };
                f.worker.is_none_or(|w| w == v.worker)
                    && f.kind.accepts(&v.kind)
                    && f.month.is_none_or(|m| m == (v.at.year(), v.at.month()))
                    && (text.is_empty()
                        || found.contains(&v.household)
                        || needle.find(self.texts.of(at)).is_some())
            })
            .collect();
        (rows, narrowed)
    }
}

/// The searchable text of every visit, laid end to end (a scan of 200,000 visits then reads
/// one block of memory instead of 400,000 scattered strings).
#[derive(Default)]
struct VisitTexts {
    /// Where each year's visits start among the bounds.
    years: BTreeMap<i32, usize>,
    /// Start of each visit's text in `text`, and one past the last.
    bounds: Vec<usize>,
    text: String,
}

impl VisitTexts {
    fn new(ledger: &Ledger) -> VisitTexts {
        let mut t = VisitTexts::default();
        for (year, list) in &ledger.visits {
            t.years.insert(*year, t.bounds.len());
            for v in list {
                t.bounds.push(t.text.len());
                t.text.push_str(&v.resident_name);
                t.text.push('\n');
                t.text.push_str(&v.reason);
                t.text.push('\n');
            }
        }
        t.bounds.push(t.text.len());
        t
    }

    fn of(&self, (year, index): VisitAt) -> &[u8] {
        let Some(at) = self.years.get(&year).map(|s| s + index) else {
            return &[];
        };
        match (self.bounds.get(at), self.bounds.get(at + 1)) {
            (Some(&a), Some(&b)) => self.text.as_bytes().get(a..b).unwrap_or_default(),
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoSize, generate};

    fn ledger() -> Ledger {
        generate(
            DemoSize::Typical,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
            5,
        )
    }

    /// Every visit checked one by one against the filters' meaning, without the index.
    fn by_hand(ledger: &Ledger, finder: &Finder, f: &VisitFilters) -> HashSet<VisitAt> {
        let text = f.text.trim();
        let book = &ledger.households;
        let query = Query {
            text: text.to_owned(),
            moved_out: true,
            ..Query::default()
        };
        let found: HashSet<HouseholdId> = finder
            .find(&query)
            .into_iter()
            .filter_map(|i| finder.id(i))
            .collect();
        let mut out = HashSet::new();
        for (year, list) in &ledger.visits {
            for (i, v) in list.iter().enumerate() {
                let address = book
                    .household(v.household)
                    .map(|h| book.address_of(h))
                    .unwrap_or_default();
                let by_text = text.is_empty()
                    || v.resident_name.contains(text)
                    || v.reason.contains(text)
                    || address.contains(text)
                    || found.contains(&v.household);
                if by_text
                    && f.worker.is_none_or(|w| w == v.worker)
                    && f.kind.accepts(&v.kind)
                    && f.month.is_none_or(|m| m == (v.at.year(), v.at.month()))
                {
                    out.insert((*year, i));
                }
            }
        }
        out
    }

    #[test]
    fn every_filter_finds_exactly_the_visits_it_means() {
        let ledger = ledger();
        let finder = Finder::new(&ledger);
        let index = VisitIndex::new(&ledger);
        let first = visit_at(&ledger, index.all[0]).cloned().unwrap_or_else(|| {
            unreachable!("the demo has visits");
        });
        let month = (first.at.year(), first.at.month());
        let address = {
            let book = &ledger.households;
            book.household(first.household)
                .map(|h| book.address_of(h))
                .unwrap_or_default()
        };
        let cases = [
            VisitFilters::default(),
            VisitFilters {
                worker: Some(first.worker),
                ..VisitFilters::default()
            },
            VisitFilters {
                kind: KindFilter::Special,
                ..VisitFilters::default()
            },
            VisitFilters {
                kind: KindFilter::Line,
                month: Some(month),
                ..VisitFilters::default()
            },
            VisitFilters {
                text: first.resident_name.clone(),
                ..VisitFilters::default()
            },
            VisitFilters {
                text: address,
                ..VisitFilters::default()
            },
            VisitFilters {
                text: first.reason.chars().take(3).collect(),
                worker: Some(first.worker),
                ..VisitFilters::default()
            },
        ];
        for f in &cases {
            let (rows, narrowed) = index.search(&ledger, Some(&finder), f, None);
            assert!(!narrowed);
            assert!(!rows.is_empty(), "{f:?} finds the visit it was taken from");
            let got: HashSet<VisitAt> = rows.iter().copied().collect();
            assert_eq!(got.len(), rows.len(), "no visit twice");
            assert_eq!(got, by_hand(&ledger, &finder, f), "{f:?}");
            // Newest first.
            let times: Vec<_> = rows
                .iter()
                .filter_map(|&at| visit_at(&ledger, at).map(|v| v.at))
                .collect();
            assert!(times.windows(2).all(|w| w[0] >= w[1]), "{f:?} newest first");
        }
    }

    #[test]
    fn typing_more_searches_only_the_previous_answer_and_keeps_its_order() {
        let ledger = ledger();
        let finder = Finder::new(&ledger);
        let index = VisitIndex::new(&ledger);
        let name = visit_at(&ledger, index.all[0])
            .map(|v| v.resident_name.clone())
            .unwrap_or_default();
        let surname: String = name.chars().take(1).collect();
        let short = VisitFilters {
            text: surname,
            ..VisitFilters::default()
        };
        let (mut shown, _) = index.search(&ledger, Some(&finder), &short, None);
        // The user sorted the list oldest first.
        shown.reverse();
        let long = VisitFilters {
            text: name,
            ..VisitFilters::default()
        };
        let (rows, narrowed) = index.search(&ledger, Some(&finder), &long, Some((&short, &shown)));
        assert!(narrowed);
        let (fresh, _) = index.search(&ledger, Some(&finder), &long, None);
        let mut expected = fresh.clone();
        expected.reverse();
        assert_eq!(rows, expected, "the same visits, in the order shown");
        // Another worker is not a narrowing of the answer for everyone's visits: a new search.
        let other = VisitFilters {
            worker: Some(WorkerId(999)),
            ..long.clone()
        };
        let (rows, narrowed) = index.search(&ledger, Some(&finder), &other, Some((&long, &fresh)));
        assert!(!narrowed);
        assert!(rows.is_empty());
        // Digits are a room or the end of a phone: "56" then "567" may find other households.
        let digits = VisitFilters {
            text: "56".into(),
            ..VisitFilters::default()
        };
        let more = VisitFilters {
            text: "567".into(),
            ..VisitFilters::default()
        };
        let (rows, _) = index.search(&ledger, Some(&finder), &digits, None);
        let (_, narrowed) = index.search(&ledger, Some(&finder), &more, Some((&digits, &rows)));
        assert!(!narrowed);
    }

    #[test]
    fn months_are_those_with_visits_newest_first() {
        let ledger = ledger();
        let index = VisitIndex::new(&ledger);
        let mut expected: Vec<(i32, u32)> = ledger
            .visits
            .values()
            .flatten()
            .map(|v| (v.at.year(), v.at.month()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        expected.reverse();
        assert_eq!(index.months(), expected);
    }
}
