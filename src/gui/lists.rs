//! 智能名单 (a tab of 居民户): the standard lists (本月满 80/90/100 岁, 独居老人 past their visit
//! interval, new arrivals not yet visited) and the committee's saved ones, each with its count;
//! the open list's conditions (tags that must all hold, of which one is enough, or that leave a
//! person out; ages; days without a visit; days since moving in; a compound), redrawn as they
//! change; the rows, a click opening the household; 打印 (A4 through the system browser, never a
//! file) and 导出 Excel (written on a thread). Phones are masked and ID numbers left out unless
//! the member ticks the box for full numbers. The rules live in `model::lists`.

use super::print::Sheet;
use super::{Action, View, export, print, widgets};
use crate::model::draft::{ListDraft, check_name};
use crate::model::lists::{
    self, ListIndex, ListQuery, ListRow, ListSort, ListUnit, SavedList, TagRef,
};
use crate::model::{Edit, HouseholdId, Ledger, TagDimension};
use chrono::NaiveDate;
use eframe::egui;
use egui_extras::{Column, TableBuilder};

/// Which list is open.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Open {
    /// A standard list, by name.
    Preset(String),
    /// A saved list, by name.
    Saved(String),
    /// A list being made.
    New,
}

/// State of the 智能名单 tab.
pub struct ListsPanel {
    open: Open,
    draft: ListDraft,
    /// Show 重点关注 tags among the tags to pick.
    sensitive: bool,
    /// Print and export with full phone and ID numbers.
    full: bool,
    /// Computed once per ledger change: the people lists are drawn from, every list with its
    /// count.
    index: Option<ListIndex>,
    counts: Option<Vec<lists::ListCount>>,
    /// The draft's query as last drawn, and its rows.
    drawn: Option<(ListQuery, Vec<ListRow>)>,
    export: Option<export::ExportForm>,
    /// The last thing done, or why it failed.
    message: Option<Result<String, String>>,
    /// The last list handed to the browser to print.
    printed: Option<Result<print::Opened, print::PrintError>>,
    /// 删除 being confirmed.
    deleting: bool,
    /// Whether the tab was shown before (the first time, the first standard list opens).
    started: bool,
    /// The column the rows are sorted by, and whether descending; `None`: address order.
    sort: Option<(ListSort, bool)>,
}

impl Default for ListsPanel {
    fn default() -> Self {
        ListsPanel {
            open: Open::New,
            draft: ListDraft::default(),
            sensitive: false,
            full: false,
            index: None,
            counts: None,
            drawn: None,
            export: None,
            message: None,
            printed: None,
            deleting: false,
            started: false,
            sort: None,
        }
    }
}

impl ListsPanel {
    /// Forgets what was computed (the ledger changed).
    pub fn invalidate(&mut self) {
        self.index = None;
        self.counts = None;
        self.drawn = None;
    }

    /// Opens a list by name (from 首页); the first standard list if none is open yet.
    pub fn open_named(&mut self, ledger: &Ledger, name: &str) {
        self.started = true;
        let preset = lists::presets(&ledger.committee)
            .into_iter()
            .find(|l| l.name == name);
        if let Some(p) = preset {
            self.draft = ListDraft::of(&p);
            // A standard list is saved only as a copy under a new name.
            self.draft.name.clear();
            self.open = Open::Preset(p.name);
        } else if let Some(s) = ledger.committee.lists.iter().find(|l| l.name == name) {
            self.draft = ListDraft::of(s);
            self.open = Open::Saved(s.name.clone());
        }
        self.export = None;
        self.message = None;
        self.printed = None;
        self.deleting = false;
    }

    fn refresh(&mut self, ledger: &Ledger, today: NaiveDate) {
        if self.index.as_ref().is_some_and(|i| i.today() != today) {
            self.invalidate();
        }
        let index = self
            .index
            .get_or_insert_with(|| ListIndex::new(ledger, today));
        if self.counts.is_none() {
            self.counts = Some(lists::counts(index, &ledger.committee));
        }
        if let Ok(query) = self.draft.build()
            && self.drawn.as_ref().is_none_or(|(q, _)| *q != query)
        {
            let mut rows = lists::run(index, &query);
            if let Some((by, descending)) = self.sort {
                lists::sort_rows(&mut rows, ledger, by, descending);
            }
            self.drawn = Some((query, rows));
        }
    }

    /// Shows the tab.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let ledger = view.ledger;
        if !self.started {
            self.started = true;
            if let Some(first) = lists::presets(&ledger.committee).first() {
                self.open_named(ledger, &first.name);
            }
        }
        self.refresh(ledger, view.today);
        ui.horizontal_top(|ui| {
            let height = ui.available_height();
            ui.allocate_ui_with_layout(
                egui::vec2(220.0, height),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_width(220.0);
                    self.sidebar(ui, ledger);
                },
            );
            ui.separator();
            ui.vertical(|ui| {
                self.conditions(ui, view, actions);
                ui.separator();
                self.results(ui, view, actions);
            });
        });
    }

    fn sidebar(&mut self, ui: &mut egui::Ui, ledger: &Ledger) {
        let Some(counts) = &self.counts else {
            return;
        };
        let mut chosen: Option<String> = None;
        egui::ScrollArea::vertical()
            .id_salt("lists")
            .show(ui, |ui| {
                for (heading, preset) in [("标准名单", true), ("本会名单", false)] {
                    ui.add_space(4.0);
                    ui.strong(heading);
                    let mine: Vec<_> = counts.iter().filter(|c| c.preset == preset).collect();
                    if mine.is_empty() {
                        widgets::hint(ui, "还没有保存的名单。");
                    }
                    for lists::ListCount { list, count: n, .. } in mine {
                        let open = match &self.open {
                            Open::Preset(name) | Open::Saved(name) => *name == list.name,
                            Open::New => false,
                        };
                        let button =
                            egui::Button::selectable(open, format!("{}（{n}）", list.name))
                                .min_size(egui::vec2(ui.available_width(), 28.0));
                        if ui.add(button).clicked() {
                            chosen = Some(list.name.clone());
                        }
                    }
                }
                ui.add_space(8.0);
                if ui.button("新建名单").clicked() {
                    self.open = Open::New;
                    self.draft = ListDraft::default();
                    self.export = None;
                    self.message = None;
                    self.printed = None;
                }
            });
        if let Some(name) = chosen {
            self.open_named(ledger, &name);
        }
    }

    fn conditions(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let ledger = view.ledger;
        ui.horizontal(|ui| {
            ui.heading(match &self.open {
                Open::Preset(name) | Open::Saved(name) => name.as_str(),
                Open::New => "新建名单",
            });
            if let Open::Preset(_) = self.open {
                widgets::hint(ui, "标准名单每天自动更新；改动条件后可另存为本会名单。");
            }
        });
        egui::Grid::new("list_conditions")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label("统计");
                ui.horizontal(|ui| {
                    for unit in [ListUnit::Person, ListUnit::Household] {
                        ui.radio_value(&mut self.draft.unit, unit, unit.label());
                    }
                    ui.add_space(16.0);
                    widgets::compound_picker(
                        ui,
                        "list_compound",
                        "小区",
                        &ledger.households,
                        &mut self.draft.compound,
                        Some("全部小区"),
                    );
                    ui.add_space(16.0);
                    widgets::worker_filter(
                        ui,
                        "list_worker",
                        "包干社工",
                        &ledger.committee,
                        &mut self.draft.worker,
                    );
                });
                ui.end_row();
                let catalog = &ledger.committee.tags;
                let sensitive = self.sensitive;
                for (label, salt, which) in [
                    ("都要有的标签", "all_tags", 0),
                    ("有其一即可", "any_tags", 1),
                    ("排除的标签", "no_tags", 2),
                ] {
                    let l = ui.label(label);
                    let list = match which {
                        0 => &mut self.draft.all_tags,
                        1 => &mut self.draft.any_tags,
                        _ => &mut self.draft.no_tags,
                    };
                    tag_group(ui, salt, l.id, list, catalog, sensitive);
                    ui.end_row();
                }
                ui.label("");
                ui.checkbox(&mut self.sensitive, "可选重点关注标签");
                ui.end_row();
                ui.label("年龄");
                ui.horizontal(|ui| {
                    widgets::text_field(
                        ui,
                        "本月满",
                        &mut self.draft.turning,
                        "如 80 90 100",
                        110.0,
                    );
                    ui.label("岁");
                    ui.add_space(16.0);
                    widgets::text_field(ui, "年龄从", &mut self.draft.min_age, "", 44.0);
                    widgets::text_field(ui, "到", &mut self.draft.max_age, "", 44.0);
                    ui.label("岁");
                });
                ui.end_row();
                ui.label("走访");
                ui.horizontal(|ui| {
                    widgets::text_field(ui, "超过", &mut self.draft.not_visited_days, "", 52.0);
                    ui.label("天未走访");
                    ui.add_space(16.0);
                    widgets::text_field(ui, "近", &mut self.draft.arrived_within_days, "", 52.0);
                    ui.label("天内迁入且未走访");
                });
                ui.end_row();
            });
        if let Err(errors) = self.draft.build() {
            for e in errors {
                widgets::error(ui, &e);
            }
        }
        ui.horizontal(|ui| self.save_bar(ui, view, actions));
    }

    fn save_bar(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let ledger = view.ledger;
        let replacing = match &self.open {
            Open::Saved(name) => Some(name.clone()),
            _ => None,
        };
        widgets::text_field(
            ui,
            "名单名称",
            &mut self.draft.name,
            "如 楼组长里的党员",
            180.0,
        );
        let label = if replacing.is_some() {
            "保存修改"
        } else {
            "保存为本会名单"
        };
        if ui
            .add_enabled(!view.read_only, egui::Button::new(label))
            .clicked()
        {
            let checked = check_name(&ledger.committee, &self.draft.name, replacing.as_deref())
                .and_then(|()| self.draft.build().map_err(|e| e.join(" ")));
            match checked {
                Ok(query) => {
                    let name = self.draft.name.trim().to_owned();
                    let mut all = ledger.committee.lists.clone();
                    let saved = SavedList {
                        name: name.clone(),
                        query,
                        saved_on: view.today,
                        saved_by: view.member.to_owned(),
                    };
                    match all
                        .iter_mut()
                        .find(|l| Some(l.name.as_str()) == replacing.as_deref())
                    {
                        Some(old) => *old = saved,
                        None => all.push(saved),
                    }
                    actions.push(Action::Edit(format!("保存名单“{name}”"), Edit::Lists(all)));
                    self.draft.name = name.clone();
                    self.open = Open::Saved(name.clone());
                    self.message = Some(Ok(format!("已保存名单“{name}”。")));
                }
                Err(e) => self.message = Some(Err(e)),
            }
        }
        if let Some(name) = replacing {
            if !self.deleting {
                if ui
                    .add_enabled(!view.read_only, egui::Button::new("删除名单"))
                    .clicked()
                {
                    self.deleting = true;
                }
            } else {
                ui.label(format!("确定删除“{name}”？"));
                if ui.button("确定删除").clicked() {
                    let mut all = ledger.committee.lists.clone();
                    all.retain(|l| l.name != name);
                    actions.push(Action::Edit(format!("删除名单“{name}”"), Edit::Lists(all)));
                    self.open = Open::New;
                    self.draft = ListDraft::default();
                    self.deleting = false;
                    self.message = Some(Ok(format!("已删除名单“{name}”，可撤销。")));
                }
                if ui.button("取消").clicked() {
                    self.deleting = false;
                }
            }
        }
    }

    fn results(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let Some((query, mut rows)) = self.drawn.take() else {
            return;
        };
        if let Some((by, descending)) = self.results_of(ui, view, actions, &query, &rows) {
            self.sort = Some((by, descending));
            lists::sort_rows(&mut rows, view.ledger, by, descending);
        }
        self.drawn = Some((query, rows));
    }

    /// The export form, when open.
    fn export_form(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        title: &str,
        query: &ListQuery,
        rows: &[ListRow],
    ) {
        let full = self.full;
        let Some(form) = &mut self.export else {
            return;
        };
        match form.show(ui, || sheet(view, title.to_owned(), query, rows, full)) {
            Some(Ok(m)) => {
                self.export = None;
                self.full = false;
                self.message = (!m.is_empty()).then_some(Ok(m));
            }
            Some(Err(e)) => self.message = Some(Err(e)),
            None => {}
        }
    }

    fn results_of(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        actions: &mut Vec<Action>,
        query: &ListQuery,
        rows: &[ListRow],
    ) -> Option<(ListSort, bool)> {
        let ledger = view.ledger;
        let title = self.title(ledger);
        let unit = if query.unit == ListUnit::Household {
            "户"
        } else {
            "人"
        };
        ui.horizontal(|ui| {
            ui.strong(format!("共 {} {unit}", rows.len()));
            widgets::hint(ui, &query.describe(ledger));
        });
        ui.horizontal(|ui| {
            if ui.button("打印").clicked() {
                let sheet = sheet(view, title.clone(), query, rows, self.full);
                self.message = None;
                self.printed = Some(print::print(&sheet));
                // Full numbers are for one printout, not a setting that stays on.
                self.full = false;
            }
            if ui.button("导出 Excel").clicked() {
                self.export = Some(export::ExportForm::new(&title, view.today));
            }
            ui.checkbox(&mut self.full, "打印和导出时包含完整身份证号和电话");
        });
        if self.full {
            widgets::error(
                ui,
                "完整证件号和电话属于个人信息：只在确有需要时打印或导出，用后及时销毁、删除。",
            );
        }
        self.export_form(ui, view, &title, query, rows);
        match &self.message {
            Some(Ok(m)) => widgets::hint(ui, m),
            Some(Err(e)) => widgets::error(ui, e),
            None => {}
        }
        if let Some(opened) = &mut self.printed {
            print::show_opened(ui, opened);
        }
        ui.add_space(4.0);
        let (opened, sort) = table(ui, ledger, rows, query.unit, self.sort);
        if let Some(id) = opened {
            actions.push(Action::OpenHousehold(id));
        }
        sort
    }

    /// The name printed on top and given to the exported file: the list's, what the new list
    /// is called so far, or else its conditions (独居老人；超过 30 天未走访).
    fn title(&self, ledger: &Ledger) -> String {
        match &self.open {
            Open::Preset(name) | Open::Saved(name) => name.clone(),
            Open::New if !self.draft.name.trim().is_empty() => self.draft.name.trim().to_owned(),
            Open::New => self
                .draft
                .build()
                .map_or_else(|_| "名单".to_owned(), |q| q.describe(ledger)),
        }
    }
}

/// The chips of one tag group and a picker that adds to it, labelled by `label`.
fn tag_group(
    ui: &mut egui::Ui,
    salt: &str,
    label: egui::Id,
    list: &mut Vec<TagRef>,
    catalog: &crate::model::TagCatalog,
    sensitive: bool,
) {
    ui.horizontal_wrapped(|ui| {
        let mut remove = None;
        for (i, t) in list.iter().enumerate() {
            if ui
                .button(format!("{} ×", t.name))
                .on_hover_text("点击移除")
                .clicked()
            {
                remove = Some(i);
            }
        }
        if let Some(i) = remove {
            list.remove(i);
        }
        let mut picked = None;
        egui::ComboBox::from_id_salt(salt)
            .selected_text("添加标签")
            .height(420.0)
            .show_ui(ui, |ui| {
                for d in TagDimension::ALL {
                    if d.is_sensitive() && !sensitive {
                        continue;
                    }
                    ui.add_space(4.0);
                    ui.strong(d.label());
                    for tag in catalog.tags(d) {
                        let t = TagRef::new(d, tag);
                        if list.contains(&t) {
                            continue;
                        }
                        if ui.selectable_label(false, tag).clicked() {
                            picked = Some(t);
                            ui.close();
                        }
                    }
                }
            })
            .response
            .labelled_by(label);
        if let Some(t) = picked {
            list.push(t);
        }
    });
}

/// The rows, only the visible ones laid out; returns the household clicked and the column
/// whose header was clicked (姓名, 年龄, 地址 and 最近走访 sort).
fn table(
    ui: &mut egui::Ui,
    ledger: &Ledger,
    rows: &[ListRow],
    unit: ListUnit,
    sort: Option<(ListSort, bool)>,
) -> (Option<HouseholdId>, Option<(ListSort, bool)>) {
    ui.style_mut().interaction.selectable_labels = false;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
    let mut clicked = None;
    let mut sort_by = None;
    let columns = [
        ("姓名", Some(ListSort::Name)),
        ("性别", None),
        ("年龄", Some(ListSort::Age)),
        ("地址", Some(ListSort::Address)),
        ("最近走访", Some(ListSort::LastVisit)),
        ("说明", None),
        ("标签", None),
    ];
    TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::exact(90.0))
        .column(Column::exact(40.0))
        .column(Column::exact(60.0))
        .column(Column::exact(190.0))
        .column(Column::exact(110.0))
        .column(Column::exact(160.0))
        .column(Column::remainder())
        .header(row_height, |mut header| {
            sort_by = widgets::sort_headers(&mut header, &columns, sort);
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let Some(r) = rows.get(row.index()) else {
                    return;
                };
                let cells = cells(ledger, r, unit);
                for text in [
                    &cells[0], &cells[1], &cells[2], &cells[3], &cells[5], &cells[6], &cells[4],
                ] {
                    // Cut to the column; the whole text shows on hover.
                    row.col(|ui| {
                        ui.add(egui::Label::new(text.as_str()).truncate());
                    });
                }
                if row.response().clicked() {
                    clicked = Some(r.household);
                }
            });
        });
    (clicked, sort_by)
}

/// A row as text: name, sex, age, address, tags, last visit, note.
fn cells(ledger: &Ledger, r: &ListRow, unit: ListUnit) -> [String; 7] {
    let person = r.person_in(ledger).map(|(_, p)| p);
    let name = person.map(|p| p.name.clone()).unwrap_or_default();
    let name = if unit == ListUnit::Household && r.matching > 1 {
        format!("{name} 等 {} 人", r.matching)
    } else {
        name
    };
    [
        name,
        person
            .and_then(|p| p.effective_sex())
            .map(|s| s.label().to_owned())
            .unwrap_or_default(),
        r.age.map(|a| a.to_string()).unwrap_or_default(),
        r.address(ledger),
        r.tags(ledger).join("、"),
        r.last_visit
            .map_or("从未走访".to_owned(), |d| d.to_string()),
        r.note.clone(),
    ]
}

/// The list as a sheet to print or export. Phones are masked and ID numbers left out unless
/// `full`.
fn sheet(view: &View<'_>, title: String, query: &ListQuery, rows: &[ListRow], full: bool) -> Sheet {
    let ledger = view.ledger;
    let mut headers: Vec<String> = ["姓名", "性别", "年龄", "地址", "电话"]
        .map(str::to_owned)
        .to_vec();
    if full {
        headers.push("身份证号".to_owned());
    }
    headers.extend(["最近走访", "说明", "标签"].map(str::to_owned));
    let rows = rows
        .iter()
        .map(|r| {
            let found = r.person_in(ledger);
            let (h, p) = (found.map(|(h, _)| h), found.map(|(_, p)| p));
            let phone = p
                .and_then(|p| p.phone.as_ref())
                .or_else(|| h.and_then(|h| h.phone.as_ref()))
                .map(|ph| {
                    if full {
                        ph.as_str().to_owned()
                    } else {
                        ph.masked()
                    }
                })
                .unwrap_or_default();
            let [name, sex, age, address, tags, last, note] = cells(ledger, r, query.unit);
            let mut out = vec![name, sex, age, address, phone];
            if full {
                let id = p.and_then(|p| p.id_number.as_ref());
                out.push(id.map(|i| i.as_str().to_owned()).unwrap_or_default());
            }
            out.extend([last, note, tags]);
            out
        })
        .collect();
    Sheet {
        committee: ledger
            .committee
            .committee
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        title,
        conditions: query.describe(ledger),
        date: super::home::date_text(view.today),
        printed_by: view.member.to_owned(),
        headers,
        rows,
    }
}
