//! Chinese numerals read as digits where they run as a number: `二十一号楼七〇一室` reads
//! `21号楼701室`, `幺三九…` a phone number, `贰拾壹` a receipt's amount; `张三丰` and `一个人` stay
//! words.

use super::{Canon, SIGNER};

/// Whether two neighbours make Chinese numerals a number: two numerals, or one next to a digit,
/// or one before a word that counts (号, 室, …). The test of [`read_numerals`].
pub(super) fn runs_as_number(before: char, c: char) -> bool {
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

/// Whether `c` is a Chinese numeral ([`numeral`] or [`unit`]): looked up in a table, since it
/// is asked of nearly every character of every page.
pub(super) fn is_numeral(c: char) -> bool {
    is_numeral_code(c as u32)
}

/// [`is_numeral`] of a code point.
pub(super) fn is_numeral_code(cp: u32) -> bool {
    let k = cp.wrapping_sub(CJK_FIRST);
    if k < CJK_COUNT {
        NUMERAL_BITS[(k >> 6) as usize] >> (k & 63) & 1 != 0
    } else {
        cp == '〇' as u32
    }
}

/// The first of the CJK unified ideographs, where every numeral but 〇 lies.
const CJK_FIRST: u32 = 0x4E00;
/// How many there are (to U+9FFF).
const CJK_COUNT: u32 = 0x5200;
/// Every numeral of [`numeral`] and [`unit`] in the CJK block: a test checks the two agree.
const NUMERALS: &[char] = &[
    '零', '一', '壹', '幺', '二', '两', '兩', '贰', '貳', '三', '叁', '參', '四', '肆', '五', '伍',
    '六', '陆', '陸', '七', '柒', '八', '捌', '九', '玖', '十', '拾', '百', '佰', '千', '仟',
];
/// One bit per CJK unified ideograph: whether it is a numeral.
static NUMERAL_BITS: [u64; (CJK_COUNT / 64) as usize] = {
    let mut bits = [0u64; (CJK_COUNT / 64) as usize];
    let mut i = 0;
    while i < NUMERALS.len() {
        let k = (NUMERALS[i] as u32).wrapping_sub(CJK_FIRST);
        if k < CJK_COUNT {
            bits[(k >> 6) as usize] |= 1 << (k & 63);
        }
        i += 1;
    }
    bits
};

/// Replaces the Chinese numerals that run as a number by ASCII digits, in one pass: what stands
/// between two numerals is copied as it is, in one piece.
pub(super) fn read_numerals(canon: Canon) -> Canon {
    let text = canon.text.as_str();
    let mut out = Canon {
        text: String::with_capacity(text.len()),
        marks: Vec::with_capacity(canon.marks.len()),
        lines: Vec::with_capacity(canon.lines.len()),
        log: None,
    };
    let mut next_line = 0;
    // Copies the line marks that begin before old byte `old` to the new text, where old byte
    // `from` is now the end of the new text (a mark before `from` lands there too).
    let mut lines_before = |out: &mut Canon, from: usize, old: usize| {
        while next_line < canon.lines.len() && (canon.lines[next_line].0 as usize) < old {
            let start = (canon.lines[next_line].0 as usize).max(from);
            let at = u32::try_from(out.text.len() + (start - from)).unwrap_or(u32::MAX);
            out.lines.push((at, canon.lines[next_line].1));
            next_line += 1;
        }
    };
    let copy = |out: &mut Canon, from: usize, to: usize| {
        out.text.push_str(&text[from..to]);
        out.marks.extend_from_slice(&canon.marks[from..to]);
    };
    let mut run: Vec<(usize, char)> = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let Some(start) = text[at..]
            .char_indices()
            .find(|(_, c)| is_numeral(*c))
            .map(|(i, _)| at + i)
        else {
            lines_before(&mut out, at, text.len());
            copy(&mut out, at, text.len());
            break;
        };
        lines_before(&mut out, at, start + 1);
        copy(&mut out, at, start);
        let before = text[..start].chars().next_back();
        run.clear();
        run.extend(
            text[start..]
                .char_indices()
                .take_while(|(_, c)| is_numeral(*c))
                .map(|(i, c)| (start + i, c)),
        );
        let end = run.last().map_or(start, |(i, c)| i + c.len_utf8());
        let after = text[end..].chars().next();
        match run_digits(&run, before, after) {
            Some((digits, positional)) => {
                push_digits(&mut out, &canon.marks, &run, &digits, positional);
                // A line that began inside the number begins after it.
                lines_before(&mut out, usize::MAX, end);
            }
            None => {
                for &(a, n) in &run {
                    lines_before(&mut out, a, a + 1);
                    copy(&mut out, a, a + n.len_utf8());
                }
            }
        }
        at = end;
    }
    lines_before(&mut out, text.len(), usize::MAX);
    out
}

/// What a run of numerals (each with its byte in the text) reads as, given its neighbours:
/// its digits and whether it was positional (`二十一`), or `None` when it stays words.
fn run_digits(
    run: &[(usize, char)],
    before: Option<char>,
    after: Option<char>,
) -> Option<(String, bool)> {
    let number = run.len() >= 2
        || before.is_some_and(|c| c.is_ascii_digit())
        || after.is_some_and(|c| c.is_ascii_digit() || counts_on(c));
    if !number {
        return None;
    }
    let letters: Vec<char> = run.iter().map(|(_, c)| *c).collect();
    let positional = letters.iter().any(|c| unit(*c).is_some());
    let digits = if positional {
        positional_value(&letters).map(|v| v.to_string())
    } else {
        letters
            .iter()
            .map(|c| numeral(*c).and_then(|d| char::from_digit(d, 10)))
            .collect()
    };
    digits.map(|d| (d, positional))
}

/// Writes the digits a run reads as, digit by digit, each keeping what stood before its
/// numeral (`marks` are the old text's); a positional number is one group.
fn push_digits(
    out: &mut Canon,
    marks: &[u8],
    run: &[(usize, char)],
    digits: &str,
    positional: bool,
) {
    for (n, d) in digits.chars().enumerate() {
        let from = if positional { run[0].0 } else { run[n].0 };
        let gap = if n > 0 && positional { 0 } else { marks[from] };
        out.text.push(d);
        out.marks.push(gap | (marks[from] & SIGNER));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Builder, Canon, canon};
    use super::{SIGNER, is_numeral, push_digits, read_numerals, run_digits};
    use proptest::strategy::Strategy;

    /// The numerals read character by character, as before the text between them was copied
    /// in one piece (what a run reads as is decided as there, by `run_digits`).
    fn one_by_one(canon: Canon) -> Canon {
        let mut out = Canon {
            text: String::with_capacity(canon.text.len()),
            marks: Vec::with_capacity(canon.marks.len()),
            lines: Vec::with_capacity(canon.lines.len()),
            log: None,
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
            match run_digits(&run, before, after) {
                Some((digits, positional)) => {
                    push_digits(&mut out, &canon.marks, &run, &digits, positional);
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

    proptest::proptest! {
        #[test]
        fn read_in_pieces_reads_as_one_character_at_a_time(
            segments in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        '一', '二', '十', '百', '〇', '两', '号', '楼', '室', '张', '三', '丰',
                        '1', '7', 'A', ' ', '-', '\n', '，', '的',
                    ]),
                    0..12,
                ).prop_map(|v| v.into_iter().collect::<String>()),
                1..8,
            ),
            signer in proptest::bool::ANY,
        ) {
            let mut b = Builder::new();
            for (i, s) in segments.iter().enumerate() {
                b.push(s, 1 + i as u32 * 3, if signer && i % 2 == 1 { SIGNER } else { 0 });
            }
            let raw = b.canon;
            let copy = |c: &Canon| Canon {
                text: c.text.clone(),
                marks: c.marks.clone(),
                lines: c.lines.clone(),
                log: None,
            };
            proptest::prop_assert_eq!(read_numerals(copy(&raw)), one_by_one(raw));
        }
    }

    fn text(raw: &str) -> String {
        canon(raw).text
    }

    #[test]
    fn the_numeral_table_holds_every_numeral_and_nothing_else() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                super::is_numeral(c),
                super::numeral(c).is_some() || super::unit(c).is_some(),
                "U+{:04X}",
                c as u32
            );
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
}
