//! The canonical form the guard reads text in: one text per place (a page's visible text, the
//! attributes of its tags, a file name), each built from one or more raw segments.
//!
//! Every segment is percent-decoded and put in Unicode NFKC (full-width and other compatible
//! forms become plain digits and letters); every invisible character (the whole Cf category,
//! default-ignorable code points such as variation selectors, combining marks) is dropped;
//! separators (spaces of every kind, punctuation of every script, line breaks, and the boundary
//! between two segments, that is markup) are dropped too, but remembered on the character that
//! follows them, so that a run of digits can be assembled across them and its groups still be
//! told apart. Mask characters (`＊ × ● …`) become `*`, ASCII letters upper case, digits of other
//! scripts ASCII digits, and Chinese numerals (〇零一…九 两 十 百 千) that run as a number
//! become digits: `二十一号楼七〇一室` reads `21号楼701室`.
//!
//! Here: the text and its builder; [`mod@write`] puts one segment in canonical form,
//! [`numerals`] reads the Chinese numerals.

mod numerals;
mod write;

use numerals::read_numerals;
pub use write::Cursor;
use write::write;

/// On a character: one or more separators were dropped just before it.
pub const SEP: u8 = 1;
/// On a character: a dash was among them.
pub const DASH: u8 = 2;
/// On a character: it begins a new segment (markup, or the start of the text).
pub const BOUNDARY: u8 = 4;
/// On a character: a block of the page (a paragraph, a list item, a table cell) ends or begins
/// before it. Digits on either side are not assembled into one short number or one shape: a
/// date in one cell and an amount in the next are two numbers. (A value the ledger holds whole,
/// 11 digits or more, is still found across it.)
pub const BLOCK: u8 = 8;
/// What was dropped before a character: the bits above.
const GAP: u8 = SEP | DASH | BOUNDARY | BLOCK;

/// On a character: it was inside an element marked `data-signer`.
pub const SIGNER: u8 = 16;

/// A text in canonical form. For each byte it knows what was dropped before it (on a
/// character's first byte only) and whether it stood where a signer signs; for each line of the
/// raw file, where it begins.
#[derive(Debug, Default)]
pub struct Canon {
    /// The canonical text.
    pub text: String,
    /// One per byte of `text`: gap bits ([`SEP`], [`DASH`], [`BOUNDARY`], [`BLOCK`]) and
    /// [`SIGNER`].
    marks: Vec<u8>,
    /// Where each run of the text begins in the raw file: (byte of `text`, line), ascending.
    lines: Vec<(u32, u32)>,
    /// While a builder notes what it writes ([`Builder::begin`]): each line noted, as (byte of
    /// `text`, line), in order. Not part of the text.
    log: Option<Vec<(u32, u32)>>,
}

impl PartialEq for Canon {
    fn eq(&self, other: &Canon) -> bool {
        self.text == other.text && self.marks == other.marks && self.lines == other.lines
    }
}

impl Eq for Canon {}

impl Canon {
    /// What was dropped before the character at byte `at`.
    pub fn gap(&self, at: usize) -> u8 {
        self.marks.get(at).map_or(0, |m| m & GAP)
    }

    /// Whether byte `at` stood inside an element marked `data-signer`.
    pub fn signer(&self, at: usize) -> bool {
        self.marks.get(at).is_some_and(|m| m & SIGNER != 0)
    }

    /// The raw file's line of byte `at`, from 1.
    pub fn line(&self, at: usize) -> u32 {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        let i = self.lines.partition_point(|(start, _)| *start <= at);
        i.checked_sub(1).map_or(1, |i| self.lines[i].1)
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.text.len()
    }
}

/// Builds a [`Canon`] from segments.
#[derive(Default)]
pub struct Builder {
    canon: Canon,
    /// What was dropped before the next character, whether some Chinese numerals run as a
    /// number (the text needs [`read_numerals`]), the character kept last.
    cur: Cursor,
}

impl Builder {
    /// An empty text.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// An empty text with room for `bytes` bytes.
    pub fn with_capacity(bytes: usize) -> Builder {
        let mut b = Builder::default();
        b.canon.text.reserve(bytes);
        b.canon.marks.reserve(bytes);
        b
    }

    /// Adds a segment that begins on line `line` of the raw file. `flags` ([`SIGNER`]) is put
    /// on each of its characters. The boundary before it counts as a separator.
    pub fn push(&mut self, raw: &str, line: u32, flags: u8) {
        self.cur.pending |= SEP | BOUNDARY;
        self.canon.note_line(line);
        write(&mut self.canon, raw, line, flags, &mut self.cur);
    }

    /// Marks a block boundary before whatever comes next (see [`BLOCK`]).
    pub fn block(&mut self) {
        self.cur.pending |= SEP | BOUNDARY | BLOCK;
    }

    /// Whether nothing has been kept.
    pub fn is_empty(&self) -> bool {
        self.canon.text.is_empty()
    }

    /// What is carried to the next character written (with [`Builder::replay`], what a
    /// [`Delta`] is keyed by).
    pub fn cursor(&self) -> Cursor {
        self.cur
    }

    /// Starts noting what is written from here on, for [`Builder::end`]; returns where it
    /// starts.
    pub fn begin(&mut self) -> usize {
        self.canon.log = Some(Vec::new());
        self.canon.text.len()
    }

    /// Stops noting: what was written since [`Builder::begin`] returned `from`, with the lines
    /// noted counted from `base`.
    pub fn end(&mut self, from: usize, base: u32) -> Delta {
        let at = u32::try_from(from).unwrap_or(u32::MAX);
        let notes = self
            .canon
            .log
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|(byte, line)| (byte.saturating_sub(at), line.wrapping_sub(base)))
            .collect();
        Delta {
            text: self.canon.text.get(from..).unwrap_or_default().into(),
            marks: self.canon.marks.get(from..).unwrap_or_default().into(),
            notes,
            cur: self.cur,
        }
    }

    /// Stops noting, keeping nothing.
    pub fn abandon(&mut self) {
        self.canon.log = None;
    }

    /// Writes `delta` again, its lines counted from `base`: a builder whose cursor is the one
    /// `delta`'s builder had at [`Builder::begin`] is left as if it had been given the same
    /// segments (on lines as far from `base` as they were from the first one's).
    pub fn replay(&mut self, delta: &Delta, base: u32) {
        let mut done = 0;
        for &(at, line) in &delta.notes {
            let at = at as usize;
            self.canon.text.push_str(&delta.text[done..at]);
            self.canon.marks.extend_from_slice(&delta.marks[done..at]);
            done = at;
            self.canon.note_line(base.wrapping_add(line));
        }
        self.canon.text.push_str(&delta.text[done..]);
        self.canon.marks.extend_from_slice(&delta.marks[done..]);
        self.cur = delta.cur;
    }

    /// The canonical text, its Chinese numerals read.
    pub fn finish(self) -> Canon {
        if self.cur.numerals {
            read_numerals(self.canon)
        } else {
            self.canon
        }
    }
}

/// What a [`Builder`] wrote between [`Builder::begin`] and [`Builder::end`], to be written
/// again by [`Builder::replay`].
#[derive(Debug, Clone)]
pub struct Delta {
    text: Box<str>,
    /// One per byte of `text`.
    marks: Box<[u8]>,
    /// The lines noted, in order: (byte of `text`, line less the base line).
    notes: Box<[(u32, u32)]>,
    /// The cursor after.
    cur: Cursor,
}

impl Delta {
    /// Bytes held.
    pub fn size(&self) -> usize {
        self.text.len() * 2 + self.notes.len() * 8
    }
}

/// A text of one segment, as the guard reads it.
pub fn canon(raw: &str) -> Canon {
    let mut b = Builder::new();
    b.push(raw, 1, 0);
    b.finish()
}

/// Whether byte `at` of `canon` (a digit) begins a group: nothing but separators between it and
/// the digit before, if any.
pub fn group_start(canon: &Canon, at: usize) -> bool {
    at == 0 || !canon.text.as_bytes()[at - 1].is_ascii_digit() || canon.gap(at) & SEP != 0
}

/// Whether a group of digits ends just before byte `at`.
pub fn group_end(canon: &Canon, at: usize) -> bool {
    at >= canon.text.len()
        || !canon.text.as_bytes()[at].is_ascii_digit()
        || canon.gap(at) & SEP != 0
}

/// Whether a block boundary lies inside `start..end` (not before its first character).
pub fn crosses_block(canon: &Canon, start: usize, end: usize) -> bool {
    (start + 1..end).any(|i| canon.gap(i) & BLOCK != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(raw: &str) -> String {
        canon(raw).text
    }

    #[test]
    fn every_spelling_of_a_number_reads_the_same() {
        for raw in [
            "13800138000",
            "１３８ ００１３－８０００",
            "138-0013-8000",
            "138.0013.8000",
            "138\n0013\n8000",
            "1\u{200B}3\u{2060}8\u{FEFF}0\u{00AD}0138000",
            "138\u{FE0F}00138000",
            "1\u{0332}3\u{0332}800138000",
            "一三八〇〇一三八〇〇〇",
            "%31%33%38%30%30%31%33%38%30%30%30",
            "%2531%2533800138000",
            "١٣٨٠٠١٣٨٠٠٠",
            "①③⑧00138000",
            "138 ００ 一三八０００",
        ] {
            assert_eq!(text(raw), "13800138000", "{raw:?}");
        }
    }

    #[test]
    fn separators_are_remembered_on_the_next_character() {
        let c = canon("21-701 室");
        assert_eq!(c.text, "21701室");
        assert!(c.gap(2) & DASH != 0);
        assert!(group_start(&c, 2) && group_end(&c, 2));
        assert!(!group_end(&c, 1) || c.gap(2) & SEP != 0);
        assert!(group_end(&c, 5));
    }

    #[test]
    fn a_long_segment_reads_as_the_same_text_cut_into_short_ones() {
        // Numerals, separators and what was dropped carry across the boundary of two segments.
        let sentence = "住在二十一号楼七〇一室的居民，电话１３８－００１３－８０００，证号 11010519491231002x。";
        let long: String = sentence.repeat(8);
        let mut whole = Builder::new();
        whole.push(&long, 1, 0);
        let whole = whole.finish();
        let mut cut = Builder::new();
        cut.push(sentence, 1, 0);
        for _ in 1..8 {
            cut.push(sentence, 1, 0);
        }
        let cut = cut.finish();
        assert!(whole.text.contains("21号楼701室") && whole.text.contains("13800138000"));
        assert_eq!(whole.text, cut.text);
        assert!(whole.text.contains("11010519491231002X"));
    }

    #[test]
    fn masks_and_letters_are_folded() {
        assert_eq!(text("138＊＊＊＊5678"), "138****5678");
        assert_eq!(text("138××××5678"), "138****5678");
        assert_eq!(text("138●●●●5678"), "138****5678");
        assert_eq!(text("11010519491231002x"), "11010519491231002X");
    }
}
