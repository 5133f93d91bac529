//! Dates as Chinese readers write them: 2026年11月23日, and with the weekday, 2026年11月23日
//! 星期一. One formatter for the app, the site and print.

use chrono::{Datelike, NaiveDate};

/// 2026年11月3日 (no leading zeros).
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// 星期一 … 星期日.
pub fn weekday(d: NaiveDate) -> &'static str {
    const WEEK: [&str; 7] = [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ];
    WEEK[d.weekday().num_days_from_monday() as usize]
}

/// 2026年11月23日 星期一.
pub fn chinese_date_weekday(d: NaiveDate) -> String {
    format!("{} {}", chinese_date(d), weekday(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_written_in_chinese() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap_or_default();
        assert_eq!(chinese_date(d), "2026年11月3日");
        assert_eq!(chinese_date_weekday(d), "2026年11月3日 星期二");
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        assert_eq!(weekday(sunday), "星期日");
    }
}
