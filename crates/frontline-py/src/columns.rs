//! Tables for pandas and Arrow, handed to Python as Arrow buffers: each column is built here
//! in Arrow's memory layout (a validity bitmap, then the values, or the offsets and bytes of
//! strings) and crosses as `bytes` objects that pyarrow wraps without copying
//! (`frontline/_tables.py`), so a table of a million rows makes no Python object per value.
//! Events get the CSV export's columns (`CSV_COLUMNS`), computed by the same code as
//! `frontline export --format csv` ([`AcledRow`]) and typed as its Parquet export types them.

use std::borrow::Cow;
use std::ops::Range;

use chrono::NaiveDate;
use frontline_model::{Event, Extraction};
use frontline_store::acled::AcledRow;
use frontline_store::fusion::{Member, aggregate};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};

/// Most rows in one record batch: string columns use 32-bit offsets, and a batch of this many
/// rows stays far below their 2 GiB limit.
pub const BATCH_ROWS: usize = 65_536;

/// One column's values, `None` = null, in the Arrow type it gets.
enum Col<'a> {
    I32(Vec<Option<i32>>),
    I64(Vec<Option<i64>>),
    F64(Vec<Option<f64>>),
    Str(Vec<Option<Cow<'a, str>>>),
    /// Arrow `date32`: days since 1970-01-01.
    Date(Vec<Option<NaiveDate>>),
}

/// One column of a record batch in Arrow's layout: the type's name in pyarrow
/// (`pyarrow.int64()`...), the number of rows and of nulls, the validity bitmap (`None`
/// when nothing is null) and the other buffers (values; or offsets, then bytes).
pub struct ArrowCol {
    name: &'static str,
    ty: &'static str,
    len: usize,
    nulls: usize,
    validity: Option<Vec<u8>>,
    buffers: Vec<Vec<u8>>,
}

/// The validity bitmap of `v` (bit `i` set: row `i` is not null) and its null count; no
/// bitmap when nothing is null.
fn validity<T>(v: &[Option<T>]) -> (usize, Option<Vec<u8>>) {
    let nulls = v.iter().filter(|x| x.is_none()).count();
    if nulls == 0 {
        return (0, None);
    }
    let mut bits = vec![0u8; v.len().div_ceil(8)];
    for (i, x) in v.iter().enumerate() {
        if x.is_some() {
            bits[i / 8] |= 1 << (i % 8);
        }
    }
    (nulls, Some(bits))
}

/// Fixed-width values, little-endian, nulls as zero.
fn fixed<T: Copy, const N: usize>(v: &[Option<T>], zero: T, le: fn(T) -> [u8; N]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * N);
    for x in v {
        out.extend_from_slice(&le(x.unwrap_or(zero)));
    }
    out
}

/// Days since 1970-01-01.
fn days(d: NaiveDate) -> i32 {
    const EPOCH_CE_DAYS: i32 = 719_163;
    chrono::Datelike::num_days_from_ce(&d) - EPOCH_CE_DAYS
}

impl Col<'_> {
    /// Rows `r` in Arrow's layout.
    fn arrow(&self, name: &'static str, r: Range<usize>) -> ArrowCol {
        let len = r.len();
        let (ty, (nulls, validity), buffers) = match self {
            Col::I32(v) => {
                let v = &v[r];
                ("int32", validity(v), vec![fixed(v, 0, i32::to_le_bytes)])
            }
            Col::I64(v) => {
                let v = &v[r];
                ("int64", validity(v), vec![fixed(v, 0, i64::to_le_bytes)])
            }
            Col::F64(v) => {
                let v = &v[r];
                (
                    "float64",
                    validity(v),
                    vec![fixed(v, 0.0, f64::to_le_bytes)],
                )
            }
            Col::Date(v) => {
                let v = &v[r];
                let d: Vec<Option<i32>> = v.iter().map(|d| d.map(days)).collect();
                ("date32", validity(v), vec![fixed(&d, 0, i32::to_le_bytes)])
            }
            Col::Str(v) => {
                let v = &v[r];
                let mut offsets = Vec::with_capacity((v.len() + 1) * 4);
                let mut bytes = Vec::new();
                offsets.extend_from_slice(&0i32.to_le_bytes());
                for s in v {
                    bytes.extend_from_slice(s.as_deref().unwrap_or_default().as_bytes());
                    // A batch holds at most BATCH_ROWS rows, far below 2 GiB of text.
                    let end = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
                    offsets.extend_from_slice(&end.to_le_bytes());
                }
                ("string", validity(v), vec![offsets, bytes])
            }
        };
        ArrowCol {
            name,
            ty,
            len,
            nulls,
            validity,
            buffers,
        }
    }

    fn len(&self) -> usize {
        match self {
            Col::I32(v) => v.len(),
            Col::I64(v) => v.len(),
            Col::F64(v) => v.len(),
            Col::Str(v) => v.len(),
            Col::Date(v) => v.len(),
        }
    }
}

/// Named columns of equal length.
#[derive(Default)]
pub struct Table<'a> {
    cols: Vec<(&'static str, Col<'a>)>,
}

/// One record batch in Arrow's layout (see [`ArrowCol`]).
pub type Batch = Vec<ArrowCol>;

impl<'a> Table<'a> {
    /// The table as record batches of at most [`BATCH_ROWS`] rows (one, empty, when the table
    /// has no rows, so that the schema is known).
    pub fn batches(&self) -> Vec<Batch> {
        let n = self.cols.first().map_or(0, |(_, c)| c.len());
        let mut out = Vec::new();
        let mut start = 0;
        loop {
            let end = (start + BATCH_ROWS).min(n);
            out.push(
                self.cols
                    .iter()
                    .map(|(name, col)| col.arrow(name, start..end))
                    .collect(),
            );
            start = end;
            if start >= n {
                return out;
            }
        }
    }

    fn column(&mut self, name: &'static str, col: Col<'a>) {
        self.cols.push((name, col));
    }
}

/// A record batch as Python objects: a list of `(name, type, length, null_count, validity,
/// buffers)` tuples, the buffers `bytes` (validity `None` when nothing is null).
pub fn batch_to_py<'py>(py: Python<'py>, batch: &Batch) -> PyResult<Bound<'py, PyList>> {
    let cols = batch
        .iter()
        .map(|c| {
            let validity = c.validity.as_deref().map(|b| PyBytes::new(py, b));
            let buffers = PyList::new(py, c.buffers.iter().map(|b| PyBytes::new(py, b)))?;
            PyTuple::new(
                py,
                [
                    c.name.into_pyobject(py)?.into_any(),
                    c.ty.into_pyobject(py)?.into_any(),
                    c.len.into_pyobject(py)?.into_any(),
                    c.nulls.into_pyobject(py)?.into_any(),
                    validity.into_pyobject(py)?.into_any(),
                    buffers.into_any(),
                ],
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, cols)
}

/// Record batches as a Python list of [`batch_to_py`] lists.
pub fn batches_to_py<'py>(py: Python<'py>, batches: &[Batch]) -> PyResult<Bound<'py, PyList>> {
    let out = batches
        .iter()
        .map(|b| batch_to_py(py, b))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, out)
}

fn int<T: TryInto<i64>>(v: T) -> Option<i64> {
    v.try_into().ok()
}

fn int32<T: TryInto<i32>>(v: T) -> Option<i32> {
    v.try_into().ok()
}

/// The CSV export's columns of `rows`, in `CSV_COLUMNS` order, typed as the Parquet export
/// types them.
pub fn acled_table(rows: &[AcledRow]) -> Table<'_> {
    let mut t = Table::default();
    let i32s = |f: fn(&AcledRow) -> Option<i32>| Col::I32(rows.iter().map(f).collect());
    let i64s = |f: fn(&AcledRow) -> Option<i64>| Col::I64(rows.iter().map(f).collect());
    let f64s = |f: fn(&AcledRow) -> Option<f64>| Col::F64(rows.iter().map(f).collect());
    let strs = |f: for<'r> fn(&'r AcledRow) -> Option<&'r str>| {
        Col::Str(rows.iter().map(|r| f(r).map(Cow::Borrowed)).collect())
    };
    t.column("event_id", i64s(|r| Some(r.event_id)));
    t.column(
        "event_date",
        Col::Date(rows.iter().map(|r| r.event_date).collect()),
    );
    t.column("year", i32s(|r| r.year));
    t.column("time_precision", i32s(|r| r.time_precision));
    t.column("event_type", strs(|r| r.event_type.as_deref()));
    t.column("sub_event_type", strs(|r| r.sub_event_type.as_deref()));
    t.column("actor1", strs(|r| r.actor1.as_deref()));
    t.column("actor2", strs(|r| r.actor2.as_deref()));
    t.column("country", strs(|r| r.country.as_deref()));
    t.column("iso", strs(|r| r.iso.as_deref()));
    t.column("admin1", strs(|r| r.admin1.as_deref()));
    t.column("location", strs(|r| r.location.as_deref()));
    t.column("latitude", f64s(|r| r.latitude));
    t.column("longitude", f64s(|r| r.longitude));
    t.column("geo_precision", i32s(|r| r.geo_precision));
    t.column("source", strs(|r| Some(&r.source)));
    t.column("notes", strs(|r| Some(&r.notes)));
    t.column("fatalities", i64s(|r| r.fatalities.and_then(int)));
    t.column("plover_type", strs(|r| Some(&r.plover_type)));
    t.column("n_sources", i32s(|r| int32(r.n_sources)));
    t.column("contradictions", strs(|r| Some(&r.contradictions)));
    t.column("fatalities_low", i64s(|r| r.fatalities_low.and_then(int)));
    t.column("fatalities_best", i64s(|r| r.fatalities_best.and_then(int)));
    t.column("fatalities_high", i64s(|r| r.fatalities_high.and_then(int)));
    t.column("n_documents", i32s(|r| int32(r.n_documents)));
    t.column("n_outlets", i32s(|r| int32(r.n_outlets)));
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
/// `confidence`, as record batches (see [`batch_to_py`]). Every event is a row, whatever its
/// modality.
#[pyfunction]
pub fn event_columns<'py>(py: Python<'py>, results_json: &str) -> PyResult<Bound<'py, PyList>> {
    let results = parse_results(results_json)?;
    let batches = py.detach(|| {
        let mut rows = Vec::new();
        let mut extra: Vec<(&str, &str, String, f64)> = Vec::new();
        for ex in &results {
            for ev in &ex.events {
                if let Some(row) = event_row(ex, ev, rows.len() as i64) {
                    rows.push(row);
                    extra.push((
                        &ex.document.id,
                        &ev.id,
                        serde_json::to_value(ev.modality)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        f64::from(ev.confidence),
                    ));
                }
            }
        }
        let mut t = acled_table(&rows);
        type Extra<'e> = (&'e str, &'e str, String, f64);
        let strs = |f: for<'r> fn(&'r Extra<'_>) -> &'r str| {
            Col::Str(extra.iter().map(|e| Some(Cow::Borrowed(f(e)))).collect())
        };
        t.column("document_id", strs(|e| e.0));
        t.column("event", strs(|e| e.1));
        t.column("modality", strs(|e| &e.2));
        t.column(
            "confidence",
            Col::F64(extra.iter().map(|e| Some(e.3)).collect()),
        );
        t.batches()
    });
    batches_to_py(py, &batches)
}

/// Mentions of extraction results: `document_id`, `mention_id`, `kind`, `text`, `start`,
/// `end` (byte offsets into the cleaned text), `sentence`, and `value` (what the mention was
/// understood to be, as compact JSON), as record batches (see [`batch_to_py`]).
#[pyfunction]
pub fn mention_columns<'py>(py: Python<'py>, results_json: &str) -> PyResult<Bound<'py, PyList>> {
    let results = parse_results(results_json)?;
    let batches = py.detach(|| {
        let mut doc = Vec::new();
        let (mut id, mut start, mut end, mut sentence) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut kind, mut text, mut value) = (Vec::new(), Vec::new(), Vec::new());
        for ex in &results {
            for m in &ex.mentions {
                doc.push(Some(Cow::Borrowed(ex.document.id.as_str())));
                id.push(int(m.id));
                kind.push(
                    serde_json::to_value(m.kind())
                        .ok()
                        .and_then(|v| v.as_str().map(|s| Cow::Owned(s.to_string()))),
                );
                text.push(Some(Cow::Borrowed(m.text.as_str())));
                start.push(int(m.span.start));
                end.push(int(m.span.end));
                sentence.push(int(m.sentence));
                value.push(serde_json::to_string(&m.data).ok().map(Cow::Owned));
            }
        }
        let mut t = Table::default();
        t.column("document_id", Col::Str(doc));
        t.column("mention_id", Col::I64(id));
        t.column("kind", Col::Str(kind));
        t.column("text", Col::Str(text));
        t.column("start", Col::I64(start));
        t.column("end", Col::I64(end));
        t.column("sentence", Col::I64(sentence));
        t.column("value", Col::Str(value));
        t.batches()
    });
    batches_to_py(py, &batches)
}
