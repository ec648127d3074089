//! `frontline ingest`.

use crate::globals::Globals;

/// Arguments of `frontline ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `frontline ingest`.
pub fn run(_args: Args, _globals: &Globals) -> anyhow::Result<()> {
    anyhow::bail!("`frontline ingest` is not built yet")
}
