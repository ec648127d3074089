//! Python bindings of Frontline: the native module `frontline._frontline` of the
//! `frontline-events` wheel (built with maturin; the pure-Python package around it is in
//! `python/frontline/`, its documentation in `docs/python.md`).
//!
//! Results cross into Python as the versioned JSON contract of the CLI (`docs/schema.md`):
//! each extraction is turned into dicts and lists by a serde serializer (`topy`) that builds
//! the Python objects directly, so that a dict holds exactly what `json.loads` of
//! `frontline extract`'s output holds, without writing and parsing JSON text. Tables (events, mentions, fused events) cross as
//! record batches in Arrow's layout (`columns`), which pyarrow wraps without a Python object
//! per value.

mod article;
mod columns;
mod pipeline;
mod store;
mod topy;

use std::sync::OnceLock;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pub use article::Article;
pub use pipeline::{Extractions, PyPipeline};
pub use store::{EventBatches, PyStore};

create_exception!(
    _frontline,
    FrontlineError,
    PyException,
    "An error of Frontline itself: a gazetteer or dictionary that cannot be loaded, a \
     database that cannot be opened or written."
);

/// mimalloc for Rust's allocations (the C library's `malloc`, used by Python, is not replaced):
/// the pipeline makes many small, short-lived allocations per article, and the `frontline`
/// binary uses it too, so that the package extracts as fast as the CLI.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The pipeline of the module-level `extract`, over the embedded gazetteer, built on first use.
static DEFAULT: OnceLock<Result<frontline_extract::pipeline::Pipeline, String>> = OnceLock::new();

/// The default pipeline (embedded gazetteer, built-in dictionaries).
fn default_pipeline() -> PyResult<&'static frontline_extract::pipeline::Pipeline> {
    DEFAULT
        .get_or_init(|| pipeline::build(None, None))
        .as_ref()
        .map_err(|e| FrontlineError::new_err(e.clone()))
}

/// Extracts actors, places, times, quantities and events from one article with the default
/// pipeline (embedded gazetteer) and returns the JSON contract as a dict.
///
/// `published` (a `YYYY-MM-DD` string or a `datetime.date`) anchors relative dates ("on
/// Sunday"); `outlet`, `url` and `title` are stored in the document's metadata.
#[pyfunction]
#[pyo3(signature = (text, published=None, outlet=None, url=None, title=None))]
fn extract<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    published: Option<&Bound<'py, PyAny>>,
    outlet: Option<String>,
    url: Option<String>,
    title: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let article = Article::from_args(text, published, outlet, url, title)?;
    let pipeline = default_pipeline()?;
    let ex = py.detach(|| pipeline::extract_one(pipeline, article));
    topy::Builder::new(py).build(&ex)
}

/// The native module.
#[pymodule]
fn _frontline(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SCHEMA_VERSION", frontline_model::SCHEMA_VERSION)?;
    m.add("CSV_COLUMNS", frontline_store::acled::CSV_COLUMNS.to_vec())?;
    m.add("FrontlineError", m.py().get_type::<FrontlineError>())?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(columns::event_columns, m)?)?;
    m.add_function(wrap_pyfunction!(columns::mention_columns, m)?)?;
    m.add_class::<PyPipeline>()?;
    m.add_class::<Extractions>()?;
    m.add_class::<PyStore>()?;
    m.add_class::<EventBatches>()?;
    Ok(())
}
