//! Shared state: a small pool of store connections and the extraction pipeline.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use frontline_model::{DocumentMeta, Extraction};
use frontline_store::{Store, StoreError};

use crate::error::AppError;

/// Runs the extraction pipeline for `POST /api/extract`.
///
/// Implemented for [`frontline_extract::pipeline::Pipeline`]; a trait so the server can be
/// built without one (the endpoint then answers 503 `unavailable`).
pub trait Extractor: Send + Sync + 'static {
    /// Extracts everything from one article.
    fn extract(&self, meta: DocumentMeta, text: &str) -> Extraction;
}

impl Extractor for frontline_extract::pipeline::Pipeline {
    fn extract(&self, meta: DocumentMeta, text: &str) -> Extraction {
        frontline_extract::pipeline::Pipeline::extract(self, meta, text)
    }
}

/// Limits and defaults of the server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Largest body accepted by `POST /api/extract`, in bytes.
    pub max_body_bytes: usize,
    /// Longest a request may take before it is answered with 503 `timeout`.
    pub request_timeout: Duration,
    /// Most requests handled at once; more wait their turn.
    pub max_concurrency: usize,
    /// Most events one page of `/api/events` may hold.
    pub max_page: u32,
    /// Events per page when `limit` is not given.
    pub default_page: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 512 * 1024,
            request_timeout: Duration::from_secs(30),
            max_concurrency: 64,
            max_page: 10_000,
            default_page: 500,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    stores: Vec<Arc<Store>>,
    next: AtomicUsize,
    extractor: Option<Arc<dyn Extractor>>,
    config: ServerConfig,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("stores", &self.inner.stores.len())
            .field("extractor", &self.inner.extractor.is_some())
            .field("config", &self.inner.config)
            .finish()
    }
}

impl AppState {
    /// State over one or more connections to the same database (queries are spread over
    /// them round-robin; SQLite's WAL lets them read in parallel).
    ///
    /// # Panics
    /// Never; an empty `stores` is answered with 500 on every query.
    pub fn new(
        stores: Vec<Store>,
        extractor: Option<Arc<dyn Extractor>>,
        config: ServerConfig,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                stores: stores.into_iter().map(Arc::new).collect(),
                next: AtomicUsize::new(0),
                extractor,
                config,
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// Runs a store query on the blocking pool, within the request timeout.
    pub async fn query<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let n = self.inner.stores.len();
        if n == 0 {
            return Err(AppError::internal("no database connection configured"));
        }
        let i = self.inner.next.fetch_add(1, Ordering::Relaxed) % n;
        let store = Arc::clone(&self.inner.stores[i]);
        let task = tokio::task::spawn_blocking(move || f(&store));
        match tokio::time::timeout(self.inner.config.request_timeout, task).await {
            Err(_) => Err(AppError::Timeout),
            Ok(joined) => joined?.map_err(store_error),
        }
    }

    /// Runs the extraction pipeline on the blocking pool, within the request timeout.
    pub async fn extract(&self, meta: DocumentMeta, text: String) -> Result<Extraction, AppError> {
        let Some(extractor) = self.inner.extractor.clone() else {
            return Err(AppError::Unavailable(
                "this server was started without an extraction pipeline".into(),
            ));
        };
        let task = tokio::task::spawn_blocking(move || extractor.extract(meta, &text));
        match tokio::time::timeout(self.inner.config.request_timeout, task).await {
            Err(_) => Err(AppError::Timeout),
            Ok(joined) => Ok(joined?),
        }
    }
}

fn store_error(e: StoreError) -> AppError {
    match e {
        StoreError::BadQuery(msg) => AppError::bad_request("invalid_query", msg),
        other => AppError::internal(other),
    }
}
