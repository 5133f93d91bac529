//! The whole ledger as it is held in memory, and how it divides into collections (one encrypted
//! file each).

use super::committee::CommitteeBook;
use super::desk::DeskBook;
use super::fund::FundYear;
use super::household::{HouseholdBook, HouseholdId};
use super::points::PointBook;
use super::problem::ProblemBook;
use super::project::ProjectBook;
use super::visit::Visit;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// One collection of the ledger: the unit that is encoded, encrypted and saved as one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Collection {
    /// Committee, workers, organisations, assignments, tags.
    Committee,
    /// Compounds and buildings.
    Buildings,
    /// One file's share of the households and their members: those whose id divided by
    /// [`HOUSEHOLDS_PER_FILE`] is this number, so one edit rewrites only a small file.
    Households(u32),
    /// Visits of one year.
    Visits(i32),
    /// Receptions and duty shifts.
    Desk,
    /// The problem list.
    Problems,
    /// Practical projects.
    Projects,
    /// The three funds for one year.
    Funds(i32),
    /// Point-card items.
    Points,
}

/// How many household ids share one file.
pub const HOUSEHOLDS_PER_FILE: u32 = 500;

impl Collection {
    /// The file that holds a household.
    pub fn of_household(id: HouseholdId) -> Collection {
        Collection::Households(id.0 / HOUSEHOLDS_PER_FILE)
    }

    /// Whether this collection is one year of a yearly kind (visits, funds).
    pub fn year(self) -> Option<i32> {
        match self {
            Collection::Visits(y) | Collection::Funds(y) => Some(y),
            _ => None,
        }
    }

    /// The stem of its file name: `households-000`, `visits-2026`, `funds-2025`.
    pub fn stem(self) -> String {
        match self {
            Collection::Committee => "committee".to_owned(),
            Collection::Buildings => "buildings".to_owned(),
            Collection::Households(n) => format!("households-{n:03}"),
            Collection::Visits(y) => format!("visits-{y}"),
            Collection::Desk => "desk".to_owned(),
            Collection::Problems => "problems".to_owned(),
            Collection::Projects => "projects".to_owned(),
            Collection::Funds(y) => format!("funds-{y}"),
            Collection::Points => "points".to_owned(),
        }
    }

    /// Reads a stem back.
    pub fn from_stem(stem: &str) -> Option<Collection> {
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=9999).contains(y));
        Some(match stem {
            "committee" => Collection::Committee,
            "buildings" => Collection::Buildings,
            "desk" => Collection::Desk,
            "problems" => Collection::Problems,
            "projects" => Collection::Projects,
            "points" => Collection::Points,
            s => {
                if let Some(n) = s.strip_prefix("households-") {
                    (n.len() >= 3 && n.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| n.parse().ok())
                        .flatten()
                        .map(Collection::Households)?
                } else if let Some(y) = s.strip_prefix("visits-") {
                    Collection::Visits(year(y)?)
                } else if let Some(y) = s.strip_prefix("funds-") {
                    Collection::Funds(year(y)?)
                } else {
                    return None;
                }
            }
        })
    }

    /// The Chinese name, for messages.
    pub fn label(self) -> String {
        match self {
            Collection::Committee => "居委会与工作人员".to_owned(),
            Collection::Buildings => "小区与楼栋".to_owned(),
            Collection::Households(n) => format!(
                "居民户台账（第 {}–{} 号户）",
                (n * HOUSEHOLDS_PER_FILE).max(1),
                n * HOUSEHOLDS_PER_FILE + HOUSEHOLDS_PER_FILE - 1
            ),
            Collection::Visits(y) => format!("{y}年走访记录"),
            Collection::Desk => "接待与值班".to_owned(),
            Collection::Problems => "问题清单".to_owned(),
            Collection::Projects => "实事项目".to_owned(),
            Collection::Funds(y) => format!("{y}年经费"),
            Collection::Points => "积分卡".to_owned(),
        }
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.stem())
    }
}

/// Everything the committee records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ledger {
    /// Committee, workers, organisations, assignments, tags.
    pub committee: CommitteeBook,
    /// Households.
    pub households: HouseholdBook,
    /// Visits by year.
    pub visits: BTreeMap<i32, Vec<Visit>>,
    /// Receptions and duty.
    pub desk: DeskBook,
    /// Problems.
    pub problems: ProblemBook,
    /// Projects.
    pub projects: ProjectBook,
    /// Funds by year.
    pub funds: BTreeMap<i32, FundYear>,
    /// Point-card items.
    pub points: PointBook,
}

impl Ledger {
    /// Every collection this ledger holds.
    pub fn collections(&self) -> Vec<Collection> {
        let mut out = vec![Collection::Committee, Collection::Buildings];
        let shards: std::collections::BTreeSet<Collection> = self
            .households
            .households
            .iter()
            .map(|h| Collection::of_household(h.id))
            .collect();
        out.extend(shards);
        out.extend([
            Collection::Desk,
            Collection::Problems,
            Collection::Projects,
            Collection::Points,
        ]);
        out.extend(self.visits.keys().map(|y| Collection::Visits(*y)));
        out.extend(self.funds.keys().map(|y| Collection::Funds(*y)));
        out
    }

    /// Every visit of every loaded year.
    pub fn all_visits(&self) -> impl Iterator<Item = &Visit> {
        self.visits.values().flatten()
    }

    /// Record counts, for `sibai check` and the home screen.
    pub fn counts(&self) -> Counts {
        Counts {
            compounds: self.households.compounds.len(),
            buildings: self.households.buildings.len(),
            households: self
                .households
                .households
                .iter()
                .filter(|h| h.is_active())
                .count(),
            residents: self
                .households
                .households
                .iter()
                .filter(|h| h.is_active())
                .map(|h| h.present_members().count())
                .sum(),
            workers: self.committee.workers.len(),
            organisations: self.committee.organisations.len(),
            visits: self.visits.values().map(Vec::len).sum(),
            receptions: self.desk.receptions.len(),
            shifts: self.desk.shifts.len(),
            problems: self.problems.problems.len(),
            projects: self.projects.projects.len(),
            payments: self.funds.values().map(|f| f.payments.len()).sum(),
            point_entries: self.points.entries.len(),
        }
    }
}

/// How many records of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// 小区.
    pub compounds: usize,
    /// 楼.
    pub buildings: usize,
    /// Households living here.
    pub households: usize,
    /// Residents living here.
    pub residents: usize,
    /// Workers.
    pub workers: usize,
    /// Organisations.
    pub organisations: usize,
    /// Visits.
    pub visits: usize,
    /// Receptions.
    pub receptions: usize,
    /// Duty shifts.
    pub shifts: usize,
    /// Problems.
    pub problems: usize,
    /// Projects.
    pub projects: usize,
    /// Fund payments.
    pub payments: usize,
    /// Point-card items.
    pub point_entries: usize,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "小区 {} 个，楼 {} 栋", self.compounds, self.buildings)?;
        writeln!(
            f,
            "在住居民户 {} 户，在住居民 {} 人",
            self.households, self.residents
        )?;
        writeln!(
            f,
            "工作人员 {} 人，组织 {} 个",
            self.workers, self.organisations
        )?;
        writeln!(f, "走访记录 {} 条", self.visits)?;
        writeln!(
            f,
            "接待记录 {} 条，值班 {} 班",
            self.receptions, self.shifts
        )?;
        writeln!(
            f,
            "问题 {} 个，实事项目 {} 个",
            self.problems, self.projects
        )?;
        write!(
            f,
            "经费支出 {} 笔，积分项 {} 条",
            self.payments, self.point_entries
        )
    }
}

/// What the app's home screen needs first, of the collections on disk: the committee, the
/// buildings and households, the problem list, and the visits of `this_year` and later (or, when
/// there are none, of the latest year there is). The rest (projects, funds, the desk, point
/// cards, earlier years) can be read while the home screen is up.
pub fn home_first(on_disk: &[Collection], this_year: i32) -> Vec<Collection> {
    let latest_visits = on_disk
        .iter()
        .filter_map(|c| match c {
            Collection::Visits(y) => Some(*y),
            _ => None,
        })
        .max();
    on_disk
        .iter()
        .copied()
        .filter(|c| match c {
            Collection::Visits(y) => *y >= this_year || Some(*y) == latest_visits,
            Collection::Committee
            | Collection::Buildings
            | Collection::Households(_)
            | Collection::Problems => true,
            _ => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_screen_reads_households_problems_and_this_years_visits_first() {
        let on_disk = [
            Collection::Committee,
            Collection::Buildings,
            Collection::Households(0),
            Collection::Households(1),
            Collection::Problems,
            Collection::Projects,
            Collection::Desk,
            Collection::Visits(2024),
            Collection::Visits(2026),
            Collection::Funds(2026),
        ];
        assert_eq!(
            home_first(&on_disk, 2026),
            [
                Collection::Committee,
                Collection::Buildings,
                Collection::Households(0),
                Collection::Households(1),
                Collection::Problems,
                Collection::Visits(2026)
            ]
        );
        // A new year with no visits yet: the latest year's are shown meanwhile.
        assert!(home_first(&on_disk, 2027).contains(&Collection::Visits(2026)));
        assert!(!home_first(&on_disk, 2027).contains(&Collection::Visits(2024)));
    }
}
