//! `frontline ingest`: read articles, extract events, store them, fuse reports.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use frontline_extract::pipeline::Pipeline;
use frontline_ingest::{JsonlFields, Options, RawDocument};
use frontline_model::Extraction;
use frontline_store::{BackgroundCheckpoint, Prepared, PutCounts, PutOutcome, Store};
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::globals::Globals;

/// Read articles, extract events and store them, fusing reports of one event across outlets.
///
/// Inputs are files, folders (read recursively) or `-` for standard input (streamed). Each
/// file's format is recognised from its content: plain text (with optional front matter:
/// `outlet:`, `title:`, `published:`, `url:` lines, then `---`), HTML pages, RSS/Atom/JSON
/// feeds, WARC or WARC.gz web archives, JSON Lines (gzip-compressed inputs are opened
/// transparently). Character sets are decoded by BOM, declaration, then detection. Feed
/// items bring in only their own text unless --feed-local-pages is given. See docs/inputs.md.
///
/// Ingesting is idempotent and resumable: a document already stored (same cleaned text) is
/// counted as "already known" and skipped, and every batch is committed whole, so an
/// interrupted run can simply be started again. A document that cannot be read is reported
/// and skipped; the run goes on.
///
/// Examples:
///
///   frontline ingest ./articles/
///   frontline ingest --db events.db crawl.warc.gz feeds/*.xml
///   frontline ingest --published 2017-06-18 --outlet "Wire" story.txt
///   zcat dump.jsonl.gz | frontline ingest --jsonl-text-field body -
///   frontline extract ./articles/ --format jsonl > out.jsonl && frontline ingest --extractions out.jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Files, folders or `-` (standard input).
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<String>,
    /// Database file (created if missing). Default: frontline.db in the platform data dir.
    #[arg(long, value_name = "PATH", env = "FRONTLINE_DB")]
    pub db: Option<PathBuf>,
    /// Publication date for documents that carry none (resolves "on Monday").
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::util::parse_date)]
    pub published: Option<NaiveDate>,
    /// Outlet name for documents that carry none.
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// Documents extracted together; each is committed in one transaction, with the batches
    /// that wait for the writer when it is behind.
    #[arg(long, default_value_t = 256, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch_size: u32,
    /// Worker threads for extraction (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// JSON Lines: field holding the text (dotted paths reach into objects: `doc.body`).
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub jsonl_text_field: String,
    /// JSON Lines: field holding the headline.
    #[arg(long, default_value = "title", value_name = "FIELD")]
    pub jsonl_title_field: String,
    /// JSON Lines: field holding the URL.
    #[arg(long, default_value = "url", value_name = "FIELD")]
    pub jsonl_url_field: String,
    /// JSON Lines: field holding the outlet.
    #[arg(long, default_value = "outlet", value_name = "FIELD")]
    pub jsonl_outlet_field: String,
    /// JSON Lines: field holding the publication date.
    #[arg(long, default_value = "published", value_name = "FIELD")]
    pub jsonl_published_field: String,
    /// JSON Lines: field holding the author.
    #[arg(long, default_value = "author", value_name = "FIELD")]
    pub jsonl_author_field: String,
    /// Largest single document or archive record, in MiB (larger ones are skipped).
    #[arg(long, default_value_t = 32, value_name = "MIB")]
    pub max_record_mib: u64,
    /// Page cache of the database writer, in MiB. A larger one keeps more of a large
    /// database's pages in memory, so the writer reads fewer back from the file (see
    /// docs/performance.md); it is filled as pages are read, so memory use grows by up to this
    /// much.
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub cache_mib: u32,
    /// Print every skipped document and every document read with warnings (by default the
    /// first 20 of each are printed, then a count).
    #[arg(long)]
    pub show_all_skipped: bool,
    /// The inputs are extraction outputs, stored and fused as they are, without extracting
    /// again: JSON Lines of the extraction contract (`frontline extract --format jsonl`, the
    /// Python package's `extract_many_json`, gzip or not), or, in a build with the `parquet`
    /// feature, Parquet files with an `extraction` column holding that JSON (the Spark
    /// recipe's output, examples/spark/).
    #[arg(long)]
    pub extractions: bool,
    #[command(flatten)]
    pub read: crate::util::ReadArgs,
}

/// One document of a batch: read, to be extracted, or already extracted (`--extractions`).
enum Work {
    Read(RawDocument),
    Extracted(Box<Extraction>),
}

/// What a run did.
#[derive(Debug, Default)]
struct Summary {
    read: u64,
    /// What the documents read became in the store.
    stored: PutCounts,
    skipped: u64,
    skipped_by_reason: BTreeMap<String, u64>,
    /// Feed item links that were not read (local files refused).
    links_not_followed: u64,
    /// Documents read with warnings (a guessed character set, an unreadable date...).
    warned: u64,
}

/// A batch of extractions with what storing each needs besides the database.
type Batch = (Vec<Extraction>, Vec<Prepared>);

/// The writer thread: the store and what each document became, once the channel closes.
type Writer = std::thread::JoinHandle<Result<(Store, Vec<PutOutcome>)>>;

/// Extracted batches that may wait for the writer; when it is behind, it commits them with
/// the batch it takes, in one transaction.
const QUEUED_BATCHES: usize = 3;

/// Lowers the scheduling priority of the calling thread by [`EXTRACTION_NICENESS`] (on Linux,
/// a thread's nice value is its own; elsewhere nothing is changed).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getpriority_process, setpriority_process};
        let lowered = getpriority_process(None)
            .and_then(|nice| setpriority_process(None, (nice + EXTRACTION_NICENESS).min(19)));
        if let Err(e) = lowered {
            tracing::debug!("cannot lower the priority of an extraction thread: {e}");
        }
    }
}

/// How much lower than the writer's the extraction threads' priority is (nice levels).
#[cfg(target_os = "linux")]
const EXTRACTION_NICENESS: i32 = 10;

/// Runs `frontline ingest`: inputs are read on this thread, extracted in batches on the rayon
/// pool, and stored by the writer thread ([`spawn_writer`]) while the next batch is extracted.
// The signature is shared by every subcommand (see cmd/mod.rs).
#[allow(clippy::needless_pass_by_value)]
pub fn run(args: Args, globals: &Globals) -> Result<()> {
    // Inputs are checked before the database is created: a mistyped path leaves nothing.
    let inputs = crate::util::reader_inputs(&args.inputs)?;
    let db = match &args.db {
        Some(p) => p.clone(),
        None => frontline_store::default_db_path()
            .context("no home directory to put the default database in; pass --db PATH")?,
    };
    build_pool(args.threads);
    let (store, checkpointer) = open_store(&db, args.cache_mib)?;
    let pipeline = crate::util::pipeline(globals)?;

    // For files of known size, progress is shown against their total (bytes read from disk),
    // with an ETA; for standard input, as a count of documents.
    let options = read_options(&args);
    let total = frontline_ingest::total_size(&inputs, options.include_hidden);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let options = Options {
        bytes_read: total.map(|_| Arc::clone(&bytes_read)),
        ..options
    };
    let progress = crate::util::progress_bar(globals.quiet, total, "documents");
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut notices = Notices::new(args.show_all_skipped);
    let batch_size = args.batch_size as usize;

    // What storing needs besides the database (copy-detection keys, JSON) is prepared with the
    // extraction, on the worker threads, so the writer (the bottleneck on two cores) only writes.
    let (tx, rx) = mpsc::sync_channel::<Batch>(QUEUED_BATCHES);
    let writer = spawn_writer(store, rx)?;

    let mut batch: Vec<Work> = Vec::with_capacity(batch_size);
    let mut send_failed = false;
    let flush = |batch: &mut Vec<Work>, summary: &mut Summary| -> bool {
        if batch.is_empty() {
            return true;
        }
        let (extracted, prepared) = extract_batch(&pipeline, std::mem::take(batch), &args);
        summary.read += extracted.len() as u64;
        if total.is_some() {
            progress.set_position(bytes_read.load(Ordering::Relaxed));
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            progress.set_message(format!(
                "{} documents ({})",
                indicatif::HumanCount(summary.read),
                crate::util::rate(summary.read as f64 / secs)
            ));
        } else {
            progress.inc(extracted.len() as u64);
        }
        tx.send((extracted, prepared)).is_ok()
    };
    for item in work_items(inputs, options, args.extractions) {
        match item {
            Ok(work) => {
                if let Work::Read(raw) = &work {
                    notices.read(raw, &mut summary, &progress);
                }
                batch.push(work);
                if batch.len() >= batch_size && !flush(&mut batch, &mut summary) {
                    send_failed = true;
                    break;
                }
            }
            Err(e) => notices.skipped(&e, &mut summary, &progress),
        }
    }
    if !send_failed {
        flush(&mut batch, &mut summary);
    }
    drop(tx);
    let (store, outcomes) = writer
        .join()
        .map_err(|_| anyhow::anyhow!("the database writer thread panicked"))??;
    drop(checkpointer);
    store
        .checkpoint_automatically()
        .context("cannot write to the database")?;
    progress.finish_and_clear();

    summary.tally(&outcomes);
    let elapsed = started.elapsed();
    let counts = store.counts().context("cannot count database rows")?;
    print_summary(&summary, elapsed, &db, &counts, notices.printed_skips)?;
    if summary.read == 0 && summary.skipped > 0 {
        bail!("no document could be read ({} skipped)", summary.skipped);
    }
    Ok(())
}

/// Builds the global rayon pool for extraction, `threads` wide (default: one per core).
///
/// The extraction threads run at a lower priority than the writer: the writer is the
/// bottleneck, and with as many extraction threads as cores it otherwise waited for a core for
/// a sixth of its time; at low priority they still take every idle moment.
fn build_pool(threads: Option<usize>) {
    let mut pool = rayon::ThreadPoolBuilder::new().start_handler(|_| lower_priority());
    if let Some(n) = threads {
        pool = pool.num_threads(n.max(1));
    }
    // Fails only if a global pool already exists, which is harmless.
    let _ = pool.build_global();
}

/// Opens (or creates) the database with the writer's page cache, and starts checkpointing its
/// WAL on a thread of its own, so the writer rarely waits for the disk.
fn open_store(
    db: &std::path::Path,
    cache_mib: u32,
) -> Result<(Store, Option<BackgroundCheckpoint>)> {
    let store =
        Store::open(db).with_context(|| format!("cannot open database {}", db.display()))?;
    store
        .set_cache_mib(cache_mib)
        .with_context(|| format!("cannot set the page cache of database {}", db.display()))?;
    let checkpointer = store
        .checkpoint_in_background()
        .with_context(|| format!("cannot open database {}", db.display()))?;
    Ok((store, checkpointer))
}

/// The readers' options from the command line.
fn read_options(args: &Args) -> Options {
    Options {
        feed_local_pages: args.read.feed_local_pages,
        jsonl: JsonlFields {
            text: args.jsonl_text_field.clone(),
            title: args.jsonl_title_field.clone(),
            url: args.jsonl_url_field.clone(),
            outlet: args.jsonl_outlet_field.clone(),
            published: args.jsonl_published_field.clone(),
            author: args.jsonl_author_field.clone(),
            ..JsonlFields::default()
        },
        max_record_bytes: args.max_record_mib.max(1) << 20,
        ..Options::default()
    }
}

/// The documents to store, in input order: read and to be extracted, or extraction outputs
/// read back (`--extractions`).
fn work_items(
    inputs: Vec<frontline_ingest::Input>,
    options: Options,
    extractions: bool,
) -> Box<dyn Iterator<Item = Result<Work, frontline_ingest::IngestError>>> {
    if extractions {
        Box::new(
            frontline_ingest::read_extractions(inputs, options)
                .map(|r| r.map(|ex| Work::Extracted(Box::new(ex)))),
        )
    } else {
        Box::new(frontline_ingest::read_inputs(inputs, options).map(|r| r.map(Work::Read)))
    }
}

/// Extracts a batch on the rayon pool (documents already extracted pass through) and prepares
/// what storing each needs besides the database.
fn extract_batch(pipeline: &Pipeline, docs: Vec<Work>, args: &Args) -> Batch {
    docs.into_par_iter()
        .map(|work| {
            let ex = match work {
                Work::Read(raw) => extract_one(pipeline, raw, args),
                Work::Extracted(ex) => *ex,
            };
            let prepared = Prepared::of(&ex);
            (ex, prepared)
        })
        .unzip()
}

/// Starts the writer thread, which stores each extracted batch in one transaction and hands
/// back the store and what each document became once the channel closes.
fn spawn_writer(store: Store, rx: mpsc::Receiver<Batch>) -> Result<Writer> {
    std::thread::Builder::new()
        .name("frontline-writer".into())
        .spawn(move || -> Result<(Store, Vec<PutOutcome>)> {
            let mut outcomes = Vec::new();
            while let Ok((mut batch, mut prepared)) = rx.recv() {
                // When the writer has fallen behind, the batches waiting for it are committed
                // together: each commit rewrites the index pages and fused events that many
                // documents share, so fewer commits write fewer pages.
                for _ in 0..QUEUED_BATCHES {
                    let Ok((more, more_prepared)) = rx.try_recv() else {
                        break;
                    };
                    batch.extend(more);
                    prepared.extend(more_prepared);
                }
                outcomes.extend(
                    store
                        .put_prepared(&batch, &prepared)
                        .context("cannot write to the database")?,
                );
                // Freeing a batch's extractions is left to the extraction threads.
                rayon::spawn(move || drop((batch, prepared)));
            }
            // The copy-detection rows the writer still holds in memory.
            store.flush().context("cannot write to the database")?;
            Ok((store, outcomes))
        })
        .context("cannot start the database writer thread")
}

/// The warnings and skips printed during a run: the first 20 of each, or all with
/// `--show-all-skipped`; every one is counted in the summary.
struct Notices {
    show_all: bool,
    printed_skips: usize,
    printed_warnings: usize,
}

impl Notices {
    fn new(show_all: bool) -> Self {
        Self {
            show_all,
            printed_skips: 0,
            printed_warnings: 0,
        }
    }

    /// Counts (and prints) a document read with warnings, and the feed links not followed.
    fn read(&mut self, raw: &RawDocument, summary: &mut Summary, progress: &ProgressBar) {
        if !raw.warnings.is_empty() {
            summary.warned += 1;
            if self.show_all || self.printed_warnings < 20 {
                let name = crate::util::document_name(&raw.meta);
                progress.suspend(|| {
                    for w in &raw.warnings {
                        eprintln!("warning: {name}: {w}");
                    }
                });
                self.printed_warnings += 1;
            }
        }
        summary.links_not_followed += raw
            .warnings
            .iter()
            .filter(|w| w.starts_with(frontline_ingest::LINK_NOT_FOLLOWED))
            .count() as u64;
    }

    /// Counts (and prints) a document that could not be read.
    fn skipped(
        &mut self,
        e: &frontline_ingest::IngestError,
        summary: &mut Summary,
        progress: &ProgressBar,
    ) {
        summary.skipped += 1;
        summary.links_not_followed += u64::from(e.reason == "link_refused");
        *summary
            .skipped_by_reason
            .entry(e.reason.to_string())
            .or_insert(0) += 1;
        if self.show_all || self.printed_skips < 20 {
            progress.suspend(|| eprintln!("skipped: {e}"));
            self.printed_skips += 1;
        }
    }
}

impl Summary {
    /// Adds what the writer did with each document.
    fn tally(&mut self, outcomes: &[PutOutcome]) {
        for o in outcomes {
            self.stored.add(o);
        }
    }
}

/// Extracts one document, applying the command-line defaults; a panic inside the pipeline is
/// caught and turned into an extraction with a warning, so one document never ends the run.
fn extract_one(pipeline: &Pipeline, raw: RawDocument, args: &Args) -> Extraction {
    let RawDocument {
        mut meta,
        text,
        warnings,
    } = raw;
    if meta.published_at.is_none() {
        meta.published_at = args.published;
    }
    if meta.outlet.is_none() {
        meta.outlet.clone_from(&args.outlet);
    }
    let fallback_meta = meta.clone();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| pipeline.extract(meta, &text)));
    let mut ex = match result {
        Ok(ex) => ex,
        Err(_) => {
            let mut ex = Extraction::new(frontline_model::Document::from_meta(
                fallback_meta,
                text.clone(),
            ));
            ex.warnings.push(
                "extraction failed on this document (internal error); stored without findings"
                    .into(),
            );
            ex
        }
    };
    let mut all = warnings;
    all.append(&mut ex.warnings);
    ex.warnings = all;
    ex
}

fn print_summary(
    s: &Summary,
    elapsed: Duration,
    db: &std::path::Path,
    counts: &frontline_store::StoreCounts,
    printed_skips: usize,
) -> std::io::Result<()> {
    let secs = elapsed.as_secs_f64().max(1e-9);
    outln!(
        "read {} documents in {:.1} s ({:.0} documents/s)",
        s.read,
        secs,
        s.read as f64 / secs
    )?;
    outln!(
        "  new: {}  (copies of earlier stories: {})  already known: {}  skipped: {}",
        s.stored.new,
        s.stored.copies,
        s.stored.known,
        s.skipped
    )?;
    if !s.skipped_by_reason.is_empty() {
        let reasons: Vec<String> = s
            .skipped_by_reason
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        outln!("  skipped by reason: {}", reasons.join(", "))?;
        if (printed_skips as u64) < s.skipped {
            outln!(
                "  ({} skipped documents not shown; use --show-all-skipped)",
                s.skipped - printed_skips as u64
            )?;
        }
    }
    if s.warned > 0 {
        outln!(
            "  documents read with warnings: {}{}",
            s.warned,
            if s.warned > 20 {
                " (the first 20 are on stderr; --show-all-skipped shows all)"
            } else {
                " (on stderr)"
            }
        )?;
    }
    if s.links_not_followed > 0 {
        outln!(
            "  feed links not followed (local files; see --feed-local-pages): {}",
            s.links_not_followed
        )?;
    }
    outln!(
        "  events: {}  fused events: {} new, {} updated with further reports",
        s.stored.events,
        s.stored.fused_created,
        s.stored.fused_updated
    )?;
    outln!(
        "database {}: {} documents, {} stories, {} events, {} fused events",
        db.display(),
        counts.documents,
        counts.stories,
        counts.events,
        counts.fused_events
    )?;
    Ok(())
}
