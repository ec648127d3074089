//! The JSON API: handlers, their parameters and the OpenAPI document generated from them.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use frontline_model::{DocumentMeta, PloverType};
use frontline_store::{BBox, EventFilter, FusedEvent};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// `format` of `/api/events`, as the OpenAPI document types it (the handler reads the raw
/// string, so that a wrong value gets its own error code).
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum EventFormat {
    /// `{"total", "limit", "offset", "events"}`.
    Json,
    /// A GeoJSON FeatureCollection.
    Geojson,
}

/// `order` of `/api/events`, as the OpenAPI document types it.
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum EventOrder {
    /// Earliest date first (the default).
    Oldest,
    /// Latest date first.
    Newest,
}

/// `view` of `POST /api/extract`, as the OpenAPI document types it.
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum ExtractView {
    /// The bounded summary (the default).
    Summary,
    /// The whole extraction, up to the size cap.
    Full,
}

/// Filters shared by `/api/events` and `/api/stats`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FilterParams {
    /// Events on or after this day (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    pub since: Option<String>,
    /// Events on or before this day (`YYYY-MM-DD`).
    #[param(value_type = Option<String>, format = Date)]
    pub until: Option<String>,
    /// Box `minlon,minlat,maxlon,maxlat` (WGS84 degrees); `minlon > maxlon` crosses the
    /// antimeridian.
    pub bbox: Option<String>,
    /// One or more event types, comma-separated: PLOVER (`ASSAULT`) or ACLED event or
    /// sub-event types (`Battles`, `Air/drone strike`), any letter case; any of them matches.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub plover_type: Option<String>,
    /// ACLED event type or sub-event type, e.g. `Battles`, `Air/drone strike`.
    pub acled_type: Option<String>,
    /// Actor code (`SYRMIL`) or part of an actor name.
    pub actor: Option<String>,
    /// One or more countries of the event's location, comma-separated: ISO 3166-1 alpha-2
    /// (`SY`), alpha-3 (`SYR`) or name (`Syria`); any of them matches.
    pub country: Option<String>,
    /// Words that must all occur in a report's title or text.
    pub text: Option<String>,
    /// At least this many independent sources.
    #[param(value_type = Option<u32>, minimum = 0)]
    pub min_sources: Option<String>,
    /// Page size (default 500, at most 10000). Ignored by `/api/stats`.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 10000)]
    pub limit: Option<String>,
    /// Events to skip. Ignored by `/api/stats`.
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: Option<String>,
    /// `json` (default) or `geojson`. Ignored by `/api/stats`.
    #[param(value_type = Option<EventFormat>)]
    pub format: Option<String>,
    /// `oldest` (default: by date, undated last) or `newest` (latest date first, undated
    /// last). Ignored by `/api/stats`.
    #[param(value_type = Option<EventOrder>)]
    pub order: Option<String>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_date(name: &str, v: &Option<String>) -> Result<Option<NaiveDate>, AppError> {
    blank(v)
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                AppError::bad_request(
                    "invalid_date",
                    format!("{name}: {s:?} is not a date; expected YYYY-MM-DD"),
                )
            })
        })
        .transpose()
}

fn parse_u32(name: &str, v: &Option<String>) -> Result<Option<u32>, AppError> {
    blank(v)
        .map(|s| {
            s.parse::<u32>().map_err(|_| {
                AppError::bad_request(
                    "invalid_number",
                    format!("{name}: {s:?} is not a whole number >= 0"),
                )
            })
        })
        .transpose()
}

/// Output format of `/api/events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"total", "limit", "offset", "events"}`.
    Json,
    /// A GeoJSON FeatureCollection of the located events.
    GeoJson,
}

impl FilterParams {
    /// Turns the raw parameters into a store filter, with a stable error code for each
    /// malformed parameter.
    pub fn to_filter(&self, state: &AppState) -> Result<(EventFilter, Format), AppError> {
        self.check_controls()?;
        let since = parse_date("since", &self.since)?;
        let until = parse_date("until", &self.until)?;
        if let (Some(s), Some(u)) = (since, until)
            && s > u
        {
            return Err(AppError::bad_request(
                "invalid_date",
                format!("since {s} is after until {u}"),
            ));
        }
        let bbox = blank(&self.bbox)
            .map(|s| {
                s.parse::<BBox>()
                    .map_err(|e| AppError::bad_request("invalid_bbox", e))
            })
            .transpose()?;
        let (plover_types, acled_types) = parse_types(&self.plover_type)?;
        let countries = parse_countries(&self.country)?;
        let cfg = state.config();
        let limit = parse_u32("limit", &self.limit)?.unwrap_or(cfg.default_page);
        if limit == 0 || limit > cfg.max_page {
            return Err(AppError::bad_request(
                "invalid_number",
                format!("limit: {limit} is outside 1..={}", cfg.max_page),
            ));
        }
        let format = match blank(&self.format) {
            None | Some("json") => Format::Json,
            Some("geojson") => Format::GeoJson,
            Some(other) => {
                return Err(AppError::bad_request(
                    "invalid_format",
                    format!("format: {other:?} is not one of json, geojson"),
                ));
            }
        };
        let newest_first = match blank(&self.order) {
            None | Some("oldest") => false,
            Some("newest") => true,
            Some(other) => {
                return Err(AppError::bad_request(
                    "invalid_param",
                    format!("order: {other:?} is not one of oldest, newest"),
                ));
            }
        };
        let filter = EventFilter {
            since,
            until,
            bbox,
            plover_type: None,
            acled_type: blank(&self.acled_type).map(str::to_string),
            actor: blank(&self.actor).map(str::to_string),
            country: None,
            plover_types,
            acled_types,
            countries,
            text: blank(&self.text).map(str::to_string),
            min_sources: parse_u32("min_sources", &self.min_sources)?,
            limit: Some(limit),
            offset: parse_u32("offset", &self.offset)?,
            newest_first,
        };
        Ok((filter, format))
    }
}

/// ACLED's event types and sub-event types (its codebook), as the pipeline writes them.
pub const ACLED_TYPES: [&str; 31] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
    "Violent demonstration",
    "Mob violence",
    "Agreement",
    "Arrests",
    "Change to group/activity",
    "Disrupted weapons use",
    "Headquarters or base established",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
];

/// The comma-separated items of a parameter (blank items skipped).
fn items(v: &Option<String>) -> impl Iterator<Item = &str> {
    blank(v)
        .into_iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// `type`: one or more PLOVER types (`ASSAULT`) or ACLED event or sub-event types
/// (`Battles`, `Air/drone strike`), comma-separated, any letter case.
fn parse_types(v: &Option<String>) -> Result<(Vec<PloverType>, Vec<String>), AppError> {
    let (mut plover, mut acled) = (Vec::new(), Vec::new());
    for item in items(v) {
        if let Some(t) = PloverType::parse(item) {
            plover.push(t);
        } else if let Some(a) = ACLED_TYPES.iter().find(|a| a.eq_ignore_ascii_case(item)) {
            acled.push((*a).to_string());
        } else {
            let all: Vec<&str> = PloverType::ALL.iter().map(|t| t.as_str()).collect();
            return Err(AppError::bad_request(
                "invalid_type",
                format!(
                    "type: {item:?} is neither a PLOVER type ({}) nor an ACLED event or sub-event type (Battles, Air/drone strike...)",
                    all.join(", ")
                ),
            ));
        }
    }
    Ok((plover, acled))
}

/// `country`: one or more countries, comma-separated, each an ISO 3166-1 alpha-2 code (`SY`,
/// taken as given), an alpha-3 code (`SYR`) or a name (`Syria`, `Côte d'Ivoire`), as
/// alpha-2 codes.
fn parse_countries(v: &Option<String>) -> Result<Vec<String>, AppError> {
    use frontline_gazetteer::countries;
    let mut out = Vec::new();
    for item in items(v) {
        let alpha = item.bytes().all(|b| b.is_ascii_alphabetic());
        let found = match item.len() {
            2 if alpha => {
                out.push(item.to_ascii_uppercase());
                continue;
            }
            3 if alpha => countries::by_iso3(item).or_else(|| countries::lookup(item)),
            _ => countries::lookup(item),
        };
        match found {
            Some(c) => out.push(c.iso2.to_ascii_uppercase()),
            None => {
                return Err(AppError::bad_request(
                    "invalid_country",
                    format!(
                        "country: {item:?} is not an ISO 3166-1 code (SY, SYR) or a country name (Syria)"
                    ),
                ));
            }
        }
    }
    Ok(out)
}

impl FilterParams {
    /// Refuses any value holding a control character (a NUL, a newline, an escape...) once
    /// the blanks around it are trimmed, with the parameter's own code: none belongs in a
    /// filter, and a NUL in `actor` used to reach the `LIKE` pattern and match almost every
    /// event.
    fn check_controls(&self) -> Result<(), AppError> {
        let all: [(&str, &Option<String>, &'static str); 13] = [
            ("since", &self.since, "invalid_date"),
            ("until", &self.until, "invalid_date"),
            ("bbox", &self.bbox, "invalid_bbox"),
            ("type", &self.plover_type, "invalid_type"),
            ("acled_type", &self.acled_type, "invalid_param"),
            ("actor", &self.actor, "invalid_param"),
            ("country", &self.country, "invalid_country"),
            ("text", &self.text, "invalid_query"),
            ("min_sources", &self.min_sources, "invalid_number"),
            ("limit", &self.limit, "invalid_number"),
            ("offset", &self.offset, "invalid_number"),
            ("format", &self.format, "invalid_format"),
            ("order", &self.order, "invalid_param"),
        ];
        for (name, value, code) in all {
            // The value as it is used: blanks around it (a tab, a newline) are trimmed away.
            if let Some(v) = blank(value)
                && let Some(c) = v.chars().find(|c| c.is_control())
            {
                return Err(AppError::bad_request(
                    code,
                    format!(
                        "{name}: control character U+{:04X} is not allowed in a filter",
                        u32::from(c)
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn query_params(q: Result<Query<FilterParams>, QueryRejection>) -> Result<FilterParams, AppError> {
    q.map(|Query(p)| p)
        .map_err(|e| AppError::bad_request("invalid_param", e.body_text()))
}

/// One page of fused events.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventsPage {
    /// Events matching the filters, all pages together.
    pub total: u64,
    /// Page size used.
    pub limit: u32,
    /// Events skipped.
    pub offset: u32,
    /// The events of this page: fused records with type, dates, location, actors,
    /// fatalities (low and high), source counts, outlets and contradictions.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<FusedEvent>,
}

/// Fused events matching the filters, by date.
#[utoipa::path(
    get,
    path = "/api/events",
    params(FilterParams),
    responses(
        (status = 200, description = "A page of events (or a GeoJSON FeatureCollection with `format=geojson`)", body = EventsPage),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
    ),
    tag = "events"
)]
pub async fn list_events(
    State(state): State<AppState>,
    q: Result<Query<FilterParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let params = query_params(q)?;
    let (filter, format) = params.to_filter(&state)?;
    let limit = filter.limit.unwrap_or(0);
    let offset = filter.offset.unwrap_or(0);
    let (total, events) = state
        .query(move |s| Ok((s.count_events(&filter)?, s.events(&filter)?)))
        .await?;
    Ok(match format {
        Format::Json => Json(EventsPage {
            total,
            limit,
            offset,
            events,
        })
        .into_response(),
        Format::GeoJson => {
            let body = geojson(total, &events).map_err(AppError::internal)?;
            ([(header::CONTENT_TYPE, "application/geo+json")], body).into_response()
        }
    })
}

/// Serialises located events as a GeoJSON FeatureCollection (unlocated ones are left out;
/// `total` counts all matches).
pub fn geojson(total: u64, events: &[FusedEvent]) -> Result<String, serde_json::Error> {
    let mut features = Vec::with_capacity(events.len());
    for e in events {
        let Some((lat, lon)) = e.location.as_ref().and_then(|l| Some((l.lat?, l.lon?))) else {
            continue;
        };
        let mut props = serde_json::to_value(e)?;
        if let Value::Object(map) = &mut props {
            map.remove("id");
        }
        features.push(json!({
            "type": "Feature",
            "id": e.id,
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props,
        }));
    }
    serde_json::to_string(&json!({
        "type": "FeatureCollection",
        "total": total,
        "features": features,
    }))
}

/// The id segment of a path, or a JSON 400 `invalid_id` (e.g. for `%80`, which is not UTF-8)
/// instead of axum's plain-text rejection.
fn path_id(what: &str, p: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
    p.map(|Path(id)| id)
        .map_err(|e| AppError::bad_request("invalid_id", format!("{what} id: {}", e.body_text())))
}

fn parse_event_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        AppError::bad_request(
            "invalid_id",
            format!("event id {raw:?} is not a positive whole number"),
        )
    })
}

/// Which reports of a fused event `GET /api/events/{id}` returns.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// Reports per page (default 100, at most 1000).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub limit: Option<String>,
    /// Reports to skip, earliest first.
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: Option<String>,
}

/// The body of `GET /api/events/{id}`: the event, a page of its reports, and the page size.
#[derive(Debug, Serialize)]
struct EventPage {
    #[serde(flatten)]
    detail: frontline_store::FusedEventDetail,
    reports_limit: u32,
}

/// One fused event with one page of the reports behind it.
#[utoipa::path(
    get,
    path = "/api/events/{id}",
    params(("id" = i64, Path, description = "Fused event id"), ReportParams),
    responses(
        (status = 200, description = "The fused event (its fields at the top level) and one page of its reports (`reports`, earliest first; `reports_total` counts them all, `reports_offset` and `reports_limit` say which page this is), each with outlet, trigger, sentence, actors, place, date, quantities, attribution, quotes and evidence spans; contradictions are in `contradictions`; `independent_sources` lists each independent source (its stories, outlets, credited outlets and documents) and `tolls` each report's death toll (document, outlet, publication date, low, high, modality, `update`), earliest first", body = Object),
        (status = 400, description = "Malformed id or parameter", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
    ),
    tag = "events"
)]
pub async fn get_event(
    State(state): State<AppState>,
    raw: Result<Path<String>, PathRejection>,
    q: Result<Query<ReportParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let raw = path_id("event", raw)?;
    let id = parse_event_id(&raw)?;
    let params = q
        .map(|Query(p)| p)
        .map_err(|e| AppError::bad_request("invalid_param", e.body_text()))?;
    let cfg = state.config();
    let limit = parse_u32("limit", &params.limit)?.unwrap_or(cfg.default_report_page);
    if limit == 0 || limit > cfg.max_report_page {
        return Err(AppError::bad_request(
            "invalid_number",
            format!("limit: {limit} is outside 1..={}", cfg.max_report_page),
        ));
    }
    let offset = parse_u32("offset", &params.offset)?.unwrap_or(0);
    match state
        .query(move |s| s.event_page(id, offset, limit))
        .await?
    {
        Some(detail) => Ok(Json(EventPage {
            detail,
            reports_limit: limit,
        })
        .into_response()),
        None => Err(AppError::NotFound {
            what: "event",
            id: raw,
        }),
    }
}

/// A stored document: its cleaned text and every mention span in it.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    params(("id" = String, Path, description = "Document id (content hash, hex)")),
    responses(
        (status = 200, description = "The document with its text, sentences, mentions (actor, place, time, quantity, speaker spans), boilerplate, copies and events", body = Object),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody),
    ),
    tag = "documents"
)]
pub async fn get_document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let id = path_id("document", id)?;
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::bad_request(
            "invalid_id",
            format!("document id {id:?} is not a hexadecimal content hash"),
        ));
    }
    let key = id.to_ascii_lowercase();
    match state.query(move |s| s.document(&key)).await? {
        Some(mut doc) => {
            // Where the file was on the ingesting machine is not the API's to say (issue 23,
            // item 2): a local path names users, folders and files of that machine.
            if let Some(origin) = doc.document.origin.as_mut() {
                origin.path = None;
            }
            Ok(Json(doc).into_response())
        }
        None => Err(AppError::NotFound {
            what: "document",
            id,
        }),
    }
}

/// Counts of the events matching the filters: by day, type, ACLED type and country.
#[utoipa::path(
    get,
    path = "/api/stats",
    params(FilterParams),
    responses(
        (status = 200, description = "`events`, `reports`, `by_day` [{date, count}], `by_type`, `by_acled_type`, `by_country` [{key, count}]", body = Object),
        (status = 400, description = "A malformed parameter", body = ErrorBody),
    ),
    tag = "events"
)]
pub async fn stats(
    State(state): State<AppState>,
    q: Result<Query<FilterParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let params = query_params(q)?;
    let (mut filter, _) = params.to_filter(&state)?;
    filter.limit = None;
    filter.offset = None;
    let stats = state.query(move |s| s.stats(&filter)).await?;
    Ok(Json(stats).into_response())
}

/// An article to extract from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractRequest {
    /// The article text (plain text).
    pub text: String,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Outlet.
    #[serde(default)]
    pub outlet: Option<String>,
    /// URL.
    #[serde(default)]
    pub url: Option<String>,
    /// Publication date `YYYY-MM-DD`; relative dates ("on Tuesday") are resolved against it.
    #[serde(default)]
    pub published_at: Option<String>,
}

/// How `POST /api/extract` answers.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExtractParams {
    /// `summary` (default): the document's metadata, counts, and up to 200 events, without
    /// the text or mentions; `full`: the whole extraction (schema `docs/schema.md`), refused
    /// with 422 `response_too_large` when it would exceed the server's limit (8 MiB by
    /// default).
    #[param(value_type = Option<ExtractView>)]
    pub view: Option<String>,
}

/// The summary form of an extraction: bounded whatever the article, since it copies no text
/// and lists a bounded number of events.
#[derive(Debug, Serialize)]
pub struct ExtractSummary<'a> {
    /// Always `summary`.
    pub view: &'static str,
    /// Version of the extraction schema.
    pub schema_version: &'a str,
    /// The document, without its text.
    pub document: DocumentSummary<'a>,
    /// How many of each thing were found.
    pub counts: ExtractCounts,
    /// The first events (see `events_omitted`), as in the full form.
    pub events: &'a [frontline_model::Event],
    /// Events found but not listed here (ask for `view=full`).
    pub events_omitted: usize,
    /// Processing warnings.
    pub warnings: &'a [String],
}

/// A document's metadata in [`ExtractSummary`].
#[derive(Debug, Serialize)]
pub struct DocumentSummary<'a> {
    /// Content hash.
    pub id: &'a str,
    /// Headline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    /// Outlet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<&'a str>,
    /// URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
    /// Publication date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<NaiveDate>,
    /// Length of the cleaned text in bytes.
    pub text_bytes: usize,
}

/// Counts in [`ExtractSummary`].
#[derive(Debug, Serialize)]
pub struct ExtractCounts {
    /// Sentences analysed.
    pub sentences: usize,
    /// Mentions (actors, places, times, quantities, speakers).
    pub mentions: usize,
    /// Events.
    pub events: usize,
    /// Blocks set aside as boilerplate.
    pub boilerplate: usize,
}

/// Serialises `value` as JSON, or `None` once it grows past `cap` bytes (stopping there, so
/// a large answer is never built whole).
fn json_capped<T: Serialize>(value: &T, cap: usize) -> Result<Option<Vec<u8>>, AppError> {
    struct Capped {
        buf: Vec<u8>,
        cap: usize,
    }
    impl std::io::Write for Capped {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.buf.len() + b.len() > self.cap {
                return Err(std::io::Error::other("over the cap"));
            }
            self.buf.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut w = Capped {
        buf: Vec::new(),
        cap,
    };
    match serde_json::to_writer(&mut w, value) {
        Ok(()) => Ok(Some(w.buf)),
        Err(e) if e.is_io() => Ok(None),
        Err(e) => Err(AppError::internal(e)),
    }
}

/// Reads a request body of at most `limit` bytes, by `deadline`.
async fn read_body(
    body: axum::body::Body,
    limit: usize,
    deadline: tokio::time::Instant,
    secs: f64,
) -> Result<Vec<u8>, AppError> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut buf = Vec::new();
    let read = async {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| AppError::bad_request("invalid_body", e.to_string()))?;
            if buf.len() + chunk.len() > limit {
                return Err(AppError::PayloadTooLarge { limit });
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(())
    };
    match tokio::time::timeout_at(deadline, read).await {
        Ok(Ok(())) => Ok(buf),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(AppError::BodyTimeout { secs }),
    }
}

/// Extracts actors, places, times, quantities and events from one article (nothing is
/// stored). Send JSON (`ExtractRequest`) or the bare text as `text/plain`.
///
/// Answers a summary by default (`view=full` for everything). Extractions run a few at a
/// time (503 `busy` when no slot frees before the deadline); the body must arrive within the
/// body-read timeout (408 `body_timeout`), counted inside the request's own.
#[utoipa::path(
    post,
    path = "/api/extract",
    params(ExtractParams),
    request_body(content = ExtractRequest, description = "The article", content_type = "application/json"),
    responses(
        (status = 200, description = "The summary (`ExtractSummary`), or with `view=full` the extraction (schema `docs/schema.md`)", body = Object),
        (status = 400, description = "Malformed body or parameter", body = ErrorBody),
        (status = 408, description = "The body did not arrive in time", body = ErrorBody),
        (status = 413, description = "Body larger than the limit", body = ErrorBody),
        (status = 422, description = "The full form would be larger than the limit", body = ErrorBody),
        (status = 503, description = "Extraction not enabled on this server, busy, or timeout", body = ErrorBody),
    ),
    tag = "extract"
)]
pub async fn extract(
    State(state): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<ExtractParams>, QueryRejection>,
    body: axum::body::Body,
) -> Result<Response, AppError> {
    let cfg = state.config().clone();
    let started = tokio::time::Instant::now();
    let deadline = started + cfg.request_timeout;
    let params = q
        .map(|Query(p)| p)
        .map_err(|e| AppError::bad_request("invalid_param", e.body_text()))?;
    let full = match blank(&params.view) {
        None | Some("summary") => false,
        Some("full") => true,
        Some(other) => {
            return Err(AppError::bad_request(
                "invalid_param",
                format!("view: {other:?} is not one of summary, full"),
            ));
        }
    };
    if !state.can_extract() {
        return Err(AppError::Unavailable(
            "extraction is not enabled on this server (start `frontline serve` with --enable-extract)"
                .into(),
        ));
    }
    let limit = cfg.max_body_bytes;
    let body_deadline = deadline.min(started + cfg.body_read_timeout);
    let secs = (body_deadline - started).as_secs_f64();
    let body = read_body(body, limit, body_deadline, secs).await?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let req = if is_json {
        serde_json::from_slice::<ExtractRequest>(&body)
            .map_err(|e| AppError::bad_request("invalid_body", format!("body: {e}")))?
    } else {
        let text = String::from_utf8(body).map_err(|e| {
            AppError::bad_request(
                "invalid_body",
                format!(
                    "body is not UTF-8 (invalid byte at {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        ExtractRequest {
            text,
            title: None,
            outlet: None,
            url: None,
            published_at: None,
        }
    };
    if req.text.trim().is_empty() {
        return Err(AppError::bad_request(
            "invalid_body",
            "text: the article is empty",
        ));
    }
    let meta = DocumentMeta {
        url: req.url,
        outlet: req.outlet,
        title: req.title,
        published_at: parse_date("published_at", &req.published_at)?,
        ..Default::default()
    };
    let ex = state.extract(meta, req.text, deadline).await?;
    let json = if full {
        json_capped(&ex, cfg.max_extract_response_bytes)?.ok_or_else(|| {
            AppError::ResponseTooLarge(format!(
                "the full extraction is larger than this server's limit of {} bytes; ask for the summary (view=summary) or send a shorter text",
                cfg.max_extract_response_bytes
            ))
        })?
    } else {
        let shown = ex.events.len().min(cfg.max_summary_events);
        let d = &ex.document;
        let summary = ExtractSummary {
            view: "summary",
            schema_version: &ex.schema_version,
            document: DocumentSummary {
                id: &d.id,
                title: d.title.as_deref(),
                outlet: d.outlet.as_deref(),
                url: d.url.as_deref(),
                published_at: d.published_at,
                text_bytes: d.text.len(),
            },
            counts: ExtractCounts {
                sentences: ex.sentences.len(),
                mentions: ex.mentions.len(),
                events: ex.events.len(),
                boilerplate: ex.boilerplate.len(),
            },
            events: &ex.events[..shown],
            events_omitted: ex.events.len() - shown,
            warnings: &ex.warnings,
        };
        serde_json::to_vec(&summary).map_err(AppError::internal)?
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// Database counts, for a quick health check.
#[utoipa::path(
    get,
    path = "/api/health",
    responses((status = 200, description = "`status` and the database counts (documents, stories, mentions, events, fused_events)", body = Object)),
    tag = "meta"
)]
pub async fn health(State(state): State<AppState>) -> Result<Response, AppError> {
    let counts = state.query(|s| s.counts()).await?;
    Ok(Json(json!({"status": "ok", "counts": counts})).into_response())
}

/// The OpenAPI document of this API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Frontline API",
        description = "Structured, geolocated, sourced conflict events from news reports. Errors are `{\"error\": {\"code\", \"message\"}}` with a stable code."
    ),
    paths(list_events, get_event, get_document, stats, extract, health),
    components(schemas(EventsPage, ErrorBody, ExtractRequest, EventFormat, EventOrder, ExtractView)),
    tags(
        (name = "events", description = "Fused events and their reports"),
        (name = "documents", description = "Stored reports"),
        (name = "extract", description = "Run the pipeline on one article"),
        (name = "meta", description = "Server health")
    )
)]
pub struct ApiDoc;

/// `GET /openapi.json`.
pub async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

#[cfg(test)]
mod tests {
    use super::ACLED_TYPES;

    /// Every ACLED type the pipeline can write is one `type` accepts.
    #[test]
    fn acled_types_cover_the_pipeline_table() {
        let table = include_str!("../../frontline-extract/data/events/acled.toml");
        let mut seen = 0;
        for line in table.lines().filter(|l| l.contains("= [")) {
            for name in line.split('"').skip(1).step_by(2) {
                seen += 1;
                assert!(
                    ACLED_TYPES.contains(&name),
                    "{name:?} missing from ACLED_TYPES"
                );
            }
        }
        assert!(seen > 20, "{seen}");
    }
}
