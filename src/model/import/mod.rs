//! Importing the household sheets a committee already keeps in Excel (附件一's fields, one
//! person per row): the header row found wherever it is and matched by its Chinese headings
//! and their common variants; an address in one cell split into compound, building and room;
//! the Excel traps caught, each with a message saying what to do (an ID number saved as a
//! number has lost its last digits; dates as serial numbers; full-width digits and spaces);
//! 性别 and 年龄 checked against the ID number; 政治面貌 and 是否独居 made tags of 附件二.
//!
//! Nothing is written by a dry run: [`plan`] says of every row what would happen (add, update,
//! unchanged, duplicate of which record, or the error that refuses it: a bad row is never half
//! imported and never stops the others), and [`ImportPlan::edit`] is the whole import as one
//! edit, which undoes as one. The sheets are read by `crate::import` (I/O); this module only
//! interprets their cells. Split by job: `sheet` (cells, headings, the header), `cells` (what
//! one cell holds, the Excel traps), `row` (a person's row checked); here the verdicts and the
//! plan. Visits logged before are imported the same way (`visits`): [`Target`] says which a
//! sheet is read as, and [`Plan`] is either dry run.

use super::edit::Edit;
use super::household::{
    Building, BuildingId, Compound, CompoundId, Household, HouseholdBook, HouseholdId, Person,
    PersonId,
};
use super::ledger::Ledger;
use super::tags::TagAssignment;
use chrono::NaiveDate;
use std::collections::HashMap;

mod cells;
mod row;
mod sheet;
#[cfg(test)]
mod tests;
mod visits;

pub use cells::serial_datetime;
pub use cells::split_address;
use cells::text_of;
use row::{PersonRow, read_row};
use sheet::heading_key;
pub use sheet::{
    Cell, Field, Mapping, Sheet, Target, clean, detect, detect_with, field_for, field_of, remember,
};
pub use visits::{VisitBase, VisitPlan, plan_visits};

/// What the import does with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A new person (in a new household, or one already in the ledger).
    Add,
    /// A person already in the ledger, given what the sheet adds (the fields named).
    Update(Vec<String>),
    /// Already in the ledger as the sheet has it.
    Unchanged,
    /// The same person as another record: not imported (says which).
    Duplicate(String),
    /// Refused, with the reasons.
    Error(Vec<String>),
}

impl Verdict {
    /// The verdict in words, for the report.
    pub fn text(&self) -> String {
        match self {
            Verdict::Add => "新增".to_owned(),
            Verdict::Update(fields) => format!("更新：{}", fields.join("、")),
            Verdict::Unchanged => "已在台账中，无需更新".to_owned(),
            Verdict::Duplicate(of) => format!("重复：{of}，未导入"),
            Verdict::Error(reasons) => format!("错误：{}", reasons.join("；")),
        }
    }
}

/// One row of the sheets and what the import does with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReport {
    /// The sheet.
    pub sheet: String,
    /// The row as Excel numbers it (from 1).
    pub row: usize,
    /// The name on the row.
    pub name: String,
    /// The address the row was read as (compound, building and room), if it was.
    pub address: String,
    /// What happens.
    pub verdict: Verdict,
    /// What was noticed but does not stop it (性别 against the ID number, …).
    pub warnings: Vec<String>,
}

/// The dry run of an import: a report per row, and what would be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// Every row read (blank rows and subtotals left out).
    pub rows: Vec<RowReport>,
    /// Sheets whose header was not found.
    pub unread_sheets: Vec<String>,
    /// Compounds to add.
    compounds: Vec<Compound>,
    /// Buildings to add or widen (floors and rooms per floor).
    buildings: Vec<Building>,
    /// How many of them are new.
    new_buildings: usize,
    /// The first household and person numbers it gives out (the ledger's next ones when it
    /// was made): a plan is applied only to the ledger it was made for.
    first_ids: (u32, u32),
    /// The households written: new ones, and existing ones with new members or fields.
    households: Vec<Household>,
    /// The existing ones among them as they were when the plan was made.
    originals: Vec<Household>,
}

/// How many rows have each kind of verdict: added, updated, unchanged, duplicates, errors.
fn count(rows: &[RowReport]) -> [usize; 5] {
    let mut c = [0; 5];
    for r in rows {
        c[match r.verdict {
            Verdict::Add => 0,
            Verdict::Update(_) => 1,
            Verdict::Unchanged => 2,
            Verdict::Duplicate(_) => 3,
            Verdict::Error(_) => 4,
        }] += 1;
    }
    c
}

/// What an import checks its rows against, taken from the ledger so that the dry run can run
/// on another thread: the households (a copy: the plan writes changed copies of them), or for
/// visits only what a visit is checked against (not every visit).
#[derive(Debug, Clone)]
pub enum Base {
    /// For households.
    Households(HouseholdBook),
    /// For visits.
    Visits(VisitBase),
}

impl Base {
    /// What importing as `target` needs of `ledger`.
    pub fn of(target: Target, ledger: &Ledger) -> Base {
        match target {
            Target::Households => Base::Households(ledger.households.clone()),
            Target::Visits => Base::Visits(VisitBase::of(ledger)),
        }
    }
}

/// The dry run of either kind of import.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Of households and their people.
    Households(ImportPlan),
    /// Of visits.
    Visits(VisitPlan),
}

impl Plan {
    /// The dry run of importing the sheets as `target`, each read by its mapping. `by`: who
    /// imports; `today`: the day ages and visit times are checked against.
    pub fn make(
        target: Target,
        ledger: &Ledger,
        sheets: &[Sheet],
        mappings: &[Option<Mapping>],
        by: &str,
        today: NaiveDate,
    ) -> Plan {
        match target {
            Target::Households => {
                Plan::Households(plan_with(&ledger.households, sheets, mappings, by, today))
            }
            Target::Visits => {
                Plan::Visits(plan_visits(&VisitBase::of(ledger), sheets, mappings, today))
            }
        }
    }

    /// [`Plan::make`] from what was taken of the ledger beforehand (to plan on another thread).
    pub fn from_base(
        base: &Base,
        sheets: &[Sheet],
        mappings: &[Option<Mapping>],
        by: &str,
        today: NaiveDate,
    ) -> Plan {
        match base {
            Base::Households(book) => {
                Plan::Households(plan_with(book, sheets, mappings, by, today))
            }
            Base::Visits(base) => Plan::Visits(plan_visits(base, sheets, mappings, today)),
        }
    }

    /// Every row read, with its verdict.
    pub fn rows(&self) -> &[RowReport] {
        match self {
            Plan::Households(p) => &p.rows,
            Plan::Visits(p) => &p.rows,
        }
    }

    /// Sheets whose header was not found.
    pub fn unread_sheets(&self) -> &[String] {
        match self {
            Plan::Households(p) => &p.unread_sheets,
            Plan::Visits(p) => &p.unread_sheets,
        }
    }

    /// How many rows have each kind of verdict: added, updated, unchanged, duplicates, errors.
    pub fn counts(&self) -> [usize; 5] {
        count(self.rows())
    }

    /// The counts in words.
    pub fn summary(&self) -> String {
        match self {
            Plan::Households(p) => p.summary(),
            Plan::Visits(p) => p.summary(),
        }
    }

    /// Whether there is anything to write.
    pub fn is_empty(&self) -> bool {
        match self {
            Plan::Households(p) => p.is_empty(),
            Plan::Visits(p) => p.is_empty(),
        }
    }

    /// Whether the plan was made for the ledger as it is now.
    pub fn is_current(&self, ledger: &Ledger) -> bool {
        match self {
            Plan::Households(p) => p.is_current(&ledger.households),
            Plan::Visits(p) => p.is_current(ledger),
        }
    }

    /// The whole import as one edit, undone as one.
    pub fn edit(&self, ledger: &Ledger) -> Edit {
        match self {
            Plan::Households(p) => p.edit(&ledger.households),
            Plan::Visits(p) => p.edit(),
        }
    }

    /// What 确认导入 writes, in words (新增 12 人、更新 3 人 / 新增走访 40 次).
    pub fn what_is_written(&self) -> String {
        let [add, update, ..] = self.counts();
        match self {
            Plan::Households(_) => format!("新增 {add} 人、更新 {update} 人"),
            Plan::Visits(_) => format!("新增走访 {add} 次"),
        }
    }
}

impl ImportPlan {
    /// How many rows have each kind of verdict: added, updated, unchanged, duplicates, errors.
    pub fn counts(&self) -> [usize; 5] {
        count(&self.rows)
    }

    /// The counts in words.
    pub fn summary(&self) -> String {
        let [add, update, same, dup, err] = self.counts();
        format!(
            "共 {} 行：新增 {add} 人，更新 {update} 人，无需更新 {same} 人，重复 {dup} 行，错误 {err} 行；涉及 {} 户（新建小区 {} 个、楼 {} 栋）",
            self.rows.len(),
            self.households.len(),
            self.compounds.len(),
            self.new_buildings,
        )
    }

    /// Whether the plan was made for these households as they are now: no household or
    /// person was added since (its new numbers would be taken) and none it changes was edited.
    pub fn is_current(&self, book: &HouseholdBook) -> bool {
        self.first_ids == (book.next_household_id().0, book.next_person_id().0)
            && self.households.iter().all(|h| {
                book.household(h.id).is_none_or(|now| {
                    self.originals
                        .iter()
                        .find(|o| o.id == h.id)
                        .is_some_and(|o| o == now)
                })
            })
    }

    /// Whether there is anything to write.
    pub fn is_empty(&self) -> bool {
        self.households.is_empty()
    }

    /// The whole import as one edit (places first, then every household), undone as one.
    pub fn edit(&self, book: &HouseholdBook) -> Edit {
        let mut edits = Vec::new();
        if !self.compounds.is_empty() || !self.buildings.is_empty() {
            let mut compounds = book.compounds.clone();
            compounds.extend(self.compounds.iter().cloned());
            let mut buildings = book.buildings.clone();
            for b in &self.buildings {
                match buildings.iter_mut().find(|x| x.id == b.id) {
                    Some(x) => *x = b.clone(),
                    None => buildings.push(b.clone()),
                }
            }
            edits.push(Edit::Places(compounds, buildings));
        }
        edits.extend(
            self.households
                .iter()
                .map(|h| Edit::Household(h.id, Some(Box::new(h.clone())))),
        );
        Edit::Batch(edits)
    }
}

/// The ledger's places and people, looked up as the import goes, with what it adds.
struct Places<'a> {
    book: &'a HouseholdBook,
    compounds: Vec<Compound>,
    buildings: Vec<Building>,
    /// Households touched, by id (a copy of the ledger's, or new).
    households: Vec<Household>,
    next_household: u32,
    next_person: u32,
    next_compound: u32,
    next_building: u32,
    /// Every ID number in the ledger: household and person.
    ids: HashMap<String, (HouseholdId, PersonId)>,
    /// The ledger's households living at each building and room (position in its list).
    living: HashMap<(BuildingId, String), usize>,
    /// The households touched, by building and room (position in `households`).
    touched: HashMap<(BuildingId, String), usize>,
}

impl<'a> Places<'a> {
    fn new(book: &'a HouseholdBook) -> Places<'a> {
        let ids = book
            .people()
            .filter_map(|(h, p)| {
                p.id_number
                    .as_ref()
                    .map(|i| (i.as_str().to_owned(), (h.id, p.id)))
            })
            .collect();
        Places {
            book,
            compounds: book.compounds.clone(),
            buildings: book.buildings.clone(),
            households: Vec::new(),
            next_household: book.next_household_id().0,
            next_person: book.next_person_id().0,
            next_compound: book.compounds.iter().map(|c| c.id.0).max().unwrap_or(0) + 1,
            next_building: book.buildings.iter().map(|b| b.id.0).max().unwrap_or(0) + 1,
            ids,
            living: book
                .households
                .iter()
                .enumerate()
                .filter(|(_, h)| h.is_active())
                .map(|(i, h)| ((h.building, h.room.clone()), i))
                .collect(),
            touched: HashMap::new(),
        }
    }

    /// The building of a compound, made if new; widened to hold the room.
    fn building(&mut self, compound: &str, number: &str, room: &str) -> BuildingId {
        let c = match self.compounds.iter().find(|c| c.name == compound) {
            Some(c) => c.id,
            None => {
                let id = CompoundId(self.next_compound);
                self.next_compound += 1;
                self.compounds.push(Compound {
                    id,
                    name: compound.to_owned(),
                    address: String::new(),
                });
                id
            }
        };
        let digits: u32 = room
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        let (floor, index) = (digits / 100, digits % 100);
        let b = match self
            .buildings
            .iter_mut()
            .find(|b| b.compound == c && b.number == number)
        {
            Some(b) => b,
            None => {
                let id = BuildingId(self.next_building);
                self.next_building += 1;
                self.buildings.push(Building {
                    id,
                    compound: c,
                    number: number.to_owned(),
                    floors: 0,
                    rooms_per_floor: 0,
                });
                let last = self.buildings.len() - 1;
                &mut self.buildings[last]
            }
        };
        b.floors = b.floors.max(floor);
        b.rooms_per_floor = b.rooms_per_floor.max(index);
        b.id
    }

    /// The building of a compound, if there is one (nothing is made).
    fn find_building(&self, compound: &str, number: &str) -> Option<BuildingId> {
        let c = self.compounds.iter().find(|c| c.name == compound)?.id;
        self.buildings
            .iter()
            .find(|b| b.compound == c && b.number == number)
            .map(|b| b.id)
    }

    /// The household living at a building and room, if there is one (nothing is made).
    fn find_household(&self, building: BuildingId, room: &str) -> Option<HouseholdId> {
        let key = (building, room.to_owned());
        match self.touched.get(&key) {
            Some(&i) => self.households.get(i).map(|h| h.id),
            None => self
                .living
                .get(&key)
                .and_then(|&i| self.book.households.get(i))
                .map(|h| h.id),
        }
    }

    /// The household at a building and room: one already touched, one in the ledger (copied
    /// to be changed), or a new one.
    fn household(&mut self, building: BuildingId, room: &str) -> usize {
        let key = (building, room.to_owned());
        if let Some(&i) = self.touched.get(&key) {
            return i;
        }
        let existing = self
            .living
            .get(&key)
            .and_then(|&i| self.book.households.get(i));
        let h = match existing {
            Some(h) => h.clone(),
            None => {
                let id = HouseholdId(self.next_household);
                self.next_household += 1;
                Household::new(id, building, room)
            }
        };
        self.households.push(h);
        self.touched.insert(key, self.households.len() - 1);
        self.households.len() - 1
    }
}

/// Adds what the row says that the person lacks; returns the names of the fields changed.
fn fill(p: &mut Person, r: &PersonRow, today: NaiveDate, by: &str) -> Vec<String> {
    let mut changed = Vec::new();
    if p.id_number.is_none() && r.id.is_some() {
        p.id_number.clone_from(&r.id);
        p.sex = r.sex;
        changed.push("身份证号".to_owned());
    }
    if p.phone.is_none() && r.phone.is_some() {
        p.phone.clone_from(&r.phone);
        changed.push("联系电话".to_owned());
    }
    if p.hukou_address.is_empty() && !r.hukou.is_empty() {
        p.hukou_address.clone_from(&r.hukou);
        changed.push("户籍地址".to_owned());
    }
    if p.relation.is_empty() && !r.relation.is_empty() {
        p.relation.clone_from(&r.relation);
        changed.push("与户主关系".to_owned());
    }
    for (dimension, tag) in &r.tags {
        if !p.has_tag(*dimension, tag) {
            p.set_tag(*dimension, tag, today, by);
            changed.push(tag.clone());
        }
    }
    changed
}

/// The dry run: what importing these sheets into the ledger's households would do, row by
/// row, each sheet read by the header [`detect`] finds. `by` is who imports (kept on the tags
/// set), `today` the day (ages are checked against it).
pub fn plan(book: &HouseholdBook, sheets: &[Sheet], by: &str, today: NaiveDate) -> ImportPlan {
    let mappings: Vec<Option<Mapping>> = sheets.iter().map(detect).collect();
    plan_with(book, sheets, &mappings, by, today)
}

/// [`plan`] with each sheet's columns as the user set them (`None`: the sheet is not read).
pub fn plan_with(
    book: &HouseholdBook,
    sheets: &[Sheet],
    mappings: &[Option<Mapping>],
    by: &str,
    today: NaiveDate,
) -> ImportPlan {
    let mut places = Places::new(book);
    let first_ids = (places.next_household, places.next_person);
    let mut rows = Vec::new();
    let mut unread = Vec::new();
    // ID numbers met in the file: where.
    let mut in_file: HashMap<String, String> = HashMap::new();
    for (sheet, map) in sheets.iter().zip(mappings) {
        let Some(map) = map.clone() else {
            if !sheet.is_blank() {
                unread.push(sheet.name.clone());
            }
            continue;
        };
        let mut carried: Option<(String, String, String)> = None;
        for (r, row) in sheet.rows.iter().enumerate().skip(map.header_row + 1) {
            if skipped(row) {
                continue;
            }
            let at = format!("“{}”第 {} 行", sheet.name, r + 1);
            let name_cell = text_of(map.cell(row, Field::Name));
            let read = read_row(row, &map, &sheet.name, carried.as_ref(), today);
            let (verdict, address, warnings) = match read {
                Err(reasons) => (Verdict::Error(reasons), String::new(), Vec::new()),
                Ok(p) => {
                    carried = Some(p.place.clone());
                    let address = format!("{}{}{}室", p.place.0, p.place.1, p.place.2);
                    let verdict = place_person(&mut places, &p, &mut in_file, &at, by, today);
                    (verdict, address, p.warnings)
                }
            };
            rows.push(RowReport {
                sheet: sheet.name.clone(),
                row: r + 1,
                name: name_cell.chars().filter(|c| !c.is_whitespace()).collect(),
                address,
                verdict,
                warnings,
            });
        }
    }
    let new_compounds: Vec<Compound> = places
        .compounds
        .iter()
        .filter(|c| book.compound(c.id).is_none())
        .cloned()
        .collect();
    let changed_buildings: Vec<Building> = places
        .buildings
        .iter()
        .filter(|b| book.building(b.id) != Some(*b))
        .cloned()
        .collect();
    let new_buildings = changed_buildings
        .iter()
        .filter(|b| book.building(b.id).is_none())
        .count();
    let households: Vec<Household> = places
        .households
        .into_iter()
        .filter(|h| book.household(h.id) != Some(h))
        .collect();
    let originals: Vec<Household> = households
        .iter()
        .filter_map(|h| book.household(h.id).cloned())
        .collect();
    ImportPlan {
        rows,
        unread_sheets: unread,
        compounds: new_compounds,
        buildings: changed_buildings,
        new_buildings,
        first_ids,
        households,
        originals,
    }
}

/// A row with nothing on it, or a subtotal (合计, 小计, 总计, 共 N 户).
fn skipped(row: &[Cell]) -> bool {
    let texts: Vec<String> = row.iter().map(text_of).filter(|t| !t.is_empty()).collect();
    texts.is_empty()
        || texts.iter().any(|t| {
            let t = heading_key(t);
            t == "合计"
                || t == "小计"
                || t == "总计"
                || t.starts_with("合计")
                || t.starts_with("小计")
        })
}

/// Puts the row's person in its household: a new member, an update of the same person, or a
/// duplicate of one elsewhere.
fn place_person(
    places: &mut Places<'_>,
    p: &PersonRow,
    in_file: &mut HashMap<String, String>,
    at: &str,
    by: &str,
    today: NaiveDate,
) -> Verdict {
    if let Some(id) = &p.id {
        if let Some(first) = in_file.get(id.as_str()) {
            return Verdict::Duplicate(format!("与{first}是同一身份证号"));
        }
        in_file.insert(id.as_str().to_owned(), at.to_owned());
    }
    let known =
        p.id.as_ref()
            .and_then(|id| places.ids.get(id.as_str()))
            .copied();
    // A person already living elsewhere: said, and nothing made for the row.
    let here = places
        .find_building(&p.place.0, &p.place.1)
        .and_then(|b| places.find_household(b, &p.place.2));
    if let Some((home, person)) = known
        && Some(home) != here
    {
        let where_ = places
            .book
            .household(home)
            .map(|x| places.book.address_of(x))
            .unwrap_or_default();
        let name = places
            .book
            .household(home)
            .and_then(|x| x.members.iter().find(|m| m.id == person))
            .map(|m| m.name.clone())
            .unwrap_or_default();
        return Verdict::Duplicate(format!("身份证号已登记在 {where_}（{name}）"));
    }
    let building = places.building(&p.place.0, &p.place.1, &p.place.2);
    let h = places.household(building, &p.place.2);
    let household_id = places.households[h].id;
    let household = &mut places.households[h];
    // The same person: by ID number, or by name when neither side has one.
    let same = household.members.iter_mut().find(|m| {
        m.is_present()
            && match (&m.id_number, &p.id) {
                (Some(a), Some(b)) => a == b,
                _ => m.name == p.name,
            }
    });
    if let Some(m) = same {
        let changed = fill(m, p, today, by);
        return if changed.is_empty() {
            Verdict::Unchanged
        } else {
            Verdict::Update(changed)
        };
    }
    let relation = if p.relation.is_empty() && household.present_members().next().is_none() {
        "户主".to_owned()
    } else {
        p.relation.clone()
    };
    let id = PersonId(places.next_person);
    places.next_person += 1;
    let mut person = Person {
        relation,
        sex: p.sex,
        id_number: p.id.clone(),
        birth_date: p.birth,
        hukou_address: p.hukou.clone(),
        phone: p.phone.clone(),
        note: p.note.clone(),
        ..Person::new(id, p.name.clone())
    };
    for (dimension, tag) in &p.tags {
        person.tags.push(TagAssignment {
            dimension: *dimension,
            name: tag.clone(),
            set_on: today,
            set_by: by.to_owned(),
            ended: None,
        });
    }
    if household.phone.is_none() {
        household.phone.clone_from(&p.phone);
    }
    household.members.push(person);
    if let Some(i) = &p.id {
        places.ids.insert(i.as_str().to_owned(), (household_id, id));
    }
    Verdict::Add
}
