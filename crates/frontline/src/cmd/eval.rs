//! `frontline eval`.

use crate::globals::Globals;

/// Subcommands of `frontline eval`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {}

/// Runs `frontline eval`.
pub fn run(command: Command, _globals: &Globals) -> anyhow::Result<()> {
    match command {}
}
