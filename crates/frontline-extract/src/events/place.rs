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
    let mut location = clause_place(x, rules).or_else(|| {
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
    Some(EventLocation {
        place: p.place.clone(),
        span: t.span(p.start, p.end),
        mention: p.mention,
        relation: c.relation,
    })
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
