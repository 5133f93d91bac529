//! The demo's monthly point cards (积分卡): the items typed in by hand.

use super::*;

pub(super) fn points(g: &mut Gen, ledger: &mut Ledger) {
    let today = g.today;
    let workers: Vec<WorkerId> = ledger.committee.workers.iter().map(|w| w.id).collect();
    for back in 0..12 {
        let date = today - Duration::days(30 * back);
        let month = Month::of(date);
        for w in &workers {
            let mut add = |item: PointItem, note: &str| {
                ledger.points.entries.push(PointEntry {
                    worker: *w,
                    month,
                    item,
                    note: note.to_owned(),
                    entered_by: WORKERS[0].0.to_owned(),
                    entered_on: date,
                });
            };
            add(
                PointItem::Training(g.rng.random_range(1..=3)),
                "街道社工培训",
            );
            if g.chance(0.4) {
                add(
                    PointItem::SpecialAction(g.rng.random_range(1..=4)),
                    "垃圾分类专项行动",
                );
            }
            if g.chance(0.3) {
                add(
                    PointItem::Volunteering(g.rng.random_range(1..=2)),
                    "周末志愿服务",
                );
            }
            if g.chance(0.15) {
                add(PointItem::Articles(1), "公众号文章");
            }
            if g.chance(0.04) {
                add(
                    PointItem::Award {
                        level: AwardLevel::Street,
                        collective: false,
                    },
                    "街道优秀社工",
                );
            }
            if g.chance(0.03) {
                add(
                    PointItem::Complaint(Tenths(-30)),
                    "居民投诉服务态度，经集体研究扣分",
                );
            }
        }
        if back > 0 {
            for w in &workers {
                let card = point_card(*w, month, ledger.all_visits(), &ledger.desk, &ledger.points);
                ledger.points.signed.push(SignedCard {
                    worker: *w,
                    month,
                    total: card.total,
                    signed_by: WorkerId(1),
                    signed_on: date,
                });
            }
        }
    }
}
