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
//! The fused record is recomputed from all its members on every change ([`aggregate`]), so it
//! never depends on the order reports arrived in.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
use frontline_model::{
    AcledType, Event, GeoPrecision, Modality, PloverType, QuantityKind, TimePrecision,
};
use serde::{Deserialize, Serialize};

use crate::query::{FusedActor, FusedEvent, FusedLocation};

/// Days either side of an event's date within which another report can be the same event.
pub const DATE_WINDOW_DAYS: u64 = 2;
/// Greatest distance between two located reports of the same event.
pub const MAX_DISTANCE_KM: f64 = 50.0;
/// Distance under which two reports are at the same spot even if their actors differ.
pub const SAME_SPOT_KM: f64 = 10.0;

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

/// What a contradiction is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContradictionKind {
    /// Reports name different perpetrators (no actor in common among the sources).
    Perpetrator,
    /// Reports give casualty counts that cannot both be right.
    Fatalities,
    /// Some reports state the event as fact, others hedge it.
    Hedging,
    /// A report says a party denies the event.
    Denial,
    /// Day-precise reports give different days.
    Date,
}

/// One report's side of a contradiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// Event id (`<document id>:<index>`).
    pub event_id: String,
    /// Document id.
    pub document_id: String,
    /// Outlet of the document, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// What this report says.
    pub value: String,
}

/// Reports of one fused event that disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contradiction {
    /// What they disagree about.
    pub kind: ContradictionKind,
    /// A sentence for people.
    pub detail: String,
    /// What each report involved says.
    pub claims: Vec<Claim>,
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
            start,
            end,
            ..Default::default()
        };
        if let Some(loc) = &ev.location {
            let p = &loc.place;
            key.lat = p.lat;
            key.lon = p.lon;
            key.geonameid = p.geonameid;
            key.precision = Some(p.precision);
            key.country = p.country_code.clone();
            key.admin1 = p.admin1.clone();
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

    fn located_finely(&self) -> bool {
        self.lat.is_some()
            && self.lon.is_some()
            && matches!(
                self.precision,
                Some(GeoPrecision::Point | GeoPrecision::Admin2)
            )
    }
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
    if !same_type && !same_acled {
        return None;
    }
    let same_story = !ev.stories.is_disjoint(&fused.stories);

    // Date.
    let mut score = if same_type { 1.0 } else { 0.5 };
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
    } else if !ev.actor_codes.is_disjoint(&fused.actor_codes) {
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
        if d > MAX_DISTANCE_KM {
            return None;
        }
        let same_spot =
            d <= SAME_SPOT_KM || (ev.geonameid.is_some() && ev.geonameid == fused.geonameid);
        if actors == Actors::Disjoint && !same_spot && !same_story {
            return None;
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
            // Only coarsely placed: needs the same actors or the same story.
            if actors == Actors::Shared || same_story {
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

fn most_common<T: Clone + Ord>(items: impl IntoIterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
    let mut order: Vec<T> = Vec::new();
    for it in items {
        let c = counts.entry(it.clone()).or_insert(0);
        if *c == 0 {
            order.push(it);
        }
        *c += 1;
    }
    let best = counts.values().copied().max()?;
    order.into_iter().find(|t| counts.get(t) == Some(&best))
}

fn killed(ev: &Event) -> Option<(f64, f64)> {
    ev.quantities
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

fn claim(m: &Member, value: String) -> Claim {
    Claim {
        event_id: m.event.id.clone(),
        document_id: m.document_id.clone(),
        outlet: m.outlet.clone(),
        value,
    }
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
    // Union-find over documents.
    let mut docs: Vec<(&str, i64, Option<String>)> = Vec::new();
    for m in members {
        if !docs.iter().any(|d| d.0 == m.document_id) {
            docs.push((
                &m.document_id,
                m.story_id,
                m.outlet.as_ref().map(|o| o.trim().to_lowercase()),
            ));
        }
    }
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for i in 0..docs.len() {
        for j in (i + 1)..docs.len() {
            let same_outlet = docs[i].2.is_some() && docs[i].2 == docs[j].2;
            if docs[i].1 == docs[j].1 || same_outlet {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    (0..docs.len())
        .filter(|&i| find(&mut parent, i) == i)
        .count()
}

/// Merges the reports of one event into its fused record (`id` is the fused event's id).
///
/// Returns `None` for an empty member list.
pub fn aggregate(id: i64, members: &[Member]) -> Option<FusedEvent> {
    let first = members.first()?;
    let plover_type = most_common(members.iter().map(|m| m.event.plover_type))?;
    let of_type: Vec<&Member> = members
        .iter()
        .filter(|m| m.event.plover_type == plover_type)
        .collect();
    let acled: Option<AcledType> = most_common(
        of_type
            .iter()
            .filter_map(|m| m.event.acled.as_ref())
            .map(|a| (a.event_type.clone(), a.sub_event_type.clone())),
    )
    .map(|(event_type, sub_event_type)| AcledType {
        event_type,
        sub_event_type,
    });
    let cameo_root = most_common(of_type.iter().filter_map(|m| m.event.cameo_root.clone()));
    let plover_mode = most_common(of_type.iter().filter_map(|m| m.event.plover_mode.clone()));

    // Best date: finest precision, then the date most reports give, then the earliest.
    let best_precision = members
        .iter()
        .filter_map(|m| m.event.date.as_ref().map(|d| d.precision))
        .min();
    let (date_start, date_end) = match best_precision {
        Some(p) => {
            let mut dates: Vec<(NaiveDate, NaiveDate)> = members
                .iter()
                .filter_map(|m| m.event.date.as_ref())
                .filter(|d| d.precision == p)
                .map(|d| (d.start, d.end))
                .collect();
            dates.sort();
            let common = most_common(dates.iter().copied());
            (common.map(|d| d.0), common.map(|d| d.1))
        }
        None => (None, None),
    };

    // Best location: finest precision with coordinates, then the resolver's score.
    let best_loc = members
        .iter()
        .filter_map(|m| m.event.location.as_ref())
        .min_by(|a, b| {
            (a.place.precision, a.place.lat.is_none())
                .cmp(&(b.place.precision, b.place.lat.is_none()))
                .then(b.place.score.total_cmp(&a.place.score))
        });
    let location = best_loc.map(|l| FusedLocation {
        name: l.place.name.clone(),
        geonameid: l.place.geonameid,
        lat: l.place.lat,
        lon: l.place.lon,
        precision: l.place.precision,
        country_code: l.place.country_code.clone(),
        admin1: l.place.admin1.clone(),
        relation: l.relation.clone(),
    });

    // Actors, with how many reports name each.
    let collect_actors = |pick: fn(&Event) -> &Vec<frontline_model::EventActor>| {
        let mut out: Vec<FusedActor> = Vec::new();
        for m in members {
            let mut seen = BTreeSet::new();
            for a in pick(&m.event) {
                if !seen.insert(a.actor.code.clone()) {
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
        out.sort_by_key(|a| std::cmp::Reverse(a.reports));
        out
    };
    let sources = collect_actors(|e| &e.sources);
    let targets = collect_actors(|e| &e.targets);

    // Fatalities: the most conservative figure (ACLED practice); the highest is kept too.
    let killed_by: Vec<(&Member, (f64, f64))> = members
        .iter()
        .filter_map(|m| killed(&m.event).map(|k| (m, k)))
        .collect();
    let fatalities = killed_by
        .iter()
        .map(|(_, k)| k.0)
        .min_by(f64::total_cmp)
        .map(|v| v.max(0.0).round() as u64);
    let fatalities_max = killed_by
        .iter()
        .map(|(_, k)| k.1)
        .max_by(f64::total_cmp)
        .map(|v| v.max(0.0).round() as u64);

    let mut documents: Vec<&Member> = Vec::new();
    for m in members {
        if !documents.iter().any(|d| d.document_id == m.document_id) {
            documents.push(m);
        }
    }
    let mut outlets: Vec<String> = Vec::new();
    for m in &documents {
        if let Some(o) = &m.outlet
            && !outlets.iter().any(|x| x.eq_ignore_ascii_case(o))
        {
            outlets.push(o.clone());
        }
    }
    let earliest = documents
        .iter()
        .min_by_key(|m| (m.published_at.is_none(), m.published_at))
        .copied()
        .unwrap_or(first);

    let modality = [
        Modality::Asserted,
        Modality::Hedged,
        Modality::Denied,
        Modality::Negated,
        Modality::Hypothetical,
    ]
    .into_iter()
    .find(|md| members.iter().any(|m| m.event.modality == *md))
    .unwrap_or_default();
    let confidence = members
        .iter()
        .map(|m| m.event.confidence)
        .fold(0.0_f32, f32::max);

    let contradictions = contradictions(members, &killed_by);

    // Matching range: the union of the finest dates (day or week) when there are any, so a
    // report dated only "this year" does not stretch the event over the whole year.
    let fine = members.iter().any(|m| {
        m.event
            .date
            .as_ref()
            .is_some_and(|d| d.precision <= TimePrecision::Week)
    });
    let (match_start, match_end) = members
        .iter()
        .filter(|m| {
            !fine
                || m.event
                    .date
                    .as_ref()
                    .is_some_and(|d| d.precision <= TimePrecision::Week)
        })
        .filter_map(|m| match &m.event.date {
            Some(d) => Some((d.start, d.end)),
            None => m.published_at.map(|p| (p, p)),
        })
        .fold(
            (None, None),
            |(s, e): (Option<NaiveDate>, Option<NaiveDate>), (a, b)| {
                (
                    Some(s.map_or(a, |s| s.min(a))),
                    Some(e.map_or(b, |e| e.max(b))),
                )
            },
        );

    Some(FusedEvent {
        id,
        plover_type,
        plover_mode,
        acled,
        cameo_root,
        date_start,
        date_end,
        time_precision: best_precision,
        location,
        sources,
        targets,
        fatalities,
        fatalities_max,
        n_reports: members.len(),
        n_documents: documents.len(),
        n_sources: independent_sources(members),
        n_outlets: outlets.len(),
        outlets,
        earliest_report: earliest.published_at,
        earliest_document: earliest.document_id.clone(),
        modality,
        confidence,
        notes: earliest.sentence_text.clone(),
        contradictions,
        match_start,
        match_end,
    })
}

fn contradictions(members: &[Member], killed_by: &[(&Member, (f64, f64))]) -> Vec<Contradiction> {
    let mut out = Vec::new();

    // Perpetrators: two reports whose named sources share no actor.
    let codes = |m: &Member| -> BTreeSet<String> {
        m.event
            .sources
            .iter()
            .map(|a| a.actor.code.clone())
            .filter(|c| identifying_code(c))
            .collect()
    };
    let with_sources: Vec<&Member> = members.iter().filter(|m| !codes(m).is_empty()).collect();
    let disjoint = with_sources.iter().enumerate().any(|(i, a)| {
        with_sources[i + 1..]
            .iter()
            .any(|b| codes(a).is_disjoint(&codes(b)))
    });
    if disjoint {
        out.push(Contradiction {
            kind: ContradictionKind::Perpetrator,
            detail: "reports name different perpetrators".into(),
            claims: with_sources
                .iter()
                .map(|m| claim(m, actor_names(&m.event.sources)))
                .collect(),
        });
    }

    // Casualties: ranges that do not overlap.
    let clash = killed_by.iter().enumerate().any(|(i, (_, a))| {
        killed_by[i + 1..]
            .iter()
            .any(|(_, b)| a.1 < b.0 || b.1 < a.0)
    });
    if clash {
        out.push(Contradiction {
            kind: ContradictionKind::Fatalities,
            detail: "reports give different numbers of dead".into(),
            claims: killed_by
                .iter()
                .map(|(m, (lo, hi))| {
                    let v = if lo == hi {
                        format!("{lo}")
                    } else {
                        format!("{lo}-{hi}")
                    };
                    claim(m, v)
                })
                .collect(),
        });
    }

    // Hedging and denial.
    let asserted = members
        .iter()
        .any(|m| m.event.modality == Modality::Asserted);
    let hedged: Vec<&Member> = members
        .iter()
        .filter(|m| m.event.modality == Modality::Hedged)
        .collect();
    if asserted && !hedged.is_empty() {
        out.push(Contradiction {
            kind: ContradictionKind::Hedging,
            detail: "some reports state it as fact, others hedge it".into(),
            claims: hedged.iter().map(|m| claim(m, "hedged".into())).collect(),
        });
    }
    let denied: Vec<&Member> = members
        .iter()
        .filter(|m| m.event.modality == Modality::Denied)
        .collect();
    if !denied.is_empty() {
        out.push(Contradiction {
            kind: ContradictionKind::Denial,
            detail: "a report says the event is denied".into(),
            claims: denied.iter().map(|m| claim(m, "denied".into())).collect(),
        });
    }

    // Day-precise dates that differ.
    let days: HashMap<NaiveDate, Vec<&Member>> =
        members.iter().fold(HashMap::new(), |mut acc, m| {
            if let Some(d) = &m.event.date
                && d.precision == TimePrecision::Day
            {
                acc.entry(d.start).or_default().push(m);
            }
            acc
        });
    if days.len() > 1 {
        let mut claims: Vec<Claim> = days
            .iter()
            .flat_map(|(d, ms)| ms.iter().map(move |m| claim(m, d.to_string())))
            .collect();
        claims.sort_by(|a, b| a.value.cmp(&b.value).then(a.event_id.cmp(&b.event_id)));
        out.push(Contradiction {
            kind: ContradictionKind::Date,
            detail: "reports give different days".into(),
            claims,
        });
    }
    out
}

/// The match key of a fused event.
pub fn key_of_fused(f: &FusedEvent, stories: BTreeSet<i64>) -> MatchKey {
    let mut key = MatchKey {
        plover: Some(f.plover_type),
        acled_type: f.acled.as_ref().map(|a| a.event_type.clone()),
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
