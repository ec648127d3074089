//! JSON Lines: one JSON object per line, with configurable field names.

use std::io::{BufRead, Read};

use frontline_model::{DocumentMeta, Origin};
use serde_json::Value;

use crate::dates::read_date;
use crate::html::read_html;
use crate::{IngestError, RawDocument, raw};

/// Which fields of a JSON Lines record hold what. Each may be a dotted path into nested
/// objects (`meta.published`). The text field is required; the others are optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlFields {
    /// Article text (plain or HTML). Default `text`.
    pub text: String,
    /// Headline. Default `title`.
    pub title: String,
    /// URL. Default `url`.
    pub url: String,
    /// Outlet. Default `outlet`.
    pub outlet: String,
    /// Publication date. Default `published`.
    pub published: String,
    /// Author. Default `author`.
    pub author: String,
    /// Language. Default `language`.
    pub language: String,
}

impl Default for JsonlFields {
    fn default() -> Self {
        Self {
            text: "text".into(),
            title: "title".into(),
            url: "url".into(),
            outlet: "outlet".into(),
            published: "published".into(),
            author: "author".into(),
            language: "language".into(),
        }
    }
}

fn field<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    Some(cur)
}

fn string_field(v: &Value, path: &str) -> Option<String> {
    match field(v, path)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Streams records from a JSON Lines input.
pub(crate) struct JsonlReader<R> {
    name: String,
    reader: R,
    fields: JsonlFields,
    max_record: u64,
    line_no: u64,
    offset: u64,
    done: bool,
}

impl<R: BufRead> JsonlReader<R> {
    pub(crate) fn new(name: String, reader: R, fields: JsonlFields, max_record: u64) -> Self {
        Self {
            name,
            reader,
            fields,
            max_record,
            line_no: 0,
            offset: 0,
            done: false,
        }
    }

    fn record(&self, line: &[u8]) -> Result<RawDocument, IngestError> {
        let input = format!("{} line {}", self.name, self.line_no);
        let v: Value = serde_json::from_slice(line)
            .map_err(|e| IngestError::new(&input, "malformed", format!("invalid JSON: {e}")))?;
        if !v.is_object() {
            return Err(IngestError::new(input, "malformed", "not a JSON object"));
        }
        let Some(text) = string_field(&v, &self.fields.text) else {
            return Err(IngestError::new(
                input,
                "no_text",
                format!(
                    "no text in field {:?} (choose another with --jsonl-text-field)",
                    self.fields.text
                ),
            ));
        };
        let mut meta = DocumentMeta {
            url: string_field(&v, &self.fields.url),
            outlet: string_field(&v, &self.fields.outlet),
            title: string_field(&v, &self.fields.title),
            author: string_field(&v, &self.fields.author),
            published_at: None,
            language: string_field(&v, &self.fields.language),
            origin: Some(Origin {
                format: "jsonl".into(),
                path: Some(self.name.clone()),
                record_offset: Some(self.offset),
                record_index: Some(self.line_no - 1),
            }),
        };
        let mut warnings = Vec::new();
        if let Some(value) = string_field(&v, &self.fields.published) {
            match read_date(&value) {
                Ok(r) => {
                    meta.published_at = Some(r.date);
                    warnings.extend(r.note);
                }
                Err(e) => warnings.push(e.to_string()),
            }
        }
        let text = if crate::sniff(text.as_bytes(), None) == crate::Format::Html {
            let page = read_html(&text, meta.url.as_deref());
            meta.title = meta.title.or(page.meta.title);
            meta.outlet = meta.outlet.or(page.meta.outlet);
            meta.author = meta.author.or(page.meta.author);
            meta.published_at = meta.published_at.or(page.meta.published_at);
            warnings.extend(page.warnings);
            page.text
        } else {
            text
        };
        raw(&input, meta, text, warnings)
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let mut line = Vec::new();
            let limit = self.max_record + 1;
            let n = match Read::take(&mut self.reader, limit).read_until(b'\n', &mut line) {
                Ok(n) => n,
                Err(e) => {
                    self.done = true;
                    return Some(Err(IngestError::new(
                        &self.name,
                        "io",
                        format!("cannot read: {e}"),
                    )));
                }
            };
            if n == 0 {
                return None;
            }
            self.line_no += 1;
            let start = self.offset;
            self.offset += n as u64;
            if n as u64 >= limit && !line.ends_with(b"\n") {
                // Skip the rest of the over-long line.
                let mut sink = Vec::new();
                loop {
                    sink.clear();
                    match Read::take(&mut self.reader, 1 << 20).read_until(b'\n', &mut sink) {
                        Ok(0) => break,
                        Ok(m) => {
                            self.offset += m as u64;
                            if sink.ends_with(b"\n") {
                                break;
                            }
                        }
                        Err(_) => {
                            self.done = true;
                            break;
                        }
                    }
                }
                return Some(Err(IngestError::new(
                    format!("{} line {}", self.name, self.line_no),
                    "too_large",
                    format!("record longer than {} bytes", self.max_record),
                )));
            }
            let trimmed = line.trim_ascii();
            if trimmed.is_empty() {
                continue;
            }
            let saved = self.offset;
            self.offset = start;
            let rec = self.record(trimmed);
            self.offset = saved;
            return Some(rec);
        }
    }
}
