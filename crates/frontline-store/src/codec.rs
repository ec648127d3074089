//! Compression of the two bulky JSON columns: `events.data` (one event, about 1.3 KB) and
//! `document_mentions.data` (all mentions of a document, several KB).
//!
//! Since schema v10 they are stored as a BLOB: one byte naming a dictionary, then a zstd frame
//! compressed with that dictionary. Small JSON records compress poorly on their own (zstd alone
//! gives about 1.8x on events) because every record spells out the same keys, codes and rule
//! names; a dictionary holds those once, and the same events compress about 4.4x (real news,
//! GeoWebNews, LGL and GeoVirus texts; see docs/performance.md). The writer then copies a
//! quarter of the bytes into pages and the log, and the database is about half the size.
//!
//! Values written before v10 are TEXT and are read as they are: the reader (`Packed`)
//! accepts both, so no migration rewrites old rows.
//!
//! The dictionaries are files in `dicts/`, trained by `train-dicts` (crate frontline-bench) on
//! the JSON this store writes for the benchmark generator's synthetic articles. A stored value
//! names its dictionary by id, so a dictionary, once shipped, must never change: a new one gets
//! a new id and the old one stays in [`DICTIONARIES`] for reading (a test pins their hashes).

use std::cell::RefCell;
use std::sync::LazyLock;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

/// Dictionary id of event JSON (`events.data`).
pub const EVENTS: u8 = 1;
/// Dictionary id of a document's mentions (`document_mentions.data`).
pub const MENTIONS: u8 = 2;

/// zstd level: with a dictionary, 3 compressed event JSON 3-4% better than 1, at 6-25% lower
/// speed (docs/performance.md); compressing runs on the extraction threads, which have time.
const LEVEL: i32 = 3;

/// Largest value [`Packed`] decompresses (a stored frame claiming more is refused as corrupt).
const MAX_DECODED: u64 = 256 << 20;

/// Every dictionary ever shipped, by id (see [`EVENTS`], [`MENTIONS`]). Append only.
pub const DICTIONARIES: &[(u8, &[u8])] = &[
    (EVENTS, include_bytes!("../dicts/events-1.zdict")),
    (MENTIONS, include_bytes!("../dicts/mentions-1.zdict")),
];

/// Prepared (digested) dictionaries, built once per process on first use.
static ENCODERS: LazyLock<Vec<(u8, EncoderDictionary<'static>)>> = LazyLock::new(|| {
    DICTIONARIES
        .iter()
        .map(|(id, bytes)| (*id, EncoderDictionary::copy(bytes, LEVEL)))
        .collect()
});
static DECODERS: LazyLock<Vec<(u8, DecoderDictionary<'static>)>> = LazyLock::new(|| {
    DICTIONARIES
        .iter()
        .map(|(id, bytes)| (*id, DecoderDictionary::copy(bytes)))
        .collect()
});

thread_local! {
    /// One compression context per thread and dictionary (contexts are not `Sync`, and making
    /// one costs more than compressing an event).
    static COMPRESSORS: RefCell<Vec<(u8, zstd::bulk::Compressor<'static>)>> =
        const { RefCell::new(Vec::new()) };
    static DECOMPRESSORS: RefCell<Vec<(u8, zstd::bulk::Decompressor<'static>)>> =
        const { RefCell::new(Vec::new()) };
}

/// Why a value could not be packed or unpacked.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The value names a dictionary this build does not have.
    #[error("stored value names compression dictionary {0}, which this frontline does not know")]
    UnknownDictionary(u8),
    /// The BLOB is empty or not a zstd frame of a plausible size.
    #[error("stored value is not a valid compressed frame: {0}")]
    BadFrame(String),
    /// Decompressed bytes are not UTF-8.
    #[error("stored value does not decompress to UTF-8 text")]
    NotText,
    /// zstd failed.
    #[error("zstd: {0}")]
    Zstd(#[from] std::io::Error),
}

/// Compresses `json` with dictionary `dict` into a stored value: the id byte, then the frame.
pub(crate) fn pack(dict: u8, json: &str) -> Result<Vec<u8>, CodecError> {
    COMPRESSORS.with(|cell| {
        cached(&mut cell.borrow_mut(), dict, || {
            let prepared = prepared(&ENCODERS, dict)?;
            let mut c = zstd::bulk::Compressor::with_prepared_dictionary(prepared)?;
            // The id byte names the dictionary; the frame need not repeat it.
            c.set_parameter(zstd::zstd_safe::CParameter::DictIdFlag(false))?;
            c.set_parameter(zstd::zstd_safe::CParameter::ContentSizeFlag(true))?;
            Ok(c)
        })
        .and_then(|c| {
            let mut out = Vec::with_capacity(json.len() / 3 + 16);
            out.push(dict);
            out.extend_from_slice(&c.compress(json.as_bytes())?);
            Ok(out)
        })
    })
}

/// The per-thread context for `dict` in `all`, made by `make` on first use.
fn cached<C>(
    all: &mut Vec<(u8, C)>,
    dict: u8,
    make: impl FnOnce() -> Result<C, CodecError>,
) -> Result<&mut C, CodecError> {
    let at = match all.iter().position(|(id, _)| *id == dict) {
        Some(at) => at,
        None => {
            all.push((dict, make()?));
            all.len() - 1
        }
    };
    Ok(&mut all[at].1)
}

/// The prepared dictionary `dict` of `all`.
fn prepared<D>(all: &[(u8, D)], dict: u8) -> Result<&D, CodecError> {
    all.iter()
        .find(|(id, _)| *id == dict)
        .map(|(_, d)| d)
        .ok_or(CodecError::UnknownDictionary(dict))
}

/// Decompresses a stored value written by [`pack`].
pub(crate) fn unpack(value: &[u8]) -> Result<String, CodecError> {
    let (&dict, frame) = value
        .split_first()
        .ok_or_else(|| CodecError::BadFrame("empty value".into()))?;
    let size = match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(n)) if n <= MAX_DECODED => n as usize,
        Ok(Some(n)) => return Err(CodecError::BadFrame(format!("claims {n} bytes"))),
        Ok(None) => return Err(CodecError::BadFrame("no content size".into())),
        Err(_) => return Err(CodecError::BadFrame("no zstd frame header".into())),
    };
    let bytes = DECOMPRESSORS.with(|cell| {
        let mut all = cell.borrow_mut();
        let d = cached(&mut all, dict, || {
            Ok(zstd::bulk::Decompressor::with_prepared_dictionary(
                prepared(&DECODERS, dict)?,
            )?)
        })?;
        Ok::<_, CodecError>(d.decompress(frame, size)?)
    })?;
    String::from_utf8(bytes).map_err(|_| CodecError::NotText)
}

/// A JSON column as stored: TEXT (before schema v10) or a packed BLOB. Reading one gives the
/// JSON text either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packed(pub String);

impl FromSql for Packed {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Text(t) => std::str::from_utf8(t)
                .map(|s| Packed(s.to_owned()))
                .map_err(|e| FromSqlError::Other(Box::new(e))),
            ValueRef::Blob(b) => unpack(b)
                .map(Packed)
                .map_err(|e| FromSqlError::Other(Box::new(e))),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// A value to store: packed where it could be, else the JSON text itself (which readers take
/// as well), so that a compression failure never loses a record.
#[derive(Debug, Clone)]
pub(crate) enum ToStore {
    /// Packed by [`pack`].
    Packed(Vec<u8>),
    /// Plain JSON text.
    Text(String),
}

impl ToStore {
    /// Packs `json` with dictionary `dict`, keeping the text if packing fails.
    pub(crate) fn of(dict: u8, json: String) -> Self {
        match pack(dict, &json) {
            Ok(bytes) => Self::Packed(bytes),
            Err(e) => {
                tracing::warn!("storing uncompressed JSON: {e}");
                Self::Text(json)
            }
        }
    }
}

impl rusqlite::ToSql for ToStore {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Self::Packed(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Self::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

/// The JSON this store compresses for one extraction, for training dictionaries
/// (`train-dicts` in frontline-bench): each event's `events.data` and the document's
/// `document_mentions.data`, exactly as written before compression.
#[derive(Debug, Clone, Default)]
pub struct TrainingSamples {
    /// One JSON text per event.
    pub events: Vec<String>,
    /// The document's mentions as one JSON text.
    pub mentions: String,
}

/// The JSON [`TrainingSamples`] of one extraction.
pub fn training_samples(
    ex: &frontline_model::Extraction,
) -> Result<TrainingSamples, serde_json::Error> {
    Ok(TrainingSamples {
        events: ex
            .events
            .iter()
            .map(crate::columns::to_json)
            .collect::<Result<_, _>>()?,
        mentions: crate::columns::mentions_json(ex)?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn packs_and_unpacks_every_dictionary() {
        let json = r#"{"id":"abc:1","plover_type":"ASSAULT","rules":["EV160-armed-clash"]}"#;
        for (id, _) in DICTIONARIES {
            let packed = pack(*id, json).unwrap();
            assert_eq!(packed[0], *id);
            assert_eq!(unpack(&packed).unwrap(), json);
        }
    }

    #[test]
    fn refuses_unknown_dictionaries_and_bad_frames() {
        assert!(matches!(
            pack(200, "{}"),
            Err(CodecError::UnknownDictionary(200))
        ));
        let mut packed = pack(EVENTS, "{\"a\":1}").unwrap();
        packed[0] = 200;
        assert!(matches!(
            unpack(&packed),
            Err(CodecError::UnknownDictionary(200))
        ));
        assert!(matches!(unpack(&[]), Err(CodecError::BadFrame(_))));
        assert!(matches!(
            unpack(&[EVENTS, 1, 2, 3]),
            Err(CodecError::BadFrame(_))
        ));
        // A valid header followed by garbage fails in zstd, not with a panic.
        let mut truncated = pack(EVENTS, &"x".repeat(500)).unwrap();
        truncated.truncate(truncated.len() / 2);
        assert!(unpack(&truncated).is_err());
    }

    /// A stored value names its dictionary, so a shipped dictionary must never change. A new
    /// dictionary is appended under a new id; this test then gets its hash added.
    #[test]
    fn shipped_dictionaries_never_change() {
        fn fnv(bytes: &[u8]) -> u64 {
            bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
            })
        }
        let pinned: &[(u8, u64)] = &[
            (EVENTS, 0x6e47_69ca_2784_0d07),
            (MENTIONS, 0xcf2f_a043_f1d6_eb01),
        ];
        let found: Vec<(u8, u64)> = DICTIONARIES
            .iter()
            .map(|(id, bytes)| (*id, fnv(bytes)))
            .collect();
        assert_eq!(found, pinned, "a shipped dictionary changed or was removed");
    }

    proptest::proptest! {
        /// Any text comes back as it went in, under every dictionary.
        #[test]
        fn any_text_round_trips(text in ".{0,2000}", which in 0..DICTIONARIES.len()) {
            let id = DICTIONARIES[which].0;
            let packed = pack(id, &text).unwrap();
            proptest::prop_assert_eq!(unpack(&packed).unwrap(), text);
        }

        /// Stored bytes are input: whatever they are, reading them gives text or an error.
        #[test]
        fn any_bytes_unpack_without_panicking(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
        ) {
            let _ = unpack(&bytes);
        }

        /// A packed value damaged in one byte is an error or some text, never a panic.
        #[test]
        fn damaged_values_unpack_without_panicking(
            text in "[a-z\\[\\]{}:,\"0-9]{1,400}",
            at in 0usize..1000,
            byte in proptest::num::u8::ANY,
        ) {
            let mut packed = pack(EVENTS, &text).unwrap();
            let at = at % packed.len();
            packed[at] = byte;
            let _ = unpack(&packed);
        }
    }

    #[test]
    fn packed_values_are_smaller_and_read_back_through_sql() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (data TEXT)").unwrap();
        let json = r#"[[0,0,5,0,{"kind":"place","name":"Iraq","geonameid":99237,"lat":33.0,"lon":44.0,"feature_class":"A","feature_code":"PCLI","country_code":"IQ","precision":"country"}],[1,20,27,0,{"kind":"actor","code":"IRQ","name":"Iraq","country":"IRQ","actor_type":"STATE"}]]"#;
        let packed = ToStore::of(MENTIONS, json.to_string());
        let ToStore::Packed(bytes) = &packed else {
            panic!("not packed")
        };
        assert!(bytes.len() * 2 < json.len(), "{} bytes", bytes.len());
        conn.execute("INSERT INTO t VALUES (?1)", [&packed])
            .unwrap();
        conn.execute("INSERT INTO t VALUES (?1)", [json]).unwrap();
        let back: Vec<Packed> = conn
            .prepare("SELECT data FROM t")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(back, vec![Packed(json.into()), Packed(json.into())]);
        // A column of TEXT affinity keeps the BLOB as a BLOB.
        let kind: String = conn
            .query_row("SELECT typeof(data) FROM t LIMIT 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(kind, "blob");
    }
}
