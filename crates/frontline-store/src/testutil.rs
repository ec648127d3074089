//! Builders for hand-made extractions, shared by the store's tests and benchmarks.

use chrono::NaiveDate;
use frontline_model::{
    AcledType, ActorRef, ActorType, Attribution, Document, Event, EventActor, EventLocation,
    EventQuantity, Extraction, GeoPrecision, Mention, MentionData, Modality, PlaceRef, PloverType,
    Quantity, QuantityKind, Sentence, SourceKind, Span, TimePrecision, TimeRef, Unit,
};

/// A place with coordinates.
pub fn place(name: &str, geonameid: u64, lat: f64, lon: f64, cc: &str) -> PlaceRef {
    PlaceRef {
        name: name.into(),
        geonameid: Some(geonameid),
        lat: Some(lat),
        lon: Some(lon),
        feature_class: Some("P".into()),
        feature_code: Some("PPL".into()),
        country_code: Some(cc.into()),
        admin1: None,
        precision: GeoPrecision::Point,
        score: 0.9,
        inferred: None,
        demonym: false,
        alternatives: Vec::new(),
    }
}

/// An actor.
pub fn actor(code: &str, name: &str, country: Option<&str>, t: ActorType) -> ActorRef {
    ActorRef {
        code: code.into(),
        name: name.into(),
        country: country.map(str::to_string),
        actor_type: t,
        entity: None,
        affiliations: Vec::new(),
    }
}

/// What to put in a hand-made event.
#[derive(Clone)]
pub struct EventSpec {
    /// Type.
    pub plover: PloverType,
    /// Sources.
    pub sources: Vec<ActorRef>,
    /// Targets.
    pub targets: Vec<ActorRef>,
    /// Place.
    pub place: Option<PlaceRef>,
    /// Day.
    pub date: Option<NaiveDate>,
    /// Killed.
    pub killed: Option<f64>,
    /// Modality.
    pub modality: Modality,
}

impl EventSpec {
    /// An asserted assault.
    pub fn assault(sources: Vec<ActorRef>, place: Option<PlaceRef>, date: Option<&str>) -> Self {
        EventSpec {
            plover: PloverType::Assault,
            sources,
            targets: Vec::new(),
            place,
            date: date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_default()),
            killed: None,
            modality: Modality::Asserted,
        }
    }
}

/// A hand-made extraction: one sentence per line of `text`, one event per spec, with all spans
/// inside the first sentence.
pub fn extraction(
    text: &str,
    outlet: Option<&str>,
    published: Option<&str>,
    specs: &[EventSpec],
) -> Extraction {
    let mut doc = Document::new(text.to_string());
    doc.outlet = outlet.map(str::to_string);
    doc.published_at = published.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    doc.title = Some(text.chars().take(40).collect());
    let mut ex = Extraction::new(doc.clone());
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        ex.sentences.push(Sentence {
            span: Span::new(at, at + line.trim_end().len()),
        });
        at += line.len();
    }
    let word = Span::new(0, text.find(' ').unwrap_or(text.len()));
    for (i, s) in specs.iter().enumerate() {
        let ea = |a: &ActorRef| EventActor {
            actor: a.clone(),
            span: word,
            mention: None,
        };
        if let Some(p) = &s.place {
            ex.mentions.push(Mention {
                id: ex.mentions.len(),
                span: word,
                text: text[word.range()].to_string(),
                sentence: 0,
                data: MentionData::Place(p.clone()),
            });
        }
        ex.events.push(Event {
            id: format!("{}:{i}", doc.id),
            plover_type: s.plover,
            plover_mode: None,
            acled: (s.plover == PloverType::Assault).then(|| AcledType {
                event_type: "Battles".into(),
                sub_event_type: "Armed clash".into(),
            }),
            cameo_root: None,
            trigger: word,
            trigger_text: "attack".into(),
            sentence: 0,
            sources: s.sources.iter().map(ea).collect(),
            targets: s.targets.iter().map(ea).collect(),
            location: s.place.as_ref().map(|p| EventLocation {
                place: p.clone(),
                span: word,
                mention: None,
                relation: "in".into(),
            }),
            date: s.date.map(|d| TimeRef {
                start: d,
                end: d,
                precision: TimePrecision::Day,
                derivation: "explicit".into(),
                anchor: None,
            }),
            quantities: s
                .killed
                .map(|k| EventQuantity {
                    quantity: Quantity {
                        value: k,
                        value_max: None,
                        unit: Unit::People,
                        quantity_kind: QuantityKind::Killed,
                        approximate: false,
                    },
                    span: word,
                    mention: None,
                })
                .into_iter()
                .collect(),
            territory: None,
            attribution: vec![Attribution {
                speaker: "officials".into(),
                actor: None,
                source_kind: SourceKind::Party,
                cue: "said".into(),
                span: Some(word),
                quotes: vec![word],
                mention: None,
            }],
            modality: s.modality,
            confidence: 0.8,
            evidence: vec![word],
            rules: vec!["test".into()],
            background: false,
        });
    }
    ex
}
