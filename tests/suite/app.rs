//! The desktop app driven headless with egui_kittest, by label: unlock with a wrong then the
//! right passphrase, find a household (masked until 显示), the idle lock and unlock again.
//! The harness fails on any glyph missing from the fonts, so these also prove the Chinese
//! renders with the CJK font found on the system (`.ci/run` installs fonts-noto-cjk).

use crate::fixtures::{PASS, make_vault, sample_ledger};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sibai::gui::SibaiApp;
use sibai::store::VaultOptions;
use std::path::Path;
use std::time::{Duration, Instant};

pub(crate) fn app(dir: &Path) -> Harness<'static, SibaiApp> {
    let dir = dir.to_path_buf();
    Harness::builder()
        .with_size([1280.0, 820.0])
        .build_eframe(move |cc| SibaiApp::new(cc, &dir, VaultOptions::for_tests()))
}

/// Steps the app until `done` holds (background threads report through repaints).
pub(crate) fn wait(
    h: &mut Harness<'static, SibaiApp>,
    what: &str,
    done: impl Fn(&Harness<'static, SibaiApp>) -> bool,
) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        h.step();
        if done(h) {
            h.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("等待超时：{what}");
}

pub(crate) fn unlock(h: &mut Harness<'static, SibaiApp>, passphrase: &str) {
    let field = h.get_by_label("密码");
    field.focus();
    field.type_text(passphrase);
    h.step();
    h.get_by_label("解锁").click();
    h.step();
}

#[test]
fn unlock_wrong_then_right_find_a_household_idle_lock_and_unlock_again() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = sample_ledger("甲乙");
    make_vault(dir.path(), ledger.clone());
    let mut h = app(dir.path());
    h.step();
    assert!(h.query_by_label_contains("测试居委会").is_some());

    // A wrong passphrase: a message in Chinese, still locked.
    unlock(&mut h, "not the passphrase");
    wait(&mut h, "密码错误提示", |h| {
        h.query_by_label_contains("密码不对").is_some()
    });
    assert!(!h.state().is_unlocked());

    // The right one.
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    for section in [
        "首页",
        "居民户",
        "走访",
        "接待值班",
        "问题清单",
        "公开发布",
        "设置",
    ] {
        assert!(h.query_by_label(section).is_some(), "{section}");
    }
    assert!(h.query_by_label("锁定").is_some());

    // 居民户: found by name; the phone is masked in the list and in the household view
    // until 显示.
    let household = &ledger.households.households[0];
    let person = &household.members[0];
    let id = person.id_number.as_ref().unwrap();
    h.get_by_label("居民户").click();
    h.step();
    let search = h.get_by_label("搜索");
    search.focus();
    search.type_text(&person.name);
    h.step();
    h.step();
    assert!(h.query_by_label_contains("共 1 户").is_some());
    assert!(h.query_by_label_contains(id.as_str()).is_none());
    h.get_by_label(&ledger.households.address_of(household))
        .click();
    h.step();
    h.step();
    assert!(h.query_by_label(&id.masked()).is_some());
    assert!(h.query_by_label(id.as_str()).is_none());
    // Each 显示 turns into 隐藏 once clicked: show them all, one by one.
    loop {
        {
            let Some(button) = h.query_all_by_label("显示").next() else {
                break;
            };
            button.click();
        }
        h.step();
        h.step();
    }
    assert!(
        h.query_by_label(id.as_str()).is_some(),
        "显示 shows the ID number"
    );

    // Idle for longer than the limit (wall clock): locked, the ledger dropped.
    h.state_mut().backdate_activity(Duration::from_secs(6 * 60));
    h.step();
    h.step();
    assert!(!h.state().is_unlocked());
    assert!(h.state().vault().is_none());
    assert!(h.query_by_label_contains("自动锁定").is_some());
    assert!(h.query_by_label_contains(id.as_str()).is_none());

    unlock(&mut h, PASS);
    wait(&mut h, "再次解锁", |h| h.state().is_unlocked());
    assert_eq!(h.state().vault().unwrap().member(), "王书记");
}

#[test]
fn a_folder_without_a_ledger_opens_the_wizard_which_makes_one() {
    use sibai::store::{ExposeSecret, SecretString, Unlocked};

    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path());
    h.step();
    assert!(h.query_by_label("新建居委会台账").is_some());
    assert!(h.query_by_label("解锁").is_none());

    // Missing name, then passphrases that differ: explained, nothing written.
    click(&mut h, "创建台账", 0);
    assert!(h.query_by_label("请填写居委会名称。").is_some());
    type_into(&mut h, "居委会名称", 0, "樱园居委会");
    type_into(&mut h, "姓名", 0, "王书记");
    type_into(&mut h, "密码", 0, "樱园 2026 春");
    type_into(&mut h, "再输一次", 0, "樱园 2026 秋");
    click(&mut h, "创建台账", 0);
    assert!(h.query_by_label("王书记两次输入的密码不一致。").is_some());
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    // A second member.
    click(&mut h, "添加成员", 0);
    type_into(&mut h, "姓名", 1, "李社工");
    type_into(&mut h, "密码", 1, "second one");
    type_into(&mut h, "再输一次", 1, "second one");
    let again = h.query_all_by_label("再输一次").next().unwrap();
    again.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.step();
    h.query_all_by_label("再输一次")
        .next()
        .unwrap()
        .type_text("樱园 2026 春");
    h.step();
    click(&mut h, "创建台账", 0);
    wait(&mut h, "创建台账", |h| {
        h.query_by_label("恢复密码（只显示这一次）").is_some()
    });

    // The recovery passphrase, shown once: 30 characters in groups of five.
    let recovery = {
        use egui_kittest::kittest::NodeT;
        h.root()
            .children_recursive()
            .filter_map(|n| n.accesskit_node().value())
            .find(|t| t.len() == 35 && t.matches('-').count() == 5)
            .expect("the recovery passphrase on screen")
    };
    // 完成 stays disabled until the box is ticked.
    click(&mut h, "完成，去解锁", 0);
    assert!(h.query_by_label("恢复密码（只显示这一次）").is_some());
    click(&mut h, "我已抄写或打印好恢复密码，并交给书记或主任保管", 0);
    click(&mut h, "完成，去解锁", 0);
    assert!(h.query_by_label("恢复密码（只显示这一次）").is_none());
    assert!(
        h.query_by_label_contains(&recovery).is_none(),
        "shown only once"
    );

    // The unlock screen, the first member chosen; their passphrase opens the new ledger.
    assert!(h.query_by_label("樱园居委会 · 台账").is_some());
    unlock(&mut h, "樱园 2026 春");
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    assert_eq!(h.state().vault().unwrap().member(), "王书记");
    assert!(h.query_by_label("樱园居委会").is_some());
    h.state_mut().lock(None);
    drop(h);

    // Both members and the recovery passphrase open it.
    let recovery = SecretString::from(recovery);
    let by_recovery = Unlocked::with_recovery(dir.path(), &recovery, VaultOptions::for_tests());
    assert!(by_recovery.is_ok());
    let second = SecretString::from("second one".to_owned());
    let li = Unlocked::with_passphrase(dir.path(), "李社工", &second, VaultOptions::for_tests());
    assert!(li.is_ok());
    assert!(!recovery.expose_secret().is_empty());
}

/// A valid ID number for someone born on `birth` (YYYYMMDD) with sequence `seq` (odd: male).
fn id_number(birth: &str, seq: &str) -> String {
    let first17 = format!("310107{birth}{seq}");
    format!(
        "{first17}{}",
        sibai::model::check_character(&first17).unwrap()
    )
}

pub(crate) fn type_into(h: &mut Harness<'static, SibaiApp>, label: &str, nth: usize, text: &str) {
    h.query_all_by_label(label)
        .nth(nth)
        .unwrap_or_else(|| panic!("no field {label} #{nth}"))
        .scroll_to_me();
    h.step();
    {
        let field = h
            .query_all_by_label(label)
            .nth(nth)
            .unwrap_or_else(|| panic!("no field {label} #{nth}"));
        field.focus();
        field.type_text(text);
    }
    h.step();
}

pub(crate) fn click(h: &mut Harness<'static, SibaiApp>, label: &str, nth: usize) {
    let node = || format!("nothing labelled {label} #{nth}");
    h.query_all_by_label(label)
        .nth(nth)
        .unwrap_or_else(|| panic!("{}", node()))
        .scroll_to_me();
    // Until the scroll has settled: a long page scrolls with an animation.
    for _ in 0..10 {
        h.step();
    }
    h.query_all_by_label(label)
        .nth(nth)
        .unwrap_or_else(|| panic!("{}", node()))
        .click();
    h.step();
    h.step();
}

#[test]
fn add_a_household_log_a_visit_that_becomes_a_problem_and_find_it_all_after_reopening() {
    use sibai::model::{MemberGroup, NeedOutcome, ProblemSource, TagDimension};

    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("甲"));
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());

    // 居民户 → 新增居民户: address, two members (an owner and a tenant) with tags.
    click(&mut h, "居民户", 0);
    click(&mut h, "新增居民户", 0);
    click(&mut h, "小区", 0);
    click(&mut h, "小区甲", 0);
    click(&mut h, "楼号", 0);
    click(&mut h, "1号", 0);
    type_into(&mut h, "室号", 0, "502");
    type_into(&mut h, "姓名", 0, "赵大");
    let zhao = id_number("19440512", "001");
    type_into(&mut h, "身份证号", 0, &zhao);
    h.step();
    // The number is checked as it is typed: age and sex appear.
    assert!(h.query_by_label_contains("男，").is_some());
    assert!(h.query_by_label_contains("1944-05-12 出生").is_some());
    click(&mut h, "独居老人", 0);
    click(&mut h, "中共党员", 0);
    // 重点关注 is collapsed: its tags are not on screen until it is opened.
    assert!(h.query_by_label("邻里纠纷").is_none());
    click(&mut h, "添加租住成员", 0);
    type_into(&mut h, "姓名", 1, "钱二");
    type_into(&mut h, "电话", 1, "13912345678");
    click(&mut h, "租户家庭", 1);
    click(&mut h, "保存", 0);
    wait(&mut h, "保存居民户", |h| {
        h.query_by_label_contains("小区甲 1号 502室").is_some()
    });
    let added = {
        let v = h.state().vault().unwrap();
        let book = &v.ledger().households;
        let hh = book
            .households
            .iter()
            .find(|x| x.room == "502")
            .expect("the new household is in the ledger")
            .clone();
        assert_eq!(hh.members.len(), 2);
        assert_eq!(hh.members[0].name, "赵大");
        assert!(hh.members[0].has_tag(TagDimension::ResidentType, "独居老人"));
        assert!(hh.members[0].has_tag(TagDimension::Political, "中共党员"));
        assert_eq!(hh.members[1].group, MemberGroup::Tenant);
        assert!(hh.members[1].has_tag(TagDimension::FamilyType, "租户家庭"));
        hh
    };
    // The new household's ID is masked in its view.
    assert!(h.query_by_label_contains(&zhao).is_none());

    // 走访 by keyboard: building-room, Enter takes the first match.
    click(&mut h, "走访", 0);
    click(&mut h, "登记走访", 0);
    type_into(&mut h, "居民户", 1, "1-502");
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
    assert!(h.query_by_label_contains("家庭成员：赵大、钱二").is_some());
    type_into(&mut h, "事由", 0, "独居老人月度探访");
    click(&mut h, "添加一条诉求", 0);
    type_into(&mut h, "诉求 1", 0, "楼道灯坏了，晚上看不见");
    click(&mut h, "列入问题清单", 0);
    click(&mut h, "保存走访", 0);
    wait(&mut h, "保存走访", |h| {
        h.query_by_label_contains("已列入问题清单").is_some()
    });
    let (visit, problem) = {
        let l = h.state().vault().unwrap().ledger();
        let visit = l
            .all_visits()
            .find(|v| v.household == added.id)
            .expect("the visit is in the ledger")
            .clone();
        let NeedOutcome::Listed(pid) = visit.needs[0].outcome else {
            panic!("the need was listed: {:?}", visit.needs[0]);
        };
        let problem = l.problems.problem(pid).unwrap().clone();
        assert_eq!(problem.source, ProblemSource::Visit(visit.id));
        assert_eq!(problem.household, Some(added.id));
        (visit, problem)
    };

    // Undo takes the visit and its problem away; redo brings both back.
    click(&mut h, "撤销", 0);
    assert!(h.query_by_label_contains("已撤销：走访").is_some());
    {
        let l = h.state().vault().unwrap().ledger();
        assert!(l.all_visits().all(|v| v.id != visit.id));
        assert!(l.problems.problem(problem.id).is_none());
    }
    click(&mut h, "重做", 0);
    assert!(
        h.state()
            .vault()
            .unwrap()
            .ledger()
            .problems
            .problem(problem.id)
            .is_some()
    );

    // The visit list finds it by building-room, by the resident's name and by the reason;
    // typing more narrows, deleting widens again.
    let visits = |h: &Harness<'static, SibaiApp>| {
        let total = h.state().vault().unwrap().ledger().all_visits().count();
        (total, h.query_by_label_contains("共 1 次走访").is_some())
    };
    type_into(&mut h, "查找", 0, "1-502");
    assert!(visits(&h).1, "found by 1-502");
    retype(&mut h, "查找", "月度探访");
    assert!(visits(&h).1, "found by its reason");
    retype(&mut h, "查找", "月度探访X");
    assert!(h.query_by_label_contains("共 0 次走访").is_some());
    // Three digits are a room (none is 567); a fourth makes them the end of a phone (钱二's
    // 13912345678): the search widens again instead of narrowing the empty answer.
    retype(&mut h, "查找", "567");
    assert!(h.query_by_label_contains("共 0 次走访").is_some());
    type_into(&mut h, "查找", 0, "8");
    assert!(
        h.query_by_label_contains("共 0 次走访").is_none(),
        "5678 finds the visit to the household with that phone"
    );
    retype(&mut h, "查找", "");
    let total = visits(&h).0;
    assert!(
        h.query_by_label_contains(&format!("共 {total} 次走访"))
            .is_some()
    );

    // Every edit saves itself a moment later, on a background thread.
    wait(&mut h, "自动保存", |h| {
        !h.state().vault().unwrap().has_unsaved()
    });
    assert!(h.query_by_label("已保存").is_some());

    // Idle lock, then unlock again.
    h.state_mut().backdate_activity(Duration::from_secs(6 * 60));
    h.step();
    h.step();
    assert!(!h.state().is_unlocked());
    unlock(&mut h, PASS);
    wait(&mut h, "再次解锁", |h| h.state().is_unlocked());
    drop(h);

    // From disk: everything is there.
    let reopened = crate::fixtures::open(dir.path()).unwrap();
    let l = reopened.ledger();
    assert_eq!(l.households.household(added.id), Some(&added));
    assert!(l.all_visits().any(|v| *v == visit));
    assert_eq!(l.problems.problem(problem.id), Some(&problem));
}

#[test]
fn a_copied_id_number_is_wiped_from_the_clipboard_after_30_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = sample_ledger("丙");
    make_vault(dir.path(), ledger.clone());
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    click(&mut h, "居民户", 0);
    let address = ledger
        .households
        .address_of(&ledger.households.households[0]);
    click(&mut h, &address, 0);
    h.query_all_by_label("复制").next().unwrap().click();
    h.step();
    assert!(h.state().clipboard_pending());
    h.state_mut().backdate_clipboard(Duration::from_secs(29));
    h.step();
    assert!(h.state().clipboard_pending(), "not before 30 seconds");
    h.state_mut().backdate_clipboard(Duration::from_secs(2));
    h.step();
    assert!(!h.state().clipboard_pending());
    let wiped = h
        .output()
        .platform_output
        .commands
        .iter()
        .any(|c| matches!(c, egui::OutputCommand::CopyText(t) if t.is_empty()));
    assert!(wiped, "the clipboard is overwritten with nothing");
}

#[test]
fn log_an_anonymous_reception_as_a_problem_and_sign_in_for_duty() {
    use sibai::model::ProblemSource;

    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("丁"));
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    click(&mut h, "接待值班", 0);
    wait(&mut h, "读取接待记录", |h| {
        h.query_by_label("登记接待").is_some()
    });
    click(&mut h, "登记接待", 0);
    type_into(&mut h, "事项", 0, "小区东门路灯不亮");
    click(&mut h, "转入问题清单", 0);
    click(&mut h, "保存接待", 0);
    assert!(
        h.query_by_label_contains("已保存接待记录，并列入问题清单")
            .is_some()
    );
    {
        let l = h.state().vault().unwrap().ledger();
        let r = l.desk.receptions.last().expect("the reception is logged");
        assert_eq!(r.visitor, None, "anonymous");
        let p = l.problems.problem(r.problem.unwrap()).unwrap();
        assert_eq!(p.source, ProblemSource::Reception(r.id));
    }

    // A shift today for 王书记, then 签到.
    click(&mut h, "排班", 0);
    click(&mut h, "值班人", 0);
    // The popup's entry is the last 王书记 on screen (the reception list names him too).
    let last = h.query_all_by_label("王书记").count() - 1;
    click(&mut h, "王书记", last);
    click(&mut h, "加入排班", 0);
    let before = sample_ledger("丁").desk.shifts.len();
    let shifts = h.state().vault().unwrap().ledger().desk.shifts.clone();
    assert_eq!(shifts.len(), before + 1, "the shift is on the rota");
    // The header says 签到 too; the button is the second.
    click(&mut h, "签到", 1);
    let shift = h
        .state()
        .vault()
        .unwrap()
        .ledger()
        .desk
        .shifts
        .last()
        .unwrap()
        .clone();
    assert!(shift.signed_in.is_some());
    h.state_mut().lock(None);
    drop(h);
    let reopened = crate::fixtures::open(dir.path()).unwrap();
    assert_eq!(reopened.ledger().desk.shifts.last(), Some(&shift));
}

/// The text of every part of an .xlsx (a zip of XML files) whose name contains `part`.
pub(crate) fn xlsx_text(path: &Path, part: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().contains(part) {
            f.read_to_string(&mut out).unwrap();
        }
    }
    out
}

/// Clicks the button (not a label) with this text, e.g. an entry of an open picker.
pub(crate) fn click_button(h: &mut Harness<'static, SibaiApp>, label: &str) {
    use egui_kittest::kittest::By;
    let by = || By::new().label(label).role(egui::accesskit::Role::Button);
    h.query_all(by())
        .last()
        .unwrap_or_else(|| panic!("no button {label}"))
        .click_accesskit();
    h.step();
    h.step();
}

/// Replaces the text of a field: select all, then type.
pub(crate) fn retype(h: &mut Harness<'static, SibaiApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.key_press(egui::Key::Backspace);
    h.step();
    h.get_by_label(label).type_text(text);
    h.step();
}

#[test]
fn smart_lists_draw_save_export_and_open_from_home() {
    use chrono::Datelike;
    use sibai::model::{HouseholdId, Person, PersonId, TagAssignment, TagDimension};

    let today = chrono::Local::now().date_naive();
    let mut ledger = sample_ledger("戊");
    let template = ledger.households.households[0].clone();
    let person = |id: u32, name: &str, tags: &[(TagDimension, &str)]| Person {
        id: PersonId(id),
        name: name.into(),
        id_number: None,
        birth_date: None,
        phone: None,
        tags: tags
            .iter()
            .map(|(d, t)| TagAssignment {
                dimension: *d,
                name: (*t).into(),
                set_on: crate::fixtures::date(2025, 1, 1),
                set_by: "王书记".into(),
                ended: None,
            })
            .collect(),
        ..template.members[0].clone()
    };
    let mut old = person(10, "赵九旬", &[]);
    old.birth_date = today.with_day(1).and_then(|d| d.with_year(d.year() - 90));
    let mut leader = person(
        11,
        "钱楼长",
        &[
            (TagDimension::CommunityRole, "楼组长"),
            (TagDimension::Political, "中共党员"),
        ],
    );
    leader.phone = sibai::model::Phone::parse("13912345678").ok();
    leader.id_number = sibai::model::IdNumber::parse(&id_number("19700101", "003")).ok();
    let not_party = person(12, "孙楼长", &[(TagDimension::CommunityRole, "楼组长")]);
    for (i, (room, p)) in [("102", old), ("201", leader), ("202", not_party)]
        .into_iter()
        .enumerate()
    {
        let mut hh = template.clone();
        hh.id = HouseholdId(10 + i as u32);
        hh.room = room.into();
        hh.members = vec![p];
        ledger.households.households.push(hh);
    }
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());

    // 居民户 → 智能名单 opens the first standard list: this month's 90th birthday is on it.
    click(&mut h, "居民户", 0);
    click(&mut h, "智能名单", 0);
    assert!(h.query_by_label_contains("赵九旬").is_some());
    assert!(h.query_by_label_contains("满90岁").is_some());
    assert!(h.query_by_label("钱楼长").is_none());

    // A new list: 楼组长 and 中共党员 both.
    click(&mut h, "新建名单", 0);
    click(&mut h, "都要有的标签", 0);
    click_button(&mut h, "楼组长");
    assert!(h.query_by_label("孙楼长").is_some(), "every 楼组长 so far");
    assert!(h.query_by_label("张戊").is_none(), "not a 楼组长");
    click(&mut h, "都要有的标签", 0);
    click_button(&mut h, "中共党员");
    assert!(h.query_by_label("钱楼长").is_some());
    assert!(h.query_by_label("孙楼长").is_none(), "not a party member");
    assert!(h.query_by_label_contains("共 1 人").is_some());
    // A bad number is explained, in Chinese, and the list keeps its last good rows.
    type_into(&mut h, "年龄从", 0, "六十");
    assert!(h.query_by_label_contains("最小年龄应是").is_some());
    retype(&mut h, "年龄从", "");
    type_into(&mut h, "名单名称", 0, "党员楼组长");
    click(&mut h, "保存为本会名单", 0);
    assert!(h.query_by_label("党员楼组长（1）").is_some());
    let saved = h.state().vault().unwrap().ledger().committee.lists.clone();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].query.all_tags.len(), 2);

    // Export: phones masked and no ID numbers unless asked for.
    let masked = dir.path().join("masked.xlsx");
    click(&mut h, "导出 Excel", 0);
    retype(&mut h, "导出到", masked.to_str().unwrap());
    click(&mut h, "导出", 0);
    wait(&mut h, "导出", |h| {
        h.query_by_label("正在导出……").is_none()
    });
    assert!(h.query_by_label_contains("已导出到").is_some());
    let sheet = xlsx_text(&masked, "sharedStrings");
    assert!(
        sheet.contains("钱楼长") && sheet.contains("139****5678"),
        "{sheet}"
    );
    assert!(!sheet.contains("13912345678") && !sheet.contains("身份证号"));
    click(&mut h, "打印和导出时包含完整身份证号和电话", 0);
    let full = dir.path().join("full.xlsx");
    click(&mut h, "导出 Excel", 0);
    retype(&mut h, "导出到", full.to_str().unwrap());
    click(&mut h, "导出", 0);
    wait(&mut h, "导出", |h| {
        h.query_by_label("正在导出……").is_none()
    });
    let sheet = xlsx_text(&full, "sharedStrings");
    assert!(sheet.contains("13912345678") && sheet.contains("身份证号"));
    // The box is for one export: it is clear again afterwards. Exporting over an existing
    // file says so on the button.
    click(&mut h, "导出 Excel", 0);
    retype(&mut h, "导出到", full.to_str().unwrap());
    click(&mut h, "覆盖同名文件并导出", 0);
    wait(&mut h, "导出", |h| {
        h.query_by_label("正在导出……").is_none()
    });
    assert!(!xlsx_text(&full, "sharedStrings").contains("13912345678"));
    // A folder that does not exist: a message, no file.
    click(&mut h, "导出 Excel", 0);
    retype(
        &mut h,
        "导出到",
        dir.path().join("无此文件夹/x.xlsx").to_str().unwrap(),
    );
    click(&mut h, "导出", 0);
    wait(&mut h, "导出", |h| {
        h.query_by_label("正在导出……").is_none()
    });
    assert!(h.query_by_label_contains("文件夹不存在").is_some());

    // 首页 counts the lists; a click opens one.
    click(&mut h, "首页", 0);
    click(&mut h, "党员楼组长：1 人", 0);
    assert!(h.query_by_label("钱楼长").is_some());
    // A row opens the household; ← 返回列表 comes back to the list.
    click(&mut h, "钱楼长", 0);
    assert!(h.query_by_label("编辑").is_some());
    click(&mut h, "← 返回列表", 0);
    assert!(h.query_by_label("钱楼长").is_some());
    assert!(h.query_by_label("删除名单").is_some());

    // Deleted, then undone.
    click(&mut h, "删除名单", 0);
    click(&mut h, "确定删除", 0);
    assert!(
        h.state()
            .vault()
            .unwrap()
            .ledger()
            .committee
            .lists
            .is_empty()
    );
    click(&mut h, "撤销", 0);
    assert_eq!(h.state().vault().unwrap().ledger().committee.lists, saved);

    // Kept on disk.
    h.state_mut().lock(None);
    drop(h);
    let reopened = crate::fixtures::open(dir.path()).unwrap();
    assert_eq!(reopened.ledger().committee.lists, saved);
}

#[test]
fn visit_intervals_are_set_per_tag_in_settings() {
    use sibai::model::TagDimension;

    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("己"));
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    click(&mut h, "设置", 0);
    // The backups' size is shown (the saves that made this vault left some).
    assert!(h.query_by_label_contains("个备份文件，共").is_some());
    // The standard three, 30 days each.
    assert!(h.query_by_label("独居老人").is_some());
    retype(&mut h, "独居老人", "七");
    click(&mut h, "保存走访周期", 0);
    assert!(h.query_by_label_contains("1 到 365 之间的天数").is_some());
    retype(&mut h, "独居老人", "7");
    click(&mut h, "添加重点户标签", 0);
    click_button(&mut h, "高龄老人");
    retype(&mut h, "高龄老人", "60");
    click(&mut h, "保存走访周期", 0);
    let intervals = h
        .state()
        .vault()
        .unwrap()
        .ledger()
        .committee
        .visit_intervals
        .clone();
    let days = |tag: &str| intervals.iter().find(|i| i.tag == tag).map(|i| i.days);
    assert_eq!(days("独居老人"), Some(7));
    assert_eq!(days("高龄老人"), Some(60));
    assert_eq!(days("困难家庭"), Some(30));
    assert!(
        intervals
            .iter()
            .any(|i| i.dimension == TagDimension::ResidentType && i.tag == "高龄老人")
    );
    // Undone like any edit.
    click(&mut h, "撤销", 0);
    let back = &h
        .state()
        .vault()
        .unwrap()
        .ledger()
        .committee
        .visit_intervals;
    assert_eq!(*back, sibai::model::default_intervals());
    click(&mut h, "重做", 0);
    h.state_mut().lock(None);
    drop(h);
    let reopened = crate::fixtures::open(dir.path()).unwrap();
    assert_eq!(reopened.ledger().committee.visit_intervals, intervals);
}

/// The ledger the app has open.
pub(crate) fn open_ledger<'h>(h: &'h Harness<'static, SibaiApp>) -> &'h sibai::model::Ledger {
    h.state().vault().expect("unlocked").ledger()
}

/// Whether the `nth` widget labelled `label` is disabled.
pub(crate) fn disabled(h: &Harness<'static, SibaiApp>, label: &str, nth: usize) -> bool {
    use egui_kittest::kittest::NodeT;
    h.query_all_by_label(label)
        .nth(nth)
        .unwrap_or_else(|| panic!("nothing labelled {label} #{nth}"))
        .accesskit_node()
        .is_disabled()
}

#[test]
fn receptions_are_answered_later_shifts_follow_their_day_and_sign_in_is_ones_own() {
    use chrono::{Datelike, Duration as Days, NaiveTime};
    use sibai::model::{DutyShift, Reception, ReceptionId, Role, ShiftKind, Worker, WorkerId};

    let today = chrono::Local::now().date_naive();
    let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let mut ledger = sample_ledger("戊");
    // 李主任 here is an ordinary worker (no 书记 or 主任 role): he signs in only for himself.
    ledger.committee.workers.push(Worker {
        id: WorkerId(2),
        name: "李主任".into(),
        roles: vec![Role::SocialWorker],
        phone: None,
        signs_notices: false,
        since: crate::fixtures::date(2020, 1, 1),
        left_on: None,
    });
    ledger.desk.receptions.push(Reception {
        id: ReceptionId(2),
        at: crate::fixtures::date(2026, 3, 9).and_time(at(10, 5)),
        channel: sibai::model::Channel::Phone,
        visitor: None,
        visitor_phone: None,
        matter: "楼道堆物".into(),
        received_by: WorkerId(2),
        answer: String::new(),
        confirmed: false,
        problem: None,
    });
    let shift = |on, worker, signed: Option<NaiveTime>| DutyShift {
        on,
        start: at(17, 0),
        end: at(20, 0),
        kind: ShiftKind::Evening,
        worker: WorkerId(worker),
        signed_in: signed.map(|t| on.and_time(t)),
        note: String::new(),
    };
    let yesterday = today - Days::days(1);
    ledger
        .desk
        .shifts
        .push(shift(yesterday, 2, Some(at(17, 40))));
    ledger.desk.shifts.push(shift(today, 1, None));
    ledger.desk.shifts.push(shift(today, 2, None));
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    // Unlock as 李主任.
    click(&mut h, "成员", 0);
    click_button(&mut h, "李主任");
    unlock(&mut h, "second one");
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    click(&mut h, "接待值班", 0);
    wait(&mut h, "读取接待记录", |h| {
        h.query_by_label("登记接待").is_some()
    });

    // Dates carry the year; an unanswered reception says so.
    assert!(h.query_by_label("2026-03-09 10:05").is_some());
    assert!(h.query_by_label_contains("未答复").is_some());
    assert!(h.query_by_label_contains("楼道堆物").is_some());
    // Opened, it takes the answer and the confirmation; confirming nothing is refused.
    click(&mut h, "2026-03-09 10:05", 0);
    assert!(h.query_by_label("事项：楼道堆物").is_some());
    click(&mut h, "居民已确认答复", 0);
    click(&mut h, "保存答复", 0);
    assert!(h.query_by_label_contains("请先填写给居民的答复").is_some());
    type_into(&mut h, "答复", 0, "已通知物业周五前清理");
    click(&mut h, "保存答复", 0);
    {
        let l = open_ledger(&h);
        let r = l
            .desk
            .receptions
            .iter()
            .find(|r| r.id == ReceptionId(2))
            .unwrap();
        assert_eq!(r.answer, "已通知物业周五前清理");
        assert!(r.confirmed);
        assert_eq!(r.matter, "楼道堆物", "the matter stays as logged");
    }
    assert!(
        h.query_by_label("事项：楼道堆物").is_none(),
        "the form closed"
    );

    // Yesterday's sign-in was 40 minutes late: marked.
    assert!(h.query_by_label("17:40 签到，迟到 40 分钟").is_some());
    // Today: 王书记's shift cannot be signed in by 李主任; his own can. (The header is #0.)
    assert!(disabled(&h, "签到", 1), "another worker's shift");
    assert!(!disabled(&h, "签到", 2), "his own shift");
    click(&mut h, "签到", 2);
    let signed = open_ledger(&h).desk.shifts[3].signed_in;
    assert!(signed.is_some());

    // A new shift on a Saturday: 双休日, in the morning, without choosing it.
    let mut saturday = today + Days::days(1);
    while saturday.weekday() != chrono::Weekday::Sat {
        saturday += Days::days(1);
    }
    click(&mut h, "排班", 0);
    {
        use egui_kittest::kittest::By;
        let field = || {
            By::new()
                .label("日期")
                .role(egui::accesskit::Role::TextInput)
        };
        h.get(field()).focus();
        h.step();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.step();
        h.key_press(egui::Key::Backspace);
        h.step();
        h.get(field())
            .type_text(&saturday.format("%Y-%m-%d").to_string());
        h.step();
    }
    click(&mut h, "值班人", 0);
    click_button(&mut h, "李主任");
    click(&mut h, "加入排班", 0);
    let added = open_ledger(&h)
        .desk
        .shifts
        .iter()
        .find(|s| s.on == saturday)
        .cloned()
        .expect("the Saturday shift");
    assert_eq!(added.kind, ShiftKind::Weekend);
    assert_eq!(added.start, at(9, 0));
}

/// Whether the `nth` widget labelled `label` (a radio button or checkbox) is ticked.
pub(crate) fn ticked(h: &Harness<'static, SibaiApp>, label: &str, nth: usize) -> bool {
    use egui_kittest::kittest::NodeT;
    h.query_all_by_label(label)
        .nth(nth)
        .unwrap_or_else(|| panic!("nothing labelled {label} #{nth}"))
        .accesskit_node()
        .toggled()
        == Some(egui::accesskit::Toggled::True)
}

#[test]
fn households_name_the_member_found_show_moving_in_fill_sex_and_start_special_visits() {
    use sibai::model::PersonId;
    let mut ledger = sample_ledger("庚");
    let mut spouse = ledger.households.households[0].members[0].clone();
    spouse.id = PersonId(2);
    spouse.name = "刘晓梅".into();
    spouse.relation = "配偶".into();
    spouse.tags.clear();
    spouse.id_number = None;
    spouse.phone = None;
    spouse.moved_in = Some(crate::fixtures::date(2012, 6, 18));
    ledger.households.households[0].members.push(spouse);
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    click(&mut h, "居民户", 0);

    // Found through the spouse: the row says so.
    type_into(&mut h, "搜索", 0, "刘晓梅");
    h.step();
    assert!(h.query_by_label("张庚（配偶 刘晓梅）").is_some());
    // Found through the head: just the head.
    retype(&mut h, "搜索", "张庚");
    h.step();
    assert!(h.query_by_label("张庚").is_some());
    assert!(h.query_by_label("张庚（配偶 刘晓梅）").is_none());

    // The household page: each member's 迁入日期.
    click(&mut h, "张庚", 0);
    assert!(h.query_by_label("2000年1月1日").is_some());
    assert!(h.query_by_label("2012年6月18日").is_some());

    // A visit to a household with 独居老人 starts as 特殊对象走访.
    click(&mut h, "登记走访", 0);
    assert!(ticked(&h, "特殊对象走访", 0));
    assert!(!ticked(&h, "一般走访", 0));

    // A new household: a valid ID number fills 性别.
    click(&mut h, "居民户", 0);
    click(&mut h, "← 返回列表", 0);
    click(&mut h, "新增居民户", 0);
    assert!(ticked(&h, "未填", 0));
    type_into(&mut h, "身份证号", 0, &id_number("19500307", "001"));
    h.step();
    assert!(ticked(&h, "男", 0), "sex from the ID number");

    // 百事汇 is not in the ledger, and the app does not say it is.
    click(&mut h, "取消", 0);
    click(&mut h, "百事汇", 0);
    assert!(h.query_by_label_contains("不在加密台账里").is_some());
    assert!(h.query_by_label_contains("保存在加密台账中").is_none());
}

#[test]
fn home_rows_open_what_they_count_with_todays_duty_and_my_block() {
    use chrono::NaiveTime;
    use sibai::model::{DutyShift, ShiftKind, WorkerId};
    let today = chrono::Local::now().date_naive();
    let mut ledger = sample_ledger("辛");
    ledger.desk.shifts.push(DutyShift {
        on: today,
        start: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
        kind: ShiftKind::Evening,
        worker: WorkerId(1),
        signed_in: None,
        note: String::new(),
    });
    let address = ledger
        .households
        .address_of(&ledger.households.households[0]);
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    wait(&mut h, "读取往年记录", |h| {
        h.state().vault().unwrap().unloaded().is_empty()
    });
    h.step();

    // Today's duty and 我的包干 (王书记 holds building 1, its 独居老人 last visited in March).
    assert!(
        h.query_by_label("王书记　17:00–20:00（工作日晚间）　未签到")
            .is_some()
    );
    assert!(h.query_by_label("我的包干").is_some());
    assert!(
        h.query_by_label_contains("包干 1 户，今年已走访 1 户")
            .is_some()
    );
    // The overdue household is listed twice (mine and everyone's); a click opens it.
    assert_eq!(h.query_all_by_label(&address).count(), 2);
    click(&mut h, &address, 0);
    assert!(
        h.query_by_label("← 返回列表").is_some(),
        "the household opened"
    );

    // A worker's row opens their visits of this month.
    click(&mut h, "首页", 0);
    click(&mut h, "王书记", 0);
    assert!(h.query_by_label("登记走访").is_some(), "走访 is open");
    assert!(h.query_by_label("← 返回列表").is_none());
    // The ledger's one visit was in March: this month, filtered to 王书记, there are none.
    assert!(
        h.query_by_label("共 0 次走访").is_some(),
        "filtered to the worker and this month"
    );
}

#[test]
fn a_dropdown_shows_every_choice_and_takes_a_pointer_click_on_the_last() {
    use egui_kittest::kittest::{By, NodeT};
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("己"));
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    click(&mut h, "居民户", 0);
    click(&mut h, "新增居民户", 0);
    // 与户主关系's list of nine common relations (the combo shows 常用).
    h.get(By::new().value("常用")).click();
    h.step();
    h.step();
    // A pointer click where the last entry is, without scrolling to it first: with egui's
    // default 200-point popup it was scrolled out of reach and the click missed.
    h.query_all_by_label("其他").last().unwrap().click();
    h.step();
    h.step();
    let value = h
        .get_by_label("与户主关系")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert_eq!(value, "其他");
}

#[test]
fn lists_and_households_sort_by_a_column_lists_filter_by_worker_and_take_their_name() {
    use egui_kittest::kittest::NodeT;
    use sibai::model::{
        Assignment, Building, BuildingId, HouseholdId, PersonId, Role, Worker, WorkerId,
    };
    let mut ledger = sample_ledger("壬");
    ledger.households.buildings.push(Building {
        id: BuildingId(2),
        number: "2号".into(),
        ..ledger.households.buildings[0].clone()
    });
    // A younger resident in building 2, held by 李社工.
    let mut hh = ledger.households.households[0].clone();
    hh.id = HouseholdId(20);
    hh.building = BuildingId(2);
    let mut young = hh.members[0].clone();
    young.id = PersonId(20);
    young.name = "周二号".into();
    young.id_number = None;
    young.birth_date = Some(crate::fixtures::date(1990, 1, 1));
    hh.members = vec![young];
    ledger.households.households.push(hh);
    ledger.committee.workers.push(Worker {
        id: WorkerId(2),
        name: "李社工".into(),
        roles: vec![Role::SocialWorker],
        phone: None,
        signs_notices: false,
        since: crate::fixtures::date(2020, 1, 1),
        left_on: None,
    });
    ledger.committee.assignments.push(Assignment {
        worker: WorkerId(2),
        buildings: vec![BuildingId(2)],
        households: vec![],
        since: crate::fixtures::date(2024, 1, 1),
    });
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), ledger);
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    click(&mut h, "居民户", 0);
    click(&mut h, "智能名单", 0);
    click(&mut h, "新建名单", 0);
    assert!(h.query_by_label("张壬").is_some() && h.query_by_label("周二号").is_some());

    // Sorted by age, youngest first, then the other way.
    let above = |h: &Harness<'static, SibaiApp>, a: &str, b: &str| {
        h.get_by_label(a).rect().top() < h.get_by_label(b).rect().top()
    };
    assert!(
        above(&h, "张壬", "周二号"),
        "address order: building 1 first"
    );
    // The header (the conditions have a 年龄 row too).
    let header = h.query_all_by_label("年龄").count() - 1;
    click(&mut h, "年龄", header);
    assert!(above(&h, "周二号", "张壬"), "youngest first");
    assert!(h.query_by_label("年龄 ▲").is_some());
    click(&mut h, "年龄 ▲", 0);
    assert!(above(&h, "张壬", "周二号"), "oldest first");
    assert!(h.query_by_label("年龄 ▼").is_some());

    // 包干社工: only 李社工's building; the list is named after its conditions.
    click(&mut h, "包干社工", 0);
    click_button(&mut h, "李社工");
    assert!(h.query_by_label("周二号").is_some());
    assert!(h.query_by_label("张壬").is_none());
    click(&mut h, "导出 Excel", 0);
    let path = h
        .get_by_label("导出到")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(path.contains("李社工包干-"), "{path}");

    // 居民户's table sorts too: by 户主 (周 before 张 in Unicode order), then reversed.
    click(&mut h, "全部居民户", 0);
    assert!(above(&h, "张壬", "周二号"), "address order");
    click(&mut h, "户主", 0);
    assert!(above(&h, "周二号", "张壬"), "by head");
    click(&mut h, "户主 ▲", 0);
    assert!(above(&h, "张壬", "周二号"), "by head, reversed");
}

#[test]
fn a_damaged_ledger_is_restored_from_the_unlock_screen_then_unlocks() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("一"));
    vault.replace_ledger(sample_ledger("二"));
    vault.save().unwrap();
    let second = vault.ledger().clone();
    vault.replace_ledger(sample_ledger("三"));
    vault.save().unwrap();
    drop(vault);
    // The problems file of the last save, read at open, is cut short.
    let path = crate::fixtures::live_file(dir.path(), "problems");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();

    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "损坏提示", |h| {
        h.query_by_label_contains("已损坏").is_some()
    });
    assert!(!h.state().is_unlocked());
    // The message names the button, and the button is there.
    assert!(h.query_by_label_contains("从备份恢复”").is_some());
    h.get_by_label("从备份恢复").click();
    wait(&mut h, "检查各次保存", |h| {
        h.query_by_label_contains("（建议）").is_some()
    });
    assert!(h.query_by_label_contains("不能用").is_some());
    assert!(h.query_by_label("第 4 次保存").is_some());
    // Each file's versions, when asked.
    h.get_by_label("各文件的版本").click();
    h.step();
    h.step();
    assert!(h.query_by_label_contains("损坏：").is_some());
    h.get_by_label("恢复到所选的保存").click();
    wait(&mut h, "恢复完成", |h| {
        h.query_by_label_contains("已恢复到第 3 次保存").is_some()
    });
    assert!(h.query_by_label_contains("没有删除任何文件").is_some());
    h.get_by_label("返回解锁").click();
    wait(&mut h, "解锁界面", |h| {
        h.query_by_label("密码").is_some()
    });
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    let opened = h.state().vault().unwrap().ledger().clone();
    assert!(
        opened.problems == second.problems,
        "the second save's problems"
    );
    assert!(opened.committee == second.committee);
    drop(h);
    assert!(dir.path().join("replaced").is_dir());
}

#[test]
fn an_older_copy_than_this_pc_has_seen_is_said_and_restored_forward_from_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = make_vault(dir.path(), sample_ledger("一"));
    let mut fourth = None;
    for s in ["二", "三", "四"] {
        vault.replace_ledger(sample_ledger(s));
        vault.save().unwrap();
        if s == "三" {
            fourth = Some(vault.ledger().clone());
        }
    }
    let key = vault.key();
    drop(vault);
    // Saves 1–5; the manifest of save 3 put back with exactly its own files.
    crate::fixtures::put_back_save(dir.path(), &key, 3);

    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    assert!(h.query_by_label_contains("旧的副本").is_some());
    h.get_by_label("从备份恢复").click();
    wait(&mut h, "检查各次保存", |h| {
        h.query_by_label_contains("（建议）").is_some()
    });
    h.get_by_label("恢复到所选的保存").click();
    wait(&mut h, "恢复完成", |h| {
        h.query_by_label_contains("已恢复到第 4 次保存").is_some()
    });
    h.get_by_label("返回解锁").click();
    wait(&mut h, "解锁界面", |h| {
        h.query_by_label("密码").is_some()
    });
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    assert!(h.query_by_label_contains("旧的副本").is_none());
    let ledger = h.state().vault().unwrap().ledger().clone();
    let fourth = fourth.unwrap();
    assert!(ledger.committee == fourth.committee && ledger.problems == fourth.problems);
    assert!(ledger.households == fourth.households);
}

#[test]
fn backup_to_a_usb_stick_from_settings_and_the_home_reminder() {
    let dir = tempfile::tempdir().unwrap();
    make_vault(dir.path(), sample_ledger("庚"));
    let usb = tempfile::tempdir().unwrap();
    let mut h = app(dir.path());
    h.step();
    unlock(&mut h, PASS);
    wait(&mut h, "解锁", |h| h.state().is_unlocked());
    // Never backed up: 首页 says so.
    assert!(h.query_by_label_contains("还没有备份到U盘过").is_some());
    h.get_by_label("设置").click();
    h.step();
    let field = h.get_by_label("U盘文件夹");
    field.focus();
    field.type_text(usb.path().to_str().unwrap());
    h.step();
    h.get_by_label("备份到U盘").click();
    wait(&mut h, "备份完成", |h| {
        h.query_by_label_contains("已读回核对无误").is_some()
    });
    h.step();
    assert!(h.state().vault().unwrap().last_archive().is_some());
    let written: Vec<_> = std::fs::read_dir(usb.path()).unwrap().flatten().collect();
    assert_eq!(written.len(), 1);
    assert!(
        written[0]
            .file_name()
            .to_string_lossy()
            .starts_with("四百备份-测试居委会-")
    );
    h.get_by_label("首页").click();
    h.step();
    assert!(
        h.query_by_label_contains("备份到U盘").is_none(),
        "no reminder right after"
    );
}
