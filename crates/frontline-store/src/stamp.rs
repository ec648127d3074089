//! When fused events were created and last updated (schema v12), for incremental sync.
//!
//! Stamps are UTC instants stored as text in one fixed form, `YYYY-MM-DDTHH:MM:SS.sssZ`, so
//! that text order is time order and the `updated_at` index serves `updated_since`. Each
//! write transaction stamps the fused events it starts or adds a report to with one time,
//! never earlier than a stamp already stored: a reader that asks again with the latest
//! `updated_at` it has seen (inclusive) gets every event written after, even if the clock went
//! back in between.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::OptionalExtension;

use crate::Result;

/// A stamp as the store writes it.
pub(crate) fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Writes a stamp in the stored fixed form (milliseconds always present), so that clients
/// comparing the strings compare times: serde's default for `DateTime` drops a zero fraction
/// (`...:10Z`), which sorts after `...:10.158Z`.
pub(crate) fn serialize_opt<S: serde::Serializer>(
    t: &Option<DateTime<Utc>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&format(*t)),
        None => s.serialize_none(),
    }
}

/// The stamp of a write transaction: now, or the latest stamp stored if that is later.
pub(crate) fn batch_stamp(tx: &rusqlite::Connection) -> Result<String> {
    let now = format(Utc::now());
    let latest: Option<String> = tx
        .prepare_cached("SELECT max(updated_at) FROM fused_events")?
        .query_row([], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(match latest {
        Some(l) if l > now => l,
        _ => now,
    })
}

/// A stored stamp, read back (`None` for NULL or a value not in the stored form).
pub(crate) fn parse(s: Option<&str>) -> Option<DateTime<Utc>> {
    s.and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// Parses an `updated_since` value: an RFC 3339 instant (`2026-12-07T01:36:00Z`, any offset)
/// or a day (`2026-12-07`, its start in UTC). The error says what was expected.
pub fn parse_updated_since(s: &str) -> std::result::Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        && let Some(t) = d.and_hms_opt(0, 0, 0)
    {
        return Ok(t.and_utc());
    }
    Err(format!(
        "{s:?} is not a time: expected an RFC 3339 time (2026-12-07T01:36:00Z) or a day (2026-12-07)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_sort_as_times_and_read_back() {
        let a = DateTime::parse_from_rfc3339("2026-12-07T01:36:00.5+02:00")
            .unwrap()
            .with_timezone(&Utc);
        let b = a + chrono::Duration::milliseconds(1);
        let (sa, sb) = (format(a), format(b));
        assert_eq!(sa, "2026-12-06T23:36:00.500Z");
        assert!(sa < sb);
        assert_eq!(parse(Some(&sa)), Some(a));
        assert_eq!(parse(Some("not a time")), None);
    }

    #[test]
    fn stamps_serialise_in_the_fixed_form_even_on_a_whole_second() {
        #[derive(serde::Serialize)]
        struct T {
            #[serde(serialize_with = "serialize_opt")]
            at: Option<DateTime<Utc>>,
        }
        let whole = DateTime::parse_from_rfc3339("2026-12-07T03:36:10Z")
            .unwrap()
            .with_timezone(&Utc);
        let later = whole + chrono::Duration::milliseconds(158);
        let json = |at| serde_json::to_string(&T { at: Some(at) }).unwrap();
        assert_eq!(json(whole), r#"{"at":"2026-12-07T03:36:10.000Z"}"#);
        assert!(json(whole) < json(later), "text order is time order");
        assert_eq!(
            serde_json::to_string(&T { at: None }).unwrap(),
            r#"{"at":null}"#
        );
    }

    #[test]
    fn updated_since_takes_instants_and_days() {
        let t = parse_updated_since("2026-12-07T03:00:00+03:00").unwrap();
        assert_eq!(format(t), "2026-12-07T00:00:00.000Z");
        assert_eq!(parse_updated_since(" 2026-12-07 ").unwrap(), t);
        for bad in ["2026-13-01", "yesterday", "", "2026-12-07 00:00"] {
            let e = parse_updated_since(bad).unwrap_err();
            assert!(e.contains("RFC 3339"), "{e}");
        }
    }
}
