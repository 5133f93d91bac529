//! Publishing: the public site and its notices, built from the ledger through one public
//! projection (`public`), rendered with tera and pulldown-cmark, and checked by the privacy guard
//! before a single file is written. This module never imports egui, and templates never receive
//! a personal record.
//!
//! A publish renders every file in memory, runs the guard over all of it, and only when the guard
//! passes writes the files that changed and removes those that no longer belong. A failed publish
//! leaves the previous output exactly as it was.

mod guard;
mod guide;
mod markdown;
mod output;
mod public;
mod render;
mod settings;

pub use guard::{Guard, Hit, HitKind, normalise};
pub use guide::{GuideFront, PublicGuideItem};
pub use markdown::{allowed_link, render as render_markdown};
pub use output::{WriteReport, write as write_files};
pub use public::{MIN_RESPONDENTS, PublicSite, project};
pub use render::{CSP, Files};
pub use settings::{Cadence, SiteSettings};

use crate::model::Ledger;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    /// The settings file is malformed.
    #[error("{0}")]
    Settings(String),
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
    /// Files checked by the guard.
    pub checked: usize,
    /// Time taken.
    pub took: Duration,
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
        write!(
            f,
            "隐私检查：已检查 {} 个文件，未发现个人信息。",
            self.checked
        )
    }
}

/// Renders the site in memory and runs the guard: nothing touches the disk.
pub fn build(input: &PublishInput<'_>) -> Result<Files, PublishError> {
    let site = public::project(input.ledger, input.settings, input.today);
    let guide = guide::load(&input.root.join("content"))?;
    let theme = (!input.settings.theme.trim().is_empty())
        .then(|| input.root.join("themes").join(input.settings.theme.trim()));
    if let Some(t) = &theme
        && !t.is_dir()
    {
        return Err(PublishError::Settings(format!(
            "网站设置里的主题“{}”不存在（应在 {}）。",
            input.settings.theme,
            t.display()
        )));
    }
    render::render(&site, &guide, theme.as_deref())
}

/// Checks every file and file name. The signers' names and the office phone are allowed.
pub fn check(ledger: &Ledger, settings: &SiteSettings, files: &Files) -> Vec<Hit> {
    let mut allowed: Vec<String> = ledger
        .committee
        .workers
        .iter()
        .filter(|w| w.signs_notices)
        .map(|w| w.name.clone())
        .collect();
    allowed.push(settings.office_phone.clone());
    if let Some(c) = &ledger.committee.committee {
        allowed.push(c.office_phone.clone());
    }
    let guard = Guard::new(ledger, &allowed);
    let files: Vec<(&String, &Vec<u8>)> = files.iter().collect();
    files
        .par_iter()
        .flat_map_iter(|(path, bytes)| guard.scan(path, &String::from_utf8_lossy(bytes)))
        .collect()
}

/// Builds, checks and writes the site to `out`.
pub fn publish(input: &PublishInput<'_>, out: &Path) -> Result<PublishReport, PublishError> {
    let started = Instant::now();
    let files = build(input)?;
    let hits = check(input.ledger, input.settings, &files);
    if !hits.is_empty() {
        return Err(PublishError::Leak(hits));
    }
    let written = output::write(out, &files)?;
    Ok(PublishReport {
        written,
        checked: files.len(),
        took: started.elapsed(),
    })
}
