//! 问题清单: every problem in one list (drawn row by row, so 20,000 scroll as smoothly as 20)
//! with filters that combine (状态, 分类, 来源, 化解路径, 责任人, 突出问题, 超期, 提出日期, free
//! text) and sorting by age or by latest step; a problem's page (`problem_page`); 新增问题 for
//! what came from 12345, a patrol or elsewhere; ticked problems made into one 实事项目; and the
//! solve-rate report (`problem_report`). The list as filtered exports to .xlsx (no resident
//! named: where it came from, what it is, its path and state). The rules live in `model::problem`,
//! `model::problem_search` and `model::draft::problem`.

use super::problem_page::ProblemPage;
use super::problem_report::ReportTab;
use super::{Action, View, widgets};
use crate::model::draft::{NewProjectDraft, ProblemDraft, parse_day};
use crate::model::problem_search::{
    ProblemFilters, ProblemIndex, ProblemSort, SourceKind, StatusFilter,
};
use crate::model::{FundKind, Ledger, ProblemId, ResolutionPath};
use eframe::egui;
use egui_extras::{Column, TableBuilder};
use std::collections::BTreeSet;

/// The views of the panel.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    List,
    Report,
}

/// What the list's filter bar holds as typed (dates as text until they parse).
#[derive(Default)]
struct FilterForm {
    filters: ProblemFilters,
    from: String,
    to: String,
    stale: bool,
    stale_days: u32,
}

/// State of the 问题清单 panel.
pub struct ProblemsPanel {
    tab: Tab,
    form: FilterForm,
    sort: (ProblemSort, bool),
    index: Option<ProblemIndex>,
    /// The rows for the filters and sort they were drawn for.
    rows: Option<(ProblemFilters, (ProblemSort, bool), Vec<usize>)>,
    /// Ticked for 创建实事项目.
    ticked: BTreeSet<ProblemId>,
    open: Option<ProblemPage>,
    new_problem: Option<(ProblemDraft, bool)>,
    new_project: Option<(NewProjectDraft, Vec<String>)>,
    report: ReportTab,
    /// The last thing done.
    message: Option<String>,
    /// The list exported to .xlsx.
    export: super::export::ExportSlot,
}

impl Default for ProblemsPanel {
    fn default() -> ProblemsPanel {
        ProblemsPanel {
            tab: Tab::List,
            form: FilterForm {
                stale_days: 30,
                ..FilterForm::default()
            },
            sort: (ProblemSort::Raised, true),
            index: None,
            rows: None,
            ticked: BTreeSet::new(),
            open: None,
            new_problem: None,
            new_project: None,
            report: ReportTab::default(),
            message: None,
            export: super::export::ExportSlot::default(),
        }
    }
}

impl ProblemsPanel {
    /// Forgets what was computed from the ledger (it changed).
    pub fn invalidate(&mut self) {
        self.index = None;
        self.rows = None;
        self.report.invalidate();
    }

    /// Opens a problem's page.
    pub fn open(&mut self, id: ProblemId) {
        self.tab = Tab::List;
        self.open = Some(ProblemPage::new(id));
    }

    /// Which problem is open, for the debug trace.
    pub fn trace_state(&self) -> String {
        match &self.open {
            Some(p) => format!("problem={}", p.id().0),
            None => format!(
                "problems={}",
                self.rows.as_ref().map_or(0, |(_, _, r)| r.len())
            ),
        }
    }

    /// Shows the panel.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        if let Some(page) = &mut self.open {
            if !page.show(ui, view, actions) {
                self.open = None;
            }
            return;
        }
        ui.horizontal(|ui| {
            ui.heading("问题清单");
            ui.add_space(16.0);
            ui.selectable_value(&mut self.tab, Tab::List, "问题列表");
            ui.selectable_value(&mut self.tab, Tab::Report, "统计报表");
            ui.add_space(16.0);
            if self.new_problem.is_none()
                && ui
                    .add_enabled(!view.read_only, egui::Button::new("新增问题"))
                    .on_hover_text(
                        "12345 热线、巡查等来源的问题；走访和接待中的问题在走访、接待里登记",
                    )
                    .clicked()
            {
                self.tab = Tab::List;
                let draft = ProblemDraft {
                    raised_on: view.today.format("%Y-%m-%d").to_string(),
                    assigned_to: view.member_worker(),
                    ..ProblemDraft::default()
                };
                self.new_problem = Some((draft, false));
            }
            if let Some(m) = &self.message {
                widgets::hint(ui, m);
            }
        });
        if self.tab == Tab::Report {
            self.report.show(ui, view);
            return;
        }
        self.new_problem_form(ui, view, actions);
        self.new_project_form(ui, view, actions);
        self.filter_bar(ui, view.ledger);
        self.list(ui, view);
    }

    fn filter_bar(&mut self, ui: &mut egui::Ui, ledger: &Ledger) {
        let f = &mut self.form;
        ui.horizontal_wrapped(|ui| {
            widgets::text_field(
                ui,
                "查找",
                &mut f.filters.text,
                "问题、地点、地址、工单号",
                200.0,
            );
            let filters = &mut f.filters;
            combo(
                ui,
                "problem_status",
                "状态",
                filters.status.label(),
                |ui| {
                    for s in StatusFilter::all() {
                        ui.selectable_value(&mut filters.status, s, s.label());
                    }
                },
            );
            let category = filters.category.clone().unwrap_or_else(|| "全部".into());
            combo(ui, "problem_category", "分类", &category, |ui| {
                ui.selectable_value(&mut filters.category, None, "全部");
                for c in ledger.committee.all_problem_categories() {
                    ui.selectable_value(&mut filters.category, Some(c.clone()), c);
                }
            });
            let source = filters.source.map_or("全部", SourceKind::label);
            combo(ui, "problem_source", "来源", source, |ui| {
                ui.selectable_value(&mut filters.source, None, "全部");
                for s in SourceKind::ALL {
                    ui.selectable_value(&mut filters.source, Some(s), s.label());
                }
            });
            let path = filters.path.map_or("全部", ResolutionPath::label);
            combo(ui, "problem_path", "化解路径", path, |ui| {
                ui.selectable_value(&mut filters.path, None, "全部");
                for p in ResolutionPath::ALL {
                    ui.selectable_value(&mut filters.path, Some(p), p.label());
                }
            });
            widgets::worker_filter(
                ui,
                "problem_worker",
                "责任人",
                &ledger.committee,
                &mut filters.worker,
            );
            ui.checkbox(&mut filters.prominent, "只看突出问题");
            ui.checkbox(&mut f.stale, "超期未处理");
            if f.stale {
                ui.add(
                    egui::DragValue::new(&mut f.stale_days)
                        .range(1..=365)
                        .suffix(" 天无进展"),
                );
            }
            f.filters.stale_days = f.stale.then_some(f.stale_days);
            widgets::text_field(ui, "提出日期从", &mut f.from, "2026-01-01", 110.0);
            widgets::text_field(ui, "到", &mut f.to, "2026-12-31", 110.0);
            f.filters.from = parse_day(&f.from);
            f.filters.to = parse_day(&f.to);
            if ui.button("清除条件").clicked() {
                *f = FilterForm {
                    stale_days: f.stale_days,
                    ..FilterForm::default()
                };
            }
        });
        for (typed, parsed) in [(&f.from, f.filters.from), (&f.to, f.filters.to)] {
            if !typed.trim().is_empty() && parsed.is_none() {
                widgets::error(
                    ui,
                    &format!("“{}”不是有效日期，请按 2026-03-15 的格式填写", typed.trim()),
                );
            }
        }
    }

    fn list(&mut self, ui: &mut egui::Ui, view: &View<'_>) {
        let ledger = view.ledger;
        let index = self.index.get_or_insert_with(|| ProblemIndex::new(ledger));
        let stale = self
            .rows
            .as_ref()
            .is_none_or(|(f, s, _)| *f != self.form.filters || *s != self.sort);
        if stale {
            let (by, descending) = self.sort;
            let rows = index.search(ledger, &self.form.filters, view.today, by, descending);
            self.rows = Some((self.form.filters.clone(), self.sort, rows));
        }
        let Some((_, _, rows)) = &self.rows else {
            return;
        };
        ui.horizontal(|ui| {
            ui.strong(format!("共 {} 个问题", rows.len()));
            if ui.button("导出 Excel").clicked() {
                self.export.open("问题清单", view.today);
            }
            widgets::hint(ui, "点击一行打开问题；勾选几个问题可以合并为一个实事项目。");
            if !self.ticked.is_empty() {
                let text = format!("用勾选的 {} 个问题创建实事项目", self.ticked.len());
                if ui
                    .add_enabled(!view.read_only, egui::Button::new(text))
                    .clicked()
                {
                    let draft = NewProjectDraft::new(
                        self.ticked.iter().copied().collect(),
                        view.member_worker(),
                    );
                    self.new_project = Some((draft, Vec::new()));
                }
                if ui.button("取消勾选").clicked() {
                    self.ticked.clear();
                }
            }
        });
        self.export.show(ui, || list_sheet(view, rows));
        ui.separator();
        let (opened, sort) = table(ui, view, rows, &mut self.ticked, self.sort);
        if let Some(id) = opened {
            self.open = Some(ProblemPage::new(id));
        }
        if let Some(sort) = sort {
            self.sort = sort;
        }
    }

    /// 新增问题: a 12345 ticket, a patrol, anything else.
    fn new_problem_form(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let Some((draft, tried)) = &mut self.new_problem else {
            return;
        };
        let ledger = view.ledger;
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.strong("新增问题");
            egui::Grid::new("new_problem")
                .num_columns(2)
                .spacing([16.0, 8.0])
                .show(ui, |ui| problem_fields(ui, view, draft));
            if *tried {
                for e in draft.errors(view.today) {
                    widgets::error(ui, &e);
                }
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!view.read_only, egui::Button::new("保存问题"))
                    .clicked()
                {
                    *tried = true;
                    if let Ok(p) = draft.build(ledger, view.today) {
                        let (id, title) = (p.id, p.title.clone());
                        actions.push(Action::Edit(
                            format!("新增问题 第{}号", id.0),
                            crate::model::Edit::Problem(id, Some(Box::new(p))),
                        ));
                        self.message = Some(format!("已新增第 {} 号问题：{title}", id.0));
                        close = true;
                    }
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.new_problem = None;
        }
        ui.add_space(6.0);
    }

    /// 创建实事项目 from the ticked problems.
    fn new_project_form(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let Some((draft, errors)) = &mut self.new_project else {
            return;
        };
        let ledger = view.ledger;
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.strong(format!("用 {} 个问题创建实事项目", draft.problems.len()));
            for id in &draft.problems {
                if let Some(p) = ledger.problems.problem(*id) {
                    widgets::hint(ui, &format!("第 {} 号：{}", id.0, p.title));
                }
            }
            egui::Grid::new("new_project")
                .num_columns(2)
                .spacing([16.0, 8.0])
                .show(ui, |ui| project_fields(ui, view, draft));
            for e in errors.iter() {
                widgets::error(ui, e);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!view.read_only, egui::Button::new("创建实事项目"))
                    .clicked()
                {
                    match draft.build(ledger, view.today, view.member_worker()) {
                        Ok((project, edit)) => {
                            actions.push(Action::Edit(
                                format!("创建实事项目 {}", project.title),
                                edit,
                            ));
                            self.message = Some(format!(
                                "已创建实事项目“{}”，{} 个问题已关联",
                                project.title,
                                project.problems.len()
                            ));
                            self.ticked.clear();
                            close = true;
                        }
                        Err(e) => *errors = e,
                    }
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.new_project = None;
        }
        ui.add_space(6.0);
    }
}

/// The fields of 新增问题.
fn problem_fields(ui: &mut egui::Ui, view: &View<'_>, draft: &mut ProblemDraft) {
    let ledger = view.ledger;
    let label = ui.label("来源");
    ui.horizontal(|ui| {
        for s in [SourceKind::Hotline, SourceKind::Patrol, SourceKind::Other] {
            ui.radio_value(&mut draft.source, s, s.label());
        }
        match draft.source {
            SourceKind::Hotline => {
                widgets::text_field(ui, "工单号", &mut draft.source_detail, "", 180.0);
            }
            SourceKind::Other => {
                widgets::text_field(
                    ui,
                    "从哪里得知",
                    &mut draft.source_detail,
                    "如 居民代表反映",
                    180.0,
                );
            }
            _ => {}
        }
    })
    .response
    .labelled_by(label.id);
    ui.end_row();
    widgets::text_field(ui, "提出日期", &mut draft.raised_on, "2026-03-15", 110.0);
    ui.end_row();
    widgets::text_field(ui, "问题", &mut draft.title, "一句话写明问题", 420.0);
    ui.end_row();
    let label = ui.label("详细情况");
    ui.add(
        egui::TextEdit::multiline(&mut draft.description)
            .desired_rows(2)
            .desired_width(420.0),
    )
    .labelled_by(label.id);
    ui.end_row();
    widgets::text_field(
        ui,
        "地点",
        &mut draft.location,
        "如 3号楼前、小区北门",
        260.0,
    );
    ui.end_row();
    widgets::category_picker(
        ui,
        "new_problem_category",
        Some("分类"),
        &ledger.committee,
        &mut draft.category,
    );
    ui.end_row();
    let label = ui.label("化解路径");
    egui::ComboBox::from_id_salt("new_problem_path")
        .selected_text(draft.path.label())
        .show_ui(ui, |ui| {
            for p in ResolutionPath::ALL {
                ui.selectable_value(&mut draft.path, p, p.label());
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
    widgets::worker_picker(
        ui,
        "new_problem_worker",
        "责任人",
        &ledger.committee,
        view.today,
        &mut draft.assigned_to,
    );
    ui.end_row();
    ui.label("");
    ui.checkbox(&mut draft.prominent, "突出问题");
    ui.end_row();
}

/// The fields of 创建实事项目.
fn project_fields(ui: &mut egui::Ui, view: &View<'_>, draft: &mut NewProjectDraft) {
    let ledger = view.ledger;
    widgets::text_field(ui, "项目名称", &mut draft.title, "将会公示", 360.0);
    ui.end_row();
    widgets::text_field(
        ui,
        "项目类别",
        &mut draft.category,
        "如 环境整治、设施改善",
        200.0,
    );
    ui.end_row();
    let label = ui.label("居民需求");
    ui.add(
        egui::TextEdit::multiline(&mut draft.need)
            .hint_text("将会公示：写清需求，不要写居民姓名和门牌号")
            .desired_rows(2)
            .desired_width(420.0),
    )
    .labelled_by(label.id);
    ui.end_row();
    let label = ui.label("经费来源");
    egui::ComboBox::from_id_salt("new_project_fund")
        .selected_text(draft.fund.label())
        .show_ui(ui, |ui| {
            for f in FundKind::ALL {
                ui.selectable_value(&mut draft.fund, f, f.label());
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
    let label = ui.label("经费类别");
    egui::ComboBox::from_id_salt("new_project_fund_category")
        .selected_text(draft.fund_category.label())
        .show_ui(ui, |ui| {
            for c in draft.fund.categories() {
                ui.selectable_value(&mut draft.fund_category, *c, c.label());
            }
        })
        .response
        .labelled_by(label.id);
    ui.end_row();
    widgets::worker_picker(
        ui,
        "new_project_worker",
        "负责人",
        &ledger.committee,
        view.today,
        &mut draft.responsible,
    );
    ui.end_row();
}

/// A label and a dropdown.
fn combo(
    ui: &mut egui::Ui,
    salt: &str,
    label: &str,
    selected: &str,
    choices: impl FnOnce(&mut egui::Ui),
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(salt)
        .selected_text(selected)
        .show_ui(ui, choices)
        .response
        .labelled_by(l.id);
}

/// The rows, drawn only where they show. Returns the problem clicked and a new sort.
fn table(
    ui: &mut egui::Ui,
    view: &View<'_>,
    rows: &[usize],
    ticked: &mut BTreeSet<ProblemId>,
    sort: (ProblemSort, bool),
) -> (Option<ProblemId>, Option<(ProblemSort, bool)>) {
    let ledger = view.ledger;
    let problems = &ledger.problems.problems;
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    ui.style_mut().interaction.selectable_labels = false;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
    let mut opened = None;
    let mut sort_by = None;
    TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .id_salt("problem_list")
        .column(Column::exact(28.0))
        .column(Column::exact(64.0))
        .column(Column::exact(104.0))
        .column(Column::exact(84.0))
        .column(Column::exact(84.0))
        .column(Column::remainder().at_least(200.0))
        .column(Column::exact(84.0))
        .column(Column::exact(96.0))
        .column(Column::exact(64.0))
        .column(Column::exact(104.0))
        .header(row_height, |mut header| {
            let columns = [
                ("", None),
                ("编号", None),
                ("提出日期", Some(ProblemSort::Raised)),
                ("来源", None),
                ("分类", None),
                ("问题", None),
                ("化解路径", None),
                ("状态", None),
                ("责任人", None),
                ("最近进展", Some(ProblemSort::LastActivity)),
            ];
            // A first click on a date column sorts newest first.
            sort_by =
                widgets::sort_headers(&mut header, &columns, Some(sort)).map(|(by, asc_next)| {
                    if by == sort.0 {
                        (by, asc_next)
                    } else {
                        (by, true)
                    }
                });
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let Some(p) = rows.get(row.index()).and_then(|&i| problems.get(i)) else {
                    return;
                };
                row_cells(&mut row, view, p, ticked);
                if row.response().clicked() {
                    opened = Some(p.id);
                }
            });
        });
    (opened, sort_by)
}

/// The cells of one row of the list.
fn row_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    view: &View<'_>,
    p: &crate::model::Problem,
    ticked: &mut BTreeSet<ProblemId>,
) {
    let ledger = view.ledger;
    row.col(|ui| {
        let mut on = ticked.contains(&p.id);
        let r = ui
            .checkbox(&mut on, "")
            .on_hover_text("勾选以合并为实事项目");
        // Named for screen readers (and the tests): the box has no text of its own.
        r.widget_info(|| {
            egui::WidgetInfo::selected(
                egui::accesskit::Role::CheckBox,
                true,
                on,
                format!("勾选第 {} 号", p.id.0),
            )
        });
        if r.changed() {
            if on {
                ticked.insert(p.id);
            } else {
                ticked.remove(&p.id);
            }
        }
    });
    row.col(|ui| {
        ui.label(p.id.0.to_string());
    });
    row.col(|ui| {
        ui.label(p.raised_on.format("%Y-%m-%d").to_string());
    });
    row.col(|ui| {
        ui.label(p.source.label());
    });
    row.col(|ui| {
        ui.label(&p.category);
    });
    row.col(|ui| {
        let text = if p.prominent {
            format!("【突出】{}", p.title)
        } else {
            p.title.clone()
        };
        ui.label(text);
    });
    row.col(|ui| {
        ui.label(p.path.label());
    });
    row.col(|ui| {
        let label = ui.label(p.status.label());
        if p.project.is_some() {
            label.on_hover_text("已纳入实事项目");
        }
    });
    row.col(|ui| {
        let name = p
            .assigned_to
            .and_then(|w| ledger.committee.worker(w))
            .map_or("", |w| w.name.as_str());
        ui.label(name);
    });
    row.col(|ui| {
        let last = p.last_activity();
        let days = (view.today - last).num_days();
        let text = last.format("%Y-%m-%d").to_string();
        if !p.status.is_closed() && days >= 30 {
            let colour = ui.visuals().warn_fg_color;
            ui.label(egui::RichText::new(text).color(colour))
                .on_hover_text(format!("{days} 天没有进展"));
        } else {
            ui.label(text);
        }
    });
}

/// The problems listed, as a sheet to export: what the street asks of a problem list (where it
/// came from, what it is, how it is being solved and where it stands), no resident named.
fn list_sheet(view: &View<'_>, rows: &[usize]) -> super::print::Sheet {
    let ledger = view.ledger;
    let problems = &ledger.problems.problems;
    super::print::Sheet {
        committee: view.committee_name(),
        title: "问题清单".to_owned(),
        conditions: format!("共 {} 个问题", rows.len()),
        date: super::home::date_text(view.today),
        printed_by: view.member.to_owned(),
        headers: [
            "编号",
            "提出日期",
            "来源",
            "分类",
            "问题",
            "突出问题",
            "化解路径",
            "状态",
            "责任人",
            "最近进展",
            "答复",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: rows
            .iter()
            .filter_map(|&i| problems.get(i))
            .map(|p| {
                vec![
                    p.id.0.to_string(),
                    p.raised_on.format("%Y-%m-%d").to_string(),
                    p.source.label().to_owned(),
                    p.category.clone(),
                    p.title.clone(),
                    if p.prominent { "是" } else { "" }.to_owned(),
                    p.path.label().to_owned(),
                    p.status.label().to_owned(),
                    p.assigned_to
                        .and_then(|w| ledger.committee.worker(w))
                        .map_or_else(String::new, |w| w.name.clone()),
                    p.last_activity().format("%Y-%m-%d").to_string(),
                    p.answer.clone(),
                ]
            })
            .collect(),
    }
}
