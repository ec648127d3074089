//! ACLED-style rows of fused events, shared by the API's `format=csv` and `frontline export
//! --format csv` (and its Parquet form): the columns, their values, the rounding of floats,
//! and the neutralisation of cells a spreadsheet would take for a formula. Column meanings
//! are documented in `docs/exports.md`.

use chrono::NaiveDate;
use frontline_model::{GeoPrecision, TimePrecision};
use frontline_store::FusedEvent;

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

fn time_precision_code(p: Option<TimePrecision>) -> Option<i32> {
    match p {
        Some(TimePrecision::Day) => Some(1),
        Some(TimePrecision::Week) => Some(2),
        Some(TimePrecision::Month | TimePrecision::Year | TimePrecision::Range) => Some(3),
        None => None,
    }
}

fn geo_precision_code(p: GeoPrecision) -> Option<i32> {
    match p {
        GeoPrecision::Point => Some(1),
        GeoPrecision::Admin2 => Some(2),
        GeoPrecision::Admin1 | GeoPrecision::Region => Some(3),
        GeoPrecision::Country | GeoPrecision::Continent | GeoPrecision::Unresolved => None,
    }
}

/// A value as a text cell (empty for `None`).
pub fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The country table's name for an ISO alpha-2 code (the code itself when unknown).
pub fn country_name(iso2: &str) -> String {
    frontline_gazetteer::countries::by_iso2(iso2)
        .map_or_else(|| iso2.to_string(), |k| k.name.clone())
}

/// One fused event in the ACLED-style columns ([`CSV_COLUMNS`], in that order), typed: the CSV
/// writes it as text, the Parquet export as typed columns. `None` = unknown.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct AcledRow {
    pub event_id: i64,
    pub event_date: Option<NaiveDate>,
    pub year: Option<i32>,
    pub time_precision: Option<i32>,
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    pub country: Option<String>,
    pub iso: Option<String>,
    pub admin1: Option<String>,
    pub location: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub geo_precision: Option<i32>,
    pub source: String,
    pub notes: String,
    pub fatalities: Option<u64>,
    pub plover_type: String,
    pub n_sources: usize,
    pub contradictions: String,
    pub fatalities_low: Option<u64>,
    pub fatalities_best: Option<u64>,
    pub fatalities_high: Option<u64>,
    pub n_documents: usize,
    pub n_outlets: usize,
}

impl AcledRow {
    /// The row of a fused event.
    pub fn of(ev: &FusedEvent) -> AcledRow {
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
            country: iso.as_deref().map(country_name),
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

/// The CSV cells of a fused event, in [`CSV_COLUMNS`] order, each neutralised.
pub fn csv_row(ev: &FusedEvent) -> Vec<String> {
    let r = AcledRow::of(ev);
    vec![
        r.event_id.to_string(),
        opt(r.event_date),
        opt(r.year),
        opt(r.time_precision),
        opt(r.event_type),
        opt(r.sub_event_type),
        opt(r.actor1),
        opt(r.actor2),
        opt(r.country),
        opt(r.iso),
        opt(r.admin1),
        opt(r.location),
        coord(r.latitude),
        coord(r.longitude),
        opt(r.geo_precision),
        r.source,
        r.notes,
        opt(r.fatalities),
        r.plover_type,
        r.n_sources.to_string(),
        r.contradictions,
        opt(r.fatalities_low),
        opt(r.fatalities_best),
        opt(r.fatalities_high),
        r.n_documents.to_string(),
        r.n_outlets.to_string(),
    ]
    .into_iter()
    .map(neutralise)
    .collect()
}

/// The CSV header line.
pub fn csv_header() -> Result<Vec<u8>, csv::Error> {
    csv_record(&CSV_COLUMNS)
}

/// CSV lines of `events`, one per event, no header.
pub fn csv_lines<'a>(
    events: impl IntoIterator<Item = &'a FusedEvent>,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for ev in events {
        w.write_record(csv_row(ev))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

fn csv_record<T: AsRef<[u8]>>(cells: &[T]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(cells)?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Decimals kept for coordinates (about 0.1 m).
pub const COORD_DECIMALS: i32 = 6;
/// Decimals kept for confidences and scores.
pub const CONFIDENCE_DECIMALS: i32 = 3;

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

/// A coordinate for a text cell: at most 6 decimals, trailing zeros dropped.
pub fn coord(v: Option<f64>) -> String {
    v.map(|v| round_to(v, COORD_DECIMALS).to_string())
        .unwrap_or_default()
}

/// A cell as spreadsheet tools should read it: text starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return would be taken for a formula (CSV injection), so it gets a leading
/// `'` (the convention spreadsheets use for "this is text"). Numbers (`-12.5`, a negative
/// coordinate) are left as they are.
pub fn neutralise(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !cell.trim().parse::<f64>().is_ok_and(f64::is_finite) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(json: serde_json::Value) -> FusedEvent {
        serde_json::from_value(json).unwrap()
    }

    /// Issue 23, item 5: formula-like text cells are neutralised, numbers are not.
    #[test]
    fn formula_cells_are_neutralised_numbers_are_not() {
        for bad in [
            "=HYPERLINK(\"http://x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\r=1",
        ] {
            assert_eq!(neutralise(bad.to_string()), format!("'{bad}"));
        }
        for ok in ["-12.5", "-0.000001", "+3", "35.288", "Idlib", "", "1e5"] {
            assert_eq!(neutralise(ok.to_string()), ok);
        }
        let ev = event(serde_json::json!({
            "id": 7, "plover_type": "ASSAULT",
            "sources": [{"name": "=cmd|'/C calc'!A0", "code": "-X", "actor_type": "REBEL",
                         "reports": 1}],
            "targets": [],
            "n_reports": 1, "n_documents": 1, "n_sources": 1, "n_outlets": 0,
            "outlets": ["@outlet"],
            "location": {"name": "-Place", "lat": f64::from(-35.288_f32),
                         "lon": f64::from(40.309_f32), "precision": "point",
                         "country_code": "SY", "relation": "in"},
            "earliest_document": "x", "modality": "asserted", "confidence": 0.5,
            "notes": "+note", "contradictions": []
        }));
        let row = csv_row(&ev);
        assert_eq!(row.len(), CSV_COLUMNS.len());
        assert!(row.contains(&"'=cmd|'/C calc'!A0".to_string()), "{row:?}");
        assert!(row.contains(&"'@outlet".to_string()), "{row:?}");
        assert!(row.contains(&"'+note".to_string()), "{row:?}");
        assert!(row.contains(&"'-Place".to_string()), "{row:?}");
        assert!(row.contains(&"-35.288".to_string()), "{row:?}");
        assert!(row.contains(&"40.309".to_string()), "{row:?}");
        let lines = String::from_utf8(csv_lines([&ev, &ev]).unwrap()).unwrap();
        assert_eq!(lines.lines().count(), 2);
        let header = String::from_utf8(csv_header().unwrap()).unwrap();
        assert_eq!(header.trim_end(), CSV_COLUMNS.join(","));
    }
}
