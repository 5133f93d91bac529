//! The front-desk forms: a reception (首问接待), its answer added later, and a duty shift
//! (错时值班) with its sign-in.

use super::{FormError, TIME_FORMAT, parse_day};
use crate::model::committee::WorkerId;
use crate::model::desk::{Channel, DutyShift, Reception, ShiftKind};
use crate::model::edit::Edit;
use crate::model::ledger::Ledger;
use crate::model::phone::Phone;
use crate::model::problem::{Problem, ProblemSource, ProblemStatus, ResolutionPath};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// A reception (首问接待) as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceptionDraft {
    /// 时间 as typed.
    pub at: String,
    /// 来访 / 来电 / 线上.
    pub channel: Channel,
    /// Who asked; empty when anonymous.
    pub visitor: String,
    /// Their phone, if they left one.
    pub phone: String,
    /// 事项.
    pub matter: String,
    /// 接待人 (首问责任人).
    pub received_by: Option<WorkerId>,
    /// 答复.
    pub answer: String,
    /// 居民确认.
    pub confirmed: bool,
    /// 转入问题清单, with the problem's category.
    pub listed: Option<String>,
}

impl Default for ReceptionDraft {
    fn default() -> ReceptionDraft {
        ReceptionDraft {
            at: String::new(),
            channel: Channel::InPerson,
            visitor: String::new(),
            phone: String::new(),
            matter: String::new(),
            received_by: None,
            answer: String::new(),
            confirmed: false,
            listed: None,
        }
    }
}

impl ReceptionDraft {
    /// Every problem that keeps the reception from being saved.
    pub fn errors(&self, now: NaiveDateTime) -> Vec<FormError> {
        let mut out = Vec::new();
        match NaiveDateTime::parse_from_str(self.at.trim(), TIME_FORMAT) {
            Err(_) => out.push("时间请按 2026-11-23 14:05 的格式填写".to_owned()),
            Ok(t) if t > now + chrono::Duration::minutes(5) => {
                out.push("接待时间不能晚于现在".to_owned());
            }
            Ok(_) => {}
        }
        if self.matter.trim().is_empty() {
            out.push("请填写事项".to_owned());
        }
        if self.received_by.is_none() {
            out.push("请选择接待人".to_owned());
        }
        if !self.phone.trim().is_empty()
            && let Err(e) = Phone::parse(&self.phone)
        {
            out.push(format!("电话：{e}"));
        }
        if self.listed.is_none() && self.answer.trim().is_empty() {
            out.push("请填写答复，或勾选“转入问题清单”".to_owned());
        }
        out
    }

    /// The reception and, when it is turned into one, the problem linked to it.
    pub fn build(
        &self,
        ledger: &Ledger,
        now: NaiveDateTime,
    ) -> Result<(Reception, Option<Problem>), Vec<FormError>> {
        let errors = self.errors(now);
        let (Ok(at), Some(worker)) = (
            NaiveDateTime::parse_from_str(self.at.trim(), TIME_FORMAT),
            self.received_by,
        ) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let id = ledger.desk.next_reception_id();
        let matter = self.matter.trim().to_owned();
        let problem = self.listed.as_ref().map(|category| Problem {
            id: ledger.problems.next_id(),
            raised_on: at.date(),
            source: ProblemSource::Reception(id),
            category: category.clone(),
            title: matter.chars().take(40).collect(),
            description: matter.clone(),
            household: None,
            location: String::new(),
            prominent: false,
            path: ResolutionPath::LineDepartment,
            status: ProblemStatus::Open,
            assigned_to: Some(worker),
            steps: vec![],
            answer: self.answer.trim().to_owned(),
            closed_on: None,
            project: None,
            follow_up: None,
        });
        let visitor = self.visitor.trim();
        let reception = Reception {
            id,
            at,
            channel: self.channel,
            visitor: (!visitor.is_empty()).then(|| visitor.to_owned()),
            visitor_phone: Phone::parse(&self.phone).ok(),
            matter,
            received_by: worker,
            answer: self.answer.trim().to_owned(),
            confirmed: self.confirmed,
            problem: problem.as_ref().map(|p| p.id),
        };
        Ok((reception, problem))
    }
}

/// The edit that records a reception with its problem.
pub fn reception_edit(reception: Reception, problem: Option<Problem>) -> Edit {
    let mut edits = vec![Edit::Reception(reception.id, Some(Box::new(reception)))];
    edits.extend(problem.map(|p| Edit::Problem(p.id, Some(Box::new(p)))));
    Edit::Batch(edits)
}

/// A reception after its answer and the resident's confirmation were added later (the
/// matter stays as it was logged). Confirming needs an answer to confirm.
pub fn reception_answered(
    reception: &Reception,
    answer: &str,
    confirmed: bool,
) -> Result<Reception, FormError> {
    let answer = answer.trim();
    if confirmed && answer.is_empty() {
        return Err("居民确认的是答复：请先填写给居民的答复".to_owned());
    }
    Ok(Reception {
        answer: answer.to_owned(),
        confirmed,
        ..reception.clone()
    })
}

/// A shift being added to the rota, as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftDraft {
    /// 日期 as typed.
    pub on: String,
    /// Start as typed (`17:00`).
    pub start: String,
    /// End as typed.
    pub end: String,
    /// Kind.
    pub kind: ShiftKind,
    /// 值班人.
    pub worker: Option<WorkerId>,
}

impl ShiftDraft {
    /// A new shift on `day`, of the kind and usual hours that day has.
    pub fn on_day(day: NaiveDate) -> ShiftDraft {
        let kind = ShiftKind::for_day(day);
        let (start, end) = kind.usual_hours();
        ShiftDraft {
            on: day.format("%Y-%m-%d").to_string(),
            start: start.format("%H:%M").to_string(),
            end: end.format("%H:%M").to_string(),
            kind,
            worker: None,
        }
    }

    /// After the date was edited: when it names a day, the kind and the hours follow it
    /// (the worker stays).
    pub fn date_changed(&mut self) {
        if let Some(day) = parse_day(&self.on) {
            let worker = self.worker;
            let on = std::mem::take(&mut self.on);
            *self = ShiftDraft {
                on,
                worker,
                ..ShiftDraft::on_day(day)
            };
        }
    }

    /// The shift, or the first thing to correct.
    pub fn build(&self) -> Result<DutyShift, FormError> {
        let on = parse_day(&self.on).ok_or_else(|| "日期请按 2026-11-23 的格式填写".to_owned())?;
        let time = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| "时间请按 17:00 的格式填写".to_owned())
        };
        let (start, end) = (time(&self.start)?, time(&self.end)?);
        if end <= start {
            return Err("结束时间应晚于开始时间".to_owned());
        }
        let worker = self.worker.ok_or_else(|| "请选择值班人".to_owned())?;
        Ok(DutyShift {
            on,
            start,
            end,
            kind: self.kind,
            worker,
            signed_in: None,
            note: String::new(),
        })
    }
}

/// The rota after the shift at `index` is signed in at `now` (a shift already signed keeps its
/// first time).
pub fn sign_in(shifts: &[DutyShift], index: usize, now: NaiveDateTime) -> Vec<DutyShift> {
    let mut out = shifts.to_vec();
    if let Some(s) = out.get_mut(index)
        && s.signed_in.is_none()
    {
        s.signed_in = Some(now);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::draft::fixtures::*;

    #[test]
    fn a_reception_is_answered_later_and_confirmed_only_with_an_answer() {
        use crate::model::{Channel, ReceptionId};
        let r = Reception {
            id: ReceptionId(1),
            at: NaiveDate::from_ymd_opt(2026, 3, 9)
                .unwrap_or_default()
                .and_hms_opt(10, 5, 0)
                .unwrap_or_default(),
            channel: Channel::Phone,
            visitor: None,
            visitor_phone: None,
            matter: "楼道堆物".into(),
            received_by: WorkerId(1),
            answer: String::new(),
            confirmed: false,
            problem: None,
        };
        assert!(reception_answered(&r, "  ", true).is_err());
        let done =
            reception_answered(&r, " 已通知物业清理 ", true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(done.answer, "已通知物业清理");
        assert!(done.confirmed);
        assert_eq!((done.id, done.matter.as_str()), (r.id, "楼道堆物"));
    }

    #[test]
    fn a_reception_can_become_a_problem_and_anonymous_is_allowed() {
        let now = d(2026, 11, 23).and_hms_opt(10, 0, 0).unwrap();
        let ledger = Ledger::default();
        let mut form = ReceptionDraft {
            at: "2026-11-23 09:30".into(),
            matter: "小区东门路灯不亮".into(),
            received_by: Some(WorkerId(1)),
            ..ReceptionDraft::default()
        };
        let errors = form.errors(now);
        assert_eq!(errors, ["请填写答复，或勾选“转入问题清单”"]);
        form.listed = Some("安全隐患".into());
        let (r, p) = form.build(&ledger, now).unwrap();
        let p = p.unwrap();
        assert_eq!(r.visitor, None, "anonymous");
        assert_eq!(r.problem, Some(p.id));
        assert_eq!(p.source, ProblemSource::Reception(r.id));
        form.phone = "123".into();
        assert!(form.errors(now)[0].starts_with("电话："));
    }

    #[test]
    fn signing_in_keeps_the_first_time() {
        let on = d(2026, 11, 23);
        let shift = DutyShift {
            on,
            start: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
            kind: crate::model::ShiftKind::Evening,
            worker: WorkerId(1),
            signed_in: None,
            note: String::new(),
        };
        let t1 = on.and_hms_opt(16, 58, 0).unwrap();
        let once = sign_in(&[shift], 0, t1);
        assert_eq!(once[0].signed_in, Some(t1));
        let twice = sign_in(&once, 0, t1 + chrono::Duration::hours(1));
        assert_eq!(twice[0].signed_in, Some(t1));
        assert_eq!(
            sign_in(&twice, 5, t1),
            twice,
            "no such shift: nothing changes"
        );
    }
}
