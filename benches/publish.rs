//! Publish benchmark: 1,000 and then 10,000 Markdown guide pages of Chinese text (about 1,500
//! characters each, with a heading, a list and a table) plus the demo committee's notices; then
//! a second publish with nothing changed. Prints time and peak memory against the targets of the
//! publish issue (≤ 150 ms; ≤ 1.5 s and ≤ 250 MB; ≤ 0.5 s writing nothing).
//!
//! After one untimed warm-up publish, a first publish is timed five times, each into a new
//! folder, and the median taken. Beside each run the bench times what the disk alone costs:
//! creating as many files of the same size in a new folder. On this virtual machine that cost
//! moves tenfold from one minute to the next (0.03 to 0.8 ms a file, with no I/O counted in
//! /proc/diskstats; slowest just after a `sync`), so the bench also publishes to the memory
//! disk (/dev/shm), which shows the program's own time.
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

fn verdict(ok: bool) -> &'static str {
    if ok { "达标" } else { "未达标" }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// What the disk alone costs: creating `count` files of `size` bytes in a new folder, as a
/// first publish does, without rendering or checking anything.
fn floor_ms(dir: &Path, count: usize, size: usize) -> f64 {
    let bytes = vec![b'x'; size];
    let t = Instant::now();
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..count {
        std::fs::write(dir.join(format!("{i:05}.html")), &bytes).unwrap();
    }
    t.elapsed().as_secs_f64() * 1000.0
}

/// One first publish into a new folder under `root`: time in ms, peak memory in MiB, files
/// written and their total size.
fn first_publish(input: &PublishInput<'_>, out: &Path) -> (f64, f64, usize, u64) {
    reset_peak();
    let t = Instant::now();
    let report = publish(input, out).unwrap();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let peak = peak_mib();
    let bytes = report
        .written
        .written
        .iter()
        .map(|f| std::fs::metadata(out.join(f)).map_or(0, |m| m.len()))
        .sum();
    (ms, peak, report.written.written.len(), bytes)
}

/// Runs on this machine's disk and, on the memory disk, runs of the program's own time.
const RUNS: usize = 5;

#[expect(
    clippy::too_many_lines,
    reason = "a benchmark is one script: set up, measure each step in turn, print the table"
)]
fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let ledger = generate(DemoSize::Typical, today, 400);
    let settings = SiteSettings::default();
    // The memory disk, where there is one: the program's time without the disk's.
    let shm = Path::new("/dev/shm");
    let memory = shm
        .is_dir()
        .then(|| tempfile::tempdir_in(shm).ok())
        .flatten();
    // Warm-up, not timed: the first files a process creates on this virtual machine after a
    // pause cost several times what the next ones do.
    {
        let root = tempfile::tempdir().unwrap();
        write_guide(root.path(), 1_000);
        let input = PublishInput {
            ledger: &ledger,
            root: root.path(),
            settings: &settings,
            today,
        };
        publish(&input, &root.path().join("public")).unwrap();
    }
    for (n, target_ms) in [(1_000usize, 150.0), (10_000, 1500.0)] {
        let root = tempfile::tempdir().unwrap();
        write_guide(root.path(), n);
        let input = PublishInput {
            ledger: &ledger,
            root: root.path(),
            settings: &settings,
            today,
        };
        let (mut times, mut floors, mut peaks) = (Vec::new(), Vec::new(), Vec::new());
        let mut last = None;
        for run in 0..RUNS {
            let out = root.path().join(format!("public-{run}"));
            let (ms, peak, files, bytes) = first_publish(&input, &out);
            // The same number of files of the same size, created right after, in a new folder.
            let floor = floor_ms(
                &root.path().join(format!("bare-{run}")),
                files,
                (bytes / files.max(1) as u64) as usize,
            );
            println!(
                "  第 {} 次：{ms:.0} ms，写入 {files} 个文件（{:.0} MiB），峰值内存 {peak:.0} MiB；同样多的文件只是建出来就要 {floor:.0} ms",
                run + 1,
                bytes as f64 / 1_048_576.0
            );
            times.push(ms);
            floors.push(floor);
            peaks.push(peak);
            last = Some(out);
        }
        let (ms, floor) = (median(times), median(floors));
        let peak = peaks.iter().copied().fold(0.0, f64::max);
        println!(
            "{n} 页百事汇 + 示例公告，首次发布（{RUNS} 次的中位数）：{ms:.0} ms，目标 ≤ {target_ms:.0} ms：{}；峰值内存 {peak:.0} MiB，目标 ≤ 250 MB：{}",
            verdict(ms <= target_ms),
            verdict(peak * 1.048_576 <= 250.0)
        );
        if floor > target_ms {
            println!(
                "  注意：本机磁盘此时单是建这些文件（中位数 {floor:.0} ms）就超过了目标；程序本身的用时见下面内存盘一行。"
            );
        }
        if let Some(memory) = &memory {
            let mem_root = memory.path().join(format!("guide-{n}"));
            write_guide(&mem_root, n);
            let input = PublishInput {
                root: &mem_root,
                ..input
            };
            let times: Vec<f64> = (0..RUNS)
                .map(|run| first_publish(&input, &mem_root.join(format!("public-{run}"))).0)
                .collect();
            let ms = median(times);
            println!(
                "  写到内存盘（/dev/shm，不计磁盘）：{ms:.0} ms（{RUNS} 次的中位数），目标 ≤ {target_ms:.0} ms：{}",
                verdict(ms <= target_ms)
            );
            let _ = std::fs::remove_dir_all(&mem_root);
        }
        // Where the time goes: rendering and checking in memory, without the disk.
        let t = Instant::now();
        let files = build(&input).unwrap();
        let b = t.elapsed().as_secs_f64() * 1000.0;
        let bytes: usize = files.values().map(Vec::len).sum();
        let t = Instant::now();
        assert!(check(&ledger, &settings, &files).is_empty());
        let g = t.elapsed().as_secs_f64() * 1000.0;
        drop(files);
        println!(
            "  其中（整站只在内存中生成一遍、检查一遍，不写盘）：生成 {b:.0} ms，隐私检查 {g:.0} ms（占 {:.0}%，{:.1} MiB/s）；共 {:.0} MiB。",
            100.0 * g / (b + g),
            bytes as f64 / 1_048_576.0 / (g / 1000.0),
            bytes as f64 / 1_048_576.0
        );
        if n == 10_000
            && let Some(out) = last
        {
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
