//! The three funds (附件一 居民区工作经费使用管理办法): yearly budgets and plans, payments with their
//! approvals and vouchers, and the rules the ledger enforces or warns about.

use super::committee::{OrganisationId, Role, WorkerId};
use super::household::HouseholdId;
use super::money::Fen;
use super::project::ProjectId;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The three funds of a residential area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FundKind {
    /// 居委会工作经费
    Work,
    /// 党组织服务群众专项经费
    PartyService,
    /// 社区基金会匹配资金
    Foundation,
}

impl FundKind {
    /// Every fund.
    pub const ALL: [FundKind; 3] = [FundKind::Work, FundKind::PartyService, FundKind::Foundation];

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            FundKind::Work => "居委会工作经费",
            FundKind::PartyService => "党组织服务群众专项经费",
            FundKind::Foundation => "社区基金会匹配资金",
        }
    }

    /// The categories spending of this fund falls into.
    pub fn categories(self) -> &'static [FundCategory] {
        use FundCategory::*;
        match self {
            FundKind::Work => &[Office, CommunityService, SelfGovernment],
            FundKind::PartyService => &[Convenience, Activities, Care, PublicSpirit, OtherServices],
            FundKind::Foundation => &[
                Relief,
                PublicWelfare,
                ResidentProjects,
                SocialOrganisations,
                Facilities,
                Volunteering,
                OtherPublic,
            ],
        }
    }
}

/// What a payment was for, per fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FundCategory {
    /// 办公经费 (居委会工作经费, at most 35%)
    Office,
    /// 社区服务
    CommunityService,
    /// 居民自治
    SelfGovernment,
    /// 便民利民类
    Convenience,
    /// 群众活动类
    Activities,
    /// 关爱帮扶类
    Care,
    /// 公益风尚类
    PublicSpirit,
    /// 其他服务事项 (节日慰问, 应急助医助学助困, urgent repairs)
    OtherServices,
    /// 社区救助
    Relief,
    /// 公益项目
    PublicWelfare,
    /// 居民自治项目
    ResidentProjects,
    /// 扶持社会组织
    SocialOrganisations,
    /// 改善公共服务设施
    Facilities,
    /// 志愿服务
    Volunteering,
    /// 其他公共事业
    OtherPublic,
}

impl FundCategory {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        use FundCategory::*;
        match self {
            Office => "办公经费",
            CommunityService => "社区服务",
            SelfGovernment => "居民自治",
            Convenience => "便民利民类",
            Activities => "群众活动类",
            Care => "关爱帮扶类",
            PublicSpirit => "公益风尚类",
            OtherServices => "其他服务事项",
            Relief => "社区救助",
            PublicWelfare => "公益项目",
            ResidentProjects => "居民自治项目",
            SocialOrganisations => "扶持社会组织",
            Facilities => "改善公共服务设施",
            Volunteering => "志愿服务",
            OtherPublic => "其他公共事业",
        }
    }

    /// The fund this category belongs to.
    pub fn fund(self) -> FundKind {
        use FundCategory::*;
        match self {
            Office | CommunityService | SelfGovernment => FundKind::Work,
            Convenience | Activities | Care | PublicSpirit | OtherServices => {
                FundKind::PartyService
            }
            _ => FundKind::Foundation,
        }
    }
}

/// Identifies a payment: the year's file and a number in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PaymentId {
    /// Year.
    pub year: i32,
    /// Number within the year.
    pub seq: u32,
}

/// Who was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Payee {
    /// An organisation or business: published by name.
    Organisation {
        /// Name as on the invoice.
        name: String,
        /// The organisation record, if there is one.
        id: Option<OrganisationId>,
    },
    /// Help paid to a person: personal; published only as a count and total per category.
    Individual {
        /// Name.
        name: String,
        /// Household, if a resident.
        household: Option<HouseholdId>,
    },
}

/// How a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// 公务卡
    OfficialCard,
    /// 银行转账
    Transfer,
    /// 现金; `listed` says whether the item is on the district's cash list.
    Cash {
        /// On the district's cash list.
        listed: bool,
    },
}

impl PaymentMethod {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::OfficialCard => "公务卡",
            PaymentMethod::Transfer => "转账",
            PaymentMethod::Cash { .. } => "现金",
        }
    }
}

/// A signature on a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// Who approved.
    pub worker: WorkerId,
    /// In which role.
    pub role: Role,
    /// When.
    pub on: NaiveDate,
}

/// The street office's review of a payment above the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetReview {
    /// When.
    pub on: NaiveDate,
    /// Reference (审批单号) and reviewer's office.
    pub reference: String,
}

/// One payment from a fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Identifier.
    pub id: PaymentId,
    /// Fund.
    pub fund: FundKind,
    /// Category within the fund.
    pub category: FundCategory,
    /// Date paid.
    pub on: NaiveDate,
    /// Payee.
    pub payee: Payee,
    /// Purpose (public for payments to organisations).
    pub purpose: String,
    /// Amount.
    pub amount: Fen,
    /// Voucher reference (票据号).
    pub voucher: String,
    /// Method.
    pub method: PaymentMethod,
    /// Project paid for, if any.
    pub project: Option<ProjectId>,
    /// Signatures of the secretary and director.
    pub signatures: Vec<Signature>,
    /// Street office review, required above the line.
    pub street_review: Option<StreetReview>,
    /// 先支后补: paid first in an emergency, approval filed after.
    pub paid_first: bool,
    /// When a paid-first approval was filed.
    pub filed_on: Option<NaiveDate>,
    /// Who entered it.
    pub recorded_by: String,
}

/// A planned use in the yearly plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    /// Category.
    pub category: FundCategory,
    /// What for.
    pub description: String,
    /// Planned amount.
    pub amount: Fen,
}

/// The yearly plan and budget of one fund (年度经费计划).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundPlan {
    /// Fund.
    pub fund: FundKind,
    /// Budget granted by the street office.
    pub budget: Fen,
    /// Main uses.
    pub main_uses: String,
    /// Key projects.
    pub key_projects: Vec<String>,
    /// Planned items.
    pub items: Vec<PlanItem>,
}

/// A year of the three funds: one ledger collection per year.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FundYear {
    /// Plans and budgets.
    pub plans: Vec<FundPlan>,
    /// Payments.
    pub payments: Vec<Payment>,
}

/// One payment of 500 yuan or less is approved by the secretary and the director; above it needs
/// the street office's review.
pub const APPROVAL_LINE: Fen = Fen::yuan(500);

/// Office costs may be at most this share (percent) of 居委会工作经费.
pub const OFFICE_CAP_PERCENT: i64 = 35;

impl FundYear {
    /// The plan of a fund.
    pub fn plan(&self, fund: FundKind) -> Option<&FundPlan> {
        self.plans.iter().find(|p| p.fund == fund)
    }

    /// Total paid from a fund.
    pub fn spent(&self, fund: FundKind) -> Fen {
        self.payments
            .iter()
            .filter(|p| p.fund == fund)
            .map(|p| p.amount)
            .sum()
    }

    /// Total paid in one category.
    pub fn spent_in(&self, category: FundCategory) -> Fen {
        self.payments
            .iter()
            .filter(|p| p.category == category)
            .map(|p| p.amount)
            .sum()
    }

    /// Next free payment id for `year`.
    pub fn next_payment_id(&self, year: i32) -> PaymentId {
        PaymentId {
            year,
            seq: self.payments.iter().map(|p| p.id.seq).max().unwrap_or(0) + 1,
        }
    }
}

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

/// Which half-year a date falls in: 1 (Jan–Jun) or 2 (Jul–Dec).
pub fn half_of(date: NaiveDate) -> u8 {
    if date.month() <= 6 { 1 } else { 2 }
}

/// Which quarter a date falls in: 1..=4.
pub fn quarter_of(date: NaiveDate) -> u8 {
    (date.month0() / 3 + 1) as u8
}

/// How often fund use is disclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Cadence {
    /// Twice a year (the rule).
    #[default]
    HalfYear,
    /// Every quarter.
    Quarter,
}

/// One period whose fund use is disclosed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosurePeriod {
    /// Short code for file names: `h1`, `h2`, `q1` … `q4`.
    pub code: String,
    /// Chinese label: 上半年, 下半年, 第1季度 ….
    pub label: String,
    /// First day.
    pub first: NaiveDate,
    /// Last day (the notice date).
    pub last: NaiveDate,
}

/// The disclosure calendar: the periods of `year` (half-years by [`half_of`], quarters by
/// [`quarter_of`]) that have ended by `today`. A period is disclosed once it has ended.
pub fn disclosure_periods(year: i32, cadence: Cadence, today: NaiveDate) -> Vec<DisclosurePeriod> {
    let period_of = |d: NaiveDate| match cadence {
        Cadence::HalfYear => half_of(d),
        Cadence::Quarter => quarter_of(d),
    };
    let mut out: Vec<DisclosurePeriod> = Vec::new();
    for month in 1..=12 {
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            continue;
        };
        let last = NaiveDate::from_ymd_opt(year + i32::from(month == 12), month % 12 + 1, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(first);
        let n = period_of(first);
        match out.last_mut() {
            Some(p) if p.code.ends_with(&n.to_string()) => p.last = last,
            _ => out.push(match cadence {
                Cadence::HalfYear => DisclosurePeriod {
                    code: format!("h{n}"),
                    label: if n == 1 { "上半年" } else { "下半年" }.to_owned(),
                    first,
                    last,
                },
                Cadence::Quarter => DisclosurePeriod {
                    code: format!("q{n}"),
                    label: format!("第{n}季度"),
                    first,
                    last,
                },
            }),
        }
    }
    out.retain(|p| p.last < today);
    out
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
}

impl FundIssue {
    /// The Chinese explanation, naming what to do.
    pub fn message(&self) -> String {
        match self {
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

/// Checks a payment against the approval rules.
pub fn payment_issues(payment: &Payment) -> Vec<FundIssue> {
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
            out.push(FundIssue::NotInPlan(payment.id));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_disclosure_calendar_follows_the_half_years_and_quarters() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let codes = |c, today| {
            disclosure_periods(2026, c, today)
                .into_iter()
                .map(|p| format!("{} {} {}–{}", p.code, p.label, p.first, p.last))
                .collect::<Vec<_>>()
        };
        // A half-year is disclosed once it has ended: not on its last day.
        assert!(codes(Cadence::HalfYear, d(2026, 6, 30)).is_empty());
        assert_eq!(
            codes(Cadence::HalfYear, d(2026, 7, 1)),
            ["h1 上半年 2026-01-01–2026-06-30"]
        );
        assert_eq!(
            codes(Cadence::Quarter, d(2026, 11, 23)),
            [
                "q1 第1季度 2026-01-01–2026-03-31",
                "q2 第2季度 2026-04-01–2026-06-30",
                "q3 第3季度 2026-07-01–2026-09-30"
            ]
        );
        let next_year = disclosure_periods(2026, Cadence::Quarter, d(2027, 1, 1));
        assert_eq!(next_year.len(), 4);
        assert_eq!(next_year[3].last, d(2026, 12, 31));
        assert_eq!(
            disclosure_periods(2026, Cadence::HalfYear, d(2027, 1, 1)).len(),
            2
        );
    }

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
        };
        assert_eq!(
            year_issues(&alone),
            [FundIssue::NoPlan(FundKind::Foundation)]
        );
    }
}
