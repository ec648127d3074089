//! Frontline's extraction layer: actors, event coding, time, quantities, attribution and
//! modality, as a registry of small named rules, and the [`pipeline`] that runs them all over a
//! document.
//!
//! Module ownership (one concern per module, each with its own tests):
//! - [`time`]: dates and relative time expressions resolved against the publication date.
//! - [`quantity`]: numbers with units (casualties, areas, distances, money).
//! - [`actors`]: the actor dictionary (data files) and actor mention finding.
//! - [`attribution`]: who says what ("X said", "according to X") and the outlet/source table.
//! - [`modality`]: asserted / hedged / negated / denied / hypothetical.
//! - [`events`]: the event rule registry and PLOVER/ACLED/CAMEO mappings.
//! - [`pipeline`]: cleaning, boilerplate, sentences, geoparsing and all of the above, producing
//!   a [`frontline_model::Extraction`].

pub mod actors;
pub mod attribution;
pub mod events;
pub mod lex;
pub mod modality;
pub mod phrase;
pub mod pipeline;
pub mod quantity;
pub mod time;
