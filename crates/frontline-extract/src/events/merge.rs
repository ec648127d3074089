//! Merging within a document (`MG30-same-event`): the sentences that tell one event (the
//! headline, the lede, later paragraphs) become one event that carries every evidence span and
//! the best-supported fields. Separate events stay separate: two events merge only when they
//! are of one kind (the same ACLED type, or an unspecific attack or killing beside a specific
//! attack), their places, dates and actors agree where both give them, and both count or both
//! do not. Talk (events without an ACLED type) is left alone. A background event and a news
//! event (`MG36`), a province and a place in another province (`MG37`), an undated abduction
//! and a gun battle (`MG39`) stay apart; an arrest or a weapons find never replaces an attack's
//! type (`MG38`); a protest told with and without its policing is one protest (`MG42`).

use frontline_model::{Event, EventLocation, GeoPrecision, PloverType, TimePrecision, TimeRef};

use super::NearMiss;

/// The rule id every merged event carries.
pub const MERGE_RULE: &str = "MG30-same-event";

/// How exactly an event's type is known, for merging: a destruction, a movement or a
/// blockade told beside an attack is part of it (0); an unspecific attack or killing ("the
/// attack", "killed") (1); an unspecific explosion ("the blast", "bombed") (2); a specific
/// attack, capture or any other act (3).
fn rank(e: &Event) -> u8 {
    let first = e.rules.first().map_or("", String::as_str);
    let refined = e
        .rules
        .iter()
        .any(|r| r.starts_with("AL20-") || r.starts_with("AL21-"));
    match e.plover_type {
        PloverType::Mobilize => 0,
        PloverType::Coerce if matches!(e.plover_mode.as_deref(), Some("destroy" | "blockade")) => 0,
        PloverType::Assault if refined => 3,
        PloverType::Assault
            if first.starts_with("EV160-")
                || first.starts_with("EV161-")
                || first.starts_with("EV162-") =>
        {
            1
        }
        PloverType::Assault
            if (first.starts_with("EV172-") || first.starts_with("EV170-"))
                && matches!(
                    e.trigger_text.to_ascii_lowercase().as_str(),
                    "explosion"
                        | "explosions"
                        | "blast"
                        | "exploded"
                        | "explodes"
                        | "detonated"
                        | "blew up"
                        | "bomb blast"
                        | "bombed"
                        | "bombing"
                        | "bomb"
                ) =>
        {
            2
        }
        _ => 3,
    }
}

/// Acts that a report of one event tells in several words: attacks, captures, and what is
/// done in their course (moving in, destroying, encircling).
fn violent(e: &Event) -> bool {
    matches!(
        e.plover_type,
        PloverType::Assault | PloverType::Coerce | PloverType::Mobilize
    )
}

/// The rule id of `MG42-protest-told-twice`.
pub const PROTEST_TWICE_RULE: &str = "MG42-protest-told-twice";

/// `MG42-protest-told-twice`: a protest told once with the police breaking it up ("police
/// fired tear gas to disperse a rally", ACLED "Protest with intervention") and once as a
/// gathering ("organisers called the demonstration at a park") is one protest; the record
/// takes the intervention. Place, day and sides must agree as for any merge.
fn one_protest(a: &Event, b: &Event) -> bool {
    let protest = |e: &Event| {
        e.plover_type == PloverType::Protest
            && e.acled.as_ref().is_some_and(|t| t.event_type == "Protests")
    };
    protest(a) && protest(b) && policed_protest(a) != policed_protest(b)
}

/// An abduction ("kidnapped", "taken hostage").
fn abduction(e: &Event) -> bool {
    e.plover_mode.as_deref() == Some("abduct")
}

/// The rule id of `MG39-abduction-apart`.
pub const ABDUCTION_APART_RULE: &str = "MG39-abduction-apart";

/// `MG39-abduction-apart`: people said to have been taken, with no day of their own, told
/// beside a gun battle or an attack are their own act ("four officers found in the house said
/// they had been kidnapped" after "a two-hour gun battle"); an abduction the text dates (or an
/// attack merging into one) is the raid it was taken in ("abducted 43 people in a raid late
/// on Sunday" and "the attackers stormed the village").
fn abduction_apart(a: &Event, b: &Event) -> bool {
    let undated_abduction = |e: &Event| {
        abduction(e)
            && !e
                .rules
                .iter()
                .any(|r| r.starts_with("DT10") || r.starts_with("DT20"))
    };
    abduction(a) != abduction(b) && (undated_abduction(a) || undated_abduction(b))
}

fn same_kind(a: &Event, b: &Event) -> bool {
    same_kind_by(a, b, true)
}

/// `same_kind`, with `MG39` read (`apart`) or not.
fn same_kind_by(a: &Event, b: &Event, apart: bool) -> bool {
    if apart && abduction_apart(a, b) {
        return false;
    }
    if one_protest(a, b) {
        return true;
    }
    match (&a.acled, &b.acled) {
        (Some(x), Some(y)) if x == y && a.plover_type == b.plover_type => true,
        (Some(_), Some(_)) => {
            let (ra, rb) = (rank(a), rank(b));
            violent(a)
                && violent(b)
                && ra.min(rb) < 3
                // a movement or destruction joins an attack or a capture, not another of its kind
                && !(ra == 0 && rb == 0)
                && (ra.max(rb) > 0)
                && (a.plover_type == PloverType::Assault
                    || b.plover_type == PloverType::Assault
                    || ra == 0
                    || rb == 0)
        }
        _ => false,
    }
}

fn places_agree(a: Option<&EventLocation>, b: Option<&EventLocation>) -> bool {
    places_agree_by(a, b, true)
}

/// `places_agree`, with `MG37` read (`provinces`) or not.
fn places_agree_by(a: Option<&EventLocation>, b: Option<&EventLocation>, provinces: bool) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    let (p, q) = (&a.place, &b.place);
    if p.geonameid.is_some() && p.geonameid == q.geonameid {
        return true;
    }
    if p.name.eq_ignore_ascii_case(&q.name) {
        return true;
    }
    // a country or province beside a town in it: the same event told more or less exactly
    let coarse = |x: GeoPrecision| {
        matches!(
            x,
            GeoPrecision::Admin1 | GeoPrecision::Region | GeoPrecision::Country
        )
    };
    if (coarse(p.precision) || coarse(q.precision))
        && p.country_code.is_some()
        && p.country_code == q.country_code
    {
        return (p.precision != q.precision || p.precision == GeoPrecision::Country)
            && !(provinces && other_province(p, q));
    }
    if let (Some(la), Some(lo), Some(lb), Some(lq)) = (p.lat, p.lon, q.lat, q.lon) {
        // within about 20 km
        return (la - lb).abs() < 0.18 && (lo - lq).abs() < 0.22;
    }
    false
}

/// The rule id of `MG37-other-province`.
pub const OTHER_PROVINCE_RULE: &str = "MG37-other-province";

/// `MG37-other-province`: a province beside a place in another province of the same country
/// ("attacks wounded four in the Kherson region" after "a drone struck a car in Nikopol";
/// "shelling in the Kharkiv region" and "a missile strike in Odesa") are two places, not one
/// place told more or less exactly. Only a province (`Admin1`) is read so, and only when both
/// places name their first-level unit.
fn other_province(p: &frontline_model::PlaceRef, q: &frontline_model::PlaceRef) -> bool {
    let province = |x: &frontline_model::PlaceRef| x.precision == GeoPrecision::Admin1;
    if !(province(p) || province(q)) || p.precision == q.precision {
        return false;
    }
    match (&p.admin1, &q.admin1) {
        (Some(a), Some(b)) => !a.eq_ignore_ascii_case(b),
        _ => false,
    }
}

/// The event's own date: a date taken from the publication date only (`DT40`) says nothing
/// about the event's day.
fn own_date(e: &Event) -> Option<&TimeRef> {
    e.date
        .as_ref()
        .filter(|_| !e.rules.iter().any(|r| r.starts_with("DT40")))
}

fn dates_agree(a: &Event, b: &Event) -> bool {
    let (Some(a), Some(b)) = (own_date(a), own_date(b)) else {
        return true;
    };
    // a week or a month ("this week") may hold several events: a summary does not absorb
    // the dated events it sums up
    if a.precision != TimePrecision::Day || b.precision != TimePrecision::Day {
        return a.start == b.start && a.end == b.end;
    }
    a.start <= b.end.succ_opt().unwrap_or(b.end) && b.start <= a.end.succ_opt().unwrap_or(a.end)
}

/// Two actors that may be one: the same code, the same country, a bare country or state
/// ("Syria") beside any of its forces, or a bare sector ("MIL") beside a coded one of that
/// sector ("SYRMIL").
fn actor_may_be(x: &frontline_model::ActorRef, y: &frontline_model::ActorRef) -> bool {
    if x.code == y.code {
        return true;
    }
    if x.country.is_some() && x.country == y.country {
        return true;
    }
    let bare_country = |a: &frontline_model::ActorRef| {
        a.country.as_deref().is_some_and(|c| c == a.code) && a.entity.is_none()
    };
    let sector_of = |a: &frontline_model::ActorRef| {
        a.country
            .as_deref()
            .and_then(|c| a.code.strip_prefix(c))
            .unwrap_or(a.code.as_str())
            .to_string()
    };
    bare_country(x)
        || bare_country(y)
        || (x.country.is_none() && x.entity.is_none() && sector_of(y) == x.code)
        || (y.country.is_none() && y.entity.is_none() && sector_of(x) == y.code)
}

fn actors_agree(a: &[frontline_model::EventActor], b: &[frontline_model::EventActor]) -> bool {
    a.is_empty()
        || b.is_empty()
        || a.iter()
            .any(|x| b.iter().any(|y| actor_may_be(&x.actor, &y.actor)))
}

fn coarse(p: GeoPrecision) -> bool {
    matches!(
        p,
        GeoPrecision::Admin1 | GeoPrecision::Region | GeoPrecision::Country
    )
}

/// `MG33-plural-summary`: a plural trigger placed only in a country ("conducted 20 strikes in
/// Syria") sums up several events; it does not take in one told at a town.
fn sums_up(a: &Event, b: &Event) -> bool {
    let plural = |e: &Event| {
        let w = e.trigger_text.trim();
        !w.contains(' ') && w.len() > 3 && w.ends_with('s') && !w.ends_with("ss")
    };
    let (Some(la), Some(lb)) = (&a.location, &b.location) else {
        return false;
    };
    let country = |p: GeoPrecision| p == GeoPrecision::Country;
    (plural(a) && country(la.place.precision) && !coarse(lb.place.precision))
        || (plural(b) && country(lb.place.precision) && !coarse(la.place.precision))
}

/// The rule id and reason of `MG34-summary-told`.
pub const SUMMARY_RULE: &str =
    "MG34-summary-told: a plural summary in a country whose events the document tells one by one";

/// `MG34-summary-told`: a plural summary placed only in a country ("conducted 15 strikes in
/// Syria") is set aside when the document also tells at least two events of the same type at
/// finer places in that country: the summary counts them again.
fn drop_told_summaries(kept: &mut Vec<Event>, near: &mut Vec<NearMiss>) {
    let country_of = |e: &Event| {
        e.location
            .as_ref()
            .and_then(|l| l.place.country_code.clone())
    };
    let summary = |e: &Event| {
        let w = e.trigger_text.trim();
        e.modality.counts()
            && !w.contains(' ')
            && w.len() > 3
            && w.ends_with('s')
            && !w.ends_with("ss")
            && e.location
                .as_ref()
                .is_some_and(|l| l.place.precision == GeoPrecision::Country)
    };
    let told = |s: &Event, all: &[Event]| {
        let c = country_of(s);
        c.is_some()
            && all
                .iter()
                .filter(|e| {
                    e.plover_type == s.plover_type
                        && e.modality.counts()
                        && country_of(e) == c
                        && e.location
                            .as_ref()
                            .is_some_and(|l| !coarse(l.place.precision))
                })
                .count()
                >= 2
    };
    let drop: Vec<bool> = kept.iter().map(|e| summary(e) && told(e, kept)).collect();
    if !drop.contains(&true) {
        return;
    }
    parts_take_summary_sources(kept, &drop, country_of);
    let mut i = 0;
    kept.retain(|e| {
        let d = drop.get(i).copied().unwrap_or(false);
        i += 1;
        if d {
            near.push(NearMiss {
                sentence: e.sentence,
                span: e.trigger,
                rule: e.rules.first().cloned().unwrap_or_default(),
                reason: SUMMARY_RULE.into(),
            });
        }
        !d
    });
}

/// The rule id of `MG35-parts-take-summary-source`.
pub const SUMMARY_SOURCE_RULE: &str = "MG35-parts-take-summary-source";

/// `MG35-parts-take-summary-source`: the events a set-aside summary counts (same type, same
/// country) that name no source of their own take the summary's ("Coalition forces conducted
/// 12 strikes in Syria" then "near Raqqa, two strikes destroyed a depot": the coalition struck
/// Raqqa), unless that source is one of the part's targets.
fn parts_take_summary_sources(
    kept: &mut [Event],
    drop: &[bool],
    country_of: impl Fn(&Event) -> Option<String>,
) {
    let summaries: Vec<(PloverType, Option<String>, Vec<frontline_model::EventActor>)> = kept
        .iter()
        .zip(drop)
        .filter(|(e, d)| **d && !e.sources.is_empty())
        .map(|(e, _)| (e.plover_type, country_of(e), e.sources.clone()))
        .collect();
    for (e, _) in kept.iter_mut().zip(drop).filter(|(_, d)| !**d) {
        if !e.sources.is_empty() || !e.modality.counts() {
            continue;
        }
        let c = country_of(e);
        let Some((_, _, sources)) = summaries
            .iter()
            .find(|(t, sc, _)| *t == e.plover_type && sc.is_some() && *sc == c)
        else {
            continue;
        };
        let is_target = |a: &frontline_model::EventActor| {
            e.targets.iter().any(|t| t.actor.code == a.actor.code)
        };
        if sources.iter().any(is_target) {
            continue;
        }
        e.sources = sources.clone();
        e.rules.push(SUMMARY_SOURCE_RULE.into());
    }
}

/// Whether `b` tells the event `a` tells (see the module's rules).
pub fn same_event(a: &Event, b: &Event) -> bool {
    same_event_by(a, b, true)
}

/// `same_event`, with the rules that keep two events apart (`MG36`, `MG37`, `MG39`) read (`apart`)
/// or not: `explain` names the rule that kept two events apart that would merge without it.
fn same_event_by(a: &Event, b: &Event, apart: bool) -> bool {
    if sums_up(a, b)
        || a.modality.counts() != b.modality.counts()
        || !dates_agree(a, b)
        || (apart && background_apart(a, b))
    {
        return false;
    }
    if same_kind_by(a, b, apart) {
        return places_agree_by(a.location.as_ref(), b.location.as_ref(), apart)
            && (sides_agree(a, b) || headline_retold(a, b));
    }
    part_of(a, b).is_some()
}

/// Whether the two events' sources agree and their targets agree (where both name them).
fn sides_agree(a: &Event, b: &Event) -> bool {
    actors_agree(&a.sources, &b.sources) && actors_agree(&a.targets, &b.targets)
}

/// The rule id of `MG44-headline-retold`.
pub const HEADLINE_RULE: &str = "MG44-headline-retold";

/// `MG44-headline-retold`: the document's first sentence (its headline, or its lede where it
/// has none) and the next two sentences tell its main event again in other words. An event
/// there of the same kind, at a place that agrees (both placed by their own sentences, or,
/// where a place was taken from the storyline, dateline or focus, of the same ACLED sub-type)
/// and on a date that agrees, is the first sentence's event even where the two tellings'
/// sides disagree: a headline's sides
/// ("Gunmen kill five", "Clashes in X") are read less surely than the lede's, and one side
/// coded otherwise kept two records of one event apart.
fn headline_retold(a: &Event, b: &Event) -> bool {
    let (first, later) = if a.sentence <= b.sentence {
        (a, b)
    } else {
        (b, a)
    };
    first.sentence == 0
        && (1..=2).contains(&later.sentence)
        && a.location.is_some()
        && b.location.is_some()
        && ((!place_from_document(a) && !place_from_document(b)) || same_subtype(a, b))
}

/// Whether both events carry the same ACLED sub-event type.
fn same_subtype(a: &Event, b: &Event) -> bool {
    matches!((&a.acled, &b.acled), (Some(x), Some(y)) if x.sub_event_type == y.sub_event_type)
}

/// Which rule kept `b` apart from `a` when the two would merge without it.
fn kept_apart_by(a: &Event, b: &Event) -> Option<&'static str> {
    if same_event(a, b) || !same_event_by(a, b, false) {
        return None;
    }
    Some(if background_apart(a, b) {
        BACKGROUND_APART_RULE
    } else if abduction_apart(a, b) {
        ABDUCTION_APART_RULE
    } else {
        OTHER_PROVINCE_RULE
    })
}

/// The rule id of `MG36-background-apart`.
pub const BACKGROUND_APART_RULE: &str = "MG36-background-apart";

/// `MG36-background-apart`: an event flagged background (`DT50`, `DT51`: its own date ends
/// over 30 days before publication, or it is placed in a past era) and an event of the
/// document's news are two events ("gunmen attacked a village ... the district where
/// schoolgirls were kidnapped in April"; "raids on the town ... a siege by government forces
/// in 2012"). Merged, the record took the old date and was set aside as background, and the
/// news event was lost.
fn background_apart(a: &Event, b: &Event) -> bool {
    a.background != b.background
}

/// The rule id of `MG40-protest-and-policing`.
pub const PROTEST_PART_RULE: &str = "MG40-protest-and-policing";
/// The rule id of `MG41-withdrawal-in-capture`.
pub const CAPTURE_PART_RULE: &str = "MG41-withdrawal-in-capture";

/// Whether an event's place was taken from elsewhere in the document (the storyline, the
/// dateline, the document's focus or country: `LO80`–`LO95`) rather than from its own
/// sentence.
fn place_from_document(e: &Event) -> bool {
    e.rules
        .iter()
        .any(|r| r.starts_with("LO8") || r.starts_with("LO9"))
}

/// Places of two acts that may be parts of one event: they agree, or one of them was only
/// taken from the document.
fn part_places_agree(a: &Event, b: &Event) -> bool {
    places_agree(a.location.as_ref(), b.location.as_ref())
        || place_from_document(a)
        || place_from_document(b)
}

/// ACLED codes a protest and the state's response to it as one event (`AC10`: "Protest with
/// intervention", or "Excessive force against protesters" when the response kills).
fn policed_protest(e: &Event) -> bool {
    e.acled.as_ref().is_some_and(|t| {
        t.sub_event_type == "Protest with intervention"
            || t.sub_event_type == "Excessive force against protesters"
    })
}

/// The sides of an act told about a protest, as (protesters, state forces): a protest's
/// sources are the protesters; the police's act has them as its targets.
fn protest_sides(
    e: &Event,
) -> (
    &[frontline_model::EventActor],
    &[frontline_model::EventActor],
) {
    if e.plover_type == PloverType::Protest {
        (&e.sources, &e.targets)
    } else {
        (&e.targets, &e.sources)
    }
}

/// A capture of a place (ACLED "Government regains territory" or "Non-state actor overtakes
/// territory"), not of people.
fn territorial(e: &Event) -> bool {
    e.plover_type == PloverType::Coerce
        && e.territory.is_some()
        && e.acled.as_ref().is_some_and(|t| {
            t.sub_event_type == "Government regains territory"
                || t.sub_event_type == "Non-state actor overtakes territory"
        })
}

/// A side's withdrawal (not a release of people).
fn withdrawal(e: &Event) -> bool {
    e.plover_type == PloverType::Retreat && e.plover_mode.as_deref() == Some("withdraw")
}

/// Whether `a` and `b` are two parts of one event that ACLED codes once, and which rule says
/// so:
/// - `MG40-protest-and-policing`: a protest and the tear gas, dispersal or arrests that broke
///   it up (both marked `AC10`), or two such acts, at one place and day, the protesters and
///   the forces agreeing where both name them;
/// - `MG41-withdrawal-in-capture`: a side's withdrawal and the capture it left the place to,
///   on one day, the side that withdrew being the side that lost the place where both name it.
fn part_of(a: &Event, b: &Event) -> Option<&'static str> {
    if !part_places_agree(a, b) {
        return None;
    }
    if policed_protest(a) && policed_protest(b) {
        let ((pa, fa), (pb, fb)) = (protest_sides(a), protest_sides(b));
        return (actors_agree(pa, pb)
            && actors_agree(fa, fb)
            && places_agree(a.location.as_ref(), b.location.as_ref()))
        .then_some(PROTEST_PART_RULE);
    }
    let (retreat, capture) = if withdrawal(a) && territorial(b) {
        (a, b)
    } else if withdrawal(b) && territorial(a) {
        (b, a)
    } else {
        return None;
    };
    let lost_by = capture
        .territory
        .as_ref()
        .and_then(|t| t.from.clone())
        .map(|actor| frontline_model::EventActor {
            actor,
            span: capture.trigger,
            mention: None,
        });
    let losers: Vec<frontline_model::EventActor> = lost_by
        .into_iter()
        .chain(capture.targets.iter().cloned())
        .filter(|x| x.actor.actor_type != frontline_model::ActorType::Civilian)
        .collect();
    (actors_agree(&retreat.sources, &losers) && !captor_withdrew(retreat, capture))
        .then_some(CAPTURE_PART_RULE)
}

/// `MG41`: the side that withdrew is the side that took the place ("rebels seized parts of
/// the town and then withdrew", "defectors who took the town weeks ago announced their
/// withdrawal"): the withdrawal gave the place up again, it is no part of that capture.
fn captor_withdrew(retreat: &Event, capture: &Event) -> bool {
    let same = |r: &frontline_model::ActorRef, c: &frontline_model::ActorRef| {
        r.code == c.code || (r.entity.is_some() && r.entity == c.entity)
    };
    let left: Vec<&frontline_model::ActorRef> = retreat
        .sources
        .iter()
        .map(|a| &a.actor)
        .chain(retreat.territory.as_ref().and_then(|t| t.from.as_ref()))
        .collect();
    let took: Vec<&frontline_model::ActorRef> = capture
        .sources
        .iter()
        .map(|a| &a.actor)
        .chain(capture.territory.as_ref().and_then(|t| t.to.as_ref()))
        .collect();
    left.iter().any(|r| took.iter().any(|c| same(r, c)))
}

/// The rule id of a merge that names a side better (`MG31-specific-actor`).
pub const SPECIFIC_RULE: &str = "MG31-specific-actor";

/// How specifically a side is named: none (0), a bare agent word, "gunmen", "police" (1), an
/// actor of a country (2), a named organisation (3).
fn specificity(side: &[frontline_model::EventActor]) -> u8 {
    side.iter()
        .map(|a| {
            if a.actor.entity.is_some() {
                3
            } else if a.actor.country.is_some() {
                2
            } else {
                1
            }
        })
        .max()
        .unwrap_or(0)
}

/// The rule id of `MG38-attack-type-kept`.
pub const ATTACK_TYPE_RULE: &str = "MG38-attack-type-kept";

/// A coercive act on people or things that is no capture of a place (nor told by a capture
/// or encirclement trigger, "liberated", whose place the coder did not read): an arrest, an
/// abduction, a seizure or find of weapons ("rounded up", "six of the militants were
/// arrested", "found a bigger bomb").
fn coercion_of_people(e: &Event) -> bool {
    e.plover_type == PloverType::Coerce
        && !territorial(e)
        && rank(e) == 3
        && !e
            .rules
            .first()
            .is_some_and(|r| r.starts_with("EV010-") || r.starts_with("EV011-"))
}

/// Whether `other`'s type, told of the same event, is the better-supported one for the
/// record: the more exactly known (`rank`), except `MG38-attack-type-kept`: an arrest,
/// abduction or weapons find told of an attack's event never replaces the attack's type
/// (ACLED codes the attack, "army nabs gunmen who attacked police" is an armed clash, not
/// "Arrests"), and an attack told of an arrest's event gives the record its type.
fn outranks(other: &Event, keep: &Event) -> bool {
    if keep.plover_type == PloverType::Assault && coercion_of_people(other) {
        return false;
    }
    if coercion_of_people(keep) && other.plover_type == PloverType::Assault {
        return true;
    }
    if one_protest(keep, other) {
        return policed_protest(other);
    }
    rank(other) > rank(keep)
}

/// Folds `other` into `keep`: evidence, and each field where `other` is better supported.
fn absorb(keep: &mut Event, other: Event) {
    let by_rank = rank(&other) > rank(keep);
    if outranks(&other, keep) != by_rank && !keep.rules.iter().any(|r| r == ATTACK_TYPE_RULE) {
        keep.rules.push(ATTACK_TYPE_RULE.into());
    }
    if outranks(&other, keep) {
        keep.plover_type = other.plover_type;
        keep.plover_mode = other.plover_mode.clone();
        keep.acled = other.acled.clone();
        keep.cameo_root = other.cameo_root.clone();
    }
    let finer = match (&keep.location, &other.location) {
        (None, Some(_)) => true,
        (Some(k), Some(o)) => o.place.precision < k.place.precision,
        _ => false,
    };
    if finer {
        keep.location = other.location.clone();
        if other.territory.is_some() {
            keep.territory = other.territory.clone();
        }
    }
    // a record is background (DT50) when its own date is: it takes the flag with the date,
    // and otherwise stays news when either report is news
    if own_date(keep).is_none() && own_date(&other).is_some() {
        keep.background = other.background;
        keep.date = other.date.clone();
        keep.rules.retain(|r| !r.starts_with("DT40"));
        if let Some(r) = other.rules.iter().find(|r| r.starts_with("DT")) {
            keep.rules.push(r.clone());
        }
        if keep.background && !keep.rules.iter().any(|r| r.starts_with("DT50")) {
            keep.rules.push("DT50-background".into());
        }
    } else {
        keep.background &= other.background;
    }
    // MG31-specific-actor: a side named only by a word ("gunmen", "police") in the headline
    // takes the named actor a later sentence gives it
    for (mine, theirs) in [
        (&mut keep.sources, &other.sources),
        (&mut keep.targets, &other.targets),
    ] {
        // only a side with no name (empty) or named by a bare word is replaced: a side of a
        // country ("Sudanese military") is not another actor of that country ("RSF")
        if specificity(mine) <= 1 && specificity(theirs) > specificity(mine) {
            if !mine.is_empty() && !keep.rules.iter().any(|r| r == SPECIFIC_RULE) {
                keep.rules.push(SPECIFIC_RULE.into());
            }
            *mine = theirs.clone();
        }
    }
    if keep.territory.is_none() {
        keep.territory = other.territory.clone();
    }
    // sorted and deduplicated once per document (`finish`), so that folding many reports
    // into one stays linear
    keep.quantities.extend(other.quantities);
    for a in other.attribution {
        if keep.attribution.len() < 16 && !keep.attribution.contains(&a) {
            keep.attribution.push(a);
        }
    }
    keep.evidence.push(other.trigger);
    keep.evidence.extend(other.evidence);
    keep.confidence = keep.confidence.max(other.confidence);
    if !keep.rules.iter().any(|r| r == MERGE_RULE) {
        keep.rules.push(MERGE_RULE.into());
    }
}

/// Folds a part of an event (`MG40`, `MG41`) into it: the protest or the capture is the
/// record, and the part's sides are read as the record's (the protesters the police dispersed
/// are the protest's source, the police its target; the side that withdrew is the side that
/// lost the place).
fn absorb_part(keep: &mut Event, mut other: Event, rule: &'static str) {
    let main = |e: &Event| e.plover_type == PloverType::Protest || territorial(e);
    if main(&other) && !main(keep) {
        std::mem::swap(keep, &mut other);
    }
    if main(keep) && !main(&other) {
        std::mem::swap(&mut other.sources, &mut other.targets);
    }
    absorb(keep, other);
    if !keep.rules.iter().any(|r| r == rule) {
        keep.rules.push(rule.into());
    }
}

/// The rule id of `RO81-one-mention-one-role`.
pub const ONE_ROLE_RULE: &str = "RO81-one-mention-one-role";

/// `RO81-one-mention-one-role`: one mention of an actor is never both a source and a target
/// of one event. Merging a trigger read as active ("... was shot and wounded": "wounded" with
/// the officer as its subject) into one read as passive, or a coordinated verb's subject taken
/// from the object before it, can put the same words on both sides. The event's own trigger
/// decides: in the active voice a mention before it is its subject (the source) and one after
/// it its object (the target); in the passive voice (`RO30`) the other way round ("... was
/// killed by X").
pub fn one_mention_one_role(events: &mut [Event]) {
    for e in events.iter_mut() {
        let both = |a: &frontline_model::EventActor, other: &[frontline_model::EventActor]| {
            other.iter().any(|b| b.span == a.span)
        };
        if !e.sources.iter().any(|a| both(a, &e.targets)) {
            continue;
        }
        let passive = e.rules.iter().any(|r| r.starts_with("RO30"));
        let trigger = e.trigger.start;
        let is_source = |a: &frontline_model::EventActor| (a.span.start < trigger) != passive;
        let (sources, targets) = (e.sources.clone(), e.targets.clone());
        e.sources.retain(|a| !both(a, &targets) || is_source(a));
        e.targets.retain(|a| !both(a, &sources) || !is_source(a));
        e.rules.push(ONE_ROLE_RULE.into());
    }
}

/// The rule id of `MG43-told-apart`.
pub const TOLD_APART_RULE: &str = "MG43-told-apart";

/// Words by which a sentence tells its act as another than those told before it.
const APART_WORDS: &[&str] = &["separate", "separately", "elsewhere"];

/// Number words after "another" ("another three civilians").
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "dozen", "dozens", "several", "few",
];

/// "another" before a number: "another five civilians were killed", not "another witness".
fn another_count(w: &str, next: Option<&str>) -> bool {
    w.eq_ignore_ascii_case("another")
        && next.is_some_and(|n| {
            n.chars().all(|c| c.is_ascii_digit())
                || NUMBER_WORDS.iter().any(|x| n.eq_ignore_ascii_case(x))
        })
}

/// `MG43-told-apart`, by sentence: whether the sentence tells its act as another one ("three
/// more soldiers were killed in a separate bombing", "another five civilians were killed in a
/// rocket attack on two villages", "attacks wounded four more people elsewhere in the
/// province", "separately, the region was targeted with drones"). Such an act never merges
/// into an event of an earlier sentence; later sentences may still retell it. "Another" counts
/// only before a number ("another witness said" tells no act), and it marks a killing or
/// wounding ("another two died in hospital") as no other act: only "separate", "separately"
/// and "elsewhere" keep those apart.
fn told_apart(text: &str, sentences: &[frontline_model::Sentence]) -> Vec<bool> {
    sentences
        .iter()
        .map(|s| {
            s.span.slice(text).is_some_and(|t| {
                let ws: Vec<&str> = words(t).collect();
                ws.iter().enumerate().any(|(i, w)| {
                    APART_WORDS.iter().any(|a| w.eq_ignore_ascii_case(a))
                        || another_count(w, ws.get(i + 1).copied())
                })
            })
        })
        .collect()
}

/// The words of a sentence, lowercase or not.
fn words(t: &str) -> impl Iterator<Item = &str> {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Whether the sentence holds one of the strong marks ("separate", "separately",
/// "elsewhere"), which keep even a killing apart.
fn separate_word(text: &str, sentences: &[frontline_model::Sentence], sentence: usize) -> bool {
    sentences
        .get(sentence)
        .and_then(|s| s.span.slice(text))
        .is_some_and(|t| {
            words(t).any(|w| {
                ["separate", "separately", "elsewhere"]
                    .iter()
                    .any(|a| w.eq_ignore_ascii_case(a))
            })
        })
}

/// Records for `explain` that `e` was kept from merging into earlier events by `MG43`.
fn note_told_apart(e: &Event, near: &mut Vec<NearMiss>) {
    near.push(NearMiss {
        sentence: e.sentence,
        span: e.trigger,
        rule: e.rules.first().cloned().unwrap_or_default(),
        reason: format!(
            "{TOLD_APART_RULE}: its sentence tells it as another act (\"separate\", \
             \"another\", \"elsewhere\"): not merged into an earlier event"
        ),
    });
}

/// Records for `explain` the first earlier event that `e` would have merged into but for
/// `MG36`, `MG37` or `MG39`.
fn note_kept_apart(earlier: &[Event], e: &Event, near: &mut Vec<NearMiss>) {
    let Some((k, rule)) = earlier
        .iter()
        .find_map(|k| kept_apart_by(k, e).map(|r| (k, r)))
    else {
        return;
    };
    near.push(NearMiss {
        sentence: e.sentence,
        span: e.trigger,
        rule: e.rules.first().cloned().unwrap_or_default(),
        reason: format!(
            "{rule}: not merged with the event of sentence {} (\"{}\"): {}",
            k.sentence,
            k.trigger_text,
            if rule == BACKGROUND_APART_RULE {
                "one of the two is background, the other news"
            } else if rule == ABDUCTION_APART_RULE {
                "people taken, with no day of their own, beside another act"
            } else {
                "a province and a place in another province"
            }
        ),
    });
}

/// Merges the events of one document that tell the same event into the first that tells it,
/// records each merge as a near miss for `explain`, and renumbers the event ids.
pub fn merge_document(
    events: &mut Vec<Event>,
    near: &mut Vec<NearMiss>,
    text: &str,
    sentences: &[frontline_model::Sentence],
) {
    if events.len() < 2 {
        return;
    }
    let apart = told_apart(text, sentences);
    let mut kept: Vec<Event> = Vec::with_capacity(events.len());
    for e in events.drain(..) {
        // the latest 64 events are candidates, so a document's cost stays linear
        let from = kept.len().saturating_sub(64);
        let held = apart.get(e.sentence).copied().unwrap_or(false)
            && (!e.rules.first().is_some_and(|r| r.starts_with("EV162-"))
                || separate_word(text, sentences, e.sentence));
        let candidates = kept.get(from..).unwrap_or_default();
        let into = candidates
            .iter()
            .position(|k| same_event(k, &e) && !(held && k.sentence < e.sentence))
            .map(|i| i + from);
        if into.is_none()
            && held
            && candidates
                .iter()
                .any(|k| k.sentence < e.sentence && same_event(k, &e))
        {
            note_told_apart(&e, near);
        }
        match into.and_then(|i| kept.get_mut(i)) {
            Some(k) => {
                let part = if same_kind(k, &e) {
                    None
                } else {
                    part_of(k, &e)
                };
                let reason = match part {
                    Some(rule) => format!(
                        "{rule}: one event with that of sentence {} (\"{}\"), which ACLED codes \
                         once: same day and place, the same sides where both name them",
                        k.sentence, k.trigger_text
                    ),
                    None if one_protest(k, &e) => format!(
                        "{PROTEST_TWICE_RULE}: the protest of sentence {} (\"{}\") told again, \
                         one telling with the police's intervention: same place, date and sides",
                        k.sentence, k.trigger_text
                    ),
                    None if !sides_agree(k, &e) => format!(
                        "{HEADLINE_RULE}: the event of sentence {} (\"{}\") told again near the \
                         top of the document: same type, place and date, sides told otherwise",
                        k.sentence, k.trigger_text
                    ),
                    None => format!(
                        "{MERGE_RULE}: tells the event of sentence {} (\"{}\"): same type, place, \
                         date and actors where both give them",
                        k.sentence, k.trigger_text
                    ),
                };
                let retold = part.is_none() && !one_protest(k, &e) && !sides_agree(k, &e);
                near.push(NearMiss {
                    sentence: e.sentence,
                    span: e.trigger,
                    rule: e.rules.first().cloned().unwrap_or_default(),
                    reason,
                });
                let twice = part.is_none() && one_protest(k, &e);
                match part {
                    Some(rule) => absorb_part(k, e, rule),
                    None => absorb(k, e),
                }
                if twice && !k.rules.iter().any(|r| r == PROTEST_TWICE_RULE) {
                    k.rules.push(PROTEST_TWICE_RULE.into());
                }
                if retold && !k.rules.iter().any(|r| r == HEADLINE_RULE) {
                    k.rules.push(HEADLINE_RULE.into());
                }
            }
            None => {
                note_kept_apart(kept.get(from..).unwrap_or_default(), &e, near);
                kept.push(e);
            }
        }
    }
    for e in kept
        .iter_mut()
        .filter(|e| e.rules.iter().any(|r| r == MERGE_RULE))
    {
        e.evidence.sort_unstable();
        e.evidence.dedup();
        e.quantities.sort_by_key(|q| q.span);
        e.quantities.dedup_by_key(|q| q.span);
    }
    drop_told_summaries(&mut kept, near);
    for (i, e) in kept.iter_mut().enumerate() {
        if let Some((doc, _)) = e.id.rsplit_once(':') {
            e.id = format!("{doc}:{i}");
        }
    }
    *events = kept;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// An air strike at a place of the given name and precision, told by `trigger`.
    fn strike(trigger: &str, place: &str, precision: &str, lat: f64) -> Event {
        let json = format!(
            r#"{{"id": "d:0", "plover_type": "ASSAULT", "acled": {{"event_type":
            "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}},
            "trigger": {{"start": 0, "end": 7}}, "trigger_text": "{trigger}", "sentence": 0,
            "sources": [], "targets": [], "location": {{"place": {{"name": "{place}",
            "lat": {lat}, "lon": 38.0, "country_code": "SY", "precision": "{precision}"}},
            "span": {{"start": 10, "end": 16}}, "relation": "in"}}, "quantities": [],
            "attribution": [], "modality": "asserted", "confidence": 0.6, "evidence": [],
            "rules": ["EV161-attack"]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    #[test]
    fn a_summary_whose_strikes_are_told_one_by_one_is_set_aside() {
        let mut events = vec![
            strike("strikes", "Syria", "country", 35.0),
            strike("strikes", "Manbij", "point", 36.5),
            strike("strike", "Tabqa", "point", 35.8),
        ];
        let mut near = Vec::new();
        drop_told_summaries(&mut events, &mut near);
        assert_eq!(events.len(), 2);
        assert!(
            events
                .iter()
                .all(|e| e.location.as_ref().unwrap().place.name != "Syria")
        );
        assert!(near[0].reason.starts_with("MG34-summary-told"));
        // one strike at a town is not enough to call the summary a retelling
        let mut events = vec![
            strike("strikes", "Syria", "country", 35.0),
            strike("strikes", "Manbij", "point", 36.5),
        ];
        drop_told_summaries(&mut events, &mut near);
        assert_eq!(events.len(), 2);
    }

    #[test]
    fn ro81_one_mention_is_never_both_source_and_target() {
        let officer: frontline_model::EventActor = serde_json::from_str(
            r#"{"actor": {"code": "COP", "name": "police officer",
                "actor_type": "POLICE"}, "span": {"start": 2, "end": 16}}"#,
        )
        .unwrap();
        let mut gunmen = officer.clone();
        gunmen.actor.code = "REB".into();
        gunmen.span = frontline_model::Span::new(30, 36);
        // passive reading: the officer stays the target
        // "A police officer was shot": the officer before the trigger
        let mut passive = strike("shot", "Dayton", "point", 35.0);
        passive.trigger = frontline_model::Span::new(21, 25);
        passive.rules.push("RO30-passive".into());
        passive.sources = vec![officer.clone()];
        passive.targets = vec![officer.clone()];
        // "... attacked the gunmen": a mention after an active trigger is its object
        let mut active = strike("attacked", "Dayton", "point", 35.0);
        active.trigger = frontline_model::Span::new(17, 25);
        active.sources = vec![gunmen.clone()];
        active.targets = vec![gunmen.clone(), officer.clone()];
        let mut untouched = strike("attacked", "Dayton", "point", 35.0);
        untouched.sources = vec![gunmen];
        untouched.targets = vec![officer];
        let mut events = vec![passive, active, untouched];
        one_mention_one_role(&mut events);
        assert!(events[0].sources.is_empty());
        assert_eq!(events[0].targets.len(), 1);
        assert!(events[1].sources.is_empty());
        let codes: Vec<&str> = events[1]
            .targets
            .iter()
            .map(|a| a.actor.code.as_str())
            .collect();
        assert_eq!(codes, ["REB", "COP"]);
        assert!(events[1].rules.iter().any(|r| r == ONE_ROLE_RULE));
        assert!(!events[2].rules.iter().any(|r| r == ONE_ROLE_RULE));
    }

    #[test]
    fn mg35_told_strikes_without_a_source_take_the_summary_s() {
        let coalition: frontline_model::EventActor = serde_json::from_str(
            r#"{"actor": {"code": "IMGUSACOA", "name": "US-led coalition",
                "actor_type": "MILITARY"}, "span": {"start": 0, "end": 9}}"#,
        )
        .unwrap();
        let mut lede = strike("strikes", "Syria", "country", 35.0);
        lede.sources = vec![coalition.clone()];
        let mut named = strike("strike", "Tabqa", "point", 35.8);
        let mut other = coalition;
        other.actor.code = "SYRMIL".into();
        named.sources = vec![other];
        let mut events = vec![lede, strike("strikes", "Manbij", "point", 36.5), named];
        let mut near = Vec::new();
        drop_told_summaries(&mut events, &mut near);
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].sources[0].actor.code, "IMGUSACOA");
        assert!(events[0].rules.iter().any(|r| r == SUMMARY_SOURCE_RULE));
        // a part that names its own source keeps it
        assert_eq!(events[1].sources[0].actor.code, "SYRMIL");
        assert!(!events[1].rules.iter().any(|r| r == SUMMARY_SOURCE_RULE));
    }

    #[test]
    fn a_plural_summary_in_a_country_takes_in_no_strike_at_a_town() {
        let summary = strike("strikes", "Syria", "country", 35.0);
        let town = strike("strikes", "Manbij", "point", 36.5);
        assert!(!same_event(&summary, &town));
        assert!(!same_event(&town, &summary));
        // a single strike told at the country and at the town is one event told twice
        let headline = strike("strike", "Syria", "country", 35.0);
        assert!(same_event(&headline, &town));
        // and two plural reports at the same town are one event
        assert!(same_event(
            &town,
            &strike("strikes", "Manbij", "point", 36.5)
        ));
    }

    /// An event of the given PLOVER type, mode and ACLED sub-type at a town, with its sides.
    fn act(
        plover: &str,
        mode: &str,
        acled: (&str, &str),
        place: &str,
        sources: &[(&str, &str)],
        targets: &[(&str, &str)],
    ) -> Event {
        let side = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(code, kind)| {
                    format!(
                        r#"{{"actor": {{"code": "{code}", "name": "{code}", "actor_type": "{kind}"}},
                        "span": {{"start": 0, "end": 3}}}}"#
                    )
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        let json = format!(
            r#"{{"id": "d:0", "plover_type": "{plover}", "plover_mode": "{mode}",
            "acled": {{"event_type": "{}", "sub_event_type": "{}"}},
            "trigger": {{"start": 0, "end": 7}}, "trigger_text": "x", "sentence": 0,
            "sources": [{}], "targets": [{}], "location": {{"place": {{"name": "{place}",
            "lat": 31.5, "lon": 74.3, "country_code": "PK", "precision": "point"}},
            "span": {{"start": 10, "end": 16}}, "relation": "in"}}, "quantities": [],
            "attribution": [], "modality": "asserted", "confidence": 0.6, "evidence": [],
            "rules": ["EV000-test"]}}"#,
            acled.0,
            acled.1,
            side(sources),
            side(targets)
        );
        serde_json::from_str(&json).unwrap()
    }

    const POLICED: (&str, &str) = ("Protests", "Protest with intervention");

    #[test]
    fn mg40_a_protest_and_its_policing_are_one_event() {
        let rally = act(
            "PROTEST",
            "demonstrate",
            POLICED,
            "Lahore",
            &[("OPP", "PARTY")],
            &[],
        );
        let tear_gas = act(
            "ASSAULT",
            "crowd-control",
            POLICED,
            "Lahore",
            &[("PAKCOP", "POLICE")],
            &[("OPP", "PARTY")],
        );
        let arrests = act(
            "COERCE",
            "arrest",
            POLICED,
            "Lahore",
            &[("PAKCOP", "POLICE")],
            &[],
        );
        assert_eq!(part_of(&rally, &tear_gas), Some(PROTEST_PART_RULE));
        assert_eq!(part_of(&tear_gas, &arrests), Some(PROTEST_PART_RULE));
        // the policing told first: the protest still becomes the record, police as its target
        let mut events = vec![tear_gas.clone(), rally.clone(), arrests];
        let mut near = Vec::new();
        merge_document(&mut events, &mut near, "", &[]);
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(e.plover_type, PloverType::Protest);
        assert_eq!(e.sources[0].actor.code, "OPP");
        assert_eq!(e.targets[0].actor.code, "PAKCOP");
        assert!(e.rules.iter().any(|r| r == PROTEST_PART_RULE));
        assert!(near[0].reason.starts_with("MG40-protest-and-policing"));
        // a protest in another city is another event
        let karachi = act("PROTEST", "demonstrate", POLICED, "Karachi", &[], &[]);
        let mut far = karachi;
        if let Some(l) = far.location.as_mut() {
            l.place.lat = Some(24.9);
            l.place.lon = Some(67.0);
        }
        assert_eq!(part_of(&far, &tear_gas), None);
        // nor when the place of one of them was only taken from the document
        far.rules.push("LO90-document-focus".into());
        assert_eq!(part_of(&far, &tear_gas), None);
        // an arrest of protesters that no protest policed (ACLED's "Arrests") stays apart
        let plain = act(
            "COERCE",
            "arrest",
            ("Strategic developments", "Arrests"),
            "Lahore",
            &[("PAKCOP", "POLICE")],
            &[],
        );
        assert_eq!(part_of(&rally, &plain), None);
    }

    /// A non-state capture of `place` by `captor` and a withdrawal from it by `withdrawer`.
    fn capture_and_withdrawal(
        place: &str,
        captor: (&str, &str),
        withdrawer: (&str, &str),
    ) -> (Event, Event) {
        let mut capture = act(
            "COERCE",
            "seize",
            ("Battles", "Non-state actor overtakes territory"),
            place,
            &[captor],
            &[],
        );
        capture.territory = Some(frontline_model::TerritorialChange {
            place: None,
            from: None,
            to: None,
        });
        let withdrew = act(
            "RETREAT",
            "withdraw",
            (
                "Strategic developments",
                "Non-violent transfer of territory",
            ),
            place,
            &[withdrawer],
            &[],
        );
        (capture, withdrew)
    }

    #[test]
    fn mg41_a_withdrawal_is_part_of_the_capture_it_gave_way_to() {
        let (mut capture, withdrew) =
            capture_and_withdrawal("Walikale", ("CODREBM23", "REBEL"), ("CODMIL", "MILITARY"));
        assert_eq!(part_of(&withdrew, &capture), Some(CAPTURE_PART_RULE));
        let mut events = vec![withdrew.clone(), capture.clone()];
        merge_document(&mut events, &mut Vec::new(), "", &[]);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].plover_type, PloverType::Coerce);
        assert_eq!(events[0].sources[0].actor.code, "CODREBM23");
        assert_eq!(events[0].targets[0].actor.code, "CODMIL");
        // the capturers withdrawing is not the losers' withdrawal
        let mut rebels_left = withdrew.clone();
        rebels_left.sources[0].actor.code = "CODREBM23".into();
        rebels_left.sources[0].actor.actor_type = frontline_model::ActorType::Rebel;
        capture.targets = withdrew.sources.clone();
        assert_eq!(part_of(&rebels_left, &capture), None);
        // a release of prisoners is no withdrawal
        let mut release = withdrew;
        release.plover_mode = Some("release".into());
        assert_eq!(part_of(&release, &capture), None);
    }

    #[test]
    fn mg36_a_background_event_and_a_news_event_stay_apart() {
        // "Gunmen attacked a village on Saturday ... where the army was ambushed in 2019"
        let news = strike("attacked", "Chibok", "point", 10.9);
        let mut old = strike("attack", "Chibok", "point", 10.9);
        old.background = true;
        assert!(!same_event(&news, &old));
        assert_eq!(kept_apart_by(&news, &old), Some(BACKGROUND_APART_RULE));
        let mut events = vec![news, old];
        let mut near = Vec::new();
        merge_document(&mut events, &mut near, "", &[]);
        assert_eq!(events.len(), 2);
        assert!(!events[0].background);
        assert!(near[0].reason.starts_with("MG36-background-apart"));
        // two background tellings of one old attack are still one
        let mut again = strike("attack", "Chibok", "point", 10.9);
        again.background = true;
        assert!(same_event(&events[1], &again));
    }

    #[test]
    fn mg37_a_province_and_a_town_of_another_province_are_two_places() {
        // "shelling in the Kharkiv region" and "a missile strike in Odesa"
        let mut region = strike("shelling", "Kharkivska oblast", "admin1", 49.5);
        let mut odesa = strike("missile strike", "Odesa", "point", 46.5);
        let mut balakliia = strike("missile strikes", "Balakliia", "point", 49.5);
        for (e, admin1) in [
            (&mut region, "Kharkivska oblast"),
            (&mut odesa, "Odeska oblast"),
            (&mut balakliia, "Kharkivska oblast"),
        ] {
            if let Some(l) = e.location.as_mut() {
                l.place.country_code = Some("UA".into());
                l.place.admin1 = Some(admin1.into());
            }
        }
        assert!(!same_event(&region, &odesa));
        assert_eq!(kept_apart_by(&region, &odesa), Some(OTHER_PROVINCE_RULE));
        // a town of that province is the same place told more exactly
        assert!(same_event(&region, &balakliia));
        // without the first-level unit of both, the country decides as before
        if let Some(l) = odesa.location.as_mut() {
            l.place.admin1 = None;
        }
        assert!(same_event(&region, &odesa));
    }

    #[test]
    fn mg38_an_arrest_never_replaces_the_attack_s_type() {
        // "Gunmen attacked a police academy ... six of the militants were arrested"
        let mut attack = act(
            "ASSAULT",
            "firearms",
            ("Battles", "Armed clash"),
            "Lahore",
            &[("REB", "REBEL")],
            &[("PAKCOP", "POLICE")],
        );
        attack.rules = vec!["EV161-attack".into()];
        let arrest = act(
            "COERCE",
            "arrest",
            ("Strategic developments", "Arrests"),
            "Lahore",
            &[("PAKCOP", "POLICE")],
            &[("REB", "REBEL")],
        );
        assert!(rank(&arrest) > rank(&attack));
        let mut kept = attack.clone();
        absorb(&mut kept, arrest.clone());
        assert_eq!(kept.plover_type, PloverType::Assault);
        assert_eq!(kept.acled.as_ref().unwrap().sub_event_type, "Armed clash");
        assert!(kept.rules.iter().any(|r| r == ATTACK_TYPE_RULE));
        // the arrest told first: the attack gives the record its type
        let mut kept = arrest;
        absorb(&mut kept, attack);
        assert_eq!(kept.plover_type, PloverType::Assault);
        // a capture of a place still outranks an unspecific attack (not MG38)
        let mut capture = act(
            "COERCE",
            "seize",
            ("Battles", "Non-state actor overtakes territory"),
            "Lahore",
            &[("REB", "REBEL")],
            &[],
        );
        capture.territory = Some(frontline_model::TerritorialChange {
            place: None,
            from: None,
            to: None,
        });
        let mut fight = strike("attack", "Lahore", "point", 31.5);
        fight.rules = vec!["EV161-attack".into()];
        absorb(&mut fight, capture);
        assert_eq!(fight.plover_type, PloverType::Coerce);
    }

    #[test]
    fn mg39_an_undated_abduction_stays_apart_from_a_gun_battle() {
        let mut battle = act(
            "ASSAULT",
            "firearms",
            ("Battles", "Armed clash"),
            "Acapulco",
            &[("MEXMIL", "MILITARY")],
            &[],
        );
        battle.rules = vec!["EV160-armed-clash".into()];
        let mut taken = act(
            "ASSAULT",
            "abduct",
            (
                "Violence against civilians",
                "Abduction/forced disappearance",
            ),
            "Acapulco",
            &[],
            &[],
        );
        taken.rules = vec!["EV163-abduct".into(), "DT30-previous-event".into()];
        assert!(!same_event(&battle, &taken));
        // "abducted 43 people in a raid late on Sunday": the raid it was taken in
        taken.rules = vec!["EV163-abduct".into(), "DT10-clause-time".into()];
        assert!(same_event(&taken, &battle));
    }

    #[test]
    fn mg41_the_captors_own_withdrawal_is_no_part_of_their_capture() {
        // "rebels seized parts of the town on Saturday and then withdrew"
        let (capture, withdrew) =
            capture_and_withdrawal("Douma", ("SYRREB", "REBEL"), ("SYRREB", "REBEL"));
        assert_eq!(part_of(&withdrew, &capture), None);
        // the side the place went to, named only in the capture's territory, counts too
        let mut unnamed = capture;
        unnamed.sources.clear();
        if let Some(t) = unnamed.territory.as_mut() {
            t.to = Some(withdrew.sources[0].actor.clone());
        }
        assert_eq!(part_of(&withdrew, &unnamed), None);
    }

    #[test]
    fn mg42_a_protest_told_with_and_without_its_policing_is_one_protest() {
        // "Police fired tear gas to disperse a rally ... organisers called the demonstration"
        let policed = act("PROTEST", "demonstrate", POLICED, "Lahore", &[], &[]);
        let gathering = act(
            "PROTEST",
            "demonstrate",
            ("Protests", "Peaceful protest"),
            "Lahore",
            &[],
            &[],
        );
        let mut events = vec![gathering.clone(), policed];
        let mut near = Vec::new();
        merge_document(&mut events, &mut near, "", &[]);
        assert_eq!(events.len(), 1);
        assert_eq!(
            events[0].acled.as_ref().unwrap().sub_event_type,
            "Protest with intervention"
        );
        assert!(events[0].rules.iter().any(|r| r == PROTEST_TWICE_RULE));
        assert!(near[0].reason.starts_with("MG42-protest-told-twice"));
        // two peaceful protests are merged (or not) by MG30 alone, not by MG42
        assert!(!one_protest(&gathering, &gathering));
    }

    #[test]
    fn mg43_an_act_told_as_another_does_not_merge_into_an_earlier_one() {
        let text = "Shelling hit the town of Rastan on Monday. \
                    Another three civilians were killed in shelling on the town. \
                    Another witness said shelling hit the town.";
        let sentences: Vec<frontline_model::Sentence> = [(0, 42), (43, 103), (104, 147)]
            .iter()
            .map(|&(a, b)| frontline_model::Sentence {
                span: frontline_model::Span::new(a, b),
            })
            .collect();
        let told = told_apart(text, &sentences);
        assert_eq!(told, [false, true, false]);
        let mut first = strike("Shelling", "Rastan", "point", 34.9);
        first.sentence = 0;
        let mut another = strike("shelling", "Rastan", "point", 34.9);
        another.sentence = 1;
        let mut witness = strike("shelling", "Rastan", "point", 34.9);
        witness.sentence = 2;
        let mut events = vec![first, another, witness];
        let mut near = Vec::new();
        merge_document(&mut events, &mut near, text, &sentences);
        // the second shelling stays apart; the witness's retelling joins the first
        assert_eq!(events.len(), 2);
        assert!(near[0].reason.starts_with("MG43-told-apart"));
        // "another" before no number tells no other act, a killing only with "separate"
        assert!(!another_count("another", Some("witness")));
        assert!(another_count("Another", Some("5")));
    }

    #[test]
    fn mg44_the_headline_and_the_lede_are_one_event_though_their_sides_differ() {
        let clash = ("Battles", "Armed clash");
        let headline = act(
            "ASSAULT",
            "firearms",
            clash,
            "Lahore",
            &[("REB", "REBEL")],
            &[("COP", "POLICE")],
        );
        let mut lede = act(
            "ASSAULT",
            "firearms",
            clash,
            "Lahore",
            &[("MIL", "MILITARY")],
            &[("REB", "REBEL")],
        );
        lede.sentence = 1;
        assert!(same_event(&headline, &lede));
        let mut events = vec![headline.clone(), lede.clone()];
        let mut near = Vec::new();
        merge_document(&mut events, &mut near, "", &[]);
        assert_eq!(events.len(), 1);
        assert!(events[0].rules.iter().any(|r| r == HEADLINE_RULE));
        assert!(near[0].reason.starts_with(HEADLINE_RULE));
        // further down the story, sides that disagree are two events
        let mut later = lede.clone();
        later.sentence = 5;
        assert!(!same_event(&headline, &later));
        // a place taken from the storyline agrees only for the same ACLED sub-type
        let mut carried = lede.clone();
        carried.rules.push("LO80-storyline".into());
        assert!(same_event(&headline, &carried));
        carried.acled = Some(frontline_model::AcledType {
            event_type: "Violence against civilians".into(),
            sub_event_type: "Attack".into(),
        });
        assert!(!same_event(&headline, &carried));
        // an unplaced telling is not taken in on the strength of its kind alone
        let mut unplaced = lede;
        unplaced.location = None;
        assert!(!same_event(&headline, &unplaced));
    }
}
