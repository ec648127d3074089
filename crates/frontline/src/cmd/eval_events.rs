//! `frontline eval` suite: eval_events.

use crate::globals::Globals;

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs the suite.
pub fn run(_args: Args, _globals: &Globals) -> anyhow::Result<()> {
    anyhow::bail!("this evaluation is not built yet")
}
