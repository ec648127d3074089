//! Whole-article scoring on the real-document gold (docs/evaluation.md): events found,
//! within-document duplicates, fields of matched events, must-not spans, and fusion across
//! documents after all of them are stored.

pub mod fusion;
pub mod gold;
pub mod interval;
pub mod score;

use std::collections::BTreeMap;

use frontline_extract::pipeline::Pipeline;
use frontline_model::{DocumentMeta, Extraction};
use frontline_store::Store;
use serde::Serialize;

pub use fusion::{ClusterGold, ClusterReport, FusionScores, RecordFacts, score_fusion};
pub use gold::{GoldDocument, GoldError, Split, TextSource, load_gold};
pub use score::{ArticleScores, Judged, Judgement, SetAside, judge_document, set_aside};

/// Errors of a whole run.
#[derive(Debug, thiserror::Error)]
pub enum ArticlesError {
    /// The gold or a text could not be read.
    #[error(transparent)]
    Gold(#[from] GoldError),
    /// The temporary store failed.
    #[error("storing the extractions: {0}")]
    Store(#[from] frontline_store::StoreError),
}

/// The result of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Event figures.
    pub events: ArticleScores,
    /// Fusion figures.
    pub fusion: FusionScores,
    /// 95 % bootstrap intervals of the event figures over documents.
    pub event_intervals: Option<interval::Intervals>,
}

/// One document ready to score: its gold, raw text and extraction.
struct Scored {
    gold: GoldDocument,
    extraction: Extraction,
    judged: Vec<Judged>,
}

/// Runs the pipeline on every gold document (text from `texts`, publication date and outlet
/// from the gold), scores each, stores all extractions in `store` and scores fusion on the
/// multi-document clusters (`stories`: independent stories per cluster where the gold says,
/// [`load_cluster_stories`]). `progress` is called after each document.
pub fn evaluate(
    docs: Vec<GoldDocument>,
    stories: &BTreeMap<String, usize>,
    texts: &mut TextSource,
    pipeline: &Pipeline,
    store: &Store,
    mut progress: impl FnMut(),
) -> Result<Evaluation, ArticlesError> {
    let mut scores = ArticleScores::default();
    let mut scored = Vec::with_capacity(docs.len());
    for gold in docs {
        let raw = texts.text(&gold.doc, Some(&gold.text_sha256))?;
        let meta = DocumentMeta {
            published_at: gold.published,
            outlet: gold.outlet.clone(),
            title: None,
            url: None,
            ..DocumentMeta::default()
        };
        let (extraction, near) = pipeline.explain(meta, &raw);
        let cleaned = frontline_text::clean(&raw);
        let judged = judge_document(&gold, &extraction.events, |s| cleaned.raw_span(s));
        let aside = score::set_aside(
            &extraction.document.text,
            &extraction.events,
            near.iter()
                .map(|n| (n.rule.as_str(), n.reason.as_str(), n.span)),
            |s| cleaned.raw_span(s),
        );
        scores.add_document_explained(&gold, &extraction.events, &judged, &aside);
        scored.push(Scored {
            gold,
            extraction,
            judged,
        });
        progress();
    }
    let fusion = fuse_and_score(&scored, store, stories)?;
    Ok(Evaluation {
        event_intervals: scores.intervals(),
        events: scores,
        fusion,
    })
}

/// Stores the extractions, by default in gold order in one batch. For measuring whether fusion
/// depends on arrival order: `FRONTLINE_EVAL_SHUFFLE=SEED` stores them in a pseudo-random order
/// of that seed, and `FRONTLINE_EVAL_BATCH=N` in batches of `N` documents.
fn put_in_order(store: &Store, mut batch: Vec<Extraction>) -> Result<(), ArticlesError> {
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
    };
    if let Some(seed) = env("FRONTLINE_EVAL_SHUFFLE") {
        // xorshift64: the same order for the same seed, everywhere
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).max(1);
        for i in (1..batch.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            batch.swap(i, (state % (i as u64 + 1)) as usize);
        }
    }
    let size = env("FRONTLINE_EVAL_BATCH").map_or(batch.len().max(1), |n| n.max(1) as usize);
    for chunk in batch.chunks(size) {
        store.put_extractions(chunk)?;
    }
    Ok(())
}

fn fuse_and_score(
    scored: &[Scored],
    store: &Store,
    stories: &BTreeMap<String, usize>,
) -> Result<FusionScores, ArticlesError> {
    let batch: Vec<Extraction> = scored.iter().map(|s| s.extraction.clone()).collect();
    put_in_order(store, batch)?;
    let mut clusters: BTreeMap<String, ClusterGold> = BTreeMap::new();
    let mut reports = Vec::new();
    for s in scored {
        // a document reports a cluster's event when it tells it as news (a background
        // mention is not required to fuse, and must not fuse with a current event)
        for g in s.gold.events.iter().filter(|g| !g.background) {
            if let Some(c) = &g.cluster {
                let entry = clusters.entry(c.clone()).or_default();
                entry.docs.insert(s.gold.doc.clone(), s.gold.outlet.clone());
                entry.stories = stories.get(c).copied();
                if let Some(f) = g.fatalities {
                    entry.tolls.push((f.low, f.high));
                }
            }
        }
        let Some(record) = store.document(&s.extraction.document.id)? else {
            continue;
        };
        let fused_of: BTreeMap<usize, i64> = record
            .events
            .iter()
            .filter_map(|e| {
                let index = e.event_id.rsplit(':').next()?.parse().ok()?;
                Some((index, e.fused_id?))
            })
            .collect();
        for j in &s.judged {
            let (Judgement::Match { gold: k } | Judgement::Duplicate { gold: k }) = j.judgement
            else {
                continue;
            };
            let g = &s.gold.events[k];
            reports.push(ClusterReport {
                doc: s.gold.doc.clone(),
                cluster: g
                    .cluster
                    .clone()
                    .unwrap_or_else(|| format!("{}#{}", s.gold.doc, g.id)),
                fused: fused_of.get(&j.event).copied(),
            });
        }
    }
    Ok(score_fusion(&clusters, &reports, |id| {
        let e = store.event(id).ok().flatten()?.event;
        Some(RecordFacts {
            sources: e.n_sources,
            toll: e.fatalities.map(|lo| (lo, e.fatalities_max.unwrap_or(lo))),
        })
    }))
}

/// Reads the independent-story counts of `clusters.tsv` in `root` (a column named
/// `independent_stories`); empty when the file or the column is absent.
pub fn load_cluster_stories(root: &std::path::Path) -> BTreeMap<String, usize> {
    let Ok(text) = std::fs::read_to_string(root.join("clusters.tsv")) else {
        return BTreeMap::new();
    };
    let mut lines = text.lines();
    let Some(col) = lines.next().and_then(|h| {
        h.split('\t')
            .position(|c| c.trim() == "independent_stories")
    }) else {
        return BTreeMap::new();
    };
    lines
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            Some((
                cells.first()?.trim().to_string(),
                cells.get(col)?.trim().parse().ok()?,
            ))
        })
        .collect()
}
