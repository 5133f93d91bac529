//! `data/site.ron`: the public settings of the site (plaintext, nothing personal): the theme, the
//! office's public contact details, how often funds are disclosed.

pub use crate::model::Cadence;
use serde::{Deserialize, Serialize};
use std::path::Path;

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

impl SiteSettings {
    /// Reads `site.ron` in the vault folder; a missing file means the defaults.
    pub fn load(vault_dir: &Path) -> Result<SiteSettings, String> {
        let path = vault_dir.join("site.ron");
        match std::fs::read_to_string(&path) {
            Ok(text) => ron::from_str(&text)
                .map_err(|e| format!("网站设置文件 {} 格式不对：{e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SiteSettings::default()),
            Err(e) => Err(format!("读取网站设置文件 {} 时出错：{e}", path.display())),
        }
    }
}
