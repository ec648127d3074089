//! Choosing: which place each found name stands for.

use rustc_hash::FxHashMap as HashMap;

use frontline_gazetteer::countries::{self, Country, CountryNameKind};
use frontline_gazetteer::{Gazetteer, Hit, Place, normalize};
use frontline_model::{GeoPrecision, PlaceCandidate, PlaceRef};
use frontline_text::Span;

use crate::find::Found;
use crate::{Dropped, Toponym};

fn is_country_code(fc: &str) -> bool {
    matches!(
        fc,
        "PCLI" | "PCLD" | "PCLF" | "PCLS" | "PCLIX" | "PCL" | "TERR" | "PCLH"
    )
}

fn precision(p: &Place<'_>) -> GeoPrecision {
    match p.feature_code {
        fc if is_country_code(fc) => GeoPrecision::Country,
        "CONT" => GeoPrecision::Continent,
        "ADM1" | "ADM1H" => GeoPrecision::Admin1,
        "ADM2" | "ADM2H" | "ADM3" | "ADMD" => GeoPrecision::Admin2,
        "RGN" | "RGNE" | "DSRT" | "VAL" | "PLN" | "PLAT" | "MTS" | "AREA" | "ISLS" | "PEN"
        | "GULF" | "SEA" | "OCN" | "LK" | "STM" => GeoPrecision::Region,
        _ => GeoPrecision::Point,
    }
}

/// Prior score from feature and population.
fn prior(p: &Place<'_>) -> f32 {
    let pop = (p.population as f32 + 1.0).ln() * 0.35;
    match p.feature_code {
        fc if is_country_code(fc) => 9.0,
        "CONT" => 8.5,
        "ADM1" => 7.0,
        "ADM2" => 5.0,
        _ if p.feature_class == 'P' && p.population >= 500_000 => {
            pop + 1.5 + if p.feature_code == "PPLC" { 2.0 } else { 0.5 }
        }
        "PPLC" => pop + 2.0,
        "PPLA" => pop + 1.0,
        "PPLA2" => pop + 0.5,
        _ if p.feature_class == 'P' => pop,
        _ if p.feature_class == 'A' => pop + 0.5,
        _ => pop - 0.5,
    }
}

struct Doc {
    /// Evidence each found name contributed (by key, then country), removed when scoring names
    /// with that key.
    own: HashMap<String, HashMap<String, f32>>,
    countries: HashMap<String, f32>,
    max_country: f32,
    admin1: HashMap<String, f32>,
    centroid: Option<(f64, f64)>,
}

/// The document's country evidence seen from one name: what the other names say.
struct Without<'d> {
    doc: &'d Doc,
    own: Option<&'d HashMap<String, f32>>,
    max: f32,
}

impl Without<'_> {
    fn get(&self, cc: &str) -> f32 {
        let own = self.own.and_then(|o| o.get(cc)).copied().unwrap_or(0.0);
        (self.doc.countries.get(cc).copied().unwrap_or(0.0) - own).max(0.0)
    }

    /// Share of a country in the evidence from names other than this one.
    fn share(&self, cc: &str) -> f32 {
        if self.max <= 0.0 {
            0.0
        } else {
            self.get(cc) / self.max
        }
    }
}

impl Doc {
    fn country_share(&self, cc: &str) -> f32 {
        if self.max_country <= 0.0 {
            return 0.0;
        }
        self.countries.get(cc).copied().unwrap_or(0.0) / self.max_country
    }

    /// The evidence from names other than `key` (computed once per name, not per candidate:
    /// the cost stays linear in the length of the document).
    fn without(&self, key: &str) -> Without<'_> {
        let mut w = Without {
            doc: self,
            own: self.own.get(key),
            max: 0.0,
        };
        w.max = match w.own {
            None => self.max_country,
            Some(_) => self.countries.keys().map(|c| w.get(c)).fold(0.0, f32::max),
        };
        w
    }

    fn top_country(&self, among: Option<&[String]>) -> Option<String> {
        self.countries
            .iter()
            .filter(|(c, _)| among.is_none_or(|a| a.contains(c)))
            .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(c, _)| c.clone())
    }
}

fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

/// Greatest distance between a province's centre and a city taken for its capital of the same
/// name when their GeoNames province codes disagree.
const CAPITAL_KM: f64 = 200.0;

/// Names of at most this many letters are short ([`AN10`](score_candidates)): codes and
/// abbreviations are among a place's alternate names.
const SHORT_NAME: usize = 4;

/// What a short name loses on a place it reaches only through an alternate name.
const ALTERNATE_PENALTY: f32 = 2.0;

/// Places smaller than this reached by a bare word only through alternate names are dropped
/// (`AN20-alternate-only`).
const ALTERNATE_ONLY_POPULATION: u64 = 50_000;

/// `UN30-unit-of-its-seat`: a name followed by a unit word that asks for a first-level unit
/// ("the Kherson region", "Zaporizhzhia oblast") whose best match is the seat of a
/// first-level unit (GeoNames `PPLA`) names that unit, when the gazetteer knows the unit only
/// by a longer form of the seat's name ("Khersonska oblast"): the seat's own province, in
/// its country. A province named otherwise is not taken ("the Mosul region" is not all of
/// Nineveh).
fn unit_of_seat<'a>(g: &'a Gazetteer, p: &Place<'a>, f: &Found) -> Option<Place<'a>> {
    if f.level != Some("ADM1") || p.feature_code != "PPLA" {
        return None;
    }
    let name = p.admin1_name?;
    let seat = compact(&normalize::key(p.name));
    g.lookup(name)
        .iter()
        .filter_map(|h| g.place(h.idx))
        .find(|q| q.feature_code == "ADM1" && q.country == p.country && seat_named(q.name, &seat))
}

/// Letters a unit's name must begin with like its seat's, and letters the shorter of the two
/// may go on after that, for the unit to be named after its seat (`UN30`): "Odeska oblast" is
/// Odesa's, "Zaporizka oblast" Zaporizhzhia's, "Sumska" Sumy's (a seat of four letters
/// needs three), "Nineveh" not Mosul's.
const SEAT_PREFIX: usize = 4;
const SEAT_TAIL: usize = 3;

/// A name key without spaces, hyphens or apostrophes.
fn compact(key: &str) -> String {
    key.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Whether the unit named `unit` is named after the seat whose compact key is `seat`.
fn seat_named(unit: &str, seat: &str) -> bool {
    let key = normalize::key(unit);
    let bare = UNIT_WORDS
        .iter()
        .find_map(|w| key.strip_suffix(w).and_then(|r| r.strip_suffix(' ')))
        .unwrap_or(&key);
    let bare = compact(bare);
    let n = bare
        .chars()
        .zip(seat.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let shorter = bare.chars().count().min(seat.chars().count());
    n >= SEAT_PREFIX.min(shorter.saturating_sub(1)).max(3) && n + SEAT_TAIL >= shorter
}

/// Most letters a misspelt country name may differ by (`TR30-country-by-spelling`).
const COUNTRY_TYPOS: usize = 2;

/// Whether the name keyed `key` spells the country `name` closely (`TR30`): it ends with the
/// country's key ("an australia"), or is at most [`COUNTRY_TYPOS`] edits from it.
fn spelled_closely(key: &str, name: &str) -> bool {
    let c = normalize::key(name);
    if key.ends_with(&c) {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (key.chars().collect(), c.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(x != y);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= COUNTRY_TYPOS
}

/// `UN31-exact-seat-over-spelling`: with a word after the name that asks for a first-level
/// unit, a unit reached only by a transliteration of the name gives way to the unit of a seat
/// the name matches exactly ("the Odesa region" is the oblast of Odesa, not Odisha, India).
fn exact_seat_unit<'a>(g: &'a Gazetteer, sc: &[Scored<'_, 'a>], f: &Found) -> Option<Place<'a>> {
    let best = sc.first()?;
    let exact = |p: &Place<'_>| f.hits.iter().any(|h| h.exact && h.idx == p.idx);
    if f.level != Some("ADM1") || best.place.feature_code != "ADM1" || exact(best.place) {
        return None;
    }
    sc.iter()
        .filter(|c| c.place.feature_code == "PPLA" && exact(c.place))
        .find_map(|c| unit_of_seat(g, c.place, f))
        .filter(|u| u.idx != best.place.idx)
}

/// Places reached only through an alternate name from this population up keep their name
/// abroad ("Bombay", "Peking"): `AN30-alternate-abroad` leaves them alone.
const ALTERNATE_ABROAD_POPULATION: u64 = 500_000;

/// `AN30-alternate-abroad`: whether the best candidate `p` is a town below
/// [`ALTERNATE_ABROAD_POPULATION`] that bears the name only as an alternate name, in a country
/// the document's other names give no support while they support another one. A cue that asks
/// for a populated place ("the village of Azizi, in Panjwayi district of Kandahar": an
/// alternate name of a Greek hamlet) does not make such a town more likely.
fn alternate_abroad(
    p: &Place<'_>,
    cands: &[(Place<'_>, bool, bool)],
    others: &Without<'_>,
    f: &Found,
) -> bool {
    precision(p) == GeoPrecision::Point
        && p.population < ALTERNATE_ABROAD_POPULATION
        && f.country.is_none()
        && f.qualifier.is_none()
        && f.level.is_none_or(|l| l == "P")
        && !f.dateline
        && cands
            .iter()
            .find(|(c, _, _)| c.idx == p.idx)
            .is_some_and(|(_, _, main)| !main)
        && others.max > 0.0
        && others.share(p.country) == 0.0
}

/// Whether `p` bears the name keyed `key` (loose key `loose`) as its own main name rather
/// than as one of its alternate names.
/// A unit word after the name ("Gilchrist County") or an article before it ("Al Anbar") does
/// not make the name another.
fn main_name(p: &Place<'_>, key: &str, loose: &str) -> bool {
    let own = normalize::key(p.name);
    let bare = UNIT_WORDS
        .iter()
        .find_map(|w| own.strip_suffix(w).and_then(|r| r.strip_suffix(' ')))
        .unwrap_or(&own);
    let bare = ["al ", "el ", "ar ", "as ", "ad ", "an ", "ash ", "az "]
        .iter()
        .find_map(|a| bare.strip_prefix(a))
        .unwrap_or(bare);
    own == key || bare == key || normalize::loose_from_key(&own) == loose
}

/// Unit words GeoNames writes after some units' names.
const UNIT_WORDS: &[&str] = &[
    "county",
    "parish",
    "township",
    "province",
    "governorate",
    "district",
    "region",
    "oblast",
    "city",
    "municipality",
];

struct Scored<'p, 'a> {
    place: &'p Place<'a>,
    score: f32,
}

/// The gazetteer places of every found name's hits, looked up once per document (both passes
/// and every qualifier read them): `places[ranges[i].0..ranges[i].1]` are found name `i`'s, in
/// hit order, each with whether its hit was exact and whether it was reached by the place's
/// main name ([`main_name`]).
struct Candidates<'a> {
    places: Vec<(Place<'a>, bool, bool)>,
    ranges: Vec<(usize, usize)>,
}

impl<'a> Candidates<'a> {
    fn new(g: &'a Gazetteer, found: &[Found]) -> Self {
        let mut places = Vec::with_capacity(found.iter().map(|f| f.hits.len()).sum());
        let mut ranges = Vec::with_capacity(found.len());
        for f in found {
            let start = places.len();
            let loose = normalize::loose_from_key(&f.key);
            places.extend(f.hits.iter().filter_map(|h| {
                g.place(h.idx).map(|p| {
                    let main = main_name(&p, &f.key, &loose);
                    (p, h.exact, main)
                })
            }));
            ranges.push((start, places.len()));
        }
        Candidates { places, ranges }
    }

    fn of(&self, i: usize) -> &[(Place<'a>, bool, bool)] {
        self.ranges
            .get(i)
            .and_then(|&(a, b)| self.places.get(a..b))
            .unwrap_or(&[])
    }
}

fn score_candidates<'p, 'a>(
    cands: &'p Candidates<'a>,
    i: usize,
    f: &Found,
    all: &[Found],
    doc: &Doc,
) -> Vec<Scored<'p, 'a>> {
    let mine = cands.of(i);
    let mut out: Vec<Scored<'p, 'a>> = Vec::with_capacity(mine.len());
    let others = doc.without(&f.key);
    let short = f.key.chars().filter(|c| c.is_alphanumeric()).count() <= SHORT_NAME;
    for (p, exact, main) in mine {
        let mut s = prior(p);
        if !exact {
            s -= 1.5;
        } else if short && !main {
            // AN10-short-alternate: a short name reaching a place only through one of its
            // alternate names (an airport code, an abbreviation: "GAO" for Guantánamo) gives
            // way to a place that bears it as its own name ("Gao", Mali)
            s -= ALTERNATE_PENALTY;
        }
        match f.level {
            // "the city of X": a populated place rather than the unit named after it
            Some("P") => {
                if p.feature_class == 'P' {
                    s += 3.0;
                } else if !is_country_code(p.feature_code) {
                    s -= 1.0;
                }
            }
            Some(level) => {
                if p.feature_code == level {
                    s += 3.0;
                } else if p.feature_class == 'P' {
                    s -= 1.0;
                }
            }
            None => {}
        }
        s += 4.0 * others.share(p.country);
        if let Some(a1) = p.admin1_code {
            s += 3.0 * doc.admin1.get(a1).copied().unwrap_or(0.0).min(1.0);
        }
        if let Some((qi, q)) = f.qualifier.and_then(|qi| all.get(qi).map(|q| (qi, q))) {
            s += qualifier_bonus(cands, p, qi, q);
        }
        if let Some(c) = doc.centroid {
            if !is_country_code(p.feature_code) && p.feature_code != "CONT" {
                let d = haversine_km(c, (p.lat, p.lon));
                s -= 0.4 * ((1.0 + d / 50.0).ln() as f32);
            }
        }
        out.push(Scored { place: p, score: s });
    }
    // A bare name shared by a province and its capital ("Idlib", "Basra", "Kharkiv") is read
    // as the city, as a reader of "a market in Idlib" does: the province needs a cue ("Idlib
    // province", handled by `level`). The province keeps its place among the other candidates
    // (places of the name elsewhere), just under its capital. The capital is the PPLA of the
    // same country hit by the same kind of match (exact or by transliteration) with the same
    // province code or, since GeoNames' codes for some countries' cities and provinces
    // disagree (Yemen, Sudan), within `CAPITAL_KM` of the province's centre.
    if f.level.is_none() && out.iter().any(|c| c.place.feature_code == "ADM1") {
        let capital_score = |adm1: &Place<'_>, adm1_exact: bool| {
            out.iter()
                .zip(mine)
                .filter(|(c, (_, exact, _))| {
                    *exact == adm1_exact
                        && c.place.feature_code == "PPLA"
                        && c.place.country == adm1.country
                        && (c.place.admin1_code == adm1.admin1_code
                            || haversine_km((c.place.lat, c.place.lon), (adm1.lat, adm1.lon))
                                <= CAPITAL_KM)
                })
                .map(|(c, _)| c.score)
                .reduce(f32::max)
        };
        let caps: Vec<Option<f32>> = out
            .iter()
            .zip(mine)
            .map(|(c, (_, exact, _))| {
                (c.place.feature_code == "ADM1")
                    .then(|| capital_score(c.place, *exact))
                    .flatten()
            })
            .collect();
        for (c, cap) in out.iter_mut().zip(caps) {
            if let Some(cap) = cap {
                c.score = c.score.min(cap - 0.5);
            }
        }
    }
    // Entries equal under this order are the same place with the same score: an unstable sort
    // gives the same result.
    out.sort_unstable_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.place.idx.cmp(&b.place.idx))
    });
    // One entry per GeoNames id (the same place can be hit by several of its names).
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|s| {
        let k = s.place.idx;
        if seen.contains(&k) {
            false
        } else {
            seen.push(k);
            true
        }
    });
    out
}

fn qualifier_bonus(cands: &Candidates<'_>, p: &Place<'_>, qi: usize, q: &Found) -> f32 {
    if let Some(code) = q.state {
        return if p.country == "US"
            && p.admin1_code
                .is_some_and(|a| a.strip_prefix("US.") == Some(code))
        {
            8.0
        } else {
            -2.0
        };
    }
    if let Some((c, _)) = q.country {
        if c.iso2 == p.country {
            return 6.0;
        }
    }
    for (qp, _, _) in cands.of(qi) {
        if qp.feature_code == "ADM1" && qp.admin1_code.is_some() && qp.admin1_code == p.admin1_code
        {
            return 6.0;
        }
        if is_country_code(qp.feature_code) && qp.country == p.country {
            return 5.0;
        }
    }
    0.0
}

fn country_place(c: &Country, demonym: bool) -> PlaceRef {
    PlaceRef {
        name: c.name.clone(),
        geonameid: (c.geonameid != 0).then_some(c.geonameid),
        lat: Some(c.lat),
        lon: Some(c.lon),
        feature_class: Some("A".into()),
        feature_code: Some("PCLI".into()),
        country_code: Some(c.iso2.clone()),
        admin1: None,
        precision: GeoPrecision::Country,
        score: 0.95,
        inferred: None,
        demonym,
        alternatives: Vec::new(),
    }
}

fn place_ref(g: &Gazetteer, best: &Scored<'_, '_>, rest: &[Scored<'_, '_>]) -> PlaceRef {
    let p = &best.place;
    let margin = rest.first().map_or(4.0, |r| best.score - r.score);
    PlaceRef {
        name: p.name.to_string(),
        geonameid: p.geonameid,
        lat: Some(p.lat),
        lon: Some(p.lon),
        feature_class: (p.feature_class != ' ').then(|| p.feature_class.to_string()),
        feature_code: (!p.feature_code.is_empty()).then(|| p.feature_code.to_string()),
        country_code: (!p.country.is_empty()).then(|| p.country.to_string()),
        admin1: p
            .admin1_code
            .and_then(|a| g.admin_name(a))
            .map(str::to_string),
        precision: precision(p),
        score: 1.0 / (1.0 + (-margin).exp()),
        inferred: None,
        demonym: false,
        alternatives: rest
            .iter()
            .take(3)
            .map(|r| PlaceCandidate {
                geonameid: r.place.geonameid.unwrap_or(0),
                name: r.place.name.to_string(),
                lat: r.place.lat,
                lon: r.place.lon,
                score: r.score,
            })
            .collect(),
    }
}

/// Resolves found names against the gazetteer with document context.
pub(crate) fn resolve(
    g: &Gazetteer,
    text: &str,
    sentences: &[Span],
    found: &[Found],
    drops: &mut Vec<Dropped>,
) -> Vec<Toponym> {
    // Evidence from names that say their country outright.
    let mut doc = Doc {
        own: HashMap::default(),
        countries: HashMap::default(),
        max_country: 0.0,
        admin1: HashMap::default(),
        centroid: None,
    };
    for f in found {
        if let Some((c, kind)) = f.country {
            let w = if kind == CountryNameKind::Demonym {
                0.7
            } else {
                1.0
            };
            *doc.countries.entry(c.iso2.clone()).or_default() += w;
        }
        if let Some(code) = f.state {
            *doc.countries.entry("US".into()).or_default() += 1.0;
            *doc.admin1.entry(format!("US.{code}")).or_default() += 1.0;
        }
    }
    // First pass: priors only; confident picks add to the document's evidence.
    doc.max_country = doc.countries.values().copied().fold(0.0, f32::max);
    let mut picks: Vec<(f64, f64, f32)> = Vec::new();
    let mut add_country: Vec<(String, f32)> = Vec::new();
    let mut add_admin: Vec<(String, f32)> = Vec::new();
    let cands = Candidates::new(g, found);
    for (i, f) in found.iter().enumerate() {
        let sc = score_candidates(&cands, i, f, found, &doc);
        if let Some(b) = sc.first() {
            let margin = sc.get(1).map_or(3.0, |r| b.score - r.score);
            let w = if f.dateline {
                2.0
            } else if margin > 1.0 {
                0.5
            } else {
                0.2
            };
            if f.country.is_none() && !b.place.country.is_empty() {
                add_country.push((b.place.country.to_string(), w));
                *doc.own
                    .entry(f.key.clone())
                    .or_default()
                    .entry(b.place.country.to_string())
                    .or_default() += w;
            }
            if let Some(a1) = b.place.admin1_code {
                let w1 = if b.place.feature_code == "ADM1" {
                    1.0
                } else {
                    w
                };
                add_admin.push((a1.to_string(), w1));
            }
            if !is_country_code(b.place.feature_code) && b.place.feature_code != "CONT" {
                picks.push((b.place.lat, b.place.lon, w));
            }
        }
    }
    for (c, w) in add_country {
        *doc.countries.entry(c).or_default() += w;
    }
    for (a, w) in add_admin {
        *doc.admin1.entry(a).or_default() += w;
    }
    doc.max_country = doc.countries.values().copied().fold(0.0, f32::max);
    let wsum: f32 = picks.iter().map(|p| p.2).sum();
    if picks.len() >= 2 && wsum > 0.0 {
        let lat = picks.iter().map(|p| p.0 * f64::from(p.2)).sum::<f64>() / f64::from(wsum);
        let lon = picks.iter().map(|p| p.1 * f64::from(p.2)).sum::<f64>() / f64::from(wsum);
        doc.centroid = Some((lat, lon));
    }

    let mut out = Vec::with_capacity(found.len());
    for (i, f) in found.iter().enumerate() {
        let surface = &text[f.span.range()];
        if let Some(code) = f.state {
            let place = state_place(g, code).unwrap_or_else(|| PlaceRef::unresolved(surface));
            out.push(Toponym {
                span: f.span,
                dateline: f.dateline,
                place,
            });
            continue;
        }
        // A demonym stands for its country whatever the candidates say: no need to score them.
        if let Some((c, CountryNameKind::Demonym)) = f.country {
            if f.people {
                drops.push(Dropped {
                    span: f.span,
                    rule: "DM10-plural-demonym",
                });
                continue;
            }
            out.push(Toponym {
                span: f.span,
                dateline: f.dateline,
                place: country_place(c, true),
            });
            continue;
        }
        let mut sc = score_candidates(&cands, i, f, found, &doc);
        // TR30-country-by-spelling: a country is named by its own names and aliases; one a
        // name reaches only by transliteration and does not spell closely ("Mayele", a
        // Congolese village, for Mali; not "Mauritious" nor "An Australia") is no candidate
        sc.retain(|c| {
            !is_country_code(c.place.feature_code)
                || f.hits.iter().any(|h| h.exact && h.idx == c.place.idx)
                || spelled_closely(&f.key, c.place.name)
        });
        // a province found only by transliteration beside exact matches of villages stands
        // only where the document's countries support it ("Anbar" in a story about Iraq)
        if f.level.is_none() && f.hits.iter().any(|h| h.exact) {
            let others = doc.without(&f.key);
            sc.retain(|c| {
                c.place.feature_code != "ADM1"
                    || f.hits.iter().any(|h| h.exact && h.idx == c.place.idx)
                    || others.share(c.place.country) >= 0.5
            });
        }
        let seat_unit = exact_seat_unit(g, &sc, f);
        if let Some(unit) = &seat_unit {
            // UN31: the seat's unit replaces the transliterated unit at the head
            let score = sc.first().map_or(0.0, |b| b.score);
            sc.retain(|c| c.place.idx != unit.idx);
            sc.insert(0, Scored { place: unit, score });
        }
        match sc.first() {
            Some(best) => {
                let p = &best.place;
                let others = doc.without(&f.key);
                // A transliteration-only match must sit in one of the story's main countries,
                // unless it is the kind of unit the name's unit word asks for ("Anbar
                // province": Al Anbar Governorate).
                let weak_loose = !f.hits.iter().any(|h| h.exact && h.idx == p.idx)
                    && others.share(p.country) < 0.5
                    && !is_country_code(p.feature_code)
                    && f.level.is_none_or(|l| l != p.feature_code);
                let tiny = precision(p) == GeoPrecision::Point
                    && p.population < 1_000
                    && doc.country_share(p.country) < 0.3
                    && !f.cued
                    && f.qualifier.is_none();
                let weak_initial = f.initial
                    && !f.dateline
                    && precision(p) == GeoPrecision::Point
                    && p.population < 100_000
                    && doc.country_share(p.country) < 0.5;
                // AN20-alternate-only: a one-word name that is only an alternate name of small
                // places ("Henry", "Sixteen"), with no cue, is a word, not a place
                let alternate_only = !f.key.contains(' ')
                    && !f.cued
                    && !f.dateline
                    && f.level.is_none()
                    && f.qualifier.is_none()
                    && f.country.is_none()
                    && precision(p) == GeoPrecision::Point
                    && p.population < ALTERNATE_ONLY_POPULATION
                    && cands.of(i).iter().all(|(_, _, main)| !main);
                // AN30-alternate-abroad: a name that reaches its place only through one of
                // the place's other names, in a country that nothing else in the document
                // names while other names point elsewhere ("Manda Bay" in a story about
                // Kenya: an alternate name of Handa, Japan), is a place the gazetteer lacks
                let abroad_only = !weak_loose && alternate_abroad(p, cands.of(i), &others, f);
                let weak_loose = weak_loose || abroad_only;
                let unit_wins = p.feature_code == "ADM1"
                    && f.country
                        .is_some_and(|(c, _)| others.share(p.country) > others.share(&c.iso2));
                if let Some((c, _)) = f
                    .country
                    .filter(|_| !is_country_code(p.feature_code) && !unit_wins)
                {
                    out.push(Toponym {
                        span: f.span,
                        dateline: f.dateline,
                        place: country_place(c, false),
                    });
                } else if weak_loose && !f.cued {
                    drops.push(Dropped {
                        span: f.span,
                        rule: if alternate_only {
                            "AN20-alternate-only"
                        } else if abroad_only {
                            "AN30-alternate-abroad"
                        } else {
                            "TR10-weak-transliteration"
                        },
                    });
                    continue;
                } else if weak_loose {
                    out.push(Toponym {
                        span: f.span,
                        dateline: f.dateline,
                        place: inferred(surface, f, found, sentences, text, &doc),
                    });
                } else if tiny || weak_initial || alternate_only {
                    // A capitalised word matching only a hamlet far from the story: not a place.
                    drops.push(Dropped {
                        span: f.span,
                        rule: if alternate_only {
                            "AN20-alternate-only"
                        } else if weak_initial {
                            "IN10-sentence-initial"
                        } else {
                            "SM10-small-far-place"
                        },
                    });
                    continue;
                } else if let Some(unit) = unit_of_seat(g, p, f) {
                    // UN30-unit-of-its-seat: "the Kherson region" is the oblast, not the city
                    let unit = Scored {
                        place: &unit,
                        score: best.score,
                    };
                    out.push(Toponym {
                        span: f.span,
                        dateline: f.dateline,
                        place: place_ref(g, &unit, &sc),
                    });
                } else {
                    out.push(Toponym {
                        span: f.span,
                        dateline: f.dateline,
                        place: place_ref(g, best, &sc[1..]),
                    });
                }
            }
            None => match f.country {
                Some((c, _)) => out.push(Toponym {
                    span: f.span,
                    dateline: f.dateline,
                    place: country_place(c, false),
                }),
                None => out.push(Toponym {
                    span: f.span,
                    dateline: f.dateline,
                    place: inferred(surface, f, found, sentences, text, &doc),
                }),
            },
        }
    }
    out
}

fn state_place(g: &Gazetteer, code: &str) -> Option<PlaceRef> {
    let hit: Hit = g.lookup(code).into_iter().find(|h| {
        g.place(h.idx)
            .is_some_and(|p| p.country == "US" && p.feature_code == "ADM1")
    })?;
    let p = g.place(hit.idx)?;
    Some(place_ref(
        g,
        &Scored {
            place: &p,
            score: 10.0,
        },
        &[],
    ))
}

/// How near (in bytes) the word "border" must stand to a name for the name to be read as
/// lying on a border ("the al-Waleed border crossing", "Tanf, near the border with Jordan").
const BORDER_REACH: usize = 60;

/// Words before a country name that make it the place where something is ("in Syria",
/// "inside Iraq"); "by Iran", "with Syria" or "Syria said" name an actor or a partner.
const IN_COUNTRY: &[&str] = &[
    "in",
    "inside",
    "into",
    "within",
    "across",
    "throughout",
    "near",
];

/// Whether a country name is used as a place: after a locative preposition and not as an
/// adjective ("in U.S.-held territory").
fn locative(text: &str, span: Span) -> bool {
    let rest = text.get(span.end..).unwrap_or("");
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    if rest.starts_with('-') {
        return false;
    }
    let before = text.get(..span.start).unwrap_or("").trim_end();
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    IN_COUNTRY.contains(&word.as_str())
}

/// What can be said about a name the gazetteer cannot place: its country, from the sentence
/// or the document, or the border it lies on.
///
/// In its sentence, a country named as a place ("in Syria") nearest the name is taken first;
/// other mentions ("Iraqi forces", "U.S.-backed", "sponsored by Iran") say who acts more often
/// than where, so among them the document's evidence decides. A name with "border" beside it lies on
/// the border of two neighbouring countries of the sentence.
/// Bytes after a name the gazetteer lacks within which a place can qualify it.
const QUALIFIER_REACH: usize = 60;

/// `UN20-placed-in-unit`: a name the gazetteer lacks that the text places in another place of
/// its sentence ("Kfar Dounia in the northwest province of Latakia", "Zamzam, near El
/// Fasher") lies in that place's country, before any country the sentence names as an actor
/// ("The United States condemns the attack in ..."). Only a place right after the name, with
/// "in", "of", "near" or a comma between and no list ("and") or clause break.
fn placed_in(f: &Found, sentence: &[Found], text: &str, doc: &Doc) -> Option<String> {
    sentence.iter().find_map(|o| {
        if o.span.start < f.span.end
            || o.span.start - f.span.end > QUALIFIER_REACH
            || o.country.is_some()
            || o.hits.is_empty()
        {
            return None;
        }
        let gap = text.get(f.span.end..o.span.start)?.to_lowercase();
        let tied = gap.starts_with(", ")
            || gap.starts_with(" in ")
            || gap.starts_with(" near ")
            || gap.contains(" of ");
        if !tied
            || gap.contains(" and ")
            || gap.contains([';', '(', ')'])
            || gap.get(1..).is_none_or(|g| g.contains(','))
        {
            return None;
        }
        let own = doc.own.get(&o.key)?;
        own.iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(cc, _)| cc.clone())
    })
}

fn inferred(
    surface: &str,
    f: &Found,
    all: &[Found],
    sentences: &[Span],
    text: &str,
    doc: &Doc,
) -> PlaceRef {
    let mut p = PlaceRef::unresolved(surface);
    // `all` is in text order, so the names of one sentence are a contiguous run.
    let from = all.partition_point(|o| o.sentence < f.sentence);
    let to = all.partition_point(|o| o.sentence <= f.sentence);
    // (locative, distance, country), ordered best first.
    let mut named: Vec<(bool, usize, &'static Country)> = Vec::new();
    for o in all.get(from..to).unwrap_or(&[]) {
        if let Some((c, kind)) = o.country {
            let loc = kind != CountryNameKind::Demonym && locative(text, o.span);
            let dist = if o.span.start >= f.span.end {
                o.span.start - f.span.end
            } else {
                f.span.start.saturating_sub(o.span.end)
            };
            named.push((loc, dist, c));
        }
    }
    named.sort_by_key(|&(loc, dist, _)| (!loc, dist));
    let mut in_sentence: Vec<&'static Country> = Vec::new();
    for (_, _, c) in &named {
        if !in_sentence.iter().any(|x| x.iso2 == c.iso2) {
            in_sentence.push(c);
        }
    }
    let codes: Vec<String> = in_sentence.iter().map(|c| c.iso2.clone()).collect();
    let placed_in = placed_in(f, all.get(from..to).unwrap_or(&[]), text, doc);
    let by_unit = placed_in.is_some() && !matches!(named.first(), Some((true, _, _)));
    let country = match named.first() {
        Some((true, _, c)) => Some(c.iso2.clone()),
        _ if placed_in.is_some() => placed_in,
        Some(_) => doc
            .top_country(Some(&codes))
            .or_else(|| codes.first().cloned()),
        None => doc.top_country(None),
    };
    let sentence = sentences.get(f.sentence).copied().unwrap_or(f.span);
    let near = Span::new(
        f.span
            .start
            .saturating_sub(BORDER_REACH)
            .max(sentence.start),
        (f.span.end + BORDER_REACH).min(sentence.end),
    );
    let border = text
        .get(near.range())
        .is_some_and(|s| s.to_lowercase().contains("border"));
    // The first pair of neighbours, taking the sentence's countries best first.
    let pair = border
        .then(|| {
            in_sentence.iter().enumerate().find_map(|(i, a)| {
                in_sentence[i + 1..]
                    .iter()
                    .find(|b| a.neighbours.contains(&b.iso2))
                    .map(|b| (*a, *b))
            })
        })
        .flatten();
    if let Some((a, b)) = pair {
        let (x, y) = if a.iso2 <= b.iso2 { (a, b) } else { (b, a) };
        p.inferred = Some(format!("border of {} and {}", x.iso2, y.iso2));
    } else if let Some(c) = &country {
        p.inferred = Some(format!(
            "in {c} ({})",
            if by_unit {
                "UN20: from the place it is in"
            } else if in_sentence.is_empty() {
                "from the document"
            } else {
                "from the sentence"
            }
        ));
    }
    if let Some(c) = country.as_deref().and_then(countries::by_iso2) {
        p.country_code = Some(c.iso2.clone());
    }
    p
}

#[cfg(test)]
mod resolve_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
    use super::*;

    fn place(name: &str) -> Place<'_> {
        Place {
            idx: 0,
            geonameid: None,
            name,
            lat: 0.0,
            lon: 0.0,
            feature_class: 'A',
            feature_code: "ADM2",
            country: "US",
            admin1_code: None,
            admin2_code: None,
            admin1_name: None,
            population: 0,
        }
    }

    fn main(name: &str, surface: &str) -> bool {
        let key = normalize::key(surface);
        main_name(&place(name), &key, &normalize::loose_from_key(&key))
    }

    #[test]
    fn a_unit_word_or_an_article_leaves_the_main_name() {
        assert!(main("Gilchrist County", "Gilchrist"));
        assert!(main("Al Anbar", "Anbar"));
        assert!(main("Gao", "GAO"));
        assert!(!main("Guantánamo", "Gao"));
        assert!(!main("Monte Vista", "Henry"));
    }
}
