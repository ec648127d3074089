//! Stage 4 of coding a trigger: **place** within the sentence. The toponym the clause
//! attaches to ([`super::location::pick`], anchored by [`super::location::anchored`]: `LO10`
//! to `LO60`), else "at/along the border" named by the countries of the actors and places
//! (`LO40`); an unresolved place with no country takes the country of the non-state armed
//! group acting there (`LO70`). Events the sentence does not place are placed from the
//! document after every sentence is coded ([`super::location::fill_from_document`]).

use frontline_model::{
    ActorType, EventActor, EventLocation, GeoPrecision, PlaceRef, PloverType, Span,
};

use crate::actors::ActorDictionary;
use crate::lex::Tokens;

use super::PlaceHit;
use super::lexicon::{TriggerHit, TriggerRule};

/// What the place stage reads about the trigger.
pub(super) struct PlaceInput<'x, 'a> {
    pub t: &'x Tokens<'a>,
    pub places: &'x [PlaceHit],
    pub h: &'x TriggerHit,
    pub rule: &'x TriggerRule,
    pub ptype: PloverType,
    pub clause: (usize, usize),
    /// Token ranges of the sentence's candidate actors (a place inside one is not taken).
    pub exclude: &'x [(usize, usize)],
    pub sources: &'x [EventActor],
    pub targets: &'x [EventActor],
}

/// The event's place in its sentence, pushing the ids of the rules that fired.
pub(super) fn locate(
    dict: &ActorDictionary,
    x: &PlaceInput<'_, '_>,
    rules: &mut Vec<String>,
) -> Option<EventLocation> {
    if x.places.iter().any(|p| {
        p.start >= x.clause.0
            && p.end <= x.clause.1
            && super::location::affiliation(x.t, x.places, p)
    }) {
        rules.push("LO63-affiliation-place".into());
    }
    let mut location = clause_place(x, rules).or_else(|| {
        if let Some(l) = side_of_border(x) {
            rules.push("LO45-side-of-border".into());
            return Some(l);
        }
        let l = border(dict, x)?;
        rules.push("LO40-border".into());
        Some(l)
    });
    if let Some(l) = &mut location
        && armed_group_country(dict, l, x.sources)
    {
        rules.push("LO70-armed-group-country".into());
    }
    location
}

/// The toponym the clause attaches to (`LO10`–`LO60`, `LO15`).
fn clause_place(x: &PlaceInput<'_, '_>, rules: &mut Vec<String>) -> Option<EventLocation> {
    let t = x.t;
    let c = super::location::pick(
        t,
        x.places,
        (x.h.start, x.h.end),
        x.clause,
        x.rule.territory,
        x.ptype == PloverType::Retreat,
        x.exclude,
    )
    .map(|c| super::location::anchored(t, x.places, c, x.exclude))?;
    let p = x.places.get(c.place)?;
    rules.push(c.rule.to_string());
    let mut relation = c.relation;
    if let Some(word) = facility_after(t, p) {
        rules.push("LO66-facility-near-town".into());
        relation = format!("near ({word})");
    }
    Some(EventLocation {
        place: p.place.clone(),
        span: t.span(p.start, p.end),
        mention: p.mention,
        relation,
    })
}

/// Facilities named after the town they serve, which stand outside it ("Beirut airport", "the
/// Rafah crossing", "the Zamzam camp", "the Mosul dam"). A checkpoint, a port or a prison named
/// after a town is most often in it ("a checkpoint at the entrance of Beledweyne"): the town.
const FACILITY_WORDS: &[&str] = &[
    "airport", "airbase", "crossing", "camp", "base", "dam", "refinery",
];

/// `LO66-facility-near-town`: an event at a facility named after a town ("the Beirut airport
/// highway", "the Rafah crossing") happened near the town, not in it: ACLED geo precision 2.
/// Only a town takes it (a gazetteer facility or a unit keeps its own precision), and only a
/// facility word right after the name (possibly after "border": "the Tanf border crossing").
fn facility_after(t: &Tokens<'_>, p: &PlaceHit) -> Option<&'static str> {
    if p.place.precision != GeoPrecision::Point || p.place.feature_class.as_deref() != Some("P") {
        return None;
    }
    let mut k = p.end;
    if k < t.len() && t.low(k) == "border" {
        k += 1;
    }
    if k >= t.len() {
        return None;
    }
    let w = t.low(k);
    FACILITY_WORDS
        .iter()
        .copied()
        .find(|f| *f == w || w.strip_suffix('s') == Some(f))
}

/// `LO40-border`: "at/along the border" without a toponym, named by the first two countries
/// of the actors and of the country places in the sentence.
fn border(dict: &ActorDictionary, x: &PlaceInput<'_, '_>) -> Option<EventLocation> {
    let (a, b, rel) = super::location::border_phrase(x.t, x.clause)?;
    let mut countries: Vec<String> = Vec::new();
    for a in x.sources.iter().chain(x.targets) {
        if let Some(c) = &a.actor.country
            && !countries.contains(c)
        {
            countries.push(c.clone());
        }
    }
    for p in x.places {
        if p.place.precision == GeoPrecision::Country
            && let Some(cc) = &p.place.country_code
            && let Some(c) = dict.iso3_of_iso2(cc)
            && !countries.contains(&c)
        {
            countries.push(c);
        }
    }
    let names: Vec<String> = countries
        .iter()
        .take(2)
        .map(|c| {
            dict.country(c)
                .map_or_else(|| c.clone(), |x| x.name.clone())
        })
        .collect();
    let mut place = PlaceRef::unresolved(&if names.len() == 2 {
        format!("{}–{} border", names[0], names[1])
    } else {
        "border".to_string()
    });
    place.precision = GeoPrecision::Region;
    place.inferred = Some(if countries.len() >= 2 {
        format!("border of {} and {}", countries[0], countries[1])
    } else {
        "a border area".into()
    });
    let span: Span = x.t.span(a, b);
    Some(EventLocation {
        place,
        span,
        mention: None,
        relation: rel,
    })
}

/// `LO45-side-of-border`: "on the Syrian side of the border" puts the event in the border area
/// of the country the demonym names, not on the border of any two countries of the sentence.
fn side_of_border(x: &PlaceInput<'_, '_>) -> Option<EventLocation> {
    let t = x.t;
    let (a, b) = x.clause;
    x.places.iter().find_map(|p| {
        if !p.place.demonym || p.start < a || p.end + 3 > b.min(t.len()) {
            return None;
        }
        let mut k = p.end;
        if t.low(k) != "side" || t.low(k + 1) != "of" {
            return None;
        }
        k += 2;
        if t.low(k) == "the" {
            k += 1;
        }
        if k >= b.min(t.len()) || !matches!(t.low(k), "border" | "frontier") {
            return None;
        }
        let cc = p.place.country_code.clone()?;
        let mut place = PlaceRef::unresolved(&format!("{} side of the border", t.raw(p.start)));
        place.precision = GeoPrecision::Region;
        place.inferred = Some(format!("in {cc} (its side of the border)"));
        place.country_code = Some(cc);
        Some(EventLocation {
            place,
            span: t.span(p.start, k + 1),
            mention: None,
            relation: "on the side of the border".into(),
        })
    })
}

/// `LO70-armed-group-country`: a place the gazetteer lacks, in a document that names no
/// country for it, is in the country of the armed group that acted there: rebels and militias
/// fight at home (a state's forces, and the armed groups a state sends abroad as its proxies,
/// such as Wagner, often do not, so theirs is not used). Returns whether it applied.
fn armed_group_country(
    dict: &ActorDictionary,
    l: &mut EventLocation,
    sources: &[EventActor],
) -> bool {
    if l.place.precision != GeoPrecision::Unresolved || l.place.country_code.is_some() {
        return false;
    }
    let Some((country, name)) = sources.iter().find_map(|a| {
        let iso3 = a.actor.country.as_deref()?;
        let at_home = matches!(a.actor.actor_type, ActorType::Rebel | ActorType::Militia)
            && !a.actor.affiliations.iter().any(|f| f.starts_with(iso3));
        let c = dict.country(iso3)?;
        at_home.then(|| (c.iso2.clone(), a.actor.name.clone()))
    }) else {
        return false;
    };
    l.place.inferred = Some(format!("in {country} (where {name} operates)"));
    l.place.country_code = Some(country);
    true
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
    use crate::pipeline::Pipeline;
    use frontline_model::DocumentMeta;
    use std::sync::OnceLock;

    fn pipeline() -> &'static Pipeline {
        static P: OnceLock<Pipeline> = OnceLock::new();
        P.get_or_init(|| Pipeline::new(frontline_geocode::Geocoder::embedded().unwrap()).unwrap())
    }

    fn located(text: &str) -> (String, String, u8) {
        let ex = pipeline().extract(DocumentMeta::default(), text);
        let e = ex
            .events
            .iter()
            .find(|e| e.location.is_some())
            .unwrap_or_else(|| panic!("no located event in {:#?}", ex.events));
        let l = e.location.as_ref().unwrap();
        (
            l.place.name.clone(),
            l.relation.clone(),
            l.acled_precision(),
        )
    }

    #[test]
    fn lo45_the_side_of_the_border_is_in_the_country_the_demonym_names() {
        let ex = pipeline().extract(
            DocumentMeta::default(),
            "Turkish troops shelled positions on the Syrian side of the border, killing three \
             fighters.",
        );
        let l = ex
            .events
            .iter()
            .find_map(|e| e.location.as_ref())
            .unwrap_or_else(|| panic!("no located event in {:#?}", ex.events));
        assert_eq!(l.place.country_code.as_deref(), Some("SY"), "{l:?}");
        assert_eq!(l.acled_precision(), 2, "{l:?}");
    }

    #[test]
    fn lo66_an_event_at_a_facility_named_after_a_town_is_near_the_town() {
        let (name, relation, precision) =
            located("Rebels shelled the Aden airport on Monday, killing two guards.");
        assert_eq!(name, "Aden");
        assert_eq!(relation, "near (airport)");
        assert_eq!(precision, 2);
        // a checkpoint named after the town stands in it
        let (_, _, precision) =
            located("Rebels shelled the Aden checkpoint on Monday, killing two guards.");
        assert_eq!(precision, 1);
        // the town itself keeps precision 1
        let (name, _, precision) =
            located("Rebels shelled a market in Aden on Monday, killing two guards.");
        assert_eq!(name, "Aden");
        assert_eq!(precision, 1);
    }

    #[test]
    fn lo21_describing_words_before_a_unit_noun_keep_the_cue() {
        // an adjective run after an article, and a possessor, stand between "in" and the place
        for (text, town) in [
            (
                "Militants attacked an army post in the remote northern town of Garowe on Sunday.",
                "Garo",
            ),
            (
                "Rebels shelled a market in Yemen's southern governorate of Lahij on Sunday.",
                "Lahij",
            ),
            (
                "A roadside bomb killed two farmers in the villages of Khalis on Sunday.",
                "Kh",
            ),
        ] {
            let (name, relation, _) = located(text);
            assert!(name.contains(town), "{text}: {name}");
            assert_eq!(relation, "in", "{text}");
        }
    }

    #[test]
    fn lo67_a_town_named_with_a_district_word_is_its_district() {
        let (name, relation, precision) =
            located("Gunmen killed five farmers in the Bannu district on Sunday.");
        assert_eq!(name, "Bannu");
        assert_eq!(relation, "in the district of");
        assert_eq!(precision, 2);
        // the town itself stays precision 1
        let (_, _, precision) = located("Gunmen killed five farmers in Bannu on Sunday.");
        assert_eq!(precision, 1);
    }

    #[test]
    fn lo76_a_name_the_gazetteer_lacks_is_in_the_district_its_sentence_names() {
        let ex = pipeline().extract(
            DocumentMeta::default(),
            "Gunmen raided the Zarghunkot Baba village of Bannu district on Sunday, killing five \
             farmers.",
        );
        let e = ex
            .events
            .iter()
            .find(|e| e.rules.iter().any(|r| r == "LO76-unresolved-in-district"))
            .unwrap_or_else(|| panic!("no LO76 in {:#?}", ex.events));
        let l = e.location.as_ref().unwrap();
        assert_eq!(l.place.name, "Bannu");
        assert_eq!(l.acled_precision(), 2);
    }

    #[test]
    fn lo68_an_attack_on_a_town_is_at_the_town() {
        let ex = pipeline().extract(
            DocumentMeta::default(),
            "Militants launched an attack on Kismayo on Monday, killing four soldiers.",
        );
        let e = ex
            .events
            .iter()
            .find(|e| e.rules.iter().any(|r| r == "LO68-on-is-at"))
            .unwrap_or_else(|| panic!("no LO68 in {:#?}", ex.events));
        let l = e.location.as_ref().unwrap();
        assert_eq!(l.relation, "at");
        assert_eq!(l.acled_precision(), 1);
    }

    #[test]
    fn lo55_an_event_after_where_is_at_the_place_where_refers_to() {
        let ex = pipeline().extract(
            DocumentMeta::default(),
            "Officials visited the cities of Homs and Aleppo, where gunmen killed four farmers on \
             Sunday.",
        );
        let e = ex
            .events
            .iter()
            .find(|e| e.rules.iter().any(|r| r == "LO55-where-antecedent"))
            .unwrap_or_else(|| panic!("no LO55 in {:#?}", ex.events));
        let l = e.location.as_ref().unwrap();
        assert!(l.place.name.contains("Aleppo"), "{l:?}");
    }

    #[test]
    fn lo62_a_capital_that_speaks_is_no_place_of_the_event() {
        let ex = pipeline().extract(
            DocumentMeta::default(),
            "Fighting went on in the Donetsk region on Monday. The villages were abandoned \
             and Kyiv said the rebels shelled them overnight.",
        );
        for e in &ex.events {
            if let Some(l) = &e.location {
                assert_ne!(l.place.feature_code.as_deref(), Some("PPLC"), "{e:#?}");
            }
        }
    }

    #[test]
    fn lo63_a_hometown_or_a_seat_is_no_place_of_the_event() {
        // the hometown set off by a comma, and its state, are where the victim is from
        let ex = pipeline().extract(
            DocumentMeta::default(),
            "Gunmen shot dead Omar Haddad, 41, of Tulsa, Oklahoma, on Tuesday.",
        );
        assert!(
            ex.events.iter().all(|e| e.location.is_none()),
            "{:#?}",
            ex.events
        );
        // the seat of the one who speaks, and a person's home after "from"
        for text in [
            "A car bomb wounded two guards on Monday, said a spokesman based in Amman.",
            "A mine killed a farmer from Kirkuk on Sunday.",
        ] {
            let ex = pipeline().extract(DocumentMeta::default(), text);
            assert!(
                ex.events.iter().all(|e| e.location.is_none()),
                "{text}: {:#?}",
                ex.events
            );
        }
        // the place of the act itself stays
        let (name, _, _) = located("A mine killed a farmer from Kirkuk in Hawija on Sunday.");
        assert!(name.contains("Hawija"), "{name}");
    }
}
