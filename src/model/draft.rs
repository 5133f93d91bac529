//! A household being added or edited, as the form holds it: text as typed, checked as one types
//! (ID numbers with the age and sex they give, phones, required fields), and turned into a
//! [`Household`] with the history the ledger keeps: tags ended rather than deleted, members
//! who leave marked moved out, dated events. Also the duplicate-person check.

use super::committee::{VisitInterval, WorkerId};
use super::desk::{Channel, DutyShift, Reception, ShiftKind};
use super::edit::Edit;
use super::household::{
    BuildingId, Household, HouseholdEvent, HouseholdEventKind, HouseholdId, MemberGroup, MoveOut,
    Person, PersonId,
};
use super::id_number::{IdNumber, Sex};
use super::ledger::Ledger;
use super::phone::Phone;
use super::problem::{Problem, ProblemId, ProblemSource, ProblemStatus, ResolutionPath};
use super::tags::TagDimension;
use super::visit::{Need, NeedOutcome, Visit, VisitId, VisitKind};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
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

/// One problem with the form, in Chinese, naming the field.
pub type FormError = String;

/// A day as typed on the forms (`2024-03-15`).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn parse_date(text: &str, field: &str, who: &str) -> Result<Option<NaiveDate>, FormError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_day(t)
        .map(Some)
        .ok_or_else(|| format!("{who}的{field}“{t}”不是有效日期，请按 2024-03-15 的格式填写"))
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
    pub fn address_taken(&self, book: &super::household::HouseholdBook) -> Option<HouseholdId> {
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
                id: new_id,
                building,
                room: String::new(),
                house_type: String::new(),
                phone: None,
                has_vehicle: false,
                separated: false,
                members: vec![],
                events: vec![HouseholdEvent {
                    on: today,
                    kind: HouseholdEventKind::MovedIn,
                    by: by.to_owned(),
                    note: String::new(),
                }],
                moved_out: None,
                note: String::new(),
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
                    h.members.push(Person {
                        id,
                        name: String::new(),
                        relation: String::new(),
                        group: MemberGroup::Owner,
                        sex: None,
                        id_number: None,
                        birth_date: None,
                        hukou_address: String::new(),
                        phone: None,
                        tags: vec![],
                        moved_in: None,
                        moved_out: None,
                        note: String::new(),
                    });
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
            let p = &mut h.members[at];
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
                let id = p.id;
                h.events.push(HouseholdEvent {
                    on,
                    kind: HouseholdEventKind::MemberLeft(id),
                    by: by.to_owned(),
                    note: reason.trim().to_owned(),
                });
            }
        }
        // A new member whose row was removed from the form before saving was never added; an
        // existing member can only leave by moving out, so nothing else is dropped.
        Ok(h)
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

/// A need heard on a visit, as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedDraft {
    /// What the resident said.
    pub text: String,
    /// 列入问题清单 (`true`) or 当场解决.
    pub listed: bool,
    /// The answer given on the spot.
    pub answer: String,
    /// The problem's category, when listed.
    pub category: String,
    /// How the problem is to be solved, when listed.
    pub path: ResolutionPath,
}

impl Default for NeedDraft {
    fn default() -> NeedDraft {
        NeedDraft {
            text: String::new(),
            listed: false,
            answer: String::new(),
            category: "其他".into(),
            path: ResolutionPath::LineDepartment,
        }
    }
}

/// A visit as the form holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VisitDraft {
    /// The household visited.
    pub household: Option<HouseholdId>,
    /// 走访时间 as typed (`2026-11-23 14:05`).
    pub at: String,
    /// 走访人.
    pub worker: Option<WorkerId>,
    /// Type.
    pub kind: VisitKind,
    /// 走访居民: whom they spoke to.
    pub resident: String,
    /// 走访事由.
    pub reason: String,
    /// 困难或诉求.
    pub needs: Vec<NeedDraft>,
    /// 备注.
    pub note: String,
}

/// The format of a visit's time on the form.
pub const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

impl VisitDraft {
    /// The time typed, if valid.
    pub fn time(&self) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(self.at.trim(), TIME_FORMAT).ok()
    }

    /// Every problem that keeps the visit from being saved.
    pub fn errors(&self, now: NaiveDateTime) -> Vec<FormError> {
        let mut out = Vec::new();
        if self.household.is_none() {
            out.push("请选择走访的居民户".to_owned());
        }
        match self.time() {
            None => out.push("走访时间请按 2026-11-23 14:05 的格式填写".to_owned()),
            Some(t) if t > now + chrono::Duration::minutes(5) => {
                out.push("走访时间不能晚于现在".to_owned());
            }
            Some(_) => {}
        }
        if self.worker.is_none() {
            out.push("请选择走访人".to_owned());
        }
        if let VisitKind::LineOfWork(line) = &self.kind
            && line.trim().is_empty()
        {
            out.push("业务条线走访请写明条线（如 民政、综治）".to_owned());
        }
        if self.reason.trim().is_empty() {
            out.push("请填写走访事由".to_owned());
        }
        for (n, need) in self.needs.iter().enumerate() {
            if need.text.trim().is_empty() {
                out.push(format!("第 {} 条诉求：请填写内容，或删除这一条", n + 1));
            }
        }
        out
    }

    /// The edit that records the visit and, for each need 列入问题清单, a new problem linked to
    /// it (one undo removes them all). Ids come from `ledger`, which must hold the visit's year.
    pub fn build(
        &self,
        ledger: &Ledger,
        now: NaiveDateTime,
    ) -> Result<(Visit, Vec<Problem>), Vec<FormError>> {
        let errors = self.errors(now);
        let (Some(household), Some(at), Some(worker)) = (self.household, self.time(), self.worker)
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let year = at.year();
        let seq = ledger
            .visits
            .get(&year)
            .and_then(|v| v.iter().map(|v| v.id.seq).max())
            .unwrap_or(0)
            + 1;
        let id = VisitId { year, seq };
        let location = ledger
            .households
            .household(household)
            .map(|h| ledger.households.address_of(h))
            .unwrap_or_default();
        let mut next_problem = ledger.problems.next_id();
        let mut problems = Vec::new();
        let needs = self
            .needs
            .iter()
            .map(|n| {
                let text = n.text.trim().to_owned();
                let outcome = if n.listed {
                    let pid = next_problem;
                    next_problem = ProblemId(pid.0 + 1);
                    problems.push(Problem {
                        id: pid,
                        raised_on: at.date(),
                        source: ProblemSource::Visit(id),
                        category: n.category.clone(),
                        title: text.chars().take(40).collect(),
                        description: text.clone(),
                        household: Some(household),
                        location: location.clone(),
                        prominent: false,
                        path: n.path,
                        status: ProblemStatus::Open,
                        assigned_to: Some(worker),
                        progress: vec![],
                        answer: String::new(),
                        closed_on: None,
                        project: None,
                    });
                    NeedOutcome::Listed(pid)
                } else {
                    NeedOutcome::AnsweredOnSpot(n.answer.trim().to_owned())
                };
                Need { text, outcome }
            })
            .collect();
        let kind = match &self.kind {
            VisitKind::LineOfWork(l) => VisitKind::LineOfWork(l.trim().to_owned()),
            k => k.clone(),
        };
        let visit = Visit {
            id,
            at,
            worker,
            companions: vec![],
            household,
            resident_name: self.resident.trim().to_owned(),
            family_situation: String::new(),
            kind,
            reason: self.reason.trim().to_owned(),
            needs,
            note: self.note.trim().to_owned(),
        };
        Ok((visit, problems))
    }
}

/// The edit that records a visit with its new problems.
pub fn visit_edit(visit: Visit, problems: Vec<Problem>) -> Edit {
    let mut edits = vec![Edit::Visit(visit.id, Some(Box::new(visit)))];
    edits.extend(
        problems
            .into_iter()
            .map(|p| Edit::Problem(p.id, Some(Box::new(p)))),
    );
    Edit::Batch(edits)
}

/// A reception (首问接待) as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceptionDraft {
    /// 时间 as typed.
    pub at: String,
    /// 来访 / 来电 / 线上.
    pub channel: Channel,
    /// Who asked; empty when anonymous.
    pub visitor: String,
    /// Their phone, if they left one.
    pub phone: String,
    /// 事项.
    pub matter: String,
    /// 接待人 (首问责任人).
    pub received_by: Option<WorkerId>,
    /// 答复.
    pub answer: String,
    /// 居民确认.
    pub confirmed: bool,
    /// 转入问题清单, with the problem's category.
    pub listed: Option<String>,
}

impl Default for ReceptionDraft {
    fn default() -> ReceptionDraft {
        ReceptionDraft {
            at: String::new(),
            channel: Channel::InPerson,
            visitor: String::new(),
            phone: String::new(),
            matter: String::new(),
            received_by: None,
            answer: String::new(),
            confirmed: false,
            listed: None,
        }
    }
}

impl ReceptionDraft {
    /// Every problem that keeps the reception from being saved.
    pub fn errors(&self, now: NaiveDateTime) -> Vec<FormError> {
        let mut out = Vec::new();
        match NaiveDateTime::parse_from_str(self.at.trim(), TIME_FORMAT) {
            Err(_) => out.push("时间请按 2026-11-23 14:05 的格式填写".to_owned()),
            Ok(t) if t > now + chrono::Duration::minutes(5) => {
                out.push("接待时间不能晚于现在".to_owned());
            }
            Ok(_) => {}
        }
        if self.matter.trim().is_empty() {
            out.push("请填写事项".to_owned());
        }
        if self.received_by.is_none() {
            out.push("请选择接待人".to_owned());
        }
        if !self.phone.trim().is_empty()
            && let Err(e) = Phone::parse(&self.phone)
        {
            out.push(format!("电话：{e}"));
        }
        if self.listed.is_none() && self.answer.trim().is_empty() {
            out.push("请填写答复，或勾选“转入问题清单”".to_owned());
        }
        out
    }

    /// The reception and, when it is turned into one, the problem linked to it.
    pub fn build(
        &self,
        ledger: &Ledger,
        now: NaiveDateTime,
    ) -> Result<(Reception, Option<Problem>), Vec<FormError>> {
        let errors = self.errors(now);
        let (Ok(at), Some(worker)) = (
            NaiveDateTime::parse_from_str(self.at.trim(), TIME_FORMAT),
            self.received_by,
        ) else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let id = ledger.desk.next_reception_id();
        let matter = self.matter.trim().to_owned();
        let problem = self.listed.as_ref().map(|category| Problem {
            id: ledger.problems.next_id(),
            raised_on: at.date(),
            source: ProblemSource::Reception(id),
            category: category.clone(),
            title: matter.chars().take(40).collect(),
            description: matter.clone(),
            household: None,
            location: String::new(),
            prominent: false,
            path: ResolutionPath::LineDepartment,
            status: ProblemStatus::Open,
            assigned_to: Some(worker),
            progress: vec![],
            answer: self.answer.trim().to_owned(),
            closed_on: None,
            project: None,
        });
        let visitor = self.visitor.trim();
        let reception = Reception {
            id,
            at,
            channel: self.channel,
            visitor: (!visitor.is_empty()).then(|| visitor.to_owned()),
            visitor_phone: Phone::parse(&self.phone).ok(),
            matter,
            received_by: worker,
            answer: self.answer.trim().to_owned(),
            confirmed: self.confirmed,
            problem: problem.as_ref().map(|p| p.id),
        };
        Ok((reception, problem))
    }
}

/// The edit that records a reception with its problem.
pub fn reception_edit(reception: Reception, problem: Option<Problem>) -> Edit {
    let mut edits = vec![Edit::Reception(reception.id, Some(Box::new(reception)))];
    edits.extend(problem.map(|p| Edit::Problem(p.id, Some(Box::new(p)))));
    Edit::Batch(edits)
}

/// A reception after its answer and the resident's confirmation were added later (the
/// matter stays as it was logged). Confirming needs an answer to confirm.
pub fn reception_answered(
    reception: &Reception,
    answer: &str,
    confirmed: bool,
) -> Result<Reception, FormError> {
    let answer = answer.trim();
    if confirmed && answer.is_empty() {
        return Err("居民确认的是答复：请先填写给居民的答复".to_owned());
    }
    Ok(Reception {
        answer: answer.to_owned(),
        confirmed,
        ..reception.clone()
    })
}

/// A shift being added to the rota, as the form holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftDraft {
    /// 日期 as typed.
    pub on: String,
    /// Start as typed (`17:00`).
    pub start: String,
    /// End as typed.
    pub end: String,
    /// Kind.
    pub kind: ShiftKind,
    /// 值班人.
    pub worker: Option<WorkerId>,
}

impl ShiftDraft {
    /// A new shift on `day`, of the kind and usual hours that day has.
    pub fn on_day(day: NaiveDate) -> ShiftDraft {
        let kind = ShiftKind::for_day(day);
        let (start, end) = kind.usual_hours();
        ShiftDraft {
            on: day.format("%Y-%m-%d").to_string(),
            start: start.format("%H:%M").to_string(),
            end: end.format("%H:%M").to_string(),
            kind,
            worker: None,
        }
    }

    /// After the date was edited: when it names a day, the kind and the hours follow it
    /// (the worker stays).
    pub fn date_changed(&mut self) {
        if let Some(day) = parse_day(&self.on) {
            let worker = self.worker;
            let on = std::mem::take(&mut self.on);
            *self = ShiftDraft {
                on,
                worker,
                ..ShiftDraft::on_day(day)
            };
        }
    }

    /// The shift, or the first thing to correct.
    pub fn build(&self) -> Result<DutyShift, FormError> {
        let on = parse_day(&self.on).ok_or_else(|| "日期请按 2026-11-23 的格式填写".to_owned())?;
        let time = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| "时间请按 17:00 的格式填写".to_owned())
        };
        let (start, end) = (time(&self.start)?, time(&self.end)?);
        if end <= start {
            return Err("结束时间应晚于开始时间".to_owned());
        }
        let worker = self.worker.ok_or_else(|| "请选择值班人".to_owned())?;
        Ok(DutyShift {
            on,
            start,
            end,
            kind: self.kind,
            worker,
            signed_in: None,
            note: String::new(),
        })
    }
}

/// The rota after the shift at `index` is signed in at `now` (a shift already signed keeps its
/// first time).
pub fn sign_in(shifts: &[DutyShift], index: usize, now: NaiveDateTime) -> Vec<DutyShift> {
    let mut out = shifts.to_vec();
    if let Some(s) = out.get_mut(index)
        && s.signed_in.is_none()
    {
        s.signed_in = Some(now);
    }
    out
}

/// The longest visit interval a committee may set, in days.
pub const MAX_INTERVAL_DAYS: u32 = 365;

/// The visit intervals as typed in 设置 (dimension, tag, days), checked: whole days from 1 to
/// [`MAX_INTERVAL_DAYS`]; the first bad one is explained.
pub fn visit_intervals(
    typed: &[(TagDimension, String, String)],
) -> Result<Vec<VisitInterval>, FormError> {
    typed
        .iter()
        .map(|(dimension, tag, days)| match days.trim().parse::<u32>() {
            Ok(d) if (1..=MAX_INTERVAL_DAYS).contains(&d) => Ok(VisitInterval {
                dimension: *dimension,
                tag: tag.clone(),
                days: d,
            }),
            _ => Err(format!(
                "“{tag}”的走访周期应是 1 到 {MAX_INTERVAL_DAYS} 之间的天数，现在是“{}”。",
                days.trim()
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn visit_intervals_are_whole_days_up_to_a_year() {
        use super::visit_intervals;
        let row = |days: &str| {
            vec![(
                super::TagDimension::ResidentType,
                "独居老人".to_owned(),
                days.to_owned(),
            )]
        };
        let ok = visit_intervals(&row(" 7 ")).unwrap_or_default();
        assert_eq!(ok[0].days, 7);
        for bad in ["0", "366", "七", "", "-3", "7.5"] {
            let e = visit_intervals(&row(bad)).err().unwrap_or_default();
            assert!(
                e.contains("独居老人") && e.contains("1 到 365"),
                "{bad}: {e}"
            );
        }
    }

    use super::*;
    use crate::model::TagAssignment;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A valid number for a man born 1950-03-07 (check character computed).
    fn id_1950() -> String {
        let first17 = "31010719500307001";
        format!(
            "{first17}{}",
            crate::model::check_character(first17).unwrap()
        )
    }

    fn member(name: &str) -> PersonDraft {
        PersonDraft {
            name: name.into(),
            relation: "户主".into(),
            ..PersonDraft::default()
        }
    }

    fn draft() -> HouseholdDraft {
        HouseholdDraft {
            building: Some(BuildingId(1)),
            room: " 302 ".into(),
            members: vec![member("张三")],
            ..HouseholdDraft::default()
        }
    }

    #[test]
    fn a_reception_is_answered_later_and_confirmed_only_with_an_answer() {
        use crate::model::{Channel, ReceptionId};
        let r = Reception {
            id: ReceptionId(1),
            at: NaiveDate::from_ymd_opt(2026, 3, 9)
                .unwrap_or_default()
                .and_hms_opt(10, 5, 0)
                .unwrap_or_default(),
            channel: Channel::Phone,
            visitor: None,
            visitor_phone: None,
            matter: "楼道堆物".into(),
            received_by: WorkerId(1),
            answer: String::new(),
            confirmed: false,
            problem: None,
        };
        assert!(reception_answered(&r, "  ", true).is_err());
        let done =
            reception_answered(&r, " 已通知物业清理 ", true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(done.answer, "已通知物业清理");
        assert!(done.confirmed);
        assert_eq!((done.id, done.matter.as_str()), (r.id, "楼道堆物"));
    }

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

    #[test]
    fn a_visit_whose_need_is_listed_creates_a_linked_problem() {
        let today = d(2026, 11, 23);
        let now = today.and_hms_opt(15, 0, 0).unwrap();
        let mut ledger = Ledger::default();
        let h = draft()
            .build(None, HouseholdId(1), PersonId(1), today, "王书记")
            .unwrap();
        ledger.households.households.push(h);
        let mut form = VisitDraft {
            household: Some(HouseholdId(1)),
            at: "2026-11-23 14:05".into(),
            worker: Some(WorkerId(2)),
            reason: "独居老人月度探访".into(),
            needs: vec![
                NeedDraft {
                    text: "楼道灯坏了".into(),
                    listed: true,
                    category: "安全隐患".into(),
                    ..NeedDraft::default()
                },
                NeedDraft {
                    text: "问社区食堂开放时间".into(),
                    answer: "每天11点".into(),
                    ..NeedDraft::default()
                },
            ],
            ..VisitDraft::default()
        };
        let (visit, problems) = form.build(&ledger, now).unwrap();
        assert_eq!(visit.id, VisitId { year: 2026, seq: 1 });
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert_eq!(p.source, ProblemSource::Visit(visit.id));
        assert_eq!(p.household, Some(HouseholdId(1)));
        assert_eq!(p.assigned_to, Some(WorkerId(2)));
        assert_eq!(p.category, "安全隐患");
        assert_eq!(visit.needs[0].outcome, NeedOutcome::Listed(p.id));
        assert_eq!(
            visit.needs[1].outcome,
            NeedOutcome::AnsweredOnSpot("每天11点".into())
        );
        let edit = visit_edit(visit, problems);
        let undo = edit.apply(&mut ledger);
        assert_eq!(ledger.problems.problems.len(), 1);
        // The next visit of the year gets the next number.
        assert_eq!(form.build(&ledger, now).unwrap().0.id.seq, 2);
        undo.apply(&mut ledger);
        assert!(ledger.problems.problems.is_empty());
        assert!(ledger.visits[&2026].is_empty());
        // Errors.
        form.at = "2026-11-24 09:00".into();
        form.reason.clear();
        form.needs[1].text.clear();
        let errors = form.errors(now);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("晚于现在"));
    }

    #[test]
    fn a_reception_can_become_a_problem_and_anonymous_is_allowed() {
        let now = d(2026, 11, 23).and_hms_opt(10, 0, 0).unwrap();
        let ledger = Ledger::default();
        let mut form = ReceptionDraft {
            at: "2026-11-23 09:30".into(),
            matter: "小区东门路灯不亮".into(),
            received_by: Some(WorkerId(1)),
            ..ReceptionDraft::default()
        };
        let errors = form.errors(now);
        assert_eq!(errors, ["请填写答复，或勾选“转入问题清单”"]);
        form.listed = Some("安全隐患".into());
        let (r, p) = form.build(&ledger, now).unwrap();
        let p = p.unwrap();
        assert_eq!(r.visitor, None, "anonymous");
        assert_eq!(r.problem, Some(p.id));
        assert_eq!(p.source, ProblemSource::Reception(r.id));
        form.phone = "123".into();
        assert!(form.errors(now)[0].starts_with("电话："));
    }

    #[test]
    fn signing_in_keeps_the_first_time() {
        let on = d(2026, 11, 23);
        let shift = DutyShift {
            on,
            start: chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
            kind: crate::model::ShiftKind::Evening,
            worker: WorkerId(1),
            signed_in: None,
            note: String::new(),
        };
        let t1 = on.and_hms_opt(16, 58, 0).unwrap();
        let once = sign_in(&[shift], 0, t1);
        assert_eq!(once[0].signed_in, Some(t1));
        let twice = sign_in(&once, 0, t1 + chrono::Duration::hours(1));
        assert_eq!(twice[0].signed_in, Some(t1));
        assert_eq!(
            sign_in(&twice, 5, t1),
            twice,
            "no such shift: nothing changes"
        );
    }
}
