//! Calendar arithmetic that never panics (out-of-range dates give `None`).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// `date` shifted by `days` (negative = earlier).
pub(crate) fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    let n = Days::new(days.unsigned_abs());
    if days >= 0 {
        date.checked_add_days(n)
    } else {
        date.checked_sub_days(n)
    }
}

/// `date` shifted by `months` (negative = earlier), clamped to the month's last day.
pub(crate) fn add_months(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    let n = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 {
        date.checked_add_months(n)
    } else {
        date.checked_sub_months(n)
    }
}

/// The most recent `day` on or before `date` (or strictly before, when `strict`).
pub(crate) fn weekday_before(date: NaiveDate, day: Weekday, strict: bool) -> Option<NaiveDate> {
    let mut back = (date.weekday().num_days_from_monday() + 7 - day.num_days_from_monday()) % 7;
    if strict && back == 0 {
        back = 7;
    }
    add_days(date, -i64::from(back))
}

/// The first `day` strictly after `date`.
pub(crate) fn weekday_after(date: NaiveDate, day: Weekday) -> Option<NaiveDate> {
    let mut ahead = (day.num_days_from_monday() + 7 - date.weekday().num_days_from_monday()) % 7;
    if ahead == 0 {
        ahead = 7;
    }
    add_days(date, i64::from(ahead))
}

/// First and last day of a month.
pub(crate) fn month_range(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = add_days(add_months(first, 1)?, -1)?;
    Some((first, last))
}

/// First and last day of a year.
pub(crate) fn year_range(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        NaiveDate::from_ymd_opt(year, 1, 1)?,
        NaiveDate::from_ymd_opt(year, 12, 31)?,
    ))
}

/// Monday to Sunday of the week containing `date`.
pub(crate) fn week_range(date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let monday = weekday_before(date, Weekday::Mon, false)?;
    Some((monday, add_days(monday, 6)?))
}

/// The most recent occurrence of `month` whose first day is on or before `date`.
pub(crate) fn month_before(date: NaiveDate, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let year = if month <= date.month() {
        date.year()
    } else {
        date.year() - 1
    };
    month_range(year, month)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekdays() {
        let sun = d(2017, 6, 18);
        assert_eq!(weekday_before(sun, Weekday::Sun, false), Some(sun));
        assert_eq!(
            weekday_before(sun, Weekday::Sun, true),
            Some(d(2017, 6, 11))
        );
        assert_eq!(
            weekday_before(sun, Weekday::Fri, false),
            Some(d(2017, 6, 16))
        );
        assert_eq!(weekday_after(sun, Weekday::Tue), Some(d(2017, 6, 20)));
        assert_eq!(weekday_after(sun, Weekday::Sun), Some(d(2017, 6, 25)));
    }

    #[test]
    fn ranges() {
        assert_eq!(month_range(2016, 2), Some((d(2016, 2, 1), d(2016, 2, 29))));
        assert_eq!(month_range(2016, 13), None);
        assert_eq!(
            week_range(d(2017, 6, 18)),
            Some((d(2017, 6, 12), d(2017, 6, 18)))
        );
        assert_eq!(
            month_before(d(2017, 6, 18), 3),
            Some((d(2017, 3, 1), d(2017, 3, 31)))
        );
        assert_eq!(
            month_before(d(2017, 6, 18), 9),
            Some((d(2016, 9, 1), d(2016, 9, 30)))
        );
        assert_eq!(add_months(d(2017, 3, 31), -1), Some(d(2017, 2, 28)));
        assert_eq!(add_days(NaiveDate::MAX, 1), None);
    }
}
