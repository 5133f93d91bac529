//! One cell read as what it holds, the Excel traps caught: an ID number saved as a number,
//! dates as serial numbers or written in Chinese, an address in one cell.

use super::super::id_number::IdNumber;
use chrono::NaiveDate;

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

/// A date as committees write it: a date cell, an Excel serial number, 1950-03-02, 1950/3/2,
/// 1950.3.2, 1950年3月2日, 19500302.
pub(super) fn date_of(cell: &Cell) -> Result<Option<NaiveDate>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Date(d) => Ok(Some(*d)),
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
