//! 设置: the look (light or dark, larger text) and the idle lock, 备份到U盘 (the whole ledger as
//! one checked file on a USB stick) and the size of the backups kept, who can open this ledger,
//! the committee's visit interval for each kind of special household and its satisfaction
//! threshold for projects (kept in the ledger, undoable). Preferences are remembered on this PC only and never hold resident data.

use super::file_dialog::{Choose, FileChooser};
use super::widgets;
use super::{Action, Prefs};
use crate::model::draft::visit_intervals;
use crate::model::{DEFAULT_INTERVAL_DAYS, Edit, INTERVAL_DIMENSIONS, TagDimension};
use crate::store::{ArchiveReport, StoreError, Vault};
use eframe::egui;
use std::sync::mpsc::{Receiver, TryRecvError};

/// The visit intervals being edited: tag, days as typed.
#[derive(Default)]
pub struct SettingsPanel {
    intervals: Option<Vec<(TagDimension, String, String)>>,
    /// The satisfaction threshold being edited.
    threshold: Option<u32>,
    message: Option<Result<String, String>>,
    /// The backups' size and file count, and when they were measured.
    backups: Option<((u64, usize), std::time::Instant)>,
    /// 备份到U盘: the folder typed or chosen, the dialog, the job and how it went.
    usb_folder: String,
    usb_chooser: FileChooser,
    archiving: Option<Receiver<Result<ArchiveReport, StoreError>>>,
    archived: Option<Result<String, String>>,
}

impl SettingsPanel {
    /// A backup to a USB stick is being written.
    pub fn archive_started(&mut self, rx: Receiver<Result<ArchiveReport, StoreError>>) {
        self.archiving = Some(rx);
        self.archived = None;
    }

    /// A backup to a USB stick could not start or finish.
    pub fn archive_failed(&mut self, why: String) {
        self.archiving = None;
        self.archived = Some(Err(why));
    }

    /// Forgets the draft (the ledger changed, e.g. by undo).
    pub fn invalidate(&mut self) {
        self.intervals = None;
        self.threshold = None;
    }

    /// Shows the settings.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        prefs: &mut Prefs,
        vault: &Vault,
        actions: &mut Vec<Action>,
    ) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            look(ui, prefs);
            ui.add_space(16.0);
            self.usb(ui, vault, actions);
            ui.add_space(16.0);
            self.backups(ui, vault);
            ui.add_space(16.0);
            members(ui, vault);
            ui.add_space(16.0);
            self.intervals(ui, vault, actions);
            ui.add_space(16.0);
            self.threshold(ui, vault, actions);
        });
    }

    /// 实事项目满意度整改线: below it in any dimension, a project is rectified and surveyed
    /// again.
    fn threshold(&mut self, ui: &mut egui::Ui, vault: &Vault, actions: &mut Vec<Action>) {
        let saved = vault.ledger().committee.satisfaction_threshold;
        let draft = self.threshold.get_or_insert(saved);
        ui.heading("实事项目满意度整改线");
        widgets::hint(
            ui,
            "满意度测评（解决过程、实施力度、最终结果）任一项低于这条线，项目须整改并再次测评。",
        );
        ui.horizontal(|ui| {
            let l = ui.label("整改线");
            ui.add(egui::DragValue::new(draft).range(50..=100).suffix("%"))
                .labelled_by(l.id);
            let changed = *draft != saved;
            if ui
                .add_enabled(
                    changed && !vault.is_read_only(),
                    egui::Button::new("保存整改线"),
                )
                .clicked()
            {
                actions.push(Action::Edit(
                    format!("整改线改为 {draft}%"),
                    Edit::Threshold(*draft),
                ));
            }
        });
    }

    /// 备份到U盘: the whole ledger as one file on a USB stick, checked by reading it back.
    fn usb(&mut self, ui: &mut egui::Ui, vault: &Vault, actions: &mut Vec<Action>) {
        if let Some(rx) = &self.archiving {
            match rx.try_recv() {
                Ok(Ok(report)) => {
                    self.archiving = None;
                    self.archived = Some(Ok(format!(
                        "已备份到 {}（{}），已读回核对无误。请安全弹出U盘，锁好保管。",
                        report.path.display(),
                        size_text(report.bytes)
                    )));
                    actions.push(Action::BackupDone);
                }
                Ok(Err(e)) => self.archive_failed(e.to_string()),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.archive_failed("备份意外中断，请再试一次。".into());
                }
            }
        }
        ui.heading("U盘备份");
        match vault.last_archive() {
            Some(t) => ui.label(format!("上次备份到U盘：{}", t.format("%Y-%m-%d %H:%M"))),
            None => ui.label("还没有备份到U盘过。"),
        };
        let busy = self.archiving.is_some();
        ui.horizontal(|ui| {
            widgets::text_field(
                ui,
                "U盘文件夹",
                &mut self.usb_folder,
                "插上U盘后点“选择…”",
                360.0,
            );
            let start = std::path::Path::new(self.usb_folder.trim());
            let start = if start.is_dir() {
                start.to_path_buf()
            } else {
                dirs::home_dir().unwrap_or_default()
            };
            if let Some(chosen) = self.usb_chooser.button(ui, "选择…", Choose::Folder, &start) {
                self.usb_folder = chosen.display().to_string();
            }
            let folder = std::path::PathBuf::from(self.usb_folder.trim());
            let ready = !busy && folder.is_dir();
            if ui
                .add_enabled(ready, egui::Button::new("备份到U盘"))
                .clicked()
            {
                self.archived = None;
                actions.push(Action::BackupTo(folder));
            }
            if busy {
                ui.spinner();
                ui.label("正在备份并核对……");
            }
        });
        match &self.archived {
            Some(Ok(m)) => {
                ui.label(egui::RichText::new(m).strong());
            }
            Some(Err(e)) => widgets::error(ui, e),
            None => {}
        }
        widgets::hint(
            ui,
            "整本台账写成一个文件（居民信息都已加密），写完读回逐项核对。换电脑或电脑损坏时，\
             用恢复密码恢复：sibai restore --from-backup 备份文件 新的空文件夹 --recovery。\
             建议每月备份一次，U盘由书记或主任锁好保管。",
        );
    }

    /// How much room the backups take, and how they are kept.
    fn backups(&mut self, ui: &mut egui::Ui, vault: &Vault) {
        // Measured again at most every ten seconds: it lists a folder.
        let stale = self
            .backups
            .is_none_or(|(_, at)| at.elapsed() > std::time::Duration::from_secs(10));
        if stale {
            self.backups = Some((vault.backups_size(), std::time::Instant::now()));
        }
        let ((bytes, files), _) = self.backups.unwrap_or(((0, 0), std::time::Instant::now()));
        ui.heading("备份");
        ui.label(format!(
            "台账文件夹的 backups 中有 {files} 个备份文件，共 {}。",
            size_text(bytes)
        ));
        widgets::hint(
            ui,
            "每次保存时，被替换的文件自动留作备份（已加密）：当天的每次保存都保留，\
             一个月内每天保留一份，一年内每月保留一份，更早的自动删除。",
        );
    }

    fn intervals(&mut self, ui: &mut egui::Ui, vault: &Vault, actions: &mut Vec<Action>) {
        let committee = &vault.ledger().committee;
        let saved: Vec<(TagDimension, String, String)> = committee
            .visit_intervals
            .iter()
            .map(|i| (i.dimension, i.tag.clone(), i.days.to_string()))
            .collect();
        let draft = self.intervals.get_or_insert_with(|| saved.clone());
        ui.heading("重点户走访周期");
        widgets::hint(
            ui,
            "家里有人带这些标签的户，超过天数没有走访就列为逾期（首页和活地图）。\
             一户有几个标签时按最短的周期。",
        );
        let mut remove = None;
        egui::Grid::new("intervals")
            .num_columns(4)
            .spacing([16.0, 8.0])
            .show(ui, |ui| {
                for (i, (dimension, tag, days)) in draft.iter_mut().enumerate() {
                    ui.label(dimension.label());
                    let l = ui.label(tag.as_str());
                    ui.horizontal(|ui| {
                        ui.label("每");
                        ui.add(egui::TextEdit::singleline(days).desired_width(48.0))
                            .labelled_by(l.id);
                        ui.label("天至少走访一次");
                    });
                    if ui.small_button("删除").clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
        if let Some(i) = remove {
            draft.remove(i);
        }
        let mut picked = None;
        ui.horizontal(|ui| {
            let l = ui.label("添加重点户标签");
            egui::ComboBox::from_id_salt("add_interval")
                .selected_text("请选择")
                .height(400.0)
                .show_ui(ui, |ui| {
                    for d in INTERVAL_DIMENSIONS {
                        ui.strong(d.label());
                        for tag in committee.tags.tags(d) {
                            let taken = draft.iter().any(|(dd, t, _)| *dd == d && t == tag);
                            if !taken && ui.selectable_label(false, tag).clicked() {
                                picked = Some((d, tag.to_owned()));
                                ui.close();
                            }
                        }
                    }
                })
                .response
                .labelled_by(l.id);
        });
        if let Some((d, tag)) = picked {
            draft.push((d, tag, DEFAULT_INTERVAL_DAYS.to_string()));
        }
        let changed = *draft != saved;
        let (mut save, mut reset) = (false, false);
        ui.horizontal(|ui| {
            save = ui
                .add_enabled(
                    changed && !vault.is_read_only(),
                    egui::Button::new("保存走访周期"),
                )
                .clicked();
            reset = ui
                .add_enabled(changed, egui::Button::new("放弃修改"))
                .clicked();
        });
        if save {
            match visit_intervals(draft) {
                Ok(list) => {
                    actions.push(Action::Edit(
                        "修改走访周期".to_owned(),
                        Edit::Intervals(list),
                    ));
                    self.message = Some(Ok("已保存走访周期。".to_owned()));
                }
                Err(e) => self.message = Some(Err(e)),
            }
        }
        if reset {
            self.intervals = None;
            self.message = None;
        }
        match &self.message {
            Some(Ok(m)) => widgets::hint(ui, m),
            Some(Err(e)) => widgets::error(ui, e),
            None => {}
        }
    }
}

/// Shows the look, the lock and the members.
/// The look and the idle lock, remembered on this PC.
fn look(ui: &mut egui::Ui, prefs: &mut Prefs) {
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
    widgets::hint(ui, "外观、字号和自动锁定只保存在本机，不含任何居民信息。");
}

/// Who can open this ledger.
fn members(ui: &mut egui::Ui, vault: &Vault) {
    ui.heading("可以打开这本台账的成员");
    for m in &vault.meta().members {
        ui.label(format!("{}（{}）", m.name, m.role));
    }
    widgets::hint(
        ui,
        "成员用命令行 sibai members 添加或删除。删除成员后台账会更换密钥，\
         但他之前复制走的文件仍能用旧密码打开。",
    );
}

/// A size as people read it: 856 KB, 12.4 MB.
fn size_text(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / MB)
    }
}
