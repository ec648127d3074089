//! Event dates: the time mention in the clause nearest the trigger, else the sentence's,
//! else the previous event's date, else the publication date (the derivation says which).
//! Rule ids: `DT10-clause-time`, `DT20-sentence-time`, `DT30-previous-event`,
//! `DT40-publication-date`.

use chrono::NaiveDate;
use frontline_model::{TimePrecision, TimeRef};

/// A time mention in the sentence, by token positions.
#[derive(Debug, Clone)]
pub struct TimeHit {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The resolved time.
    pub time: TimeRef,
    /// Mention id.
    pub mention: Option<usize>,
}

/// Picks the date for a trigger at tokens `trig` within clause `clause`.
pub fn pick(
    times: &[TimeHit],
    trig: (usize, usize),
    clause: (usize, usize),
    previous: Option<&TimeRef>,
    published: Option<NaiveDate>,
) -> Option<(TimeRef, &'static str)> {
    let dist = |h: &TimeHit| {
        if h.end <= trig.0 {
            trig.0 - h.end
        } else {
            h.start.saturating_sub(trig.1)
        }
    };
    // "for the first time since 2015" describes a span, not the event's date
    let times: Vec<&TimeHit> = times
        .iter()
        .filter(|h| !h.time.derivation.to_ascii_lowercase().starts_with("since"))
        .collect();
    let in_clause = times
        .iter()
        .copied()
        .filter(|h| h.start >= clause.0 && h.end <= clause.1)
        .min_by_key(|h| dist(h));
    if let Some(h) = in_clause {
        return Some((h.time.clone(), "DT10-clause-time"));
    }
    if let Some(h) = times.iter().copied().min_by_key(|h| dist(h)) {
        return Some((h.time.clone(), "DT20-sentence-time"));
    }
    if let Some(p) = previous {
        let mut t = p.clone();
        t.derivation = format!("previous event's date ({})", p.derivation);
        return Some((t, "DT30-previous-event"));
    }
    published.map(|d| {
        (
            TimeRef {
                start: d,
                end: d,
                precision: TimePrecision::Day,
                derivation: "publication date (no date in the text)".into(),
                anchor: None,
            },
            "DT40-publication-date",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> TimeRef {
        let x = NaiveDate::from_ymd_opt(2017, 6, d).unwrap();
        TimeRef {
            start: x,
            end: x,
            precision: TimePrecision::Day,
            derivation: "explicit".into(),
            anchor: None,
        }
    }

    #[test]
    fn nearest_in_clause_then_fallbacks() {
        let times = vec![
            TimeHit {
                start: 2,
                end: 3,
                time: day(18),
                mention: None,
            },
            TimeHit {
                start: 9,
                end: 12,
                time: day(17),
                mention: None,
            },
        ];
        let (t, r) = pick(&times, (14, 15), (9, 20), None, None).unwrap();
        assert_eq!((t.start, r), (day(17).start, "DT10-clause-time"));
        let (t, r) = pick(&[], (1, 2), (0, 5), Some(&day(3)), None).unwrap();
        assert_eq!((t.start, r), (day(3).start, "DT30-previous-event"));
        let pubd = NaiveDate::from_ymd_opt(2017, 6, 18);
        let (t, r) = pick(&[], (1, 2), (0, 5), None, pubd).unwrap();
        assert_eq!(r, "DT40-publication-date");
        assert!(t.derivation.contains("publication"));
        assert!(pick(&[], (1, 2), (0, 5), None, None).is_none());
    }
}
