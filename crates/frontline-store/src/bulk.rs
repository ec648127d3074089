//! Writing already-fused events in bulk, without the reports behind them.
//!
//! The normal path ([`Store::put_extractions`]) stores documents, matches each event against
//! earlier ones and recomputes fused events: right for real reports, far too slow to build a
//! database of a million events for a load benchmark. [`Store::insert_fused_events`] writes
//! finished [`FusedEvent`] records straight into `fused_events` and `fused_actors`, in one
//! transaction with prepared statements. Such events have no reports: `GET /api/events/{id}`
//! shows them with an empty report list.

use rusqlite::params;

use rusqlite::types::Value;

use crate::columns::fused_summary;
use crate::record::FusedEvent;
use crate::{Result, Store};

impl Store {
    /// Inserts finished fused events (with their actors) in one transaction and returns the
    /// ids given to them, in order. The `id` field of each event is ignored: new ids follow the
    /// largest one stored, and the stored JSON record carries the new id.
    ///
    /// Meant for synthetic benchmark databases and for importing events fused elsewhere; the
    /// events are not matched against stored ones.
    pub fn insert_fused_events(&self, events: &[FusedEvent]) -> Result<Vec<i64>> {
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut ids = Vec::with_capacity(events.len());
        {
            let stamp = Value::Text(crate::stamp::batch_stamp(&tx)?);
            let mut next: i64 =
                tx.query_row("SELECT COALESCE(MAX(id), 0) FROM fused_events", [], |r| {
                    r.get(0)
                })?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO fused_events (id, plover_type, acled_type, acled_sub_type, \
                 cameo_root, date_start, date_end, time_precision, match_start, match_end, \
                 location_name, geonameid, lat, lon, geo_precision, country_code, admin1, \
                 fatalities, n_reports, n_documents, n_sources, n_outlets, earliest_report, \
                 earliest_document, modality, confidence, n_contradictions, record, \
                 created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
                 ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?29)",
            )?;
            let mut actor = tx.prepare_cached(
                "INSERT OR IGNORE INTO fused_actors (fused_id, role, code, name, country) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for ev in events {
                next += 1;
                let mut f = ev.clone();
                f.id = next;
                insert.execute(rusqlite::params_from_iter(
                    std::iter::once(Value::Integer(f.id))
                        .chain(fused_summary(&f)?)
                        .chain([Value::Text(serde_json::to_string(&f)?), stamp.clone()]),
                ))?;
                let loc = f.location.as_ref();
                crate::rtree::sync(
                    &tx,
                    f.id,
                    None,
                    crate::rtree::where_box(
                        loc.and_then(|l| l.lat),
                        loc.and_then(|l| l.lon),
                        crate::columns::date_str(f.date_start).as_deref(),
                        crate::columns::date_str(f.date_end).as_deref(),
                    ),
                )?;
                for (role, actors) in [("source", &f.sources), ("target", &f.targets)] {
                    for a in actors {
                        actor.execute(params![f.id, role, a.code, a.name, a.country])?;
                    }
                }
                ids.push(f.id);
            }
        }
        tx.commit()?;
        Ok(ids)
    }
}
