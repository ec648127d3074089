//! Event locations: the toponym the trigger's clause attaches to, with the relation
//! ("in", "at", "near", "northeast of", "along the border with"). Rule ids:
//! `LO10-object-place` (the place a territorial verb takes: "captured al-Waleed"),
//! `LO20-prep-after` (a locative phrase after the trigger), `LO30-prep-before` (before it),
//! `LO40-border` (no toponym, but "at/along the border"), `LO50-sentence-place` (a locative
//! place elsewhere in the sentence), and `LO15-unresolved-anchor` (a place the gazetteer lacks
//! gives way to the known place it is placed by: "the Zamzam camp outside El Fasher").

use frontline_model::{GeoPrecision, PlaceRef};

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

/// The locative relation just before token `start`, and where it starts.
pub fn relation_before(t: &Tokens<'_>, start: usize) -> Option<(String, usize)> {
    if start == 0 {
        return None;
    }
    let mut k = start - 1;
    // skip "the", "town of", "village of", "city of"
    let mut guard = 0;
    while guard < 4 && k > 0 {
        let w = t.low(k);
        if w.ends_with("-held")
            || w.ends_with("-controlled")
            || matches!(
                w,
                "the"
                    | "town"
                    | "village"
                    | "city"
                    | "province"
                    | "district"
                    | "region"
                    | "area"
                    | "outskirts"
                    | "suburb"
                    | "suburbs"
                    | "countryside"
                    | "governorate"
                    | "state"
            )
            || (w == "of"
                && matches!(
                    t.low(k - 1),
                    "town"
                        | "village"
                        | "city"
                        | "province"
                        | "district"
                        | "region"
                        | "area"
                        | "outskirts"
                        | "suburbs"
                        | "countryside"
                        | "governorate"
                ))
        {
            k -= 1;
            guard += 1;
        } else {
            break;
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
    // no place in the clause: the nearest locative place elsewhere in the sentence
    let outside = places
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            !p.place.demonym && !exclude.iter().any(|&(a, b)| p.start >= a && p.end <= b)
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
}
