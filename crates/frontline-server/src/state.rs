//! Shared state: a small pool of store connections and the extraction pipeline.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

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

    /// Like [`Extractor::extract`], giving up (`None`) once `cancel` is set, as soon as the
    /// implementation next looks at it. The server sets it when the request times out.
    ///
    /// The default runs [`Extractor::extract`] to its end and then looks: the pipeline has
    /// no point inside one document where it could stop (it is linear in the text's length,
    /// which the body limit bounds).
    fn extract_cancellable(
        &self,
        meta: DocumentMeta,
        text: &str,
        cancel: &AtomicBool,
    ) -> Option<Extraction> {
        if cancel.load(Ordering::Relaxed) {
            return None;
        }
        let ex = self.extract(meta, text);
        (!cancel.load(Ordering::Relaxed)).then_some(ex)
    }
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
    /// Most requests to the read-only routes handled at once; more wait their turn.
    pub max_concurrency: usize,
    /// Most requests to `POST /api/extract` in flight at once, reading their bodies
    /// included; more wait their turn. Separate from `max_concurrency`, so that extraction
    /// requests never hold the slots of the read-only routes.
    pub max_extract_requests: usize,
    /// Most extractions running at once; a request waits for one of these slots until its
    /// deadline, then gets 503 `busy`.
    pub max_extractions: usize,
    /// Longest the body of a request may take to arrive (408 `body_timeout`); counted
    /// inside `request_timeout`.
    pub body_read_timeout: Duration,
    /// Largest body of the full form of `POST /api/extract` (`view=full`); larger gets 422
    /// `response_too_large`.
    pub max_extract_response_bytes: usize,
    /// Most events listed by the summary form of `POST /api/extract` (the default).
    pub max_summary_events: usize,
    /// Longest a client may take to send a request's headers (see [`crate::serve_with`]).
    pub header_read_timeout: Duration,
    /// Most connections open at once (see [`crate::serve_with`]).
    pub max_connections: usize,
    /// Longest request URI answered (414 `uri_too_long` beyond).
    pub max_uri_bytes: usize,
    /// Which `Host` headers are answered.
    pub allowed_hosts: HostAllowList,
    /// Most events one page of `/api/events` may hold.
    pub max_page: u32,
    /// Events per page when `limit` is not given.
    pub default_page: u32,
    /// Most reports one page of `/api/events/{id}` may hold.
    pub max_report_page: u32,
    /// Reports per page of `/api/events/{id}` when `limit` is not given.
    pub default_report_page: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 512 * 1024,
            request_timeout: Duration::from_secs(30),
            max_concurrency: 64,
            max_extract_requests: 8,
            max_extractions: 2,
            body_read_timeout: Duration::from_secs(10),
            max_extract_response_bytes: 8 * 1024 * 1024,
            max_summary_events: 200,
            header_read_timeout: Duration::from_secs(10),
            max_connections: 256,
            max_uri_bytes: 8 * 1024,
            allowed_hosts: HostAllowList::default(),
            max_page: 10_000,
            default_page: 500,
            max_report_page: 1_000,
            default_report_page: 100,
        }
    }
}

/// The `Host` headers a server answers, against DNS rebinding: a page on an attacker's domain
/// whose name is made to resolve to this machine would reach it with its own name as `Host`.
///
/// Always allowed: IP literals (`127.0.0.1:8080`, `[::1]`, the address the server was given:
/// a rebound page cannot send one, as its `Host` is its domain's name) and `localhost` (with
/// its subdomains, which browsers resolve to loopback themselves). Other names only when
/// listed (`--allow-host`); `*` allows any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostAllowList {
    names: Vec<String>,
}

impl HostAllowList {
    /// The default list plus `names` (case-insensitive; `*` allows any host).
    pub fn new<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self {
            names: names
                .into_iter()
                .map(|n| n.as_ref().trim().trim_end_matches('.').to_ascii_lowercase())
                .filter(|n| !n.is_empty())
                .collect(),
        }
    }

    /// Whether a request with this `Host` header value is answered.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim();
        let name = if let Some(rest) = host.strip_prefix('[') {
            // An IPv6 literal, with or without a port.
            let Some((ip, tail)) = rest.split_once(']') else {
                return false;
            };
            let port_ok = tail.is_empty()
                || tail
                    .strip_prefix(':')
                    .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            return port_ok && ip.parse::<std::net::Ipv6Addr>().is_ok();
        } else {
            match host.rsplit_once(':') {
                Some((name, port))
                    if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    name
                }
                Some(_) => return false,
                None => host,
            }
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty() {
            return false;
        }
        if name.parse::<std::net::Ipv4Addr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
        {
            return true;
        }
        self.names.iter().any(|n| n == "*" || *n == name)
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
    /// Slots of running extractions (`max_extractions`).
    extractions: Arc<Semaphore>,
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
                extractions: Arc::new(Semaphore::new(config.max_extractions.max(1))),
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

    /// Whether this server has an extraction pipeline.
    pub fn can_extract(&self) -> bool {
        self.inner.extractor.is_some()
    }

    /// Runs the extraction pipeline on the blocking pool, finished by `deadline`.
    ///
    /// Waits for one of the `max_extractions` slots until the deadline (503 `busy` if none
    /// frees). At the deadline the request is answered with 503 `timeout` and the work is
    /// abandoned: the cancellation flag is set (see [`Extractor::extract_cancellable`]), and
    /// the slot stays taken until the blocking thread has stopped, so abandoned work cannot
    /// pile up beyond the bound.
    pub async fn extract(
        &self,
        meta: DocumentMeta,
        text: String,
        deadline: Instant,
    ) -> Result<Extraction, AppError> {
        let Some(extractor) = self.inner.extractor.clone() else {
            return Err(AppError::Unavailable(
                "extraction is not enabled on this server (start `frontline serve` with --enable-extract)"
                    .into(),
            ));
        };
        let slots = Arc::clone(&self.inner.extractions);
        let Ok(Ok(permit)) = tokio::time::timeout_at(deadline, slots.acquire_owned()).await else {
            return Err(AppError::Busy);
        };
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&cancel);
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            extractor.extract_cancellable(meta, &text, &flag)
        });
        match tokio::time::timeout_at(deadline, task).await {
            Err(_) => {
                cancel.store(true, Ordering::Relaxed);
                Err(AppError::Timeout)
            }
            Ok(joined) => joined?.ok_or(AppError::Timeout),
        }
    }
}

fn store_error(e: StoreError) -> AppError {
    match e {
        StoreError::BadQuery(msg) => AppError::bad_request("invalid_query", msg),
        other => AppError::internal(other),
    }
}
