//! The demo's visits (走访): each worker's rounds across the years, the needs heard, answered on
//! the spot or listed as problems.

use super::*;

pub(super) const VISIT_REASONS: &[&str] = &[
    "常态化走访，了解家庭近况",
    "高龄老人生活情况关心",
    "独居老人安全检查",
    "宣传垃圾分类",
    "宣传防范电信诈骗",
    "加装电梯意愿征询",
    "人口信息核对",
    "节日慰问",
    "疫苗接种提醒",
    "征集实事项目意见",
];

pub(super) const NEEDS: &[(&str, &str)] = &[
    ("楼道灯不亮", "环境卫生"),
    ("希望加装电梯", "加装电梯"),
    ("楼下电瓶车飞线充电", "安全隐患"),
    ("小区停车难，夜间乱停", "小区停车"),
    ("邻居养狗扰民", "养宠"),
    ("屋顶漏水", "物业治理"),
    ("楼道堆物", "环境卫生"),
    ("隔壁疑似群租", "群租"),
    ("底楼违章搭建", "违章搭建"),
    ("非机动车充电桩不够", "非机动车充电"),
];

pub(super) const SPOT_ANSWERS: &[&str] = &[
    "已告知办理流程",
    "已当场联系物业处理",
    "已解释相关政策，居民表示理解",
    "已登记并转告楼组长",
];

#[expect(
    clippy::too_many_lines,
    reason = "one record kind drawn from one seeded generator: the order of the draws is the demo's content (its hash is pinned), so it reads top to bottom as it is drawn"
)]
pub(super) fn visits(
    g: &mut Gen,
    plan: &Plan,
    ledger: &mut Ledger,
) -> Vec<(VisitId, NaiveDate, String, String, HouseholdId)> {
    let today = g.today;
    let mut listed = Vec::new();
    let start = NaiveDate::from_ymd_opt(today.year() - plan.visit_years + 1, 1, 1).unwrap_or(today);
    let start = if plan.visit_years == 2 {
        today - Duration::days(730).min(today - start)
    } else {
        start
    };
    // Households per worker, from the assignments.
    let mut block: HashMap<WorkerId, Vec<HouseholdId>> = HashMap::new();
    let building_worker: HashMap<BuildingId, WorkerId> = ledger
        .committee
        .assignments
        .iter()
        .flat_map(|a| a.buildings.iter().map(move |b| (*b, a.worker)))
        .collect();
    let special: Vec<bool> = ledger
        .households
        .households
        .iter()
        .map(|h| {
            h.has_tag(TagDimension::ResidentType, "独居老人")
                || h.has_tag(TagDimension::FamilyType, "困难家庭")
                || h.has_tag(TagDimension::ResidentType, "残疾人员")
        })
        .collect();
    for h in &ledger.households.households {
        if let Some(w) = building_worker.get(&h.building) {
            block.entry(*w).or_default().push(h.id);
        }
    }
    let index: HashMap<HouseholdId, usize> = ledger
        .households
        .households
        .iter()
        .enumerate()
        .map(|(i, h)| (h.id, i))
        .collect();
    let workers: Vec<WorkerId> = ledger
        .committee
        .assignments
        .iter()
        .map(|a| a.worker)
        .collect();
    // Each worker's diligence: visits per month (uneven on purpose).
    let months =
        (today.year() - start.year()) * 12 + today.month() as i32 - start.month() as i32 + 1;
    let per_month_scale = if plan.visits_target > 0 {
        plan.visits_target as f64 / (months.max(1) as f64 * workers.len() as f64 * 30.0)
    } else {
        1.0
    };
    let diligence = [1.1, 1.0, 0.95, 0.8, 0.6, 0.9];
    // At the stress size, hit the visit count whatever the uneven diligence.
    let per_month_scale = if plan.visits_target > 0 {
        per_month_scale * diligence.len() as f64 / diligence.iter().sum::<f64>()
    } else {
        per_month_scale
    };
    let mut seqs: HashMap<i32, u32> = HashMap::new();
    let mut month_start = NaiveDate::from_ymd_opt(start.year(), start.month(), 1).unwrap_or(start);
    while month_start <= today {
        let next_month = if month_start.month() == 12 {
            NaiveDate::from_ymd_opt(month_start.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(month_start.year(), month_start.month() + 1, 1)
        }
        .unwrap_or(today);
        let month_days = (next_month.min(today + Duration::days(1)) - month_start)
            .num_days()
            .max(1);
        for (wi, w) in workers.iter().enumerate() {
            let Some(households) = block.get(w) else {
                continue;
            };
            if households.is_empty() {
                continue;
            }
            let full = 30.0 * diligence[wi % diligence.len()] * per_month_scale;
            let partial = full * month_days as f64 / 30.0;
            let n = (partial * g.rng.random_range(0.85..1.15)).round() as usize;
            for k in 0..n {
                // Special households get a share of visits, but the last worker lets them lapse.
                let pick = if k % 4 == 0 && wi != workers.len() - 1 {
                    let specials: Vec<&HouseholdId> = households
                        .iter()
                        .filter(|h| index.get(h).is_some_and(|i| special[*i]))
                        .collect();
                    specials
                        .choose(&mut g.rng)
                        .copied()
                        .or_else(|| households.choose(&mut g.rng))
                } else {
                    households.choose(&mut g.rng)
                };
                let Some(&household) = pick else { continue };
                let day = month_start + Duration::days(g.rng.random_range(0..month_days));
                if day > today {
                    continue;
                }
                let Some(h) = index
                    .get(&household)
                    .map(|i| &ledger.households.households[*i])
                else {
                    continue;
                };
                let is_special = index.get(&household).is_some_and(|i| special[*i]);
                let resident = h.head().map(|p| p.name.clone()).unwrap_or_default();
                let seq = seqs.entry(day.year()).or_insert(0);
                *seq += 1;
                let id = VisitId {
                    year: day.year(),
                    seq: *seq,
                };
                let mut needs = Vec::new();
                if g.chance(0.18) {
                    let (need, category) =
                        NEEDS.choose(&mut g.rng).copied().unwrap_or(("", "其他"));
                    if g.chance(0.6)
                        || plan.visits_target > 0 && listed.len() >= plan.problems_target / 2
                    {
                        let answer = SPOT_ANSWERS.choose(&mut g.rng).copied().unwrap_or("");
                        needs.push(Need {
                            text: need.to_owned(),
                            outcome: NeedOutcome::AnsweredOnSpot(answer.to_owned()),
                        });
                    } else {
                        let pid = ProblemId(listed.len() as u32 + 1);
                        needs.push(Need {
                            text: need.to_owned(),
                            outcome: NeedOutcome::Listed(pid),
                        });
                        listed.push((id, day, need.to_owned(), category.to_owned(), household));
                    }
                }
                let kind = if is_special {
                    VisitKind::Special
                } else if g.chance(0.1) {
                    VisitKind::LineOfWork(
                        ["民政", "综治", "卫健"]
                            .choose(&mut g.rng)
                            .copied()
                            .unwrap_or("民政")
                            .to_owned(),
                    )
                } else {
                    VisitKind::General
                };
                let reason = VISIT_REASONS
                    .choose(&mut g.rng)
                    .copied()
                    .unwrap_or("")
                    .to_owned();
                let present = h.present_members().count();
                ledger.visits.entry(day.year()).or_default().push(Visit {
                    id,
                    at: at(day, g.rng.random_range(9..19), g.rng.random_range(0..60)),
                    worker: *w,
                    companions: Vec::new(),
                    household,
                    resident_name: resident,
                    family_situation: format!("家中 {present} 人，情况平稳"),
                    kind,
                    reason,
                    needs,
                    note: String::new(),
                });
            }
        }
        month_start = next_month;
    }
    for list in ledger.visits.values_mut() {
        list.sort_by_key(|v| v.at);
    }
    listed
}
