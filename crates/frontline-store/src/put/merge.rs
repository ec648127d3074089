//! Merging stored fused events that a later report links (FU70, `fusion::records_linkable`).
//!
//! Without it the records depend on the order documents arrive in: two reports a few days
//! apart start two records, and a third report between them can join only one. With it, the
//! report that matches both makes them one record, as it would have been had it come first.

use rusqlite::{Transaction, params};

use super::{KeyCols, WriteCache, file, fused_values, load_fused};
use crate::Result;
use crate::columns::FusedRow;

/// Moves every report, document, story and actor of the fused event `gone` to `keep`, merges
/// their aggregates (`FusedState::absorb`) and deletes `gone` (its box in `fused_where` goes
/// with its row, by trigger). `current` is the document being stored. Both rows are written
/// as the writer writes any fused event: `keep`'s by `flush_fused` before the commit.
pub(super) fn merge_records(
    tx: &Transaction<'_>,
    keep: i64,
    gone: i64,
    current: &str,
    cache: &mut WriteCache,
) -> Result<()> {
    load_fused(tx, keep, "", cache)?;
    load_fused(tx, gone, "", cache)?;
    for sql in [
        "UPDATE events SET fused_id = ?1 WHERE fused_id = ?2",
        "INSERT OR IGNORE INTO event_documents (fused_id, doc) \
         SELECT ?1, doc FROM event_documents WHERE fused_id = ?2",
        "DELETE FROM event_documents WHERE fused_id = ?2 AND ?1 IS NOT NULL",
        "INSERT OR IGNORE INTO fused_stories (story_id, fused_id) \
         SELECT story_id, ?1 FROM fused_stories WHERE fused_id = ?2",
        "DELETE FROM fused_stories WHERE fused_id = ?2 AND ?1 IS NOT NULL",
        "INSERT OR IGNORE INTO fused_actors (fused_id, role, code, name, country) \
         SELECT ?1, role, code, name, country FROM fused_actors WHERE fused_id = ?2",
        "DELETE FROM fused_actors WHERE fused_id = ?2 AND ?1 IS NOT NULL",
        "DELETE FROM fused_buckets WHERE fused_id = ?2 AND ?1 IS NOT NULL",
        "DELETE FROM fused_events WHERE id = ?2 AND ?1 IS NOT NULL",
    ] {
        tx.prepare_cached(sql)?.execute(params![keep, gone])?;
    }
    let documents: i64 = tx
        .prepare_cached("SELECT count(*) FROM event_documents WHERE fused_id = ?1")?
        .query_row([keep], |r| r.get(0))?;
    let absorbed = cache.fused.remove(&gone);
    cache.dirty.remove(&gone);
    cache.index.forget(gone);
    let WriteCache {
        fused,
        index,
        dirty,
        ..
    } = cache;
    let (Some(cached), Some(absorbed)) = (fused.get_mut(&keep), absorbed) else {
        return Ok(());
    };
    cached
        .state
        .absorb(&absorbed.state, documents as usize, Some(current));
    let Some(f) = cached.state.finish_summary(keep) else {
        return Ok(());
    };
    let (values, after) = fused_values(&cached.state, &f, false)?;
    if after != cached.filing {
        file(tx, keep, &after, index)?;
        cached.filing = after;
    }
    index.set(keep, KeyCols::from_values(FusedRow(&values)));
    cached.pending = Some(values);
    dirty.insert(keep);
    tracing::debug!(
        rule = crate::fusion::LINK_MERGE_RULE,
        keep,
        gone,
        "merged two fused events a report links"
    );
    Ok(())
}
