#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Server limits (issues 7 and 23): bodies over the limit whatever their framing, and slow
//! bodies; extractions bounded apart from the read-only routes, which keep answering while
//! extraction is saturated; work abandoned on timeout; the loopback default address.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use frontline_model::{Document, DocumentMeta, Extraction};
use frontline_server::{AppState, DEFAULT_ADDR, Extractor, ServerConfig, router};
use frontline_store::Store;
use tower::ServiceExt;

mod common;
use common::status_and_json;

/// An extractor that counts calls in flight and holds each one until the gate opens.
#[derive(Default)]
struct Gate {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    open: Mutex<bool>,
    cv: Condvar,
}

impl Gate {
    fn release(&self) {
        *self.open.lock().unwrap() = true;
        self.cv.notify_all();
    }
}

/// Opens the gate when dropped, so that a failed assertion does not leave blocked extractor
/// threads behind (the runtime would wait for them forever).
struct OpenOnDrop(Arc<Gate>);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl Extractor for Gate {
    fn extract(&self, meta: DocumentMeta, text: &str) -> Extraction {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.cv.wait(open).unwrap();
        }
        drop(open);
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        Extraction::new(Document::from_meta(meta, text.to_string()))
    }
}

fn app(cfg: ServerConfig, extractor: Option<Arc<dyn Extractor>>) -> axum::Router {
    router(AppState::new(
        vec![Store::open_in_memory().unwrap()],
        extractor,
        cfg,
    ))
}

fn extract_request() -> Request<Body> {
    Request::post("/api/extract")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("Rebels shelled Aleppo on Tuesday."))
        .unwrap()
}

/// Waits for `cond`, polling every 10 ms. The bound (60 s) only stops a hang: on a loaded
/// machine the blocking pool can take seconds to start the extractions.
async fn wait_until(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..6_000 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn extractions_in_flight_are_bounded() {
    let gate = Arc::new(Gate::default());
    let _open = OpenOnDrop(gate.clone());
    let cfg = ServerConfig {
        max_extractions: 2,
        ..Default::default()
    };
    let app = app(cfg, Some(gate.clone()));
    let calls: Vec<_> = (0..6)
        .map(|_| tokio::spawn(app.clone().oneshot(extract_request())))
        .collect();
    wait_until("two requests are in the extractor", || {
        gate.in_flight.load(Ordering::SeqCst) == 2
    })
    .await;
    // The other four wait for a slot instead of entering.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(gate.in_flight.load(Ordering::SeqCst), 2);
    gate.release();
    for c in calls {
        let (s, v) = status_and_json(c.await.unwrap().unwrap()).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    assert_eq!(gate.max_in_flight.load(Ordering::SeqCst), 2);
}

/// Issue 23, item 3: the bound used to be one semaphore for every route (issue 7's test
/// checked that `/api/health` waited while `/api/extract` held the only slot), so 64 clients
/// trickling bodies to `/api/extract` held `/api/health` for 32 s. Extraction requests now
/// have slots of their own; the read-only routes answer while they are all taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn read_routes_answer_while_extract_is_saturated() {
    let gate = Arc::new(Gate::default());
    let _open = OpenOnDrop(gate.clone());
    let cfg = ServerConfig {
        max_concurrency: 2,
        max_extract_requests: 2,
        max_extractions: 2,
        ..Default::default()
    };
    let app = app(cfg, Some(gate.clone()));
    // Two extractions hold the extractor; two more wait for an extraction request slot; and
    // a fifth trickles its body and never finishes it.
    let extracts: Vec<_> = (0..4)
        .map(|_| tokio::spawn(app.clone().oneshot(extract_request())))
        .collect();
    let trickle = tokio::spawn(app.clone().oneshot(never_ending_body()));
    wait_until("two requests are in the extractor", || {
        gate.in_flight.load(Ordering::SeqCst) == 2
    })
    .await;
    for uri in ["/api/health", "/api/events", "/api/stats", "/"] {
        let answered = tokio::time::timeout(
            Duration::from_secs(2),
            app.clone()
                .oneshot(Request::get(uri).body(Body::empty()).unwrap()),
        )
        .await;
        let resp = answered.unwrap_or_else(|_| panic!("{uri} waited behind /api/extract"));
        let (s, v) = status_and_json(resp.unwrap()).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {v}");
    }
    gate.release();
    for c in extracts {
        let (s, v) = status_and_json(c.await.unwrap().unwrap()).await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    trickle.abort();
}

/// A text/plain body that sends one chunk and then never ends.
fn never_ending_body() -> Request<Body> {
    let first =
        futures_util::stream::iter([Ok::<_, std::io::Error>("Rebels shelled ".to_string())]);
    let stream = futures_util::StreamExt::chain(first, futures_util::stream::pending());
    Request::post("/api/extract")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from_stream(stream))
        .unwrap()
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_gets_408() {
    let gate = Arc::new(Gate::default());
    gate.release();
    let cfg = ServerConfig {
        body_read_timeout: Duration::from_millis(200),
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let resp = tokio::time::timeout(
        Duration::from_secs(5),
        app(cfg, Some(gate)).oneshot(never_ending_body()),
    )
    .await
    .expect("a trickled body held the request for more than 5 s");
    let (s, v) = status_and_json(resp.unwrap()).await;
    assert_eq!(s, StatusCode::REQUEST_TIMEOUT, "{v}");
    assert_eq!(v["error"]["code"], "body_timeout");
    assert!(t0.elapsed() >= Duration::from_millis(150));

    // The body timeout counts inside the request's: a shorter request timeout wins.
    let gate = Arc::new(Gate::default());
    gate.release();
    let cfg = ServerConfig {
        body_read_timeout: Duration::from_secs(60),
        request_timeout: Duration::from_millis(200),
        ..Default::default()
    };
    let resp = tokio::time::timeout(
        Duration::from_secs(5),
        app(cfg, Some(gate)).oneshot(never_ending_body()),
    )
    .await
    .expect("the request timeout did not bound the body read");
    let (s, v) = status_and_json(resp.unwrap()).await;
    assert_eq!(s, StatusCode::REQUEST_TIMEOUT, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn extractions_wait_for_a_slot_until_the_deadline_then_busy() {
    let gate = Arc::new(Gate::default());
    let _open = OpenOnDrop(gate.clone());
    let cfg = ServerConfig {
        max_extractions: 1,
        request_timeout: Duration::from_millis(400),
        ..Default::default()
    };
    let app = app(cfg, Some(gate.clone()));
    let first = tokio::spawn(app.clone().oneshot(extract_request()));
    wait_until("the first extraction runs", || {
        gate.in_flight.load(Ordering::SeqCst) == 1
    })
    .await;
    let (s, v) = status_and_json(app.clone().oneshot(extract_request()).await.unwrap()).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"]["code"], "busy");
    gate.release();
    let _ = first.await;
}

/// An extractor that works sentence by sentence until cancelled, and records that it
/// stopped.
#[derive(Default)]
struct Endless {
    stopped: std::sync::atomic::AtomicBool,
}

impl Extractor for Endless {
    fn extract(&self, meta: DocumentMeta, text: &str) -> Extraction {
        Extraction::new(Document::from_meta(meta, text.to_string()))
    }

    fn extract_cancellable(
        &self,
        _meta: DocumentMeta,
        _text: &str,
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Option<Extraction> {
        // At most 20 s, so that a broken server cannot hang the test run.
        for _ in 0..2_000 {
            if cancel.load(Ordering::Relaxed) {
                self.stopped.store(true, Ordering::SeqCst);
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_extraction_is_cancelled_and_frees_its_slot() {
    let endless = Arc::new(Endless::default());
    let cfg = ServerConfig {
        max_extractions: 1,
        request_timeout: Duration::from_millis(200),
        ..Default::default()
    };
    let app = app(cfg, Some(endless.clone()));
    let (s, v) = status_and_json(app.clone().oneshot(extract_request()).await.unwrap()).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"]["code"], "timeout");
    wait_until("the abandoned extraction stops", || {
        endless.stopped.load(Ordering::SeqCst)
    })
    .await;
    // Its slot is free again: the next request runs (and times out) rather than "busy".
    let (s, v) = status_and_json(app.oneshot(extract_request()).await.unwrap()).await;
    assert_eq!(v["error"]["code"], "timeout", "{s}: {v}");
}

#[tokio::test]
async fn oversized_bodies_get_413_whatever_their_framing() {
    let cfg = ServerConfig {
        max_body_bytes: 1000,
        ..Default::default()
    };
    let gate = Arc::new(Gate::default());
    gate.release();
    let app = app(cfg, Some(gate));
    let big = "Rebels shelled Aleppo. ".repeat(200); // 4.6 KB

    // Declared length.
    let req = Request::post("/api/extract")
        .header(header::CONTENT_TYPE, "text/plain")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big.clone()))
        .unwrap();
    let (s, v) = status_and_json(app.clone().oneshot(req).await.unwrap()).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["error"]["code"], "payload_too_large");

    // Streamed in chunks with no length (chunked transfer).
    let chunks: Vec<Result<String, std::io::Error>> = (0..200)
        .map(|_| Ok("Rebels shelled Aleppo. ".to_string()))
        .collect();
    let req = Request::post("/api/extract")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let (s, v) = status_and_json(app.clone().oneshot(req).await.unwrap()).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert_eq!(v["error"]["code"], "payload_too_large");

    // Exactly at the limit is accepted.
    let at_limit = "a".repeat(1000);
    let req = Request::post("/api/extract")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(at_limit))
        .unwrap();
    let (s, v) = status_and_json(app.oneshot(req).await.unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

#[test]
fn the_default_address_is_loopback() {
    let addr: SocketAddr = DEFAULT_ADDR.parse().unwrap();
    assert!(addr.ip().is_loopback(), "{addr}");
}
