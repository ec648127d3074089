//! `frontline.Pipeline`: one extraction pipeline, built once and reused, and batches of
//! articles extracted on the rayon pool with the GIL released.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, TryLockError};

use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;
use frontline_model::{Document, Extraction};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyIterator;
use rayon::prelude::*;

use crate::topy::{Builder, Names};
use crate::{Article, FrontlineError};

/// Most articles handed to the pool at a time by `extract_many`: enough to keep every thread
/// busy, few enough that memory stays bounded (two chunks are held: one being handed out, one
/// being extracted).
const MAX_CHUNK: usize = 1024;

/// Articles per thread in one chunk, and the fewest in a chunk.
const PER_THREAD: usize = 32;

/// The chunk size for a pool (`None`: rayon's global pool).
fn chunk_size(pool: Option<&rayon::ThreadPool>) -> usize {
    let threads = pool.map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    threads
        .saturating_mul(PER_THREAD)
        .clamp(PER_THREAD, MAX_CHUNK)
}

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

/// [`extract_one`] serialised as the JSON contract (the bytes `frontline extract` writes).
pub fn extract_json(pipeline: &Pipeline, article: Article) -> PyResult<String> {
    let ex = extract_one(pipeline, article);
    let mut out = Vec::new();
    frontline_model::json::append(&mut out, &ex)
        .map_err(|e| FrontlineError::new_err(format!("cannot serialise an extraction: {e}")))?;
    String::from_utf8(out)
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
        let ex = py.detach(|| extract_one(pipeline, article));
        Builder::new(py).build(&ex)
    }

    /// Extracts many articles in parallel and yields their dicts in input order, lazily.
    ///
    /// `items` is any iterable of `str` or of dicts with `text` and optionally `published`,
    /// `outlet`, `url`, `title`, `author`. The result is an iterator (`Extractions`): it reads
    /// `items` a chunk at a time, extracts each chunk on the thread pool with the GIL released
    /// while the previous chunk's dicts are handed out, and builds each dict when it is asked
    /// for. `list(p.extract_many(items))` gives the list earlier versions returned.
    /// `threads=None` uses one thread per core, `threads=N` a pool of N threads. A bad item
    /// raises `TypeError` or `ValueError` naming its index once the results before its chunk
    /// have been yielded.
    #[pyo3(signature = (items, threads=None))]
    fn extract_many(
        &self,
        items: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Extractions> {
        let pool = self.pool(threads)?;
        let chunk = chunk_size(pool.as_deref());
        Ok(Extractions {
            state: Mutex::new(Feed {
                pipeline: Arc::clone(&self.pipeline),
                pool,
                chunk,
                source: Some(items.try_iter()?.unbind()),
                next_index: 0,
                ready: VecDeque::new(),
                in_flight: None,
                deferred: None,
                names: Names::default(),
            }),
        })
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

/// The iterator `Pipeline.extract_many` returns: extraction dicts in input order.
///
/// It reads its input a chunk at a time and extracts the next chunk on the thread pool while
/// the current one is handed out; each dict is built (in Rust) when it is asked for.
#[pyclass(name = "Extractions", module = "frontline", frozen)]
pub struct Extractions {
    state: Mutex<Feed>,
}

#[pymethods]
impl Extractions {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let mut feed = match self.state.try_lock() {
            Ok(feed) => feed,
            Err(TryLockError::WouldBlock) => {
                return Err(PyRuntimeError::new_err(
                    "extract_many: this iterator is already being read by another thread",
                ));
            }
            Err(TryLockError::Poisoned(_)) => {
                return Err(FrontlineError::new_err(
                    "extract_many: the iterator's state is poisoned",
                ));
            }
        };
        let Some(ex) = feed.next(py)? else {
            return Ok(None);
        };
        let mut builder = Builder::with_names(py, std::mem::take(&mut feed.names));
        let dict = builder.build(&ex);
        feed.names = builder.into_names();
        dict.map(Some)
    }
}

/// The state of one `extract_many` iteration.
struct Feed {
    pipeline: Arc<Pipeline>,
    pool: Option<Arc<rayon::ThreadPool>>,
    /// Articles per chunk.
    chunk: usize,
    /// The input, until it is exhausted or fails.
    source: Option<Py<PyIterator>>,
    /// The index of the next input item (for messages).
    next_index: usize,
    /// Extracted, not yet handed out.
    ready: VecDeque<Extraction>,
    /// The chunk being extracted.
    in_flight: Option<Receiver<Vec<Extraction>>>,
    /// An input error met while reading ahead, raised once the results before it are out.
    deferred: Option<PyErr>,
    /// Python strings of the contract's keys, kept between items.
    names: Names,
}

impl Feed {
    /// The next extraction, waiting (GIL released) for its chunk; `None` at the end.
    fn next(&mut self, py: Python<'_>) -> PyResult<Option<Extraction>> {
        loop {
            if let Some(ex) = self.ready.pop_front() {
                return Ok(Some(ex));
            }
            if let Some(rx) = self.in_flight.take() {
                let done = py.detach(move || rx.recv()).map_err(|_| {
                    FrontlineError::new_err("extract_many: a worker stopped without results")
                })?;
                self.ready.extend(done);
                // Read ahead: the pool extracts the next chunk while this one is handed out.
                if let Err(e) = self.submit(py) {
                    self.deferred = Some(e);
                }
                continue;
            }
            if let Some(e) = self.deferred.take() {
                return Err(e);
            }
            self.submit(py)?;
            if self.in_flight.is_none() {
                return Ok(None);
            }
        }
    }

    /// Reads the next chunk of the input and starts extracting it on the pool; reads nothing
    /// once the input is exhausted. A bad item (or an error of the input) ends the input.
    fn submit(&mut self, py: Python<'_>) -> PyResult<()> {
        let Some(source) = self.source.as_ref() else {
            return Ok(());
        };
        let mut source = source.bind(py).clone();
        let mut articles = Vec::with_capacity(self.chunk);
        while articles.len() < self.chunk {
            let read = match source.next() {
                None => {
                    self.source = None;
                    break;
                }
                Some(item) => item.and_then(|item| Article::from_item(&item, self.next_index)),
            };
            match read {
                Ok(article) => {
                    articles.push(article);
                    self.next_index += 1;
                }
                Err(e) => {
                    self.source = None;
                    return Err(e);
                }
            }
        }
        if articles.is_empty() {
            return Ok(());
        }
        let (tx, rx) = mpsc::sync_channel(1);
        let pipeline = Arc::clone(&self.pipeline);
        let job = move || {
            let done: Vec<Extraction> = articles
                .into_par_iter()
                .map(|a| extract_one(&pipeline, a))
                .collect();
            // The iterator may have been dropped: its results are then not wanted.
            let _ = tx.send(done);
        };
        match &self.pool {
            Some(pool) => pool.spawn(job),
            None => rayon::spawn(job),
        }
        self.in_flight = Some(rx);
        Ok(())
    }
}
