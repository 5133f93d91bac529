//! The problem list (问题清单): needs heard, how each is being solved, and the solve rate.

use super::committee::WorkerId;
use super::desk::ReceptionId;
use super::household::HouseholdId;
use super::project::ProjectId;
use super::visit::VisitId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Identifies a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProblemId(pub u32);

/// The standard categories; a committee may add its own.
pub const STANDARD_PROBLEM_CATEGORIES: [&str; 10] = [
    "物业治理",
    "小区停车",
    "养宠",
    "环境卫生",
    "加装电梯",
    "旧区改造",
    "违章搭建",
    "群租",
    "安全隐患",
    "其他",
];

/// Where a problem came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProblemSource {
    /// Heard on a visit.
    Visit(VisitId),
    /// Logged at the desk.
    Reception(ReceptionId),
    /// A 12345 hotline ticket, with its number.
    Hotline(String),
    /// Seen on a patrol (巡查).
    Patrol,
    /// Anything else, described.
    Other(String),
}

impl ProblemSource {
    /// The Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            ProblemSource::Visit(_) => "走访",
            ProblemSource::Reception(_) => "接待",
            ProblemSource::Hotline(_) => "12345热线",
            ProblemSource::Patrol => "巡查",
            ProblemSource::Other(_) => "其他",
        }
    }
}

/// How a problem is being solved (Putuo 000, 分类分层化解).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResolutionPath {
    /// 当场解决
    OnTheSpot,
    /// 民主协商 ("1+3+X")
    Consultation,
    /// 条线专项 (a line department)
    LineDepartment,
    /// 多方联动 (several departments, 居村有话说)
    MultiParty,
    /// 上报街镇
    Escalated,
}

impl ResolutionPath {
    /// Every path.
    pub const ALL: [ResolutionPath; 5] = [
        ResolutionPath::OnTheSpot,
        ResolutionPath::Consultation,
        ResolutionPath::LineDepartment,
        ResolutionPath::MultiParty,
        ResolutionPath::Escalated,
    ];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ResolutionPath::OnTheSpot => "当场解决",
            ResolutionPath::Consultation => "民主协商",
            ResolutionPath::LineDepartment => "条线专项",
            ResolutionPath::MultiParty => "多方联动",
            ResolutionPath::Escalated => "上报街镇",
        }
    }
}

/// Where a problem stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProblemStatus {
    /// 待处理
    Open,
    /// 处理中
    InProgress,
    /// 已解决
    Solved,
    /// 已答复（暂无法解决）: answered, but it cannot be solved for now.
    Answered,
}

impl ProblemStatus {
    /// Every status.
    pub const ALL: [ProblemStatus; 4] = [
        ProblemStatus::Open,
        ProblemStatus::InProgress,
        ProblemStatus::Solved,
        ProblemStatus::Answered,
    ];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ProblemStatus::Open => "待处理",
            ProblemStatus::InProgress => "处理中",
            ProblemStatus::Solved => "已解决",
            ProblemStatus::Answered => "已答复（暂无法解决）",
        }
    }

    /// Whether work on it has ended.
    pub fn is_closed(self) -> bool {
        matches!(self, ProblemStatus::Solved | ProblemStatus::Answered)
    }
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Identifier.
    pub id: ProblemId,
    /// When it was raised.
    pub raised_on: NaiveDate,
    /// Where it came from.
    pub source: ProblemSource,
    /// Category (standard or the committee's own).
    pub category: String,
    /// Short title.
    pub title: String,
    /// Details (internal: may name residents).
    pub description: String,
    /// The household concerned, if one.
    pub household: Option<HouseholdId>,
    /// Where (building, public space).
    pub location: String,
    /// Whether it is a prominent problem (突出问题).
    pub prominent: bool,
    /// How it is being solved.
    pub path: ResolutionPath,
    /// Status.
    pub status: ProblemStatus,
    /// Responsible worker.
    pub assigned_to: Option<WorkerId>,
    /// Progress notes, dated.
    pub progress: Vec<(NaiveDate, String)>,
    /// The answer given to the resident.
    pub answer: String,
    /// When it was closed.
    pub closed_on: Option<NaiveDate>,
    /// The practical project it became part of.
    pub project: Option<ProjectId>,
}

stored_as_tuple!(Problem via ProblemTuple / ProblemTupleRef {
    id: ProblemId,
    raised_on: NaiveDate,
    source: ProblemSource,
    category: String,
    title: String,
    description: String,
    household: Option<HouseholdId>,
    location: String,
    prominent: bool,
    path: ResolutionPath,
    status: ProblemStatus,
    assigned_to: Option<WorkerId>,
    progress: Vec<(NaiveDate, String)>,
    answer: String,
    closed_on: Option<NaiveDate>,
    project: Option<ProjectId>,
});

/// The problem list: one ledger collection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProblemBook {
    /// Problems.
    pub problems: Vec<Problem>,
}

impl ProblemBook {
    /// Next free id.
    pub fn next_id(&self) -> ProblemId {
        ProblemId(self.problems.iter().map(|p| p.id.0).max().unwrap_or(0) + 1)
    }

    /// Finds a problem.
    pub fn problem(&self, id: ProblemId) -> Option<&Problem> {
        self.problems.iter().find(|p| p.id == id)
    }
}

/// Raised, solved and the solve rate (the Huayang report).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SolveRate {
    /// Problems raised.
    pub raised: usize,
    /// Problems solved.
    pub solved: usize,
}

impl SolveRate {
    /// Solved share in percent, None with nothing raised.
    pub fn percent(&self) -> Option<f64> {
        (self.raised > 0).then(|| self.solved as f64 * 100.0 / self.raised as f64)
    }
}

/// Solve rates overall and for prominent problems, over problems raised in a date range.
pub fn solve_rates<'a>(
    problems: impl IntoIterator<Item = &'a Problem>,
    from: NaiveDate,
    to: NaiveDate,
) -> (SolveRate, SolveRate) {
    let mut all = SolveRate::default();
    let mut prominent = SolveRate::default();
    for p in problems
        .into_iter()
        .filter(|p| p.raised_on >= from && p.raised_on <= to)
    {
        let solved = p.status == ProblemStatus::Solved;
        all.raised += 1;
        all.solved += usize::from(solved);
        if p.prominent {
            prominent.raised += 1;
            prominent.solved += usize::from(solved);
        }
    }
    (all, prominent)
}

/// A problem for tests: raised on `day` of March 2026, found on patrol.
#[cfg(test)]
pub(crate) fn sample_problem(id: u32, day: u32, status: ProblemStatus, prominent: bool) -> Problem {
    Problem {
        id: ProblemId(id),
        raised_on: NaiveDate::from_ymd_opt(2026, 3, day).unwrap_or_default(),
        source: ProblemSource::Patrol,
        category: "环境卫生".into(),
        title: "楼道堆物".into(),
        description: String::new(),
        household: None,
        location: String::new(),
        prominent,
        path: ResolutionPath::OnTheSpot,
        status,
        assigned_to: None,
        progress: Vec::new(),
        answer: String::new(),
        closed_on: None,
        project: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(id: u32, day: u32, status: ProblemStatus, prominent: bool) -> Problem {
        sample_problem(id, day, status, prominent)
    }

    #[test]
    fn solve_rates_count_solved_only_overall_and_for_prominent_problems() {
        use ProblemStatus::*;
        let list = [
            problem(1, 1, Solved, true),
            problem(2, 2, Answered, true),
            problem(3, 3, InProgress, false),
            problem(4, 4, Solved, false),
            // Outside the range.
            problem(5, 20, Solved, true),
        ];
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default();
        let (all, prominent) = solve_rates(&list, day(1), day(4));
        assert_eq!((all.raised, all.solved), (4, 2));
        assert_eq!(all.percent(), Some(50.0));
        // Answered (cannot be solved for now) is closed but not solved.
        assert_eq!((prominent.raised, prominent.solved), (2, 1));
        assert!(Answered.is_closed() && Solved.is_closed() && !InProgress.is_closed());
        let (none, _) = solve_rates(&list, day(21), day(31));
        assert_eq!(none.percent(), None);
    }
}
