//! Finding households the way staff type: a name (or part of one), a building and room in any
//! of the forms people write (`5-302`, `5号302`, `5号楼302室`, full-width digits), or the last
//! digits of a phone or ID number; narrowed by compound, building, assigned worker (包干) and tag.
//! The index is built once per ledger change; a search is a scan of small precomputed keys,
//! fast enough at the stress size to run on every keystroke.

use super::{
    BuildingId, CompoundId, Household, HouseholdBook, HouseholdId, Ledger, Person, TagDimension,
    TagNumbers, WorkerId,
};
use std::collections::HashMap;

/// What the user asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Free text: name, building-room or last digits.
    pub text: String,
    /// Only this compound.
    pub compound: Option<CompoundId>,
    /// Only this building.
    pub building: Option<BuildingId>,
    /// Only households this worker is assigned.
    pub worker: Option<WorkerId>,
    /// Only households where a present member (or the household) has this tag.
    pub tag: Option<(TagDimension, String)>,
    /// Include households that moved out.
    pub moved_out: bool,
}

struct Entry {
    compound: CompoundId,
    building: BuildingId,
    worker: Vec<WorkerId>,
    room: String,
    /// `5-302`.
    address: String,
    /// Names of the members, then the address, separated by `\u{1}`: one string to search.
    haystack: String,
    /// Phones and ID numbers, digits (and X) only.
    numbers: Vec<String>,
    /// Tags as numbers in [`Finder::tags`], sorted.
    tags: Vec<u16>,
    active: bool,
}

/// The search index of a ledger's households, in the order of the household book.
pub struct Finder {
    ids: Vec<HouseholdId>,
    entries: Vec<Entry>,
    /// Every tag carried, numbered (the 200,000 tags of a large ledger are not copied).
    tags: TagNumbers,
}

/// Folds full-width digits and letters, drops spaces, lower-cases; building-room separators
/// (号楼, 号, 楼, 幢, 栋, dashes) become `-` and 室 is dropped.
pub fn normalise_query(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                other => other,
            };
            (!c.is_whitespace()).then(|| c.to_ascii_lowercase())
        })
        .collect();
    let mut out = folded;
    for sep in ["号楼", "号", "楼", "幢", "栋", "—", "–"] {
        out = out.replace(sep, "-");
    }
    out = out.replace('室', "");
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out
}

fn address_key(building_number: &str, room: &str) -> String {
    let number = building_number.trim_end_matches('号');
    // Most addresses are plain numbers (12, 302): nothing to fold.
    let plain = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    };
    if plain(number) && plain(room) {
        return format!("{number}-{room}");
    }
    normalise_query(&format!("{number}-{room}"))
}

impl Finder {
    /// Indexes every household of `ledger`.
    pub fn new(ledger: &Ledger) -> Finder {
        let book: &HouseholdBook = &ledger.households;
        let buildings: HashMap<BuildingId, (&str, CompoundId)> = book
            .buildings
            .iter()
            .map(|b| (b.id, (b.number.as_str(), b.compound)))
            .collect();
        let mut by_building: HashMap<BuildingId, Vec<WorkerId>> = HashMap::new();
        let mut by_household: HashMap<HouseholdId, Vec<WorkerId>> = HashMap::new();
        for a in &ledger.committee.assignments {
            for b in &a.buildings {
                by_building.entry(*b).or_default().push(a.worker);
            }
            for h in &a.households {
                by_household.entry(*h).or_default().push(a.worker);
            }
        }
        let mut tag_ids = TagNumbers::default();
        let mut ids = Vec::with_capacity(book.households.len());
        let mut entries = Vec::with_capacity(book.households.len());
        for h in &book.households {
            let (number, compound) = buildings
                .get(&h.building)
                .copied()
                .unwrap_or(("", CompoundId(0)));
            let mut numbers: Vec<String> = h.phone.iter().map(|p| p.digits()).collect();
            let mut haystack = String::new();
            let mut tags = vec![tag_ids.number(TagDimension::HouseType, &h.house_type)];
            for p in h
                .members
                .iter()
                .filter(|p| h.moved_out.is_some() || p.is_present())
            {
                haystack.push_str(&p.name.to_lowercase());
                haystack.push('\u{1}');
                numbers.extend(p.phone.iter().map(|ph| ph.digits()));
                numbers.extend(
                    p.id_number
                        .iter()
                        .map(|id| id.as_str().to_ascii_lowercase()),
                );
                tags.extend(
                    p.tags
                        .iter()
                        .filter(|t| t.is_current())
                        .map(|t| tag_ids.number(t.dimension, &t.name)),
                );
            }
            tags.sort();
            tags.dedup();
            let mut worker = by_building.get(&h.building).cloned().unwrap_or_default();
            worker.extend(by_household.get(&h.id).into_iter().flatten());
            let address = address_key(number, &h.room);
            haystack.push_str(&address);
            ids.push(h.id);
            entries.push(Entry {
                compound,
                building: h.building,
                worker,
                room: h.room.to_lowercase(),
                address,
                haystack,
                numbers,
                tags,
                active: h.is_active(),
            });
        }
        Finder {
            ids,
            entries,
            tags: tag_ids,
        }
    }

    /// How many households are indexed.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The households matching `query`, as positions in the household book.
    pub fn find(&self, query: &Query) -> Vec<usize> {
        self.find_within(query, None)
    }

    /// Like [`Finder::find`], looking only at `within` (the answer to an earlier query that
    /// this one narrows, see [`narrows`]): typing one more character scans only what the
    /// previous characters found.
    pub fn find_within(&self, query: &Query, within: Option<&[usize]>) -> Vec<usize> {
        let text = normalise_query(&query.text);
        let digits = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == 'x');
        let needle = memchr::memmem::Finder::new(text.as_bytes());
        // A tag nobody carries: nobody matches.
        let tag = match &query.tag {
            Some((d, t)) => match self.tags.get(*d, t) {
                Some(id) => Some(id),
                None => return Vec::new(),
            },
            None => None,
        };
        let all: Vec<usize>;
        let positions: &[usize] = match within {
            Some(w) => w,
            None => {
                all = (0..self.entries.len()).collect();
                &all
            }
        };
        positions
            .iter()
            .filter_map(|&i| self.entries.get(i).map(|e| (i, e)))
            .filter(|(_, e)| {
                (query.moved_out || e.active)
                    && query.compound.is_none_or(|c| e.compound == c)
                    && query.building.is_none_or(|b| e.building == b)
                    && query.worker.is_none_or(|w| e.worker.contains(&w))
                    && tag.is_none_or(|t| e.tags.binary_search(&t).is_ok())
                    && (text.is_empty() || matches_text(e, &text, digits, &needle))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The household at a position returned by [`Finder::find`].
    pub fn id(&self, position: usize) -> Option<HouseholdId> {
        self.ids.get(position).copied()
    }
}

/// A column the 居民户 table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdSort {
    /// 地址: compound, building, room, numbers as numbers.
    Address,
    /// 户主's name (Unicode order).
    Head,
    /// 人数: members living here.
    Members,
}

/// Sorts found households (positions in the household book) by a column, ascending or
/// descending; ties stay in address order.
pub fn sort_found(found: &mut [usize], book: &HouseholdBook, by: HouseholdSort, descending: bool) {
    let address = |i: usize| book.households.get(i).and_then(|h| book.address_order(h));
    let mut keyed: Vec<(usize, String, usize, _)> = found
        .iter()
        .map(|&i| {
            let h = book.households.get(i);
            let head = h
                .and_then(|h| h.head())
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let members = h.map_or(0, |h| h.present_members().count());
            (i, head, members, address(i))
        })
        .collect();
    keyed.sort_by(|a, b| {
        let by_key = match by {
            HouseholdSort::Address => a.3.cmp(&b.3),
            HouseholdSort::Head => a.1.cmp(&b.1),
            HouseholdSort::Members => a.2.cmp(&b.2),
        };
        let by_key = if descending { by_key.reverse() } else { by_key };
        by_key.then_with(|| a.3.cmp(&b.3))
    });
    for (slot, (i, ..)) in found.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// The member of `h` through whom a search `text` found the household, when that is not the
/// head: by name, or by the last digits (four or more) of their phone or ID number. `None`
/// when the head matches, or the match was the address or the household's own phone.
pub fn matched_member<'a>(h: &'a Household, text: &str) -> Option<&'a Person> {
    let q = normalise_query(text);
    if q.is_empty() || q.contains('-') {
        return None;
    }
    let digits = q.chars().all(|c| c.is_ascii_digit() || c == 'x');
    let matches = |p: &Person| {
        if digits {
            q.len() >= 4
                && (p.phone.iter().any(|ph| ph.digits().ends_with(&q))
                    || p.id_number
                        .iter()
                        .any(|id| id.as_str().to_ascii_lowercase().ends_with(&q)))
        } else {
            p.name.to_lowercase().contains(&q)
        }
    };
    let head = h.head();
    if head.is_some_and(matches) {
        return None;
    }
    h.present_members()
        .filter(|p| head.is_none_or(|hd| hd.id != p.id))
        .find(|p| matches(p))
}

/// Whether every household matching `next` also matches `previous`, so that `next` may search
/// only within the answer to `previous`: same filters, and text that extends the previous text
/// where matching is by substring or prefix (not by whole room number or last digits).
pub fn narrows(previous: &Query, next: &Query) -> bool {
    let (p, n) = (normalise_query(&previous.text), normalise_query(&next.text));
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == 'x');
    let same_filters = Query {
        text: String::new(),
        ..previous.clone()
    } == Query {
        text: String::new(),
        ..next.clone()
    };
    same_filters && n.starts_with(&p) && !digits(&p) && !digits(&n) && !p.is_empty()
}

fn matches_text(e: &Entry, text: &str, digits: bool, needle: &memchr::memmem::Finder<'_>) -> bool {
    if digits {
        // A room number, or the last digits (at least four) of a phone or ID number.
        return e.room == text || (text.len() >= 4 && e.numbers.iter().any(|n| n.ends_with(text)));
    }
    if text.contains('-') {
        return e.address.starts_with(text);
    }
    needle.find(e.haystack.as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoSize, generate};

    #[test]
    fn tag_filters_find_exactly_the_households_with_the_tag() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 3);
        let finder = Finder::new(&ledger);
        let book = &ledger.households;
        let by_tag = |d: TagDimension, t: &str| {
            finder.find(&Query {
                tag: Some((d, t.to_owned())),
                ..Query::default()
            })
        };
        for (d, t) in [
            (TagDimension::ResidentType, "独居老人"),
            (TagDimension::CommunityRole, "楼组长"),
        ] {
            let expected: Vec<usize> = book
                .households
                .iter()
                .enumerate()
                .filter(|(_, h)| h.is_active() && h.has_tag(d, t))
                .map(|(i, _)| i)
                .collect();
            assert!(!expected.is_empty(), "{t}");
            assert_eq!(by_tag(d, t), expected, "{t}");
        }
        let (at, h) = book
            .households
            .iter()
            .enumerate()
            .find(|(_, h)| h.is_active())
            .unwrap_or_else(|| panic!("an active household"));
        assert!(by_tag(TagDimension::HouseType, &h.house_type).contains(&at));
        assert!(by_tag(TagDimension::ResidentType, "没有这个标签").is_empty());
    }

    #[test]
    fn a_member_other_than_the_head_is_named_as_the_match() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 7);
        let h = ledger
            .households
            .households
            .iter()
            .find(|h| h.present_members().count() >= 2)
            .unwrap_or_else(|| panic!());
        let head = h.head().unwrap_or_else(|| panic!());
        let other = h
            .present_members()
            .find(|p| p.id != head.id && !head.name.contains(&p.name))
            .unwrap_or_else(|| panic!());
        assert_eq!(matched_member(h, &other.name).map(|p| p.id), Some(other.id));
        assert!(matched_member(h, &head.name).is_none(), "the head matched");
        assert!(matched_member(h, "").is_none());
        assert!(matched_member(h, "5-302").is_none(), "an address");
        if let Some(phone) = &other.phone {
            let digits = phone.digits();
            let last = &digits[digits.len().saturating_sub(4)..];
            if head
                .phone
                .as_ref()
                .is_none_or(|p| !p.digits().ends_with(last))
            {
                assert_eq!(matched_member(h, last).map(|p| p.id), Some(other.id));
            }
        }
    }

    #[test]
    fn found_households_sort_by_address_head_or_size() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 7);
        let book = &ledger.households;
        let mut found = Finder::new(&ledger).find(&Query::default());
        found.reverse();
        let head = |i: &usize| book.households[*i].head().map(|p| p.name.clone());
        let size = |i: &usize| book.households[*i].present_members().count();
        sort_found(&mut found, book, HouseholdSort::Head, false);
        assert!(found.windows(2).all(|w| head(&w[0]) <= head(&w[1])));
        sort_found(&mut found, book, HouseholdSort::Members, true);
        assert!(found.windows(2).all(|w| size(&w[0]) >= size(&w[1])));
        sort_found(&mut found, book, HouseholdSort::Address, false);
        let address = |i: &usize| book.address_of(&book.households[*i]);
        // 1号 before 2号 before 10号, within a compound.
        let first = address(&found[0]);
        assert!(
            first.contains(" 1号 ") && first.ends_with("101室"),
            "{first}"
        );
        sort_found(&mut found, book, HouseholdSort::Address, true);
        assert_eq!(address(&found[found.len() - 1]), first);
    }

    #[test]
    fn address_forms_are_one() {
        for q in ["5-302", "5号302", "5号楼302室", "５号 ３０２", "5幢302"] {
            assert_eq!(normalise_query(q), "5-302", "{q}");
        }
    }

    #[test]
    fn finds_by_name_address_and_last_digits() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let ledger = generate(DemoSize::Typical, today, 3);
        let finder = Finder::new(&ledger);
        let book = &ledger.households;
        let (pos, h) = book
            .households
            .iter()
            .enumerate()
            .find(|(_, h)| h.is_active() && h.phone.is_some())
            .unwrap_or_else(|| panic!("demo has a household with a phone"));
        let found = |text: &str| {
            finder.find(&Query {
                text: text.into(),
                ..Query::default()
            })
        };
        let head = h
            .present_members()
            .next()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        assert!(found(&head).contains(&pos));
        let b = book.building(h.building).unwrap_or_else(|| panic!());
        let address = format!("{}{}室", b.number, h.room);
        assert!(found(&address).contains(&pos), "{address}");
        let digits = h.phone.as_ref().map(|p| p.digits()).unwrap_or_default();
        assert!(found(&digits[digits.len() - 4..]).contains(&pos));
        // Three digits are a room, not a phone suffix.
        let three = &digits[digits.len() - 3..];
        assert!(
            found(three)
                .iter()
                .all(|&i| book.households[i].room == three)
        );
        // Filters narrow.
        let in_building = finder.find(&Query {
            building: Some(h.building),
            ..Query::default()
        });
        assert!(in_building.contains(&pos));
        assert!(
            in_building
                .iter()
                .all(|&i| book.households[i].building == h.building)
        );
        assert!(found("没有这个人").is_empty());
        // Narrowing by one more character gives what a full search gives.
        let first: String = head.chars().take(1).collect();
        let broad = Query {
            text: first,
            ..Query::default()
        };
        let narrow = Query {
            text: head,
            ..Query::default()
        };
        assert!(narrows(&broad, &narrow));
        assert_eq!(
            finder.find_within(&narrow, Some(&finder.find(&broad))),
            finder.find(&narrow)
        );
        let room = Query {
            text: "30".into(),
            ..Query::default()
        };
        let longer = Query {
            text: "302".into(),
            ..Query::default()
        };
        assert!(!narrows(&room, &longer), "a room number is matched whole");
    }
}
