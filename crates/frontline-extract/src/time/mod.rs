//! Dates and time expressions, resolved against the publication date.
//!
//! [`find_times`] scans each sentence's tokens and at every position takes the longest of:
//! - explicit dates, months and years (module `explicit`): `June 17, 2017`, `17 June`, `Sept. 3`,
//!   `2017-06-17`, `6/17/2017`, `in March`, `March 2011`, `in 2015`;
//! - expressions relative to publication (module `relative`): `today`, `yesterday`, `Sunday`, `last
//!   Sunday`, `this week`, `last month`, `earlier this month`, `in recent weeks`, `for days`,
//!   `three days ago`;
//! - `since X` for any of the above: a range from X to publication;
//! - chained expressions (module `chain`): `a day after`, `two days later`, `the day before`,
//!   resolved against an anchor (see below).
//!
//! Without a publication date, explicit dates with a year still resolve; everything that needs
//! the publication date is dropped, and so are chains with no anchor.
//!
//! Anchors: a chained expression shifts the nearest preceding time in the same sentence, else
//! the first later time in the same sentence, else the last time in the previous sentence,
//! else the publication date. [`TimeRef::anchor`] is the anchor's index in the returned list,
//! and the derivation names it: `a day after 'Sunday' (#0)`.

mod calendar;
mod chain;
mod explicit;
pub(crate) mod lexicon;
mod relative;
pub(crate) mod words;

use chrono::{Datelike, NaiveDate};
use frontline_model::{TimePrecision, TimeRef};
use frontline_text::Span;

use calendar::{add_days, add_months, month_range};
use chain::Chain;
use lexicon::Unit;
use words::Words;

/// A time expression found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeFound {
    /// Where it is in the text.
    pub span: Span,
    /// What it resolves to; `anchor` is an index into the list [`find_times`] returned.
    pub time: TimeRef,
}

/// What a pattern matched.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum What {
    /// A resolved time.
    Time(TimeRef),
    /// A shift relative to an anchor.
    Chain(Chain),
}

/// A pattern match at a token position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Match {
    /// Number of tokens matched.
    pub len: usize,
    /// What they mean.
    pub what: What,
}

pub(crate) fn time_ref(
    start: NaiveDate,
    end: NaiveDate,
    precision: TimePrecision,
    derivation: &str,
) -> TimeRef {
    TimeRef {
        start,
        end,
        precision,
        derivation: derivation.to_string(),
        anchor: None,
    }
}

/// `since X`: from the start of X to publication.
fn since(w: &Words, i: usize, published: Option<NaiveDate>) -> Option<Match> {
    if w.low(i) != "since" {
        return None;
    }
    let p = published?;
    let inner = explicit::match_at(w, i + 1, published)
        .into_iter()
        .chain(relative::match_at(w, i + 1, published))
        .max_by_key(|m| m.len)?;
    let What::Time(t) = inner.what else {
        return None;
    };
    if t.start > p {
        return None;
    }
    Some(Match {
        len: inner.len + 1,
        what: What::Time(time_ref(
            t.start,
            p,
            TimePrecision::Range,
            &format!("since {}, up to publication", t.derivation),
        )),
    })
}

/// The longest match at token `i`.
fn best_match(w: &Words, i: usize, published: Option<NaiveDate>) -> Option<Match> {
    let mut best = since(w, i, published);
    keep_longest(&mut best, explicit::match_at(w, i, published));
    keep_longest(&mut best, relative::match_at(w, i, published));
    keep_longest(&mut best, chain::match_at(w, i));
    best
}

/// Keeps the longer of `best` and `m`; `m` when equally long (the choice of
/// `Iterator::max_by_key` over the matches in order).
pub(crate) fn keep_longest(best: &mut Option<Match>, m: Option<Match>) {
    if let Some(m) = m
        && best.as_ref().is_none_or(|b| m.len >= b.len)
    {
        *best = Some(m);
    }
}

/// One found expression while resolving.
struct Item {
    span: Span,
    sentence: usize,
    time: Option<TimeRef>,
    chain: Option<Chain>,
    /// Item index of the anchor, for chains.
    anchor: Option<usize>,
}

/// Shifts an anchor time by a chain.
fn shift(anchor: &TimeRef, chain: &Chain) -> Option<(NaiveDate, NaiveDate)> {
    let f = |d: NaiveDate| match chain.unit {
        Unit::Hour | Unit::Day => add_days(d, chain.amount),
        Unit::Week => add_days(d, 7 * chain.amount),
        Unit::Month => add_months(d, chain.amount),
        Unit::Year => add_months(d, 12 * chain.amount),
    };
    let (s, e) = (f(anchor.start)?, f(anchor.end)?);
    if anchor.precision == TimePrecision::Month && matches!(chain.unit, Unit::Month | Unit::Year) {
        // Keep whole months whole.
        return Some((s, month_range(e.year(), e.month())?.1));
    }
    Some((s, e))
}

/// Finds and resolves the time expressions in `sentences` of `text`, in text order.
pub fn find_times(text: &str, sentences: &[Span], published: Option<NaiveDate>) -> Vec<TimeFound> {
    let words: Vec<Words<'_>> = sentences.iter().map(|s| Words::new(text, *s)).collect();
    find_times_in(text, &words, published)
}

/// [`find_times`] over sentences already tokenised (one [`Words`] per sentence).
pub(crate) fn find_times_in(
    text: &str,
    words: &[Words<'_>],
    published: Option<NaiveDate>,
) -> Vec<TimeFound> {
    let mut items: Vec<Item> = Vec::new();
    for (si, w) in words.iter().enumerate() {
        let first = items.len();
        let mut i = 0;
        while i < w.len() {
            let Some(m) = best_match(w, i, published) else {
                i += 1;
                continue;
            };
            let span = w.span(i, i + m.len);
            let (time, chain) = match m.what {
                What::Time(t) => (Some(t), None),
                What::Chain(c) => (None, Some(c)),
            };
            items.push(Item {
                span,
                sentence: si,
                time,
                chain,
                anchor: None,
            });
            i += m.len.max(1);
        }
        // Resolve chains in text order (a chain may anchor on an earlier chain).
        for k in first..items.len() {
            let Some(chain) = items[k].chain.clone() else {
                continue;
            };
            let resolved = |j: &usize| items[*j].time.is_some();
            let anchor = (first..k)
                .rev()
                .find(resolved)
                .or_else(|| (k + 1..items.len()).find(|j| items[*j].chain.is_none() && resolved(j)))
                .or_else(|| {
                    (0..first)
                        .rev()
                        .take_while(|j| items[*j].sentence + 1 >= si)
                        .find(resolved)
                });
            let base = match anchor {
                Some(j) => items[j].time.clone(),
                None => published.map(|p| time_ref(p, p, TimePrecision::Day, "publication date")),
            };
            let Some(base) = base else {
                continue;
            };
            if let Some((s, e)) = shift(&base, &chain) {
                let derivation = match anchor {
                    Some(_) => chain.phrase.clone(),
                    None => format!("{} publication date", chain.phrase),
                };
                items[k].time = Some(time_ref(s, e, base.precision, &derivation));
                items[k].anchor = anchor;
            }
        }
    }
    // Drop what could not be resolved and renumber anchors.
    let mut index = vec![None; items.len()];
    let mut n = 0;
    for (k, item) in items.iter().enumerate() {
        if item.time.is_some() {
            index[k] = Some(n);
            n += 1;
        }
    }
    let mut out = Vec::with_capacity(n);
    for item in &items {
        let Some(mut time) = item.time.clone() else {
            continue;
        };
        if let Some(a) = item.anchor
            && let Some(ai) = index[a]
        {
            let anchor_text = items[a].span.slice(text).unwrap_or("");
            time.derivation = format!("{} '{}' (#{})", time.derivation, anchor_text, ai);
            time.anchor = Some(ai);
        }
        out.push(TimeFound {
            span: item.span,
            time,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_text::sentences;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn run(text: &str, published: Option<NaiveDate>) -> Vec<(String, TimeRef)> {
        let sents = sentences(text, Span::new(0, text.len()));
        find_times(text, &sents, published)
            .into_iter()
            .map(|f| (text[f.span.range()].to_string(), f.time))
            .collect()
    }

    const PUB: Option<NaiveDate> = NaiveDate::from_ymd_opt(2017, 6, 18);

    #[test]
    fn weekday_and_day_after_chain() {
        let text = "Syrian troops reached the Iraqi border on Sunday, a day after allied \
                    militias seized two villages near the frontier.";
        let got = run(text, PUB);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "Sunday");
        assert_eq!(got[0].1.start, d(2017, 6, 18));
        assert_eq!(got[0].1.precision, TimePrecision::Day);
        assert!(got[0].1.derivation.contains("weekday"));
        assert_eq!(got[1].0, "a day after");
        assert_eq!(got[1].1.start, d(2017, 6, 17));
        assert_eq!(got[1].1.anchor, Some(0));
        assert_eq!(got[1].1.derivation, "a day after 'Sunday' (#0)");
    }

    #[test]
    fn anchor_later_in_sentence_and_previous_sentence() {
        let text = "A day after rebels withdrew, government forces entered the town on Monday. \
                    Two days later, aid convoys arrived.";
        let got = run(text, PUB);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, "A day after");
        assert_eq!(got[0].1.start, d(2017, 6, 11));
        assert_eq!(got[0].1.anchor, Some(1));
        assert_eq!(got[1].1.start, d(2017, 6, 12));
        assert_eq!(got[2].0, "Two days later");
        assert_eq!(got[2].1.start, d(2017, 6, 14));
        assert_eq!(got[2].1.anchor, Some(1));
    }

    #[test]
    fn chain_falls_back_to_publication() {
        let got = run("The town fell a day earlier, officials said.", PUB);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1.start, d(2017, 6, 17));
        assert_eq!(got[0].1.anchor, None);
        assert!(got[0].1.derivation.contains("publication"));
        assert!(run("The town fell a day earlier.", None).is_empty());
    }

    #[test]
    fn since_ranges() {
        let got = run("The group has held the area since 2015.", PUB);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "since 2015");
        assert_eq!(
            (got[0].1.start, got[0].1.end),
            (d(2015, 1, 1), d(2017, 6, 18))
        );
        assert_eq!(got[0].1.precision, TimePrecision::Range);
        let got = run("Shelling has continued since last Sunday.", PUB);
        assert_eq!(got[0].0, "since last Sunday");
        assert_eq!(got[0].1.start, d(2017, 6, 11));
        // Without publication the year itself still resolves.
        let got = run("held since 2015", None);
        assert_eq!(got[0].0, "2015");
        assert_eq!(got[0].1.precision, TimePrecision::Year);
    }

    #[test]
    fn without_publication_only_full_dates() {
        let text = "On June 17, 2017, troops advanced. On Sunday they stopped. In March they \
                    had retreated, and in 2014 they lost the city.";
        let got = run(text, None);
        let spans: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(spans, vec!["June 17, 2017", "2014"]);
    }

    #[test]
    fn mixed_story() {
        let text = "BEIRUT (AP) - Government forces captured the town of Arak on Saturday \
                    after fighting that began earlier this month, a monitor said.\n\n\
                    The offensive may be the largest since March. Insurgents had held Arak \
                    since June 2015, and in recent weeks they lost ground. The Sunday Times \
                    reported heavy losses.";
        let got = run(text, PUB);
        let spans: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            spans,
            vec![
                "Saturday",
                "earlier this month",
                "since March",
                "since June 2015",
                "in recent weeks"
            ]
        );
        assert_eq!(got[0].1.start, d(2017, 6, 17));
        assert_eq!(got[2].1.start, d(2017, 3, 1));
        assert_eq!(got[3].1.start, d(2015, 6, 1));
    }

    #[test]
    fn never_panics_on_extreme_dates() {
        let text = "Yesterday, last week, next year, a day after, 3000 days ago, in 2015.";
        for p in [NaiveDate::MIN, NaiveDate::MAX] {
            let _ = run(text, Some(p));
        }
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
        fn spans_are_valid_and_anchors_point_back(
            words in proptest::collection::vec(prop_oneof![
                Just("Sunday"), Just("a"), Just("day"), Just("after"), Just("later"),
                Just("two"), Just("days"), Just("since"), Just("June"), Just("17"), Just(","),
                Just("2017"), Just("in"), Just("March"), Just("last"), Just("week"),
                Just("."), Just("yesterday"), Just("the"), Just("before"), Just("Sept"),
                Just("recent"), Just("weeks"), Just("ago"), Just("\u{62F}"), Just("9/31/2017"),
            ], 0..30),
            days in -800_000i64..800_000,
            has_pub in any::<bool>(),
        ) {
            let text = words.join(" ");
            let published = has_pub
                .then(|| add_days(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(), days))
                .flatten();
            let sents = sentences(&text, Span::new(0, text.len()));
            let found = find_times(&text, &sents, published);
            let mut prev = 0;
            for (i, f) in found.iter().enumerate() {
                prop_assert!(f.span.slice(&text).is_some());
                prop_assert!(f.span.start >= prev);
                prev = f.span.end;
                prop_assert!(f.time.start <= f.time.end);
                if let Some(a) = f.time.anchor {
                    prop_assert!(a < found.len() && a != i);
                }
            }
        }
    }
}
