//! `frontline.Pipeline`: one extraction pipeline, built once and reused, and batches of
//! articles extracted on the rayon pool with the GIL released.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;
use frontline_model::{Document, Extraction};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use rayon::prelude::*;

use crate::{Article, FrontlineError, json_to_py};

/// Articles handed to the pool at a time by `extract_many`: enough to keep every thread busy,
/// few enough that the input iterable is read lazily and memory stays bounded.
const CHUNK: usize = 1024;

/// Builds a pipeline over `gazetteer` (an index written by `frontline gazetteer import`; the
/// embedded gazetteer when `None`) with the extra dictionary folder `dictionary`.
pub fn build(gazetteer: Option<&Path>, dictionary: Option<&Path>) -> Result<Pipeline, String> {
    let geocoder =
        match gazetteer {
            Some(p) => Geocoder::open(p)
                .map_err(|e| format!("cannot open gazetteer {}: {e}", p.display()))?,
            None => Geocoder::embedded()
                .map_err(|e| format!("cannot load the embedded gazetteer: {e}"))?,
        };
    let mut pipeline = Pipeline::new(geocoder)
        .map_err(|e| format!("cannot build the extraction pipeline: {e}"))?;
    if let Some(dir) = dictionary {
        if !dir.is_dir() {
            return Err(format!(
                "cannot load dictionary folder {}: no such folder",
                dir.display()
            ));
        }
        pipeline = pipeline
            .with_data_dir(dir)
            .map_err(|e| format!("cannot load dictionary folder {}: {e}", dir.display()))?;
    }
    Ok(pipeline)
}

/// Extracts one article; a panic inside the pipeline is caught and becomes an extraction with
/// a warning and no findings (as in `frontline ingest`), so one document never ends a batch.
pub fn extract_one(pipeline: &Pipeline, article: Article) -> Extraction {
    let Article { meta, text } = article;
    let fallback = meta.clone();
    match std::panic::catch_unwind(AssertUnwindSafe(|| pipeline.extract(meta, &text))) {
        Ok(ex) => ex,
        Err(_) => {
            let mut ex = Extraction::new(Document::from_meta(fallback, text));
            ex.warnings.push(
                "extraction failed on this document (internal error); returned without findings"
                    .into(),
            );
            ex
        }
    }
}

/// [`extract_one`] serialised as the JSON contract.
pub fn extract_json(pipeline: &Pipeline, article: Article) -> PyResult<String> {
    let ex = extract_one(pipeline, article);
    serde_json::to_string(&ex)
        .map_err(|e| FrontlineError::new_err(format!("cannot serialise an extraction: {e}")))
}

/// An extraction pipeline (gazetteer, dictionaries, rules), built once and reused.
///
/// `Pipeline(gazetteer=None, dictionary=None)`: `gazetteer` is the path of an index written by
/// `frontline gazetteer import` (default: the embedded GeoNames extract); `dictionary` a folder
/// of extra actor and outlet TOML files. Building takes a fraction of a second; a pipeline is
/// safe to share between threads.
#[pyclass(name = "Pipeline", module = "frontline", frozen, subclass)]
pub struct PyPipeline {
    pipeline: Arc<Pipeline>,
    /// The pool of the last `threads=N` asked for, kept for the next call.
    pool: Mutex<Option<(usize, Arc<rayon::ThreadPool>)>>,
}

impl PyPipeline {
    /// The pipeline itself.
    pub fn inner(&self) -> &Pipeline {
        &self.pipeline
    }

    /// The pool for `threads` (`None`: rayon's global pool, one thread per core).
    fn pool(&self, threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
        let Some(n) = threads else { return Ok(None) };
        if n == 0 {
            return Err(PyValueError::new_err("threads must be at least 1"));
        }
        let mut held = self
            .pool
            .lock()
            .map_err(|_| FrontlineError::new_err("the thread pool's lock is poisoned"))?;
        if let Some((m, pool)) = held.as_ref()
            && *m == n
        {
            return Ok(Some(Arc::clone(pool)));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .thread_name(|i| format!("frontline-{i}"))
            .build()
            .map_err(|e| FrontlineError::new_err(format!("cannot start {n} threads: {e}")))?;
        let pool = Arc::new(pool);
        *held = Some((n, Arc::clone(&pool)));
        Ok(Some(pool))
    }

    /// Extracts `articles` in parallel (GIL released) into JSON texts, in input order.
    fn run_chunk(
        &self,
        py: Python<'_>,
        pool: Option<&rayon::ThreadPool>,
        articles: Vec<Article>,
    ) -> PyResult<Vec<String>> {
        let pipeline = &*self.pipeline;
        py.detach(|| {
            let work = || -> PyResult<Vec<String>> {
                articles
                    .into_par_iter()
                    .map(|a| extract_json(pipeline, a))
                    .collect()
            };
            match pool {
                Some(p) => p.install(work),
                None => work(),
            }
        })
    }
}

#[pymethods]
impl PyPipeline {
    #[new]
    #[pyo3(signature = (gazetteer=None, dictionary=None))]
    fn new(
        py: Python<'_>,
        gazetteer: Option<PathBuf>,
        dictionary: Option<PathBuf>,
    ) -> PyResult<Self> {
        let pipeline = py
            .detach(|| build(gazetteer.as_deref(), dictionary.as_deref()))
            .map_err(FrontlineError::new_err)?;
        Ok(PyPipeline {
            pipeline: Arc::new(pipeline),
            pool: Mutex::new(None),
        })
    }

    /// Extracts one article and returns the JSON contract as a dict (see `frontline.extract`).
    #[pyo3(signature = (text, published=None, outlet=None, url=None, title=None))]
    fn extract<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
        published: Option<&Bound<'py, PyAny>>,
        outlet: Option<String>,
        url: Option<String>,
        title: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let article = Article::from_args(text, published, outlet, url, title)?;
        let pipeline = &*self.pipeline;
        let json = py.detach(|| extract_json(pipeline, article))?;
        json_to_py(py, &json)
    }

    /// Extracts many articles in parallel and returns their dicts in input order.
    ///
    /// `items` is any iterable of `str` or of dicts with `text` and optionally `published`,
    /// `outlet`, `url`, `title`, `author`. It is read 1024 items at a time; each chunk is
    /// extracted on the thread pool with the GIL released. `threads=None` uses one thread
    /// per core, `threads=N` a pool of N threads. A bad item raises `TypeError` or
    /// `ValueError` naming its index, before any of its chunk is extracted.
    #[pyo3(signature = (items, threads=None))]
    fn extract_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let pool = self.pool(threads)?;
        let out = PyList::empty(py);
        let mut chunk: Vec<Article> = Vec::with_capacity(CHUNK);
        for (index, item) in items.try_iter()?.enumerate() {
            chunk.push(Article::from_item(&item?, index)?);
            if chunk.len() == CHUNK {
                for json in self.run_chunk(py, pool.as_deref(), std::mem::take(&mut chunk))? {
                    out.append(json_to_py(py, &json)?)?;
                }
            }
        }
        for json in self.run_chunk(py, pool.as_deref(), chunk)? {
            out.append(json_to_py(py, &json)?)?;
        }
        Ok(out)
    }

    /// Like `extract_many`, but returns each extraction as its JSON text (one line of
    /// `frontline extract --format jsonl`), for writers that store the contract as it is.
    #[pyo3(signature = (items, threads=None))]
    fn extract_many_json(
        &self,
        py: Python<'_>,
        items: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<String>> {
        let pool = self.pool(threads)?;
        let mut articles = Vec::new();
        for (index, item) in items.try_iter()?.enumerate() {
            articles.push(Article::from_item(&item?, index)?);
        }
        self.run_chunk(py, pool.as_deref(), articles)
    }
}
