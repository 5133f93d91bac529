//! The demo's problem list (问题清单): needs heard and how each is being solved.

use super::*;

#[expect(
    clippy::too_many_lines,
    reason = "one record kind drawn from one seeded generator: the order of the draws is the demo's content (its hash is pinned), so it reads top to bottom as it is drawn"
)]
pub(super) fn problems(
    g: &mut Gen,
    plan: &Plan,
    ledger: &mut Ledger,
    from_visits: Vec<(VisitId, NaiveDate, String, String, HouseholdId)>,
) {
    let today = g.today;
    let workers: Vec<WorkerId> = ledger.committee.workers.iter().map(|w| w.id).collect();
    let extra = if plan.problems_target > 0 {
        plan.problems_target.saturating_sub(from_visits.len())
    } else {
        120
    };
    let mut list: Vec<Problem> = Vec::new();
    let mut push = |g: &mut Gen,
                    source: ProblemSource,
                    day: NaiveDate,
                    title: String,
                    category: String,
                    household: Option<HouseholdId>,
                    location: String| {
        let age = (today - day).num_days();
        let id = ProblemId(list.len() as u32 + 1);
        let path = *[
            ResolutionPath::OnTheSpot,
            ResolutionPath::Consultation,
            ResolutionPath::LineDepartment,
            ResolutionPath::MultiParty,
            ResolutionPath::Escalated,
        ]
        .choose(&mut g.rng)
        .unwrap_or(&ResolutionPath::Consultation);
        let prominent = g.chance(0.35);
        let solve_p = if prominent { 0.66 } else { 0.9 };
        let status = if age > 120 {
            if g.chance(solve_p) {
                ProblemStatus::Solved
            } else {
                ProblemStatus::Answered
            }
        } else if age > 30 {
            if g.chance(0.5) {
                ProblemStatus::Solved
            } else {
                ProblemStatus::InProgress
            }
        } else if g.chance(0.5) {
            ProblemStatus::Open
        } else {
            ProblemStatus::InProgress
        };
        let closed_on = status
            .is_closed()
            .then(|| (day + Duration::days(g.rng.random_range(1..90))).min(today));
        let answer = match status {
            ProblemStatus::Solved => "已协调解决，居民表示满意".to_owned(),
            ProblemStatus::Answered => {
                "已答复：涉及规划调整，暂无法解决，已上报街道跟踪".to_owned()
            }
            _ => String::new(),
        };
        let assigned_to = workers.choose(&mut g.rng).copied();
        let mut steps = Vec::new();
        if status != ProblemStatus::Open {
            let accepted = (day + Duration::days(1)).min(today);
            steps.push(ProblemStep {
                on: accepted,
                note: String::new(),
                by: assigned_to,
                kind: StepKind::Accepted,
            });
        }
        if status == ProblemStatus::InProgress {
            steps.push(ProblemStep {
                on: day + Duration::days(3).min(today - day),
                note: "已与物业、业委会沟通，待协调".to_owned(),
                by: assigned_to,
                kind: StepKind::Note,
            });
        }
        if let Some(closed) = closed_on {
            steps.push(ProblemStep {
                on: closed,
                note: answer.clone(),
                by: assigned_to,
                kind: StepKind::Closed(status),
            });
        }
        // Closed with a household to go back to: a 回访 two weeks later, done when that day
        // has passed.
        let follow_up = closed_on.filter(|_| household.is_some()).map(|closed| {
            let due = Problem::default_follow_up(closed);
            let done = (due <= today).then(|| FollowUpDone {
                on: due,
                visit: None,
                verdict: Verdict::Satisfied,
                note: "居民表示满意".to_owned(),
            });
            if let Some(d) = &done {
                steps.push(ProblemStep {
                    on: d.on,
                    note: d.note.clone(),
                    by: assigned_to,
                    kind: StepKind::FollowedUp(d.verdict),
                });
            }
            FollowUp {
                due,
                worker: assigned_to,
                done,
            }
        });
        list.push(Problem {
            id,
            raised_on: day,
            source,
            category,
            title,
            description: String::new(),
            household,
            location,
            prominent,
            path,
            status,
            assigned_to,
            steps,
            answer,
            closed_on,
            project: None,
            follow_up,
        });
    };
    for (visit, day, need, category, household) in from_visits {
        let location = ledger
            .households
            .household(household)
            .and_then(|h| ledger.households.building(h.building))
            .map(|b| b.number.clone())
            .unwrap_or_default();
        push(
            g,
            ProblemSource::Visit(visit),
            day,
            need,
            category,
            Some(household),
            location,
        );
    }
    let compounds: Vec<String> = ledger
        .households
        .compounds
        .iter()
        .map(|c| c.name.clone())
        .collect();
    for i in 0..extra {
        let day = today - Duration::days(g.rng.random_range(0..700));
        let (need, category) = NEEDS.choose(&mut g.rng).copied().unwrap_or(("", "其他"));
        let compound = compounds.choose(&mut g.rng).cloned().unwrap_or_default();
        let source = if i % 3 == 0 {
            ProblemSource::Hotline(format!(
                "12345-{}{:06}",
                day.year(),
                g.rng.random_range(0..999_999)
            ))
        } else if i % 3 == 1 {
            ProblemSource::Patrol
        } else {
            ProblemSource::Other("居民代表反映".to_owned())
        };
        push(
            g,
            source,
            day,
            format!("{compound}{need}"),
            category.to_owned(),
            None,
            compound,
        );
    }
    ledger.problems.problems = list;
}
