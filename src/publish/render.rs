//! Renders the public site with tera: built-in templates compiled into the binary, any of which a
//! theme (`themes/<name>/templates/<file>`) overrides file by file, like Zola. Templates receive
//! only the public projection.

use super::PublishError;
use super::guide::PublicGuideItem;
use super::public::{PublicProject, PublicSite};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, Tera};

/// The built-in templates.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("signature.html", include_str!("templates/signature.html")),
    ("index.html", include_str!("templates/index.html")),
    ("notices.html", include_str!("templates/notices.html")),
    ("funds.html", include_str!("templates/funds.html")),
    ("fund.html", include_str!("templates/fund.html")),
    ("projects.html", include_str!("templates/projects.html")),
    ("project.html", include_str!("templates/project.html")),
    (
        "guide_index.html",
        include_str!("templates/guide_index.html"),
    ),
    ("guide_item.html", include_str!("templates/guide_item.html")),
    ("about.html", include_str!("templates/about.html")),
];

/// The built-in stylesheet (a theme may override `assets/site.css`).
const SITE_CSS: &str = include_str!("templates/site.css");

/// No external resource of any kind; scripts and styles only from the site itself.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; \
     base-uri 'none'; form-action 'none'";

/// The output: relative path → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

fn tera_for(theme_dir: Option<&Path>) -> Result<Tera, PublishError> {
    let mut templates: Vec<(String, String)> = BUILTIN
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect();
    if let Some(dir) = theme_dir {
        let tdir = dir.join("templates");
        for (name, text) in &mut templates {
            let path = tdir.join(&*name);
            match std::fs::read_to_string(&path) {
                Ok(over) => *text = over,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(PublishError::Io {
                        path,
                        detail: e.to_string(),
                    });
                }
            }
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(templates)
        .map_err(|e| PublishError::Template(error_chain(&e)))?;
    Ok(tera)
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

#[derive(Serialize)]
struct ProjectYear<'a> {
    year: i32,
    projects: Vec<&'a PublicProject>,
}

#[derive(Serialize)]
struct GuideGroup<'a> {
    category: &'a str,
    items: Vec<&'a PublicGuideItem>,
}

struct Renderer {
    tera: Tera,
    base: Context,
    files: Files,
}

impl Renderer {
    /// Renders `template` to `path`, with `root` set so links stay relative.
    fn page(&mut self, template: &str, path: &str, extra: Context) -> Result<(), PublishError> {
        let depth = path.matches('/').count();
        let mut ctx = self.base.clone();
        ctx.insert("root", &"../".repeat(depth));
        ctx.extend(extra);
        let html = self
            .tera
            .render(template, &ctx)
            .map_err(|e| PublishError::Template(format!("{path}：{}", error_chain(&e))))?;
        self.files.insert(path.to_owned(), html.into_bytes());
        Ok(())
    }
}

/// Renders every page of the site.
pub fn render(
    site: &PublicSite,
    guide: &[PublicGuideItem],
    theme_dir: Option<&Path>,
) -> Result<Files, PublishError> {
    let mut base = Context::new();
    base.insert("site", site);
    base.insert("csp", CSP);
    base.insert("guide_count", &guide.len());
    let mut r = Renderer {
        tera: tera_for(theme_dir)?,
        base,
        files: Files::new(),
    };
    r.page("index.html", "index.html", Context::new())?;
    r.page("notices.html", "notices/index.html", Context::new())?;
    r.page("funds.html", "funds/index.html", Context::new())?;
    for d in &site.disclosures {
        let mut c = Context::new();
        c.insert("d", d);
        r.page("fund.html", &format!("funds/{}.html", d.slug), c)?;
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
    r.page("projects.html", "projects/index.html", c)?;
    for p in &site.projects {
        let mut c = Context::new();
        c.insert("p", p);
        r.page("project.html", &format!("projects/{}.html", p.slug), c)?;
    }
    let mut groups: Vec<GuideGroup> = Vec::new();
    for g in guide {
        match groups.last_mut() {
            Some(group) if group.category == g.front.category => group.items.push(g),
            _ => groups.push(GuideGroup {
                category: &g.front.category,
                items: vec![g],
            }),
        }
    }
    let mut c = Context::new();
    c.insert("guide_groups", &groups);
    r.page("guide_index.html", "guide/index.html", c)?;
    for g in guide {
        let mut c = Context::new();
        c.insert("g", g);
        r.page("guide_item.html", &format!("guide/{}.html", g.slug), c)?;
    }
    r.page("about.html", "about.html", Context::new())?;
    let css = theme_dir
        .and_then(|d| std::fs::read_to_string(d.join("assets").join("site.css")).ok())
        .unwrap_or_else(|| SITE_CSS.to_owned());
    r.files.insert("assets/site.css".into(), css.into_bytes());
    // For hosts that read it (Netlify, Cloudflare Pages): the same policy as the meta tag.
    r.files.insert(
        "_headers".into(),
        format!(
            "/*\n  Content-Security-Policy: {CSP}\n  Referrer-Policy: no-referrer\n  X-Content-Type-Options: nosniff\n"
        )
        .into_bytes(),
    );
    Ok(r.files)
}
