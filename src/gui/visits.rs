//! 走访: logging a visit in under 30 seconds from the keyboard, the list of visits, and (in
//! `coverage`) the 活地图 and the 包干 assignments.
//!
//! The form opens with the cursor in 居民户: type a building-room (5-302, 5号302) or a name,
//! press Enter to take the first match; time and 走访人 are already filled (now, the member);
//! Tab moves on through 事由, 困难或诉求 and 备注; Ctrl+Enter saves. Each need is 当场解决 (with
//! the answer) or 列入问题清单, which creates a problem linked to the visit. The rules are in
//! `model::draft::VisitDraft`. The visits listed export to .xlsx in the fields of 社区云's
//! 接待走访 module (`model::visit_export`), so they need not be typed twice.

use super::coverage::CoveragePanel;
use super::{Action, View, widgets};
use crate::model::coverage::default_visit_kind;
use crate::model::draft::follow_up_edit;
use crate::model::draft::{NeedDraft, TIME_FORMAT, VisitDraft, visit_edit};
use crate::model::finder::Query;
use crate::model::problem_search::follow_ups_due;
use crate::model::visit_search::{KindFilter, VisitAt, VisitFilters, VisitIndex, visit_at};
use crate::model::{
    Collection, Edit, HouseholdId, Ledger, NeedOutcome, Problem, ProblemId, ResolutionPath,
    Verdict, VisitKind, VisitSort, WorkerId, sort_visits,
};
use chrono::Datelike;
use eframe::egui;
use egui_extras::{Column, TableBuilder};

/// How a need ended, in words.
pub fn outcome_label(o: &NeedOutcome) -> String {
    match o {
        NeedOutcome::AnsweredOnSpot(a) if a.is_empty() => "当场解决".to_owned(),
        NeedOutcome::AnsweredOnSpot(a) => format!("当场解决：{a}"),
        NeedOutcome::Listed(p) => format!("已列入问题清单第 {} 号", p.0),
    }
}

/// The visit being entered.
struct VisitForm {
    draft: VisitDraft,
    find: String,
    matches: Vec<HouseholdId>,
    answered: Option<String>,
    tried: bool,
    focus: bool,
    focus_reason: bool,
    /// The 回访 this visit is: the problem, what the resident said, notes.
    follow_up: Option<(ProblemId, Verdict, String)>,
    /// Why the 回访 could not be recorded.
    follow_up_error: Option<String>,
}

/// The views of the 走访 panel.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Records,
    Map,
    Assignments,
}

/// State of the 走访 panel.
#[derive(Default)]
pub struct VisitsPanel {
    tab: Tab,
    coverage: CoveragePanel,
    form: Option<VisitForm>,
    filters: VisitFilters,
    /// Rows for `filters`, newest first unless sorted, valid until the ledger changes.
    rows: Option<(VisitFilters, Vec<VisitAt>)>,
    /// The column the list is sorted by and whether descending; `None`: newest first.
    sort: Option<(VisitSort, bool)>,
    /// What the search needs of the ledger, valid until the ledger changes.
    index: Option<VisitIndex>,
    saved: Option<String>,
    /// The problems whose 回访 is due within a week (positions, due days), until the ledger
    /// changes.
    due: Option<Vec<(usize, chrono::NaiveDate)>>,
    /// 导出（社区云走访格式）.
    export: super::export::ExportSlot,
    /// 从 Excel 导入, while it is open.
    importing: Option<super::import_wizard::ImportWizard>,
}

impl VisitsPanel {
    /// Forgets what was computed from the ledger (it changed).
    pub fn invalidate(&mut self) {
        self.rows = None;
        self.index = None;
        self.due = None;
        self.coverage.invalidate();
        if let Some(f) = &mut self.form {
            f.answered = None;
        }
    }

    /// Shows the visits a worker made in a month (a 首页 row opened).
    pub fn open_worker_month(&mut self, worker: WorkerId, year: i32, month: u32) {
        self.tab = Tab::Records;
        self.form = None;
        self.filters = VisitFilters {
            worker: Some(worker),
            month: Some((year, month)),
            ..VisitFilters::default()
        };
    }

    /// Opens the form for a visit to `household`.
    pub fn start(&mut self, household: HouseholdId, ledger: &Ledger) {
        let resident = ledger
            .households
            .household(household)
            .and_then(|h| h.head())
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let address = ledger
            .households
            .household(household)
            .map(|h| ledger.households.address_of(h))
            .unwrap_or_default();
        let kind = ledger
            .households
            .household(household)
            .map(|h| default_visit_kind(&ledger.committee.visit_intervals, h))
            .unwrap_or_default();
        self.tab = Tab::Records;
        self.form = Some(VisitForm {
            draft: VisitDraft {
                household: Some(household),
                resident,
                kind,
                ..VisitDraft::default()
            },
            find: address,
            matches: vec![],
            answered: None,
            tried: false,
            focus: false,
            focus_reason: true,
            follow_up: None,
            follow_up_error: None,
        });
    }

    /// Opens the form for the 回访 of `problem` at its household.
    pub fn start_follow_up(&mut self, problem: &Problem, ledger: &Ledger) {
        let Some(household) = problem.household else {
            return;
        };
        self.start(household, ledger);
        if let Some(form) = &mut self.form {
            form.draft.reason = format!("回访：{}", problem.title);
            form.follow_up = Some((problem.id, Verdict::Satisfied, String::new()));
        }
    }

    /// 待回访: the problems closed whose 回访 is due within a week (or overdue), each with a
    /// button that opens the visit form for it.
    fn due_follow_ups(&mut self, ui: &mut egui::Ui, view: &View<'_>) {
        let ledger = view.ledger;
        let due = self
            .due
            .get_or_insert_with(|| follow_ups_due(ledger, view.today + chrono::Duration::days(7)));
        if due.is_empty() {
            return;
        }
        let overdue = due.iter().filter(|(_, day)| *day < view.today).count();
        let title = if overdue > 0 {
            format!("待回访 {} 户（其中 {overdue} 户已逾期）", due.len())
        } else {
            format!("待回访 {} 户（一周内）", due.len())
        };
        let mut start = None;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        egui::CollapsingHeader::new(title)
            .id_salt("due_follow_ups")
            .default_open(overdue > 0)
            .show(ui, |ui| {
                // Drawn only where they show: a stress-size ledger has hundreds due.
                egui::ScrollArea::vertical()
                    .id_salt("due_follow_ups_list")
                    .max_height(180.0)
                    .show_rows(ui, row_height, due.len(), |ui, range| {
                        egui::Grid::new("due_follow_up_rows")
                            .num_columns(5)
                            .striped(true)
                            .min_row_height(row_height - 4.0)
                            .spacing([12.0, 4.0])
                            .show(ui, |ui| {
                                for &(i, _) in &due[range] {
                                    if let Some(p) = ledger.problems.problems.get(i) {
                                        follow_up_row(ui, view, p, &mut start);
                                    }
                                }
                            });
                    });
            });
        if let Some(p) = start.and_then(|id| ledger.problems.problem(id)) {
            self.start_follow_up(p, ledger);
        }
    }

    /// Shows the panel.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        if let Some(wizard) = &mut self.importing {
            if let Some(super::import_wizard::Outcome::Closed(said)) =
                wizard.show(ui, view, actions)
            {
                self.importing = None;
                if said.is_some() {
                    self.saved = said;
                }
            }
            return;
        }
        ui.horizontal(|ui| {
            ui.heading("走访");
            ui.add_space(16.0);
            for (tab, label) in [
                (Tab::Records, "走访记录"),
                (Tab::Map, "活地图"),
                (Tab::Assignments, "包干分工"),
            ] {
                ui.selectable_value(&mut self.tab, tab, label);
            }
            ui.add_space(16.0);
            if self.form.is_none()
                && ui
                    .add_enabled(!view.read_only, egui::Button::new("登记走访"))
                    .clicked()
            {
                self.tab = Tab::Records;
                self.form = Some(VisitForm {
                    draft: VisitDraft::default(),
                    find: String::new(),
                    matches: vec![],
                    answered: None,
                    tried: false,
                    focus: true,
                    focus_reason: false,
                    follow_up: None,
                    follow_up_error: None,
                });
            }
            if self.form.is_none()
                && ui
                    .add_enabled(!view.read_only, egui::Button::new("从 Excel 导入"))
                    .clicked()
            {
                self.tab = Tab::Records;
                self.saved = None;
                self.importing = Some(super::import_wizard::ImportWizard::new(
                    crate::model::import::Target::Visits,
                ));
            }
            if let Some(s) = &self.saved {
                widgets::hint(ui, s);
            }
        });
        match self.tab {
            Tab::Records => {}
            Tab::Map => return self.coverage.map(ui, view, actions),
            Tab::Assignments => return self.coverage.assignments(ui, view, actions),
        }
        if self.form.is_none() && !view.unloaded.contains(&Collection::Problems) {
            self.due_follow_ups(ui, view);
        }
        if let Some(form) = &mut self.form {
            // Fill what defaults to now and to the member.
            if form.draft.at.is_empty() {
                form.draft.at = view.now.format(TIME_FORMAT).to_string();
            }
            if form.draft.worker.is_none() {
                form.draft.worker = view.member_worker();
            }
            let mut close = false;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                close = form_ui(ui, view, form, actions, &mut self.saved);
            });
            if close {
                self.form = None;
            }
            ui.add_space(8.0);
        }
        self.list(ui, view, actions);
    }

    fn list(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let ledger = view.ledger;
        let index = self.index.get_or_insert_with(|| VisitIndex::new(ledger));
        filter_bar(ui, ledger, index.months(), &mut self.filters);
        if self.rows.as_ref().is_none_or(|(f, _)| *f != self.filters) {
            let previous = self.rows.as_ref().map(|(f, rows)| (f, rows.as_slice()));
            let (mut rows, narrowed) = index.search(ledger, view.finder, &self.filters, previous);
            // Narrowing keeps the order of the rows it narrows.
            if !narrowed && let Some((by, descending)) = self.sort {
                sort_visits(&mut rows, ledger, by, descending);
            }
            self.rows = Some((self.filters.clone(), rows));
        }
        let Some((_, rows)) = &self.rows else { return };
        ui.horizontal(|ui| {
            ui.label(format!("共 {} 次走访", rows.len()));
            widgets::hint(ui, "点击一行打开这一户。");
            if ui.button("导出（社区云走访格式）").clicked() {
                self.export.open("走访记录", view.today);
            }
        });
        self.export.show(ui, || community_cloud_sheet(view, rows));
        ui.separator();
        // One line per row: long text is cut (the whole of it is on hover or in the record).
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        ui.style_mut().interaction.selectable_labels = false;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
        let book = &ledger.households;
        let mut clicked = None;
        // Newest first until a header is clicked.
        let sort = Some(self.sort.unwrap_or((VisitSort::Time, true)));
        let mut sort_by = None;
        TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .id_salt("visit_list")
            .column(Column::exact(140.0))
            .column(Column::exact(170.0))
            .column(Column::exact(80.0))
            .column(Column::exact(130.0))
            .column(Column::remainder())
            .header(row_height, |mut header| {
                let columns = [
                    ("时间", Some(VisitSort::Time)),
                    ("地址", Some(VisitSort::Address)),
                    ("走访人", Some(VisitSort::Worker)),
                    ("类型", Some(VisitSort::Kind)),
                    ("事由与诉求", None),
                ];
                sort_by = widgets::sort_headers(&mut header, &columns, sort);
            })
            .body(|body| {
                body.rows(row_height, rows.len(), |mut row| {
                    let Some(v) = rows.get(row.index()).and_then(|&at| visit_at(ledger, at)) else {
                        return;
                    };
                    row.col(|ui| {
                        ui.label(v.at.format("%Y-%m-%d %H:%M").to_string());
                    });
                    row.col(|ui| {
                        let address = book
                            .household(v.household)
                            .map(|h| book.address_of(h))
                            .unwrap_or_default();
                        ui.label(address);
                    });
                    row.col(|ui| {
                        ui.label(
                            ledger
                                .committee
                                .worker(v.worker)
                                .map_or("", |w| w.name.as_str()),
                        );
                    });
                    row.col(|ui| {
                        ui.label(v.kind.label());
                    });
                    row.col(|ui| {
                        let mut text = v.reason.clone();
                        if !v.needs.is_empty() {
                            text.push_str(&format!("（诉求 {} 条）", v.needs.len()));
                        }
                        ui.label(text);
                    });
                    if row.response().clicked() {
                        clicked = Some(v.household);
                    }
                });
            });
        if let Some(id) = clicked {
            actions.push(Action::OpenHousehold(id));
        }
        if let Some((by, descending)) = sort_by {
            self.sort = sort_by;
            if let Some((_, rows)) = &mut self.rows {
                sort_visits(rows, ledger, by, descending);
            }
        }
    }
}

/// The list's filters: 查找, 走访人, 类型, 月份 (only months that have visits).
fn filter_bar(ui: &mut egui::Ui, ledger: &Ledger, months: &[(i32, u32)], f: &mut VisitFilters) {
    ui.horizontal_wrapped(|ui| {
        widgets::text_field(ui, "查找", &mut f.text, "地址、居民姓名或事由", 200.0);
        let label = ui.label("走访人");
        let name = f
            .worker
            .and_then(|w| ledger.committee.worker(w))
            .map_or("全部", |w| w.name.as_str());
        egui::ComboBox::from_id_salt("visit_worker")
            .selected_text(name)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.worker, None, "全部");
                for w in &ledger.committee.workers {
                    ui.selectable_value(&mut f.worker, Some(w.id), &w.name);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("类型");
        egui::ComboBox::from_id_salt("visit_kind")
            .selected_text(f.kind.label())
            .show_ui(ui, |ui| {
                for k in KindFilter::ALL {
                    ui.selectable_value(&mut f.kind, k, k.label());
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("月份");
        let month = f
            .month
            .map_or("全部".to_owned(), |(y, m)| format!("{y}年{m}月"));
        egui::ComboBox::from_id_salt("visit_month")
            .selected_text(month)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut f.month, None, "全部");
                for &(y, m) in months {
                    ui.selectable_value(&mut f.month, Some((y, m)), format!("{y}年{m}月"));
                }
            })
            .response
            .labelled_by(label.id);
    });
}

/// The entry form. Returns whether it is to close.
fn form_ui(
    ui: &mut egui::Ui,
    view: &View<'_>,
    form: &mut VisitForm,
    actions: &mut Vec<Action>,
    saved: &mut Option<String>,
) -> bool {
    let ledger = view.ledger;
    let mut close = false;
    let save_key = ui.input_mut(|i| {
        i.consume_shortcut(&egui::KeyboardShortcut::new(
            egui::Modifiers::COMMAND,
            egui::Key::Enter,
        ))
    });
    ui.strong("登记走访");
    egui::Grid::new("visit_form")
        .num_columns(2)
        .spacing([16.0, 8.0])
        .show(ui, |ui| {
            household_field(ui, view, form);
            ui.end_row();

            widgets::text_field(ui, "走访时间", &mut form.draft.at, "", 160.0);
            ui.end_row();
            widgets::worker_picker(
                ui,
                "visit_form_worker",
                "走访人",
                &ledger.committee,
                view.today,
                &mut form.draft.worker,
            );
            ui.end_row();

            kind_field(ui, &mut form.draft.kind);
            ui.end_row();

            widgets::text_field(ui, "走访居民", &mut form.draft.resident, "", 160.0);
            ui.end_row();
            let r = widgets::text_field(
                ui,
                "事由",
                &mut form.draft.reason,
                "如 独居老人月度探访",
                420.0,
            );
            if form.focus_reason && form.draft.household.is_some() {
                r.request_focus();
                form.focus_reason = false;
            }
            ui.end_row();

            if let Some((id, verdict, note)) = &mut form.follow_up {
                ui.label("回访");
                ui.vertical(|ui| {
                    let title = ledger
                        .problems
                        .problem(*id)
                        .map_or("", |p| p.title.as_str());
                    ui.label(format!("问题清单第 {} 号：{title}", id.0));
                    ui.horizontal(|ui| {
                        ui.label("居民评价");
                        for v in Verdict::ALL {
                            ui.radio_value(verdict, v, v.label());
                        }
                    });
                    widgets::text_field(ui, "居民意见", note, "", 360.0);
                    if let Some(e) = &form.follow_up_error {
                        widgets::error(ui, e);
                    }
                });
                ui.end_row();
            }

            ui.label("困难或诉求");
            ui.vertical(|ui| {
                let mut remove = None;
                for (n, need) in form.draft.needs.iter_mut().enumerate() {
                    need_ui(ui, n, need, ledger, &mut remove);
                }
                if let Some(n) = remove {
                    form.draft.needs.remove(n);
                }
                if ui.button("添加一条诉求").clicked() {
                    form.draft.needs.push(NeedDraft::default());
                }
            });
            ui.end_row();

            widgets::text_field(ui, "备注", &mut form.draft.note, "", 420.0);
            ui.end_row();
        });
    let errors = form.draft.errors(view.now);
    if form.tried {
        for e in &errors {
            widgets::error(ui, e);
        }
    }
    ui.horizontal(|ui| {
        let save = ui.add_enabled(!view.read_only, egui::Button::new("保存走访"));
        if save.clicked() || save_key {
            close = save_visit(view, form, actions, saved);
        }
        if ui.button("取消").clicked() {
            close = true;
        }
        widgets::hint(ui, "Ctrl+回车 保存");
    });
    close
}

/// 保存走访: the visit, the problems its needs became and the 回访 it was, as one edit.
/// Returns whether the form is to close.
fn save_visit(
    view: &View<'_>,
    form: &mut VisitForm,
    actions: &mut Vec<Action>,
    saved: &mut Option<String>,
) -> bool {
    let ledger = view.ledger;
    let book = &ledger.households;
    form.tried = true;
    form.follow_up_error = None;
    let year = form.draft.time().map(|t| t.year());
    if year.is_some_and(|y| view.unloaded.contains(&Collection::Visits(y))) {
        *saved = Some("这一年的走访记录还在读取，请稍候几秒再保存。".into());
        return false;
    }
    let Ok((visit, problems)) = form.draft.build(ledger, view.now) else {
        return false;
    };
    let address = book
        .household(visit.household)
        .map(|h| book.address_of(h))
        .unwrap_or_default();
    let listed = problems.len();
    let follow_up = form.follow_up.as_ref().map(|(id, verdict, note)| {
        ledger
            .problems
            .problem(*id)
            .ok_or_else(|| format!("第 {} 号问题已不存在", id.0))
            .and_then(|p| {
                let (on, by) = (visit.at.date(), Some(visit.worker));
                follow_up_edit(p, on, by, Some(visit.id), *verdict, note)
            })
    });
    let mut edit = visit_edit(visit, problems);
    match follow_up {
        Some(Err(e)) => {
            form.follow_up_error = Some(e);
            return false;
        }
        Some(Ok(done)) => edit = Edit::Batch(vec![edit, done]),
        None => {}
    }
    *saved = Some(match (listed, form.follow_up.is_some()) {
        (_, true) => format!("已保存走访 {address}，回访结果已记入问题清单"),
        (0, false) => format!("已保存走访 {address}"),
        (n, false) => format!("已保存走访 {address}，{n} 条诉求已列入问题清单"),
    });
    actions.push(Action::Edit(format!("走访 {address}"), edit));
    true
}

/// 居民户: type a building-room or a name, Enter (or a click) takes a match; the household's
/// default visit kind and head are filled in.
fn household_field(ui: &mut egui::Ui, view: &View<'_>, form: &mut VisitForm) {
    let ledger = view.ledger;
    let book = &ledger.households;
    let label = ui.label("居民户");
    ui.vertical(|ui| {
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut form.find)
                    .hint_text("楼号-室号（如 5-302）或姓名，回车选第一个")
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
        if form.focus {
            r.request_focus();
            form.focus = false;
        }
        if r.changed() {
            form.draft.household = None;
        }
        let chosen = form.draft.household;
        if chosen.is_none() && !form.find.trim().is_empty() {
            if form.answered.as_deref() != Some(form.find.as_str()) {
                let q = Query {
                    text: form.find.clone(),
                    ..Query::default()
                };
                form.matches = view
                    .finder
                    .map(|finder| finder.find(&q))
                    .unwrap_or_default()
                    .into_iter()
                    .take(8)
                    .filter_map(|i| book.households.get(i).map(|h| h.id))
                    .collect();
                form.answered = Some(form.find.clone());
            }
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let mut pick = enter.then(|| form.matches.first().copied()).flatten();
            if form.matches.is_empty() {
                widgets::hint(ui, "没有找到，请换个写法（如 5-302、5号302 或姓名）");
            }
            for &id in &form.matches {
                let Some(h) = book.household(id) else {
                    continue;
                };
                let head = h.head().map_or("", |p| p.name.as_str());
                let text = format!("{}　{head}", book.address_of(h));
                if ui.selectable_label(false, text).clicked() {
                    pick = Some(id);
                }
            }
            if let Some(id) = pick
                && let Some(h) = book.household(id)
            {
                form.draft.household = Some(id);
                form.draft.kind = default_visit_kind(&ledger.committee.visit_intervals, h);
                form.find = book.address_of(h);
                form.draft.resident = h.head().map(|p| p.name.clone()).unwrap_or_default();
                form.focus_reason = true;
            }
        }
        if let Some(h) = chosen.and_then(|id| book.household(id)) {
            let members: Vec<&str> = h.present_members().map(|p| p.name.as_str()).collect();
            widgets::hint(ui, &format!("家庭成员：{}", members.join("、")));
        }
    });
}

/// 类型: 一般走访, 特殊对象走访, or a line of work with its name.
fn kind_field(ui: &mut egui::Ui, kind: &mut VisitKind) {
    let label = ui.label("类型");
    ui.horizontal(|ui| {
        let k = kind;
        ui.radio_value(k, VisitKind::General, "一般走访");
        ui.radio_value(k, VisitKind::Special, "特殊对象走访");
        let is_line = matches!(k, VisitKind::LineOfWork(_));
        if ui.radio(is_line, "业务条线").clicked() && !is_line {
            *k = VisitKind::LineOfWork(String::new());
        }
        if let VisitKind::LineOfWork(line) = k {
            ui.add(
                egui::TextEdit::singleline(line)
                    .hint_text("条线，如 民政")
                    .desired_width(100.0),
            );
        }
    })
    .response
    .labelled_by(label.id);
}

fn need_ui(
    ui: &mut egui::Ui,
    n: usize,
    need: &mut NeedDraft,
    ledger: &Ledger,
    remove: &mut Option<usize>,
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            let label = format!("诉求 {}", n + 1);
            widgets::text_field(ui, &label, &mut need.text, "居民反映的困难或诉求", 320.0);
            if ui.small_button("删除").clicked() {
                *remove = Some(n);
            }
        });
        ui.horizontal(|ui| {
            ui.radio_value(&mut need.listed, false, "当场解决");
            ui.radio_value(&mut need.listed, true, "列入问题清单");
        });
        ui.horizontal(|ui| {
            if need.listed {
                widgets::category_picker(
                    ui,
                    ("need_category", n),
                    Some("分类"),
                    &ledger.committee,
                    &mut need.category,
                );
                let label = ui.label("化解路径");
                egui::ComboBox::from_id_salt(("need_path", n))
                    .selected_text(need.path.label())
                    .show_ui(ui, |ui| {
                        for p in ResolutionPath::ALL {
                            ui.selectable_value(&mut need.path, p, p.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
            } else {
                widgets::text_field(ui, "答复", &mut need.answer, "当场给居民的答复", 320.0);
            }
        });
    });
}

/// One row of 待回访: when, where, what, who, and 登记回访.
fn follow_up_row(ui: &mut egui::Ui, view: &View<'_>, p: &Problem, start: &mut Option<ProblemId>) {
    let ledger = view.ledger;
    let Some(f) = p.follow_up_pending() else {
        return;
    };
    let when = f.due.format("%Y-%m-%d").to_string();
    if f.due < view.today {
        widgets::error(ui, &format!("{when}（逾期）"));
    } else {
        ui.label(when);
    }
    let address = p
        .household
        .and_then(|h| ledger.households.household(h))
        .map(|h| ledger.households.address_of(h))
        .unwrap_or_default();
    ui.label(address);
    ui.label(format!("第{}号 {}", p.id.0, p.title));
    let who = f
        .worker
        .and_then(|w| ledger.committee.worker(w))
        .map_or("", |w| w.name.as_str());
    ui.label(who);
    if ui
        .add_enabled(!view.read_only, egui::Button::new("登记回访"))
        .clicked()
    {
        *start = Some(p.id);
    }
    ui.end_row();
}

/// The visits listed, in the layout of 社区云's 接待走访 module (`model::visit_export`), oldest
/// first as they are entered there.
fn community_cloud_sheet(view: &View<'_>, rows: &[VisitAt]) -> super::print::Sheet {
    use crate::model::visit_export::{HEADERS, row};
    let ledger = view.ledger;
    let mut visits: Vec<_> = rows.iter().filter_map(|&at| visit_at(ledger, at)).collect();
    visits.sort_by_key(|v| v.at);
    super::print::Sheet {
        committee: view.committee_name(),
        title: "居民区走访记录".to_owned(),
        conditions: "社区云“接待走访”格式".to_owned(),
        date: super::home::date_text(view.today),
        printed_by: view.member.to_owned(),
        headers: HEADERS.map(str::to_owned).to_vec(),
        rows: visits.iter().map(|v| row(ledger, v).to_vec()).collect(),
    }
}
