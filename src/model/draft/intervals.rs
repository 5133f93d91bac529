//! 重点户走访周期 as typed in 设置: whole days from 1 to a year.

use super::FormError;
use crate::model::committee::VisitInterval;
use crate::model::tags::TagDimension;

/// The longest visit interval a committee may set, in days.
pub const MAX_INTERVAL_DAYS: u32 = 365;

/// The visit intervals as typed in 设置 (dimension, tag, days), checked: whole days from 1 to
/// [`MAX_INTERVAL_DAYS`]; the first bad one is explained.
pub fn visit_intervals(
    typed: &[(TagDimension, String, String)],
) -> Result<Vec<VisitInterval>, FormError> {
    typed
        .iter()
        .map(|(dimension, tag, days)| match days.trim().parse::<u32>() {
            Ok(d) if (1..=MAX_INTERVAL_DAYS).contains(&d) => Ok(VisitInterval {
                dimension: *dimension,
                tag: tag.clone(),
                days: d,
            }),
            _ => Err(format!(
                "“{tag}”的走访周期应是 1 到 {MAX_INTERVAL_DAYS} 之间的天数，现在是“{}”。",
                days.trim()
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn visit_intervals_are_whole_days_up_to_a_year() {
        use super::visit_intervals;
        use crate::model::TagDimension;
        let row = |days: &str| {
            vec![(
                TagDimension::ResidentType,
                "独居老人".to_owned(),
                days.to_owned(),
            )]
        };
        let ok = visit_intervals(&row(" 7 ")).unwrap_or_default();
        assert_eq!(ok[0].days, 7);
        for bad in ["0", "366", "七", "", "-3", "7.5"] {
            let e = visit_intervals(&row(bad)).err().unwrap_or_default();
            assert!(
                e.contains("独居老人") && e.contains("1 到 365"),
                "{bad}: {e}"
            );
        }
    }
}
