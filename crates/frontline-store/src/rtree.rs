//! Upkeep of the R*Tree `fused_where` over (lon, lat, day range) of the fused events.
//!
//! Schema v3 kept it with triggers on `fused_events`; they fired on every insert and on every
//! update that moved an event, each time re-reading the row through the view
//! `fused_where_source` inside a statement journal, and cost about a tenth of the writer's
//! work. Schema v5 dropped the insert and update triggers: the code that writes fused events
//! (`put::flush_fused`, `Store::insert_fused_events`) writes each event's box itself, once per
//! batch, with the values the view defines (which stays, as the definition; tests compare the
//! tree with it). The delete trigger stays.

use rusqlite::Transaction;

use crate::Result;
use crate::columns::FusedRow;

/// An event's box: longitude, latitude, first and last Julian day.
pub(crate) type WhereBox = (f64, f64, f64, f64);

/// SQLite's `julianday()` of a `YYYY-MM-DD` day (years 0000-9999, as stored); `None` for
/// anything else, which is all the writer stores besides such days (NULL).
pub(crate) fn julian_day(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0_i32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let day = chrono::NaiveDate::from_ymd_opt(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?)?;
    Some(f64::from(chrono::Datelike::num_days_from_ce(&day)) + 1_721_424.5)
}

/// The box `fused_where_source` gives for these columns of a fused event, `None` where it
/// gives none (no valid start day, or an end day that is not valid). An event without
/// coordinates sits at (1000, 1000), outside every valid bbox.
pub(crate) fn where_box(
    lat: Option<f64>,
    lon: Option<f64>,
    date_start: Option<&str>,
    date_end: Option<&str>,
) -> Option<WhereBox> {
    let start = julian_day(date_start?)?;
    let end = match date_end {
        Some(e) => julian_day(e)?,
        None => start,
    };
    Some((
        lon.unwrap_or(1000.0),
        lat.unwrap_or(1000.0),
        start.min(end),
        start.max(end),
    ))
}

/// The box of the values the writer writes to a fused event's row.
pub(crate) fn box_of_values(row: FusedRow<'_>) -> Option<WhereBox> {
    where_box(
        row.real("lat"),
        row.real("lon"),
        row.text("date_start"),
        row.text("date_end"),
    )
}

/// Replaces fused event `id`'s box `old` (what the tree holds) by `new`.
pub(crate) fn sync(
    tx: &Transaction<'_>,
    id: i64,
    old: Option<WhereBox>,
    new: Option<WhereBox>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    if old.is_some() {
        tx.prepare_cached("DELETE FROM fused_where WHERE id = ?1")?
            .execute([id])?;
    }
    if let Some((lon, lat, d0, d1)) = new {
        tx.prepare_cached(
            "INSERT INTO fused_where (id, min_lon, max_lon, min_lat, max_lat, min_day, max_day) \
             VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![id, lon, lat, d0, d1])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The Julian day is SQLite's, for every day the writer stores.
        #[test]
        fn julian_days_are_sqlites(days in 0_i32..3_652_059) {
            let day = chrono::NaiveDate::from_num_days_from_ce_opt(days - 365).unwrap();
            let s = day.format("%Y-%m-%d").to_string();
            let conn = rusqlite::Connection::open_in_memory().unwrap();
            let want: Option<f64> = conn
                .query_row("SELECT julianday(?1)", [&s], |r| r.get(0))
                .unwrap();
            prop_assert_eq!(julian_day(&s), want, "{}", s);
        }
    }

    #[test]
    fn anything_but_a_stored_day_has_no_julian_day() {
        for s in [
            "",
            "2021-5-01",
            "2021-05-01T00:00",
            "+10000-01-01",
            "2021-13-01",
            "abcd-ef-gh",
        ] {
            assert_eq!(julian_day(s), None, "{s}");
        }
    }
}
