//! `frontline extract`: run the full extraction pipeline over articles and print the results,
//! without a database.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::ValueEnum;
use frontline_model::Extraction;
use rayon::prelude::*;

use crate::globals::Globals;
use crate::util;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One pretty-printed JSON object per document.
    Json,
    /// One JSON object per line (the default for several inputs or a folder).
    Jsonl,
    /// A readable summary for people.
    Table,
}

/// Extract actors, places, times, quantities and events from articles.
///
/// Inputs are read as `frontline ingest` reads them (format recognised from the content: plain
/// text with optional front matter, HTML, RSS/Atom/JSON feeds, WARC, JSON Lines, gzip).
/// Prints one JSON object per document: {"schema_version", "document", "boilerplate",
/// "sentences", "mentions", "events"} (see docs/schema.md). Several documents give one
/// JSON line each, processed in parallel and printed in input order. A document that
/// cannot be read is reported on stderr and skipped. One document may be up to 64 MiB (time is
/// linear in its length; its results take about 100 bytes of memory per byte of text).
///
/// Examples:
///
///   frontline extract article.txt --published 2017-06-18
///
///   frontline extract ./articles/ --format jsonl > out.jsonl
///
///   curl -s https://example.org/story.txt | frontline extract - --format table
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Files, folders (read recursively) or `-` for standard input.
    #[arg(required = true, value_name = "FILE|DIR|-")]
    pub inputs: Vec<PathBuf>,
    /// Publication date; relative dates ("Sunday", "a day after") resolve against it.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = util::parse_date)]
    pub published: Option<NaiveDate>,
    /// Outlet that published the articles (e.g. "Associated Press").
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// Output format [default: json for one file holding one document, jsonl otherwise].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    #[command(flatten)]
    pub read: util::ReadArgs,
}

/// Runs `frontline extract`.
pub fn run(args: Args, globals: &Globals) -> Result<()> {
    let inputs = util::reader_inputs(&args.inputs)?;
    let single_file = inputs.len() == 1 && !args.inputs[0].is_dir();
    let pipeline = util::pipeline(globals)?;
    // Progress on stderr when the results go elsewhere than the terminal (`> out.jsonl`):
    // against the inputs' total size when it is known.
    let total = frontline_ingest::total_size(&inputs, false);
    let bytes_read = Arc::new(AtomicU64::new(0));
    let options = frontline_ingest::Options {
        bytes_read: total.map(|_| Arc::clone(&bytes_read)),
        ..args.read.options(util::MAX_INPUT_BYTES)
    };
    let progress = util::progress_bar(
        globals.quiet || std::io::stdout().is_terminal(),
        total,
        "documents",
    );
    let started = std::time::Instant::now();
    let mut docs = frontline_ingest::read_inputs(inputs, options).peekable();

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut total_docs = 0usize;
    let mut chosen = args.format;
    // One JSON line is built in memory and written at once: cheaper than many small writes.
    let mut line: Vec<u8> = Vec::new();
    let buffers = LineBuffers::default();
    // Chunks bound memory on large folders and archives while keeping output in input order.
    loop {
        let chunk: Vec<_> = docs.by_ref().take(256).collect();
        if chunk.is_empty() {
            break;
        }
        total_docs += chunk.len();
        // One pretty JSON object for one file that holds one document; JSON lines otherwise.
        let format = *chosen.get_or_insert(
            if single_file && chunk.len() == 1 && docs.peek().is_none() {
                Format::Json
            } else {
                Format::Jsonl
            },
        );
        let results: Vec<Result<Done, frontline_ingest::IngestError>> = chunk
            .into_par_iter()
            .map(|item| {
                let raw = item?;
                let name = util::document_name(&raw.meta);
                for w in &raw.warnings {
                    tracing::warn!("{name}: {w}");
                }
                let mut meta = raw.meta;
                if meta.outlet.is_none() {
                    meta.outlet.clone_from(&args.outlet);
                }
                if meta.published_at.is_none() {
                    meta.published_at = args.published;
                }
                let mut extraction = pipeline.extract(meta, &raw.text);
                extraction.warnings.splice(0..0, raw.warnings);
                Ok(if format == Format::Jsonl {
                    Done::Line(jsonl_line(&extraction, buffers.take()))
                } else {
                    Done::Extraction(extraction)
                })
            })
            .collect();
        for result in results {
            match result {
                Ok(Done::Line(rendered)) => {
                    let rendered = rendered?;
                    out.write_all(&rendered)?;
                    buffers.give_back(rendered);
                }
                Ok(Done::Extraction(extraction)) => {
                    write_one(&mut out, &mut line, &extraction, format)?;
                }
                Err(err) => {
                    failed += 1;
                    progress.suspend(|| eprintln!("error: {err} (skipped)"));
                }
            }
        }
        if total.is_some() {
            progress.set_position(bytes_read.load(Ordering::Relaxed));
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            progress.set_message(format!(
                "{} documents ({})",
                indicatif::HumanCount(total_docs as u64),
                util::rate(total_docs as f64 / secs)
            ));
        } else {
            progress.set_position(total_docs as u64);
        }
    }
    progress.finish_and_clear();
    out.flush()?;
    if total_docs == 0 {
        bail!("no input files found in {}", display_args(&args.inputs));
    }
    if failed == total_docs {
        bail!("no document could be processed");
    }
    if failed > 0 {
        eprintln!("{failed} of {total_docs} document(s) skipped");
    }
    Ok(())
}

/// What the extraction of one input hands to the thread that prints.
enum Done {
    /// The JSON line (`--format jsonl`), rendered where the document was extracted, so that
    /// the extraction is also dropped there (freeing memory on the thread that allocated it is
    /// cheaper) and lines are rendered in parallel.
    Line(std::result::Result<Vec<u8>, crate::json::JsonError>),
    /// The extraction, for the other formats.
    Extraction(Extraction),
}

/// Buffers for JSON lines, used again and again: the thread that renders a line takes one,
/// the printing thread gives it back once the line is written (so lines are neither copied
/// nor their buffers freed and regrown).
#[derive(Default)]
struct LineBuffers(std::sync::Mutex<Vec<Vec<u8>>>);

impl LineBuffers {
    /// Larger buffers (from very long documents) are freed rather than kept.
    const KEEP_AT_MOST: usize = 1 << 20;

    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_default()
    }

    fn give_back(&self, mut buffer: Vec<u8>) {
        if buffer.capacity() > Self::KEEP_AT_MOST {
            return;
        }
        buffer.clear();
        if let Ok(mut free) = self.0.lock() {
            free.push(buffer);
        }
    }
}

/// The JSON line of `extraction`, newline included (what `write_one` writes for `jsonl`),
/// written into `buffer` (emptied first).
fn jsonl_line(
    extraction: &Extraction,
    mut buffer: Vec<u8>,
) -> std::result::Result<Vec<u8>, crate::json::JsonError> {
    buffer.clear();
    // A line is 11 to 32 times as long as the document's text (generated corpus): sized so
    // that it rarely regrows (each regrowth copies what was written).
    let text_len = extraction.document.text.len();
    buffer.reserve(
        text_len
            .saturating_mul(32)
            .saturating_add(4096)
            .min(LineBuffers::KEEP_AT_MOST),
    );
    crate::json::append(&mut buffer, extraction)?;
    buffer.push(b'\n');
    Ok(buffer)
}

fn display_args(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_one(
    out: &mut impl Write,
    line: &mut Vec<u8>,
    extraction: &Extraction,
    format: Format,
) -> Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, extraction)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            line.clear();
            crate::json::append(line, extraction)?;
            line.push(b'\n');
            out.write_all(line)?;
        }
        Format::Table => crate::table::write_extraction(out, extraction)?,
    }
    Ok(())
}
