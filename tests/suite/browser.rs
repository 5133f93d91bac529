//! The published site in a real browser (Debian's headless Chromium): pages print with their
//! Chinese text, every character covered by a font of the site's stack (fontconfig), and notice
//! boards print to exactly one A4 or A3 page. Without Chromium these
//! tests say so and pass, except under `CI=true`, where they fail.

use crate::publish::{publish_ledger, root_with_guide};
use sibai::publish::{PublishInput, SiteSettings, publish};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Chromium and poppler's tools, or None (after saying why) when they are not installed here.
fn tools() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(|name| Path::new("/usr/bin").join(name))
        .find(|p| p.exists())
        .or_else(|| std::env::var_os("CHROME").map(PathBuf::from));
    let poppler = Command::new("pdfinfo").arg("-v").output().is_ok();
    match (found, poppler) {
        (Some(chrome), true) => Some(chrome),
        _ => {
            let why = "需要 chromium 和 poppler-utils（apt-get install chromium fonts-noto-cjk poppler-utils）";
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "浏览器测试在 CI 中不能跳过：{why}"
            );
            eprintln!("跳过浏览器测试：{why}");
            None
        }
    }
}

fn print_to_pdf(chrome: &Path, page: &Path, pdf: &Path) {
    print_to_pdf_at(chrome, page, "", pdf);
}

/// Prints `page` opened at `fragment` (e.g. `#a3`, which chooses the paper of a board).
fn print_to_pdf_at(chrome: &Path, page: &Path, fragment: &str, pdf: &Path) {
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ])
        .arg(format!("file://{}{fragment}", page.display()))
        .output()
        .unwrap();
    assert!(
        pdf.is_file(),
        "no PDF for {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn tool(name: &str, pdf: &Path) -> String {
    let out = Command::new(name).arg(pdf).arg("-").output().unwrap();
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    if name == "pdfinfo" || name == "pdffonts" {
        // These take no output argument; run again without it.
        let out = Command::new(name).arg(pdf).output().unwrap();
        text = String::from_utf8_lossy(&out.stdout).into_owned();
    }
    text
}

/// The fonts of the site's CSS stack, as fontconfig names them.
const STACK: &[&str] = &[
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
];

fn families_covering(chars: &[char]) -> String {
    let charset: Vec<String> = chars.iter().map(|c| format!("{:x}", *c as u32)).collect();
    let out = Command::new("fc-list")
        .arg(format!(":charset={}", charset.join(" ")))
        .arg("family")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// No missing glyph: the page's Chinese is covered, all of it, by one font of the CSS stack,
/// and every other character by some installed font. (A PDF cannot tell: Chromium embeds tofu
/// with the right Unicode mapping, so the text comes back out even when boxes were drawn.)
fn assert_fonts_cover(page: &Path) {
    let html = std::fs::read_to_string(page).unwrap();
    let text = regex::Regex::new(r"<[^>]*>")
        .unwrap()
        .replace_all(&html, " ");
    let mut cjk: Vec<char> = text
        .chars()
        .filter(|c| matches!(*c as u32, 0x3000..=0x9FFF | 0xFF00..=0xFFEF))
        .collect();
    cjk.sort_unstable();
    cjk.dedup();
    assert!(!cjk.is_empty(), "{}: no Chinese", page.display());
    let families = families_covering(&cjk);
    assert!(
        STACK.iter().any(|f| families.contains(f)),
        "{}: no font of the stack covers all of its Chinese ({} characters); installed: {families}",
        page.display(),
        cjk.len()
    );
    let mut other: Vec<char> = text
        .chars()
        .filter(|c| !c.is_ascii() && !cjk.contains(c) && !c.is_whitespace())
        .collect();
    other.sort_unstable();
    other.dedup();
    for c in other {
        assert!(
            !families_covering(&[c]).trim().is_empty(),
            "{}: no installed font has “{c}” (U+{:04X})",
            page.display(),
            c as u32
        );
    }
}

fn site() -> (tempfile::TempDir, PathBuf) {
    let root = root_with_guide();
    let out = root.path().join("public");
    let ledger = publish_ledger();
    publish(
        &PublishInput {
            ledger: &ledger,
            root: root.path(),
            settings: &SiteSettings::default(),
            today: crate::fixtures::date(2026, 11, 23),
        },
        &out,
    )
    .unwrap();
    (root, out)
}

#[test]
fn every_page_kind_shows_its_chinese_in_a_cjk_font() {
    let Some(chrome) = tools() else { return };
    let (root, out) = site();
    for (page, expected) in [
        ("index.html", "最新公告"),
        ("notices/index.html", "公告"),
        ("funds/index.html", "经费公开"),
        (
            "funds/2026-h1-foundation.html",
            "社区基金会匹配资金使用情况公示",
        ),
        ("projects/index.html", "楼道灯更换"),
        ("projects/2026-1.html", "实施结果的公示"),
        ("guide/index.html", "老年人综合津贴"),
        ("guide/elderly-allowance.html", "办理地点与时间"),
        ("about.html", "居委会成员"),
        ("boards/index.html", "现在应张贴"),
        ("boards/fund-2026-h1-foundation.html", "盖章"),
    ] {
        let pdf = root.path().join(format!("{}.pdf", page.replace('/', "_")));
        print_to_pdf(&chrome, &out.join(page), &pdf);
        // Text comes back out of the PDF only if each glyph was drawn from a font that has it.
        let text: String = tool("pdftotext", &pdf).split_whitespace().collect();
        assert!(
            text.contains(expected),
            "{page}: “{expected}” not in the printed text:\n{text}"
        );
        assert_fonts_cover(&out.join(page));
    }
}

#[test]
fn a_fund_disclosure_board_is_one_a4_page_and_one_a3_page() {
    let Some(chrome) = tools() else { return };
    let (root, out) = site();
    let board = out.join("boards/fund-2026-h1-foundation.html");
    // Opened as printed from the disclosure's links (…#a4, …#a3), and as it is (A4).
    for (fragment, size) in [("#a4", "(A4)"), ("#a3", "(A3)"), ("", "(A4)")] {
        printed_on_one_sheet(&chrome, root.path(), &board, fragment, size);
    }
}

/// Prints `page` opened at `fragment` and checks that it came out on one sheet of `size`
/// (as pdfinfo names it, e.g. `(A3)`). Returns the PDF.
fn printed_on_one_sheet(
    chrome: &Path,
    dir: &Path,
    page: &Path,
    fragment: &str,
    size: &str,
) -> PathBuf {
    let stem = page.file_stem().unwrap_or_default().to_string_lossy();
    let pdf = dir.join(format!("{stem}{}.pdf", fragment.replace('#', "-")));
    print_to_pdf_at(chrome, page, fragment, &pdf);
    let info = tool("pdfinfo", &pdf);
    assert!(
        info.contains("Pages:           1\n"),
        "{}{fragment}:\n{info}",
        page.display()
    );
    assert!(info.contains(size), "{}{fragment}:\n{info}", page.display());
    pdf
}

#[test]
fn a_guide_page_prints_as_its_board_on_a4_or_a3() {
    let Some(chrome) = tools() else { return };
    let (root, out) = site();
    let page = out.join("guide/elderly-allowance.html");
    for (fragment, size) in [("", "(A4)"), ("#a4", "(A4)"), ("#a3", "(A3)")] {
        let pdf = printed_on_one_sheet(&chrome, root.path(), &page, fragment, size);
        let text: String = tool("pdftotext", &pdf).split_whitespace().collect();
        // The board: committee, title, signers and the space for the seal; not the site's
        // navigation, nor the board printed twice.
        for expected in ["示例居委会", "老年人综合津贴", "（盖章）", "办理地点与时间"]
        {
            assert!(
                text.contains(expected),
                "{fragment}: no {expected}:\n{text}"
            );
        }
        assert_eq!(
            text.matches("办理地点与时间").count(),
            1,
            "{fragment}:\n{text}"
        );
        assert!(
            !text.contains("经费公开") && !text.contains("打印公示栏"),
            "{fragment}:\n{text}"
        );
    }
}

#[test]
fn search_finds_a_guide_item_by_two_chinese_characters_from_a_folder() {
    let Some(chrome) = tools() else { return };
    let (_root, out) = site();
    let dump = |query: &str| {
        let page = out.join("search.html");
        let run = Command::new(&chrome)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
            .arg(format!("file://{}?q={query}", page.display()))
            .output()
            .unwrap();
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    let dom = dump("津贴");
    assert!(
        dom.contains("找到 1 项") && dom.contains("href=\"guide/elderly-allowance.html\""),
        "{dom}"
    );
    let none = dump("火箭");
    assert!(none.contains("没有找到相关内容"), "{none}");
}

/// Searches `query` on `search.html` from its folder, with a probe that records every index
/// file the page adds: what the page shows, and the files it loaded.
fn search_with_probe(chrome: &Path, out: &Path, query: &str) -> (String, Vec<String>) {
    let run = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(format!(
            "file://{}?q={query}",
            out.join("search-probed.html").display()
        ))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&run.stdout).into_owned();
    let loaded = dom
        .split("data-loaded=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    (dom, loaded)
}

/// A reader searching a 10,000-page site from its folder loads a small part of the index: the
/// term shards of the query's first characters and the document shards of the results shown.
#[test]
fn search_on_a_ten_thousand_page_site_loads_at_most_one_megabyte() {
    use sibai::publish::search::{self, Doc};
    let Some(chrome) = tools() else { return };
    let (_root, out) = site();
    // The site's index replaced by one of 10,000 guide pages; one of them, far down the list,
    // is the only one to mention 琴房.
    let titles: Vec<String> = (0..10_000).map(|i| format!("服务事项第{i}项")).collect();
    let docs: Vec<Doc> = titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let mut text = sibai::demo::guide_body(i);
            if i == 7_777 {
                text.push_str("社区琴房开放时间");
            }
            Doc {
                title,
                url: format!("guide/item-{i:05}.html"),
                kind: "百事汇",
                text: text.into(),
            }
        })
        .collect();
    std::fs::remove_dir_all(out.join("search")).unwrap();
    let files = search::files(&docs).unwrap();
    let total: usize = files.iter().map(|(_, text)| text.len()).sum();
    for (path, text) in &files {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // The probe: records each script the search page adds, on the body.
    std::fs::write(
        out.join("probe.js"),
        "(function () {\n  var add = Node.prototype.appendChild;\n  Node.prototype.appendChild = function (n) {\n    if (n.tagName === 'SCRIPT') {\n      var b = document.body;\n      b.setAttribute('data-loaded', (b.getAttribute('data-loaded') || '') + ' ' + n.getAttribute('src'));\n    }\n    return add.call(this, n);\n  };\n})();\n",
    )
    .unwrap();
    let page = std::fs::read_to_string(out.join("search.html")).unwrap();
    std::fs::write(
        out.join("search-probed.html"),
        page.replace(
            "<script src=\"search/meta.js\">",
            "<script src=\"probe.js\"></script><script src=\"search/meta.js\">",
        ),
    )
    .unwrap();
    for (query, found) in [("琴房", "找到 1 项"), ("补贴", "找到 ")] {
        let (dom, loaded) = search_with_probe(&chrome, &out, query);
        assert!(dom.contains(found), "{query}: {dom}");
        let bytes: u64 = loaded
            .iter()
            .map(|p| std::fs::metadata(out.join(p)).unwrap().len())
            .sum();
        eprintln!(
            "{query}：载入 {} 个索引文件，共 {:.0} KB（整个索引 {:.1} MB）",
            loaded.len(),
            bytes as f64 / 1024.0,
            total as f64 / 1_048_576.0
        );
        assert!(bytes <= 1 << 20, "{query}: {bytes} bytes in {loaded:?}");
        assert!(!loaded.is_empty(), "{query}: {dom}");
    }
    let (dom, _) = search_with_probe(&chrome, &out, "琴房");
    assert!(dom.contains("href=\"guide/item-07777.html\""), "{dom}");
    // A query most pages match shows the first twenty and offers more.
    let (dom, _) = search_with_probe(&chrome, &out, "补贴");
    assert_eq!(dom.matches("<li>").count(), 20, "{dom}");
    assert!(
        dom.contains("<button id=\"more\" type=\"button\">显示更多结果</button>"),
        "{dom}"
    );
}
