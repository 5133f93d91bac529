//! The demo's compounds, buildings and households: members in the two groups with fictitious
//! names, ID numbers and phones, moves in and out over the years, and the tags of 附件二.

use super::*;

pub(super) fn households(g: &mut Gen, plan: &Plan, ledger: &mut Ledger) {
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

#[expect(
    clippy::too_many_lines,
    reason = "one record kind drawn from one seeded generator: the order of the draws is the demo's content (its hash is pinned), so it reads top to bottom as it is drawn"
)]
pub(super) fn household(
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

pub(super) fn tag_person(
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
