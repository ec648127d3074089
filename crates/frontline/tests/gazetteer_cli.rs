#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! `frontline gazetteer import` on a GeoNames-format dump, then `geoparse` with the index:
//! names missing from the embedded default resolve to the border post and the base.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const ARTICLE: &str = "BAGHDAD (Wire) - Iraqi forces said on Sunday they had taken the al-Waleed \
border crossing from Islamic State militants, days after U.S.-backed fighters moved north from the \
Tanf garrison in Syria.\n\nThe crossing sits on the old highway between Baghdad and Damascus, close \
to the point where the borders of Iraq, Syria and Jordan meet.\n";

/// A command with no gazetteer from the environment or the user's data dir.
fn frontline(home: &Path) -> Command {
    let mut c = Command::cargo_bin("frontline").unwrap();
    c.env_remove("FRONTLINE_GAZETTEER")
        .env_remove("FRONTLINE_DB")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"));
    c
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geonames")
}

/// The toponyms `geoparse` reports, by surface text.
fn geoparse(home: &Path, extra: &[&str], article: &Path) -> Vec<(String, Value)> {
    let out = frontline(home)
        .args(extra)
        .args(["geoparse", "--compact"])
        .arg(article)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| (t["text"].as_str().unwrap().to_string(), t["place"].clone()))
        .collect()
}

fn place<'a>(v: &'a [(String, Value)], text: &str) -> &'a Value {
    &v.iter()
        .find(|(t, _)| t.contains(text))
        .unwrap_or_else(|| {
            panic!(
                "{text} not in {:?}",
                v.iter().map(|x| &x.0).collect::<Vec<_>>()
            )
        })
        .1
}

#[test]
fn full_import_places_the_crossing_and_the_garrison() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let article = home.join("article.txt");
    std::fs::write(&article, ARTICLE).unwrap();

    // The embedded default lacks both: unresolved, with what the text says of them.
    let v = geoparse(home, &[], &article);
    let w = place(&v, "Waleed");
    assert_eq!(w["precision"], "unresolved", "{w}");
    assert_eq!(w["inferred"], "border of IQ and SY", "{w}");
    let t = place(&v, "Tanf");
    assert_eq!(t["precision"], "unresolved", "{t}");
    assert_eq!(t["country_code"], "SY", "{t}");

    // Import the dump into an explicit index.
    let idx = home.join("geonames.idx");
    let out = frontline(home)
        .args(["gazetteer", "import", "--geonames"])
        .arg(fixture())
        .arg("--out")
        .arg(&idx)
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("6 places"), "{stderr}");

    let v = geoparse(home, &["--gazetteer", idx.to_str().unwrap()], &article);
    let w = place(&v, "Waleed");
    assert_eq!(w["geonameid"], 7_910_001, "{w}");
    assert_eq!(w["feature_code"], "PSTB", "{w}");
    assert_eq!(w["country_code"], "IQ", "{w}");
    assert_eq!(w["admin1"], "Anbar", "{w}");
    let t = place(&v, "Tanf");
    assert_eq!(t["geonameid"], 7_910_002, "{t}");
    assert_eq!(t["feature_code"], "MILB", "{t}");
    assert_eq!(t["precision"], "point", "{t}");
    // The rest of the story still resolves through the same index.
    assert_eq!(place(&v, "Damascus")["country_code"], "SY");
    assert_eq!(place(&v, "Jordan")["precision"], "country");

    // Imported into the data dir (no --out), later runs use it, and say so (issue 23,
    // item 12: a partial import silently replaced the embedded gazetteer).
    let import = |home: &Path| {
        let out = frontline(home)
            .args(["gazetteer", "import", "--geonames"])
            .arg(fixture())
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let stderr = import(home);
    assert!(
        stderr.contains("instead of the embedded gazetteer"),
        "{stderr}"
    );
    assert!(stderr.contains("countr"), "{stderr}");
    assert!(stderr.contains("will not be found"), "{stderr}");
    assert!(!stderr.contains("it replaces"), "{stderr}");
    let v = geoparse(home, &[], &article);
    assert_eq!(place(&v, "Tanf")["geonameid"], 7_910_002);
    let out = frontline(home)
        .args(["geoparse"])
        .arg(&article)
        .output()
        .unwrap();
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("note: using the imported gazetteer"),
        "{note}"
    );
    let again = import(home);
    assert!(again.contains("it replaces the earlier import"), "{again}");
}

/// Output into a pipe closed by its reader (`frontline gazetteer lookup X | head -0`) ends the
/// command quietly, with success, as ripgrep does; it used to panic (lines) or fail (JSON).
#[test]
fn a_closed_output_pipe_ends_quietly() {
    let home = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("frontline");
    let article = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles/01_mosul_airstrike.txt")
        .display()
        .to_string();
    // println-style lines, and JSON written by serde (its error wraps the pipe's)
    for args in [
        &["gazetteer", "lookup", "Kharkiv"][..],
        &["gazetteer", "info"][..],
        &["extract", article.as_str()][..],
    ] {
        let mut child = std::process::Command::new(&bin)
            .args(args)
            .env_remove("FRONTLINE_GAZETTEER")
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // the reader goes away before the command writes
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
