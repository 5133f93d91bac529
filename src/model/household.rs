//! The household information ledger (附件一 《普陀区社区居民家庭信息台账》): compounds, buildings,
//! households and their members in the two groups (业主 / 租住), with moves kept as dated events.

use super::id_number::{IdNumber, Sex, age_on};
use super::phone::Phone;
use super::tags::{TagAssignment, TagDimension};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Identifies a compound (小区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CompoundId(pub u32);
/// Identifies a building (楼 / 门牌号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BuildingId(pub u32);
/// Identifies a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HouseholdId(pub u32);
/// Identifies a person across the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub u32);

/// A compound (小区).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compound {
    /// Identifier.
    pub id: CompoundId,
    /// Name, e.g. 梅岭小区.
    pub name: String,
    /// Street address of the compound gate (public).
    pub address: String,
}

/// A building (楼) in a compound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Building {
    /// Identifier.
    pub id: BuildingId,
    /// Compound.
    pub compound: CompoundId,
    /// Building number as written on the door, e.g. `12号`.
    pub number: String,
    /// Floors, for the map of rooms.
    pub floors: u32,
    /// Rooms per floor, for the map of rooms.
    pub rooms_per_floor: u32,
}

/// Which group of the form a member belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberGroup {
    /// 业主信息
    Owner,
    /// 租住信息
    Tenant,
}

impl MemberGroup {
    /// The Chinese heading.
    pub fn label(self) -> &'static str {
        match self {
            MemberGroup::Owner => "业主",
            MemberGroup::Tenant => "租住",
        }
    }
}

/// How a person left the household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveOut {
    /// Date.
    pub on: NaiveDate,
    /// Reason: 迁出, 去世, 租约到期, …
    pub reason: String,
    /// Who recorded it.
    pub by: String,
}

/// A member of a household (家庭成员). Stored as a tuple (see `stored_as_tuple!`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Identifier.
    pub id: PersonId,
    /// Name.
    pub name: String,
    /// Relation to the head of household (户主, 配偶, 子女, …).
    pub relation: String,
    /// Owner or tenant group.
    pub group: MemberGroup,
    /// Sex as recorded (derived from the ID number when there is one).
    pub sex: Option<Sex>,
    /// Identity number, if known.
    pub id_number: Option<IdNumber>,
    /// Birth date when there is no ID number (foreign residents, newborns).
    pub birth_date: Option<NaiveDate>,
    /// Registered address (户籍地址).
    pub hukou_address: String,
    /// Personal phone.
    pub phone: Option<Phone>,
    /// Tags with their history.
    pub tags: Vec<TagAssignment>,
    /// When they moved in, if known.
    pub moved_in: Option<NaiveDate>,
    /// Set when they no longer live here: kept as history, never deleted.
    pub moved_out: Option<MoveOut>,
    /// Free notes.
    pub note: String,
}

stored_as_tuple!(Person via PersonTuple / PersonTupleRef {
    id: PersonId,
    name: String,
    relation: String,
    group: MemberGroup,
    sex: Option<Sex>,
    id_number: Option<IdNumber>,
    birth_date: Option<NaiveDate>,
    hukou_address: String,
    phone: Option<Phone>,
    tags: Vec<TagAssignment>,
    moved_in: Option<NaiveDate>,
    moved_out: Option<MoveOut>,
    note: String,
});

impl Person {
    /// A person known by name only so far: a member (the 户主 group), nothing else recorded.
    pub fn new(id: PersonId, name: impl Into<String>) -> Person {
        Person {
            id,
            name: name.into(),
            relation: String::new(),
            group: MemberGroup::Owner,
            sex: None,
            id_number: None,
            birth_date: None,
            hukou_address: String::new(),
            phone: None,
            tags: Vec::new(),
            moved_in: None,
            moved_out: None,
            note: String::new(),
        }
    }

    /// Birth date from the ID number, or as recorded.
    pub fn birth(&self) -> Option<NaiveDate> {
        self.id_number
            .as_ref()
            .map(IdNumber::birth_date)
            .or(self.birth_date)
    }

    /// Age on a date, if the birth date is known.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        self.birth().map(|b| age_on(b, on))
    }

    /// Sex from the ID number, else as recorded.
    pub fn effective_sex(&self) -> Option<Sex> {
        self.id_number.as_ref().map(IdNumber::sex).or(self.sex)
    }

    /// Whether the person lives here now.
    pub fn is_present(&self) -> bool {
        self.moved_out.is_none()
    }

    /// Current tags of one dimension.
    pub fn current_tags(&self, dimension: TagDimension) -> impl Iterator<Item = &str> {
        self.tags
            .iter()
            .filter(move |t| t.dimension == dimension && t.is_current())
            .map(|t| t.name.as_str())
    }

    /// Whether the person currently carries a tag.
    pub fn has_tag(&self, dimension: TagDimension, name: &str) -> bool {
        self.current_tags(dimension).any(|t| t == name)
    }

    /// Sets a tag (no-op when already current).
    pub fn set_tag(&mut self, dimension: TagDimension, name: &str, on: NaiveDate, by: &str) {
        if !self.has_tag(dimension, name) {
            self.tags.push(TagAssignment {
                dimension,
                name: name.to_owned(),
                set_on: on,
                set_by: by.to_owned(),
                ended: None,
            });
        }
    }

    /// Ends a tag, keeping its history.
    pub fn end_tag(&mut self, dimension: TagDimension, name: &str, on: NaiveDate, by: &str) {
        for t in &mut self.tags {
            if t.dimension == dimension && t.name == name && t.ended.is_none() {
                t.ended = Some((on, by.to_owned()));
            }
        }
    }
}

/// What happened to a household, dated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HouseholdEventKind {
    /// The household moved in.
    MovedIn,
    /// The household moved out (the record stays, marked).
    MovedOut,
    /// A member joined.
    MemberJoined(PersonId),
    /// A member left (see the person's `moved_out`).
    MemberLeft(PersonId),
    /// Any other dated note.
    Note,
}

/// A dated event in the household's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdEvent {
    /// Date.
    pub on: NaiveDate,
    /// What happened.
    pub kind: HouseholdEventKind,
    /// Who recorded it.
    pub by: String,
    /// Details.
    pub note: String,
}

stored_as_tuple!(HouseholdEvent via HouseholdEventTuple / HouseholdEventTupleRef {
    on: NaiveDate,
    kind: HouseholdEventKind,
    by: String,
    note: String,
});

/// A household (one form of 附件一).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    /// Identifier.
    pub id: HouseholdId,
    /// Building.
    pub building: BuildingId,
    /// Room number (室号), e.g. `302`.
    pub room: String,
    /// 房屋类型 (a tag of that dimension).
    pub house_type: String,
    /// 联系电话.
    pub phone: Option<Phone>,
    /// 保有机动车.
    pub has_vehicle: bool,
    /// 人户分离 (registered elsewhere, or living elsewhere).
    pub separated: bool,
    /// Members of both groups, including those who moved out.
    pub members: Vec<Person>,
    /// History.
    pub events: Vec<HouseholdEvent>,
    /// Set when the whole household moved out.
    pub moved_out: Option<NaiveDate>,
    /// Free notes.
    pub note: String,
}

stored_as_tuple!(Household via HouseholdTuple / HouseholdTupleRef {
    id: HouseholdId,
    building: BuildingId,
    room: String,
    house_type: String,
    phone: Option<Phone>,
    has_vehicle: bool,
    separated: bool,
    members: Vec<Person>,
    events: Vec<HouseholdEvent>,
    moved_out: Option<NaiveDate>,
    note: String,
});

impl Household {
    /// A household with nobody in it yet, at a building and room.
    pub fn new(id: HouseholdId, building: BuildingId, room: impl Into<String>) -> Household {
        Household {
            id,
            building,
            room: room.into(),
            house_type: String::new(),
            phone: None,
            has_vehicle: false,
            separated: false,
            members: Vec::new(),
            events: Vec::new(),
            moved_out: None,
            note: String::new(),
        }
    }

    /// Members living here now.
    pub fn present_members(&self) -> impl Iterator<Item = &Person> {
        self.members.iter().filter(|p| p.is_present())
    }

    /// The head of household, or the first present member.
    pub fn head(&self) -> Option<&Person> {
        self.present_members()
            .find(|p| p.relation == "户主")
            .or_else(|| self.present_members().next())
    }

    /// Whether the household lives here now.
    pub fn is_active(&self) -> bool {
        self.moved_out.is_none()
    }

    /// Whether any present member carries the tag.
    pub fn has_tag(&self, dimension: TagDimension, name: &str) -> bool {
        self.present_members().any(|p| p.has_tag(dimension, name))
    }
}

/// Compounds, buildings and households: one ledger collection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HouseholdBook {
    /// Compounds.
    pub compounds: Vec<Compound>,
    /// Buildings.
    pub buildings: Vec<Building>,
    /// Households, including those that moved out.
    pub households: Vec<Household>,
}

impl HouseholdBook {
    /// Where a household is: households are kept in id order (the store and every edit
    /// insert them so), which makes this a binary search; a scan if someone broke the order.
    fn position(&self, id: HouseholdId) -> Option<usize> {
        match self.households.binary_search_by_key(&id, |h| h.id) {
            Ok(at) => Some(at),
            Err(_) => self.households.iter().position(|h| h.id == id),
        }
    }

    /// Finds a household.
    pub fn household(&self, id: HouseholdId) -> Option<&Household> {
        self.position(id).map(|at| &self.households[at])
    }

    /// Finds a household to edit.
    pub fn household_mut(&mut self, id: HouseholdId) -> Option<&mut Household> {
        self.position(id).map(|at| &mut self.households[at])
    }

    /// Finds a building (kept in id order like households: a binary search, else a scan).
    pub fn building(&self, id: BuildingId) -> Option<&Building> {
        match self.buildings.binary_search_by_key(&id, |b| b.id) {
            Ok(at) => Some(&self.buildings[at]),
            Err(_) => self.buildings.iter().find(|b| b.id == id),
        }
    }

    /// Finds a compound.
    pub fn compound(&self, id: CompoundId) -> Option<&Compound> {
        self.compounds.iter().find(|c| c.id == id)
    }

    /// `梅岭小区 12号 302室`.
    pub fn address_of(&self, household: &Household) -> String {
        match self.building(household.building) {
            Some(b) => {
                let compound = self
                    .compound(b.compound)
                    .map(|c| c.name.as_str())
                    .unwrap_or("");
                format!("{compound} {} {}室", b.number, household.room)
            }
            None => format!("{}室", household.room),
        }
    }

    /// Where a household comes in address order: its compound, then building and room with
    /// numbers compared as numbers (2号 before 10号); `None` when its building is gone.
    pub fn address_order(&self, household: &Household) -> Option<(u32, String)> {
        let b = self.building(household.building)?;
        let pad = |s: &str| {
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            format!("{digits:0>6}{}", &s[digits.len()..])
        };
        Some((
            b.compound.0,
            format!("{}|{}", pad(&b.number), pad(&household.room)),
        ))
    }

    /// Next free household id.
    pub fn next_household_id(&self) -> HouseholdId {
        HouseholdId(self.households.iter().map(|h| h.id.0).max().unwrap_or(0) + 1)
    }

    /// Next free person id.
    pub fn next_person_id(&self) -> PersonId {
        PersonId(
            self.households
                .iter()
                .flat_map(|h| h.members.iter().map(|p| p.id.0))
                .max()
                .unwrap_or(0)
                + 1,
        )
    }

    /// Every person ever recorded, with their household.
    pub fn people(&self) -> impl Iterator<Item = (&Household, &Person)> {
        self.households
            .iter()
            .flat_map(|h| h.members.iter().map(move |p| (h, p)))
    }
}
