//! Checkpointing the write-ahead log from a background thread during a long write.
//!
//! In WAL mode SQLite copies committed pages back into the database file at a checkpoint and
//! syncs the file to disk. By default the connection that commits runs it, so a long ingest's
//! writer thread stopped for every checkpoint: on 10,000 generated articles it spent 1.2 s in
//! 30 `fsync` calls. [`Store::checkpoint_in_background`] runs passive checkpoints from a second
//! connection on a thread of its own, every 100 ms; a passive checkpoint never blocks the
//! writer.
//!
//! The log only starts again from its beginning when a writer begins a transaction after all of
//! it was copied back, which a writer committing batch after batch never finds when another
//! connection does the copying (the log reached 9 GB partway through 100,000 articles). So
//! once the log holds [`RESTART_FRAMES`] pages, the background thread stops and raises a flag;
//! the writer, before its next batch, checkpoints itself (little is left to copy) and so begins
//! the batch at the start of the log; then the background thread goes on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::{Result, Store, StoreError};

/// How often the background thread checkpoints.
const EVERY: Duration = Duration::from_millis(100);
/// Pages of log (256 MiB) after which the writer restarts it.
pub(crate) const RESTART_FRAMES: i64 = 65536;
/// The writing connection's automatic checkpoint (pages of WAL) while the background thread
/// runs: only a safety net, should the thread stop.
const SAFETY_CHECKPOINT_PAGES: u32 = 262_144;
/// The writing connection's automatic checkpoint (pages of WAL) when no background thread runs.
pub(crate) const AUTO_CHECKPOINT_PAGES: u32 = 16384;

/// A background checkpointing thread (see [`Store::checkpoint_in_background`]). Dropping it
/// stops the thread after one last checkpoint.
#[derive(Debug)]
pub struct BackgroundCheckpoint {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// (busy, pages in the log, pages copied back) of a passive checkpoint.
fn passive(conn: &Connection) -> rusqlite::Result<(i64, i64, i64)> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
}

impl Store {
    /// Starts checkpointing this store's WAL from a background thread until the returned
    /// guard is dropped; meanwhile the connection checkpoints only to restart the log (see the
    /// module's documentation). Then call [`Store::checkpoint_automatically`]. `None` for a
    /// store in memory.
    pub fn checkpoint_in_background(&self) -> Result<Option<BackgroundCheckpoint>> {
        let Some(path) = self.path.clone() else {
            return Ok(None);
        };
        let conn = Connection::open(&path).map_err(|e| StoreError::Open {
            path: path.clone(),
            message: e.to_string(),
        })?;
        conn.busy_timeout(Duration::from_secs(1))?;
        self.conn()?.execute_batch(&format!(
            "PRAGMA wal_autocheckpoint = {SAFETY_CHECKPOINT_PAGES}"
        ))?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let restart = Arc::clone(&self.restart_log);
        let thread = std::thread::Builder::new()
            .name("frontline-checkpoint".into())
            .spawn(move || {
                loop {
                    let last = flag.load(Ordering::Acquire);
                    // While the writer is to restart the log, its checkpoint must not find
                    // this one running.
                    if last || !restart.load(Ordering::Acquire) {
                        match passive(&conn) {
                            Ok((_, log, _)) if log >= RESTART_FRAMES => {
                                restart.store(true, Ordering::Release);
                            }
                            Ok(_) => {}
                            // A busy or failed checkpoint is retried on the next round.
                            Err(e) => tracing::debug!(error = %e, "background checkpoint failed"),
                        }
                    }
                    if last {
                        break;
                    }
                    std::thread::sleep(EVERY);
                }
            })
            .map_err(|e| StoreError::Open {
                path,
                message: format!("cannot start the checkpoint thread: {e}"),
            })?;
        Ok(Some(BackgroundCheckpoint {
            stop,
            thread: Some(thread),
        }))
    }

    /// Gives the connection its usual automatic checkpoints back (after
    /// [`Store::checkpoint_in_background`]).
    pub fn checkpoint_automatically(&self) -> Result<()> {
        self.conn()?.execute_batch(&format!(
            "PRAGMA wal_autocheckpoint = {AUTO_CHECKPOINT_PAGES}"
        ))?;
        Ok(())
    }
}

/// Before a write on `conn`: when the background thread asked for it, checkpoints so that the
/// write begins the log again (see the module's documentation).
pub(crate) fn restart_if_asked(conn: &Connection, asked: &AtomicBool) -> Result<()> {
    if asked.load(Ordering::Acquire) {
        let (busy, log, copied) = passive(conn)?;
        if busy == 0 && log == copied {
            asked.store(false, Ordering::Release);
        }
    }
    Ok(())
}

impl Drop for BackgroundCheckpoint {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            // It ends after at most one more pause and one last checkpoint.
            let _ = t.join();
        }
    }
}
