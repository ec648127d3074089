//! ACLED-style rows of fused events, shared by the API's `format=csv` and `frontline export
//! --format csv` (and its Parquet form): the columns, their values, the rounding of floats,
//! and the neutralisation of cells a spreadsheet would take for a formula. Column meanings
//! are documented in `docs/exports.md`.

use frontline_store::FusedEvent;
pub use frontline_store::acled::{AcledRow, COORD_DECIMALS, CSV_COLUMNS, round_to};

/// A value as a text cell (empty for `None`).
pub fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub use frontline_gazetteer::countries::name_or_code as country_name;

/// The ACLED-style row of a fused event, countries named from the gazetteer's table.
pub fn acled_row(ev: &FusedEvent) -> AcledRow {
    AcledRow::of(ev, country_name)
}

/// The CSV cells of a fused event, in [`CSV_COLUMNS`] order, each neutralised.
pub fn csv_row(ev: &FusedEvent) -> Vec<String> {
    let r = acled_row(ev);
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

/// Decimals kept for confidences and scores.
pub const CONFIDENCE_DECIMALS: i32 = 3;

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
