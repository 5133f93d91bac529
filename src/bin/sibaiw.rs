//! `sibaiw`: the desktop app alone, the program a committee double-clicks on Windows ("w" for
//! window, as `pythonw` and `javaw`). It is built as a Windows GUI program, so no console window
//! opens beside it; `sibai` stays the console program for the commands (backup, publish,
//! import…) and opens the same app when run without one.
//!
//! It opens the committee folder it was started in (a double-click starts it in its own
//! folder), or the folder dropped on it. Nothing it prints would be seen, so a failure to open
//! the window is shown in a message box.

#![cfg_attr(windows, windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    sibai::memory::configure();
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    match sibai::gui::open_window(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("错误：{message}");
            rfd::MessageDialog::new()
                .set_level(rfd::MessageLevel::Error)
                .set_title("四百")
                .set_description(message)
                .set_buttons(rfd::MessageButtons::Ok)
                .show();
            ExitCode::FAILURE
        }
    }
}
