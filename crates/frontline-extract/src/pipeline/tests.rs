use super::*;
use frontline_model::{GeoPrecision, Modality, PloverType};
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
fn ro31_passive_aimed_at_and_ro81_one_role() {
    // RO31: no actor is the passive subject; the actor fired at is the target
    let e = events("Several shots were fired at an off-duty police officer on Sunday.");
    let a = e
        .iter()
        .find(|x| x.plover_type == PloverType::Assault)
        .unwrap();
    assert_eq!(codes(&a.targets), ["COP"], "{a:#?}");
    assert!(a.sources.is_empty());
    assert!(a.rules.iter().any(|r| r == "RO31-passive-aimed-at"));
    // RO81: "was shot and wounded" does not make the officer his own attacker
    let e = events("A police officer was shot and wounded on Sunday.");
    let a = e
        .iter()
        .find(|x| x.plover_type == PloverType::Assault)
        .unwrap();
    assert_eq!(codes(&a.targets), ["COP"], "{a:#?}");
    assert!(a.sources.is_empty(), "{a:#?}");
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

/// The location of the first event coded from `s` (with the gazetteer), its spans checked.
fn first_location(s: &str) -> Option<frontline_model::EventLocation> {
    let ex = geo_pipeline().extract(meta(), s);
    ex.check_spans().unwrap();
    let ev = ex
        .events
        .first()
        .unwrap_or_else(|| panic!("no event in {s:?}"));
    ev.location.clone()
}

/// The dateline says where the story was filed: a place the clause names wins over it, and it
/// is the event's place only when the clause names none.
#[test]
fn the_dateline_is_the_place_only_when_the_clause_names_no_other() {
    let place = |s: &str| first_location(s).map(|l| l.place.name);
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

/// A place the gazetteer lacks gives way to the known place the text puts it by; one that
/// stands alone stays as it is, unresolved.
#[test]
fn an_unknown_place_gives_way_to_its_anchor() {
    let loc = |s: &str| {
        let l = first_location(s).unwrap_or_else(|| panic!("no place in {s:?}"));
        (l.place.name, l.relation, l.place.precision)
    };
    assert_eq!(
        loc("The militia stormed the Qarfoul camp for displaced people outside Kadugli on Monday."),
        ("Kadugli".into(), "outside".into(), GeoPrecision::Point)
    );
    assert_eq!(
        loc("Gunmen attacked Qarfoul, near Kadugli, on Monday."),
        ("Kadugli".into(), "near".into(), GeoPrecision::Point)
    );
    let (name, _, precision) = loc("Gunmen attacked the Qarfoul camp on Monday.");
    assert_eq!(
        (name.as_str(), precision),
        ("Qarfoul", GeoPrecision::Unresolved)
    );
    // alone, it is in the country of the rebels or militia that acted there
    let country = |s: &str| first_location(s).and_then(|l| l.place.country_code);
    assert_eq!(
        country("The Rapid Support Forces stormed the Umm Sayala camp on Monday.").as_deref(),
        Some("SD")
    );
    // a state's proxy deployed abroad says nothing of where it fought
    assert_eq!(
        country("Wagner mercenaries stormed the Umm Sayala camp on Monday."),
        None
    );
    // a place further on, after the event's own words, is not an anchor
    let (name, _, _) =
        loc("Gunmen attacked the Qarfoul camp on Monday, days after talks in Kadugli.");
    assert_eq!(name, "Qarfoul");
}

/// A protest that police break up is one ACLED event, "Protest with intervention", whichever
/// side the sentence tells it from; coercion with no protest in the sentence, or one that kills,
/// is not.
#[test]
fn a_protest_broken_up_is_a_protest_with_intervention() {
    let acled = |s: &str| -> Vec<(PloverType, String)> {
        events(s)
            .iter()
            .map(|e| {
                let a = e.acled.as_ref().map(|a| a.sub_event_type.clone());
                (e.plover_type, a.unwrap_or_default())
            })
            .collect()
    };
    let with = "Protest with intervention".to_string();
    assert_eq!(
        acled("Police arrested 20 people as hundreds of protesters gathered outside parliament."),
        [(PloverType::Coerce, with.clone())]
    );
    let e =
        acled("Riot police fired tear gas at protesters outside parliament, killing two people.");
    assert_eq!(
        e,
        [(
            PloverType::Assault,
            "Excessive force against protesters".to_string()
        )]
    );
    let e = acled(
        "Thousands of people protested in the capital on Friday, and police used tear gas to disperse them.",
    );
    assert!(e.contains(&(PloverType::Protest, with.clone())), "{e:?}");
    assert!(
        e.iter().all(|(_, a)| a == &with),
        "every event of the sentence is the one protest: {e:?}"
    );
    // the coerced protesters alone are no protest under way: ACLED's "Arrests"
    let e = acled("Riot police detained 40 protesters in the port city overnight.");
    assert_eq!(e, [(PloverType::Coerce, "Arrests".to_string())]);
    let e = acled("Police arrested 20 people in a raid on a weapons market.");
    assert!(e.iter().all(|(_, a)| a != &with), "{e:?}");
    let e = acled("Thousands of people protested peacefully in the capital on Friday.");
    assert_eq!(e, [(PloverType::Protest, "Peaceful protest".to_string())]);
}

/// Armed forces destroying the enemy's positions are fighting; destroying homes, a school or
/// crops is destroying property.
#[test]
fn armed_forces_destroying_positions_are_fighting() {
    let types = |s: &str| events(s).iter().map(|e| e.plover_type).collect::<Vec<_>>();
    assert_eq!(
        types(
            "Army units destroyed positions and weapons depots belonging to rebel groups near Hama."
        ),
        [PloverType::Assault]
    );
    assert_eq!(
        types("Government troops destroyed two rebel tanks on Monday."),
        [PloverType::Assault]
    );
    assert_eq!(
        types("Militants destroyed a school in the village on Monday."),
        [PloverType::Coerce]
    );
    assert_eq!(
        types("Soldiers demolished the homes of the attackers' families."),
        [PloverType::Coerce]
    );
}

/// A denial reported as speech covers the clause it reports; a plain report does not.
#[test]
fn a_denial_that_covers_the_reported_clause() {
    let modality = |s: &str| events(s).iter().map(|e| e.modality).collect::<Vec<_>>();
    assert_eq!(
        modality(
            "The militia denied on Thursday that its fighters had attacked civilians at the camp."
        ),
        [Modality::Denied]
    );
    assert_eq!(
        modality("The militia said on Thursday that its fighters had attacked an army post."),
        [Modality::Asserted]
    );
    // what the denier goes on to say it did is not denied
    let e = events("The militia denied targeting civilians and said it had attacked an army post.");
    let attacked = e.iter().find(|e| e.trigger_text == "attacked").unwrap();
    assert_eq!(attacked.modality, Modality::Asserted, "{e:#?}");
}

/// The time a reporting verb takes is when it was said: the reported act is not dated by it.
/// A time in the reported clause itself still dates the act.
#[test]
fn the_time_of_saying_does_not_date_the_act() {
    let dated = |s: &str| {
        let e = events(s);
        let ev = e.first().unwrap_or_else(|| panic!("no event in {s:?}"));
        let rule = ev.rules.iter().find(|r| r.starts_with("DT")).cloned();
        (ev.date.as_ref().map(|d| d.start.to_string()), rule)
    };
    // published Sunday 2021-03-14
    let (_, rule) = dated("The militia denied on Friday that its fighters had attacked the camp.");
    assert_eq!(rule.as_deref(), Some("DT40-publication-date"));
    let (_, rule) = dated("Militants attacked an army post, the army said on Friday.");
    assert_eq!(rule.as_deref(), Some("DT40-publication-date"));
    let (day, rule) =
        dated("The army said on Friday that militants had attacked an army post on Thursday.");
    assert_eq!(
        (day.as_deref(), rule.as_deref()),
        (Some("2021-03-11"), Some("DT10-clause-time"))
    );
    let (day, _) = dated("On Friday, militants attacked an army post near the town.");
    assert_eq!(day.as_deref(), Some("2021-03-12"));
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

/// An event its sentence does not place takes the place of the storyline it continues (the
/// last act placed within a few sentences), never that of talks or of a story years away.
#[test]
fn an_unplaced_event_takes_the_place_of_its_storyline() {
    let ex = geo_pipeline().extract(
        meta(),
        "Militants attacked an army base near Djibo on Friday. The gunmen also killed five \
         villagers on Friday.",
    );
    ex.check_spans().unwrap();
    let last = ex.events.last().unwrap();
    let l = last.location.as_ref().unwrap();
    assert_eq!(l.place.name, "Djibo", "{:#?}", ex.events);
    assert!(
        last.rules.iter().any(|r| r == "LO80-storyline"),
        "{last:#?}"
    );
    let ex = geo_pipeline().extract(
        meta(),
        "Ministers met in Niamey on Friday. The gunmen killed five villagers on Friday.",
    );
    let last = ex.events.last().unwrap();
    assert!(
        !last.rules.iter().any(|r| r == "LO80-storyline"),
        "{last:#?}"
    );
}

/// An event neither its sentence nor its storyline places is at the dateline, else in the
/// document's most salient place, with the ACLED precision of what that place is.
#[test]
fn an_unplaced_event_falls_back_to_the_dateline_then_the_focus() {
    let ex = geo_pipeline().extract(
        meta(),
        "Idlib province is home to three million people. Aid groups in Idlib province say the \
         roads are shut. Gunmen killed five villagers on Friday.",
    );
    ex.check_spans().unwrap();
    let last = ex.events.last().unwrap();
    let l = last.location.as_ref().unwrap();
    assert_eq!(l.place.precision, GeoPrecision::Admin1, "{l:#?}");
    assert_eq!(l.acled_precision(), 3);
    assert!(
        last.rules.iter().any(|r| r == "LO90-document-focus"),
        "{last:#?}"
    );
}

/// Part of a place ("northern Idlib", "the Idlib countryside") is ACLED precision 2; the place
/// itself is 1 for a town.
#[test]
fn part_of_a_place_is_precision_two() {
    let loc = |s: &str| first_location(s).unwrap_or_else(|| panic!("no place in {s:?}"));
    let l = loc("Gunmen killed five villagers in Kadugli on Friday.");
    assert_eq!(l.acled_precision(), 1, "{l:#?}");
    let l = loc("Gunmen killed five villagers in the Kadugli countryside on Friday.");
    assert_eq!(l.acled_precision(), 2, "{l:#?}");
    let l = loc("Gunmen killed five villagers in northern Kadugli on Friday.");
    assert_eq!(l.acled_precision(), 2, "{l:#?}");
}

#[test]
fn talk_carries_no_acled_type() {
    // AL10-verbal: meetings, accusations, demands are PLOVER events, not ACLED events
    let e = events("The foreign ministers of France and Egypt met in Cairo on Monday.");
    let m = e
        .iter()
        .find(|x| x.plover_type == PloverType::Consult)
        .unwrap();
    assert!(m.acled.is_none(), "{m:#?}");
    assert!(m.rules.iter().any(|r| r == "AL10-verbal"));
    let e = events("Kenya accused Somalia of harbouring militants.");
    assert!(e.iter().all(|x| x.acled.is_none()), "{e:#?}");
}

#[test]
fn agreements_are_acled_events_only_when_they_settle_fighting() {
    // AL11-agreement-not-settlement: a trade deal is talk; a ceasefire is an ACLED Agreement
    let e = events("Ghana and Togo signed a trade agreement on Tuesday.");
    let a = e
        .iter()
        .find(|x| x.plover_type == PloverType::Agree)
        .unwrap();
    assert!(a.acled.is_none(), "{a:#?}");
    assert!(a.rules.iter().any(|r| r == "AL11-agreement-not-settlement"));
    let e = events("The army and the rebels signed a ceasefire on Tuesday.");
    let a = e
        .iter()
        .find(|x| x.plover_type == PloverType::Agree)
        .unwrap();
    assert_eq!(a.acled.as_ref().unwrap().sub_event_type, "Agreement");
}

fn counted(s: &str) -> Vec<frontline_model::Event> {
    events(s)
        .into_iter()
        .filter(|e| e.acled.is_some() && e.modality.counts())
        .collect()
}

#[test]
fn one_record_per_event_in_a_document() {
    // MG30-same-event: the headline and the body tell one attack
    let e = counted(
        "Militants attack police post. Militants attacked a police post on Monday, killing three \
         officers. The attack on the post lasted an hour.",
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].rules.iter().any(|r| r == "MG30-same-event"));
    let sentences: std::collections::BTreeSet<usize> = e[0]
        .evidence
        .iter()
        .map(|sp| {
            if sp.start < 30 {
                0
            } else if sp.start < 100 {
                1
            } else {
                2
            }
        })
        .collect();
    assert!(sentences.len() >= 2, "{:?}", e[0].evidence);
}

#[test]
fn separate_events_stay_separate() {
    // different days
    let e = counted(
        "Militants attacked a police post on Monday. Militants attacked an army base on Wednesday.",
    );
    assert_eq!(e.len(), 2, "{e:#?}");
    // different attackers
    let e = counted("Rebels attacked the town. Soldiers attacked the village.");
    assert_eq!(e.len(), 2, "{e:#?}");
}

#[test]
fn infinitive_is_an_aim() {
    // MO31-infinitive
    let e = events("The president announced his decision to deploy troops to the border.");
    let m = e
        .iter()
        .find(|x| x.plover_type == PloverType::Mobilize)
        .unwrap();
    assert_eq!(m.modality, Modality::Hypothetical, "{m:#?}");
    assert!(m.rules.iter().any(|r| r == "MO31-infinitive"));
}

#[test]
fn the_weapon_decides_the_sub_type() {
    let sub = |s: &str| {
        counted(s)
            .first()
            .and_then(|e| e.acled.as_ref().map(|a| a.sub_event_type.clone()))
            .unwrap_or_default()
    };
    // AL20-weapon
    assert_eq!(
        sub("Gunmen attacked the checkpoint with grenades on Monday."),
        "Grenade"
    );
    assert_eq!(
        sub("Militants attacked the army base with mortars overnight."),
        "Shelling/artillery/missile attack"
    );
    // AL21-strike-is-air
    assert_eq!(
        sub("A coalition strike on Tuesday destroyed a militant convoy."),
        "Air/drone strike"
    );
}

#[test]
fn movements_of_private_persons_are_not_acled_events() {
    // AL12-movement-no-force
    let e = events("The family moved to another apartment last year.");
    assert!(e.iter().all(|x| x.acled.is_none()), "{e:#?}");
    let e = events("Syrian troops advanced into the village on Monday.");
    assert!(e.iter().any(|x| x.acled.is_some()), "{e:#?}");
}
