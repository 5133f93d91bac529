//! Publishing: every page kind as an insta snapshot from a small fixture, the guard catching
//! seeded leaks (and only those), Markdown XSS neutralised, and the output folder written
//! incrementally and left intact when the guard fails.

use crate::fixtures::{date, sample_ledger};
use sibai::model::*;
use sibai::publish::{
    Files, HitKind, Prefetch, PublishError, PublishInput, SiteSettings, build, check, publish,
    publish_prefetched,
};
use std::path::Path;

const TODAY: (i32, u32, u32) = (2026, 11, 23);

pub fn today() -> chrono::NaiveDate {
    date(TODAY.0, TODAY.1, TODAY.2)
}

/// A committee with public texts of its own and canary residents whose details must never
/// reach the site.
pub fn publish_ledger() -> Ledger {
    let mut l = sample_ledger("甲乙");
    let c = l.committee.committee.as_mut().unwrap();
    c.name = "示例居委会".into();
    c.office_address = "示例路 100 号".into();
    c.office_hours = "工作日 8:30–17:00".into();
    l.committee.workers.push(Worker {
        id: WorkerId(2),
        name: "李建国".into(),
        roles: vec![Role::Director],
        phone: Phone::parse("13800138000").ok(),
        signs_notices: true,
        since: date(2020, 1, 1),
        left_on: None,
    });
    l.committee.workers.push(Worker {
        id: WorkerId(3),
        name: "社工小周".into(),
        roles: vec![Role::SocialWorker],
        phone: None,
        signs_notices: false,
        since: date(2022, 1, 1),
        left_on: None,
    });
    l.committee.organisations[0].name = "示例物业公司".into();
    // Canary residents: a household in 5号 302室.
    l.households.buildings.push(Building {
        id: BuildingId(5),
        compound: CompoundId(1),
        number: "5号".into(),
        floors: 6,
        rooms_per_floor: 2,
    });
    let mut canary = l.households.households[0].clone();
    canary.id = HouseholdId(2);
    canary.building = BuildingId(5);
    canary.room = "302".into();
    canary.phone = Phone::parse("13912345678").ok();
    canary.members[0].name = "钱多多".into();
    canary.members[0].id = PersonId(2);
    canary.members[0].id_number = IdNumber::parse("440524188001010014").ok();
    canary.members[0].phone = Phone::parse("13712345670").ok();
    let mut tenant = canary.members[0].clone();
    tenant.id = PersonId(3);
    tenant.name = "孙租客".into();
    tenant.group = MemberGroup::Tenant;
    tenant.id_number = None;
    tenant.phone = None;
    canary.members.push(tenant);
    l.households.households.push(canary);
    // The project, in public words.
    let p = &mut l.projects.projects[0];
    p.title = "楼道灯更换".into();
    p.category = "设施改善".into();
    p.need = "老楼楼道照明不足，居民夜间出行不便。".into();
    p.plan = "更换 6 栋楼道感应灯，共 72 盏。".into();
    p.outcome = "已全部更换完毕并验收。".into();
    p.rectification = String::new();
    p.meetings[0].topic = "楼道灯更换方案听证".into();
    p.meetings[0].decision = "同意方案，施工避开早晚高峰。".into();
    p.surveys[0].result = Tally {
        satisfied: 30,
        fair: 5,
        dissatisfied: 2,
    };
    p.surveys[0].effort = p.surveys[0].result;
    p.surveys[0].process = p.surveys[0].result;
    // One payment to an organisation in the first half of 2026, one to a person.
    let funds = l.funds.get_mut(&2026).unwrap();
    let mut org = funds.payments[0].clone();
    org.id.seq = 2;
    org.payee = Payee::Organisation {
        name: "示例物业公司".into(),
        id: Some(OrganisationId(1)),
    };
    org.category = FundCategory::Facilities;
    org.fund = FundKind::Foundation;
    org.purpose = "楼道灯采购与安装".into();
    org.voucher = "2026-0012".into();
    org.project = Some(ProjectId(1));
    org.amount = Fen::yuan(1100);
    funds.payments.push(org);
    funds.payments[0].payee = Payee::Individual {
        name: "钱多多".into(),
        household: Some(HouseholdId(2)),
    };
    funds.payments[0].purpose = "节日慰问".into();
    funds.payments[0].voucher = "2026-0001".into();
    // The foundation's money received: in March (counted in the first half's balance) and in
    // July (not yet).
    for (m, yuan) in [(3, 30_000), (7, 20_000)] {
        funds.income.push(sibai::model::Income {
            fund: FundKind::Foundation,
            on: date(2026, m, 1),
            amount: Fen::yuan(yuan),
            reference: format!("街财拨〔2026〕{m}号"),
            note: String::new(),
        });
    }
    l
}

pub const GUIDE_ITEM: &str = r#"+++
title = "老年人综合津贴"
category = "为老服务"
audience = "年满65周岁的本市户籍老年人"
conditions = ["年满65周岁"]
materials = ["本人身份证"]
steps = ["到社区事务受理服务中心申请", "审核通过次月发放"]
place_and_time = "社区事务受理服务中心（工作日）"
basis = ["《上海市老年人综合津贴制度实施办法》"]
evaluation = "好差评"
verified = "2026-11-01"
sample = true
+++

老人**不用每年重新申请**。

| 年龄 | 说明 |
| --- | --- |
| 65–69 | 第一档 |
"#;

/// A committee folder with the fixture guide item.
pub fn root_with_guide() -> tempfile::TempDir {
    root_with(&[("elderly-allowance", GUIDE_ITEM)])
}

/// A committee folder in a temp dir: `content/guide/` with the given items.
pub fn root_with(guide: &[(&str, &str)]) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("content").join("guide");
    std::fs::create_dir_all(&dir).unwrap();
    for (slug, text) in guide {
        std::fs::write(dir.join(format!("{slug}.md")), text).unwrap();
    }
    root
}

fn build_site(ledger: &Ledger, root: &Path, settings: &SiteSettings) -> Files {
    build(&input_of(ledger, root, settings)).unwrap()
}

fn page(files: &Files, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .unwrap()
}

#[test]
fn every_page_kind_matches_its_snapshot() {
    let ledger = publish_ledger();
    let root = root_with(&[("elderly-allowance", GUIDE_ITEM)]);
    let files = build_site(&ledger, root.path(), &SiteSettings::default());
    assert!(check(&ledger, &SiteSettings::default(), &files).is_empty());
    for path in [
        "index.html",
        "notices/index.html",
        "funds/index.html",
        "funds/2026-h1-foundation.html",
        "projects/index.html",
        "projects/2026-1.html",
        "guide/index.html",
        "guide/elderly-allowance.html",
        "about.html",
        "boards/index.html",
        "boards/fund-2026-h1-foundation.html",
        "boards/outcome-2026-1.html",
        "search.html",
        "_headers",
    ] {
        insta::assert_snapshot!(path.replace('/', "__"), page(&files, path));
    }
}

#[test]
fn help_to_individuals_is_only_counted() {
    let ledger = publish_ledger();
    let root = root_with(&[]);
    let files = build_site(&ledger, root.path(), &SiteSettings::default());
    let party = page(&files, "funds/2026-h1-party.html");
    assert!(party.contains("帮扶居民（只公开笔数和金额）"), "{party}");
    assert!(party.contains("关爱帮扶类"));
    assert!(!party.contains("钱多多"));
    let foundation = page(&files, "funds/2026-h1-foundation.html");
    assert!(foundation.contains("示例物业公司") && foundation.contains("2026-0012"));
}

#[test]
fn quarterly_cadence_makes_quarterly_disclosures() {
    let ledger = publish_ledger();
    let root = root_with(&[]);
    let settings = SiteSettings {
        cadence: sibai::publish::Cadence::Quarter,
        ..SiteSettings::default()
    };
    let files = build_site(&ledger, root.path(), &settings);
    assert!(files.contains_key("funds/2026-q1-party.html"));
    assert!(files.contains_key("funds/2026-q3-foundation.html"));
    // The fourth quarter has not ended on 23 November.
    assert!(!files.contains_key("funds/2026-q4-foundation.html"));
}

/// One seeded leak: what it changes, and where the guard must find what.
struct Leak {
    name: &'static str,
    seed: fn(&mut Ledger, &mut Vec<(String, String)>, &mut SiteSettings),
    file: &'static str,
    kind: HitKind,
}

/// What a publish of `root` reads, on the test's date.
fn input_of<'a>(
    ledger: &'a Ledger,
    root: &'a Path,
    settings: &'a SiteSettings,
) -> PublishInput<'a> {
    PublishInput {
        ledger,
        root,
        settings,
        today: today(),
    }
}

/// Marks a leak expected in a file name (reported as line 0, with the name masked).
const FILE_NAME: &str = "(file name)";

fn guide_with(body_or_front: &str) -> String {
    GUIDE_ITEM.replace("老人**不用每年重新申请**。", body_or_front)
}

fn project(l: &mut Ledger) -> &mut Project {
    &mut l.projects.projects[0]
}

fn org_payment(l: &mut Ledger) -> &mut Payment {
    l.funds.get_mut(&2026).unwrap().payments.last_mut().unwrap()
}

fn leaks() -> Vec<Leak> {
    vec![
        Leak {
            name: "resident name in a project need",
            seed: |l, _, _| project(l).need = "钱多多家门口路灯坏了".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "tenant name in a project plan",
            seed: |l, _, _| project(l).plan = "由孙租客负责联系施工".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "resident name in a project outcome",
            seed: |l, _, _| project(l).outcome = "钱多多 表示满意".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "resident name in a project title (also in notices)",
            seed: |l, _, _| project(l).title = "钱多多家漏水维修".into(),
            file: "notices/index.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "room address in a meeting decision",
            seed: |l, _, _| project(l).meetings[0].decision = "先修5号302室".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Address,
        },
        Leak {
            name: "room address written 5号楼302室",
            seed: |l, _, _| project(l).meetings[0].topic = "5号楼 302 室漏水".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Address,
        },
        Leak {
            name: "room address written with spaces, 5号 302 室",
            seed: |l, _, _| project(l).meetings[0].topic = "5号 302 室 漏水".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Address,
        },
        Leak {
            name: "resident phone in a meeting topic",
            seed: |l, _, _| project(l).meetings[0].topic = "联系 13712345670".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Phone,
        },
        Leak {
            name: "ID number in a payment purpose",
            seed: |l, _, _| org_payment(l).purpose = "代付 440524188001010014".into(),
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::IdNumber,
        },
        Leak {
            name: "ID number in full-width digits",
            seed: |l, _, _| {
                org_payment(l).purpose = "证号４４０５２４１８８００１０１００１４".into();
            },
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::IdNumber,
        },
        Leak {
            name: "ID number split by spaces in a voucher",
            seed: |l, _, _| org_payment(l).voucher = "440524 18800101 0014".into(),
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::IdNumber,
        },
        Leak {
            name: "an ID-number shape not in the ledger",
            seed: |l, _, _| org_payment(l).purpose = "证号 11010119900307803X".into(),
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::IdShape,
        },
        Leak {
            name: "a legacy 15-digit ID shape",
            seed: |l, _, _| org_payment(l).purpose = "旧证 110101900307803".into(),
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::IdShape,
        },
        Leak {
            name: "the old 15-digit form of a resident's ID",
            seed: |l, _, _| org_payment(l).purpose = "旧证 110105491231002".into(),
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::IdNumber,
        },
        Leak {
            name: "phone split by dashes in a payment purpose",
            seed: |l, _, _| org_payment(l).purpose = "联系 139-1234-5678".into(),
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::Phone,
        },
        Leak {
            name: "a mobile shape not in the ledger",
            seed: |l, _, _| org_payment(l).purpose = "联系 15000000000".into(),
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::MobileShape,
        },
        Leak {
            name: "masked ID in a project need",
            seed: |l, _, _| project(l).need = "申请人 4405**********0014".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Masked,
        },
        Leak {
            name: "masked phone in an outcome",
            seed: |l, _, _| project(l).outcome = "回访 139****5678".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Masked,
        },
        Leak {
            name: "a person paid as if an organisation",
            seed: |l, _, _| {
                org_payment(l).payee = Payee::Organisation {
                    name: "钱多多".into(),
                    id: None,
                }
            },
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "phone in a guide page body",
            seed: |_, g, _| g.push(("allowance".into(), guide_with("咨询 13912345678"))),
            file: "guide/allowance.html",
            kind: HitKind::Phone,
        },
        Leak {
            name: "ID in guide front matter",
            seed: |_, g, _| {
                g.push((
                    "allowance".into(),
                    GUIDE_ITEM.replace("本人身份证", "例如 440524188001010014"),
                ));
            },
            file: "guide/allowance.html",
            kind: HitKind::IdNumber,
        },
        Leak {
            name: "resident name in a guide title (also in the guide index)",
            seed: |_, g, _| {
                g.push((
                    "allowance".into(),
                    GUIDE_ITEM.replace("title = \"老年人综合津贴\"", "title = \"钱多多的津贴\""),
                ));
            },
            file: "guide/index.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "a leak in the search index",
            seed: |_, g, _| g.push(("allowance".into(), guide_with("联系人 孙租客"))),
            // The document shard holding its text (the term shards hold only pairs).
            file: "search/d/a.js",
            kind: HitKind::Name,
        },
        Leak {
            name: "a leak in a file name",
            seed: |_, g, _| g.push(("p13912345678".into(), GUIDE_ITEM.to_owned())),
            file: FILE_NAME,
            kind: HitKind::Phone,
        },
        Leak {
            name: "a name split by a zero-width space",
            seed: |l, _, _| project(l).plan = "钱\u{200B}多多".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "a name split by a full-width space",
            seed: |l, _, _| project(l).plan = "钱　多多".into(),
            file: "projects/2026-1.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "a worker who does not sign notices, in the office hours",
            seed: |_, _, s| s.office_hours = "值班：社工小周".into(),
            file: "index.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "a visitor's name in the office address",
            seed: |l, _, s| {
                l.desk.receptions[0].visitor = Some("赵来访".into());
                s.office_address = "找赵来访".into();
            },
            file: "about.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "a resident's mobile as the office phone",
            seed: |_, _, s| s.office_phone = "13912345678".into(),
            file: "about.html",
            kind: HitKind::Phone,
        },
        Leak {
            name: "a mobile not in the ledger as the office phone",
            seed: |_, _, s| s.office_phone = "13900001111".into(),
            file: "about.html",
            kind: HitKind::MobileShape,
        },
        Leak {
            name: "the name a visit recorded, in the committee's area",
            seed: |l, _, _| {
                l.visits.get_mut(&2026).unwrap()[0].resident_name = "周听说".into();
                l.committee.committee.as_mut().unwrap().street = "周听说".into();
            },
            file: "index.html",
            kind: HitKind::Name,
        },
        Leak {
            name: "a lower-case x ID shape",
            seed: |l, _, _| org_payment(l).purpose = "证号 11010119900307803x".into(),
            file: "funds/2026-h1-foundation.html",
            kind: HitKind::IdShape,
        },
    ]
}

#[test]
fn the_guard_catches_every_seeded_leak() {
    let clean = publish_ledger();
    let all = leaks();
    assert!(all.len() >= 25, "only {} leaks", all.len());
    for leak in all {
        let mut ledger = clean.clone();
        let mut guide = vec![("elderly-allowance".to_owned(), GUIDE_ITEM.to_owned())];
        let mut settings = SiteSettings::default();
        (leak.seed)(&mut ledger, &mut guide, &mut settings);
        let refs: Vec<(&str, &str)> = guide
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let root = root_with(&refs);
        let files = build_site(&ledger, root.path(), &settings);
        let hits = check(&ledger, &settings, &files);
        assert!(
            hits.iter().any(|h| h.kind == leak.kind
                && if leak.file == FILE_NAME {
                    h.line == 0
                } else {
                    h.file == leak.file
                }),
            "{}: expected {:?} in {}, got {hits:#?}",
            leak.name,
            leak.kind,
            leak.file
        );
        // The report masks what it found.
        for h in &hits {
            for secret in ["钱多多", "440524188001010014", "13912345678", "13712345670"] {
                assert!(!h.to_string().contains(secret), "{}: {h}", leak.name);
            }
        }
    }
}

#[test]
fn a_failed_publish_leaves_the_previous_site_as_it_was() {
    let ledger = publish_ledger();
    let root = root_with(&[("elderly-allowance", GUIDE_ITEM)]);
    let out = root.path().join("public");
    let settings = SiteSettings::default();
    let input = input_of(&ledger, root.path(), &settings);
    let first = publish(&input, &out).unwrap();
    assert!(first.written.written.len() > 10);
    // Nothing changed: nothing written.
    let again = publish(&input, &out).unwrap();
    assert!(again.written.written.is_empty());
    assert_eq!(again.written.unchanged, first.written.written.len());
    // A file that no longer belongs is removed; the folder itself is never emptied.
    std::fs::write(out.join("guide").join("old-item.html"), "旧").unwrap();
    let tidy = publish(&input, &out).unwrap();
    assert_eq!(tidy.written.removed, vec!["guide/old-item.html".to_owned()]);
    // A leak fails the publish and touches nothing.
    let before = crate::fixtures::snapshot(&out);
    let mut leaky = ledger.clone();
    leaky.projects.projects[0].need = "钱多多反映".into();
    let err = publish(
        &PublishInput {
            ledger: &leaky,
            ..input
        },
        &out,
    )
    .unwrap_err();
    assert!(matches!(err, PublishError::Leak(_)));
    let message = err.to_string();
    assert!(message.contains("隐私检查未通过") && message.contains("projects/2026-1.html"));
    assert!(!message.contains("钱多多"), "{message}");
    assert_eq!(crate::fixtures::snapshot(&out), before);
}

/// A committee folder with two guide items, `elderly-allowance` and `second`.
fn two_items() -> tempfile::TempDir {
    root_with(&[
        ("elderly-allowance", GUIDE_ITEM),
        ("second", &guide_with("第二项的正文。")),
    ])
}

#[test]
fn a_second_publish_redoes_only_what_changed_and_still_checks_it() {
    let ledger = publish_ledger();
    let root = two_items();
    let out = root.path().join("public");
    let settings = SiteSettings::default();
    let input = input_of(&ledger, root.path(), &settings);
    let first = publish(&input, &out).unwrap();
    let total = first.written.written.len();
    assert_eq!(first.checked, total);
    // The record lives beside the public folder, never in it; no staging is left behind.
    let beside: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        beside.contains(&".public.sibai-publish.json".to_owned()),
        "{beside:?}"
    );
    assert!(!beside.iter().any(|n| n.contains("staging")), "{beside:?}");
    assert!(
        !crate::fixtures::snapshot(&out)
            .keys()
            .any(|p| p.to_string_lossy().contains("sibai-publish"))
    );

    // Nothing changed: nothing rendered, checked or written.
    let again = publish(&input, &out).unwrap();
    assert_eq!((again.checked, again.written.written.len()), (0, 0));
    assert_eq!(again.written.unchanged, total);
    assert!(again.to_string().contains("没有生成新文件"), "{again}");

    // One guide item edited: its page (its board too), and the pages that list it, are redone.
    let item = root.path().join("content/guide/second.md");
    std::fs::write(&item, guide_with("第二项的正文，已修订。")).unwrap();
    let edited = publish(&input, &out).unwrap();
    let mut written = edited.written.written.clone();
    written.sort();
    // Its page, its document shard, and those term shards of its group whose pairs changed.
    assert_eq!(written[0], "guide/second.html", "{written:?}");
    assert!(written.contains(&"search/d/a.js".to_owned()), "{written:?}");
    assert!(
        written[1..]
            .iter()
            .all(|p| p.starts_with("search/t/") || p == "search/d/a.js"),
        "{written:?}"
    );
    assert!(written.len() < 2 + 64, "{written:?}");
    assert!(edited.checked < total, "{edited:?}");
    let page = std::fs::read_to_string(out.join("guide/second.html")).unwrap();
    assert!(page.contains("已修订"));

    // A page or a search file changed or deleted by hand is put back.
    std::fs::write(out.join("guide/elderly-allowance.html"), "改坏了").unwrap();
    std::fs::remove_file(out.join("guide/second.html")).unwrap();
    std::fs::remove_file(out.join("boards/plan-2026-1.html")).unwrap();
    std::fs::remove_file(out.join("search/meta.js")).unwrap();
    std::fs::write(out.join("search/t/a.js"), "改坏了").unwrap();
    let repaired = publish(&input, &out).unwrap();
    let mut written = repaired.written.written;
    written.sort();
    assert_eq!(
        written,
        [
            "boards/plan-2026-1.html",
            "guide/elderly-allowance.html",
            "guide/second.html",
            "search/meta.js",
            "search/t/a.js"
        ]
    );
    // So is the guide's index when only an item's text changed (its list does not change).
    std::fs::remove_file(out.join("guide/index.html")).unwrap();
    std::fs::write(&item, guide_with("第二项的正文，又修订了。")).unwrap();
    let repaired = publish(&input, &out).unwrap();
    assert!(
        repaired
            .written
            .written
            .contains(&"guide/index.html".to_owned()),
        "{repaired:?}"
    );
    std::fs::write(&item, guide_with("第二项的正文，已修订。")).unwrap();

    // An unchanged guide item that now names a resident is caught: a new resident changes
    // what the guard looks for, so every page is checked again.
    let mut grown = ledger.clone();
    let mut newcomer = grown.households.households[0].clone();
    newcomer.id = HouseholdId(77);
    newcomer.members[0].name = "新来的".into();
    newcomer.members[0].id = PersonId(77);
    newcomer.members[0].id_number = None;
    grown.households.households.push(newcomer);
    std::fs::write(&item, guide_with("请联系新来的邻居。")).unwrap();
    let before = crate::fixtures::snapshot(&out);
    let err = publish(
        &PublishInput {
            ledger: &grown,
            ..input
        },
        &out,
    )
    .unwrap_err();
    assert!(matches!(err, PublishError::Leak(_)), "{err}");
    assert_eq!(crate::fixtures::snapshot(&out), before);
    std::fs::write(&item, guide_with("第二项的正文，已修订。")).unwrap();
    let rechecked = publish(
        &PublishInput {
            ledger: &grown,
            ..input
        },
        &out,
    )
    .unwrap();
    assert_eq!(
        rechecked.checked,
        rechecked.written.unchanged + rechecked.written.written.len()
    );
}

#[test]
fn markdown_cannot_inject_script() {
    let corpus = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">点我</a>",
        "[点我](javascript:alert(1))",
        "[点我](JAVASCRIPT:alert(1))",
        "[点我](java&#x09;script:alert(1))",
        "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![图](javascript:alert(1))",
        "![图](data:image/svg+xml;base64,PHN2Zz4=)",
        "<svg onload=alert(1)><script>alert(1)</script></svg>",
        "<math><mtext><script>alert(1)</script></mtext></math>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "[x](vbscript:msgbox(1))",
        "<details open ontoggle=alert(1)>",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "<<script>script>alert(1)<</script>/script>",
        "`<script>` 在代码里是文字",
    ];
    let body = corpus.join("\n\n");
    let root = root_with(&[("xss", &guide_with(&body))]);
    let files = build_site(&publish_ledger(), root.path(), &SiteSettings::default());
    let html = page(&files, "guide/xss.html").to_ascii_lowercase();
    // Only real tags matter: a payload shown as text (`&lt;a href="javascript:…"&gt;`) is harmless.
    let tag = regex::Regex::new(r"<[a-z][^>]*>").unwrap();
    let handler = regex::Regex::new(r"\son[a-z]+\s*=").unwrap();
    let mut tags = 0;
    for t in tag.find_iter(&html).map(|m| m.as_str()) {
        tags += 1;
        for bad in [
            "<script",
            "<svg",
            "<math",
            "<iframe",
            "<details",
            "<div style",
            "<style",
        ] {
            assert!(!t.starts_with(bad), "{t}");
        }
        for scheme in ["javascript:", "vbscript:", "data:"] {
            assert!(!t.contains(scheme), "{t}");
        }
        assert!(!handler.is_match(t), "event handler in {t}");
    }
    assert!(tags > 20, "the page itself has tags");
    assert!(html.contains("&lt;script&gt;"), "shown as text");
}

#[test]
fn a_theme_overrides_templates_file_by_file() {
    let ledger = publish_ledger();
    let root = root_with(&[]);
    let theme = root.path().join("themes").join("plain").join("templates");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("about.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>本主题的关于页</h1>{% endblock content %}",
    )
    .unwrap();
    let settings = SiteSettings {
        theme: "plain".into(),
        ..SiteSettings::default()
    };
    let files = build_site(&ledger, root.path(), &settings);
    assert!(page(&files, "about.html").contains("本主题的关于页"));
    assert!(
        page(&files, "index.html").contains("最新公告"),
        "others stay built in"
    );
    // A theme that leaks is caught like anything else.
    std::fs::write(theme.join("about.html"), "<p>钱多多</p>").unwrap();
    let files = build_site(&ledger, root.path(), &settings);
    assert!(!check(&ledger, &settings, &files).is_empty());
    // A theme that does not exist is a clear error.
    let missing = SiteSettings {
        theme: "nope".into(),
        ..SiteSettings::default()
    };
    let err = build(&input_of(&ledger, root.path(), &missing)).unwrap_err();
    assert!(err.to_string().contains("主题“nope”不存在"), "{err}");
}

/// A committee's theme written before the templates read plain names (`g.title`,
/// `site.committee.name`) still renders, and renders the same page as the built-in theme.
#[test]
fn a_theme_written_with_the_earlier_names_renders_the_same_page() {
    const OLD_GUIDE_BODY: &str = r#"{% if g.sample %}<p class="sample">此条为示例，请以当地现行政策为准，办理前请向居委会确认。</p>{% endif %}
<dl class="facts">
<dt>适用对象</dt><dd>{{ g.audience }}</dd>
{% if g.conditions %}<dt>办理条件</dt><dd><ul>{% for c in g.conditions %}<li>{{ c }}</li>{% endfor %}</ul></dd>{% endif %}
{% if g.materials %}<dt>所需材料</dt><dd><ul>{% for m in g.materials %}<li>{{ m }}</li>{% endfor %}</ul></dd>{% endif %}
{% if g.steps %}<dt>办事流程</dt><dd><ol>{% for s in g.steps %}<li>{{ s }}</li>{% endfor %}</ol></dd>{% endif %}
<dt>办理地点与时间</dt><dd>{{ g.place_and_time }}</dd>
{% if g.basis %}<dt>政策依据</dt><dd><ul>{% for b in g.basis %}<li>{{ b }}</li>{% endfor %}</ul></dd>{% endif %}
{% if g.evaluation %}<dt>评价方式</dt><dd>{{ g.evaluation }}</dd>{% endif %}
<dt>核实日期</dt><dd>{{ g.verified }}</dd>
</dl>
<div class="body">{{ g.body_html | safe }}</div>
"#;
    const OLD_SITE_FOOT: &str = r#"<footer class="site-foot">
<p>{{ site.committee.name }}{% if site.committee.office_address %} · {{ site.committee.office_address }}{% endif %}{% if site.committee.office_phone %} · 电话 {{ site.committee.office_phone }}{% endif %}</p>
</footer>
"#;
    let ledger = publish_ledger();
    let root = root_with_guide();
    let built_in = build_site(&ledger, root.path(), &SiteSettings::default());
    let theme = root.path().join("themes").join("old").join("templates");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("guide_body.html"), OLD_GUIDE_BODY).unwrap();
    std::fs::write(theme.join("site_foot.html"), OLD_SITE_FOOT).unwrap();
    let settings = SiteSettings {
        theme: "old".into(),
        ..SiteSettings::default()
    };
    let themed = build_site(&ledger, root.path(), &settings);
    let item = page(&built_in, "guide/elderly-allowance.html");
    assert!(
        item.contains("适用对象") && item.contains("site-foot"),
        "{item}"
    );
    assert_eq!(page(&themed, "guide/elderly-allowance.html"), item);
    assert_eq!(page(&themed, "index.html"), page(&built_in, "index.html"));
}

#[test]
fn a_malformed_guide_file_is_named_in_the_error() {
    let root = root_with(&[("broken", "没有开头的事项信息")]);
    let err = build(&PublishInput {
        ledger: &publish_ledger(),
        root: root.path(),
        settings: &SiteSettings::default(),
        today: today(),
    })
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("broken.md") && text.contains("+++"), "{text}");
}

/// A guide file saved as Chinese Windows' Notepad long did (GBK), not UTF-8: the publish names
/// the file and says so in Chinese, and writes nothing.
#[test]
fn a_guide_file_not_in_utf8_is_named_in_chinese() {
    let root = root_with_guide();
    let (gbk, _, _) = encoding_rs::GBK.encode(GUIDE_ITEM);
    std::fs::write(root.path().join("content/guide/gbk.md"), &gbk).unwrap();
    let out = root.path().join("public");
    let err = publish(
        &PublishInput {
            ledger: &publish_ledger(),
            root: root.path(),
            settings: &SiteSettings::default(),
            today: today(),
        },
        &out,
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("gbk.md") && text.contains("不是 UTF-8"),
        "{text}"
    );
    assert!(!out.exists());
}

#[test]
fn the_repository_guide_is_complete_and_marked_as_samples() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = build_site(&publish_ledger(), repo, &SiteSettings::default());
    let items: Vec<&String> = files
        .keys()
        .filter(|k| k.starts_with("guide/") && *k != "guide/index.html")
        .collect();
    assert!(items.len() >= 10, "{items:?}");
    for item in items {
        let html = page(&files, item);
        assert!(
            html.contains("此条为示例"),
            "{item} is not marked as a sample"
        );
        for field in [
            "适用对象",
            "所需材料",
            "办事流程",
            "办理地点与时间",
            "政策依据",
            "核实日期",
        ] {
            assert!(html.contains(field), "{item} lacks {field}");
        }
    }
}

#[test]
fn every_notice_links_to_its_boards_and_the_due_ones_are_listed() {
    let ledger = publish_ledger();
    let root = root_with_guide();
    let files = build_site(&ledger, root.path(), &SiteSettings::default());
    for (notice, boards) in [
        (
            "funds/2026-h1-foundation.html",
            vec!["fund-2026-h1-foundation"],
        ),
        (
            "projects/2026-1.html",
            vec!["plan-2026-1", "outcome-2026-1"],
        ),
        (
            "guide/elderly-allowance.html",
            vec!["guide-elderly-allowance"],
        ),
    ] {
        let html = page(&files, notice);
        let index = page(&files, "boards/index.html");
        for b in boards {
            // A guide item's board is its own page; a notice's is under boards/.
            let print = match b.strip_prefix("guide-") {
                Some(slug) => format!("guide/{slug}.html"),
                None => format!("boards/{b}.html"),
            };
            // One file for either paper: the link chooses it.
            for paper in ["#a4", "#a3"] {
                let link = format!("../{print}{paper}");
                assert!(html.contains(&link), "{notice} lacks {link}");
                assert!(index.contains(&link), "the boards' index lacks {link}");
            }
            let board = page(&files, &print);
            assert!(
                board.contains("（盖章）")
                    && board.contains("示例居委会")
                    && board.contains("assets/board.css")
                    && board.contains(r#"id="a3""#)
                    && board.contains(r#"id="a4""#),
                "{print}"
            );
        }
    }
    let due_now = |on: chrono::NaiveDate| {
        let files = build(&PublishInput {
            ledger: &ledger,
            root: root.path(),
            settings: &SiteSettings::default(),
            today: on,
        })
        .unwrap();
        let html = page(&files, "boards/index.html");
        let start = html.find("现在应张贴").unwrap();
        let end = html.find("全部公示").unwrap();
        html[start..end].to_owned()
    };
    // In its 公示期 (3–10 April), the plan is due; the outcome notice shares the dates here.
    let april = due_now(date(2026, 4, 5));
    assert!(april.contains("实施方案的公示"), "{april}");
    // Two weeks after the half-year, its disclosures are due; the plan no longer is.
    let july = due_now(date(2026, 7, 14));
    assert!(
        july.contains("2026年上半年") && !july.contains("实施方案的公示"),
        "{july}"
    );
    assert!(due_now(today()).contains("目前没有应张贴的公示"));
}

#[test]
fn every_page_is_valid_html() {
    use html5ever::tendril::TendrilSink;
    let errors_in = |mut bytes: &[u8]| {
        let dom = html5ever::parse_document(
            markup5ever_rcdom::RcDom::default(),
            html5ever::ParseOpts::default(),
        )
        .from_utf8()
        .read_from(&mut bytes)
        .unwrap();
        dom.errors
            .borrow()
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
    };
    // The checker does see broken markup.
    assert!(!errors_in(b"<!DOCTYPE html><title>x</title><p></div><table><p>").is_empty());
    let ledger = publish_ledger();
    let root = root_with_guide();
    let files = build_site(&ledger, root.path(), &SiteSettings::default());
    let mut pages = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let errors = errors_in(bytes);
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
    assert!(pages > 15, "{pages} pages");
}

/// A page without its style (the sheet's link, or the sheet put inline) and its policy line:
/// what the preview and the published board must share.
fn without_style(html: &str) -> String {
    let html = match (html.find("<style>"), html.find("</style>")) {
        (Some(a), Some(b)) => format!("{}{}", &html[..a], &html[b + "</style>".len()..]),
        _ => html.to_owned(),
    };
    html.lines()
        .filter(|l| {
            !l.contains("Content-Security-Policy") && !l.contains("board.css") && !l.is_empty()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_notice_preview_is_the_published_board_and_is_guarded() {
    use sibai::publish::preview::{Notice, project_notice};
    let ledger = publish_ledger();
    let root = root_with_guide();
    let settings = SiteSettings::default();
    let files = build_site(&ledger, root.path(), &settings);
    for (notice, path) in [
        (Notice::Plan, "boards/plan-2026-1.html"),
        (Notice::Outcome, "boards/outcome-2026-1.html"),
    ] {
        let preview = project_notice(
            &ledger,
            &settings,
            root.path(),
            ProjectId(1),
            notice,
            today(),
        )
        .unwrap();
        assert_eq!(
            without_style(&preview),
            without_style(&page(&files, path)),
            "{path}"
        );
        // Served alone: the board's style is inside the page.
        assert!(preview.contains("<style>") && !preview.contains("assets/board.css"));
        assert!(preview.contains("楼道灯更换"));
    }
    // A project not yet posted is previewed as it will be.
    let mut early = ledger;
    early.projects.projects[0].stage = ProjectStage::PlanDrafted;
    let preview = project_notice(
        &early,
        &settings,
        root.path(),
        ProjectId(1),
        Notice::Plan,
        today(),
    )
    .unwrap();
    assert!(preview.contains("更换 6 栋楼道感应灯"));
    // A resident in the plan, written the way a careless user would: refused before anything
    // is posted, whatever the spelling.
    for plan in [
        "钱多多家门口先装",
        "钱\n多多家门口先装",
        "有事联系 +86 １３９ 1234\n5678",
        "5号楼302室门口先装",
        "5-302 门口先装",
        "钱\u{200b}多多家门口先装",
    ] {
        early.projects.projects[0].plan = plan.into();
        let refused = project_notice(
            &early,
            &settings,
            root.path(),
            ProjectId(1),
            Notice::Plan,
            today(),
        );
        match refused {
            Err(PublishError::Leak(hits)) => assert!(!hits.is_empty(), "{plan}"),
            other => panic!("{plan:?} refused by the guard: {:?}", other.map(|_| ())),
        }
    }
}

#[test]
fn the_disclosure_preview_is_the_board_it_will_publish_and_is_guarded() {
    use sibai::publish::preview::fund_disclosure;
    let ledger = publish_ledger();
    let root = root_with_guide();
    let settings = SiteSettings::default();
    let files = build_site(&ledger, root.path(), &settings);
    // Any day of the first half previews the first half's board, as published once it ended.
    for on in [date(2026, 1, 1), date(2026, 3, 15), date(2026, 6, 30)] {
        let preview = fund_disclosure(
            &ledger,
            &settings,
            root.path(),
            FundKind::Foundation,
            on,
            today(),
        )
        .unwrap();
        assert_eq!(
            without_style(&preview),
            without_style(&page(&files, "boards/fund-2026-h1-foundation.html")),
            "{on}"
        );
        assert!(preview.contains("<style>") && !preview.contains("assets/board.css"));
        assert!(preview.contains("28,900.00 元"), "the balance held");
    }
    // The second half is not over: previewed as it will be, with July's money received.
    let h2 = fund_disclosure(
        &ledger,
        &settings,
        root.path(),
        FundKind::Foundation,
        date(2026, 7, 1),
        today(),
    )
    .unwrap();
    assert!(h2.contains("2026年下半年") && h2.contains("48,900.00 元"));
    assert!(
        !files.contains_key("boards/fund-2026-h2-foundation.html"),
        "published only once the half-year has ended"
    );
    // A fund with no record that year: said, not an empty board.
    let none = fund_disclosure(
        &ledger,
        &settings,
        root.path(),
        FundKind::Work,
        date(2025, 3, 1),
        today(),
    );
    assert!(
        matches!(none, Err(PublishError::Template(m)) if m.contains("2025年没有居委会工作经费的记录"))
    );
    let preview = |leaky: &Ledger| {
        fund_disclosure(
            leaky,
            &settings,
            root.path(),
            FundKind::Foundation,
            date(2026, 3, 15),
            today(),
        )
    };
    // A resident named in a purpose, however spelled: refused before anything is posted.
    // …or a number or address written as a careless hand writes it: +86, split by a line
    // break, full-width, in Chinese numerals, another spelling of the room.
    for purpose in [
        "钱多多家楼道灯",
        "钱\u{200b}多多家楼道灯",
        "5号楼302室楼道灯",
        "联系 +86 139 1234 5678 楼道灯",
        "联系139\n1234\n5678",
        "联系１３９１２３４５６７８",
        "联系一三九一二三四五六七八",
        "5幢302楼道灯",
        "5-302楼道灯",
        "收据见44052418800101001４",
    ] {
        let mut leaky = ledger.clone();
        org_payment(&mut leaky).purpose = purpose.into();
        let refused = preview(&leaky);
        assert!(matches!(refused, Err(PublishError::Leak(_))), "{purpose}");
    }
    // The payee's name, which a board shows for organisations: a resident put there is caught.
    for payee in ["示例维修部", "钱多多维修部", "维修部（137-1234-5670）"] {
        let mut leaky = ledger.clone();
        org_payment(&mut leaky).payee = sibai::model::Payee::Organisation {
            name: payee.into(),
            id: None,
        };
        let refused = preview(&leaky);
        if payee == "示例维修部" {
            // The control: an organisation's name is on the board, so the others were read.
            assert!(refused.unwrap().contains("示例维修部"));
        } else {
            assert!(matches!(refused, Err(PublishError::Leak(_))), "{payee}");
        }
    }
}

/// Every file under `dir`, by path relative to it.
fn tree(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    crate::fixtures::snapshot(dir)
        .into_iter()
        .map(|(p, bytes)| (p.strip_prefix(dir).unwrap().to_path_buf(), bytes))
        .collect()
}

/// What is read ahead of the ledger (while the key is derived) makes the same publish as reading
/// it then; read for another output folder, it is not used (and that folder is not touched).
#[test]
fn a_publish_read_ahead_writes_what_a_publish_reads_itself() {
    let ledger = publish_ledger();
    let root = two_items();
    let settings = SiteSettings::default();
    let input = input_of(&ledger, root.path(), &settings);
    let (plain, ahead, other) = (
        root.path().join("plain"),
        root.path().join("ahead"),
        root.path().join("other"),
    );
    let report = publish(&input, &plain).unwrap();
    assert!(report.phases.prefetched.is_none());
    let pre = Prefetch::read(root.path(), &settings, &ahead).unwrap();
    let report = publish_prefetched(&input, &ahead, Some(pre)).unwrap();
    assert!(report.phases.prefetched.is_some());
    assert_eq!(tree(&ahead), tree(&plain));
    // Read ahead for `other`, used for `ahead`: read again, and `other` never made.
    std::fs::write(
        root.path().join("content/guide/second.md"),
        guide_with("第二项的正文，已修订。"),
    )
    .unwrap();
    let pre = Prefetch::read(root.path(), &settings, &other).unwrap();
    let report = publish_prefetched(&input, &ahead, Some(pre)).unwrap();
    assert!(report.phases.prefetched.is_none());
    assert_eq!(report.written.written[0], "guide/second.html", "{report:?}");
    assert!(!other.exists());
    publish(&input, &plain).unwrap();
    assert_eq!(tree(&ahead), tree(&plain));
}

/// A guide of `n` short items, `item-0000` onwards, in a committee folder.
fn short_items(n: usize) -> tempfile::TempDir {
    let items: Vec<(String, String)> = (0..n)
        .map(|i| {
            let text = format!(
                "+++\ntitle = \"第{i}项服务\"\ncategory = \"测试\"\naudience = \"居民\"\nplace_and_time = \"居委会\"\nverified = \"2026-11-01\"\n+++\n\n第{i}项的正文：楼道照明。\n"
            );
            (format!("item-{i:04}"), text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = items
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    root_with(&refs)
}

/// What is made ahead of the ledger while the key is derived (the changed guide files parsed,
/// the term shards of the groups that hold guide items only) makes the same publish as making it
/// then, from nothing and after an edit, and is used; shards made from documents other than the
/// run's (the record's titles are not the files') are not used; stopped at once, nothing is made.
#[test]
fn what_is_made_ahead_of_the_ledger_is_what_the_publish_would_make() {
    let ledger = publish_ledger();
    // One group of term shards of guide items only; the next holds the notices and projects.
    let root = short_items(sibai::publish::search::GROUP + 3);
    let settings = SiteSettings::default();
    let input = input_of(&ledger, root.path(), &settings);
    let (plain, ahead) = (root.path().join("plain"), root.path().join("ahead"));
    let never = std::sync::atomic::AtomicBool::new(false);
    let read_ahead = |out: &Path, stop: &std::sync::atomic::AtomicBool| {
        Prefetch::read_ahead(root.path(), &settings, out, stop).unwrap()
    };
    let same = |step: &str| {
        let (a, b) = (tree(&ahead), tree(&plain));
        assert_eq!(a.len(), b.len(), "{step}");
        for (path, bytes) in &b {
            assert!(a[path] == *bytes, "{step}: {}", path.display());
        }
    };

    publish(&input, &plain).unwrap();
    let pre = read_ahead(&ahead, &never);
    assert_eq!(pre.made(), (sibai::publish::search::GROUP + 3, 1));
    let report = publish_prefetched(&input, &ahead, Some(pre)).unwrap();
    assert_eq!(
        report.phases.made_ahead,
        (sibai::publish::search::GROUP + 3, 1)
    );
    same("from nothing");

    // Two items edited, one in each chunk of pages: each is parsed ahead, and the group of
    // the first has its shards made ahead from the record's entries and the other files.
    let item = root.path().join("content/guide/item-0007.md");
    let text = std::fs::read_to_string(&item).unwrap();
    std::fs::write(&item, text.replace("楼道照明", "楼道照明与琴房开放")).unwrap();
    let late = root.path().join("content/guide/item-1001.md");
    let late_text = std::fs::read_to_string(&late).unwrap();
    std::fs::write(&late, late_text.replace("楼道照明", "楼道照明与活动室")).unwrap();
    publish(&input, &plain).unwrap();
    let report = publish_prefetched(&input, &ahead, Some(read_ahead(&ahead, &never))).unwrap();
    assert_eq!(report.phases.made_ahead, (2, 1));
    let pages: Vec<&String> = report
        .written
        .written
        .iter()
        .filter(|p| p.starts_with("guide/"))
        .collect();
    assert_eq!(pages, ["guide/item-0007.html", "guide/item-1001.html"]);
    same("two items edited");

    // The record lists an item under another title than its file's, and its page is gone from
    // the output, so the run reads the file again: the shards made ahead from the record's
    // title are not the run's documents, and are not used.
    let record_path = root.path().join(".ahead.sibai-publish.json");
    let record = std::fs::read_to_string(&record_path).unwrap();
    assert!(record.contains("第5项服务"));
    std::fs::write(&record_path, record.replace("第5项服务", "改过的标题")).unwrap();
    std::fs::remove_file(ahead.join("guide/item-0005.html")).unwrap();
    std::fs::write(&item, text.replace("楼道照明", "楼道照明与活动室")).unwrap();
    publish(&input, &plain).unwrap();
    let pre = read_ahead(&ahead, &never);
    assert_eq!(pre.made(), (1, 1));
    let report = publish_prefetched(&input, &ahead, Some(pre)).unwrap();
    assert_eq!(report.phases.made_ahead, (1, 0));
    same("record not the files");

    // Stopped before it begins: only read.
    std::fs::write(&item, text).unwrap();
    publish(&input, &plain).unwrap();
    let stopped = std::sync::atomic::AtomicBool::new(true);
    let pre = read_ahead(&ahead, &stopped);
    assert_eq!(pre.made(), (0, 0));
    publish_prefetched(&input, &ahead, Some(pre)).unwrap();
    same("stopped at once");
}

/// A publish that redoes only what changed (listing unchanged items from its record, remaking
/// only the search shards whose documents changed) writes exactly what a publish from nothing
/// writes: after a body edited, a title edited so that the item moves in the list, an item
/// added and one removed.
#[test]
fn an_incremental_publish_writes_what_a_publish_from_nothing_writes() {
    let ledger = publish_ledger();
    let items: Vec<(String, String)> = (0..25)
        .map(|i| {
            (
                format!("item-{i:02}"),
                GUIDE_ITEM
                    .replace("老年人综合津贴", &format!("第{i}项服务"))
                    .replace("老人**不用每年重新申请**。", &format!("第{i}项的正文。")),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = items
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let root = root_with(&refs);
    let guide = root.path().join("content/guide");
    let settings = SiteSettings::default();
    let input = input_of(&ledger, root.path(), &settings);
    let out = root.path().join("public");
    publish(&input, &out).unwrap();
    let edit = |name: &str, from: &str, to: &str| {
        let path = guide.join(format!("{name}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{name}: {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    type Change<'a> = Box<dyn Fn() + 'a>;
    let steps: Vec<(&str, Change)> = vec![
        (
            "body edited",
            Box::new(|| edit("item-07", "第7项的正文。", "第7项的正文，琴房开放。")),
        ),
        (
            "title edited, the item moves",
            Box::new(|| edit("item-03", "第3项服务", "最后一项服务")),
        ),
        (
            "an item added",
            Box::new(|| {
                std::fs::write(
                    guide.join("item-99.md"),
                    GUIDE_ITEM.replace("老年人综合津贴", "新增的服务"),
                )
                .unwrap();
            }),
        ),
        (
            "an item removed",
            Box::new(|| std::fs::remove_file(guide.join("item-12.md")).unwrap()),
        ),
    ];
    for (i, (step, change)) in steps.iter().enumerate() {
        change();
        let report = publish(&input, &out).unwrap();
        let fresh = root.path().join(format!("fresh-{i}"));
        publish(&input, &fresh).unwrap();
        let (incremental, from_nothing) = (tree(&out), tree(&fresh));
        assert_eq!(
            incremental.keys().collect::<Vec<_>>(),
            from_nothing.keys().collect::<Vec<_>>(),
            "{step}"
        );
        for (path, bytes) in &from_nothing {
            assert!(incremental[path] == *bytes, "{step}: {}", path.display());
        }
        // What was checked is what was written: a file made again as it was is not read again.
        assert_eq!(
            report.checked,
            report.written.written.len(),
            "{step}: {report:?}"
        );
    }
}
