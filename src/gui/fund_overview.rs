//! 经费 → 概览: a year at a glance, for those who would rather look than read. Spending by
//! month of each fund (bars, and the same figures in a table), one fund's categories against
//! its plan (bars beside bars, and a table with the share of the plan used), and office costs
//! month by month against their 35% line. Figures from `model::fund_report`; the charts are
//! `egui_plot`'s, fixed in place (no zooming or dragging while the page scrolls).

use super::{View, widgets};
use crate::model::fund_report::{monthly_spent, office_share_by_month, plan_against_actual};
use crate::model::{Fen, FundKind, FundYear, OFFICE_CAP_PERCENT};
use eframe::egui;
use egui_plot::{
    AxisHints, Bar, BarChart, GridInput, GridMark, HLine, Line, LineStyle, Plot, PlotPoints,
};
use std::ops::RangeInclusive;

/// State of the overview tab.
pub struct OverviewTab {
    fund: FundKind,
}

impl Default for OverviewTab {
    fn default() -> Self {
        OverviewTab {
            fund: FundKind::Work,
        }
    }
}

/// The colour of each fund in the charts (kept when a fund is missing from the year).
fn colour(fund: FundKind) -> egui::Color32 {
    match fund {
        FundKind::Work => egui::Color32::from_rgb(0x2f, 0x6f, 0xb3),
        FundKind::PartyService => egui::Color32::from_rgb(0xc0, 0x39, 0x2b),
        FundKind::Foundation => egui::Color32::from_rgb(0x27, 0x8c, 0x5a),
    }
}

/// Planned amounts.
const PLANNED_COLOUR: egui::Color32 = egui::Color32::from_gray(150);

/// The 35% line.
const CAP_COLOUR: egui::Color32 = egui::Color32::from_rgb(0xd3, 0x54, 0x00);

fn yuan(f: Fen) -> f64 {
    f.0 as f64 / 100.0
}

/// An amount for a narrow column: `32,173` when it is whole yuan, else `32,173.50`.
fn short_money(f: Fen) -> String {
    let text = f.to_string();
    match text.strip_suffix(".00") {
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

/// Amounts on an axis: 8,000 as 8000, 12,000 as 1.2万.
fn axis_yuan(mark: GridMark, _range: &RangeInclusive<f64>) -> String {
    let v = mark.value;
    if v.abs() >= 10_000.0 {
        format!("{:.1}万", v / 10_000.0)
    } else {
        format!("{v:.0}")
    }
}

impl OverviewTab {
    /// Shows the tab for `year`.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, year: i32) {
        let Some(fy) = view.ledger.funds.get(&year) else {
            widgets::hint(ui, &format!("{year}年还没有经费记录。"));
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("fund_overview_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let half = ((ui.available_width() - 24.0) / 2.0).max(320.0);
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(half);
                        ui.strong("每月支出");
                        months_chart(ui, fy, half);
                    });
                    ui.add_space(16.0);
                    ui.vertical(|ui| {
                        ui.set_width(half);
                        ui.strong("办公经费占居委会工作经费预算（上限 35%）");
                        office_chart(ui, fy, year, view.today, half);
                    });
                });
                ui.add_space(6.0);
                months_table(ui, fy);
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    ui.strong("按类别：计划与实际");
                    for k in FundKind::ALL {
                        ui.selectable_value(&mut self.fund, k, k.label());
                    }
                });
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(half);
                        categories_chart(ui, fy, self.fund, half);
                    });
                    ui.add_space(16.0);
                    ui.vertical(|ui| {
                        ui.set_width(half);
                        categories_table(ui, fy, self.fund);
                    });
                });
            });
    }
}

/// A round step (1, 2 or 5 times a power of ten) near `x`, at least 1.
fn round_step(x: f64) -> f64 {
    if x <= 1.0 {
        return 1.0;
    }
    let power = 10f64.powf(x.log10().floor());
    let m = x / power;
    power
        * [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .find(|f| m <= *f)
            .unwrap_or(10.0)
}

/// Grid lines at round amounts, about four up to `max` (egui_plot's own would be too close
/// together to be named on a chart this high).
fn round_amounts(max: f64) -> impl Fn(GridInput) -> Vec<GridMark> {
    let step = round_step(max / 4.0);
    move |input: GridInput| {
        let (low, high) = input.bounds;
        let mut marks = Vec::new();
        // + 0.0: no "-0" under the axis.
        let mut v = (low / step).ceil() * step + 0.0;
        while v <= high && marks.len() < 50 {
            marks.push(GridMark {
                value: v,
                step_size: step,
            });
            v += step;
        }
        marks
    }
}

/// A mark on each month, so that every month is named under its bars.
fn each_month(_: GridInput) -> Vec<GridMark> {
    (1..=12)
        .map(|m| GridMark {
            value: f64::from(m),
            step_size: 1.0,
        })
        .collect()
}

/// A month's name under its mark.
fn month_name(m: GridMark, _range: &RangeInclusive<f64>) -> String {
    let v = m.value;
    if v.fract() == 0.0 && (1.0..=12.0).contains(&v) {
        format!("{v:.0}月")
    } else {
        String::new()
    }
}

/// The months under a chart: every one named (egui_plot's default spacing would name few).
fn month_axis() -> AxisHints<'static> {
    AxisHints::new_x()
        .formatter(month_name)
        .label_spacing(24.0..=32.0)
}

/// What each colour means, above a chart (the chart's own legend would cover its bars).
fn legend(ui: &mut egui::Ui, entries: &[(egui::Color32, &str)]) {
    ui.horizontal_wrapped(|ui| {
        for (colour, name) in entries {
            ui.label(egui::RichText::new("■").color(*colour));
            ui.label(*name);
            ui.add_space(10.0);
        }
    });
}

/// A chart fixed in place: the page scrolls, the chart does not zoom or move.
fn fixed(id: &str, width: f32) -> Plot<'static> {
    Plot::new(id)
        .width(width)
        .height(210.0)
        .custom_y_axes(vec![
            AxisHints::new_y()
                .formatter(axis_yuan)
                .min_thickness(52.0)
                .label_spacing(16.0..=24.0),
        ])
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
}

/// Bars per month, one colour per fund, side by side.
fn months_chart(ui: &mut egui::Ui, fy: &FundYear, width: f32) {
    let funds: Vec<FundKind> = FundKind::ALL
        .into_iter()
        .filter(|&k| fy.plan(k).is_some() || fy.payments.iter().any(|p| p.fund == k))
        .collect();
    let n = funds.len().max(1) as f64;
    let bar = 0.8 / n;
    let names: Vec<(egui::Color32, &str)> = funds.iter().map(|&k| (colour(k), k.label())).collect();
    legend(ui, &names);
    let highest = funds
        .iter()
        .flat_map(|&k| monthly_spent(fy, k))
        .max()
        .map_or(0.0, yuan);
    fixed("fund_months_chart", width)
        .include_x(0.4)
        .include_x(12.6)
        .include_y(0.0)
        .y_grid_spacer(round_amounts(highest))
        .x_grid_spacer(each_month)
        .custom_x_axes(vec![month_axis()])
        .show(ui, |plot| {
            for (i, &fund) in funds.iter().enumerate() {
                let months = monthly_spent(fy, fund);
                let offset = (i as f64 - (n - 1.0) / 2.0) * bar;
                let bars = months
                    .iter()
                    .enumerate()
                    .map(|(m, f)| {
                        Bar::new(m as f64 + 1.0 + offset, yuan(*f))
                            .width(bar * 0.95)
                            .fill(colour(fund))
                            .name(format!("{}月", m + 1))
                    })
                    .collect();
                let name = fund.label();
                plot.add(
                    BarChart::new(name, bars)
                        .color(colour(fund))
                        .element_formatter(Box::new(move |b, _| {
                            format!("{name}\n{}：{:.2} 元", b.name, b.value)
                        })),
                );
            }
        });
}

/// Office costs to the end of each month, as a share of the budget, with the 35% line.
fn office_chart(ui: &mut egui::Ui, fy: &FundYear, year: i32, today: chrono::NaiveDate, width: f32) {
    let shares = office_share_by_month(fy, year, today);
    if shares.iter().all(Option::is_none) {
        widgets::hint(ui, "居委会工作经费还没有年度预算，无法计算占比。");
        return;
    }
    let points: Vec<[f64; 2]> = shares
        .iter()
        .enumerate()
        .filter_map(|(m, s)| s.map(|s| [m as f64 + 1.0, s]))
        .collect();
    let over = points.iter().any(|p| p[1] > OFFICE_CAP_PERCENT as f64);
    legend(
        ui,
        &[
            (CAP_COLOUR, "上限 35%"),
            (colour(FundKind::Work), "办公经费累计占预算"),
        ],
    );
    fixed("fund_office_chart", width)
        .include_x(0.6)
        .include_x(12.4)
        .include_y(0.0)
        .include_y(OFFICE_CAP_PERCENT as f64 + 10.0)
        .custom_y_axes(vec![
            AxisHints::new_y()
                .formatter(|m, _| format!("{:.0}%", m.value))
                .min_thickness(52.0)
                .label_spacing(16.0..=24.0),
        ])
        .x_grid_spacer(each_month)
        .custom_x_axes(vec![month_axis()])
        .show(ui, |plot| {
            plot.add(
                HLine::new("上限 35%", OFFICE_CAP_PERCENT as f64)
                    .color(CAP_COLOUR)
                    .style(LineStyle::dashed_loose())
                    .width(2.0),
            );
            plot.add(
                Line::new("办公经费累计占比", PlotPoints::from(points))
                    .color(colour(FundKind::Work))
                    .width(2.5),
            );
        });
    if over {
        widgets::error(ui, "办公经费已超过居委会工作经费预算的 35%。");
    }
}

/// The same figures as the months chart, in a table with totals.
fn months_table(ui: &mut egui::Ui, fy: &FundYear) {
    egui::Grid::new("fund_months_table")
        .striped(true)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            ui.strong("每月支出（元）");
            for m in 1..=12 {
                ui.strong(format!("{m}月"));
            }
            ui.strong("合计");
            ui.end_row();
            for fund in FundKind::ALL {
                let months = monthly_spent(fy, fund);
                ui.label(fund.label());
                for m in months {
                    ui.label(if m == Fen(0) {
                        "—".to_owned()
                    } else {
                        short_money(m)
                    });
                }
                ui.label(months.iter().copied().sum::<Fen>().to_string());
                ui.end_row();
            }
        });
}

/// One fund's categories: planned and spent, bars beside bars (categories down the side, so
/// their names have room).
fn categories_chart(ui: &mut egui::Ui, fy: &FundYear, fund: FundKind, width: f32) {
    let lines = plan_against_actual(fy, fund);
    let highest = lines.iter().map(|l| l.1.max(l.2)).max().map_or(0.0, yuan);
    let labels: Vec<&'static str> = lines.iter().map(|(c, _, _)| c.label()).collect();
    let count = lines.len() as f64;
    let bars = |pick: fn(&(crate::model::FundCategory, Fen, Fen)) -> Fen,
                offset: f64,
                fill: egui::Color32| {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                Bar::new(count - i as f64 + offset, yuan(pick(l)))
                    .width(0.36)
                    .fill(fill)
                    .name(l.0.label())
            })
            .collect::<Vec<_>>()
    };
    let planned = BarChart::new("年度计划", bars(|l| l.1, 0.2, PLANNED_COLOUR))
        .horizontal()
        .color(PLANNED_COLOUR);
    let spent = BarChart::new("已支出", bars(|l| l.2, -0.2, colour(fund)))
        .horizontal()
        .color(colour(fund));
    legend(
        ui,
        &[(PLANNED_COLOUR, "年度计划"), (colour(fund), "已支出")],
    );
    Plot::new(("fund_categories_chart", fund))
        .width(width)
        .height((40.0 * count as f32 + 60.0).max(180.0))
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .include_x(0.0)
        .include_y(0.4)
        .include_y(count + 0.6)
        .x_axis_formatter(axis_yuan)
        .x_grid_spacer(round_amounts(highest))
        .y_axis_min_width(120.0)
        .y_axis_formatter(move |m, _| {
            let v = m.value;
            if v.fract() == 0.0 && v >= 1.0 && v <= count {
                labels
                    .get((count - v) as usize)
                    .copied()
                    .unwrap_or_default()
                    .to_owned()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.add(planned.element_formatter(Box::new(|b, _| {
                format!("{}\n年度计划：{:.2} 元", b.name, b.value)
            })));
            plot.add(spent.element_formatter(Box::new(|b, _| {
                format!("{}\n已支出：{:.2} 元", b.name, b.value)
            })));
        });
}

/// The same figures, with the share of the plan used.
fn categories_table(ui: &mut egui::Ui, fy: &FundYear, fund: FundKind) {
    let lines = plan_against_actual(fy, fund);
    egui::Grid::new(("fund_categories_table", fund))
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for t in ["类别", "年度计划", "已支出", "完成"] {
                ui.strong(t);
            }
            ui.end_row();
            for (c, planned, spent) in &lines {
                ui.label(c.label());
                ui.label(format!("{planned} 元"));
                ui.label(format!("{spent} 元"));
                if planned.0 > 0 {
                    let pct = spent.0 as f64 * 100.0 / planned.0 as f64;
                    let text = format!("{pct:.0}%");
                    if pct > 100.0 {
                        widgets::error(ui, &format!("{text}（超出计划）"));
                    } else {
                        ui.label(text);
                    }
                } else if spent.0 > 0 {
                    widgets::error(ui, "计划外");
                } else {
                    ui.label("—");
                }
                ui.end_row();
            }
            let planned: Fen = lines.iter().map(|l| l.1).sum();
            let spent: Fen = lines.iter().map(|l| l.2).sum();
            ui.strong("合计");
            ui.strong(format!("{planned} 元"));
            ui.strong(format!("{spent} 元"));
            ui.label("");
            ui.end_row();
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_lines_fall_on_round_amounts() {
        assert_eq!(round_step(21_153.0), 25_000.0);
        assert_eq!(round_step(8_926.0), 10_000.0);
        assert_eq!(round_step(1_900.0), 2_000.0);
        assert_eq!(round_step(0.0), 1.0);
        let marks = round_amounts(84_612.0)(GridInput {
            bounds: (-100.0, 90_000.0),
            base_step_size: 1.0,
        });
        let values: Vec<f64> = marks.iter().map(|m| m.value).collect();
        assert_eq!(values, [0.0, 25_000.0, 50_000.0, 75_000.0]);
        assert!(values[0].is_sign_positive(), "no -0 under the axis");
        assert_eq!(short_money(Fen(3_217_300)), "32,173");
        assert_eq!(short_money(Fen(3_217_350)), "32,173.50");
    }
}
