#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Hostile query strings against the API (issue 7): random and malformed parameters sent to
//! `/api/events`, `/api/stats` and the id routes with `oneshot`.
//!
//! Properties: the server never answers 5xx; a value built to be malformed gets 400 with the
//! stable code of its parameter; a request built only from valid values gets 200 with a body of
//! the documented shape; arbitrary bytes get 200 or a 400 with one of the codes that parameter
//! can produce. Filter values that look like SQL are data: they match nothing and break nothing.
//!
//! Case count: 64 by default; `PROPTEST_CASES` overrides it (`scripts/hostile.sh` runs 100k).

use std::collections::HashSet;
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use frontline_model::{ActorType, PloverType};
use frontline_server::{AppState, ServerConfig, router};
use frontline_store::Store;
use frontline_store::testutil::{EventSpec, actor, extraction, place};
use proptest::prelude::*;
use serde_json::Value;
use tower::ServiceExt;

mod common;
use common::status_and_json;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

fn seeded_store() -> Store {
    let store = Store::open_in_memory().unwrap();
    let rebels = actor("SYRREB", "Syrian rebels", Some("SYR"), ActorType::Rebel);
    let army = actor("IRQMIL", "Iraqi army", Some("IRQ"), ActorType::Military);
    let reports = [
        (
            "Rebels attacked a checkpoint near Aleppo on Monday, officials said.",
            "Wire A",
            "2025-03-04",
            rebels.clone(),
            place("Aleppo", 170_063, 36.2, 37.16, "SY"),
        ),
        (
            "A monitor said rebel fighters stormed an army post outside Aleppo.",
            "Monitor B",
            "2025-03-04",
            rebels,
            place("Aleppo", 170_063, 36.2, 37.16, "SY"),
        ),
        (
            "The army shelled positions west of Mosul, a police officer said.",
            "Wire A",
            "2025-04-10",
            army,
            place("Mosul", 99_072, 36.34, 43.13, "IQ"),
        ),
    ];
    for (text, outlet, day, who, at) in reports {
        let ev = EventSpec::assault(vec![who], Some(at), Some(day));
        store
            .put_extraction(&extraction(text, Some(outlet), Some(day), &[ev]))
            .unwrap();
    }
    store
}

/// One application for every case (the router is cloned per request).
fn app() -> axum::Router {
    static APP: OnceLock<axum::Router> = OnceLock::new();
    APP.get_or_init(|| {
        router(AppState::new(
            vec![seeded_store()],
            None,
            ServerConfig::default(),
        ))
    })
    .clone()
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    })
}

fn get(uri: &str) -> (StatusCode, Value) {
    let req = Request::get(uri)
        .body(Body::empty())
        .unwrap_or_else(|e| panic!("test built a bad URI {uri:?}: {e}"));
    runtime().block_on(async { status_and_json(app().oneshot(req).await.unwrap()).await })
}

/// Percent-encodes every byte outside the unreserved set (so any bytes, even invalid UTF-8,
/// make a valid URI).
fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// What a generated value is known to be.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// Accepted.
    Valid,
    /// Refused with this code.
    Invalid(&'static str),
    /// Anything: accepted, or refused with one of the parameter's codes.
    Unknown,
}

/// A parameter: name, raw value bytes, what the server must make of it.
type Param = (String, Vec<u8>, Expect);

const NAMES: &[&str] = &[
    "since",
    "until",
    "bbox",
    "type",
    "acled_type",
    "actor",
    "country",
    "text",
    "min_sources",
    "limit",
    "offset",
    "format",
    "updated_since",
];

/// The codes a parameter can produce.
fn codes_of(name: &str) -> &'static [&'static str] {
    match name {
        "since" | "until" | "updated_since" => &["invalid_date"],
        "bbox" => &["invalid_bbox"],
        "type" => &["invalid_type"],
        "country" => &["invalid_country"],
        "min_sources" | "limit" | "offset" => &["invalid_number"],
        "format" => &["invalid_format"],
        "text" => &["invalid_query"],
        // Any text, but control characters are refused (issue 23: a NUL in `actor` matched
        // almost every event).
        "acled_type" | "actor" => &["invalid_param"],
        _ => &["invalid_param"],
    }
}

fn valid(name: &str, v: String) -> Param {
    (name.to_string(), v.into_bytes(), Expect::Valid)
}

fn invalid(name: &str, v: String) -> Param {
    let code = codes_of(name)[0];
    (name.to_string(), v.into_bytes(), Expect::Invalid(code))
}

fn valid_date() -> impl Strategy<Value = String> {
    (1000..=9999i32, 1..=12u32, 1..=28u32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn invalid_date() -> impl Strategy<Value = String> {
    prop_oneof![
        (1000..=9999i32, 13..=99u32, 1..=28u32).prop_map(|(y, m, d)| format!("{y}-{m}-{d:02}")),
        (1000..=9999i32, 1..=12u32, 32..=99u32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d}")),
        Just("2025-02-30".to_string()),
        Just("2023-02-29".to_string()),
        Just("yesterday".to_string()),
        Just("18/06/2017".to_string()),
        Just("2025-03-04T10:00:00Z".to_string()),
        Just("'; DROP TABLE events; --".to_string()),
        "[a-z]{1,10}",
    ]
}

fn coord(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![lo..=hi, Just(lo), Just(hi), Just(0.0)]
}

fn valid_bbox() -> impl Strategy<Value = String> {
    (
        coord(-180.0, 180.0),
        coord(-90.0, 90.0),
        coord(-180.0, 180.0),
        coord(-90.0, 90.0),
    )
        .prop_map(|(a, b, c, d)| {
            let (lo, hi) = if b <= d { (b, d) } else { (d, b) };
            format!("{a},{lo},{c},{hi}")
        })
}

fn invalid_bbox() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(-90.0..90.0f64, 1..=3).prop_map(|v| v
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(",")),
        prop::collection::vec(-90.0..90.0f64, 5..=8).prop_map(|v| v
            .iter()
            .map(f64::to_string)
            .collect::<Vec<_>>()
            .join(",")),
        (90.001..1e9f64).prop_map(|lat| format!("0,0,1,{lat}")),
        (180.001..1e9f64).prop_map(|lon| format!("-{lon},0,1,1")),
        Just("0,10,1,5".to_string()),
        Just("NaN,0,1,1".to_string()),
        Just("0,0,inf,1".to_string()),
        Just("1,2,3,four".to_string()),
        Just("1;2;3;4".to_string()),
        Just("0,0,1,1) OR 1=1 --".to_string()),
    ]
}

fn valid_type() -> impl Strategy<Value = String> {
    (0..PloverType::ALL.len(), any::<u16>()).prop_map(|(i, mask)| {
        // Random letter case: types are case-insensitive.
        PloverType::ALL[i]
            .as_str()
            .chars()
            .enumerate()
            .map(|(k, c)| {
                if mask & (1 << (k % 16)) != 0 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect()
    })
}

fn invalid_type() -> impl Strategy<Value = String> {
    "[A-Za-z_' ;=-]{1,16}".prop_filter("a real type", |s| {
        !s.trim().is_empty()
            && PloverType::parse(s).is_none()
            && !frontline_server::api::ACLED_TYPES
                .iter()
                .any(|a| a.eq_ignore_ascii_case(s.trim()))
    })
}

/// Not a country: neither a code nor a name the country table knows (`country` takes
/// alpha-2, alpha-3 and names since issue 23).
fn invalid_country() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z]{3,8}",
        "[A-Za-z]",
        "[0-9]{2}",
        Just("S'".to_string())
    ]
    .prop_filter("a real country", |s| {
        let t = s.trim();
        frontline_gazetteer::countries::by_iso3(t).is_none()
            && frontline_gazetteer::countries::lookup(t).is_none()
    })
}

fn invalid_u32() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..=u64::from(u32::MAX)).prop_map(|n| format!("-{n}")),
        (u64::from(u32::MAX) + 1..=u64::MAX).prop_map(|n| n.to_string()),
        Just("1.5".to_string()),
        Just("0x10".to_string()),
        Just("1e3".to_string()),
        Just("ten".to_string()),
        Just("1 OR 1=1".to_string()),
        Just("99999999999999999999999999".to_string()),
    ]
}

/// SQL-looking and LIKE-wildcard values for the free-text filters.
fn sqlish() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("' OR '1'='1".to_string()),
        Just("x'; DROP TABLE fused_events; --".to_string()),
        Just("\" OR 1=1 --".to_string()),
        Just("%".to_string()),
        Just("_".to_string()),
        Just("\\".to_string()),
        Just("rebels\" OR \"army".to_string()),
        Just("NEAR(aleppo mosul)".to_string()),
        Just("aleppo*".to_string()),
        Just("1); DELETE FROM documents; --".to_string()),
        Just("Robert'); DROP TABLE Students;--".to_string()),
    ]
}

/// Any string the free-text filters must accept (anything with a letter or digit).
fn free_text() -> impl Strategy<Value = String> {
    prop_oneof![sqlish(), "\\PC{0,30}", "[a-zA-Z0-9 ]{1,20}"]
}

fn text_expect(s: &str) -> Expect {
    if s.trim().is_empty() || s.chars().any(char::is_alphanumeric) {
        Expect::Valid
    } else {
        Expect::Invalid("invalid_query")
    }
}

/// Makes a free-text value acceptable to `text` (which needs a letter or digit).
fn with_a_word(v: String) -> String {
    if text_expect(&v) == Expect::Valid {
        v
    } else {
        format!("{v} aleppo")
    }
}

fn blank(name: &'static str) -> impl Strategy<Value = Param> {
    prop_oneof![Just(""), Just(" "), Just("\t")].prop_map(move |b| valid(name, b.to_string()))
}

/// A parameter with a valid value; `dates`: `since` and `until` among them.
fn valid_param(dates: bool) -> BoxedStrategy<Param> {
    let others = prop_oneof![
        valid_bbox().prop_map(|v| valid("bbox", v)),
        valid_type().prop_map(|v| valid("type", v)),
        "[A-Za-z]{2}".prop_map(|v| valid("country", v)),
        any::<u32>().prop_map(|v| valid("min_sources", v.to_string())),
        any::<u32>().prop_map(|v| valid("offset", v.to_string())),
        (1..=10_000u32).prop_map(|v| valid("limit", v.to_string())),
        valid_date().prop_map(|v| valid("updated_since", v)),
        prop_oneof![Just("json"), Just("geojson")].prop_map(|v| valid("format", v.to_string())),
        free_text().prop_map(|v| valid("actor", v)),
        free_text().prop_map(|v| valid("acled_type", v)),
        free_text().prop_map(|v| valid("text", with_a_word(v))),
        blank("bbox"),
        blank("limit"),
        blank("text"),
    ];
    if dates {
        prop_oneof![
            2 => valid_date().prop_map(|v| valid("since", v)),
            2 => valid_date().prop_map(|v| valid("until", v)),
            1 => blank("since"),
            13 => others,
        ]
        .boxed()
    } else {
        others.boxed()
    }
}

/// A parameter built to be refused, with its code.
fn malformed_param() -> BoxedStrategy<Param> {
    prop_oneof![
        invalid_date().prop_map(|v| invalid("since", v)),
        invalid_date().prop_map(|v| invalid("until", v)),
        invalid_bbox().prop_map(|v| invalid("bbox", v)),
        invalid_type().prop_map(|v| invalid("type", v)),
        invalid_country().prop_map(|v| invalid("country", v)),
        invalid_u32().prop_map(|v| invalid("min_sources", v)),
        invalid_u32().prop_map(|v| invalid("offset", v)),
        // An RFC 3339 time is valid there: hour 25 is not.
        invalid_date()
            .prop_map(|v| if v.contains('T') {
                v.replace("T10", "T25")
            } else {
                v
            })
            .prop_map(|v| invalid("updated_since", v)),
        prop_oneof![
            Just("0".to_string()),
            (10_001..=u32::MAX).prop_map(|n| n.to_string()),
            invalid_u32()
        ]
        .prop_map(|v| invalid("limit", v)),
        prop_oneof![Just("xml"), Just("JSON"), Just("CSV"), Just("geojson;")]
            .prop_map(|v| invalid("format", v.to_string())),
        // Punctuation and symbols only: no word to search for.
        prop_oneof![
            Just("%"),
            Just("' -- ;"),
            Just("\"\""),
            Just("*"),
            Just("(){}[]"),
            Just("\u{00bf}?!")
        ]
        .prop_map(|v| invalid("text", v.to_string())),
        // Names the API does not know.
        (
            prop_oneof![
                Just("page"),
                Just("typo"),
                Just("Type"),
                Just("SINCE"),
                Just("limit "),
                Just("bbox[]"),
                Just("")
            ],
            "[a-z0-9]{0,5}"
        )
            .prop_map(|(n, v)| (
                n.to_string(),
                v.into_bytes(),
                Expect::Invalid("invalid_param")
            )),
    ]
    .boxed()
}

/// Any parameter: valid, malformed, punctuation-heavy text, or arbitrary bytes (invalid UTF-8
/// included) under a known name.
fn param() -> impl Strategy<Value = Param> {
    prop_oneof![
        6 => valid_param(true),
        5 => malformed_param(),
        1 => "[\\p{L}\\p{Nd}_;!'\\- ]{0,6}[\\p{P}\\p{S}]{1,8}".prop_map(|v| {
            let e = text_expect(&v);
            ("text".to_string(), v.into_bytes(), e)
        }),
        2 => (
            prop::sample::select(NAMES),
            prop::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(n, v)| (n.to_string(), v, Expect::Unknown)),
    ]
}

/// The outcome the server may give for a set of parameters: `Ok(())` for 200, or the set of
/// 400 codes it may answer with and whether 200 is also possible.
struct Allowed {
    ok: bool,
    codes: HashSet<&'static str>,
}

fn allowed(params: &[Param]) -> Allowed {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    let mut definite = false;
    for (name, _, e) in params {
        if !names.insert(name.as_str()) {
            // A parameter given twice is refused by the query parser.
            codes.insert("invalid_param");
            definite = true;
        }
        match e {
            Expect::Valid => {}
            Expect::Invalid(c) => {
                codes.insert(*c);
                definite = true;
            }
            Expect::Unknown => codes.extend(codes_of(name).iter().copied()),
        }
    }
    // since after until is refused even when both are valid dates.
    let date = |n: &str| {
        params
            .iter()
            .find(|(name, _, _)| name == n)
            .map(|(_, v, e)| (String::from_utf8_lossy(v).trim().to_string(), e.clone()))
    };
    match (date("since"), date("until")) {
        (Some((s, Expect::Valid)), Some((u, Expect::Valid)))
            if !s.is_empty() && !u.is_empty() && s > u =>
        {
            codes.insert("invalid_date");
            definite = true;
        }
        (Some(_), Some(_)) => {
            codes.insert("invalid_date");
        }
        _ => {}
    }
    Allowed {
        ok: !definite,
        codes,
    }
}

fn query(params: &[Param]) -> String {
    params
        .iter()
        .map(|(n, v, _)| format!("{}={}", encode(n.as_bytes()), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn check_answer(uri: &str, status: StatusCode, body: &Value, allowed: &Allowed) {
    assert!(
        !status.is_server_error(),
        "{uri}: server error {status}: {body}"
    );
    if status == StatusCode::OK {
        assert!(allowed.ok, "{uri}: 200 but a 400 was due: {body}");
        if uri.starts_with("/api/stats") {
            assert!(body["events"].is_u64(), "{uri}: {body}");
        } else if body["type"] == "FeatureCollection" {
            assert!(body["features"].is_array(), "{uri}: {body}");
        } else {
            assert!(body["total"].is_u64(), "{uri}: {body}");
            assert!(body["events"].is_array(), "{uri}: {body}");
        }
    } else {
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        let code = body["error"]["code"].as_str().unwrap_or_default();
        assert!(
            allowed.codes.contains(code),
            "{uri}: code {code:?} not among {:?}: {body}",
            allowed.codes
        );
        assert!(
            !body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{uri}: {body}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Random combinations of valid, malformed and arbitrary parameters.
    #[test]
    fn query_parameters_get_200_or_a_stable_400(
        params in prop::collection::vec(param(), 0..6),
        stats in any::<bool>(),
    ) {
        let path = if stats { "/api/stats" } else { "/api/events" };
        let q = query(&params);
        let uri = if q.is_empty() { path.to_string() } else { format!("{path}?{q}") };
        let (status, body) = get(&uri);
        check_answer(&uri, status, &body, &allowed(&params));
    }

    /// One malformed parameter among valid ones: exactly its code.
    #[test]
    fn one_malformed_parameter_gets_its_own_code(
        bad in malformed_param(),
        good in prop::collection::vec(valid_param(false), 0..4),
    ) {
        let mut seen: HashSet<String> = HashSet::from([bad.0.clone()]);
        let mut params = good;
        params.retain(|p| seen.insert(p.0.clone()));
        params.push(bad.clone());
        let uri = format!("/api/events?{}", query(&params));
        let (status, body) = get(&uri);
        prop_assert_eq!(status, StatusCode::BAD_REQUEST, "{}: {}", uri, body);
        let Expect::Invalid(code) = bad.2 else { unreachable!() };
        prop_assert_eq!(body["error"]["code"].as_str(), Some(code), "{}: {}", uri, body);
    }

    /// Raw query strings: stray `&`, `=`, `%`, `+`, broken escapes, repeated keys.
    #[test]
    fn raw_query_strings_never_fail_the_server(
        raw in "[a-z_=&%+,.;:!*'()~/?0-9A-F\\-]{0,60}",
        stats in any::<bool>(),
    ) {
        let path = if stats { "/api/stats" } else { "/api/events" };
        let uri = format!("{path}?{raw}");
        let (status, body) = get(&uri);
        prop_assert!(!status.is_server_error(), "{}: {} {}", uri, status, body);
        if status != StatusCode::OK {
            prop_assert_eq!(status, StatusCode::BAD_REQUEST, "{}: {}", uri, body);
            prop_assert!(body["error"]["code"].as_str().is_some_and(|c| c.starts_with("invalid_")), "{}: {}", uri, body);
        }
    }

    /// Any id, any bytes: 200, 400 `invalid_id` or 404 `not_found`.
    #[test]
    fn ids_are_checked(
        id in prop::collection::vec(any::<u8>(), 1..80),
        doc in any::<bool>(),
    ) {
        let uri = format!("/api/{}/{}", if doc { "documents" } else { "events" }, encode(&id));
        let (status, body) = get(&uri);
        prop_assert!(
            [StatusCode::OK, StatusCode::BAD_REQUEST, StatusCode::NOT_FOUND].contains(&status),
            "{}: {} {}", uri, status, body
        );
        if status != StatusCode::OK {
            let code = body["error"]["code"].as_str().unwrap_or_default();
            prop_assert!(["invalid_id", "not_found"].contains(&code), "{}: {}", uri, body);
        }
    }
}

/// Filter values written as SQL are compared as data: they match nothing, and the tables are
/// intact afterwards.
#[test]
fn sql_in_filter_values_is_data() {
    let (_, before) = get("/api/health");
    for name in ["actor", "acled_type", "text"] {
        for v in [
            "' OR '1'='1",
            "x'; DROP TABLE fused_events; --",
            "1) OR (1=1",
            "\" OR \"\"=\"",
            "%",
            "_",
        ] {
            let uri = format!("/api/events?{name}={}", encode(v.as_bytes()));
            let (status, body) = get(&uri);
            if name == "text" && !v.chars().any(char::is_alphanumeric) {
                assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
                assert_eq!(body["error"]["code"], "invalid_query", "{uri}");
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            assert_eq!(body["total"], 0, "{uri} matched events: {body}");
        }
    }
    let (_, after) = get("/api/health");
    assert_eq!(before, after);
    assert_eq!(after["counts"]["fused_events"], 2, "{after}");
    // The same filters with real values do match, so the zeros above mean something.
    for q in [
        "actor=rebel",
        "acled_type=battles",
        "text=Mosul",
        "actor=IRQMIL",
    ] {
        let (status, body) = get(&format!("/api/events?{q}"));
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
        assert!(body["total"].as_u64().unwrap() >= 1, "{q}: {body}");
    }
}

/// Ids that are not UTF-8 get the JSON error body like every other 400 (found by
/// `ids_are_checked`: axum's own rejection answered in plain text).
#[test]
fn non_utf8_ids_get_a_json_400() {
    for uri in [
        "/api/events/%80",
        "/api/documents/%FF%FE",
        "/api/events/%C3%28",
    ] {
        let (status, body) = get(uri);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["error"]["code"], "invalid_id", "{uri}: {body}");
    }
}
