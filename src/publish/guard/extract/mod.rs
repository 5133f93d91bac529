//! What a reader can see of an output file, as canonical texts ([`super::canon`]): for HTML, the
//! page's text with the markup removed (one text across every element and line break), the
//! attributes of its tags (names and values: href, src, title, alt, data-*, …; one text, each
//! tag a block of its own), comments, and
//! the contents of `<script>` and `<style>`; for any other file (the search index, CSS), the
//! whole text with its escapes (`\u5f20`, `\5f20`, `&#49;`) decoded.
//!
//! HTML is read as html5ever's tokenizer reads it, the one browsers' rules are written for:
//! character references are decoded as a browser decodes them, and a tag written strangely is
//! still a tag. The plain HTML the site's own templates and Markdown make is read by [`fast`],
//! which gives the same tokens as html5ever for it in a fraction of the time, and hands anything
//! else to html5ever; a line it has met before in the same state (most of a page's template) is
//! copied from [`memo`].

mod fast;
mod memo;

use super::canon::{Builder, Canon, SIGNER};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::borrow::Cow;
use std::cell::RefCell;

/// Where in a file a text was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// The file's own name and folder.
    FileName,
    /// The text a reader sees.
    Text,
    /// A tag's attributes (link addresses, titles, image descriptions, data-*).
    Attribute,
    /// A comment in the page source.
    Comment,
    /// A script or style sheet.
    Code,
}

impl Place {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Place::FileName => "文件名",
            Place::Text => "正文",
            Place::Attribute => "标签属性",
            Place::Comment => "源代码注释",
            Place::Code => "脚本或样式",
        }
    }
}

/// The texts of one file (a large plain file is read by [`pieces`] instead).
pub fn texts(path: &str, text: &str) -> Vec<(Place, Canon)> {
    if is_html(path) {
        html(text)
    } else {
        vec![(Place::Text, plain(text, 1))]
    }
}

fn is_html(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml")
}

/// A plain (not HTML) text that begins on line `line`, its escapes decoded.
pub fn plain(text: &str, line: u32) -> Canon {
    let mut b = Builder::with_capacity(text.len());
    b.push(&unescape(text), line, 0);
    b.finish()
}

/// Whether a file is read in [`pieces`]: a large plain file.
pub fn in_pieces(path: &str, text: &str) -> bool {
    !is_html(path) && text.len() > CHUNK
}

/// A large plain file (the search index, one entry a line) in pieces of whole lines, each
/// running one line into the next so that nothing is split: (from, to, first line). `None` for
/// HTML or a small file.
pub fn pieces(path: &str, text: &str) -> Option<Vec<(usize, usize, u32)>> {
    if !in_pieces(path, text) {
        return None;
    }
    let newline_from = |at: usize| text.as_bytes()[at..].iter().position(|b| *b == b'\n');
    let mut starts = vec![0usize];
    let mut at = CHUNK;
    while at < text.len() {
        match newline_from(at) {
            Some(nl) => {
                starts.push(at + nl + 1);
                at += nl + 1 + CHUNK;
            }
            None => break,
        }
    }
    let mut line = 1u32;
    let mut counted = 0;
    Some(
        starts
            .iter()
            .enumerate()
            .map(|(i, &from)| {
                line += u32::try_from(
                    text.as_bytes()[counted..from]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count(),
                )
                .unwrap_or(0);
                counted = from;
                let to = starts.get(i + 1).map_or(text.len(), |&next| {
                    newline_from(next).map_or(text.len(), |nl| next + nl + 1)
                });
                (from, to, line)
            })
            .collect(),
    )
}

/// A file larger than this is read in pieces of about this size.
pub(super) const CHUNK: usize = 1 << 18;

#[derive(Default)]
struct Sink {
    body: RefCell<Builder>,
    code: RefCell<Builder>,
    comments: RefCell<Builder>,
    /// The attributes of every tag, one text, each tag a block of its own.
    tags: RefCell<Builder>,
    /// Inside a `<script>` or `<style>`: its name.
    raw: RefCell<Option<String>>,
    /// Inside an element marked `data-signer`: its name and how deep the same name is nested.
    signer: RefCell<Option<(String, u32)>>,
}

/// The line a text token began on, given the line it ended on.
fn first_line(text: &str, last: u64) -> u32 {
    let newlines = text.bytes().filter(|b| *b == b'\n').count() as u64;
    u32::try_from(last.saturating_sub(newlines).max(1)).unwrap_or(u32::MAX)
}

/// Whether an element makes a block of its own: a paragraph, a list item, a table cell. (`<br>`,
/// a line break inside a paragraph, does not: a number split by it is one number.)
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "ul"
    )
}

/// A tag as a tokenizer read it: its name (lower case), whether it is an end tag or
/// self-closing, its attributes (name, value with character references decoded).
struct TagRead<'a, V: AsRef<str>> {
    name: &'a str,
    end: bool,
    self_closing: bool,
    attrs: &'a [(&'a str, V)],
}

impl Sink {
    /// One tag; what the tokenizer reads next if the element holds raw text (a script, a style
    /// sheet, a title).
    fn tag<V: AsRef<str>>(&self, tag: &TagRead<'_, V>, line: u64) -> Option<RawKind> {
        let name = tag.name;
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        if is_block(name) {
            self.body.borrow_mut().block();
        }
        if tag.end {
            if self.raw.borrow().as_deref() == Some(name) {
                *self.raw.borrow_mut() = None;
            }
            let mut signer = self.signer.borrow_mut();
            if let Some((n, depth)) = signer.as_mut()
                && *n == name
            {
                if *depth == 0 {
                    *signer = None;
                } else {
                    *depth -= 1;
                }
            }
            return None;
        }
        // A tag whose name is not a plain word is read as text too.
        let odd_name = !name.bytes().all(|b| b.is_ascii_alphanumeric());
        if !tag.attrs.is_empty() || odd_name {
            let mut b = self.tags.borrow_mut();
            b.block();
            if odd_name {
                b.push(name, line, 0);
            }
            for (attr, value) in tag.attrs {
                b.push(attr, line, 0);
                b.push(value.as_ref(), line, 0);
            }
        }
        {
            let mut signer = self.signer.borrow_mut();
            match signer.as_mut() {
                Some((n, depth)) if *n == name && !tag.self_closing => *depth += 1,
                None if tag.attrs.iter().any(|(attr, _)| *attr == "data-signer")
                    && !tag.self_closing =>
                {
                    *signer = Some((name.to_owned(), 0));
                }
                _ => {}
            }
        }
        let kind = match name {
            "script" => Some(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                Some(RawKind::Rawtext)
            }
            "textarea" | "title" => Some(RawKind::Rcdata),
            _ => None,
        };
        match kind {
            Some(kind) if !tag.self_closing => {
                if kind != RawKind::Rcdata {
                    *self.raw.borrow_mut() = Some(name.to_owned());
                }
                Some(kind)
            }
            _ => None,
        }
    }

    /// Text, given the line it ends on.
    fn chars(&self, text: &str, line: u64) {
        let flags = if self.signer.borrow().is_some() {
            SIGNER
        } else {
            0
        };
        let start = first_line(text, line);
        if self.raw.borrow().is_some() {
            self.code.borrow_mut().push(&unescape(text), start, 0);
        } else {
            self.body.borrow_mut().push(text, start, flags);
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let attrs: Vec<(&str, &str)> = tag
                    .attrs
                    .iter()
                    .map(|a| (&*a.name.local, &*a.value))
                    .collect();
                let read = TagRead {
                    name: &tag.name,
                    end: tag.kind == TagKind::EndTag,
                    self_closing: tag.self_closing,
                    attrs: &attrs,
                };
                return self
                    .tag(&read, line)
                    .map_or(TokenSinkResult::Continue, TokenSinkResult::RawData);
            }
            Token::CharacterTokens(text) => self.chars(&text, line),
            Token::CommentToken(text) => {
                self.comments
                    .borrow_mut()
                    .push(&text, first_line(&text, line), 0);
            }
            Token::DoctypeToken(_)
            | Token::NullCharacterToken
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

/// The texts of an HTML page.
fn html(text: &str) -> Vec<(Place, Canon)> {
    fast_html(text).unwrap_or_else(|| slow_html(text))
}

/// The texts of an HTML page read by [`fast`]; `None` when the page holds anything it leaves
/// to html5ever.
fn fast_html(text: &str) -> Option<Vec<(Place, Canon)>> {
    // Room for all of the page in its text and a quarter in its tags' attributes: no text of a
    // page grows more than once or twice while it is read.
    let sink = Sink {
        body: RefCell::new(Builder::with_capacity(text.len())),
        tags: RefCell::new(Builder::with_capacity(text.len() / 4)),
        ..Sink::default()
    };
    memo::MEMO.with_borrow_mut(|memo| fast::tokenize(text, &sink, Some(memo)))?;
    Some(sink.texts())
}

/// The texts of an HTML page read by html5ever.
fn slow_html(text: &str) -> Vec<(Place, Canon)> {
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.texts()
}

impl Sink {
    /// What was read, one canonical text per place.
    fn texts(self) -> Vec<(Place, Canon)> {
        let mut out = vec![(Place::Text, self.body.into_inner().finish())];
        let tags = self.tags.into_inner();
        if !tags.is_empty() {
            out.push((Place::Attribute, tags.finish()));
        }
        let comments = self.comments.into_inner();
        if !comments.is_empty() {
            out.push((Place::Comment, comments.finish()));
        }
        let code = self.code.into_inner();
        if !code.is_empty() {
            out.push((Place::Code, code.finish()));
        }
        out
    }
}

/// `text` with the escapes of JavaScript, JSON, CSS and HTML decoded (`\u5f20`, `\u{5f20}`,
/// `\x31`, `\5f20 `, `&#x5f20;`, `&#49;`, `&amp;`), so that a script or style sheet that would
/// show a value is read as that value. An escaped line break becomes a space: line numbers stay
/// those of the file. The text between escapes is copied as it is (`memchr` finds the next `\`
/// or `&`): the search index, a few MB, is read so.
pub fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains(['\\', '&']) {
        return Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'\\', b'&', &b[i..]) {
        out.push_str(&text[i..i + k]);
        i += k;
        let escape = if b[i] == b'&' {
            entity(&text[i..])
        } else {
            backslash(&text[i..])
        };
        match escape {
            Some((Some(c), len)) => {
                out.push(c);
                i += len;
            }
            Some((None, len)) => {
                // An escaped character that is itself (`\"`, `\\`, `\钱`).
                out.push_str(&text[i + 1..i + len]);
                i += len;
            }
            None => {
                out.push(char::from(b[i]));
                i += 1;
            }
        }
    }
    out.push_str(&text[i..]);
    Cow::Owned(out)
}

/// How many ASCII hex digits, at most `max`, `bytes` begins with.
fn hex_digits(bytes: &[u8], max: usize) -> usize {
    bytes
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_hexdigit())
        .count()
}

/// The character that hex digits name.
fn from_hex(digits: &str) -> Option<char> {
    u32::from_str_radix(digits, 16)
        .ok()
        .and_then(char::from_u32)
}

/// A backslash escape at the start of `rest` (which begins with `\`): the character it stands
/// for (`None`: the character after the backslash, as it is) and its length in bytes; `None`
/// when the backslash is not an escape (it is then kept).
fn backslash(rest: &str) -> Option<(Option<char>, usize)> {
    let b = rest.as_bytes();
    let n = rest[1..].chars().next()?;
    match n {
        'u' if b.get(2) == Some(&b'{') => {
            let end = 3 + hex_digits(&b[3..], 6);
            let c = from_hex(&rest[3..end])?;
            (b.get(end) == Some(&b'}')).then_some((Some(c), end + 1))
        }
        'u' => {
            let end = 2 + hex_digits(&b[2..], 4);
            (end == 6).then_some(())?;
            Some((Some(from_hex(&rest[2..end])?), end))
        }
        'x' => {
            let end = 2 + hex_digits(&b[2..], 2);
            (end == 4).then_some(())?;
            Some((Some(from_hex(&rest[2..end])?), end))
        }
        'n' | 'r' | 't' => Some((Some(' '), 2)),
        n if n.is_ascii_hexdigit() => {
            // CSS: up to six hex digits and an optional space.
            let end = 1 + hex_digits(&b[1..], 6);
            let c = from_hex(&rest[1..end])?;
            Some((
                Some(c),
                if b.get(end) == Some(&b' ') {
                    end + 1
                } else {
                    end
                },
            ))
        }
        n => Some((None, 1 + n.len_utf8())),
    }
}

/// A character reference at the start of `rest` (which begins with `&`): the character and its
/// length in bytes.
fn entity(rest: &str) -> Option<(Option<char>, usize)> {
    let head = &rest.as_bytes()[..rest.len().min(12)];
    let end = head.iter().position(|b| *b == b';')?;
    // Every name and number is ASCII.
    if !head[..end].is_ascii() {
        return None;
    }
    Some((Some(reference_char(&rest[1..end])?), end + 1))
}

/// The character a reference's body names: `#49`, `#x31`, or a name (`amp`, `nbsp`, `zwsp`…).
fn reference_char(body: &str) -> Option<char> {
    if let Some(num) = body.strip_prefix('#') {
        match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        }
        .and_then(char::from_u32)
    } else {
        Some(match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "shy" => '\u{AD}',
            "zwsp" | "ZeroWidthSpace" => '\u{200B}',
            "zwj" => '\u{200D}',
            "zwnj" => '\u{200C}',
            "minus" => '−',
            "ndash" => '–',
            "mdash" => '—',
            "middot" => '·',
            "times" => '×',
            "lpar" => '(',
            "rpar" => ')',
            "period" => '.',
            "sol" => '/',
            "hyphen" | "dash" => '‐',
            _ => return None,
        })
    }
}

/// The HTML pages of the demo committee's site, (path, text): what the tokenizer's tests read.
#[cfg(test)]
fn demo_site_pages() -> Vec<(String, String)> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let ledger = crate::demo::generate(crate::demo::DemoSize::Typical, today, 7);
    let settings = crate::publish::SiteSettings::default();
    let input = crate::publish::PublishInput {
        ledger: &ledger,
        root: std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        settings: &settings,
        today,
    };
    crate::publish::build(&input)
        .unwrap()
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html_text: &str) -> String {
        html(html_text).remove(0).1.text
    }

    #[test]
    fn the_page_text_is_one_text_across_elements() {
        assert_eq!(
            body("<p>联系 138<span>0013</span><br>8000</p>"),
            "联系13800138000"
        );
        assert_eq!(body("<p>钱<b>多</b>&#22810;</p>"), "钱多多");
        assert_eq!(body("<p>&#x31;&#51;8&nbsp;0013 8000</p>"), "13800138000");
    }

    #[test]
    fn attributes_comments_and_scripts_are_read() {
        let all = html(
            "<a href=\"tel:%2B86%20138%200013%208000\" title='钱多多'>x</a>\
             <!-- 13800138000 --><script>var a = \"\\u94b1\\u591a\\u591a\";</script>",
        );
        let find = |place: Place| {
            all.iter()
                .filter(|(p, _)| *p == place)
                .map(|(_, c)| c.text.clone())
                .collect::<Vec<_>>()
                .join("|")
        };
        assert!(find(Place::Attribute).contains("8613800138000"));
        assert!(find(Place::Attribute).contains("钱多多"));
        assert!(find(Place::Comment).contains("13800138000"));
        assert!(
            find(Place::Code).contains("钱多多"),
            "{}",
            find(Place::Code)
        );
        assert_eq!(find(Place::Text), "X");
    }

    #[test]
    fn lines_are_those_of_the_file() {
        let all = html("<html>\n<body>\n<p>甲\n乙</p>\n<p>丙</p></body>");
        let text = &all[0].1;
        let line_of = |needle: &str| {
            let at = text.text.find(needle).unwrap();
            text.line(at)
        };
        assert_eq!(line_of("乙"), 4);
        assert_eq!(line_of("丙"), 5);
    }

    #[test]
    fn signers_are_marked() {
        let all = html("<p>主任：<span data-signer>张丽华</span>，经办 张丽华</p>");
        let text = &all[0].1;
        let flagged: String = text
            .text
            .char_indices()
            .filter(|(i, _)| text.signer(*i))
            .map(|(_, c)| c)
            .collect();
        assert_eq!(flagged, "张丽华");
    }

    /// The decoding as it was first written, one `char` at a time: the reference.
    /// `text` with the escapes of JavaScript, JSON, CSS and HTML decoded (`\u5f20`, `\u{5f20}`,
    /// `\x31`, `\5f20 `, `&#x5f20;`, `&#49;`, `&amp;`), so that a script or style sheet that would
    /// show a value is read as that value. An escaped line break becomes a space: line numbers stay
    /// those of the file.
    fn unescape_by_chars(text: &str) -> String {
        if !text.contains(['\\', '&']) {
            return text.to_owned();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let hex_run = |from: usize, max: usize| {
            let mut j = from;
            while j < chars.len() && j - from < max && chars[j].is_ascii_hexdigit() {
                j += 1;
            }
            j
        };
        let from_hex = |a: usize, b: usize| {
            let s: String = chars[a..b].iter().collect();
            u32::from_str_radix(&s, 16).ok().and_then(char::from_u32)
        };
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' && i + 1 < chars.len() {
                let n = chars[i + 1];
                match n {
                    'u' if chars.get(i + 2) == Some(&'{') => {
                        let end = hex_run(i + 3, 6);
                        if let Some(ch) = from_hex(i + 3, end)
                            && chars.get(end) == Some(&'}')
                        {
                            out.push(ch);
                            i = end + 1;
                            continue;
                        }
                    }
                    'u' | 'x' => {
                        let width = if n == 'u' { 4 } else { 2 };
                        let end = hex_run(i + 2, width);
                        if end == i + 2 + width
                            && let Some(ch) = from_hex(i + 2, end)
                        {
                            out.push(ch);
                            i = end;
                            continue;
                        }
                    }
                    'n' | 'r' | 't' => {
                        out.push(' ');
                        i += 2;
                        continue;
                    }
                    n if n.is_ascii_hexdigit() => {
                        // CSS: up to six hex digits and an optional space.
                        let end = hex_run(i + 1, 6);
                        if let Some(ch) = from_hex(i + 1, end) {
                            out.push(ch);
                            i = if chars.get(end) == Some(&' ') {
                                end + 1
                            } else {
                                end
                            };
                            continue;
                        }
                    }
                    _ => {
                        out.push(n);
                        i += 2;
                        continue;
                    }
                }
            }
            if c == '&'
                && let Some((ch, len)) = entity_by_chars(&chars[i..])
            {
                out.push(ch);
                i += len;
                continue;
            }
            out.push(c);
            i += 1;
        }
        out
    }

    /// A character reference at the start of `rest`: the character and how many chars it took.
    fn entity_by_chars(rest: &[char]) -> Option<(char, usize)> {
        let end = rest.iter().take(12).position(|c| *c == ';')?;
        let body: String = rest[1..end].iter().collect();
        Some((reference_char(&body)?, end + 1))
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3_000))]

        #[test]
        fn escapes_are_decoded_as_one_char_at_a_time(
            text in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\\", "u", "{", "}", "x", "X", "n", "r", "t", "#", "&", ";", "+", " ",
                    "0", "1", "3", "9", "a", "F", "d8", "5f20", "110000", "amp", "nbsp",
                    "shy", "zwsp", "lt", "quot", "钱", "é", "\u{200B}", "\"", "\n", "%",
                ]),
                0..40,
            ).prop_map(|v: Vec<&str>| v.concat())
        ) {
            proptest::prop_assert_eq!(unescape(&text).into_owned(), unescape_by_chars(&text), "{:?}", text);
        }
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(unescape("\\u94b1\\u{591a}\\x31 \\31 2"), "钱多1 12");
        assert_eq!(unescape("&#38065;&amp;&#x591a;"), "钱&多");
    }
}
