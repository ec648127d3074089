//! RSS, Atom and JSON Feed: one document per item.

use std::path::{Path, PathBuf};

use frontline_model::{DocumentMeta, Origin};

use crate::html::{read_html, visible_text};
use crate::{IngestError, Options, RawDocument, decode, raw};

/// The start of the warning given for an item link that was not followed (callers count
/// these warnings by this prefix).
pub const LINK_NOT_FOLLOWED: &str = "feed link not followed";

/// What to do with an item's link.
#[derive(Debug, PartialEq)]
enum Link {
    /// A web address or nothing: not fetched, the item's own content is used.
    Remote,
    /// A file inside the feed's folder, allowed by [`Options::feed_local_pages`].
    Local(PathBuf),
    /// A local file that is not read, and why.
    Refused(String),
}

/// Whether `href` starts with a URL scheme (`http:`, `file:`, `mailto:`...).
fn has_scheme(href: &str) -> bool {
    let Some((scheme, _)) = href.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decides whether an item link may be read from disk. `file:` URLs never are; a relative or
/// absolute path only when `allow` is set, and only when, after resolving `..` and symbolic
/// links, it names a regular file inside the feed's own folder `base`.
fn classify_link(href: &str, base: Option<&Path>, allow: bool) -> Link {
    let href = href.trim();
    if href.is_empty() {
        return Link::Remote;
    }
    if href.len() >= 5 && href[..5].eq_ignore_ascii_case("file:") {
        return Link::Refused("file: links are never read".into());
    }
    if has_scheme(href) || href.starts_with("//") {
        return Link::Remote;
    }
    if !allow {
        return Link::Refused(
            "local files are read only with --feed-local-pages (files inside the feed's folder)"
                .into(),
        );
    }
    let Some(base) = base else {
        return Link::Refused("the feed has no folder (standard input)".into());
    };
    let rel = href.split(['#', '?']).next().unwrap_or(href);
    let (Ok(folder), Ok(target)) = (base.canonicalize(), base.join(rel).canonicalize()) else {
        return Link::Refused("no such file in the feed's folder".into());
    };
    if !target.starts_with(&folder) {
        return Link::Refused("outside the feed's folder".into());
    }
    if !target.is_file() {
        return Link::Refused("not a regular file".into());
    }
    Link::Local(target)
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
        // Prefer a full local page (when allowed) over a short inline summary.
        let mut warnings = Vec::new();
        let local = match link
            .as_deref()
            .map(|l| (l, classify_link(l, base, options.feed_local_pages)))
        {
            Some((_, Link::Local(path))) => Some(path),
            Some((l, Link::Refused(why))) => {
                let l: String = l.chars().take(200).collect();
                warnings.push(format!("{LINK_NOT_FOLLOWED}: {l:?}: {why}"));
                None
            }
            _ => None,
        };
        let item = if let Some(path) = local {
            match std::fs::read(&path) {
                Ok(b) if b.len() as u64 <= options.max_record_bytes => {
                    let (html, more) = decode(&b, None, true);
                    warnings.extend(more);
                    let page = read_html(&html, meta.url.as_deref());
                    warnings.extend(page.warnings);
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
            raw(&input, meta, text, warnings)
        } else if let Some(w) = warnings.pop() {
            Err(IngestError::new(
                input,
                "link_refused",
                format!("item has no content or summary; {w}"),
            ))
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
