//! Chinese text in the app: egui's own fonts have no Chinese, so a CJK font is found among the
//! system's fonts with `fontdb` and put first in egui's families. Without one, every character
//! would show as a box: the app then says, in Chinese, which font to install.

use eframe::egui;
use std::sync::Arc;

/// Families tried in order: Windows, Linux (Debian's fonts-noto-cjk, then WenQuanYi), macOS.
/// fontdb lists each face of a collection under its own names, so "Noto Sans CJK SC" is the
/// Simplified Chinese face of the Noto collection (face 2), not the Japanese one (face 0).
const FAMILIES: &[&str] = &[
    "Microsoft YaHei",
    "Microsoft YaHei UI",
    "SimHei",
    "DengXian",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
];

/// What to install when no Chinese font is found.
pub const MISSING: &str = "没有找到中文字体，界面上的汉字会显示成方框。请安装中文字体后重新打开：\
Windows 自带“微软雅黑”；Debian/Ubuntu 请安装 fonts-noto-cjk（sudo apt install fonts-noto-cjk）\
或 fonts-wqy-microhei；macOS 自带“苹方”。";

/// A CJK font found on the system.
pub struct CjkFont {
    /// The family it was found under.
    pub family: String,
    data: Vec<u8>,
    index: u32,
}

/// Looks for a CJK font among the system fonts.
pub fn find() -> Option<CjkFont> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    for family in FAMILIES {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            weight: fontdb::Weight::NORMAL,
            ..fontdb::Query::default()
        };
        let Some(id) = db.query(&query) else {
            continue;
        };
        if let Some((data, index)) = db.with_face_data(id, |data, index| (data.to_vec(), index)) {
            return Some(CjkFont {
                family: (*family).to_owned(),
                data,
                index,
            });
        }
    }
    None
}

/// Puts `font` first in egui's proportional and monospace families (Latin letters keep egui's
/// own monospace font).
pub fn install(ctx: &egui::Context, font: CjkFont) {
    let mut defs = egui::FontDefinitions::default();
    defs.font_data.insert(
        "cjk".to_owned(),
        Arc::new(egui::FontData::from_blob(Arc::new(font.data), font.index)),
    );
    if let Some(list) = defs.families.get_mut(&egui::FontFamily::Proportional) {
        list.insert(0, "cjk".to_owned());
    }
    if let Some(list) = defs.families.get_mut(&egui::FontFamily::Monospace) {
        list.push("cjk".to_owned());
    }
    ctx.set_fonts(defs);
}
