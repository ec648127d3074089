//! Frontline's domain types and their JSON contract.
//!
//! A [`Document`] is one report as it reached us. Running the pipeline over it yields an
//! [`Extraction`]: the boilerplate that was set aside, the sentences, every [`Mention`] (actor,
//! place, time, quantity, speaker) and every [`Event`] coded from the text. Every span in an
//! extraction is a byte range into [`Document::text`] (the cleaned text), so
//! `&doc.text[mention.span.range()] == mention.text` holds for everything the pipeline emits.
//!
//! The serialised form is a versioned contract documented in `docs/schema.md`; bump
//! [`SCHEMA_VERSION`] on any incompatible change. [`json::append`] writes it (the same bytes as
//! `serde_json`, with less work).

mod document;
mod event;
pub mod json;
mod mention;

pub use document::{
    Boilerplate, BoilerplateKind, Document, DocumentMeta, Origin, Sentence, content_id,
};
pub use event::{
    AcledType, Attribution, Event, EventActor, EventLocation, EventQuantity, Modality, PloverType,
    SourceKind, TerritorialChange,
};
pub use frontline_text::Span;
pub use mention::{
    ActorRef, ActorType, GeoPrecision, Mention, MentionData, MentionKind, PlaceCandidate, PlaceRef,
    Quantity, QuantityKind, SpeakerRef, TimePrecision, TimeRef, Unit,
};

use serde::{Deserialize, Serialize};

/// Version of the JSON contract produced by [`Extraction`] and everything inside it.
pub const SCHEMA_VERSION: &str = "1.0";

fn schema_version() -> String {
    SCHEMA_VERSION.to_string()
}

/// Everything the pipeline found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Extraction {
    /// Version of this contract ([`SCHEMA_VERSION`]).
    #[serde(default = "schema_version")]
    pub schema_version: String,
    /// The document, with its cleaned text.
    pub document: Document,
    /// Passages removed from analysis (comment forms, share bars, ...), kept and reported.
    #[serde(default)]
    pub boilerplate: Vec<Boilerplate>,
    /// Sentences of the analysed text, in order.
    #[serde(default)]
    pub sentences: Vec<Sentence>,
    /// Mentions in text order; [`Mention::id`] is the index into this list.
    #[serde(default)]
    pub mentions: Vec<Mention>,
    /// Coded events, in text order.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Non-fatal problems met while processing this document (lossy decoding, truncation, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Extraction {
    /// An extraction with no findings yet for `document`.
    pub fn new(document: Document) -> Self {
        Self {
            schema_version: schema_version(),
            document,
            boilerplate: Vec::new(),
            sentences: Vec::new(),
            mentions: Vec::new(),
            events: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Checks that every span in the extraction points into the document text and that each
    /// mention's and boilerplate block's `text` equals the text under its span. Returns the
    /// first violation found.
    pub fn check_spans(&self) -> Result<(), String> {
        let text = &self.document.text;
        // The label is formatted only for the error.
        let check =
            |what: &dyn Fn() -> String, span: Span, expect: Option<&str>| -> Result<(), String> {
                let got = span.slice(text).ok_or_else(|| {
                    format!("{}: span {span:?} is not inside the document text", what())
                })?;
                match expect {
                    Some(e) if e != got => Err(format!("{}: span text {got:?} != {e:?}", what())),
                    _ => Ok(()),
                }
            };
        for (i, b) in self.boilerplate.iter().enumerate() {
            check(&|| format!("boilerplate {i}"), b.span, Some(&b.text))?;
        }
        for (i, s) in self.sentences.iter().enumerate() {
            check(&|| format!("sentence {i}"), s.span, None)?;
        }
        for m in &self.mentions {
            check(&|| format!("mention {}", m.id), m.span, Some(&m.text))?;
        }
        for (i, e) in self.events.iter().enumerate() {
            check(&|| format!("event {i} trigger"), e.trigger, None)?;
            for s in &e.evidence {
                check(&|| format!("event {i} evidence"), *s, None)?;
            }
            for a in e.sources.iter().chain(&e.targets) {
                check(&|| format!("event {i} actor"), a.span, None)?;
            }
            for a in &e.attribution {
                if let Some(s) = a.span {
                    check(&|| format!("event {i} attribution"), s, None)?;
                }
                for q in &a.quotes {
                    check(&|| format!("event {i} quote"), *q, None)?;
                }
            }
            if let Some(l) = &e.location {
                check(&|| format!("event {i} location"), l.span, None)?;
            }
            for q in &e.quantities {
                check(&|| format!("event {i} quantity"), q.span, None)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_check_catches_bad_mentions() {
        let doc = Document::new("Iraqi forces captured al-Waleed.".into());
        let mut ex = Extraction::new(doc);
        ex.mentions.push(Mention {
            id: 0,
            span: Span::new(0, 5),
            text: "Iraqi".into(),
            sentence: 0,
            data: MentionData::Place(PlaceRef::unresolved("Iraq")),
        });
        assert!(ex.check_spans().is_ok());
        ex.mentions[0].text = "Iraq".into();
        assert!(ex.check_spans().is_err());
        ex.mentions[0].span = Span::new(0, 500);
        assert!(ex.check_spans().is_err());
    }

    #[test]
    fn round_trips_through_json() {
        let doc = Document::new("Text.".into());
        let ex = Extraction::new(doc);
        let json = serde_json::to_string(&ex).unwrap();
        assert!(json.starts_with("{\"schema_version\":\"1.0\""));
        let back: Extraction = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ex);
    }
}
