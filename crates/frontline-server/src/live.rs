//! Live routes for `frontline watch --serve`: a server-sent event stream of stored batches
//! (`GET /api/live`), each feed's health (`GET /api/feeds` and the `/feeds` page), the
//! `/live` page (latest events with a "new since you looked" marker), their scripts and style
//! under `/live/` (the security policy allows no inline script), and `GET /metrics` in the
//! Prometheus text format.
//!
//! [`announce`] marks every answer with `X-Frontline-Live`, so that the map page itself
//! listens to the stream and shows new events without a reload.
//!
//! The routes read from a [`LiveSource`], which the watcher provides; this crate does not
//! depend on it.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use tokio::sync::broadcast;

use crate::AppState;

/// What the live routes read: implemented by the watcher's glue in the binary.
pub trait LiveSource: Send + Sync + 'static {
    /// The metrics, in the Prometheus text format.
    fn metrics(&self) -> String;
    /// Each feed's health as a JSON array.
    fn feeds(&self) -> serde_json::Value;
    /// A receiver of one JSON object per stored batch.
    fn subscribe(&self) -> broadcast::Receiver<String>;
}

/// The header that tells the map page (`/`) to open the event stream at its value.
pub const LIVE_HEADER: &str = "x-frontline-live";

/// Adds `X-Frontline-Live: /api/live` to every answer of `app` (the main router merged with
/// [`live_router`]): the map page reads it from `/api/health` and then listens to
/// `/api/live`, loading events again after each stored batch. Without it (`frontline serve`)
/// the map opens no stream.
pub fn announce(app: Router) -> Router {
    app.layer(axum::middleware::map_response(
        |mut resp: Response| async move {
            resp.headers_mut().insert(
                HeaderName::from_static(LIVE_HEADER),
                HeaderValue::from_static("/api/live"),
            );
            resp
        },
    ))
}

/// The live routes, behind the same Host check and security headers as [`crate::router`];
/// merge them into it: `router(state.clone()).merge(live_router(state, source))`.
pub fn live_router(state: AppState, source: Arc<dyn LiveSource>) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/api/feeds", get(feeds))
        .route("/api/live", get(live))
        .route("/feeds", get(|| async { Html(FEEDS_PAGE) }))
        .route("/live", get(|| async { Html(LIVE_PAGE) }))
        .route(
            "/live/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", LIVE_JS) }),
        )
        .route(
            "/live/feeds.js",
            get(|| async { asset("text/javascript; charset=utf-8", FEEDS_JS) }),
        )
        .route(
            "/live/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        )
        .with_state(source)
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::guard::check_request,
        ))
        .layer(axum::middleware::from_fn(crate::guard::security_headers))
}

fn asset(ctype: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, ctype)], body).into_response()
}

async fn metrics(State(src): State<Arc<dyn LiveSource>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        src.metrics(),
    )
        .into_response()
}

async fn feeds(State(src): State<Arc<dyn LiveSource>>) -> Response {
    axum::Json(src.feeds()).into_response()
}

/// `GET /api/live`: one `batch` event per stored batch (`{"documents", "events",
/// "fused_created", "at"}`), and a keep-alive comment every 15 s. A client that falls behind
/// gets a `lagged` event and should reload what it shows.
async fn live(
    State(src): State<Arc<dyn LiveSource>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = src.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let ev = match rx.recv().await {
            Ok(json) => Event::default().event("batch").data(json),
            Err(broadcast::error::RecvError::Lagged(n)) => {
                Event::default().event("lagged").data(n.to_string())
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(ev), rx))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The feeds page: a table of each feed's health, refreshed every 10 s.
const FEEDS_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Frontline · feeds</title>
<link rel="stylesheet" href="/live/style.css"><script src="/live/feeds.js" defer></script>
</head><body><h1>Feeds</h1><p><a href="/">Map</a> · <a href="/live">Live</a> · <a href="/metrics">Metrics</a></p>
<table><thead><tr><th>Feed</th><th>Status</th><th>Last success</th><th>Items</th><th>Documents</th>
<th>Pending</th><th>Failed</th><th>Next poll</th><th>Last error</th></tr></thead><tbody id="rows"></tbody></table>
</body></html>"#;

const FEEDS_JS: &str = r#"'use strict';
const when = s => s == null ? '–' : new Date(s * 1000).toLocaleString();
function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.appendChild(td);
}
async function load() {
  const feeds = await (await fetch('/api/feeds')).json();
  const body = document.getElementById('rows');
  body.replaceChildren();
  for (const f of feeds) {
    const tr = document.createElement('tr');
    cell(tr, f.url);
    cell(tr, f.failures ? `failing (${f.failures} in a row)` : (f.last_success ? 'ok' : 'not polled yet'), f.failures ? 'bad' : 'ok');
    cell(tr, when(f.last_success)); cell(tr, f.items); cell(tr, f.documents); cell(tr, f.pending); cell(tr, f.failed);
    cell(tr, when(f.next_poll)); cell(tr, f.last_error || '');
    body.appendChild(tr);
  }
}
load();
setInterval(load, 10000);
"#;

/// The live page: the latest fused events, updated as batches arrive, with the events added
/// since the last visit marked (the last seen id is kept in the browser's localStorage).
const LIVE_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Frontline · live</title>
<link rel="stylesheet" href="/live/style.css"><script src="/live/app.js" defer></script>
</head><body><h1>Live</h1><p><a href="/">Map</a> · <a href="/feeds">Feeds</a> · <span id="status">connecting…</span></p>
<p id="banner" hidden></p><button id="seen" type="button">Mark all as seen</button><ol id="events"></ol>
</body></html>"#;

const LIVE_JS: &str = r#"'use strict';
const KEY = 'frontline.lastSeenEvent';
let lastSeen = Number(localStorage.getItem(KEY) || 0);
let maxId = lastSeen;
async function load() {
  const r = await (await fetch('/api/events?limit=200&order=newest')).json();
  const events = (r.events || []).sort((a, b) => b.id - a.id);
  const list = document.getElementById('events');
  list.replaceChildren();
  let fresh = 0;
  for (const e of events) {
    const li = document.createElement('li');
    const loc = e.location || {};
    const link = document.createElement('a');
    link.href = '/#event=' + e.id;
    link.textContent = `#${e.id} ${e.date_start || ''} ${e.plover_type || ''} ${loc.name || ''} ${loc.country_code || ''}`;
    li.appendChild(link);
    if (e.id > lastSeen) { li.className = 'new'; fresh++; }
    list.appendChild(li);
  }
  const banner = document.getElementById('banner');
  banner.hidden = fresh === 0;
  banner.textContent = `${fresh} new since you looked`;
  maxId = events.length ? Math.max(events[0].id, lastSeen) : lastSeen;
}
document.getElementById('seen').addEventListener('click', () => {
  lastSeen = maxId;
  localStorage.setItem(KEY, String(lastSeen));
  load();
});
const es = new EventSource('/api/live');
es.addEventListener('open', () => { document.getElementById('status').textContent = 'live'; });
es.addEventListener('error', () => { document.getElementById('status').textContent = 'reconnecting…'; });
es.addEventListener('batch', load);
es.addEventListener('lagged', load);
load();
"#;

const STYLE: &str = "body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}\
td,th{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left}.bad{color:#b00}.ok{color:#070}\
li{margin:.2em 0}.new{background:#fff3bf}#banner{padding:.4em .8em;background:#fff3bf}\n";
