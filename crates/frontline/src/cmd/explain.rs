//! `frontline explain`.

use crate::globals::Globals;

/// Arguments of `frontline explain`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `frontline explain`.
pub fn run(_args: Args, _globals: &Globals) -> anyhow::Result<()> {
    anyhow::bail!("`frontline explain` is not built yet")
}
