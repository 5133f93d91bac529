//! Publishing: the public site and its notices, built from the ledger through one public
//! projection (`public`), rendered with tera and pulldown-cmark, and checked by the privacy guard
//! before a single file is written. This module never imports egui, and templates never receive
//! a personal record.
//!
//! A publish renders each file in memory and runs the guard over it there; only a file found
//! clean is staged beside the output, and after the first hit nothing more is. Only when every
//! file has passed are the staged files moved into place and those that no longer belong
//! removed. A refused publish leaves the previous output exactly as it was, no staging behind,
//! and a list of hits traced to where each value came from (`trace`).

mod cache;
mod guard;
mod guide;
mod markdown;
mod output;
pub mod preview;
mod public;
mod render;
mod run;
pub mod search;
mod settings;
mod trace;

pub use guard::{Allowed, Guard, Hit, HitKind, Place, Reading, Source};
pub use guide::{GuideFront, PublicGuideItem};
pub use markdown::{allowed_link, render as render_markdown};
pub use output::WriteReport;
pub use public::{MIN_RESPONDENTS, PublicSite, project};
pub use render::{CSP, Files};
pub(crate) use run::drop_aside;
pub use run::{Prefetch, publish, publish_prefetched};

pub use settings::{Cadence, SettingsError, SiteSettings};

use crate::model::Ledger;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a publish failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// A content file is malformed.
    #[error("内容文件 {file} 有误：{detail}。请改正后再发布。")]
    Content {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A template failed to render.
    #[error("网页模板出错：{0}。如果改过主题（themes/），请检查改动；否则请报告这个问题。")]
    Template(String),
    /// Reading or writing failed.
    #[error("读写 {path} 时出错：{detail}。之前发布的网站没有改动。")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's message.
        detail: String,
    },
    /// The settings are malformed or name a theme that is not there.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The guard found personal data: nothing was written.
    #[error("隐私检查未通过：发现 {} 处疑似个人信息，本次没有发布任何文件，之前发布的网站没有改动。\n{}", .0.len(), list_hits(.0))]
    Leak(Vec<Hit>),
}

fn list_hits(hits: &[Hit]) -> String {
    let mut out: Vec<String> = hits.iter().take(50).map(|h| format!("  {h}")).collect();
    if hits.len() > 50 {
        out.push(format!("  ……另有 {} 处", hits.len() - 50));
    }
    out.join("\n")
}

/// What to publish from, and where.
pub struct PublishInput<'a> {
    /// The ledger (fully loaded).
    pub ledger: &'a Ledger,
    /// The committee folder: `content/` and `themes/` are read from here.
    pub root: &'a Path,
    /// Public settings (`data/site.ron`).
    pub settings: &'a SiteSettings,
    /// The day of publication.
    pub today: NaiveDate,
}

/// What a publish did.
#[derive(Debug, Clone)]
pub struct PublishReport {
    /// Files written, unchanged and removed.
    pub written: WriteReport,
    /// Files rendered and checked by the guard this time (the others are as they were when last
    /// checked, by a guard looking for the same things).
    pub checked: usize,
    /// Time taken.
    pub took: Duration,
    /// Where the time went.
    pub phases: Phases,
}

/// Where a publish spent its time. Rendering and checking run side by side on every core, so
/// their figures are thread time added up over the threads; the others are wall-clock time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Phases {
    /// Reading ahead, while the key was being derived, what the ledger has no part in: the
    /// theme, the record of the last publish, every guide file (see [`Prefetch`]); `None` when
    /// it was not read ahead.
    pub prefetched: Option<Duration>,
    /// Of what was read ahead: how many guide files were parsed, and how many groups of the
    /// search index's term shards made ahead the publish used.
    pub made_ahead: (usize, usize),
    /// Reading what the run needs: the public projection, the guard's values, and what was not
    /// read ahead (the theme, the record of the last publish, every guide file read whole and
    /// fingerprinted).
    pub read: Duration,
    /// Rendering, checking and staging what changed (wall-clock).
    pub build: Duration,
    /// Of which rendering (Markdown and templates), added up over the threads.
    pub render: Duration,
    /// Of which the privacy guard, added up over the threads.
    pub check: Duration,
    /// Waiting for the last staged files, moving them into place, removing what no longer
    /// belongs and saving the record.
    pub write: Duration,
}

impl Phases {
    /// The phases as lines for a person: `  名称：123 ms` (the publish bench reads them).
    pub fn lines(&self) -> Vec<String> {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut lines = Vec::new();
        if let Some(pre) = self.prefetched {
            let (parsed, groups) = self.made_ahead;
            lines.push(format!(
                "  同时（解锁的同时，另一个线程）读取主题、上次记录、内容文件，解析 {parsed} 个改动的事项，生成 {groups} 组搜索词表：{:.1} ms",
                ms(pre)
            ));
        }
        lines.extend([
            format!(
                "  读取（公开内容、检查词表；未预先读取的主题、上次记录、内容文件）：{:.1} ms",
                ms(self.read)
            ),
            format!("  生成与检查：{:.1} ms", ms(self.build)),
            format!("    其中生成（各线程合计）：{:.1} ms", ms(self.render)),
            format!("    其中隐私检查（各线程合计）：{:.1} ms", ms(self.check)),
            format!("  写入：{:.1} ms", ms(self.write)),
        ]);
        lines
    }
}

impl std::fmt::Display for PublishReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "写入 {} 个文件，未变 {} 个，删除 {} 个；用时 {:.2} 秒。",
            self.written.written.len(),
            self.written.unchanged,
            self.written.removed.len(),
            self.took.as_secs_f64()
        )?;
        let total = self.written.written.len() + self.written.unchanged;
        if self.checked == 0 {
            write!(
                f,
                "隐私检查：没有生成新文件；全部 {total} 个文件自上次通过检查后没有变化。"
            )
        } else if self.checked >= total {
            write!(f, "隐私检查：已检查全部 {total} 个文件，未发现个人信息。")
        } else {
            write!(
                f,
                "隐私检查：已检查本次生成的 {} 个文件，未发现个人信息；其余 {} 个文件自上次通过检查后没有变化。",
                self.checked,
                total - self.checked
            )
        }
    }
}

/// The JSON of `value`, for fingerprints. A value that cannot be written (never, for the public
/// types) gets random bytes, so that nothing recorded is trusted.
fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| rand::random::<u128>().to_le_bytes().to_vec())
}

fn theme_dir(input: &PublishInput<'_>) -> Result<Option<PathBuf>, PublishError> {
    theme_dir_of(input.root, input.settings)
}

/// The committee's theme folder under `root`, if the settings name one.
fn theme_dir_of(root: &Path, settings: &SiteSettings) -> Result<Option<PathBuf>, PublishError> {
    let name = settings.theme.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        return Err(PublishError::Settings(SettingsError::NoSuchTheme {
            name: settings.theme.clone(),
            path: dir,
        }));
    }
    Ok(Some(dir))
}

/// Renders the whole site in memory; nothing touches the disk and nothing is checked (see
/// [`check`]). For tests and previews: [`publish`] renders in pieces and only what changed.
pub fn build(input: &PublishInput<'_>) -> Result<Files, PublishError> {
    let site = public::project(input.ledger, input.settings, input.today);
    let theme = theme_dir(input)?;
    let guide = guide::load(&input.root.join("content"))?;
    render::render(&site, &guide, theme.as_deref())
}

/// The guard for `ledger`: the signers' names, and the office's phone and address, each allowed
/// only as itself (see [`Allowed`]).
pub fn guard_for(ledger: &Ledger, settings: &SiteSettings) -> Guard {
    let mut allowed = Allowed {
        signers: ledger
            .committee
            .workers
            .iter()
            .filter(|w| w.signs_notices)
            .map(|w| w.name.clone())
            .collect(),
        phones: vec![settings.office_phone.clone()],
        addresses: vec![settings.office_address.clone()],
    };
    if let Some(c) = &ledger.committee.committee {
        allowed.phones.push(c.office_phone.clone());
        allowed.addresses.push(c.office_address.clone());
    }
    Guard::new(ledger, &allowed)
}

/// Checks every file and file name.
pub fn check(ledger: &Ledger, settings: &SiteSettings, files: &Files) -> Vec<Hit> {
    let guard = guard_for(ledger, settings);
    let files: Vec<(&String, &Vec<u8>)> = files.iter().collect();
    files
        .par_iter()
        .flat_map_iter(|(path, bytes)| match std::str::from_utf8(bytes) {
            Ok(text) => guard.scan(path, text),
            Err(_) => guard.scan(path, &String::from_utf8_lossy(bytes)),
        })
        .collect()
}
