//! HTML pages: main text by Readability, metadata from `<meta>`, OpenGraph and JSON-LD.

use dom_smoothie::{Config, Readability, TextMode};
use frontline_model::DocumentMeta;

use crate::dates::read_date;

/// What was read from an HTML page.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlPage {
    /// Title, outlet, author, date, language and URL found in the page (origin unset).
    pub meta: DocumentMeta,
    /// The main text, one paragraph per line.
    pub text: String,
    /// Problems with the page's metadata (a publication date that could not be read, or an
    /// ambiguous one and how it was read).
    pub warnings: Vec<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
}

/// Reads an HTML page. `url` (absolute) is the page's address when known.
///
/// Readability picks the main text; when it finds none (very short pages, odd markup), the
/// visible text of the whole page is used instead.
pub fn read_html(html: &str, url: Option<&str>) -> HtmlPage {
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let cfg = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: 50_000,
        char_threshold: 200,
        ..Default::default()
    };
    let mut meta = DocumentMeta {
        url: url.map(str::to_string),
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let parsed = Readability::new(html, url, Some(cfg)).map(|mut r| {
        let article = r.parse();
        let md = r.get_article_metadata(r.parse_json_ld());
        (article, md)
    });
    let text = match parsed {
        Ok((article, md)) => {
            meta.title = non_empty(Some(md.title));
            meta.author = non_empty(md.byline);
            meta.outlet = non_empty(md.site_name);
            if let Some(value) = md
                .published_time
                .as_deref()
                .filter(|v| !v.trim().is_empty())
            {
                match read_date(value) {
                    Ok(r) => {
                        meta.published_at = Some(r.date);
                        warnings.extend(r.note);
                    }
                    Err(e) => warnings.push(e.to_string()),
                }
            }
            meta.language = md
                .lang
                .map(|l| l.chars().take(2).collect::<String>().to_ascii_lowercase())
                .filter(|l| l.len() == 2);
            if meta.url.is_none() {
                meta.url = md.url.filter(|u| u.starts_with("http"));
            }
            match article {
                Ok(a) if !a.text_content.trim().is_empty() => tidy(&a.text_content),
                _ => visible_text(html),
            }
        }
        Err(_) => visible_text(html),
    };
    HtmlPage {
        meta,
        text,
        warnings,
    }
}

/// Collapses runs of spaces inside lines and blank-line runs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The visible text of a page: tags removed, scripts and styles dropped, block ends as line
/// breaks, common entities decoded. A fallback when Readability finds no article.
pub(crate) fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let rest = &lower[i..];
            let skip_to = ["script", "style", "noscript", "template"]
                .iter()
                .find(|t| rest.starts_with(&format!("<{t}")))
                .and_then(|t| rest.find(&format!("</{t}")).map(|e| e + 2 + t.len()));
            let end = match skip_to {
                Some(e) => rest[e..].find('>').map(|x| i + e + x + 1),
                None => rest.find('>').map(|x| i + x + 1),
            };
            let block = [
                "<p", "</p", "<br", "<div", "</div", "<h", "</h", "<li", "<tr",
            ]
            .iter()
            .any(|t| rest.starts_with(t));
            if block {
                out.push('\n');
            }
            match end {
                Some(e) => i = e,
                None => break,
            }
        } else {
            let next = html[i..].find('<').map_or(html.len(), |x| i + x);
            out.push_str(&decode_entities(&html[i..next]));
            i = next;
        }
    }
    tidy(&out)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en-GB"><head>
<title>Troops reach border post | The Daily Ledger</title>
<meta property="og:title" content="Troops reach border post">
<meta property="og:site_name" content="The Daily Ledger">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2017-06-18T09:30:00Z">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Troops reach border post","datePublished":"2017-06-18T09:30:00Z",
"author":{"@type":"Person","name":"Jane Roe"},"publisher":{"@type":"Organization","name":"The Daily Ledger"}}</script>
<style>p{color:red}</style></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Troops reach border post</h1>
<p>Government troops reached a border post in the eastern desert on Sunday, the defence ministry said, the first time they had been there in several years.</p>
<p>The ministry said the troops met no resistance and were clearing mines laid along the road. A spokesman for the opposition said its fighters had withdrawn days earlier.</p>
<p>There was no independent confirmation of the advance, which came after weeks of air strikes on positions held by militants in the area.</p>
</article><footer>Copyright 2017 The Daily Ledger. Share on Facebook</footer></body></html>"#;

    #[test]
    fn reads_main_text_and_metadata() {
        let page = read_html(PAGE, None);
        assert_eq!(page.meta.title.as_deref(), Some("Troops reach border post"));
        assert_eq!(page.meta.outlet.as_deref(), Some("The Daily Ledger"));
        assert_eq!(page.meta.author.as_deref(), Some("Jane Roe"));
        assert_eq!(
            page.meta.published_at,
            chrono::NaiveDate::from_ymd_opt(2017, 6, 18)
        );
        assert_eq!(page.meta.language.as_deref(), Some("en"));
        assert!(
            page.text
                .contains("Government troops reached a border post")
        );
        assert!(page.text.contains("no independent confirmation"));
        assert!(!page.text.contains("color:red"));
        assert!(!page.text.contains("Home"));
    }

    #[test]
    fn visible_text_fallback() {
        let t = visible_text("<p>One &amp; two</p><script>var x = '<p>';</script><p>three</p>");
        assert_eq!(t, "One & two\nthree\n");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn never_panics_on_arbitrary_markup(s in "(<[a-z/!]{0,6}[^>]{0,10}>?|[a-z &;]{0,12}){0,30}") {
            let _ = read_html(&s, None);
            let _ = visible_text(&s);
        }
    }
}
