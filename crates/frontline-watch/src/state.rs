//! The watch state, in tables of its own (`watch_*`) in the store's SQLite file: feed
//! cursors and validators, every item seen (canonical URL, state, content hash, document),
//! and failures with their backoff. Versioned by `watch_meta.schema_version`, separately from
//! the store's `user_version`.
//!
//! Crash safety: a poll's new items are written as `pending` in the same transaction as the
//! feed's new validators, so an item is never lost; an item becomes `done` only after its
//! document is committed, and a `pending` item whose canonical URL is already a stored
//! document is marked `done` without being fetched again (a crash between the two commits).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use crate::WatchError;
use crate::http::Validators;

/// The current version of the watch tables.
pub const WATCH_SCHEMA_VERSION: i64 = 1;

/// Migrations of the watch tables; entry `i` brings version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[r"
    CREATE TABLE watch_feeds (
        url           TEXT PRIMARY KEY,
        etag          TEXT,
        last_modified TEXT,
        last_poll     INTEGER,
        last_success  INTEGER,
        next_poll     INTEGER NOT NULL DEFAULT 0,
        failures      INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        items         INTEGER NOT NULL DEFAULT 0,
        documents     INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE watch_items (
        url           TEXT PRIMARY KEY,
        feed_url      TEXT NOT NULL,
        title         TEXT,
        summary       TEXT,
        published     INTEGER,
        state         TEXT NOT NULL,
        attempts      INTEGER NOT NULL DEFAULT 0,
        next_try      INTEGER NOT NULL DEFAULT 0,
        error         TEXT,
        content_hash  TEXT,
        document_id   TEXT,
        first_seen    INTEGER NOT NULL,
        done_at       INTEGER
    );
    CREATE INDEX watch_items_todo ON watch_items(state, next_try);
    CREATE INDEX watch_items_feed ON watch_items(feed_url);
    CREATE TABLE watch_hashes (
        hash          TEXT PRIMARY KEY,
        url           TEXT NOT NULL,
        document_id   TEXT
    );
"];

/// An item as a feed listed it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewItem {
    /// Canonical URL (or, for a refused link, the link as given).
    pub url: String,
    /// Headline.
    pub title: Option<String>,
    /// Summary or inline content.
    pub summary: Option<String>,
    /// Publication time (Unix seconds).
    pub published: Option<i64>,
    /// Set when the link is not followed (state `skipped` with this error).
    pub refused: Option<String>,
}

/// A pending item to fetch.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Canonical URL.
    pub url: String,
    /// Feed it came from.
    pub feed_url: String,
    /// Headline from the feed.
    pub title: Option<String>,
    /// Summary from the feed.
    pub summary: Option<String>,
    /// Publication time from the feed (Unix seconds).
    pub published: Option<i64>,
    /// Attempts so far.
    pub attempts: i64,
}

/// A feed's health, for the feeds page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FeedHealth {
    /// Feed URL.
    pub url: String,
    /// Last poll (Unix seconds).
    pub last_poll: Option<i64>,
    /// Last successful poll (Unix seconds).
    pub last_success: Option<i64>,
    /// Next poll due (Unix seconds).
    pub next_poll: i64,
    /// Failures in a row.
    pub failures: i64,
    /// The last error, when the last poll failed.
    pub last_error: Option<String>,
    /// Items seen.
    pub items: i64,
    /// Documents stored from it.
    pub documents: i64,
    /// Items waiting to be fetched.
    pub pending: i64,
    /// Items that failed for good or were skipped.
    pub failed: i64,
}

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The watch state's connection.
pub struct State {
    conn: Connection,
}

fn db(e: rusqlite::Error) -> WatchError {
    WatchError::State(e.to_string())
}

impl State {
    /// Opens the watch tables in the database at `path` (the store must have created it),
    /// creating or migrating them.
    pub fn open(path: &Path) -> Result<Self, WatchError> {
        let conn = Connection::open(path)
            .map_err(|e| WatchError::State(format!("{}: {e}", path.display())))?;
        conn.busy_timeout(Duration::from_secs(30)).map_err(db)?;
        conn.execute_batch("PRAGMA synchronous = NORMAL;")
            .map_err(db)?;
        let mut s = Self { conn };
        s.migrate()?;
        Ok(s)
    }

    fn migrate(&mut self) -> Result<(), WatchError> {
        self.conn
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS watch_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            )
            .map_err(db)?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(db)?;
        let found: i64 = tx
            .query_row(
                "SELECT value FROM watch_meta WHERE key = 'schema_version'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(db)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if found > WATCH_SCHEMA_VERSION {
            return Err(WatchError::State(format!(
                "the watch tables are version {found}, newer than this program's {WATCH_SCHEMA_VERSION}"
            )));
        }
        for sql in MIGRATIONS.iter().skip(found as usize) {
            tx.execute_batch(sql).map_err(db)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO watch_meta (key, value) VALUES ('schema_version', ?1)",
            [WATCH_SCHEMA_VERSION.to_string()],
        )
        .map_err(db)?;
        tx.commit().map_err(db)
    }

    /// Adds feeds not yet known (due now); known ones keep their cursors.
    pub fn add_feeds<'a>(&self, urls: impl IntoIterator<Item = &'a str>) -> Result<(), WatchError> {
        for u in urls {
            self.conn
                .execute(
                    "INSERT OR IGNORE INTO watch_feeds (url, next_poll) VALUES (?1, 0)",
                    [u],
                )
                .map_err(db)?;
        }
        Ok(())
    }

    /// A feed's validators.
    pub fn validators(&self, feed: &str) -> Result<Validators, WatchError> {
        self.conn
            .query_row(
                "SELECT etag, last_modified FROM watch_feeds WHERE url = ?1",
                [feed],
                |r| {
                    Ok(Validators {
                        etag: r.get(0)?,
                        last_modified: r.get(1)?,
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(db)
    }

    /// When each feed is next due (Unix seconds).
    pub fn next_polls(&self) -> Result<Vec<(String, i64)>, WatchError> {
        let mut st = self
            .conn
            .prepare("SELECT url, next_poll FROM watch_feeds")
            .map_err(db)?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Records a successful poll: new validators (kept when `None`: a 304), the items listed
    /// (new ones become `pending`), and the next poll; in one transaction. Returns how many
    /// items were new.
    pub fn record_poll(
        &mut self,
        feed: &str,
        validators: Option<&Validators>,
        items: &[NewItem],
        next_poll: i64,
    ) -> Result<usize, WatchError> {
        let t = now();
        let tx = self.conn.transaction().map_err(db)?;
        let mut new = 0;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO watch_items
                     (url, feed_url, title, summary, published, state, error, first_seen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(db)?;
            for it in items {
                let state = if it.refused.is_some() {
                    "skipped"
                } else {
                    "pending"
                };
                new += ins
                    .execute(params![
                        it.url,
                        feed,
                        it.title,
                        it.summary,
                        it.published,
                        state,
                        it.refused,
                        t
                    ])
                    .map_err(db)?;
            }
        }
        if let Some(v) = validators {
            tx.execute(
                "UPDATE watch_feeds SET etag = ?2, last_modified = ?3 WHERE url = ?1",
                params![feed, v.etag, v.last_modified],
            )
            .map_err(db)?;
        }
        tx.execute(
            "UPDATE watch_feeds SET last_poll = ?2, last_success = ?2, next_poll = ?3, failures = 0,
             last_error = NULL, items = items + ?4 WHERE url = ?1",
            params![feed, t, next_poll, new as i64],
        )
        .map_err(db)?;
        tx.commit().map_err(db)?;
        Ok(new)
    }

    /// Records a failed poll and returns the failures in a row, the next poll being set by
    /// `next_poll(failures)`.
    pub fn record_poll_failure(
        &self,
        feed: &str,
        error: &str,
        next_poll: impl FnOnce(i64) -> i64,
    ) -> Result<i64, WatchError> {
        let failures: i64 = self
            .conn
            .query_row(
                "SELECT failures FROM watch_feeds WHERE url = ?1",
                [feed],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?
            .unwrap_or(0)
            + 1;
        self.conn
            .execute(
                "UPDATE watch_feeds SET last_poll = ?2, failures = ?3, last_error = ?4, next_poll = ?5
                 WHERE url = ?1",
                params![feed, now(), failures, error, next_poll(failures)],
            )
            .map_err(db)?;
        Ok(failures)
    }

    /// Up to `n` pending items due now, oldest first.
    pub fn pending(&self, n: usize) -> Result<Vec<Pending>, WatchError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT url, feed_url, title, summary, published, attempts FROM watch_items
                 WHERE state = 'pending' AND next_try <= ?1 ORDER BY first_seen, rowid LIMIT ?2",
            )
            .map_err(db)?;
        let rows = st
            .query_map(params![now(), n as i64], |r| {
                Ok(Pending {
                    url: r.get(0)?,
                    feed_url: r.get(1)?,
                    title: r.get(2)?,
                    summary: r.get(3)?,
                    published: r.get(4)?,
                    attempts: r.get(5)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Pending items in all (due or not).
    pub fn pending_count(&self) -> Result<i64, WatchError> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM watch_items WHERE state = 'pending'",
                [],
                |r| r.get(0),
            )
            .map_err(db)
    }

    /// The earliest `next_try` of pending items, when any.
    pub fn next_retry(&self) -> Result<Option<i64>, WatchError> {
        self.conn
            .query_row(
                "SELECT MIN(next_try) FROM watch_items WHERE state = 'pending'",
                [],
                |r| r.get(0),
            )
            .map_err(db)
    }

    /// The id of a stored document with this URL (a crash after storing it, before marking
    /// its item done).
    pub fn stored_document_with_url(&self, url: &str) -> Result<Option<String>, WatchError> {
        self.conn
            .query_row(
                "SELECT id FROM documents WHERE url = ?1 LIMIT 1",
                [url],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)
    }

    /// The item already stored with this content hash, when any.
    pub fn url_with_hash(&self, hash: &str) -> Result<Option<String>, WatchError> {
        self.conn
            .query_row(
                "SELECT url FROM watch_hashes WHERE hash = ?1",
                [hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)
    }

    /// Marks items finished in one transaction: `(url, state, hash, document id, error)`.
    /// A `done` item with a document counts towards its feed's documents, and its hash is
    /// remembered.
    pub fn finish(&mut self, done: &[Finished]) -> Result<(), WatchError> {
        let t = now();
        let tx = self.conn.transaction().map_err(db)?;
        for f in done {
            tx.execute(
                "UPDATE watch_items SET state = ?2, content_hash = ?3, document_id = ?4, error = ?5,
                 done_at = ?6 WHERE url = ?1",
                params![f.url, f.state, f.hash, f.document_id, f.error, t],
            )
            .map_err(db)?;
            if f.state == "done" {
                if let Some(h) = &f.hash {
                    tx.execute(
                        "INSERT OR IGNORE INTO watch_hashes (hash, url, document_id) VALUES (?1, ?2, ?3)",
                        params![h, f.url, f.document_id],
                    )
                    .map_err(db)?;
                }
                if f.new_document {
                    tx.execute(
                        "UPDATE watch_feeds SET documents = documents + 1
                         WHERE url = (SELECT feed_url FROM watch_items WHERE url = ?1)",
                        [&f.url],
                    )
                    .map_err(db)?;
                }
            }
        }
        tx.commit().map_err(db)
    }

    /// Puts an item back for a later try after a transient failure, or fails it for good
    /// after `max_attempts`.
    pub fn retry_later(
        &self,
        url: &str,
        error: &str,
        next_try: i64,
        max_attempts: i64,
    ) -> Result<(), WatchError> {
        self.conn
            .execute(
                "UPDATE watch_items SET attempts = attempts + 1, error = ?2, next_try = ?3,
                 state = CASE WHEN attempts + 1 >= ?4 THEN 'failed' ELSE 'pending' END
                 WHERE url = ?1",
                params![url, error, next_try, max_attempts],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Every feed's health, in URL order.
    pub fn health(&self) -> Result<Vec<FeedHealth>, WatchError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT f.url, f.last_poll, f.last_success, f.next_poll, f.failures, f.last_error,
                        f.items, f.documents,
                        (SELECT COUNT(*) FROM watch_items i WHERE i.feed_url = f.url AND i.state = 'pending'),
                        (SELECT COUNT(*) FROM watch_items i WHERE i.feed_url = f.url
                           AND i.state IN ('failed', 'skipped'))
                 FROM watch_feeds f ORDER BY f.url",
            )
            .map_err(db)?;
        let rows = st
            .query_map([], |r| {
                Ok(FeedHealth {
                    url: r.get(0)?,
                    last_poll: r.get(1)?,
                    last_success: r.get(2)?,
                    next_poll: r.get(3)?,
                    failures: r.get(4)?,
                    last_error: r.get(5)?,
                    items: r.get(6)?,
                    documents: r.get(7)?,
                    pending: r.get(8)?,
                    failed: r.get(9)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// Counts of items by state.
    pub fn item_states(&self) -> Result<Vec<(String, i64)>, WatchError> {
        let mut st = self
            .conn
            .prepare("SELECT state, COUNT(*) FROM watch_items GROUP BY state ORDER BY state")
            .map_err(db)?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }
}

/// An item's end, for [`State::finish`].
#[derive(Debug, Clone, PartialEq)]
pub struct Finished {
    /// Canonical URL.
    pub url: String,
    /// `done`, `duplicate`, `skipped` or `failed`.
    pub state: &'static str,
    /// Content hash of its text, when read.
    pub hash: Option<String>,
    /// The stored document (new or already known), when any.
    pub document_id: Option<String>,
    /// Whether this item's document was new to the store.
    pub new_document: bool,
    /// Why it was skipped or failed.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open() -> (tempfile::TempDir, State) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let store = frontline_store::Store::open(&path).unwrap();
        drop(store);
        let s = State::open(&path).unwrap();
        (dir, s)
    }

    fn item(url: &str) -> NewItem {
        NewItem {
            url: url.into(),
            title: None,
            summary: None,
            published: None,
            refused: None,
        }
    }

    #[test]
    fn polls_add_pending_items_once_and_keep_validators() {
        let (dir, mut s) = open();
        s.add_feeds(["https://f/"]).unwrap();
        let v = Validators {
            etag: Some("\"1\"".into()),
            last_modified: None,
        };
        assert_eq!(
            s.record_poll(
                "https://f/",
                Some(&v),
                &[item("https://a/1"), item("https://a/2")],
                10
            )
            .unwrap(),
            2
        );
        assert_eq!(
            s.record_poll("https://f/", None, &[item("https://a/2")], 20)
                .unwrap(),
            0
        );
        assert_eq!(s.validators("https://f/").unwrap(), v);
        assert_eq!(s.pending(10).unwrap().len(), 2);
        s.finish(&[Finished {
            url: "https://a/1".into(),
            state: "done",
            hash: Some("h".into()),
            document_id: Some("d".into()),
            new_document: true,
            error: None,
        }])
        .unwrap();
        assert_eq!(
            s.url_with_hash("h").unwrap().as_deref(),
            Some("https://a/1")
        );
        let h = s.health().unwrap();
        assert_eq!((h[0].items, h[0].documents, h[0].pending), (2, 1, 1));
        // Reopening keeps everything and does not migrate twice.
        drop(s);
        let s = State::open(&dir.path().join("w.db")).unwrap();
        assert_eq!(s.pending(10).unwrap().len(), 1);
    }

    #[test]
    fn failures_back_off_and_give_up() {
        let (_dir, mut s) = open();
        s.add_feeds(["https://f/"]).unwrap();
        assert_eq!(
            s.record_poll_failure("https://f/", "HTTP 500", |n| n * 100)
                .unwrap(),
            1
        );
        assert_eq!(
            s.record_poll_failure("https://f/", "HTTP 500", |n| n * 100)
                .unwrap(),
            2
        );
        assert_eq!(s.next_polls().unwrap()[0].1, 200);
        s.record_poll("https://f/", None, &[item("https://a/1")], 0)
            .unwrap();
        s.retry_later("https://a/1", "timeout", 0, 2).unwrap();
        assert_eq!(s.pending(10).unwrap().len(), 1);
        s.retry_later("https://a/1", "timeout", 0, 2).unwrap();
        assert!(s.pending(10).unwrap().is_empty());
        assert_eq!(s.item_states().unwrap(), vec![("failed".to_string(), 1)]);
    }
}
