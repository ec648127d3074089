//! Event coding: a registry of named rules that find triggers and fill roles over clauses.
//!
//! One concern per file: [`lexicon`] (trigger words from `data/events/triggers.toml`),
//! [`roles`] (sources/targets over active, passive, nominal and coordinated clauses),
//! [`location`] (the toponym the clause attaches to), [`dates`] (event dates and their
//! derivation), [`acled`] (ACLED mapping from `data/events/acled.toml`). Every rule has a
//! stable id listed by [`registry`]; each event carries the ids that fired and the evidence
//! spans, and [`NearMiss`] records the rules that almost fired, for `frontline explain`.

pub mod acled;
pub mod dates;
pub mod lexicon;
pub mod location;
pub mod merge;
pub mod roles;
pub mod sense;

use chrono::NaiveDate;
use frontline_model::{
    Attribution, Event, EventActor, EventLocation, EventQuantity, GeoPrecision, Modality, PlaceRef,
    Quantity, QuantityKind, SourceKind, Span, TerritorialChange, TimeRef,
};

use crate::actors::{ActorDictionary, ActorFound};
use crate::attribution::AttributionFound;
use crate::lex::Tokens;
use crate::modality::modality_of;

pub use dates::TimeHit;
pub use lexicon::{Form, Lexicon, LexiconError, TriggerHit};
pub use location::PlaceHit;

/// A rule in the registry: id and what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id.
    pub id: &'static str,
    /// One line on what it does.
    pub description: &'static str,
}

/// The non-lexicon rules (actors, roles, locations, dates, attribution, modality, merging).
/// Trigger rules come from the lexicon ([`Lexicon::rules`]).
pub fn registry() -> &'static [RuleInfo] {
    const R: &[RuleInfo] = &[
        RuleInfo {
            id: "AC01-org",
            description: "named organisation or alias",
        },
        RuleInfo {
            id: "AC02-country-agent",
            description: "country/demonym + agent word (SYR+MIL)",
        },
        RuleInfo {
            id: "AC03-pro-affiliated",
            description: "pro-X forces: militia affiliated with X",
        },
        RuleInfo {
            id: "AC04-capital-metonym",
            description: "capital standing for its government",
        },
        RuleInfo {
            id: "AC05-bare-agent",
            description: "agent word without a country",
        },
        RuleInfo {
            id: "AC06-country-state",
            description: "bare country name as a state actor",
        },
        RuleInfo {
            id: "AC07-post-country",
            description: "agent followed by of/from/in + country",
        },
        RuleInfo {
            id: "AC08-affiliation",
            description: "backed/sponsored by X adds an affiliation",
        },
        RuleInfo {
            id: "AC09-allied-coordination",
            description: "'X and allied militias' ties the militias to X",
        },
        RuleInfo {
            id: "RO10-active-subject",
            description: "nearest non-oblique actor before the trigger, with coordination",
        },
        RuleInfo {
            id: "RO11-relative-antecedent",
            description: "subject of a relative clause is its antecedent",
        },
        RuleInfo {
            id: "RO12-anaphora",
            description: "pronoun/definite subject takes the previous event's sources",
        },
        RuleInfo {
            id: "RO13-speaker-anaphora",
            description: "in reported speech, 'it'/'the campaign' is the speaker's side",
        },
        RuleInfo {
            id: "RO20-active-object",
            description: "first actor after the trigger is the target",
        },
        RuleInfo {
            id: "RO21-from",
            description: "'from Z' names who lost the territory",
        },
        RuleInfo {
            id: "RO30-passive",
            description: "passive: subject is the target, 'by X' the source",
        },
        RuleInfo {
            id: "RO40-nominal-of-by",
            description: "'the N of Y by X'",
        },
        RuleInfo {
            id: "RO41-nominal-between",
            description: "'N between X and Y'",
        },
        RuleInfo {
            id: "RO42-nominal-on",
            description: "'N on/against Y'",
        },
        RuleInfo {
            id: "RO43-nominal-possessor",
            description: "'X's N' / prenominal actor",
        },
        RuleInfo {
            id: "RO44-demonym-prenominal",
            description: "'Israeli air strikes': demonym before a noun trigger",
        },
        RuleInfo {
            id: "RO50-symmetric",
            description: "'X and Y clashed': two sides",
        },
        RuleInfo {
            id: "RO60-military-linkup",
            description: "a meeting between armed forces is military cooperation",
        },
        RuleInfo {
            id: "LO10-object-place",
            description: "place taken by a territorial verb",
        },
        RuleInfo {
            id: "LO20-prep-after",
            description: "locative phrase after the trigger",
        },
        RuleInfo {
            id: "LO30-prep-before",
            description: "locative phrase before the trigger",
        },
        RuleInfo {
            id: "LO40-border",
            description: "'at/along the border' without a toponym",
        },
        RuleInfo {
            id: "DT10-clause-time",
            description: "time mention in the clause nearest the trigger",
        },
        RuleInfo {
            id: "DT20-sentence-time",
            description: "time mention elsewhere in the sentence",
        },
        RuleInfo {
            id: "DT30-previous-event",
            description: "previous event's date",
        },
        RuleInfo {
            id: "DT40-publication-date",
            description: "publication date",
        },
        RuleInfo {
            id: "AT10-x-said",
            description: "'X said/told/reported ...'",
        },
        RuleInfo {
            id: "AT11-said-x",
            description: "'..., said X'",
        },
        RuleInfo {
            id: "AT12-reported-by",
            description: "'reported by X'",
        },
        RuleInfo {
            id: "AT20-according-to",
            description: "'according to X'",
        },
        RuleInfo {
            id: "AT30-map-showed",
            description: "'a map by X showed'",
        },
        RuleInfo {
            id: "AT40-statement",
            description: "'X said in a statement/e-mail'",
        },
        RuleInfo {
            id: "AT90-outlet",
            description: "no attribution in the text: the outlet",
        },
        RuleInfo {
            id: "MO10-denied",
            description: "denied by a party",
        },
        RuleInfo {
            id: "MO20-negated",
            description: "negated",
        },
        RuleInfo {
            id: "MO30-hypothetical",
            description: "possible, planned, threatened, conditional",
        },
        RuleInfo {
            id: "MO40-hedged",
            description: "reportedly, claimed, not clear whether",
        },
        RuleInfo {
            id: "MG10-weak-merged",
            description: "weak trigger ('killed') merged into a stronger event",
        },
        RuleInfo {
            id: "NM10-inside-name",
            description: "near miss: trigger word inside an actor or place name",
        },
        RuleInfo {
            id: "NM20-adjectival",
            description: "near miss: participle used as an adjective",
        },
        RuleInfo {
            id: "NM21-article-before-verb",
            description: "near miss: a verb-only form after an article",
        },
        RuleInfo {
            id: "LO50-sentence-place",
            description: "nearest locative place elsewhere in the sentence",
        },
        RuleInfo {
            id: "RO14-claimed-by",
            description: "'X claimed an attack': the claimant is the source",
        },
        RuleInfo {
            id: "MG20-adjacent-merge",
            description: "same-type triggers side by side are one event",
        },
        RuleInfo {
            id: "NM23-time-phrase",
            description: "near miss: 'entered its second week'",
        },
        RuleInfo {
            id: "NM40-background-noun",
            description: "near miss: noun trigger in an adjunct beside the main event",
        },
        RuleInfo {
            id: "NM41-nested-noun",
            description: "near miss: noun trigger nested as another trigger's object",
        },
        RuleInfo {
            id: "LO11-direct-object",
            description: "place directly after the trigger",
        },
        RuleInfo {
            id: "RO61-armed-destruction",
            description: "armed forces destroying enemy positions, depots or vehicles are fighting (ASSAULT), not destroying property",
        },
        RuleInfo {
            id: "LO70-armed-group-country",
            description: "an unresolved place with no country is in the country of the non-state armed group acting there",
        },
        RuleInfo {
            id: "MO11-denied-speech",
            description: "'X denied that Y attacked': the reported act is denied",
        },
        RuleInfo {
            id: "AC10-protest-intervention",
            description: "a protest broken up by state forces is ACLED's 'Protest with intervention'",
        },
        RuleInfo {
            id: "LO15-unresolved-anchor",
            description: "a place the gazetteer lacks, anchored to one it has ('the Zamzam camp outside El Fasher')",
        },
        RuleInfo {
            id: "LO60-clause-place",
            description: "a place in the clause without a locative cue (the dateline only when it names no other)",
        },
        RuleInfo {
            id: "MO41-hedged-source",
            description: "the source hedges: 'unconfirmed reports said'",
        },
        RuleInfo {
            id: "NM30-no-roles",
            description: "near miss: weak trigger with no actor, place or number",
        },
    ];
    R
}

/// A rule that almost fired, for `frontline explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// Sentence index.
    pub sentence: usize,
    /// Where.
    pub span: Span,
    /// The trigger rule considered.
    pub rule: String,
    /// Why it did not produce an event.
    pub reason: String,
}

/// An actor in the sentence with its mention id.
#[derive(Debug, Clone)]
pub struct ActorHit {
    /// The actor.
    pub found: ActorFound,
    /// Mention id.
    pub mention: Option<usize>,
}

/// A quantity in the sentence.
#[derive(Debug, Clone)]
pub struct QuantityHit {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Span.
    pub span: Span,
    /// The quantity.
    pub quantity: Quantity,
    /// Mention id.
    pub mention: Option<usize>,
}

/// An attribution in the sentence with its speaker mention id.
#[derive(Debug, Clone)]
pub struct AttributionHit {
    /// What was found.
    pub found: AttributionFound,
    /// Speaker mention id.
    pub mention: Option<usize>,
}

/// Everything known about one sentence, for the coder.
#[derive(Debug)]
pub struct SentenceInput<'a> {
    /// Sentence index.
    pub index: usize,
    /// The sentence span.
    pub span: Span,
    /// Tokens.
    pub tokens: &'a Tokens<'a>,
    /// Actors.
    pub actors: &'a [ActorHit],
    /// Places.
    pub places: &'a [PlaceHit],
    /// Times.
    pub times: &'a [TimeHit],
    /// Quantities.
    pub quantities: &'a [QuantityHit],
    /// Attributions.
    pub attributions: &'a [AttributionHit],
}

/// State carried across sentences of one document.
#[derive(Debug, Default)]
pub struct DocState {
    /// Document id, for event ids.
    pub doc_id: String,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Outlet, for the default attribution.
    pub outlet: Option<String>,
    /// Previous event's date.
    pub prev_date: Option<TimeRef>,
    /// Sentence of the previous dated event.
    pub prev_date_sentence: Option<usize>,
    /// Previous event's sources.
    pub prev_sources: Vec<EventActor>,
    /// Events so far.
    pub count: usize,
}

/// The event coder: the lexicon, the ACLED map and the actor dictionary.
#[derive(Debug, Clone)]
pub struct EventCoder {
    /// Trigger lexicon.
    pub lexicon: Lexicon,
    /// ACLED mapping.
    pub acled: acled::AcledMap,
}

/// Errors building the coder.
#[derive(Debug, thiserror::Error)]
pub enum CoderError {
    /// Lexicon problem.
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    /// ACLED table problem.
    #[error("ACLED mapping: {0}")]
    Acled(#[from] toml::de::Error),
    /// A trigger names an ACLED key the table lacks.
    #[error("trigger rule {rule}: ACLED key {key:?} is not in acled.toml")]
    MissingAcled {
        /// Rule.
        rule: String,
        /// Key.
        key: String,
    },
}

/// Token facts about a coded trigger, for merging.
#[derive(Debug, Clone, Copy)]
struct Info {
    start: usize,
    end: usize,
    noun: bool,
    clause: (usize, usize),
    adjunct: bool,
}

/// Whether the noun trigger at `start` sits in an adjunct ("after two days of fighting",
/// "in a dawn raid", "under the deal").
fn in_adjunct(t: &Tokens<'_>, start: usize, floor: usize) -> bool {
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

/// Whether the sentence names what ACLED codes as an agreement: a ceasefire, truce or
/// armistice, a peace deal, a prisoner exchange, a surrender (`AL11`).
fn settles_fighting(t: &Tokens<'_>) -> bool {
    (0..t.len()).any(|k| {
        let w = t.low(k);
        let next = if k + 1 < t.len() { t.low(k + 1) } else { "" };
        matches!(
            w,
            "ceasefire"
                | "ceasefires"
                | "cease-fire"
                | "truce"
                | "truces"
                | "armistice"
                | "surrender"
                | "surrendered"
        ) || (w == "peace" && matches!(next, "deal" | "agreement" | "accord" | "treaty" | "pact"))
            || (matches!(w, "prisoner" | "prisoners")
                && matches!(next, "exchange" | "swap" | "swaps" | "exchanges"))
            || (matches!(w, "exchange" | "swap" | "exchanged" | "swapped")
                && matches!(next, "of" | "prisoners"))
            || (w == "cease" && next == "fire")
    })
}

/// The ACLED sub-type that the weapon named beside an unspecific attack decides
/// (`AL20-weapon`): "grenades", "mortars", "drones", "an IED", "a suicide bomber", "chlorine";
/// a bare "strike" or "strikes" is an air strike unless a ground weapon is named
/// (`AL21-strike-is-air`).
fn weapon_subtype(
    t: &Tokens<'_>,
    rule: &lexicon::TriggerRule,
    h: &lexicon::TriggerHit,
    clause: (usize, usize),
    acled: Option<&frontline_model::AcledType>,
) -> Option<(&'static str, &'static str)> {
    let acled = acled?;
    let generic = ["EV160", "EV161", "EV162", "EV172"]
        .iter()
        .any(|p| rule.rule.starts_with(p))
        || (rule.rule.starts_with("EV170")
            && matches!(t.low(h.start), "bomb" | "bombs" | "bombed" | "bombing"));
    if !generic
        || !matches!(
            acled.event_type.as_str(),
            "Battles" | "Violence against civilians" | "Explosions/Remote violence"
        )
    {
        return None;
    }
    if acled.sub_event_type == "Government regains territory"
        || acled.sub_event_type == "Non-state actor overtakes territory"
    {
        return None;
    }
    // within the clause, and at most 30 tokens either side of the trigger
    let c0 = clause.0.min(h.start).max(h.start.saturating_sub(30));
    let c1 = clause.1.max(h.end).min(h.end + 30).min(t.len());
    let mut found: Option<&'static str> = None;
    for k in c0..c1 {
        let w = t.low(k);
        let next = t.low(k + 1);
        let sub =
            match w {
                "chemical"
                    if matches!(
                        next,
                        "weapon" | "weapons" | "attack" | "attacks" | "agent" | "agents"
                    ) =>
                {
                    Some("Chemical weapon")
                }
                "chlorine" | "sarin" | "mustard" | "nerve" if w != "nerve" || next == "agent" => {
                    Some("Chemical weapon")
                }
                "suicide" => Some("Suicide bomb"),
                "grenade" | "grenades" => Some("Grenade"),
                "ied" | "ieds" | "landmine" | "landmines" | "roadside" | "vbied"
                | "booby-trapped" => Some("Remote explosive/landmine/IED"),
                "car" | "truck" if matches!(next, "bomb" | "bombs" | "bombing" | "bombings") => {
                    Some("Remote explosive/landmine/IED")
                }
                "mortar" | "mortars" | "artillery" | "shell" | "shells" | "shelling" | "rocket"
                | "rockets" | "missile" | "missiles" | "howitzer" | "howitzers" => {
                    Some("Shelling/artillery/missile attack")
                }
                "drone" | "drones" | "aircraft" | "warplane" | "warplanes" | "jets"
                | "airstrike" | "airstrikes" | "helicopter" | "helicopters" | "bomber"
                | "bombers" => Some("Air/drone strike"),
                _ => None,
            };
        if let Some(sub) = sub {
            // the most specific weapon wins: suicide > chemical > grenade > IED > shelling > air
            let rank = |s: &str| match s {
                "Suicide bomb" => 0,
                "Chemical weapon" => 1,
                "Grenade" => 2,
                "Remote explosive/landmine/IED" => 3,
                "Shelling/artillery/missile attack" => 4,
                _ => 5,
            };
            if found.is_none_or(|f| rank(sub) < rank(f)) {
                found = Some(sub);
            }
        }
    }
    if let Some(sub) = found {
        if sub == acled.sub_event_type {
            return None;
        }
        return Some((sub, "AL20-weapon"));
    }
    // a noun: after a determiner, a number or a modifier ("a strike", "three strikes", "a
    // coalition strike"), or before its verb ("strikes engaged", "the strike hit")
    let prev = if h.start > 0 { t.low(h.start - 1) } else { "" };
    let noun_use = h.form == lexicon::Form::Noun
        || matches!(
            prev,
            "a" | "an"
                | "the"
                | "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "ten"
                | "coalition"
                | "u.s."
                | "us"
                | "air"
                | "precision"
                | "drone"
                | "israeli"
                | "russian"
                | "american"
        )
        || (!prev.is_empty() && prev.bytes().all(|b| b.is_ascii_digit()))
        || matches!(
            t.low(h.end),
            "engaged"
                | "destroyed"
                | "disabled"
                | "suppressed"
                | "hit"
                | "killed"
                | "damaged"
                | "struck"
                | "targeted"
                | "on"
        );
    if matches!(t.low(h.start), "strike" | "strikes") && noun_use {
        return Some(("Air/drone strike", "AL21-strike-is-air"));
    }
    None
}

fn union_actors(into: &mut Vec<EventActor>, from: &[EventActor]) {
    for a in from {
        if !into.iter().any(|x| x.actor.code == a.actor.code) {
            into.push(a.clone());
        }
    }
}

impl EventCoder {
    /// Merges same-type triggers next to each other ("a car bomb exploded", "signed a deal"),
    /// drops nouns nested as another trigger's object ("demand the release") and background
    /// nouns in adjuncts ("after two days of fighting") when the sentence has a main event.
    fn merge_adjacent(
        &self,
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
                let (Some(a), Some(b)) = (infos.get(i).copied(), infos.get(j).copied()) else {
                    continue;
                };
                let gap = b.start.saturating_sub(a.end);
                let between_is_light = (a.end..b.start).all(|k| {
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
                });
                let same_type = events.get(i).map(|e| e.0.plover_type)
                    == events.get(j).map(|e| e.0.plover_type);
                if a.clause == b.clause
                    && ((same_type && gap <= 4) || (b.noun && gap <= 3 && between_is_light))
                {
                    // a material act nested under talk ("welcomed the liberation of the
                    // city") is the event: keep both (MG11-act-under-talk)
                    if !same_type
                        && events.get(i).is_some_and(|e| e.0.acled.is_none())
                        && events.get(j).is_some_and(|e| e.0.acled.is_some())
                    {
                        continue;
                    }
                    // keep the noun (more specific: "car bomb", "drone strike") when the types
                    // agree; a nested noun of another type is simply dropped
                    let (keep, lose) = if same_type && b.noun && !a.noun {
                        (j, i)
                    } else {
                        (i, j)
                    };
                    let lost = events.get(lose).map(|e| e.0.clone());
                    if let (Some(lost), Some((kept, _))) = (lost, events.get_mut(keep)) {
                        if same_type {
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
                        near.push(NearMiss {
                            sentence,
                            span: lost.trigger,
                            rule: lost.rules.first().cloned().unwrap_or_default(),
                            reason: if same_type {
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
        }
        // background nouns in adjuncts, when the sentence has a main (non-adjunct) event
        let has_main = (0..n).any(|k| {
            !drop.get(k).copied().unwrap_or(true)
                && infos.get(k).is_some_and(|x| !x.adjunct)
                && events.get(k).is_some_and(|e| !e.1)
        });
        if has_main {
            for k in 0..n {
                if infos.get(k).is_some_and(|x| x.adjunct) && !drop.get(k).copied().unwrap_or(true)
                {
                    if let Some((e, _)) = events.get(k) {
                        near.push(NearMiss {
                            sentence,
                            span: e.trigger,
                            rule: e.rules.first().cloned().unwrap_or_default(),
                            reason:
                                "NM40-background-noun: a noun in an adjunct beside the main event"
                                    .into(),
                        });
                    }
                    if let Some(d) = drop.get_mut(k) {
                        *d = true;
                    }
                }
            }
        }
        let mut k = 0;
        events.retain(|_| {
            let keep = !drop.get(k).copied().unwrap_or(false);
            k += 1;
            keep
        });
        let mut k = 0;
        infos.retain(|_| {
            let keep = !drop.get(k).copied().unwrap_or(false);
            k += 1;
            keep
        });
    }
}

fn event_actor(a: &ActorHit) -> EventActor {
    EventActor {
        actor: a.found.actor.clone(),
        span: a.found.span,
        mention: a.mention,
    }
}

impl EventCoder {
    /// The embedded lexicon and mapping plus extra trigger files.
    pub fn new(extra_triggers: &[(String, String)]) -> Result<Self, CoderError> {
        let lexicon = Lexicon::with_extra(extra_triggers)?;
        let acled = acled::AcledMap::embedded()?;
        for r in &lexicon.rules {
            if !acled.has(&r.acled) {
                return Err(CoderError::MissingAcled {
                    rule: r.rule.clone(),
                    key: r.acled.clone(),
                });
            }
        }
        Ok(Self { lexicon, acled })
    }

    /// Codes the events of one sentence.
    pub fn code_sentence(
        &self,
        dict: &ActorDictionary,
        s: &SentenceInput<'_>,
        state: &mut DocState,
        near: &mut Vec<NearMiss>,
    ) -> Vec<Event> {
        let t = s.tokens;
        // actors naming a speaker ("Iraqi officials said") are not participants
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
        let hits = self.lexicon.find(t);
        // Only the triggers below read the participants: most sentences have none.
        let found: Vec<ActorFound> = if hits.is_empty() {
            Vec::new()
        } else {
            keep.iter()
                .filter_map(|&i| s.actors.get(i))
                .map(|a| a.found.clone())
                .collect()
        };
        let orig = |i: usize| keep.get(i).and_then(|&k| s.actors.get(k));
        let mut events: Vec<(Event, bool)> = Vec::with_capacity(hits.len());
        let mut infos: Vec<Info> = Vec::with_capacity(hits.len());
        for h in &hits {
            let Some(rule) = self.lexicon.rules.get(h.rule) else {
                continue;
            };
            let Some(ptype) = rule.plover_type else {
                continue;
            };
            // the attributions whose reported words hold the trigger
            let reporting: Vec<&AttributionHit> = s
                .attributions
                .iter()
                .filter(|a| a.found.content.0 <= h.start && h.end <= a.found.content.1)
                .collect();
            let tspan = t.span(h.start, h.end);
            // inside an actor or place name ("Popular Mobilization Units")
            let inside = found
                .iter()
                .any(|a| a.tok_start <= h.start && h.end <= a.tok_end)
                || s.places
                    .iter()
                    .any(|p| p.start <= h.start && h.end <= p.end);
            if inside {
                near.push(NearMiss {
                    sentence: s.index,
                    span: tspan,
                    rule: rule.rule.clone(),
                    reason: "NM10-inside-name: the trigger word is part of a name".into(),
                });
                continue;
            }
            // "entered its second week", "reached a new phase": a time phrase, not a move
            if (h.end..(h.end + 4).min(t.len())).any(|k| {
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
                )
            }) && matches!(
                t.low(h.start),
                "entered" | "enter" | "enters" | "reached" | "reach" | "reaches" | "reaching"
            ) {
                near.push(NearMiss {
                    sentence: s.index,
                    span: tspan,
                    rule: rule.rule.clone(),
                    reason: "NM23-time-phrase: the verb takes a time or process, not a place"
                        .into(),
                });
                continue;
            }
            // a verb-only form after an article is a noun use ("a sign of cooperation")
            if h.form == Form::Verb
                && h.start > 0
                && matches!(t.low(h.start - 1), "a" | "an" | "the")
                // "the strike hit", "a strike on": a noun the lexicon lists as a verb (AL21)
                && !matches!(t.low(h.start), "strike" | "strikes")
            {
                near.push(NearMiss {
                    sentence: s.index,
                    span: tspan,
                    rule: rule.rule.clone(),
                    reason: "NM21-article-before-verb: a verb form used as a noun".into(),
                });
                continue;
            }
            // adjectival participle: "their newly captured points"
            if h.form == Form::Verb && h.start > 0 {
                let p1 = t.low(h.start - 1);
                let det = |w: &str| {
                    matches!(
                        w,
                        "the" | "a" | "an" | "their" | "its" | "his" | "her" | "our"
                    )
                };
                let prep = matches!(p1, "to" | "in" | "of" | "from" | "for" | "into" | "on");
                if (det(p1) || p1 == "newly" || prep)
                    && t.low(h.end) != "by"
                    && t.low(h.start).ends_with("ed")
                {
                    near.push(NearMiss {
                        sentence: s.index,
                        span: tspan,
                        rule: rule.rule.clone(),
                        reason: "NM20-adjectival: participle used as an adjective".into(),
                    });
                    continue;
                }
            }
            let clause = roles::clause(t, h.start, h.end);
            // another sense of the word, or a sentence that tells no act
            if let Some(reason) = sense::non_event(t, rule, h, clause) {
                near.push(NearMiss {
                    sentence: s.index,
                    span: tspan,
                    rule: rule.rule.clone(),
                    reason: reason.into(),
                });
                continue;
            }
            let participle = self.lexicon.is_participle(h.rule, t, h.start, h.end);
            let roles = roles::fill(
                t,
                &found,
                h.start,
                h.end,
                h.form,
                participle,
                rule.territory,
                rule.symmetric,
            );
            // Sized for the usual number of rule ids and evidence spans, so neither regrows.
            let mut rules: Vec<String> = Vec::with_capacity(8);
            rules.push(rule.rule.clone());
            rules.extend(roles.rules.iter().map(|r| r.to_string()));
            let mut sources: Vec<EventActor> = roles
                .sources
                .iter()
                .filter_map(|&i| orig(i))
                .map(event_actor)
                .collect();
            let targets: Vec<EventActor> = roles
                .targets
                .iter()
                .filter_map(|&i| orig(i))
                .map(event_actor)
                .collect();
            // "Israeli air strikes": a demonym right before a noun trigger
            if sources.is_empty() && h.form == Form::Noun && h.start > 0 {
                let sector = match ptype {
                    frontline_model::PloverType::Assault
                    | frontline_model::PloverType::Coerce
                    | frontline_model::PloverType::Mobilize => "MIL",
                    frontline_model::PloverType::Protest => "PRO",
                    _ => "GOV",
                };
                if let Some((span, actor)) = dict.demonym_before(t, h.start, sector) {
                    sources.push(EventActor {
                        actor,
                        span,
                        mention: None,
                    });
                    rules.push("RO44-demonym-prenominal".into());
                }
            }
            // "Al-Shabaab claimed a suicide attack": the claimant is the source
            if sources.is_empty()
                && let Some(a) = s.attributions.iter().find(|a| {
                    matches!(
                        a.found.cue.as_str(),
                        "claimed" | "claims" | "denied" | "denies" | "acknowledged" | "admitted"
                    ) && a.found.cue_tok < h.start
                        && h.start <= a.found.cue_tok + 6
                        && a.found.actor.is_some()
                })
                && let Some(actor) = a.found.actor.clone()
            {
                sources.push(EventActor {
                    actor,
                    span: a.found.span,
                    mention: a.mention,
                });
                rules.push("RO14-claimed-by".into());
            }
            if sources.is_empty() && roles.anaphora {
                // in reported speech, "the campaign"/"it" is the speaking party's own side
                let speaker = reporting.iter().find(|a| {
                    a.found
                        .actor
                        .as_ref()
                        .is_some_and(|x| x.country.is_some() || x.entity.is_some())
                });
                match speaker.and_then(|a| a.found.actor.clone().map(|x| (x, a))) {
                    Some((actor, a)) => {
                        sources.push(EventActor {
                            actor,
                            span: a.found.span,
                            mention: a.mention,
                        });
                        rules.push("RO13-speaker-anaphora".into());
                    }
                    None => sources = state.prev_sources.clone(),
                }
            }
            // a meeting between armed forces is a military link-up
            let (mut ptype, mut mode, mut acled_key, mut cameo) = (
                ptype,
                rule.mode.clone(),
                rule.acled.clone(),
                rule.cameo.clone(),
            );
            let armed = |a: &EventActor| {
                matches!(
                    a.actor.actor_type,
                    frontline_model::ActorType::Military
                        | frontline_model::ActorType::Militia
                        | frontline_model::ActorType::Rebel
                )
            };
            if ptype == frontline_model::PloverType::Consult
                && !sources.is_empty()
                && !targets.is_empty()
                && sources.iter().all(armed)
                && targets.iter().all(armed)
            {
                ptype = frontline_model::PloverType::Cooperate;
                mode = Some("military".into());
                acled_key = "verbal".into();
                cameo = "06".into();
                rules.push("RO60-military-linkup".into());
            }
            // armed forces destroying their enemy's positions, depots or vehicles are fighting,
            // not destroying property (whose homes they demolish is not what they destroy)
            if ptype == frontline_model::PloverType::Coerce
                && mode.as_deref() == Some("destroy")
                && !sources.is_empty()
                && sources.iter().all(armed)
                && (h.end..(h.end + 4).min(t.len())).any(|k| MILITARY_OBJECTS.contains(&t.low(k)))
            {
                ptype = frontline_model::PloverType::Assault;
                mode = None;
                acled_key = "attack".into();
                cameo = "19".into();
                rules.push("RO61-armed-destruction".into());
            }
            // ACLED codes acts, not talk: an agreement is an ACLED event only when it concludes
            // a ceasefire, truce, peace deal, prisoner exchange or surrender
            // a prisoner exchange is an agreement; other releases are not ACLED events
            if rule.rule.starts_with("EV081") && settles_fighting(t) {
                acled_key = "agreement".into();
            }
            // movements and withdrawals are ACLED events only for organised forces: a suspect
            // who "moved", a man who "left the room", are not
            let organised = |a: &EventActor| {
                matches!(
                    a.actor.actor_type,
                    frontline_model::ActorType::Military
                        | frontline_model::ActorType::Militia
                        | frontline_model::ActorType::Rebel
                        | frontline_model::ActorType::Police
                        | frontline_model::ActorType::State
                        | frontline_model::ActorType::Government
                        | frontline_model::ActorType::Igo
                )
            };
            if matches!(
                ptype,
                frontline_model::PloverType::Mobilize | frontline_model::PloverType::Retreat
            ) && mode.as_deref() != Some("base")
                && !sources.iter().any(organised)
                && !targets.iter().any(organised)
                && !self.acled.is_none(&acled_key)
            {
                acled_key = "verbal".into();
                rules.push("AL12-movement-no-force".into());
            }
            if acled_key == "agreement" && !settles_fighting(t) {
                acled_key = "verbal".into();
                rules.push("AL11-agreement-not-settlement".into());
            }
            if acled_key == "verbal" {
                rules.push("AL10-verbal".into());
            } else if self.acled.is_none(&acled_key) {
                rules.push("AL13-consequence".into());
            }
            let srefs: Vec<&frontline_model::ActorRef> = sources.iter().map(|a| &a.actor).collect();
            let trefs: Vec<&frontline_model::ActorRef> = targets.iter().map(|a| &a.actor).collect();
            let mut acled = self.acled.map(&acled_key, &srefs, &trefs).map(|(a, _)| a);
            if let Some((sub, why)) = weapon_subtype(t, rule, h, clause, acled.as_ref()) {
                acled = Some(frontline_model::AcledType {
                    event_type: "Explosions/Remote violence".into(),
                    sub_event_type: sub.into(),
                });
                rules.push(why.into());
            }

            // location
            let exclude: Vec<(usize, usize)> =
                found.iter().map(|a| (a.tok_start, a.tok_end)).collect();
            let mut evidence = Vec::with_capacity(8);
            evidence.push(tspan);
            let mut location = location::pick(
                t,
                s.places,
                (h.start, h.end),
                clause,
                rule.territory,
                ptype == frontline_model::PloverType::Retreat,
                &exclude,
            )
            .map(|c| location::anchored(t, s.places, c, &exclude))
            .and_then(|c| {
                let p = s.places.get(c.place)?;
                rules.push(c.rule.to_string());
                Some(EventLocation {
                    place: p.place.clone(),
                    span: t.span(p.start, p.end),
                    mention: p.mention,
                    relation: c.relation,
                })
            });
            if location.is_none()
                && let Some((a, b, rel)) = location::border_phrase(t, clause)
            {
                let mut countries: Vec<String> = Vec::new();
                for a in sources.iter().chain(&targets) {
                    if let Some(c) = &a.actor.country
                        && !countries.contains(c)
                    {
                        countries.push(c.clone());
                    }
                }
                for p in s.places {
                    if p.place.precision == GeoPrecision::Country
                        && let Some(cc) = &p.place.country_code
                        && let Some(c) = dict.iso3_of_iso2(cc)
                        && !countries.contains(&c)
                    {
                        countries.push(c);
                    }
                }
                let names: Vec<String> = countries
                    .iter()
                    .take(2)
                    .map(|c| {
                        dict.country(c)
                            .map_or_else(|| c.clone(), |x| x.name.clone())
                    })
                    .collect();
                let mut place = PlaceRef::unresolved(&if names.len() == 2 {
                    format!("{}–{} border", names[0], names[1])
                } else {
                    "border".to_string()
                });
                place.precision = GeoPrecision::Region;
                place.inferred = Some(if countries.len() >= 2 {
                    format!("border of {} and {}", countries[0], countries[1])
                } else {
                    "a border area".into()
                });
                let span = t.span(a, b);
                location = Some(EventLocation {
                    place,
                    span,
                    mention: None,
                    relation: rel,
                });
                rules.push("LO40-border".into());
            }
            // a place the gazetteer lacks, in a document that names no country for it, is in
            // the country of the armed group that acted there: rebels and militias fight at
            // home (a state's forces, and the armed groups a state sends abroad as its proxies,
            // such as Wagner, often do not, so theirs is not used)
            if let Some(l) = &mut location
                && l.place.precision == GeoPrecision::Unresolved
                && l.place.country_code.is_none()
                && let Some((country, name)) = sources.iter().find_map(|a| {
                    let iso3 = a.actor.country.as_deref()?;
                    let at_home = matches!(
                        a.actor.actor_type,
                        frontline_model::ActorType::Rebel | frontline_model::ActorType::Militia
                    ) && !a.actor.affiliations.iter().any(|f| f.starts_with(iso3));
                    let c = dict.country(iso3)?;
                    at_home.then(|| (c.iso2.clone(), a.actor.name.clone()))
                })
            {
                l.place.inferred = Some(format!("in {country} (where {name} operates)"));
                l.place.country_code = Some(country);
                rules.push("LO70-armed-group-country".into());
            }
            if let Some(l) = &location {
                evidence.push(l.span);
            }

            // date
            let prev_date = state
                .prev_date
                .as_ref()
                .filter(|_| state.prev_date_sentence.is_some_and(|p| s.index <= p + 2));
            // the time a reporting verb takes ("denied on Thursday that ...", "..., the army
            // said on Tuesday") is when it was said, not when the reported act happened: a
            // time just after the cue, outside the reported words or before their "that"
            let spoken = |th: &dates::TimeHit| {
                reporting.iter().any(|a| {
                    let f = &a.found;
                    th.start > f.cue_tok
                        && th.start <= f.cue_tok + 3
                        && (th.end <= f.content.0
                            || th.start >= f.content.1
                            || (th.end < h.start && t.low(th.end) == "that"))
                })
            };
            let event_times: std::borrow::Cow<'_, [dates::TimeHit]> = if s.times.iter().any(spoken)
            {
                s.times.iter().filter(|th| !spoken(th)).cloned().collect()
            } else {
                std::borrow::Cow::Borrowed(s.times)
            };
            let date = dates::pick(
                &event_times,
                (h.start, h.end),
                clause,
                prev_date,
                state.published,
            )
            .map(|(d, r)| {
                rules.push(r.to_string());
                d
            });

            // quantities in the clause
            let quantities: Vec<EventQuantity> = s
                .quantities
                .iter()
                .filter(|q| q.start >= clause.0 && q.end <= clause.1)
                .map(|q| EventQuantity {
                    quantity: q.quantity.clone(),
                    span: q.span,
                    mention: q.mention,
                })
                .collect();

            // territory
            let territory = if rule.territory {
                let place = location.as_ref().map(|l| l.place.clone());
                let from_actor = roles.from.and_then(orig).map(|a| a.found.actor.clone());
                let is_withdraw = ptype == frontline_model::PloverType::Retreat;
                let (from, to) = if is_withdraw {
                    (
                        sources.first().map(|a| a.actor.clone()),
                        targets.first().map(|a| a.actor.clone()),
                    )
                } else {
                    (
                        from_actor.or_else(|| targets.first().map(|a| a.actor.clone())),
                        sources.first().map(|a| a.actor.clone()),
                    )
                };
                if place.is_some() || from.is_some() || to.is_some() || !quantities.is_empty() {
                    Some(TerritorialChange { place, from, to })
                } else {
                    None
                }
            } else {
                None
            };

            // attribution
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
                    speaker: state.outlet.clone().unwrap_or_else(|| "the outlet".into()),
                    actor: None,
                    source_kind: SourceKind::Outlet,
                    cue: "reported".into(),
                    span: None,
                    quotes: Vec::new(),
                    mention: None,
                });
            }

            // modality
            let m = modality_of(t, clause.0.min(h.start), h.start);
            // a clause-level hedge earlier in the sentence ("It was not clear whether X ...
            // or whether Y ...") also covers later clauses joined by "or whether"
            let m = if m.modality == Modality::Asserted {
                let whole = modality_of(t, 0, h.start);
                let wraps = whole.modality == Modality::Hedged
                    && whole.rule == Some("MO40-hedged")
                    && whole.cue.is_some_and(|c| {
                        t.text
                            .get(c.range())
                            .is_some_and(|x| x.to_ascii_lowercase().contains("whether"))
                    });
                if wraps
                    || whole.modality == Modality::Hypothetical
                        && whole.cue.is_some_and(|c| {
                            matches!(
                                t.text
                                    .get(c.range())
                                    .map(str::to_ascii_lowercase)
                                    .as_deref(),
                                Some("would" | "could" | "may" | "might" | "will")
                            )
                        })
                {
                    whole
                } else {
                    m
                }
            } else {
                m
            };
            // "unconfirmed reports said ...": the source itself hedges
            let m = if m.modality == Modality::Asserted
                && reporting.iter().any(|a| {
                    ["unconfirmed", "unverified", "rumour", "rumor"]
                        .iter()
                        .any(|w| a.found.speaker.to_ascii_lowercase().contains(w))
                }) {
                crate::modality::ModalityFound {
                    modality: Modality::Hedged,
                    cue: reporting.first().map(|a| a.found.span),
                    rule: Some("MO41-hedged-source"),
                }
            } else {
                m
            };
            // "X denied that its fighters had attacked ...": a denial reported as speech covers
            // the reported clause, which the clause-bounded scan above does not reach; not a
            // clause another reporting verb opens ("denied targeting civilians and said it had
            // fought the army")
            let m = match reporting.iter().find(|a| {
                crate::modality::is_deny_word(&a.found.cue.to_ascii_lowercase())
                    && !(a.found.cue_tok + 1..h.start)
                        .any(|k| crate::attribution::is_say_verb(t.low(k)))
            }) {
                Some(a) if m.modality == Modality::Asserted => crate::modality::ModalityFound {
                    modality: Modality::Denied,
                    cue: Some(t.span(a.found.cue_tok, a.found.cue_tok + 1)),
                    rule: Some("MO11-denied-speech"),
                },
                _ => m,
            };
            // "the decision to deploy troops", "forces moved in to retake the town": an
            // infinitive names an aim, not an act, unless a verb of doing governs it
            let m = if m.modality == Modality::Asserted
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
                ) {
                crate::modality::ModalityFound {
                    modality: Modality::Hypothetical,
                    cue: Some(t.span(h.start - 1, h.start)),
                    rule: Some("MO31-infinitive"),
                }
            } else {
                m
            };
            if let (Some(r), Some(c)) = (m.rule, m.cue) {
                rules.push(r.to_string());
                evidence.push(c);
            }
            for a in sources.iter().chain(&targets) {
                evidence.push(a.span);
            }
            for q in &quantities {
                evidence.push(q.span);
            }
            evidence.sort_unstable();
            evidence.dedup();

            let mut confidence: f32 = 0.4;
            if !sources.is_empty() {
                confidence += 0.2;
            }
            if !targets.is_empty() || location.is_some() {
                confidence += 0.15;
            }
            if date.as_ref().is_some_and(|d| {
                !d.derivation.starts_with("publication") && !d.derivation.starts_with("previous")
            }) {
                confidence += 0.1;
            }
            if attribution
                .iter()
                .any(|a| a.source_kind != SourceKind::Outlet)
            {
                confidence += 0.05;
            }
            let trigger_text = t.text.get(tspan.range()).unwrap_or("").to_ascii_lowercase();
            let ev = Event {
                id: String::new(),
                plover_type: ptype,
                plover_mode: mode,
                acled,
                cameo_root: Some(cameo),
                trigger: tspan,
                trigger_text,
                sentence: s.index,
                sources,
                targets,
                location,
                date,
                quantities,
                territory,
                attribution,
                modality: m.modality,
                confidence: confidence.min(0.95),
                evidence,
                rules,
            };
            events.push((ev, rule.weak));
            infos.push(Info {
                start: h.start,
                end: h.end,
                noun: h.form == Form::Noun,
                clause,
                adjunct: (h.form == Form::Noun
                    || t.low(h.start).ends_with("ing")
                    || (h.start >= 1 && matches!(t.low(h.start - 1), "a" | "an" | "the"))
                    || (h.start >= 2 && matches!(t.low(h.start - 2), "a" | "an" | "the")))
                    && in_adjunct(t, h.start, 0),
            });
        }
        self.merge_adjacent(t, &mut events, &mut infos, s.index, near);
        // weak triggers ("killed") merge into a stronger event of the sentence
        let strong_idx: Vec<usize> = events
            .iter()
            .enumerate()
            .filter(|(_, (e, w))| {
                !*w && matches!(
                    e.plover_type,
                    frontline_model::PloverType::Assault | frontline_model::PloverType::Coerce
                )
            })
            .map(|(i, _)| i)
            .collect();
        let mut drop = vec![false; events.len()];
        for i in 0..events.len() {
            let (weak, trig, first_rule, qs, has_roles) = match events.get(i) {
                Some((e, w)) => (
                    *w,
                    e.trigger,
                    e.rules.first().cloned().unwrap_or_default(),
                    e.quantities.clone(),
                    !e.sources.is_empty() || !e.targets.is_empty() || !e.quantities.is_empty(),
                ),
                None => continue,
            };
            if !weak {
                continue;
            }
            if let Some(&target) = strong_idx.iter().min_by_key(|&&k| k.abs_diff(i)) {
                let weak_roles = events
                    .get(i)
                    .map(|(e, _)| (e.sources.clone(), e.targets.clone()));
                if let Some((strong, _)) = events.get_mut(target) {
                    if let Some((ws, wt)) = weak_roles {
                        if strong.sources.is_empty() && !ws.is_empty() {
                            strong.sources = ws;
                        }
                        if strong.targets.is_empty() && !wt.is_empty() {
                            strong.targets = wt;
                        }
                        let srefs: Vec<&frontline_model::ActorRef> =
                            strong.sources.iter().map(|a| &a.actor).collect();
                        let trefs: Vec<&frontline_model::ActorRef> =
                            strong.targets.iter().map(|a| &a.actor).collect();
                        let key = self
                            .lexicon
                            .rules
                            .iter()
                            .find(|r| strong.rules.first() == Some(&r.rule))
                            .map(|r| r.acled.clone());
                        // the weapon's sub-type (AL20, AL21) stays: only the actor columns of
                        // the strong trigger's own key are re-read
                        if let Some(k) = key
                            && strong.acled.is_some()
                            && !strong
                                .rules
                                .iter()
                                .any(|r| r.starts_with("AL20-") || r.starts_with("AL21-"))
                            && let Some((a, _)) = self.acled.map(&k, &srefs, &trefs)
                        {
                            strong.acled = Some(a);
                        }
                    }
                    for q in qs {
                        if !strong.quantities.iter().any(|x| x.span == q.span) {
                            strong.evidence.push(q.span);
                            strong.quantities.push(q);
                        }
                    }
                    strong.evidence.sort_unstable();
                    strong.evidence.dedup();
                }
                if let Some(d) = drop.get_mut(i) {
                    *d = true;
                }
                near.push(NearMiss {
                    sentence: s.index,
                    span: trig,
                    rule: first_rule,
                    reason: "MG10-weak-merged: merged into a stronger event in the sentence".into(),
                });
            } else if !has_roles {
                if let Some(d) = drop.get_mut(i) {
                    *d = true;
                }
                near.push(NearMiss {
                    sentence: s.index,
                    span: trig,
                    rule: first_rule,
                    reason: "NM30-no-roles: weak trigger without actors or numbers".into(),
                });
            }
        }
        let mut out: Vec<Event> = events
            .into_iter()
            .zip(drop)
            .filter(|(_, d)| !*d)
            .map(|((e, _), _)| e)
            .collect();
        protest_intervention(t, &mut out);
        for e in &mut out {
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
        out
    }
}

/// What armed forces destroy when they fight (`RO61-armed-destruction`): "destroyed enemy
/// positions", "destroyed two tanks".
const MILITARY_OBJECTS: &[&str] = &[
    "position",
    "positions",
    "depot",
    "depots",
    "base",
    "bases",
    "outpost",
    "outposts",
    "fortifications",
    "bunker",
    "bunkers",
    "tank",
    "tanks",
    "vehicle",
    "vehicles",
    "launcher",
    "launchers",
    "artillery",
    "ammunition",
    "weapons",
    "tunnel",
    "tunnels",
    "headquarters",
];

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
fn protest_intervention(t: &Tokens<'_>, events: &mut [Event]) {
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
    for e in events.iter_mut() {
        if e.plover_type == PloverType::Protest || intervening(e) {
            set(e, "Protest with intervention");
        }
    }
}

/// Whether a quantity is a casualty count.
pub fn is_casualty(q: &Quantity) -> bool {
    matches!(
        q.quantity_kind,
        QuantityKind::Killed | QuantityKind::Wounded
    )
}
