//! The 百事汇 service guide: one Markdown file per item in `content/guide/`, its TOML front matter
//! (between `+++` lines) holding the 五个统一 fields, its body free Markdown.

use super::PublishError;
use super::markdown;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The front matter of a guide item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideFront {
    /// 服务事项.
    pub title: String,
    /// Category the guide groups by (e.g. 为老服务, 社会救助).
    pub category: String,
    /// 适用对象.
    pub audience: String,
    /// 办理条件.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// 所需材料.
    #[serde(default)]
    pub materials: Vec<String>,
    /// 办事流程, step by step.
    #[serde(default)]
    pub steps: Vec<String>,
    /// 办理地点与时间.
    pub place_and_time: String,
    /// 政策依据.
    #[serde(default)]
    pub basis: Vec<String>,
    /// 评价方式.
    #[serde(default)]
    pub evaluation: String,
    /// Last verified against current policy, `2026-11-01`.
    pub verified: String,
    /// A sample shipped with sibai: to be checked against current local policy.
    #[serde(default)]
    pub sample: bool,
}

/// A guide item, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct PublicGuideItem {
    /// File stem (the page is `guide/<slug>.html`).
    pub slug: String,
    /// Front matter.
    #[serde(flatten)]
    pub front: GuideFront,
    /// The body, rendered.
    pub body_html: String,
    /// Plain text of the whole item, for the search index.
    #[serde(skip)]
    pub text: String,
}

/// What the site's index pages and search need of a guide item (the item itself is rendered
/// and dropped, so a large guide is never held in memory whole). The publish record keeps it
/// without its text, so that an item that did not change is listed without reading it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideEntry {
    /// File stem.
    pub slug: String,
    /// 服务事项.
    pub title: String,
    /// Category.
    pub category: String,
    /// 适用对象.
    pub audience: String,
    /// Plain text for the search index, whitespace collapsed (empty in the publish record).
    #[serde(skip)]
    pub text: String,
}

impl GuideEntry {
    /// The entry of `item`.
    pub fn of(item: &PublicGuideItem) -> GuideEntry {
        GuideEntry {
            slug: item.slug.clone(),
            title: item.front.title.clone(),
            category: item.front.category.clone(),
            audience: item.front.audience.clone(),
            text: markdown::collapse_whitespace(&item.text),
        }
    }

    /// The entry without its text: what the index pages show and the publish record keeps.
    pub fn head(&self) -> GuideEntry {
        GuideEntry {
            slug: self.slug.clone(),
            title: self.title.clone(),
            category: self.category.clone(),
            audience: self.audience.clone(),
            text: String::new(),
        }
    }

    /// Display order: by category, then title.
    pub fn order(&self) -> (&str, &str) {
        (&self.category, &self.title)
    }
}

/// Splits `+++\n…\n+++\n` front matter from the body.
pub(super) fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let end = rest.find("\n+++")?;
    let front = &rest[..end];
    let body = rest[end + 4..].trim_start_matches(['\r', '\n']);
    Some((front, body))
}

/// Reads one guide file.
pub fn parse_item(slug: &str, text: &str, file: &Path) -> Result<PublicGuideItem, PublishError> {
    let bad = |detail: String| PublishError::Content {
        file: file.to_path_buf(),
        detail,
    };
    let (front, body) =
        split_front_matter(text).ok_or_else(|| bad("开头缺少用 +++ 包起来的事项信息".into()))?;
    let front: GuideFront = toml::from_str(front).map_err(|e| bad(e.message().to_owned()))?;
    if front.title.trim().is_empty() {
        return Err(bad("服务事项（title）不能为空".into()));
    }
    let mut plain = vec![
        front.title.clone(),
        front.category.clone(),
        front.audience.clone(),
        front.place_and_time.clone(),
    ];
    plain.extend(front.conditions.iter().cloned());
    plain.extend(front.materials.iter().cloned());
    plain.extend(front.steps.iter().cloned());
    let (body_html, body_text) = markdown::render_with_text(body);
    plain.push(body_text);
    Ok(PublicGuideItem {
        slug: slug.to_owned(),
        body_html,
        text: plain.join("\n"),
        front,
    })
}

/// Reads one guide file into its item and its entry: the item's search text moves to the
/// entry (the page does not show it), so that it is held once.
pub fn parse_with_entry(
    source: &GuideSource,
    text: &str,
) -> Result<(PublicGuideItem, GuideEntry), PublishError> {
    parse_item(&source.slug, text, &source.path).map(|mut item| {
        let entry = GuideEntry::of(&item);
        item.text = String::new();
        (item, entry)
    })
}

/// One guide file: its slug and path.
#[derive(Debug, Clone)]
pub struct GuideSource {
    /// File stem: the page is `guide/<slug>.html`.
    pub slug: String,
    /// The file.
    pub path: PathBuf,
}

impl GuideSource {
    /// The file's text.
    pub fn read(&self) -> Result<String, PublishError> {
        std::fs::read_to_string(&self.path).map_err(|e| PublishError::Io {
            path: self.path.clone(),
            detail: e.to_string(),
        })
    }

    /// Reads and parses the file.
    pub fn load(&self) -> Result<PublicGuideItem, PublishError> {
        parse_item(&self.slug, &self.read()?, &self.path)
    }
}

/// Every `*.md` in `content/guide/`, by slug. A missing folder is an empty guide; a file name
/// that cannot be a web address is an error.
pub fn sources(content_dir: &Path) -> Result<Vec<GuideSource>, PublishError> {
    let dir = content_dir.join("guide");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(PublishError::Io {
                path: dir,
                detail: e.to_string(),
            });
        }
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if slug.is_empty() || !slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(PublishError::Content {
                file: path,
                detail: "文件名只能用英文字母、数字和连字符（它会成为网页地址）".into(),
            });
        }
        out.push(GuideSource { slug, path });
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(out)
}

/// Reads every `*.md` in `content/guide/`, sorted by category then title.
pub fn load(content_dir: &Path) -> Result<Vec<PublicGuideItem>, PublishError> {
    let mut items = sources(content_dir)?
        .par_iter()
        .map(GuideSource::load)
        .collect::<Result<Vec<_>, _>>()?;
    items.sort_by(|a, b| {
        (a.front.category.as_str(), a.front.title.as_str())
            .cmp(&(b.front.category.as_str(), b.front.title.as_str()))
    });
    Ok(items)
}
