//! `sibai check [DIR]`: unlock, decrypt every file, validate, print counts and findings; exit
//! non-zero on any error.

use super::{CliError, UnlockArgs, open, options};
use crate::model::{Severity, validate};
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Arguments of `sibai check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 解锁选项
    #[command(flatten)]
    pub unlock: UnlockArgs,
    /// 列出全部提示（默认每类最多 10 条）
    #[arg(long)]
    pub all: bool,
}

/// Runs `sibai check`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let mut vault = open(&args.unlock, options())?;
    // Every file, earlier years included: that is what a check is for.
    vault.load_pending()?;
    let ledger = vault.ledger();
    println!(
        "台账：{}（{}）",
        vault.meta().committee,
        vault.dir().display()
    );
    println!("{}", ledger.counts());
    // Every key and grant file, and the recipients: damage there shows only when that member
    // next unlocks.
    let key_problems = vault.verify_keys();
    if key_problems.is_empty() {
        println!("密钥文件：全部完好");
    } else {
        for p in &key_problems {
            println!("密钥文件：{p}");
        }
    }
    let today = chrono::Local::now().date_naive();
    let findings = validate(ledger, today);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let mut by_area: BTreeMap<&str, Vec<_>> = BTreeMap::new();
    for f in &findings {
        by_area.entry(f.area).or_default().push(f);
    }
    println!();
    if findings.is_empty() {
        println!("检查完毕：没有发现问题。");
    } else {
        for (area, list) in &by_area {
            println!("{area}：{} 条", list.len());
            let shown = if args.all { list.len() } else { 10 };
            for f in list.iter().take(shown) {
                println!("  {f}");
            }
            if list.len() > shown {
                println!("  ……另有 {} 条（用 --all 查看全部）", list.len() - shown);
            }
        }
        println!();
        println!(
            "检查完毕：错误 {errors} 条，提示 {} 条。",
            findings.len() - errors
        );
    }
    Ok(if errors > 0 || !key_problems.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
