//! The session: an unlocked ledger and what the panels keep while it is open. Every edit goes
//! through the vault and is recorded for undo; edits save themselves a moment later on a
//! background thread; the rest of the ledger (earlier years) is read in the background.

use super::{
    Section, desk, funds, home, households, monthly_brief, problems, projects, settings, visits,
};
use crate::model::finder::Finder;
use crate::model::{Edit, History};
use crate::store::{LoadedParts, SaveOutcome, StoreError, Vault};
use eframe::egui;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Instant;

use super::SAVE_AFTER;

/// An unlocked ledger and what the panels keep while it is open.
pub struct Session {
    pub(super) vault: Vault,
    pub(super) section: Section,
    /// The rest of the ledger, being read in the background.
    pub(super) loading: Option<Receiver<Result<LoadedParts, StoreError>>>,
    pub(super) load_error: Option<String>,
    pub(super) save_error: Option<String>,
    pub(super) households: households::HouseholdsPanel,
    pub(super) visits: visits::VisitsPanel,
    pub(super) desk: desk::DeskPanel,
    pub(super) problems: problems::ProblemsPanel,
    pub(super) projects: projects::ProjectsPanel,
    pub(super) funds: funds::FundsPanel,
    pub(super) settings: settings::SettingsPanel,
    /// The household search index, until the ledger changes.
    pub(super) finder: Option<Finder>,
    pub(super) home: Option<home::HomeFigures>,
    /// 首页's 月度简报 line.
    pub(super) brief: monthly_brief::BriefBar,
    pub(super) history: History,
    /// The save running on a background thread, if any.
    pub(super) saving: Option<Receiver<SaveOutcome>>,
    /// When the last edit was made (the save waits [`SAVE_AFTER`] for more).
    pub(super) last_edit: Option<Instant>,
    /// Why the last edit could not be made.
    pub(super) edit_error: Option<String>,
    /// The last undo or redo, said on the top bar.
    pub(super) notice: Option<String>,
    /// What opening the ledger had to say (an older copy than this PC has seen, files older
    /// than expected), until 知道了.
    pub(super) open_warnings: Vec<String>,
}

/// Runs `work` on a thread named `name` (slow work: unlock, load, save, creating a ledger) and
/// returns where its result arrives; the window repaints when it does.
pub(super) fn in_background<T: Send + 'static>(
    name: &str,
    ctx: &egui::Context,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<Receiver<T>> {
    let (tx, rx) = channel();
    let ctx = ctx.clone();
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let _ = tx.send(work());
            ctx.request_repaint();
        })?;
    Ok(rx)
}

impl Session {
    /// Starts 备份到U盘 into `folder`: saves what is unsaved, then writes on a thread; the
    /// settings panel shows how it went.
    pub(super) fn start_archive(&mut self, folder: PathBuf, ctx: &egui::Context) {
        if !self.save() {
            self.settings
                .archive_failed("有修改还没保存成功，请先处理保存问题再备份。".into());
            return;
        }
        match self.vault.archive_job() {
            Ok(job) => match in_background("archive", ctx, move || job.run(&folder)) {
                Ok(rx) => self.settings.archive_started(rx),
                Err(e) => self
                    .settings
                    .archive_failed(format!("无法开始备份：{}", crate::store::io_text(&e))),
            },
            Err(e) => self.settings.archive_failed(e.to_string()),
        }
    }

    /// Remembers a backup to a USB stick just written (for the monthly reminder).
    pub(super) fn archive_done(&mut self) {
        if let Err(e) = self.vault.archive_done() {
            self.settings
                .archive_failed(format!("备份已写好，但记录备份时间时出错：{e}"));
        }
    }

    pub(super) fn new(vault: Vault, ctx: &egui::Context) -> Session {
        let pending = vault.pending_load();
        // Read-only is said on the top bar.
        let read_only = vault.read_only_reason();
        let open_warnings = vault
            .warnings()
            .iter()
            .filter(|w| Some(*w) != read_only.as_ref())
            .cloned()
            .collect();
        // Without the thread, the accessors read what they need when it is needed.
        let loading = (!pending.collections().is_empty())
            .then(|| in_background("load", ctx, move || pending.load()).ok());
        Session {
            vault,
            section: Section::Home,
            loading: loading.flatten(),
            load_error: None,
            save_error: None,
            households: households::HouseholdsPanel::default(),
            visits: visits::VisitsPanel::default(),
            desk: desk::DeskPanel::default(),
            problems: problems::ProblemsPanel::default(),
            projects: projects::ProjectsPanel::default(),
            funds: funds::FundsPanel::default(),
            settings: settings::SettingsPanel::default(),
            finder: None,
            home: None,
            brief: monthly_brief::BriefBar::default(),
            history: History::default(),
            saving: None,
            last_edit: None,
            edit_error: None,
            notice: None,
            open_warnings,
        }
    }

    /// Forgets everything computed from the ledger (it changed).
    pub(super) fn changed(&mut self) {
        self.finder = None;
        self.home = None;
        self.brief.invalidate();
        self.settings.invalidate();
        self.households.invalidate();
        self.problems.invalidate();
        self.projects.invalidate();
        self.funds.invalidate();
        self.visits.invalidate();
    }

    /// Applies an edit through the vault and records it for undo.
    pub(super) fn edit(&mut self, label: String, edit: Edit) -> bool {
        if self.vault.is_read_only() {
            self.edit_error = Some(
                self.vault
                    .read_only_reason()
                    .unwrap_or_else(|| StoreError::ReadOnly.to_string()),
            );
            return false;
        }
        match self.vault.apply(edit) {
            Ok(inverse) => {
                self.history.record(label, inverse);
                self.edit_error = None;
                self.notice = None;
                self.last_edit = Some(Instant::now());
                self.changed();
                true
            }
            Err(e) => {
                self.edit_error = Some(format!("修改没有完成：{e}"));
                false
            }
        }
    }

    /// Undoes the last edit (`redo` false) or redoes the last undo.
    pub(super) fn undo_redo(&mut self, redo: bool) {
        let taken = if redo {
            self.history.take_redo()
        } else {
            self.history.take_undo()
        };
        let Some((label, edit)) = taken else { return };
        match self.vault.apply(edit) {
            Ok(inverse) => {
                self.notice = Some(if redo {
                    format!("已重做：{label}")
                } else {
                    format!("已撤销：{label}")
                });
                if redo {
                    self.history.redone(label, inverse);
                } else {
                    self.history.undone(label, inverse);
                }
                self.last_edit = Some(Instant::now());
                self.changed();
            }
            Err(e) => self.edit_error = Some(format!("撤销没有完成：{e}")),
        }
    }

    /// Takes back a finished background save, and starts one when edits have rested for
    /// [`SAVE_AFTER`].
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        if let Some(rx) = &self.saving {
            match rx.try_recv() {
                Ok(outcome) => {
                    self.saving = None;
                    self.finish(outcome);
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    // The thread died without an outcome: its collections stay unsaved.
                    self.saving = None;
                    self.save_error = Some("保存线程意外中止，修改仍在内存中，将再次保存。".into());
                }
            }
        }
        if self.vault.is_read_only() || !self.vault.has_unsaved() {
            return;
        }
        let rested = self.last_edit.is_none_or(|t| t.elapsed() >= SAVE_AFTER);
        if !rested {
            ctx.request_repaint_after(SAVE_AFTER);
            return;
        }
        // After a failed save, try again only after the next edit (or 锁定), not every frame.
        if self.save_error.is_some() && self.last_edit.is_none() {
            return;
        }
        self.last_edit = None;
        let job = match self.vault.begin_save() {
            Ok(Some(job)) => job,
            Ok(None) => return,
            Err(e) => {
                self.save_error = Some(e.to_string());
                return;
            }
        };
        match in_background("save", ctx, move || job.run()) {
            Ok(rx) => self.saving = Some(rx),
            Err(e) => {
                self.save_error = Some(format!("无法启动保存：{}", crate::store::io_text(&e)));
            }
        }
    }

    pub(super) fn finish(&mut self, outcome: SaveOutcome) {
        match self.vault.finish_save(outcome) {
            Ok(_) => self.save_error = None,
            Err(e) => self.save_error = Some(e.to_string()),
        }
    }

    /// Waits for a background save, if one runs.
    pub(super) fn wait_for_save(&mut self) {
        if let Some(rx) = self.saving.take() {
            if let Ok(outcome) = rx.recv() {
                self.finish(outcome);
            } else {
                // The job was lost with its thread; its collections are marked unsaved again.
                self.vault.abandon_save();
            }
        }
    }

    pub(super) fn poll_loading(&mut self) {
        let Some(rx) = &self.loading else { return };
        match rx.try_recv() {
            Ok(Ok(parts)) => {
                self.vault.install_loaded(parts);
                self.loading = None;
                self.changed();
            }
            Ok(Err(e)) => {
                self.loading = None;
                self.load_error = Some(format!("读取往年记录时出错：{e}"));
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.loading = None,
        }
    }

    /// Saves what is unsaved, here and now (after any background save); the error, if any, is
    /// kept for the top bar.
    pub(super) fn save(&mut self) -> bool {
        self.wait_for_save();
        if !self.vault.has_unsaved() {
            return true;
        }
        match self.vault.save() {
            Ok(_) => {
                self.save_error = None;
                true
            }
            Err(e) => {
                self.save_error = Some(e.to_string());
                false
            }
        }
    }

    pub(super) fn committee_name(&self) -> String {
        self.vault
            .ledger()
            .committee
            .committee
            .as_ref()
            .map_or_else(|| "居委会".to_owned(), |c| c.name.clone())
    }
}
