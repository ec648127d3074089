//! Publication dates as found in metadata.

use chrono::{DateTime, NaiveDate};

/// A publication date that was read, and what a reader should be told about how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateReading {
    /// The calendar date as written (no time-zone shift).
    pub date: NaiveDate,
    /// Set when the form was ambiguous and a convention decided (`06/03/2025`).
    pub note: Option<String>,
}

/// A publication date that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("publication date {value:?} could not be read; no publication date set")]
pub struct DateError {
    /// The value as found (at most 60 characters of it).
    pub value: String,
}

/// Parses a publication date from the forms met in metadata (see [`read_date`]).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    read_date(s).ok().map(|r| r.date)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A month name or its abbreviation (`june`, `Jun`, `Sept.`).
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (1..=12u32).find(|&m| {
        let i = (m - 1) as usize;
        w == MONTHS[i] || full[i].starts_with(&w) || (m == 9 && w == "sept")
    })
}

/// A day of the month, ordinal suffix allowed (`3`, `3rd`).
fn day(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let w = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| w.strip_suffix(s))
        .unwrap_or(&w);
    w.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(word: &str) -> Option<i32> {
    (word.len() == 4).then(|| word.parse().ok()).flatten()
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .any(|d| w.len() >= 3 && d.starts_with(&w))
}

/// `June 3, 2025`, `3 June 2025`, `Tuesday, 3rd June 2025 10:00` (what follows the year is
/// ignored).
fn written_out(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let words = match words.first() {
        Some(w) if is_weekday(w) => &words[1..],
        _ => &words[..],
    };
    let [a, b, c, ..] = words else {
        return None;
    };
    let (m, d) = match (month(a), month(b)) {
        (Some(m), None) => (m, day(b)?),
        (None, Some(m)) => (m, day(a)?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year(c)?, m, d)
}

/// `06/03/2025`, `6-3-2025`, `06.03.2025`: day first unless that is impossible (the form is
/// ambiguous; most outlets outside the United States write the day first). Returns the date
/// and, when both readings were possible, a note saying which was taken.
fn numeric(s: &str) -> Option<DateReading> {
    let head: String = s
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != 'T')
        .collect();
    let parts: Vec<&str> = head.split(['/', '-', '.']).collect();
    let [a, b, y] = parts[..] else {
        return None;
    };
    if !(1..=2).contains(&a.len()) || !(1..=2).contains(&b.len()) || y.len() != 4 {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    let day_first = NaiveDate::from_ymd_opt(y, b, a);
    let month_first = NaiveDate::from_ymd_opt(y, a, b);
    match (day_first, month_first) {
        (Some(d), Some(m)) if d != m => Some(DateReading {
            date: d,
            note: Some(format!(
                "date {head:?} is ambiguous; read as day/month/year ({}), not month/day/year",
                d.format("%-d %B %Y")
            )),
        }),
        (Some(d), _) => Some(DateReading {
            date: d,
            note: None,
        }),
        (None, Some(m)) => Some(DateReading {
            date: m,
            note: None,
        }),
        (None, None) => None,
    }
}

/// Unix time in seconds (9 to 10 digits) or milliseconds (12 to 13 digits), between 1990 and
/// 2100.
fn unix(s: &str) -> Option<NaiveDate> {
    let s = s.split('.').next().unwrap_or(s);
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    let secs = match s.len() {
        9 | 10 => n,
        12 | 13 => n / 1000,
        _ => return None,
    };
    let d = DateTime::from_timestamp(secs, 0)?.date_naive();
    (1990..2100)
        .contains(&chrono::Datelike::year(&d))
        .then_some(d)
}

/// Reads a publication date in the forms met in metadata and feeds:
///
/// - ISO 8601 / RFC 3339, with or without a time (`2017-06-18`, `2017-06-18T09:30:00Z`,
///   `2017-06-18 09:30`), and `2017/06/18`, `20170618`;
/// - RFC 2822 (`Sun, 18 Jun 2017 09:30:00 GMT`);
/// - written out: `June 18, 2017`, `18 June 2017`, `Sunday, 18th Jun 2017`;
/// - numeric `18/06/2017`, `18.06.2017`, `18-06-2017`: **day first** when both readings are
///   possible (`06/03/2025` is 6 March 2025), with a note saying so; month first only when the
///   day-first reading is impossible (`06/18/2017`);
/// - Unix time in seconds (`1497778200`) or milliseconds.
///
/// The calendar date is the one written (no time-zone shift).
pub fn read_date(s: &str) -> Result<DateReading, DateError> {
    let s = s.trim();
    let plain = |date| DateReading { date, note: None };
    let err = || DateError {
        value: s.chars().take(60).collect(),
    };
    if s.is_empty() {
        return Err(err());
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(plain(d.date_naive()));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Ok(plain(d.date_naive()));
    }
    let prefix: String = s.chars().take(10).collect();
    for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&prefix, fmt) {
            return Ok(plain(d));
        }
    }
    if let Some(d) = unix(s) {
        return Ok(plain(d));
    }
    if s.len() >= 8 && s.as_bytes()[..8].iter().all(u8::is_ascii_digit) {
        return NaiveDate::parse_from_str(&s[..8], "%Y%m%d")
            .map(plain)
            .map_err(|_| err());
    }
    if let Some(r) = numeric(s) {
        return Ok(r);
    }
    written_out(s).map(plain).ok_or_else(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn common_forms() {
        let d = ymd(2017, 6, 18);
        assert_eq!(parse_date("2017-06-18"), d);
        assert_eq!(parse_date("2017-06-18T23:30:00+03:00"), d);
        assert_eq!(parse_date("Sun, 18 Jun 2017 09:30:00 GMT"), d);
        assert_eq!(parse_date("2017/06/18"), d);
        assert_eq!(parse_date("20170618"), d);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }

    /// Issue 23, item 11: the forms that were dropped silently.
    #[test]
    fn written_numeric_and_unix_forms() {
        let d = ymd(2025, 6, 3);
        assert_eq!(parse_date("June 3, 2025"), d);
        assert_eq!(parse_date("Jun 3 2025"), d);
        assert_eq!(parse_date("3 June 2025"), d);
        assert_eq!(parse_date("3rd June, 2025"), d);
        assert_eq!(parse_date("Tuesday, June 3, 2025 10:30 AM"), d);
        assert_eq!(parse_date("Tue 3 Jun 2025"), d);
        assert_eq!(parse_date("2025-06-03 14:00:00"), d);
        assert_eq!(parse_date("2025-06-03T14:00:00.000+0300"), d);
        assert_eq!(parse_date("1748944800"), d); // 2025-06-03T10:00:00Z
        assert_eq!(parse_date("1748944800000"), d);
        assert_eq!(parse_date("1748944800.5"), d);
        // Day first when ambiguous, with a note; month first when it must be.
        let r = read_date("03/06/2025").unwrap();
        assert_eq!(Some(r.date), d);
        assert!(r.note.unwrap().contains("day/month/year"));
        assert_eq!(
            read_date("06/18/2017").unwrap().date,
            ymd(2017, 6, 18).unwrap()
        );
        assert_eq!(read_date("18.06.2017").unwrap().note, None);
        assert_eq!(parse_date("03-06-2025"), d);
        // Not dates.
        for bad in [
            "32 June 2025",
            "June 2025",
            "31/02/2025",
            "12345",
            "soon",
            "Mayday 3 2025",
        ] {
            let e = read_date(bad).unwrap_err();
            assert!(e.to_string().contains(bad), "{e}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics(s in ".{0,40}") {
            let _ = parse_date(&s);
        }

        #[test]
        fn written_out_round_trips(y in 1990i32..2100, m in 1u32..=12, d in 1u32..=28,
                                   style in 0..4usize) {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let s = match style {
                0 => date.format("%B %-d, %Y").to_string(),
                1 => date.format("%-d %B %Y").to_string(),
                2 => date.format("%A, %b %-d %Y").to_string(),
                _ => date.format("%d/%m/%Y").to_string(),
            };
            prop_assert_eq!(parse_date(&s), Some(date), "{}", s);
        }

        #[test]
        fn unix_seconds_round_trip(secs in 631_152_000i64..4_102_444_799) {
            let date = DateTime::from_timestamp(secs, 0).unwrap().date_naive();
            prop_assert_eq!(parse_date(&secs.to_string()), Some(date));
        }
    }
}
