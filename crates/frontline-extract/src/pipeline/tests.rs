use super::*;
use frontline_model::{Modality, PloverType};
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::without_geocoder().unwrap())
}

fn meta() -> DocumentMeta {
    DocumentMeta {
        published_at: chrono::NaiveDate::from_ymd_opt(2021, 3, 14),
        ..DocumentMeta::default()
    }
}

fn events(s: &str) -> Vec<frontline_model::Event> {
    let ex = pipeline().extract(meta(), s);
    ex.check_spans().unwrap();
    ex.events
}

fn codes(a: &[frontline_model::EventActor]) -> Vec<String> {
    a.iter().map(|x| x.actor.code.clone()).collect()
}

#[test]
fn pipeline_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Pipeline>();
}

#[test]
fn active_capture_with_from() {
    let e = events(
        "Kurdish Peshmerga forces captured the hill from Islamic State militants on Tuesday.",
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].plover_type, PloverType::Coerce);
    assert_eq!(codes(&e[0].sources), ["IRQMILPES"]);
    assert_eq!(codes(&e[0].targets), ["IMGMUSISI"]);
    let terr = e[0].territory.as_ref().unwrap();
    assert_eq!(terr.from.as_ref().unwrap().code, "IMGMUSISI");
    assert_eq!(
        e[0].acled.as_ref().unwrap().sub_event_type,
        "Government regains territory"
    );
}

#[test]
fn passive_voice() {
    let e = events("The village was retaken by Houthi rebels after a week of fighting.");
    let cap = e
        .iter()
        .find(|x| x.plover_type == PloverType::Coerce)
        .unwrap();
    assert_eq!(codes(&cap.sources), ["YEMREBHTH"]);
    assert!(cap.rules.iter().any(|r| r == "RO30-passive"));
    assert_eq!(
        cap.acled.as_ref().unwrap().sub_event_type,
        "Non-state actor overtakes territory"
    );
}

#[test]
fn apposition_and_coordination() {
    let e = events("Syrian rebels, backed by Turkey, seized two villages.");
    assert_eq!(codes(&e[0].sources), ["SYRREB"]);
    let e = events("Syrian troops and allied militias met Iraqi forces at the border on Sunday.");
    assert_eq!(e.len(), 1);
    assert_eq!(codes(&e[0].sources), ["SYRMIL", "UAF"]);
    assert_eq!(codes(&e[0].targets), ["IRQMIL"]);
    assert_eq!(e[0].plover_type, PloverType::Cooperate);
    assert_eq!(
        e[0].location.as_ref().unwrap().place.name,
        "Syria–Iraq border"
    );
}

#[test]
fn nominalisations() {
    let e = events("Clashes between Somali troops and al-Shabaab left dozens dead.");
    assert_eq!(e[0].plover_type, PloverType::Assault);
    assert_eq!(codes(&e[0].sources), ["SOMMIL"]);
    assert_eq!(codes(&e[0].targets), ["SOMREBSHB"]);
    let e = events("An Israeli air strike on Hamas positions wounded three people.");
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        e[0].acled.as_ref().unwrap().sub_event_type,
        "Air/drone strike"
    );
    assert_eq!(codes(&e[0].sources), ["ISRMIL"]);
    // the people it wounded are victims too
    assert_eq!(codes(&e[0].targets)[0], "PSEREBHMS");
}

#[test]
fn attribution_and_modality() {
    let e = events(
        "The rebels reportedly shelled the base, the Syrian Observatory for Human Rights said.",
    );
    assert_eq!(e[0].modality, Modality::Hedged);
    assert_eq!(
        e[0].attribution[0].speaker,
        "Syrian Observatory for Human Rights"
    );
    let e = events("The deal would allow Iraqi fighters to move into Syria, an official said.");
    let mv = e.iter().find(|x| x.trigger_text == "move").unwrap();
    assert_eq!(mv.modality, Modality::Hypothetical);
    let e = events("Police did not arrest the protesters.");
    assert_eq!(e[0].modality, Modality::Negated);
}

#[test]
fn dates_fall_back_to_publication() {
    let e = events("Rebels attacked an army post.");
    let d = e[0].date.as_ref().unwrap();
    assert!(d.derivation.contains("publication"));
    assert!(e[0].rules.iter().any(|r| r == "DT40-publication-date"));
}

#[test]
fn empty_and_garbage_inputs() {
    let p = pipeline();
    let ex = p.extract(DocumentMeta::default(), "");
    assert!(ex.events.is_empty());
    assert!(!ex.warnings.is_empty());
    let ex = p.extract_bytes(
        DocumentMeta::default(),
        b"Rebels \xff\xfe attacked the town.",
    );
    assert!(ex.warnings.iter().any(|w| w.contains("invalid UTF-8")));
    ex.check_spans().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn never_panics_and_spans_hold(s in "\\PC{0,400}") {
        let ex = pipeline().extract(meta(), &s);
        prop_assert!(ex.check_spans().is_ok());
    }

    #[test]
    fn wordy_garble_is_fine(words in proptest::collection::vec(
        prop_oneof![
            Just("Syrian"), Just("troops"), Just("captured"), Just("by"), Just("the"), Just("'s"),
            Just(","), Just("."), Just("\""), Just("IS"), Just("from"), Just("said"), Just("air strike"),
            Just("on"), Just("al-Waleed"), Just("not"), Just("would"), Just("between"), Just("and"),
            Just("pro-Iranian"), Just("militias"), Just("Baghdad"), Just("Sunday"), Just("\u{2019}s"),
            Just("according to"), Just("25,000"), Just("km"), Just("é"), Just("—"),
        ], 0..60)) {
        let s = words.join(" ");
        let ex = pipeline().extract(meta(), &s);
        prop_assert!(ex.check_spans().is_ok(), "{:?}", ex.check_spans());
        for (i, m) in ex.mentions.iter().enumerate() {
            prop_assert_eq!(m.id, i);
        }
    }
}

fn geo_pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(frontline_geocode::Geocoder::embedded().unwrap()).unwrap())
}

/// The dateline says where the story was filed: a place the clause names wins over it, and it
/// is the event's place only when the clause names none.
#[test]
fn the_dateline_is_the_place_only_when_the_clause_names_no_other() {
    let place = |s: &str| {
        let ex = geo_pipeline().extract(meta(), s);
        ex.check_spans().unwrap();
        let ev = ex
            .events
            .first()
            .unwrap_or_else(|| panic!("no event in {s:?}"));
        ev.location.as_ref().map(|l| l.place.name.clone())
    };
    assert_eq!(
        place("OUAGADOUGOU (Corvid) - Militants attacked an army base in the northern town of Djibo on Sunday.")
            .as_deref(),
        Some("Djibo")
    );
    assert_eq!(
        place("BAGHDAD (Corvid) - A car bomb exploded near a crowded market on Sunday, killing 12 people.")
            .as_deref(),
        Some("Baghdad")
    );
}

/// "by" after a participle that describes a noun ("a facility used by", "a checkpoint held
/// by") names who uses or holds it, not who acted; after one that describes the event ("a
/// bombing claimed by") it still names the perpetrator.
#[test]
fn a_by_phrase_on_a_noun_is_not_the_perpetrator() {
    let e = events(
        "Russian forces carried out a precision strike on a facility used by the Ukrainian armed forces overnight.",
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].plover_type, PloverType::Assault);
    assert_eq!(codes(&e[0].sources), ["RUSMIL"]);
    let e = events("Witnesses described an attack on a checkpoint held by Syrian troops.");
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        !codes(&e[0].sources).contains(&"SYRMIL".to_string()),
        "{e:#?}"
    );
    let e = events("A suicide bombing claimed by Islamic State killed 12 people at the market.");
    assert_eq!(codes(&e[0].sources), ["IMGMUSISI"]);
}

/// "Units of the Syrian Arab Army" acted: a part of an actor, with or without the article, is
/// that actor; the army's official name is the Syrian military.
#[test]
fn a_part_of_an_actor_is_that_actor() {
    for s in [
        "Units of the Syrian Arab Army destroyed positions belonging to terrorist groups.",
        "Units of the Syrian army destroyed positions belonging to terrorist groups.",
        "The Syrian Arab Army destroyed positions belonging to terrorist groups.",
    ] {
        let e = events(s);
        assert_eq!(e.len(), 1, "{s}: {e:#?}");
        assert_eq!(codes(&e[0].sources), ["SYRMIL"], "{s}");
    }
}
