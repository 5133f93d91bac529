//! 首页: the day's overview: coverage of households visited this year, this month's visits per
//! worker against 30, the special households overdue for a visit, open problems, and the
//! 智能名单 with how many each holds today (a click opens the list). Figures come from
//! `model::coverage` and `model::lists`; they are computed once per ledger change, not every
//! frame.

use super::{Action, widgets};
use crate::model::Ledger;
use crate::model::coverage::{self, Coverage, MONTHLY_VISITS, Overdue, WorkerMonth};
use crate::model::lists::{self, ListUnit};
use chrono::{Datelike, NaiveDate};
use eframe::egui;

/// What 首页 shows, computed from the ledger.
pub struct HomeFigures {
    coverage: Coverage,
    workers: Vec<WorkerMonth>,
    overdue: Vec<(String, Overdue)>,
    open_problems: usize,
    residents: usize,
    /// Each list's name, count and unit (人 / 户).
    lists: Vec<(String, usize, &'static str)>,
    today: NaiveDate,
}

impl HomeFigures {
    /// Computes the figures for `today`.
    pub fn new(ledger: &Ledger, today: NaiveDate) -> HomeFigures {
        let overdue = coverage::overdue(ledger, today)
            .into_iter()
            .filter_map(|o| {
                let h = ledger.households.household(o.household)?;
                Some((ledger.households.address_of(h), o))
            })
            .collect();
        let index = lists::ListIndex::new(ledger, today);
        let lists = lists::presets(&ledger.committee)
            .iter()
            .chain(&ledger.committee.lists)
            .map(|l| {
                let n = lists::run(&index, &l.query).len();
                let unit = if l.query.unit == ListUnit::Household {
                    "户"
                } else {
                    "人"
                };
                (l.name.clone(), n, unit)
            })
            .collect();
        HomeFigures {
            lists,
            coverage: coverage::coverage(ledger, today.year()),
            workers: coverage::visits_per_worker(ledger, today),
            overdue,
            open_problems: ledger
                .problems
                .problems
                .iter()
                .filter(|p| !p.status.is_closed())
                .count(),
            residents: ledger.counts().residents,
            today,
        }
    }

    /// Shows 首页.
    pub fn show(&self, ui: &mut egui::Ui, committee: &str, actions: &mut Vec<Action>) {
        ui.heading(format!("{committee} · {}", date_text(self.today)));
        ui.add_space(12.0);
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 48.0;
            widgets::figure(
                ui,
                &format!("{:.0}%", self.coverage.percent()),
                &format!(
                    "今年已走访 {} / {} 户",
                    self.coverage.visited, self.coverage.households
                ),
            );
            widgets::figure(ui, &self.residents.to_string(), "在住居民");
            widgets::figure(ui, &self.overdue.len().to_string(), "重点户逾期未走访");
            widgets::figure(ui, &self.open_problems.to_string(), "未办结问题");
        });
        ui.add_space(16.0);
        ui.columns(2, |cols| {
            cols[0].heading(format!("本月走访（每人每月 {MONTHLY_VISITS} 户）"));
            egui::Grid::new("workers")
                .num_columns(3)
                .striped(true)
                .spacing([16.0, 6.0])
                .show(&mut cols[0], |ui| {
                    for w in &self.workers {
                        ui.label(&w.name);
                        let done = w.visits as f32 / MONTHLY_VISITS as f32;
                        ui.add(egui::ProgressBar::new(done.min(1.0)).desired_width(160.0));
                        ui.label(format!("{} / {MONTHLY_VISITS}", w.visits));
                        ui.end_row();
                    }
                });
            cols[0].add_space(16.0);
            cols[0].heading("智能名单");
            for (name, n, unit) in &self.lists {
                if cols[0].link(format!("{name}：{n} {unit}")).clicked() {
                    actions.push(Action::OpenList(name.clone()));
                }
            }
            cols[1].heading("逾期未走访的重点户");
            if self.overdue.is_empty() {
                widgets::hint(&mut cols[1], "没有逾期的重点户。");
            }
            egui::ScrollArea::vertical()
                .id_salt("overdue")
                .max_height(360.0)
                .show(&mut cols[1], |ui| {
                    egui::Grid::new("overdue_grid")
                        .num_columns(3)
                        .striped(true)
                        .spacing([16.0, 6.0])
                        .show(ui, |ui| {
                            for (address, o) in &self.overdue {
                                ui.label(address);
                                ui.label(&o.reason);
                                ui.label(match o.days {
                                    Some(d) => format!("{d} 天未走访"),
                                    None => "从未走访".to_owned(),
                                });
                                ui.end_row();
                            }
                        });
                });
        });
    }
}

/// 2026年11月23日 星期一.
pub fn date_text(d: NaiveDate) -> String {
    const WEEK: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    format!(
        "{}年{}月{}日 星期{}",
        d.year(),
        d.month(),
        d.day(),
        WEEK[d.weekday().num_days_from_monday() as usize]
    )
}
