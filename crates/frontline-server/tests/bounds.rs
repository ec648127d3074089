#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Bounded answers (issue 23): an event-dense document's detail is paged and stays small;
//! `POST /api/extract` answers a summary by default and caps its full form.

use axum::body::Body;
use std::sync::Arc;

use axum::http::{Request, StatusCode, header};
use frontline_model::{
    ActorType, DocumentMeta, Extraction, Mention, MentionData, PloverType, Sentence, Span,
};
use frontline_server::{AppState, Extractor, ServerConfig, router};
use frontline_store::testutil::{EventSpec, actor, extraction, place};
use frontline_store::{MAX_EVENTS_PER_DOCUMENT, Store};
use serde_json::Value;
use tower::ServiceExt;

/// A response's status, body size and body as JSON.
async fn get(app: &axum::Router, uri: &str) -> (StatusCode, usize, Value) {
    let resp = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        bytes.len(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// One document repeating an attack sentence 3,000 times, coded as 3,000 identical events.
fn dense_store() -> (Store, String) {
    let store = Store::open_in_memory().unwrap();
    let n = 3_000;
    let text = "Islamic State fighters attacked army positions outside Homs on Monday, \
                killing nine soldiers, a monitor said.\n"
        .repeat(n);
    let mut spec = EventSpec::assault(
        vec![actor("IMGMUSISI", "Islamic State", None, ActorType::Rebel)],
        Some(place("Homs", 169577, 34.7268, 36.7234, "SY")),
        Some("2017-06-19"),
    );
    spec.plover = PloverType::Assault;
    let ex = extraction(&text, Some("Wire"), Some("2017-06-19"), &vec![spec; n]);
    store.put_extraction(&ex).unwrap();
    (store, ex.document.id)
}

#[tokio::test]
async fn an_event_dense_document_gives_a_paged_bounded_detail() {
    let (store, doc_id) = dense_store();
    let app = router(AppState::new(vec![store], None, ServerConfig::default()));
    let (s, _, list) = get(&app, "/api/events").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1, "one fused event");
    let id = list["events"][0]["id"].as_i64().unwrap();

    let (s, size, v) = get(&app, &format!("/api/events/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 100, "the default page");
    assert_eq!(v["reports_total"], MAX_EVENTS_PER_DOCUMENT as u64);
    assert_eq!(v["reports_offset"], 0);
    assert_eq!(v["reports_limit"], 100);
    assert_eq!(
        v["plover_type"], "ASSAULT",
        "the event's own fields stay at the top"
    );
    assert!(size < 512 * 1024, "detail of {size} bytes");

    let (s, _, v) = get(&app, &format!("/api/events/{id}?offset=990&limit=1000")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["reports"].as_array().unwrap().len(), 10);
    assert_eq!(v["reports_offset"], 990);

    for (q, code) in [
        ("limit=1001", "invalid_number"),
        ("limit=0", "invalid_number"),
        ("offset=-1", "invalid_number"),
        ("page=2", "invalid_param"),
    ] {
        let (s, _, v) = get(&app, &format!("/api/events/{id}?{q}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["error"]["code"], code, "{q}: {v}");
    }

    // The document says what was not stored.
    let (s, _, d) = get(&app, &format!("/api/documents/{doc_id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        d["events"].as_array().unwrap().len(),
        MAX_EVENTS_PER_DOCUMENT
    );
    let warnings = d["warnings"].to_string();
    assert!(
        warnings.contains("2000 of the 3000 events coded in this document were not stored"),
        "{warnings}"
    );
}

/// An extractor whose answer is much larger than the article: every word is a mention (each
/// copying its text and a place), as the pipeline's full answer was about 100 times its input.
struct Wordy;

impl Extractor for Wordy {
    fn extract(&self, meta: DocumentMeta, text: &str) -> Extraction {
        let base = extraction(
            text,
            meta.outlet.as_deref(),
            Some("2017-06-19"),
            &vec![
                EventSpec::assault(
                    vec![actor("IMGMUSISI", "Islamic State", None, ActorType::Rebel)],
                    Some(place("Homs", 169577, 34.7268, 36.7234, "SY")),
                    Some("2017-06-19"),
                );
                300
            ],
        );
        let mut ex = base;
        ex.mentions.clear();
        ex.sentences = vec![Sentence {
            span: Span::new(0, text.len()),
        }];
        let mut at = 0;
        for w in text.split(' ') {
            ex.mentions.push(Mention {
                id: ex.mentions.len(),
                span: Span::new(at, at + w.len()),
                text: w.to_string(),
                sentence: 0,
                data: MentionData::Place(place("Homs", 169577, 34.7268, 36.7234, "SY")),
            });
            at += w.len() + 1;
        }
        ex
    }
}

fn extract_app(cfg: ServerConfig) -> axum::Router {
    router(AppState::new(
        vec![Store::open_in_memory().unwrap()],
        Some(Arc::new(Wordy)),
        cfg,
    ))
}

async fn post(app: &axum::Router, uri: &str, body: &str) -> (StatusCode, usize, Value) {
    let resp = app
        .clone()
        .oneshot(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        bytes.len(),
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn extract_answers_a_bounded_summary_by_default() {
    let text = "Fighters attacked Homs. ".repeat(4_000); // 96 KB, 12,000 words
    let app = extract_app(ServerConfig::default());
    let (s, size, v) = post(&app, "/api/extract", &text).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["view"], "summary");
    assert!(
        v["document"]["text"].is_null(),
        "the summary copies no text"
    );
    assert!(v["mentions"].is_null(), "the summary lists no mentions");
    assert_eq!(v["document"]["text_bytes"], text.len());
    assert_eq!(v["counts"]["mentions"], 12_001);
    assert_eq!(v["counts"]["events"], 300);
    assert_eq!(v["events"].as_array().unwrap().len(), 200);
    assert_eq!(v["events_omitted"], 100);
    assert!(
        size < text.len() * 3,
        "summary of {size} bytes for {} bytes",
        text.len()
    );

    // The full form, on request, within the cap.
    let (s, size, v) = post(&app, "/api/extract?view=full", &text).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["mentions"].as_array().unwrap().len(), 12_001);
    assert_eq!(v["document"]["text"].as_str().unwrap().len(), text.len());
    assert!(size > text.len() * 10, "{size}");

    // Over the cap: refused with a code, and without building the whole answer.
    let small = extract_app(ServerConfig {
        max_extract_response_bytes: 256 * 1024,
        ..Default::default()
    });
    let (s, _, v) = post(&small, "/api/extract?view=full", &text).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "response_too_large");
    let (s, _, v) = post(&small, "/api/extract", &text).await;
    assert_eq!(s, StatusCode::OK, "the summary fits: {v}");

    let (s, _, v) = post(&app, "/api/extract?view=everything", &text).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["code"], "invalid_param");
}

/// The review's case at full size, through the real pipeline: a 6 MB text repeating one
/// attack sentence (about 70,000 events, all one fused event) is stored with its first
/// 1,000 events and a counted warning, and its detail is one bounded page. Ignored: minutes
/// of extraction in a debug build; `DENSE_MB` sets the size (e.g. `DENSE_MB=1`).
#[tokio::test]
#[ignore = "minutes in a debug build"]
async fn a_six_megabyte_one_sentence_document_through_the_pipeline() {
    use frontline_extract::pipeline::Pipeline;
    use frontline_geocode::Geocoder;
    let mb: usize = std::env::var("DENSE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let sentence = "Government forces shelled the town of Maarat al-Numan on Tuesday, killing \
                    four civilians, a monitor said. ";
    let text = sentence.repeat(mb * 1024 * 1024 / sentence.len());
    let pipeline = Pipeline::new(Geocoder::embedded().unwrap()).unwrap();
    let meta = DocumentMeta {
        outlet: Some("Wire".into()),
        published_at: chrono::NaiveDate::from_ymd_opt(2025, 3, 4),
        ..Default::default()
    };
    let ex = pipeline.extract(meta, &text);
    let coded = ex.events.len();
    assert!(coded > MAX_EVENTS_PER_DOCUMENT, "only {coded} events coded");
    let store = Store::open_in_memory().unwrap();
    store.put_extraction(&ex).unwrap();
    let doc_id = ex.document.id.clone();
    drop(ex);
    let app = router(AppState::new(vec![store], None, ServerConfig::default()));
    let (_, _, list) = get(&app, "/api/events?limit=10").await;
    let mut worst = 0;
    for e in list["events"].as_array().unwrap() {
        let id = e["id"].as_i64().unwrap();
        let (s, size, v) = get(&app, &format!("/api/events/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(v["reports"].as_array().unwrap().len() <= 100);
        assert!(v["reports_total"].as_u64().unwrap() <= MAX_EVENTS_PER_DOCUMENT as u64);
        worst = worst.max(size);
    }
    assert!(worst < 1024 * 1024, "a detail of {worst} bytes");
    let (_, _, d) = get(&app, &format!("/api/documents/{doc_id}")).await;
    let note = format!(
        "{} of the {coded} events coded in this document were not stored",
        coded - MAX_EVENTS_PER_DOCUMENT
    );
    assert!(
        d["warnings"].to_string().contains(&note),
        "{}",
        d["warnings"]
    );
}
