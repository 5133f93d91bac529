//! 首页 → 月度简报: the month's brief for the street (`model::monthly_brief`) — each worker's
//! visits against 30, the special households overdue at the month's end, the problems raised,
//! solved and still open, where each practical project stands — in one line on 首页 (the
//! month chosen; its figures in words once asked for), printed through the browser and
//! exported to .xlsx (one sheet per part, totals, a signature line) through `gui::document`.
//! It is counted on a click, not as 首页 is drawn.

use super::document::{Cell, Document, Part, Table};
use super::{View, export, print, widgets};
use crate::model::coverage::MONTHLY_VISITS;
use crate::model::monthly_brief::{MonthlyBrief, brief};
use chrono::Datelike;
use eframe::egui;

/// The brief's line on 首页.
#[derive(Default)]
pub struct BriefBar {
    /// The month chosen (year, month); `None`: the default one.
    month: Option<(i32, u32)>,
    /// The brief of the month it was made for, until the ledger changes.
    made: Option<MonthlyBrief>,
    export: export::ExportSlot,
    printed: Option<Result<print::Opened, print::PrintError>>,
}

/// The month a brief is wanted for by default: the last one in the first days of a month
/// (the brief is due to the street then), else the one under way.
pub fn default_month(today: chrono::NaiveDate) -> (i32, u32) {
    if today.day() <= 10 {
        let last = today - chrono::Days::new(u64::from(today.day()));
        (last.year(), last.month())
    } else {
        (today.year(), today.month())
    }
}

impl BriefBar {
    /// Forgets the brief (the ledger changed).
    pub fn invalidate(&mut self) {
        self.made = None;
    }

    /// Shows the line: the month, its figures, 打印 and 导出 Excel.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>) {
        let (mut year, mut month) = self.month.unwrap_or_else(|| default_month(view.today));
        let current = (view.today.year(), view.today.month());
        ui.horizontal_wrapped(|ui| {
            ui.strong("月度简报");
            if ui.small_button("◀").on_hover_text("上个月").clicked() {
                (year, month) = if month == 1 {
                    (year - 1, 12)
                } else {
                    (year, month - 1)
                };
            }
            ui.label(format!("{year}年{month}月"));
            if ui
                .add_enabled((year, month) < current, egui::Button::new("▶").small())
                .on_hover_text("下个月")
                .clicked()
            {
                (year, month) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
            }
            self.month = Some((year, month));
            if !view.unloaded.is_empty() {
                // Every year of visits: a household's last visit may be years back.
                ui.spinner();
                ui.label("正在读取往年的记录……");
                return;
            }
            // Counted when asked for (a click), never as 首页 is drawn: at the stress size it
            // reads every visit of every year.
            let stale = self
                .made
                .as_ref()
                .is_none_or(|b| (b.year, b.month) != (year, month));
            let print = ui.button("打印简报").clicked();
            let export = ui.button("导出 Excel").clicked();
            let look = stale && ui.button("查看概要").clicked();
            if stale && (print || export || look) {
                self.made = brief(view.ledger, year, month, view.today);
            }
            if stale && !(print || export || look) {
                widgets::hint(ui, "各人走访、逾期重点户、问题和实事项目的当月情况");
                return;
            }
            let Some(b) = &self.made else { return };
            if print {
                self.printed =
                    Some(super::document::html(&document(view, b)).and_then(print::open));
            }
            if export {
                self.export.open(&b.title(), view.today);
            }
            ui.label(summary(b));
        });
        if let Some(b) = self
            .made
            .as_ref()
            .filter(|b| (b.year, b.month) == (year, month))
        {
            self.export.show(ui, || document(view, b));
        }
        if let Some(opened) = &mut self.printed {
            print::show_opened(ui, opened);
        }
    }
}

/// The brief in one line.
fn summary(b: &MonthlyBrief) -> String {
    let upto = if b.is_whole_month() {
        String::new()
    } else {
        format!("（截至{}日）", b.last.day())
    };
    format!(
        "{upto}走访 {} 次 {} 户，{}/{} 人完成 {MONTHLY_VISITS} 户；重点户逾期 {} 户；新增问题 {} 个，解决 {} 个，月末未办结 {} 个；实事项目 {} 个",
        b.visits,
        b.households_visited,
        b.workers_met(),
        b.workers.len(),
        b.overdue.len(),
        b.problems.raised,
        b.problems.solved,
        b.problems.open,
        b.projects.len()
    )
}

/// The brief as a document: 走访, 问题清单, 实事项目, one part (page, sheet) each.
pub fn document(view: &View<'_>, b: &MonthlyBrief) -> Document {
    let period = format!(
        "{} 至 {}",
        crate::model::dates::chinese_date(b.first),
        crate::model::dates::chinese_date(b.last)
    );
    let signatures = vec!["填报人".to_owned(), "书记".to_owned()];
    Document {
        committee: view.committee_name(),
        title: b.title(),
        date: super::home::date_text(view.today),
        printed_by: view.member.to_owned(),
        parts: vec![
            visits_part(b, &period, signatures.clone()),
            problems_part(b, &period, signatures.clone()),
            projects_part(b, &period, signatures),
        ],
    }
}

fn visits_part(b: &MonthlyBrief, period: &str, signatures: Vec<String>) -> Part {
    let percent = if b.households == 0 {
        0.0
    } else {
        b.visited_this_year as f64 * 100.0 / b.households as f64
    };
    let met = |ok: bool| if ok { "完成" } else { "未完成" };
    let total_special: usize = b.workers.iter().map(|w| w.special).sum();
    Part {
        name: "走访".to_owned(),
        title: format!("{}：走百家门", b.title()),
        figures: vec![
            ("期间".to_owned(), Cell::Code(period.to_owned())),
            (
                "本月走访".to_owned(),
                Cell::Code(format!("{} 次", b.visits)),
            ),
            (
                "走访户数".to_owned(),
                Cell::Code(format!("{} 户", b.households_visited)),
            ),
            (
                "今年已走访".to_owned(),
                Cell::Code(format!(
                    "{} / {} 户（{percent:.1}%）",
                    b.visited_this_year, b.households
                )),
            ),
            (
                format!("完成每月 {MONTHLY_VISITS} 户"),
                Cell::Code(format!("{} / {} 人", b.workers_met(), b.workers.len())),
            ),
        ],
        tables: vec![
            Table {
                caption: "工作人员走访情况".to_owned(),
                headers: vec![
                    "工作人员".to_owned(),
                    "走访次数".to_owned(),
                    "其中特殊对象走访".to_owned(),
                    "走访户数".to_owned(),
                    format!("每月 {MONTHLY_VISITS} 户"),
                ],
                rows: b
                    .workers
                    .iter()
                    .map(|w| {
                        vec![
                            Cell::text(&w.name),
                            Cell::Count(w.visits),
                            Cell::Count(w.special),
                            Cell::Count(w.households),
                            Cell::Code(met(w.met()).to_owned()),
                        ]
                    })
                    .collect(),
                total: Some(vec![
                    Cell::text("合计"),
                    Cell::Count(b.visits),
                    Cell::Count(total_special),
                    Cell::Count(b.households_visited),
                    Cell::Code(format!("{} 人完成", b.workers_met())),
                ]),
                empty: "没有在职的工作人员。".to_owned(),
            },
            Table {
                caption: format!(
                    "重点户逾期未走访（截至{}）",
                    crate::model::dates::chinese_date(b.last)
                ),
                headers: ["地址", "类别", "走访间隔", "距上次走访", "包干社工"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: b
                    .overdue
                    .iter()
                    .map(|o| {
                        vec![
                            Cell::Code(o.address.clone()),
                            Cell::text(&o.reason),
                            Cell::Code(format!("{} 天", o.interval)),
                            Cell::Code(o.days.map_or("从未走访".to_owned(), |d| format!("{d} 天"))),
                            Cell::text(&o.worker),
                        ]
                    })
                    .collect(),
                total: None,
                empty: "没有逾期未走访的重点户。".to_owned(),
            },
        ],
        signatures,
    }
}

fn problems_part(b: &MonthlyBrief, period: &str, signatures: Vec<String>) -> Part {
    let p = &b.problems;
    let line = |l: &crate::model::monthly_brief::ProblemLine| {
        vec![
            Cell::text(&l.label),
            Cell::Count(l.raised),
            Cell::Count(l.prominent),
            Cell::Count(l.solved),
            Cell::Count(l.answered),
            Cell::Count(l.open),
        ]
    };
    Part {
        name: "问题清单".to_owned(),
        title: format!("{}：问题清单", b.title()),
        figures: vec![
            ("期间".to_owned(), Cell::Code(period.to_owned())),
            (
                "本月新增".to_owned(),
                Cell::Code(format!(
                    "{} 个（其中突出问题 {} 个）",
                    p.raised, p.prominent
                )),
            ),
            (
                "本月解决".to_owned(),
                Cell::Code(format!("{} 个", p.solved)),
            ),
            (
                "本月答复".to_owned(),
                Cell::Code(format!("{} 个", p.answered)),
            ),
            (
                "月末未办结".to_owned(),
                Cell::Code(format!("{} 个", p.open)),
            ),
        ],
        tables: vec![Table {
            caption: "按分类".to_owned(),
            headers: [
                "分类",
                "本月新增",
                "其中突出问题",
                "本月解决",
                "本月答复（暂无法解决）",
                "月末未办结",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: b.problem_categories.iter().map(line).collect(),
            total: Some(line(p)),
            empty: "本月没有新增或办结的问题，也没有未办结的问题。".to_owned(),
        }],
        signatures,
    }
}

fn projects_part(b: &MonthlyBrief, period: &str, signatures: Vec<String>) -> Part {
    let mut figures = vec![("期间".to_owned(), Cell::Code(period.to_owned()))];
    figures.extend(
        b.projects_by_stage()
            .into_iter()
            .map(|(stage, n)| (stage.label().to_owned(), Cell::Code(format!("{n} 个")))),
    );
    Part {
        name: "实事项目".to_owned(),
        title: format!("{}：为民办实事项目", b.title()),
        figures,
        tables: vec![Table {
            caption: "各项目所处阶段".to_owned(),
            headers: ["项目", "所处阶段", "进入该阶段", "本月有推进"]
                .map(str::to_owned)
                .to_vec(),
            rows: b
                .projects
                .iter()
                .map(|p| {
                    vec![
                        Cell::text(&p.title),
                        Cell::Code(p.stage.label().to_owned()),
                        Cell::Code(
                            p.since
                                .map_or("—".to_owned(), crate::model::dates::chinese_date),
                        ),
                        Cell::Code(if p.moved { "是" } else { "" }.to_owned()),
                    ]
                })
                .collect(),
            total: Some(vec![
                Cell::text("合计"),
                Cell::Code(format!("{} 个", b.projects.len())),
                Cell::Code(String::new()),
                Cell::Code(format!(
                    "{} 个",
                    b.projects.iter().filter(|p| p.moved).count()
                )),
            ]),
            empty: "今年还没有实事项目。".to_owned(),
        }],
        signatures,
    }
}
