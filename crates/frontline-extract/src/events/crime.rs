//! Stage after coding, over the whole document: **ordinary crime is not a conflict event**
//! (`CR10-police-story`). A local police-and-courts story (suspects, charges, bail, detectives)
//! that says nothing of armed groups, soldiers, wars or protests tells police work and private
//! crime. In such a story the arrests, captures, surrenders, patrols and deals ("agreed to
//! surrender") are police work, and fights, stabbings, kidnappings and sexual assaults between
//! private persons are ordinary crime: neither is political violence or a strategic
//! development, so they are set aside as near misses. Shootings and killings with no armed
//! force on either side are homicides the police investigate and are set aside too
//! (`CR11-criminal-homicide`); those by or against soldiers, police, rebels or a militia stay,
//! and so does every killing of a story in which an armed force is among the victims.
//! Protests stay (a crowd outside a court is political)
//! and talk without an ACLED type (a prosecutor's request is still a request). The rule runs
//! before the document merge, so that an attack told beside an arrest is not merged into the
//! arrest and set aside with it.
//!
//! The same holds for a story about an outbreak or a natural disaster (`CR20-disaster-story`):
//! when it says nothing of armed groups, soldiers, wars or protests, its deaths are the
//! disease's or the flood's, and its bans, closures, evacuations and deployments are the
//! response to it; ACLED codes none of them. Attacks by an armed actor and protests stay.

use frontline_model::{ActorType, Event, EventActor, PloverType};

use crate::lex::Tokens;

use super::NearMiss;

/// The rule id and reason shown by `frontline explain`.
pub const CR10: &str = "CR10-police-story: police work or private crime in a police-and-courts story, not a conflict event";

/// The rule id and reason of `CR11` shown by `frontline explain`.
pub const CR11: &str = "CR11-criminal-homicide: a killing or shooting with no armed force as its author in a police-and-courts story, ordinary crime";

/// The rule id and reason of `CR20` shown by `frontline explain`.
pub const CR20: &str = "CR20-disaster-story: a death, ban, closure or evacuation in a story about an outbreak or natural disaster, not a conflict event";

/// Words of outbreaks and natural hazards.
const DISASTER_WORDS: &[&str] = &[
    "outbreak",
    "outbreaks",
    "epidemic",
    "pandemic",
    "virus",
    "viruses",
    "infected",
    "infection",
    "infections",
    "infectious",
    "vaccine",
    "vaccines",
    "vaccination",
    "disease",
    "diseases",
    "fever",
    "cholera",
    "ebola",
    "influenza",
    "flu",
    "measles",
    "malaria",
    "tuberculosis",
    "symptoms",
    "quarantine",
    "contaminated",
    "contamination",
    "earthquake",
    "quake",
    "flood",
    "floods",
    "flooding",
    "hurricane",
    "cyclone",
    "typhoon",
    "tsunami",
    "landslide",
    "landslides",
    "wildfire",
    "wildfires",
    "drought",
];

/// How many outbreak or disaster words a story needs at least (`CR20`).
const MIN_DISASTER: usize = 5;

/// Words of police work and criminal justice.
const POLICE_WORDS: &[&str] = &[
    "police",
    "officer",
    "officers",
    "sheriff",
    "deputy",
    "deputies",
    "detective",
    "detectives",
    "suspect",
    "suspects",
    "charged",
    "charges",
    "arrested",
    "arrest",
    "custody",
    "jail",
    "bond",
    "bail",
    "court",
    "prosecutor",
    "prosecutors",
    "homicide",
    "murder",
    "robbery",
    "burglary",
    "investigators",
    "felony",
    "misdemeanor",
    "crimestoppers",
    "parole",
    "parolee",
    "stabbing",
    "shooting",
    "victim",
    "judge",
    "warrant",
];

/// Words of armed conflict and political contention: one of them in every eight police
/// words makes the story more than a police story ("protests", "rioting" as well as
/// "protest", "riot": a story of 217 people arrested for rioting after protests is a protest
/// story).
const CONFLICT_WORDS: &[&str] = &[
    "soldier",
    "soldiers",
    "troops",
    "army",
    "military",
    "militant",
    "militants",
    "militia",
    "militias",
    "rebel",
    "rebels",
    "insurgent",
    "insurgents",
    "fighters",
    "jihadist",
    "jihadists",
    "terrorist",
    "terrorists",
    "terror",
    "airstrike",
    "airstrikes",
    "isis",
    "isil",
    "taliban",
    "qaeda",
    "separatists",
    "coalition",
    "war",
    "protest",
    "protests",
    "protested",
    "protesting",
    "protesters",
    "demonstrators",
    "demonstration",
    "demonstrations",
    "rally",
    "riot",
    "riots",
    "rioting",
    "rioters",
    "hamas",
    "hezbollah",
    "guerrillas",
    "combat",
    "marines",
];

/// How many police words a story needs at least.
const MIN_POLICE: usize = 4;
/// Police words per conflict word above which a story is still a police story.
const RATIO: usize = 8;

/// Assault triggers that name interpersonal violence rather than an armed attack.
const PRIVATE_VIOLENCE: &[&str] = &[
    "fight",
    "fights",
    "fought",
    "fighting",
    "brawl",
    "brawled",
    "struggle",
    "stabbed",
    "stab",
    "stabbing",
    "assaulted",
    "assault",
    "beat",
    "beaten",
    "punched",
    "choked",
];

/// Whether the document's sentences read as a story of one kind: at least `min` of its `words`
/// and fewer than one conflict word in [`RATIO`] of them.
fn reads_as(sentences: &[Tokens<'_>], words: &[&str], min: usize) -> bool {
    let (mut kind, mut conflict) = (0usize, 0usize);
    for t in sentences {
        for k in 0..t.len() {
            let w = t.low(k);
            if words.contains(&w) {
                kind += 1;
            } else if CONFLICT_WORDS.contains(&w) {
                conflict += 1;
            }
        }
    }
    kind >= min && conflict * RATIO < kind
}

/// Whether the document's sentences read as a police-and-courts story (`CR10`).
pub fn police_story(sentences: &[Tokens<'_>]) -> bool {
    reads_as(sentences, POLICE_WORDS, MIN_POLICE)
}

/// Whether the document's sentences read as a story about an outbreak or a natural disaster
/// with no armed conflict or protest in it (`CR20`): at least [`MIN_DISASTER`] of its words and
/// fewer than one conflict word in [`RATIO`].
pub fn disaster_story(sentences: &[Tokens<'_>]) -> bool {
    reads_as(sentences, DISASTER_WORDS, MIN_DISASTER)
}

/// Whether an event of a disaster story is the disaster or the response to it (`CR20`):
/// anything with an ACLED type but a protest and an attack an armed actor (soldiers, police,
/// rebels, gunmen, a militia) is named as doing: "officials reported 45 dead" is the disease's.
fn disaster_response(e: &Event) -> bool {
    if e.acled.is_none() {
        return false;
    }
    // mob violence (AL23) is what ACLED codes as riots, not private crime
    if riot(e) {
        return false;
    }
    match e.plover_type {
        PloverType::Protest => false,
        PloverType::Assault => !armed_source(e),
        _ => true,
    }
}

/// Whether an event of a police story is police work or private crime (`CR10`).
fn ordinary(e: &Event) -> bool {
    // talk (accusations, requests, rejections) has no ACLED type: it is not what is judged
    if e.acled.is_none() {
        return false;
    }
    // mob violence (AL23) is what ACLED codes as riots, not private crime
    if riot(e) {
        return false;
    }
    match e.plover_type {
        PloverType::Protest => false,
        PloverType::Assault => {
            matches!(e.plover_mode.as_deref(), Some("abduct" | "sexual"))
                || PRIVATE_VIOLENCE.contains(&e.trigger_text.as_str())
        }
        _ => true,
    }
}

/// Whether an event is an ACLED riot: a crowd's or a mob's violence (`EV166`, `AL23`),
/// which ACLED codes however the police tell it.
fn riot(e: &Event) -> bool {
    e.acled.as_ref().is_some_and(|a| a.event_type == "Riots")
}

/// Whether an actor is an organised armed force: soldiers, police, rebels or a militia.
fn armed(a: &EventActor) -> bool {
    matches!(
        a.actor.actor_type,
        ActorType::Military | ActorType::Police | ActorType::Rebel | ActorType::Militia
    )
}

/// Whether an event is carried out by an organised armed force.
fn armed_source(e: &Event) -> bool {
    e.sources.iter().any(armed)
}

/// `CR11-criminal-homicide`: in a police story, a killing, shooting or attack whose author is
/// no armed force ("a man was found fatally shot", "the suspect killed seven residents", "the
/// murders of five family members") is a homicide the police investigate, not political
/// violence. Violence by soldiers, police, rebels or a militia stays.
fn criminal_homicide(e: &Event) -> bool {
    e.acled.is_some()
        && !riot(e)
        && e.plover_type == PloverType::Assault
        && !armed_source(e)
        && !e.targets.iter().any(armed)
}

/// `CR10-police-story`: in a police story, sets aside the events that are police work or
/// private crime, each as a near miss; then `CR11`, the homicides no armed force committed.
pub fn drop_ordinary_crime(
    sentences: &[Tokens<'_>],
    events: &mut Vec<Event>,
    near: &mut Vec<NearMiss>,
) {
    if events.is_empty() {
        return;
    }
    if police_story(sentences) {
        set_aside(events, near, ordinary, CR10);
        // a story in which an armed force (police, soldiers, gunmen) is among the victims
        // tells attacks on the state's forces or fighting: its killings stay
        if !events
            .iter()
            .any(|e| e.plover_type == PloverType::Assault && e.targets.iter().any(armed))
        {
            set_aside(events, near, criminal_homicide, CR11);
        }
    }
    if disaster_story(sentences) {
        set_aside(events, near, disaster_response, CR20);
    }
}

/// Sets aside the events `which` picks, each as a near miss with `reason`.
fn set_aside(
    events: &mut Vec<Event>,
    near: &mut Vec<NearMiss>,
    which: fn(&Event) -> bool,
    reason: &str,
) {
    events.retain(|e| {
        if !which(e) {
            return true;
        }
        near.push(NearMiss {
            sentence: e.sentence,
            span: e.trigger,
            rule: e.rules.first().cloned().unwrap_or_default(),
            reason: reason.into(),
        });
        false
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::lex::tokenize;
    use frontline_text::Span;

    fn story(s: &str) -> bool {
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        police_story(&[t])
    }

    #[test]
    fn a_police_story_is_told_apart_from_a_conflict_story() {
        assert!(story(
            "Police said the suspect was arrested at a motel and charged with burglary; \
             a judge set his bond at $5,000."
        ));
        // soldiers and militants make it a conflict story, whatever the police words
        assert!(!story(
            "Police said soldiers arrested the suspect after militants attacked a checkpoint."
        ));
        // too few police words to tell
        assert!(!story("The man was arrested on Friday."));
        // the plural and verb forms of protest and rioting make it a protest story
        assert!(!story(
            "Police said 40 people were arrested and charged after protests turned to rioting; \
             officers made more arrests in custody."
        ));
    }

    fn event(ptype: &str, mode: Option<&str>, trigger: &str) -> Event {
        let mode = mode.map_or("null".to_string(), |m| format!("\"{m}\""));
        // talk has no ACLED type; every other test event has one
        let acled = if ptype == "REQUEST" {
            ""
        } else {
            r#""acled": {"event_type": "Strategic developments", "sub_event_type": "Other"},"#
        };
        let json = format!(
            r#"{{"id": "d:0", "plover_type": "{ptype}", "plover_mode": {mode}, {acled}
            "trigger": {{"start": 0, "end": 7}}, "trigger_text": "{trigger}", "sentence": 0,
            "sources": [], "targets": [], "quantities": [], "attribution": [],
            "modality": "asserted", "confidence": 0.6, "evidence": [],
            "rules": ["EV000-test"]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn police_work_and_private_violence_are_set_aside() {
        let s = "Police said the suspect was arrested and charged; detectives found the victim.";
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let mut events = vec![
            event("COERCE", Some("arrest"), "arrested"),
            event("ASSAULT", Some("firearms"), "shot"),
            event("ASSAULT", None, "stabbed"),
            event("ASSAULT", Some("sexual"), "raped"),
            event("PROTEST", None, "rally"),
            event("RETREAT", None, "surrendered"),
            event("REQUEST", None, "asked"),
        ];
        let mut near = Vec::new();
        drop_ordinary_crime(&[t], &mut events, &mut near);
        let kept: Vec<&str> = events.iter().map(|e| e.trigger_text.as_str()).collect();
        // the shooting, with no armed force as its author, is a homicide (CR11)
        assert_eq!(kept, ["rally", "asked"]);
        assert_eq!(near.len(), 5);
        assert_eq!(
            near.iter()
                .filter(|n| n.reason.starts_with("CR10-police-story"))
                .count(),
            4
        );
    }

    fn with_roles(mut e: Event, source: Option<&str>, target: Option<&str>) -> Event {
        let actor = |t: &str| -> EventActor {
            serde_json::from_str(&format!(
                r#"{{"actor": {{"code": "X", "name": "x", "country": null,
                "actor_type": "{t}", "entity": null, "affiliations": []}}, "span": {{"start": 0, "end": 1}}}}"#
            ))
            .unwrap()
        };
        e.sources = source.map(actor).into_iter().collect();
        e.targets = target.map(actor).into_iter().collect();
        e
    }

    #[test]
    fn a_homicide_in_a_police_story_is_ordinary_crime() {
        let s = "Detectives said the suspect was charged with murder after the victim was \
                 found in his shop; a judge denied bail.";
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let mut events = vec![
            with_roles(event("ASSAULT", Some("firearms"), "shot"), None, None),
            with_roles(
                event("ASSAULT", Some("firearms"), "killed"),
                Some("CIVILIAN"),
                Some("CIVILIAN"),
            ),
            with_roles(
                event("ASSAULT", Some("firearms"), "opened fire"),
                Some("REBEL"),
                None,
            ),
        ];
        let mut near = Vec::new();
        drop_ordinary_crime(std::slice::from_ref(&t), &mut events, &mut near);
        let kept: Vec<&str> = events.iter().map(|e| e.trigger_text.as_str()).collect();
        assert_eq!(kept, ["opened fire"]);
        assert!(near.iter().all(|n| n.reason.starts_with("CR11")));
        // police among the victims: the story tells attacks on the state's forces
        let mut events = vec![
            with_roles(
                event("ASSAULT", Some("firearms"), "shot"),
                None,
                Some("POLICE"),
            ),
            with_roles(event("ASSAULT", Some("firearms"), "killed"), None, None),
        ];
        let mut near = Vec::new();
        drop_ordinary_crime(&[t], &mut events, &mut near);
        assert_eq!(events.len(), 2);
    }

    #[test]
    fn an_outbreak_story_sets_aside_its_deaths_and_bans() {
        let s = "Health officials said the fever outbreak had infected 300 people; the virus \
                 spread after floods, and a vaccine campaign began as the disease reached the \
                 capital, where the ministry banned markets.";
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        assert!(disaster_story(std::slice::from_ref(&t)));
        let mut events = vec![
            event("ASSAULT", None, "dead"),
            event("COERCE", None, "banned"),
            event("PROTEST", None, "protest"),
            event("REQUEST", None, "asked"),
        ];
        let mut near = Vec::new();
        drop_ordinary_crime(&[t], &mut events, &mut near);
        let kept: Vec<&str> = events.iter().map(|e| e.trigger_text.as_str()).collect();
        assert_eq!(kept, ["protest", "asked"]);
        assert!(
            near.iter()
                .all(|n| n.reason.starts_with("CR20-disaster-story"))
        );
    }

    #[test]
    fn fighting_makes_it_more_than_a_disaster_story() {
        let s = "The outbreak spread as rebels and soldiers fought; the virus infected many, \
                 the disease reached camps, and the militia attacked a vaccine convoy.";
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        assert!(!disaster_story(&[t]));
    }

    #[test]
    fn a_conflict_story_keeps_its_arrests() {
        let s = "Police said soldiers arrested the suspect after militants attacked the army.";
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let mut events = vec![event("COERCE", Some("arrest"), "arrested")];
        let mut near = Vec::new();
        drop_ordinary_crime(&[t], &mut events, &mut near);
        assert_eq!(events.len(), 1);
        assert!(near.is_empty());
    }
}
