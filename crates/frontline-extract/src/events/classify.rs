//! Stage 3 of coding a trigger: **which type**. The trigger rule gives the PLOVER type, mode,
//! CAMEO root and ACLED key; the roles and the sentence refine them: a meeting of armed forces
//! is military cooperation (`RO60`), armed forces destroying positions are fighting (`RO61`),
//! a release that is a prisoner exchange is an agreement, a movement without organised forces
//! (`AL12`) and an agreement that settles no fighting (`AL11`) are not ACLED events, talk is
//! verbal (`AL10`), consequences have no ACLED type (`AL13`); the ACLED type is then mapped
//! from the key and the actors, and the weapon named beside an unspecific attack decides its
//! sub-type (`AL20`, `AL21`); civilians named as the victims of an attack make it violence
//! against civilians (`AL30`).

use frontline_model::{AcledType, ActorRef, ActorType, EventActor, PloverType};

use crate::lex::Tokens;

use super::acled::AcledMap;
use super::lexicon::{self, TriggerHit, TriggerRule};

/// The type of one event: PLOVER type and mode, CAMEO root, ACLED type.
#[derive(Debug, Clone)]
pub(super) struct Typed {
    /// PLOVER type.
    pub ptype: PloverType,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// CAMEO root code.
    pub cameo: String,
    /// ACLED type, when the event is one ACLED codes.
    pub acled: Option<AcledType>,
}

fn armed(a: &EventActor) -> bool {
    matches!(
        a.actor.actor_type,
        ActorType::Military | ActorType::Militia | ActorType::Rebel
    )
}

/// Movements and withdrawals are ACLED events only for organised forces: a suspect who
/// "moved", a man who "left the room", are not.
fn organised(a: &EventActor) -> bool {
    super::acled::organised_force(a)
}

/// Types one trigger from its rule, its roles and its sentence, pushing the ids of the rules
/// that fired.
#[allow(clippy::too_many_arguments)]
pub(super) fn classify(
    acled_map: &AcledMap,
    t: &Tokens<'_>,
    rule: &TriggerRule,
    ptype: PloverType,
    h: &TriggerHit,
    clause: (usize, usize),
    sources: &[EventActor],
    targets: &[EventActor],
    rules: &mut Vec<String>,
) -> Typed {
    let (mut ptype, mut mode, mut acled_key, mut cameo) = (
        ptype,
        rule.mode.clone(),
        rule.acled.clone(),
        rule.cameo.clone(),
    );
    // a meeting between armed forces is a military link-up
    if ptype == PloverType::Consult
        && !sources.is_empty()
        && !targets.is_empty()
        && sources.iter().all(armed)
        && targets.iter().all(armed)
    {
        ptype = PloverType::Cooperate;
        mode = Some("military".into());
        acled_key = "verbal".into();
        cameo = "06".into();
        rules.push("RO60-military-linkup".into());
    }
    // armed forces destroying their enemy's positions, depots or vehicles are fighting,
    // not destroying property (whose homes they demolish is not what they destroy)
    if ptype == PloverType::Coerce
        && mode.as_deref() == Some("destroy")
        && !sources.is_empty()
        && sources.iter().all(armed)
        && (h.end..(h.end + 4).min(t.len())).any(|k| MILITARY_OBJECTS.contains(&t.low(k)))
    {
        ptype = PloverType::Assault;
        mode = None;
        acled_key = "attack".into();
        cameo = "19".into();
        rules.push("RO61-armed-destruction".into());
    }
    // the verb's frame decides the verbal type: "halted aid", "lodged a protest", "withdrew
    // from the treaty", "ready to attack" (VT10-VT20), and the mode of visits and threats
    if let Some(r) = super::verbal::reframe(t, rule, ptype, h) {
        ptype = r.ptype;
        mode = r.mode.map(Into::into);
        cameo = r.cameo.into();
        acled_key = "verbal".into();
        rules.push(r.rule.into());
    }
    if let Some(m) = super::verbal::consult_mode(t, ptype, h) {
        mode = Some(m.into());
        rules.push("VT40-consult-mode".into());
    } else if let Some(m) = super::verbal::threat_mode(t, ptype, h) {
        mode = Some(m.into());
        rules.push("VT41-threat-mode".into());
    }
    if let Some(k) = super::acled::mob_key(t, (h.start, h.end), clause, sources, &acled_key) {
        acled_key = k.into();
        rules.push(
            if k == "riot" {
                "AL26-rioters-violence"
            } else {
                "AL23-mob-violence"
            }
            .into(),
        );
    }
    // ACLED codes acts, not talk: an agreement is an ACLED event only when it concludes
    // a ceasefire, truce, peace deal, prisoner exchange or surrender
    // a prisoner exchange is an agreement; other releases are not ACLED events
    if rule.rule.starts_with("EV081") && settles_fighting(t) {
        acled_key = "agreement".into();
    }
    if matches!(ptype, PloverType::Mobilize | PloverType::Retreat)
        && mode.as_deref() != Some("base")
        && !sources.iter().any(organised)
        && !targets.iter().any(organised)
        && !acled_map.is_none(&acled_key)
    {
        acled_key = "verbal".into();
        rules.push("AL12-movement-no-force".into());
    }
    if rule.rule.starts_with("EV050") && acled_key != "verbal" && !security_measure(t) {
        acled_key = "verbal".into();
        rules.push("AL14-concession-no-measure".into());
    }
    if ptype == PloverType::Mobilize
        && mode.as_deref() != Some("base")
        && !acled_map.is_none(&acled_key)
        && !sources.iter().chain(targets).any(force)
        && !force_named(t, clause)
    {
        acled_key = "verbal".into();
        rules.push("AL15-movement-no-armed-force".into());
    }
    if acled_key == "agreement" && !settles_fighting(t) {
        acled_key = "verbal".into();
        rules.push("AL11-agreement-not-settlement".into());
    }
    if acled_key == "verbal" {
        rules.push("AL10-verbal".into());
    } else if acled_map.is_none(&acled_key) {
        rules.push("AL13-consequence".into());
    }
    let srefs: Vec<&ActorRef> = sources.iter().map(|a| &a.actor).collect();
    let trefs: Vec<&ActorRef> = targets.iter().map(|a| &a.actor).collect();
    let mut acled = acled_map.map(&acled_key, &srefs, &trefs).map(|(a, _)| a);
    if civilian_victims(t, rule, h, clause, targets, acled.as_ref()) {
        acled = Some(AcledType {
            event_type: "Violence against civilians".into(),
            sub_event_type: "Attack".into(),
        });
        rules.push("AL30-civilian-victims".into());
    } else if one_sided_clash(rule, targets, acled.as_ref()) && unarmed_victims(t, h, clause) {
        acled = Some(AcledType {
            event_type: "Violence against civilians".into(),
            sub_event_type: "Attack".into(),
        });
        rules.push("AL31-unarmed-victims".into());
    }
    if let Some((sub, why)) = weapon_subtype(t, rule, h, clause, acled.as_ref(), rules) {
        acled = Some(AcledType {
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: sub.into(),
        });
        rules.push(why.into());
    }
    Typed {
        ptype,
        mode,
        cameo,
        acled,
    }
}

/// Victims who are civilians by what they are called (`AL30`).
const CIVILIAN_VICTIMS: &[&str] = &[
    "civilians",
    "civilian",
    "villagers",
    "residents",
    "worshippers",
    "worshipers",
    "pilgrims",
    "shoppers",
    "students",
    "schoolchildren",
    "children",
    "women",
    "tribesmen",
    "tribe",
    "families",
    "farmers",
    "passengers",
    "patients",
    "mourners",
    "refugees",
    "migrants",
];

/// `AL30-civilian-victims`: an attack or a killing typed as an armed clash whose victims,
/// named right after the trigger, are civilians ("killed 70 members of the tribe", "attacked
/// villagers") and whose known targets include no armed force or police is violence against
/// civilians.
fn civilian_victims(
    t: &Tokens<'_>,
    rule: &TriggerRule,
    h: &TriggerHit,
    clause: (usize, usize),
    targets: &[EventActor],
    acled: Option<&AcledType>,
) -> bool {
    let end = clause.1.max(h.end).min(h.end + 8).min(t.len());
    one_sided_clash(rule, targets, acled)
        && (h.end..end).any(|k| CIVILIAN_VICTIMS.contains(&t.low(k)))
}

/// An attack or a killing (`EV161`, `EV162`, not a clash of two sides) typed as an armed
/// clash whose known targets include no armed force or police.
fn one_sided_clash(rule: &TriggerRule, targets: &[EventActor], acled: Option<&AcledType>) -> bool {
    let clash = acled.is_some_and(|a| a.sub_event_type == "Armed clash");
    let one_sided = ["EV161", "EV162"].iter().any(|p| rule.rule.starts_with(p)) && !rule.symmetric;
    let armed_target = targets
        .iter()
        .any(|a| armed(a) || a.actor.actor_type == ActorType::Police);
    clash && one_sided && !armed_target
}

/// Victims or targets named by a word that says nothing of whether they bore arms:
/// people, or the places where civilians live and gather (`AL31`).
const UNARMED_VICTIMS: &[&str] = &[
    "people",
    "persons",
    "inhabitants",
    "locals",
    "village",
    "villages",
    "mosque",
    "church",
    "market",
    "wedding",
    "funeral",
];

/// Words that name armed or uniformed victims: where they stand among the victims, the
/// attack may be a battle (`AL31`).
const ARMED_VICTIMS: &[&str] = &[
    "soldier",
    "soldiers",
    "troops",
    "army",
    "military",
    "police",
    "policemen",
    "policeman",
    "officers",
    "officer",
    "guards",
    "militants",
    "fighters",
    "rebels",
    "insurgents",
    "militiamen",
    "gunmen",
    "security",
    "checkpoint",
    "base",
    "camp",
    "post",
    "patrol",
    "convoy",
    "barracks",
];

/// Verbs that tell what happened to the victims of an attack (`AL31`).
const HARMED: &[&str] = &["killed", "wounded", "injured", "massacred", "slaughtered"];

/// `AL31-unarmed-victims`: an attack or a killing typed as an armed clash, with no armed
/// target, whose sentence names its victims only as people or civilians, with no soldier,
/// police officer or fighter among them, is violence against civilians: the victims right
/// after the trigger ("gunmen killed 17 people", "attacked a village"), or the subject of a
/// passive killing ("24 people were killed when gunmen stormed ..."). A victim list that names
/// armed men ("12 people were killed, including seven soldiers"), or a place a side holds ("the
/// rebel-held villages"), leaves the clash.
fn unarmed_victims(t: &Tokens<'_>, h: &TriggerHit, clause: (usize, usize)) -> bool {
    // the victims right after the trigger, not past a conjunction or a clause break: "repelled
    // attacks near Lyman and had retaken a village" names no victim
    let end = (h.end..clause.1.max(h.end).min(h.end + 8).min(t.len()))
        .find(|&k| matches!(t.low(k), "and" | "but" | "," | ";" | "." | "while" | "as"))
        .unwrap_or(clause.1.max(h.end).min(h.end + 8).min(t.len()));
    let after = |words: &[&str]| (h.end..end).any(|k| words.contains(&t.low(k)));
    // "the rebel-held villages", "an army-controlled town": a side's position, not civilians
    let held = (h.end..end).any(|k| {
        let w = t.low(k);
        w.ends_with("-held") || w.ends_with("-controlled") || matches!(w, "held" | "controlled")
    });
    let mut unarmed = !held && (after(UNARMED_VICTIMS) || after(CIVILIAN_VICTIMS));
    let mut armed = after(ARMED_VICTIMS);
    for k in 1..t.len() {
        if !HARMED.contains(&t.low(k)) || !matches!(t.low(k - 1), "were" | "was" | "been") {
            continue;
        }
        // the passive's subject: at most five words before its auxiliary, within the clause
        let lo = k.saturating_sub(7);
        let subject = ((lo..k - 1).rev())
            .take_while(|&j| !matches!(t.low(j), "." | ";" | "and" | "when" | "after" | ","))
            .map(|j| t.low(j))
            .collect::<Vec<_>>();
        unarmed |= subject
            .iter()
            .any(|w| UNARMED_VICTIMS.contains(w) || CIVILIAN_VICTIMS.contains(w));
        armed |= subject.iter().any(|w| ARMED_VICTIMS.contains(w));
        // "were killed, including seven soldiers"
        if let Some(i) = (k + 1..(k + 3).min(t.len())).find(|&j| t.low(j) == "including") {
            armed |= (i + 1..(i + 5).min(t.len())).any(|j| ARMED_VICTIMS.contains(&t.low(j)));
        }
    }
    unarmed && !armed
}

/// Armed forces and police: the actors whose movements ACLED codes (`AL15`).
fn force(a: &EventActor) -> bool {
    armed(a) || a.actor.actor_type == ActorType::Police
}

/// Nouns that name an armed force moving, deployed or mobilised (`AL15`).
const FORCE_WORDS: &[&str] = &[
    "troops",
    "forces",
    "soldiers",
    "army",
    "military",
    "tanks",
    "reinforcements",
    "guard",
    "guardsmen",
    "police",
    "policemen",
    "units",
    "battalion",
    "battalions",
    "brigade",
    "fighters",
    "militants",
    "rebels",
    "militia",
    "militiamen",
    "warships",
    "jets",
    "convoy",
    "peacekeepers",
    "marines",
];

/// Whether the trigger's clause names an armed force (`AL15`).
fn force_named(t: &Tokens<'_>, clause: (usize, usize)) -> bool {
    (clause.0..clause.1.min(t.len())).any(|k| FORCE_WORDS.contains(&t.low(k)))
}

/// `AL15-movement-no-armed-force`: a movement, deployment or advance (`MOBILIZE`, not a base)
/// is an ACLED event only when an armed force or the police moves or is moved: one of its
/// sides, or a force its clause names ("troops", "reinforcements", "the National Guard"). A
/// government that "moved to roll back" a rule, talks that "move forward", a team that
/// "advanced to the finals", are not (PLOVER MOBILIZE stays; no ACLED type).
/// Security measures whose easing or lifting ACLED may code as a strategic development
/// (`AL14`).
const SECURITY_MEASURES: &[&str] = &[
    "curfew",
    "curfews",
    "emergency",
    "martial",
    "siege",
    "blockade",
    "checkpoint",
    "checkpoints",
    "crossing",
    "crossings",
    "border",
    "lockdown",
    "closure",
    "cordon",
    "detainees",
    "prisoners",
    "rebels",
    "fighters",
    "militants",
    "insurgents",
];

/// `AL14-concession-no-measure`: a concession (`EV050`: eased, lifted, relaxed, apologised,
/// pardoned, an amnesty) is an ACLED event ("Strategic developments / Other") only when its
/// sentence names a security measure eased or lifted (a curfew, a state of emergency, martial
/// law, a siege or blockade, a checkpoint or crossing) or an amnesty or pardon for fighters or
/// prisoners; an apology, "relax", a quarantine lifted, are talk (PLOVER CONCEDE, no ACLED type).
fn security_measure(t: &Tokens<'_>) -> bool {
    (0..t.len()).any(|k| SECURITY_MEASURES.contains(&t.low(k)))
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
    rule: &TriggerRule,
    h: &TriggerHit,
    clause: (usize, usize),
    acled: Option<&AcledType>,
    rules: &mut Vec<String>,
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
    let mut skipped = false;
    // AL25: rockets and missiles fly from the ground or from the air; the platform decides
    let (mut air_platform, mut launched, mut ground_only) = (false, false, false);
    for k in c0..c1 {
        let w = t.low(k);
        let next = t.low(k + 1);
        if w == "rocket" && matches!(next, "propelled" | "-") {
            continue;
        }
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
                // AL24: a rocket-propelled grenade is a gunfight's weapon, not a thrown grenade
                "grenade" | "grenades" if rocket_propelled(t, k) => {
                    rules.push("AL24-rocket-propelled-grenade".into());
                    None
                }
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
            if weapon_is_object(t, k, c0) {
                skipped = true;
                continue;
            }
            match (sub, w) {
                ("Air/drone strike", _) => air_platform = true,
                (_, "rocket" | "rockets" | "missile" | "missiles") => launched = true,
                ("Shelling/artillery/missile attack", _) => ground_only = true,
                _ => {}
            }
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
    if skipped {
        rules.push("AL22-weapon-as-object".into());
    }
    if found == Some("Shelling/artillery/missile attack")
        && launched
        && air_platform
        && !ground_only
    {
        found = Some("Air/drone strike");
        rules.push("AL25-missile-from-the-air".into());
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

/// `AL24-rocket-propelled-grenade`: whether the grenade word at `k` is a rocket-propelled
/// grenade ("rocket-propelled grenades", "rocket propelled grenade"), a shoulder-fired weapon
/// of ground fighting that decides no ACLED Grenade (nor shelling) sub-type.
fn rocket_propelled(t: &Tokens<'_>, k: usize) -> bool {
    let prev = |d: usize| if k >= d { t.low(k - d) } else { "" };
    prev(1) == "rocket-propelled"
        || (prev(1) == "propelled" && prev(2) == "rocket")
        || (prev(1) == "propelled" && prev(2) == "-" && prev(3) == "rocket")
}

/// Verbs whose object is a thing done to, not a thing used: "destroyed a VBIED", "seized
/// mortars", "found grenades".
const OBJECT_VERBS: &[&str] = &[
    "destroyed",
    "destroying",
    "destroy",
    "destroys",
    "damaged",
    "damaging",
    "disabled",
    "seized",
    "seizing",
    "captured",
    "confiscated",
    "found",
    "discovered",
    "defused",
    "dismantled",
    "recovered",
];

/// `AL22-weapon-as-object`: a weapon named as what was destroyed, seized or found ("one strike
/// destroyed a VBIED and a rocket-propelled grenade launcher") is not the weapon used. Looks
/// back from the weapon word at `k` (not before `floor`) for such a verb, stopping at a clause
/// break, at the instrument ("by", "with", "using") and at a verb of firing.
fn weapon_is_object(t: &Tokens<'_>, k: usize, floor: usize) -> bool {
    for j in (floor..k).rev() {
        let w = t.low(j);
        if OBJECT_VERBS.contains(&w) {
            return true;
        }
        if matches!(
            w,
            ";" | "." | "by" | "with" | "using" | "fired" | "launched" | "dropped" | "used"
        ) {
            return false;
        }
    }
    false
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
