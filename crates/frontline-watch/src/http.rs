//! The polite HTTP client: robots.txt, per-host limits, conditional requests, bounded
//! redirects over http(s) only, size and time limits, and retries with backoff.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::Semaphore;
use url::Url;

use crate::canon::{LinkRefused, origin_key, resolve};
use crate::config::Settings;
use crate::metrics::Metrics;
use crate::robots::Robots;

/// Validators from an earlier answer, sent back as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` last seen.
    pub etag: Option<String>,
    /// The `Last-Modified` last seen.
    pub last_modified: Option<String>,
}

/// A body fetched.
#[derive(Debug, Clone)]
pub struct Page {
    /// The URL after redirects.
    pub url: Url,
    /// The body's bytes (decompressed).
    pub bytes: Vec<u8>,
    /// The `charset` of its `Content-Type`, when given.
    pub charset: Option<String>,
    /// The media type of its `Content-Type`, lower-cased, when given.
    pub media_type: Option<String>,
    /// Validators for the next conditional request.
    pub validators: Validators,
}

/// What a fetch brought back.
#[derive(Debug, Clone)]
pub enum Fetched {
    /// 304: unchanged since the validators given.
    NotModified,
    /// A 2xx body.
    Body(Page),
}

/// Why a fetch failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// The URL (or a redirect's target) is not fetched.
    #[error("{url}: {why}")]
    Refused {
        /// The URL refused.
        url: String,
        /// Why.
        why: LinkRefused,
    },
    /// robots.txt forbids it.
    #[error("{0}: forbidden by robots.txt")]
    Robots(String),
    /// Too many redirects, or a loop.
    #[error("{0}: redirect loop or more than the redirects allowed")]
    Redirects(String),
    /// The body is larger than allowed.
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit.
        limit: u64,
    },
    /// An HTTP error status (after retries, for 429 and 5xx).
    #[error("{url}: HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
        /// `Retry-After` of the last answer, when it gave one.
        retry_after: Option<Duration>,
    },
    /// A time limit passed (`connect`, `headers` or `body`).
    #[error("{url}: timed out waiting for the {stage}")]
    Timeout {
        /// The URL.
        url: String,
        /// Which stage.
        stage: &'static str,
    },
    /// Any other network problem.
    #[error("{url}: {message}")]
    Network {
        /// The URL.
        url: String,
        /// What happened.
        message: String,
    },
}

impl FetchError {
    /// A short stable code for metrics and the feeds page.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Refused { .. } => "refused",
            FetchError::Robots(_) => "robots",
            FetchError::Redirects(_) => "redirects",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Status { status: 429, .. } => "http_429",
            FetchError::Status { status, .. } if *status >= 500 => "http_5xx",
            FetchError::Status { .. } => "http_4xx",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Network { .. } => "network",
        }
    }

    /// Whether trying again later may help (429, 5xx, time-outs, network errors).
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => *status == 429 || *status >= 500,
            FetchError::Timeout { .. } | FetchError::Network { .. } => true,
            _ => false,
        }
    }
}

/// Per-origin state: request slots, the earliest next start, and robots.txt.
struct Host {
    slots: Semaphore,
    next_start: tokio::sync::Mutex<Instant>,
    robots: tokio::sync::Mutex<Option<(Instant, Arc<Robots>)>>,
}

/// The client. Cheap to share behind an `Arc`.
pub struct Fetcher {
    client: reqwest::Client,
    settings: Settings,
    agent_token: String,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    metrics: Arc<Metrics>,
}

/// The largest robots.txt read (RFC 9309 asks for at least 500 KiB).
const ROBOTS_MAX: u64 = 512 << 10;

impl Fetcher {
    /// A client with these settings, counting into `metrics`.
    pub fn new(settings: Settings, metrics: Arc<Metrics>) -> Result<Self, crate::WatchError> {
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(Settings::secs(settings.connect_timeout_s))
            .redirect(reqwest::redirect::Policy::none())
            .https_only(false)
            .build()
            .map_err(|e| crate::WatchError::Config(format!("cannot build the HTTP client: {e}")))?;
        let agent_token = settings
            .user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("frontline-watch")
            .to_string();
        Ok(Self {
            client,
            settings,
            agent_token,
            hosts: Mutex::new(HashMap::new()),
            metrics,
        })
    }

    fn host(&self, url: &Url) -> Arc<Host> {
        let key = origin_key(url);
        let mut hosts = match self.hosts.lock() {
            Ok(h) => h,
            Err(p) => p.into_inner(),
        };
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Host {
                    slots: Semaphore::new(self.settings.per_host_concurrency.max(1)),
                    next_start: tokio::sync::Mutex::new(Instant::now()),
                    robots: tokio::sync::Mutex::new(None),
                })
            })
            .clone()
    }

    /// Fetches `url` (GET), with robots.txt, limits, redirects and retries. `validators`
    /// make it conditional.
    pub async fn fetch(&self, url: &Url, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut attempt = 0u32;
        loop {
            match self.fetch_following(url, validators).await {
                Err(e) if e.is_transient() && attempt < self.settings.retries => {
                    let retry_after = match &e {
                        FetchError::Status { retry_after, .. } => *retry_after,
                        _ => None,
                    };
                    let delay = retry_after.unwrap_or_else(|| self.backoff(attempt));
                    if delay > Settings::secs(self.settings.retry_max_s) {
                        return Err(e);
                    }
                    tracing::debug!(%url, error = %e, ?delay, "retrying");
                    self.metrics.count_retry(url.host_str().unwrap_or(""));
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// Exponential backoff with full jitter on its upper half: base·2ⁿ·(0.5..1).
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.settings.retry_base_s.max(0.0) * f64::from(1u32 << attempt.min(16));
        Settings::secs(base * (0.5 + fastrand::f64() / 2.0))
    }

    /// One attempt, following redirects.
    async fn fetch_following(
        &self,
        start: &Url,
        validators: &Validators,
    ) -> Result<Fetched, FetchError> {
        let mut url = start.clone();
        let mut visited = vec![url.to_string()];
        for _ in 0..=self.settings.max_redirects {
            if !self.robots_allow(&url).await {
                return Err(FetchError::Robots(url.to_string()));
            }
            let resp = self.send(&url, validators, false).await?;
            let status = resp.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let location = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| FetchError::Network {
                        url: url.to_string(),
                        message: format!("HTTP {status} without a Location"),
                    })?;
                let next = resolve(Some(&url), location).map_err(|why| FetchError::Refused {
                    url: location.to_string(),
                    why,
                })?;
                if visited.contains(&next.to_string()) {
                    return Err(FetchError::Redirects(start.to_string()));
                }
                visited.push(next.to_string());
                url = next;
                continue;
            }
            return self.finish(url, resp, self.settings.max_body_bytes).await;
        }
        Err(FetchError::Redirects(start.to_string()))
    }

    /// Sends one GET once the host has a free slot and its interval has passed; waits for
    /// the response headers.
    async fn send(
        &self,
        url: &Url,
        validators: &Validators,
        robots: bool,
    ) -> Result<reqwest::Response, FetchError> {
        let host = self.host(url);
        let _slot = host
            .slots
            .acquire()
            .await
            .map_err(|e| FetchError::Network {
                url: url.to_string(),
                message: e.to_string(),
            })?;
        {
            let mut next = host.next_start.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep(*next - now).await;
            }
            let delay = if robots {
                None
            } else {
                host.robots
                    .lock()
                    .await
                    .as_ref()
                    .and_then(|(_, r)| r.crawl_delay)
            };
            let interval = self
                .settings
                .per_host_interval_s
                .max(delay.unwrap_or(0.0).min(60.0));
            *next = Instant::now() + Settings::secs(interval);
        }
        let mut headers = HeaderMap::new();
        if let Some(v) = validators
            .etag
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(header::IF_NONE_MATCH, v);
        }
        if let Some(v) = validators
            .last_modified
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(header::IF_MODIFIED_SINCE, v);
        }
        let host_name = url.host_str().unwrap_or("").to_string();
        let request = self.client.get(url.clone()).headers(headers).send();
        let result =
            tokio::time::timeout(Settings::secs(self.settings.header_timeout_s), request).await;
        let resp = match result {
            Err(_) => Err(FetchError::Timeout {
                url: url.to_string(),
                stage: "headers",
            }),
            Ok(Err(e)) if e.is_timeout() => Err(FetchError::Timeout {
                url: url.to_string(),
                stage: "connect",
            }),
            Ok(Err(e)) => Err(FetchError::Network {
                url: url.to_string(),
                message: error_chain(&e),
            }),
            Ok(Ok(r)) => Ok(r),
        };
        match &resp {
            Ok(r) => self.metrics.count_fetch(&host_name, r.status().as_u16()),
            Err(e) => self.metrics.count_error(&host_name, e.code()),
        }
        resp
    }

    /// Reads the body of a final (non-redirect) response.
    async fn finish(
        &self,
        url: Url,
        mut resp: reqwest::Response,
        limit: u64,
    ) -> Result<Fetched, FetchError> {
        let status = resp.status();
        let host_name = url.host_str().unwrap_or("").to_string();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !status.is_success() {
            let retry_after = resp
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(parse_retry_after);
            let e = FetchError::Status {
                url: url.to_string(),
                status: status.as_u16(),
                retry_after,
            };
            self.metrics.count_error(&host_name, e.code());
            return Err(e);
        }
        let headers = resp.headers().clone();
        if resp.content_length().is_some_and(|n| n > limit) {
            let e = FetchError::TooLarge {
                url: url.to_string(),
                limit,
            };
            self.metrics.count_error(&host_name, e.code());
            return Err(e);
        }
        let read = async {
            let mut bytes = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(|e| FetchError::Network {
                url: url.to_string(),
                message: error_chain(&e),
            })? {
                if bytes.len() as u64 + chunk.len() as u64 > limit {
                    return Err(FetchError::TooLarge {
                        url: url.to_string(),
                        limit,
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(bytes)
        };
        let bytes =
            match tokio::time::timeout(Settings::secs(self.settings.body_timeout_s), read).await {
                Err(_) => Err(FetchError::Timeout {
                    url: url.to_string(),
                    stage: "body",
                }),
                Ok(r) => r,
            };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                self.metrics.count_error(&host_name, e.code());
                return Err(e);
            }
        };
        self.metrics.count_bytes(&host_name, bytes.len() as u64);
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mut parts = content_type.split(';');
        let media_type = parts
            .next()
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| !m.is_empty());
        let charset = parts.find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim().eq_ignore_ascii_case("charset"))
                .then(|| v.trim().trim_matches('"').to_string())
        });
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        Ok(Fetched::Body(Page {
            url,
            bytes,
            charset,
            media_type,
            validators: Validators {
                etag: text(header::ETAG),
                last_modified: text(header::LAST_MODIFIED),
            },
        }))
    }

    /// Whether robots.txt of `url`'s origin allows it (fetched once per `robots_ttl_s`).
    pub async fn robots_allow(&self, url: &Url) -> bool {
        if !self.settings.robots {
            return true;
        }
        let host = self.host(url);
        let mut cached = host.robots.lock().await;
        let fresh = cached
            .as_ref()
            .filter(|(at, _)| *at > Instant::now())
            .map(|(_, r)| r.clone());
        let robots = match fresh {
            Some(r) => r,
            None => {
                let (robots, ttl) = self.fetch_robots(url).await;
                let robots = Arc::new(robots);
                *cached = Some((Instant::now() + ttl, robots.clone()));
                robots
            }
        };
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        robots.allows(&path)
    }

    /// Fetches and parses robots.txt; an unreachable one denies all for a few minutes.
    async fn fetch_robots(&self, url: &Url) -> (Robots, Duration) {
        let ttl = Duration::from_secs(self.settings.robots_ttl_s);
        let short = ttl.min(Duration::from_secs(300));
        let Ok(robots_url) = url.join("/robots.txt") else {
            return (Robots::allow_all(), ttl);
        };
        let mut target = robots_url;
        // Up to five redirects (RFC 9309 §2.3.1.2), http(s) only.
        for _ in 0..5 {
            let Ok(resp) = self.send(&target, &Validators::default(), true).await else {
                return (Robots::deny_all(), short);
            };
            let status = resp.status();
            if status.is_redirection() {
                let next = resp
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| resolve(Some(&target), l).ok());
                match next {
                    Some(n) => {
                        target = n;
                        continue;
                    }
                    None => return (Robots::allow_all(), ttl),
                }
            }
            if status.is_client_error() {
                return (Robots::allow_all(), ttl);
            }
            if !status.is_success() {
                return (Robots::deny_all(), short);
            }
            return match self.finish(target, resp, ROBOTS_MAX).await {
                Ok(Fetched::Body(p)) => (
                    Robots::parse(&String::from_utf8_lossy(&p.bytes), &self.agent_token),
                    ttl,
                ),
                _ => (Robots::deny_all(), short),
            };
        }
        (Robots::allow_all(), ttl)
    }
}

/// `Retry-After`: seconds, or an HTTP date.
pub fn parse_retry_after(v: &HeaderValue) -> Option<Duration> {
    let s = v.to_str().ok()?.trim();
    if let Ok(secs) = s.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(s).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// An error with its sources, one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        out.push_str(": ");
        out.push_str(&s.to_string());
        src = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            parse_retry_after(&HeaderValue::from_static("7")),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(&HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(&HeaderValue::from_static("soon")), None);
    }

    #[test]
    fn transient_errors_are_retried() {
        let s = |status| FetchError::Status {
            url: "u".into(),
            status,
            retry_after: None,
        };
        assert!(s(429).is_transient());
        assert!(s(503).is_transient());
        assert!(!s(404).is_transient());
        assert!(!FetchError::Robots("u".into()).is_transient());
        assert_eq!(s(502).code(), "http_5xx");
    }
}
