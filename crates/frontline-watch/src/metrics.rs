//! Counters of the watch loop, rendered in the Prometheus text format (version 0.0.4).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// Upper bounds (seconds) of the publication-to-event lag histogram.
const LAG_BUCKETS: &[f64] = &[
    60.0,
    300.0,
    900.0,
    3600.0,
    4.0 * 3600.0,
    24.0 * 3600.0,
    7.0 * 86400.0,
];

#[derive(Debug, Default)]
struct Inner {
    /// (host, status) → responses.
    fetches: BTreeMap<(String, u16), u64>,
    /// host → body bytes.
    bytes: BTreeMap<String, u64>,
    /// (host, code) → errors.
    errors: BTreeMap<(String, &'static str), u64>,
    /// host → retries.
    retries: BTreeMap<String, u64>,
    /// Outcome (`stored`, `known`, `duplicate`, `skipped`, `failed`) → items.
    items: BTreeMap<&'static str, u64>,
    polls: BTreeMap<&'static str, u64>,
    documents: u64,
    events: u64,
    fused_new: u64,
    lag_counts: Vec<u64>,
    lag_sum: f64,
    lag_n: u64,
}

/// The watch loop's counters. Shared behind an `Arc`; every method takes `&self`.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn with(&self, f: impl FnOnce(&mut Inner)) {
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g);
    }

    /// A response with this status from `host`.
    pub fn count_fetch(&self, host: &str, status: u16) {
        self.with(|m| *m.fetches.entry((host.to_string(), status)).or_default() += 1);
    }

    /// Body bytes read from `host`.
    pub fn count_bytes(&self, host: &str, n: u64) {
        self.with(|m| *m.bytes.entry(host.to_string()).or_default() += n);
    }

    /// A failed request to `host`, by [`crate::http::FetchError::code`].
    pub fn count_error(&self, host: &str, code: &'static str) {
        self.with(|m| *m.errors.entry((host.to_string(), code)).or_default() += 1);
    }

    /// A retry of a request to `host`.
    pub fn count_retry(&self, host: &str) {
        self.with(|m| *m.retries.entry(host.to_string()).or_default() += 1);
    }

    /// A feed poll's outcome (`changed`, `not_modified`, `failed`).
    pub fn count_poll(&self, outcome: &'static str) {
        self.with(|m| *m.polls.entry(outcome).or_default() += 1);
    }

    /// An item's outcome.
    pub fn count_item(&self, outcome: &'static str) {
        self.with(|m| *m.items.entry(outcome).or_default() += 1);
    }

    /// A document stored with `events` events, `fused_new` of which started a new fused event.
    pub fn count_document(&self, events: u64, fused_new: u64) {
        self.with(|m| {
            m.documents += 1;
            m.events += events;
            m.fused_new += fused_new;
        });
    }

    /// The lag, in seconds, from an item's publication to its events being stored.
    pub fn observe_lag(&self, seconds: f64) {
        if !seconds.is_finite() || seconds < 0.0 {
            return;
        }
        self.with(|m| {
            if m.lag_counts.len() != LAG_BUCKETS.len() {
                m.lag_counts = vec![0; LAG_BUCKETS.len()];
            }
            for (i, b) in LAG_BUCKETS.iter().enumerate() {
                if seconds <= *b {
                    m.lag_counts[i] += 1;
                }
            }
            m.lag_sum += seconds;
            m.lag_n += 1;
        });
    }

    /// Documents stored since start.
    pub fn documents(&self) -> u64 {
        let mut n = 0;
        self.with(|m| n = m.documents);
        n
    }

    /// Responses with this status since start, over all hosts.
    pub fn fetches_with_status(&self, status: u16) -> u64 {
        let mut n = 0;
        self.with(|m| {
            n = m
                .fetches
                .iter()
                .filter(|((_, s), _)| *s == status)
                .map(|(_, c)| c)
                .sum();
        });
        n
    }

    /// All counters in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.with(|m| render_into(m, &mut out));
        out
    }
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn render_into(m: &Inner, out: &mut String) {
    let _ = writeln!(
        out,
        "# HELP frontline_watch_fetches_total HTTP responses received, by host and status."
    );
    let _ = writeln!(out, "# TYPE frontline_watch_fetches_total counter");
    for ((h, s), n) in &m.fetches {
        let _ = writeln!(
            out,
            "frontline_watch_fetches_total{{host=\"{}\",status=\"{s}\"}} {n}",
            esc(h)
        );
    }
    let _ = writeln!(
        out,
        "# HELP frontline_watch_bytes_total Body bytes read, by host."
    );
    let _ = writeln!(out, "# TYPE frontline_watch_bytes_total counter");
    for (h, n) in &m.bytes {
        let _ = writeln!(
            out,
            "frontline_watch_bytes_total{{host=\"{}\"}} {n}",
            esc(h)
        );
    }
    let _ = writeln!(
        out,
        "# HELP frontline_watch_errors_total Failed requests, by host and kind."
    );
    let _ = writeln!(out, "# TYPE frontline_watch_errors_total counter");
    for ((h, c), n) in &m.errors {
        let _ = writeln!(
            out,
            "frontline_watch_errors_total{{host=\"{}\",kind=\"{c}\"}} {n}",
            esc(h)
        );
    }
    let _ = writeln!(
        out,
        "# HELP frontline_watch_retries_total Requests retried, by host."
    );
    let _ = writeln!(out, "# TYPE frontline_watch_retries_total counter");
    for (h, n) in &m.retries {
        let _ = writeln!(
            out,
            "frontline_watch_retries_total{{host=\"{}\"}} {n}",
            esc(h)
        );
    }
    let _ = writeln!(
        out,
        "# HELP frontline_watch_polls_total Feed polls, by outcome."
    );
    let _ = writeln!(out, "# TYPE frontline_watch_polls_total counter");
    for (o, n) in &m.polls {
        let _ = writeln!(out, "frontline_watch_polls_total{{outcome=\"{o}\"}} {n}");
    }
    let _ = writeln!(
        out,
        "# HELP frontline_watch_items_total Feed items handled, by outcome."
    );
    let _ = writeln!(out, "# TYPE frontline_watch_items_total counter");
    for (o, n) in &m.items {
        let _ = writeln!(out, "frontline_watch_items_total{{outcome=\"{o}\"}} {n}");
    }
    for (name, help, v) in [
        ("documents", "Documents stored.", m.documents),
        ("events", "Events coded in the documents stored.", m.events),
        (
            "fused_events_new",
            "Fused events started by these documents (the rest joined one).",
            m.fused_new,
        ),
    ] {
        let _ = writeln!(out, "# HELP frontline_watch_{name}_total {help}");
        let _ = writeln!(out, "# TYPE frontline_watch_{name}_total counter");
        let _ = writeln!(out, "frontline_watch_{name}_total {v}");
    }
    let _ = writeln!(
        out,
        "# HELP frontline_watch_lag_seconds Time from an item's publication to its events being stored."
    );
    let _ = writeln!(out, "# TYPE frontline_watch_lag_seconds histogram");
    for (i, b) in LAG_BUCKETS.iter().enumerate() {
        let n = m.lag_counts.get(i).copied().unwrap_or(0);
        let _ = writeln!(out, "frontline_watch_lag_seconds_bucket{{le=\"{b}\"}} {n}");
    }
    let _ = writeln!(
        out,
        "frontline_watch_lag_seconds_bucket{{le=\"+Inf\"}} {}",
        m.lag_n
    );
    let _ = writeln!(out, "frontline_watch_lag_seconds_sum {}", m.lag_sum);
    let _ = writeln!(out, "frontline_watch_lag_seconds_count {}", m.lag_n);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        m.count_fetch("a.example", 200);
        m.count_fetch("a.example", 200);
        m.count_error("b\"x", "timeout");
        m.count_document(3, 1);
        m.observe_lag(120.0);
        let t = m.render();
        assert!(t.contains("frontline_watch_fetches_total{host=\"a.example\",status=\"200\"} 2"));
        assert!(t.contains("frontline_watch_errors_total{host=\"b\\\"x\",kind=\"timeout\"} 1"));
        assert!(t.contains("frontline_watch_events_total 3"));
        assert!(t.contains("frontline_watch_lag_seconds_bucket{le=\"60\"} 0"));
        assert!(t.contains("frontline_watch_lag_seconds_bucket{le=\"300\"} 1"));
        assert!(t.contains("frontline_watch_lag_seconds_count 1"));
        assert_eq!(m.fetches_with_status(200), 2);
    }
}
