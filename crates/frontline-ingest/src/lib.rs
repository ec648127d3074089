//! Readers that turn files, folders, feeds, web archives and standard input into raw documents
//! for Frontline's pipeline.
//!
//! The format of each input is chosen by sniffing its first bytes, not its name: a `.txt` that
//! holds HTML is read as HTML, and a gzip stream is opened and sniffed again (so `.warc.gz`
//! and `.jsonl.gz` work whatever they are called). Supported:
//!
//! - plain text (one document per file), with optional front matter (`outlet:`, `title:`,
//!   `published:`, `url:`, `author:`, `language:` lines, then a `---` line; see the
//!   `frontmatter` module and docs/ingest.md);
//! - HTML pages: main text by Readability ([`dom_smoothie`]), with title, outlet, author and
//!   publication date from `<meta>`, OpenGraph and JSON-LD;
//! - RSS, Atom and JSON Feed: one document per item, from its inline content; the page an item
//!   links to is read only when [`Options::feed_local_pages`] is set and it is a file inside the
//!   feed's own folder (never a `file:` URL, never outside the folder);
//! - WARC and WARC.gz (Common Crawl style): `response` and `resource` records holding HTML,
//!   and `conversion` records (WET) holding text;
//! - JSON Lines, with configurable field names ([`JsonlFields`]);
//! - standard input (`-`), in any of these formats.
//!
//! [`read_inputs`] yields one `Result<RawDocument, IngestError>` per document, so one bad record
//! is reported and skipped without ending the run. Every document keeps its [`Origin`]: reader,
//! path, and record index and byte offset inside multi-record files.

mod charset;
mod dates;
mod extractions;
mod feed;
mod frontmatter;
mod html;
mod jsonl;
mod sniff;
mod warc;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use frontline_model::{DocumentMeta, Origin};

pub use charset::{DecodedText, decode_text};
pub use dates::{DateError, DateReading, parse_date, read_date};
pub use extractions::{Extractions, parse_extraction, read_extractions};
pub use feed::LINK_NOT_FOLLOWED;
pub use html::{HtmlPage, read_html};
pub use jsonl::JsonlFields;
pub use sniff::{Format, sniff};

/// One document as read, before cleaning and extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    /// What is known about it (origin always set).
    pub meta: DocumentMeta,
    /// Its raw text (for HTML, the main text Readability found, one paragraph per line).
    pub text: String,
    /// Non-fatal problems met while reading it (bytes replaced, a guessed character set, a
    /// publication date that could not be read, a feed link not followed, a WARC record cut).
    /// Callers show them with the document's name; they are also kept with its extraction.
    pub warnings: Vec<String>,
}

/// Why an input or record was skipped.
#[derive(Debug, thiserror::Error)]
#[error("{input}: {problem}")]
pub struct IngestError {
    /// The input: a path, `-`, or a path with a record number and offset.
    pub input: String,
    /// What went wrong.
    pub problem: String,
    /// A short stable reason code for summaries (`io`, `binary`, `empty`, `too_large`,
    /// `malformed`, `no_text`, `unsupported`, `link_refused`).
    pub reason: &'static str,
}

impl IngestError {
    pub(crate) fn new(
        input: impl Into<String>,
        reason: &'static str,
        problem: impl Into<String>,
    ) -> Self {
        Self {
            input: input.into(),
            problem: problem.into(),
            reason,
        }
    }
}

/// Reading options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Field names for JSON Lines input.
    pub jsonl: JsonlFields,
    /// Largest single document or record, in bytes (larger ones are skipped with an error).
    pub max_record_bytes: u64,
    /// Largest total number of bytes read out of one compressed file (guards against
    /// decompression bombs).
    pub max_decompressed_bytes: u64,
    /// Whether to follow hidden files and folders (names starting with `.`) when walking.
    pub include_hidden: bool,
    /// Whether a feed item whose link is a relative path may be read from that file. Off by
    /// default: a feed brings in only what its items carry. When on, only regular files
    /// inside the feed's own folder (after resolving `..` and symbolic links) are read;
    /// `file:` links never are. Links not followed are named in a warning that starts with
    /// [`LINK_NOT_FOLLOWED`].
    pub feed_local_pages: bool,
    /// When set, the bytes read from input files (as stored on disk, before decompression)
    /// are added to it as they are read, so that a caller can show progress against
    /// [`total_size`].
    pub bytes_read: Option<Arc<AtomicU64>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            jsonl: JsonlFields::default(),
            max_record_bytes: 32 << 20,
            max_decompressed_bytes: 16 << 30,
            include_hidden: false,
            feed_local_pages: false,
            bytes_read: None,
        }
    }
}

/// An input to read: a file, a folder (read recursively) or `-` for standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A path.
    Path(PathBuf),
    /// Standard input.
    Stdin,
}

impl Input {
    /// `-` is standard input; anything else a path.
    pub fn parse(s: &str) -> Input {
        if s == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(s))
        }
    }
}

type DocIter = Box<dyn Iterator<Item = Result<RawDocument, IngestError>> + Send>;

/// Reads every document of every input, in order (folders in sorted path order).
pub fn read_inputs(inputs: Vec<Input>, options: Options) -> Documents {
    Documents {
        pending: inputs.into_iter().collect(),
        current: None,
        options,
    }
}

/// Reads every document of one stream, sniffed like a file (what `-` does with standard
/// input): JSON Lines and WARC records are read one at a time as they arrive, so memory use
/// does not grow with the stream's length. `name` names the stream in errors.
pub fn read_stream(name: &str, reader: impl Read + Send + 'static, options: Options) -> Documents {
    let current: DocIter = match open_stream(name, None, Box::new(reader), &options) {
        Ok(it) => it,
        Err(e) => Box::new(std::iter::once(Err(e))),
    };
    Documents {
        pending: VecDeque::new(),
        current: Some(current),
        options,
    }
}

/// The iterator returned by [`read_inputs`].
pub struct Documents {
    pending: VecDeque<Input>,
    current: Option<DocIter>,
    options: Options,
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents")
            .field("pending", &self.pending)
            .finish()
    }
}

impl Iterator for Documents {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(cur) = self.current.as_mut() {
                match cur.next() {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let input = self.pending.pop_front()?;
            match input {
                Input::Stdin => {
                    // Streamed as a file is: multi-record formats (JSON Lines, WARC) yield
                    // each record as it arrives, holding one record at a time.
                    match open_stream("-", None, Box::new(std::io::stdin()), &self.options) {
                        Ok(it) => self.current = Some(it),
                        Err(e) => return Some(Err(e)),
                    }
                }
                Input::Path(path) => {
                    let name = path.display().to_string();
                    let meta = match std::fs::metadata(&path) {
                        Ok(m) => m,
                        Err(e) => {
                            return Some(Err(IngestError::new(
                                name,
                                "io",
                                format!("cannot read: {e}"),
                            )));
                        }
                    };
                    if meta.is_dir() {
                        match list_dir(&path, self.options.include_hidden) {
                            Ok(files) => {
                                for f in files.into_iter().rev() {
                                    self.pending.push_front(Input::Path(f));
                                }
                            }
                            Err(e) => return Some(Err(e)),
                        }
                        continue;
                    }
                    let file = match File::open(&path) {
                        Ok(f) => f,
                        Err(e) => {
                            return Some(Err(IngestError::new(
                                name,
                                "io",
                                format!("cannot open: {e}"),
                            )));
                        }
                    };
                    let reader: Box<dyn Read + Send> = match &self.options.bytes_read {
                        Some(counter) => Box::new(Counting {
                            inner: file,
                            counter: Arc::clone(counter),
                        }),
                        None => Box::new(file),
                    };
                    match open_stream(&name, Some(&path), reader, &self.options) {
                        Ok(it) => self.current = Some(it),
                        Err(e) => return Some(Err(e)),
                    }
                }
            }
        }
    }
}

/// A reader that adds the bytes read through it to a shared counter.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The total size in bytes of the files that [`read_inputs`] would read (folders walked as it
/// walks them), or `None` when it cannot be known: standard input, or a path that cannot be
/// listed.
pub fn total_size(inputs: &[Input], include_hidden: bool) -> Option<u64> {
    let mut total = 0u64;
    for input in inputs {
        let Input::Path(path) = input else {
            return None;
        };
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() {
            for f in list_dir(path, include_hidden).ok()? {
                total += std::fs::metadata(&f).map_or(0, |m| m.len());
            }
        } else {
            total += meta.len();
        }
    }
    Some(total)
}

/// Files under a folder, recursively, sorted; hidden entries skipped unless asked for.
fn list_dir(dir: &Path, include_hidden: bool) -> Result<Vec<PathBuf>, IngestError> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| {
            IngestError::new(
                d.display().to_string(),
                "io",
                format!("cannot list folder: {e}"),
            )
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| {
                IngestError::new(
                    d.display().to_string(),
                    "io",
                    format!("cannot list folder: {e}"),
                )
            })?;
            let path = entry.path();
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden && !include_hidden {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) => out.push(path),
                Err(_) => out.push(path),
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A reader that fails once more than `limit` bytes have been read through it.
struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // Allow detecting a clean end exactly at the limit.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(format!(
                    "decompressed data exceeds the limit of {} bytes",
                    self.limit
                ))),
            };
        }
        let max = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Sniffs a stream (opening gzip transparently) and returns the matching reader.
fn open_stream(
    name: &str,
    path: Option<&Path>,
    reader: Box<dyn Read + Send>,
    options: &Options,
) -> Result<DocIter, IngestError> {
    let mut buffered: Box<dyn BufRead + Send> =
        Box::new(BufReader::with_capacity(64 << 10, reader));
    let head = buffered
        .fill_buf()
        .map_err(|e| IngestError::new(name, "io", format!("cannot read: {e}")))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::read::MultiGzDecoder::new(buffered);
        let bounded = Bounded {
            inner: gz,
            left: options.max_decompressed_bytes,
            limit: options.max_decompressed_bytes,
        };
        buffered = Box::new(BufReader::with_capacity(64 << 10, bounded));
    }
    let mut head = buffered
        .fill_buf()
        .map_err(|e| IngestError::new(name, "io", format!("cannot read: {e}")))?
        .to_vec();
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        // UTF-16 with a byte order mark: decoded to UTF-8 first, then sniffed and read as
        // any other input (its NUL bytes would otherwise make it look binary).
        let bytes = read_bounded(name, buffered, options.max_record_bytes)?;
        let utf8 = decode_text(&bytes, None, false).text.into_bytes();
        head = utf8[..utf8.len().min(64 << 10)].to_vec();
        buffered = Box::new(Cursor::new(utf8));
    }
    let format = sniff(&head, path);
    tracing::debug!(input = name, ?format, "sniffed");
    let origin = |fmt: &str| Origin {
        format: fmt.to_string(),
        path: Some(name.to_string()),
        record_offset: None,
        record_index: None,
    };
    match format {
        Format::Warc => Ok(Box::new(warc::WarcReader::new(
            name.to_string(),
            buffered,
            options.max_record_bytes,
        ))),
        Format::Jsonl => Ok(Box::new(jsonl::JsonlReader::new(
            name.to_string(),
            buffered,
            options.jsonl.clone(),
            options.max_record_bytes,
        ))),
        Format::Binary => Err(IngestError::new(
            name,
            "binary",
            "does not look like text, HTML, a feed, WARC or JSON Lines (too many NUL or control \
             bytes); is it an image, archive or other binary file?",
        )),
        Format::Text | Format::Html | Format::Feed => {
            let bytes = read_bounded(name, buffered, options.max_record_bytes)?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Err(IngestError::new(name, "empty", "input is empty"));
            }
            let one = match format {
                Format::Feed => {
                    let base = path.and_then(Path::parent).map(Path::to_path_buf);
                    // The XML parser reads a declared encoding itself; a feed that declares
                    // none and is not UTF-8 is decoded by detection first.
                    let (bytes, notes) = if std::str::from_utf8(&bytes).is_err()
                        && charset::meta_charset(&bytes).is_none()
                    {
                        let d = decode_text(&bytes, None, true);
                        (d.text.into_bytes(), d.warnings)
                    } else {
                        (bytes, Vec::new())
                    };
                    return feed::read_feed(name, &bytes, base.as_deref(), options).map(|docs| {
                        let docs = docs.into_iter().map(move |mut d| {
                            if let Ok(doc) = &mut d {
                                doc.warnings.splice(0..0, notes.iter().cloned());
                            }
                            d
                        });
                        Box::new(docs) as DocIter
                    });
                }
                Format::Html => {
                    let (text, mut warnings) = decode(&bytes, None, true);
                    let page = read_html(&text, None);
                    warnings.extend(page.warnings);
                    let mut meta = page.meta;
                    meta.origin = Some(origin("html"));
                    raw(name, meta, page.text, warnings)
                }
                _ => {
                    let (text, mut warnings) = decode(&bytes, None, false);
                    let mut meta = DocumentMeta {
                        origin: Some(origin(if path.is_some() { "text" } else { "stdin" })),
                        ..Default::default()
                    };
                    let text = match frontmatter::front_matter(&text) {
                        Some(fm) => {
                            let origin = meta.origin.take();
                            meta = fm.meta;
                            meta.origin = origin;
                            warnings.extend(fm.warnings);
                            text[fm.body_start..].trim().to_string()
                        }
                        None => text,
                    };
                    raw(name, meta, text, warnings)
                }
            };
            Ok(Box::new(std::iter::once(one)))
        }
    }
}

/// Reads a whole stream, failing when it is larger than `max`.
fn read_bounded(name: &str, reader: impl Read, max: u64) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::new(name, "io", format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(IngestError::new(
            name,
            "too_large",
            if max % (1 << 20) == 0 {
                format!(
                    "larger than {} MiB, the limit for one document; split it into articles \
                     (one file each, or one JSON Lines record each)",
                    max >> 20
                )
            } else {
                format!("larger than the {max}-byte limit for one document")
            },
        ));
    }
    Ok(bytes)
}

/// Decodes bytes (see [`decode_text`]): `declared` is a character set stated outside them,
/// `markup` whether to look for one inside.
pub(crate) fn decode(bytes: &[u8], declared: Option<&str>, markup: bool) -> (String, Vec<String>) {
    let d = decode_text(bytes, declared, markup);
    (d.text, d.warnings)
}

/// A document, or a `no_text` error when its text is blank.
pub(crate) fn raw(
    input: &str,
    meta: DocumentMeta,
    text: String,
    warnings: Vec<String>,
) -> Result<RawDocument, IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::new(input, "no_text", "no text found"));
    }
    Ok(RawDocument {
        meta,
        text,
        warnings,
    })
}

#[cfg(test)]
mod tests;
