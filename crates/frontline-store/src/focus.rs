//! What fusion reads from a report's whole document before it matches the report: the
//! document's focus (FU10: a place in a stray country is a misread), whether its place is only
//! the dateline's (FU12: read in the dateline's country) and whether the report tells its event
//! as background (FU20).
//!
//! Both rules change only what fusion sees of a report (its [`crate::fusion::Member`] and
//! match key); the stored event keeps what the coder wrote.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use frontline_model::{Event, EventLocation, Extraction, GeoPrecision, MentionData, PlaceRef};

/// Rule id of the stray-country rule.
pub const STRAY_COUNTRY_RULE: &str = "FU10-stray-country";
/// Rule id of the lone-country rule: a place in a country the document names nowhere else
/// (FU13).
pub const LONE_COUNTRY_RULE: &str = "FU13-lone-country";
/// Rule id of standing in the scene's dateline town for a misread place (FU14).
pub const SCENE_DATELINE_RULE: &str = "FU14-scene-dateline";
/// Rule id of reading a report placed only by its dateline in the dateline's country (FU12).
pub const DATELINE_RULE: &str = "FU12-dateline-country";
/// The coder's rule id for an event placed at its document's dateline because its clause,
/// sentence and storyline name no place (`LO85-dateline` in `frontline-extract`).
pub const CODER_DATELINE_RULE: &str = "LO85-dateline";
/// The coder's rule id for an event placed where its document's storyline last was
/// (`LO80-storyline`); at a place a dateline-placed report has, it carries the dateline on.
pub const CODER_STORYLINE_RULE: &str = "LO80-storyline";
/// Rule id of the background rule.
pub const BACKGROUND_RULE: &str = "FU20-background";

/// The relation of a place put in for a misread one: the event is read as told at the
/// document's focus.
pub const STAND_IN_RELATION: &str = "document focus";

/// Fewest place mentions with a country a document needs for a focus country.
const MIN_PLACE_MENTIONS: usize = 3;
/// Fewest mentions of one town or district for it to stand for the document's place.
const MIN_FOCUS_PLACE_MENTIONS: usize = 2;
/// Days before its document's publication after which an event is told as background (a past
/// event retold as context); a toll update a few days later is still news.
pub const BACKGROUND_DAYS: i64 = 30;

/// The country a document is about, and its most-mentioned town or district there.
///
/// The focus country is the country of more than half of the document's place mentions (at
/// least [`MIN_PLACE_MENTIONS`]). A report placed in another country, in a document about this
/// one, names a place the geocoder misread (a wire's name in a credit, a person's name that is
/// also a town abroad): fusion reads it as told at the focus place, or in the focus country
/// when no town is mentioned at least [`MIN_FOCUS_PLACE_MENTIONS`] times.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Focus {
    /// ISO2 code of the focus country.
    pub country: Option<String>,
    /// The focus country as a place (its first mention at country precision, if any).
    country_place: Option<PlaceRef>,
    /// The most-mentioned town or district of the focus country.
    place: Option<PlaceRef>,
    /// Each country the document names as a place (its first mention at country precision).
    countries: Vec<PlaceRef>,
    /// The places (GeoNames ids) the coder gave events from a bureau's dateline (FU12).
    dateline_places: Vec<u64>,
    /// The country whose towns the document names most (FU13, [`home_country`]).
    home: Option<String>,
    /// Per country, the GeoNames ids of its mentions (`None` for the country itself or a
    /// demonym), demonyms included (FU13).
    named: BTreeMap<String, Vec<Option<u64>>>,
    /// The document's place mentions with a country, demonyms left out (for stand-ins).
    places: Vec<PlaceRef>,
    /// A dateline at a town that is no seat of government: where the reporter was (FU14).
    scene: Option<PlaceRef>,
}

impl Focus {
    /// The focus of a document, from its place mentions.
    pub fn of(ex: &Extraction) -> Self {
        let places: Vec<&PlaceRef> = ex
            .mentions
            .iter()
            .filter_map(|m| match &m.data {
                // A demonym ("Russian bombs") names who acted, not where.
                MentionData::Place(p) if p.country_code.is_some() && !p.demonym => Some(p),
                _ => None,
            })
            .collect();
        let mut countries: Vec<PlaceRef> = Vec::new();
        for p in places
            .iter()
            .filter(|p| p.precision == GeoPrecision::Country)
        {
            if !countries.iter().any(|c| c.country_code == p.country_code) {
                countries.push((*p).clone());
            }
        }
        let dateline_places: Vec<u64> = ex
            .events
            .iter()
            .filter(|e| placed_by_dateline(e))
            .filter_map(|e| e.location.as_ref()?.place.geonameid)
            .collect();
        let named = named_by_country(ex);
        let home = home_country(&places);
        let scene = ex
            .events
            .iter()
            .filter(|e| e.rules.iter().any(|r| r == CODER_DATELINE_RULE) && !placed_by_dateline(e))
            .filter_map(|e| e.location.as_ref().map(|l| &l.place))
            .find(|p| p.precision == GeoPrecision::Point && p.lat.is_some())
            .cloned();
        let owned: Vec<PlaceRef> = places.iter().map(|p| (*p).clone()).collect();
        let mut by_country: BTreeMap<&str, usize> = BTreeMap::new();
        for p in &places {
            if let Some(c) = p.country_code.as_deref() {
                *by_country.entry(c).or_default() += 1;
            }
        }
        let Some((country, n)) = by_country.iter().max_by_key(|(_, n)| **n) else {
            return Self::default();
        };
        if places.len() < MIN_PLACE_MENTIONS || *n * 2 <= places.len() {
            return Self {
                countries,
                dateline_places,
                home,
                named,
                places: owned,
                scene,
                ..Self::default()
            };
        }
        let in_country = |p: &&&PlaceRef| p.country_code.as_deref() == Some(*country);
        let country_place = places
            .iter()
            .filter(in_country)
            .find(|p| p.precision == GeoPrecision::Country)
            .map(|p| (*p).clone());
        // Towns and districts of the country by mentions, first mentioned first among equals.
        let mut towns: Vec<(&PlaceRef, usize)> = Vec::new();
        for p in places.iter().filter(in_country).filter(|p| {
            matches!(p.precision, GeoPrecision::Point | GeoPrecision::Admin2) && p.lat.is_some()
        }) {
            match towns.iter_mut().find(|t| same_place(t.0, p)) {
                Some(t) => t.1 += 1,
                None => towns.push((p, 1)),
            }
        }
        let best = towns.iter().map(|t| t.1).max().unwrap_or(0);
        let place = towns
            .iter()
            .find(|t| t.1 == best && best >= MIN_FOCUS_PLACE_MENTIONS)
            .map(|t| t.0.clone());
        Self {
            country: Some((*country).to_string()),
            country_place,
            place,
            countries,
            dateline_places,
            home,
            named,
            places: owned,
            scene,
        }
    }

    /// Whether the event's place is a town, district or province outside the focus country
    /// (a country named as the place is meant: "shelled Russia"), or in a country the document
    /// names nowhere else (FU13, [`Focus::lone_country`]).
    pub fn is_stray(&self, ev: &Event) -> bool {
        self.stray_in(ev).is_some()
    }

    /// The country a stray place is read in, and the rule that says so (see
    /// [`Focus::is_stray`]).
    fn stray_in(&self, ev: &Event) -> Option<(&str, &'static str)> {
        let place = ev.location.as_ref().map(|l| &l.place)?;
        let local = matches!(
            place.precision,
            GeoPrecision::Point | GeoPrecision::Admin2 | GeoPrecision::Admin1
        );
        let c = place.country_code.as_deref()?;
        if !local {
            return None;
        }
        match self.country.as_deref() {
            Some(focus) if !focus.eq_ignore_ascii_case(c) => Some((focus, STRAY_COUNTRY_RULE)),
            Some(_) => None,
            None => self
                .lone_country(place)
                .map(|home| (home, LONE_COUNTRY_RULE)),
        }
    }

    /// FU13: the country to read a place in when its own country is named by nothing else in
    /// the document, neither by name nor demonym nor another of its places, while the document
    /// names the towns of another country ([`home_country`]): a gate or a hotel the
    /// geocoder took for a town abroad ("Abbey Gate" as Abbey in Western Australia, "the Baron
    /// Hotel", "the Grand Mosque"), in a document about foreign troops whose own country it
    /// names as often as the country it is about, so that no country holds a majority (FU10).
    pub fn lone_country(&self, place: &PlaceRef) -> Option<&str> {
        let c = place.country_code.as_deref()?;
        let home = self.home.as_deref()?;
        let lone = self
            .named
            .get(c)
            .is_none_or(|ids| ids.iter().all(|id| id.is_some() && *id == place.geonameid));
        (lone && !home.eq_ignore_ascii_case(c)).then_some(home)
    }

    /// The place fusion reads a stray report at, in country `cc`: its town or district the
    /// document mentions most (at least [`MIN_FOCUS_PLACE_MENTIONS`] times, the first
    /// mentioned among equals), else the dateline's town when it lies there and is no seat of
    /// government (FU14: the reporter was there), else the country as the document names it,
    /// else the country as a place without coordinates.
    fn stand_in(&self, cc: &str) -> (PlaceRef, Option<&'static str>) {
        let mut towns: Vec<(&PlaceRef, usize)> = Vec::new();
        for p in self.places.iter().filter(|p| {
            p.country_code.as_deref() == Some(cc)
                && matches!(p.precision, GeoPrecision::Point | GeoPrecision::Admin2)
                && p.lat.is_some()
        }) {
            match towns.iter_mut().find(|t| same_place(t.0, p)) {
                Some(t) => t.1 += 1,
                None => towns.push((p, 1)),
            }
        }
        let best = towns.iter().map(|t| t.1).max().unwrap_or(0);
        if let Some(t) = towns
            .iter()
            .find(|t| t.1 == best && best >= MIN_FOCUS_PLACE_MENTIONS)
        {
            return (t.0.clone(), None);
        }
        if let Some(scene) = self
            .scene
            .as_ref()
            .filter(|p| p.country_code.as_deref() == Some(cc))
        {
            return (scene.clone(), Some(SCENE_DATELINE_RULE));
        }
        let country = self
            .countries
            .iter()
            .find(|c| c.country_code.as_deref() == Some(cc))
            .cloned()
            .unwrap_or_else(|| bare_country(cc));
        (country, None)
    }

    /// The event as fusion reads it: a stray place is replaced by a stand-in in the country it
    /// is read in ([`Focus::stand_in`]), marked with the rule that found it stray
    /// ([`STRAY_COUNTRY_RULE`], [`LONE_COUNTRY_RULE`]); a place taken only from the dateline by
    /// its country ([`DATELINE_RULE`], [`Focus::dateline_country`]).
    pub fn steady<'a>(&self, ev: &'a Event) -> Cow<'a, Event> {
        let Some((cc, rule)) = self.stray_in(ev) else {
            return match self.dateline_country(ev) {
                Some(out) => Cow::Owned(out),
                None => Cow::Borrowed(ev),
            };
        };
        let mut out = ev.clone();
        let (place, how) = self.stand_in(cc);
        if let Some(span) = out.location.as_ref().map(|l| l.span) {
            out.location = Some(EventLocation {
                place: PlaceRef {
                    alternatives: Vec::new(),
                    ..place
                },
                span,
                mention: None,
                relation: STAND_IN_RELATION.into(),
            });
        }
        out.rules.push(rule.into());
        if let Some(how) = how {
            out.rules.push(how.into());
        }
        Cow::Owned(out)
    }
}

/// Per country, the GeoNames ids of the document's place mentions in it (`None` for a mention
/// of the country itself or a demonym): what names a country in the document (FU13).
fn named_by_country(ex: &Extraction) -> BTreeMap<String, Vec<Option<u64>>> {
    let mut out: BTreeMap<String, Vec<Option<u64>>> = BTreeMap::new();
    for m in &ex.mentions {
        if let MentionData::Place(p) = &m.data
            && let Some(c) = &p.country_code
        {
            let local = !p.demonym
                && matches!(
                    p.precision,
                    GeoPrecision::Point | GeoPrecision::Admin2 | GeoPrecision::Admin1
                );
            out.entry(c.clone())
                .or_default()
                .push(if local { p.geonameid } else { None });
        }
    }
    out
}

/// FU13: the country whose towns, districts and provinces the document mentions most (then
/// whose places of any kind): the country the document is about when no country holds a
/// majority of its mentions (a document about foreign troops names their country as often).
/// `None` on a tie.
fn home_country(places: &[&PlaceRef]) -> Option<String> {
    let mut rank: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for p in places {
        let Some(c) = p.country_code.as_deref() else {
            continue;
        };
        let e = rank.entry(c).or_default();
        if p.precision != GeoPrecision::Country {
            e.0 += 1;
        }
        e.1 += 1;
    }
    let best = rank.values().max()?;
    let mut top = rank.iter().filter(|(_, r)| *r == best);
    let first = top.next()?;
    top.next().is_none().then(|| first.0.to_string())
}

/// A country as a place without coordinates.
fn bare_country(cc: &str) -> PlaceRef {
    PlaceRef {
        name: cc.to_string(),
        geonameid: None,
        lat: None,
        lon: None,
        feature_class: None,
        feature_code: None,
        country_code: Some(cc.to_string()),
        admin1: None,
        precision: GeoPrecision::Country,
        score: 0.0,
        inferred: None,
        demonym: false,
        alternatives: Vec::new(),
    }
}

/// Whether the coder placed the event at its document's dateline below the country level: its
/// clause, sentence and storyline named no place, so the place is where the story was filed
/// ("MOGADISHU (Wire) -" over a bombing in a town 300 km north), not a place the text ties to
/// the event (FU12).
///
/// Only a dateline at a seat of government counts: a national capital or the capital of a
/// province (GeoNames `PPLC`, `PPLG`, `PPLA`), where wires and broadcasters keep bureaus and
/// file from about the whole country. A dateline at a smaller town ("KOSTIANTYNIVKA, Ukraine
/// -") says the reporter was at the scene, so its place stands.
pub fn placed_by_dateline(ev: &Event) -> bool {
    ev.rules.iter().any(|r| r == CODER_DATELINE_RULE)
        && ev.location.as_ref().is_some_and(|l| {
            l.place.precision == GeoPrecision::Point
                && matches!(
                    l.place.feature_code.as_deref(),
                    Some("PPLC" | "PPLG" | "PPLA")
                )
        })
}

impl Focus {
    /// FU12: a report placed only by its dateline ([`placed_by_dateline`]) read as told in the
    /// dateline's country: a correspondent files from the capital or a regional hub about
    /// events across the country, so the dateline city says which country, not which town.
    /// The stand-in is the document's own mention of that country, else a country-level place
    /// without coordinates; like every stand-in it never becomes the record's place while a
    /// report gives one of its own. `None` when the rule does not apply.
    pub fn dateline_country(&self, ev: &Event) -> Option<Event> {
        // A report the storyline placed at a bureau's dateline place carries the dateline on.
        let carried = ev.rules.iter().any(|r| r == CODER_STORYLINE_RULE)
            && ev
                .location
                .as_ref()
                .filter(|l| l.place.precision == GeoPrecision::Point)
                .and_then(|l| l.place.geonameid)
                .is_some_and(|g| self.dateline_places.contains(&g));
        if !placed_by_dateline(ev) && !carried {
            return None;
        }
        let loc = ev.location.as_ref()?;
        let cc = loc.place.country_code.as_deref()?;
        let place = self
            .countries
            .iter()
            .find(|c| c.country_code.as_deref() == Some(cc))
            .cloned()
            .unwrap_or_else(|| bare_country(cc));
        let mut out = ev.clone();
        out.location = Some(EventLocation {
            place: PlaceRef {
                alternatives: Vec::new(),
                ..place
            },
            span: loc.span,
            mention: None,
            relation: STAND_IN_RELATION.into(),
        });
        out.rules.push(DATELINE_RULE.into());
        Some(out)
    }
}

fn same_place(a: &PlaceRef, b: &PlaceRef) -> bool {
    match (a.geonameid, b.geonameid) {
        (Some(x), Some(y)) => x == y,
        _ => a.name == b.name && a.lat == b.lat && a.lon == b.lon,
    }
}

/// Whether the report tells its event as background: the event ended more than
/// [`BACKGROUND_DAYS`] before the document was published (FU20). Such a report is stored but
/// fused with nothing: a past event retold as context is not news of it, and must not join a
/// current event (nor a current report the record of an old one).
pub fn is_background(ev: &Event, published: Option<NaiveDate>) -> bool {
    match (ev.date.as_ref(), published) {
        (Some(d), Some(p)) => (p - d.end).num_days() > BACKGROUND_DAYS,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testutil::{EventSpec, extraction, place};
    use frontline_model::Mention;

    fn at(name: &str, id: u64, country: &str, precision: GeoPrecision) -> PlaceRef {
        PlaceRef {
            precision,
            ..place(name, id, 10.0 + id as f64 / 10.0, 20.0, country)
        }
    }

    /// An extraction whose mentions are these places, with one event at `event_place`.
    fn doc(places: &[PlaceRef], event_place: PlaceRef) -> Extraction {
        let mut ex = extraction(
            "Fighters attacked the town.",
            None,
            Some("2025-01-02"),
            &[EventSpec::assault(
                vec![],
                Some(event_place),
                Some("2025-01-01"),
            )],
        );
        ex.mentions.clear();
        for (i, p) in places.iter().enumerate() {
            ex.mentions.push(Mention {
                id: i,
                span: frontline_model::Span::new(0, 8),
                text: p.name.clone(),
                sentence: 0,
                data: MentionData::Place(p.clone()),
            });
        }
        ex
    }

    #[test]
    fn fu10_a_place_abroad_in_a_document_about_one_country_reads_as_its_focus_town() {
        let town = at("Alpha", 1, "SY", GeoPrecision::Point);
        let abroad = at("Beta", 2, "US", GeoPrecision::Point);
        let places = [
            town.clone(),
            at("Syria", 3, "SY", GeoPrecision::Country),
            town.clone(),
            abroad.clone(),
        ];
        let ex = doc(&places, abroad);
        let focus = Focus::of(&ex);
        assert_eq!(focus.country.as_deref(), Some("SY"));
        let ev = &ex.events[0];
        assert!(focus.is_stray(ev));
        let steady = focus.steady(ev);
        let loc = steady.location.as_ref().unwrap();
        assert_eq!(loc.place.geonameid, Some(1));
        assert_eq!(loc.relation, "document focus");
        assert!(steady.rules.iter().any(|r| r == STRAY_COUNTRY_RULE));
        // a report placed in the focus country is left as it is
        let home = doc(&places, town);
        assert!(matches!(focus.steady(&home.events[0]), Cow::Borrowed(_)));
    }

    #[test]
    fn fu10_without_a_town_mentioned_twice_the_focus_country_stands_in() {
        let abroad = at("Beta", 2, "US", GeoPrecision::Point);
        let places = [
            at("Alpha", 1, "SY", GeoPrecision::Point),
            at("Syria", 3, "SY", GeoPrecision::Country),
            at("Gamma", 4, "SY", GeoPrecision::Point),
            abroad.clone(),
        ];
        let ex = doc(&places, abroad);
        let steady = Focus::of(&ex).steady(&ex.events[0]).into_owned();
        assert_eq!(steady.location.unwrap().place.geonameid, Some(3));
    }

    #[test]
    fn fu10_no_focus_when_no_country_holds_more_than_half_the_mentions() {
        let beta = at("Beta", 2, "TR", GeoPrecision::Point);
        let alpha = at("Alpha", 1, "SY", GeoPrecision::Point);
        let ex = doc(
            &[alpha.clone(), beta.clone(), alpha.clone(), beta.clone()],
            beta.clone(),
        );
        let focus = Focus::of(&ex);
        assert_eq!(focus.country, None);
        assert!(!focus.is_stray(&ex.events[0]));
        // too few mentions
        assert_eq!(Focus::of(&doc(&[alpha.clone(), alpha], beta)).country, None);
    }

    #[test]
    fn fu13_a_place_in_a_country_named_nowhere_else_reads_at_the_home_country() {
        // A document about foreign troops in one country: their own country is named as often
        // (no majority), and a gate the geocoder took for a town abroad is the only place of
        // its country.
        let city = at("Alpha", 1, "AF", GeoPrecision::Point);
        let gate = at("Gate", 2, "AU", GeoPrecision::Point);
        let places = [
            city.clone(),
            at("United States", 3, "US", GeoPrecision::Country),
            at("Hometown", 4, "US", GeoPrecision::Point),
            city.clone(),
            gate.clone(),
        ];
        let ex = doc(&places, gate.clone());
        let focus = Focus::of(&ex);
        assert_eq!(focus.country, None);
        assert!(focus.is_stray(&ex.events[0]));
        let steady = focus.steady(&ex.events[0]).into_owned();
        assert_eq!(steady.location.unwrap().place.geonameid, Some(1));
        assert!(steady.rules.iter().any(|r| r == LONE_COUNTRY_RULE));
        // a country the document names otherwise (by name or demonym) is no misread
        let hometown = doc(&places, at("Hometown", 4, "US", GeoPrecision::Point));
        assert!(!focus.is_stray(&hometown.events[0]));
        let mut named = places.to_vec();
        named.push(PlaceRef {
            demonym: true,
            ..at("Australian", 5, "AU", GeoPrecision::Country)
        });
        let ex = doc(&named, gate.clone());
        assert!(!Focus::of(&ex).is_stray(&ex.events[0]));
        // no home country on a tie
        let tie = doc(
            &[city, at("Beta", 6, "PK", GeoPrecision::Point), gate.clone()],
            gate,
        );
        assert!(!Focus::of(&tie).is_stray(&tie.events[0]));
    }

    #[test]
    fn fu14_a_dateline_at_the_scene_stands_in_when_no_town_is_mentioned_twice() {
        // "SMALLTOWN, date — ... abducted ..." with the event misread at a namesake abroad
        let scene = at("Smalltown", 1, "NG", GeoPrecision::Point);
        let abroad = at("Namesake", 2, "US", GeoPrecision::Point);
        let places = [
            scene.clone(),
            at("Other", 3, "NG", GeoPrecision::Point),
            at("Nigeria", 4, "NG", GeoPrecision::Country),
            abroad.clone(),
        ];
        let mut ex = doc(&places, abroad);
        let mut dated = ex.events[0].clone();
        dated.location = Some(EventLocation {
            place: scene,
            span: frontline_model::Span::new(0, 8),
            mention: None,
            relation: "in".into(),
        });
        dated.rules.push(CODER_DATELINE_RULE.into());
        ex.events.push(dated);
        let steady = Focus::of(&ex).steady(&ex.events[0]).into_owned();
        assert_eq!(steady.location.unwrap().place.geonameid, Some(1));
        assert!(steady.rules.iter().any(|r| r == SCENE_DATELINE_RULE));
    }

    #[test]
    fn fu12_a_place_taken_from_the_dateline_reads_as_the_dateline_country() {
        let capital = PlaceRef {
            feature_code: Some("PPLC".into()),
            ..at("Capital", 1, "SO", GeoPrecision::Point)
        };
        let town = at("Town", 2, "SO", GeoPrecision::Point);
        let country = at("Somalia", 3, "SO", GeoPrecision::Country);
        let places = [capital.clone(), town.clone(), country.clone()];
        let mut ex = doc(&places, capital.clone());
        ex.events[0].rules.push(CODER_DATELINE_RULE.into());
        let focus = Focus::of(&ex);
        let steady = focus.steady(&ex.events[0]).into_owned();
        let loc = steady.location.unwrap();
        assert_eq!(loc.place.precision, GeoPrecision::Country);
        assert_eq!(loc.place.geonameid, Some(3));
        assert_eq!(loc.relation, STAND_IN_RELATION);
        assert!(steady.rules.iter().any(|r| r == DATELINE_RULE));
        // no mention of the country: a country-level place without coordinates
        let mut bare = doc(&[capital.clone(), town.clone()], capital.clone());
        bare.events[0].rules.push(CODER_DATELINE_RULE.into());
        let steady = Focus::of(&bare).steady(&bare.events[0]).into_owned();
        let loc = steady.location.unwrap();
        assert_eq!(loc.place.country_code.as_deref(), Some("SO"));
        assert_eq!(
            (loc.place.precision, loc.place.lat),
            (GeoPrecision::Country, None)
        );
        // a place the clause gave is left as it is
        let own = doc(&places, town.clone());
        assert!(matches!(focus.steady(&own.events[0]), Cow::Borrowed(_)));
        // the storyline carrying a bureau's dateline place on is read the same way, not alone
        let mut carried = doc(&places, capital);
        carried.events[0].rules.push(CODER_STORYLINE_RULE.into());
        assert!(matches!(
            Focus::of(&carried).steady(&carried.events[0]),
            Cow::Borrowed(_)
        ));
        let mut second = ex.events[0].clone();
        second.rules = vec![CODER_STORYLINE_RULE.into()];
        let mut both = ex.clone();
        both.events.push(second);
        let steady = Focus::of(&both).steady(&both.events[1]).into_owned();
        assert_eq!(
            steady.location.map(|l| l.place.precision),
            Some(GeoPrecision::Country)
        );
        // a dateline at a town that is no seat of government is the scene: it stands
        let mut scene = doc(&places, town);
        scene.events[0].rules.push(CODER_DATELINE_RULE.into());
        assert!(matches!(focus.steady(&scene.events[0]), Cow::Borrowed(_)));
        // a dateline that is itself a country is already coarse
        let mut whole = doc(&places, country);
        whole.events[0].rules.push(CODER_DATELINE_RULE.into());
        assert!(matches!(focus.steady(&whole.events[0]), Cow::Borrowed(_)));
    }

    #[test]
    fn fu20_an_event_ended_over_a_month_before_publication_is_background() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut ev = doc(&[], at("Alpha", 1, "SY", GeoPrecision::Point)).events[0].clone();
        if let Some(d) = ev.date.as_mut() {
            d.start = day("2024-10-01");
            d.end = day("2024-10-31");
        }
        assert!(is_background(&ev, Some(day("2026-03-27"))));
        assert!(!is_background(&ev, Some(day("2024-11-03"))));
        assert!(!is_background(&ev, None));
        ev.date = None;
        assert!(!is_background(&ev, Some(day("2026-03-27"))));
    }
}
