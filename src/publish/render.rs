//! Renders the public site with tera: built-in templates compiled into the binary, any of which a
//! theme (`themes/<name>/templates/<file>`) overrides file by file, like Zola. Templates receive
//! only the public projection.

use super::PublishError;
use super::guide::PublicGuideItem;
use super::public::{PublicBoard, PublicDisclosure, PublicProject, PublicSite};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tera::{Context, Tera};

/// The built-in templates.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("signature.html", include_str!("templates/signature.html")),
    (
        "print_links.html",
        include_str!("templates/print_links.html"),
    ),
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
    ("fund_body.html", include_str!("templates/fund_body.html")),
    ("plan_body.html", include_str!("templates/plan_body.html")),
    (
        "outcome_body.html",
        include_str!("templates/outcome_body.html"),
    ),
    ("guide_body.html", include_str!("templates/guide_body.html")),
    ("board_base.html", include_str!("templates/board_base.html")),
    ("board_fund.html", include_str!("templates/board_fund.html")),
    ("board_plan.html", include_str!("templates/board_plan.html")),
    (
        "board_outcome.html",
        include_str!("templates/board_outcome.html"),
    ),
    (
        "board_guide.html",
        include_str!("templates/board_guide.html"),
    ),
    ("boards.html", include_str!("templates/boards.html")),
    ("search.html", include_str!("templates/search.html")),
];

/// The search page's script.
const SEARCH_JS: &str = include_str!("templates/search.js");

/// The built-in stylesheets besides `site.css`: the boards' (a theme may override each).
const BOARD_CSS: &[(&str, &str)] = &[
    ("board.css", include_str!("templates/board.css")),
    ("board-a4.css", include_str!("templates/board-a4.css")),
    ("board-a3.css", include_str!("templates/board-a3.css")),
];

/// The papers each board is printed on: code and label.
const PAPERS: [(&str, &str); 2] = [("a4", "A4"), ("a3", "A3")];

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
struct SiteHead<'a> {
    committee: &'a super::public::PublicCommittee,
    signers: &'a [super::public::PublicSigner],
    published_on: &'a str,
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
    /// Pages to render: template, path, the page's own context.
    jobs: Vec<(String, String, Context)>,
}

impl Renderer {
    /// Queues `template` for `path`; [`Renderer::run`] renders every queued page in parallel.
    fn page(&mut self, template: &str, path: &str, extra: Context) {
        self.jobs
            .push((template.to_owned(), path.to_owned(), extra));
    }

    /// Renders the queued pages on every core, with `root` set so links stay relative.
    fn run(&mut self) -> Result<(), PublishError> {
        let (tera, base) = (&self.tera, &self.base);
        let rendered: Vec<Result<(String, Vec<u8>), PublishError>> = std::mem::take(&mut self.jobs)
            .into_par_iter()
            .map(|(template, path, extra)| {
                let mut ctx = base.clone();
                ctx.insert("root", &"../".repeat(path.matches('/').count()));
                ctx.extend(extra);
                tera.render(&template, &ctx)
                    .map(|html| (path.clone(), html.into_bytes()))
                    .map_err(|e| PublishError::Template(format!("{path}：{}", error_chain(&e))))
            })
            .collect();
        for page in rendered {
            let (path, bytes) = page?;
            self.files.insert(path, bytes);
        }
        Ok(())
    }
}

/// Renders every page of the site.
pub fn render(
    site: &PublicSite,
    guide: &[PublicGuideItem],
    theme_dir: Option<&Path>,
) -> Result<Files, PublishError> {
    // Every page gets the site's head (committee, signers, date); the long lists go only to
    // the pages that show them, so each page's context stays small.
    let mut base = Context::new();
    base.insert(
        "site",
        &SiteHead {
            committee: &site.committee,
            signers: &site.signers,
            published_on: &site.published_on,
        },
    );
    base.insert("csp", CSP);
    base.insert("guide_count", &guide.len());
    let mut r = Renderer {
        tera: tera_for(theme_dir)?,
        base,
        files: Files::new(),
        jobs: Vec::new(),
    };
    let mut c = Context::new();
    c.insert("notices", &site.notices);
    r.page("index.html", "index.html", c.clone());
    r.page("notices.html", "notices/index.html", c);
    let mut c = Context::new();
    c.insert("disclosures", &site.disclosures);
    r.page("funds.html", "funds/index.html", c);
    for d in &site.disclosures {
        let mut c = Context::new();
        c.insert("d", d);
        r.page("fund.html", &format!("funds/{}.html", d.slug), c);
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
    r.page("projects.html", "projects/index.html", c);
    for p in &site.projects {
        let mut c = Context::new();
        c.insert("p", p);
        r.page("project.html", &format!("projects/{}.html", p.slug), c);
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
    r.page("guide_index.html", "guide/index.html", c);
    for g in guide {
        let mut c = Context::new();
        c.insert("g", g);
        r.page("guide_item.html", &format!("guide/{}.html", g.slug), c);
    }
    r.page("about.html", "about.html", Context::new());
    // Print boards: every notice, and every guide item, in A4 and A3.
    let mut boards: Vec<PublicBoard> = site.boards.clone();
    boards.extend(guide.iter().map(|g| PublicBoard {
        slug: format!("guide-{}", g.slug),
        kind: "guide".into(),
        of: g.slug.clone(),
        title: g.front.title.clone(),
        issue: format!("百事汇·{}", g.front.category),
        notice_period: String::new(),
        when: String::new(),
        back: format!("guide/{}.html", g.slug),
        due: false,
    }));
    let disclosures: HashMap<&str, &PublicDisclosure> = site
        .disclosures
        .iter()
        .map(|d| (d.slug.as_str(), d))
        .collect();
    let projects: HashMap<&str, &PublicProject> =
        site.projects.iter().map(|p| (p.slug.as_str(), p)).collect();
    let items: HashMap<&str, &PublicGuideItem> =
        guide.iter().map(|g| (g.slug.as_str(), g)).collect();
    for b in &boards {
        // The record the board prints, under the name its body partial expects.
        let mut c = Context::new();
        match b.kind.as_str() {
            "fund" => c.insert("d", &disclosures.get(b.of.as_str())),
            "guide" => c.insert("g", &items.get(b.of.as_str())),
            _ => c.insert("p", &projects.get(b.of.as_str())),
        }
        c.insert("title", &b.title);
        c.insert("issue", &b.issue);
        c.insert("notice_period", &b.notice_period);
        c.insert("back", &b.back);
        for (code, label) in PAPERS {
            let mut c = c.clone();
            c.insert("paper_code", code);
            c.insert("paper", label);
            r.page(
                &format!("board_{}.html", b.kind),
                &format!("boards/{code}/{}.html", b.slug),
                c,
            );
        }
    }
    let mut c = Context::new();
    c.insert("due", &boards.iter().filter(|b| b.due).collect::<Vec<_>>());
    c.insert("boards", &boards);
    r.page("boards.html", "boards/index.html", c);
    r.page("search.html", "search.html", Context::new());
    r.run()?;
    r.files.insert(
        "search/index.js".into(),
        search_index(site, guide)?.into_bytes(),
    );
    let asset = |name: &str, builtin: &str| {
        theme_dir
            .and_then(|d| std::fs::read_to_string(d.join("assets").join(name)).ok())
            .unwrap_or_else(|| builtin.to_owned())
    };
    r.files.insert(
        "assets/site.css".into(),
        asset("site.css", SITE_CSS).into_bytes(),
    );
    r.files.insert(
        "assets/search.js".into(),
        asset("search.js", SEARCH_JS).into_bytes(),
    );
    for (name, css) in BOARD_CSS {
        r.files
            .insert(format!("assets/{name}"), asset(name, css).into_bytes());
    }
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

/// One entry of the search index: title, link from the root, kind, text.
#[derive(Serialize)]
struct SearchEntry<'a> {
    t: &'a str,
    u: String,
    k: &'a str,
    x: String,
}

/// The search index as a script that sets a global: a page opened from a folder (file://) may
/// run a script beside it but may not fetch a JSON file. Guide items carry their whole text,
/// notices their title and period.
fn search_index(site: &PublicSite, guide: &[PublicGuideItem]) -> Result<String, PublishError> {
    let mut entries: Vec<SearchEntry> = guide
        .iter()
        .map(|g| SearchEntry {
            t: &g.front.title,
            u: format!("guide/{}.html", g.slug),
            k: "百事汇",
            x: g.text.split_whitespace().collect::<Vec<_>>().join(" "),
        })
        .collect();
    entries.extend(site.notices.iter().map(|n| SearchEntry {
        t: &n.title,
        u: n.href.clone(),
        k: &n.kind,
        x: n.date.clone(),
    }));
    entries.extend(site.projects.iter().map(|p| SearchEntry {
        t: &p.title,
        u: format!("projects/{}.html", p.slug),
        k: "实事项目",
        x: [p.category.as_str(), &p.need, &p.plan, &p.outcome].join(" "),
    }));
    let json = serde_json::to_string(&entries)
        .map_err(|e| PublishError::Template(format!("搜索索引：{e}")))?;
    // `</script>` cannot occur in JSON text that escapes `<`; make sure of it.
    Ok(format!(
        "window.SIBAI_SEARCH = {};\n",
        json.replace('<', "\\u003c")
    ))
}
