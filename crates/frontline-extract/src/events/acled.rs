//! ACLED mapping (`data/events/acled.toml`): trigger key + source class -> event type and
//! sub-event type.

use rustc_hash::FxHashMap as HashMap;

use frontline_model::{AcledType, ActorRef, ActorType, EventActor};
use serde::Deserialize;

use crate::lex::Tokens;

const ACLED_TOML: &str = include_str!("../../data/events/acled.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    /// `true`: talk, not an act; ACLED codes no event (`verbal`).
    #[serde(default)]
    none: bool,
    #[serde(default)]
    state: Option<[String; 2]>,
    #[serde(default)]
    nonstate: Option<[String; 2]>,
    #[serde(default)]
    civilian_target: Option<[String; 2]>,
    #[serde(default)]
    unknown: Option<String>,
}

/// The ACLED mapping table.
#[derive(Debug, Clone)]
pub struct AcledMap {
    rows: HashMap<String, Row>,
}

/// Whether an actor is a state actor for ACLED's purposes.
pub fn is_state(a: &ActorRef) -> bool {
    let state_type = matches!(
        a.actor_type,
        ActorType::State | ActorType::Government | ActorType::Military | ActorType::Police
    );
    // bare sector codes ("MIL", "COP", "GOV": government troops, police) are state forces
    state_type && (a.country.is_some() || matches!(a.code.as_str(), "MIL" | "COP" | "GOV" | "SPY"))
        || a.code.starts_with("IGO")
}

impl AcledMap {
    /// The embedded table.
    pub fn embedded() -> Result<Self, toml::de::Error> {
        let rows: HashMap<String, Row> = toml::from_str(ACLED_TOML)?;
        for (k, r) in &rows {
            if !r.none && (r.state.is_none() || r.nonstate.is_none()) {
                return Err(serde::de::Error::custom(format!(
                    "acled.toml [{k}]: needs `state` and `nonstate`, or `none = true`"
                )));
            }
        }
        Ok(Self { rows })
    }

    /// Whether `key` maps to no ACLED event (talk, not an act).
    pub fn is_none(&self, key: &str) -> bool {
        self.rows.get(key).is_some_and(|r| r.none)
    }

    /// Whether the table has an entry for `key`.
    pub fn has(&self, key: &str) -> bool {
        self.rows.contains_key(key)
    }

    /// The ACLED type for an event: `key` from the trigger rule, its sources and targets.
    /// Returns the type and which column was used (`state`, `nonstate`, `civilian_target`).
    pub fn map(
        &self,
        key: &str,
        sources: &[&ActorRef],
        targets: &[&ActorRef],
    ) -> Option<(AcledType, &'static str)> {
        let row = self.rows.get(key)?;
        if row.none {
            return None;
        }
        let pair = |p: &[String; 2]| AcledType {
            event_type: p[0].clone(),
            sub_event_type: p[1].clone(),
        };
        if let Some(c) = &row.civilian_target
            && !targets.is_empty()
            && targets.iter().all(|t| t.actor_type == ActorType::Civilian)
        {
            return Some((pair(c), "civilian_target"));
        }
        // no known source: a state actor is the usual agent of the act only when the target
        // is non-state; default to the non-state column
        let state = if sources.is_empty() {
            row.unknown.as_deref() == Some("state")
        } else {
            sources.iter().any(|s| is_state(s))
        };
        if state {
            Some((pair(row.state.as_ref()?), "state"))
        } else {
            Some((pair(row.nonstate.as_ref()?), "nonstate"))
        }
    }
}

/// Words naming an unorganised crowd as the author of violence (`AL23`).
const CROWD: &[&str] = &[
    "mob",
    "mobs",
    "crowd",
    "crowds",
    "villagers",
    "vigilantes",
    "vigilante",
];

/// Words of a demonstration: a crowd's violence at a protest is a violent demonstration.
const DEMONSTRATION: &[&str] = &[
    "protest",
    "protests",
    "protesters",
    "protestors",
    "demonstration",
    "demonstrations",
    "demonstrators",
    "rally",
    "march",
    "marchers",
];

/// Whether a crowd word is the subject of the trigger at `start..end`: the nearest crowd
/// word within six words before it in its clause, not the object of a preposition ("fired
/// on the crowd") other than an earlier passive's agent ("caught by villagers and beaten to
/// death"), or the agent of a passive ("was beaten to death by a mob").
fn crowd_author(t: &Tokens<'_>, start: usize, end: usize, clause: (usize, usize)) -> bool {
    let lo = start.saturating_sub(6).max(clause.0);
    // "gunmen killed 15 villagers in an attack": a noun in an adjunct has no author before it
    let adjunct = super::sentence_merge::in_adjunct(t, start, lo);
    let before = !adjunct
        && (lo..start)
            .rev()
            .find(|&k| CROWD.contains(&t.low(k)))
            .is_some_and(|k| {
                !(k.saturating_sub(3).max(lo)..k).any(|j| {
                    matches!(
                        t.low(j),
                        "on" | "at" | "against" | "into" | "to" | "with" | "from" | "among"
                    )
                })
            });
    let by = (end..(end + 3).min(t.len()))
        .find(|&k| t.low(k) == "by")
        .is_some_and(|k| ((k + 1)..(k + 4).min(t.len())).any(|j| CROWD.contains(&t.low(j))));
    before || by
}

/// An organised force: soldiers, police, rebels, a militia, a state or government, an
/// international organisation (not civilians, protesters, a crowd).
pub(super) fn organised_force(a: &EventActor) -> bool {
    matches!(
        a.actor.actor_type,
        ActorType::Military
            | ActorType::Militia
            | ActorType::Rebel
            | ActorType::Police
            | ActorType::State
            | ActorType::Government
            | ActorType::Igo
    )
}

/// `AL23-mob-violence`: an attack, killing, beating, lynching or burning whose author is an
/// unorganised crowd, a mob, villagers or vigilantes ("a mob lynched a man", "villagers beat
/// two suspects to death", "a crowd set fire to the police station") is ACLED mob violence
/// (Riots); at a protest it is a violent demonstration and left alone; a lynching or beating
/// by soldiers, police or an armed group is violence against civilians. Returns the new key.
pub(super) fn mob_key(
    t: &Tokens<'_>,
    span: (usize, usize),
    clause: (usize, usize),
    sources: &[EventActor],
    key: &str,
) -> Option<&'static str> {
    if !matches!(key, "attack" | "destruction" | "beating" | "mob") {
        return None;
    }
    let armed = sources.iter().any(organised_force);
    if armed {
        return (key == "mob").then_some("beating");
    }
    if key != "mob" && rioters_author(t, span.0, span.1, clause) {
        return Some("riot");
    }
    let protest = (0..t.len()).any(|k| DEMONSTRATION.contains(&t.low(k)));
    (key != "mob" && !protest && crowd_author(t, span.0, span.1, clause)).then_some("mob")
}

/// Words naming rioters: whatever they attack, it is a riot (`AL26`).
const RIOTERS: &[&str] = &["rioters", "rioter", "looters"];

/// `AL26-rioters-violence`: an attack, killing, wounding or burning whose author is rioters
/// ("rioters torched two police cars", "26 officers were injured as rioters rampaged", "were
/// attacked by rioters") is ACLED "Riots / Violent demonstration", not a clash: the rioters'
/// word before the trigger in its clause, not the object of a preposition, or within three
/// words after it behind "as", "when", "while" or "by".
fn rioters_author(t: &Tokens<'_>, start: usize, end: usize, clause: (usize, usize)) -> bool {
    let lo = start.saturating_sub(6).max(clause.0);
    let before = (lo..start)
        .rev()
        .find(|&k| RIOTERS.contains(&t.low(k)))
        .is_some_and(|k| {
            !(k.saturating_sub(2).max(lo)..k).any(|j| {
                matches!(
                    t.low(j),
                    "on" | "at" | "against" | "with" | "from" | "among"
                )
            })
        });
    let after = (end..(end + 2).min(t.len()))
        .find(|&k| matches!(t.low(k), "as" | "when" | "while" | "by"))
        .is_some_and(|k| ((k + 1)..(k + 3).min(t.len())).any(|j| RIOTERS.contains(&t.low(j))));
    before || after
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(code: &str, t: ActorType, country: Option<&str>) -> ActorRef {
        ActorRef {
            code: code.into(),
            name: code.into(),
            country: country.map(str::to_string),
            actor_type: t,
            entity: None,
            affiliations: vec![],
        }
    }

    #[test]
    fn territory_depends_on_who_takes_it() {
        let m = AcledMap::embedded().unwrap();
        let army = actor("IRQMIL", ActorType::Military, Some("IRQ"));
        let is = actor("IMGMUSISI", ActorType::Rebel, None);
        assert_eq!(
            m.map("territory", &[&army], &[&is])
                .unwrap()
                .0
                .sub_event_type,
            "Government regains territory"
        );
        assert_eq!(
            m.map("territory", &[&is], &[&army])
                .unwrap()
                .0
                .sub_event_type,
            "Non-state actor overtakes territory"
        );
    }

    #[test]
    fn talk_has_no_acled_type() {
        let m = AcledMap::embedded().unwrap();
        let g = actor("SYRGOV", ActorType::Government, Some("SYR"));
        assert!(m.is_none("verbal"));
        assert!(m.map("verbal", &[&g], &[&g]).is_none());
        assert!(m.map("agreement", &[&g], &[&g]).is_some());
    }

    #[test]
    fn attacks_on_civilians() {
        let m = AcledMap::embedded().unwrap();
        let g = actor("REB", ActorType::Rebel, None);
        let c = actor("CVL", ActorType::Civilian, None);
        let a = m.map("attack", &[&g], &[&c]).unwrap().0;
        assert_eq!(a.event_type, "Violence against civilians");
        assert_eq!(
            m.map("air", &[], &[]).unwrap().0.sub_event_type,
            "Air/drone strike"
        );
    }
}
