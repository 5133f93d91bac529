//! One cell read as what it holds, the Excel traps caught: an ID number saved as a number,
//! dates as serial numbers or written in Chinese, an address in one cell.

use super::super::id_number::IdNumber;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::sheet::{Cell, clean};

/// What Excel says when an ID number was saved as a number.
pub(super) const NUMERIC_ID: &str = "身份证号被 Excel 当作数字保存，只保留了 15 位有效数字，后几位已经丢失（常见显示为 3.10101E+17 或末尾是 000）。请在 Excel 中把这一列设为“文本”格式，重新输入或从原系统重新导出后再导入。";

/// A cell as text, numbers written without a fraction when they are whole.
pub(super) fn text_of(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => clean(t),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::DateTime(t) => t.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// A cell of free text (a note, 走访事由, 户籍地址) as written: full-width digits, letters and
/// spaces made ordinary, but Chinese punctuation (，（）：；) kept, as it is part of the text.
pub(super) fn words_of(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => t
            .chars()
            .map(|c| match c {
                '\u{3000}' | '\u{a0}' => ' ',
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                    char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
                }
                other => other,
            })
            .collect::<String>()
            .trim()
            .to_owned(),
        other => text_of(other),
    }
}

/// An ID number from its cell, refusing what Excel has damaged.
pub(super) fn id_of(cell: &Cell) -> Result<Option<IdNumber>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        // 15 digits survive as a number (a legacy number); 16 or more do not.
        Cell::Number(n) if n.abs() >= 1e15 || n.fract() != 0.0 => return Err(NUMERIC_ID.into()),
        other => text_of(other),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let upper = text.to_uppercase();
    if upper.contains("E+") || upper.contains("E ") {
        return Err(NUMERIC_ID.into());
    }
    IdNumber::parse(&text).map(Some).map_err(|e| {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 18 && digits.ends_with("000") {
            format!("{e}。{NUMERIC_ID}")
        } else {
            format!("身份证号“{text}”：{e}")
        }
    })
}

/// Days from Excel's day 0 (1899-12-30, counting its 1900 leap-year bug) to a serial date.
pub(super) fn serial_date(n: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (1.0..=80_000.0)
        .contains(&n)
        .then(|| base.checked_add_days(chrono::Days::new(n as u64)))
        .flatten()
}

/// An Excel serial number as a moment, to the minute (the fraction is the time of day).
pub fn serial_datetime(n: f64) -> Option<NaiveDateTime> {
    if !(1.0..=80_000.0).contains(&n) {
        return None;
    }
    let minutes = (n * 1440.0).round() as u64;
    let day = serial_date((minutes / 1440) as f64)?;
    let time = NaiveTime::from_num_seconds_from_midnight_opt(((minutes % 1440) * 60) as u32, 0)?;
    Some(day.and_time(time))
}

/// A date as committees write it: a date cell, an Excel serial number, 1950-03-02, 1950/3/2,
/// 1950.3.2, 1950年3月2日, 19500302.
pub(super) fn date_of(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
        Cell::DateTime(t) => Ok(Some(t.date())),
        Cell::Number(n) if (10_000_000.0..100_000_000.0).contains(n) => {
            parse_date_text(&format!("{n:.0}")).map(Some)
        }
        Cell::Number(n) => serial_date(*n)
            .map(Some)
            .ok_or_else(|| format!("出生日期“{n}”不是日期")),
        Cell::Text(t) => {
            let t = clean(t);
            if t.is_empty() {
                Ok(None)
            } else {
                parse_date_text(&t).map(Some)
            }
        }
    }
}

/// A moment as visit logs write it: a date cell (with its time, if it has one), an Excel
/// serial number (its fraction the time of day), or text: 2026-11-23 9:05, 2026/11/23
/// 09:05:00, 2026年11月23日 9时05分, 2026.11.23 上午9:05, or a date alone (the time then
/// 0:00, as nothing says it).
pub(super) fn datetime_of(cell: &Cell) -> Result<Option<NaiveDateTime>, String> {
    let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(midnight(*d))),
        Cell::DateTime(t) => Ok(Some(*t)),
        Cell::Number(n) if (10_000_000.0..100_000_000.0).contains(n) => {
            parse_date_text(&format!("{n:.0}")).map(|d| Some(midnight(d)))
        }
        Cell::Number(n) => serial_datetime(*n)
            .map(Some)
            .ok_or_else(|| format!("“{n}”不是日期")),
        Cell::Text(t) => {
            let t = clean(t);
            if t.is_empty() {
                return Ok(None);
            }
            parse_datetime_text(&t)
                .map(Some)
                .ok_or_else(|| format!("“{t}”看不懂，请写成 2026-11-23 9:05"))
        }
    }
}

/// A moment written as text: the date (as [`parse_date_text`] reads it), then perhaps a time.
fn parse_datetime_text(t: &str) -> Option<NaiveDateTime> {
    // The date ends where a space, T or 日 is followed by the time.
    let t = t.trim();
    let split = t
        .char_indices()
        .find(|&(_, c)| c == ' ' || c == 'T' || c == '日')
        .map(|(i, c)| (i, c.len_utf8()));
    let (date, time) = match split {
        Some((i, len)) => (&t[..i], t[i + len..].trim()),
        None => (t, ""),
    };
    let date = parse_date_text(date).ok()?;
    let time = if time.is_empty() {
        NaiveTime::MIN
    } else {
        parse_time_text(time)?
    };
    Some(date.and_time(time))
}

/// A time of day: 9:05, 09:05:00, 9时05分, 9点5分, 9点, 上午9:05, 下午3:30, 14：30.
fn parse_time_text(t: &str) -> Option<NaiveTime> {
    let (t, afternoon) = if let Some(rest) = t.strip_prefix("下午").or(t.strip_prefix("晚上")) {
        (rest, true)
    } else {
        (
            t.strip_prefix("上午")
                .or(t.strip_prefix("早上"))
                .or(t.strip_prefix("中午"))
                .unwrap_or(t),
            false,
        )
    };
    let unified = t
        .replace(['时', '点', '：', '分', '秒'], ":")
        .trim()
        .trim_end_matches(':')
        .to_owned();
    let mut parts = unified.split(':').map(str::trim);
    let hour: u32 = parts.next()?.parse().ok()?;
    let minute: u32 = match parts.next() {
        Some("") | None => 0,
        Some(m) => m.parse().ok()?,
    };
    let hour = if afternoon && hour < 12 {
        hour + 12
    } else {
        hour
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
}

pub(super) fn parse_date_text(t: &str) -> Result<NaiveDate, String> {
    let unified: String = t
        .replace(['年', '月', '/', '.'], "-")
        .replace('日', "")
        .trim_matches('-')
        .to_owned();
    let parts: Vec<&str> = unified.split('-').filter(|p| !p.is_empty()).collect();
    let date = match parts.as_slice() {
        [y, m, d] => y
            .parse()
            .ok()
            .zip(m.parse().ok())
            .zip(d.parse().ok())
            .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d)),
        [digits] if digits.len() == 8 => NaiveDate::parse_from_str(digits, "%Y%m%d").ok(),
        _ => None,
    };
    date.ok_or_else(|| format!("出生日期“{t}”看不懂，请写成 1950-03-02"))
}

/// An address in one cell split into its compound (if written), building and room:
/// 樱园新村3号502室, 樱园新村3号楼502, 樱园新村 3-502, 3号502室.
pub fn split_address(text: &str) -> Option<(String, String, String)> {
    let t: String = clean(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '－' | '—' | '–') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let t = t.strip_suffix('室').unwrap_or(&t);
    // The room: the digits at the end (a room may carry a letter: 502A).
    let room_start = t
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric())
        .last()
        .map(|(i, _)| i)?;
    let room = &t[room_start..];
    let before = t[..room_start].trim_end_matches(['-', '号', '楼', '幢', '栋', '座']);
    let before = before.strip_suffix("号楼").unwrap_or(before);
    // The building: the digits before it.
    let building_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map(|(i, _)| i)?;
    let building = &before[building_start..];
    let compound = before[..building_start].trim_end_matches(['-', '弄']);
    (!room.is_empty() && room.chars().any(|c| c.is_ascii_digit()) && !building.is_empty()).then(
        || {
            (
                compound.to_owned(),
                format!("{building}号"),
                room.to_owned(),
            )
        },
    )
}

/// A building number as the ledger writes it: `3`, `3号`, `3号楼`, `3幢` are all `3号`.
pub(super) fn building_number(text: &str) -> String {
    let digits: String = clean(text)
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        clean(text)
    } else {
        format!("{digits}号")
    }
}

/// A room as the ledger writes it: `502`, `502室` are `502`.
pub(super) fn room_number(text: &str) -> String {
    let t = clean(text);
    t.strip_suffix('室').unwrap_or(&t).to_owned()
}
