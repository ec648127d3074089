//! Tables for pandas and Arrow: one Python list per column, typed on the Python side
//! (`frontline/_tables.py`). Events get the CSV export's columns (`CSV_COLUMNS`), computed by
//! the same code as `frontline export --format csv` ([`AcledRow`]).

use chrono::NaiveDate;
use frontline_model::{Event, Extraction};
use frontline_store::acled::AcledRow;
use frontline_store::fusion::{Member, aggregate};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// One column's values, `None` = null.
enum Col {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Str(Vec<Option<String>>),
    /// Days, handed over as `YYYY-MM-DD` (cast to `date32` on the Python side).
    Date(Vec<Option<NaiveDate>>),
}

/// Named columns of equal length.
#[derive(Default)]
pub struct Table {
    cols: Vec<(&'static str, Col)>,
}

impl Table {
    /// Puts the columns into a dict `{name: list}`.
    pub fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let out = PyDict::new(py);
        for (name, col) in self.cols {
            match col {
                Col::Int(v) => out.set_item(name, v)?,
                Col::Float(v) => out.set_item(name, v)?,
                Col::Str(v) => out.set_item(name, v)?,
                Col::Date(v) => out.set_item(
                    name,
                    v.into_iter()
                        .map(|d| d.map(|d| d.format("%Y-%m-%d").to_string()))
                        .collect::<Vec<_>>(),
                )?,
            }
        }
        Ok(out)
    }

    fn column<T>(&mut self, name: &'static str, values: Vec<T>, col: fn(Vec<T>) -> Col) {
        self.cols.push((name, col(values)));
    }
}

fn int<T: TryInto<i64>>(v: T) -> Option<i64> {
    v.try_into().ok()
}

/// The CSV export's columns of `rows`, in `CSV_COLUMNS` order.
pub fn acled_table(rows: &[AcledRow]) -> Table {
    let mut t = Table::default();
    let ints = |f: fn(&AcledRow) -> Option<i64>| rows.iter().map(f).collect::<Vec<_>>();
    let strs = |f: fn(&AcledRow) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
    let floats = |f: fn(&AcledRow) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    t.column("event_id", ints(|r| Some(r.event_id)), Col::Int);
    t.column(
        "event_date",
        rows.iter().map(|r| r.event_date).collect(),
        Col::Date,
    );
    t.column("year", ints(|r| r.year.map(i64::from)), Col::Int);
    t.column(
        "time_precision",
        ints(|r| r.time_precision.map(i64::from)),
        Col::Int,
    );
    t.column("event_type", strs(|r| r.event_type.clone()), Col::Str);
    t.column(
        "sub_event_type",
        strs(|r| r.sub_event_type.clone()),
        Col::Str,
    );
    t.column("actor1", strs(|r| r.actor1.clone()), Col::Str);
    t.column("actor2", strs(|r| r.actor2.clone()), Col::Str);
    t.column("country", strs(|r| r.country.clone()), Col::Str);
    t.column("iso", strs(|r| r.iso.clone()), Col::Str);
    t.column("admin1", strs(|r| r.admin1.clone()), Col::Str);
    t.column("location", strs(|r| r.location.clone()), Col::Str);
    t.column("latitude", floats(|r| r.latitude), Col::Float);
    t.column("longitude", floats(|r| r.longitude), Col::Float);
    t.column(
        "geo_precision",
        ints(|r| r.geo_precision.map(i64::from)),
        Col::Int,
    );
    t.column("source", strs(|r| Some(r.source.clone())), Col::Str);
    t.column("notes", strs(|r| Some(r.notes.clone())), Col::Str);
    t.column("fatalities", ints(|r| r.fatalities.and_then(int)), Col::Int);
    t.column(
        "plover_type",
        strs(|r| Some(r.plover_type.clone())),
        Col::Str,
    );
    t.column("n_sources", ints(|r| int(r.n_sources)), Col::Int);
    t.column(
        "contradictions",
        strs(|r| Some(r.contradictions.clone())),
        Col::Str,
    );
    t.column(
        "fatalities_low",
        ints(|r| r.fatalities_low.and_then(int)),
        Col::Int,
    );
    t.column(
        "fatalities_best",
        ints(|r| r.fatalities_best.and_then(int)),
        Col::Int,
    );
    t.column(
        "fatalities_high",
        ints(|r| r.fatalities_high.and_then(int)),
        Col::Int,
    );
    t.column("n_documents", ints(|r| int(r.n_documents)), Col::Int);
    t.column("n_outlets", ints(|r| int(r.n_outlets)), Col::Int);
    t
}

pub use frontline_gazetteer::countries::name_or_code as country_name;

/// The CSV columns of one extracted event, as a fused event of that one report would have
/// them; `row` is its `event_id` (its row number: events of single documents are not fused).
fn event_row(ex: &Extraction, ev: &Event, row: i64) -> Option<AcledRow> {
    let sentence_text = ex
        .sentences
        .get(ev.sentence)
        .and_then(|s| ex.document.text.get(s.span.start..s.span.end))
        .unwrap_or_default()
        .to_string();
    let member = Member {
        event: ev.clone(),
        document_id: ex.document.id.clone(),
        outlet: ex.document.outlet.clone(),
        story_id: 0,
        published_at: ex.document.published_at,
        sentence_text,
        credits: Vec::new(),
    };
    aggregate(row, std::slice::from_ref(&member)).map(|f| AcledRow::of(&f, country_name))
}

/// Parses a JSON array of extractions (the contract), naming the item that does not parse.
///
/// The array is read straight into extractions; only when that fails is it read again item by
/// item, to name the item at fault.
pub fn parse_results(json: &str) -> PyResult<Vec<Extraction>> {
    if let Ok(results) = serde_json::from_str::<Vec<Extraction>>(json) {
        return Ok(results);
    }
    let values: Vec<serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| PyValueError::new_err(format!("results: not a list of extractions ({e})")))?;
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v).map_err(|e| {
                PyValueError::new_err(format!(
                    "results[{i}]: not an extraction of the JSON contract ({e})"
                ))
            })
        })
        .collect()
}

/// Events of extraction results (a JSON array of extraction dicts): the CSV export's columns,
/// then `document_id`, `event` (the event's id in its document), `modality` and
/// `confidence`. Every event is a row, whatever its modality.
#[pyfunction]
pub fn event_columns<'py>(py: Python<'py>, results_json: &str) -> PyResult<Bound<'py, PyDict>> {
    let results = parse_results(results_json)?;
    let (rows, extra) = py.detach(|| {
        let mut rows = Vec::new();
        let mut extra: Vec<(String, String, String, f64)> = Vec::new();
        for ex in &results {
            for ev in &ex.events {
                if let Some(row) = event_row(ex, ev, rows.len() as i64) {
                    rows.push(row);
                    extra.push((
                        ex.document.id.clone(),
                        ev.id.clone(),
                        serde_json::to_value(ev.modality)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        f64::from(ev.confidence),
                    ));
                }
            }
        }
        (rows, extra)
    });
    let mut t = acled_table(&rows);
    t.column(
        "document_id",
        extra.iter().map(|e| Some(e.0.clone())).collect(),
        Col::Str,
    );
    t.column(
        "event",
        extra.iter().map(|e| Some(e.1.clone())).collect(),
        Col::Str,
    );
    t.column(
        "modality",
        extra.iter().map(|e| Some(e.2.clone())).collect(),
        Col::Str,
    );
    t.column(
        "confidence",
        extra.iter().map(|e| Some(e.3)).collect(),
        Col::Float,
    );
    t.into_py(py)
}

/// Mentions of extraction results: `document_id`, `mention_id`, `kind`, `text`, `start`,
/// `end` (byte offsets into the cleaned text), `sentence`, and `value` (what the mention was
/// understood to be, as compact JSON).
#[pyfunction]
pub fn mention_columns<'py>(py: Python<'py>, results_json: &str) -> PyResult<Bound<'py, PyDict>> {
    let results = parse_results(results_json)?;
    let mut doc = Vec::new();
    let (mut id, mut start, mut end, mut sentence) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut kind, mut text, mut value) = (Vec::new(), Vec::new(), Vec::new());
    for ex in &results {
        for m in &ex.mentions {
            doc.push(Some(ex.document.id.clone()));
            id.push(int(m.id));
            kind.push(
                serde_json::to_value(m.kind())
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string)),
            );
            text.push(Some(m.text.clone()));
            start.push(int(m.span.start));
            end.push(int(m.span.end));
            sentence.push(int(m.sentence));
            value.push(serde_json::to_string(&m.data).ok());
        }
    }
    let mut t = Table::default();
    t.column("document_id", doc, Col::Str);
    t.column("mention_id", id, Col::Int);
    t.column("kind", kind, Col::Str);
    t.column("text", text, Col::Str);
    t.column("start", start, Col::Int);
    t.column("end", end, Col::Int);
    t.column("sentence", sentence, Col::Int);
    t.column("value", value, Col::Str);
    t.into_py(py)
}
