//! Typed errors of the vault. Each message is in Chinese and says what to do next.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong opening or saving a vault.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No vault.ron in the folder.
    #[error(
        "文件夹 {0} 里没有台账（找不到 vault.ron）。请选择正确的文件夹，或用“sibai init”新建台账。"
    )]
    NotAVault(PathBuf),
    /// The folder already holds a vault.
    #[error("文件夹 {0} 里已经有台账，不能再次新建。")]
    AlreadyAVault(PathBuf),
    /// Made by a newer sibai.
    #[error(
        "这个台账由更新版本的四百创建（格式 {found}，本程序支持到 {supported}）。请先升级四百再打开，台账未作任何改动。"
    )]
    NewerFormat {
        /// Format found.
        found: u32,
        /// Newest supported.
        supported: u32,
    },
    /// Wrong passphrase.
    #[error("密码不对。请注意大小写和输入法（全角/半角），再试一次；忘记密码请用恢复密码重设。")]
    WrongPassphrase,
    /// A member's passphrase-wrapped key file does not match its recorded digest.
    #[error(
        "“{member}”的密钥文件 {file} 已损坏（与记录的校验值不符），不是密码的问题。台账本身没有受影响：请书记或主任用恢复密码为这位成员重设密码（sibai members passwd {member} --recovery），会生成新的密钥文件。"
    )]
    MemberKeyDamaged {
        /// Whose key.
        member: String,
        /// Which file.
        file: PathBuf,
    },
    /// The recovery key file does not match its recorded digest.
    #[error(
        "恢复密码的密钥文件 {0} 已损坏（与记录的校验值不符）。台账本身没有受影响：请任一成员解锁后重设恢复密码（sibai members passwd 恢复密码），并把新的恢复密码抄在纸上保管。"
    )]
    RecoveryKeyDamaged(PathBuf),
    /// Deriving the key would need more memory than the machine has free.
    #[error(
        "这个密钥的密码保护强度（2^{log_n}）解锁时需要约 {need_mib} MB 内存，这台电脑现在只有约 {free_mib} MB 可用。请关闭其他程序后再试，或在内存更大的电脑上解锁后重设密码（新密码会用适合办公电脑的强度）。台账未作任何改动。"
    )]
    NotEnoughMemory {
        /// The scrypt work factor.
        log_n: u8,
        /// Memory scrypt needs, in MiB.
        need_mib: u64,
        /// Memory free, in MiB.
        free_mib: u64,
    },
    /// No such member.
    #[error("台账成员中没有“{name}”。现有成员：{known}。")]
    UnknownMember {
        /// Name asked for.
        name: String,
        /// Names that exist.
        known: String,
    },
    /// A file cannot be decrypted or parsed.
    #[error(
        "文件 {file} 已损坏（{detail}）。台账未作任何改动。请在解锁界面点“从备份恢复”（或运行 sibai restore），恢复到最近一次完好的保存。"
    )]
    Damaged {
        /// Which file.
        file: PathBuf,
        /// What was wrong (technical).
        detail: String,
    },
    /// `vault.ron` is damaged and has no copy to repair it from.
    #[error(
        "台账的成员名单文件 {file} 已损坏（{detail}），也没有找到它的副本。台账数据没有受影响：请从U盘备份恢复到一个新的空文件夹（sibai restore --from-backup 备份文件 新文件夹 --recovery），或联系技术支持。"
    )]
    MetaDamaged {
        /// Which file.
        file: PathBuf,
        /// What was wrong.
        detail: String,
    },
    /// A file was not encrypted for this vault: someone wrote it without unlocking.
    #[error(
        "文件 {0} 不是用本台账的密钥加密的，可能被人替换过。台账未作任何改动；请在解锁界面点“从备份恢复”（或运行 sibai restore），并检查这台电脑的使用情况。"
    )]
    NotThisVault(PathBuf),
    /// A file is older than the last generation seen.
    #[error(
        "文件 {file} 是旧版本（第 {found} 版，应至少为第 {expected} 版），可能被人用旧文件替换。台账未作任何改动。请在解锁界面点“从备份恢复”（或运行 sibai restore）查看各次保存，恢复到最近一次完好的保存。"
    )]
    RolledBack {
        /// Which file.
        file: PathBuf,
        /// Generation found.
        found: u64,
        /// Generation expected at least.
        expected: u64,
    },
    /// The vault opened older than the newest save this PC has seen of it.
    #[error(
        "注意：这本台账现在是第 {current} 次保存，但这台电脑在 {seen_at} 打开过第 {seen} 次保存：台账可能被换成了旧的副本，之后录入的内容不在里面。{}",
        older_advice(*.newer_kept)
    )]
    OlderThanSeen {
        /// The save counter now.
        current: u64,
        /// The highest seen here.
        seen: u64,
        /// When it was seen.
        seen_at: String,
        /// Whether the backups hold a newer save.
        newer_kept: bool,
    },
    /// The vault opened older than a member's own last save.
    #[error(
        "注意：这本台账现在是第 {current} 次保存，但“{member}”在 {at} 保存过第 {seq} 次：台账文件可能被换成了旧的副本，之后录入的内容不在里面。{}",
        older_advice(*.newer_kept)
    )]
    OlderThanSaved {
        /// The save counter now.
        current: u64,
        /// Who saved the newer one.
        member: String,
        /// Their newest save.
        seq: u64,
        /// When.
        at: String,
        /// Whether the backups hold a newer save.
        newer_kept: bool,
    },
    /// Another instance holds the write lock.
    #[error(
        "台账正被另一个四百窗口或另一台电脑使用，现在只能查看、不能保存。请先关闭另一个窗口再打开。"
    )]
    LockedByOther,
    /// The vault folder cannot be written.
    #[error(
        "台账文件夹 {0} 不能写入（只读的U盘或光盘，或这个账户没有写入权限），现在只能查看、不能保存。要修改，请把整个台账文件夹复制到本机硬盘再打开，或请管理员开通写入权限。"
    )]
    ReadOnlyMedia(PathBuf),
    /// Save attempted on a read-only vault.
    #[error(
        "台账以只读方式打开（另一个窗口正在使用），修改没有保存。请关闭另一个窗口后重新打开本台账。"
    )]
    ReadOnly,
    /// A save or member change was asked for while a save is still being written.
    #[error("上一次保存还在进行中，请稍候再试。")]
    SaveInProgress,
    /// The disk is full.
    #[error("磁盘已满，保存没有完成，修改仍保留在内存中。请清理磁盘空间（或换一个U盘）后再保存。")]
    DiskFull,
    /// The live file changed since it was loaded.
    #[error(
        "文件 {0} 在打开之后被其他程序改动过。为避免覆盖，本次保存已取消，修改仍保留在内存中。请关闭其他程序后重新打开台账。"
    )]
    ChangedOnDisk(PathBuf),
    /// The file written does not read back as written.
    #[error(
        "写入 {0} 后读回校验不一致，保存已取消，修改仍保留在内存中。磁盘或U盘可能有问题，请换一个位置保存。"
    )]
    VerifyFailed(PathBuf),
    /// Any other I/O error.
    #[error(
        "{action} {path} 时出错：{}。修改仍保留在内存中，请稍后再试。",
        io_text(source)
    )]
    Io {
        /// What we were doing (Chinese).
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// A member with that name exists.
    #[error("成员“{0}”已经存在。")]
    MemberExists(String),
    /// Cannot remove the last member.
    #[error("不能删除最后一位成员，否则台账将无法打开。")]
    LastMember,
    /// A bad member name.
    #[error("成员姓名不能为空，也不能包含路径字符。")]
    BadMemberName,
    /// A passphrase that is too short.
    #[error("密码太短：至少需要 {0} 个字符。")]
    WeakPassphrase(usize),
    /// The in-memory data cannot be encoded (a bug).
    #[error("数据编码失败（{0}），保存已取消，修改仍保留在内存中。请联系技术支持。")]
    Encode(String),
    /// No saved state is whole: nothing can be restored.
    #[error(
        "没有找到可以恢复的完好保存：每一次保存都缺少文件或有文件损坏。台账未作任何改动；请联系技术支持，并带上U盘备份。"
    )]
    NothingToRestore,
    /// A restore into a folder that is not empty.
    #[error("文件夹 {0} 不是空的。请选一个新的空文件夹来放恢复的台账，原有文件不会被覆盖。")]
    NotEmpty(PathBuf),
    /// No backup with that generation.
    #[error("没有找到 {file} 的第 {generation} 版备份。")]
    NoSuchBackup {
        /// Collection stem.
        file: String,
        /// Generation asked for.
        generation: u64,
    },
}

impl StoreError {
    /// Whether restoring an earlier save fixes it: a ledger file or the manifest damaged,
    /// missing, not this vault's, or older than expected (see `Unlocked::survey`).
    pub fn is_fixed_by_restore(&self) -> bool {
        matches!(
            self,
            StoreError::Damaged { .. }
                | StoreError::RolledBack { .. }
                | StoreError::NotThisVault(_)
        )
    }

    /// Wraps an I/O error, recognising a full disk.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: io::Error,
    ) -> StoreError {
        if is_disk_full(&source) {
            StoreError::DiskFull
        } else {
            StoreError::Io {
                action,
                path: path.into(),
                source,
            }
        }
    }
}

/// An I/O error in Chinese (the system's own text is English on many PCs), with the system's
/// error number for whoever supports the committee.
pub fn io_text(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "找不到这个文件或文件夹",
        K::PermissionDenied => "没有权限（文件可能被设为只读，或被杀毒软件拦住）",
        K::ReadOnlyFilesystem => "磁盘或U盘是只读的",
        K::AlreadyExists => "同名文件已经存在",
        K::StorageFull | K::QuotaExceeded => "磁盘已满",
        K::Interrupted | K::TimedOut => "操作被打断",
        K::UnexpectedEof => "文件不完整",
        K::InvalidData | K::InvalidInput => "文件内容不对",
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被别的程序使用",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "这不是一个文件夹",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::CrossesDevices => "不能跨磁盘移动",
        _ => "读写出错",
    };
    match e.raw_os_error() {
        Some(code) => format!("{what}（系统错误 {code}）"),
        None => what.to_owned(),
    }
}

/// What to do about a vault older than this PC has seen.
fn older_advice(newer_kept: bool) -> &'static str {
    if newer_kept {
        "备份里有较新的保存：请点“从备份恢复”（或运行 sibai restore）查看并恢复。"
    } else {
        "备份里也没有较新的保存：请找到较新的副本（例如U盘备份）。如果确认现在这份是对的，继续使用即可，这个提示只出现这一次。"
    }
}

fn is_disk_full(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::StorageFull || e.kind() == io::ErrorKind::QuotaExceeded {
        return true;
    }
    match e.raw_os_error() {
        #[cfg(unix)]
        Some(28) => true, // ENOSPC
        #[cfg(windows)]
        Some(39 | 112) => true, // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        _ => false,
    }
}
