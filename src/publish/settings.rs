//! `data/site.ron`: the public settings of the site (plaintext, nothing personal): the theme, the
//! office's public contact details, how often funds are disclosed.

pub use crate::model::Cadence;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The public settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteSettings {
    /// Theme folder under `themes/` overriding the built-in templates; empty for the built-in.
    pub theme: String,
    /// Office address (overrides the ledger's when set).
    pub office_address: String,
    /// Office hours.
    pub office_hours: String,
    /// Office phone (a landline).
    pub office_phone: String,
    /// Disclosure cadence.
    pub cadence: Cadence,
}

/// Why the site settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file is not valid RON for the settings.
    #[error(
        "网站设置文件 {path} 格式不对：{detail}。请改正它（可对照 data/site.ron 的示例），或把它移走以使用默认设置。"
    )]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        detail: String,
    },
    /// The file exists but cannot be read.
    #[error("读取网站设置文件 {path} 时出错：{detail}。请检查文件权限后再试。")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The system's message.
        detail: String,
    },
    /// The theme the settings name is not there.
    #[error(
        "网站设置里的主题“{name}”不存在（应在 {path}）。请检查主题名称，或把 theme 设为空以使用内置主题。"
    )]
    NoSuchTheme {
        /// The theme's name.
        name: String,
        /// Where it was looked for.
        path: PathBuf,
    },
}

impl SiteSettings {
    /// Reads `site.ron` in the vault folder; a missing file means the defaults.
    pub fn load(vault_dir: &Path) -> Result<SiteSettings, SettingsError> {
        let path = vault_dir.join("site.ron");
        match std::fs::read_to_string(&path) {
            Ok(text) => ron::from_str(&text).map_err(|e| SettingsError::Malformed {
                path,
                detail: e.to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SiteSettings::default()),
            Err(e) => Err(SettingsError::Unreadable {
                path,
                detail: e.to_string(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_the_defaults_and_a_malformed_one_says_where() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            SiteSettings::load(dir.path()).ok(),
            Some(SiteSettings::default())
        );
        std::fs::write(dir.path().join("site.ron"), "(theme: 3)").unwrap_or_default();
        let err = SiteSettings::load(dir.path()).err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("site.ron") && e.contains("格式不对")),
            "{err:?}"
        );
    }
}
