//! 统计报表 of 问题清单: for any period, problems raised and solved and the solve rate, overall
//! and for 突出问题, by category, by resolution path and by month (the Huayang form); printed
//! through the browser like 智能名单 and exported to .xlsx. Counts only: no resident is named.

use super::print::{self, Sheet};
use super::{View, export, widgets};
use crate::model::draft::parse_day;
use crate::model::problem_search::{ProblemReport, ReportLine, percent_text, report};
use chrono::{Datelike, NaiveDate};
use eframe::egui;

/// State of the report tab.
#[derive(Default)]
pub struct ReportTab {
    from: String,
    to: String,
    /// The report for the period it was counted for.
    counted: Option<(NaiveDate, NaiveDate, ProblemReport)>,
    export: export::ExportSlot,
    printed: Option<Result<print::Opened, print::PrintError>>,
}

impl ReportTab {
    /// Forgets the counts (the ledger changed).
    pub fn invalidate(&mut self) {
        self.counted = None;
    }

    /// Shows the tab.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>) {
        let year = view.today.year();
        if self.from.is_empty() && self.to.is_empty() {
            self.set(ymd(year, 1, 1), ymd(year, 12, 31));
        }
        ui.horizontal_wrapped(|ui| {
            widgets::text_field(ui, "统计期间 从", &mut self.from, "2026-01-01", 100.0);
            widgets::text_field(ui, "到", &mut self.to, "2026-12-31", 100.0);
            for (label, from, to) in [
                ("今年", ymd(year, 1, 1), ymd(year, 12, 31)),
                ("上半年", ymd(year, 1, 1), ymd(year, 6, 30)),
                ("下半年", ymd(year, 7, 1), ymd(year, 12, 31)),
                ("去年", ymd(year - 1, 1, 1), ymd(year - 1, 12, 31)),
            ] {
                if ui.button(label).clicked() {
                    self.set(from, to);
                }
            }
        });
        let (Some(from), Some(to)) = (parse_day(&self.from), parse_day(&self.to)) else {
            widgets::error(ui, "请按 2026-01-01 的格式填写统计期间。");
            return;
        };
        if from > to {
            widgets::error(ui, "统计期间的开始日期晚于结束日期。");
            return;
        }
        if self
            .counted
            .as_ref()
            .is_none_or(|(f, t, _)| (*f, *t) != (from, to))
        {
            let categories = view.ledger.committee.all_problem_categories();
            let r = report(&view.ledger.problems.problems, &categories, from, to);
            self.counted = Some((from, to, r));
        }
        let Some((_, _, r)) = &self.counted else {
            return;
        };
        let sheet = || sheet(view, r);
        ui.horizontal(|ui| {
            if ui.button("打印").clicked() {
                self.printed = Some(print::print(&sheet()));
            }
            if ui.button("导出 Excel").clicked() {
                self.export.open("问题清单统计", view.today);
            }
        });
        self.export.show(ui, sheet);
        if let Some(opened) = &mut self.printed {
            print::show_opened(ui, opened);
        }
        ui.add_space(8.0);
        figures(ui, r);
        ui.add_space(8.0);
        // Category and path side by side; the months (up to twelve a year, more over a longer
        // period) below them, so nothing runs off a 1280-wide window.
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.horizontal_top(|ui| {
                    for (title, lines) in [("按分类", &r.by_category), ("按化解路径", &r.by_path)]
                    {
                        ui.vertical(|ui| {
                            ui.strong(title);
                            lines_grid(ui, title, lines);
                        });
                        ui.add_space(32.0);
                    }
                });
                ui.add_space(12.0);
                ui.strong("按月份");
                lines_grid(ui, "按月份", &r.by_month);
            });
    }

    fn set(&mut self, from: NaiveDate, to: NaiveDate) {
        self.from = from.format("%Y-%m-%d").to_string();
        self.to = to.format("%Y-%m-%d").to_string();
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The two headline figures.
fn figures(ui: &mut egui::Ui, r: &ProblemReport) {
    let o = &r.overall;
    ui.horizontal(|ui| {
        widgets::figure(ui, &o.all.raised.to_string(), "提出问题");
        ui.add_space(24.0);
        widgets::figure(ui, &o.all.solved.to_string(), "已解决");
        ui.add_space(24.0);
        widgets::figure(ui, &percent_text(&o.all), "解决率");
        ui.add_space(48.0);
        widgets::figure(ui, &o.prominent.raised.to_string(), "突出问题");
        ui.add_space(24.0);
        widgets::figure(ui, &o.prominent.solved.to_string(), "已解决");
        ui.add_space(24.0);
        widgets::figure(ui, &percent_text(&o.prominent), "突出问题解决率");
    });
    widgets::hint(
        ui,
        &format!(
            "统计 {} 提出的问题；“已解决”按现在的状态计，已答复（暂无法解决）不计入。",
            o.label
        ),
    );
}

fn lines_grid(ui: &mut egui::Ui, salt: &str, lines: &[ReportLine]) {
    if lines.is_empty() {
        widgets::hint(ui, "这段时间没有问题。");
        return;
    }
    egui::Grid::new(("report", salt))
        .num_columns(5)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for t in ["", "提出", "解决", "解决率", "突出问题解决率"] {
                ui.strong(t);
            }
            ui.end_row();
            for l in lines {
                ui.label(&l.label);
                ui.label(l.all.raised.to_string());
                ui.label(l.all.solved.to_string());
                ui.label(percent_text(&l.all));
                ui.label(if l.prominent.raised == 0 {
                    "—".to_owned()
                } else {
                    format!(
                        "{}（{}/{}）",
                        percent_text(&l.prominent),
                        l.prominent.solved,
                        l.prominent.raised
                    )
                });
                ui.end_row();
            }
        });
}

/// The report as one table to print or export: a group column, then the counts.
fn sheet(view: &View<'_>, r: &ProblemReport) -> Sheet {
    let mut rows = Vec::new();
    let mut push = |group: &str, l: &ReportLine| {
        rows.push(vec![
            group.to_owned(),
            l.label.clone(),
            l.all.raised.to_string(),
            l.all.solved.to_string(),
            percent_text(&l.all),
            l.prominent.raised.to_string(),
            l.prominent.solved.to_string(),
            percent_text(&l.prominent),
        ]);
    };
    push("合计", &r.overall);
    for (group, lines) in [
        ("分类", &r.by_category),
        ("化解路径", &r.by_path),
        ("月份", &r.by_month),
    ] {
        for l in lines {
            push(group, l);
        }
    }
    Sheet {
        committee: view.committee_name(),
        title: "问题清单统计".to_owned(),
        conditions: format!("{} 提出的问题", r.overall.label),
        date: super::home::date_text(view.today),
        printed_by: view.member.to_owned(),
        headers: [
            "统计口径",
            "项目",
            "提出",
            "解决",
            "解决率",
            "突出问题",
            "突出问题解决",
            "突出问题解决率",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    }
}
