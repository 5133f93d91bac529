//! The `sibai` binary: the desktop app with no arguments (or `sibai gui [DIR]`), a headless
//! subcommand otherwise.

use clap::Parser;
use sibai::cli::{Cli, Command};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    sibai::memory::configure();
    let cli = Cli::parse();
    match cli.command {
        None => sibai::gui::run(&PathBuf::from(".")),
        Some(Command::Gui(args)) => sibai::gui::run(&args.dir),
        Some(_) => sibai::cli::run(cli),
    }
}
