//! 预览公示: a project's plan or outcome notice, or a fund's half-yearly disclosure, exactly as
//! `sibai publish` will print it (the same projection, the committee's theme and the board
//! templates), rendered in memory and checked by the privacy guard, for the app to open in the
//! browser before the notice is posted. The board's style sheet is put inline, since the page
//! is served alone.

use super::guard::Hit;
use super::public::{PublicSite, one_disclosure, one_project};
use super::render::{Theme, notice_board};
use super::settings::SiteSettings;
use super::{PublishError, check, theme_dir_of};
use crate::model::{FundKind, Ledger, ProjectId, ProjectStage};
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// Which notice of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// 方案公示.
    Plan,
    /// 结果公示.
    Outcome,
}

/// The notice as one HTML page; refused as `Leak` when the guard finds anything personal in
/// it (the app says so before anything is posted).
pub fn project_notice(
    ledger: &Ledger,
    settings: &SiteSettings,
    root: &Path,
    id: ProjectId,
    notice: Notice,
    today: NaiveDate,
) -> Result<String, PublishError> {
    let project = ledger
        .projects
        .project(id)
        .ok_or_else(|| PublishError::Template(format!("找不到第 {} 号实事项目", id.0)))?;
    let (stage, kind) = match notice {
        Notice::Plan => (ProjectStage::PlanPublished, "plan"),
        Notice::Outcome => (ProjectStage::OutcomePublished, "outcome"),
    };
    let site = one_project(ledger, settings, project, stage, today);
    board(ledger, settings, root, &site, kind)
}

/// The disclosure of `fund` for the period (half-year, or quarter if the committee discloses
/// quarterly) that holds `on`, as it will be published when that period has ended.
pub fn fund_disclosure(
    ledger: &Ledger,
    settings: &SiteSettings,
    root: &Path,
    fund: FundKind,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<String, PublishError> {
    let site = one_disclosure(ledger, settings, fund, on, today).ok_or_else(|| {
        PublishError::Template(format!(
            "{}年没有{}的记录，无可公示",
            on.year(),
            fund.label()
        ))
    })?;
    board(ledger, settings, root, &site, "fund")
}

/// The one board of `kind` in `site`, guarded, its style inline.
fn board(
    ledger: &Ledger,
    settings: &SiteSettings,
    root: &Path,
    site: &PublicSite,
    kind: &str,
) -> Result<String, PublishError> {
    let theme = Theme::load(theme_dir_of(root, settings)?.as_deref())?;
    let board = site
        .boards
        .iter()
        .find(|b| b.kind == kind)
        .ok_or_else(|| PublishError::Template(format!("没有 {kind} 公示栏")))?;
    let (path, html) = notice_board(&theme, site, board)?;
    let files = [(path, html.into_bytes())].into_iter().collect();
    let hits: Vec<Hit> = check(ledger, settings, &files);
    if !hits.is_empty() {
        return Err(PublishError::Leak(hits));
    }
    let html = files
        .into_values()
        .next()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    Ok(inline_style(&html, &theme))
}

/// The page with its board style sheet inline (and the policy allowing it), for serving alone.
fn inline_style(html: &str, theme: &Theme) -> String {
    let css = theme
        .asset("assets/board.css")
        .unwrap_or_default()
        .replace("</", "<\\/");
    let mut out = String::with_capacity(html.len() + css.len());
    for line in html.lines() {
        if line.contains("rel=\"stylesheet\"") && line.contains("board.css") {
            out.push_str("<style>");
            out.push_str(&css);
            out.push_str("</style>");
        } else if line.contains("Content-Security-Policy") {
            out.push_str(&line.replace("style-src 'self'", "style-src 'unsafe-inline'"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}
