//! Tests of the sentence-grammar role rules RO84 (a "by" phrase belongs to the nearest action
//! word), RO85 (a demonym-owned object is the country's civilians) and RO86 (a bare country
//! after "to"/"with"/"against" is the addressee of a verbal act), each on sentences written
//! for the test.

use frontline_model::{Event, EventActor};

use super::test_support::coded;

fn by_trigger<'a>(e: &'a [Event], word: &str) -> &'a Event {
    e.iter()
        .find(|x| x.trigger_text.contains(word))
        .unwrap_or_else(|| panic!("no event on {word:?} in {e:#?}"))
}

fn codes(a: &[EventActor]) -> Vec<&str> {
    a.iter().map(|x| x.actor.code.as_str()).collect()
}

fn fired(e: &Event, id: &str) -> bool {
    e.rules.iter().any(|r| r == id)
}

#[test]
fn a_by_phrase_after_another_action_noun_is_not_the_triggers_agent() {
    let e = coded(
        "Hundreds of farmers marched on Friday in protest against rights violations by the army.",
    );
    let ev = by_trigger(&e, "protest");
    assert!(
        !codes(&ev.sources).iter().any(|c| c.contains("MIL")),
        "{ev:#?}"
    );
    assert!(fired(ev, "RO84-agent-of-nearest-noun"), "{:?}", ev.rules);
}

#[test]
fn a_by_phrase_after_an_infinitive_is_not_the_triggers_agent() {
    let e = coded(
        "Nurses held demonstrations in the capital to denounce pay cuts ordered by the government.",
    );
    let ev = by_trigger(&e, "demonstrations");
    assert!(!codes(&ev.sources).contains(&"GOV"), "{ev:#?}");
}

#[test]
fn the_by_phrase_of_the_trigger_itself_is_still_its_agent() {
    let e = coded("The shelling of the market by rebels killed four people on Monday.");
    let ev = by_trigger(&e, "shelling");
    assert_eq!(codes(&ev.sources), ["REB"], "{ev:#?}");
    assert!(!fired(ev, "RO84-agent-of-nearest-noun"), "{:?}", ev.rules);
}

#[test]
fn a_demonym_before_a_common_noun_object_names_the_country() {
    let e = coded("Government artillery shelled Turkish villages near the frontier overnight.");
    let ev = by_trigger(&e, "shelled");
    assert_eq!(codes(&ev.targets), ["TURCVL"], "{ev:#?}");
    assert!(fired(ev, "RO85-demonym-owned-target"), "{:?}", ev.rules);
}

#[test]
fn a_demonym_object_of_a_threatened_act_is_the_target_of_the_threat() {
    let e = coded("Armenia threatened to bomb Azerbaijani pipelines if the talks failed.");
    let ev = by_trigger(&e, "threatened");
    assert_eq!(codes(&ev.targets), ["AZE"], "{ev:#?}");
}

#[test]
fn a_demonym_with_an_agent_word_stays_the_actor_it_is() {
    let e = coded("Rebels attacked Malian soldiers near the river on Sunday.");
    let ev = by_trigger(&e, "attacked");
    assert!(!fired(ev, "RO85-demonym-owned-target"), "{:?}", ev.rules);
    assert!(
        codes(&ev.targets).iter().all(|c| c.starts_with("MLI")),
        "{ev:#?}"
    );
}

#[test]
fn a_country_after_to_or_with_is_the_addressee_of_a_verbal_act() {
    let e = coded("Chile issued an ultimatum to Bolivia over the water dispute.");
    let ev = by_trigger(&e, "ultimatum");
    assert_eq!(codes(&ev.targets), ["BOL"], "{ev:#?}");
    assert!(fired(ev, "RO86-country-addressee"), "{:?}", ev.rules);
    let e = coded("Morocco threatened to cut diplomatic ties with Sweden and Denmark.");
    let ev = by_trigger(&e, "threatened");
    assert_eq!(codes(&ev.targets), ["SWE", "DNK"], "{ev:#?}");
}

#[test]
fn a_country_after_a_verb_of_motion_is_a_destination_not_an_addressee() {
    let e = coded("The former minister agreed to return to Bolivia next month.");
    if let Some(ev) = e.iter().find(|x| x.trigger_text.contains("agreed")) {
        assert!(!fired(ev, "RO86-country-addressee"), "{:?}", ev.rules);
        assert!(!codes(&ev.targets).contains(&"BOL"), "{ev:#?}");
    }
}

#[test]
fn a_plural_demonym_object_names_the_countrys_civilians() {
    let e = coded("Smugglers abducted three Peruvians near the coast last week.");
    let ev = by_trigger(&e, "abducted");
    assert_eq!(codes(&ev.targets), ["PERCVL"], "{ev:#?}");
}

#[test]
fn a_trigger_in_an_adjunct_with_a_demonym_takes_no_subject_as_source() {
    // RO87
    let e = coded("Four farmers were killed in a Turkish air strike near the village.");
    let ev = by_trigger(&e, "air strike");
    assert!(!codes(&ev.sources).contains(&"CVL"), "{ev:#?}");
}

#[test]
fn the_object_of_a_participle_is_not_the_subject_of_the_next_verb() {
    // RO88
    let e = coded(
        "The rebels held a rally in the town, greeting two Peruvians and threatening the mayor.",
    );
    let ev = by_trigger(&e, "threatening");
    assert_eq!(codes(&ev.sources), ["REB"], "{ev:#?}");
    assert!(fired(ev, "RO88-participle-object"), "{:?}", ev.rules);
}

#[test]
fn a_described_noun_in_an_adjunct_takes_no_subject_as_source() {
    // RO89: "during a coordinated attack": the victims before it are not its attackers
    let e = coded("Four soldiers were killed during a coordinated attack on the base overnight.");
    assert!(
        e.iter().all(|ev| !codes(&ev.sources).contains(&"MIL")),
        "{e:#?}"
    );
    assert!(
        e.iter().any(|ev| fired(ev, "RO89-described-adjunct-noun")),
        "{e:#?}"
    );
}

#[test]
fn a_verb_before_a_described_noun_is_not_passed_over() {
    // RO89 never reads a verb as a describing word: the subject still launches the attack
    let e = coded("Rebels launched a coordinated attack on the garrison on Sunday.");
    let ev = by_trigger(&e, "attack");
    assert_eq!(codes(&ev.sources), ["REB"], "{ev:#?}");
}

#[test]
fn a_bare_participle_before_a_preposition_is_passive() {
    // RO32: the headline drops the auxiliary; the officers are the victims
    let e = coded("Two police officers killed in ambush near the market");
    assert!(
        e.iter().all(|ev| !codes(&ev.sources).contains(&"COP")),
        "{e:#?}"
    );
    assert!(
        e.iter().any(|ev| codes(&ev.targets).contains(&"COP")),
        "{e:#?}"
    );
}

#[test]
fn a_participle_before_a_counted_object_stays_active() {
    // "killed at least four": the qualifier opens the object
    let e = coded("Gunmen killed at least four villagers on Tuesday.");
    let ev = by_trigger(&e, "killed");
    assert_eq!(codes(&ev.sources), ["REB"], "{ev:#?}");
    assert!(!fired(ev, "RO32-reduced-passive"), "{:?}", ev.rules);
}

#[test]
fn between_after_a_verb_still_names_both_sides() {
    // RO41 over "broke out on Monday"
    let e = coded("Clashes broke out on Monday between the army and the rebels near the town.");
    let ev = by_trigger(&e, "lashes");
    assert_eq!(codes(&ev.sources), ["MIL"], "{ev:#?}");
    assert_eq!(codes(&ev.targets), ["REB"], "{ev:#?}");
}

#[test]
fn the_object_of_the_first_verb_is_not_the_subject_of_the_second() {
    // RO90
    let e = coded("The militants killed 12 soldiers and captured a military base near the town.");
    let ev = by_trigger(&e, "captured");
    assert_eq!(codes(&ev.sources), ["REB"], "{ev:#?}");
    assert!(fired(ev, "RO90-coordinated-verb-object"), "{:?}", ev.rules);
}

#[test]
fn the_forces_act_on_a_protest_keeps_its_plover_sides() {
    // RO73 adds no protesters as the source of the forces' own act
    let e = coded("Police fired tear gas to disperse hundreds of protesters in the capital.");
    assert!(
        e.iter()
            .all(|ev| ev.plover_type == frontline_model::PloverType::Protest
                || !fired(ev, "RO73-unnamed-protesters")),
        "{e:#?}"
    );
}

#[test]
fn a_protest_with_no_protester_named_has_unnamed_protesters() {
    // RO73
    let e = coded("A rally against the new tax was held in the capital on Sunday.");
    let ev = by_trigger(&e, "rally");
    assert_eq!(codes(&ev.sources), ["PRO"], "{ev:#?}");
    assert!(fired(ev, "RO73-unnamed-protesters"), "{:?}", ev.rules);
}
