//! Tests of the ACLED sub-event types "Disrupted weapons use" (EV174, EV175) and "Mob violence"
//! (EV166, EV167, AL23), each on sentences written for the test.

use super::test_support::coded;

/// The ACLED sub-event types of a text's events.
fn subs(s: &str) -> Vec<String> {
    coded(s)
        .iter()
        .filter_map(|e| e.acled.as_ref().map(|a| a.sub_event_type.clone()))
        .collect()
}

fn has(s: &str, sub: &str) -> bool {
    subs(s).iter().any(|x| x == sub)
}

const DWU: &str = "Disrupted weapons use";
const MOB: &str = "Mob violence";

#[test]
fn ev174_ev175_a_weapon_defused_or_intercepted_is_disrupted() {
    for s in [
        "Army engineers defused a roadside bomb outside the market on Monday.",
        "Air defence units intercepted three drones over the capital overnight.",
        "Two rockets were shot down over the port city late on Sunday.",
        "A bomb squad dismantled an explosive device found near the bridge.",
        "The navy said it downed a missile fired towards the tanker.",
    ] {
        let e = coded(s);
        assert!(
            e.iter().any(|x| x
                .rules
                .iter()
                .any(|r| r.starts_with("EV174") || r.starts_with("EV175"))
                && x.acled.as_ref().is_some_and(
                    |a| a.sub_event_type == DWU && a.event_type == "Strategic developments"
                )),
            "{s}: {e:#?}"
        );
    }
}

#[test]
fn ev174_ev175_the_weapon_disrupted_is_not_an_attack_of_its_own() {
    let s = "Soldiers defused a roadside bomb on the main road on Friday.";
    let got = subs(s);
    assert!(got.iter().all(|x| x == DWU), "{s}: {got:?}");
    let s = "A ballistic missile was intercepted over the city on Friday.";
    let got = subs(s);
    assert!(got.iter().all(|x| x == DWU), "{s}: {got:?}");
}

#[test]
fn ev174_ev175_other_senses_are_not_disrupted_weapons() {
    for s in [
        "The army shot down the proposal at the cabinet meeting.",
        "Their phone calls were intercepted by the intelligence service.",
        "The minister defused the row over the budget on Tuesday.",
        "Police intercepted a lorry laden with explosives at the border.",
        "Troops dismantled a bomb-making workshop in the old town.",
        "Customs officers intercepted a shipment of missiles bound for the rebels.",
    ] {
        assert!(!has(s, DWU), "{s}: {:?}", subs(s));
    }
}

#[test]
fn ev166_ev167_al23_a_crowd_attacking_is_mob_violence() {
    for s in [
        "A mob lynched a man accused of stealing a goat in the village on Monday.",
        "Angry villagers beat two suspected cattle thieves to death on Saturday.",
        "A crowd set fire to the police post after the arrest of a local trader.",
        "A mob attacked a bus carrying traders near the market on Sunday.",
        "A suspected thief was beaten to death by a mob in the town on Friday.",
    ] {
        let e = coded(s);
        assert!(
            e.iter().any(|x| x
                .acled
                .as_ref()
                .is_some_and(|a| a.event_type == "Riots" && a.sub_event_type == MOB)),
            "{s}: {e:#?}"
        );
    }
}

#[test]
fn al23_others_beating_or_attacking_a_crowd_is_not_mob_violence() {
    for s in [
        "The crowd cheered as the president arrived in the square.",
        "A mob of reporters surrounded the minister outside parliament.",
        "Soldiers beat two detainees to death at the barracks on Monday.",
        "Militants attacked villagers near the river on Sunday.",
        "Police fired on the crowd, killing two people in the square.",
        "Protesters set fire to the governor's office during the demonstration.",
        "The champion beat the challenger in three rounds.",
    ] {
        assert!(!has(s, MOB), "{s}: {:?}", subs(s));
    }
}

#[test]
fn al23_a_lynching_by_an_armed_force_is_violence_against_civilians() {
    let s = "Soldiers lynched a man suspected of helping the rebels on Monday.";
    let e = coded(s);
    let ev = e
        .iter()
        .find(|x| x.trigger_text.contains("lynched"))
        .unwrap_or_else(|| panic!("{e:#?}"));
    let a = ev.acled.as_ref().expect("an ACLED type");
    assert_eq!(
        (a.event_type.as_str(), a.sub_event_type.as_str()),
        ("Violence against civilians", "Attack"),
        "{:?}",
        ev.rules
    );
}

#[test]
fn a_lynching_in_a_police_story_is_still_mob_violence() {
    // a police-and-courts story: CR10/CR11 set aside private crime, but not a mob's violence
    let s = "Police said a mob lynched a man suspected of stealing a motorcycle in the village \
             on Monday. Officers arrested five suspects and registered a murder case, and the \
             investigation is continuing, the police superintendent said. The accused will be \
             produced in court on Tuesday.";
    assert!(has(s, MOB), "{:?}", subs(s));
}

/// The ACLED (event type, sub-event type) of the event whose trigger is `word`.
fn typed(s: &str, word: &str) -> (String, String, Vec<String>) {
    let e = coded(s);
    let ev = e
        .iter()
        .find(|x| x.trigger_text.eq_ignore_ascii_case(word))
        .unwrap_or_else(|| panic!("no event {word} in {s}: {e:#?}"));
    let a = ev
        .acled
        .clone()
        .unwrap_or_else(|| panic!("no ACLED type: {ev:#?}"));
    (a.event_type, a.sub_event_type, ev.rules.clone())
}

#[test]
fn al31_people_killed_with_no_armed_victim_are_civilians() {
    for (s, w) in [
        (
            "Armed men killed 12 people in a farming village on Tuesday.",
            "killed",
        ),
        (
            "Twelve people were killed when gunmen raided a hamlet near the lake.",
            "raided",
        ),
        (
            "Bandits attacked a village in the north of the state overnight.",
            "attacked",
        ),
    ] {
        let (ty, sub, rules) = typed(s, w);
        assert_eq!(
            (ty.as_str(), sub.as_str()),
            ("Violence against civilians", "Attack"),
            "{s}: {rules:?}"
        );
    }
    for (s, w) in [
        (
            "Thirty people were killed, including nine soldiers, when militants attacked the town.",
            "attacked",
        ),
        (
            "The rebels attacked the army-held village at dawn, killing six people.",
            "attacked",
        ),
        (
            "Militants attacked a police checkpoint, killing four people.",
            "attacked",
        ),
    ] {
        let (_, _, rules) = typed(s, w);
        assert!(
            !rules.iter().any(|r| r.starts_with("AL31")),
            "{s}: {rules:?}"
        );
    }
}

#[test]
fn al24_al25_the_weapon_s_platform_decides() {
    let (_, sub, rules) = typed(
        "Insurgents attacked a police convoy with rocket-propelled grenades near the bridge.",
        "attacked",
    );
    assert_ne!(sub, "Grenade", "{rules:?}");
    assert_ne!(sub, "Shelling/artillery/missile attack", "{rules:?}");
    let (_, sub, rules) = typed(
        "Two missiles fired from a drone hit a car near the border town.",
        "hit",
    );
    assert_eq!(sub, "Air/drone strike", "{rules:?}");
    let (_, sub, rules) = typed(
        "Rebels attacked the airport with missiles on Monday.",
        "attacked",
    );
    assert_eq!(sub, "Shelling/artillery/missile attack", "{rules:?}");
}

#[test]
fn al26_violence_by_rioters_is_a_riot() {
    for (s, w) in [
        (
            "More than 20 officers were injured as rioters rampaged through the district.",
            "injured",
        ),
        (
            "Rioters torched two police cars and a bus in the city centre.",
            "torched",
        ),
    ] {
        let (ty, sub, rules) = typed(s, w);
        assert_eq!(
            (ty.as_str(), sub.as_str()),
            ("Riots", "Violent demonstration"),
            "{s}: {rules:?}"
        );
    }
    let e = coded("Police fired on the rioters, killing two young men near the square.");
    assert!(
        !e.iter()
            .any(|x| x.rules.iter().any(|r| r.starts_with("AL26"))),
        "{e:#?}"
    );
}

#[test]
fn al14_a_concession_is_an_acled_event_only_for_a_security_measure() {
    let e = coded("The minister apologised on Monday for the delays at the new hospital.");
    assert!(
        e.iter().all(|x| x.acled.is_none()),
        "an apology is talk: {e:#?}"
    );
    let e = coded("The army reopened the border crossing near the northern town on Monday.");
    assert!(
        e.iter().any(|x| x
            .acled
            .as_ref()
            .is_some_and(|a| a.sub_event_type == "Other")),
        "{e:#?}"
    );
}

#[test]
fn al31_a_village_in_the_next_conjunct_is_no_victim() {
    let e =
        coded("The troops repelled attacks near the river and had retaken a village to the east.");
    assert!(
        !e.iter()
            .any(|x| x.rules.iter().any(|r| r.starts_with("AL31"))),
        "{e:#?}"
    );
}

#[test]
fn a_hunger_strike_is_a_peaceful_protest() {
    let e = coded("Dozens of detainees began a hunger strike in the central prison on Monday.");
    assert!(
        e.iter()
            .any(|x| x.plover_type == frontline_model::PloverType::Protest
                && x.acled
                    .as_ref()
                    .is_some_and(|a| a.sub_event_type == "Peaceful protest")),
        "{e:#?}"
    );
}

#[test]
fn al15_a_movement_is_an_acled_event_only_for_an_armed_force() {
    let e = coded(
        "The minister said the trade talks with the union were moving forward in a significant way.",
    );
    assert!(
        !e.iter()
            .any(|x| x.plover_type == frontline_model::PloverType::Mobilize && x.acled.is_some()),
        "{e:#?}"
    );
    let e = coded("The government deployed troops to the border town on Monday.");
    assert!(
        e.iter()
            .any(|x| x.plover_type == frontline_model::PloverType::Mobilize && x.acled.is_some()),
        "{e:#?}"
    );
}
