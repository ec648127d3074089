//! Articles handed in from Python: a text, or a dict with the text and its metadata.

use chrono::NaiveDate;
use frontline_model::DocumentMeta;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

/// Largest article accepted (bytes), as the CLI's one-document limit: the pipeline holds about
/// 100 bytes of results per byte of text.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// One article to extract: its metadata and raw text.
#[derive(Debug, Clone)]
pub struct Article {
    /// Metadata (outlet, date, URL, title).
    pub meta: DocumentMeta,
    /// The text as published.
    pub text: String,
}

impl Article {
    /// From the arguments of `extract(text, published, outlet, url, title)`.
    pub fn from_args(
        text: &Bound<'_, PyAny>,
        published: Option<&Bound<'_, PyAny>>,
        outlet: Option<String>,
        url: Option<String>,
        title: Option<String>,
    ) -> PyResult<Article> {
        let text = text_of(text, "text")?;
        let meta = DocumentMeta {
            published_at: published
                .map(|p| date_of(p, "published"))
                .transpose()?
                .flatten(),
            outlet,
            url,
            title,
            ..DocumentMeta::default()
        };
        Ok(Article { meta, text })
    }

    /// From one item of an iterable: a `str`, or a dict with `text` and optionally
    /// `published`, `outlet`, `url`, `title`, `author` (other keys are ignored, so rows of a
    /// table can be passed as they are). `index` names the item in errors.
    pub fn from_item(item: &Bound<'_, PyAny>, index: usize) -> PyResult<Article> {
        if item.is_instance_of::<PyString>() {
            return Ok(Article {
                meta: DocumentMeta::default(),
                text: text_of(item, &format!("item {index}"))?,
            });
        }
        let Ok(dict) = item.cast::<PyDict>() else {
            return Err(PyTypeError::new_err(format!(
                "item {index}: expected a str or a dict with a \"text\" key, got {}",
                type_name(item)
            )));
        };
        let Some(text) = dict.get_item("text")? else {
            return Err(PyValueError::new_err(format!(
                "item {index}: the dict has no \"text\" key"
            )));
        };
        let text = text_of(&text, &format!("item {index}: \"text\""))?;
        let field = |key: &str| -> PyResult<Option<String>> {
            match dict.get_item(key)? {
                None => Ok(None),
                Some(v) if v.is_none() => Ok(None),
                Some(v) => v.extract::<String>().map(Some).map_err(|_| {
                    PyTypeError::new_err(format!(
                        "item {index}: \"{key}\" must be a str or None, got {}",
                        type_name(&v)
                    ))
                }),
            }
        };
        let published = match dict.get_item("published")? {
            Some(p) => date_of(&p, &format!("item {index}: \"published\""))?,
            None => None,
        };
        let meta = DocumentMeta {
            published_at: published,
            outlet: field("outlet")?,
            url: field("url")?,
            title: field("title")?,
            author: field("author")?,
            ..DocumentMeta::default()
        };
        Ok(Article { meta, text })
    }
}

/// The name of an object's type, for messages.
fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map_or_else(|_| "an unknown type".to_string(), |n| n.to_string())
}

/// A text argument: a `str` (or UTF-8 `bytes`) of at most [`MAX_TEXT_BYTES`].
fn text_of(v: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    let text = if let Ok(s) = v.extract::<String>() {
        s
    } else if let Ok(b) = v.extract::<Vec<u8>>() {
        String::from_utf8(b)
            .map_err(|e| PyValueError::new_err(format!("{what}: bytes that are not UTF-8 ({e})")))?
    } else {
        return Err(PyTypeError::new_err(format!(
            "{what}: expected a str, got {}",
            type_name(v)
        )));
    };
    if text.len() > MAX_TEXT_BYTES {
        return Err(PyValueError::new_err(format!(
            "{what}: {} bytes is more than the {} MiB one document may have",
            text.len(),
            MAX_TEXT_BYTES >> 20
        )));
    }
    Ok(text)
}

/// A publication date: `None`, a `YYYY-MM-DD` string (a longer ISO timestamp is cut to its
/// date), or a `datetime.date`/`datetime.datetime` (its `isoformat()`).
fn date_of(v: &Bound<'_, PyAny>, what: &str) -> PyResult<Option<NaiveDate>> {
    if v.is_none() {
        return Ok(None);
    }
    let s: String = if let Ok(s) = v.extract::<String>() {
        s
    } else if v.hasattr("isoformat")? {
        v.call_method0("isoformat")?.extract()?
    } else {
        return Err(PyTypeError::new_err(format!(
            "{what}: expected a YYYY-MM-DD string or a datetime.date, got {}",
            type_name(v)
        )));
    };
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let day = trimmed.get(..10).unwrap_or(trimmed);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            PyValueError::new_err(format!(
                "{what}: {s:?} is not a date; expected YYYY-MM-DD (e.g. 2017-06-18)"
            ))
        })
}
