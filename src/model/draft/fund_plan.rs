//! The forms of a fund's year: the yearly plan (年度经费计划: the budget the street set, the
//! balance carried from last year, main uses, key projects, planned amounts per category of
//! the fund's own) and money received from the street (拨款: date, amount, reference).

use super::{FormError, parse_date};
use crate::model::fund::{FundCategory, FundKind, FundPlan, Income, PlanItem};
use crate::model::money::Fen;

/// A yearly plan as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanDraft {
    /// 预算 in yuan.
    pub budget: String,
    /// 上年结转 in yuan.
    pub carried: String,
    /// 主要用途.
    pub main_uses: String,
    /// 重点项目, one a line.
    pub key_projects: String,
    /// 计划明细: category, what for, amount in yuan.
    pub items: Vec<(Option<FundCategory>, String, String)>,
}

impl PlanDraft {
    /// The form of `plan`, or of an empty plan.
    pub fn of(plan: Option<&FundPlan>) -> PlanDraft {
        let Some(p) = plan else {
            return PlanDraft::default();
        };
        PlanDraft {
            budget: p.budget.yuan_text(),
            carried: p.carried_over.yuan_text(),
            main_uses: p.main_uses.clone(),
            key_projects: p.key_projects.join("\n"),
            items: p
                .items
                .iter()
                .map(|i| {
                    (
                        Some(i.category),
                        i.description.clone(),
                        i.amount.yuan_text(),
                    )
                })
                .collect(),
        }
    }

    /// The plan of `fund`, or what is wrong. Planned amounts may not add up to more than the
    /// budget, and each category of the fund is planned once.
    pub fn build(&self, fund: FundKind) -> Result<FundPlan, Vec<FormError>> {
        let mut errors = Vec::new();
        let budget = match Fen::parse_yuan(&self.budget) {
            Ok(b) if b > Fen(0) => b,
            Ok(_) => {
                errors.push("预算须大于零".to_owned());
                Fen(0)
            }
            Err(e) => {
                errors.push(format!("预算：{e}"));
                Fen(0)
            }
        };
        let carried = if self.carried.trim().is_empty() {
            Fen(0)
        } else {
            Fen::parse_yuan(&self.carried).unwrap_or_else(|e| {
                errors.push(format!("上年结转：{e}"));
                Fen(0)
            })
        };
        let mut items: Vec<PlanItem> = Vec::new();
        for (n, (category, description, amount)) in self.items.iter().enumerate() {
            let row = n + 1;
            let Some(category) = category else {
                errors.push(format!("第 {row} 行：请选择类别"));
                continue;
            };
            if category.fund() != fund {
                errors.push(format!(
                    "第 {row} 行：“{}”不属于{}",
                    category.label(),
                    fund.label()
                ));
            }
            if items.iter().any(|i| i.category == *category) {
                errors.push(format!("第 {row} 行：“{}”已经列过", category.label()));
            }
            match Fen::parse_yuan(amount) {
                Ok(a) if a >= Fen(0) => items.push(PlanItem {
                    category: *category,
                    description: description.trim().to_owned(),
                    amount: a,
                }),
                Ok(_) => errors.push(format!("第 {row} 行：金额不能为负")),
                Err(e) => errors.push(format!("第 {row} 行：{e}")),
            }
        }
        let planned: Fen = items.iter().map(|i| i.amount).sum();
        if budget > Fen(0) && planned > budget {
            errors.push(format!("计划明细合计 {planned} 元，超过预算 {budget} 元"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(FundPlan {
            fund,
            budget,
            main_uses: self.main_uses.trim().to_owned(),
            key_projects: self
                .key_projects
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            items,
            carried_over: carried,
        })
    }
}

/// Money received as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IncomeDraft {
    /// 到账日期.
    pub on: String,
    /// 金额 in yuan.
    pub amount: String,
    /// 拨款文号或凭证.
    pub reference: String,
    /// 备注.
    pub note: String,
}

impl IncomeDraft {
    /// The income of `fund` in `year`, or what is wrong.
    pub fn build(&self, fund: FundKind, year: i32) -> Result<Income, Vec<FormError>> {
        let mut errors = Vec::new();
        let on = match parse_date(&self.on, "到账日期", "拨款") {
            Ok(Some(d)) if chrono::Datelike::year(&d) != year => {
                errors.push(format!("到账日期不在{year}年"));
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push("请填写到账日期".to_owned());
                None
            }
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let amount = match Fen::parse_yuan(&self.amount) {
            Ok(a) if a > Fen(0) => Some(a),
            Ok(_) => {
                errors.push("金额须大于零".to_owned());
                None
            }
            Err(e) => {
                errors.push(format!("金额：{e}"));
                None
            }
        };
        if self.reference.trim().is_empty() {
            errors.push("请填写拨款文号或到账凭证号".to_owned());
        }
        match (on, amount, errors.is_empty()) {
            (Some(on), Some(amount), true) => Ok(Income {
                fund,
                on,
                amount,
                reference: self.reference.trim().to_owned(),
                note: self.note.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_keeps_its_categories_to_the_fund_and_its_items_within_the_budget() {
        let mut f = PlanDraft {
            budget: "100,000".into(),
            carried: "3250.5".into(),
            main_uses: "办公、社区服务".into(),
            key_projects: "睦邻议事厅改造\n\n  道路修补 ".into(),
            items: vec![
                (Some(FundCategory::Office), "办公".into(), "35000".into()),
                (Some(FundCategory::Care), "慰问".into(), "1".into()),
            ],
        };
        let e = f.build(FundKind::Work).unwrap_err();
        assert!(e[0].contains("不属于居委会工作经费"), "{e:?}");
        f.items[1] = (Some(FundCategory::Office), "再列".into(), "1".into());
        assert!(f.build(FundKind::Work).unwrap_err()[0].contains("已经列过"));
        f.items[1] = (
            Some(FundCategory::SelfGovernment),
            "自治".into(),
            "70000".into(),
        );
        assert!(f.build(FundKind::Work).unwrap_err()[0].contains("超过预算"));
        f.items[1].2 = "65000".into();
        let plan = f.build(FundKind::Work).unwrap();
        assert_eq!(plan.carried_over, Fen(325_050));
        assert_eq!(plan.key_projects, ["睦邻议事厅改造", "道路修补"]);
        assert_eq!(
            PlanDraft::of(Some(&plan)).build(FundKind::Work).unwrap(),
            plan
        );
    }

    #[test]
    fn income_needs_a_day_in_its_year_an_amount_and_a_reference() {
        let mut f = IncomeDraft {
            on: "2025-12-31".into(),
            amount: "0".into(),
            ..IncomeDraft::default()
        };
        let e = f.build(FundKind::Foundation, 2026).unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        f.on = "2026-01-15".into();
        f.amount = "50000".into();
        f.reference = "街财拨〔2026〕3号".into();
        let i = f.build(FundKind::Foundation, 2026).unwrap();
        assert_eq!(i.amount, Fen::yuan(50_000));
    }
}
