//! `frontline.Store`: a Frontline database (SQLite) to ingest into and to read fused events
//! from, with the filters of the HTTP API.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::NaiveDate;
use frontline_model::{Extraction, PloverType};
use frontline_store::acled::AcledRow;
use frontline_store::{BBox, EventFilter, Prepared, PutCounts, Store};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rayon::prelude::*;

use crate::columns::{Batch, acled_table, batch_to_py, country_name};
use crate::pipeline::{PyPipeline, extract_one};
use crate::{Article, FrontlineError, default_pipeline};

/// Documents stored per transaction.
const BATCH: usize = 256;

/// Fused events read from the database per record batch of `Store.event_batches`: one page
/// of the store's event query (as `frontline export` reads them, by limit and offset).
const EVENT_PAGE: u32 = 32_768;

/// A Frontline database: `Store(path)` opens it, creating it when missing (`":memory:"` for
/// one that lives only as long as the object).
#[pyclass(name = "Store", module = "frontline", frozen, subclass)]
pub struct PyStore {
    store: Store,
    path: String,
}

fn store_err(what: &str, e: impl std::fmt::Display) -> PyErr {
    FrontlineError::new_err(format!("{what}: {e}"))
}

/// One item to ingest: an extraction dict (it has a `document` key) is stored as it is, an
/// article (a `str` or a dict with `text`) is extracted first.
enum Item {
    Extracted(Box<Extraction>),
    Article(Article),
}

fn item_of(py: Python<'_>, item: &Bound<'_, PyAny>, index: usize) -> PyResult<Item> {
    if !item.is_instance_of::<PyString>()
        && let Ok(d) = item.cast::<PyDict>()
        && d.contains("document")?
    {
        let json: String = py
            .import("json")?
            .call_method1("dumps", (item,))?
            .extract()?;
        let ex: Extraction = serde_json::from_str(&json).map_err(|e| {
            PyValueError::new_err(format!(
                "item {index}: not an extraction of the JSON contract ({e})"
            ))
        })?;
        return Ok(Item::Extracted(Box::new(ex)));
    }
    Article::from_item(item, index).map(Item::Article)
}

/// A `YYYY-MM-DD` filter value.
fn day(name: &str, v: Option<&str>) -> PyResult<Option<NaiveDate>> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                PyValueError::new_err(format!("{name}: {s:?} is not a date; expected YYYY-MM-DD"))
            })
        })
        .transpose()
}

/// Comma-separated items, blanks dropped.
fn items(v: Option<&str>) -> impl Iterator<Item = &str> {
    v.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Countries as the API takes them: ISO alpha-2, alpha-3 or a name, as alpha-2 codes.
fn countries(v: Option<&str>) -> PyResult<Vec<String>> {
    use frontline_gazetteer::countries;
    items(v)
        .map(|item| {
            let alpha = item.bytes().all(|b| b.is_ascii_alphabetic());
            if item.len() == 2 && alpha {
                return Ok(item.to_ascii_uppercase());
            }
            let found = if item.len() == 3 && alpha {
                countries::by_iso3(item).or_else(|| countries::lookup(item))
            } else {
                countries::lookup(item)
            };
            found.map(|c| c.iso2.to_ascii_uppercase()).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "country: {item:?} is not an ISO 3166-1 code (SY, SYR) or a country name (Syria)"
                ))
            })
        })
        .collect()
}

/// The filter of `Store.events`, as the API's `/api/events` reads its parameters.
#[allow(clippy::too_many_arguments)]
fn filter(
    since: Option<&str>,
    until: Option<&str>,
    bbox: Option<&str>,
    types: Option<&str>,
    actor: Option<&str>,
    country: Option<&str>,
    text: Option<&str>,
    min_sources: Option<u32>,
    limit: Option<u32>,
    offset: Option<u32>,
    order: &str,
) -> PyResult<EventFilter> {
    let (since, until) = (day("since", since)?, day("until", until)?);
    if let (Some(s), Some(u)) = (since, until)
        && s > u
    {
        return Err(PyValueError::new_err(format!(
            "since {s} is after until {u}"
        )));
    }
    let bbox = bbox
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<BBox>().map_err(PyValueError::new_err))
        .transpose()?;
    let (mut plover_types, mut acled_types) = (Vec::new(), Vec::new());
    for t in items(types) {
        match PloverType::parse(t) {
            Some(p) => plover_types.push(p),
            None => acled_types.push(t.to_string()),
        }
    }
    let newest_first = match order {
        "oldest" => false,
        "newest" => true,
        other => {
            return Err(PyValueError::new_err(format!(
                "order: {other:?} is not one of oldest, newest"
            )));
        }
    };
    Ok(EventFilter {
        since,
        until,
        bbox,
        actor: actor
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        countries: countries(country)?,
        text: text
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        plover_types,
        acled_types,
        min_sources,
        limit,
        offset,
        newest_first,
        ..EventFilter::default()
    })
}

#[pymethods]
impl PyStore {
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let shown = path.display().to_string();
        let store = py
            .detach(|| {
                if shown == ":memory:" {
                    Store::open_in_memory()
                } else {
                    Store::open(&path)
                }
            })
            .map_err(|e| store_err(&format!("cannot open database {shown}"), e))?;
        Ok(PyStore { store, path: shown })
    }

    /// The database's path.
    #[getter]
    fn path(&self) -> String {
        self.path.clone()
    }

    /// Stores articles and extraction results, fusing reports of one event across outlets.
    ///
    /// `items` is an iterable of extraction dicts (as `extract` returns them: stored without
    /// extracting again) or of articles (a `str` or a dict with `text`, `published`,
    /// `outlet`, `url`, `title`: extracted with `pipeline`, the default pipeline when
    /// `None`). Documents already stored are counted as known and skipped. Returns counts:
    /// `{"read", "new", "known", "copies", "events", "fused_created", "fused_updated"}`.
    #[pyo3(signature = (items, pipeline=None))]
    fn ingest<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        pipeline: Option<&Bound<'py, PyPipeline>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let pipeline = match pipeline {
            Some(p) => p.get().inner(),
            None => default_pipeline()?,
        };
        let mut read = 0u64;
        let mut counts = PutCounts::default();
        let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
        let store_batch =
            |batch: Vec<Item>, read: &mut u64, counts: &mut PutCounts| -> PyResult<()> {
                let outcomes = py.detach(|| {
                    let (extracted, prepared): (Vec<Extraction>, Vec<Prepared>) = batch
                        .into_par_iter()
                        .map(|item| {
                            let ex = match item {
                                Item::Extracted(ex) => *ex,
                                Item::Article(a) => extract_one(pipeline, a),
                            };
                            let p = Prepared::of(&ex);
                            (ex, p)
                        })
                        .unzip();
                    self.store.put_prepared(&extracted, &prepared)
                });
                for o in outcomes.map_err(|e| store_err("cannot write to the database", e))? {
                    *read += 1;
                    counts.add(&o);
                }
                Ok(())
            };
        for (index, item) in items.try_iter()?.enumerate() {
            batch.push(item_of(py, &item?, index)?);
            if batch.len() == BATCH {
                store_batch(std::mem::take(&mut batch), &mut read, &mut counts)?;
            }
        }
        if !batch.is_empty() {
            store_batch(batch, &mut read, &mut counts)?;
        }
        py.detach(|| self.store.flush())
            .map_err(|e| store_err("cannot write to the database", e))?;
        let out = PyDict::new(py);
        for (name, n) in [
            ("read", read),
            ("new", counts.new),
            ("known", counts.known),
            ("copies", counts.copies),
            ("events", counts.events),
            ("fused_created", counts.fused_created),
            ("fused_updated", counts.fused_updated),
        ] {
            out.set_item(name, n)?;
        }
        Ok(out)
    }

    /// Fused events matching the API's filters as record batches in Arrow's layout (an
    /// iterator; see `frontline.Store.events_batches`), read a page at a time.
    #[pyo3(signature = (since=None, until=None, bbox=None, r#type=None, actor=None,
        country=None, text=None, min_sources=None, limit=None, offset=None, order="oldest"))]
    #[allow(clippy::too_many_arguments)]
    fn event_batches(
        slf: Py<Self>,
        since: Option<&str>,
        until: Option<&str>,
        bbox: Option<&str>,
        r#type: Option<&str>,
        actor: Option<&str>,
        country: Option<&str>,
        text: Option<&str>,
        min_sources: Option<u32>,
        limit: Option<u32>,
        offset: Option<u32>,
        order: &str,
    ) -> PyResult<EventBatches> {
        let filter = filter(
            since,
            until,
            bbox,
            r#type,
            actor,
            country,
            text,
            min_sources,
            limit,
            offset,
            order,
        )?;
        Ok(EventBatches {
            store: slf,
            filter,
            state: Mutex::new(Paging::default()),
        })
    }

    /// Row counts: `{"documents", "stories", "mentions", "events", "fused_events"}`.
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = py
            .detach(|| self.store.counts())
            .map_err(|e| store_err("cannot read the database", e))?;
        let out = PyDict::new(py);
        out.set_item("documents", c.documents)?;
        out.set_item("stories", c.stories)?;
        out.set_item("mentions", c.mentions)?;
        out.set_item("events", c.events)?;
        out.set_item("fused_events", c.fused_events)?;
        Ok(out)
    }

    fn __repr__(&self) -> String {
        format!("Store({:?})", self.path)
    }
}

/// How far an [`EventBatches`] has read.
#[derive(Default)]
struct Paging {
    /// Events read so far.
    read: u32,
    /// Whether a batch has been handed out (an empty one is, when nothing matches).
    yielded: bool,
    /// Whether the last page has been read.
    done: bool,
}

/// The iterator `Store.event_batches` returns: fused events as record batches in Arrow's
/// layout, one page of the store's query at a time, so that reading a million events never
/// holds more than a page of records (and no Python object per value).
#[pyclass(name = "EventBatches", module = "frontline", frozen)]
pub struct EventBatches {
    store: Py<PyStore>,
    filter: EventFilter,
    state: Mutex<Paging>,
}

impl EventBatches {
    /// The next page's record batch (read with the GIL released); `None` after the last.
    fn next_batch(&self, py: Python<'_>) -> PyResult<Option<Batch>> {
        let mut state = self
            .state
            .lock()
            .map_err(|_| FrontlineError::new_err("the iterator's state is poisoned"))?;
        if state.done {
            return Ok(None);
        }
        let want = self
            .filter
            .limit
            .map_or(EVENT_PAGE, |l| l.saturating_sub(state.read).min(EVENT_PAGE));
        let page = EventFilter {
            limit: Some(want),
            offset: Some(self.filter.offset.unwrap_or(0).saturating_add(state.read)),
            ..self.filter.clone()
        };
        let store = &self.store.get().store;
        let (n, batch) = py
            .detach(|| {
                let events = if want == 0 {
                    Vec::new()
                } else {
                    store.event_summaries(&page)?
                };
                let rows: Vec<AcledRow> = events
                    .iter()
                    .map(|ev| AcledRow::of(ev, country_name))
                    .collect();
                drop(events);
                let batch = acled_table(&rows).batches().into_iter().next();
                Ok::<_, frontline_store::StoreError>((rows.len(), batch))
            })
            .map_err(|e| store_err("cannot read the database", e))?;
        state.read = state.read.saturating_add(n as u32);
        state.done = (n as u32) < want || want == 0;
        if n == 0 && state.yielded {
            return Ok(None);
        }
        state.yielded = true;
        Ok(batch)
    }
}

#[pymethods]
impl EventBatches {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        self.next_batch(py)?
            .map(|b| batch_to_py(py, &b))
            .transpose()
    }
}
