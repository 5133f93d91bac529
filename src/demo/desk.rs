//! The demo's front desk: receptions (首问接待) and the staggered duty rota (错时值班).

use super::*;

#[expect(
    clippy::too_many_lines,
    reason = "one record kind drawn from one seeded generator: the order of the draws is the demo's content (its hash is pinned), so it reads top to bottom as it is drawn"
)]
pub(super) fn desk(g: &mut Gen, plan: &Plan, ledger: &mut Ledger) {
    let today = g.today;
    let days = if plan.visit_years > 2 {
        365 * plan.visit_years as i64
    } else {
        730
    };
    let scale = if plan.visits_target > 0 { 5 } else { 1 };
    let workers: Vec<WorkerId> = ledger.committee.workers.iter().map(|w| w.id).collect();
    let matters = [
        (
            "咨询老年综合津贴申领",
            "已告知所需材料：身份证、户口簿、银行卡，可在社区事务受理中心办理",
        ),
        (
            "开具居住证明",
            "已说明需到派出所或受理中心办理，居委会协助核实",
        ),
        ("反映楼上漏水", "已联系物业上门查看"),
        (
            "咨询垃圾分类投放时间",
            "已告知每日 7:00–9:00、18:00–20:00 定时投放",
        ),
        ("报名老年大学课程", "已登记，开课前电话通知"),
        ("咨询加装电梯流程", "已提供加装电梯办事指南"),
        ("反映小区停车难", "已记录，列入问题清单"),
        ("咨询长护险申请", "已告知评估申请流程"),
    ];
    let mut id = 0;
    for d in 0..days {
        let day = today - Duration::days(d);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        for _ in 0..g.rng.random_range(0..=3) * scale {
            id += 1;
            let (matter, answer) = matters.choose(&mut g.rng).copied().unwrap_or(matters[0]);
            let channel = if g.chance(0.2) {
                Channel::Online
            } else if g.chance(0.2) {
                Channel::Phone
            } else {
                Channel::InPerson
            };
            let anonymous = g.chance(0.2);
            let sex = if g.chance(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            ledger.desk.receptions.push(Reception {
                id: ReceptionId(id),
                at: at(day, g.rng.random_range(8..17), g.rng.random_range(0..60)),
                channel,
                visitor: if anonymous {
                    None
                } else {
                    Some(names::name(&mut g.rng, sex))
                },
                visitor_phone: if anonymous {
                    None
                } else {
                    names::phone(&mut g.rng)
                },
                matter: matter.to_owned(),
                received_by: workers.choose(&mut g.rng).copied().unwrap_or(WorkerId(1)),
                answer: answer.to_owned(),
                confirmed: g.chance(0.85),
                problem: None,
            });
        }
        let shift = match day.weekday() {
            Weekday::Tue | Weekday::Thu => Some((ShiftKind::Evening, (18, 20))),
            _ => None,
        };
        if let Some((kind, (start, end))) = shift {
            let worker = workers.choose(&mut g.rng).copied().unwrap_or(WorkerId(1));
            let signed = day < today && g.chance(0.95);
            ledger.desk.shifts.push(DutyShift {
                on: day,
                start: NaiveTime::from_hms_opt(start, 0, 0).unwrap_or(NaiveTime::MIN),
                end: NaiveTime::from_hms_opt(end, 0, 0).unwrap_or(NaiveTime::MIN),
                kind,
                worker,
                signed_in: signed.then(|| at(day, start - 1, g.rng.random_range(45..60))),
                note: String::new(),
            });
        }
    }
    // Saturday mornings and the week ahead, unsigned.
    for d in -14..days {
        let day = today - Duration::days(d);
        if day.weekday() == Weekday::Sat {
            let worker = workers.choose(&mut g.rng).copied().unwrap_or(WorkerId(1));
            ledger.desk.shifts.push(DutyShift {
                on: day,
                start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
                end: NaiveTime::from_hms_opt(11, 30, 0).unwrap_or(NaiveTime::MIN),
                kind: ShiftKind::Weekend,
                worker,
                signed_in: (day < today && g.chance(0.95)).then(|| at(day, 8, 50)),
                note: String::new(),
            });
        }
    }
    ledger.desk.receptions.sort_by_key(|r| r.at);
    ledger.desk.shifts.sort_by_key(|s| s.on);
}
