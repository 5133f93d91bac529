//! 年度计划与拨款, a tab of 经费: for each fund of a year, its plan (the budget the street set,
//! the balance carried from last year, main uses, key projects, planned amounts per category)
//! and the money received (拨款), with the forms to set the plan and to record money received.
//! The rules are in `model::draft::fund_plan`.

use super::{Action, View, widgets};
use crate::model::draft::{IncomeDraft, PlanDraft};
use crate::model::{Edit, FundKind, FundYear};
use eframe::egui;

/// The form open in the tab.
enum Form {
    Plan(FundKind, PlanDraft, Vec<String>),
    Income(FundKind, IncomeDraft, Vec<String>),
}

/// State of the tab.
#[derive(Default)]
pub struct PlansTab {
    form: Option<Form>,
}

impl PlansTab {
    /// Shows the plans and income of `year`.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        year: i32,
        actions: &mut Vec<Action>,
    ) {
        let empty = FundYear::default();
        let fy = view.ledger.funds.get(&year).unwrap_or(&empty);
        let writable = !view.read_only && self.form.is_none();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for fund in FundKind::ALL {
                    ui.add_space(8.0);
                    ui.strong(fund.label());
                    plan_summary(ui, fy, fund);
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(
                                writable,
                                egui::Button::new(format!("编辑{}计划", short(fund))),
                            )
                            .clicked()
                        {
                            self.form =
                                Some(Form::Plan(fund, PlanDraft::of(fy.plan(fund)), Vec::new()));
                        }
                        if ui
                            .add_enabled(
                                writable,
                                egui::Button::new(format!("登记{}拨款", short(fund))),
                            )
                            .clicked()
                        {
                            let draft = IncomeDraft {
                                on: view.today.format("%Y-%m-%d").to_string(),
                                ..IncomeDraft::default()
                            };
                            self.form = Some(Form::Income(fund, draft, Vec::new()));
                        }
                    });
                    if self.form.as_ref().is_some_and(|f| form_fund(f) == fund) {
                        self.form_ui(ui, fy, year, actions);
                    }
                    income_list(ui, view, fy, year, fund, actions);
                    ui.separator();
                }
            });
    }

    fn form_ui(&mut self, ui: &mut egui::Ui, fy: &FundYear, year: i32, actions: &mut Vec<Action>) {
        let Some(form) = &mut self.form else {
            return;
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            match form {
                Form::Plan(fund, d, errors) => {
                    plan_fields(ui, *fund, d);
                    for e in errors.iter() {
                        widgets::error(ui, e);
                    }
                    ui.horizontal(|ui| {
                        if ui.button("保存计划").clicked() {
                            match d.build(*fund) {
                                Ok(plan) => {
                                    actions.push(Action::Edit(
                                        format!("{year}年{}计划", fund.label()),
                                        Edit::FundPlan(year, *fund, Some(Box::new(plan))),
                                    ));
                                    close = true;
                                }
                                Err(e) => *errors = e,
                            }
                        }
                        close |= ui.button("取消").clicked();
                    });
                }
                Form::Income(fund, d, errors) => {
                    ui.horizontal_wrapped(|ui| {
                        widgets::text_field(ui, "拨款到账日期", &mut d.on, "", 110.0);
                        widgets::text_field(ui, "拨款金额（元）", &mut d.amount, "", 120.0);
                        widgets::text_field(
                            ui,
                            "拨款文号",
                            &mut d.reference,
                            "或到账凭证号",
                            180.0,
                        );
                        widgets::text_field(ui, "备注", &mut d.note, "", 200.0);
                    });
                    for e in errors.iter() {
                        widgets::error(ui, e);
                    }
                    ui.horizontal(|ui| {
                        if ui.button("保存拨款").clicked() {
                            match d.build(*fund, year) {
                                Ok(income) => {
                                    let mut list = fy.income.clone();
                                    list.push(income);
                                    list.sort_by_key(|i| i.on);
                                    actions.push(Action::Edit(
                                        format!("{year}年{}拨款", fund.label()),
                                        Edit::Incomes(year, list),
                                    ));
                                    close = true;
                                }
                                Err(e) => *errors = e,
                            }
                        }
                        close |= ui.button("取消").clicked();
                    });
                }
            }
        });
        if close {
            self.form = None;
        }
    }
}

fn form_fund(f: &Form) -> FundKind {
    match f {
        Form::Plan(fund, ..) | Form::Income(fund, ..) => *fund,
    }
}

fn short(f: FundKind) -> &'static str {
    match f {
        FundKind::Work => "工作经费",
        FundKind::PartyService => "服务群众经费",
        FundKind::Foundation => "基金会资金",
    }
}

fn plan_summary(ui: &mut egui::Ui, fy: &FundYear, fund: FundKind) {
    let Some(plan) = fy.plan(fund) else {
        widgets::hint(ui, "还没有本年度计划：支出都会提示为计划外。");
        return;
    };
    ui.label(format!(
        "预算 {} 元；上年结转 {} 元；主要用途：{}",
        plan.budget, plan.carried_over, plan.main_uses
    ));
    if !plan.key_projects.is_empty() {
        ui.label(format!("重点项目：{}", plan.key_projects.join("、")));
    }
    let planned: Vec<String> = plan
        .items
        .iter()
        .map(|i| format!("{} {} 元", i.category.label(), i.amount))
        .collect();
    widgets::hint(ui, &format!("计划明细：{}", planned.join("；")));
}

fn plan_fields(ui: &mut egui::Ui, fund: FundKind, d: &mut PlanDraft) {
    egui::Grid::new(("plan_form", fund))
        .num_columns(2)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            widgets::text_field(ui, "预算（元）", &mut d.budget, "街道核定", 140.0);
            ui.end_row();
            widgets::text_field(ui, "上年结转（元）", &mut d.carried, "没有填 0", 140.0);
            ui.end_row();
            widgets::text_field(ui, "主要用途", &mut d.main_uses, "", 420.0);
            ui.end_row();
            let l = ui.label("重点项目");
            ui.add(
                egui::TextEdit::multiline(&mut d.key_projects)
                    .hint_text("每行一个")
                    .desired_rows(2)
                    .desired_width(420.0),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
    ui.strong("计划明细");
    let mut remove = None;
    for (n, (category, description, amount)) in d.items.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt(("plan_item", fund, n))
                .selected_text(category.map_or("类别", |c| c.label()))
                .show_ui(ui, |ui| {
                    for c in fund.categories() {
                        ui.selectable_value(category, Some(*c), c.label());
                    }
                });
            ui.add(
                egui::TextEdit::singleline(description)
                    .hint_text("用途")
                    .desired_width(240.0),
            );
            ui.add(
                egui::TextEdit::singleline(amount)
                    .hint_text("金额（元）")
                    .desired_width(110.0),
            );
            if ui.small_button("删除").clicked() {
                remove = Some(n);
            }
        });
    }
    if let Some(n) = remove {
        d.items.remove(n);
    }
    if ui.button("添加一项").clicked() {
        d.items.push((None, String::new(), String::new()));
    }
}

fn income_list(
    ui: &mut egui::Ui,
    view: &View<'_>,
    fy: &FundYear,
    year: i32,
    fund: FundKind,
    actions: &mut Vec<Action>,
) {
    let mine: Vec<(usize, &crate::model::Income)> = fy
        .income
        .iter()
        .enumerate()
        .filter(|(_, i)| i.fund == fund)
        .collect();
    if mine.is_empty() {
        widgets::hint(ui, "还没有登记拨款：结余只按上年结转计算。");
        return;
    }
    let mut remove = None;
    egui::Grid::new(("income", fund))
        .num_columns(5)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for t in ["到账日期", "金额（元）", "拨款文号", "备注", ""] {
                ui.strong(t);
            }
            ui.end_row();
            for (at, i) in mine {
                ui.label(i.on.to_string());
                ui.label(i.amount.to_string());
                ui.label(&i.reference);
                ui.label(&i.note);
                if ui
                    .add_enabled(!view.read_only, egui::Button::new("删除").small())
                    .clicked()
                {
                    remove = Some(at);
                }
                ui.end_row();
            }
        });
    if let Some(at) = remove {
        let mut list = fy.income.clone();
        list.remove(at);
        actions.push(Action::Edit(
            format!("删除{year}年{}拨款", fund.label()),
            Edit::Incomes(year, list),
        ));
    }
}
