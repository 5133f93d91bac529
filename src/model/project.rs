//! Practical projects (实事项目): lifecycle, consultation meetings, approval record, public notice
//! periods and satisfaction surveys (解决过程、实施力度、最终结果).

use super::committee::WorkerId;
use super::fund::{FundCategory, FundKind};
use super::money::Fen;
use super::problem::ProblemId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Identifies a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProjectId(pub u32);

/// The lifecycle of Putuo 003, attachment 1, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProjectStage {
    /// 需求征集
    NeedsGathered,
    /// 方案拟定 (by the party organisation and committee)
    PlanDrafted,
    /// 征求意见 (party-member and resident representatives)
    OpinionsHeard,
    /// 街道审核
    StreetReviewed,
    /// 方案公示 (张榜公布)
    PlanPublished,
    /// 审批备案 (专项经费使用审批备案表)
    Approved,
    /// 组织实施
    InProgress,
    /// 结项验收 (closed at the street office)
    Closed,
    /// 结果公示 (money used and actual effect)
    OutcomePublished,
    /// 满意度测评
    Surveyed,
    /// 整改 (satisfaction was low)
    Rectifying,
    /// 完成
    Done,
}

impl ProjectStage {
    /// Every stage in order.
    pub const ALL: [ProjectStage; 12] = [
        ProjectStage::NeedsGathered,
        ProjectStage::PlanDrafted,
        ProjectStage::OpinionsHeard,
        ProjectStage::StreetReviewed,
        ProjectStage::PlanPublished,
        ProjectStage::Approved,
        ProjectStage::InProgress,
        ProjectStage::Closed,
        ProjectStage::OutcomePublished,
        ProjectStage::Surveyed,
        ProjectStage::Rectifying,
        ProjectStage::Done,
    ];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ProjectStage::NeedsGathered => "需求征集",
            ProjectStage::PlanDrafted => "方案拟定",
            ProjectStage::OpinionsHeard => "征求意见",
            ProjectStage::StreetReviewed => "街道审核",
            ProjectStage::PlanPublished => "方案公示",
            ProjectStage::Approved => "审批备案",
            ProjectStage::InProgress => "组织实施",
            ProjectStage::Closed => "结项验收",
            ProjectStage::OutcomePublished => "结果公示",
            ProjectStage::Surveyed => "满意度测评",
            ProjectStage::Rectifying => "整改",
            ProjectStage::Done => "完成",
        }
    }

    /// Whether the plan notice may be public at this stage.
    pub fn plan_is_public(self) -> bool {
        self >= ProjectStage::PlanPublished
    }

    /// Whether the outcome notice may be public at this stage.
    pub fn outcome_is_public(self) -> bool {
        self >= ProjectStage::OutcomePublished
    }
}

/// Kinds of consultation meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MeetingKind {
    /// 听证会
    Hearing,
    /// 协调会
    Coordination,
    /// 评议会
    Review,
    /// 居民会议
    ResidentsMeeting,
    /// 议事会
    Council,
}

impl MeetingKind {
    /// Every kind.
    pub const ALL: [MeetingKind; 5] = [
        MeetingKind::Hearing,
        MeetingKind::Coordination,
        MeetingKind::Review,
        MeetingKind::ResidentsMeeting,
        MeetingKind::Council,
    ];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            MeetingKind::Hearing => "听证会",
            MeetingKind::Coordination => "协调会",
            MeetingKind::Review => "评议会",
            MeetingKind::ResidentsMeeting => "居民会议",
            MeetingKind::Council => "议事会",
        }
    }
}

/// A consultation meeting (public: date, kind, attendance count and decision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Kind.
    pub kind: MeetingKind,
    /// Date.
    pub on: NaiveDate,
    /// How many attended.
    pub attendance: u32,
    /// Topic.
    pub topic: String,
    /// Decision reached.
    pub decision: String,
}

/// A dated step through the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    /// Stage reached.
    pub stage: ProjectStage,
    /// When.
    pub on: NaiveDate,
    /// Notes.
    pub note: String,
}

/// 专项经费使用审批备案表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRecord {
    /// Filed on.
    pub filed_on: NaiveDate,
    /// Schedule (实施进度安排).
    pub schedule: String,
    /// Approved budget.
    pub budget: Fen,
    /// Deadline (完成时限).
    pub deadline: NaiveDate,
}

/// A period a notice stays posted (公示期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePeriod {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// Counts of answers on one dimension of a survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    /// 满意
    pub satisfied: u32,
    /// 基本满意
    pub fair: u32,
    /// 不满意
    pub dissatisfied: u32,
}

impl Tally {
    /// Respondents on this dimension.
    pub fn total(&self) -> u32 {
        self.satisfied + self.fair + self.dissatisfied
    }

    /// (满意 + 基本满意) / total, in percent.
    pub fn satisfaction_percent(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| f64::from(self.satisfied + self.fair) * 100.0 / f64::from(total))
    }
}

/// How a survey was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyMethod {
    /// 评议会
    ReviewMeeting,
    /// 随机调查
    RandomSample,
}

impl SurveyMethod {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            SurveyMethod::ReviewMeeting => "评议会",
            SurveyMethod::RandomSample => "随机调查",
        }
    }
}

/// A satisfaction survey, anonymous: only counts are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    /// Date.
    pub on: NaiveDate,
    /// Method.
    pub method: SurveyMethod,
    /// How many residents took part (0 in surveys recorded before it was asked: then the
    /// largest dimension's count).
    #[serde(default)]
    pub respondents: u32,
    /// 解决过程.
    pub process: Tally,
    /// 实施力度.
    pub effort: Tally,
    /// 最终结果.
    pub result: Tally,
}

/// Satisfaction (percent) below which a project needs rectification.
pub const RECTIFY_BELOW_PERCENT: f64 = 80.0;

impl Survey {
    /// The lowest satisfaction of the three dimensions.
    pub fn lowest_percent(&self) -> Option<f64> {
        [self.process, self.effort, self.result]
            .iter()
            .filter_map(Tally::satisfaction_percent)
            .reduce(f64::min)
    }

    /// Whether the result calls for rectification (整改) at the standard 80%.
    pub fn needs_rectification(&self) -> bool {
        self.below(RECTIFY_BELOW_PERCENT)
    }

    /// Whether any dimension is below `threshold` percent.
    pub fn below(&self, threshold: f64) -> bool {
        self.lowest_percent().is_some_and(|p| p < threshold)
    }

    /// How many took part: as recorded, else the largest dimension's count.
    pub fn respondent_count(&self) -> u32 {
        if self.respondents > 0 {
            return self.respondents;
        }
        [self.process, self.effort, self.result]
            .iter()
            .map(Tally::total)
            .max()
            .unwrap_or(0)
    }
}

/// A step of the work (实施进度节点): when it was planned, when it was done, and its share of
/// the whole work. Progress is computed from these, never typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    /// What (e.g. 基础施工).
    pub name: String,
    /// Planned completion.
    pub planned: NaiveDate,
    /// Actual completion.
    pub done_on: Option<NaiveDate>,
    /// Share of the whole work, in percent.
    pub share: u32,
}

/// A rectification (整改) after a survey fell short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    /// When it was done.
    pub on: NaiveDate,
    /// What was done (public with the outcome).
    pub what: String,
    /// Who recorded it.
    pub by: Option<WorkerId>,
}

/// A step taken although a rule said not yet, with the reason (例外).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageException {
    /// The stage reached.
    pub stage: ProjectStage,
    /// When.
    pub on: NaiveDate,
    /// The rule that refused it, as it was said.
    pub rule: String,
    /// Why it was done anyway.
    pub reason: String,
    /// Who decided.
    pub by: Option<WorkerId>,
}

/// A practical project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Identifier.
    pub id: ProjectId,
    /// Year it belongs to.
    pub year: i32,
    /// Title (public).
    pub title: String,
    /// Category (e.g. 加装电梯, 环境整治).
    pub category: String,
    /// Fund paying for it.
    pub fund: FundKind,
    /// Fund category.
    pub fund_category: FundCategory,
    /// Problems it answers.
    pub problems: Vec<ProblemId>,
    /// The need it answers (public, written without personal details).
    pub need: String,
    /// The plan (public).
    pub plan: String,
    /// Budget.
    pub budget: Fen,
    /// Where it stands.
    pub stage: ProjectStage,
    /// Dated steps.
    pub milestones: Vec<Milestone>,
    /// Consultation meetings.
    pub meetings: Vec<Meeting>,
    /// Approval record.
    pub approval: Option<ApprovalRecord>,
    /// Plan notice period.
    pub plan_notice: Option<NoticePeriod>,
    /// Outcome notice period.
    pub outcome_notice: Option<NoticePeriod>,
    /// What was done (public once closed).
    pub outcome: String,
    /// Surveys.
    pub surveys: Vec<Survey>,
    /// Rectification notes written before rectifications were dated records (see
    /// `rectifications`).
    pub rectification: String,
    /// Responsible worker.
    pub responsible: Option<WorkerId>,
    /// The steps of the work, with their shares.
    #[serde(default)]
    pub work: Vec<WorkItem>,
    /// Rectifications, dated.
    #[serde(default)]
    pub rectifications: Vec<Rectification>,
    /// Steps taken as exceptions, with their reasons.
    #[serde(default)]
    pub exceptions: Vec<StageException>,
}

impl Project {
    /// Moves to a stage and records the milestone.
    pub fn advance(&mut self, stage: ProjectStage, on: NaiveDate, note: &str) {
        self.stage = stage;
        self.milestones.push(Milestone {
            stage,
            on,
            note: note.to_owned(),
        });
    }

    /// The most recent survey.
    pub fn latest_survey(&self) -> Option<&Survey> {
        self.surveys.iter().max_by_key(|s| s.on)
    }
}

/// Projects: one ledger collection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ProjectBook {
    /// Projects.
    pub projects: Vec<Project>,
}

impl ProjectBook {
    /// Next free id.
    pub fn next_id(&self) -> ProjectId {
        ProjectId(self.projects.iter().map(|p| p.id.0).max().unwrap_or(0) + 1)
    }

    /// Finds a project.
    pub fn project(&self, id: ProjectId) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(satisfied: u32, fair: u32, dissatisfied: u32) -> Tally {
        Tally {
            satisfied,
            fair,
            dissatisfied,
        }
    }

    fn survey(day: u32, lowest: Tally) -> Survey {
        Survey {
            on: NaiveDate::from_ymd_opt(2026, 10, day).unwrap_or_default(),
            method: SurveyMethod::ReviewMeeting,
            respondents: 0,
            process: tally(10, 0, 0),
            effort: tally(9, 1, 0),
            result: lowest,
        }
    }

    #[test]
    fn the_plan_is_public_from_its_notice_and_the_outcome_from_its_own() {
        let plan_from = ProjectStage::ALL
            .iter()
            .position(|s| s.plan_is_public())
            .unwrap_or_default();
        let outcome_from = ProjectStage::ALL
            .iter()
            .position(|s| s.outcome_is_public())
            .unwrap_or_default();
        assert_eq!(ProjectStage::ALL[plan_from], ProjectStage::PlanPublished);
        assert_eq!(
            ProjectStage::ALL[outcome_from],
            ProjectStage::OutcomePublished
        );
        // Once public, public at every later stage.
        for (i, s) in ProjectStage::ALL.iter().enumerate() {
            assert_eq!(s.plan_is_public(), i >= plan_from, "{}", s.label());
            assert_eq!(s.outcome_is_public(), i >= outcome_from, "{}", s.label());
        }
    }

    #[test]
    fn satisfaction_counts_satisfied_and_fair_over_everyone_asked() {
        assert_eq!(tally(6, 2, 2).satisfaction_percent(), Some(80.0));
        assert_eq!(tally(0, 0, 0).satisfaction_percent(), None);
        assert_eq!(tally(0, 0, 0).total(), 0);
    }

    #[test]
    fn below_80_percent_in_any_dimension_needs_rectification() {
        // The lowest dimension decides; exactly 80% is enough.
        assert_eq!(survey(1, tally(6, 2, 2)).lowest_percent(), Some(80.0));
        assert!(!survey(1, tally(6, 2, 2)).needs_rectification());
        assert!(survey(1, tally(6, 1, 3)).needs_rectification());
        // A dimension nobody answered is not a failing one.
        let mut s = survey(1, tally(0, 0, 0));
        assert_eq!(s.lowest_percent(), Some(100.0));
        s.process = tally(0, 0, 0);
        s.effort = tally(0, 0, 0);
        assert_eq!(s.lowest_percent(), None);
        assert!(!s.needs_rectification());
    }

    #[test]
    fn the_latest_survey_counts_and_advancing_leaves_a_milestone() {
        let mut p = Project {
            id: ProjectId(1),
            year: 2026,
            title: "楼道灯更换".into(),
            category: "设施改善".into(),
            fund: FundKind::Foundation,
            fund_category: FundCategory::Facilities,
            problems: Vec::new(),
            need: String::new(),
            plan: String::new(),
            budget: Fen::yuan(1_000),
            stage: ProjectStage::Surveyed,
            milestones: Vec::new(),
            meetings: Vec::new(),
            approval: None,
            plan_notice: None,
            outcome_notice: None,
            outcome: String::new(),
            surveys: vec![survey(20, tally(6, 1, 3)), survey(5, tally(10, 0, 0))],
            rectification: String::new(),
            responsible: None,
            work: Vec::new(),
            rectifications: Vec::new(),
            exceptions: Vec::new(),
        };
        assert!(p.latest_survey().is_some_and(Survey::needs_rectification));
        let on = NaiveDate::from_ymd_opt(2026, 10, 21).unwrap_or_default();
        p.advance(ProjectStage::Rectifying, on, "满意度不足 80%，整改");
        assert_eq!(p.stage, ProjectStage::Rectifying);
        assert_eq!(
            p.milestones,
            [Milestone {
                stage: ProjectStage::Rectifying,
                on,
                note: "满意度不足 80%，整改".into()
            }]
        );
    }
}
