//! `sibai backup --to FOLDER [DIR]`: 备份到U盘. The whole vault as one file in `FOLDER`, read
//! back and checked; restorable onto an empty PC with `sibai restore --from-backup`.

use super::{CliError, UnlockArgs, open, options};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `sibai backup`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 解锁选项
    #[command(flatten)]
    pub unlock: UnlockArgs,
    /// 备份写到哪个文件夹（例如U盘）
    #[arg(long, value_name = "文件夹")]
    pub to: PathBuf,
}

/// Runs `sibai backup`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    if !args.to.is_dir() {
        return Err(CliError::Message(format!(
            "找不到文件夹 {}：请插好U盘，给出U盘上的一个文件夹。",
            args.to.display()
        )));
    }
    let mut vault = open(&args.unlock, options())?;
    let report = vault.write_archive(&args.to)?;
    println!(
        "已备份到 {}（{:.1} MB，台账文件 {} 个），已读回核对无误。",
        report.path.display(),
        report.bytes as f64 / (1024.0 * 1024.0),
        report.files
    );
    println!("恢复到新电脑：sibai restore --from-backup 这个文件 新的空文件夹 --recovery");
    Ok(ExitCode::SUCCESS)
}
