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
mod embedded;
mod error;
mod gazetteer;
pub mod geonames;
pub mod import;
pub mod normalize;

pub use error::GazetteerError;
pub use gazetteer::{Gazetteer, GazetteerBuilder, Hit, NewPlace, Place};
