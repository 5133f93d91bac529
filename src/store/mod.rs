//! The vault folder: keys, age encryption, RON encoding, atomic saves, backups, the OS lock and
//! the format version. Plaintext exists only in memory: nothing here writes it to disk. Nothing
//! that renders (publish, gui) reaches inside; they receive a `Ledger` to read.

mod codec;
mod crypto;
mod error;
#[cfg(any(test, feature = "testing"))]
mod faulty;
mod fs;
mod layout;
mod lock;
mod meta;
mod seen;
mod vault;

/// Re-exported so callers hold passphrases as `SecretString` without naming age.
pub use age::secrecy::{ExposeSecret, SecretString};
pub use error::{StoreError, io_text};
#[cfg(any(test, feature = "testing"))]
pub use faulty::{FaultKind, FaultyFs, FsOp};
pub use fs::{FileSystem, RealFs};
pub use layout::{LEDGER_SUBFOLDER, is_vault, locate, read_meta};
pub use meta::{FORMAT, MemberEntry, RECOVERY_NAME, VaultMeta};
pub use vault::{
    ArchiveJob, ArchiveReport, BackupInfo, FileCopy, LoadScope, LoadedParts, NewMember,
    PendingLoad, PickFirst, Place, RecoveryPassphrase, RestoreReport, SaveJob, SaveOutcome,
    SaveReport, SavedState, Survey, Unlocked, Vault, VaultOptions, restore_archive,
    saved_time_text,
};
