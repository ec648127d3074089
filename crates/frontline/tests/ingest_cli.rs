#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! `frontline ingest` end to end: real readers, pipeline and store.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontline-store/tests/fixtures/copies")
}

fn frontline() -> Command {
    let mut c = Command::cargo_bin("frontline").unwrap();
    c.env_remove("FRONTLINE_DB")
        .env_remove("FRONTLINE_GAZETTEER");
    c
}

#[test]
fn ingest_is_idempotent_and_reports_skips() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let bad = dir.path().join("blob.bin");
    std::fs::write(&bad, [0u8, 1, 2, 3, 0, 0]).unwrap();
    let out = frontline()
        .args([
            "ingest",
            "--published",
            "2019-03-01",
            "--outlet",
            "Fixture Wire",
            "--db",
        ])
        .arg(&db)
        .arg(fixtures())
        .arg(&bad)
        .assert()
        .success()
        .stderr(predicate::str::contains("blob.bin"))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("read 18 documents"), "{out}");
    assert!(out.contains("new: 18"), "{out}");
    assert!(out.contains("copies of earlier stories: 8"), "{out}");
    assert!(out.contains("skipped: 1"), "{out}");
    assert!(out.contains("binary: 1"), "{out}");
    assert!(out.contains("10 stories"), "{out}");

    // Again: everything already known, nothing added.
    let again = frontline()
        .args(["ingest", "--db"])
        .arg(&db)
        .arg(fixtures())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let again = String::from_utf8(again).unwrap();
    assert!(again.contains("new: 0"), "{again}");
    assert!(again.contains("already known: 18"), "{again}");
    let counts = |s: &str| s.lines().last().unwrap().to_string();
    assert_eq!(counts(&out), counts(&again));
}

#[test]
fn ingest_reads_stdin_jsonl_with_custom_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("f.db");
    let input = concat!(
        "{\"body\": \"Gunmen killed three police officers at a checkpoint in Kandahar on Monday, officials said.\", \"source\": \"Kabul Wire\", \"date\": \"2021-05-04\"}\n",
        "this line is broken\n",
    );
    let out = frontline()
        .args([
            "ingest",
            "--jsonl-text-field",
            "body",
            "--jsonl-outlet-field",
            "source",
            "--jsonl-published-field",
            "date",
            "--db",
        ])
        .arg(&db)
        .arg("-")
        .write_stdin(input)
        .assert()
        .success()
        .stderr(predicate::str::contains("- line 2"))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("new: 1"), "{out}");
    assert!(out.contains("malformed: 1"), "{out}");
}

#[test]
fn ingest_fails_clearly_when_nothing_is_readable() {
    let dir = tempfile::tempdir().unwrap();
    frontline()
        .args(["ingest", "--db"])
        .arg(dir.path().join("f.db"))
        .arg(dir.path().join("missing.txt"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("missing.txt"))
        .stderr(predicate::str::contains("no such file or folder"));
    // A missing path is refused before the database is created (issue 23, item 12).
    assert!(!dir.path().join("f.db").exists());
    let blob = dir.path().join("blob.bin");
    std::fs::write(&blob, [0u8, 1, 2, 3, 0, 0]).unwrap();
    frontline()
        .args(["ingest", "--db"])
        .arg(dir.path().join("f.db"))
        .arg(&blob)
        .assert()
        .failure()
        .stderr(predicate::str::contains("blob.bin"))
        .stderr(predicate::str::contains("no document could be read"));
}

#[test]
fn bad_published_date_is_a_usage_error() {
    frontline()
        .args(["ingest", "--published", "18/06/2017", "x.txt"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

/// Batches waiting for the writer are committed together; what is stored must not depend on
/// how documents fall into batches and commits.
#[test]
fn what_is_stored_does_not_depend_on_the_batch_size() {
    let dir = tempfile::tempdir().unwrap();
    let export = |batch: &str| -> String {
        let db = dir.path().join(format!("b{batch}.db"));
        frontline()
            .env("RAYON_NUM_THREADS", "2")
            .args([
                "-q",
                "ingest",
                "--published",
                "2019-03-01",
                "--batch-size",
                batch,
            ])
            .args(["--outlet", "Fixture Wire", "--db"])
            .arg(&db)
            .arg(fixtures())
            .assert()
            .success();
        let out = frontline()
            .args(["export", "--format", "jsonl", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(out.status.success());
        // When each record was stored (`created_at`, `updated_at`) differs from run to run.
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                for stamp in ["created_at", "updated_at"] {
                    assert!(v.as_object_mut().unwrap().remove(stamp).is_some(), "{l}");
                }
                v.to_string() + "\n"
            })
            .collect::<String>()
    };
    let one_by_one = export("1");
    assert!(one_by_one.lines().count() > 1, "{one_by_one}");
    assert_eq!(one_by_one, export("1000"));
}
