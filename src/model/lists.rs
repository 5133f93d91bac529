//! 智能名单: lists drawn from the ledger by tags and dates, as the committee asks for them
//! ("本月满 80 岁的老人", "独居老人 30 天未走访", "新迁入还没走访的户", "楼组长里的党员"). A
//! [`ListQuery`] combines tag conditions, ages and visit dates; [`run`] turns it into rows. The
//! standard lists are [`presets`]; the committee's own are [`SavedList`]s kept in
//! `CommitteeBook::lists`.

use super::committee::{CommitteeBook, WorkerId};
use super::household::{CompoundId, Household, HouseholdId, Person};
use super::ledger::Ledger;
use super::tags::{TagDimension, TagNumbers};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A tag named by its dimension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TagRef {
    /// Dimension.
    pub dimension: TagDimension,
    /// Tag name.
    pub name: String,
}

impl TagRef {
    /// A tag of a dimension.
    pub fn new(dimension: TagDimension, name: &str) -> TagRef {
        TagRef {
            dimension,
            name: name.to_owned(),
        }
    }
}

/// What a list counts: people, or households (one row per household with a matching member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ListUnit {
    /// One row per person.
    #[default]
    Person,
    /// One row per household.
    Household,
}

impl ListUnit {
    /// 按人 / 按户.
    pub fn label(self) -> &'static str {
        match self {
            ListUnit::Person => "按人",
            ListUnit::Household => "按户",
        }
    }

    /// What a count of rows is counted in: 人 / 户.
    pub fn measure(self) -> &'static str {
        match self {
            ListUnit::Person => "人",
            ListUnit::Household => "户",
        }
    }
}

/// The conditions of a list. Every condition set must hold; empty ones are ignored. Only people
/// living here now (and households not moved out) are listed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListQuery {
    /// People or households.
    pub unit: ListUnit,
    /// Tags a person must all carry.
    pub all_tags: Vec<TagRef>,
    /// Tags of which a person must carry at least one.
    pub any_tags: Vec<TagRef>,
    /// Tags a person must not carry.
    pub no_tags: Vec<TagRef>,
    /// Ages reached this month (本月满 80/90/100 岁): the birthday falls in the month of the day
    /// the list is drawn.
    pub turning: Vec<u32>,
    /// Youngest age, inclusive.
    pub min_age: Option<u32>,
    /// Oldest age, inclusive.
    pub max_age: Option<u32>,
    /// The household was not visited for more than this many days (or never).
    pub not_visited_days: Option<u32>,
    /// The person moved in within this many days and the household was not visited since.
    pub arrived_within_days: Option<u32>,
    /// Only this compound.
    pub compound: Option<CompoundId>,
    /// Only the households this worker holds now (包干社工). Lists saved before this condition
    /// existed read as `None`.
    #[serde(default)]
    pub worker: Option<WorkerId>,
}

impl ListQuery {
    /// Whether no condition is set (the list would be everybody).
    pub fn is_empty(&self) -> bool {
        let ListQuery {
            unit: _,
            all_tags,
            any_tags,
            no_tags,
            turning,
            min_age,
            max_age,
            not_visited_days,
            arrived_within_days,
            compound,
            worker,
        } = self;
        all_tags.is_empty()
            && any_tags.is_empty()
            && no_tags.is_empty()
            && turning.is_empty()
            && min_age.is_none()
            && max_age.is_none()
            && not_visited_days.is_none()
            && arrived_within_days.is_none()
            && compound.is_none()
            && worker.is_none()
    }

    /// The conditions in words: `独居老人；超过 30 天未走访`.
    pub fn describe(&self, ledger: &Ledger) -> String {
        let tags = |list: &[TagRef], joiner: &str| {
            list.iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(joiner)
        };
        let mut parts = Vec::new();
        if let Some(c) = self.compound {
            let name = ledger.households.compound(c).map(|c| c.name.as_str());
            parts.push(name.unwrap_or("（已删除的小区）").to_owned());
        }
        if let Some(w) = self.worker {
            let name = ledger
                .committee
                .worker(w)
                .map_or("（已离开的社工）", |w| w.name.as_str());
            parts.push(format!("{name}包干"));
        }
        if !self.all_tags.is_empty() {
            parts.push(tags(&self.all_tags, " 且 "));
        }
        if !self.any_tags.is_empty() {
            parts.push(format!("{}（任一）", tags(&self.any_tags, "、")));
        }
        if !self.no_tags.is_empty() {
            parts.push(format!("不含 {}", tags(&self.no_tags, "、")));
        }
        if !self.turning.is_empty() {
            let ages: Vec<String> = self.turning.iter().map(u32::to_string).collect();
            parts.push(format!("本月满 {} 岁", ages.join("、")));
        }
        match (self.min_age, self.max_age) {
            (Some(a), Some(b)) => parts.push(format!("{a}–{b} 岁")),
            (Some(a), None) => parts.push(format!("{a} 岁及以上")),
            (None, Some(b)) => parts.push(format!("{b} 岁及以下")),
            (None, None) => {}
        }
        if let Some(d) = self.not_visited_days {
            parts.push(format!("超过 {d} 天未走访"));
        }
        if let Some(d) = self.arrived_within_days {
            parts.push(format!("近 {d} 天迁入且未走访"));
        }
        if parts.is_empty() {
            return "全部在住居民".to_owned();
        }
        parts.join("；")
    }
}

/// A list with a name, saved by the committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedList {
    /// Name shown on 首页 and on the printout.
    pub name: String,
    /// Its conditions.
    pub query: ListQuery,
    /// When it was saved.
    pub saved_on: NaiveDate,
    /// Who saved it.
    pub saved_by: String,
}

/// How many days after moving in a household counts as newly arrived, in the standard list.
pub const NEW_ARRIVAL_DAYS: u32 = 90;

/// The standard lists, drawn fresh each day: 本月满 80/90/100 岁, 独居老人 past their visit
/// interval, and new arrivals not yet visited.
pub fn presets(committee: &CommitteeBook) -> Vec<SavedList> {
    let alone = committee
        .visit_intervals
        .iter()
        .find(|i| i.dimension == TagDimension::ResidentType && i.tag == "独居老人")
        .map_or(30, |i| i.days);
    let preset = |name: String, query: ListQuery| SavedList {
        name,
        query,
        saved_on: NaiveDate::MIN,
        saved_by: String::new(),
    };
    vec![
        preset(
            "本月满80、90、100岁".to_owned(),
            ListQuery {
                turning: vec![80, 90, 100],
                ..ListQuery::default()
            },
        ),
        preset(
            format!("独居老人{alone}天未走访"),
            ListQuery {
                all_tags: vec![TagRef::new(TagDimension::ResidentType, "独居老人")],
                not_visited_days: Some(alone),
                ..ListQuery::default()
            },
        ),
        preset(
            "新迁入未走访".to_owned(),
            ListQuery {
                unit: ListUnit::Household,
                arrived_within_days: Some(NEW_ARRIVAL_DAYS),
                ..ListQuery::default()
            },
        ),
    ]
}

/// The people a list is drawn from, read once per ledger change: every present member of every
/// household living here, in address order, with what the conditions look at (tags as small
/// numbers). Drawing a list is then a scan of this compact table: about a millisecond for the
/// 50,000 residents of the stress committee, where walking the ledger itself took twenty.
pub struct ListIndex {
    today: NaiveDate,
    people: Vec<Indexed>,
    tags: TagNumbers,
    /// The households each worker holds now (包干).
    blocks: HashMap<WorkerId, HashSet<HouseholdId>>,
}

struct Indexed {
    /// Position of the household in `HouseholdBook::households`, and of the person in it.
    household: usize,
    person: usize,
    /// Id of the household (rows of one household are adjacent).
    household_id: HouseholdId,
    compound: CompoundId,
    birth: Option<NaiveDate>,
    moved_in: Option<NaiveDate>,
    last_visit: Option<NaiveDate>,
    tags: Vec<u16>,
}

impl ListIndex {
    /// Reads the ledger on `today`.
    pub fn new(ledger: &Ledger, today: NaiveDate) -> ListIndex {
        let last = super::coverage::last_visits(ledger);
        let book = &ledger.households;
        let mut tags = TagNumbers::default();
        // Households living here in address order: building then room.
        let mut order: Vec<(u32, String, usize)> = book
            .households
            .iter()
            .enumerate()
            .filter(|(_, h)| h.is_active())
            .filter_map(|(i, h)| {
                let (compound, key) = book.address_order(h)?;
                Some((compound, key, i))
            })
            .collect();
        order.sort_unstable();
        let mut people = Vec::new();
        for (compound, _, hi) in order {
            let h = &book.households[hi];
            let house_type = (!h.house_type.is_empty())
                .then(|| tags.number(TagDimension::HouseType, &h.house_type));
            let last_visit = last.get(&h.id).copied();
            for (pi, p) in h.members.iter().enumerate() {
                if !p.is_present() {
                    continue;
                }
                let mut own: Vec<u16> = p
                    .tags
                    .iter()
                    .filter(|t| t.is_current())
                    .map(|t| tags.number(t.dimension, &t.name))
                    .chain(house_type)
                    .collect();
                own.sort_unstable();
                own.dedup();
                people.push(Indexed {
                    household: hi,
                    person: pi,
                    household_id: h.id,
                    compound: CompoundId(compound),
                    birth: p.birth(),
                    moved_in: p.moved_in,
                    last_visit,
                    tags: own,
                });
            }
        }
        let blocks = super::coverage::blocks(ledger);
        ListIndex {
            today,
            people,
            tags,
            blocks,
        }
    }

    /// The number of a tag, if anybody carries it.
    fn tag(&self, t: &TagRef) -> Option<u16> {
        self.tags.get(t.dimension, &t.name)
    }

    /// The day lists are drawn on.
    pub fn today(&self) -> NaiveDate {
        self.today
    }
}

/// One row of a drawn list: who, and why a date put them there. Names, addresses and tags are
/// read from the ledger when shown ([`ListRow::person_in`], [`ListRow::address`]), so drawing
/// a list of thousands copies no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    /// The household.
    pub household: HouseholdId,
    /// Position of the household in the ledger's list when drawn.
    at: (usize, usize),
    /// Age on the day drawn, if the birth date is known.
    pub age: Option<u32>,
    /// Day of the household's last visit.
    pub last_visit: Option<NaiveDate>,
    /// Why this row is on the list, when a date condition put it there (`12月5日满90岁`,
    /// `45 天未走访`, `2026年10月2日迁入`).
    pub note: String,
    /// For a household list: how many members match.
    pub matching: usize,
    /// Place in address order (the order the list is drawn in).
    order: usize,
}

impl ListRow {
    /// The household and the person of the row (for a household list, its first matching
    /// member), from the ledger the list was drawn from.
    pub fn person_in<'a>(&self, ledger: &'a Ledger) -> Option<(&'a Household, &'a Person)> {
        let h = ledger.households.households.get(self.at.0)?;
        Some((h, h.members.get(self.at.1)?))
    }

    /// 樱园新村 5号 302室.
    pub fn address(&self, ledger: &Ledger) -> String {
        self.person_in(ledger)
            .map(|(h, _)| ledger.households.address_of(h))
            .unwrap_or_default()
    }

    /// The person's current tags, other than 重点关注 ones.
    pub fn tags(&self, ledger: &Ledger) -> Vec<String> {
        let Some((_, p)) = self.person_in(ledger) else {
            return Vec::new();
        };
        TagDimension::ALL
            .iter()
            .filter(|d| !d.is_sensitive())
            .flat_map(|d| p.current_tags(*d))
            .map(str::to_owned)
            .collect()
    }
}

/// Draws a list from the index. Rows are in address order.
pub fn run(index: &ListIndex, query: &ListQuery) -> Vec<ListRow> {
    let ids = |list: &[TagRef]| -> Option<Vec<u16>> {
        // A tag nobody carries has no number: "all of" it matches nobody.
        list.iter().map(|t| index.tag(t)).collect()
    };
    let known =
        |list: &[TagRef]| -> Vec<u16> { list.iter().filter_map(|t| index.tag(t)).collect() };
    let Some(all) = ids(&query.all_tags) else {
        return Vec::new();
    };
    let (any, none) = (known(&query.any_tags), known(&query.no_tags));
    if !query.any_tags.is_empty() && any.is_empty() {
        return Vec::new();
    }
    let today = index.today;
    let empty = HashSet::new();
    let block = query.worker.map(|w| index.blocks.get(&w).unwrap_or(&empty));
    let mut rows: Vec<ListRow> = Vec::new();
    for p in &index.people {
        if query.compound.is_some_and(|c| c != p.compound) {
            continue;
        }
        if block.is_some_and(|b| !b.contains(&p.household_id)) {
            continue;
        }
        let holds = |t: &u16| p.tags.binary_search(t).is_ok();
        if !all.iter().all(holds)
            || (!any.is_empty() && !any.iter().any(holds))
            || none.iter().any(holds)
        {
            continue;
        }
        let Some(note) = dates_match(query, p, today) else {
            continue;
        };
        if query.unit == ListUnit::Household
            && let Some(last) = rows.last_mut()
            && last.household == p.household_id
        {
            last.matching += 1;
            continue;
        }
        rows.push(ListRow {
            order: rows.len(),
            household: p.household_id,
            at: (p.household, p.person),
            age: p.birth.map(|b| super::age_on(b, today)),
            last_visit: p.last_visit,
            note,
            matching: 1,
        });
    }
    rows
}

/// A column a drawn list can be sorted by (the table's headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListSort {
    /// 姓名, in Unicode order (the pinyin order would need a dictionary).
    Name,
    /// 年龄, unknown ages last.
    Age,
    /// 地址, building then room: the order a list is drawn in.
    Address,
    /// 最近走访, never visited first.
    LastVisit,
}

/// Sorts drawn rows by a column, ascending or descending; rows that tie keep their address
/// order.
pub fn sort_rows(rows: &mut Vec<ListRow>, ledger: &Ledger, by: ListSort, descending: bool) {
    match by {
        ListSort::Address => sort_by(rows, |r| r.order, descending),
        ListSort::Name => sort_by(
            rows,
            |r| {
                r.person_in(ledger)
                    .map(|(_, p)| p.name.clone())
                    .unwrap_or_default()
            },
            descending,
        ),
        // Unknown ages after the known ones, either way.
        ListSort::Age => sort_by(
            rows,
            |r| match (r.age, descending) {
                (Some(a), false) => (false, a),
                (Some(a), true) => (false, u32::MAX - a),
                (None, _) => (true, 0),
            },
            false,
        ),
        ListSort::LastVisit => sort_by(rows, |r| r.last_visit, descending),
    }
}

fn sort_by<K: Ord>(rows: &mut Vec<ListRow>, key: impl Fn(&ListRow) -> K, descending: bool) {
    let mut keyed: Vec<(K, ListRow)> = rows.drain(..).map(|r| (key(&r), r)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        let by_key = if descending { kb.cmp(ka) } else { ka.cmp(kb) };
        by_key.then(a.order.cmp(&b.order))
    });
    rows.extend(keyed.into_iter().map(|(_, r)| r));
}

/// Whether a person meets the age and date conditions; the note says why when a date made it
/// so.
fn dates_match(query: &ListQuery, p: &Indexed, today: NaiveDate) -> Option<String> {
    let age = p.birth.map(|b| super::age_on(b, today));
    if query.min_age.is_some_and(|min| age.is_none_or(|a| a < min))
        || query.max_age.is_some_and(|max| age.is_none_or(|a| a > max))
    {
        return None;
    }
    let last = p.last_visit;
    if let Some(days) = query.not_visited_days
        && last.is_some_and(|d| (today - d).num_days() <= i64::from(days))
    {
        return None;
    }
    let mut notes = Vec::new();
    if !query.turning.is_empty() {
        let birth = p.birth?;
        let turns = today.year() - birth.year();
        if birth.month() != today.month() || !query.turning.iter().any(|a| *a as i32 == turns) {
            return None;
        }
        notes.push(format!("{}月{}日满{turns}岁", birth.month(), birth.day()));
    }
    if let Some(days) = query.arrived_within_days {
        let arrived = p.moved_in?;
        let recent = (today - arrived).num_days() <= i64::from(days) && arrived <= today;
        if !recent || last.is_some_and(|v| v >= arrived) {
            return None;
        }
        notes.push(format!(
            "{}年{}月{}日迁入",
            arrived.year(),
            arrived.month(),
            arrived.day()
        ));
    }
    if query.not_visited_days.is_some() {
        notes.push(match last {
            Some(d) => format!("{} 天未走访", (today - d).num_days()),
            None => "从未走访".to_owned(),
        });
    }
    Some(notes.join("；"))
}

/// A list of the committee and how many it holds today.
#[derive(Debug, Clone)]
pub struct ListCount {
    /// The list.
    pub list: SavedList,
    /// Rows it holds today.
    pub count: usize,
    /// A standard list (not one the committee saved).
    pub preset: bool,
}

/// Every list, the standard ones first, each with how many it holds today: what 首页 and
/// 智能名单 both show.
pub fn counts(index: &ListIndex, committee: &CommitteeBook) -> Vec<ListCount> {
    presets(committee)
        .into_iter()
        .map(|l| (l, true))
        .chain(committee.lists.iter().cloned().map(|l| (l, false)))
        .map(|(list, preset)| ListCount {
            count: run(index, &list.query).len(),
            list,
            preset,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoSize, generate};
    use crate::model::{Household, Person};

    /// Whether a person carries a tag; house types are those of the household.
    fn held_by(t: &TagRef, household: &Household, person: &Person) -> bool {
        if t.dimension == TagDimension::HouseType {
            household.house_type == t.name || person.has_tag(t.dimension, &t.name)
        } else {
            person.has_tag(t.dimension, &t.name)
        }
    }

    fn draw(ledger: &Ledger, query: &ListQuery) -> Vec<ListRow> {
        run(&ListIndex::new(ledger, today()), query)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn turning_lists_people_whose_birthday_is_this_month() {
        let ledger = generate(DemoSize::Typical, today(), 7);
        let query = &presets(&ledger.committee)[0].query;
        let rows = draw(&ledger, query);
        let mut expected = 0;
        for (h, p) in ledger.households.people() {
            if !h.is_active() || !p.is_present() {
                continue;
            }
            if let Some(b) = p.birth()
                && b.month() == 11
                && [80, 90, 100].contains(&(2026 - b.year()))
            {
                expected += 1;
            }
        }
        assert_eq!(rows.len(), expected);
        assert!(
            expected > 0,
            "the demo has someone turning 80, 90 or 100 in November"
        );
        for r in &rows {
            assert!(r.note.starts_with("11月"), "{}", r.note);
        }
    }

    #[test]
    fn not_visited_lists_only_households_past_the_interval() {
        let ledger = generate(DemoSize::Typical, today(), 7);
        let query = ListQuery {
            all_tags: vec![TagRef::new(TagDimension::ResidentType, "独居老人")],
            not_visited_days: Some(30),
            ..ListQuery::default()
        };
        let rows = draw(&ledger, &query);
        for r in &rows {
            if let Some(d) = r.last_visit {
                assert!((today() - d).num_days() > 30);
            }
            let h = ledger
                .households
                .household(r.household)
                .unwrap_or_else(|| panic!());
            assert!(h.has_tag(TagDimension::ResidentType, "独居老人"));
        }
        // The same as the overdue 独居老人 of 首页.
        let overdue = crate::model::coverage::overdue(&ledger, today())
            .into_iter()
            .filter(|o| o.reason == "独居老人")
            .count();
        let households: std::collections::HashSet<_> = rows.iter().map(|r| r.household).collect();
        assert_eq!(households.len(), overdue);
    }

    #[test]
    fn tag_combinations_and_units() {
        let mut ledger = generate(DemoSize::Typical, today(), 7);
        let party = TagRef::new(TagDimension::Political, "中共党员");
        let leader = TagRef::new(TagDimension::CommunityRole, "楼组长");
        let both = ListQuery {
            all_tags: vec![party.clone(), leader.clone()],
            ..ListQuery::default()
        };
        let either = ListQuery {
            any_tags: vec![party.clone(), leader.clone()],
            ..ListQuery::default()
        };
        let leaders_not_party = ListQuery {
            all_tags: vec![leader.clone()],
            no_tags: vec![party.clone()],
            ..ListQuery::default()
        };
        let n = |q: &ListQuery, l: &Ledger| draw(l, q).len();
        let count = |t: &TagRef| {
            ledger
                .households
                .people()
                .filter(|(h, p)| h.is_active() && p.is_present() && held_by(t, h, p))
                .count()
        };
        let (parties, leaders) = (count(&party), count(&leader));
        assert!(parties > 0 && leaders > 0);
        assert_eq!(n(&both, &ledger) + n(&either, &ledger), parties + leaders);
        assert_eq!(n(&both, &ledger) + n(&leaders_not_party, &ledger), leaders);
        // By household: one row per household, counting its matching members.
        let households = ListQuery {
            unit: ListUnit::Household,
            ..either.clone()
        };
        let rows = draw(&ledger, &households);
        let members: usize = rows.iter().map(|r| r.matching).sum();
        assert_eq!(members, n(&either, &ledger));
        let distinct: std::collections::HashSet<_> = rows.iter().map(|r| r.household).collect();
        assert_eq!(distinct.len(), rows.len());
        // A household that moves out leaves the list.
        let before = draw(&ledger, &both);
        let gone = before[0].household;
        let of_gone = before.iter().filter(|r| r.household == gone).count();
        let h = ledger
            .households
            .household_mut(gone)
            .unwrap_or_else(|| panic!());
        h.moved_out = Some(today());
        assert_eq!(n(&both, &ledger), before.len() - of_gone);
    }

    #[test]
    fn new_arrivals_leave_the_list_once_visited() {
        let mut ledger = generate(DemoSize::Typical, today(), 7);
        let query = presets(&ledger.committee)[2].query.clone();
        let rows = draw(&ledger, &query);
        assert!(
            !rows.is_empty(),
            "the demo has new arrivals not yet visited"
        );
        for r in &rows {
            assert!(r.note.contains("迁入"), "{}", r.note);
        }
        // A visit today takes the first off the list.
        let mut visit = ledger.visits[&2026][0].clone();
        visit.household = rows[0].household;
        visit.at = today().and_hms_opt(10, 0, 0).unwrap_or_default();
        visit.id.seq = 99_999;
        ledger.visits.entry(2026).or_default().push(visit);
        assert_eq!(draw(&ledger, &query).len(), rows.len() - 1);
    }

    #[test]
    fn ages_are_inclusive_and_unknown_ages_are_left_out() {
        let ledger = generate(DemoSize::Typical, today(), 7);
        let query = ListQuery {
            min_age: Some(60),
            max_age: Some(69),
            ..ListQuery::default()
        };
        let rows = draw(&ledger, &query);
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|r| r.age.is_some_and(|a| (60..=69).contains(&a)))
        );
        assert_eq!(query.describe(&ledger), "60–69 岁");
    }

    #[test]
    fn a_workers_block_narrows_a_list_and_rows_sort_by_any_column() {
        let ledger = generate(DemoSize::Typical, today(), 7);
        let index = ListIndex::new(&ledger, today());
        let all = run(&index, &ListQuery::default());
        let worker = ledger
            .committee
            .assignments
            .iter()
            .find(|a| !a.buildings.is_empty())
            .map(|a| a.worker)
            .unwrap_or_else(|| panic!("the demo assigns buildings"));
        let block = crate::model::coverage::block_of(&ledger, worker);
        let query = ListQuery {
            worker: Some(worker),
            ..ListQuery::default()
        };
        let mine = run(&index, &query);
        assert!(!mine.is_empty() && mine.len() < all.len());
        assert!(mine.iter().all(|r| block.contains(&r.household)));
        let expected = all.iter().filter(|r| block.contains(&r.household)).count();
        assert_eq!(mine.len(), expected);
        assert!(
            query.describe(&ledger).ends_with("包干"),
            "{}",
            query.describe(&ledger)
        );

        let mut rows = all.clone();
        sort_rows(&mut rows, &ledger, ListSort::Age, false);
        let ages: Vec<Option<u32>> = rows.iter().map(|r| r.age).collect();
        let known = ages.iter().take_while(|a| a.is_some()).count();
        assert!(
            ages[known..].iter().all(Option::is_none),
            "unknown ages last"
        );
        assert!(ages[..known].windows(2).all(|w| w[0] <= w[1]));
        sort_rows(&mut rows, &ledger, ListSort::Age, true);
        let ages: Vec<Option<u32>> = rows.iter().map(|r| r.age).collect();
        assert!(ages[..known].windows(2).all(|w| w[0] >= w[1]));
        assert!(
            ages[known..].iter().all(Option::is_none),
            "unknown ages last"
        );
        sort_rows(&mut rows, &ledger, ListSort::LastVisit, true);
        assert!(rows.windows(2).all(|w| w[0].last_visit >= w[1].last_visit));
        sort_rows(&mut rows, &ledger, ListSort::Name, false);
        let name = |r: &ListRow| r.person_in(&ledger).map(|(_, p)| p.name.clone());
        assert!(rows.windows(2).all(|w| name(&w[0]) <= name(&w[1])));
        sort_rows(&mut rows, &ledger, ListSort::Address, false);
        assert_eq!(rows, all, "back to the order drawn");
    }

    #[test]
    fn every_list_is_counted_once_standard_ones_first() {
        let mut ledger = generate(DemoSize::Typical, today(), 7);
        let saved = SavedList {
            name: "本会的名单".into(),
            query: presets(&ledger.committee)[1].query.clone(),
            saved_on: today(),
            saved_by: "王书记".into(),
        };
        ledger.committee.lists.push(saved);
        let index = ListIndex::new(&ledger, today());
        let all = counts(&index, &ledger.committee);
        let standard = presets(&ledger.committee).len();
        assert_eq!(all.len(), standard + ledger.committee.lists.len());
        assert!(all[..standard].iter().all(|c| c.preset));
        assert!(all[standard..].iter().all(|c| !c.preset));
        let last = all.last().map(|c| (c.list.name.as_str(), c.count));
        assert_eq!(last, Some(("本会的名单", all[1].count)));
        for c in &all {
            assert_eq!(c.count, run(&index, &c.list.query).len(), "{}", c.list.name);
        }
        assert_eq!(ListUnit::Household.measure(), "户");
    }
}
