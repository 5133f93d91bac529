//! sibai (四百): the records and public notices of a Shanghai residents' committee.
//!
//! Modules depend one way: `model` → `store` → `publish` → `gui`, `cli` (nothing calls `gui` or
//! `cli`; the binary picks one). `demo` builds a fictitious committee from `model` types only.
//! `memory` (the allocator) depends on nothing.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod cli;
pub mod demo;
pub mod gui;
pub mod import;
pub mod memory;
pub mod model;
pub mod publish;
pub mod store;
