//! Publish benchmark, as a committee runs it: `sibai publish` as a new process each time, on
//! the demo committee's ledger (typical size, unlocked with its passphrase) and 1,000 and then
//! 10,000 Markdown guide pages of Chinese text (about 1,500 characters each, punctuated as
//! Chinese is — ，。、；——……· — with a heading, a list and a table). Prints every run (none
//! left out), the median and the worst, against the targets of the publish-speed issue:
//!
//! - 10,000 pages, a first publish, whole process on the memory disk, without the key
//!   derivation: median ≤ 1.0 s, worst ≤ 1.3 s; peak memory after the key derivation ≤ 250 MB;
//! - 1,000 pages, the same: median ≤ 200 ms;
//! - 10,000 pages published again unchanged ≤ 0.3 s, writing nothing; one guide item edited
//!   ≤ 0.3 s, writing only its page and the search shards it touches.
//!
//! The key derivation (scrypt, deliberately slow) is timed by the program itself
//! (`sibai publish --phases`) and reported apart, with the other phases of the median run and
//! the guard's share. The memory disk (/dev/shm) shows the program's own time; the same first
//! publish on this machine's disk is printed beside what creating as many files of the same
//! size costs there (on this virtual machine that moves tenfold from one minute to the next).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use sibai::demo::guide_page;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn write_guide(root: &Path, n: usize) {
    let dir = root.join("content").join("guide");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        std::fs::write(dir.join(format!("item-{i:05}.md")), guide_page(i)).unwrap();
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "达标" } else { "未达标" }
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn worst(v: &[f64]) -> f64 {
    v.iter().copied().fold(0.0, f64::max)
}

/// What creating `count` files of `size` bytes in a new folder costs, as a first publish does,
/// without rendering or checking anything.
fn floor_ms(dir: &Path, count: usize, size: usize) -> f64 {
    let bytes = vec![b'x'; size];
    let t = Instant::now();
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..count {
        std::fs::write(dir.join(format!("{i:05}.html")), &bytes).unwrap();
    }
    t.elapsed().as_secs_f64() * 1000.0
}

/// Every file under `dir`: how many and their total size.
fn tree_size(dir: &Path) -> (usize, u64) {
    let (mut files, mut bytes) = (0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                files += 1;
                bytes += meta.len();
            }
        }
    }
    (files, bytes)
}

/// A committee folder: the demo ledger in `data/` and `n` guide items in `content/guide/`.
fn committee(root: &Path, n: usize) {
    let status = Command::new(env!("CARGO_BIN_EXE_sibai"))
        .args(["demo", "--today", "2026-11-23"])
        .arg(root.join("data"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    write_guide(root, n);
}

/// One run of `sibai publish --phases` as a new process.
struct Run {
    /// Whole process, wall-clock, in ms.
    whole: f64,
    /// What the program printed of its phases, in ms, by name.
    phases: Vec<(String, f64)>,
    /// Files written, as the program reports them.
    written: usize,
    /// Peak memory after the key derivation, in MiB.
    peak: f64,
}

impl Run {
    fn phase(&self, prefix: &str) -> f64 {
        self.phases
            .iter()
            .find(|(name, _)| name.starts_with(prefix))
            .map_or(0.0, |(_, ms)| *ms)
    }

    /// The whole process without the key derivation.
    fn own(&self) -> f64 {
        self.whole - self.phase("解锁")
    }
}

fn publish(root: &Path, out: &Path) -> Run {
    let t = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_sibai"))
        .arg("publish")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(["--today", "2026-11-23", "--phases"])
        .env("SIBAI_PASSPHRASE", "demo")
        .output()
        .unwrap();
    let whole = t.elapsed().as_secs_f64() * 1000.0;
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut phases = Vec::new();
    let (mut written, mut peak) = (0, 0.0);
    for line in text.lines() {
        let line = line.trim();
        if let Some((name, rest)) = line.split_once('：') {
            let number = rest.split_whitespace().next().and_then(|n| n.parse().ok());
            if let Some(value) = number {
                if rest.ends_with("MiB") {
                    peak = value;
                } else if rest.ends_with("ms") {
                    phases.push((name.to_owned(), value));
                }
            }
        }
        if let Some(rest) = line.strip_prefix("写入 ") {
            written = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    Run {
        whole,
        phases,
        written,
        peak,
    }
}

/// Prints one line per run and returns the runs.
fn runs(label: &str, count: usize, mut one: impl FnMut(usize) -> Run) -> Vec<Run> {
    let mut all = Vec::new();
    for i in 0..count {
        let run = one(i);
        println!(
            "  {label} 第 {} 次：整个进程 {:.0} ms，其中解锁 {:.0} ms，不含解锁 {:.0} ms；写入 {} 个文件；解锁后峰值内存 {:.0} MiB",
            i + 1,
            run.whole,
            run.phase("解锁"),
            run.own(),
            run.written,
            run.peak
        );
        all.push(run);
    }
    all
}

/// The phases of the run with the median time, and the guard's share.
fn print_phases(all: &[Run]) {
    let mid = median(&all.iter().map(Run::own).collect::<Vec<_>>());
    let Some(run) = all.iter().find(|r| r.own() == mid) else {
        return;
    };
    let mut line = String::from("  中位那次各阶段：");
    for (name, ms) in &run.phases {
        let _ = write!(line, "{name} {ms:.0} ms；");
    }
    let rest = run.whole
        - run
            .phases
            .iter()
            // "Of which" lines are inside another; the reading done while the key is derived
            // is inside its time.
            .filter(|(n, _)| !n.starts_with("其中") && !n.starts_with("同时"))
            .map(|(_, ms)| ms)
            .sum::<f64>();
    let _ = write!(line, "进程启动、设置、输出等其余 {rest:.0} ms。");
    println!("{line}");
    let (render, check) = (run.phase("其中生成"), run.phase("其中隐私检查"));
    if render + check > 0.0 {
        println!(
            "  隐私检查占生成与检查的 {:.0}%（各线程合计：生成 {render:.0} ms，检查 {check:.0} ms）",
            100.0 * check / (render + check)
        );
    }
}

/// Runs on each disk, and runs of a republish.
const RUNS: usize = 5;

fn main() {
    let shm = Path::new("/dev/shm");
    let memory: PathBuf = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        println!("注意：本机没有内存盘（/dev/shm），下面“内存盘”几行写在临时文件夹里。");
        std::env::temp_dir()
    };
    for (n, target_ms) in [(1_000usize, 200.0), (10_000, 1000.0)] {
        let root = tempfile::tempdir_in(&memory).unwrap();
        committee(root.path(), n);
        println!("{n} 页百事汇 + 示例居委会的公告（每次一个新进程，{RUNS} 次全部计入）：");
        let first = runs("内存盘首次发布", RUNS, |i| {
            publish(root.path(), &root.path().join(format!("public-{i}")))
        });
        let own: Vec<f64> = first.iter().map(Run::own).collect();
        let peak = worst(&first.iter().map(|r| r.peak).collect::<Vec<_>>());
        if n == 10_000 {
            println!(
                "{n} 页首次发布，整个进程不含解锁：中位数 {:.0} ms，目标 ≤ 1000 ms：{}；最慢 {:.0} ms，目标 ≤ 1300 ms：{}；解锁后峰值内存 {peak:.0} MiB（{:.0} MB），目标 ≤ 250 MB：{}",
                median(&own),
                verdict(median(&own) <= target_ms),
                worst(&own),
                verdict(worst(&own) <= 1300.0),
                peak * 1.048_576,
                verdict(peak * 1.048_576 <= 250.0)
            );
        } else {
            println!(
                "{n} 页首次发布，整个进程不含解锁：中位数 {:.0} ms，目标 ≤ {target_ms:.0} ms：{}；最慢 {:.0} ms；解锁后峰值内存 {peak:.0} MiB",
                median(&own),
                verdict(median(&own) <= target_ms),
                worst(&own),
            );
        }
        let unlock: Vec<f64> = first.iter().map(|r| r.phase("解锁")).collect();
        println!(
            "  解锁（由密码推导密钥，另计）：中位数 {:.0} ms，最慢 {:.0} ms",
            median(&unlock),
            worst(&unlock)
        );
        print_phases(&first);
        if n == 10_000 {
            let out = root.path().join("public-0");
            let again = runs("无改动再次发布", RUNS, |_| {
                publish(root.path(), &out)
            });
            let own: Vec<f64> = again.iter().map(Run::own).collect();
            let wrote = again.iter().map(|r| r.written).max().unwrap_or(0);
            println!(
                "无改动再次发布：中位数 {:.0} ms，最慢 {:.0} ms，最多写入 {wrote} 个文件；目标 ≤ 300 ms 且不写文件：{}",
                median(&own),
                worst(&own),
                verdict(median(&own) <= 300.0 && wrote == 0)
            );
            print_phases(&again);
            // One item edited before each run: its page, and the search shards it touches.
            let edited = runs("改动一项后再次发布", RUNS, |i| {
                let item = root
                    .path()
                    .join(format!("content/guide/item-{:05}.md", 42 + i * 1_000));
                let text = std::fs::read_to_string(&item).unwrap();
                std::fs::write(&item, text.replacen("须知", "须知（修订）", 1)).unwrap();
                publish(root.path(), &out)
            });
            let own: Vec<f64> = edited.iter().map(Run::own).collect();
            let wrote = edited.iter().map(|r| r.written).max().unwrap_or(0);
            println!(
                "改动一项后再次发布：中位数 {:.0} ms，最慢 {:.0} ms，目标 ≤ 300 ms：{}；最多写入 {wrote} 个文件",
                median(&own),
                worst(&own),
                verdict(median(&own) <= 300.0)
            );
            print_phases(&edited);
        }
        drop(root);
        // This machine's disk: the same first publish, beside what the disk alone costs.
        let disk = tempfile::tempdir().unwrap();
        committee(disk.path(), n);
        let mut floors = Vec::new();
        let on_disk = runs("本机磁盘首次发布", RUNS, |i| {
            let out = disk.path().join(format!("public-{i}"));
            let run = publish(disk.path(), &out);
            let (files, bytes) = tree_size(&out);
            floors.push(floor_ms(
                &disk.path().join(format!("bare-{i}")),
                files,
                (bytes / files.max(1) as u64) as usize,
            ));
            run
        });
        let own: Vec<f64> = on_disk.iter().map(Run::own).collect();
        println!(
            "  本机磁盘：不含解锁中位数 {:.0} ms，最慢 {:.0} ms；同样多、同样大的文件只是建出来就要（中位数）{:.0} ms，最慢 {:.0} ms",
            median(&own),
            worst(&own),
            median(&floors),
            worst(&floors)
        );
    }
}
