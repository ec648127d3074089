//! Merging two fused events' aggregates (FU70): when a later report links two stored records
//! (it matches both, and they are compatible with each other but for their dates), the records
//! become one, whatever the order their reports arrived in.

use std::collections::BTreeSet;

use super::{BestLocation, FusedState, MAX_AGGREGATE_ENTRIES, SCORE_TIE, SourceGroups, Tally};
use crate::record::{FusedActor, FusedLocation};

impl FusedLocation {
    /// Whether the place is a town named like its province (FU33, FU34).
    pub(crate) fn province_named(&self) -> bool {
        super::place_names_its_province(&self.name, self.admin1.as_deref(), self.precision)
    }
}

/// Rule id of merging two records a later report links (FU70).
pub const LINK_MERGE_RULE: &str = "FU70-link-merge";

impl<T: PartialEq + Clone> Tally<T> {
    /// Adds another tally's counts.
    fn absorb(&mut self, other: &Tally<T>) {
        for (v, n) in &other.0 {
            match self.0.iter_mut().find(|e| e.0 == *v) {
                Some(e) => e.1 += n,
                None => self.0.push((v.clone(), *n)),
            }
        }
    }
}

fn absorb_actors(out: &mut Vec<FusedActor>, other: &[FusedActor]) {
    for a in other {
        match out.iter_mut().find(|f| f.code == a.code) {
            Some(f) => f.reports += a.reports,
            None => out.push(a.clone()),
        }
    }
}

fn min_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_opt(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

impl SourceGroups {
    /// Adds another record's groups, merging those that share a story, an outlet or a credit.
    fn absorb(&mut self, other: &SourceGroups) {
        for group in &other.0 {
            self.add_group(group.0.clone(), group.1.clone());
        }
    }

    /// Adds one group (its stories and outlet set, as [`SourceGroups::add`] builds them),
    /// merging every group it connects with.
    fn add_group(&mut self, stories: BTreeSet<i64>, outlets: BTreeSet<String>) {
        let names = |set: &BTreeSet<String>| -> BTreeSet<String> {
            set.iter()
                .filter(|e| !e.starts_with('=') && !e.starts_with('^'))
                .cloned()
                .collect()
        };
        let credited = |set: &BTreeSet<String>, other: &BTreeSet<String>| {
            set.iter().any(|e| {
                e.strip_prefix('^').is_some_and(|k| {
                    other.contains(&format!("={k}")) || other.contains(&format!("^{k}"))
                })
            })
        };
        let mut merged = (stories, outlets);
        let mut rest = Vec::with_capacity(self.0.len() + 1);
        for g in self.0.drain(..) {
            let joins = !g.0.is_disjoint(&merged.0)
                || !names(&g.1).is_disjoint(&names(&merged.1))
                || credited(&merged.1, &g.1)
                || credited(&g.1, &merged.1);
            if joins {
                merged.0.extend(g.0);
                merged.1.extend(g.1);
            } else {
                rest.push(g);
            }
        }
        rest.push(merged);
        self.0 = rest;
    }
}

impl FusedState {
    /// Adds every report of another record (FU70): the result is what adding all their
    /// reports to one aggregate gives, except where the record keeps first-seen order (ties,
    /// names). `documents` is the number of distinct documents of the merged record (a
    /// document may have reports in both) and `current` the document being stored, if it has
    /// reports in either, so that its further reports are not counted as a new document.
    pub fn absorb(&mut self, other: &FusedState, documents: usize, current: Option<&str>) {
        self.n_reports += other.n_reports;
        for t in &other.types {
            match self.types.iter_mut().find(|x| x.plover == t.plover) {
                Some(x) => {
                    x.n += t.n;
                    x.acled.absorb(&t.acled);
                    x.cameo.absorb(&t.cameo);
                    x.mode.absorb(&t.mode);
                }
                None => self.types.push(t.clone()),
            }
        }
        self.absorb_dates(other);
        self.absorb_place(other);
        absorb_actors(&mut self.sources, &other.sources);
        absorb_actors(&mut self.targets, &other.targets);
        self.bound_lists();
        self.absorb_tolls(other);
        for set in &other.source_sets {
            if self.source_sets.iter().any(|s| s.is_disjoint(set)) {
                self.perpetrator_clash = true;
            }
            if !self.source_sets.contains(set) && self.source_sets.len() < MAX_AGGREGATE_ENTRIES {
                self.source_sets.push(set.clone());
            }
        }
        self.perpetrator_clash |= other.perpetrator_clash;
        self.asserted |= other.asserted;
        self.any_hedged |= other.any_hedged;
        self.any_denied |= other.any_denied;
        for m in &other.modalities {
            if !self.modalities.contains(m) {
                self.modalities.push(*m);
            }
        }
        self.days_differ |= other.days_differ
            || matches!((self.first_day, other.first_day), (Some(a), Some(b)) if a != b);
        self.first_day = self.first_day.or(other.first_day);
        self.confidence = self.confidence.max(other.confidence);
        self.absorb_documents(other, documents, current);
        for (list, n) in &other.capped {
            self.count_capped(list, *n);
        }
    }

    fn absorb_dates(&mut self, other: &FusedState) {
        match (self.best_time, other.best_time) {
            (_, None) => {}
            (None, Some(_)) => {
                self.best_time = other.best_time;
                self.dates = other.dates.clone();
            }
            (Some(a), Some(b)) if b < a => {
                self.best_time = Some(b);
                self.dates = other.dates.clone();
            }
            (Some(a), Some(b)) if a == b => self.dates.absorb(&other.dates),
            _ => {}
        }
        for (mine, theirs) in [
            (&mut self.fine_range, other.fine_range),
            (&mut self.any_range, other.any_range),
        ] {
            if let Some((s, e)) = theirs {
                super::union(mine, s, e);
            }
        }
    }

    /// The record's place: the votes of both, then the better of the two best places by the
    /// rank [`FusedState::add`] uses.
    fn absorb_place(&mut self, other: &FusedState) {
        for (id, n) in &other.place_votes {
            match self.place_votes.iter_mut().find(|v| v.0 == *id) {
                Some(v) => v.1 += n,
                None => self.place_votes.push((*id, *n)),
            }
        }
        let Some(theirs) = &other.location else {
            return;
        };
        let rank = |b: &BestLocation, votes: u32| {
            (
                b.loc.relation == crate::focus::STAND_IN_RELATION,
                b.loc.precision,
                b.loc.province_named(),
                b.loc.lat.is_none(),
                std::cmp::Reverse(votes),
            )
        };
        let better = match &self.location {
            None => true,
            Some(mine) => {
                let (a, b) = (
                    rank(theirs, self.votes_of(theirs.loc.geonameid)),
                    rank(mine, self.votes_of(mine.loc.geonameid)),
                );
                a.cmp(&b)
                    .then(if (mine.score - theirs.score).abs() <= SCORE_TIE {
                        std::cmp::Ordering::Equal
                    } else {
                        mine.score.total_cmp(&theirs.score)
                    })
                    .is_lt()
            }
        };
        if better {
            self.location = Some(theirs.clone());
        }
    }

    fn absorb_tolls(&mut self, other: &FusedState) {
        if let (Some(min_hi), Some(max_lo), Some(o_hi), Some(o_lo)) = (
            self.killed_hi_min,
            self.killed_lo_max,
            other.killed_hi_min,
            other.killed_lo_max,
        ) && (min_hi < o_lo || o_hi < max_lo)
        {
            self.killed_clash = true;
        }
        self.killed_clash |= other.killed_clash;
        self.killed_hi_min = min_opt(self.killed_hi_min, other.killed_hi_min);
        self.killed_lo_max = max_opt(self.killed_lo_max, other.killed_lo_max);
        self.killed_min = min_opt(self.killed_min, other.killed_min);
        self.killed_max = max_opt(self.killed_max, other.killed_max);
        if let Some(theirs) = other.killed_best
            && self.killed_best.is_none_or(|b| theirs.outranks(&b))
        {
            self.killed_best = Some(theirs);
        }
    }

    fn absorb_documents(&mut self, other: &FusedState, documents: usize, current: Option<&str>) {
        self.n_documents = documents;
        if let Some(c) = current
            && (self.last_document == c || other.last_document == c)
        {
            self.last_document = c.to_string();
        }
        for o in &other.outlets {
            if !self.outlets.iter().any(|x| x.eq_ignore_ascii_case(o)) {
                if self.outlets.len() < MAX_AGGREGATE_ENTRIES {
                    self.outlets.push(o.clone());
                } else {
                    self.count_capped("outlets", 1);
                }
            }
        }
        self.groups.absorb(&other.groups);
        let key = |e: &(Option<chrono::NaiveDate>, String, String)| (e.0.is_none(), e.0);
        if let Some(theirs) = &other.earliest
            && self
                .earliest
                .as_ref()
                .is_none_or(|mine| key(theirs) < key(mine))
        {
            self.earliest = Some(theirs.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fusion::Member;
    use crate::testutil::{EventSpec, actor, extraction, place};
    use frontline_model::ActorType;

    fn member(n: usize, outlet: &str, day: &str, killed: f64, story: i64) -> Member {
        let mut spec = EventSpec::assault(
            vec![actor("IMGMUSISI", "Islamic State", None, ActorType::Rebel)],
            Some(place("Alpha", 900101, 34.7, 36.7, "SY")),
            Some(day),
        );
        spec.killed = Some(killed);
        let ex = extraction(
            &format!("Report {n} of the attack."),
            Some(outlet),
            Some(day),
            &[spec],
        );
        Member {
            event: ex.events[0].clone(),
            document_id: ex.document.id.clone(),
            outlet: Some(outlet.into()),
            story_id: story,
            published_at: ex.document.published_at,
            sentence_text: format!("Report {n}."),
            credits: Vec::new(),
        }
    }

    #[test]
    fn fu70_absorbing_a_record_is_adding_its_reports() {
        let m = [
            member(1, "Wire", "2017-06-19", 5.0, 1),
            member(2, "Daily", "2017-06-21", 7.0, 2),
            member(3, "Wire", "2017-06-23", 6.0, 3),
        ];
        let mut all = FusedState::default();
        for x in &m {
            all.add(x);
        }
        let (mut a, mut b) = (FusedState::default(), FusedState::default());
        a.add(&m[0]);
        a.add(&m[2]);
        b.add(&m[1]);
        a.absorb(&b, 3, None);
        let (x, y) = (a.finish_summary(1).unwrap(), all.finish_summary(1).unwrap());
        assert_eq!(x.n_reports, 3);
        assert_eq!(x.n_documents, 3);
        // the two Wire documents count once
        assert_eq!(x.n_sources, 2);
        assert_eq!(x.fatalities, Some(5));
        assert_eq!(x.fatalities_max, Some(7));
        assert_eq!(x.fatalities_best, y.fatalities_best);
        assert_eq!((x.match_start, x.match_end), (y.match_start, y.match_end));
        assert_eq!(x.location, y.location);
        assert_eq!(x.sources, y.sources);
        assert_eq!(x.outlets.len(), 2);
        assert_eq!(x.contradictions.len(), y.contradictions.len());
    }

    #[test]
    fn fu34_a_town_named_like_its_province_never_outranks_another_town() {
        let at = |n: usize, name: &str, id: u64, lat: f64, score: f32| {
            let mut m = member(n, "Wire", "2030-03-02", 1.0, n as i64);
            let loc = m.event.location.as_mut().unwrap();
            loc.place = place(name, id, lat, 37.6, "UA");
            loc.place.admin1 = Some("Zorska oblast".into());
            loc.place.score = score;
            m
        };
        // "Zorsk" stands for Zorska oblast; the resolver scores it higher than the town.
        let province = at(1, "Zorsk", 900201, 48.0, 0.99);
        let town = at(2, "Bilohirka", 900202, 48.5, 0.5);
        for order in [[&province, &town], [&town, &province]] {
            let mut s = FusedState::default();
            for m in order {
                s.add(m);
            }
            let f = s.finish_summary(1).unwrap();
            assert_eq!(f.location.unwrap().name, "Bilohirka");
        }
        let (mut a, mut b) = (FusedState::default(), FusedState::default());
        a.add(&province);
        b.add(&town);
        a.absorb(&b, 2, None);
        assert_eq!(
            a.finish_summary(1).unwrap().location.unwrap().name,
            "Bilohirka"
        );
    }
}
