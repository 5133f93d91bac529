//! A trace of what the app shows, for the end-to-end test that drives the real window from
//! outside (`tests/suite/window.rs`). Debug builds only, and only with `SIBAI_TRACE` set: the
//! app then writes one line to stderr whenever what it shows changes (the screen, the section,
//! the member who unlocked (a committee worker), whether the window has the keyboard, how many
//! households a search found, which household is open by its number). No resident's name,
//! address, ID number or phone, and no passphrase, is ever written. In a release build
//! [`enabled`] is false and nothing is built or written.

use std::sync::OnceLock;

/// Whether the trace is on (a debug build with `SIBAI_TRACE` set).
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    cfg!(debug_assertions) && *ON.get_or_init(|| std::env::var_os("SIBAI_TRACE").is_some())
}

/// Remembers the last line written, to write only changes.
#[derive(Default)]
pub struct Trace {
    last: String,
}

impl Trace {
    /// Writes `line` (built only when the trace is on) if it differs from the last one.
    pub fn show(&mut self, line: impl FnOnce() -> String) {
        if !enabled() {
            return;
        }
        let line = line();
        if line != self.last {
            eprintln!("sibai-trace {line}");
            self.last = line;
        }
    }
}
