//! One raw segment written in canonical form: what each character becomes (NFKC, kept,
//! dropped, or a separator remembered on the next character) and where the raw lines begin.

use super::numerals::{is_numeral_code, runs_as_number};
use super::{Canon, DASH, SEP};
use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};
use std::borrow::Cow;

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
        // The everyday Chinese punctuation (、。〈〉《》「」『』【】 and curly quotes), as the
        // general category below would say (a test holds them to it), without looking it up.
        '\u{3001}'..='\u{3002}'
        | '\u{3008}'..='\u{3011}'
        | '\u{2018}'..='\u{2019}'
        | '\u{201C}'..='\u{201D}' => {
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

/// Whether `c` is certainly its own NFKC and composes with nothing: ASCII, the CJK unified
/// ideographs, and the everyday Chinese punctuation (、。《》「」『』【】, curly quotes, the
/// dashes of ——, the middle dot of 地点·时间).
fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || matches!(c, '\u{3001}'..='\u{3002}' | '\u{3008}'..='\u{3011}' | '\u{2018}'..='\u{2019}' | '\u{201C}'..='\u{201D}' | '\u{2012}'..='\u{2015}' | '\u{00B7}')
}

/// The length in bytes of the run of CJK unified ideographs other than numerals that `text`
/// begins with (each is its own canonical form and is kept).
fn plain_cjk_run(text: &str) -> usize {
    // The ideographs U+4E00..=U+9FFF are the three-byte sequences led by E4 to E9: read three
    // bytes at a time while each three are one.
    let mut run = 0;
    for c in text.as_bytes().chunks_exact(3) {
        let &[lead, second, third] = c else {
            break;
        };
        if !(0xE4..=0xE9).contains(&lead) {
            break;
        }
        let cp = (u32::from(lead & 0x0F) << 12)
            | (u32::from(second & 0x3F) << 6)
            | u32::from(third & 0x3F);
        if cp < 0x4E00 || is_numeral_code(cp) {
            break;
        }
        run += 3;
    }
    run
}

/// What is carried from one character to the next while a text is written: what was dropped
/// before the next kept character, whether some Chinese numerals run as a number, and the
/// character kept last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub(super) pending: u8,
    pub(super) numerals: bool,
    pub(super) last: char,
}

impl Cursor {
    /// The cursor in 64 bits, for a key.
    pub fn packed(self) -> u64 {
        u64::from(self.pending) | (u64::from(self.numerals) << 8) | (u64::from(self.last) << 16)
    }
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

/// Whether NFKC makes `c` a run of full stops (… and ‥, the ellipsis of Chinese text): written
/// as one full stop, a separator, as the run would be, without the normaliser.
fn is_dots(c: char) -> bool {
    matches!(c, '\u{2025}' | '\u{2026}')
}

/// Writes the canonical form of one raw segment at the end of `canon`: its characters (each
/// with what was dropped before it and `flags`), and where each of its raw lines begins, from
/// `line`.
///
/// Most text needs no Unicode normaliser: ASCII, the common CJK ideographs and punctuation are
/// their own NFKC, and a full-width form is one ASCII character ([`nfkc_simple`]). The segment
/// is read so, and only the stretches around the other characters go through the normaliser:
/// each from the character before the first of them (which a combining mark may compose with)
/// to the next character that is simple again. None of the simple characters composes with
/// the one before it, so the normaliser starts and ends a stretch where it would have within
/// the whole segment (a property test holds the two to the same text), and a page or a search
/// shard with a dash or an ellipsis in it is not normalised whole for it.
pub(super) fn write(canon: &mut Canon, raw: &str, line: u32, flags: u8, cur: &mut Cursor) {
    let decoded = percent_decoded(raw);
    let mut rest: &str = &decoded;
    let mut line = line;
    while let Err((at, at_line)) = write_chars(canon, rest, line, flags, cur, true) {
        let end = stretch_end(rest, at);
        let normalised = ComposingNormalizerBorrowed::new_nfkc().normalize(&rest[at..end]);
        line = write_chars(canon, &normalised, at_line, flags, cur, false).unwrap_or(at_line);
        rest = &rest[end..];
    }
}

/// Where the stretch the normaliser reads, from byte `at` of `text`, ends: after the character
/// at `at` and every character after it that [`nfkc_simple`] does not take, at the next one it
/// does (or the end).
fn stretch_end(text: &str, at: usize) -> usize {
    let mut chars = text[at..].char_indices();
    chars.next();
    chars
        .find(|(_, c)| nfkc_simple(*c).is_some())
        .map_or(text.len(), |(i, _)| at + i)
}

/// Whether the text `rest` begins with a character the short way cannot take: it stops before
/// the character that comes before one.
fn next_is_hard(rest: &str) -> bool {
    // Told by their bytes without decoding: ASCII, the ideographs U+4E00..=U+9FFF, 、 and 。,
    // the full-width forms U+FF01..=U+FF5E (，：（ …).
    match rest.as_bytes() {
        []
        | [0..=0x7F, ..]
        | [0xE5..=0xE9, ..]
        | [0xE4, 0xB8..=0xBF, ..]
        | [0xE3, 0x80, 0x81 | 0x82, ..]
        | [0xEF, 0xBC, 0x81..=0xBF, ..]
        | [0xEF, 0xBD, 0x80..=0x9E, ..] => false,
        _ => rest
            .chars()
            .next()
            .is_some_and(|c| nfkc_simple(c).is_none() && !is_dots(c)),
    }
}

/// Writes `text` (see [`write()`]) and returns the line it ends on. With `simple_only`, each
/// character is put in NFKC by [`nfkc_simple`] (an ellipsis as a full stop, [`is_dots`]), and
/// at a character that cannot be, it stops
/// before the character that precedes it (or before it, at the start) with what was written
/// so far: `Err` with the byte it stopped at and its line. Otherwise `text` is already in NFKC.
fn write_chars(
    canon: &mut Canon,
    text: &str,
    line: u32,
    flags: u8,
    cur: &mut Cursor,
    simple_only: bool,
) -> Result<u32, (usize, u32)> {
    canon.text.reserve(text.len());
    canon.marks.reserve(text.len());
    let mut line = line;
    let mut rest = text;
    let stop = |rest: &str, line: u32| Err((text.len() - rest.len(), line));
    while let Some(c) = rest.chars().next() {
        // The short way for a run of ASCII (link addresses, class names, numbers): each byte
        // looked up in a table made by `classify`.
        if c.is_ascii() {
            let mut run = rest
                .bytes()
                .position(|b| !b.is_ascii())
                .unwrap_or(rest.len());
            // Its last character goes to the normaliser with what follows it.
            let hard = simple_only && next_is_hard(&rest[run..]);
            if hard {
                run -= 1;
            }
            line = write_ascii(canon, &rest.as_bytes()[..run], line, flags, cur);
            rest = &rest[run..];
            if hard {
                return stop(rest, line);
            }
            continue;
        }
        // The short way for a run of Chinese characters that are not numerals (most of a
        // page): copied as they are.
        let mut run = plain_cjk_run(rest);
        let hard = run > 0 && simple_only && next_is_hard(&rest[run..]);
        if hard {
            run -= 3;
        }
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
        if hard {
            return stop(rest, line);
        }
        let k = if simple_only {
            match nfkc_simple(c).or_else(|| is_dots(c).then_some('.')) {
                Some(k) if !next_is_hard(&rest[c.len_utf8()..]) => k,
                _ => return stop(rest, line),
            }
        } else {
            c
        };
        rest = &rest[c.len_utf8()..];
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
    Ok(line)
}

/// What [`classify`] makes of each ASCII byte: [`DROP`], [`SEP_BIT`] with the gap bits, or the
/// byte kept (upper case).
fn ascii_table() -> &'static [u8; 128] {
    static TABLE: std::sync::OnceLock<[u8; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u8; 128];
        for (b, slot) in (0u8..128).zip(table.iter_mut()) {
            *slot = match classify(char::from(b)) {
                Class::Drop => DROP,
                Class::Sep(gap) => SEP_BIT | gap,
                // ASCII is kept as ASCII (upper case); NUL is dropped, so 0 is free.
                Class::Keep(k) => u8::try_from(k).unwrap_or(DROP),
            };
        }
        table
    })
}

/// In [`ascii_table`]: the byte is dropped (a control character).
const DROP: u8 = 0;
/// In [`ascii_table`]: the byte is a separator; the low bits are its gap bits.
const SEP_BIT: u8 = 0x80;

/// Writes a run of ASCII bytes as [`write_chars`] writes each of them; returns the line after
/// it. Two ASCII characters never run as a Chinese number, so only the first is looked at for
/// that.
fn write_ascii(canon: &mut Canon, run: &[u8], mut line: u32, flags: u8, cur: &mut Cursor) -> u32 {
    let table = ascii_table();
    for &b in run {
        match table[usize::from(b)] {
            DROP => {}
            t if t & SEP_BIT != 0 => cur.pending |= t & !SEP_BIT,
            k => {
                if !cur.last.is_ascii() {
                    cur.numerals = cur.numerals || runs_as_number(cur.last, char::from(k));
                }
                canon.text.push(char::from(k));
                canon.marks.push(cur.pending | flags);
                cur.pending = 0;
                cur.last = char::from(k);
            }
        }
        if b == b'\n' {
            line += 1;
            canon.note_line(line);
        }
    }
    line
}

impl Canon {
    /// Records that the text from here on comes from raw line `line`.
    pub(super) fn note_line(&mut self, line: u32) {
        let at = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        if let Some(log) = &mut self.log {
            log.push((at, line));
        }
        match self.lines.last_mut() {
            Some(last) if last.0 == at => *last = (at, line),
            Some(last) if last.1 == line => {}
            _ => self.lines.push((at, line)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::guard::canon::canon;
    use proptest::strategy::Strategy;

    fn text(raw: &str) -> String {
        canon(raw).text
    }

    /// Each character classified and written one by one, as `write_chars` did before its
    /// short ways (no numerals, no lines).
    fn one_by_one(raw: &str) -> (String, Vec<u8>) {
        let (mut text, mut marks) = (String::new(), Vec::new());
        let mut pending = super::super::SEP | super::super::BOUNDARY;
        for c in raw.chars() {
            let k = nfkc_simple(c).expect("simple");
            match classify(k) {
                Class::Drop => {}
                Class::Sep(gap) => pending |= gap,
                Class::Keep(k) => {
                    text.push(k);
                    marks.push(pending);
                    marks.extend(std::iter::repeat_n(0, k.len_utf8() - 1));
                    pending = 0;
                }
            }
        }
        (text, marks)
    }

    proptest::proptest! {
        #[test]
        fn ascii_read_in_runs_reads_as_one_character_at_a_time(
            raw in proptest::collection::vec(
                proptest::prop_oneof![
                    // (`%` starts percent-decoding, which the reference does not do.)
                    (0u8..128).prop_map(|b| if b == b'%' { '/' } else { char::from(b) }),
                    proptest::sample::select(vec!['钱', '多', '，', '１', 'Ａ', '\u{3000}', '、']),
                ],
                0..300,
            ).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            let c = canon(&raw);
            let (text, marks) = one_by_one(&raw);
            proptest::prop_assert_eq!(&c.text, &text);
            proptest::prop_assert_eq!(&c.marks, &marks);
        }
    }

    /// A segment written as `write` did before it normalised stretches: normalised whole.
    fn normalised_whole(raw: &str) -> (Canon, Cursor) {
        let mut canon = Canon::default();
        let mut cur = Cursor {
            pending: super::super::SEP | super::super::BOUNDARY,
            ..Cursor::default()
        };
        canon.note_line(1);
        let normalised = ComposingNormalizerBorrowed::new_nfkc().normalize(raw);
        let ended = write_chars(&mut canon, &normalised, 1, 0, &mut cur, false);
        assert!(ended.is_ok());
        (canon, cur)
    }

    proptest::proptest! {
        #[test]
        fn stretches_normalised_read_as_the_segment_normalised_whole(
            raw in proptest::collection::vec(
                proptest::sample::select(vec![
                    'a', 'Z', '1', ' ', '\n', '-', '钱', '一', '十', '号', '楼', '，', '１', 'Ａ',
                    '\u{3000}', '、', '\u{0301}', '\u{0332}', '\u{200B}', '…', '—', '·', '①',
                    'ﬁ', 'é', '\u{212B}', '\u{1100}', '\u{1161}', '\u{11A8}', '가', 'ｶ', 'ﾞ',
                    'か', '\u{3099}', '\u{FE0F}', '‥',
                ]),
                0..40,
            ).prop_map(|v| v.into_iter().collect::<String>())
        ) {
            let mut b = super::super::Builder::new();
            b.push(&raw, 1, 0);
            let cur = b.cursor();
            let (whole, whole_cur) = normalised_whole(&raw);
            proptest::prop_assert_eq!(&b.canon.text, &whole.text);
            proptest::prop_assert_eq!(&b.canon.marks, &whole.marks);
            proptest::prop_assert_eq!(&b.canon.lines, &whole.lines);
            proptest::prop_assert_eq!(cur, whole_cur);
        }
    }

    #[test]
    fn an_ellipsis_is_full_stops_to_nfkc_and_one_separator_to_the_guard() {
        let icu = ComposingNormalizerBorrowed::new_nfkc();
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| is_dots(*c))
        {
            let n = icu.normalize(&c.to_string()).into_owned();
            assert!(
                n.len() >= 2 && n.chars().all(|d| d == '.'),
                "U+{:04X}",
                c as u32
            );
            assert!(matches!(classify('.'), Class::Sep(SEP)));
        }
        assert_eq!(canon("楼…1……号‥2"), canon("楼...1......号..2"));
    }

    #[test]
    fn everyday_chinese_punctuation_is_punctuation() {
        let map = CodePointMapData::<GeneralCategory>::new();
        for c in [
            '\u{3001}', '\u{3002}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}',
        ]
        .into_iter()
        .chain('\u{3008}'..='\u{3011}')
        {
            assert!(
                GeneralCategoryGroup::Punctuation.contains(map.get(c)),
                "{c}"
            );
            assert!(
                !c.is_whitespace()
                    && !CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
            );
            assert!(matches!(classify(c), Class::Sep(SEP)), "{c}");
        }
    }

    #[test]
    fn a_hard_character_is_one_the_short_way_cannot_take() {
        assert!(!next_is_hard(""));
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let rest = format!("{c}x");
            assert_eq!(
                next_is_hard(&rest),
                nfkc_simple(c).is_none() && !is_dots(c),
                "U+{:04X}",
                c as u32
            );
        }
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
        // Anything else goes through the normaliser with the character before it: here the
        // accent composes with the full-width letter before it.
        assert_eq!(text("Ａ\u{0301}，１"), "Á1");
        assert_eq!(text("１２\u{0301}"), "12");
    }
}
