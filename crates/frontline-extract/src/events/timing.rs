//! Stage 5 of coding a trigger: **date**. The time mention of the clause nearest the trigger
//! (`DT10`), else of the sentence (`DT20`), else the previous dated event's within two
//! sentences (`DT30`), else the publication date (`DT40`), by [`super::dates::pick`]. The time
//! a reporting verb takes ("denied on Thursday that ...", "..., the army said on Tuesday") is
//! when it was said, not when the reported act happened, and is not read.

use std::borrow::Cow;

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
