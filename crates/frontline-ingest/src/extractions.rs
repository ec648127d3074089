//! Extraction outputs read back: JSON Lines of the extraction contract (`frontline extract
//! --format jsonl`, `Pipeline.extract_many_json` in Python, the Spark recipe's `extractions`
//! column), so that `frontline ingest --extractions` stores and fuses them without extracting
//! again. Gzip is opened transparently; one line that does not parse, or whose spans do not
//! match its text, is an error of that record and the reading goes on.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use frontline_model::Extraction;

use crate::{Bounded, IngestError, Input, Options, list_dir};

/// Reads the extractions of every input, in order (folders in sorted path order).
pub fn read_extractions(inputs: Vec<Input>, options: Options) -> Extractions {
    Extractions {
        pending: inputs.into_iter().collect(),
        current: None,
        options,
    }
}

/// Parses one line of extraction JSON; `input` names it in errors.
pub fn parse_extraction(input: &str, line: &[u8]) -> Result<Extraction, IngestError> {
    let ex: Extraction = serde_json::from_slice(line).map_err(|e| {
        IngestError::new(
            input,
            "malformed",
            format!("not an extraction of the JSON contract (docs/schema.md): {e}"),
        )
    })?;
    if ex.schema_version.split('.').next() != frontline_model::SCHEMA_VERSION.split('.').next() {
        return Err(IngestError::new(
            input,
            "unsupported",
            format!(
                "schema_version {:?}: this frontline reads version {}",
                ex.schema_version,
                frontline_model::SCHEMA_VERSION
            ),
        ));
    }
    ex.check_spans().map_err(|e| {
        IngestError::new(
            input,
            "malformed",
            format!("spans do not match the document text: {e}"),
        )
    })?;
    Ok(ex)
}

type Records = Box<dyn Iterator<Item = Result<Extraction, IngestError>>>;

/// The iterator returned by [`read_extractions`].
pub struct Extractions {
    pending: VecDeque<Input>,
    current: Option<Records>,
    options: Options,
}

impl std::fmt::Debug for Extractions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractions")
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

/// The lines of one input.
struct Lines {
    name: String,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    max: u64,
}

impl Iterator for Lines {
    type Item = Result<Extraction, IngestError>;

    /// The next non-blank line's extraction, `None` at the end.
    fn next(&mut self) -> Option<Result<Extraction, IngestError>> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            self.line += 1;
            let read = (&mut self.reader)
                .take(self.max.saturating_add(1))
                .read_until(b'\n', &mut buf);
            let where_ = format!("{}:{}", self.name, self.line);
            match read {
                Ok(0) => return None,
                Err(e) => {
                    // A read error ends this input: what follows cannot be found reliably.
                    self.max = 0;
                    return Some(Err(IngestError::new(
                        where_,
                        "io",
                        format!("cannot read: {e}"),
                    )));
                }
                Ok(n) if n as u64 > self.max && !buf.ends_with(b"\n") => {
                    // Skip the rest of the over-long line.
                    let mut rest = Vec::new();
                    let _ = self.reader.read_until(b'\n', &mut rest);
                    return Some(Err(IngestError::new(
                        where_,
                        "too_large",
                        format!("record longer than the limit of {} bytes", self.max),
                    )));
                }
                Ok(_) => {}
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(parse_extraction(&where_, &buf));
        }
    }
}

impl Extractions {
    fn open(&mut self, name: String, reader: Box<dyn Read + Send>) -> Result<(), IngestError> {
        let mut buffered: Box<dyn BufRead + Send> =
            Box::new(BufReader::with_capacity(64 << 10, reader));
        let head = buffered
            .fill_buf()
            .map_err(|e| IngestError::new(&name, "io", format!("cannot read: {e}")))?;
        if head.starts_with(&[0x1f, 0x8b]) {
            let gz = flate2::read::MultiGzDecoder::new(buffered);
            let bounded = Bounded {
                inner: gz,
                left: self.options.max_decompressed_bytes,
                limit: self.options.max_decompressed_bytes,
            };
            buffered = Box::new(BufReader::with_capacity(64 << 10, bounded));
        } else if head.starts_with(b"PAR1") {
            return Err(IngestError::new(
                &name,
                "unsupported",
                "a Parquet file that cannot be read as a file (standard input?), or a build \
                 without the `parquet` feature",
            ));
        }
        self.current = Some(Box::new(Lines {
            name,
            reader: buffered,
            line: 0,
            // An extraction is about 10 times its text; the text limit times 16 bounds it.
            max: self.options.max_record_bytes.saturating_mul(16),
        }));
        Ok(())
    }
}

impl Iterator for Extractions {
    type Item = Result<Extraction, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(cur) = self.current.as_mut() {
                match cur.next() {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let opened = match self.pending.pop_front()? {
                Input::Stdin => self.open("-".into(), Box::new(std::io::stdin())),
                Input::Path(path) => {
                    let name = path.display().to_string();
                    if path.is_dir() {
                        match list_dir(&path, self.options.include_hidden) {
                            Ok(files) => {
                                for f in files.into_iter().rev() {
                                    self.pending.push_front(Input::Path(f));
                                }
                                continue;
                            }
                            Err(e) => Err(e),
                        }
                    } else {
                        match File::open(&path) {
                            #[cfg(feature = "parquet")]
                            Ok(f) if parquet_file::is_parquet(&f) => {
                                parquet_file::open(&name, f).map(|rows| self.current = Some(rows))
                            }
                            Ok(f) => self.open(name, Box::new(f)),
                            Err(e) => {
                                Err(IngestError::new(name, "io", format!("cannot open: {e}")))
                            }
                        }
                    }
                }
            };
            if let Err(e) = opened {
                return Some(Err(e));
            }
        }
    }
}

/// Parquet files of extractions: a string column `extraction` holding the JSON contract (the
/// Spark recipe's `extractions/`), read a row at a time.
#[cfg(feature = "parquet")]
mod parquet_file {
    use std::fs::File;
    use std::io::{Read, Seek, SeekFrom};

    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    use super::{Records, parse_extraction};
    use crate::IngestError;

    /// The column read.
    pub const COLUMN: &str = "extraction";

    /// Whether the file starts with Parquet's magic bytes (the position is put back).
    pub fn is_parquet(mut f: &File) -> bool {
        let mut magic = [0u8; 4];
        let is = f.read_exact(&mut magic).is_ok() && &magic == b"PAR1";
        // The position goes back to the start for whichever reader opens the file.
        f.seek(SeekFrom::Start(0)).is_ok() && is
    }

    /// The extractions of one Parquet file, `name:row N` naming a bad row.
    pub fn open(name: &str, f: File) -> Result<Records, IngestError> {
        let bad = |e: parquet::errors::ParquetError| {
            IngestError::new(name, "malformed", format!("cannot read as Parquet: {e}"))
        };
        let reader = SerializedFileReader::new(f).map_err(bad)?;
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        if !schema.columns().iter().any(|c| c.name() == COLUMN) {
            return Err(IngestError::new(
                name,
                "malformed",
                format!("a Parquet file without the column `{COLUMN}` (the extraction JSON)"),
            ));
        }
        let name = name.to_string();
        let rows = reader.into_iter().enumerate().map(move |(i, row)| {
            let at = format!("{name}:row {}", i + 1);
            let row = row.map_err(|e| IngestError::new(&at, "malformed", e.to_string()))?;
            let json = row.get_column_iter().find_map(|(col, field)| match field {
                Field::Str(s) if col == COLUMN => Some(s.as_bytes()),
                Field::Bytes(b) if col == COLUMN => Some(b.data()),
                _ => None,
            });
            match json {
                Some(json) => parse_extraction(&at, json),
                None => Err(IngestError::new(
                    &at,
                    "no_text",
                    format!("`{COLUMN}` is null"),
                )),
            }
        });
        Ok(Box::new(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::{Document, DocumentMeta};
    use std::io::Write;

    fn extraction(text: &str) -> Extraction {
        Extraction::new(Document::from_meta(
            DocumentMeta::default(),
            text.to_string(),
        ))
    }

    #[test]
    fn reads_lines_skips_blanks_and_reports_bad_records_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let mut f = File::create(&path).unwrap();
        let a = serde_json::to_string(&extraction("First report of a clash.")).unwrap();
        let b = serde_json::to_string(&extraction("Second report of a clash.")).unwrap();
        writeln!(f, "{a}\n\n{{\"document\": 3}}\n{b}").unwrap();
        drop(f);
        let items: Vec<_> =
            read_extractions(vec![Input::Path(path.clone())], Options::default()).collect();
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[0].as_ref().unwrap().document.text,
            "First report of a clash."
        );
        let err = items[1].as_ref().unwrap_err();
        assert_eq!(err.input, format!("{}:3", path.display()));
        assert_eq!(err.reason, "malformed");
        assert_eq!(
            items[2].as_ref().unwrap().document.text,
            "Second report of a clash."
        );
    }

    #[test]
    fn gzip_is_opened_and_folders_are_walked() {
        let dir = tempfile::tempdir().unwrap();
        let line = serde_json::to_string(&extraction("A report.")).unwrap();
        let mut gz = flate2::write::GzEncoder::new(
            File::create(dir.path().join("b.jsonl.gz")).unwrap(),
            flate2::Compression::fast(),
        );
        writeln!(gz, "{line}").unwrap();
        gz.finish().unwrap();
        std::fs::write(dir.path().join("a.jsonl"), format!("{line}\n")).unwrap();
        let items: Vec<_> =
            read_extractions(vec![Input::Path(dir.path().into())], Options::default()).collect();
        assert_eq!(items.len(), 2);
        assert!(items.iter().all(Result::is_ok));
    }

    #[test]
    fn another_schema_version_is_refused() {
        let bad_version = serde_json::to_string(&extraction("A report."))
            .unwrap()
            .replace("\"schema_version\":\"1.0\"", "\"schema_version\":\"9.0\"");
        let err = parse_extraction("x:2", bad_version.as_bytes()).unwrap_err();
        assert_eq!(err.reason, "unsupported");
        assert!(err.problem.contains("\"9.0\""), "{}", err.problem);
    }

    #[test]
    fn over_long_lines_are_refused_and_reading_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("long.jsonl");
        let line = serde_json::to_string(&extraction("A report.")).unwrap();
        std::fs::write(&path, format!("{}\n{line}\n", "x".repeat(5000))).unwrap();
        let options = Options {
            max_record_bytes: 100,
            ..Options::default()
        };
        let items: Vec<_> = read_extractions(vec![Input::Path(path)], options).collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_ref().unwrap_err().reason, "too_large");
        assert!(items[1].is_ok());
    }
}
