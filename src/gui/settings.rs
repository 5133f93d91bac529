//! 设置: the look (light or dark, larger text), the idle lock, and who can open this ledger.
//! Preferences are remembered on this PC only and never hold resident data.

use super::Prefs;
use super::widgets;
use crate::store::Vault;
use eframe::egui;

/// Shows the settings.
pub fn show(ui: &mut egui::Ui, prefs: &mut Prefs, vault: &Vault) {
    ui.heading("设置");
    ui.add_space(8.0);
    egui::Grid::new("settings")
        .num_columns(2)
        .spacing([24.0, 12.0])
        .show(ui, |ui| {
            ui.label("外观");
            ui.horizontal(|ui| {
                ui.radio_value(&mut prefs.dark, false, "浅色");
                ui.radio_value(&mut prefs.dark, true, "深色");
            });
            ui.end_row();
            ui.label("字号");
            ui.checkbox(&mut prefs.large_text, "大字号");
            ui.end_row();
            let label = ui.label("自动锁定");
            ui.horizontal(|ui| {
                ui.add(
                    egui::DragValue::new(&mut prefs.idle_minutes)
                        .range(1..=60)
                        .suffix(" 分钟"),
                )
                .labelled_by(label.id);
                ui.label("没有操作后锁定");
            });
            ui.end_row();
            ui.label("");
            ui.checkbox(&mut prefs.lock_on_minimise, "窗口最小化时锁定");
            ui.end_row();
        });
    ui.add_space(16.0);
    ui.heading("可以打开这本台账的成员");
    for m in &vault.meta().members {
        ui.label(format!("{}（{}）", m.name, m.role));
    }
    widgets::hint(
        ui,
        "成员用命令行 sibai members 添加或删除。删除成员后台账会更换密钥，\
         但他之前复制走的文件仍能用旧密码打开。",
    );
    ui.add_space(8.0);
    widgets::hint(ui, "这些设置只保存在本机，不含任何居民信息。");
}
