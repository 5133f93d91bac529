//! `sibai import FILE [DIR]`: a dry run of importing a household sheet (.xlsx, .xls, .csv)
//! into the ledger, row by row: what would be added, updated, left as it is, refused as a
//! duplicate or as an error, and why. A sheet of visits (its header names 走访时间 and 走访人,
//! as 社区云's layout does) is imported as visits. Nothing is written unless `--apply` is
//! given, and then the whole import is saved at once (the app can undo it as one edit).

use super::{CliError, UnlockArgs, open, options};
use crate::model::import::{Plan, Target, Verdict, detect_with};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `sibai import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 要导入的居民户表格或走访记录表（.xlsx、.xls 或 .csv）
    pub file: PathBuf,
    /// 解锁选项
    #[command(flatten)]
    pub unlock: UnlockArgs,
    /// 确认导入：写入台账（不加此项只预览，不写入任何内容）
    #[arg(long)]
    pub apply: bool,
    /// 列出每一行（默认只列出更新、重复、错误和有提示的行）
    #[arg(long)]
    pub all: bool,
}

/// Runs `sibai import`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    // The file first: a wrong file is said before the passphrase is asked for.
    let sheets = crate::import::read(&args.file).map_err(|e| CliError::Message(e.to_string()))?;
    let mut vault = open(&args.unlock, options())?;
    // Every year of visits: a visit already logged is found whatever its year.
    vault.load_pending()?;
    let today = chrono::Local::now().date_naive();
    let member = vault.member().to_owned();
    // Columns read as the committee set them by hand in an earlier import in the app.
    let remembered = &vault.ledger().committee.import_headings;
    // A file whose sheets have a visits header is a visits file.
    let visits: Vec<_> = sheets
        .iter()
        .map(|s| detect_with(s, remembered, Target::Visits))
        .collect();
    let (target, mappings) = if visits.iter().any(Option::is_some) {
        println!("按走访记录导入（表头有走访时间和走访人）");
        (Target::Visits, visits)
    } else {
        let households = sheets
            .iter()
            .map(|s| detect_with(s, remembered, Target::Households))
            .collect();
        (Target::Households, households)
    };
    let plan = Plan::make(target, vault.ledger(), &sheets, &mappings, &member, today);
    for name in plan.unread_sheets() {
        println!(
            "工作表“{name}”：没有找到表头（{}），已跳过",
            target.header_words()
        );
    }
    for r in plan.rows() {
        let plain = r.verdict == Verdict::Add && r.warnings.is_empty();
        if plain && !args.all {
            continue;
        }
        // A refused row may have no address to show.
        let place = if r.address.is_empty() {
            String::new()
        } else {
            format!(" {}", r.address)
        };
        println!(
            "“{}”第 {} 行 {}{place}：{}",
            r.sheet,
            r.row,
            r.name,
            r.verdict.text()
        );
        for w in &r.warnings {
            println!("    提示：{w}");
        }
    }
    println!("{}", plan.summary());
    if !args.apply {
        println!("以上为预览，没有写入台账。确认无误后加 --apply 再运行一次即导入。");
        return Ok(ExitCode::SUCCESS);
    }
    if plan.is_empty() {
        println!("没有需要写入的内容。");
        return Ok(ExitCode::SUCCESS);
    }
    let edit = plan.edit(vault.ledger());
    vault.apply(edit)?;
    vault.save()?;
    println!("已导入并保存。出错和重复的行没有导入，改正后可以再导入一次。");
    Ok(ExitCode::SUCCESS)
}
