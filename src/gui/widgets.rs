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

/// A value masked until 显示 is clicked (and hidden again by 隐藏). `shown` is kept by the
/// caller, per value, and forgotten with the panel.
pub fn masked(ui: &mut egui::Ui, masked: &str, full: &str, shown: &mut bool) {
    ui.horizontal(|ui| {
        ui.label(if *shown { full } else { masked });
        let label = if *shown { "隐藏" } else { "显示" };
        if ui.small_button(label).clicked() {
            *shown = !*shown;
        }
    });
}

/// A big number with its caption below, for 首页.
pub fn figure(ui: &mut egui::Ui, value: &str, caption: &str) {
    ui.vertical(|ui| {
        ui.label(egui::RichText::new(value).size(28.0).strong());
        ui.label(egui::RichText::new(caption).weak());
    });
}
