//! Renders every panel of the app on the demo committee (`data/`, passphrase `demo`) into
//! `docs/screenshots/`, driving the real app by label with egui_kittest and rendering with wgpu
//! (on Linux without a GPU: Debian's `mesa-vulkan-drivers`). Run from the repository root:
//! `cargo run --release -p sibai-screenshots --features render`.
//! The demo vault is copied to a temporary folder first, so nothing in `data/` changes.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use sibai::gui::SibaiApp;
use sibai::store::VaultOptions;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type App = Harness<'static, SibaiApp>;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn settle(h: &mut App) {
    for _ in 0..6 {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether this build can render (the `render` feature, which builds wgpu).
const RENDER: bool = cfg!(feature = "render");

fn shot(h: &mut App, out: &Path, name: &str) {
    settle(h);
    let path = out.join(format!("{name}.png"));
    save(h, &path);
    println!("{}", path.display());
}

#[cfg(feature = "render")]
fn save(h: &mut App, path: &Path) {
    let image = h.render().expect("render (install mesa-vulkan-drivers)");
    image.save(path).unwrap();
}

#[cfg(not(feature = "render"))]
fn save(_: &mut App, _: &Path) {
    unreachable!("main stops first without the render feature")
}

fn click(h: &mut App, label: &str) {
    h.query_all_by_label(label)
        .next()
        .unwrap_or_else(|| panic!("nothing labelled {label}"))
        .click();
    settle(h);
}

fn main() {
    if !RENDER {
        eprintln!("截图需要 wgpu：cargo run --release -p sibai-screenshots --features render");
        std::process::exit(2);
    }
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let out = root.join("docs/screenshots");
    std::fs::create_dir_all(&out).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let vault = tmp.path().join("data");
    copy_dir(&root.join("data"), &vault);
    std::fs::remove_file(vault.join(".lock")).ok();

    {
        // The first-run wizard, in an empty folder.
        let empty = tmp.path().join("empty");
        let mut w: App = Harness::builder()
            .with_size([1280.0, 820.0])
            .build_eframe(move |cc| SibaiApp::new(cc, &empty, VaultOptions::default()));
        settle(&mut w);
        let field = w.get_by_label("居委会名称");
        field.focus();
        field.type_text("樱园居委会");
        settle(&mut w);
        shot(&mut w, &out, "00-setup");
        for (label, text) in [
            ("姓名", "王书记"),
            ("密码", "yingyuan 2026"),
            ("再输一次", "yingyuan 2026"),
        ] {
            let field = w.get_by_label(label);
            field.focus();
            field.type_text(text);
            settle(&mut w);
        }
        click(&mut w, "创建台账");
        let started = Instant::now();
        while w.query_by_label("恢复密码（只显示这一次）").is_none()
            && started.elapsed() < Duration::from_secs(60)
        {
            settle(&mut w);
        }
        shot(&mut w, &out, "00a-recovery");
    }

    let mut h: App = Harness::builder()
        .with_size([1280.0, 820.0])
        .build_eframe(move |cc| SibaiApp::new(cc, &vault, VaultOptions::default()));
    settle(&mut h);
    shot(&mut h, &out, "01-unlock");

    let field = h.get_by_label("密码");
    field.focus();
    field.type_text("demo");
    settle(&mut h);
    click(&mut h, "解锁");
    let started = Instant::now();
    while !h.state().is_unlocked() && started.elapsed() < Duration::from_secs(60) {
        settle(&mut h);
    }
    assert!(h.state().is_unlocked(), "the demo passphrase unlocks");
    // Let the earlier years load.
    std::thread::sleep(Duration::from_millis(500));
    shot(&mut h, &out, "02-home");

    click(&mut h, "居民户");
    shot(&mut h, &out, "03-households");
    click(&mut h, "智能名单");
    shot(&mut h, &out, "03a-lists");
    click(&mut h, "全部居民户");
    // The import wizard's preview of a committee's own sheet, with the traps it catches.
    let sheet = tmp.path().join("居民信息.csv");
    std::fs::write(
        &sheet,
        "樱园新村居民信息表\n姓名,公民身份号码,性别,年龄,门牌,联系电话,政治面貌,是否独居\n\
         王芳,11010519500101008X,女,76,樱园新村3号501室,13912345678,党员,是\n\
         赵强,110105197501010018,女,30,,,群众,\n\
         钱多,1.10105E+17,,,樱园新村3号601室,,,\n\
         周小,,男,,樱园新村4号101室,,,\n\
         吴用,,,,樱园新村3号503室,12345,,\n\
         合计：4户,,,,,,,\n",
    )
    .unwrap();
    click(&mut h, "从 Excel 导入");
    let field = h.query_all_by_label("表格文件").next().unwrap();
    field.focus();
    field.type_text(&sheet.display().to_string());
    settle(&mut h);
    click(&mut h, "读取");
    let started = Instant::now();
    while h.query_all_by_label_contains("确认导入").next().is_none()
        && started.elapsed() < Duration::from_secs(20)
    {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    settle(&mut h);
    shot(&mut h, &out, "03b-import");
    click(&mut h, "← 返回居民户");
    {
        // The first household in the list.
        let row = h
            .query_all_by_label_contains("室")
            .nth(1)
            .expect("a household row");
        row.click();
    }
    shot(&mut h, &out, "04-household");
    click(&mut h, "编辑");
    shot(&mut h, &out, "05-household-form");
    click(&mut h, "取消");

    click(&mut h, "走访");
    shot(&mut h, &out, "06-visits");
    click(&mut h, "登记走访");
    let field = h.query_all_by_label("居民户").nth(1).unwrap();
    field.focus();
    field.type_text("1-101");
    settle(&mut h);
    shot(&mut h, &out, "07-visit-form");
    click(&mut h, "取消");
    click(&mut h, "活地图");
    shot(&mut h, &out, "07a-map");
    click(&mut h, "包干分工");
    shot(&mut h, &out, "07b-assignments");
    click(&mut h, "走访记录");

    click(&mut h, "接待值班");
    shot(&mut h, &out, "08-desk");

    click(&mut h, "问题清单");
    shot(&mut h, &out, "09-problems");
    h.query_all_by_label_contains("【突出】")
        .next()
        .expect("a prominent problem")
        .click();
    settle(&mut h);
    click(&mut h, "记录下一步");
    shot(&mut h, &out, "09a-problem");
    click(&mut h, "取消");
    click(&mut h, "← 返回列表");
    click(&mut h, "统计报表");
    shot(&mut h, &out, "09b-problem-report");
    click(&mut h, "问题列表");

    click(&mut h, "实事项目");
    shot(&mut h, &out, "10-projects");
    click(&mut h, "居民区文明养宠宣传");
    shot(&mut h, &out, "10a-project");
    h.query_all_by_label("添加进度节点")
        .next()
        .expect("the work section")
        .scroll_to_me();
    settle(&mut h);
    shot(&mut h, &out, "10b-project-work");
    click(&mut h, "← 返回列表");

    click(&mut h, "经费");
    shot(&mut h, &out, "11-funds");
    // A payment as it is typed: the rules it breaks said next to their fields.
    click(&mut h, "登记支出");
    h.get_by_role_and_label(
        eframe::egui::accesskit::Role::RadioButton,
        "党组织服务群众专项经费",
    )
    .click();
    settle(&mut h);
    click(&mut h, "类别");
    h.query_all_by_role_and_label(eframe::egui::accesskit::Role::Button, "关爱帮扶类")
        .last()
        .expect("the category in the open dropdown")
        .click();
    settle(&mut h);
    for (label, text) in [
        ("金额（元）", "800"),
        ("收款方", "示例超市"),
        ("用途", "独居老人节日慰问品"),
    ] {
        // The form's field comes before the list's column of the same name.
        let field = h.query_all_by_label(label).next().expect("the field");
        field.focus();
        field.type_text(text);
        settle(&mut h);
    }
    shot(&mut h, &out, "11a-payment-form");
    click(&mut h, "取消");
    click(&mut h, "年度计划与拨款");
    shot(&mut h, &out, "11b-fund-plans");
    click(&mut h, "概览");
    shot(&mut h, &out, "11c-fund-overview");
    click(&mut h, "报告");
    shot(&mut h, &out, "11d-fund-report");

    for (label, name) in [
        ("百事汇", "12-guide"),
        ("积分卡", "13-points"),
        ("公开发布", "14-publish"),
        ("设置", "15-settings"),
    ] {
        click(&mut h, label);
        shot(&mut h, &out, name);
    }
}
