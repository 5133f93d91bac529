//! The front desk: first-contact reception (首问接待) and staggered duty shifts (错时值班).

use super::committee::WorkerId;
use super::phone::Phone;
use super::problem::ProblemId;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

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
