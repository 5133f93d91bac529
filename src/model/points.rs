//! The workers' monthly point card (附件三 社区工作者“百事汇”服务积分卡): the items typed in by hand
//! and the card derived from the logs. Points are kept in tenths so that sums are exact.

use super::committee::WorkerId;
use super::coverage::MONTHLY_VISITS;
use super::desk::{Channel, DeskBook};
use super::visit::Visit;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Points in tenths (0.1 point = 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tenths(pub i32);

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{}", abs / 10, abs % 10)
    }
}

/// A month, `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
}

impl Month {
    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Whether a date falls in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月", self.year, self.month)
    }
}

/// Level of an award.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AwardLevel {
    /// 市级
    City,
    /// 区级
    District,
    /// 街道级
    Street,
}

/// An item typed in by hand; everything else on the card comes from the logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointItem {
    /// 专项行动, days.
    SpecialAction(u32),
    /// 志愿服务, days.
    Volunteering(u32),
    /// 获奖: personal 5/4/3, collective 3/2/1.
    Award {
        /// Level.
        level: AwardLevel,
        /// Collective rather than personal.
        collective: bool,
    },
    /// 氛围营造: published articles.
    Articles(u32),
    /// 督查考评: personal excellent 3, collective 1.
    Inspection {
        /// Collective rather than personal.
        collective: bool,
    },
    /// 学习培训, sessions.
    Training(u32),
    /// 业务提升: a contest, with a prize place 1..=3 if any.
    Contest {
        /// Prize place, if placed.
        place: Option<u8>,
    },
    /// 居民投诉: −3 to −5 (tenths given as a negative number).
    Complaint(Tenths),
    /// 矛盾调处: −5 to −10.
    Dispute(Tenths),
    /// 安全守纪: zeroes the month.
    SafetyBreach,
}

impl PointItem {
    /// Points this item is worth, or an error in Chinese when out of its range.
    pub fn points(&self) -> Result<Tenths, String> {
        Ok(Tenths(match self {
            PointItem::SpecialAction(days) | PointItem::Volunteering(days) => 5 * *days as i32,
            PointItem::Award { level, collective } => match (level, collective) {
                (AwardLevel::City, false) => 50,
                (AwardLevel::District, false) => 40,
                (AwardLevel::Street, false) => 30,
                (AwardLevel::City, true) => 30,
                (AwardLevel::District, true) => 20,
                (AwardLevel::Street, true) => 10,
            },
            PointItem::Articles(n) => 10 * *n as i32,
            PointItem::Inspection { collective } => {
                if *collective {
                    10
                } else {
                    30
                }
            }
            PointItem::Training(n) => 5 * *n as i32,
            PointItem::Contest { place } => {
                10 + match place {
                    Some(1) => 30,
                    Some(2) => 20,
                    Some(3) => 10,
                    None => 0,
                    Some(_) => return Err("业务提升名次只能是第一、二、三名".to_owned()),
                }
            }
            PointItem::Complaint(t) => {
                if !(-50..=-30).contains(&t.0) {
                    return Err("居民投诉扣分应在 -3 至 -5 分之间".to_owned());
                }
                t.0
            }
            PointItem::Dispute(t) => {
                if !(-100..=-50).contains(&t.0) {
                    return Err("矛盾调处扣分应在 -5 至 -10 分之间".to_owned());
                }
                t.0
            }
            PointItem::SafetyBreach => 0,
        }))
    }

    /// The Chinese label of the item.
    pub fn label(&self) -> &'static str {
        match self {
            PointItem::SpecialAction(_) => "专项行动",
            PointItem::Volunteering(_) => "志愿服务",
            PointItem::Award { .. } => "获奖",
            PointItem::Articles(_) => "氛围营造",
            PointItem::Inspection { .. } => "督查考评",
            PointItem::Training(_) => "学习培训",
            PointItem::Contest { .. } => "业务提升",
            PointItem::Complaint(_) => "居民投诉",
            PointItem::Dispute(_) => "矛盾调处",
            PointItem::SafetyBreach => "安全守纪",
        }
    }
}

/// A hand-entered item on a worker's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointEntry {
    /// Worker.
    pub worker: WorkerId,
    /// Month.
    pub month: Month,
    /// Item.
    pub item: PointItem,
    /// Details (which award, which complaint).
    pub note: String,
    /// Entered by.
    pub entered_by: String,
    /// Entered on.
    pub entered_on: NaiveDate,
}

/// A card signed by the party secretary: it is not altered afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedCard {
    /// Worker.
    pub worker: WorkerId,
    /// Month.
    pub month: Month,
    /// Total at signing.
    pub total: Tenths,
    /// Signed by.
    pub signed_by: WorkerId,
    /// Signed on.
    pub signed_on: NaiveDate,
}

/// Manual point items and signatures: one ledger collection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PointBook {
    /// Items.
    pub entries: Vec<PointEntry>,
    /// Signed cards.
    pub signed: Vec<SignedCard>,
}

impl PointBook {
    /// Whether a card is signed (and may no longer change).
    pub fn is_signed(&self, worker: WorkerId, month: Month) -> bool {
        self.signed
            .iter()
            .any(|s| s.worker == worker && s.month == month)
    }
}

/// One line of a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardLine {
    /// Item label.
    pub label: String,
    /// Count or detail.
    pub detail: String,
    /// Points.
    pub points: Tenths,
}

/// A worker's card for a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointCard {
    /// Worker.
    pub worker: WorkerId,
    /// Month.
    pub month: Month,
    /// Lines, basic items first.
    pub lines: Vec<CardLine>,
    /// Total (zero after a safety breach).
    pub total: Tenths,
    /// Items rejected as out of range, with why.
    pub errors: Vec<String>,
}

/// Points for a month's visits: 10 for 30, −0.5 per visit short, +0.3 per visit over.
pub fn visit_points(visits: u32) -> Tenths {
    let target = MONTHLY_VISITS as i32;
    let n = visits as i32;
    Tenths(if n >= target {
        100 + 3 * (n - target)
    } else {
        (100 - 5 * (target - n)).max(0)
    })
}

/// Derives a worker's card from the logs and the hand-entered items.
pub fn point_card<'a>(
    worker: WorkerId,
    month: Month,
    visits: impl IntoIterator<Item = &'a Visit>,
    desk: &DeskBook,
    book: &PointBook,
) -> PointCard {
    let visit_count = visits
        .into_iter()
        .filter(|v| v.worker == worker && month.contains(v.at.date()))
        .count() as u32;
    let receptions = desk
        .receptions
        .iter()
        .filter(|r| r.received_by == worker && month.contains(r.at.date()));
    let (mut desk_confirmed, mut online_answered) = (0i32, 0i32);
    for r in receptions {
        if r.channel == Channel::Online {
            online_answered += i32::from(!r.answer.trim().is_empty());
        } else {
            desk_confirmed += i32::from(r.confirmed);
        }
    }
    let shifts = desk
        .shifts
        .iter()
        .filter(|s| s.worker == worker && month.contains(s.on) && s.signed_in.is_some())
        .count() as i32;
    let mut lines = vec![
        CardLine {
            label: "首问接待".to_owned(),
            detail: format!("{desk_confirmed} 次（居民确认）"),
            points: Tenths(2 * desk_confirmed),
        },
        CardLine {
            label: "线上反馈".to_owned(),
            detail: format!("{online_answered} 次"),
            points: Tenths(5 * online_answered),
        },
        CardLine {
            label: "社区走访".to_owned(),
            detail: format!("{visit_count} 户次（目标 {MONTHLY_VISITS}）"),
            points: visit_points(visit_count),
        },
        CardLine {
            label: "错时值班".to_owned(),
            detail: format!("{shifts} 班"),
            points: Tenths(5 * shifts),
        },
    ];
    let mut errors = Vec::new();
    let mut breach = false;
    for entry in book
        .entries
        .iter()
        .filter(|e| e.worker == worker && e.month == month)
    {
        breach |= entry.item == PointItem::SafetyBreach;
        match entry.item.points() {
            Ok(points) => lines.push(CardLine {
                label: entry.item.label().to_owned(),
                detail: entry.note.clone(),
                points,
            }),
            Err(e) => errors.push(e),
        }
    }
    let total = if breach {
        Tenths(0)
    } else {
        Tenths(lines.iter().map(|l| l.points.0).sum())
    };
    PointCard {
        worker,
        month,
        lines,
        total,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visit_points_follow_the_card() {
        assert_eq!(visit_points(30), Tenths(100));
        assert_eq!(visit_points(28), Tenths(90));
        assert_eq!(visit_points(33), Tenths(109));
        assert_eq!(visit_points(0), Tenths(0));
        assert_eq!(Tenths(109).to_string(), "10.9");
        assert_eq!(Tenths(-5).to_string(), "-0.5");
    }
}
