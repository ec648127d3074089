//! Schema and migrations, versioned by `PRAGMA user_version`.
//!
//! Each entry of [`MIGRATIONS`] moves the schema one version forward and runs in its own
//! transaction together with the version bump, so a crash mid-migration leaves the previous
//! version intact. Never edit a released migration; append a new one.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// Migrations, in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    // Version 1: the initial schema.
    r#"
    CREATE TABLE stories (
        id              INTEGER PRIMARY KEY,
        first_document  TEXT NOT NULL,
        n_documents     INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE documents (
        rowid_          INTEGER PRIMARY KEY,
        id              TEXT NOT NULL UNIQUE,
        url             TEXT,
        outlet          TEXT,
        title           TEXT,
        author          TEXT,
        published_at    TEXT,
        language        TEXT,
        origin_format   TEXT,
        origin_path     TEXT,
        origin_offset   INTEGER,
        origin_index    INTEGER,
        text            TEXT NOT NULL,
        schema_version  TEXT NOT NULL,
        -- boilerplate, sentences and warnings of the extraction, as JSON
        extras          TEXT NOT NULL,
        story_id        INTEGER NOT NULL REFERENCES stories(id),
        nearest_copy    TEXT,
        similarity      REAL,
        minhash         BLOB NOT NULL,
        ingested_at     TEXT NOT NULL
    );
    CREATE INDEX documents_story ON documents(story_id);
    CREATE INDEX documents_published ON documents(published_at);
    CREATE INDEX documents_outlet ON documents(outlet);

    -- LSH bands of the MinHash signatures: documents sharing a key are copy candidates.
    CREATE TABLE copy_bands (
        key             INTEGER NOT NULL,
        doc             INTEGER NOT NULL REFERENCES documents(rowid_),
        PRIMARY KEY (key, doc)
    ) WITHOUT ROWID;

    CREATE TABLE mentions (
        doc             INTEGER NOT NULL REFERENCES documents(rowid_),
        idx             INTEGER NOT NULL,
        kind            TEXT NOT NULL,
        start_          INTEGER NOT NULL,
        end_            INTEGER NOT NULL,
        sentence        INTEGER NOT NULL,
        -- actor code, geonameid or normalised value, for lookups
        key             TEXT,
        data            TEXT NOT NULL,
        PRIMARY KEY (doc, idx)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_key ON mentions(kind, key);

    CREATE TABLE fused_events (
        id              INTEGER PRIMARY KEY,
        plover_type     TEXT NOT NULL,
        acled_type      TEXT,
        acled_sub_type  TEXT,
        cameo_root      TEXT,
        -- best date (finest precision) and the union of all members' ranges (for matching)
        date_start      TEXT,
        date_end        TEXT,
        time_precision  TEXT,
        match_start     TEXT,
        match_end       TEXT,
        -- best location
        location_name   TEXT,
        geonameid       INTEGER,
        lat             REAL,
        lon             REAL,
        geo_precision   TEXT,
        country_code    TEXT,
        admin1          TEXT,
        fatalities      INTEGER,
        n_reports       INTEGER NOT NULL,
        n_documents     INTEGER NOT NULL,
        n_sources       INTEGER NOT NULL,
        n_outlets       INTEGER NOT NULL,
        earliest_report TEXT,
        earliest_document TEXT,
        modality        TEXT NOT NULL,
        confidence      REAL NOT NULL,
        n_contradictions INTEGER NOT NULL,
        -- the full record (FusedEvent) as JSON
        record          TEXT NOT NULL
    );
    CREATE INDEX fused_date ON fused_events(date_start);
    CREATE INDEX fused_match ON fused_events(plover_type, match_start);
    CREATE INDEX fused_acled_match ON fused_events(acled_type, match_start);
    CREATE INDEX fused_latlon ON fused_events(lat, lon);
    CREATE INDEX fused_country ON fused_events(country_code, date_start);
    CREATE INDEX fused_sources ON fused_events(n_sources);

    CREATE TABLE events (
        id              TEXT PRIMARY KEY,
        doc             INTEGER NOT NULL REFERENCES documents(rowid_),
        idx             INTEGER NOT NULL,
        plover_type     TEXT NOT NULL,
        acled_type      TEXT,
        acled_sub_type  TEXT,
        date_start      TEXT,
        date_end        TEXT,
        time_precision  TEXT,
        lat             REAL,
        lon             REAL,
        geo_precision   TEXT,
        country_code    TEXT,
        modality        TEXT NOT NULL,
        fused_id        INTEGER REFERENCES fused_events(id),
        sentence_text   TEXT NOT NULL,
        data            TEXT NOT NULL
    );
    CREATE INDEX events_doc ON events(doc);
    CREATE INDEX events_fused ON events(fused_id);
    CREATE INDEX events_date ON events(date_start);

    CREATE TABLE fused_event_members (
        fused_id        INTEGER NOT NULL REFERENCES fused_events(id),
        event_id        TEXT NOT NULL REFERENCES events(id),
        PRIMARY KEY (fused_id, event_id)
    ) WITHOUT ROWID;

    -- Which documents report which fused event.
    CREATE TABLE event_documents (
        fused_id        INTEGER NOT NULL REFERENCES fused_events(id),
        doc             INTEGER NOT NULL REFERENCES documents(rowid_),
        PRIMARY KEY (fused_id, doc)
    ) WITHOUT ROWID;
    CREATE INDEX event_documents_doc ON event_documents(doc);

    CREATE TABLE fused_actors (
        fused_id        INTEGER NOT NULL REFERENCES fused_events(id),
        role            TEXT NOT NULL,
        code            TEXT NOT NULL,
        name            TEXT NOT NULL,
        country         TEXT,
        PRIMARY KEY (fused_id, role, code)
    ) WITHOUT ROWID;
    CREATE INDEX fused_actors_code ON fused_actors(code COLLATE NOCASE);

    -- Full-text index over title and text (external content: the text is stored once).
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='rowid_'
    );
    "#,
    // Version 2 (store speed): fused events keep their running aggregate (`agg`, compact JSON
    // of `fusion::FusedState`) so a new report updates them without re-reading the others, and
    // their match keys in columns and lookup tables so candidate search reads no JSON.
    // Fused events written by version 1 have `agg` NULL: the first report that joins one
    // rebuilds its aggregate from its members once. They are entered in `fused_buckets` with
    // bucket -1 (always a candidate for their type) until they are next updated.
    r#"
    ALTER TABLE fused_events ADD COLUMN agg TEXT;
    -- identifying actor codes and actor countries, separated by U+001F; stories, by spaces
    ALTER TABLE fused_events ADD COLUMN actor_codes TEXT;
    ALTER TABLE fused_events ADD COLUMN actor_countries TEXT;
    ALTER TABLE fused_events ADD COLUMN stories TEXT;
    -- the lead of the document for copy detection (copies::Lead), NULL for older documents
    ALTER TABLE documents ADD COLUMN lead BLOB;

    -- Candidate index: `tkey` is 'p|<PLOVER type>|<COUNTRY>' or 'a|<ACLED type>|<COUNTRY>'
    -- (country upper-case, empty when unknown), or 's|<story id>|' for the stories reporting it; `bucket` is the day number (from the common
    -- era) divided by 8, one row per bucket of the matching range, or -1 for a range too long
    -- to list. Rows are only added: a stale row costs a candidate, never a match.
    CREATE TABLE fused_buckets (
        tkey            TEXT NOT NULL,
        bucket          INTEGER NOT NULL,
        fused_id        INTEGER NOT NULL REFERENCES fused_events(id),
        PRIMARY KEY (tkey, bucket, fused_id)
    ) WITHOUT ROWID;

    -- Which stories report which fused event (copies of one story fuse even when undated).
    CREATE TABLE fused_stories (
        story_id        INTEGER NOT NULL,
        fused_id        INTEGER NOT NULL REFERENCES fused_events(id),
        PRIMARY KEY (story_id, fused_id)
    ) WITHOUT ROWID;

    INSERT OR IGNORE INTO fused_stories (story_id, fused_id)
        SELECT DISTINCT d.story_id, ed.fused_id
        FROM event_documents ed JOIN documents d ON d.rowid_ = ed.doc;
    INSERT OR IGNORE INTO fused_buckets (tkey, bucket, fused_id)
        SELECT 'p|' || plover_type || '|' || upper(coalesce(country_code, '')), -1, id
        FROM fused_events;
    INSERT OR IGNORE INTO fused_buckets (tkey, bucket, fused_id)
        SELECT 's|' || story_id || '|', -1, fused_id FROM fused_stories;
    INSERT OR IGNORE INTO fused_buckets (tkey, bucket, fused_id)
        SELECT 'a|' || acled_type || '|' || upper(coalesce(country_code, '')), -1, id
        FROM fused_events WHERE acled_type IS NOT NULL;
    "#,
    // Version 3: indexes for large databases (measured at a million events, see
    // docs/performance.md). An R*Tree over (lon, lat, day) of the fused events, for `bbox` and
    // `since`/`until` filters (query.rs). Each dated event is one box: its point, and the days
    // from `date_start` to `date_end` (Julian day numbers). Events with a date but no
    // coordinates sit at lon = lat = 1000, outside every valid bbox, so date-only filters still
    // find them; undated events are left out (no date filter can match them). Triggers keep it
    // in step with `fused_events`, whatever code writes there.
    r#"
    CREATE VIRTUAL TABLE fused_where USING rtree(
        id, min_lon, max_lon, min_lat, max_lat, min_day, max_day
    );

    CREATE VIEW fused_where_source AS
    SELECT id,
           COALESCE(lon, 1000.0) AS lon,
           COALESCE(lat, 1000.0) AS lat,
           min(julianday(date_start), julianday(COALESCE(date_end, date_start))) AS d0,
           max(julianday(date_start), julianday(COALESCE(date_end, date_start))) AS d1
    FROM fused_events;

    CREATE TRIGGER fused_where_insert AFTER INSERT ON fused_events
    WHEN julianday(new.date_start) IS NOT NULL
    BEGIN
        INSERT INTO fused_where
        SELECT id, lon, lon, lat, lat, d0, d1 FROM fused_where_source
        WHERE id = new.id AND d0 IS NOT NULL;
    END;

    CREATE TRIGGER fused_where_update AFTER UPDATE OF id, lat, lon, date_start, date_end
    ON fused_events
    WHEN new.id IS NOT old.id OR new.lat IS NOT old.lat OR new.lon IS NOT old.lon
         OR new.date_start IS NOT old.date_start OR new.date_end IS NOT old.date_end
    BEGIN
        DELETE FROM fused_where WHERE id = old.id;
        INSERT INTO fused_where
        SELECT id, lon, lon, lat, lat, d0, d1 FROM fused_where_source
        WHERE id = new.id AND d0 IS NOT NULL;
    END;

    CREATE TRIGGER fused_where_delete AFTER DELETE ON fused_events
    BEGIN
        DELETE FROM fused_where WHERE id = old.id;
    END;

    INSERT INTO fused_where
    SELECT id, lon, lon, lat, lat, d0, d1 FROM fused_where_source WHERE d0 IS NOT NULL;

    -- The order of `Store::events` (undated last, then date, then id), so an unfiltered page
    -- reads only its own rows instead of sorting the whole table.
    CREATE INDEX fused_order ON fused_events(date_start IS NULL, date_start);
    -- Covers the totals of `Store::stats` (count, reports) and its per-type counts, so they
    -- read an index rather than every full record.
    CREATE INDEX fused_stats ON fused_events(plover_type, n_reports);
    "#,
    // Version 4 (ingest speed): a document's mentions are one row, a JSON array of
    // `[id, start, end, sentence, data]` in id order, instead of one row per mention (about 47
    // rows and an index entry each per news report). The `kind` and `key` columns of the old
    // table were derived from `data`; nothing else is dropped. No query looked mentions up by
    // key, so the `mentions_key` index goes with the table.
    r#"
    CREATE TABLE document_mentions (
        doc             INTEGER PRIMARY KEY REFERENCES documents(rowid_),
        -- number of mentions (for counts without parsing `data`)
        n               INTEGER NOT NULL,
        data            TEXT NOT NULL
    );
    INSERT INTO document_mentions (doc, n, data)
        SELECT doc, count(*),
               json_group_array(json_array(idx, start_, end_, sentence, json(data)) ORDER BY idx)
        FROM mentions GROUP BY doc;
    DROP TABLE mentions;

    -- Indexes no query reads: candidate search goes through `fused_buckets` and reads
    -- `match_start` only on the rows it finds, the ACLED filter compares without case (which
    -- a BINARY index cannot serve), and events are looked up by document and fused event only.
    -- Each cost a B-tree update per stored event.
    DROP INDEX fused_match;
    DROP INDEX fused_acled_match;
    DROP INDEX events_date;

    -- Which events a fused event merges is `events.fused_id` (indexed by `events_fused`); this
    -- table held the same pairs a second time and no query read it.
    DROP TABLE fused_event_members;
    "#,
    // Version 5 (ingest speed): the R*Tree `fused_where` is kept by the code that writes fused
    // events (see rtree.rs), once per event per batch, instead of by triggers that fired on
    // every insert and move. The view stays as the definition of each event's box; deleting
    // a fused event still deletes its box through the trigger.
    r#"
    DROP TRIGGER IF EXISTS fused_where_insert;
    DROP TRIGGER IF EXISTS fused_where_update;
    "#,
    // Version 6 (ingest speed): `copy_bands` without its foreign key. A document's 42 band
    // rows are written by one multi-row insert, which SQLite compiles as a SELECT; a statement
    // that writes several rows and may abort (a foreign key can) gets a statement journal, into
    // which every existing page it changes is first copied whole. Without the foreign key and
    // with INSERT OR IGNORE nothing can abort it. The rows are only ever written by the insert
    // that follows the document's own (put.rs), with that document's rowid.
    r#"
    CREATE TABLE copy_bands_v6 (
        key             INTEGER NOT NULL,
        doc             INTEGER NOT NULL,
        PRIMARY KEY (key, doc)
    ) WITHOUT ROWID;
    INSERT INTO copy_bands_v6 (key, doc) SELECT key, doc FROM copy_bands;
    DROP TABLE copy_bands;
    ALTER TABLE copy_bands_v6 RENAME TO copy_bands;
    "#,
    // Version 7 (ingest speed at scale): the running aggregate (`agg`) no longer keeps each
    // report's claims (casualty counts, perpetrators, hedging, denials, days), which made it
    // grow with every report: the largest reached 279 KB at 100,000 articles and was rewritten
    // at every commit. It keeps whether reports disagree; the claims of a record's
    // contradictions are read from its reports (`events`) when the record is read. The
    // aggregates stored by version 6 are rewritten to the new form.
    r#"
    UPDATE fused_events SET agg = json_remove(
        json_set(agg,
            '$.any_hedged', json(iif(json_array_length(agg, '$.hedged') > 0, 'true', 'false')),
            '$.any_denied', json(iif(json_array_length(agg, '$.denied') > 0, 'true', 'false')),
            '$.first_day', json_extract(agg, '$.days[0][0]'),
            '$.days_differ', json(iif(EXISTS (
                SELECT 1 FROM json_each(agg, '$.days') AS d
                WHERE json_extract(d.value, '$[0]') IS NOT json_extract(agg, '$.days[0][0]')
            ), 'true', 'false'))),
        '$.killed_claims', '$.perpetrator_claims', '$.hedged', '$.denied', '$.days')
    WHERE agg IS NOT NULL;
    "#,
    // Version 8 (ingest speed): `events` without the unique index on its text `id`. Event ids
    // are `<document id>:<index>`, so `(doc, idx)` is as unique, and its index, unlike one on
    // the id (a hash), only ever grows at its end. No query looks an event up by its id.
    r#"
    CREATE TABLE events_v8 (
        id              TEXT NOT NULL,
        doc             INTEGER NOT NULL REFERENCES documents(rowid_),
        idx             INTEGER NOT NULL,
        plover_type     TEXT NOT NULL,
        acled_type      TEXT,
        acled_sub_type  TEXT,
        date_start      TEXT,
        date_end        TEXT,
        time_precision  TEXT,
        lat             REAL,
        lon             REAL,
        geo_precision   TEXT,
        country_code    TEXT,
        modality        TEXT NOT NULL,
        fused_id        INTEGER REFERENCES fused_events(id),
        sentence_text   TEXT NOT NULL,
        data            TEXT NOT NULL
    );
    INSERT INTO events_v8 (id, doc, idx, plover_type, acled_type, acled_sub_type, date_start,
                           date_end, time_precision, lat, lon, geo_precision, country_code,
                           modality, fused_id, sentence_text, data)
        SELECT id, doc, idx, plover_type, acled_type, acled_sub_type, date_start, date_end,
               time_precision, lat, lon, geo_precision, country_code, modality, fused_id,
               sentence_text, data
        FROM events ORDER BY rowid;
    DROP TABLE events;
    ALTER TABLE events_v8 RENAME TO events;
    CREATE UNIQUE INDEX events_doc ON events(doc, idx);
    CREATE INDEX events_fused ON events(fused_id);
    "#,
    // Version 9 (reading records): what a record's claims quote of each event (its document,
    // outlet, casualty count and perpetrators: compact JSON of `fusion::StoredReport`), and
    // an index holding them in the order a fused event's claims list them, so that listing
    // the claims of a fused event with thousands of reports reads that index alone rather than
    // every report's row (each 1.5 KB, scattered over the table). It replaces `events_fused`,
    // its prefix. Events stored before are left NULL there and are parsed from `data`.
    r#"
    ALTER TABLE events ADD COLUMN claims TEXT;
    CREATE INDEX events_claims
        ON events(fused_id, doc, idx, id, modality, time_precision, date_start, claims);
    DROP INDEX events_fused;
    "#,
    // Version 10 (ingest speed and size): `events.data` and `document_mentions.data` are
    // written as BLOBs, a dictionary id and a zstd frame (see codec.rs), at a quarter of the
    // size. Nothing is rewritten: rows stored before stay TEXT and are read as they are. The
    // version still changes so that an older frontline, which cannot read the BLOBs, refuses
    // the file instead of failing on its rows.
    r#"
    -- no table changes
    "#,
    // Version 11 (ingest speed at scale): the writer files band rows in `copy_bands` in
    // batches of many documents, sorted by key, instead of 42 random keys with every document
    // (see `file_bands` in put.rs). `copy_bands_filed.upto` is the rowid up to which every
    // document's band rows are in `copy_bands`; a writer files the documents above it (from
    // their stored signature) before it looks a band up, so documents a killed run left
    // unfiled are filed by the next one. Every document stored before has its rows.
    r#"
    CREATE TABLE copy_bands_filed (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        upto            INTEGER NOT NULL
    );
    INSERT INTO copy_bands_filed (id, upto) SELECT 1, coalesce(max(rowid_), 0) FROM documents;
    "#,
    // Version 12 (incremental sync, issue 23 item 13): when each fused event was created and
    // last updated (a report added to it), UTC, `YYYY-MM-DDTHH:MM:SS.sssZ` (so that text order
    // is time order), for `updated_since`. The writer stamps the events it starts or adds a
    // report to with the batch's time (put.rs). Events stored before take the earliest and
    // the latest `ingested_at` of their documents, or the time of the migration when they have
    // none (events inserted in bulk). Nothing else changes.
    r#"
    ALTER TABLE fused_events ADD COLUMN created_at TEXT;
    ALTER TABLE fused_events ADD COLUMN updated_at TEXT;
    UPDATE fused_events SET
        created_at = (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', min(julianday(d.ingested_at)))
                      FROM event_documents ed JOIN documents d ON d.rowid_ = ed.doc
                      WHERE ed.fused_id = fused_events.id),
        updated_at = (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(julianday(d.ingested_at)))
                      FROM event_documents ed JOIN documents d ON d.rowid_ = ed.doc
                      WHERE ed.fused_id = fused_events.id);
    UPDATE fused_events SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE created_at IS NULL;
    UPDATE fused_events SET updated_at = created_at WHERE updated_at IS NULL;
    CREATE INDEX fused_updated ON fused_events(updated_at);
    "#,
    // Version 13 (FU70, merging the records a later report links, put/merge.rs): a merge moves
    // the candidate filings and stories of one fused event to another, which without these
    // read the whole of `fused_buckets` and `fused_stories` (their keys start with the type and
    // the story) once per merge.
    r#"
    CREATE INDEX IF NOT EXISTS fused_buckets_fused ON fused_buckets(fused_id);
    CREATE INDEX IF NOT EXISTS fused_stories_fused ON fused_stories(fused_id);
    "#,
];

/// Newest schema version this build knows.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database to [`SCHEMA_VERSION`].
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the write lock.
        let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now >= version {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {version}"))?;
        tx.commit()?;
        tracing::info!(version, "migrated database schema");
    }
    Ok(())
}
