//! The forms of a practical project's page: a consultation meeting, a notice period (方案公示,
//! 结果公示), the approval record (专项经费使用审批备案表), a step of the work (planned and done,
//! its share), a satisfaction survey (paper tallies of 满意 / 基本满意 / 不满意 on 解决过程、
//! 实施力度、最终结果), a rectification, and the next stage (with an exception's reason when a
//! rule says not yet). Each checks what is typed and gives the project with it applied.

use super::{FormError, parse_date};
use crate::model::committee::WorkerId;
use crate::model::money::Fen;
use crate::model::project::{
    ApprovalRecord, Meeting, MeetingKind, NoticePeriod, Project, ProjectStage, Rectification,
    Survey, SurveyMethod, Tally, WorkItem,
};
use chrono::NaiveDate;

fn required(text: &str, field: &str) -> Result<NaiveDate, FormError> {
    parse_date(text, field, "")?.ok_or_else(|| format!("请填写{field}"))
}

fn count(text: &str, field: &str) -> Result<u32, FormError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse::<u32>()
        .map_err(|_| format!("{field}请填写整数（人数）"))
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A consultation meeting as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDraft {
    /// Kind.
    pub kind: MeetingKind,
    /// 日期.
    pub on: String,
    /// 参加人数.
    pub attendance: String,
    /// 议题.
    pub topic: String,
    /// 决定.
    pub decision: String,
}

impl MeetingDraft {
    /// An empty form dated `today`.
    pub fn new(today: NaiveDate) -> MeetingDraft {
        MeetingDraft {
            kind: MeetingKind::Council,
            on: day(today),
            attendance: String::new(),
            topic: String::new(),
            decision: String::new(),
        }
    }

    /// The project with the meeting added (meetings kept by date).
    pub fn apply(&self, p: &Project) -> Result<Project, FormError> {
        let on = required(&self.on, "会议日期")?;
        let attendance = count(&self.attendance, "参加人数")?;
        if attendance == 0 {
            return Err("请填写参加人数".into());
        }
        if self.topic.trim().is_empty() || self.decision.trim().is_empty() {
            return Err("请写明会议的议题和决定".into());
        }
        let mut p = p.clone();
        p.meetings.push(Meeting {
            kind: self.kind,
            on,
            attendance,
            topic: self.topic.trim().to_owned(),
            decision: self.decision.trim().to_owned(),
        });
        p.meetings.sort_by_key(|m| m.on);
        Ok(p)
    }
}

/// Which notice a period is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// 方案公示.
    Plan,
    /// 结果公示.
    Outcome,
}

/// A notice period as typed (seven days by default).
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeDraft {
    /// Which notice.
    pub kind: NoticeKind,
    /// 从.
    pub from: String,
    /// 到.
    pub to: String,
}

impl NoticeDraft {
    /// The project's period, or seven days from `today`.
    pub fn new(p: &Project, kind: NoticeKind, today: NaiveDate) -> NoticeDraft {
        let current = match kind {
            NoticeKind::Plan => p.plan_notice,
            NoticeKind::Outcome => p.outcome_notice,
        };
        let (from, to) = current.map_or((today, today + chrono::Duration::days(6)), |n| {
            (n.from, n.to)
        });
        NoticeDraft {
            kind,
            from: day(from),
            to: day(to),
        }
    }

    /// The project with the period set. A period posted once is a record: it cannot be
    /// changed after the project has moved past its notice.
    pub fn apply(&self, p: &Project) -> Result<Project, FormError> {
        let from = required(&self.from, "公示开始日期")?;
        let to = required(&self.to, "公示结束日期")?;
        if to < from {
            return Err("公示结束日期早于开始日期".into());
        }
        let (posted, name) = match self.kind {
            NoticeKind::Plan => (ProjectStage::PlanPublished, "方案公示"),
            NoticeKind::Outcome => (ProjectStage::OutcomePublished, "结果公示"),
        };
        if p.stage >= posted {
            return Err(format!("{name}已经张贴，公示期不能再改"));
        }
        let mut p = p.clone();
        let period = Some(NoticePeriod { from, to });
        match self.kind {
            NoticeKind::Plan => p.plan_notice = period,
            NoticeKind::Outcome => p.outcome_notice = period,
        }
        Ok(p)
    }
}

/// 专项经费使用审批备案表 as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalDraft {
    /// 备案日期.
    pub filed_on: String,
    /// 实施进度安排.
    pub schedule: String,
    /// 预算 in yuan as typed.
    pub budget: String,
    /// 完成期限.
    pub deadline: String,
}

impl ApprovalDraft {
    /// The project's record, or an empty one dated `today`.
    pub fn new(p: &Project, today: NaiveDate) -> ApprovalDraft {
        match &p.approval {
            Some(a) => ApprovalDraft {
                filed_on: day(a.filed_on),
                schedule: a.schedule.clone(),
                budget: a.budget.yuan_text(),
                deadline: day(a.deadline),
            },
            None => ApprovalDraft {
                filed_on: day(today),
                schedule: String::new(),
                budget: String::new(),
                deadline: String::new(),
            },
        }
    }

    /// The project with the record (its budget becomes the project's).
    pub fn apply(&self, p: &Project) -> Result<Project, FormError> {
        let filed_on = required(&self.filed_on, "备案日期")?;
        let deadline = required(&self.deadline, "完成期限")?;
        let budget = Fen::parse_yuan(&self.budget).map_err(|e| format!("预算：{e}"))?;
        if budget <= Fen(0) {
            return Err("预算须大于零".into());
        }
        if deadline < filed_on {
            return Err("完成期限早于备案日期".into());
        }
        if self.schedule.trim().is_empty() {
            return Err("请写明实施进度安排".into());
        }
        if p.stage > ProjectStage::Approved {
            return Err("项目已开始实施，审批备案表不能再改".into());
        }
        let mut p = p.clone();
        p.budget = budget;
        p.approval = Some(ApprovalRecord {
            filed_on,
            schedule: self.schedule.trim().to_owned(),
            budget,
            deadline,
        });
        Ok(p)
    }
}

/// A step of the work as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkDraft {
    /// 节点.
    pub name: String,
    /// 计划完成.
    pub planned: String,
    /// 占工作量 (percent).
    pub share: String,
}

impl WorkDraft {
    /// The project with the step added. The shares of all steps may not pass 100%.
    pub fn apply(&self, p: &Project) -> Result<Project, FormError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err("请写明进度节点".into());
        }
        let planned = required(&self.planned, "计划完成日期")?;
        let share: u32 = self
            .share
            .trim()
            .trim_end_matches(['%', '％'])
            .parse()
            .map_err(|_| "所占工作量请填写 1 到 100 的整数".to_owned())?;
        let used: u32 = p.work.iter().map(|w| w.share).sum();
        if share == 0 || used + share > 100 {
            return Err(format!("所占工作量合计不能超过 100%（已有节点共 {used}%）"));
        }
        let mut p = p.clone();
        p.work.push(WorkItem {
            name: name.to_owned(),
            planned,
            done_on: None,
            share,
        });
        p.work.sort_by_key(|w| w.planned);
        Ok(p)
    }
}

/// The project with step `index` of the work marked done on `on` (typed).
pub fn work_done(p: &Project, index: usize, on: &str) -> Result<Project, FormError> {
    let on = required(on, "完成日期")?;
    let started = p.reached(ProjectStage::InProgress);
    if started.is_none_or(|s| on < s) {
        return Err("进度节点只能在开始实施之后完成".into());
    }
    let mut p = p.clone();
    let Some(w) = p.work.get_mut(index) else {
        return Err("找不到这个进度节点".into());
    };
    w.done_on = Some(on);
    Ok(p)
}

/// A survey as typed: who took part and the tallies of each dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyDraft {
    /// 日期.
    pub on: String,
    /// 方式.
    pub method: SurveyMethod,
    /// 参加人数.
    pub respondents: String,
    /// 解决过程、实施力度、最终结果 × 满意、基本满意、不满意.
    pub tallies: [[String; 3]; 3],
}

/// The three dimensions, in the order of [`SurveyDraft::tallies`].
pub const SURVEY_DIMENSIONS: [&str; 3] = ["解决过程", "实施力度", "最终结果"];

impl SurveyDraft {
    /// An empty form dated `today`.
    pub fn new(today: NaiveDate) -> SurveyDraft {
        SurveyDraft {
            on: day(today),
            method: SurveyMethod::ReviewMeeting,
            respondents: String::new(),
            tallies: Default::default(),
        }
    }

    /// The survey; each dimension's answers may not outnumber those who took part.
    pub fn build(&self) -> Result<Survey, FormError> {
        let on = required(&self.on, "测评日期")?;
        let respondents = count(&self.respondents, "参加人数")?;
        if respondents == 0 {
            return Err("请填写参加测评的人数".into());
        }
        let mut tallies = [Tally::default(); 3];
        for (i, row) in self.tallies.iter().enumerate() {
            let name = SURVEY_DIMENSIONS[i];
            let t = Tally {
                satisfied: count(&row[0], name)?,
                fair: count(&row[1], name)?,
                dissatisfied: count(&row[2], name)?,
            };
            if t.total() > respondents {
                return Err(format!(
                    "{name}的票数（{}）多于参加人数（{respondents}）",
                    t.total()
                ));
            }
            tallies[i] = t;
        }
        if tallies.iter().all(|t| t.total() == 0) {
            return Err("请填写测评票数".into());
        }
        Ok(Survey {
            on,
            method: self.method,
            respondents,
            process: tallies[0],
            effort: tallies[1],
            result: tallies[2],
        })
    }

    /// The project with the survey added.
    pub fn apply(&self, p: &Project) -> Result<Project, FormError> {
        let survey = self.build()?;
        if p.stage < ProjectStage::OutcomePublished {
            return Err("结果公示之后才能测评满意度".into());
        }
        let mut p = p.clone();
        p.surveys.push(survey);
        p.surveys.sort_by_key(|s| s.on);
        Ok(p)
    }
}

/// The project with a rectification recorded on `on` (typed).
pub fn rectified(
    p: &Project,
    on: &str,
    what: &str,
    by: Option<WorkerId>,
) -> Result<Project, FormError> {
    let on = required(on, "整改日期")?;
    if what.trim().is_empty() {
        return Err("请写明整改做了什么".into());
    }
    if let Some(s) = p.latest_survey()
        && on < s.on
    {
        return Err(format!("整改日期早于测评日期 {}", day(s.on)));
    }
    let mut p = p.clone();
    p.rectifications.push(Rectification {
        on,
        what: what.trim().to_owned(),
        by,
    });
    Ok(p)
}

/// The next stage as typed: its date, a note, and an exception's reason if a rule refuses.
#[derive(Debug, Clone, PartialEq)]
pub struct StageDraft {
    /// 日期.
    pub on: String,
    /// 说明.
    pub note: String,
    /// Take the step although a rule says not yet.
    pub exception: bool,
    /// Why.
    pub reason: String,
}

impl StageDraft {
    /// A form dated `today`.
    pub fn new(today: NaiveDate) -> StageDraft {
        StageDraft {
            on: day(today),
            note: String::new(),
            exception: false,
            reason: String::new(),
        }
    }

    /// The date typed, if it is one.
    pub fn date(&self) -> Option<NaiveDate> {
        super::parse_day(&self.on)
    }

    /// The project at its next stage, or why not.
    pub fn apply(
        &self,
        p: &Project,
        threshold: u32,
        by: Option<WorkerId>,
    ) -> Result<Project, FormError> {
        let on = required(&self.on, "日期")?;
        let Some(next) = p.next_stage(threshold) else {
            return Err("这个项目已经完成".into());
        };
        let mut p = p.clone();
        let exception = self.exception.then_some(self.reason.as_str());
        if self.exception && self.reason.trim().is_empty() {
            return Err("作为例外推进，请写明原因".into());
        }
        p.step(next, on, &self.note, threshold, by, exception)?;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::d;
    use super::*;

    fn project() -> Project {
        crate::model::project_flow::sample_project()
    }

    #[test]
    fn the_forms_check_what_is_typed() {
        let p = project();
        let mut m = MeetingDraft::new(d(2026, 3, 5));
        m.attendance = "二十".into();
        assert!(m.apply(&p).unwrap_err().contains("整数"));
        m.attendance = "20".into();
        assert!(m.apply(&p).unwrap_err().contains("议题"));
        m.topic = "方案".into();
        m.decision = "同意".into();
        assert_eq!(m.apply(&p).unwrap().meetings[0].attendance, 20);

        let mut a = ApprovalDraft::new(&p, d(2026, 3, 12));
        a.budget = "6000.005".into();
        a.deadline = "2026-04-30".into();
        a.schedule = "两周".into();
        assert!(a.apply(&p).unwrap_err().starts_with("预算："));
        a.budget = "6,000.50".into();
        let with = a.apply(&p).unwrap();
        assert_eq!(with.budget, Fen(600_050));
        assert_eq!(ApprovalDraft::new(&with, d(2026, 1, 1)).budget, "6000.50");

        let mut w = WorkDraft {
            name: "清理".into(),
            planned: "2026-03-25".into(),
            share: "70%".into(),
        };
        let p2 = w.apply(&p).unwrap();
        w.share = "40".into();
        assert!(w.apply(&p2).unwrap_err().contains("已有节点共 70%"));
        assert!(
            work_done(&p2, 0, "2026-03-26")
                .unwrap_err()
                .contains("开始实施")
        );

        let mut s = SurveyDraft::new(d(2026, 4, 20));
        s.respondents = "10".into();
        s.tallies[0] = ["8".into(), "1".into(), "2".into()];
        assert!(s.build().unwrap_err().contains("多于参加人数"));
        s.tallies[0][2] = "1".into();
        assert_eq!(
            s.build().unwrap().process.satisfaction_percent(),
            Some(90.0)
        );
        assert!(s.apply(&p).unwrap_err().contains("结果公示之后"));

        let mut n = NoticeDraft::new(&p, NoticeKind::Plan, d(2026, 3, 10));
        assert_eq!(
            (n.from.as_str(), n.to.as_str()),
            ("2026-03-10", "2026-03-16")
        );
        n.to = "2026-03-09".into();
        assert!(n.apply(&p).unwrap_err().contains("早于开始日期"));
    }

    #[test]
    fn a_notice_posted_is_a_record_its_period_no_longer_changes() {
        let mut p = project();
        let n = NoticeDraft::new(&p, NoticeKind::Plan, d(2026, 3, 10));
        p = n.apply(&p).unwrap();
        p.stage = ProjectStage::PlanPublished;
        assert!(n.apply(&p).unwrap_err().contains("已经张贴"));
        // The outcome notice is still open to set.
        let o = NoticeDraft::new(&p, NoticeKind::Outcome, d(2026, 5, 1));
        assert!(o.apply(&p).is_ok());
    }

    #[test]
    fn the_stage_form_refuses_with_the_rule_and_takes_an_exception_with_a_reason() {
        let p = project();
        let mut f = StageDraft::new(d(2026, 3, 2));
        assert!(f.apply(&p, 80, None).unwrap_err().contains("方案"));
        f.exception = true;
        assert!(f.apply(&p, 80, None).unwrap_err().contains("写明原因"));
        f.reason = "方案由街道统一下发".into();
        let next = f.apply(&p, 80, None).unwrap();
        assert_eq!(next.stage, ProjectStage::PlanDrafted);
        assert_eq!(next.exceptions.len(), 1);
    }
}
