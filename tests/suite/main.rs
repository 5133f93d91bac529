//! The integration suite: one binary, a module per area (like mdBook and ripgrep).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
// A test tells one story from start to end (a flow through the app, a publish with its
// seeded leaks); split into pieces it would no longer read as one.
#![allow(clippy::too_many_lines)]

mod app;
mod app_brief;
mod app_funds;
mod app_problems;
mod browser;
mod cli;
mod crash;
mod fixtures;
mod guard;
mod id_number;
mod import;
mod lock;
mod publish;
mod recovery;
mod vault_errors;
mod vault_layout;
mod vault_members;
mod vault_roundtrip;
mod window;
