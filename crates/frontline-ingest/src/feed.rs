//! RSS, Atom and JSON Feed: one document per item.

use std::path::{Path, PathBuf};

use frontline_model::{DocumentMeta, Origin};

use crate::html::{read_html, visible_text};
use crate::{IngestError, Options, RawDocument, decode, raw};

/// The local file an item's link points to, when it is a relative path or a `file://` URL
/// that exists next to the feed.
fn local_page(href: &str, base: Option<&Path>) -> Option<PathBuf> {
    let href = href.trim();
    let p = if let Some(rest) = href.strip_prefix("file://") {
        PathBuf::from(rest)
    } else if href.contains("://") {
        return None;
    } else {
        base?.join(href.split(['#', '?']).next().unwrap_or(href))
    };
    p.is_file().then_some(p)
}

/// Whether a string holds markup.
fn is_markup(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('<') || s.contains("</p>") || s.contains("<br")
}

/// Reads every item of a feed. Items are returned in feed order; an item with no usable text
/// is an error in the list, not the end of the feed.
pub(crate) fn read_feed(
    name: &str,
    bytes: &[u8],
    base: Option<&Path>,
    options: &Options,
) -> Result<Vec<Result<RawDocument, IngestError>>, IngestError> {
    let feed = feed_rs::parser::parse(bytes)
        .map_err(|e| IngestError::new(name, "malformed", format!("cannot parse feed: {e}")))?;
    let format = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "atom",
        feed_rs::model::FeedType::JSON => "jsonfeed",
        _ => "rss",
    };
    let outlet = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let mut out = Vec::with_capacity(feed.entries.len());
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let input = format!("{name} item {}", i + 1);
        let link = entry.links.first().map(|l| l.href.clone());
        let mut meta = DocumentMeta {
            url: link.clone().filter(|l| l.starts_with("http")),
            outlet: outlet.clone(),
            title: entry
                .title
                .as_ref()
                .map(|t| t.content.trim().to_string())
                .filter(|t| !t.is_empty()),
            author: entry
                .authors
                .first()
                .map(|a| a.name.trim().to_string())
                .filter(|a| !a.is_empty()),
            published_at: entry.published.or(entry.updated).map(|d| d.date_naive()),
            language: None,
            origin: Some(Origin {
                format: format.into(),
                path: Some(name.to_string()),
                record_offset: None,
                record_index: Some(i as u64),
            }),
        };
        let inline = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| {
                entry
                    .summary
                    .as_ref()
                    .map(|s| s.content.clone())
                    .filter(|s| !s.trim().is_empty())
            });
        // Prefer a full local page over a short inline summary.
        let local = link.as_deref().and_then(|l| local_page(l, base));
        let item = if let Some(path) = local {
            match std::fs::read(&path) {
                Ok(b) if b.len() as u64 <= options.max_record_bytes => {
                    let (html, warnings) = decode(&b);
                    let page = read_html(&html, meta.url.as_deref());
                    meta.title = meta.title.or(page.meta.title);
                    meta.author = meta.author.or(page.meta.author);
                    meta.published_at = meta.published_at.or(page.meta.published_at);
                    meta.language = page.meta.language;
                    if page.meta.outlet.is_some() {
                        meta.outlet = page.meta.outlet;
                    }
                    raw(&input, meta, page.text, warnings)
                }
                Ok(_) => Err(IngestError::new(
                    format!("{input} ({})", path.display()),
                    "too_large",
                    "linked page is larger than the record limit",
                )),
                Err(e) => Err(IngestError::new(
                    format!("{input} ({})", path.display()),
                    "io",
                    format!("cannot read linked page: {e}"),
                )),
            }
        } else if let Some(body) = inline {
            let text = if is_markup(&body) {
                let page = read_html(&body, None);
                if page.text.trim().is_empty() {
                    visible_text(&body)
                } else {
                    page.text
                }
            } else {
                body
            };
            raw(&input, meta, text, Vec::new())
        } else {
            Err(IngestError::new(
                input,
                "no_text",
                "item has no content or summary, and its link is not a local file",
            ))
        };
        out.push(item);
    }
    Ok(out)
}
