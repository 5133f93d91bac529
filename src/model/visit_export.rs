//! Visits in the layout of 社区云's 接待走访 module, which is the form 居民区走访记录（样张） of
//! seed 003: 走访时间 (to the minute), 走访人, 走访居民姓名 and 楼室号, 家庭成员情况, 走访事由,
//! 困难或诉求, 备注 — with the visit's type written in 备注, as the form's note asks. A visit
//! typed here need not be typed again there.

use super::ledger::Ledger;
use super::visit::{NeedOutcome, Visit};
use chrono::Timelike;

/// The columns, in the form's order.
pub const HEADERS: [&str; 8] = [
    "走访时间",
    "走访人",
    "走访居民姓名",
    "楼室号",
    "家庭成员情况",
    "走访事由",
    "困难或诉求",
    "备注",
];

/// One visit as a row under [`HEADERS`].
pub fn row(ledger: &Ledger, v: &Visit) -> [String; 8] {
    let committee = &ledger.committee;
    let name = |id| committee.worker(id).map_or("", |w| w.name.as_str());
    let mut workers = vec![name(v.worker)];
    workers.extend(v.companions.iter().map(|&c| name(c)));
    let book = &ledger.households;
    let needs: Vec<String> = v
        .needs
        .iter()
        .map(|n| match &n.outcome {
            NeedOutcome::AnsweredOnSpot(answer) if answer.trim().is_empty() => {
                format!("{}（当场答复解决）", n.text)
            }
            NeedOutcome::AnsweredOnSpot(answer) => {
                format!("{}（当场答复解决：{}）", n.text, answer.trim())
            }
            NeedOutcome::Listed(id) => format!("{}（已列入问题清单第 {} 号）", n.text, id.0),
        })
        .collect();
    let mut note = v.kind.label();
    if !v.note.trim().is_empty() {
        note.push('；');
        note.push_str(v.note.trim());
    }
    [
        format!(
            "{}年{}月{}日 {}时{:02}分",
            chrono::Datelike::year(&v.at),
            chrono::Datelike::month(&v.at),
            chrono::Datelike::day(&v.at),
            v.at.hour(),
            v.at.minute()
        ),
        workers
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("、"),
        v.resident_name.clone(),
        book.household(v.household)
            .map(|h| book.address_of(h).replace(' ', ""))
            .unwrap_or_default(),
        v.family_situation.clone(),
        v.reason.clone(),
        needs.join("；"),
        note,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::visit::{Need, VisitId, VisitKind};
    use crate::model::{
        Building, BuildingId, Compound, CompoundId, Household, HouseholdId, ProblemId, Role,
        Worker, WorkerId,
    };
    use chrono::NaiveDate;

    #[test]
    fn a_visit_is_written_in_the_seven_fields_of_the_form() {
        // The form: 走访时间, 走访人, 走访居民姓名 | 楼室号, 家庭成员情况, 走访事由, 困难或诉求, 备注.
        assert_eq!(
            HEADERS,
            [
                "走访时间",
                "走访人",
                "走访居民姓名",
                "楼室号",
                "家庭成员情况",
                "走访事由",
                "困难或诉求",
                "备注"
            ]
        );
        let mut ledger = Ledger::default();
        for (id, name) in [(1, "王慧敏"), (2, "李建国")] {
            ledger.committee.workers.push(Worker {
                id: WorkerId(id),
                name: name.into(),
                roles: vec![Role::Secretary],
                phone: None,
                signs_notices: false,
                since: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
                left_on: None,
            });
        }
        let book = &mut ledger.households;
        book.compounds.push(Compound {
            id: CompoundId(1),
            name: "樱园新村".into(),
            address: String::new(),
        });
        book.buildings.push(Building {
            id: BuildingId(1),
            compound: CompoundId(1),
            number: "3号".into(),
            floors: 6,
            rooms_per_floor: 2,
        });
        book.households
            .push(Household::new(HouseholdId(7), BuildingId(1), "502"));
        let visit = Visit {
            id: VisitId { year: 2026, seq: 1 },
            at: NaiveDate::from_ymd_opt(2026, 11, 23)
                .and_then(|d| d.and_hms_opt(9, 5, 0))
                .unwrap_or_default(),
            worker: WorkerId(1),
            companions: vec![WorkerId(2)],
            household: HouseholdId(7),
            resident_name: "李桂英".into(),
            family_situation: "独居，子女在外地".into(),
            kind: VisitKind::Special,
            reason: "独居老人月度探访".into(),
            needs: vec![
                Need {
                    text: "楼道灯不亮".into(),
                    outcome: NeedOutcome::Listed(ProblemId(12)),
                },
                Need {
                    text: "想办老年卡".into(),
                    outcome: NeedOutcome::AnsweredOnSpot("告知所需材料".into()),
                },
            ],
            note: "精神较好".into(),
        };
        assert_eq!(
            row(&ledger, &visit),
            [
                "2026年11月23日 9时05分",
                "王慧敏、李建国",
                "李桂英",
                "樱园新村3号502室",
                "独居，子女在外地",
                "独居老人月度探访",
                "楼道灯不亮（已列入问题清单第 12 号）；想办老年卡（当场答复解决：告知所需材料）",
                "特殊对象走访；精神较好"
            ]
        );
    }
}
