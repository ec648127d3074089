//! `frontline watch` killed with SIGKILL in the middle of a run, then restarted: no document
//! is stored twice, no item is lost, and nothing stored before the kill is fetched again.
//! The feed and pages are served by an axum server on 127.0.0.1 inside the test.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, Uri, header};

const ITEMS: usize = 12;
/// The page whose first request never gets an answer: the watcher is killed while it waits.
const STUCK: usize = 6;

struct Site {
    hits: Mutex<HashMap<String, usize>>,
    reached: Mutex<Option<mpsc::Sender<()>>>,
}

fn page(i: usize) -> String {
    let p = format!(
        "<p>Item {i}: local officials said that a market in district {i} was shelled on Tuesday \
         and that {i} people were wounded. Residents described the damage to shops and homes.</p>"
    );
    format!(
        "<html><head><title>Report {i}</title></head><body><article>{p}{p}{p}</article></body></html>"
    )
}

async fn handle(State(site): State<Arc<Site>>, uri: Uri, headers: HeaderMap) -> Response<Body> {
    let path = uri.path().to_string();
    let n = {
        let mut hits = site.hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    if path == "/feed.xml" {
        if headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some("\"v1\"")
        {
            return Response::builder().status(304).body(Body::empty()).unwrap();
        }
        let items: String = (0..ITEMS)
            .map(|i| {
                format!("<item><title>Report {i}</title><link>/a/{i}?utm_source=rss</link></item>")
            })
            .collect();
        let body = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title>{items}</channel></rss>"
        );
        return Response::builder()
            .header(header::CONTENT_TYPE, "application/rss+xml")
            .header(header::ETAG, "\"v1\"")
            .body(Body::from(body))
            .unwrap();
    }
    if let Some(i) = path
        .strip_prefix("/a/")
        .and_then(|s| s.parse::<usize>().ok())
    {
        if i == STUCK && n == 1 {
            if let Some(tx) = site.reached.lock().unwrap().take() {
                let _ = tx.send(());
            }
            std::future::pending::<()>().await;
        }
        return Response::builder()
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(Body::from(page(i)))
            .unwrap();
    }
    Response::builder().status(404).body(Body::empty()).unwrap()
}

/// (documents, distinct URLs) in the database.
fn documents(db: &std::path::Path) -> (i64, i64) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(
        "SELECT COUNT(*), COUNT(DISTINCT url) FROM documents",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn kill_9_then_restart_stores_every_item_once() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (tx, reached) = mpsc::channel();
    let site = Arc::new(Site {
        hits: Mutex::default(),
        reached: Mutex::new(Some(tx)),
    });
    let addr = rt.block_on(async {
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(site.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        addr
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("watch.db");
    let cfg = dir.path().join("feeds.toml");
    std::fs::write(
        &cfg,
        format!(
            "[watch]\nuser_agent = \"frontline-test/1\"\nper_host_interval_s = 0\nretries = 0\n\
             batch = 1\nconcurrency = 1\nper_host_concurrency = 1\nheader_timeout_s = 600\n\
             [[feed]]\nurl = \"http://{addr}/feed.xml\"\noutlet = \"Test\"\nlanguage = \"en\"\n"
        ),
    )
    .unwrap();
    let log = std::fs::File::create(dir.path().join("first.log")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_frontline"))
        .args(["watch", "--config"])
        .arg(&cfg)
        .arg("--db")
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    // Wait (bounded) until the stuck page is requested, then SIGKILL.
    let got = reached.recv_timeout(Duration::from_secs(300));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        got.is_ok(),
        "the watcher never reached item {STUCK}: {}",
        std::fs::read_to_string(dir.path().join("first.log")).unwrap_or_default()
    );
    // Items are handled one per transaction in feed order: those before the stuck one are stored.
    assert_eq!(documents(&db), (STUCK as i64, STUCK as i64));

    let out = Command::new(env!("CARGO_BIN_EXE_frontline"))
        .args(["watch", "--once", "--config"])
        .arg(&cfg)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every item stored, none twice.
    assert_eq!(documents(&db), (ITEMS as i64, ITEMS as i64));
    let conn_check = frontline_store::Store::open_existing(&db).unwrap();
    assert_eq!(
        conn_check.integrity_check().unwrap(),
        vec!["ok".to_string()]
    );
    let hits = site.hits.lock().unwrap().clone();
    for i in 0..ITEMS {
        let expected = if i == STUCK { 2 } else { 1 };
        assert_eq!(
            hits.get(&format!("/a/{i}")).copied(),
            Some(expected),
            "page {i}"
        );
    }
    // The restart's poll was conditional and answered 304.
    assert_eq!(hits.get("/feed.xml").copied(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 unchanged (304)"), "{stderr}");
}
