//! Stage 2 of coding a trigger: **roles**. Who acted (sources) and on whom (targets), from
//! [`super::roles::fill`] over the clause (`RO10`–`RO50`), then, when no source is found, a
//! demonym before a noun trigger (`RO44`), a claimant ("X claimed the attack", `RO14`), or
//! the speaker's side or the previous event's sources for "it"/"the campaign" (`RO13`,
//! `RO12`). When no target is found, a demonym-owned object (`RO85`) or a bare country after
//! "to"/"with"/"against" (`RO86`). Actors that name a speaker ("Iraqi officials said") are not
//! participants.

use frontline_model::{ActorRef, ActorType, Event, EventActor, PloverType, Span};

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
    /// Token ranges of the countries set aside as parts of an address (`RO22`).
    pub addresses: Vec<(usize, usize)>,
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
        // RO22: countries that complete an address are set aside
        let (keep, addresses): (Vec<usize>, Vec<usize>) = keep.into_iter().partition(|&i| {
            s.actors
                .get(i)
                .is_none_or(|a| !address_country(s, &a.found))
        });
        let addresses = addresses
            .iter()
            .filter_map(|&i| s.actors.get(i))
            .map(|a| (a.found.tok_start, a.found.tok_end))
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
            addresses,
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

/// `RO22-address-country`: a bare country name right after "Place," completes an address
/// ("in Anbar, Iraq", "near Dvani, Georgia"): it says where, not who, and fills no role.
fn address_country(s: &SentenceInput<'_>, a: &ActorFound) -> bool {
    a.bare_country
        && a.tok_start >= 2
        && s.tokens.low(a.tok_start - 1) == ","
        && s.places.iter().any(|p| p.end == a.tok_start - 1)
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
    pub clause: (usize, usize),
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
    let mut source_idx = roles.sources.clone();
    let mut target_idx = roles.targets.clone();
    let before = source_idx.len();
    source_idx.retain(|&i| cast.found.get(i).is_none_or(|a| !condemns(t, a, h)));
    if source_idx.len() < before {
        rules.push("RO15-condemner-not-source".into());
    }
    // a claimant of responsibility outranks civilians found as the subject
    let civilians_only = source_idx.iter().all(|&i| {
        cast.found
            .get(i)
            .is_none_or(|a| a.actor.actor_type == ActorType::Civilian)
    });
    let mut claimed = None;
    if civilians_only {
        if let Some(i) = responsibility_claimant(t, &cast.found, h) {
            target_idx.retain(|&k| k != i);
            source_idx = vec![i];
            rules.push("RO16-claimed-responsibility".into());
        } else if let Some(a) = claiming_speaker(t, x.s, h) {
            source_idx.clear();
            claimed = Some(a);
            rules.push("RO16-claimed-responsibility".into());
        }
    }
    if cast
        .addresses
        .iter()
        .any(|&(a, b)| a >= x.clause.0 && b <= x.clause.1)
    {
        rules.push("RO22-address-country".into());
    }
    let mut sources = cast.event_actors(&source_idx);
    sources.extend(claimed);
    let mut targets = cast.event_actors(&target_idx);
    if targets.is_empty() {
        if let Some(a) = demonym_owned_target(dict, t, h, x.ptype, x.clause.1) {
            targets.push(a);
            rules.push("RO85-demonym-owned-target".into());
        } else if let Some(a) = country_addressee(dict, t, h, x.ptype, x.clause.1) {
            targets.extend(a);
            rules.push("RO86-country-addressee".into());
        }
    }
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
    if x.ptype == PloverType::Protest
        && h.form == Form::Noun
        && !rules
            .iter()
            .any(|r| r.starts_with("RO43") || r.starts_with("RO44"))
        && forces_meet_protest(&mut sources, &mut targets)
    {
        rules.push("RO71-forces-meet-protest".into());
    }
    if x.ptype == PloverType::Protest && protesters(&mut sources) {
        rules.push("RO70-protesters".into());
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

/// Verbs by which a party condemns or deplores an act.
const CONDEMN: &[&str] = &[
    "condemn",
    "condemns",
    "condemned",
    "condemning",
    "denounce",
    "denounces",
    "denounced",
    "denouncing",
    "deplore",
    "deplores",
    "deplored",
    "decry",
    "decries",
    "decried",
];

/// `RO15-condemner-not-source`: a party that condemns or deplores an attack ("The United States
/// strongly condemns the attacks", "Envoy Condemns Attack") is not its attacker: the
/// condemnation verb stands between it and the trigger.
fn condemns(t: &Tokens<'_>, a: &ActorFound, h: &TriggerHit) -> bool {
    a.tok_end <= h.start && (a.tok_end..h.start).any(|k| CONDEMN.contains(&t.low(k)))
}

/// `RO16-claimed-responsibility`: "the attacks, for which X (has) claimed responsibility": the
/// actor that claims responsibility after the trigger is its source (when no source, or only
/// civilians, was found before it).
fn responsibility_claimant(t: &Tokens<'_>, actors: &[ActorFound], h: &TriggerHit) -> Option<usize> {
    actors.iter().position(|a| {
        if a.tok_start < h.end {
            return false;
        }
        let mut k = a.tok_end;
        if matches!(t.low(k), "has" | "have" | "had") {
            k += 1;
        }
        matches!(t.low(k), "claimed" | "claims" | "claim")
            && matches!(t.low(k + 1), "responsibility" | "credit")
    })
}

/// `RO16-claimed-responsibility` when the claimant is read as a speaker ("for which X has
/// claimed responsibility" is also reported speech): the attribution's actor.
fn claiming_speaker(t: &Tokens<'_>, s: &SentenceInput<'_>, h: &TriggerHit) -> Option<EventActor> {
    let a = s.attributions.iter().find(|a| {
        matches!(a.found.cue.as_str(), "claimed" | "claims" | "claim")
            && a.found.cue_tok >= h.end
            && matches!(t.low(a.found.cue_tok + 1), "responsibility" | "credit")
            && a.found.actor.is_some()
    })?;
    Some(EventActor {
        actor: a.found.actor.clone()?,
        span: a.found.span,
        mention: a.mention,
    })
}

/// `RO70-protesters`: those who protest are protesters, whatever word names them ("residents
/// marched", "Palestinian women protested"): a civilian source of a protest becomes a
/// protester (CAMEO sector `PRO`). Returns whether any changed.
fn protesters(sources: &mut [EventActor]) -> bool {
    let mut changed = false;
    for a in sources.iter_mut() {
        if a.actor.actor_type == ActorType::Civilian {
            a.actor.actor_type = ActorType::Protester;
            if let Some(stem) = a.actor.code.strip_suffix("CVL") {
                a.actor.code = format!("{stem}PRO");
            }
            changed = true;
        }
    }
    changed
}

/// `RO71-forces-meet-protest`: police or soldiers that a protest noun takes from its clause
/// ("police dispersed the rally", "officers were policing the demonstration") are the forces
/// the protest met, its target, not its protesters. When forces protest, a report says so with
/// the verb ("police officers protested over pay") or a possessive ("the soldiers' protest",
/// `RO43`), which this rule leaves alone. Returns whether any moved.
fn forces_meet_protest(sources: &mut Vec<EventActor>, targets: &mut Vec<EventActor>) -> bool {
    let forces =
        |a: &EventActor| matches!(a.actor.actor_type, ActorType::Police | ActorType::Military);
    if !sources.iter().any(forces) {
        return false;
    }
    let (moved, kept): (Vec<EventActor>, Vec<EventActor>) = sources.drain(..).partition(forces);
    *sources = kept;
    for a in moved {
        if !targets.iter().any(|t| t.actor.code == a.actor.code) {
            targets.push(a);
        }
    }
    true
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

/// Words that never head a noun phrase (prepositions, conjunctions, determiners, auxiliaries).
const FUNCTION_WORDS: &[&str] = &[
    "in",
    "on",
    "at",
    "for",
    "from",
    "to",
    "with",
    "by",
    "of",
    "near",
    "and",
    "or",
    "but",
    "as",
    "that",
    "which",
    "who",
    "the",
    "a",
    "an",
    "was",
    "were",
    "is",
    "are",
    "had",
    "has",
    "have",
    "after",
    "before",
    "during",
    "since",
    "while",
    "when",
    "into",
    "over",
    "across",
    "this",
    "last",
    "today",
    "yesterday",
];

/// Nouns of places where civilians live and gather (`RO85`): a demonym before them names the
/// country's civilians.
const DWELLINGS: &[&str] = &[
    "town",
    "towns",
    "city",
    "cities",
    "village",
    "villages",
    "home",
    "homes",
    "house",
    "houses",
    "neighbourhood",
    "neighbourhoods",
    "neighborhood",
    "neighborhoods",
    "settlement",
    "settlements",
    "market",
    "markets",
    "school",
    "schools",
    "hospital",
    "hospitals",
    "camp",
    "camps",
    "district",
    "districts",
    "residential",
    "civilian",
];

/// Verbs of motion: after them "to" and "from" name a destination or an origin.
const MOTION: &[&str] = &[
    "return",
    "returns",
    "returned",
    "returning",
    "go",
    "goes",
    "went",
    "going",
    "travel",
    "travelled",
    "traveled",
    "travelling",
    "traveling",
    "fly",
    "flew",
    "flying",
    "flee",
    "fled",
    "fleeing",
    "move",
    "moved",
    "moving",
    "come",
    "came",
    "coming",
    "back",
    "head",
    "headed",
    "heading",
    "sail",
    "sailed",
    "drive",
    "drove",
    "walk",
    "walked",
    "cross",
    "crossed",
    "arrive",
    "arrived",
    "send",
    "sent",
    "sending",
    "deport",
    "deported",
    "extradite",
    "extradited",
    "transfer",
    "transferred",
    "visit",
    "trip",
    "journey",
    "flight",
    "delegation",
];

/// Determiners, numbers and the like that may open the object noun phrase after a verb.
fn opens_object(t: &Tokens<'_>, k: usize) -> bool {
    t.toks
        .get(k)
        .is_some_and(|x| x.kind == crate::lex::Tok::Number)
        || matches!(
            t.low(k),
            "a" | "an"
                | "the"
                | "two"
                | "three"
                | "several"
                | "many"
                | "dozens"
                | "hundreds"
                | "of"
        )
}

/// `RO85-demonym-owned-target`: an attack, coercion or threat with no target whose object
/// is a demonym before a common noun that names no agent ("shelled Syrian towns",
/// "demolished Palestinian homes", "threatened to bomb Iraqi cities", "destroyed a Syrian
/// depot") is aimed at what that country owns: the country is the target. A plural demonym
/// that names people ("abducted two Moroccans") is the country's civilians.
fn demonym_owned_target(
    dict: &ActorDictionary,
    t: &Tokens<'_>,
    h: &TriggerHit,
    ptype: PloverType,
    ceil: usize,
) -> Option<EventActor> {
    if !matches!(
        ptype,
        PloverType::Assault | PloverType::Coerce | PloverType::Threaten
    ) {
        return None;
    }
    let mut k = h.end;
    // "threatened to shell ...": the threatened act's object
    if ptype == PloverType::Threaten && t.low(k) == "to" && !t.is_cap(k + 1) {
        k += 2;
    }
    if h.form == Form::Noun && matches!(t.low(k), "on" | "against" | "targeting") {
        k += 1;
    }
    let mut steps = 0;
    while steps < 2 && opens_object(t, k) {
        k += 1;
        steps += 1;
    }
    let (end, demonym, _) = dict.country_named_at(t, k, None)?;
    // the noun after it: a lower-case content word (agents are actors already), or none
    // when the demonym is itself a plural noun of people ("deported 40 Liberians")
    let noun_ok = end < ceil
        && t.toks
            .get(end)
            .is_some_and(|x| x.kind == crate::lex::Tok::Word)
        && !t.is_cap(end)
        && !FUNCTION_WORDS.contains(&t.low(end));
    let people = end > k && t.low(end - 1).ends_with('s');
    if !demonym || !(noun_ok || people) {
        return None;
    }
    // people named by their nationality are its civilians, and so are the places they live
    // in ("Iraqi towns", "Palestinian homes"); other things it owns ("a Syrian depot") say
    // only whose they are: the country
    let dwelling = noun_ok && DWELLINGS.contains(&t.low(end));
    let sector = ((people && !noun_ok) || dwelling).then_some("CVL");
    let (_, _, actor) = dict.country_named_at(t, k, sector)?;
    Some(EventActor {
        actor,
        span: t.span(k, end),
        mention: None,
    })
}

/// `RO86-country-addressee`: a verbal act (threat, rejection, demand, agreement, meeting,
/// sanction...) with no target, followed closely by "to", "with" or "against" and a bare
/// country ("issued an ultimatum to Peru", "broke off relations with Chile") is addressed
/// to that country. A country after these words is otherwise read as a place, which it is
/// only for movement ("flew to Peru"), not for these acts.
fn country_addressee(
    dict: &ActorDictionary,
    t: &Tokens<'_>,
    h: &TriggerHit,
    ptype: PloverType,
    ceil: usize,
) -> Option<Vec<EventActor>> {
    if matches!(
        ptype,
        PloverType::Assault
            | PloverType::Coerce
            | PloverType::Protest
            | PloverType::Mobilize
            | PloverType::Retreat
            | PloverType::Aid
    ) {
        return None;
    }
    // the trigger may end with the preposition ("issued an ultimatum to")
    let first = h.end.saturating_sub(1);
    // a verb of motion on the way makes the country a destination ("agreed to return to")
    if (h.end..ceil.min(h.end + 6)).any(|k| MOTION.contains(&t.low(k))) {
        return None;
    }
    let prep = (first..ceil.min(h.end + 6)).find(|&k| {
        matches!(t.low(k), "to" | "with" | "against")
            && (k + 1..k + 3).any(|j| j < ceil && dict.country_named_at(t, j, None).is_some())
            && !matches!(
                t.low(k.saturating_sub(1)),
                "border" | "borders" | "frontier"
            )
    })?;
    let mut k = prep + 1;
    if t.low(k) == "the" {
        k += 1;
    }
    let mut out = Vec::new();
    // "with Chile and Peru": each coordinated bare name
    while let Some((end, demonym, actor)) = dict.country_named_at(t, k, None) {
        // a bare name: not "Peru's", "Peru-based", nor a demonym before its noun
        let bare = !demonym
            && t.toks
                .get(end)
                .is_none_or(|x| x.kind != crate::lex::Tok::Possessive)
            && !t.is_punct(end, '-')
            && t.low(end) != "-";
        if !bare {
            break;
        }
        out.push(EventActor {
            actor,
            span: t.span(k, end),
            mention: None,
        });
        if t.low(end) != "and" || end + 1 >= ceil {
            break;
        }
        k = end + 1;
    }
    (!out.is_empty()).then_some(out)
}

/// The rule id of `RO73-unnamed-protesters`.
pub const UNNAMED_PROTESTERS_RULE: &str = "RO73-unnamed-protesters";

/// `RO73-unnamed-protesters`, after the merge within the document: a protest record whose
/// text names no protester ("a rally was held", "crowds gathered and police broke up the
/// protest") has unnamed protesters as its source (ACLED's "Protesters (country)"), read at
/// the protest's own word. The forces' own act typed with the protest it met (`AC10`: "police
/// fired tear gas") keeps its sides as PLOVER reads them (the forces act on the protesters),
/// and so does an arrest.
pub(crate) fn protest_record_sides(events: &mut [Event]) {
    for e in events.iter_mut() {
        if e.plover_type == PloverType::Protest && e.sources.is_empty() {
            e.sources.push(EventActor {
                actor: ActorRef {
                    code: "PRO".into(),
                    name: "protesters".into(),
                    country: None,
                    actor_type: ActorType::Protester,
                    entity: None,
                    affiliations: Vec::new(),
                },
                span: e.trigger,
                mention: None,
            });
            e.rules.push(UNNAMED_PROTESTERS_RULE.into());
        }
    }
}
