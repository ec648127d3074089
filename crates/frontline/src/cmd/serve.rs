//! `frontline serve`.

use crate::globals::Globals;

/// Arguments of `frontline serve`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `frontline serve`.
pub fn run(_args: Args, _globals: &Globals) -> anyhow::Result<()> {
    anyhow::bail!("`frontline serve` is not built yet")
}
