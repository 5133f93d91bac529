//! Resident identity numbers (公民身份号码, GB 11643-1999): validation, derived birth date and
//! sex, legacy 15-digit conversion, and the on-screen mask.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Sex, as recorded on the ledger form (性别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sex {
    /// 男
    Male,
    /// 女
    Female,
}

impl Sex {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// A valid 18-character identity number, stored normalised (upper-case X).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

/// Why a typed identity number is not valid. Messages say what to check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Nothing typed.
    #[error("身份证号码为空")]
    Empty,
    /// Not 15 or 18 characters.
    #[error("身份证号码应为 18 位（旧证 15 位），现在是 {0} 位，请核对是否漏输或多输")]
    WrongLength(usize),
    /// A character other than digits (and a final X).
    #[error("身份证号码只能包含数字，最后一位可以是 X")]
    BadCharacter,
    /// The birth-date part is not a real date.
    #[error("身份证号码中的出生日期 {0} 不是有效日期")]
    BadDate(String),
    /// The check character does not match the other 17.
    #[error("身份证号码校验位不符（按前 17 位应为 {expected}），请逐位核对")]
    BadCheck {
        /// What the check character should be.
        expected: char,
    },
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character for the first 17 digits (which must all be ASCII digits).
pub fn check_character(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECKS[(sum % 11) as usize])
}

fn normalise(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '－'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'x' | 'ｘ' | 'Ｘ' => 'X',
            other => other,
        })
        .collect()
}

fn birth_date_of(digits8: &str) -> Result<NaiveDate, IdNumberError> {
    let bad = || IdNumberError::BadDate(digits8.to_owned());
    let year: i32 = digits8
        .get(0..4)
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let month: u32 = digits8
        .get(4..6)
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let day: u32 = digits8
        .get(6..8)
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    if year < 1800 {
        return Err(bad());
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)
}

impl IdNumber {
    /// Parses a typed number: spaces, dashes and full-width digits are ignored, a lower-case
    /// x is accepted, and a legacy 15-digit number is converted to 18 digits.
    pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
        let s = normalise(input);
        if s.is_empty() {
            return Err(IdNumberError::Empty);
        }
        let len = s.chars().count();
        match len {
            15 => {
                if !s.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(IdNumberError::BadCharacter);
                }
                let first17 = format!("{}19{}", &s[..6], &s[6..]);
                birth_date_of(&first17[6..14])?;
                let check = check_character(&first17).ok_or(IdNumberError::BadCharacter)?;
                Ok(IdNumber(format!("{first17}{check}")))
            }
            18 => {
                let (first17, last) = s.split_at(17);
                if !first17.bytes().all(|b| b.is_ascii_digit())
                    || !(last == "X" || last.bytes().all(|b| b.is_ascii_digit()))
                {
                    return Err(IdNumberError::BadCharacter);
                }
                birth_date_of(&first17[6..14])?;
                let expected = check_character(first17).ok_or(IdNumberError::BadCharacter)?;
                if !last.starts_with(expected) {
                    return Err(IdNumberError::BadCheck { expected });
                }
                Ok(IdNumber(s))
            }
            n => Err(IdNumberError::WrongLength(n)),
        }
    }

    /// The full number. Show it only when the user asked to see it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit administrative region code.
    pub fn region(&self) -> &str {
        &self.0[..6]
    }

    /// Birth date encoded in the number.
    pub fn birth_date(&self) -> NaiveDate {
        // Validated at construction.
        birth_date_of(&self.0[6..14]).unwrap_or(NaiveDate::MIN)
    }

    /// Sex encoded in the number (odd 17th digit: male).
    pub fn sex(&self) -> Sex {
        let digit = self.0.as_bytes()[16] - b'0';
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Age in whole years on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        age_on(self.birth_date(), on)
    }

    /// `3101**********1234`: the first four and last four characters.
    pub fn masked(&self) -> String {
        mask_id_text(&self.0)
    }
}

/// Age in whole years of someone born on `birth` on the date `on` (0 if not yet born).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Masks any identity-number text, valid or not: keeps the first and last four characters.
pub fn mask_id_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..4].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 8));
    out.extend(&chars[chars.len() - 4..]);
    out
}

impl fmt::Display for IdNumber {
    /// Displays the masked form; call [`IdNumber::as_str`] for the full number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl TryFrom<String> for IdNumber {
    type Error = IdNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        IdNumber::parse(&value)
    }
}

impl From<IdNumber> for String {
    fn from(value: IdNumber) -> String {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_birth_sex_age() {
        let id = IdNumber::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(
            id.age_on(NaiveDate::from_ymd_opt(2026, 12, 30).unwrap()),
            76
        );
        assert_eq!(
            id.age_on(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            77
        );
        assert_eq!(id.masked(), "1101**********002X");
    }

    #[test]
    fn converts_legacy_numbers() {
        let id = IdNumber::parse("110105491231002").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn explains_errors() {
        assert_eq!(IdNumber::parse("1234"), Err(IdNumberError::WrongLength(4)));
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::BadCheck { expected: 'X' })
        );
        assert!(matches!(
            IdNumber::parse("11010519900230002X"),
            Err(IdNumberError::BadDate(_))
        ));
        assert_eq!(
            IdNumber::parse("11010519491231002A"),
            Err(IdNumberError::BadCharacter)
        );
    }
}
