//! 经费: for a year, each fund's budget, what was carried over and received, what was spent and
//! the balance held; the payments of the year with filters that combine (经费, 类别, free text,
//! only those with a warning, 先支后补 not yet filed), drawn row by row; 登记支出 and a click on a
//! payment open the form (`payment_form`), where every rule is checked as it is typed. A
//! payment opens its project. The rules are in `model::fund_rules` and `model::draft::payment`.
//! The other tabs: 概览 (charts, `fund_overview`), 报告 (quarterly and yearly reports,
//! `fund_report`) and 年度计划与拨款 (`fund_plans`).

use super::payment_form::PaymentForm;
use super::{Action, View, widgets};
use crate::model::fund_rules::{balance, payment_issues};
use crate::model::{Collection, Edit, FundCategory, FundKind, Ledger, Payee, Payment};
use chrono::Datelike;
use eframe::egui;
use egui_extras::{Column, TableBuilder};

/// The list's filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Filters {
    fund: Option<FundKind>,
    category: Option<FundCategory>,
    text: String,
    warned: bool,
    paid_first_open: bool,
}

/// The views of the panel.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Payments,
    Overview,
    Report,
    Plans,
}

/// State of the 经费 panel.
#[derive(Default)]
pub struct FundsPanel {
    tab: Tab,
    plans: super::fund_plans::PlansTab,
    overview: super::fund_overview::OverviewTab,
    report: super::fund_report::ReportTab,
    year: Option<i32>,
    filters: Filters,
    /// Positions in the year's payments, newest first, for the filters they were drawn for.
    rows: Option<(i32, Filters, Vec<usize>)>,
    /// Each payment of the year as the text filter reads it (purpose, payee, voucher in lower
    /// case), made once per ledger change rather than at every key typed.
    haystacks: Option<(i32, Vec<String>)>,
    form: Option<PaymentForm>,
    message: Option<String>,
}

impl FundsPanel {
    /// Forgets what was computed from the ledger (it changed).
    pub fn invalidate(&mut self) {
        self.rows = None;
        self.haystacks = None;
        self.report.invalidate();
    }

    /// Opens a payment's form (from its project).
    pub fn open_payment(&mut self, id: crate::model::PaymentId, ledger: &Ledger) {
        let found = ledger
            .funds
            .get(&id.year)
            .and_then(|y| y.payments.iter().find(|p| p.id == id));
        if let Some(p) = found {
            self.tab = Tab::Payments;
            self.year = Some(id.year);
            self.form = Some(PaymentForm::edit(p));
            self.message = None;
        }
    }

    /// Shows this year's payments with a warning, or 先支后补 not yet filed (from 首页).
    pub fn open_filtered(&mut self, warned: bool, paid_first_open: bool) {
        self.tab = Tab::Payments;
        self.year = None;
        self.filters = Filters {
            warned,
            paid_first_open,
            ..Filters::default()
        };
    }

    /// Shows the panel.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let ledger = view.ledger;
        let mut years: Vec<i32> = ledger.funds.keys().copied().collect();
        if !years.contains(&view.today.year()) {
            years.push(view.today.year());
        }
        years.sort_unstable_by(|a, b| b.cmp(a));
        let year = *self.year.get_or_insert(view.today.year());
        ui.horizontal(|ui| {
            ui.heading("经费");
            ui.add_space(16.0);
            let l = ui.label("年度");
            egui::ComboBox::from_id_salt("fund_year")
                .selected_text(format!("{year}年"))
                .show_ui(ui, |ui| {
                    for y in &years {
                        ui.selectable_value(&mut self.year, Some(*y), format!("{y}年"));
                    }
                })
                .response
                .labelled_by(l.id);
            ui.add_space(16.0);
            ui.selectable_value(&mut self.tab, Tab::Payments, "支出");
            ui.selectable_value(&mut self.tab, Tab::Overview, "概览");
            ui.selectable_value(&mut self.tab, Tab::Report, "报告");
            ui.selectable_value(&mut self.tab, Tab::Plans, "年度计划与拨款");
            ui.add_space(16.0);
            if self.form.is_none()
                && ui
                    .add_enabled(!view.read_only, egui::Button::new("登记支出"))
                    .clicked()
            {
                self.form = Some(PaymentForm::new(view.today, self.filters.fund));
                self.message = None;
                self.tab = Tab::Payments;
            }
            if let Some(m) = &self.message {
                widgets::hint(ui, m);
            }
        });
        if view.unloaded.contains(&Collection::Funds(year)) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("正在读取这一年的经费记录……");
            });
            return;
        }
        balances(ui, ledger, year);
        if self.tab != Tab::Payments {
            ui.separator();
            match self.tab {
                Tab::Overview => self.overview.show(ui, view, year),
                Tab::Report => self.report.show(ui, view, year),
                _ => self.plans.show(ui, view, year, actions),
            }
            return;
        }
        self.form_ui(ui, view, actions);
        ui.separator();
        self.filter_bar(ui);
        self.list(ui, view, year);
    }

    fn filter_bar(&mut self, ui: &mut egui::Ui) {
        let f = &mut self.filters;
        ui.horizontal_wrapped(|ui| {
            widgets::text_field(ui, "查找", &mut f.text, "用途、收款方、票据号", 200.0);
            let l = ui.label("经费");
            egui::ComboBox::from_id_salt("fund_filter")
                .selected_text(f.fund.map_or("全部", FundKind::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.fund, None, "全部");
                    for k in FundKind::ALL {
                        ui.selectable_value(&mut f.fund, Some(k), k.label());
                    }
                })
                .response
                .labelled_by(l.id);
            if f.category
                .is_some_and(|c| f.fund.is_some_and(|k| c.fund() != k))
            {
                f.category = None;
            }
            let l = ui.label("类别");
            egui::ComboBox::from_id_salt("fund_category_filter")
                .selected_text(f.category.map_or("全部", FundCategory::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.category, None, "全部");
                    let funds = f.fund.map_or(FundKind::ALL.to_vec(), |k| vec![k]);
                    for c in funds.iter().flat_map(|k| k.categories()) {
                        ui.selectable_value(&mut f.category, Some(*c), c.label());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.checkbox(&mut f.warned, "只看有提示的");
            ui.checkbox(&mut f.paid_first_open, "先支后补未补办");
        });
    }

    fn list(&mut self, ui: &mut egui::Ui, view: &View<'_>, year: i32) {
        let ledger = view.ledger;
        let empty = Vec::new();
        let payments = ledger.funds.get(&year).map_or(&empty, |y| &y.payments);
        if self
            .rows
            .as_ref()
            .is_none_or(|(y, f, _)| *y != year || *f != self.filters)
        {
            if self.haystacks.as_ref().is_none_or(|(y, _)| *y != year) {
                self.haystacks = Some((year, payments.iter().map(haystack).collect()));
            }
            let hay = self
                .haystacks
                .as_ref()
                .map_or(&[][..], |(_, h)| h.as_slice());
            let rows = search(payments, hay, &self.filters);
            self.rows = Some((year, self.filters.clone(), rows));
        }
        let Some((_, _, rows)) = &self.rows else {
            return;
        };
        let total: crate::model::Fen = rows
            .iter()
            .filter_map(|&i| payments.get(i))
            .map(|p| p.amount)
            .sum();
        ui.horizontal(|ui| {
            ui.strong(format!("共 {} 笔，合计 {total} 元", rows.len()));
            widgets::hint(ui, "点击一笔修改或补录审批；有提示的标出原因。");
        });
        if let Some(p) = table(ui, payments, rows) {
            // A form being filled in is never replaced by a click in the list.
            if self.form.is_none() {
                self.form = Some(PaymentForm::edit(p));
                self.message = None;
            } else {
                self.message = Some("请先保存或取消正在填写的支出，再打开另一笔。".to_owned());
            }
        }
    }

    fn form_ui(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let Some(form) = &mut self.form else {
            return;
        };
        let ledger = view.ledger;
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.strong(match form.id {
                Some(id) => format!("支出 {}-{:04}", id.year, id.seq),
                None => "登记支出".to_owned(),
            });
            let year = crate::model::draft::parse_day(&form.draft.on)
                .map_or(view.today.year(), |d| d.year());
            let mut area = egui::ScrollArea::vertical()
                .id_salt("payment_form_scroll")
                .auto_shrink([false, true])
                .max_height((ui.available_height() - 200.0).max(240.0));
            if std::mem::take(&mut form.fresh) {
                area = area.vertical_scroll_offset(0.0);
            }
            area.show(ui, |ui| {
                form.fields(ui, view, ledger.funds.get(&year));
            });
            for e in &form.refused {
                widgets::error(ui, e);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!view.read_only, egui::Button::new("保存支出"))
                    .clicked()
                {
                    form.tried = true;
                    match save(form, view, year) {
                        Ok((label, edits, text)) => {
                            actions.push(Action::Edit(label, edits));
                            self.message = Some(text);
                            close = true;
                        }
                        Err(e) => form.refused = e,
                    }
                }
                if let Some(project) = form.draft.project
                    && ui.button("打开关联的实事项目").clicked()
                {
                    actions.push(Action::OpenProject(project));
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.form = None;
        }
    }
}

/// The edit that saves the form: the payment (moved to its new year's file if its date moved
/// it), or why not.
fn save(
    form: &PaymentForm,
    view: &View<'_>,
    year: i32,
) -> Result<(String, Edit, String), Vec<String>> {
    let ledger = view.ledger;
    if view.unloaded.contains(&Collection::Funds(year)) {
        return Err(vec!["这一年的经费记录还在读取，请稍候几秒再保存。".into()]);
    }
    let empty = crate::model::FundYear::default();
    let fund_year = ledger.funds.get(&year).unwrap_or(&empty);
    // A payment keeps its number within its year; a date moved to another year gives it the
    // next number there.
    let id = match form.id {
        Some(id) if id.year == year => id,
        _ => fund_year.next_payment_id(year),
    };
    let payment = form
        .draft
        .build(&ledger.committee, fund_year, id, view.member, view.today)?;
    let label = format!("支出 {}-{:04}", id.year, id.seq);
    let text = format!("已保存{label}：{} 元", payment.amount);
    let mut edits = vec![Edit::Payment(id, Some(Box::new(payment)))];
    if let Some(old) = form.id.filter(|old| *old != id) {
        edits.push(Edit::Payment(old, None));
    }
    Ok((label, Edit::Batch(edits), text))
}

/// Each fund's budget, carried over, received, spent and balance in `year`.
fn balances(ui: &mut egui::Ui, ledger: &Ledger, year: i32) {
    let Some(fy) = ledger.funds.get(&year) else {
        widgets::hint(ui, &format!("{year}年还没有经费记录。"));
        return;
    };
    egui::Grid::new("fund_balances")
        .num_columns(6)
        .striped(true)
        .spacing([24.0, 4.0])
        .show(ui, |ui| {
            for t in ["经费", "预算", "上年结转", "本年拨入", "已支出", "结余"] {
                ui.strong(t);
            }
            ui.end_row();
            for fund in FundKind::ALL {
                let b = balance(fy, fund);
                ui.label(fund.label());
                ui.label(format!("{} 元", b.budget));
                ui.label(format!("{} 元", b.carried));
                ui.label(format!("{} 元", b.received));
                if b.spent > b.budget && b.budget > crate::model::Fen(0) {
                    widgets::error(ui, &format!("{} 元（超出预算）", b.spent));
                } else {
                    ui.label(format!("{} 元", b.spent));
                }
                if b.balance() < crate::model::Fen(0) {
                    widgets::error(ui, &format!("{} 元", b.balance()));
                } else {
                    ui.label(format!("{} 元", b.balance()));
                }
                ui.end_row();
            }
        });
}

/// What the text filter reads of a payment.
fn haystack(p: &Payment) -> String {
    format!("{} {} {}", p.purpose, payee_name(p), p.voucher).to_lowercase()
}

/// The payments that pass the filters, newest first; `hay` holds each one's [`haystack`].
fn search(payments: &[Payment], hay: &[String], f: &Filters) -> Vec<usize> {
    let words: Vec<String> = f.text.split_whitespace().map(str::to_lowercase).collect();
    let mut rows: Vec<usize> = (0..payments.len())
        .filter(|&i| {
            let p = &payments[i];
            f.fund.is_none_or(|k| p.fund == k)
                && f.category.is_none_or(|c| p.category == c)
                && (!f.paid_first_open || p.paid_first && p.filed_on.is_none())
                && (!f.warned || !payment_issues(p).is_empty())
                && (words.is_empty()
                    || hay
                        .get(i)
                        .is_some_and(|h| words.iter().all(|w| h.contains(w.as_str()))))
        })
        .collect();
    rows.sort_by_key(|&i| std::cmp::Reverse((payments[i].on, payments[i].id.seq)));
    rows
}

fn payee_name(p: &Payment) -> &str {
    match &p.payee {
        Payee::Organisation { name, .. } | Payee::Individual { name, .. } => name,
    }
}

/// The rows; returns the payment clicked.
fn table<'a>(ui: &mut egui::Ui, payments: &'a [Payment], rows: &[usize]) -> Option<&'a Payment> {
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    ui.style_mut().interaction.selectable_labels = false;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
    let mut opened = None;
    TableBuilder::new(ui)
        .striped(true)
        .sense(egui::Sense::click())
        .id_salt("payment_list")
        .column(Column::exact(84.0))
        .column(Column::exact(96.0))
        .column(Column::exact(110.0))
        .column(Column::exact(110.0))
        .column(Column::exact(170.0))
        .column(Column::remainder().at_least(160.0))
        .column(Column::exact(110.0))
        .column(Column::exact(160.0))
        .header(row_height, |mut header| {
            for t in [
                "编号",
                "日期",
                "经费",
                "类别",
                "收款方",
                "用途",
                "金额（元）",
                "提示",
            ] {
                header.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let Some(p) = rows.get(row.index()).and_then(|&i| payments.get(i)) else {
                    return;
                };
                cells(&mut row, p);
                if row.response().clicked() {
                    opened = Some(p);
                }
            });
        });
    opened
}

fn cells(row: &mut egui_extras::TableRow<'_, '_>, p: &Payment) {
    row.col(|ui| {
        ui.label(format!("{}-{:04}", p.id.year, p.id.seq));
    });
    row.col(|ui| {
        ui.label(p.on.format("%Y-%m-%d").to_string());
    });
    row.col(|ui| {
        ui.label(short_fund(p.fund));
    });
    row.col(|ui| {
        ui.label(p.category.label());
    });
    row.col(|ui| {
        ui.label(match &p.payee {
            Payee::Organisation { name, .. } => name.clone(),
            Payee::Individual { name, .. } => format!("个人：{name}"),
        });
    });
    row.col(|ui| {
        ui.label(&p.purpose);
    });
    row.col(|ui| {
        ui.label(p.amount.to_string());
    });
    row.col(|ui| {
        let issues = payment_issues(p);
        if let Some(first) = issues.first() {
            let text = first.rule().map_or("先支后补未补办", |r| r.label());
            let more = if issues.len() > 1 {
                format!(" 等 {} 条", issues.len())
            } else {
                String::new()
            };
            let all: Vec<String> = issues.iter().map(|i| i.message()).collect();
            let colour = ui.visuals().warn_fg_color;
            ui.label(egui::RichText::new(format!("{text}{more}")).color(colour))
                .on_hover_text(all.join("\n"));
        } else if !p.overrides.is_empty() {
            widgets::hint(ui, "已说明理由");
        }
    });
}

/// A fund's name short enough for a column.
fn short_fund(f: FundKind) -> &'static str {
    match f {
        FundKind::Work => "工作经费",
        FundKind::PartyService => "服务群众经费",
        FundKind::Foundation => "基金会资金",
    }
}
