//! Approximators ("at least", "about", "up to") and ranges ("between 10 and 15", "10 to 15",
//! "10-15").

use crate::time::words::Words;

use super::number::{Number, digits_value, read};

/// How an approximator changes a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hedge {
    /// The number is approximate or a lower bound ("about", "at least", "more than").
    Approximate,
    /// The number is an upper bound ("up to", "as many as", "fewer than").
    UpperBound,
}

const HEDGES: &[(&[&str], Hedge)] = &[
    (&["at", "least"], Hedge::Approximate),
    (&["more", "than"], Hedge::Approximate),
    (&["over"], Hedge::Approximate),
    (&["about"], Hedge::Approximate),
    (&["around"], Hedge::Approximate),
    (&["some"], Hedge::Approximate),
    (&["nearly"], Hedge::Approximate),
    (&["almost"], Hedge::Approximate),
    (&["roughly"], Hedge::Approximate),
    (&["approximately"], Hedge::Approximate),
    (&["an", "estimated"], Hedge::Approximate),
    (&["estimated"], Hedge::Approximate),
    (&["close", "to"], Hedge::Approximate),
    (&["well", "over"], Hedge::Approximate),
    (&["upwards", "of"], Hedge::Approximate),
    (&["in", "excess", "of"], Hedge::Approximate),
    (&["up", "to"], Hedge::UpperBound),
    (&["as", "many", "as"], Hedge::UpperBound),
    (&["at", "most"], Hedge::UpperBound),
    (&["no", "more", "than"], Hedge::UpperBound),
    (&["fewer", "than"], Hedge::UpperBound),
    (&["less", "than"], Hedge::UpperBound),
    (&["under"], Hedge::UpperBound),
];

/// Reads an approximator at `i`; returns it and the index after it.
pub(crate) fn hedge(w: &Words, i: usize) -> Option<(Hedge, usize)> {
    // Called at every token: reject words that start no approximator first.
    if !starts_hedge(w.low(i)) {
        return None;
    }
    HEDGES
        .iter()
        .filter(|(words, _)| w.seq(i, words))
        .max_by_key(|(words, _)| words.len())
        .map(|(words, h)| (*h, i + words.len()))
}

/// Whether some approximator starts with `first`.
fn starts_hedge(first: &str) -> bool {
    matches!(
        first,
        "at" | "more"
            | "over"
            | "about"
            | "around"
            | "some"
            | "nearly"
            | "almost"
            | "roughly"
            | "approximately"
            | "an"
            | "estimated"
            | "close"
            | "well"
            | "upwards"
            | "in"
            | "up"
            | "as"
            | "no"
            | "fewer"
            | "less"
            | "under"
    )
}

/// A number token written as a range, "10-15": both bounds (the second larger).
pub(crate) fn dash_range(token: &str) -> Option<(f64, f64)> {
    let (a, b) = token.split_once('-')?;
    if b.contains('-') {
        return None;
    }
    let (a, b) = (digits_value(a)?, digits_value(b)?);
    (b > a).then_some((a, b))
}

/// After a number ending at `n.end`: "to 15", "and 15" (when `between`), "- 15", "or 15";
/// returns the upper bound and the index after it. A `$` before the second bound is allowed.
pub(crate) fn range_tail(w: &Words, n: &Number, between: bool) -> Option<(f64, usize)> {
    let joiner = w.low(n.end);
    let ok = match joiner {
        "to" | "-" | "or" => true,
        "and" => between,
        _ => false,
    };
    if !ok {
        return None;
    }
    let mut j = n.end + 1;
    if w.raw(j) == "$" {
        j += 1;
    }
    let hi = read(w, j)?;
    if hi.approximate || hi.value <= n.value {
        return None;
    }
    Some((hi.value, hi.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hedge_passes_the_first_word_filter() {
        for (words, _) in HEDGES {
            assert!(starts_hedge(words[0]), "{words:?}");
        }
        assert!(!starts_hedge("killed"));
    }
    use frontline_text::Span;

    fn words(t: &str) -> Words<'_> {
        Words::new(t, Span::new(0, t.len()))
    }

    #[test]
    fn hedges() {
        assert_eq!(
            hedge(&words("at least 20"), 0),
            Some((Hedge::Approximate, 2))
        );
        assert_eq!(hedge(&words("up to 20"), 0), Some((Hedge::UpperBound, 2)));
        assert_eq!(
            hedge(&words("no more than 5"), 0),
            Some((Hedge::UpperBound, 3))
        );
        assert_eq!(
            hedge(&words("an estimated 5"), 0),
            Some((Hedge::Approximate, 2))
        );
        assert_eq!(hedge(&words("the 5"), 0), None);
    }

    #[test]
    fn ranges() {
        assert_eq!(dash_range("10-15"), Some((10.0, 15.0)));
        assert_eq!(dash_range("2017-06-18"), None);
        assert_eq!(dash_range("15-10"), None);
        let w = words("10 to 15 people");
        let n = read(&w, 0).unwrap();
        assert_eq!(range_tail(&w, &n, false), Some((15.0, 3)));
        let w = words("10 and 15 people");
        let n = read(&w, 0).unwrap();
        assert_eq!(range_tail(&w, &n, false), None);
        assert_eq!(range_tail(&w, &n, true), Some((15.0, 3)));
        let w = words("3 to 2");
        let n = read(&w, 0).unwrap();
        assert_eq!(range_tail(&w, &n, false), None);
    }
}
