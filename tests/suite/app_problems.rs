//! 问题清单 driven headless with egui_kittest: a need heard on a visit followed to its answer
//! and its 回访 (which 走访 shows as due and records), steps refused out of order, undo, and
//! the vault reopened; problems entered directly, found by filters that combine, made into
//! one 实事项目, the list and the solve-rate report exported to .xlsx.

use crate::app::{
    app, click, click_button, open_ledger, retype, type_into, unlock, wait, xlsx_text,
};
use crate::fixtures::{PASS, make_vault, sample_ledger};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sibai::gui::SibaiApp;
use sibai::model::{
    Ledger, Problem, ProblemId, ProblemSource, ProblemStatus, ResolutionPath, StepKind, Verdict,
};

type App = Harness<'static, SibaiApp>;

/// Waits for the unlock and for the rest of the ledger (funds, earlier years), which is read
/// after 首页 first shows: 首页 counts again, and 经费 shows its records, once it is in.
pub(crate) fn ready(h: &mut App) {
    wait(h, "解锁", |h| h.state().is_unlocked());
    wait(h, "读入全部台账", |h| {
        h.state().vault().unwrap().unloaded().is_empty()
    });
}

fn problem(h: &App, id: ProblemId) -> Problem {
    open_ledger(h).problems.problem(id).unwrap().clone()
}

pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Logs a visit to 1-101 with one need listed as a problem; returns the problem's number.
fn visit_with_a_need(h: &mut App, need: &str) -> ProblemId {
    click(h, "走访", 0);
    click(h, "登记走访", 0);
    type_into(h, "居民户", 1, "1-101");
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
    type_into(h, "事由", 0, "独居老人月度探访");
    click(h, "添加一条诉求", 0);
    type_into(h, "诉求 1", 0, need);
    click(h, "列入问题清单", 0);
    click(h, "保存走访", 0);
    wait(h, "保存走访", |h| {
        h.query_by_label_contains("已列入问题清单").is_some()
    });
    open_ledger(h)
        .problems
        .problems
        .iter()
        .find(|p| p.title == need)
        .expect("the need became a problem")
        .id
}

/// Opens 记录下一步 and picks the step.
fn next_step(h: &mut App, step: &str) {
    click(h, "记录下一步", 0);
    click_button(h, step);
}

#[test]
fn a_need_heard_on_a_visit_is_followed_to_its_answer_and_its_follow_up_visit() {
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("甲"));
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    let id = visit_with_a_need(&mut h, "楼道堆物挡住消防通道");
    let raised = problem(&h, id);
    assert_eq!(raised.status, ProblemStatus::Open);
    let ProblemSource::Visit(visit) = raised.source else {
        panic!("from the visit: {:?}", raised.source)
    };

    // 问题清单: found by a word of it, opened by a click.
    click(&mut h, "问题清单", 0);
    type_into(&mut h, "查找", 0, "消防通道");
    assert!(h.query_by_label_contains("共 1 个问题").is_some());
    click(&mut h, "楼道堆物挡住消防通道", 0);
    assert!(
        h.query_by_label_contains(&format!("第 {} 号问题", id.0))
            .is_some()
    );
    // Where it came from, and the household with its head's ID number masked.
    assert!(h.query_by_label("打开这次走访的居民户").is_some());
    assert!(h.query_by_label_contains("11010519491231002X").is_none());
    assert!(h.query_by_label_contains("1101**********002X").is_some());

    // 受理, then 民主协商 with a meeting.
    click(&mut h, "记录下一步", 0);
    click(&mut h, "保存这一步", 0);
    assert_eq!(problem(&h, id).status, ProblemStatus::InProgress);
    next_step(&mut h, "确定化解路径");
    click(&mut h, "化解路径", 0);
    click_button(&mut h, "民主协商");
    click(&mut h, "保存这一步", 0);
    assert_eq!(problem(&h, id).path, ResolutionPath::Consultation);
    next_step(&mut h, "协商会议");
    type_into(&mut h, "参加人数", 0, "十二");
    type_into(&mut h, "议题", 0, "楼道堆物清理");
    type_into(&mut h, "决定", 0, "物业三日内清理，楼组长监督");
    click(&mut h, "保存这一步", 0);
    // Refused with the reason, nothing changed.
    assert!(h.query_by_label("参加人数请填写数字").is_some());
    assert_eq!(problem(&h, id).steps.len(), 2);
    retype(&mut h, "参加人数", "12");
    click(&mut h, "保存这一步", 0);
    let p = problem(&h, id);
    assert!(
        matches!(&p.steps[2].kind, StepKind::Meeting(m) if m.attendance == 12 && m.topic == "楼道堆物清理"),
        "{:?}",
        p.steps
    );

    // 办结 without an answer is refused; with one, the 回访 is scheduled three days on.
    next_step(&mut h, "办结");
    click(&mut h, "确认办结", 0);
    assert!(h.query_by_label("办结前请写明给居民的答复。").is_some());
    assert!(!problem(&h, id).status.is_closed());
    type_into(&mut h, "给居民的答复", 0, "物业已清理，通道畅通");
    let due = today() + chrono::Duration::days(3);
    retype(&mut h, "回访日期", &day(due));
    click(&mut h, "确认办结", 0);
    let p = problem(&h, id);
    assert_eq!(p.status, ProblemStatus::Solved);
    assert_eq!(p.answer, "物业已清理，通道畅通");
    assert_eq!(p.follow_up_pending().map(|f| f.due), Some(due));
    assert!(
        p.steps
            .iter()
            .all(|s| s.by == Some(sibai::model::WorkerId(1)))
    );

    // 走访 shows the 回访 as due for that household; the visit records how it went.
    click(&mut h, "走访", 0);
    click(&mut h, "待回访 1 户（一周内）", 0);
    click(&mut h, "登记回访", 0);
    assert!(
        h.query_by_label_contains(&format!("问题清单第 {} 号", id.0))
            .is_some()
    );
    click(&mut h, "基本满意", 0);
    type_into(&mut h, "居民意见", 0, "通道干净了");
    click(&mut h, "保存走访", 0);
    wait(&mut h, "保存回访", |h| {
        h.query_by_label_contains("回访结果已记入问题清单")
            .is_some()
    });
    let done = problem(&h, id).follow_up.unwrap().done.unwrap();
    assert_eq!(done.verdict, Verdict::Fair);
    assert_eq!(done.note, "通道干净了");
    let follow_visit = done.visit.expect("recorded on a visit");
    assert!(open_ledger(&h).all_visits().any(|v| v.id == follow_visit));
    assert!(h.query_by_label_contains("待回访").is_none());

    // Undo takes the visit and the 回访 away together; redo brings both back.
    click(&mut h, "撤销", 0);
    assert!(problem(&h, id).follow_up_pending().is_some());
    assert!(open_ledger(&h).all_visits().all(|v| v.id != follow_visit));
    click(&mut h, "重做", 0);
    assert!(problem(&h, id).follow_up_pending().is_none());

    // The visit shows its problem and opens it.
    click(&mut h, "居民户", 0);
    click(&mut h, "小区甲 1号 101室", 0);
    click(&mut h, "打开问题", 0);
    assert!(
        h.query_by_label_contains(&format!("第 {} 号问题", id.0))
            .is_some()
    );

    // 重新打开 needs a reason; undo takes it back.
    click(&mut h, "重新打开", 0);
    click(&mut h, "确认重新打开", 0);
    assert!(h.query_by_label("请写明重新打开的原因。").is_some());
    type_into(&mut h, "重新打开的原因", 0, "居民反映又有堆物");
    click(&mut h, "确认重新打开", 0);
    assert_eq!(problem(&h, id).status, ProblemStatus::InProgress);
    click(&mut h, "撤销", 0);
    assert_eq!(problem(&h, id).status, ProblemStatus::Solved);
    let kept = problem(&h, id);

    wait(&mut h, "自动保存", |h| {
        !h.state().vault().unwrap().has_unsaved()
    });
    drop(h);
    let reopened = crate::fixtures::open(dir.path()).unwrap();
    let l = reopened.ledger();
    assert_eq!(l.problems.problem(id), Some(&kept));
    assert!(l.all_visits().any(|v| v.id == visit));
    assert!(l.all_visits().any(|v| v.id == follow_visit));
}

/// A ledger with ten problems for the list and the report: 1–6 环境卫生 (1–3 solved, 1 and 4
/// prominent), 7–10 小区停车 (7 solved), raised in March and April 2026, by patrol.
fn ten_problems() -> Ledger {
    let mut l = sample_ledger("甲");
    let template = l.problems.problems[0].clone();
    l.problems.problems = (1..=10)
        .map(|i| {
            let mut p = template.clone();
            p.id = ProblemId(i);
            p.project = None;
            p.household = None;
            p.source = ProblemSource::Patrol;
            p.title = format!("问题{i}");
            p.category = if i <= 6 {
                "环境卫生"
            } else {
                "小区停车"
            }
            .into();
            p.prominent = i == 1 || i == 4;
            p.raised_on =
                chrono::NaiveDate::from_ymd_opt(2026, if i % 2 == 0 { 3 } else { 4 }, 10).unwrap();
            p.steps.clear();
            p.follow_up = None;
            if [1, 2, 3, 7].contains(&i) {
                p.status = ProblemStatus::Solved;
                p.closed_on = Some(p.raised_on + chrono::Duration::days(5));
                p.answer = "已解决".into();
            } else {
                p.status = ProblemStatus::Open;
                p.closed_on = None;
                p.answer.clear();
            }
            p
        })
        .collect();
    l.projects.projects.clear();
    l
}

#[test]
fn problems_entered_filtered_made_into_a_project_and_counted_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), ten_problems());
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    click(&mut h, "问题清单", 0);
    assert!(h.query_by_label_contains("共 10 个问题").is_some());

    // A 12345 ticket entered here: the number is required.
    click(&mut h, "新增问题", 0);
    type_into(&mut h, "问题", 0, "小区门口积水");
    click(&mut h, "保存问题", 0);
    assert!(h.query_by_label("请填写 12345 工单号").is_some());
    type_into(&mut h, "工单号", 0, "12345-2026001234");
    click(&mut h, "保存问题", 0);
    assert!(h.query_by_label_contains("已新增第 11 号问题").is_some());
    let added = problem(&h, ProblemId(11));
    assert_eq!(
        added.source,
        ProblemSource::Hotline("12345-2026001234".into())
    );
    assert_eq!(added.raised_on, today());

    // Filters combine: 环境卫生 and 未办结 and 突出问题.
    click(&mut h, "分类", 0);
    click_button(&mut h, "环境卫生");
    assert!(h.query_by_label_contains("共 6 个问题").is_some());
    click(&mut h, "状态", 0);
    click_button(&mut h, "未办结");
    assert!(h.query_by_label_contains("共 3 个问题").is_some());
    click(&mut h, "只看突出问题", 0);
    assert!(h.query_by_label_contains("共 1 个问题").is_some());
    assert!(h.query_by_label("【突出】问题4").is_some());
    // The list as filtered, exported for the street.
    click(&mut h, "导出 Excel", 0);
    let listed = dir.path().join("问题清单.xlsx");
    retype(&mut h, "导出到", &listed.display().to_string());
    click(&mut h, "导出", 0);
    wait(&mut h, "导出问题清单", |h| {
        h.query_by_label_contains("已导出到").is_some()
    });
    let strings = xlsx_text(&listed, "sharedStrings");
    for text in [">问题4<", ">化解路径<", ">突出问题<", ">环境卫生<"] {
        assert!(strings.contains(text), "{text} in the exported list");
    }
    assert!(!strings.contains(">问题5<"), "only the problems listed");
    click(&mut h, "清除条件", 0);
    assert!(h.query_by_label_contains("共 11 个问题").is_some());
    // The 12345 number finds its problem.
    type_into(&mut h, "查找", 0, "2026001234");
    assert!(h.query_by_label_contains("共 1 个问题").is_some());
    click(&mut h, "清除条件", 0);

    // Three problems ticked become one project, linked both ways.
    retype(&mut h, "查找", "问题");
    for n in [4, 5, 6] {
        click(&mut h, &format!("勾选第 {n} 号"), 0);
    }
    click(&mut h, "用勾选的 3 个问题创建实事项目", 0);
    click(&mut h, "创建实事项目", 0);
    assert!(h.query_by_label("请填写项目名称").is_some());
    type_into(&mut h, "项目名称", 0, "楼道环境整治");
    type_into(&mut h, "居民需求", 0, "多个楼道堆物，居民希望统一整治");
    click(&mut h, "创建实事项目", 0);
    assert!(
        h.query_by_label_contains("已创建实事项目“楼道环境整治”")
            .is_some()
    );
    let project = open_ledger(&h).projects.projects[0].clone();
    assert_eq!(project.problems, [ProblemId(4), ProblemId(5), ProblemId(6)]);
    for id in [4, 5, 6] {
        assert_eq!(problem(&h, ProblemId(id)).project, Some(project.id));
    }
    click(&mut h, "问题5", 0);
    assert!(
        h.query_by_label_contains("已纳入实事项目“楼道环境整治”")
            .is_some()
    );
    click(&mut h, "← 返回列表", 0);

    // The report for March–April: 10 raised, 4 solved; 2 prominent, 1 solved.
    click(&mut h, "统计报表", 0);
    retype(&mut h, "统计期间 从", "2026-03-01");
    retype(&mut h, "到", "2026-04-30");
    let report = open_ledger(&h).clone();
    let shown = |h: &App, text: &str| h.query_all_by_label(text).next().is_some();
    assert!(shown(&h, "40.00%"), "4 of 10");
    assert!(shown(&h, "50.00%"), "1 of 2 prominent");
    // 环境卫生: 6 raised, 3 solved; 小区停车: 4 raised, 1 solved.
    assert!(shown(&h, "25.00%"));
    assert_eq!(
        report.problems.problems.len(),
        11,
        "the new one is today, outside"
    );
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("问题统计.xlsx");
    click(&mut h, "导出 Excel", 0);
    retype(&mut h, "导出到", path.to_str().unwrap());
    click(&mut h, "导出", 0);
    wait(&mut h, "导出", |h| {
        h.query_by_label_contains("已导出到").is_some()
    });
    let strings = xlsx_text(&path, "sharedStrings");
    for expect in [
        "合计",
        "环境卫生",
        "小区停车",
        "2026年3月",
        "2026年4月",
        "40.00%",
        "50.00%",
    ] {
        assert!(strings.contains(expect), "{expect} in {strings}");
    }
    // Undo removes the project and every link.
    click(&mut h, "问题列表", 0);
    click(&mut h, "撤销", 0);
    let l = open_ledger(&h);
    assert!(l.projects.projects.is_empty());
    assert!(l.problems.problems.iter().all(|p| p.project.is_none()));
}

/// The day `n` days from today, as typed.
fn on(n: i64) -> String {
    day(today() + chrono::Duration::days(n))
}

/// Opens 推进到… and saves it dated `date`.
fn advance(h: &mut App, to: &str, date: &str) {
    click(h, &format!("推进到“{to}”"), 0);
    retype(h, "到达日期", date);
    click(h, "保存", 0);
}

/// Whether some text on screen contains `text` (a rule is said both as what is still needed
/// and as the refusal).
pub(crate) fn shows(h: &App, text: &str) -> bool {
    h.query_all_by_label_contains(text).next().is_some()
}

fn stage(h: &App) -> sibai::model::ProjectStage {
    open_ledger(h).projects.projects[0].stage
}

#[test]
fn three_problems_become_a_project_that_goes_through_every_stage() {
    use sibai::model::ProjectStage::*;
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ten_problems();
    // A payment entered in 经费 for the project about to be made (its number will be 1).
    let funds = ledger.funds.get_mut(&2026).unwrap();
    funds.payments[0].project = Some(sibai::model::ProjectId(1));
    funds.payments[0].amount = sibai::model::Fen::yuan(1_500);
    funds.payments[0].purpose = "清运费".into();
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    click(&mut h, "问题清单", 0);
    for n in [4, 5, 6] {
        click(&mut h, &format!("勾选第 {n} 号"), 0);
    }
    click(&mut h, "用勾选的 3 个问题创建实事项目", 0);
    type_into(&mut h, "项目名称", 0, "楼道环境整治");
    type_into(&mut h, "居民需求", 0, "多个楼道堆物，居民希望统一整治");
    click(&mut h, "创建实事项目", 0);
    click(&mut h, "实事项目", 0);
    click(&mut h, "楼道环境整治", 0);
    assert!(shows(&h, "第 1 号实事项目"), "第 1 号实事项目");
    assert_eq!(stage(&h), NeedsGathered);
    // The linked payment shows against the budget, opens in 经费, and leads back.
    assert!(shows(&h, "已支出 1,500.00 元"));
    click(&mut h, "2026-02-01", 0);
    assert!(shows(&h, "支出 2026-0001"));
    click(&mut h, "打开关联的实事项目", 0);
    assert!(shows(&h, "第 1 号实事项目"));

    click(&mut h, "编辑方案", 0);
    type_into(&mut h, "内容", 0, "统一清理楼道堆物，建立楼组长巡查制度");
    click(&mut h, "保存", 0);
    advance(&mut h, "方案拟定", &on(0));
    assert_eq!(stage(&h), PlanDrafted);
    // Opinions need a meeting first: refused with the rule.
    advance(&mut h, "征求意见", &on(0));
    assert!(shows(&h, "请先登记征求党员代表"), "请先登记征求党员代表");
    assert_eq!(stage(&h), PlanDrafted);
    click(&mut h, "取消", 0);
    click(&mut h, "登记会议", 0);
    type_into(&mut h, "参加人数", 0, "20");
    type_into(&mut h, "议题", 0, "楼道整治方案");
    type_into(&mut h, "决定", 0, "代表同意方案");
    click(&mut h, "保存", 0);
    advance(&mut h, "征求意见", &on(0));
    advance(&mut h, "街道审核", &on(1));
    click(&mut h, "设置方案公示期", 0);
    retype(&mut h, "公示开始", &on(2));
    retype(&mut h, "公示结束", &on(8));
    click(&mut h, "保存", 0);
    advance(&mut h, "方案公示", &on(2));
    assert_eq!(stage(&h), PlanPublished);
    click(&mut h, "填写审批备案表", 0);
    type_into(&mut h, "实施进度安排", 0, "两周内完成");
    type_into(&mut h, "预算（元）", 0, "6000");
    type_into(&mut h, "完成期限", 0, &on(60));
    click(&mut h, "保存", 0);
    advance(&mut h, "审批备案", &on(3));
    for (name, when, share) in [("集中清理", 12, "70"), ("制度上墙", 14, "30")] {
        click(&mut h, "添加进度节点", 0);
        type_into(&mut h, "进度节点", 0, name);
        type_into(&mut h, "计划完成", 0, &on(when));
        type_into(&mut h, "占工作量（%）", 0, share);
        click(&mut h, "保存", 0);
    }
    // Work may not start while the plan is posted: refused, nothing changes.
    advance(&mut h, "组织实施", &on(5));
    assert!(
        shows(&h, "公示期满后才能开始实施"),
        "公示期满后才能开始实施"
    );
    assert_eq!(stage(&h), Approved);
    retype(&mut h, "到达日期", &on(9));
    click(&mut h, "保存", 0);
    assert_eq!(stage(&h), InProgress);
    for (name, when) in [("集中清理", 12), ("制度上墙", 15)] {
        click(&mut h, &format!("完成“{name}”"), 0);
        retype(&mut h, "完成日期", &on(when));
        click(&mut h, "保存", 0);
    }
    assert_eq!(
        open_ledger(&h).projects.projects[0].progress_percent(),
        Some(100)
    );
    assert!(shows(&h, "完成 100%"), "完成 100%");
    advance(&mut h, "结项验收", &on(16));
    click(&mut h, "编辑实施结果", 0);
    type_into(&mut h, "内容", 0, "堆物清理完毕，巡查制度已上墙");
    click(&mut h, "保存", 0);
    click(&mut h, "设置结果公示期", 0);
    retype(&mut h, "公示开始", &on(17));
    retype(&mut h, "公示结束", &on(23));
    click(&mut h, "保存", 0);
    advance(&mut h, "结果公示", &on(17));

    // A survey below 80%: the project asks for 整改 and a second survey.
    let survey = |h: &mut App, when: i64, rows: [[&str; 3]; 3]| {
        click(h, "录入测评", 0);
        retype(h, "测评日期", &on(when));
        type_into(h, "参加人数", 0, "10");
        for (dimension, row) in ["解决过程", "实施力度", "最终结果"].iter().zip(rows) {
            for (what, n) in ["满意", "基本满意", "不满意"].iter().zip(row) {
                type_into(h, &format!("{dimension} {what}"), 0, n);
            }
        }
        click(h, "保存", 0);
    };
    survey(
        &mut h,
        24,
        [["8", "1", "1"], ["6", "1", "3"], ["9", "1", "0"]],
    );
    advance(&mut h, "满意度测评", &on(24));
    assert!(h.query_by_label("推进到“整改”").is_some());
    advance(&mut h, "整改", &on(25));
    assert!(shows(&h, "请先登记整改情况"), "请先登记整改情况");
    click(&mut h, "取消", 0);
    click(&mut h, "登记整改", 0);
    retype(&mut h, "整改日期", &on(26));
    type_into(&mut h, "整改情况", 0, "补做墙面标识，增加巡查频次");
    click(&mut h, "保存", 0);
    advance(&mut h, "整改", &on(26));
    advance(&mut h, "满意度测评", &on(30));
    assert!(
        shows(&h, "整改后请先录入再次测评"),
        "整改后请先录入再次测评"
    );
    click(&mut h, "取消", 0);
    survey(
        &mut h,
        30,
        [["9", "1", "0"], ["8", "1", "1"], ["9", "0", "1"]],
    );
    advance(&mut h, "满意度测评", &on(30));
    advance(&mut h, "完成", &on(31));
    assert_eq!(stage(&h), Done);
    assert!(h.query_by_label("项目已完成").is_some());
    let done = open_ledger(&h).projects.projects[0].clone();
    let stages: Vec<_> = done.milestones.iter().map(|m| m.stage).collect();
    assert_eq!(
        stages,
        [
            NeedsGathered,
            PlanDrafted,
            OpinionsHeard,
            StreetReviewed,
            PlanPublished,
            Approved,
            InProgress,
            Closed,
            OutcomePublished,
            Surveyed,
            Rectifying,
            Surveyed,
            Done
        ]
    );
    assert_eq!(done.surveys.len(), 2);
    assert_eq!(done.rectifications.len(), 1);
    assert_eq!(done.budget, sibai::model::Fen::yuan(6_000));
    assert!(done.exceptions.is_empty());

    // Undo steps back one change at a time; redo forward again.
    click(&mut h, "撤销", 0);
    assert_eq!(stage(&h), Surveyed);
    click(&mut h, "撤销", 0);
    assert_eq!(stage(&h), Rectifying);
    click(&mut h, "重做", 0);
    click(&mut h, "重做", 0);
    assert_eq!(open_ledger(&h).projects.projects[0], done);
    wait(&mut h, "自动保存", |h| {
        !h.state().vault().unwrap().has_unsaved()
    });
    drop(h);
    let reopened = crate::fixtures::open(dir.path()).unwrap();
    assert_eq!(reopened.ledger().projects.projects[0], done);
    for id in [4, 5, 6] {
        assert_eq!(
            reopened
                .ledger()
                .problems
                .problem(ProblemId(id))
                .unwrap()
                .project,
            Some(done.id)
        );
    }
}

#[test]
fn the_satisfaction_threshold_is_set_in_settings_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("甲"));
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    ready(&mut h);
    assert_eq!(open_ledger(&h).committee.satisfaction_threshold, 80);
    click(&mut h, "设置", 0);
    click(&mut h, "整改线", 0);
    h.key_press(egui::Key::Backspace);
    h.key_press(egui::Key::Backspace);
    h.step();
    type_into(&mut h, "整改线", 0, "70");
    h.key_press(egui::Key::Enter);
    h.step();
    click(&mut h, "保存整改线", 0);
    assert_eq!(open_ledger(&h).committee.satisfaction_threshold, 70);
    click(&mut h, "撤销", 0);
    assert_eq!(open_ledger(&h).committee.satisfaction_threshold, 80);
}

/// Clicks the radio button with this label (the same words may be a label elsewhere).
pub(crate) fn radio(h: &mut App, label: &str) {
    h.get_by_role_and_label(egui::accesskit::Role::RadioButton, label)
        .click();
    h.step();
    h.step();
}
