//! Frontline's HTTP API and embedded web UI.
//!
//! [`router`] builds the axum application over an [`AppState`] (a few connections to one
//! store, and optionally the extraction pipeline); [`serve`] runs it until Ctrl-C.
//!
//! Endpoints (documented in `docs/api.md` and at `GET /openapi.json`):
//! - `GET /api/events`: fused events, filtered and paged, as JSON or GeoJSON;
//! - `GET /api/events/{id}`: one fused event with its reports, quotes, evidence and
//!   contradictions;
//! - `GET /api/documents/{id}`: a report's text with its mention spans;
//! - `GET /api/stats`: counts by day, type, ACLED type and country;
//! - `POST /api/extract`: run the pipeline on one article;
//! - `GET /api/health`, `GET /openapi.json`;
//! - `GET /`: the web UI (map, timeline, filters, event panel, article view, paste page).
//!
//! Errors are JSON `{"error": {"code", "message"}}` with stable codes ([`AppError`]).
//! Requests time out, the number in flight is bounded, and the demo binds to loopback.

pub mod api;
pub mod assets;
pub mod error;
pub mod samples;
pub mod state;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::AppError;
pub use state::{AppState, Extractor, ServerConfig};

/// The default address: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Builds the application.
pub fn router(state: AppState) -> Router {
    let cfg = state.config().clone();
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .route("/openapi.json", get(api::openapi))
        .route("/api/health", get(api::health))
        .route("/api/events", get(api::list_events))
        .route("/api/events/{id}", get(api::get_event))
        .route("/api/documents/{id}", get(api::get_document))
        .route("/api/stats", get(api::stats))
        .route(
            "/api/extract",
            // One byte more than the limit, so the handler sees and reports oversize bodies.
            post(api::extract).layer(DefaultBodyLimit::max(cfg.max_body_bytes + 1)),
        )
        .fallback(not_found)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            cfg.request_timeout + std::time::Duration::from_secs(5),
        ))
        // Global: one semaphore for every route (`ConcurrencyLimitLayer` would give each
        // route its own, so the bound would be per route, not per server).
        .layer(GlobalConcurrencyLimitLayer::new(cfg.max_concurrency.max(1)))
        .with_state(state)
}

async fn not_found(uri: Uri) -> AppError {
    AppError::NotFound {
        what: "route",
        id: uri.path().to_string(),
    }
}

/// Serves `app` on `listener` until Ctrl-C (or SIGTERM).
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Binds `addr`, with an error that names it.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))
}

async fn shutdown_signal() {
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
