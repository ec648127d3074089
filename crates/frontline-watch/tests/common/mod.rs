//! A scripted news site on 127.0.0.1 for the watch tests: each path answers with a
//! [`Reply`], and every request is counted.

#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Response, StatusCode, Uri, header};
use frontline_model::{Document, DocumentMeta, Extraction};

/// What a path answers.
#[derive(Clone)]
pub enum Reply {
    /// 200 with this body and content type; with an ETag, a matching `If-None-Match` gets 304.
    Ok {
        body: Vec<u8>,
        ctype: String,
        etag: Option<String>,
    },
    /// This status with these headers and an empty body.
    Status(u16, Vec<(&'static str, String)>),
    /// 302 to this location.
    Redirect(String),
    /// 200 whose body sends a few bytes, then stalls for a minute.
    Slow,
    /// 200 with `len` bytes streamed without a Content-Length.
    Huge(usize),
    /// The nth request gets the nth reply; the last one repeats.
    Seq(Vec<Reply>),
}

#[derive(Default)]
pub struct Site {
    pub replies: Mutex<HashMap<String, Reply>>,
    pub hits: Mutex<HashMap<String, usize>>,
    pub conditional_hits: Mutex<HashMap<String, usize>>,
}

impl Site {
    pub fn set(&self, path: &str, reply: Reply) {
        self.replies.lock().unwrap().insert(path.to_string(), reply);
    }
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
    pub fn conditional_hits(&self, path: &str) -> usize {
        self.conditional_hits
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

pub fn html(body: &str) -> Reply {
    Reply::Ok {
        body: body.as_bytes().to_vec(),
        ctype: "text/html; charset=utf-8".into(),
        etag: None,
    }
}

/// An article page whose text is `para` repeated into a few paragraphs.
pub fn article(title: &str, para: &str) -> Reply {
    html(&article_html(title, para))
}

pub fn article_html(title: &str, para: &str) -> String {
    let p = format!("<p>{para} {para} {para}</p>");
    format!(
        "<html><head><title>{title}</title></head><body><nav>Home | World</nav><article><h1>{title}</h1>{p}{p}{p}</article></body></html>"
    )
}

/// An RSS feed listing these links.
pub fn rss(links: &[&str], etag: Option<&str>) -> Reply {
    let items: String = links
        .iter()
        .enumerate()
        .map(|(i, l)| format!("<item><title>Item {i}</title><link>{l}</link></item>"))
        .collect();
    Reply::Ok {
        body: format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title>{items}</channel></rss>").into_bytes(),
        ctype: "application/rss+xml".into(),
        etag: etag.map(str::to_string),
    }
}

async fn handle(State(site): State<Arc<Site>>, uri: Uri, headers: HeaderMap) -> Response<Body> {
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    let n = {
        let mut hits = site.hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    if headers.contains_key(header::IF_NONE_MATCH)
        || headers.contains_key(header::IF_MODIFIED_SINCE)
    {
        *site
            .conditional_hits
            .lock()
            .unwrap()
            .entry(path.clone())
            .or_default() += 1;
    }
    let reply = site.replies.lock().unwrap().get(&path).cloned();
    let Some(mut reply) = reply else {
        return Response::builder().status(404).body(Body::empty()).unwrap();
    };
    if let Reply::Seq(list) = reply {
        reply = list[(n - 1).min(list.len() - 1)].clone();
    }
    match reply {
        Reply::Ok { body, ctype, etag } => {
            let inm = headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok());
            if let (Some(e), Some(i)) = (&etag, inm) {
                if e == i {
                    return Response::builder()
                        .status(304)
                        .header(header::ETAG, e)
                        .body(Body::empty())
                        .unwrap();
                }
            }
            let mut b = Response::builder().status(200);
            if !ctype.is_empty() {
                b = b.header(header::CONTENT_TYPE, ctype);
            }
            if let Some(e) = etag {
                b = b.header(header::ETAG, e);
            }
            b.body(Body::from(body)).unwrap()
        }
        Reply::Status(code, hs) => {
            let mut b = Response::builder().status(StatusCode::from_u16(code).unwrap());
            for (k, v) in hs {
                b = b.header(k, v);
            }
            b.body(Body::empty()).unwrap()
        }
        Reply::Redirect(to) => Response::builder()
            .status(302)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .unwrap(),
        Reply::Slow => {
            let stream = futures_util::stream::unfold(0u8, |i| async move {
                if i > 0 {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
                (i < 2).then(|| {
                    (
                        Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"<html><body><p>")),
                        i + 1,
                    )
                })
            });
            Response::builder()
                .status(200)
                .header(header::CONTENT_TYPE, "text/html")
                .body(Body::from_stream(stream))
                .unwrap()
        }
        Reply::Huge(len) => {
            let chunk = axum::body::Bytes::from(vec![b'a'; 64 << 10]);
            let stream = futures_util::stream::unfold(0usize, move |sent| {
                let chunk = chunk.clone();
                async move {
                    (sent < len)
                        .then(|| (Ok::<_, std::io::Error>(chunk.clone()), sent + chunk.len()))
                }
            });
            Response::builder()
                .status(200)
                .header(header::CONTENT_TYPE, "text/html")
                .body(Body::from_stream(stream))
                .unwrap()
        }
        Reply::Seq(_) => Response::builder().status(500).body(Body::empty()).unwrap(),
    }
}

/// Starts the site on 127.0.0.1 (a port of its own) and returns its address.
pub async fn start(site: Arc<Site>) -> SocketAddr {
    let app = axum::Router::new().fallback(handle).with_state(site);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// The extraction the tests use: the document alone, no events (the pipeline is tested
/// elsewhere; these tests are about fetching and storing).
pub fn plain(meta: DocumentMeta, text: &str) -> Extraction {
    Extraction::new(Document::from_meta(meta, text.to_string()))
}

/// A sitemap index listing these child sitemaps, each with an optional `<lastmod>`.
pub fn sitemap_index(children: &[(&str, Option<&str>)], etag: Option<&str>) -> Reply {
    let items: String = children
        .iter()
        .map(|(loc, lastmod)| {
            let lastmod = lastmod.map_or(String::new(), |d| format!("<lastmod>{d}</lastmod>"));
            format!("<sitemap><loc>{loc}</loc>{lastmod}</sitemap>")
        })
        .collect();
    Reply::Ok {
        body: format!("<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{items}</sitemapindex>").into_bytes(),
        ctype: "application/xml".into(),
        etag: etag.map(str::to_string),
    }
}

/// A `<urlset>` sitemap listing these pages.
pub fn urlset(links: &[&str]) -> Reply {
    let items: String = links
        .iter()
        .map(|l| format!("<url><loc>{l}</loc></url>"))
        .collect();
    Reply::Ok {
        body: format!("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{items}</urlset>").into_bytes(),
        ctype: "application/xml".into(),
        etag: None,
    }
}
