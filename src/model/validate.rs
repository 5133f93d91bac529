//! Validation of a whole ledger: a list of findings in Chinese, each naming what to check.
//! Nothing here panics on user data.

use super::fund_rules::year_issues;
use super::household::HouseholdId;
use super::id_number::IdNumber;
use super::ledger::Ledger;
use super::problem::ProblemStatus;
use super::project::ProjectStage;
use super::tags::TagDimension;
use super::visit::NeedOutcome;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth a look; the data is usable.
    Warning,
    /// Wrong: a broken link or impossible value.
    Error,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// Which part of the ledger (Chinese).
    pub area: &'static str,
    /// What it is about, without personal detail beyond a masked reference.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "提示",
            Severity::Error => "错误",
        };
        write!(f, "[{level}] {}：{}", self.area, self.message)
    }
}

fn warn(area: &'static str, message: String) -> Finding {
    Finding {
        severity: Severity::Warning,
        area,
        message,
    }
}

fn error(area: &'static str, message: String) -> Finding {
    Finding {
        severity: Severity::Error,
        area,
        message,
    }
}

/// Validates the whole ledger as of `today`.
pub fn validate(ledger: &Ledger, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    check_households(ledger, today, &mut out);
    check_visits(ledger, &mut out);
    check_problems_and_projects(ledger, &mut out);
    for (year, funds) in &ledger.funds {
        for issue in year_issues(funds) {
            out.push(warn("经费", format!("{year}年 {}", issue.message())));
        }
    }
    for entry in &ledger.points.entries {
        if let Err(e) = entry.item.points() {
            out.push(error("积分卡", format!("{} {}", entry.month, e)));
        }
    }
    out
}

fn check_households(ledger: &Ledger, today: NaiveDate, out: &mut Vec<Finding>) {
    const AREA: &str = "居民户";
    let book = &ledger.households;
    let catalog = &ledger.committee.tags;
    let buildings: HashSet<_> = book.buildings.iter().map(|b| b.id).collect();
    let mut seen_ids: HashMap<&IdNumber, HouseholdId> = HashMap::new();
    let mut seen_household_ids = HashSet::new();
    for h in &book.households {
        let address = book.address_of(h);
        if !seen_household_ids.insert(h.id) {
            out.push(error(AREA, format!("{address}：户编号重复")));
        }
        if !buildings.contains(&h.building) {
            out.push(error(AREA, format!("户 {}：所在楼栋不存在", h.id.0)));
        }
        if !catalog.contains(TagDimension::HouseType, &h.house_type) {
            out.push(warn(
                AREA,
                format!("{address}：房屋类型“{}”不在标签目录中", h.house_type),
            ));
        }
        if h.is_active() && h.present_members().next().is_none() {
            out.push(warn(AREA, format!("{address}：在住户没有在住成员")));
        }
        for p in h.present_members() {
            if let Some(id) = &p.id_number {
                if let Some(sex) = p.sex
                    && sex != id.sex()
                {
                    out.push(warn(
                        AREA,
                        format!(
                            "{address} 第 {} 号成员：登记性别为{}，身份证号 {} 显示为{}",
                            p.id.0,
                            sex.label(),
                            id.masked(),
                            id.sex().label()
                        ),
                    ));
                }
                if id.birth_date() > today {
                    out.push(error(
                        AREA,
                        format!(
                            "{address} 第 {} 号成员：身份证号 {} 的出生日期晚于今天",
                            p.id.0,
                            id.masked()
                        ),
                    ));
                }
                if let Some(other) = seen_ids.insert(id, h.id)
                    && h.is_active()
                {
                    let other_address = book
                        .household(other)
                        .map(|o| book.address_of(o))
                        .unwrap_or_default();
                    out.push(warn(
                        AREA,
                        format!(
                            "身份证号 {} 在 {other_address} 与 {address} 重复登记，可能是同一人",
                            id.masked()
                        ),
                    ));
                }
            }
            for t in p.tags.iter().filter(|t| t.is_current()) {
                if !catalog.contains(t.dimension, &t.name) {
                    out.push(warn(
                        AREA,
                        format!(
                            "{address} 第 {} 号成员：标签“{}”不在“{}”目录中",
                            p.id.0,
                            t.name,
                            t.dimension.label()
                        ),
                    ));
                }
            }
        }
    }
}

fn check_visits(ledger: &Ledger, out: &mut Vec<Finding>) {
    const AREA: &str = "走访";
    let households: HashSet<_> = ledger.households.households.iter().map(|h| h.id).collect();
    let problems: HashSet<_> = ledger.problems.problems.iter().map(|p| p.id).collect();
    for v in ledger.all_visits() {
        let label = format!("{}-{:05}", v.id.year, v.id.seq);
        if !households.contains(&v.household) {
            out.push(error(AREA, format!("走访 {label}：所走访的户不存在")));
        }
        if ledger.committee.worker(v.worker).is_none() {
            out.push(error(
                AREA,
                format!("走访 {label}：走访人不在工作人员名单中"),
            ));
        }
        for need in &v.needs {
            if let NeedOutcome::Listed(p) = need.outcome
                && !problems.contains(&p)
            {
                out.push(error(
                    AREA,
                    format!("走访 {label}：关联的问题 {} 不存在", p.0),
                ));
            }
        }
    }
}

fn check_problems_and_projects(ledger: &Ledger, out: &mut Vec<Finding>) {
    let projects: HashSet<_> = ledger.projects.projects.iter().map(|p| p.id).collect();
    let problems: HashSet<_> = ledger.problems.problems.iter().map(|p| p.id).collect();
    for p in &ledger.problems.problems {
        if p.status.is_closed() && p.closed_on.is_none() {
            out.push(warn(
                "问题清单",
                format!("问题 {}“{}”：已办结但没有办结日期", p.id.0, p.title),
            ));
        }
        if p.status == ProblemStatus::Solved && p.answer.trim().is_empty() {
            out.push(warn(
                "问题清单",
                format!("问题 {}“{}”：已解决但没有记录答复", p.id.0, p.title),
            ));
        }
        if let Some(project) = p.project
            && !projects.contains(&project)
        {
            out.push(error(
                "问题清单",
                format!("问题 {}：关联的实事项目不存在", p.id.0),
            ));
        }
    }
    for p in &ledger.projects.projects {
        for problem in &p.problems {
            if !problems.contains(problem) {
                out.push(error(
                    "实事项目",
                    format!("“{}”：关联的问题 {} 不存在", p.title, problem.0),
                ));
            }
        }
        if p.stage >= ProjectStage::PlanPublished && p.plan_notice.is_none() {
            out.push(warn(
                "实事项目",
                format!("“{}”：已到方案公示阶段，但未登记公示期", p.title),
            ));
        }
        if p.stage >= ProjectStage::Approved && p.approval.is_none() {
            out.push(warn(
                "实事项目",
                format!("“{}”：缺少专项经费使用审批备案记录", p.title),
            ));
        }
        if p.stage >= ProjectStage::OutcomePublished && p.outcome_notice.is_none() {
            out.push(warn(
                "实事项目",
                format!("“{}”：已结果公示，但未登记公示期", p.title),
            ));
        }
        if let Some(s) = p.latest_survey()
            && s.needs_rectification()
            && p.stage != ProjectStage::Rectifying
            && p.rectification.trim().is_empty()
        {
            out.push(warn(
                "实事项目",
                format!(
                    "“{}”：满意度偏低（最低 {:.1}%），需要整改",
                    p.title,
                    s.lowest_percent().unwrap_or(0.0)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Building, BuildingId, Compound, CompoundId, Household, Person, PersonId, Sex,
    };

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    fn person(id: &str, sex: Sex) -> Person {
        Person {
            relation: "户主".into(),
            sex: Some(sex),
            id_number: IdNumber::parse(id).ok(),
            ..Person::new(PersonId(1), "张甲")
        }
    }

    fn household(id: u32, room: &str, member: Person) -> Household {
        Household {
            id: HouseholdId(id),
            building: BuildingId(1),
            room: room.into(),
            house_type: "商品房".into(),
            phone: None,
            has_vehicle: false,
            separated: false,
            members: vec![member],
            events: Vec::new(),
            moved_out: None,
            note: String::new(),
        }
    }

    /// One compound, one building, one household whose member's ID number and sex agree.
    fn ledger() -> Ledger {
        let mut l = Ledger::default();
        l.households.compounds.push(Compound {
            id: CompoundId(1),
            name: "示例小区".into(),
            address: "示例路 1 弄".into(),
        });
        l.households.buildings.push(Building {
            id: BuildingId(1),
            compound: CompoundId(1),
            number: "1号".into(),
            floors: 6,
            rooms_per_floor: 2,
        });
        l.households.households.push(household(
            1,
            "101",
            person("11010519491231002X", Sex::Female),
        ));
        l
    }

    fn messages(l: &Ledger) -> Vec<String> {
        validate(l, today())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_consistent_ledger_has_nothing_to_say() {
        assert_eq!(messages(&ledger()), Vec::<String>::new());
    }

    #[test]
    fn households_are_checked_without_showing_an_id_number() {
        let mut l = ledger();
        // The sex typed disagrees with the ID number; the same ID number in a second household;
        // a household in a building that does not exist.
        l.households.households[0].members[0].sex = Some(Sex::Male);
        l.households.households.push(household(
            2,
            "102",
            person("11010519491231002X", Sex::Female),
        ));
        l.households.households[1].building = BuildingId(9);
        let all = validate(&l, today());
        let text: Vec<String> = all.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|m| m.contains("登记性别为男")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("重复登记")), "{text:?}");
        assert!(
            all.iter()
                .any(|f| f.severity == Severity::Error && f.message.contains("所在楼栋不存在")),
            "{text:?}"
        );
        for m in &text {
            assert!(!m.contains("11010519491231002X"), "{m}");
        }
    }

    #[test]
    fn a_closed_problem_needs_its_date_and_a_solved_one_its_answer() {
        let mut l = ledger();
        let mut solved = crate::model::problem::sample_problem(1, 23, ProblemStatus::Solved, false);
        solved.project = Some(crate::model::ProjectId(7));
        l.problems.problems.push(solved);
        let text = messages(&l);
        assert!(text.iter().any(|m| m.contains("没有办结日期")), "{text:?}");
        assert!(text.iter().any(|m| m.contains("没有记录答复")), "{text:?}");
        assert!(
            text.iter().any(|m| m.contains("关联的实事项目不存在")),
            "{text:?}"
        );
    }
}
