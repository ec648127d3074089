//! Options shared by every subcommand.

use std::path::PathBuf;

use clap::Args;

/// The help heading of the options every subcommand takes, listed after the command's own.
const GLOBAL: &str = "Global options";

/// Options shared by every subcommand.
#[derive(Debug, Args)]
pub struct Globals {
    /// Gazetteer index to use instead of the embedded default (built by `frontline gazetteer
    /// import`). Without it, an index imported into the data dir is used if present.
    #[arg(long, global = true, value_name = "PATH", env = "FRONTLINE_GAZETTEER", help_heading = GLOBAL)]
    pub gazetteer: Option<PathBuf>,
    /// Extra dictionary folder (actors/, sources/ and triggers/ TOML files) added to the built-in
    /// actor, outlet and trigger tables, so they can be extended without recompiling.
    #[arg(long, global = true, value_name = "DIR", env = "FRONTLINE_DICTIONARY", help_heading = GLOBAL)]
    pub dictionary: Option<PathBuf>,
    /// More log output (-v info, -vv debug, -vvv trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,
    /// Only errors on stderr; no progress bars.
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,
}

impl Globals {
    /// Sets up `tracing` on stderr.
    pub fn init_logging(&self) {
        let level = if self.quiet {
            "error"
        } else {
            match self.verbose {
                0 => "warn",
                1 => "info",
                2 => "debug",
                _ => "trace",
            }
        };
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
        // Colour codes only on a terminal: not in files, pipes or CI logs.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_writer(std::io::stderr)
            .with_target(false)
            .try_init();
    }
}
