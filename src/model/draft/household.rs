//! The household form (附件一): members with their ID numbers checked as typed (age and sex),
//! turned into a [`Household`] with the history the ledger keeps: tags ended rather than
//! deleted, members who leave marked moved out, dated events. Also 整户迁出 and the
//! duplicate-person check.

use super::{FormError, parse_date};
use crate::model::household::{
    BuildingId, Household, HouseholdEvent, HouseholdEventKind, HouseholdId, MemberGroup, MoveOut,
    Person, PersonId,
};
use crate::model::id_number::{IdNumber, Sex};
use crate::model::ledger::Ledger;
use crate::model::phone::Phone;
use crate::model::tags::TagDimension;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// The tag dimensions set on a person (房屋类型 belongs to the household).
pub const PERSON_DIMENSIONS: [TagDimension; 5] = [
    TagDimension::Political,
    TagDimension::CommunityRole,
    TagDimension::ResidentType,
    TagDimension::FamilyType,
    TagDimension::Attention,
];

/// What an ID number field says as it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdCheck {
    /// Nothing typed (allowed: not everyone has one).
    Empty,
    /// A valid number, with what it gives.
    Valid {
        /// The number.
        id: IdNumber,
        /// Birth date.
        birth: NaiveDate,
        /// Age today.
        age: u32,
        /// Sex.
        sex: Sex,
        /// Set when the sex chosen on the form differs from the number's.
        sex_mismatch: bool,
    },
    /// Not valid, and why (Chinese).
    Invalid(String),
}

/// Checks a typed ID number against the sex chosen on the form.
pub fn check_id(text: &str, chosen_sex: Option<Sex>, today: NaiveDate) -> IdCheck {
    if text.trim().is_empty() {
        return IdCheck::Empty;
    }
    match IdNumber::parse(text) {
        Ok(id) => {
            let sex = id.sex();
            IdCheck::Valid {
                birth: id.birth_date(),
                age: id.age_on(today),
                sex,
                sex_mismatch: chosen_sex.is_some_and(|s| s != sex),
                id,
            }
        }
        Err(e) => IdCheck::Invalid(e.to_string()),
    }
}

/// A member as the form holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonDraft {
    /// The person being edited; `None` for a new member.
    pub id: Option<PersonId>,
    /// 姓名.
    pub name: String,
    /// 与户主关系.
    pub relation: String,
    /// 业主 or 租住 (`true` for 租住).
    pub tenant: bool,
    /// 性别 as chosen (the ID number's wins when there is one).
    pub sex: Option<Sex>,
    /// 身份证号 as typed.
    pub id_number: String,
    /// 出生日期 as typed (YYYY-MM-DD), for people without an ID number.
    pub birth: String,
    /// 户籍地址.
    pub hukou_address: String,
    /// 电话 as typed.
    pub phone: String,
    /// Current tags.
    pub tags: BTreeSet<(TagDimension, String)>,
    /// 迁入日期 as typed.
    pub moved_in: String,
    /// 备注.
    pub note: String,
    /// Set to move this member out when the form is saved: date as typed and reason.
    pub moving_out: Option<(String, String)>,
    /// Already moved out (kept as history, shown read-only).
    pub moved_out: Option<MoveOut>,
}

impl PersonDraft {
    /// The form for an existing member.
    pub fn of(p: &Person) -> PersonDraft {
        PersonDraft {
            id: Some(p.id),
            name: p.name.clone(),
            relation: p.relation.clone(),
            tenant: p.group == MemberGroup::Tenant,
            sex: p.sex,
            id_number: p
                .id_number
                .as_ref()
                .map(|i| i.as_str().to_owned())
                .unwrap_or_default(),
            birth: p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            hukou_address: p.hukou_address.clone(),
            phone: p
                .phone
                .as_ref()
                .map(|x| x.as_str().to_owned())
                .unwrap_or_default(),
            tags: p
                .tags
                .iter()
                .filter(|t| t.is_current())
                .map(|t| (t.dimension, t.name.clone()))
                .collect(),
            moved_in: p.moved_in.map(|d| d.to_string()).unwrap_or_default(),
            note: p.note.clone(),
            moving_out: None,
            moved_out: p.moved_out.clone(),
        }
    }

    /// The ID number check for this member.
    pub fn id_check(&self, today: NaiveDate) -> IdCheck {
        check_id(&self.id_number, self.sex, today)
    }

    /// Fills 性别 from a valid ID number when none was chosen (a sex chosen by hand stays, and
    /// a mismatch is then pointed out by [`PersonDraft::id_check`]). Returns whether it did.
    pub fn fill_sex_from_id(&mut self) -> bool {
        if self.sex.is_some() {
            return false;
        }
        match IdNumber::parse(&self.id_number) {
            Ok(id) => {
                self.sex = Some(id.sex());
                true
            }
            Err(_) => false,
        }
    }
}

/// A household as the form holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HouseholdDraft {
    /// The household being edited; `None` for a new one.
    pub id: Option<HouseholdId>,
    /// 楼.
    pub building: Option<BuildingId>,
    /// 室号.
    pub room: String,
    /// 房屋类型.
    pub house_type: String,
    /// 联系电话 as typed.
    pub phone: String,
    /// 保有机动车.
    pub has_vehicle: bool,
    /// 人户分离.
    pub separated: bool,
    /// 备注.
    pub note: String,
    /// Members, present and past.
    pub members: Vec<PersonDraft>,
}

impl HouseholdDraft {
    /// The form for an existing household.
    pub fn of(h: &Household) -> HouseholdDraft {
        HouseholdDraft {
            id: Some(h.id),
            building: Some(h.building),
            room: h.room.clone(),
            house_type: h.house_type.clone(),
            phone: h
                .phone
                .as_ref()
                .map(|x| x.as_str().to_owned())
                .unwrap_or_default(),
            has_vehicle: h.has_vehicle,
            separated: h.separated,
            note: h.note.clone(),
            members: h.members.iter().map(PersonDraft::of).collect(),
        }
    }

    /// Another household living now at the same building and room, if any.
    pub fn address_taken(
        &self,
        book: &crate::model::household::HouseholdBook,
    ) -> Option<HouseholdId> {
        let room = self.room.trim();
        book.households
            .iter()
            .find(|h| {
                h.is_active()
                    && Some(h.id) != self.id
                    && Some(h.building) == self.building
                    && h.room == room
            })
            .map(|h| h.id)
    }

    /// Every problem that keeps the form from being saved (empty when it can be).
    pub fn errors(&self, today: NaiveDate) -> Vec<FormError> {
        let mut out = Vec::new();
        if self.building.is_none() {
            out.push("请选择楼号".to_owned());
        }
        if self.room.trim().is_empty() {
            out.push("请填写室号".to_owned());
        }
        if !self.phone.trim().is_empty()
            && let Err(e) = Phone::parse(&self.phone)
        {
            out.push(format!("联系电话：{e}"));
        }
        let present = self
            .members
            .iter()
            .filter(|m| m.moved_out.is_none())
            .count();
        if present == 0 {
            out.push("请至少登记一位家庭成员".to_owned());
        }
        for (n, m) in self.members.iter().enumerate() {
            if m.moved_out.is_some() {
                continue;
            }
            let who = if m.name.trim().is_empty() {
                format!("第 {} 位成员", n + 1)
            } else {
                m.name.trim().to_owned()
            };
            if m.name.trim().is_empty() {
                out.push(format!("{who}：请填写姓名"));
            }
            if let IdCheck::Invalid(e) = m.id_check(today) {
                out.push(format!("{who}：{e}"));
            }
            if !m.phone.trim().is_empty()
                && let Err(e) = Phone::parse(&m.phone)
            {
                out.push(format!("{who}的电话：{e}"));
            }
            for (text, field) in [(&m.birth, "出生日期"), (&m.moved_in, "迁入日期")] {
                if let Err(e) = parse_date(text, field, &who) {
                    out.push(e);
                }
            }
            if let Some((on, _)) = &m.moving_out {
                match parse_date(on, "迁出日期", &who) {
                    Err(e) => out.push(e),
                    Ok(None) => out.push(format!("{who}：请填写迁出日期")),
                    Ok(Some(_)) => {}
                }
            }
        }
        out
    }

    /// The household the form describes, built on `base` (the household as it was, `None` for
    /// a new one). New members get ids from `next_person`; tag changes, joins and departures
    /// are recorded with `today` and `by`. Fails with the form's errors.
    pub fn build(
        &self,
        base: Option<&Household>,
        new_id: HouseholdId,
        mut next_person: PersonId,
        today: NaiveDate,
        by: &str,
    ) -> Result<Household, Vec<FormError>> {
        let errors = self.errors(today);
        if !errors.is_empty() {
            return Err(errors);
        }
        let building = self.building.ok_or_else(|| vec!["请选择楼号".to_owned()])?;
        let phone = |t: &str| Phone::parse(t).ok().filter(|_| !t.trim().is_empty());
        let mut h = match base {
            Some(b) => b.clone(),
            None => Household {
                events: vec![HouseholdEvent {
                    on: today,
                    kind: HouseholdEventKind::MovedIn,
                    by: by.to_owned(),
                    note: String::new(),
                }],
                ..Household::new(new_id, building, String::new())
            },
        };
        h.building = building;
        h.room = self.room.trim().to_owned();
        h.house_type = self.house_type.clone();
        h.phone = phone(&self.phone);
        h.has_vehicle = self.has_vehicle;
        h.separated = self.separated;
        h.note = self.note.trim().to_owned();
        for m in &self.members {
            if m.moved_out.is_some() {
                continue;
            }
            let existing =
                m.id.and_then(|id| h.members.iter().position(|p| p.id == id));
            let at = match existing {
                Some(at) => at,
                None => {
                    let id = next_person;
                    next_person = PersonId(next_person.0 + 1);
                    h.members.push(Person::new(id, String::new()));
                    if base.is_some() {
                        h.events.push(HouseholdEvent {
                            on: today,
                            kind: HouseholdEventKind::MemberJoined(id),
                            by: by.to_owned(),
                            note: String::new(),
                        });
                    }
                    h.members.len() - 1
                }
            };
            if let Some(left) = m.apply(&mut h.members[at], today, by) {
                h.events.push(left);
            }
        }
        // A new member whose row was removed from the form before saving was never added; an
        // existing member can only leave by moving out, so nothing else is dropped.
        Ok(h)
    }
}

impl PersonDraft {
    /// Writes the form's lines onto the member `p`: fields, tags set and ended (with `today`
    /// and `by`), and a departure. Returns the household's record of that departure.
    fn apply(&self, p: &mut Person, today: NaiveDate, by: &str) -> Option<HouseholdEvent> {
        let m = self;
        let phone = |t: &str| Phone::parse(t).ok().filter(|_| !t.trim().is_empty());
        p.name = m.name.trim().to_owned();
        p.relation = m.relation.trim().to_owned();
        p.group = if m.tenant {
            MemberGroup::Tenant
        } else {
            MemberGroup::Owner
        };
        p.id_number = IdNumber::parse(&m.id_number).ok();
        p.sex = p.id_number.as_ref().map(IdNumber::sex).or(m.sex);
        p.birth_date = parse_date(&m.birth, "", "").ok().flatten();
        p.hukou_address = m.hukou_address.trim().to_owned();
        p.phone = phone(&m.phone);
        p.moved_in = parse_date(&m.moved_in, "", "").ok().flatten();
        p.note = m.note.trim().to_owned();
        let current: Vec<(TagDimension, String)> = p
            .tags
            .iter()
            .filter(|t| t.is_current())
            .map(|t| (t.dimension, t.name.clone()))
            .collect();
        for (d, name) in &current {
            if !m.tags.contains(&(*d, name.clone())) {
                p.end_tag(*d, name, today, by);
            }
        }
        for (d, name) in &m.tags {
            p.set_tag(*d, name, today, by);
        }
        if let Some((on, reason)) = &m.moving_out {
            let on = parse_date(on, "", "").ok().flatten().unwrap_or(today);
            p.moved_out = Some(MoveOut {
                on,
                reason: reason.trim().to_owned(),
                by: by.to_owned(),
            });
            return Some(HouseholdEvent {
                on,
                kind: HouseholdEventKind::MemberLeft(p.id),
                by: by.to_owned(),
                note: reason.trim().to_owned(),
            });
        }
        None
    }
}

/// Marks a whole household as moved out (kept as history): it and its present members.
pub fn move_out_household(h: &Household, on: NaiveDate, reason: &str, by: &str) -> Household {
    let mut h = h.clone();
    h.moved_out = Some(on);
    for p in h.members.iter_mut().filter(|p| p.moved_out.is_none()) {
        p.moved_out = Some(MoveOut {
            on,
            reason: reason.to_owned(),
            by: by.to_owned(),
        });
    }
    h.events.push(HouseholdEvent {
        on,
        kind: HouseholdEventKind::MovedOut,
        by: by.to_owned(),
        note: reason.to_owned(),
    });
    h
}

/// Someone already in the ledger who looks like the person on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Their household.
    pub household: HouseholdId,
    /// Their name.
    pub name: String,
    /// Why they look the same: 身份证号相同 / 姓名和出生日期相同.
    pub reason: &'static str,
}

/// People living in the ledger now (other than `draft` itself, and other than members of
/// `household`, who are checked on the form) with the same ID number, or the same name and
/// birth date.
pub fn duplicates(
    ledger: &Ledger,
    household: Option<HouseholdId>,
    draft: &PersonDraft,
    today: NaiveDate,
) -> Vec<Duplicate> {
    let id = IdNumber::parse(&draft.id_number).ok();
    let name = draft.name.trim();
    let birth = match (&id, draft.id_check(today)) {
        (Some(id), _) => Some(id.birth_date()),
        _ => NaiveDate::parse_from_str(draft.birth.trim(), "%Y-%m-%d").ok(),
    };
    if id.is_none() && (name.is_empty() || birth.is_none()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (h, p) in ledger.households.people() {
        if !h.is_active() || !p.is_present() || Some(h.id) == household || Some(p.id) == draft.id {
            continue;
        }
        let reason = if id.is_some() && p.id_number == id {
            "身份证号相同"
        } else if !name.is_empty() && p.name == name && birth.is_some() && p.birth() == birth {
            "姓名和出生日期相同"
        } else {
            continue;
        };
        out.push(Duplicate {
            household: h.id,
            name: p.name.clone(),
            reason,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TagAssignment;
    use crate::model::draft::fixtures::*;

    #[test]
    fn a_valid_id_number_fills_an_empty_sex_only() {
        let mut m = PersonDraft {
            id_number: id_1950(),
            ..PersonDraft::default()
        };
        assert!(m.fill_sex_from_id());
        let sex = IdNumber::parse(&id_1950()).map(|i| i.sex()).ok();
        assert_eq!(m.sex, sex);
        // Chosen by hand: kept.
        let other = if sex == Some(Sex::Male) {
            Sex::Female
        } else {
            Sex::Male
        };
        m.sex = Some(other);
        assert!(!m.fill_sex_from_id());
        assert_eq!(m.sex, Some(other));
        // Half typed: nothing yet.
        let mut half = PersonDraft {
            id_number: id_1950()[..10].to_owned(),
            ..PersonDraft::default()
        };
        assert!(!half.fill_sex_from_id());
        assert_eq!(half.sex, None);
    }

    #[test]
    fn an_id_number_gives_age_and_sex_and_warns_on_a_mismatch() {
        let today = d(2026, 11, 23);
        match check_id(&id_1950(), Some(Sex::Female), today) {
            IdCheck::Valid {
                age,
                sex,
                sex_mismatch,
                birth,
                ..
            } => {
                assert_eq!((age, sex, sex_mismatch), (76, Sex::Male, true));
                assert_eq!(birth, d(1950, 3, 7));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            check_id(&id_1950(), Some(Sex::Male), today),
            IdCheck::Valid {
                sex_mismatch: false,
                ..
            }
        ));
        assert_eq!(check_id("  ", None, today), IdCheck::Empty);
        let mut wrong = id_1950();
        wrong.replace_range(17.., if wrong.ends_with('1') { "2" } else { "1" });
        match check_id(&wrong, None, today) {
            IdCheck::Invalid(msg) => assert!(msg.contains("校验位"), "{msg}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_each_field_in_chinese() {
        let today = d(2026, 11, 23);
        assert!(draft().errors(today).is_empty());
        let mut bad = draft();
        bad.room.clear();
        bad.building = None;
        bad.phone = "12ab".into();
        bad.members.push(PersonDraft {
            id_number: "123".into(),
            moved_in: "2024/3/1".into(),
            ..PersonDraft::default()
        });
        let errors = bad.errors(today);
        assert_eq!(errors.len(), 6, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("第 2 位成员：请填写姓名")));
        assert!(errors.iter().any(|e| e.contains("18 位")));
        assert!(errors.iter().any(|e| e.contains("迁入日期")));
        let mut empty = draft();
        empty.members.clear();
        assert_eq!(empty.errors(today), ["请至少登记一位家庭成员"]);
    }

    #[test]
    fn build_keeps_history_of_tags_joins_and_departures() {
        let today = d(2026, 11, 23);
        let mut form = draft();
        form.members[0].id_number = id_1950();
        form.members[0]
            .tags
            .insert((TagDimension::ResidentType, "独居老人".into()));
        let mut wife = member("李四");
        wife.relation = "配偶".into();
        wife.tenant = true;
        wife.sex = Some(Sex::Female);
        wife.phone = "139 1234 5678".into();
        form.members.push(wife);
        let h = form
            .build(None, HouseholdId(7), PersonId(40), today, "王书记")
            .unwrap();
        assert_eq!((h.id, h.room.as_str()), (HouseholdId(7), "302"));
        assert_eq!(h.members[0].id, PersonId(40));
        assert_eq!(h.members[1].id, PersonId(41));
        assert_eq!(h.members[0].sex, Some(Sex::Male), "from the ID number");
        assert_eq!(h.members[1].group, MemberGroup::Tenant);
        assert_eq!(h.members[1].phone.as_ref().unwrap().as_str(), "13912345678");
        assert!(h.members[0].has_tag(TagDimension::ResidentType, "独居老人"));
        assert_eq!(h.events[0].kind, HouseholdEventKind::MovedIn);

        // Edit: the tag is ended (kept), the wife moves out, a child joins.
        let later = d(2026, 12, 1);
        let mut form = HouseholdDraft::of(&h);
        form.members[0].tags.clear();
        form.members[1].moving_out = Some(("2026-11-30".into(), "迁出本市".into()));
        form.members.push(member("张小三"));
        let h2 = form
            .build(Some(&h), h.id, PersonId(42), later, "李主任")
            .unwrap();
        let tag: &TagAssignment = &h2.members[0].tags[0];
        assert_eq!(tag.ended, Some((later, "李主任".to_owned())));
        assert!(!h2.members[0].has_tag(TagDimension::ResidentType, "独居老人"));
        let wife = &h2.members[1];
        assert_eq!(wife.moved_out.as_ref().unwrap().on, d(2026, 11, 30));
        assert_eq!(h2.members.len(), 3);
        assert_eq!(h2.present_members().count(), 2);
        let kinds: Vec<_> = h2.events.iter().map(|e| e.kind.clone()).collect();
        assert!(kinds.contains(&HouseholdEventKind::MemberJoined(PersonId(42))));
        assert!(kinds.contains(&HouseholdEventKind::MemberLeft(PersonId(41))));

        // Unchanged form: same household.
        let again = HouseholdDraft::of(&h2)
            .build(Some(&h2), h2.id, PersonId(43), later, "李主任")
            .unwrap();
        assert_eq!(again, h2);

        let gone = move_out_household(&h2, later, "动迁", "王书记");
        assert_eq!(gone.moved_out, Some(later));
        assert_eq!(gone.present_members().count(), 0);
        assert_eq!(gone.members.len(), 3);
    }

    #[test]
    fn duplicates_are_found_by_id_or_name_and_birth() {
        let today = d(2026, 11, 23);
        let mut form = draft();
        form.members[0].id_number = id_1950();
        let h = form
            .build(None, HouseholdId(1), PersonId(1), today, "王书记")
            .unwrap();
        let mut ledger = Ledger::default();
        ledger.households.households.push(h);
        let same_id = PersonDraft {
            name: "别名".into(),
            id_number: id_1950(),
            ..PersonDraft::default()
        };
        let found = duplicates(&ledger, None, &same_id, today);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].reason, "身份证号相同");
        assert_eq!(found[0].name, "张三");
        let same_name = PersonDraft {
            name: "张三".into(),
            birth: "1950-03-07".into(),
            ..PersonDraft::default()
        };
        assert_eq!(
            duplicates(&ledger, None, &same_name, today)[0].reason,
            "姓名和出生日期相同"
        );
        // The address is taken by that household.
        let mut again = draft();
        assert_eq!(
            again.address_taken(&ledger.households),
            Some(HouseholdId(1))
        );
        again.room = "303".into();
        assert_eq!(again.address_taken(&ledger.households), None);
        // Not against their own household (checked on the form) nor when nothing matches.
        assert!(duplicates(&ledger, Some(HouseholdId(1)), &same_id, today).is_empty());
        assert!(duplicates(&ledger, None, &member("张三"), today).is_empty());
    }
}
