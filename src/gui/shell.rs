//! The shell around the sections: the top bar (committee, member, save state, 撤销/重做,
//! 锁定), the navigation on the left, and the section shown in the middle.

use super::session::Session;
use super::{Action, Prefs, Section, View, home, records, widgets};
use crate::model::finder::Finder;
use chrono::NaiveDateTime;
use eframe::egui;

/// The top bar, the navigation and the current section. Returns whether 锁定 was clicked.
pub(super) fn shell(
    ui: &mut egui::Ui,
    s: &mut Session,
    prefs: &mut Prefs,
    now: NaiveDateTime,
    actions: &mut Vec<Action>,
) -> bool {
    let today = now.date();
    let lock = top_bar(ui, s);
    egui::Panel::left("nav")
        .resizable(false)
        .exact_size(132.0)
        .show(ui, |ui| {
            ui.add_space(8.0);
            for section in Section::ALL {
                let selected = s.section == section;
                let button = egui::Button::selectable(selected, section.label())
                    .min_size(egui::vec2(ui.available_width(), 34.0));
                if ui.add(button).clicked() {
                    s.section = section;
                }
            }
        });
    if let Some(e) = &s.load_error {
        egui::Panel::bottom("load_error").show(ui, |ui| widgets::error(ui, e));
    }
    open_warnings(ui, s, actions);
    egui::CentralPanel::default().show(ui, |ui| {
        if matches!(s.section, Section::Households | Section::Visits) && s.finder.is_none() {
            s.finder = Some(Finder::new(s.vault.ledger()));
        }
        let view = View {
            ledger: s.vault.ledger(),
            member: s.vault.member(),
            today,
            now,
            read_only: s.vault.is_read_only(),
            unloaded: s.vault.unloaded(),
            finder: s.finder.as_ref(),
            vault_dir: s.vault.dir(),
        };
        match s.section {
            Section::Home => {
                if let Some(text) = usb_reminder(s.vault.last_archive(), now) {
                    let colour = ui.visuals().warn_fg_color;
                    ui.label(egui::RichText::new(text).color(colour));
                }
                let name = s.committee_name();
                let mine = view.member_worker();
                let brief = &mut s.brief;
                s.home
                    .get_or_insert_with(|| home::HomeFigures::new(view.ledger, today, mine))
                    .show(ui, &name, view.ledger, actions, |ui| brief.show(ui, &view));
            }
            Section::Households => s.households.show(ui, &view, actions),
            Section::Visits => s.visits.show(ui, &view, actions),
            Section::Desk => s.desk.show(ui, &view, actions),
            Section::Problems => s.problems.show(ui, &view, actions),
            Section::Projects => s.projects.show(ui, &view, actions),
            Section::Funds => s.funds.show(ui, &view, actions),
            Section::Settings => s.settings.show(ui, prefs, &s.vault, actions),
            other => records::show(ui, other, s.loading.is_some()),
        }
    });
    lock
}

/// Ctrl+Z, and Ctrl+Y or Ctrl+Shift+Z, when no text field has the keyboard (there they undo
/// the typing).
fn undo_redo_keys(ui: &mut egui::Ui) -> (bool, bool) {
    let typing = ui.ctx().egui_wants_keyboard_input();
    ui.input_mut(|i| {
        let undo = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Z);
        let redo = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Y);
        let redo2 = egui::KeyboardShortcut::new(
            egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
            egui::Key::Z,
        );
        if typing {
            return (false, false);
        }
        let r = i.consume_shortcut(&redo) || i.consume_shortcut(&redo2);
        (i.consume_shortcut(&undo), r)
    })
}

/// The top bar: committee, member, save state, 撤销/重做 and 锁定. Returns whether 锁定 was
/// clicked.
fn top_bar(ui: &mut egui::Ui, s: &mut Session) -> bool {
    let (undo_key, redo_key) = undo_redo_keys(ui);
    let mut lock = false;
    egui::Panel::top("top").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.strong(s.committee_name());
            ui.separator();
            ui.label(format!("当前成员：{}", s.vault.member()));
            if s.vault.is_read_only() {
                ui.separator();
                let short = s.vault.read_only_label().unwrap_or("只读");
                let colour = ui.visuals().error_fg_color;
                ui.label(egui::RichText::new(short).color(colour))
                    .on_hover_text(s.vault.read_only_reason().unwrap_or_default());
            }
            ui.separator();
            match &s.save_error {
                Some(e) => widgets::error(ui, &format!("保存失败：{e}")),
                None => {
                    let n = s.vault.unsaved().len();
                    if n == 0 {
                        ui.label("已保存");
                    } else if s.saving.is_some() {
                        ui.spinner();
                        ui.label("正在保存");
                    } else {
                        ui.label(format!("有 {n} 处未保存"));
                    }
                }
            }
            if s.loading.is_some() {
                ui.separator();
                ui.spinner();
                ui.label("正在读取往年记录");
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("锁定").clicked() {
                    lock = true;
                }
                ui.separator();
                let redo = s.history.redo_label().map(str::to_owned);
                let undo = s.history.undo_label().map(str::to_owned);
                let r = ui
                    .add_enabled(redo.is_some(), egui::Button::new("重做"))
                    .on_hover_text(redo.map_or("没有可重做的修改".into(), |l| {
                        format!("重做：{l}（Ctrl+Y）")
                    }));
                if r.clicked() || (redo_key && s.history.redo_label().is_some()) {
                    s.undo_redo(true);
                }
                let u = ui
                    .add_enabled(undo.is_some(), egui::Button::new("撤销"))
                    .on_hover_text(undo.map_or("没有可撤销的修改".into(), |l| {
                        format!("撤销：{l}（Ctrl+Z）")
                    }));
                if u.clicked() || (undo_key && s.history.undo_label().is_some()) {
                    s.undo_redo(false);
                }
                if let Some(n) = &s.notice {
                    widgets::hint(ui, n);
                }
            });
        });
        if let Some(e) = &s.edit_error {
            widgets::error(ui, e);
        }
        ui.add_space(4.0);
    });
    lock
}

/// What opening the ledger had to say, until 知道了; 从备份恢复 when the backups hold a newer
/// save than the one opened.
fn open_warnings(ui: &mut egui::Ui, s: &mut Session, actions: &mut Vec<Action>) {
    if s.open_warnings.is_empty() {
        return;
    }
    egui::Panel::bottom("open_warnings").show(ui, |ui| {
        ui.add_space(4.0);
        for w in &s.open_warnings {
            widgets::error(ui, w);
        }
        ui.horizontal(|ui| {
            if s.vault.newer_save_in_backups() && ui.button("从备份恢复").clicked() {
                actions.push(Action::RestoreFromBackup);
            }
            if ui.button("知道了").clicked() {
                s.open_warnings.clear();
            }
        });
        ui.add_space(4.0);
    });
}

/// 首页's reminder when the ledger was never, or not for a month, written to a USB stick.
fn usb_reminder(
    last: Option<chrono::DateTime<chrono::FixedOffset>>,
    now: NaiveDateTime,
) -> Option<String> {
    const MONTH_DAYS: i64 = 30;
    match last {
        None => Some("这本台账还没有备份到U盘过：请插上U盘，在“设置”里点“备份到U盘”。".into()),
        Some(t) => {
            let days = (now.date() - t.date_naive()).num_days();
            (days > MONTH_DAYS).then(|| {
                format!(
                    "已经 {days} 天没有备份到U盘了（上次 {}）：请插上U盘，在“设置”里点“备份到U盘”。",
                    t.format("%Y-%m-%d")
                )
            })
        }
    }
}
