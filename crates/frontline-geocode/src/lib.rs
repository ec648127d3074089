//! Finding and resolving toponyms (place names) in news text.
//!
//! [`Geocoder::geoparse`] takes a cleaned text, its sentences and the spans to skip
//! (boilerplate) and returns every [`Toponym`] with its span and a [`PlaceRef`]:
//!
//! 1. **Finding** ([`find`]): gazetteer matches over capitalised token n-grams (longest first,
//!    exact keys, then transliteration-folded keys), demonyms ("Syrian" → Syria), newsroom
//!    state abbreviations after a comma ("Gainesville, Ga."), and names the gazetteer lacks
//!    when a strong cue says they are places ("northeast of Tanf", "the al-Waleed crossing").
//!    Filters drop people and organisations (titles, first names, "X University"), and
//!    capitalised common words without a locative cue.
//! 2. **Choosing** ([`resolve`]): population and feature priors, the document's countries and
//!    first-level units, "X, Y" qualifiers, datelines and spatial coherence pick one candidate;
//!    runners-up are kept. A name that cannot be placed keeps its span and what was inferred
//!    (country, "border of SY and IQ").

mod find;
mod lexicon;
mod resolve;

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use thread_local::ThreadLocal;

use frontline_gazetteer::{Gazetteer, GazetteerError};
pub use frontline_model::PlaceRef;
pub use frontline_text::Span;
pub use lexicon::COMPASS;

/// Errors from setting up a geocoder.
#[derive(Debug, thiserror::Error)]
pub enum GeocodeError {
    /// The gazetteer could not be loaded.
    #[error("gazetteer: {0}")]
    Gazetteer(#[from] GazetteerError),
}

/// A place name found in the text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Toponym {
    /// Where it is (byte offsets into the text).
    pub span: Span,
    /// What it was resolved to, or what was inferred about it.
    pub place: PlaceRef,
    /// It opens the document as a dateline ("KYIV (Reuters) -"): where the story was filed,
    /// which is not always where its events happened. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dateline: bool,
}

/// A name that looked like a place and was set aside, with the id of the rule that set it
/// aside ("PN10-given-name", "ST10-street-name", "AN20-alternate-only"...): what
/// `frontline geoparse --dropped` and `frontline explain` print.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dropped {
    /// Where it is (byte offsets into the text).
    pub span: Span,
    /// The rule that set it aside.
    pub rule: &'static str,
}

/// The geoparser. Cheap to clone and share across threads (the gazetteer is behind an `Arc`).
#[derive(Clone)]
pub struct Geocoder {
    gaz: Arc<Gazetteer>,
    /// Gazetteer lookups by name key, kept per thread across documents (names recur from
    /// story to story; each lookup is a binary search over the whole index). Bounded.
    lookups: Arc<ThreadLocal<RefCell<find::Lookups>>>,
}

impl std::fmt::Debug for Geocoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Geocoder")
            .field("gazetteer", &self.gaz.source())
            .finish_non_exhaustive()
    }
}

impl Geocoder {
    /// A geocoder over the embedded default gazetteer (loaded once per process).
    pub fn embedded() -> Result<Geocoder, GeocodeError> {
        Ok(Self::from_gazetteer(Gazetteer::embedded()?))
    }

    /// A geocoder over a gazetteer file (an index from `frontline gazetteer import`).
    pub fn open(path: &Path) -> Result<Geocoder, GeocodeError> {
        Ok(Self::from_gazetteer(Arc::new(Gazetteer::open(path)?)))
    }

    /// A geocoder over a loaded gazetteer.
    pub fn from_gazetteer(gaz: Arc<Gazetteer>) -> Geocoder {
        Geocoder {
            gaz,
            lookups: Arc::new(ThreadLocal::new()),
        }
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Finds and resolves the toponyms of `text`. `sentences` are the sentence spans (when
    /// empty, the text is split here); nothing inside a `skip` span is reported. Never panics;
    /// spans always fall on character boundaries of `text`.
    pub fn geoparse(&self, text: &str, sentences: &[Span], skip: &[Span]) -> Vec<Toponym> {
        self.geoparse_explained(text, sentences, skip).0
    }

    /// [`Geocoder::geoparse`], also returning the names set aside and why, in text order.
    pub fn geoparse_explained(
        &self,
        text: &str,
        sentences: &[Span],
        skip: &[Span],
    ) -> (Vec<Toponym>, Vec<Dropped>) {
        let owned;
        let sentences = if sentences.is_empty() {
            owned = frontline_text::sentences(text, Span::new(0, text.len()));
            &owned[..]
        } else {
            sentences
        };
        let cell = self.lookups.get_or_default();
        let mut drops = Vec::new();
        let found = match cell.try_borrow_mut() {
            Ok(mut cache) => {
                cache.bound();
                find::find(&self.gaz, text, sentences, skip, &mut cache, &mut drops)
            }
            Err(_) => find::find(
                &self.gaz,
                text,
                sentences,
                skip,
                &mut find::Lookups::default(),
                &mut drops,
            ),
        };
        let tops = resolve::resolve(&self.gaz, text, sentences, &found, &mut drops);
        drops.sort_by_key(|d| (d.span.start, d.span.end));
        drops.dedup();
        (tops, drops)
    }
}

#[cfg(test)]
mod tests;
