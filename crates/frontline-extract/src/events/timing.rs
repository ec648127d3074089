//! Stage 5 of coding a trigger: **date**. The time mention of the clause nearest the trigger
//! (`DT10`), else of the sentence (`DT20`), else the previous dated event's within two
//! sentences (`DT30`), else the publication date (`DT40`), by [`super::dates::pick`]. The time
//! a reporting verb takes ("denied on Thursday that ...", "..., the army said on Tuesday") is
//! when it was said, not when the reported act happened, and is not read. An event whose own
//! date ends more than [`BACKGROUND_DAYS`] days before the publication date is a past event
//! retold as context, not news of the document (`DT50-background`).

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
    let event_times: Cow<'_, [TimeHit]> = if times.iter().any(spoken) {
        times.iter().filter(|th| !spoken(th)).cloned().collect()
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
/// A date taken from the publication date (`DT40`) says nothing. Pushes the rule id.
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
