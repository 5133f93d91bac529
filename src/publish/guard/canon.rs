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

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

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
}

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

enum Class {
    Drop,
    Sep(u8),
    Keep(char),
}

fn classify(c: char) -> Class {
    if c.is_ascii() {
        return match c {
            ' ' | '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' => Class::Sep(SEP),
            // `21-701`, and the shorthand `21#701`.
            '-' | '#' => Class::Sep(SEP | DASH),
            '*' => Class::Keep('*'),
            c if c.is_ascii_punctuation() => Class::Sep(SEP),
            c if c.is_ascii_control() => Class::Drop,
            c => Class::Keep(c.to_ascii_uppercase()),
        };
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return Class::Keep(c);
    }
    match c {
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{30FC}' => return Class::Sep(SEP | DASH),
        '\u{00B7}' | '\u{30FB}' | '\u{2027}' | '\u{22C5}' | '\u{FF65}' | '\u{2024}' => {
            return Class::Sep(SEP);
        }
        '×' | '✱' | '✲' | '✳' | '✻' | '⁎' | '∗' | '●' | '○' | '◯' | '■' | '□' | '◆' | '◇' | '★'
        | '☆' | '※' | '•' | '∙' | '⚫' | '⚪' | '❋' | '✽' => return Class::Keep('*'),
        _ => {}
    }
    if c.is_whitespace() {
        return Class::Sep(SEP);
    }
    if CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c) {
        return Class::Drop;
    }
    let gc = CodePointMapData::<GeneralCategory>::new().get(c);
    if GeneralCategoryGroup::Format.contains(gc)
        || GeneralCategoryGroup::NonspacingMark.contains(gc)
        || GeneralCategoryGroup::EnclosingMark.contains(gc)
        || GeneralCategoryGroup::Control.contains(gc)
    {
        return Class::Drop;
    }
    if GeneralCategoryGroup::DecimalNumber.contains(gc) {
        return Class::Keep(decimal_value(c));
    }
    // Spaces, and punctuation of every script (、。：“” 《》【】…): a value split by them is
    // still the value.
    if GeneralCategoryGroup::SpaceSeparator.contains(gc)
        || GeneralCategoryGroup::LineSeparator.contains(gc)
        || GeneralCategoryGroup::ParagraphSeparator.contains(gc)
        || GeneralCategoryGroup::Punctuation.contains(gc)
    {
        return Class::Sep(SEP);
    }
    Class::Keep(c)
}

/// The ASCII digit of a decimal digit of any script: digits come in runs of ten from zero.
fn decimal_value(c: char) -> char {
    let map = CodePointMapData::<GeneralCategory>::new();
    let mut k = 0u32;
    let mut cp = c as u32;
    while cp > 0 {
        let prev = char::from_u32(cp - 1);
        if prev.is_some_and(|p| map.get(p) == GeneralCategory::DecimalNumber) {
            k += 1;
            cp -= 1;
        } else {
            break;
        }
    }
    char::from_digit(k % 10, 10).unwrap_or(c)
}

/// Percent-decoding, repeated (a value encoded twice is decoded twice), invalid sequences kept.
fn percent_decoded(raw: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(raw);
    for _ in 0..3 {
        if !text.contains('%') {
            break;
        }
        let decoded = percent_encoding::percent_decode_str(&text)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == text {
            break;
        }
        text = Cow::Owned(decoded);
    }
    text
}

/// The canonical form of one segment on its own (lines counted from 0, nothing before it).
struct Piece {
    canon: Canon,
    /// What was dropped after its last character.
    trail: u8,
    /// Whether some of its Chinese numerals run as a number.
    numerals: bool,
    /// Its last character (`\0` if none).
    last: char,
}

/// How much each thread keeps, in bytes: a site's template is a few hundred KB.
const MAX_PIECE_BYTES: usize = 8 << 20;

/// The longest segment kept, in bytes.
const MAX_CACHED: usize = 256;

/// The key is already a fingerprint: it hashes as its own low 64 bits.
#[derive(Default)]
struct Fingerprint(u64);

impl std::hash::Hasher for Fingerprint {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

type Pieces = HashMap<u128, Rc<Piece>, std::hash::BuildHasherDefault<Fingerprint>>;

thread_local! {
    static PIECES: RefCell<(Pieces, usize)> = RefCell::new((Pieces::default(), 0));
}

/// Whether two neighbours make Chinese numerals a number: two numerals, or one next to a digit,
/// or one before a word that counts (号, 室, …). The test of [`read_numerals`].
fn runs_as_number(before: char, c: char) -> bool {
    // Every numeral is a Chinese character: most pairs are settled here.
    if before.is_ascii() && c.is_ascii() {
        return false;
    }
    (is_numeral(before) || is_numeral(c))
        && (is_numeral(before) && is_numeral(c)
            || before.is_ascii_digit()
            || c.is_ascii_digit()
            || is_numeral(before) && counts_on(c))
}

/// Whether `c` is certainly its own NFKC and composes with nothing: ASCII, the CJK unified
/// ideographs, and the everyday Chinese punctuation (、。《》「」『』【】 and curly quotes).
fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || matches!(c, '\u{3001}'..='\u{3002}' | '\u{3008}'..='\u{3011}' | '\u{2018}'..='\u{2019}' | '\u{201C}'..='\u{201D}')
}

/// The length in bytes of the run of CJK unified ideographs other than numerals that `text`
/// begins with (each is its own canonical form and is kept).
fn plain_cjk_run(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 2 < bytes.len() && (0xE4..=0xE9).contains(&bytes[i]) {
        let cp = (u32::from(bytes[i] & 0x0F) << 12)
            | (u32::from(bytes[i + 1] & 0x3F) << 6)
            | u32::from(bytes[i + 2] & 0x3F);
        let Some(c) = char::from_u32(cp) else { break };
        if !('\u{4E00}'..='\u{9FFF}').contains(&c) || is_numeral(c) {
            break;
        }
        i += 3;
    }
    i
}

/// What is carried from one character to the next while a text is written: what was dropped
/// before the next kept character, whether some Chinese numerals run as a number, and the
/// character kept last.
#[derive(Clone, Copy)]
struct Cursor {
    pending: u8,
    numerals: bool,
    last: char,
}

impl Default for Cursor {
    fn default() -> Cursor {
        Cursor {
            pending: 0,
            numerals: false,
            last: '\0',
        }
    }
}

/// `c` in NFKC when that is one character and `c` composes with nothing: itself for
/// [`nfkc_stable`], the ASCII character of a full-width form (`，` `：` `１` `Ａ`), a space for
/// the ideographic space. `None` for anything else (the normaliser decides).
fn nfkc_simple(c: char) -> Option<char> {
    if nfkc_stable(c) {
        Some(c)
    } else if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        char::from_u32(c as u32 - 0xFEE0)
    } else if c == '\u{3000}' {
        Some(' ')
    } else {
        None
    }
}

/// Writes the canonical form of one raw segment at the end of `canon`: its characters (each
/// with what was dropped before it and `flags`), and where each of its raw lines begins, from
/// `line`.
///
/// Most text needs no Unicode normaliser: ASCII, the common CJK ideographs and punctuation are
/// their own NFKC, and a full-width form is one ASCII character ([`nfkc_simple`]). The segment
/// is read so in one pass; at the first character that is none of these, what was written of it
/// is taken back and the segment is read again, normalised whole.
fn write(canon: &mut Canon, raw: &str, line: u32, flags: u8, cur: &mut Cursor) {
    let decoded = percent_decoded(raw);
    let saved = (
        canon.text.len(),
        canon.marks.len(),
        canon.lines.len(),
        canon.lines.last().copied(),
        *cur,
    );
    if write_chars(canon, &decoded, line, flags, cur, true) {
        return;
    }
    canon.text.truncate(saved.0);
    canon.marks.truncate(saved.1);
    canon.lines.truncate(saved.2);
    if let (Some(was), Some(last)) = (saved.3, canon.lines.last_mut()) {
        *last = was;
    }
    *cur = saved.4;
    let normalised = ComposingNormalizerBorrowed::new_nfkc().normalize(&decoded);
    write_chars(canon, &normalised, line, flags, cur, false);
}

/// Writes `text` (see [`write`]). With `simple_only`, each character is put in NFKC by
/// [`nfkc_simple`], and `false` is returned, with the text written so far, at the first that
/// cannot be; otherwise `text` is already in NFKC.
fn write_chars(
    canon: &mut Canon,
    text: &str,
    line: u32,
    flags: u8,
    cur: &mut Cursor,
    simple_only: bool,
) -> bool {
    canon.text.reserve(text.len());
    canon.marks.reserve(text.len());
    let mut line = line;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        // The short way for a run of Chinese characters that are not numerals (most of a
        // page): copied as they are.
        let run = plain_cjk_run(rest);
        if run > 0 {
            cur.numerals = cur.numerals || runs_as_number(cur.last, c);
            canon.text.push_str(&rest[..run]);
            canon.marks.push(cur.pending | flags);
            canon.marks.extend(std::iter::repeat_n(flags, run - 1));
            cur.pending = 0;
            cur.last = rest[..run].chars().next_back().unwrap_or(c);
            rest = &rest[run..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        let k = if simple_only {
            match nfkc_simple(c) {
                Some(k) => k,
                None => return false,
            }
        } else {
            c
        };
        match classify(k) {
            Class::Drop => {}
            Class::Sep(gap) => cur.pending |= gap,
            Class::Keep(k) => {
                canon.text.push(k);
                canon.marks.push(cur.pending | flags);
                for _ in 1..k.len_utf8() {
                    canon.marks.push(flags);
                }
                cur.pending = 0;
                cur.numerals = cur.numerals || runs_as_number(cur.last, k);
                cur.last = k;
            }
        }
        if c == '\n' {
            line += 1;
            canon.note_line(line);
        }
    }
    true
}

impl Canon {
    /// Records that the text from here on comes from raw line `line`.
    fn note_line(&mut self, line: u32) {
        let at = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        match self.lines.last_mut() {
            Some(last) if last.0 == at => *last = (at, line),
            Some(last) if last.1 == line => {}
            _ => self.lines.push((at, line)),
        }
    }
}

impl Piece {
    fn of(raw: &str) -> Piece {
        let mut canon = Canon {
            text: String::new(),
            marks: Vec::new(),
            lines: vec![(0, 0)],
        };
        let mut cur = Cursor::default();
        write(&mut canon, raw, 0, 0, &mut cur);
        let Cursor {
            pending,
            mut numerals,
            mut last,
        } = cur;
        // Numerals that run as a number inside the segment are read here, once; a run at
        // either end is left to the whole text, where its neighbours are known.
        let at_edge = canon.text.chars().next().is_some_and(is_numeral) || is_numeral(last);
        if numerals && !at_edge {
            canon = read_numerals(canon);
            numerals = false;
            last = canon.text.chars().next_back().unwrap_or('\0');
        }
        Piece {
            canon,
            trail: pending,
            numerals,
            last,
        }
    }
}

impl Builder {
    /// An empty text.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Adds a segment that begins on line `line` of the raw file. `flags` ([`SIGNER`]) is put
    /// on each of its characters. The boundary before it counts as a separator.
    ///
    /// The pages of a site repeat their template's text (the menu, the footer, the labels)
    /// page after page: the canonical form of a segment of 16 to 256 bytes is kept per thread,
    /// by a 128-bit fingerprint of its raw text, and reused. Shorter ones cost less to read
    /// than to look up, and longer ones are a page's own text, seen once.
    pub fn push(&mut self, raw: &str, line: u32, flags: u8) {
        self.cur.pending |= SEP | BOUNDARY;
        if !(16..=MAX_CACHED).contains(&raw.len()) {
            self.canon.note_line(line);
            write(&mut self.canon, raw, line, flags, &mut self.cur);
            return;
        }
        let key = xxhash_rust::xxh3::xxh3_128(raw.as_bytes());
        let piece = PIECES.with(|cache| {
            let (cache, bytes) = &mut *cache.borrow_mut();
            if *bytes > MAX_PIECE_BYTES {
                cache.clear();
                *bytes = 0;
            }
            cache
                .entry(key)
                .or_insert_with(|| {
                    let piece = Piece::of(raw);
                    *bytes += 2 * piece.canon.text.len() + 8 * piece.canon.lines.len() + 64;
                    Rc::new(piece)
                })
                .clone()
        });
        self.append(&piece, line, flags);
    }

    /// Appends a segment's canonical form.
    fn append(&mut self, piece: &Piece, line: u32, flags: u8) {
        let base = self.canon.text.len();
        for &(at, rel) in &piece.canon.lines {
            let at = u32::try_from(base + at as usize).unwrap_or(u32::MAX);
            let line = line + rel;
            match self.canon.lines.last_mut() {
                Some(last) if last.0 == at => *last = (at, line),
                Some(last) if last.1 == line => {}
                _ => self.canon.lines.push((at, line)),
            }
        }
        let Some(first) = piece.canon.text.chars().next() else {
            self.cur.pending |= piece.trail;
            return;
        };
        if !self.cur.numerals {
            self.cur.numerals = piece.numerals || runs_as_number(self.cur.last, first);
        }
        self.canon.text.push_str(&piece.canon.text);
        if flags == 0 {
            self.canon.marks.extend_from_slice(&piece.canon.marks);
        } else {
            self.canon
                .marks
                .extend(piece.canon.marks.iter().map(|m| m | flags));
        }
        self.canon.marks[base] |= self.cur.pending;
        self.cur.pending = piece.trail;
        self.cur.last = piece.last;
    }

    /// Marks a block boundary before whatever comes next (see [`BLOCK`]).
    pub fn block(&mut self) {
        self.cur.pending |= SEP | BOUNDARY | BLOCK;
    }

    /// Whether nothing has been kept.
    pub fn is_empty(&self) -> bool {
        self.canon.text.is_empty()
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

/// A text of one segment, as the guard reads it.
pub fn canon(raw: &str) -> Canon {
    let mut b = Builder::new();
    b.push(raw, 1, 0);
    b.finish()
}

/// A Chinese digit: the everyday forms, the financial forms of receipts (壹贰叁…), 幺 as one is
/// read out in a phone number.
fn numeral(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '两' | '兩' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// What a single numeral next to it makes a number: `三号楼`, `七室`.
fn counts_on(c: char) -> bool {
    matches!(c, '号' | '幢' | '栋' | '楼' | '室' | '单' | '弄' | '层')
}

/// The value of a run with units (`二十一`, `七百零一`), or `None` when it is not one.
fn positional_value(run: &[char]) -> Option<u32> {
    let (mut total, mut digit, mut last_unit) = (0u32, None::<u32>, u32::MAX);
    for &c in run {
        if let Some(d) = numeral(c) {
            // Two digits in a row only after a zero (七百零一).
            if digit.is_some_and(|p| p != 0) {
                return None;
            }
            digit = Some(d);
        } else if let Some(u) = unit(c) {
            if u >= last_unit {
                return None;
            }
            total += digit.unwrap_or(1) * u;
            digit = None;
            last_unit = u;
        }
    }
    Some(total + digit.unwrap_or(0))
}

fn is_numeral(c: char) -> bool {
    numeral(c).is_some() || unit(c).is_some()
}

/// Replaces the Chinese numerals that run as a number by ASCII digits, in one pass.
fn read_numerals(canon: Canon) -> Canon {
    let mut out = Canon {
        text: String::with_capacity(canon.text.len()),
        marks: Vec::with_capacity(canon.marks.len()),
        lines: Vec::with_capacity(canon.lines.len()),
    };
    let mut next_line = 0;
    // Copies the line marks that begin at or before old byte `old` to the new text.
    let mut lines_up_to = |out: &mut Canon, old: usize| {
        while next_line < canon.lines.len() && canon.lines[next_line].0 as usize <= old {
            let at = u32::try_from(out.text.len()).unwrap_or(u32::MAX);
            out.lines.push((at, canon.lines[next_line].1));
            next_line += 1;
        }
    };
    let copy = |out: &mut Canon, at: usize, c: char| {
        out.text.push(c);
        out.marks
            .extend_from_slice(&canon.marks[at..at + c.len_utf8()]);
    };
    let mut chars = canon.text.char_indices().peekable();
    let mut before: Option<char> = None;
    let mut run: Vec<(usize, char)> = Vec::new();
    while let Some((at, c)) = chars.next() {
        lines_up_to(&mut out, at);
        if !is_numeral(c) {
            copy(&mut out, at, c);
            before = Some(c);
            continue;
        }
        run.clear();
        run.push((at, c));
        while let Some(&(a, n)) = chars.peek()
            && is_numeral(n)
        {
            run.push((a, n));
            chars.next();
        }
        let after = chars.peek().map(|(_, c)| *c);
        let number = run.len() >= 2
            || before.is_some_and(|c| c.is_ascii_digit())
            || after.is_some_and(|c| c.is_ascii_digit() || counts_on(c));
        let letters: Vec<char> = run.iter().map(|(_, c)| *c).collect();
        let positional = letters.iter().any(|c| unit(*c).is_some());
        let digits: Option<String> = if !number {
            None
        } else if positional {
            positional_value(&letters).map(|v| v.to_string())
        } else {
            letters
                .iter()
                .map(|c| numeral(*c).and_then(|d| char::from_digit(d, 10)))
                .collect()
        };
        match digits {
            Some(digits) => {
                for (n, d) in digits.chars().enumerate() {
                    // Digit by digit, each keeps what stood before its numeral; a positional
                    // number is one group.
                    let from = if positional { run[0].0 } else { run[n].0 };
                    let gap = if n > 0 && positional {
                        0
                    } else {
                        canon.marks[from]
                    };
                    out.text.push(d);
                    out.marks.push(gap | (canon.marks[from] & SIGNER));
                }
                for &(a, _) in &run[1..] {
                    lines_up_to(&mut out, a);
                }
            }
            None => {
                for (k, &(a, n)) in run.iter().enumerate() {
                    if k > 0 {
                        lines_up_to(&mut out, a);
                    }
                    copy(&mut out, a, n);
                }
            }
        }
        before = run.last().map(|(_, c)| *c);
    }
    lines_up_to(&mut out, usize::MAX);
    out
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
    fn chinese_numerals_run_as_numbers_and_words_stay_words() {
        assert_eq!(text("二十一号楼七〇一室"), "21号楼701室");
        assert_eq!(text("二十一幢七百零一室"), "21幢701室");
        assert_eq!(text("三号楼"), "3号楼");
        assert_eq!(text("张三丰"), "张三丰");
        assert_eq!(text("一个人"), "一个人");
        assert_eq!(text("二〇二六年十一月"), "2026年11月");
        assert_eq!(text("两个人"), "两个人");
        assert_eq!(text("幺三九幺二三四五六七八"), "13912345678");
        assert_eq!(text("壹叁玖壹贰叁肆伍陆柒捌"), "13912345678");
        assert_eq!(text("贰拾壹号楼柒佰零壹室"), "21号楼701室");
        assert_eq!(text("伍先生"), "伍先生");
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
    fn what_skips_the_normaliser_is_its_own_nfkc() {
        let nfkc = ComposingNormalizerBorrowed::new_nfkc();
        let stable: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| nfkc_stable(*c))
            .collect();
        assert!(stable.len() > 20_000);
        for c in &stable {
            let s = c.to_string();
            assert_eq!(nfkc.normalize(&s), s.as_str(), "U+{:04X}", *c as u32);
        }
        // None of them is a combining character: a text made only of them is its own NFKC
        // (the shortcut is taken only when every character of a segment is one of them).
        let all: String = stable.iter().chain(stable.iter().rev()).collect();
        assert_eq!(nfkc.normalize(&all), all.as_str());
    }

    #[test]
    fn what_is_mapped_without_the_normaliser_is_mapped_as_nfkc_maps_it() {
        let icu = ComposingNormalizerBorrowed::new_nfkc();
        let simple: Vec<(char, char)> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter_map(|c| nfkc_simple(c).map(|m| (c, m)))
            .collect();
        assert!(simple.iter().any(|(c, _)| *c == '，') && simple.iter().any(|(c, _)| *c == 'Ａ'));
        for (c, m) in &simple {
            assert_eq!(
                icu.normalize(&c.to_string()),
                m.to_string(),
                "U+{:04X}",
                *c as u32
            );
        }
        // Side by side, in either order, none of them composes with its neighbour.
        let raw: String = simple
            .iter()
            .map(|(c, _)| *c)
            .chain(simple.iter().rev().map(|(c, _)| *c))
            .collect();
        let mapped: String = simple
            .iter()
            .map(|(_, m)| *m)
            .chain(simple.iter().rev().map(|(_, m)| *m))
            .collect();
        assert_eq!(icu.normalize(&raw), mapped.as_str());
        assert_eq!(text(&raw), text(&mapped));
        // A segment with anything else is read again, normalised whole: here the accent
        // composes with the letter before it, already read.
        assert_eq!(text("Ａ\u{0301}，１"), "Á1");
        assert_eq!(text("１２\u{0301}"), "12");
    }

    #[test]
    fn a_long_segment_reads_as_the_same_text_cut_into_short_ones() {
        // Long segments are written straight into the text, short ones through the cache.
        let sentence = "住在二十一号楼七〇一室的居民，电话１３８－００１３－８０００，证号 11010519491231002x。";
        let long: String = sentence.repeat(8);
        assert!(long.len() > MAX_CACHED);
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
