//! Events: who did what to whom, where, when, and according to whom.

use serde::{Deserialize, Serialize};

use crate::{ActorRef, GeoPrecision, PlaceRef, Quantity, Span, TimeRef};

/// PLOVER event types (openeventdata/PLOVER).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PloverType {
    /// Agree to, or sign, an agreement.
    Agree,
    /// Meet, visit, talk.
    Consult,
    /// Praise, endorse, express support.
    Support,
    /// Make a concession: ease sanctions, release, cede, return.
    Concede,
    /// Cooperate (military, economic, intelligence...).
    Cooperate,
    /// Give aid.
    Aid,
    /// Retreat, withdraw, demobilise.
    Retreat,
    /// Request or appeal.
    Request,
    /// Accuse, criticise.
    Accuse,
    /// Reject, refuse.
    Reject,
    /// Threaten.
    Threaten,
    /// Protest, demonstrate.
    Protest,
    /// Sanction, break relations.
    Sanction,
    /// Mobilise, deploy, increase alert.
    Mobilize,
    /// Coerce: seize, arrest, blockade, expel, censor.
    Coerce,
    /// Use force: fight, strike, shell, kill, bomb, abduct.
    Assault,
}

impl PloverType {
    /// All types, in the specification's order.
    pub const ALL: [PloverType; 16] = [
        Self::Agree,
        Self::Consult,
        Self::Support,
        Self::Concede,
        Self::Cooperate,
        Self::Aid,
        Self::Retreat,
        Self::Request,
        Self::Accuse,
        Self::Reject,
        Self::Threaten,
        Self::Protest,
        Self::Sanction,
        Self::Mobilize,
        Self::Coerce,
        Self::Assault,
    ];

    /// The type's name as written in the specification (`ASSAULT`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Agree => "AGREE",
            Self::Consult => "CONSULT",
            Self::Support => "SUPPORT",
            Self::Concede => "CONCEDE",
            Self::Cooperate => "COOPERATE",
            Self::Aid => "AID",
            Self::Retreat => "RETREAT",
            Self::Request => "REQUEST",
            Self::Accuse => "ACCUSE",
            Self::Reject => "REJECT",
            Self::Threaten => "THREATEN",
            Self::Protest => "PROTEST",
            Self::Sanction => "SANCTION",
            Self::Mobilize => "MOBILIZE",
            Self::Coerce => "COERCE",
            Self::Assault => "ASSAULT",
        }
    }

    /// Whether the type is a material act that happens at a place (ASSAULT, COERCE, PROTEST,
    /// MOBILIZE, RETREAT), as opposed to talk (meetings, statements, accusations).
    pub fn is_material(&self) -> bool {
        matches!(
            self,
            Self::Assault | Self::Coerce | Self::Protest | Self::Mobilize | Self::Retreat
        )
    }

    /// Parses a specification name, case-insensitively.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// How sure the text is that the event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Stated as fact.
    #[default]
    Asserted,
    /// Stated with doubt ("reportedly", "it was not clear whether", "claimed").
    Hedged,
    /// Stated as not having happened.
    Negated,
    /// Denied by a party ("X denied carrying out ...").
    Denied,
    /// Possible, planned or threatened, not (yet) happened ("would allow", "plans to").
    Hypothetical,
}

impl Modality {
    /// Whether events of this modality count as events by default (asserted and hedged).
    pub fn counts(&self) -> bool {
        matches!(self, Self::Asserted | Self::Hedged)
    }
}

/// ACLED event type and sub-event type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcledType {
    /// e.g. "Battles", "Explosions/Remote violence", "Strategic developments".
    pub event_type: String,
    /// e.g. "Government regains territory", "Air/drone strike".
    pub sub_event_type: String,
}

/// An actor taking part in an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventActor {
    /// The actor.
    pub actor: ActorRef,
    /// Where the text names it.
    pub span: Span,
    /// Mention id of the actor mention, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<usize>,
}

/// Where an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventLocation {
    /// The place.
    pub place: PlaceRef,
    /// Where the text names it.
    pub span: Span,
    /// Mention id of the place mention, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<usize>,
    /// How the clause attaches it: `at`, `in`, `near`, `northeast of`, `along the border of`...
    pub relation: String,
}

impl EventLocation {
    /// ACLED `geo_precision`: 1 the town or village itself; 2 near a town, part of a region, a
    /// district or a border area; 3 only a province, a region, a country or wider. Derived from
    /// the place's precision and the relation ("near", "north of" make a town 2).
    pub fn acled_precision(&self) -> u8 {
        let near = self.relation != "in" && self.relation != "at";
        // "in the northern part of", "in the countryside of": part of a region
        let part = self.relation.starts_with("in the ") && self.relation.ends_with(" of");
        match self.place.precision {
            GeoPrecision::Point if near => 2,
            GeoPrecision::Point => 1,
            GeoPrecision::Admin1 if part => 2,
            GeoPrecision::Admin2 | GeoPrecision::Region => 2,
            GeoPrecision::Unresolved if self.place.lat.is_some() => 2,
            _ => 3,
        }
    }
}

/// A quantity attached to an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventQuantity {
    /// The quantity.
    pub quantity: Quantity,
    /// Where the text gives it.
    pub span: Span,
    /// Mention id of the quantity mention, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<usize>,
}

/// A change of control over territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TerritorialChange {
    /// The place that changed hands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRef>,
    /// Who held it before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ActorRef>,
    /// Who holds it now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<ActorRef>,
}

/// The kind of source an attribution points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A party to the conflict or its officials.
    Party,
    /// State-run media.
    StateMedia,
    /// Media affiliated with a party or armed group.
    PartyMedia,
    /// A monitoring group or NGO.
    Monitor,
    /// A wire agency.
    Wire,
    /// Other media.
    Media,
    /// A witness, resident or unnamed source.
    Witness,
    /// The outlet itself, with no other attribution.
    #[default]
    Outlet,
    /// Unknown.
    Unknown,
}

/// Who says an event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attribution {
    /// The speaker's name as given ("Syrian Observatory for Human Rights", "a colonel").
    pub speaker: String,
    /// The speaker resolved to an actor, when possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<ActorRef>,
    /// What kind of source it is.
    pub source_kind: SourceKind,
    /// The reporting cue (`said`, `according to`, `told`, `reported`, `showed`).
    pub cue: String,
    /// Where the speaker is named (absent when the outlet itself is the source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// Quoted words, as spans into the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Span>,
    /// Mention id of the speaker mention, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<usize>,
}

/// One coded event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// Id, unique across documents: `<document id>:<index>`.
    pub id: String,
    /// PLOVER event type.
    pub plover_type: PloverType,
    /// PLOVER mode, when known (e.g. `seize`, `aerial`, `firearms`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover_mode: Option<String>,
    /// ACLED event type and sub-event type, via the mapping tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled: Option<AcledType>,
    /// CAMEO root code (`01`..`20`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo_root: Option<String>,
    /// The word or phrase that triggered the event.
    pub trigger: Span,
    /// The trigger's lemma or key ("capture", "air strike").
    pub trigger_text: String,
    /// Index of the sentence the event is in.
    pub sentence: usize,
    /// Who acted.
    #[serde(default)]
    pub sources: Vec<EventActor>,
    /// On whom.
    #[serde(default)]
    pub targets: Vec<EventActor>,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<EventLocation>,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<TimeRef>,
    /// Killed, wounded, displaced, area...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quantities: Vec<EventQuantity>,
    /// Territory that changed hands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub territory: Option<TerritorialChange>,
    /// Who says it happened.
    #[serde(default)]
    pub attribution: Vec<Attribution>,
    /// How sure the text is.
    pub modality: Modality,
    /// Coder confidence, 0..1.
    pub confidence: f32,
    /// Text spans the coding rests on.
    #[serde(default)]
    pub evidence: Vec<Span>,
    /// Ids of the rules that fired, in order.
    #[serde(default)]
    pub rules: Vec<String>,
    /// A past event retold as context, not news of this document: its own date ends well
    /// before the publication date (`DT50-background`). Absent when false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub background: bool,
}

/// Whether a flag is unset (serde skips it).
fn is_false(b: &bool) -> bool {
    !*b
}
