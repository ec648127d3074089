//! The embedded default gazetteer.
//!
//! `build.rs` parses `assets/default.flgz` (built by `scripts/gazetteer/build.py`) at compile
//! time and writes it as an index file, which is included here and read in place: no parsing,
//! normalising or sorting at start-up.

use std::sync::{Arc, OnceLock};

use crate::{Gazetteer, GazetteerError};

static EMBEDDED_IDX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default.idx"));

impl Gazetteer {
    /// The embedded default gazetteer (GeoNames cities500, first-level units, US counties,
    /// continents and countries), loaded once per process and shared.
    pub fn embedded() -> Result<Arc<Gazetteer>, GazetteerError> {
        static EMB: OnceLock<Result<Arc<Gazetteer>, String>> = OnceLock::new();
        EMB.get_or_init(|| Self::from_static_idx(EMBEDDED_IDX).map(Arc::new))
            .clone()
            .map_err(|problem| GazetteerError::Format {
                path: "<embedded>".into(),
                problem,
            })
    }
}
