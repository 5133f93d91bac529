//! Finding problems (问题清单's filters, which combine) and the solve-rate report (raised,
//! solved, solve rate, overall and for prominent problems, by category, path and month), as
//! pure functions of the ledger.

use super::committee::WorkerId;
use super::dates::chinese_date;
use super::ledger::Ledger;
use super::problem::{Problem, ProblemSource, ProblemStatus, ResolutionPath, SolveRate};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Where a problem came from, without the details (for the 来源 filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// 走访
    Visit,
    /// 接待
    Reception,
    /// 12345
    Hotline,
    /// 巡查
    Patrol,
    /// 其他
    Other,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Visit,
        SourceKind::Reception,
        SourceKind::Hotline,
        SourceKind::Patrol,
        SourceKind::Other,
    ];

    /// The kind of a source.
    pub fn of(source: &ProblemSource) -> SourceKind {
        match source {
            ProblemSource::Visit(_) => SourceKind::Visit,
            ProblemSource::Reception(_) => SourceKind::Reception,
            ProblemSource::Hotline(_) => SourceKind::Hotline,
            ProblemSource::Patrol => SourceKind::Patrol,
            ProblemSource::Other(_) => SourceKind::Other,
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Visit => "走访",
            SourceKind::Reception => "接待",
            SourceKind::Hotline => "12345热线",
            SourceKind::Patrol => "巡查",
            SourceKind::Other => "其他",
        }
    }
}

/// The 状态 filter: every status, those still being worked on, or one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// 全部
    #[default]
    All,
    /// 未办结 (待处理 or 处理中)
    NotClosed,
    /// One status.
    Is(ProblemStatus),
}

impl StatusFilter {
    /// Every choice, in the order offered.
    pub fn all() -> Vec<StatusFilter> {
        let mut all = vec![StatusFilter::All, StatusFilter::NotClosed];
        all.extend(ProblemStatus::ALL.map(StatusFilter::Is));
        all
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "全部",
            StatusFilter::NotClosed => "未办结",
            StatusFilter::Is(s) => s.label(),
        }
    }

    fn admits(self, status: ProblemStatus) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::NotClosed => !status.is_closed(),
            StatusFilter::Is(s) => s == status,
        }
    }
}

/// The filters of 问题清单; every one set must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProblemFilters {
    /// Free text: title, details, place, address, 12345 number, answer, steps, or the number.
    pub text: String,
    /// 状态.
    pub status: StatusFilter,
    /// 分类.
    pub category: Option<String>,
    /// 来源.
    pub source: Option<SourceKind>,
    /// 化解路径.
    pub path: Option<ResolutionPath>,
    /// 责任人.
    pub worker: Option<WorkerId>,
    /// Only 突出问题.
    pub prominent: bool,
    /// Only problems not closed with nothing done for this many days (超期).
    pub stale_days: Option<u32>,
    /// Raised on or after.
    pub from: Option<NaiveDate>,
    /// Raised on or before.
    pub to: Option<NaiveDate>,
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProblemSort {
    /// By the day it was raised (its age).
    #[default]
    Raised,
    /// By the day of its latest step.
    LastActivity,
}

/// What the search needs of each problem, built once per ledger change: the words it can be
/// found by (its household's address included) and the day of its latest step.
pub struct ProblemIndex {
    haystacks: Vec<String>,
    last: Vec<NaiveDate>,
}

impl ProblemIndex {
    /// Indexes the ledger's problems (in the order of `ledger.problems.problems`).
    pub fn new(ledger: &Ledger) -> ProblemIndex {
        let book = &ledger.households;
        let mut haystacks = Vec::with_capacity(ledger.problems.problems.len());
        let mut last = Vec::with_capacity(ledger.problems.problems.len());
        for p in &ledger.problems.problems {
            let mut text = format!(
                "第{}号\n{}\n{}\n{}\n{}",
                p.id.0, p.title, p.description, p.location, p.answer
            );
            if let Some(h) = p.household.and_then(|id| book.household(id)) {
                text.push('\n');
                text.push_str(&book.address_of(h));
            }
            match &p.source {
                ProblemSource::Hotline(n) | ProblemSource::Other(n) => {
                    text.push('\n');
                    text.push_str(n);
                }
                _ => {}
            }
            for s in &p.steps {
                text.push('\n');
                text.push_str(&s.note);
                if let super::problem::StepKind::Referred(to) = &s.kind {
                    text.push('\n');
                    text.push_str(to);
                }
            }
            haystacks.push(text.to_lowercase());
            last.push(p.last_activity());
        }
        ProblemIndex { haystacks, last }
    }

    /// The positions (in `ledger.problems.problems`) of the problems that pass `f`, sorted by
    /// `sort` (newest first when `descending`), ties by number.
    pub fn search(
        &self,
        ledger: &Ledger,
        f: &ProblemFilters,
        today: NaiveDate,
        sort: ProblemSort,
        descending: bool,
    ) -> Vec<usize> {
        let words: Vec<String> = f.text.split_whitespace().map(str::to_lowercase).collect();
        let problems = &ledger.problems.problems;
        let mut rows: Vec<usize> = (0..problems.len().min(self.haystacks.len()))
            .filter(|&i| {
                let p = &problems[i];
                f.status.admits(p.status)
                    && f.category.as_ref().is_none_or(|c| *c == p.category)
                    && f.source.is_none_or(|s| s == SourceKind::of(&p.source))
                    && f.path.is_none_or(|path| path == p.path)
                    && f.worker.is_none_or(|w| p.assigned_to == Some(w))
                    && (!f.prominent || p.prominent)
                    && f.stale_days.is_none_or(|days| {
                        !p.status.is_closed()
                            && (today - self.last[i]).num_days() >= i64::from(days)
                    })
                    && f.from.is_none_or(|d| p.raised_on >= d)
                    && f.to.is_none_or(|d| p.raised_on <= d)
                    && words.iter().all(|w| self.haystacks[i].contains(w.as_str()))
            })
            .collect();
        let key = |i: &usize| {
            let day = match sort {
                ProblemSort::Raised => problems[*i].raised_on,
                ProblemSort::LastActivity => self.last[*i],
            };
            (day, problems[*i].id)
        };
        if descending {
            rows.sort_by_key(|i| std::cmp::Reverse(key(i)));
        } else {
            rows.sort_by_key(key);
        }
        rows
    }
}

/// One line of the report: problems raised and solved, all and prominent.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLine {
    /// What the line counts (分类, 路径 or 月份).
    pub label: String,
    /// Every problem.
    pub all: SolveRate,
    /// 突出问题.
    pub prominent: SolveRate,
}

impl ReportLine {
    fn new(label: String) -> ReportLine {
        ReportLine {
            label,
            all: SolveRate::default(),
            prominent: SolveRate::default(),
        }
    }

    fn count(&mut self, p: &Problem) {
        let solved = usize::from(p.status == ProblemStatus::Solved);
        self.all.raised += 1;
        self.all.solved += solved;
        if p.prominent {
            self.prominent.raised += 1;
            self.prominent.solved += solved;
        }
    }
}

/// The solve-rate report over the problems raised in a period (the Huayang form).
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Every problem raised in the period.
    pub overall: ReportLine,
    /// By category, the standard ones first, then the committee's own, as many as have any.
    pub by_category: Vec<ReportLine>,
    /// By resolution path, in the order of the paths.
    pub by_path: Vec<ReportLine>,
    /// By the month raised, in order.
    pub by_month: Vec<ReportLine>,
}

/// Counts the problems raised from `from` to `to` (both included); solved means 已解决 now
/// (已答复 is closed but not solved).
pub fn report<'a>(
    problems: impl IntoIterator<Item = &'a Problem>,
    categories: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> ProblemReport {
    let mut overall = ReportLine::new(format!("{} 至 {}", chinese_date(from), chinese_date(to)));
    let mut by_category: BTreeMap<String, ReportLine> = BTreeMap::new();
    let mut by_path: BTreeMap<usize, ReportLine> = BTreeMap::new();
    let mut by_month: BTreeMap<(i32, u32), ReportLine> = BTreeMap::new();
    for p in problems
        .into_iter()
        .filter(|p| p.raised_on >= from && p.raised_on <= to)
    {
        overall.count(p);
        by_category
            .entry(p.category.clone())
            .or_insert_with(|| ReportLine::new(p.category.clone()))
            .count(p);
        let path = ResolutionPath::ALL
            .iter()
            .position(|&x| x == p.path)
            .unwrap_or_default();
        by_path
            .entry(path)
            .or_insert_with(|| ReportLine::new(p.path.label().to_owned()))
            .count(p);
        let month = (p.raised_on.year(), p.raised_on.month());
        by_month
            .entry(month)
            .or_insert_with(|| ReportLine::new(format!("{}年{}月", month.0, month.1)))
            .count(p);
    }
    // Categories in the committee's order (standard first), then any others by name.
    let mut ordered = Vec::new();
    for c in categories {
        if let Some(line) = by_category.remove(c) {
            ordered.push(line);
        }
    }
    ordered.extend(by_category.into_values());
    ProblemReport {
        from,
        to,
        overall,
        by_category: ordered,
        by_path: by_path.into_values().collect(),
        by_month: by_month.into_values().collect(),
    }
}

/// A percentage as the report prints it: 87.47%, or — with nothing to count.
pub fn percent_text(rate: &SolveRate) -> String {
    rate.percent()
        .map_or("—".to_owned(), |p| format!("{p:.2}%"))
}

/// The 回访 not done yet that are due by `by` (overdue ones too), soonest first: what 走访
/// shows as due. Positions in `ledger.problems.problems`, with each one's due day.
pub fn follow_ups_due(ledger: &Ledger, by: NaiveDate) -> Vec<(usize, NaiveDate)> {
    let problems = &ledger.problems.problems;
    let mut due: Vec<(usize, NaiveDate)> = problems
        .iter()
        .enumerate()
        .filter(|(_, p)| p.status.is_closed())
        .filter_map(|(i, p)| p.follow_up_pending().map(|f| (i, f.due)))
        .filter(|(_, due)| *due <= by)
        .collect();
    due.sort_by_key(|&(i, day)| (day, problems[i].id));
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::problem::sample_problem;
    use crate::model::{HouseholdId, ProblemId, StepKind};

    fn d(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap_or_default()
    }

    #[test]
    fn the_report_matches_a_count_by_hand() {
        use ProblemStatus::*;
        // Hand count, March to April 2026 (problem 9 is in May, outside):
        //   overall   7 raised, 4 solved → 57.14%; prominent 3 raised, 1 solved → 33.33%
        //   环境卫生   4 raised, 3 solved (1, 2, 6) → 75.00%
        //   小区停车   2 raised, 0 solved; 楼组自定 1 raised, 1 solved
        //   March 4 raised (1, 2, 3, 4) 2 solved; April 3 raised (5, 6, 7) 2 solved
        let mut list = vec![
            sample_problem(1, 1, Solved, true),
            sample_problem(2, 5, Solved, false),
            sample_problem(3, 9, Answered, true),
            sample_problem(4, 30, InProgress, false),
            sample_problem(5, 2, Solved, false),
            sample_problem(6, 3, Solved, false),
            sample_problem(7, 4, Open, true),
            sample_problem(9, 5, Solved, true),
        ];
        for (i, month) in [(4, 4), (5, 4), (6, 4), (7, 5)] {
            list[i].raised_on = d(month, list[i].raised_on.day());
        }
        list[3].category = "小区停车".into();
        list[6].category = "小区停车".into();
        list[4].category = "楼组自定".into();
        list[3].path = ResolutionPath::Escalated;
        let categories = vec!["小区停车".to_owned(), "环境卫生".to_owned()];
        let r = report(&list, &categories, d(3, 1), d(4, 30));
        assert_eq!((r.overall.all.raised, r.overall.all.solved), (7, 4));
        assert_eq!(percent_text(&r.overall.all), "57.14%");
        assert_eq!(
            (r.overall.prominent.raised, r.overall.prominent.solved),
            (3, 1)
        );
        assert_eq!(percent_text(&r.overall.prominent), "33.33%");
        let lines = |ls: &[ReportLine]| -> Vec<(String, usize, usize)> {
            ls.iter()
                .map(|l| (l.label.clone(), l.all.raised, l.all.solved))
                .collect()
        };
        assert_eq!(
            lines(&r.by_category),
            [
                ("小区停车".into(), 2, 0),
                ("环境卫生".into(), 4, 3),
                ("楼组自定".into(), 1, 1)
            ]
        );
        assert_eq!(
            lines(&r.by_path),
            [("当场解决".into(), 6, 4), ("上报街镇".into(), 1, 0)]
        );
        assert_eq!(
            lines(&r.by_month),
            [("2026年3月".into(), 4, 2), ("2026年4月".into(), 3, 2)]
        );
        assert_eq!(percent_text(&SolveRate::default()), "—");
        // The Huayang figure for prominent problems: 218 of 331.
        let huayang = SolveRate {
            raised: 331,
            solved: 218,
        };
        assert_eq!(percent_text(&huayang), "65.86%");
    }

    fn ledger_of(problems: Vec<Problem>) -> Ledger {
        let mut ledger = Ledger::default();
        ledger.problems.problems = problems;
        ledger
    }

    #[test]
    fn the_filters_combine_and_each_is_checked_against_a_reading_of_every_problem() {
        use ProblemStatus::*;
        let mut list: Vec<Problem> = (1..=40)
            .map(|i| {
                let status = ProblemStatus::ALL[(i % 4) as usize];
                sample_problem(i, 1 + i % 28, status, i % 3 == 0)
            })
            .collect();
        for (i, p) in list.iter_mut().enumerate() {
            p.category = ["环境卫生", "养宠", "群租"][i % 3].into();
            p.path = ResolutionPath::ALL[i % 5];
            p.assigned_to = Some(WorkerId(1 + (i % 2) as u32));
            p.source = match i % 4 {
                0 => ProblemSource::Patrol,
                1 => ProblemSource::Hotline(format!("12345-{i:04}")),
                2 => ProblemSource::Other("居民代表".into()),
                _ => ProblemSource::Patrol,
            };
            if i % 5 == 0 {
                p.steps.push(crate::model::ProblemStep {
                    on: d(3, 28),
                    note: "已转房管办".into(),
                    by: None,
                    kind: StepKind::Referred("房管办".into()),
                });
            }
        }
        list[7].household = Some(HouseholdId(99));
        let ledger = ledger_of(list.clone());
        let index = ProblemIndex::new(&ledger);
        let today = d(4, 10);
        let search = |f: &ProblemFilters| -> Vec<ProblemId> {
            let mut ids: Vec<ProblemId> = index
                .search(&ledger, f, today, ProblemSort::Raised, false)
                .into_iter()
                .map(|i| ledger.problems.problems[i].id)
                .collect();
            ids.sort();
            ids
        };
        let reading = |keep: &dyn Fn(&Problem) -> bool| -> Vec<ProblemId> {
            list.iter().filter(|p| keep(p)).map(|p| p.id).collect()
        };
        let f = ProblemFilters {
            status: StatusFilter::NotClosed,
            category: Some("环境卫生".into()),
            ..ProblemFilters::default()
        };
        assert_eq!(
            search(&f),
            reading(&|p| !p.status.is_closed() && p.category == "环境卫生")
        );
        let f = ProblemFilters {
            source: Some(SourceKind::Hotline),
            worker: Some(WorkerId(2)),
            prominent: true,
            ..ProblemFilters::default()
        };
        let expect = reading(&|p| {
            matches!(p.source, ProblemSource::Hotline(_))
                && p.assigned_to == Some(WorkerId(2))
                && p.prominent
        });
        assert!(!expect.is_empty());
        assert_eq!(search(&f), expect);
        let f = ProblemFilters {
            status: StatusFilter::Is(Solved),
            path: Some(ResolutionPath::MultiParty),
            from: Some(d(3, 5)),
            to: Some(d(3, 20)),
            ..ProblemFilters::default()
        };
        assert_eq!(
            search(&f),
            reading(&|p| p.status == Solved
                && p.path == ResolutionPath::MultiParty
                && p.raised_on >= d(3, 5)
                && p.raised_on <= d(3, 20))
        );
        // 超期: open and nothing done for 30 days; a step counts as something done.
        let f = ProblemFilters {
            stale_days: Some(30),
            ..ProblemFilters::default()
        };
        let stale = search(&f);
        assert_eq!(stale, reading(&|p| p.is_stale(today, 30)));
        assert!(!stale.is_empty());
        // Free text: words of the title, a 12345 number, a department in a step, the number.
        let text = |t: &str| {
            search(&ProblemFilters {
                text: t.into(),
                ..ProblemFilters::default()
            })
        };
        assert_eq!(text("12345-0005"), [ProblemId(6)]);
        assert_eq!(
            text("房管办 楼道"),
            reading(&|p| p.steps.iter().any(|s| s.note.contains("房管办")))
        );
        assert_eq!(text("第17号"), [ProblemId(17)]);
        assert!(text("没有这个词").is_empty());
    }

    #[test]
    fn the_list_sorts_by_age_or_by_latest_step_ties_by_number() {
        use ProblemStatus::*;
        let mut list = vec![
            sample_problem(1, 10, Open, false),
            sample_problem(2, 5, Open, false),
            sample_problem(3, 10, Open, false),
        ];
        list[1].steps.push(crate::model::ProblemStep {
            on: d(3, 20),
            note: "跟进".into(),
            by: None,
            kind: StepKind::Note,
        });
        let ledger = ledger_of(list);
        let index = ProblemIndex::new(&ledger);
        let f = ProblemFilters::default();
        let ids = |sort, desc| -> Vec<u32> {
            index
                .search(&ledger, &f, d(4, 1), sort, desc)
                .into_iter()
                .map(|i| ledger.problems.problems[i].id.0)
                .collect()
        };
        assert_eq!(ids(ProblemSort::Raised, true), [3, 1, 2]);
        assert_eq!(ids(ProblemSort::Raised, false), [2, 1, 3]);
        assert_eq!(ids(ProblemSort::LastActivity, true), [2, 3, 1]);
    }

    #[test]
    fn follow_ups_are_due_until_done_soonest_first() {
        use crate::model::{FollowUpDone, Verdict};
        let mut list: Vec<Problem> = (1..=4)
            .map(|i| sample_problem(i, i, ProblemStatus::Open, false))
            .collect();
        for (i, due) in [(0, 20), (1, 12), (2, 30)] {
            list[i]
                .close(d(3, 10), None, ProblemStatus::Solved, "好", Some(d(3, due)))
                .unwrap();
        }
        let ledger = ledger_of(list.clone());
        let ids = |ledger: &Ledger, by| -> Vec<u32> {
            follow_ups_due(ledger, by)
                .iter()
                .map(|&(i, _)| ledger.problems.problems[i].id.0)
                .collect()
        };
        assert_eq!(ids(&ledger, d(3, 20)), [2, 1]);
        assert_eq!(ids(&ledger, d(3, 11)), Vec::<u32>::new());
        let done = FollowUpDone {
            on: d(3, 12),
            visit: None,
            verdict: Verdict::Satisfied,
            note: String::new(),
        };
        list[1].record_follow_up(None, done).unwrap();
        assert_eq!(ids(&ledger_of(list), d(3, 31)), [1, 3]);
    }
}
