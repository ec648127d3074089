#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! `frontline ingest --extractions`: extraction outputs stored and fused without extracting
//! again give the database that ingesting the articles gives; bad records are reported and
//! skipped.

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

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

fn csv(db: &Path) -> String {
    stdout(
        frontline()
            .args(["export", "--format", "csv", "--db"])
            .arg(db),
    )
}

#[test]
fn stored_extractions_equal_ingested_articles() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("extractions.jsonl");
    let lines = stdout(
        frontline()
            .args([
                "--quiet",
                "extract",
                "--format",
                "jsonl",
                "--published",
                "2019-03-01",
            ])
            .args(["--outlet", "Fixture Wire"])
            .arg(fixtures()),
    );
    std::fs::write(&jsonl, &lines).unwrap();

    let from_articles = dir.path().join("a.db");
    frontline()
        .args([
            "ingest",
            "--published",
            "2019-03-01",
            "--outlet",
            "Fixture Wire",
            "--db",
        ])
        .arg(&from_articles)
        .arg(fixtures())
        .assert()
        .success();
    let from_extractions = dir.path().join("b.db");
    let out = stdout(
        frontline()
            .args(["ingest", "--extractions", "--db"])
            .arg(&from_extractions)
            .arg(&jsonl),
    );
    assert!(out.contains("read 18 documents"), "{out}");
    assert!(out.contains("copies of earlier stories: 8"), "{out}");
    let expected = csv(&from_articles);
    assert!(expected.lines().count() > 2, "{expected}");
    assert_eq!(csv(&from_extractions), expected);

    // Again: all known.
    let again = stdout(
        frontline()
            .args(["ingest", "--extractions", "--db"])
            .arg(&from_extractions)
            .arg(&jsonl),
    );
    assert!(again.contains("already known: 18"), "{again}");
}

#[test]
fn bad_records_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let lines = stdout(
        frontline()
            .args(["--quiet", "extract", "--format", "jsonl"])
            .arg(fixtures().join("airstrike_a.txt"))
            .arg(fixtures().join("airstrike_b.txt")),
    );
    let mut lines: Vec<String> = lines.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 2);
    // A mention whose text no longer matches its span.
    let mut tampered: serde_json::Value = serde_json::from_str(&lines[1]).unwrap();
    let mention = &mut tampered["mentions"][0]["text"];
    assert!(mention.is_string());
    *mention = serde_json::Value::from("not the text under the span");
    lines[1] = tampered.to_string();
    lines.insert(1, "{\"not\": \"an extraction\"}".into());
    let jsonl = dir.path().join("mixed.jsonl");
    std::fs::write(&jsonl, lines.join("\n")).unwrap();
    let db = dir.path().join("m.db");
    frontline()
        .args(["ingest", "--extractions", "--db"])
        .arg(&db)
        .arg(&jsonl)
        .assert()
        .success()
        .stdout(predicate::str::contains("read 1 documents"))
        .stdout(predicate::str::contains("skipped: 2"))
        .stderr(predicate::str::contains("mixed.jsonl:2"))
        .stderr(predicate::str::contains("mixed.jsonl:3"))
        .stderr(predicate::str::contains("spans do not match"));
}

#[test]
fn articles_given_as_extractions_are_refused_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    frontline()
        .args(["ingest", "--extractions", "--db"])
        .arg(&db)
        .arg(fixtures().join("airstrike_a.txt"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("airstrike_a.txt:1"))
        .stderr(predicate::str::contains(
            "not an extraction of the JSON contract",
        ));
}

/// A Parquet file with `id` and `extraction` columns, as the Spark recipe writes it (Snappy).
#[cfg(feature = "parquet")]
fn write_parquet(path: &Path, lines: &[&str]) {
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;

    let schema = parquet::schema::parser::parse_message_type(
        "message spark_schema { optional binary id (UTF8); optional binary extraction (UTF8); }",
    )
    .unwrap();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = SerializedFileWriter::new(file, Arc::new(schema), Arc::new(props)).unwrap();
    let mut rg = w.next_row_group().unwrap();
    let ids: Vec<ByteArray> = (0..lines.len())
        .map(|i| ByteArray::from(format!("doc-{i}").as_str()))
        .collect();
    let json: Vec<ByteArray> = lines.iter().map(|l| ByteArray::from(*l)).collect();
    for values in [ids, json] {
        let mut col = rg.next_column().unwrap().unwrap();
        let defs = vec![1i16; values.len()];
        col.typed::<ByteArrayType>()
            .write_batch(&values, Some(&defs), None)
            .unwrap();
        col.close().unwrap();
    }
    rg.close().unwrap();
    w.close().unwrap();
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_extractions_are_stored_like_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let lines = stdout(
        frontline()
            .args([
                "--quiet",
                "extract",
                "--format",
                "jsonl",
                "--outlet",
                "Fixture Wire",
            ])
            .arg(fixtures()),
    );
    let lines: Vec<&str> = lines.lines().collect();
    let parts = dir.path().join("extractions");
    std::fs::create_dir(&parts).unwrap();
    let (a, b) = lines.split_at(lines.len() / 2);
    write_parquet(&parts.join("part-00000.parquet"), a);
    write_parquet(&parts.join("part-00001.parquet"), b);
    let jsonl = dir.path().join("all.jsonl");
    std::fs::write(&jsonl, lines.join("\n")).unwrap();

    let from_parquet = dir.path().join("p.db");
    let out = stdout(
        frontline()
            .args(["ingest", "--extractions", "--db"])
            .arg(&from_parquet)
            .arg(&parts),
    );
    assert!(
        out.contains(&format!("read {} documents", lines.len())),
        "{out}"
    );
    let from_jsonl = dir.path().join("j.db");
    frontline()
        .args(["ingest", "--extractions", "--db"])
        .arg(&from_jsonl)
        .arg(&jsonl)
        .assert()
        .success();
    assert_eq!(csv(&from_parquet), csv(&from_jsonl));
}
