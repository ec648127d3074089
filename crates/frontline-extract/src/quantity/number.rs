//! Reading numbers: digits with separators and decimals, scale words (`1.2 million`), number
//! words (`three`, `twenty-five`, `two hundred`, `a dozen`) and vague plurals (`dozens`,
//! `hundreds`, `scores`, `tens of thousands`).

use crate::time::words::Words;

/// A number read from tokens `start..end`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Number {
    /// Value (the lower bound for vague plurals).
    pub value: f64,
    /// Upper bound for vague plurals ("dozens" = 24..99).
    pub max: Option<f64>,
    /// Whether the number is vague ("dozens", "a dozen").
    pub approximate: bool,
    /// Index after the last token.
    pub end: usize,
}

/// Value of a number word up to ninety-nine ("seven", "twenty-five", "forty").
pub(crate) fn word_value(word: &str) -> Option<f64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let unit = |w: &str| UNITS.iter().position(|u| *u == w);
    let ten = |w: &str| TENS.iter().position(|t| *t == w).map(|k| 20 + 10 * k);
    if let Some(u) = unit(word) {
        return Some(u as f64);
    }
    if let Some(t) = ten(word) {
        return Some(t as f64);
    }
    let (a, b) = word.split_once('-')?;
    let (t, u) = (ten(a)?, unit(b).filter(|u| (1..=9).contains(u))?);
    Some((t + u) as f64)
}

/// Multiplier of a scale word.
pub(crate) fn scale(word: &str) -> Option<f64> {
    Some(match word {
        "hundred" => 100.0,
        "thousand" => 1_000.0,
        "million" | "mln" | "m" => 1_000_000.0,
        "billion" | "bln" | "bn" => 1_000_000_000.0,
        "trillion" => 1_000_000_000_000.0,
        _ => return None,
    })
}

/// Value of a digit token with `,` thousands separators and a `.` decimal point.
pub(crate) fn digits_value(s: &str) -> Option<f64> {
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return None;
    }
    if s.bytes().filter(|&b| b == b'.').count() > 1 {
        return None;
    }
    // Thousands groups must be three digits: "25,000" yes, "1,5" no.
    let int = s.split('.').next().unwrap_or("");
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    if first.is_empty() || (int.contains(',') && first.len() > 3) {
        return None;
    }
    if groups.any(|g| g.len() != 3) {
        return None;
    }
    s.replace(',', "").parse().ok()
}

/// Vague plurals: ("dozens" -> 24..99).
fn vague(word: &str) -> Option<(f64, f64)> {
    Some(match word {
        "dozens" => (24.0, 99.0),
        "scores" => (40.0, 99.0),
        "hundreds" => (200.0, 999.0),
        "thousands" => (2_000.0, 9_999.0),
        "millions" => (2_000_000.0, 9_999_999.0),
        _ => return None,
    })
}

/// Reads a number starting at token `i`.
pub(crate) fn read(w: &Words, i: usize) -> Option<Number> {
    let low = w.low(i);
    // "tens of thousands", "hundreds of thousands"
    if matches!(low, "tens" | "hundreds") && w.low(i + 1) == "of" {
        let unit = w.low(i + 2);
        if let Some(m) = scale(unit.strip_suffix('s').unwrap_or(unit)).filter(|m| *m >= 1_000.0) {
            let (lo, hi) = if low == "tens" {
                (20.0, 99.0)
            } else {
                (200.0, 999.0)
            };
            return Some(Number {
                value: lo * m,
                max: Some((hi + 1.0) * m - 1.0),
                approximate: true,
                end: i + 3,
            });
        }
    }
    if let Some((lo, hi)) = vague(low) {
        return Some(Number {
            value: lo,
            max: Some(hi),
            approximate: true,
            end: i + 1,
        });
    }
    if low == "a" || low == "an" {
        // "a dozen", "a hundred", "a million"
        if w.low(i + 1) == "dozen" {
            return Some(Number {
                value: 12.0,
                max: None,
                approximate: true,
                end: i + 2,
            });
        }
        let m = scale(w.low(i + 1)).filter(|m| *m >= 100.0)?;
        return Some(with_scale(w, m, i + 2));
    }
    let base = if w.is_number(i) {
        digits_value(w.raw(i))?
    } else {
        word_value(low)?
    };
    // "two dozen"
    if w.low(i + 1) == "dozen" {
        return Some(Number {
            value: base * 12.0,
            max: None,
            approximate: false,
            end: i + 2,
        });
    }
    let mut n = Number {
        value: base,
        max: None,
        approximate: false,
        end: i + 1,
    };
    // "1.2 million", "two hundred", "three thousand", "two hundred thousand"
    while let Some(m) = scale(w.low(n.end)) {
        // "5 m" as metres is not a scale; only spelled-out or "mln"/"bn" after digits.
        if w.low(n.end) == "m" {
            break;
        }
        n.value *= m;
        n.end += 1;
    }
    Some(n)
}

fn with_scale(w: &Words, m: f64, end: usize) -> Number {
    let mut n = Number {
        value: m,
        max: None,
        approximate: false,
        end,
    };
    while let Some(m2) = scale(w.low(n.end)).filter(|_| w.low(n.end) != "m") {
        n.value *= m2;
        n.end += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_text::Span;

    fn num(text: &str) -> Option<(f64, Option<f64>, bool, usize)> {
        let w = Words::new(text, Span::new(0, text.len()));
        read(&w, 0).map(|n| (n.value, n.max, n.approximate, n.end))
    }

    #[test]
    fn digits() {
        assert_eq!(num("25,000 troops"), Some((25_000.0, None, false, 1)));
        assert_eq!(num("1.5 km"), Some((1.5, None, false, 1)));
        assert_eq!(
            num("1.2 million people"),
            Some((1_200_000.0, None, false, 2))
        );
        assert_eq!(num("3 bn dollars"), Some((3e9, None, false, 2)));
        assert_eq!(digits_value("1,5"), None);
        assert_eq!(digits_value("1234,567"), None);
        assert_eq!(digits_value("1.2.3"), None);
    }

    #[test]
    fn words() {
        assert_eq!(num("three soldiers"), Some((3.0, None, false, 1)));
        assert_eq!(num("twenty-five villages"), Some((25.0, None, false, 1)));
        assert_eq!(num("two hundred families"), Some((200.0, None, false, 2)));
        assert_eq!(num("a dozen rockets"), Some((12.0, None, true, 2)));
        assert_eq!(num("two dozen rockets"), Some((24.0, None, false, 2)));
        assert_eq!(num("a million dollars"), Some((1e6, None, false, 2)));
        assert_eq!(num("thirty-ten"), None);
        assert_eq!(num("a man"), None);
    }

    #[test]
    fn vague_plurals() {
        assert_eq!(num("dozens of people"), Some((24.0, Some(99.0), true, 1)));
        assert_eq!(num("hundreds were"), Some((200.0, Some(999.0), true, 1)));
        assert_eq!(num("scores of"), Some((40.0, Some(99.0), true, 1)));
        assert_eq!(
            num("tens of thousands of people"),
            Some((20_000.0, Some(99_999.0), true, 3))
        );
    }
}
