//! The forms of 问题清单: a new problem entered directly (a 12345 ticket, a patrol, anything
//! else; those heard on visits and at the desk come from their own forms), a step on a problem
//! (受理, 化解路径, 转交, a meeting, 答复, 确认, a note, 办结 with its 回访, 重新打开), a 回访 done,
//! and several problems made into one 实事项目.

use super::{FormError, parse_date};
use crate::model::committee::WorkerId;
use crate::model::edit::Edit;
use crate::model::fund::{FundCategory, FundKind};
use crate::model::household::HouseholdId;
use crate::model::ledger::Ledger;
use crate::model::money::Fen;
use crate::model::problem::{
    FollowUpDone, Problem, ProblemId, ProblemSource, ProblemStatus, ProblemStep, ResolutionPath,
    StepKind, Verdict,
};
use crate::model::problem_search::SourceKind;
use crate::model::project::{Meeting, MeetingKind, Project, ProjectStage};
use crate::model::visit::VisitId;
use chrono::{Datelike, NaiveDate};

/// A problem entered directly in 问题清单.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemDraft {
    /// 来源: 12345, 巡查 or 其他 (走访 and 接待 have their own forms).
    pub source: SourceKind,
    /// The 12345 ticket number, or what 其他 was.
    pub source_detail: String,
    /// 提出日期 as typed.
    pub raised_on: String,
    /// 分类.
    pub category: String,
    /// 问题 (short title).
    pub title: String,
    /// 详细情况.
    pub description: String,
    /// 地点.
    pub location: String,
    /// The household concerned, if one.
    pub household: Option<HouseholdId>,
    /// 突出问题.
    pub prominent: bool,
    /// 化解路径.
    pub path: ResolutionPath,
    /// 责任人.
    pub assigned_to: Option<WorkerId>,
}

impl Default for ProblemDraft {
    fn default() -> ProblemDraft {
        ProblemDraft {
            source: SourceKind::Hotline,
            source_detail: String::new(),
            raised_on: String::new(),
            category: "其他".into(),
            title: String::new(),
            description: String::new(),
            location: String::new(),
            household: None,
            prominent: false,
            path: ResolutionPath::LineDepartment,
            assigned_to: None,
        }
    }
}

impl ProblemDraft {
    /// What is wrong with the form, each naming its field.
    pub fn errors(&self, today: NaiveDate) -> Vec<FormError> {
        self.build(&Ledger::default(), today)
            .err()
            .unwrap_or_default()
    }

    /// The problem, numbered after the ledger's last.
    pub fn build(&self, ledger: &Ledger, today: NaiveDate) -> Result<Problem, Vec<FormError>> {
        let mut errors = Vec::new();
        let detail = self.source_detail.trim().to_owned();
        let source = match self.source {
            SourceKind::Hotline if detail.is_empty() => {
                errors.push("请填写 12345 工单号".to_owned());
                None
            }
            SourceKind::Hotline => Some(ProblemSource::Hotline(detail)),
            SourceKind::Patrol => Some(ProblemSource::Patrol),
            SourceKind::Other if detail.is_empty() => {
                errors.push("来源为“其他”时请写明从哪里得知".to_owned());
                None
            }
            SourceKind::Other => Some(ProblemSource::Other(detail)),
            SourceKind::Visit | SourceKind::Reception => {
                errors.push("走访和接待中听到的问题，请在走访或接待里登记".to_owned());
                None
            }
        };
        let raised_on = match parse_date(&self.raised_on, "提出日期", "问题") {
            Ok(Some(d)) if d > today => {
                errors.push(format!("提出日期 {d} 晚于今天，请检查"));
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push("请填写提出日期".to_owned());
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let title = self.title.trim();
        if title.is_empty() {
            errors.push("请用一句话写明问题".to_owned());
        }
        if self.category.trim().is_empty() {
            errors.push("请选择分类".to_owned());
        }
        let (Some(source), Some(raised_on), true) = (source, raised_on, errors.is_empty()) else {
            return Err(errors);
        };
        Ok(Problem {
            id: ledger.problems.next_id(),
            raised_on,
            source,
            category: self.category.trim().to_owned(),
            title: title.to_owned(),
            description: self.description.trim().to_owned(),
            household: self.household,
            location: self.location.trim().to_owned(),
            prominent: self.prominent,
            path: self.path,
            status: ProblemStatus::Open,
            assigned_to: self.assigned_to,
            steps: Vec::new(),
            answer: String::new(),
            closed_on: None,
            project: None,
            follow_up: None,
        })
    }
}

/// The steps the step form offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StepChoice {
    /// 受理
    #[default]
    Accept,
    /// 确定化解路径
    Path,
    /// 转交部门
    Refer,
    /// 协商会议
    Meeting,
    /// 答复居民
    Answer,
    /// 居民确认
    Confirm,
    /// 进展
    Note,
    /// 办结
    Close,
    /// 重新打开
    Reopen,
}

impl StepChoice {
    /// The steps for a problem still being worked on.
    pub const WHILE_OPEN: [StepChoice; 8] = [
        StepChoice::Accept,
        StepChoice::Path,
        StepChoice::Refer,
        StepChoice::Meeting,
        StepChoice::Answer,
        StepChoice::Confirm,
        StepChoice::Note,
        StepChoice::Close,
    ];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            StepChoice::Accept => "受理",
            StepChoice::Path => "确定化解路径",
            StepChoice::Refer => "转交部门",
            StepChoice::Meeting => "协商会议",
            StepChoice::Answer => "答复居民",
            StepChoice::Confirm => "居民确认",
            StepChoice::Note => "记录进展",
            StepChoice::Close => "办结",
            StepChoice::Reopen => "重新打开",
        }
    }
}

/// A step on a problem as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDraft {
    /// Which step.
    pub choice: StepChoice,
    /// 日期 as typed.
    pub on: String,
    /// Who.
    pub by: Option<WorkerId>,
    /// The note: the answer, what the resident said, the progress, why reopened.
    pub note: String,
    /// The path chosen.
    pub path: ResolutionPath,
    /// The department referred to.
    pub department: String,
    /// The meeting's kind.
    pub meeting_kind: MeetingKind,
    /// 参加人数 as typed.
    pub attendance: String,
    /// 议题.
    pub topic: String,
    /// 决定.
    pub decision: String,
    /// 办结 as 已解决 (or 已答复).
    pub solved: bool,
    /// 回访日期 as typed (empty: no 回访).
    pub follow_up: String,
}

impl StepDraft {
    /// A form for a step on `problem` today by `by`, the 回访 proposed two weeks on.
    pub fn new(problem: &Problem, today: NaiveDate, by: Option<WorkerId>) -> StepDraft {
        let choice = if problem.status.is_closed() {
            StepChoice::Reopen
        } else if problem.status == ProblemStatus::Open {
            StepChoice::Accept
        } else {
            StepChoice::Note
        };
        StepDraft {
            choice,
            on: today.format("%Y-%m-%d").to_string(),
            by,
            note: String::new(),
            path: problem.path,
            department: String::new(),
            meeting_kind: MeetingKind::Coordination,
            attendance: String::new(),
            topic: String::new(),
            decision: String::new(),
            solved: true,
            follow_up: if problem.household.is_some() {
                Problem::default_follow_up(today)
                    .format("%Y-%m-%d")
                    .to_string()
            } else {
                String::new()
            },
        }
    }

    /// The problem with the step taken, or why not.
    pub fn apply(&self, problem: &Problem) -> Result<Problem, FormError> {
        let on = parse_date(&self.on, "日期", "这一步")?.ok_or("请填写日期")?;
        let mut p = problem.clone();
        let by = self.by;
        let result = match self.choice {
            StepChoice::Accept => p.record(on, by, StepKind::Accepted, &self.note),
            StepChoice::Path => p.record(on, by, StepKind::PathChosen(self.path), &self.note),
            StepChoice::Refer => p.record(
                on,
                by,
                StepKind::Referred(self.department.trim().to_owned()),
                &self.note,
            ),
            StepChoice::Meeting => {
                let attendance = self
                    .attendance
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| "参加人数请填写数字".to_owned())?;
                let meeting = Meeting {
                    kind: self.meeting_kind,
                    on,
                    attendance,
                    topic: self.topic.trim().to_owned(),
                    decision: self.decision.trim().to_owned(),
                };
                p.record(on, by, StepKind::Meeting(meeting), &self.note)
            }
            StepChoice::Answer => p.record(on, by, StepKind::Answered, &self.note),
            StepChoice::Confirm => p.record(on, by, StepKind::Confirmed, &self.note),
            StepChoice::Note => p.record(on, by, StepKind::Note, &self.note),
            StepChoice::Close => {
                let follow_up = parse_date(&self.follow_up, "回访日期", "办结")?;
                let status = if self.solved {
                    ProblemStatus::Solved
                } else {
                    ProblemStatus::Answered
                };
                p.close(on, by, status, &self.note, follow_up)
            }
            StepChoice::Reopen => p.reopen(on, by, &self.note),
        };
        result.map_err(|e| e.0)?;
        Ok(p)
    }
}

/// A 回访 done, as recorded on `problem` (on a visit, `visit`).
pub fn follow_up_edit(
    problem: &Problem,
    on: NaiveDate,
    by: Option<WorkerId>,
    visit: Option<VisitId>,
    verdict: Verdict,
    note: &str,
) -> Result<Edit, FormError> {
    let mut p = problem.clone();
    p.record_follow_up(
        by,
        FollowUpDone {
            on,
            visit,
            verdict,
            note: note.trim().to_owned(),
        },
    )
    .map_err(|e| e.0)?;
    Ok(Edit::Problem(p.id, Some(Box::new(p))))
}

/// 创建实事项目 from several problems, as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProjectDraft {
    /// The problems it answers.
    pub problems: Vec<ProblemId>,
    /// 项目名称 (public).
    pub title: String,
    /// 项目类别.
    pub category: String,
    /// 经费来源.
    pub fund: FundKind,
    /// 经费类别 (one of the fund's).
    pub fund_category: FundCategory,
    /// 居民需求 (public: no names, no room numbers).
    pub need: String,
    /// 负责人.
    pub responsible: Option<WorkerId>,
}

impl NewProjectDraft {
    /// A form for these problems, paid by the foundation's facilities category unless chosen.
    pub fn new(problems: Vec<ProblemId>, responsible: Option<WorkerId>) -> NewProjectDraft {
        NewProjectDraft {
            problems,
            title: String::new(),
            category: String::new(),
            fund: FundKind::Foundation,
            fund_category: FundCategory::Facilities,
            need: String::new(),
            responsible,
        }
    }

    /// The project (at 需求征集, its first step dated `today`) and every problem linked to it,
    /// as one edit; or what is wrong.
    pub fn build(
        &self,
        ledger: &Ledger,
        today: NaiveDate,
        by: Option<WorkerId>,
    ) -> Result<(Project, Edit), Vec<FormError>> {
        let mut errors = Vec::new();
        if self.problems.is_empty() {
            errors.push("请先在列表里勾选问题".to_owned());
        }
        let mut linked = Vec::new();
        for &id in &self.problems {
            match ledger.problems.problem(id) {
                None => errors.push(format!("第 {} 号问题不存在", id.0)),
                Some(p) => match p.project.and_then(|x| ledger.projects.project(x)) {
                    Some(x) => {
                        errors.push(format!("第 {} 号问题已经属于实事项目“{}”", id.0, x.title));
                    }
                    None => linked.push(p),
                },
            }
        }
        if self.title.trim().is_empty() {
            errors.push("请填写项目名称".to_owned());
        }
        if self.need.trim().is_empty() {
            errors.push("请写明居民需求（将会公示，不要写姓名和门牌）".to_owned());
        }
        if !self.fund.categories().contains(&self.fund_category) {
            errors.push(format!(
                "{}不能用于“{}”，请另选经费类别",
                self.fund.label(),
                self.fund_category.label()
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let id = ledger.projects.next_id();
        let mut project = Project {
            id,
            year: today.year(),
            title: self.title.trim().to_owned(),
            category: self.category.trim().to_owned(),
            fund: self.fund,
            fund_category: self.fund_category,
            problems: self.problems.clone(),
            need: self.need.trim().to_owned(),
            plan: String::new(),
            budget: Fen(0),
            stage: ProjectStage::NeedsGathered,
            milestones: Vec::new(),
            meetings: Vec::new(),
            approval: None,
            plan_notice: None,
            outcome_notice: None,
            outcome: String::new(),
            surveys: Vec::new(),
            rectification: String::new(),
            responsible: self.responsible,
            work: Vec::new(),
            rectifications: Vec::new(),
            exceptions: Vec::new(),
        };
        project.advance(ProjectStage::NeedsGathered, today, "由问题清单创建");
        let mut edits = vec![Edit::Project(id, Some(Box::new(project.clone())))];
        for p in linked {
            let mut p = p.clone();
            p.project = Some(id);
            let note = format!("纳入实事项目“{}”", project.title);
            p.steps.push(ProblemStep {
                on: today.max(p.raised_on),
                note,
                by,
                kind: StepKind::Note,
            });
            if p.status == ProblemStatus::Open {
                p.status = ProblemStatus::InProgress;
            }
            edits.push(Edit::Problem(p.id, Some(Box::new(p))));
        }
        Ok((project, Edit::Batch(edits)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::d;
    use super::*;
    use crate::model::problem::sample_problem;

    #[test]
    fn a_problem_entered_directly_needs_its_source_day_title_and_category() {
        let today = d(2026, 3, 20);
        let mut f = ProblemDraft::default();
        let e = f.errors(today);
        assert!(e.iter().any(|e| e.contains("工单号")), "{e:?}");
        assert!(e.iter().any(|e| e.contains("提出日期")), "{e:?}");
        assert!(e.iter().any(|e| e.contains("一句话")), "{e:?}");
        f.source_detail = "12345-2026000123".into();
        f.raised_on = "2026-03-21".into();
        f.title = "  小区门口积水 ".into();
        assert!(f.errors(today).iter().any(|e| e.contains("晚于今天")));
        f.raised_on = "2026-3-32".into();
        assert!(f.errors(today).iter().any(|e| e.contains("不是有效日期")));
        f.raised_on = "2026-03-19".into();
        let mut ledger = Ledger::default();
        ledger.problems.problems = vec![sample_problem(7, 1, ProblemStatus::Open, false)];
        let p = f.build(&ledger, today).unwrap();
        assert_eq!(p.id, ProblemId(8));
        assert_eq!(p.title, "小区门口积水");
        assert_eq!(p.source, ProblemSource::Hotline("12345-2026000123".into()));
        f.source = SourceKind::Patrol;
        assert_eq!(
            f.build(&ledger, today).unwrap().source,
            ProblemSource::Patrol
        );
        f.source = SourceKind::Visit;
        assert!(f.errors(today).iter().any(|e| e.contains("走访")));
    }

    #[test]
    fn the_step_form_takes_each_step_and_closes_with_the_follow_up_it_proposes() {
        let mut p = sample_problem(1, 2, ProblemStatus::Open, false);
        p.household = Some(HouseholdId(4));
        let today = d(2026, 3, 10);
        let mut f = StepDraft::new(&p, today, Some(WorkerId(2)));
        assert_eq!(f.choice, StepChoice::Accept);
        assert_eq!(f.follow_up, "2026-03-24");
        let p = f.apply(&p).unwrap();
        f.choice = StepChoice::Meeting;
        f.attendance = "十二".into();
        assert!(f.apply(&p).unwrap_err().contains("参加人数"));
        f.attendance = "12".into();
        f.topic = "堆物".into();
        f.decision = "清理".into();
        let p = f.apply(&p).unwrap();
        assert!(matches!(&p.steps[1].kind, StepKind::Meeting(m) if m.attendance == 12));
        f.choice = StepChoice::Close;
        assert!(f.apply(&p).unwrap_err().contains("答复"));
        f.note = "已清理".into();
        f.follow_up = "2026-03-09".into();
        assert!(f.apply(&p).unwrap_err().contains("回访日期"));
        f.follow_up = "2026-03-24".into();
        let closed = f.apply(&p).unwrap();
        assert_eq!(closed.status, ProblemStatus::Solved);
        assert_eq!(
            closed.follow_up_pending().map(|x| x.due),
            Some(d(2026, 3, 24))
        );
        let f = StepDraft::new(&closed, today, None);
        assert_eq!(f.choice, StepChoice::Reopen);
        let e = follow_up_edit(&closed, d(2026, 3, 24), None, None, Verdict::Fair, "").unwrap();
        let Edit::Problem(_, Some(done)) = e else {
            panic!("a problem edit")
        };
        assert!(done.follow_up_pending().is_none());
    }

    #[test]
    fn problems_become_one_project_once_keeping_the_links_both_ways() {
        let mut ledger = Ledger::default();
        ledger.problems.problems = (1..=3)
            .map(|i| sample_problem(i, i, ProblemStatus::Open, false))
            .collect();
        let today = d(2026, 3, 10);
        let mut f = NewProjectDraft::new(vec![ProblemId(1), ProblemId(3)], Some(WorkerId(1)));
        let e = f.build(&ledger, today, None).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        f.title = "楼道整治".into();
        f.need = "多个楼道堆物".into();
        f.fund = FundKind::Work;
        assert!(f.build(&ledger, today, None).unwrap_err()[0].contains("不能用于"));
        f.fund = FundKind::Foundation;
        let (project, edit) = f.build(&ledger, today, Some(WorkerId(1))).unwrap();
        assert_eq!(project.problems, [ProblemId(1), ProblemId(3)]);
        assert_eq!(project.stage, ProjectStage::NeedsGathered);
        let undo = edit.apply(&mut ledger);
        assert_eq!(ledger.projects.project(project.id), Some(&project));
        let linked: Vec<_> = ledger.problems.problems.iter().map(|p| p.project).collect();
        assert_eq!(linked, [Some(project.id), None, Some(project.id)]);
        assert_eq!(
            ledger.problems.problems[0].status,
            ProblemStatus::InProgress
        );
        // Once linked, a problem cannot join a second project.
        let again = f.build(&ledger, today, None).unwrap_err();
        assert!(again.iter().all(|e| e.contains("已经属于")), "{again:?}");
        undo.apply(&mut ledger);
        assert!(ledger.projects.projects.is_empty());
        assert!(ledger.problems.problems.iter().all(|p| p.project.is_none()));
    }
}
