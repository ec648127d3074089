//! `frontline eval`: scoring against gold standards. Each suite has its own module.

use crate::globals::Globals;

/// Subcommands of `frontline eval`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Score the geoparser on a corpus in the EUPEG line format.
    Geo(super::eval_geo::Args),
    /// Score the event coder on a validation suite.
    Events(super::eval_events::Args),
}

/// Runs `frontline eval`.
pub fn run(command: Command, globals: &Globals) -> anyhow::Result<()> {
    match command {
        Command::Geo(a) => super::eval_geo::run(a, globals),
        Command::Events(a) => super::eval_events::run(a, globals),
    }
}
