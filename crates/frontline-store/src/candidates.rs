//! The writer's in-memory copy of the fusion candidate index.
//!
//! Fusion looks for the fused events a new report may join among those filed in
//! `fused_buckets` under its type and country (or its story), in the date buckets its range
//! touches, and filters them on their match-key columns of `fused_events` (see
//! `put::dated_candidates`). Doing that in SQL cost several queries per report. The writer
//! now loads, the first time it needs them, all the index entries under one type (or story),
//! with the match-key columns of the fused events they point to, and answers from memory; what
//! it files or changes afterwards it also records here. The answers are those the queries gave:
//! the same entries, the same filter (written out in [`DatedFilter::passes`] with SQL's rules
//! for NULL and `COLLATE NOCASE`), the same order.
//!
//! The columns kept here are those of the fused event's latest state, which may be newer than
//! its row: the writer updates a fused event's row once per batch (see `put::flush_fused`).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use frontline_model::PloverType;
use rusqlite::{OptionalExtension, Transaction};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::Result;
use crate::columns::{FusedRow, SEP, parse_day, parse_precision};
use crate::fusion::MatchKey;

/// Columns of `fused_events` a match key is built from, the id first (see
/// [`KeyCols::from_row`]).
pub(crate) const KEY_COLUMNS: &str = "f.id, f.plover_type, f.acled_type, f.match_start, \
     f.match_end, f.lat, f.lon, f.geonameid, f.geo_precision, f.country_code, f.admin1, \
     f.actor_codes, f.actor_countries, f.stories, f.agg IS NULL, f.n_reports, f.location_name, \
     f.acled_sub_type";

/// Names of the [`KEY_COLUMNS`] after the id and before `agg IS NULL`, in order.
const KEY_NAMES: [&str; 13] = [
    "plover_type",
    "acled_type",
    "match_start",
    "match_end",
    "lat",
    "lon",
    "geonameid",
    "geo_precision",
    "country_code",
    "admin1",
    "actor_codes",
    "actor_countries",
    "stories",
];

/// The match-key columns of one fused event, as stored (or as they will be stored).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KeyCols {
    plover: String,
    acled: Option<String>,
    match_start: Option<String>,
    match_end: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    geonameid: Option<i64>,
    geo_precision: Option<String>,
    country: Option<String>,
    admin1: Option<String>,
    actor_codes: Option<String>,
    actor_countries: Option<String>,
    stories: Option<String>,
    /// Written by schema version 1 (`agg` NULL): its key is read from its record instead.
    old: bool,
    n_reports: i64,
    /// The record's place name (whether it is a town named like its province, FU35).
    location_name: Option<String>,
    /// The record's ACLED sub-event type (whether it tells a place changing hands, FU40).
    acled_sub: Option<String>,
}

impl KeyCols {
    /// The columns of a row holding [`KEY_COLUMNS`] from column `o` on (the id, column `o`,
    /// is not read).
    pub(crate) fn from_row(r: &rusqlite::Row<'_>, o: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            plover: r.get(o + 1)?,
            acled: r.get(o + 2)?,
            match_start: r.get(o + 3)?,
            match_end: r.get(o + 4)?,
            lat: r.get(o + 5)?,
            lon: r.get(o + 6)?,
            geonameid: r.get(o + 7)?,
            geo_precision: r.get(o + 8)?,
            country: r.get(o + 9)?,
            admin1: r.get(o + 10)?,
            actor_codes: r.get(o + 11)?,
            actor_countries: r.get(o + 12)?,
            stories: r.get(o + 13)?,
            old: r.get(o + 14)?,
            n_reports: r.get(o + 15)?,
            location_name: r.get(o + 16)?,
            acled_sub: r.get(o + 17)?,
        })
    }

    /// The columns among the values the writer writes to a fused event's row (which always
    /// include the aggregate).
    pub(crate) fn from_values(row: FusedRow<'_>) -> Self {
        let text = |name: &str| row.text(name).map(str::to_string);
        let [
            plover,
            acled,
            match_start,
            match_end,
            lat,
            lon,
            geonameid,
            geo_precision,
            country,
            admin1,
            actor_codes,
            actor_countries,
            stories,
        ] = KEY_NAMES;
        Self {
            plover: text(plover).unwrap_or_default(),
            acled: text(acled),
            match_start: text(match_start),
            match_end: text(match_end),
            lat: row.real(lat),
            lon: row.real(lon),
            geonameid: row.int(geonameid),
            geo_precision: text(geo_precision),
            country: text(country),
            admin1: text(admin1),
            actor_codes: text(actor_codes),
            actor_countries: text(actor_countries),
            stories: text(stories),
            old: false,
            n_reports: row.int("n_reports").unwrap_or(0),
            location_name: text("location_name"),
            acled_sub: text("acled_sub_type"),
        }
    }

    /// The match key; `None` for a fused event with no report yet or one written by schema
    /// version 1 (see `put::fused_key`).
    pub(crate) fn key(&self) -> Option<MatchKey> {
        if self.old || self.n_reports == 0 {
            return None;
        }
        let list = |s: &Option<String>| -> BTreeSet<String> {
            s.as_deref()
                .unwrap_or("")
                .split(SEP)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        let precision = parse_precision(self.geo_precision.clone());
        let names_province = precision.is_some_and(|p| {
            crate::fusion::place_names_its_province(
                self.location_name.as_deref().unwrap_or(""),
                self.admin1.as_deref(),
                p,
            )
        });
        Some(MatchKey {
            names_province,
            territorial: crate::fusion::territorial_type(
                Some(self.plover.as_str()),
                self.acled_sub.as_deref(),
            ),
            acled_sub: self.acled_sub.clone(),
            plover: PloverType::parse(&self.plover),
            acled_type: self.acled.clone(),
            start: self.match_start.as_deref().and_then(parse_day),
            end: self.match_end.as_deref().and_then(parse_day),
            lat: self.lat,
            lon: self.lon,
            geonameid: self.geonameid.map(|g| g as u64),
            precision,
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            actor_codes: list(&self.actor_codes),
            actor_countries: list(&self.actor_countries),
            stories: self
                .stories
                .as_deref()
                .unwrap_or_default()
                .split(' ')
                .filter_map(|s| s.parse().ok())
                .collect(),
        })
    }

    /// Whether the type is compatible: the same PLOVER type, or the same ACLED event type.
    pub(crate) fn type_matches(&self, plover: Option<&str>, acled: Option<&str>) -> bool {
        plover.is_some_and(|p| self.plover == p)
            || acled.is_some_and(|a| self.acled.as_deref() == Some(a))
    }
}

/// The filter of the dated candidate search, as SQL would evaluate it on a fused event's
/// columns:
///
/// ```sql
/// (plover_type = :plover OR (:acled IS NOT NULL AND acled_type = :acled))
/// AND match_start <= :end AND match_end >= :start
/// AND (:country IS NULL OR country_code IS NULL OR country_code = :country COLLATE NOCASE)
/// AND (:box IS NULL OR lat IS NULL OR geo_precision NOT IN ('point', 'admin2')
///      OR (lat BETWEEN :lat0 AND :lat1 AND lon BETWEEN :lon0 AND :lon1))
/// ```
#[derive(Debug, Clone, Copy)]
pub(crate) struct DatedFilter<'a> {
    pub(crate) plover: Option<&'a str>,
    pub(crate) acled: Option<&'a str>,
    /// Latest `match_start` accepted (`YYYY-MM-DD`, compared as text).
    pub(crate) end: &'a str,
    /// Earliest `match_end` accepted.
    pub(crate) start: &'a str,
    pub(crate) country: Option<&'a str>,
    /// `(lat0, lat1, lon0, lon1)` around a finely located report.
    pub(crate) bbox: Option<(f64, f64, f64, f64)>,
}

impl DatedFilter<'_> {
    /// Whether a fused event with these columns passes.
    pub(crate) fn passes(&self, c: &KeyCols) -> bool {
        // A NULL in a comparison is never true.
        let dates = match (&c.match_start, &c.match_end) {
            (Some(s), Some(e)) => s.as_str() <= self.end && e.as_str() >= self.start,
            _ => false,
        };
        let country = match (self.country, &c.country) {
            (Some(want), Some(have)) => have.eq_ignore_ascii_case(want),
            _ => true,
        };
        let place = match self.bbox {
            None => true,
            Some((lat0, lat1, lon0, lon1)) => {
                c.lat.is_none()
                    // `NOT IN` on a NULL precision is NULL, not true.
                    || c.geo_precision
                        .as_deref()
                        .is_some_and(|p| p != "point" && p != "admin2")
                    || (c.lat.is_some_and(|l| l >= lat0 && l <= lat1)
                        && c.lon.is_some_and(|l| l >= lon0 && l <= lon1))
            }
        };
        c.type_matches(self.plover, self.acled) && dates && country && place
    }
}

/// A fused event as the index knows it: its columns and the key built from them.
#[derive(Debug, Clone)]
pub(crate) struct Indexed {
    pub(crate) cols: KeyCols,
    pub(crate) key: Option<MatchKey>,
}

impl Indexed {
    fn new(cols: KeyCols) -> Self {
        Self {
            key: cols.key(),
            cols,
        }
    }
}

/// Most fused events the index keeps (about 1.5 KB each, so about 450 MB at most) before it
/// starts again. Below the number of fused events under the common types, the index would
/// start again at every batch and reload them all: with 60,000, an ingest of 100,000
/// generated articles (about 226,000 fused events) slowed to about 110 articles/s past the
/// first 45,000. A more compact entry is the way to a smaller bound.
pub(crate) const MAX_INDEXED: usize = 300_000;

/// The entries of `fused_buckets` under the prefixes loaded so far, and the latest columns of
/// the fused events they point to (and of every fused event this writer has written).
#[derive(Debug, Default)]
pub(crate) struct CandidateIndex {
    /// Prefixes (`p|TYPE|`, `a|TYPE|`, `s|STORY|`) whose entries are all in `filed`.
    loaded: FxHashSet<String>,
    /// Index key -> bucket -> fused event ids, ascending.
    filed: BTreeMap<String, BTreeMap<i64, Vec<i64>>>,
    /// Fused event id -> its latest columns (boxed: a map of 300-byte values moved them all
    /// whenever it grew).
    rows: FxHashMap<i64, Box<Indexed>>,
}

/// The part of an index key its entries are loaded by: up to and including its second `|`.
fn prefix_of(tkey: &str) -> &str {
    match tkey.match_indices('|').nth(1) {
        Some((i, _)) => &tkey[..=i],
        None => tkey,
    }
}

/// The smallest string after every string that starts with `prefix` (which ends in `|`).
fn prefix_end(prefix: &str) -> String {
    match prefix.strip_suffix('|') {
        Some(p) => format!("{p}}}"),
        None => format!("{prefix}\u{10ffff}"),
    }
}

impl CandidateIndex {
    /// Number of fused events known.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        self.loaded.clear();
        self.filed.clear();
        self.rows.clear();
    }

    /// The fused events known, with their columns.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&i64, &Indexed)> {
        self.rows.iter().map(|(id, r)| (id, &**r))
    }

    /// A known fused event.
    pub(crate) fn get(&self, id: i64) -> Option<&Indexed> {
        self.rows.get(&id).map(|r| &**r)
    }

    /// A fused event, read from its row when not known yet; `None` when there is no such row.
    pub(crate) fn fetch(&mut self, tx: &Transaction<'_>, id: i64) -> Result<Option<&Indexed>> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.rows.entry(id) {
            let cols = tx
                .prepare_cached(&format!(
                    "SELECT {KEY_COLUMNS} FROM fused_events f WHERE f.id = ?1"
                ))?
                .query_row([id], |r| KeyCols::from_row(r, 0))
                .optional()?;
            match cols {
                Some(c) => e.insert(Box::new(Indexed::new(c))),
                None => return Ok(None),
            };
        }
        Ok(self.rows.get(&id).map(|r| &**r))
    }

    /// Forgets a fused event merged into another (FU70): searches pass over entries whose
    /// fused event is not known, so its entries need not be removed one by one.
    pub(crate) fn forget(&mut self, id: i64) {
        self.rows.remove(&id);
    }

    /// Records a fused event's latest columns.
    pub(crate) fn set(&mut self, id: i64, cols: KeyCols) {
        match self.rows.get_mut(&id) {
            Some(known) if known.cols == cols => {}
            Some(known) => **known = Indexed::new(cols),
            None => {
                self.rows.insert(id, Box::new(Indexed::new(cols)));
            }
        }
    }

    /// Whether `fused_buckets` holds this entry, as far as the index knows: only entries under
    /// a loaded prefix are known (all of them are, those loaded and those filed since), so
    /// `false` means absent or not known.
    pub(crate) fn is_filed(&self, tkey: &str, bucket: i64, id: i64) -> bool {
        self.loaded.contains(prefix_of(tkey))
            && self
                .filed
                .get(tkey)
                .and_then(|b| b.get(&bucket))
                .is_some_and(|ids| ids.binary_search(&id).is_ok())
    }

    /// Records an entry just added to `fused_buckets` (kept only under a loaded prefix: an
    /// unloaded one reads it from the table when it loads).
    pub(crate) fn file(&mut self, tkey: &str, bucket: i64, id: i64) {
        if !self.loaded.contains(prefix_of(tkey)) {
            return;
        }
        let ids = match self.filed.get_mut(tkey) {
            Some(b) => b.entry(bucket).or_default(),
            None => self
                .filed
                .entry(tkey.to_string())
                .or_default()
                .entry(bucket)
                .or_default(),
        };
        if let Err(at) = ids.binary_search(&id) {
            ids.insert(at, id);
        }
    }

    /// Loads the entries under the prefix of `tkey`, unless loaded already.
    fn load(&mut self, tx: &Transaction<'_>, tkey: &str) -> Result<()> {
        let prefix = prefix_of(tkey);
        if self.loaded.contains(prefix) {
            return Ok(());
        }
        // The entries first, then the columns of each fused event not known yet, once: an
        // event is filed under several buckets, and the columns after its aggregate sit
        // behind it, in overflow pages when the aggregate is large.
        let entries: Vec<(String, i64, i64)> = tx
            .prepare_cached(
                "SELECT tkey, bucket, fused_id FROM fused_buckets \
                 WHERE tkey >= ?1 AND tkey < ?2 ORDER BY tkey, bucket, fused_id",
            )?
            .query_map(rusqlite::params![prefix, prefix_end(prefix)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<std::result::Result<_, _>>()?;
        for (tkey, bucket, id) in entries {
            // A fused event known already is known as it is now (its row may be older); an
            // entry whose fused event has no row is left out.
            if self.fetch(tx, id)?.is_none() {
                continue;
            }
            let ids = self
                .filed
                .entry(tkey)
                .or_default()
                .entry(bucket)
                .or_default();
            if let Err(at) = ids.binary_search(&id) {
                ids.insert(at, id);
            }
        }
        self.loaded.insert(prefix.to_string());
        Ok(())
    }

    /// The fused events filed under index keys from `from` (exactly `from` when `to` is
    /// `None`, else up to `to`, excluded) in the given bucket spans that pass `filter`, added
    /// to `found`.
    pub(crate) fn search(
        &mut self,
        tx: &Transaction<'_>,
        from: &str,
        to: Option<&str>,
        spans: &[(i64, i64)],
        filter: &DatedFilter<'_>,
        found: &mut BTreeSet<i64>,
    ) -> Result<()> {
        self.load(tx, from)?;
        let upper = match to {
            Some(t) if t > from => Bound::Excluded(t),
            Some(_) => return Ok(()),
            None => Bound::Included(from),
        };
        for (_, buckets) in self.filed.range::<str, _>((Bound::Included(from), upper)) {
            for &(lo, hi) in spans {
                if lo > hi {
                    continue;
                }
                for ids in buckets.range(lo..=hi).map(|(_, ids)| ids) {
                    for id in ids {
                        if found.contains(id) {
                            continue;
                        }
                        if self.rows.get(id).is_some_and(|r| filter.passes(&r.cols)) {
                            found.insert(*id);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use proptest::prelude::*;

    /// The filter as the SQL candidate search wrote it, the reference for [`DatedFilter`].
    const SQL_FILTER: &str = "(f.plover_type = ?1 OR (?2 IS NOT NULL AND f.acled_type = ?2)) \
       AND f.match_start <= ?3 AND f.match_end >= ?4 \
       AND (?5 IS NULL OR f.country_code IS NULL OR f.country_code = ?5 COLLATE NOCASE) \
       AND (?6 IS NULL OR f.lat IS NULL OR f.geo_precision NOT IN ('point', 'admin2') \
            OR (f.lat BETWEEN ?6 AND ?7 AND f.lon BETWEEN ?8 AND ?9))";

    fn opt<T: std::fmt::Debug + Clone + 'static>(
        s: impl Strategy<Value = T> + 'static,
    ) -> BoxedStrategy<Option<T>> {
        prop_oneof![1 => Just(None), 3 => s.prop_map(Some)].boxed()
    }

    fn day() -> impl Strategy<Value = String> {
        (2016..2019_i32, 1..13_u32, 1..29_u32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
    }

    prop_compose! {
        fn cols()(
            plover in prop::sample::select(vec!["ASSAULT", "FIGHT", "PROTEST"]),
            acled in opt(prop::sample::select(vec!["Battles", "Riots"])),
            dates in opt((day(), day())),
            lat in opt(30.0..40.0_f64),
            lon in opt(35.0..45.0_f64),
            precision in opt(prop::sample::select(vec!["point", "admin2", "admin1", "country"])),
            country in opt(prop::sample::select(vec!["IQ", "iq", "SY", "Sy"])),
        ) -> KeyCols {
            let (match_start, match_end) = match dates {
                Some((a, b)) => (Some(a), Some(b)),
                None => (None, None),
            };
            KeyCols {
                plover: plover.to_string(),
                acled: acled.map(str::to_string),
                match_start,
                match_end,
                lat,
                lon,
                geonameid: None,
                geo_precision: precision.map(str::to_string),
                country: country.map(str::to_string),
                admin1: None,
                actor_codes: None,
                actor_countries: None,
                stories: None,
                old: false,
                n_reports: 1,
                location_name: None,
                acled_sub: None,
            }
        }
    }

    type Params = (
        Option<&'static str>,
        Option<&'static str>,
        String,
        String,
        Option<&'static str>,
        Option<(f64, f64, f64, f64)>,
    );

    fn params() -> impl Strategy<Value = Params> {
        (
            opt(prop::sample::select(vec!["ASSAULT", "FIGHT"])),
            opt(prop::sample::select(vec!["Battles", "Riots"])),
            day(),
            day(),
            opt(prop::sample::select(vec!["IQ", "sy", "TR"])),
            opt((30.0..40.0_f64, 0.0..3.0_f64, 35.0..45.0_f64, 0.0..3.0_f64)
                .prop_map(|(a, da, o, dn)| (a, a + da, o, o + dn))),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// [`DatedFilter::passes`] keeps exactly the rows SQL's filter keeps.
        #[test]
        fn the_filter_is_the_sql_filter(rows in prop::collection::vec(cols(), 1..40), p in params()) {
            let conn = rusqlite::Connection::open_in_memory().unwrap();
            conn.execute_batch(
                "CREATE TABLE fused_events (id INTEGER PRIMARY KEY, plover_type TEXT NOT NULL, \
                 acled_type TEXT, match_start TEXT, match_end TEXT, lat REAL, lon REAL, \
                 geo_precision TEXT, country_code TEXT)",
            )
            .unwrap();
            for (i, c) in rows.iter().enumerate() {
                conn.execute(
                    "INSERT INTO fused_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    rusqlite::params![
                        i as i64, c.plover, c.acled, c.match_start, c.match_end, c.lat, c.lon,
                        c.geo_precision, c.country
                    ],
                )
                .unwrap();
            }
            let (plover, acled, end, start, country, bbox) = p;
            let (a, b, c, d) = match bbox {
                Some((a, b, c, d)) => (Some(a), Some(b), Some(c), Some(d)),
                None => (None, None, None, None),
            };
            let from_sql: Vec<i64> = conn
                .prepare(&format!("SELECT f.id FROM fused_events f WHERE {SQL_FILTER} ORDER BY f.id"))
                .unwrap()
                .query_map(rusqlite::params![plover, acled, end, start, country, a, b, c, d], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let filter = DatedFilter { plover, acled, end: &end, start: &start, country, bbox };
            let from_rust: Vec<i64> = rows
                .iter()
                .enumerate()
                .filter(|(_, c)| filter.passes(c))
                .map(|(i, _)| i as i64)
                .collect();
            prop_assert_eq!(from_sql, from_rust);
        }
    }

    /// `is_filed` answers only for loaded prefixes, where the index holds every entry of the
    /// table; anywhere else it says "not known" and the writer inserts (OR IGNORE).
    #[test]
    fn is_filed_knows_only_loaded_prefixes() {
        let store = crate::Store::open_in_memory().unwrap();
        let mut conn = store.conn().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(
            "INSERT INTO fused_events (id, plover_type, n_reports, n_documents, n_sources,
                 n_outlets, modality, confidence, n_contradictions, record)
                 VALUES (7, 'ASSAULT', 1, 1, 1, 1, 'asserted', 0.7, 0, '');
             INSERT INTO fused_buckets VALUES ('p|ASSAULT|IQ', 3, 7), ('s|5|', 3, 7);",
        )
        .unwrap();
        let mut index = CandidateIndex::default();
        // Not loaded: unknown, even after filing.
        index.file("p|ASSAULT|IQ", 3, 7);
        assert!(!index.is_filed("p|ASSAULT|IQ", 3, 7));
        index.load(&tx, "p|ASSAULT|SY").unwrap();
        assert!(index.is_filed("p|ASSAULT|IQ", 3, 7));
        assert!(!index.is_filed("p|ASSAULT|IQ", 4, 7));
        assert!(!index.is_filed("p|ASSAULT|IQ", 3, 8));
        assert!(!index.is_filed("s|5|", 3, 7));
        index.file("p|ASSAULT|IQ", 4, 7);
        assert!(index.is_filed("p|ASSAULT|IQ", 4, 7));
    }

    #[test]
    fn prefixes_cover_their_keys() {
        assert_eq!(prefix_of("p|ASSAULT|IQ"), "p|ASSAULT|");
        assert_eq!(
            prefix_of("a|Violence against civilians|"),
            "a|Violence against civilians|"
        );
        assert_eq!(prefix_of("s|12|"), "s|12|");
        let end = prefix_end("p|ASSAULT|");
        for key in ["p|ASSAULT|", "p|ASSAULT|IQ", "p|ASSAULT|ZZ"] {
            assert!(key >= "p|ASSAULT|" && key < end.as_str(), "{key}");
        }
        for key in ["p|ASSAULTS|", "p|ASSAULT", "p|ASSAULU|"] {
            assert!(!(key >= "p|ASSAULT|" && key < end.as_str()), "{key}");
        }
    }
}
