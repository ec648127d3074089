//! The `frontline` command-line tool: turns news reports about armed conflict into structured,
//! geolocated, sourced event records.
//!
//! Each subcommand lives in its own module under `cmd/`; this file parses arguments, sets up
//! logging, and turns errors into a one-line message and a non-zero exit. Like ripgrep, it
//! quits quietly when its output pipe is closed (`frontline extract ... | head`).

/// `println!` that returns the write error instead of panicking: a closed output pipe
/// (`frontline gazetteer lookup X | head -1`) then ends the command quietly (see
/// `is_broken_pipe`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod cmd;
mod globals;
mod table;
mod util;

/// The compact JSON writer (also used by the store), as `crate::json`.
use frontline_model::json;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::globals::Globals;

/// mimalloc: the pipeline makes many small short-lived allocations per article.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Frontline: structured, geolocated, sourced event records from news reports.
///
/// Typical use:
///
///   frontline demo                                  # map of the bundled sample events
///   frontline extract article.txt --published 2017-06-18 --format table
///   frontline ingest ./articles/ && frontline export --format csv > events.csv
#[derive(Debug, Parser)]
#[command(name = "frontline", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    globals: Globals,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    // About and long help: the doc comment of the Args struct (a doc comment here would
    // replace it, examples included).
    Extract(cmd::extract::Args),
    /// Find and resolve the place names in an article and print them as JSON.
    Geoparse(cmd::geoparse::Args),
    /// Explain, for people, why each event in an article was coded as it was.
    Explain(cmd::explain::Args),
    /// Manage the gazetteer (import a full GeoNames dump).
    #[command(subcommand)]
    Gazetteer(cmd::gazetteer::Command),
    /// Score Frontline against gold standards.
    #[command(subcommand)]
    Eval(cmd::eval::Command),
    // About and long help: the doc comment of the Args struct (a doc comment here would
    // replace it, examples included).
    Ingest(cmd::ingest::Args),
    // About and long help: the doc comment of the Args struct (a doc comment here would
    // replace it, examples included).
    Export(cmd::export::Args),
    // About and long help: the doc comment of the Args struct (a doc comment here would
    // replace it, examples included).
    Serve(cmd::serve::Args),
    // About and long help: the doc comment of the Args struct (a doc comment here would
    // replace it, examples included).
    Demo(cmd::demo::Args),
    // About and long help: the doc comment of the Args struct.
    Watch(cmd::watch::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.globals.init_logging();
    let result = match cli.command {
        Command::Extract(a) => cmd::extract::run(a, &cli.globals),
        Command::Geoparse(a) => cmd::geoparse::run(a, &cli.globals),
        Command::Explain(a) => cmd::explain::run(a, &cli.globals),
        Command::Gazetteer(c) => cmd::gazetteer::run(c, &cli.globals),
        Command::Eval(c) => cmd::eval::run(c, &cli.globals),
        Command::Ingest(a) => cmd::ingest::run(a, &cli.globals),
        Command::Export(a) => cmd::export::run(a, &cli.globals),
        Command::Serve(a) => cmd::serve::run(a, &cli.globals),
        Command::Demo(a) => cmd::demo::run(a, &cli.globals),
        Command::Watch(a) => cmd::watch::run(a, &cli.globals),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Whether the error chain bottoms out in a closed output pipe.
/// (Writers that wrap the I/O error in their own, JSON and CSV, are looked into.)
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
            || e.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}
