#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Server limits (issue 7): bodies over the limit whatever their framing, the number of
//! requests in flight across all routes, and the loopback default address.

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

async fn wait_until(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_in_flight_are_bounded_per_route() {
    let gate = Arc::new(Gate::default());
    let _open = OpenOnDrop(gate.clone());
    let cfg = ServerConfig {
        max_concurrency: 2,
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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_concurrency_bound_is_shared_by_all_routes() {
    let gate = Arc::new(Gate::default());
    let _open = OpenOnDrop(gate.clone());
    let cfg = ServerConfig {
        max_concurrency: 1,
        ..Default::default()
    };
    let app = app(cfg, Some(gate.clone()));
    let extract = tokio::spawn(app.clone().oneshot(extract_request()));
    wait_until("the extract request holds the only slot", || {
        gate.in_flight.load(Ordering::SeqCst) == 1
    })
    .await;
    let mut health = tokio::spawn(
        app.clone()
            .oneshot(Request::get("/api/health").body(Body::empty()).unwrap()),
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(300), &mut health)
            .await
            .is_err(),
        "a second route answered while the only slot was taken"
    );
    gate.release();
    let (s, _) = status_and_json(extract.await.unwrap().unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = status_and_json(health.await.unwrap().unwrap()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
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
