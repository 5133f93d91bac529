//! Telephone numbers: a light normalisation and the on-screen mask (138****5678).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A telephone number as typed, normalised to digits (and a leading + or inner dash for
/// landlines such as 021-62345678).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

/// Why a typed phone number is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Letters or other symbols.
    #[error("电话号码只能包含数字（座机可带区号和“-”）")]
    BadCharacter,
    /// A mobile number that is not 11 digits, or a landline too short.
    #[error("电话号码位数不对：手机号应为 11 位，座机应为 7–8 位（可带区号）")]
    WrongLength,
}

impl Phone {
    /// Parses a typed number, ignoring spaces and converting full-width digits.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '－' => '-',
                other => other,
            })
            .collect();
        if !s.chars().all(|c| c.is_ascii_digit() || c == '-') || s.is_empty() {
            return Err(PhoneError::BadCharacter);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let mobile = digits.starts_with('1') && !s.contains('-');
        let ok = if mobile {
            digits.len() == 11
        } else {
            (7..=12).contains(&digits.len())
        };
        if !ok {
            return Err(PhoneError::WrongLength);
        }
        Ok(Phone(if mobile { digits } else { s }))
    }

    /// The full number. Show it only when the user asked to see it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits only, for matching the last digits in a search.
    pub fn digits(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }

    /// `138****5678` for a mobile; a landline keeps its area code and last four digits.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 7 {
            return "*".repeat(chars.len());
        }
        let keep_front = match self.0.find('-') {
            Some(dash) => dash + 1,
            None if chars.len() == 11 => 3,
            None => 0,
        };
        let n = chars.len();
        chars
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i < keep_front || i >= n - 4 {
                    *c
                } else {
                    '*'
                }
            })
            .collect()
    }
}

impl fmt::Display for Phone {
    /// Displays the masked form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_mobiles_and_landlines() {
        assert_eq!(
            Phone::parse("138 1234 5678").unwrap().masked(),
            "138****5678"
        );
        assert_eq!(
            Phone::parse("021-62345678").unwrap().masked(),
            "021-****5678"
        );
        assert_eq!(Phone::parse("62345678").unwrap().masked(), "****5678");
        assert_eq!(Phone::parse("1381234567"), Err(PhoneError::WrongLength));
        assert_eq!(Phone::parse("138abc"), Err(PhoneError::BadCharacter));
    }
}
