//! Time expressions relative to the publication date: `today`, `yesterday`, `tonight`,
//! weekday names, `this week`, `last month`, `earlier this year`, `in recent weeks`, `for
//! days`, `in the past two weeks`, `three days ago`, `over the weekend` (`DT60-weekend`).
//!
//! A weekday name means the most recent such day on or before publication ("Sunday" in a
//! story published on a Sunday is that day); `last Sunday` the one strictly before it and
//! `next Tuesday` the first one after. Weekday names that are part of a name ("Sunday
//! Times", "Bloody Sunday", "Good Friday") are skipped. Every expression here needs a
//! publication date; without one nothing is returned.

use chrono::NaiveDate;
use frontline_model::TimePrecision;

use super::calendar::{
    add_days, add_months, month_range, week_range, weekday_after, weekday_before, year_range,
};
use super::lexicon::{Unit, small_number, unit, weekday};
use super::words::Words;
use super::{Match, What, keep_longest, time_ref};
use chrono::Datelike;

/// Words after a weekday name that make it part of a name.
const WEEKDAY_NAME_AFTER: &[&str] = &[
    "times",
    "telegraph",
    "mirror",
    "express",
    "post",
    "herald",
    "mail",
    "independent",
    "sport",
    "people",
    "star",
    "school",
    "service",
    "club",
];

/// Words before a weekday name that make it part of a name.
const WEEKDAY_NAME_BEFORE: &[&str] = &[
    "bloody", "black", "good", "easter", "palm", "ash", "holy", "super", "maundy", "cyber",
    "great", "the",
];

/// Parts of a day that may follow a weekday or "yesterday".
const DAY_PARTS: &[&str] = &["morning", "afternoon", "evening", "night"];

/// Tries every relative pattern at token `i`; returns the longest match.
pub(crate) fn match_at(w: &Words, i: usize, published: Option<NaiveDate>) -> Option<Match> {
    let p = published?;
    let mut best = deictic(w, i, p);
    keep_longest(&mut best, weekday_at(w, i, p));
    keep_longest(&mut best, calendar_period(w, i, p));
    keep_longest(&mut best, recent(w, i, p));
    keep_longest(&mut best, ago(w, i, p));
    keep_longest(&mut best, weekend(w, i, p));
    best
}

/// `DT60-weekend`: `over the weekend`, `at the weekend`, `this weekend`, `last weekend`, `the
/// weekend`: the Saturday and Sunday of the weekend that publication falls in (up to the
/// publication day), or else the last one before it; `last weekend` in a story published on a
/// weekend is the one before. A range of two days (ACLED time precision 2).
fn weekend(w: &Words, i: usize, p: NaiveDate) -> Option<Match> {
    let mut j = i;
    if matches!(w.low(j), "over" | "at" | "during") {
        j += 1;
    }
    let modifier = w.low(j);
    if !matches!(modifier, "the" | "this" | "last" | "past") || w.low(j + 1) != "weekend" {
        return None;
    }
    let on_weekend = matches!(p.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
    let saturday = if on_weekend && modifier != "last" {
        weekday_before(p, chrono::Weekday::Sat, false)?
    } else {
        // the last Saturday strictly before this week's, when published on a weekend
        let sat = weekday_before(p, chrono::Weekday::Sat, true)?;
        if on_weekend && p.weekday() == chrono::Weekday::Sun {
            add_days(sat, -7)?
        } else {
            sat
        }
    };
    let sunday = add_days(saturday, 1)?.min(p);
    Some(range(
        j + 2 - i,
        saturday,
        sunday,
        TimePrecision::Range,
        "weekend of or before publication",
    ))
}

fn one_day(len: usize, date: NaiveDate, derivation: &str) -> Match {
    Match {
        len,
        what: What::Time(time_ref(date, date, TimePrecision::Day, derivation)),
    }
}

fn range(
    len: usize,
    start: NaiveDate,
    end: NaiveDate,
    precision: TimePrecision,
    derivation: &str,
) -> Match {
    Match {
        len,
        what: What::Time(time_ref(start, end, precision, derivation)),
    }
}

/// Number of a day part after token `i` (0 or 1).
fn day_part(w: &Words, i: usize) -> usize {
    usize::from(DAY_PARTS.contains(&w.low(i)))
}

/// `today`, `tonight`, `yesterday`, `tomorrow`, `this morning`, `last night`.
fn deictic(w: &Words, i: usize, p: NaiveDate) -> Option<Match> {
    Some(match w.low(i) {
        "today" | "tonight" => one_day(1, p, "publication date"),
        "yesterday" => one_day(
            1 + day_part(w, i + 1),
            add_days(p, -1)?,
            "day before publication",
        ),
        "tomorrow" => one_day(
            1 + day_part(w, i + 1),
            add_days(p, 1)?,
            "day after publication",
        ),
        "this" if DAY_PARTS[..3].contains(&w.low(i + 1)) => one_day(2, p, "publication date"),
        "last" if w.low(i + 1) == "night" => {
            one_day(2, add_days(p, -1)?, "night before publication")
        }
        _ => return None,
    })
}

/// `Sunday`, `on Sunday night`, `last Sunday`, `next Tuesday`.
fn weekday_at(w: &Words, i: usize, p: NaiveDate) -> Option<Match> {
    let (modifier, di) = match w.low(i) {
        m @ ("last" | "next" | "this" | "past") => (Some(m), i + 1),
        _ => (None, i),
    };
    let day = weekday(w.low(di))?;
    if !w.cap(di) || WEEKDAY_NAME_AFTER.contains(&w.low(di + 1)) {
        return None;
    }
    if modifier.is_none() && di > 0 && WEEKDAY_NAME_BEFORE.contains(&w.low(di - 1)) && w.cap(di - 1)
    {
        return None;
    }
    let len = di + 1 - i + day_part(w, di + 1);
    let (date, derivation) = match modifier {
        Some("last" | "past") => (
            weekday_before(p, day, true)?,
            "'last' weekday, strictly before publication",
        ),
        Some("next") => (weekday_after(p, day)?, "'next' weekday, after publication"),
        _ => (
            weekday_before(p, day, false)?,
            "weekday, most recent on or before publication",
        ),
    };
    Some(one_day(len, date, derivation))
}

/// `this week`, `last month`, `next year`, `earlier this month`, `later this week`.
fn calendar_period(w: &Words, i: usize, p: NaiveDate) -> Option<Match> {
    let (earlier, later, j) = match w.low(i) {
        "earlier" => (true, false, i + 1),
        "later" => (false, true, i + 1),
        _ => (false, false, i),
    };
    let shift: i64 = match w.low(j) {
        "this" => 0,
        "last" | "past" => -1,
        "next" => 1,
        _ => return None,
    };
    let u = match w.low(j + 1) {
        "week" => Unit::Week,
        "month" => Unit::Month,
        "year" => Unit::Year,
        _ => return None,
    };
    let (s, e, precision) = match u {
        Unit::Week => {
            let (s, e) = week_range(add_days(p, 7 * shift)?)?;
            (s, e, TimePrecision::Week)
        }
        Unit::Month => {
            let d = add_months(p, shift)?;
            let (s, e) = month_range(d.year(), d.month())?;
            (s, e, TimePrecision::Month)
        }
        _ => {
            let (s, e) = year_range(p.year() + i32::try_from(shift).ok()?)?;
            (s, e, TimePrecision::Year)
        }
    };
    let len = j + 2 - i;
    if earlier && shift == 0 {
        return Some(range(
            len,
            s,
            p.max(s),
            TimePrecision::Range,
            "earlier in the period of publication",
        ));
    }
    if later && shift == 0 {
        return Some(range(
            len,
            p.min(e),
            e,
            TimePrecision::Range,
            "later in the period of publication",
        ));
    }
    if earlier || later {
        return None;
    }
    let derivation = match shift {
        0 => "period of publication",
        -1 => "period before publication",
        _ => "period after publication",
    };
    // "this week" and "this year" are about what has happened so far.
    Some(range(len, s, e, precision, derivation))
}

/// Days covered by a vague span of `u` ("weeks" = 28 days).
fn vague_days(u: Unit) -> Option<i64> {
    Some(match u {
        Unit::Hour => 1,
        Unit::Day => 7,
        Unit::Week => 28,
        Unit::Month => 90,
        Unit::Year => return None,
    })
}

/// Days in `n` of `u`.
fn days_in(n: i64, u: Unit) -> i64 {
    match u {
        Unit::Hour => (n + 23) / 24,
        Unit::Day => n,
        Unit::Week => 7 * n,
        Unit::Month => 30 * n,
        Unit::Year => 365 * n,
    }
}

/// `in recent weeks`, `recent days`, `for weeks`, `in the past two weeks`, `over the last few
/// days`, `in the past 24 hours`: a range ending at publication.
fn recent(w: &Words, i: usize, p: NaiveDate) -> Option<Match> {
    let mut j = i;
    if matches!(w.low(j), "in" | "over" | "during" | "within" | "for") {
        j += 1;
    }
    let lead_for = w.low(i) == "for" && j == i + 1;
    if w.low(j) == "the" {
        j += 1;
    }
    let (days, end) = if w.low(j) == "recent" {
        let u = unit(w.low(j + 1))?;
        (vague_days(u)?, j + 2)
    } else if matches!(w.low(j), "past" | "last") && j > i {
        // "the past week", "the last two weeks", "the past few days", "past 24 hours".
        let k = j + 1;
        let (n, k) =
            if let Some(n) = small_number(w.low(k)).or_else(|| w.int(k).filter(|n| *n <= 1000)) {
                (Some(n), k + 1)
            } else if matches!(w.low(k), "few" | "several" | "couple") {
                let k = if w.low(k + 1) == "of" { k + 2 } else { k + 1 };
                (None, k)
            } else {
                (Some(1), k)
            };
        let u = unit(w.low(k))?;
        let days = match n {
            Some(n) => days_in(n, u),
            None => vague_days(u)?,
        };
        (days, k + 1)
    } else if lead_for && matches!(w.low(j), "days" | "weeks" | "months") {
        let u = unit(w.low(j))?;
        (vague_days(u)?, j + 1)
    } else {
        return None;
    };
    let start = add_days(p, -days)?;
    Some(range(
        end - i,
        start,
        p,
        TimePrecision::Range,
        "recent period ending at publication",
    ))
}

/// `three days ago`, `a week ago`, `two months ago`.
fn ago(w: &Words, i: usize, p: NaiveDate) -> Option<Match> {
    let n = small_number(w.low(i)).or_else(|| w.int(i).filter(|n| *n <= 1000))?;
    let u = unit(w.low(i + 1))?;
    if w.low(i + 2) != "ago" {
        return None;
    }
    let m = match u {
        Unit::Hour => one_day(3, p, "hours before publication"),
        Unit::Day => one_day(3, add_days(p, -n)?, "days before publication"),
        Unit::Week => {
            let s = add_days(p, -7 * n)?;
            range(
                3,
                s,
                add_days(s, 6)?.min(p),
                TimePrecision::Week,
                "weeks before publication",
            )
        }
        Unit::Month => {
            let d = add_months(p, -n)?;
            let (s, e) = month_range(d.year(), d.month())?;
            range(3, s, e, TimePrecision::Month, "months before publication")
        }
        Unit::Year => {
            let (s, e) = year_range(p.year() - i32::try_from(n).ok()?)?;
            range(3, s, e, TimePrecision::Year, "years before publication")
        }
    };
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::TimeRef;
    use frontline_text::Span;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Sunday, June 18, 2017.
    const PUB: NaiveDate = match NaiveDate::from_ymd_opt(2017, 6, 18) {
        Some(d) => d,
        None => NaiveDate::MIN,
    };

    fn all(text: &str) -> Vec<(String, TimeRef)> {
        let w = Words::new(text, Span::new(0, text.len()));
        let mut out = Vec::new();
        let mut i = 0;
        while i < w.len() {
            match match_at(&w, i, Some(PUB)) {
                Some(Match {
                    len,
                    what: What::Time(t),
                }) => {
                    out.push((text[w.span(i, i + len).range()].to_string(), t));
                    i += len;
                }
                _ => i += 1,
            }
        }
        out
    }

    fn one(text: &str) -> (String, NaiveDate, NaiveDate, TimePrecision) {
        let mut v = all(text);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        let (s, t) = v.remove(0);
        (s, t.start, t.end, t.precision)
    }

    #[test]
    fn dt60_weekends() {
        // PUB is a Sunday: "the weekend" is this one, "last weekend" the one before
        let t = one("gunmen killed 17 people over the weekend");
        assert_eq!(
            (t.0.as_str(), t.1, t.2),
            ("over the weekend", d(2017, 6, 17), PUB)
        );
        assert_eq!(t.3, TimePrecision::Range);
        let t = one("riots last weekend");
        assert_eq!((t.1, t.2), (d(2017, 6, 10), d(2017, 6, 11)));
        // published on a Wednesday: the Saturday and Sunday before
        let w = Words::new("at the weekend", Span::new(0, 14));
        let m = match_at(&w, 0, Some(d(2017, 6, 21)));
        let Some(Match {
            what: What::Time(t),
            len,
        }) = m
        else {
            panic!("{m:?}")
        };
        assert_eq!((len, t.start, t.end), (3, d(2017, 6, 17), d(2017, 6, 18)));
        assert!(all("a weekend market").is_empty());
    }

    #[test]
    fn deictic_words() {
        assert_eq!(one("clashes today").1, PUB);
        assert_eq!(one("clashes tonight").1, PUB);
        let y = one("shelled yesterday morning");
        assert_eq!((y.0.as_str(), y.1), ("yesterday morning", d(2017, 6, 17)));
        assert_eq!(one("fighting last night").1, d(2017, 6, 17));
        assert_eq!(one("said this morning").1, PUB);
        assert!(match_at(&Words::new("today", Span::new(0, 5)), 0, None).is_none());
    }

    #[test]
    fn weekdays() {
        assert_eq!(one("on Sunday, troops").1, PUB);
        assert_eq!(one("on Friday night").0, "Friday night");
        assert_eq!(one("on Friday night").1, d(2017, 6, 16));
        assert_eq!(one("since last Sunday").1, d(2017, 6, 11));
        assert_eq!(one("due next Tuesday").1, d(2017, 6, 20));
        assert_eq!(one("on Monday").1, d(2017, 6, 12));
        assert!(all("The Sunday Times reported").is_empty());
        assert!(all("on Bloody Sunday and Good Friday").is_empty());
        assert!(all("a sunday school").is_empty());
    }

    #[test]
    fn periods() {
        let w = one("clashes this week");
        assert_eq!(
            (w.1, w.2, w.3),
            (d(2017, 6, 12), d(2017, 6, 18), TimePrecision::Week)
        );
        let m = one("talks last month");
        assert_eq!(
            (m.1, m.2, m.3),
            (d(2017, 5, 1), d(2017, 5, 31), TimePrecision::Month)
        );
        let y = one("elections next year");
        assert_eq!((y.1, y.3), (d(2018, 1, 1), TimePrecision::Year));
        let e = one("captured earlier this month");
        assert_eq!(
            (e.0.as_str(), e.1, e.2, e.3),
            (
                "earlier this month",
                d(2017, 6, 1),
                PUB,
                TimePrecision::Range
            )
        );
    }

    #[test]
    fn recent_ranges() {
        let r = one("advanced in recent weeks");
        assert_eq!(
            (r.0.as_str(), r.1, r.2, r.3),
            ("in recent weeks", d(2017, 5, 21), PUB, TimePrecision::Range)
        );
        assert_eq!(one("in recent days").1, d(2017, 6, 11));
        assert_eq!(one("besieged for weeks").0, "for weeks");
        assert_eq!(one("in the past two weeks").1, d(2017, 6, 4));
        assert_eq!(one("over the past 24 hours").1, d(2017, 6, 17));
        assert_eq!(one("over the last few days").1, d(2017, 6, 11));
        assert!(all("for the people").is_empty());
        assert!(all("recent fighting").is_empty());
    }

    #[test]
    fn ago_expressions() {
        assert_eq!(one("three days ago").1, d(2017, 6, 15));
        let w = one("a week ago");
        assert_eq!(
            (w.1, w.2, w.3),
            (d(2017, 6, 11), d(2017, 6, 17), TimePrecision::Week)
        );
        assert_eq!(one("two months ago").1, d(2017, 4, 1));
        assert_eq!(one("four years ago").1, d(2013, 1, 1));
    }
}
