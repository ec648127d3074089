#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! Kill -9 safety: a child process writes batches; the parent kills it mid-run, checks the
//! database, re-runs the same input and expects exactly the counts of an uninterrupted run.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use frontline_model::{ActorType, Extraction};
use frontline_store::testutil::{EventSpec, actor, extraction, place};
use frontline_store::{Store, StoreCounts};

const BATCH: usize = 10;
const BATCHES: usize = 30;
const CHILD_ENV: &str = "FRONTLINE_STORE_CRASH_CHILD_DB";

fn batches() -> Vec<Vec<Extraction>> {
    let towns = [
        "Homs", "Hama", "Idlib", "Raqqa", "Aleppo", "Daraa", "Palmyra",
    ];
    (0..BATCHES)
        .map(|b| {
            (0..BATCH)
                .map(|i| {
                    let n = b * BATCH + i;
                    let town = towns[n % towns.len()];
                    let text = format!(
                        "Report {n}: fighters attacked positions near {town} on day {}, \
                         officials said, in attack number {n} of the series {}.",
                        n % 28 + 1,
                        n * 7919 % 1000
                    );
                    let ev = EventSpec::assault(
                        vec![actor(
                            "SYRREB",
                            "Syrian rebels",
                            Some("SYR"),
                            ActorType::Rebel,
                        )],
                        Some(place(
                            town,
                            1000 + (n % towns.len()) as u64,
                            34.0 + (n % towns.len()) as f64 * 0.6,
                            36.0,
                            "SY",
                        )),
                        Some(&format!("2020-01-{:02}", n % 28 + 1)),
                    );
                    extraction(
                        &text,
                        Some(&format!("outlet{}", n % 5)),
                        Some("2020-01-28"),
                        &[ev],
                    )
                })
                .collect()
        })
        .collect()
}

fn run_all(store: &Store) {
    for batch in batches() {
        store.put_extractions(&batch).unwrap();
    }
}

/// In child mode (env var set), writes all batches slowly; otherwise does nothing.
#[test]
fn child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = Store::open(&path).unwrap();
    for batch in batches() {
        store.put_extractions(&batch).unwrap();
        std::thread::sleep(Duration::from_millis(30));
    }
}

#[test]
fn killed_ingest_leaves_a_sound_resumable_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then kill -9 in the middle of the run.
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(30));
        if path.exists()
            && let Ok(store) = Store::open(&path)
            && store.counts().map_or(0, |c| c.documents) >= (3 * BATCH) as u64
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "child wrote nothing"
        );
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let store = Store::open(&path).unwrap();
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    let partial = store.counts().unwrap();
    assert_eq!(
        partial.documents % BATCH as u64,
        0,
        "a batch was half written"
    );
    assert!(
        partial.documents < (BATCH * BATCHES) as u64,
        "child finished before the kill; test proves nothing"
    );

    // Resume: the same input again completes the job.
    run_all(&store);
    let resumed: StoreCounts = store.counts().unwrap();
    let reference = Store::open_in_memory().unwrap();
    run_all(&reference);
    assert_eq!(resumed, reference.counts().unwrap());
    assert_eq!(resumed.documents, (BATCH * BATCHES) as u64);
    // And once more: nothing new.
    run_all(&store);
    assert_eq!(store.counts().unwrap(), resumed);
    // The band rows the killed child held in memory were filed from the database, and the
    // rest when the store closed: every document has its rows, as many as every other.
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let per_doc: Vec<(i64, i64)> = conn
        .prepare(
            "SELECT d.rowid_, (SELECT COUNT(*) FROM copy_bands b WHERE b.doc = d.rowid_)
             FROM documents d",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(per_doc.len(), BATCH * BATCHES);
    assert!(per_doc.iter().all(|(_, n)| *n > 0 && *n == per_doc[0].1));
}
