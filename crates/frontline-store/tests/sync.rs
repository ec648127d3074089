#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Created/updated stamps of fused events and `updated_since` (issue 23, item 13), and the
//! schema v12 migration that adds them, run on a database written by the previous release.

use chrono::{DateTime, Utc};
use frontline_model::{ActorType, Extraction};
use frontline_store::testutil::{EventSpec, actor, extraction, place};
use frontline_store::{EventFilter, FusedEvent, Store};

fn report(text: &str, outlet: &str, published: &str) -> Extraction {
    let army = actor(
        "SYRMIL",
        "Syrian military",
        Some("SYR"),
        ActorType::Military,
    );
    let idlib = place("Idlib", 169_388, 35.93, 36.63, "SY");
    extraction(
        text,
        Some(outlet),
        Some(published),
        &[EventSpec::assault(
            vec![army],
            Some(idlib),
            Some("2017-06-19"),
        )],
    )
}

fn only(store: &Store) -> FusedEvent {
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter().next().unwrap()
}

fn since(t: DateTime<Utc>) -> EventFilter {
    EventFilter {
        updated_since: Some(t),
        ..Default::default()
    }
}

/// A new fused event is stamped created = updated; a report added later moves `updated_at`
/// and not `created_at`; `updated_since` selects by `updated_at`, inclusively.
#[test]
fn stamps_are_set_on_insert_and_moved_when_a_report_joins() {
    let store = Store::open_in_memory().unwrap();
    let before = Utc::now() - chrono::Duration::milliseconds(1);
    store
        .put_extractions(&[report(
            "Government forces attacked rebel positions near Idlib on Monday.",
            "Wire One",
            "2017-06-19",
        )])
        .unwrap();
    let first = only(&store);
    let created = first.created_at.expect("created_at is set on insert");
    assert_eq!(first.updated_at, Some(created));
    assert!(created >= before, "{created} < {before}");
    // Shown in the JSON of the record.
    let json = serde_json::to_value(&first).unwrap();
    assert!(
        json["created_at"]
            .as_str()
            .is_some_and(|s| s.ends_with('Z')),
        "{json}"
    );

    std::thread::sleep(std::time::Duration::from_millis(5));
    store
        .put_extractions(&[report(
            "An army assault on rebel-held Idlib was reported by a second outlet today.",
            "Wire Two",
            "2017-06-20",
        )])
        .unwrap();
    let joined = only(&store);
    assert_eq!(
        joined.n_reports, 2,
        "the second report must fuse: {joined:?}"
    );
    assert_eq!(joined.created_at, Some(created));
    let updated = joined.updated_at.unwrap();
    assert!(updated > created, "{updated} <= {created}");
    // The detail carries them too.
    let detail = store.event(joined.id).unwrap().unwrap();
    assert_eq!(detail.event.updated_at, Some(updated));

    assert_eq!(store.count_events(&since(created)).unwrap(), 1);
    assert_eq!(store.count_events(&since(updated)).unwrap(), 1, "inclusive");
    let later = updated + chrono::Duration::milliseconds(1);
    assert_eq!(store.count_events(&since(later)).unwrap(), 0);
    assert!(store.events(&since(later)).unwrap().is_empty());
}

/// Stamps never go back: a batch written after another is stamped no earlier than it, even
/// when the stored stamp is ahead of the clock (a clock set back).
#[test]
fn stamps_never_go_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let store = Store::open(&db).unwrap();
    store
        .put_extractions(&[report(
            "Government forces attacked rebel positions near Idlib on Monday.",
            "Wire One",
            "2017-06-19",
        )])
        .unwrap();
    drop(store);
    let ahead = "2999-01-01T00:00:00.000Z";
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE fused_events SET updated_at = ?1", [ahead])
        .unwrap();
    drop(conn);
    let store = Store::open(&db).unwrap();
    store
        .put_extractions(&[report(
            "An army assault on rebel-held Idlib was reported by a second outlet today.",
            "Wire Two",
            "2017-06-20",
        )])
        .unwrap();
    let ev = only(&store);
    assert_eq!(ev.n_reports, 2);
    assert_eq!(
        ev.updated_at.map(|t| t.to_rfc3339()),
        Some("2999-01-01T00:00:00+00:00".to_string())
    );
}

/// Row counts of every table of a database, by name.
fn table_counts(conn: &rusqlite::Connection) -> Vec<(String, i64)> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|n| {
            let c = conn
                .query_row(&format!("SELECT COUNT(*) FROM \"{n}\""), [], |r| r.get(0))
                .unwrap();
            (n, c)
        })
        .collect()
}

/// `tests/fixtures/schema/v11.db` was written by `frontline ingest` of the nine first demo
/// samples at schema version 11 (main at a0da4b2, before the stamps). Opening it migrates it:
/// every table keeps every row, every fused event gets the earliest and latest `ingested_at`
/// of its documents as its stamps, and it reads and takes new reports as a fresh database
/// does.
#[test]
fn a_version_11_database_is_upgraded_without_loss() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("schema")
        .join("v11.db");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    std::fs::copy(&fixture, &db).unwrap();
    let (counts_before, records_before, ingested) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 11, "the fixture is a version 11 database");
        let records: Vec<(i64, Option<String>, i64)> = conn
            .prepare("SELECT id, agg, n_reports FROM fused_events ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // Per fused event: the first and last ingestion time of its documents.
        let ingested: Vec<(i64, String, String)> = conn
            .prepare(
                "SELECT ed.fused_id, min(d.ingested_at), max(d.ingested_at) \
                 FROM event_documents ed JOIN documents d ON d.rowid_ = ed.doc \
                 GROUP BY ed.fused_id ORDER BY ed.fused_id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (table_counts(&conn), records, ingested)
    };
    assert!(records_before.iter().any(|r| r.2 > 1), "some events fused");

    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), 13);
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    let events = store.events(&EventFilter::default()).unwrap();
    assert_eq!(events.len(), records_before.len());
    for (id, first, last) in &ingested {
        let ev = events.iter().find(|e| e.id == *id).unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let near = |a: Option<DateTime<Utc>>, b: DateTime<Utc>| {
            a.is_some_and(|a| (a - b).num_milliseconds().abs() <= 1)
        };
        assert!(
            near(ev.created_at, at(first)),
            "{id}: {:?} {first}",
            ev.created_at
        );
        assert!(
            near(ev.updated_at, at(last)),
            "{id}: {:?} {last}",
            ev.updated_at
        );
        assert!(ev.created_at <= ev.updated_at);
    }
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        assert_eq!(table_counts(&conn), counts_before, "no row lost");
        let records: Vec<(i64, Option<String>, i64)> = conn
            .prepare("SELECT id, agg, n_reports FROM fused_events ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(records, records_before, "aggregates unchanged");
    }
    // Every stamp is before now: a sync from now finds nothing, then finds what is written.
    let now = Utc::now();
    assert_eq!(store.count_events(&since(now)).unwrap(), 0);
    store
        .put_extractions(&[report(
            "Government forces attacked rebel positions near Idlib on Monday.",
            "Wire One",
            "2017-06-19",
        )])
        .unwrap();
    assert!(store.count_events(&since(now)).unwrap() >= 1);
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
}
