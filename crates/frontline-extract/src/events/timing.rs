//! Stage 5 of coding a trigger: **date**. The time mention of the clause nearest the trigger
//! (`DT10`), else of the sentence (`DT20`), else the previous dated event's within two
//! sentences (`DT30`), else the publication date (`DT40`), by [`super::dates::pick`]. The time
//! a reporting verb takes ("denied on Thursday that ...", "..., the army said on Tuesday") is
//! when it was said, not when the reported act happened, and is not read; nor is a time in an
//! "after ..." clause that follows the trigger's clause, which dates another act (`DT21`), nor a
//! time in a relative clause closed before the trigger ("rebels who signed a deal in May, seized
//! ...", `DT22`). An
//! event whose own
//! date ends more than [`BACKGROUND_DAYS`] days before the publication date is a past event
//! retold as context, not news of the document (`DT50-background`). So is an event the text
//! places in a past era without a date ("during the second intifada", "in the 1990s", "in the
//! war that followed independence", `DT51-past-era`).

use std::borrow::Cow;

use chrono::NaiveDate;
use frontline_model::TimeRef;

use crate::lex::Tokens;

use super::lexicon::TriggerHit;
use super::{AttributionHit, DocState, TimeHit, dates};

/// The event's date, pushing the id of the rule that gave it.
#[allow(clippy::too_many_arguments)]
pub(super) fn date(
    t: &Tokens<'_>,
    times: &[TimeHit],
    sentence: usize,
    h: &TriggerHit,
    clause: (usize, usize),
    reporting: &[&AttributionHit],
    state: &DocState,
    rules: &mut Vec<String>,
) -> Option<TimeRef> {
    let prev_date = state
        .prev_date
        .as_ref()
        .filter(|_| state.prev_date_sentence.is_some_and(|p| sentence <= p + 2));
    let spoken = |th: &TimeHit| said_at(t, th, h, reporting);
    let after_clause = |th: &TimeHit| earlier_act_time(t, th, h, clause);
    let relative = |th: &TimeHit| relative_clause_time(t, th, h);
    let other_act = |th: &TimeHit| after_clause(th) || relative(th);
    let event_times: Cow<'_, [TimeHit]> = if times.iter().any(|th| spoken(th) || other_act(th)) {
        if times.iter().any(after_clause) {
            rules.push("DT21-earlier-act-time".into());
        }
        if times.iter().any(relative) {
            rules.push("DT22-relative-clause-time".into());
        }
        times
            .iter()
            .filter(|th| !spoken(th) && !other_act(th))
            .cloned()
            .collect()
    } else {
        Cow::Borrowed(times)
    };
    dates::pick(
        &event_times,
        (h.start, h.end),
        clause,
        prev_date,
        state.published,
    )
    .map(|(d, r)| {
        rules.push(r.to_string());
        d
    })
}

/// How many days before the publication date an event's own date must end for the event to
/// be background (the same span as fusion's FU20).
pub const BACKGROUND_DAYS: i64 = 30;

/// `DT50-background`: whether an event dated from the text (its clause, its sentence or the
/// previous dated event: `DT10`, `DT20`, `DT30`) ended more than [`BACKGROUND_DAYS`] before
/// publication ("in October 2016", "last year", "15 years ago"): a past event told as context.
/// A date taken from the publication date (`DT40`) says nothing. Pushes the rule id. (A date
/// carried by `DT30` sets aside some news told right after a background sentence, 5 of 11 such
/// flags on stored news pages, but also keeps out the habitual and running-total sentences of a
/// background paragraph, 7 false events on the dev halves of the articles and fusion sets: it is
/// kept.)
pub(super) fn background(
    date: Option<&TimeRef>,
    published: Option<NaiveDate>,
    rules: &mut Vec<String>,
) -> bool {
    let (Some(d), Some(p)) = (date, published) else {
        return false;
    };
    let own = rules
        .iter()
        .any(|r| r.starts_with("DT10") || r.starts_with("DT20") || r.starts_with("DT30"));
    let past = own && (p - d.end).num_days() > BACKGROUND_DAYS;
    if past {
        rules.push("DT50-background".to_string());
    }
    past
}

/// Nouns of a war or an era that a phrase can place an event in (`DT51`).
const ERAS: &[&str] = &[
    "war",
    "wars",
    "intifada",
    "uprising",
    "revolution",
    "occupation",
    "conflict",
    "invasion",
    "era",
];

/// Ordinals that number a past war or uprising ("the second intifada", "the first Gulf war").
const ORDINALS: &[&str] = &["first", "second", "third", "fourth", "fifth"];

/// A year between 1900 and 2099 ("1967").
fn year(w: &str) -> bool {
    w.len() == 4
        && (w.starts_with("19") || w.starts_with("20"))
        && w.bytes().all(|b| b.is_ascii_digit())
}

/// A decade at token `k`: "1990s" (one token or "1990" and "s"), or "1990" followed by "'s".
fn decade(t: &Tokens<'_>, k: usize) -> bool {
    let w = t.low(k);
    (w.len() == 5 && w.ends_with('s') && year(&w[..4]))
        || (year(w) && matches!(t.low(k + 1), "s" | "'s" | "\u{2019}s"))
}

/// `DT51-past-era`: whether the trigger's clause, or a phrase opening its sentence ("During
/// the second intifada, ..."), places it with "during" or "in" in a past era the text names
/// without a date: a numbered war or uprising ("during the second intifada"), a war named by
/// its year ("in the 1967 war", "the war of 1948"), a war the text says followed or ended in
/// something ("in the war that followed independence"), or a decade ("in the 1990s", "during
/// the early 1980s"). Such an act is history told as context, not news. "since the war" (a
/// running total) and a bare "during the war" (often the war under way) are left alone.
/// Pushes the rule id.
pub(super) fn past_era(
    t: &Tokens<'_>,
    h: &TriggerHit,
    clause: (usize, usize),
    rules: &mut Vec<String>,
) -> bool {
    let (c0, c1) = (
        clause.0.max(h.start.saturating_sub(12)),
        clause.1.min(h.end + 12),
    );
    let opens = |k: usize| matches!(t.low(k), "during" | "in") && t.low(k + 1) == "the";
    // an opening phrase governs the whole sentence: "During the first war, ..."
    let found = (c0..c1).any(|k| opens(k) && era_after(t, k + 2))
        || (0..2.min(h.start)).any(|k| opens(k) && era_after(t, k + 2));
    if found {
        rules.push("DT51-past-era".to_string());
    }
    found
}

/// Whether the words from `k` (after "during the") name a past era (`DT51`): up to three
/// words before an era noun, one of them an ordinal or a year; or the noun followed by "of
/// YEAR", "that followed" or "that ended"; or a decade.
fn era_after(t: &Tokens<'_>, k: usize) -> bool {
    for j in k..(k + 4).min(t.len()) {
        let w = t.low(j);
        if decade(t, j) {
            return true;
        }
        // "the first war crimes trial", "the second war zone": a modifier, no era
        if ERAS.contains(&w)
            && matches!(
                t.low(j + 1),
                "crimes" | "crime" | "criminal" | "criminals" | "zone" | "zones"
            )
        {
            return false;
        }
        if ERAS.contains(&w) {
            let marked = (k..j).any(|m| ORDINALS.contains(&t.low(m)) || year(t.low(m)));
            let after = (t.low(j + 1) == "of" && year(t.low(j + 2)))
                || (t.low(j + 1) == "that" && matches!(t.low(j + 2), "followed" | "ended"));
            return marked || after;
        }
        if !w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return false;
        }
    }
    false
}

/// `DT21-earlier-act-time`: whether a time outside the trigger's clause lies in a clause that
/// "after", "following" or "before" opens after the trigger ("a rally was held ...
/// after a man was killed Thursday", "protests erupted after the election on Sunday"): it
/// dates that other act, not the trigger's. Looks back from the time, at most eight words and
/// not past a sentence or clause break, for the subordinator.
fn earlier_act_time(t: &Tokens<'_>, th: &TimeHit, h: &TriggerHit, clause: (usize, usize)) -> bool {
    if th.start >= clause.0 && th.end <= clause.1 || th.start < h.end {
        return false;
    }
    let lo = th.start.saturating_sub(8).max(h.end);
    for j in (lo..th.start).rev() {
        match t.low(j) {
            // "after 2000" dates the trigger; "named after X ... in March" names, not times
            "after" | "following" | "before" => {
                let named = j > 0 && matches!(t.low(j - 1), "named" | "renamed" | "called");
                return j + 1 < th.start && !named;
            }
            "." | ";" | "," | "and" | "but" | "when" | "as" | "while" => return false,
            _ => {}
        }
    }
    false
}

/// `DT22-relative-clause-time`: whether a time before the trigger lies in a relative clause
/// ("who", "which") that closes with a comma before it ("rebels who signed a peace deal two
/// months ago, seized two towns"): it dates the relative clause's act, not the trigger's.
fn relative_clause_time(t: &Tokens<'_>, th: &TimeHit, h: &TriggerHit) -> bool {
    if th.end > h.start {
        return false;
    }
    let closed = (th.end..h.start).any(|j| t.low(j) == ",");
    let lo = th.start.saturating_sub(12);
    closed
        && (lo..th.start)
            .rev()
            .take_while(|&j| !matches!(t.low(j), "." | ";" | ","))
            .any(|j| matches!(t.low(j), "who" | "which"))
}

/// Whether a time is the one a reporting verb takes: just after the cue, outside the reported
/// words or before their "that".
fn said_at(t: &Tokens<'_>, th: &TimeHit, h: &TriggerHit, reporting: &[&AttributionHit]) -> bool {
    reporting.iter().any(|a| {
        let f = &a.found;
        th.start > f.cue_tok
            && th.start <= f.cue_tok + 3
            && (th.end <= f.content.0
                || th.start >= f.content.1
                || (th.end < h.start && t.low(th.end) == "that"))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use frontline_model::TimePrecision;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn span(start: NaiveDate, end: NaiveDate) -> TimeRef {
        TimeRef {
            start,
            end,
            precision: TimePrecision::Month,
            derivation: "explicit".into(),
            anchor: None,
        }
    }

    #[test]
    fn a_past_event_of_the_text_is_background() {
        let published = Some(ymd(2018, 3, 20));
        // "in October 2016": told from the sentence's own time
        let mut rules = vec!["EV160".to_string(), "DT20-sentence-time".to_string()];
        let old = span(ymd(2016, 10, 1), ymd(2016, 10, 31));
        assert!(background(Some(&old), published, &mut rules));
        assert_eq!(rules.last().unwrap(), "DT50-background");
        // "on Sunday": this week's news
        let mut rules = vec!["DT10-clause-time".to_string()];
        let recent = span(ymd(2018, 3, 18), ymd(2018, 3, 18));
        assert!(!background(Some(&recent), published, &mut rules));
        // "earlier this month": ends within the window
        let month = span(ymd(2018, 3, 1), ymd(2018, 3, 19));
        assert!(!background(Some(&month), published, &mut rules));
        assert_eq!(rules.len(), 1);
    }

    fn era(s: &str, word: &str) -> bool {
        let lower = s.to_ascii_lowercase();
        let t = crate::lex::tokenize(s, &lower, frontline_text::Span::new(0, s.len()));
        let k = (0..t.len()).find(|&k| t.low(k) == word).unwrap();
        let h = TriggerHit {
            rule: 0,
            start: k,
            end: k + 1,
            form: super::super::lexicon::Form::Verb,
        };
        let clause = super::super::roles::clause(&t, k, k + 1);
        let mut rules = Vec::new();
        let found = past_era(&t, &h, clause, &mut rules);
        assert_eq!(found, rules == ["DT51-past-era"]);
        found
    }

    #[test]
    fn an_act_placed_in_a_past_era_is_background() {
        assert!(era(
            "Her uncle was shot by soldiers during the first uprising in the town.",
            "shot"
        ));
        assert!(era(
            "During the second war, 300 villagers were killed near the river.",
            "killed"
        ));
        assert!(era(
            "The militia burned the village in the 1980s, elders recall.",
            "burned"
        ));
        assert!(era(
            "Thousands were expelled in the war that followed the partition.",
            "expelled"
        ));
        assert!(era(
            "He fought in the 1973 war on the northern front.",
            "fought"
        ));
    }

    #[test]
    fn a_war_under_way_is_no_past_era() {
        // "during the war" alone is often the war the story tells
        assert!(!era(
            "Rebels shelled the market on Monday during the war's worst week.",
            "shelled"
        ));
        assert!(!era(
            "Troops attacked the town in the north on Sunday.",
            "attacked"
        ));
        assert!(!era(
            "He was shot in the first war crimes case heard in the town.",
            "shot"
        ));
        // a running total is NE15's, not a past era
        assert!(!era(
            "Since the 1990s war began, gunmen have attacked the road often.",
            "attacked"
        ));
    }

    /// Runs `f` on the tokens of `s` with a time hit on the word `time` and a verb trigger on
    /// the word `trig`.
    fn with_hits<R>(
        s: &str,
        time: &str,
        trig: &str,
        f: impl FnOnce(&Tokens<'_>, &TimeHit, &TriggerHit) -> R,
    ) -> R {
        let lower = s.to_ascii_lowercase();
        let t = crate::lex::tokenize(s, &lower, frontline_text::Span::new(0, s.len()));
        let find = |w: &str| (0..t.len()).find(|&k| t.low(k) == w).unwrap();
        let (k, h) = (find(time), find(trig));
        let th = TimeHit {
            start: k,
            end: k + 1,
            time: span(ymd(2017, 6, 15), ymd(2017, 6, 15)),
            mention: None,
        };
        let hit = TriggerHit {
            rule: 0,
            start: h,
            end: h + 1,
            form: super::super::lexicon::Form::Verb,
        };
        f(&t, &th, &hit)
    }

    /// Whether DT21 skips the time word `time` for the trigger word `trig` in `s`.
    fn skipped(s: &str, time: &str, trig: &str) -> bool {
        with_hits(s, time, trig, |t, th, hit| {
            let clause = super::super::roles::clause(t, hit.start, hit.end);
            earlier_act_time(t, th, hit, clause)
        })
    }

    #[test]
    fn dt21_a_time_in_an_after_clause_dates_the_other_act() {
        let s = "Hundreds rallied outside the station on the high road after a man was shot dead by police Thursday.";
        assert!(skipped(s, "thursday", "rallied"));
        // "after 2000" is the trigger's own time; "named after" is no time clause
        let s = "The villas were built on the river bank by the board after 2000.";
        assert!(!skipped(s, "2000", "built"));
        let s = "The council renamed the main avenue in the city centre named after him in March.";
        assert!(!skipped(s, "march", "renamed"));
    }

    #[test]
    fn dt22_a_time_in_a_relative_clause_dates_its_own_act() {
        let rel = |s: &str, time: &str, trig: &str| with_hits(s, time, trig, relative_clause_time);
        let s = "Fighters who had agreed to a truce in March, overran two villages near the river.";
        assert!(rel(s, "march", "overran"));
        let s = "On Tuesday, fighters who had agreed to a truce overran two villages.";
        assert!(!rel(s, "tuesday", "overran"));
        let s = "Fighters who had agreed to a truce overran two villages in March.";
        assert!(!rel(s, "march", "overran"));
    }

    #[test]
    fn the_publication_date_says_nothing() {
        let mut rules = vec!["DT40-publication-date".to_string()];
        let old = span(ymd(2016, 10, 1), ymd(2016, 10, 31));
        assert!(!background(Some(&old), Some(ymd(2018, 3, 20)), &mut rules));
        let mut rules = vec!["DT10-clause-time".to_string()];
        assert!(!background(Some(&old), None, &mut rules));
        assert!(!background(None, Some(ymd(2018, 3, 20)), &mut rules));
    }
}
