//! Publish benchmark: 10,000 Markdown guide pages of Chinese text (about 1,500 characters each,
//! with a heading, a list and a table) plus the demo committee's notices; then 1,000 pages; then
//! a second publish with nothing changed. Prints time and peak memory against the targets of the
//! publish issue (≤ 1.5 s and ≤ 250 MB; ≤ 150 ms; ≤ 0.5 s writing nothing).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::NaiveDate;
use sibai::demo::{DemoSize, generate};
use sibai::publish::{PublishInput, SiteSettings, build, check, publish};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

const WORDS: &[&str] = &[
    "社区",
    "居民",
    "服务",
    "办理",
    "申请",
    "材料",
    "街道",
    "受理",
    "中心",
    "老年人",
    "补贴",
    "家庭",
    "医生",
    "签约",
    "垃圾",
    "分类",
    "志愿者",
    "活动",
    "议事",
    "协商",
    "物业",
    "维修",
    "楼道",
    "照明",
    "停车",
    "绿化",
    "安全",
    "消防",
    "宣传",
    "政策",
    "规定",
    "条件",
    "流程",
    "窗口",
    "时间",
    "地点",
    "评价",
    "满意",
    "公示",
    "公开",
    "经费",
    "项目",
    "实施",
    "验收",
];

fn page(i: usize) -> String {
    let mut rng = i.wrapping_mul(2_654_435_761);
    let mut word = || {
        rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        WORDS[(rng >> 33) % WORDS.len()]
    };
    let mut body = String::new();
    let _ = writeln!(body, "## {}{}须知\n", word(), word());
    while body.chars().count() < 900 {
        let _ = write!(body, "{}{}{}，", word(), word(), word());
    }
    body.push_str("。\n\n");
    for _ in 0..5 {
        let _ = writeln!(body, "- {}{}{}{}", word(), word(), word(), word());
    }
    body.push_str("\n| 事项 | 说明 |\n| --- | --- |\n");
    for _ in 0..6 {
        let _ = writeln!(
            body,
            "| {}{} | {}{}{}{} |",
            word(),
            word(),
            word(),
            word(),
            word(),
            word()
        );
    }
    format!(
        "+++\ntitle = \"{}{}服务第{i}项\"\ncategory = \"{}\"\naudience = \"本社区{}\"\nconditions = [\"{}{}\"]\nmaterials = [\"本人身份证\", \"{}{}\"]\nsteps = [\"{}{}\", \"{}{}\"]\nplace_and_time = \"居委会（工作日）\"\nbasis = [\"{}{}规定\"]\nevaluation = \"满意度测评\"\nverified = \"2026-11-01\"\nsample = false\n+++\n\n{body}",
        word(),
        word(),
        word(),
        word(),
        word(),
        word(),
        word(),
        word(),
        word(),
        word(),
        word(),
        word(),
        word(),
        word()
    )
}

fn write_guide(root: &Path, n: usize) {
    let dir = root.join("content").join("guide");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        std::fs::write(dir.join(format!("item-{i:05}.md")), page(i)).unwrap();
    }
}

/// Peak resident memory since the last reset, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Waits until everything written so far is on the disk.
fn settle() {
    let _ = std::process::Command::new("sync").status();
}

fn verdict(ok: bool) -> &'static str {
    if ok { "达标" } else { "未达标" }
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let ledger = generate(DemoSize::Typical, today, 400);
    let settings = SiteSettings::default();
    for (n, target_ms) in [(1_000usize, 150.0), (10_000, 1500.0)] {
        let root = tempfile::tempdir().unwrap();
        write_guide(root.path(), n);
        let out = root.path().join("public");
        let input = PublishInput {
            ledger: &ledger,
            root: root.path(),
            settings: &settings,
            today,
        };
        // The guide was written long before a real publish: let the disk settle first, so that
        // flushing it is not counted (nor the bench's other writes, below).
        settle();
        reset_peak();
        let before = peak_mib();
        let t = Instant::now();
        let report = publish(&input, &out).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let peak = peak_mib();
        println!(
            "{n} 页百事汇 + 示例公告，首次发布：{ms:.0} ms，目标 ≤ {target_ms:.0} ms：{}；写入 {} 个文件；峰值内存 {peak:.0} MiB（之前 {before:.0} MiB），目标 ≤ 250 MB：{}",
            verdict(ms <= target_ms),
            report.written.written.len(),
            verdict(peak * 1.048_576 <= 250.0)
        );
        // Where the time goes: rendering and checking in memory, without the disk.
        let t = Instant::now();
        let files = build(&input).unwrap();
        let b = t.elapsed().as_secs_f64() * 1000.0;
        let bytes: usize = files.values().map(Vec::len).sum();
        let t = Instant::now();
        assert!(check(&ledger, &settings, &files).is_empty());
        let g = t.elapsed().as_secs_f64() * 1000.0;
        // The floor this disk sets: creating the same files, nothing else.
        let bare = root.path().join("bare");
        settle();
        let t = Instant::now();
        for (rel, bytes) in &files {
            let path = bare.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let w = t.elapsed().as_secs_f64() * 1000.0;
        drop(files);
        println!(
            "  其中（仅在内存中，不写盘）：生成 {b:.0} ms，隐私检查 {g:.0} ms；共 {:.0} MiB。\n  对照：本机只把这些文件写进一个新文件夹（不生成、不检查）就要 {w:.0} ms",
            bytes as f64 / 1_048_576.0
        );
        if n == 10_000 {
            settle();
            let t = Instant::now();
            let again = publish(&input, &out).unwrap();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            println!(
                "无改动再次发布：{ms:.0} ms，写入 {} 个文件，目标 ≤ 500 ms 且不写文件：{}",
                again.written.written.len(),
                verdict(ms <= 500.0 && again.written.written.is_empty())
            );
            // One item edited: its page, and the indexes that list it.
            let item = root.path().join("content/guide/item-00042.md");
            let text = std::fs::read_to_string(&item).unwrap();
            std::fs::write(&item, text.replacen("须知", "须知（修订）", 1)).unwrap();
            let t = Instant::now();
            let edited = publish(&input, &out).unwrap();
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            println!(
                "改动一项后再次发布：{ms:.0} ms，写入 {} 个文件，检查 {} 个文件",
                edited.written.written.len(),
                edited.checked
            );
        }
    }
}
