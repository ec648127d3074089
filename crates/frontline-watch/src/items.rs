//! Reading the items of a feed body: RSS, Atom and JSON Feed (by `feed-rs`), XML sitemaps
//! (`<urlset>`, Google News sitemaps included), and the child sitemaps a sitemap index
//! (`<sitemapindex>`) lists.

use regex::Regex;
use url::Url;

use crate::canon::{canonical, resolve};
use crate::config::{FeedKind, Filters};
use crate::state::NewItem;

/// Why a feed body could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct FeedParseError(pub String);

/// An item before its link is checked.
#[derive(Debug, Clone, Default)]
struct RawItem {
    link: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    published: Option<i64>,
}

/// Reads the items of a feed body (already decoded to text), resolving links against the
/// feed's URL, canonicalising them and applying the feed's filters. Items without a link are
/// dropped; links that are not http(s) are kept as refused items (reported, never fetched).
pub fn read_items(
    text: &str,
    feed_url: &Url,
    kind: FeedKind,
    filters: &Filters,
) -> Result<Vec<NewItem>, FeedParseError> {
    let end = (0..=text.len().min(2048))
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    let head = text[..end].to_ascii_lowercase();
    let raw = if kind == FeedKind::Sitemap
        || head.contains("<urlset")
        || head.contains("<sitemapindex")
    {
        read_sitemap(text)?
    } else {
        read_feed(text)?
    };
    let mut out: Vec<NewItem> = Vec::new();
    for it in raw {
        let Some(link) = it.link.as_deref().map(str::trim).filter(|l| !l.is_empty()) else {
            continue;
        };
        let probe = format!(
            "{} {} {link}",
            it.title.as_deref().unwrap_or(""),
            it.summary.as_deref().unwrap_or("")
        );
        if !filters.wants(&probe) {
            continue;
        }
        let (url, refused) = match resolve(Some(feed_url), link) {
            Ok(u) => (canonical(&u), None),
            Err(why) => (link.chars().take(2000).collect(), Some(why.to_string())),
        };
        if out.iter().any(|o| o.url == url) {
            continue;
        }
        out.push(NewItem {
            url,
            title: it.title,
            summary: it.summary,
            published: it.published,
            refused,
        });
    }
    Ok(out)
}

fn read_feed(text: &str) -> Result<Vec<RawItem>, FeedParseError> {
    let feed = feed_rs::parser::parse(text.as_bytes()).map_err(|e| {
        FeedParseError(format!("not a feed (RSS, Atom, JSON Feed) or sitemap: {e}"))
    })?;
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or_else(|| e.links.first())
                .map(|l| l.href.clone())
                .or_else(|| Url::parse(&e.id).ok().map(|_| e.id.clone()));
            let summary = e
                .summary
                .map(|s| s.content)
                .or_else(|| e.content.and_then(|c| c.body))
                .filter(|s| !s.trim().is_empty());
            RawItem {
                link,
                title: e
                    .title
                    .map(|t| t.content.trim().to_string())
                    .filter(|t| !t.is_empty()),
                summary,
                published: e.published.or(e.updated).map(|d| d.timestamp()),
            }
        })
        .collect())
}

fn read_sitemap(text: &str) -> Result<Vec<RawItem>, FeedParseError> {
    let bad = |e: regex::Error| FeedParseError(e.to_string());
    let url_re = Regex::new(r"(?is)<url>(.*?)</url>").map_err(bad)?;
    let loc_re = Regex::new(r"(?is)<loc>\s*(.*?)\s*</loc>").map_err(bad)?;
    let date_re =
        Regex::new(r"(?is)<(?:news:publication_date|lastmod)>\s*(.*?)\s*</").map_err(bad)?;
    let title_re = Regex::new(r"(?is)<news:title>\s*(.*?)\s*</news:title>").map_err(bad)?;
    if !text.to_ascii_lowercase().contains("<urlset") {
        return Err(FeedParseError(
            "a sitemap index none of whose child sitemaps could be read".into(),
        ));
    }
    Ok(url_re
        .captures_iter(text)
        .map(|c| {
            let body = &c[1];
            let grab = |re: &Regex| re.captures(body).map(|m| xml_text(&m[1]));
            RawItem {
                link: grab(&loc_re),
                title: grab(&title_re),
                summary: None,
                published: grab(&date_re).and_then(|d| parse_w3c(&d)),
            }
        })
        .collect())
}

/// A child sitemap listed by a sitemap index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildSitemap {
    /// Its address, resolved against the index's.
    pub url: Url,
    /// Its `<lastmod>`, as Unix seconds.
    pub lastmod: Option<i64>,
}

/// The child sitemaps of a sitemap index, newest `<lastmod>` first (those without one last,
/// in listed order); `None` when `text` is not a sitemap index. Children whose `<loc>` is not
/// an http(s) address are left out, and each address is listed once.
pub fn sitemap_index(text: &str, index_url: &Url) -> Option<Vec<ChildSitemap>> {
    let end = (0..=text.len().min(2048))
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    if !text[..end].to_ascii_lowercase().contains("<sitemapindex") {
        return None;
    }
    let (Ok(block_re), Ok(loc_re), Ok(date_re)) = (
        Regex::new(r"(?is)<sitemap(?:\s[^>]*)?>(.*?)</sitemap>"),
        Regex::new(r"(?is)<loc>\s*(.*?)\s*</loc>"),
        Regex::new(r"(?is)<lastmod>\s*(.*?)\s*</lastmod>"),
    ) else {
        return Some(Vec::new());
    };
    let mut children: Vec<ChildSitemap> = Vec::new();
    for block in block_re.captures_iter(text) {
        let body = &block[1];
        let Some(loc) = loc_re.captures(body).map(|m| xml_text(&m[1])) else {
            continue;
        };
        let Ok(url) = resolve(Some(index_url), &loc) else {
            continue;
        };
        if children.iter().any(|c| c.url == url) {
            continue;
        }
        let lastmod = date_re
            .captures(body)
            .and_then(|m| parse_w3c(&xml_text(&m[1])));
        children.push(ChildSitemap { url, lastmod });
    }
    children.sort_by_key(|c| std::cmp::Reverse(c.lastmod.unwrap_or(i64::MIN)));
    Some(children)
}

/// Text of an XML element: CDATA unwrapped, the five entities decoded.
fn xml_text(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix("<![CDATA[")
        .and_then(|x| x.strip_suffix("]]>"))
        .unwrap_or(s);
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A W3C datetime (`2024-05-01`, `2024-05-01T10:00:00Z`, with an offset) as Unix seconds.
fn parse_w3c(s: &str) -> Option<i64> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp());
    }
    chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example/feeds/world.xml").unwrap()
    }

    #[test]
    fn rss_items_resolved_canonical_and_refused() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
          <item><title>One</title><link>/a/1?utm_source=rss</link><pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate></item>
          <item><title>Two</title><link>file:///etc/passwd</link></item>
          <item><title>Dup</title><link>https://news.example/a/1#x</link></item>
          <item><title>No link</title></item>
        </channel></rss>"#;
        let items = read_items(rss, &base(), FeedKind::Auto, &Filters::default()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].url, "https://news.example/a/1");
        assert_eq!(items[0].published, Some(1_704_103_200));
        assert!(items[1].refused.as_deref().unwrap().contains("file"));
    }

    #[test]
    fn atom_and_json_feed() {
        let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>x</id><updated>2024-01-01T00:00:00Z</updated>
          <entry><title>A</title><id>urn:1</id><link href="https://b.example/x"/><updated>2024-01-01T00:00:00Z</updated></entry></feed>"#;
        assert_eq!(
            read_items(atom, &base(), FeedKind::Auto, &Filters::default()).unwrap()[0].url,
            "https://b.example/x"
        );
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","url":"https://c.example/y","title":"Y"}]}"#;
        assert_eq!(
            read_items(json, &base(), FeedKind::Auto, &Filters::default()).unwrap()[0].url,
            "https://c.example/y"
        );
        assert!(
            read_items(
                "<html>hello</html>",
                &base(),
                FeedKind::Auto,
                &Filters::default()
            )
            .is_err()
        );
    }

    #[test]
    fn sitemaps_with_news_dates() {
        let sm = r#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
          <url><loc>https://news.example/a?x=1&amp;y=2</loc><news:news><news:publication_date>2024-02-03T04:05:06+00:00</news:publication_date><news:title>Hello</news:title></news:news></url>
          <url><loc>https://news.example/b</loc><lastmod>2024-02-03</lastmod></url></urlset>"#;
        let items = read_items(sm, &base(), FeedKind::Auto, &Filters::default()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].url, "https://news.example/a?x=1&y=2");
        assert_eq!(items[0].title.as_deref(), Some("Hello"));
        assert!(items[1].published.is_some());
        let idx = "<sitemapindex><sitemap><loc>https://x/s1.xml</loc></sitemap></sitemapindex>";
        assert!(read_items(idx, &base(), FeedKind::Sitemap, &Filters::default()).is_err());
        assert_eq!(sitemap_index(sm, &base()), None);
    }

    #[test]
    fn sitemap_index_children_newest_first_http_only_once_each() {
        let idx = r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sitemap><loc>/sm/old.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
          <sitemap><loc>https://news.example/sm/undated.xml</loc></sitemap>
          <sitemap><loc><![CDATA[https://news.example/sm/new.xml]]></loc><lastmod>2024-03-01T10:00:00Z</lastmod></sitemap>
          <sitemap><loc>file:///etc/passwd</loc></sitemap>
          <sitemap><loc>https://news.example/sm/old.xml</loc></sitemap>
          <sitemap><lastmod>2024-02-01</lastmod></sitemap>
        </sitemapindex>"#;
        let kids = sitemap_index(idx, &base()).unwrap();
        let urls: Vec<&str> = kids.iter().map(|c| c.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://news.example/sm/new.xml",
                "https://news.example/sm/old.xml",
                "https://news.example/sm/undated.xml",
            ]
        );
        assert_eq!(kids[1].lastmod, Some(1_704_067_200));
        assert_eq!(kids[2].lastmod, None);
    }
}
