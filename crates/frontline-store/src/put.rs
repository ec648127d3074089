//! Writing extractions: documents, copies, mentions, events and fusion.

use std::collections::{BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
use frontline_model::{Boilerplate, Event, Extraction, GeoPrecision, MentionData, Sentence, Span};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::copies::{self, STORY_THRESHOLD, Signature};
use crate::fusion::{self, DATE_WINDOW_DAYS, MatchKey, Member};
use crate::query::{FusedEvent, date_str, opt_enum_str};
use crate::{PutOutcome, Result, Store};

/// Parts of an extraction stored as one JSON column of the document.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Extras {
    #[serde(default)]
    pub boilerplate: Vec<Boilerplate>,
    #[serde(default)]
    pub sentences: Vec<Sentence>,
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// Most copy candidates examined per document (the ones sharing most bands).
const MAX_COPY_CANDIDATES: usize = 200;

/// The text copies are detected on: the document text without its boilerplate.
fn analysed_text(ex: &Extraction) -> String {
    let text = &ex.document.text;
    let mut blocks: Vec<Span> = ex.boilerplate.iter().map(|b| b.span).collect();
    blocks.sort();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for b in blocks {
        if b.start > at
            && let Some(s) = text.get(at..b.start)
        {
            out.push_str(s);
            out.push(' ');
        }
        at = at.max(b.end);
    }
    if let Some(s) = text.get(at..) {
        out.push_str(s);
    }
    out
}

fn mention_key(data: &MentionData) -> Option<String> {
    match data {
        MentionData::Actor(a) => Some(a.code.clone()),
        MentionData::Place(p) => Some(
            p.geonameid
                .map_or_else(|| p.name.to_lowercase(), |g| g.to_string()),
        ),
        MentionData::Time(t) => Some(t.start.format("%Y-%m-%d").to_string()),
        MentionData::Quantity(q) => opt_enum_str(Some(&q.quantity_kind)).ok().flatten(),
        MentionData::Speaker(s) => s
            .actor
            .as_ref()
            .map(|a| a.code.clone())
            .or_else(|| s.source.clone()),
    }
}

/// Whether an event describes something that happened (and so takes part in fusion).
fn fusable(ev: &Event) -> bool {
    ev.modality.counts() || ev.modality == frontline_model::Modality::Denied
}

impl Store {
    /// Stores one extraction (see [`Store::put_extractions`]).
    pub fn put_extraction(&self, ex: &Extraction) -> Result<PutOutcome> {
        let mut out = self.put_extractions(std::slice::from_ref(ex))?;
        Ok(out.pop().unwrap_or(PutOutcome::Known {
            document_id: ex.document.id.clone(),
        }))
    }

    /// Stores a batch of extractions in one transaction: all of them or, on error, none.
    ///
    /// A document whose content id is already stored is skipped ([`PutOutcome::Known`]).
    /// Each new document joins the story of its nearest earlier copy (or starts one), and each
    /// of its events that happened (asserted, hedged or denied) is fused with a matching fused
    /// event or starts one.
    pub fn put_extractions(&self, batch: &[Extraction]) -> Result<Vec<PutOutcome>> {
        // Signatures are computed before taking the write lock.
        let sigs: Vec<Signature> = batch
            .iter()
            .map(|ex| copies::signature(&analysed_text(ex)))
            .collect();
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(batch.len());
        for (ex, sig) in batch.iter().zip(&sigs) {
            out.push(put_one(&tx, ex, sig)?);
        }
        tx.commit()?;
        Ok(out)
    }
}

fn put_one(tx: &Transaction<'_>, ex: &Extraction, sig: &Signature) -> Result<PutOutcome> {
    let doc = &ex.document;
    let known: Option<i64> = tx
        .prepare_cached("SELECT rowid_ FROM documents WHERE id = ?1")?
        .query_row([&doc.id], |r| r.get(0))
        .optional()?;
    if known.is_some() {
        return Ok(PutOutcome::Known {
            document_id: doc.id.clone(),
        });
    }

    // Copies: candidates share an LSH band; the most similar one above the threshold wins.
    let keys = sig.band_keys();
    let mut hits: HashMap<i64, usize> = HashMap::new();
    {
        let mut stmt = tx.prepare_cached("SELECT doc FROM copy_bands WHERE key = ?1")?;
        for k in &keys {
            let rows = stmt.query_map([k], |r| r.get::<_, i64>(0))?;
            for r in rows {
                *hits.entry(r?).or_insert(0) += 1;
            }
        }
    }
    let mut cands: Vec<(i64, usize)> = hits.into_iter().collect();
    cands.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    cands.truncate(MAX_COPY_CANDIDATES);
    let mut best: Option<(f64, String, i64)> = None;
    {
        let mut stmt =
            tx.prepare_cached("SELECT id, story_id, minhash FROM documents WHERE rowid_ = ?1")?;
        for (rowid, _) in cands {
            let (id, story, blob): (String, i64, Vec<u8>) =
                stmt.query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            let s = sig.similarity(&Signature::from_bytes(&blob));
            if best.as_ref().is_none_or(|b| s > b.0) {
                best = Some((s, id, story));
            }
        }
    }
    let (story_id, copy) = match &best {
        Some((s, _, story)) if *s >= STORY_THRESHOLD => {
            tx.prepare_cached("UPDATE stories SET n_documents = n_documents + 1 WHERE id = ?1")?
                .execute([story])?;
            (*story, true)
        }
        _ => {
            tx.prepare_cached("INSERT INTO stories (first_document, n_documents) VALUES (?1, 1)")?
                .execute([&doc.id])?;
            (tx.last_insert_rowid(), false)
        }
    };
    let (nearest, similarity) = match &best {
        Some((s, id, _)) => (Some(id.clone()), Some(*s)),
        None => (None, None),
    };

    let extras = serde_json::to_string(&Extras {
        boilerplate: ex.boilerplate.clone(),
        sentences: ex.sentences.clone(),
        warnings: ex.warnings.clone(),
    })?;
    let origin = doc.origin.as_ref();
    tx.prepare_cached(
        "INSERT INTO documents (id, url, outlet, title, author, published_at, language, \
         origin_format, origin_path, origin_offset, origin_index, text, schema_version, extras, \
         story_id, nearest_copy, similarity, minhash, ingested_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
    )?
    .execute(params![
        doc.id,
        doc.url,
        doc.outlet,
        doc.title,
        doc.author,
        date_str(doc.published_at),
        doc.language,
        origin.map(|o| o.format.clone()),
        origin.and_then(|o| o.path.clone()),
        origin.and_then(|o| o.record_offset.map(|v| v as i64)),
        origin.and_then(|o| o.record_index.map(|v| v as i64)),
        doc.text,
        ex.schema_version,
        extras,
        story_id,
        nearest,
        similarity,
        sig.to_bytes(),
        chrono::Utc::now().to_rfc3339(),
    ])?;
    let rowid = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, doc.title.as_deref().unwrap_or(""), doc.text])?;
    {
        let mut stmt =
            tx.prepare_cached("INSERT OR IGNORE INTO copy_bands (key, doc) VALUES (?1, ?2)")?;
        for k in &keys {
            stmt.execute(params![k, rowid])?;
        }
    }

    {
        let mut stmt = tx.prepare_cached(
            "INSERT OR REPLACE INTO mentions (doc, idx, kind, start_, end_, sentence, key, data) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for m in &ex.mentions {
            stmt.execute(params![
                rowid,
                m.id as i64,
                opt_enum_str(Some(&m.kind()))?,
                m.span.start as i64,
                m.span.end as i64,
                m.sentence as i64,
                mention_key(&m.data),
                serde_json::to_string(&m.data)?,
            ])?;
        }
    }

    let mut created = 0;
    let mut updated: BTreeSet<i64> = BTreeSet::new();
    for (idx, ev) in ex.events.iter().enumerate() {
        let sentence_text = ex
            .sentences
            .get(ev.sentence)
            .and_then(|s| s.span.slice(&doc.text))
            .unwrap_or_default()
            .to_string();
        let loc = ev.location.as_ref().map(|l| &l.place);
        tx.prepare_cached(
            "INSERT OR REPLACE INTO events (id, doc, idx, plover_type, acled_type, acled_sub_type, \
             date_start, date_end, time_precision, lat, lon, geo_precision, country_code, modality, \
             sentence_text, data) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?
        .execute(params![
            ev.id,
            rowid,
            idx as i64,
            ev.plover_type.as_str(),
            ev.acled.as_ref().map(|a| a.event_type.clone()),
            ev.acled.as_ref().map(|a| a.sub_event_type.clone()),
            date_str(ev.date.as_ref().map(|d| d.start)),
            date_str(ev.date.as_ref().map(|d| d.end)),
            opt_enum_str(ev.date.as_ref().map(|d| &d.precision))?,
            loc.and_then(|p| p.lat),
            loc.and_then(|p| p.lon),
            opt_enum_str(loc.map(|p| &p.precision))?,
            loc.and_then(|p| p.country_code.clone()),
            opt_enum_str(Some(&ev.modality))?,
            sentence_text,
            serde_json::to_string(ev)?,
        ])?;
        if !fusable(ev) {
            continue;
        }
        let key = MatchKey::of_event(ev, story_id, doc.published_at);
        let fused_id = match find_match(tx, &key)? {
            Some(id) => {
                if !updated.contains(&id) && !is_new_this_doc(tx, id, rowid)? {
                    updated.insert(id);
                }
                id
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO fused_events (plover_type, n_reports, n_documents, n_sources, \
                     n_outlets, modality, confidence, n_contradictions, record) \
                     VALUES (?1, 0, 0, 0, 0, 'asserted', 0, 0, '{}')",
                )?
                .execute([ev.plover_type.as_str()])?;
                created += 1;
                tx.last_insert_rowid()
            }
        };
        tx.prepare_cached("UPDATE events SET fused_id = ?1 WHERE id = ?2")?
            .execute(params![fused_id, ev.id])?;
        tx.prepare_cached(
            "INSERT OR IGNORE INTO fused_event_members (fused_id, event_id) VALUES (?1, ?2)",
        )?
        .execute(params![fused_id, ev.id])?;
        recompute(tx, fused_id)?;
    }

    Ok(PutOutcome::New {
        document_id: doc.id.clone(),
        story_id,
        copy,
        events: ex.events.len(),
        fused_created: created,
        fused_updated: updated.len(),
    })
}

/// Whether every member of the fused event comes from this document (so it was created by it).
fn is_new_this_doc(tx: &Transaction<'_>, fused_id: i64, doc: i64) -> Result<bool> {
    let other: i64 = tx
        .prepare_cached("SELECT COUNT(*) FROM events WHERE fused_id = ?1 AND doc != ?2")?
        .query_row(params![fused_id, doc], |r| r.get(0))?;
    Ok(other == 0)
}

fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(d)
    }
}

/// The best-matching fused event for a report, if any.
fn find_match(tx: &Transaction<'_>, key: &MatchKey) -> Result<Option<i64>> {
    let w = DATE_WINDOW_DAYS as i64;
    let plover = key.plover.map(|p| p.as_str().to_string());
    let mut ids: Vec<(i64, String)> = Vec::new();
    if let (Some(s), Some(e)) = (key.start, key.end) {
        {
            let mut stmt = tx.prepare_cached(
                "SELECT id, record FROM fused_events \
                 WHERE (plover_type = ?1 OR (?2 IS NOT NULL AND acled_type = ?2)) \
                   AND match_start <= ?3 AND match_end >= ?4 \
                   AND (?5 IS NULL OR country_code IS NULL OR country_code = ?5 COLLATE NOCASE) \
                   AND (?6 IS NULL OR lat IS NULL OR geo_precision NOT IN ('point', 'admin2') \
                        OR (lat BETWEEN ?6 AND ?7 AND lon BETWEEN ?8 AND ?9)) \
                 ORDER BY id LIMIT 500",
            )?;
            // A box a little larger than the fusion distance around a finely located report.
            let bbox = match (key.lat, key.lon, key.precision) {
                (Some(lat), Some(lon), Some(GeoPrecision::Point | GeoPrecision::Admin2)) => {
                    let dlat = fusion::MAX_DISTANCE_KM / 111.0 * 1.1;
                    let dlon = dlat / lat.to_radians().cos().abs().max(0.05);
                    (
                        Some(lat - dlat),
                        Some(lat + dlat),
                        Some(lon - dlon),
                        Some(lon + dlon),
                    )
                }
                _ => (None, None, None, None),
            };
            let rows = stmt.query_map(
                params![
                    plover,
                    key.acled_type,
                    date_str(Some(shift(e, w))),
                    date_str(Some(shift(s, -w))),
                    key.country,
                    bbox.0,
                    bbox.1,
                    bbox.2,
                    bbox.3,
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            for r in rows {
                ids.push(r?);
            }
        }
    }
    // An undated report: fused events of its own story (copies may lack a date).
    if key.start.is_none() {
        let mut stmt = tx.prepare_cached(
            "SELECT DISTINCT f.id, f.record FROM fused_events f \
             JOIN event_documents ed ON ed.fused_id = f.id \
             JOIN documents d ON d.rowid_ = ed.doc \
             WHERE d.story_id = ?1 AND (f.plover_type = ?2 OR (?3 IS NOT NULL AND f.acled_type = ?3)) \
             ORDER BY f.id DESC LIMIT 200",
        )?;
        for story in &key.stories {
            let rows = stmt.query_map(params![story, plover, key.acled_type], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            for r in rows {
                let r: (i64, String) = r?;
                if !ids.iter().any(|x| x.0 == r.0) {
                    ids.push(r);
                }
            }
        }
    }
    let mut best: Option<(f64, i64)> = None;
    let mut stories_stmt = tx.prepare_cached(
        "SELECT DISTINCT d.story_id FROM event_documents ed JOIN documents d ON d.rowid_ = ed.doc \
         WHERE ed.fused_id = ?1",
    )?;
    for (id, record) in ids {
        // A fused event being created in this same document has no record yet.
        if record == "{}" {
            continue;
        }
        let fused: FusedEvent = serde_json::from_str(&record)?;
        let stories = stories_stmt
            .query_map([id], |r| r.get::<_, i64>(0))?
            .collect::<Result<BTreeSet<_>, _>>()?;
        let fkey = fusion::key_of_fused(&fused, stories);
        if let Some(score) = fusion::match_score(key, &fkey)
            && best.is_none_or(|b| score > b.0)
        {
            best = Some((score, id));
        }
    }
    Ok(best.map(|b| b.1))
}

/// Recomputes a fused event from its members and rewrites its row, actors and document links.
fn recompute(tx: &Transaction<'_>, fused_id: i64) -> Result<()> {
    let mut members = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT e.data, d.id, d.outlet, d.story_id, d.published_at, e.sentence_text \
             FROM events e JOIN documents d ON d.rowid_ = e.doc \
             WHERE e.fused_id = ?1 ORDER BY d.rowid_, e.idx",
        )?;
        let rows = stmt.query_map([fused_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        for row in rows {
            let (data, document_id, outlet, story_id, published, sentence_text) = row?;
            members.push(Member {
                event: serde_json::from_str(&data)?,
                document_id,
                outlet,
                story_id,
                published_at: published
                    .and_then(|p| NaiveDate::parse_from_str(&p, "%Y-%m-%d").ok()),
                sentence_text,
            });
        }
    }
    let Some(f) = fusion::aggregate(fused_id, &members) else {
        return Ok(());
    };
    let loc = f.location.as_ref();
    tx.prepare_cached(
        "UPDATE fused_events SET plover_type = ?2, acled_type = ?3, acled_sub_type = ?4, \
         cameo_root = ?5, date_start = ?6, date_end = ?7, time_precision = ?8, match_start = ?9, \
         match_end = ?10, location_name = ?11, geonameid = ?12, lat = ?13, lon = ?14, \
         geo_precision = ?15, country_code = ?16, admin1 = ?17, fatalities = ?18, \
         n_reports = ?19, n_documents = ?20, n_sources = ?21, n_outlets = ?22, \
         earliest_report = ?23, earliest_document = ?24, modality = ?25, confidence = ?26, \
         n_contradictions = ?27, record = ?28 WHERE id = ?1",
    )?
    .execute(params![
        fused_id,
        f.plover_type.as_str(),
        f.acled.as_ref().map(|a| a.event_type.clone()),
        f.acled.as_ref().map(|a| a.sub_event_type.clone()),
        f.cameo_root,
        date_str(f.date_start),
        date_str(f.date_end),
        opt_enum_str(f.time_precision.as_ref())?,
        date_str(f.match_start),
        date_str(f.match_end),
        loc.map(|l| l.name.clone()),
        loc.and_then(|l| l.geonameid.map(|g| g as i64)),
        loc.and_then(|l| l.lat),
        loc.and_then(|l| l.lon),
        opt_enum_str(loc.map(|l| &l.precision))?,
        loc.and_then(|l| l.country_code.clone()),
        loc.and_then(|l| l.admin1.clone()),
        f.fatalities.map(|v| v as i64),
        f.n_reports as i64,
        f.n_documents as i64,
        f.n_sources as i64,
        f.n_outlets as i64,
        date_str(f.earliest_report),
        f.earliest_document,
        opt_enum_str(Some(&f.modality))?,
        f64::from(f.confidence),
        f.contradictions.len() as i64,
        serde_json::to_string(&f)?,
    ])?;
    tx.prepare_cached("DELETE FROM fused_actors WHERE fused_id = ?1")?
        .execute([fused_id])?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO fused_actors (fused_id, role, code, name, country) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (role, actors) in [("source", &f.sources), ("target", &f.targets)] {
            for a in actors {
                stmt.execute(params![fused_id, role, a.code, a.name, a.country])?;
            }
        }
    }
    tx.prepare_cached(
        "INSERT OR IGNORE INTO event_documents (fused_id, doc) \
         SELECT ?1, doc FROM events WHERE fused_id = ?1",
    )?
    .execute([fused_id])?;
    Ok(())
}
