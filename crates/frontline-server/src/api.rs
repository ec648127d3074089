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
    /// CSV, the columns of `frontline export --format csv`, streamed: every matching event
    /// unless `limit` is given.
    Csv,
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
    /// Only events created or given a further report at or after this time (their
    /// `updated_at`), for incremental sync: an RFC 3339 time (`2026-12-07T01:36:00.000Z`) or
    /// a day (its start in UTC). Ask again with the latest `updated_at` received.
    #[param(value_type = Option<String>, format = DateTime)]
    pub updated_since: Option<String>,
    /// Page size (default 500, at most 10000; with `format=csv`, default all, no maximum).
    /// Ignored by `/api/stats`.
    #[param(value_type = Option<u32>, minimum = 1)]
    pub limit: Option<String>,
    /// Events to skip. Ignored by `/api/stats`.
    #[param(value_type = Option<u32>, minimum = 0)]
    pub offset: Option<String>,
    /// `json` (default), `geojson` or `csv`. Ignored by `/api/stats`.
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
    /// CSV rows, streamed.
    Csv,
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
        let updated_since = blank(&self.updated_since)
            .map(|s| {
                frontline_store::parse_updated_since(s).map_err(|e| {
                    AppError::bad_request("invalid_date", format!("updated_since: {e}"))
                })
            })
            .transpose()?;
        let format = match blank(&self.format) {
            None | Some("json") => Format::Json,
            Some("geojson") => Format::GeoJson,
            Some("csv") => Format::Csv,
            Some(other) => {
                return Err(AppError::bad_request(
                    "invalid_format",
                    format!("format: {other:?} is not one of json, geojson, csv"),
                ));
            }
        };
        let cfg = state.config();
        let limit = parse_u32("limit", &self.limit)?;
        // CSV is streamed a page at a time, so it needs no page limit: every matching event
        // unless a limit is given.
        let max = if format == Format::Csv {
            u32::MAX
        } else {
            cfg.max_page
        };
        if limit.is_some_and(|l| l == 0 || l > max) {
            return Err(AppError::bad_request(
                "invalid_number",
                format!("limit: {} is outside 1..={max}", limit.unwrap_or(0)),
            ));
        }
        let limit = match (limit, format) {
            (Some(l), _) => Some(l),
            (None, Format::Csv) => None,
            (None, _) => Some(cfg.default_page),
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
            limit,
            offset: parse_u32("offset", &self.offset)?,
            newest_first,
            updated_since,
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
    type_list(blank(v).unwrap_or_default()).map_err(|e| AppError::bad_request("invalid_type", e))
}

/// The types of a `type` filter (`ASSAULT,Battles`): PLOVER types and ACLED event or
/// sub-event types (as the pipeline spells them), comma-separated, any letter case. Shared by
/// the API and `frontline export --type`; the error names the item and what is accepted.
pub fn type_list(v: &str) -> Result<(Vec<PloverType>, Vec<String>), String> {
    let (mut plover, mut acled) = (Vec::new(), Vec::new());
    let v = Some(v.to_string());
    for item in items(&v) {
        if let Some(t) = PloverType::parse(item) {
            plover.push(t);
        } else if let Some(a) = ACLED_TYPES.iter().find(|a| a.eq_ignore_ascii_case(item)) {
            acled.push((*a).to_string());
        } else {
            let all: Vec<&str> = PloverType::ALL.iter().map(|t| t.as_str()).collect();
            return Err(format!(
                "type: {item:?} is neither a PLOVER type ({}) nor an ACLED event or sub-event type (Battles, Air/drone strike...)",
                all.join(", ")
            ));
        }
    }
    Ok((plover, acled))
}

/// `country`: one or more countries, comma-separated, each an ISO 3166-1 alpha-2 code (`SY`,
/// taken as given), an alpha-3 code (`SYR`) or a name (`Syria`, `Côte d'Ivoire`), as
/// alpha-2 codes.
fn parse_countries(v: &Option<String>) -> Result<Vec<String>, AppError> {
    country_list(blank(v).unwrap_or_default())
        .map_err(|e| AppError::bad_request("invalid_country", e))
}

/// The countries of a `country` filter (`SY,IRQ,Lebanon`) as alpha-2 codes: each an ISO
/// 3166-1 alpha-2 code (taken as given), an alpha-3 code or a name, comma-separated. Shared by
/// the API and `frontline export --country`; the error names the item.
pub fn country_list(v: &str) -> Result<Vec<String>, String> {
    use frontline_gazetteer::countries;
    let mut out = Vec::new();
    let v = Some(v.to_string());
    for item in items(&v) {
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
                return Err(format!(
                    "country: {item:?} is not an ISO 3166-1 code (SY, SYR) or a country name (Syria)"
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
        let all: [(&str, &Option<String>, &'static str); 14] = [
            ("since", &self.since, "invalid_date"),
            ("until", &self.until, "invalid_date"),
            ("bbox", &self.bbox, "invalid_bbox"),
            ("type", &self.plover_type, "invalid_type"),
            ("acled_type", &self.acled_type, "invalid_param"),
            ("actor", &self.actor, "invalid_param"),
            ("country", &self.country, "invalid_country"),
            ("text", &self.text, "invalid_query"),
            ("min_sources", &self.min_sources, "invalid_number"),
            ("updated_since", &self.updated_since, "invalid_date"),
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
    pub events: Vec<FusedEvent>,
}

/// Fused events matching the filters, by date.
#[utoipa::path(
    get,
    path = "/api/events",
    params(FilterParams),
    responses(
        (status = 200, description = "A page of events; with `format=geojson` a GeoJSON FeatureCollection of the located ones; with `format=csv` every matching event (unless `limit` is given) as CSV, the columns of `frontline export --format csv`, streamed, as the attachment `frontline-events.csv`", content(
            (EventsPage = "application/json"),
            (GeoJsonCollection = "application/geo+json"),
            (String = "text/csv"),
        )),
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
    let geo = match format {
        Format::Csv => return csv_response(state, filter).await,
        Format::Json => false,
        Format::GeoJson => true,
    };
    let limit = filter.limit.unwrap_or(0);
    let offset = filter.offset.unwrap_or(0);
    let (total, events) = state
        .query(move |s| Ok((s.count_events(&filter)?, s.events(&filter)?)))
        .await?;
    Ok(if geo {
        let body = geojson(total, &events).map_err(AppError::internal)?;
        ([(header::CONTENT_TYPE, "application/geo+json")], body).into_response()
    } else {
        Json(EventsPage {
            total,
            limit,
            offset,
            events,
        })
        .into_response()
    })
}

/// Events read from the store per page of a CSV answer: what one answer holds in memory.
pub const CSV_PAGE: u32 = 500;

/// Where a CSV answer is: the offset of its next page and the events still wanted.
#[derive(Debug, Clone, Copy)]
struct CsvCursor {
    offset: u32,
    left: Option<u64>,
}

impl CsvCursor {
    /// The size of the next page (0 when done).
    fn want(&self) -> u32 {
        self.left.map_or(CSV_PAGE, |l| {
            u32::try_from(l.min(u64::from(CSV_PAGE))).unwrap_or(0)
        })
    }

    /// The cursor after a page of `n` events, or `None` when that page was the last.
    fn after(self, n: usize, asked: u32) -> Option<Self> {
        let n32 = u32::try_from(n).unwrap_or(u32::MAX);
        let left = self.left.map(|l| l.saturating_sub(n as u64));
        (n32 >= asked && left != Some(0)).then(|| Self {
            offset: self.offset.saturating_add(n32),
            left,
        })
    }
}

/// One page of events as CSV lines, or `None` at the end.
async fn csv_page(
    state: &AppState,
    filter: &EventFilter,
    cursor: CsvCursor,
) -> Result<Option<(Vec<u8>, Option<CsvCursor>)>, AppError> {
    let want = cursor.want();
    if want == 0 {
        return Ok(None);
    }
    let page = EventFilter {
        limit: Some(want),
        offset: Some(cursor.offset),
        ..filter.clone()
    };
    // The contradictions' claims are not in the CSV: the records are read without them.
    let events = state.query(move |s| s.event_summaries(&page)).await?;
    if events.is_empty() {
        return Ok(None);
    }
    let lines = crate::rows::csv_lines(&events).map_err(AppError::internal)?;
    Ok(Some((lines, cursor.after(events.len(), want))))
}

/// The events of `filter` as CSV (the columns of `frontline export --format csv`, cells
/// neutralised the same way), streamed: the store is read [`CSV_PAGE`] events at a time as
/// the client takes the answer, so memory stays bounded whatever the number of events. The
/// first page is read before answering, so that a bad filter still gets a JSON error; an
/// error after that ends the answer early (logged).
async fn csv_response(state: AppState, filter: EventFilter) -> Result<Response, AppError> {
    use futures_util::StreamExt;
    let start = CsvCursor {
        offset: filter.offset.unwrap_or(0),
        left: filter.limit.map(u64::from),
    };
    let mut head = crate::rows::csv_header().map_err(AppError::internal)?;
    let next = match csv_page(&state, &filter, start).await? {
        Some((lines, next)) => {
            head.extend_from_slice(&lines);
            next
        }
        None => None,
    };
    let rest = futures_util::stream::unfold(next, move |cursor| {
        let (state, filter) = (state.clone(), filter.clone());
        async move {
            let cursor = cursor?;
            match csv_page(&state, &filter, cursor).await {
                Ok(Some((lines, next))) => Some((Ok(axum::body::Bytes::from(lines)), next)),
                Ok(None) => None,
                Err(e) => {
                    tracing::warn!("CSV answer ended early: {e}");
                    Some((Err(std::io::Error::other(e.to_string())), None))
                }
            }
        }
    });
    let body = futures_util::stream::once(async move {
        Ok::<_, std::io::Error>(axum::body::Bytes::from(head))
    })
    .chain(rest);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"frontline-events.csv\"",
            ),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}

/// The body of `/api/events?format=geojson`.
#[derive(Debug, Serialize, ToSchema)]
pub struct GeoJsonCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Events matching the filters, all pages together, located or not.
    pub total: u64,
    /// The located events of the page.
    pub features: Vec<GeoJsonFeature>,
}

/// One located event in [`GeoJsonCollection`].
#[derive(Debug, Serialize, ToSchema)]
pub struct GeoJsonFeature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The fused event id.
    pub id: i64,
    /// Its point.
    pub geometry: GeoJsonPoint,
    /// The fused event's fields (`id` included, as in `frontline export --format geojson`).
    pub properties: FusedEvent,
}

/// A GeoJSON point.
#[derive(Debug, Serialize, ToSchema)]
pub struct GeoJsonPoint {
    /// Always `Point`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `[lon, lat]`, WGS84 degrees.
    pub coordinates: [f64; 2],
}

/// Serialises located events as a GeoJSON FeatureCollection (unlocated ones are left out;
/// `total` counts all matches).
pub fn geojson(total: u64, events: &[FusedEvent]) -> Result<String, serde_json::Error> {
    let mut features = Vec::with_capacity(events.len());
    for e in events {
        let Some((lat, lon)) = e.location.as_ref().and_then(|l| Some((l.lat?, l.lon?))) else {
            continue;
        };
        features.push(GeoJsonFeature {
            kind: "Feature",
            id: e.id,
            geometry: GeoJsonPoint {
                kind: "Point",
                coordinates: [lon, lat],
            },
            properties: e.clone(),
        });
    }
    serde_json::to_string(&GeoJsonCollection {
        kind: "FeatureCollection",
        total,
        features,
    })
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
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// The fused event's fields, one page of its reports (`reports`, earliest first),
    /// `reports_total` and `reports_offset`.
    #[serde(flatten)]
    pub detail: frontline_store::FusedEventDetail,
    /// The page size used.
    pub reports_limit: u32,
}

/// One fused event with one page of the reports behind it.
#[utoipa::path(
    get,
    path = "/api/events/{id}",
    params(("id" = i64, Path, description = "Fused event id"), ReportParams),
    responses(
        (status = 200, description = "The fused event (its fields at the top level) and one page of its reports (`reports`, earliest first; `reports_total` counts them all, `reports_offset` and `reports_limit` say which page this is), each with outlet, trigger, sentence, actors, place, date, quantities, attribution, quotes and evidence spans; contradictions are in `contradictions`; `independent_sources` lists each independent source (its stories, outlets, credited outlets and documents) and `tolls` each report's death toll (document, outlet, publication date, low, high, modality, `update`), earliest first", body = EventPage),
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

/// A mention in `GET /api/documents/{id}`: where it is, not a copy of its text (the span
/// locates it in `document.text`).
#[derive(Debug, Serialize, ToSchema)]
pub struct MentionSpan {
    /// Index of the mention in the document's list.
    pub id: usize,
    /// Byte range in `document.text`.
    pub span: frontline_model::Span,
    /// Index of the sentence it is in.
    pub sentence: usize,
    /// What was understood: `kind` (`actor`, `place`, `time`, `quantity`, `speaker`) and that
    /// kind's fields.
    #[serde(flatten)]
    pub data: frontline_model::MentionData,
}

/// The body of `GET /api/documents/{id}`: the stored record, each mention as a span.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// The document, its cleaned text included (`origin.path` left out).
    pub document: frontline_model::Document,
    /// Story it belongs to.
    pub story_id: i64,
    /// Other documents of the story.
    pub story_documents: Vec<String>,
    /// Nearest earlier copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest_copy: Option<String>,
    /// Estimated similarity to it (0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Blocks set aside as boilerplate.
    pub boilerplate: Vec<frontline_model::Boilerplate>,
    /// Sentences.
    pub sentences: Vec<frontline_model::Sentence>,
    /// Mentions, as spans into `document.text`.
    pub mentions: Vec<MentionSpan>,
    /// The document's events and the fused event each belongs to.
    pub events: Vec<frontline_store::DocumentEvent>,
    /// Processing warnings.
    pub warnings: Vec<String>,
}

impl From<frontline_store::DocumentRecord> for DocumentView {
    fn from(r: frontline_store::DocumentRecord) -> Self {
        let mut document = r.document;
        // Where the file was on the ingesting machine is not the API's to say (issue 23,
        // item 2): a local path names users, folders and files of that machine.
        if let Some(origin) = document.origin.as_mut() {
            origin.path = None;
        }
        Self {
            document,
            story_id: r.story_id,
            story_documents: r.story_documents,
            nearest_copy: r.nearest_copy,
            similarity: r.similarity,
            boilerplate: r.boilerplate,
            sentences: r.sentences,
            mentions: r
                .mentions
                .into_iter()
                .map(|m| MentionSpan {
                    id: m.id,
                    span: m.span,
                    sentence: m.sentence,
                    data: m.data,
                })
                .collect(),
            events: r.events,
            warnings: r.warnings,
        }
    }
}

/// A stored document: its cleaned text and every mention span in it.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    params(("id" = String, Path, description = "Document id (content hash, hex)")),
    responses(
        (status = 200, description = "The document with its text, sentences, mentions (actor, place, time, quantity, speaker spans), boilerplate, copies and events", body = DocumentView),
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
    // Mentions come as spans into the text, not copies of it (as `POST /api/extract` no
    // longer copies them either): the text of every mention was sent twice.
    match state.query(move |s| s.document_spans(&key)).await? {
        Some(doc) => Ok(Json(DocumentView::from(doc)).into_response()),
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
        (status = 200, description = "`events`, `reports`, `by_day` [{date, count}], `by_type`, `by_acled_type`, `by_country` [{key, count}]", body = frontline_store::Stats),
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
#[derive(Debug, Serialize, ToSchema)]
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
#[derive(Debug, Serialize, ToSchema)]
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
#[derive(Debug, Serialize, ToSchema)]
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
        (status = 200, description = "The summary (`ExtractSummary`), or with `view=full` the extraction (schema `docs/schema.md`)", body = ExtractAnswer),
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
    responses((status = 200, description = "`status` and the database counts (documents, stories, mentions, events, fused_events)", body = HealthBody)),
    tag = "meta"
)]
pub async fn health(State(state): State<AppState>) -> Result<Response, AppError> {
    let counts = state.query(|s| s.counts()).await?;
    Ok(Json(HealthBody {
        status: "ok",
        counts,
    })
    .into_response())
}

/// The body of `GET /api/health`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthBody {
    /// Always `ok` (a failing database is an error answer).
    pub status: &'static str,
    /// Rows in the database.
    pub counts: frontline_store::StoreCounts,
}

/// What `POST /api/extract` answers: the summary (the default) or, with `view=full`, the
/// whole extraction. For the OpenAPI document (the handler serialises each form itself).
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ExtractAnswer<'a> {
    /// `view=summary`.
    Summary(ExtractSummary<'a>),
    /// `view=full`.
    Full(frontline_model::Extraction),
}

/// The OpenAPI document of this API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Frontline API",
        description = "Structured, geolocated, sourced conflict events from news reports. Errors are `{\"error\": {\"code\", \"message\"}}` with a stable code."
    ),
    paths(list_events, get_event, get_document, stats, extract, health),
    components(schemas(
        EventsPage, EventPage, GeoJsonCollection, DocumentView, HealthBody, ExtractSummary,
        ErrorBody, ExtractRequest, EventFormat, EventOrder, ExtractView
    )),
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
