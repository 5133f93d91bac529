//! Small widget functions shared by the panels: error and notice lines, a masked value with a
//! 显示 button, a figure with its caption.

use crate::model::{CommitteeBook, CompoundId, HouseholdBook, WorkerId};
use chrono::NaiveDate;
use eframe::egui;
use std::hash::Hash;

/// A label and a one-line text field, the field labelled by it (for screen readers and the
/// tests, which find fields by label).
pub fn text_field(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    width: f32,
) -> egui::Response {
    labelled(ui, label, egui::TextEdit::singleline(value), hint, width)
}

/// Like [`text_field`], with an id of its own (`salt`): for a form where rows come and go
/// above a field as one types, which must not move the keyboard to another field.
pub fn keyed_text_field(
    ui: &mut egui::Ui,
    salt: impl Hash + std::fmt::Debug,
    label: &str,
    value: &mut String,
    hint: &str,
    width: f32,
) -> egui::Response {
    let edit = egui::TextEdit::singleline(value).id_salt(salt);
    labelled(ui, label, edit, hint, width)
}

fn labelled(
    ui: &mut egui::Ui,
    label: &str,
    edit: egui::TextEdit<'_>,
    hint: &str,
    width: f32,
) -> egui::Response {
    let l = ui.label(label);
    ui.add(edit.hint_text(hint).desired_width(width))
        .labelled_by(l.id)
}

/// A label and a picker of the workers in service on `today`.
pub fn worker_picker(
    ui: &mut egui::Ui,
    salt: impl Hash + std::fmt::Debug,
    label: &str,
    committee: &CommitteeBook,
    today: NaiveDate,
    value: &mut Option<WorkerId>,
) {
    let l = ui.label(label);
    let name = value
        .and_then(|w| committee.worker(w))
        .map_or("请选择", |w| w.name.as_str());
    egui::ComboBox::from_id_salt(salt)
        .selected_text(name)
        .show_ui(ui, |ui| {
            for w in committee.workers.iter().filter(|w| w.active_on(today)) {
                ui.selectable_value(value, Some(w.id), &w.name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// A label and a filter by worker (包干社工): 全部, or one of the workers in service.
pub fn worker_filter(
    ui: &mut egui::Ui,
    salt: impl Hash + std::fmt::Debug,
    label: &str,
    committee: &CommitteeBook,
    value: &mut Option<WorkerId>,
) {
    let l = ui.label(label);
    let name = value
        .and_then(|w| committee.worker(w))
        .map_or("全部", |w| w.name.as_str());
    egui::ComboBox::from_id_salt(salt)
        .selected_text(name)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "全部");
            for w in committee.workers.iter().filter(|w| w.left_on.is_none()) {
                ui.selectable_value(value, Some(w.id), &w.name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// The header row of a sortable table: a column with a sort key is a header that sorts (▲ or
/// ▼ on the column sorted by), one without is a plain heading. `current` is how the table is
/// sorted now. Returns the new sort when a header was clicked: by that column ascending, or
/// reversed if it was already the column, ascending.
pub fn sort_headers<S: Copy + PartialEq>(
    header: &mut egui_extras::TableRow<'_, '_>,
    columns: &[(&str, Option<S>)],
    current: Option<(S, bool)>,
) -> Option<(S, bool)> {
    let mut clicked = None;
    for &(title, by) in columns {
        header.col(|ui| match by {
            Some(by) => {
                let now = current.filter(|(s, _)| *s == by).map(|(_, d)| d);
                let text = match now {
                    Some(false) => format!("{title} ▲"),
                    Some(true) => format!("{title} ▼"),
                    None => title.to_owned(),
                };
                if ui
                    .add(egui::Button::new(egui::RichText::new(text).strong()).frame(false))
                    .on_hover_text("点击按此列排序，再点一次倒序")
                    .clicked()
                {
                    clicked = Some((by, now == Some(false)));
                }
            }
            None => {
                ui.strong(title);
            }
        });
    }
    clicked
}

/// A label and a picker of the compounds. With `any` (e.g. 全部), choosing it (`None`) means no
/// compound in particular; without, `None` shows 请选择 and cannot be chosen back.
pub fn compound_picker(
    ui: &mut egui::Ui,
    salt: impl Hash + std::fmt::Debug,
    label: &str,
    book: &HouseholdBook,
    value: &mut Option<CompoundId>,
    any: Option<&str>,
) {
    let l = ui.label(label);
    let name = value
        .and_then(|c| book.compound(c))
        .map_or(any.unwrap_or("请选择"), |c| c.name.as_str());
    egui::ComboBox::from_id_salt(salt)
        .selected_text(name)
        .show_ui(ui, |ui| {
            if let Some(any) = any {
                ui.selectable_value(value, None, any);
            }
            for c in &book.compounds {
                ui.selectable_value(value, Some(c.id), &c.name);
            }
        })
        .response
        .labelled_by(l.id);
}

/// A picker of problem categories (the standard ones and the committee's own), labelled by
/// `label` when there is one.
pub fn category_picker(
    ui: &mut egui::Ui,
    salt: impl Hash + std::fmt::Debug,
    label: Option<&str>,
    committee: &CommitteeBook,
    value: &mut String,
) {
    let l = label.map(|t| ui.label(t));
    let r = egui::ComboBox::from_id_salt(salt)
        .selected_text(value.as_str())
        .show_ui(ui, |ui| {
            for c in committee.all_problem_categories() {
                ui.selectable_value(value, c.clone(), c);
            }
        })
        .response;
    if let Some(l) = l {
        r.labelled_by(l.id);
    }
}

/// An error line, in the theme's error colour.
pub fn error(ui: &mut egui::Ui, text: &str) {
    let colour = ui.visuals().error_fg_color;
    ui.label(egui::RichText::new(text).color(colour));
}

/// A line that explains, in a weaker colour.
pub fn hint(ui: &mut egui::Ui, text: &str) {
    ui.label(egui::RichText::new(text).weak());
}

/// A value masked until 显示 is clicked (and hidden again by 隐藏), with 复制 (the caller copies
/// it through the clipboard guard, which wipes it after 30 seconds). `shown` is kept by the
/// caller, per value, and forgotten with the panel. Returns whether 复制 was clicked.
pub fn masked(ui: &mut egui::Ui, masked: &str, full: &str, shown: &mut bool) -> bool {
    ui.horizontal(|ui| {
        ui.label(if *shown { full } else { masked });
        let label = if *shown { "隐藏" } else { "显示" };
        if ui.small_button(label).clicked() {
            *shown = !*shown;
        }
        ui.small_button("复制")
            .on_hover_text("复制到剪贴板，30 秒后自动清除")
            .clicked()
    })
    .inner
}

/// A big number with its caption below, for 首页.
pub fn figure(ui: &mut egui::Ui, value: &str, caption: &str) {
    ui.vertical(|ui| {
        ui.label(egui::RichText::new(value).size(28.0).strong());
        ui.label(egui::RichText::new(caption).weak());
    });
}
