//! A streaming WARC reader (ISO 28500; WARC/1.0 and 1.1), for Common Crawl style archives.
//!
//! `response` records with an HTML payload and `resource` records holding HTML or text become
//! documents, as do `conversion` records (the text of Common Crawl's WET files). `request`,
//! `warcinfo`, `metadata` and `revisit` records are passed over silently; responses that are
//! not HTML, or not successful, are reported as `unsupported`. Records longer than the record
//! limit are skipped without being held in memory. Record offsets count bytes of the
//! uncompressed stream. A record whose page states no publication date takes its `WARC-Date`
//! (the capture time) as the publication date.

use std::io::{BufRead, Read};

use frontline_model::{DocumentMeta, Origin};

use crate::html::read_html;
use crate::{IngestError, RawDocument, decode, raw};

const MAX_HEADER_LINE: u64 = 64 << 10;

/// Streams documents out of a WARC.
pub(crate) struct WarcReader<R> {
    name: String,
    reader: R,
    max_record: u64,
    offset: u64,
    index: u64,
    done: bool,
}

/// A record: its start offset, header, and block (`None` when over the size limit).
type Record = (u64, Header, Option<Vec<u8>>);

struct Header {
    fields: Vec<(String, String)>,
}

impl Header {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl<R: BufRead> WarcReader<R> {
    pub(crate) fn new(name: String, reader: R, max_record: u64) -> Self {
        Self {
            name,
            reader,
            max_record,
            offset: 0,
            index: 0,
            done: false,
        }
    }

    fn read_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        let n = Read::take(&mut self.reader, MAX_HEADER_LINE).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(None);
        }
        self.offset += n as u64;
        Ok(Some(line))
    }

    fn skip(&mut self, mut n: u64) -> std::io::Result<()> {
        while n > 0 {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "archive ends inside a record",
                ));
            }
            let k = (buf.len() as u64).min(n) as usize;
            self.reader.consume(k);
            self.offset += k as u64;
            n -= k as u64;
        }
        Ok(())
    }

    /// Reads the next record: `Ok(None)` at the end, `Err` for an unreadable archive.
    fn next_record(&mut self) -> Result<Option<Record>, IngestError> {
        let io_err = |name: &str, e: std::io::Error| {
            IngestError::new(name, "malformed", format!("cannot read archive: {e}"))
        };
        // Find the version line, skipping blank lines (and, after damage, anything else).
        let mut skipped_garbage = false;
        let start = loop {
            let at = self.offset;
            let Some(line) = self.read_line().map_err(|e| io_err(&self.name, e))? else {
                return Ok(None);
            };
            if line.starts_with(b"WARC/") {
                break at;
            }
            if !line.trim_ascii().is_empty() {
                skipped_garbage = true;
            }
        };
        if skipped_garbage {
            tracing::warn!(input = %self.name, offset = start, "skipped bytes that were not a WARC record");
        }
        let mut fields = Vec::new();
        loop {
            let Some(line) = self.read_line().map_err(|e| io_err(&self.name, e))? else {
                return Err(IngestError::new(
                    format!("{} record at offset {start}", self.name),
                    "malformed",
                    "archive ends inside a record header",
                ));
            };
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                fields.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let header = Header { fields };
        let Some(len) = header
            .get("Content-Length")
            .and_then(|v| v.parse::<u64>().ok())
        else {
            return Err(IngestError::new(
                format!("{} record at offset {start}", self.name),
                "malformed",
                "record has no valid Content-Length",
            ));
        };
        if len > self.max_record {
            self.skip(len).map_err(|e| io_err(&self.name, e))?;
            return Ok(Some((start, header, None)));
        }
        let mut block = vec![0; len as usize];
        self.reader
            .read_exact(&mut block)
            .map_err(|e| io_err(&self.name, e))?;
        self.offset += len;
        Ok(Some((start, header, Some(block))))
    }

    fn document(
        &self,
        start: u64,
        header: &Header,
        block: Option<Vec<u8>>,
    ) -> Option<Result<RawDocument, IngestError>> {
        let input = format!("{} record {} (offset {start})", self.name, self.index);
        let kind = header.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
        if !matches!(kind.as_str(), "response" | "resource" | "conversion") {
            return None;
        }
        let Some(block) = block else {
            return Some(Err(IngestError::new(
                input,
                "too_large",
                format!("record larger than {} bytes", self.max_record),
            )));
        };
        let url = header.get("WARC-Target-URI").map(str::to_string);
        let (content_type, payload) = if kind == "response" {
            match http_payload(&block, self.max_record) {
                Ok(Some(p)) => p,
                Ok(None) => return None,
                Err(problem) => return Some(Err(IngestError::new(input, "unsupported", problem))),
            }
        } else {
            (
                header
                    .get("Content-Type")
                    .unwrap_or("")
                    .to_ascii_lowercase(),
                block,
            )
        };
        let origin = Origin {
            format: "warc".into(),
            path: Some(self.name.clone()),
            record_offset: Some(start),
            record_index: Some(self.index),
        };
        // The capture date stands in for the publication date of a page that states none
        // (close for news crawls, which fetch articles within hours of publication).
        let captured = header.get("WARC-Date").and_then(crate::dates::parse_date);
        let (text, warnings) = decode(&payload);
        let is_html = content_type.contains("html")
            || (content_type.is_empty()
                && crate::sniff(text.as_bytes(), None) == crate::Format::Html);
        if is_html {
            let page = read_html(&text, url.as_deref());
            let mut meta = page.meta;
            meta.url = meta.url.or(url);
            meta.published_at = meta.published_at.or(captured);
            meta.origin = Some(origin);
            Some(raw(&input, meta, page.text, warnings))
        } else if content_type.starts_with("text/plain") || content_type.is_empty() {
            let meta = DocumentMeta {
                url,
                published_at: captured,
                origin: Some(origin),
                ..Default::default()
            };
            Some(raw(&input, meta, text, warnings))
        } else {
            Some(Err(IngestError::new(
                input,
                "unsupported",
                format!("content type {content_type:?} is not HTML or text"),
            )))
        }
    }
}

/// Splits an HTTP response into its content type and decoded body. `Ok(None)` for responses
/// with nothing to read (redirects, empty bodies).
fn http_payload(block: &[u8], max: u64) -> Result<Option<(String, Vec<u8>)>, String> {
    let (head_end, body_start) = match find(block, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => match find(block, b"\n\n") {
            Some(i) => (i, i + 2),
            None => return Err("HTTP response has no header end".into()),
        },
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or("HTTP response has no status line")?;
    let mut content_type = String::new();
    let mut encoding = String::new();
    let mut chunked = false;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_ascii_lowercase());
            match k.as_str() {
                "content-type" => content_type = v,
                "content-encoding" => encoding = v,
                "transfer-encoding" => chunked = v.contains("chunked"),
                _ => {}
            }
        }
    }
    if !(200..300).contains(&status) {
        if (300..400).contains(&status) {
            return Ok(None);
        }
        return Err(format!("HTTP status {status}"));
    }
    if !content_type.is_empty()
        && !content_type.contains("html")
        && !content_type.contains("text/plain")
    {
        return Err(format!("content type {content_type:?} is not HTML or text"));
    }
    let mut body = block[body_start..].to_vec();
    if chunked {
        body = dechunk(&body).ok_or("malformed chunked transfer encoding")?;
    }
    match encoding.as_str() {
        "" | "identity" => {}
        "gzip" | "x-gzip" => {
            body = inflate(flate2::read::MultiGzDecoder::new(&body[..]), max)?;
        }
        "deflate" => {
            body = inflate(flate2::read::ZlibDecoder::new(&body[..]), max)?;
        }
        other => return Err(format!("unsupported content encoding {other:?}")),
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    Ok(Some((content_type, body)))
}

fn inflate(r: impl Read, max: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    r.take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot decompress body: {e}"))?;
    if out.len() as u64 > max {
        return Err(format!("decompressed body larger than {max} bytes"));
    }
    Ok(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = find(b, b"\r\n")?;
        let size_str = std::str::from_utf8(&b[..eol]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        b = &b[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size..)?;
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.next_record() {
                Ok(None) => self.done = true,
                Ok(Some((start, header, block))) => {
                    let doc = self.document(start, &header, block);
                    self.index += 1;
                    if let Some(d) = doc {
                        return Some(d);
                    }
                }
                Err(e) => {
                    // A broken record: report it and try to resynchronise on the next one.
                    self.index += 1;
                    if e.problem.contains("ends inside") || e.problem.contains("cannot read") {
                        self.done = true;
                    }
                    return Some(Err(e));
                }
            }
        }
        None
    }
}
