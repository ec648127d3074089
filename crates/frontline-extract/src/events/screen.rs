//! Stage 1 of coding a trigger: **event or not**. A trigger the lexicon found is set aside, as
//! a near miss with its rule id, when its word is part of a name (`NM10`), a time phrase
//! (`NM23`), a verb form used as a noun (`NM21`), an adjectival participle (`NM20`), or when
//! [`super::sense::non_event`] finds another sense of the word or a sentence that tells no act
//! (`NE` rules). What passes goes on with the clause it sits in.

use crate::actors::ActorFound;
use crate::lex::Tokens;

use super::lexicon::{Form, TriggerHit, TriggerRule};
use super::{PlaceHit, roles, sense};

/// The clause of a trigger that is an event, or why it is not one.
pub(super) fn screen(
    t: &Tokens<'_>,
    rule: &TriggerRule,
    h: &TriggerHit,
    actors: &[ActorFound],
    places: &[PlaceHit],
) -> Result<(usize, usize), &'static str> {
    if inside_name(h, actors, places) {
        return Err("NM10-inside-name: the trigger word is part of a name");
    }
    if time_phrase(t, h) {
        return Err("NM23-time-phrase: the verb takes a time or process, not a place");
    }
    if article_before_verb(t, h) {
        return Err("NM21-article-before-verb: a verb form used as a noun");
    }
    if adjectival(t, h) {
        return Err("NM20-adjectival: participle used as an adjective");
    }
    if refers_back(t, h) {
        return Err("NM42-refers-back: \"this attack\" names an event already told");
    }
    let clause = roles::clause(t, h.start, h.end);
    // another sense of the word, or a sentence that tells no act
    if let Some(reason) = sense::non_event(t, rule, h, clause) {
        return Err(reason);
    }
    Ok(clause)
}

/// `NM10-inside-name`: the trigger lies inside an actor or place name ("Popular Mobilization
/// Units").
fn inside_name(h: &TriggerHit, actors: &[ActorFound], places: &[PlaceHit]) -> bool {
    actors
        .iter()
        .any(|a| a.tok_start <= h.start && h.end <= a.tok_end)
        || places.iter().any(|p| p.start <= h.start && h.end <= p.end)
}

/// `NM23-time-phrase`: "entered its second week", "reached a new phase": a time phrase, not a
/// move.
fn time_phrase(t: &Tokens<'_>, h: &TriggerHit) -> bool {
    (h.end..(h.end + 4).min(t.len())).any(|k| {
        matches!(
            t.low(k),
            "week"
                | "weeks"
                | "day"
                | "month"
                | "months"
                | "year"
                | "phase"
                | "stage"
                | "round"
                | "agreement"
                | "deal"
                | "conclusion"
                | "period"
                | "era"
                | "partnership"
                | "programme"
                | "program"
                | "talks"
                | "negotiations"
                | "race"
                | "politics"
        )
    }) && matches!(
        t.low(h.start),
        "entered" | "enter" | "enters" | "reached" | "reach" | "reaches" | "reaching"
    )
}

/// `NM21-article-before-verb`: a verb-only form after an article is a noun use ("a sign of
/// cooperation"); "the strike hit", "a strike on" are nouns the lexicon lists as verbs (AL21).
fn article_before_verb(t: &Tokens<'_>, h: &TriggerHit) -> bool {
    h.form == Form::Verb
        && h.start > 0
        && matches!(t.low(h.start - 1), "a" | "an" | "the")
        && !matches!(t.low(h.start), "strike" | "strikes")
}

/// `NM20-adjectival`: a participle used as an adjective ("their newly captured points").
fn adjectival(t: &Tokens<'_>, h: &TriggerHit) -> bool {
    if h.form != Form::Verb || h.start == 0 {
        return false;
    }
    let p1 = t.low(h.start - 1);
    let det = matches!(
        p1,
        "the" | "a" | "an" | "their" | "its" | "his" | "her" | "our"
    );
    let prep = matches!(p1, "to" | "in" | "of" | "from" | "for" | "into" | "on");
    (det || p1 == "newly" || prep) && t.low(h.end) != "by" && t.low(h.start).ends_with("ed")
}

/// `NM42-refers-back`: a noun trigger after a demonstrative ("this attack", "these strikes",
/// "those clashes"), with at most two adjectives between ("this unprovoked attack", "such
/// brutal air strikes"), names an event the text has already told, or a kind of event ("such
/// attacks"), not a new one; so does a plural after "recent" ("recent terrorist attacks": a
/// series told as context). ("that" is left alone: it is more often a conjunction, "said that
/// clashes erupted".) Verb forms that are also nouns ("attack", "fight", "strikes") count as
/// nouns here.
fn refers_back(t: &Tokens<'_>, h: &TriggerHit) -> bool {
    let w = t.low(h.start);
    if !(h.form == Form::Noun || NOUN_LIKE_VERBS.contains(&w)) {
        return false;
    }
    let mut k = h.start;
    for _ in 0..3 {
        if k == 0 {
            return false;
        }
        let p = t.low(k - 1);
        if matches!(p, "this" | "these" | "those" | "such") {
            return true;
        }
        if p == "recent" && w.ends_with('s') {
            return true;
        }
        if !adjective(p) {
            return false;
        }
        k -= 1;
    }
    false
}

/// Verb forms of the lexicon that are nouns after a determiner (`NM42`).
const NOUN_LIKE_VERBS: &[&str] = &[
    "attack", "attacks", "fight", "fights", "strike", "strikes", "raid", "raids", "assault",
    "assaults", "bombing", "bombings", "shelling", "killing", "killings", "ambush", "ambushes",
];

/// A word that may stand between a demonstrative and its noun (`NM42`): one of a few
/// adjectives of attacks, or a word with an adjective's ending ("unprovoked", "deadly",
/// "horrific", "coordinated").
fn adjective(w: &str) -> bool {
    matches!(
        w,
        "recent"
            | "latest"
            | "terrorist"
            | "brutal"
            | "heinous"
            | "last"
            | "past"
            | "previous"
            | "new"
            | "air"
            | "suicide"
            | "chemical"
            | "rocket"
            | "mortar"
            | "drone"
            | "armed"
    ) || (w.len() > 4
        && w.bytes().all(|b| b.is_ascii_lowercase())
        && ["ed", "ly", "ous", "ful", "ic", "ive", "ent"]
            .iter()
            .any(|s| w.ends_with(s)))
}

#[cfg(test)]
mod refers_back_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::lex::tokenize;
    use frontline_text::Span;

    fn back(s: &str, word: &str, form: Form) -> bool {
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let k = (0..t.len()).find(|&k| t.low(k) == word).unwrap();
        let h = TriggerHit {
            rule: 0,
            start: k,
            end: k + 1,
            form,
        };
        refers_back(&t, &h)
    }

    #[test]
    fn demonstratives_and_recent_series_refer_back() {
        assert!(back(
            "We condemn this unprovoked attack on the camp.",
            "attack",
            Form::Verb
        ));
        assert!(back(
            "Such brutal air strikes must end.",
            "strikes",
            Form::Noun
        ));
        assert!(back("They are losing this fight.", "fight", Form::Verb));
        assert!(back(
            "After recent terrorist attacks in the capital, we stand with you.",
            "attacks",
            Form::Noun
        ));
    }

    #[test]
    fn a_new_event_does_not_refer_back() {
        // a time phrase is no adjective
        assert!(!back(
            "This morning militants attacked a checkpoint.",
            "attacked",
            Form::Verb
        ));
        // "that" is a conjunction
        assert!(!back(
            "He said that clashes erupted in the town.",
            "clashes",
            Form::Noun
        ));
        // a single recent attack is an event
        assert!(!back(
            "In a recent attack, gunmen killed two guards.",
            "attack",
            Form::Noun
        ));
    }
}
