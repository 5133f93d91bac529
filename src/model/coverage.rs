//! 走百家门 in numbers: which households were visited this year, each worker's visits this month
//! against the 30 a month they owe, and the special households (独居老人, 困难家庭, 残疾人员) whose
//! last visit is older than their interval. Pure functions over the ledger, for 首页 and 走访.

use super::{
    Assignment, BuildingId, Household, HouseholdId, Ledger, VisitInterval, VisitKind, WorkerId,
};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// Visits a worker owes each month (走百家门: 首页, 走访 and the point card all count against it).
pub const MONTHLY_VISITS: usize = 30;

/// The strictest visit interval that applies to a household: the shortest among the tags its
/// members carry (`CommitteeBook::visit_intervals`).
pub fn special<'a>(
    intervals: &'a [VisitInterval],
    household: &Household,
) -> Option<&'a VisitInterval> {
    intervals
        .iter()
        .filter(|i| household.has_tag(i.dimension, &i.tag))
        .min_by_key(|i| i.days)
}

/// The kind a visit to `household` starts as: 特殊对象走访 when a member carries a tag with a
/// visit interval (独居老人, 困难家庭, 残疾人员 …), 一般走访 otherwise. The worker may change it.
pub fn default_visit_kind(intervals: &[VisitInterval], household: &Household) -> VisitKind {
    if special(intervals, household).is_some() {
        VisitKind::Special
    } else {
        VisitKind::General
    }
}

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
    pub reason: String,
    /// Days allowed between visits for that tag.
    pub interval: u32,
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
        if let Some(i) = special(&ledger.committee.visit_intervals, h)
            && days.is_none_or(|d| d > i64::from(i.days))
        {
            out.push(Overdue {
                household: h.id,
                reason: i.tag.clone(),
                interval: i.days,
                days,
            });
        }
    }
    out.sort_by_key(|o| std::cmp::Reverse(o.days.unwrap_or(i64::MAX)));
    out
}

/// The households a worker holds now (包干): those living in the buildings of their current
/// assignment, and the single households assigned to them.
pub fn block_of(ledger: &Ledger, worker: WorkerId) -> HashSet<HouseholdId> {
    blocks(ledger).remove(&worker).unwrap_or_default()
}

/// Every worker's block (see [`block_of`]), in one pass over the households.
pub fn blocks(ledger: &Ledger) -> HashMap<WorkerId, HashSet<HouseholdId>> {
    let mut by_building: HashMap<BuildingId, Vec<WorkerId>> = HashMap::new();
    let mut by_household: HashMap<HouseholdId, Vec<WorkerId>> = HashMap::new();
    for (worker, a) in current_assignments(&ledger.committee.assignments) {
        for b in &a.buildings {
            by_building.entry(*b).or_default().push(worker);
        }
        for h in &a.households {
            by_household.entry(*h).or_default().push(worker);
        }
    }
    let mut out: HashMap<WorkerId, HashSet<HouseholdId>> = HashMap::new();
    for h in ledger
        .households
        .households
        .iter()
        .filter(|h| h.is_active())
    {
        let workers = by_building
            .get(&h.building)
            .into_iter()
            .chain(by_household.get(&h.id))
            .flatten();
        for w in workers {
            out.entry(*w).or_default().insert(h.id);
        }
    }
    out
}

/// 我的包干: a worker's block on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Households living in the block.
    pub households: usize,
    /// Of those, visited this year (by anyone).
    pub visited: usize,
    /// The block's special households overdue for a visit, as in [`overdue`].
    pub overdue: Vec<Overdue>,
}

/// The block of `worker` on `today`, with the overdue households picked from `overdue` (the
/// committee's list, computed once for 首页).
pub fn block(ledger: &Ledger, worker: WorkerId, today: NaiveDate, overdue: &[Overdue]) -> Block {
    let mine = block_of(ledger, worker);
    let visited: HashSet<HouseholdId> = ledger
        .visits
        .get(&today.year())
        .into_iter()
        .flatten()
        .filter(|v| mine.contains(&v.household))
        .map(|v| v.household)
        .collect();
    Block {
        households: mine.len(),
        visited: visited.len(),
        overdue: overdue
            .iter()
            .filter(|o| mine.contains(&o.household))
            .cloned()
            .collect(),
    }
}

/// One room of the 活地图.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapCell {
    /// Room number as on the door.
    pub room: String,
    /// The household living there, if any.
    pub household: Option<HouseholdId>,
    /// Days since its last visit (`None`: never visited, or nobody lives there).
    pub days: Option<i64>,
    /// Why it is a special household, if it is one.
    pub special: Option<String>,
}

/// A building drawn as its rooms: floors top first, then households whose room number does
/// not fit the grid (101 is floor 1, room 1; 1203 is floor 12, room 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildingMap {
    /// Floors, highest first: the floor number and its rooms left to right.
    pub floors: Vec<(u32, Vec<MapCell>)>,
    /// Households living here whose room is not on the grid.
    pub other: Vec<MapCell>,
}

impl BuildingMap {
    /// How many households live in the building.
    pub fn living(&self) -> usize {
        let on_grid = self.floors.iter().flat_map(|(_, rooms)| rooms);
        on_grid.filter(|c| c.household.is_some()).count() + self.other.len()
    }
}

/// The 活地图 of one building on `today`, given [`last_visits`].
pub fn building_map(
    ledger: &Ledger,
    building: BuildingId,
    last: &HashMap<HouseholdId, NaiveDate>,
    today: NaiveDate,
) -> BuildingMap {
    let Some(b) = ledger.households.building(building) else {
        return BuildingMap {
            floors: vec![],
            other: vec![],
        };
    };
    let mut living: HashMap<&str, HouseholdId> = HashMap::new();
    for h in ledger
        .households
        .households
        .iter()
        .filter(|h| h.building == building && h.is_active())
    {
        living.insert(h.room.as_str(), h.id);
    }
    let cell = |room: String, household: Option<HouseholdId>| {
        let h = household.and_then(|id| ledger.households.household(id));
        MapCell {
            days: household
                .and_then(|id| last.get(&id))
                .map(|d| (today - *d).num_days()),
            special: h
                .and_then(|h| special(&ledger.committee.visit_intervals, h))
                .map(|i| i.tag.clone()),
            room,
            household,
        }
    };
    let mut on_grid = std::collections::HashSet::new();
    let mut floors = Vec::new();
    for f in (1..=b.floors).rev() {
        let rooms = (1..=b.rooms_per_floor)
            .map(|r| {
                let room = format!("{f}{r:02}");
                let h = living.get(room.as_str()).copied();
                if h.is_some() {
                    on_grid.insert(room.clone());
                }
                cell(room, h)
            })
            .collect();
        floors.push((f, rooms));
    }
    let mut other: Vec<MapCell> = living
        .iter()
        .filter(|(room, _)| !on_grid.contains(**room))
        .map(|(room, id)| cell((*room).to_owned(), Some(*id)))
        .collect();
    other.sort_by(|a, b| a.room.cmp(&b.room));
    BuildingMap { floors, other }
}

/// The buildings each worker holds now: the latest assignment record of each worker.
pub fn current_assignments(assignments: &[Assignment]) -> HashMap<WorkerId, &Assignment> {
    let mut out: HashMap<WorkerId, &Assignment> = HashMap::new();
    for a in assignments {
        let newer = out.get(&a.worker).is_none_or(|b| a.since >= b.since);
        if newer {
            out.insert(a.worker, a);
        }
    }
    out
}

/// The assignments after giving `building` to `to` (or to nobody) on `today`. Past records are
/// kept: each worker whose buildings change gets a new record dated today (or today's record is
/// updated).
pub fn reassign(
    assignments: &[Assignment],
    building: BuildingId,
    to: Option<WorkerId>,
    today: NaiveDate,
) -> Vec<Assignment> {
    let current: Vec<Assignment> = current_assignments(assignments)
        .into_values()
        .cloned()
        .collect();
    let mut out = assignments.to_vec();
    let put = |out: &mut Vec<Assignment>, mut a: Assignment| {
        a.since = today;
        match out
            .iter_mut()
            .find(|x| x.worker == a.worker && x.since == today)
        {
            Some(x) => *x = a,
            None => out.push(a),
        }
    };
    for mut a in current {
        let has = a.buildings.contains(&building);
        let wants = to == Some(a.worker);
        if has && !wants {
            a.buildings.retain(|b| *b != building);
            put(&mut out, a);
        } else if wants && !has {
            a.buildings.push(building);
            a.buildings.sort();
            put(&mut out, a);
        }
    }
    if let Some(w) = to
        && !out.iter().any(|a| a.worker == w)
    {
        put(
            &mut out,
            Assignment {
                worker: w,
                buildings: vec![building],
                households: vec![],
                since: today,
            },
        );
    }
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
            let rule = special(&ledger.committee.visit_intervals, h).unwrap_or_else(|| panic!());
            assert_eq!(rule.tag, o.reason);
            assert!(o.days.is_none_or(|d| d > 30));
        }
    }

    #[test]
    fn a_visit_to_a_household_with_an_interval_tag_starts_as_special() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 7);
        let intervals = &ledger.committee.visit_intervals;
        let alone = ledger
            .households
            .households
            .iter()
            .find(|h| h.has_tag(crate::model::TagDimension::ResidentType, "独居老人"))
            .unwrap_or_else(|| panic!("the demo has people living alone"));
        assert_eq!(default_visit_kind(intervals, alone), VisitKind::Special);
        let plain = ledger
            .households
            .households
            .iter()
            .find(|h| special(intervals, h).is_none())
            .unwrap_or_else(|| panic!());
        assert_eq!(default_visit_kind(intervals, plain), VisitKind::General);
        // Without the committee's rules nobody is special.
        assert_eq!(default_visit_kind(&[], alone), VisitKind::General);
    }

    #[test]
    fn a_workers_block_is_their_buildings_and_their_overdue_households() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 7);
        let all = overdue(&ledger, today);
        let mut total = 0;
        for w in &ledger.committee.workers {
            let b = block(&ledger, w.id, today, &all);
            assert!(b.visited <= b.households);
            let mine = block_of(&ledger, w.id);
            assert!(b.overdue.iter().all(|o| mine.contains(&o.household)));
            total += b.overdue.len();
        }
        // Every building is someone's: each overdue household is in exactly one block.
        assert!(total >= all.len(), "{total} of {}", all.len());
        let nobody = block(&ledger, WorkerId(9999), today, &all);
        assert_eq!((nobody.households, nobody.overdue.len()), (0, 0));
    }

    #[test]
    fn intervals_are_the_committees_own() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let mut ledger = generate(DemoSize::Typical, today, 7);
        let by_tag =
            |l: &Ledger, tag: &str| overdue(l, today).iter().filter(|o| o.reason == tag).count();
        let alone = by_tag(&ledger, "独居老人");
        assert!(alone > 0);
        // Visiting 独居老人 every 7 days makes more of them overdue; dropping the rule, none.
        for i in &mut ledger.committee.visit_intervals {
            if i.tag == "独居老人" {
                i.days = 7;
            }
        }
        assert!(by_tag(&ledger, "独居老人") > alone);
        ledger
            .committee
            .visit_intervals
            .retain(|i| i.tag != "独居老人");
        assert_eq!(by_tag(&ledger, "独居老人"), 0);
        // A committee's own rule: 高龄老人 every 60 days.
        ledger.committee.visit_intervals.push(VisitInterval {
            dimension: crate::model::TagDimension::ResidentType,
            tag: "高龄老人".into(),
            days: 60,
        });
        for o in overdue(&ledger, today)
            .iter()
            .filter(|o| o.reason == "高龄老人")
        {
            assert_eq!(o.interval, 60);
            assert!(o.days.is_none_or(|d| d > 60));
        }
    }

    #[test]
    fn reassigning_a_building_keeps_history_and_moves_it() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap_or_default();
        let (a, b) = (WorkerId(1), WorkerId(2));
        let start = vec![Assignment {
            worker: a,
            buildings: vec![BuildingId(1), BuildingId(2)],
            households: vec![],
            since: d(1, 1),
        }];
        let mut ledger = Ledger::default();
        let moved = reassign(&start, BuildingId(2), Some(b), d(11, 23));
        assert_eq!(moved.len(), 3, "the old record stays: {moved:?}");
        ledger.committee.assignments = moved.clone();
        assert_eq!(ledger.committee.worker_for_building(BuildingId(2)), Some(b));
        assert_eq!(ledger.committee.worker_for_building(BuildingId(1)), Some(a));
        let now = current_assignments(&moved);
        assert_eq!(now[&a].buildings, [BuildingId(1)]);
        assert_eq!(now[&b].buildings, [BuildingId(2)]);
        // Again on the same day: today's records are updated, not added.
        let back = reassign(&moved, BuildingId(2), Some(a), d(11, 23));
        assert_eq!(back.len(), 3);
        let now = current_assignments(&back);
        assert_eq!(now[&a].buildings, [BuildingId(1), BuildingId(2)]);
        assert!(now[&b].buildings.is_empty());
        let nobody = reassign(&back, BuildingId(1), None, d(11, 23));
        assert_eq!(current_assignments(&nobody)[&a].buildings, [BuildingId(2)]);
    }

    #[test]
    fn the_map_puts_each_household_in_its_room() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 7);
        let last = last_visits(&ledger);
        let b = &ledger.households.buildings[0];
        let map = building_map(&ledger, b.id, &last, today);
        assert_eq!(map.floors.len(), b.floors as usize);
        assert_eq!(map.floors[0].0, b.floors, "top floor first");
        let placed = map.living();
        let living = ledger
            .households
            .households
            .iter()
            .filter(|h| h.building == b.id && h.is_active())
            .count();
        assert_eq!(placed, living);
        for c in map.floors.iter().flat_map(|(_, r)| r) {
            if let Some(id) = c.household {
                assert_eq!(
                    ledger.households.household(id).map(|h| h.room.as_str()),
                    Some(c.room.as_str())
                );
                assert_eq!(c.days, last.get(&id).map(|d| (today - *d).num_days()));
            }
        }
    }
}
