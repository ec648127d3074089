//! Mentions: actors, places, times, quantities and speakers found in the text.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Span;

/// One thing found in the text, with the span that says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mention {
    /// Index of this mention in [`crate::Extraction::mentions`].
    pub id: usize,
    /// Where it is in the document text.
    pub span: Span,
    /// The text under the span.
    pub text: String,
    /// Index of the sentence it is in.
    pub sentence: usize,
    /// What was understood; the JSON carries a `kind` tag (`actor`, `place`, `time`,
    /// `quantity`, `speaker`) beside the fields of that kind.
    #[serde(flatten)]
    pub data: MentionData,
}

impl Mention {
    /// The kind of this mention.
    pub fn kind(&self) -> MentionKind {
        match self.data {
            MentionData::Actor(_) => MentionKind::Actor,
            MentionData::Place(_) => MentionKind::Place,
            MentionData::Time(_) => MentionKind::Time,
            MentionData::Quantity(_) => MentionKind::Quantity,
            MentionData::Speaker(_) => MentionKind::Speaker,
        }
    }
}

/// The kinds of mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// A person, group, organisation, force or state acting in the text.
    Actor,
    /// A place name (toponym) or a demonym standing for a country.
    Place,
    /// A date or time expression.
    Time,
    /// A number with a unit or a counted noun.
    Quantity,
    /// Who said something (the source of an attribution).
    Speaker,
}

/// What a mention was understood to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MentionData {
    /// An actor.
    Actor(ActorRef),
    /// A place.
    Place(PlaceRef),
    /// A time.
    Time(TimeRef),
    /// A quantity.
    Quantity(Quantity),
    /// A speaker.
    Speaker(SpeakerRef),
}

/// PLOVER-style actor types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActorType {
    /// A state as a whole.
    State,
    /// Government, ministries, officials, leaders.
    Government,
    /// Armed forces of a state.
    Military,
    /// Police and internal security forces.
    Police,
    /// Rebel, insurgent and militant groups.
    Rebel,
    /// Militias, pro-government or communal.
    Militia,
    /// Political parties and opposition groups.
    Party,
    /// Civilians.
    Civilian,
    /// Protesters and demonstrators.
    Protester,
    /// International governmental organisations.
    Igo,
    /// Non-governmental organisations, monitors, aid groups.
    Ngo,
    /// Media outlets and journalists.
    Media,
    /// Business.
    Business,
    /// Anything else.
    Other,
}

/// An actor, coded in the CAMEO actor style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorRef {
    /// CAMEO-style code, e.g. `SYRMIL`, `IRQMIL`, `USAMIL`, `IMGMUSISI`.
    pub code: String,
    /// Canonical name, e.g. "Syrian military", "Islamic State".
    pub name: String,
    /// ISO 3166-1 alpha-3 country the actor belongs to, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// PLOVER actor type.
    pub actor_type: ActorType,
    /// Dictionary entry id for named organisations (e.g. `islamic_state`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Codes of actors this one is affiliated with or backed by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub affiliations: Vec<String>,
}

/// How precisely a place is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GeoPrecision {
    /// A point: town, village, crossing, base.
    Point,
    /// A second-level unit (district, county).
    Admin2,
    /// A first-level unit (province, governorate, state).
    Admin1,
    /// A region spanning units (a desert, a valley, a border area).
    Region,
    /// A whole country.
    Country,
    /// A continent or wider region.
    Continent,
    /// Not resolved; only what could be inferred is known.
    Unresolved,
}

/// A gazetteer candidate for a toponym.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceCandidate {
    /// GeoNames id.
    pub geonameid: u64,
    /// Name in the gazetteer.
    pub name: String,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Score given by the resolver (higher is better).
    pub score: f32,
}

/// A place, resolved against the gazetteer where possible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceRef {
    /// Name in the gazetteer, or the surface name when unresolved.
    pub name: String,
    /// GeoNames id, when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonameid: Option<u64>,
    /// Latitude, when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude, when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// GeoNames feature class (`P`, `A`, `H`, `T`, `L`, `S`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_class: Option<String>,
    /// GeoNames feature code (`PPL`, `ADM1`, `PCLI`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code, resolved or inferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// First-level administrative unit name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// How precisely the place is known.
    pub precision: GeoPrecision,
    /// Resolver score (0..1).
    #[serde(default)]
    pub score: f32,
    /// What was inferred about an unresolved name, e.g. "border of SY and IQ".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
    /// Whether the mention was a demonym ("Syrian") standing for the country.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demonym: bool,
    /// Runners-up considered by the resolver, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<PlaceCandidate>,
}

impl PlaceRef {
    /// A place known only by its name.
    pub fn unresolved(name: &str) -> Self {
        Self {
            name: name.to_string(),
            geonameid: None,
            lat: None,
            lon: None,
            feature_class: None,
            feature_code: None,
            country_code: None,
            admin1: None,
            precision: GeoPrecision::Unresolved,
            score: 0.0,
            inferred: None,
            demonym: false,
            alternatives: Vec::new(),
        }
    }
}

/// How precisely a time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    /// A single day.
    Day,
    /// A week.
    Week,
    /// A month.
    Month,
    /// A year.
    Year,
    /// A vaguer range ("in recent weeks", "since 2015").
    Range,
}

/// A time expression resolved to a date range (inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeRef {
    /// First day of the range.
    pub start: NaiveDate,
    /// Last day of the range (equal to `start` for a single day).
    pub end: NaiveDate,
    /// How precise the range is.
    pub precision: TimePrecision,
    /// How it was derived, e.g. `explicit`, `weekday before publication`,
    /// `relative: a day after mention 12`, `publication date`.
    pub derivation: String,
    /// Mention id of the time this one was chained to ("a day after" that).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<usize>,
}

/// Units for quantities, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// People (killed, wounded, displaced, fighters...).
    People,
    /// Square kilometres.
    SquareKilometre,
    /// Kilometres.
    Kilometre,
    /// US dollars.
    Usd,
    /// A plain count of things (vehicles, rockets, villages...).
    Count,
}

/// What a quantity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuantityKind {
    /// Deaths.
    Killed,
    /// Injuries.
    Wounded,
    /// People displaced.
    Displaced,
    /// People arrested or detained.
    Arrested,
    /// People abducted.
    Abducted,
    /// An area (of territory).
    Area,
    /// A distance.
    Distance,
    /// Money.
    Money,
    /// Any other count.
    Count,
}

/// A number with a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quantity {
    /// The value in the normalised [`Unit`] (e.g. square miles converted to km²). For ranges
    /// ("between 10 and 15") the lower bound.
    pub value: f64,
    /// Upper bound for ranges and "up to"/"at least" expressions, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_max: Option<f64>,
    /// Normalised unit.
    pub unit: Unit,
    /// What is counted.
    pub quantity_kind: QuantityKind,
    /// Whether the text hedged the number ("at least", "about", "some").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
}

/// Who said something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpeakerRef {
    /// The speaker as an actor, when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<ActorRef>,
    /// The speaker as an outlet or source (e.g. "Syrian Observatory for Human Rights").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The reporting cue: `said`, `according to`, `told`, `reported`, `showed`...
    pub cue: String,
}
