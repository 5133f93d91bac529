//! Renders the public site with tera: the built-in theme (`themes/default/`, its templates and
//! assets compiled into the binary), any file of which a committee's theme
//! (`themes/<name>/templates/<file>`, `themes/<name>/assets/<file>`) overrides by name, like
//! Zola. Templates receive only the public projection.

use super::guide::{GuideEntry, PublicGuideItem};
use super::public::{PublicBoard, PublicDisclosure, PublicProject, PublicSite};
use super::{PublishError, search};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tera::{Context, Tera};
use xxhash_rust::xxh3::Xxh3;

/// The built-in templates.
const BUILTIN: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "signature.html",
        include_str!("../../themes/default/templates/signature.html"),
    ),
    (
        "print_links.html",
        include_str!("../../themes/default/templates/print_links.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "notices.html",
        include_str!("../../themes/default/templates/notices.html"),
    ),
    (
        "funds.html",
        include_str!("../../themes/default/templates/funds.html"),
    ),
    (
        "fund.html",
        include_str!("../../themes/default/templates/fund.html"),
    ),
    (
        "projects.html",
        include_str!("../../themes/default/templates/projects.html"),
    ),
    (
        "project.html",
        include_str!("../../themes/default/templates/project.html"),
    ),
    (
        "guide_index.html",
        include_str!("../../themes/default/templates/guide_index.html"),
    ),
    (
        "guide_item.html",
        include_str!("../../themes/default/templates/guide_item.html"),
    ),
    (
        "about.html",
        include_str!("../../themes/default/templates/about.html"),
    ),
    (
        "fund_body.html",
        include_str!("../../themes/default/templates/fund_body.html"),
    ),
    (
        "plan_body.html",
        include_str!("../../themes/default/templates/plan_body.html"),
    ),
    (
        "outcome_body.html",
        include_str!("../../themes/default/templates/outcome_body.html"),
    ),
    (
        "guide_body.html",
        include_str!("../../themes/default/templates/guide_body.html"),
    ),
    (
        "site_top.html",
        include_str!("../../themes/default/templates/site_top.html"),
    ),
    (
        "site_foot.html",
        include_str!("../../themes/default/templates/site_foot.html"),
    ),
    (
        "board_base.html",
        include_str!("../../themes/default/templates/board_base.html"),
    ),
    (
        "board_note.html",
        include_str!("../../themes/default/templates/board_note.html"),
    ),
    (
        "board_head.html",
        include_str!("../../themes/default/templates/board_head.html"),
    ),
    (
        "board_foot.html",
        include_str!("../../themes/default/templates/board_foot.html"),
    ),
    (
        "board_fund.html",
        include_str!("../../themes/default/templates/board_fund.html"),
    ),
    (
        "board_plan.html",
        include_str!("../../themes/default/templates/board_plan.html"),
    ),
    (
        "board_outcome.html",
        include_str!("../../themes/default/templates/board_outcome.html"),
    ),
    (
        "boards.html",
        include_str!("../../themes/default/templates/boards.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
];

/// The search page's script.
const SEARCH_JS: &str = include_str!("../../themes/default/assets/search.js");

/// The boards' stylesheet, for either paper (a theme may override it).
const BOARD_CSS: &str = include_str!("../../themes/default/assets/board.css");

/// The built-in stylesheet (a theme may override `assets/site.css`).
const SITE_CSS: &str = include_str!("../../themes/default/assets/site.css");

/// No external resource of any kind; scripts and styles only from the site itself.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; \
     base-uri 'none'; form-action 'none'";

/// The output: relative path → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// A theme ready to render: the templates (built-in, overridden file by file by the theme) and
/// the static assets, with a fingerprint of all of them.
pub struct Theme {
    tera: Tera,
    assets: Vec<(String, String)>,
    key: u128,
    /// Whether the theme overrides a template: it may have been written before the plain
    /// names, so a guide page also carries its item as `g` (see [`guide_page`]).
    overrides: bool,
}

impl Theme {
    /// The built-in theme, overridden by `theme_dir` where it has a file of the same name.
    pub fn load(theme_dir: Option<&Path>) -> Result<Theme, PublishError> {
        let mut templates: Vec<(String, String)> = BUILTIN
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        let read = |path: PathBuf| match std::fs::read_to_string(&path) {
            Ok(over) => Ok(Some(over)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(PublishError::Io {
                path,
                detail: e.to_string(),
            }),
        };
        let mut overrides = false;
        if let Some(dir) = theme_dir {
            for (name, text) in &mut templates {
                if let Some(over) = read(dir.join("templates").join(&*name))? {
                    *text = over;
                    overrides = true;
                }
            }
        }
        let mut assets: Vec<(String, String)> = vec![
            ("site.css".to_owned(), SITE_CSS.to_owned()),
            ("board.css".to_owned(), BOARD_CSS.to_owned()),
            ("search.js".to_owned(), SEARCH_JS.to_owned()),
        ];
        if let Some(dir) = theme_dir {
            for (name, text) in &mut assets {
                if let Some(over) = read(dir.join("assets").join(&*name))? {
                    *text = over;
                }
            }
        }
        let mut key = Xxh3::new();
        for (name, text) in templates.iter().chain(&assets) {
            key.update(name.as_bytes());
            key.update(&[0]);
            key.update(text.as_bytes());
            key.update(&[0]);
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(templates)
            .map_err(|e| PublishError::Template(error_chain(&e)))?;
        Ok(Theme {
            tera,
            assets: assets
                .into_iter()
                .map(|(n, t)| (format!("assets/{n}"), t))
                .collect(),
            key: key.digest128(),
            overrides,
        })
    }

    /// An asset's text by its path (`assets/board.css`).
    pub fn asset(&self, path: &str) -> Option<String> {
        self.assets
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.clone())
    }

    /// A fingerprint of every template and asset.
    pub fn key(&self) -> u128 {
        self.key
    }

    fn render(&self, template: &str, path: &str, base: &Context, extra: Context) -> Page {
        let mut ctx = base.clone();
        ctx.insert("root", &"../".repeat(path.matches('/').count()));
        ctx.extend(extra);
        // Into bytes, then validated as UTF-8 by simdutf8: tera's own `render` does it with
        // the standard library's check, a tenth of the time of a guide page.
        let mut html = Vec::with_capacity(RENDERED);
        self.tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| PublishError::Template(format!("{path}：{}", error_chain(&e))))?;
        let html = simdutf8::basic::from_utf8(&html)
            .map_err(|_| PublishError::Template(format!("{path}：生成的文字不是 UTF-8 编码")))?;
        Ok((path.to_owned(), html.to_owned()))
    }
}

fn error_chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push('：');
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Room made for a rendered page before it is rendered (a guide page is 6–10 KB).
const RENDERED: usize = 16 * 1024;

/// One rendered file: relative path and text.
pub type Page = Result<(String, String), PublishError>;

/// What every page knows of the site. Guide pages get only this, so that they stay the same from
/// one publish to the next unless their own file, the theme or the committee changes.
#[derive(Serialize)]
pub struct SiteHead<'a> {
    committee: &'a super::public::PublicCommittee,
    signers: &'a [super::public::PublicSigner],
}

impl<'a> SiteHead<'a> {
    /// The head of `site`.
    pub fn of(site: &'a PublicSite) -> SiteHead<'a> {
        SiteHead {
            committee: &site.committee,
            signers: &site.signers,
        }
    }

    /// The base context of every page: the committee's public fields and the signers under
    /// plain names (`committee_name`, `committee_area`, `office_address`, `office_hours`,
    /// `office_phone`, `signers`), which the built-in templates use, and the same under `site`
    /// (`site.committee.name`…) for themes written before. Tera looks a dotted name up by
    /// building a JSON pointer and two copies of each part of it: dotted names were half the
    /// instructions of rendering a guide page (callgrind).
    pub fn context(&self) -> Context {
        let mut base = Context::new();
        base.insert("site", self);
        base.insert("committee_name", &self.committee.name);
        base.insert("committee_area", &self.committee.area);
        base.insert("office_address", &self.committee.office_address);
        base.insert("office_hours", &self.committee.office_hours);
        base.insert("office_phone", &self.committee.office_phone);
        base.insert("signers", self.signers);
        base.insert("csp", CSP);
        base
    }
}

#[derive(Serialize)]
struct ProjectYear<'a> {
    year: i32,
    projects: Vec<&'a PublicProject>,
}

#[derive(Serialize)]
struct GuideGroup<'a> {
    category: &'a str,
    items: Vec<&'a GuideEntry>,
}

/// The board of a guide item.
fn guide_board(slug: &str, title: &str, category: &str) -> PublicBoard {
    PublicBoard {
        kind: "guide".into(),
        of: slug.to_owned(),
        title: title.to_owned(),
        issue: format!("百事汇·{category}"),
        notice_period: String::new(),
        when: String::new(),
        print: guide_path(slug),
        back: guide_path(slug),
        due: false,
    }
}

/// The one file of a guide item: its web page, which is also its notice board on either paper
/// (printed, or opened as `…#a4` or `…#a3`). One file, not three: on a large guide the time of
/// a first publish goes mostly to creating files.
pub fn guide_path(slug: &str) -> String {
    format!("guide/{slug}.html")
}

/// Renders the page of one guide item, its board included. The date on the board is the item's
/// verified date, so the page changes only when the item does.
pub fn guide_page(theme: &Theme, base: &Context, g: &PublicGuideItem) -> Page {
    let path = guide_path(&g.slug);
    // The item's fields under plain names (`title`, `audience`, `body_html`…), as the built-in
    // templates read them (see [`SiteHead::context`]); also as `g` where the theme has its own
    // templates, which may have been written before.
    let mut c = Context::from_serialize(g)
        .map_err(|e| PublishError::Template(format!("{path}：{}", error_chain(&e))))?;
    if theme.overrides {
        c.insert("g", g);
    }
    let b = guide_board(&g.slug, &g.front.title, &g.front.category);
    let date = chrono::NaiveDate::parse_from_str(g.front.verified.trim(), "%Y-%m-%d")
        .map_or_else(|_| g.front.verified.clone(), super::public::date_text);
    board_context(&mut c, &b, &date);
    theme.render("guide_item.html", &path, base, c)
}

/// The template, path and context of a notice's print board.
fn board_job(
    b: &PublicBoard,
    disclosures: &HashMap<&str, &PublicDisclosure>,
    projects: &HashMap<&str, &PublicProject>,
    date: &str,
) -> (&'static str, String, Context) {
    // The record the board prints, under the name its body partial expects.
    let mut c = Context::new();
    match b.kind.as_str() {
        "fund" => c.insert("d", &disclosures.get(b.of.as_str())),
        _ => c.insert("p", &projects.get(b.of.as_str())),
    }
    board_context(&mut c, b, date);
    let template = match b.kind.as_str() {
        "fund" => "board_fund.html",
        "plan" => "board_plan.html",
        _ => "board_outcome.html",
    };
    (template, b.print.clone(), c)
}

/// One notice's print board (a project's or a fund disclosure's), as [`site_pages`] renders
/// it.
pub fn notice_board(theme: &Theme, site: &PublicSite, b: &PublicBoard) -> Page {
    let base = SiteHead::of(site).context();
    let projects: HashMap<&str, &PublicProject> =
        site.projects.iter().map(|p| (p.slug.as_str(), p)).collect();
    let disclosures: HashMap<&str, &PublicDisclosure> = site
        .disclosures
        .iter()
        .map(|d| (d.slug.as_str(), d))
        .collect();
    let (template, path, extra) = board_job(b, &disclosures, &projects, &site.published_on);
    theme.render(template, &path, &base, extra)
}

fn board_context(c: &mut Context, b: &PublicBoard, date: &str) {
    c.insert("title", &b.title);
    c.insert("issue", &b.issue);
    c.insert("notice_period", &b.notice_period);
    c.insert("back", &b.back);
    c.insert("print", &b.print);
    c.insert("date", date);
}

/// Renders every page of the site except the guide items' own (see [`guide_page`]) and the
/// search index (`search`): home, notices, funds, projects, the guide index, about, boards of
/// notices and their index, the search page, the assets and `_headers`. `guide` is the whole
/// guide in display order.
pub fn site_pages(
    theme: &Theme,
    base: &Context,
    site: &PublicSite,
    guide: &[GuideEntry],
) -> Result<Vec<(String, String)>, PublishError> {
    let mut base = base.clone();
    base.insert("published_on", &site.published_on);
    base.insert("guide_count", &guide.len());
    let mut jobs: Vec<(&str, String, Context)> = Vec::new();
    let mut c = Context::new();
    c.insert("notices", &site.notices);
    jobs.push(("index.html", "index.html".into(), c.clone()));
    jobs.push(("notices.html", "notices/index.html".into(), c));
    let mut c = Context::new();
    c.insert("disclosures", &site.disclosures);
    jobs.push(("funds.html", "funds/index.html".into(), c));
    for d in &site.disclosures {
        let mut c = Context::new();
        c.insert("d", d);
        jobs.push(("fund.html", format!("funds/{}.html", d.slug), c));
    }
    let mut years: Vec<ProjectYear> = Vec::new();
    for p in &site.projects {
        match years.last_mut() {
            Some(y) if y.year == p.year => y.projects.push(p),
            _ => years.push(ProjectYear {
                year: p.year,
                projects: vec![p],
            }),
        }
    }
    let mut c = Context::new();
    c.insert("project_years", &years);
    jobs.push(("projects.html", "projects/index.html".into(), c));
    for p in &site.projects {
        let mut c = Context::new();
        c.insert("p", p);
        jobs.push(("project.html", format!("projects/{}.html", p.slug), c));
    }
    let mut groups: Vec<GuideGroup> = Vec::new();
    for g in guide {
        match groups.last_mut() {
            Some(group) if group.category == g.category => group.items.push(g),
            _ => groups.push(GuideGroup {
                category: &g.category,
                items: vec![g],
            }),
        }
    }
    let mut c = Context::new();
    c.insert("guide_groups", &groups);
    jobs.push(("guide_index.html", "guide/index.html".into(), c));
    jobs.push(("about.html", "about.html".into(), Context::new()));
    // Print boards of the notices, one file for either paper; the index lists the guide's
    // boards (their own pages) too.
    let disclosures: HashMap<&str, &PublicDisclosure> = site
        .disclosures
        .iter()
        .map(|d| (d.slug.as_str(), d))
        .collect();
    let projects: HashMap<&str, &PublicProject> =
        site.projects.iter().map(|p| (p.slug.as_str(), p)).collect();
    for b in &site.boards {
        jobs.push(board_job(b, &disclosures, &projects, &site.published_on));
    }
    let mut boards: Vec<PublicBoard> = site.boards.clone();
    boards.extend(
        guide
            .iter()
            .map(|g| guide_board(&g.slug, &g.title, &g.category)),
    );
    let mut c = Context::new();
    c.insert("due", &boards.iter().filter(|b| b.due).collect::<Vec<_>>());
    c.insert("boards", &boards);
    jobs.push(("boards.html", "boards/index.html".into(), c));
    jobs.push(("search.html", "search.html".into(), Context::new()));
    let mut files = jobs
        .into_par_iter()
        .map(|(template, path, extra)| theme.render(template, &path, &base, extra))
        .collect::<Result<Vec<_>, _>>()?;
    files.extend(theme.assets.iter().cloned());
    // For hosts that read it (Netlify, Cloudflare Pages): the same policy as the meta tag.
    files.push((
        "_headers".into(),
        format!(
            "/*\n  Content-Security-Policy: {CSP}\n  Referrer-Policy: no-referrer\n  X-Content-Type-Options: nosniff\n"
        ),
    ));
    Ok(files)
}

/// Renders every page of the site into memory.
pub fn render(
    site: &PublicSite,
    guide: &[PublicGuideItem],
    theme_dir: Option<&Path>,
) -> Result<Files, PublishError> {
    let theme = Theme::load(theme_dir)?;
    let base = SiteHead::of(site).context();
    let entries: Vec<GuideEntry> = guide.iter().map(GuideEntry::of).collect();
    let mut files: Files = site_pages(&theme, &base, site, &entries)?
        .into_iter()
        .chain(search::files(&search::docs(site, &entries))?)
        .map(|(path, text)| (path, text.into_bytes()))
        .collect();
    let pages: Vec<Page> = guide
        .par_iter()
        .map(|g| guide_page(&theme, &base, g))
        .collect();
    for page in pages {
        let (path, text) = page?;
        files.insert(path, text.into_bytes());
    }
    Ok(files)
}
