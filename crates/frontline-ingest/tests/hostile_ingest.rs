#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! Hostile input for the readers (issue 7): every input ends in documents or clear errors,
//! never a panic or unbounded memory.
//!
//! The property tests run a small number of cases by default; for the dedicated long run:
//! `PROPTEST_CASES=100000 cargo test --release -p frontline-ingest --test hostile_ingest`.

use std::io::Write;
use std::path::{Path, PathBuf};

use frontline_ingest::{
    Format, IngestError, Input, Options, RawDocument, parse_date, read_html, read_inputs, sniff,
};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48)
}

fn read_path(p: &Path, options: Options) -> Vec<Result<RawDocument, IngestError>> {
    read_inputs(vec![Input::Path(p.to_path_buf())], options).collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Every error names the input and carries a known reason code.
fn check_errors(results: &[Result<RawDocument, IngestError>], path: &Path) {
    let name = path.display().to_string();
    for r in results {
        if let Err(e) = r {
            assert!(
                e.input.starts_with(&name),
                "error input `{}` does not name {name}",
                e.input
            );
            assert!(
                [
                    "io",
                    "binary",
                    "empty",
                    "too_large",
                    "malformed",
                    "no_text",
                    "unsupported",
                    "resync",
                    "link_refused"
                ]
                .contains(&e.reason),
                "unknown reason {}",
                e.reason
            );
            assert!(!e.problem.is_empty());
        }
    }
}

const RSS_HEAD: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>";
const WARC_HTML: &str = "<html><head><title>Shelling</title></head><body><article><p>Artillery \
fire hit the northern outskirts of the town on Friday, a local official said, damaging several \
houses and a school. There was no immediate word on casualties.</p><p>The army said it had \
returned fire.</p></article></body></html>";

fn warc_record(block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://example.invalid/a\r\n\
         Content-Type: text/html\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// A record as `warc_record` writes it, with a stated `Content-Length` of `len` (a lie when it
/// differs from the block's) and, when given, a `WARC-Block-Digest` line.
fn warc_record_with(block: &[u8], len: usize, digest: Option<&str>) -> Vec<u8> {
    let digest = digest.map_or(String::new(), |d| format!("WARC-Block-Digest: {d}\r\n"));
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://example.invalid/a\r\n\
         {digest}Content-Type: text/html\r\nContent-Length: {len}\r\n\r\n"
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// SHA-1 in base32, as WARC writers put it in `WARC-Block-Digest`.
fn sha1_base32(b: &[u8]) -> String {
    use sha1::Digest;
    let h: [u8; 20] = sha1::Sha1::digest(b).into();
    const ALPHA: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut acc, mut bits) = (0u32, 0);
    for byte in h {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHA[((acc >> bits) & 31) as usize] as char);
        }
    }
    format!("sha1:{out}")
}

/// Seeds that look like each format, so mutations reach past the sniffer.
fn seed_inputs() -> Vec<Vec<u8>> {
    let mut feed = RSS_HEAD.to_string();
    feed.push_str(
        "<item><title>Clashes</title><description>Fighting near the dam on Monday.</description>\
         <pubDate>Mon, 02 Mar 2020 10:00:00 GMT</pubDate></item></channel></rss>",
    );
    vec![
        feed.into_bytes(),
        warc_record(WARC_HTML.as_bytes()),
        b"{\"text\": \"Rebels shelled the town.\", \"published\": \"2020-01-02\"}\n{\"text\": 3}\n"
            .to_vec(),
        WARC_HTML.as_bytes().to_vec(),
        b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": \"1\", \
          \"content_text\": \"Troops advanced.\"}]}"
            .to_vec(),
        b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>A</title><content>Troops \
          advanced.</content></entry></feed>"
            .to_vec(),
    ]
}

fn mutated() -> impl Strategy<Value = Vec<u8>> {
    (
        0..seed_inputs().len(),
        proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 0..12),
        any::<usize>(),
    )
        .prop_map(|(k, edits, cut)| {
            let mut b = seed_inputs().swap_remove(k);
            for (pos, byte, op) in edits {
                if b.is_empty() {
                    b.push(byte);
                    continue;
                }
                let i = pos % b.len();
                match op {
                    0 => b[i] = byte,
                    1 => b.insert(i, byte),
                    _ => {
                        b.remove(i);
                    }
                }
            }
            if !b.is_empty() && cut % 3 == 0 {
                b.truncate(cut % b.len());
            }
            b
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_in_a_file_give_documents_or_clear_errors(
        bytes in prop_oneof![proptest::collection::vec(any::<u8>(), 0..2048), mutated()],
        gzip in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let data = if gzip {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(&bytes).unwrap();
            e.finish().unwrap()
        } else {
            bytes
        };
        let p = write(dir.path(), "input", &data);
        let results = read_path(&p, Options::default());
        check_errors(&results, &p);
        for d in results.iter().flatten() {
            prop_assert!(d.meta.origin.is_some(), "a document without origin");
        }
    }

    /// Issue 23, item 5: whatever one record's `Content-Length` says (short or long by up to
    /// 400 bytes, with or without a digest), no header is glued into a text, every other
    /// record is read, and the liar is read, cut or reported.
    #[test]
    fn a_lying_content_length_loses_no_other_record(
        n in 2usize..6,
        liar in 0usize..6,
        delta in -120i64..400,
        with_digest in any::<bool>(),
    ) {
        let liar = liar % n;
        let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
        let mut warc = Vec::new();
        for (i, day) in days.iter().enumerate().take(n) {
            let html = WARC_HTML.replace("Friday", day);
            let b = html.as_bytes();
            let digest = with_digest.then(|| sha1_base32(b));
            let len = if i == liar {
                usize::try_from(b.len() as i64 + delta).unwrap_or(0)
            } else {
                b.len()
            };
            warc.extend(warc_record_with(b, len, digest.as_deref()));
        }
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "lying.warc", &warc);
        let results = read_path(&p, Options::default());
        check_errors(&results, &p);
        let docs: Vec<&RawDocument> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        for d in &docs {
            prop_assert!(!d.text.contains("WARC-Type") && !d.text.contains("WARC/1.0"),
                "header glued into {:?}", d.text);
        }
        for (i, day) in days.iter().enumerate().take(n) {
            if i != liar {
                prop_assert!(docs.iter().any(|d| d.text.contains(day)),
                    "record {i} ({day}) lost, liar {liar} by {delta}: {results:?}");
            }
        }
        // A last record long by 1 to 4 bytes takes in only the blank line that ends it: its
        // text is whole, and nothing follows to lose.
        let harmless = (1..=4).contains(&delta) && liar == n - 1;
        if delta != 0 && !harmless {
            let reported = results.iter().any(|r| match r {
                Err(e) => e.input.contains("offset"),
                Ok(d) => !d.warnings.is_empty(),
            });
            prop_assert!(reported, "liar {liar} by {delta} not reported: {results:?}");
        }
    }

    #[test]
    fn sniff_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = sniff(&bytes, None);
    }

    #[test]
    fn read_html_never_panics(html in "(<[a-z/!?]{0,4}[^<>]{0,12}>?|[^<]{0,20}|&#?[a-z0-9]{0,6};?){0,60}") {
        let page = read_html(&html, Some("http://example.invalid/x"));
        // the text it returns is real text, never markup left over from a tag it understood
        prop_assert!(!page.text.contains("<script"));
    }

    #[test]
    fn parse_date_never_panics(s in "\\PC{0,40}") {
        let _ = parse_date(&s);
    }

    #[test]
    fn parse_date_round_trips_iso_dates(y in 1900i32..2100, m in 1u32..=12, d in 1u32..=28) {
        let s = format!("{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(parse_date(&s), chrono::NaiveDate::from_ymd_opt(y, m, d));
    }
}

#[test]
fn gzip_bomb_is_bounded_with_a_clear_error() {
    // 256 MiB of text compressed to well under a megabyte; the record limit stops it early.
    let dir = tempfile::tempdir().unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let line = b"Troops advanced on the town at dawn, residents said. ";
    let chunk: Vec<u8> = line.iter().copied().cycle().take(1 << 20).collect();
    for _ in 0..256 {
        e.write_all(&chunk).unwrap();
    }
    let gz = e.finish().unwrap();
    assert!(gz.len() < 4 << 20, "bomb is {} bytes", gz.len());
    let p = write(dir.path(), "bomb.txt.gz", &gz);
    let options = Options {
        max_record_bytes: 8 << 20,
        max_decompressed_bytes: 64 << 20,
        ..Options::default()
    };
    let results = read_path(&p, options);
    check_errors(&results, &p);
    assert_eq!(results.len(), 1, "one result for one file");
    let err = results[0]
        .as_ref()
        .expect_err("a 256 MiB document must be refused");
    assert_eq!(err.reason, "too_large", "{err}");
}

#[test]
fn truncated_warc_record_is_reported_and_earlier_records_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut warc = warc_record(WARC_HTML.as_bytes());
    let second = warc_record(WARC_HTML.replace("Friday", "Sunday").as_bytes());
    warc.extend_from_slice(&second[..second.len() / 2]);
    let p = write(dir.path(), "crawl.warc", &warc);
    let results = read_path(&p, Options::default());
    check_errors(&results, &p);
    assert!(
        results[0]
            .as_ref()
            .is_ok_and(|d| d.text.contains("Artillery")),
        "first record lost: {results:?}"
    );
    assert!(
        results.iter().skip(1).any(|r| r.is_err()),
        "the truncated second record must be reported, got {results:?}"
    );
}

fn feed_reads_every_item(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut feed = String::from(RSS_HEAD);
    for i in 0..n {
        feed.push_str(&format!(
            "<item><title>Item {i}</title><guid>urn:item:{i}</guid><description>Report {i}: \
             fighting near the dam, officials said.</description></item>"
        ));
    }
    feed.push_str("</channel></rss>");
    let p = write(dir.path(), "big.xml", feed.as_bytes());
    let results = read_path(&p, Options::default());
    check_errors(&results, &p);
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, n, "{} errors", results.len() - ok);
}

#[test]
fn feed_with_10k_items_reads_every_item() {
    feed_reads_every_item(10_000);
}

#[test]
#[ignore = "slow in debug builds; run with --release --include-ignored"]
fn feed_with_100k_items_reads_every_item() {
    feed_reads_every_item(100_000);
}

fn nested_html_ends_cleanly(depth: usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut html = String::from("<html><body>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<p>Gunmen attacked a checkpoint on Sunday, police said.</p>");
    html.push_str(&"</div>".repeat(depth));
    html.push_str("</body></html>");
    let p = write(dir.path(), "nested.html", html.as_bytes());
    let results = read_path(&p, Options::default());
    check_errors(&results, &p);
    assert_eq!(results.len(), 1);
}

#[test]
fn deeply_nested_html_ends_cleanly() {
    nested_html_ends_cleanly(2_000);
}

#[test]
#[ignore = "slow (minutes in debug builds): 100,000 nested elements"]
fn very_deeply_nested_html_ends_cleanly() {
    nested_html_ends_cleanly(100_000);
}

#[test]
fn invalid_utf8_and_nul_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"Rebels shelled the town on Monday, \xff\xfe residents said.".to_vec();
    let p = write(dir.path(), "bad-utf8.txt", &bytes);
    let results = read_path(&p, Options::default());
    check_errors(&results, &p);
    let doc = results[0]
        .as_ref()
        .expect("invalid UTF-8 is replaced, not fatal");
    assert!(doc.text.contains("residents said"));
    assert!(!doc.warnings.is_empty(), "replacement must be reported");

    bytes.extend_from_slice(&[0; 64]);
    let p = write(dir.path(), "nul.txt", &bytes);
    let results = read_path(&p, Options::default());
    check_errors(&results, &p);
    assert_eq!(results.len(), 1);
}

#[test]
fn arabic_rtl_marks_and_zero_width_joiners_survive() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{200F}قصفت القوات المدينة يوم الاثنين\u{200F}، وقال مسؤول إن ثلاثة أشخاص قتلوا.\n\
                Troops\u{200D} shelled Al\u{200C}-Bab \u{202B}on Monday\u{202C}, a medic said.";
    let p = write(dir.path(), "ar.txt", text.as_bytes());
    let results = read_path(&p, Options::default());
    check_errors(&results, &p);
    let doc = results[0].as_ref().expect("Arabic text is text");
    assert!(doc.text.contains("القوات"));
    assert_eq!(sniff(text.as_bytes(), None), Format::Text);
}

/// Issue 23, item 5: a record whose `Content-Length` is too long swallowed the next record,
/// whose header ended up in the first record's text. The reader must cut the first record at
/// the next record's start (kept when its digest matches the cut block, or when there is none),
/// read the next record, and report the resynchronisation.
#[test]
fn lying_warc_content_length_does_not_drop_the_next_record() {
    let dir = tempfile::tempdir().unwrap();
    let first = WARC_HTML.as_bytes();
    let second_html = WARC_HTML.replace("Friday", "Sunday");
    let third_html = WARC_HTML.replace("Friday", "Tuesday");
    let cases = [4, 5, 7, 9, 10, 14, 40, 200]
        .into_iter()
        .flat_map(|over| [(over, None), (over, Some(sha1_base32(first)))]);
    for (over, digest) in cases {
        // Too long by `over` bytes: runs into the next record's version line or header.
        let mut warc = warc_record_with(first, first.len() + over, digest.as_deref());
        warc.extend(warc_record(second_html.as_bytes()));
        warc.extend(warc_record(third_html.as_bytes()));
        let p = write(dir.path(), "lying.warc", &warc);
        let results = read_path(&p, Options::default());
        check_errors(&results, &p);
        let docs: Vec<&RawDocument> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(docs.len(), 3, "over by {over}: {results:?}");
        assert!(docs[0].text.contains("Friday"));
        assert!(
            !docs[0].text.contains("WARC"),
            "header glued: {}",
            docs[0].text
        );
        assert!(
            docs[0]
                .warnings
                .iter()
                .any(|w| w.contains("Content-Length")),
            "{:?}",
            docs[0].warnings
        );
        assert!(docs[1].text.contains("Sunday"), "{}", docs[1].text);
        assert!(docs[2].text.contains("Tuesday"));
    }
    // Too long past the end of the archive: the last record is still read.
    let mut warc = warc_record_with(first, first.len() + 100_000, None);
    warc.extend(warc_record(second_html.as_bytes()));
    let p = write(dir.path(), "lying-end.warc", &warc);
    let results = read_path(&p, Options::default());
    let docs: Vec<&RawDocument> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(docs.len(), 2, "{results:?}");
    assert!(docs[1].text.contains("Sunday"));
}

/// A block that does not match its `WARC-Block-Digest` is skipped and reported; a record whose
/// `Content-Length` is too short leaves bytes that are skipped, counted and reported, and the
/// next record is read.
#[test]
fn warc_digest_mismatch_and_short_length_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let first = WARC_HTML.as_bytes();
    let second_html = WARC_HTML.replace("Friday", "Sunday");
    // Wrong digest (of other bytes), right length: skipped.
    let mut warc = warc_record_with(first, first.len(), Some(&sha1_base32(b"other bytes")));
    warc.extend(warc_record(second_html.as_bytes()));
    let p = write(dir.path(), "digest.warc", &warc);
    let results = read_path(&p, Options::default());
    check_errors(&results, &p);
    assert_eq!(results.len(), 2, "{results:?}");
    let e = results[0].as_ref().unwrap_err();
    assert!(e.problem.contains("WARC-Block-Digest"), "{e}");
    assert!(results[1].as_ref().unwrap().text.contains("Sunday"));
    // A matching hex digest is accepted.
    let hex: String = {
        use sha1::Digest;
        let h: [u8; 20] = sha1::Sha1::digest(first).into();
        h.iter().map(|b| format!("{b:02x}")).collect()
    };
    let warc = warc_record_with(first, first.len(), Some(&format!("sha1:{hex}")));
    let p = write(dir.path(), "hex.warc", &warc);
    let results = read_path(&p, Options::default());
    assert!(results[0].as_ref().unwrap().warnings.is_empty());
    // Too short by 60 bytes, no digest: the first record is kept with a warning, the rest of
    // its block is skipped and reported, the next record is read.
    let mut warc = warc_record_with(first, first.len() - 60, None);
    warc.extend(warc_record(second_html.as_bytes()));
    let p = write(dir.path(), "short.warc", &warc);
    let results = read_path(&p, Options::default());
    check_errors(&results, &p);
    let first_doc = results[0].as_ref().unwrap();
    assert!(
        first_doc
            .warnings
            .iter()
            .any(|w| w.contains("Content-Length"))
    );
    let skipped = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .collect::<Vec<_>>();
    assert_eq!(skipped.len(), 1, "{results:?}");
    assert_eq!(skipped[0].reason, "resync");
    assert!(
        skipped[0].problem.contains("skipped 64 bytes"),
        "{}",
        skipped[0].problem
    );
    assert!(
        results
            .last()
            .unwrap()
            .as_ref()
            .unwrap()
            .text
            .contains("Sunday")
    );
}
