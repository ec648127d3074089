//! `frontline watch`: keep a database current from news feeds (see docs/deploy.md).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use frontline_server::live::LiveSource;
use frontline_store::Store;
use frontline_watch::{Config, ExtractFn, Metrics, Watcher};
use tokio::sync::broadcast;

use crate::cmd::serve::ServerOpts;
use crate::globals::Globals;

/// Poll news feeds and sitemaps, fetch new articles, and store and fuse their events,
/// continuously.
///
/// The feeds file is TOML (see docs/feeds.example.toml) or an OPML outline. State (feed
/// validators, items seen, failures) lives in the database beside the documents, so a
/// restart goes on where it stopped: nothing is fetched twice and nothing is lost. Ctrl-C or
/// SIGTERM finishes the batch in progress, then stops.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  frontline watch --config feeds.toml --db news.db\n  \
frontline watch --config feeds.toml --db news.db --serve 127.0.0.1:8080\n  \
frontline watch --config feeds.opml --db news.db --once"
)]
pub struct Args {
    /// The feeds file (TOML, or OPML).
    #[arg(long, value_name = "PATH")]
    pub config: PathBuf,
    /// Database to keep current (created when missing). Default: the data dir's frontline.db.
    #[arg(long, value_name = "PATH", env = "FRONTLINE_DB")]
    pub db: Option<PathBuf>,
    /// Also serve the API, the map, /live, /feeds and /metrics on this address
    /// (IP:PORT, PORT for loopback).
    #[arg(long, value_name = "IP:PORT", value_parser = crate::util::parse_addr)]
    pub serve: Option<SocketAddr>,
    /// Poll every feed once, handle the items that are due, and exit (for cron and tests).
    #[arg(long)]
    pub once: bool,
    #[command(flatten)]
    pub server: ServerOpts,
}

/// The watcher as the server's live source.
struct Live {
    watcher: Arc<Watcher>,
    metrics: Arc<Metrics>,
    store: Store,
    updates: broadcast::Sender<String>,
}

impl LiveSource for Live {
    fn metrics(&self) -> String {
        let mut text = self.metrics.render();
        if let Ok(c) = self.store.counts() {
            text.push_str(&format!(
                "# HELP frontline_store_documents Documents in the database.\n\
                 # TYPE frontline_store_documents gauge\nfrontline_store_documents {}\n\
                 # HELP frontline_store_fused_events Fused events in the database.\n\
                 # TYPE frontline_store_fused_events gauge\nfrontline_store_fused_events {}\n",
                c.documents, c.fused_events
            ));
        }
        text
    }

    fn feeds(&self) -> serde_json::Value {
        match self.watcher.health() {
            Ok(h) => serde_json::to_value(h).unwrap_or_default(),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<String> {
        self.updates.subscribe()
    }
}

/// Runs `frontline watch`.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let config = Config::load(&args.config)?;
    if config.feeds.is_empty() {
        anyhow::bail!("{}: no feeds listed", args.config.display());
    }
    let path = match args.db {
        Some(p) => p,
        None => frontline_store::default_db_path()
            .context("no home directory to find the default database in; pass --db PATH")?,
    };
    let store = Arc::new(
        Store::open(&path).with_context(|| format!("cannot open database {}", path.display()))?,
    );
    let pipeline = Arc::new(crate::util::pipeline(globals)?);
    let extract: ExtractFn = Arc::new(move |meta, text: &str| pipeline.extract(meta, text));
    let metrics = Arc::new(Metrics::default());
    let feeds = config.feeds.len();
    let watcher = Arc::new(Watcher::new(config, store, extract, metrics.clone())?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let quiet = globals.quiet;
        tokio::spawn(async move {
            frontline_server::shutdown_signal().await;
            if !quiet {
                eprintln!("stopping after the batch in progress…");
            }
            let _ = stop_tx.send(true);
        });
        if let Some(addr) = args.serve {
            serve(
                addr,
                &path,
                &args.server,
                watcher.clone(),
                metrics,
                stop_rx.clone(),
            )
            .await?;
        }
        if !globals.quiet {
            eprintln!("watching {feeds} feeds into {}", path.display());
        }
        let summary = watcher.run(stop_rx, args.once).await?;
        if !globals.quiet {
            eprintln!(
                "polls: {} changed, {} unchanged (304), {} failed; documents stored: {}; \
                 duplicates: {}; items skipped or failed: {}",
                summary.polls_changed,
                summary.polls_not_modified,
                summary.polls_failed,
                summary.documents,
                summary.duplicates,
                summary.failed
            );
        }
        Ok(())
    })
}

/// Starts the API and UI with the live routes, in the background of the watcher.
async fn serve(
    addr: SocketAddr,
    path: &std::path::Path,
    opts: &ServerOpts,
    watcher: Arc<Watcher>,
    metrics: Arc<Metrics>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let stores = crate::cmd::serve::open_stores(path, opts.connections)?;
    let state = frontline_server::AppState::new(stores, None, opts.config());
    let (updates, _) = broadcast::channel(64);
    let mut batches = watcher.subscribe();
    let forward = updates.clone();
    tokio::spawn(async move {
        loop {
            match batches.recv().await {
                Ok(u) => {
                    let _ = forward.send(serde_json::to_string(&u).unwrap_or_default());
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    let live = Arc::new(Live {
        watcher,
        metrics,
        store: Store::open_existing(path)?,
        updates,
    });
    let app = frontline_server::live::announce(
        frontline_server::router(state.clone())
            .merge(frontline_server::live::live_router(state.clone(), live)),
    );
    let listener = frontline_server::bind(addr).await?;
    let local = listener.local_addr().unwrap_or(addr);
    eprintln!("serving http://{local}/ (map), /live, /feeds and /metrics");
    let limits = frontline_server::ConnectionLimits::of(state.config());
    tokio::spawn(async move {
        let until = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        if let Err(e) = frontline_server::serve_with(listener, app, limits, until).await {
            tracing::error!("server failed: {e}");
        }
    });
    Ok(())
}
