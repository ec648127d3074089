//! Explicit dates: `2017-06-17`, `6/17/2017`, `June 17`, `June 17, 2017`, `17 June 2017`,
//! `Sept. 3`, months (`in March`, `March 2011`) and years (`in 2015`).
//!
//! Month names must be capitalised, and a month standing alone must follow a preposition or
//! time word ("in", "since", "early", "last", "of"...), so the verb "may", a "march" and a
//! person called April are not dates. A date without a year takes the publication year (the
//! previous year when that would put it more than three months after publication); without a
//! publication date it is dropped.

use chrono::{Datelike, NaiveDate};
use frontline_model::TimePrecision;

use super::calendar::{add_months, month_before, month_range, year_range};
use super::lexicon::{is_month_abbreviation, month, ordinal_day};
use super::words::Words;
use super::{Match, What, keep_longest, time_ref};

/// Words after which a bare month name or year is a time expression.
const MONTH_CONTEXT: &[&str] = &[
    "in",
    "since",
    "during",
    "until",
    "till",
    "by",
    "before",
    "after",
    "from",
    "early",
    "late",
    "mid",
    "last",
    "this",
    "of",
    "through",
    "throughout",
    "into",
    "between",
    "and",
    "to",
    "around",
    "next",
    "that",
];

/// Earliest and latest years read as years.
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2100;

/// Tries every explicit-date pattern at token `i`; returns the longest match.
pub(crate) fn match_at(w: &Words, i: usize, published: Option<NaiveDate>) -> Option<Match> {
    if !may_start(w, i) {
        return None;
    }
    match_any(w, i, published)
}

/// Whether some matcher of [`match_any`] can match at token `i`: each needs a number there
/// (`iso`, `slash`, `bare_year`, a day for `day_first`), a capitalised month (`month_first`),
/// "last" or "this" before one, an ordinal day (`day_first`) or a `mid-` word (`mid`). Most
/// tokens are none of these.
fn may_start(w: &Words, i: usize) -> bool {
    if w.is_number(i) || w.cap(i) {
        return true;
    }
    let low = w.low(i);
    matches!(low, "last" | "this")
        || (low.as_bytes().first().is_some_and(u8::is_ascii_digit) && ordinal_day(low).is_some())
        || w.raw(i).starts_with("mid-")
        || w.raw(i).starts_with("Mid-")
}

/// Every matcher at token `i`; the longest match wins.
fn match_any(w: &Words, i: usize, published: Option<NaiveDate>) -> Option<Match> {
    let mut best = iso(w, i);
    keep_longest(&mut best, slash(w, i));
    keep_longest(&mut best, month_first(w, i, published));
    keep_longest(&mut best, day_first(w, i, published));
    keep_longest(&mut best, bare_year(w, i));
    keep_longest(&mut best, mid(w, i, published));
    best
}

fn day(date: NaiveDate, derivation: &str) -> What {
    What::Time(time_ref(date, date, TimePrecision::Day, derivation))
}

/// `2017-06-17`.
fn iso(w: &Words, i: usize) -> Option<Match> {
    let s = w.raw(i);
    if !w.is_number(i) || s.len() != 10 {
        return None;
    }
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some(Match {
        len: 1,
        what: day(date, "explicit date"),
    })
}

/// `6/17/2017` (month first, as US wires write it; day first when the first part is over 12).
fn slash(w: &Words, i: usize) -> Option<Match> {
    let s = w.raw(i);
    if !w.is_number(i) {
        return None;
    }
    let parts: Vec<&str> = s.split('/').collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || a.len() > 2 || b.len() > 2 {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    let (m, d) = if a > 12 { (b, a) } else { (a, b) };
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some(Match {
        len: 1,
        what: day(date, "explicit date"),
    })
}

/// A four-digit year at token `i`.
fn year_at(w: &Words, i: usize) -> Option<i32> {
    let y = w.int(i).filter(|y| YEARS.contains(y))?;
    (w.raw(i).len() == 4).then_some(i32::try_from(y).ok()?)
}

/// A day of the month at token `i` ("17", "17th").
fn day_at(w: &Words, i: usize) -> Option<u32> {
    if let Some(d) = w.int(i) {
        return u32::try_from(d).ok().filter(|d| (1..=31).contains(d));
    }
    ordinal_day(w.low(i))
}

/// A capitalised month name at `i`, with the period of an abbreviation; returns the month and
/// the index after it.
fn month_token(w: &Words, i: usize) -> Option<(u32, usize, bool)> {
    if !w.cap(i) {
        return None;
    }
    let low = w.low(i);
    let m = month(low)?;
    let abbr = is_month_abbreviation(low);
    let next = if abbr && w.raw(i + 1) == "." {
        i + 2
    } else {
        i + 1
    };
    Some((m, next, abbr))
}

/// Resolves a month and day without a year against the publication date.
fn without_year(m: u32, d: u32, published: Option<NaiveDate>) -> Option<NaiveDate> {
    let p = published?;
    let this_year = NaiveDate::from_ymd_opt(p.year(), m, d);
    match this_year {
        Some(date) if date <= add_months(p, 3)? => Some(date),
        _ => NaiveDate::from_ymd_opt(p.year() - 1, m, d),
    }
}

/// `June 17`, `June 17, 2017`, `Sept. 3`, `June 2017`, `in June`, `last March`.
fn month_first(w: &Words, i: usize, published: Option<NaiveDate>) -> Option<Match> {
    // "last March" / "this March": the span starts at the modifier.
    let (modifier, mi) = match w.low(i) {
        "last" | "this" if w.cap(i + 1) && month(w.low(i + 1)).is_some() => (Some(w.low(i)), i + 1),
        _ => (None, i),
    };
    let (m, next, abbr) = month_token(w, mi)?;
    if let Some(d) = day_at(w, next) {
        // Day, then an optional ", 2017".
        let after_day = next + 1;
        let year_idx = if w.raw(after_day) == "," {
            after_day + 1
        } else {
            after_day
        };
        if modifier.is_none()
            && let Some(y) = year_at(w, year_idx)
        {
            let date = NaiveDate::from_ymd_opt(y, m, d)?;
            return Some(Match {
                len: year_idx + 1 - i,
                what: day(date, "explicit date"),
            });
        }
        let date = without_year(m, d, published)?;
        return Some(Match {
            len: after_day - i,
            what: day(date, "date without year, year from publication"),
        });
    }
    if let Some(y) = year_at(w, next).filter(|_| modifier.is_none()) {
        let (s, e) = month_range(y, m)?;
        return Some(Match {
            len: next + 1 - i,
            what: What::Time(time_ref(s, e, TimePrecision::Month, "explicit month")),
        });
    }
    // A month alone: only after a time word, and never an abbreviation.
    if abbr {
        return None;
    }
    let p = published?;
    let (s, e) = match modifier {
        Some("last") => {
            let (s, e) = month_before(p, m)?;
            if s.month() == p.month() && s.year() == p.year() {
                month_range(p.year() - 1, m)?
            } else {
                (s, e)
            }
        }
        Some(_) => month_range(p.year(), m)?,
        None => {
            if mi == 0 || !MONTH_CONTEXT.contains(&w.low(mi - 1)) {
                return None;
            }
            month_before(p, m)?
        }
    };
    Some(Match {
        len: mi + 1 - i,
        what: What::Time(time_ref(
            s,
            e,
            TimePrecision::Month,
            "month name, most recent on or before publication",
        )),
    })
}

/// `17 June 2017`, `17 June`, `3rd of March`.
fn day_first(w: &Words, i: usize, published: Option<NaiveDate>) -> Option<Match> {
    let d = day_at(w, i)?;
    let mi = if w.low(i + 1) == "of" { i + 2 } else { i + 1 };
    let (m, next, _) = month_token(w, mi)?;
    if let Some(y) = year_at(w, next) {
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        return Some(Match {
            len: next + 1 - i,
            what: day(date, "explicit date"),
        });
    }
    let date = without_year(m, d, published)?;
    Some(Match {
        len: next - i,
        what: day(date, "date without year, year from publication"),
    })
}

/// `mid-June`, `mid-2015`: one hyphenated token.
fn mid(w: &Words, i: usize, published: Option<NaiveDate>) -> Option<Match> {
    let raw = w.raw(i);
    let rest = raw
        .strip_prefix("mid-")
        .or_else(|| raw.strip_prefix("Mid-"))?;
    if let Some(m) = month(&rest.to_lowercase()).filter(|_| rest.starts_with(char::is_uppercase)) {
        // A following year: "mid-June 2016".
        let (s, e) = match year_at(w, i + 1) {
            Some(y) => month_range(y, m)?,
            None => month_before(published?, m)?,
        };
        let len = if year_at(w, i + 1).is_some() { 2 } else { 1 };
        return Some(Match {
            len,
            what: What::Time(time_ref(s, e, TimePrecision::Month, "middle of month")),
        });
    }
    let y: i64 = rest.parse().ok().filter(|y| YEARS.contains(y))?;
    let (s, e) = year_range(i32::try_from(y).ok()?)?;
    Some(Match {
        len: 1,
        what: What::Time(time_ref(s, e, TimePrecision::Year, "middle of year")),
    })
}

/// `in 2015`, `since 2014`, `early 2016`: a year after a time word (the span is the year).
fn bare_year(w: &Words, i: usize) -> Option<Match> {
    let y = year_at(w, i)?;
    if i == 0 || !MONTH_CONTEXT.contains(&w.low(i - 1)) {
        return None;
    }
    // "in 2015 people" is fine, but "in 2015 square kilometers" is not a year.
    if matches!(
        w.low(i + 1),
        "square" | "sq" | "km" | "people" | "%" | "troops" | "fighters"
    ) {
        return None;
    }
    let (s, e) = year_range(y)?;
    Some(Match {
        len: 1,
        what: What::Time(time_ref(s, e, TimePrecision::Year, "explicit year")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_text::Span;

    proptest::proptest! {
        /// The token filter of `match_at` never drops a match.
        #[test]
        fn filter_drops_no_match(
            words in proptest::collection::vec(
                "(June|Sept|Mar|May|mid-June|Mid-2015|mid-|last|this|of|in|since|the|17th|3rd|\
                 1st|31|17|2017|1999|6/17/2017|2017-06-17|\\.|,|-|people|March|may|april)",
                0..8,
            ),
            sep in "[ ,.]{1,2}",
        ) {
            let text = words.join(&sep);
            let w = Words::new(&text, Span::new(0, text.len()));
            let published = NaiveDate::from_ymd_opt(2017, 6, 20);
            for i in 0..w.len() + 1 {
                proptest::prop_assert_eq!(
                    match_at(&w, i, published),
                    match_any(&w, i, published)
                );
            }
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// First explicit match in `text`: (matched text, start, end, precision).
    fn first(
        text: &str,
        published: Option<NaiveDate>,
    ) -> Option<(String, NaiveDate, NaiveDate, TimePrecision)> {
        let w = Words::new(text, Span::new(0, text.len()));
        (0..w.len()).find_map(|i| {
            let m = match_at(&w, i, published)?;
            let What::Time(t) = m.what else { return None };
            Some((
                text[w.span(i, i + m.len).range()].to_string(),
                t.start,
                t.end,
                t.precision,
            ))
        })
    }

    const PUB: Option<NaiveDate> = NaiveDate::from_ymd_opt(2017, 6, 18);

    #[test]
    fn full_dates() {
        let day = TimePrecision::Day;
        assert_eq!(
            first("on June 17, 2017, troops", None),
            Some(("June 17, 2017".into(), d(2017, 6, 17), d(2017, 6, 17), day))
        );
        assert_eq!(
            first("on 17 June 2017 troops", None),
            Some(("17 June 2017".into(), d(2017, 6, 17), d(2017, 6, 17), day))
        );
        assert_eq!(
            first("dated 2017-06-17.", None),
            Some(("2017-06-17".into(), d(2017, 6, 17), d(2017, 6, 17), day))
        );
        assert_eq!(
            first("dated 6/17/2017.", None),
            Some(("6/17/2017".into(), d(2017, 6, 17), d(2017, 6, 17), day))
        );
        assert_eq!(
            first("dated 17/6/2017.", None),
            Some(("17/6/2017".into(), d(2017, 6, 17), d(2017, 6, 17), day))
        );
        assert_eq!(
            first("on the 3rd of March 2016", None).map(|m| m.1),
            Some(d(2016, 3, 3))
        );
    }

    #[test]
    fn dates_without_year_need_publication() {
        assert_eq!(first("on June 17 the army", None), None);
        let got = first("on June 17 the army", PUB).unwrap();
        assert_eq!((got.0.as_str(), got.1), ("June 17", d(2017, 6, 17)));
        let got = first("since Oct. 3 the town", PUB).unwrap();
        assert_eq!((got.0.as_str(), got.1), ("Oct. 3", d(2016, 10, 3)));
        let got = first("on Sept. 3 the town", PUB).unwrap();
        assert_eq!((got.0.as_str(), got.1), ("Sept. 3", d(2017, 9, 3)));
        // Within three months after publication: a coming date of the same year.
        assert_eq!(
            first("elections on Aug. 20", PUB).unwrap().1,
            d(2017, 8, 20)
        );
    }

    #[test]
    fn months_and_years() {
        let got = first("fighting in March killed", PUB).unwrap();
        assert_eq!(
            (got.1, got.2, got.3),
            (d(2017, 3, 1), d(2017, 3, 31), TimePrecision::Month)
        );
        let got = first("since the March 2011 uprising", None).unwrap();
        assert_eq!(
            (got.0.as_str(), got.1, got.3),
            ("March 2011", d(2011, 3, 1), TimePrecision::Month)
        );
        let got = first("an offensive last June", PUB).unwrap();
        assert_eq!((got.0.as_str(), got.1), ("last June", d(2016, 6, 1)));
        let got = first("captured in 2015 by", None).unwrap();
        assert_eq!(
            (got.1, got.2, got.3),
            (d(2015, 1, 1), d(2015, 12, 31), TimePrecision::Year)
        );
    }

    #[test]
    fn middle_of_periods() {
        let got = first("fighting since mid-June", PUB).unwrap();
        assert_eq!(
            (got.0.as_str(), got.1, got.3),
            ("mid-June", d(2017, 6, 1), TimePrecision::Month)
        );
        let got = first("in mid-2015 the group", None).unwrap();
        assert_eq!((got.1, got.3), (d(2015, 1, 1), TimePrecision::Year));
        let got = first("by mid-March 2016", None).unwrap();
        assert_eq!((got.0.as_str(), got.1), ("mid-March 2016", d(2016, 3, 1)));
        assert_eq!(first("a mid-level commander", PUB), None);
    }

    #[test]
    fn false_positives() {
        assert_eq!(first("Talks may resume. A march was held.", PUB), None);
        assert_eq!(first("The rebels May be forced out", PUB), None);
        assert_eq!(first("Theresa May said", PUB), None);
        assert_eq!(first("Black September was a group", PUB), None);
        assert_eq!(
            first("they seized 2015 rifles and 25,000 rounds", PUB),
            None
        );
        assert_eq!(first("an AK-47 and Resolution 2254", PUB), None);
        assert_eq!(first("in 2015 square kilometers", PUB), None);
    }
}
