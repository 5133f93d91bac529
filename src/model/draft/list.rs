//! The 智能名单 form: a list's conditions as typed (numbers as text), checked into a
//! [`ListQuery`], and the name it is saved under.

use crate::model::committee::{CommitteeBook, WorkerId};
use crate::model::household::CompoundId;
use crate::model::lists::{ListQuery, ListUnit, SavedList, TagRef, presets};

/// Whether a name can be used for a new saved list: not blank, not taken by another.
pub fn check_name(
    committee: &CommitteeBook,
    name: &str,
    replacing: Option<&str>,
) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("请给名单起个名字。".to_owned());
    }
    if name.chars().count() > 30 {
        return Err("名单名称不超过 30 个字。".to_owned());
    }
    let taken = presets(committee)
        .iter()
        .chain(&committee.lists)
        .any(|l| l.name == name && Some(l.name.as_str()) != replacing);
    if taken {
        return Err(format!("已经有名为“{name}”的名单。"));
    }
    Ok(())
}

/// A list as typed in the form: numbers as text, checked by [`ListDraft::build`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListDraft {
    /// Name to save it under.
    pub name: String,
    /// People or households.
    pub unit: ListUnit,
    /// Only this compound.
    pub compound: Option<CompoundId>,
    /// Only this worker's block (包干社工).
    pub worker: Option<WorkerId>,
    /// Tags a person must all carry.
    pub all_tags: Vec<TagRef>,
    /// Tags of which one is enough.
    pub any_tags: Vec<TagRef>,
    /// Tags to leave out.
    pub no_tags: Vec<TagRef>,
    /// Ages reached this month, separated by spaces or commas: `80 90 100`.
    pub turning: String,
    /// Youngest age.
    pub min_age: String,
    /// Oldest age.
    pub max_age: String,
    /// Days without a visit.
    pub not_visited_days: String,
    /// Days since moving in.
    pub arrived_within_days: String,
}

impl ListDraft {
    /// The form of a saved list.
    pub fn of(list: &SavedList) -> ListDraft {
        let q = &list.query;
        let text = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        ListDraft {
            name: list.name.clone(),
            unit: q.unit,
            compound: q.compound,
            worker: q.worker,
            all_tags: q.all_tags.clone(),
            any_tags: q.any_tags.clone(),
            no_tags: q.no_tags.clone(),
            turning: q
                .turning
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            min_age: text(q.min_age),
            max_age: text(q.max_age),
            not_visited_days: text(q.not_visited_days),
            arrived_within_days: text(q.arrived_within_days),
        }
    }

    /// The query, or what is wrong with the numbers, in Chinese.
    pub fn build(&self) -> Result<ListQuery, Vec<String>> {
        let mut errors = Vec::new();
        let mut number = |text: &str, what: &str, max: u32| -> Option<u32> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<u32>() {
                Ok(n) if n <= max => Some(n),
                _ => {
                    errors.push(format!("{what}应是 0 到 {max} 之间的整数，现在是“{t}”。"));
                    None
                }
            }
        };
        let min_age = number(&self.min_age, "最小年龄", 150);
        let max_age = number(&self.max_age, "最大年龄", 150);
        let not_visited_days = number(&self.not_visited_days, "未走访天数", 3650);
        let arrived_within_days = number(&self.arrived_within_days, "迁入天数", 3650);
        let mut turning = Vec::new();
        for part in self
            .turning
            .split(|c: char| c.is_whitespace() || ",，、".contains(c))
            .filter(|p| !p.is_empty())
        {
            match number(part, "本月满的岁数", 150) {
                Some(n) if !turning.contains(&n) => turning.push(n),
                _ => {}
            }
        }
        turning.sort_unstable();
        if let (Some(a), Some(b)) = (min_age, max_age)
            && a > b
        {
            errors.push(format!("最小年龄 {a} 大于最大年龄 {b}。"));
        }
        let mut tags: Vec<&TagRef> = self.all_tags.iter().chain(&self.any_tags).collect();
        tags.sort();
        if tags.windows(2).any(|w| w[0] == w[1]) || self.no_tags.iter().any(|t| tags.contains(&t)) {
            errors.push("同一个标签不能同时放在两组条件里。".to_owned());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ListQuery {
            unit: self.unit,
            all_tags: self.all_tags.clone(),
            any_tags: self.any_tags.clone(),
            no_tags: self.no_tags.clone(),
            turning,
            min_age,
            max_age,
            not_visited_days,
            arrived_within_days,
            compound: self.compound,
            worker: self.worker,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoSize, generate};
    use crate::model::TagDimension;
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn drafts_parse_numbers_and_refuse_nonsense() {
        let ledger = generate(DemoSize::Typical, today(), 7);
        for preset in presets(&ledger.committee)
            .iter()
            .chain(&ledger.committee.lists)
        {
            assert_eq!(ListDraft::of(preset).build(), Ok(preset.query.clone()));
        }
        let draft = ListDraft {
            turning: "90，80、100 80".into(),
            min_age: " 60 ".into(),
            ..ListDraft::default()
        };
        let q = draft.build().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.turning, [80, 90, 100]);
        assert_eq!(q.min_age, Some(60));
        let bad = ListDraft {
            min_age: "七十".into(),
            max_age: "50".into(),
            not_visited_days: "-3".into(),
            ..ListDraft::default()
        };
        let errors = bad.build().err().unwrap_or_default();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("最小年龄") && errors[0].contains("七十"));
        let crossed = ListDraft {
            min_age: "70".into(),
            max_age: "60".into(),
            ..ListDraft::default()
        };
        assert!(crossed.build().is_err());
        let tag = TagRef::new(TagDimension::Political, "中共党员");
        let twice = ListDraft {
            all_tags: vec![tag.clone()],
            no_tags: vec![tag],
            ..ListDraft::default()
        };
        assert!(twice.build().is_err());
    }

    #[test]
    fn names_must_be_new_and_not_blank() {
        let ledger = generate(DemoSize::Typical, today(), 7);
        let c = &ledger.committee;
        assert!(check_name(c, "  ", None).is_err());
        assert!(
            check_name(c, "新迁入未走访", None).is_err(),
            "a preset's name"
        );
        assert!(
            check_name(c, "楼组长", None).is_err(),
            "a saved list's name"
        );
        assert!(
            check_name(c, "楼组长", Some("楼组长")).is_ok(),
            "saving it again"
        );
        assert!(check_name(c, "志愿者", None).is_ok());
    }
}
