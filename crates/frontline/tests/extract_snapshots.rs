//! insta snapshots of `frontline extract` on the fixture articles (our own writing).
//!
//! Review changes with `cargo insta review` (or `INSTA_UPDATE=always cargo test -p frontline
//! --test extract_snapshots` and read the diff) whenever a rule changes on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// Fixture file and the publication date it is read with.
const FIXTURES: &[(&str, &str)] = &[
    ("01_mosul_airstrike", "2017-03-22"),
    ("02_aden_clashes", "2019-08-09"),
    ("03_sahel_abduction", "2020-02-16"),
    ("04_kharkiv_shelling", "2023-01-09"),
    ("05_darfur_displacement", "2024-05-14"),
    ("06_deir_ezzor_variants", "2017-09-20"),
    ("07_hodeidah_ceasefire", "2018-12-13"),
    ("08_kabul_protest_arrests", "2022-12-25"),
    ("09_somalia_ied", "2019-11-06"),
    ("10_sinjar_negation", "2022-04-19"),
];

fn extract(name: &str, published: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::cargo_bin("frontline")
        .unwrap()
        .current_dir(dir)
        .env_remove("FRONTLINE_GAZETTEER")
        .args([
            "extract",
            "--published",
            published,
            "--outlet",
            "Fixture Wire",
        ])
        .arg(format!("tests/fixtures/articles/{name}.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn fixture_extractions_match_snapshots() {
    for (name, published) in FIXTURES {
        let value = extract(name, published);
        let ex: frontline_model::Extraction = serde_json::from_value(value.clone()).unwrap();
        ex.check_spans().unwrap();
        insta::assert_json_snapshot!(*name, value);
    }
}
