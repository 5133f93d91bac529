//! 居民户: every household in one table (only the visible rows are laid out, so it stays smooth
//! with 20,000), searched by name, building-room or last digits as one types, filtered by
//! compound, building, assigned worker and tag. Clicking a row opens the household laid out like
//! 附件一, with ID numbers and phones masked until 显示 is clicked, its visit history, and the
//! buttons to edit it, log a visit or move it out. 新增居民户 opens the empty form; 从 Excel 导入
//! opens the import wizard (`import_wizard`).

use super::household_form::{HouseholdEditor, Outcome};
use super::lists::ListsPanel;
use super::{Action, View, widgets};
use crate::model::dates::chinese_date;
use crate::model::draft::{move_out_household, parse_day};
use crate::model::finder::{Finder, HouseholdSort, Query, matched_member, narrows, sort_found};
use crate::model::{
    Edit, Household, HouseholdBook, HouseholdId, Ledger, MemberGroup, NeedOutcome, TagDimension,
};
use chrono::NaiveDate;
use eframe::egui;
use egui_extras::{Column, TableBuilder};
use std::collections::HashSet;

/// State of the 居民户 panel.
#[derive(Default)]
pub struct HouseholdsPanel {
    query: Query,
    /// The query the current `found` answers.
    answered: Option<Query>,
    found: Vec<usize>,
    selected: Option<HouseholdId>,
    /// Which masked values are shown: a household's phone by its id, a member's by person id.
    revealed: HashSet<(u32, u8)>,
    /// The form, when adding or editing.
    editor: Option<HouseholdEditor>,
    /// 整户迁出 being confirmed: date as typed and reason.
    moving_out: Option<(String, String)>,
    /// The column the table is sorted by and whether descending; `None`: the book's order.
    sort: Option<(HouseholdSort, bool)>,
    /// 智能名单 is showing rather than the table.
    showing_lists: bool,
    lists: ListsPanel,
    /// 从 Excel 导入, when open.
    importing: Option<super::import_wizard::ImportWizard>,
    /// What the last import said.
    imported: Option<String>,
}

impl HouseholdsPanel {
    /// Forgets the index (the ledger changed).
    pub fn invalidate(&mut self) {
        self.answered = None;
        self.lists.invalidate();
    }

    /// Opens a list of 智能名单 by name.
    pub fn open_list(&mut self, ledger: &Ledger, name: &str) {
        self.selected = None;
        self.editor = None;
        self.showing_lists = true;
        self.lists.open_named(ledger, name);
    }

    /// Opens a household.
    pub fn open(&mut self, id: HouseholdId) {
        // ← 返回列表 then goes back to the tab it came from (a list, or all households).
        self.selected = Some(id);
        self.editor = None;
        self.moving_out = None;
        self.revealed.clear();
    }

    /// What the panel shows, for the debug trace: how many households the search found and
    /// which household is open, by number (no name or address).
    pub fn trace_state(&self) -> String {
        let open = self.selected.map_or("-".to_owned(), |id| id.0.to_string());
        format!(
            "lists={} search_typed={} found={} open={open}",
            self.showing_lists,
            !self.query.text.is_empty(),
            self.found.len()
        )
    }

    /// Runs the search if the query changed; returns the number of households found.
    fn refresh(&mut self, finder: Option<&Finder>, book: &HouseholdBook) -> usize {
        let Some(finder) = finder else {
            return 0;
        };
        if self.answered.as_ref() != Some(&self.query) {
            // Narrowing keeps the order of the rows it narrows, sorted or not.
            let narrowed =
                matches!(&self.answered, Some(previous) if narrows(previous, &self.query));
            self.found = if narrowed {
                finder.find_within(&self.query, Some(&self.found))
            } else {
                finder.find(&self.query)
            };
            if !narrowed && let Some((by, descending)) = self.sort {
                sort_found(&mut self.found, book, by, descending);
            }
            self.answered = Some(self.query.clone());
        }
        self.found.len()
    }

    /// Shows the panel.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let ledger = view.ledger;
        if let Some(wizard) = &mut self.importing {
            if let Some(super::import_wizard::Outcome::Closed(said)) =
                wizard.show(ui, view, actions)
            {
                self.importing = None;
                self.imported = said;
            }
            return;
        }
        if let Some(editor) = &mut self.editor {
            match editor.show(ui, view, actions) {
                Some(Outcome::Saved(id)) => self.open(id),
                Some(Outcome::Cancelled) => self.editor = None,
                None => {}
            }
            return;
        }
        let book = &ledger.households;
        if let Some(id) = self.selected {
            if let Some(h) = book.household(id) {
                self.detail(ui, view, h, actions);
                return;
            }
            self.selected = None;
        }
        ui.horizontal(|ui| {
            ui.heading("居民户");
            ui.add_space(16.0);
            ui.selectable_value(&mut self.showing_lists, false, "全部居民户");
            ui.selectable_value(&mut self.showing_lists, true, "智能名单");
            ui.add_space(16.0);
            if ui
                .add_enabled(!view.read_only, egui::Button::new("新增居民户"))
                .clicked()
            {
                self.editor = Some(HouseholdEditor::new_household());
            }
            if ui
                .add_enabled(!view.read_only, egui::Button::new("从 Excel 导入"))
                .clicked()
            {
                self.importing = Some(super::import_wizard::ImportWizard::new(
                    crate::model::import::Target::Households,
                ));
                self.imported = None;
            }
        });
        if let Some(said) = &self.imported {
            widgets::hint(ui, said);
        }
        if self.showing_lists {
            return self.lists.show(ui, view, actions);
        }
        self.filters(ui, ledger);
        let count = self.refresh(view.finder, book);
        ui.horizontal(|ui| {
            ui.label(format!("共 {count} 户"));
            widgets::hint(ui, "点击一行查看这户的详细信息。");
        });
        ui.separator();
        self.table(ui, book);
    }

    fn detail(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        h: &Household,
        actions: &mut Vec<Action>,
    ) {
        let book = &view.ledger.households;
        ui.horizontal(|ui| {
            if ui.button("← 返回列表").clicked() {
                self.selected = None;
                self.moving_out = None;
                self.revealed.clear();
            }
            let writable = !view.read_only && h.is_active();
            if ui
                .add_enabled(writable, egui::Button::new("编辑"))
                .clicked()
            {
                self.editor = HouseholdEditor::edit(view, h.id);
            }
            if ui
                .add_enabled(writable, egui::Button::new("登记走访"))
                .clicked()
            {
                actions.push(Action::VisitHousehold(h.id));
            }
            if ui
                .add_enabled(
                    writable && self.moving_out.is_none(),
                    egui::Button::new("整户迁出"),
                )
                .clicked()
            {
                self.moving_out = Some((view.today.to_string(), String::new()));
            }
        });
        if let Some((on, reason)) = &mut self.moving_out {
            let mut done = false;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(
                    "整户迁出后，这户和成员的记录仍保留在台账中（可在列表中勾选“含已迁出”查看）。",
                );
                ui.horizontal(|ui| {
                    widgets::text_field(ui, "迁出日期", on, "", 110.0);
                    widgets::text_field(ui, "原因", reason, "动迁、出售、迁往外区……", 240.0);
                });
                let date = parse_day(on);
                if date.is_none() {
                    widgets::error(ui, "请按 2024-03-15 的格式填写迁出日期");
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(date.is_some(), egui::Button::new("确认迁出"))
                        .clicked()
                        && let Some(date) = date
                    {
                        let gone = move_out_household(h, date, reason.trim(), view.member);
                        actions.push(Action::Edit(
                            format!("迁出 {}", book.address_of(h)),
                            Edit::Household(h.id, Some(Box::new(gone))),
                        ));
                        done = true;
                    }
                    if ui.button("取消").clicked() {
                        done = true;
                    }
                });
            });
            if done {
                self.moving_out = None;
            }
        }
        ui.separator();
        egui::ScrollArea::vertical().show(ui, |ui| {
            household_form(ui, view.ledger, h, view.today, &mut self.revealed, actions);
            visit_history(ui, view, h, actions);
        });
    }

    fn filters(&mut self, ui: &mut egui::Ui, ledger: &Ledger) {
        let book = &ledger.households;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("搜索");
            ui.add(
                egui::TextEdit::singleline(&mut self.query.text)
                    .hint_text("姓名、5-302 或电话、证件号后四位")
                    .desired_width(320.0),
            )
            .labelled_by(label.id);
            let compound = &mut self.query.compound;
            widgets::compound_picker(ui, "compound", "小区", book, compound, Some("全部"));
            let label = ui.label("楼");
            let building_name = self
                .query
                .building
                .and_then(|b| book.building(b))
                .map_or("全部".to_owned(), |b| b.number.clone());
            egui::ComboBox::from_id_salt("building")
                .selected_text(building_name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.query.building, None, "全部");
                    for b in book
                        .buildings
                        .iter()
                        .filter(|b| self.query.compound.is_none_or(|c| b.compound == c))
                    {
                        ui.selectable_value(&mut self.query.building, Some(b.id), &b.number);
                    }
                })
                .response
                .labelled_by(label.id);
            widgets::worker_filter(
                ui,
                "worker",
                "包干社工",
                &ledger.committee,
                &mut self.query.worker,
            );
            let label = ui.label("标签");
            let tag_name = self
                .query
                .tag
                .as_ref()
                .map_or("全部".to_owned(), |(_, t)| t.clone());
            egui::ComboBox::from_id_salt("tag")
                .selected_text(tag_name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.query.tag, None, "全部");
                    for d in TagDimension::ALL {
                        ui.separator();
                        ui.label(egui::RichText::new(d.label()).weak());
                        for t in ledger.committee.tags.tags(d) {
                            ui.selectable_value(&mut self.query.tag, Some((d, t.to_owned())), t);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.checkbox(&mut self.query.moved_out, "含已迁出");
        });
    }

    fn table(&mut self, ui: &mut egui::Ui, book: &HouseholdBook) {
        // Labels must not take the click meant for their row.
        ui.style_mut().interaction.selectable_labels = false;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
        let mut clicked: Option<HouseholdId> = None;
        let sort = self.sort;
        let mut sort_by = None;
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::exact(150.0))
            .column(Column::exact(190.0))
            .column(Column::exact(60.0))
            .column(Column::exact(140.0))
            .column(Column::remainder())
            .header(row_height, |mut header| {
                let columns = [
                    ("地址", Some(HouseholdSort::Address)),
                    ("户主", Some(HouseholdSort::Head)),
                    ("人数", Some(HouseholdSort::Members)),
                    ("电话", None),
                    ("标签", None),
                ];
                sort_by = widgets::sort_headers(&mut header, &columns, sort);
            })
            .body(|body| {
                body.rows(row_height, self.found.len(), |mut row| {
                    let Some(h) = self
                        .found
                        .get(row.index())
                        .and_then(|&i| book.households.get(i))
                    else {
                        return;
                    };
                    row.col(|ui| {
                        ui.label(book.address_of(h));
                    });
                    row.col(|ui| {
                        let head = h.head().map_or("", |p| p.name.as_str());
                        match matched_member(h, &self.query.text) {
                            // Found through another member: say whom.
                            Some(p) => {
                                ui.label(format!("{head}（{} {}）", p.relation, p.name))
                                    .on_hover_text(format!(
                                        "搜索匹配的是这户的{}：{}",
                                        p.relation, p.name
                                    ));
                            }
                            None => {
                                ui.label(head);
                            }
                        }
                    });
                    row.col(|ui| {
                        ui.label(h.present_members().count().to_string());
                    });
                    row.col(|ui| {
                        ui.label(h.phone.as_ref().map(|p| p.masked()).unwrap_or_default());
                    });
                    row.col(|ui| {
                        // Cut to the column; the whole list shows on hover.
                        ui.add(egui::Label::new(tag_summary(h)).truncate());
                    });
                    if row.response().clicked() {
                        clicked = Some(h.id);
                    }
                });
            });
        if clicked.is_some() {
            self.selected = clicked;
            self.revealed.clear();
        }
        if let Some((by, descending)) = sort_by {
            self.sort = sort_by;
            sort_found(&mut self.found, book, by, descending);
        }
    }
}

/// The tags worth seeing in a list: 居民类型 and 家庭类型 of present members (never 重点关注).
fn tag_summary(h: &Household) -> String {
    let mut tags: Vec<&str> = Vec::new();
    for p in h.present_members() {
        for d in [TagDimension::ResidentType, TagDimension::FamilyType] {
            for t in p.current_tags(d) {
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
    }
    tags.join("、")
}

/// The household laid out like 附件一: the household's own lines, then its members in the 业主
/// and 租住 groups.
fn household_form(
    ui: &mut egui::Ui,
    ledger: &Ledger,
    h: &Household,
    today: NaiveDate,
    revealed: &mut HashSet<(u32, u8)>,
    actions: &mut Vec<Action>,
) {
    let book = &ledger.households;
    ui.heading(book.address_of(h));
    egui::Grid::new("household")
        .num_columns(4)
        .spacing([24.0, 8.0])
        .show(ui, |ui| {
            ui.label("联系电话");
            let phone = h.phone.as_ref().map(|p| (p.masked(), p.as_str()));
            masked_field(ui, revealed, (h.id.0, 0), phone, "（未填）", actions);
            ui.label("房屋类型");
            ui.label(&h.house_type);
            ui.end_row();
            ui.label("保有机动车");
            ui.label(if h.has_vehicle { "是" } else { "否" });
            ui.label("人户分离");
            ui.label(if h.separated { "是" } else { "否" });
            ui.end_row();
            if let Some(d) = h.moved_out {
                ui.label("迁出");
                ui.label(chinese_date(d));
                ui.end_row();
            }
        });
    if !h.note.is_empty() {
        ui.label(format!("备注：{}", h.note));
    }
    for group in [MemberGroup::Owner, MemberGroup::Tenant] {
        let members: Vec<_> = h.members.iter().filter(|p| p.group == group).collect();
        if members.is_empty() {
            continue;
        }
        ui.add_space(12.0);
        ui.heading(group.label());
        for p in members {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.strong(&p.name);
                    ui.label(&p.relation);
                    if let Some(sex) = p.effective_sex() {
                        ui.label(sex.label());
                    }
                    if let Some(age) = p.age_on(today) {
                        ui.label(format!("{age} 岁"));
                    }
                    if let Some(out) = &p.moved_out {
                        widgets::hint(ui, &format!("已迁出（{}）", out.on));
                    }
                });
                egui::Grid::new(("person", p.id.0))
                    .num_columns(2)
                    .spacing([16.0, 4.0])
                    .show(ui, |ui| {
                        ui.label("身份证号");
                        let id = p.id_number.as_ref().map(|id| (id.masked(), id.as_str()));
                        masked_field(ui, revealed, (p.id.0, 1), id, "（无）", actions);
                        ui.end_row();
                        ui.label("电话");
                        let phone = p.phone.as_ref().map(|ph| (ph.masked(), ph.as_str()));
                        masked_field(ui, revealed, (p.id.0, 2), phone, "（未填）", actions);
                        ui.end_row();
                        ui.label("户籍地址");
                        ui.label(&p.hukou_address);
                        ui.end_row();
                        ui.label("迁入日期");
                        ui.label(p.moved_in.map_or("（未填）".to_owned(), chinese_date));
                        ui.end_row();
                        for d in TagDimension::ALL {
                            if d.is_sensitive() {
                                continue;
                            }
                            let tags: Vec<&str> = p.current_tags(d).collect();
                            if !tags.is_empty() {
                                ui.label(d.label());
                                ui.label(tags.join("、"));
                                ui.end_row();
                            }
                        }
                    });
                let attention: Vec<&str> = p.current_tags(TagDimension::Attention).collect();
                if !attention.is_empty() {
                    egui::CollapsingHeader::new("重点关注")
                        .id_salt(("attention", p.id.0))
                        .show(ui, |ui| {
                            ui.label(attention.join("、"));
                        });
                }
            });
        }
    }
}

/// A value masked until 显示 (remembered in `revealed` under `key`), or `missing`.
fn masked_field(
    ui: &mut egui::Ui,
    revealed: &mut HashSet<(u32, u8)>,
    key: (u32, u8),
    value: Option<(String, &str)>,
    missing: &str,
    actions: &mut Vec<Action>,
) {
    let Some((masked, full)) = value else {
        ui.label(missing);
        return;
    };
    let mut shown = revealed.contains(&key);
    if widgets::masked(ui, &masked, full, &mut shown) {
        actions.push(Action::CopySecret(full.to_owned()));
    }
    if shown {
        revealed.insert(key);
    } else {
        revealed.remove(&key);
    }
}

/// The household's visits, newest first.
fn visit_history(ui: &mut egui::Ui, view: &View<'_>, h: &Household, actions: &mut Vec<Action>) {
    ui.add_space(12.0);
    ui.heading("走访记录");
    let mut visits: Vec<_> = view
        .ledger
        .all_visits()
        .filter(|v| v.household == h.id)
        .collect();
    visits.sort_by_key(|v| std::cmp::Reverse(v.at));
    if visits.is_empty() {
        widgets::hint(ui, "还没有走访记录。");
        return;
    }
    egui::Grid::new("visit_history")
        .num_columns(4)
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for title in ["时间", "走访人", "类型", "事由与诉求"] {
                ui.strong(title);
            }
            ui.end_row();
            for v in visits {
                ui.label(v.at.format("%Y-%m-%d %H:%M").to_string());
                ui.label(
                    view.ledger
                        .committee
                        .worker(v.worker)
                        .map_or("", |w| w.name.as_str()),
                );
                ui.label(v.kind.label());
                ui.vertical(|ui| {
                    ui.label(&v.reason);
                    for need in &v.needs {
                        ui.horizontal(|ui| {
                            ui.label(format!(
                                "· {}（{}）",
                                need.text,
                                super::visits::outcome_label(&need.outcome)
                            ));
                            if let NeedOutcome::Listed(p) = need.outcome
                                && ui.small_button("打开问题").clicked()
                            {
                                actions.push(Action::OpenProblem(p));
                            }
                        });
                    }
                });
                ui.end_row();
            }
        });
}
