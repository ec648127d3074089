//! `frontline demo`: a database built from the bundled sample articles, served with the UI.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use frontline_server::AppState;
use frontline_store::Store;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cmd::serve::{ServerOpts, open_stores, pipeline, serve_blocking};
use crate::globals::Globals;

/// Build a demo database from the sample articles bundled in the binary, and serve it.
///
/// About thirty short reports, written for Frontline, on fictional events in real places
/// (Syria, Iraq, Yemen, Sudan, Ukraine, Burkina Faso, Somalia, Niger), most told by several
/// outlets: wire stories, syndicated and reworded copies, state broadcasters in their own
/// words, monitors' claims, with a few disagreements on tolls and perpetrators. They go through
/// the real pipeline and store, into a temporary folder deleted on exit (or --db PATH to keep
/// it), and the map opens at http://127.0.0.1:8080/. The paste page (POST /api/extract) is on
/// while the demo listens on loopback; on another address it needs --enable-extract.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on: IP:PORT, PORT (loopback) or localhost:PORT.
    #[arg(
        long,
        default_value = frontline_server::DEFAULT_ADDR,
        value_name = "IP:PORT",
        value_parser = crate::util::parse_addr
    )]
    pub addr: SocketAddr,
    /// Write the demo database here (kept after exit) instead of a temporary folder.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Build the database, print what was stored, and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Do not answer POST /api/extract (the paste page), even on loopback.
    #[arg(long)]
    pub no_extract: bool,
    #[command(flatten)]
    pub server: ServerOpts,
}

/// Runs `frontline demo`.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let Args {
        addr,
        db,
        no_serve,
        no_extract,
        server,
    } = args;
    let samples = frontline_server::samples::all().context("bundled samples are broken")?;
    let tmp = tempfile::Builder::new()
        .prefix("frontline-demo-")
        .tempdir()
        .context("cannot create a temporary folder for the demo database")?;
    let path = match db {
        Some(p) => {
            if p.exists() {
                anyhow::bail!(
                    "{} already exists; the demo writes a fresh database (remove it or pick another path)",
                    p.display()
                );
            }
            p
        }
        None => tmp.path().join("demo.db"),
    };
    let extractor = pipeline(globals)?;
    let store =
        Store::open(&path).with_context(|| format!("cannot create database {}", path.display()))?;

    let bar = if globals.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(samples.len() as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} articles")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("Extracting");
    let mut extractions = Vec::with_capacity(samples.len());
    for s in samples {
        let ex = extractor.extract(s.meta, &s.text);
        for w in &ex.warnings {
            tracing::warn!("sample {}: {w}", s.file);
        }
        extractions.push(ex);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let outcomes = store
        .put_extractions(&extractions)
        .context("cannot store the sample articles")?;
    let new = outcomes.iter().filter(|o| o.is_new()).count();
    let counts = store.counts().context("cannot count stored events")?;
    drop(store);
    let what = format!(
        "the demo: {new} sample articles, {} coded reports fused into {} events ({})",
        counts.events,
        counts.fused_events,
        path.display()
    );
    if no_serve {
        outln!("Built {what}")?;
        return Ok(());
    }
    let stores = open_stores(&path, server.connections)?;
    let extract = !no_extract && (addr.ip().is_loopback() || server.enable_extract);
    if !extract && !no_extract && !globals.quiet {
        eprintln!(
            "note: the paste page (POST /api/extract) is off on {addr}, which is not loopback; give --enable-extract to offer it"
        );
    }
    let extractor = extract.then_some(extractor);
    let state = AppState::new(stores, extractor, server.config());
    let result = serve_blocking(addr, state, &what, globals);
    drop(tmp);
    result
}
