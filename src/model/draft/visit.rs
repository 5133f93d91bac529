//! The visit form (走访): household, time, worker, kind, reason, and the needs heard, each
//! answered on the spot or listed as a problem.

use super::{FormError, TIME_FORMAT};
use crate::model::committee::WorkerId;
use crate::model::edit::Edit;
use crate::model::household::HouseholdId;
use crate::model::ledger::Ledger;
use crate::model::problem::{Problem, ProblemId, ProblemSource, ProblemStatus, ResolutionPath};
use crate::model::visit::{Need, NeedOutcome, Visit, VisitId, VisitKind};
use chrono::{Datelike, NaiveDateTime};

/// A need heard on a visit, as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedDraft {
    /// What the resident said.
    pub text: String,
    /// 列入问题清单 (`true`) or 当场解决.
    pub listed: bool,
    /// The answer given on the spot.
    pub answer: String,
    /// The problem's category, when listed.
    pub category: String,
    /// How the problem is to be solved, when listed.
    pub path: ResolutionPath,
}

impl Default for NeedDraft {
    fn default() -> NeedDraft {
        NeedDraft {
            text: String::new(),
            listed: false,
            answer: String::new(),
            category: "其他".into(),
            path: ResolutionPath::LineDepartment,
        }
    }
}

/// A visit as the form holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VisitDraft {
    /// The household visited.
    pub household: Option<HouseholdId>,
    /// 走访时间 as typed (`2026-11-23 14:05`).
    pub at: String,
    /// 走访人.
    pub worker: Option<WorkerId>,
    /// Type.
    pub kind: VisitKind,
    /// 走访居民: whom they spoke to.
    pub resident: String,
    /// 走访事由.
    pub reason: String,
    /// 困难或诉求.
    pub needs: Vec<NeedDraft>,
    /// 备注.
    pub note: String,
}

impl VisitDraft {
    /// The time typed, if valid.
    pub fn time(&self) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(self.at.trim(), TIME_FORMAT).ok()
    }

    /// Every problem that keeps the visit from being saved.
    pub fn errors(&self, now: NaiveDateTime) -> Vec<FormError> {
        let mut out = Vec::new();
        if self.household.is_none() {
            out.push("请选择走访的居民户".to_owned());
        }
        match self.time() {
            None => out.push("走访时间请按 2026-11-23 14:05 的格式填写".to_owned()),
            Some(t) if t > now + chrono::Duration::minutes(5) => {
                out.push("走访时间不能晚于现在".to_owned());
            }
            Some(_) => {}
        }
        if self.worker.is_none() {
            out.push("请选择走访人".to_owned());
        }
        if let VisitKind::LineOfWork(line) = &self.kind
            && line.trim().is_empty()
        {
            out.push("业务条线走访请写明条线（如 民政、综治）".to_owned());
        }
        if self.reason.trim().is_empty() {
            out.push("请填写走访事由".to_owned());
        }
        for (n, need) in self.needs.iter().enumerate() {
            if need.text.trim().is_empty() {
                out.push(format!("第 {} 条诉求：请填写内容，或删除这一条", n + 1));
            }
        }
        out
    }

    /// The edit that records the visit and, for each need 列入问题清单, a new problem linked to
    /// it (one undo removes them all). Ids come from `ledger`, which must hold the visit's year.
    pub fn build(
        &self,
        ledger: &Ledger,
        now: NaiveDateTime,
    ) -> Result<(Visit, Vec<Problem>), Vec<FormError>> {
        let errors = self.errors(now);
        let (Some(household), Some(at), Some(worker)) = (self.household, self.time(), self.worker)
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let year = at.year();
        let seq = ledger
            .visits
            .get(&year)
            .and_then(|v| v.iter().map(|v| v.id.seq).max())
            .unwrap_or(0)
            + 1;
        let id = VisitId { year, seq };
        let location = ledger
            .households
            .household(household)
            .map(|h| ledger.households.address_of(h))
            .unwrap_or_default();
        let mut next_problem = ledger.problems.next_id();
        let mut problems = Vec::new();
        let needs = self
            .needs
            .iter()
            .map(|n| {
                let text = n.text.trim().to_owned();
                let outcome = if n.listed {
                    let pid = next_problem;
                    next_problem = ProblemId(pid.0 + 1);
                    problems.push(Problem {
                        id: pid,
                        raised_on: at.date(),
                        source: ProblemSource::Visit(id),
                        category: n.category.clone(),
                        title: text.chars().take(40).collect(),
                        description: text.clone(),
                        household: Some(household),
                        location: location.clone(),
                        prominent: false,
                        path: n.path,
                        status: ProblemStatus::Open,
                        assigned_to: Some(worker),
                        steps: vec![],
                        answer: String::new(),
                        closed_on: None,
                        project: None,
                        follow_up: None,
                    });
                    NeedOutcome::Listed(pid)
                } else {
                    NeedOutcome::AnsweredOnSpot(n.answer.trim().to_owned())
                };
                Need { text, outcome }
            })
            .collect();
        let kind = match &self.kind {
            VisitKind::LineOfWork(l) => VisitKind::LineOfWork(l.trim().to_owned()),
            k => k.clone(),
        };
        let visit = Visit {
            id,
            at,
            worker,
            companions: vec![],
            household,
            resident_name: self.resident.trim().to_owned(),
            family_situation: String::new(),
            kind,
            reason: self.reason.trim().to_owned(),
            needs,
            note: self.note.trim().to_owned(),
        };
        Ok((visit, problems))
    }
}

/// The edit that records a visit with its new problems.
pub fn visit_edit(visit: Visit, problems: Vec<Problem>) -> Edit {
    let mut edits = vec![Edit::Visit(visit.id, Some(Box::new(visit)))];
    edits.extend(
        problems
            .into_iter()
            .map(|p| Edit::Problem(p.id, Some(Box::new(p)))),
    );
    Edit::Batch(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PersonId;
    use crate::model::draft::fixtures::*;

    #[test]
    fn a_visit_whose_need_is_listed_creates_a_linked_problem() {
        let today = d(2026, 11, 23);
        let now = today.and_hms_opt(15, 0, 0).unwrap();
        let mut ledger = Ledger::default();
        let h = draft()
            .build(None, HouseholdId(1), PersonId(1), today, "王书记")
            .unwrap();
        ledger.households.households.push(h);
        let mut form = VisitDraft {
            household: Some(HouseholdId(1)),
            at: "2026-11-23 14:05".into(),
            worker: Some(WorkerId(2)),
            reason: "独居老人月度探访".into(),
            needs: vec![
                NeedDraft {
                    text: "楼道灯坏了".into(),
                    listed: true,
                    category: "安全隐患".into(),
                    ..NeedDraft::default()
                },
                NeedDraft {
                    text: "问社区食堂开放时间".into(),
                    answer: "每天11点".into(),
                    ..NeedDraft::default()
                },
            ],
            ..VisitDraft::default()
        };
        let (visit, problems) = form.build(&ledger, now).unwrap();
        assert_eq!(visit.id, VisitId { year: 2026, seq: 1 });
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert_eq!(p.source, ProblemSource::Visit(visit.id));
        assert_eq!(p.household, Some(HouseholdId(1)));
        assert_eq!(p.assigned_to, Some(WorkerId(2)));
        assert_eq!(p.category, "安全隐患");
        assert_eq!(visit.needs[0].outcome, NeedOutcome::Listed(p.id));
        assert_eq!(
            visit.needs[1].outcome,
            NeedOutcome::AnsweredOnSpot("每天11点".into())
        );
        let edit = visit_edit(visit, problems);
        let undo = edit.apply(&mut ledger);
        assert_eq!(ledger.problems.problems.len(), 1);
        // The next visit of the year gets the next number.
        assert_eq!(form.build(&ledger, now).unwrap().0.id.seq, 2);
        undo.apply(&mut ledger);
        assert!(ledger.problems.problems.is_empty());
        assert!(ledger.visits[&2026].is_empty());
        // Errors.
        form.at = "2026-11-24 09:00".into();
        form.reason.clear();
        form.needs[1].text.clear();
        let errors = form.errors(now);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("晚于现在"));
    }
}
