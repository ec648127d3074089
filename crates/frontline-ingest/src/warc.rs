//! A streaming WARC reader (ISO 28500; WARC/1.0 and 1.1), for Common Crawl style archives.
//!
//! `response` records with an HTML payload and `resource` records holding HTML or text become
//! documents, as do `conversion` records (the text of Common Crawl's WET files). `request`,
//! `warcinfo`, `metadata` and `revisit` records are passed over silently; responses that are
//! not HTML, or not successful, are reported as `unsupported`. Records longer than the record
//! limit are skipped without being held in memory. Record offsets count bytes of the
//! uncompressed stream. A record whose page states no publication date takes its `WARC-Date`
//! (the capture time) as the publication date.
//!
//! A record's `Content-Length` is not trusted blindly. When the record has a
//! `WARC-Block-Digest` (`sha1:` in base32 or hex), the block is checked against it; when the
//! digest does not match, or the block is not followed by the blank line that ends a record,
//! or the block holds the start of another record (a blank line, a `WARC/` version line and a
//! header with `WARC-Type` and `Content-Length`), the length is taken to be wrong: the reader
//! keeps what the digest confirms (the block up to that start) or skips the record, then
//! resynchronises on the next `WARC/` line, and reports each record and byte range it skipped
//! as a `resync` or `malformed` error, so nothing is dropped silently.

use std::io::{BufRead, Read};

use frontline_model::{DocumentMeta, Origin};

use crate::html::read_html;
use crate::{IngestError, RawDocument, decode, raw};

const MAX_HEADER_LINE: u64 = 64 << 10;

/// A buffered reader with bytes pushed back in front of it: the part of a block that a lying
/// `Content-Length` took from the records after it is read again.
struct Pushback<R> {
    front: Vec<u8>,
    pos: usize,
    inner: R,
}

impl<R: BufRead> Read for Pushback<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Pushback<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos < self.front.len() {
            return Ok(&self.front[self.pos..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.pos < self.front.len() {
            self.pos = (self.pos + amt).min(self.front.len());
            if self.pos == self.front.len() {
                self.front = Vec::new();
                self.pos = 0;
            }
        } else {
            self.inner.consume(amt);
        }
    }
}

impl<R> Pushback<R> {
    /// Puts `bytes` back in front of what is still unread.
    fn unread(&mut self, bytes: &[u8]) {
        let mut front = bytes.to_vec();
        front.extend_from_slice(&self.front[self.pos..]);
        self.front = front;
        self.pos = 0;
    }
}

/// Streams documents out of a WARC.
pub(crate) struct WarcReader<R> {
    name: String,
    reader: Pushback<R>,
    max_record: u64,
    offset: u64,
    index: u64,
    done: bool,
    /// Errors to report before reading on (skipped bytes, resynchronisations).
    queued: std::collections::VecDeque<IngestError>,
    /// A document read while errors about the bytes before it were queued: given after them.
    held: Option<Result<RawDocument, IngestError>>,
}

/// A record: its start offset, header, and block.
type Record = (u64, Header, Block);

/// A record's block as read.
enum Block {
    /// The block (cut where a lying `Content-Length` ran into the next record), with the
    /// warning that says so.
    Read(Vec<u8>, Option<String>),
    /// Over the record size limit: skipped without being held in memory.
    TooLarge,
    /// Skipped because it does not match its digest (an error is queued).
    Skipped,
}

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
            reader: Pushback {
                front: Vec::new(),
                pos: 0,
                inner: reader,
            },
            max_record,
            offset: 0,
            index: 0,
            done: false,
            queued: std::collections::VecDeque::new(),
            held: None,
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
        let mut skipped: Option<(u64, u64)> = None;
        let start = loop {
            let at = self.offset;
            let Some(line) = self.read_line().map_err(|e| io_err(&self.name, e))? else {
                self.report_skipped(skipped);
                return Ok(None);
            };
            if line.starts_with(b"WARC/") {
                break at;
            }
            if !line.trim_ascii().is_empty() || skipped.is_some() {
                let (from, n) = skipped.unwrap_or((at, 0));
                skipped = Some((from, n + line.len() as u64));
            }
        };
        self.report_skipped(skipped);
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
            return Ok(Some((start, header, Block::TooLarge)));
        }
        let mut block = Vec::with_capacity(usize::try_from(len.min(1 << 20)).unwrap_or(0));
        let n = Read::take(&mut self.reader, len)
            .read_to_end(&mut block)
            .map_err(|e| io_err(&self.name, e))?;
        self.offset += n as u64;
        if (n as u64) < len && find_record_start(&block).is_none() {
            // A length past the end of the archive: a lie when the digest confirms the block
            // without its closing blank line, a truncated archive otherwise.
            let kept = trim_record_end(&block);
            let confirmed = header
                .get("WARC-Block-Digest")
                .and_then(parse_sha1_digest)
                .is_some_and(|want| sha1_of(kept) == want);
            if confirmed {
                let w = "WARC record's Content-Length runs past the end of the archive; its \
                         WARC-Block-Digest matches the block up to the end";
                return Ok(Some((
                    start,
                    header,
                    Block::Read(kept.to_vec(), Some(w.into())),
                )));
            }
            return Err(IngestError::new(
                format!("{} record at offset {start}", self.name),
                "malformed",
                "cannot read archive: archive ends inside a record",
            ));
        }
        let block = self.check_block(start, &header, block);
        Ok(Some((start, header, block)))
    }

    /// Queues a `resync` error for a byte range that was not a record.
    fn report_skipped(&mut self, skipped: Option<(u64, u64)>) {
        if let Some((from, n)) = skipped {
            tracing::warn!(input = %self.name, offset = from, bytes = n, "skipped bytes that were not a WARC record");
            self.queued.push_back(IngestError::new(
                format!("{} offset {from}", self.name),
                "resync",
                format!("skipped {n} bytes that were not a WARC record (resynchronised on the next `WARC/` line)"),
            ));
        }
    }

    /// Checks a block read by its `Content-Length` against its digest and the record
    /// boundary that should follow it. Returns the block to use: the whole block, the part of
    /// it before the start of another record (whose bytes are put back to be read again), or
    /// [`Block::Skipped`] when the record is skipped (a queued error says why).
    fn check_block(&mut self, start: u64, header: &Header, block: Vec<u8>) -> Block {
        let input = format!("{} record at offset {start}", self.name);
        let digest = header
            .get("WARC-Block-Digest")
            .and_then(|d| parse_sha1_digest(d).map(|want| (d.to_string(), want)));
        let digest_ok = |b: &[u8]| digest.as_ref().map(|(_, want)| sha1_of(b) == *want);
        // What follows a block is the blank line that ends the record (or the end of input).
        // The buffer may hold only the first bytes of it.
        let trailer_ok = self.reader.fill_buf().is_ok_and(|b| {
            let n = b.len().min(4);
            b.is_empty() || b"\r\n\r\n".starts_with(&b[..n]) || b.starts_with(b"\n\n")
        });
        let whole = digest_ok(&block);
        if whole == Some(true) {
            return Block::Read(block, None);
        }
        let embedded = find_record_start(&block).or_else(|| {
            // The block may end just inside the next record's version line (`\r\n\r\nWA`).
            let next = self.reader.fill_buf().unwrap_or_default();
            split_version_line(&block, next)
        });
        match (whole, embedded) {
            (None, None) if trailer_ok => return Block::Read(block, None),
            (None, None) => {
                // No digest to check against and no other record inside: keep the block but
                // say that its end is not where a record should end.
                let w = "WARC record's Content-Length does not end at a record boundary; its \
                         text may be cut short (the bytes up to the next `WARC/` line are skipped)";
                return Block::Read(block, Some(w.into()));
            }
            _ => {}
        }
        // The length is wrong. Put back everything from the start of the next record, and keep
        // the part before it when the digest confirms it (or there is no digest to check).
        if let Some(at) = embedded {
            let (kept, rest) = block.split_at(at);
            self.reader.unread(rest);
            self.offset -= rest.len() as u64;
            let kept = trim_record_end(kept);
            match digest_ok(kept) {
                Some(false) => {
                    self.queued.push_back(IngestError::new(
                        input,
                        "malformed",
                        format!(
                            "WARC-Block-Digest does not match the block, whose Content-Length \
                             runs into the next record at offset {}; record skipped, reading \
                             resumed there",
                            self.offset
                        ),
                    ));
                    Block::Skipped
                }
                _ => {
                    let w = format!(
                        "WARC record's Content-Length runs into the next record at offset {}; \
                         the record was cut there{} and reading resumed there",
                        self.offset,
                        if digest.is_some() {
                            " (its WARC-Block-Digest matches the cut block)"
                        } else {
                            ""
                        }
                    );
                    Block::Read(kept.to_vec(), Some(w))
                }
            }
        } else {
            let (d, _) = digest.unwrap_or_default();
            self.queued.push_back(IngestError::new(
                input,
                "malformed",
                format!(
                    "block does not match its WARC-Block-Digest {d}; record skipped, \
                     reading resumed at the next `WARC/` line"
                ),
            ));
            Block::Skipped
        }
    }

    fn document(
        &self,
        start: u64,
        header: &Header,
        block: Block,
    ) -> Option<Result<RawDocument, IngestError>> {
        let input = format!("{} record {} (offset {start})", self.name, self.index);
        let kind = header.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
        if !matches!(kind.as_str(), "response" | "resource" | "conversion") {
            return None;
        }
        let (block, block_warning) = match block {
            Block::Read(b, w) => (b, w),
            Block::TooLarge => {
                return Some(Err(IngestError::new(
                    input,
                    "too_large",
                    format!("record larger than {} bytes", self.max_record),
                )));
            }
            Block::Skipped => return None,
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
        let declared = crate::charset::content_type_charset(&content_type);
        let markup = content_type.contains("html") || content_type.is_empty();
        let (text, mut warnings) = decode(&payload, declared.as_deref(), markup);
        warnings.extend(block_warning);
        let is_html = content_type.contains("html")
            || (content_type.is_empty()
                && crate::sniff(text.as_bytes(), None) == crate::Format::Html);
        if is_html {
            let page = read_html(&text, url.as_deref());
            warnings.extend(page.warnings);
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

/// The offset in `block` where another record starts: a line `WARC/<digit>...` after a blank
/// line, followed by a header that has both `WARC-Type` and `Content-Length` before its blank
/// line. Returns the offset of the `W`.
fn find_record_start(block: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find(&block[from..], b"WARC/") {
        let at = from + i;
        from = at + 5;
        let before = &block[..at];
        let after_blank = before.ends_with(b"\r\n\r\n") || before.ends_with(b"\n\n");
        if !after_blank || !block.get(at + 5).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let rest = &block[at..];
        match find(rest, b"\r\n\r\n").or_else(|| find(rest, b"\n\n")) {
            Some(head_end) => {
                let head = String::from_utf8_lossy(&rest[..head_end]).to_ascii_lowercase();
                let has = |field: &str| head.lines().any(|l| l.trim_start().starts_with(field));
                if has("warc-type:") && has("content-length:") {
                    return Some(at);
                }
            }
            None => {
                // The block ends inside that header (the length ran a little way into the
                // next record): every whole line after the version line must be a field.
                let head =
                    String::from_utf8_lossy(&rest[..rest.len().min(MAX_HEADER_LINE as usize)]);
                let mut lines: Vec<&str> = head.split('\n').collect();
                lines.pop(); // the last line may be cut
                let fields_only = lines.iter().skip(1).all(|l| {
                    l.split_once(':').is_some_and(|(k, _)| {
                        !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    })
                });
                if fields_only {
                    return Some(at);
                }
            }
        }
    }
    None
}

/// Where the next record starts when a block ends inside its version line: a blank line
/// then at most 5 bytes that, with the bytes that follow the block, begin `WARC/<digit>`.
fn split_version_line(block: &[u8], next: &[u8]) -> Option<usize> {
    (block.len().saturating_sub(5)..=block.len()).find(|&p| {
        let before = &block[..p];
        if !(before.ends_with(b"\r\n\r\n") || before.ends_with(b"\n\n")) {
            return false;
        }
        let mut joined = block[p..].to_vec();
        joined.extend_from_slice(&next[..next.len().min(8)]);
        joined.starts_with(b"WARC/") && joined.get(5).is_some_and(u8::is_ascii_digit)
    })
}

/// A block without the blank line that ends its record (the `\r\n\r\n` that follows a block).
fn trim_record_end(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\r\n\r\n")
        .or_else(|| b.strip_suffix(b"\n\n"))
        .unwrap_or(b)
}

/// The SHA-1 of `bytes`.
fn sha1_of(bytes: &[u8]) -> [u8; 20] {
    use sha1::Digest;
    sha1::Sha1::digest(bytes).into()
}

/// Reads a `WARC-Block-Digest` value of the form `sha1:<base32>` (RFC 4648, as written by
/// Heritrix, wget and Common Crawl) or `sha1:<hex>`. Other algorithms give `None` (not checked).
fn parse_sha1_digest(v: &str) -> Option<[u8; 20]> {
    let (alg, value) = v.trim().split_once(':')?;
    if !alg.trim().eq_ignore_ascii_case("sha1") {
        return None;
    }
    let value = value.trim();
    let mut out = [0u8; 20];
    if value.len() == 40 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(value.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        return Some(out);
    }
    let value = value.trim_end_matches('=');
    if value.len() != 32 {
        return None;
    }
    let mut acc: u64 = 0;
    let mut bits = 0;
    let mut n = 0;
    for c in value.bytes() {
        let v = match c.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        acc = (acc << 5) | u64::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            *out.get_mut(n)? = (acc >> bits) as u8;
            n += 1;
        }
    }
    (n == 20).then_some(out)
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
        loop {
            if let Some(e) = self.queued.pop_front() {
                return Some(Err(e));
            }
            if let Some(d) = self.held.take() {
                return Some(d);
            }
            if self.done {
                return None;
            }
            match self.next_record() {
                Ok(None) => self.done = true,
                Ok(Some((start, header, block))) => {
                    let doc = self.document(start, &header, block);
                    self.index += 1;
                    if let Some(d) = doc {
                        if self.queued.is_empty() {
                            return Some(d);
                        }
                        self.held = Some(d);
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
    }
}
