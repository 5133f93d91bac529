//! `sibai members list|add|remove|passwd`: who can unlock the vault.

use super::{CliError, UnlockArgs, member_of, new_passphrase, open, options, passphrase};
use crate::store::{NewMember, Unlocked, read_meta};
use clap::Subcommand;
use std::process::ExitCode;

/// Arguments of `sibai members`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 操作
    #[command(subcommand)]
    pub action: Action,
}

/// What to do with members.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// 列出成员
    List {
        /// 台账文件夹
        #[arg(default_value = ".")]
        dir: std::path::PathBuf,
    },
    /// 添加成员（新成员的密码从 SIBAI_NEW_PASSPHRASE 读取或提示输入）
    Add {
        /// 新成员姓名
        name: String,
        /// 职务
        #[arg(long, default_value = "社工")]
        role: String,
        /// 解锁选项
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// 删除成员，并更换台账密钥
    Remove {
        /// 要删除的成员姓名
        name: String,
        /// 解锁选项
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// 修改密码；加 --recovery 时用恢复密码为忘记密码的成员重设
    Passwd {
        /// 要设置密码的成员（默认是解锁的成员本人）
        name: Option<String>,
        /// 用恢复密码解锁（恢复密码从 SIBAI_RECOVERY 读取或提示输入）
        #[arg(long)]
        recovery: bool,
        /// 解锁选项
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

/// Runs `sibai members`.
pub fn run(args: Args) -> Result<ExitCode, CliError> {
    match args.action {
        Action::List { dir } => {
            let meta = read_meta(&crate::store::locate(&dir))?;
            println!("“{}”的成员：", meta.committee);
            for m in &meta.members {
                println!("  {}（{}）", m.name, m.role);
            }
        }
        Action::Add { name, role, unlock } => {
            let mut vault = open(&unlock, options())?;
            let pass = new_passphrase("SIBAI_NEW_PASSPHRASE", &name)?;
            vault.add_member(&NewMember {
                name: name.clone(),
                role,
                passphrase: pass,
            })?;
            println!("已添加成员“{name}”。");
        }
        Action::Remove { name, unlock } => {
            let mut vault = open(&unlock, options())?;
            vault.remove_member(&name)?;
            println!("已删除成员“{name}”，并已更换台账密钥、重新加密全部文件。");
        }
        Action::Passwd {
            name,
            recovery,
            unlock,
        } => {
            let mut vault = if recovery {
                let pass = passphrase("SIBAI_RECOVERY", "请输入恢复密码：")?;
                Unlocked::with_recovery(&unlock.vault_dir(), &pass, options())?.load_all()?
            } else {
                open(&unlock, options())?
            };
            let target = match name {
                Some(n) => n,
                None if recovery => {
                    return Err(CliError::Message(
                        "用恢复密码时请写明要为哪位成员重设密码".into(),
                    ));
                }
                None => member_of(&unlock.vault_dir(), unlock.member)?,
            };
            let pass = new_passphrase("SIBAI_NEW_PASSPHRASE", &target)?;
            vault.set_member_passphrase(&target, &pass)?;
            println!("已为“{target}”设置新密码。");
        }
    }
    Ok(ExitCode::SUCCESS)
}
