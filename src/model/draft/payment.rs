//! The payment form of 经费, fast enough for a stack of receipts: what is typed is checked as it
//! is typed. Mistakes that make no record (a date that is not one, an amount that is not exact
//! to the fen, a category of another fund, no payee or purpose) are errors; the fund's rules
//! (outside the plan, over budget, office costs over 35%, a use the fund may not pay, no
//! voucher, an approval missing, cash outside the list) are findings shown next to their field,
//! each of which may be set aside only with a written reason that is kept with the payment.
//! 先支后补 is allowed and stays flagged until its approval is filed.

use super::{FormError, parse_date};
use crate::model::committee::{CommitteeBook, OrganisationId, Role};
use crate::model::fund::{
    FundCategory, FundKind, FundRule, FundYear, Override, Payee, Payment, PaymentId, PaymentMethod,
    Signature, StreetReview,
};
use crate::model::fund_rules::{FundIssue, office_share, payment_issues};
use crate::model::household::HouseholdId;
use crate::model::money::Fen;
use crate::model::project::ProjectId;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The fields of the form, so that each finding is shown next to its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// 日期.
    Date,
    /// 类别.
    Category,
    /// 金额.
    Amount,
    /// 收款方.
    Payee,
    /// 用途.
    Purpose,
    /// 支付方式.
    Method,
    /// 票据号.
    Voucher,
    /// 审批.
    Approval,
}

/// How the payment was made, as chosen on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MethodChoice {
    /// 公务卡.
    #[default]
    OfficialCard,
    /// 转账.
    Transfer,
    /// 现金.
    Cash,
}

/// A rule the payment breaks as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule, when it may be set aside with a reason; `None` when it is only flagged
    /// (先支后补 until filed).
    pub rule: Option<FundRule>,
    /// Where it shows.
    pub field: Field,
    /// What it says.
    pub text: String,
}

/// A payment as the form holds it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PaymentDraft {
    /// 日期.
    pub on: String,
    /// 经费.
    pub fund: Option<FundKind>,
    /// 类别 (only the fund's own are offered).
    pub category: Option<FundCategory>,
    /// 金额 in yuan as typed.
    pub amount: String,
    /// Paid to a person (help): then only the category is public.
    pub individual: bool,
    /// 收款单位 from the ledger's organisations, if it is one.
    pub organisation: Option<OrganisationId>,
    /// 收款方 as typed (an organisation not in the ledger, or the person).
    pub payee: String,
    /// The person's household, for help paid to a resident.
    pub household: Option<HouseholdId>,
    /// 用途.
    pub purpose: String,
    /// 支付方式.
    pub method: MethodChoice,
    /// Cash: the item is on the district's cash list.
    pub cash_listed: bool,
    /// 票据号.
    pub voucher: String,
    /// 关联实事项目.
    pub project: Option<ProjectId>,
    /// 书记签批日期 as typed (empty: not signed).
    pub secretary_on: String,
    /// 主任签批日期 as typed.
    pub director_on: String,
    /// 街道审核日期 as typed.
    pub street_on: String,
    /// 街道审批单号.
    pub street_reference: String,
    /// 先支后补.
    pub paid_first: bool,
    /// 补办审批日期 as typed.
    pub filed_on: String,
    /// The reason typed for setting each rule aside.
    pub reasons: BTreeMap<FundRule, String>,
}

/// The first worker in service with `role`.
fn worker_with(
    committee: &CommitteeBook,
    role: Role,
    on: NaiveDate,
) -> Option<&crate::model::Worker> {
    committee
        .workers
        .iter()
        .find(|w| w.has_role(role) && w.active_on(on))
}

impl PaymentDraft {
    /// The errors that keep the form from making a record, each with its field.
    pub fn errors(&self) -> Vec<(Field, FormError)> {
        let mut out = Vec::new();
        match parse_date(&self.on, "日期", "支出") {
            Ok(Some(_)) => {}
            Ok(None) => out.push((Field::Date, "请填写支出日期".to_owned())),
            Err(e) => out.push((Field::Date, e)),
        }
        match (self.fund, self.category) {
            (None, _) => out.push((Field::Category, "请选择经费".to_owned())),
            (_, None) => out.push((Field::Category, "请选择支出类别".to_owned())),
            (Some(f), Some(c)) if c.fund() != f => out.push((
                Field::Category,
                format!("“{}”不属于{}，请另选类别", c.label(), f.label()),
            )),
            _ => {}
        }
        match Fen::parse_yuan(&self.amount) {
            Ok(a) if a <= Fen(0) => out.push((Field::Amount, "金额须大于零".to_owned())),
            Ok(_) => {}
            Err(e) => out.push((Field::Amount, e.to_string())),
        }
        if self.organisation.is_none() && self.payee.trim().is_empty() {
            out.push((Field::Payee, "请填写收款方".to_owned()));
        }
        if self.purpose.trim().is_empty() {
            out.push((Field::Purpose, "请写明用途".to_owned()));
        }
        for (text, name) in [
            (&self.secretary_on, "书记签批日期"),
            (&self.director_on, "主任签批日期"),
            (&self.street_on, "街道审核日期"),
            (&self.filed_on, "补办审批日期"),
        ] {
            if let Err(e) = parse_date(text, name, "审批") {
                out.push((Field::Approval, e));
            }
        }
        out
    }

    /// The payment as typed (its overrides as typed, reasons possibly blank), if the form
    /// makes a record at all.
    pub fn payment(
        &self,
        committee: &CommitteeBook,
        id: PaymentId,
        by: &str,
        today: NaiveDate,
    ) -> Option<Payment> {
        if !self.errors().is_empty() {
            return None;
        }
        let on = parse_date(&self.on, "", "").ok().flatten()?;
        let date = |t: &str| parse_date(t, "", "").ok().flatten();
        let mut signatures = Vec::new();
        for (role, text) in [
            (Role::Secretary, &self.secretary_on),
            (Role::Director, &self.director_on),
        ] {
            if let (Some(d), Some(w)) = (date(text), worker_with(committee, role, on)) {
                signatures.push(Signature {
                    worker: w.id,
                    role,
                    on: d,
                });
            }
        }
        let payee = if self.individual {
            Payee::Individual {
                name: self.payee.trim().to_owned(),
                household: self.household,
            }
        } else {
            let known = self.organisation.and_then(|o| committee.organisation(o));
            Payee::Organisation {
                name: known.map_or_else(|| self.payee.trim().to_owned(), |o| o.name.clone()),
                id: known.map(|o| o.id),
            }
        };
        Some(Payment {
            id,
            fund: self.fund?,
            category: self.category?,
            on,
            payee,
            purpose: self.purpose.trim().to_owned(),
            amount: Fen::parse_yuan(&self.amount).ok()?,
            voucher: self.voucher.trim().to_owned(),
            method: match self.method {
                MethodChoice::OfficialCard => PaymentMethod::OfficialCard,
                MethodChoice::Transfer => PaymentMethod::Transfer,
                MethodChoice::Cash => PaymentMethod::Cash {
                    listed: self.cash_listed,
                },
            },
            project: self.project,
            signatures,
            street_review: date(&self.street_on).map(|d| StreetReview {
                on: d,
                reference: self.street_reference.trim().to_owned(),
            }),
            paid_first: self.paid_first,
            filed_on: date(&self.filed_on),
            recorded_by: by.to_owned(),
            overrides: self
                .reasons
                .iter()
                .filter(|(_, r)| !r.trim().is_empty())
                .map(|(rule, reason)| Override {
                    rule: *rule,
                    reason: reason.trim().to_owned(),
                    by: by.to_owned(),
                    on: today,
                })
                .collect(),
        })
    }

    /// What the fund's rules say of the payment as typed, in `year` (the payment replacing the
    /// one it edits, if any), each next to its field. Rules set aside with a reason are
    /// still listed: the form shows the reason beside them.
    pub fn findings(&self, candidate: &Payment, year: &FundYear) -> Vec<Finding> {
        let mut bare = candidate.clone();
        bare.overrides.clear();
        let mut out: Vec<Finding> = payment_issues(&bare)
            .into_iter()
            .filter(|i| !matches!(i, FundIssue::WrongFund(_)))
            .map(|issue| Finding {
                rule: issue.rule(),
                field: match issue {
                    FundIssue::NoVoucher(_) => Field::Voucher,
                    FundIssue::CashNotListed(_) => Field::Method,
                    FundIssue::ForbiddenUse(..) => Field::Purpose,
                    _ => Field::Approval,
                },
                text: short(&issue.message()),
            })
            .collect();
        let others = || {
            year.payments
                .iter()
                .filter(|p| p.id != candidate.id)
                .chain(std::iter::once(candidate))
        };
        let fund = candidate.fund;
        match year.plan(fund) {
            None => out.push(Finding {
                rule: Some(FundRule::NotInPlan),
                field: Field::Category,
                text: format!("{}还没有本年度的经费计划，这笔属于计划外支出", fund.label()),
            }),
            Some(plan) => {
                if !plan.items.iter().any(|i| i.category == candidate.category) {
                    out.push(Finding {
                        rule: Some(FundRule::NotInPlan),
                        field: Field::Category,
                        text: format!(
                            "年度经费计划里没有“{}”，这笔属于计划外支出",
                            candidate.category.label()
                        ),
                    });
                }
                let spent: Fen = others().filter(|p| p.fund == fund).map(|p| p.amount).sum();
                if spent > plan.budget {
                    out.push(Finding {
                        rule: Some(FundRule::OverBudget),
                        field: Field::Amount,
                        text: format!(
                            "加上这笔，{}共支出 {spent} 元，超过预算 {} 元",
                            fund.label(),
                            plan.budget
                        ),
                    });
                }
                if fund == FundKind::Work && candidate.category == FundCategory::Office {
                    let office: Fen = others()
                        .filter(|p| p.category == FundCategory::Office)
                        .map(|p| p.amount)
                        .sum();
                    if let Some((share, true)) = office_share(office, plan.budget) {
                        out.push(Finding {
                            rule: Some(FundRule::OfficeOverCap),
                            field: Field::Amount,
                            text: format!(
                                "加上这笔，办公经费 {office} 元，占工作经费预算的 {share:.1}%，超过 35%"
                            ),
                        });
                    }
                }
            }
        }
        out
    }

    /// The payment, or why not: the errors, then each finding whose rule has no reason yet.
    pub fn build(
        &self,
        committee: &CommitteeBook,
        year: &FundYear,
        id: PaymentId,
        by: &str,
        today: NaiveDate,
    ) -> Result<Payment, Vec<FormError>> {
        let errors: Vec<FormError> = self.errors().into_iter().map(|(_, e)| e).collect();
        let Some(mut payment) = self.payment(committee, id, by, today) else {
            return Err(errors);
        };
        let findings = self.findings(&payment, year);
        // A reason is kept only for a rule the payment still breaks (one fixed since needs none).
        payment
            .overrides
            .retain(|o| findings.iter().any(|f| f.rule == Some(o.rule)));
        let missing: Vec<FormError> = findings
            .into_iter()
            .filter_map(|f| f.rule.map(|r| (r, f.text)))
            .filter(|(rule, _)| payment.overrides.iter().all(|o| o.rule != *rule))
            .map(|(rule, text)| format!("{text}。如确需这样支出，请在“{}”旁写明理由", rule.label()))
            .collect();
        if missing.is_empty() {
            Ok(payment)
        } else {
            Err(missing)
        }
    }
}

/// A rule's message without the payment's number (the form is that payment).
fn short(message: &str) -> String {
    message
        .split_once('：')
        .filter(|(head, _)| head.starts_with("支出 "))
        .map_or_else(|| message.to_owned(), |(_, rest)| rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::d;
    use super::*;
    use crate::model::committee::{Worker, WorkerId};
    use crate::model::fund::{FundPlan, PlanItem};

    fn committee() -> CommitteeBook {
        let worker = |id, name: &str, role| Worker {
            id: WorkerId(id),
            name: name.into(),
            roles: vec![role],
            phone: None,
            signs_notices: true,
            since: d(2020, 1, 1),
            left_on: None,
        };
        CommitteeBook {
            workers: vec![
                worker(1, "王书记", Role::Secretary),
                worker(2, "李主任", Role::Director),
            ],
            ..CommitteeBook::default()
        }
    }

    fn year() -> FundYear {
        let plan = |fund: FundKind, yuan| FundPlan {
            fund,
            budget: Fen::yuan(yuan),
            main_uses: String::new(),
            key_projects: Vec::new(),
            items: fund
                .categories()
                .iter()
                .filter(|c| **c != FundCategory::Volunteering)
                .map(|c| PlanItem {
                    category: *c,
                    description: String::new(),
                    amount: Fen(0),
                })
                .collect(),
            carried_over: Fen(0),
        };
        FundYear {
            plans: vec![
                plan(FundKind::Work, 10_000),
                plan(FundKind::PartyService, 10_000),
                plan(FundKind::Foundation, 1_000),
            ],
            payments: Vec::new(),
            income: Vec::new(),
        }
    }

    fn draft() -> PaymentDraft {
        PaymentDraft {
            on: "2026-03-10".into(),
            fund: Some(FundKind::PartyService),
            category: Some(FundCategory::Care),
            amount: "300".into(),
            payee: "示例超市".into(),
            purpose: "独居老人节日慰问品".into(),
            voucher: "FP-001".into(),
            secretary_on: "2026-03-09".into(),
            director_on: "2026-03-09".into(),
            ..PaymentDraft::default()
        }
    }

    fn id(seq: u32) -> PaymentId {
        PaymentId { year: 2026, seq }
    }

    fn rules(f: &PaymentDraft, year: &FundYear) -> Vec<Option<FundRule>> {
        let p = f
            .payment(&committee(), id(1), "王", d(2026, 3, 10))
            .unwrap();
        f.findings(&p, year).iter().map(|x| x.rule).collect()
    }

    #[test]
    fn a_clean_payment_is_kept_in_fen_exactly_with_its_signatures() {
        let mut f = draft();
        f.amount = "1,234.56元".into();
        f.street_on = "2026-03-09".into();
        f.street_reference = "街审 12".into();
        let p = f
            .build(&committee(), &year(), id(7), "张会计", d(2026, 3, 10))
            .unwrap();
        assert_eq!(p.amount, Fen(123_456));
        assert_eq!(p.signatures.len(), 2);
        assert_eq!(p.signatures[0].worker, WorkerId(1));
        assert_eq!(
            p.street_review.as_ref().map(|r| r.reference.as_str()),
            Some("街审 12")
        );
        assert!(p.overrides.is_empty());
    }

    #[test]
    fn mistakes_are_errors_next_to_their_field() {
        let mut f = draft();
        f.amount = "12.345".into();
        f.category = Some(FundCategory::Office);
        f.on = "2026-02-30".into();
        f.purpose = " ".into();
        let fields: Vec<Field> = f.errors().into_iter().map(|(field, _)| field).collect();
        assert_eq!(
            fields,
            [Field::Date, Field::Category, Field::Amount, Field::Purpose]
        );
        assert!(f.errors()[1].1.contains("不属于党组织服务群众专项经费"));
        assert!(
            f.payment(&committee(), id(1), "王", d(2026, 3, 1))
                .is_none()
        );
    }

    #[test]
    fn each_rule_fires_as_typed_and_clears_when_fixed() {
        let y = year();
        assert!(rules(&draft(), &y).is_empty());
        // Above 500 yuan: the street's review.
        let mut f = draft();
        f.amount = "800".into();
        assert_eq!(rules(&f, &y), [Some(FundRule::MissingApproval)]);
        f.street_on = "2026-03-09".into();
        assert!(rules(&f, &y).is_empty());
        // Up to 500: both signatures.
        let mut f = draft();
        f.director_on.clear();
        assert_eq!(rules(&f, &y), [Some(FundRule::MissingApproval)]);
        // No voucher; cash off the list; a forbidden use.
        let mut f = draft();
        f.voucher.clear();
        f.method = MethodChoice::Cash;
        f.purpose = "楼组长工资".into();
        let r = rules(&f, &y);
        for rule in [
            FundRule::NoVoucher,
            FundRule::CashNotListed,
            FundRule::ForbiddenUse,
        ] {
            assert!(r.contains(&Some(rule)), "{rule:?} in {r:?}");
        }
        f.cash_listed = true;
        assert!(!rules(&f, &y).contains(&Some(FundRule::CashNotListed)));
        // Outside the plan (志愿服务 is not in the foundation's) and over its budget.
        let mut f = draft();
        f.fund = Some(FundKind::Foundation);
        f.category = Some(FundCategory::Volunteering);
        f.amount = "1200".into();
        f.street_on = "2026-03-09".into();
        assert_eq!(
            rules(&f, &y),
            [Some(FundRule::NotInPlan), Some(FundRule::OverBudget)]
        );
        // 先支后补: flagged, and nothing sets it aside.
        let mut f = draft();
        f.paid_first = true;
        f.secretary_on.clear();
        f.director_on.clear();
        assert_eq!(rules(&f, &y), [None]);
        assert!(
            f.build(&committee(), &y, id(1), "王", d(2026, 3, 10))
                .is_ok(),
            "paid first is allowed"
        );
        f.filed_on = "2026-03-20".into();
        assert_eq!(rules(&f, &y), [Some(FundRule::MissingApproval)]);
    }

    #[test]
    fn office_costs_count_every_payment_of_the_year_with_this_one() {
        let mut y = year();
        let mut f = draft();
        f.fund = Some(FundKind::Work);
        f.category = Some(FundCategory::Office);
        f.amount = "400".into();
        let first = f
            .build(&committee(), &y, id(1), "王", d(2026, 3, 10))
            .unwrap();
        y.payments.push(first.clone());
        // 3,400 of 10,000 is 34%; 3,600 is 36%.
        for (seq, yuan) in [(2, 3_000), (3, 200)] {
            f.amount = yuan.to_string();
            f.street_on = "2026-03-09".into();
            let p = f
                .payment(&committee(), id(seq), "王", d(2026, 3, 10))
                .unwrap();
            let over = f
                .findings(&p, &y)
                .iter()
                .any(|x| x.rule == Some(FundRule::OfficeOverCap));
            assert_eq!(over, seq == 3, "payment {seq}");
            y.payments.push(p);
        }
        // Editing the first payment replaces it: its old amount does not count twice.
        f.amount = "10".into();
        let edited = f
            .payment(&committee(), first.id, "王", d(2026, 3, 10))
            .unwrap();
        assert!(
            f.findings(&edited, &y)
                .iter()
                .all(|x| x.rule != Some(FundRule::OfficeOverCap))
        );
    }

    #[test]
    fn a_rule_is_set_aside_only_with_a_reason_which_is_kept() {
        let y = year();
        let mut f = draft();
        f.voucher.clear();
        let e = f
            .build(&committee(), &y, id(1), "王", d(2026, 3, 10))
            .unwrap_err();
        assert!(e[0].contains("缺少票据"), "{e:?}");
        f.reasons.insert(FundRule::NoVoucher, "   ".into());
        assert!(
            f.build(&committee(), &y, id(1), "王", d(2026, 3, 10))
                .is_err()
        );
        f.reasons
            .insert(FundRule::NoVoucher, "小商户无法开票，附收条".into());
        let p = f
            .build(&committee(), &y, id(1), "王", d(2026, 3, 10))
            .unwrap();
        assert_eq!(p.overrides.len(), 1);
        assert_eq!(p.overrides[0].reason, "小商户无法开票，附收条");
        assert_eq!(
            (p.overrides[0].by.as_str(), p.overrides[0].on),
            ("王", d(2026, 3, 10))
        );
        // Kept with the payment, the rule is no longer reported for it.
        assert!(payment_issues(&p).is_empty());
        // Once the voucher is typed, the reason written for its absence is not kept.
        f.voucher = "FP-1".into();
        let fixed = f
            .build(&committee(), &y, id(1), "王", d(2026, 3, 10))
            .unwrap();
        assert!(fixed.overrides.is_empty());
    }
}
