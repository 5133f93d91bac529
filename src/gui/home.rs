//! 首页: the day's overview: coverage of households visited this year, this month's visits per
//! worker against 30 (a row opens that worker's visits), today's duty shift, 我的包干 for the
//! member signed in, the special households overdue for a visit (a row opens the household),
//! open problems, and the 智能名单 with how many each holds today (a click opens the list).
//! Figures come from `model::coverage` and `model::lists`; they are computed once per ledger
//! change, not every frame.

use super::{Action, widgets};
use crate::model::coverage::{self, Block, Coverage, MONTHLY_VISITS, Overdue, WorkerMonth};
use crate::model::fund_rules::{MoneyTodo, money_todo};
use crate::model::lists;
use crate::model::{DutyShift, HouseholdId, Ledger, WorkerId};
use chrono::{Datelike, NaiveDate};
use eframe::egui;
use std::collections::HashMap;

/// What 首页 shows, computed from the ledger.
pub struct HomeFigures {
    coverage: Coverage,
    workers: Vec<WorkerMonth>,
    overdue: Vec<Overdue>,
    /// The address of each overdue household, written once.
    addresses: HashMap<HouseholdId, String>,
    open_problems: usize,
    residents: usize,
    /// Each list's name, count and unit (人 / 户).
    lists: Vec<(String, usize, &'static str)>,
    /// Today's duty shifts.
    duty: Vec<DutyShift>,
    /// 我的包干, when the member signed in is a worker.
    mine: Option<(WorkerId, Block)>,
    /// What needs doing with money.
    money: MoneyTodo,
    today: NaiveDate,
}

impl HomeFigures {
    /// Computes the figures for `today`; `member` is the worker signed in, if any. The three
    /// heaviest parts side by side (the overdue households, the lists' index and counts, the
    /// rest): each reads the whole ledger, and the first frame after an edit waits for them. On
    /// threads of their own, not rayon's pool: a background save encrypting the ledger there
    /// would keep them waiting in its queue.
    pub fn new(ledger: &Ledger, today: NaiveDate, member: Option<WorkerId>) -> HomeFigures {
        let ((overdue, mine, addresses), lists, rest) = std::thread::scope(|scope| {
            let lists = scope.spawn(|| {
                let index = lists::ListIndex::new(ledger, today);
                lists::counts(&index, &ledger.committee)
                    .into_iter()
                    .map(|c| (c.list.name, c.count, c.list.query.unit.measure()))
                    .collect::<Vec<_>>()
            });
            let rest = scope.spawn(|| {
                (
                    money_todo(ledger, today),
                    coverage::coverage(ledger, today.year()),
                    coverage::visits_per_worker(ledger, today),
                    ledger
                        .problems
                        .problems
                        .iter()
                        .filter(|p| !p.status.is_closed())
                        .count(),
                    ledger.counts().residents,
                )
            });
            let overdue = coverage::overdue(ledger, today);
            let mine = member.map(|w| (w, coverage::block(ledger, w, today, &overdue)));
            let book = &ledger.households;
            let addresses: HashMap<HouseholdId, String> = overdue
                .iter()
                .filter_map(|o| Some((o.household, book.address_of(book.household(o.household)?))))
                .collect();
            ((overdue, mine, addresses), joined(lists), joined(rest))
        });
        let (money, coverage, workers, open_problems, residents) = rest;
        HomeFigures {
            lists,
            duty: ledger
                .desk
                .shifts
                .iter()
                .filter(|s| s.on == today)
                .cloned()
                .collect(),
            mine,
            money,
            addresses,
            coverage,
            workers,
            overdue,
            open_problems,
            residents,
            today,
        }
    }

    /// Shows 首页; `under_figures` draws what comes between the figures and the rest (the
    /// 月度简报 line).
    pub fn show(
        &self,
        ui: &mut egui::Ui,
        committee: &str,
        ledger: &Ledger,
        actions: &mut Vec<Action>,
        under_figures: impl FnOnce(&mut egui::Ui),
    ) {
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
        ui.add_space(10.0);
        under_figures(ui);
        ui.add_space(10.0);
        egui::ScrollArea::vertical()
            .id_salt("home")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.columns(2, |cols| {
                    self.left(&mut cols[0], ledger, actions);
                    self.right(&mut cols[1], actions);
                });
            });
    }

    /// This month's visits per worker, today's duty, the lists.
    fn left(&self, ui: &mut egui::Ui, ledger: &Ledger, actions: &mut Vec<Action>) {
        ui.heading(format!("本月走访（每人每月 {MONTHLY_VISITS} 户）"));
        egui::Grid::new("workers")
            .num_columns(3)
            .striped(true)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                for w in &self.workers {
                    if ui
                        .link(&w.name)
                        .on_hover_text(format!("查看{}本月的走访记录", w.name))
                        .clicked()
                    {
                        actions.push(Action::OpenVisits(
                            w.worker,
                            self.today.year(),
                            self.today.month(),
                        ));
                    }
                    let done = w.visits as f32 / MONTHLY_VISITS as f32;
                    ui.add(egui::ProgressBar::new(done.min(1.0)).desired_width(160.0));
                    ui.label(format!("{} / {MONTHLY_VISITS}", w.visits));
                    ui.end_row();
                }
            });
        ui.add_space(16.0);
        ui.heading("今日值班");
        if self.duty.is_empty() {
            widgets::hint(ui, "今天没有排班。");
        }
        for s in &self.duty {
            let name = ledger
                .committee
                .worker(s.worker)
                .map_or("", |w| w.name.as_str());
            let signed = match s.signed_in {
                Some(t) => format!("已签到 {}", t.format("%H:%M")),
                None => "未签到".to_owned(),
            };
            ui.label(format!(
                "{name}　{}–{}（{}）　{signed}",
                s.start.format("%H:%M"),
                s.end.format("%H:%M"),
                s.kind.label()
            ));
        }
        ui.add_space(16.0);
        ui.heading("智能名单");
        for (name, n, unit) in &self.lists {
            if ui.link(format!("{name}：{n} {unit}")).clicked() {
                actions.push(Action::OpenList(name.clone()));
            }
        }
        ui.add_space(16.0);
        self.money(ui, actions);
    }

    /// 经费待办: approvals missing, 先支后补 not filed, funds near their budget, the next
    /// disclosure.
    fn money(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let m = &self.money;
        ui.heading("经费待办");
        if m.approvals_missing > 0
            && ui
                .link(format!("审批不全的支出：{} 笔", m.approvals_missing))
                .clicked()
        {
            actions.push(Action::OpenFunds {
                warned: true,
                paid_first_open: false,
            });
        }
        if m.paid_first_open > 0
            && ui
                .link(format!("先支后补未补办：{} 笔", m.paid_first_open))
                .clicked()
        {
            actions.push(Action::OpenFunds {
                warned: false,
                paid_first_open: true,
            });
        }
        for (fund, share) in &m.near_budget {
            let text = format!("{}已用预算的 {share}%", fund.label());
            if *share > 100 {
                widgets::error(ui, &format!("{text}，已超支"));
            } else {
                ui.label(text);
            }
        }
        let (label, end) = &m.next_disclosure;
        ui.label(format!("下次经费公开：{label}，{} 后张贴", date_text(*end)));
    }

    /// 我的包干 and the overdue special households.
    fn right(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        if let Some((worker, block)) = &self.mine {
            ui.heading("我的包干");
            if block.households == 0 {
                widgets::hint(ui, "还没有分配包干楼栋（在 走访 → 包干分工 中分配）。");
            } else {
                let this_month = self
                    .workers
                    .iter()
                    .find(|w| w.worker == *worker)
                    .map_or(0, |w| w.visits);
                ui.label(format!(
                    "包干 {} 户，今年已走访 {} 户；本月我已走访 {this_month} / {MONTHLY_VISITS} 户。",
                    block.households, block.visited
                ));
                if block.overdue.is_empty() {
                    widgets::hint(ui, "我包干的重点户都已按时走访。");
                } else {
                    ui.label(format!(
                        "我包干的重点户逾期未走访 {} 户：",
                        block.overdue.len()
                    ));
                    overdue_rows(ui, "my_overdue", &self.addresses, &block.overdue, actions);
                }
            }
            ui.add_space(16.0);
        }
        ui.heading("逾期未走访的重点户");
        if self.overdue.is_empty() {
            widgets::hint(ui, "没有逾期的重点户。");
        }
        overdue_rows(ui, "overdue_grid", &self.addresses, &self.overdue, actions);
    }
}

/// Overdue households, one a row: the address opens the household.
fn overdue_rows(
    ui: &mut egui::Ui,
    salt: &str,
    addresses: &HashMap<HouseholdId, String>,
    overdue: &[Overdue],
    actions: &mut Vec<Action>,
) {
    egui::ScrollArea::vertical()
        .id_salt(salt)
        .max_height(320.0)
        .show(ui, |ui| {
            egui::Grid::new(salt)
                .num_columns(3)
                .striped(true)
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    for o in overdue {
                        let address = addresses.get(&o.household).map_or("", String::as_str);
                        if ui.link(address).clicked() {
                            actions.push(Action::OpenHousehold(o.household));
                        }
                        ui.label(&o.reason);
                        ui.label(match o.days {
                            Some(d) => format!("{d} 天未走访"),
                            None => "从未走访".to_owned(),
                        });
                        ui.end_row();
                    }
                });
        });
}

/// What a scoped thread made; a part that panicked panics here, as it would have on this thread.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// 2026年11月23日 星期一.
pub fn date_text(d: NaiveDate) -> String {
    crate::model::dates::chinese_date_weekday(d)
}
