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
    if describing_participle(t, h, actors) {
        return Err(
            "NE50-describing-participle: \"forces battling the group\" describes a side named as an object, not an act",
        );
    }
    let clause = roles::clause(t, h.start, h.end);
    if aims_at(t, h, actors, clause) {
        return Err(
            "NE47-aim-at: \"target\" with no armed actor, state or weapon as its subject means aiming at, not attacking",
        );
    }
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

/// Words before a side named as an object: prepositions and verbs of support ("embedded with",
/// "air support to", "arming", "training") (`NE50`).
const OBJECT_OPENERS: &[&str] = &[
    "with",
    "against",
    "to",
    "for",
    "of",
    "among",
    "from",
    "alongside",
    "backing",
    "supporting",
    "support",
    "arming",
    "armed",
    "training",
    "trained",
    "advising",
    "assisting",
    "helping",
    "joined",
    "joining",
];

/// `NE50-describing-participle`: an "-ing" form of a fighting verb right after a side that is
/// itself the object of a preposition or of a verb of support ("soldiers embedded with US
/// forces battling the group", "weapons to Kurdish fighters fighting the militants", "the
/// coalition is arming rebels in the north fighting the army") describes that side by what
/// it does; it tells no act of its own. Only a short place phrase may stand between the side
/// and the participle ("forces in the country battling").
fn describing_participle(t: &Tokens<'_>, h: &TriggerHit, actors: &[ActorFound]) -> bool {
    let w = t.low(h.start);
    if h.form != Form::Verb || !w.ends_with("ing") || h.start == 0 {
        return false;
    }
    actors.iter().any(|a| {
        let gap = h.start.saturating_sub(a.tok_end);
        a.tok_end <= h.start
            && gap <= 4
            && (gap == 0
                || (matches!(t.low(a.tok_end), "in" | "on" | "inside" | "across" | "near")
                    && (a.tok_end..h.start).all(|k| {
                        t.low(k)
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    })))
            && opened_as_object(t, a.tok_start)
    })
}

/// Whether the side starting at token `s` is the object of a preposition or a verb of
/// support: one of [`OBJECT_OPENERS`] just before it, or before up to two words of its noun
/// phrase the actor finder left out ("with the Kurdish fighters") (`NE50`).
fn opened_as_object(t: &Tokens<'_>, s: usize) -> bool {
    (s.saturating_sub(3)..s).rev().any(|k| {
        OBJECT_OPENERS.contains(&t.low(k))
            && (k + 1..s).all(|m| {
                let w = t.low(m);
                !w.is_empty()
                    && w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-')
                    && !OBJECT_OPENERS.contains(&w)
            })
    })
}

/// Nouns of weapons and attacks that can be the subject of "targeted" ("a bomb targeted a
/// convoy", "the strike targeted a depot") (`NE47`).
const ATTACK_SUBJECTS: &[&str] = &[
    "air",
    "aerial",
    "attack",
    "attacks",
    "strike",
    "strikes",
    "airstrike",
    "airstrikes",
    "raid",
    "raids",
    "bomb",
    "bombs",
    "bomber",
    "bombers",
    "bombing",
    "bombings",
    "blast",
    "explosion",
    "missile",
    "missiles",
    "rocket",
    "rockets",
    "shell",
    "shells",
    "shelling",
    "mortar",
    "mortars",
    "drone",
    "drones",
    "aircraft",
    "jets",
    "warplanes",
    "planes",
    "helicopters",
    "artillery",
    "device",
    "ied",
    "ieds",
    "ambush",
    "operation",
    "operations",
    "offensive",
    "fire",
    "sniper",
    "snipers",
];

/// How many tokens after a passive's "by" its agent is read (`NE47`).
const AGENT_SPAN: usize = 7;

/// `NE47-aim-at`: a verb "target" whose subject is neither an armed actor or a state (a
/// force, a group, a government) nor a weapon or an attack means aiming at, not attacking:
/// sanctions "target" firms, campaigns "target" voters, vandals "target" cars, letters
/// "targeted" churches, a criminal "targeted" a neighbourhood. The subject is read back from
/// the trigger to the start of its clause (a gerund after a verb of saying or aspect, "the
/// militia denied targeting civilians", is left alone: its subject is often the speaker); a
/// passive reads its "by" agent instead ("was
/// targeted by militants"), and a passive without an agent stays an attack ("civilians were
/// targeted").
fn aims_at(t: &Tokens<'_>, h: &TriggerHit, actors: &[ActorFound], clause: (usize, usize)) -> bool {
    use frontline_model::ActorType as A;
    let w = t.low(h.start);
    if h.form != Form::Verb || !matches!(w, "target" | "targets" | "targeted" | "targeting") {
        return false;
    }
    let forceful = |a: &ActorFound| {
        matches!(
            a.actor.actor_type,
            A::Military | A::Police | A::Rebel | A::Militia | A::State | A::Government | A::Igo
        )
    };
    let passive = w == "targeted"
        && h.start > 0
        && matches!(
            t.low(h.start - 1),
            "was" | "were" | "been" | "being" | "is" | "are" | "be"
        );
    if passive || t.low(h.end) == "by" {
        let by = (h.end..(h.end + 3).min(t.len())).find(|&k| t.low(k) == "by");
        // the agent's noun phrase may run to a few words and quotes ("by another
        // \"massive\" Russian drone attack")
        return by.is_some_and(|b| {
            !(actors
                .iter()
                .any(|a| forceful(a) && a.tok_start > b && a.tok_start <= b + AGENT_SPAN)
                || (b + 1..(b + 1 + AGENT_SPAN).min(t.len()))
                    .any(|k| ATTACK_SUBJECTS.contains(&t.low(k))))
        });
    }
    // a relative clause's subject is its antecedent: "bombings that targeted a station"
    let c0 = if clause.0 > 0 && matches!(t.low(clause.0 - 1), "that" | "which" | "who") {
        clause.0.saturating_sub(5)
    } else {
        clause.0
    };
    // a gerund after a verb of saying or aspect takes that verb's subject, often a speaker
    // (not among the actors here): "the RSF denied targeting civilians", "accused the army
    // of targeting", "continued targeting": left to the other rules
    if w == "targeting"
        && h.start > 0
        && matches!(
            t.low(h.start - 1),
            "denied"
                | "denies"
                | "deny"
                | "denying"
                | "admitted"
                | "admits"
                | "of"
                | "stop"
                | "stopped"
                | "continue"
                | "continued"
                | "continues"
                | "began"
                | "started"
                | "keep"
                | "kept"
        )
    {
        return false;
    }
    let from = c0.max(h.start.saturating_sub(10));
    // "they targeted", "it said it targeted": a pronoun stands for a side named elsewhere,
    // often the speaker; it aims at only in a sentence with no armed actor, weapon or
    // reporting verb
    if pronoun_subject(t, h.start, from) {
        let n = t.len();
        let told = (0..n).any(|k| {
            matches!(
                t.low(k),
                "said" | "says" | "told" | "claimed" | "announced" | "stated" | "added"
            ) || ATTACK_SUBJECTS.contains(&t.low(k))
        });
        if told || actors.iter().any(forceful) {
            return false;
        }
    }
    let armed = actors
        .iter()
        .any(|a| forceful(a) && a.tok_end <= h.start && a.tok_end > from);
    let weapon = (from..h.start).any(|k| ATTACK_SUBJECTS.contains(&t.low(k)));
    !(armed || weapon)
}

/// Whether the subject just before `k` (past auxiliaries and adverbs) is a personal pronoun
/// (`NE47`).
fn pronoun_subject(t: &Tokens<'_>, k: usize, from: usize) -> bool {
    let mut j = k;
    while j > from {
        let w = t.low(j - 1);
        if matches!(
            w,
            "has" | "have" | "had" | "is" | "are" | "was" | "were" | "will" | "also" | "then"
        ) || w.ends_with("ly")
        {
            j -= 1;
            continue;
        }
        return matches!(
            w,
            "it" | "they" | "we" | "he" | "she" | "i" | "who" | "which"
        );
    }
    false
}

/// `NM21-article-before-verb`: a verb-only form after an article is a noun use ("a sign of
/// cooperation"); "the strike hit", "a strike on" are nouns the lexicon lists as verbs (AL21),
/// and so are "the bombing", "the shelling", "an ambush": the noun names the act ("the bombing
/// killed his wife"). ("the fight" is left out: "the fight against the group" is a campaign.)
fn article_before_verb(t: &Tokens<'_>, h: &TriggerHit) -> bool {
    h.form == Form::Verb
        && h.start > 0
        && matches!(t.low(h.start - 1), "a" | "an" | "the")
        && !matches!(
            t.low(h.start),
            "strike" | "strikes" | "bombing" | "shelling" | "ambush"
        )
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

#[cfg(test)]
mod aims_at_tests {
    #![allow(clippy::unwrap_used)]
    use crate::pipeline::Pipeline;
    use frontline_model::{DocumentMeta, PloverType};
    use std::sync::OnceLock;

    fn pipeline() -> &'static Pipeline {
        static P: OnceLock<Pipeline> = OnceLock::new();
        P.get_or_init(|| Pipeline::without_geocoder().unwrap())
    }

    /// Whether `NE47` set aside a trigger of `s`, and whether an attack was coded.
    fn screened(s: &str) -> (bool, bool) {
        let (ex, near) = pipeline().explain(DocumentMeta::default(), s);
        (
            near.iter().any(|n| n.reason.starts_with("NE47-aim-at")),
            ex.events
                .iter()
                .any(|e| e.plover_type == PloverType::Assault),
        )
    }

    #[test]
    fn aiming_at_is_no_attack() {
        assert_eq!(
            screened("The new rules target small lenders in the capital."),
            (true, false)
        );
        assert_eq!(
            screened("Thieves have targeted parked vans on the estate this month."),
            (true, false)
        );
        assert_eq!(
            screened("We are targeting the firms that ship the parts."),
            (true, false)
        );
        assert_eq!(
            screened("The town she targeted with her schemes has recovered."),
            (true, false)
        );
        assert_eq!(
            screened("The school was targeted by a fundraising drive."),
            (true, false)
        );
    }

    #[test]
    fn an_armed_actor_or_a_weapon_targets_by_attacking() {
        assert_eq!(
            screened("Militants targeted a police post near the river on Monday."),
            (false, true)
        );
        assert_eq!(
            screened("Two rockets targeted the airport overnight."),
            (false, true)
        );
        assert!(!screened("The air campaign targeted fuel depots near the coast.").0);
        assert_eq!(
            screened("Three bombings that targeted bus stations killed ten people."),
            (false, true)
        );
        assert_eq!(
            screened("The convoy was targeted by insurgents outside the town."),
            (false, true)
        );
        // the agent's noun phrase runs to several words and quotes
        assert!(
            !screened("The port was targeted on Monday by another \"large\" enemy drone attack.").0
        );
        // a gerund takes the subject of the verb before it
        assert!(!screened("The militia denied targeting the village on Friday.").0);
        // a pronoun stands for the side the sentence or its speaker names
        assert!(!screened("The army said it targeted a depot near the border.").0);
        assert!(!screened("They targeted the checkpoint with rockets at dawn.").0);
    }
}

#[cfg(test)]
mod describing_tests {
    #![allow(clippy::unwrap_used)]
    use crate::pipeline::Pipeline;
    use frontline_model::DocumentMeta;
    use std::sync::OnceLock;

    fn pipeline() -> &'static Pipeline {
        static P: OnceLock<Pipeline> = OnceLock::new();
        P.get_or_init(|| Pipeline::without_geocoder().unwrap())
    }

    fn described(s: &str) -> bool {
        let (_, near) = pipeline().explain(DocumentMeta::default(), s);
        near.iter()
            .any(|n| n.reason.starts_with("NE50-describing-participle"))
    }

    #[test]
    fn a_side_described_by_its_fight_tells_no_act() {
        assert!(described(
            "The medic served with Kurdish fighters battling the militants for a year."
        ));
        assert!(described(
            "The ministry sent rifles to rebels in the north fighting the army."
        ));
    }

    #[test]
    fn the_bombing_is_the_act_not_a_verb_used_as_a_noun() {
        let (_, near) = pipeline().explain(
            DocumentMeta::default(),
            "The bombing killed two guards at the gate on Monday.",
        );
        assert!(
            !near
                .iter()
                .any(|n| n.reason.starts_with("NM21-article-before-verb")),
            "{near:?}"
        );
        let (_, near) = pipeline().explain(
            DocumentMeta::default(),
            "Officials said the targeted house belonged to a trader.",
        );
        assert!(
            near.iter()
                .any(|n| n.reason.starts_with("NM21-article-before-verb")),
            "{near:?}"
        );
    }

    #[test]
    fn a_subject_fighting_acts() {
        // the side is the subject: its fighting is the news
        assert!(!described(
            "Kurdish fighters battling the militants took the hill."
        ));
        assert!(!described(
            "Rebels were fighting the army near the bridge on Monday."
        ));
        assert!(!described(
            "Clashes broke out, killing three soldiers near the port."
        ));
    }
}
