#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! `GET /api/events?format=csv` (streamed, the export's columns and neutralisation) and
//! `updated_since` (issue 23, item 13).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use frontline_server::rows::CSV_COLUMNS;
use frontline_server::{AppState, ServerConfig, router};
use frontline_store::{FusedEvent, Store};
use tower::ServiceExt;

/// `n` fused events, one a day from 2025-01-01, every seventh one in Iraq and a PROTEST, the
/// first with a note a spreadsheet would run as a formula.
fn events(n: usize) -> Vec<FusedEvent> {
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    (0..n)
        .map(|i| {
            let day = start + chrono::Days::new(i as u64);
            let iraq = i % 7 == 0;
            let notes = if i == 0 {
                "=HYPERLINK(\"http://evil.example\")".to_string()
            } else {
                format!("Event number {i}.")
            };
            serde_json::from_value(serde_json::json!({
                "id": 0, "plover_type": if iraq { "PROTEST" } else { "ASSAULT" },
                "date_start": day, "date_end": day, "time_precision": "day",
                "location": {"name": if iraq { "Mosul" } else { "Aleppo" },
                             "lat": if iraq { 36.34 } else { 36.2 },
                             "lon": if iraq { 43.13 } else { 37.16 },
                             "precision": "point",
                             "country_code": if iraq { "IQ" } else { "SY" },
                             "relation": "in"},
                "sources": [], "targets": [],
                "n_reports": 1, "n_documents": 1, "n_sources": 1, "n_outlets": 1,
                "outlets": ["Wire A"], "earliest_document": "d",
                "modality": "asserted", "confidence": 0.5,
                "notes": notes, "contradictions": []
            }))
            .unwrap()
        })
        .collect()
}

fn app(n: usize) -> axum::Router {
    let store = Store::open_in_memory().unwrap();
    store.insert_fused_events(&events(n)).unwrap();
    router(AppState::new(vec![store], None, ServerConfig::default()))
}

/// Status, headers and the body's data frames.
async fn fetch(app: axum::Router, uri: &str) -> (StatusCode, header::HeaderMap, Vec<Vec<u8>>) {
    use futures_util::StreamExt;
    let resp = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let mut frames = Vec::new();
    let mut stream = resp.into_body().into_data_stream();
    while let Some(chunk) = stream.next().await {
        frames.push(chunk.unwrap().to_vec());
    }
    (status, headers, frames)
}

fn rows(frames: &[Vec<u8>]) -> Vec<csv::StringRecord> {
    let all: Vec<u8> = frames.concat();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(all.as_slice())
        .records()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every matching event, in the export's columns and order, neutralised, with a CSV type and a
/// file name; read from the store a page at a time and sent as it is read (several frames).
#[tokio::test]
async fn csv_streams_every_matching_event_in_the_export_columns() {
    let n = 1_234;
    let app = app(n);
    let (status, headers, frames) = fetch(app.clone(), "/api/events?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment")
            && disposition.contains("filename=\"frontline-events.csv\""),
        "{disposition}"
    );
    // Bounded memory: the answer is built a page at a time, not whole.
    let pages = n.div_ceil(frontline_server::api::CSV_PAGE as usize);
    assert!(
        frames.len() >= pages,
        "{} frames for {pages} pages",
        frames.len()
    );
    let largest = frames.iter().map(Vec::len).max().unwrap();
    assert!(largest < 200 * 1024, "a frame of {largest} bytes");
    let lines = rows(&frames);
    assert_eq!(lines[0].iter().collect::<Vec<_>>(), CSV_COLUMNS.to_vec());
    assert_eq!(
        lines.len(),
        n + 1,
        "every event, past the JSON page size too"
    );
    let ids: Vec<i64> = lines[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    assert_eq!(
        ids,
        (1..=n as i64).collect::<Vec<_>>(),
        "the export's order"
    );
    let notes = CSV_COLUMNS.iter().position(|c| *c == "notes").unwrap();
    assert_eq!(&lines[1][notes], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(&lines[2][notes], "Event number 1.");

    // Filters, limit and offset apply as to JSON; several values per filter.
    let (_, _, frames) = fetch(app.clone(), "/api/events?format=csv&country=IQ,IRQ").await;
    assert_eq!(rows(&frames).len(), 1 + n.div_ceil(7));
    let (_, _, frames) = fetch(app.clone(), "/api/events?format=csv&limit=700&offset=10").await;
    let r = rows(&frames);
    assert_eq!(r.len(), 701);
    assert_eq!(&r[1][0], "11");
    let (_, _, frames) = fetch(app.clone(), "/api/events?format=csv&limit=20000").await;
    assert_eq!(rows(&frames).len(), n + 1, "no page maximum for CSV");
    let (_, _, frames) = fetch(app.clone(), "/api/events?format=csv&since=2099-01-01").await;
    assert_eq!(rows(&frames).len(), 1, "the header alone");

    // A bad filter is still a JSON error, before anything is streamed.
    let (status, headers, frames) = fetch(app.clone(), "/api/events?format=csv&text=%25").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("json")
    );
    let body: serde_json::Value = serde_json::from_slice(&frames.concat()).unwrap();
    assert_eq!(body["error"]["code"], "invalid_query");
    let (status, _, _) = fetch(app, "/api/events?format=csv&limit=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// `updated_since` selects by the stamp each event carries, inclusively; a malformed value is
/// 400 `invalid_date`.
#[tokio::test]
async fn updated_since_selects_by_the_events_stamp() {
    let app = app(5);
    let (s, v) = common_get(app.clone(), "/api/events").await;
    assert_eq!(s, StatusCode::OK);
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 5);
    let stamp = events[0]["updated_at"].as_str().unwrap().to_string();
    assert!(events.iter().all(|e| e["created_at"].is_string()), "{v}");
    let encoded = stamp.replace(':', "%3A");
    let (_, v) = common_get(app.clone(), &format!("/api/events?updated_since={encoded}")).await;
    assert_eq!(v["total"], 5, "inclusive: {v}");
    let (_, v) = common_get(app.clone(), "/api/events?updated_since=2000-01-01").await;
    assert_eq!(v["total"], 5);
    let (_, v) = common_get(
        app.clone(),
        "/api/events?updated_since=2999-01-01T00%3A00%3A00Z",
    )
    .await;
    assert_eq!(v["total"], 0);
    let (_, v) = common_get(app.clone(), "/api/stats?updated_since=2999-01-01").await;
    assert_eq!(v["events"], 0);
    for bad in ["yesterday", "2025-13-01", "2025-01-01T25%3A00%3A00Z", "%00"] {
        let (s, v) = common_get(app.clone(), &format!("/api/events?updated_since={bad}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert_eq!(v["error"]["code"], "invalid_date", "{bad}: {v}");
    }
    let (_, _, frames) = fetch(app, "/api/events?format=csv&updated_since=2999-01-01").await;
    assert_eq!(rows(&frames).len(), 1);
}

async fn common_get(app: axum::Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let resp = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    common::status_and_json(resp).await
}
