//! Stage 8 of coding a sentence: **merging within the sentence**. Same-type triggers side by
//! side are one event (`MG20`); a noun nested as another trigger's object (`NM41`) and a
//! background noun in an adjunct beside the main event (`NM40`) are dropped; a weak trigger
//! ("killed") merges into the nearest stronger ASSAULT or COERCE event of the sentence
//! (`MG10`) or, with no actor or number, is dropped (`NM30`); a protest that state forces break
//! up takes ACLED's "Protest with intervention" (`AC10`). Events of different sentences
//! that tell the same event merge later, over the document ([`super::merge`]).

use frontline_model::{ActorRef, Event, EventActor, QuantityKind, Span};

use crate::lex::Tokens;

use super::lexicon::Lexicon;
use super::{NearMiss, acled};

/// Token facts about a coded trigger, for merging.
#[derive(Debug, Clone, Copy)]
pub(super) struct Info {
    pub start: usize,
    pub end: usize,
    pub noun: bool,
    pub clause: (usize, usize),
    pub adjunct: bool,
}

/// Whether the noun trigger at `start` sits in an adjunct ("after two days of fighting",
/// "in a dawn raid", "under the deal").
pub(super) fn in_adjunct(t: &Tokens<'_>, start: usize, floor: usize) -> bool {
    let mut k = start;
    let mut skipped = 0;
    while k > floor && skipped < 4 {
        let w = t.low(k - 1);
        if matches!(
            w,
            "of" | "after"
                | "under"
                | "in"
                | "during"
                | "following"
                | "amid"
                | "since"
                | "before"
                | "despite"
                | "over"
                | "for"
        ) {
            return true;
        }
        if matches!(w, "," | ";" | "and" | "by") || crate::modality::is_cue_word(w) {
            return false;
        }
        k -= 1;
        skipped += 1;
    }
    false
}

/// Words that put a protest in a sentence even when no protest event is coded from it ("as
/// protesters gathered", "14 demonstrators were detained").
const PROTEST_WORDS: &[&str] = &[
    "protesters",
    "protester",
    "protestors",
    "demonstrators",
    "demonstrator",
    "marchers",
    "protest",
    "protests",
    "demonstration",
    "demonstrations",
    "rally",
    "sit-in",
];

/// `AC10-protest-intervention`: ACLED codes a protest that state forces break up, by arrests,
/// tear gas or dispersal, as one event, "Protests / Protest with intervention". In a sentence
/// that tells of a protest (a protest event, or protesters other than those coerced), a
/// coercive act by the state (or by no named agent) that kills no one, and the protest itself,
/// take that ACLED type; crowd control that kills is "Excessive force against protesters".
/// Their PLOVER types stay apart (COERCE or ASSAULT, PROTEST): the shared ACLED type is what
/// lets reports that tell it from either side ("police fired tear gas at protesters",
/// "hundreds protested and were dispersed") fuse.
pub(super) fn protest_intervention(t: &Tokens<'_>, events: &mut [Event]) {
    use frontline_model::PloverType;
    let set = |e: &mut Event, sub: &str| {
        e.acled = Some(frontline_model::AcledType {
            event_type: "Protests".into(),
            sub_event_type: sub.into(),
        });
        e.rules.push("AC10-protest-intervention".into());
    };
    let crowd_control = |e: &Event| e.plover_mode.as_deref() == Some("crowd-control");
    let killing = |e: &Event| {
        e.quantities
            .iter()
            .any(|q| q.quantity.quantity_kind == QuantityKind::Killed)
    };
    let state = |e: &Event| e.sources.iter().all(|a| acled::is_state(&a.actor));
    for e in events.iter_mut() {
        if crowd_control(e) && state(e) && killing(e) {
            set(e, "Excessive force against protesters");
        }
    }
    let intervening = |e: &Event| {
        (e.plover_type == PloverType::Coerce || crowd_control(e))
            && state(e)
            && !killing(e)
            && !e.targets.iter().any(|a| {
                matches!(
                    a.actor.actor_type,
                    frontline_model::ActorType::Rebel
                        | frontline_model::ActorType::Militia
                        | frontline_model::ActorType::Military
                )
            })
    };
    // (most sentences have no such act: the words are not read then)
    if !events.iter().any(intervening) {
        return;
    }
    // the protesters arrested or dispersed are not a protest under way ("arrested dozens of
    // protesters" may come days after it: ACLED's "Arrests")
    let targets: Vec<Span> = events
        .iter()
        .flat_map(|e| e.targets.iter().map(|a| a.span))
        .collect();
    let protest = events.iter().any(|e| e.plover_type == PloverType::Protest)
        || (0..t.len()).any(|k| {
            let sp = t.span(k, k + 1);
            PROTEST_WORDS.contains(&t.low(k))
                && !targets
                    .iter()
                    .any(|a| a.start <= sp.start && sp.end <= a.end)
        });
    if !protest {
        return;
    }
    // a riot stays a riot however the police answer it (ACLED: Riots / Violent demonstration)
    let riot = |e: &Event| e.acled.as_ref().is_some_and(|a| a.event_type == "Riots");
    for e in events.iter_mut() {
        if (e.plover_type == PloverType::Protest || intervening(e)) && !riot(e) {
            set(e, "Protest with intervention");
        }
    }
}

fn union_actors(into: &mut Vec<EventActor>, from: &[EventActor]) {
    for a in from {
        if !into.iter().any(|x| x.actor.code == a.actor.code) {
            into.push(a.clone());
        }
    }
}

/// Whether the tokens between two triggers are light enough for the second, a noun, to be the
/// first's object ("signed a new deal", "demand the release").
fn light_between(t: &Tokens<'_>, from: usize, to: usize) -> bool {
    (from..to).all(|k| {
        matches!(
            t.low(k),
            "a" | "an"
                | "the"
                | "its"
                | "their"
                | "his"
                | "her"
                | "new"
                | "himself"
                | "herself"
                | "themselves"
                | "and"
                | "grain"
                | "peace"
                | "fresh"
                | "immediate"
                | "full"
                | "total"
                | "humanitarian"
                | "permanent"
                | "lasting"
                | "complete"
                | "further"
                | "-"
        ) || t
            .toks
            .get(k)
            .is_some_and(|x| x.kind == crate::lex::Tok::Number)
            || t.is_cap(k)
    })
}

/// `MG20-adjacent-merge`: what the kept trigger takes from the same-type one next to it.
fn absorb_adjacent(kept: &mut Event, lost: &Event) {
    union_actors(&mut kept.sources, &lost.sources);
    union_actors(&mut kept.targets, &lost.targets);
    if kept.location.is_none() {
        kept.location = lost.location.clone();
    }
    for q in &lost.quantities {
        if !kept.quantities.iter().any(|x| x.span == q.span) {
            kept.quantities.push(q.clone());
        }
    }
    kept.evidence.extend(lost.evidence.iter().copied());
    kept.evidence.sort_unstable();
    kept.evidence.dedup();
    kept.rules.push("MG20-adjacent-merge".into());
}

/// Which of two triggers of one clause is dropped for the other, `(keep, lose, same type)`:
/// same-type triggers at most four tokens apart (the noun kept when the types agree, "car
/// bomb", "drone strike"), or a noun at most three light tokens after another trigger. A
/// material act nested under talk ("welcomed the liberation of the city") is the event: both
/// are kept (`MG11-act-under-talk`).
fn adjacent_pair(
    t: &Tokens<'_>,
    events: &[(Event, bool)],
    infos: &[Info],
    i: usize,
    j: usize,
) -> Option<(usize, usize, bool)> {
    let (a, b) = (infos.get(i).copied()?, infos.get(j).copied()?);
    let gap = b.start.saturating_sub(a.end);
    let same_type =
        events.get(i).map(|e| e.0.plover_type) == events.get(j).map(|e| e.0.plover_type);
    let adjacent = a.clause == b.clause
        && ((same_type && gap <= 4)
            || (b.noun && gap <= 3 && light_between(t, a.end, b.start))
            || (same_type && coordinated_verb(t, a, b)));
    if !adjacent {
        return None;
    }
    if !same_type
        && events.get(i).is_some_and(|e| e.0.acled.is_none())
        && events.get(j).is_some_and(|e| e.0.acled.is_some())
    {
        return None;
    }
    Some(if same_type && b.noun && !a.noun {
        (j, i, true)
    } else {
        (i, j, same_type)
    })
}

/// `MG21-coordinated-verb`: "three strikes engaged two units and destroyed a vehicle": a verb
/// after "and" that shares the subject of an earlier trigger of the same type in its clause
/// tells the same event.
fn coordinated_verb(t: &Tokens<'_>, a: Info, b: Info) -> bool {
    !b.noun
        && b.start > a.end
        && b.start - a.end <= 12
        && b.start >= 1
        && t.low(b.start - 1) == "and"
        && !(a.end..b.start - 1).any(|k| matches!(t.low(k), "." | ";" | "but" | "while" | "as"))
}

/// Whether the pair merges only as a coordinated verb (`MG21`), not as neighbours.
fn coordinated(t: &Tokens<'_>, infos: &[Info], keep: usize, lose: usize) -> bool {
    let (Some(a), Some(b)) = (infos.get(keep.min(lose)), infos.get(keep.max(lose))) else {
        return false;
    };
    b.start.saturating_sub(a.end) > 4 && coordinated_verb(t, *a, *b)
}

/// Merges same-type triggers next to each other ("a car bomb exploded", "signed a deal"),
/// drops nouns nested as another trigger's object ("demand the release") and background
/// nouns in adjuncts ("after two days of fighting") when the sentence has a main event.
pub(super) fn merge_adjacent(
    t: &Tokens<'_>,
    events: &mut Vec<(Event, bool)>,
    infos: &mut Vec<Info>,
    sentence: usize,
    near: &mut Vec<NearMiss>,
) {
    let n = events.len();
    let mut drop = vec![false; n];
    for j in 1..n {
        for i in 0..j {
            if drop.get(i).copied().unwrap_or(true) {
                continue;
            }
            let Some((keep, lose, same_type)) = adjacent_pair(t, events, infos, i, j) else {
                continue;
            };
            let lost = events.get(lose).map(|e| e.0.clone());
            if let (Some(lost), Some((kept, _))) = (lost, events.get_mut(keep)) {
                if same_type {
                    absorb_adjacent(kept, &lost);
                }
                near.push(NearMiss {
                    sentence,
                    span: lost.trigger,
                    rule: lost.rules.first().cloned().unwrap_or_default(),
                    reason: if same_type && coordinated(t, infos, keep, lose) {
                        "MG21-coordinated-verb: a verb after \"and\" with the same subject, same event"
                            .into()
                    } else if same_type {
                        "MG20-adjacent-merge: same event as the trigger next to it".into()
                    } else {
                        "NM41-nested-noun: object of another trigger".into()
                    },
                });
            }
            if let Some(d) = drop.get_mut(lose) {
                *d = true;
            }
        }
    }
    drop_background(events, infos, &mut drop, sentence, near);
    retain_marked(events, &drop);
    retain_marked(infos, &drop);
}

/// `NM40-background-noun`: nouns in adjuncts are dropped when the sentence has a main
/// (non-adjunct, not weak) event.
fn drop_background(
    events: &[(Event, bool)],
    infos: &[Info],
    drop: &mut [bool],
    sentence: usize,
    near: &mut Vec<NearMiss>,
) {
    let n = events.len();
    let has_main = (0..n).any(|k| {
        !drop.get(k).copied().unwrap_or(true)
            && infos.get(k).is_some_and(|x| !x.adjunct)
            && events.get(k).is_some_and(|e| !e.1)
    });
    if !has_main {
        return;
    }
    for k in 0..n {
        if infos.get(k).is_some_and(|x| x.adjunct) && !drop.get(k).copied().unwrap_or(true) {
            if let Some((e, _)) = events.get(k) {
                near.push(NearMiss {
                    sentence,
                    span: e.trigger,
                    rule: e.rules.first().cloned().unwrap_or_default(),
                    reason: "NM40-background-noun: a noun in an adjunct beside the main event"
                        .into(),
                });
            }
            if let Some(d) = drop.get_mut(k) {
                *d = true;
            }
        }
    }
}

/// Keeps the items whose `drop` mark is false.
fn retain_marked<T>(items: &mut Vec<T>, drop: &[bool]) {
    let mut k = 0;
    items.retain(|_| {
        let keep = !drop.get(k).copied().unwrap_or(false);
        k += 1;
        keep
    });
}

/// Weak triggers ("killed") merge into the nearest stronger ASSAULT or COERCE event of the
/// sentence (`MG10-weak-merged`), giving it their roles when it has none and their numbers;
/// with no stronger event and no actor or number they are dropped (`NM30-no-roles`).
pub(super) fn merge_weak(
    lexicon: &Lexicon,
    acled_map: &acled::AcledMap,
    events: Vec<(Event, bool)>,
    sentence: usize,
    near: &mut Vec<NearMiss>,
) -> Vec<Event> {
    use frontline_model::PloverType;
    let mut events = events;
    let strong_idx: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, (e, w))| {
            !*w && matches!(e.plover_type, PloverType::Assault | PloverType::Coerce)
        })
        .map(|(i, _)| i)
        .collect();
    let mut drop = vec![false; events.len()];
    for i in 0..events.len() {
        let Some((weak_event, true)) = events.get(i).map(|(e, w)| (e.clone(), *w)) else {
            continue;
        };
        let first_rule = weak_event.rules.first().cloned().unwrap_or_default();
        let reason = if let Some(&target) = strong_idx.iter().min_by_key(|&&k| k.abs_diff(i)) {
            if let Some((strong, _)) = events.get_mut(target) {
                absorb_weak(lexicon, acled_map, strong, weak_event.clone());
            }
            "MG10-weak-merged: merged into a stronger event in the sentence"
        } else if weak_event.sources.is_empty()
            && weak_event.targets.is_empty()
            && weak_event.quantities.is_empty()
        {
            "NM30-no-roles: weak trigger without actors or numbers"
        } else {
            continue;
        };
        if let Some(d) = drop.get_mut(i) {
            *d = true;
        }
        near.push(NearMiss {
            sentence,
            span: weak_event.trigger,
            rule: first_rule,
            reason: reason.into(),
        });
    }
    events
        .into_iter()
        .zip(drop)
        .filter(|(_, d)| !*d)
        .map(|((e, _), _)| e)
        .collect()
}

/// `MG10-weak-merged`: the strong event takes the weak one's roles when it has none (its ACLED
/// actor columns re-read, the weapon's sub-type, AL20 or AL21, and the victims' class, AL30 or
/// AL31, kept) and its numbers.
fn absorb_weak(lexicon: &Lexicon, acled_map: &acled::AcledMap, strong: &mut Event, weak: Event) {
    if strong.targets.is_empty() && !weak.targets.is_empty() {
        strong.targets = weak.targets;
    }
    // MG12-not-own-target: "a bomb struck an army convoy, killing four soldiers": the nearest
    // actor before "killing" is the convoy, the attack's target, not its source
    let offered = weak.sources.len();
    let sources: Vec<EventActor> = weak
        .sources
        .into_iter()
        .filter(|a| !strong.targets.iter().any(|t| t.actor.code == a.actor.code))
        .collect();
    if strong.sources.is_empty() {
        if sources.len() < offered {
            strong.rules.push("MG12-not-own-target".into());
        }
        if !sources.is_empty() {
            strong.sources = sources;
        }
    }
    let srefs: Vec<&ActorRef> = strong.sources.iter().map(|a| &a.actor).collect();
    let trefs: Vec<&ActorRef> = strong.targets.iter().map(|a| &a.actor).collect();
    let key = lexicon
        .rules
        .iter()
        .find(|r| strong.rules.first() == Some(&r.rule))
        .map(|r| r.acled.clone());
    if let Some(k) = key
        && strong.acled.is_some()
        && !strong.rules.iter().any(|r| {
            ["AL20-", "AL21-", "AL30-", "AL31-"]
                .iter()
                .any(|p| r.starts_with(p))
        })
        && let Some((a, _)) = acled_map.map(&k, &srefs, &trefs)
    {
        strong.acled = Some(a);
    }
    for q in weak.quantities {
        if !strong.quantities.iter().any(|x| x.span == q.span) {
            strong.evidence.push(q.span);
            strong.quantities.push(q);
        }
    }
    strong.evidence.sort_unstable();
    strong.evidence.dedup();
}
