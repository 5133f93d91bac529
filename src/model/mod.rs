//! The records of a residents' committee (shared/DOMAIN.md §4–5) as plain serde types, their
//! validation (ID numbers, phones, money in fen) and the views derived from them as pure
//! functions. This module does no I/O and knows nothing of age, RON files, egui or tera.

/// Stores a record as a RON tuple, `(a,b,c)`, instead of a struct with field names. For the
/// records there are tens of thousands of (people, their tags, visits), field names are half the
/// bytes and most of the time it takes to read the ledger. A field added later goes last, with a
/// `#[serde(default)]` in the tuple, so older files still read.
macro_rules! stored_as_tuple {
    ($ty:ident via $tuple:ident / $borrowed:ident {
        $($(#[$attr:meta])* $field:ident : $fty:ty),+ $(,)?
    }) => {
        #[derive(serde::Deserialize)]
        struct $tuple($($(#[$attr])* $fty),+);

        #[derive(serde::Serialize)]
        struct $borrowed<'a>($(&'a $fty),+);

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $borrowed($(&self.$field),+).serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let $tuple($($field),+) = $tuple::deserialize(d)?;
                Ok($ty { $($field),+ })
            }
        }
    };
}

mod committee;
pub mod coverage;
pub mod dates;
mod desk;
pub mod draft;
mod edit;
pub mod finder;
mod fund;
pub mod fund_report;
pub mod fund_rules;
mod household;
mod id_number;
pub mod import;
mod ledger;
pub mod lists;
mod money;
pub mod monthly_brief;
mod phone;
mod points;
mod problem;
pub mod problem_search;
mod project;
pub mod project_flow;
mod tags;
mod validate;
mod visit;
pub mod visit_export;
pub mod visit_search;

pub use committee::{
    Assignment, Committee, CommitteeBook, DEFAULT_INTERVAL_DAYS, INTERVAL_DIMENSIONS, Organisation,
    OrganisationId, OrganisationKind, Role, VisitInterval, Worker, WorkerId, default_intervals,
};
pub use desk::{
    Channel, DeskBook, DutyShift, Reception, ReceptionId, ReceptionSort, SIGN_IN_GRACE_MINUTES,
    ShiftKind, may_sign_in, sort_receptions,
};
pub use edit::{Edit, HISTORY_DEPTH, History};
pub use fund::{
    APPROVAL_LINE, Cadence, DisclosurePeriod, FundCategory, FundKind, FundPlan, FundRule, FundYear,
    Income, OFFICE_CAP_PERCENT, Override, Payee, Payment, PaymentId, PaymentMethod, PlanItem,
    Signature, StreetReview, disclosure_periods, half_of, quarter_of,
};
pub use fund_rules::{FundIssue, office_share, payment_issues, year_issues};
pub use household::{
    Building, BuildingId, Compound, CompoundId, Household, HouseholdBook, HouseholdEvent,
    HouseholdEventKind, HouseholdId, MemberGroup, MoveOut, Person, PersonId,
};
pub use id_number::{IdNumber, IdNumberError, Sex, age_on, check_character, mask_id_text};
pub use ledger::{Collection, Counts, HOUSEHOLDS_PER_FILE, Ledger, home_first};
pub use money::{Fen, MoneyError};
pub use phone::{Phone, PhoneError};
pub use points::{
    AwardLevel, CardLine, Month, PointBook, PointCard, PointEntry, PointItem, SignedCard, Tenths,
    point_card, visit_points,
};
pub use problem::{
    FOLLOW_UP_AFTER_DAYS, FollowUp, FollowUpDone, Problem, ProblemBook, ProblemId, ProblemSource,
    ProblemStatus, ProblemStep, ResolutionPath, STANDARD_PROBLEM_CATEGORIES, SolveRate, StepKind,
    StepRefused, Verdict, solve_rates,
};
pub use project::{
    ApprovalRecord, Meeting, MeetingKind, Milestone, NoticePeriod, Project, ProjectBook, ProjectId,
    ProjectStage, RECTIFY_BELOW_PERCENT, Rectification, StageException, Survey, SurveyMethod,
    Tally, WorkItem,
};
pub use tags::{CustomTag, TagAssignment, TagCatalog, TagDimension, TagError, TagNumbers};
pub use validate::{Finding, Severity, validate};
pub use visit::{Need, NeedOutcome, Visit, VisitId, VisitKind, VisitSort, sort_visits};
