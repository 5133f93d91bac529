//! The unlock screen: pick the member, type the passphrase (hidden unless asked), unlock on a
//! background thread with a spinner. Wrong passphrases and damaged files are explained in
//! Chinese; "忘记密码" explains the recovery passphrase. When the passphrase was right but a
//! ledger file is damaged, "从备份恢复" opens the restore screen (`gui::restore`).

use super::restore::{RestoreScreen, RestoreStep};
use super::widgets;
use crate::store::{LoadScope, SecretString, StoreError, Unlocked, Vault, VaultOptions, read_meta};
use chrono::Datelike;
use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use zeroize::Zeroize;

/// State of the unlock screen.
pub struct UnlockScreen {
    dir: PathBuf,
    committee: String,
    members: Vec<String>,
    member: usize,
    passphrase: String,
    show: bool,
    forgot: bool,
    error: Option<String>,
    /// What just happened that is not an error (a restore done).
    notice: Option<String>,
    job: Option<Receiver<Result<Vault, Failed>>>,
    /// The key, kept after a failure that restoring fixes (for 从备份恢复).
    restorable: Option<Box<Unlocked>>,
    /// The restore screen, when open.
    restore: Option<RestoreScreen>,
    /// Why the folder cannot be opened at all (no vault, unreadable members file).
    blocked: Option<String>,
    /// The passphrase field takes the keyboard once: when the screen appears and after a
    /// failed attempt. Asking every frame interrupts the input method each frame, and on X11
    /// that made the window repaint without pause and drop every click and key (egui
    /// `Memory::request_focus` calls `interrupt_ime`; egui-winit then toggles
    /// `set_ime_allowed` off and on).
    focus_pending: bool,
    /// The passphrase field, once drawn (for the debug trace).
    field: Option<egui::Id>,
}

/// An unlock that failed: why, and the key when the passphrase was right and restoring an
/// earlier save fixes what is wrong.
struct Failed {
    error: StoreError,
    key: Option<Box<Unlocked>>,
}

impl UnlockScreen {
    /// The screen for the vault in `dir`, with `last` preselected when it is a member.
    pub fn new(dir: &Path, last: Option<&str>, reason: Option<String>) -> UnlockScreen {
        let (committee, members, blocked) = match read_meta(dir) {
            Ok(meta) => (
                meta.committee.clone(),
                meta.members.iter().map(|m| m.name.clone()).collect(),
                None,
            ),
            Err(StoreError::NotAVault(_)) => (
                String::new(),
                Vec::new(),
                Some(format!(
                    "文件夹 {} 里找不到台账，可能被移走或删除了。请确认台账文件夹还在，\
                     然后关闭并重新打开程序。",
                    dir.display()
                )),
            ),
            Err(e) => (String::new(), Vec::new(), Some(e.to_string())),
        };
        let member = last
            .and_then(|l| members.iter().position(|m| m == l))
            .unwrap_or(0);
        UnlockScreen {
            dir: dir.to_path_buf(),
            committee,
            members,
            member,
            passphrase: String::new(),
            show: false,
            forgot: false,
            error: reason,
            notice: None,
            job: None,
            restorable: None,
            restore: None,
            blocked,
            focus_pending: true,
            field: None,
        }
    }

    /// One line for the debug trace (`SIBAI_TRACE`): what the screen shows, no secret.
    pub fn trace_state(&self, ctx: &egui::Context) -> String {
        let focused = self.field.is_some_and(|id| ctx.memory(|m| m.has_focus(id)));
        format!(
            "screen=unlock member={} focus={} typed={} busy={} error={}",
            self.member().unwrap_or("-"),
            focused,
            !self.passphrase.is_empty(),
            self.job.is_some(),
            self.error.is_some()
        )
    }

    /// The member chosen.
    pub fn member(&self) -> Option<&str> {
        self.members.get(self.member).map(String::as_str)
    }

    fn start(&mut self, ctx: &egui::Context, options: VaultOptions) {
        let Some(member) = self.member().map(str::to_owned) else {
            return;
        };
        if self.passphrase.is_empty() {
            self.error = Some("请输入密码。".into());
            self.focus_pending = true;
            return;
        }
        let pass = SecretString::from(std::mem::take(&mut self.passphrase));
        let dir = self.dir.clone();
        let spawned = super::in_background("unlock", ctx, move || {
            // The start scope: what the home screen needs; the rest loads afterwards.
            let key = Unlocked::with_passphrase(&dir, &member, &pass, options)
                .map_err(|error| Failed { error, key: None })?;
            // The home screen first; the rest is read while it is up.
            let this_year = chrono::Local::now().year();
            key.clone()
                .load_scope(LoadScope::First(Box::new(move |on_disk| {
                    crate::model::home_first(on_disk, this_year)
                })))
                .map_err(|error| Failed {
                    key: error.is_fixed_by_restore().then(|| Box::new(key)),
                    error,
                })
        });
        match spawned {
            Ok(rx) => {
                self.error = None;
                self.notice = None;
                self.job = Some(rx);
            }
            Err(e) => self.error = Some(format!("无法启动解锁：{}", crate::store::io_text(&e))),
        }
    }

    /// The unlock under way, if it has ended: the vault, or the error to show.
    fn poll(&mut self) -> Option<Vault> {
        if let Some(rx) = &self.job {
            match rx.try_recv() {
                Ok(Ok(vault)) => {
                    self.job = None;
                    return Some(vault);
                }
                Ok(Err(Failed { error, key })) => {
                    self.job = None;
                    self.error = Some(error.to_string());
                    self.restorable = key;
                    self.focus_pending = true;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.job = None;
                    self.error = Some("解锁意外中断，请再试一次。".into());
                    self.focus_pending = true;
                }
            }
        }
        None
    }

    /// Opens 从备份恢复 with a key already unlocked (the ledger was open).
    pub fn open_restore(&mut self, ctx: &egui::Context, key: Unlocked, reason: String) {
        self.restore = Some(RestoreScreen::new(ctx, key, reason));
    }

    /// The restore screen in place of the form, until it goes back.
    fn show_restore(&mut self, ui: &mut egui::Ui) {
        if let Some(screen) = &mut self.restore {
            let mut step = RestoreStep::Stay;
            egui::CentralPanel::default()
                .frame(egui::Frame::central_panel(ui.style()).inner_margin(24.0))
                .show(ui, |ui| {
                    ui.set_max_width(960.0);
                    step = screen.show(ui);
                });
            if let RestoreStep::Back(message) = step {
                self.restore = None;
                if message.is_some() {
                    // Restored: the key is unlocked again with the passphrase typed anew.
                    self.restorable = None;
                    self.error = None;
                    self.notice = message;
                }
                self.focus_pending = true;
                ui.ctx().request_repaint();
            }
        }
    }

    /// Shows the screen; returns the vault once unlocked.
    pub fn show(&mut self, ui: &mut egui::Ui, options: &VaultOptions) -> Option<Vault> {
        if let Some(vault) = self.poll() {
            return Some(vault);
        }
        if self.restore.is_some() {
            self.show_restore(ui);
            return None;
        }
        let busy = self.job.is_some();
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() * 0.15);
                ui.heading(if self.committee.is_empty() {
                    "四百 · 居委会台账".to_owned()
                } else {
                    format!("{} · 台账", self.committee)
                });
                ui.label(format!("台账文件夹：{}", self.dir.display()));
                ui.add_space(16.0);
            });
            if let Some(reason) = &self.blocked {
                ui.vertical_centered(|ui| {
                    widgets::error(ui, reason);
                });
                return;
            }
            let width = 360.0_f32.min(ui.available_width());
            ui.vertical_centered(|ui| {
                ui.set_max_width(width);
                egui::Grid::new("unlock")
                    .num_columns(2)
                    .spacing([12.0, 12.0])
                    .show(ui, |ui| {
                        let label = ui.label("成员");
                        let current = self.member().unwrap_or("（无成员）").to_owned();
                        ui.add_enabled_ui(!busy, |ui| {
                            egui::ComboBox::from_id_salt("member")
                                .selected_text(current)
                                .width(220.0)
                                .show_ui(ui, |ui| {
                                    for (i, m) in self.members.iter().enumerate() {
                                        ui.selectable_value(&mut self.member, i, m);
                                    }
                                })
                                .response
                                .labelled_by(label.id);
                        });
                        ui.end_row();
                        let label = ui.label("密码");
                        let field = ui.add_enabled(
                            !busy,
                            egui::TextEdit::singleline(&mut self.passphrase)
                                .password(!self.show)
                                .desired_width(220.0),
                        );
                        let field = field.labelled_by(label.id);
                        self.field = Some(field.id);
                        if self.focus_pending && !busy {
                            field.request_focus();
                            self.focus_pending = false;
                        }
                        // A single-line field gives up the keyboard on Enter: Enter in the
                        // field (focused, or just left by that Enter) unlocks.
                        let entered = (field.has_focus() || field.lost_focus())
                            && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        ui.end_row();
                        ui.label("");
                        ui.checkbox(&mut self.show, "显示密码");
                        ui.end_row();
                        ui.label("");
                        ui.horizontal(|ui| {
                            let clicked = ui
                                .add_enabled(
                                    !busy,
                                    egui::Button::new("解锁").min_size([96.0, 32.0].into()),
                                )
                                .clicked();
                            if (clicked || entered) && !busy {
                                self.start(ui.ctx(), options.clone());
                            }
                            if self.job.is_some() {
                                ui.spinner();
                                ui.label("正在解锁……");
                            }
                        });
                        ui.end_row();
                    });
                self.messages(ui, busy);
            });
        });
        None
    }

    /// Under the form: what happened (a restore), the error with 从备份恢复 when restoring
    /// fixes it, and 忘记密码.
    fn messages(&mut self, ui: &mut egui::Ui, busy: bool) {
        if let Some(n) = &self.notice {
            ui.add_space(8.0);
            ui.label(egui::RichText::new(n).strong());
        }
        if let Some(e) = &self.error {
            ui.add_space(8.0);
            widgets::error(ui, e);
            if let Some(key) = &self.restorable
                && ui
                    .add_enabled(!busy, egui::Button::new("从备份恢复"))
                    .clicked()
            {
                self.restore = Some(RestoreScreen::new(ui.ctx(), (**key).clone(), e.clone()));
            }
        }
        ui.add_space(12.0);
        if ui.link("忘记密码？").clicked() {
            self.forgot = !self.forgot;
        }
        if self.forgot {
            ui.label(
                "密码无法找回，但可以重设：建台账时打印的“恢复密码”（五个一组的字母数字）\
                 由书记或主任保管。请他们在命令行运行 sibai members passwd 你的姓名 \
                 --recovery 台账文件夹，输入恢复密码后为你设置新密码。其他成员的密码不受影响。",
            );
        }
    }
}

impl Drop for UnlockScreen {
    fn drop(&mut self) {
        self.passphrase.zeroize();
    }
}
