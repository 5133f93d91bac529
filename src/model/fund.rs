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
    /// Rules this payment breaks on purpose, each with the reason written when it was entered.
    #[serde(default)]
    pub overrides: Vec<Override>,
}

/// A rule that may be set aside for one payment, with a written reason (kept with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FundRule {
    /// Spending outside the yearly plan.
    NotInPlan,
    /// Office costs above 35% of 居委会工作经费.
    OfficeOverCap,
    /// The fund's spending above its budget.
    OverBudget,
    /// A use the fund may not pay (salaries, office costs, what the property company owes).
    ForbiddenUse,
    /// No voucher reference.
    NoVoucher,
    /// An approval missing (both signatures up to 500 yuan, the street office's review above).
    MissingApproval,
    /// Cash outside the district's cash list.
    CashNotListed,
}

impl FundRule {
    /// The Chinese name of the rule.
    pub fn label(self) -> &'static str {
        match self {
            FundRule::NotInPlan => "计划外支出",
            FundRule::OfficeOverCap => "办公经费超过 35%",
            FundRule::OverBudget => "超出预算",
            FundRule::ForbiddenUse => "不得列支的用途",
            FundRule::NoVoucher => "缺少票据",
            FundRule::MissingApproval => "审批不全",
            FundRule::CashNotListed => "不在现金支付清单内",
        }
    }
}

/// A rule set aside for a payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// Which rule.
    pub rule: FundRule,
    /// Why (required).
    pub reason: String,
    /// Who wrote it.
    pub by: String,
    /// When.
    pub on: NaiveDate,
}

/// Money received from the street office for a fund (拨款), so that a balance is real money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Income {
    /// Fund.
    pub fund: FundKind,
    /// Date received.
    pub on: NaiveDate,
    /// Amount.
    pub amount: Fen,
    /// Reference (拨款文号 or bank slip).
    pub reference: String,
    /// Note.
    pub note: String,
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
    /// The balance carried from last year (结转).
    #[serde(default)]
    pub carried_over: Fen,
}

/// A year of the three funds: one ledger collection per year.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FundYear {
    /// Plans and budgets.
    pub plans: Vec<FundPlan>,
    /// Payments.
    pub payments: Vec<Payment>,
    /// Money received from the street office.
    #[serde(default)]
    pub income: Vec<Income>,
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
}
