//! Roles from the document's storyline, after the merge within the document: an event whose
//! sentence names no attacker ("Near the town, two strikes destroyed a bridge", "the strikes
//! also hit a depot") takes the attacker the document gave the last event of the same kind
//! told before it (`RO82-storyline-source`), and then, when that attacker is the same, the
//! target too (`RO83-storyline-target`). A military press release ("Coalition forces
//! conducted 12 strikes against X ... Near Y, three strikes destroyed ...") and a story whose
//! lede names both sides are read as their writers mean them.
//!
//! The storyline is read from the document's events after the merge (with the sides `RO81`
//! left them), and from the events the merge set aside (a summary the document then tells
//! one by one still says who acted): these are kept from before the merge.
//! A role the sentence fills itself is never replaced; a source is never one of the event's
//! own targets, nor a target one of its sources.

use frontline_model::{Event, EventActor, PloverType, QuantityKind};

/// The rule id of `RO82-storyline-source`.
pub const SOURCE_RULE: &str = "RO82-storyline-source";
/// The rule id of `RO83-storyline-target`.
pub const TARGET_RULE: &str = "RO83-storyline-target";

/// One event as its sentence told it: where, what kind, and who acted on whom.
#[derive(Debug, Clone)]
struct Told {
    start: usize,
    trigger: frontline_model::Span,
    kind: Kind,
    sources: Vec<EventActor>,
    targets: Vec<EventActor>,
}

/// The kind of an event for the storyline: its PLOVER type and ACLED sub-event type (an air
/// strike's attacker is not given to a roadside bomb, an arrest's force not to an attack).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Kind {
    ptype: PloverType,
    sub: Option<String>,
}

fn kind(e: &Event) -> Kind {
    Kind {
        ptype: e.plover_type,
        sub: e.acled.as_ref().map(|a| a.sub_event_type.clone()),
    }
}

/// The sides the document's events give, in text order, read before the merge.
#[derive(Debug, Default, Clone)]
pub struct Storyline {
    told: Vec<Told>,
}

/// The events that count (asserted or hedged), have an ACLED type and name a source.
fn told(events: &[Event]) -> impl Iterator<Item = Told> + '_ {
    events
        .iter()
        .filter(|e| e.modality.counts() && !e.sources.is_empty() && e.acled.is_some())
        .map(|e| Told {
            start: e.trigger.start,
            trigger: e.trigger,
            kind: kind(e),
            sources: e.sources.clone(),
            targets: e.targets.clone(),
        })
}

impl Storyline {
    /// Keeps, from the events as their sentences coded them (before the merge), those that
    /// count and name a source: the ones the merge sets aside are read from here.
    pub fn of(events: &[Event]) -> Self {
        Self {
            told: told(events).collect(),
        }
    }

    /// The storyline of the merged `events`: their own sides, and those of the events kept
    /// from before the merge that no merged event tells (set aside), in text order.
    fn with(&self, events: &[Event]) -> Self {
        let told_by = |t: &Told| {
            events
                .iter()
                .any(|e| e.trigger == t.trigger || e.evidence.contains(&t.trigger))
        };
        let mut all: Vec<Told> = told(events).collect();
        all.extend(self.told.iter().filter(|t| !told_by(t)).cloned());
        all.sort_by_key(|t| t.start);
        Self { told: all }
    }

    /// The latest event of `e`'s kind told before `e`'s trigger that `accept` takes.
    fn before(&self, e: &Event, accept: impl Fn(&Told) -> bool) -> Option<&Told> {
        let k = kind(e);
        self.told
            .iter()
            .rev()
            .filter(|t| t.start < e.trigger.start && t.kind == k)
            .find(|t| accept(t))
    }
}

/// Whether two sides share an actor (by code).
fn share(a: &[EventActor], b: &[EventActor]) -> bool {
    a.iter().any(|x| {
        b.iter()
            .any(|y| x.actor.code == y.actor.code || x.span == y.span)
    })
}

/// Whether the event counts its own dead, wounded or abducted ("killing five members of a
/// family"): its sentence tells who suffered it, even when no actor word names them, so the
/// storyline's target is not given to it (`RO83`).
fn counts_victims(e: &Event) -> bool {
    e.quantities.iter().any(|q| {
        matches!(
            q.quantity.quantity_kind,
            QuantityKind::Killed | QuantityKind::Wounded | QuantityKind::Abducted
        )
    })
}

/// Fills the roles the events' own sentences left empty from the storyline (`RO82`, `RO83`).
/// Only events that count, and have an ACLED type, are filled.
pub fn fill(events: &mut [Event], story: &Storyline) {
    if story.told.is_empty() {
        return;
    }
    let story = story.with(events);
    for e in events.iter_mut() {
        if !e.modality.counts() || e.acled.is_none() {
            continue;
        }
        if e.sources.is_empty()
            && let Some(t) = story.before(e, |t| !share(&t.sources, &e.targets))
        {
            e.sources = t.sources.clone();
            e.rules.push(SOURCE_RULE.into());
        }
        if e.targets.is_empty()
            && !e.sources.is_empty()
            && !counts_victims(e)
            && let Some(t) = story.before(e, |t| {
                !t.targets.is_empty()
                    && share(&t.sources, &e.sources)
                    && !share(&t.targets, &e.sources)
            })
        {
            e.targets = t.targets.clone();
            e.rules.push(TARGET_RULE.into());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use frontline_model::{AcledType, ActorRef, ActorType, Modality, Span};

    fn actor(code: &str, at: usize) -> EventActor {
        EventActor {
            actor: ActorRef {
                code: code.into(),
                name: code.into(),
                country: None,
                actor_type: ActorType::Military,
                entity: None,
                affiliations: Vec::new(),
            },
            span: Span::new(at, at + 3),
            mention: None,
        }
    }

    fn ev(at: usize, sub: &str, sources: Vec<EventActor>, targets: Vec<EventActor>) -> Event {
        let json = r#"{"id": "d:0", "plover_type": "ASSAULT", "trigger": {"start": 0, "end": 1},
            "trigger_text": "strikes", "sentence": 0, "modality": "asserted",
            "confidence": 0.5}"#;
        let mut e: Event = serde_json::from_str(json).unwrap();
        e.trigger = Span::new(at, at + 7);
        e.acled = Some(AcledType {
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: sub.into(),
        });
        e.sources = sources;
        e.targets = targets;
        e
    }

    const AIR: &str = "Air/drone strike";

    #[test]
    fn ro82_ro83_a_strike_without_sides_takes_the_lede_s() {
        // "Allied jets conducted ten strikes against the rebels. Near the town, two strikes
        // destroyed a bridge."
        let lede = ev(20, AIR, vec![actor("COA", 0)], vec![actor("REB", 40)]);
        let part = ev(70, AIR, vec![], vec![]);
        let story = Storyline::of(&[lede.clone(), part.clone()]);
        let mut events = vec![lede, part];
        fill(&mut events, &story);
        assert_eq!(events[1].sources[0].actor.code, "COA");
        assert_eq!(events[1].targets[0].actor.code, "REB");
        assert!(events[1].rules.iter().any(|r| r == SOURCE_RULE));
        assert!(events[1].rules.iter().any(|r| r == TARGET_RULE));
        // the lede itself is left as it was
        assert_eq!(events[0].rules.len(), 0);
    }

    #[test]
    fn ro82_only_the_same_kind_and_only_before() {
        // a roadside bomb later in a story about air strikes is not the air force's
        let lede = ev(20, AIR, vec![actor("COA", 0)], vec![actor("REB", 40)]);
        let bomb = ev(70, "Remote explosive/landmine/IED", vec![], vec![]);
        // a strike told before the lede is not given the lede's attacker
        let early = ev(5, AIR, vec![], vec![]);
        let story = Storyline::of(std::slice::from_ref(&lede));
        let mut events = vec![early, lede, bomb];
        fill(&mut events, &story);
        assert!(events[0].sources.is_empty());
        assert!(events[2].sources.is_empty());
    }

    #[test]
    fn ro83_not_to_an_event_that_counts_its_own_victims() {
        // "... a strike hit a house, killing five members of a family": not the rebels
        let lede = ev(20, AIR, vec![actor("COA", 0)], vec![actor("REB", 40)]);
        let mut part = ev(70, AIR, vec![], vec![]);
        let q: frontline_model::EventQuantity = serde_json::from_str(
            r#"{"quantity": {"value": 5.0, "unit": "people", "quantity_kind": "killed",
                "approximate": false}, "span": {"start": 90, "end": 94}}"#,
        )
        .unwrap();
        part.quantities.push(q);
        let story = Storyline::of(std::slice::from_ref(&lede));
        let mut events = vec![lede, part];
        fill(&mut events, &story);
        assert_eq!(events[1].sources[0].actor.code, "COA");
        assert!(events[1].targets.is_empty());
    }

    #[test]
    fn ro82_never_a_source_that_is_the_event_s_target() {
        // "Rebels shelled the army post. ... Strikes hit the rebels": not the rebels' strikes
        let lede = ev(20, AIR, vec![actor("REB", 0)], vec![actor("MIL", 40)]);
        let part = ev(70, AIR, vec![], vec![actor("REB", 80)]);
        let story = Storyline::of(std::slice::from_ref(&lede));
        let mut events = vec![lede, part];
        fill(&mut events, &story);
        assert!(events[1].sources.is_empty());
        assert_eq!(events[1].targets[0].actor.code, "REB");
    }

    #[test]
    fn ro83_a_target_only_from_the_same_attacker() {
        // the sentence names its own attacker, another than the lede's: no target carried
        let lede = ev(20, AIR, vec![actor("COA", 0)], vec![actor("REB", 40)]);
        let other = ev(70, AIR, vec![actor("SYRMIL", 60)], vec![]);
        let story = Storyline::of(&[lede.clone(), other.clone()]);
        let mut events = vec![lede, other];
        fill(&mut events, &story);
        assert!(events[1].targets.is_empty());
        assert!(!events[1].rules.iter().any(|r| r == SOURCE_RULE));
    }

    #[test]
    fn ro82_a_set_aside_summary_tells_and_a_merged_part_s_side_does_not() {
        // "Allied jets conducted ten strikes against the rebels in the country" (set aside by
        // the merge), then "near the town, two strikes hit a rebel unit and destroyed a
        // depot": the merged "destroyed" read the unit as its subject; the merged event no
        // longer has it as a source, so the storyline does not either
        let summary = ev(20, AIR, vec![actor("COA", 0)], vec![actor("REB", 40)]);
        let destroyed = ev(90, AIR, vec![actor("REB", 80)], vec![]);
        let mut part = ev(70, AIR, vec![], vec![actor("REB", 80)]);
        part.evidence = vec![destroyed.trigger];
        let story = Storyline::of(&[summary, part.clone(), destroyed]);
        let mut events = vec![part];
        fill(&mut events, &story);
        assert_eq!(events[0].sources[0].actor.code, "COA");
    }

    #[test]
    fn ro82_an_event_that_does_not_count_gives_no_side() {
        let mut plan = ev(20, AIR, vec![actor("COA", 0)], vec![actor("REB", 40)]);
        plan.modality = Modality::Hypothetical;
        let part = ev(70, AIR, vec![], vec![]);
        let story = Storyline::of(std::slice::from_ref(&plan));
        let mut events = vec![plan, part];
        fill(&mut events, &story);
        assert!(events[1].sources.is_empty());
    }
}
