//! The canonical form the guard reads text in: one text per place (a page's visible text, the
//! attributes of one tag, a file name), each built from one or more raw segments.
//!
//! Every segment is percent-decoded and put in Unicode NFKC (full-width and other compatible
//! forms become plain digits and letters); every invisible character (the whole Cf category,
//! default-ignorable code points such as variation selectors, combining marks) is dropped;
//! separators (spaces of every kind, dashes, `. / _ · ( ) + ,`, line breaks, and the boundary
//! between two segments, that is markup) are dropped too, but remembered on the character that
//! follows them, so that a run of digits can be assembled across them and its groups still be
//! told apart. Mask characters (`＊ × ● …`) become `*`, ASCII letters upper case, digits of other
//! scripts ASCII digits, and Chinese numerals (〇零一…九 两 十 百 千) that run as a number
//! become digits: `二十一号楼七〇一室` reads `21号楼701室`.

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};
use std::borrow::Cow;

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

/// On a character: it was inside an element marked `data-signer`.
pub const SIGNER: u8 = 1;

/// What the guard knows of each byte of canonical text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Meta {
    /// Line of the raw file, from 1.
    pub line: u32,
    /// What was dropped before the character ([`SEP`], [`DASH`], [`BOUNDARY`]).
    pub gap: u8,
    /// Where the character was ([`SIGNER`]).
    pub flags: u8,
}

/// A text in canonical form, with a [`Meta`] for each of its bytes.
#[derive(Debug, Default)]
pub struct Canon {
    /// The canonical text.
    pub text: String,
    /// One per byte of `text` (a character's gap on its first byte).
    pub meta: Vec<Meta>,
}

/// Builds a [`Canon`] from segments.
#[derive(Default)]
pub struct Builder {
    chars: Vec<(char, Meta)>,
    pending: u8,
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
            '-' => Class::Sep(SEP | DASH),
            '.' | '/' | '\\' | '_' | '(' | ')' | '[' | ']' | '+' | ',' => Class::Sep(SEP),
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
    if GeneralCategoryGroup::SpaceSeparator.contains(gc)
        || GeneralCategoryGroup::LineSeparator.contains(gc)
        || GeneralCategoryGroup::ParagraphSeparator.contains(gc)
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

impl Builder {
    /// An empty text.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Adds a segment that begins on line `line` of the raw file. `flags` is put on each of its
    /// characters. The boundary before it counts as a separator.
    pub fn push(&mut self, raw: &str, line: u32, flags: u8) {
        self.pending |= SEP | BOUNDARY;
        let decoded = percent_decoded(raw);
        let nfkc = ComposingNormalizerBorrowed::new_nfkc();
        let text = nfkc.normalize(&decoded);
        let mut line = line;
        for c in text.chars() {
            match classify(c) {
                Class::Drop => {}
                Class::Sep(gap) => self.pending |= gap,
                Class::Keep(k) => {
                    self.chars.push((
                        k,
                        Meta {
                            line,
                            gap: self.pending,
                            flags,
                        },
                    ));
                    self.pending = 0;
                }
            }
            if c == '\n' {
                line += 1;
            }
        }
    }

    /// Marks a block boundary before whatever comes next (see [`BLOCK`]).
    pub fn block(&mut self) {
        self.pending |= SEP | BOUNDARY | BLOCK;
    }

    /// Whether nothing has been kept.
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The canonical text: Chinese numerals read, one [`Meta`] per byte.
    pub fn finish(self) -> Canon {
        let chars = read_numerals(self.chars);
        let mut text = String::with_capacity(chars.len() * 2);
        let mut meta = Vec::with_capacity(chars.len() * 2);
        for (c, m) in chars {
            text.push(c);
            meta.push(m);
            // What was dropped before a character is on its first byte only.
            let rest = Meta { gap: 0, ..m };
            meta.extend(std::iter::repeat_n(rest, c.len_utf8() - 1));
        }
        Canon { text, meta }
    }
}

/// A text of one segment, as the guard reads it.
pub fn canon(raw: &str) -> Canon {
    let mut b = Builder::new();
    b.push(raw, 1, 0);
    b.finish()
}

fn numeral(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// What a single numeral next to it makes a number: `三号楼`, `七室`.
fn counts_on(c: char) -> bool {
    matches!(c, '号' | '幢' | '栋' | '楼' | '室' | '单' | '弄' | '层')
}

/// The value of a run with units (`二十一`, `七百零一`), or `None` when it is not one.
fn positional(run: &[char]) -> Option<u32> {
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

/// Replaces the Chinese numerals that run as a number by ASCII digits.
fn read_numerals(chars: Vec<(char, Meta)>) -> Vec<(char, Meta)> {
    let is_numeral = |c: char| numeral(c).is_some() || unit(c).is_some();
    if !chars.iter().any(|(c, _)| is_numeral(*c)) {
        return chars;
    }
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_numeral(chars[i].0) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_numeral(chars[i].0) {
            i += 1;
        }
        let run = &chars[start..i];
        let before = start.checked_sub(1).map(|j| chars[j].0);
        let after = chars.get(i).map(|(c, _)| *c);
        let number = run.len() >= 2
            || before.is_some_and(|c| c.is_ascii_digit())
            || after.is_some_and(|c| c.is_ascii_digit() || counts_on(c));
        let letters: Vec<char> = run.iter().map(|(c, _)| *c).collect();
        let has_units = letters.iter().any(|c| unit(*c).is_some());
        if !number {
            out.extend_from_slice(run);
        } else if !has_units {
            for (c, m) in run {
                let d = numeral(*c)
                    .and_then(|d| char::from_digit(d, 10))
                    .unwrap_or(*c);
                out.push((d, *m));
            }
        } else if let Some(value) = positional(&letters) {
            let first = run[0].1;
            for (k, d) in value.to_string().chars().enumerate() {
                let mut m = first;
                if k > 0 {
                    m.gap = 0;
                }
                out.push((d, m));
            }
        } else {
            out.extend_from_slice(run);
        }
    }
    out
}

/// Whether byte `at` of `canon` (a digit) begins a group: nothing but separators between it and
/// the digit before, if any.
pub fn group_start(canon: &Canon, at: usize) -> bool {
    at == 0 || !canon.text.as_bytes()[at - 1].is_ascii_digit() || canon.meta[at].gap & SEP != 0
}

/// Whether a group of digits ends just before byte `at`.
pub fn group_end(canon: &Canon, at: usize) -> bool {
    at >= canon.text.len()
        || !canon.text.as_bytes()[at].is_ascii_digit()
        || canon.meta[at].gap & SEP != 0
}

/// Whether a block boundary lies inside `start..end` (not before its first character).
pub fn crosses_block(canon: &Canon, start: usize, end: usize) -> bool {
    canon.meta[start + 1..end]
        .iter()
        .any(|m| m.gap & BLOCK != 0)
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
    }

    #[test]
    fn separators_are_remembered_on_the_next_character() {
        let c = canon("21-701 室");
        assert_eq!(c.text, "21701室");
        assert!(c.meta[2].gap & DASH != 0);
        assert!(group_start(&c, 2) && group_end(&c, 2));
        assert!(!group_end(&c, 1) || c.meta[2].gap & SEP != 0);
        assert!(group_end(&c, 5));
    }

    #[test]
    fn masks_and_letters_are_folded() {
        assert_eq!(text("138＊＊＊＊5678"), "138****5678");
        assert_eq!(text("138××××5678"), "138****5678");
        assert_eq!(text("138●●●●5678"), "138****5678");
        assert_eq!(text("11010519491231002x"), "11010519491231002X");
    }
}
