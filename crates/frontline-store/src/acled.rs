//! The ACLED-style columns of a fused event, shared by `frontline export --format csv`, its
//! Parquet export and the Python package's data frames, so that all of them hold the same
//! values.

use chrono::NaiveDate;
use frontline_model::{GeoPrecision, TimePrecision};

use crate::FusedEvent;

/// CSV columns, in order (documented in docs/exports.md).
pub const CSV_COLUMNS: [&str; 26] = [
    "event_id",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "iso",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "plover_type",
    "n_sources",
    "contradictions",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "n_documents",
    "n_outlets",
];

/// ACLED's time precision code of a date precision.
pub fn time_precision_code(p: Option<TimePrecision>) -> Option<i32> {
    match p {
        Some(TimePrecision::Day) => Some(1),
        Some(TimePrecision::Week) => Some(2),
        Some(TimePrecision::Month | TimePrecision::Year | TimePrecision::Range) => Some(3),
        None => None,
    }
}

/// ACLED's geo precision code of a place precision: a country-only location is 3, like a
/// province (docs/evaluation.md); `None` for a continent or an unresolved name.
pub fn geo_precision_code(p: GeoPrecision) -> Option<i32> {
    match p {
        GeoPrecision::Point => Some(1),
        GeoPrecision::Admin2 => Some(2),
        GeoPrecision::Admin1 | GeoPrecision::Region | GeoPrecision::Country => Some(3),
        GeoPrecision::Continent | GeoPrecision::Unresolved => None,
    }
}

/// One fused event in the ACLED-style columns ([`CSV_COLUMNS`], in that order), typed: the CSV
/// writes it as text, the Parquet export as typed columns. `None` = unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct AcledRow {
    /// Fused event id.
    pub event_id: i64,
    /// Best date: first day.
    pub event_date: Option<NaiveDate>,
    /// Year of `event_date`.
    pub year: Option<i32>,
    /// ACLED time precision: 1 day, 2 week, 3 month or coarser.
    pub time_precision: Option<i32>,
    /// ACLED event type.
    pub event_type: Option<String>,
    /// ACLED sub-event type.
    pub sub_event_type: Option<String>,
    /// First (most-reported) source actor.
    pub actor1: Option<String>,
    /// First target actor.
    pub actor2: Option<String>,
    /// Country name of the location.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code of the location.
    pub iso: Option<String>,
    /// Province of the location.
    pub admin1: Option<String>,
    /// Place name.
    pub location: Option<String>,
    /// Latitude, rounded to [`COORD_DECIMALS`].
    pub latitude: Option<f64>,
    /// Longitude, rounded to [`COORD_DECIMALS`].
    pub longitude: Option<f64>,
    /// ACLED geo precision: 1 point, 2 near or district, 3 province or region.
    pub geo_precision: Option<i32>,
    /// Outlets, `; `-separated.
    pub source: String,
    /// The sentence of the earliest report.
    pub notes: String,
    /// Deaths: the lowest figure any report gives.
    pub fatalities: Option<u64>,
    /// PLOVER type.
    pub plover_type: String,
    /// Independent sources.
    pub n_sources: usize,
    /// Kinds of disagreement, `;`-separated.
    pub contradictions: String,
    /// Deaths: lowest figure (as `fatalities`).
    pub fatalities_low: Option<u64>,
    /// Deaths: best estimate.
    pub fatalities_best: Option<u64>,
    /// Deaths: highest figure.
    pub fatalities_high: Option<u64>,
    /// Documents reporting it.
    pub n_documents: usize,
    /// Distinct named outlets.
    pub n_outlets: usize,
}

impl AcledRow {
    /// The row of a fused event; `country_name` names the country of an ISO 3166-1 alpha-2
    /// code (the gazetteer's country table, which this crate does not depend on).
    pub fn of(ev: &FusedEvent, country_name: impl Fn(&str) -> String) -> AcledRow {
        let loc = ev.location.as_ref();
        let contradictions: Vec<String> = ev
            .contradictions
            .iter()
            .map(|c| {
                serde_json::to_value(c.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            })
            .collect();
        let iso = loc.and_then(|l| l.country_code.clone());
        AcledRow {
            event_id: ev.id,
            event_date: ev.date_start,
            year: ev.date_start.map(|d| chrono::Datelike::year(&d)),
            time_precision: time_precision_code(ev.time_precision),
            event_type: ev.acled.as_ref().map(|a| a.event_type.clone()),
            sub_event_type: ev.acled.as_ref().map(|a| a.sub_event_type.clone()),
            actor1: ev.sources.first().map(|a| a.name.clone()),
            actor2: ev.targets.first().map(|a| a.name.clone()),
            country: iso.as_deref().map(&country_name),
            iso,
            admin1: loc.and_then(|l| l.admin1.clone()),
            location: loc.map(|l| l.name.clone()),
            // Rounded here, so that CSV and Parquet hold the same values.
            latitude: loc.and_then(|l| l.lat).map(|v| round_to(v, COORD_DECIMALS)),
            longitude: loc.and_then(|l| l.lon).map(|v| round_to(v, COORD_DECIMALS)),
            geo_precision: loc.and_then(|l| geo_precision_code(l.precision)),
            source: ev.outlets.join("; "),
            notes: ev.notes.clone(),
            fatalities: ev.fatalities,
            plover_type: ev.plover_type.as_str().to_string(),
            n_sources: ev.n_sources,
            contradictions: contradictions.join(";"),
            fatalities_low: ev.fatalities,
            fatalities_best: ev.fatalities_best,
            fatalities_high: ev.fatalities_max,
            n_documents: ev.n_documents,
            n_outlets: ev.n_outlets,
        }
    }
}
/// Decimals kept for coordinates (about 0.1 m).
pub const COORD_DECIMALS: i32 = 6;

/// `v` rounded to `decimals` places. A value that is exactly a float32 (as stored
/// coordinates and confidences are) is first read as the shortest decimal that float32 stands
/// for, so that `35.28799819946289` is written `35.288`, not `35.287998`.
pub fn round_to(v: f64, decimals: i32) -> f64 {
    #[allow(clippy::cast_possible_truncation)]
    let narrow = v as f32;
    let v = if f64::from(narrow) == v {
        narrow.to_string().parse::<f64>().unwrap_or(v)
    } else {
        v
    };
    let f = 10f64.powi(decimals);
    let r = (v * f).round() / f;
    if r.is_finite() { r } else { v }
}

#[cfg(test)]
mod geo_precision_tests {
    use super::*;

    #[test]
    fn a_country_only_location_exports_precision_three() {
        assert_eq!(geo_precision_code(GeoPrecision::Country), Some(3));
        assert_eq!(geo_precision_code(GeoPrecision::Admin1), Some(3));
        assert_eq!(geo_precision_code(GeoPrecision::Point), Some(1));
        assert_eq!(geo_precision_code(GeoPrecision::Unresolved), None);
    }
}
