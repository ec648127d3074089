//! Units after a number: areas (to km²), distances (to km) and money (US dollars), with the
//! parenthetical conversion wire stories add ("25,000 square kilometers (9,600 square miles)")
//! absorbed into the same quantity.

use frontline_model::{QuantityKind, Unit};

use crate::time::words::Words;

use super::approx::hedge;
use super::number::read;

/// Kilometres per mile.
pub(crate) const MILE: f64 = 1.609_344;

/// A unit read after a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct UnitFound {
    /// Normalised unit.
    pub unit: Unit,
    /// What it measures.
    pub kind: QuantityKind,
    /// Multiply the number by this to get the normalised unit.
    pub factor: f64,
    /// Index after the unit's tokens.
    pub end: usize,
}

fn length_factor(word: &str) -> Option<f64> {
    Some(match word {
        "kilometers" | "kilometres" | "kilometer" | "kilometre" | "km" | "kms" => 1.0,
        "miles" | "mile" | "mi" => MILE,
        "meters" | "metres" | "meter" | "metre" | "m" => 0.001,
        _ => return None,
    })
}

fn area_word_factor(word: &str) -> Option<f64> {
    Some(match word {
        "km2" | "sqkm" | "km\u{b2}" => 1.0,
        "hectares" | "hectare" | "ha" => 0.01,
        "acres" | "acre" => 0.004_046_856_422_4,
        "dunams" | "dunums" | "donums" | "dunam" | "dunum" => 0.001,
        _ => return None,
    })
}

/// Reads unit words from a list of lowercase words (the parts of a hyphenated
/// "25,000-square-kilometer" or separate tokens); returns (unit, kind, factor, words used).
pub(crate) fn unit_words(words: &[&str]) -> Option<(Unit, QuantityKind, f64, usize)> {
    let first = *words.first()?;
    if matches!(first, "square" | "sq") {
        let mut k = 1;
        if words.get(k) == Some(&".") {
            k += 1;
        }
        let f = length_factor(words.get(k)?)?;
        return Some((Unit::SquareKilometre, QuantityKind::Area, f * f, k + 1));
    }
    if let Some(f) = area_word_factor(first) {
        return Some((Unit::SquareKilometre, QuantityKind::Area, f, 1));
    }
    if let Some(f) = length_factor(first) {
        // "km²" / "km 2"
        if matches!(words.get(1), Some(&"\u{b2}")) {
            return Some((Unit::SquareKilometre, QuantityKind::Area, f * f, 2));
        }
        return Some((Unit::Kilometre, QuantityKind::Distance, f, 1));
    }
    if matches!(first, "dollars" | "dollar" | "usd") {
        return Some((Unit::Usd, QuantityKind::Money, 1.0, 1));
    }
    None
}

/// Reads a unit at token `i`.
pub(crate) fn read_unit(w: &Words, i: usize) -> Option<UnitFound> {
    let words: Vec<&str> = (i..i + 3).map(|k| w.low(k)).collect();
    let (unit, kind, factor, used) = unit_words(&words)?;
    // A lone "m" is metres only right after digits ("5 m"), never "5 m people".
    if w.low(i) == "m" && w.toks.get(i + 1).is_some_and(|t| t.is_word()) {
        return None;
    }
    Some(UnitFound {
        unit,
        kind,
        factor,
        end: i + used,
    })
}

/// A parenthetical conversion at `i` ("(9,600 square miles)", "(about 6 miles)") of the same
/// kind as `kind`; returns the index after the closing bracket.
pub(crate) fn conversion(w: &Words, i: usize, kind: QuantityKind) -> Option<usize> {
    if w.raw(i) != "(" {
        return None;
    }
    let mut j = i + 1;
    if let Some((_, after)) = hedge(w, j) {
        j = after;
    }
    if w.raw(j) == "$" {
        j += 1;
    }
    let n = read(w, j)?;
    let u = read_unit(w, n.end)?;
    if u.kind != kind || w.raw(u.end) != ")" {
        return None;
    }
    Some(u.end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_text::Span;

    #[test]
    fn unit_words_and_factors() {
        let a = unit_words(&["square", "miles"]).unwrap();
        assert_eq!(
            (a.0, a.1, a.3),
            (Unit::SquareKilometre, QuantityKind::Area, 2)
        );
        assert!((a.2 - 2.589_988_110_336).abs() < 1e-9);
        let a = unit_words(&["sq", ".", "km"]).unwrap();
        assert_eq!((a.2, a.3), (1.0, 3));
        assert_eq!(unit_words(&["km", "\u{b2}"]).unwrap().1, QuantityKind::Area);
        assert_eq!(unit_words(&["hectares"]).unwrap().2, 0.01);
        assert_eq!(unit_words(&["miles"]).unwrap().1, QuantityKind::Distance);
        assert_eq!(unit_words(&["dollars"]).unwrap().0, Unit::Usd);
        assert_eq!(unit_words(&["people"]), None);
        assert_eq!(unit_words(&["square", "feet"]), None);
    }

    #[test]
    fn conversions() {
        let t = "25,000 square kilometers (9,600 square miles) of desert";
        let w = Words::new(t, Span::new(0, t.len()));
        let u = read_unit(&w, 1).unwrap();
        let end = conversion(&w, u.end, QuantityKind::Area).unwrap();
        assert_eq!(
            &t[w.span(0, end).range()],
            "25,000 square kilometers (9,600 square miles)"
        );
        // A bracket with something else is not a conversion.
        let t = "40 km (the old road)";
        let w = Words::new(t, Span::new(0, t.len()));
        assert_eq!(conversion(&w, 2, QuantityKind::Distance), None);
        let t = "40 km (25 dollars)";
        let w = Words::new(t, Span::new(0, t.len()));
        assert_eq!(conversion(&w, 2, QuantityKind::Distance), None);
    }
}
