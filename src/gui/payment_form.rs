//! The payment form of 经费, for a stack of receipts: 日期, 经费 and 类别 (only the fund's own),
//! 金额 in yuan (kept in fen exactly), 收款方 (an organisation of the ledger or typed; a person
//! for help, then only the category is public), 用途, 支付方式, 票据号, 关联实事项目, the approvals
//! (书记 and 主任 up to 500 yuan, the street office's review above) and 先支后补. Every rule is
//! checked as it is typed and said next to its field; a rule is set aside only with a reason
//! written beside it. The rules are in `model::draft::payment`.

use super::{View, widgets};
use crate::model::draft::{Field, Finding, MethodChoice, PaymentDraft};
use crate::model::{FundCategory, FundKind, FundYear, Payee, Payment, PaymentId};
use eframe::egui;

/// The payment being entered or corrected.
pub struct PaymentForm {
    /// Its number (new: the next of its year).
    pub id: Option<PaymentId>,
    /// What is typed.
    pub draft: PaymentDraft,
    /// Whether 保存 was tried (errors show from then on).
    pub tried: bool,
    /// Why the last 保存 was refused.
    pub refused: Vec<String>,
    /// Just opened: shown from its first field, wherever the last form was scrolled to.
    pub fresh: bool,
}

impl PaymentForm {
    /// A new payment dated `today` from `fund`, signed by nobody yet.
    pub fn new(today: chrono::NaiveDate, fund: Option<FundKind>) -> PaymentForm {
        PaymentForm {
            id: None,
            draft: PaymentDraft {
                on: today.format("%Y-%m-%d").to_string(),
                fund,
                ..PaymentDraft::default()
            },
            tried: false,
            refused: Vec::new(),
            fresh: true,
        }
    }

    /// The form of a payment already entered.
    pub fn edit(p: &Payment) -> PaymentForm {
        let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let signed = |role| {
            p.signatures
                .iter()
                .find(|s| s.role == role)
                .map(|s| date(s.on))
                .unwrap_or_default()
        };
        let (individual, organisation, payee, household) = match &p.payee {
            Payee::Organisation { name, id } => (false, *id, name.clone(), None),
            Payee::Individual { name, household } => (true, None, name.clone(), *household),
        };
        let (method, cash_listed) = match p.method {
            crate::model::PaymentMethod::OfficialCard => (MethodChoice::OfficialCard, false),
            crate::model::PaymentMethod::Transfer => (MethodChoice::Transfer, false),
            crate::model::PaymentMethod::Cash { listed } => (MethodChoice::Cash, listed),
        };
        PaymentForm {
            id: Some(p.id),
            draft: PaymentDraft {
                on: date(p.on),
                fund: Some(p.fund),
                category: Some(p.category),
                amount: p.amount.yuan_text(),
                individual,
                organisation,
                payee,
                household,
                purpose: p.purpose.clone(),
                method,
                cash_listed,
                voucher: p.voucher.clone(),
                project: p.project,
                secretary_on: signed(crate::model::Role::Secretary),
                director_on: signed(crate::model::Role::Director),
                street_on: p
                    .street_review
                    .as_ref()
                    .map(|r| date(r.on))
                    .unwrap_or_default(),
                street_reference: p
                    .street_review
                    .as_ref()
                    .map(|r| r.reference.clone())
                    .unwrap_or_default(),
                paid_first: p.paid_first,
                filed_on: p.filed_on.map(date).unwrap_or_default(),
                reasons: p
                    .overrides
                    .iter()
                    .map(|o| (o.rule, o.reason.clone()))
                    .collect(),
            },
            tried: false,
            refused: Vec::new(),
            fresh: true,
        }
    }

    /// Shows the fields with what each rule says beside them. `year` is the payment's year as
    /// the ledger holds it.
    pub fn fields(&mut self, ui: &mut egui::Ui, view: &View<'_>, year: Option<&FundYear>) {
        let ledger = view.ledger;
        let id = self.id.unwrap_or(PaymentId { year: 0, seq: 0 });
        let candidate = self
            .draft
            .payment(&ledger.committee, id, view.member, view.today);
        let empty = FundYear::default();
        let findings: Vec<Finding> = candidate
            .as_ref()
            .map(|p| self.draft.findings(p, year.unwrap_or(&empty)))
            .unwrap_or_default();
        let errors = if self.tried {
            self.draft.errors()
        } else {
            Vec::new()
        };
        // What the rules say is worked out from the form as it stood when this frame began; a
        // change made in it is said in the next frame, asked for at the end of this one.
        let before = self.draft.clone();
        let d = &mut self.draft;
        egui::Grid::new("payment_form")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                text(ui, "支出日期", &mut d.on, "2026-03-15", 110.0);
                ui.end_row();
                notes(ui, Field::Date, &errors, &findings, &mut d.reasons);
                fund_fields(ui, d);
                notes(ui, Field::Category, &errors, &findings, &mut d.reasons);
                text(ui, "金额（元）", &mut d.amount, "如 1280.50", 140.0);
                ui.end_row();
                notes(ui, Field::Amount, &errors, &findings, &mut d.reasons);
                payee_fields(ui, view, d);
                notes(ui, Field::Payee, &errors, &findings, &mut d.reasons);
                text(ui, "用途", &mut d.purpose, "如 独居老人节日慰问品", 420.0);
                ui.end_row();
                notes(ui, Field::Purpose, &errors, &findings, &mut d.reasons);
                method_fields(ui, d);
                notes(ui, Field::Method, &errors, &findings, &mut d.reasons);
                text(ui, "票据号", &mut d.voucher, "", 160.0);
                ui.end_row();
                notes(ui, Field::Voucher, &errors, &findings, &mut d.reasons);
                project_field(ui, view, d);
                approval_fields(ui, d);
                notes(ui, Field::Approval, &errors, &findings, &mut d.reasons);
            });
        if self.draft != before {
            ui.ctx().request_repaint();
        }
    }
}

/// A label and a one-line field keyed by its label: rows of warnings come and go above the
/// fields as one types.
fn text(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    width: f32,
) -> egui::Response {
    widgets::keyed_text_field(ui, ("payment_form", label), label, value, hint, width)
}

/// 经费 and 类别: only the chosen fund's own categories are offered.
fn fund_fields(ui: &mut egui::Ui, d: &mut PaymentDraft) {
    let l = ui.label("经费");
    ui.horizontal(|ui| {
        for f in FundKind::ALL {
            if ui.radio(d.fund == Some(f), f.label()).clicked() && d.fund != Some(f) {
                d.fund = Some(f);
                d.category = None;
            }
        }
    })
    .response
    .labelled_by(l.id);
    ui.end_row();
    let l = ui.label("类别");
    let selected = d.category.map_or("请选择", FundCategory::label);
    egui::ComboBox::from_id_salt("payment_category")
        .selected_text(selected)
        .show_ui(ui, |ui| {
            if let Some(f) = d.fund {
                for c in f.categories() {
                    ui.selectable_value(&mut d.category, Some(*c), c.label());
                }
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn payee_fields(ui: &mut egui::Ui, view: &View<'_>, d: &mut PaymentDraft) {
    let l = ui.label("收款方");
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            ui.radio_value(&mut d.individual, false, "单位");
            ui.radio_value(
                &mut d.individual,
                true,
                "个人（帮扶救助，只公开类别和合计）",
            );
        });
        ui.horizontal(|ui| {
            if !d.individual {
                let orgs = &view.ledger.committee.organisations;
                let name = d
                    .organisation
                    .and_then(|o| view.ledger.committee.organisation(o))
                    .map_or("台账中的单位…", |o| o.name.as_str());
                egui::ComboBox::from_id_salt("payment_org")
                    .selected_text(name)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut d.organisation, None, "（手填）");
                        for o in orgs {
                            ui.selectable_value(&mut d.organisation, Some(o.id), &o.name);
                        }
                    });
            }
            if d.individual || d.organisation.is_none() {
                let hint = if d.individual {
                    "姓名"
                } else {
                    "单位名称（与发票一致）"
                };
                ui.add(
                    egui::TextEdit::singleline(&mut d.payee)
                        .id_salt("payment_payee")
                        .hint_text(hint)
                        .desired_width(260.0),
                )
                .labelled_by(l.id);
            }
        });
    });
    ui.end_row();
}

fn method_fields(ui: &mut egui::Ui, d: &mut PaymentDraft) {
    let l = ui.label("支付方式");
    ui.horizontal(|ui| {
        ui.radio_value(&mut d.method, MethodChoice::OfficialCard, "公务卡");
        ui.radio_value(&mut d.method, MethodChoice::Transfer, "转账");
        ui.radio_value(&mut d.method, MethodChoice::Cash, "现金");
        if d.method == MethodChoice::Cash {
            ui.checkbox(&mut d.cash_listed, "属于区现金支付清单");
        }
    })
    .response
    .labelled_by(l.id);
    ui.end_row();
}

fn project_field(ui: &mut egui::Ui, view: &View<'_>, d: &mut PaymentDraft) {
    let l = ui.label("关联实事项目");
    let projects = &view.ledger.projects;
    let name = d
        .project
        .and_then(|p| projects.project(p))
        .map_or("不关联", |p| p.title.as_str());
    egui::ComboBox::from_id_salt("payment_project")
        .selected_text(name)
        .width(360.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut d.project, None, "不关联");
            // The projects that may still spend: approved, not yet closed.
            let current = d.project;
            for p in projects.projects.iter().filter(|p| {
                p.stage >= crate::model::ProjectStage::Approved
                    && p.stage < crate::model::ProjectStage::OutcomePublished
                    || current == Some(p.id)
            }) {
                ui.selectable_value(&mut d.project, Some(p.id), &p.title);
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn approval_fields(ui: &mut egui::Ui, d: &mut PaymentDraft) {
    ui.label("审批");
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            text(ui, "书记签批", &mut d.secretary_on, "日期", 100.0);
            text(ui, "主任签批", &mut d.director_on, "日期", 100.0);
        });
        ui.horizontal(|ui| {
            text(ui, "街道审核", &mut d.street_on, "日期（超过500元）", 130.0);
            text(ui, "审批单号", &mut d.street_reference, "", 140.0);
        });
        ui.horizontal(|ui| {
            ui.checkbox(
                &mut d.paid_first,
                "先支后补（紧急情况先支付，事后补办审批）",
            );
            if d.paid_first {
                text(ui, "补办日期", &mut d.filed_on, "补办后填写", 100.0);
            }
        });
    });
    ui.end_row();
}

/// Under a field: its errors, then each rule it breaks with a box for the reason that sets it
/// aside (and the reason, once written).
fn notes(
    ui: &mut egui::Ui,
    field: Field,
    errors: &[(Field, String)],
    findings: &[Finding],
    reasons: &mut std::collections::BTreeMap<crate::model::FundRule, String>,
) {
    let mine: Vec<&Finding> = findings.iter().filter(|f| f.field == field).collect();
    let errs: Vec<&String> = errors
        .iter()
        .filter(|(f, _)| *f == field)
        .map(|(_, e)| e)
        .collect();
    if mine.is_empty() && errs.is_empty() {
        return;
    }
    ui.label("");
    ui.vertical(|ui| {
        for e in errs {
            widgets::error(ui, e);
        }
        for f in mine {
            let colour = ui.visuals().warn_fg_color;
            ui.label(egui::RichText::new(format!("⚠ {}", f.text)).color(colour));
            if let Some(rule) = f.rule {
                let reason = reasons.entry(rule).or_default();
                ui.horizontal(|ui| {
                    text(
                        ui,
                        &format!("{}的理由", rule.label()),
                        reason,
                        "确需这样支出时写明理由，将随支出保存",
                        360.0,
                    );
                });
            } else {
                widgets::hint(ui, "补办审批后填写补办日期，提示即消除。");
            }
        }
    });
    ui.end_row();
}
