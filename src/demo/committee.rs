//! The demo committee's own records: its identity, its seven workers and their roles, the
//! organisations it works with, its saved 智能名单, and who is assigned which buildings (包干).

use super::*;

pub(super) fn committee(today: NaiveDate) -> CommitteeBook {
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
        satisfaction_threshold: crate::model::project_flow::DEFAULT_THRESHOLD,
        import_headings: Vec::new(),
    }
}

/// Two lists a committee would save: its 楼组长 and the party members working elsewhere.
pub(super) fn demo_lists(today: NaiveDate) -> Vec<crate::model::lists::SavedList> {
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

pub(super) fn assignments(ledger: &mut Ledger, today: NaiveDate) {
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
