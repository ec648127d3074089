//! The feeds file: a TOML document with a `[watch]` table of client settings and one
//! `[[feed]]` table per feed (see `docs/feeds.example.toml`), or an OPML outline imported
//! with [`Config::from_opml`].

use std::path::Path;
use std::time::Duration;

use regex::Regex;
use serde::Deserialize;

use crate::WatchError;

/// Client and loop settings (the `[watch]` table); every field has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The User-Agent sent with every request; it should name the operator and a contact.
    pub user_agent: String,
    /// Seconds allowed to open a connection.
    pub connect_timeout_s: f64,
    /// Seconds allowed from sending a request to its response headers.
    pub header_timeout_s: f64,
    /// Seconds allowed to read a whole body.
    pub body_timeout_s: f64,
    /// Largest body read, in bytes; a larger one is refused (`too_large`).
    pub max_body_bytes: u64,
    /// Redirects followed for one request (a longer chain, or a loop, fails).
    pub max_redirects: usize,
    /// Attempts after the first one for a 429, a 5xx or a network error.
    pub retries: u32,
    /// The first retry's delay in seconds (doubled for each later one, with jitter).
    pub retry_base_s: f64,
    /// The longest delay waited before a retry, `Retry-After` included, in seconds; a server
    /// asking for longer makes the request fail now and the feed is backed off instead.
    pub retry_max_s: f64,
    /// Requests in flight at once to one host.
    pub per_host_concurrency: usize,
    /// Seconds between the starts of two requests to one host.
    pub per_host_interval_s: f64,
    /// Pages fetched at once in all (across hosts).
    pub concurrency: usize,
    /// Default poll interval of a feed, in seconds.
    pub poll_s: u64,
    /// Longest delay before a failing feed is polled again, in seconds.
    pub max_backoff_s: u64,
    /// Items stored per database transaction.
    pub batch: usize,
    /// Whether robots.txt is honoured (on by default; turn it off only for your own sites).
    pub robots: bool,
    /// Seconds a robots.txt is kept before it is fetched again.
    pub robots_ttl_s: u64,
    /// Items older than this many days (by their feed date) are not fetched; 0 for no limit.
    pub max_age_days: u64,
    /// Child sitemaps fetched per poll of a sitemap index (newest `<lastmod>` first).
    pub sitemap_children: usize,
    /// Levels of sitemap index followed below a feed's own index (1: its children only).
    pub sitemap_depth: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            user_agent: crate::DEFAULT_USER_AGENT.to_string(),
            connect_timeout_s: 10.0,
            header_timeout_s: 20.0,
            body_timeout_s: 30.0,
            max_body_bytes: 8 << 20,
            max_redirects: 5,
            retries: 3,
            retry_base_s: 2.0,
            retry_max_s: 120.0,
            per_host_concurrency: 2,
            per_host_interval_s: 1.0,
            concurrency: 8,
            poll_s: 300,
            max_backoff_s: 6 * 3600,
            batch: 16,
            robots: true,
            robots_ttl_s: 24 * 3600,
            max_age_days: 0,
            sitemap_children: 20,
            sitemap_depth: 2,
        }
    }
}

impl Settings {
    /// A duration from seconds given in the file (negative or NaN reads as zero).
    pub fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(if s.is_finite() { s.max(0.0) } else { 0.0 })
    }
}

/// What a feed URL serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FeedKind {
    /// Decided by the content: RSS, Atom, JSON Feed, or a sitemap (`<urlset>`/`<sitemapindex>`).
    #[default]
    Auto,
    /// An XML sitemap (Google News sitemaps included).
    Sitemap,
}

/// One `[[feed]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// The feed's URL (http or https).
    pub url: String,
    /// Outlet name stored with its documents (default: what the page says, else the host).
    #[serde(default)]
    pub outlet: Option<String>,
    /// ISO 639-1 language of its articles.
    #[serde(default)]
    pub language: Option<String>,
    /// Poll interval in seconds (default: `[watch] poll_s`).
    #[serde(default)]
    pub poll_s: Option<u64>,
    /// What the URL serves.
    #[serde(default)]
    pub kind: FeedKind,
    /// Only items whose title, summary or link match one of these regular expressions
    /// (case-insensitive) are fetched; empty: all.
    #[serde(default)]
    pub include: Vec<String>,
    /// Items whose title, summary or link match one of these are skipped.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Whether the item's own text (feed summary or content) is stored when its page cannot
    /// be fetched or read (default: off; the page is the article).
    #[serde(default)]
    pub fallback_to_summary: bool,
    /// Whether the feed is polled (default: on).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// The whole feeds file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Client and loop settings.
    #[serde(default)]
    pub watch: Settings,
    /// The feeds.
    #[serde(default, rename = "feed")]
    pub feeds: Vec<FeedConfig>,
    /// OPML files whose outlines are added as feeds (paths relative to the config file).
    #[serde(default)]
    pub opml: Vec<String>,
}

/// A feed's filters, compiled.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    include: Vec<Regex>,
    exclude: Vec<Regex>,
}

impl Filters {
    /// Compiles a feed's `include` and `exclude` patterns.
    pub fn of(feed: &FeedConfig) -> Result<Self, WatchError> {
        let compile = |p: &String| {
            regex::RegexBuilder::new(p)
                .case_insensitive(true)
                .size_limit(1 << 20)
                .build()
                .map_err(|e| {
                    WatchError::Config(format!("feed {}: bad pattern {p:?}: {e}", feed.url))
                })
        };
        Ok(Self {
            include: feed.include.iter().map(compile).collect::<Result<_, _>>()?,
            exclude: feed.exclude.iter().map(compile).collect::<Result<_, _>>()?,
        })
    }

    /// Whether an item with this text (title, summary and link joined) is wanted.
    pub fn wants(&self, text: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|r| r.is_match(text)))
            && !self.exclude.iter().any(|r| r.is_match(text))
    }
}

impl Config {
    /// Reads a feeds file: TOML, or OPML when it starts with `<` (after blanks).
    pub fn load(path: &Path) -> Result<Self, WatchError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| WatchError::Config(format!("{}: cannot read: {e}", path.display())))?;
        let mut cfg = if text.trim_start().starts_with('<') {
            Self::from_opml(&text)
        } else {
            Self::from_toml(&text)
        }
        .map_err(|e| WatchError::Config(format!("{}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for file in std::mem::take(&mut cfg.opml) {
            let p = base.join(&file);
            let text = std::fs::read_to_string(&p)
                .map_err(|e| WatchError::Config(format!("{}: cannot read: {e}", p.display())))?;
            let more = Self::from_opml(&text)
                .map_err(|e| WatchError::Config(format!("{}: {e}", p.display())))?;
            cfg.feeds.extend(more.feeds);
        }
        cfg.validate()?;
        Ok(cfg)
    }

    /// Parses the TOML form.
    pub fn from_toml(text: &str) -> Result<Self, WatchError> {
        let cfg: Config = toml::from_str(text).map_err(|e| WatchError::Config(e.to_string()))?;
        Ok(cfg)
    }

    /// Parses an OPML outline: each `<outline>` with an `xmlUrl` becomes a feed, its `title`
    /// (or `text`) the outlet and its `language` attribute, when present, the language.
    pub fn from_opml(text: &str) -> Result<Self, WatchError> {
        let outline = Regex::new(r"(?is)<outline\b([^>]*)>")
            .map_err(|e| WatchError::Config(e.to_string()))?;
        let attr = Regex::new(r#"(?is)\b([a-z:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"#)
            .map_err(|e| WatchError::Config(e.to_string()))?;
        let mut feeds = Vec::new();
        for m in outline.captures_iter(text) {
            let mut url = None;
            let mut title = None;
            let mut language = None;
            for a in attr.captures_iter(&m[1]) {
                let value = a.get(2).or_else(|| a.get(3)).map(|v| unescape(v.as_str()));
                match a[1].to_ascii_lowercase().as_str() {
                    "xmlurl" => url = value,
                    "title" => title = value.or(title),
                    "text" if title.is_none() => title = value,
                    "language" => language = value,
                    _ => {}
                }
            }
            if let Some(url) = url.filter(|u| !u.trim().is_empty()) {
                feeds.push(FeedConfig {
                    url: url.trim().to_string(),
                    outlet: title.filter(|t| !t.trim().is_empty()),
                    language,
                    poll_s: None,
                    kind: FeedKind::Auto,
                    include: Vec::new(),
                    exclude: Vec::new(),
                    fallback_to_summary: false,
                    enabled: true,
                });
            }
        }
        if feeds.is_empty() && !text.to_ascii_lowercase().contains("<opml") {
            return Err(WatchError::Config("not an OPML document".into()));
        }
        Ok(Config {
            feeds,
            ..Default::default()
        })
    }

    /// Checks every feed: an http(s) URL, compilable filters, no feed listed twice.
    pub fn validate(&self) -> Result<(), WatchError> {
        let mut seen = std::collections::HashSet::new();
        for f in &self.feeds {
            let u = url::Url::parse(&f.url)
                .map_err(|e| WatchError::Config(format!("feed {:?}: not a URL: {e}", f.url)))?;
            if !matches!(u.scheme(), "http" | "https") {
                return Err(WatchError::Config(format!(
                    "feed {:?}: only http and https feeds are polled",
                    f.url
                )));
            }
            Filters::of(f)?;
            if !seen.insert(f.url.clone()) {
                return Err(WatchError::Config(format!(
                    "feed {:?} is listed twice",
                    f.url
                )));
            }
        }
        if self.watch.per_host_concurrency == 0
            || self.watch.concurrency == 0
            || self.watch.batch == 0
        {
            return Err(WatchError::Config(
                "[watch] concurrency, per_host_concurrency and batch must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// The five XML entities and numeric references.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let re = Regex::new(r"&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);");
    let Ok(re) = re else { return s.to_string() };
    re.replace_all(s, |c: &regex::Captures| {
        let e = &c[1];
        match e {
            "amp" => "&".into(),
            "lt" => "<".into(),
            "gt" => ">".into(),
            "quot" => "\"".into(),
            "apos" => "'".into(),
            _ => {
                let n = if let Some(h) = e.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()
                } else {
                    e[1..].parse().ok()
                };
                n.and_then(char::from_u32)
                    .map(String::from)
                    .unwrap_or_default()
            }
        }
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_with_defaults_and_overrides() {
        let cfg = Config::from_toml(
            r#"
            [watch]
            user_agent = "test-bot/1 (ops@example.org)"
            per_host_interval_s = 0.5
            [[feed]]
            url = "https://example.org/rss"
            outlet = "Example"
            language = "en"
            poll_s = 60
            include = ["shell"]
            [[feed]]
            url = "https://example.org/sitemap.xml"
            kind = "sitemap"
            "#,
        )
        .unwrap();
        assert_eq!(cfg.feeds.len(), 2);
        assert_eq!(cfg.feeds[0].poll_s, Some(60));
        assert_eq!(cfg.feeds[1].kind, FeedKind::Sitemap);
        assert!(cfg.feeds[1].enabled);
        assert_eq!(cfg.watch.retries, Settings::default().retries);
        assert!(cfg.validate().is_ok());
    }

    #[test]
    fn unknown_keys_and_bad_feeds_are_errors() {
        assert!(Config::from_toml("[[feed]]\nurl = \"https://a\"\npoll = 5\n").is_err());
        let cfg = Config::from_toml("[[feed]]\nurl = \"file:///etc/passwd\"\n").unwrap();
        assert!(cfg.validate().is_err());
        let cfg =
            Config::from_toml("[[feed]]\nurl = \"https://a/\"\n[[feed]]\nurl = \"https://a/\"\n")
                .unwrap();
        assert!(cfg.validate().unwrap_err().to_string().contains("twice"));
        let cfg = Config::from_toml("[[feed]]\nurl = \"https://a/\"\ninclude = [\"(\"]\n").unwrap();
        assert!(cfg.validate().is_err());
    }

    #[test]
    fn opml_outlines_become_feeds() {
        let cfg = Config::from_opml(
            r#"<?xml version="1.0"?><opml version="2.0"><body>
            <outline text="Wires">
              <outline type="rss" text="A &amp; B News" xmlUrl="https://a.example/feed" language="fr"/>
              <outline type="rss" title='C' xmlUrl='https://c.example/rss'/>
            </outline></body></opml>"#,
        )
        .unwrap();
        assert_eq!(cfg.feeds.len(), 2);
        assert_eq!(cfg.feeds[0].outlet.as_deref(), Some("A & B News"));
        assert_eq!(cfg.feeds[0].language.as_deref(), Some("fr"));
        assert_eq!(cfg.feeds[1].url, "https://c.example/rss");
        assert!(Config::from_opml("<html></html>").is_err());
    }

    #[test]
    fn filters_include_and_exclude() {
        let mut f = Config::from_toml("[[feed]]\nurl = \"https://a/\"\n")
            .unwrap()
            .feeds
            .remove(0);
        f.include = vec!["attack|shelling".into()];
        f.exclude = vec!["sport".into()];
        let filters = Filters::of(&f).unwrap();
        assert!(filters.wants("Shelling near the border"));
        assert!(!filters.wants("Sport: attack wins"));
        assert!(!filters.wants("Weather"));
    }
}
