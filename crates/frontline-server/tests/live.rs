#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! The live routes of `frontline watch --serve` (`/metrics`, `/api/feeds`, `/api/live`,
//! `/feeds`, `/live`) over a fake source, merged into the real router.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use frontline_server::live::{LiveSource, live_router};
use frontline_server::{AppState, ServerConfig, router};
use frontline_store::Store;
use futures_util::StreamExt;
use tokio::sync::broadcast;
use tower::ServiceExt;

struct Fake {
    tx: broadcast::Sender<String>,
}

impl LiveSource for Fake {
    fn metrics(&self) -> String {
        "# TYPE frontline_watch_documents_total counter\nfrontline_watch_documents_total 3\n".into()
    }
    fn feeds(&self) -> serde_json::Value {
        serde_json::json!([{ "url": "https://a.example/rss", "failures": 2 }])
    }
    fn subscribe(&self) -> broadcast::Receiver<String> {
        self.tx.subscribe()
    }
}

fn app(tx: broadcast::Sender<String>) -> axum::Router {
    let state = AppState::new(
        vec![Store::open_in_memory().unwrap()],
        None,
        ServerConfig::default(),
    );
    router(state.clone()).merge(live_router(state, Arc::new(Fake { tx })))
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Option<String>, String) {
    let resp = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let ctype = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, ctype, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn announced_answers_tell_the_map_where_the_stream_is() {
    let (tx, _) = broadcast::channel(4);
    let announced = frontline_server::live::announce(app(tx.clone()));
    let plain = app(tx);
    for path in ["/api/health", "/"] {
        let resp = announced
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            resp.headers()
                .get(frontline_server::live::LIVE_HEADER)
                .map(|v| v.to_str().unwrap()),
            Some("/api/live"),
            "{path}"
        );
        let resp = plain
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert!(
            resp.headers()
                .get(frontline_server::live::LIVE_HEADER)
                .is_none()
        );
    }
}

#[tokio::test]
async fn metrics_feeds_and_pages() {
    let (tx, _) = broadcast::channel(4);
    let app = app(tx);
    let (s, ct, body) = get(&app, "/metrics").await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.unwrap().starts_with("text/plain; version=0.0.4"));
    assert!(body.contains("frontline_watch_documents_total 3"));
    let (s, _, body) = get(&app, "/api/feeds").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()[0]["failures"],
        2
    );
    for (page, script) in [("/feeds", "/live/feeds.js"), ("/live", "/live/app.js")] {
        let (s, ct, body) = get(&app, page).await;
        assert_eq!(s, StatusCode::OK);
        assert!(ct.unwrap().starts_with("text/html"));
        // Scripts are files of their own: the security policy forbids inline ones.
        assert!(
            body.contains(script) && !body.contains("<script>"),
            "{body}"
        );
        let (s, ct, _) = get(&app, script).await;
        assert_eq!(s, StatusCode::OK);
        assert!(ct.unwrap().starts_with("text/javascript"));
    }
    assert!(
        get(&app, "/live/app.js")
            .await
            .2
            .contains("new since you looked")
    );
    // The API of `serve` is still there, and unknown routes still get its JSON 404.
    assert_eq!(get(&app, "/api/health").await.0, StatusCode::OK);
    assert_eq!(get(&app, "/nope").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn live_stream_sends_one_event_per_batch() {
    let (tx, _) = broadcast::channel(4);
    let app = app(tx.clone());
    let resp = app
        .oneshot(Request::get("/api/live").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut stream = resp.into_body().into_data_stream();
    tx.send("{\"documents\":2,\"events\":5}".into()).unwrap();
    let chunk = stream.next().await.unwrap().unwrap();
    let text = String::from_utf8(chunk.to_vec()).unwrap();
    assert!(text.contains("event: batch"), "{text}");
    assert!(
        text.contains("data: {\"documents\":2,\"events\":5}"),
        "{text}"
    );
}
