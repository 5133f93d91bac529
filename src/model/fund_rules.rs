//! The rules of the three funds (附件一), as checks on the ledger and on a payment as it is typed:
//! the approval line (500 yuan: both signatures, or the street office's review), 先支后补 until
//! filed, cash only from the district's list, a voucher for every payment, spending inside the
//! yearly plan and budget, office costs at most 35% of 居委会工作经费, the uses a fund may not
//! pay. A rule may be set aside for one payment only with a written reason, kept with it.
//! Also the balance of each fund: carried over, received, spent.

use super::committee::Role;
use super::fund::{
    APPROVAL_LINE, FundCategory, FundKind, FundRule, FundYear, OFFICE_CAP_PERCENT, Payment,
    PaymentId, PaymentMethod,
};
use super::money::Fen;

/// Office costs as a share of 居委会工作经费: the percentage, and whether it is over
/// [`OFFICE_CAP_PERCENT`]. None when there is nothing to measure against.
pub fn office_share(office: Fen, budget: Fen) -> Option<(f64, bool)> {
    (budget.0 > 0).then(|| {
        (
            office.0 as f64 * 100.0 / budget.0 as f64,
            office.0 * 100 > budget.0 * OFFICE_CAP_PERCENT,
        )
    })
}

/// A problem with a payment or a fund, as the approval rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FundIssue {
    /// ≤ 500 yuan without both the secretary's and the director's signature.
    MissingJointApproval(PaymentId),
    /// > 500 yuan without the street office's review.
    MissingStreetReview(PaymentId),
    /// Paid first, approval not yet filed.
    PaidFirstNotFiled(PaymentId),
    /// Cash outside the district's cash list.
    CashNotListed(PaymentId),
    /// No voucher reference.
    NoVoucher(PaymentId),
    /// Category not in the yearly plan.
    NotInPlan(PaymentId),
    /// Category belongs to another fund.
    WrongFund(PaymentId),
    /// Office costs above 35% of 居委会工作经费.
    OfficeOverCap {
        /// Office spending.
        office: Fen,
        /// The fund's budget.
        budget: Fen,
    },
    /// Spending above the budget.
    OverBudget {
        /// Fund.
        fund: FundKind,
        /// Spent.
        spent: Fen,
        /// Budget.
        budget: Fen,
    },
    /// A fund without a yearly plan.
    NoPlan(FundKind),
    /// A use the fund may not pay, found in the purpose (what was found).
    ForbiddenUse(PaymentId, &'static str),
}

/// What 党组织服务群众专项经费 may not pay, as a purpose says it: the word and what it is.
pub const FORBIDDEN_USES: [(&str, &str); 8] = [
    ("工资", "工资"),
    ("薪酬", "工资"),
    ("奖金", "奖金"),
    ("办公用品", "办公经费"),
    ("办公费", "办公经费"),
    ("物业费", "应由物业公司承担的费用"),
    ("物业公司应", "应由物业公司承担的费用"),
    ("物业维修", "应由物业公司承担的费用"),
];

/// The use a payment may not pay for, if its purpose names one (only 党组织服务群众专项经费
/// has such a list).
pub fn forbidden_use(fund: FundKind, purpose: &str) -> Option<&'static str> {
    if fund != FundKind::PartyService {
        return None;
    }
    FORBIDDEN_USES
        .iter()
        .find(|(word, _)| purpose.contains(word))
        .map(|(_, what)| *what)
}

impl FundIssue {
    /// The rule that may be set aside for this issue with a reason; `None` for what can only
    /// be fixed (a category of another fund, 先支后补 not yet filed, a fund without a plan).
    pub fn rule(&self) -> Option<FundRule> {
        match self {
            FundIssue::MissingJointApproval(_) | FundIssue::MissingStreetReview(_) => {
                Some(FundRule::MissingApproval)
            }
            FundIssue::CashNotListed(_) => Some(FundRule::CashNotListed),
            FundIssue::NoVoucher(_) => Some(FundRule::NoVoucher),
            FundIssue::NotInPlan(_) => Some(FundRule::NotInPlan),
            FundIssue::OfficeOverCap { .. } => Some(FundRule::OfficeOverCap),
            FundIssue::OverBudget { .. } => Some(FundRule::OverBudget),
            FundIssue::ForbiddenUse(..) => Some(FundRule::ForbiddenUse),
            FundIssue::PaidFirstNotFiled(_) | FundIssue::WrongFund(_) | FundIssue::NoPlan(_) => {
                None
            }
        }
    }

    /// The Chinese explanation, naming what to do.
    pub fn message(&self) -> String {
        match self {
            FundIssue::ForbiddenUse(id, what) => format!(
                "支出 {}-{:04}：党组织服务群众专项经费不得用于{what}",
                id.year, id.seq
            ),
            FundIssue::MissingJointApproval(id) => format!(
                "支出 {}-{:04}：500 元及以下须由书记、主任共同审批，签批不全，请补签",
                id.year, id.seq
            ),
            FundIssue::MissingStreetReview(id) => format!(
                "支出 {}-{:04}：超过 500 元须报街道审核，未登记审核记录",
                id.year, id.seq
            ),
            FundIssue::PaidFirstNotFiled(id) => {
                format!("支出 {}-{:04}：先支后补，尚未补办审批手续", id.year, id.seq)
            }
            FundIssue::CashNotListed(id) => format!(
                "支出 {}-{:04}：现金支付不在区现金支付清单内，应使用公务卡或转账",
                id.year, id.seq
            ),
            FundIssue::NoVoucher(id) => {
                format!("支出 {}-{:04}：缺少票据号，请补录", id.year, id.seq)
            }
            FundIssue::NotInPlan(id) => {
                format!(
                    "支出 {}-{:04}：不在年度经费计划内（计划外支出）",
                    id.year, id.seq
                )
            }
            FundIssue::WrongFund(id) => {
                format!("支出 {}-{:04}：支出类别不属于所选经费", id.year, id.seq)
            }
            FundIssue::OfficeOverCap { office, budget } => {
                format!("居委会工作经费中办公经费 {office} 元，超过预算 {budget} 元的 35%")
            }
            FundIssue::OverBudget {
                fund,
                spent,
                budget,
            } => {
                format!("{}：已支出 {spent} 元，超过预算 {budget} 元", fund.label())
            }
            FundIssue::NoPlan(fund) => format!("{}：尚未制定年度经费计划", fund.label()),
        }
    }
}

/// Checks a payment against the rules, leaving out those it sets aside with a reason.
pub fn payment_issues(payment: &Payment) -> Vec<FundIssue> {
    let mut out = rule_issues(payment);
    out.retain(|issue| !overridden(payment, issue));
    out
}

/// Whether the payment sets aside the rule of `issue`, with a reason.
fn overridden(payment: &Payment, issue: &FundIssue) -> bool {
    issue.rule().is_some_and(|rule| {
        payment
            .overrides
            .iter()
            .any(|o| o.rule == rule && !o.reason.trim().is_empty())
    })
}

/// Every rule the payment breaks, set aside or not.
fn rule_issues(payment: &Payment) -> Vec<FundIssue> {
    let mut out = Vec::new();
    let id = payment.id;
    if payment.category.fund() != payment.fund {
        out.push(FundIssue::WrongFund(id));
    }
    let filed = !payment.paid_first || payment.filed_on.is_some();
    if payment.paid_first && payment.filed_on.is_none() {
        out.push(FundIssue::PaidFirstNotFiled(id));
    }
    if filed {
        let signed = |role| payment.signatures.iter().any(|s| s.role == role);
        if payment.amount <= APPROVAL_LINE {
            if !(signed(Role::Secretary) && signed(Role::Director)) {
                out.push(FundIssue::MissingJointApproval(id));
            }
        } else if payment.street_review.is_none() {
            out.push(FundIssue::MissingStreetReview(id));
        }
    }
    if payment.method == (PaymentMethod::Cash { listed: false }) {
        out.push(FundIssue::CashNotListed(id));
    }
    if payment.voucher.trim().is_empty() {
        out.push(FundIssue::NoVoucher(id));
    }
    if let Some(what) = forbidden_use(payment.fund, &payment.purpose) {
        out.push(FundIssue::ForbiddenUse(id, what));
    }
    out
}

/// Checks a whole year: every payment, plans, budgets and the office cap.
pub fn year_issues(year: &FundYear) -> Vec<FundIssue> {
    let mut out = Vec::new();
    for fund in FundKind::ALL {
        let Some(plan) = year.plan(fund) else {
            if year.payments.iter().any(|p| p.fund == fund) {
                out.push(FundIssue::NoPlan(fund));
            }
            continue;
        };
        let spent = year.spent(fund);
        if spent > plan.budget {
            out.push(FundIssue::OverBudget {
                fund,
                spent,
                budget: plan.budget,
            });
        }
        if fund == FundKind::Work {
            let office = year.spent_in(FundCategory::Office);
            if office_share(office, plan.budget).is_some_and(|(_, over)| over) {
                out.push(FundIssue::OfficeOverCap {
                    office,
                    budget: plan.budget,
                });
            }
        }
    }
    for payment in &year.payments {
        out.extend(payment_issues(payment));
        if let Some(plan) = year.plan(payment.fund)
            && !plan.items.iter().any(|i| i.category == payment.category)
        {
            let issue = FundIssue::NotInPlan(payment.id);
            if !overridden(payment, &issue) {
                out.push(issue);
            }
        }
    }
    out
}

/// Where a fund stands in a year: what the street budgeted, what was carried from last year and
/// received, what was spent. The balance is money actually held, not budget minus spending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FundBalance {
    /// Budget set by the street office.
    pub budget: Fen,
    /// Carried from last year.
    pub carried: Fen,
    /// Received this year.
    pub received: Fen,
    /// Spent this year.
    pub spent: Fen,
}

impl FundBalance {
    /// Money held: carried + received − spent (negative: paid out more than was there).
    pub fn balance(&self) -> Fen {
        self.carried + self.received - self.spent
    }

    /// Budget not yet spent (negative: over budget).
    pub fn budget_left(&self) -> Fen {
        self.budget - self.spent
    }
}

/// The balance of `fund` in `year`.
pub fn balance(year: &FundYear, fund: FundKind) -> FundBalance {
    let plan = year.plan(fund);
    FundBalance {
        budget: plan.map(|p| p.budget).unwrap_or_default(),
        carried: plan.map(|p| p.carried_over).unwrap_or_default(),
        received: year
            .income
            .iter()
            .filter(|i| i.fund == fund)
            .map(|i| i.amount)
            .sum(),
        spent: year.spent(fund),
    }
}

/// What needs doing with money this year, for 首页.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MoneyTodo {
    /// Payments of the year whose approval is missing (not set aside with a reason).
    pub approvals_missing: usize,
    /// 先支后补 payments whose approval is not yet filed.
    pub paid_first_open: usize,
    /// Funds at 90% of their budget or more: the fund and the share spent, in percent.
    pub near_budget: Vec<(FundKind, i64)>,
    /// The half-year whose public disclosure comes next, and the day it ends.
    pub next_disclosure: (String, chrono::NaiveDate),
}

/// Spent at this share of the budget (percent), a fund is said to be near it.
pub const NEAR_BUDGET_PERCENT: i64 = 90;

/// What needs doing with money in `today`'s year.
pub fn money_todo(ledger: &super::ledger::Ledger, today: chrono::NaiveDate) -> MoneyTodo {
    use chrono::Datelike;
    let year = today.year();
    let (label, end) = if today.month() <= 6 {
        ("上半年", chrono::NaiveDate::from_ymd_opt(year, 6, 30))
    } else {
        ("下半年", chrono::NaiveDate::from_ymd_opt(year, 12, 31))
    };
    let mut todo = MoneyTodo {
        next_disclosure: (format!("{year}年{label}"), end.unwrap_or(today)),
        ..MoneyTodo::default()
    };
    let Some(fy) = ledger.funds.get(&year) else {
        return todo;
    };
    for p in &fy.payments {
        let issues = payment_issues(p);
        if issues
            .iter()
            .any(|i| i.rule() == Some(FundRule::MissingApproval))
        {
            todo.approvals_missing += 1;
        }
        if issues.contains(&FundIssue::PaidFirstNotFiled(p.id)) {
            todo.paid_first_open += 1;
        }
    }
    for fund in FundKind::ALL {
        let b = balance(fy, fund);
        if b.budget > Fen(0) {
            let share = b.spent.0 * 100 / b.budget.0;
            if share >= NEAR_BUDGET_PERCENT {
                todo.near_budget.push((fund, share));
            }
        }
    }
    todo
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::WorkerId;
    use crate::model::fund::{FundPlan, Payee, PlanItem, Signature, StreetReview};
    use chrono::NaiveDate;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    /// A payment from 居委会工作经费 for community service, by card, with a voucher, signed by
    /// both the secretary and the director: nothing to say about it.
    fn payment(seq: u32, amount: Fen) -> Payment {
        Payment {
            id: PaymentId { year: 2026, seq },
            fund: FundKind::Work,
            category: FundCategory::CommunityService,
            on: day(3, 1),
            payee: Payee::Organisation {
                name: "示例物业公司".into(),
                id: None,
            },
            purpose: "活动用品".into(),
            amount,
            voucher: format!("2026-{seq:04}"),
            method: PaymentMethod::OfficialCard,
            project: None,
            signatures: [Role::Secretary, Role::Director]
                .into_iter()
                .map(|role| Signature {
                    worker: WorkerId(1),
                    role,
                    on: day(3, 1),
                })
                .collect(),
            street_review: None,
            paid_first: false,
            filed_on: None,
            recorded_by: "王书记".into(),
            overrides: Vec::new(),
        }
    }

    fn plan(fund: FundKind, budget: Fen, categories: &[FundCategory]) -> FundPlan {
        FundPlan {
            fund,
            budget,
            main_uses: String::new(),
            key_projects: Vec::new(),
            items: categories
                .iter()
                .map(|c| PlanItem {
                    category: *c,
                    description: String::new(),
                    amount: Fen::yuan(1),
                })
                .collect(),
            carried_over: Fen(0),
        }
    }

    #[test]
    fn up_to_500_yuan_the_secretary_and_the_director_sign_together() {
        let id = PaymentId { year: 2026, seq: 1 };
        assert!(payment_issues(&payment(1, APPROVAL_LINE)).is_empty());
        for only in [Role::Secretary, Role::Director] {
            let mut p = payment(1, Fen::yuan(500));
            p.signatures.retain(|s| s.role == only);
            assert_eq!(payment_issues(&p), [FundIssue::MissingJointApproval(id)]);
        }
    }

    #[test]
    fn above_500_yuan_the_street_reviews() {
        let id = PaymentId { year: 2026, seq: 1 };
        let mut p = payment(1, Fen(APPROVAL_LINE.0 + 1));
        assert_eq!(payment_issues(&p), [FundIssue::MissingStreetReview(id)]);
        p.street_review = Some(StreetReview {
            on: day(3, 2),
            reference: "街道审〔2026〕3号".into(),
        });
        assert!(payment_issues(&p).is_empty());
    }

    #[test]
    fn paid_first_is_flagged_until_filed_and_then_checked() {
        let id = PaymentId { year: 2026, seq: 1 };
        let mut p = payment(1, Fen::yuan(200));
        p.paid_first = true;
        p.signatures.clear();
        // Not filed: the missing approval is what is owed, said once.
        assert_eq!(payment_issues(&p), [FundIssue::PaidFirstNotFiled(id)]);
        // Filed: now the signatures must be there.
        p.filed_on = Some(day(3, 5));
        assert_eq!(payment_issues(&p), [FundIssue::MissingJointApproval(id)]);
    }

    #[test]
    fn cash_only_from_the_district_list_and_always_with_a_voucher() {
        let id = PaymentId { year: 2026, seq: 1 };
        let mut p = payment(1, Fen::yuan(50));
        p.method = PaymentMethod::Cash { listed: true };
        assert!(payment_issues(&p).is_empty());
        p.method = PaymentMethod::Cash { listed: false };
        assert_eq!(payment_issues(&p), [FundIssue::CashNotListed(id)]);
        p.method = PaymentMethod::Transfer;
        p.voucher = "  ".into();
        assert_eq!(payment_issues(&p), [FundIssue::NoVoucher(id)]);
        p.voucher = "2026-0001".into();
        p.category = FundCategory::Facilities;
        assert_eq!(payment_issues(&p), [FundIssue::WrongFund(id)]);
    }

    #[test]
    fn office_costs_up_to_35_percent_of_the_work_fund() {
        assert_eq!(
            office_share(Fen::yuan(35), Fen::yuan(100)),
            Some((35.0, false))
        );
        assert_eq!(
            office_share(Fen(3_501), Fen::yuan(100)).map(|s| s.1),
            Some(true)
        );
        assert_eq!(office_share(Fen::yuan(1), Fen(0)), None);
        let mut year = FundYear {
            plans: vec![plan(
                FundKind::Work,
                Fen::yuan(1_000),
                &[FundCategory::Office, FundCategory::CommunityService],
            )],
            payments: vec![payment(1, Fen::yuan(350))],
            income: Vec::new(),
        };
        year.payments[0].category = FundCategory::Office;
        year.payments[0].street_review = None;
        assert!(year_issues(&year).is_empty(), "{:?}", year_issues(&year));
        year.payments.push(payment(2, Fen::yuan(1)));
        year.payments[1].category = FundCategory::Office;
        assert_eq!(
            year_issues(&year),
            [FundIssue::OfficeOverCap {
                office: Fen::yuan(351),
                budget: Fen::yuan(1_000)
            }]
        );
    }

    #[test]
    fn spending_outside_the_plan_or_over_the_budget_or_without_a_plan() {
        let mut year = FundYear {
            plans: vec![plan(
                FundKind::Work,
                Fen::yuan(300),
                &[FundCategory::CommunityService],
            )],
            payments: vec![payment(1, Fen::yuan(200))],
            income: Vec::new(),
        };
        assert!(year_issues(&year).is_empty());
        let mut outside = payment(2, Fen::yuan(200));
        outside.category = FundCategory::SelfGovernment;
        year.payments.push(outside);
        assert_eq!(
            year_issues(&year),
            [
                FundIssue::OverBudget {
                    fund: FundKind::Work,
                    spent: Fen::yuan(400),
                    budget: Fen::yuan(300)
                },
                FundIssue::NotInPlan(PaymentId { year: 2026, seq: 2 })
            ]
        );
        let mut foundation = payment(3, Fen::yuan(100));
        foundation.fund = FundKind::Foundation;
        foundation.category = FundCategory::Facilities;
        let alone = FundYear {
            plans: Vec::new(),
            payments: vec![foundation],
            income: Vec::new(),
        };
        assert_eq!(
            year_issues(&alone),
            [FundIssue::NoPlan(FundKind::Foundation)]
        );
    }

    #[test]
    fn a_balance_is_money_held_carried_and_received_less_spent() {
        use crate::model::fund::Income;
        let income = |fund, m, yuan| Income {
            fund,
            on: day(m, 10),
            amount: Fen::yuan(yuan),
            reference: format!("拨{m}"),
            note: String::new(),
        };
        let mut work = plan(FundKind::Work, Fen::yuan(100_000), &[FundCategory::Office]);
        work.carried_over = Fen::yuan(3_250);
        let year = FundYear {
            plans: vec![work],
            payments: vec![payment(1, Fen(35_050)), payment(2, Fen::yuan(1_200))],
            income: vec![
                income(FundKind::Work, 1, 50_000),
                income(FundKind::Work, 7, 40_000),
                income(FundKind::PartyService, 1, 99_999),
            ],
        };
        // By hand: 3,250.00 + 50,000.00 + 40,000.00 − 350.50 − 1,200.00 = 91,699.50 held;
        // 100,000.00 − 1,550.50 = 98,449.50 of the budget left.
        let b = balance(&year, FundKind::Work);
        assert_eq!(b.received, Fen::yuan(90_000));
        assert_eq!(b.spent, Fen(155_050));
        assert_eq!(b.balance(), Fen(9_169_950));
        assert_eq!(b.budget_left(), Fen(9_844_950));
        // A fund without a plan: only what was received.
        let party = balance(&year, FundKind::PartyService);
        assert_eq!((party.budget, party.balance()), (Fen(0), Fen::yuan(99_999)));
    }

    #[test]
    fn a_rule_set_aside_with_a_reason_is_no_longer_reported_but_some_cannot_be() {
        use crate::model::fund::Override;
        let mut p = payment(1, Fen::yuan(200));
        p.fund = FundKind::PartyService;
        p.category = FundCategory::Care;
        p.voucher.clear();
        p.purpose = "发放楼组长工资".into();
        let rules: Vec<Option<FundRule>> = payment_issues(&p).iter().map(FundIssue::rule).collect();
        assert!(rules.contains(&Some(FundRule::NoVoucher)));
        assert!(rules.contains(&Some(FundRule::ForbiddenUse)));
        assert!(
            payment_issues(&p)
                .iter()
                .any(|i| i.message().contains("不得用于工资"))
        );
        let set_aside = |rule, reason: &str| Override {
            rule,
            reason: reason.into(),
            by: "王书记".into(),
            on: day(3, 1),
        };
        // A blank reason sets nothing aside.
        p.overrides.push(set_aside(FundRule::NoVoucher, "  "));
        assert!(payment_issues(&p).contains(&FundIssue::NoVoucher(p.id)));
        p.overrides.push(set_aside(
            FundRule::NoVoucher,
            "小额慰问品，商家无法开票，已附收条",
        ));
        assert!(!payment_issues(&p).contains(&FundIssue::NoVoucher(p.id)));
        // 先支后补 stays flagged until its approval is filed: no reason removes it.
        p.paid_first = true;
        assert!(payment_issues(&p).contains(&FundIssue::PaidFirstNotFiled(p.id)));
        assert_eq!(FundIssue::PaidFirstNotFiled(p.id).rule(), None);
        assert_eq!(
            forbidden_use(FundKind::Work, "工资"),
            None,
            "only the party fund's list"
        );
        assert_eq!(
            forbidden_use(FundKind::PartyService, "小区物业维修"),
            Some("应由物业公司承担的费用")
        );
    }

    #[test]
    fn home_counts_what_needs_doing_with_money() {
        let mut ledger = crate::model::Ledger::default();
        let mut unsigned = payment(1, Fen::yuan(100));
        unsigned.signatures.clear();
        let mut first = payment(2, Fen::yuan(100));
        first.paid_first = true;
        let big = payment(3, Fen::yuan(8_900));
        ledger.funds.insert(
            2026,
            FundYear {
                plans: vec![plan(
                    FundKind::Work,
                    Fen::yuan(10_000),
                    &[FundCategory::Office],
                )],
                payments: vec![unsigned, first, big],
                income: Vec::new(),
            },
        );
        let todo = money_todo(&ledger, day(3, 20));
        // The 8,900 payment has no street review either.
        assert_eq!(todo.approvals_missing, 2);
        assert_eq!(todo.paid_first_open, 1);
        assert_eq!(todo.near_budget, [(FundKind::Work, 91)]);
        assert_eq!(todo.next_disclosure, ("2026年上半年".into(), day(6, 30)));
        assert_eq!(
            money_todo(&ledger, day(7, 1)).next_disclosure.0,
            "2026年下半年"
        );
    }
}
