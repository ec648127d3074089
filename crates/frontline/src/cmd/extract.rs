//! `frontline extract`.

use crate::globals::Globals;

/// Arguments of `frontline extract`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `frontline extract`.
pub fn run(_args: Args, _globals: &Globals) -> anyhow::Result<()> {
    anyhow::bail!("`frontline extract` is not built yet")
}
