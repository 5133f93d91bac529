//! The public projection: the only place that reads the ledger for publishing. It builds
//! `Public*` values holding nothing personal (help to individuals becomes counts and totals per
//! category; residents, tags, phones and ID numbers never appear), and templates receive only
//! these.

use super::settings::SiteSettings;
use crate::model::{
    Cadence, DisclosurePeriod, Fen, FundCategory, FundKind, FundYear, Ledger, NoticePeriod, Payee,
    Payment, Project, ProjectStage, Tally, disclosure_periods, office_share,
};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Fewer respondents than this are not broken down (DOMAIN.md: small groups identify people).
pub const MIN_RESPONDENTS: u32 = 5;

/// Everything the site shows.
#[derive(Debug, Clone, Serialize)]
pub struct PublicSite {
    /// The committee and its office.
    pub committee: PublicCommittee,
    /// Members who sign notices.
    pub signers: Vec<PublicSigner>,
    /// Fund disclosures, newest first.
    pub disclosures: Vec<PublicDisclosure>,
    /// Projects whose plan is public, newest first.
    pub projects: Vec<PublicProject>,
    /// Every notice (disclosures, project plans and outcomes), newest first.
    pub notices: Vec<PublicNotice>,
    /// The print boards of the notices (guide items add theirs when rendered).
    pub boards: Vec<PublicBoard>,
    /// Publication date.
    pub published_on: String,
}

/// The committee's public face.
#[derive(Debug, Clone, Serialize)]
pub struct PublicCommittee {
    /// Name.
    pub name: String,
    /// District and street, e.g. 普陀区 某某街道.
    pub area: String,
    /// Office address.
    pub office_address: String,
    /// Office hours.
    pub office_hours: String,
    /// Office phone (a landline of the office, never a person's mobile).
    pub office_phone: String,
}

/// A member who signs notices.
#[derive(Debug, Clone, Serialize)]
pub struct PublicSigner {
    /// Name.
    pub name: String,
    /// Roles, e.g. 书记、主任.
    pub roles: String,
}

/// One row of spending per category.
#[derive(Debug, Clone, Serialize)]
pub struct PublicCategoryLine {
    /// Category label.
    pub category: String,
    /// Spent in the period, formatted.
    pub spent: String,
    /// Payments in the period.
    pub count: usize,
}

/// A payment to an organisation, as published.
#[derive(Debug, Clone, Serialize)]
pub struct PublicPayment {
    /// Date.
    pub date: String,
    /// Organisation paid.
    pub organisation: String,
    /// Category.
    pub category: String,
    /// Purpose.
    pub purpose: String,
    /// Amount, formatted.
    pub amount: String,
    /// Voucher number.
    pub voucher: String,
}

/// Help to individuals in one category: a count and a total, never names.
#[derive(Debug, Clone, Serialize)]
pub struct PublicAidLine {
    /// Category.
    pub category: String,
    /// Number of payments.
    pub count: usize,
    /// Total, formatted.
    pub total: String,
}

/// One fund's disclosure for one period (half-year or quarter).
#[derive(Debug, Clone, Serialize)]
pub struct PublicDisclosure {
    /// File stem, e.g. `2026-h1-work`.
    pub slug: String,
    /// Its print page (see [`board_page`]).
    pub board: String,
    /// Title, e.g. 2026年上半年居委会工作经费使用情况公示.
    pub title: String,
    /// Fund name.
    pub fund: String,
    /// Period label, e.g. 2026年上半年.
    pub period: String,
    /// Last day of the period (the notice date).
    pub date: NaiveDate,
    /// Budget for the year, formatted (empty if no plan).
    pub budget: String,
    /// Spent in the year up to the end of the period.
    pub spent_to_date: String,
    /// Spent in this period.
    pub spent_in_period: String,
    /// Budget remaining.
    pub remaining: String,
    /// Carried from last year, formatted (empty, like the two below, when the ledger records
    /// no money carried or received for the fund: then no balance can be stated).
    pub carried: String,
    /// Received from the street office from 1 January to the period's end, formatted.
    pub received_to_date: String,
    /// Money held at the period's end (carried + received − spent), formatted.
    pub balance: String,
    /// Whether more was paid out than was held.
    pub balance_negative: bool,
    /// Spending per category in the period.
    pub categories: Vec<PublicCategoryLine>,
    /// For 居委会工作经费: the office-cost share of the year so far, e.g. `28.4%`.
    pub office_share: Option<String>,
    /// Whether that share is over the cap.
    pub office_over_cap: bool,
    /// Payments to organisations.
    pub payments: Vec<PublicPayment>,
    /// Help to individuals, aggregated.
    pub aid: Vec<PublicAidLine>,
    /// Issue number, e.g. `经公〔2026〕3号`.
    pub issue: String,
}

/// A consultation meeting, as published.
#[derive(Debug, Clone, Serialize)]
pub struct PublicMeeting {
    /// Kind (听证会, 协调会, …).
    pub kind: String,
    /// Date.
    pub date: String,
    /// People attending.
    pub attendance: u32,
    /// Topic.
    pub topic: String,
    /// Decision.
    pub decision: String,
}

/// One dimension of a satisfaction survey.
#[derive(Debug, Clone, Serialize)]
pub struct PublicSurveyLine {
    /// Dimension (过程, 力度, 结果).
    pub dimension: String,
    /// 满意.
    pub satisfied: u32,
    /// 基本满意.
    pub fair: u32,
    /// 不满意.
    pub dissatisfied: u32,
    /// Satisfaction, e.g. `86.7%`.
    pub percent: String,
}

/// A survey as published.
#[derive(Debug, Clone, Serialize)]
pub struct PublicSurvey {
    /// Date.
    pub date: String,
    /// Method.
    pub method: String,
    /// Respondents.
    pub respondents: u32,
    /// Per dimension, empty when there were fewer than [`MIN_RESPONDENTS`].
    pub lines: Vec<PublicSurveyLine>,
}

/// A practical project (实事项目), as published.
#[derive(Debug, Clone, Serialize)]
pub struct PublicProject {
    /// File stem, e.g. `2026-3`.
    pub slug: String,
    /// Year.
    pub year: i32,
    /// Title.
    pub title: String,
    /// Category.
    pub category: String,
    /// Stage label.
    pub stage: String,
    /// The need it answers.
    pub need: String,
    /// The plan.
    pub plan: String,
    /// Budget, formatted.
    pub budget: String,
    /// Fund and category.
    pub fund: String,
    /// Consultation meetings.
    pub meetings: Vec<PublicMeeting>,
    /// Plan notice period, e.g. 2026年3月1日至2026年3月7日.
    pub plan_notice: String,
    /// Whether the outcome is public (closed and announced).
    pub closed: bool,
    /// Spent on it, formatted.
    pub spent: String,
    /// What was done.
    pub outcome: String,
    /// Outcome notice period.
    pub outcome_notice: String,
    /// The latest survey, if any.
    pub survey: Option<PublicSurvey>,
    /// Rectification, when satisfaction fell short.
    pub rectification: String,
    /// Plan notice issue number.
    pub plan_issue: String,
    /// Outcome notice issue number.
    pub outcome_issue: String,
    /// The plan notice's print page (see [`board_page`]).
    pub plan_board: String,
    /// The outcome notice's print page (see [`board_page`]).
    pub outcome_board: String,
}

/// The print page of a notice (`fund`, `plan` or `outcome` of the record `slug`), from the
/// site root: one file for either paper, `…#a4` or `…#a3`.
pub fn board_page(kind: &str, slug: &str) -> String {
    format!("boards/{kind}-{slug}.html")
}

/// A notice's print board (公示栏), in A4 and A3.
#[derive(Debug, Clone, Serialize)]
pub struct PublicBoard {
    /// The page that prints it on either paper (`…#a4`, `…#a3`), from the site root: under
    /// `boards/` for a notice, a guide item's own page for the guide.
    pub print: String,
    /// Which body it prints: `fund`, `plan`, `outcome` or `guide`.
    pub kind: String,
    /// The slug of the record it prints (disclosure, project or guide item).
    pub of: String,
    /// Title.
    pub title: String,
    /// Issue number.
    pub issue: String,
    /// 公示期, where it applies.
    pub notice_period: String,
    /// The period or notice dates, for the list.
    pub when: String,
    /// The web page it prints, from the site root.
    pub back: String,
    /// Whether it should be on the board now.
    pub due: bool,
}

/// How long after its period a fund disclosure should stay posted.
const DISCLOSURE_POSTED_DAYS: i64 = 31;
/// How many days before its 公示期 a project notice is listed as due (to print and post).
const NOTICE_LEAD_DAYS: i64 = 7;

/// A notice in the list of all notices.
#[derive(Debug, Clone, Serialize)]
pub struct PublicNotice {
    /// Date.
    pub date: String,
    /// Title.
    pub title: String,
    /// Link from the site root.
    pub href: String,
    /// Kind: 经费公开, 项目公示, 结果公示.
    pub kind: String,
}

/// A date as notices write it: 2026年11月23日.
pub(super) fn date_text(d: NaiveDate) -> String {
    crate::model::dates::chinese_date(d)
}

fn period_text(from: NaiveDate, to: NaiveDate) -> String {
    format!("{}至{}", date_text(from), date_text(to))
}

/// Builds the public site from the ledger. Nothing personal leaves this function.
pub fn project(ledger: &Ledger, settings: &SiteSettings, today: NaiveDate) -> PublicSite {
    let committee = public_committee(ledger, settings);
    let signers = public_signers(ledger, today);
    let mut disclosures = Vec::new();
    for (year, funds) in &ledger.funds {
        disclosures.extend(disclose_year(*year, funds, settings.cadence, today));
    }
    disclosures.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    let mut notices: Vec<PublicNotice> = Vec::new();
    let mut boards: Vec<PublicBoard> = Vec::new();
    for d in &disclosures {
        fund_notice(d, today, &mut notices, &mut boards);
    }
    let mut public: Vec<&Project> = ledger
        .projects
        .projects
        .iter()
        .filter(|p| p.stage.plan_is_public())
        .collect();
    public.sort_by(|a, b| b.year.cmp(&a.year).then(a.id.cmp(&b.id)));
    let mut projects = Vec::with_capacity(public.len());
    for p in public {
        let pp = public_project(p, ledger);
        project_notices(p, &pp, today, &mut notices, &mut boards);
        projects.push(pp);
    }
    notices.sort_by(|a, b| b.date.cmp(&a.date).then(a.title.cmp(&b.title)));
    PublicSite {
        committee,
        signers,
        disclosures,
        projects,
        notices,
        boards,
        published_on: date_text(today),
    }
}

/// The public site of one project alone, as if it had reached `stage` (for the app's preview
/// of a notice before it is posted): its page and its notices' boards, nothing else.
pub fn one_project(
    ledger: &Ledger,
    settings: &SiteSettings,
    project: &Project,
    stage: ProjectStage,
    today: NaiveDate,
) -> PublicSite {
    let mut p = project.clone();
    p.stage = p.stage.max(stage);
    let pp = public_project(&p, ledger);
    let mut notices = Vec::new();
    let mut boards = Vec::new();
    project_notices(&p, &pp, today, &mut notices, &mut boards);
    PublicSite {
        committee: public_committee(ledger, settings),
        signers: public_signers(ledger, today),
        disclosures: Vec::new(),
        projects: vec![pp],
        notices,
        boards,
        published_on: date_text(today),
    }
}

/// The public site of one fund's disclosure alone, for the period (by the committee's cadence)
/// that holds `on`, as it will be published once that period has ended (for the app's
/// preview): its page and its board, nothing else. None when the year has nothing of that
/// fund.
pub fn one_disclosure(
    ledger: &Ledger,
    settings: &SiteSettings,
    fund: FundKind,
    on: NaiveDate,
    today: NaiveDate,
) -> Option<PublicSite> {
    let year = on.year();
    let funds = ledger.funds.get(&year)?;
    let end_of_year = NaiveDate::from_ymd_opt(year + 1, 1, 2)?;
    let period = disclosure_periods(year, settings.cadence, end_of_year)
        .into_iter()
        .find(|p| p.first <= on && on <= p.last)?;
    let slug = format!("{year}-{}-{}", period.code, fund_code(fund));
    let d = disclose_year(year, funds, settings.cadence, period.last.succ_opt()?)
        .into_iter()
        .find(|d| d.slug == slug)?;
    let mut notices = Vec::new();
    let mut boards = Vec::new();
    fund_notice(&d, today, &mut notices, &mut boards);
    Some(PublicSite {
        committee: public_committee(ledger, settings),
        signers: public_signers(ledger, today),
        disclosures: vec![d],
        projects: Vec::new(),
        notices,
        boards,
        published_on: date_text(today),
    })
}

/// The committee as its notices name it: the settings' office address, hours and phone
/// when given, else the recorded ones.
fn public_committee(ledger: &Ledger, settings: &SiteSettings) -> PublicCommittee {
    let c = ledger.committee.committee.clone().unwrap_or_default();
    let pick = |setting: &str, recorded: &str| {
        if setting.trim().is_empty() {
            recorded.to_owned()
        } else {
            setting.trim().to_owned()
        }
    };
    PublicCommittee {
        name: c.name.clone(),
        area: [c.district.as_str(), c.street.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
        office_address: pick(&settings.office_address, &c.office_address),
        office_hours: pick(&settings.office_hours, &c.office_hours),
        office_phone: pick(&settings.office_phone, &c.office_phone),
    }
}

/// The workers who sign notices and are still in office, with their roles.
fn public_signers(ledger: &Ledger, today: NaiveDate) -> Vec<PublicSigner> {
    ledger
        .committee
        .workers
        .iter()
        .filter(|w| w.signs_notices && w.left_on.is_none_or(|d| d > today))
        .map(|w| PublicSigner {
            name: w.name.clone(),
            roles: w.roles_label(),
        })
        .collect()
}

/// A fund disclosure in the notices list and as a board.
fn fund_notice(
    d: &PublicDisclosure,
    today: NaiveDate,
    notices: &mut Vec<PublicNotice>,
    boards: &mut Vec<PublicBoard>,
) {
    notices.push(PublicNotice {
        date: d.date.to_string(),
        title: d.title.clone(),
        href: format!("funds/{}.html", d.slug),
        kind: "经费公开".into(),
    });
    boards.push(PublicBoard {
        print: d.board.clone(),
        kind: "fund".into(),
        of: d.slug.clone(),
        title: d.title.clone(),
        issue: d.issue.clone(),
        notice_period: String::new(),
        when: d.period.clone(),
        back: format!("funds/{}.html", d.slug),
        due: d.date < today && (today - d.date).num_days() <= DISCLOSURE_POSTED_DAYS,
    });
}

/// A project's plan notice, and once closed its outcome notice: each in the notices list and
/// as a board.
fn project_notices(
    p: &Project,
    pp: &PublicProject,
    today: NaiveDate,
    notices: &mut Vec<PublicNotice>,
    boards: &mut Vec<PublicBoard>,
) {
    let mut notices_of = vec![(
        "plan",
        "项目公示",
        format!("关于“{}”实施方案的公示", p.title),
        &pp.plan_issue,
        &p.plan_notice,
        "",
    )];
    if pp.closed {
        notices_of.push((
            "outcome",
            "结果公示",
            format!("关于“{}”实施结果的公示", p.title),
            &pp.outcome_issue,
            &p.outcome_notice,
            "#outcome",
        ));
    }
    for (kind, label, title, issue, period, anchor) in notices_of {
        let href = format!("projects/{}.html{anchor}", pp.slug);
        if let Some(n) = period {
            notices.push(PublicNotice {
                date: n.from.to_string(),
                title: title.clone(),
                href: href.clone(),
                kind: label.into(),
            });
        }
        let when = period
            .as_ref()
            .map(|n| period_text(n.from, n.to))
            .unwrap_or_default();
        boards.push(PublicBoard {
            print: board_page(kind, &pp.slug),
            kind: kind.into(),
            of: pp.slug.clone(),
            title,
            issue: issue.clone(),
            notice_period: when.clone(),
            when,
            back: href,
            due: period.as_ref().is_some_and(|n| notice_due(n, today)),
        });
    }
}

/// A project notice is due from a few days before its 公示期 to its end.
fn notice_due(n: &NoticePeriod, today: NaiveDate) -> bool {
    n.to >= today && (n.from - today).num_days() <= NOTICE_LEAD_DAYS
}

fn project_slug(p: &Project) -> String {
    format!("{}-{}", p.year, p.id.0)
}

fn fund_code(fund: FundKind) -> &'static str {
    match fund {
        FundKind::Work => "work",
        FundKind::PartyService => "party",
        FundKind::Foundation => "foundation",
    }
}

fn disclose_year(
    year: i32,
    funds: &FundYear,
    cadence: Cadence,
    today: NaiveDate,
) -> Vec<PublicDisclosure> {
    let mut out = Vec::new();
    for (n, period) in disclosure_periods(year, cadence, today)
        .into_iter()
        .enumerate()
    {
        let DisclosurePeriod {
            code,
            label,
            first: from,
            last: to,
        } = period;
        for (f, fund) in FundKind::ALL.into_iter().enumerate() {
            let plan = funds.plan(fund);
            let in_fund = funds.payments.iter().filter(|p| p.fund == fund);
            let period: Vec<_> = in_fund
                .clone()
                .filter(|p| p.on >= from && p.on <= to)
                .collect();
            let to_date: Vec<_> = in_fund.filter(|p| p.on <= to).collect();
            if plan.is_none() && to_date.is_empty() {
                continue;
            }
            let sum = |list: &[&Payment]| -> Fen { list.iter().map(|p| p.amount).sum() };
            let spent_to_date = sum(&to_date);
            let budget = plan.map(|p| p.budget);
            let carried = plan.map(|p| p.carried_over).unwrap_or_default();
            let received: Fen = funds
                .income
                .iter()
                .filter(|i| i.fund == fund && i.on <= to)
                .map(|i| i.amount)
                .sum();
            let balance = carried + received - spent_to_date;
            let known = carried > Fen(0) || received > Fen(0);
            let shown = |f: Fen| if known { f.to_string() } else { String::new() };
            let categories = category_lines(fund, &period);
            // 居委会工作经费: the office share of the year so far, against the budget (or, with no
            // plan, against what was spent).
            let share = (fund == FundKind::Work)
                .then(|| {
                    let office: Fen = to_date
                        .iter()
                        .filter(|p| p.category == FundCategory::Office)
                        .map(|p| p.amount)
                        .sum();
                    office_share(office, budget.unwrap_or(spent_to_date))
                })
                .flatten();
            let payments = organisation_payments(&period);
            let aid = aid_lines(fund, &period);
            let slug = format!("{year}-{code}-{}", fund_code(fund));
            out.push(PublicDisclosure {
                board: board_page("fund", &slug),
                slug,
                title: format!("{year}年{label}{}使用情况公示", fund.label()),
                fund: fund.label().to_owned(),
                period: format!("{year}年{label}"),
                date: to,
                budget: budget.map(|b| b.to_string()).unwrap_or_default(),
                spent_to_date: spent_to_date.to_string(),
                spent_in_period: sum(&period).to_string(),
                remaining: budget
                    .map(|b| (b - spent_to_date).to_string())
                    .unwrap_or_default(),
                carried: shown(carried),
                received_to_date: shown(received),
                balance: shown(balance),
                balance_negative: known && balance < Fen(0),
                categories,
                office_share: share.map(|(pct, _)| format!("{pct:.1}%")),
                office_over_cap: share.is_some_and(|(_, over)| over),
                payments,
                aid,
                issue: format!("经公〔{year}〕{}号", n * FundKind::ALL.len() + f + 1),
            });
        }
    }
    out
}

/// What a fund spent in a period on each of its categories.
fn category_lines(fund: FundKind, period: &[&Payment]) -> Vec<PublicCategoryLine> {
    fund.categories()
        .iter()
        .map(|cat| {
            let here: Vec<_> = period.iter().filter(|p| p.category == *cat).collect();
            PublicCategoryLine {
                category: cat.label().to_owned(),
                spent: here.iter().map(|p| p.amount).sum::<Fen>().to_string(),
                count: here.len(),
            }
        })
        .collect()
}

/// The payments of a period to organisations, in date order, each on its own line.
fn organisation_payments(period: &[&Payment]) -> Vec<PublicPayment> {
    let mut in_order = period.to_vec();
    in_order.sort_by(|a, b| a.on.cmp(&b.on).then(a.voucher.cmp(&b.voucher)));
    in_order
        .iter()
        .filter_map(|p| match &p.payee {
            Payee::Organisation { name, .. } => Some(PublicPayment {
                date: date_text(p.on),
                organisation: name.clone(),
                category: p.category.label().to_owned(),
                purpose: p.purpose.clone(),
                amount: p.amount.to_string(),
                voucher: p.voucher.clone(),
            }),
            Payee::Individual { .. } => None,
        })
        .collect()
}

/// Payments to individuals (aid) in a period: only how many and how much in each category,
/// never who.
fn aid_lines(fund: FundKind, period: &[&Payment]) -> Vec<PublicAidLine> {
    fund.categories()
        .iter()
        .filter_map(|cat| {
            let here: Vec<_> = period
                .iter()
                .filter(|p| p.category == *cat && matches!(p.payee, Payee::Individual { .. }))
                .collect();
            (!here.is_empty()).then(|| PublicAidLine {
                category: cat.label().to_owned(),
                count: here.len(),
                total: here.iter().map(|p| p.amount).sum::<Fen>().to_string(),
            })
        })
        .collect()
}

fn survey_line(dimension: &str, t: &Tally) -> PublicSurveyLine {
    PublicSurveyLine {
        dimension: dimension.to_owned(),
        satisfied: t.satisfied,
        fair: t.fair,
        dissatisfied: t.dissatisfied,
        percent: t
            .satisfaction_percent()
            .map(|p| format!("{p:.1}%"))
            .unwrap_or_default(),
    }
}

fn public_project(p: &Project, ledger: &Ledger) -> PublicProject {
    let closed = p.stage.outcome_is_public();
    let spent: Fen = ledger
        .funds
        .values()
        .flat_map(|f| f.payments.iter())
        .filter(|x| x.project == Some(p.id))
        .map(|x| x.amount)
        .sum();
    let survey = p.latest_survey().filter(|_| closed).map(|s| {
        let respondents = s.result.total();
        PublicSurvey {
            date: date_text(s.on),
            method: s.method.label().to_owned(),
            respondents,
            lines: if respondents < MIN_RESPONDENTS {
                Vec::new()
            } else {
                vec![
                    survey_line("过程", &s.process),
                    survey_line("力度", &s.effort),
                    survey_line("结果", &s.result),
                ]
            },
        }
    });
    let slug = project_slug(p);
    PublicProject {
        plan_board: board_page("plan", &slug),
        outcome_board: board_page("outcome", &slug),
        slug,
        year: p.year,
        title: p.title.clone(),
        category: p.category.clone(),
        stage: p.stage.label().to_owned(),
        need: p.need.clone(),
        plan: p.plan.clone(),
        budget: p.budget.to_string(),
        fund: format!("{}（{}）", p.fund.label(), p.fund_category.label()),
        meetings: p
            .meetings
            .iter()
            .map(|m| PublicMeeting {
                kind: m.kind.label().to_owned(),
                date: date_text(m.on),
                attendance: m.attendance,
                topic: m.topic.clone(),
                decision: m.decision.clone(),
            })
            .collect(),
        plan_notice: p
            .plan_notice
            .as_ref()
            .map(|n| period_text(n.from, n.to))
            .unwrap_or_default(),
        closed,
        spent: if closed {
            spent.to_string()
        } else {
            String::new()
        },
        outcome: if closed {
            p.outcome.clone()
        } else {
            String::new()
        },
        outcome_notice: p
            .outcome_notice
            .as_ref()
            .filter(|_| closed)
            .map(|n| period_text(n.from, n.to))
            .unwrap_or_default(),
        survey,
        rectification: if matches!(p.stage, ProjectStage::Rectifying | ProjectStage::Done) {
            p.rectifications
                .last()
                .map_or_else(|| p.rectification.clone(), |r| r.what.clone())
        } else {
            String::new()
        },
        plan_issue: format!("项公〔{}〕{}号", p.year, p.id.0),
        outcome_issue: format!("果公〔{}〕{}号", p.year, p.id.0),
    }
}
