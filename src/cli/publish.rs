//! `sibai publish [DIR] [--out DIR]`: unlock the ledger in `DIR/data`, build the public site from
//! it and `DIR/content`, run the privacy guard, and write only what changed into `DIR/public`
//! (or `--out`). The guard failing writes nothing and exits non-zero. `--phases` prints where
//! the time went (the publish bench reads it).

use super::{CliError, UnlockArgs, open_timed, options, peak_memory_mib};
use crate::publish::{Prefetch, PublishInput, SiteSettings, publish_prefetched};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Arguments of `sibai publish`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 居委会文件夹（含 data/ 台账、content/ 内容、themes/ 主题；默认为当前文件夹）
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// 以哪位成员的身份解锁（默认第一位成员）
    #[arg(long, env = "SIBAI_MEMBER")]
    pub member: Option<String>,
    /// 输出文件夹（默认为 DIR/public）
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 以哪一天为发布日期（默认今天），格式 2026-11-23
    #[arg(long)]
    pub today: Option<chrono::NaiveDate>,
    /// 显示各阶段用时（解锁、读取台账、读取内容、生成、检查、写入）
    #[arg(long)]
    pub phases: bool,
}

/// Runs `sibai publish`. Once the passphrase is given, what the publish reads without the
/// ledger (the theme, the last publish's record, every guide file) is read on one more thread
/// while the key is derived, and what can be made of it is made there until the ledger is
/// open (the changed guide files parsed, the guide's search term shards): the derivation keeps
/// its core, and the other one, idle otherwise, does the work.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let vault_dir = args.dir.join("data");
    let settings = SiteSettings::load(&vault_dir).map_err(crate::publish::PublishError::from)?;
    let unlock = UnlockArgs {
        dir: vault_dir,
        member: args.member,
    };
    let out = args.out.unwrap_or_else(|| args.dir.join("public"));
    // Set once the ledger is open: what is being made ahead stops there, and the publish
    // makes the rest.
    let stop = AtomicBool::new(false);
    let (mut vault, mut times, pre) = std::thread::scope(|scope| {
        let mut reading = None;
        let opened = open_timed(&unlock, options(), args.phases, || {
            reading = Some(scope.spawn(|| {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .ok()?;
                pool.install(|| Prefetch::read_ahead(&args.dir, &settings, &out, &stop))
                    .ok()
            }));
        });
        stop.store(true, Ordering::Relaxed);
        // A prefetch that failed is read again by the publish, which reports what failed.
        let pre = reading.and_then(|r| r.join().ok().flatten());
        opened.map(|(vault, times)| (vault, times, pre))
    })?;
    let t = std::time::Instant::now();
    vault.load_pending()?;
    times.load += t.elapsed();
    let input = PublishInput {
        ledger: vault.ledger(),
        root: &args.dir,
        settings: &settings,
        today: args
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
    };
    let report = publish_prefetched(&input, &out, pre)?;
    println!("已发布到 {}", out.display());
    println!("{report}");
    if args.phases {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        println!("各阶段用时：");
        println!("  解锁（由密码推导密钥）：{:.1} ms", ms(times.unlock));
        println!("  读取台账（解密、解析）：{:.1} ms", ms(times.load));
        for line in report.phases.lines() {
            println!("{line}");
        }
        if let Some(mib) = peak_memory_mib() {
            println!("  峰值内存（解锁之后）：{mib:.1} MiB");
        }
    }
    // The ledger is tens of thousands of records: freed on a thread of its own while the
    // program ends (the system takes back the memory either way). The vault, and its lock,
    // is closed here: nothing is saved after a publish.
    crate::publish::drop_aside(std::mem::take(vault.ledger_mut()));
    drop(vault);
    Ok(ExitCode::SUCCESS)
}
