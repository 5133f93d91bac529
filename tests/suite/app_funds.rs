//! 经费 driven headless with egui_kittest: a payment checked as it is typed (every rule said
//! next to its field and gone once fixed, set aside only with a written reason), 先支后补
//! flagged until filed, a plan and money received making a real balance, 首页's money to-dos;
//! a dozen payments of each fund adding up to a hand count, the quarterly report exported to
//! .xlsx and read back with the same totals, the overview's figures, undo and the vault
//! reopened.

use crate::app::{
    app, click, click_button, open_ledger, retype, type_into, unlock, wait, xlsx_text,
};
use crate::app_problems::{radio, ready, shows, today};
use crate::fixtures::{PASS, make_vault, sample_ledger};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sibai::gui::SibaiApp;

type App = Harness<'static, SibaiApp>;

#[test]
fn a_payment_is_checked_as_it_is_typed_and_a_rule_is_set_aside_only_with_a_reason() {
    use sibai::model::{Fen, FundRule, PaymentId};
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = sample_ledger("甲");
    // The sample's 2026 plan of 党组织服务群众专项经费 has no items: everything is unplanned.
    ledger.funds.get_mut(&2026).unwrap().plans[0].items = sibai::model::FundKind::PartyService
        .categories()
        .iter()
        .map(|c| sibai::model::PlanItem {
            category: *c,
            description: String::new(),
            amount: Fen::yuan(10_000),
        })
        .collect();
    // A director to sign beside the secretary.
    let mut director = ledger.committee.workers[0].clone();
    director.id = sibai::model::WorkerId(2);
    director.name = "李主任".into();
    director.roles = vec![sibai::model::Role::Director];
    ledger.committee.workers.push(director);
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    click(&mut h, "经费", 0);
    click(&mut h, "登记支出", 0);
    retype(&mut h, "支出日期", "2026-03-10");
    radio(&mut h, "党组织服务群众专项经费");
    click(&mut h, "类别", 0);
    click_button(&mut h, "关爱帮扶类");
    type_into(&mut h, "金额（元）", 0, "800");
    type_into(&mut h, "收款方", 0, "示例超市");
    type_into(&mut h, "用途", 0, "独居老人节日慰问品");
    h.step();
    // Above 500 yuan: the street's review is missing, and no voucher: said as typed.
    assert!(shows(&h, "超过 500 元须报街道审核"));
    assert!(shows(&h, "缺少票据号"));
    type_into(&mut h, "票据号", 0, "FP-0310");
    h.step();
    assert!(!shows(&h, "缺少票据号"), "cleared when fixed");
    click(&mut h, "保存支出", 0);
    assert!(shows(&h, "请在“审批不全”旁写明理由"));
    assert!(
        open_ledger(&h).funds[&2026].payments.len() == 1,
        "nothing saved"
    );
    type_into(&mut h, "审批不全的理由", 0, "街道审批单已签，尚未编号");
    click(&mut h, "保存支出", 0);
    wait(&mut h, "保存支出", |h| shows(h, "已保存支出"));
    let saved = open_ledger(&h).funds[&2026]
        .payments
        .iter()
        .find(|p| p.voucher == "FP-0310")
        .cloned()
        .expect("the payment");
    assert_eq!(saved.amount, Fen::yuan(800));
    assert_eq!(saved.overrides.len(), 1);
    assert_eq!(saved.overrides[0].rule, FundRule::MissingApproval);
    assert_eq!(saved.overrides[0].reason, "街道审批单已签，尚未编号");
    assert_eq!(saved.id, PaymentId { year: 2026, seq: 2 });

    // 先支后补: allowed, flagged until its approval is filed.
    click(&mut h, "登记支出", 0);
    retype(&mut h, "支出日期", "2026-03-12");
    radio(&mut h, "党组织服务群众专项经费");
    click(&mut h, "类别", 0);
    click_button(&mut h, "其他服务事项");
    type_into(&mut h, "金额（元）", 0, "200");
    type_into(&mut h, "收款方", 0, "示例水电维修部");
    type_into(&mut h, "用途", 0, "独居老人家中水管爆裂应急抢修");
    type_into(&mut h, "票据号", 0, "FP-0312");
    click(&mut h, "先支后补（紧急情况先支付，事后补办审批）", 0);
    h.step();
    assert!(shows(&h, "先支后补，尚未补办审批手续"));
    click(&mut h, "保存支出", 0);
    wait(&mut h, "保存先支后补", |h| shows(h, "已保存支出"));
    click(&mut h, "先支后补未补办", 0);
    assert!(shows(&h, "共 1 笔"));
    click(&mut h, "独居老人家中水管爆裂应急抢修", 0);
    type_into(&mut h, "补办日期", 0, "2026-03-13");
    type_into(&mut h, "书记签批", 0, "2026-03-13");
    type_into(&mut h, "主任签批", 0, "2026-03-13");
    click(&mut h, "保存支出", 0);
    wait(&mut h, "补办", |h| shows(h, "共 0 笔"));
    let filed = open_ledger(&h).funds[&2026]
        .payments
        .iter()
        .find(|p| p.voucher == "FP-0312")
        .cloned()
        .unwrap();
    assert!(sibai::model::payment_issues(&filed).is_empty());
    // Undo the filing: flagged again.
    click(&mut h, "撤销", 0);
    assert!(shows(&h, "共 1 笔"));
    click(&mut h, "重做", 0);
    wait(&mut h, "自动保存", |h| {
        !h.state().vault().unwrap().has_unsaved()
    });
    drop(h);
    let reopened = crate::fixtures::open(dir.path()).unwrap();
    let payments = &reopened.ledger().funds[&2026].payments;
    assert!(payments.contains(&saved) && payments.contains(&filed));
}

#[test]
fn a_plan_and_money_received_make_a_real_balance() {
    use sibai::model::{Fen, FundKind};
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("甲"));
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    click(&mut h, "经费", 0);
    click(&mut h, "年度", 0);
    click_button(&mut h, "2026年");
    click(&mut h, "年度计划与拨款", 0);
    click(&mut h, "编辑工作经费计划", 0);
    type_into(&mut h, "预算（元）", 0, "100000");
    type_into(&mut h, "上年结转（元）", 0, "3,250.50");
    type_into(&mut h, "主要用途", 0, "办公、社区服务和居民自治");
    click(&mut h, "保存计划", 0);
    click(&mut h, "登记工作经费拨款", 0);
    type_into(&mut h, "拨款金额（元）", 0, "50000");
    click(&mut h, "保存拨款", 0);
    assert!(shows(&h, "请填写拨款文号"), "a reference is required");
    retype(&mut h, "拨款到账日期", "2026-01-15");
    type_into(&mut h, "拨款文号", 0, "街财拨〔2026〕3号");
    click(&mut h, "保存拨款", 0);
    let fy = open_ledger(&h).funds[&2026].clone();
    let b = sibai::model::fund_rules::balance(&fy, FundKind::Work);
    assert_eq!(b.budget, Fen::yuan(100_000));
    assert_eq!(b.carried, Fen(325_050));
    assert_eq!(b.received, Fen::yuan(50_000));
    // Nothing spent from this fund in the sample: 3,250.50 + 50,000.00 held.
    assert_eq!(b.balance(), Fen(5_325_050));
    assert!(shows(&h, "53,250.50 元"));
    // Undo the income: the balance is the carried amount again.
    click(&mut h, "撤销", 0);
    assert!(
        open_ledger(&h).funds[&2026]
            .income
            .iter()
            .all(|i| i.fund != FundKind::Work)
    );
    assert!(shows(&h, "3,250.50 元"));
    // Undo the plan too: the sample has no plan for 居委会工作经费.
    click(&mut h, "撤销", 0);
    assert!(open_ledger(&h).funds[&2026].plan(FundKind::Work).is_none());
    click(&mut h, "重做", 0);
    assert_eq!(
        open_ledger(&h).funds[&2026]
            .plan(FundKind::Work)
            .map(|p| p.budget),
        Some(Fen::yuan(100_000))
    );
}

#[test]
fn home_says_what_needs_doing_with_money_and_opens_it() {
    use chrono::Datelike;
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = sample_ledger("甲");
    // This year's funds: one 先支后补 payment not yet filed.
    let mut year = ledger.funds.remove(&2026).unwrap();
    let this_year = today().year();
    for p in &mut year.payments {
        p.id.year = this_year;
        p.on = today();
        p.paid_first = true;
        p.filed_on = None;
    }
    ledger.funds.insert(this_year, year);
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    assert!(shows(&h, "下次经费公开"));
    click(&mut h, "先支后补未补办：1 笔", 0);
    assert!(shows(&h, "共 1 笔"));
    assert!(
        crate::app::ticked(&h, "先支后补未补办", 0),
        "the filter is on"
    );
}

#[test]
fn a_payment_being_filled_in_is_not_replaced_by_a_click_in_the_list() {
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("甲"));
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    click(&mut h, "经费", 0);
    click(&mut h, "年度", 0);
    click_button(&mut h, "2026年");
    click(&mut h, "登记支出", 0);
    type_into(&mut h, "金额（元）", 0, "123");
    // The sample's payment, in the list below the form.
    let purpose = open_ledger(&h).funds[&2026].payments[0].purpose.clone();
    h.query_all_by_label(&purpose).last().unwrap().click();
    h.step();
    h.step();
    assert!(shows(&h, "请先保存或取消正在填写的支出"));
    assert!(
        shows(&h, "登记支出"),
        "the new payment's form is still open"
    );
    assert!(
        h.query_all_by_label("金额（元）")
            .next()
            .and_then(|n| egui_kittest::kittest::NodeT::accesskit_node(&n).value())
            .is_some_and(|v| v == "123"),
        "what was typed is still there"
    );
}

/// The year the flow below keeps: every fund planned at 100,000 yuan (居委会工作经费 without
/// 居民自治, so that it is outside the plan), 3,000 carried and 60,000 received for 居委会工作经费,
/// the sample's 2,000 carried and 50,000 received for 党组织 (with its 300-yuan payment in
/// February), 40,000 received for the foundation in July; and a director to sign.
fn planned_year() -> sibai::model::Ledger {
    use sibai::model::{Fen, FundCategory, FundKind, FundPlan, Income, PlanItem};
    let mut ledger = sample_ledger("甲");
    let fy = ledger.funds.get_mut(&2026).unwrap();
    fy.plans = FundKind::ALL
        .into_iter()
        .map(|fund| FundPlan {
            fund,
            budget: Fen::yuan(100_000),
            main_uses: "年度计划".into(),
            key_projects: Vec::new(),
            items: fund
                .categories()
                .iter()
                .filter(|c| **c != FundCategory::SelfGovernment)
                .map(|c| PlanItem {
                    category: *c,
                    description: String::new(),
                    amount: Fen::yuan(10_000),
                })
                .collect(),
            carried_over: match fund {
                FundKind::Work => Fen::yuan(3_000),
                FundKind::PartyService => Fen::yuan(2_000),
                FundKind::Foundation => Fen(0),
            },
        })
        .collect();
    let income = |fund, m, d, yuan: i64| Income {
        fund,
        on: chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap(),
        amount: Fen::yuan(yuan),
        reference: format!("街财拨{m}{d}"),
        note: String::new(),
    };
    fy.income.push(income(FundKind::Work, 1, 15, 60_000));
    fy.income.push(income(FundKind::Foundation, 7, 2, 40_000));
    let mut director = ledger.committee.workers[0].clone();
    director.id = sibai::model::WorkerId(2);
    director.name = "李主任".into();
    director.roles = vec![sibai::model::Role::Director];
    ledger.committee.workers.push(director);
    ledger
}

/// Clicks what is labelled `label` (first of them) where it is, without scrolling to it.
fn tap(h: &mut App, label: &str) {
    h.query_all_by_label(label)
        .next()
        .unwrap_or_else(|| panic!("nothing labelled {label}"))
        .click();
    h.step();
    h.step();
}

/// Picks `option` in the dropdown labelled `combo`, opening it unless it is open already.
fn pick(h: &mut App, combo: &str, option: &str) {
    use egui_kittest::kittest::By;
    let open = h
        .query_all(By::new().label(option).role(egui::accesskit::Role::Button))
        .next()
        .is_some();
    if !open {
        click(h, combo, 0);
    }
    click_button(h, option);
    // A choice made through accessibility leaves the dropdown open (a mouse click closes it):
    // close it, as the next click elsewhere would.
    let by = || By::new().label(option).role(egui::accesskit::Role::Button);
    if h.query_all(by()).next().is_some() {
        h.key_press(egui::Key::Escape);
        h.step();
        h.step();
    }
}

/// Replaces the text of the first field labelled `label` (the form's, above the list whose
/// headings say the same).
fn retype_first(h: &mut App, label: &str, text: &str) {
    h.query_all_by_label(label).next().unwrap().focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.key_press(egui::Key::Backspace);
    h.step();
    h.query_all_by_label(label).next().unwrap().type_text(text);
    h.step();
    h.step();
}

/// The dozen amounts each fund pays in the third quarter: 5,437.69 yuan in all.
const AMOUNTS: [&str; 12] = [
    "120", "260", "480", "650", "88.50", "1200", "300", "45", "999.99", "500", "730", "64.20",
];

/// Types the `i`th payment of `fund` into the open form (already showing its fund) and saves it.
fn enter_payment(h: &mut App, fund: sibai::model::FundKind, i: usize) {
    use sibai::model::FundCategory;
    let categories: Vec<FundCategory> = fund
        .categories()
        .iter()
        .copied()
        .filter(|c| *c != FundCategory::SelfGovernment)
        .collect();
    let category = categories[i % categories.len()];
    let on = format!("2026-{:02}-{:02}", 7 + i / 4, 5 + (i % 4) * 6);
    retype(h, "支出日期", &on);
    pick(h, "类别", category.label());
    if matches!(category, FundCategory::Care | FundCategory::Relief) {
        radio(h, "个人（帮扶救助，只公开类别和合计）");
        type_into(h, "收款方", 0, "王阿姨");
    } else {
        type_into(h, "收款方", 0, "示例服务社");
    }
    type_into(h, "金额（元）", 0, AMOUNTS[i]);
    type_into(h, "用途", 0, &format!("{}第{}笔", category.label(), i + 1));
    type_into(h, "票据号", 0, &format!("{}-{i:02}", fund_code(fund)));
    match i % 3 {
        0 => radio(h, "公务卡"),
        1 => radio(h, "转账"),
        _ => {
            radio(h, "现金");
            tap(h, "属于区现金支付清单");
        }
    }
    let amount: f64 = AMOUNTS[i].parse().unwrap();
    if amount > 500.0 {
        type_into(h, "街道审核", 0, &on);
        type_into(h, "审批单号", 0, &format!("街审{i}"));
    } else {
        type_into(h, "书记签批", 0, &on);
        type_into(h, "主任签批", 0, &on);
    }
    tap(h, "保存支出");
    assert!(
        shows(h, "已保存支出"),
        "{fund:?} #{i} saved: {:?}",
        h.query_all_by_label_contains("请")
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
    );
}

fn fund_code(fund: sibai::model::FundKind) -> &'static str {
    match fund {
        sibai::model::FundKind::Work => "W",
        sibai::model::FundKind::PartyService => "P",
        sibai::model::FundKind::Foundation => "F",
    }
}

#[test]
fn a_dozen_payments_of_each_fund_add_up_and_the_quarterly_report_reads_back_the_same() {
    use sibai::model::{Fen, FundKind};
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), planned_year());
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    click(&mut h, "经费", 0);
    click(&mut h, "年度", 0);
    click_button(&mut h, "2026年");

    // Each rule fires as it is typed and clears when fixed, on the first payment.
    click(&mut h, "登记支出", 0);
    retype(&mut h, "支出日期", "2026-07-05");
    radio(&mut h, "居委会工作经费");
    pick(&mut h, "类别", "居民自治");
    type_into(&mut h, "金额（元）", 0, "40000");
    type_into(&mut h, "收款方", 0, "示例文具店");
    type_into(&mut h, "用途", 0, "办公用品");
    h.step();
    assert!(
        shows(&h, "年度经费计划里没有“居民自治”"),
        "outside the plan"
    );
    assert!(shows(&h, "须报街道审核"), "above the line, no review");
    assert!(shows(&h, "缺少票据号"));
    pick(&mut h, "类别", "办公经费");
    h.step();
    assert!(!shows(&h, "年度经费计划里没有"), "cleared");
    assert!(
        shows(&h, "超过 35%"),
        "40,000 of office costs is 40% of the budget"
    );
    retype_first(&mut h, "金额（元）", "120000");
    assert!(
        shows(&h, "超过预算 100,000.00 元"),
        "over the fund's budget"
    );
    retype_first(&mut h, "金额（元）", "120");
    assert!(!shows(&h, "超过 35%"), "cleared");
    assert!(!shows(&h, "超过预算"), "cleared");
    radio(&mut h, "现金");
    h.step();
    assert!(shows(&h, "不在区现金支付清单内"));
    radio(&mut h, "公务卡");
    assert!(!shows(&h, "不在区现金支付清单内"), "cleared");
    retype_first(&mut h, "用途", "");
    tap(&mut h, "取消");

    // 党组织服务群众专项经费 may not pay bonuses: said as the purpose is typed.
    click(&mut h, "登记支出", 0);
    radio(&mut h, "党组织服务群众专项经费");
    pick(&mut h, "类别", "群众活动类");
    type_into(&mut h, "金额（元）", 0, "300");
    type_into(&mut h, "收款方", 0, "示例礼品店");
    type_into(&mut h, "用途", 0, "工作人员奖金");
    h.step();
    assert!(shows(&h, "不得用于奖金"));
    retype_first(&mut h, "用途", "重阳节敬老活动");
    assert!(!shows(&h, "不得用于奖金"), "cleared");
    tap(&mut h, "取消");

    // A dozen of each fund, by card, transfer and listed cash, to organisations and people,
    // under the line with both signatures and above it with the street's review.
    for fund in FundKind::ALL {
        for i in 0..12 {
            click(&mut h, "登记支出", 0);
            radio(&mut h, fund.label());
            enter_payment(&mut h, fund, i);
        }
    }
    let fy = open_ledger(&h).funds[&2026].clone();
    assert_eq!(fy.payments.len(), 37, "the sample's one and 36");
    for fund in FundKind::ALL {
        let q3: Fen = fy
            .payments
            .iter()
            .filter(|p| p.fund == fund && chrono::Datelike::month(&p.on) >= 7)
            .map(|p| p.amount)
            .sum();
        assert_eq!(q3, Fen(543_769), "{fund:?}: 5,437.69 by hand");
    }
    assert!(
        fy.payments
            .iter()
            .all(|p| sibai::model::payment_issues(p).is_empty() || p.id.seq == 1),
        "every new payment is in order"
    );
    // The balances by hand: 3,000 + 60,000 − 5,437.69; 2,000 + 50,000 − 300 − 5,437.69;
    // 40,000 − 5,437.69.
    assert!(shows(&h, "57,562.31 元"));
    assert!(shows(&h, "46,262.31 元"));
    assert!(shows(&h, "34,562.31 元"));

    // The quarterly report, on screen and exported.
    click(&mut h, "报告", 0);
    click(&mut h, "第3季度", 0);
    assert!(shows(&h, "2026年第3季度经费使用情况内部报告"));
    assert!(
        shows(&h, "63,000.00 元"),
        "居委会工作经费 opens the quarter with 63,000"
    );
    assert!(shows(&h, "51,700.00 元"), "党组织 opens with 51,700");
    click(&mut h, "导出 Excel", 0);
    let path = dir.path().join("季度报告.xlsx");
    retype(&mut h, "导出到", &path.display().to_string());
    tap(&mut h, "导出");
    wait(&mut h, "导出报告", |h| shows(h, "已导出到"));
    let book = xlsx_text(&path, "workbook.xml");
    for name in [
        "居委会工作经费",
        "党组织服务群众专项经费",
        "社区基金会匹配资金",
        "待办与提示",
    ] {
        assert!(book.contains(&format!("name=\"{name}\"")), "a sheet {name}");
    }
    let strings = xlsx_text(&path, "sharedStrings");
    assert!(strings.contains("合计 12 笔"));
    assert!(strings.contains("经办人："));
    for (sheet, opening, closing) in [
        ("worksheets/sheet1.xml", "63000", "57562.31"),
        ("worksheets/sheet2.xml", "51700", "46262.31"),
        ("worksheets/sheet3.xml", "0", "34562.31"),
    ] {
        let xml = xlsx_text(&path, sheet);
        for v in [opening, closing, "5437.69"] {
            assert!(xml.contains(&format!("<v>{v}</v>")), "{sheet} holds {v}");
        }
    }

    // 概览: the months in figures beside the charts.
    click(&mut h, "概览", 0);
    assert!(shows(&h, "每月支出（元）"));
    assert!(shows(&h, "5,437.69"));

    // Undo the last payment and redo it; reopen the vault: all 37 are there.
    click(&mut h, "撤销", 0);
    assert_eq!(open_ledger(&h).funds[&2026].payments.len(), 36);
    click(&mut h, "重做", 0);
    assert_eq!(open_ledger(&h).funds[&2026].payments.len(), 37);
    wait(&mut h, "自动保存", |h| {
        !h.state().vault().unwrap().has_unsaved()
    });
    drop(h);
    let reopened = crate::fixtures::open(dir.path()).unwrap();
    assert_eq!(reopened.ledger().funds[&2026], fy);
}
