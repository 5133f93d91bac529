//! The household form, laid out like 附件一: the address and the household's own lines, then its
//! members in the 业主 and 租住 groups, each with relation, sex, ID number (checked as it is typed:
//! the age and sex it gives, a warning when the chosen sex differs), 户籍地址, phone and the tags
//! of each dimension of 附件二 (重点关注 only when expanded). Existing ID numbers and phones stay
//! masked until 显示. The rules (what is valid, what history is kept, who looks like a duplicate)
//! are `model::draft`'s; this file only lays them out.

use super::widgets;
use super::{Action, View};
use crate::model::draft::{
    Duplicate, HouseholdDraft, IdCheck, PERSON_DIMENSIONS, PersonDraft, duplicates,
};
use crate::model::{CompoundId, Edit, HouseholdId, Sex, TagDimension};
use eframe::egui;
use std::collections::{HashMap, HashSet};

/// Relations offered on the form (anything else can be typed).
const RELATIONS: [&str; 9] = [
    "户主",
    "配偶",
    "子女",
    "父母",
    "孙子女",
    "兄弟姐妹",
    "媳婿",
    "租户",
    "其他",
];

/// How the form ended this frame.
pub enum Outcome {
    /// Saved: the household to show.
    Saved(HouseholdId),
    /// Closed without saving.
    Cancelled,
}

/// A household being added or edited.
pub struct HouseholdEditor {
    draft: HouseholdDraft,
    compound: Option<CompoundId>,
    /// Existing ID numbers and phones the user asked to see (member index, field).
    revealed: HashSet<(usize, u8)>,
    /// Errors are shown once 保存 has been tried.
    tried: bool,
    /// Duplicate check per member row, redone only when what it looks at changes.
    dups: HashMap<usize, (String, Vec<Duplicate>)>,
}

impl HouseholdEditor {
    /// A form for a new household, with one member row.
    pub fn new_household() -> HouseholdEditor {
        HouseholdEditor {
            draft: HouseholdDraft {
                members: vec![PersonDraft {
                    relation: "户主".into(),
                    ..PersonDraft::default()
                }],
                ..HouseholdDraft::default()
            },
            compound: None,
            revealed: HashSet::new(),
            tried: false,
            dups: HashMap::new(),
        }
    }

    /// A form for an existing household.
    pub fn edit(view: &View<'_>, id: HouseholdId) -> Option<HouseholdEditor> {
        let h = view.ledger.households.household(id)?;
        let compound = view
            .ledger
            .households
            .building(h.building)
            .map(|b| b.compound);
        Some(HouseholdEditor {
            draft: HouseholdDraft::of(h),
            compound,
            revealed: HashSet::new(),
            tried: false,
            dups: HashMap::new(),
        })
    }

    /// Shows the form.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        actions: &mut Vec<Action>,
    ) -> Option<Outcome> {
        let book = &view.ledger.households;
        let base = self.draft.id.and_then(|id| book.household(id));
        let mut outcome = None;
        ui.horizontal(|ui| {
            ui.heading(match base {
                Some(h) => format!("编辑 {}", book.address_of(h)),
                None => "新增居民户".to_owned(),
            });
        });
        ui.add_space(6.0);
        let errors = self.draft.errors(view.today);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .max_height(ui.available_height() - 56.0)
            .show(ui, |ui| {
                self.address(ui, view);
                ui.add_space(8.0);
                for tenant in [false, true] {
                    self.group(ui, view, tenant);
                }
            });
        ui.separator();
        let taken = self.draft.address_taken(book);
        if let Some(other) = taken.and_then(|id| book.household(id)) {
            widgets::error(
                ui,
                &format!(
                    "{} 已经登记过一户（户主 {}），请打开那一户修改，不要重复登记。",
                    book.address_of(other),
                    other.head().map_or("未填", |p| p.name.as_str())
                ),
            );
        }
        if self.tried && !errors.is_empty() {
            for e in errors.iter().take(4) {
                widgets::error(ui, e);
            }
            if errors.len() > 4 {
                widgets::error(ui, &format!("……还有 {} 处需要修改", errors.len() - 4));
            }
        }
        ui.horizontal(|ui| {
            let save = ui.add_enabled(!view.read_only, egui::Button::new("保存"));
            if save.clicked() {
                self.tried = true;
                let new_id = book.next_household_id();
                let built =
                    self.draft
                        .build(base, new_id, book.next_person_id(), view.today, view.member);
                if let (Ok(h), None) = (built, taken) {
                    let id = h.id;
                    let label = match base {
                        Some(_) => format!("修改 {}", book.address_of(&h)),
                        None => format!("新增 {}", book.address_of(&h)),
                    };
                    actions.push(Action::Edit(label, Edit::Household(id, Some(Box::new(h)))));
                    outcome = Some(Outcome::Saved(id));
                }
            }
            if ui.button("取消").clicked() {
                outcome = Some(Outcome::Cancelled);
            }
            if view.read_only {
                widgets::error(ui, "只读打开，不能保存修改");
            }
        });
        outcome
    }

    fn address(&mut self, ui: &mut egui::Ui, view: &View<'_>) {
        let book = &view.ledger.households;
        let had_phone = self
            .draft
            .id
            .and_then(|id| book.household(id))
            .and_then(|h| h.phone.as_ref())
            .map(|p| p.masked());
        let d = &mut self.draft;
        let compound = &mut self.compound;
        let revealed = &mut self.revealed;
        egui::Grid::new("household_fields")
            .num_columns(4)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                widgets::compound_picker(ui, "form_compound", "小区", book, compound, None);
                let label = ui.label("楼号");
                let number = d
                    .building
                    .and_then(|b| book.building(b))
                    .map_or("请选择", |b| b.number.as_str());
                egui::ComboBox::from_id_salt("form_building")
                    .selected_text(number)
                    .show_ui(ui, |ui| {
                        for b in book
                            .buildings
                            .iter()
                            .filter(|b| compound.is_none_or(|c| c == b.compound))
                        {
                            ui.selectable_value(&mut d.building, Some(b.id), &b.number);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                widgets::text_field(ui, "室号", &mut d.room, "如 302", 120.0);
                let label = ui.label("房屋类型");
                egui::ComboBox::from_id_salt("form_house_type")
                    .selected_text(if d.house_type.is_empty() {
                        "未填"
                    } else {
                        d.house_type.as_str()
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut d.house_type, String::new(), "未填");
                        for t in view.ledger.committee.tags.tags(TagDimension::HouseType) {
                            ui.selectable_value(&mut d.house_type, t.to_owned(), t);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                secret_field(
                    ui,
                    "联系电话",
                    &mut d.phone,
                    had_phone,
                    revealed,
                    (usize::MAX, 0),
                );
                ui.label("");
                ui.horizontal(|ui| {
                    ui.checkbox(&mut d.has_vehicle, "保有机动车");
                    ui.checkbox(&mut d.separated, "人户分离");
                });
                ui.end_row();
                widgets::text_field(ui, "备注", &mut d.note, "", 320.0);
                ui.end_row();
            });
    }

    fn group(&mut self, ui: &mut egui::Ui, view: &View<'_>, tenant: bool) {
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            ui.heading(if tenant { "租住" } else { "业主" });
            let add = if tenant {
                "添加租住成员"
            } else {
                "添加业主成员"
            };
            if ui.button(add).clicked() {
                self.draft.members.push(PersonDraft {
                    tenant,
                    relation: if tenant { "租户" } else { "" }.into(),
                    ..PersonDraft::default()
                });
            }
        });
        let mut remove = None;
        let household = self.draft.id;
        let book = &view.ledger.households;
        for n in 0..self.draft.members.len() {
            if self.draft.members[n].tenant != tenant {
                continue;
            }
            let original = self.draft.members[n].id.and_then(|pid| {
                household
                    .and_then(|h| book.household(h))
                    .and_then(|h| h.members.iter().find(|p| p.id == pid))
            });
            let m = &mut self.draft.members[n];
            let key = format!("{}|{}|{}", m.name, m.id_number, m.birth);
            let cached = self.dups.get(&n).filter(|(k, _)| *k == key);
            let dups = match cached {
                Some((_, d)) => d.clone(),
                None => {
                    let d = duplicates(view.ledger, household, m, view.today);
                    self.dups.insert(n, (key, d.clone()));
                    d
                }
            };
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                if let Some(out) = &m.moved_out {
                    ui.horizontal(|ui| {
                        ui.strong(&m.name);
                        ui.label(&m.relation);
                        widgets::hint(ui, &format!("已于 {} 迁出（{}）", out.on, out.reason));
                    });
                    return;
                }
                if person(ui, view, n, m, original, &mut self.revealed, &dups) {
                    remove = Some(n);
                }
            });
        }
        if let Some(n) = remove {
            self.draft.members.remove(n);
            self.revealed.clear();
            self.dups.clear();
        }
    }
}

/// What the ID number says (sex, age, birth date) or what is wrong with it; without one, the
/// birth date to fill in instead.
fn id_result(ui: &mut egui::Ui, view: &View<'_>, m: &mut PersonDraft) {
    let check = m.id_check(view.today);
    match &check {
        IdCheck::Empty => {
            widgets::text_field(
                ui,
                "出生日期",
                &mut m.birth,
                "无身份证时填，如 1950-03-07",
                200.0,
            );
        }
        IdCheck::Valid {
            age,
            sex,
            birth,
            sex_mismatch,
            ..
        } => {
            ui.label("");
            ui.horizontal(|ui| {
                ui.label(format!("{}，{age} 岁（{birth} 出生）", sex.label()));
                if *sex_mismatch {
                    widgets::error(ui, &format!("与所选性别不符：证件号为{}性", sex.label()));
                }
            });
        }
        IdCheck::Invalid(e) => {
            ui.label("");
            widgets::error(ui, e);
        }
    }
}

/// Residents already in the ledger who may be this member.
fn duplicate_warnings(ui: &mut egui::Ui, view: &View<'_>, dups: &[Duplicate]) {
    for dup in dups {
        let address = view
            .ledger
            .households
            .household(dup.household)
            .map(|h| view.ledger.households.address_of(h))
            .unwrap_or_default();
        widgets::error(
            ui,
            &format!(
                "可能重复：{address} 已登记“{}”（{}）。请核对是否同一人。",
                dup.name, dup.reason
            ),
        );
    }
}

/// One member's lines. Returns whether the (new, unsaved) row is to be removed.
fn person(
    ui: &mut egui::Ui,
    view: &View<'_>,
    n: usize,
    m: &mut PersonDraft,
    original: Option<&crate::model::Person>,
    revealed: &mut HashSet<(usize, u8)>,
    dups: &[Duplicate],
) -> bool {
    let mut remove = false;
    egui::Grid::new(("member", n))
        .num_columns(4)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            widgets::text_field(ui, "姓名", &mut m.name, "", 160.0);
            let label = ui.label("与户主关系");
            ui.horizontal(|ui| {
                ui.add(egui::TextEdit::singleline(&mut m.relation).desired_width(90.0))
                    .labelled_by(label.id);
                egui::ComboBox::from_id_salt(("relation", n))
                    .selected_text("常用")
                    .width(60.0)
                    .show_ui(ui, |ui| {
                        for r in RELATIONS {
                            if ui.selectable_label(m.relation == r, r).clicked() {
                                m.relation = r.to_owned();
                            }
                        }
                    });
            });
            ui.end_row();
            let label = ui.label("性别");
            ui.horizontal(|ui| {
                ui.radio_value(&mut m.sex, Some(Sex::Male), "男");
                ui.radio_value(&mut m.sex, Some(Sex::Female), "女");
                ui.radio_value(&mut m.sex, None, "未填");
            })
            .response
            .labelled_by(label.id);
            let label = ui.label("业主/租住");
            ui.horizontal(|ui| {
                ui.radio_value(&mut m.tenant, false, "业主");
                ui.radio_value(&mut m.tenant, true, "租住");
            })
            .response
            .labelled_by(label.id);
            ui.end_row();
            secret_field(
                ui,
                "身份证号",
                &mut m.id_number,
                original
                    .and_then(|p| p.id_number.as_ref())
                    .map(|i| i.masked()),
                revealed,
                (n, 1),
            );
            m.fill_sex_from_id();
            id_result(ui, view, m);
            ui.end_row();
            secret_field(
                ui,
                "电话",
                &mut m.phone,
                original.and_then(|p| p.phone.as_ref()).map(|p| p.masked()),
                revealed,
                (n, 2),
            );
            widgets::text_field(ui, "迁入日期", &mut m.moved_in, "如 2024-03-15", 140.0);
            ui.end_row();
            widgets::text_field(ui, "户籍地址", &mut m.hukou_address, "", 360.0);
            ui.end_row();
        });
    for d in PERSON_DIMENSIONS {
        if d.is_sensitive() {
            egui::CollapsingHeader::new(d.label())
                .id_salt(("attention_form", n))
                .show(ui, |ui| tag_chips(ui, view, m, d));
        } else {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(d.label()).strong());
                tag_chips(ui, view, m, d);
            });
        }
    }
    duplicate_warnings(ui, view, dups);
    ui.horizontal(|ui| {
        if m.id.is_none() {
            if ui.button("删除此行").clicked() {
                remove = true;
            }
        } else {
            let mut leaving = m.moving_out.is_some();
            if ui.checkbox(&mut leaving, "迁出").changed() {
                m.moving_out = leaving.then(|| (view.today.to_string(), String::new()));
            }
            if let Some((on, reason)) = &mut m.moving_out {
                widgets::text_field(ui, "迁出日期", on, "", 110.0);
                widgets::text_field(ui, "原因", reason, "迁出本市、去世、租约到期……", 220.0);
            }
        }
    });
    remove
}

/// The tags of one dimension as chips to toggle.
fn tag_chips(ui: &mut egui::Ui, view: &View<'_>, m: &mut PersonDraft, d: TagDimension) {
    ui.horizontal_wrapped(|ui| {
        for t in view.ledger.committee.tags.tags(d) {
            let key = (d, t.to_owned());
            let on = m.tags.contains(&key);
            if ui.selectable_label(on, t).clicked() {
                if on {
                    m.tags.remove(&key);
                } else {
                    m.tags.insert(key);
                }
            }
        }
    });
}

/// An ID number or phone field: an existing value stays masked (with 显示 to edit it); a new one
/// is typed in the open.
fn secret_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    masked: Option<String>,
    revealed: &mut HashSet<(usize, u8)>,
    key: (usize, u8),
) {
    match masked {
        Some(masked) if !revealed.contains(&key) => {
            ui.label(label);
            ui.horizontal(|ui| {
                ui.label(masked);
                if ui.small_button("显示").clicked() {
                    revealed.insert(key);
                }
            });
        }
        _ => {
            widgets::text_field(ui, label, value, "", 200.0);
        }
    }
}
