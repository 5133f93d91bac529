//! `sibai publish [DIR] [--out DIR]`: unlock the ledger in `DIR/data`, build the public site from
//! it and `DIR/content`, run the privacy guard, and write only what changed into `DIR/public`
//! (or `--out`). The guard failing writes nothing and exits non-zero.

use super::{CliError, UnlockArgs, open, options};
use crate::publish::{PublishInput, SiteSettings, publish};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

/// Runs `sibai publish`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let vault_dir = args.dir.join("data");
    let settings = SiteSettings::load(&vault_dir).map_err(crate::publish::PublishError::from)?;
    let unlock = UnlockArgs {
        dir: vault_dir,
        member: args.member,
    };
    let mut vault = open(&unlock, options())?;
    vault.load_pending()?;
    let out = args.out.unwrap_or_else(|| args.dir.join("public"));
    let input = PublishInput {
        ledger: vault.ledger(),
        root: &args.dir,
        settings: &settings,
        today: args
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
    };
    let report = publish(&input, &out)?;
    println!("已发布到 {}", out.display());
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
