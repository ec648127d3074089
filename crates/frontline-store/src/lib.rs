//! Frontline's embedded store: every report, its mentions and events, the stories that group
//! copies of one report, and the fused events that merge reports of one real-world event.
//!
//! All SQL of the project lives here. The store is one SQLite file in WAL mode (readers never
//! block the writer), opened with foreign keys on and a busy timeout. The schema is versioned
//! with `PRAGMA user_version` and migrated forward on open.
//!
//! Writing is idempotent: a document's id is the hash of its cleaned text, so putting the same
//! text twice adds nothing ([`PutOutcome::Known`]). Each batch ([`Store::put_extractions`]) is
//! one transaction, so a run killed at any moment leaves whole documents or nothing, and a
//! re-run picks up where it stopped.
//!
//! On insert, each document is compared with earlier ones by MinHash over word shingles
//! ([`copies`]): syndicated and reworded copies join one story, and the document records its
//! nearest copy and their estimated similarity. Each event is then matched against fused events
//! ([`fusion`]) of a compatible type, close in place and date; a match updates that fused event
//! (reports, independent sources, best precision, contradictions), otherwise a new one starts.
//!
//! Reading: [`Store::events`], [`Store::event`], [`Store::document`], [`Store::stats`], all
//! returning serde-serialisable structs.

pub mod acled;
mod bulk;
mod candidates;
mod checkpoint;
pub mod codec;
mod columns;
pub use checkpoint::BackgroundCheckpoint;
pub mod copies;
pub mod credits;
pub mod focus;
pub mod fusion;
mod put;
mod query;
mod record;
mod rtree;
mod schema;
pub mod sources;
mod stamp;
pub mod testutil;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::Connection;

pub use query::{
    BBox, Count, DateCount, DocumentEvent, DocumentRecord, EventFilter, FusedActor, FusedEvent,
    FusedEventDetail, FusedLocation, MAX_CLAIM_REPORTS, Quote, Report, Stats, StoreCounts,
    TextSpan,
};

pub use fusion::MAX_AGGREGATE_ENTRIES;
pub use put::{MAX_EVENTS_PER_DOCUMENT, Prepared};
pub use record::{Claim, Contradiction, ContradictionKind};
pub use sources::{IndependentSource, MAX_SOURCE_DOCUMENTS, TollReport};
pub use stamp::parse_updated_since;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored JSON column could not be read or written.
    #[error("stored JSON is invalid: {0}")]
    Json(#[from] serde_json::Error),
    /// The database file could not be opened or created.
    #[error("cannot open database {path}: {message}")]
    Open {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The database was written by a newer Frontline.
    #[error(
        "database schema version {found} is newer than this frontline understands ({supported}); upgrade frontline"
    )]
    TooNew {
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A filter or argument given by the user is invalid.
    #[error("invalid query: {0}")]
    BadQuery(String),
    /// Another thread panicked while holding the connection.
    #[error("database connection is poisoned by an earlier failure")]
    Poisoned,
}

/// Result type of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What happened to a document put into the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PutOutcome {
    /// The document was new and is now stored.
    New {
        /// Content id of the document.
        document_id: String,
        /// Story it joined or started.
        story_id: i64,
        /// Whether it joined an existing story (it is a copy of an earlier document).
        copy: bool,
        /// Events stored.
        events: usize,
        /// Fused events this document started.
        fused_created: usize,
        /// Existing fused events it added a report to.
        fused_updated: usize,
    },
    /// The same text was already stored; nothing was written.
    Known {
        /// Content id of the document.
        document_id: String,
    },
}

impl PutOutcome {
    /// Whether the document was new.
    pub fn is_new(&self) -> bool {
        matches!(self, Self::New { .. })
    }
}

/// What stored documents became, counted (the summaries of `frontline ingest` and of the
/// Python `Store.ingest`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PutCounts {
    /// Documents new to the store.
    pub new: u64,
    /// Of the new ones, copies of an earlier story.
    pub copies: u64,
    /// Documents already stored (skipped).
    pub known: u64,
    /// Events stored.
    pub events: u64,
    /// Fused events started.
    pub fused_created: u64,
    /// Fused events that took a further report.
    pub fused_updated: u64,
}

impl PutCounts {
    /// Counts one document's outcome.
    pub fn add(&mut self, outcome: &PutOutcome) {
        match outcome {
            PutOutcome::New {
                copy,
                events,
                fused_created,
                fused_updated,
                ..
            } => {
                self.new += 1;
                self.copies += u64::from(*copy);
                self.events += *events as u64;
                self.fused_created += *fused_created as u64;
                self.fused_updated += *fused_updated as u64;
            }
            PutOutcome::Known { .. } => self.known += 1,
        }
    }
}

/// The Frontline database.
///
/// `Store` is `Send + Sync`: it owns one SQLite connection behind a mutex. Open several stores
/// on one file for parallel readers (WAL lets them read while a writer writes).
pub struct Store {
    conn: Mutex<Connection>,
    /// What the writer has read or written so far and reads again (see `put::WriteCache`).
    cache: Mutex<put::WriteCache>,
    path: Option<PathBuf>,
    /// Set by a background checkpoint: the writer is to restart the log (see checkpoint.rs).
    restart_log: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Err(e) = self.flush() {
            tracing::warn!(error = %e, "could not file the latest copy-detection rows; the next write files them");
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// The default database path: `<platform data dir>/frontline.db` (on Linux
/// `~/.local/share/frontline/frontline.db`), or `None` when no home directory is known.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "frontline", "frontline")
        .map(|d| d.data_dir().join("frontline.db"))
}

/// Prepared statements kept per connection (see [`Store::open`]).
const STATEMENT_CACHE: usize = 256;

impl Store {
    /// Opens (creating if needed) the database at `path`, creating its parent directory, and
    /// migrates it to the current schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                message: format!("cannot create directory {}: {e}", parent.display()),
            })?;
        }
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Self::setup(conn, Some(path.to_path_buf()))
    }

    /// Opens an existing database without creating or migrating it; fails when the file does
    /// not exist. Used by readers (export, server) so a typo in `--db` is an error, not a new
    /// empty database.
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if !path.is_file() {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                message: "no such database file (run `frontline ingest` first, or check --db)"
                    .into(),
            });
        }
        Self::open(path)
    }

    /// Opens a fresh database in memory (for tests and one-off runs).
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        Self::setup(conn, None)
    }

    fn setup(conn: Connection, path: Option<PathBuf>) -> Result<Self> {
        conn.busy_timeout(Duration::from_secs(30))?;
        // Storing one document runs a few dozen distinct statements through `prepare_cached`;
        // with rusqlite's default of 16 the cache thrashed and every statement was compiled
        // again for every document (8% of the CPU profile of `frontline ingest`).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        if path.is_some() {
            // journal_mode returns a row; query it rather than execute.
            let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        }
        // A checkpoint every 64 MiB of WAL rather than SQLite's 4 MiB: one ingest batch writes
        // several MiB, so the default checkpointed after every commit, copying pages that the
        // next batch changes again (index interiors, busy fused events).
        // Foreign keys are declared but not enforced on every write: the only writer is
        // put.rs, which links rows only to ids it has just read or created in the same
        // transaction, and enforcing them cost 2% of a whole ingest's instructions (a parent
        // lookup per linked row; docs/performance.md). `Store::integrity_check` runs
        // `PRAGMA foreign_key_check`, and the tests run it after every kind of write.
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             PRAGMA synchronous = NORMAL;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;
             PRAGMA journal_size_limit = 67108864;
             PRAGMA wal_autocheckpoint = {};",
            checkpoint::AUTO_CHECKPOINT_PAGES
        ))?;
        let mut conn = conn;
        schema::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            cache: Mutex::new(put::WriteCache::default()),
            restart_log: Default::default(),
            path,
        })
    }

    /// The file this store lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub(crate) fn conn(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        let conn = self.conn()?;
        Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Sets the size of this connection's page cache, in MiB (the default is 64). A writer
    /// adding to a large database reads fewer index pages back from the file with a larger
    /// one; the memory is taken only as pages are read.
    pub fn set_cache_mib(&self, mib: u32) -> Result<()> {
        let conn = self.conn()?;
        conn.execute_batch(&format!(
            "PRAGMA cache_size = -{}",
            u64::from(mib.max(1)) * 1024
        ))?;
        Ok(())
    }

    /// This connection's page cache size in MiB.
    pub fn cache_mib(&self) -> Result<u64> {
        let conn = self.conn()?;
        let size: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        // Negative: KiB; positive: pages.
        Ok(if size < 0 {
            size.unsigned_abs() / 1024
        } else {
            let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            (size * page).unsigned_abs() >> 20
        })
    }

    /// Runs `PRAGMA integrity_check` and `PRAGMA foreign_key_check` and returns their
    /// messages (`["ok"]` when sound; a row whose declared parent is missing is reported as
    /// `foreign key: <table> row <rowid> has no parent in <parent>`).
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = rows.collect::<Result<Vec<_>, _>>()?;
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "foreign key: {} row {} has no parent in {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?
                    .map_or_else(|| "(without rowid)".to_string(), |v| v.to_string()),
                r.get::<_, String>(2)?
            ))
        })?;
        let missing = rows.collect::<Result<Vec<_>, _>>()?;
        if !missing.is_empty() {
            out.retain(|m| m != "ok");
            out.extend(missing);
        }
        Ok(out)
    }

    /// Whether a document with this content id is stored.
    pub fn contains_document(&self, id: &str) -> Result<bool> {
        let conn = self.conn()?;
        let n: i64 = conn.query_row("SELECT COUNT(*) FROM documents WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod order_tests;
#[cfg(test)]
mod tests;
