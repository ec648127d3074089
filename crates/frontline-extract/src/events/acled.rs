//! ACLED mapping (`data/events/acled.toml`): trigger key + source class -> event type and
//! sub-event type.

use rustc_hash::FxHashMap as HashMap;

use frontline_model::{AcledType, ActorRef, ActorType};
use serde::Deserialize;

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
