//! The demo committee (示例居委会): a fictitious residential area generated from a seed, rich
//! enough to judge every screen and report by, at the typical size or the stress size of
//! shared/DOMAIN.md §6. Pure: builds `model` types and does no I/O.

mod names;

use crate::model::*;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// How big a demo to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoSize {
    /// About 1,500 households, two years of records.
    Typical,
    /// The stress size: 20,000 households, 60,000 residents, 200,000 visits, 20,000 problems,
    /// 2,000 projects, 50,000 fund entries.
    Stress,
}

struct Plan {
    compounds: usize,
    buildings_per_compound: (u32, u32),
    households_target: usize,
    residents_target: usize,
    visit_years: i32,
    visits_target: usize,
    problems_target: usize,
    projects_target: usize,
    payments_target: usize,
}

impl DemoSize {
    fn plan(self) -> Plan {
        match self {
            DemoSize::Typical => Plan {
                compounds: 4,
                buildings_per_compound: (22, 32),
                households_target: 1_500,
                residents_target: 4_100,
                visit_years: 2,
                visits_target: 0,
                problems_target: 0,
                projects_target: 12,
                payments_target: 0,
            },
            DemoSize::Stress => Plan {
                compounds: 8,
                buildings_per_compound: (170, 190),
                households_target: 20_000,
                // Elderly living alone pull the mean down: aim a little high to land near 60,000.
                residents_target: 62_500,
                visit_years: 4,
                visits_target: 200_000,
                problems_target: 20_000,
                projects_target: 2_000,
                payments_target: 50_000,
            },
        }
    }
}

/// The demo's staff: name, roles. Each is also a vault member with the passphrase `demo`.
pub const WORKERS: [(&str, &[Role]); 7] = [
    ("王慧敏", &[Role::Secretary]),
    ("李建国", &[Role::Director]),
    ("张丽华", &[Role::Deputy]),
    ("陈静", &[Role::Member]),
    ("刘洋", &[Role::Member]),
    ("赵敏", &[Role::SocialWorker]),
    ("周志刚", &[Role::SocialWorker]),
];

/// The demo committee's name.
pub const COMMITTEE: &str = "示例居委会";

const COMPOUNDS: [(&str, &str, &str); 8] = [
    ("樱园新村", "示例路 100 弄", "动迁房"),
    ("和乐苑", "示例路 288 弄", "商品房"),
    ("翠湖花园", "虚构路 66 弄", "商品房"),
    ("长青里", "虚构路 9 弄", "公租房"),
    ("临河小区", "样板街 12 弄", "经适房"),
    ("银杏苑", "样板街 80 弄", "商品房"),
    ("东篱新村", "示例路 520 弄", "动迁房"),
    ("安居苑", "虚构路 300 弄", "廉租房"),
];

fn at(date: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

fn years_ago(today: NaiveDate, rng: &mut ChaCha8Rng, min: i64, max: i64) -> NaiveDate {
    let days = rng.random_range(min * 365..=max * 365 + 364);
    today - Duration::days(days)
}

struct Gen {
    rng: ChaCha8Rng,
    today: NaiveDate,
    by: String,
    next_person: u32,
}

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn person(&mut self, relation: &str, group: MemberGroup, birth: NaiveDate, sex: Sex) -> Person {
        self.next_person += 1;
        let name = names::name(&mut self.rng, sex);
        let has_id = !self.chance(0.01);
        let id_number = if has_id {
            names::id_number(&mut self.rng, birth, sex)
        } else {
            None
        };
        let phone = if (18..85).contains(&age_on(birth, self.today)) && self.chance(0.7) {
            names::phone(&mut self.rng)
        } else {
            None
        };
        Person {
            id: PersonId(self.next_person),
            name,
            relation: relation.to_owned(),
            group,
            sex: Some(sex),
            birth_date: if id_number.is_none() {
                Some(birth)
            } else {
                None
            },
            id_number,
            hukou_address: String::new(),
            phone,
            tags: Vec::new(),
            moved_in: None,
            moved_out: None,
            note: String::new(),
        }
    }

    fn tag(&mut self, p: &mut Person, dimension: TagDimension, name: &str) {
        let since = self.today - Duration::days(self.rng.random_range(30..1500));
        p.set_tag(dimension, name, since, &self.by.clone());
    }
}

/// Generates the demo ledger as of `today`.
pub fn generate(size: DemoSize, today: NaiveDate, seed: u64) -> Ledger {
    let plan = size.plan();
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        today,
        by: WORKERS[0].0.to_owned(),
        next_person: 0,
    };
    let mut ledger = Ledger {
        committee: committee(today),
        ..Ledger::default()
    };
    households(&mut g, &plan, &mut ledger);
    assignments(&mut ledger, today);
    let problems_from_visits = visits(&mut g, &plan, &mut ledger);
    desk(&mut g, &plan, &mut ledger);
    problems(&mut g, &plan, &mut ledger, problems_from_visits);
    projects(&mut g, &plan, &mut ledger);
    funds(&mut g, &plan, &mut ledger);
    points(&mut g, &mut ledger);
    ledger
}

fn committee(today: NaiveDate) -> CommitteeBook {
    let since = NaiveDate::from_ymd_opt(today.year() - 6, 3, 1).unwrap_or(today);
    let workers = WORKERS
        .iter()
        .enumerate()
        .map(|(i, (name, roles))| Worker {
            id: WorkerId(i as u32 + 1),
            name: (*name).to_owned(),
            roles: roles.to_vec(),
            phone: Phone::parse(&format!("021-6000{:04}", 1000 + i)).ok(),
            signs_notices: roles.contains(&Role::Secretary) || roles.contains(&Role::Director),
            since,
            left_on: None,
        })
        .collect();
    let mut organisations = Vec::new();
    let mut add_org = |kind, name: &str, serves: &str| {
        let id = OrganisationId(organisations.len() as u32 + 1);
        organisations.push(Organisation {
            id,
            kind,
            name: name.to_owned(),
            contact: String::new(),
            phone: None,
            serves: serves.to_owned(),
            note: String::new(),
        });
    };
    for (name, _, _) in COMPOUNDS.iter().take(4) {
        add_org(
            OrganisationKind::OwnersCommittee,
            &format!("{name}业主委员会"),
            name,
        );
        add_org(
            OrganisationKind::PropertyCompany,
            &format!("示例{name}物业管理有限公司"),
            name,
        );
    }
    add_org(
        OrganisationKind::ResidentGroup,
        "樱园夕阳红舞蹈队",
        "全居民区",
    );
    add_org(OrganisationKind::ResidentGroup, "和乐合唱团", "全居民区");
    add_org(OrganisationKind::ResidentGroup, "巧手编织社", "全居民区");
    add_org(
        OrganisationKind::SocialOrganisation,
        "示例乐龄为老服务社",
        "全居民区",
    );
    add_org(
        OrganisationKind::SocialOrganisation,
        "虚构社区治理促进中心",
        "全居民区",
    );
    add_org(OrganisationKind::ResidentUnit, "示例路第一小学", "全居民区");
    add_org(
        OrganisationKind::ResidentUnit,
        "示例社区卫生服务站",
        "全居民区",
    );
    add_org(OrganisationKind::Department, "示例街道城运中心", "全居民区");
    CommitteeBook {
        committee: Some(Committee {
            name: COMMITTEE.to_owned(),
            district: "示例区".to_owned(),
            street: "示例街道".to_owned(),
            office_address: "示例路 100 弄 1 号一楼（樱园新村内）".to_owned(),
            office_hours: "周一至周五 8:30–17:00；周二、周四晚 18:00–20:00 及周六上午错时值班"
                .to_owned(),
            office_phone: "021-60001000".to_owned(),
        }),
        workers,
        organisations,
        assignments: Vec::new(),
        tags: TagCatalog {
            custom: vec![CustomTag {
                dimension: TagDimension::ResidentType,
                name: "长护险对象".to_owned(),
                added_on: today - Duration::days(400),
                added_by: WORKERS[0].0.to_owned(),
            }],
        },
        problem_categories: vec!["非机动车充电".to_owned()],
        lines_of_work: vec![
            "民政".to_owned(),
            "综治".to_owned(),
            "卫健".to_owned(),
            "退役军人".to_owned(),
        ],
        visit_intervals: crate::model::default_intervals(),
        lists: demo_lists(today),
    }
}

/// Two lists a committee would save: its 楼组长 and the party members working elsewhere.
fn demo_lists(today: NaiveDate) -> Vec<crate::model::lists::SavedList> {
    use crate::model::lists::{ListQuery, SavedList, TagRef};
    let saved = |name: &str, tag: &str, dimension| SavedList {
        name: name.to_owned(),
        query: ListQuery {
            all_tags: vec![TagRef::new(dimension, tag)],
            ..ListQuery::default()
        },
        saved_on: today - Duration::days(60),
        saved_by: WORKERS[0].0.to_owned(),
    };
    vec![
        saved("楼组长", "楼组长", TagDimension::CommunityRole),
        saved("在职党员", "在职党员", TagDimension::ResidentType),
    ]
}

fn households(g: &mut Gen, plan: &Plan, ledger: &mut Ledger) {
    let book = &mut ledger.households;
    let mut building_id = 0;
    for (ci, (name, address, house_type)) in COMPOUNDS.iter().take(plan.compounds).enumerate() {
        let cid = CompoundId(ci as u32 + 1);
        book.compounds.push(Compound {
            id: cid,
            name: (*name).to_owned(),
            address: (*address).to_owned(),
        });
        let count = g
            .rng
            .random_range(plan.buildings_per_compound.0..=plan.buildings_per_compound.1);
        let towers = *house_type == "商品房";
        for b in 0..count {
            building_id += 1;
            book.buildings.push(Building {
                id: BuildingId(building_id),
                compound: cid,
                number: format!("{}号", b + 1),
                floors: if towers {
                    g.rng.random_range(6..=11)
                } else {
                    6
                },
                rooms_per_floor: if towers { 2 } else { g.rng.random_range(2..=3) },
            });
        }
        let _ = house_type;
    }
    let rooms: usize = book
        .buildings
        .iter()
        .map(|b| (b.floors * b.rooms_per_floor) as usize)
        .sum();
    let occupancy = (plan.households_target as f64 / rooms as f64).min(1.0);
    let per_household = plan.residents_target as f64 / plan.households_target as f64;
    let buildings = book.buildings.clone();
    let house_types: HashMap<CompoundId, &str> = book
        .compounds
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, COMPOUNDS[i].2))
        .collect();
    let mut hid = 0;
    for b in &buildings {
        let mut leader_set = false;
        for floor in 1..=b.floors {
            for r in 1..=b.rooms_per_floor {
                if !g.chance(occupancy) || book.households.len() >= plan.households_target {
                    continue;
                }
                hid += 1;
                let house_type = house_types.get(&b.compound).copied().unwrap_or("商品房");
                let mut h = household(
                    g,
                    HouseholdId(hid),
                    b.id,
                    format!("{floor}{r:02}"),
                    house_type,
                    per_household,
                );
                if !leader_set && let Some(head) = h.members.first_mut() {
                    let by = g.by.clone();
                    head.set_tag(
                        TagDimension::CommunityRole,
                        "楼组长",
                        g.today - Duration::days(900),
                        &by,
                    );
                    leader_set = true;
                }
                book.households.push(h);
            }
        }
    }
}

fn household(
    g: &mut Gen,
    id: HouseholdId,
    building: BuildingId,
    room: String,
    house_type: &str,
    avg: f64,
) -> Household {
    let today = g.today;
    let tenant = g.chance(0.14);
    let group = if tenant {
        MemberGroup::Tenant
    } else {
        MemberGroup::Owner
    };
    let mut members = Vec::new();
    let alone_elderly = !tenant && g.chance(0.06);
    let head_sex = if g.chance(0.5) {
        Sex::Male
    } else {
        Sex::Female
    };
    let head_birth = if alone_elderly {
        years_ago(today, &mut g.rng, 75, 96)
    } else if tenant {
        years_ago(today, &mut g.rng, 22, 50)
    } else {
        years_ago(today, &mut g.rng, 30, 88)
    };
    members.push(g.person("户主", group, head_birth, head_sex));
    if !alone_elderly {
        let target = (avg * g.rng.random_range(0.4..1.6)).round().clamp(1.0, 6.0) as usize;
        if target >= 2 {
            let spouse_birth = head_birth + Duration::days(g.rng.random_range(-1500..1500));
            let other = if head_sex == Sex::Male {
                Sex::Female
            } else {
                Sex::Male
            };
            members.push(g.person("配偶", group, spouse_birth, other));
        }
        let head_age = age_on(head_birth, today);
        for _ in members.len()..target {
            let sex = if g.chance(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            if head_age > 55 && g.chance(0.3) {
                let birth = years_ago(today, &mut g.rng, 0, 12);
                members.push(g.person(
                    if sex == Sex::Male { "孙子" } else { "孙女" },
                    group,
                    birth,
                    sex,
                ));
            } else if head_age > 26 {
                let max = (head_age as i64 - 22).clamp(0, 40);
                let birth = years_ago(today, &mut g.rng, 0, max);
                members.push(g.person(
                    if sex == Sex::Male { "儿子" } else { "女儿" },
                    group,
                    birth,
                    sex,
                ));
            } else {
                let birth = years_ago(today, &mut g.rng, 20, 40);
                members.push(g.person("其他", group, birth, sex));
            }
        }
    }
    let hardship = g.chance(0.025);
    let attention = g.chance(0.03);
    let count = members.len();
    for p in &mut members {
        tag_person(g, p, tenant, alone_elderly, hardship, count);
    }
    if attention && let Some(p) = members.first_mut() {
        let tag = [
            "邻里纠纷",
            "房屋空关",
            "群租人员",
            "固定车位家庭",
            "违章搭建",
            "家庭不睦",
            "上访人员",
            "失业人员",
        ]
        .choose(&mut g.rng)
        .copied()
        .unwrap_or("邻里纠纷");
        g.tag(p, TagDimension::Attention, tag);
    }
    let moved_in = years_ago(today, &mut g.rng, 0, 25);
    for p in &mut members {
        p.moved_in = Some(moved_in);
        p.hukou_address = if tenant {
            "外省市（示例）".to_owned()
        } else {
            "本址".to_owned()
        };
    }
    let mut events = vec![HouseholdEvent {
        on: moved_in,
        kind: HouseholdEventKind::MovedIn,
        by: g.by.clone(),
        note: String::new(),
    }];
    // A few members moved out, kept as history.
    if members.len() > 2 && g.chance(0.05) {
        let on = today - Duration::days(g.rng.random_range(20..600));
        if let Some(p) = members.last_mut() {
            p.moved_out = Some(MoveOut {
                on,
                reason: "迁出".to_owned(),
                by: g.by.clone(),
            });
            events.push(HouseholdEvent {
                on,
                kind: HouseholdEventKind::MemberLeft(p.id),
                by: g.by.clone(),
                note: "工作调动迁出".to_owned(),
            });
        }
    }
    let phone = members.iter().find_map(|p| p.phone.clone());
    Household {
        id,
        building,
        room,
        house_type: house_type.to_owned(),
        phone,
        has_vehicle: g.chance(0.35),
        separated: g.chance(0.1),
        members,
        events,
        moved_out: None,
        note: String::new(),
    }
}

fn tag_person(
    g: &mut Gen,
    p: &mut Person,
    tenant: bool,
    alone: bool,
    hardship: bool,
    household_size: usize,
) {
    let age = p.age_on(g.today).unwrap_or(40);
    let party = age >= 20 && g.chance(if age > 60 { 0.12 } else { 0.07 });
    let political = if party {
        "中共党员"
    } else if (14..=28).contains(&age) && g.chance(0.5) {
        "共青团员"
    } else {
        "群众"
    };
    g.tag(p, TagDimension::Political, political);
    let role = if age >= 30 && g.chance(0.04) {
        "志愿者"
    } else if age >= 35 && g.chance(0.015) {
        "居民代表"
    } else if age >= 40 && g.chance(0.004) {
        "业委会成员"
    } else if age >= 50 && g.chance(0.02) {
        "群众团队成员"
    } else {
        "一般居民"
    };
    g.tag(p, TagDimension::CommunityRole, role);
    let mut types: Vec<&str> = Vec::new();
    if party {
        types.push(if age >= 60 {
            "社区党员"
        } else {
            "在职党员"
        });
    }
    if age < 6 {
        types.push("学龄前儿童");
    } else if age < 23 {
        types.push("在校学生");
    } else if age >= 60 {
        types.push("退休人员");
    } else if tenant {
        types.push("来沪人员");
    } else {
        types.push(if g.chance(0.15) {
            "机关事业单位人员"
        } else {
            "企业员工"
        });
    }
    if age >= 80 {
        types.push("高龄老人");
    }
    if alone {
        types.push("独居老人");
    }
    if g.chance(0.02) {
        types.push("残疾人员");
    }
    if age > 50 && g.chance(0.015) {
        types.push("大重病人员");
    }
    if age > 45 && g.chance(0.01) {
        types.push("退伍转业人员");
    }
    for t in types {
        g.tag(p, TagDimension::ResidentType, t);
    }
    let family = if hardship {
        "困难家庭"
    } else if tenant {
        "租户家庭"
    } else if alone {
        "孤老家庭"
    } else if household_size == 2 && g.chance(0.05) {
        "单亲家庭"
    } else {
        "普通家庭"
    };
    g.tag(p, TagDimension::FamilyType, family);
}

fn assignments(ledger: &mut Ledger, today: NaiveDate) {
    // Every worker but the secretary keeps a contiguous block of buildings.
    let workers: Vec<WorkerId> = ledger
        .committee
        .workers
        .iter()
        .skip(1)
        .map(|w| w.id)
        .collect();
    let buildings: Vec<BuildingId> = ledger.households.buildings.iter().map(|b| b.id).collect();
    let per = buildings.len().div_ceil(workers.len().max(1));
    for (i, w) in workers.iter().enumerate() {
        let chunk: Vec<BuildingId> = buildings.iter().skip(i * per).take(per).copied().collect();
        ledger.committee.assignments.push(Assignment {
            worker: *w,
            buildings: chunk,
            households: Vec::new(),
            since: NaiveDate::from_ymd_opt(today.year() - 2, 1, 1).unwrap_or(today),
        });
    }
}

const VISIT_REASONS: &[&str] = &[
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

const NEEDS: &[(&str, &str)] = &[
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

const SPOT_ANSWERS: &[&str] = &[
    "已告知办理流程",
    "已当场联系物业处理",
    "已解释相关政策，居民表示理解",
    "已登记并转告楼组长",
];

fn visits(
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

fn desk(g: &mut Gen, plan: &Plan, ledger: &mut Ledger) {
    let today = g.today;
    let days = if plan.visit_years > 2 {
        365 * plan.visit_years as i64
    } else {
        730
    };
    let scale = if plan.visits_target > 0 { 5 } else { 1 };
    let workers: Vec<WorkerId> = ledger.committee.workers.iter().map(|w| w.id).collect();
    let matters = [
        (
            "咨询老年综合津贴申领",
            "已告知所需材料：身份证、户口簿、银行卡，可在社区事务受理中心办理",
        ),
        (
            "开具居住证明",
            "已说明需到派出所或受理中心办理，居委会协助核实",
        ),
        ("反映楼上漏水", "已联系物业上门查看"),
        (
            "咨询垃圾分类投放时间",
            "已告知每日 7:00–9:00、18:00–20:00 定时投放",
        ),
        ("报名老年大学课程", "已登记，开课前电话通知"),
        ("咨询加装电梯流程", "已提供加装电梯办事指南"),
        ("反映小区停车难", "已记录，列入问题清单"),
        ("咨询长护险申请", "已告知评估申请流程"),
    ];
    let mut id = 0;
    for d in 0..days {
        let day = today - Duration::days(d);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for _ in 0..g.rng.random_range(0..=3) * scale {
            id += 1;
            let (matter, answer) = matters.choose(&mut g.rng).copied().unwrap_or(matters[0]);
            let channel = if g.chance(0.2) {
                Channel::Online
            } else if g.chance(0.2) {
                Channel::Phone
            } else {
                Channel::InPerson
            };
            let anonymous = g.chance(0.2);
            let sex = if g.chance(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            ledger.desk.receptions.push(Reception {
                id: ReceptionId(id),
                at: at(day, g.rng.random_range(8..17), g.rng.random_range(0..60)),
                channel,
                visitor: if anonymous {
                    None
                } else {
                    Some(names::name(&mut g.rng, sex))
                },
                visitor_phone: if anonymous {
                    None
                } else {
                    names::phone(&mut g.rng)
                },
                matter: matter.to_owned(),
                received_by: workers.choose(&mut g.rng).copied().unwrap_or(WorkerId(1)),
                answer: answer.to_owned(),
                confirmed: g.chance(0.85),
                problem: None,
            });
        }
        let shift = match day.weekday() {
            Weekday::Tue | Weekday::Thu => Some((ShiftKind::Evening, (18, 20))),
            _ => None,
        };
        if let Some((kind, (start, end))) = shift {
            let worker = workers.choose(&mut g.rng).copied().unwrap_or(WorkerId(1));
            let signed = day < today && g.chance(0.95);
            ledger.desk.shifts.push(DutyShift {
                on: day,
                start: NaiveTime::from_hms_opt(start, 0, 0).unwrap_or(NaiveTime::MIN),
                end: NaiveTime::from_hms_opt(end, 0, 0).unwrap_or(NaiveTime::MIN),
                kind,
                worker,
                signed_in: signed.then(|| at(day, start - 1, g.rng.random_range(45..60))),
                note: String::new(),
            });
        }
    }
    // Saturday mornings and the week ahead, unsigned.
    for d in -14..days {
        let day = today - Duration::days(d);
        if day.weekday() == Weekday::Sat {
            let worker = workers.choose(&mut g.rng).copied().unwrap_or(WorkerId(1));
            ledger.desk.shifts.push(DutyShift {
                on: day,
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
                end: NaiveTime::from_hms_opt(11, 30, 0).unwrap_or(NaiveTime::MIN),
                kind: ShiftKind::Weekend,
                worker,
                signed_in: (day < today && g.chance(0.95)).then(|| at(day, 8, 50)),
                note: String::new(),
            });
        }
    }
    ledger.desk.receptions.sort_by_key(|r| r.at);
    ledger.desk.shifts.sort_by_key(|s| s.on);
}

fn problems(
    g: &mut Gen,
    plan: &Plan,
    ledger: &mut Ledger,
    from_visits: Vec<(VisitId, NaiveDate, String, String, HouseholdId)>,
) {
    let today = g.today;
    let workers: Vec<WorkerId> = ledger.committee.workers.iter().map(|w| w.id).collect();
    let extra = if plan.problems_target > 0 {
        plan.problems_target.saturating_sub(from_visits.len())
    } else {
        120
    };
    let mut list: Vec<Problem> = Vec::new();
    let mut push = |g: &mut Gen,
                    source: ProblemSource,
                    day: NaiveDate,
                    title: String,
                    category: String,
                    household: Option<HouseholdId>,
                    location: String| {
        let age = (today - day).num_days();
        let id = ProblemId(list.len() as u32 + 1);
        let path = *[
            ResolutionPath::OnTheSpot,
            ResolutionPath::Consultation,
            ResolutionPath::LineDepartment,
            ResolutionPath::MultiParty,
            ResolutionPath::Escalated,
        ]
        .choose(&mut g.rng)
        .unwrap_or(&ResolutionPath::Consultation);
        let prominent = g.chance(0.35);
        let solve_p = if prominent { 0.66 } else { 0.9 };
        let status = if age > 120 {
            if g.chance(solve_p) {
                ProblemStatus::Solved
            } else {
                ProblemStatus::Answered
            }
        } else if age > 30 {
            if g.chance(0.5) {
                ProblemStatus::Solved
            } else {
                ProblemStatus::InProgress
            }
        } else if g.chance(0.5) {
            ProblemStatus::Open
        } else {
            ProblemStatus::InProgress
        };
        let closed_on = status
            .is_closed()
            .then(|| (day + Duration::days(g.rng.random_range(1..90))).min(today));
        let answer = match status {
            ProblemStatus::Solved => "已协调解决，居民表示满意".to_owned(),
            ProblemStatus::Answered => {
                "已答复：涉及规划调整，暂无法解决，已上报街道跟踪".to_owned()
            }
            _ => String::new(),
        };
        list.push(Problem {
            id,
            raised_on: day,
            source,
            category,
            title,
            description: String::new(),
            household,
            location,
            prominent,
            path,
            status,
            assigned_to: workers.choose(&mut g.rng).copied(),
            progress: if status == ProblemStatus::InProgress {
                vec![(
                    day + Duration::days(3).min(today - day),
                    "已与物业、业委会沟通，待协调".to_owned(),
                )]
            } else {
                Vec::new()
            },
            answer,
            closed_on,
            project: None,
        });
    };
    for (visit, day, need, category, household) in from_visits {
        let location = ledger
            .households
            .household(household)
            .and_then(|h| ledger.households.building(h.building))
            .map(|b| b.number.clone())
            .unwrap_or_default();
        push(
            g,
            ProblemSource::Visit(visit),
            day,
            need,
            category,
            Some(household),
            location,
        );
    }
    let compounds: Vec<String> = ledger
        .households
        .compounds
        .iter()
        .map(|c| c.name.clone())
        .collect();
    for i in 0..extra {
        let day = today - Duration::days(g.rng.random_range(0..700));
        let (need, category) = NEEDS.choose(&mut g.rng).copied().unwrap_or(("", "其他"));
        let compound = compounds.choose(&mut g.rng).cloned().unwrap_or_default();
        let source = if i % 3 == 0 {
            ProblemSource::Hotline(format!(
                "12345-{}{:06}",
                day.year(),
                g.rng.random_range(0..999_999)
            ))
        } else if i % 3 == 1 {
            ProblemSource::Patrol
        } else {
            ProblemSource::Other("居民代表反映".to_owned())
        };
        push(
            g,
            source,
            day,
            format!("{compound}{need}"),
            category.to_owned(),
            None,
            compound,
        );
    }
    ledger.problems.problems = list;
}

const PROJECTS: &[(&str, &str, &str, &str, FundKind, FundCategory, i64)] = &[
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

fn tally(g: &mut Gen, n: u32, good: f64) -> Tally {
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

fn projects(g: &mut Gen, plan: &Plan, ledger: &mut Ledger) {
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
                        p.rectification =
                            "针对评议意见，督促施工方返工修补，整改后再次评议".to_owned();
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

fn funds(g: &mut Gen, plan: &Plan, ledger: &mut Ledger) {
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
            fy.plans.push(FundPlan {
                fund,
                budget: Fen::yuan(if per_year > 0 { 100_000 * 20 } else { 100_000 }),
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
                // The foundation plan leaves out 志愿服务 so that such spending shows as unplanned.
                items: fund
                    .categories()
                    .iter()
                    .filter(|c| **c != FundCategory::Volunteering)
                    .map(|c| PlanItem {
                        category: *c,
                        description: c.label().to_owned(),
                        amount: Fen::yuan(10_000),
                    })
                    .collect(),
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
        for i in 0..n {
            let fund = FundKind::ALL[i % 3];
            let budget = fy
                .plan(fund)
                .map(|p| p.budget)
                .unwrap_or(Fen::yuan(100_000));
            let share = budget.0 / n.max(1) as i64 * 3;
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
        for p in ledger
            .projects
            .projects
            .iter()
            .filter(|p| p.stage >= ProjectStage::InProgress)
        {
            if p.milestones
                .iter()
                .any(|m| m.stage == ProjectStage::InProgress && m.on.year() == year)
            {
                let amount = Fen(p.budget.0 * g.rng.random_range(85..=100) / 100);
                let payee = org_payee(g, &orgs, "示例建设工程有限公司");
                add(
                    &mut fy,
                    g,
                    p.fund_category,
                    amount,
                    payee,
                    format!("{}工程款", p.title),
                );
                if let Some(last) = fy.payments.last_mut() {
                    last.project = Some(p.id);
                }
            }
        }
        fy.payments.sort_by_key(|p| (p.on, p.id.seq));
        ledger.funds.insert(year, fy);
    }
}

fn org_payee(g: &mut Gen, orgs: &[(OrganisationId, String)], fallback: &str) -> Payee {
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

fn points(g: &mut Gen, ledger: &mut Ledger) {
    let today = g.today;
    let workers: Vec<WorkerId> = ledger.committee.workers.iter().map(|w| w.id).collect();
    for back in 0..12 {
        let date = today - Duration::days(30 * back);
        let month = Month::of(date);
        for w in &workers {
            let mut add = |item: PointItem, note: &str| {
                ledger.points.entries.push(PointEntry {
                    worker: *w,
                    month,
                    item,
                    note: note.to_owned(),
                    entered_by: WORKERS[0].0.to_owned(),
                    entered_on: date,
                });
            };
            add(
                PointItem::Training(g.rng.random_range(1..=3)),
                "街道社工培训",
            );
            if g.chance(0.4) {
                add(
                    PointItem::SpecialAction(g.rng.random_range(1..=4)),
                    "垃圾分类专项行动",
                );
            }
            if g.chance(0.3) {
                add(
                    PointItem::Volunteering(g.rng.random_range(1..=2)),
                    "周末志愿服务",
                );
            }
            if g.chance(0.15) {
                add(PointItem::Articles(1), "公众号文章");
            }
            if g.chance(0.04) {
                add(
                    PointItem::Award {
                        level: AwardLevel::Street,
                        collective: false,
                    },
                    "街道优秀社工",
                );
            }
            if g.chance(0.03) {
                add(
                    PointItem::Complaint(Tenths(-30)),
                    "居民投诉服务态度，经集体研究扣分",
                );
            }
        }
        if back > 0 {
            for w in &workers {
                let card = point_card(*w, month, ledger.all_visits(), &ledger.desk, &ledger.points);
                ledger.points.signed.push(SignedCard {
                    worker: *w,
                    month,
                    total: card.total,
                    signed_by: WorkerId(1),
                    signed_on: date,
                });
            }
        }
    }
}
