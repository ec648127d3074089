//! `frontline serve`: the HTTP API and web UI over an existing database.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use frontline_server::{AppState, Extractor, ServerConfig};
use frontline_store::Store;

use crate::globals::Globals;

/// Serve the HTTP API and the web UI (map, timeline, reports) over a database.
///
/// Open http://127.0.0.1:8080/ in a browser. The API is described at /openapi.json and in
/// docs/api.md. The server binds to loopback by default; give --addr 0.0.0.0:8080 to expose it.
/// POST /api/extract (and the paste page) is off unless --enable-extract is given.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database to serve (built by `frontline ingest`). Default: the data dir's frontline.db.
    #[arg(long, value_name = "PATH", env = "FRONTLINE_DB")]
    pub db: Option<PathBuf>,
    /// Address to listen on: IP:PORT, PORT (loopback) or localhost:PORT.
    #[arg(
        long,
        default_value = frontline_server::DEFAULT_ADDR,
        value_name = "IP:PORT",
        value_parser = crate::util::parse_addr
    )]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub server: ServerOpts,
}

/// Server limits shared by `serve` and `demo`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerOpts {
    /// Database connections used for reading in parallel.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub connections: usize,
    /// Largest article accepted by POST /api/extract, in KiB (larger ones get 413).
    #[arg(long, default_value_t = 512, value_name = "KIB")]
    pub max_body_kib: usize,
    /// Seconds a request may take before it is answered with 503 `timeout`.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    pub timeout: u64,
    /// Most requests to the read-only routes handled at once (more wait their turn).
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub concurrency: usize,
    /// Most extractions (POST /api/extract) running at once; each can take about 100 MB for
    /// the largest article. More wait for a turn until their deadline.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub extractions: usize,
    /// Load the extraction pipeline and answer POST /api/extract (the paste page). Off by
    /// default for `serve`: each extraction costs CPU and memory for anyone who can reach the
    /// server. `demo` has it on when it listens on loopback.
    #[arg(long)]
    pub enable_extract: bool,
    /// Also answer requests whose Host header is NAME (repeatable; `*` for any), e.g. the
    /// server's DNS name behind a proxy. IP addresses and localhost are always answered;
    /// other names are refused, against DNS rebinding.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

impl ServerOpts {
    /// The server configuration these options describe.
    pub fn config(&self) -> ServerConfig {
        ServerConfig {
            max_body_bytes: self.max_body_kib.saturating_mul(1024),
            request_timeout: Duration::from_secs(self.timeout.max(1)),
            max_concurrency: self.concurrency.max(1),
            max_extractions: self.extractions.max(1),
            allowed_hosts: frontline_server::HostAllowList::new(&self.allow_host),
            ..ServerConfig::default()
        }
    }
}

/// Runs `frontline serve`.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let path = match args.db {
        Some(p) => p,
        None => frontline_store::default_db_path()
            .context("no home directory to find the default database in; pass --db PATH")?,
    };
    if !path.exists() {
        anyhow::bail!(
            "no database at {}; build one with `frontline ingest --db {} ARTICLES...`, or try `frontline demo`",
            path.display(),
            path.display()
        );
    }
    let stores = open_stores(&path, args.server.connections)?;
    let extractor = if args.server.enable_extract {
        Some(pipeline(globals)?)
    } else {
        None
    };
    let counts = stores[0]
        .counts()
        .with_context(|| format!("cannot read {}", path.display()))?;
    let state = AppState::new(stores, extractor, args.server.config());
    let what = format!(
        "{} events from {} documents in {}",
        counts.fused_events,
        counts.documents,
        path.display()
    );
    serve_blocking(args.addr, state, &what, globals)
}

/// Opens `n` connections to the database at `path`.
pub fn open_stores(path: &Path, n: usize) -> anyhow::Result<Vec<Store>> {
    (0..n.max(1))
        .map(|_| {
            Store::open_existing(path)
                .with_context(|| format!("cannot open database {}", path.display()))
        })
        .collect()
}

/// The extraction pipeline the global options choose, as the server's extractor.
pub fn pipeline(globals: &Globals) -> anyhow::Result<Arc<dyn Extractor>> {
    Ok(Arc::new(crate::util::pipeline(globals)?))
}

/// Serves `state` on `addr` until Ctrl-C, printing the URL.
pub fn serve_blocking(
    addr: SocketAddr,
    state: AppState,
    what: &str,
    globals: &Globals,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = frontline_server::bind(addr).await?;
        let local = listener.local_addr().unwrap_or(addr);
        if !local.ip().is_loopback() && !globals.quiet {
            eprintln!(
                "warning: listening on {local}, reachable from other machines (by IP address; \
                 give --allow-host NAME for each DNS name clients use)"
            );
        }
        outln!("Serving {what}")?;
        outln!("Open http://{local}/ in a browser (Ctrl-C to stop)")?;
        let limits = frontline_server::ConnectionLimits::of(state.config());
        frontline_server::serve_with(
            listener,
            frontline_server::router(state),
            limits,
            frontline_server::shutdown_signal(),
        )
        .await
        .context("server failed")
    })
}
