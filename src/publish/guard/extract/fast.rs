//! A tokenizer for the plain HTML the site's own templates and Markdown make: it gives the
//! [`Sink`] exactly the tokens html5ever's tokenizer gives for such a page, in the same pieces
//! and with the same lines, at a fraction of the cost (html5ever reads a page character by
//! character through a general state machine; this reads it with `memchr` between a few kinds
//! of markup).
//!
//! It knows only what it can read without doubt: text; start and end tags with lower-case
//! names and quoted (or empty) attribute values; `<!DOCTYPE html>`; the raw text of a script,
//! style sheet or title with no `<` in it; the character references `&amp; &lt; &gt; &quot;
//! &apos; &nbsp;` and numeric ones that name an ordinary character, each ended by `;`. At
//! anything else (a comment, an unquoted or repeated attribute, a carriage return, a stray `<`,
//! any other reference) it gives up, and html5ever reads the whole page again from the start.
//! The tests read every page of the demo site and thousands of generated ones both ways and
//! compare the results.

use super::memo::{Look, Memo, Recording};
use super::{Sink, TagRead};
use html5ever::tokenizer::states::RawKind;
use std::borrow::Cow;

/// Gives the sink the tokens of `text`; `None` (the sink then half-filled, to be dropped) at
/// anything this tokenizer leaves to html5ever. With a `memo`, a line it holds is replayed into
/// the sink rather than read (the sink is left the same), and lines seen again are kept in it.
pub(super) fn tokenize(text: &str, sink: &Sink, mut memo: Option<&mut Memo>) -> Option<()> {
    let b = text.as_bytes();
    if memchr::memchr2(b'\r', b'\0', b).is_some() {
        return None;
    }
    let mut r = Reader {
        text,
        // html5ever drops a byte-order mark at the very start.
        at: if text.starts_with('\u{FEFF}') { 3 } else { 0 },
        line: 1,
    };
    let mut recording: Option<Recording> = None;
    while r.at < b.len() {
        if let Some(memo) = memo.as_deref_mut() {
            if let Some(rec) = recording.take_if(|rec| r.at >= rec.end) {
                memo.finish(rec, b, r.at, sink);
            }
            if recording.is_none() && b[r.at] == b'\n' {
                match memo.look(b, r.at, r.line, sink) {
                    Look::Replayed(end) => {
                        r.at = end;
                        r.line += 1;
                        continue;
                    }
                    Look::Record(rec) => recording = Some(rec),
                    Look::Read => {}
                }
            }
        }
        match b[r.at] {
            // html5ever reads a line break that begins a run of text on its own.
            b'\n' => {
                r.at += 1;
                r.line += 1;
                sink.chars("\n", r.line);
            }
            b'<' => r.markup(sink)?,
            b'&' => r.reference(sink, b.len())?,
            _ => {
                let end = memchr::memchr2(b'<', b'&', &b[r.at..]).map_or(b.len(), |k| r.at + k);
                r.text_run(sink, end);
            }
        }
    }
    if let (Some(memo), Some(rec)) = (memo, recording) {
        memo.finish(rec, b, r.at, sink);
    }
    Some(())
}

/// Where the reading stands.
struct Reader<'a> {
    text: &'a str,
    /// Byte offset.
    at: usize,
    /// Line of `at`, from 1 (html5ever's count: line breaks read so far, plus one).
    line: u64,
}

/// Gives the sink the end tag `</name>`, read on `line`.
fn end_tag(sink: &Sink, name: &str, line: u64) {
    let tag = TagRead::<&str> {
        name,
        end: true,
        self_closing: false,
        attrs: &[],
    };
    sink.tag(&tag, line);
}

/// The characters html5ever counts as space inside a tag.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0C')
}

/// The character a reference at the start of `rest` (`&…;`) names, its length in bytes, and
/// whether it is named (`&amp;`) rather than numbered; `None` for any reference this tokenizer
/// does not read as html5ever would with certainty.
fn reference_at(rest: &[u8]) -> Option<(char, usize, bool)> {
    let end = rest.iter().take(12).position(|&c| c == b';')?;
    let body = &rest[1..end];
    let number = |digits: &[u8], radix: u32| -> Option<char> {
        if digits.is_empty() || !digits.iter().all(|d| char::from(*d).is_digit(radix)) {
            return None;
        }
        let n = u32::from_str_radix(std::str::from_utf8(digits).ok()?, radix).ok()?;
        // html5ever replaces 0, surrogates and numbers beyond Unicode, and maps 0x80-0x9F
        // through the Windows-1252 table: left to it.
        if n == 0 || (0x80..=0x9F).contains(&n) {
            return None;
        }
        char::from_u32(n)
    };
    let named = |c: char| Some((c, true));
    let (c, is_named) = match body {
        b"amp" => named('&'),
        b"lt" => named('<'),
        b"gt" => named('>'),
        b"quot" => named('"'),
        b"apos" => named('\''),
        b"nbsp" => named('\u{A0}'),
        [b'#', b'x' | b'X', hex @ ..] => Some((number(hex, 16)?, false)),
        [b'#', dec @ ..] => Some((number(dec, 10)?, false)),
        _ => None,
    }?;
    Some((c, end + 1, is_named))
}

impl<'a> Reader<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// Text up to `end` (no `<` or `&` in it), as html5ever gives it: one piece, its line the
    /// one it ends on.
    fn text_run(&mut self, sink: &Sink, end: usize) {
        let run = &self.text[self.at..end];
        self.line += memchr::memchr_iter(b'\n', run.as_bytes()).count() as u64;
        self.at = end;
        sink.chars(run, self.line);
    }

    /// A character reference in text (up to byte `end`): html5ever gives its character as a
    /// piece of its own, and after a named one the next character too (it reads one character
    /// past the `;`, looking for a longer name, and puts it back alone).
    fn reference(&mut self, sink: &Sink, end: usize) -> Option<()> {
        let (c, len, named) = reference_at(&self.bytes()[self.at..end])?;
        self.at += len;
        sink.chars(c.encode_utf8(&mut [0; 4]), self.line);
        if named
            && let Some(next) = self.text[self.at..end].chars().next()
            && !matches!(next, '<' | '&' | '\n')
        {
            let from = self.at;
            self.at += next.len_utf8();
            sink.chars(&self.text[from..self.at], self.line);
        }
        Some(())
    }

    /// Skips the space inside a tag.
    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes().get(self.at)
            && is_space(b)
        {
            if b == b'\n' {
                self.line += 1;
            }
            self.at += 1;
        }
    }

    /// A name: a lower-case ASCII letter, then letters, digits and (for an attribute) `-_:.`.
    fn name(&mut self, attribute: bool) -> Option<&'a str> {
        let text = self.text;
        let from = self.at;
        if !self.bytes().get(from)?.is_ascii_lowercase() {
            return None;
        }
        let len = self.bytes()[from..]
            .iter()
            .position(|&b| {
                !(b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || (attribute && matches!(b, b'-' | b'_' | b':' | b'.')))
            })
            .unwrap_or(self.bytes().len() - from);
        self.at += len;
        Some(&text[from..from + len])
    }

    /// What follows a `<`.
    fn markup(&mut self, sink: &Sink) -> Option<()> {
        let rest = &self.bytes()[self.at..];
        match rest.get(1)? {
            b'!' => {
                // Only the doctype; html5ever gives a token the sink does not use.
                const DOCTYPE: &[u8] = b"<!doctype html>";
                if rest.len() >= DOCTYPE.len()
                    && rest[..DOCTYPE.len()].eq_ignore_ascii_case(DOCTYPE)
                    && &rest[10..DOCTYPE.len()] == b"html>"
                {
                    self.at += DOCTYPE.len();
                    Some(())
                } else {
                    None
                }
            }
            b'/' => {
                self.at += 2;
                let name = self.name(false)?;
                if self.bytes().get(self.at) != Some(&b'>') {
                    return None;
                }
                self.at += 1;
                end_tag(sink, name, self.line);
                Some(())
            }
            _ => self.start_tag(sink),
        }
    }

    /// A start tag, and the raw text after it if the sink asks for it.
    fn start_tag(&mut self, sink: &Sink) -> Option<()> {
        self.at += 1;
        let name = self.name(false)?;
        let mut attrs: Vec<(&'a str, Cow<'a, str>)> = Vec::new();
        let self_closing = loop {
            let before = self.at;
            self.skip_space();
            match *self.bytes().get(self.at)? {
                b'>' => {
                    self.at += 1;
                    break false;
                }
                b'/' if self.bytes().get(self.at + 1) == Some(&b'>') => {
                    self.at += 2;
                    break true;
                }
                // An attribute must follow the name or a value after a space.
                _ if self.at == before => return None,
                _ => {}
            }
            let attr = self.name(true)?;
            match *self.bytes().get(self.at)? {
                b'=' => {
                    self.at += 1;
                    let value = self.quoted()?;
                    // After a quoted value: a space, `/` or `>`.
                    let next = *self.bytes().get(self.at)?;
                    if !(is_space(next) || next == b'/' || next == b'>') {
                        return None;
                    }
                    attrs.push((attr, value));
                }
                b if is_space(b) || b == b'/' || b == b'>' => {
                    // `name =value` and the like are left to html5ever.
                    let after = self.bytes()[self.at..]
                        .iter()
                        .find(|b| !is_space(**b))
                        .copied();
                    if after == Some(b'=') {
                        return None;
                    }
                    attrs.push((attr, Cow::Borrowed("")));
                }
                _ => return None,
            }
            // html5ever keeps the first of two attributes with one name.
            if attrs[..attrs.len() - 1].iter().any(|(a, _)| *a == attr) {
                return None;
            }
        };
        let tag = TagRead {
            name,
            end: false,
            self_closing,
            attrs: &attrs,
        };
        match sink.tag(&tag, self.line) {
            Some(kind) => self.raw_text(sink, name, kind),
            None => Some(()),
        }
    }

    /// A quoted attribute value, its references decoded.
    fn quoted(&mut self) -> Option<Cow<'a, str>> {
        let text = self.text;
        let quote = *self.bytes().get(self.at)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let from = self.at + 1;
        let len = memchr::memchr(quote, &self.bytes()[from..])?;
        let raw = &text[from..from + len];
        self.line += memchr::memchr_iter(b'\n', raw.as_bytes()).count() as u64;
        self.at = from + len + 1;
        if !raw.contains('&') {
            return Some(Cow::Borrowed(raw));
        }
        let mut value = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            value.push_str(&rest[..amp]);
            let (c, len, _) = reference_at(&rest.as_bytes()[amp..])?;
            value.push(c);
            rest = &rest[amp + len..];
        }
        value.push_str(rest);
        Some(Cow::Owned(value))
    }

    /// The raw text of a script, style sheet (`kind` raw text or script data) or title
    /// (RCDATA: references decoded) up to its end tag, in html5ever's pieces: a line break on
    /// its own, a reference on its own, the runs between.
    fn raw_text(&mut self, sink: &Sink, name: &str, kind: RawKind) -> Option<()> {
        let from = self.at;
        let len = memchr::memchr(b'<', &self.bytes()[from..])?;
        let end = from + len;
        let close = &self.bytes()[end..];
        if !(close.len() > name.len() + 2
            && close.starts_with(b"</")
            && &close[2..2 + name.len()] == name.as_bytes()
            && close[2 + name.len()] == b'>')
        {
            return None;
        }
        let references = kind == RawKind::Rcdata;
        while self.at < end {
            match self.bytes()[self.at] {
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    sink.chars("\n", self.line);
                }
                b'&' if references => self.reference(sink, end)?,
                _ => {
                    let stop = |b: &u8| *b == b'\n' || (references && *b == b'&');
                    let run_end = self.bytes()[self.at..end]
                        .iter()
                        .position(stop)
                        .map_or(end, |k| self.at + k);
                    self.text_run(sink, run_end);
                }
            }
        }
        self.at = end + name.len() + 3;
        end_tag(sink, name, self.line);
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fast_html, slow_html};
    use proptest::prelude::*;

    /// Read both ways: `Some` when this tokenizer read it, and then it must equal html5ever's.
    fn both(page: &str) -> Option<()> {
        let fast = fast_html(page)?;
        assert_eq!(fast, slow_html(page), "{page:?}");
        Some(())
    }

    #[test]
    fn what_it_reads_it_reads_as_html5ever() {
        for page in [
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<title>第1项 - 百事汇</title>\n\
             <link rel=\"stylesheet\" href=\"../assets/site.css\">\n</head>\n<body>\n\n<p>联系 \
             138<span>0013</span><br>8000</p>\n<p>钱<b>多</b>&#22810;&#x31;&amp;&nbsp;</p>\n\
             <span data-signer>王慧敏</span><a href=\"a?b=1&amp;c=&#x27;2&#x27;\" \
             title='钱&quot;多'>x</a><img src=\"a.png\" alt=\"\"/><input disabled>\
             <td align=\"right\" data-x>1</td>\n</body>\n</html>\n",
            "\n\n甲\n乙\n\n<p\nclass=\"a\nb\"\n>丙</p>",
            "<title>一\n&lt;二&gt;</title><script src=\"s.js\"></script>\
             <style>\np { color: red }\n</style><script>var a = \"\\u94b1\";\n</script>",
            "<ol start=\"3\"><li>1号楼701室</li></ol><table><tr><th>事项</th></tr></table>",
            "",
            "没有标签的文字",
            "<p>1 &lt; 2 &gt; 0 &quot;q&quot; &apos;a&apos; &#12354; &#x1F600;</p>",
            "\u{FEFF}<p>钱\u{FEFF}多</p>",
            "\u{FEFF}\u{FEFF}钱",
        ] {
            assert!(both(page).is_some(), "not read: {page:?}");
        }
    }

    #[test]
    fn what_it_does_not_know_it_leaves_to_html5ever() {
        for page in [
            "<p>a<!-- 13800138000 -->b</p>",
            "<a href=x>1</a>",
            "<a href = \"x\">1</a>",
            "<a href=\"x\"title=\"y\">1</a>",
            "<a href=\"1\" href=\"2\">1</a>",
            "<P>1</P>",
            "<p>1</P>",
            "<p>1\r\n2</p>",
            "<p>a\0b</p>",
            "<p>&copy; &amp &#0; &#128; &#x110000; &#xD800; &foo;</p>",
            "<p>a & b</p>",
            "<p>1 < 2</p>",
            "<script>if (a < b) {}</script>",
            "<script><!--</script>",
            "<title>a</TITLE>",
            "<p>a</p >",
            "<a/ href=\"x\">",
            "<p class=\"unterminated>",
            "<!DOCTYPE html PUBLIC>",
            "<?xml version=\"1.0\"?>",
            "</>",
            "<p",
        ] {
            assert!(both(page).is_none(), "read, but should be left: {page:?}");
            // html5ever reads it; the guard sees it all the same.
            assert!(!super::super::html(page).is_empty());
        }
    }

    /// Pieces of pages: what the site's own pages are made of.
    const PLAIN: &[&str] = &[
        "<p>",
        "</p>",
        "<div class=\"board-body\">",
        "</div>",
        "<span data-signer>",
        "</span>",
        "<br>",
        "<br/>",
        "<img src=\"a.png\" alt=\"钱多多\">",
        "<a href=\"../guide/item-00001.html#a4\" title='x&amp;y'>",
        "</a>",
        "<li>",
        "<td\nalign=\"center\">",
        "<title>第&#49;项\n示例</title>",
        "<script src=\"../assets/search.js\"></script>",
        "<style>\n.a { b: c }\n</style>",
        "<!DOCTYPE html>",
        "钱",
        "多多",
        "138",
        "0013",
        " ",
        "\n",
        "\n\n",
        "-",
        "二十一号楼七〇一室",
        "，",
        "&amp;",
        "&#49;",
        "&#x31;",
        "&nbsp;",
        "&lt;",
        "＊",
        "%31",
        "1\u{200B}2",
        "\u{FEFF}",
        "x",
    ];

    /// Pieces the tokenizer leaves to html5ever, or that change how the rest is read.
    const ODD: &[&str] = &[
        "<!-- 138 -->",
        "<a href=x>",
        "<A>",
        "&copy;",
        "&amp",
        "&",
        "<",
        ">",
        "\r",
        "<title>",
        "</title>",
        "<script>",
        "</script>",
        "<textarea>",
        "<p class=\"",
        "\"",
        "'",
        "=",
        "/",
        "<!",
        "</",
    ];

    fn page(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn a_page_of_plain_pieces_is_read_as_html5ever_reads_it(page in page(PLAIN)) {
            prop_assert!(both(&page).is_some(), "not read: {page:?}");
        }

        #[test]
        fn any_page_read_at_all_is_read_as_html5ever_reads_it(
            page in prop::collection::vec(
                prop_oneof![prop::sample::select(PLAIN), prop::sample::select(ODD)],
                0..60,
            ).prop_map(|p| p.concat())
        ) {
            let _ = both(&page);
        }
    }

    #[test]
    fn every_page_of_the_demo_site_is_read_as_html5ever_reads_it() {
        let mut pages = 0;
        for (path, text) in super::super::demo_site_pages() {
            assert!(both(&text).is_some(), "{path} is not read");
            pages += 1;
        }
        assert!(pages > 30, "{pages}");
    }
}
