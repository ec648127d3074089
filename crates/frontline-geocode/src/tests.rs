#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use frontline_model::GeoPrecision;

fn geo() -> Geocoder {
    Geocoder::embedded().unwrap()
}

fn parse(text: &str) -> Vec<(String, Toponym)> {
    geo()
        .geoparse(text, &[], &[])
        .into_iter()
        .map(|t| (text[t.span.range()].to_string(), t))
        .collect()
}

fn find<'a>(v: &'a [(String, Toponym)], s: &str) -> &'a Toponym {
    &v.iter()
        .find(|(x, _)| x == s)
        .unwrap_or_else(|| {
            panic!(
                "{s} not found in {:?}",
                v.iter().map(|x| &x.0).collect::<Vec<_>>()
            )
        })
        .1
}

#[test]
fn places_the_border_story() {
    let text = "Syrian troops met Iraqi forces near the border on Sunday. Iraqi forces captured the al-Waleed crossing with Syria a day earlier, and the government in Baghdad welcomed it. Fighters moved northeast of Tanf. East of Syria, Deir el-Zour remained contested.";
    let v = parse(text);
    let syria = find(&v, "Syria");
    assert_eq!(syria.place.country_code.as_deref(), Some("SY"));
    assert_eq!(syria.place.precision, GeoPrecision::Country);
    let syrian = find(&v, "Syrian");
    assert!(syrian.place.demonym);
    assert_eq!(find(&v, "Iraqi").place.country_code.as_deref(), Some("IQ"));
    let b = find(&v, "Baghdad");
    assert_eq!(b.place.country_code.as_deref(), Some("IQ"));
    assert!((b.place.lat.unwrap() - 33.34).abs() < 0.5);
    let d = find(&v, "Deir el-Zour");
    assert_eq!(d.place.country_code.as_deref(), Some("SY"));
    assert!((d.place.lat.unwrap() - 35.33).abs() < 0.5, "{:?}", d.place);
    for name in ["al-Waleed", "Tanf"] {
        let t = find(&v, name);
        assert_eq!(
            t.place.precision,
            GeoPrecision::Unresolved,
            "{name}: {:?}",
            t.place
        );
        assert!(t.place.country_code.is_some(), "{name}: {:?}", t.place);
        assert!(t.place.geonameid.is_none());
    }
}

#[test]
fn unresolved_names_take_the_country_they_are_placed_in() {
    let text = "BAGHDAD (Wire) - Iraqi forces said on Sunday they had taken the al-Waleed border \
                crossing from Islamic State militants, days after U.S.-backed fighters moved north \
                from the Tanf garrison in Syria. The crossing sits on the old highway between \
                Baghdad and Damascus.";
    let v = parse(text);
    // "border" beside the name and two neighbouring countries in the sentence: a border.
    let w = find(&v, "al-Waleed");
    assert_eq!(w.place.precision, GeoPrecision::Unresolved, "{:?}", w.place);
    assert_eq!(w.place.inferred.as_deref(), Some("border of IQ and SY"));
    // "in Syria" names the place; "Iraqi" and "U.S.-backed" name actors.
    let t = find(&v, "Tanf");
    assert_eq!(t.place.precision, GeoPrecision::Unresolved, "{:?}", t.place);
    assert_eq!(t.place.country_code.as_deref(), Some("SY"), "{:?}", t.place);
    assert_eq!(
        t.place.inferred.as_deref(),
        Some("in SY (from the sentence)")
    );
    // A country after "by" names an actor, not where the name is.
    let v = parse(
        "Syrian troops advanced in Syria on Monday. Fighters from Syria met northeast of \
         Tanf, in an area held by militias sponsored by Iran.",
    );
    let t = find(&v, "Tanf");
    assert_eq!(t.place.country_code.as_deref(), Some("SY"), "{:?}", t.place);
    // A border is only ever between neighbours: Iraq and the United States share none.
    let v = parse("U.S. officials said Iraqi troops reached the Qutayba border post on Monday.");
    let q = find(&v, "Qutayba");
    assert!(
        q.place
            .inferred
            .as_deref()
            .is_none_or(|s| !s.starts_with("border")),
        "{:?}",
        q.place
    );
}

#[test]
fn people_and_organisations_are_not_places() {
    let v = parse("Mr. Jordan met George Washington at Boston University on Monday.");
    let names: Vec<&str> = v.iter().map(|x| x.0.as_str()).collect();
    assert!(!names.contains(&"Jordan"), "{names:?}");
    assert!(!names.contains(&"Washington"), "{names:?}");
    assert!(!names.contains(&"Boston"), "{names:?}");
}

#[test]
fn qualifiers_pick_the_right_town() {
    let v = parse("The fire started in Paris, Texas, late on Friday.");
    let p = find(&v, "Paris");
    assert_eq!(p.place.country_code.as_deref(), Some("US"), "{:?}", p.place);
    let v = parse("The mayor of Gainesville, Ga., said the road was closed.");
    let p = find(&v, "Gainesville");
    assert_eq!(p.place.admin1.as_deref(), Some("Georgia"), "{:?}", p.place);
}

#[test]
fn spans_are_valid_on_odd_input() {
    let g = geo();
    for text in [
        "",
        "é",
        "Ünïcödé Çity — in “Zaandam”",
        "in Baghdad",
        "al-",
        "AL-",
        "(((",
        "Baghdad,",
    ] {
        for t in g.geoparse(text, &[], &[]) {
            assert!(text.get(t.span.range()).is_some());
        }
    }
    // Skipped spans are not reported.
    let text = "In Baghdad. Send a comment from Paris.";
    let skip = [Span::new(12, text.len())];
    let v = g.geoparse(text, &[], &skip);
    assert_eq!(v.len(), 1);
}

#[test]
#[ignore]
fn debug_print() {
    let text = std::env::var("GEO_TEXT").unwrap_or_default();
    for (s, t) in parse(&text) {
        eprintln!(
            "{s:?} {:?} {:?} {:?} {:?} {:?}",
            t.place.name, t.place.country_code, t.place.feature_code, t.place.lat, t.place.inferred
        );
    }
}

/// "The city of X" asks for the populated place, "the province of X" for the unit, where a
/// city and its province share a name.
#[test]
fn the_words_before_of_choose_between_a_city_and_its_province() {
    for (unit, precision) in [
        ("port city", GeoPrecision::Point),
        ("province", GeoPrecision::Admin1),
    ] {
        let text = format!("Yemen's government agreed to a ceasefire in the {unit} of Hodeidah.");
        let v = parse(&text);
        let place = &find(&v, "Hodeidah").place;
        assert_eq!(place.precision, precision, "{text}: {place:?}");
    }
}

/// A bare name shared by a province and its capital is the city; a cue asks for the province.
#[test]
fn a_bare_name_shared_by_a_province_and_its_capital_is_the_city() {
    for (text, name, precision) in [
        (
            "Yemeni officials said shells hit a market in Hodeidah on Monday.",
            "Hodeidah",
            GeoPrecision::Point,
        ),
        (
            "Police dispersed a crowd in Basra on Friday.",
            "Basra",
            GeoPrecision::Point,
        ),
        (
            "Yemeni officials said fighting spread across Hodeidah province.",
            "Hodeidah",
            GeoPrecision::Admin1,
        ),
        (
            "Officials in Basra governorate said the road was shut.",
            "Basra",
            GeoPrecision::Admin1,
        ),
    ] {
        let v = parse(text);
        let place = &find(&v, name).place;
        assert_eq!(place.precision, precision, "{text}: {place:?}");
    }
}

/// A unit word finds the unit under a spelling the gazetteer has only for its capital: "Dayr
/// az Zawr" is an exact name of the city only, and a transliteration of the governorate's.
#[test]
fn a_unit_word_finds_the_unit_under_another_spelling() {
    let v = parse("Syrian troops shelled positions in Dayr az Zawr province on Monday.");
    let place = &find(&v, "Dayr az Zawr").place;
    assert_eq!(place.precision, GeoPrecision::Admin1, "{place:?}");
    let v = parse("Syrian troops shelled positions in Dayr az Zawr on Monday.");
    let place = &find(&v, "Dayr az Zawr").place;
    assert_eq!(place.precision, GeoPrecision::Point, "{place:?}");
}

/// A dateline is flagged as one; the places of the story are not.
#[test]
fn datelines_are_flagged() {
    let v = parse("MOGADISHU (Corvid) - A car bomb exploded outside a restaurant in Somalia.");
    assert!(find(&v, "MOGADISHU").dateline);
    assert!(!find(&v, "Somalia").dateline);
}

/// Groups, religions, peoples, weapons and broadcasters are not places, whatever towns share
/// their names, and none of their words is matched alone.
#[test]
fn groups_religions_weapons_and_broadcasters_are_not_places() {
    let text = "Taliban fighters and Shi'ite militiamen threw a Molotov cocktail at an Arab \
                family, Kurdistan 24 reported. The Rapid Support Forces and the Party of God \
                denied it in Kabul.";
    let v = parse(text);
    let names: Vec<&str> = v.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(names, ["Kabul"], "{v:#?}");
}

/// A province word asks for the province even when the bare name is also a village elsewhere.
#[test]
fn a_province_word_finds_the_province_not_a_namesake_village() {
    let v = parse("Gunmen attacked a convoy in Anbar province on Monday.");
    let place = &find(&v, "Anbar").place;
    assert_eq!(place.country_code.as_deref(), Some("IQ"), "{place:?}");
    assert_eq!(place.precision, GeoPrecision::Admin1, "{place:?}");
}

/// A bare name whose exact matches are only villages abroad is the province of the story's
/// country that it spells another way.
#[test]
fn a_bare_province_name_in_its_story_is_the_province() {
    let v = parse("Iraqi troops fought militants in Anbar on Monday, the army in Iraq said.");
    let place = &find(&v, "Anbar").place;
    assert_eq!(place.country_code.as_deref(), Some("IQ"), "{place:?}");
}

fn surfaces(text: &str) -> Vec<String> {
    parse(text).into_iter().map(|(s, _)| s).collect()
}

#[test]
fn pn10_a_word_after_a_given_name_is_a_surname() {
    let v = surfaces("Andrew Trapani opened a bakery in Denver last spring.");
    assert!(!v.iter().any(|s| s == "Trapani"), "{v:?}");
    assert!(v.iter().any(|s| s == "Denver"), "{v:?}");
    // a country's name too ("Andrew Jordan"), where a given name stands before it
    let v = surfaces("His teammate Andrew Jordan won the race in Jordan.");
    assert_eq!(v.iter().filter(|s| *s == "Jordan").count(), 1, "{v:?}");
}

#[test]
fn pn60_according_to_names_a_source() {
    let v = surfaces("The fine was paid in Dallas, according to Taylor.");
    assert!(!v.iter().any(|s| s == "Taylor"), "{v:?}");
    assert!(v.iter().any(|s| s == "Dallas"), "{v:?}");
}

#[test]
fn pn15_a_given_name_alone_is_a_person() {
    let v = surfaces("The budget is tight, said Mary Wheeler, who teaches in Ohio.");
    assert!(!v.iter().any(|s| s == "Mary" || s == "Wheeler"), "{v:?}");
    assert!(v.iter().any(|s| s == "Ohio"), "{v:?}");
}

#[test]
fn pn20_a_surname_after_an_initial_is_a_person() {
    let v = surfaces("Police in Memphis arrested Sheila D. Williams on Friday.");
    assert!(!v.iter().any(|s| s == "Williams"), "{v:?}");
    // "U.S." initials are no person's
    let v = surfaces("The U.S. Marines landed in Okinawa.");
    assert!(v.iter().any(|s| s == "Okinawa"), "{v:?}");
    // compass initials are a part of town
    let v = surfaces("A fire damaged an apartment in S.E. Portland on Friday.");
    assert!(v.iter().any(|s| s == "Portland"), "{v:?}");
}

#[test]
fn pn30_a_word_after_a_particle_is_a_surname() {
    let v = surfaces("The race in Dubai was won by a horse trained by Mike de Kock.");
    assert!(!v.iter().any(|s| s == "Kock"), "{v:?}");
    assert!(v.iter().any(|s| s == "Dubai"), "{v:?}");
}

#[test]
fn pn40_the_second_half_of_a_hyphenated_name_is_no_place() {
    let v = surfaces("Congressman Lincoln Diaz-Balart spoke in Miami on Monday.");
    assert!(!v.iter().any(|s| s == "Balart"), "{v:?}");
    assert!(v.iter().any(|s| s == "Miami"), "{v:?}");
    // a party initial or a place before the hyphen
    let v = surfaces("Rep. Jane Doe, D-Charleston, spoke in Logan-Rogersville on Monday.");
    assert!(v.iter().any(|s| s == "Charleston"), "{v:?}");
    assert!(v.iter().any(|s| s == "Rogersville"), "{v:?}");
}

#[test]
fn pn50_a_person_named_anywhere_shadows_the_bare_name() {
    // the bare surname comes first, the full name later
    let v = surfaces(
        "Welch was charged on Monday. Prosecutors say Kevin Welch drove from Kansas City.",
    );
    assert!(!v.iter().any(|s| s == "Welch"), "{v:?}");
    assert!(v.iter().any(|s| s == "Kansas City"), "{v:?}");
}

#[test]
fn org10_a_portfolio_after_of_is_no_place() {
    let v = surfaces("The Ministry of Commerce in Beijing replied to the tariffs.");
    assert!(!v.iter().any(|s| s == "Commerce"), "{v:?}");
    assert!(v.iter().any(|s| s == "Beijing"), "{v:?}");
}

#[test]
fn dm10_plural_demonyms_are_people_not_places() {
    let v = parse("Many Mexicans voted, and Mexican officials counted the ballots.");
    assert!(!v.iter().any(|(s, _)| s == "Mexicans"), "{v:?}");
    let mexican = find(&v, "Mexican");
    assert!(mexican.place.demonym);
}

#[test]
fn wc10_a_bracketed_credit_before_a_dash_is_no_place() {
    let v = surfaces("JACKSON, Miss. (Meridian) - Storms hit Hattiesburg on Sunday.");
    assert!(!v.iter().any(|s| s == "Meridian"), "{v:?}");
    assert!(v.iter().any(|s| s == "Hattiesburg"), "{v:?}");
    // a bracketed place in running text stays
    let v = surfaces("The storm reached a town (Meridian) later that day.");
    assert!(v.iter().any(|s| s == "Meridian"), "{v:?}");
}

#[test]
fn ds10_a_name_before_a_disease_word_is_the_disease() {
    let v = surfaces("Marburg virus was found in bats near Kampala.");
    assert!(!v.iter().any(|s| s == "Marburg"), "{v:?}");
    assert!(v.iter().any(|s| s == "Kampala"), "{v:?}");
}

#[test]
fn lc10_a_capitalised_preposition_opening_a_sentence_is_no_part_of_the_name() {
    let v =
        parse("Near Ar Raqqah, two strikes hit a depot. Outside Raqqah, one strike hit a truck.");
    assert_eq!(
        find(&v, "Ar Raqqah").place.country_code.as_deref(),
        Some("SY")
    );
    assert_eq!(find(&v, "Raqqah").place.country_code.as_deref(), Some("SY"));
}

#[test]
fn st10_a_place_name_inside_a_street_name_is_the_street() {
    let v = geo().geoparse_explained(
        "A car bomb went off on Haifa Street in Baghdad. She lives on Dublin Road.",
        &[],
        &[],
    );
    let text = "A car bomb went off on Haifa Street in Baghdad. She lives on Dublin Road.";
    let names: Vec<&str> = v.0.iter().map(|t| &text[t.span.range()]).collect();
    assert!(names.contains(&"Baghdad"), "{names:?}");
    assert!(!names.contains(&"Haifa"), "{names:?}");
    assert!(!names.contains(&"Dublin"), "{names:?}");
    assert!(
        v.1.iter()
            .any(|d| &text[d.span.range()] == "Haifa" && d.rule == "ST10-street-name"),
        "{:?}",
        v.1
    );
    // a county's numbered road still names the county; "St. Louis" is no street
    let v = surfaces("The crash closed Douglas County Road 4 on Friday.");
    assert!(v.iter().any(|s| s == "Douglas County"), "{v:?}");
    let v = surfaces("The team flew to St. Louis on Friday.");
    assert!(v.iter().any(|s| s.contains("Louis")), "{v:?}");
}

#[test]
fn an10_a_short_name_prefers_the_place_that_bears_it_as_its_own() {
    // "Gao" is also an alternate name (an airport code) of Guantánamo
    let v = parse("Gunmen attacked an army post in Gao on Tuesday.");
    let gao = find(&v, "Gao");
    assert_eq!(
        gao.place.country_code.as_deref(),
        Some("ML"),
        "{:?}",
        gao.place
    );
}

#[test]
fn an20_a_bare_word_that_is_only_an_alternate_name_of_a_hamlet_is_dropped() {
    // "Sixteen" is only an alternate name of small places
    let text = "Sixteen days later the council voted again in Springfield, Illinois.";
    let (tops, drops) = geo().geoparse_explained(text, &[], &[]);
    let names: Vec<&str> = tops.iter().map(|t| &text[t.span.range()]).collect();
    assert!(!names.contains(&"Sixteen"), "{names:?}");
    assert!(names.contains(&"Springfield"), "{names:?}");
    assert!(drops.iter().all(|d| !d.rule.is_empty()));
}

#[test]
fn dropped_names_carry_the_rule_that_dropped_them() {
    let text = "Mr. Jordan said the talks in Amman went well.";
    let (tops, drops) = geo().geoparse_explained(text, &[], &[]);
    assert!(tops.iter().any(|t| &text[t.span.range()] == "Amman"));
    let jordan = drops
        .iter()
        .find(|d| &text[d.span.range()] == "Jordan")
        .unwrap_or_else(|| panic!("{drops:?}"));
    assert_eq!(jordan.rule, "PN05-title");
}

#[test]
fn ar10_a_lowercase_english_at_or_as_is_no_arabic_article() {
    let v = surfaces("She was treated at Mercy Hospital, and later worked at Cross Lanes.");
    assert!(!v.iter().any(|s| s.starts_with("at ")), "{v:?}");
    let v = surfaces("Stars such as Kylie came to the show in Leeds.");
    assert!(!v.iter().any(|s| s.starts_with("as ")), "{v:?}");
    // the hyphenated article stays part of the name
    let v = surfaces("Fighting went on in as-Sukhnah on Monday.");
    assert!(v.iter().any(|s| s == "as-Sukhnah"), "{v:?}");
}

#[test]
fn cc10_a_three_letter_iso_code_in_running_text_is_an_acronym() {
    let v = surfaces("Officials from PAN and CAF met in Lagos, and USA Today reported it.");
    assert!(!v.iter().any(|s| s == "PAN" || s == "CAF"), "{v:?}");
    assert!(v.iter().any(|s| s == "Lagos"), "{v:?}");
    let v = surfaces("Troops from the UAE arrived in Aden.");
    assert!(v.iter().any(|s| s == "UAE"), "{v:?}");
}

#[test]
fn nu10_a_bare_word_before_a_number_is_a_unit_or_a_route() {
    let v = surfaces("The drive includes Pack 136 and collected food in Norfolk, Nebraska.");
    assert!(!v.iter().any(|s| s == "Pack"), "{v:?}");
    assert!(v.iter().any(|s| s == "Norfolk"), "{v:?}");
    // a cue keeps it: "in Mosul 2" is no unit
    let v = surfaces("Fighting went on in Mosul 2 days later.");
    assert!(v.iter().any(|s| s == "Mosul"), "{v:?}");
}

#[test]
fn pn05_plural_title_abbreviations_are_titles() {
    let v = surfaces("U.S. Sens. Mary Byrd and Jay Dover wrote to Charleston officials.");
    assert!(!v.iter().any(|s| s == "Sens"), "{v:?}");
}

#[test]
fn ar20_an_arabic_compound_name_is_never_split_before_lookup() {
    // the gazetteer lacks the crossing's name: it is one unresolved place, never the town
    // named by its first word
    let v = surfaces("Trucks waited at the Bab al-Hawa crossing for two days.");
    assert!(v.iter().any(|s| s == "Bab al-Hawa"), "{v:?}");
    assert!(!v.iter().any(|s| s == "Bab" || s == "al-Hawa"), "{v:?}");
    // a compound the gazetteer has is found whole
    let v = surfaces("Shells fell on Tal Abyad and on Deir ez-Zor overnight.");
    assert!(v.iter().any(|s| s == "Tal Abyad"), "{v:?}");
    assert!(v.iter().any(|s| s == "Deir ez-Zor"), "{v:?}");
    // a compound starting a person's name, without a cue, is set aside whole
    let text = "Abu Karim al-Masri spoke to the crowd in Amman.";
    let (tops, drops) = geo().geoparse_explained(text, &[], &[]);
    let v: Vec<&str> = tops.iter().map(|t| &text[t.span.range()]).collect();
    assert!(
        !v.iter().any(|s| s.contains("Abu") || s.contains("Karim")),
        "{v:?}"
    );
    assert!(v.contains(&"Amman"), "{v:?}");
    assert!(
        drops.iter().any(|d| d.rule == "AR20-arabic-compound"),
        "{drops:?}"
    );
}

#[test]
fn tr20_a_strongly_cued_name_is_looked_up_by_transliteration_too() {
    let v = parse("Gunmen attacked the town of Jabla in the province of Latakia on Sunday.");
    let place = &find(&v, "Jabla").place;
    assert_eq!(place.country_code.as_deref(), Some("SY"), "{place:?}");
    assert_eq!(place.precision, GeoPrecision::Point, "{place:?}");
}

#[test]
fn un20_an_unknown_name_lies_in_the_country_of_the_place_it_is_placed_in() {
    let text = "The United States condemns the raid on the village of Qurbatkhor in the \
                province of Latakia.";
    let v = parse(text);
    let place = &find(&v, "Qurbatkhor").place;
    assert_eq!(place.country_code.as_deref(), Some("SY"), "{place:?}");
}

#[test]
fn pn52_a_named_person_stays_a_person_after_a_weak_cue() {
    // Dayton is a person (a title and a given name before it); "to Dayton's family" and
    // "from Dayton" are that person, while "in Dayton" and "Dayton, Ohio" stay places.
    let text = "Sgt. Mark Dayton was hurt on patrol. The mayor sent a letter to Dayton's family \
                on Friday. Neighbours collected money from Dayton and his brother.";
    let v = parse(text);
    assert!(v.iter().all(|(s, _)| s != "Dayton"), "{v:?}");
    let (_, drops) = geo().geoparse_explained(text, &[], &[]);
    assert!(
        drops.iter().any(|d| d.rule == "PN52-person-after-weak-cue"),
        "{drops:?}"
    );
    let text = "Sgt. Mark Dayton was hurt on patrol. He grew up in Dayton before he enlisted.";
    let v = parse(text);
    assert!(v.iter().any(|(s, _)| s == "Dayton"), "{v:?}");
    let text = "Sgt. Mark Dayton was hurt on patrol. Friends from Dayton, Ohio, came to visit.";
    let v = parse(text);
    assert!(v.iter().any(|(s, _)| s == "Dayton"), "{v:?}");
    // a noun the name modifies: the town's authority, not the person's
    let text = "Sgt. Mark Dayton was hurt on patrol. The state sent funds to Dayton \
                redevelopment authority.";
    let v = parse(text);
    assert!(v.iter().any(|(s, _)| s == "Dayton"), "{v:?}");
}

#[test]
fn pn52_a_speaker_is_a_person_in_the_whole_document() {
    // "Welch said" makes Welch a person; the headline's uncued mention follows. A large town
    // that speaks ("Moscow said") is not made a person.
    let text = "Welch wins the county race. The count ended late on Tuesday, Welch said.";
    let v = parse(text);
    assert!(v.iter().all(|(s, _)| s != "Welch"), "{v:?}");
    let text = "Moscow said the talks would go on. Moscow has sent envoys to the region.";
    let v = parse(text);
    assert!(v.iter().any(|(s, _)| s == "Moscow"), "{v:?}");
}

#[test]
fn an30_an_alternate_name_abroad_is_a_place_the_gazetteer_lacks() {
    // "Manda" is only an alternate name of Handa, Japan; the story is about Kenya
    let text =
        "Militants attacked a base at Manda Bay in Kenya on Sunday, officials in Nairobi said.";
    let v = parse(text);
    let m = find(&v, "Manda");
    assert_ne!(m.place.country_code.as_deref(), Some("JP"), "{:?}", m.place);
}

#[test]
fn op10_the_name_of_an_operation_is_no_place() {
    let text = "The army launched Operation Olive Branch in January against fighters near Afrin.";
    let (tops, drops) = geo().geoparse_explained(text, &[], &[]);
    assert!(
        tops.iter()
            .all(|t| !text[t.span.range()].contains("Branch")),
        "{tops:?}"
    );
    assert!(
        drops.iter().any(|d| d.rule == "OP10-operation-name"),
        "{drops:?}"
    );
    assert!(tops.iter().any(|t| &text[t.span.range()] == "Afrin"));
}

#[test]
fn un30_the_region_of_a_seat_is_its_province() {
    // the gazetteer knows the oblast only as "Kharkivska oblast"
    let text = "Heavy fighting went on in the Kharkiv region on Monday; Kharkiv itself was calm.";
    let v = parse(text);
    let region = &v[0].1;
    assert_eq!(v[0].0, "Kharkiv");
    assert_eq!(
        region.place.precision,
        GeoPrecision::Admin1,
        "{:?}",
        region.place
    );
    assert_eq!(region.place.country_code.as_deref(), Some("UA"));
    let city = &v[1].1;
    assert_eq!(
        city.place.precision,
        GeoPrecision::Point,
        "{:?}",
        city.place
    );
    // a province named otherwise is not the city's "region"
    let v = parse("Troops fought in the Mosul region on Monday.");
    assert_eq!(find(&v, "Mosul").place.precision, GeoPrecision::Point);
}

#[test]
fn un30_a_unit_named_after_its_seat_with_another_ending_is_its_province() {
    // "Zaporizka oblast" and "Sumska oblast" begin like their seats but do not go on alike
    for (text, name, cc) in [
        (
            "Drones struck the Zaporizhzhia region overnight.",
            "Zaporizhzhia",
            "UA",
        ),
        (
            "Shells fell across the Sumy region on Friday.",
            "Sumy",
            "UA",
        ),
    ] {
        let v = parse(text);
        let p = &find(&v, name).place;
        assert_eq!(p.precision, GeoPrecision::Admin1, "{text}: {p:?}");
        assert_eq!(p.country_code.as_deref(), Some(cc), "{text}: {p:?}");
    }
}

#[test]
fn un31_a_seat_matched_exactly_beats_a_unit_matched_by_spelling() {
    // "Odesa" is a transliteration of Odisha, India, a first-level unit: the seat Odesa,
    // matched exactly, names its own oblast
    let v = parse("Missiles hit a warehouse in the Odesa region on Tuesday.");
    let p = &find(&v, "Odesa").place;
    assert_eq!(p.country_code.as_deref(), Some("UA"), "{p:?}");
    assert_eq!(p.precision, GeoPrecision::Admin1, "{p:?}");
}

#[test]
fn an30_a_village_cue_does_not_keep_a_namesake_abroad() {
    // "Azizi" is only an alternate name of a Greek hamlet; the story is in Afghanistan
    let v = parse(
        "Bombs hit the village of Azizi in Kandahar province on Monday. Kandahar officials \
         said the Afghan army had left.",
    );
    let p = &find(&v, "Azizi").place;
    assert_ne!(p.country_code.as_deref(), Some("GR"), "{p:?}");
}

#[test]
fn tr30_a_country_is_no_spelling_of_a_village() {
    let v = parse("Rebels raided Mayele and two other villages near Beni in Congo on Friday.");
    assert!(
        v.iter()
            .all(|(x, t)| x != "Mayele" || t.place.precision != GeoPrecision::Country),
        "{v:?}"
    );
    // a close misspelling and a name behind an article still name the country
    let v = parse("Officials in Mauritious confirmed the first case on Friday.");
    assert_eq!(
        find(&v, "Mauritious").place.country_code.as_deref(),
        Some("MU")
    );
}

#[test]
fn vh10_a_model_year_and_a_make_is_a_vehicle() {
    let text = "Police said he was driving a 1998 Lincoln Town Car when it left the road near \
                Tulsa. The 2015 Paris attacks were recalled at the vigil.";
    let (tops, drops) = geo().geoparse_explained(text, &[], &[]);
    let names: Vec<&str> = tops.iter().map(|t| &text[t.span.range()]).collect();
    assert!(!names.contains(&"Lincoln"), "{names:?}");
    assert!(names.contains(&"Tulsa"), "{names:?}");
    assert!(names.contains(&"Paris"), "{names:?}");
    assert!(
        drops.iter().any(|d| d.rule == "VH10-vehicle-make"),
        "{drops:?}"
    );
}
