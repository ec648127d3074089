//! `frontline demo`.

use crate::globals::Globals;

/// Arguments of `frontline demo`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `frontline demo`.
pub fn run(_args: Args, _globals: &Globals) -> anyhow::Result<()> {
    anyhow::bail!("`frontline demo` is not built yet")
}
