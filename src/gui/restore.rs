//! 从备份恢复: reached from the unlock screen when the passphrase was right but a file read at
//! open is damaged or older than expected. With only the key unlocked (the vault is not
//! opened), it lists every saved state, each checked on a background thread, preselects the
//! newest whole one, and restores it; what it replaces is moved to `replaced/`, never deleted.
//! Then the user unlocks again.

use super::widgets;
use crate::store::{Place, RestoreReport, StoreError, Survey, Unlocked, saved_time_text};
use eframe::egui;
use std::sync::mpsc::{Receiver, TryRecvError};

/// What the unlock screen does after a frame of this screen.
pub enum RestoreStep {
    /// Stay on this screen.
    Stay,
    /// Back to the unlock form, with a message to show there.
    Back(Option<String>),
}

/// State of the restore screen.
pub struct RestoreScreen {
    key: Unlocked,
    /// Why it was opened (the error at unlock).
    reason: String,
    survey: Option<Survey>,
    chosen: Option<usize>,
    checking: Option<Receiver<Result<Survey, StoreError>>>,
    restoring: Option<Receiver<Result<RestoreReport, StoreError>>>,
    error: Option<String>,
    done: Option<String>,
}

impl RestoreScreen {
    /// Starts checking every saved state of the vault `key` unlocks.
    pub fn new(ctx: &egui::Context, key: Unlocked, reason: String) -> RestoreScreen {
        let mut screen = RestoreScreen {
            key,
            reason,
            survey: None,
            chosen: None,
            checking: None,
            restoring: None,
            error: None,
            done: None,
        };
        let key = screen.key.clone();
        match super::in_background("survey", ctx, move || key.survey()) {
            Ok(rx) => screen.checking = Some(rx),
            Err(e) => screen.error = Some(format!("无法开始检查：{}", crate::store::io_text(&e))),
        }
        screen
    }

    fn poll(&mut self) {
        if let Some(rx) = &self.checking {
            match rx.try_recv() {
                Ok(Ok(survey)) => {
                    self.checking = None;
                    self.chosen = survey.proposal;
                    self.survey = Some(survey);
                }
                Ok(Err(e)) => {
                    self.checking = None;
                    self.error = Some(e.to_string());
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.checking = None;
                    self.error = Some("检查意外中断，请返回后再试一次。".into());
                }
            }
        }
        if let Some(rx) = &self.restoring {
            match rx.try_recv() {
                Ok(Ok(report)) => {
                    self.restoring = None;
                    self.done = Some(format!("{}请重新输入密码解锁。", report.message()));
                }
                Ok(Err(e)) => {
                    self.restoring = None;
                    self.error = Some(e.to_string());
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.restoring = None;
                    self.error = Some("恢复意外中断，台账未改动，请再试一次。".into());
                }
            }
        }
    }

    /// Shows the screen.
    pub fn show(&mut self, ui: &mut egui::Ui) -> RestoreStep {
        self.poll();
        let mut step = RestoreStep::Stay;
        ui.add_space(12.0);
        ui.heading("从备份恢复台账");
        ui.add_space(8.0);
        if let Some(done) = &self.done {
            ui.label(egui::RichText::new(done).strong());
            ui.add_space(12.0);
            if ui
                .add(egui::Button::new("返回解锁").min_size([120.0, 32.0].into()))
                .clicked()
            {
                step = RestoreStep::Back(Some(done.clone()));
            }
            return step;
        }
        widgets::error(ui, &format!("台账打不开：{}", self.reason));
        ui.add_space(4.0);
        ui.label(
            "每次保存时，被替换的文件都留有备份。下面是这本台账的每一次保存，已逐一检查能否解密、\
             能否读取。建议恢复到最近一次完好的保存；恢复时被替换的文件会移到台账文件夹中的 \
             replaced 文件夹，不会删除。",
        );
        ui.add_space(8.0);
        if self.checking.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("正在检查每一次保存和每一份备份……");
            });
        }
        if let Some(survey) = &self.survey {
            states_table(ui, survey, &mut self.chosen);
            if survey.proposal.is_none() {
                widgets::error(ui, &StoreError::NothingToRestore.to_string());
            }
            if let Some(text) = self.chosen.and_then(|i| consequence(survey, i)) {
                ui.add_space(4.0);
                ui.label(text);
            }
        }
        if let Some(e) = &self.error {
            widgets::error(ui, e);
        }
        ui.add_space(8.0);
        let busy = self.checking.is_some() || self.restoring.is_some();
        ui.horizontal(|ui| {
            let chosen = self.chosen.filter(|_| self.survey.is_some());
            let live = chosen
                .and_then(|i| self.survey.as_ref()?.states.get(i))
                .is_some_and(|s| s.place == Place::Live);
            let label = if live {
                "当前台账完好，不需要恢复"
            } else {
                "恢复到所选的保存"
            };
            let button = ui.add_enabled(
                !busy && chosen.is_some() && !live,
                egui::Button::new(label).min_size([160.0, 32.0].into()),
            );
            if button.clicked()
                && let (Some(i), Some(survey)) = (chosen, self.survey.clone())
            {
                let key = self.key.clone();
                self.error = None;
                match super::in_background("restore", ui.ctx(), move || {
                    key.restore_state(&survey, i)
                }) {
                    Ok(rx) => self.restoring = Some(rx),
                    Err(e) => {
                        self.error = Some(format!("无法开始恢复：{}", crate::store::io_text(&e)));
                    }
                }
            }
            if self.restoring.is_some() {
                ui.spinner();
                ui.label("正在恢复……");
            }
            if ui.add_enabled(!busy, egui::Button::new("返回")).clicked() {
                step = RestoreStep::Back(None);
            }
        });
        if let Some(survey) = &self.survey {
            ui.add_space(8.0);
            egui::ScrollArea::vertical()
                .id_salt("file_versions_scroll")
                .show(ui, |ui| {
                    egui::CollapsingHeader::new("各文件的版本")
                        .id_salt("file_versions")
                        .show(ui, |ui| file_versions(ui, survey));
                });
        }
        step
    }
}

/// What restoring state `i` means for the saves after it, in words.
fn consequence(survey: &Survey, i: usize) -> Option<String> {
    let chosen = survey.states.get(i)?;
    if chosen.place == Place::Live {
        return None;
    }
    let seq = chosen.save_seq?;
    let later = survey
        .states
        .iter()
        .filter_map(|s| s.save_seq)
        .filter(|&n| n > seq)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    Some(format!(
        "恢复到第 {seq} 次保存（{}）后，此后 {later} 次保存中的修改不在台账里，需要重新录入；\
         被替换的文件仍保存在 replaced 文件夹。",
        chosen
            .saved_at
            .as_deref()
            .map(saved_time_text)
            .unwrap_or_default()
    ))
}

/// Every copy of every file, newest first: when and by whom it was saved, or why it cannot be
/// used.
fn file_versions(ui: &mut egui::Ui, survey: &Survey) {
    for (stem, copies) in &survey.files {
        let label = crate::model::Collection::from_stem(stem).map_or(stem.clone(), |c| c.label());
        ui.strong(label);
        for f in copies {
            if f.problem.is_some() {
                widgets::error(ui, &f.describe());
            } else {
                ui.label(f.describe());
            }
        }
    }
}

/// Every saved state, newest first: the whole ones can be chosen.
fn states_table(ui: &mut egui::Ui, survey: &Survey, chosen: &mut Option<usize>) {
    egui::ScrollArea::vertical()
        .max_height(ui.available_height() - 80.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("saved_states")
                .num_columns(4)
                .striped(true)
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    for t in ["保存", "时间", "位置", "检查结果"] {
                        ui.strong(t);
                    }
                    ui.end_row();
                    for (i, s) in survey.states.iter().enumerate() {
                        let name = s.save_seq.map_or("（无法读取）".to_owned(), |n| {
                            format!("第 {n} 次保存")
                        });
                        if s.is_consistent() {
                            ui.radio_value(chosen, Some(i), name);
                        } else {
                            ui.add_enabled(false, egui::RadioButton::new(false, name));
                        }
                        ui.label(
                            s.saved_at
                                .as_deref()
                                .map(saved_time_text)
                                .unwrap_or_default(),
                        );
                        ui.label(s.place.label());
                        if s.is_consistent() {
                            let mut text = "完好".to_owned();
                            if survey.proposal == Some(i) {
                                text.push_str("（建议）");
                            }
                            ui.label(text);
                        } else {
                            widgets::error(ui, &format!("不能用：{}", s.problems.join("；")));
                        }
                        ui.end_row();
                    }
                });
        });
}
