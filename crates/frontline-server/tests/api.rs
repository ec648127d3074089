#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Handler tests: the real router over a real (in-memory) store, driven with `oneshot`.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use frontline_model::{
    ActorRef, ActorType, Attribution, Document, DocumentMeta, Event, EventActor, EventLocation,
    EventQuantity, Extraction, GeoPrecision, Mention, MentionData, Modality, PlaceRef, PloverType,
    Quantity, QuantityKind, Sentence, SourceKind, Span, TimePrecision, TimeRef, Unit,
};
use frontline_server::{AppState, Extractor, ServerConfig, router};
use frontline_store::Store;
use serde_json::Value;
use tower::ServiceExt;

mod common;
use common::status_and_json;

fn span_of(text: &str, needle: &str) -> Span {
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    Span::new(start, start + needle.len())
}

struct Place {
    name: &'static str,
    lat: f64,
    lon: f64,
    cc: &'static str,
}

/// A one-event report: `actor` struck `place` on `day`, killing `killed`, said `speaker`.
fn report(
    outlet: &str,
    day: &str,
    place: &Place,
    killed: u32,
    plover: PloverType,
    extra: &str,
) -> Extraction {
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let text = format!(
        "{extra}\n\nGovernment forces shelled {} on {day}, killing {killed} people, said Ali Hassan. \"We saw the shells fall,\" Hassan said.",
        place.name
    );
    let mut doc = Document::from_meta(
        DocumentMeta {
            outlet: Some(outlet.into()),
            title: Some(format!("Shelling in {}", place.name)),
            published_at: Some(date),
            ..Default::default()
        },
        text.clone(),
    );
    doc.language = Some("en".into());
    let mut ex = Extraction::new(doc);
    let sent_start = text.find("Government forces").unwrap();
    let sent_end = text.find("Ali Hassan.").unwrap() + "Ali Hassan.".len();
    ex.sentences.push(Sentence {
        span: Span::new(sent_start, sent_end),
    });
    let actor = ActorRef {
        code: "GOVMIL".into(),
        name: "government forces".into(),
        country: None,
        actor_type: ActorType::Military,
        entity: None,
        affiliations: vec![],
    };
    let mut pref = PlaceRef::unresolved(place.name);
    pref.lat = Some(place.lat);
    pref.lon = Some(place.lon);
    pref.geonameid = Some(1000 + (place.lat * 10.0) as u64);
    pref.country_code = Some(place.cc.into());
    pref.precision = GeoPrecision::Point;
    pref.score = 0.9;
    let time = TimeRef {
        start: date,
        end: date,
        precision: TimePrecision::Day,
        derivation: "explicit".into(),
        anchor: None,
    };
    let qty = Quantity {
        value: f64::from(killed),
        value_max: None,
        unit: Unit::People,
        quantity_kind: QuantityKind::Killed,
        approximate: false,
    };
    let spans = [
        ("Government forces", MentionData::Actor(actor.clone())),
        (place.name, MentionData::Place(pref.clone())),
        (day, MentionData::Time(time.clone())),
        (
            &format!("{killed} people"),
            MentionData::Quantity(qty.clone()),
        ),
    ];
    for (i, (needle, data)) in spans.into_iter().enumerate() {
        let span = span_of(&text, needle);
        ex.mentions.push(Mention {
            id: i,
            span,
            text: needle.to_string(),
            sentence: 0,
            data,
        });
    }
    ex.events.push(Event {
        id: format!("{}:0", ex.document.id),
        plover_type: plover,
        plover_mode: None,
        acled: None,
        cameo_root: None,
        trigger: span_of(&text, "shelled"),
        trigger_text: "shell".into(),
        sentence: 0,
        sources: vec![EventActor {
            actor,
            span: span_of(&text, "Government forces"),
            mention: Some(0),
        }],
        targets: vec![],
        location: Some(EventLocation {
            place: pref,
            span: span_of(&text, place.name),
            mention: Some(1),
            relation: "in".into(),
        }),
        date: Some(time),
        quantities: vec![EventQuantity {
            quantity: qty,
            span: span_of(&text, &format!("{killed} people")),
            mention: Some(3),
        }],
        territory: None,
        attribution: vec![Attribution {
            speaker: "Ali Hassan".into(),
            actor: None,
            source_kind: SourceKind::Witness,
            cue: "said".into(),
            span: Some(span_of(&text, "Ali Hassan")),
            quotes: vec![span_of(&text, "We saw the shells fall,")],
            mention: None,
        }],
        modality: Modality::Asserted,
        confidence: 0.8,
        evidence: vec![Span::new(sent_start, sent_end)],
        rules: vec!["test.shell".into()],
        background: false,
    });
    ex.check_spans().unwrap();
    ex
}

const ALEPPO: Place = Place {
    name: "Aleppo",
    lat: 36.2,
    lon: 37.16,
    cc: "SY",
};
const MOSUL: Place = Place {
    name: "Mosul",
    lat: 36.34,
    lon: 43.13,
    cc: "IQ",
};

fn seeded_store() -> Store {
    let store = Store::open_in_memory().unwrap();
    let reports = [
        report(
            "Wire A",
            "2025-03-04",
            &ALEPPO,
            12,
            PloverType::Assault,
            "The army did not comment on the attack, which came a week after a truce was announced by mediators in the north of the country, and residents said they had been told to stay indoors.",
        ),
        report(
            "Monitor B",
            "2025-03-04",
            &ALEPPO,
            17,
            PloverType::Assault,
            "Our researchers counted the dead at two hospitals and a morgue; families buried several victims before dawn, and a school nearby was closed while engineers inspected cracks in its walls. Monitor B keeps a daily register of deaths compiled from medics, morgue staff and relatives, cross-checked against photographs and burial lists, and publishes corrections when figures change.",
        ),
        report(
            "Wire A",
            "2025-04-10",
            &MOSUL,
            3,
            PloverType::Assault,
            "Police said the attackers fled.",
        ),
    ];
    for r in &reports {
        store.put_extraction(r).unwrap();
    }
    store
}

struct Echo;
impl Extractor for Echo {
    fn extract(&self, meta: DocumentMeta, text: &str) -> Extraction {
        Extraction::new(Document::from_meta(meta, text.to_string()))
    }
}

fn app_with(config: ServerConfig, extractor: Option<Arc<dyn Extractor>>) -> axum::Router {
    router(AppState::new(vec![seeded_store()], extractor, config))
}

fn app() -> axum::Router {
    app_with(ServerConfig::default(), None)
}

async fn send(app: axum::Router, req: Request<Body>) -> (StatusCode, Value, String) {
    let resp = app.oneshot(req).await.unwrap();
    let ctype = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let (status, json) = status_and_json(resp).await;
    (status, json, ctype)
}

async fn get(app: axum::Router, uri: &str) -> (StatusCode, Value) {
    let (s, v, _) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, v)
}

#[tokio::test]
async fn lists_events_with_total_and_filters() {
    let (s, v) = get(app(), "/api/events").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["total"], 2, "{v}");
    assert_eq!(v["events"].as_array().unwrap().len(), 2);

    let (_, v) = get(app(), "/api/events?country=iq").await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["events"][0]["location"]["name"], "Mosul");

    let (_, v) = get(app(), "/api/events?since=2025-04-01&until=2025-04-30").await;
    assert_eq!(v["total"], 1);

    let (_, v) = get(app(), "/api/events?bbox=35,35,40,38").await;
    assert_eq!(v["total"], 1);
    assert_eq!(v["events"][0]["location"]["name"], "Aleppo");

    let (_, v) = get(app(), "/api/events?min_sources=2").await;
    assert_eq!(v["total"], 1, "only the Aleppo event has two outlets: {v}");

    let (_, v) = get(app(), "/api/events?type=protest").await;
    assert_eq!(v["total"], 0);

    let (_, v) = get(app(), "/api/events?limit=1&offset=1").await;
    assert_eq!(v["total"], 2);
    assert_eq!(v["events"].as_array().unwrap().len(), 1);
    assert_eq!(v["events"][0]["location"]["name"], "Mosul");
}

#[tokio::test]
async fn geojson_has_point_features() {
    let (s, v, ctype) = send(
        app(),
        Request::get("/api/events?format=geojson")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ctype, "application/geo+json");
    assert_eq!(v["type"], "FeatureCollection");
    let f = &v["features"][0];
    assert_eq!(f["geometry"]["type"], "Point");
    assert_eq!(f["geometry"]["coordinates"][0], 37.16);
    assert_eq!(f["properties"]["plover_type"], "ASSAULT");
}

#[tokio::test]
async fn malformed_params_are_400_with_stable_codes() {
    for (uri, code) in [
        ("/api/events?since=yesterday", "invalid_date"),
        (
            "/api/events?since=2025-05-01&until=2025-04-01",
            "invalid_date",
        ),
        ("/api/events?bbox=1,2,3", "invalid_bbox"),
        ("/api/events?type=EXPLODE", "invalid_type"),
        ("/api/events?country=Atlantis", "invalid_country"),
        ("/api/events?country=SY,XYZ", "invalid_country"),
        ("/api/events?type=ASSAULT,EXPLODE", "invalid_type"),
        ("/api/events?min_sources=-1", "invalid_number"),
        ("/api/events?limit=0", "invalid_number"),
        ("/api/events?limit=1000000", "invalid_number"),
        ("/api/events?format=xml", "invalid_format"),
        ("/api/events?typo=1", "invalid_param"),
        ("/api/stats?since=2025-02-30", "invalid_date"),
        ("/api/events/abc", "invalid_id"),
        ("/api/documents/not-hex!", "invalid_id"),
    ] {
        let (s, v) = get(app(), uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert_eq!(v["error"]["code"], code, "{uri}: {v}");
        assert!(v["error"]["message"].as_str().unwrap().len() > 5, "{uri}");
    }
}

#[tokio::test]
async fn event_detail_has_reports_quotes_and_contradictions() {
    let (_, list) = get(app(), "/api/events?country=SY").await;
    let id = list["events"][0]["id"].as_i64().unwrap();
    let (s, v) = get(app(), &format!("/api/events/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    let outlets: Vec<&str> = reports
        .iter()
        .map(|r| r["outlet"].as_str().unwrap())
        .collect();
    assert!(outlets.contains(&"Wire A") && outlets.contains(&"Monitor B"));
    assert_eq!(reports[0]["quotes"][0]["speaker"], "Ali Hassan");
    assert_eq!(reports[0]["quotes"][0]["text"], "We saw the shells fall,");
    assert_eq!(v["fatalities"], 12);
    assert_eq!(v["fatalities_max"], 17);
    assert!(
        !v["contradictions"].as_array().unwrap().is_empty(),
        "12 vs 17 killed is a contradiction: {v}"
    );
    // Who said how many: one toll line per report, with its outlet.
    let tolls: Vec<(String, u64)> = v["tolls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["outlet"].as_str().unwrap().to_string(),
                t["high"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(tolls.len(), 2, "{v}");
    assert!(tolls.contains(&("Wire A".into(), 12)) || tolls.contains(&("Monitor B".into(), 12)));
    assert!(tolls.iter().any(|t| t.1 == 17));
    // The independent sources are listed, as many as the record counts.
    let sources = v["independent_sources"].as_array().unwrap();
    assert_eq!(
        sources.len() as u64,
        v["n_sources"].as_u64().unwrap(),
        "{v}"
    );

    let (s, v) = get(app(), "/api/events/999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
}

#[tokio::test]
async fn document_has_text_and_mention_spans() {
    let (_, list) = get(app(), "/api/events?country=IQ").await;
    let doc_id = list["events"][0]["earliest_document"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, v) = get(app(), &format!("/api/documents/{doc_id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let text = v["document"]["text"].as_str().unwrap();
    let mentions = v["mentions"].as_array().unwrap();
    assert_eq!(mentions.len(), 4);
    for m in mentions {
        let (a, b) = (
            m["span"]["start"].as_u64().unwrap() as usize,
            m["span"]["end"].as_u64().unwrap() as usize,
        );
        assert!(!text[a..b].is_empty(), "{m}");
        assert!(m["kind"].is_string(), "{m}");
        // Issue 23, item 13: offsets into the text, not copies of it.
        assert!(m.get("text").is_none(), "a mention copies its text: {m}");
    }
    let (s, v) = get(app(), "/api/documents/0123456789abcdef").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
}

#[tokio::test]
async fn stats_count_by_day_type_and_country() {
    let (s, v) = get(app(), "/api/stats").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["events"], 2);
    assert_eq!(v["by_day"].as_array().unwrap().len(), 2);
    assert_eq!(v["by_type"][0]["key"], "ASSAULT");
    let (_, v) = get(app(), "/api/stats?country=SY").await;
    assert_eq!(v["events"], 1);
    assert_eq!(v["by_country"][0]["key"], "SY");
}

fn post_json(body: String) -> Request<Body> {
    Request::post("/api/extract")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn extract_runs_the_extractor_and_limits_size() {
    let cfg = ServerConfig {
        max_body_bytes: 200,
        ..Default::default()
    };
    let echo: Arc<dyn Extractor> = Arc::new(Echo);
    let body = r#"{"text": "Rebels shelled Aleppo on Tuesday.", "outlet": "X", "published_at": "2025-03-05"}"#;
    let (s, v, _) = send(
        app_with(cfg.clone(), Some(echo.clone())),
        post_json(body.into()),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["document"]["outlet"], "X");
    assert_eq!(v["document"]["published_at"], "2025-03-05");

    let plain = Request::post("/api/extract?view=full")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("Rebels shelled Aleppo."))
        .unwrap();
    let (s, v, _) = send(app_with(cfg.clone(), Some(echo.clone())), plain).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["document"]["text"], "Rebels shelled Aleppo.");

    let big = format!(r#"{{"text": "{}"}}"#, "a".repeat(500));
    let (s, v, _) = send(app_with(cfg.clone(), Some(echo.clone())), post_json(big)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"]["code"], "payload_too_large");

    for bad in [
        r#"{"txt": "x"}"#,
        "not json",
        r#"{"text": "  "}"#,
        r#"{"text": "x", "published_at": "May"}"#,
    ] {
        let (s, v, _) = send(
            app_with(cfg.clone(), Some(echo.clone())),
            post_json(bad.into()),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(
            v["error"]["code"].as_str().unwrap().starts_with("invalid_"),
            "{v}"
        );
    }

    let (s, v, _) = send(app_with(cfg, None), post_json(body.into())).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(v["error"]["code"], "unavailable");
}

#[tokio::test]
async fn internal_errors_do_not_leak_details() {
    // No connections at all: every query fails internally.
    let app = router(AppState::new(vec![], None, ServerConfig::default()));
    let (s, v) = get(app, "/api/events").await;
    assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(v["error"]["code"], "internal");
    assert!(
        !v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("connection")
    );
}

#[tokio::test]
async fn ui_assets_openapi_and_unknown_routes() {
    let (s, _, ctype) = send(app(), Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(ctype.starts_with("text/html"));
    for asset in ["app.js", "style.css", "world.json"] {
        let (s, _) = get(app(), &format!("/assets/{asset}")).await;
        assert_eq!(s, StatusCode::OK, "{asset}");
    }
    let (_, world) = get(app(), "/assets/world.json").await;
    assert_eq!(world["type"], "Topology");
    assert!(
        world["objects"]["countries"]["geometries"]
            .as_array()
            .unwrap()
            .len()
            > 150
    );

    let (s, v) = get(app(), "/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    for path in [
        "/api/events",
        "/api/events/{id}",
        "/api/documents/{id}",
        "/api/stats",
        "/api/extract",
    ] {
        assert!(v["paths"][path].is_object(), "{path} missing from openapi");
    }
    let (s, v) = get(app(), "/nope").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
    let (s, _) = get(app(), "/assets/secret.txt").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn health_reports_counts() {
    let (s, v) = get(app(), "/api/health").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["counts"]["documents"], 3);
}

struct Slow;
impl Extractor for Slow {
    fn extract(&self, meta: DocumentMeta, text: &str) -> Extraction {
        std::thread::sleep(std::time::Duration::from_millis(500));
        Extraction::new(Document::from_meta(meta, text.to_string()))
    }
}

#[tokio::test]
async fn slow_requests_time_out_with_503() {
    let cfg = ServerConfig {
        request_timeout: std::time::Duration::from_millis(50),
        ..Default::default()
    };
    let slow: Arc<dyn Extractor> = Arc::new(Slow);
    let (s, v, _) = send(
        app_with(cfg, Some(slow)),
        post_json(r#"{"text": "Rebels shelled Aleppo."}"#.into()),
    )
    .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"]["code"], "timeout");
}

/// Issue 23, item 8: the map asks for the newest events first (it loads at most 10,000 and
/// says how many of how many it shows), so a large database no longer shows only its oldest.
#[tokio::test]
async fn events_can_be_listed_newest_first() {
    let (s, v) = get(app(), "/api/events?order=newest").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let names: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["location"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Mosul", "Aleppo"]);
    let (_, v) = get(app(), "/api/events?order=newest&limit=1").await;
    assert_eq!(v["total"], 2);
    assert_eq!(v["events"].as_array().unwrap().len(), 1);
    assert_eq!(v["events"][0]["location"]["name"], "Mosul");
    let (_, v) = get(app(), "/api/events?order=newest&limit=1&offset=1").await;
    assert_eq!(v["events"][0]["location"]["name"], "Aleppo");
    let (_, v) = get(app(), "/api/events?order=newest&country=SY&format=geojson").await;
    assert_eq!(v["features"].as_array().unwrap().len(), 1);
    let (_, v) = get(app(), "/api/events?order=oldest&limit=1").await;
    assert_eq!(v["events"][0]["location"]["name"], "Aleppo");
    let (s, v) = get(app(), "/api/events?order=latest").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "invalid_param");
}

/// Issue 23, item 13: several values per filter, countries by alpha-2, alpha-3 or name, and
/// types as PLOVER or ACLED.
#[tokio::test]
async fn filters_take_several_values_codes_and_names() {
    for (q, total) in [
        ("country=SY,IQ", 2),
        ("country=sy", 1),
        ("country=SYR", 1),
        ("country=Syria", 1),
        ("country=syria,IRQ", 2),
        ("country=Iraq", 1),
        ("country=FR", 0),
        ("country=France,Iraq", 1),
        ("type=ASSAULT", 2),
        ("type=protest,assault", 2),
        ("type=PROTEST", 0),
        ("type=PROTEST,ASSAULT&country=IQ", 1),
        ("type=,ASSAULT,", 2),
    ] {
        for path in ["/api/events", "/api/stats"] {
            let (s, v) = get(app(), &format!("{path}?{q}")).await;
            assert_eq!(s, StatusCode::OK, "{path}?{q}: {v}");
            let n = if path == "/api/events" {
                &v["total"]
            } else {
                &v["events"]
            };
            assert_eq!(*n, total, "{path}?{q}: {v}");
        }
    }
    // ACLED types (the seeded reports carry none, so these match nothing but are accepted).
    for q in ["type=Battles", "type=air%2Fdrone%20STRIKE,PROTEST"] {
        let (s, v) = get(app(), &format!("/api/events?{q}")).await;
        assert_eq!(s, StatusCode::OK, "{q}: {v}");
    }
}

/// Issue 23, item 2 (the API's part): a stored document's local path is not served.
#[tokio::test]
async fn documents_do_not_expose_local_paths() {
    let store = Store::open_in_memory().unwrap();
    let mut ex = report(
        "Wire A",
        "2025-03-04",
        &ALEPPO,
        12,
        PloverType::Assault,
        "Intro.",
    );
    ex.document.origin = Some(frontline_model::Origin {
        format: "jsonl".into(),
        path: Some("/home/alice/secret/leads.jsonl".into()),
        record_offset: Some(120),
        record_index: Some(3),
    });
    store.put_extraction(&ex).unwrap();
    let app = router(AppState::new(vec![store], None, ServerConfig::default()));
    let (s, v) = get(app, &format!("/api/documents/{}", ex.document.id)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(!v.to_string().contains("/home/alice"), "{v}");
    assert_eq!(v["document"]["origin"]["format"], "jsonl");
    assert_eq!(v["document"]["origin"]["record_index"], 3);
    assert!(v["document"]["origin"]["path"].is_null());
}

/// Issue 23, item 13 (in part): the OpenAPI document types the query parameters, so generated
/// clients get integers, dates and enums rather than strings.
#[tokio::test]
async fn openapi_types_the_query_parameters() {
    let (_, doc) = get(app(), "/openapi.json").await;
    let param = |path: &str, method: &str, name: &str| -> Value {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{method} {path} has no parameters"))
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{method} {path}: no {name}"))["schema"]
            .clone()
    };
    let resolve = |schema: Value| -> Value {
        // An enum is a reference to a component schema (possibly inside oneOf with null).
        let text = schema.to_string();
        let Some(at) = text.find("#/components/schemas/") else {
            return schema;
        };
        let name: String = text[at + 21..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        doc["components"]["schemas"][name].clone()
    };
    for name in ["limit", "offset", "min_sources"] {
        let s = param("/api/events", "get", name).to_string();
        assert!(s.contains("integer"), "{name}: {s}");
    }
    for name in ["since", "until"] {
        let s = param("/api/events", "get", name).to_string();
        assert!(s.contains("\"date\""), "{name}: {s}");
    }
    let format = resolve(param("/api/events", "get", "format")).to_string();
    assert!(
        format.contains("geojson") && format.contains("json"),
        "{format}"
    );
    let order = resolve(param("/api/events", "get", "order")).to_string();
    assert!(order.contains("newest"), "{order}");
    let limit = param("/api/events/{id}", "get", "limit").to_string();
    assert!(limit.contains("integer"), "{limit}");
    let view = resolve(param("/api/extract", "post", "view")).to_string();
    assert!(view.contains("summary") && view.contains("full"), "{view}");
}

/// Whether `v` fits `schema` of the OpenAPI document `doc`: its objects hold only properties
/// the schema names, each fitting its own schema, and its scalars have the schema's types.
/// A small checker for this document's shapes (`$ref`, `allOf`, `oneOf`, arrays, objects,
/// nullable types), not a general JSON Schema validator. `closed`: fields the schema does not
/// name are refused (not for one part of an `allOf`).
fn fits(doc: &Value, v: &Value, schema: &Value, at: &str, closed: bool) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return fits(doc, v, &doc["components"]["schemas"][name], at, closed);
    }
    if let Some(branches) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        let errors: Vec<String> = branches
            .iter()
            .filter_map(|b| fits(doc, v, b, at, closed).err())
            .collect();
        return if errors.len() < branches.len() {
            Ok(())
        } else {
            Err(errors.join(" | "))
        };
    }
    if let Some(parts) = schema["allOf"].as_array() {
        // Each part checks the fields it names; together they must name every field.
        let mut named = std::collections::BTreeSet::new();
        for p in parts {
            properties(doc, p, &mut named);
        }
        if closed
            && let Value::Object(m) = v
            && let Some(k) = m.keys().find(|k| !named.contains(*k))
        {
            return Err(format!("{at}.{k}: not in the schema"));
        }
        for p in parts {
            fits_fields(doc, v, p, at)?;
        }
        return Ok(());
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => return Ok(()),
    };
    let ok = match v {
        Value::Null => types.contains(&"null"),
        Value::Bool(_) => types.contains(&"boolean"),
        Value::Number(n) => {
            types.contains(&"number") || (types.contains(&"integer") && !n.is_f64())
        }
        Value::String(_) => types.contains(&"string"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                fits(doc, item, &schema["items"], &format!("{at}[{i}]"), true)?;
            }
            types.contains(&"array")
        }
        Value::Object(m) => {
            if closed && schema.get("additionalProperties").is_none() {
                let mut named = std::collections::BTreeSet::new();
                properties(doc, schema, &mut named);
                if let Some(k) = m.keys().find(|k| !named.contains(*k)) {
                    return Err(format!("{at}.{k}: not in the schema"));
                }
            }
            fits_fields(doc, v, schema, at)?;
            types.contains(&"object")
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{at}: {v} is not of type {types:?}"))
    }
}

/// The properties a schema names (through references and `allOf`).
fn properties(doc: &Value, schema: &Value, out: &mut std::collections::BTreeSet<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return properties(doc, &doc["components"]["schemas"][name], out);
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        properties(doc, part, out);
    }
    for branch in schema["oneOf"].as_array().into_iter().flatten() {
        properties(doc, branch, out);
    }
    if let Some(m) = schema["properties"].as_object() {
        out.extend(m.keys().cloned());
    }
}

/// Checks the fields of object `v` that `schema` (or the parts it is made of) names.
fn fits_fields(doc: &Value, v: &Value, schema: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return fits_fields(doc, v, &doc["components"]["schemas"][name], at);
    }
    if schema["oneOf"].is_array() {
        // A part of an `allOf`: the other parts name the rest of the fields.
        return fits(doc, v, schema, at, false);
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        fits_fields(doc, v, part, at)?;
    }
    if let (Value::Object(m), Some(props)) = (v, schema["properties"].as_object()) {
        for (k, s) in props {
            if let Some(x) = m.get(k) {
                fits(doc, x, s, &format!("{at}.{k}"), true)?;
            }
        }
        for k in schema["required"].as_array().into_iter().flatten() {
            let k = k.as_str().unwrap_or_default();
            if !m.contains_key(k) {
                return Err(format!("{at}.{k}: required but absent"));
            }
        }
    }
    Ok(())
}

/// Issue 23, item 13: the answers of every read route fit the schema the OpenAPI document
/// gives for them (so a generated client can read them), field by field.
#[tokio::test]
async fn answers_fit_their_openapi_schemas() {
    let (_, doc) = get(app(), "/openapi.json").await;
    let schema_of = |path: &str| {
        doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            .clone()
    };
    let (_, events) = get(app(), "/api/events").await;
    let id = events["events"][0]["id"].as_i64().unwrap();
    let doc_id = events["events"][0]["earliest_document"]
        .as_str()
        .unwrap()
        .to_string();
    let cases = [
        ("/api/events", "/api/events".to_string()),
        (
            "/api/events",
            "/api/events?country=IQ&order=newest".to_string(),
        ),
        ("/api/events/{id}", format!("/api/events/{id}")),
        ("/api/documents/{id}", format!("/api/documents/{doc_id}")),
        ("/api/stats", "/api/stats".to_string()),
        ("/api/health", "/api/health".to_string()),
    ];
    let mut contradictions = false;
    for (path, uri) in cases {
        let (s, v) = get(app(), &uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}: {v}");
        contradictions |= v.to_string().contains("\"claims\"");
        if let Err(e) = fits(&doc, &v, &schema_of(path), "$", true) {
            panic!("{uri}: {e}");
        }
    }
    assert!(contradictions, "the seeded events carry contradictions");
    let geo = &doc["paths"]["/api/events"]["get"]["responses"]["200"]["content"]["application/geo+json"]
        ["schema"];
    let (_, v) = get(app(), "/api/events?format=geojson").await;
    fits(&doc, &v, geo, "$", true).unwrap();
    // The checker can fail: a field the schema does not name, or of the wrong type.
    let (_, mut h) = get(app(), "/api/health").await;
    h["counts"]["extra"] = Value::from(1);
    assert!(fits(&doc, &h, &schema_of("/api/health"), "$", true).is_err());
    h["counts"].as_object_mut().unwrap().remove("extra");
    h["counts"]["documents"] = Value::from("three");
    assert!(fits(&doc, &h, &schema_of("/api/health"), "$", true).is_err());
}
