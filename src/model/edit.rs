//! Edits as values. Every change the app makes to the ledger is an [`Edit`]: applying one returns
//! its inverse, which is what undo applies (and applying that returns the redo). An edit names the
//! records it replaces, so it also says which collections (files) it touches.

use super::committee::{Assignment, VisitInterval};
use super::desk::{DutyShift, Reception, ReceptionId};
use super::fund::{FundKind, FundPlan, Income, Payment, PaymentId};
use super::household::{Building, Compound, Household, HouseholdId};
use super::import::Field;
use super::ledger::{Collection, Ledger};
use super::lists::SavedList;
use super::problem::{Problem, ProblemId};
use super::project::{Project, ProjectId};
use super::visit::{Visit, VisitId};

/// One change to the ledger: each record is put (added or replaced) or, with `None`, removed.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A household with its members.
    Household(HouseholdId, Option<Box<Household>>),
    /// A visit.
    Visit(VisitId, Option<Box<Visit>>),
    /// A problem.
    Problem(ProblemId, Option<Box<Problem>>),
    /// A practical project.
    Project(ProjectId, Option<Box<Project>>),
    /// A fund payment (kept in its year's file).
    Payment(PaymentId, Option<Box<Payment>>),
    /// A fund's yearly plan.
    FundPlan(i32, FundKind, Option<Box<FundPlan>>),
    /// The money received in a year (a few entries: replaced whole).
    Incomes(i32, Vec<Income>),
    /// A reception.
    Reception(ReceptionId, Option<Box<Reception>>),
    /// The whole duty rota (a few hundred shifts a year).
    Shifts(Vec<DutyShift>),
    /// All worker assignments (包干).
    Assignments(Vec<Assignment>),
    /// The committee's saved lists (智能名单).
    Lists(Vec<SavedList>),
    /// The visit intervals of special households.
    Intervals(Vec<VisitInterval>),
    /// The satisfaction (percent) below which a project is rectified.
    Threshold(u32),
    /// Several edits made as one (a visit and the problems its needs became).
    Batch(Vec<Edit>),
    /// Every compound and building (an import adds them).
    Places(Vec<Compound>, Vec<Building>),
    /// The headings an import remembers (`CommitteeBook::import_headings`).
    ImportHeadings(Vec<(String, Option<Field>)>),
}

/// Replaces the record with `id` in a list kept sorted by id, or inserts or removes it; returns
/// what was there.
fn put_sorted<T, K: Ord + Copy>(
    list: &mut Vec<T>,
    id: K,
    key: impl Fn(&T) -> K,
    new: Option<T>,
) -> Option<T> {
    match (list.binary_search_by_key(&id, &key), new) {
        (Ok(at), Some(new)) => Some(std::mem::replace(&mut list[at], new)),
        (Ok(at), None) => Some(list.remove(at)),
        (Err(at), Some(new)) => {
            list.insert(at, new);
            None
        }
        (Err(_), None) => None,
    }
}

/// Like [`put_sorted`] for a list in any order (found by a scan; new records go last).
fn put_any<T, K: PartialEq>(
    list: &mut Vec<T>,
    id: &K,
    key: impl Fn(&T) -> &K,
    new: Option<T>,
) -> Option<T> {
    match (list.iter().position(|x| key(x) == id), new) {
        (Some(at), Some(new)) => Some(std::mem::replace(&mut list[at], new)),
        (Some(at), None) => Some(list.remove(at)),
        (None, Some(new)) => {
            list.push(new);
            None
        }
        (None, None) => None,
    }
}

impl Edit {
    /// The collections (files) this edit changes.
    pub fn collections(&self) -> Vec<Collection> {
        match self {
            Edit::Household(id, _) => vec![Collection::of_household(*id)],
            Edit::Visit(id, _) => vec![Collection::Visits(id.year)],
            Edit::Problem(..) => vec![Collection::Problems],
            Edit::Project(..) => vec![Collection::Projects],
            Edit::Payment(id, _) => vec![Collection::Funds(id.year)],
            Edit::FundPlan(year, ..) | Edit::Incomes(year, _) => vec![Collection::Funds(*year)],
            Edit::Reception(..) | Edit::Shifts(_) => vec![Collection::Desk],
            Edit::Assignments(_) | Edit::Lists(_) | Edit::Intervals(_) | Edit::Threshold(_) => {
                vec![Collection::Committee]
            }
            Edit::Places(..) => vec![Collection::Buildings],
            Edit::ImportHeadings(_) => vec![Collection::Committee],
            Edit::Batch(edits) => {
                let mut all: Vec<Collection> = edits.iter().flat_map(Edit::collections).collect();
                all.sort();
                all.dedup();
                all
            }
        }
    }

    /// Applies the edit and returns its inverse.
    pub fn apply(self, ledger: &mut Ledger) -> Edit {
        match self {
            Edit::Household(id, new) => {
                let list = &mut ledger.households.households;
                let old = put_sorted(list, id, |h| h.id, new.map(|b| *b));
                Edit::Household(id, old.map(Box::new))
            }
            Edit::Visit(id, new) => {
                // A year's visits are in the order they were logged, not always by number.
                let list = ledger.visits.entry(id.year).or_default();
                let old = put_any(list, &id, |v| &v.id, new.map(|b| *b));
                Edit::Visit(id, old.map(Box::new))
            }
            Edit::Problem(id, new) => {
                let list = &mut ledger.problems.problems;
                let old = put_any(list, &id, |p| &p.id, new.map(|b| *b));
                Edit::Problem(id, old.map(Box::new))
            }
            Edit::Project(id, new) => {
                let list = &mut ledger.projects.projects;
                let old = put_any(list, &id, |p| &p.id, new.map(|b| *b));
                Edit::Project(id, old.map(Box::new))
            }
            Edit::Payment(id, new) => {
                let list = &mut ledger.funds.entry(id.year).or_default().payments;
                let old = put_any(list, &id, |p| &p.id, new.map(|b| *b));
                Edit::Payment(id, old.map(Box::new))
            }
            Edit::FundPlan(year, fund, new) => {
                let list = &mut ledger.funds.entry(year).or_default().plans;
                let old = put_any(list, &fund, |p| &p.fund, new.map(|b| *b));
                Edit::FundPlan(year, fund, old.map(Box::new))
            }
            Edit::Incomes(year, list) => Edit::Incomes(
                year,
                std::mem::replace(&mut ledger.funds.entry(year).or_default().income, list),
            ),
            Edit::Reception(id, new) => {
                let list = &mut ledger.desk.receptions;
                let old = put_any(list, &id, |r| &r.id, new.map(|b| *b));
                Edit::Reception(id, old.map(Box::new))
            }
            Edit::Shifts(shifts) => {
                Edit::Shifts(std::mem::replace(&mut ledger.desk.shifts, shifts))
            }
            Edit::Assignments(list) => {
                Edit::Assignments(std::mem::replace(&mut ledger.committee.assignments, list))
            }
            Edit::Lists(lists) => {
                Edit::Lists(std::mem::replace(&mut ledger.committee.lists, lists))
            }
            Edit::Intervals(list) => Edit::Intervals(std::mem::replace(
                &mut ledger.committee.visit_intervals,
                list,
            )),
            Edit::Threshold(percent) => Edit::Threshold(std::mem::replace(
                &mut ledger.committee.satisfaction_threshold,
                percent,
            )),
            Edit::Places(compounds, buildings) => {
                let book = &mut ledger.households;
                Edit::Places(
                    std::mem::replace(&mut book.compounds, compounds),
                    std::mem::replace(&mut book.buildings, buildings),
                )
            }
            Edit::ImportHeadings(list) => Edit::ImportHeadings(std::mem::replace(
                &mut ledger.committee.import_headings,
                list,
            )),
            Edit::Batch(edits) => {
                let mut inverse: Vec<Edit> = edits.into_iter().map(|e| e.apply(ledger)).collect();
                inverse.reverse();
                Edit::Batch(inverse)
            }
        }
    }
}

/// Undo and redo of recent edits, each with a Chinese description ("新增 5号楼302室").
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<(String, Edit)>,
    redo: Vec<(String, Edit)>,
}

/// How many edits can be undone.
pub const HISTORY_DEPTH: usize = 100;

impl History {
    /// Records an edit just applied, given its inverse; clears what could be redone.
    pub fn record(&mut self, label: String, inverse: Edit) {
        self.redo.clear();
        self.undo.push((label, inverse));
        if self.undo.len() > HISTORY_DEPTH {
            self.undo.remove(0);
        }
    }

    /// What undo would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|(l, _)| l.as_str())
    }

    /// What redo would redo.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|(l, _)| l.as_str())
    }

    /// Takes the edit that undoes the last one; give its inverse to [`History::undone`].
    pub fn take_undo(&mut self) -> Option<(String, Edit)> {
        self.undo.pop()
    }

    /// Records that an undo was applied, keeping its inverse for redo.
    pub fn undone(&mut self, label: String, inverse: Edit) {
        self.redo.push((label, inverse));
    }

    /// Takes the edit that redoes the last undo; give its inverse to [`History::redone`].
    pub fn take_redo(&mut self) -> Option<(String, Edit)> {
        self.redo.pop()
    }

    /// Records that a redo was applied.
    pub fn redone(&mut self, label: String, inverse: Edit) {
        self.undo.push((label, inverse));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BuildingId, ProblemSource, ProblemStatus, ResolutionPath};
    use chrono::NaiveDate;

    fn household(id: u32, note: &str) -> Household {
        Household {
            id: HouseholdId(id),
            building: BuildingId(1),
            room: format!("{id}01"),
            house_type: String::new(),
            phone: None,
            has_vehicle: false,
            separated: false,
            members: vec![],
            events: vec![],
            moved_out: None,
            note: note.into(),
        }
    }

    fn problem(id: u32) -> Problem {
        Problem {
            id: ProblemId(id),
            raised_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            source: ProblemSource::Patrol,
            category: "其他".into(),
            title: "楼道灯坏".into(),
            description: String::new(),
            household: None,
            location: String::new(),
            prominent: false,
            path: ResolutionPath::OnTheSpot,
            status: ProblemStatus::Open,
            assigned_to: None,
            steps: vec![],
            answer: String::new(),
            closed_on: None,
            project: None,
            follow_up: None,
        }
    }

    #[test]
    fn each_edit_and_its_inverse_restore_the_ledger() {
        let mut ledger = Ledger::default();
        ledger.households.households = vec![household(1, "a"), household(3, "c")];
        let before = ledger.clone();
        let edits = vec![
            Edit::Household(HouseholdId(2), Some(Box::new(household(2, "b")))),
            Edit::Household(HouseholdId(3), Some(Box::new(household(3, "改")))),
            Edit::Household(HouseholdId(1), None),
            Edit::Batch(vec![
                Edit::Problem(ProblemId(1), Some(Box::new(problem(1)))),
                Edit::Problem(ProblemId(2), Some(Box::new(problem(2)))),
            ]),
        ];
        let mut inverses = Vec::new();
        for e in edits {
            inverses.push(e.apply(&mut ledger));
        }
        let ids: Vec<u32> = ledger
            .households
            .households
            .iter()
            .map(|h| h.id.0)
            .collect();
        assert_eq!(ids, [2, 3], "kept sorted by id");
        assert_eq!(ledger.households.households[1].note, "改");
        assert_eq!(ledger.problems.problems.len(), 2);
        let after = ledger.clone();
        // Undo everything, newest first.
        let mut redos = Vec::new();
        for inv in inverses.into_iter().rev() {
            redos.push(inv.apply(&mut ledger));
        }
        assert_eq!(ledger, before);
        // Redo everything.
        for r in redos.into_iter().rev() {
            r.apply(&mut ledger);
        }
        assert_eq!(ledger, after);
    }

    #[test]
    fn collections_name_the_files_touched() {
        let e = Edit::Batch(vec![
            Edit::Household(HouseholdId(501), None),
            Edit::Problem(ProblemId(1), None),
            Edit::Problem(ProblemId(2), None),
        ]);
        assert_eq!(
            e.collections(),
            [Collection::Households(1), Collection::Problems]
        );
    }

    #[test]
    fn history_undoes_and_redoes_in_order() {
        let mut ledger = Ledger::default();
        let mut history = History::default();
        for n in 1..=3 {
            let inv = Edit::Household(HouseholdId(n), Some(Box::new(household(n, ""))))
                .apply(&mut ledger);
            history.record(format!("新增 {n}"), inv);
        }
        assert_eq!(history.undo_label(), Some("新增 3"));
        let (label, edit) = history.take_undo().unwrap();
        history.undone(label, edit.apply(&mut ledger));
        assert_eq!(ledger.households.households.len(), 2);
        assert_eq!(history.redo_label(), Some("新增 3"));
        let (label, edit) = history.take_redo().unwrap();
        history.redone(label, edit.apply(&mut ledger));
        assert_eq!(ledger.households.households.len(), 3);
        // A new edit clears redo.
        let (label, edit) = history.take_undo().unwrap();
        history.undone(label, edit.apply(&mut ledger));
        let inv =
            Edit::Household(HouseholdId(9), Some(Box::new(household(9, "")))).apply(&mut ledger);
        history.record("新增 9".into(), inv);
        assert_eq!(history.redo_label(), None);
    }
}
