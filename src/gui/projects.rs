//! 实事项目: the projects by year and stage (drawn row by row; 2,000 at stress size), each with
//! its budget, what has been spent (the fund payments linked to it) and its progress (from the
//! steps of the work); a click opens its page (`project_page`). Projects are made from
//! problems in 问题清单 (创建实事项目), where the need was heard.

use super::project_page::ProjectPage;
use super::{Action, View, widgets};
use crate::model::{Fen, Ledger, Project, ProjectId, ProjectStage};
use eframe::egui;
use egui_extras::{Column, TableBuilder};
use std::collections::HashMap;

/// The list's filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Filters {
    year: Option<i32>,
    stage: Option<ProjectStage>,
    text: String,
}

/// State of the 实事项目 panel.
#[derive(Default)]
pub struct ProjectsPanel {
    filters: Filters,
    /// Spending per project, until the ledger changes.
    spent: Option<HashMap<ProjectId, Fen>>,
    rows: Option<(Filters, Vec<usize>)>,
    open: Option<ProjectPage>,
}

impl ProjectsPanel {
    /// Forgets what was computed from the ledger (it changed).
    pub fn invalidate(&mut self) {
        self.spent = None;
        self.rows = None;
        if let Some(page) = &mut self.open {
            page.invalidate();
        }
    }

    /// Opens a project's page.
    pub fn open(&mut self, id: ProjectId) {
        self.open = Some(ProjectPage::new(id));
    }

    /// Shows the panel.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        if let Some(page) = &mut self.open {
            if !page.show(ui, view, actions) {
                self.open = None;
            }
            return;
        }
        let ledger = view.ledger;
        ui.horizontal(|ui| {
            ui.heading("实事项目");
            ui.add_space(16.0);
            widgets::hint(
                ui,
                "新项目在“问题清单”里勾选居民反映的问题后创建，需求和问题会关联起来。",
            );
        });
        self.filter_bar(ui, ledger);
        let spent = self.spent.get_or_insert_with(|| spending(ledger));
        if self.rows.as_ref().is_none_or(|(f, _)| *f != self.filters) {
            let rows = search(ledger, &self.filters);
            self.rows = Some((self.filters.clone(), rows));
        }
        let Some((_, rows)) = &self.rows else {
            return;
        };
        ui.strong(format!("共 {} 个项目", rows.len()));
        ui.separator();
        if let Some(id) = table(ui, view, rows, spent) {
            self.open = Some(ProjectPage::new(id));
        }
    }

    fn filter_bar(&mut self, ui: &mut egui::Ui, ledger: &Ledger) {
        let f = &mut self.filters;
        let mut years: Vec<i32> = ledger.projects.projects.iter().map(|p| p.year).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        ui.horizontal_wrapped(|ui| {
            widgets::text_field(ui, "查找", &mut f.text, "项目名称、类别", 180.0);
            let label = ui.label("年度");
            let year = f.year.map_or("全部".to_owned(), |y| format!("{y}年"));
            egui::ComboBox::from_id_salt("project_year")
                .selected_text(year)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.year, None, "全部");
                    for y in years {
                        ui.selectable_value(&mut f.year, Some(y), format!("{y}年"));
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label("阶段");
            let stage = f.stage.map_or("全部", ProjectStage::label);
            egui::ComboBox::from_id_salt("project_stage")
                .selected_text(stage)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.stage, None, "全部");
                    for s in ProjectStage::ALL {
                        ui.selectable_value(&mut f.stage, Some(s), s.label());
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }
}

/// What each project has spent: the sum of the fund payments linked to it.
fn spending(ledger: &Ledger) -> HashMap<ProjectId, Fen> {
    let mut spent: HashMap<ProjectId, Fen> = HashMap::new();
    for p in ledger.funds.values().flat_map(|f| f.payments.iter()) {
        if let Some(id) = p.project {
            *spent.entry(id).or_default() += p.amount;
        }
    }
    spent
}

/// The projects that pass the filters, newest year first, then by number.
fn search(ledger: &Ledger, f: &Filters) -> Vec<usize> {
    let words: Vec<&str> = f.text.split_whitespace().collect();
    let projects = &ledger.projects.projects;
    let mut rows: Vec<usize> = (0..projects.len())
        .filter(|&i| {
            let p = &projects[i];
            f.year.is_none_or(|y| p.year == y)
                && f.stage.is_none_or(|s| p.stage == s)
                && words
                    .iter()
                    .all(|w| p.title.contains(w) || p.category.contains(w))
        })
        .collect();
    rows.sort_by_key(|&i| (std::cmp::Reverse(projects[i].year), projects[i].id));
    rows
}

/// The rows; returns the project clicked.
fn table(
    ui: &mut egui::Ui,
    view: &View<'_>,
    rows: &[usize],
    spent: &HashMap<ProjectId, Fen>,
) -> Option<ProjectId> {
    let ledger = view.ledger;
    let projects = &ledger.projects.projects;
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    ui.style_mut().interaction.selectable_labels = false;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
    let mut opened = None;
    TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .id_salt("project_list")
        .column(Column::exact(56.0))
        .column(Column::exact(64.0))
        .column(Column::remainder().at_least(240.0))
        .column(Column::exact(110.0))
        .column(Column::exact(96.0))
        .column(Column::exact(110.0))
        .column(Column::exact(110.0))
        .column(Column::exact(64.0))
        .column(Column::exact(72.0))
        .header(row_height, |mut header| {
            for t in [
                "编号",
                "年度",
                "项目",
                "类别",
                "阶段",
                "预算",
                "已支出",
                "进度",
                "负责人",
            ] {
                header.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let Some(p) = rows.get(row.index()).and_then(|&i| projects.get(i)) else {
                    return;
                };
                cells(
                    &mut row,
                    view,
                    p,
                    spent.get(&p.id).copied().unwrap_or_default(),
                );
                if row.response().clicked() {
                    opened = Some(p.id);
                }
            });
        });
    opened
}

fn cells(row: &mut egui_extras::TableRow<'_, '_>, view: &View<'_>, p: &Project, spent: Fen) {
    row.col(|ui| {
        ui.label(p.id.0.to_string());
    });
    row.col(|ui| {
        ui.label(p.year.to_string());
    });
    row.col(|ui| {
        ui.label(&p.title);
    });
    row.col(|ui| {
        ui.label(&p.category);
    });
    row.col(|ui| {
        ui.label(p.stage.label());
    });
    row.col(|ui| {
        ui.label(format!("{} 元", p.budget));
    });
    row.col(|ui| {
        let text = format!("{spent} 元");
        if p.budget > Fen(0) && spent > p.budget {
            widgets::error(ui, &text);
        } else {
            ui.label(text);
        }
    });
    row.col(|ui| {
        ui.label(
            p.progress_percent()
                .map_or("—".to_owned(), |x| format!("{x}%")),
        );
    });
    row.col(|ui| {
        let name = p
            .responsible
            .and_then(|w| view.ledger.committee.worker(w))
            .map_or("", |w| w.name.as_str());
        ui.label(name);
    });
}
