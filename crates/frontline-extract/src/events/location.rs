//! Event locations: the toponym the trigger's clause attaches to, with the relation
//! ("in", "at", "near", "northeast of", "along the border with"). Rule ids:
//! `LO10-object-place` (the place a territorial verb takes: "captured al-Waleed"),
//! `LO20-prep-after` (a locative phrase after the trigger), `LO30-prep-before` (before it),
//! `LO40-border` (no toponym, but "at/along the border"), `LO50-sentence-place` (a locative
//! place elsewhere in the sentence), and `LO15-unresolved-anchor` (a place the gazetteer lacks
//! gives way to the known place it is placed by: "the Zamzam camp outside El Fasher").
//!
//! After every sentence is coded, [`fill_from_document`] places the events their clause and
//! sentence left without coordinates, in this order: the storyline's current place
//! (`LO80-storyline`: the place of the last act its own sentence placed, at most
//! [`STORY_GAP`] sentences back and within a week of it), the dateline (`LO85-dateline`), and
//! the document's focus, its most salient place below the country in its main country
//! (`LO90-document-focus`), or that country when it names nothing finer
//! (`LO95-document-country`). A name the gazetteer lacks is placed in a province, district or
//! region of its sentence (`LO75-unresolved-in-sentence`), else of the storyline, dateline or
//! focus, never in a town it is not tied to, except a town named as its district
//! (`LO76-unresolved-in-district`: "X village of Bannu district"). A country-only place gives
//! way to a finer storyline or dateline place inside that country
//! (`LO82-storyline-refines-country`). A
//! place the text narrows ("northern Aleppo", "the Idlib countryside") gets a relation "in the
//! ... of" that makes its ACLED precision 2 ([`frontline_model::EventLocation::acled_precision`]).

use frontline_model::{Event, EventLocation, GeoPrecision, PlaceRef};

use crate::lex::Tokens;

/// A place mention in the sentence, by token positions.
#[derive(Debug, Clone)]
pub struct PlaceHit {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The place.
    pub place: PlaceRef,
    /// Mention id.
    pub mention: Option<usize>,
    /// The document's dateline ("KYIV (Reuters) -"): where the story was filed.
    pub dateline: bool,
}

const SIMPLE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "around",
    "inside",
    "across",
    "into",
    "on",
    "along",
    "to",
    "toward",
    "towards",
    "throughout",
    "within",
    "from",
    "over",
    "between",
    "of",
];
/// Compass words ("northeast of X"): the geocoder's list, so both read a place cue alike.
const DIRECTIONS: &[&str] = frontline_geocode::COMPASS;

/// Words between a locative cue and a place that name what kind of place it is ("in the town
/// of X", "in the X district", "near the capital X").
const UNIT_NOUNS: &[&str] = &[
    "town",
    "towns",
    "village",
    "villages",
    "city",
    "cities",
    "province",
    "provinces",
    "district",
    "districts",
    "region",
    "area",
    "outskirts",
    "suburb",
    "suburbs",
    "countryside",
    "governorate",
    "state",
    "capital",
];

/// Whether the word at `k` is skipped on the way back from a place to its locative cue.
fn skipped(t: &Tokens<'_>, k: usize) -> bool {
    let w = t.low(k);
    w == "the"
        || w.ends_with("-held")
        || w.ends_with("-controlled")
        || UNIT_NOUNS.contains(&w)
        || (w == "of" && k > 0 && UNIT_NOUNS.contains(&t.low(k - 1)) && t.low(k - 1) != "capital")
}

/// Words that may describe a unit noun ("central", "English-speaking", "Syrian"): one word of
/// letters (hyphens and apostrophes inside), no cue, article or conjunction.
fn describing(t: &Tokens<'_>, k: usize) -> bool {
    let w = t.low(k);
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && w.chars().next().is_some_and(char::is_alphabetic)
        && !SIMPLE.contains(&w)
        && !matches!(w, "the" | "a" | "an" | "and" | "or" | "but")
}

/// Whether the token at `k` is a possessive clitic ("'s", "'").
fn possessive(t: &Tokens<'_>, k: usize) -> bool {
    matches!(t.low(k), "'s" | "\u{2019}s" | "'" | "\u{2019}")
}

/// `LO21-describing-words`: before a unit noun ("town", "governorate"), up to three describing
/// words after an article or a possessive ("in the central town of X", "in the
/// English-speaking northwestern town of X", "in Yemen's northern governorate of X",
/// "Afghanistan's southern province of X") are stepped over, and so is the possessor: returns
/// the position to go on from (the article, or the word before the possessor).
fn describing_run(t: &Tokens<'_>, k: usize) -> Option<usize> {
    let mut j = k;
    let mut n = 0;
    while n < 3 && j > 0 && describing(t, j) {
        j -= 1;
        n += 1;
    }
    if n == 0 {
        return None;
    }
    if matches!(t.low(j), "the" | "a" | "an") {
        return Some(j);
    }
    possessive(t, j).then(|| possessor_start(t, j)).flatten()
}

/// The position before the capitalised possessor that ends at the clitic at `k` ("Diyala
/// province's", "Sagaing Region's", "Yemen's"), when there is one.
fn possessor_start(t: &Tokens<'_>, k: usize) -> Option<usize> {
    let mut m = k.checked_sub(1)?;
    let mut n = 0;
    while n < 4 && m > 0 && (t.is_cap(m) || UNIT_NOUNS.contains(&t.low(m))) {
        m -= 1;
        n += 1;
    }
    (n > 0 && t.is_cap(m + 1)).then_some(m)
}

/// The locative relation just before token `start`, and where it starts.
pub fn relation_before(t: &Tokens<'_>, start: usize) -> Option<(String, usize)> {
    if start == 0 {
        return None;
    }
    let mut k = start - 1;
    // skip "the", "town of", "village of", "city of", "the central town of", "Diyala
    // province's" (LO21, LO22)
    let mut guard = 0;
    let mut after_unit = false;
    while guard < 6 && k > 0 {
        if skipped(t, k) {
            after_unit = UNIT_NOUNS.contains(&t.low(k)) || (after_unit && t.low(k) == "of");
            k -= 1;
            guard += 1;
            continue;
        }
        let next = if after_unit {
            describing_run(t, k)
        } else if possessive(t, k) && k + 1 == start {
            possessor_start(t, k)
        } else {
            None
        };
        match next {
            Some(j) if j < k => {
                k = j;
                guard += 1;
                after_unit = false;
            }
            _ => break,
        }
    }
    let w = t.low(k);
    // "northeast of X", "20 km north of X"
    if w == "of" && k > 0 && DIRECTIONS.contains(&t.low(k - 1)) {
        return Some((format!("{} of", t.low(k - 1)), k - 1));
    }
    // "(along|on|at) the border with X"
    if w == "with" && k > 0 && matches!(t.low(k - 1), "border" | "frontier") {
        let mut s = k - 1;
        while s > 0 && matches!(t.low(s - 1), "the" | "its" | "their" | "shared" | "common") {
            s -= 1;
        }
        let prep = if s > 0 { t.low(s - 1) } else { "" };
        let rel = if matches!(prep, "along" | "on" | "at" | "near" | "across") {
            format!("{prep} the border with")
        } else {
            "border with".to_string()
        };
        return Some((rel, s.saturating_sub(1)));
    }
    if matches!(w, "to" | "from") && k > 0 && matches!(t.low(k - 1), "close" | "next" | "away") {
        return Some((format!("{} {}", t.low(k - 1), w), k - 1));
    }
    if SIMPLE.contains(&w) {
        return Some((w.to_string(), k));
    }
    None
}

/// Chosen location.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// Index into the place hits.
    pub place: usize,
    /// Relation.
    pub relation: String,
    /// Rule id.
    pub rule: &'static str,
}

fn granularity(p: &PlaceRef) -> u8 {
    match p.precision {
        GeoPrecision::Point => 0,
        GeoPrecision::Admin2 => 1,
        GeoPrecision::Admin1 => 2,
        GeoPrecision::Region => 3,
        GeoPrecision::Unresolved => 1,
        GeoPrecision::Country => 5,
        GeoPrecision::Continent => 6,
    }
}

/// Tokens after an unresolved place within which a resolved place can anchor it.
const ANCHOR_WINDOW: usize = 8;

/// When the place chosen by [`pick`] is one the gazetteer does not know and the text anchors
/// it to one it does ("the Zamzam camp outside El Fasher", "Zamzam, near El Fasher"), the
/// anchor is the location, with its relation (`LO15-unresolved-anchor`): a located "near El
/// Fasher" says more than a name without coordinates.
pub fn anchored(
    t: &Tokens<'_>,
    places: &[PlaceHit],
    chosen: Chosen,
    exclude: &[(usize, usize)],
) -> Chosen {
    let Some(hit) = places.get(chosen.place) else {
        return chosen;
    };
    if hit.place.precision != GeoPrecision::Unresolved {
        return chosen;
    }
    let anchor = places.iter().enumerate().find_map(|(i, p)| {
        if p.start < hit.end
            || p.start > hit.end + ANCHOR_WINDOW
            || p.place.demonym
            || p.place.precision == GeoPrecision::Unresolved
            || granularity(&p.place) >= 5
            || exclude.iter().any(|&(a, b)| p.start >= a && p.end <= b)
        {
            return None;
        }
        let (rel, at) = relation_before(t, p.start)?;
        let anchoring = matches!(
            rel.as_str(),
            "near" | "outside" | "in" | "around" | "close to" | "next to"
        ) || rel.ends_with(" of")
            && DIRECTIONS.contains(&rel.trim_end_matches(" of"));
        // nothing between the two but the unresolved place's own words ("camp for displaced
        // people") or one comma ("Zamzam, near El Fasher")
        let plain = (hit.end == at - 1 && t.low(hit.end) == ",")
            || (hit.end..at).all(|k| t.low(k).chars().all(|c| c.is_alphabetic() || c == '-'));
        (anchoring && plain).then_some((i, rel))
    });
    match anchor {
        Some((place, relation)) => Chosen {
            place,
            relation,
            rule: "LO15-unresolved-anchor",
        },
        None => chosen,
    }
}

/// Picks the location for a trigger at `trig` in clause `clause`. `exclude` are token ranges
/// (actor spans) whose places are parts of actor names.
pub fn pick(
    t: &Tokens<'_>,
    places: &[PlaceHit],
    trig: (usize, usize),
    clause: (usize, usize),
    territorial: bool,
    allow_from: bool,
    exclude: &[(usize, usize)],
) -> Option<Chosen> {
    let usable = |p: &PlaceHit| {
        !p.place.demonym
            && !capital_speaking(t, p)
            && !affiliation(t, places, p)
            && p.start >= clause.0
            && p.end <= clause.1
            && !exclude.iter().any(|&(a, b)| p.start >= a && p.end <= b)
    };
    let cands: Vec<(usize, &PlaceHit)> = places
        .iter()
        .enumerate()
        .filter(|(_, p)| usable(p))
        .collect();
    if territorial {
        // the object of "captured": first place after the trigger not after with/from
        let obj = cands
            .iter()
            .filter(|(_, p)| p.start >= trig.1)
            .filter(|(_, p)| {
                let rel = relation_before(t, p.start).map(|r| r.0);
                !matches!(
                    rel.as_deref(),
                    Some("with" | "border with" | "to" | "toward" | "towards")
                ) && (allow_from || rel.as_deref() != Some("from"))
            })
            .min_by_key(|(_, p)| (granularity(&p.place) >= 5, p.start));
        if let Some((i, p)) = obj {
            let rel = relation_before(t, p.start).map_or_else(|| "at".to_string(), |r| r.0);
            return Some(Chosen {
                place: *i,
                relation: if rel == "of" { "at".into() } else { rel },
                rule: "LO10-object-place",
            });
        }
    }
    // the direct object of the trigger: "shelled Kharkiv", "encircled the city of Avdiivka"
    let direct = cands.iter().find(|(_, p)| {
        p.start >= trig.1
            && p.start <= trig.1 + 4
            && relation_before(t, p.start).is_none()
            && (trig.1..p.start).all(|k| {
                matches!(
                    t.low(k),
                    "the" | "town" | "city" | "village" | "of" | "camp" | "district"
                )
            })
    });
    if let Some((i, _)) = direct {
        return Some(Chosen {
            place: *i,
            relation: "at".into(),
            rule: "LO11-direct-object",
        });
    }
    let with_rel = |after: bool| {
        cands
            .iter()
            .filter(|(_, p)| {
                if after {
                    p.start >= trig.1
                } else {
                    p.end <= trig.0
                }
            })
            .filter_map(|(i, p)| {
                let (rel, _) = relation_before(t, p.start)?;
                if rel == "of" || rel == "from" || rel == "to" || rel == "between" {
                    return None;
                }
                Some((*i, p, rel))
            })
            .min_by_key(|(_, p, _)| {
                let d = if after {
                    p.start - trig.1
                } else {
                    trig.0 - p.end
                };
                (granularity(&p.place) >= 5, d)
            })
    };
    if let Some((i, _, rel)) = with_rel(true) {
        return Some(Chosen {
            place: i,
            relation: rel,
            rule: "LO20-prep-after",
        });
    }
    if let Some((i, _, rel)) = with_rel(false) {
        return Some(Chosen {
            place: i,
            relation: rel,
            rule: "LO30-prep-before",
        });
    }
    // a place in the clause without a locative cue ("The town of Madaya was besieged",
    // "shelling of Omdurman"); the dateline only when the clause names no other ("KYIV
    // (Reuters) - Missiles struck the capital"), since it says where the story was filed
    // ("OUAGADOUGOU (Reuters) - Militants attacked the town of Djibo")
    let uncued = |p: &PlaceHit| {
        granularity(&p.place) < 5
            && !matches!(
                relation_before(t, p.start).map(|r| r.0).as_deref(),
                Some("with" | "border with" | "to" | "toward" | "towards" | "from" | "between")
            )
    };
    if let Some((i, _)) = cands
        .iter()
        .find(|(_, p)| !p.dateline && uncued(p))
        .or_else(|| cands.iter().find(|(_, p)| uncued(p)))
    {
        return Some(Chosen {
            place: *i,
            relation: "in".into(),
            rule: "LO60-clause-place",
        });
    }
    if let Some(i) = where_antecedent(t, places, trig, exclude) {
        return Some(Chosen {
            place: i,
            relation: "in".into(),
            rule: "LO55-where-antecedent",
        });
    }
    // no place in the clause: the nearest locative place elsewhere in the sentence
    let outside = places
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            !p.place.demonym
                && !affiliation(t, places, p)
                && !exclude.iter().any(|&(a, b)| p.start >= a && p.end <= b)
        })
        .filter_map(|(i, p)| {
            let (rel, _) = relation_before(t, p.start)?;
            if matches!(rel.as_str(), "of" | "from" | "to" | "between" | "with") {
                return None;
            }
            let d = if p.start >= trig.1 {
                p.start - trig.1
            } else {
                trig.0.saturating_sub(p.end)
            };
            Some((i, rel, d, granularity(&p.place) >= 5))
        })
        .min_by_key(|x| (x.3, x.2));
    outside.map(|(i, rel, _, _)| Chosen {
        place: i,
        relation: rel,
        rule: "LO50-sentence-place",
    })
}

/// Nouns for a person (or a group of people) after which "from X" says where they come from
/// ("a soldier from Austin", "a commander from Idlib"), not where an act happened.
const PERSON_NOUNS: &[&str] = &[
    "man",
    "men",
    "woman",
    "women",
    "boy",
    "boys",
    "girl",
    "girls",
    "child",
    "children",
    "teenager",
    "teen",
    "soldier",
    "soldiers",
    "commander",
    "commanders",
    "officer",
    "officers",
    "resident",
    "residents",
    "native",
    "natives",
    "student",
    "students",
    "family",
    "families",
    "father",
    "mother",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "journalist",
    "journalists",
    "reporter",
    "correspondent",
    "activist",
    "activists",
    "official",
    "officials",
    "lawmaker",
    "lawmakers",
    "spokesman",
    "spokeswoman",
    "doctor",
    "doctors",
    "volunteer",
    "volunteers",
    "marine",
    "marines",
    "veteran",
    "veterans",
    "refugee",
    "refugees",
    "victim",
    "victims",
    "pilot",
    "farmer",
    "worker",
    "workers",
    "trader",
    "businessman",
    "priest",
    "imam",
    "leader",
    "leaders",
    "member",
    "members",
    "delegation",
    "delegate",
    "delegates",
    "envoy",
    "minister",
    "senator",
    "congressman",
    "mayor",
];

/// `LO63-affiliation-place`: a place that says where a person or an organisation comes from
/// or sits, not where an act happened: the hometown a comma sets off (", 34, of Herat", "John
/// Smith, of Kabul, said"), a seat ("a spokesman based in Baghdad", "headquartered in
/// London", "stationed at X"), "from X" right after a noun for a person ("a soldier from Austin", "a commander
/// from Idlib"), and the qualifier of any of these or of another "from" place ("from Austin,
/// Texas": the state of the hometown). Such a place is no place of the clause or sentence
/// (`LO10` to `LO60`) and does not count for the document's focus (`LO90`).
pub fn affiliation(t: &Tokens<'_>, places: &[PlaceHit], p: &PlaceHit) -> bool {
    affiliation_cue(t, p.start)
        || qualifier_head(t, places, p).is_some_and(|q| {
            affiliation_cue(t, q.start)
                || relation_before(t, q.start).is_some_and(|(r, _)| r == "from")
        })
}

/// Whether the words before token `start` make the place there an affiliation (see
/// [`affiliation`]).
fn affiliation_cue(t: &Tokens<'_>, start: usize) -> bool {
    let before = |k: usize| if start >= k { t.low(start - k) } else { "" };
    match before(1) {
        "of" => before(2) == ",",
        "in" | "at" => matches!(before(2), "based" | "headquartered" | "stationed"),
        "from" => PERSON_NOUNS.contains(&before(2)),
        _ => false,
    }
}

/// The place that `p` qualifies when `p` follows it after a comma ("Austin, Texas": Texas
/// qualifies Austin).
fn qualifier_head<'p>(
    t: &Tokens<'_>,
    places: &'p [PlaceHit],
    p: &PlaceHit,
) -> Option<&'p PlaceHit> {
    if p.start < 2 || t.low(p.start - 1) != "," {
        return None;
    }
    // the head may end in words the gazetteer did not take with it ("Tacoma Park, Md.")
    let mut end = p.start - 1;
    for _ in 0..3 {
        if let Some(q) = places.iter().find(|q| q.end == end) {
            return Some(q);
        }
        if end == 0 || !t.is_cap(end - 1) {
            return None;
        }
        end -= 1;
    }
    None
}

/// Verbs of saying and blaming after which a capital is its government speaking.
const SPEAKING: &[&str] = &[
    "says",
    "said",
    "say",
    "claims",
    "claimed",
    "accuses",
    "accused",
    "denies",
    "denied",
    "insists",
    "insisted",
    "warns",
    "warned",
    "announces",
    "announced",
    "alleges",
    "alleged",
    "blames",
    "blamed",
    "condemns",
    "condemned",
    "reports",
    "reported",
];

/// `LO62-capital-speaking`: a national capital right before a verb of saying or blaming
/// ("Tbilisi says the separatists attacked", "Moscow denied ...") names the government that
/// speaks, not where the event it tells of happened: it is no place of the clause (`LO10` to
/// `LO60`).
pub fn capital_speaking(t: &Tokens<'_>, p: &PlaceHit) -> bool {
    p.place.feature_code.as_deref() == Some("PPLC")
        && !p.dateline
        && p.end < t.len()
        && SPEAKING.contains(&t.low(p.end))
}

/// `LO55-where-antecedent`: a trigger in a relative clause opened by "where" (", where three
/// people were killed", "and where a school was hit") happened at the place that "where" refers
/// back to: the last place named before it. Only when "where" follows a comma or "and" (not a
/// question: "asked where") and no place lies between "where" and the trigger.
fn where_antecedent(
    t: &Tokens<'_>,
    places: &[PlaceHit],
    trig: (usize, usize),
    exclude: &[(usize, usize)],
) -> Option<usize> {
    let w = (1..trig.0)
        .rev()
        .find(|&k| t.low(k) == "where" && matches!(t.low(k - 1), "," | "and"))?;
    if places.iter().any(|p| p.start > w && p.start < trig.0) {
        return None;
    }
    places
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.end <= w
                && !p.place.demonym
                && !exclude.iter().any(|&(a, b)| p.start >= a && p.end <= b)
        })
        .max_by_key(|(_, p)| p.end)
        .map(|(i, _)| i)
}

/// "at/along/on (the|its|their) (shared) border": token range of the border phrase and the
/// relation, when there is one in the clause.
pub fn border_phrase(t: &Tokens<'_>, clause: (usize, usize)) -> Option<(usize, usize, String)> {
    (clause.0..clause.1).find_map(|k| {
        if !matches!(t.low(k), "border" | "frontier") {
            return None;
        }
        let mut s = k;
        while s > clause.0 && matches!(t.low(s - 1), "the" | "its" | "their" | "shared" | "common")
        {
            s -= 1;
        }
        let prep = if s > clause.0 { t.low(s - 1) } else { "" };
        if matches!(
            prep,
            "at" | "along" | "on" | "near" | "across" | "to" | "reaching"
        ) {
            Some((s, k + 1, format!("{prep} the border")))
        } else {
            None
        }
    })
}

/// Sentences back within which the last located event is still the storyline's place.
pub const STORY_GAP: usize = 3;

fn has_coords(p: &PlaceRef) -> bool {
    p.lat.is_some() && p.lon.is_some()
}

/// A place that can stand for where something happened below the country level.
fn sub_country(p: &PlaceRef) -> bool {
    !p.demonym && has_coords(p) && granularity(p) < 5
}

fn located_at(t: &Tokens<'_>, hit: &PlaceHit, relation: &str) -> EventLocation {
    EventLocation {
        place: hit.place.clone(),
        span: t.span(hit.start, hit.end),
        mention: hit.mention,
        relation: relation.to_string(),
    }
}

/// The document's focus: the place below the country it names most (the lede and the dateline
/// count twice), or, when it names nothing finer, the country it names most as a place.
fn document_focus<'a>(toks: &[Tokens<'a>], places_by: &[Vec<PlaceHit>]) -> Option<EventLocation> {
    let mut best: Option<(u32, usize, usize, usize)> = None; // weight, first (si, k) order
    let mut weights: Vec<(&PlaceRef, u32, usize, usize)> = Vec::new();
    for (si, hits) in places_by.iter().enumerate() {
        for (k, h) in hits.iter().enumerate() {
            if h.place.demonym || !has_coords(&h.place) || granularity(&h.place) >= 6 {
                continue;
            }
            // LO63-affiliation-place: a hometown or a seat says nothing of where things happen
            if toks.get(si).is_some_and(|t| affiliation(t, hits, h)) {
                continue;
            }
            // a capital named without a locative word stands for its government ("Moscow
            // says", "talks between Rabat and ..."), not for where things happen
            let locative = toks
                .get(si)
                .and_then(|t| relation_before(t, h.start))
                .is_some_and(|(r, _)| {
                    !matches!(r.as_str(), "of" | "from" | "to" | "between" | "with")
                });
            if h.place.feature_code.as_deref() == Some("PPLC") && !locative && !h.dateline {
                continue;
            }
            let w = if si < 2 || h.dateline { 2 } else { 1 };
            let same = |p: &PlaceRef| match (p.geonameid, h.place.geonameid) {
                (Some(a), Some(b)) => a == b,
                _ => p.name == h.place.name,
            };
            match weights.iter_mut().find(|x| same(x.0)) {
                Some(x) => x.1 += w,
                None => weights.push((&h.place, w, si, k)),
            }
        }
    }
    // the document's main country: the one its places and demonyms name most; the focus lies
    // in it, so that a namesake abroad ("Piccadilly" in Australia) is never the focus
    let mut votes: Vec<(&str, u32)> = Vec::new();
    for (si, hits) in places_by.iter().enumerate() {
        for h in hits {
            // LO63: a hometown or a seat does not say which country the story is in
            if toks.get(si).is_some_and(|t| affiliation(t, hits, h)) {
                continue;
            }
            let Some(cc) = h.place.country_code.as_deref() else {
                continue;
            };
            match votes.iter_mut().find(|v| v.0 == cc) {
                Some(v) => v.1 += 1,
                None => votes.push((cc, 1)),
            }
        }
    }
    let main = votes.iter().max_by_key(|v| v.1).map(|v| v.0);
    for fine in [true, false] {
        for &(p, w, si, k) in &weights {
            if fine != (granularity(p) < 5) || (main.is_some() && p.country_code.as_deref() != main)
            {
                continue;
            }
            if best.is_none_or(|b| w > b.0) {
                best = Some((w, si, k, 0));
            }
        }
        if best.is_some() {
            break;
        }
    }
    let (_, si, k, _) = best?;
    let hit = places_by.get(si)?.get(k)?;
    Some(located_at(toks.get(si)?, hit, "in"))
}

/// `LO87-focus-over-capital-dateline`: whether a dateline that is a national capital gives way
/// to the document's focus, a place below the country in the same country that is not the
/// capital itself ("KYIV - ... in the Kharkiv region ... Kharkiv": the events are there, the
/// story was filed in Kyiv).
fn capital_dateline_gives_way(dateline: &EventLocation, focus: &EventLocation) -> bool {
    let d = &dateline.place;
    let f = &focus.place;
    d.feature_code.as_deref() == Some("PPLC")
        && sub_country(f)
        && f.country_code.is_some()
        && f.country_code == d.country_code
        && f.geonameid != d.geonameid
        && f.name != d.name
}

/// `LO88-foreign-dateline`: whether the dateline lies in another country than the document's
/// focus: the story was filed from a bureau abroad.
fn foreign_dateline(dateline: &EventLocation, focus: &EventLocation) -> bool {
    match (&dateline.place.country_code, &focus.place.country_code) {
        (Some(d), Some(f)) => d != f,
        _ => false,
    }
}

/// Compass adjectives that name part of a place ("northern Aleppo").
const PART_ADJ: &[&str] = &[
    "northern",
    "southern",
    "eastern",
    "western",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "north-eastern",
    "north-western",
    "south-eastern",
    "south-western",
];

/// Words that name the area around a place ("Idlib countryside", "the outskirts of Kharkiv").
const AROUND: &[&str] = &["countryside", "outskirts", "suburbs", "environs"];

/// Words after a town's name that make it the name of the district, township or local
/// government area around it ("the Bannu district", "Pale Township", "Jibia local government
/// area", "Koutougou department").
const DISTRICT_WORDS: &[&str] = &[
    "district",
    "districts",
    "township",
    "subdivision",
    "sub-district",
    "subdistrict",
    "department",
    "territory",
    "lga",
    "raion",
];

/// Whether the words from `b` name the district of the town before them (see
/// [`DISTRICT_WORDS`]; "local government area" is three words).
fn district_after(t: &Tokens<'_>, b: usize) -> bool {
    if b >= t.len() {
        return false;
    }
    DISTRICT_WORDS.contains(&t.low(b))
        || (t.low(b) == "local" && b + 2 < t.len() && t.low(b + 1) == "government")
}

/// A location "in" a place that the text narrows to part of it ("northern Aleppo", "the Idlib
/// countryside", "in the countryside of Hama") says so in its relation, which makes its ACLED
/// precision 2 (part of a region, or the area around a town). `LO68-on-is-at`: "an attack on
/// Beled Hawo", "strikes on the town of X" are at the place (ACLED precision 1, not "near").
/// `LO67-district-of-town`: a town named with a district word after it ("in the Bannu
/// district", "Khanaqin district", "Pale Township") stands for its district, ACLED precision 2
/// at the town. Returns the ids of the rules that changed the relation.
fn part_of(t: &Tokens<'_>, l: &mut EventLocation) -> Vec<&'static str> {
    let mut fired = Vec::new();
    if l.relation == "on" {
        l.relation = "at".into();
        fired.push("LO68-on-is-at");
    }
    if !matches!(l.relation.as_str(), "in" | "at") || l.place.demonym {
        return fired;
    }
    let (a, b) = t.range_of(l.span);
    if b <= a || b > t.len() {
        return fired;
    }
    let before = |k: usize| if a >= k { t.low(a - k) } else { "" };
    let part = if PART_ADJ.contains(&before(1)) {
        Some(format!("in the {} part of", before(1)))
    } else if b < t.len() && AROUND.contains(&t.low(b)) {
        Some(format!("in the {} of", t.low(b)))
    } else if before(1) == "of" && AROUND.contains(&before(2)) {
        Some(format!("in the {} of", before(2)))
    } else if l.place.precision == GeoPrecision::Point
        && l.place.feature_class.as_deref() == Some("P")
        && district_after(t, b)
    {
        fired.push("LO67-district-of-town");
        Some("in the district of".to_string())
    } else {
        None
    };
    if let Some(p) = part {
        l.relation = p;
    }
    fired
}

/// Places the events that their clause and sentence left without coordinates (see the module
/// documentation for the order), and records the rule that did it.
pub fn fill_from_document(events: &mut [Event], toks: &[Tokens<'_>], places_by: &[Vec<PlaceHit>]) {
    if events.is_empty() {
        return;
    }
    let dateline = places_by.iter().enumerate().find_map(|(si, hits)| {
        let h = hits.iter().find(|h| h.dateline && sub_country(&h.place))?;
        Some(located_at(toks.get(si)?, h, "in"))
    });
    let focus = document_focus(toks, places_by);
    // LO87-focus-over-capital-dateline: a capital dateline says where the story was filed;
    // when the document's focus is another place of that country, the unplaced events are there
    // LO88-foreign-dateline: a dateline in another country than the document's focus is the
    // bureau the story was filed from ("BANGKOK" over a Myanmar story, "BEIRUT" over a Syrian
    // one); the unplaced events are in the focus, not there
    let dateline = match (&dateline, &focus) {
        (Some(d), Some(f)) if capital_dateline_gives_way(d, f) || foreign_dateline(d, f) => None,
        _ => dateline,
    };
    // countries the document names as places (not as demonyms)
    let named_country = |cc: &str| {
        places_by.iter().flatten().any(|h| {
            !h.place.demonym
                && h.place.precision == GeoPrecision::Country
                && h.place.country_code.as_deref() == Some(cc)
        })
    };
    for e in events.iter_mut() {
        if let (Some(l), Some(t)) = (&mut e.location, toks.get(e.sentence)) {
            for rule in part_of(t, l) {
                e.rules.push(rule.into());
            }
        }
    }
    let mut story: Option<(usize, Option<frontline_model::TimeRef>, EventLocation)> = None;
    for e in events.iter_mut() {
        // an event more than a week away from the last located one is another story (a raid
        // of years ago retold as background)
        let current = story
            .as_ref()
            .filter(|(si, _, _)| e.sentence >= *si && e.sentence - *si <= STORY_GAP)
            .filter(|(_, d, _)| match (d, &e.date) {
                (Some(a), Some(b)) => (a.start - b.start).num_days().abs() <= 7,
                _ => true,
            })
            .map(|(_, _, l)| l.clone());
        match &mut e.location {
            Some(l) if has_coords(&l.place) => {
                if l.place.precision == GeoPrecision::Country
                    && let Some(cc) = l.place.country_code.clone()
                    && let Some(finer) = current.as_ref().or(dateline.as_ref()).filter(|f| {
                        sub_country(&f.place) && f.place.country_code.as_deref() == Some(&cc)
                    })
                {
                    *l = finer.clone();
                    e.rules.push("LO82-storyline-refines-country".into());
                }
            }
            Some(l) => {
                // a name the gazetteer lacks: the province, district or region its sentence,
                // storyline, dateline or document gives (a town is no anchor unless the
                // clause ties the name to it, LO15), if it lies in the name's country (or the name's
                // country is only inferred from who acted, not named by the document)
                let cc = l.place.country_code.clone();
                let same_country = |f: &EventLocation| match cc.as_deref() {
                    Some(c) => f.place.country_code.as_deref() == Some(c) || !named_country(c),
                    None => true,
                };
                let fits = |f: &EventLocation| {
                    has_coords(&f.place)
                        && matches!(
                            f.place.precision,
                            GeoPrecision::Admin1 | GeoPrecision::Admin2 | GeoPrecision::Region
                        )
                        && same_country(f)
                };
                // LO76-unresolved-in-district: "Burhani Khel village of Sayed Abad district":
                // the district its sentence names after a town (LO67), before any province
                let in_district = places_by.get(e.sentence).and_then(|hits| {
                    let t = toks.get(e.sentence)?;
                    hits.iter()
                        .filter(|h| {
                            sub_country(&h.place)
                                && h.place.precision == GeoPrecision::Point
                                && h.place.feature_class.as_deref() == Some("P")
                                && district_after(t, h.end)
                        })
                        .map(|h| located_at(t, h, "in the district of"))
                        .find(|f| same_country(f))
                });
                let in_sentence = places_by.get(e.sentence).and_then(|hits| {
                    let t = toks.get(e.sentence)?;
                    hits.iter()
                        .filter(|h| sub_country(&h.place))
                        .map(|h| located_at(t, h, "in"))
                        .filter(|f| fits(f))
                        .min_by_key(|f| f.place.precision != GeoPrecision::Admin1)
                });
                let pick = in_district
                    .map(|f| (f, "LO76-unresolved-in-district"))
                    .or_else(|| in_sentence.map(|f| (f, "LO75-unresolved-in-sentence")))
                    .or_else(|| {
                        current
                            .clone()
                            .filter(|f| fits(f))
                            .map(|f| (f, "LO80-storyline"))
                    })
                    .or_else(|| {
                        dateline
                            .clone()
                            .filter(|f| fits(f))
                            .map(|f| (f, "LO85-dateline"))
                    })
                    .or_else(|| {
                        focus
                            .clone()
                            .filter(|f| fits(f))
                            .map(|f| (f, "LO90-document-focus"))
                    });
                if let Some((mut f, rule)) = pick {
                    f.place.inferred = Some(format!(
                        "{} (not in the gazetteer) is in {}",
                        l.place.name, f.place.name
                    ));
                    *l = f;
                    e.rules.push(rule.into());
                }
            }
            None => {
                let pick = current
                    .map(|f| (f, "LO80-storyline"))
                    .or_else(|| dateline.clone().map(|f| (f, "LO85-dateline")))
                    .or_else(|| {
                        focus.clone().map(|f| {
                            let rule = if f.place.precision == GeoPrecision::Country {
                                "LO95-document-country"
                            } else {
                                "LO90-document-focus"
                            };
                            (f, rule)
                        })
                    });
                if let Some((f, rule)) = pick {
                    e.location = Some(f);
                    e.rules.push(rule.into());
                }
            }
        }
        // the storyline's place is set by acts (not talks or statements) placed by their own
        // clause or sentence, so that a visit to the capital does not carry on to the fighting
        if let Some(l) = &e.location
            && has_coords(&l.place)
            && e.plover_type.is_material()
            && !e.rules.iter().any(|r| r.starts_with("LO9"))
        {
            story = Some((e.sentence, e.date.clone(), l.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use frontline_text::Span;

    #[test]
    fn relations() {
        let s = "troops moved northeast of Tanf and fought along the border with Iraq near the town of Qaim";
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let idx = |w: &str| (0..t.len()).find(|&k| t.raw(k) == w).unwrap();
        assert_eq!(relation_before(&t, idx("Tanf")).unwrap().0, "northeast of");
        assert_eq!(
            relation_before(&t, idx("Iraq")).unwrap().0,
            "along the border with"
        );
        assert_eq!(relation_before(&t, idx("Qaim")).unwrap().0, "near");
        assert!(border_phrase(&t, (0, t.len())).is_some());
    }

    fn at(name: &str, code: &str, cc: &str, id: u64) -> EventLocation {
        let mut place = PlaceRef::unresolved(name);
        place.precision = if code == "ADM1" {
            GeoPrecision::Admin1
        } else {
            GeoPrecision::Point
        };
        place.feature_code = Some(code.into());
        place.country_code = Some(cc.into());
        place.geonameid = Some(id);
        place.lat = Some(1.0);
        place.lon = Some(1.0);
        EventLocation {
            place,
            span: Span::new(0, 1),
            mention: None,
            relation: "in".into(),
        }
    }

    #[test]
    fn lo87_a_capital_dateline_gives_way_to_a_focus_elsewhere_in_its_country() {
        let capital = at("Nairobi", "PPLC", "KE", 1);
        assert!(capital_dateline_gives_way(
            &capital,
            &at("Garissa", "PPLA", "KE", 2)
        ));
        assert!(capital_dateline_gives_way(
            &capital,
            &at("Garissa County", "ADM1", "KE", 3)
        ));
        // the focus is the capital itself, or abroad: the dateline stays
        assert!(!capital_dateline_gives_way(
            &capital,
            &at("Nairobi", "PPLC", "KE", 1)
        ));
        assert!(!capital_dateline_gives_way(
            &capital,
            &at("Kismayo", "PPLA", "SO", 4)
        ));
        // a dateline that is no capital stays
        let town = at("Mandera", "PPLA", "KE", 5);
        assert!(!capital_dateline_gives_way(
            &town,
            &at("Garissa", "PPLA", "KE", 2)
        ));
    }

    #[test]
    fn lo88_a_dateline_abroad_gives_way_to_the_focus() {
        let bureau = at("Nairobi", "PPLC", "KE", 1);
        // a Somali story filed from Nairobi: its unplaced events are in Somalia
        assert!(foreign_dateline(&bureau, &at("Kismayo", "PPLA", "SO", 4)));
        // a focus in the dateline's country keeps it (LO87 decides between the two)
        assert!(!foreign_dateline(&bureau, &at("Garissa", "PPLA", "KE", 2)));
        // a focus of no known country decides nothing
        let mut nowhere = at("Somewhere", "PPL", "KE", 9);
        nowhere.place.country_code = None;
        assert!(!foreign_dateline(&bureau, &nowhere));
    }
}
