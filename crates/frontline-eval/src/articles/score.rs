//! Scoring one document's emitted events against its gold (docs/evaluation.md, "Scoring").

use std::collections::BTreeMap;

use frontline_model::{ActorRef, ActorType, Event, EventLocation, Modality, QuantityKind, Span};
use serde::Serialize;

use super::gold::{GoldActor, GoldDocument, GoldEvent};
use super::interval::{DocCounts, Intervals, RESAMPLES, bootstrap};
use crate::events::Counts;

/// A share: how many were right out of how many were judged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    /// Right.
    pub right: usize,
    /// Judged.
    pub total: usize,
}

impl Ratio {
    /// Counts one judgement.
    pub fn add(&mut self, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
    }

    /// The share (`None` when nothing was judged).
    pub fn share(&self) -> Option<f64> {
        (self.total > 0).then(|| self.right as f64 / self.total as f64)
    }
}

/// What an emitted event was judged to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Judgement {
    /// Matched gold event `gold` (its index in the document's events).
    Match {
        /// Index of the gold event.
        gold: usize,
    },
    /// Retells gold event `gold`, already matched.
    Duplicate {
        /// Index of the gold event.
        gold: usize,
    },
    /// Matched a background gold event (neither a hit nor a false event).
    Background {
        /// Index of the gold event.
        gold: usize,
    },
    /// Matched nothing.
    False,
    /// Flagged background by the coder (`DT50`): not counted, reported on its own line;
    /// `gold` is the gold event whose evidence holds its trigger, if any.
    Flagged {
        /// Index of the gold event, if any.
        gold: Option<usize>,
    },
}

/// One emitted event that the scorer counted, with its raw trigger span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Judged {
    /// Index of the event in the extraction.
    pub event: usize,
    /// The trigger's byte span in the raw text.
    pub raw_trigger: [usize; 2],
    /// The verdict.
    pub judgement: Judgement,
}

/// Whether an emitted event is counted: its modality counts (asserted, hedged), it has an
/// ACLED type and it is not flagged as background.
pub fn counted(ev: &Event) -> bool {
    would_count(ev) && !ev.background
}

/// Whether an event would be counted but for its background flag.
fn would_count(ev: &Event) -> bool {
    ev.modality.counts() && ev.acled.is_some()
}

fn overlaps(a: [usize; 2], b: [usize; 2]) -> bool {
    a[0] < b[1] && b[0] < a[1]
}

/// Matches the counted events of one document to its gold events, one to one, in text order.
/// `raw_span` maps a span of the cleaned text to the raw text.
pub fn judge_document(
    gold: &GoldDocument,
    events: &[Event],
    raw_span: impl Fn(Span) -> Span,
) -> Vec<Judged> {
    let mut taken = vec![false; gold.events.len()];
    let mut out = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        if !would_count(ev) {
            continue;
        }
        let t = raw_span(ev.trigger);
        let trig = [t.start, t.end];
        let cands: Vec<usize> = gold
            .events
            .iter()
            .enumerate()
            .filter(|(_, g)| g.evidence.iter().any(|e| overlaps(trig, *e)))
            .map(|(k, _)| k)
            .collect();
        if ev.background {
            out.push(Judged {
                event: i,
                raw_trigger: trig,
                judgement: Judgement::Flagged {
                    gold: cands.first().copied(),
                },
            });
            continue;
        }
        let free: Vec<usize> = cands.iter().copied().filter(|k| !taken[*k]).collect();
        let acled_type = ev.acled.as_ref().map(|a| a.event_type.as_str());
        let pick = free
            .iter()
            .copied()
            .find(|k| Some(gold.events[*k].acled.event_type.as_str()) == acled_type)
            .or_else(|| {
                free.iter()
                    .copied()
                    .find(|k| gold.events[*k].plover.kind == ev.plover_type.as_str())
            })
            .or_else(|| free.first().copied());
        let judgement = match pick {
            Some(k) => {
                taken[k] = true;
                if gold.events[k].background {
                    Judgement::Background { gold: k }
                } else {
                    Judgement::Match { gold: k }
                }
            }
            None => match cands.first() {
                Some(&k) if gold.events[k].background => Judgement::Background { gold: k },
                Some(&k) => Judgement::Duplicate { gold: k },
                None => Judgement::False,
            },
        };
        out.push(Judged {
            event: i,
            raw_trigger: trig,
            judgement,
        });
    }
    out
}

/// An error listed by `--failures`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Document id.
    pub doc: String,
    /// `missed`, `false`, `duplicate`, `must_not`.
    pub kind: String,
    /// Raw byte span (the trigger, or the gold event's first evidence span).
    pub span: [usize; 2],
    /// What, in a few words.
    pub what: String,
}

/// A trigger the coder set aside near a gold event, as `--failures` names it for a miss: the
/// rule that set it aside (`NE15-running-total`, `CR11-criminal-homicide`, `MG30-same-event`;
/// for an event emitted but not counted, the modality rule that made it so, `DT50-background`
/// or `DT51-past-era` for one flagged background, `no-ACLED-type` for talk), the trigger's
/// words and its raw byte span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetAside {
    /// The rule id and short name, without the reason after the colon.
    pub rule: String,
    /// The trigger's words, lower-cased.
    pub words: String,
    /// The trigger's raw byte span.
    pub raw_span: [usize; 2],
}

/// The rule id and short name of a near miss's reason: what stands before its colon
/// (`NE15-running-total`); `None` for a reason that names no rule.
fn rule_of(reason: &str) -> Option<&str> {
    let id = reason.split(':').next()?.trim();
    let mut chars = id.chars();
    let lettered = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.next().is_some_and(|c| c.is_ascii_uppercase());
    (lettered && id.len() >= 4 && !id.contains(' ')).then_some(id)
}

/// The triggers of one document that the coder set aside or did not count: its near misses
/// on trigger words (`trigger_rule` an `EV` rule: a name the geocoder set aside is no trigger),
/// its events whose modality does not count or that have no ACLED type, and its events flagged
/// background. `text` is the cleaned text the spans index, `raw_span` maps them to the raw text.
pub fn set_aside<'n>(
    text: &str,
    events: &[Event],
    near: impl IntoIterator<Item = (&'n str, &'n str, Span)>,
    raw_span: impl Fn(Span) -> Span,
) -> Vec<SetAside> {
    let entry = |rule: &str, span: Span| {
        let raw = raw_span(span);
        SetAside {
            rule: rule.to_string(),
            words: text.get(span.range()).unwrap_or("").to_ascii_lowercase(),
            raw_span: [raw.start, raw.end],
        }
    };
    let mut out: Vec<SetAside> = near
        .into_iter()
        .filter(|(trigger_rule, _, _)| trigger_rule.starts_with("EV"))
        .filter_map(|(_, reason, span)| Some(entry(rule_of(reason)?, span)))
        .collect();
    for ev in events {
        let why = if !ev.modality.counts() {
            ev.rules
                .iter()
                .rev()
                .find(|r| r.starts_with("MO") || r.starts_with("VT3"))
                .cloned()
                .unwrap_or_else(|| format!("modality-{:?}", ev.modality).to_ascii_lowercase())
        } else if ev.acled.is_none() {
            "no-ACLED-type".to_string()
        } else if ev.background {
            ev.rules
                .iter()
                .find(|r| r.starts_with("DT50") || r.starts_with("DT51"))
                .cloned()
                .unwrap_or_else(|| "background".to_string())
        } else {
            continue;
        };
        out.push(entry(&why, ev.trigger));
    }
    out
}

/// The figures of a run over many documents.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArticleScores {
    /// Documents scored.
    pub documents: usize,
    /// Gold events required (not background).
    pub gold_events: usize,
    /// Background gold events.
    pub gold_background: usize,
    /// Counted emitted events.
    pub emitted: usize,
    /// Emitted events of material types (ASSAULT, COERCE, PROTEST, MOBILIZE, RETREAT).
    pub emitted_material: usize,
    /// Matched gold events.
    pub matched: usize,
    /// Within-document duplicates.
    pub duplicates: usize,
    /// False events.
    pub false_events: usize,
    /// Emitted events matching background gold events.
    pub background_matched: usize,
    /// Events the coder flagged as background (`DT50`), not counted as emitted.
    pub flagged_background: usize,
    /// Of those, the ones whose trigger lies in the evidence of a gold event that is news.
    pub flagged_on_news: usize,
    /// Field accuracy over matched events, by field name.
    pub fields: BTreeMap<String, Ratio>,
    /// Location errors in km over matched events with coordinates (sorted when read).
    pub location_errors_km: Vec<f64>,
    /// Must-not spans, and how many carry a counted event, by class.
    pub must_not: BTreeMap<String, Ratio>,
    /// False events by PLOVER type.
    pub false_by_type: BTreeMap<String, usize>,
    /// Duplicates by PLOVER type.
    pub duplicates_by_type: BTreeMap<String, usize>,
    /// Missed gold events by ACLED sub-event type.
    pub missed_by_subtype: BTreeMap<String, usize>,
    /// Missed gold events (news) by the rule that set aside a trigger in their evidence
    /// ([`SetAside`]; a gold event counts once per rule), and `none` for a miss with no
    /// trigger set aside in its evidence.
    pub missed_by_rule: BTreeMap<String, usize>,
    /// Gold events by ACLED sub-event type.
    pub gold_by_subtype: BTreeMap<String, usize>,
    /// Misses and false events, in document order.
    pub failures: Vec<Failure>,
    /// Each document's detection counts, for [`ArticleScores::intervals`].
    #[serde(skip)]
    pub per_document: Vec<DocCounts>,
}

impl ArticleScores {
    /// Detection as true positives (matched), false positives (duplicates and false events)
    /// and false negatives (gold events not matched).
    pub fn detection(&self) -> Counts {
        Counts {
            tp: self.matched,
            fp: self.duplicates + self.false_events,
            fn_: self.gold_events.saturating_sub(self.matched),
        }
    }

    /// Precision of event detection.
    pub fn precision(&self) -> f64 {
        self.detection().precision()
    }

    /// Recall of event detection.
    pub fn recall(&self) -> f64 {
        self.detection().recall()
    }

    /// F1 of event detection.
    pub fn f1(&self) -> f64 {
        self.detection().f1()
    }

    /// Median location error in km (`None` without located matches).
    pub fn median_error_km(&self) -> Option<f64> {
        let mut v = self.location_errors_km.clone();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        Some(v[v.len() / 2])
    }

    fn field(&mut self, name: &str, right: bool) {
        self.fields.entry(name.to_string()).or_default().add(right);
    }

    /// 95 % bootstrap intervals of precision, recall and F1 over the documents added
    /// ([`super::interval`]).
    pub fn intervals(&self) -> Option<Intervals> {
        bootstrap(&self.per_document, RESAMPLES)
    }

    /// Adds one document: its gold, the extraction's events, the judgements of
    /// [`judge_document`].
    pub fn add_document(&mut self, gold: &GoldDocument, events: &[Event], judged: &[Judged]) {
        self.add_document_explained(gold, events, judged, &[]);
    }

    /// Like [`ArticleScores::add_document`], also naming for each missed gold event the
    /// triggers in its evidence that the coder set aside (`set_aside`, from [`set_aside`]).
    pub fn add_document_explained(
        &mut self,
        gold: &GoldDocument,
        events: &[Event],
        judged: &[Judged],
        set_aside: &[SetAside],
    ) {
        let before = (
            self.matched,
            self.duplicates + self.false_events,
            self.gold_events,
        );
        self.add_document_counts(gold, events, judged, set_aside);
        self.per_document.push(DocCounts {
            matched: self.matched - before.0,
            wrong: self.duplicates + self.false_events - before.1,
            gold: self.gold_events - before.2,
        });
    }

    fn add_document_counts(
        &mut self,
        gold: &GoldDocument,
        events: &[Event],
        judged: &[Judged],
        set_aside: &[SetAside],
    ) {
        self.documents += 1;
        for g in &gold.events {
            if g.background {
                self.gold_background += 1;
            } else {
                self.gold_events += 1;
                *self
                    .gold_by_subtype
                    .entry(g.acled.sub_event_type.clone())
                    .or_default() += 1;
            }
        }
        let mut matched = vec![false; gold.events.len()];
        for j in judged {
            let Some(ev) = events.get(j.event) else {
                continue;
            };
            let ptype = ev.plover_type.as_str().to_string();
            match j.judgement {
                Judgement::Flagged { gold: k } => {
                    self.flagged_background += 1;
                    if let Some(k) = k.filter(|&k| !gold.events[k].background) {
                        self.flagged_on_news += 1;
                        self.failures.push(Failure {
                            doc: gold.doc.clone(),
                            kind: "flagged".into(),
                            span: j.raw_trigger,
                            what: format!(
                                "{ptype} flagged background in news gold {} ({})",
                                gold.events[k].id,
                                ev.rules
                                    .iter()
                                    .find(|r| r.starts_with("DT50") || r.starts_with("DT51"))
                                    .map_or("background", String::as_str)
                            ),
                        });
                    }
                    continue;
                }
                Judgement::Background { .. } => {
                    self.background_matched += 1;
                    continue;
                }
                Judgement::Match { gold: k } => {
                    matched[k] = true;
                    self.matched += 1;
                    self.score_fields(&gold.events[k], ev);
                    if let Some(what) = location_failure(&gold.events[k], ev) {
                        self.failures.push(Failure {
                            doc: gold.doc.clone(),
                            kind: "location".into(),
                            span: j.raw_trigger,
                            what,
                        });
                    }
                    if let Some(what) = actors_failure(&gold.events[k], ev) {
                        self.failures.push(Failure {
                            doc: gold.doc.clone(),
                            kind: "actors".into(),
                            span: j.raw_trigger,
                            what,
                        });
                    }
                    for (kind, what) in [
                        ("subtype", subtype_failure(&gold.events[k], ev)),
                        ("date", date_failure(&gold.events[k], ev)),
                    ] {
                        if let Some(what) = what {
                            self.failures.push(Failure {
                                doc: gold.doc.clone(),
                                kind: kind.into(),
                                span: j.raw_trigger,
                                what,
                            });
                        }
                    }
                }
                Judgement::Duplicate { gold: k } => {
                    self.duplicates += 1;
                    *self.duplicates_by_type.entry(ptype.clone()).or_default() += 1;
                    self.failures.push(Failure {
                        doc: gold.doc.clone(),
                        kind: "duplicate".into(),
                        span: j.raw_trigger,
                        what: format!("{ptype} retells gold {}", gold.events[k].id),
                    });
                }
                Judgement::False => {
                    self.false_events += 1;
                    *self.false_by_type.entry(ptype.clone()).or_default() += 1;
                    let class = gold
                        .must_not
                        .iter()
                        .find(|m| overlaps(j.raw_trigger, m.span))
                        .map(|m| format!(" in a must-not span ({})", m.class))
                        .unwrap_or_default();
                    self.failures.push(Failure {
                        doc: gold.doc.clone(),
                        kind: "false".into(),
                        span: j.raw_trigger,
                        what: format!(
                            "{ptype} / {}{class}",
                            ev.acled.as_ref().map_or("-", |a| a.sub_event_type.as_str())
                        ),
                    });
                }
            }
            self.emitted += 1;
            if ev.plover_type.is_material() {
                self.emitted_material += 1;
            }
        }
        for (k, g) in gold.events.iter().enumerate() {
            if !g.background && !matched[k] {
                *self
                    .missed_by_subtype
                    .entry(g.acled.sub_event_type.clone())
                    .or_default() += 1;
                let causes = causes_in(g, set_aside);
                let mut rules: Vec<&str> = causes.iter().map(|c| c.rule.as_str()).collect();
                rules.sort_unstable();
                rules.dedup();
                if rules.is_empty() {
                    rules.push("none");
                }
                for r in &rules {
                    *self.missed_by_rule.entry((*r).to_string()).or_default() += 1;
                }
                let told: Vec<String> = causes
                    .iter()
                    .map(|c| {
                        format!(
                            "{} \"{}\" {}..{}",
                            c.rule, c.words, c.raw_span[0], c.raw_span[1]
                        )
                    })
                    .collect();
                self.failures.push(Failure {
                    doc: gold.doc.clone(),
                    kind: "missed".into(),
                    span: g.evidence[0],
                    what: format!(
                        "gold {} {} / {}{}",
                        g.id,
                        g.plover.kind,
                        g.acled.sub_event_type,
                        if told.is_empty() {
                            String::new()
                        } else {
                            format!("; set aside: {}", told.join(", "))
                        }
                    ),
                });
            }
        }
        for m in &gold.must_not {
            let hit = judged.iter().any(|j| {
                !matches!(j.judgement, Judgement::Flagged { .. }) && overlaps(j.raw_trigger, m.span)
            });
            self.must_not.entry(m.class.clone()).or_default().add(hit);
            if hit {
                self.failures.push(Failure {
                    doc: gold.doc.clone(),
                    kind: "must_not".into(),
                    span: m.span,
                    what: format!("a counted event in a must-not span ({})", m.class),
                });
            }
        }
    }

    fn score_fields(&mut self, g: &GoldEvent, ev: &Event) {
        self.field("plover_type", g.plover.kind == ev.plover_type.as_str());
        let acled = ev.acled.as_ref();
        self.field(
            "acled_event_type",
            acled.is_some_and(|a| a.event_type == g.acled.event_type),
        );
        self.field(
            "acled_sub_event_type",
            acled.is_some_and(|a| {
                a.event_type == g.acled.event_type && a.sub_event_type == g.acled.sub_event_type
            }),
        );
        let loc_country = g.location.as_ref().map(|l| l.country.as_str());
        let srcs: Vec<&ActorRef> = ev.sources.iter().map(|a| &a.actor).collect();
        let tgts: Vec<&ActorRef> = ev.targets.iter().map(|a| &a.actor).collect();
        let a1 = actor_right(Some(&g.actor1), &srcs, loc_country);
        let a2 = actor_right(g.actor2.as_ref(), &tgts, loc_country);
        self.field("actor1", a1);
        self.field("actor2", a2);
        self.field("actors_both", a1 && a2);
        self.score_location(g, ev);
        if let Some(d) = &g.date {
            let right = ev.date.as_ref().is_some_and(|t| {
                t.start >= d.start - chrono::Duration::days(1)
                    && t.end <= d.end + chrono::Duration::days(1)
            });
            self.field("date_within_1_day", right);
        }
        if let Some(f) = g.fatalities {
            let killed = ev
                .quantities
                .iter()
                .filter(|q| q.quantity.quantity_kind == QuantityKind::Killed)
                .map(|q| q.quantity.value.max(0.0) as u64)
                .max();
            let right = match killed {
                Some(k) => f.low <= k && k <= f.high,
                None => f.low == 0,
            };
            self.field("fatalities_in_range", right);
        }
        let modality = match ev.modality {
            Modality::Asserted => "asserted",
            Modality::Hedged => "claimed",
            Modality::Denied => "denied",
            Modality::Negated | Modality::Hypothetical => "other",
        };
        let gm = if g.modality == "uncertain" {
            "claimed"
        } else {
            g.modality.as_str()
        };
        self.field("modality", modality == gm);
    }

    fn score_location(&mut self, g: &GoldEvent, ev: &Event) {
        let Some(gl) = &g.location else {
            return;
        };
        let place = ev
            .location
            .as_ref()
            .map(|l| (&l.place, l.relation.as_str()));
        let coords = place.and_then(|(p, _)| Some((p.lat?, p.lon?)));
        self.field("location_with_coordinates", coords.is_some());
        let Some((lat, lon)) = coords else {
            self.field("location_within_50km", false);
            return;
        };
        let km = crate::geo::haversine_km(gl.lat, gl.lon, lat, lon);
        self.location_errors_km.push(km);
        let p = place.map(|x| x.0);
        let same_admin1 = gl.geo_precision == 3
            && match (p.and_then(|p| p.admin1.as_deref()), gl.admin1.as_deref()) {
                (Some(a), Some(b)) => norm_admin(a) == norm_admin(b),
                _ => false,
            };
        self.field("location_within_50km", km <= 50.0 || same_admin1);
        if let Some(cc) = p.and_then(|p| p.country_code.as_deref()) {
            self.field_inverse(
                "location_wrong_country",
                !cc.eq_ignore_ascii_case(&gl.country),
            );
        }
        if let Some(l) = &ev.location {
            self.field(
                "geo_precision_equal",
                l.acled_precision() == gl.geo_precision,
            );
        }
    }

    /// Counts a field where `wrong` is what is measured (wrong country): `right` holds the
    /// cases that are wrong, so the share is the error rate.
    fn field_inverse(&mut self, name: &str, wrong: bool) {
        self.fields.entry(name.to_string()).or_default().add(wrong);
    }
}

/// The triggers set aside inside a gold event's evidence spans, in text order.
fn causes_in<'s>(g: &GoldEvent, set_aside: &'s [SetAside]) -> Vec<&'s SetAside> {
    let mut v: Vec<&SetAside> = set_aside
        .iter()
        .filter(|a| g.evidence.iter().any(|e| overlaps(a.raw_span, *e)))
        .collect();
    v.sort_by_key(|a| a.raw_span);
    v
}

/// A matched event whose place is missing or more than 50 km off, in a few words: the gold
/// place and precision beside the emitted one and the rules that chose it.
fn location_failure(g: &GoldEvent, ev: &Event) -> Option<String> {
    let gl = g.location.as_ref()?;
    let got = ev.location.as_ref();
    let coords = got.and_then(|l| Some((l.place.lat?, l.place.lon?)));
    let km = coords.map(|(lat, lon)| crate::geo::haversine_km(gl.lat, gl.lon, lat, lon));
    let precision = got.map(EventLocation::acled_precision);
    if km.is_some_and(|k| k <= 50.0) && precision == Some(gl.geo_precision) {
        return None;
    }
    let rules: Vec<&str> = ev
        .rules
        .iter()
        .filter(|r| r.starts_with("LO"))
        .map(String::as_str)
        .collect();
    Some(format!(
        "gold {} ({}, p{}) got {}{} p{} [{}]",
        gl.name.as_deref().unwrap_or("-"),
        gl.country,
        gl.geo_precision,
        got.map_or_else(
            || "nothing".to_string(),
            |l| format!(
                "{} {} ({}, {:?})",
                l.relation,
                l.place.name,
                l.place.country_code.as_deref().unwrap_or("-"),
                l.place.precision
            )
        ),
        km.map_or_else(String::new, |k| format!(" {k:.0} km")),
        precision.unwrap_or(0),
        rules.join(",")
    ))
}

/// A matched event whose actor1 or actor2 is judged wrong, in a few words: each gold actor
/// (code, ACLED interaction) beside the emitted sources or targets and the role rules that
/// fired, so that swapped roles and missing actors can be told apart.
/// The rule ids of `ev` whose prefix is one of `prefixes`, for a failure line.
fn rules_of<'a>(ev: &'a Event, prefixes: &[&str]) -> String {
    ev.rules
        .iter()
        .filter(|r| prefixes.iter().any(|p| r.starts_with(p)))
        .map(String::as_str)
        .collect::<Vec<&'a str>>()
        .join(",")
}

/// A matched event whose ACLED type or sub-type is not the gold's.
fn subtype_failure(g: &GoldEvent, ev: &Event) -> Option<String> {
    let got = ev.acled.as_ref();
    if got.is_some_and(|a| {
        a.event_type == g.acled.event_type && a.sub_event_type == g.acled.sub_event_type
    }) {
        return None;
    }
    Some(format!(
        "gold {} / {} got {} [{}]",
        g.acled.event_type,
        g.acled.sub_event_type,
        got.map_or_else(
            || "no ACLED type".to_string(),
            |a| format!("{} / {}", a.event_type, a.sub_event_type)
        ),
        rules_of(ev, &["EV", "AL", "AC", "RO6"])
    ))
}

/// A matched event whose date is not within a day of the gold's.
fn date_failure(g: &GoldEvent, ev: &Event) -> Option<String> {
    let d = g.date.as_ref()?;
    let got = ev.date.as_ref();
    if got.is_some_and(|t| {
        t.start >= d.start - chrono::Duration::days(1) && t.end <= d.end + chrono::Duration::days(1)
    }) {
        return None;
    }
    Some(format!(
        "gold {}..{} got {} [{}]",
        d.start,
        d.end,
        got.map_or_else(
            || "no date".to_string(),
            |t| format!("{}..{} ({:?})", t.start, t.end, t.precision)
        ),
        rules_of(ev, &["DT"])
    ))
}

fn actors_failure(g: &GoldEvent, ev: &Event) -> Option<String> {
    let country = g.location.as_ref().map(|l| l.country.as_str());
    let srcs: Vec<&ActorRef> = ev.sources.iter().map(|a| &a.actor).collect();
    let tgts: Vec<&ActorRef> = ev.targets.iter().map(|a| &a.actor).collect();
    let a1 = actor_right(Some(&g.actor1), &srcs, country);
    let a2 = actor_right(g.actor2.as_ref(), &tgts, country);
    if a1 && a2 {
        return None;
    }
    let gold = |a: Option<&GoldActor>| {
        a.map_or_else(|| "-".to_string(), |a| format!("{} ({})", a.code, a.inter))
    };
    let got = |v: &[&ActorRef]| {
        if v.is_empty() {
            return "-".to_string();
        }
        v.iter()
            .map(|a| format!("{} ({})", a.code, inter_of(a, country)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rules: Vec<&str> = ev
        .rules
        .iter()
        .filter(|r| r.starts_with("RO") || r.starts_with("AC"))
        .map(String::as_str)
        .collect();
    Some(format!(
        "actor1 {} {} got {}; actor2 {} {} got {} [{}]",
        if a1 { "right" } else { "WRONG" },
        gold(Some(&g.actor1)),
        got(&srcs),
        if a2 { "right" } else { "WRONG" },
        gold(g.actor2.as_ref()),
        got(&tgts),
        rules.join(",")
    ))
}

fn norm_admin(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut out = lower.as_str();
    for suffix in [
        " governorate",
        " province",
        " region",
        " state",
        " district",
        " muhafazat",
    ] {
        out = out.trim_end_matches(suffix);
    }
    for prefix in ["muhafazat ", "al-", "al "] {
        out = out.trim_start_matches(prefix);
    }
    out.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The ACLED interaction category Frontline's actor implies (`external` for a state's forces
/// acting outside its country, IGOs and coalitions).
pub fn inter_of(a: &ActorRef, event_country: Option<&str>) -> &'static str {
    let foreign = |c: &str| {
        event_country.is_some_and(|ec| {
            frontline_gazetteer::countries::by_iso3(c)
                .is_some_and(|k| !k.iso2.eq_ignore_ascii_case(ec))
        })
    };
    match a.actor_type {
        ActorType::Igo => "external",
        _ if a.code.ends_with("COA") => "external",
        ActorType::State | ActorType::Government | ActorType::Military | ActorType::Police => {
            match a.country.as_deref() {
                Some(c) if foreign(c) => "external",
                _ => "state",
            }
        }
        ActorType::Rebel => "rebels",
        ActorType::Militia => "political_militia",
        ActorType::Party => "political_militia",
        ActorType::Civilian | ActorType::Media | ActorType::Ngo | ActorType::Business => {
            "civilians"
        }
        ActorType::Protester => "protesters",
        ActorType::Other => "other",
    }
}

/// Whether the emitted actors include the gold one: its code, or failing that its ACLED
/// interaction category. A gold `None` is right when nothing was emitted; an unidentified
/// gold perpetrator (`UNK`) is right when nothing, or only a generic actor (a bare sector code),
/// was emitted.
pub fn actor_right(gold: Option<&GoldActor>, emitted: &[&ActorRef], country: Option<&str>) -> bool {
    let Some(g) = gold else {
        return emitted.is_empty();
    };
    if g.code == "UNK" {
        return emitted.is_empty() || emitted.iter().all(|a| a.code.len() <= 3);
    }
    emitted.iter().any(|a| a.code == g.code)
        || emitted.iter().any(|a| inter_of(a, country) == g.inter)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::articles::gold::parse_gold;
    use frontline_store::testutil::{EventSpec, actor, extraction, place};

    // text:   "Jets struck Raqqa. Later jets struck Raqqa again. Talks went on."
    // offsets: 0..18 first sentence, 19..49 second, 50..65 third
    const GOLD: &str = r#"{"doc": "t:1", "split": "dev", "text_sha256": "x",
      "events": [{"id": "e1", "plover": {"type": "ASSAULT", "mode": "aerial"},
        "acled": {"event_type": "Battles", "sub_event_type": "Armed clash"},
        "actor1": {"name": "jets", "code": "SYRMIL", "inter": "state"},
        "location": {"name": "Raqqa", "lat": 35.95, "lon": 39.01, "geo_precision": 1,
                     "admin1": "Raqqa", "country": "SY"},
        "date": {"start": "2017-06-01", "end": "2017-06-01", "time_precision": 1},
        "fatalities": {"low": 0, "high": 0},
        "modality": "asserted", "background": false, "evidence": [[0, 18], [19, 49]]}],
      "must_not": [{"span": [50, 65], "class": "policy"}]}"#;

    fn events(triggers: &[(usize, usize)]) -> Vec<Event> {
        let army = actor("SYRMIL", "army", Some("SYR"), ActorType::Military);
        let raqqa = place("Raqqa", 1, 35.95, 39.02, "SY");
        let specs: Vec<EventSpec> = triggers
            .iter()
            .map(|_| {
                EventSpec::assault(vec![army.clone()], Some(raqqa.clone()), Some("2017-06-01"))
            })
            .collect();
        let mut ex = extraction("Jets struck Raqqa.", None, None, &specs);
        for (ev, (s, e)) in ex.events.iter_mut().zip(triggers) {
            ev.trigger = Span::new(*s, *e);
        }
        ex.events
    }

    fn gold() -> GoldDocument {
        parse_gold(&GOLD.replace('\n', " "), std::path::Path::new("t"))
            .unwrap()
            .remove(0)
    }

    #[test]
    fn headline_and_body_are_one_event_and_a_duplicate() {
        let g = gold();
        let evs = events(&[(5, 11), (25, 31)]);
        let j = judge_document(&g, &evs, |s| s);
        assert_eq!(j[0].judgement, Judgement::Match { gold: 0 });
        assert_eq!(j[1].judgement, Judgement::Duplicate { gold: 0 });
        let mut s = ArticleScores::default();
        s.add_document(&g, &evs, &j);
        assert_eq!((s.matched, s.duplicates, s.false_events), (1, 1, 0));
        assert!((s.precision() - 0.5).abs() < 1e-9);
        assert!((s.recall() - 1.0).abs() < 1e-9);
        assert_eq!(s.fields["actor1"], Ratio { right: 1, total: 1 });
        assert_eq!(
            s.fields["location_within_50km"],
            Ratio { right: 1, total: 1 }
        );
        assert_eq!(s.fields["date_within_1_day"], Ratio { right: 1, total: 1 });
        assert_eq!(
            s.fields["fatalities_in_range"],
            Ratio { right: 1, total: 1 }
        );
        assert_eq!(s.must_not["policy"], Ratio { right: 0, total: 1 });
    }

    #[test]
    fn an_event_in_a_must_not_span_is_false_and_counted_there() {
        let g = gold();
        let evs = events(&[(56, 60)]);
        let j = judge_document(&g, &evs, |s| s);
        assert_eq!(j[0].judgement, Judgement::False);
        let mut s = ArticleScores::default();
        s.add_document(&g, &evs, &j);
        assert_eq!(s.false_events, 1);
        assert_eq!(s.must_not["policy"], Ratio { right: 1, total: 1 });
        assert_eq!(s.recall(), 0.0);
        assert!(s.failures.iter().any(|f| f.kind == "missed"));
    }

    #[test]
    fn a_wrong_actor_is_listed_with_gold_and_emitted_codes() {
        let g = gold();
        let mut evs = events(&[(5, 11)]);
        let j = judge_document(&g, &evs, |s| s);
        let mut right = ArticleScores::default();
        right.add_document(&g, &evs, &j);
        assert!(!right.failures.iter().any(|f| f.kind == "actors"));

        // The army is emitted as the target instead of the source: roles swapped.
        let army = evs[0].sources.remove(0);
        evs[0].targets.push(army);
        let mut swapped = ArticleScores::default();
        swapped.add_document(&g, &evs, &j);
        let f = swapped
            .failures
            .iter()
            .find(|f| f.kind == "actors")
            .unwrap();
        assert!(
            f.what.starts_with("actor1 WRONG SYRMIL (state) got -"),
            "{}",
            f.what
        );
        assert!(
            f.what.contains("actor2 WRONG - got SYRMIL (state)"),
            "{}",
            f.what
        );
    }

    #[test]
    fn a_wrong_sub_type_and_date_are_listed_with_gold_and_emitted() {
        let g = gold();
        let mut evs = events(&[(5, 11)]);
        let j = judge_document(&g, &evs, |s| s);
        let mut right = ArticleScores::default();
        right.add_document(&g, &evs, &j);
        assert!(
            !right
                .failures
                .iter()
                .any(|f| f.kind == "subtype" || f.kind == "date"),
            "{:?}",
            right.failures
        );

        evs[0].acled = Some(frontline_model::AcledType {
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: "Air/drone strike".into(),
        });
        if let Some(d) = evs[0].date.as_mut() {
            d.start = chrono::NaiveDate::from_ymd_opt(2017, 5, 20).unwrap();
            d.end = d.start;
        }
        let mut wrong = ArticleScores::default();
        wrong.add_document(&g, &evs, &j);
        let line = |kind: &str| {
            wrong
                .failures
                .iter()
                .find(|f| f.kind == kind)
                .map(|f| f.what.clone())
                .unwrap_or_default()
        };
        assert!(
            line("subtype").starts_with(
                "gold Battles / Armed clash got Explosions/Remote violence / Air/drone strike"
            ),
            "{}",
            line("subtype")
        );
        assert!(
            line("date").starts_with("gold 2017-06-01..2017-06-01 got 2017-05-20..2017-05-20"),
            "{}",
            line("date")
        );
    }

    #[test]
    fn uncounted_events_are_not_scored() {
        let g = gold();
        let mut evs = events(&[(5, 11), (25, 31)]);
        evs[0].modality = Modality::Hypothetical;
        evs[1].acled = None;
        assert!(judge_document(&g, &evs, |s| s).is_empty());
    }

    #[test]
    fn background_matches_are_neither_hits_nor_false() {
        let mut g = gold();
        g.events[0].background = true;
        let evs = events(&[(5, 11)]);
        let j = judge_document(&g, &evs, |s| s);
        let mut s = ArticleScores::default();
        s.add_document(&g, &evs, &j);
        assert_eq!(
            (s.gold_events, s.background_matched, s.false_events),
            (0, 1, 0)
        );
    }

    #[test]
    fn events_flagged_background_are_not_counted() {
        let g = gold();
        // one in the gold event's evidence (a recall cost), one in the must-not span
        let mut evs = events(&[(5, 11), (56, 60)]);
        for ev in &mut evs {
            ev.background = true;
        }
        let j = judge_document(&g, &evs, |s| s);
        assert_eq!(j[0].judgement, Judgement::Flagged { gold: Some(0) });
        let mut s = ArticleScores::default();
        s.add_document(&g, &evs, &j);
        assert_eq!(
            (s.emitted, s.matched, s.false_events, s.flagged_background),
            (0, 0, 0, 2)
        );
        assert_eq!(s.flagged_on_news, 1);
        assert_eq!(s.must_not["policy"], Ratio { right: 0, total: 1 });
    }

    #[test]
    fn a_miss_names_the_rules_that_set_aside_triggers_in_its_evidence() {
        let g = gold();
        // nothing counted: the headline's trigger was made hypothetical (MO30), the body's
        // flagged background (DT51); a near miss at 25..31 (NE15) and one outside the
        // evidence (NE17); a name the geocoder set aside is no trigger
        let mut evs = events(&[(5, 11), (25, 31)]);
        evs[0].modality = Modality::Hypothetical;
        evs[0].rules.push("MO30-hypothetical".into());
        evs[1].background = true;
        evs[1].rules.push("DT51-past-era".into());
        let near = [
            (
                "EV160",
                "NE15-running-total: a running total",
                Span::new(25, 31),
            ),
            ("EV160", "NE17-disaster: a disaster", Span::new(56, 60)),
            ("PN10", "not taken as a place name", Span::new(12, 17)),
        ];
        let text = "Jets struck Raqqa. Later struck Raqqa again, and talks went on there.";
        let aside = set_aside(text, &evs, near, |s| s);
        assert_eq!(aside.len(), 4, "{aside:?}");
        let j = judge_document(&g, &evs, |s| s);
        let mut s = ArticleScores::default();
        s.add_document_explained(&g, &evs, &j, &aside);
        let missed = s.failures.iter().find(|f| f.kind == "missed").unwrap();
        assert!(
            missed.what.ends_with(
                "set aside: MO30-hypothetical \"struck\" 5..11, NE15-running-total \"struck\" \
                 25..31, DT51-past-era \"struck\" 25..31"
            ),
            "{}",
            missed.what
        );
        assert!(!missed.what.contains("NE17"), "{}", missed.what);
        let flagged = s.failures.iter().find(|f| f.kind == "flagged").unwrap();
        assert!(
            flagged.what.ends_with("(DT51-past-era)"),
            "{}",
            flagged.what
        );
        let tally: Vec<(&str, usize)> = s
            .missed_by_rule
            .iter()
            .map(|(k, n)| (k.as_str(), *n))
            .collect();
        assert_eq!(
            tally,
            [
                ("DT51-past-era", 1),
                ("MO30-hypothetical", 1),
                ("NE15-running-total", 1)
            ]
        );
        // a miss with nothing set aside in its evidence is tallied as "none"
        let mut none = ArticleScores::default();
        none.add_document_explained(&g, &[], &[], &[]);
        assert_eq!(none.missed_by_rule.get("none"), Some(&1));
    }

    #[test]
    fn unidentified_perpetrators_are_right_only_when_not_guessed() {
        let g = GoldActor {
            name: None,
            code: "UNK".into(),
            inter: "rebels".into(),
        };
        let is = actor("IMGMUSISI", "IS", None, ActorType::Rebel);
        let gunmen = actor("REB", "gunmen", None, ActorType::Rebel);
        assert!(actor_right(Some(&g), &[], None));
        assert!(actor_right(Some(&g), &[&gunmen], None));
        assert!(!actor_right(Some(&g), &[&is], None));
    }

    #[test]
    fn a_state_acting_abroad_is_external() {
        let us = actor("USAMIL", "US forces", Some("USA"), ActorType::Military);
        assert_eq!(inter_of(&us, Some("SY")), "external");
        assert_eq!(inter_of(&us, Some("US")), "state");
    }
}
