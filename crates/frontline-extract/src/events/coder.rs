//! The event coder of one sentence as a pipeline of stages (ARCHITECTURE.md lists them):
//! for each trigger the lexicon finds, [`screen`](super::screen) (event or not) →
//! [`participants`](super::participants) (roles) → [`classify`](super::classify) (which type)
//! → [`place`](super::place) → [`timing`](super::timing) (date) → quantities and territory →
//! [`report`](super::report) (attribution, modality) → the record; then, over the sentence's
//! records, [`sentence_merge`](super::sentence_merge), and numbering.

use frontline_model::{
    Event, EventActor, EventLocation, EventQuantity, PloverType, SourceKind, Span,
    TerritorialChange, TimeRef,
};

use crate::actors::ActorDictionary;
use crate::lex::Tokens;

use super::classify::{Typed, classify};
use super::lexicon::{Form, TriggerHit, TriggerRule};
use super::participants::{Cast, Filled, RoleInput};
use super::place::{PlaceInput, locate};
use super::sentence_merge::{Info, in_adjunct, merge_adjacent, merge_weak, protest_intervention};
use super::{AttributionHit, DocState, EventCoder, NearMiss, SentenceInput};

impl EventCoder {
    /// Codes the events of one sentence: each trigger through the stages, then the merges
    /// within the sentence, then ids and the state carried to the next sentence.
    pub fn code_sentence(
        &self,
        dict: &ActorDictionary,
        s: &SentenceInput<'_>,
        state: &mut DocState,
        near: &mut Vec<NearMiss>,
    ) -> Vec<Event> {
        let t = s.tokens;
        let hits = self.lexicon.find(t);
        let cast = Cast::of(s, !hits.is_empty());
        let mut events: Vec<(Event, bool)> = Vec::with_capacity(hits.len());
        let mut infos: Vec<Info> = Vec::with_capacity(hits.len());
        for h in &hits {
            let Some(rule) = self.lexicon.rules.get(h.rule) else {
                continue;
            };
            let Some(ptype) = rule.plover_type else {
                continue;
            };
            // event or not: the word's sense and sentence, then the verb's frame
            let screened = super::screen::screen(t, rule, h, &cast.found, s.places)
                .and_then(|clause| super::verbal::screen(t, rule, h).map_or(Ok(clause), Err));
            let clause = match screened {
                Ok(clause) => clause,
                Err(reason) => {
                    near.push(NearMiss {
                        sentence: s.index,
                        span: t.span(h.start, h.end),
                        rule: rule.rule.clone(),
                        reason: reason.into(),
                    });
                    continue;
                }
            };
            let trigger = Trigger {
                t,
                s,
                rule,
                h,
                ptype,
                clause,
                tspan: t.span(h.start, h.end),
                reporting: reporting(s, h),
            };
            events.push((self.code_trigger(dict, &trigger, &cast, state), rule.weak));
            infos.push(trigger.info());
        }
        merge_adjacent(t, &mut events, &mut infos, s.index, near);
        let mut out = merge_weak(&self.lexicon, &self.acled, events, s.index, near);
        protest_intervention(t, &mut out);
        number(&mut out, state);
        out
    }

    /// One trigger that passed the screen, through the stages to its record.
    fn code_trigger(
        &self,
        dict: &ActorDictionary,
        x: &Trigger<'_, '_>,
        cast: &Cast<'_>,
        state: &DocState,
    ) -> Event {
        let (t, h, rule) = (x.t, x.h, x.rule);
        // Sized for the usual number of rule ids and evidence spans, so neither regrows.
        let mut rules: Vec<String> = Vec::with_capacity(8);
        rules.push(rule.rule.clone());
        let roles = super::participants::fill(
            dict,
            &RoleInput {
                t,
                s: x.s,
                h,
                ptype: x.ptype,
                clause: x.clause,
                participle: self.lexicon.is_participle(h.rule, t, h.start, h.end),
                territory: rule.territory,
                symmetric: rule.symmetric,
                reporting: &x.reporting,
            },
            cast,
            state,
            &mut rules,
        );
        let mut roles = roles;
        super::verbal::demand_roles(rule, &mut roles, &x.reporting, &mut rules);
        let typed = classify(
            &self.acled,
            t,
            rule,
            x.ptype,
            h,
            x.clause,
            &roles.sources,
            &roles.targets,
            &mut rules,
        );
        let exclude: Vec<(usize, usize)> = cast
            .found
            .iter()
            .map(|a| (a.tok_start, a.tok_end))
            .collect();
        let location = locate(
            dict,
            &PlaceInput {
                t,
                places: x.s.places,
                h,
                rule,
                ptype: x.ptype,
                clause: x.clause,
                exclude: &exclude,
                sources: &roles.sources,
                targets: &roles.targets,
            },
            &mut rules,
        );
        let date = super::timing::date(
            t,
            x.s.times,
            x.s.index,
            h,
            x.clause,
            &x.reporting,
            state,
            &mut rules,
        );
        let quantities = quantities(x);
        let territory = territory(x, &roles, location.as_ref(), &quantities);
        let mut evidence = Vec::with_capacity(8);
        evidence.push(x.tspan);
        if let Some(l) = &location {
            evidence.push(l.span);
        }
        let attribution = super::report::attribution(
            &x.reporting,
            x.tspan,
            state.outlet.as_ref(),
            &mut rules,
            &mut evidence,
        );
        let m = super::report::modality(t, h, x.clause, &x.reporting);
        let m = super::verbal::obliged_act(t, h, m);
        let m = super::verbal::refused_or_asked(t, h, m);
        let m = super::verbal::demanded_that(t, h, m);
        let m = super::verbal::stated_intent_made(&rules, m);
        if let (Some(r), Some(c)) = (m.rule, m.cue) {
            rules.push(r.to_string());
            evidence.push(c);
        }
        let Filled {
            sources, targets, ..
        } = roles;
        let Typed {
            ptype,
            mode,
            cameo,
            acled,
        } = typed;
        let mut ev = Event {
            id: String::new(),
            plover_type: ptype,
            plover_mode: mode,
            acled,
            cameo_root: Some(cameo),
            trigger: x.tspan,
            trigger_text: t
                .text
                .get(x.tspan.range())
                .unwrap_or("")
                .to_ascii_lowercase(),
            sentence: x.s.index,
            sources,
            targets,
            location,
            date,
            quantities,
            territory,
            attribution,
            modality: m.modality,
            confidence: 0.0,
            evidence,
            rules,
            background: false,
        };
        ev.background = super::timing::background(ev.date.as_ref(), state.published, &mut ev.rules)
            || super::timing::past_era(t, h, x.clause, &mut ev.rules);
        finish_evidence(&mut ev);
        ev.confidence = confidence(&ev);
        ev
    }
}

/// One trigger being coded and what every stage reads about it.
struct Trigger<'x, 'a> {
    t: &'x Tokens<'a>,
    s: &'x SentenceInput<'a>,
    rule: &'x TriggerRule,
    h: &'x TriggerHit,
    ptype: PloverType,
    clause: (usize, usize),
    tspan: Span,
    /// The attributions whose reported words hold the trigger.
    reporting: Vec<&'a AttributionHit>,
}

impl Trigger<'_, '_> {
    /// Token facts for the merges within the sentence.
    fn info(&self) -> Info {
        let (t, h) = (self.t, self.h);
        Info {
            start: h.start,
            end: h.end,
            noun: h.form == Form::Noun,
            clause: self.clause,
            adjunct: (h.form == Form::Noun
                || t.low(h.start).ends_with("ing")
                || (h.start >= 1 && matches!(t.low(h.start - 1), "a" | "an" | "the"))
                || (h.start >= 2 && matches!(t.low(h.start - 2), "a" | "an" | "the")))
                && in_adjunct(t, h.start, 0),
        }
    }
}

/// The attributions whose reported words hold the trigger.
fn reporting<'a>(s: &SentenceInput<'a>, h: &TriggerHit) -> Vec<&'a AttributionHit> {
    s.attributions
        .iter()
        .filter(|a| a.found.content.0 <= h.start && h.end <= a.found.content.1)
        .collect()
}

/// The quantities in the trigger's clause.
fn quantities(x: &Trigger<'_, '_>) -> Vec<EventQuantity> {
    x.s.quantities
        .iter()
        .filter(|q| q.start >= x.clause.0 && q.end <= x.clause.1)
        .map(|q| EventQuantity {
            quantity: q.quantity.clone(),
            span: q.span,
            mention: q.mention,
        })
        .collect()
}

/// The territory that changed hands, for territorial triggers: who took it from whom
/// (a withdrawal hands it from its sources to its targets).
fn territory(
    x: &Trigger<'_, '_>,
    roles: &Filled,
    location: Option<&EventLocation>,
    quantities: &[EventQuantity],
) -> Option<TerritorialChange> {
    if !x.rule.territory {
        return None;
    }
    let place = location.map(|l| l.place.clone());
    let first = |v: &[EventActor]| v.first().map(|a| a.actor.clone());
    let (from, to) = if x.ptype == PloverType::Retreat {
        (first(&roles.sources), first(&roles.targets))
    } else {
        (
            roles.from.clone().or_else(|| first(&roles.targets)),
            first(&roles.sources),
        )
    };
    if place.is_some() || from.is_some() || to.is_some() || !quantities.is_empty() {
        Some(TerritorialChange { place, from, to })
    } else {
        None
    }
}

/// Adds the actors' and quantities' spans to the evidence, sorted and without repeats.
fn finish_evidence(e: &mut Event) {
    let spans: Vec<Span> = e
        .sources
        .iter()
        .chain(&e.targets)
        .map(|a| a.span)
        .chain(e.quantities.iter().map(|q| q.span))
        .collect();
    e.evidence.extend(spans);
    e.evidence.sort_unstable();
    e.evidence.dedup();
}

/// How much the record says: a source, a target or place, its own date, a named speaker.
fn confidence(e: &Event) -> f32 {
    let mut confidence: f32 = 0.4;
    if !e.sources.is_empty() {
        confidence += 0.2;
    }
    if !e.targets.is_empty() || e.location.is_some() {
        confidence += 0.15;
    }
    if e.date.as_ref().is_some_and(|d: &TimeRef| {
        !d.derivation.starts_with("publication") && !d.derivation.starts_with("previous")
    }) {
        confidence += 0.1;
    }
    if e.attribution
        .iter()
        .any(|a| a.source_kind != SourceKind::Outlet)
    {
        confidence += 0.05;
    }
    confidence.min(0.95)
}

/// Gives the sentence's events their ids and carries their date and sources to the next
/// sentences (`DT30`, `RO12`).
fn number(events: &mut [Event], state: &mut DocState) {
    for e in events {
        e.id = format!("{}:{}", state.doc_id, state.count);
        state.count += 1;
        if let Some(d) = &e.date
            && e.rules
                .iter()
                .any(|r| r.starts_with("DT10") || r.starts_with("DT20"))
        {
            state.prev_date = Some(d.clone());
            state.prev_date_sentence = Some(e.sentence);
        }
        if !e.sources.is_empty() {
            state.prev_sources = e.sources.clone();
        }
    }
}
