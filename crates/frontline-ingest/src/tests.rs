use std::io::Write;
use std::path::Path;

use proptest::prelude::*;

use super::*;

const ARTICLE_HTML: &str = "<html><head><title>Clashes near the river</title>\
<meta property=\"og:site_name\" content=\"Valley Times\">\
<meta property=\"article:published_time\" content=\"2020-03-04\"></head><body>\
<article><p>Fighting broke out near the river crossing on Tuesday between army units and \
local militiamen, residents said, forcing dozens of families to leave their homes.</p>\
<p>A hospital official said four people were wounded. The army did not comment on the \
clashes, which followed a week of rising tension over control of the crossing.</p>\
<p>Aid groups said they were sending food and blankets to families sheltering in schools \
on the other side of the valley.</p></article></body></html>";

fn read_all(inputs: Vec<Input>, options: Options) -> Vec<Result<RawDocument, IngestError>> {
    read_inputs(inputs, options).collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn sniffs_by_content() {
    assert_eq!(sniff(b"WARC/1.0\r\n", None), Format::Warc);
    assert_eq!(sniff(b"  <!DOCTYPE html><html>", None), Format::Html);
    assert_eq!(
        sniff(b"<?xml version=\"1.0\"?><rss version=\"2.0\">", None),
        Format::Feed
    );
    assert_eq!(
        sniff(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">", None),
        Format::Feed
    );
    assert_eq!(
        sniff(
            b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}",
            None
        ),
        Format::Feed
    );
    assert_eq!(
        sniff(b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n", None),
        Format::Jsonl
    );
    assert_eq!(sniff(b"Rebels said on Monday...", None), Format::Text);
    assert_eq!(sniff(b"\x00\x01\x02PNG", None), Format::Binary);
    // Name does not override content.
    assert_eq!(
        sniff(b"<html><body><p>x</p>", Some(Path::new("a.txt"))),
        Format::Html
    );
}

#[test]
fn reads_folders_recursively_sniffing_each_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "b/one.txt",
        b"Troops advanced on the town on Monday.",
    );
    write(dir.path(), "a/page.txt", ARTICLE_HTML.as_bytes());
    write(dir.path(), "a/.hidden.txt", b"Not read.");
    write(
        dir.path(),
        "c/records.data",
        &gz(b"{\"text\":\"First record.\"}\n{\"text\":\"Second record.\"}\n"),
    );
    write(dir.path(), "d/empty.txt", b"   \n");
    write(dir.path(), "d/blob.bin", b"\x00\x00\x00");
    let out = read_all(
        vec![Input::Path(dir.path().to_path_buf())],
        Options::default(),
    );
    let ok: Vec<&RawDocument> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
    let errs: Vec<&IngestError> = out.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(ok.len(), 4, "{out:#?}");
    // Sorted path order: a/page.txt, b/one.txt, c/records.data (2).
    assert_eq!(ok[0].meta.outlet.as_deref(), Some("Valley Times"));
    assert_eq!(ok[0].meta.origin.as_ref().unwrap().format, "html");
    assert!(ok[0].text.contains("Fighting broke out"));
    assert_eq!(ok[1].meta.origin.as_ref().unwrap().format, "text");
    assert_eq!(ok[2].text, "First record.");
    assert_eq!(ok[3].meta.origin.as_ref().unwrap().record_index, Some(1));
    let mut reasons: Vec<&str> = errs.iter().map(|e| e.reason).collect();
    reasons.sort_unstable();
    assert_eq!(reasons, vec!["binary", "empty"]);
    assert!(errs.iter().any(|e| e.input.ends_with("blob.bin")));
}

#[test]
fn missing_path_is_a_clear_error_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.txt", b"Text.");
    let out = read_all(
        vec![Input::Path(dir.path().join("nope.txt")), Input::Path(good)],
        Options::default(),
    );
    assert_eq!(out.len(), 2);
    let e = out[0].as_ref().unwrap_err();
    assert!(e.to_string().contains("nope.txt"), "{e}");
    assert_eq!(e.reason, "io");
    assert!(out[1].is_ok());
}

fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n\
         WARC-Record-ID: <urn:uuid:x>\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
    r.extend_from_slice(body);
    r
}

fn sample_warc() -> Vec<Vec<u8>> {
    let gz_body = gz(ARTICLE_HTML.as_bytes());
    let mut chunked = format!("{:x}\r\n", 20).into_bytes();
    chunked.extend_from_slice(&ARTICLE_HTML.as_bytes()[..20]);
    chunked.extend_from_slice(format!("\r\n{:x}\r\n", ARTICLE_HTML.len() - 20).as_bytes());
    chunked.extend_from_slice(&ARTICLE_HTML.as_bytes()[20..]);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    vec![
        warc_record(
            "warcinfo",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        warc_record(
            "request",
            "https://a.example/1",
            "application/http",
            b"GET /1 HTTP/1.1\r\n\r\n",
        ),
        warc_record(
            "response",
            "https://a.example/1",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\n",
                ARTICLE_HTML.as_bytes(),
            ),
        ),
        warc_record(
            "response",
            "https://a.example/logo.png",
            "application/http; msgtype=response",
            &http("200 OK", "Content-Type: image/png\r\n", b"\x89PNG"),
        ),
        warc_record(
            "response",
            "https://a.example/2",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
                &gz_body,
            ),
        ),
        warc_record(
            "response",
            "https://a.example/3",
            "application/http; msgtype=response",
            &http(
                "200 OK",
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n",
                &chunked,
            ),
        ),
        warc_record(
            "response",
            "https://a.example/old",
            "application/http; msgtype=response",
            &http("301 Moved Permanently", "Location: /new\r\n", b""),
        ),
        warc_record(
            "conversion",
            "https://a.example/4",
            "text/plain",
            b"Police dispersed a rally in the capital on Friday.",
        ),
    ]
}

#[test]
fn reads_warc_and_warc_gz() {
    let records = sample_warc();
    let plain: Vec<u8> = records.concat();
    // Common Crawl style: each record its own gzip member.
    let members: Vec<u8> = records.iter().flat_map(|r| gz(r)).collect();
    let dir = tempfile::tempdir().unwrap();
    let p1 = write(dir.path(), "x.warc", &plain);
    let p2 = write(dir.path(), "x.warc.gz", &members);
    for p in [p1, p2] {
        let out = read_all(vec![Input::Path(p.clone())], Options::default());
        let ok: Vec<&RawDocument> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(ok.len(), 4, "{p:?}: {out:#?}");
        assert_eq!(ok[0].meta.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(ok[0].meta.outlet.as_deref(), Some("Valley Times"));
        assert!(ok[0].text.contains("Fighting broke out"));
        assert_eq!(ok[1].text, ok[0].text, "gzip-encoded body");
        assert_eq!(ok[2].text, ok[0].text, "chunked body");
        assert_eq!(
            ok[3].text,
            "Police dispersed a rally in the capital on Friday."
        );
        let o = ok[0].meta.origin.as_ref().unwrap();
        assert_eq!(o.format, "warc");
        assert_eq!(o.record_index, Some(2));
        let off = o.record_offset.unwrap() as usize;
        assert!(plain[off..].starts_with(b"WARC/1.0\r\nWARC-Type: response"));
        let errs: Vec<&IngestError> = out.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].reason, "unsupported");
        assert!(errs[0].to_string().contains("image/png"), "{}", errs[0]);
    }
}

#[test]
fn truncated_warc_is_reported_not_a_panic() {
    let mut plain: Vec<u8> = sample_warc().concat();
    plain.truncate(plain.len() - 30);
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "cut.warc", &plain);
    let out = read_all(vec![Input::Path(p)], Options::default());
    assert!(out.iter().filter(|r| r.is_ok()).count() >= 3);
    assert!(out.last().unwrap().is_err());
}

#[test]
fn oversized_records_and_decompression_are_bounded() {
    let plain: Vec<u8> = sample_warc().concat();
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "x.warc.gz", &gz(&plain));
    let small = Options {
        max_record_bytes: 200,
        ..Options::default()
    };
    let out = read_all(vec![Input::Path(p.clone())], small);
    assert!(
        out.iter()
            .any(|r| r.as_ref().is_err_and(|e| e.reason == "too_large"))
    );
    let tiny_total = Options {
        max_decompressed_bytes: 1000,
        ..Options::default()
    };
    let out = read_all(vec![Input::Path(p)], tiny_total);
    let last = out.last().unwrap().as_ref().unwrap_err();
    assert!(last.problem.contains("limit"), "{last}");
}

#[test]
fn reads_rss_with_inline_content_and_local_pages() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pages/story2.html", ARTICLE_HTML.as_bytes());
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Border Wire</title>
<item><title>Shelling in the north</title><link>https://bw.example/1</link>
<pubDate>Mon, 02 Mar 2020 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Artillery shells hit the northern district overnight, residents said.&lt;/p&gt;</description></item>
<item><title>Clashes</title><link>pages/story2.html</link></item>
<item><title>No body</title><link>https://bw.example/3</link></item>
</channel></rss>"#;
    let p = write(dir.path(), "feed.xml", rss.as_bytes());
    let local = Options {
        feed_local_pages: true,
        ..Options::default()
    };
    let out = read_all(vec![Input::Path(p)], local);
    assert_eq!(out.len(), 3);
    let a = out[0].as_ref().unwrap();
    assert_eq!(a.meta.outlet.as_deref(), Some("Border Wire"));
    assert_eq!(a.meta.title.as_deref(), Some("Shelling in the north"));
    assert_eq!(
        a.meta.published_at,
        chrono::NaiveDate::from_ymd_opt(2020, 3, 2)
    );
    assert_eq!(a.meta.url.as_deref(), Some("https://bw.example/1"));
    assert!(a.text.contains("Artillery shells hit"));
    assert!(!a.text.contains("<p>"));
    let b = out[1].as_ref().unwrap();
    assert!(b.text.contains("Fighting broke out"));
    assert_eq!(
        b.meta.published_at,
        chrono::NaiveDate::from_ymd_opt(2020, 3, 4)
    );
    assert_eq!(b.meta.origin.as_ref().unwrap().record_index, Some(1));
    assert_eq!(out[2].as_ref().unwrap_err().reason, "no_text");
}

#[test]
fn reads_atom_and_json_feed() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:x</id><updated>2020-01-01T00:00:00Z</updated>
<entry><title>Strike</title><id>urn:1</id><updated>2020-01-05T10:00:00Z</updated><published>2020-01-05T10:00:00Z</published>
<author><name>A. Writer</name></author>
<content type="text">A drone struck a vehicle on the coastal road, officials said.</content></entry></feed>"#;
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "JSON Desk",
"items": [{"id": "1", "title": "Raid", "date_published": "2020-02-01T12:00:00Z",
"content_text": "Security forces raided a house in the old city, a witness said."}]}"#;
    let dir = tempfile::tempdir().unwrap();
    let p1 = write(dir.path(), "a.atom", atom.as_bytes());
    let p2 = write(dir.path(), "b.json", json.as_bytes());
    let out = read_all(vec![Input::Path(p1), Input::Path(p2)], Options::default());
    let a = out[0].as_ref().unwrap();
    assert_eq!(a.meta.origin.as_ref().unwrap().format, "atom");
    assert_eq!(a.meta.author.as_deref(), Some("A. Writer"));
    assert_eq!(
        a.meta.published_at,
        chrono::NaiveDate::from_ymd_opt(2020, 1, 5)
    );
    assert!(a.text.starts_with("A drone struck"));
    let b = out[1].as_ref().unwrap();
    assert_eq!(b.meta.origin.as_ref().unwrap().format, "jsonfeed");
    assert_eq!(b.meta.outlet.as_deref(), Some("JSON Desk"));
    assert!(b.text.contains("raided a house"));
}

#[test]
fn reads_jsonl_with_custom_fields_skipping_bad_lines() {
    let lines = concat!(
        "{\"body\": \"Gunmen attacked a bus.\", \"meta\": {\"date\": \"2021-05-06\", \"source\": \"Wire\"}, \"headline\": \"Bus attack\"}\n",
        "not json\n",
        "\n",
        "{\"other\": 1}\n",
        "{\"body\": \"<p>Protesters gathered in the square.</p>\"}\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "x.jsonl", lines.as_bytes());
    let options = Options {
        jsonl: JsonlFields {
            text: "body".into(),
            title: "headline".into(),
            published: "meta.date".into(),
            outlet: "meta.source".into(),
            ..JsonlFields::default()
        },
        ..Options::default()
    };
    let out = read_all(vec![Input::Path(p)], options);
    assert_eq!(out.len(), 4, "{out:#?}");
    let a = out[0].as_ref().unwrap();
    assert_eq!(a.text, "Gunmen attacked a bus.");
    assert_eq!(a.meta.title.as_deref(), Some("Bus attack"));
    assert_eq!(a.meta.outlet.as_deref(), Some("Wire"));
    assert_eq!(
        a.meta.published_at,
        chrono::NaiveDate::from_ymd_opt(2021, 5, 6)
    );
    assert_eq!(a.meta.origin.as_ref().unwrap().record_offset, Some(0));
    let bad = out[1].as_ref().unwrap_err();
    assert!(bad.input.ends_with("line 2"), "{bad}");
    assert_eq!(bad.reason, "malformed");
    let missing = out[2].as_ref().unwrap_err();
    assert!(missing.input.ends_with("line 4"), "{missing}");
    assert!(missing.problem.contains("--jsonl-text-field"));
    let html = out[3].as_ref().unwrap();
    assert_eq!(html.text.trim(), "Protesters gathered in the square.");
    assert_eq!(html.meta.origin.as_ref().unwrap().record_index, Some(4));
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "x.txt", b"Caf\xe9 owners said shops were shut.");
    let out = read_all(vec![Input::Path(p)], Options::default());
    let d = out[0].as_ref().unwrap();
    assert!(d.text.contains("owners said"));
    assert_eq!(d.warnings.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn warc_reader_never_panics(body in proptest::collection::vec(any::<u8>(), 0..400), len in 0u32..600) {
        let mut bytes = format!("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: {len}\r\n\r\n").into_bytes();
        bytes.extend_from_slice(&body);
        let r = warc::WarcReader::new("p".into(), std::io::Cursor::new(bytes), 1 << 20);
        for item in r.take(50) {
            let _ = item;
        }
    }

    #[test]
    fn http_and_chunked_payloads_never_panic(body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut block = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend_from_slice(&body);
        let bytes = warc_record("response", "https://x.example", "application/http", &block);
        let r = warc::WarcReader::new("p".into(), std::io::Cursor::new(bytes), 1 << 20);
        for item in r.take(5) {
            let _ = item;
        }
    }

    #[test]
    fn jsonl_reader_never_panics(lines in proptest::collection::vec("[{}\":a-z0-9 ,\\[\\]]{0,40}", 0..10)) {
        let text = lines.join("\n");
        let r = jsonl::JsonlReader::new("p".into(), std::io::Cursor::new(text.into_bytes()), JsonlFields::default(), 64);
        for item in r {
            let _ = item;
        }
    }

    #[test]
    fn sniff_never_panics(head in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = sniff(&head, None);
    }
}

#[test]
fn warc_date_stands_in_for_a_missing_publication_date() {
    let with_date = |rec: Vec<u8>| {
        let s = String::from_utf8(rec).unwrap();
        s.replacen(
            "WARC-Record-ID",
            "WARC-Date: 2019-03-04T05:06:07Z\r\nWARC-Record-ID",
            1,
        )
        .into_bytes()
    };
    let dated_page = with_date(warc_record(
        "response",
        "https://a.example/1",
        "application/http; msgtype=response",
        &http(
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            ARTICLE_HTML.as_bytes(),
        ),
    ));
    let undated_text = with_date(warc_record(
        "conversion",
        "https://a.example/4",
        "text/plain",
        b"Police dispersed a rally in the capital on Friday.",
    ));
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "d.warc", &[dated_page, undated_text].concat());
    let out = read_all(vec![Input::Path(p)], Options::default());
    let ok: Vec<&RawDocument> = out.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(ok.len(), 2, "{out:#?}");
    // The page states its own date, which wins over the capture date.
    assert_eq!(
        ok[0].meta.published_at.unwrap().to_string(),
        "2020-03-04",
        "{:?}",
        ok[0].meta
    );
    assert_eq!(ok[1].meta.published_at.unwrap().to_string(), "2019-03-04");
}

/// Issue 23, item 2: a feed whose items link to a secret file outside its folder (by `file:`
/// URL, `..`, an absolute path, or a symbolic link inside the folder) must not read it, with or
/// without `feed_local_pages`; each refusal is named in a warning or a `link_refused` error.
#[test]
fn feed_links_never_read_files_outside_the_feed_folder() {
    let root = tempfile::tempdir().unwrap();
    let secret = write(
        root.path(),
        "secret.txt",
        b"TOP SECRET: the password is hunter2. Troops shelled the town on Monday.",
    );
    let feed_dir = root.path().join("feeds");
    write(&feed_dir, "pages/ok.html", ARTICLE_HTML.as_bytes());
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, feed_dir.join("pages/link.txt")).unwrap();
    let s = secret.display().to_string();
    let links = [
        format!("file://{s}"),
        format!("FILE:{s}"),
        "../secret.txt".to_string(),
        "pages/../../secret.txt".to_string(),
        s.clone(),
        "pages/link.txt".to_string(),
        "/etc/passwd".to_string(),
    ];
    let mut items = String::new();
    for (i, l) in links.iter().enumerate() {
        items.push_str(&format!(
            "<item><title>Item {i}</title><link>{l}</link></item>\n"
        ));
    }
    // One item with inline text and a bad link: kept, from its own text, with a warning.
    items.push_str(&format!(
        "<item><title>Inline</title><link>file://{s}</link><description>Rebels \
         attacked a checkpoint on Sunday, police said.</description></item>\n"
    ));
    items.push_str("<item><title>Allowed</title><link>pages/ok.html</link></item>\n");
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>{items}</channel></rss>"
    );
    let p = write(&feed_dir, "feed.xml", rss.as_bytes());
    for allow in [false, true] {
        let options = Options {
            feed_local_pages: allow,
            ..Options::default()
        };
        let out = read_all(vec![Input::Path(p.clone())], options);
        assert_eq!(out.len(), links.len() + 2);
        for d in out.iter().flatten() {
            assert!(!d.text.contains("SECRET"), "secret read: {:?}", d.meta);
            assert!(!d.text.contains("root:"), "passwd read: {:?}", d.meta);
        }
        for r in &out[..links.len()] {
            let e = r.as_ref().unwrap_err();
            assert_eq!(e.reason, "link_refused", "{e}");
            assert!(e.problem.contains(LINK_NOT_FOLLOWED), "{e}");
        }
        let inline = out[links.len()].as_ref().unwrap();
        assert!(inline.text.contains("Rebels attacked"));
        assert!(
            inline
                .warnings
                .iter()
                .any(|w| w.starts_with(LINK_NOT_FOLLOWED) && w.contains("never read")),
            "{:?}",
            inline.warnings
        );
        let allowed = out.last().unwrap();
        if allow {
            assert!(
                allowed
                    .as_ref()
                    .unwrap()
                    .text
                    .contains("Fighting broke out")
            );
        } else {
            let e = allowed.as_ref().unwrap_err();
            assert!(e.problem.contains("--feed-local-pages"), "{e}");
        }
    }
}

/// Issue 23, item 10: a stream is read record by record. An endless JSON Lines stream gives
/// its first documents after reading a bounded number of bytes (standard input was read to
/// its end before the first document).
#[test]
fn streams_are_read_record_by_record() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    struct Endless {
        line: Vec<u8>,
        at: usize,
        read: Arc<AtomicU64>,
    }
    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let mut n = 0;
            while n < buf.len() {
                buf[n] = self.line[self.at];
                self.at = (self.at + 1) % self.line.len();
                n += 1;
            }
            self.read.fetch_add(n as u64, Ordering::Relaxed);
            Ok(n)
        }
    }
    let read = Arc::new(AtomicU64::new(0));
    let stream = Endless {
        line: b"{\"text\": \"Troops shelled the town on Monday, officials said.\"}\n".to_vec(),
        at: 0,
        read: Arc::clone(&read),
    };
    let docs: Vec<_> = read_stream("-", stream, Options::default())
        .take(1000)
        .collect();
    assert_eq!(docs.len(), 1000);
    assert!(docs.iter().all(Result::is_ok));
    assert!(read.load(Ordering::Relaxed) < 1 << 20, "{read:?}");
}

/// Issue 23, items 7 and 9: charsets and front matter through the readers.
#[test]
fn text_files_with_front_matter_and_legacy_charsets() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "a.txt",
        b"outlet: Corvid Wire\ntitle: Strike\npublished: June 3, 2025\nurl: https://c.example/1\n---\nAn air strike hit the market on Tuesday.\n",
    );
    let (arabic, _, _) = encoding_rs::WINDOWS_1256.encode(
        "<html><head><meta charset=\"windows-1256\"><title>x</title></head><body><p>قصف الطيران مدينة حلب يوم الاثنين</p></body></html>",
    );
    let q = write(dir.path(), "b.html", &arabic);
    let mut utf16 = vec![0xff, 0xfe];
    for u in "Обстрел Харькова в понедельник.".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let r = write(dir.path(), "c.txt", &utf16);
    let out = read_all(
        vec![Input::Path(p), Input::Path(q), Input::Path(r)],
        Options::default(),
    );
    let a = out[0].as_ref().unwrap();
    assert_eq!(a.text, "An air strike hit the market on Tuesday.");
    assert_eq!(a.meta.outlet.as_deref(), Some("Corvid Wire"));
    assert_eq!(a.meta.title.as_deref(), Some("Strike"));
    assert_eq!(a.meta.url.as_deref(), Some("https://c.example/1"));
    assert_eq!(
        a.meta.published_at,
        chrono::NaiveDate::from_ymd_opt(2025, 6, 3)
    );
    assert_eq!(a.meta.origin.as_ref().unwrap().format, "text");
    let b = out[1].as_ref().unwrap();
    assert!(b.text.contains("قصف الطيران مدينة حلب"), "{}", b.text);
    let c = out[2].as_ref().unwrap();
    assert!(c.text.contains("Обстрел Харькова"), "{}", c.text);
}

/// Issue 23, item 11: an unreadable date in a record is a warning naming the value.
#[test]
fn unreadable_jsonl_dates_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "d.jsonl",
        b"{\"text\": \"Troops advanced.\", \"published\": \"last Tuesday\"}\n{\"text\": \"Troops advanced again.\", \"published\": 1748944800}\n",
    );
    let out = read_all(vec![Input::Path(p)], Options::default());
    let a = out[0].as_ref().unwrap();
    assert_eq!(a.meta.published_at, None);
    assert!(
        a.warnings.iter().any(|w| w.contains("\"last Tuesday\"")),
        "{:?}",
        a.warnings
    );
    let b = out[1].as_ref().unwrap();
    assert_eq!(
        b.meta.published_at,
        chrono::NaiveDate::from_ymd_opt(2025, 6, 3)
    );
}

/// Issue 23, item 12: the total size of the inputs is known for files and folders, and the
/// bytes read are counted against it.
#[test]
fn total_size_and_bytes_read() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", b"Troops advanced on Monday.");
    write(dir.path(), "sub/b.txt", b"Rebels withdrew on Tuesday.");
    write(dir.path(), "sub/.hidden", b"not counted");
    let inputs = vec![Input::Path(dir.path().join("sub")), Input::Path(a)];
    assert_eq!(total_size(&inputs, false), Some(26 + 27));
    assert_eq!(total_size(&[Input::Stdin], false), None);
    let counter = Arc::new(AtomicU64::new(0));
    let options = Options {
        bytes_read: Some(Arc::clone(&counter)),
        ..Options::default()
    };
    let docs = read_all(inputs, options);
    assert_eq!(docs.len(), 2);
    assert_eq!(counter.load(Ordering::Relaxed), 26 + 27);
}

/// Issue 23, item 7: feeds in a legacy character set, declared or not.
#[test]
fn feeds_in_legacy_charsets() {
    let dir = tempfile::tempdir().unwrap();
    let (cyr, _, _) = encoding_rs::WINDOWS_1251.encode(
        "<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss version=\"2.0\"><channel><title>Новости</title><item><title>Обстрел</title><description>Российские войска обстреляли Харьков.</description></item></channel></rss>",
    );
    let (lat, _, _) = encoding_rs::WINDOWS_1252.encode(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title><item><title>x</title><description>Les forces armées ont attaqué le dépôt de Gao.</description></item></channel></rss>",
    );
    let a = write(dir.path(), "a.xml", &cyr);
    let b = write(dir.path(), "b.xml", &lat);
    let out = read_all(vec![Input::Path(a), Input::Path(b)], Options::default());
    let a = out[0].as_ref().unwrap();
    assert_eq!(a.meta.outlet.as_deref(), Some("Новости"));
    assert!(a.text.contains("обстреляли Харьков"));
    let b = out[1].as_ref().unwrap();
    assert!(b.text.contains("armées ont attaqué le dépôt"), "{}", b.text);
    assert!(
        b.warnings.iter().any(|w| w.contains("guessed")),
        "{:?}",
        b.warnings
    );
}
