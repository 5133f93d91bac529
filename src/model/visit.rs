//! Household visits (居民区走访记录): who went where, why, and what was heard.

use super::committee::WorkerId;
use super::household::HouseholdId;
use super::problem::ProblemId;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// Identifies a visit: year of the visit and a number within that year's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VisitId {
    /// Year (the visits file it lives in).
    pub year: i32,
    /// Number within the year.
    pub seq: u32,
}

stored_as_tuple!(VisitId via VisitIdTuple / VisitIdTupleRef {
    year: i32,
    seq: u32,
});

/// The kind of visit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum VisitKind {
    /// 一般走访
    #[default]
    General,
    /// 特殊对象走访 (elderly living alone, hardship families, disabled, …)
    Special,
    /// 业务条线 走访, naming the line of work (e.g. 民政, 计生, 综治).
    LineOfWork(String),
}

impl VisitKind {
    /// The Chinese label.
    pub fn label(&self) -> String {
        match self {
            VisitKind::General => "一般走访".to_owned(),
            VisitKind::Special => "特殊对象走访".to_owned(),
            VisitKind::LineOfWork(line) => format!("业务条线（{line}）"),
        }
    }
}

/// What became of a need heard on a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NeedOutcome {
    /// 当场答复解决, with the answer given.
    AnsweredOnSpot(String),
    /// 列入问题清单: the problem it became.
    Listed(ProblemId),
}

/// A difficulty or request heard (困难或诉求).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    /// What the resident said.
    pub text: String,
    /// How it was handled.
    pub outcome: NeedOutcome,
}

/// One visit record. Stored as a tuple (see `stored_as_tuple!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// Identifier.
    pub id: VisitId,
    /// 走访时间.
    pub at: NaiveDateTime,
    /// 走访人.
    pub worker: WorkerId,
    /// Other workers who came along.
    pub companions: Vec<WorkerId>,
    /// The household.
    pub household: HouseholdId,
    /// 走访居民姓名: whom they spoke to.
    pub resident_name: String,
    /// 家庭成员情况.
    pub family_situation: String,
    /// Type of visit.
    pub kind: VisitKind,
    /// 走访事由.
    pub reason: String,
    /// 困难或诉求, each with its outcome.
    pub needs: Vec<Need>,
    /// 备注.
    pub note: String,
}

stored_as_tuple!(Visit via VisitTuple / VisitTupleRef {
    id: VisitId,
    at: NaiveDateTime,
    worker: WorkerId,
    companions: Vec<WorkerId>,
    household: HouseholdId,
    resident_name: String,
    family_situation: String,
    kind: VisitKind,
    reason: String,
    needs: Vec<Need>,
    note: String,
});
