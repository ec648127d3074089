//! Canonical URLs and content hashes: how one story is recognised under several links.

use sha2::{Digest, Sha256};
use url::Url;

/// Query parameters that only track where a reader came from (rule `canon.tracking`).
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "yclid",
    "_ga",
    "_gl",
    "ocid",
    "cmpid",
    "ito",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "ns_linkname",
    "ns_fee",
    "at_medium",
    "at_campaign",
    "at_custom1",
    "at_custom2",
    "at_custom3",
    "at_custom4",
    "smid",
    "smtyp",
    "ref_src",
];

/// Why a link is not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRefused {
    /// Not a URL at all.
    Malformed(String),
    /// A scheme other than http and https (`file`, `ftp`, `javascript`, `data`, ...).
    Scheme(String),
}

impl std::fmt::Display for LinkRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkRefused::Malformed(e) => write!(f, "not a URL: {e}"),
            LinkRefused::Scheme(s) => {
                write!(f, "scheme {s:?} is not followed (only http and https)")
            }
        }
    }
}

/// Resolves `href` against `base` and checks it may be fetched (rule `canon.scheme`: http
/// and https only).
pub fn resolve(base: Option<&Url>, href: &str) -> Result<Url, LinkRefused> {
    let href = href.trim();
    let parsed = match base {
        Some(b) => b.join(href),
        None => Url::parse(href),
    }
    .map_err(|e| LinkRefused::Malformed(e.to_string()))?;
    match parsed.scheme() {
        "http" | "https" if parsed.host_str().is_some() => Ok(parsed),
        "http" | "https" => Err(LinkRefused::Malformed("no host".into())),
        other => Err(LinkRefused::Scheme(other.to_string())),
    }
}

/// The canonical form of a URL (rule `canon.url`): lower-case scheme and host (the `url`
/// crate does both), no fragment, no default port, tracking parameters (`utm_*` and
/// [`TRACKING_PARAMS`]) dropped, remaining parameters sorted, and an empty query removed.
pub fn canonical(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !k.starts_with("utm_") && !TRACKING_PARAMS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    u.to_string()
}

/// A hash of an article's text (rule `canon.hash`): SHA-256 of its words, lower-cased and
/// joined by single spaces, so that the same story re-served with other whitespace or
/// markup hashes the same. Hex, 64 characters.
pub fn content_hash(text: &str) -> String {
    let mut h = Sha256::new();
    for (i, w) in text.split_whitespace().enumerate() {
        if i > 0 {
            h.update(b" ");
        }
        h.update(w.to_lowercase().as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The host key of a URL for per-host limits and robots.txt: `scheme://host:port`.
pub fn origin_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        canonical(&Url::parse(s).unwrap())
    }

    #[test]
    fn tracking_params_fragment_and_order_are_dropped() {
        assert_eq!(
            canon("HTTPS://News.Example.ORG:443/a/b?utm_source=rss&id=7&fbclid=x&b=2#top"),
            "https://news.example.org/a/b?b=2&id=7"
        );
        assert_eq!(
            canon("http://example.org/x?utm_medium=feed"),
            "http://example.org/x"
        );
        assert_eq!(
            canon("http://example.org/x?b=1&a=2"),
            canon("http://example.org/x?a=2&b=1")
        );
    }

    #[test]
    fn only_http_and_https_are_followed() {
        let base = Url::parse("https://example.org/feed/").unwrap();
        assert_eq!(
            resolve(Some(&base), "../a.html").unwrap().as_str(),
            "https://example.org/a.html"
        );
        assert!(
            matches!(resolve(Some(&base), "file:///etc/passwd"), Err(LinkRefused::Scheme(s)) if s == "file")
        );
        assert!(matches!(
            resolve(Some(&base), "javascript:alert(1)"),
            Err(LinkRefused::Scheme(_))
        ));
        assert!(matches!(
            resolve(Some(&base), "ftp://example.org/x"),
            Err(LinkRefused::Scheme(_))
        ));
        assert!(resolve(None, "not a url").is_err());
    }

    #[test]
    fn content_hash_ignores_case_and_spacing() {
        assert_eq!(
            content_hash("Two  killed\nin Town"),
            content_hash("two killed in town")
        );
        assert_ne!(content_hash("two killed"), content_hash("three killed"));
        assert_eq!(content_hash("x").len(), 64);
    }
}
