//! What the three funds look like over a year, and the reports the street office expects:
//! spending by month and by category against the plan, the office share month by month
//! against its 35% line (what 经费 → 概览 draws), and the quarterly internal report and the
//! yearly report (every payment with its approvals, opening and closing balances, the open
//! 先支后补, every warning), which the app prints and exports to .xlsx.

use super::committee::{CommitteeBook, Role};
use super::fund::{FundCategory, FundKind, FundYear, Payee, Payment, PaymentMethod};
use super::fund_rules::{FundIssue, office_share, payment_issues, year_issues};
use super::money::Fen;
use chrono::{Datelike, NaiveDate};

/// The period of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportPeriod {
    /// A quarter (1..=4) of a year: the internal quarterly report.
    Quarter(i32, u8),
    /// A whole year: the yearly report.
    Year(i32),
}

impl ReportPeriod {
    /// The year.
    pub fn year(self) -> i32 {
        match self {
            ReportPeriod::Quarter(y, _) | ReportPeriod::Year(y) => y,
        }
    }

    /// First day.
    pub fn first(self) -> NaiveDate {
        let (y, m) = match self {
            ReportPeriod::Quarter(y, q) => (y, u32::from(q.clamp(1, 4)) * 3 - 2),
            ReportPeriod::Year(y) => (y, 1),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
    }

    /// Last day.
    pub fn last(self) -> NaiveDate {
        let (y, m) = match self {
            ReportPeriod::Quarter(y, q) => (y, u32::from(q.clamp(1, 4)) * 3),
            ReportPeriod::Year(y) => (y, 12),
        };
        last_of_month(y, m)
    }

    /// 2026年第3季度 / 2026年度.
    pub fn label(self) -> String {
        match self {
            ReportPeriod::Quarter(y, q) => format!("{y}年第{q}季度"),
            ReportPeriod::Year(y) => format!("{y}年度"),
        }
    }

    /// The report's title.
    pub fn title(self) -> String {
        match self {
            ReportPeriod::Quarter(..) => format!("{}经费使用情况内部报告", self.label()),
            ReportPeriod::Year(..) => format!("{}经费使用情况报告", self.label()),
        }
    }

    /// The quarter a day falls in.
    pub fn quarter_of(day: NaiveDate) -> ReportPeriod {
        ReportPeriod::Quarter(day.year(), super::fund::quarter_of(day))
    }
}

fn last_of_month(year: i32, month: u32) -> NaiveDate {
    let next = if month >= 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or_default()
}

/// One category of a fund in a report: planned for the year, spent in the period and in the
/// year up to its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryLine {
    /// Category.
    pub category: FundCategory,
    /// Planned for the year (the sum of its plan items).
    pub planned: Fen,
    /// Payments in the period.
    pub count: usize,
    /// Spent in the period.
    pub spent: Fen,
    /// Spent from 1 January to the period's end.
    pub spent_to_date: Fen,
}

/// One payment as a report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    /// 2026-0012.
    pub number: String,
    /// Date.
    pub on: NaiveDate,
    /// Category.
    pub category: FundCategory,
    /// Payee (个人：name for help to a person: the report is internal).
    pub payee: String,
    /// Purpose.
    pub purpose: String,
    /// 公务卡, 转账, 现金.
    pub method: &'static str,
    /// Voucher, or 未填.
    pub voucher: String,
    /// Amount.
    pub amount: Fen,
    /// The approvals in words: 书记 11月2日、主任 11月3日; 街道审核 11月5日（…）; 先支后补.
    pub approvals: String,
    /// Warnings and rules set aside with their reasons.
    pub notes: String,
}

/// One fund in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundSection {
    /// Fund.
    pub fund: FundKind,
    /// Whether the year has a plan for it.
    pub planned: bool,
    /// The year's budget.
    pub budget: Fen,
    /// Carried from last year.
    pub carried: Fen,
    /// Money held at the start of the period.
    pub opening: Fen,
    /// Received in the period.
    pub received: Fen,
    /// Spent in the period.
    pub spent: Fen,
    /// Spent from 1 January to the period's end.
    pub spent_to_date: Fen,
    /// Money held at the end of the period: opening + received − spent.
    pub closing: Fen,
    /// Its categories.
    pub categories: Vec<CategoryLine>,
    /// Its payments in the period, by date.
    pub items: Vec<ItemLine>,
    /// 居委会工作经费: office costs so far as a share of the budget, e.g. `28.4%（上限 35%）`.
    pub office_share: Option<String>,
}

/// A report on the three funds for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundReport {
    /// Period.
    pub period: ReportPeriod,
    /// Each fund with a plan or a payment this year.
    pub funds: Vec<FundSection>,
    /// 先支后补 payments of the year (to the period's end) whose approval is not yet filed.
    pub paid_first_open: Vec<ItemLine>,
    /// Every warning of the year's ledger, in words.
    pub warnings: Vec<String>,
}

/// Spending of a fund in each month of the year (January first).
pub fn monthly_spent(year: &FundYear, fund: FundKind) -> [Fen; 12] {
    let mut out = [Fen(0); 12];
    for p in year.payments.iter().filter(|p| p.fund == fund) {
        out[p.on.month0() as usize % 12] += p.amount;
    }
    out
}

/// Each category of a fund: planned for the year and spent in it.
pub fn plan_against_actual(year: &FundYear, fund: FundKind) -> Vec<(FundCategory, Fen, Fen)> {
    fund.categories()
        .iter()
        .map(|&c| (c, planned_in(year, c), year.spent_in(c)))
        .collect()
}

fn planned_in(year: &FundYear, category: FundCategory) -> Fen {
    year.plan(category.fund())
        .map(|p| {
            p.items
                .iter()
                .filter(|i| i.category == category)
                .map(|i| i.amount)
                .sum()
        })
        .unwrap_or_default()
}

/// Office costs from 1 January to the end of each month of `year_no`, as a percentage of
/// 居委会工作经费's budget; None without a budget. Months begun after `until` are None
/// (nothing to show yet).
pub fn office_share_by_month(year: &FundYear, year_no: i32, until: NaiveDate) -> [Option<f64>; 12] {
    let mut out = [None; 12];
    let Some(budget) = year.plan(FundKind::Work).map(|p| p.budget) else {
        return out;
    };
    let mut office = Fen(0);
    let monthly = {
        let mut m = [Fen(0); 12];
        for p in year
            .payments
            .iter()
            .filter(|p| p.category == FundCategory::Office)
        {
            m[p.on.month0() as usize % 12] += p.amount;
        }
        m
    };
    for (i, spent) in monthly.iter().enumerate() {
        office += *spent;
        let first = NaiveDate::from_ymd_opt(year_no, i as u32 + 1, 1).unwrap_or_default();
        if first > until {
            break;
        }
        out[i] = office_share(office, budget).map(|(pct, _)| pct);
    }
    out
}

/// The report of `period` on the year's funds.
pub fn report(year: &FundYear, committee: &CommitteeBook, period: ReportPeriod) -> FundReport {
    let (from, to) = (period.first(), period.last());
    let mut funds = Vec::new();
    for fund in FundKind::ALL {
        let plan = year.plan(fund);
        let mut payments: Vec<&Payment> = year.payments.iter().filter(|p| p.fund == fund).collect();
        if plan.is_none() && payments.is_empty() {
            continue;
        }
        payments.sort_by_key(|p| (p.on, p.id.seq));
        let sum = |keep: &dyn Fn(NaiveDate) -> bool| -> Fen {
            payments
                .iter()
                .filter(|p| keep(p.on))
                .map(|p| p.amount)
                .sum()
        };
        let received = |keep: &dyn Fn(NaiveDate) -> bool| -> Fen {
            year.income
                .iter()
                .filter(|i| i.fund == fund && keep(i.on))
                .map(|i| i.amount)
                .sum()
        };
        let carried = plan.map(|p| p.carried_over).unwrap_or_default();
        let opening = carried + received(&|d| d < from) - sum(&|d| d < from);
        let in_period = |d: NaiveDate| d >= from && d <= to;
        let spent = sum(&in_period);
        let income = received(&in_period);
        let categories = fund
            .categories()
            .iter()
            .map(|&c| {
                let of = payments.iter().filter(|p| p.category == c);
                CategoryLine {
                    category: c,
                    planned: planned_in(year, c),
                    count: of.clone().filter(|p| in_period(p.on)).count(),
                    spent: of
                        .clone()
                        .filter(|p| in_period(p.on))
                        .map(|p| p.amount)
                        .sum(),
                    spent_to_date: of.filter(|p| p.on <= to).map(|p| p.amount).sum(),
                }
            })
            .collect::<Vec<_>>();
        let spent_to_date = sum(&|d| d <= to);
        let budget = plan.map(|p| p.budget).unwrap_or_default();
        let office_share = (fund == FundKind::Work)
            .then(|| {
                let office = categories
                    .iter()
                    .find(|c| c.category == FundCategory::Office)
                    .map(|c| c.spent_to_date)
                    .unwrap_or_default();
                office_share(office, budget).map(|(pct, over)| {
                    format!(
                        "{pct:.1}%（上限 35%{}）",
                        if over { "，已超出" } else { "" }
                    )
                })
            })
            .flatten();
        funds.push(FundSection {
            fund,
            planned: plan.is_some(),
            budget,
            carried,
            opening,
            received: income,
            spent,
            spent_to_date,
            closing: opening + income - spent,
            categories,
            items: payments
                .iter()
                .filter(|p| in_period(p.on))
                .map(|p| item_line(p, committee))
                .collect(),
            office_share,
        });
    }
    let mut open: Vec<&Payment> = year
        .payments
        .iter()
        .filter(|p| p.paid_first && p.filed_on.is_none() && p.on <= to)
        .collect();
    open.sort_by_key(|p| (p.on, p.id.seq));
    FundReport {
        period,
        funds,
        paid_first_open: open.iter().map(|p| item_line(p, committee)).collect(),
        warnings: year_issues(year)
            .iter()
            .filter(|i| issue_by(i, to, year))
            .map(FundIssue::message)
            .collect(),
    }
}

/// Whether a warning belongs to the report up to `to`: a payment's if it was made by then; a
/// fund's always (they are about the year as it stands).
fn issue_by(issue: &FundIssue, to: NaiveDate, year: &FundYear) -> bool {
    let id = match issue {
        FundIssue::MissingJointApproval(id)
        | FundIssue::MissingStreetReview(id)
        | FundIssue::PaidFirstNotFiled(id)
        | FundIssue::CashNotListed(id)
        | FundIssue::NoVoucher(id)
        | FundIssue::NotInPlan(id)
        | FundIssue::WrongFund(id)
        | FundIssue::ForbiddenUse(id, _) => id,
        FundIssue::OfficeOverCap { .. } | FundIssue::OverBudget { .. } | FundIssue::NoPlan(_) => {
            return true;
        }
    };
    year.payments.iter().any(|p| p.id == *id && p.on <= to)
}

fn short_day(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// The payment as a report line.
pub fn item_line(p: &Payment, committee: &CommitteeBook) -> ItemLine {
    let signer = |role: Role| {
        p.signatures.iter().find(|s| s.role == role).map(|s| {
            let name = committee
                .workers
                .iter()
                .find(|w| w.id == s.worker)
                .map_or("", |w| w.name.as_str());
            format!("{}{name} {}", role.label(), short_day(s.on))
        })
    };
    let mut approvals: Vec<String> = [Role::Secretary, Role::Director]
        .into_iter()
        .filter_map(signer)
        .collect();
    if let Some(r) = &p.street_review {
        approvals.push(format!("街道审核 {}（{}）", short_day(r.on), r.reference));
    }
    if p.paid_first {
        approvals.push(match p.filed_on {
            Some(d) => format!("先支后补，{}补办", short_day(d)),
            None => "先支后补，未补办".to_owned(),
        });
    }
    let mut notes: Vec<String> = payment_issues(p)
        .iter()
        .map(|i| i.rule().map_or("先支后补未补办", |r| r.label()).to_owned())
        .collect();
    for o in &p.overrides {
        notes.push(format!("{}（已说明：{}）", o.rule.label(), o.reason.trim()));
    }
    ItemLine {
        number: format!("{}-{:04}", p.id.year, p.id.seq),
        on: p.on,
        category: p.category,
        payee: match &p.payee {
            Payee::Organisation { name, .. } => name.clone(),
            Payee::Individual { name, .. } => format!("个人：{name}"),
        },
        purpose: p.purpose.clone(),
        method: match p.method {
            PaymentMethod::Cash { listed: true } => "现金（清单内）",
            m => m.label(),
        },
        voucher: if p.voucher.trim().is_empty() {
            "未填".to_owned()
        } else {
            p.voucher.trim().to_owned()
        },
        amount: p.amount,
        approvals: if approvals.is_empty() {
            "无".to_owned()
        } else {
            approvals.join("；")
        },
        notes: notes.join("；"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FundRule;
    use crate::model::WorkerId;
    use crate::model::fund::{
        FundPlan, Income, Override, PaymentId, PlanItem, Signature, StreetReview,
    };

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn pay(seq: u32, fund: FundKind, category: FundCategory, on: NaiveDate, yuan: i64) -> Payment {
        Payment {
            id: PaymentId { year: 2026, seq },
            fund,
            category,
            on,
            payee: Payee::Organisation {
                name: "某某文印店".into(),
                id: None,
            },
            purpose: "用品".into(),
            amount: Fen::yuan(yuan),
            voucher: format!("P{seq}"),
            method: PaymentMethod::OfficialCard,
            project: None,
            signatures: [Role::Secretary, Role::Director]
                .into_iter()
                .map(|role| Signature {
                    worker: WorkerId(1),
                    role,
                    on,
                })
                .collect(),
            street_review: None,
            paid_first: false,
            filed_on: None,
            recorded_by: "甲".into(),
            overrides: Vec::new(),
        }
    }

    /// A year counted by hand: 居委会工作经费 budget 100,000, carried 12,000.50, 60,000
    /// received on 15 January and 40,000 on 10 July; payments of 300 (office, February), 8,000
    /// (community service, May, street review), 400 (office, August), 250 (community, 2 July,
    /// paid first, not filed) and a 党组织 payment of 200 in March.
    fn year() -> FundYear {
        let mut big = pay(
            2,
            FundKind::Work,
            FundCategory::CommunityService,
            day(5, 20),
            8_000,
        );
        big.signatures.clear();
        big.street_review = Some(StreetReview {
            on: day(5, 18),
            reference: "街审〔2026〕7号".into(),
        });
        let mut first = pay(
            4,
            FundKind::Work,
            FundCategory::CommunityService,
            day(7, 2),
            250,
        );
        first.paid_first = true;
        first.signatures.clear();
        let mut cash = pay(
            5,
            FundKind::PartyService,
            FundCategory::Care,
            day(3, 8),
            200,
        );
        cash.method = PaymentMethod::Cash { listed: false };
        cash.overrides.push(Override {
            rule: FundRule::CashNotListed,
            reason: "慰问金当面发放".into(),
            by: "甲".into(),
            on: day(3, 8),
        });
        FundYear {
            plans: vec![FundPlan {
                fund: FundKind::Work,
                budget: Fen::yuan(100_000),
                main_uses: String::new(),
                key_projects: Vec::new(),
                items: vec![
                    PlanItem {
                        category: FundCategory::Office,
                        description: String::new(),
                        amount: Fen::yuan(30_000),
                    },
                    PlanItem {
                        category: FundCategory::CommunityService,
                        description: String::new(),
                        amount: Fen::yuan(50_000),
                    },
                ],
                carried_over: Fen(1_200_050),
            }],
            payments: vec![
                pay(1, FundKind::Work, FundCategory::Office, day(2, 3), 300),
                big,
                pay(3, FundKind::Work, FundCategory::Office, day(8, 9), 400),
                first,
                cash,
            ],
            income: vec![
                Income {
                    fund: FundKind::Work,
                    on: day(1, 15),
                    amount: Fen::yuan(60_000),
                    reference: "拨1".into(),
                    note: String::new(),
                },
                Income {
                    fund: FundKind::Work,
                    on: day(7, 10),
                    amount: Fen::yuan(40_000),
                    reference: "拨2".into(),
                    note: String::new(),
                },
            ],
        }
    }

    fn committee() -> CommitteeBook {
        CommitteeBook {
            workers: vec![crate::model::Worker {
                id: WorkerId(1),
                name: "王书记".into(),
                roles: vec![Role::Secretary, Role::Director],
                phone: None,
                signs_notices: true,
                since: day(1, 1),
                left_on: None,
            }],
            ..CommitteeBook::default()
        }
    }

    #[test]
    fn the_quarterly_report_opens_and_closes_with_the_money_held() {
        let y = year();
        let r = report(&y, &committee(), ReportPeriod::Quarter(2026, 3));
        let work = &r.funds[0];
        assert_eq!(work.fund, FundKind::Work);
        // Opening on 1 July: 12,000.50 + 60,000 − 300 − 8,000.
        assert_eq!(work.opening, Fen(6_370_050));
        assert_eq!(work.received, Fen::yuan(40_000));
        assert_eq!(work.spent, Fen::yuan(650));
        assert_eq!(work.spent_to_date, Fen::yuan(8_950));
        // Closing on 30 September: 12,000.50 + 100,000 − 8,950.
        assert_eq!(work.closing, Fen(10_305_050));
        assert_eq!(
            work.items
                .iter()
                .map(|i| i.number.as_str())
                .collect::<Vec<_>>(),
            ["2026-0004", "2026-0003"]
        );
        let office = &work.categories[0];
        assert_eq!(
            (
                office.planned,
                office.count,
                office.spent,
                office.spent_to_date
            ),
            (Fen::yuan(30_000), 1, Fen::yuan(400), Fen::yuan(700))
        );
        assert_eq!(work.office_share.as_deref(), Some("0.7%（上限 35%）"));
        // The paid-first payment is open and said so; the party fund (no plan, one payment in
        // March) is in the report with nothing in the quarter.
        assert_eq!(r.paid_first_open.len(), 1);
        assert_eq!(r.paid_first_open[0].approvals, "先支后补，未补办");
        let party = &r.funds[1];
        assert_eq!((party.spent, party.spent_to_date), (Fen(0), Fen::yuan(200)));
        assert!(
            r.warnings
                .iter()
                .any(|w| w.contains("尚未制定年度经费计划"))
        );
        assert!(r.warnings.iter().any(|w| w.contains("先支后补")));
    }

    #[test]
    fn a_quarter_leaves_out_what_came_after_it() {
        let r = report(&year(), &committee(), ReportPeriod::Quarter(2026, 1));
        let work = &r.funds[0];
        assert_eq!(work.opening, Fen(1_200_050));
        assert_eq!(work.received, Fen::yuan(60_000));
        assert_eq!(work.closing, Fen(1_200_050 + 6_000_000 - 30_000));
        // The July paid-first payment is not yet made at the end of March.
        assert!(r.paid_first_open.is_empty());
        assert!(!r.warnings.iter().any(|w| w.contains("先支后补")));
    }

    #[test]
    fn the_yearly_report_holds_every_payment_and_its_approvals() {
        let y = year();
        let r = report(&y, &committee(), ReportPeriod::Year(2026));
        let work = &r.funds[0];
        assert_eq!(work.items.len(), 4);
        assert_eq!(work.opening, work.carried);
        assert_eq!(work.closing, fund_rules_balance(&y));
        let big = &work.items[1];
        assert_eq!(big.approvals, "街道审核 5月18日（街审〔2026〕7号）");
        let party = &r.funds[1];
        assert_eq!(party.items[0].method, "现金");
        assert_eq!(
            party.items[0].notes,
            "不在现金支付清单内（已说明：慰问金当面发放）"
        );
        assert!(work.items[0].approvals.starts_with("书记"));
    }

    fn fund_rules_balance(y: &FundYear) -> Fen {
        crate::model::fund_rules::balance(y, FundKind::Work).balance()
    }

    #[test]
    fn months_categories_and_the_office_share_for_the_charts() {
        let y = year();
        let months = monthly_spent(&y, FundKind::Work);
        assert_eq!(months[1], Fen::yuan(300));
        assert_eq!(months[4], Fen::yuan(8_000));
        assert_eq!(months[6], Fen::yuan(250));
        assert_eq!(months.iter().copied().sum::<Fen>(), Fen::yuan(8_950));
        assert_eq!(
            plan_against_actual(&y, FundKind::Work),
            [
                (FundCategory::Office, Fen::yuan(30_000), Fen::yuan(700)),
                (
                    FundCategory::CommunityService,
                    Fen::yuan(50_000),
                    Fen::yuan(8_250)
                ),
                (FundCategory::SelfGovernment, Fen(0), Fen(0)),
            ]
        );
        let share = office_share_by_month(&y, 2026, day(8, 31));
        assert_eq!(share[0], Some(0.0));
        assert_eq!(share[1], Some(0.3));
        assert_eq!(share[7], Some(0.7));
        assert_eq!(share[8], None, "September has not begun");
    }

    #[test]
    fn periods_have_their_days_and_names() {
        let q = ReportPeriod::Quarter(2026, 4);
        assert_eq!((q.first(), q.last()), (day(10, 1), day(12, 31)));
        assert_eq!(q.title(), "2026年第4季度经费使用情况内部报告");
        let y = ReportPeriod::Year(2026);
        assert_eq!((y.first(), y.last()), (day(1, 1), day(12, 31)));
        assert_eq!(
            ReportPeriod::quarter_of(day(5, 5)),
            ReportPeriod::Quarter(2026, 2)
        );
        assert_eq!(ReportPeriod::Quarter(2026, 1).last(), day(3, 31));
    }
}
