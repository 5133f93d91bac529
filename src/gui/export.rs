//! Exporting an internal list to an Excel workbook (.xlsx, with `rust_xlsxwriter`): a title
//! line, the conditions, bold headings frozen at the top, one row per entry. The file is
//! plaintext by nature, so the panel says so before writing it; it is written whole to a
//! temporary file beside the target and then renamed, so a failed export leaves no half file.

use super::file_dialog::{Choose, FileChooser};
use super::print::Sheet;
use super::widgets;
use chrono::NaiveDate;
use eframe::egui;
use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

/// Where an export goes unless the user types another path: the Desktop, else Documents
/// (never the bare home folder, where nobody looks for a file), named after the list and the
/// day.
pub fn default_path(title: &str, day: &str) -> PathBuf {
    default_folder().join(format!("{}-{day}.xlsx", file_name(title)))
}

/// The folder where files are offered first (exports, the dialog to choose a folder): the
/// Desktop, else Documents.
pub fn default_folder() -> PathBuf {
    default_dir(dirs::desktop_dir(), dirs::document_dir(), dirs::home_dir())
}

/// The Desktop if it exists, else Documents if it exists, else `Documents` under the home
/// folder (where the export then says the folder is missing, so the user picks one), else the
/// current folder.
fn default_dir(
    desktop: Option<PathBuf>,
    documents: Option<PathBuf>,
    home: Option<PathBuf>,
) -> PathBuf {
    desktop
        .filter(|d| d.is_dir())
        .or_else(|| documents.filter(|d| d.is_dir()))
        .or_else(|| home.map(|h| h.join("Documents")))
        .unwrap_or_default()
}

/// A title made safe as a file name on Windows and elsewhere.
pub fn file_name(title: &str) -> String {
    let clean: String = title
        .chars()
        .map(|c| {
            if "\\/:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_matches('.').to_owned();
    if clean.is_empty() {
        "名单".to_owned()
    } else {
        clean
    }
}

/// The workbook as bytes.
pub fn workbook(sheet: &Sheet) -> Result<Vec<u8>, ExportError> {
    let failed = |e: rust_xlsxwriter::XlsxError| ExportError::Workbook(e.to_string());
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    // Sheet names: at most 31 characters, none of []:*?/\.
    let name: String = sheet
        .title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if !name.trim().is_empty() {
        ws.set_name(name.trim()).map_err(failed)?;
    }
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new()
        .set_bold()
        .set_background_color("#EEEEEE")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let cell = Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
    ws.write_string_with_format(0, 0, &sheet.title, &title)
        .map_err(failed)?;
    let about = format!(
        "{} · 条件：{} · {} · {} 导出 · 内部资料 不得外传",
        sheet.committee, sheet.conditions, sheet.date, sheet.printed_by
    );
    ws.write_string(1, 0, &about).map_err(failed)?;
    let header_row = 3;
    ws.write_string_with_format(header_row, 0, "序号", &bold)
        .map_err(failed)?;
    let mut widths = vec![6usize];
    for (c, h) in sheet.headers.iter().enumerate() {
        let col = c as u16 + 1;
        ws.write_string_with_format(header_row, col, h, &bold)
            .map_err(failed)?;
        widths.push(display_width(h));
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let at = header_row + 1 + r as u32;
        ws.write_number_with_format(at, 0, (r + 1) as f64, &cell)
            .map_err(failed)?;
        for (c, value) in row.iter().enumerate() {
            ws.write_string_with_format(at, c as u16 + 1, value, &cell)
                .map_err(failed)?;
            if let Some(w) = widths.get_mut(c + 1) {
                *w = (*w).max(display_width(value));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))
            .map_err(failed)?;
    }
    ws.set_freeze_panes(header_row + 1, 0).map_err(failed)?;
    let last_row = header_row + sheet.rows.len() as u32;
    ws.autofilter(header_row, 0, last_row, sheet.headers.len() as u16)
        .map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}

/// Width in Excel's character units: CJK characters count two.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// What can be written as a workbook: a list ([`Sheet`], one table) or a report of several
/// parts ([`super::document::Document`], one sheet each).
pub trait Exportable: Send + 'static {
    /// The workbook as bytes.
    fn workbook(&self) -> Result<Vec<u8>, ExportError>;
}

impl Exportable for Sheet {
    fn workbook(&self) -> Result<Vec<u8>, ExportError> {
        workbook(self)
    }
}

impl Exportable for super::document::Document {
    fn workbook(&self) -> Result<Vec<u8>, ExportError> {
        super::document::workbook(self)
    }
}

/// Why an export could not be written, each saying what to do.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ExportError {
    /// The name does not end in .xlsx.
    #[error("文件名应以 .xlsx 结尾。")]
    NotXlsx,
    /// The folder is not there.
    #[error("文件夹不存在：{0}")]
    NoFolder(PathBuf),
    /// The workbook could not be made.
    #[error("无法生成 Excel 文件：{0}")]
    Workbook(String),
    /// The file could not be written.
    #[error("无法写入 {path}：{detail}。如果这个文件正在 Excel 中打开，请先关闭它再导出。")]
    Write {
        /// The file.
        path: PathBuf,
        /// The system's message.
        detail: String,
    },
}

/// The export being set up under a list or a report: where to (the Desktop or Documents,
/// named after the title and the day, or a path typed or chosen), whether a file is there
/// already (looked up when the path changes, not every frame, and said on the button), and
/// the workbook being written on a background thread.
pub struct ExportForm {
    path: String,
    exists: Option<(String, bool)>,
    /// The workbook being written: what it will report.
    writing: Option<Receiver<Result<String, String>>>,
    /// The system's dialog to choose where it goes.
    chooser: FileChooser,
}

impl ExportForm {
    /// A form for exporting `title` on `today`.
    pub fn new(title: &str, today: NaiveDate) -> ExportForm {
        let day = today.format("%Y%m%d").to_string();
        ExportForm {
            path: default_path(title, &day).display().to_string(),
            exists: None,
            writing: None,
            chooser: FileChooser::default(),
        }
    }

    /// Shows the form; `sheet` makes what is written when 导出 is clicked. Returns how it
    /// ended: `Ok` with what to say (empty when cancelled), or `Err` with why it failed (the
    /// form stays open to try again).
    pub fn show<E: Exportable>(
        &mut self,
        ui: &mut egui::Ui,
        sheet: impl FnOnce() -> E,
    ) -> Option<Result<String, String>> {
        let mut done = None;
        if let Some(rx) = &self.writing {
            match rx.try_recv() {
                Ok(result) => {
                    self.writing = None;
                    done = Some(result);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.writing = None;
                    done = Some(Err("导出意外中断，请再试一次。".to_owned()));
                }
            }
        }
        let busy = self.writing.is_some();
        ui.horizontal(|ui| {
            widgets::text_field(ui, "导出到", &mut self.path, "", 420.0);
            let typed = Path::new(self.path.trim());
            let start = typed
                .parent()
                .filter(|d| d.is_dir())
                .map_or_else(default_folder, Path::to_path_buf);
            let name = typed
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(mut chosen) =
                self.chooser
                    .button(ui, "选择…", Choose::SaveXlsx(&name), &start)
            {
                if chosen.extension().is_none() {
                    chosen.set_extension("xlsx");
                }
                self.path = chosen.display().to_string();
            }
            // Replacing a file is said on the button.
            let path = self.path.trim();
            if self.exists.as_ref().is_none_or(|(p, _)| p != path) {
                let there = Path::new(path).is_file();
                self.exists = Some((path.to_owned(), there));
            }
            let exists = self.exists.as_ref().is_some_and(|(_, there)| *there);
            let label = if exists {
                "覆盖同名文件并导出"
            } else {
                "导出"
            };
            if ui.add_enabled(!busy, egui::Button::new(label)).clicked() {
                // Written on a thread: a long list makes a large workbook.
                let sheet = sheet();
                let path = PathBuf::from(self.path.trim());
                let started = super::in_background("export", ui.ctx(), move || {
                    write(&sheet, &path)
                        .map(|()| format!("已导出到 {}", path.display()))
                        .map_err(|e| e.to_string())
                });
                match started {
                    Ok(rx) => self.writing = Some(rx),
                    Err(e) => {
                        done = Some(Err(format!("无法开始导出：{}", crate::store::io_text(&e))));
                    }
                }
            }
            if busy {
                ui.spinner();
                ui.label("正在导出……");
            } else if ui.button("取消").clicked() {
                done = Some(Ok(String::new()));
            }
        });
        widgets::hint(
            ui,
            "Excel 文件不加密：请存在本机，用完删除，不要通过微信等转发。",
        );
        done
    }
}

/// An export under a list or a report: the form while it is open, then what it said (where the
/// file went, or why it was not written). The panels that export hold one of these.
#[derive(Default)]
pub struct ExportSlot {
    form: Option<ExportForm>,
    said: Option<Result<String, String>>,
}

impl ExportSlot {
    /// Opens the form for exporting `title` on `today`.
    pub fn open(&mut self, title: &str, today: NaiveDate) {
        self.form = Some(ExportForm::new(title, today));
        self.said = None;
    }

    /// Shows the form while it is open, then what it said; `make` makes what is written.
    /// Returns true on the frame a file was written.
    pub fn show<E: Exportable>(&mut self, ui: &mut egui::Ui, make: impl FnOnce() -> E) -> bool {
        let mut written = false;
        if let Some(form) = &mut self.form {
            match form.show(ui, make) {
                Some(Ok(m)) => {
                    self.form = None;
                    written = !m.is_empty();
                    self.said = written.then_some(Ok(m));
                }
                Some(Err(e)) => self.said = Some(Err(e)),
                None => {}
            }
        }
        match &self.said {
            Some(Ok(m)) => widgets::hint(ui, m),
            Some(Err(e)) => widgets::error(ui, e),
            None => {}
        }
        written
    }
}

/// Writes the workbook to `path`.
pub fn write(sheet: &impl Exportable, path: &Path) -> Result<(), ExportError> {
    if path.extension().and_then(|e| e.to_str()) != Some("xlsx") {
        return Err(ExportError::NotXlsx);
    }
    let Some(dir) = path.parent().filter(|d| d.is_dir()) else {
        return Err(ExportError::NoFolder(
            path.parent().unwrap_or(path).to_path_buf(),
        ));
    };
    let bytes = sheet.workbook()?;
    let temp = dir.join(format!(
        ".{}.partial",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("export")
    ));
    let written = std::fs::write(&temp, &bytes).and_then(|()| std::fs::rename(&temp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        ExportError::Write {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_go_to_the_desktop_or_documents_never_the_bare_home_folder() {
        let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let desktop = home.path().join("Desktop");
        let documents = home.path().join("文档");
        let dir = |d: &Path, n: &Path, h: &Path| {
            default_dir(
                Some(d.to_path_buf()),
                Some(n.to_path_buf()),
                Some(h.to_path_buf()),
            )
        };
        // Neither exists: Documents under home, not home itself.
        assert_eq!(
            dir(&desktop, &documents, home.path()),
            home.path().join("Documents")
        );
        std::fs::create_dir(&documents).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(dir(&desktop, &documents, home.path()), documents);
        std::fs::create_dir(&desktop).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(dir(&desktop, &documents, home.path()), desktop);
    }

    #[test]
    fn file_names_lose_the_characters_windows_refuses() {
        assert_eq!(file_name("独居老人/30天:未走访?"), "独居老人_30天_未走访_");
        assert_eq!(file_name(" .. "), "名单");
    }
}
