//! `frontline eval`: scoring against gold standards. Each suite has its own module.

use crate::globals::Globals;

/// Subcommands of `frontline eval`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Score the geoparser on a corpus in the EUPEG line format.
    Geo(super::eval_geo::Args),
    /// Score the event coder on the project's own sentence suite (a regression suite).
    Events(super::eval_events::Args),
    /// Score whole real documents against the ACLED-style gold (docs/evaluation.md).
    Articles(super::eval_articles::Args),
    /// Score the event coder on the PLOVER gold standard records.
    Plover(super::eval_plover::Args),
    /// Score the geoparser's toponyms against re3d's Location gold where the schemes agree.
    Re3d(super::eval_re3d::Args),
}

/// Runs `frontline eval`.
pub fn run(command: Command, globals: &Globals) -> anyhow::Result<()> {
    match command {
        Command::Geo(a) => super::eval_geo::run(a, globals),
        Command::Events(a) => super::eval_events::run(a, globals),
        Command::Articles(a) => super::eval_articles::run(a, globals),
        Command::Plover(a) => super::eval_plover::run(a, globals),
        Command::Re3d(a) => super::eval_re3d::run(a, globals),
    }
}
