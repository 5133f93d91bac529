//! The demo's three funds: yearly plans and payments with their approvals, most of them in
//! order and a few with the issues the rules look for.

use super::*;
use crate::model::fund_rules::balance;

#[expect(
    clippy::too_many_lines,
    reason = "one record kind drawn from one seeded generator: the order of the draws is the demo's content (its hash is pinned), so it reads top to bottom as it is drawn"
)]
pub(super) fn funds(g: &mut Gen, plan: &Plan, ledger: &mut Ledger) {
    let today = g.today;
    let years: Vec<i32> = if plan.payments_target > 0 {
        (today.year() - 3..=today.year()).collect()
    } else {
        vec![today.year() - 1, today.year()]
    };
    let per_year = if plan.payments_target > 0 {
        plan.payments_target / years.len()
    } else {
        0
    };
    let orgs: Vec<(OrganisationId, String)> = ledger
        .committee
        .organisations
        .iter()
        .filter(|o| {
            matches!(
                o.kind,
                OrganisationKind::PropertyCompany
                    | OrganisationKind::SocialOrganisation
                    | OrganisationKind::ResidentGroup
            )
        })
        .map(|o| (o.id, o.name.clone()))
        .collect();
    let elders: Vec<(String, HouseholdId)> = ledger
        .households
        .households
        .iter()
        .filter(|h| {
            h.has_tag(TagDimension::FamilyType, "困难家庭")
                || h.has_tag(TagDimension::ResidentType, "独居老人")
        })
        .filter_map(|h| h.head().map(|p| (p.name.clone(), h.id)))
        .collect();
    let secretary = WorkerId(1);
    let director = WorkerId(2);
    for year in years {
        let mut fy = FundYear::default();
        for fund in FundKind::ALL {
            let budget = Fen::yuan(if per_year > 0 { 100_000 * 20 } else { 100_000 });
            // The plan shares the budget among the fund's categories (the foundation's leaves
            // out 志愿服务 so that such spending shows as unplanned).
            let planned: Vec<FundCategory> = fund
                .categories()
                .iter()
                .copied()
                .filter(|c| *c != FundCategory::Volunteering)
                .collect();
            let each = Fen(budget.0 / planned.len().max(1) as i64 / 100 * 100);
            fy.plans.push(FundPlan {
                fund,
                budget,
                main_uses: match fund {
                    FundKind::Work => "办公、社区服务和居民自治",
                    FundKind::PartyService => "便民利民、群众活动、关爱帮扶、公益风尚",
                    FundKind::Foundation => "社区救助、公益项目、居民自治项目和公共设施",
                }
                .to_owned(),
                key_projects: ledger
                    .projects
                    .projects
                    .iter()
                    .filter(|p| p.fund == fund && p.year == year)
                    .take(3)
                    .map(|p| p.title.clone())
                    .collect(),
                items: planned
                    .iter()
                    .map(|c| PlanItem {
                        category: *c,
                        description: c.label().to_owned(),
                        amount: each,
                    })
                    .collect(),
                carried_over: Fen(0),
            });
        }
        let last_day = if year == today.year() {
            today
        } else {
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today)
        };
        let first_day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let span = (last_day - first_day).num_days().max(1);
        let n = if per_year > 0 {
            per_year
        } else {
            (130 * span / 365) as usize
        };
        let office_share = if year == today.year() { 0.40 } else { 0.30 };
        let mut seq = 0;
        let mut add = |fy: &mut FundYear,
                       g: &mut Gen,
                       category: FundCategory,
                       amount: Fen,
                       payee: Payee,
                       purpose: String| {
            seq += 1;
            let on = first_day + Duration::days(g.rng.random_range(0..=span));
            let street = amount > APPROVAL_LINE;
            let mut p = Payment {
                id: PaymentId { year, seq },
                fund: category.fund(),
                category,
                on,
                payee,
                purpose,
                amount,
                voucher: format!("{year}-{seq:04}"),
                method: if g.chance(0.6) {
                    PaymentMethod::OfficialCard
                } else {
                    PaymentMethod::Transfer
                },
                project: None,
                signatures: vec![
                    Signature {
                        worker: secretary,
                        role: Role::Secretary,
                        on,
                    },
                    Signature {
                        worker: director,
                        role: Role::Director,
                        on,
                    },
                ],
                street_review: street.then(|| StreetReview {
                    on,
                    reference: format!("街审{year}-{seq:04}"),
                }),
                paid_first: false,
                filed_on: None,
                recorded_by: WORKERS[2].0.to_owned(),
                overrides: Vec::new(),
            };
            // A few that break the rules, on purpose.
            match seq % 47 {
                5 if !street => p.signatures.truncate(1),
                11 if street => p.street_review = None,
                17 => {
                    p.paid_first = true;
                    p.filed_on = None;
                }
                23 => p.method = PaymentMethod::Cash { listed: false },
                29 => p.voucher.clear(),
                31 => {
                    p.paid_first = true;
                    p.filed_on = Some(on + Duration::days(5));
                }
                37 => p.method = PaymentMethod::Cash { listed: true },
                _ => {}
            }
            fy.payments.push(p);
        };
        // What the year's projects will take from each fund, so that everyday spending leaves
        // room for it (about 85% of the budget in all, never less than a quarter for the rest).
        let projects_take = |fund: FundKind| -> i64 {
            ledger
                .projects
                .projects
                .iter()
                .filter(|p| p.fund == fund && paid_in(p, year))
                .map(|p| p.budget.0)
                .sum()
        };
        let room: Vec<i64> = FundKind::ALL
            .iter()
            .map(|&fund| {
                let budget = fy.plan(fund).map_or(Fen::yuan(100_000), |p| p.budget).0;
                (budget * 85 / 100 - projects_take(fund)).max(budget / 4)
            })
            .collect();
        for i in 0..n {
            let fund = FundKind::ALL[i % 3];
            let share = room[i % 3] / n.max(1) as i64 * 3;
            let (category, payee, purpose) = match fund {
                FundKind::Work => {
                    if g.chance(office_share) {
                        (
                            FundCategory::Office,
                            org_payee(g, &orgs, "示例文具办公用品商店"),
                            "办公用品采购".to_owned(),
                        )
                    } else if g.chance(0.5) {
                        (
                            FundCategory::CommunityService,
                            org_payee(g, &orgs, ""),
                            "社区服务活动".to_owned(),
                        )
                    } else {
                        (
                            FundCategory::SelfGovernment,
                            org_payee(g, &orgs, ""),
                            "居民议事会场地布置与资料印制".to_owned(),
                        )
                    }
                }
                FundKind::PartyService => {
                    if g.chance(0.3) && !elders.is_empty() {
                        let (name, household) = elders
                            .choose(&mut g.rng)
                            .cloned()
                            .unwrap_or_else(|| (String::new(), HouseholdId(0)));
                        let purpose = if g.chance(0.5) {
                            "节日慰问"
                        } else {
                            "困难帮扶"
                        };
                        (
                            FundCategory::Care,
                            Payee::Individual {
                                name,
                                household: Some(household),
                            },
                            purpose.to_owned(),
                        )
                    } else {
                        let c = *[
                            FundCategory::Convenience,
                            FundCategory::Activities,
                            FundCategory::PublicSpirit,
                            FundCategory::OtherServices,
                        ]
                        .choose(&mut g.rng)
                        .unwrap_or(&FundCategory::Activities);
                        (c, org_payee(g, &orgs, ""), format!("{}活动支出", c.label()))
                    }
                }
                FundKind::Foundation => {
                    let c = *FundKind::Foundation
                        .categories()
                        .choose(&mut g.rng)
                        .unwrap_or(&FundCategory::PublicWelfare);
                    if c == FundCategory::Relief && !elders.is_empty() {
                        let (name, household) = elders
                            .choose(&mut g.rng)
                            .cloned()
                            .unwrap_or_else(|| (String::new(), HouseholdId(0)));
                        (
                            c,
                            Payee::Individual {
                                name,
                                household: Some(household),
                            },
                            "应急助困".to_owned(),
                        )
                    } else {
                        (c, org_payee(g, &orgs, ""), format!("{}支出", c.label()))
                    }
                }
            };
            let amount = Fen(((share as f64) * g.rng.random_range(0.2..1.4)) as i64 / 100 * 100);
            let amount = if category == FundCategory::Care {
                Fen::yuan([200, 300, 500][i % 3])
            } else {
                amount
            };
            add(
                &mut fy,
                g,
                category,
                amount.max(Fen::yuan(50)),
                payee,
                purpose,
            );
        }
        // Project payments, linked.
        for p in ledger.projects.projects.iter().filter(|p| paid_in(p, year)) {
            let amount = Fen(p.budget.0 * g.rng.random_range(85..=100) / 100);
            let payee = org_payee(g, &orgs, "示例建设工程有限公司");
            // What the budget still allows: the first instalment only, when the rest
            // would take the fund over.
            let budget = fy.plan(p.fund).map_or(Fen(0), |plan| plan.budget);
            let left = budget - fy.spent(p.fund);
            let (amount, purpose) = if amount > left {
                (
                    Fen(left.0 * 9 / 10 / 100 * 100),
                    format!("{}工程款（首期）", p.title),
                )
            } else {
                (amount, format!("{}工程款", p.title))
            };
            if amount <= Fen(0) {
                continue;
            }
            add(&mut fy, g, p.fund_category, amount, payee, purpose);
            if let Some(last) = fy.payments.last_mut() {
                last.project = Some(p.id);
            }
        }
        fy.payments.sort_by_key(|p| (p.on, p.id.seq));
        receive(&mut fy, ledger.funds.get(&(year - 1)), year, last_day);
        ledger.funds.insert(year, fy);
    }
}

/// Whether a project is paid in `year`: under way, and begun that year.
fn paid_in(p: &Project, year: i32) -> bool {
    p.stage >= ProjectStage::InProgress
        && p.milestones
            .iter()
            .any(|m| m.stage == ProjectStage::InProgress && m.on.year() == year)
}

/// The street office's grants (60% in January, the rest in July once July has come) and what
/// each fund carried from last year (its balance then; the first year, a tenth of its
/// budget): so every balance the demo shows is money held. Draws nothing from the generator.
fn receive(fy: &mut FundYear, last_year: Option<&FundYear>, year: i32, last_day: NaiveDate) {
    for (n, fund) in FundKind::ALL.into_iter().enumerate() {
        let carried = match last_year {
            Some(ly) => balance(ly, fund).balance().max(Fen(0)),
            None => fy.plan(fund).map_or(Fen(0), |p| Fen(p.budget.0 / 10)),
        };
        let Some(plan) = fy.plans.iter_mut().find(|p| p.fund == fund) else {
            continue;
        };
        plan.carried_over = carried;
        let budget = plan.budget;
        let grants = [
            (1, 20, Fen(budget.0 / 100 * 60), "上半年拨款"),
            (7, 15, Fen(budget.0 - budget.0 / 100 * 60), "下半年拨款"),
        ];
        for (i, (month, day, amount, note)) in grants.into_iter().enumerate() {
            let Some(on) = NaiveDate::from_ymd_opt(year, month, day).filter(|d| *d <= last_day)
            else {
                continue;
            };
            fy.income.push(Income {
                fund,
                on,
                amount,
                reference: format!("街财拨〔{year}〕{}号", n * 2 + i + 1),
                note: note.to_owned(),
            });
        }
    }
}

pub(super) fn org_payee(g: &mut Gen, orgs: &[(OrganisationId, String)], fallback: &str) -> Payee {
    if !fallback.is_empty() && g.chance(0.5) || orgs.is_empty() {
        return Payee::Organisation {
            name: if fallback.is_empty() {
                "示例服务有限公司".to_owned()
            } else {
                fallback.to_owned()
            },
            id: None,
        };
    }
    let (id, name) = orgs
        .choose(&mut g.rng)
        .cloned()
        .unwrap_or((OrganisationId(0), String::new()));
    Payee::Organisation { name, id: Some(id) }
}
