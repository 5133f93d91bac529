//! Lines read before: what a line of a page adds to the page's texts, kept per thread, so that
//! a line many pages share (most of a page's template: its head, menu, footer) is tokenized and
//! put in canonical form once and copied after.
//!
//! A line is looked up where [`super::fast`] stands at a line break between tokens. Its key is
//! the line's bytes (the break before it and the characters up to the next break) and the
//! state the page is read in there: each text's [`Cursor`] (what was dropped before the next
//! character, whether numerals run as a number, the character kept last) and the element marked
//! `data-signer` that is open, if any. What is kept is what the line added to each text
//! ([`Delta`]: its characters, their marks, the lines noted, counted from the line's own) and
//! the signer open after it. Replayed, the texts are byte for byte, mark for mark and line for
//! line those the tokenizer would have made: the tokenizer reads a line the same way whatever
//! came before it and whatever follows (see [`Memo::look`]), and the texts change only as their
//! cursors and the signer say. The guard then reads the whole assembled texts as before: a
//! value split between a remembered line and the next is found as it always was.
//!
//! A line is kept only when the tokenizer, reading it, stopped exactly at the next line break (a
//! tag or a run of text that goes on to the next line makes no line of its own), and only on
//! its second sighting, so that the lines of a page's own body cost a hash and no memory. A
//! thread keeps at most [`MAX_BYTES`] of lines.

use super::Sink;
use crate::publish::guard::canon::{Cursor, Delta};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

/// How much of its lines a thread keeps (the demo site's templates need a few tens of KB).
const MAX_BYTES: usize = 4 << 20;
/// How many lines refused a thread remembers before it forgets them all.
const MAX_REFUSED: usize = 1 << 12;
/// How many lines seen once a thread remembers: one per slot of a table indexed by the key, a
/// line seen later in its slot forgetting the one before. The lines of a template come back
/// every page; a page's own lines (tens of them) rarely take the slot of one in between.
const SEEN: usize = 1 << 12;
/// A line shorter than this (a closing tag) is read: looking it up would cost as much.
const MIN_LINE: usize = 8;
/// Nor is one longer than this (a paragraph of a page's body): a template's lines are short.
const MAX_LINE: usize = 1 << 10;

thread_local! {
    /// This thread's lines.
    pub(super) static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// The state a line is read in: each text's cursor (body, code, comments, tags).
type Cursors = [Cursor; 4];

/// One thread's lines.
pub(super) struct Memo {
    /// Lines kept, and lines refused, by key.
    slots: FxHashMap<u64, Slot>,
    /// Keys of lines seen once, each in slot `key % SEEN`.
    seen: Box<[u64]>,
    /// Bytes held by the lines kept.
    bytes: usize,
    /// Lines refused.
    refused: usize,
    /// Lines replayed.
    replayed: usize,
}

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            slots: FxHashMap::default(),
            seen: vec![0; SEEN].into_boxed_slice(),
            bytes: 0,
            refused: 0,
            replayed: 0,
        }
    }
}

enum Slot {
    /// Seen again, and not a line of its own: read each time.
    Refused,
    /// Kept.
    Line(Box<Line>),
}

/// A line kept: its key in full, and what it adds.
struct Line {
    raw: Box<[u8]>,
    cursors: Cursors,
    signer: Option<(String, u32)>,
    /// What it adds to the body, code, comments and tags.
    deltas: [Delta; 4],
    /// The signer open after it.
    signer_after: Option<(String, u32)>,
}

/// What [`Memo::look`] found.
pub(super) enum Look {
    /// The line was replayed: reading goes on from its end, on the next line.
    Replayed(usize),
    /// The line is to be read and kept.
    Record(Recording),
    /// The line is to be read.
    Read,
}

/// A line being read to be kept.
pub(super) struct Recording {
    /// Where it ends (the next line break).
    pub(super) end: usize,
    key: u64,
    from: usize,
    /// Its line break's line.
    base: u32,
    /// Where each text stood when it began.
    starts: [usize; 4],
    cursors: Cursors,
    signer: Option<(String, u32)>,
}

impl Sink {
    fn builders(&self) -> [&RefCell<crate::publish::guard::canon::Builder>; 4] {
        [&self.body, &self.code, &self.comments, &self.tags]
    }

    fn cursors(&self) -> Cursors {
        self.builders().map(|b| b.borrow().cursor())
    }
}

/// The key of a line read in `cursors` with `signer` open.
fn key(raw: &[u8], cursors: &Cursors, signer: Option<&(String, u32)>) -> u64 {
    let mut seed = 0u64;
    for c in cursors {
        seed = seed.rotate_left(23) ^ c.packed();
    }
    if let Some((name, depth)) = signer {
        seed ^= xxhash_rust::xxh3::xxh3_64_with_seed(name.as_bytes(), u64::from(*depth) + 1);
    }
    xxhash_rust::xxh3::xxh3_64_with_seed(raw, seed)
}

impl Memo {
    /// At a line break between tokens (byte `at` of `text`, on line `line`): replays the line
    /// it begins if it is kept, or says to read it (and to keep it, on its second sighting).
    ///
    /// The tokenizer reads a line with no regard to what came before it (it stands between
    /// tokens, outside any tag or raw text) and, when it stops exactly at the next line break,
    /// with no regard to what follows: what it looks ahead at (a reference's `;`, the rest of
    /// a tag, the end of a script) it either finds before that break or gives up on the page.
    pub(super) fn look(&mut self, text: &[u8], at: usize, line: u64, sink: &Sink) -> Look {
        let Some(end) = memchr::memchr(b'\n', &text[at + 1..]).map(|k| at + 1 + k) else {
            return Look::Read;
        };
        let raw = &text[at..end];
        // Lines are counted in 32 bits by the texts; a line's are counted from its own.
        let Ok(base) = u32::try_from(line) else {
            return Look::Read;
        };
        if !(MIN_LINE..=MAX_LINE).contains(&raw.len())
            || base >= u32::MAX - 1
            || sink.raw.borrow().is_some()
        {
            return Look::Read;
        }
        let cursors = sink.cursors();
        let signer = sink.signer.borrow();
        let key = key(raw, &cursors, signer.as_ref());
        match self.slots.get(&key) {
            Some(Slot::Line(kept))
                if *kept.raw == *raw && kept.cursors == cursors && kept.signer == *signer =>
            {
                drop(signer);
                for (b, delta) in sink.builders().into_iter().zip(&kept.deltas) {
                    b.borrow_mut().replay(delta, base);
                }
                sink.signer.borrow_mut().clone_from(&kept.signer_after);
                self.replayed += 1;
                Look::Replayed(end)
            }
            // Another line with the same key, or one refused.
            Some(_) => Look::Read,
            None => {
                let slot = &mut self.seen[(key % SEEN as u64) as usize];
                if *slot != key {
                    *slot = key;
                    return Look::Read;
                }
                if self.bytes + raw.len() * 4 > MAX_BYTES {
                    return Look::Read;
                }
                let starts = sink.builders().map(|b| b.borrow_mut().begin());
                Look::Record(Recording {
                    end,
                    key,
                    from: at,
                    base,
                    starts,
                    cursors,
                    signer: signer.clone(),
                })
            }
        }
    }

    /// The line being recorded was read, up to byte `at` of `text`: kept if the tokenizer
    /// stopped exactly at its end, outside any raw text.
    pub(super) fn finish(&mut self, rec: Recording, text: &[u8], at: usize, sink: &Sink) {
        let whole = at == rec.end && sink.raw.borrow().is_none();
        if !whole {
            for b in sink.builders() {
                b.borrow_mut().abandon();
            }
            if self.refused >= MAX_REFUSED {
                self.slots.retain(|_, s| matches!(s, Slot::Line(_)));
                self.refused = 0;
            }
            self.slots.insert(rec.key, Slot::Refused);
            self.refused += 1;
            return;
        }
        let mut deltas = Vec::with_capacity(4);
        for (b, start) in sink.builders().into_iter().zip(rec.starts) {
            deltas.push(b.borrow_mut().end(start, rec.base));
        }
        let Ok(deltas) = <[Delta; 4]>::try_from(deltas) else {
            return;
        };
        let line = Line {
            raw: text[rec.from..rec.end].into(),
            cursors: rec.cursors,
            signer: rec.signer,
            deltas,
            signer_after: sink.signer.borrow().clone(),
        };
        self.bytes += line.raw.len() + line.deltas.iter().map(Delta::size).sum::<usize>();
        self.slots.insert(rec.key, Slot::Line(Box::new(line)));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Place, Sink, fast};
    use super::Memo;
    use crate::publish::guard::canon::Canon;
    use proptest::prelude::*;

    /// The texts of `page` read by the fast tokenizer, through `memo` or not.
    fn read(page: &str, memo: Option<&mut Memo>) -> Option<Vec<(Place, Canon)>> {
        let sink = Sink::default();
        fast::tokenize(page, &sink, memo)?;
        Some(sink.texts())
    }

    /// Reads each page through `memo` and without it; asserts the texts are the same.
    fn same(pages: &[String], memo: &mut Memo) {
        for page in pages {
            assert_eq!(read(page, Some(memo)), read(page, None), "{page}");
        }
    }

    #[test]
    fn the_demo_site_read_through_the_memo_is_read_the_same() {
        let pages: Vec<String> = super::super::demo_site_pages()
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        let mut memo = Memo::default();
        // Twice: the second time most lines are replayed.
        same(&pages, &mut memo);
        let before = memo.replayed;
        same(&pages, &mut memo);
        let lines: usize = pages.iter().map(|p| p.lines().count()).sum();
        assert!(
            memo.replayed - before > lines / 2,
            "{} of {lines}",
            memo.replayed - before
        );
    }

    /// Lines of a page: the template's, and ones that make the tokenizer look across a line
    /// break, carry a signer or numerals from one line to the next, or need the normaliser.
    const LINES: &[&str] = &[
        "<p>联系 138<span>0013</span><br>8000</p>",
        "<span data-signer>王慧敏",
        "</span>",
        "<p class=\"signers\"><span data-signer>李建国</span>　主任</p>",
        "<a href=\"../guide/item-00001.html#a4\">A4</a> <a href=\"%31%33\">二十一</a>",
        "号楼七〇一室",
        "<td align=\"center\">１２</td><td>三</td>",
        "<title>第&#49;项 示例</title>",
        "<script src=\"s.js\"></script>",
        "<style>p { color: red }</style>",
        "<script>var a = \"\\u94b1\";",
        "</script>",
        "&amp;x&nbsp;y &#x31;",
        "<div class=\"board-body\">",
        "<p class=\"a",
        "b\">甲</p>",
        "<input disabled><br/>",
        "",
        "一三八<b>〇〇</b>",
        "Ａ\u{0301}，１<i>2</i>",
        "<li>1号楼701室</li>",
        "<p>1 &lt; 2",
        "<!-- 138 -->",
        "\u{200B}十<em>一</em>",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn pages_of_shared_lines_are_read_the_same_through_the_memo(
            pages in prop::collection::vec(
                prop::collection::vec(prop::sample::select(LINES), 0..40)
                    .prop_map(|lines| lines.join("\n")),
                1..8,
            )
        ) {
            let mut memo = Memo::default();
            for page in &pages {
                prop_assert_eq!(read(page, Some(&mut memo)), read(page, None), "{}", page);
            }
        }
    }

    #[test]
    fn a_line_is_kept_on_its_second_sighting_and_replayed_after() {
        let page = "<p>甲</p>\n<div class=\"x\">乙</div>\n<p>丙</p>\n";
        let mut memo = Memo::default();
        for round in 0..3 {
            assert_eq!(read(page, Some(&mut memo)), read(page, None));
            // Seen once, then kept, then replayed.
            assert_eq!(memo.replayed, if round == 2 { 2 } else { 0 }, "{round}");
        }
        // A line that runs on into the next is refused, not kept.
        let page = "<p>甲</p>\n<p>一二三四五\n六</p>\n";
        for _ in 0..3 {
            assert_eq!(read(page, Some(&mut memo)), read(page, None));
        }
        assert_eq!(memo.replayed, 2);
    }
}
