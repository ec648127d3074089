//! Fusion across documents, scored on the gold's multi-document clusters: completeness (a
//! cluster's reports in one fused record), purity (a fused record holds one cluster) and the
//! independent-source count.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// One report of a gold event: the document, the gold event's cluster key, and the fused
/// record Frontline put the matching emitted event in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterReport {
    /// Gold document id.
    pub doc: String,
    /// Cluster id, or a key of its own for a gold event without a cluster.
    pub cluster: String,
    /// Fused record id (`None` when the event was not fused).
    pub fused: Option<i64>,
}

/// The verdict on one multi-document cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterResult {
    /// Cluster id.
    pub cluster: String,
    /// Documents that report it (gold).
    pub documents: usize,
    /// Documents with at least one matched report.
    pub documents_found: usize,
    /// Distinct fused records its reports went to.
    pub records: usize,
    /// All documents found and all reports in one record.
    pub complete: bool,
    /// Independent sources expected (distinct outlets of its documents).
    pub sources_expected: usize,
    /// The record's independent-source count, when complete.
    pub sources_found: Option<usize>,
    /// Whether the record's toll range holds every report's figure (`None` when no report
    /// gives one, or the cluster is not complete).
    pub toll_range_holds: Option<bool>,
}

/// What the gold says of one cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterGold {
    /// Its documents (reporting it as news) and their outlets.
    pub docs: BTreeMap<String, Option<String>>,
    /// Each report's death toll (low, high).
    pub tolls: Vec<(u64, u64)>,
    /// Independent stories, when the gold says (else distinct outlets are expected).
    pub stories: Option<usize>,
}

/// What Frontline's fused record says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordFacts {
    /// Independent sources.
    pub sources: usize,
    /// Lowest and highest death toll.
    pub toll: Option<(u64, u64)>,
}

/// Fusion figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FusionScores {
    /// Each multi-document cluster.
    pub clusters: Vec<ClusterResult>,
    /// Fused records holding reports of a multi-document cluster.
    pub records: usize,
    /// Of those, records holding reports of that one cluster only.
    pub pure_records: usize,
}

impl FusionScores {
    /// Share of clusters whose reports are in one record.
    pub fn completeness(&self) -> Option<f64> {
        share(
            self.clusters.iter().filter(|c| c.complete).count(),
            self.clusters.len(),
        )
    }

    /// Share of complete clusters with tolls whose record's range holds every report's toll.
    pub fn toll_ranges_hold(&self) -> Option<f64> {
        let judged: Vec<bool> = self
            .clusters
            .iter()
            .filter_map(|c| c.toll_range_holds)
            .collect();
        share(judged.iter().filter(|b| **b).count(), judged.len())
    }

    /// Share of records that hold one cluster.
    pub fn purity(&self) -> Option<f64> {
        share(self.pure_records, self.records)
    }

    /// Share of clusters whose record counts the right number of independent sources
    /// (an incomplete cluster counts as wrong).
    pub fn sources_right(&self) -> Option<f64> {
        share(
            self.clusters
                .iter()
                .filter(|c| c.sources_found == Some(c.sources_expected))
                .count(),
            self.clusters.len(),
        )
    }
}

fn share(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Scores fusion. `clusters` holds what the gold says of each cluster (whether or not
/// Frontline found anything); `reports` are the matched emitted events; `record` gives a
/// fused record's facts.
pub fn score_fusion(
    clusters: &BTreeMap<String, ClusterGold>,
    reports: &[ClusterReport],
    mut record: impl FnMut(i64) -> Option<RecordFacts>,
) -> FusionScores {
    let mut out = FusionScores::default();
    let multi: BTreeSet<&String> = clusters
        .iter()
        .filter(|(_, g)| g.docs.len() >= 2)
        .map(|(c, _)| c)
        .collect();
    for c in &multi {
        let gold = &clusters[*c];
        let docs = &gold.docs;
        let mine: Vec<&ClusterReport> = reports.iter().filter(|r| &r.cluster == *c).collect();
        let found: BTreeSet<&str> = mine.iter().map(|r| r.doc.as_str()).collect();
        let records: BTreeSet<Option<i64>> = mine.iter().map(|r| r.fused).collect();
        let complete =
            found.len() == docs.len() && records.len() == 1 && records.iter().all(Option::is_some);
        let outlets: BTreeSet<&str> = docs
            .iter()
            .map(|(d, o)| o.as_deref().unwrap_or(d.as_str()))
            .collect();
        let facts = if complete {
            records.iter().flatten().next().and_then(|id| record(*id))
        } else {
            None
        };
        let toll_range_holds = match facts {
            Some(f) if !gold.tolls.is_empty() => Some(
                f.toll
                    .is_some_and(|(lo, hi)| gold.tolls.iter().all(|(l, h)| lo <= *l && *h <= hi)),
            ),
            _ => None,
        };
        out.clusters.push(ClusterResult {
            cluster: (*c).clone(),
            documents: docs.len(),
            documents_found: found.len(),
            records: records.len(),
            complete,
            sources_expected: gold.stories.unwrap_or(outlets.len()),
            sources_found: facts.map(|f| f.sources),
            toll_range_holds,
        });
    }
    let mut by_record: BTreeMap<i64, BTreeSet<&str>> = BTreeMap::new();
    for r in reports {
        if let Some(id) = r.fused {
            by_record.entry(id).or_default().insert(r.cluster.as_str());
        }
    }
    for clusters in by_record.values() {
        if clusters.iter().any(|c| multi.contains(&c.to_string())) {
            out.records += 1;
            if clusters.len() == 1 {
                out.pure_records += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rep(doc: &str, cluster: &str, fused: Option<i64>) -> ClusterReport {
        ClusterReport {
            doc: doc.into(),
            cluster: cluster.into(),
            fused,
        }
    }

    fn docs(list: &[(&str, &str, &str)]) -> BTreeMap<String, ClusterGold> {
        let mut m: BTreeMap<String, ClusterGold> = BTreeMap::new();
        for (c, d, o) in list {
            m.entry((*c).into())
                .or_default()
                .docs
                .insert((*d).into(), Some((*o).into()));
        }
        m
    }

    fn facts(sources: usize) -> Option<RecordFacts> {
        Some(RecordFacts {
            sources,
            toll: Some((5, 6)),
        })
    }

    #[test]
    fn a_cluster_in_one_record_is_complete_and_pure() {
        let cd = docs(&[("c1", "a", "AP"), ("c1", "b", "BBC"), ("s", "x", "AP")]);
        let reports = [rep("a", "c1", Some(7)), rep("b", "c1", Some(7))];
        let f = score_fusion(&cd, &reports, |_| facts(2));
        assert_eq!(f.completeness(), Some(1.0));
        assert_eq!(f.purity(), Some(1.0));
        assert_eq!(f.sources_right(), Some(1.0));
        assert_eq!(f.toll_ranges_hold(), None);
    }

    #[test]
    fn toll_range_must_hold_every_report() {
        let mut cd = docs(&[("c1", "a", "AP"), ("c1", "b", "BBC")]);
        let reports = [rep("a", "c1", Some(7)), rep("b", "c1", Some(7))];
        cd.get_mut("c1").unwrap().tolls = vec![(5, 5), (6, 6)];
        assert_eq!(
            score_fusion(&cd, &reports, |_| facts(2)).toll_ranges_hold(),
            Some(1.0)
        );
        cd.get_mut("c1").unwrap().tolls.push((9, 9));
        assert_eq!(
            score_fusion(&cd, &reports, |_| facts(2)).toll_ranges_hold(),
            Some(0.0)
        );
    }

    #[test]
    fn split_missing_and_mixed_records_are_counted() {
        let cd = docs(&[
            ("c1", "a", "AP"),
            ("c1", "b", "AP"),
            ("c2", "c", "X"),
            ("c2", "d", "Y"),
        ]);
        // c1 split over two records; c2 found in one document only, and its record also
        // holds one of c1's reports
        let reports = [
            rep("a", "c1", Some(1)),
            rep("b", "c1", Some(2)),
            rep("c", "c2", Some(2)),
        ];
        let f = score_fusion(&cd, &reports, |_| facts(1));
        assert_eq!(f.completeness(), Some(0.0));
        assert_eq!(f.records, 2);
        assert_eq!(f.pure_records, 1);
        assert_eq!(f.clusters[0].records, 2);
        assert_eq!(f.clusters[1].documents_found, 1);
        // one outlet for c1: expected 1 source, but it is incomplete, so not right
        assert_eq!(f.clusters[0].sources_expected, 1);
        assert_eq!(f.sources_right(), Some(0.0));
    }
}
