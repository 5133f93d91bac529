//! Copying an ID number or phone: the value goes to the system clipboard and is wiped from it
//! 30 seconds later (and at once on 锁定 or when the window closes), so it does not linger for
//! the next person at the shared office PC.

use eframe::egui;
use std::time::{Duration, Instant};

/// How long a copied ID number or phone stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// A copied secret waiting to be wiped.
#[derive(Default)]
pub struct Guard {
    pending: Option<Instant>,
}

impl Guard {
    /// Copies `text` and starts the 30-second clock.
    pub fn copy(&mut self, ctx: &egui::Context, text: String) {
        ctx.copy_text(text);
        self.pending = Some(Instant::now());
        ctx.request_repaint_after(CLEAR_AFTER);
    }

    /// Whether a copied value is still waiting to be wiped.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Wipes the clipboard when the time is up.
    pub fn tick(&mut self, ctx: &egui::Context) {
        if let Some(at) = self.pending {
            let left = CLEAR_AFTER.saturating_sub(at.elapsed());
            if left.is_zero() {
                self.clear_now(ctx);
            } else {
                ctx.request_repaint_after(left);
            }
        }
    }

    /// Wipes the clipboard now if a secret was copied.
    pub fn clear_now(&mut self, ctx: &egui::Context) {
        if self.pending.take().is_some() {
            ctx.copy_text(String::new());
        }
    }

    /// Moves the copy back in time (tests of the 30-second rule).
    #[cfg(any(test, feature = "testing"))]
    pub fn backdate(&mut self, by: Duration) {
        if let Some(at) = self.pending {
            self.pending = Some(at.checked_sub(by).unwrap_or(at));
        }
    }
}
