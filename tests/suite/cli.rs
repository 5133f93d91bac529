//! The command line, run as a user would: the binary, with passphrases from the environment.

use crate::fixtures::{sibai, text};
use std::path::Path;
use std::process::Command;

#[test]
fn check_on_the_repository_demo_committee() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let out = sibai(
        &["check", data.to_str().unwrap()],
        &[("SIBAI_PASSPHRASE", "demo")],
    );
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("示例居委会"), "{t}");
    assert!(t.contains("在住居民户"), "{t}");
    assert!(t.contains("错误 0 条") || t.contains("没有发现问题"), "{t}");
    let wrong = sibai(
        &["check", data.to_str().unwrap()],
        &[("SIBAI_PASSPHRASE", "not demo")],
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(text(&wrong).contains("密码不对"));
}

#[test]
fn check_accepts_the_committee_folder_as_the_app_does() {
    // The repository root is a committee folder: the ledger is its data/.
    let root = env!("CARGO_MANIFEST_DIR");
    let out = sibai(&["check", root], &[("SIBAI_PASSPHRASE", "demo")]);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("示例居委会"), "{t}");
    let members = sibai(&["members", "list", root], &[]);
    assert!(text(&members).contains("王慧敏"), "{}", text(&members));
}

/// The figure `sibai publish --phases` printed for a phase, in ms.
fn phase_ms(output: &str, name: &str) -> f64 {
    let line = output
        .lines()
        .find(|l| l.trim_start().starts_with(name))
        .unwrap_or_else(|| panic!("no phase {name} in:\n{output}"));
    let (_, figure) = line.split_once('：').unwrap();
    figure.trim_end_matches(" ms").parse().unwrap()
}

#[test]
fn the_demo_committee_publishes_with_zero_hits() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let publish = || {
        sibai(
            &[
                "publish",
                repo.to_str().unwrap(),
                "--out",
                out.path().to_str().unwrap(),
                "--today",
                "2026-11-23",
                "--phases",
            ],
            &[("SIBAI_PASSPHRASE", "demo")],
        )
    };
    let run = publish();
    let t = text(&run);
    assert!(run.status.success(), "{t}");
    assert!(t.contains("未发现个人信息"), "{t}");
    for page in [
        "index.html",
        "funds/index.html",
        "guide/index.html",
        "about.html",
    ] {
        assert!(out.path().join(page).is_file(), "{page} missing");
    }
    // Where the time went: the key derivation apart, every page rendered and checked.
    assert!(phase_ms(&t, "解锁") > 0.0, "{t}");
    assert!(phase_ms(&t, "读取台账") > 0.0, "{t}");
    assert!(phase_ms(&t, "其中生成") > 0.0, "{t}");
    assert!(phase_ms(&t, "其中隐私检查") > 0.0, "{t}");
    assert!(t.contains("峰值内存"), "{t}");
    // The content was read while the key was being derived.
    assert!(phase_ms(&t, "同时") > 0.0, "{t}");
    // Again, unchanged: nothing rendered, nothing checked, nothing written.
    let again = publish();
    let t = text(&again);
    assert!(again.status.success(), "{t}");
    assert!(t.contains("写入 0 个文件"), "{t}");
    assert!(phase_ms(&t, "其中生成").abs() < f64::EPSILON, "{t}");
    assert!(phase_ms(&t, "其中隐私检查").abs() < f64::EPSILON, "{t}");
}

#[test]
fn init_members_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("委员会");
    let ds = d.to_str().unwrap();
    let out = sibai(
        &["init", ds, "--committee", "新居委会", "--member", "孙书记"],
        &[("SIBAI_PASSPHRASE", "first pass")],
    );
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("恢复密码"), "{t}");
    let recovery = t
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 35 && l.matches('-').count() == 5)
        .unwrap()
        .to_owned();
    let again = sibai(
        &["init", ds, "--committee", "x", "--member", "y"],
        &[("SIBAI_PASSPHRASE", "first pass")],
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("已经有台账"));

    let add = sibai(
        &["members", "add", "钱社工", ds],
        &[
            ("SIBAI_PASSPHRASE", "first pass"),
            ("SIBAI_NEW_PASSPHRASE", "qian pass"),
        ],
    );
    assert!(add.status.success(), "{}", text(&add));
    let list = sibai(&["members", "list", ds], &[]);
    assert!(text(&list).contains("钱社工（社工）"));
    let as_qian = sibai(
        &["check", ds, "--member", "钱社工"],
        &[("SIBAI_PASSPHRASE", "qian pass")],
    );
    assert!(as_qian.status.success(), "{}", text(&as_qian));
    let unknown = sibai(
        &["check", ds, "--member", "无名氏"],
        &[("SIBAI_PASSPHRASE", "qian pass")],
    );
    assert!(text(&unknown).contains("成员中没有“无名氏”"));

    let reset = sibai(
        &["members", "passwd", "孙书记", "--recovery", ds],
        &[
            ("SIBAI_RECOVERY", &recovery),
            ("SIBAI_NEW_PASSPHRASE", "after reset"),
        ],
    );
    assert!(reset.status.success(), "{}", text(&reset));
    assert!(
        sibai(&["check", ds], &[("SIBAI_PASSPHRASE", "after reset")])
            .status
            .success()
    );

    let remove = sibai(
        &["members", "remove", "钱社工", ds],
        &[("SIBAI_PASSPHRASE", "after reset")],
    );
    assert!(remove.status.success(), "{}", text(&remove));
    let gone = sibai(
        &["check", ds, "--member", "钱社工"],
        &[("SIBAI_PASSPHRASE", "qian pass")],
    );
    assert!(!gone.status.success());

    let listing = sibai(&["restore", ds], &[("SIBAI_PASSPHRASE", "after reset")]);
    assert!(listing.status.success(), "{}", text(&listing));
    assert!(
        text(&listing).contains("各文件的版本"),
        "{}",
        text(&listing)
    );
    assert!(
        text(&listing).contains("当前台账完好，不需要恢复"),
        "{}",
        text(&listing)
    );
}

#[test]
fn without_a_display_the_app_says_so_in_chinese() {
    let out = Command::new(env!("CARGO_BIN_EXE_sibai"))
        .args(["gui", "."])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("无法打开窗口"), "{}", text(&out));
}
