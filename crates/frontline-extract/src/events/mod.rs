//! Event coding: a registry of named rules that find triggers and fill roles over clauses.
//!
//! One concern per file: [`lexicon`] (trigger words from `data/events/triggers.toml`),
//! [`roles`] (sources/targets over active, passive, nominal and coordinated clauses),
//! [`location`] (the toponym the clause attaches to), [`dates`] (event dates and their
//! derivation), [`acled`] (ACLED mapping from `data/events/acled.toml`). Every rule has a
//! stable id listed by [`registry`]; each event carries the ids that fired and the evidence
//! spans, and [`NearMiss`] records the rules that almost fired, for `frontline explain`.

pub mod acled;
mod classify;
mod coder;
pub mod crime;
pub mod dates;
pub mod lexicon;
pub mod location;
pub mod merge;
pub(crate) mod participants;
mod place;
mod report;
pub mod roles;
mod screen;
pub mod sense;
mod sentence_merge;
pub mod storyline;
mod timing;
mod verbal;

use chrono::NaiveDate;
use frontline_model::{EventActor, Quantity, QuantityKind, Span, TimeRef};

use crate::actors::ActorFound;
use crate::attribution::AttributionFound;
use crate::lex::Tokens;

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
            id: "LO45-side-of-border",
            description: "'on the Syrian side of the border': that country's border area",
        },
        RuleInfo {
            id: "LO66-facility-near-town",
            description: "a facility named after a town ('the Rafah crossing'): near the town",
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
        RuleInfo {
            id: "RO15-condemner-not-source",
            description: "a party that condemns or deplores an attack is not its attacker",
        },
        RuleInfo {
            id: "RO16-claimed-responsibility",
            description: "'the attack, for which X claimed responsibility': X is the source",
        },
        RuleInfo {
            id: "RO22-address-country",
            description: "a country after 'Place,' completes an address and fills no role",
        },
        RuleInfo {
            id: "RO70-protesters",
            description: "a civilian source of a protest is a protester (sector PRO)",
        },
        RuleInfo {
            id: "RO71-forces-meet-protest",
            description: "police or soldiers a protest noun takes from its clause are its target",
        },
        RuleInfo {
            id: "AL22-weapon-as-object",
            description: "a weapon destroyed, seized or found is not the weapon used",
        },
        RuleInfo {
            id: "AL23-mob-violence",
            description: "an attack, killing, beating or burning by a crowd, mob, villagers or vigilantes is mob violence; a lynching by an armed force is violence against civilians",
        },
        RuleInfo {
            id: "AC13-loyal-to-org",
            description: "a bare armed agent 'loyal to' a named organisation is that organisation's force",
        },
        RuleInfo {
            id: "AC14-modifier-agent",
            description: "'military forces', 'army soldiers': an agent word that is also a modifier modifies the next agent word; one actor",
        },
        RuleInfo {
            id: "AC12-coalition-by-document",
            description: "a bare 'coalition' in a story naming the Saudi-led coalition is that one",
        },
        RuleInfo {
            id: "MG21-coordinated-verb",
            description: "a verb after 'and' sharing an earlier same-type trigger's subject: same event",
        },
        RuleInfo {
            id: "RO31-passive-aimed-at",
            description: "with no actor as the passive subject, the actor after 'at', 'on', 'upon' or 'against' is the target",
        },
        RuleInfo {
            id: "RO81-one-mention-one-role",
            description: "one actor mention is never both source and target: a passive reading keeps it as the target",
        },
        RuleInfo {
            id: "RO82-storyline-source",
            description: "no attacker in the sentence: the one the document gave the last event of the same kind before it",
        },
        RuleInfo {
            id: "RO83-storyline-target",
            description: "no target in the sentence: the last same-kind event's target when its attacker is the same",
        },
        RuleInfo {
            id: "RO84-agent-of-nearest-noun",
            description: "'by X' after another action noun or an infinitive is that word's agent, not the noun trigger's",
        },
        RuleInfo {
            id: "RO87-named-adjunct-noun",
            description: "a noun trigger after a preposition of circumstance ('killed in an Israeli raid') stays an adjunct when a demonym or name stands before it: the clause's subject is not its source",
        },
        RuleInfo {
            id: "RO32-reduced-passive",
            description: "a bare participle of a verb that always takes an object, before a preposition ('officer killed in shoot-out'), is passive",
        },
        RuleInfo {
            id: "RO89-described-adjunct-noun",
            description: "describing words between a determiner and a noun trigger ('during a retaliatory attack') are passed over: the noun stays an adjunct",
        },
        RuleInfo {
            id: "RO90-coordinated-verb-object",
            description: "'X killed 12 soldiers and captured a base': the first verb's object is never the coordinated verb's subject",
        },
        RuleInfo {
            id: "RO73-unnamed-protesters",
            description: "a protest record that names no protester has unnamed protesters (PRO) as its source",
        },
        RuleInfo {
            id: "RO88-participle-object",
            description: "an actor right after a participle (', killing three villagers and wounding others') is its object, never a later verb's subject",
        },
        RuleInfo {
            id: "RO85-demonym-owned-target",
            description: "no target: a demonym before a non-agent noun right after the trigger ('shelled Syrian towns') names the country's civilians",
        },
        RuleInfo {
            id: "RO86-country-addressee",
            description: "no target of a verbal act: a bare country after 'to', 'with' or 'against' right after the trigger's object is the addressee",
        },
        RuleInfo {
            id: "MG35-parts-take-summary-source",
            description: "events a set-aside summary counts that name no source take the summary's source",
        },
        RuleInfo {
            id: "MG34-summary-told",
            description: "a plural summary in a country whose events the document tells one by one is set aside",
        },
        RuleInfo {
            id: "CR10-police-story",
            description: "near miss: police work or private crime in a police-and-courts story",
        },
        RuleInfo {
            id: "VT10-stopped-cooperation",
            description: "aid, talks or a visit that a verb of stopping governs is a SANCTION",
        },
        RuleInfo {
            id: "VT11-withdrew-from-agreement",
            description: "withdrawing from a treaty, deal or talks is a REJECT, not a retreat",
        },
        RuleInfo {
            id: "VT12-complaint",
            description: "a lodged or filed protest is an official complaint (ACCUSE), not a demonstration",
        },
        RuleInfo {
            id: "VT13-lifted-blockade",
            description: "a blockade that is lifted or eased, and the lifting, are a RETREAT",
        },
        RuleInfo {
            id: "VT21-stated-intent",
            description: "an act its own party says it will do is a THREATEN (coercive) or an AGREE",
        },
        RuleInfo {
            id: "VT33-refused-or-asked",
            description: "an act a verb of refusing or asking governs has not happened: hypothetical",
        },
        RuleInfo {
            id: "VT34-declined-comment",
            description: "near miss: 'declined to comment' or 'to be named' rejects nothing",
        },
        RuleInfo {
            id: "VT14-handed-goods",
            description: "medicine, food or supplies handed over are AID, not a RETREAT",
        },
        RuleInfo {
            id: "VT15-eased-restriction",
            description: "a curfew or ban that is lifted or eased is a CONCEDE, not a COERCE",
        },
        RuleInfo {
            id: "VT35-concluded-that",
            description: "near miss: 'concluded that' reports a finding, not an agreement",
        },
        RuleInfo {
            id: "VT36-demanded-that",
            description: "an act in a clause 'demanding that' opens is asked for: hypothetical",
        },
        RuleInfo {
            id: "VT37-handed-document",
            description: "near miss: a letter or petition handed over is no retreat",
        },
        RuleInfo {
            id: "VT20-intent-to-harm",
            description: "an intent of force ('ready to attack') is a THREATEN, not an offer",
        },
        RuleInfo {
            id: "VT30-reported-must",
            description: "a reported 'X must do Y' is the speaker's demand (REQUEST) on X",
        },
        RuleInfo {
            id: "VT31-obliged-act",
            description: "an act right after 'must' is demanded, not done: hypothetical",
        },
        RuleInfo {
            id: "VT32-protest-aim",
            description: "near miss: a demand that is a protest's aim is the protest",
        },
        RuleInfo {
            id: "VT40-consult-mode",
            description: "a visit, hosting or a call gives the consultation its PLOVER mode",
        },
        RuleInfo {
            id: "VT41-threat-mode",
            description: "force, sanctions or broken ties threatened give the threat its PLOVER mode",
        },
        RuleInfo {
            id: "NM42-refers-back",
            description: "near miss: 'this attack' names an event already told",
        },
        RuleInfo {
            id: "MG33-plural-summary",
            description: "a plural trigger placed only in a country sums up events; it takes in none at a town",
        },
        RuleInfo {
            id: "MG12-not-own-target",
            description: "a weak trigger's source that is the strong event's target is not its source",
        },
        RuleInfo {
            id: "MG31-specific-actor",
            description: "a merged event takes the side a later sentence names more specifically",
        },
        RuleInfo {
            id: "AC11-coalition-qualified",
            description: "'opposition/ruling coalition' is not the US-led coalition",
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
}

/// Whether a quantity is a casualty count.
pub fn is_casualty(q: &Quantity) -> bool {
    matches!(
        q.quantity_kind,
        QuantityKind::Killed | QuantityKind::Wounded
    )
}
