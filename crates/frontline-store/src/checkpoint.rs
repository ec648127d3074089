//! Checkpointing the write-ahead log from a background thread during a long write.
//!
//! In WAL mode SQLite copies committed pages back into the database file at a checkpoint and
//! syncs the file to disk. By default the connection that commits runs it, so a long ingest's
//! writer thread stopped for every checkpoint: on 10,000 generated articles it spent 1.4 s of
//! 11.5 s waiting in `fsync`. [`Store::checkpoint_in_background`] runs passive checkpoints from
//! a second connection on a thread of its own, every 100 ms; a passive checkpoint never blocks
//! the writer. The log only starts again from its beginning after a checkpoint the writer runs
//! itself (a writer committing batch after batch never finds it wholly copied back by another
//! connection, and the log would grow without end: 9 GB partway through 100,000 articles), so the writer
//! still checkpoints, every 256 MiB of log instead of 64, and finds little left to copy.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use crate::{Result, Store, StoreError};

/// How often the background thread checkpoints.
const EVERY: Duration = Duration::from_millis(100);
/// The writing connection's automatic checkpoint (pages of WAL, 256 MiB) while the background
/// thread runs: the log starts again from its beginning only after a checkpoint that the
/// writer runs itself (a writer committing batch after batch never finds the log wholly copied
/// back by another connection), so the writer still checkpoints, rarely, and finds little left
/// to copy.
const WRITER_CHECKPOINT_PAGES: u32 = 65536;
/// The writing connection's automatic checkpoint (pages of WAL) when no background thread runs.
pub(crate) const AUTO_CHECKPOINT_PAGES: u32 = 16384;

/// A background checkpointing thread (see [`Store::checkpoint_in_background`]). Dropping it
/// stops the thread after one last checkpoint.
#[derive(Debug)]
pub struct BackgroundCheckpoint {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Store {
    /// Starts checkpointing this store's WAL from a background thread, and makes the
    /// connection's own automatic checkpoints rare, until the returned guard is dropped (then
    /// they are not made frequent again: call [`Store::checkpoint_automatically`]). `None`
    /// for a store in memory.
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
            "PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES}"
        ))?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("frontline-checkpoint".into())
            .spawn(move || {
                loop {
                    let last = flag.load(Ordering::Acquire);
                    // (busy, frames in the log, frames copied back); a busy or failed
                    // checkpoint is retried on the next round.
                    if let Err(e) =
                        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0))
                    {
                        tracing::debug!(error = %e, "background checkpoint failed");
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

impl Drop for BackgroundCheckpoint {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            // It ends after at most one more pause and one last checkpoint.
            let _ = t.join();
        }
    }
}
