//! Documents, their origin, sentences and boilerplate.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Span;

/// The content-hash id of a text: the first 16 hex digits of SHA-256 over its UTF-8 bytes.
///
/// The same text always gets the same id, whatever file or feed it came from, which makes
/// ingestion idempotent.
pub fn content_id(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(16);
    for b in digest.iter().take(8) {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 15)]));
    }
    id
}

/// One report as it reached us.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    /// Content-hash id of [`Document::text`] (see [`content_id`]).
    pub id: String,
    /// Canonical URL, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Outlet that published it ("Associated Press", "Al Manar"), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Headline, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Author or byline, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication date; relative dates in the text are resolved against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<NaiveDate>,
    /// ISO 639-1 language code, when known or detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where the document was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// The cleaned text (NFC, typographic quotes and dashes folded, whitespace normalised).
    /// Every span in an extraction indexes this string.
    pub text: String,
}

impl Document {
    /// A document with only its cleaned text; the id is derived from the text.
    pub fn new(text: String) -> Self {
        Self {
            id: content_id(&text),
            url: None,
            outlet: None,
            title: None,
            author: None,
            published_at: None,
            language: None,
            origin: None,
            text,
        }
    }
}

/// What is known about a document before its text is cleaned: everything but the id and text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Canonical URL.
    pub url: Option<String>,
    /// Outlet that published it.
    pub outlet: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Author or byline.
    pub author: Option<String>,
    /// Publication date.
    pub published_at: Option<NaiveDate>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// Where it was read from.
    pub origin: Option<Origin>,
}

impl Document {
    /// A document from its metadata and cleaned text; the id is derived from the text.
    pub fn from_meta(meta: DocumentMeta, text: String) -> Self {
        Self {
            id: content_id(&text),
            url: meta.url,
            outlet: meta.outlet,
            title: meta.title,
            author: meta.author,
            published_at: meta.published_at,
            language: meta.language,
            origin: meta.origin,
            text,
        }
    }
}

/// Where a document was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Origin {
    /// Reader that produced it: `text`, `html`, `rss`, `atom`, `jsonfeed`, `warc`, `jsonl`, `stdin`.
    pub format: String,
    /// File path, if read from a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Byte offset of the record inside a multi-record file (WARC, JSONL, feed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_offset: Option<u64>,
    /// Index of the record inside a multi-record file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_index: Option<u64>,
}

/// One sentence of the analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sentence {
    /// Where it is in [`Document::text`].
    pub span: Span,
}

pub use frontline_text::BoilerplateKind;

/// A passage set aside from analysis, kept so nothing is silently lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Boilerplate {
    /// What it is.
    pub kind: BoilerplateKind,
    /// Where it is in [`Document::text`].
    pub span: Span,
    /// The text under the span.
    pub text: String,
    /// Id of the detection rule that matched.
    pub rule: String,
}
