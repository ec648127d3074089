//! `frontline geoparse`.

use crate::globals::Globals;

/// Arguments of `frontline geoparse`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `frontline geoparse`.
pub fn run(_args: Args, _globals: &Globals) -> anyhow::Result<()> {
    anyhow::bail!("`frontline geoparse` is not built yet")
}
