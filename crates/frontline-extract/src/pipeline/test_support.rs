//! Helpers shared by the pipeline's test modules: one pipeline without a geocoder, built once,
//! and the events it codes from a text published on 2023-03-14.

use super::*;
use frontline_model::Event;
use std::sync::OnceLock;

/// The pipeline without a geocoder, built once for all tests.
pub(super) fn plain() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::without_geocoder().unwrap())
}

/// The events `plain()` codes from `s`, published on 2023-03-14, after checking every span.
pub(super) fn coded(s: &str) -> Vec<Event> {
    let meta = DocumentMeta {
        published_at: chrono::NaiveDate::from_ymd_opt(2023, 3, 14),
        ..DocumentMeta::default()
    };
    let ex = plain().extract(meta, s);
    ex.check_spans().unwrap();
    ex.events
}
