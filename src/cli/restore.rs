//! `sibai restore [DIR]`: list the backups, restore a collection to a generation, or accept files
//! that were reported as rolled back.

use super::{CliError, UnlockArgs, open, options};
use crate::model::Collection;
use std::process::ExitCode;

/// Arguments of `sibai restore`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 解锁选项
    #[command(flatten)]
    pub unlock: UnlockArgs,
    /// 要恢复的文件，例如 households、visits-2026、funds-2025
    #[arg(long)]
    pub file: Option<String>,
    /// 要恢复到的版本号（见不带参数时的列表）
    #[arg(long)]
    pub generation: Option<u64>,
    /// 接受磁盘上现有的（被报告为旧版本的）文件，作为最新版本保存
    #[arg(long)]
    pub accept_current: bool,
}

/// Runs `sibai restore`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let mut opts = options();
    opts.tolerate_rollback = true;
    let mut vault = open(&args.unlock, opts)?;
    if args.accept_current {
        vault.accept_current_files()?;
        println!("已将现有文件保存为最新版本。");
        return Ok(ExitCode::SUCCESS);
    }
    match (args.file, args.generation) {
        (Some(file), Some(generation)) => {
            let c = Collection::from_stem(&file)
                .ok_or_else(|| CliError::Message(format!("没有名为“{file}”的文件")))?;
            vault.restore(c, generation)?;
            vault.save()?;
            println!(
                "已将“{}”恢复为第 {generation} 版（作为第 {} 版保存，原文件已备份）。",
                c.label(),
                vault.generation(c)
            );
        }
        (None, None) => {
            println!("可恢复的备份（版本号从新到旧）：");
            for c in vault.backed_up_collections() {
                let gens: Vec<String> = vault
                    .backups(c)
                    .iter()
                    .map(|b| b.generation.to_string())
                    .collect();
                println!(
                    "  {}（{}，当前第 {} 版）：{}",
                    c.stem(),
                    c.label(),
                    vault.generation(c),
                    gens.join(" ")
                );
            }
            println!("恢复示例：sibai restore --file households --generation 3");
        }
        _ => {
            return Err(CliError::Message(
                "请同时给出 --file 和 --generation".into(),
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
