//! A synthetic news site on loopback for benchmarking `frontline watch` (bench/watch_bench.sh).
//!
//! `cargo run --release -p frontline-watch --example feed_site -- ADDR FEEDS ITEMS PUBLISH_EVERY_S LOG`
//!
//! Serves `/feed/N.xml` (N < FEEDS), each listing its latest ITEMS items with an ETag that
//! changes only when an item is added, and `/a/N/K` article pages. One new item appears on
//! one feed every PUBLISH_EVERY_S / FEEDS seconds, round-robin, so each feed gains an item every
//! PUBLISH_EVERY_S seconds; its URL and appearance time (Unix ms) are appended to LOG. While
//! a file `LOG.freeze` exists nothing new is published. Traffic stays on the address given,
//! which must be loopback.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, Uri, header};

struct Site {
    items: usize,
    /// Per feed: when each of its items was published.
    published: Mutex<Vec<Vec<SystemTime>>>,
}

const PLACES: &[&str] = &[
    "Kharkiv",
    "Aleppo",
    "Goma",
    "Mosul",
    "Khartoum",
    "Donetsk",
    "Idlib",
    "Mogadishu",
];

fn article(feed: usize, k: usize) -> String {
    let place = PLACES[(feed * 7 + k) % PLACES.len()];
    let n = (feed + k) % 9 + 2;
    let p = format!(
        "<p>{place}, Tuesday: artillery shelling killed {n} civilians in a residential district of \
         {place} on Monday, local officials said. Report {feed}-{k}.</p><p>Witnesses said several \
         houses were destroyed and that emergency crews worked through the night in {place}.</p>"
    );
    format!(
        "<html><head><title>Report {feed}-{k}</title></head><body><article>{p}{p}</article></body></html>"
    )
}

async fn handle(State(site): State<Arc<Site>>, uri: Uri, headers: HeaderMap) -> Response<Body> {
    let path = uri.path();
    if let Some(n) = path
        .strip_prefix("/feed/")
        .and_then(|s| s.strip_suffix(".xml"))
        .and_then(|s| s.parse::<usize>().ok())
    {
        let times = site.published.lock().unwrap().get(n).cloned();
        let Some(times) = times else {
            return Response::builder().status(404).body(Body::empty()).unwrap();
        };
        let count = times.len();
        let etag = format!("\"{count}\"");
        if headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str())
        {
            return Response::builder()
                .status(304)
                .header(header::ETAG, etag)
                .body(Body::empty())
                .unwrap();
        }
        let items: String = (count.saturating_sub(site.items)..count)
            .rev()
            .map(|k| {
                let date = httpdate::fmt_http_date(times[k]);
                format!("<item><title>Report {n}-{k}</title><link>/a/{n}/{k}</link><pubDate>{date}</pubDate></item>")
            })
            .collect();
        let body = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {n}</title>{items}</channel></rss>"
        );
        return Response::builder()
            .header(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")
            .header(header::ETAG, etag)
            .body(Body::from(body))
            .unwrap();
    }
    let mut parts = path.strip_prefix("/a/").unwrap_or("").split('/');
    if let (Some(Ok(f)), Some(Ok(k))) = (
        parts.next().map(str::parse::<usize>),
        parts.next().map(str::parse::<usize>),
    ) {
        return Response::builder()
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(Body::from(article(f, k)))
            .unwrap();
    }
    Response::builder().status(404).body(Body::empty()).unwrap()
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, feeds, items, every, log] = args.as_slice() else {
        eprintln!("usage: feed_site ADDR FEEDS ITEMS PUBLISH_EVERY_S LOG");
        std::process::exit(2);
    };
    let addr: std::net::SocketAddr = addr.parse().expect("ADDR");
    assert!(
        addr.ip().is_loopback(),
        "the benchmark site listens on loopback only"
    );
    let feeds: usize = feeds.parse().expect("FEEDS");
    let items: usize = items.parse().expect("ITEMS");
    let every: f64 = every.parse().expect("PUBLISH_EVERY_S");
    let start = SystemTime::now();
    let site = Arc::new(Site {
        items,
        published: Mutex::new(vec![vec![start; items]; feeds]),
    });
    let mut log = std::fs::File::create(log).expect("LOG");
    // The initial items count as published at start.
    for f in 0..feeds {
        for k in 0..items {
            writeln!(log, "http://{addr}/a/{f}/{k}\t{}\tinitial", now_ms()).unwrap();
        }
    }
    let publisher = site.clone();
    let addr_s = addr.to_string();
    let freeze = std::path::PathBuf::from(format!("{}.freeze", args[5]));
    tokio::spawn(async move {
        let step = Duration::from_secs_f64(every / feeds as f64);
        let mut next = 0usize;
        loop {
            tokio::time::sleep(step).await;
            if freeze.exists() {
                continue;
            }
            let k = {
                let mut p = publisher.published.lock().unwrap();
                p[next].push(SystemTime::now());
                p[next].len() - 1
            };
            writeln!(log, "http://{addr_s}/a/{next}/{k}\t{}\tnew", now_ms()).unwrap();
            next = (next + 1) % feeds;
        }
    });
    let app = axum::Router::new().fallback(handle).with_state(site);
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
