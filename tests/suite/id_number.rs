//! GB 11643 identity numbers: the cases the foundation issue names.

use sibai::model::{IdNumber, IdNumberError, Sex};

const VALID: [&str; 2] = ["11010519491231002X", "440524188001010014"];

#[test]
fn known_numbers_are_valid() {
    for n in VALID {
        IdNumber::parse(n).unwrap();
    }
    assert_eq!(
        IdNumber::parse("440524188001010014").unwrap().sex(),
        Sex::Male
    );
    assert_eq!(
        IdNumber::parse("11010519491231002x").unwrap().as_str(),
        "11010519491231002X"
    );
}

#[test]
fn every_single_character_change_is_invalid() {
    for n in VALID {
        let chars: Vec<char> = n.chars().collect();
        for i in 0..chars.len() {
            for c in "0123456789X".chars() {
                if c == chars[i] {
                    continue;
                }
                let mut changed = chars.clone();
                changed[i] = c;
                let s: String = changed.iter().collect();
                assert!(
                    IdNumber::parse(&s).is_err(),
                    "{s} (from {n}, position {i}) was accepted"
                );
            }
        }
    }
}

#[test]
fn every_adjacent_swap_is_invalid() {
    for n in VALID {
        let chars: Vec<char> = n.chars().collect();
        for i in 0..chars.len() - 1 {
            if chars[i] == chars[i + 1] {
                continue;
            }
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            let s: String = swapped.iter().collect();
            assert!(
                IdNumber::parse(&s).is_err(),
                "{s} (swap {i} of {n}) was accepted"
            );
        }
    }
}

#[test]
fn impossible_dates_are_invalid() {
    // 1990-02-30 does not exist, whatever the check character.
    for check in "0123456789X".chars() {
        let n = format!("11010519900230002{check}");
        assert!(
            matches!(IdNumber::parse(&n), Err(IdNumberError::BadDate(_))),
            "{n}"
        );
    }
}

#[test]
fn masks_for_the_screen() {
    let id = IdNumber::parse("440524188001010014").unwrap();
    assert_eq!(id.masked(), "4405**********0014");
    assert_eq!(format!("{id}"), "4405**********0014");
    assert!(!format!("{id:?}").contains("188001"));
}
