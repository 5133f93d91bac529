//! The desktop app (eframe/egui): unlock, then a shell with the sections on the left and the
//! committee, the member, the save state and 锁定 on top. Like egui's demo app, the persisted UI
//! preferences ([`Prefs`], stored by eframe in plaintext: never resident data) are kept apart from
//! the open ledger and from runtime handles; slow work (unlock, reading the rest of the ledger)
//! runs on named threads. Business rules live in `model`; this module only shows them.
//!
//! The decrypted ledger lives only in the session (`session::Session`): locking (by hand, after
//! idle minutes measured on the wall clock so that sleep counts, or on minimise) drops it.
//!
//! Panels never change the ledger themselves: they hand the shell an [`Action`], and every edit
//! is a `model::Edit` applied through the vault, recorded for undo, and saved by itself a moment
//! later on a background thread (`Vault::begin_save`).

mod clipboard;
mod coverage;
mod desk;
mod document;
mod export;
mod file_dialog;
mod fonts;
mod fund_overview;
mod fund_plans;
mod fund_report;
mod funds;
mod home;
mod household_form;
mod households;
mod import_wizard;
mod lists;
mod monthly_brief;
mod payment_form;
mod print;
mod problem_page;
mod problem_report;
mod problems;
mod project_forms;
mod project_page;
mod projects;
mod records;
mod restore;
mod session;
mod settings;
mod setup;
mod shell;
mod trace;
mod unlock;
mod visits;
mod widgets;
#[cfg(all(unix, not(target_os = "macos")))]
mod x11_focus;

pub use fonts::MISSING as FONT_MISSING;

use crate::model::finder::Finder;
use crate::model::{
    Collection, Edit, HouseholdId, Ledger, PaymentId, ProblemId, ProjectId, ReceptionId, WorkerId,
};
use crate::store::{StoreError, Vault, VaultOptions, locate, read_meta};
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use eframe::egui;
use serde::{Deserialize, Serialize};
use session::{Session, in_background};
use shell::shell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

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
    /// Open a problem's page in 问题清单.
    OpenProblem(ProblemId),
    /// Open a reception in 接待值班.
    OpenReception(ReceptionId),
    /// Open a project's page in 实事项目.
    OpenProject(ProjectId),
    /// Open a payment in 经费 (from the project it was paid for).
    OpenPayment(PaymentId),
    /// Open this year's payments in 经费: only those with a warning, or only 先支后补 not
    /// yet filed.
    OpenFunds {
        /// Only payments with a warning.
        warned: bool,
        /// Only 先支后补 not yet filed.
        paid_first_open: bool,
    },
    /// Open a list of 智能名单 by name.
    OpenList(String),
    /// Open 走访 at a worker's visits in a month (year, month).
    OpenVisits(WorkerId, i32, u32),
    /// Copy an ID number or phone: the clipboard is cleared again after 30 seconds.
    CopySecret(String),
    /// Close the ledger and open 从备份恢复 (it opened older than this PC has seen).
    RestoreFromBackup,
    /// 备份到U盘: write the whole vault into this folder.
    BackupTo(PathBuf),
    /// A backup to a USB stick was written and checked: remember when.
    BackupDone,
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
    /// The vault's folder (`data/`), inside the committee folder.
    pub vault_dir: &'a Path,
}

impl View<'_> {
    /// The committee's name, for the head of a printed list or report.
    pub fn committee_name(&self) -> String {
        self.ledger
            .committee
            .committee
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

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
    #[cfg(any(test, feature = "testing"))]
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
    #[cfg(any(test, feature = "testing"))]
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

    /// Locks (saving what is unsaved) and opens 从备份恢复 with the key that unlocked.
    fn lock_and_restore(&mut self) {
        let Screen::Open(session) = &self.screen else {
            return;
        };
        let key = session.vault.key();
        let reason = session.open_warnings.join("\n");
        self.lock(None);
        if let Screen::Locked(screen) = &mut self.screen {
            screen.open_restore(&self.ctx, key, reason);
        }
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
                let mut restore = false;
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
                        Action::OpenProblem(id) => {
                            session.section = Section::Problems;
                            session.problems.open(id);
                        }
                        Action::OpenProject(id) => {
                            session.section = Section::Projects;
                            session.projects.open(id);
                        }
                        Action::OpenPayment(id) => {
                            session.section = Section::Funds;
                            session.funds.open_payment(id, session.vault.ledger());
                        }
                        Action::OpenFunds {
                            warned,
                            paid_first_open,
                        } => {
                            session.section = Section::Funds;
                            session.funds.open_filtered(warned, paid_first_open);
                        }
                        Action::OpenReception(id) => {
                            session.section = Section::Desk;
                            session.desk.open_reception(id, session.vault.ledger());
                        }
                        Action::CopySecret(text) => self.clipboard.copy(&ctx, text),
                        Action::RestoreFromBackup => restore = true,
                        Action::BackupTo(folder) => session.start_archive(folder, &ctx),
                        Action::BackupDone => session.archive_done(),
                    }
                }
                session.autosave(&ctx);
                if restore {
                    self.lock_and_restore();
                } else if lock {
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
                    if s.section == Section::Problems {
                        line.push(' ');
                        line.push_str(&s.problems.trace_state());
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

/// The app's icon: 四百 on red (`assets/icon/`; the .ico beside it is the same at Windows'
/// sizes).
const ICON_PNG: &[u8] = include_bytes!("../../assets/icon/sibai.png");

/// Runs the app on the vault in `dir` until the window is closed; a window that cannot open is
/// reported on the terminal.
pub fn run(dir: &Path) -> ExitCode {
    match open_window(dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("错误：{message}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the app's window on the vault in `dir` and returns when it is closed, or says in
/// Chinese why the window could not open.
pub fn open_window(dir: &Path) -> Result<(), String> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("四百 · 居委会台账")
        .with_inner_size([1280.0, 820.0])
        .with_min_inner_size([960.0, 640.0]);
    // The window's icon in the title bar and task bar (sibai.exe carries the same one, for
    // the desktop and the file manager: build.rs).
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..eframe::NativeOptions::default()
    };
    let dir = dir.to_path_buf();
    // Where this PC remembers the newest save seen of each vault (`SIBAI_STATE_DIR`, as the
    // commands read it; the tests keep it to themselves).
    let vault_options = VaultOptions {
        state_dir: std::env::var_os("SIBAI_STATE_DIR").map(PathBuf::from),
        ..VaultOptions::default()
    };
    eframe::run_native(
        "sibai",
        options,
        Box::new(move |cc| Ok(Box::new(SibaiApp::new(cc, &dir, vault_options)))),
    )
    .map_err(|e| {
        format!("无法打开窗口：{e}。请确认这台电脑的显卡驱动可以显示 OpenGL 2 以上的画面。")
    })
}

#[cfg(test)]
mod icon_tests {
    #[test]
    fn the_icon_is_a_square_png_eframe_reads() {
        let icon =
            eframe::icon_data::from_png_bytes(super::ICON_PNG).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }
}
