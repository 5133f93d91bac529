//! The front desk: first-contact reception (首问接待) and staggered duty shifts (错时值班).

use super::committee::{CommitteeBook, Role, WorkerId};
use super::phone::Phone;
use super::problem::ProblemId;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Identifies a reception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReceptionId(pub u32);

/// How the enquiry reached the committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    /// At the desk (来访).
    InPerson,
    /// By telephone (来电).
    Phone,
    /// Online (线上反馈: WeChat group, 百事能, …).
    Online,
}

impl Channel {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::InPerson => "来访",
            Channel::Phone => "来电",
            Channel::Online => "线上",
        }
    }
}

/// One enquiry logged at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reception {
    /// Identifier.
    pub id: ReceptionId,
    /// When.
    pub at: NaiveDateTime,
    /// Channel.
    pub channel: Channel,
    /// Who asked; None when anonymous.
    pub visitor: Option<String>,
    /// Their phone, if they left one.
    pub visitor_phone: Option<Phone>,
    /// The matter.
    pub matter: String,
    /// Received by (首问责任人).
    pub received_by: WorkerId,
    /// The answer given.
    pub answer: String,
    /// Whether the resident confirmed the answer (counts on the point card).
    pub confirmed: bool,
    /// The problem it became, if any.
    pub problem: Option<ProblemId>,
}

/// The kind of duty shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ShiftKind {
    /// 工作日晚间
    Evening,
    /// 双休日
    Weekend,
    /// 节假日
    Holiday,
}

impl ShiftKind {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ShiftKind::Evening => "工作日晚间",
            ShiftKind::Weekend => "双休日",
            ShiftKind::Holiday => "节假日",
        }
    }

    /// The kind a shift on `day` has unless a holiday is chosen by hand: 双休日 on Saturday
    /// and Sunday, 工作日晚间 otherwise (the office keeps no holiday calendar).
    pub fn for_day(day: NaiveDate) -> ShiftKind {
        match day.weekday() {
            Weekday::Sat | Weekday::Sun => ShiftKind::Weekend,
            _ => ShiftKind::Evening,
        }
    }

    /// The usual hours of such a shift: evenings 17:00–20:00, a weekend or holiday morning
    /// 09:00–12:00.
    pub fn usual_hours(self) -> (NaiveTime, NaiveTime) {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN);
        match self {
            ShiftKind::Evening => (at(17), at(20)),
            ShiftKind::Weekend | ShiftKind::Holiday => (at(9), at(12)),
        }
    }
}

/// How late a sign-in may be and still count as on time.
pub const SIGN_IN_GRACE_MINUTES: i64 = 10;

impl DutyShift {
    /// Minutes after the start that the worker signed in, when that is more than
    /// [`SIGN_IN_GRACE_MINUTES`] (a late sign-in, marked on the rota).
    pub fn late_minutes(&self) -> Option<i64> {
        let signed = self.signed_in?;
        let minutes = (signed - self.on.and_time(self.start)).num_minutes();
        (minutes > SIGN_IN_GRACE_MINUTES).then_some(minutes)
    }
}

/// Whether the member `by` (their worker record) may sign in `shift`: the rostered worker
/// signs in for themselves; the 书记 or 主任 may sign in for another.
pub fn may_sign_in(committee: &CommitteeBook, shift: &DutyShift, by: Option<WorkerId>) -> bool {
    let Some(by) = by else { return false };
    by == shift.worker
        || committee
            .worker(by)
            .is_some_and(|w| w.has_role(Role::Secretary) || w.has_role(Role::Director))
}

/// A rostered duty shift and its sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyShift {
    /// Date.
    pub on: NaiveDate,
    /// Start time.
    pub start: NaiveTime,
    /// End time.
    pub end: NaiveTime,
    /// Kind.
    pub kind: ShiftKind,
    /// Rostered worker.
    pub worker: WorkerId,
    /// When they signed in, if they did.
    pub signed_in: Option<NaiveDateTime>,
    /// Notes (what happened on duty).
    pub note: String,
}

/// Receptions and the duty rota: one ledger collection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DeskBook {
    /// Reception log.
    pub receptions: Vec<Reception>,
    /// Duty rota.
    pub shifts: Vec<DutyShift>,
}

impl DeskBook {
    /// Next free reception id.
    pub fn next_reception_id(&self) -> ReceptionId {
        ReceptionId(self.receptions.iter().map(|r| r.id.0).max().unwrap_or(0) + 1)
    }
}

/// A column the reception list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceptionSort {
    /// 时间.
    Time,
    /// 来访人 (anonymous ones last).
    Visitor,
    /// 接待人's name.
    ReceivedBy,
}

/// Sorts receptions by a column, ascending or descending; ties stay newest first.
pub fn sort_receptions(
    list: &mut [&Reception],
    committee: &CommitteeBook,
    by: ReceptionSort,
    descending: bool,
) {
    list.sort_by_key(|r| std::cmp::Reverse(r.at));
    let name = |r: &Reception| -> Option<String> {
        match by {
            ReceptionSort::Time => None,
            ReceptionSort::Visitor => r.visitor.clone(),
            ReceptionSort::ReceivedBy => committee.worker(r.received_by).map(|w| w.name.clone()),
        }
    };
    if by == ReceptionSort::Time {
        if !descending {
            list.reverse();
        }
        return;
    }
    // Stable: within a name, newest first; without one (anonymous), last either way.
    list.sort_by(|a, b| match (name(a), name(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) if descending => y.cmp(&x),
        (Some(x), Some(y)) => x.cmp(&y),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::committee::Worker;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn shift(worker: u32, signed: Option<NaiveTime>) -> DutyShift {
        let on = day(2026, 11, 27);
        DutyShift {
            on,
            start: time(17, 0),
            end: time(20, 0),
            kind: ShiftKind::Evening,
            worker: WorkerId(worker),
            signed_in: signed.map(|t| on.and_time(t)),
            note: String::new(),
        }
    }

    #[test]
    fn receptions_sort_by_time_visitor_or_receiver() {
        let worker = |id, name: &str| crate::model::committee::Worker {
            id: WorkerId(id),
            name: name.to_owned(),
            roles: vec![],
            phone: None,
            signs_notices: false,
            since: day(2020, 1, 1),
            left_on: None,
        };
        let committee = CommitteeBook {
            workers: vec![worker(1, "王"), worker(2, "李")],
            ..CommitteeBook::default()
        };
        let r = |id, d, visitor: Option<&str>, by| Reception {
            id: ReceptionId(id),
            at: day(2026, 3, d).and_time(time(9, 0)),
            channel: Channel::InPerson,
            visitor: visitor.map(str::to_owned),
            visitor_phone: None,
            matter: String::new(),
            received_by: WorkerId(by),
            answer: String::new(),
            confirmed: false,
            problem: None,
        };
        let all = [
            r(1, 1, Some("乙"), 1),
            r(2, 2, None, 2),
            r(3, 3, Some("甲"), 1),
            r(4, 4, Some("乙"), 2),
        ];
        let ids = |l: &[&Reception]| l.iter().map(|r| r.id.0).collect::<Vec<_>>();
        let mut list: Vec<&Reception> = all.iter().collect();
        sort_receptions(&mut list, &committee, ReceptionSort::Time, true);
        assert_eq!(ids(&list), [4, 3, 2, 1]);
        sort_receptions(&mut list, &committee, ReceptionSort::Time, false);
        assert_eq!(ids(&list), [1, 2, 3, 4]);
        // 乙 (U+4E59) before 甲 (U+7532), the newest 乙 first, anonymous last.
        sort_receptions(&mut list, &committee, ReceptionSort::Visitor, false);
        assert_eq!(ids(&list), [4, 1, 3, 2]);
        sort_receptions(&mut list, &committee, ReceptionSort::Visitor, true);
        assert_eq!(ids(&list), [3, 4, 1, 2], "anonymous last either way");
        // By receiver, descending: 王 (U+738B) before 李 (U+674E); newest first within.
        sort_receptions(&mut list, &committee, ReceptionSort::ReceivedBy, true);
        assert_eq!(ids(&list), [3, 1, 4, 2]);
    }

    #[test]
    fn the_kind_of_a_shift_follows_its_day() {
        // 2026-11-27 is a Friday, the 28th a Saturday, the 29th a Sunday.
        assert_eq!(ShiftKind::for_day(day(2026, 11, 27)), ShiftKind::Evening);
        assert_eq!(ShiftKind::for_day(day(2026, 11, 28)), ShiftKind::Weekend);
        assert_eq!(ShiftKind::for_day(day(2026, 11, 29)), ShiftKind::Weekend);
        assert_eq!(ShiftKind::for_day(day(2026, 11, 30)), ShiftKind::Evening);
        assert_eq!(ShiftKind::Evening.usual_hours(), (time(17, 0), time(20, 0)));
        assert_eq!(ShiftKind::Weekend.usual_hours(), (time(9, 0), time(12, 0)));
    }

    #[test]
    fn a_sign_in_after_the_grace_is_late() {
        assert_eq!(shift(1, None).late_minutes(), None);
        assert_eq!(shift(1, Some(time(16, 55))).late_minutes(), None);
        assert_eq!(shift(1, Some(time(17, 10))).late_minutes(), None);
        assert_eq!(shift(1, Some(time(17, 11))).late_minutes(), Some(11));
        assert_eq!(shift(1, Some(time(18, 30))).late_minutes(), Some(90));
    }

    #[test]
    fn only_the_worker_or_the_secretary_or_director_signs_in() {
        let worker = |id, roles| Worker {
            id: WorkerId(id),
            name: format!("社工{id}"),
            roles,
            phone: None,
            signs_notices: false,
            since: day(2020, 1, 1),
            left_on: None,
        };
        let committee = CommitteeBook {
            workers: vec![
                worker(1, vec![Role::Secretary]),
                worker(2, vec![Role::Director]),
                worker(3, vec![]),
                worker(4, vec![]),
                worker(5, vec![Role::Deputy]),
            ],
            ..CommitteeBook::default()
        };
        let s = shift(3, None);
        assert!(may_sign_in(&committee, &s, Some(WorkerId(3))), "themselves");
        assert!(may_sign_in(&committee, &s, Some(WorkerId(1))), "书记");
        assert!(may_sign_in(&committee, &s, Some(WorkerId(2))), "主任");
        assert!(
            !may_sign_in(&committee, &s, Some(WorkerId(4))),
            "another worker"
        );
        assert!(!may_sign_in(&committee, &s, Some(WorkerId(5))), "副主任");
        assert!(
            !may_sign_in(&committee, &s, None),
            "a member who is no worker"
        );
    }
}
