//! The `sibai` binary: the desktop app with no arguments, a headless subcommand otherwise.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    sibai::cli::run(sibai::cli::Cli::parse())
}
