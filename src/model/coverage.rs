//! 走百家门 in numbers: which households were visited this year, each worker's visits this month
//! against the 30 a month they owe, and the special households (独居老人, 困难家庭, 残疾人员) whose
//! last visit is older than their interval. Pure functions over the ledger, for 首页 and 走访.

use super::{HouseholdId, Ledger, TagDimension, WorkerId};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// Visits a worker owes each month.
pub const MONTHLY_VISITS: usize = 30;

/// Special households and how often each must be visited, by default: a tag of a member (or the
/// household's family type) and the days allowed between visits.
pub const SPECIAL: &[(TagDimension, &str, i64)] = &[
    (TagDimension::ResidentType, "独居老人", 30),
    (TagDimension::FamilyType, "困难家庭", 30),
    (TagDimension::ResidentType, "残疾人员", 30),
];

/// The day of the last visit to each household, over every loaded year.
pub fn last_visits(ledger: &Ledger) -> HashMap<HouseholdId, NaiveDate> {
    let mut last: HashMap<HouseholdId, NaiveDate> = HashMap::new();
    for v in ledger.all_visits() {
        let day = v.at.date();
        last.entry(v.household)
            .and_modify(|d| *d = (*d).max(day))
            .or_insert(day);
    }
    last
}

/// Households visited at least once in `year`, out of those living here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    /// Households visited this year.
    pub visited: usize,
    /// Households living here (not moved out).
    pub households: usize,
}

impl Coverage {
    /// Share visited, 0–100.
    pub fn percent(self) -> f64 {
        if self.households == 0 {
            0.0
        } else {
            self.visited as f64 * 100.0 / self.households as f64
        }
    }
}

/// Coverage of the households living here in `year`.
pub fn coverage(ledger: &Ledger, year: i32) -> Coverage {
    let visited: std::collections::HashSet<HouseholdId> = ledger
        .visits
        .get(&year)
        .into_iter()
        .flatten()
        .map(|v| v.household)
        .collect();
    let active = ledger
        .households
        .households
        .iter()
        .filter(|h| h.is_active());
    let (mut households, mut seen) = (0, 0);
    for h in active {
        households += 1;
        if visited.contains(&h.id) {
            seen += 1;
        }
    }
    Coverage {
        visited: seen,
        households,
    }
}

/// One worker's visits in a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerMonth {
    /// The worker.
    pub worker: WorkerId,
    /// Name.
    pub name: String,
    /// Visits made (as 走访人) in the month.
    pub visits: usize,
}

/// Visits per worker in the month of `day`, for every worker in service then.
pub fn visits_per_worker(ledger: &Ledger, day: NaiveDate) -> Vec<WorkerMonth> {
    let mut counts: HashMap<WorkerId, usize> = HashMap::new();
    for v in ledger.visits.get(&day.year()).into_iter().flatten() {
        if v.at.month() == day.month() {
            *counts.entry(v.worker).or_default() += 1;
        }
    }
    ledger
        .committee
        .workers
        .iter()
        .filter(|w| w.since <= day && w.left_on.is_none_or(|left| left > day))
        .map(|w| WorkerMonth {
            worker: w.id,
            name: w.name.clone(),
            visits: counts.get(&w.id).copied().unwrap_or(0),
        })
        .collect()
}

/// A special household whose visit is overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    /// The household.
    pub household: HouseholdId,
    /// Why it is special (the tag).
    pub reason: &'static str,
    /// Days since the last visit; `None` if never visited.
    pub days: Option<i64>,
}

/// Special households living here whose last visit is older than their interval on `today`,
/// the longest overdue (never visited) first.
pub fn overdue(ledger: &Ledger, today: NaiveDate) -> Vec<Overdue> {
    let last = last_visits(ledger);
    let mut out: Vec<Overdue> = Vec::new();
    for h in ledger
        .households
        .households
        .iter()
        .filter(|h| h.is_active())
    {
        let days = last.get(&h.id).map(|d| (today - *d).num_days());
        let special = SPECIAL.iter().find(|(dim, tag, _)| h.has_tag(*dim, tag));
        if let Some((_, tag, interval)) = special
            && days.is_none_or(|d| d > *interval)
        {
            out.push(Overdue {
                household: h.id,
                reason: tag,
                days,
            });
        }
    }
    out.sort_by_key(|o| std::cmp::Reverse(o.days.unwrap_or(i64::MAX)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoSize, generate};

    #[test]
    fn demo_numbers_add_up() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 7);
        let c = coverage(&ledger, 2026);
        assert!(c.households > 0 && c.visited <= c.households);
        let per_worker = visits_per_worker(&ledger, today);
        let total: usize = per_worker.iter().map(|w| w.visits).sum();
        let counted = ledger.visits[&2026]
            .iter()
            .filter(|v| v.at.month() == 11)
            .count();
        assert!(total <= counted);
        for o in overdue(&ledger, today) {
            let h = ledger
                .households
                .household(o.household)
                .unwrap_or_else(|| panic!());
            assert!(SPECIAL.iter().any(|(d, t, _)| h.has_tag(*d, t)));
            assert!(o.days.is_none_or(|d| d > 30));
        }
    }
}
