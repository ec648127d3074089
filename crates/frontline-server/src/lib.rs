//! Frontline's HTTP API and embedded web UI.
//!
//! [`router`] builds the axum application over an [`AppState`] (a few connections to one
//! store, and optionally the extraction pipeline); [`serve`] runs it until Ctrl-C.
//!
//! Endpoints (documented in `docs/api.md` and at `GET /openapi.json`):
//! - `GET /api/events`: fused events, filtered and paged, as JSON or GeoJSON, or every
//!   matching event as streamed CSV (`format=csv`);
//! - `GET /api/events/{id}`: one fused event with its reports, quotes, evidence and
//!   contradictions;
//! - `GET /api/documents/{id}`: a report's text with its mention spans;
//! - `GET /api/stats`: counts by day, type, ACLED type and country;
//! - `POST /api/extract`: run the pipeline on one article;
//! - `GET /api/health`, `GET /openapi.json`;
//! - `GET /`: the web UI (map, timeline, filters, event panel, article view, paste page).
//!
//! Errors are JSON `{"error": {"code", "message"}}` with stable codes ([`AppError`]), 404,
//! 405 and 414 included. Requests time out; the read-only routes and extraction have separate
//! bounds on what is in flight; [`serve_with`] times out slow headers and caps connections;
//! [`guard`] checks the `Host` header (against DNS rebinding) and adds the security headers;
//! the server binds to loopback by default.

pub mod api;
pub mod assets;
pub mod error;
pub mod guard;
pub mod live;
pub mod rows;
pub mod samples;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::AppError;
pub use state::{AppState, Extractor, HostAllowList, ServerConfig};

/// The default address: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Builds the application.
///
/// Two pools of request slots: the read-only routes share one (`max_concurrency`), and
/// `POST /api/extract` has its own (`max_extract_requests`, body reading included), so that
/// slow or many extraction requests never hold the slots the map and the API read with.
/// Around both: the Host allow-list, the URI length limit, the security headers and JSON
/// answers for 404 and 405.
pub fn router(state: AppState) -> Router {
    let cfg = state.config().clone();
    let timeout = || {
        TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            cfg.request_timeout + Duration::from_secs(5),
        )
    };
    let reads = Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .route("/openapi.json", get(api::openapi))
        .route("/api/health", get(api::health))
        .route("/api/events", get(api::list_events))
        .route("/api/events/{id}", get(api::get_event))
        .route("/api/documents/{id}", get(api::get_document))
        .route("/api/stats", get(api::stats))
        .route_layer(timeout())
        // Global: one semaphore for every read route (`ConcurrencyLimitLayer` applied with
        // `Router::layer` would give each route its own).
        .route_layer(GlobalConcurrencyLimitLayer::new(cfg.max_concurrency.max(1)));
    // The handler reads the body itself, with its size limit and deadline (axum's body limit
    // applies to its own extractors, not to the raw body).
    let extract = Router::new()
        .route("/api/extract", post(api::extract))
        .route_layer(timeout())
        .route_layer(GlobalConcurrencyLimitLayer::new(
            cfg.max_extract_requests.max(1),
        ));
    reads
        .merge(extract)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::check_request,
        ))
        .layer(axum::middleware::from_fn(guard::security_headers))
        .with_state(state)
}

async fn not_found(uri: Uri) -> AppError {
    AppError::NotFound {
        what: "route",
        id: uri.path().to_string(),
    }
}

async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> AppError {
    AppError::MethodNotAllowed {
        method: method.to_string(),
        path: uri.path().to_string(),
    }
}

/// Connection limits of [`serve_with`].
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// Longest a client may take to send a request's headers, counted from the moment the
    /// server waits for them (a new connection, or an idle kept-alive one); then the
    /// connection is closed.
    pub header_read_timeout: Duration,
    /// Most connections open at once; more wait in the listen queue until one closes.
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// The limits of a server configuration.
    pub fn of(cfg: &ServerConfig) -> Self {
        Self {
            header_read_timeout: cfg.header_read_timeout,
            max_connections: cfg.max_connections,
        }
    }
}

/// Serves `app` on `listener` until Ctrl-C (or SIGTERM), with the default
/// [`ConnectionLimits`].
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    serve_with(
        listener,
        app,
        ConnectionLimits::of(&ServerConfig::default()),
        shutdown_signal(),
    )
    .await
}

/// Serves `app` on `listener` over HTTP/1.1 until `shutdown` completes: at most
/// `limits.max_connections` connections at once, each closed when a request's headers take
/// longer than `limits.header_read_timeout`. On shutdown, no new connection is accepted and
/// open ones finish their request in progress (for at most 10 seconds).
///
/// axum's own `serve` has neither bound: half-sent headers were never timed out, and idle
/// sockets could use up the process's file descriptors.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => break,
            p = Arc::clone(&slots).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors and the like: wait a little rather than spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut stop = stop_rx.clone();
        let header_timeout = limits.header_read_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            let result = tokio::select! {
                r = conn.as_mut() => r,
                () = async { let _ = stop.wait_for(|s| *s).await; } => {
                    conn.as_mut().graceful_shutdown();
                    match tokio::time::timeout(Duration::from_secs(10), conn.as_mut()).await {
                        Ok(r) => r,
                        Err(_) => Ok(()),
                    }
                }
            };
            if let Err(e) = result {
                tracing::debug!(%peer, "connection ended: {e}");
            }
        });
    }
    let _ = stop_tx.send(true);
    // Wait for the open connections to finish (each holds a slot until it ends).
    let all = u32::try_from(limits.max_connections.max(1)).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(11), slots.acquire_many(all)).await;
    Ok(())
}

/// Binds `addr`, with an error that names it.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
