//! Writing extractions: documents, copies, mentions, events and fusion.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate};
use frontline_model::{Boilerplate, Event, Extraction, GeoPrecision, Sentence, Span};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::candidates::{CandidateIndex, DatedFilter, KeyCols, MAX_INDEXED};
use crate::codec::{self, Packed, ToStore};
use crate::columns::{
    FusedRow, SEP, SUMMARY_COLUMNS, date_str, fused_columns, fused_summary, mentions_json,
    opt_enum_str, parse_day, to_json,
};
use crate::copies::{
    self, Figures, LEAD_THRESHOLD, Lead, REWORD_DAYS, REWORD_THRESHOLD, STORY_THRESHOLD, Signature,
};
use crate::focus::{self, Focus};
use crate::fusion::{self, DATE_WINDOW_DAYS, FusedState, MatchKey, Member, StoredReport};
use crate::record::FusedEvent;
use crate::rtree::{self, WhereBox};
use crate::{PutOutcome, Result, Store};
use rusqlite::types::Value;
use rustc_hash::FxHashMap as HashMap;

mod merge;

/// Most events stored for one document; those beyond are counted in a warning of the
/// document (see [`events_note`]). A live blog or a long report codes a few hundred events; a
/// text that repeats one attack sentence tens of thousands of times coded as many events, all
/// reports of one fused event, and made every reader of that event (detail, export) as large.
pub const MAX_EVENTS_PER_DOCUMENT: usize = 1_000;

/// The warning stored with a document that coded more than [`MAX_EVENTS_PER_DOCUMENT`]
/// events, or `None`.
pub(crate) fn events_note(ex: &Extraction) -> Option<String> {
    let n = ex.events.len();
    (n > MAX_EVENTS_PER_DOCUMENT).then(|| {
        format!(
            "{} of the {n} events coded in this document were not stored: at most \
             {MAX_EVENTS_PER_DOCUMENT} events are kept per document",
            n - MAX_EVENTS_PER_DOCUMENT
        )
    })
}

/// Most copy candidates examined per document (the ones sharing most bands).
const MAX_COPY_CANDIDATES: usize = 32;
/// Most documents read per LSH band key, the latest first. A band shared by many documents
/// stands for common vocabulary rather than a story; copies of a story arrive close together,
/// so the latest ones are the ones to compare with, and the cost per document stays bounded.
const MAX_BAND_DOCS: i64 = 64;

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

/// Whether an event describes something that happened (and so takes part in fusion).
fn fusable(ev: &Event) -> bool {
    ev.modality.counts() || ev.modality == frontline_model::Modality::Denied
}

impl Store {
    /// Writes what the writer keeps only in memory, the band rows of the latest documents for
    /// copy detection, to the database. `frontline ingest` calls it at the end of a run, and
    /// dropping the store does too. Skipping it loses nothing: the next batch written to the
    /// database, by any connection, files them first.
    pub fn flush(&self) -> Result<()> {
        let mut conn = self.conn()?;
        let mut cache = self.cache.lock().map_err(|_| crate::StoreError::Poisoned)?;
        if cache.unfiled.is_empty() {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let filed = (|| {
            begin(&tx, &mut cache)?;
            if !cache.unfiled.is_empty() {
                file_bands(&tx, &mut cache)?;
            }
            tx.commit()?;
            Ok(())
        })();
        if filed.is_err() {
            cache.clear();
        }
        filed
    }

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
        let prepared: Vec<Prepared> = batch.iter().map(Prepared::of).collect();
        self.put_prepared(batch, &prepared)
    }

    /// [`Store::put_extractions`] with the database-independent work on each extraction done
    /// beforehand (`prepared[i]` is [`Prepared::of`]`(&batch[i])`), so that a caller can do
    /// it in parallel, off the writer thread. Fails when the lengths or document ids differ.
    pub fn put_prepared(
        &self,
        batch: &[Extraction],
        prepared: &[Prepared],
    ) -> Result<Vec<PutOutcome>> {
        if prepared.len() != batch.len() {
            return Err(crate::StoreError::BadQuery(format!(
                "{} prepared documents given for {} extractions",
                prepared.len(),
                batch.len()
            )));
        }
        if let Some(ex) = batch
            .iter()
            .zip(prepared)
            .find_map(|(ex, p)| (ex.document.id != p.document_id).then_some(ex))
        {
            return Err(crate::StoreError::BadQuery(format!(
                "the prepared documents are not those of the batch (document {})",
                ex.document.id
            )));
        }
        let mut conn = self.conn()?;
        crate::checkpoint::restart_if_asked(&conn, &self.restart_log)?;
        let mut cache = self.cache.lock().map_err(|_| crate::StoreError::Poisoned)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let written = (|| {
            begin(&tx, &mut cache)?;
            cache.stamp = crate::stamp::batch_stamp(&tx)?;
            let mut out = Vec::with_capacity(batch.len());
            let mut indexed = Vec::with_capacity(batch.len());
            for (ex, p) in batch.iter().zip(prepared) {
                let (outcome, rowid) = put_one(&tx, ex, p, &mut cache)?;
                out.push(outcome);
                if let Some(rowid) = rowid {
                    indexed.push((rowid, &ex.document));
                }
            }
            flush_fused(&tx, &mut cache)?;
            if cache.unfiled.len() >= MAX_UNFILED_ROWS {
                file_bands(&tx, &mut cache)?;
            }
            // The full-text index last: FTS5 writes out what it holds in memory whenever a
            // later statement of the transaction opens a savepoint, so rows added before the
            // other writes would be written as many small segments, then merged.
            let mut stmt = tx.prepare_cached(
                "INSERT INTO documents_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
            )?;
            for (rowid, doc) in indexed {
                stmt.execute(params![rowid, doc.title.as_deref().unwrap_or(""), doc.text])?;
            }
            drop(stmt);
            tx.commit()?;
            Ok(out)
        })();
        if written.is_err() {
            // Rolled back: the cache may list documents that were never stored.
            cache.clear();
        }
        written
    }
}

/// What the writing connection reads from the database again and again, kept in memory:
/// - for copy detection, the latest documents filed under LSH band keys, as the band lookup
///   would read them from `copy_bands` (at most `MAX_BAND_DOCS` per key, oldest first), for
///   the keys this connection has looked up; and the comparison keys of the candidate
///   documents it has read or written (a candidate's signature sits behind its text and
///   extras in `documents`, so reading it walks the row's overflow pages);
/// - for fusion, the running aggregate and stored column values of the fused events it has
///   written (adding a report then neither reads nor parses the row).
///
/// It also holds the band rows of the documents this connection stored that are not yet in
/// `copy_bands` (see [`file_bands`]); the band lists above include them.
///
/// The cache is dropped when another connection writes (`PRAGMA data_version`) and when a
/// batch fails; each part starts again when it holds `MAX_CACHED_KEYS` keys,
/// `MAX_CACHED_DOCS` documents or `MAX_CACHED_FUSED` fused events.
#[derive(Debug, Default)]
pub(crate) struct WriteCache {
    version: Option<i64>,
    pub(crate) docs: HashMap<i64, Vec<i64>>,
    pub(crate) candidates: HashMap<i64, Candidate>,
    /// Boxed: a map of 900-byte values moved them all whenever it grew.
    pub(crate) fused: HashMap<i64, Box<CachedFused>>,
    /// Scratch: copy candidates of the document being stored and their shared bands.
    hits: HashMap<i64, usize>,
    /// The fusion candidate index (see [`CandidateIndex`]).
    pub(crate) index: CandidateIndex,
    /// Fused events whose row is older than their aggregate, written before the batch commits
    /// ([`flush_fused`]).
    dirty: BTreeSet<i64>,
    /// Band rows `(key, doc)` of documents stored by this connection and not yet written to
    /// `copy_bands` ([`file_bands`]). Every key among them is in `docs`.
    pub(crate) unfiled: Vec<(i64, i64)>,
    /// `copy_bands_filed.upto` as this connection last read or wrote it; `None` until the
    /// documents above it are filed ([`prepare_bands`]) after the cache was dropped.
    filed_upto: Option<i64>,
    /// The `created_at` / `updated_at` stamp of the batch being written (see stamp.rs).
    pub(crate) stamp: String,
}

/// A fused event as last written by this connection: its aggregate and the values of its
/// [`SUMMARY_COLUMNS`] and [`STATE_COLUMNS`], in [`FusedSql::columns`] order, except the
/// aggregate's JSON (`agg`), which is kept as NULL: it changes with every report, so it is
/// written every time anyway, and keeping it would double the cache's memory.
#[derive(Debug, Clone)]
pub(crate) struct CachedFused {
    pub(crate) state: FusedState,
    /// The values as stored (the aggregate's JSON as NULL).
    pub(crate) values: Vec<Value>,
    /// The values of the latest state, when newer than the stored ones (the aggregate's JSON
    /// as NULL): [`flush_fused`] writes them.
    pending: Option<Vec<Value>>,
    /// What the fused event is filed under in the candidate index.
    filing: Filing,
    /// Its version 1 record is to be emptied when its row is next written.
    clear_record: bool,
    /// Its box in the R*Tree `fused_where` (see rtree.rs), `None` where it has none.
    boxed: Option<WhereBox>,
}

impl CachedFused {
    /// A fused event whose row holds `values` and whose box in `fused_where` is `boxed`.
    fn new(
        state: FusedState,
        mut values: Vec<Value>,
        filing: Filing,
        boxed: Option<WhereBox>,
    ) -> Self {
        if let Some(agg) = values.get_mut(SUMMARY_COLUMNS.len()) {
            *agg = Value::Null;
        }
        Self {
            state,
            values,
            pending: None,
            filing,
            clear_record: false,
            boxed,
        }
    }
}

/// A stored document as copy detection compares it: content id, story, MinHash signature,
/// lead (`None` for documents stored before leads were kept), publication date and, once a
/// comparison has needed them, the figures it reports (read from its stored mentions).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub(crate) id: String,
    pub(crate) story: i64,
    pub(crate) signature: Signature,
    pub(crate) lead: Option<Lead>,
    pub(crate) published: Option<NaiveDate>,
    pub(crate) figures: Option<Figures>,
}

/// The figures a stored document reports, from its stored mentions (none when it has none).
pub(crate) fn stored_figures(conn: &rusqlite::Connection, rowid: i64) -> Result<Figures> {
    let rows = crate::query::stored_mentions(conn, rowid)?;
    Ok(Figures::of_mentions(rows.iter().map(|r| &r.4)))
}

/// Most band keys kept in [`WriteCache`] (about 70 MB) before it starts again.
const MAX_CACHED_KEYS: usize = 1_000_000;
/// Most candidate documents kept in [`WriteCache`] (about 50 MB) before it starts again.
const MAX_CACHED_DOCS: usize = 60_000;
/// Most fused events kept in [`WriteCache`] before it starts again (about 7 KB each in memory on
/// the generated corpus, so about 140 MB at most).
const MAX_CACHED_FUSED: usize = 20_000;

impl WriteCache {
    fn check(&mut self, version: i64) {
        if self.version != Some(version) {
            self.clear();
            self.version = Some(version);
        }
        if self.candidates.len() > MAX_CACHED_DOCS {
            self.candidates.clear();
        }
        if self.fused.len() > MAX_CACHED_FUSED {
            self.fused.clear();
        }
        if self.index.len() > MAX_INDEXED {
            self.index.clear();
        }
    }

    /// Forgets everything, including the unfiled band rows: their documents are stored (or
    /// were rolled back), and the next batch files those above `copy_bands_filed.upto` from
    /// the database ([`prepare_bands`]).
    pub(crate) fn clear(&mut self) {
        self.docs.clear();
        self.candidates.clear();
        self.fused.clear();
        self.index.clear();
        self.dirty.clear();
        self.unfiled.clear();
        self.filed_upto = None;
        self.version = None;
    }
}

/// Most band rows kept unfiled in memory (16 bytes each, so about 16 MB; the rows of about
/// 24,000 documents) before [`file_bands`] writes them. The unit tests file every few
/// documents, so that both ways are taken.
const MAX_UNFILED_ROWS: usize = if cfg!(test) { 200 } else { 1_000_000 };

/// At the start of a write transaction: drops what the cache holds if another connection
/// wrote since this one last did (it may be stale), then makes its band lists usable
/// ([`prepare_bands`]).
fn begin(tx: &Transaction<'_>, cache: &mut WriteCache) -> Result<()> {
    let version: i64 = tx.query_row("PRAGMA data_version", [], |r| r.get(0))?;
    cache.check(version);
    prepare_bands(tx, cache)
}

/// Makes the band lists of the cache usable at the start of a batch: after the cache was
/// dropped, files the band rows of every document above `copy_bands_filed.upto` (left by a
/// killed run, a failed batch or another connection), computed from their stored signatures;
/// and before the cache's band lists grow too large, files what is unfiled and starts them
/// again.
fn prepare_bands(tx: &Transaction<'_>, cache: &mut WriteCache) -> Result<()> {
    if cache.filed_upto.is_none() {
        let upto: i64 = tx
            .query_row("SELECT upto FROM copy_bands_filed WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(0);
        let mut stmt = tx.prepare_cached(
            "SELECT rowid_, minhash FROM documents WHERE rowid_ > ?1 ORDER BY rowid_",
        )?;
        let mut rows = stmt.query([upto])?;
        let mut above = false;
        while let Some(row) = rows.next()? {
            let (rowid, blob): (i64, Vec<u8>) = (row.get(0)?, row.get(1)?);
            for key in Signature::from_bytes(&blob).band_keys() {
                cache.unfiled.push((key, rowid));
            }
            above = true;
        }
        drop(rows);
        drop(stmt);
        cache.filed_upto = Some(upto);
        if above {
            file_bands(tx, cache)?;
        }
    }
    if cache.docs.len() > MAX_CACHED_KEYS {
        // Unfiled rows must stay reachable: once filed they are read from `copy_bands`.
        file_bands(tx, cache)?;
        cache.docs.clear();
    }
    Ok(())
}

/// Writes the unfiled band rows to `copy_bands`, sorted by key, and moves
/// `copy_bands_filed.upto` to the newest document.
///
/// Band keys are hashes: written with each document, the rows of a batch fell on random pages
/// of the index, and at 100,000 documents every commit wrote back most of its leaf pages.
/// Written sorted, many thousand documents at a time, each leaf page is written once per
/// filing. Within the writer's transaction no other connection writes, and the batch starts by
/// filing what others left ([`prepare_bands`]), so every document up to the newest is filed.
/// Since schema v6 nothing in the multi-row insert can abort (no foreign key; OR IGNORE), so
/// SQLite opens no statement journal for it (see schema.rs).
fn file_bands(tx: &Transaction<'_>, cache: &mut WriteCache) -> Result<()> {
    let rows = &mut cache.unfiled;
    rows.sort_unstable();
    rows.dedup();
    let mut values: Vec<i64> = Vec::with_capacity(copies::BANDS * 2);
    for chunk in rows.chunks(copies::BANDS) {
        values.clear();
        for (key, doc) in chunk {
            values.extend([*key, *doc]);
        }
        tx.prepare_cached(&band_insert_sql(chunk.len()))?
            .execute(rusqlite::params_from_iter(&values))?;
    }
    rows.clear();
    let upto: i64 = tx.query_row("SELECT coalesce(max(rowid_), 0) FROM documents", [], |r| {
        r.get(0)
    })?;
    tx.prepare_cached("INSERT OR REPLACE INTO copy_bands_filed (id, upto) VALUES (1, ?1)")?
        .execute([upto])?;
    cache.filed_upto = Some(upto);
    Ok(())
}

/// What storing a document needs that does not depend on the database: the copy-detection
/// keys (MinHash signature and lead of the text without boilerplate) and the JSON of its
/// extras, mentions and events. Pure computation; `frontline ingest` does it on the worker
/// threads so that the writer thread only writes.
#[derive(Debug, Clone)]
pub struct Prepared {
    document_id: String,
    signature: Signature,
    lead: Lead,
    figures: Figures,
    /// JSON of the extras; `None` where serialising failed (the writer then serialises again
    /// and reports the error).
    extras: Option<String>,
    /// The mentions and each event, serialised and compressed (see codec.rs); `None` as for
    /// `extras`.
    mentions: Option<ToStore>,
    events: Vec<Option<ToStore>>,
    /// JSON of each event's [`StoredReport`] (`None` as for `events`).
    claims: Vec<Option<String>>,
}

impl Prepared {
    /// Prepares one extraction.
    pub fn of(ex: &Extraction) -> Self {
        let (signature, lead) = copies::signature_and_lead(&analysed_text(ex));
        Self {
            document_id: ex.document.id.clone(),
            signature,
            lead,
            figures: Figures::of_mentions(ex.mentions.iter().map(|m| &m.data)),
            extras: extras_json(ex).ok(),
            mentions: mentions_json(ex)
                .ok()
                .map(|j| ToStore::of(codec::MENTIONS, j)),
            events: ex
                .events
                .iter()
                .take(MAX_EVENTS_PER_DOCUMENT)
                .map(|ev| to_json(ev).ok().map(|j| ToStore::of(codec::EVENTS, j)))
                .collect(),
            claims: ex
                .events
                .iter()
                .take(MAX_EVENTS_PER_DOCUMENT)
                .map(|ev| {
                    let doc = &ex.document;
                    to_json(&StoredReport::of(ev, &doc.id, doc.outlet.as_deref())).ok()
                })
                .collect(),
        }
    }
}

/// The `extras` column of a document (see [`Extras`]), with the note of [`events_note`]
/// after the extraction's own warnings.
fn extras_json(ex: &Extraction) -> serde_json::Result<String> {
    #[derive(Serialize)]
    struct ExtrasRef<'a> {
        boilerplate: &'a [Boilerplate],
        sentences: &'a [Sentence],
        warnings: std::borrow::Cow<'a, [String]>,
    }
    let warnings = match events_note(ex) {
        None => std::borrow::Cow::Borrowed(ex.warnings.as_slice()),
        Some(note) => {
            tracing::warn!(document = %ex.document.id, "{note}");
            let mut w = ex.warnings.clone();
            w.push(note);
            std::borrow::Cow::Owned(w)
        }
    };
    to_json(&ExtrasRef {
        boilerplate: &ex.boilerplate,
        sentences: &ex.sentences,
        warnings,
    })
}

/// The band insert for `n` band keys (built once for the usual count).
fn band_insert_sql(n: usize) -> std::borrow::Cow<'static, str> {
    static USUAL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let build = |n: usize| {
        format!(
            "INSERT OR IGNORE INTO copy_bands (key, doc) VALUES {}",
            placeholders(n, 2, 1)
        )
    };
    if n == copies::BANDS {
        std::borrow::Cow::Borrowed(USUAL.get_or_init(|| build(n)).as_str())
    } else {
        std::borrow::Cow::Owned(build(n))
    }
}

fn placeholders(rows: usize, width: usize, first: usize) -> String {
    let mut out = String::with_capacity(rows * width * 6);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("?{}", first + r * width + c));
        }
        out.push(')');
    }
    out
}

/// Stores one document (all but its full-text index entry); returns what happened and, for a
/// new document, its rowid. Stages: copy detection ([`find_story`]), the document's rows
/// ([`insert_document`]), then each event, fused ([`fuse_report`]) and stored
/// ([`insert_event`]).
fn put_one(
    tx: &Transaction<'_>,
    ex: &Extraction,
    prepared: &Prepared,
    cache: &mut WriteCache,
) -> Result<(PutOutcome, Option<i64>)> {
    let doc = &ex.document;
    let known: Option<i64> = tx
        .prepare_cached("SELECT rowid_ FROM documents WHERE id = ?1")?
        .query_row([&doc.id], |r| r.get(0))
        .optional()?;
    if known.is_some() {
        return Ok((
            PutOutcome::Known {
                document_id: doc.id.clone(),
            },
            None,
        ));
    }
    let story = find_story(tx, ex, prepared, cache)?;
    let rowid = insert_document(tx, ex, prepared, &story, cache)?;
    let fused = store_events(tx, ex, prepared, rowid, story.id, cache)?;
    Ok((
        PutOutcome::New {
            document_id: doc.id.clone(),
            story_id: story.id,
            copy: story.copy,
            events: fused.stored,
            fused_created: fused.created.len(),
            fused_updated: fused.updated.len(),
        },
        Some(rowid),
    ))
}

/// The story a new document belongs to, as copy detection found it.
struct StoryOf {
    /// Story id (a new story when the document copies none).
    id: i64,
    /// Whether the document is a copy of a stored one.
    copy: bool,
    /// The most similar stored document, and its similarity.
    nearest: Option<(String, f64)>,
}

/// Copy detection: candidates share an LSH band (among the latest documents filed under it);
/// the most similar one above the threshold whose lead agrees (or, reworded, whose figures
/// agree) wins, and the document joins its story; otherwise it starts a story.
fn find_story(
    tx: &Transaction<'_>,
    ex: &Extraction,
    prepared: &Prepared,
    cache: &mut WriteCache,
) -> Result<StoryOf> {
    let (sig, lead) = (&prepared.signature, &prepared.lead);
    let doc = &ex.document;
    let keys = sig.band_keys();
    // The map of the previous document, emptied: its table is kept, not grown again.
    let mut hits = std::mem::take(&mut cache.hits);
    hits.clear();
    {
        // Each key's latest documents, from the cache or, for a key not in it, from the index.
        // The limit is written into the SQL: SQLite plans with the value of a bound LIMIT, so
        // rebinding one expires the statement and recompiles it on every run (that cost 5% of
        // the writer's CPU).
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT doc FROM copy_bands WHERE key = ?1 ORDER BY doc DESC LIMIT {MAX_BAND_DOCS}"
        ))?;
        for k in &keys {
            let docs = match cache.docs.entry(*k) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let mut docs = stmt
                        .query_map([k], |r| r.get::<_, i64>(0))?
                        .collect::<Result<Vec<_>, _>>()?;
                    docs.reverse();
                    e.insert(docs)
                }
            };
            for d in docs.iter() {
                *hits.entry(*d).or_insert(0) += 1;
            }
        }
    }
    let mut cands: Vec<(i64, usize)> = hits.drain().collect();
    cache.hits = hits;
    // The documents sharing most bands (earliest first among equals): a total order, so
    // selecting the first ones and sorting only those gives what sorting all would.
    let order = |a: &(i64, usize), b: &(i64, usize)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    if cands.len() > MAX_COPY_CANDIDATES {
        cands.select_nth_unstable_by(MAX_COPY_CANDIDATES - 1, order);
        cands.truncate(MAX_COPY_CANDIDATES);
    }
    cands.sort_unstable_by(order);
    // (similarity, document id, story, whether a copy)
    let mut best: Option<(f64, String, i64, bool)> = None;
    {
        let mut stmt = tx.prepare_cached(
            "SELECT id, story_id, minhash, lead, published_at FROM documents WHERE rowid_ = ?1",
        )?;
        for (rowid, _) in cands {
            let them = match cache.candidates.entry(rowid) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    #[allow(clippy::type_complexity)]
                    let (id, story, blob, their_lead, published): (
                        String,
                        i64,
                        Vec<u8>,
                        Option<Vec<u8>>,
                        Option<String>,
                    ) = stmt.query_row([rowid], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                    })?;
                    e.insert(Candidate {
                        id,
                        story,
                        signature: Signature::from_bytes(&blob),
                        lead: their_lead.map(|l| Lead::from_bytes(&l)),
                        published: published.as_deref().and_then(parse_day),
                        figures: None,
                    })
                }
            };
            let s = sig.similarity(&them.signature);
            // Documents stored before leads were kept are compared on the whole text only.
            let lead_agrees = them
                .lead
                .as_ref()
                .is_none_or(|l| lead.similarity(l) >= LEAD_THRESHOLD);
            let by_words = s >= STORY_THRESHOLD && lead_agrees;
            // A reworded copy: fewer words in common, the same figures, published within a few
            // days (copies follow the story closely).
            let close = match (doc.published_at, them.published) {
                (Some(a), Some(b)) => a.signed_duration_since(b).num_days().abs() <= REWORD_DAYS,
                _ => false,
            };
            let reworded =
                !by_words && s >= REWORD_THRESHOLD && close && !prepared.figures.is_empty() && {
                    if them.figures.is_none() {
                        them.figures = Some(stored_figures(tx, rowid)?);
                    }
                    them.figures
                        .as_ref()
                        .is_some_and(|f| f.agree(&prepared.figures))
                };
            if s >= STORY_THRESHOLD && !by_words && !reworded {
                continue;
            }
            let copy = by_words || reworded;
            // A copy wins over any document that is not one; among equals, the most similar.
            if best.as_ref().is_none_or(|b| (copy, s) > (b.3, b.0)) {
                best = Some((s, them.id.clone(), them.story, copy));
            }
        }
    }
    let (story_id, copy) = match &best {
        Some((_, _, story, true)) => {
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
    Ok(StoryOf {
        id: story_id,
        copy,
        nearest: best.map(|(s, id, _, _)| (id, s)),
    })
}

/// Inserts the document's row, keeps its bands for filing and its signature for later copies,
/// and inserts its mentions; returns its rowid.
fn insert_document(
    tx: &Transaction<'_>,
    ex: &Extraction,
    prepared: &Prepared,
    story: &StoryOf,
    cache: &mut WriteCache,
) -> Result<i64> {
    let (sig, lead) = (&prepared.signature, &prepared.lead);
    let doc = &ex.document;
    let keys = sig.band_keys();
    let story_id = story.id;
    let (nearest, similarity) = match &story.nearest {
        Some((id, s)) => (Some(id.clone()), Some(*s)),
        None => (None, None),
    };

    let extras = match &prepared.extras {
        Some(j) => j.clone(),
        None => extras_json(ex)?,
    };
    let origin = doc.origin.as_ref();
    tx.prepare_cached(
        "INSERT INTO documents (id, url, outlet, title, author, published_at, language, \
         origin_format, origin_path, origin_offset, origin_index, text, schema_version, extras, \
         story_id, nearest_copy, similarity, minhash, ingested_at, lead) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
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
        lead.to_bytes(),
    ])?;
    let rowid = tx.last_insert_rowid();
    if !keys.is_empty() {
        // Filed in `copy_bands` later, with many other documents' (see `file_bands`).
        cache.unfiled.extend(keys.iter().map(|k| (*k, rowid)));
        // A later copy in this run compares with it from memory.
        cache.candidates.insert(
            rowid,
            Candidate {
                id: doc.id.clone(),
                story: story_id,
                signature: sig.clone(),
                lead: Some(lead.clone()),
                published: doc.published_at,
                figures: Some(prepared.figures.clone()),
            },
        );
        // The new document is the latest under each of its keys (all looked up above).
        for k in &keys {
            if let Some(docs) = cache.docs.get_mut(k)
                && docs.last() != Some(&rowid)
            {
                docs.push(rowid);
                if docs.len() > MAX_BAND_DOCS as usize {
                    docs.remove(0);
                }
            }
        }
    }

    // All mentions of the document in one row (see `document_mentions` in schema.rs).
    let mentions = match &prepared.mentions {
        Some(v) => std::borrow::Cow::Borrowed(v),
        None => std::borrow::Cow::Owned(ToStore::of(codec::MENTIONS, mentions_json(ex)?)),
    };
    tx.prepare_cached("INSERT INTO document_mentions (doc, n, data) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, ex.mentions.len() as i64, mentions.as_ref()])?;

    Ok(rowid)
}

/// The fused events a document's reports started and joined, and how many events it stored.
#[derive(Default)]
struct Fused {
    created: BTreeSet<i64>,
    updated: BTreeSet<i64>,
    stored: usize,
}

/// Stores a document's events (at most [`MAX_EVENTS_PER_DOCUMENT`]), fusing each that
/// happened and is not background (FU20) with the stored records.
fn store_events(
    tx: &Transaction<'_>,
    ex: &Extraction,
    prepared: &Prepared,
    rowid: i64,
    story_id: i64,
    cache: &mut WriteCache,
) -> Result<Fused> {
    let doc = &ex.document;
    let mut out = Fused {
        stored: ex.events.len().min(MAX_EVENTS_PER_DOCUMENT),
        ..Fused::default()
    };
    // The outlets the document credits, for counting independent sources.
    let doc_credits = if ex.events.iter().any(fusable) {
        crate::credits::credits(&doc.text)
    } else {
        Vec::new()
    };
    // What fusion reads from the whole document (`focus.rs`), and the fused events this
    // document's reports went to (FU30).
    let focus = if ex.events.iter().any(fusable) {
        Focus::of(ex)
    } else {
        Focus::default()
    };
    let mut joined: Vec<(MatchKey, i64)> = Vec::new();
    for (idx, ev) in ex.events.iter().enumerate().take(out.stored) {
        let sentence_text = ex
            .sentences
            .get(ev.sentence)
            .and_then(|s| s.span.slice(&doc.text))
            .unwrap_or_default();
        let fuses = fusable(ev) && !focus::is_background(ev, doc.published_at);
        let fused_id = if fuses {
            let member = Member {
                event: focus.steady(ev).into_owned(),
                document_id: doc.id.clone(),
                outlet: doc.outlet.clone(),
                story_id,
                published_at: doc.published_at,
                sentence_text: sentence_text.to_string(),
                credits: doc_credits.clone(),
            };
            Some(fuse_report(
                tx,
                &member,
                rowid,
                &mut joined,
                &mut out,
                cache,
            )?)
        } else {
            None
        };
        insert_event(tx, ex, prepared, idx, rowid, sentence_text, fused_id)?;
    }
    Ok(out)
}

/// Fuses one report: the record it joins (FU30/FU32/FU33 within its document, else the best
/// match), every other record it matches and that record fits merged into it (FU70), or a new
/// record. Returns the fused event's id.
fn fuse_report(
    tx: &Transaction<'_>,
    member: &Member,
    rowid: i64,
    joined: &mut Vec<(MatchKey, i64)>,
    out: &mut Fused,
    cache: &mut WriteCache,
) -> Result<i64> {
    let key = MatchKey::of_event(&member.event, member.story_id, member.published_at);
    // A report that matches no other document's record joins the record of its own
    // document's report of the same event, if any (FU30). A report placed only to a province
    // or country, or to a town named like its province (FU33), goes with its own document's
    // report of the same event before any other record its coarse place also fits (FU32).
    // Among its document's reports, a town named like its province is the province (FU33).
    let mut doc_key = key.clone();
    if fusion::names_its_province(&member.event) {
        doc_key.precision = Some(GeoPrecision::Admin1);
    }
    // FU36: the record must fit the report's place as it stands now, not only through the
    // document's own reports: a country-level retelling (a dateline, FU12) in a record that
    // other documents placed in one province does not take a report of another province there.
    let own = fusion::same_document_record(&doc_key, joined).filter(|id| {
        cache
            .index
            .get(*id)
            .and_then(|f| f.key.as_ref())
            .is_none_or(|record| fusion::places_fit(&doc_key, record))
    });
    let coarse = !doc_key.located_finely();
    // FU71: a coarse report joins its own document's record first (FU32), and still merges
    // into it the other records it matches (FU70), so that which record it joins does not
    // depend on whether its document or the other records arrived first.
    let matches = find_matches(tx, &key, &mut cache.index)?;
    let found = match own {
        Some(id) if coarse => Some(id),
        _ => matches.first().map(|m| m.1).or(own),
    };
    let id = match found {
        Some(id) => {
            if !out.created.contains(&id) {
                out.updated.insert(id);
            }
            add_report(tx, id, member, rowid, cache)?;
            id
        }
        None => {
            let id = start_fused(tx, member, rowid, cache)?;
            out.created.insert(id);
            id
        }
    };
    let id = merge_linked(tx, id, &matches, member, joined, out, cache)?;
    joined.push((doc_key, id));
    Ok(id)
}

/// FU70: the other records a report matches, merged with the one it joined (`id`) when they fit
/// it but for their dates (`fusion::records_linkable`), the earliest record kept. Returns the
/// id the report's record has afterwards.
fn merge_linked(
    tx: &Transaction<'_>,
    mut id: i64,
    matches: &[(f64, i64, MatchKey)],
    member: &Member,
    joined: &mut [(MatchKey, i64)],
    out: &mut Fused,
    cache: &mut WriteCache,
) -> Result<i64> {
    for (_, other, _) in matches {
        if *other == id {
            continue;
        }
        let (Some(mine), Some(theirs)) = (
            cache.index.get(id).and_then(|f| f.key.clone()),
            cache.index.get(*other).and_then(|f| f.key.clone()),
        ) else {
            continue;
        };
        if !fusion::records_linkable(&mine, &theirs) {
            continue;
        }
        let (keep, gone) = (id.min(*other), id.max(*other));
        merge::merge_records(tx, keep, gone, &member.document_id, cache)?;
        // A record this document started and merged into an older one was not created.
        out.created.remove(&gone);
        out.updated.remove(&gone);
        if !out.created.contains(&keep) {
            out.updated.insert(keep);
        }
        for j in joined.iter_mut().filter(|j| j.1 == gone) {
            j.1 = keep;
        }
        id = keep;
    }
    Ok(id)
}

/// Inserts one event's row (`fused_id`: the fused event it went to, if any).
fn insert_event(
    tx: &Transaction<'_>,
    ex: &Extraction,
    prepared: &Prepared,
    idx: usize,
    rowid: i64,
    sentence_text: &str,
    fused_id: Option<i64>,
) -> Result<()> {
    let doc = &ex.document;
    let Some(ev) = ex.events.get(idx) else {
        return Ok(());
    };
    let loc = ev.location.as_ref().map(|l| &l.place);
    tx.prepare_cached(
        "INSERT INTO events (id, doc, idx, plover_type, acled_type, acled_sub_type, \
         date_start, date_end, time_precision, lat, lon, geo_precision, country_code, modality, \
         sentence_text, data, fused_id, claims) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
         ?18)",
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
        match prepared.events.get(idx) {
            Some(Some(v)) => std::borrow::Cow::Borrowed(v),
            _ => std::borrow::Cow::Owned(ToStore::of(codec::EVENTS, to_json(ev)?)),
        }
        .as_ref(),
        fused_id,
        match prepared.claims.get(idx) {
            Some(Some(j)) => std::borrow::Cow::Borrowed(j.as_str()),
            _ => std::borrow::Cow::Owned(to_json(&StoredReport::of(
                ev,
                &doc.id,
                doc.outlet.as_deref(),
            ))?),
        }
        .as_ref(),
    ])?;
    Ok(())
}

/// Days per bucket of the candidate index (`fused_buckets`).
const BUCKET_DAYS: i32 = 8;
/// Most buckets listed for one matching range; a longer range goes under bucket -1.
const MAX_BUCKETS: i32 = 64;
/// Most fused events examined as match candidates for one report.
const MAX_CANDIDATES: usize = 500;

fn bucket(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce().div_euclid(BUCKET_DAYS))
}

fn tkey(kind: char, ty: &str, country: Option<&str>) -> String {
    format!("{kind}|{ty}|{}", country.unwrap_or("").to_uppercase())
}

/// What a fused event is filed under in the candidate index.
#[derive(Debug, Default, Clone, PartialEq)]
struct Filing {
    plover: String,
    acled: Option<String>,
    country: Option<String>,
    start: Option<String>,
    end: Option<String>,
    /// Stories, space-separated (the `stories` column).
    stories: Option<String>,
}

/// Files a fused event in the candidate index (only what is not filed already).
fn file(tx: &Transaction<'_>, fused_id: i64, f: &Filing, index: &mut CandidateIndex) -> Result<()> {
    let (Some(s), Some(e)) = (
        f.start.as_deref().and_then(parse_day),
        f.end.as_deref().and_then(parse_day),
    ) else {
        return Ok(());
    };
    let (b0, b1) = (bucket(s), bucket(e));
    let buckets: Vec<i64> = if b1 < b0 || b1 - b0 >= i64::from(MAX_BUCKETS) {
        vec![-1]
    } else {
        (b0..=b1).collect()
    };
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO fused_buckets (tkey, bucket, fused_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut keys = vec![tkey('p', &f.plover, f.country.as_deref())];
    if let Some(a) = &f.acled {
        keys.push(tkey('a', a, f.country.as_deref()));
    }
    for story in f.stories.as_deref().unwrap_or("").split(' ') {
        if !story.is_empty() {
            keys.push(format!("s|{story}|"));
        }
    }
    for k in &keys {
        for b in &buckets {
            // A fused event whose filing changed (a new story, a longer date range) is filed
            // again under every key and bucket; most of them it is filed under already.
            if index.is_filed(k, *b, fused_id) {
                continue;
            }
            if stmt.execute(params![k, b, fused_id])? > 0 {
                index.file(k, *b, fused_id);
            }
        }
    }
    Ok(())
}

fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(d)
    }
}

/// Candidates for a dated report: fused events filed under its type(s) and country (or no
/// country) in a bucket its widened date range touches, or under bucket -1, that pass the
/// type, date, country and box filter; by id, at most [`MAX_CANDIDATES`]. Answered by the
/// writer's copy of the index ([`CandidateIndex`]).
fn dated_candidates(
    tx: &Transaction<'_>,
    index: &mut CandidateIndex,
    key: &MatchKey,
    s: NaiveDate,
    e: NaiveDate,
    by_story: bool,
) -> Result<Vec<i64>> {
    let w = DATE_WINDOW_DAYS as i64;
    let (lo, hi) = (bucket(shift(s, -w)), bucket(shift(e, w)));
    // A box a little larger than the fusion distance around a finely located report.
    let bbox = match (key.lat, key.lon, key.precision) {
        (Some(lat), Some(lon), Some(GeoPrecision::Point | GeoPrecision::Admin2)) => {
            let dlat = fusion::MAX_DISTANCE_KM / 111.0 * 1.1;
            let dlon = dlat / lat.to_radians().cos().abs().max(0.05);
            Some((lat - dlat, lat + dlat, lon - dlon, lon + dlon))
        }
        _ => None,
    };
    let plover = key.plover.map(|p| p.as_str());
    let (end, start) = (
        date_str(Some(shift(e, w))).unwrap_or_default(),
        date_str(Some(shift(s, -w))).unwrap_or_default(),
    );
    // The report's own types and, in the violence family, the family's (see
    // `fusion::type_family`); each searched with a filter on that one type.
    let types = fusion::family_types(plover, key.acled_type.as_deref(), key.territorial);
    // Index entries: an exact key (`to` None) or a key range [from, to), with the type its
    // filter asks for.
    let mut entries: Vec<(String, Option<String>, char, &str)> = Vec::new();
    for (kind, ty) in &types {
        if by_story {
            entries.extend(
                key.stories
                    .iter()
                    .map(|st| (format!("s|{st}|"), None, *kind, *ty)),
            );
            continue;
        }
        match &key.country {
            Some(c) => {
                entries.push((tkey(*kind, ty, Some(c)), None, *kind, *ty));
                entries.push((tkey(*kind, ty, None), None, *kind, *ty));
            }
            // No country: every country of the type.
            None => entries.push((
                format!("{kind}|{ty}|"),
                Some(format!("{kind}|{ty}}}")),
                *kind,
                *ty,
            )),
        }
    }
    // Bucket -1 (ranges too long to list) and the buckets of the range.
    let spans = [(-1_i64, -1_i64), (lo, hi)];
    let mut found = BTreeSet::new();
    for (from, to, kind, ty) in &entries {
        let filter = DatedFilter {
            plover: (*kind == 'p').then_some(*ty),
            acled: (*kind == 'a').then_some(*ty),
            end: &end,
            start: &start,
            country: key.country.as_deref(),
            bbox,
        };
        index.search(tx, from, to.as_deref(), &spans, &filter, &mut found)?;
    }
    Ok(found.into_iter().take(MAX_CANDIDATES).collect())
}

/// Most fused events of its own story an undated report is compared with (the latest).
const MAX_STORY_CANDIDATES: usize = 200;

/// The fused events a report matches, the best first (ties: the earliest).
fn find_matches(
    tx: &Transaction<'_>,
    key: &MatchKey,
    index: &mut CandidateIndex,
) -> Result<Vec<(f64, i64, MatchKey)>> {
    // A report placed neither in a country nor finely can only fuse with copies of its own
    // story (see `fusion::match_score`): those are looked up under its stories.
    let by_story = key.country.is_none() && !key.located_finely();
    let mut cands: Vec<i64> = match (key.start, key.end) {
        (Some(s), Some(e)) => dated_candidates(tx, index, key, s, e, by_story)?,
        _ => Vec::new(),
    };
    // An undated report: the latest fused events of its own story of a compatible type
    // (copies may lack a date).
    if key.start.is_none() {
        let plover = key.plover.map(|p| p.as_str());
        let family = fusion::family_types(plover, key.acled_type.as_deref(), key.territorial);
        let mut stmt = tx.prepare_cached(
            "SELECT fused_id FROM fused_stories WHERE story_id = ?1 ORDER BY fused_id DESC",
        )?;
        for story in &key.stories {
            let ids = stmt
                .query_map([story], |r| r.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut taken = 0;
            for id in ids {
                if taken == MAX_STORY_CANDIDATES {
                    break;
                }
                let compatible = index.fetch(tx, id)?.is_some_and(|f| {
                    family.iter().any(|(k, t)| {
                        f.cols
                            .type_matches((*k == 'p').then_some(*t), (*k == 'a').then_some(*t))
                    })
                });
                if compatible {
                    taken += 1;
                    if !cands.contains(&id) {
                        cands.push(id);
                    }
                }
            }
        }
    }
    let mut found: Vec<(f64, i64, MatchKey)> = Vec::new();
    for id in cands {
        let read;
        let fkey = match index.get(id).and_then(|f| f.key.as_ref()) {
            Some(k) => k,
            None => match fused_key(tx, id)? {
                Some(k) => {
                    read = k;
                    &read
                }
                None => continue,
            },
        };
        if let Some(score) = fusion::match_score(key, fkey) {
            found.push((score, id, fkey.clone()));
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(found)
}

/// The match key of a fused event written by schema version 1 and not updated since (its
/// match-key columns are empty), from its record. `None` for one with no report yet.
fn fused_key(tx: &Transaction<'_>, id: i64) -> Result<Option<MatchKey>> {
    let (record, n): (String, i64) = tx
        .prepare_cached("SELECT record, n_reports FROM fused_events WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if n == 0 {
        return Ok(None);
    }
    let fused: FusedEvent = serde_json::from_str(&record)?;
    let stories = tx
        .prepare_cached("SELECT story_id FROM fused_stories WHERE fused_id = ?1")?
        .query_map([id], |r| r.get::<_, i64>(0))?
        .collect::<Result<BTreeSet<_>, _>>()?;
    Ok(Some(fusion::key_of_fused(&fused, stories)))
}

/// The values of [`SUMMARY_COLUMNS`] and [`STATE_COLUMNS`] for a fused event, with what it is
/// filed under in the candidate index; the aggregate's JSON (`agg`) only `with_agg`, else
/// NULL.
fn fused_values(
    state: &FusedState,
    f: &FusedEvent,
    with_agg: bool,
) -> Result<(Vec<Value>, Filing)> {
    let key = fusion::key_of_fused(f, BTreeSet::new());
    let join = |s: &BTreeSet<String>| {
        let mut out = String::new();
        for (i, x) in s.iter().enumerate() {
            if i > 0 {
                out.push(SEP);
            }
            out.push_str(x);
        }
        out
    };
    let stories_text = state
        .stories()
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let mut values = fused_summary(f)?;
    values.push(if with_agg {
        Value::Text(to_json(state)?)
    } else {
        Value::Null
    });
    values.extend(
        [
            join(&key.actor_codes),
            join(&key.actor_countries),
            stories_text.clone(),
        ]
        .map(Value::Text),
    );
    let filing = Filing {
        plover: f.plover_type.as_str().to_string(),
        acled: f.acled.as_ref().map(|a| a.event_type.clone()),
        country: f.location.as_ref().and_then(|l| l.country_code.clone()),
        start: date_str(f.match_start),
        end: date_str(f.match_end),
        stories: Some(stories_text),
    };
    Ok((values, filing))
}

/// Statements over the [`SUMMARY_COLUMNS`] and [`STATE_COLUMNS`] of `fused_events`.
struct FusedSql {
    columns: Vec<&'static str>,
    insert: String,
    select: String,
}

fn fused_sql() -> &'static FusedSql {
    static SQL: std::sync::OnceLock<FusedSql> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let columns: Vec<&'static str> = fused_columns().to_vec();
        // The batch's stamp, last, is both its creation and its latest update.
        let insert = format!(
            "INSERT INTO fused_events ({}, record, created_at, updated_at) \
             VALUES ({}, '', ?{n}, ?{n})",
            columns.join(", "),
            (1..=columns.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", "),
            n = columns.len() + 1
        );
        let select = format!(
            "SELECT {} FROM fused_events WHERE id = ?1",
            columns.join(", ")
        );
        FusedSql {
            columns,
            insert,
            select,
        }
    })
}

/// What a fused event's row is filed under in the candidate index.
fn filing_of(row: FusedRow<'_>) -> Filing {
    let text = |name: &str| row.text(name).map(str::to_string);
    Filing {
        plover: text("plover_type").unwrap_or_default(),
        acled: text("acled_type"),
        country: text("country_code"),
        start: text("match_start"),
        end: text("match_end"),
        stories: text("stories"),
    }
}

/// Starts a fused event from its first report: one insert of the whole row, then its actors,
/// document link, story and candidate filing. Returns its id.
fn start_fused(
    tx: &Transaction<'_>,
    member: &Member,
    doc: i64,
    cache: &mut WriteCache,
) -> Result<i64> {
    let mut state = FusedState::default();
    state.add(member);
    // The id is not part of the stored columns (the record is rebuilt from `agg` on read).
    let Some(f) = state.finish_summary(0) else {
        return Err(crate::StoreError::BadQuery(
            "a fused event without reports cannot be stored".into(),
        ));
    };
    let (values, filing) = fused_values(&state, &f, true)?;
    let sql = &fused_sql().insert;
    let stamp = Value::Text(cache.stamp.clone());
    tx.prepare_cached(sql)?.execute(rusqlite::params_from_iter(
        values.iter().chain(std::iter::once(&stamp)),
    ))?;
    let fused_id = tx.last_insert_rowid();
    link_report(tx, fused_id, &f, member, doc, &Linked::default())?;
    file(tx, fused_id, &filing, &mut cache.index)?;
    cache
        .index
        .set(fused_id, KeyCols::from_values(FusedRow(&values)));
    // Its box is written with its row's last values, by `flush_fused`.
    cache.fused.insert(
        fused_id,
        Box::new(CachedFused::new(state, values, filing, None)),
    );
    cache.dirty.insert(fused_id);
    Ok(fused_id)
}

/// What of a report's links to its fused event is stored already.
#[derive(Debug, Default)]
struct Linked<'a> {
    /// Actors (role, code).
    actors: BTreeSet<(&'a str, &'a str)>,
    /// The document (an earlier event of it joined the same fused event).
    document: bool,
    /// The story.
    story: bool,
}

/// Writes the links of a report to its fused event `f` that are not stored yet: actors, the
/// document and the story.
fn link_report(
    tx: &Transaction<'_>,
    fused_id: i64,
    f: &FusedEvent,
    member: &Member,
    doc: i64,
    known: &Linked<'_>,
) -> Result<()> {
    {
        // Names stay those of the first report naming the actor, as in the record.
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO fused_actors (fused_id, role, code, name, country) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (role, actors) in [("source", &f.sources), ("target", &f.targets)] {
            for a in actors {
                if !known.actors.contains(&(role, a.code.as_str())) {
                    stmt.execute(params![fused_id, role, a.code, a.name, a.country])?;
                }
            }
        }
    }
    if !known.document {
        tx.prepare_cached("INSERT OR IGNORE INTO event_documents (fused_id, doc) VALUES (?1, ?2)")?
            .execute(params![fused_id, doc])?;
    }
    if !known.story {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO fused_stories (story_id, fused_id) VALUES (?1, ?2)",
        )?
        .execute(params![member.story_id, fused_id])?;
    }
    Ok(())
}

/// Puts a fused event in the writer's cache ([`WriteCache::fused`]) as stored, unless it is
/// there already. A row written by schema version 1 has no aggregate: it is rebuilt from its
/// members, leaving out the report being added (`adding`). Returns whether it was rebuilt.
pub(crate) fn load_fused(
    tx: &Transaction<'_>,
    fused_id: i64,
    adding: &str,
    cache: &mut WriteCache,
) -> Result<bool> {
    let n = fused_sql().columns.len();
    let mut rebuilt = false;
    if let std::collections::hash_map::Entry::Vacant(slot) = cache.fused.entry(fused_id) {
        // Not written by this connection lately: as stored.
        let old: Vec<Value> = tx
            .prepare_cached(&fused_sql().select)?
            .query_row([fused_id], |r| {
                (0..n).map(|i| r.get::<_, Value>(i)).collect()
            })?;
        let filing = filing_of(FusedRow(&old));
        let state = match FusedRow(&old).text("agg") {
            Some(a) => serde_json::from_str::<FusedState>(a)?,
            None => {
                rebuilt = true;
                rebuild(tx, fused_id, adding)?
            }
        };
        // The stored row's box is what the tree holds.
        let boxed = rtree::box_of_values(FusedRow(&old));
        let mut cached = CachedFused::new(state, old, filing, boxed);
        // The version 1 record is superseded by the aggregate.
        cached.clear_record = rebuilt;
        slot.insert(Box::new(cached));
    }
    Ok(rebuilt)
}

/// Adds one report to an existing fused event: updates its running aggregate and its entry in
/// the candidate index, and adds its new actors, document link, story and candidate filing.
/// Its row is written once per batch, by [`flush_fused`].
fn add_report(
    tx: &Transaction<'_>,
    fused_id: i64,
    member: &Member,
    doc: i64,
    cache: &mut WriteCache,
) -> Result<()> {
    let rebuilt = load_fused(tx, fused_id, &member.event.id, cache)?;
    let WriteCache {
        fused,
        index,
        dirty,
        ..
    } = cache;
    let Some(cached) = fused.get_mut(&fused_id) else {
        return Ok(());
    };
    // Links stored already (a rebuilt aggregate may list some a version 1 row lacks).
    let known_actors: BTreeSet<(String, String)> = if rebuilt {
        BTreeSet::new()
    } else {
        cached
            .state
            .actor_codes()
            .map(|(role, code)| (role.to_string(), code.to_string()))
            .collect()
    };
    let document_linked = !rebuilt && cached.state.last_document_is(&member.document_id);
    let story_linked = !rebuilt && cached.state.has_story(member.story_id);
    cached.state.add(member);
    let Some(f) = cached.state.finish_summary(fused_id) else {
        return Ok(());
    };
    let (values, after) = fused_values(&cached.state, &f, false)?;
    let known = Linked {
        actors: known_actors
            .iter()
            .map(|(r, c)| (r.as_str(), c.as_str()))
            .collect(),
        document: document_linked,
        story: story_linked,
    };
    link_report(tx, fused_id, &f, member, doc, &known)?;
    if after != cached.filing {
        file(tx, fused_id, &after, index)?;
        cached.filing = after;
    }
    index.set(fused_id, KeyCols::from_values(FusedRow(&values)));
    cached.pending = Some(values);
    dirty.insert(fused_id);
    Ok(())
}

/// Writes the rows of the fused events reports were added to since the last call (the columns
/// whose values changed, and the aggregate), and the boxes in `fused_where` of those and of
/// the fused events started since.
fn flush_fused(tx: &Transaction<'_>, cache: &mut WriteCache) -> Result<()> {
    let columns = &fused_sql().columns;
    let agg_at = SUMMARY_COLUMNS.len();
    // A report was added to each event with pending values: its `updated_at` moves on.
    let stamp = Value::Text(cache.stamp.clone());
    for fused_id in std::mem::take(&mut cache.dirty) {
        let Some(cached) = cache.fused.get_mut(&fused_id) else {
            continue;
        };
        let Some(mut values) = cached.pending.take() else {
            // Started in this batch and not joined since: its row is as inserted.
            let now = rtree::box_of_values(FusedRow(&cached.values));
            rtree::sync(tx, fused_id, cached.boxed, now)?;
            cached.boxed = now;
            continue;
        };
        if let Some(agg) = values.get_mut(agg_at) {
            *agg = Value::Text(to_json(&cached.state)?);
        }
        let mut sets: Vec<String> = Vec::new();
        let mut params: Vec<&Value> = Vec::with_capacity(values.len() + 1);
        let id = Value::Integer(fused_id);
        params.push(&id);
        for (i, v) in values.iter().enumerate() {
            if cached.values.get(i) != Some(v) {
                params.push(v);
                sets.push(format!("{} = ?{}", columns[i], params.len()));
            }
        }
        if cached.clear_record {
            sets.push("record = ''".into());
        }
        params.push(&stamp);
        sets.push(format!("updated_at = ?{}", params.len()));
        if !sets.is_empty() {
            tx.prepare_cached(&format!(
                "UPDATE fused_events SET {} WHERE id = ?1",
                sets.join(", ")
            ))?
            .execute(rusqlite::params_from_iter(params))?;
        }
        cached.clear_record = false;
        if let Some(agg) = values.get_mut(agg_at) {
            *agg = Value::Null;
        }
        let now = rtree::box_of_values(FusedRow(&values));
        rtree::sync(tx, fused_id, cached.boxed, now)?;
        cached.boxed = now;
        cached.values = values;
    }
    Ok(())
}

/// The stored values of a fused event's [`SUMMARY_COLUMNS`] and [`STATE_COLUMNS`] and its
/// aggregate, as [`WriteCache`] keeps them (for tests).
#[cfg(test)]
pub(crate) fn stored_fused(
    conn: &rusqlite::Connection,
    id: i64,
) -> Result<(Vec<Value>, FusedState)> {
    let n = fused_sql().columns.len();
    let values: Vec<Value> = conn.query_row(&fused_sql().select, [id], |r| {
        (0..n).map(|i| r.get::<_, Value>(i)).collect()
    })?;
    let state = match values.get(SUMMARY_COLUMNS.len()) {
        Some(Value::Text(a)) => serde_json::from_str(a)?,
        _ => FusedState::default(),
    };
    Ok((values, state))
}

/// The aggregate of a fused event written by schema version 1, rebuilt from its members.
/// The report being added (`adding`, already stored) is left out.
fn rebuild(tx: &Transaction<'_>, fused_id: i64, adding: &str) -> Result<FusedState> {
    let mut state = FusedState::default();
    let mut stmt = tx.prepare_cached(
        "SELECT e.data, d.id, d.outlet, d.story_id, d.published_at, e.sentence_text \
         FROM events e JOIN documents d ON d.rowid_ = e.doc \
         WHERE e.fused_id = ?1 AND e.id != ?2 ORDER BY d.rowid_, e.idx",
    )?;
    let rows = stmt.query_map(params![fused_id, adding], |r| {
        Ok((
            r.get::<_, Packed>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    for row in rows {
        let (data, document_id, outlet, story_id, published, sentence_text) = row?;
        state.add(&Member {
            event: serde_json::from_str(&data.0)?,
            document_id,
            outlet,
            story_id,
            published_at: published.as_deref().and_then(parse_day),
            sentence_text,
            // the rebuild of a schema-1 aggregate reads no text: copies and outlets only
            credits: Vec::new(),
        });
    }
    Ok(state)
}
