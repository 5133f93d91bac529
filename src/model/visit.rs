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

/// A column the 走访 list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitSort {
    /// 时间.
    Time,
    /// 地址, in address order.
    Address,
    /// 走访人's name.
    Worker,
    /// 类型 (一般, 特殊对象, 业务条线).
    Kind,
}

/// Sorts visits given as (year, position in that year's list) by a column, ascending or
/// descending; ties stay newest first.
pub fn sort_visits(
    rows: &mut Vec<(i32, usize)>,
    ledger: &super::ledger::Ledger,
    by: VisitSort,
    descending: bool,
) {
    let book = &ledger.households;
    let visit = |&(y, i): &(i32, usize)| ledger.visits.get(&y).and_then(|l| l.get(i));
    let key = |v: &Visit| -> (Option<(u32, String)>, String) {
        match by {
            VisitSort::Time => (None, String::new()),
            VisitSort::Address => (
                book.household(v.household)
                    .and_then(|h| book.address_order(h)),
                String::new(),
            ),
            VisitSort::Worker => (
                None,
                ledger
                    .committee
                    .worker(v.worker)
                    .map(|w| w.name.clone())
                    .unwrap_or_default(),
            ),
            VisitSort::Kind => (None, v.kind.label()),
        }
    };
    let mut keyed: Vec<_> = rows
        .drain(..)
        .map(|r| {
            let v = visit(&r);
            (v.map(key), v.map(|v| v.at), r)
        })
        .collect();
    keyed.sort_by(|(ka, ta, _), (kb, tb, _)| {
        let by_key = if by == VisitSort::Time {
            ta.cmp(tb)
        } else {
            ka.cmp(kb)
        };
        let by_key = if descending { by_key.reverse() } else { by_key };
        // Ties: newest first.
        by_key.then_with(|| tb.cmp(ta))
    });
    rows.extend(keyed.into_iter().map(|(_, _, r)| r));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoSize, generate};

    #[test]
    fn visits_sort_by_time_address_worker_or_kind() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 7);
        let mut rows: Vec<(i32, usize)> = ledger
            .visits
            .iter()
            .flat_map(|(y, l)| (0..l.len()).map(move |i| (*y, i)))
            .take(3000)
            .collect();
        let visit = |&(y, i): &(i32, usize)| &ledger.visits[&y][i];
        let book = &ledger.households;
        sort_visits(&mut rows, &ledger, VisitSort::Time, true);
        assert!(rows.windows(2).all(|w| visit(&w[0]).at >= visit(&w[1]).at));
        sort_visits(&mut rows, &ledger, VisitSort::Address, false);
        let address = |r: &(i32, usize)| {
            book.household(visit(r).household)
                .and_then(|h| book.address_order(h))
        };
        assert!(rows.windows(2).all(|w| address(&w[0]) <= address(&w[1])));
        // Within one address, newest first.
        assert!(
            rows.windows(2)
                .all(|w| address(&w[0]) != address(&w[1]) || visit(&w[0]).at >= visit(&w[1]).at)
        );
        sort_visits(&mut rows, &ledger, VisitSort::Worker, true);
        let worker = |r: &(i32, usize)| {
            ledger
                .committee
                .worker(visit(r).worker)
                .map(|w| w.name.clone())
        };
        assert!(rows.windows(2).all(|w| worker(&w[0]) >= worker(&w[1])));
        sort_visits(&mut rows, &ledger, VisitSort::Kind, false);
        assert!(
            rows.windows(2)
                .all(|w| visit(&w[0]).kind.label() <= visit(&w[1]).kind.label())
        );
        assert_eq!(rows.len(), 3000, "nothing lost");
    }
}
