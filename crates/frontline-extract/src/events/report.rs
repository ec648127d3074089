//! Stage 6 of coding a trigger: **who says so, and how sure** — attribution and modality.
//!
//! Attribution: the speakers whose reported words hold the trigger (`AT` rules), else the
//! outlet (`AT90`). Modality: the cues of the trigger's clause ([`crate::modality`]: `MO10`
//! to `MO40`), widened by a clause-level hedge or conditional earlier in the sentence, a
//! hedging source ("unconfirmed reports said", `MO41`), a denial reported as speech (`MO11`)
//! and an infinitive that names an aim rather than an act (`MO31`).

use frontline_model::{Attribution, Modality, SourceKind, Span};

use crate::lex::Tokens;
use crate::modality::{ModalityFound, modality_of};

use super::AttributionHit;
use super::lexicon::{Form, TriggerHit};

/// The event's attributions, pushing rule ids and evidence spans.
pub(super) fn attribution(
    reporting: &[&AttributionHit],
    tspan: Span,
    outlet: Option<&String>,
    rules: &mut Vec<String>,
    evidence: &mut Vec<Span>,
) -> Vec<Attribution> {
    let mut attribution: Vec<Attribution> = reporting
        .iter()
        .filter(|a| {
            let f = &a.found;
            !(f.span.start <= tspan.start && tspan.end <= f.span.end)
        })
        .map(|a| {
            rules.push(a.found.rule.to_string());
            evidence.push(a.found.span);
            Attribution {
                speaker: a
                    .found
                    .source
                    .as_ref()
                    .map_or_else(|| a.found.speaker.clone(), |k| k.name.clone()),
                actor: a.found.actor.clone(),
                source_kind: a.found.kind,
                cue: a.found.cue.clone(),
                span: Some(a.found.span),
                quotes: a.found.quotes.clone(),
                mention: a.mention,
            }
        })
        .collect();
    if attribution.is_empty() {
        rules.push("AT90-outlet".into());
        attribution.push(Attribution {
            speaker: outlet.cloned().unwrap_or_else(|| "the outlet".into()),
            actor: None,
            source_kind: SourceKind::Outlet,
            cue: "reported".into(),
            span: None,
            quotes: Vec::new(),
            mention: None,
        });
    }
    attribution
}

/// The event's modality, each refinement in turn.
pub(super) fn modality(
    t: &Tokens<'_>,
    h: &TriggerHit,
    clause: (usize, usize),
    reporting: &[&AttributionHit],
) -> ModalityFound {
    let m = modality_of(t, clause.0.min(h.start), h.start);
    let m = sentence_wide(t, h, m);
    let m = hedged_source(reporting, m);
    let m = denied_speech(t, h, reporting, m);
    let m = infinitive_aim(t, h, m);
    planned_noun(t, h, m)
}

/// `MO32-planned-noun`: a noun event that "is planned", "was scheduled", "is expected" for
/// later ("a vigil was planned for Tuesday", "a march is scheduled for Friday") has not
/// happened: hypothetical.
fn planned_noun(t: &Tokens<'_>, h: &TriggerHit, m: ModalityFound) -> ModalityFound {
    if m.modality != Modality::Asserted || h.form != Form::Noun {
        return m;
    }
    let mut k = h.end;
    if matches!(t.low(k), "is" | "was" | "are" | "were") {
        k += 1;
    } else if matches!(t.low(k), "has" | "have" | "had") && t.low(k + 1) == "been" {
        k += 2;
    } else {
        return m;
    }
    if k < t.len() && matches!(t.low(k), "planned" | "scheduled" | "expected" | "set") {
        ModalityFound {
            modality: Modality::Hypothetical,
            cue: Some(t.span(k, k + 1)),
            rule: Some("MO32-planned-noun"),
        }
    } else {
        m
    }
}

/// A clause-level hedge earlier in the sentence ("It was not clear whether X ... or whether
/// Y ...") also covers later clauses joined by "or whether"; so does a conditional ("would",
/// "could", "may", "might", "will").
fn sentence_wide(t: &Tokens<'_>, h: &TriggerHit, m: ModalityFound) -> ModalityFound {
    if m.modality != Modality::Asserted {
        return m;
    }
    let whole = modality_of(t, 0, h.start);
    let cue = |w: &ModalityFound| {
        w.cue
            .and_then(|c| t.text.get(c.range()))
            .map(str::to_ascii_lowercase)
    };
    let wraps = whole.modality == Modality::Hedged
        && whole.rule == Some("MO40-hedged")
        && cue(&whole).is_some_and(|x| x.contains("whether"));
    let conditional = whole.modality == Modality::Hypothetical
        && matches!(
            cue(&whole).as_deref(),
            Some("would" | "could" | "may" | "might" | "will")
        );
    if wraps || conditional { whole } else { m }
}

/// `MO41-hedged-source`: "unconfirmed reports said ...": the source itself hedges.
fn hedged_source(reporting: &[&AttributionHit], m: ModalityFound) -> ModalityFound {
    if m.modality == Modality::Asserted
        && reporting.iter().any(|a| {
            ["unconfirmed", "unverified", "rumour", "rumor"]
                .iter()
                .any(|w| a.found.speaker.to_ascii_lowercase().contains(w))
        })
    {
        ModalityFound {
            modality: Modality::Hedged,
            cue: reporting.first().map(|a| a.found.span),
            rule: Some("MO41-hedged-source"),
        }
    } else {
        m
    }
}

/// `MO11-denied-speech`: "X denied that its fighters had attacked ...": a denial reported as
/// speech covers the reported clause, which the clause-bounded scan does not reach; not a
/// clause another reporting verb opens ("denied targeting civilians and said it had fought
/// the army").
fn denied_speech(
    t: &Tokens<'_>,
    h: &TriggerHit,
    reporting: &[&AttributionHit],
    m: ModalityFound,
) -> ModalityFound {
    let denial = reporting.iter().find(|a| {
        crate::modality::is_deny_word(&a.found.cue.to_ascii_lowercase())
            && !(a.found.cue_tok + 1..h.start).any(|k| crate::attribution::is_say_verb(t.low(k)))
    });
    match denial {
        Some(a) if m.modality == Modality::Asserted => ModalityFound {
            modality: Modality::Denied,
            cue: Some(t.span(a.found.cue_tok, a.found.cue_tok + 1)),
            rule: Some("MO11-denied-speech"),
        },
        _ => m,
    }
}

/// `MO31-infinitive`: "the decision to deploy troops", "forces moved in to retake the town":
/// an infinitive names an aim, not an act, unless a verb of doing governs it; so does a verb of
/// gathering for a protest ("activists gathered to protest", "took to the streets to
/// protest": the gathering is the protest) and "proceeding to" ("before proceeding to kidnap
/// others": they did).
fn infinitive_aim(t: &Tokens<'_>, h: &TriggerHit, m: ModalityFound) -> ModalityFound {
    if m.modality == Modality::Asserted
        && h.form == Form::Verb
        && h.start >= 1
        && t.low(h.start - 1) == "to"
        && !matches!(
            if h.start >= 2 { t.low(h.start - 2) } else { "" },
            "began"
                | "begun"
                | "begin"
                | "started"
                | "start"
                | "continued"
                | "continue"
                | "continues"
                | "managed"
                | "went"
                | "proceeded"
                | "had"
                | "has"
                | "have"
                | "forced"
                | "used"
                | "came"
                | "moved"
                | "able"
                | "proceeding"
                | "proceeds"
                | "gathered"
                | "gathering"
                | "assembled"
                | "rallied"
                | "converged"
                | "streets"
        )
    {
        ModalityFound {
            modality: Modality::Hypothetical,
            cue: Some(t.span(h.start - 1, h.start)),
            rule: Some("MO31-infinitive"),
        }
    } else {
        m
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::lex::tokenize;
    use frontline_text::Span;

    /// The modality `rule` gives the trigger word `word` of form `form` in `s`, from an
    /// asserted start.
    fn modality_by(
        s: &str,
        word: &str,
        form: Form,
        rule: impl FnOnce(&Tokens<'_>, &TriggerHit, ModalityFound) -> ModalityFound,
    ) -> Modality {
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let k = (0..t.len()).find(|&k| t.low(k) == word).unwrap();
        let h = TriggerHit {
            rule: 0,
            start: k,
            end: k + 1,
            form,
        };
        let m = ModalityFound {
            modality: Modality::Asserted,
            cue: None,
            rule: None,
        };
        rule(&t, &h, m).modality
    }

    fn planned(s: &str, word: &str) -> Modality {
        modality_by(s, word, Form::Noun, planned_noun)
    }

    #[test]
    fn a_planned_event_has_not_happened() {
        assert_eq!(
            planned("A vigil was planned for Friday near the school.", "vigil"),
            Modality::Hypothetical
        );
        assert_eq!(
            planned("The march is scheduled for Sunday.", "march"),
            Modality::Hypothetical
        );
        assert_eq!(
            planned("The march was peaceful and ended at noon.", "march"),
            Modality::Asserted
        );
    }

    fn infinitive(s: &str, word: &str) -> Modality {
        modality_by(s, word, Form::Verb, infinitive_aim)
    }

    #[test]
    fn an_infinitive_of_aim_has_not_happened_but_a_gathering_to_protest_has() {
        assert_eq!(
            infinitive("The council voted to deploy more guards.", "deploy"),
            Modality::Hypothetical
        );
        // the gathering is the protest
        assert_eq!(
            infinitive(
                "Hundreds of nurses gathered to protest outside the ward.",
                "protest"
            ),
            Modality::Asserted
        );
        assert_eq!(
            infinitive(
                "Students took to the streets to protest the fees.",
                "protest"
            ),
            Modality::Asserted
        );
        // "proceeding to" tells what they went on to do
        assert_eq!(
            infinitive(
                "They robbed the shop before proceeding to kidnap the owner.",
                "kidnap"
            ),
            Modality::Asserted
        );
    }
}
