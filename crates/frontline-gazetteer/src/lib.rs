//! Frontline's gazetteer: GeoNames loading, the country table and a name index.
//!
//! - [`countries`]: every ISO 3166-1 country with codes, aliases, newsroom short forms,
//!   demonyms, capital and centroid.
//! - [`geonames`]: streaming readers for the GeoNames dump formats (`allCountries.txt`,
//!   `cities500.txt`, `alternateNamesV2.txt`, `admin1CodesASCII.txt`, `admin2Codes.txt`,
//!   `countryInfo.txt`), plain or zipped, that skip and count malformed rows.
//! - [`Gazetteer`]: places in compact records plus an index from normalised name keys
//!   ([`normalize`]) to candidates. [`Gazetteer::embedded`] is the default built into the
//!   binary (GeoNames cities500 and more, built by `scripts/gazetteer/build.py`);
//!   [`import::import_geonames`] builds a full index from a GeoNames dump.
//!
//! Place data © GeoNames (<https://www.geonames.org/>), CC BY 4.0.

pub mod countries;
mod gazetteer;
pub mod geonames;
pub mod import;
pub mod normalize;

use std::path::PathBuf;

pub use gazetteer::{Gazetteer, GazetteerBuilder, Hit, NewPlace, Place};

/// Errors from loading or writing a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file is not in the expected format.
    #[error("{path}: {problem}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A GeoNames directory lacks a file the import needs.
    #[error("{dir}: no {wanted} found (download it from the GeoNames export dump)")]
    Missing {
        /// The directory searched.
        dir: PathBuf,
        /// The file wanted.
        wanted: String,
    },
}
