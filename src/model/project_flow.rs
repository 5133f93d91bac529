//! The life of a practical project as Putuo 003 (attachment 1) sets it out, as rules: which
//! stage comes next, what each stage needs before it may be reached (the plan written before
//! it is drafted, a consultation meeting before opinions are heard, the 公示期 over before the
//! work starts, every step of the work done before it closes, a survey at or above the
//! committee's threshold before it is done), refusals in Chinese, and exceptions recorded
//! with their reason. Also progress from the steps of the work and spending from the fund
//! payments linked to the project.

use super::committee::WorkerId;
use super::fund::Payment;
use super::ledger::Ledger;
use super::money::Fen;
use super::project::{Project, ProjectStage, StageException};
use chrono::NaiveDate;

/// The satisfaction threshold a committee starts with, in percent.
pub const DEFAULT_THRESHOLD: u32 = 80;

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Project {
    /// When the project reached its current stage (its latest stage milestone).
    pub fn stage_reached_on(&self) -> Option<NaiveDate> {
        self.milestones.iter().map(|m| m.on).max()
    }

    /// When it reached `stage` last.
    pub fn reached(&self, stage: ProjectStage) -> Option<NaiveDate> {
        self.milestones
            .iter()
            .filter(|m| m.stage == stage)
            .map(|m| m.on)
            .max()
    }

    /// The stage that comes next: in order, except that a survey below `threshold` leads to
    /// 整改, and 整改 to a second survey. None once done.
    pub fn next_stage(&self, threshold: u32) -> Option<ProjectStage> {
        use ProjectStage::*;
        Some(match self.stage {
            NeedsGathered => PlanDrafted,
            PlanDrafted => OpinionsHeard,
            OpinionsHeard => StreetReviewed,
            StreetReviewed => PlanPublished,
            PlanPublished => Approved,
            Approved => InProgress,
            InProgress => Closed,
            Closed => OutcomePublished,
            OutcomePublished | Rectifying => Surveyed,
            Surveyed if self.satisfaction_below(threshold) => Rectifying,
            Surveyed => Done,
            Done => return None,
        })
    }

    /// Whether the latest survey fell below `threshold` percent in any dimension.
    pub fn satisfaction_below(&self, threshold: u32) -> bool {
        self.latest_survey()
            .is_some_and(|s| s.below(f64::from(threshold)))
    }

    /// Progress of the work in percent, from the shares of the steps done (None: no steps).
    pub fn progress_percent(&self) -> Option<u32> {
        let total: u32 = self.work.iter().map(|w| w.share).sum();
        let done: u32 = self
            .work
            .iter()
            .filter(|w| w.done_on.is_some())
            .map(|w| w.share)
            .sum();
        (total > 0).then(|| done * 100 / total)
    }

    /// Why the project may not reach `to` on `on` yet, or nothing if it may.
    pub fn check_stage(&self, to: ProjectStage, on: NaiveDate, threshold: u32) -> Option<String> {
        use ProjectStage::*;
        if let Some(last) = self.stage_reached_on()
            && on < last
        {
            return Some(format!(
                "日期 {} 早于上一步（{}）的日期 {}。",
                date(on),
                self.stage.label(),
                date(last)
            ));
        }
        match to {
            PlanDrafted if self.plan.trim().is_empty() => Some("请先写好项目方案。".into()),
            OpinionsHeard if !self.meetings.iter().any(|m| m.on <= on) => {
                Some("请先登记征求党员代表、居民代表意见的会议（听证会、议事会等）。".into())
            }
            PlanPublished => self.check_plan_notice(on),
            Approved => self.check_approval(on),
            InProgress => self.check_start(on),
            Closed => self.check_close(on),
            OutcomePublished => self.check_outcome(on),
            Surveyed => self.check_survey(on),
            Rectifying => {
                let survey = self.latest_survey().map(|s| s.on);
                let done = self
                    .rectifications
                    .iter()
                    .any(|r| survey.is_none_or(|s| r.on >= s) && r.on <= on);
                (!done).then(|| "请先登记整改情况（日期和做了什么）。".into())
            }
            Done if self.satisfaction_below(threshold) => Some(format!(
                "最近一次测评有一项满意度低于 {threshold}%，需要先整改，再次测评。"
            )),
            _ => None,
        }
    }

    fn check_plan_notice(&self, on: NaiveDate) -> Option<String> {
        let Some(n) = self.plan_notice else {
            return Some("请先填写方案公示期（从哪天到哪天）。".into());
        };
        if n.to < n.from {
            return Some("方案公示期的结束日期早于开始日期。".into());
        }
        if on < n.from {
            return Some(format!(
                "方案公示期从 {} 开始，不能早于这一天。",
                date(n.from)
            ));
        }
        None
    }

    fn check_approval(&self, on: NaiveDate) -> Option<String> {
        let Some(a) = &self.approval else {
            return Some("请先填写专项经费使用审批备案表（实施安排、预算、完成期限）。".into());
        };
        if a.budget <= Fen(0) {
            return Some("审批备案表的预算须大于零。".into());
        }
        if a.deadline < a.filed_on {
            return Some("完成期限早于备案日期。".into());
        }
        if on < a.filed_on {
            return Some(format!(
                "审批备案日期是 {}，不能早于这一天。",
                date(a.filed_on)
            ));
        }
        None
    }

    fn check_start(&self, on: NaiveDate) -> Option<String> {
        if let Some(n) = self.plan_notice
            && on <= n.to
        {
            return Some(format!(
                "方案公示期到 {} 才结束，公示期满后才能开始实施。",
                date(n.to)
            ));
        }
        if self.work.is_empty() {
            return Some("请先列出实施进度节点（计划日期和所占工作量）。".into());
        }
        None
    }

    fn check_close(&self, on: NaiveDate) -> Option<String> {
        if self.work.is_empty() {
            return Some("请先列出实施进度节点，逐项完成后再结项。".into());
        }
        let open: Vec<&str> = self
            .work
            .iter()
            .filter(|w| w.done_on.is_none_or(|d| d > on))
            .map(|w| w.name.as_str())
            .collect();
        (!open.is_empty()).then(|| {
            format!(
                "还有 {} 个进度节点没有完成：{}。",
                open.len(),
                open.join("、")
            )
        })
    }

    fn check_outcome(&self, on: NaiveDate) -> Option<String> {
        if self.outcome.trim().is_empty() {
            return Some("请先写明实施结果（资金使用和实际效果）。".into());
        }
        let Some(n) = self.outcome_notice else {
            return Some("请先填写结果公示期。".into());
        };
        if n.to < n.from {
            return Some("结果公示期的结束日期早于开始日期。".into());
        }
        if on < n.from {
            return Some(format!(
                "结果公示期从 {} 开始，不能早于这一天。",
                date(n.from)
            ));
        }
        None
    }

    fn check_survey(&self, on: NaiveDate) -> Option<String> {
        // After 整改, the survey must be a new one.
        let after = if self.stage == ProjectStage::Rectifying {
            self.rectifications.iter().map(|r| r.on).max()
        } else {
            self.outcome_notice.map(|n| n.from)
        };
        let found = self
            .surveys
            .iter()
            .any(|s| after.is_none_or(|a| s.on >= a) && s.on <= on);
        (!found).then(|| {
            if self.stage == ProjectStage::Rectifying {
                "整改后请先录入再次测评的结果。".into()
            } else {
                "请先录入满意度测评的结果。".into()
            }
        })
    }

    /// Moves to the next stage on `on`. A rule that says not yet refuses it, unless `exception`
    /// gives a reason: then the step is taken and the exception kept with the rule it broke.
    pub fn step(
        &mut self,
        to: ProjectStage,
        on: NaiveDate,
        note: &str,
        threshold: u32,
        by: Option<WorkerId>,
        exception: Option<&str>,
    ) -> Result<(), String> {
        let Some(next) = self.next_stage(threshold) else {
            return Err("这个项目已经完成。".into());
        };
        if to != next {
            return Err(format!(
                "下一步应是“{}”，不能直接到“{}”。",
                next.label(),
                to.label()
            ));
        }
        if let Some(rule) = self.check_stage(to, on, threshold) {
            let reason = exception.map(str::trim).unwrap_or_default();
            if reason.is_empty() {
                return Err(rule);
            }
            self.exceptions.push(StageException {
                stage: to,
                on,
                rule,
                reason: reason.to_owned(),
                by,
            });
        }
        self.advance(to, on, note.trim());
        Ok(())
    }
}

/// The fund payments linked to `project`, oldest first, and their total.
pub fn project_payments(
    ledger: &Ledger,
    project: super::project::ProjectId,
) -> (Vec<&Payment>, Fen) {
    let mut list: Vec<&Payment> = ledger
        .funds
        .values()
        .flat_map(|f| f.payments.iter())
        .filter(|p| p.project == Some(project))
        .collect();
    list.sort_by_key(|p| (p.on, p.id.year, p.id.seq));
    let total = list.iter().map(|p| p.amount).sum();
    (list, total)
}

/// A project for tests: 楼道整治, made from one problem on 2026-03-01, at 需求征集.
#[cfg(test)]
pub(crate) fn sample_project() -> Project {
    use crate::model::draft::NewProjectDraft;
    use crate::model::{ProblemId, ProblemStatus};
    let mut ledger = Ledger::default();
    ledger.problems.problems = vec![crate::model::problem::sample_problem(
        1,
        1,
        ProblemStatus::Open,
        false,
    )];
    let mut f = NewProjectDraft::new(vec![ProblemId(1)], None);
    f.title = "楼道整治".into();
    f.need = "楼道堆物".into();
    let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    f.build(&ledger, day, None)
        .map(|(p, _)| p)
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Payee;
    use crate::model::fund::{FundKind, FundYear, PaymentId, PaymentMethod};
    use crate::model::project::{
        ApprovalRecord, Meeting, MeetingKind, NoticePeriod, ProjectId, Rectification, Survey,
        SurveyMethod, Tally, WorkItem,
    };
    use ProjectStage::*;

    fn d(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap_or_default()
    }

    fn project() -> Project {
        sample_project()
    }

    fn survey(on: NaiveDate, fair_or_worse: u32) -> Survey {
        let t = Tally {
            satisfied: 10 - fair_or_worse,
            fair: 0,
            dissatisfied: fair_or_worse,
        };
        Survey {
            on,
            method: SurveyMethod::ReviewMeeting,
            respondents: 10,
            process: t,
            effort: t,
            result: t,
        }
    }

    /// Takes the next step, which must be `to` and allowed.
    fn ok(p: &mut Project, to: ProjectStage, on: NaiveDate) {
        assert_eq!(p.next_stage(80), Some(to));
        p.step(to, on, "", 80, None, None)
            .unwrap_or_else(|e| panic!("{}: {e}", to.label()));
    }

    /// The step is refused, with a reason containing `why`, and nothing changes.
    fn refused(p: &mut Project, to: ProjectStage, on: NaiveDate, why: &str) {
        let before = p.clone();
        let e = p.step(to, on, "", 80, None, None).unwrap_err();
        assert!(e.contains(why), "{}: {e}", to.label());
        assert_eq!(*p, before);
    }

    #[test]
    #[expect(
        clippy::too_many_lines,
        reason = "one project's whole life, stage by stage, each refusal next to the step it guards"
    )]
    fn a_project_goes_through_every_stage_only_in_order_and_only_when_ready() {
        let mut p = project();
        assert_eq!(p.stage, NeedsGathered);
        // Never a stage out of order.
        refused(&mut p, InProgress, d(3, 2), "下一步应是“方案拟定”");
        refused(&mut p, PlanDrafted, d(3, 2), "方案");
        p.plan = "统一清理并建立巡查制度".into();
        refused(&mut p, PlanDrafted, d(2, 28), "早于上一步");
        ok(&mut p, PlanDrafted, d(3, 2));
        refused(&mut p, OpinionsHeard, d(3, 5), "会议");
        p.meetings.push(Meeting {
            kind: MeetingKind::Council,
            on: d(3, 5),
            attendance: 20,
            topic: "方案".into(),
            decision: "同意".into(),
        });
        ok(&mut p, OpinionsHeard, d(3, 5));
        ok(&mut p, StreetReviewed, d(3, 8));
        refused(&mut p, PlanPublished, d(3, 10), "公示期");
        p.plan_notice = Some(NoticePeriod {
            from: d(3, 10),
            to: d(3, 16),
        });
        ok(&mut p, PlanPublished, d(3, 10));
        refused(&mut p, Approved, d(3, 12), "审批备案表");
        p.approval = Some(ApprovalRecord {
            filed_on: d(3, 12),
            schedule: "两周完成".into(),
            budget: Fen::yuan(6_000),
            deadline: d(4, 30),
        });
        ok(&mut p, Approved, d(3, 12));
        // Work may not start while the plan is still posted.
        p.work = vec![
            WorkItem {
                name: "清理".into(),
                planned: d(3, 25),
                done_on: None,
                share: 70,
            },
            WorkItem {
                name: "制度上墙".into(),
                planned: d(4, 5),
                done_on: None,
                share: 30,
            },
        ];
        refused(&mut p, InProgress, d(3, 16), "公示期满后");
        ok(&mut p, InProgress, d(3, 17));
        assert_eq!(p.progress_percent(), Some(0));
        refused(&mut p, Closed, d(4, 10), "2 个进度节点");
        p.work[0].done_on = Some(d(3, 26));
        assert_eq!(p.progress_percent(), Some(70));
        refused(&mut p, Closed, d(4, 10), "制度上墙");
        p.work[1].done_on = Some(d(4, 6));
        assert_eq!(p.progress_percent(), Some(100));
        ok(&mut p, Closed, d(4, 10));
        refused(&mut p, OutcomePublished, d(4, 12), "实施结果");
        p.outcome = "堆物清理完毕".into();
        p.outcome_notice = Some(NoticePeriod {
            from: d(4, 12),
            to: d(4, 18),
        });
        ok(&mut p, OutcomePublished, d(4, 12));
        refused(&mut p, Surveyed, d(4, 20), "满意度测评");
        // 7 of 10 satisfied: 70% is below 80%.
        p.surveys.push(survey(d(4, 20), 3));
        ok(&mut p, Surveyed, d(4, 20));
        assert_eq!(p.next_stage(80), Some(Rectifying));
        assert_eq!(
            p.next_stage(70),
            Some(Done),
            "at the committee's own threshold"
        );
        refused(&mut p, Done, d(4, 21), "下一步应是“整改”");
        refused(&mut p, Rectifying, d(4, 25), "整改情况");
        p.rectifications.push(Rectification {
            on: d(4, 25),
            what: "补做墙面".into(),
            by: None,
        });
        ok(&mut p, Rectifying, d(4, 25));
        // The earlier survey does not count again.
        refused(&mut p, Surveyed, d(5, 5), "再次测评");
        p.surveys.push(survey(d(5, 5), 1));
        ok(&mut p, Surveyed, d(5, 5));
        ok(&mut p, Done, d(5, 6));
        assert_eq!(p.next_stage(80), None);
        assert!(p.step(Done, d(5, 7), "", 80, None, None).is_err());
        let stages: Vec<ProjectStage> = p.milestones.iter().map(|m| m.stage).collect();
        assert_eq!(
            stages,
            [
                NeedsGathered,
                PlanDrafted,
                OpinionsHeard,
                StreetReviewed,
                PlanPublished,
                Approved,
                InProgress,
                Closed,
                OutcomePublished,
                Surveyed,
                Rectifying,
                Surveyed,
                Done
            ]
        );
        assert!(p.exceptions.is_empty());
    }

    #[test]
    fn a_step_refused_may_be_taken_as_an_exception_with_its_reason_kept() {
        let mut p = project();
        p.stage = Approved;
        p.advance(Approved, d(3, 12), "");
        p.plan_notice = Some(NoticePeriod {
            from: d(3, 10),
            to: d(3, 16),
        });
        p.work.push(WorkItem {
            name: "抢修".into(),
            planned: d(3, 14),
            done_on: None,
            share: 100,
        });
        // A blank reason is no reason.
        assert!(
            p.step(InProgress, d(3, 13), "", 80, None, Some("  "))
                .is_err()
        );
        p.step(
            InProgress,
            d(3, 13),
            "",
            80,
            Some(WorkerId(2)),
            Some("屋顶漏水危及住户安全，街道同意先行抢修"),
        )
        .unwrap();
        assert_eq!(p.stage, InProgress);
        let e = &p.exceptions[0];
        assert_eq!(
            (e.stage, e.on, e.by),
            (InProgress, d(3, 13), Some(WorkerId(2)))
        );
        assert!(e.rule.contains("公示期满后"), "{}", e.rule);
        assert_eq!(e.reason, "屋顶漏水危及住户安全，街道同意先行抢修");
        // Order itself has no exception.
        let skip = p.step(OutcomePublished, d(3, 20), "", 80, None, Some("急"));
        assert!(skip.is_err());
    }

    #[test]
    fn spending_is_the_sum_of_the_payments_linked_to_the_project() {
        let mut ledger = Ledger::default();
        let payment = |seq: u32, on: NaiveDate, yuan: i64, project: Option<u32>| Payment {
            id: PaymentId { year: 2026, seq },
            fund: FundKind::Foundation,
            category: crate::model::FundCategory::Facilities,
            on,
            payee: Payee::Organisation {
                name: "某施工公司".into(),
                id: None,
            },
            purpose: "施工款".into(),
            amount: Fen::yuan(yuan),
            voucher: format!("V{seq}"),
            method: PaymentMethod::Transfer,
            project: project.map(ProjectId),
            signatures: Vec::new(),
            street_review: None,
            paid_first: false,
            filed_on: None,
            recorded_by: "王".into(),
            overrides: Vec::new(),
        };
        let year = FundYear {
            plans: Vec::new(),
            payments: vec![
                payment(1, d(4, 2), 1_200, Some(1)),
                payment(2, d(3, 30), 800, Some(1)),
                payment(3, d(3, 1), 500, Some(2)),
                payment(4, d(3, 1), 90, None),
            ],
            income: Vec::new(),
        };
        ledger.funds.insert(2026, year);
        let (list, total) = project_payments(&ledger, ProjectId(1));
        assert_eq!(total, Fen::yuan(2_000));
        let seqs: Vec<u32> = list.iter().map(|p| p.id.seq).collect();
        assert_eq!(seqs, [2, 1], "oldest first");
        assert_eq!(project_payments(&ledger, ProjectId(9)).1, Fen(0));
    }
}
