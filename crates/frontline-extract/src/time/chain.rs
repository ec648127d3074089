//! Chained expressions: `a day after`, `two days later`, `a day earlier`, `the day before`,
//! `the next day`, `hours after`, `later that day`, resolved against an anchor time.
//!
//! Direction depends on how the phrase is used:
//! - as an adverb (`Two days later, ...`, `... a day earlier.`) it dates its own clause:
//!   `later`/`after` add, `earlier`/`before` subtract;
//! - as a preposition before a clause or noun (`... on Sunday came a day after rebels
//!   withdrew`) it dates the clause that follows, which happened that much *before* the anchor
//!   for `after` and *after* it for `before`.
//!
//! The anchor is chosen in [`super::find_times`]: the nearest preceding time in the same
//! sentence, else the first time later in the same sentence, else the last time in the
//! previous sentence, else the publication date.

use super::Match;
use super::What;
use super::lexicon::{Unit, small_number, unit};
use super::words::Words;

/// A shift relative to an anchor time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chain {
    /// Signed amount.
    pub amount: i64,
    /// Unit of the amount (hours shift by whole days: fewer than 24 hours is the same day).
    pub unit: Unit,
    /// The phrase as written, lowercased ("a day after").
    pub phrase: String,
}

/// Whether token `i` starts a clause or noun phrase (so the phrase before it is used as a
/// preposition).
fn followed_by_words(w: &Words, i: usize) -> bool {
    w.toks.get(i).is_some_and(|t| t.is_word() || t.is_number())
}

fn phrase(w: &Words, i: usize, j: usize) -> String {
    (i..j).map(|k| w.low(k)).collect::<Vec<_>>().join(" ")
}

/// Tries the chain patterns at token `i`.
pub(crate) fn match_at(w: &Words, i: usize) -> Option<Match> {
    counted(w, i).or_else(|| fixed(w, i))
}

/// `a day after`, `two days later`, `hours after`, `the day before`, `a week earlier`.
fn counted(w: &Words, i: usize) -> Option<Match> {
    let (n, ui) = if let Some(n) = small_number(w.low(i)) {
        (n, i + 1)
    } else if let Some(n) = w.int(i).filter(|n| (1..=1000).contains(n)) {
        (n, i + 1)
    } else if w.low(i) == "the" {
        (1, i + 1)
    } else if matches!(w.low(i), "hours" | "minutes") {
        (1, i)
    } else {
        return None;
    };
    let u = unit(w.low(ui))?;
    if w.low(i) == "the" && w.low(ui) != "day" {
        return None;
    }
    let di = ui + 1;
    let direction = w.low(di);
    let prep = followed_by_words(w, di + 1);
    let sign = match direction {
        "later" => 1,
        "earlier" => -1,
        "after" if prep => -1,
        "after" => 1,
        "before" if prep => 1,
        "before" => -1,
        _ => return None,
    };
    let amount = if u == Unit::Hour {
        // "hours after": the same day.
        if n >= 24 && w.low(i) != "hours" {
            n / 24 * sign
        } else {
            0
        }
    } else {
        n * sign
    };
    let unit = if u == Unit::Hour { Unit::Day } else { u };
    Some(Match {
        len: di + 1 - i,
        what: What::Chain(Chain {
            amount,
            unit,
            phrase: phrase(w, i, di + 1),
        }),
    })
}

/// `the next day`, `the following day`, `the previous day`, `the same day`, `later that day`.
fn fixed(w: &Words, i: usize) -> Option<Match> {
    // Called at every token: every phrase below starts with one of these words.
    if !matches!(w.low(i), "the" | "later" | "earlier" | "on") {
        return None;
    }
    let table: &[(&[&str], i64)] = &[
        (&["the", "next", "day"], 1),
        (&["the", "next", "morning"], 1),
        (&["the", "following", "day"], 1),
        (&["the", "following", "morning"], 1),
        (&["the", "previous", "day"], -1),
        (&["the", "previous", "night"], -1),
        (&["the", "same", "day"], 0),
        (&["later", "that", "day"], 0),
        (&["later", "that", "night"], 0),
        (&["earlier", "that", "day"], 0),
        (&["on", "the", "same", "day"], 0),
    ];
    table
        .iter()
        .find(|(words, _)| w.seq(i, words))
        .map(|(words, amount)| Match {
            len: words.len(),
            what: What::Chain(Chain {
                amount: *amount,
                unit: Unit::Day,
                phrase: words.join(" "),
            }),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_text::Span;

    fn chain(text: &str) -> Option<(String, i64, Unit)> {
        let w = Words::new(text, Span::new(0, text.len()));
        (0..w.len()).find_map(|i| match match_at(&w, i)?.what {
            What::Chain(c) => Some((c.phrase, c.amount, c.unit)),
            What::Time(_) => None,
        })
    }

    #[test]
    fn prepositions_date_the_clause_after() {
        assert_eq!(
            chain("came a day after rebels withdrew"),
            Some(("a day after".into(), -1, Unit::Day))
        );
        assert_eq!(
            chain("two days before the vote"),
            Some(("two days before".into(), 2, Unit::Day))
        );
        assert_eq!(
            chain("hours after the strike"),
            Some(("hours after".into(), 0, Unit::Day))
        );
    }

    #[test]
    fn adverbs_date_their_own_clause() {
        assert_eq!(
            chain("Two days later, the army withdrew"),
            Some(("two days later".into(), 2, Unit::Day))
        );
        assert_eq!(
            chain("clashes erupted a day earlier."),
            Some(("a day earlier".into(), -1, Unit::Day))
        );
        assert_eq!(
            chain("had fallen the day before."),
            Some(("the day before".into(), -1, Unit::Day))
        );
        assert_eq!(
            chain("a week later"),
            Some(("a week later".into(), 1, Unit::Week))
        );
        assert_eq!(
            chain("returned the next day"),
            Some(("the next day".into(), 1, Unit::Day))
        );
        assert_eq!(
            chain("48 hours later"),
            Some(("48 hours later".into(), 2, Unit::Day))
        );
    }

    #[test]
    fn not_chains() {
        assert_eq!(chain("a day of mourning"), None);
        assert_eq!(chain("the week after next"), None);
        assert_eq!(chain("after the day"), None);
    }
}
