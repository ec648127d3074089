//! Month and weekday names, number words and time units.

use chrono::Weekday;

/// Month number (1-12) for a lowercase month name or abbreviation ("june", "sept", "jan").
pub(crate) fn month(word: &str) -> Option<u32> {
    Some(match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Whether a lowercase month word is an abbreviation (needs a day or year after it).
pub(crate) fn is_month_abbreviation(word: &str) -> bool {
    month(word).is_some() && word.len() <= 4 && word != "may" && word != "june" && word != "july"
}

/// Weekday for a lowercase weekday name.
pub(crate) fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Small counts written as words ("a", "one", ..., "twelve").
pub(crate) fn small_number(word: &str) -> Option<i64> {
    Some(match word {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        _ => return None,
    })
}

/// A calendar unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// Unit for a lowercase unit word, singular or plural.
pub(crate) fn unit(word: &str) -> Option<Unit> {
    Some(match word {
        "hour" | "hours" | "minute" | "minutes" => Unit::Hour,
        "day" | "days" => Unit::Day,
        "week" | "weeks" => Unit::Week,
        "month" | "months" => Unit::Month,
        "year" | "years" => Unit::Year,
        _ => return None,
    })
}

/// Ordinal day written with a suffix ("17th", "1st", "22nd", "3rd").
pub(crate) fn ordinal_day(word: &str) -> Option<u32> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))?;
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(month("sept"), Some(9));
        assert_eq!(month("mayday"), None);
        assert!(is_month_abbreviation("jan"));
        assert!(!is_month_abbreviation("may"));
        assert_eq!(weekday("sunday"), Some(Weekday::Sun));
        assert_eq!(small_number("two"), Some(2));
        assert_eq!(unit("weeks"), Some(Unit::Week));
        assert_eq!(ordinal_day("17th"), Some(17));
        assert_eq!(ordinal_day("45th"), None);
        assert_eq!(ordinal_day("th"), None);
    }
}
