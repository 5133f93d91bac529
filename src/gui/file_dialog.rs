//! The system's own dialog to choose a folder or where to save a file (rfd: the Windows and
//! macOS dialogs, the desktop portal or zenity on Linux), as office staff know it from every
//! other program. The dialog is asked for on the UI thread and awaited on a named thread, so
//! the window keeps drawing while it is open; typing a path by hand always works too.

use super::widgets;
use eframe::egui;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// What the dialog chooses.
pub enum Choose<'a> {
    /// A folder.
    Folder,
    /// Where to save an Excel workbook, suggesting this file name.
    SaveXlsx(&'a str),
    /// A spreadsheet to import (.xlsx, .xls, .csv).
    OpenSheet,
}

/// A 选择… button and the dialog it opened, if any.
#[derive(Default)]
pub struct FileChooser {
    pending: Option<Receiver<Option<PathBuf>>>,
    /// When the dialog was asked for.
    since: Option<Instant>,
    error: Option<String>,
}

/// Nobody closes a dialog this fast: an answer sooner means it never showed (on Linux, no
/// desktop portal and no zenity).
const TOO_FAST: Duration = Duration::from_millis(400);

type Pick = Pin<Box<dyn Future<Output = Option<rfd::FileHandle>> + Send>>;

impl FileChooser {
    /// Shows the button labelled `label`; a click opens the dialog in `start` (a folder). Returns
    /// the path on the frame the user chooses one; cancelling returns nothing.
    pub fn button(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        what: Choose<'_>,
        start: &Path,
    ) -> Option<PathBuf> {
        let mut chosen = None;
        if let Some(rx) = &self.pending {
            match rx.try_recv() {
                Ok(path) => {
                    self.pending = None;
                    let quick = self.since.is_some_and(|t| t.elapsed() < TOO_FAST);
                    if path.is_none() && quick {
                        self.error = Some(NO_DIALOG.to_owned());
                    }
                    chosen = path;
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.pending = None;
                    self.error = Some(NO_DIALOG.to_owned());
                }
            }
        }
        let open = self.pending.is_none();
        if ui.add_enabled(open, egui::Button::new(label)).clicked() {
            self.error = None;
            let dialog = rfd::AsyncFileDialog::new().set_directory(start);
            let pick: Pick = match what {
                Choose::Folder => Box::pin(dialog.set_title("选择文件夹").pick_folder()),
                Choose::SaveXlsx(name) => Box::pin(
                    dialog
                        .set_title("导出到")
                        .add_filter("Excel 工作簿", &["xlsx"])
                        .set_file_name(name)
                        .save_file(),
                ),
                Choose::OpenSheet => Box::pin(
                    dialog
                        .set_title("选择要导入的表格")
                        .add_filter("Excel 或 CSV 表格", &["xlsx", "xls", "csv"])
                        .pick_file(),
                ),
            };
            let waiting = super::in_background("file-dialog", ui.ctx(), move || {
                pollster::block_on(pick).map(|h| h.path().to_path_buf())
            });
            match waiting {
                Ok(rx) => {
                    self.pending = Some(rx);
                    self.since = Some(Instant::now());
                }
                Err(_) => self.error = Some(NO_DIALOG.to_owned()),
            }
        }
        if self.pending.is_some() {
            widgets::hint(ui, "请在弹出的窗口中选择。");
        }
        if let Some(e) = &self.error {
            widgets::error(ui, e);
        }
        chosen
    }
}

const NO_DIALOG: &str =
    "系统的选择窗口没有打开（这台电脑可能缺少它），请直接输入或使用现在的位置。";
