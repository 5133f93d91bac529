//! `sibai restore [DIR]`: works on a vault that cannot be opened. Without options it lists every
//! saved state and every copy of every file, each checked, and proposes the newest whole state;
//! `--apply` restores it (or `--save N` a chosen one), keeping what it replaces aside. On a vault
//! that opens, `--file` and `--generation` put one file back to a backup, and `--accept-current`
//! keeps files reported as older than expected.

use super::{CliError, UnlockArgs, member_of, open, options, passphrase};
use crate::model::Collection;
use crate::store::{FileCopy, Place, Survey, Unlocked, saved_time_text};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `sibai restore`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 解锁选项
    #[command(flatten)]
    pub unlock: UnlockArgs,
    /// 用恢复密码解锁（成员的密钥文件损坏时；恢复密码从 SIBAI_RECOVERY 读取或提示输入）
    #[arg(long)]
    pub recovery: bool,
    /// 恢复到列表中建议的那次完好保存
    #[arg(long)]
    pub apply: bool,
    /// 恢复到第几次保存（见不带参数时的列表）
    #[arg(long, value_name = "N")]
    pub save: Option<u64>,
    /// 只恢复一个文件（台账能打开时），例如 households-0、visits-2026、funds-2025
    #[arg(long)]
    pub file: Option<String>,
    /// 与 --file 一起：要恢复到的版本号
    #[arg(long)]
    pub generation: Option<u64>,
    /// 接受磁盘上现有的（被报告为旧版本的）文件，作为最新版本保存
    #[arg(long)]
    pub accept_current: bool,
    /// 从U盘备份文件（sibai backup 写的）恢复到一个新的空文件夹（用 --recovery 解锁）
    #[arg(long, value_name = "备份文件")]
    pub from_backup: Option<PathBuf>,
}

/// Runs `sibai restore`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    if let Some(file) = &args.from_backup {
        return from_backup(file, &args);
    }
    if args.accept_current || args.file.is_some() || args.generation.is_some() {
        return restore_one_file(&args);
    }
    let unlocked = unlock(&args)?;
    eprintln!("正在检查每一次保存和每一份备份……");
    let survey = unlocked.survey()?;
    print_survey(&survey);
    let chosen = match args.save {
        Some(n) => Some(
            survey
                .states
                .iter()
                .position(|s| s.save_seq == Some(n) && s.is_consistent())
                .ok_or_else(|| {
                    CliError::Message(format!(
                        "第 {n} 次保存不完整或不存在，不能恢复到它。请从上面列表中标为“完好”的保存里选。"
                    ))
                })?,
        ),
        None if args.apply => Some(survey.proposal.ok_or(crate::store::StoreError::NothingToRestore)?),
        None => None,
    };
    let Some(chosen) = chosen else {
        match survey.proposed() {
            Some(s) if s.place == Place::Live => println!("\n当前台账完好，不需要恢复。"),
            Some(s) => println!(
                "\n建议恢复到第 {} 次保存（{}）。确认后运行：sibai restore --apply {}",
                s.save_seq.unwrap_or(0),
                s.saved_at
                    .as_deref()
                    .map(saved_time_text)
                    .unwrap_or_default(),
                args.unlock.dir.display()
            ),
            None => return Err(crate::store::StoreError::NothingToRestore.into()),
        }
        return Ok(ExitCode::SUCCESS);
    };
    let report = unlocked.restore_state(&survey, chosen)?;
    println!("\n{}", report.message());
    Ok(ExitCode::SUCCESS)
}

/// Unlocks the key only (nothing of the ledger is read).
fn unlock(args: &Args) -> Result<Unlocked, CliError> {
    let dir = args.unlock.vault_dir();
    if args.recovery {
        let pass = passphrase("SIBAI_RECOVERY", "请输入恢复密码：")?;
        return Ok(Unlocked::with_recovery(&dir, &pass, options())?);
    }
    let member = member_of(&dir, args.unlock.member.clone())?;
    let pass = passphrase("SIBAI_PASSPHRASE", &format!("请输入“{member}”的密码："))?;
    Ok(Unlocked::with_passphrase(&dir, &member, &pass, options())?)
}

fn print_survey(survey: &Survey) {
    println!("各次保存（从新到旧）：");
    for (i, s) in survey.states.iter().enumerate() {
        let seq = s.save_seq.map_or("（无法读取）".to_owned(), |n| {
            format!("第 {n} 次保存")
        });
        let when = s
            .saved_at
            .as_deref()
            .map(saved_time_text)
            .unwrap_or_default();
        let status = if s.is_consistent() {
            "完好".to_owned()
        } else {
            format!("不能用：{}", s.problems.join("；"))
        };
        let mark = if survey.proposal == Some(i) {
            "  ← 建议"
        } else {
            ""
        };
        println!("  {seq}  {when}  [{}] {status}{mark}", s.place.label());
    }
    println!("\n各文件的版本（从新到旧）：");
    for (stem, copies) in &survey.files {
        let label = Collection::from_stem(stem).map_or(stem.clone(), |c| c.label());
        let versions: Vec<String> = copies.iter().map(FileCopy::describe).collect();
        println!("  {stem}（{label}）：{}", versions.join("、"));
    }
}

/// `--file/--generation` and `--accept-current`: on a vault that opens.
fn restore_one_file(args: &Args) -> Result<ExitCode, CliError> {
    let mut opts = options();
    opts.tolerate_rollback = true;
    let mut vault = open(&args.unlock, opts)?;
    if args.accept_current {
        vault.accept_current_files()?;
        println!("已将现有文件保存为最新版本。");
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(file), Some(generation)) = (&args.file, args.generation) else {
        return Err(CliError::Message(
            "请同时给出 --file 和 --generation".into(),
        ));
    };
    let c = Collection::from_stem(file)
        .ok_or_else(|| CliError::Message(format!("没有名为“{file}”的文件")))?;
    vault.restore(c, generation)?;
    vault.save()?;
    println!(
        "已将“{}”恢复为第 {generation} 版（作为第 {} 版保存，原文件已备份）。",
        c.label(),
        vault.generation(c)
    );
    Ok(ExitCode::SUCCESS)
}

/// `--from-backup FILE DIR`: a USB backup put back as a vault in an empty folder.
fn from_backup(file: &Path, args: &Args) -> Result<ExitCode, CliError> {
    let into = &args.unlock.dir;
    let pass = if args.recovery {
        passphrase("SIBAI_RECOVERY", "请输入恢复密码：")?
    } else {
        return Err(CliError::Message(
            "从U盘备份恢复要用恢复密码：请加上 --recovery".into(),
        ));
    };
    let vault = crate::store::restore_archive(file, into, &pass, options())?;
    println!(
        "已从 {} 恢复台账到 {}（{}），全部文件已解密核对。各成员用原来的密码即可解锁。",
        file.display(),
        into.display(),
        vault.meta().committee
    );
    Ok(ExitCode::SUCCESS)
}
