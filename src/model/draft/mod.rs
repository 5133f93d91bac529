//! The forms as they hold what is typed: text as typed, checked as one types, each error in
//! Chinese naming its field, and turned into the records the ledger keeps (with their history)
//! only when whole.
//!
//! One file per form: `household` (附件一: members, ID numbers with the age and sex they
//! give, 整户迁出, the duplicate-person check), `visit` (走访 and the needs heard), `desk`
//! (首问接待 and 错时值班), `intervals` (重点户走访周期 in 设置), `list` (智能名单's conditions), `fund_plan` (经费: a fund's yearly plan and money received), `payment` (经费: a payment, its rules as typed and the reasons that set one aside), `problem` (问题清单: a problem, a step, a 回访, 创建实事项目), `project` (实事项目: meetings, notices, approval, work, surveys, rectification, the next stage); what they share is here.

mod desk;
mod fund_plan;
mod household;
mod intervals;
mod list;
mod payment;
mod problem;
mod project;
mod visit;

pub use desk::{ReceptionDraft, ShiftDraft, reception_answered, reception_edit, sign_in};
pub use fund_plan::{IncomeDraft, PlanDraft};
pub use household::{
    Duplicate, HouseholdDraft, IdCheck, PERSON_DIMENSIONS, PersonDraft, check_id, duplicates,
    move_out_household,
};
pub use intervals::{MAX_INTERVAL_DAYS, visit_intervals};
pub use list::{ListDraft, check_name};
pub use payment::{Field, Finding, MethodChoice, PaymentDraft};
pub use problem::{NewProjectDraft, ProblemDraft, StepChoice, StepDraft, follow_up_edit};
pub use project::{
    ApprovalDraft, MeetingDraft, NoticeDraft, NoticeKind, SURVEY_DIMENSIONS, StageDraft,
    SurveyDraft, WorkDraft, rectified, work_done,
};
pub use visit::{NeedDraft, VisitDraft, visit_edit};

use chrono::NaiveDate;

/// One problem with the form, in Chinese, naming the field.
pub type FormError = String;

/// A day as typed on the forms (`2024-03-15`).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

pub(super) fn parse_date(
    text: &str,
    field: &str,
    who: &str,
) -> Result<Option<NaiveDate>, FormError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_day(t)
        .map(Some)
        .ok_or_else(|| format!("{who}的{field}“{t}”不是有效日期，请按 2024-03-15 的格式填写"))
}

/// The format of a visit's time on the form.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

/// What the forms' tests share: a date, a valid ID number, a member, a household.
#[cfg(test)]
mod fixtures {
    #![allow(clippy::unwrap_used)]
    use super::{HouseholdDraft, PersonDraft};
    use crate::model::BuildingId;
    use chrono::NaiveDate;

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A valid number for a man born 1950-03-07 (check character computed).
    pub fn id_1950() -> String {
        let first17 = "31010719500307001";
        format!(
            "{first17}{}",
            crate::model::check_character(first17).unwrap()
        )
    }

    pub fn member(name: &str) -> PersonDraft {
        PersonDraft {
            name: name.into(),
            relation: "户主".into(),
            ..PersonDraft::default()
        }
    }

    pub fn draft() -> HouseholdDraft {
        HouseholdDraft {
            building: Some(BuildingId(1)),
            room: " 302 ".into(),
            members: vec![member("张三")],
            ..HouseholdDraft::default()
        }
    }
}
