//! The fused record: one real-world event as the store gives it, fused from its reports.
//! Lowest of the store's modules: fusion builds it, the writer stores it, the reader returns it.

use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{AcledType, ActorType, GeoPrecision, Modality, PloverType, TimePrecision};
use serde::{Deserialize, Serialize};

/// The location of a fused event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FusedLocation {
    /// Place name.
    pub name: String,
    /// GeoNames id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u64>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// How precisely it is known.
    pub precision: GeoPrecision,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// How the report attached the place (`in`, `near`...).
    pub relation: String,
}

/// An actor of a fused event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FusedActor {
    /// CAMEO-style code.
    pub code: String,
    /// Canonical name.
    pub name: String,
    /// ISO3 country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Actor type.
    pub actor_type: ActorType,
    /// How many reports name it.
    pub reports: usize,
}

/// One real-world event, fused from all the reports that describe it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FusedEvent {
    /// Fused event id.
    pub id: i64,
    /// PLOVER type (the one most reports give).
    pub plover_type: PloverType,
    /// PLOVER mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover_mode: Option<String>,
    /// ACLED type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled: Option<AcledType>,
    /// CAMEO root code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo_root: Option<String>,
    /// Best date: first day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_start: Option<NaiveDate>,
    /// Best date: last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_end: Option<NaiveDate>,
    /// Precision of the best date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_precision: Option<TimePrecision>,
    /// Best location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<FusedLocation>,
    /// Who acted, most-reported first.
    pub sources: Vec<FusedActor>,
    /// On whom.
    pub targets: Vec<FusedActor>,
    /// Deaths: the lowest figure any report gives (ACLED's conservative practice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities: Option<u64>,
    /// Deaths: the best estimate (UCDP's "best", between `fatalities` and `fatalities_max`):
    /// the figure of the latest report stating the event as fact (a later report carries the
    /// update), hedged and claimed reports only when no report states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities_best: Option<u64>,
    /// Deaths: the highest figure any report gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities_max: Option<u64>,
    /// Number of coded reports (events) merged.
    pub n_reports: usize,
    /// Number of documents reporting it.
    pub n_documents: usize,
    /// Independent sources: documents, with copies of one story and documents of one outlet
    /// counted once.
    pub n_sources: usize,
    /// Distinct named outlets.
    pub n_outlets: usize,
    /// Those outlets.
    pub outlets: Vec<String>,
    /// Publication date of the earliest report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest_report: Option<NaiveDate>,
    /// Id of the earliest report's document.
    pub earliest_document: String,
    /// Strongest modality among the reports (asserted > hedged > denied > ...).
    pub modality: Modality,
    /// Highest coder confidence among the reports.
    pub confidence: f32,
    /// The sentence of the earliest report.
    pub notes: String,
    /// Where reports disagree.
    pub contradictions: Vec<Contradiction>,
    /// Union of the members' date ranges (used for matching new reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_start: Option<NaiveDate>,
    /// End of that union.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_end: Option<NaiveDate>,
    /// When the store created this record (UTC; schema v12, see `stamp.rs`), written in the
    /// stored fixed form (`YYYY-MM-DDTHH:MM:SS.sssZ`) so that text order is time order.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::stamp::serialize_opt"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// When a report was last added to it (UTC): what `updated_since` compares. Same form.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::stamp::serialize_opt"
    )]
    pub updated_at: Option<DateTime<Utc>>,
}

/// What a contradiction is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContradictionKind {
    /// Reports name different perpetrators (no actor in common among the sources).
    Perpetrator,
    /// Reports give casualty counts that cannot both be right.
    Fatalities,
    /// Some reports state the event as fact, others hedge it.
    Hedging,
    /// A report says a party denies the event.
    Denial,
    /// Day-precise reports give different days.
    Date,
}

/// One report's side of a contradiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Claim {
    /// Event id (`<document id>:<index>`).
    pub event_id: String,
    /// Document id.
    pub document_id: String,
    /// Outlet of the document, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// What this report says.
    pub value: String,
}

/// Reports of one fused event that disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contradiction {
    /// What they disagree about.
    pub kind: ContradictionKind,
    /// A sentence for people.
    pub detail: String,
    /// What each report involved says.
    pub claims: Vec<Claim>,
}
