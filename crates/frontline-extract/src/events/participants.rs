//! Stage 2 of coding a trigger: **roles**. Who acted (sources) and on whom (targets), from
//! [`super::roles::fill`] over the clause (`RO10`–`RO50`), then, when no source is found, a
//! demonym before a noun trigger (`RO44`), a claimant ("X claimed the attack", `RO14`), or
//! the speaker's side or the previous event's sources for "it"/"the campaign" (`RO13`,
//! `RO12`). Actors that name a speaker ("Iraqi officials said") are not participants.

use frontline_model::{ActorRef, EventActor, PloverType, Span};

use crate::actors::{ActorDictionary, ActorFound};
use crate::lex::Tokens;

use super::lexicon::{Form, TriggerHit};
use super::{ActorHit, AttributionHit, DocState, SentenceInput, roles};

/// The actors of a sentence that may fill roles: those not inside a speaker's span.
#[derive(Debug, Default)]
pub(super) struct Cast<'a> {
    /// Index into the sentence's actors of each candidate.
    keep: Vec<usize>,
    /// The candidates, in order (what the role rules read).
    pub found: Vec<ActorFound>,
    all: &'a [ActorHit],
}

impl<'a> Cast<'a> {
    /// The sentence's candidates; `needed` false (no trigger in the sentence) reads none.
    pub(super) fn of(s: &SentenceInput<'a>, needed: bool) -> Self {
        let speaker_spans: Vec<Span> = s.attributions.iter().map(|a| a.found.span).collect();
        let keep: Vec<usize> = (0..s.actors.len())
            .filter(|&i| {
                s.actors.get(i).is_some_and(|a| {
                    !speaker_spans
                        .iter()
                        .any(|sp| sp.start <= a.found.span.start && a.found.span.end <= sp.end)
                })
            })
            .collect();
        // Only triggers read the participants: most sentences have none.
        let found = if needed {
            keep.iter()
                .filter_map(|&i| s.actors.get(i))
                .map(|a| a.found.clone())
                .collect()
        } else {
            Vec::new()
        };
        Self {
            keep,
            found,
            all: s.actors,
        }
    }

    /// The sentence actor behind candidate `i`.
    pub(super) fn hit(&self, i: usize) -> Option<&'a ActorHit> {
        self.keep.get(i).and_then(|&k| self.all.get(k))
    }

    fn event_actors(&self, idx: &[usize]) -> Vec<EventActor> {
        idx.iter()
            .filter_map(|&i| self.hit(i))
            .map(event_actor)
            .collect()
    }
}

/// An actor found in the sentence as an event participant.
pub(super) fn event_actor(a: &ActorHit) -> EventActor {
    EventActor {
        actor: a.found.actor.clone(),
        span: a.found.span,
        mention: a.mention,
    }
}

/// The roles of one trigger.
#[derive(Debug, Default)]
pub(super) struct Filled {
    /// Who acted.
    pub sources: Vec<EventActor>,
    /// On whom.
    pub targets: Vec<EventActor>,
    /// Who lost the territory ("from Z").
    pub from: Option<ActorRef>,
}

/// What the roles stage reads about the trigger.
pub(super) struct RoleInput<'x, 'a> {
    pub t: &'x Tokens<'a>,
    pub s: &'x SentenceInput<'a>,
    pub h: &'x TriggerHit,
    pub ptype: PloverType,
    pub participle: bool,
    pub territory: bool,
    pub symmetric: bool,
    pub reporting: &'x [&'a AttributionHit],
}

/// Fills the roles of one trigger, pushing the ids of the rules that fired.
pub(super) fn fill(
    dict: &ActorDictionary,
    x: &RoleInput<'_, '_>,
    cast: &Cast<'_>,
    state: &DocState,
    rules: &mut Vec<String>,
) -> Filled {
    let (t, h) = (x.t, x.h);
    let roles = roles::fill(
        t,
        &cast.found,
        h.start,
        h.end,
        h.form,
        x.participle,
        x.territory,
        x.symmetric,
    );
    rules.extend(roles.rules.iter().map(|r| r.to_string()));
    let mut sources = cast.event_actors(&roles.sources);
    let targets = cast.event_actors(&roles.targets);
    if sources.is_empty() {
        if let Some(a) = demonym_source(dict, t, h, x.ptype) {
            sources.push(a);
            rules.push("RO44-demonym-prenominal".into());
        }
    }
    if sources.is_empty()
        && let Some(a) = claimant(x.s, h)
    {
        sources.push(a);
        rules.push("RO14-claimed-by".into());
    }
    if sources.is_empty() && roles.anaphora {
        match speaker_side(x.reporting) {
            Some(a) => {
                sources.push(a);
                rules.push("RO13-speaker-anaphora".into());
            }
            None => sources = state.prev_sources.clone(),
        }
    }
    Filled {
        sources,
        targets,
        from: roles
            .from
            .and_then(|i| cast.hit(i))
            .map(|a| a.found.actor.clone()),
    }
}

/// `RO44-demonym-prenominal`: "Israeli air strikes": a demonym right before a noun trigger.
fn demonym_source(
    dict: &ActorDictionary,
    t: &Tokens<'_>,
    h: &TriggerHit,
    ptype: PloverType,
) -> Option<EventActor> {
    if h.form != Form::Noun || h.start == 0 {
        return None;
    }
    let sector = match ptype {
        PloverType::Assault | PloverType::Coerce | PloverType::Mobilize => "MIL",
        PloverType::Protest => "PRO",
        _ => "GOV",
    };
    let (span, actor) = dict.demonym_before(t, h.start, sector)?;
    Some(EventActor {
        actor,
        span,
        mention: None,
    })
}

/// `RO14-claimed-by`: "Al-Shabaab claimed a suicide attack": the claimant is the source.
fn claimant(s: &SentenceInput<'_>, h: &TriggerHit) -> Option<EventActor> {
    let a = s.attributions.iter().find(|a| {
        matches!(
            a.found.cue.as_str(),
            "claimed" | "claims" | "denied" | "denies" | "acknowledged" | "admitted"
        ) && a.found.cue_tok < h.start
            && h.start <= a.found.cue_tok + 6
            && a.found.actor.is_some()
    })?;
    let actor = a.found.actor.clone()?;
    Some(EventActor {
        actor,
        span: a.found.span,
        mention: a.mention,
    })
}

/// `RO13-speaker-anaphora`: in reported speech, "the campaign"/"it" is the speaking party's
/// own side.
fn speaker_side(reporting: &[&AttributionHit]) -> Option<EventActor> {
    let a = reporting.iter().find(|a| {
        a.found
            .actor
            .as_ref()
            .is_some_and(|x| x.country.is_some() || x.entity.is_some())
    })?;
    let actor = a.found.actor.clone()?;
    Some(EventActor {
        actor,
        span: a.found.span,
        mention: a.mention,
    })
}
