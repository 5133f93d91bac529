//! Tests of importing visits: the 社区云 layout read back as written, each trap on its row.

use super::super::super::ProblemStatus;
use super::super::super::problem::sample_problem;
use super::super::super::visit::{Need, NeedOutcome, Visit, VisitId, VisitKind};
use super::super::super::visit_export::{HEADERS, row as export_row};
use super::super::super::{ProblemId, Role, Worker, WorkerId};
use super::*;

/// [`ledger`] with workers 王慧敏 (1) and 李建国 (2), and problem 12.
fn office() -> Ledger {
    let mut l = ledger();
    for (id, name) in [(1, "王慧敏"), (2, "李建国")] {
        l.committee.workers.push(Worker {
            id: WorkerId(id),
            name: name.into(),
            roles: vec![Role::SocialWorker],
            phone: None,
            signs_notices: false,
            since: day(2020, 1, 1),
            left_on: None,
        });
    }
    l.problems
        .problems
        .push(sample_problem(12, 3, ProblemStatus::Open, false));
    l
}

fn visit() -> Visit {
    Visit {
        id: VisitId { year: 2026, seq: 1 },
        at: day(2026, 11, 23).and_hms_opt(9, 5, 0).unwrap(),
        worker: WorkerId(1),
        companions: vec![WorkerId(2)],
        household: HouseholdId(1),
        resident_name: "李桂英".into(),
        family_situation: "独居，子女在外地".into(),
        kind: VisitKind::Special,
        reason: "独居老人月度探访".into(),
        needs: vec![
            Need {
                text: "楼道灯不亮".into(),
                outcome: NeedOutcome::Listed(ProblemId(12)),
            },
            Need {
                text: "想办老年卡".into(),
                outcome: NeedOutcome::AnsweredOnSpot("告知所需材料".into()),
            },
        ],
        note: "精神较好".into(),
    }
}

fn visits_sheet(rows: Vec<Vec<Cell>>) -> Sheet {
    let mut all = vec![
        row(&["居民区走访记录"]),
        HEADERS.iter().map(|h| t(h)).collect(),
    ];
    all.extend(rows);
    Sheet {
        name: "走访".into(),
        rows: all,
    }
}

fn plan_of(l: &Ledger, sheet: &Sheet) -> VisitPlan {
    let map = detect_with(sheet, &[], Target::Visits);
    assert!(map.is_some(), "the header of a visits sheet is found");
    plan_visits(
        &VisitBase::of(l),
        std::slice::from_ref(sheet),
        &[map],
        today(),
    )
}

#[test]
fn a_visits_sheet_is_told_from_a_household_sheet() {
    let sheet = visits_sheet(Vec::new());
    let map = detect_with(&sheet, &[], Target::Visits).expect("a visits header");
    assert_eq!(map.header_row, 1, "under its title");
    assert_eq!(map.columns[0], Some(Field::VisitTime));
    assert_eq!(map.columns[3], Some(Field::Address));
    assert_eq!(map.columns[6], Some(Field::Needs));
    // It names no 姓名 or 身份证号: not read as households.
    assert_eq!(detect_with(&sheet, &[], Target::Households), None);
}

#[test]
fn a_visit_exported_in_the_community_cloud_layout_reads_back_the_same() {
    let mut l = office();
    let v = visit();
    let cells: Vec<Cell> = export_row(&l, &v).iter().map(|c| t(c)).collect();
    let sheet = visits_sheet(vec![cells]);
    let plan = plan_of(&l, &sheet);
    assert_eq!(plan.rows.len(), 1);
    let r = &plan.rows[0];
    assert_eq!(r.verdict, Verdict::Add, "{:?}", r.verdict);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!((r.row, r.name.as_str()), (3, "李桂英"));
    assert_eq!(r.address, "樱园新村3号502室");
    assert_eq!(plan.counts(), [1, 0, 0, 0, 0]);
    // Applied, it is the visit that was exported.
    let undo = plan.edit().apply(&mut l);
    assert_eq!(l.visits[&2026], vec![v]);
    // The same sheet again adds nothing: the visit is in the ledger.
    let again = plan_of(&l, &sheet);
    assert_eq!(again.rows[0].verdict, Verdict::Unchanged);
    assert!(again.is_empty());
    assert!(plan.summary().starts_with("共 1 行：新增走访 1 次"));
    // Undone, it is gone whole.
    undo.apply(&mut l);
    assert!(l.visits.get(&2026).is_none_or(Vec::is_empty));
}

/// A ledger with one visit, a sheet with a trap on each row, and the plan of its import.
fn traps() -> (Ledger, VisitPlan) {
    let mut l = office();
    // One visit already logged in 2026: new ones are numbered after it.
    l.visits.insert(2026, vec![visit()]);
    let n = |v: f64| Cell::Number(v);
    let sheet = visits_sheet(vec![
        // 3: the time as text in Chinese, a worker and a companion by comma.
        row(&[
            "2026年3月2日 14时30分",
            "李建国，王慧敏",
            "李桂英",
            "樱园新村3号502室",
            "",
            "节前慰问",
        ]),
        // 4: an Excel serial number with its time (2026-03-02 14:30 = 46083.6041…).
        vec![
            n(46083.0 + 14.5 / 24.0),
            t("王慧敏"),
            t("李桂英"),
            t("樱园新村3-502"),
        ],
        // 5: a date cell with a time, and a type in words it cannot read.
        vec![
            Cell::DateTime(day(2026, 4, 1).and_hms_opt(10, 0, 0).unwrap()),
            t("王慧敏"),
            t("张三"),
            t("樱园新村 3号 502"),
        ],
        // 6: a date alone; needs without what became of them.
        row(&[
            "2026/5/6",
            "王慧敏",
            "",
            "樱园新村3号502室",
            "",
            "",
            "想装扶手；门口有积水",
            "业务条线（民政）；补贴核对",
        ]),
        // 7: the same visit as row 3.
        row(&["2026-03-02 14:30", "李建国", "", "樱园新村3号502室"]),
        // 8: the visit already in the ledger.
        row(&["2026-11-23 09:05", "王慧敏", "李桂英", "樱园新村3号502室"]),
        // 9: errors: after today, a stranger, a household the ledger has not.
        row(&["2026-12-25 09:00", "赵六", "", "樱园新村9号101室"]),
        // 10: no time; an address it cannot split.
        row(&["", "王慧敏", "", "樱园新村"]),
        // 11: a time it cannot read.
        row(&["上周三", "王慧敏", "", "樱园新村3号502室"]),
        // 12: a subtotal line is passed over.
        row(&["合计", "", "", ""]),
    ]);
    let mut map = detect_with(&sheet, &[], Target::Visits).unwrap();
    // The committee's sheet has no 走访类型 column: the 备注 column is the note (and the type
    // at its head, as the export writes it).
    map.columns.resize(8, None);
    let plan = plan_visits(
        &VisitBase::of(&l),
        std::slice::from_ref(&sheet),
        &[Some(map)],
        today(),
    );
    (l, plan)
}

#[test]
fn each_trap_of_a_visits_sheet_gets_its_verdict() {
    let (_, plan) = traps();
    let by_row = |n: usize| plan.rows.iter().find(|r| r.row == n).unwrap();
    assert_eq!(plan.rows.len(), 9, "the subtotal is not a row");
    for r in [3, 4, 5, 6] {
        assert_eq!(
            by_row(r).verdict,
            Verdict::Add,
            "row {r}: {:?}",
            by_row(r).verdict
        );
    }
    assert!(by_row(5).warnings.iter().any(|w| w.contains("没有“张三”")));
    assert!(
        by_row(6)
            .warnings
            .iter()
            .any(|w| w.contains("没有注明处理情况"))
    );
    assert_eq!(
        by_row(7).verdict,
        Verdict::Duplicate("与“走访”第 3 行是同一次走访（时间、走访人、户都相同）".into())
    );
    assert_eq!(by_row(8).verdict, Verdict::Unchanged);
    let Verdict::Error(e9) = &by_row(9).verdict else {
        panic!("row 9 is refused")
    };
    assert_eq!(e9.len(), 3, "{e9:?}");
    assert!(e9[0].contains("在今天之后"));
    assert!(e9[1].contains("“赵六”不是本居委会的工作人员"));
    assert!(e9[2].contains("台账中没有 樱园新村9号101室"));
    let Verdict::Error(e10) = &by_row(10).verdict else {
        panic!("row 10 is refused")
    };
    assert!(e10[0].contains("没有走访时间"), "{e10:?}");
    assert!(e10[1].contains("分不出楼号和室号"), "{e10:?}");
    let Verdict::Error(e11) = &by_row(11).verdict else {
        panic!("row 11 is refused")
    };
    assert!(e11[0].contains("“上周三”看不懂"), "{e11:?}");
    assert_eq!(plan.counts(), [4, 0, 1, 1, 3]);
}

#[test]
fn what_a_visits_sheet_says_is_written_as_it_says_it() {
    let (mut l, plan) = traps();
    let undo = plan.edit().apply(&mut l);
    let added: Vec<&Visit> = l.visits[&2026].iter().skip(1).collect();
    assert_eq!(
        added.iter().map(|v| v.id.seq).collect::<Vec<_>>(),
        [2, 3, 4, 5],
        "numbered after the visit already there"
    );
    let at = |v: &Visit| v.at.format("%Y-%m-%d %H:%M").to_string();
    assert_eq!(at(added[0]), "2026-03-02 14:30");
    assert_eq!(
        (added[0].worker, added[0].companions.clone()),
        (WorkerId(2), vec![WorkerId(1)])
    );
    assert_eq!(added[0].reason, "节前慰问");
    assert_eq!(
        at(added[1]),
        "2026-03-02 14:30",
        "the serial number's time, to the minute"
    );
    assert_eq!(added[1].worker, WorkerId(1));
    assert_eq!(at(added[2]), "2026-04-01 10:00");
    assert_eq!(at(added[3]), "2026-05-06 00:00", "a date alone");
    assert_eq!(added[3].kind, VisitKind::LineOfWork("民政".into()));
    assert!(added[3].needs.is_empty());
    assert_eq!(
        added[3].note,
        "补贴核对；困难或诉求（导入时未注明处理情况）：想装扶手；门口有积水"
    );
    undo.apply(&mut l);
    assert_eq!(l.visits[&2026], vec![visit()], "undone whole");
}

#[test]
fn visit_times_are_read_however_they_are_written() {
    use super::super::cells::datetime_of;
    let at = |c: Cell| {
        datetime_of(&c)
            .ok()
            .flatten()
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
    };
    for (text, want) in [
        ("2026-11-23 9:05", "2026-11-23 09:05"),
        ("2026/11/23 09:05:00", "2026-11-23 09:05"),
        ("2026年11月23日 9时05分", "2026-11-23 09:05"),
        ("2026年11月23日9点", "2026-11-23 09:00"),
        ("2026.11.23 下午3:30", "2026-11-23 15:30"),
        ("2026-11-23T14:30", "2026-11-23 14:30"),
        ("２０２６－１１－２３　１４：３０", "2026-11-23 14:30"),
        ("2026-11-23", "2026-11-23 00:00"),
    ] {
        assert_eq!(at(t(text)).as_deref(), Some(want), "{text}");
    }
    assert_eq!(
        at(Cell::Number(46349.5)).as_deref(),
        Some("2026-11-23 12:00")
    );
    // 23:59:59.9 rounds to the next day's 00:00, not 24:00.
    assert_eq!(
        at(Cell::Number(46349.0 + 86_399.9 / 86_400.0)).as_deref(),
        Some("2026-11-24 00:00")
    );
    assert!(datetime_of(&t("2026-13-01 9:00")).is_err());
    assert!(datetime_of(&t("2026-11-23 25:00")).is_err());
}
