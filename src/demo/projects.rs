//! The demo's practical projects (实事项目): from the need to the plan, consultation, notices,
//! the outcome and satisfaction surveys.

use super::*;

pub(super) const PROJECTS: &[(&str, &str, &str, &str, FundKind, FundCategory, i64)] = &[
    (
        "樱园新村 5 号楼加装电梯",
        "加装电梯",
        "5 号楼多位高龄居民上下楼困难，希望加装电梯。",
        "经楼道全体业主协商同意，委托有资质单位设计施工，居委会协调管线迁移与施工期间出行安排。",
        FundKind::Foundation,
        FundCategory::Facilities,
        80_000,
    ),
    (
        "和乐苑非机动车集中充电棚",
        "非机动车充电",
        "电瓶车飞线充电、入户充电存在火灾隐患。",
        "在 3 号楼北侧建设带智能充电桩的车棚一座，可停放 60 辆。",
        FundKind::PartyService,
        FundCategory::Convenience,
        45_000,
    ),
    (
        "翠湖花园楼道堆物清理",
        "环境卫生",
        "多栋楼道长期堆物，影响消防通道。",
        "组织志愿者与物业开展集中清理，建立楼组长巡查制度。",
        FundKind::PartyService,
        FundCategory::PublicSpirit,
        6_000,
    ),
    (
        "长青里老年助餐点",
        "为老服务",
        "独居和高龄老人就餐不便。",
        "与社会组织合作在活动室设助餐点，每日中午供餐。",
        FundKind::Foundation,
        FundCategory::PublicWelfare,
        60_000,
    ),
    (
        "樱园新村道路修补",
        "物业治理",
        "主干道路面破损，雨天积水。",
        "对 300 平方米破损路面进行修补并疏通雨水管。",
        FundKind::Work,
        FundCategory::CommunityService,
        28_000,
    ),
    (
        "和乐苑停车位划线优化",
        "小区停车",
        "夜间乱停车，消防通道被占。",
        "重新规划划线，增加 24 个车位，设置消防通道标识。",
        FundKind::Foundation,
        FundCategory::ResidentProjects,
        15_000,
    ),
    (
        "居民区文明养宠宣传",
        "养宠",
        "养犬扰民、不文明遛狗投诉增多。",
        "举办文明养宠讲座，设置宠物便便箱 8 个。",
        FundKind::PartyService,
        FundCategory::PublicSpirit,
        4_500,
    ),
    (
        "翠湖花园健身步道",
        "公共设施",
        "居民缺少健身场地。",
        "沿中心绿地修建 400 米健身步道。",
        FundKind::Foundation,
        FundCategory::Facilities,
        90_000,
    ),
    (
        "长青里屋顶防水修缮",
        "旧区改造",
        "顶楼住户屋顶渗水。",
        "对 4 栋楼屋顶重做防水层。",
        FundKind::Foundation,
        FundCategory::Facilities,
        70_000,
    ),
    (
        "四点半课堂",
        "青少年",
        "双职工家庭孩子放学后无人看护。",
        "招募志愿者在活动室开设课后看护与作业辅导。",
        FundKind::PartyService,
        FundCategory::Activities,
        12_000,
    ),
    (
        "睦邻议事厅改造",
        "居民自治",
        "议事场地狭小，居民会议无处召开。",
        "改造一楼活动室为可容纳 50 人的议事厅。",
        FundKind::Work,
        FundCategory::SelfGovernment,
        25_000,
    ),
    (
        "防范电信诈骗宣传月",
        "平安建设",
        "老年居民屡遭电信诈骗。",
        "联合派出所开展 4 场宣讲，入户发放宣传册。",
        FundKind::PartyService,
        FundCategory::Convenience,
        3_000,
    ),
];

pub(super) fn tally(g: &mut Gen, n: u32, good: f64) -> Tally {
    let mut t = Tally::default();
    for _ in 0..n {
        let x: f64 = g.rng.random_range(0.0..1.0);
        if x < good * 0.7 {
            t.satisfied += 1;
        } else if x < good {
            t.fair += 1;
        } else {
            t.dissatisfied += 1;
        }
    }
    t
}

#[expect(
    clippy::too_many_lines,
    reason = "one record kind drawn from one seeded generator: the order of the draws is the demo's content (its hash is pinned), so it reads top to bottom as it is drawn"
)]
pub(super) fn projects(g: &mut Gen, plan: &Plan, ledger: &mut Ledger) {
    let today = g.today;
    let stages = ProjectStage::ALL;
    let problem_ids: Vec<ProblemId> = ledger.problems.problems.iter().map(|p| p.id).collect();
    for i in 0..plan.projects_target {
        let (title, category, need, plan_text, fund, fund_category, budget) =
            PROJECTS[i % PROJECTS.len()];
        let title = if i < PROJECTS.len() {
            title.to_owned()
        } else {
            format!("{title}（{}）", i / PROJECTS.len() + 1)
        };
        let stage = stages[i % stages.len()];
        // Spread the projects over the two years: later stages started earlier.
        let idx = stages.iter().position(|s| *s == stage).unwrap_or(0) as i64;
        let start = today - Duration::days(30 + idx * 35 + g.rng.random_range(0..20));
        let mut p = Project {
            id: ProjectId(i as u32 + 1),
            year: start.year(),
            title,
            category: category.to_owned(),
            fund,
            fund_category,
            problems: problem_ids.sample(&mut g.rng, 2).copied().collect(),
            need: need.to_owned(),
            plan: plan_text.to_owned(),
            budget: Fen::yuan(budget),
            stage: ProjectStage::NeedsGathered,
            milestones: vec![Milestone {
                stage: ProjectStage::NeedsGathered,
                on: start,
                note: String::new(),
            }],
            meetings: Vec::new(),
            approval: None,
            plan_notice: None,
            outcome_notice: None,
            outcome: String::new(),
            surveys: Vec::new(),
            rectification: String::new(),
            responsible: Some(WorkerId(2 + (i as u32 % 5))),
            work: Vec::new(),
            rectifications: Vec::new(),
            exceptions: Vec::new(),
        };
        let mut day = start;
        for s in stages.iter().skip(1).take_while(|s| **s <= stage) {
            if *s == ProjectStage::Rectifying && stage != ProjectStage::Rectifying {
                continue;
            }
            day += Duration::days(g.rng.random_range(7..30));
            let day_c = day.min(today);
            match s {
                ProjectStage::OpinionsHeard => {
                    p.meetings.push(Meeting {
                        kind: MeetingKind::Hearing,
                        on: day_c,
                        attendance: g.rng.random_range(15..45),
                        topic: format!("{}方案听证", p.title),
                        decision: "与会代表同意方案，建议施工期间做好安全防护".to_owned(),
                    });
                }
                ProjectStage::PlanPublished => {
                    p.plan_notice = Some(NoticePeriod {
                        from: day_c,
                        to: day_c + Duration::days(7),
                    });
                }
                ProjectStage::Approved => {
                    p.approval = Some(ApprovalRecord {
                        filed_on: day_c,
                        schedule: "分两期实施，按进度和合同付款".to_owned(),
                        budget: p.budget,
                        deadline: day_c + Duration::days(120),
                    });
                }
                ProjectStage::InProgress => {
                    // Three steps of the work; done as far as the project has come.
                    let finished = stage > ProjectStage::InProgress;
                    for (k, (name, share)) in [("前期准备", 20), ("组织施工", 60), ("收尾清理", 20)]
                        .into_iter()
                        .enumerate()
                    {
                        let planned = day_c + Duration::days(10 * (k as i64 + 1));
                        let done = finished || planned + Duration::days(2) <= today;
                        p.work.push(WorkItem {
                            name: name.to_owned(),
                            planned,
                            done_on: done.then(|| (planned + Duration::days(2)).min(today)),
                            share,
                        });
                    }
                    p.meetings.push(Meeting {
                        kind: MeetingKind::Coordination,
                        on: day_c,
                        attendance: g.rng.random_range(8..20),
                        topic: "施工协调".to_owned(),
                        decision: "物业配合施工，每周通报进度".to_owned(),
                    });
                }
                ProjectStage::OutcomePublished => {
                    p.outcome = format!("{}已按计划完成，经街道验收合格。", p.title);
                    p.outcome_notice = Some(NoticePeriod {
                        from: day_c,
                        to: day_c + Duration::days(7),
                    });
                }
                ProjectStage::Surveyed | ProjectStage::Rectifying => {
                    if p.surveys.is_empty() {
                        let low = stage == ProjectStage::Rectifying;
                        let good = if low { 0.65 } else { 0.93 };
                        let n = g.rng.random_range(30..60);
                        p.surveys.push(Survey {
                            on: day_c,
                            method: SurveyMethod::ReviewMeeting,
                            respondents: n,
                            process: tally(g, n, good),
                            effort: tally(g, n, good + 0.03),
                            result: tally(g, n, good - 0.02),
                        });
                        p.meetings.push(Meeting {
                            kind: MeetingKind::Review,
                            on: day_c,
                            attendance: n,
                            topic: "项目评议".to_owned(),
                            decision: if low {
                                "满意度偏低，要求施工方限期整改".to_owned()
                            } else {
                                "项目通过评议".to_owned()
                            },
                        });
                    }
                    if *s == ProjectStage::Rectifying {
                        p.rectifications.push(Rectification {
                            on: day_c,
                            what: "针对评议意见，督促施工方返工修补，整改后再次评议".to_owned(),
                            by: p.responsible,
                        });
                    }
                }
                _ => {}
            }
            p.advance(*s, day_c, "");
        }
        for problem in &p.problems {
            if let Some(x) = ledger
                .problems
                .problems
                .iter_mut()
                .find(|x| x.id == *problem)
            {
                x.project = Some(p.id);
            }
        }
        ledger.projects.projects.push(p);
    }
}
