//! The one Markdown configuration of the site (like mdBook's): CommonMark with tables, raw HTML
//! shown as text rather than passed through, and links and images allowed only when relative,
//! `https:` or `mailto:` (anything else, `javascript:` and `data:` included, loses its link).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Whether a link target is allowed: relative (no scheme), `https:` or `mailto:`.
pub fn allowed_link(url: &str) -> bool {
    // Browsers ignore control characters and whitespace inside a scheme: strip them first.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.find(':') {
        None => !lower.starts_with("//"),
        Some(colon) => {
            // A colon after a slash, ? or # is part of a relative path, not a scheme.
            if lower[..colon].contains(['/', '?', '#']) {
                return !lower.starts_with("//");
            }
            lower.starts_with("https:") || lower.starts_with("mailto:")
        }
    }
}

/// Renders Markdown to HTML with the site's rules.
pub fn render(markdown: &str) -> String {
    render_with_text(markdown).0
}

/// Renders Markdown to HTML with the site's rules, and collects its text without the markup
/// (for the search index; whitespace is left as it is), in one pass.
pub fn render_with_text(markdown: &str) -> (String, String) {
    let mut text = String::with_capacity(markdown.len());
    let events = Parser::new_ext(markdown, options()).map(|event| {
        match &event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(t);
            }
            // Cells are kept apart, so that figures in two cells never read as one number.
            Event::End(TagEnd::TableCell) => text.push_str(" ｜ "),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
        match event {
            // Raw HTML becomes visible text: the guard and the CSP never see a tag we did not
            // write.
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(mut tag) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag {
                    *dest_url = safe(std::mem::replace(dest_url, CowStr::Borrowed("")));
                }
                Event::Start(tag)
            }
            other => other,
        }
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    (out, text)
}

/// `text` with every run of whitespace made one space, and none at either end.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Whitespace (Unicode's) is ASCII, or begins with one of the bytes C2, E1, E2, E3; nothing
    // else does, and any other character is stepped over by the length its first byte gives
    // (a Chinese character, led by E4–E9, in one step, not three), its run copied at once.
    let bytes = text.as_bytes();
    // Where the word being read began, and whether whitespace came before it.
    let (mut word, mut spaced) = (0, false);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let step = match (b, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'!'..=0x7F, ..) => 1,
            (0xC3..=0xDF, ..) => 2,
            (0xE0 | 0xE4..=0xEF, ..) => 3,
            // Led by E2 or E3, only U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000
            // are whitespace: the dashes, curly quotes and 、。 are stepped over too.
            (0xE2, Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF))
            | (0xE2, Some(0x81), Some(0x9F))
            | (0xE3, Some(0x80), Some(0x80)) => 0,
            (0xE2 | 0xE3, ..) => 3,
            (0xF0..=0xF7, ..) => 4,
            _ => 0,
        };
        if step > 0 {
            i += step;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c.is_whitespace() {
            if word < i {
                if spaced && !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text[word..i]);
            }
            spaced = true;
            word = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    if word < bytes.len() {
        if spaced && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[word..]);
    }
    out
}

fn safe(url: CowStr<'_>) -> CowStr<'_> {
    if allowed_link(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_limited_to_relative_https_and_mailto() {
        for ok in [
            "guide/a.html",
            "../index.html",
            "#top",
            "https://www.shanghai.gov.cn/",
            "mailto:office@example.org",
            "a/b:c",
        ] {
            assert!(allowed_link(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:x",
            "http://example.org/",
            "//evil.example/",
            "file:///etc/passwd",
        ] {
            assert!(!allowed_link(bad), "{bad}");
        }
    }

    #[test]
    fn the_text_comes_without_markup() {
        let (html, text) =
            render_with_text("## 标题\n\n- 一项 **重要**\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            html.contains("<h2>标题</h2>") && html.contains("<strong>"),
            "{html}"
        );
        assert_eq!(
            collapse_whitespace(&text),
            "标题 一项 重要 甲 ｜ 乙 ｜ 1 ｜ 2 ｜"
        );
        assert_eq!(collapse_whitespace("  甲 \n\t 乙  "), "甲 乙");
    }

    #[test]
    fn every_character_is_told_whitespace_or_not_as_the_standard_library_tells_it() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let want = if c.is_whitespace() {
                "a b".to_owned()
            } else {
                format!("a{c}b")
            };
            assert_eq!(
                collapse_whitespace(&format!("a{c}b")),
                want,
                "U+{:04X}",
                c as u32
            );
        }
    }

    proptest::proptest! {
        /// Whitespace is collapsed as the standard library splits it, whatever its kind.
        #[test]
        fn whitespace_collapses_as_split_whitespace(
            chars in proptest::collection::vec(
                proptest::sample::select(vec![
                    '甲', '。', '、', 'a', ' ', '\n', '\t', '\u{85}', '\u{A0}', '\u{1680}',
                    '\u{2003}', '\u{2028}', '\u{202F}', '\u{205F}', '\u{3000}', '\u{FEFF}',
                    '\u{200B}', 'é', '—', '“', '🙂', '\u{7FF}', '\u{800}', '\u{FFFF}', 'Ω',
                    '\u{2060}', '\u{2100}', '\u{3001}', '\u{3040}', '\u{2FFF}',
                ]),
                0..30,
            )
        ) {
            let text: String = chars.into_iter().collect();
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(collapse_whitespace(&text), want);
        }
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = render("<script>alert(1)</script>\n\n正文 <b onclick=\"x()\">粗</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }
}
