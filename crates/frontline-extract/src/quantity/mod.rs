//! Quantities: numbers with units or counted nouns, normalised.
//!
//! [`find_quantities`] reads, at each token of each sentence:
//! 1. an optional approximator ("at least", "about", "some", "nearly", "more than", "an
//!    estimated": approximate; "up to", "as many as", "fewer than": an upper bound, so
//!    `value_max` is set too) or range opener ("between", "from");
//! 2. an optional `$` / `US$` / `USD`;
//! 3. a number (module `number`): digits (`25,000`, `1.5`), scaled (`1.2 million`), words
//!    (`three`, `twenty-five`, `a dozen`) or vague plurals (`dozens`, `hundreds`, `scores`,
//!    `tens of thousands`, with an upper bound); a number token like `10-15`, or `10 to 15`,
//!    `between 10 and 15`, is a range (`value` the lower bound, `value_max` the upper);
//! 4. a unit (module `units`): areas to km² (square miles, sq km, km2, km², hectares, acres,
//!    dunams), distances to km (miles, metres), money in US dollars; a parenthetical
//!    conversion after it ("25,000 square kilometers (9,600 square miles)") belongs to the same
//!    quantity;
//! 5. otherwise a counted noun (module `people`): people ("civilians", "soldiers") or a trigger
//!    word near the number ("killed 25", "40 wounded") make a count of people whose kind comes
//!    from the nearest trigger (killed, wounded, displaced, arrested, abducted); any other
//!    noun makes a plain count ("12 rockets").
//!
//! Numbers that are not quantities are skipped (module `skip`): years, dates, times of day,
//! percentages, ages, identifiers ("Resolution 2254", "Route 4") and weapon models ("AK-47",
//! "F-16"), and counts of time units ("two days").

mod approx;
mod number;
mod people;
mod skip;
mod units;

use frontline_model::{Quantity, QuantityKind, Unit};
use frontline_text::Span;

use crate::time::words::Words;
use approx::{Hedge, dash_range, hedge, range_tail};
use number::{Number, digits_value, read};

/// A quantity found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantityFound {
    /// Where it is (approximator, number, unit or counted noun, and any conversion).
    pub span: Span,
    /// The normalised quantity.
    pub quantity: Quantity,
    /// The counted noun, lowercased ("civilians", "rockets"), when there is one.
    pub noun: Option<String>,
}

/// Time units: "two days" is a duration, not a count.
const TIME_NOUNS: &[&str] = &[
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "centuries",
    "times",
    "time",
    "nights",
    "night",
    "mornings",
    "occasions",
    "rounds",
    "percent",
    "per",
    "of",
];

/// Finds the quantities in `sentences` of `text`, in text order.
pub fn find_quantities(text: &str, sentences: &[Span]) -> Vec<QuantityFound> {
    let words: Vec<Words<'_>> = sentences.iter().map(|s| Words::new(text, *s)).collect();
    find_quantities_in(&words)
}

/// [`find_quantities`] over sentences already tokenised (one [`Words`] per sentence).
pub(crate) fn find_quantities_in(words: &[Words<'_>]) -> Vec<QuantityFound> {
    let mut out = Vec::new();
    for w in words {
        let first = out.len();
        let mut i = 0;
        while i < w.len() {
            match read_at(w, i) {
                Some((mut q, end)) => {
                    // "killed 14 people, including six children": the part shares the kind
                    // of the whole.
                    let previous: Option<&QuantityFound> = out[first..].last();
                    if i > 0
                        && matches!(w.low(i - 1), "including" | "among")
                        && q.quantity.unit == Unit::People
                        && let Some(prev) = previous.filter(|p| p.quantity.unit == Unit::People)
                    {
                        q.quantity.quantity_kind = prev.quantity.quantity_kind;
                    }
                    out.push(q);
                    i = end.max(i + 1);
                }
                None => i += 1,
            }
        }
    }
    out
}

/// A number written as one word token with its unit: "10km", "25,000-square-kilometer",
/// "10-kilometre".
fn compound<'w>(w: &'w Words, i: usize) -> Option<(f64, Vec<&'w str>)> {
    let t = w.toks.get(i)?;
    if !t.is_word() {
        return None;
    }
    let low = w.low(i);
    let split = low.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))?;
    let (num, rest) = low.split_at(split);
    let value = digits_value(num)?;
    let words: Vec<&str> = rest.trim_start_matches('-').split('-').collect();
    Some((value, words))
}

/// Reads a quantity starting at token `i`; returns it and the index after it.
fn read_at(w: &Words, i: usize) -> Option<(QuantityFound, usize)> {
    let mut j = i;
    let mut hedge_kind = None;
    if let Some((h, after)) = hedge(w, j) {
        hedge_kind = Some(h);
        j = after;
    }
    let between = matches!(w.low(j), "between" | "from");
    if between {
        j += 1;
    }
    let mut money = false;
    if w.raw(j) == "$" {
        money = true;
        j += 1;
    } else if (w.raw(j) == "US" && w.raw(j + 1) == "$") || w.low(j) == "usd" {
        money = true;
        j += if w.low(j) == "usd" { 1 } else { 2 };
    }

    // Compound tokens carry their own unit or scale: "10km", "$2.5bn".
    if let Some((value, words)) = compound(w, j) {
        if let [suffix] = words.as_slice()
            && let Some(m) = number::scale(suffix)
        {
            if !money && !matches!(w.low(j + 1), "dollars" | "dollar" | "usd") {
                return None;
            }
            let end = j + 1 + usize::from(matches!(w.low(j + 1), "dollars" | "dollar" | "usd"));
            let q = quantity(
                value * m,
                None,
                Unit::Usd,
                QuantityKind::Money,
                hedge_kind,
                false,
            );
            return Some((found(w, i, end, q, None), end));
        }
        let (unit, kind, factor, _) = units::unit_words(&words)?;
        let mut end = j + 1;
        if let Some(after) = units::conversion(w, end, kind) {
            end = after;
        }
        let q = quantity(value * factor, None, unit, kind, hedge_kind, false);
        return Some((found(w, i, end, q, None), end));
    }

    let (mut n, mut value_max) =
        if let Some((lo, hi)) = dash_range(w.raw(j)).filter(|_| w.is_number(j)) {
            let mut n = Number {
                value: lo,
                max: None,
                approximate: false,
                end: j + 1,
            };
            // "10-15 million"
            if let Some(m) = number::scale(w.low(n.end)) {
                n.value *= m;
                n.end += 1;
                (n, Some(hi * m))
            } else {
                (n, Some(hi))
            }
        } else {
            let n = read(w, j)?;
            (n, n.max)
        };
    let unit_follows = money || units::read_unit(w, n.end).is_some();
    if skip::skip(w, j, n.end, unit_follows) {
        return None;
    }
    // "one of the", "the one": pronouns, not counts.
    if matches!(w.low(j), "one" | "zero") && !money {
        let noun = w.low(n.end);
        if !(people::is_people(noun) || units::read_unit(w, n.end).is_some()) {
            return None;
        }
    }
    if value_max.is_none()
        && let Some((hi, end)) = range_tail(w, &n, between)
    {
        value_max = Some(hi);
        n.end = end;
    } else if between {
        return None;
    }
    let vague = n.approximate;

    if money {
        let mut end = n.end;
        if matches!(w.low(end), "dollars" | "dollar") {
            end += 1;
        }
        let q = quantity(
            n.value,
            value_max,
            Unit::Usd,
            QuantityKind::Money,
            hedge_kind,
            vague,
        );
        return Some((found(w, i, end, q, None), end));
    }
    if let Some(u) = units::read_unit(w, n.end) {
        let mut end = u.end;
        if let Some(after) = units::conversion(w, end, u.kind) {
            end = after;
        }
        let q = quantity(
            n.value * u.factor,
            value_max.map(|m| m * u.factor),
            u.unit,
            u.kind,
            hedge_kind,
            vague,
        );
        return Some((found(w, i, end, q, None), end));
    }

    // People or things.
    let mut noun_end = n.end;
    // "dozens of people", "hundreds of civilians"
    if vague && w.low(noun_end) == "of" {
        noun_end += 1;
    }
    let noun_idx = people::counted_noun(w, noun_end);
    let noun = noun_idx.map(|k| w.low(k).to_string());
    if noun.as_deref().is_some_and(|n| TIME_NOUNS.contains(&n)) {
        return None;
    }
    let kind = people::kind_near(w, i, n.end);
    let is_people = noun.as_deref().is_some_and(people::is_people);
    let (unit, qkind, end) = match (&noun, noun_idx) {
        (Some(_), Some(k)) if is_people => {
            (Unit::People, kind.unwrap_or(QuantityKind::Count), k + 1)
        }
        // "25 killed", "40 wounded"
        (Some(_), Some(k)) if kind.is_some() && k == n.end && trigger_word(w, k) => {
            (Unit::People, kind.unwrap_or(QuantityKind::Count), k + 1)
        }
        // "killing two of them", "wounding 12 of those": a part of a group, counted by the
        // trigger (without one, "two of them" may be tanks)
        (Some(pronoun), Some(k))
            if kind.is_some()
                && k > 0
                && w.low(k - 1) == "of"
                && matches!(pronoun.as_str(), "them" | "those" | "whom" | "us") =>
        {
            (Unit::People, kind.unwrap_or(QuantityKind::Count), k + 1)
        }
        (Some(_), Some(k)) => (Unit::Count, QuantityKind::Count, k + 1),
        _ => match kind {
            // "killed 25", "the toll rose to 25 dead"
            Some(k) => (Unit::People, k, n.end),
            None => return None,
        },
    };
    let q = quantity(n.value, value_max, unit, qkind, hedge_kind, vague);
    Some((found(w, i, end, q, noun), end))
}

/// Whether token `k` is itself a trigger ("killed", "wounded").
fn trigger_word(w: &Words, k: usize) -> bool {
    people::kind_near(w, k, k + 1).is_some() && !w.toks.get(k).is_some_and(|t| t.is_number())
}

fn quantity(
    value: f64,
    value_max: Option<f64>,
    unit: Unit,
    kind: QuantityKind,
    hedge: Option<Hedge>,
    vague: bool,
) -> Quantity {
    let value_max = match hedge {
        Some(Hedge::UpperBound) => value_max.or(Some(value)),
        _ => value_max,
    };
    Quantity {
        value,
        value_max,
        unit,
        quantity_kind: kind,
        approximate: hedge.is_some() || vague,
    }
}

fn found(
    w: &Words,
    i: usize,
    end: usize,
    quantity: Quantity,
    noun: Option<String>,
) -> QuantityFound {
    QuantityFound {
        span: w.span(i, end),
        quantity,
        noun,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_text::sentences;

    fn run(text: &str) -> Vec<(String, Quantity, Option<String>)> {
        let sents = sentences(text, Span::new(0, text.len()));
        find_quantities(text, &sents)
            .into_iter()
            .map(|f| (text[f.span.range()].to_string(), f.quantity, f.noun))
            .collect()
    }

    fn one(text: &str) -> (String, Quantity) {
        let mut v = run(text);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        let (s, q, _) = v.remove(0);
        (s, q)
    }

    #[test]
    fn area_with_conversion_is_one_quantity() {
        let (s, q) = one(
            "The group once held about 25,000 square kilometers (9,600 square miles) of desert.",
        );
        assert_eq!(s, "about 25,000 square kilometers (9,600 square miles)");
        assert_eq!(q.value, 25_000.0);
        assert_eq!(q.unit, Unit::SquareKilometre);
        assert_eq!(q.quantity_kind, QuantityKind::Area);
        assert!(q.approximate);
        let (_, q) = one("an area of 100 square miles");
        assert!((q.value - 258.998_811_033_6).abs() < 1e-6);
        let (_, q) = one("a 25,000-square-kilometer stretch");
        assert_eq!((q.value, q.unit), (25_000.0, Unit::SquareKilometre));
        let (_, q) = one("some 500 hectares of farmland burned");
        assert_eq!(q.value, 5.0);
        let (_, q) = one("covering 40 sq km in the north");
        assert_eq!(q.value, 40.0);
        let (_, q) = one("covering 40 km\u{b2} in the north");
        assert_eq!(q.unit, Unit::SquareKilometre);
    }

    #[test]
    fn distances_and_money() {
        let (s, q) = one("The town lies 30 kilometers (19 miles) south of the city.");
        assert_eq!(s, "30 kilometers (19 miles)");
        assert_eq!((q.value, q.quantity_kind), (30.0, QuantityKind::Distance));
        let (_, q) = one("a convoy 10 miles long");
        assert!((q.value - 16.093_44).abs() < 1e-9);
        let (_, q) = one("a 10km trench");
        assert_eq!((q.value, q.unit), (10.0, Unit::Kilometre));
        let (s, q) = one("pledged $1.2 billion in aid");
        assert_eq!(
            (s.as_str(), q.value, q.unit),
            ("$1.2 billion", 1.2e9, Unit::Usd)
        );
        let (_, q) = one("paid 5 million dollars in ransom");
        assert_eq!((q.value, q.quantity_kind), (5e6, QuantityKind::Money));
    }

    #[test]
    fn casualties_by_kind() {
        let got = run(
            "The strike killed at least 25 civilians and wounded 40 others, \
                       a monitor said.",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "at least 25 civilians");
        assert_eq!(got[0].1.quantity_kind, QuantityKind::Killed);
        assert!(got[0].1.approximate);
        assert_eq!(got[1].1.quantity_kind, QuantityKind::Wounded);
        assert_eq!(got[1].2.as_deref(), Some("others"));
        let (_, q) = one("Police detained 12 students.");
        assert_eq!(q.quantity_kind, QuantityKind::Arrested);
        let (_, q) = one("Gunmen abducted three aid workers.");
        assert_eq!((q.value, q.quantity_kind), (3.0, QuantityKind::Abducted));
        let (_, q) = one("Some 2,000 families fled the fighting.");
        assert_eq!(
            (q.value, q.quantity_kind),
            (2_000.0, QuantityKind::Displaced)
        );
        let (s, q) = one("The toll rose to 31 dead.");
        assert_eq!(
            (s.as_str(), q.unit, q.quantity_kind),
            ("31 dead", Unit::People, QuantityKind::Killed)
        );
        let (_, q) = one("Fighting has killed 25 since Friday.");
        assert_eq!(
            (q.unit, q.quantity_kind),
            (Unit::People, QuantityKind::Killed)
        );
        // a part of a group, counted by the trigger
        let (s, q) = one("Police fired on the marchers, killing two of them.");
        assert_eq!(
            (s.as_str(), q.unit, q.quantity_kind),
            ("two of them", Unit::People, QuantityKind::Killed)
        );
        let got = run("The rebels had six tanks and lost two of them.");
        assert_eq!(got[1].0, "two of them");
        assert_eq!(got[1].1.unit, Unit::Count);
    }

    #[test]
    fn vague_numbers_ranges_and_hedges() {
        let (s, q) = one("Dozens of fighters were killed.");
        assert_eq!(s, "Dozens of fighters");
        assert_eq!(
            (q.value, q.value_max, q.quantity_kind),
            (24.0, Some(99.0), QuantityKind::Killed)
        );
        let (_, q) = one("between 10 and 15 soldiers died");
        assert_eq!((q.value, q.value_max), (10.0, Some(15.0)));
        let (_, q) = one("10 to 15 soldiers died");
        assert_eq!((q.value, q.value_max), (10.0, Some(15.0)));
        let (_, q) = one("10-15 soldiers died");
        assert_eq!((q.value, q.value_max), (10.0, Some(15.0)));
        let (_, q) = one("up to 300 people were displaced");
        assert_eq!(
            (q.value, q.value_max, q.approximate),
            (300.0, Some(300.0), true)
        );
        let (_, q) = one("more than 1.2 million people fled");
        assert_eq!((q.value, q.approximate), (1.2e6, true));
        let (_, q) = one("tens of thousands of people fled");
        assert_eq!(q.value, 20_000.0);
        let (_, q) = one("a dozen rockets hit the base");
        assert_eq!(
            (q.value, q.unit, q.quantity_kind),
            (12.0, Unit::Count, QuantityKind::Count)
        );
        let (_, q) = one("twenty-five villages were retaken");
        assert_eq!(q.value, 25.0);
    }

    #[test]
    fn parts_ages_and_predicates() {
        let got = run(
            "Airstrikes killed 14 people, including six children, and wounded dozens \
                       more on Saturday.",
        );
        let kinds: Vec<QuantityKind> = got.iter().map(|g| g.1.quantity_kind).collect();
        assert_eq!(
            kinds,
            vec![
                QuantityKind::Killed,
                QuantityKind::Killed,
                QuantityKind::Wounded
            ]
        );
        let got = run("The war has killed 400,000 people and 5 million have fled abroad.");
        assert_eq!(got[1].1.quantity_kind, QuantityKind::Displaced);
        assert!(run("Soldiers shot dead a Palestinian, 23, at the gate.").is_empty());
        let (s, q) = one("a bomb at a checkpoint 20 km (12 miles) north of the city");
        assert_eq!((s.as_str(), q.value), ("20 km (12 miles)", 20.0));
        let (s, q) = one("it spent $2.5bn on reconstruction");
        assert_eq!((s.as_str(), q.value, q.unit), ("$2.5bn", 2.5e9, Unit::Usd));
        let got = run("The unit lost 2 BMPs at dawn.");
        assert_eq!(got[0].2.as_deref(), Some("bmps"));
    }

    #[test]
    fn counts_with_nouns() {
        let got = run("Rebels fired 12 Grad rockets and destroyed 4 tanks.");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].2.as_deref(), Some("rockets"));
        assert_eq!(got[0].1.unit, Unit::Count);
        assert_eq!(got[1].2.as_deref(), Some("tanks"));
    }

    #[test]
    fn not_quantities() {
        let text = "On June 17, 2017, at 10:30 a.m., fighters armed with AK-47 rifles and \
                    an F-16 cited Resolution 2254 in 2015. Turnout rose 40 percent. \
                    Two days later one of the men, aged 34, said it was the first time. \
                    A 25-year-old man was hurt on Route 4. No one came.";
        let got = run(text);
        // Only "the men ... hurt" style counts may be found; nothing from dates, models,
        // identifiers, years, times, ages, percentages or durations.
        assert!(got.is_empty(), "{got:?}");
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use frontline_text::sentences;
    use proptest::prelude::*;

    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        #[test]
        fn spans_are_valid_and_bounds_ordered(
            words in proptest::collection::vec(prop_oneof![
                Just("at"), Just("least"), Just("25,000"), Just("square"), Just("miles"),
                Just("("), Just(")"), Just("killed"), Just("people"), Just("between"),
                Just("and"), Just("10-15"), Just("$"), Just("1.2"), Just("million"),
                Just("dozens"), Just("of"), Just("tens"), Just("thousands"), Just("km"),
                Just("up"), Just("to"), Just("one"), Just("a"), Just("dozen"), Just("."),
                Just("9,999,999,999,999,999,999,999"), Just("10km"), Just("\u{b2}"),
                Just("\u{661}\u{662}"), Just("1e999"), Just("AK-47"), Just("2015"),
            ], 0..30),
        ) {
            let text = words.join(" ");
            let sents = sentences(&text, Span::new(0, text.len()));
            let found = find_quantities(&text, &sents);
            let mut prev = 0;
            for f in &found {
                prop_assert!(f.span.slice(&text).is_some());
                prop_assert!(!f.span.is_empty());
                prop_assert!(f.span.start >= prev);
                prev = f.span.end;
                prop_assert!(f.quantity.value.is_finite());
                if let Some(m) = f.quantity.value_max {
                    prop_assert!(m >= f.quantity.value);
                }
            }
        }
    }
}
