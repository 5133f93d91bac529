//! 首页 → 月度简报: the month's brief exported to .xlsx (a sheet per part, the figures as
//! numbers, a signature line) and the month changed with ◀ ▶. The figures themselves are
//! checked against a hand count in `model::monthly_brief`.

use crate::app::{app, click, retype, unlock, wait, xlsx_text};
use crate::fixtures::{PASS, make_vault, sample_ledger};
use chrono::Datelike;
use egui_kittest::kittest::Queryable;

#[test]
fn the_months_brief_is_exported_with_a_sheet_per_part() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = sample_ledger("甲");
    // Two visits today by 王书记 to the one household, one of them 特殊对象走访.
    let now = chrono::Local::now().naive_local();
    let template = ledger.visits[&2026][0].clone();
    let year = now.year();
    let list = ledger.visits.entry(year).or_default();
    for (seq, special) in [(900, true), (901, false)] {
        let mut v = template.clone();
        v.id = sibai::model::VisitId { year, seq };
        v.at = now.date().and_hms_opt(8, seq % 60, 0).unwrap();
        v.kind = if special {
            sibai::model::VisitKind::Special
        } else {
            sibai::model::VisitKind::General
        };
        list.push(v);
    }
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    let shows = |h: &egui_kittest::Harness<'static, sibai::gui::SibaiApp>, t: &str| {
        h.query_all_by_label_contains(t).next().is_some()
    };
    let exactly = |h: &egui_kittest::Harness<'static, sibai::gui::SibaiApp>, t: &str| {
        h.query_all_by_label(t).next().is_some()
    };
    wait(&mut h, "月度简报", |h| shows(h, "打印简报"));
    // The month under way (early in a month the brief opens on the month before).
    let month = format!("{}年{}月", now.year(), now.month());
    if !exactly(&h, &month) {
        click(&mut h, "▶", 0);
    }
    assert!(exactly(&h, &month), "{month}");
    assert!(!shows(&h, "走访 2 次"), "counted only when asked for");
    click(&mut h, "查看概要", 0);
    assert!(shows(&h, "走访 2 次 1 户"), "the month's visits in words");
    // ◀ goes back a month, where these visits are not.
    click(&mut h, "◀", 0);
    click(&mut h, "查看概要", 0);
    assert!(!exactly(&h, &month) && !shows(&h, "走访 2 次"));
    click(&mut h, "▶", 0);
    assert!(exactly(&h, &month));

    click(&mut h, "导出 Excel", 0);
    let path = dir.path().join("简报.xlsx");
    retype(&mut h, "导出到", &path.display().to_string());
    click(&mut h, "导出", 0);
    wait(&mut h, "导出", |h| shows(h, "已导出到"));
    let book = xlsx_text(&path, "workbook.xml");
    for name in ["走访", "问题清单", "实事项目"] {
        assert!(book.contains(&format!("name=\"{name}\"")), "sheet {name}");
    }
    let strings = xlsx_text(&path, "sharedStrings");
    for text in [
        format!("{month}工作简报：走百家门"),
        "工作人员走访情况".to_owned(),
        "王书记".to_owned(),
        "重点户逾期未走访".to_owned(),
        "按分类".to_owned(),
        "各项目所处阶段".to_owned(),
        "填报人：".to_owned(),
    ] {
        assert!(strings.contains(&text), "{text}");
    }
    // 王书记's line: 2 visits, 1 of them special, 1 household — numbers Excel can add up.
    let sheet = xlsx_text(&path, "sheet1.xml");
    assert!(
        sheet.contains("<v>2</v>") && sheet.contains("<v>1</v>"),
        "counts as numbers"
    );
}
