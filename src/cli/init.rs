//! `sibai init DIR`: a new committee vault with its first member and a recovery passphrase.

use super::{CliError, new_passphrase, options};
use crate::store::{ExposeSecret, NewMember, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `sibai init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 新台账的文件夹
    pub dir: PathBuf,
    /// 居委会名称
    #[arg(long)]
    pub committee: String,
    /// 第一位成员的姓名
    #[arg(long)]
    pub member: String,
    /// 第一位成员的职务
    #[arg(long, default_value = "书记")]
    pub role: String,
}

/// Runs `sibai init`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let passphrase = new_passphrase("SIBAI_PASSPHRASE", &args.member)?;
    let member = NewMember {
        name: args.member.clone(),
        role: args.role,
        passphrase,
    };
    let (vault, recovery) = Vault::init(&args.dir, &args.committee, &[member], options())?;
    println!(
        "已在 {} 新建“{}”的台账。",
        vault.dir().display(),
        args.committee
    );
    print_recovery(recovery.0.expose_secret());
    Ok(ExitCode::SUCCESS)
}

/// Prints the recovery passphrase with what to do with it.
pub(crate) fn print_recovery(recovery: &str) {
    println!();
    println!("恢复密码（只显示这一次，请抄写在纸上，锁进保险柜）：");
    println!();
    println!("    {recovery}");
    println!();
    println!("成员忘记密码时，用恢复密码解锁并重设：sibai members passwd 姓名 --recovery");
}
