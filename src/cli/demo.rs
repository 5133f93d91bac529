//! `sibai demo DIR [--size typical|stress]`: a vault of the fictitious 示例居委会, every member's
//! passphrase `demo`.

use super::init::print_recovery;
use super::{CliError, options};
use crate::demo::{COMMITTEE, DemoSize, WORKERS, generate};
use crate::model::Role;
use crate::store::{ExposeSecret, NewMember, SecretString, Vault};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// The passphrase of every demo member.
pub const DEMO_PASSPHRASE: &str = "demo";

/// Arguments of `sibai demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 示例台账的文件夹
    pub dir: PathBuf,
    /// 规模：typical（约 1500 户）或 stress（压力测试规模）
    #[arg(long, value_enum, default_value = "typical")]
    pub size: DemoSize,
    /// 随机种子（相同种子生成相同数据）
    #[arg(long, default_value_t = 400)]
    pub seed: u64,
    /// 以哪一天为“今天”生成（默认今天），格式 2026-11-23
    #[arg(long)]
    pub today: Option<NaiveDate>,
}

/// Runs `sibai demo`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let members: Vec<NewMember> = WORKERS
        .iter()
        .map(|(name, roles)| NewMember {
            name: (*name).to_owned(),
            role: Role::joined(roles),
            passphrase: SecretString::from(DEMO_PASSPHRASE.to_owned()),
        })
        .collect();
    let (mut vault, recovery) = Vault::init(&args.dir, COMMITTEE, &members, options())?;
    vault.replace_ledger(generate(args.size, today, args.seed));
    vault.save()?;
    println!(
        "已在 {} 生成示例居委会（{:.1} 秒）：",
        args.dir.display(),
        started.elapsed().as_secs_f64()
    );
    println!("{}", vault.ledger().counts());
    println!();
    println!(
        "成员：{}；每位成员的密码都是 {DEMO_PASSPHRASE}",
        vault.meta().member_names()
    );
    print_recovery(recovery.0.expose_secret());
    Ok(ExitCode::SUCCESS)
}
