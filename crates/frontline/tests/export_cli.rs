#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! `frontline export`: every format parses, filters apply.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use predicates::prelude::*;

fn frontline() -> Command {
    let mut c = Command::cargo_bin("frontline").unwrap();
    c.env_remove("FRONTLINE_DB")
        .env_remove("FRONTLINE_GAZETTEER");
    c
}

fn build_db(dir: &Path) -> PathBuf {
    let db = dir.join("f.db");
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontline-store/tests/fixtures/copies");
    frontline()
        .args(["ingest", "-q", "--published", "2019-03-01", "--db"])
        .arg(&db)
        .arg(fixtures)
        .assert()
        .success();
    db
}

fn export(db: &Path, args: &[&str]) -> String {
    let out = frontline()
        .args(["export", "--db"])
        .arg(db)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn all_formats_parse_and_agree() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());

    let jsonl = export(&db, &["--format", "jsonl"]);
    let records: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(records.len() >= 5, "{}", records.len());
    for r in &records {
        assert!(r["id"].is_i64());
        assert!(!r["reports"].as_array().unwrap().is_empty());
    }
    let n = records.len();

    // CSV: header + one row per event, every row the header's width.
    let csv_text = export(&db, &["--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    for col in [
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "time_precision",
        "source",
        "notes",
        "fatalities",
        "fatalities_low",
        "fatalities_best",
        "fatalities_high",
        "n_sources",
        "n_documents",
        "n_outlets",
    ] {
        assert!(headers.iter().any(|h| h == col), "missing column {col}");
    }
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), n);
    assert!(rows.iter().all(|r| r.len() == headers.len()));

    // GeoJSON: structural check of RFC 7946 essentials.
    let geo = export(&db, &["--format", "geojson"]);
    let v: serde_json::Value = serde_json::from_str(&geo).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), n);
    let mut points = 0;
    for f in features {
        assert_eq!(f["type"], "Feature");
        assert!(f["properties"].is_object());
        let g = &f["geometry"];
        if !g.is_null() {
            assert_eq!(g["type"], "Point");
            let c = g["coordinates"].as_array().unwrap();
            assert_eq!(c.len(), 2);
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
            points += 1;
        }
    }
    assert!(points > 0);

    // GDELT: 61 tab-separated columns per line.
    let gdelt = export(&db, &["--format", "gdelt"]);
    assert_eq!(gdelt.lines().count(), n);
    assert!(gdelt.lines().all(|l| l.split('\t').count() == 61));

    // Optional: pandas reads the CSV and the GeoJSON's properties.
    let csv_path = dir.path().join("e.csv");
    let geo_path = dir.path().join("e.geojson");
    std::fs::write(&csv_path, &csv_text).unwrap();
    std::fs::write(&geo_path, &geo).unwrap();
    let has_pandas = StdCommand::new("python3")
        .args(["-c", "import pandas"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has_pandas {
        let script = format!(
            "import pandas as pd, json\n\
             df = pd.read_csv({:?})\n\
             assert len(df) == {n}, len(df)\n\
             g = json.load(open({:?}))\n\
             p = pd.json_normalize([f['properties'] for f in g['features']])\n\
             assert len(p) == {n}\n",
            csv_path.display().to_string(),
            geo_path.display().to_string()
        );
        let o = StdCommand::new("python3")
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    } else {
        eprintln!("pandas is not installed: skipping the pandas check of the CSV and GeoJSON");
    }
}

#[test]
fn filters_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    let all = export(&db, &["--format", "jsonl"]).lines().count();
    let syria = export(&db, &["--format", "jsonl", "--country", "Syria"])
        .lines()
        .count();
    let sy = export(&db, &["--format", "jsonl", "--country", "SY"])
        .lines()
        .count();
    assert_eq!(syria, sy);
    assert!(syria > 0 && syria < all);
    let assault = export(&db, &["--format", "jsonl", "--type", "assault"]);
    assert!(
        assault
            .lines()
            .all(|l| l.contains("\"plover_type\":\"ASSAULT\""))
    );
    let boxed = export(&db, &["--format", "jsonl", "--bbox", "35,33,38,37"]);
    for l in boxed.lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let lon = v["location"]["lon"].as_f64().unwrap();
        assert!((35.0..=38.0).contains(&lon));
    }
    let limited = export(&db, &["--format", "jsonl", "--limit", "2"]);
    assert_eq!(limited.lines().count(), 2);
    let out = dir.path().join("out.csv");
    frontline()
        .args(["export", "--format", "csv", "--db"])
        .arg(&db)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("event_id,")
    );
}

#[test]
fn export_errors_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    frontline()
        .args(["export", "--format", "csv", "--db"])
        .arg(dir.path().join("missing.db"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("missing.db"));
    let db = build_db(dir.path());
    frontline()
        .args(["export", "--format", "csv", "--bbox", "1,2,3", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("bbox"));
    frontline()
        .args(["export", "--format", "csv", "--country", "Atlantis", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("Atlantis"));
}

/// Without the `parquet` feature, `--format parquet` says how to get it.
#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_says_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    frontline()
        .args(["export", "--format", "parquet", "-o"])
        .arg(dir.path().join("e.parquet"))
        .arg("--db")
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("--features parquet"));
    assert!(!dir.path().join("e.parquet").exists());
}

/// With the `parquet` feature (on by default), the Parquet file
/// holds exactly the CSV's rows and columns, typed.
#[cfg(feature = "parquet")]
#[test]
fn parquet_holds_the_csv_rows_typed() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    let csv_text = export(&db, &["--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let csv_rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();

    let path = dir.path().join("e.parquet");
    frontline()
        .args(["export", "--format", "parquet", "-o"])
        .arg(&path)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut rows = Vec::new();
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        let mut names = Vec::new();
        let mut cells = Vec::new();
        for (name, field) in row.get_column_iter() {
            names.push(name.clone());
            cells.push(match field {
                Field::Null => String::new(),
                Field::Str(s) => s.clone(),
                Field::Int(i) => i.to_string(),
                Field::Long(i) => i.to_string(),
                Field::Double(d) => d.to_string(),
                Field::Date(days) => (chrono::NaiveDate::default()
                    + chrono::Duration::days(i64::from(*days)))
                .to_string(),
                other => panic!("unexpected Parquet field {other:?} in column {name}"),
            });
        }
        assert_eq!(names, headers);
        rows.push(cells);
    }
    assert!(rows.len() >= 5, "{}", rows.len());
    assert_eq!(rows, csv_rows);

    // Parquet is a file format: without -o it is a clear error.
    frontline()
        .args(["export", "--format", "parquet", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("-o FILE"));
}

/// Issue 23, item 13: `--updated-since` exports what was created or given a report since, by
/// the `updated_at` every record carries.
#[test]
fn updated_since_exports_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    let stamps = |jsonl: &str| -> Vec<String> {
        jsonl
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                assert!(v["created_at"].as_str().unwrap() <= v["updated_at"].as_str().unwrap());
                v["updated_at"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let all = stamps(&export(&db, &["--format", "jsonl"]));
    assert!(!all.is_empty());
    let latest = all.iter().max().unwrap().clone();
    let again = stamps(&export(
        &db,
        &["--format", "jsonl", "--updated-since", &latest],
    ));
    assert!(!again.is_empty(), "inclusive");
    assert!(again.iter().all(|s| *s >= latest));
    let none = export(&db, &["--format", "csv", "--updated-since", "2999-01-01"]);
    assert_eq!(none.lines().count(), 1, "the header alone: {none}");
    frontline()
        .args([
            "export",
            "--format",
            "csv",
            "--updated-since",
            "last week",
            "--db",
        ])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("RFC 3339"));

    // A new report: the next sync brings what it created or joined, nothing older.
    let new = dir.path().join("new.txt");
    std::fs::write(
        &new,
        "Government artillery shelled the town of Saraqib in Idlib province on Tuesday, \
         killing four civilians, a local monitoring group said.\n",
    )
    .unwrap();
    frontline()
        .args(["ingest", "-q", "--published", "2019-03-05", "--db"])
        .arg(&db)
        .arg(&new)
        .assert()
        .success();
    let mut since = stamps(&export(
        &db,
        &["--format", "jsonl", "--updated-since", &latest],
    ));
    assert!(
        since.iter().any(|s| *s > latest),
        "{since:?} after {latest}"
    );
    // Exactly the records of a full export stamped at or after `latest`.
    let mut expected: Vec<String> = stamps(&export(&db, &["--format", "jsonl"]))
        .into_iter()
        .filter(|s| *s >= latest)
        .collect();
    since.sort();
    expected.sort();
    assert_eq!(since, expected);
}

/// Issue 23, item 13: `--type` and `--country` take what the API's `type` and `country`
/// take (several values, PLOVER or ACLED types, codes or names), with the same meaning.
#[test]
fn type_and_country_take_several_values_as_the_api_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = build_db(dir.path());
    let ids = |args: &[&str]| -> std::collections::BTreeSet<i64> {
        let mut all = vec!["--format", "jsonl"];
        all.extend_from_slice(args);
        export(&db, &all)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_i64()
                    .unwrap()
            })
            .collect()
    };
    let (sy, iq) = (ids(&["--country", "SY"]), ids(&["--country", "IRQ"]));
    assert!(!sy.is_empty() && !iq.is_empty());
    let both = ids(&["--country", "Syria, IQ"]);
    assert_eq!(both, sy.union(&iq).copied().collect());
    let (assault, coerce) = (ids(&["--type", "ASSAULT"]), ids(&["--type", "coerce"]));
    assert!(!assault.is_empty() && !coerce.is_empty());
    assert_eq!(
        ids(&["--type", "ASSAULT,COERCE"]),
        assault.union(&coerce).copied().collect()
    );
    let battles = ids(&["--type", "Battles"]);
    assert!(!battles.is_empty() && battles.len() < ids(&[]).len());
    frontline()
        .args([
            "export",
            "--format",
            "csv",
            "--type",
            "ASSAULT,Picnic",
            "--db",
        ])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicate::str::contains("Picnic").and(predicate::str::contains("PLOVER")));
}
