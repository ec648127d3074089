//! Live monitoring for Frontline: `frontline watch` polls news feeds (RSS, Atom, JSON Feed)
//! and sitemaps listed in a feeds file, fetches each new item's page with a polite HTTP
//! client, extracts the article with the HTML reader of `frontline-ingest`, and stores and
//! fuses it with `frontline-store`, continuously.
//!
//! Modules:
//! - [`config`]: the feeds file (TOML, OPML import);
//! - [`http`]: the client (robots.txt, per-host limits, conditional GET, bounded http(s)
//!   redirects, size and time limits, retries with backoff and jitter honouring `Retry-After`);
//! - [`robots`]: robots.txt rules;
//! - [`canon`]: canonical URLs (tracking parameters dropped) and content hashes;
//! - [`items`]: the items of a feed or sitemap;
//! - [`state`]: the watch state in the store's database (tables `watch_*`, versioned apart);
//! - [`watcher`]: the loop;
//! - [`metrics`]: counters in the Prometheus text format.

pub mod canon;
pub mod config;
pub mod http;
pub mod items;
pub mod metrics;
pub mod robots;
pub mod state;
pub mod watcher;

pub use config::{Config, FeedConfig, Settings};
pub use metrics::Metrics;
pub use state::FeedHealth;
pub use watcher::{ExtractFn, Summary, Update, Watcher};

/// The User-Agent sent when the feeds file names none. Operators should set their own, with
/// a contact address.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "frontline-watch/",
    env!("CARGO_PKG_VERSION"),
    " (+https://example.invalid/frontline; news monitoring)"
);

/// Why the watcher could not start or go on.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The feeds file or a setting is wrong.
    #[error("config: {0}")]
    Config(String),
    /// The watch tables could not be read or written.
    #[error("watch state: {0}")]
    State(String),
    /// The store refused a batch.
    #[error("store: {0}")]
    Store(String),
}
