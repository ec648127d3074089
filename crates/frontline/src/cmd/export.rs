//! `frontline export`.

use crate::globals::Globals;

/// Arguments of `frontline export`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `frontline export`.
pub fn run(_args: Args, _globals: &Globals) -> anyhow::Result<()> {
    anyhow::bail!("`frontline export` is not built yet")
}
