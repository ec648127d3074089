//! Fusion: deciding whether two reports describe the same real-world event, and merging the
//! reports of one event into a fused record.
//!
//! Two events are candidates for fusion when
//! - their types are compatible: the same PLOVER type, or the same ACLED event type;
//! - their dates are within [`DATE_WINDOW_DAYS`] of each other (ranges widened by the window
//!   overlap); an event with no date falls back to its document's publication date;
//! - their places agree: both located to a town or district within [`MAX_DISTANCE_KM`], or,
//!   when one is only known to a province or country, the same country (and the same province
//!   when both name one);
//! - their actors are not plainly different: they share an actor code, or a country, or one
//!   side names no actors. Reports naming wholly different actors still fuse when they place
//!   the event at the same spot (within [`SAME_SPOT_KM`] or the same GeoNames id) or are
//!   copies of one story; the disagreement is then flagged as a contradiction.
//!
//! A report without any place fuses only with copies of its own story.
//!
//! The fused record is kept up to date incrementally: the store keeps each fused event's
//! running aggregate ([`FusedState`]) and adds a new report to it, never re-reading the earlier
//! ones. [`aggregate`] does the same from a list of members in one go.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use frontline_model::{
    AcledType, Event, EventQuantity, GeoPrecision, Modality, PloverType, QuantityKind,
    TimePrecision, TimeRef,
};
use serde::{Deserialize, Serialize};

pub use crate::record::{Claim, Contradiction, ContradictionKind};
use crate::record::{FusedActor, FusedEvent, FusedLocation};

mod absorb;
pub use absorb::LINK_MERGE_RULE;

/// Days either side of an event's date within which another report can be the same event.
pub const DATE_WINDOW_DAYS: u64 = 2;
/// Greatest distance between two located reports of the same event.
pub const MAX_DISTANCE_KM: f64 = 50.0;
/// Distance under which two reports are at the same spot even if their actors differ.
pub const SAME_SPOT_KM: f64 = 10.0;
/// Greatest distance between two reports that both place the event at a town or village
/// (GeoNames precision `point`, ACLED precision 1): two towns farther apart are two places,
/// whatever else the reports share (the gazetteer gives one point per town, so reports of
/// one town agree to the metre; a few km allows a village named for its surroundings).
pub const MAX_POINT_KM: f64 = 10.0;

/// ACLED event types of organised political violence. Reports of one fight, strike or
/// capture are coded under any of them and under PLOVER `ASSAULT` or `COERCE` as the wording
/// goes ("struck", "attack", "overran", "liberated", "seized"), so they form one type family
/// for matching ([`type_family`]).
pub const VIOLENCE_ACLED_TYPES: [&str; 3] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
];

/// The type family of a report or fused event: `Some("violence")` for political violence
/// (PLOVER `ASSAULT` in any mode, or any type whose ACLED event type is one of
/// [`VIOLENCE_ACLED_TYPES`]: a capture coded `COERCE` is ACLED `Battles`), `None` otherwise
/// (those types match only themselves, or the territory family, [`territorial_type`]).
pub fn type_family(plover: Option<&str>, acled: Option<&str>) -> Option<&'static str> {
    (plover == Some("ASSAULT") || acled.is_some_and(|a| VIOLENCE_ACLED_TYPES.contains(&a)))
        .then_some("violence")
}

/// Rule id of the territory family: a capture, a withdrawal and an entry are one act (FU40).
pub const TERRITORY_FAMILY_RULE: &str = "FU40-territory-family";

/// ACLED sub-event types of a change of hands: a capture, a recapture, a withdrawal.
pub const TERRITORY_SUB_TYPES: [&str; 3] = [
    "Non-state actor overtakes territory",
    "Government regains territory",
    "Non-violent transfer of territory",
];

/// Whether a type tells a place changing hands (FU40, the territory family): a capture or a
/// recapture (ACLED `Battles` of a territorial sub-type, "seized", "liberated", "overran"), a
/// withdrawal (`Non-violent transfer of territory`, "pulled out of", "withdrew from") or troops
/// moving in (PLOVER `MOBILIZE`: "entered", "reached", "advanced into"). The side that takes a
/// town says it captured or liberated it, the side that leaves says it withdrew, and a wire
/// says troops entered: one act, coded by the verb each outlet chose. Reports of two of these
/// types fuse only at the same spot, or, placed coarsely, on a shared actor or one story (as
/// types of the violence family do).
pub fn territorial_type(plover: Option<&str>, acled_sub: Option<&str>) -> bool {
    plover == Some("MOBILIZE") || acled_sub.is_some_and(|s| TERRITORY_SUB_TYPES.contains(&s))
}

/// Whether two keys are of one type family but neither of one PLOVER type nor of one ACLED
/// event type: the violence family ([`type_family`]) or the territory family (FU40,
/// [`territorial_type`]).
fn same_family(a: &MatchKey, b: &MatchKey) -> bool {
    let family = |k: &MatchKey| type_family(k.plover.map(|p| p.as_str()), k.acled_type.as_deref());
    (family(a).is_some() && family(a) == family(b)) || (a.territorial && b.territorial)
}

/// The PLOVER types and ACLED event types of the territory family (FU40), for the candidate
/// search.
const TERRITORY_TYPES: [(char, &str); 5] = [
    ('p', "COERCE"),
    ('p', "RETREAT"),
    ('p', "MOBILIZE"),
    ('a', "Battles"),
    ('a', "Strategic developments"),
];

/// The candidate-index types (`('p', PLOVER)` or `('a', ACLED event type)`) a report of this
/// type is looked up under: its own two, in the violence family every type of the family, and
/// for a territorial type (FU40) every type of the territory family.
pub fn family_types<'a>(
    plover: Option<&'a str>,
    acled: Option<&'a str>,
    territorial: bool,
) -> Vec<(char, &'a str)> {
    let mut out: Vec<(char, &'a str)> = Vec::with_capacity(8);
    let mut push = |t: (char, &'a str)| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    if let Some(p) = plover {
        push(('p', p));
    }
    if let Some(a) = acled {
        push(('a', a));
    }
    if type_family(plover, acled).is_some() {
        push(('p', "ASSAULT"));
        for a in VIOLENCE_ACLED_TYPES {
            push(('a', a));
        }
    }
    if territorial {
        for t in TERRITORY_TYPES {
            push(t);
        }
    }
    out
}

/// CAMEO role codes that name a kind of actor, not a particular one ("soldiers" -> `MIL`).
/// Two reports sharing only such a code do not thereby share an actor.
const GENERIC_CODES: &[&str] = &[
    "AGR", "BUS", "COP", "CRM", "CVL", "EDU", "ELI", "GOV", "HLH", "IGO", "INS", "JUD", "LAB",
    "LEG", "MED", "MIL", "MOD", "NGO", "OPP", "PRO", "RAD", "REB", "REF", "SEP", "SPY", "UAF",
];

/// Whether an actor code names a particular actor (a state, a force of a state, a group).
pub fn identifying_code(code: &str) -> bool {
    !code.is_empty() && !GENERIC_CODES.contains(&code)
}

/// Rule id of reading a code and a code it begins as one actor (FU37).
pub const ACTOR_PREFIX_RULE: &str = "FU37-actor-prefix";

/// Shortest code prefix that names one actor (a country and a role: `YEMREB`, `SYRMIL`).
const MIN_SHARED_PREFIX: usize = 6;

/// FU37: whether two sets of identifying actor codes name a common actor: one code in both, or
/// a code of at least [`MIN_SHARED_PREFIX`] letters that another begins with. CAMEO codes
/// grow from the general to the particular, and outlets name one side at different depths:
/// "Yemeni rebels" (`YEMREB`) in one report are "the Houthis" (`YEMREBHTH`) in another, "Syrian
/// troops" (`SYRMIL`) a named unit of them. A prefix of an international or transnational
/// code (`IMG`, `IGO`, `NGO`, `MNC`: "Islamist militants" are many groups) names no one side.
pub fn codes_share(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let transnational = |c: &str| {
        ["IMG", "IGO", "NGO", "MNC"]
            .iter()
            .any(|p| c.starts_with(p))
    };
    let within = |short: &str, long: &str| {
        short.len() >= MIN_SHARED_PREFIX && !transnational(short) && long.starts_with(short)
    };
    a.iter()
        .any(|x| b.iter().any(|y| x == y || within(x, y) || within(y, x)))
}

/// One report of an event, with what fusion needs to know about its document.
#[derive(Debug, Clone)]
pub struct Member {
    /// The event as coded from this report.
    pub event: Event,
    /// Document id.
    pub document_id: String,
    /// Outlet, when known.
    pub outlet: Option<String>,
    /// Story (group of copies) of the document.
    pub story_id: i64,
    /// Publication date of the document.
    pub published_at: Option<NaiveDate>,
    /// The sentence the event was coded from.
    pub sentence_text: String,
    /// Keys of the news outlets the document credits (`credits::credits`).
    pub credits: Vec<String>,
}

/// What matching looks at, for an event or a fused event.
#[derive(Debug, Clone, Default)]
pub struct MatchKey {
    /// PLOVER type.
    pub plover: Option<PloverType>,
    /// ACLED event type.
    pub acled_type: Option<String>,
    /// Date range (inclusive), if any.
    pub start: Option<NaiveDate>,
    /// End of the date range.
    pub end: Option<NaiveDate>,
    /// Best location coordinates.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// GeoNames id of the place.
    pub geonameid: Option<u64>,
    /// Precision of the place.
    pub precision: Option<GeoPrecision>,
    /// ISO2 country of the place.
    pub country: Option<String>,
    /// Province of the place.
    pub admin1: Option<String>,
    /// Actor codes (sources and targets).
    pub actor_codes: BTreeSet<String>,
    /// Actor countries (ISO3).
    pub actor_countries: BTreeSet<String>,
    /// Stories the reports belong to.
    pub stories: BTreeSet<i64>,
    /// The place is a town named like its province (FU33, [`place_names_its_province`]).
    pub names_province: bool,
    /// The type tells a place changing hands (FU40, [`territorial_type`]).
    pub territorial: bool,
    /// ACLED sub-event type (FU41, [`same_province_act`]).
    pub acled_sub: Option<String>,
}

impl MatchKey {
    /// The key of one report.
    pub fn of_event(ev: &Event, story_id: i64, published_at: Option<NaiveDate>) -> Self {
        let (start, end) = match &ev.date {
            Some(d) => (Some(d.start), Some(d.end)),
            None => (published_at, published_at),
        };
        let mut key = MatchKey {
            plover: Some(ev.plover_type),
            acled_type: ev.acled.as_ref().map(|a| a.event_type.clone()),
            territorial: territorial_type(
                Some(ev.plover_type.as_str()),
                ev.acled.as_ref().map(|a| a.sub_event_type.as_str()),
            ),
            acled_sub: ev.acled.as_ref().map(|a| a.sub_event_type.clone()),
            start,
            end,
            ..Default::default()
        };
        if let Some(loc) = &ev.location {
            let p = &loc.place;
            key.lat = p.lat;
            key.lon = p.lon;
            key.geonameid = p.geonameid;
            // "near X", "north of X": X is a reference point, not the place itself (ACLED's
            // precision 2), so the town-to-town distance rule does not apply to it.
            key.precision = Some(match p.precision {
                GeoPrecision::Point if !at_the_place(&loc.relation) => GeoPrecision::Admin2,
                other => other,
            });
            key.country = p.country_code.clone();
            key.admin1 = p.admin1.clone();
            key.names_province =
                place_names_its_province(&p.name, p.admin1.as_deref(), p.precision);
        }
        for a in ev.sources.iter().chain(&ev.targets) {
            if identifying_code(&a.actor.code) {
                key.actor_codes.insert(a.actor.code.clone());
            }
            if let Some(c) = &a.actor.country {
                key.actor_countries.insert(c.clone());
            }
        }
        key.stories.insert(story_id);
        key
    }

    /// Whether the place is known to a town or district, with coordinates.
    pub fn located_finely(&self) -> bool {
        self.lat.is_some()
            && self.lon.is_some()
            && matches!(
                self.precision,
                Some(GeoPrecision::Point | GeoPrecision::Admin2)
            )
    }
}

/// Whether a location's relation puts the event at the place itself ("in", "at", "on"; or
/// none given) rather than by it ("near", "north of", "outside", "towards").
fn at_the_place(relation: &str) -> bool {
    matches!(relation.trim(), "" | "in" | "at" | "on" | "inside" | "into")
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

fn widen(d: NaiveDate, back: bool) -> NaiveDate {
    let days = Days::new(DATE_WINDOW_DAYS);
    if back {
        d.checked_sub_days(days).unwrap_or(d)
    } else {
        d.checked_add_days(days).unwrap_or(d)
    }
}

/// How well a report matches a fused event: `None` when they cannot be the same event,
/// otherwise a score (higher is a better match).
pub fn match_score(ev: &MatchKey, fused: &MatchKey) -> Option<f64> {
    // Type.
    let same_type = ev.plover.is_some() && ev.plover == fused.plover;
    let same_acled = ev.acled_type.is_some() && ev.acled_type == fused.acled_type;
    // Only of one family (a capture against an attack on the same town, or a withdrawal, FU40):
    // needs the same place or the same story, checked below.
    let family_only = !same_type && !same_acled && same_family(ev, fused);
    if !same_type && !same_acled && !family_only {
        return None;
    }
    let same_story = !ev.stories.is_disjoint(&fused.stories);
    if !same_story && battle_and_violence_against_civilians(ev, fused) {
        return None;
    }

    // Date.
    // The ACLED event type says more than PLOVER's `ASSAULT`, which covers a strike, a clash
    // and tear gas fired on protesters alike.
    let mut score = match (same_type, same_acled) {
        (true, true) => 1.25,
        (false, true) => 1.0,
        (true, false) => 0.75,
        (false, false) => 0.25,
    };
    match (ev.start, ev.end, fused.start, fused.end) {
        (Some(s1), Some(e1), Some(s2), Some(e2)) => {
            if widen(s1, true) > e2 || widen(e1, false) < s2 {
                return None;
            }
            if s1 == s2 && e1 == e2 {
                score += 0.5;
            }
        }
        _ if same_story => {}
        _ => return None,
    }

    // Actors.
    #[derive(PartialEq)]
    enum Actors {
        Shared,
        SameCountry,
        Unknown,
        Disjoint,
    }
    let actors = if ev.actor_codes.is_empty() || fused.actor_codes.is_empty() {
        Actors::Unknown
    } else if codes_share(&ev.actor_codes, &fused.actor_codes) {
        Actors::Shared
    } else if !ev.actor_countries.is_disjoint(&fused.actor_countries) {
        Actors::SameCountry
    } else {
        Actors::Disjoint
    };
    score += match actors {
        Actors::Shared => 1.0,
        Actors::SameCountry => 0.5,
        _ => 0.0,
    };
    if same_story {
        score += 0.5;
    }

    // Place.
    if let (true, true, Some(la1), Some(lo1), Some(la2), Some(lo2)) = (
        ev.located_finely(),
        fused.located_finely(),
        ev.lat,
        ev.lon,
        fused.lat,
        fused.lon,
    ) {
        let d = haversine_km(la1, lo1, la2, lo2);
        let both_towns = ev.precision == Some(GeoPrecision::Point)
            && fused.precision == Some(GeoPrecision::Point);
        if d > MAX_DISTANCE_KM {
            return None;
        }
        if both_towns && d > MAX_POINT_KM {
            // FU35: a town named like its province may stand for the province.
            return town_for_its_province(ev, fused, actors == Actors::Shared || same_story)
                .then_some(score + 0.5);
        }
        // FU38: a town named like its province is read as the province: a place of another
        // province is not its place.
        if !province_named_fits(ev, fused) {
            return None;
        }
        let same_spot =
            d <= SAME_SPOT_KM || (ev.geonameid.is_some() && ev.geonameid == fused.geonameid);
        if (actors == Actors::Disjoint || family_only) && !same_spot && !same_story {
            return None;
        }
        // FU39: at a town named like its province the spot says no more than the province
        // (FU38): a shared side or story ranks a record above the bare place.
        if ev.names_province || fused.names_province {
            return Some(score + 0.5);
        }
        return Some(score + 1.0 + (1.0 - d / MAX_DISTANCE_KM));
    }
    match (&ev.country, &fused.country) {
        (Some(c1), Some(c2)) => {
            if !c1.eq_ignore_ascii_case(c2) {
                return None;
            }
            let province_level = |k: &MatchKey| {
                matches!(
                    k.precision,
                    Some(GeoPrecision::Point | GeoPrecision::Admin2 | GeoPrecision::Admin1)
                )
            };
            if let (Some(a1), Some(a2)) = (&ev.admin1, &fused.admin1)
                && province_level(ev)
                && province_level(fused)
                && !a1.eq_ignore_ascii_case(a2)
            {
                return None;
            }
            // Only coarsely placed: needs the same actors or the same story. A capture and
            // an attack by the same named actor in the same province and days are one act
            // worded two ways ("stormed", "took control of").
            if actors == Actors::Shared
                || same_story
                || (actors == Actors::Unknown && same_province_act(ev, fused))
            {
                Some(score + 0.5)
            } else {
                None
            }
        }
        // No usable place on one side: only copies of one story fuse (a disagreement on the
        // perpetrator is then flagged, not a reason to split).
        _ if same_story => Some(score),
        _ => None,
    }
}

/// Rule id of matching a town named like its province with another town of that province
/// (FU35).
pub const TOWN_FOR_PROVINCE_RULE: &str = "FU35-town-for-its-province";

/// FU35: two towns more than [`MAX_POINT_KM`] apart (and within [`MAX_DISTANCE_KM`], checked
/// by the caller) may still be one event's place when one is a town named like its province
/// ("Idlib", "Baghdad", "Kunduz": [`place_names_its_province`]) and the other lies in that
/// province: the text may have named the province ("jets struck Idlib", "a bomb north of
/// Baghdad") and the geocoder read it as its main town. They are then matched as a
/// province-level report is: only when they share a named actor or are copies of one story
/// (`shared`), never on the type and days alone.
pub fn town_for_its_province(a: &MatchKey, b: &MatchKey, shared: bool) -> bool {
    let same_province = a
        .admin1
        .as_ref()
        .zip(b.admin1.as_ref())
        .is_some_and(|(x, y)| x.eq_ignore_ascii_case(y));
    (a.names_province || b.names_province) && same_province && shared
}

/// Rule id of matching two province-level reports of one act on the same days (FU41).
pub const SAME_PROVINCE_ACT_RULE: &str = "FU41-same-province-act";

/// FU41: whether two keys placed only to one province tell one act there: both at the province
/// level (GeoNames precision `admin1`) of the same province, of the same ACLED sub-event type,
/// on overlapping days without a window. The caller requires that one of them names no side
/// (a report naming none cannot share one). When the geocoder does not know the village
/// ("Kuriga", "Ye-U") every outlet's report falls back to the province, and "bandits abducted
/// pupils" or "the military bombed a market" names no side that another outlet's "gunmen" or
/// "junta jets" could share: before, such reports never fused. Two acts of one kind in one
/// province on one day, both told only at the province level, become one record. Not for an
/// armed clash: ACLED's most frequent kind, several a day on any active front ("soldiers
/// attacked" twice in one province are two clashes).
pub fn same_province_act(a: &MatchKey, b: &MatchKey) -> bool {
    let province = |k: &MatchKey| k.precision == Some(GeoPrecision::Admin1) && k.admin1.is_some();
    let same = |x: &Option<String>, y: &Option<String>| {
        x.as_ref()
            .zip(y.as_ref())
            .is_some_and(|(x, y)| x.eq_ignore_ascii_case(y))
    };
    let days = match (a.start, a.end, b.start, b.end) {
        (Some(s1), Some(e1), Some(s2), Some(e2)) => s1 <= e2 && s2 <= e1,
        _ => false,
    };
    province(a)
        && province(b)
        && same(&a.admin1, &b.admin1)
        && same(&a.acled_sub, &b.acled_sub)
        && a.acled_sub.as_deref() != Some("Armed clash")
        && days
}

/// Rule id of ranking a bare same-spot match at a town named like its province as a coarse
/// match, and of never merging records of two towns (FU39, in [`match_score`] and
/// [`records_linkable`]).
pub const PROVINCE_NAMED_SPOT_RULE: &str = "FU39-province-named-spot";

/// Rule id of reading a town named like its province as the province when matching (FU38).
pub const PROVINCE_NAMED_MATCH_RULE: &str = "FU38-province-named-match";

/// FU38: whether two finely placed keys within [`MAX_DISTANCE_KM`] may be one event's place
/// when one of them is a town named like its province ("Idlib", "Kherson", "Abu Dhabi":
/// [`place_names_its_province`]): the text may have named the province, so the other place must
/// lie in that province. "An air strike in Idlib" is not the strike "near" a town of Aleppo
/// province 44 km away (a place given as near a town is matched within 50 km); before, it
/// joined that strike's record when it arrived first, and the Idlib record when that came
/// first. Two towns more than [`MAX_POINT_KM`] apart are FU35's ([`town_for_its_province`]).
pub fn province_named_fits(a: &MatchKey, b: &MatchKey) -> bool {
    if !a.names_province && !b.names_province {
        return true;
    }
    a.admin1
        .as_ref()
        .zip(b.admin1.as_ref())
        .is_none_or(|(x, y)| x.eq_ignore_ascii_case(y))
}

/// Most days (first to last, inclusive) a record merged by FU70 may span.
pub const MAX_MERGED_SPAN_DAYS: i64 = 7;

/// Whether two stored records that one report matches may be merged into one (FU70): they
/// would match each other but for their dates (the report that matches both bridges them) —
/// the same type or type family, no two towns or districts apart, no different countries or
/// provinces, and, placed only coarsely, a shared actor or one story. Two records of two towns
/// a report at the country level fits stay apart.
pub fn records_linkable(a: &MatchKey, b: &MatchKey) -> bool {
    // A merged record spans at most a week: a chain of reports two days apart (daily shelling
    // of one town by one side) is many events, and merging each record with the next would
    // make it one record for months.
    if let (Some(s1), Some(e1), Some(s2), Some(e2)) = (a.start, a.end, b.start, b.end)
        && (e1.max(e2) - s1.min(s2)).num_days() + 1 > MAX_MERGED_SPAN_DAYS
    {
        return false;
    }
    // FU39: two records at two towns more than a few km apart are two places, even when one
    // is a town named like its province (FU35 joins a report there on a shared side, but a
    // record's side may have come from that very report).
    if let (true, true, Some(la1), Some(lo1), Some(la2), Some(lo2)) = (
        a.precision == Some(GeoPrecision::Point),
        b.precision == Some(GeoPrecision::Point),
        a.lat,
        a.lon,
        b.lat,
        b.lon,
    ) && haversine_km(la1, lo1, la2, lo2) > MAX_POINT_KM
        && !(a.geonameid.is_some() && a.geonameid == b.geonameid)
    {
        return false;
    }
    let mut bridged = a.clone();
    bridged.start = b.start;
    bridged.end = b.end;
    match_score(&bridged, b).is_some() && match_score(b, &bridged).is_some()
}

/// Whether a report is placed at a town named like its own province (FU33): "Idlib" in Idlib
/// Governorate, "Donetsk" in Donetska oblast, "Kunduz" in Kunduz Province. A text that names
/// the province ("shelling in Donetsk", "strikes across Idlib") is read by the geocoder as its
/// main town, so such a place is as coarse as the province for choosing between records: it
/// goes with its own document's report of the same event first (FU32), like a report placed
/// only to a province. Matching across documents treats it as the town, but for another town of its
/// province within [`MAX_DISTANCE_KM`] (FU35, [`town_for_its_province`]).
pub fn names_its_province(ev: &Event) -> bool {
    ev.location.as_ref().is_some_and(|loc| {
        place_names_its_province(
            &loc.place.name,
            loc.place.admin1.as_deref(),
            loc.place.precision,
        )
    })
}

/// Rule id of ranking a town named like its province after any other town for the record's
/// place (FU34).
pub const PROVINCE_NAMED_PLACE_RULE: &str = "FU34-province-named-place";

/// [`names_its_province`] for a place given by its name, province and precision. The record's
/// place (FU34, [`FusedState::add`]) ranks such a town after every other town its reports give:
/// the text may have named the province, so a report of a real town there places the record
/// better, whichever report arrived first.
pub fn place_names_its_province(name: &str, admin1: Option<&str>, precision: GeoPrecision) -> bool {
    if precision != GeoPrecision::Point {
        return false;
    }
    let Some(admin1) = admin1 else {
        return false;
    };
    let name = name_core(name);
    let province = name_core(admin1);
    // the province's own name, or its adjective ("Donetska", "Luhanska")
    name.chars().count() >= 3
        && province.starts_with(&name)
        && province.chars().count() <= name.chars().count() + 2
}

/// Words that name the kind of an administrative unit, not the unit ("Abu Dhabi Emirate",
/// "Idlib Governorate", "Nairobi City"), left out when a town's name is compared with its
/// province's (FU33).
const UNIT_WORDS: &[&str] = &[
    "autonomous",
    "capital",
    "city",
    "county",
    "department",
    "district",
    "division",
    "emirate",
    "governorate",
    "municipality",
    "oblast",
    "prefecture",
    "province",
    "region",
    "state",
    "territory",
];

/// A place name folded for comparison: its words without [`UNIT_WORDS`], letters and digits
/// only, in lower case ("Abu Dhabi Emirate" is `abudhabi`).
fn name_core(name: &str) -> String {
    name.split_whitespace()
        .filter(|w| !UNIT_WORDS.contains(&w.to_lowercase().as_str()))
        .flat_map(str::chars)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Rule id of keeping a battle and violence against civilians apart (FU50).
pub const BATTLE_AND_CIVILIANS_RULE: &str = "FU50-battle-and-civilians";

/// Whether one key is a capture (PLOVER `COERCE` coded ACLED `Battles`: "seized",
/// "overran", "entered") and the other ACLED `Violence against civilians` (FU50). ACLED codes
/// the killing of civilians in a town after its capture as its own event next to the capture:
/// two reports of the same town and days, one of each, are two events unless they are copies
/// of one story (or one document retells one act with two verbs, FU30). An assault coded
/// `Battles` ("stormed the village") may be the raid on civilians told another way, and a
/// strike coded `Explosions/Remote violence` joins either.
pub fn battle_and_violence_against_civilians(a: &MatchKey, b: &MatchKey) -> bool {
    let capture = |k: &MatchKey| {
        k.plover == Some(PloverType::Coerce) && k.acled_type.as_deref() == Some("Battles")
    };
    let civilians = |k: &MatchKey| k.acled_type.as_deref() == Some("Violence against civilians");
    (capture(a) && civilians(b)) || (civilians(a) && capture(b))
}

/// Whether two reports of one document that the coder left apart tell one event (FU30): of
/// one type family, on overlapping days (no window), not naming wholly different actors, and placed
/// compatibly: the same spot when both are placed to a town or district, else the same country
/// (and province when both name one). A place the gazetteer could not resolve is a named place
/// of its own, so it never joins. Within one article a retelling of the event at a coarser
/// place or with another verb is far more likely than a second event of the same kind on the
/// same days in the same area; a second event the text places elsewhere stays apart.
pub fn same_document_event(a: &MatchKey, b: &MatchKey) -> bool {
    let same_type = (a.plover.is_some() && a.plover == b.plover)
        || (a.acled_type.is_some() && a.acled_type == b.acled_type)
        || same_family(a, b);
    if !same_type {
        return false;
    }
    // One document dates its retellings alike: a report of the next day is another event
    // ("a clash the following day"), so the days must overlap, without a window.
    if let (Some(s1), Some(e1), Some(s2), Some(e2)) = (a.start, a.end, b.start, b.end)
        && (s1 > e2 || e1 < s2)
    {
        return false;
    }
    if !a.actor_codes.is_empty()
        && !b.actor_codes.is_empty()
        && !codes_share(&a.actor_codes, &b.actor_codes)
        && a.actor_countries.is_disjoint(&b.actor_countries)
    {
        return false;
    }
    places_fit(a, b)
}

/// Whether two places can be one event's place within one document (FU30, FU36): the same spot
/// (within [`SAME_SPOT_KM`] or one GeoNames place) when both are placed to a town or district,
/// else the same country, and the same province when both name one. A place the gazetteer
/// could not resolve is a named place of its own and fits nothing.
pub fn places_fit(a: &MatchKey, b: &MatchKey) -> bool {
    let unresolved = |k: &MatchKey| k.precision == Some(GeoPrecision::Unresolved);
    if unresolved(a) || unresolved(b) {
        return false;
    }
    if let (true, true, Some(la1), Some(lo1), Some(la2), Some(lo2)) = (
        a.located_finely(),
        b.located_finely(),
        a.lat,
        a.lon,
        b.lat,
        b.lon,
    ) {
        return haversine_km(la1, lo1, la2, lo2) <= SAME_SPOT_KM
            || (a.geonameid.is_some() && a.geonameid == b.geonameid);
    }
    let differ = |x: &Option<String>, y: &Option<String>| {
        x.as_ref()
            .zip(y.as_ref())
            .is_some_and(|(x, y)| !x.eq_ignore_ascii_case(y))
    };
    !differ(&a.country, &b.country) && !differ(&a.admin1, &b.admin1)
}

/// Rule id of joining a record through the document's own reports (FU30).
pub const SAME_DOCUMENT_RULE: &str = "FU30-same-document";

/// The record a report joins by FU30, given the document's earlier reports and the records
/// they went to: the first record with a report of the same event
/// ([`same_document_event`]) whose every report from this document is compatible with it
/// too (FU31). A record the document's country-level retelling went to may also hold the
/// document's report of one town; a report of a second town 37 km away is the same event as the
/// retelling but not as that town, so it starts its own record.
pub fn same_document_record(key: &MatchKey, joined: &[(MatchKey, i64)]) -> Option<i64> {
    joined
        .iter()
        .filter(|(k, _)| same_document_event(key, k))
        .map(|(_, id)| *id)
        .find(|id| {
            joined
                .iter()
                .filter(|(_, other)| other == id)
                .all(|(k, _)| same_document_event(key, k))
        })
}

/// Counts of values in first-seen order: the most common wins, ties going to the first seen
/// (or, with [`Tally::best_least`], to the smallest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tally<T>(Vec<(T, u32)>);

impl<T> Default for Tally<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T: PartialEq + Clone> Tally<T> {
    fn add(&mut self, v: T) {
        match self.0.iter_mut().find(|e| e.0 == v) {
            Some(e) => e.1 += 1,
            None => self.0.push((v, 1)),
        }
    }

    fn best(&self) -> Option<&T> {
        let max = self.0.iter().map(|e| e.1).max()?;
        self.0.iter().find(|e| e.1 == max).map(|e| &e.0)
    }
}

impl<T: PartialEq + Clone + Ord> Tally<T> {
    fn best_least(&self) -> Option<&T> {
        let max = self.0.iter().map(|e| e.1).max()?;
        self.0.iter().filter(|e| e.1 == max).map(|e| &e.0).min()
    }
}

fn killed(quantities: &[EventQuantity]) -> Option<(f64, f64)> {
    quantities
        .iter()
        .filter(|q| q.quantity.quantity_kind == QuantityKind::Killed)
        .map(|q| {
            (
                q.quantity.value,
                q.quantity.value_max.unwrap_or(q.quantity.value),
            )
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Every death figure a report gives for the event, as one range: the lowest figure to the
/// highest (an official 5 and a group's claim of 7 are 5-7), so that the fused range holds
/// every figure of every report.
fn killed_span(quantities: &[EventQuantity]) -> Option<(f64, f64)> {
    quantities
        .iter()
        .filter(|q| q.quantity.quantity_kind == QuantityKind::Killed)
        .map(|q| {
            let lo = q.quantity.value;
            (lo, q.quantity.value_max.unwrap_or(lo).max(lo))
        })
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

fn actor_names(actors: &[frontline_model::EventActor]) -> String {
    actors
        .iter()
        .map(|a| a.actor.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Independent sources among the members: documents are grouped when they are copies of one
/// story or come from the same outlet; each group counts once.
pub fn independent_sources(members: &[Member]) -> usize {
    let mut groups = SourceGroups::default();
    let mut last: Option<&str> = None;
    for m in members {
        if last != Some(m.document_id.as_str()) {
            groups.add(m.story_id, m.outlet.as_deref(), &m.credits);
            last = Some(&m.document_id);
        }
    }
    groups.0.len()
}

/// Groups of documents that are not independent of each other (connected by a shared story, a
/// shared outlet, or a credit line: a document crediting an outlet of the group, or crediting
/// an outlet another document of the group credits): the stories and the outlets of each
/// group. The outlet set holds each normalised outlet name, `=key` for each of its keys
/// (`credits::outlet_keys`) and `^key` for each outlet a document credits (an aggregate stored
/// before credits were kept has the names only).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct SourceGroups(Vec<(BTreeSet<i64>, BTreeSet<String>)>);

impl SourceGroups {
    /// Each group: its stories, its outlets (normalised names) and the outlet keys its
    /// documents credit.
    pub(crate) fn groups(&self) -> impl Iterator<Item = (Vec<i64>, BTreeSet<String>, Vec<String>)> {
        self.0.iter().map(|(stories, set)| {
            let outlets = set
                .iter()
                .filter(|e| !e.starts_with('=') && !e.starts_with('^'))
                .cloned()
                .collect();
            let credits = set
                .iter()
                .filter_map(|e| e.strip_prefix('^').map(str::to_string))
                .collect();
            (stories.iter().copied().collect(), outlets, credits)
        })
    }

    /// Adds one document's story, outlet and credits, merging the groups it connects.
    pub(crate) fn add(&mut self, story: i64, outlet: Option<&str>, credits: &[String]) {
        self.add_within(story, outlet, credits, false);
    }

    /// [`SourceGroups::add`] within [`MAX_AGGREGATE_ENTRIES`]: a new group past that many is
    /// not kept, and a group's stories and outlet set keep their first entries. Returns what
    /// was left out, as (list, count).
    pub(crate) fn add_bounded(
        &mut self,
        story: i64,
        outlet: Option<&str>,
        credits: &[String],
    ) -> Vec<(&'static str, u64)> {
        self.add_within(story, outlet, credits, true)
    }

    fn add_within(
        &mut self,
        story: i64,
        outlet: Option<&str>,
        credits: &[String],
        bounded: bool,
    ) -> Vec<(&'static str, u64)> {
        let outlet = outlet.map(|o| o.trim().to_lowercase());
        let mut merged = (BTreeSet::from([story]), BTreeSet::new());
        if let Some(o) = &outlet {
            merged.1.insert(o.clone());
            for k in crate::credits::outlet_keys(o) {
                merged.1.insert(format!("={k}"));
            }
        }
        for c in credits {
            merged.1.insert(format!("^{c}"));
        }
        let credited = |set: &BTreeSet<String>, other: &BTreeSet<String>| {
            set.iter().any(|e| {
                e.strip_prefix('^').is_some_and(|k| {
                    other.contains(&format!("={k}")) || other.contains(&format!("^{k}"))
                })
            })
        };
        let mut rest = Vec::with_capacity(self.0.len());
        let mut joined = false;
        for g in self.0.drain(..) {
            let joins = g.0.contains(&story)
                || outlet.as_ref().is_some_and(|o| g.1.contains(o))
                || credited(&merged.1, &g.1)
                || credited(&g.1, &merged.1);
            if joins {
                joined = true;
                merged.0.extend(g.0);
                merged.1.extend(g.1);
            } else {
                rest.push(g);
            }
        }
        let mut capped = Vec::new();
        if !bounded {
            rest.push(merged);
        } else if !joined && rest.len() >= MAX_AGGREGATE_ENTRIES {
            // A group of its own, past the cap.
            capped.push(("source_groups", 1));
        } else {
            let stories = bound_set(&mut merged.0);
            let outlets = bound_set(&mut merged.1);
            capped.extend([("group_stories", stories), ("group_outlets", outlets)]);
            rest.push(merged);
        }
        self.0 = rest;
        capped.retain(|c| c.1 > 0);
        capped
    }
}

/// Most entries one list of a fused event's running aggregate ([`FusedState`]) keeps: the
/// dates tally, the place votes, the named sources and targets, the sets of perpetrators, the
/// outlets, the source groups and the stories and outlet keys of each group. A record with
/// reports from many thousands of documents would otherwise grow its aggregate, stored as JSON
/// and re-read on each join, without limit. What a cap leaves out is counted
/// ([`FusedState::capped`]) and said in the event detail (`aggregate_capped`).
pub const MAX_AGGREGATE_ENTRIES: usize = 256;

/// Keeps a list whose entries have a support (reports) within [`MAX_AGGREGATE_ENTRIES`]: past
/// it, the half most supported stay (ties: the earlier first), in their order, so that a value
/// first seen late can still gather reports. Returns how many entries were dropped.
fn bound_supported<T>(list: &mut Vec<T>, support: impl Fn(&T) -> u64) -> u64 {
    if list.len() <= MAX_AGGREGATE_ENTRIES {
        return 0;
    }
    let keep = MAX_AGGREGATE_ENTRIES / 2;
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(support(&list[i])), i));
    let mut kept = vec![false; list.len()];
    for &i in &order[..keep] {
        kept[i] = true;
    }
    let dropped = list.len() - keep;
    let mut i = 0;
    list.retain(|_| {
        i += 1;
        kept[i - 1]
    });
    dropped as u64
}

/// Keeps a set within [`MAX_AGGREGATE_ENTRIES`] (its first entries in order); returns how many
/// were dropped.
fn bound_set<T: Ord>(set: &mut BTreeSet<T>) -> u64 {
    let mut dropped = 0;
    while set.len() > MAX_AGGREGATE_ENTRIES {
        set.pop_last();
        dropped += 1;
    }
    dropped
}

/// Resolver scores closer than this are equal (a stored aggregate keeps scores as JSON, which
/// may change their last bit).
const SCORE_TIE: f32 = 1e-6;

/// The best location so far, with what ranks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct BestLocation {
    loc: FusedLocation,
    score: f32,
}

/// Per PLOVER type: how many reports give it, and what they say about the finer codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TypeTally {
    plover: PloverType,
    n: u32,
    #[serde(default)]
    acled: Tally<(String, String)>,
    #[serde(default)]
    cameo: Tally<String>,
    #[serde(default)]
    mode: Tally<String>,
}

/// The running aggregate of a fused event: everything [`FusedState::finish`] needs to produce
/// the fused record, updated one report at a time ([`FusedState::add`]) so that adding a report
/// never re-reads the earlier ones.
///
/// Reports must be added document by document (all events of one document together), as the
/// store does; the result is then the same whatever the order of documents, except where the
/// record itself keeps first-seen order (ties, names, claims).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FusedState {
    n_reports: usize,
    types: Vec<TypeTally>,
    best_time: Option<TimePrecision>,
    dates: Tally<(NaiveDate, NaiveDate)>,
    location: Option<BestLocation>,
    /// Reports per place (GeoNames id), so that the record's place is the one most reports
    /// give among the finest, not a side mention the resolver scored higher.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    place_votes: Vec<(u64, u32)>,
    sources: Vec<FusedActor>,
    targets: Vec<FusedActor>,
    killed_min: Option<f64>,
    killed_max: Option<f64>,
    killed_hi_min: Option<f64>,
    killed_lo_max: Option<f64>,
    killed_clash: bool,
    /// The report the best estimate of deaths is taken from (see [`BestToll`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    killed_best: Option<BestToll>,
    source_sets: Vec<BTreeSet<String>>,
    perpetrator_clash: bool,
    asserted: bool,
    #[serde(default)]
    any_hedged: bool,
    #[serde(default)]
    any_denied: bool,
    #[serde(default)]
    first_day: Option<NaiveDate>,
    #[serde(default)]
    days_differ: bool,
    n_documents: usize,
    last_document: String,
    outlets: Vec<String>,
    groups: SourceGroups,
    earliest: Option<(Option<NaiveDate>, String, String)>,
    modalities: Vec<Modality>,
    confidence: f32,
    fine_range: Option<(NaiveDate, NaiveDate)>,
    any_range: Option<(NaiveDate, NaiveDate)>,
    /// Entries each list left out past [`MAX_AGGREGATE_ENTRIES`], by list (absent: none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    capped: BTreeMap<String, u64>,
}

/// The report a fused event's best estimate of deaths comes from (UCDP's "best" between its
/// "low" and "high"): a report stating the event as fact before a hedged or claimed one, then
/// the latest published (a later report has the update: bodies are found, the wounded die),
/// then the higher figure. The rank does not depend on the order reports are added in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct BestToll {
    asserted: bool,
    published: Option<NaiveDate>,
    /// The report's figure (the low end of a range it gives).
    value: f64,
}

impl BestToll {
    fn outranks(&self, other: &BestToll) -> bool {
        (self.asserted, self.published, self.value)
            .partial_cmp(&(other.asserted, other.published, other.value))
            .is_some_and(std::cmp::Ordering::is_gt)
    }
}

fn union(r: &mut Option<(NaiveDate, NaiveDate)>, s: NaiveDate, e: NaiveDate) {
    *r = Some(match *r {
        Some((a, b)) => (a.min(s), b.max(e)),
        None => (s, e),
    });
}

fn add_actors(out: &mut Vec<FusedActor>, actors: &[frontline_model::EventActor]) {
    let mut seen = BTreeSet::new();
    for a in actors {
        if !seen.insert(a.actor.code.as_str()) {
            continue;
        }
        match out.iter_mut().find(|f| f.code == a.actor.code) {
            Some(f) => f.reports += 1,
            None => out.push(FusedActor {
                code: a.actor.code.clone(),
                name: a.actor.name.clone(),
                country: a.actor.country.clone(),
                actor_type: a.actor.actor_type,
                reports: 1,
            }),
        }
    }
}

impl FusedState {
    /// Adds one report (see [`Member`] for the fields).
    pub fn add(&mut self, m: &Member) {
        let ev = &m.event;
        self.n_reports += 1;

        // Type and the codes that go with it.
        let t = match self.types.iter().position(|t| t.plover == ev.plover_type) {
            Some(i) => &mut self.types[i],
            None => {
                self.types.push(TypeTally {
                    plover: ev.plover_type,
                    n: 0,
                    acled: Tally::default(),
                    cameo: Tally::default(),
                    mode: Tally::default(),
                });
                let last = self.types.len() - 1;
                &mut self.types[last]
            }
        };
        t.n += 1;
        if let Some(a) = &ev.acled {
            t.acled
                .add((a.event_type.clone(), a.sub_event_type.clone()));
        }
        if let Some(c) = &ev.cameo_root {
            t.cameo.add(c.clone());
        }
        if let Some(md) = &ev.plover_mode {
            t.mode.add(md.clone());
        }

        // Dates: the tally is kept for the finest precision only.
        if let Some(d) = &ev.date {
            if self.best_time.is_none_or(|b| d.precision < b) {
                self.best_time = Some(d.precision);
                self.dates = Tally::default();
            }
            if self.best_time == Some(d.precision) {
                self.dates.add((d.start, d.end));
            }
        }

        self.add_place(ev);

        add_actors(&mut self.sources, &ev.sources);
        add_actors(&mut self.targets, &ev.targets);
        self.bound_lists();

        self.add_toll(m);

        // Perpetrators: two reports whose named sources share no actor.
        let codes: BTreeSet<String> = ev
            .sources
            .iter()
            .map(|a| a.actor.code.clone())
            .filter(|c| identifying_code(c))
            .collect();
        if !codes.is_empty() {
            if self.source_sets.iter().any(|s| s.is_disjoint(&codes)) {
                self.perpetrator_clash = true;
            }
            if !self.source_sets.contains(&codes) {
                if self.source_sets.len() < MAX_AGGREGATE_ENTRIES {
                    self.source_sets.push(codes);
                } else {
                    self.count_capped("source_sets", 1);
                }
            }
        }

        match ev.modality {
            Modality::Asserted => self.asserted = true,
            Modality::Hedged => self.any_hedged = true,
            Modality::Denied => self.any_denied = true,
            _ => {}
        }
        if !self.modalities.contains(&ev.modality) {
            self.modalities.push(ev.modality);
        }
        if let Some(day) = event_day(ev) {
            match self.first_day {
                None => self.first_day = Some(day),
                Some(first) if first != day => self.days_differ = true,
                Some(_) => {}
            }
        }
        self.confidence = self.confidence.max(ev.confidence);

        self.add_document(m);

        // Matching range: fine dates (day or week) when there are any, else all dates.
        match &ev.date {
            Some(d) => {
                if d.precision <= TimePrecision::Week {
                    union(&mut self.fine_range, d.start, d.end);
                }
                union(&mut self.any_range, d.start, d.end);
            }
            None => {
                if let Some(p) = m.published_at {
                    union(&mut self.any_range, p, p);
                }
            }
        }
    }

    /// Keeps each tallied list (dates, place votes, sources, targets) within
    /// [`MAX_AGGREGATE_ENTRIES`], counting what is left out.
    pub(crate) fn bound_lists(&mut self) {
        let dropped = [
            (
                "dates",
                bound_supported(&mut self.dates.0, |e| u64::from(e.1)),
            ),
            (
                "place_votes",
                bound_supported(&mut self.place_votes, |e| u64::from(e.1)),
            ),
            (
                "sources",
                bound_supported(&mut self.sources, |a| a.reports as u64),
            ),
            (
                "targets",
                bound_supported(&mut self.targets, |a| a.reports as u64),
            ),
        ];
        for (list, n) in dropped {
            self.count_capped(list, n);
        }
    }

    /// The record's place (in [`FusedState::add`]): finest precision with coordinates, then
    /// the resolver's score; the first of equals stays.
    fn add_place(&mut self, ev: &Event) {
        if let Some(l) = &ev.location {
            // A place fusion put in for a misread one (FU10, `focus.rs`) ranks after every
            // place a report gives itself.
            let stand_in = |relation: &str| relation == crate::focus::STAND_IN_RELATION;
            // A report dated only to the month or year is a side mention more often than the
            // event's own telling: its place does not vote.
            let dated_finely = ev
                .date
                .as_ref()
                .is_none_or(|d| d.precision <= TimePrecision::Week);
            let votes = if dated_finely {
                self.vote(l.place.geonameid)
            } else {
                self.votes_of(l.place.geonameid)
            };
            let best_votes = self.votes_of(self.location.as_ref().and_then(|b| b.loc.geonameid));
            let better = match &self.location {
                None => true,
                Some(b) => (
                    stand_in(&l.relation),
                    l.place.precision,
                    place_names_its_province(
                        &l.place.name,
                        l.place.admin1.as_deref(),
                        l.place.precision,
                    ),
                    l.place.lat.is_none(),
                    std::cmp::Reverse(votes),
                )
                    .cmp(&(
                        stand_in(&b.loc.relation),
                        b.loc.precision,
                        b.loc.province_named(),
                        b.loc.lat.is_none(),
                        std::cmp::Reverse(best_votes),
                    ))
                    .then(if (b.score - l.place.score).abs() <= SCORE_TIE {
                        std::cmp::Ordering::Equal
                    } else {
                        b.score.total_cmp(&l.place.score)
                    })
                    .is_lt(),
            };
            if better {
                self.location = Some(BestLocation {
                    loc: FusedLocation {
                        name: l.place.name.clone(),
                        geonameid: l.place.geonameid,
                        lat: l.place.lat,
                        lon: l.place.lon,
                        precision: l.place.precision,
                        country_code: l.place.country_code.clone(),
                        admin1: l.place.admin1.clone(),
                        relation: l.relation.clone(),
                    },
                    score: l.place.score,
                });
            }
        }
    }

    /// Casualties (in [`FusedState::add`]): the range, the best estimate and whether two
    /// ranges clash.
    fn add_toll(&mut self, m: &Member) {
        let ev = &m.event;
        // Casualties: two ranges that do not overlap clash.
        if let (Some((lo, hi)), Some((figure, _))) =
            (killed_span(&ev.quantities), killed(&ev.quantities))
        {
            if let (Some(min_hi), Some(max_lo)) = (self.killed_hi_min, self.killed_lo_max)
                && (min_hi < lo || hi < max_lo)
            {
                self.killed_clash = true;
            }
            self.killed_hi_min = Some(self.killed_hi_min.map_or(hi, |v| v.min(hi)));
            self.killed_lo_max = Some(self.killed_lo_max.map_or(lo, |v| v.max(lo)));
            self.killed_min = Some(self.killed_min.map_or(lo, |v| v.min(lo)));
            self.killed_max = Some(self.killed_max.map_or(hi, |v| v.max(hi)));
            let this = BestToll {
                asserted: ev.modality == Modality::Asserted,
                published: m.published_at,
                value: figure,
            };
            if self.killed_best.is_none_or(|b| this.outranks(&b)) {
                self.killed_best = Some(this);
            }
        }
    }

    /// Documents (in [`FusedState::add`]): a new one is counted once, with its outlet, its
    /// source group and its first report.
    fn add_document(&mut self, m: &Member) {
        if self.n_documents == 0 || self.last_document != m.document_id {
            self.n_documents += 1;
            self.last_document.clone_from(&m.document_id);
            if let Some(o) = &m.outlet
                && !self.outlets.iter().any(|x| x.eq_ignore_ascii_case(o))
            {
                if self.outlets.len() < MAX_AGGREGATE_ENTRIES {
                    self.outlets.push(o.clone());
                } else {
                    self.count_capped("outlets", 1);
                }
            }
            for (list, n) in self
                .groups
                .add_bounded(m.story_id, m.outlet.as_deref(), &m.credits)
            {
                self.count_capped(list, n);
            }
            let earlier = |e: &(Option<NaiveDate>, String, String)| {
                (m.published_at.is_none(), m.published_at) < (e.0.is_none(), e.0)
            };
            if self.earliest.as_ref().is_none_or(earlier) {
                self.earliest = Some((
                    m.published_at,
                    m.document_id.clone(),
                    m.sentence_text.clone(),
                ));
            }
        }
    }

    fn count_capped(&mut self, list: &str, n: u64) {
        if n > 0 {
            *self.capped.entry(list.to_string()).or_default() += n;
        }
    }

    /// Entries the aggregate's lists left out past [`MAX_AGGREGATE_ENTRIES`], by list: `dates`,
    /// `place_votes`, `sources`, `targets` (the least reported dropped), `source_sets`,
    /// `outlets`, `source_groups` (new ones past the cap not kept), `group_stories`,
    /// `group_outlets` (a group's entries past the cap). Empty when no cap was reached; then
    /// the record's counts and lists are exact. Otherwise `outlets`, `n_outlets`, `n_sources`
    /// and the actor lists cover what was kept.
    pub fn capped(&self) -> &BTreeMap<String, u64> {
        &self.capped
    }

    /// Counts one more report of a place; returns its reports so far (0 for a place without
    /// a GeoNames id).
    fn vote(&mut self, place: Option<u64>) -> u32 {
        let Some(id) = place else { return 0 };
        match self.place_votes.iter_mut().find(|v| v.0 == id) {
            Some(v) => {
                v.1 += 1;
                v.1
            }
            None => {
                self.place_votes.push((id, 1));
                1
            }
        }
    }

    fn votes_of(&self, place: Option<u64>) -> u32 {
        place
            .and_then(|id| self.place_votes.iter().find(|v| v.0 == id))
            .map_or(0, |v| v.1)
    }

    /// The fused record (`id` is the fused event's id), with the claims of its
    /// contradictions taken from `claims`: what [`Claims::add`] collected from the same reports.
    /// `None` before any report.
    pub fn finish(&self, id: i64, claims: &Claims) -> Option<FusedEvent> {
        self.finish_with(id, Some(claims))
    }

    /// The fused record with each contradiction's `claims` left empty: what the store's
    /// summary columns are made of, at a cost that does not grow with the number of reports.
    pub fn finish_summary(&self, id: i64) -> Option<FusedEvent> {
        self.finish_with(id, None)
    }

    /// Whether the record lists a contradiction, so that reading it needs the reports' claims.
    pub fn has_contradictions(&self) -> bool {
        self.contradiction_kinds().next().is_some()
    }

    /// What the reports disagree about, in the order the record lists it.
    fn contradiction_kinds(&self) -> impl Iterator<Item = ContradictionKind> {
        [
            (ContradictionKind::Perpetrator, self.perpetrator_clash),
            (ContradictionKind::Fatalities, self.killed_clash),
            (ContradictionKind::Hedging, self.asserted && self.any_hedged),
            (ContradictionKind::Denial, self.any_denied),
            (ContradictionKind::Date, self.days_differ),
        ]
        .into_iter()
        .filter_map(|(kind, present)| present.then_some(kind))
    }

    fn finish_with(&self, id: i64, claims: Option<&Claims>) -> Option<FusedEvent> {
        let (earliest_report, earliest_document, notes) = self.earliest.clone()?;
        let max = self.types.iter().map(|t| t.n).max()?;
        let t = self.types.iter().find(|t| t.n == max)?;
        let acled = t
            .acled
            .best()
            .map(|(event_type, sub_event_type)| AcledType {
                event_type: event_type.clone(),
                sub_event_type: sub_event_type.clone(),
            });
        let date = self.dates.best_least().copied();
        let sort = |v: &[FusedActor]| {
            let mut v = v.to_vec();
            v.sort_by_key(|a| std::cmp::Reverse(a.reports));
            v
        };
        let modality = [
            Modality::Asserted,
            Modality::Hedged,
            Modality::Denied,
            Modality::Negated,
            Modality::Hypothetical,
        ]
        .into_iter()
        .find(|md| self.modalities.contains(md))
        .unwrap_or_default();
        let range = self.fine_range.or(self.any_range);
        Some(FusedEvent {
            id,
            plover_type: t.plover,
            plover_mode: t.mode.best().cloned(),
            acled,
            cameo_root: t.cameo.best().cloned(),
            date_start: date.map(|d| d.0),
            date_end: date.map(|d| d.1),
            time_precision: self.best_time,
            location: self.location.as_ref().map(|l| l.loc.clone()),
            sources: sort(&self.sources),
            targets: sort(&self.targets),
            fatalities: self.killed_min.map(|v| v.max(0.0).round() as u64),
            fatalities_best: self
                .killed_best
                .map(|b| b.value.max(0.0).round() as u64)
                // an aggregate stored before the best estimate was kept: the lowest
                .or(self.killed_min.map(|v| v.max(0.0).round() as u64)),
            fatalities_max: self.killed_max.map(|v| v.max(0.0).round() as u64),
            n_reports: self.n_reports,
            n_documents: self.n_documents,
            n_sources: self.groups.0.len(),
            n_outlets: self.outlets.len(),
            outlets: self.outlets.clone(),
            earliest_report,
            earliest_document,
            modality,
            confidence: self.confidence,
            notes,
            contradictions: self.contradictions(claims),
            match_start: range.map(|r| r.0),
            match_end: range.map(|r| r.1),
            // Stamped by the store, read from their columns (stamp.rs).
            created_at: None,
            updated_at: None,
        })
    }

    fn contradictions(&self, claims: Option<&Claims>) -> Vec<Contradiction> {
        let list = |pick: fn(&Claims) -> &Vec<Claim>| claims.map(pick).cloned().unwrap_or_default();
        self.contradiction_kinds()
            .map(|kind| {
                let (detail, claims) = match kind {
                    ContradictionKind::Perpetrator => (
                        "reports name different perpetrators",
                        list(|c| &c.perpetrator),
                    ),
                    ContradictionKind::Fatalities => (
                        "reports give different numbers of dead",
                        list(|c| &c.killed),
                    ),
                    ContradictionKind::Hedging => (
                        "some reports state it as fact, others hedge it",
                        list(|c| &c.hedged),
                    ),
                    ContradictionKind::Denial => {
                        ("a report says the event is denied", list(|c| &c.denied))
                    }
                    ContradictionKind::Date => {
                        let mut days: Vec<Claim> = claims
                            .map(|c| c.days.iter().map(|d| d.1.clone()).collect())
                            .unwrap_or_default();
                        days.sort_by(|a, b| {
                            a.value.cmp(&b.value).then(a.event_id.cmp(&b.event_id))
                        });
                        ("reports give different days", days)
                    }
                };
                Contradiction {
                    kind,
                    detail: detail.into(),
                    claims,
                }
            })
            .collect()
    }

    /// The actors named so far, as (role, code), role being `source` or `target`.
    pub fn actor_codes(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.sources
            .iter()
            .map(|a| ("source", a.code.as_str()))
            .chain(self.targets.iter().map(|a| ("target", a.code.as_str())))
    }

    /// Whether a report of this story was added.
    pub fn has_story(&self, story: i64) -> bool {
        self.groups.0.iter().any(|g| g.0.contains(&story))
    }

    /// Whether the last report added came from this document.
    pub fn last_document_is(&self, document_id: &str) -> bool {
        self.n_documents > 0 && self.last_document == document_id
    }

    /// Stories of the documents reporting it.
    pub fn stories(&self) -> BTreeSet<i64> {
        self.groups
            .0
            .iter()
            .flat_map(|g| g.0.iter().copied())
            .collect()
    }
}

/// What each report of a fused event says on the points reports can disagree about: the
/// `claims` of the record's contradictions.
///
/// A [`FusedState`] keeps only whether reports disagree, so that its size does not grow with
/// the number of reports; the store collects the claims from the stored reports when a record
/// is read. Reports must be added in the order they were added to the state.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(test, derive(Serialize))]
pub struct Claims {
    killed: Vec<Claim>,
    perpetrator: Vec<Claim>,
    hedged: Vec<Claim>,
    denied: Vec<Claim>,
    days: Vec<(NaiveDate, Claim)>,
}

impl Claims {
    /// Adds what one report says.
    pub fn add(&mut self, report: &ReportClaims) {
        let stored = &report.stored;
        let claim = |value: String| Claim {
            event_id: report.event_id.clone(),
            document_id: stored.document_id.clone(),
            outlet: stored.outlet.clone(),
            value,
        };
        if let Some(v) = &stored.killed {
            self.killed.push(claim(v.clone()));
        }
        if let Some(v) = &stored.perpetrators {
            self.perpetrator.push(claim(v.clone()));
        }
        match report.modality {
            Modality::Hedged => self.hedged.push(claim("hedged".into())),
            Modality::Denied => self.denied.push(claim("denied".into())),
            _ => {}
        }
        if let Some(day) = report.day {
            self.days.push((day, claim(day.to_string())));
        }
    }
}

/// What one report can claim against others: the material of [`Claims`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReportClaims {
    /// Event id.
    pub event_id: String,
    /// The event's modality (hedged and denied reports are claims).
    pub modality: Modality,
    /// The day of a day-precise date.
    pub day: Option<NaiveDate>,
    /// Its document, outlet, casualty count and perpetrators, as the store keeps them.
    pub stored: StoredReport,
}

impl ReportClaims {
    /// The claims of `ev`, reported by document `document_id` of `outlet`.
    pub fn of(ev: &Event, document_id: &str, outlet: Option<&str>) -> Self {
        Self {
            event_id: ev.id.clone(),
            modality: ev.modality,
            day: event_day(ev),
            stored: StoredReport::of(ev, document_id, outlet),
        }
    }
}

/// What the store keeps of a report for its record's claims besides its modality and day
/// (`events.claims`, compact JSON), so that listing the claims of a fused event reads one
/// index (`events_claims`) and neither the event's JSON nor its document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredReport {
    /// Document id.
    #[serde(rename = "d")]
    pub document_id: String,
    /// Outlet of the document, when known.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "o")]
    pub outlet: Option<String>,
    /// The casualty count ("9", or a range "12-15"), when the report gives one.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "k")]
    pub killed: Option<String>,
    /// The perpetrators' names, when the report names an identifying actor among them.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "p")]
    pub perpetrators: Option<String>,
    /// The report's date is its publication date, the text giving none: no claim about the
    /// day (see [`event_day`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not", rename = "u")]
    pub undated: bool,
}

impl StoredReport {
    /// What the store keeps of `ev`, reported by document `document_id` of `outlet`.
    pub fn of(ev: &Event, document_id: &str, outlet: Option<&str>) -> Self {
        Self {
            document_id: document_id.to_string(),
            outlet: outlet.map(str::to_string),
            killed: killed_span(&ev.quantities).map(|(lo, hi)| {
                if lo == hi {
                    format!("{lo}")
                } else {
                    format!("{lo}-{hi}")
                }
            }),
            perpetrators: ev
                .sources
                .iter()
                .any(|a| identifying_code(&a.actor.code))
                .then(|| actor_names(&ev.sources)),
            undated: dated_by_publication(ev),
        }
    }
}

/// Whether the event's date is its document's publication date, the text giving none
/// (`DT40-publication-date`).
fn dated_by_publication(ev: &Event) -> bool {
    ev.rules.iter().any(|r| r.starts_with("DT40"))
}

/// The day a report says the event happened on, for the `date` contradiction: its day-precise
/// date, unless that date is only the publication date.
fn event_day(ev: &Event) -> Option<NaiveDate> {
    if dated_by_publication(ev) {
        None
    } else {
        day_of(ev.date.as_ref())
    }
}

/// The day of a day-precise date.
fn day_of(date: Option<&TimeRef>) -> Option<NaiveDate> {
    date.filter(|d| d.precision == TimePrecision::Day)
        .map(|d| d.start)
}

/// Merges the reports of one event into its fused record (`id` is the fused event's id).
///
/// Returns `None` for an empty member list. The same as adding the members one by one to a
/// [`FusedState`] and finishing it, which is what the store does.
pub fn aggregate(id: i64, members: &[Member]) -> Option<FusedEvent> {
    let mut state = FusedState::default();
    let mut claims = Claims::default();
    for m in members {
        state.add(m);
        claims.add(&ReportClaims::of(
            &m.event,
            &m.document_id,
            m.outlet.as_deref(),
        ));
    }
    state.finish(id, &claims)
}
/// The match key of a fused event.
pub fn key_of_fused(f: &FusedEvent, stories: BTreeSet<i64>) -> MatchKey {
    let mut key = MatchKey {
        plover: Some(f.plover_type),
        acled_type: f.acled.as_ref().map(|a| a.event_type.clone()),
        territorial: territorial_type(
            Some(f.plover_type.as_str()),
            f.acled.as_ref().map(|a| a.sub_event_type.as_str()),
        ),
        acled_sub: f.acled.as_ref().map(|a| a.sub_event_type.clone()),
        start: f.match_start,
        end: f.match_end,
        stories,
        ..Default::default()
    };
    if let Some(l) = &f.location {
        key.lat = l.lat;
        key.lon = l.lon;
        key.geonameid = l.geonameid;
        key.precision = Some(l.precision);
        key.country = l.country_code.clone();
        key.admin1 = l.admin1.clone();
        key.names_province = place_names_its_province(&l.name, l.admin1.as_deref(), l.precision);
    }
    for a in f.sources.iter().chain(&f.targets) {
        if identifying_code(&a.code) {
            key.actor_codes.insert(a.code.clone());
        }
        if let Some(c) = &a.country {
            key.actor_countries.insert(c.clone());
        }
    }
    key
}

#[cfg(test)]
mod same_document_tests {
    use super::*;

    fn key(lat: f64, lon: f64, precision: GeoPrecision, day: u32) -> MatchKey {
        MatchKey {
            plover: Some(PloverType::Assault),
            acled_type: Some("Battles".into()),
            start: NaiveDate::from_ymd_opt(2025, 7, day),
            end: NaiveDate::from_ymd_opt(2025, 7, day),
            lat: Some(lat),
            lon: Some(lon),
            precision: Some(precision),
            country: Some("UA".into()),
            admin1: Some("Donetsk".into()),
            ..MatchKey::default()
        }
    }

    #[test]
    fn fu30_a_retelling_at_the_same_town_or_only_in_its_province_is_the_same_event() {
        let town = key(48.53, 37.71, GeoPrecision::Point, 14);
        assert!(same_document_event(
            &key(48.53, 37.71, GeoPrecision::Point, 14),
            &town
        ));
        let mut province = key(48.0, 37.8, GeoPrecision::Admin1, 14);
        assert!(same_document_event(&province, &town));
        // another province, or the next day, is another event
        province.admin1 = Some("Kharkiv".into());
        assert!(!same_document_event(&province, &town));
        assert!(!same_document_event(
            &key(48.53, 37.71, GeoPrecision::Point, 15),
            &town
        ));
    }

    #[test]
    fn fu30_a_second_town_or_an_unresolved_place_is_another_event() {
        let town = key(48.53, 37.71, GeoPrecision::Point, 14);
        // a town 37 km away ("separately, ... struck Sloviansk")
        assert!(!same_document_event(
            &key(48.85, 37.60, GeoPrecision::Point, 14),
            &town
        ));
        let unresolved = MatchKey {
            lat: None,
            lon: None,
            ..key(0.0, 0.0, GeoPrecision::Unresolved, 14)
        };
        assert!(!same_document_event(&unresolved, &town));
        // named actors with nothing in common
        let mut a = key(48.53, 37.71, GeoPrecision::Point, 14);
        a.actor_codes.insert("RUSMIL".into());
        a.actor_countries.insert("RUS".into());
        let mut b = town;
        b.actor_codes.insert("UKRMIL".into());
        b.actor_countries.insert("UKR".into());
        assert!(!same_document_event(&a, &b));
    }

    #[test]
    fn fu31_a_second_town_does_not_join_through_the_documents_country_level_retelling() {
        let town = key(48.53, 37.71, GeoPrecision::Point, 14);
        let mut country = key(49.0, 32.0, GeoPrecision::Country, 14);
        country.admin1 = None;
        let second_town = key(48.85, 37.60, GeoPrecision::Point, 14);
        // the retelling alone would take it; the record also holds the first town
        assert!(same_document_event(&second_town, &country));
        let joined = vec![(town.clone(), 7), (country.clone(), 7)];
        assert_eq!(same_document_record(&second_town, &joined), None);
        // a retelling at the first town still joins
        assert_eq!(same_document_record(&town, &joined), Some(7));
        // a record of the country-level retelling alone is joined
        assert_eq!(same_document_record(&second_town, &[(country, 9)]), Some(9));
    }

    #[test]
    fn fu40_a_capture_a_withdrawal_and_an_entry_at_one_town_are_one_act() {
        let typed = |plover: PloverType, acled: &str, sub: Option<&str>| {
            let mut k = key(48.14, 37.75, GeoPrecision::Point, 17);
            k.plover = Some(plover);
            k.acled_type = Some(acled.into());
            k.territorial = territorial_type(Some(plover.as_str()), sub);
            k
        };
        // "the army said it withdrew from the town" and "the rebels said they took it"
        let capture = typed(
            PloverType::Coerce,
            "Battles",
            Some("Non-state actor overtakes territory"),
        );
        let withdrawal = typed(
            PloverType::Retreat,
            "Strategic developments",
            Some("Non-violent transfer of territory"),
        );
        let entry = typed(
            PloverType::Mobilize,
            "Strategic developments",
            Some("Other"),
        );
        assert!(match_score(&withdrawal, &capture).is_some());
        assert!(match_score(&capture, &withdrawal).is_some());
        assert!(match_score(&entry, &capture).is_some());
        assert!(same_document_event(&withdrawal, &capture));
        // a second town 20 km away is another place
        let mut elsewhere = withdrawal.clone();
        elsewhere.lat = Some(48.32);
        assert!(match_score(&elsewhere, &capture).is_none());
        // an evacuation of people is no change of hands, and a withdrawal no strike
        let evacuation = typed(PloverType::Retreat, "Strategic developments", None);
        assert!(match_score(&evacuation, &capture).is_none());
        let strike = typed(PloverType::Assault, "Explosions/Remote violence", None);
        assert!(match_score(&withdrawal, &strike).is_none());
        // the candidate search looks a withdrawal up under the capture's types
        let types = family_types(Some("RETREAT"), Some("Strategic developments"), true);
        assert!(types.contains(&('a', "Battles")) && types.contains(&('p', "COERCE")));
    }

    #[test]
    fn fu38_a_town_named_like_its_province_never_matches_a_place_of_another_province() {
        // "an air strike in Idlib" (the governorate's main town) against a strike "near" a
        // town of Aleppo province 44 km away
        let mut named = key(35.93, 36.63, GeoPrecision::Point, 15);
        named.admin1 = Some("Idlib Governorate".into());
        named.names_province = true;
        let mut near = key(36.28, 36.85, GeoPrecision::Admin2, 15);
        near.admin1 = Some("Aleppo Governorate".into());
        assert!(match_score(&named, &near).is_none());
        assert!(match_score(&near, &named).is_none());
        // a place near a town of its own province still matches
        near.admin1 = Some("Idlib Governorate".into());
        assert!(match_score(&near, &named).is_some());
        assert!(province_named_fits(&near, &named));
    }

    #[test]
    fn fu39_records_of_two_towns_are_not_merged_and_a_shared_side_outranks_the_bare_spot() {
        let province = |mut k: MatchKey| {
            k.admin1 = Some("Idlib Governorate".into());
            k
        };
        let side = |mut k: MatchKey| {
            k.actor_codes.insert("SYRMIL".into());
            k
        };
        let mut main = province(key(35.93, 36.63, GeoPrecision::Point, 15));
        main.names_province = true;
        let south = side(province(key(35.81, 36.61, GeoPrecision::Point, 15)));
        // a report at the main town naming the side joins the other town's record (FU35) ...
        let report = side(main.clone());
        assert!(match_score(&report, &south).is_some());
        // ... and ranks it above a record at the main town that names no side
        let bare = match_score(&report, &main).unwrap_or(f64::MAX);
        let shared = match_score(&report, &south).unwrap_or(0.0);
        assert!(shared > bare, "{shared} <= {bare}");
        // but two records of the two towns are never merged
        assert!(!records_linkable(&side(main), &south));
        assert!(records_linkable(&south, &south.clone()));
    }

    #[test]
    fn fu41_two_province_level_reports_of_one_act_naming_no_common_side_fuse() {
        // the village is unknown to the gazetteer: each outlet's "bandits abducted pupils" falls
        // back to the state
        let state = |day: u32| {
            let mut k = key(10.5, 7.4, GeoPrecision::Admin1, day);
            k.acled_type = Some("Violence against civilians".into());
            k.acled_sub = Some("Abduction/forced disappearance".into());
            k.admin1 = Some("Kaduna".into());
            k
        };
        let mut named = state(7);
        named.actor_codes.insert("NGAREB".into());
        assert!(match_score(&state(7), &named).is_some());
        assert!(match_score(&named, &state(7)).is_some());
        // the next day, another kind of act, or another state is another event
        assert!(match_score(&state(8), &named).is_none());
        let mut clash = state(7);
        clash.acled_sub = Some("Armed clash".into());
        assert!(match_score(&clash, &named).is_none());
        let mut other = state(7);
        other.admin1 = Some("Zamfara".into());
        assert!(match_score(&other, &named).is_none());
        // two different named sides stay apart
        let mut army = state(7);
        army.actor_codes.insert("NGAMIL".into());
        assert!(match_score(&army, &named).is_none());
    }

    #[test]
    fn fu37_a_code_and_a_longer_code_it_begins_name_one_actor() {
        let set = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<BTreeSet<_>>();
        // "Yemeni rebels" and "the Houthis"
        assert!(codes_share(&set(&["YEMREB"]), &set(&["YEMREBHTH", "ARE"])));
        assert!(codes_share(&set(&["SYRMILRG"]), &set(&["SYRMIL"])));
        // a country alone, or a transnational prefix, names no one side
        assert!(!codes_share(&set(&["SYR"]), &set(&["SYRMIL"])));
        assert!(!codes_share(&set(&["IMGMUS"]), &set(&["IMGMUSISI"])));
        assert!(!codes_share(&set(&["YEMREB"]), &set(&["SDNREBRSF"])));
    }

    #[test]
    fn fu33_a_town_named_like_a_province_of_several_words() {
        let p = GeoPrecision::Point;
        assert!(place_names_its_province(
            "Abu Dhabi",
            Some("Abu Dhabi Emirate"),
            p
        ));
        assert!(place_names_its_province(
            "Idlib",
            Some("Idlib Governorate"),
            p
        ));
        assert!(place_names_its_province(
            "Donetsk",
            Some("Donetska oblast"),
            p
        ));
        assert!(place_names_its_province("Nairobi", Some("Nairobi City"), p));
        assert!(!place_names_its_province(
            "Abu",
            Some("Abu Dhabi Emirate"),
            p
        ));
        assert!(!place_names_its_province(
            "Musaffah",
            Some("Abu Dhabi Emirate"),
            p
        ));
        assert!(!place_names_its_province(
            "Kramatorsk",
            Some("Donetska oblast"),
            p
        ));
        assert!(!place_names_its_province(
            "Abu Dhabi",
            Some("Abu Dhabi Emirate"),
            GeoPrecision::Admin1
        ));
    }

    #[test]
    fn fu35_a_town_named_like_its_province_matches_a_town_of_the_province_on_a_shared_actor() {
        // "Idlib" (the province's main town) and a town 13 km south, in Idlib province
        let named = |mut k: MatchKey| {
            k.admin1 = Some("Idlib Governorate".into());
            k.names_province = true;
            k
        };
        let town = |mut k: MatchKey| {
            k.admin1 = Some("Idlib Governorate".into());
            k
        };
        let main = named(key(35.93, 36.63, GeoPrecision::Point, 15));
        let south = town(key(35.81, 36.61, GeoPrecision::Point, 15));
        // no named actor in common, no story: two towns, two events
        assert!(match_score(&main, &south).is_none());
        assert!(match_score(&south, &main).is_none());
        // a shared named actor, whichever side is the record
        let with = |mut k: MatchKey| {
            k.actor_codes.insert("SYRMIL".into());
            k
        };
        assert!(match_score(&with(main.clone()), &with(south.clone())).is_some());
        assert!(match_score(&with(south.clone()), &with(main.clone())).is_some());
        // copies of one story
        let story = |mut k: MatchKey| {
            k.stories.insert(7);
            k
        };
        assert!(match_score(&story(main.clone()), &story(south.clone())).is_some());
        // a town of another province, or two towns neither named like its province
        let mut elsewhere = with(south.clone());
        elsewhere.admin1 = Some("Aleppo Governorate".into());
        assert!(match_score(&with(main.clone()), &elsewhere).is_none());
        let mut plain = with(main);
        plain.names_province = false;
        assert!(match_score(&plain, &with(south)).is_none());
        // beyond the district distance, never
        let far = with(town(key(36.40, 36.63, GeoPrecision::Point, 15)));
        assert!(
            match_score(
                &with(named(key(35.93, 36.63, GeoPrecision::Point, 15))),
                &far
            )
            .is_none()
        );
    }

    #[test]
    fn fu33_a_town_named_like_its_province_may_stand_for_the_province() {
        use crate::testutil::{EventSpec, extraction, place};
        let at = |name: &str, admin1: Option<&str>, precision| {
            let spec = EventSpec::assault(vec![], Some(place(name, 1, 48.0, 37.8, "UA")), None);
            let mut ev = extraction("A report.", None, None, &[spec])
                .events
                .remove(0);
            if let Some(l) = &mut ev.location {
                l.place.admin1 = admin1.map(str::to_string);
                l.place.precision = precision;
            }
            ev
        };
        assert!(names_its_province(&at(
            "Donetsk",
            Some("Donetska oblast"),
            GeoPrecision::Point
        )));
        assert!(names_its_province(&at(
            "Idlib",
            Some("Idlib Governorate"),
            GeoPrecision::Point
        )));
        assert!(names_its_province(&at(
            "Ma'rib",
            Some("Ma'rib Governorate"),
            GeoPrecision::Point
        )));
        // another town of the province, a province itself, no province known
        assert!(!names_its_province(&at(
            "Kostiantynivka",
            Some("Donetska oblast"),
            GeoPrecision::Point
        )));
        assert!(!names_its_province(&at(
            "Idlib",
            Some("Idlib Governorate"),
            GeoPrecision::Admin1
        )));
        assert!(!names_its_province(&at("Idlib", None, GeoPrecision::Point)));
        // a short name that only begins the province's name
        assert!(!names_its_province(&at(
            "Ar",
            Some("Ar Raqqah"),
            GeoPrecision::Point
        )));
        assert!(!names_its_province(&at(
            "Kos",
            Some("Kostroma Oblast"),
            GeoPrecision::Point
        )));
    }

    #[test]
    fn fu50_a_capture_and_killings_of_civilians_in_the_same_town_are_two_events() {
        let mut capture = key(12.70, 28.43, GeoPrecision::Point, 1);
        capture.plover = Some(PloverType::Coerce);
        capture.stories.insert(1);
        let mut killings = key(12.70, 28.43, GeoPrecision::Point, 1);
        killings.acled_type = Some("Violence against civilians".into());
        killings.stories.insert(2);
        assert!(battle_and_violence_against_civilians(&killings, &capture));
        assert_eq!(match_score(&killings, &capture), None);
        // a strike worded as killings still joins a strike record
        let mut strike = capture.clone();
        strike.plover = Some(PloverType::Assault);
        strike.acled_type = Some("Explosions/Remote violence".into());
        assert!(match_score(&killings, &strike).is_some());
        // an assault coded Battles ("stormed") may be the same raid
        let mut stormed = capture.clone();
        stormed.plover = Some(PloverType::Assault);
        assert!(match_score(&killings, &stormed).is_some());
        // a copy of the same story still joins
        killings.stories.insert(1);
        assert!(match_score(&killings, &capture).is_some());
    }
}

#[cfg(test)]
mod aggregate_cap_tests {
    use super::*;
    use crate::testutil::{EventSpec, actor, extraction, place};

    /// A report of an assault from its own document (`n`), outlet and story.
    fn report(n: usize, outlet: &str, code: &str, place_id: u64, day: NaiveDate) -> Member {
        let mut spec = EventSpec::assault(
            vec![actor(
                code,
                code,
                Some("SYR"),
                frontline_model::ActorType::Rebel,
            )],
            Some(place(
                &format!("Place {place_id}"),
                place_id,
                35.0,
                36.0,
                "SY",
            )),
            None,
        );
        spec.date = Some(day);
        if code == "MAIN" {
            spec.killed = Some(5.0);
        }
        let ex = extraction("Gunmen attacked a village.", Some(outlet), None, &[spec]);
        Member {
            event: ex.events[0].clone(),
            document_id: format!("doc{n}"),
            outlet: Some(outlet.to_string()),
            story_id: n as i64,
            published_at: None,
            sentence_text: "Gunmen attacked a village.".into(),
            credits: Vec::new(),
        }
    }

    fn day(offset: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default() + chrono::Days::new(offset)
    }

    /// 2,000 reports each with its own outlet, actor, place and day, among 400 that agree.
    fn flooded() -> (FusedState, FusedState) {
        let (mut all, mut agreeing) = (FusedState::default(), FusedState::default());
        for i in 0..2000 {
            all.add(&report(
                i,
                &format!("Outlet {i}"),
                &format!("X{i}"),
                100 + i as u64,
                day(i as u64),
            ));
            if i % 5 == 0 {
                let m = report(10_000 + i, "Main Wire", "MAIN", 1, day(5000));
                all.add(&m);
                agreeing.add(&m);
            }
        }
        (all, agreeing)
    }

    #[test]
    fn fu60_a_flooded_aggregate_stays_bounded_and_counts_what_it_left_out() {
        let (all, agreeing) = flooded();
        assert!(all.dates.0.len() <= MAX_AGGREGATE_ENTRIES);
        assert!(all.place_votes.len() <= MAX_AGGREGATE_ENTRIES);
        assert!(all.sources.len() <= MAX_AGGREGATE_ENTRIES);
        assert!(all.outlets.len() <= MAX_AGGREGATE_ENTRIES);
        assert!(all.source_sets.len() <= MAX_AGGREGATE_ENTRIES);
        assert!(all.groups.0.len() <= MAX_AGGREGATE_ENTRIES);
        // 2,001 outlets, each first seen once: all but the first 256 left out.
        assert_eq!(all.capped().get("outlets"), Some(&1745));
        for list in [
            "dates",
            "place_votes",
            "sources",
            "source_sets",
            "source_groups",
        ] {
            assert!(
                all.capped().get(list).is_some_and(|n| *n > 0),
                "{list} not counted"
            );
        }
        // 400 stories of one outlet are one group, past the cap of stories kept per group.
        assert_eq!(
            agreeing.capped().keys().collect::<Vec<_>>(),
            vec!["group_stories"]
        );
        let json = serde_json::to_string(&all).unwrap_or_default();
        assert!(
            json.len() < 200_000,
            "stored aggregate of {} bytes",
            json.len()
        );

        // The agreeing minority of reports still decides the record.
        let (f, g) = (
            all.finish_summary(1).unwrap_or_else(|| panic!("no record")),
            agreeing
                .finish_summary(1)
                .unwrap_or_else(|| panic!("no record")),
        );
        assert_eq!(f.plover_type, g.plover_type);
        assert_eq!(f.location.as_ref().and_then(|l| l.geonameid), Some(1));
        assert_eq!((f.date_start, f.date_end), (g.date_start, g.date_end));
        assert_eq!(f.date_start, Some(day(5000)));
        assert_eq!(f.fatalities_best, Some(5));
        assert_eq!(f.sources.first().map(|a| a.code.as_str()), Some("MAIN"));
        assert_eq!(f.n_reports, 2400);
        assert_eq!(f.n_documents, 2400);
    }

    #[test]
    fn fu60_a_stored_aggregate_without_the_cap_counts_still_reads() {
        let (all, _) = flooded();
        let mut old = serde_json::to_value(&all).unwrap_or_default();
        assert!(old.get("capped").is_some());
        if let Some(o) = old.as_object_mut() {
            o.remove("capped");
        }
        let read: FusedState = serde_json::from_value(old).unwrap_or_default();
        assert!(read.capped().is_empty());
        assert_eq!(read.n_reports, 2400);
        // and one with them reads them back
        let text = serde_json::to_string(&all).unwrap_or_default();
        let back: FusedState = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back.capped(), all.capped());
    }
}
