//! End-to-end tests of `frontline extract`: output contract, bad input, batches.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn frontline() -> Command {
    let mut cmd = Command::cargo_bin("frontline").unwrap();
    cmd.env_remove("FRONTLINE_GAZETTEER").env_remove("RUST_LOG");
    cmd
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles")
        .join(name)
}

fn extract_json(args: &[&str]) -> Value {
    let out = frontline().arg("extract").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn missing_file_is_a_clear_error() {
    frontline()
        .args(["extract", "no/such/article.txt"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no/such/article.txt"))
        .stderr(predicate::str::contains("no such file"));
}

#[test]
fn empty_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("empty.txt");
    std::fs::write(&p, "  \n\n").unwrap();
    frontline()
        .arg("extract")
        .arg(&p)
        .assert()
        .failure()
        .stderr(predicate::str::contains("empty.txt"))
        .stderr(predicate::str::contains("input is empty"));
}

#[test]
fn binary_garbage_is_refused_not_panicked_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("photo.jpg");
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
        .collect();
    std::fs::write(&p, bytes).unwrap();
    frontline()
        .arg("extract")
        .arg(&p)
        .assert()
        .failure()
        .stderr(predicate::str::contains("photo.jpg"))
        .stderr(predicate::str::contains("does not look like text"))
        .stderr(predicate::str::contains("panicked").not());
}

/// Latin-1 text (no valid UTF-8 multi-byte sequence) is decoded by detection since issue 23,
/// item 7, with a warning naming the first invalid offset and saying it was a guess; UTF-8
/// text with a stray byte keeps the replacement character.
#[test]
fn invalid_utf8_is_decoded_with_a_warning_naming_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.txt");
    let mut bytes = b"Rebels shelled the town of Kidal on Monday, officials said. ".to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"The caf\xe9 was hit.\n");
    std::fs::write(&p, &bytes).unwrap();
    let out = frontline().arg("extract").arg(&p).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = format!("byte offset {}", offset + 7);
    assert!(stderr.contains(&expected), "stderr: {stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warning = v["warnings"][0].as_str().unwrap();
    assert!(warning.contains(&expected), "{warning}");
    assert!(warning.contains("windows-1252, guessed"), "{warning}");
    assert!(v["document"]["text"].as_str().unwrap().contains("café"));

    let p = dir.path().join("utf8.txt");
    let mut bytes = "Rebels shelled Kidal — “heavy fire” — on Monday. "
        .as_bytes()
        .to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"The caf\xe9 was hit.\n");
    std::fs::write(&p, &bytes).unwrap();
    let out = frontline().arg("extract").arg(&p).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warning = v["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains(&format!("first at {}", offset + 7)),
        "{warning}"
    );
    assert!(
        v["document"]["text"]
            .as_str()
            .unwrap()
            .contains("caf\u{FFFD}")
    );
}

#[test]
fn bad_published_date_says_what_is_expected() {
    frontline()
        .args(["extract", "--published", "18/06/2017"])
        .arg(fixture("01_mosul_airstrike.txt"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn a_bad_document_in_a_batch_is_skipped_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("09_somalia_ied.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::write(dir.path().join("b.txt"), "").unwrap();
    std::fs::copy(fixture("02_aden_clashes.txt"), dir.path().join("c.txt")).unwrap();
    let out = frontline().arg("extract").arg(dir.path()).output().unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one JSON line per good document");
    // Output keeps input order.
    assert!(
        lines[0]["document"]["origin"]["path"]
            .as_str()
            .unwrap()
            .ends_with("a.txt")
    );
    assert!(
        lines[1]["document"]["origin"]["path"]
            .as_str()
            .unwrap()
            .ends_with("c.txt")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("b.txt") && stderr.contains("skipped"),
        "stderr: {stderr}"
    );
}

#[test]
fn reads_standard_input() {
    let v: Value = {
        let out = frontline()
            .args([
                "extract",
                "-",
                "--published",
                "2019-12-13",
                "--outlet",
                "Test Wire",
            ])
            .write_stdin("Houthi rebels fired a missile at Marib on Thursday, officials said.\n")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(v["schema_version"], "1.0");
    assert_eq!(v["document"]["outlet"], "Test Wire");
    assert_eq!(v["document"]["published_at"], "2019-12-13");
    assert_eq!(v["document"]["origin"]["format"], "stdin");
}

#[test]
fn output_contract_holds_on_every_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/articles");
    let out = frontline()
        .args(["extract", "--published", "2020-01-15", "--format", "jsonl"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut n = 0;
    for line in stdout.lines() {
        let ex: frontline_model::Extraction = serde_json::from_str(line).unwrap();
        ex.check_spans().unwrap();
        assert_eq!(
            ex.document.id,
            frontline_model::content_id(&ex.document.text)
        );
        n += 1;
    }
    assert!(n >= 8, "expected every fixture, got {n}");
}

#[test]
fn table_format_is_for_people() {
    frontline()
        .args(["extract", "--format", "table", "--published", "2019-11-06"])
        .arg(fixture("09_somalia_ied.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Events:"))
        .stdout(predicate::str::contains("Places:"));
}

/// The seed report lives beside the project (../shared/seed), not in it; skip when absent.
fn seed() -> Option<PathBuf> {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/000_8443cb574b421188.txt");
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipping: seed report not found at {}", p.display());
        None
    }
}

fn mentions_of<'a>(v: &'a Value, kind: &str) -> Vec<&'a Value> {
    v["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == kind)
        .collect()
}

#[test]
fn seed_report_done_when() {
    let Some(seed) = seed() else { return };
    let v = extract_json(&[seed.to_str().unwrap(), "--published", "2017-06-18"]);

    // The comment form goes to boilerplate, not to analysis.
    let bp: Vec<&str> = v["boilerplate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert!(
        bp.iter().any(|t| t.contains("Send a Comment")),
        "boilerplate: {bp:?}"
    );
    assert!(
        bp.iter().any(|t| t.contains("will not be published")),
        "boilerplate: {bp:?}"
    );

    // Countries, as places or actors.
    let mut countries = std::collections::BTreeSet::new();
    for m in mentions_of(&v, "place") {
        if let Some(c) = m["country_code"].as_str() {
            countries.insert(c.to_string());
        }
    }
    for m in mentions_of(&v, "actor") {
        if let Some(c) = m["country"].as_str() {
            countries.insert(c.to_string());
        }
    }
    for (iso2, iso3) in [
        ("SY", "SYR"),
        ("IQ", "IRQ"),
        ("LB", "LBN"),
        ("IR", "IRN"),
        ("US", "USA"),
        ("GB", "GBR"),
    ] {
        assert!(
            countries.contains(iso2) || countries.contains(iso3),
            "{iso2} missing from {countries:?}"
        );
    }

    // Dates: "Sunday" and "a day after".
    let times = mentions_of(&v, "time");
    let date_of = |needle: &str| {
        times
            .iter()
            .find(|m| m["text"].as_str().unwrap().to_lowercase().contains(needle))
            .map(|m| m["start"].as_str().unwrap().to_string())
    };
    assert_eq!(
        date_of("sunday").as_deref(),
        Some("2017-06-18"),
        "times: {times:?}"
    );
    assert_eq!(
        date_of("a day after").as_deref(),
        Some("2017-06-17"),
        "times: {times:?}"
    );

    // The area quantity, once.
    let areas: Vec<_> = mentions_of(&v, "quantity")
        .into_iter()
        .filter(|m| m["quantity_kind"] == "area")
        .collect();
    assert_eq!(areas.len(), 1, "areas: {areas:?}");
    assert_eq!(areas[0]["value"].as_f64(), Some(25000.0));
    assert_eq!(areas[0]["unit"], "square_kilometre");
}

/// Each subcommand's `--help` carries its long description and examples (a doc comment on the
/// subcommand's variant in main.rs would silently replace them).
#[test]
fn help_teaches_with_the_long_description_and_examples() {
    for (cmd, expected) in [
        ("extract", "frontline extract ./articles/ --format jsonl"),
        ("ingest", "frontline ingest --db events.db"),
        ("export", "frontline export --format csv -o events.csv"),
        ("serve", "docs/api.md"),
        ("demo", "About thirty short reports"),
        ("geoparse", "frontline geoparse report.txt"),
    ] {
        frontline()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains(expected));
    }
}
