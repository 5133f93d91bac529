//! The committee itself: its public identity, its workers and their roles, the organisations it
//! works with, worker assignments (包干), and its extendable lists.

use super::household::{BuildingId, HouseholdId};
use super::lists::SavedList;
use super::phone::Phone;
use super::tags::{TagCatalog, TagDimension};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Identifies a worker (社区工作者).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WorkerId(pub u32);

/// Identifies an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrganisationId(pub u32);

/// A worker's role on the committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// 书记 (party secretary; often also director)
    Secretary,
    /// 主任 (committee director)
    Director,
    /// 副书记 / 副主任
    Deputy,
    /// 委员
    Member,
    /// 社工 (social worker)
    SocialWorker,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Secretary,
        Role::Director,
        Role::Deputy,
        Role::Member,
        Role::SocialWorker,
    ];

    /// Roles joined for display: `书记、主任`.
    pub fn joined(roles: &[Role]) -> String {
        roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Role::Secretary => "书记",
            Role::Director => "主任",
            Role::Deputy => "副主任",
            Role::Member => "委员",
            Role::SocialWorker => "社工",
        }
    }
}

/// A member of staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    /// Identifier.
    pub id: WorkerId,
    /// Name.
    pub name: String,
    /// Roles (a secretary is often also the director: 书记兼主任).
    pub roles: Vec<Role>,
    /// Work phone, if any.
    pub phone: Option<Phone>,
    /// Whether this worker's name appears on public notices as a signer.
    pub signs_notices: bool,
    /// Start of service.
    pub since: NaiveDate,
    /// End of service, if they have left (kept for history).
    pub left_on: Option<NaiveDate>,
}

impl Worker {
    /// Whether the worker holds a role.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Roles joined for display: `书记、主任`.
    pub fn roles_label(&self) -> String {
        Role::joined(&self.roles)
    }

    /// Whether the worker is in service on a date.
    pub fn active_on(&self, on: NaiveDate) -> bool {
        self.since <= on && self.left_on.is_none_or(|left| on < left)
    }
}

/// The kind of an organisation the committee works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OrganisationKind {
    /// 业委会
    OwnersCommittee,
    /// 物业公司
    PropertyCompany,
    /// 群众团队
    ResidentGroup,
    /// 社会组织
    SocialOrganisation,
    /// 驻区单位
    ResidentUnit,
    /// 职能部门 (line department of the street or district)
    Department,
}

impl OrganisationKind {
    /// Every kind.
    pub const ALL: [OrganisationKind; 6] = [
        OrganisationKind::OwnersCommittee,
        OrganisationKind::PropertyCompany,
        OrganisationKind::ResidentGroup,
        OrganisationKind::SocialOrganisation,
        OrganisationKind::ResidentUnit,
        OrganisationKind::Department,
    ];

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::OwnersCommittee => "业委会",
            OrganisationKind::PropertyCompany => "物业公司",
            OrganisationKind::ResidentGroup => "群众团队",
            OrganisationKind::SocialOrganisation => "社会组织",
            OrganisationKind::ResidentUnit => "驻区单位",
            OrganisationKind::Department => "职能部门",
        }
    }
}

/// An organisation: owners' committee, property company, group, social organisation, unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Identifier.
    pub id: OrganisationId,
    /// Kind.
    pub kind: OrganisationKind,
    /// Name (public: organisations may appear on notices).
    pub name: String,
    /// Contact person (personal: never published).
    pub contact: String,
    /// Contact phone (personal: never published).
    pub phone: Option<Phone>,
    /// Which compounds it serves, as free text.
    pub serves: String,
    /// Notes.
    pub note: String,
}

/// A worker's assigned block (包干范围): whole buildings and single households.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The worker.
    pub worker: WorkerId,
    /// Whole buildings.
    pub buildings: Vec<BuildingId>,
    /// Single households outside those buildings.
    pub households: Vec<HouseholdId>,
    /// Since when this assignment holds.
    pub since: NaiveDate,
}

/// The committee's public identity and settings kept in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Committee {
    /// Committee name, e.g. 示例居委会.
    pub name: String,
    /// District (区).
    pub district: String,
    /// Street or town (街道/镇).
    pub street: String,
    /// Office address (public).
    pub office_address: String,
    /// Opening hours (public).
    pub office_hours: String,
    /// Office phone (public).
    pub office_phone: String,
}

/// Everything about the committee: one ledger collection. Its default has the standard visit
/// intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitteeBook {
    /// Identity.
    pub committee: Option<Committee>,
    /// Staff, including those who left.
    pub workers: Vec<Worker>,
    /// Organisations.
    pub organisations: Vec<Organisation>,
    /// Assignments (包干), current and past.
    pub assignments: Vec<Assignment>,
    /// Tags the committee added.
    pub tags: TagCatalog,
    /// Problem categories the committee added to the standard ones.
    pub problem_categories: Vec<String>,
    /// Line-of-work visit kinds (业务条线) in use.
    pub lines_of_work: Vec<String>,
    /// Special households and how often they must be visited (absent in older files: the
    /// defaults of [`default_intervals`]).
    #[serde(default = "default_intervals")]
    pub visit_intervals: Vec<VisitInterval>,
    /// The committee's saved 智能名单 (absent in older files: none).
    #[serde(default)]
    pub lists: Vec<SavedList>,
    /// Satisfaction (percent) below which a project is rectified and surveyed again (absent
    /// in older files: 80).
    #[serde(default = "default_threshold")]
    pub satisfaction_threshold: u32,
    /// Headings of the committee's own sheets and the field chosen for each in an import
    /// (`None`: not imported), used first the next time a sheet with that heading is read.
    #[serde(default)]
    pub import_headings: Vec<(String, Option<super::import::Field>)>,
}

fn default_threshold() -> u32 {
    super::project_flow::DEFAULT_THRESHOLD
}

/// A kind of special household (a tag of a member) and the days allowed between visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitInterval {
    /// The tag's dimension.
    pub dimension: TagDimension,
    /// The tag.
    pub tag: String,
    /// Days allowed between two visits.
    pub days: u32,
}

/// The tag dimensions whose tags can make a household special, and so carry a visit interval
/// (居民类型, 家庭类型, 重点关注).
pub const INTERVAL_DIMENSIONS: [TagDimension; 3] = [
    TagDimension::ResidentType,
    TagDimension::FamilyType,
    TagDimension::Attention,
];

/// The interval of the 走百家门 rules, and of a tag newly given one: 30 days.
pub const DEFAULT_INTERVAL_DAYS: u32 = 30;

/// The special households of the 走百家门 rules, each to be visited at least every
/// [`DEFAULT_INTERVAL_DAYS`]: 独居老人, 困难家庭, 残疾人员.
pub fn default_intervals() -> Vec<VisitInterval> {
    [
        (TagDimension::ResidentType, "独居老人"),
        (TagDimension::FamilyType, "困难家庭"),
        (TagDimension::ResidentType, "残疾人员"),
    ]
    .into_iter()
    .map(|(dimension, tag)| VisitInterval {
        dimension,
        tag: tag.to_owned(),
        days: DEFAULT_INTERVAL_DAYS,
    })
    .collect()
}

impl Default for CommitteeBook {
    fn default() -> Self {
        CommitteeBook {
            committee: None,
            workers: Vec::new(),
            organisations: Vec::new(),
            assignments: Vec::new(),
            tags: TagCatalog::default(),
            problem_categories: Vec::new(),
            lines_of_work: Vec::new(),
            visit_intervals: default_intervals(),
            lists: Vec::new(),
            satisfaction_threshold: default_threshold(),
            import_headings: Vec::new(),
        }
    }
}

impl CommitteeBook {
    /// Finds a worker.
    pub fn worker(&self, id: WorkerId) -> Option<&Worker> {
        self.workers.iter().find(|w| w.id == id)
    }

    /// Finds a worker by name.
    pub fn worker_by_name(&self, name: &str) -> Option<&Worker> {
        self.workers.iter().find(|w| w.name == name)
    }

    /// Next free worker id.
    pub fn next_worker_id(&self) -> WorkerId {
        WorkerId(self.workers.iter().map(|w| w.id.0).max().unwrap_or(0) + 1)
    }

    /// Every problem category: the standard ones, then the committee's own.
    pub fn all_problem_categories(&self) -> Vec<String> {
        super::problem::STANDARD_PROBLEM_CATEGORIES
            .iter()
            .map(|c| (*c).to_owned())
            .chain(self.problem_categories.iter().cloned())
            .collect()
    }

    /// Finds an organisation.
    pub fn organisation(&self, id: OrganisationId) -> Option<&Organisation> {
        self.organisations.iter().find(|o| o.id == id)
    }

    /// The worker a building is assigned to now, if any.
    pub fn worker_for_building(&self, building: BuildingId) -> Option<WorkerId> {
        self.assignments
            .iter()
            .filter(|a| a.buildings.contains(&building))
            .max_by_key(|a| a.since)
            .map(|a| a.worker)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committee_file_from_before_lists_and_intervals_still_reads() {
        let old = "(committee: None, workers: [], organisations: [], assignments: [], \
                   tags: (custom: []), problem_categories: [], lines_of_work: [])";
        let book: CommitteeBook = ron::from_str(old).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(book.visit_intervals, default_intervals());
        assert!(book.lists.is_empty());
        // A committee that removed every interval keeps none.
        let none = CommitteeBook {
            visit_intervals: vec![],
            ..CommitteeBook::default()
        };
        let text = ron::to_string(&none).unwrap_or_else(|e| panic!("{e}"));
        let back: CommitteeBook = ron::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(back.visit_intervals.is_empty());
    }

    #[test]
    fn the_default_intervals_are_tags_that_may_carry_one() {
        let catalog = TagCatalog::default();
        for i in default_intervals() {
            assert!(INTERVAL_DIMENSIONS.contains(&i.dimension), "{}", i.tag);
            assert!(catalog.contains(i.dimension, &i.tag), "{}", i.tag);
            assert_eq!(i.days, DEFAULT_INTERVAL_DAYS);
        }
    }
}
