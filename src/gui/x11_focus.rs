//! Keyboard focus on an X11 display without a window manager.
//!
//! Under X11 the window manager gives a new window the keyboard. With none running (a kiosk
//! session, a bare Xvfb) the server's focus stays "pointer root", winit never receives a
//! `FocusIn` and drops every key (winit 0.30 forwards keys only to the window it saw focused).
//! So when no window manager announces itself (`_NET_SUPPORTING_WM_CHECK` on the root window),
//! the app takes the keyboard itself once its window is on screen, and again when it is clicked
//! while unfocused. With a window manager it does nothing: focus is the manager's job.

use raw_window_handle::{HasWindowHandle, RawWindowHandle};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, InputFocus, MapState};
use x11rb::rust_connection::RustConnection;

/// A second connection to the app's X display, to hand its window the keyboard.
pub struct X11Focus {
    conn: RustConnection,
    window: u32,
    /// Whether the first focus (once the window is viewable) has been given.
    given: bool,
}

impl X11Focus {
    /// The helper for the window behind `handle`, when it is an X11 window on a display with
    /// no window manager; `None` otherwise (Wayland, Windows, a managed X11 desktop).
    pub fn new(handle: &impl HasWindowHandle) -> Option<X11Focus> {
        let window = match handle.window_handle().ok()?.as_raw() {
            RawWindowHandle::Xlib(h) => u32::try_from(h.window).ok()?,
            RawWindowHandle::Xcb(h) => h.window.get(),
            _ => return None,
        };
        let (conn, screen) = RustConnection::connect(None).ok()?;
        let root = conn.setup().roots.get(screen)?.root;
        if has_window_manager(&conn, root) {
            return None;
        }
        Some(X11Focus {
            conn,
            window,
            given: false,
        })
    }

    /// Gives the window the keyboard if it is on screen and has not had it yet, or when
    /// `clicked` (the user clicked it while another window held the keyboard). Returns whether
    /// it still waits for the window to appear (the caller asks for another frame).
    pub fn tick(&mut self, focused: bool, clicked: bool) -> bool {
        if focused {
            self.given = true;
            return false;
        }
        if self.given && !clicked {
            return false;
        }
        if !self.viewable() {
            return true;
        }
        // Errors (the window gone, the server gone) leave the app as it was: keys then do not
        // arrive, which is what happened without this helper.
        let sent = self
            .conn
            .set_input_focus(InputFocus::PARENT, self.window, x11rb::CURRENT_TIME)
            .is_ok()
            && self.conn.flush().is_ok();
        self.given = true;
        !sent
    }

    fn viewable(&self) -> bool {
        self.conn
            .get_window_attributes(self.window)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|a| a.map_state == MapState::VIEWABLE)
    }
}

/// Whether an EWMH window manager runs: it sets `_NET_SUPPORTING_WM_CHECK` on the root window.
fn has_window_manager(conn: &RustConnection, root: u32) -> bool {
    let Ok(atom) = conn
        .intern_atom(true, b"_NET_SUPPORTING_WM_CHECK")
        .map_err(drop)
        .and_then(|c| c.reply().map_err(drop))
    else {
        return false;
    };
    if atom.atom == 0 {
        return false;
    }
    conn.get_property(false, root, atom.atom, AtomEnum::WINDOW, 0, 1)
        .ok()
        .and_then(|c| c.reply().ok())
        .is_some_and(|p| p.value_len > 0)
}
