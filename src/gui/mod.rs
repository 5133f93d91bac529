//! The desktop app (eframe/egui): unlock, then a shell with the sections on the left and the
//! committee, the member, the save state and 锁定 on top. Like egui's demo app, the persisted UI
//! preferences ([`Prefs`], stored by eframe in plaintext: never resident data) are kept apart from
//! the open ledger and from runtime handles; slow work (unlock, reading the rest of the ledger)
//! runs on named threads. Business rules live in `model`; this module only shows them.
//!
//! The decrypted ledger lives only in [`Session`]: locking (by hand, after idle minutes measured
//! on the wall clock so that sleep counts, or on minimise) drops it.
//!
//! Panels never change the ledger themselves: they hand the shell an [`Action`], and every edit
//! is a `model::Edit` applied through the vault, recorded for undo, and saved by itself a moment
//! later on a background thread (`Vault::begin_save`).

mod clipboard;
mod coverage;
mod desk;
mod export;
mod fonts;
mod home;
mod household_form;
mod households;
mod lists;
mod print;
mod records;
mod settings;
mod setup;
mod trace;
mod unlock;
mod visits;
mod widgets;
#[cfg(all(unix, not(target_os = "macos")))]
mod x11_focus;

pub use fonts::MISSING as FONT_MISSING;

use crate::model::finder::Finder;
use crate::model::{Collection, Edit, History, HouseholdId, Ledger, WorkerId};
use crate::store::{LoadedParts, SaveOutcome, StoreError, Vault, VaultOptions, locate, read_meta};
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use eframe::egui;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant, SystemTime};

/// How long after the last edit the ledger saves itself.
pub const SAVE_AFTER: Duration = Duration::from_millis(800);

/// What a panel asks the shell to do.
pub enum Action {
    /// Apply an edit, described for undo (e.g. 新增 5号楼302室).
    Edit(String, Edit),
    /// Open a household in 居民户.
    OpenHousehold(HouseholdId),
    /// Start a visit to a household in 走访.
    VisitHousehold(HouseholdId),
    /// Open a list of 智能名单 by name.
    OpenList(String),
    /// Open 走访 at a worker's visits in a month (year, month).
    OpenVisits(WorkerId, i32, u32),
    /// Copy an ID number or phone: the clipboard is cleared again after 30 seconds.
    CopySecret(String),
}

/// What every panel may read: the ledger, who is working, and when.
pub struct View<'a> {
    /// The open ledger.
    pub ledger: &'a Ledger,
    /// The member who unlocked.
    pub member: &'a str,
    /// Today.
    pub today: NaiveDate,
    /// Now, to the minute.
    pub now: NaiveDateTime,
    /// Whether edits are refused (another window holds the vault).
    pub read_only: bool,
    /// Collections not read yet (earlier years, while they load).
    pub unloaded: Vec<Collection>,
    /// The household search index, for the panels that search households (居民户, 走访); built
    /// once per ledger change and shared by them.
    pub finder: Option<&'a Finder>,
}

impl View<'_> {
    /// The worker record of the member who unlocked (the default 走访人 and 接待人), if the
    /// member is one of the workers.
    pub fn member_worker(&self) -> Option<WorkerId> {
        self.ledger
            .committee
            .worker_by_name(self.member)
            .map(|w| w.id)
    }
}

/// UI preferences, remembered between runs by eframe. Never resident data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Dark look.
    pub dark: bool,
    /// Larger text for older eyes.
    pub large_text: bool,
    /// Lock after this many idle minutes.
    pub idle_minutes: u32,
    /// Lock when the window is minimised.
    pub lock_on_minimise: bool,
    /// The member who unlocked last (preselected).
    pub last_member: Option<String>,
}

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            dark: false,
            large_text: false,
            idle_minutes: 5,
            lock_on_minimise: false,
            last_member: None,
        }
    }
}

/// The sections of the left navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 首页.
    Home,
    /// 居民户.
    Households,
    /// 走访.
    Visits,
    /// 接待值班.
    Desk,
    /// 问题清单.
    Problems,
    /// 实事项目.
    Projects,
    /// 经费.
    Funds,
    /// 百事汇.
    Guide,
    /// 积分卡.
    Points,
    /// 公开发布.
    Publish,
    /// 设置.
    Settings,
}

impl Section {
    /// Every section, in navigation order.
    pub const ALL: [Section; 11] = [
        Section::Home,
        Section::Households,
        Section::Visits,
        Section::Desk,
        Section::Problems,
        Section::Projects,
        Section::Funds,
        Section::Guide,
        Section::Points,
        Section::Publish,
        Section::Settings,
    ];

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Section::Home => "首页",
            Section::Households => "居民户",
            Section::Visits => "走访",
            Section::Desk => "接待值班",
            Section::Problems => "问题清单",
            Section::Projects => "实事项目",
            Section::Funds => "经费",
            Section::Guide => "百事汇",
            Section::Points => "积分卡",
            Section::Publish => "公开发布",
            Section::Settings => "设置",
        }
    }
}

/// An unlocked ledger and what the panels keep while it is open.
pub struct Session {
    vault: Vault,
    section: Section,
    /// The rest of the ledger, being read in the background.
    loading: Option<Receiver<Result<LoadedParts, StoreError>>>,
    load_error: Option<String>,
    save_error: Option<String>,
    households: households::HouseholdsPanel,
    visits: visits::VisitsPanel,
    desk: desk::DeskPanel,
    settings: settings::SettingsPanel,
    /// The household search index, until the ledger changes.
    finder: Option<Finder>,
    home: Option<home::HomeFigures>,
    history: History,
    /// The save running on a background thread, if any.
    saving: Option<Receiver<SaveOutcome>>,
    /// When the last edit was made (the save waits [`SAVE_AFTER`] for more).
    last_edit: Option<Instant>,
    /// Why the last edit could not be made.
    edit_error: Option<String>,
    /// The last undo or redo, said on the top bar.
    notice: Option<String>,
}

/// Runs `work` on a thread named `name` (slow work: unlock, load, save, creating a ledger) and
/// returns where its result arrives; the window repaints when it does.
fn in_background<T: Send + 'static>(
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
    fn new(vault: Vault, ctx: &egui::Context) -> Session {
        let pending = vault.pending_load();
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
            settings: settings::SettingsPanel::default(),
            finder: None,
            home: None,
            history: History::default(),
            saving: None,
            last_edit: None,
            edit_error: None,
            notice: None,
        }
    }

    /// Forgets everything computed from the ledger (it changed).
    fn changed(&mut self) {
        self.finder = None;
        self.home = None;
        self.settings.invalidate();
        self.households.invalidate();
        self.visits.invalidate();
    }

    /// Applies an edit through the vault and records it for undo.
    fn edit(&mut self, label: String, edit: Edit) -> bool {
        if self.vault.is_read_only() {
            self.edit_error = Some(StoreError::ReadOnly.to_string());
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
    fn undo_redo(&mut self, redo: bool) {
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
    fn autosave(&mut self, ctx: &egui::Context) {
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
                self.save_error = Some(format!("无法启动保存：{e}"));
            }
        }
    }

    fn finish(&mut self, outcome: SaveOutcome) {
        match self.vault.finish_save(outcome) {
            Ok(_) => self.save_error = None,
            Err(e) => self.save_error = Some(e.to_string()),
        }
    }

    /// Waits for a background save, if one runs.
    fn wait_for_save(&mut self) {
        if let Some(rx) = self.saving.take() {
            if let Ok(outcome) = rx.recv() {
                self.finish(outcome);
            } else {
                // The job was lost with its thread; its collections are marked unsaved again.
                self.vault.abandon_save();
            }
        }
    }

    fn poll_loading(&mut self) {
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
    fn save(&mut self) -> bool {
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

    fn committee_name(&self) -> String {
        self.vault
            .ledger()
            .committee
            .committee
            .as_ref()
            .map_or_else(|| "居委会".to_owned(), |c| c.name.clone())
    }
}

enum Screen {
    /// No ledger in the folder yet: the first-run wizard.
    Setup(Box<setup::SetupWizard>),
    Locked(Box<unlock::UnlockScreen>),
    Open(Box<Session>),
}

/// The app.
pub struct SibaiApp {
    dir: PathBuf,
    options: VaultOptions,
    prefs: Prefs,
    screen: Screen,
    font: Option<String>,
    last_activity: SystemTime,
    applied: Option<(bool, bool)>,
    clipboard: clipboard::Guard,
    ctx: egui::Context,
    /// Gives the window the keyboard on an X11 display without a window manager.
    #[cfg(all(unix, not(target_os = "macos")))]
    x11_focus: Option<x11_focus::X11Focus>,
    trace: trace::Trace,
}

fn local_now() -> NaiveDateTime {
    let now = chrono::Local::now().naive_local();
    now.with_second(0)
        .unwrap_or(now)
        .with_nanosecond(0)
        .unwrap_or(now)
}

impl SibaiApp {
    /// The app for the vault in `dir` (a committee folder's `data/`, or the vault folder itself).
    pub fn new(cc: &eframe::CreationContext<'_>, dir: &Path, options: VaultOptions) -> SibaiApp {
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let font = fonts::find().map(|f| {
            let family = f.family.clone();
            fonts::install(&cc.egui_ctx, f);
            family
        });
        let dir = locate(dir);
        let screen = if matches!(read_meta(&dir), Err(StoreError::NotAVault(_))) {
            Screen::Setup(Box::new(setup::SetupWizard::new(&dir)))
        } else {
            Screen::Locked(Box::new(unlock::UnlockScreen::new(
                &dir,
                prefs.last_member.as_deref(),
                None,
            )))
        };
        SibaiApp {
            dir,
            options,
            prefs,
            screen,
            font,
            last_activity: SystemTime::now(),
            applied: None,
            clipboard: clipboard::Guard::default(),
            ctx: cc.egui_ctx.clone(),
            #[cfg(all(unix, not(target_os = "macos")))]
            x11_focus: x11_focus::X11Focus::new(cc),
            trace: trace::Trace::default(),
        }
    }

    /// Whether a ledger is open.
    pub fn is_unlocked(&self) -> bool {
        matches!(self.screen, Screen::Open(_))
    }

    /// The open vault, if any.
    pub fn vault(&self) -> Option<&Vault> {
        match &self.screen {
            Screen::Open(s) => Some(&s.vault),
            Screen::Locked(_) | Screen::Setup(_) => None,
        }
    }

    /// Moves the last activity back by `by`, as if the user had been away (for tests of the
    /// idle lock, which is measured on the wall clock).
    #[doc(hidden)]
    pub fn backdate_activity(&mut self, by: Duration) {
        self.last_activity = self
            .last_activity
            .checked_sub(by)
            .unwrap_or(SystemTime::UNIX_EPOCH);
    }

    /// Whether a copied ID number or phone is still waiting to be wiped from the clipboard.
    pub fn clipboard_pending(&self) -> bool {
        self.clipboard.is_pending()
    }

    /// Moves the last copy back by `by` (for tests of the 30-second rule).
    #[doc(hidden)]
    pub fn backdate_clipboard(&mut self, by: Duration) {
        self.clipboard.backdate(by);
    }

    /// Locks: saves what is unsaved, then drops the decrypted ledger. A ledger that cannot be
    /// saved stays open (nothing is ever lost), with the reason on the top bar.
    pub fn lock(&mut self, reason: Option<&str>) {
        let Screen::Open(session) = &mut self.screen else {
            return;
        };
        if !session.save() {
            return;
        }
        self.clipboard.clear_now(&self.ctx);
        let member = session.vault.member().to_owned();
        self.prefs.last_member = Some(member.clone());
        self.screen = Screen::Locked(Box::new(unlock::UnlockScreen::new(
            &self.dir,
            Some(&member),
            reason.map(str::to_owned),
        )));
    }

    fn apply_look(&mut self, ctx: &egui::Context) {
        let want = (self.prefs.dark, self.prefs.large_text);
        if self.applied == Some(want) {
            return;
        }
        ctx.set_visuals(if self.prefs.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        ctx.global_style_mut(|style| {
            use egui::{FontFamily, FontId, TextStyle};
            style.text_styles = [
                (
                    TextStyle::Heading,
                    FontId::new(22.0, FontFamily::Proportional),
                ),
                (TextStyle::Body, FontId::new(16.0, FontFamily::Proportional)),
                (
                    TextStyle::Button,
                    FontId::new(16.0, FontFamily::Proportional),
                ),
                (
                    TextStyle::Small,
                    FontId::new(13.0, FontFamily::Proportional),
                ),
                (
                    TextStyle::Monospace,
                    FontId::new(15.0, FontFamily::Monospace),
                ),
            ]
            .into();
            style.spacing.button_padding = egui::vec2(8.0, 4.0);
            // A dropdown shows all its choices (workers, buildings, tags…) without scrolling
            // where the window has room; egui's default stops at 200 points (about 8 rows).
            style.spacing.combo_height = 560.0;
        });
        ctx.set_zoom_factor(if self.prefs.large_text { 1.25 } else { 1.0 });
        self.applied = Some(want);
    }

    fn watch_idle(&mut self, ctx: &egui::Context) {
        let active = ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving());
        let now = SystemTime::now();
        if active {
            self.last_activity = now;
        }
        if !self.is_unlocked() {
            return;
        }
        let idle = now.duration_since(self.last_activity).unwrap_or_default();
        let limit = Duration::from_secs(u64::from(self.prefs.idle_minutes.max(1)) * 60);
        if idle >= limit {
            let text = format!(
                "{} 分钟没有操作，已自动锁定。请重新输入密码。",
                self.prefs.idle_minutes.max(1)
            );
            self.lock(Some(&text));
            return;
        }
        if self.prefs.lock_on_minimise && ctx.input(|i| i.viewport().minimized == Some(true)) {
            self.lock(Some("窗口最小化时已自动锁定。"));
            return;
        }
        // Wake up to check the idle time even when nothing happens.
        ctx.request_repaint_after(Duration::from_secs(1));
    }
}

impl eframe::App for SibaiApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.apply_look(&ctx);
        self.take_keyboard(&ctx);
        self.watch_idle(&ctx);
        self.clipboard.tick(&ctx);
        self.watch_close(&ctx);
        if self.font.is_none() {
            egui::Panel::top("font_missing").show(ui, |ui| {
                widgets::error(ui, fonts::MISSING);
            });
        }
        let now = local_now();
        match &mut self.screen {
            Screen::Setup(wizard) => {
                if let Some(setup::Done::Created(dir, member)) = wizard.show(ui, &self.options) {
                    self.dir = dir;
                    self.screen = Screen::Locked(Box::new(unlock::UnlockScreen::new(
                        &self.dir,
                        Some(&member),
                        None,
                    )));
                }
            }
            Screen::Locked(screen) => {
                if let Some(vault) = screen.show(ui, &self.options) {
                    self.prefs.last_member = Some(vault.member().to_owned());
                    self.screen = Screen::Open(Box::new(Session::new(vault, &ctx)));
                    self.last_activity = SystemTime::now();
                }
            }
            Screen::Open(session) => {
                session.poll_loading();
                session.autosave(&ctx);
                let mut actions = Vec::new();
                let lock = shell(ui, session, &mut self.prefs, now, &mut actions);
                for action in actions {
                    match action {
                        Action::Edit(label, edit) => {
                            session.edit(label, edit);
                        }
                        Action::OpenHousehold(id) => {
                            session.section = Section::Households;
                            session.households.open(id);
                        }
                        Action::OpenList(name) => {
                            session.section = Section::Households;
                            session.households.open_list(session.vault.ledger(), &name);
                        }
                        Action::OpenVisits(worker, year, month) => {
                            session.section = Section::Visits;
                            session.visits.open_worker_month(worker, year, month);
                        }
                        Action::VisitHousehold(id) => {
                            session.section = Section::Visits;
                            session.visits.start(id, session.vault.ledger());
                        }
                        Action::CopySecret(text) => self.clipboard.copy(&ctx, text),
                    }
                }
                session.autosave(&ctx);
                if lock {
                    self.lock(None);
                }
            }
        }
        self.trace_state(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // The window is going: save what is left (the close handler already tried).
        if let Screen::Open(session) = &mut self.screen {
            session.save();
        }
        self.clipboard.clear_now(&self.ctx);
    }
}

impl SibaiApp {
    /// On X11 without a window manager, takes the keyboard once the window shows, and when it
    /// is clicked while unfocused (see `x11_focus`). Elsewhere the system does this.
    fn take_keyboard(&mut self, ctx: &egui::Context) {
        #[cfg(all(unix, not(target_os = "macos")))]
        if let Some(focus) = &mut self.x11_focus {
            let (focused, clicked) =
                ctx.input(|i| (i.viewport().focused == Some(true), i.pointer.any_pressed()));
            if focus.tick(focused, clicked) {
                ctx.request_repaint_after(Duration::from_millis(100));
            }
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        let _ = ctx;
    }

    /// One line for the debug trace when what the window shows has changed.
    fn trace_state(&mut self, ctx: &egui::Context) {
        let screen = &self.screen;
        self.trace.show(|| {
            let focused = ctx.input(|i| i.viewport().focused == Some(true));
            let shown = match screen {
                Screen::Setup(_) => "screen=setup".to_owned(),
                Screen::Locked(s) => s.trace_state(ctx),
                Screen::Open(s) => {
                    let mut line = format!(
                        "screen=open member={} section={} loading={}",
                        s.vault.member(),
                        s.section.label(),
                        s.loading.is_some()
                    );
                    if s.section == Section::Households {
                        line.push(' ');
                        line.push_str(&s.households.trace_state());
                    }
                    line
                }
            };
            format!("window_focused={focused} {shown}")
        });
    }

    /// Closing the window saves first; if that fails the window stays open with the reason.
    fn watch_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if let Screen::Open(session) = &mut self.screen
            && !session.save()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
    }
}

/// The top bar, the navigation and the current section. Returns whether 锁定 was clicked.
fn shell(
    ui: &mut egui::Ui,
    s: &mut Session,
    prefs: &mut Prefs,
    now: NaiveDateTime,
    actions: &mut Vec<Action>,
) -> bool {
    let today = now.date();
    let mut lock = false;
    let typing = ui.ctx().egui_wants_keyboard_input();
    let (undo_key, redo_key) = ui.input_mut(|i| {
        let undo = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Z);
        let redo = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Y);
        let redo2 = egui::KeyboardShortcut::new(
            egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
            egui::Key::Z,
        );
        if typing {
            return (false, false);
        }
        let r = i.consume_shortcut(&redo) || i.consume_shortcut(&redo2);
        (i.consume_shortcut(&undo), r)
    });
    egui::Panel::top("top").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.strong(s.committee_name());
            ui.separator();
            ui.label(format!("当前成员：{}", s.vault.member()));
            if s.vault.is_read_only() {
                ui.separator();
                widgets::error(ui, "只读：另一个窗口正在修改台账");
            }
            ui.separator();
            match &s.save_error {
                Some(e) => widgets::error(ui, &format!("保存失败：{e}")),
                None => {
                    let n = s.vault.unsaved().len();
                    if n == 0 {
                        ui.label("已保存");
                    } else if s.saving.is_some() {
                        ui.spinner();
                        ui.label("正在保存");
                    } else {
                        ui.label(format!("有 {n} 处未保存"));
                    }
                }
            }
            if s.loading.is_some() {
                ui.separator();
                ui.spinner();
                ui.label("正在读取往年记录");
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("锁定").clicked() {
                    lock = true;
                }
                ui.separator();
                let redo = s.history.redo_label().map(str::to_owned);
                let undo = s.history.undo_label().map(str::to_owned);
                let r = ui
                    .add_enabled(redo.is_some(), egui::Button::new("重做"))
                    .on_hover_text(redo.map_or("没有可重做的修改".into(), |l| {
                        format!("重做：{l}（Ctrl+Y）")
                    }));
                if r.clicked() || (redo_key && s.history.redo_label().is_some()) {
                    s.undo_redo(true);
                }
                let u = ui
                    .add_enabled(undo.is_some(), egui::Button::new("撤销"))
                    .on_hover_text(undo.map_or("没有可撤销的修改".into(), |l| {
                        format!("撤销：{l}（Ctrl+Z）")
                    }));
                if u.clicked() || (undo_key && s.history.undo_label().is_some()) {
                    s.undo_redo(false);
                }
                if let Some(n) = &s.notice {
                    widgets::hint(ui, n);
                }
            });
        });
        if let Some(e) = &s.edit_error {
            widgets::error(ui, e);
        }
        ui.add_space(4.0);
    });
    egui::Panel::left("nav")
        .resizable(false)
        .exact_size(132.0)
        .show(ui, |ui| {
            ui.add_space(8.0);
            for section in Section::ALL {
                let selected = s.section == section;
                let button = egui::Button::selectable(selected, section.label())
                    .min_size(egui::vec2(ui.available_width(), 34.0));
                if ui.add(button).clicked() {
                    s.section = section;
                }
            }
        });
    if let Some(e) = &s.load_error {
        egui::Panel::bottom("load_error").show(ui, |ui| widgets::error(ui, e));
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if matches!(s.section, Section::Households | Section::Visits) && s.finder.is_none() {
            s.finder = Some(Finder::new(s.vault.ledger()));
        }
        let view = View {
            ledger: s.vault.ledger(),
            member: s.vault.member(),
            today,
            now,
            read_only: s.vault.is_read_only(),
            unloaded: s.vault.unloaded(),
            finder: s.finder.as_ref(),
        };
        match s.section {
            Section::Home => {
                let name = s.committee_name();
                let mine = view.member_worker();
                s.home
                    .get_or_insert_with(|| home::HomeFigures::new(view.ledger, today, mine))
                    .show(ui, &name, view.ledger, actions);
            }
            Section::Households => s.households.show(ui, &view, actions),
            Section::Visits => s.visits.show(ui, &view, actions),
            Section::Desk => s.desk.show(ui, &view, actions),
            Section::Settings => s.settings.show(ui, prefs, &s.vault, actions),
            other => records::show(ui, other, view.ledger, s.loading.is_some()),
        }
    });
    lock
}

/// Runs the app on the vault in `dir` until the window is closed.
pub fn run(dir: &Path) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("四百 · 居委会台账")
            .with_inner_size([1280.0, 820.0])
            .with_min_inner_size([960.0, 640.0]),
        ..eframe::NativeOptions::default()
    };
    let dir = dir.to_path_buf();
    let result = eframe::run_native(
        "sibai",
        options,
        Box::new(move |cc| Ok(Box::new(SibaiApp::new(cc, &dir, VaultOptions::default())))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：无法打开窗口：{e}");
            ExitCode::FAILURE
        }
    }
}
