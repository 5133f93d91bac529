//! Tests of the import: each trap on its own row, verdicts, undo.

use super::cells::date_of;
use super::*;
use crate::model::Ledger;
use crate::model::phone::Phone;
use crate::model::{IdNumber, Sex, TagDimension};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 11, 30)
}

fn t(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

fn row(cells: &[&str]) -> Vec<Cell> {
    cells.iter().map(|s| t(s)).collect()
}

/// A ledger with 樱园新村 3号, household 3号502 of 李桂英 (ID …002X, no phone).
fn ledger() -> Ledger {
    let person = Person {
        relation: "户主".into(),
        sex: Some(Sex::Female),
        id_number: IdNumber::parse("11010519491231002X").ok(),
        ..Person::new(PersonId(1), "李桂英")
    };
    Ledger {
        households: HouseholdBook {
            compounds: vec![Compound {
                id: CompoundId(1),
                name: "樱园新村".into(),
                address: String::new(),
            }],
            buildings: vec![Building {
                id: BuildingId(1),
                compound: CompoundId(1),
                number: "3号".into(),
                floors: 6,
                rooms_per_floor: 2,
            }],
            households: vec![Household {
                id: HouseholdId(1),
                building: BuildingId(1),
                room: "502".into(),
                house_type: String::new(),
                phone: None,
                has_vehicle: false,
                separated: false,
                members: vec![person],
                events: Vec::new(),
                moved_out: None,
                note: String::new(),
            }],
        },
        ..Ledger::default()
    }
}

#[test]
fn headers_are_found_under_a_title_and_matched_by_their_variants() {
    let sheet = Sheet {
        name: "Sheet1".into(),
        rows: vec![
            row(&["樱园新村居民信息表（2026年）"]),
            row(&["", "", "家庭成员"]),
            row(&[
                "序号",
                "户主姓名",
                "公民身份号码",
                "性 别",
                "门牌",
                "联系电话*",
                "政治面貌",
            ]),
        ],
    };
    let map = detect(&sheet).expect("a header");
    assert_eq!(map.header_row, 2);
    assert_eq!(
        map.columns,
        [
            None,
            Some(Field::Name),
            Some(Field::IdNumber),
            Some(Field::Sex),
            Some(Field::Address),
            Some(Field::Phone),
            Some(Field::Political),
        ]
    );
    assert!(
        detect(&Sheet {
            name: "说明".into(),
            rows: vec![row(&["本表由居委会填写"])],
        })
        .is_none()
    );
}

#[test]
fn a_heading_mapped_by_hand_is_remembered_for_next_time() {
    let sheet = Sheet {
        name: "Sheet1".into(),
        rows: vec![row(&["姓名", "身份证号", "家庭情况", "关系"])],
    };
    let mut map = detect(&sheet).expect("a header");
    assert_eq!(map.columns[2], None);
    assert_eq!(map.columns[3], Some(Field::Relation));
    // The user makes 家庭情况 the note and leaves 关系 out.
    map.columns[2] = Some(Field::Note);
    map.columns[3] = None;
    let kept = remember(
        &[],
        std::slice::from_ref(&sheet),
        &[Some(map.clone())],
        Target::Households,
    );
    assert_eq!(
        kept,
        [
            ("家庭情况".to_owned(), Some(Field::Note)),
            ("关系".to_owned(), None)
        ]
    );
    assert_eq!(detect_with(&sheet, &kept, Target::Households), Some(map));
    // Remembering the same choices again adds nothing.
    let again = remember(
        &kept,
        std::slice::from_ref(&sheet),
        &[detect_with(&sheet, &kept, Target::Households)],
        Target::Households,
    );
    assert_eq!(again, kept);
}

#[test]
fn an_address_in_one_cell_is_split_however_it_is_written() {
    let split = |s: &str| split_address(s).map(|(c, b, r)| format!("{c}|{b}|{r}"));
    for (text, want) in [
        ("樱园新村3号502室", "樱园新村|3号|502"),
        ("樱园新村3号楼502", "樱园新村|3号|502"),
        ("樱园新村 3-502", "樱园新村|3号|502"),
        ("樱园新村３号５０２室", "樱园新村|3号|502"),
        ("长青里12幢1001室", "长青里|12号|1001"),
        ("3号502室", "|3号|502"),
        ("翠湖花园 17号 1002A", "翠湖花园|17号|1002A"),
    ] {
        assert_eq!(split(text).as_deref(), Some(want), "{text}");
    }
    assert_eq!(split("樱园新村"), None);
    assert_eq!(split("502室"), None);
}

/// The sheet the import tests share: every trap on its own row.
#[expect(
    clippy::too_many_lines,
    reason = "one row per trap, each with its comment: a table read top to bottom"
)]
fn sheet() -> Sheet {
    let mut rows = vec![row(&[
        "姓名",
        "身份证号",
        "性别",
        "年龄",
        "出生日期",
        "地址",
        "联系电话",
        "政治面貌",
        "是否独居",
    ])];
    let mut push = |cells: Vec<Cell>| rows.push(cells);
    // 2: a new household, full-width digits and a lower-case x.
    push(row(&[
        "王 芳",
        "１１０１０５１９５００１０１００８x",
        "女",
        "76",
        "",
        "樱园新村3号501室",
        "13912345678",
        "党员",
        "是",
    ]));
    // 3: a member under her, the address left blank; sex and age written wrongly.
    push(row(&[
        "赵强",
        "110105197501010018",
        "女",
        "30",
        "",
        "",
        "",
        "群众",
        "",
    ]));
    // 4: the ID saved as a number: damaged.
    let mut damaged = row(&["钱多", "", "", "", "", "樱园新村3号601室", "", "", ""]);
    damaged[1] = Cell::Number(110_105_195_001_010_000.0);
    push(damaged);
    // 5: the same in scientific notation, as CSV keeps it.
    push(row(&[
        "孙少",
        "1.10105E+17",
        "",
        "",
        "",
        "樱园新村3号602室",
        "",
        "",
        "",
    ]));
    // 6: no ID; birth as an Excel serial number.
    let mut serial = row(&["周小", "", "男", "", "", "樱园新村4号101室", "", "", ""]);
    serial[4] = Cell::Number(18_264.0); // 1950-01-01
    push(serial);
    // 7: the person already in the ledger, with a phone the ledger lacks.
    push(row(&[
        "李桂英",
        "11010519491231002X",
        "",
        "",
        "",
        "樱园新村3号502室",
        "13800138000",
        "",
        "",
    ]));
    // 8: row 2's person again.
    push(row(&[
        "王芳",
        "11010519500101008X",
        "",
        "",
        "",
        "樱园新村3号501室",
        "",
        "",
        "",
    ]));
    // 9: a subtotal, and 10: a blank row.
    push(row(&["合计：3户"]));
    push(row(&[]));
    // 11: the ledger's person, written at another address.
    push(row(&[
        "李桂英",
        "11010519491231002X",
        "",
        "",
        "",
        "樱园新村5号101室",
        "",
        "",
        "",
    ]));
    // 12: a phone that is not one.
    push(row(&[
        "吴用",
        "",
        "",
        "",
        "",
        "樱园新村3号503室",
        "12345",
        "",
        "",
    ]));
    Sheet {
        name: "Sheet1".into(),
        rows,
    }
}

fn verdict(p: &ImportPlan, row: usize) -> &RowReport {
    p.rows.iter().find(|r| r.row == row).expect("the row")
}

#[test]
fn every_row_gets_its_verdict_and_bad_rows_are_refused_whole() {
    let ledger = ledger();
    let p = plan(&ledger.households, &[sheet()], "王书记", today());
    assert_eq!(
        p.rows.len(),
        9,
        "the subtotal and the blank row are skipped"
    );
    let r2 = verdict(&p, 2);
    assert_eq!((r2.name.as_str(), &r2.verdict), ("王芳", &Verdict::Add));
    assert_eq!(r2.address, "樱园新村3号501室");
    let r3 = verdict(&p, 3);
    assert_eq!(r3.verdict, Verdict::Add);
    assert_eq!(r3.address, "樱园新村3号501室", "carried down");
    assert!(r3.warnings.iter().any(|w| w.contains("以身份证号为准")));
    assert!(r3.warnings.iter().any(|w| w.contains("年龄写的是 30 岁")));
    for n in [4, 5] {
        match &verdict(&p, n).verdict {
            Verdict::Error(e) => assert!(e[0].contains("设为“文本”格式"), "{e:?}"),
            other => panic!("row {n}: {other:?}"),
        }
    }
    assert_eq!(verdict(&p, 6).verdict, Verdict::Add);
    assert_eq!(
        verdict(&p, 7).verdict,
        Verdict::Update(vec!["联系电话".into()])
    );
    assert!(matches!(&verdict(&p, 8).verdict, Verdict::Duplicate(d) if d.contains("第 2 行")));
    assert!(matches!(&verdict(&p, 11).verdict, Verdict::Duplicate(d) if d.contains("第 7 行")));
    // Alone, the same row is a duplicate of the ledger's person, said with her address.
    let mut alone = sheet();
    alone.rows.truncate(1);
    alone.rows.push(sheet().rows[10].clone());
    let q = plan(&ledger.households, &[alone], "王书记", today());
    assert!(
        matches!(&q.rows[0].verdict, Verdict::Duplicate(d) if d.contains("樱园新村 3号 502室（李桂英）")),
        "{:?}",
        q.rows[0].verdict
    );
    assert!(q.is_empty(), "nothing to write for a duplicate");
    assert!(matches!(&verdict(&p, 12).verdict, Verdict::Error(e) if e[0].contains("联系电话")));
    assert_eq!(p.counts(), [3, 1, 0, 2, 3]);
}

#[test]
fn the_import_is_one_edit_that_adds_and_undoes_whole() {
    let mut ledger = ledger();
    let before = ledger.clone();
    let p = plan(&ledger.households, &[sheet()], "王书记", today());
    assert!(p.is_current(&ledger.households));
    let undo = p.edit(&ledger.households).apply(&mut ledger);
    let book = &ledger.households;
    // 樱园新村 3号501 (new, two people), 4号101 (new building), and 3号502 updated.
    assert_eq!(book.households.len(), 3);
    assert_eq!(book.buildings.len(), 2);
    let new = book
        .households
        .iter()
        .find(|h| h.room == "501")
        .expect("3号501");
    assert_eq!(new.members.len(), 2);
    assert_eq!(new.members[0].relation, "户主");
    assert!(new.members[0].has_tag(TagDimension::Political, "中共党员"));
    assert!(new.members[0].has_tag(TagDimension::ResidentType, "独居老人"));
    assert_eq!(
        new.members[1].sex,
        Some(Sex::Male),
        "from the ID, not the sheet"
    );
    let serial = book
        .households
        .iter()
        .find(|h| h.room == "101")
        .expect("4号101");
    assert_eq!(serial.members[0].birth_date, Some(day(1950, 1, 1)));
    let li = &book.household(HouseholdId(1)).unwrap().members[0];
    assert_eq!(li.phone.as_ref().map(Phone::as_str), Some("13800138000"));
    // The plan was for the ledger before it: not applied twice.
    assert!(!p.is_current(&ledger.households));
    // Importing again changes nothing.
    let again = plan(&ledger.households, &[sheet()], "王书记", today());
    assert!(again.is_empty(), "{}", again.summary());
    undo.apply(&mut ledger);
    assert_eq!(ledger, before);
}

#[test]
fn dates_are_read_however_they_are_written() {
    for (cell, want) in [
        (Cell::Number(18_264.0), day(1950, 1, 1)),
        (Cell::Number(19_500_302.0), day(1950, 3, 2)),
        (t("1950/3/2"), day(1950, 3, 2)),
        (t("1950.03.02"), day(1950, 3, 2)),
        (t("1950年3月2日"), day(1950, 3, 2)),
        (t("１９５０-０３-０２"), day(1950, 3, 2)),
        (Cell::Date(day(1950, 3, 2)), day(1950, 3, 2)),
    ] {
        assert_eq!(date_of(&cell), Ok(Some(want)), "{cell:?}");
    }
    assert!(date_of(&t("三月二日")).is_err());
}

#[test]
fn a_compound_comes_from_its_column_or_the_sheet_name_or_is_asked_for() {
    let rows = vec![row(&["姓名", "楼号", "室号"]), row(&["张三", "3", "502室"])];
    let named = Sheet {
        name: "樱园新村3号楼".into(),
        rows: rows.clone(),
    };
    let p = plan(&ledger().households, &[named], "甲", today());
    assert_eq!(p.rows[0].address, "樱园新村3号502室");
    let unnamed = Sheet {
        name: "Sheet1".into(),
        rows,
    };
    let p = plan(&ledger().households, &[unnamed], "甲", today());
    assert!(
        matches!(&p.rows[0].verdict, Verdict::Error(e) if e[0].contains("没有小区名")),
        "{:?}",
        p.rows[0].verdict
    );
}

mod visit_rows;
