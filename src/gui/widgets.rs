//! Small widget functions shared by the panels: error and notice lines, a masked value with a
//! 显示 button, a figure with its caption.

use eframe::egui;

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
