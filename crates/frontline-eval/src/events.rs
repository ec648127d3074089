//! Event-coding scorer for validation suites.
//!
//! A suite is a folder of JSON Lines files (`*.jsonl`); each line is one item:
//!
//! ```json
//! {"id": "capture-001", "text": "Iraqi troops retook the town from IS on Monday.",
//!  "published": "2021-03-14", "tags": ["active"],
//!  "events": [{"type": "COERCE", "mode": "seize", "source": "IRQMIL", "target": "IMGMUSISI",
//!              "location": "…", "modality": "asserted",
//!              "acled": "Government regains territory", "trigger": "retook"}]}
//! ```
//!
//! Only `type` is required in an expected event; every other field is scored only where the
//! item gives it. `source`/`target` may be a code or a list of codes. An item with
//! `"events": []` checks that nothing is coded. Blank lines and lines starting with `//` are
//! skipped.
//!
//! Scoring: predicted events are aligned to expected ones per item, greedily in text order,
//! by PLOVER type (and by trigger text when the item gives it). Event detection is scored per
//! type (precision, recall, F1); each field (mode, source, target, location, modality, ACLED
//! sub-event type) is scored over aligned pairs: a field the item gives counts a true positive
//! when the prediction matches, a false negative otherwise, and a false positive too when the
//! prediction gave a different value.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use frontline_model::Event;
use serde::{Deserialize, Serialize};

/// Errors loading a suite.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// The folder or a file could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A line is not a valid item.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The folder holds no items.
    #[error("no suite items (*.jsonl lines) under {0}")]
    Empty(PathBuf),
}

/// One or several actor codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Codes {
    /// One code.
    One(String),
    /// Several codes.
    Many(Vec<String>),
}

impl Codes {
    /// The codes as a set.
    pub fn set(&self) -> BTreeSet<String> {
        match self {
            Codes::One(c) => std::iter::once(c.clone()).collect(),
            Codes::Many(v) => v.iter().cloned().collect(),
        }
    }
}

/// An expected event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldEvent {
    /// PLOVER type.
    #[serde(rename = "type")]
    pub plover_type: String,
    /// PLOVER mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Source actor code(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Codes>,
    /// Target actor code(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Codes>,
    /// Location name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Modality (`asserted`, `hedged`, `negated`, `denied`, `hypothetical`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<String>,
    /// ACLED sub-event type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acled: Option<String>,
    /// Trigger word, to align with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
}

/// One suite item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteItem {
    /// Stable id.
    pub id: String,
    /// The text (a sentence or an article).
    pub text: String,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default)]
    pub published: Option<NaiveDate>,
    /// Free tags (phenomena covered: `passive`, `coordination`, `attribution`...).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Expected events.
    pub events: Vec<GoldEvent>,
    /// Where it was read from (`file:line`), filled by [`load_suite`].
    #[serde(skip)]
    pub origin: String,
}

/// Loads every `*.jsonl` file under `dir` (sorted by name).
pub fn load_suite(dir: &Path) -> Result<Vec<SuiteItem>, SuiteError> {
    let io = |path: &Path, e| SuiteError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut files: Vec<PathBuf> = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect()
    };
    files.sort();
    let mut items = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| io(&f, e))?;
        for (n, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.is_empty() || l.starts_with("//") {
                continue;
            }
            let mut item: SuiteItem = serde_json::from_str(l).map_err(|e| SuiteError::Parse {
                path: f.clone(),
                line: n + 1,
                message: e.to_string(),
            })?;
            if let Some(g) = item
                .events
                .iter()
                .find(|g| frontline_model::PloverType::parse(&g.plover_type).is_none())
            {
                {
                    return Err(SuiteError::Parse {
                        path: f,
                        line: n + 1,
                        message: format!("unknown PLOVER type {:?}", g.plover_type),
                    });
                }
            }
            item.origin = format!("{}:{}", f.display(), n + 1);
            items.push(item);
        }
    }
    if items.is_empty() {
        return Err(SuiteError::Empty(dir.to_path_buf()));
    }
    Ok(items)
}

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
}

impl Counts {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    /// Recall (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }

    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// A mismatch, for the failure listing.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// Item id.
    pub item: String,
    /// What differed.
    pub what: String,
}

/// The scores.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Items scored.
    pub items: usize,
    /// Expected events.
    pub gold_events: usize,
    /// Predicted events.
    pub predicted_events: usize,
    /// Event detection over all types.
    pub events: Counts,
    /// Event detection per PLOVER type.
    pub per_type: BTreeMap<String, Counts>,
    /// Per field over aligned events.
    pub per_field: BTreeMap<String, Counts>,
    /// Per tag (event detection).
    pub per_tag: BTreeMap<String, Counts>,
    /// Mismatches.
    pub mismatches: Vec<Mismatch>,
}

fn modality_name(e: &Event) -> String {
    serde_json::to_value(e.modality)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn norm(s: &str) -> String {
    s.to_lowercase()
        .replace(['-', '\u{2019}', '\''], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scores one item's predictions into `report`. `text` is the document text the events'
/// spans index (the cleaned text); a location matches by gazetteer name or by the words under
/// its span.
pub fn score_item(report: &mut Report, item: &SuiteItem, predicted: &[Event], text: &str) {
    report.items += 1;
    report.gold_events += item.events.len();
    report.predicted_events += predicted.len();
    let mut used = vec![false; predicted.len()];
    let mut item_counts = Counts::default();
    for g in &item.events {
        let ty = g.plover_type.to_ascii_uppercase();
        let cand = predicted.iter().enumerate().filter(|(i, p)| {
            !used.get(*i).copied().unwrap_or(true) && p.plover_type.as_str() == ty
        });
        let chosen = match &g.trigger {
            Some(tr) => {
                let trn = norm(tr);
                let c: Vec<(usize, &Event)> = cand.collect();
                c.iter()
                    .find(|(_, p)| {
                        norm(&p.trigger_text).contains(&trn) || trn.contains(&norm(&p.trigger_text))
                    })
                    .or(c.first())
                    .map(|(i, _)| *i)
            }
            None => cand.map(|(i, _)| i).next(),
        };
        let entry = report.per_type.entry(ty.clone()).or_default();
        let Some(pi) = chosen else {
            entry.fn_ += 1;
            item_counts.fn_ += 1;
            report.mismatches.push(Mismatch {
                item: item.id.clone(),
                what: format!(
                    "missed {ty} event{}",
                    g.trigger
                        .as_ref()
                        .map(|t| format!(" ({t})"))
                        .unwrap_or_default()
                ),
            });
            continue;
        };
        if let Some(u) = used.get_mut(pi) {
            *u = true;
        }
        entry.tp += 1;
        item_counts.tp += 1;
        let Some(p) = predicted.get(pi) else { continue };
        let mut field = |name: &str,
                         gold: Option<String>,
                         pred: Option<String>,
                         eq: &dyn Fn(&str, &str) -> bool| {
            let Some(gv) = gold else { return };
            let c = report.per_field.entry(name.to_string()).or_default();
            match pred {
                Some(pv) if eq(&gv, &pv) => c.tp += 1,
                Some(pv) => {
                    c.fp += 1;
                    c.fn_ += 1;
                    report.mismatches.push(Mismatch {
                        item: item.id.clone(),
                        what: format!("{ty} {name}: expected {gv:?}, got {pv:?}"),
                    });
                }
                None => {
                    c.fn_ += 1;
                    report.mismatches.push(Mismatch {
                        item: item.id.clone(),
                        what: format!("{ty} {name}: expected {gv:?}, got nothing"),
                    });
                }
            }
        };
        let exact = |a: &str, b: &str| norm(a) == norm(b);
        let loose = |a: &str, b: &str| {
            let (a, b) = (norm(a), norm(b));
            !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
        };
        field("mode", g.mode.clone(), p.plover_mode.clone(), &exact);
        field(
            "modality",
            g.modality.clone(),
            Some(modality_name(p)),
            &exact,
        );
        field(
            "acled",
            g.acled.clone(),
            p.acled.as_ref().map(|a| a.sub_event_type.clone()),
            &exact,
        );
        let surface = p
            .location
            .as_ref()
            .and_then(|l| l.span.slice(text))
            .map(str::to_string);
        let pred_loc = match (&g.location, &p.location, surface) {
            (Some(gl), Some(_), Some(sf)) if loose(gl, &sf) => Some(sf),
            (_, Some(l), _) => Some(l.place.name.clone()),
            _ => None,
        };
        field("location", g.location.clone(), pred_loc, &loose);
        // actor sets
        let mut actors =
            |name: &str, gold: &Option<Codes>, pred: &[frontline_model::EventActor]| {
                let Some(gs) = gold.as_ref().map(Codes::set) else {
                    return;
                };
                let ps: BTreeSet<String> = pred.iter().map(|a| a.actor.code.clone()).collect();
                let c = report.per_field.entry(name.to_string()).or_default();
                let inter = gs.intersection(&ps).count();
                c.tp += inter;
                c.fn_ += gs.len() - inter;
                c.fp += ps.len() - inter;
                if inter != gs.len() || inter != ps.len() {
                    report.mismatches.push(Mismatch {
                        item: item.id.clone(),
                        what: format!("{ty} {name}: expected {gs:?}, got {ps:?}"),
                    });
                }
            };
        actors("source", &g.source, &p.sources);
        actors("target", &g.target, &p.targets);
    }
    for (i, p) in predicted.iter().enumerate() {
        if !used.get(i).copied().unwrap_or(true) {
            report
                .per_type
                .entry(p.plover_type.as_str().to_string())
                .or_default()
                .fp += 1;
            item_counts.fp += 1;
            report.mismatches.push(Mismatch {
                item: item.id.clone(),
                what: format!(
                    "extra {} event ({})",
                    p.plover_type.as_str(),
                    p.trigger_text
                ),
            });
        }
    }
    report.events.add(item_counts);
    for tag in &item.tags {
        report
            .per_tag
            .entry(tag.clone())
            .or_default()
            .add(item_counts);
    }
}

impl Report {
    /// A plain-text table for people.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} items, {} expected events, {} predicted events",
            self.items, self.gold_events, self.predicted_events
        );
        let row = |s: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                s,
                "  {:<22} {:>4} {:>4} {:>4}   {:>5.1} {:>5.1} {:>5.1}",
                name,
                c.tp,
                c.fp,
                c.fn_,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1()
            );
        };
        let head = |s: &mut String, title: &str| {
            let _ = writeln!(s, "\n{title}");
            let _ = writeln!(
                s,
                "  {:<22} {:>4} {:>4} {:>4}   {:>5} {:>5} {:>5}",
                "", "TP", "FP", "FN", "P%", "R%", "F1%"
            );
        };
        head(&mut s, "Events by PLOVER type");
        for (k, c) in &self.per_type {
            row(&mut s, k, c);
        }
        row(&mut s, "ALL", &self.events);
        head(&mut s, "Fields (over aligned events)");
        for (k, c) in &self.per_field {
            row(&mut s, k, c);
        }
        if !self.per_tag.is_empty() {
            head(&mut s, "Events by tag");
            for (k, c) in &self.per_tag {
                row(&mut s, k, c);
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use frontline_model::{EventActor, Modality, PloverType, Span};

    fn ev(t: PloverType, trig: &str, src: &str) -> Event {
        Event {
            id: "x:0".into(),
            plover_type: t,
            plover_mode: Some("seize".into()),
            acled: None,
            cameo_root: None,
            trigger: Span::new(0, 1),
            trigger_text: trig.into(),
            sentence: 0,
            sources: vec![EventActor {
                actor: frontline_model::ActorRef {
                    code: src.into(),
                    name: src.into(),
                    country: None,
                    actor_type: frontline_model::ActorType::Military,
                    entity: None,
                    affiliations: vec![],
                },
                span: Span::new(0, 1),
                mention: None,
            }],
            targets: vec![],
            location: None,
            date: None,
            quantities: vec![],
            territory: None,
            attribution: vec![],
            modality: Modality::Asserted,
            confidence: 0.5,
            evidence: vec![],
            rules: vec![],
            background: false,
        }
    }

    fn item(json: &str) -> SuiteItem {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn counts_and_alignment() {
        let it = item(
            r#"{"id":"a","text":"t","events":[{"type":"COERCE","source":"IRQMIL","mode":"seize","modality":"asserted"},{"type":"ASSAULT"}]}"#,
        );
        let mut r = Report::default();
        score_item(
            &mut r,
            &it,
            &[
                ev(PloverType::Coerce, "captured", "SYRMIL"),
                ev(PloverType::Consult, "met", "X"),
            ],
            "t",
        );
        assert_eq!(
            r.events,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            r.per_field["source"],
            Counts {
                tp: 0,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(r.per_field["mode"].tp, 1);
        assert_eq!(r.per_field["modality"].tp, 1);
        assert!((r.events.f1() - 0.5).abs() < 1e-9);
        assert!(r.to_table().contains("COERCE"));
    }

    #[test]
    fn empty_items_score_false_positives() {
        let it = item(r#"{"id":"b","text":"t","events":[]}"#);
        let mut r = Report::default();
        score_item(&mut r, &it, &[ev(PloverType::Assault, "hit", "X")], "t");
        assert_eq!(r.events.fp, 1);
        assert_eq!(r.events.precision(), 0.0);
    }

    #[test]
    fn loading_reports_bad_lines() {
        let dir = std::env::temp_dir().join(format!("fl-suite-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("a.jsonl"),
            "{\"id\":\"x\",\"text\":\"t\",\"events\":[{\"type\":\"NOPE\"}]}\n",
        )
        .unwrap();
        let e = load_suite(&dir).unwrap_err().to_string();
        assert!(e.contains("a.jsonl:1"), "{e}");
        std::fs::write(dir.join("a.jsonl"), "// comment\n{\"id\":\"x\",\"text\":\"t\",\"published\":\"2020-01-02\",\"events\":[]}\n").unwrap();
        assert_eq!(load_suite(&dir).unwrap().len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
