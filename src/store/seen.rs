//! What this PC has seen of each vault: the newest save it opened or wrote, kept outside the
//! vault (in the user's local data folder, beside nothing personal: a vault's id, a save number
//! and a time). A vault that opens older than that was probably replaced by an old copy (a
//! whole folder copied back from a USB stick, a sync tool), which the vault's own checks cannot
//! see because every file in it agrees with every other.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The newest save of one vault seen on this PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SeenSave {
    /// The vault's save counter.
    pub save_seq: u64,
    /// When this PC saw it (local time, `2026-11-23 14:05`).
    pub seen_at: String,
}

/// The file of vault `key`: `<state dir>/seen/<key>.ron`, one a vault so that two vaults (or
/// two windows) never rewrite each other's; the state dir is the one given, else the user's
/// local data folder's `sibai`.
fn file(state_dir: Option<&Path>, key: &str) -> Option<PathBuf> {
    let dir = match state_dir {
        Some(d) => d.to_path_buf(),
        None => dirs::data_local_dir()?.join("sibai"),
    };
    // The key is ours (hex), but never let it name a path.
    let key: String = key.chars().filter(char::is_ascii_alphanumeric).collect();
    Some(dir.join("seen").join(format!("{key}.ron")))
}

/// The newest save of vault `key` this PC has seen.
pub(crate) fn get(state_dir: Option<&Path>, key: &str) -> Option<SeenSave> {
    let text = std::fs::read_to_string(file(state_dir, key)?).ok()?;
    ron::from_str(&text).ok()
}

/// Remembers `save_seq` as the newest save of vault `key` seen here. Best effort: a PC that
/// cannot write its data folder only loses this check.
pub(crate) fn record(state_dir: Option<&Path>, key: &str, save_seq: u64) {
    let Some(path) = file(state_dir, key) else {
        return;
    };
    if get(state_dir, key).is_some_and(|s| s.save_seq == save_seq) {
        return;
    }
    let seen = SeenSave {
        save_seq,
        seen_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
    };
    let Ok(text) = ron::ser::to_string_pretty(&seen, ron::ser::PrettyConfig::default()) else {
        return;
    };
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{:?}",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id(),
        std::thread::current().id()
    ));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &path).is_ok() {
        return;
    }
    let _ = std::fs::remove_file(&tmp);
}
