//! `frontline gazetteer`.

use crate::globals::Globals;

/// Subcommands of `frontline gazetteer`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {}

/// Runs `frontline gazetteer`.
pub fn run(command: Command, _globals: &Globals) -> anyhow::Result<()> {
    match command {}
}
