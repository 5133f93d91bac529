//! The monthly brief for the street (月度工作简报): in one month, each worker's visits against
//! the 30 they owe, the special households whose visit was overdue at the month's end, the
//! problems raised, solved and answered in the month and those still open at its end, and
//! where each practical project stood. Counted from the ledger as it was at the month's end
//! (what happened after it is left out), so a month's brief made later says the same.
//! Internal: it names addresses of overdue households, never a person.

use super::coverage::{MONTHLY_VISITS, blocks, special};
use super::problem::{Problem, ProblemStatus};
use super::project::ProjectStage;
use super::{HouseholdId, Ledger, WorkerId};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// One worker's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerLine {
    /// Name.
    pub name: String,
    /// Visits made as 走访人.
    pub visits: usize,
    /// Of them, 特殊对象走访.
    pub special: usize,
    /// Households visited (one counted once).
    pub households: usize,
}

impl WorkerLine {
    /// Whether the 30 a month were reached.
    pub fn met(&self) -> bool {
        self.visits >= MONTHLY_VISITS
    }
}

/// A special household whose visit was overdue at the month's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueLine {
    /// Its address (小区 楼 室), no name.
    pub address: String,
    /// Why it is special (the tag: 独居老人…).
    pub reason: String,
    /// Days allowed between visits.
    pub interval: u32,
    /// Days since the last visit at the month's end; `None`: never visited.
    pub days: Option<i64>,
    /// The worker whose block (包干) holds it, if any.
    pub worker: String,
}

/// Problems of one category in the month.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProblemLine {
    /// The category (or 合计).
    pub label: String,
    /// Raised in the month.
    pub raised: usize,
    /// Of them, 突出问题.
    pub prominent: usize,
    /// Closed as 已解决 in the month (whenever raised).
    pub solved: usize,
    /// Closed as 已答复 (cannot be solved for now) in the month.
    pub answered: usize,
    /// Raised by the month's end and not closed by then.
    pub open: usize,
}

impl ProblemLine {
    fn count(&mut self, p: &Problem, first: NaiveDate, last: NaiveDate) {
        let in_month = |d: NaiveDate| d >= first && d <= last;
        if in_month(p.raised_on) {
            self.raised += 1;
            self.prominent += usize::from(p.prominent);
        }
        match p.closed_on {
            Some(d) if in_month(d) && p.status == ProblemStatus::Solved => self.solved += 1,
            Some(d) if in_month(d) && p.status == ProblemStatus::Answered => self.answered += 1,
            _ => {}
        }
        if p.raised_on <= last && p.closed_on.is_none_or(|d| d > last) {
            self.open += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.raised + self.solved + self.answered + self.open == 0
    }
}

/// Where a practical project stood at the month's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectLine {
    /// Its title.
    pub title: String,
    /// The stage it had reached.
    pub stage: ProjectStage,
    /// When it reached it, if recorded.
    pub since: Option<NaiveDate>,
    /// Whether it moved to that stage within the month.
    pub moved: bool,
}

/// The brief of one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyBrief {
    /// The month's year.
    pub year: i32,
    /// The month.
    pub month: u32,
    /// Its first day.
    pub first: NaiveDate,
    /// The last day counted: the month's last, or today for the month under way.
    pub last: NaiveDate,
    /// Workers in service for some of the month, in the committee's order.
    pub workers: Vec<WorkerLine>,
    /// Every visit in the month (by anyone).
    pub visits: usize,
    /// Households visited in the month.
    pub households_visited: usize,
    /// Households living here.
    pub households: usize,
    /// Households visited this year up to the month's end.
    pub visited_this_year: usize,
    /// Special households overdue at the end, the longest first.
    pub overdue: Vec<OverdueLine>,
    /// Problems: the month as a whole.
    pub problems: ProblemLine,
    /// Problems by category (those with anything to count), in the committee's order.
    pub problem_categories: Vec<ProblemLine>,
    /// Every project of the year or still under way, in the order of their stages.
    pub projects: Vec<ProjectLine>,
}

impl MonthlyBrief {
    /// The title: 2026年11月工作简报.
    pub fn title(&self) -> String {
        format!("{}年{}月工作简报", self.year, self.month)
    }

    /// Whether the whole month is counted (not only up to today).
    pub fn is_whole_month(&self) -> bool {
        self.last.succ_opt().is_none_or(|d| d.month() != self.month)
    }

    /// Workers who reached the 30 a month.
    pub fn workers_met(&self) -> usize {
        self.workers.iter().filter(|w| w.met()).count()
    }

    /// How many projects stood at each stage, in the order of the stages (stages with none
    /// left out).
    pub fn projects_by_stage(&self) -> Vec<(ProjectStage, usize)> {
        ProjectStage::ALL
            .iter()
            .map(|&s| (s, self.projects.iter().filter(|p| p.stage == s).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// The brief of `month` of `year`, counted up to the month's end or `today`, whichever comes
/// first. Needs every year of visits up to the month (for the last visit of each household).
pub fn brief(ledger: &Ledger, year: i32, month: u32, today: NaiveDate) -> Option<MonthlyBrief> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let end = first
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?;
    let last = end.min(today);
    let in_month = |d: NaiveDate| d >= first && d <= last;
    let book = &ledger.households;

    // Visits: the month's, and the last one of each household up to the end.
    let mut per_worker: HashMap<WorkerId, (usize, usize, HashSet<HouseholdId>)> = HashMap::new();
    let mut month_households = HashSet::new();
    // By household number (numbers are dense): every visit of every year passes here, and a
    // table is several times quicker than a hash map for that.
    let slots = book
        .households
        .iter()
        .map(|h| h.id.0 as usize + 1)
        .max()
        .unwrap_or(0);
    let mut year_households = vec![false; slots];
    let mut last_visit: Vec<Option<NaiveDate>> = vec![None; slots];
    let mut visits = 0;
    for v in ledger.all_visits() {
        let day = v.at.date();
        if day > last {
            continue;
        }
        let slot = v.household.0 as usize;
        if let Some(d) = last_visit.get_mut(slot) {
            *d = Some(d.map_or(day, |d| d.max(day)));
        }
        if day.year() == year
            && let Some(seen) = year_households.get_mut(slot)
        {
            *seen = true;
        }
        if in_month(day) {
            visits += 1;
            month_households.insert(v.household);
            let w = per_worker.entry(v.worker).or_default();
            w.0 += 1;
            w.1 += usize::from(v.kind == super::VisitKind::Special);
            w.2.insert(v.household);
        }
    }
    let workers = ledger
        .committee
        .workers
        .iter()
        // In service for some of the month (one who left mid-month made some of its visits).
        .filter(|w| w.since <= last && w.left_on.is_none_or(|left| left > first))
        .map(|w| {
            let (visits, special, households) = per_worker.remove(&w.id).unwrap_or_default();
            WorkerLine {
                name: w.name.clone(),
                visits,
                special,
                households: households.len(),
            }
        })
        .collect();

    // Households living here at the end: not moved out by then.
    let living: Vec<_> = book
        .households
        .iter()
        .filter(|h| h.moved_out.is_none_or(|d| d > last))
        .collect();
    let overdue = overdue_at(ledger, &living, &last_visit, last);

    let (problems, problem_categories) = problem_lines(ledger, first, last);
    let projects = project_lines(ledger, year, first, last);

    Some(MonthlyBrief {
        year,
        month,
        first,
        last,
        workers,
        visits,
        households_visited: month_households.len(),
        households: living.len(),
        visited_this_year: living
            .iter()
            .filter(|h| year_households.get(h.id.0 as usize) == Some(&true))
            .count(),
        overdue,
        problems,
        problem_categories,
        projects,
    })
}

/// The special households among `living` whose last visit (up to `last`) is older than their
/// interval, the longest overdue (never visited) first, each with the worker holding it.
fn overdue_at(
    ledger: &Ledger,
    living: &[&super::Household],
    last_visit: &[Option<NaiveDate>],
    last: NaiveDate,
) -> Vec<OverdueLine> {
    let book = &ledger.households;
    let blocks = blocks(ledger);
    // The worker holding a household (the first by number, if two hold it).
    let holder = |h: HouseholdId| {
        blocks
            .iter()
            .filter(|(_, hs)| hs.contains(&h))
            .map(|(w, _)| *w)
            .min()
            .and_then(|w| ledger.committee.worker(w))
            .map(|w| w.name.clone())
            .unwrap_or_default()
    };
    let mut overdue: Vec<OverdueLine> = living
        .iter()
        .filter_map(|h| {
            let i = special(&ledger.committee.visit_intervals, h)?;
            let days = last_visit
                .get(h.id.0 as usize)
                .copied()
                .flatten()
                .map(|d| (last - d).num_days());
            days.is_none_or(|d| d > i64::from(i.days))
                .then(|| OverdueLine {
                    address: book.address_of(h),
                    reason: i.tag.clone(),
                    interval: i.days,
                    days,
                    worker: holder(h.id),
                })
        })
        .collect();
    overdue.sort_by(|a, b| {
        b.days
            .unwrap_or(i64::MAX)
            .cmp(&a.days.unwrap_or(i64::MAX))
            .then_with(|| a.address.cmp(&b.address))
    });
    overdue
}

/// The month's problems as a whole and by category (those with anything to count, in the
/// committee's order, then any others by name).
fn problem_lines(
    ledger: &Ledger,
    first: NaiveDate,
    last: NaiveDate,
) -> (ProblemLine, Vec<ProblemLine>) {
    let mut problems = ProblemLine {
        label: "合计".to_owned(),
        ..ProblemLine::default()
    };
    let mut by_category: HashMap<&str, ProblemLine> = HashMap::new();
    for p in &ledger.problems.problems {
        problems.count(p, first, last);
        by_category
            .entry(p.category.as_str())
            .or_insert_with(|| ProblemLine {
                label: p.category.clone(),
                ..ProblemLine::default()
            })
            .count(p, first, last);
    }
    let mut problem_categories = Vec::new();
    for c in ledger.committee.all_problem_categories() {
        if let Some(line) = by_category.remove(c.as_str()) {
            problem_categories.push(line);
        }
    }
    let mut others: Vec<ProblemLine> = by_category.into_values().collect();
    others.sort_by(|a, b| a.label.cmp(&b.label));
    problem_categories.extend(others);
    problem_categories.retain(|l| !l.is_empty());

    (problems, problem_categories)
}

/// Where each project stood at `last`, by its milestones up to then: those of `year` and
/// earlier ones not finished before it, in the order of their stages.
fn project_lines(
    ledger: &Ledger,
    year: i32,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<ProjectLine> {
    let in_month = |d: NaiveDate| d >= first && d <= last;
    let mut projects: Vec<ProjectLine> = ledger
        .projects
        .projects
        .iter()
        .filter(|p| p.year <= year)
        .filter_map(|p| {
            let reached = p
                .milestones
                .iter()
                .filter(|m| m.on <= last)
                .max_by_key(|m| m.on);
            let (stage, since) = match reached {
                Some(m) => (m.stage, Some(m.on)),
                // No milestone yet: gathering needs, if the project is of this year.
                None if p.milestones.is_empty() && p.year == year => (p.stage, None),
                None => return None,
            };
            // Done in an earlier year: no longer reported.
            let finished_before =
                stage == ProjectStage::Done && since.is_some_and(|d| d.year() < year);
            (!finished_before).then(|| ProjectLine {
                title: p.title.clone(),
                stage,
                since,
                moved: since.is_some_and(in_month),
            })
        })
        .collect();
    projects.sort_by_key(|p| ProjectStage::ALL.iter().position(|s| *s == p.stage));
    projects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::problem::sample_problem;
    use crate::model::project::Milestone;
    use crate::model::project_flow::sample_project;
    use crate::model::{
        Assignment, Building, BuildingId, Compound, CompoundId, Household, Person, PersonId,
        ProjectId, Role, TagDimension, Visit, VisitId, VisitInterval, VisitKind, Worker,
    };

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn household(id: u32, room: &str, alone: bool, moved_out: Option<NaiveDate>) -> Household {
        let mut p = Person {
            relation: "户主".into(),
            ..Person::new(PersonId(id), format!("居民{id}"))
        };
        if alone {
            p.set_tag(
                TagDimension::ResidentType,
                "独居老人",
                d(2026, 1, 1),
                "测试",
            );
        }
        Household {
            members: vec![p],
            moved_out,
            ..Household::new(HouseholdId(id), BuildingId(1), room)
        }
    }

    fn visit(seq: u32, at: NaiveDate, worker: u32, household: u32, special: bool) -> Visit {
        Visit {
            id: VisitId {
                year: at.year(),
                seq,
            },
            at: at.and_hms_opt(9, 0, 0).unwrap_or_default(),
            worker: WorkerId(worker),
            companions: Vec::new(),
            household: HouseholdId(household),
            resident_name: String::new(),
            family_situation: String::new(),
            kind: if special {
                VisitKind::Special
            } else {
                VisitKind::General
            },
            reason: "走访".into(),
            needs: Vec::new(),
            note: String::new(),
        }
    }

    fn problem(
        id: u32,
        category: &str,
        raised: NaiveDate,
        status: ProblemStatus,
        closed: Option<NaiveDate>,
        prominent: bool,
    ) -> Problem {
        let mut p = sample_problem(id, 1, status, prominent);
        p.category = category.into();
        p.raised_on = raised;
        p.closed_on = closed;
        p
    }

    fn milestones(list: &[(ProjectStage, NaiveDate)]) -> Vec<Milestone> {
        list.iter()
            .map(|&(stage, on)| Milestone {
                stage,
                on,
                note: String::new(),
            })
            .collect()
    }

    /// 楼道整治 at work since 12 November, 非机动车棚 done on 3 December, last year's project.
    fn projects() -> Vec<crate::model::Project> {
        let mut a = sample_project();
        a.id = ProjectId(1);
        a.title = "楼道整治".into();
        a.milestones = milestones(&[
            (ProjectStage::NeedsGathered, d(2026, 3, 1)),
            (ProjectStage::PlanDrafted, d(2026, 4, 1)),
            (ProjectStage::InProgress, d(2026, 11, 12)),
        ]);
        let mut b = sample_project();
        b.id = ProjectId(2);
        b.title = "非机动车棚".into();
        b.milestones = milestones(&[
            (ProjectStage::NeedsGathered, d(2026, 3, 1)),
            (ProjectStage::Done, d(2026, 12, 3)),
        ]);
        let mut c = sample_project();
        c.id = ProjectId(3);
        c.year = 2025;
        c.title = "去年的项目".into();
        c.milestones = milestones(&[(ProjectStage::Done, d(2025, 12, 1))]);
        vec![a, b, c]
    }

    /// A small ledger, counted by hand in the test below.
    fn small() -> Ledger {
        let mut l = Ledger::default();
        for (id, name, left) in [
            (1, "王", None),
            (2, "李", None),
            (3, "赵", Some(d(2026, 10, 15))),
        ] {
            l.committee.workers.push(Worker {
                id: WorkerId(id),
                name: name.into(),
                roles: vec![Role::SocialWorker],
                phone: None,
                signs_notices: false,
                since: d(2020, 1, 1),
                left_on: left,
            });
        }
        l.committee.visit_intervals = vec![VisitInterval {
            dimension: TagDimension::ResidentType,
            tag: "独居老人".into(),
            days: 30,
        }];
        l.committee.assignments = vec![Assignment {
            worker: WorkerId(1),
            buildings: vec![BuildingId(1)],
            households: Vec::new(),
            since: d(2026, 1, 1),
        }];
        l.households.compounds.push(Compound {
            id: CompoundId(1),
            name: "樱园新村".into(),
            address: String::new(),
        });
        l.households.buildings.push(Building {
            id: BuildingId(1),
            compound: CompoundId(1),
            number: "3号".into(),
            floors: 6,
            rooms_per_floor: 2,
        });
        l.households.households = vec![
            household(1, "101", true, None),
            household(2, "102", false, None),
            household(3, "201", false, Some(d(2026, 11, 10))),
            household(4, "202", true, None),
        ];
        l.visits.insert(
            2026,
            vec![
                visit(1, d(2026, 9, 1), 1, 1, true),
                visit(2, d(2026, 11, 2), 1, 2, false),
                visit(3, d(2026, 11, 5), 1, 4, true),
                visit(4, d(2026, 11, 5), 1, 2, false),
                visit(5, d(2026, 11, 20), 2, 2, false),
                visit(6, d(2026, 12, 1), 2, 1, true),
                visit(7, d(2026, 10, 31), 2, 2, false),
            ],
        );
        use ProblemStatus::*;
        let env = "环境卫生";
        l.problems.problems = vec![
            problem(1, env, d(2026, 11, 3), Solved, Some(d(2026, 11, 10)), true),
            problem(
                2,
                env,
                d(2026, 10, 20),
                Solved,
                Some(d(2026, 11, 15)),
                false,
            ),
            problem(3, env, d(2026, 11, 25), Open, None, false),
            problem(
                4,
                env,
                d(2026, 9, 1),
                Answered,
                Some(d(2026, 11, 30)),
                false,
            ),
            problem(5, env, d(2026, 10, 1), InProgress, None, false),
            problem(6, env, d(2026, 11, 28), Solved, Some(d(2026, 12, 2)), false),
            problem(7, "小区停车", d(2026, 11, 10), Open, None, false),
            problem(8, "养宠", d(2026, 8, 1), Solved, Some(d(2026, 8, 9)), false),
        ];
        l.projects.projects = projects();
        l
    }

    #[test]
    fn a_months_brief_agrees_with_a_hand_count() {
        // Made on 5 December: what happened after November is left out.
        let b = brief(&small(), 2026, 11, d(2026, 12, 5)).unwrap_or_else(|| panic!());
        assert_eq!(b.title(), "2026年11月工作简报");
        assert_eq!((b.first, b.last), (d(2026, 11, 1), d(2026, 11, 30)));
        assert!(b.is_whole_month());
        // 王: 2 Nov (102), 5 Nov (202, special), 5 Nov (102 again); 李: 20 Nov; 赵 had left.
        assert_eq!(
            b.workers,
            [
                WorkerLine {
                    name: "王".into(),
                    visits: 3,
                    special: 1,
                    households: 2
                },
                WorkerLine {
                    name: "李".into(),
                    visits: 1,
                    special: 0,
                    households: 1
                },
            ]
        );
        assert_eq!(b.workers_met(), 0);
        assert_eq!((b.visits, b.households_visited), (4, 2));
        // 201 moved out on 10 November; 101 was visited in September.
        assert_eq!((b.households, b.visited_this_year), (3, 3));
        // 101 lives alone, last visited 1 September: 90 days at the month's end (the visit
        // of 1 December does not count); 202 was visited on 5 November.
        assert_eq!(
            b.overdue,
            [OverdueLine {
                address: "樱园新村 3号 101室".into(),
                reason: "独居老人".into(),
                interval: 30,
                days: Some(90),
                worker: "王".into(),
            }]
        );
        // Raised in November: 1, 3, 6, 7 (1 prominent); solved in November: 1 and 2 (6 was
        // solved in December); answered: 4; open at the end: 3, 5, 6, 7.
        assert_eq!(
            (
                b.problems.raised,
                b.problems.prominent,
                b.problems.solved,
                b.problems.answered,
                b.problems.open
            ),
            (4, 1, 2, 1, 4)
        );
        // Categories in the committee's order; 养宠 had nothing in November.
        let lines: Vec<(&str, [usize; 5])> = b
            .problem_categories
            .iter()
            .map(|l| {
                (
                    l.label.as_str(),
                    [l.raised, l.prominent, l.solved, l.answered, l.open],
                )
            })
            .collect();
        assert_eq!(
            lines,
            [("小区停车", [1, 0, 0, 0, 1]), ("环境卫生", [3, 1, 2, 1, 3])]
        );
        // 楼道整治 began work on 12 November; 非机动车棚 was done only in December; last
        // year's finished project is not reported.
        assert_eq!(
            b.projects,
            [
                ProjectLine {
                    title: "非机动车棚".into(),
                    stage: ProjectStage::NeedsGathered,
                    since: Some(d(2026, 3, 1)),
                    moved: false
                },
                ProjectLine {
                    title: "楼道整治".into(),
                    stage: ProjectStage::InProgress,
                    since: Some(d(2026, 11, 12)),
                    moved: true
                },
            ]
        );
        assert_eq!(
            b.projects_by_stage(),
            [
                (ProjectStage::NeedsGathered, 1),
                (ProjectStage::InProgress, 1)
            ]
        );
    }

    #[test]
    fn the_month_under_way_is_counted_to_today() {
        let b = brief(&small(), 2026, 11, d(2026, 11, 10)).unwrap_or_else(|| panic!());
        assert_eq!(b.last, d(2026, 11, 10));
        assert!(!b.is_whole_month());
        // 李's visit of the 20th has not happened yet; 201 has just moved out.
        assert_eq!(b.visits, 3);
        assert_eq!(b.problems.raised, 2, "problems 1 and 7");
        assert!(brief(&small(), 2026, 13, d(2026, 11, 10)).is_none());
    }
}
