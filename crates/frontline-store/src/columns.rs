//! The stored forms of the store's columns, shared by the writer (`put`), the reader
//! (`query`), the candidate index and the R*Tree: dates and enums as text, the document's
//! JSON columns, and the columns of `fused_events` read by name. It sits below all of them
//! (it imports only the fused record), so none of them imports another for these.

use chrono::NaiveDate;
use frontline_model::{Boilerplate, Extraction, GeoPrecision, MentionData, Sentence};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::record::FusedEvent;

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

/// One mention as stored in `document_mentions.data`: id, start, end, sentence, data.
pub(crate) type StoredMention<'a> = (usize, usize, usize, usize, &'a MentionData);

/// Separator of the lists kept in `actor_codes` and `actor_countries`.
pub(crate) const SEP: char = '\u{1f}';

/// The compact JSON of a value: what `serde_json::to_string` gives, written by
/// `frontline_model::json` (less work on the many short keys and strings stored).
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    use serde::ser::Error;
    let mut out = Vec::with_capacity(1024);
    frontline_model::json::append(&mut out, value).map_err(serde_json::Error::custom)?;
    String::from_utf8(out).map_err(serde_json::Error::custom)
}

/// The `data` column of `document_mentions`: `[id, start, end, sentence, data]` per mention.
pub(crate) fn mentions_json(ex: &Extraction) -> serde_json::Result<String> {
    let mentions: Vec<StoredMention<'_>> = ex
        .mentions
        .iter()
        .map(|m| (m.id, m.span.start, m.span.end, m.sentence, &m.data))
        .collect();
    to_json(&mentions)
}

fn enum_str<T: Serialize>(v: &T) -> Result<String> {
    match serde_json::to_value(v)? {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

pub(crate) fn opt_enum_str<T: Serialize>(v: Option<&T>) -> Result<Option<String>> {
    v.map(enum_str).transpose()
}

/// A date as stored (`YYYY-MM-DD`).
pub(crate) fn date_str(d: Option<NaiveDate>) -> Option<String> {
    use chrono::Datelike;
    d.map(|d| match d.year() {
        // The writer formats many dates per event (`format!` was 1.7% of an ingest's
        // instructions): the digits are written directly.
        y @ 0..=9999 => {
            let mut out = String::with_capacity(10);
            let digit = |v: u32| char::from(b'0' + (v % 10) as u8);
            let y = y.unsigned_abs();
            for v in [y / 1000, y / 100, y / 10, y] {
                out.push(digit(v));
            }
            for v in [d.month(), d.day()] {
                out.push('-');
                out.push(digit(v / 10));
                out.push(digit(v));
            }
            out
        }
        _ => d.format("%Y-%m-%d").to_string(),
    })
}

/// A `YYYY-MM-DD` day as [`date_str`] writes it. The four-digit form (every day the writer
/// stores in years 0-9999) is read directly, as the candidate search reads a few per
/// candidate; anything else goes through chrono.
pub(crate) fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r).and_then(|d| {
            d.iter().try_fold(0_u32, |n, c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A place precision as stored (its serde name); `None` for anything else.
pub(crate) fn parse_precision(s: Option<String>) -> Option<GeoPrecision> {
    Some(match s?.as_str() {
        "point" => GeoPrecision::Point,
        "admin2" => GeoPrecision::Admin2,
        "admin1" => GeoPrecision::Admin1,
        "region" => GeoPrecision::Region,
        "country" => GeoPrecision::Country,
        "continent" => GeoPrecision::Continent,
        "unresolved" => GeoPrecision::Unresolved,
        _ => return None,
    })
}

/// Names of the summary columns of `fused_events`, in the order of [`fused_summary`].
pub(crate) const SUMMARY_COLUMNS: [&str; 26] = [
    "plover_type",
    "acled_type",
    "acled_sub_type",
    "cameo_root",
    "date_start",
    "date_end",
    "time_precision",
    "match_start",
    "match_end",
    "location_name",
    "geonameid",
    "lat",
    "lon",
    "geo_precision",
    "country_code",
    "admin1",
    "fatalities",
    "n_reports",
    "n_documents",
    "n_sources",
    "n_outlets",
    "earliest_report",
    "earliest_document",
    "modality",
    "confidence",
    "n_contradictions",
];

/// The summary columns of `fused_events` for a fused event, from `plover_type` to
/// `n_contradictions`, in table order: the values both the fusion update and the bulk insert
/// write (as parameters 2 to 27, after the id).
pub(crate) fn fused_summary(f: &FusedEvent) -> Result<Vec<rusqlite::types::Value>> {
    use rusqlite::types::Value;
    let text = |v: Option<String>| v.map_or(Value::Null, Value::Text);
    let int = |v: Option<i64>| v.map_or(Value::Null, Value::Integer);
    let real = |v: Option<f64>| v.map_or(Value::Null, Value::Real);
    let loc = f.location.as_ref();
    Ok(vec![
        Value::Text(f.plover_type.as_str().to_string()),
        text(f.acled.as_ref().map(|a| a.event_type.clone())),
        text(f.acled.as_ref().map(|a| a.sub_event_type.clone())),
        text(f.cameo_root.clone()),
        text(date_str(f.date_start)),
        text(date_str(f.date_end)),
        text(opt_enum_str(f.time_precision.as_ref())?),
        text(date_str(f.match_start)),
        text(date_str(f.match_end)),
        text(loc.map(|l| l.name.clone())),
        int(loc.and_then(|l| l.geonameid.map(|g| g as i64))),
        real(loc.and_then(|l| l.lat)),
        real(loc.and_then(|l| l.lon)),
        text(opt_enum_str(loc.map(|l| &l.precision))?),
        text(loc.and_then(|l| l.country_code.clone())),
        text(loc.and_then(|l| l.admin1.clone())),
        int(f.fatalities.map(|v| v as i64)),
        Value::Integer(f.n_reports as i64),
        Value::Integer(f.n_documents as i64),
        Value::Integer(f.n_sources as i64),
        Value::Integer(f.n_outlets as i64),
        text(date_str(f.earliest_report)),
        Value::Text(f.earliest_document.clone()),
        text(opt_enum_str(Some(&f.modality))?),
        Value::Real(f64::from(f.confidence)),
        Value::Integer(f.contradictions.len() as i64),
    ])
}

/// Columns of `fused_events` written from a fused event's aggregate: the summary columns
/// ([`SUMMARY_COLUMNS`]) and then these, in this order (see [`fused_values`]).
pub(crate) const STATE_COLUMNS: [&str; 4] = ["agg", "actor_codes", "actor_countries", "stories"];

/// Every column the writer gives a fused event's row: [`SUMMARY_COLUMNS`] then
/// [`STATE_COLUMNS`].
pub(crate) fn fused_columns() -> &'static [&'static str] {
    static COLUMNS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    COLUMNS.get_or_init(|| {
        SUMMARY_COLUMNS
            .iter()
            .chain(&STATE_COLUMNS)
            .copied()
            .collect()
    })
}

/// Values written to a fused event's row, in [`fused_columns`] order, read by column name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FusedRow<'a>(pub(crate) &'a [Value]);

impl<'a> FusedRow<'a> {
    fn get(&self, name: &str) -> Option<&'a Value> {
        fused_columns()
            .iter()
            .position(|c| *c == name)
            .and_then(|i| self.0.get(i))
    }

    /// A text column; `None` for NULL (or a value of another type).
    pub(crate) fn text(&self, name: &str) -> Option<&'a str> {
        match self.get(name) {
            Some(Value::Text(s)) => Some(s.as_str()),
            _ => None,
        }
    }

    /// A REAL column (an integer read as SQLite would store it there).
    pub(crate) fn real(&self, name: &str) -> Option<f64> {
        match self.get(name) {
            Some(Value::Real(x)) => Some(*x),
            Some(Value::Integer(i)) => Some(*i as f64),
            _ => None,
        }
    }

    /// An INTEGER column.
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Value::Integer(i)) => Some(*i),
            _ => None,
        }
    }
}

#[cfg(test)]
mod parse_tests {
    use super::*;
    use chrono::Days;

    #[test]
    fn parse_precision_reads_every_stored_name() {
        use GeoPrecision::*;
        for p in [
            Point, Admin2, Admin1, Region, Country, Continent, Unresolved,
        ] {
            let stored = serde_json::to_value(p)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            assert_eq!(parse_precision(stored), Some(p));
        }
        assert_eq!(parse_precision(Some("Point".into())), None);
        assert_eq!(parse_precision(None), None);
    }

    #[test]
    fn parse_day_reads_what_chrono_reads() {
        let chrono = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        for s in [
            "2017-06-09",
            "0012-01-31",
            "2016-02-29",
            "2017-02-29",
            "2017-13-01",
            "2017-00-10",
            "2017-6-09",
            "2017-06-9",
            "20170-06-09",
            "-044-03-15",
            "12345-12-01",
            "2017-06-09x",
            "",
            "abcd-ef-gh",
            "2017/06/09",
            "+2017-06-09",
        ] {
            assert_eq!(parse_day(s), chrono(s), "{s:?}");
        }
        let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default();
        for n in (0..3_652_059_u64).step_by(101) {
            let d = first + Days::new(n);
            let s = date_str(Some(d)).unwrap_or_default();
            assert_eq!(parse_day(&s), Some(d), "{s}");
        }
    }
}
