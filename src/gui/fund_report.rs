//! 经费 → 报告: the quarterly internal report and the yearly report (`model::fund_report`):
//! each fund's opening and closing balance, income and spending, its categories against the
//! plan, every payment with its approvals and warnings, then the open 先支后补 and every
//! warning of the year. Shown in the window, printed through the browser, exported to .xlsx
//! with one sheet per fund, totals and a signature line.

use super::document::{Cell, Document, Part, Table};
use super::{View, export, print, widgets};
use crate::model::Fen;
use crate::model::dates::chinese_date;
use crate::model::fund_report::{FundReport, FundSection, ItemLine, ReportPeriod, report};
use chrono::Datelike;
use eframe::egui;

/// State of the report tab.
#[derive(Default)]
pub struct ReportTab {
    period: Option<ReportPeriod>,
    export: export::ExportSlot,
    printed: Option<Result<print::Opened, print::PrintError>>,
    /// A disclosure opened in the browser as it will be published.
    preview: Option<Result<print::Opened, print::PrintError>>,
    /// The report for the period it was made for.
    made: Option<FundReport>,
}

impl ReportTab {
    /// Forgets the report (the ledger changed).
    pub fn invalidate(&mut self) {
        self.made = None;
    }

    /// Shows the tab for `year`.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, year: i32) {
        let default = if view.today.year() == year {
            ReportPeriod::quarter_of(view.today)
        } else {
            ReportPeriod::Year(year)
        };
        if self.period.is_none_or(|p| p.year() != year) {
            self.period = Some(default);
        }
        let period = self.period.unwrap_or(default);
        ui.horizontal_wrapped(|ui| {
            ui.label("报告期间");
            for q in 1..=4u8 {
                let p = ReportPeriod::Quarter(year, q);
                if ui
                    .selectable_label(period == p, format!("第{q}季度"))
                    .clicked()
                {
                    self.period = Some(p);
                }
            }
            let p = ReportPeriod::Year(year);
            if ui.selectable_label(period == p, "全年").clicked() {
                self.period = Some(p);
            }
        });
        let period = self.period.unwrap_or(default);
        let Some(fy) = view.ledger.funds.get(&year) else {
            widgets::hint(ui, &format!("{year}年还没有经费记录。"));
            return;
        };
        if self.made.as_ref().is_none_or(|r| r.period != period) {
            self.made = Some(report(fy, &view.ledger.committee, period));
        }
        let Some(r) = &self.made else {
            return;
        };
        let doc = || document(view, r);
        ui.horizontal(|ui| {
            if ui.button("打印报告").clicked() {
                self.printed = Some(super::document::html(&doc()).and_then(print::open));
            }
            if ui.button("导出 Excel").clicked() {
                self.export.open(&period.title(), view.today);
            }
            widgets::hint(ui, "每项经费一页（Excel 中一个工作表），含合计和签字栏。");
        });
        self.export.show(ui, doc);
        if let Some(opened) = &mut self.printed {
            print::show_opened(ui, opened);
        }
        ui.horizontal_wrapped(|ui| {
            ui.label("预览公示（按公示时的样子）：");
            for f in &r.funds {
                if ui.button(f.fund.label()).clicked() {
                    self.preview = Some(print::open_notice(view, |settings, root| {
                        crate::publish::preview::fund_disclosure(
                            view.ledger,
                            settings,
                            root,
                            f.fund,
                            period.last(),
                            view.today,
                        )
                    }));
                }
            }
        });
        widgets::hint(
            ui,
            "预览本期末所在半年度（或季度）的经费公示；公示在那一期结束后随网站发布，内容与预览一致。",
        );
        if let Some(opened) = &mut self.preview {
            print::show_opened(ui, opened);
        }
        ui.add_space(6.0);
        egui::ScrollArea::vertical()
            .id_salt("fund_report_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| on_screen(ui, r));
    }
}

/// The report in the window: each fund's money in one table, then what is open.
fn on_screen(ui: &mut egui::Ui, r: &FundReport) {
    ui.heading(r.period.title());
    egui::Grid::new("fund_report_money")
        .num_columns(8)
        .striped(true)
        .spacing([20.0, 4.0])
        .show(ui, |ui| {
            ui.strong("经费");
            if let Some(first) = r.funds.first() {
                for (label, _) in figures(first) {
                    ui.strong(label);
                }
            }
            ui.strong("本期笔数");
            ui.end_row();
            for f in &r.funds {
                ui.label(f.fund.label());
                for (_, value) in figures(f) {
                    match value {
                        Cell::Money(m) if m < Fen(0) => widgets::error(ui, &format!("{m} 元")),
                        Cell::Money(m) => {
                            ui.label(format!("{m} 元"));
                        }
                        Cell::Text(t) | Cell::Code(t) => {
                            ui.label(t);
                        }
                        Cell::Count(n) => {
                            ui.label(n.to_string());
                        }
                    }
                }
                ui.label(f.items.len().to_string());
                ui.end_row();
            }
        });
    for f in &r.funds {
        if !f.planned {
            widgets::error(ui, &format!("{}今年还没有年度计划。", f.fund.label()));
        }
        if let Some(s) = &f.office_share {
            widgets::hint(ui, &format!("办公经费累计占居委会工作经费预算 {s}"));
        }
    }
    ui.add_space(8.0);
    ui.strong(format!("先支后补未补办：{} 笔", r.paid_first_open.len()));
    let open: Vec<String> = r
        .paid_first_open
        .iter()
        .map(|i| format!("{} {} {} {} 元", i.number, i.on, i.purpose, i.amount))
        .collect();
    first_lines(ui, &open, true);
    ui.add_space(6.0);
    ui.strong(format!("提示：{} 条", r.warnings.len()));
    first_lines(ui, &r.warnings, false);
}

/// On screen, a long list shows its first lines only (the whole of it is in the printed and
/// exported report): a busy year has thousands of warnings.
const SHOWN_LINES: usize = 30;

fn first_lines(ui: &mut egui::Ui, lines: &[String], red: bool) {
    for line in lines.iter().take(SHOWN_LINES) {
        if red {
            widgets::error(ui, line);
        } else {
            ui.label(line);
        }
    }
    if lines.len() > SHOWN_LINES {
        widgets::hint(
            ui,
            &format!(
                "另有 {} 条未列出，全部见打印或导出的报告。",
                lines.len() - SHOWN_LINES
            ),
        );
    }
}

/// A fund's money, as the report's figures.
fn figures(f: &FundSection) -> Vec<(&'static str, Cell)> {
    vec![
        ("全年预算", Cell::Money(f.budget)),
        ("上年结转", Cell::Money(f.carried)),
        ("期初结余", Cell::Money(f.opening)),
        ("本期拨入", Cell::Money(f.received)),
        ("本期支出", Cell::Money(f.spent)),
        ("期末结余", Cell::Money(f.closing)),
    ]
}

const ITEM_HEADERS: [&str; 10] = [
    "编号",
    "日期",
    "类别",
    "收款方",
    "用途",
    "支付方式",
    "票据号",
    "金额（元）",
    "审批",
    "提示",
];

fn item_row(i: &ItemLine) -> Vec<Cell> {
    vec![
        Cell::Code(i.number.clone()),
        Cell::Code(i.on.format("%Y-%m-%d").to_string()),
        Cell::Code(i.category.label().to_owned()),
        Cell::text(&i.payee),
        Cell::text(&i.purpose),
        Cell::Code(i.method.to_owned()),
        Cell::Code(i.voucher.clone()),
        Cell::Money(i.amount),
        Cell::text(&i.approvals),
        Cell::text(&i.notes),
    ]
}

fn item_total(items: &[ItemLine]) -> Vec<Cell> {
    let mut row = vec![Cell::text(format!("合计 {} 笔", items.len()))];
    row.extend((0..6).map(|_| Cell::text("")));
    row.push(Cell::Money(items.iter().map(|i| i.amount).sum()));
    row.extend((0..2).map(|_| Cell::text("")));
    row
}

/// The report as a document: one part per fund, then the open items.
pub fn document(view: &View<'_>, r: &FundReport) -> Document {
    let mut parts: Vec<Part> = r.funds.iter().map(|f| fund_part(r, f)).collect();
    parts.push(open_part(r));
    Document {
        committee: view.committee_name(),
        title: r.period.title(),
        date: chinese_date(view.today),
        printed_by: view.member.to_owned(),
        parts,
    }
}

/// One fund's page: its money, its categories, its payments, the signatures.
fn fund_part(r: &FundReport, f: &FundSection) -> Part {
    let mut figures: Vec<(String, Cell)> = figures(f)
        .into_iter()
        .map(|(l, v)| (l.to_owned(), v))
        .collect();
    figures.push(("年初至期末累计支出".into(), Cell::Money(f.spent_to_date)));
    if let Some(s) = &f.office_share {
        figures.push(("办公经费占预算".into(), Cell::text(s)));
    }
    let categories = Table {
        caption: "分类支出".into(),
        headers: [
            "类别",
            "年度计划（元）",
            "本期笔数",
            "本期支出（元）",
            "累计支出（元）",
        ]
        .map(String::from)
        .to_vec(),
        rows: f
            .categories
            .iter()
            .map(|c| {
                vec![
                    Cell::text(c.category.label()),
                    Cell::Money(c.planned),
                    Cell::Count(c.count),
                    Cell::Money(c.spent),
                    Cell::Money(c.spent_to_date),
                ]
            })
            .collect(),
        total: Some(vec![
            Cell::text("合计"),
            Cell::Money(f.categories.iter().map(|c| c.planned).sum()),
            Cell::Count(f.categories.iter().map(|c| c.count).sum()),
            Cell::Money(f.spent),
            Cell::Money(f.spent_to_date),
        ]),
        empty: String::new(),
    };
    let items = Table {
        caption: "支出明细".into(),
        headers: ITEM_HEADERS.map(String::from).to_vec(),
        rows: f.items.iter().map(item_row).collect(),
        total: Some(item_total(&f.items)),
        empty: "本期没有支出。".into(),
    };
    Part {
        name: f.fund.label().to_owned(),
        title: format!("{}　{}", r.period.label(), f.fund.label()),
        figures,
        tables: vec![categories, items],
        signatures: ["经办人", "主任", "书记"].map(String::from).to_vec(),
    }
}

/// The last page: 先支后补 not yet filed, and every warning.
fn open_part(r: &FundReport) -> Part {
    Part {
        name: "待办与提示".into(),
        title: format!("{}　待办与提示", r.period.label()),
        figures: vec![
            (
                "先支后补未补办".into(),
                Cell::Count(r.paid_first_open.len()),
            ),
            ("提示".into(), Cell::Count(r.warnings.len())),
        ],
        tables: vec![
            Table {
                caption: "先支后补未补办审批".into(),
                headers: ITEM_HEADERS.map(String::from).to_vec(),
                rows: r.paid_first_open.iter().map(item_row).collect(),
                total: (!r.paid_first_open.is_empty()).then(|| item_total(&r.paid_first_open)),
                empty: "没有未补办的先支后补。".into(),
            },
            Table {
                caption: "提示".into(),
                headers: vec!["序号".into(), "内容".into()],
                rows: r
                    .warnings
                    .iter()
                    .enumerate()
                    .map(|(n, w)| vec![Cell::Count(n + 1), Cell::text(w)])
                    .collect(),
                total: None,
                empty: "没有提示。".into(),
            },
        ],
        signatures: Vec::new(),
    }
}
