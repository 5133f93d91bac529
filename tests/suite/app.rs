//! The desktop app driven headless with egui_kittest, by label: unlock with a wrong then the
//! right passphrase, find a household (masked until 显示), the idle lock and unlock again.
//! The harness fails on any glyph missing from the fonts, so these also prove the Chinese
//! renders with the CJK font found on the system (`.ci/run` installs fonts-noto-cjk).

use crate::fixtures::{PASS, make_vault, sample_ledger};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sibai::gui::SibaiApp;
use sibai::store::VaultOptions;
use std::path::Path;
use std::time::{Duration, Instant};

fn app(dir: &Path) -> Harness<'static, SibaiApp> {
    let dir = dir.to_path_buf();
    Harness::builder()
        .with_size([1280.0, 820.0])
        .build_eframe(move |cc| SibaiApp::new(cc, &dir, VaultOptions::for_tests()))
}

/// Steps the app until `done` holds (background threads report through repaints).
fn wait(
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

fn unlock(h: &mut Harness<'static, SibaiApp>, passphrase: &str) {
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
fn a_folder_without_a_ledger_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path());
    h.step();
    assert!(h.query_by_label_contains("还没有台账").is_some());
    assert!(h.query_by_label("解锁").is_none());
}
