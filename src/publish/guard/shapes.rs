//! Shapes of personal numbers, whether the ledger holds them or not: ID numbers (18 digits, or
//! 17 and a check `X`; the old 15), mobile numbers (with `86` or `0086` before them), and masked
//! IDs and phones (`138****5678`, `3101**********123X`, any mask character).
//!
//! A shape is a whole group of digits: it begins where a separator or a non-digit precedes it and
//! ends where one follows, so that the digits of a date next to an amount are not read as one
//! number; and it must be plausible (an ID's region and birth date, a mobile's `1[3-9]`), so that
//! a run of table figures is not an ID by chance.

use super::canon::{BLOCK, Canon, crosses_block, group_end, group_start};
use super::{Found, HitKind};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// First two digits of the province codes of ID numbers.
const PROVINCES: [&[u8; 2]; 34] = [
    b"11", b"12", b"13", b"14", b"15", b"21", b"22", b"23", b"31", b"32", b"33", b"34", b"35",
    b"36", b"37", b"41", b"42", b"43", b"44", b"45", b"46", b"50", b"51", b"52", b"53", b"54",
    b"61", b"62", b"63", b"64", b"65", b"71", b"81", b"82",
];

fn number(digits: &[u8]) -> Option<u32> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

fn plausible_birth(year: &[u8], month: &[u8], day: &[u8]) -> bool {
    let (Some(y), Some(m), Some(d)) = (number(year), number(month), number(day)) else {
        return false;
    };
    let y = if year.len() == 2 { 1900 + y } else { y };
    (1880..=2100).contains(&y) && NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
}

fn region(digits: &[u8]) -> bool {
    PROVINCES.iter().any(|p| digits.starts_with(&p[..]))
}

/// An 18-character ID number (its last character may be `X`).
fn id18(digits: &[u8]) -> bool {
    region(digits) && plausible_birth(&digits[6..10], &digits[10..12], &digits[12..14])
}

/// A 15-digit ID number.
fn id15(digits: &[u8]) -> bool {
    region(digits) && plausible_birth(&digits[6..8], &digits[8..10], &digits[10..12])
}

static MASKED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // Digits, three or more masks, digits: 138****5678, 4405**********0014.
        r"[0-9]{2,}[*X]{3,}[0-9]{1,}X?",
        // As long as a phone or an ID, digits and at least four masks: 1380013****.
        r"(?:^|[^0-9*X])((?:[0-9*X]{11}|[0-9*X]{15}|[0-9*X]{18}))(?:[^0-9*X]|$)",
    ]
    .into_iter()
    .filter_map(|re| Regex::new(re).ok())
    .collect()
});

/// Every shape in a canonical text.
pub fn find(text: &Canon) -> Vec<Found> {
    let bytes = text.text.as_bytes();
    let mut out = Vec::new();
    let shape = |kind, start, end| Found {
        kind,
        start,
        end,
        pattern: None,
    };
    let mut i = 0;
    while let Some(a) = next_digit(bytes, i) {
        i = a;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let b = i;
        if b - a < 11 {
            continue;
        }
        // A window of whole groups, within one block of the page.
        let whole = |p: usize, q: usize| group_end(text, q) && !crosses_block(text, p, q);
        for p in (a..b).filter(|p| group_start(text, *p)) {
            // 18: seventeen digits and a digit or X.
            if p + 18 <= b && whole(p, p + 18) && id18(&bytes[p..p + 18]) {
                out.push(shape(HitKind::IdShape, p, p + 18));
            } else if p + 17 == b
                // The check character written X, x, or as a multiplication sign (read as a mask).
                && matches!(bytes.get(b), Some(b'X' | b'*'))
                && !crosses_block(text, p, b + 1)
                && id18(&bytes[p..=b])
            {
                out.push(shape(HitKind::IdShape, p, b + 1));
            }
            if p + 15 <= b && whole(p, p + 15) && id15(&bytes[p..p + 15]) {
                out.push(shape(HitKind::IdShape, p, p + 15));
            }
            let starts = [
                Some(p),
                bytes[p..].starts_with(b"86").then_some(p + 2),
                bytes[p..].starts_with(b"0086").then_some(p + 4),
            ];
            for q in starts.into_iter().flatten() {
                if q + 11 <= b
                    && whole(q, q + 11)
                    && bytes[q] == b'1'
                    && (b'3'..=b'9').contains(&bytes[q + 1])
                {
                    out.push(shape(HitKind::MobileShape, q, q + 11));
                }
            }
        }
    }
    if digit_beside_mask(bytes) {
        masked(text, &mut out);
    }
    out
}

/// How many bytes the scans below look at in one step. Most of a page is neither digits nor
/// masks: a step's bytes are tested together, without stopping at the first (which the
/// compiler makes into vector instructions), and only a step that holds one is looked into.
const STEP: usize = 64;

/// Where the first digit at or after `from` stands.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut at = 0;
    for step in rest.chunks(STEP) {
        if step.iter().fold(false, |any, b| any | b.is_ascii_digit()) {
            return step
                .iter()
                .position(u8::is_ascii_digit)
                .map(|i| from + at + i);
        }
        at += step.len();
    }
    None
}

/// Whether a digit stands beside a mask character (`*`, or `X`: a canonical text has its letters
/// in upper case, so most pages hold an X somewhere, in a link or a class name). Every masked
/// shape has one: it is a run of digits and masks holding both.
fn digit_beside_mask(bytes: &[u8]) -> bool {
    let mask = |b: &u8| *b == b'*' || *b == b'X';
    let Some(last) = bytes.len().checked_sub(1) else {
        return false;
    };
    // Each byte beside the next one.
    let (left, right) = (&bytes[..last], &bytes[1..]);
    left.chunks(STEP).zip(right.chunks(STEP)).any(|(l, r)| {
        l.iter().zip(r).fold(false, |any, (a, b)| {
            any | (a.is_ascii_digit() & mask(b)) | (mask(a) & b.is_ascii_digit())
        })
    })
}

/// The masked shapes: digits and mask characters, read across the page's blocks (a mask split
/// between two paragraphs is still a mask). The figures of a neighbouring block with no mask in
/// them are then left out of the hit: `139****5678` in one cell and a voucher number in the next
/// is a hit on the first cell only.
fn masked(text: &Canon, out: &mut Vec<Found>) {
    let bytes = text.text.as_bytes();
    for re in MASKED.iter() {
        for caps in re.captures_iter(&text.text) {
            let Some(m) = caps.get(1).or_else(|| caps.get(0)) else {
                continue;
            };
            let s = m.as_str();
            let digits = s.bytes().filter(u8::is_ascii_digit).count();
            let masks = s.len() - digits;
            let masked_shape = masks >= 3 && digits >= 3;
            if !(masked_shape && (caps.get(1).is_none() || masks >= 4 && digits >= 4)) {
                continue;
            }
            // Pieces between block boundaries that fall between two digits.
            let mut pieces = vec![m.start()];
            pieces.extend((m.start() + 1..m.end()).filter(|i| {
                text.gap(*i) & BLOCK != 0
                    && bytes[*i].is_ascii_digit()
                    && bytes[*i - 1].is_ascii_digit()
            }));
            pieces.push(m.end());
            let has_mask = |a: usize, b: usize| bytes[a..b].iter().any(|b| !b.is_ascii_digit());
            let spans: Vec<(usize, usize)> = pieces
                .windows(2)
                .map(|w| (w[0], w[1]))
                .filter(|(a, b)| has_mask(*a, *b))
                .collect();
            if let (Some(first), Some(last)) = (spans.first(), spans.last()) {
                out.push(Found {
                    kind: HitKind::Masked,
                    start: first.0,
                    end: last.1,
                    pattern: None,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::canon::canon;
    use super::*;

    fn kinds(raw: &str) -> Vec<HitKind> {
        find(&canon(raw)).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn ids_need_a_region_and_a_birth_date() {
        assert_eq!(kinds("11010519491231002X"), [HitKind::IdShape]);
        assert_eq!(kinds("11010519491231002×"), [HitKind::IdShape]);
        assert_eq!(kinds("110105 19491231 0021"), [HitKind::IdShape]);
        assert!(kinds("990105194912310021").is_empty());
        assert!(kinds("110105194913310021").is_empty());
    }

    #[test]
    fn groups_of_other_numbers_are_not_joined_into_a_shape() {
        // A date next to an amount and a voucher number.
        assert!(kinds("2026-05-01 1200.00 2026-0012").is_empty());
        // A mobile glued inside a longer number is not a mobile shape.
        assert!(kinds("9913800138000").is_empty());
        assert_eq!(kinds("99 13800138000"), [HitKind::MobileShape]);
    }

    #[test]
    fn masks_of_any_kind() {
        for raw in [
            "138****5678",
            "138xxxx5678",
            "1380013****",
            "3101**********123X",
        ] {
            assert!(kinds(raw).contains(&HitKind::Masked), "{raw}");
        }
        assert!(kinds("2**3").is_empty());
        assert!(kinds("X1 XXX").is_empty());
    }

    proptest::proptest! {
        /// The scans that test a step of bytes at a time find what a byte-by-byte reading
        /// finds, wherever in or across a step the digits and masks stand.
        #[test]
        fn the_scans_by_steps_read_as_byte_by_byte(
            // Mostly other bytes: digits and masks stand a step or more apart.
            raw in proptest::collection::vec(
                proptest::prop_oneof![
                    60 => proptest::strategy::Just(b'a'),
                    10 => proptest::strategy::Just(0xE4u8),
                    1 => proptest::sample::select(vec![b'0', b'9', b'*', b'X']),
                ],
                0..300,
            ),
            from in 0usize..310,
        ) {
            let want = raw.iter().skip(from).position(u8::is_ascii_digit).map(|i| from + i);
            proptest::prop_assert_eq!(next_digit(&raw, from), want);
            let mask = |b: u8| b == b'*' || b == b'X';
            let beside = raw.windows(2).any(|w| {
                w[0].is_ascii_digit() && mask(w[1]) || mask(w[0]) && w[1].is_ascii_digit()
            });
            proptest::prop_assert_eq!(digit_beside_mask(&raw), beside);
        }

        /// The masks are looked for only where a digit stands beside a mask: nowhere else can
        /// they be found.
        #[test]
        fn no_mask_is_found_without_a_digit_beside_a_mask(
            raw in proptest::collection::vec(
                proptest::sample::select(vec!['1', '3', '8', '0', '*', 'x', 'X', 'A', '号', ' ', '-', '\n']),
                0..40,
            )
        ) {
            let c = canon(&raw.into_iter().collect::<String>());
            let mut out = Vec::new();
            masked(&c, &mut out);
            if !digit_beside_mask(c.text.as_bytes()) {
                proptest::prop_assert!(out.is_empty(), "{:?}", c.text);
            }
        }
    }
}
