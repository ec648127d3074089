//! `frontline extract`: run the full extraction pipeline over articles and print the results,
//! without a database.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::ValueEnum;
use frontline_model::{DocumentMeta, Extraction, Origin};
use rayon::prelude::*;

use crate::globals::Globals;
use crate::util::{self, Input};

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
/// Prints one JSON object per document: {"schema_version", "document", "boilerplate",
/// "sentences", "mentions", "events"} (see docs/schema.md). Several inputs or a folder give one
/// JSON line per document, processed in parallel and printed in input order. A document that
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
    /// Output format [default: json for one input, jsonl for several].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
}

/// Runs `frontline extract`.
pub fn run(args: Args, globals: &Globals) -> Result<()> {
    let inputs = util::expand_inputs(&args.inputs)?;
    if inputs.is_empty() {
        bail!("no input files found in {}", display_args(&args.inputs));
    }
    if inputs.iter().filter(|i| **i == Input::Stdin).count() > 1 {
        bail!("`-` (standard input) can be given only once");
    }
    let format = args
        .format
        .unwrap_or(if inputs.len() == 1 && !args.inputs[0].is_dir() {
            Format::Json
        } else {
            Format::Jsonl
        });
    let pipeline = util::pipeline(globals)?;

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    // One JSON line is built in memory and written at once: cheaper than many small writes.
    let mut line: Vec<u8> = Vec::new();
    // Chunks bound memory on large folders while keeping output in input order.
    for chunk in inputs.chunks(256) {
        let results: Vec<Result<Done>> = chunk
            .par_iter()
            .map(|input| {
                let bytes = util::read_bytes(input)?;
                let (text, warnings) = util::decode_text(input, &bytes)?;
                let meta = DocumentMeta {
                    outlet: args.outlet.clone(),
                    published_at: args.published,
                    origin: Some(Origin {
                        format: if *input == Input::Stdin {
                            "stdin"
                        } else {
                            "text"
                        }
                        .into(),
                        path: match input {
                            Input::File(p) => Some(p.display().to_string()),
                            Input::Stdin => None,
                        },
                        ..Origin::default()
                    }),
                    ..DocumentMeta::default()
                };
                let mut extraction = pipeline.extract(meta, &text);
                extraction.warnings.splice(0..0, warnings);
                Ok(if format == Format::Jsonl {
                    Done::Line(jsonl_line(&extraction))
                } else {
                    Done::Extraction(extraction)
                })
            })
            .collect();
        for result in results {
            match result {
                Ok(Done::Line(rendered)) => out.write_all(&rendered?)?,
                Ok(Done::Extraction(extraction)) => {
                    write_one(&mut out, &mut line, &extraction, format)?;
                }
                Err(err) => {
                    failed += 1;
                    eprintln!("error: {err:#} (skipped)");
                }
            }
        }
    }
    out.flush()?;
    if failed == inputs.len() {
        bail!("no document could be processed");
    }
    if failed > 0 {
        eprintln!("{failed} of {} input(s) skipped", inputs.len());
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

thread_local! {
    /// Each thread's buffer for rendering a JSON line; the line is then copied out at its size.
    static LINE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The JSON line of `extraction`, newline included: what `write_one` writes for `jsonl`.
fn jsonl_line(extraction: &Extraction) -> std::result::Result<Vec<u8>, crate::json::JsonError> {
    LINE.with(|cell| {
        let mut fresh = Vec::new();
        let mut borrowed = cell.try_borrow_mut();
        let line = match &mut borrowed {
            Ok(line) => &mut **line,
            Err(_) => &mut fresh,
        };
        line.clear();
        crate::json::append(line, extraction)?;
        line.push(b'\n');
        Ok(line.clone())
    })
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
