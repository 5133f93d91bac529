//! Where things are in a vault folder: `vault.ron`, `keys/`, `ledger/` with one file per
//! collection and generation, `backups/`; whether a folder holds a vault, and finding it in a
//! committee folder (`data/`) or the subfolder the first-run wizard makes (`台账/`).

use super::codec;
use super::error::StoreError;
use super::meta::{FORMAT, VaultMeta};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Paths inside a vault folder.
pub(super) fn meta_path(dir: &Path) -> PathBuf {
    dir.join("vault.ron")
}
pub(super) fn keys_dir(dir: &Path) -> PathBuf {
    dir.join("keys")
}
pub(super) fn ledger_dir(dir: &Path) -> PathBuf {
    dir.join("ledger")
}
pub(super) fn backups_dir(dir: &Path) -> PathBuf {
    dir.join("backups")
}
/// `ledger/problems.00000007.ron.age`: the file of one generation of a collection.
pub(super) fn live_path(dir: &Path, stem: &str, generation: u64) -> PathBuf {
    ledger_dir(dir).join(generation_name(stem, generation))
}
fn generation_name(stem: &str, generation: u64) -> String {
    format!("{stem}.{generation:08}.ron.age")
}
pub(super) fn manifest_path(dir: &Path) -> PathBuf {
    ledger_dir(dir).join("manifest.ron.age")
}
pub(super) fn backup_path(dir: &Path, stem: &str, generation: u64) -> PathBuf {
    backups_dir(dir).join(generation_name(stem, generation))
}
/// The stem under which earlier manifests are kept in `backups/`.
pub(super) const MANIFEST_STEM: &str = "manifest";
pub(super) fn key_path(dir: &Path, key_file: &str) -> PathBuf {
    keys_dir(dir).join(format!("{key_file}.age"))
}
pub(super) fn grant_path(dir: &Path, key_file: &str) -> PathBuf {
    keys_dir(dir).join(format!("{key_file}.grant.age"))
}
pub(super) fn recipients_path(dir: &Path) -> PathBuf {
    keys_dir(dir).join("recipients.age")
}

/// The copy of `vault.ron` every change of it also writes, in `backups/`.
pub(super) fn meta_copy_path(dir: &Path) -> PathBuf {
    backups_dir(dir).join("vault.ron")
}

/// Whether a folder holds a vault (its `vault.ron`, or when that is gone, the copy beside a
/// ledger).
pub fn is_vault(dir: &Path) -> bool {
    meta_path(dir).is_file() || (meta_copy_path(dir).is_file() && ledger_dir(dir).is_dir())
}

/// The subfolder a ledger is made in when the chosen folder already holds other files (the
/// program itself, say); the app and the commands look in it too.
pub const LEDGER_SUBFOLDER: &str = "台账";

/// The vault folder for `dir`: `dir` itself if it holds one, else its `data/` (a committee
/// folder, like the demo in the repository) or its [`LEDGER_SUBFOLDER`]; `dir` when none does.
pub fn locate(dir: &Path) -> PathBuf {
    if is_vault(dir) {
        return dir.to_path_buf();
    }
    [dir.join("data"), dir.join(LEDGER_SUBFOLDER)]
        .into_iter()
        .find(|d| is_vault(d))
        .unwrap_or_else(|| dir.to_path_buf())
}

/// Reads `vault.ron`; when it is missing or damaged, the copy in `backups/` (the vault
/// repairs `vault.ron` from it at its next open that may write).
pub fn read_meta(dir: &Path) -> Result<VaultMeta, StoreError> {
    match read_meta_file(dir, &meta_path(dir)) {
        Err(StoreError::NotAVault(_) | StoreError::Damaged { .. })
            if meta_copy_path(dir).is_file() =>
        {
            read_meta_file(dir, &meta_copy_path(dir))
        }
        Err(StoreError::Damaged { file, detail }) => Err(StoreError::MetaDamaged { file, detail }),
        other => other,
    }
}

/// Whether `vault.ron` itself reads (not only its copy).
pub(super) fn meta_file_reads(dir: &Path) -> bool {
    read_meta_file(dir, &meta_path(dir)).is_ok()
}

fn read_meta_file(dir: &Path, path: &Path) -> Result<VaultMeta, StoreError> {
    let path = path.to_path_buf();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NotAVault(dir.to_path_buf()));
        }
        Err(e) => return Err(StoreError::io("读取", path, e)),
    };
    let text = String::from_utf8(bytes).map_err(|_| StoreError::Damaged {
        file: path.clone(),
        detail: "不是 UTF-8 文本".into(),
    })?;
    // Read the format first, so a newer vault gets the right message even if its fields differ.
    #[derive(Deserialize)]
    struct FormatOnly {
        format: u32,
    }
    if let Ok(f) = codec::from_ron::<FormatOnly>(&text)
        && f.format > FORMAT
    {
        return Err(StoreError::NewerFormat {
            found: f.format,
            supported: FORMAT,
        });
    }
    codec::from_ron(&text).map_err(|detail| StoreError::Damaged { file: path, detail })
}
