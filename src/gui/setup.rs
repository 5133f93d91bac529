//! 新建台账: the first-run wizard, shown when the folder holds no ledger. The committee's name,
//! its members with their roles and passphrases (typed twice, hidden unless asked); the vault
//! is created on a background thread (a key per member takes a moment); then the recovery
//! passphrase is shown once, with 打印 (through the browser, never a file) and a box to tick
//! that it was written down, before the wizard hands over to the unlock screen.

use super::file_dialog::{Choose, FileChooser};
use super::{print, widgets};
use crate::model::Role;
use crate::store::{ExposeSecret, NewMember, SecretString, StoreError, Vault, VaultOptions};
use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use zeroize::Zeroize;

/// The folder a new ledger goes in when the chosen one already holds other files (the program
/// itself, say): a subfolder of it, which the app also looks in when it starts.
pub use crate::store::LEDGER_SUBFOLDER as SUBFOLDER;

/// Where the ledger for `dir` is created: `dir` itself when it is empty or does not exist yet,
/// else its subfolder [`SUBFOLDER`].
pub fn target(dir: &Path) -> PathBuf {
    if empty_or_missing(dir) {
        dir.to_path_buf()
    } else {
        dir.join(SUBFOLDER)
    }
}

/// Whether a folder has nothing in it yet (or is not there).
fn empty_or_missing(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => !dir.exists(),
    }
}

/// A member as typed.
struct MemberRow {
    name: String,
    role: Option<Role>,
    passphrase: String,
    again: String,
}

impl MemberRow {
    fn new(role: Role) -> MemberRow {
        MemberRow {
            name: String::new(),
            role: Some(role),
            passphrase: String::new(),
            again: String::new(),
        }
    }
}

impl Drop for MemberRow {
    fn drop(&mut self) {
        self.passphrase.zeroize();
        self.again.zeroize();
    }
}

/// Where the wizard is.
enum Step {
    /// Filling the form.
    Form,
    /// Creating the vault.
    Creating(Receiver<Result<String, StoreError>>),
    /// The recovery passphrase, shown once.
    Recovery {
        /// The passphrase (wiped when the wizard is done).
        text: String,
        /// Ticked: it was written down.
        written: bool,
        /// What 打印 said.
        printed: Option<Result<print::Opened, print::PrintError>>,
    },
}

/// What the wizard finished with.
pub enum Done {
    /// The ledger was made in this folder; its first member should unlock.
    Created(PathBuf, String),
}

/// State of the wizard.
pub struct SetupWizard {
    dir: PathBuf,
    committee: String,
    members: Vec<MemberRow>,
    show: bool,
    error: Option<String>,
    step: Step,
    /// The system's dialog to choose another folder.
    chooser: FileChooser,
}

impl SetupWizard {
    /// The wizard for a new ledger in (or under) `dir`.
    pub fn new(dir: &Path) -> SetupWizard {
        // Shown to people: a full path, not ".".
        let dir = target(dir);
        SetupWizard {
            dir: std::path::absolute(&dir).unwrap_or(dir),
            committee: String::new(),
            members: vec![MemberRow::new(Role::Secretary)],
            show: false,
            error: None,
            step: Step::Form,
            chooser: FileChooser::default(),
        }
    }

    /// What is wrong with the form, in Chinese; or the members to create.
    fn check(&self) -> Result<Vec<NewMember>, String> {
        if self.committee.trim().is_empty() {
            return Err("请填写居委会名称。".to_owned());
        }
        // Never mix a ledger into somebody's own folder (a 台账 folder of documents, say).
        if !empty_or_missing(&self.dir) {
            return Err(format!(
                "文件夹 {} 里已经有别的文件，台账不能建在这里。请换一个空文件夹打开程序。",
                self.dir.display()
            ));
        }
        let mut out = Vec::new();
        for (i, m) in self.members.iter().enumerate() {
            let n = i + 1;
            if m.name.trim().is_empty() {
                return Err(format!("第 {n} 位成员还没有填姓名。"));
            }
            if m.passphrase.is_empty() {
                return Err(format!("请为{}设置密码。", m.name.trim()));
            }
            if m.passphrase != m.again {
                return Err(format!("{}两次输入的密码不一致。", m.name.trim()));
            }
            out.push(NewMember {
                name: m.name.trim().to_owned(),
                role: m.role.map(Role::label).unwrap_or("社工").to_owned(),
                passphrase: SecretString::from(m.passphrase.clone()),
            });
        }
        Ok(out)
    }

    fn start(&mut self, ctx: &egui::Context, options: &VaultOptions) {
        let members = match self.check() {
            Ok(m) => m,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        let (dir, committee, options) = (
            self.dir.clone(),
            self.committee.trim().to_owned(),
            options.clone(),
        );
        let spawned = super::in_background("init", ctx, move || {
            Vault::init(&dir, &committee, &members, options)
                .map(|(_vault, recovery)| recovery.0.expose_secret().to_owned())
        });
        match spawned {
            Ok(rx) => {
                self.error = None;
                self.step = Step::Creating(rx);
            }
            Err(e) => self.error = Some(format!("无法开始创建台账：{}", crate::store::io_text(&e))),
        }
    }

    /// Shows the wizard; returns what it finished with.
    pub fn show(&mut self, ui: &mut egui::Ui, options: &VaultOptions) -> Option<Done> {
        if let Step::Creating(rx) = &self.step {
            match rx.try_recv() {
                Ok(Ok(text)) => {
                    self.step = Step::Recovery {
                        text,
                        written: false,
                        printed: None,
                    };
                }
                Ok(Err(e)) => {
                    self.step = Step::Form;
                    self.error = Some(e.to_string());
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.step = Step::Form;
                    self.error = Some("创建台账意外中断，请再试一次。".to_owned());
                }
            }
        }
        let mut done = None;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                // A left-aligned column in the middle of the window.
                let width = 640.0_f32.min(ui.available_width());
                let margin = ((ui.available_width() - width) / 2.0).max(0.0);
                ui.horizontal_top(|ui| {
                    ui.add_space(margin);
                    ui.vertical(|ui| {
                        ui.set_width(width);
                        ui.add_space(24.0);
                        ui.heading("新建居委会台账");
                        let made = matches!(self.step, Step::Recovery { .. });
                        let verb = if made {
                            "台账已保存在"
                        } else {
                            "台账将保存在"
                        };
                        ui.label(format!("{verb}：{}", self.dir.display()));
                        if !made
                            && let Some(chosen) = self.chooser.button(
                                ui,
                                "换一个文件夹…",
                                Choose::Folder,
                                &super::export::default_folder(),
                            )
                        {
                            let dir = target(&chosen);
                            self.dir = std::path::absolute(&dir).unwrap_or(dir);
                        }
                        ui.add_space(12.0);
                        match &mut self.step {
                            Step::Form | Step::Creating(_) => self.form(ui, options),
                            Step::Recovery { .. } => done = self.recovery(ui),
                        }
                    });
                });
            });
        });
        done
    }

    fn form(&mut self, ui: &mut egui::Ui, options: &VaultOptions) {
        let busy = matches!(self.step, Step::Creating(_));
        ui.add_enabled_ui(!busy, |ui| {
            egui::Grid::new("setup_committee")
                .num_columns(2)
                .spacing([12.0, 10.0])
                .show(ui, |ui| {
                    widgets::text_field(ui, "居委会名称", &mut self.committee, "如 樱园居委会", 260.0);
                    ui.end_row();
                });
            ui.add_space(12.0);
            ui.strong("成员（每人一个密码，解锁时选自己的名字）");
            widgets::hint(
                ui,
                "建议密码至少 8 位，字母和数字混合；不要几个人共用一个密码。以后可在命令行增减成员。",
            );
            let mut remove = None;
            let count = self.members.len();
            for (i, m) in self.members.iter_mut().enumerate() {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    // Rows rather than a grid: a grid sizes its inner columns from the
                    // previous frame, which leaves text fields narrow.
                    ui.horizontal(|ui| {
                        widgets::text_field(ui, "姓名", &mut m.name, "", 140.0);
                        ui.add_space(12.0);
                        let l = ui.label("职务");
                        let current = m.role.map_or("请选择", Role::label);
                        egui::ComboBox::from_id_salt(("setup_role", i))
                            .selected_text(current)
                            .show_ui(ui, |ui| {
                                for r in Role::ALL {
                                    ui.selectable_value(&mut m.role, Some(r), r.label());
                                }
                            })
                            .response
                            .labelled_by(l.id);
                    });
                    ui.horizontal(|ui| {
                        let l = ui.label("密码");
                        ui.add(
                            egui::TextEdit::singleline(&mut m.passphrase)
                                .password(!self.show)
                                .desired_width(140.0),
                        )
                        .labelled_by(l.id);
                        ui.add_space(12.0);
                        let l = ui.label("再输一次");
                        ui.add(
                            egui::TextEdit::singleline(&mut m.again)
                                .password(!self.show)
                                .desired_width(140.0),
                        )
                        .labelled_by(l.id);
                    });
                    if count > 1 && ui.small_button("删除这位成员").clicked() {
                        remove = Some(i);
                    }
                });
            }
            if let Some(i) = remove {
                self.members.remove(i);
            }
            ui.horizontal(|ui| {
                if ui.button("添加成员").clicked() {
                    self.members.push(MemberRow::new(Role::SocialWorker));
                }
                ui.checkbox(&mut self.show, "显示密码");
            });
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let create = egui::Button::new("创建台账").min_size(egui::vec2(120.0, 34.0));
                if ui.add(create).clicked() {
                    self.start(ui.ctx(), options);
                }
            });
        });
        if busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("正在创建台账，为每位成员生成密钥，需要几秒钟……");
            });
        }
        if let Some(e) = &self.error {
            widgets::error(ui, e);
        }
    }

    fn recovery(&mut self, ui: &mut egui::Ui) -> Option<Done> {
        let Step::Recovery {
            text,
            written,
            printed,
        } = &mut self.step
        else {
            return None;
        };
        ui.label(format!("“{}”的台账已建好。", self.committee.trim()));
        ui.add_space(12.0);
        ui.strong("恢复密码（只显示这一次）");
        ui.add_space(6.0);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(egui::RichText::new(text.as_str()).monospace().size(24.0));
        });
        ui.add_space(6.0);
        ui.label(
            "成员忘记密码时，要用它来重设。请现在抄在纸上或打印出来，交给书记或主任锁进保险柜；\
             不要拍照、不要存在电脑或手机里。丢了它，又没有人记得自己的密码，台账就再也打不开了。",
        );
        ui.add_space(8.0);
        if ui.button("打印恢复密码").clicked() {
            let page = print::recovery_page(self.committee.trim(), text);
            *printed = Some(page.and_then(print::open));
        }
        if let Some(opened) = printed {
            print::show_opened(ui, opened);
        }
        ui.add_space(8.0);
        ui.checkbox(written, "我已抄写或打印好恢复密码，并交给书记或主任保管");
        let finish = egui::Button::new("完成，去解锁").min_size(egui::vec2(140.0, 34.0));
        if ui.add_enabled(*written, finish).clicked() {
            text.zeroize();
            let first = self.members.first().map(|m| m.name.trim().to_owned());
            return Some(Done::Created(self.dir.clone(), first.unwrap_or_default()));
        }
        None
    }
}

impl Drop for SetupWizard {
    fn drop(&mut self) {
        if let Step::Recovery { text, .. } = &mut self.step {
            text.zeroize();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_goes_in_an_empty_or_new_folder_else_in_a_subfolder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(target(dir.path()), dir.path());
        let new = dir.path().join("新台账");
        assert_eq!(target(&new), new);
        std::fs::write(dir.path().join("sibai.exe"), b"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(target(dir.path()), dir.path().join(SUBFOLDER));
        // A 台账 folder of someone's own documents: the wizard refuses to write into it.
        let own = dir.path().join(SUBFOLDER);
        std::fs::create_dir(&own).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(own.join("工作计划.docx"), b"").unwrap_or_else(|e| panic!("{e}"));
        let mut wizard = SetupWizard::new(dir.path());
        wizard.committee = "樱园居委会".into();
        let e = wizard.check().err().unwrap_or_default();
        assert!(e.contains("已经有别的文件"), "{e}");
    }
}
