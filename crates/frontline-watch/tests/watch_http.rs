//! The watcher against a scripted site on 127.0.0.1: conditional requests, changing feeds,
//! 429 and 500, slow and huge bodies, redirect loops, charsets, robots.txt, duplicates and
//! refused schemes. No test measures time; all traffic stays on loopback.

#![allow(clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use common::{Reply, Site, article, html, rss, sitemap_index, start, urlset};
use frontline_store::Store;
use frontline_watch::{Config, Metrics, Summary, Watcher};

/// A feeds file for these feeds (paths on `addr`), with test-friendly limits.
fn config(addr: SocketAddr, feeds: &[&str]) -> Config {
    let mut toml = String::from(
        "[watch]\nuser_agent = \"frontline-test/1\"\nper_host_interval_s = 0\nretries = 1\n\
         retry_base_s = 0.01\nretry_max_s = 5\nbody_timeout_s = 1\nheader_timeout_s = 5\n\
         max_body_bytes = 1048576\npoll_s = 60\nbatch = 4\n",
    );
    for f in feeds {
        toml.push_str(&format!(
            "[[feed]]\nurl = \"http://{addr}{f}\"\noutlet = \"Test Outlet\"\nlanguage = \"en\"\n"
        ));
    }
    Config::from_toml(&toml).unwrap()
}

fn watcher(db: &Path, cfg: Config) -> (Watcher, Arc<Store>, Arc<Metrics>) {
    let store = Arc::new(Store::open(db).unwrap());
    let metrics = Arc::new(Metrics::default());
    let w = Watcher::new(cfg, store.clone(), Arc::new(common::plain), metrics.clone()).unwrap();
    (w, store, metrics)
}

async fn once(db: &Path, cfg: Config) -> (Summary, Watcher, Arc<Metrics>) {
    let (w, _store, metrics) = watcher(db, cfg);
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let s = w.run(rx, true).await.unwrap();
    (s, w, metrics)
}

/// (url, text) of every stored document, by URL.
fn documents(db: &Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare("SELECT url, text FROM documents ORDER BY url")
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn item_state(db: &Path, url: &str) -> (String, Option<String>) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(
        "SELECT state, error FROM watch_items WHERE url = ?1",
        [url],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn conditional_requests_get_304_and_changed_feeds_bring_only_new_items() {
    let site = Arc::new(Site::default());
    let addr = start(site.clone()).await;
    site.set(
        "/a/1",
        article(
            "One",
            "Shelling hit the northern district of the town on Monday.",
        ),
    );
    site.set(
        "/a/2",
        article(
            "Two",
            "Aid convoys reached the coastal city after a week of delays.",
        ),
    );
    site.set("/feed.xml", rss(&["/a/1", "/a/2"], Some("\"v1\"")));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let cfg = config(addr, &["/feed.xml"]);

    let (s, _, _) = once(&db, cfg.clone()).await;
    assert_eq!((s.polls_changed, s.documents), (1, 2));
    // Unchanged: a conditional request answered 304, nothing fetched again.
    let (s, _, m) = once(&db, cfg.clone()).await;
    assert_eq!((s.polls_not_modified, s.documents), (1, 0));
    assert_eq!(site.conditional_hits("/feed.xml"), 1);
    assert_eq!(m.fetches_with_status(304), 1);
    // Changed: only the new item is fetched.
    site.set(
        "/a/3",
        article(
            "Three",
            "A bridge was destroyed by an explosion near the capital.",
        ),
    );
    site.set("/feed.xml", rss(&["/a/3", "/a/2", "/a/1"], Some("\"v2\"")));
    let (s, w, _) = once(&db, cfg).await;
    assert_eq!((s.polls_changed, s.documents), (1, 1));
    assert_eq!(
        (site.hits("/a/1"), site.hits("/a/2"), site.hits("/a/3")),
        (1, 1, 1)
    );
    assert_eq!(documents(&db).len(), 3);
    let health = w.health().unwrap();
    assert_eq!(
        (health[0].items, health[0].documents, health[0].failures),
        (3, 3, 0)
    );
    assert!(
        documents(&db)
            .iter()
            .all(|(u, _)| u.starts_with(&format!("http://{addr}/a/")))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_429_with_retry_after_is_retried_and_a_failing_feed_is_backed_off() {
    let site = Arc::new(Site::default());
    let addr = start(site.clone()).await;
    site.set(
        "/a/busy",
        Reply::Seq(vec![
            Reply::Status(429, vec![("retry-after", "1".into())]),
            article(
                "Busy",
                "Troops withdrew from the village after talks in the regional centre.",
            ),
        ]),
    );
    site.set("/good.xml", rss(&["/a/busy"], None));
    site.set("/bad.xml", Reply::Status(500, vec![]));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (s, w, m) = once(&db, config(addr, &["/bad.xml", "/good.xml"])).await;
    assert_eq!(
        s.documents, 1,
        "the good feed goes on whatever the bad one does"
    );
    assert_eq!(site.hits("/a/busy"), 2);
    // 500: the first try and one retry, then the feed is backed off and reported.
    assert_eq!(site.hits("/bad.xml"), 2);
    assert_eq!(s.polls_failed, 1);
    let bad = w
        .health()
        .unwrap()
        .into_iter()
        .find(|h| h.url.ends_with("/bad.xml"))
        .unwrap();
    assert_eq!(bad.failures, 1);
    assert!(bad.last_error.as_deref().unwrap().contains("500"));
    assert!(bad.next_poll > frontline_watch::state::now());
    let text = m.render();
    assert!(
        text.contains("frontline_watch_retries_total{host=\"127.0.0.1\"} 2"),
        "{text}"
    );
    assert!(text.contains("kind=\"http_5xx\""), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_huge_and_looping_pages_fail_alone() {
    let site = Arc::new(Site::default());
    let addr = start(site.clone()).await;
    site.set("/a/slow", Reply::Slow);
    site.set("/a/huge", Reply::Huge(3 << 20));
    site.set("/a/loop1", Reply::Redirect("/a/loop2".into()));
    site.set("/a/loop2", Reply::Redirect("/a/loop1".into()));
    site.set("/a/tofile", Reply::Redirect("file:///etc/passwd".into()));
    site.set(
        "/a/ok",
        article(
            "Fine",
            "Two soldiers were wounded in a clash at a checkpoint on the road.",
        ),
    );
    site.set(
        "/feed.xml",
        rss(
            &["/a/slow", "/a/huge", "/a/loop1", "/a/tofile", "/a/ok"],
            None,
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (s, _, m) = once(&db, config(addr, &["/feed.xml"])).await;
    assert_eq!(s.documents, 1);
    let url = |p: &str| format!("http://{addr}{p}");
    let (state, err) = item_state(&db, &url("/a/huge"));
    assert_eq!(state, "skipped");
    assert!(err.unwrap().contains("larger than"));
    let (state, err) = item_state(&db, &url("/a/loop1"));
    assert_eq!(state, "skipped");
    assert!(err.unwrap().contains("redirect"));
    let (state, err) = item_state(&db, &url("/a/tofile"));
    assert_eq!(state, "skipped");
    assert!(err.unwrap().contains("file"));
    // A body that stalls times out; the item stays pending for a later try.
    let (state, err) = item_state(&db, &url("/a/slow"));
    assert_eq!(state, "pending");
    assert!(err.unwrap().contains("body"));
    assert!(m.render().contains("kind=\"timeout\""));
    assert!(site.hits("/a/loop1") <= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn charsets_declared_in_header_meta_or_not_at_all() {
    let site = Arc::new(Site::default());
    let addr = start(site.clone()).await;
    let para = "Le café du village a été détruit lors des combats près de la frontière.";
    let page = common::article_html("Café", para);
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&page);
    // Declared in the header.
    site.set(
        "/a/header",
        Reply::Ok {
            body: latin.to_vec(),
            ctype: "text/html; charset=windows-1252".into(),
            etag: None,
        },
    );
    // Declared only in a <meta>.
    let with_meta = page
        .replace("<head>", "<head><meta charset=\"windows-1252\">")
        .replace("village", "hameau");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&with_meta);
    site.set(
        "/a/meta",
        Reply::Ok {
            body: bytes.to_vec(),
            ctype: "text/html".into(),
            etag: None,
        },
    );
    // Not declared at all: guessed.
    let bare = page.replace("village", "bourg");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&bare);
    site.set(
        "/a/none",
        Reply::Ok {
            body: bytes.to_vec(),
            ctype: String::new(),
            etag: None,
        },
    );
    site.set("/feed.xml", rss(&["/a/header", "/a/meta", "/a/none"], None));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (s, _, _) = once(&db, config(addr, &["/feed.xml"])).await;
    assert_eq!(s.documents, 3);
    for (url, text) in documents(&db) {
        assert!(
            text.contains("café") && text.contains("été détruit"),
            "{url}: {text}"
        );
        assert!(!text.contains('\u{fffd}'), "{url}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_txt_forbidding_a_path_is_honoured() {
    let site = Arc::new(Site::default());
    let addr = start(site.clone()).await;
    site.set(
        "/robots.txt",
        Reply::Ok {
            body: b"User-agent: *\nDisallow: /private/\n".to_vec(),
            ctype: "text/plain".into(),
            etag: None,
        },
    );
    site.set(
        "/private/a",
        article(
            "Secret",
            "Artillery fire was reported in the hills overnight by residents.",
        ),
    );
    site.set(
        "/a/open",
        article(
            "Open",
            "A ceasefire took hold along the river on Sunday morning.",
        ),
    );
    site.set("/feed.xml", rss(&["/private/a", "/a/open"], None));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (s, _, _) = once(&db, config(addr, &["/feed.xml"])).await;
    assert_eq!(s.documents, 1);
    assert_eq!(site.hits("/private/a"), 0);
    assert_eq!(
        site.hits("/robots.txt"),
        1,
        "robots.txt is fetched once and cached"
    );
    let (state, err) = item_state(&db, &format!("http://{addr}/private/a"));
    assert_eq!(state, "skipped");
    assert!(err.unwrap().contains("robots.txt"));
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicates_across_feeds_and_refused_schemes() {
    let site = Arc::new(Site::default());
    let addr = start(site.clone()).await;
    let para = "Rebels captured the airport after two days of fighting, officials said.";
    site.set("/a/story", article("Story", para));
    // The same story at another address (a syndicated copy).
    site.set("/copy/story", article("Story", para));
    site.set("/one.xml", rss(&["/a/story", "file:///etc/passwd"], None));
    site.set(
        "/two.xml",
        rss(
            &[
                "/a/story?utm_source=rss&amp;utm_medium=feed",
                "/copy/story",
                "ftp://example.org/x",
                "javascript:alert(1)",
            ],
            None,
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (s, _, m) = once(&db, config(addr, &["/one.xml", "/two.xml"])).await;
    assert_eq!(s.documents, 1);
    assert_eq!(s.duplicates, 1);
    assert_eq!(site.hits("/a/story"), 1, "one canonical URL, fetched once");
    assert_eq!(documents(&db).len(), 1);
    for link in [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "javascript:alert(1)",
    ] {
        let (state, err) = item_state(&db, link);
        assert_eq!(state, "skipped");
        assert!(err.unwrap().contains("only http and https"));
    }
    assert!(
        m.render()
            .contains("frontline_watch_items_total{outcome=\"refused\"} 3")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stop_request_finishes_the_batch_and_a_restart_goes_on() {
    let site = Arc::new(Site::default());
    let addr = start(site.clone()).await;
    let mut links = Vec::new();
    for i in 0..10 {
        let p = format!("/a/{i}");
        site.set(
            &p,
            article(
                &format!("N{i}"),
                &format!("Report number {i}: a patrol came under fire near post {i}."),
            ),
        );
        links.push(p);
    }
    let refs: Vec<&str> = links.iter().map(String::as_str).collect();
    site.set("/feed.xml", rss(&refs, Some("\"e\"")));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let cfg = config(addr, &["/feed.xml"]);
    // Stop asked before the run: the loop ends at once, having stored nothing half-way.
    {
        let (w, _, _) = watcher(&db, cfg.clone());
        let (_tx, rx) = tokio::sync::watch::channel(true);
        w.run(rx, false).await.unwrap();
    }
    let (w, _, _) = watcher(&db, cfg.clone());
    let mut updates = w.subscribe();
    let (tx, rx) = tokio::sync::watch::channel(false);
    let run = tokio::spawn(async move { w.run(rx, false).await });
    // The first batch's update arrives; then stop: that batch is complete in the database.
    let first = updates.recv().await.unwrap();
    assert!(first.documents > 0);
    tx.send(true).unwrap();
    run.await.unwrap().unwrap();
    let stored = documents(&db).len();
    // Batches of 4: whole batches only.
    assert!(matches!(stored, 4 | 8 | 10), "{stored}");
    // A restart stores the rest; nothing is fetched twice.
    let (s, _, _) = once(&db, cfg).await;
    assert_eq!(documents(&db).len(), 10);
    assert_eq!(s.polls_not_modified, 1);
    assert!(links.iter().all(|l| site.hits(l) == 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sitemap_index_is_followed_to_its_child_sitemaps_within_bounds() {
    let site = Arc::new(Site::default());
    let addr = start(site.clone()).await;
    for i in 1..=4 {
        site.set(
            &format!("/a/{i}"),
            article(
                &format!("S{i}"),
                &format!("Dispatch {i}: troops withdrew from checkpoint {i} at dawn."),
            ),
        );
    }
    // The feed's index lists a urlset, a nested index, itself (a loop) and another host.
    site.set(
        "/sitemap.xml",
        sitemap_index(
            &[
                ("/sm/news.xml", Some("2024-03-02")),
                ("/sm/nested.xml", Some("2024-03-01")),
                ("/sitemap.xml", None),
                ("http://other.invalid/sm.xml", None),
            ],
            Some("\"i1\""),
        ),
    );
    site.set("/sm/news.xml", urlset(&["/a/1", "/a/2"]));
    // Level 1 index: its urlset (level 2) is read; its index (level 2) is one level too deep.
    site.set(
        "/sm/nested.xml",
        sitemap_index(
            &[
                ("/sm/deep.xml", None),
                ("/sm/news.xml", None),
                ("/sm/deeper.xml", None),
            ],
            None,
        ),
    );
    site.set("/sm/deep.xml", urlset(&["/a/3", "/a/2"]));
    site.set(
        "/sm/deeper.xml",
        sitemap_index(&[("/sm/too-deep.xml", None)], None),
    );
    site.set("/sm/too-deep.xml", urlset(&["/a/4"]));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let cfg = config(addr, &["/sitemap.xml"]);
    let (s, _, _) = once(&db, cfg.clone()).await;
    assert_eq!((s.polls_changed, s.polls_failed, s.documents), (1, 0, 3));
    let urls: Vec<String> = documents(&db).into_iter().map(|(u, _)| u).collect();
    let want: Vec<String> = (1..=3).map(|i| format!("http://{addr}/a/{i}")).collect();
    assert_eq!(urls, want);
    for (path, hits) in [
        ("/sitemap.xml", 1),
        ("/sm/news.xml", 1),
        ("/sm/nested.xml", 1),
        ("/sm/deep.xml", 1),
        ("/sm/deeper.xml", 1),
        ("/sm/too-deep.xml", 0),
        ("/a/4", 0),
    ] {
        assert_eq!(site.hits(path), hits, "{path}");
    }
    // The index unchanged (304): no child sitemap is fetched again.
    let (s, _, _) = once(&db, cfg).await;
    assert_eq!((s.polls_not_modified, s.documents), (1, 0));
    assert_eq!(site.hits("/sm/news.xml"), 1);

    // At most `sitemap_children` children per poll, the newest first.
    site.set(
        "/big-index.xml",
        sitemap_index(
            &[
                ("/sm/old.xml", Some("2024-01-01")),
                ("/sm/new.xml", Some("2024-05-01")),
            ],
            None,
        ),
    );
    site.set("/sm/old.xml", urlset(&["/a/4"]));
    site.set("/sm/new.xml", urlset(&["/a/1"]));
    let mut cfg = config(addr, &["/big-index.xml"]);
    cfg.watch.sitemap_children = 1;
    let db2 = dir.path().join("w2.db");
    let (s, _, _) = once(&db2, cfg).await;
    assert_eq!(s.documents, 1);
    assert_eq!((site.hits("/sm/new.xml"), site.hits("/sm/old.xml")), (1, 0));
}

#[test]
fn html_helper_is_utf8() {
    // Keeps the helper honest: the pages above are UTF-8 unless a test encodes them.
    assert!(matches!(html("é"), Reply::Ok { ref ctype, .. } if ctype.contains("utf-8")));
}
