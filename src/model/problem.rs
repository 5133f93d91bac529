//! The problem list (问题清单): needs heard, how each is being solved, and the solve rate.
//!
//! A problem keeps every step taken on it, dated and signed (受理, 确定化解路径, 转交部门, a
//! consultation meeting, 答复居民, 居民确认, 办结, 重新打开, 回访). The steps are changed only
//! through the methods here, which refuse what makes no sense (closing without an answer, a
//! step dated before the problem was raised, a 回访 for a problem not closed) with a Chinese
//! reason. On closing, a 回访 (follow-up visit) is scheduled; 走访 shows it as due.

use super::committee::WorkerId;
use super::desk::ReceptionId;
use super::household::HouseholdId;
use super::project::{Meeting, ProjectId};
use super::visit::VisitId;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days after closing a problem that its 回访 is proposed for.
pub const FOLLOW_UP_AFTER_DAYS: i64 = 14;

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
    /// Every step taken, in the order they were recorded.
    pub steps: Vec<ProblemStep>,
    /// The answer given to the resident.
    pub answer: String,
    /// When it was closed.
    pub closed_on: Option<NaiveDate>,
    /// The practical project it became part of.
    pub project: Option<ProjectId>,
    /// The 回访 scheduled when it was closed, and how it went.
    pub follow_up: Option<FollowUp>,
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
    steps: Vec<ProblemStep>,
    answer: String,
    closed_on: Option<NaiveDate>,
    project: Option<ProjectId>,
    #[serde(default)]
    follow_up: Option<FollowUp>,
});

/// What a step on a problem was.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum StepKind {
    /// 进展 (a note; also every note recorded before steps had kinds).
    #[default]
    Note,
    /// 受理.
    Accepted,
    /// 确定化解路径.
    PathChosen(ResolutionPath),
    /// 转交 a department (its name).
    Referred(String),
    /// A consultation meeting (民主协商).
    Meeting(Meeting),
    /// 答复居民 (the answer is the note).
    Answered,
    /// 居民确认 (what the resident said is the note).
    Confirmed,
    /// 办结, with how it ended.
    Closed(ProblemStatus),
    /// 重新打开 (why is the note).
    Reopened,
    /// 回访 done, with the resident's verdict.
    FollowedUp(Verdict),
}

impl StepKind {
    /// The Chinese label.
    pub fn label(&self) -> String {
        match self {
            StepKind::Note => "进展".into(),
            StepKind::Accepted => "受理".into(),
            StepKind::PathChosen(p) => format!("化解路径：{}", p.label()),
            StepKind::Referred(to) => format!("转交：{to}"),
            StepKind::Meeting(m) => format!(
                "{}（{} 人参加）议题：{}；决定：{}",
                m.kind.label(),
                m.attendance,
                m.topic,
                m.decision
            ),
            StepKind::Answered => "答复居民".into(),
            StepKind::Confirmed => "居民确认".into(),
            StepKind::Closed(s) => format!("办结（{}）", s.label()),
            StepKind::Reopened => "重新打开".into(),
            StepKind::FollowedUp(v) => format!("回访：{}", v.label()),
        }
    }
}

/// One dated step on a problem. Stored as `(date, note, worker, kind)`: notes written before
/// steps had a worker and a kind read as 进展 by nobody in particular.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemStep {
    /// When.
    pub on: NaiveDate,
    /// What was done or said.
    pub note: String,
    /// Who (none for notes from before steps were signed).
    pub by: Option<WorkerId>,
    /// What kind of step.
    pub kind: StepKind,
}

stored_as_tuple!(ProblemStep via ProblemStepTuple / ProblemStepTupleRef {
    on: NaiveDate,
    note: String,
    #[serde(default)]
    by: Option<WorkerId>,
    #[serde(default)]
    kind: StepKind,
});

/// What the resident said at the 回访.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// 满意
    Satisfied,
    /// 基本满意
    Fair,
    /// 不满意
    Dissatisfied,
}

impl Verdict {
    /// Every verdict.
    pub const ALL: [Verdict; 3] = [Verdict::Satisfied, Verdict::Fair, Verdict::Dissatisfied];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Satisfied => "满意",
            Verdict::Fair => "基本满意",
            Verdict::Dissatisfied => "不满意",
        }
    }
}

/// The 回访 of a closed problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// When it is due.
    pub due: NaiveDate,
    /// Who is to go.
    pub worker: Option<WorkerId>,
    /// How it went, once done.
    pub done: Option<FollowUpDone>,
}

/// A 回访 done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpDone {
    /// When.
    pub on: NaiveDate,
    /// The visit it was part of, if logged as one.
    pub visit: Option<VisitId>,
    /// What the resident said.
    pub verdict: Verdict,
    /// Notes.
    pub note: String,
}

/// Why a step was refused, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StepRefused(pub String);

fn refuse<T>(text: impl Into<String>) -> Result<T, StepRefused> {
    Err(StepRefused(text.into()))
}

impl Problem {
    /// The day of the last thing that happened to it (raised, or its latest step).
    pub fn last_activity(&self) -> NaiveDate {
        self.steps
            .iter()
            .map(|s| s.on)
            .chain(self.closed_on)
            .fold(self.raised_on, NaiveDate::max)
    }

    /// Whether it is open and nothing has happened for `days` days or more.
    pub fn is_stale(&self, today: NaiveDate, days: u32) -> bool {
        !self.status.is_closed() && (today - self.last_activity()).num_days() >= i64::from(days)
    }

    /// Whether a 回访 is scheduled and not done yet.
    pub fn follow_up_pending(&self) -> Option<&FollowUp> {
        self.follow_up.as_ref().filter(|f| f.done.is_none())
    }

    fn check_date(&self, on: NaiveDate) -> Result<(), StepRefused> {
        if on < self.raised_on {
            return refuse(format!(
                "日期 {on} 早于问题提出的日期 {}，请检查。",
                self.raised_on
            ));
        }
        Ok(())
    }

    fn push(&mut self, on: NaiveDate, by: Option<WorkerId>, kind: StepKind, note: &str) {
        self.steps.push(ProblemStep {
            on,
            note: note.trim().to_owned(),
            by,
            kind,
        });
    }

    /// Records a step that does not close it (受理, a path, a referral, a meeting, an answer,
    /// the resident's confirmation, a note). An open problem becomes 处理中.
    pub fn record(
        &mut self,
        on: NaiveDate,
        by: Option<WorkerId>,
        kind: StepKind,
        note: &str,
    ) -> Result<(), StepRefused> {
        self.check_date(on)?;
        if self.status.is_closed() {
            return refuse("这个问题已经办结。要继续处理，请先点“重新打开”并写明原因。");
        }
        match &kind {
            StepKind::Closed(_) | StepKind::Reopened | StepKind::FollowedUp(_) => {
                return refuse("办结、重新打开和回访请用各自的按钮。");
            }
            StepKind::Referred(to) if to.trim().is_empty() => {
                return refuse("请写明转交给哪个部门。");
            }
            StepKind::Meeting(m) if m.topic.trim().is_empty() || m.decision.trim().is_empty() => {
                return refuse("请写明会议的议题和决定。");
            }
            StepKind::Note | StepKind::Answered | StepKind::Confirmed if note.trim().is_empty() => {
                return refuse("请写明内容。");
            }
            _ => {}
        }
        if let StepKind::PathChosen(path) = kind {
            self.path = path;
        }
        self.status = ProblemStatus::InProgress;
        self.push(on, by, kind, note);
        Ok(())
    }

    /// 办结: ends it as solved or answered (cannot be solved for now), with the answer given
    /// to the resident, and schedules its 回访 on `follow_up` (none: no household to visit).
    pub fn close(
        &mut self,
        on: NaiveDate,
        by: Option<WorkerId>,
        status: ProblemStatus,
        answer: &str,
        follow_up: Option<NaiveDate>,
    ) -> Result<(), StepRefused> {
        self.check_date(on)?;
        if self.status.is_closed() {
            return refuse("这个问题已经办结了。");
        }
        if !status.is_closed() {
            return refuse("办结时请选择“已解决”或“已答复（暂无法解决）”。");
        }
        if answer.trim().is_empty() {
            return refuse("办结前请写明给居民的答复。");
        }
        if let Some(due) = follow_up
            && due < on
        {
            return refuse(format!("回访日期 {due} 不能早于办结日期 {on}。"));
        }
        self.status = status;
        self.closed_on = Some(on);
        answer.trim().clone_into(&mut self.answer);
        self.push(on, by, StepKind::Closed(status), answer);
        self.follow_up = follow_up.map(|due| FollowUp {
            due,
            worker: by,
            done: None,
        });
        Ok(())
    }

    /// The 回访 date proposed when closing on `on`.
    pub fn default_follow_up(on: NaiveDate) -> NaiveDate {
        on + Duration::days(FOLLOW_UP_AFTER_DAYS)
    }

    /// Records how the 回访 went.
    pub fn record_follow_up(
        &mut self,
        by: Option<WorkerId>,
        done: FollowUpDone,
    ) -> Result<(), StepRefused> {
        let Some(closed_on) = self.closed_on.filter(|_| self.status.is_closed()) else {
            return refuse("问题还没有办结，不能登记回访。");
        };
        let Some(follow_up) = &mut self.follow_up else {
            return refuse("这个问题办结时没有安排回访。");
        };
        if follow_up.done.is_some() {
            return refuse("这个问题的回访已经登记过了。");
        }
        if done.on < closed_on {
            return refuse(format!(
                "回访日期 {} 早于办结日期 {closed_on}，请检查。",
                done.on
            ));
        }
        let (on, verdict, note) = (done.on, done.verdict, done.note.clone());
        follow_up.done = Some(done);
        self.push(on, by, StepKind::FollowedUp(verdict), &note);
        Ok(())
    }

    /// 重新打开: a closed problem is worked on again (why is required). A 回访 not done yet is
    /// called off; the answer stays in its step.
    pub fn reopen(
        &mut self,
        on: NaiveDate,
        by: Option<WorkerId>,
        why: &str,
    ) -> Result<(), StepRefused> {
        if !self.status.is_closed() {
            return refuse("这个问题还没有办结，不需要重新打开。");
        }
        if why.trim().is_empty() {
            return refuse("请写明重新打开的原因。");
        }
        if let Some(closed) = self.closed_on
            && on < closed
        {
            return refuse(format!("日期 {on} 早于办结日期 {closed}，请检查。"));
        }
        self.status = ProblemStatus::InProgress;
        self.closed_on = None;
        self.answer.clear();
        if self.follow_up_pending().is_some() {
            self.follow_up = None;
        }
        self.push(on, by, StepKind::Reopened, why);
        Ok(())
    }
}

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
        steps: Vec::new(),
        answer: String::new(),
        closed_on: None,
        project: None,
        follow_up: None,
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

    fn d(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap_or_default()
    }

    #[test]
    fn a_problem_is_accepted_referred_discussed_and_closed_with_a_follow_up() {
        use crate::model::MeetingKind;
        let me = Some(WorkerId(3));
        let mut p = problem(1, 2, ProblemStatus::Open, true);
        assert_eq!(p.last_activity(), d(3, 2));
        p.record(d(3, 3), me, StepKind::Accepted, "").unwrap();
        assert_eq!(p.status, ProblemStatus::InProgress);
        p.record(
            d(3, 4),
            me,
            StepKind::PathChosen(ResolutionPath::Consultation),
            "",
        )
        .unwrap();
        assert_eq!(p.path, ResolutionPath::Consultation);
        let meeting = Meeting {
            kind: MeetingKind::Coordination,
            on: d(3, 10),
            attendance: 12,
            topic: "楼道堆物清理".into(),
            decision: "物业三日内清理".into(),
        };
        p.record(d(3, 10), me, StepKind::Meeting(meeting), "")
            .unwrap();
        // A step needs what makes it a step.
        assert!(
            p.record(d(3, 11), me, StepKind::Referred(" ".into()), "")
                .is_err()
        );
        assert!(p.record(d(3, 11), me, StepKind::Answered, "").is_err());
        // Nothing happens before the problem was raised.
        assert!(p.record(d(3, 1), me, StepKind::Accepted, "").is_err());
        assert!(p.is_stale(d(3, 31), 20));
        assert!(!p.is_stale(d(3, 29), 20));
        // Closing asks for the answer and a closed status.
        assert!(
            p.close(d(3, 12), me, ProblemStatus::Solved, "  ", None)
                .is_err()
        );
        assert!(
            p.close(d(3, 12), me, ProblemStatus::InProgress, "好", None)
                .is_err()
        );
        let due = Problem::default_follow_up(d(3, 12));
        assert_eq!(due, d(3, 26));
        assert!(
            p.close(
                d(3, 12),
                me,
                ProblemStatus::Solved,
                "已清理",
                Some(d(3, 11))
            )
            .is_err(),
            "a follow-up before the closing day"
        );
        p.close(d(3, 12), me, ProblemStatus::Solved, "已清理", Some(due))
            .unwrap();
        assert_eq!(
            (p.status, p.closed_on),
            (ProblemStatus::Solved, Some(d(3, 12)))
        );
        assert_eq!(p.answer, "已清理");
        assert!(!p.is_stale(d(12, 1), 1), "a closed problem is never stale");
        assert_eq!(p.follow_up_pending().map(|f| f.due), Some(due));
        // Closed: no more steps, no second closing.
        assert!(p.record(d(3, 13), me, StepKind::Note, "再看看").is_err());
        assert!(
            p.close(d(3, 13), me, ProblemStatus::Solved, "x", None)
                .is_err()
        );
        let done = FollowUpDone {
            on: d(3, 26),
            visit: None,
            verdict: Verdict::Satisfied,
            note: "居民满意".into(),
        };
        let early = FollowUpDone {
            on: d(3, 11),
            ..done.clone()
        };
        assert!(p.record_follow_up(me, early).is_err());
        p.record_follow_up(me, done.clone()).unwrap();
        assert!(p.follow_up_pending().is_none());
        assert!(p.record_follow_up(me, done).is_err(), "recorded twice");
        let kinds: Vec<String> = p.steps.iter().map(|s| s.kind.label()).collect();
        assert_eq!(kinds.len(), 5, "{kinds:?}");
        assert_eq!(kinds[4], "回访：满意");
        assert!(p.steps.iter().all(|s| s.by == me));
    }

    #[test]
    fn a_closed_problem_reopens_with_a_reason_and_calls_off_its_follow_up() {
        let me = Some(WorkerId(1));
        let mut p = problem(1, 2, ProblemStatus::Open, false);
        assert!(p.reopen(d(3, 3), me, "x").is_err(), "not closed yet");
        p.close(
            d(3, 5),
            me,
            ProblemStatus::Answered,
            "暂无法解决",
            Some(d(3, 19)),
        )
        .unwrap();
        assert!(p.reopen(d(3, 6), me, " ").is_err(), "a reason is required");
        assert!(
            p.reopen(d(3, 4), me, "居民再次反映").is_err(),
            "before closing"
        );
        // A follow-up can only be recorded on a closed problem with one scheduled.
        p.reopen(d(3, 6), me, "居民再次反映").unwrap();
        assert_eq!(p.status, ProblemStatus::InProgress);
        assert_eq!((p.closed_on, p.answer.as_str()), (None, ""));
        assert!(p.follow_up.is_none());
        let done = FollowUpDone {
            on: d(3, 20),
            visit: None,
            verdict: Verdict::Fair,
            note: String::new(),
        };
        assert!(p.record_follow_up(me, done.clone()).is_err());
        p.close(d(3, 8), me, ProblemStatus::Solved, "已解决", None)
            .unwrap();
        assert!(p.record_follow_up(me, done).is_err(), "none scheduled");
        // The first answer stays in its step.
        assert!(p.steps.iter().any(|s| s.note == "暂无法解决"));
        assert_eq!(p.last_activity(), d(3, 8));
    }
}
