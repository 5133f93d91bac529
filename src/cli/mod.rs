//! The command line: clap subcommands, one file each, all headless. Each returns an exit code;
//! errors are printed in Chinese by `main`. Logic shared with the app lives in `store`, `publish`
//! and `model`.

mod backup;
mod check;
mod demo;
mod import;
mod init;
mod members;
mod publish;
mod restore;

use crate::store::{SecretString, StoreError, Unlocked, Vault, VaultOptions, read_meta};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// 四百：居委会台账与公开公示工具
#[derive(Debug, Parser)]
#[command(
    name = "sibai",
    version,
    about = "四百：居委会台账与公开公示工具。不带子命令时打开桌面程序。"
)]
pub struct Cli {
    /// 子命令
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 在文件夹中新建一个居委会台账
    Init(init::Args),
    /// 生成示例居委会（所有成员密码均为 demo）
    Demo(demo::Args),
    /// 解锁并检查台账：解密全部文件、校验数据、打印统计
    Check(check::Args),
    /// 管理可以解锁台账的成员
    Members(members::Args),
    /// 台账打不开时从备份恢复；也可从U盘备份恢复到新电脑
    Restore(restore::Args),
    /// 备份到U盘：整本台账写成一个文件，读回核对
    Backup(backup::Args),
    /// 生成公开网站和公示栏（只含可公开的内容，发布前做隐私检查）
    Publish(publish::Args),
    /// 从 Excel 或 CSV 表格导入居民户（先预览每一行，加 --apply 才写入）
    Import(import::Args),
    /// 打开桌面程序（不带子命令时也打开它）
    Gui(GuiArgs),
}

/// Arguments of `sibai gui`.
#[derive(Debug, clap::Args)]
pub struct GuiArgs {
    /// 居委会文件夹（含 data/ 台账）或台账文件夹本身；默认为当前文件夹
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        None | Some(Command::Gui(_)) => {
            eprintln!("桌面程序由 sibai 程序本身打开，不经命令行处理。");
            return ExitCode::from(2);
        }
        Some(Command::Init(a)) => init::run(a),
        Some(Command::Demo(a)) => demo::run(a),
        Some(Command::Check(a)) => check::run(a),
        Some(Command::Members(a)) => members::run(a),
        Some(Command::Restore(a)) => restore::run(a),
        Some(Command::Backup(a)) => backup::run(a),
        Some(Command::Publish(a)) => publish::run(a),
        Some(Command::Import(a)) => import::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::FAILURE
        }
    }
}

/// Options shared by the commands that unlock a vault.
#[derive(Debug, clap::Args)]
pub struct UnlockArgs {
    /// 台账文件夹，或包含它的居委会文件夹（其中的 data 或“台账”子文件夹；默认为当前文件夹）
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// 以哪位成员的身份解锁（默认第一位成员）
    #[arg(long, env = "SIBAI_MEMBER")]
    pub member: Option<String>,
}

impl UnlockArgs {
    /// The vault folder: the folder given, or its `data/` or `台账/`, as the app finds it.
    pub fn vault_dir(&self) -> PathBuf {
        crate::store::locate(&self.dir)
    }
}

/// An error of a command: from the store, or a message of its own.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// From the vault.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// From publishing.
    #[error(transparent)]
    Publish(#[from] crate::publish::PublishError),
    /// Anything else, already in Chinese.
    #[error("{0}")]
    Message(String),
}

/// Reads a passphrase from `env_var`, or asks for it without echo.
pub(crate) fn passphrase(env_var: &str, prompt: &str) -> Result<SecretString, CliError> {
    if let Ok(p) = std::env::var(env_var) {
        return Ok(SecretString::from(p));
    }
    rpassword::prompt_password(prompt)
        .map(SecretString::from)
        .map_err(|_| {
            CliError::Message(format!(
                "无法读取密码：请在终端中运行，或设置环境变量 {env_var}"
            ))
        })
}

/// Asks twice for a new passphrase (or reads `env_var`).
pub(crate) fn new_passphrase(env_var: &str, who: &str) -> Result<SecretString, CliError> {
    use crate::store::ExposeSecret;
    if let Ok(p) = std::env::var(env_var) {
        return Ok(SecretString::from(p));
    }
    let first = passphrase(env_var, &format!("请为“{who}”设置密码："))?;
    let second = passphrase(env_var, "请再输入一次：")?;
    if first.expose_secret() != second.expose_secret() {
        return Err(CliError::Message("两次输入的密码不一致，请重新运行".into()));
    }
    Ok(first)
}

/// The member to unlock as: given, or the vault's first.
pub(crate) fn member_of(dir: &Path, given: Option<String>) -> Result<String, CliError> {
    if let Some(m) = given {
        return Ok(m);
    }
    let meta = read_meta(dir)?;
    meta.members
        .first()
        .map(|m| m.name.clone())
        .ok_or_else(|| CliError::Message("台账中没有成员".into()))
}

/// Unlocks and loads a vault the usual way (passphrase from `SIBAI_PASSPHRASE` or a prompt).
pub(crate) fn open(args: &UnlockArgs, options: VaultOptions) -> Result<Vault, CliError> {
    Ok(open_timed(args, options, false, || {})?.0)
}

/// The process's peak resident memory in MiB, where the system tells it (Linux).
pub(crate) fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// How long opening a vault took: deriving the key from the passphrase, then reading and
/// decrypting the ledger.
pub(crate) struct OpenTimes {
    pub unlock: std::time::Duration,
    pub load: std::time::Duration,
}

/// [`open`], timing the key derivation and the loading apart (the time typing the passphrase
/// at a prompt is in neither). With `measure_memory`, the peak memory mark is reset once the
/// key is derived, so that [`peak_memory_mib`] tells what came after it (Linux only). `given`
/// runs once the passphrase is known, just before the key derivation.
pub(crate) fn open_timed(
    args: &UnlockArgs,
    options: VaultOptions,
    measure_memory: bool,
    given: impl FnOnce(),
) -> Result<(Vault, OpenTimes), CliError> {
    let dir = args.vault_dir();
    let member = member_of(&dir, args.member.clone())?;
    let pass = passphrase("SIBAI_PASSPHRASE", &format!("请输入“{member}”的密码："))?;
    given();
    let t = std::time::Instant::now();
    let unlocked = Unlocked::with_passphrase(&dir, &member, &pass, options)?;
    let unlock = t.elapsed();
    if measure_memory {
        // Linux: "5" resets the peak resident size to the current one. Elsewhere the file is
        // not there and the peak stays the process's whole.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
    }
    let t = std::time::Instant::now();
    let vault = unlocked.load_all()?;
    let load = t.elapsed();
    for w in vault.warnings() {
        eprintln!("注意：{w}");
    }
    Ok((vault, OpenTimes { unlock, load }))
}

/// Options from the environment: `SIBAI_SCRYPT_LOG_N` lowers the work factor (tests only);
/// `SIBAI_STATE_DIR` is where this PC's memory of each vault is kept.
pub(crate) fn options() -> VaultOptions {
    let mut o = VaultOptions::default();
    if let Some(n) = std::env::var("SIBAI_SCRYPT_LOG_N")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        o.scrypt_log_n = n;
    }
    // Where this PC remembers the newest save seen of each vault (tests keep it to themselves).
    if let Some(dir) = std::env::var_os("SIBAI_STATE_DIR") {
        o.state_dir = Some(dir.into());
    }
    o
}
