//! `sibai import` on sheets the tests make themselves, as committees make them: an .xlsx with
//! a merged title over the header, a sheet per building named after its compound, an ID
//! number saved as a number, a birth date as a date cell, a notes sheet with no header; and a
//! CSV saved by Chinese Excel in GBK; a sheet of visits, and the 社区云 export read back. The
//! dry run writes nothing; `--apply` writes the whole import, which reopens from disk.

use crate::fixtures::{PASS, make_vault, open, sample_ledger, sibai, text};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

fn workbook(path: &Path) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = book.add_worksheet();
    ws.set_name("樱园新村3号楼").unwrap();
    ws.merge_range(0, 0, 0, 5, "樱园新村3号楼居民信息表", &Format::new())
        .unwrap();
    for (c, h) in ["姓名", "公民身份号码", "性别", "出生日期", "楼号", "室号"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    // Row 3: in order. Row 4: the ID saved as a number. Row 5: no ID, born on a date cell.
    for (c, v) in ["王芳", "11010519500101008X", "女", "", "3号", "501室"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *v).unwrap();
    }
    ws.write_string(3, 0, "钱多").unwrap();
    ws.write_number(3, 1, 110_105_195_001_010_000.0).unwrap();
    ws.write_string(3, 4, "3").unwrap();
    ws.write_string(3, 5, "601").unwrap();
    ws.write_string(4, 0, "周小").unwrap();
    ws.write_string(4, 2, "男").unwrap();
    ws.write_date_with_format(4, 3, ExcelDateTime::from_ymd(1950, 1, 1).unwrap(), &date)
        .unwrap();
    ws.write_string(4, 4, "3").unwrap();
    ws.write_string(4, 5, "602").unwrap();
    let ws = book.add_worksheet();
    ws.set_name("长青里").unwrap();
    ws.write_string(0, 0, "户主姓名").unwrap();
    ws.write_string(0, 1, "身份证").unwrap();
    ws.write_string(0, 2, "门牌").unwrap();
    ws.write_string(1, 0, "赵强").unwrap();
    ws.write_string(1, 1, "110105197501010018").unwrap();
    ws.write_string(1, 2, "长青里2号101室").unwrap();
    ws.write_string(2, 0, "小计：1户").unwrap();
    let ws = book.add_worksheet();
    ws.set_name("填表说明").unwrap();
    ws.write_string(0, 0, "身份证号请设为文本格式").unwrap();
    book.save(path).unwrap();
}

#[test]
fn a_workbook_is_previewed_row_by_row_then_imported_whole() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("data");
    make_vault(&vault, sample_ledger("甲"));
    let before = open(&vault).unwrap().ledger().clone();
    let sheet = dir.path().join("居民信息.xlsx");
    workbook(&sheet);
    let args = |apply: bool| {
        let mut a = vec![
            "import".to_owned(),
            sheet.display().to_string(),
            vault.display().to_string(),
            "--all".to_owned(),
        ];
        if apply {
            a.push("--apply".to_owned());
        }
        a
    };
    let run = |apply: bool| {
        let a = args(apply);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        sibai(&refs, &[("SIBAI_PASSPHRASE", PASS)])
    };
    let dry = run(false);
    let out = text(&dry);
    assert!(dry.status.success(), "{out}");
    assert!(
        out.contains("“樱园新村3号楼”第 3 行 王芳 樱园新村3号501室：新增"),
        "{out}"
    );
    assert!(out.contains("“樱园新村3号楼”第 4 行 钱多") && out.contains("设为“文本”格式"));
    assert!(out.contains("第 5 行 周小 樱园新村3号602室：新增"));
    assert!(out.contains("“长青里”第 2 行 赵强 长青里2号101室：新增"));
    assert!(out.contains("工作表“填表说明”：没有找到表头"));
    assert!(
        out.contains("新增 3 人") && out.contains("错误 1 行"),
        "{out}"
    );
    assert!(out.contains("没有写入台账"));
    assert_eq!(
        open(&vault).unwrap().ledger(),
        &before,
        "a dry run writes nothing"
    );

    let applied = run(true);
    assert!(applied.status.success(), "{}", text(&applied));
    assert!(text(&applied).contains("已导入并保存"));
    let after = open(&vault).unwrap();
    let book = &after.ledger().households;
    let names: Vec<&str> = book
        .people()
        .map(|(_, p)| p.name.as_str())
        .filter(|n| ["王芳", "钱多", "周小", "赵强"].contains(n))
        .collect();
    assert_eq!(names.len(), 3, "{names:?}: the damaged row is not imported");
    let zhou = book.people().find(|(_, p)| p.name == "周小").unwrap().1;
    assert_eq!(zhou.birth_date, chrono::NaiveDate::from_ymd_opt(1950, 1, 1));
    let changqing = book.compounds.iter().find(|c| c.name == "长青里");
    assert!(changqing.is_some(), "a compound made for the new address");
    // Importing the same file again: nothing new.
    let again = run(false);
    assert!(text(&again).contains("新增 0 人"), "{}", text(&again));
}

#[test]
fn a_gbk_csv_is_read_and_a_wrong_file_is_refused_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("data");
    make_vault(&vault, sample_ledger("甲"));
    let csv = dir.path().join("走访名单.csv");
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "姓名,身份证号,地址,政治面貌\r\n吴用,,翠湖花园17号1002室,党员\r\n陈静,11010519500101008X,翠湖花园17号1002室,群众\r\n",
    );
    std::fs::write(&csv, &gbk).unwrap();
    let out = sibai(
        &[
            "import",
            &csv.display().to_string(),
            &vault.display().to_string(),
            "--apply",
        ],
        &[("SIBAI_PASSPHRASE", PASS)],
    );
    assert!(out.status.success(), "{}", text(&out));
    let after = open(&vault).unwrap();
    let wu = after
        .ledger()
        .households
        .people()
        .find(|(_, p)| p.name == "吴用")
        .map(|(h, p)| (h.room.clone(), p.tags.len()));
    assert_eq!(wu, Some(("1002".to_owned(), 1)));

    let wrong = dir.path().join("台账.docx");
    std::fs::write(&wrong, b"PK").unwrap();
    let out = sibai(
        &[
            "import",
            &wrong.display().to_string(),
            &vault.display().to_string(),
        ],
        &[("SIBAI_PASSPHRASE", PASS)],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("只能导入 Excel 文件"), "{}", text(&out));
}

#[test]
fn the_wizard_previews_lets_a_column_be_remapped_imports_as_one_edit_and_undoes_it() {
    use crate::app::{app, click, type_into, unlock, wait, xlsx_text};
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("甲"));
    let sheet = dir.path().join("居民信息.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("樱园新村").unwrap();
    for (c, h) in ["姓名", "身份证号", "地址", "家庭情况"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, cells) in [
        [
            "王芳",
            "11010519500101008X",
            "樱园新村3号501室",
            "子女在外地",
        ],
        ["赵强", "110105197501010018", "", ""],
        ["吴用", "12345", "樱园新村3号502室", ""],
    ]
    .iter()
    .enumerate()
    {
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    book.save(&sheet).unwrap();

    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    let people_before = crate::app::open_ledger(&h).households.people().count();
    click(&mut h, "居民户", 0);
    click(&mut h, "从 Excel 导入", 0);
    type_into(&mut h, "表格文件", 0, &sheet.display().to_string());
    click(&mut h, "读取", 0);
    let shows = |h: &egui_kittest::Harness<'static, sibai::gui::SibaiApp>, t: &str| {
        h.query_all_by_label_contains(t).next().is_some()
    };
    wait(&mut h, "预览", |h| shows(h, "新增 2 人"));
    assert!(shows(&h, "表头在第 1 行"));
    assert!(shows(&h, "身份证号“12345”"), "the bad row and why");
    // 家庭情况 is not a field of its own: the user makes it the note.
    click(&mut h, "家庭情况 →", 0);
    crate::app::click_button(&mut h, "备注");
    h.key_press(eframe::egui::Key::Escape);
    wait(&mut h, "重新预览", |h| {
        h.query_all_by_label_contains("确认导入").next().is_some() && !shows(h, "正在逐行核对")
    });
    // The preview exported.
    click(&mut h, "导出预览结果", 0);
    let report = dir.path().join("导入预览.xlsx");
    crate::app::retype(&mut h, "导出到", &report.display().to_string());
    click(&mut h, "导出", 0);
    wait(&mut h, "导出", |h| shows(h, "已导出到"));
    assert!(xlsx_text(&report, "sharedStrings").contains("身份证号“12345”"));

    click(&mut h, "确认导入（新增 2 人、更新 0 人）", 0);
    assert!(shows(&h, "已导入：新增 2 人"));
    let ledger = crate::app::open_ledger(&h);
    assert_eq!(ledger.households.people().count(), people_before + 2);
    let wang = ledger
        .households
        .people()
        .find(|(_, p)| p.name == "王芳")
        .unwrap()
        .1;
    assert_eq!(wang.note, "子女在外地", "the column remapped to 备注");
    assert!(
        ledger.committee.import_headings.contains(&(
            "家庭情况".to_owned(),
            Some(sibai::model::import::Field::Note)
        )),
        "the choice is remembered"
    );
    // The next sheet with that heading is read the same way without asking.
    click(&mut h, "从 Excel 导入", 0);
    type_into(&mut h, "表格文件", 0, &sheet.display().to_string());
    click(&mut h, "读取", 0);
    wait(&mut h, "再次读取", |h| shows(h, "表头在第 1 行"));
    let chosen = h
        .query_all_by_label("家庭情况 →")
        .filter_map(|n| egui_kittest::kittest::NodeT::accesskit_node(&n).value())
        .collect::<Vec<_>>();
    assert!(chosen.contains(&"备注".to_owned()), "{chosen:?}");
    click(&mut h, "← 返回居民户", 0);
    // 撤销 takes the whole import back; 重做 puts it again; it reopens from disk.
    click(&mut h, "撤销", 0);
    assert_eq!(
        crate::app::open_ledger(&h).households.people().count(),
        people_before
    );
    click(&mut h, "重做", 0);
    wait(&mut h, "自动保存", |h| {
        !h.state().vault().unwrap().has_unsaved()
    });
    drop(h);
    let reopened = open(dir.path()).unwrap();
    assert!(
        reopened
            .ledger()
            .households
            .people()
            .any(|(_, p)| p.name == "赵强")
    );
}

#[test]
fn visits_are_exported_in_the_fields_of_the_community_cloud_form_and_read_back() {
    use crate::app::{app, click, retype, unlock, wait, xlsx_text};
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let ledger = sample_ledger("甲");
    let visit = ledger.visits[&2026][0].clone();
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    wait(&mut h, "读入全部台账", |h| {
        h.state().vault().unwrap().unloaded().is_empty()
    });
    click(&mut h, "走访", 0);
    wait(&mut h, "走访记录", |h| {
        h.query_all_by_label_contains("导出（社区云走访格式）")
            .next()
            .is_some()
    });
    // Every year's visits.
    click(&mut h, "导出（社区云走访格式）", 0);
    let path = dir.path().join("走访记录.xlsx");
    retype(&mut h, "导出到", &path.display().to_string());
    click(&mut h, "导出", 0);
    wait(&mut h, "导出", |h| {
        h.query_all_by_label_contains("已导出到").next().is_some()
    });
    let strings = xlsx_text(&path, "sharedStrings");
    let mut at = 0;
    for header in sibai::model::visit_export::HEADERS {
        let found = strings[at..]
            .find(&format!(">{header}<"))
            .unwrap_or_else(|| panic!("{header} in order"));
        at += found;
    }
    assert!(strings.contains(&visit.reason), "the visit's 走访事由");
    assert!(
        strings.contains("年") && strings.contains("时"),
        "走访时间 to the minute"
    );
    drop(h);

    // The file read back into a ledger without the visits (走访 → 从 Excel 导入): the same
    // visits, and undone whole.
    let other = tempfile::tempdir().unwrap();
    let mut empty = sample_ledger("甲");
    let originals = empty.visits.remove(&2026).unwrap();
    make_vault(other.path(), empty);
    let mut h = app(other.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    click(&mut h, "走访", 0);
    click(&mut h, "从 Excel 导入", 0);
    crate::app::type_into(&mut h, "表格文件", 0, &path.display().to_string());
    click(&mut h, "读取", 0);
    let shows = |h: &egui_kittest::Harness<'static, sibai::gui::SibaiApp>, t: &str| {
        h.query_all_by_label_contains(t).next().is_some()
    };
    let adds = format!("新增走访 {} 次", originals.len());
    wait(&mut h, "预览", |h| shows(h, &adds));
    click(&mut h, &format!("确认导入（{adds}）"), 0);
    assert!(shows(&h, &format!("已导入：{adds}")));
    let imported = crate::app::open_ledger(&h).visits[&2026].clone();
    assert_eq!(imported, originals, "every field as it was");
    click(&mut h, "撤销", 0);
    assert!(
        crate::app::open_ledger(&h)
            .visits
            .get(&2026)
            .is_none_or(Vec::is_empty)
    );
}

#[test]
fn a_sheet_of_visits_is_imported_as_visits_once() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("data");
    make_vault(&vault, sample_ledger("甲"));
    let before = open(&vault).unwrap().ledger().clone();
    let sheet = dir.path().join("走访台账.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("2026年走访").unwrap();
    ws.merge_range(0, 0, 0, 4, "2026年走访台账", &Format::new())
        .unwrap();
    for (c, h) in ["走访日期", "走访人", "被走访人", "地址", "走访内容"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    // A date cell with its time, as Excel keeps 2026-03-02 14:30.
    let when = ExcelDateTime::from_ymd(2026, 3, 2)
        .unwrap()
        .and_hms(14, 30, 0)
        .unwrap();
    ws.write_datetime_with_format(
        2,
        0,
        &when,
        &Format::new().set_num_format("yyyy-mm-dd hh:mm"),
    )
    .unwrap();
    for (c, v) in ["王书记", "甲", "小区甲1号101室", "春节前慰问"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16 + 1, *v).unwrap();
    }
    // A worker the committee has not.
    ws.write_string(3, 0, "2026-03-03").unwrap();
    ws.write_string(3, 1, "路人丙").unwrap();
    ws.write_string(3, 3, "小区甲1号101室").unwrap();
    book.save(&sheet).unwrap();
    let run = |apply: bool| {
        let mut a = vec![
            "import",
            sheet.to_str().unwrap(),
            vault.to_str().unwrap(),
            "--all",
        ];
        if apply {
            a.push("--apply");
        }
        sibai(&a, &[("SIBAI_PASSPHRASE", PASS)])
    };
    let dry = run(false);
    let out = text(&dry);
    assert!(dry.status.success(), "{out}");
    assert!(out.contains("按走访记录导入"), "{out}");
    assert!(
        out.contains("“2026年走访”第 3 行 甲 小区甲1号101室：新增"),
        "{out}"
    );
    assert!(
        out.contains("第 4 行") && out.contains("走访人“路人丙”不是本居委会的工作人员"),
        "{out}"
    );
    assert!(
        out.contains("新增走访 1 次") && out.contains("错误 1 行"),
        "{out}"
    );
    assert_eq!(
        open(&vault).unwrap().ledger(),
        &before,
        "a dry run writes nothing"
    );

    let applied = run(true);
    assert!(applied.status.success(), "{}", text(&applied));
    let after = open(&vault).unwrap();
    let visits = &after.ledger().visits[&2026];
    assert_eq!(visits.len(), before.visits[&2026].len() + 1);
    let v = visits.iter().find(|v| v.reason == "春节前慰问").unwrap();
    assert_eq!(
        v.at.format("%Y-%m-%d %H:%M").to_string(),
        "2026-03-02 14:30"
    );
    assert_eq!(v.resident_name, "甲");
    assert_eq!(v.id.seq, 2, "numbered after the visit already there");
    // The same sheet again adds nothing.
    let again = text(&run(false));
    assert!(
        again.contains("已在台账中，无需更新") && again.contains("新增走访 0 次"),
        "{again}"
    );
}
