//! Publication dates as found in metadata.

use chrono::{DateTime, NaiveDate};

/// Parses a publication date from the forms met in metadata: `2017-06-18`,
/// `2017-06-18T09:30:00Z` and other RFC 3339 stamps, RFC 2822 (`Sun, 18 Jun 2017 09:30:00
/// GMT`), `2017/06/18`, `20170618`. Returns the calendar date as written (no time-zone shift).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.date_naive());
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.date_naive());
    }
    let prefix: String = s.chars().take(10).collect();
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&prefix, fmt) {
            return Some(d);
        }
    }
    if s.len() >= 8 && s.as_bytes()[..8].iter().all(u8::is_ascii_digit) {
        return NaiveDate::parse_from_str(&s[..8], "%Y%m%d").ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_forms() {
        let d = NaiveDate::from_ymd_opt(2017, 6, 18);
        assert_eq!(parse_date("2017-06-18"), d);
        assert_eq!(parse_date("2017-06-18T23:30:00+03:00"), d);
        assert_eq!(parse_date("Sun, 18 Jun 2017 09:30:00 GMT"), d);
        assert_eq!(parse_date("2017/06/18"), d);
        assert_eq!(parse_date("20170618"), d);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics(s in ".{0,40}") {
            let _ = parse_date(&s);
        }
    }
}
