//! Reading the store: filters and the records they return.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{
    AcledType, Attribution, Boilerplate, Document, EventActor, EventLocation, EventQuantity,
    Mention, MentionData, Modality, Origin, PloverType, Sentence, Span, TimeRef,
};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};

use crate::codec::Packed;
use crate::columns::{Extras, date_str, parse_day};
use crate::fusion::{Claims, FusedState, ReportClaims, StoredReport};
pub use crate::record::{FusedActor, FusedEvent, FusedLocation};
use crate::{Result, Store, StoreError};

/// A longitude/latitude box (WGS84 degrees).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    /// West edge.
    pub min_lon: f64,
    /// South edge.
    pub min_lat: f64,
    /// East edge.
    pub max_lon: f64,
    /// North edge.
    pub max_lat: f64,
}

impl FromStr for BBox {
    type Err = String;

    /// Parses `minlon,minlat,maxlon,maxlat`.
    fn from_str(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        if parts.len() != 4 {
            return Err(format!(
                "bbox {s:?} must be four numbers: minlon,minlat,maxlon,maxlat"
            ));
        }
        let mut v = [0.0; 4];
        for (slot, p) in v.iter_mut().zip(&parts) {
            *slot = p
                .parse::<f64>()
                .map_err(|_| format!("bbox {s:?}: {p:?} is not a number"))?;
            if !slot.is_finite() {
                return Err(format!("bbox {s:?}: {p:?} is not a finite number"));
            }
        }
        let b = BBox {
            min_lon: v[0],
            min_lat: v[1],
            max_lon: v[2],
            max_lat: v[3],
        };
        if b.min_lat > b.max_lat || !(-90.0..=90.0).contains(&b.min_lat) || b.max_lat > 90.0 {
            return Err(format!(
                "bbox {s:?}: latitudes must be within -90..90 and minlat <= maxlat"
            ));
        }
        if !(-180.0..=180.0).contains(&b.min_lon) || !(-180.0..=180.0).contains(&b.max_lon) {
            return Err(format!("bbox {s:?}: longitudes must be within -180..180"));
        }
        Ok(b)
    }
}

/// Which fused events to return. Every field is optional; all given ones must hold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventFilter {
    /// Events on or after this day (by the event's best date).
    pub since: Option<NaiveDate>,
    /// Events on or before this day.
    pub until: Option<NaiveDate>,
    /// Events located inside this box. A box with `min_lon > max_lon` crosses the antimeridian.
    pub bbox: Option<BBox>,
    /// PLOVER type.
    pub plover_type: Option<PloverType>,
    /// ACLED event type ("Battles") or sub-event type ("Air/drone strike"), case-insensitive.
    pub acled_type: Option<String>,
    /// An actor code (`SYRMIL`, exact, case-insensitive) or part of an actor name.
    pub actor: Option<String>,
    /// Country of the event's location: ISO 3166-1 alpha-2 code (`SY`).
    pub country: Option<String>,
    /// Words that must all occur in at least one report's title or text (full-text search).
    pub text: Option<String>,
    /// At least this many independent sources.
    pub min_sources: Option<u32>,
    /// At most this many results (default: all).
    pub limit: Option<u32>,
    /// Skip this many results first.
    pub offset: Option<u32>,
    /// Newest first (by the best date, then the latest id; undated last) instead of oldest
    /// first.
    pub newest_first: bool,
    /// Any of several types: an event matches when its PLOVER type is one of `plover_types`
    /// or its ACLED event type or sub-event type is one of `acled_types` (case-insensitive).
    /// Empty lists (the default) select every type; the single `plover_type` and
    /// `acled_type` above must hold as well when given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plover_types: Vec<PloverType>,
    /// See `plover_types`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acled_types: Vec<String>,
    /// Any of these countries of the event's location (ISO 3166-1 alpha-2, case-insensitive);
    /// empty selects all. `country` above must hold as well when given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// Only events created or given a further report at or after this time (their
    /// `updated_at`), for incremental sync: ask again with the latest `updated_at` received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_since: Option<DateTime<Utc>>,
}

/// A span of a document with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextSpan {
    /// Byte range in the document text.
    pub span: Span,
    /// The text under it.
    pub text: String,
}

/// A quotation supporting a report, with who said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    /// Speaker as given.
    pub speaker: String,
    /// The quoted words.
    #[serde(flatten)]
    pub text: TextSpan,
}

/// One report of a fused event: the event as one document coded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// Event id (`<document id>:<index>`).
    pub event_id: String,
    /// Document id.
    pub document_id: String,
    /// Headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<NaiveDate>,
    /// Story (group of copies).
    pub story_id: i64,
    /// The document it is a copy of, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest_copy: Option<String>,
    /// PLOVER type as this report codes it.
    pub plover_type: PloverType,
    /// ACLED type as this report codes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled: Option<AcledType>,
    /// Modality in this report.
    pub modality: Modality,
    /// Coder confidence.
    pub confidence: f32,
    /// Trigger.
    pub trigger: TextSpan,
    /// The sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<TextSpan>,
    /// Date as this report gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<TimeRef>,
    /// Place as this report gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<EventLocation>,
    /// Who acted.
    pub sources: Vec<EventActor>,
    /// On whom.
    pub targets: Vec<EventActor>,
    /// Quantities.
    pub quantities: Vec<EventQuantity>,
    /// Who says so.
    pub attribution: Vec<Attribution>,
    /// Quoted words.
    pub quotes: Vec<Quote>,
    /// Evidence spans.
    pub evidence: Vec<TextSpan>,
}

/// A fused event with all its reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FusedEventDetail {
    /// The fused record.
    #[serde(flatten)]
    pub event: FusedEvent,
    /// The reports asked for (every report, or one page of them), earliest first.
    pub reports: Vec<Report>,
    /// Reports of the event, all pages together.
    pub reports_total: u64,
    /// Reports skipped before `reports` (0 unless a later page was asked for).
    pub reports_offset: u32,
    /// Independent sources: the stories, outlets and credits each one groups (`sources.rs`).
    #[serde(default)]
    pub independent_sources: Vec<crate::sources::IndependentSource>,
    /// Each report's death toll with its outlet and date, earliest first.
    #[serde(default)]
    pub tolls: Vec<crate::sources::TollReport>,
    /// Documents `independent_sources` and `tolls` were read from: all of the record's, up to
    /// [`crate::sources::MAX_SOURCE_DOCUMENTS`] (the earliest stored); `n_documents` counts all.
    #[serde(default)]
    pub sources_documents_read: usize,
    /// Reports the claims of `event.contradictions` were read from: all of the record's
    /// (`reports_total`), up to [`MAX_CLAIM_REPORTS`] (the earliest stored); 0 when the record
    /// has no contradiction. When it is less than `reports_total`, the claims listed are those
    /// of the reports read, while the contradiction kinds cover every report.
    #[serde(default)]
    pub claims_reports_read: usize,
    /// Entries the record's running aggregate left out, by list, once a list reached
    /// [`crate::MAX_AGGREGATE_ENTRIES`] distinct entries (`FusedState::capped`: e.g.
    /// `{"outlets": 1234}` when 1,234 documents' outlets were past the cap). Empty when no cap
    /// was reached: the record's lists and counts are then exact; otherwise `outlets`,
    /// `n_outlets`, `n_sources`, `sources` and `targets` cover what was kept.
    #[serde(default)]
    pub aggregate_capped: std::collections::BTreeMap<String, u64>,
}

/// What the reports of one document share, read once per document: its metadata, text and
/// sentences.
struct ReportDocument {
    id: String,
    title: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    published_at: Option<NaiveDate>,
    story_id: i64,
    nearest_copy: Option<String>,
    text: String,
    sentences: Vec<Sentence>,
}

impl ReportDocument {
    fn read(conn: &rusqlite::Connection, rowid: i64) -> Result<Self> {
        let (doc, extras) = conn
            .prepare_cached(
                "SELECT id, title, outlet, url, published_at, story_id, nearest_copy, text, \
                        extras FROM documents WHERE rowid_ = ?1",
            )?
            .query_row([rowid], |r| {
                Ok((
                    Self {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        outlet: r.get(2)?,
                        url: r.get(3)?,
                        published_at: parse_date(r.get(4)?),
                        story_id: r.get(5)?,
                        nearest_copy: r.get(6)?,
                        text: r.get(7)?,
                        sentences: Vec::new(),
                    },
                    r.get::<_, String>(8)?,
                ))
            })?;
        let extras: Extras = serde_json::from_str(&extras)?;
        Ok(Self {
            sentences: extras.sentences,
            ..doc
        })
    }

    /// One event of this document as a report.
    fn report(&self, ev: frontline_model::Event) -> Report {
        let ts = |span: Span| TextSpan {
            span,
            text: span.slice(&self.text).unwrap_or_default().to_string(),
        };
        let quotes = ev
            .attribution
            .iter()
            .flat_map(|a| {
                a.quotes.iter().map(|q| Quote {
                    speaker: a.speaker.clone(),
                    text: ts(*q),
                })
            })
            .collect();
        Report {
            event_id: ev.id,
            document_id: self.id.clone(),
            title: self.title.clone(),
            outlet: self.outlet.clone(),
            url: self.url.clone(),
            published_at: self.published_at,
            story_id: self.story_id,
            nearest_copy: self.nearest_copy.clone(),
            plover_type: ev.plover_type,
            acled: ev.acled,
            modality: ev.modality,
            confidence: ev.confidence,
            trigger: ts(ev.trigger),
            sentence: self.sentences.get(ev.sentence).map(|s| ts(s.span)),
            date: ev.date,
            location: ev.location,
            quotes,
            evidence: ev.evidence.iter().map(|s| ts(*s)).collect(),
            sources: ev.sources,
            targets: ev.targets,
            quantities: ev.quantities,
            attribution: ev.attribution,
        }
    }
}

/// A stored document with what was found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentRecord {
    /// The document (cleaned text included).
    pub document: Document,
    /// Story it belongs to.
    pub story_id: i64,
    /// Other documents of the story.
    pub story_documents: Vec<String>,
    /// Nearest earlier copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest_copy: Option<String>,
    /// Estimated similarity to it (Jaccard over content words, 0..1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// Boilerplate set aside.
    pub boilerplate: Vec<Boilerplate>,
    /// Sentences.
    pub sentences: Vec<Sentence>,
    /// Mentions.
    pub mentions: Vec<Mention>,
    /// Ids of the document's events, with the fused event each belongs to.
    pub events: Vec<DocumentEvent>,
    /// Processing warnings.
    pub warnings: Vec<String>,
}

/// An event of a document and its fused event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentEvent {
    /// Event id.
    pub event_id: String,
    /// PLOVER type.
    pub plover_type: PloverType,
    /// Modality.
    pub modality: Modality,
    /// Fused event it belongs to (none for negated or hypothetical events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fused_id: Option<i64>,
}

/// A count for one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateCount {
    /// Day.
    pub date: NaiveDate,
    /// Fused events that day.
    pub count: u64,
}

/// A count for one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    /// The key (type, country...).
    pub key: String,
    /// Fused events.
    pub count: u64,
}

/// Aggregates over the fused events a filter selects (limit and offset are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Fused events.
    pub events: u64,
    /// Reports (coded events) behind them.
    pub reports: u64,
    /// Per day of the best date (events with no date are not counted here).
    pub by_day: Vec<DateCount>,
    /// Per PLOVER type.
    pub by_type: Vec<Count>,
    /// Per ACLED event type.
    pub by_acled_type: Vec<Count>,
    /// Per ISO2 country of the location (`""` when unknown).
    pub by_country: Vec<Count>,
}

/// Row counts of the whole store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreCounts {
    /// Documents.
    pub documents: u64,
    /// Stories (groups of copies).
    pub stories: u64,
    /// Mentions.
    pub mentions: u64,
    /// Coded events (one per report).
    pub events: u64,
    /// Fused events.
    pub fused_events: u64,
}

/// Most reports of one fused event its contradictions' claims are read from (the earliest
/// stored); a record with more says so (`claims_reports_read` of the event detail). The
/// aggregate keeps whether reports disagree over all of them; the claims that say who said
/// what are read from these. One document is bounded to [`crate::MAX_EVENTS_PER_DOCUMENT`]
/// events, but a record takes reports from any number of documents.
pub const MAX_CLAIM_REPORTS: usize = 1_000;

/// A fused event's record: finished from its running aggregate, or (written by schema
/// version 1) read from its stored record. With `with_claims`, the claims of its
/// contradictions are read from its reports, at most [`MAX_CLAIM_REPORTS`] (the aggregate
/// keeps only whether reports disagree); without, they are left empty. Also gives how many
/// reports the claims were read from (0 when none were read).
fn fused_record(
    conn: &rusqlite::Connection,
    id: i64,
    agg: Option<String>,
    record: &str,
    with_claims: bool,
    stamps: [Option<String>; 2],
) -> Result<(FusedEvent, RecordReads)> {
    let [created, updated] = stamps;
    let (mut f, read) = fused_record_of(conn, id, agg, record, with_claims)?;
    f.created_at = crate::stamp::parse(created.as_deref());
    f.updated_at = crate::stamp::parse(updated.as_deref());
    Ok((f, read))
}

/// What a record's reading counts: reports its claims were read from, and entries its
/// aggregate left out past its caps.
type RecordReads = (usize, std::collections::BTreeMap<String, u64>);

fn fused_record_of(
    conn: &rusqlite::Connection,
    id: i64,
    agg: Option<String>,
    record: &str,
    with_claims: bool,
) -> Result<(FusedEvent, RecordReads)> {
    match agg {
        Some(agg) => {
            let state: FusedState = serde_json::from_str(&agg)?;
            let (claims, read) = if with_claims && state.has_contradictions() {
                stored_claims(conn, id, MAX_CLAIM_REPORTS)?
            } else {
                (Claims::default(), 0)
            };
            Ok((finish(&state, id, &claims)?, (read, state.capped().clone())))
        }
        None => Ok((serde_json::from_str(record)?, (0, Default::default()))),
    }
}

fn finish(state: &FusedState, id: i64, claims: &Claims) -> Result<FusedEvent> {
    state
        .finish(id, claims)
        .ok_or_else(|| StoreError::BadQuery(format!("fused event {id} has no reports")))
}

/// One mention as `document_mentions` keeps it, read back: (id, start, end, sentence, data),
/// without its text (the owned form of `put::StoredMention`).
pub(crate) type MentionRow = (usize, usize, usize, usize, MentionData);

/// The stored mentions of the document with rowid `rowid` (none when it has none).
pub(crate) fn stored_mentions(conn: &rusqlite::Connection, rowid: i64) -> Result<Vec<MentionRow>> {
    let stored: Option<Packed> = conn
        .prepare_cached("SELECT data FROM document_mentions WHERE doc = ?1")?
        .query_row([rowid], |r| r.get(0))
        .optional()?;
    Ok(match stored {
        Some(p) => serde_json::from_str(&p.0)?,
        None => Vec::new(),
    })
}

/// The claims of a fused event's reports, in the order they were added to it (document by
/// document as stored, then event by event). What they say is read from the index
/// `events_claims` alone (`events.claims` holds each report's document, outlet, casualty count
/// and perpetrators); events stored before schema v9 have none there and are parsed from
/// their JSON.
pub(crate) fn stored_claims(
    conn: &rusqlite::Connection,
    fused_id: i64,
    limit: usize,
) -> Result<(Claims, usize)> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.rowid, e.id, e.modality, \
                CASE WHEN e.time_precision = 'day' THEN e.date_start END, e.claims \
         FROM events e INDEXED BY events_claims \
         WHERE e.fused_id = ?1 ORDER BY e.doc, e.idx LIMIT ?2",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(rusqlite::params![fused_id, limit], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    let mut claims = Claims::default();
    let mut read = 0;
    for row in rows {
        read += 1;
        let (rowid, event_id, modality, day, stored) = row?;
        match stored {
            Some(stored) => {
                let stored = serde_json::from_str::<StoredReport>(&stored)?;
                claims.add(&ReportClaims {
                    event_id,
                    modality: serde_json::from_value(serde_json::Value::String(modality))?,
                    day: day
                        .as_deref()
                        .and_then(parse_day)
                        .filter(|_| !stored.undated),
                    stored,
                });
            }
            None => {
                let (data, document_id, outlet): (Packed, String, Option<String>) = conn
                    .prepare_cached(
                        "SELECT e.data, d.id, d.outlet FROM events e \
                         JOIN documents d ON d.rowid_ = e.doc WHERE e.rowid = ?1",
                    )?
                    .query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                let ev: frontline_model::Event = serde_json::from_str(&data.0)?;
                claims.add(&ReportClaims::of(&ev, &document_id, outlet.as_deref()));
            }
        }
    }
    Ok((claims, read))
}

fn parse_date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

/// Turns free text into an FTS5 query: every word quoted, all required.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl EventFilter {
    /// Builds the WHERE clause (over `fused_events f`) and its parameters.
    fn where_clause(&self) -> Result<(String, Vec<Value>)> {
        let mut conds: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        let mut push = |cond: &str, vals: Vec<Value>, params: &mut Vec<Value>| {
            // Number each `?` placeholder after the parameters already pushed.
            let mut c = String::with_capacity(cond.len() + 8);
            let mut vals = vals.into_iter();
            for ch in cond.chars() {
                if ch == '?'
                    && let Some(v) = vals.next()
                {
                    params.push(v);
                    c.push_str(&format!("?{}", params.len()));
                } else {
                    c.push(ch);
                }
            }
            conds.push(c);
        };
        // With a date filter, candidates come from the R*Tree `fused_where` over (lon, lat,
        // day) (see schema.rs); the exact conditions below then re-check each candidate (the
        // tree stores 32-bit floats, rounded outwards). Their unary `+` keeps the planner from
        // walking the `date_start` or `lat` B-trees instead, which at a million events means
        // reading most of the table. The same goes for the type and source-count indexes, which
        // select a large share of the events.
        let rtree = self.since.is_some() || self.until.is_some();
        let p = if rtree { "+" } else { "" };
        if rtree {
            let mut cond = String::from("max_day >= julianday(?) AND min_day <= julianday(?)");
            let mut vals = vec![
                Value::Text(date_str(self.since).unwrap_or_else(|| "0000-01-01".into())),
                Value::Text(date_str(self.until).unwrap_or_else(|| "9999-12-31".into())),
            ];
            let lat = " AND max_lat >= ? AND min_lat <= ?";
            let lat_vals = |b: &BBox| [Value::Real(b.min_lat), Value::Real(b.max_lat)];
            let sub = match self.bbox {
                None => format!("SELECT id FROM fused_where WHERE {cond}"),
                Some(b) if b.min_lon <= b.max_lon => {
                    cond.push_str(" AND max_lon >= ? AND min_lon <= ?");
                    cond.push_str(lat);
                    vals.extend([Value::Real(b.min_lon), Value::Real(b.max_lon)]);
                    vals.extend(lat_vals(&b));
                    format!("SELECT id FROM fused_where WHERE {cond}")
                }
                Some(b) => {
                    // Across the antimeridian: two boxes, [min_lon, 180] and [-180, max_lon].
                    let days = vals.clone();
                    let east = format!("{cond} AND max_lon >= ?{lat}");
                    vals.push(Value::Real(b.min_lon));
                    vals.extend(lat_vals(&b));
                    vals.extend(days);
                    let west = format!("{cond} AND min_lon <= ?{lat}");
                    vals.push(Value::Real(b.max_lon));
                    vals.extend(lat_vals(&b));
                    format!(
                        "SELECT id FROM fused_where WHERE {east} \
                         UNION ALL SELECT id FROM fused_where WHERE {west}"
                    )
                }
            };
            push(&format!("f.id IN ({sub})"), vals, &mut params);
        }
        if let Some(d) = self.since {
            push(
                &format!("{p}f.date_end >= ?"),
                vec![Value::Text(d.format("%Y-%m-%d").to_string())],
                &mut params,
            );
        }
        if let Some(d) = self.until {
            push(
                &format!("{p}f.date_start <= ?"),
                vec![Value::Text(d.format("%Y-%m-%d").to_string())],
                &mut params,
            );
        }
        if let Some(b) = self.bbox {
            if b.min_lon <= b.max_lon {
                push(
                    &format!("{p}f.lat BETWEEN ? AND ? AND f.lon BETWEEN ? AND ?"),
                    vec![
                        Value::Real(b.min_lat),
                        Value::Real(b.max_lat),
                        Value::Real(b.min_lon),
                        Value::Real(b.max_lon),
                    ],
                    &mut params,
                );
            } else {
                push(
                    &format!("{p}f.lat BETWEEN ? AND ? AND (f.lon >= ? OR f.lon <= ?)"),
                    vec![
                        Value::Real(b.min_lat),
                        Value::Real(b.max_lat),
                        Value::Real(b.min_lon),
                        Value::Real(b.max_lon),
                    ],
                    &mut params,
                );
            }
        }
        if let Some(t) = self.plover_type {
            push(
                &format!("{p}f.plover_type = ?"),
                vec![Value::Text(t.as_str().to_string())],
                &mut params,
            );
        }
        let acled: Vec<&str> = self
            .acled_types
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        if !self.plover_types.is_empty() || !acled.is_empty() {
            let mut any = Vec::new();
            let mut vals = Vec::new();
            if !self.plover_types.is_empty() {
                any.push(format!(
                    "{p}f.plover_type IN ({})",
                    vec!["?"; self.plover_types.len()].join(", ")
                ));
                vals.extend(
                    self.plover_types
                        .iter()
                        .map(|t| Value::Text(t.as_str().to_string())),
                );
            }
            if !acled.is_empty() {
                let list = vec!["?"; acled.len()].join(", ");
                any.push(format!("f.acled_type COLLATE NOCASE IN ({list})"));
                any.push(format!("f.acled_sub_type COLLATE NOCASE IN ({list})"));
                for _ in 0..2 {
                    vals.extend(acled.iter().map(|t| Value::Text((*t).to_string())));
                }
            }
            push(&format!("({})", any.join(" OR ")), vals, &mut params);
        }
        let countries: Vec<&str> = self
            .countries
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if !countries.is_empty() {
            push(
                &format!(
                    "f.country_code COLLATE NOCASE IN ({})",
                    vec!["?"; countries.len()].join(", ")
                ),
                countries
                    .iter()
                    .map(|c| Value::Text((*c).to_string()))
                    .collect(),
                &mut params,
            );
        }
        if let Some(t) = self
            .acled_type
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            push(
                "(f.acled_type = ? COLLATE NOCASE OR f.acled_sub_type = ? COLLATE NOCASE)",
                vec![Value::Text(t.to_string()), Value::Text(t.to_string())],
                &mut params,
            );
        }
        if let Some(a) = self
            .actor
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            push(
                "EXISTS (SELECT 1 FROM fused_actors a WHERE a.fused_id = f.id \
                 AND (a.code = ? COLLATE NOCASE OR a.name LIKE ? ESCAPE '\\'))",
                vec![
                    Value::Text(a.to_string()),
                    Value::Text(format!(
                        "%{}%",
                        a.replace('\\', "\\\\")
                            .replace('%', "\\%")
                            .replace('_', "\\_")
                    )),
                ],
                &mut params,
            );
        }
        if let Some(c) = self
            .country
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            push(
                "f.country_code = ? COLLATE NOCASE",
                vec![Value::Text(c.to_string())],
                &mut params,
            );
        }
        if let Some(t) = self.text.as_deref() {
            let Some(q) = fts_query(t) else {
                return Err(StoreError::BadQuery(format!(
                    "text search {t:?} has no words"
                )));
            };
            push(
                "f.id IN (SELECT ed.fused_id FROM event_documents ed \
                 WHERE ed.doc IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?))",
                vec![Value::Text(q)],
                &mut params,
            );
        }
        if let Some(t) = self.updated_since {
            push(
                "f.updated_at >= ?",
                vec![Value::Text(crate::stamp::format(t))],
                &mut params,
            );
        }
        if let Some(n) = self.min_sources {
            push(
                &format!("{p}f.n_sources >= ?"),
                vec![Value::Integer(i64::from(n))],
                &mut params,
            );
        }
        let clause = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        Ok((clause, params))
    }
}

impl Store {
    /// Fused events matching `filter`, by date (undated last), then id.
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<FusedEvent>> {
        self.events_with(filter, true)
    }

    /// The same records as [`Store::events`], with each contradiction's `claims` left empty:
    /// for readers that do not show them (they are read from every report of the event, and
    /// cost more to read than the rest of the record).
    pub fn event_summaries(&self, filter: &EventFilter) -> Result<Vec<FusedEvent>> {
        self.events_with(filter, false)
    }

    fn events_with(&self, filter: &EventFilter, with_claims: bool) -> Result<Vec<FusedEvent>> {
        let (clause, mut params) = filter.where_clause()?;
        let mut sql = format!(
            "SELECT f.id, f.agg, f.record, f.created_at, f.updated_at FROM fused_events f {clause} \
             ORDER BY f.date_start IS NULL, f.date_start, f.id"
        );
        if filter.newest_first {
            // The page's ids are chosen from the index `fused_order` alone (it holds the date
            // and the id), then only their rows are read: sorting the rows themselves would
            // read every matching record.
            const NEWEST: &str = "ORDER BY f.date_start IS NULL, f.date_start DESC, f.id DESC";
            let n = params.len();
            params.push(Value::Integer(filter.limit.map_or(-1, i64::from)));
            params.push(Value::Integer(i64::from(filter.offset.unwrap_or(0))));
            sql = format!(
                "SELECT f.id, f.agg, f.record, f.created_at, f.updated_at FROM fused_events f WHERE f.id IN \
                 (SELECT f.id FROM fused_events f {clause} {NEWEST} LIMIT ?{} OFFSET ?{}) \
                 {NEWEST}",
                n + 1,
                n + 2
            );
        } else if filter.limit.is_some() || filter.offset.is_some() {
            params.push(Value::Integer(filter.limit.map_or(-1, i64::from)));
            params.push(Value::Integer(i64::from(filter.offset.unwrap_or(0))));
            sql.push_str(&format!(
                " LIMIT ?{} OFFSET ?{}",
                params.len() - 1,
                params.len()
            ));
        }
        let conn = self.conn()?;
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(params), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                [r.get::<_, Option<String>>(3)?, r.get(4)?],
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, agg, record, stamps) = row?;
            out.push(fused_record(&conn, id, agg, &record, with_claims, stamps)?.0);
        }
        Ok(out)
    }

    /// SQLite's plan (`EXPLAIN QUERY PLAN`, one line per step) for the page query of
    /// [`Store::events`] and the count query of [`Store::count_events`], in that order: for
    /// diagnostics and benchmarks (which index a filter uses).
    pub fn events_query_plan(&self, filter: &EventFilter) -> Result<Vec<String>> {
        let (clause, params) = filter.where_clause()?;
        let page = format!(
            "SELECT f.record FROM fused_events f {clause} \
             ORDER BY f.date_start IS NULL, f.date_start, f.id LIMIT 100"
        );
        let count = format!("SELECT COUNT(*) FROM fused_events f {clause}");
        let conn = self.conn()?;
        let mut out = Vec::new();
        for (name, sql) in [("page", page), ("count", count)] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows =
                stmt.query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))?;
            for row in rows {
                out.push(format!("{name}: {}", row?));
            }
        }
        Ok(out)
    }

    /// Number of fused events matching `filter` (limit and offset ignored).
    pub fn count_events(&self, filter: &EventFilter) -> Result<u64> {
        let (clause, params) = filter.where_clause()?;
        let conn = self.conn()?;
        let n: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM fused_events f {clause}"),
            params_from_iter(params),
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    /// One fused event with all its reports, or `None` if there is no such id. For a reader
    /// that shows the reports a page at a time, [`Store::event_page`] reads only that page.
    pub fn event(&self, id: i64) -> Result<Option<FusedEventDetail>> {
        self.event_page(id, 0, u32::MAX)
    }

    /// One fused event with the reports `offset..offset + limit` (earliest first), or `None`
    /// if there is no such id. `reports_total` counts them all.
    ///
    /// The record's contradictions are read from the index `events_claims` (no report text);
    /// each document behind the page is read once, however many of its events are reports of
    /// this fused event (a document that repeats one sentence thousands of times used to be
    /// read, text and extras, once per report).
    pub fn event_page(&self, id: i64, offset: u32, limit: u32) -> Result<Option<FusedEventDetail>> {
        let conn = self.conn()?;
        type Row = (Option<String>, String, [Option<String>; 2]);
        let row: Option<Row> = conn
            .query_row(
                "SELECT agg, record, created_at, updated_at FROM fused_events WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, [r.get(2)?, r.get(3)?])),
            )
            .optional()?;
        let Some((agg, record, stamps)) = row else {
            return Ok(None);
        };
        let (event, (claims_reports_read, aggregate_capped)) =
            fused_record(&conn, id, agg, &record, true, stamps)?;
        let total: i64 = conn
            .prepare_cached("SELECT COUNT(*) FROM events WHERE fused_id = ?1")?
            .query_row([id], |r| r.get(0))?;
        let mut stmt = conn.prepare_cached(
            "SELECT e.data, e.doc FROM events e JOIN documents d ON d.rowid_ = e.doc \
             WHERE e.fused_id = ?1 \
             ORDER BY d.published_at IS NULL, d.published_at, d.rowid_, e.idx \
             LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(
            rusqlite::params![id, i64::from(limit), i64::from(offset)],
            |r| Ok((r.get::<_, Packed>(0)?, r.get::<_, i64>(1)?)),
        )?;
        let mut reports = Vec::new();
        // The document of the previous row: rows come document by document.
        let mut doc: Option<(i64, ReportDocument)> = None;
        for row in rows {
            let (data, rowid) = row?;
            let ev: frontline_model::Event = serde_json::from_str(&data.0)?;
            if doc.as_ref().is_none_or(|(r, _)| *r != rowid) {
                doc = Some((rowid, ReportDocument::read(&conn, rowid)?));
            }
            let Some((_, d)) = &doc else {
                continue;
            };
            reports.push(d.report(ev));
        }
        let sources = crate::sources::read(&conn, id, crate::sources::MAX_SOURCE_DOCUMENTS)?;
        Ok(Some(FusedEventDetail {
            event,
            reports,
            reports_total: total.max(0) as u64,
            reports_offset: offset,
            independent_sources: sources.independent,
            tolls: sources.tolls,
            sources_documents_read: sources.documents_read,
            claims_reports_read,
            aggregate_capped,
        }))
    }

    /// A stored document with its mentions, or `None` if there is no such id.
    pub fn document(&self, id: &str) -> Result<Option<DocumentRecord>> {
        self.document_with(id, true)
    }

    /// [`Store::document`] with each mention's `text` left empty: its span locates it in the
    /// document's text. For readers that send the record on (the API), so that the text under
    /// every mention is not copied a second time.
    pub fn document_spans(&self, id: &str) -> Result<Option<DocumentRecord>> {
        self.document_with(id, false)
    }

    fn document_with(&self, id: &str, mention_texts: bool) -> Result<Option<DocumentRecord>> {
        let conn = self.conn()?;
        type Row = (
            i64,
            String,
            [Option<String>; 6],
            (Option<String>, Option<String>, Option<i64>, Option<i64>),
            String,
            String,
            i64,
            Option<String>,
            Option<f64>,
        );
        let row: Option<Row> = conn
            .query_row(
                "SELECT rowid_, id, url, outlet, title, author, published_at, language, \
                        origin_format, origin_path, origin_offset, origin_index, text, extras, \
                        story_id, nearest_copy, similarity \
                 FROM documents WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        [
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                        ],
                        (r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?),
                        r.get(12)?,
                        r.get(13)?,
                        r.get(14)?,
                        r.get(15)?,
                        r.get(16)?,
                    ))
                },
            )
            .optional()?;
        let Some((rowid, id, meta, origin_rest, text, extras, story_id, nearest, similarity)) = row
        else {
            return Ok(None);
        };
        let [url, outlet, title, author, published, language] = meta;
        let (origin_format, origin_path, origin_offset, origin_index) = origin_rest;
        let origin = origin_format.map(|format| Origin {
            format,
            path: origin_path,
            record_offset: origin_offset.map(|v| v as u64),
            record_index: origin_index.map(|v| v as u64),
        });
        let extras: Extras = serde_json::from_str(&extras)?;
        let mentions: Vec<Mention> = stored_mentions(&conn, rowid)?
            .into_iter()
            .map(|(id, start, end, sentence, data)| {
                let span = Span::new(start, end);
                let text = if mention_texts {
                    span.slice(&text).unwrap_or_default().to_string()
                } else {
                    String::new()
                };
                Mention {
                    id,
                    span,
                    text,
                    sentence,
                    data,
                }
            })
            .collect();
        let mut events = Vec::new();
        {
            let mut stmt = conn.prepare_cached(
                "SELECT id, plover_type, modality, fused_id FROM events WHERE doc = ?1 ORDER BY idx",
            )?;
            let rows = stmt.query_map([rowid], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            })?;
            for row in rows {
                let (event_id, plover, modality, fused_id) = row?;
                events.push(DocumentEvent {
                    event_id,
                    plover_type: serde_json::from_value(serde_json::Value::String(plover))?,
                    modality: serde_json::from_value(serde_json::Value::String(modality))?,
                    fused_id,
                });
            }
        }
        let story_documents = {
            let mut stmt = conn.prepare_cached(
                "SELECT id FROM documents WHERE story_id = ?1 AND rowid_ != ?2 ORDER BY rowid_",
            )?;
            let rows = stmt.query_map([story_id, rowid], |r| r.get::<_, String>(0))?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        Ok(Some(DocumentRecord {
            document: Document {
                id,
                url,
                outlet,
                title,
                author,
                published_at: parse_date(published),
                language,
                origin,
                text,
            },
            story_id,
            story_documents,
            nearest_copy: nearest,
            similarity,
            boilerplate: extras.boilerplate,
            sentences: extras.sentences,
            mentions,
            events,
            warnings: extras.warnings,
        }))
    }

    /// Counts of fused events matching `filter`, by day, type and country.
    pub fn stats(&self, filter: &EventFilter) -> Result<Stats> {
        let (clause, params) = filter.where_clause()?;
        if !clause.is_empty() {
            return self.stats_one_pass(&clause, params);
        }
        let conn = self.conn()?;
        let (events, reports): (i64, i64) = conn.query_row(
            &format!("SELECT COUNT(*), COALESCE(SUM(f.n_reports), 0) FROM fused_events f {clause}"),
            params_from_iter(params.iter()),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let grouped = |expr: &str, extra: &str| -> Result<Vec<(String, u64)>> {
            let sql = format!(
                "SELECT {expr} AS k, COUNT(*) FROM fused_events f {clause} {extra} \
                 GROUP BY k ORDER BY COUNT(*) DESC, k"
            );
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        };
        let day_extra = if clause.is_empty() {
            "WHERE f.date_start IS NOT NULL"
        } else {
            "AND f.date_start IS NOT NULL"
        };
        let mut by_day: Vec<DateCount> = grouped("f.date_start", day_extra)?
            .into_iter()
            .filter_map(|(k, count)| parse_date(Some(k)).map(|date| DateCount { date, count }))
            .collect();
        by_day.sort_by_key(|d| d.date);
        let to_counts = |v: Vec<(String, u64)>| {
            v.into_iter()
                .map(|(key, count)| Count { key, count })
                .collect()
        };
        Ok(Stats {
            events: events as u64,
            reports: reports as u64,
            by_day,
            by_type: to_counts(grouped("f.plover_type", "")?),
            by_acled_type: to_counts(grouped("COALESCE(f.acled_type, '')", "")?),
            by_country: to_counts(grouped("COALESCE(f.country_code, '')", "")?),
        })
    }

    /// [`Store::stats`] for a filter: reads each matching event once and counts in memory,
    /// instead of one grouped query per aggregate (each of which would look up every matching
    /// row again). Without a filter the grouped queries read covering indexes, which is faster.
    fn stats_one_pass(&self, clause: &str, params: Vec<Value>) -> Result<Stats> {
        use std::collections::HashMap;
        let conn = self.conn()?;
        let mut stmt = conn.prepare(&format!(
            "SELECT f.date_start, f.plover_type, COALESCE(f.acled_type, ''), \
                    COALESCE(f.country_code, ''), f.n_reports \
             FROM fused_events f {clause}"
        ))?;
        let mut rows = stmt.query(params_from_iter(params))?;
        let (mut events, mut reports) = (0u64, 0u64);
        let mut by_day: HashMap<String, u64> = HashMap::new();
        let mut by_type: HashMap<String, u64> = HashMap::new();
        let mut by_acled: HashMap<String, u64> = HashMap::new();
        let mut by_country: HashMap<String, u64> = HashMap::new();
        while let Some(r) = rows.next()? {
            events += 1;
            reports += r.get::<_, i64>(4)?.max(0) as u64;
            if let Some(d) = r.get::<_, Option<String>>(0)? {
                *by_day.entry(d).or_default() += 1;
            }
            *by_type.entry(r.get(1)?).or_default() += 1;
            *by_acled.entry(r.get(2)?).or_default() += 1;
            *by_country.entry(r.get(3)?).or_default() += 1;
        }
        let mut days: Vec<DateCount> = by_day
            .into_iter()
            .filter_map(|(k, count)| parse_date(Some(k)).map(|date| DateCount { date, count }))
            .collect();
        days.sort_by_key(|d| d.date);
        let counts = |m: HashMap<String, u64>| {
            let mut v: Vec<Count> = m
                .into_iter()
                .map(|(key, count)| Count { key, count })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
            v
        };
        Ok(Stats {
            events,
            reports,
            by_day: days,
            by_type: counts(by_type),
            by_acled_type: counts(by_acled),
            by_country: counts(by_country),
        })
    }

    /// Row counts of the whole store.
    pub fn counts(&self) -> Result<StoreCounts> {
        let conn = self.conn()?;
        let n = |table: &str| -> Result<u64> {
            let v: i64 =
                conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
            Ok(v as u64)
        };
        Ok(StoreCounts {
            documents: n("documents")?,
            stories: n("stories")?,
            mentions: {
                let v: i64 = conn.query_row(
                    "SELECT COALESCE(SUM(n), 0) FROM document_mentions",
                    [],
                    |r| r.get(0),
                )?;
                v as u64
            },
            events: n("events")?,
            fused_events: n("fused_events")?,
        })
    }

    /// Ids of the documents of a story, in ingestion order.
    pub fn story_documents(&self, story_id: i64) -> Result<Vec<String>> {
        let conn = self.conn()?;
        let mut stmt =
            conn.prepare_cached("SELECT id FROM documents WHERE story_id = ?1 ORDER BY rowid_")?;
        let rows = stmt.query_map([story_id], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
