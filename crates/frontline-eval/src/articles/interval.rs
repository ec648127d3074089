//! How far the event figures could move by chance: a percentile bootstrap over documents.
//!
//! The gold halves are small (65 and 83 required events), so a difference of a few points
//! between two runs, or between the dev and test halves, can be noise. Resampling whole
//! documents with replacement (documents, not events: events of one document are not
//! independent) and recomputing precision, recall and F1 gives a 95 % interval for each.
//! The resampling uses a fixed seed (xorshift64), so the same run prints the same interval.

use serde::Serialize;

/// One document's detection counts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct DocCounts {
    /// Gold events matched.
    pub matched: usize,
    /// Emitted events that matched nothing or duplicated a match.
    pub wrong: usize,
    /// Gold events required (not background).
    pub gold: usize,
}

/// A 95 % interval, in shares (0..1).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Interval {
    /// 2.5th percentile.
    pub low: f64,
    /// 97.5th percentile.
    pub high: f64,
}

/// 95 % intervals of precision, recall and F1.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Intervals {
    /// Event precision.
    pub precision: Interval,
    /// Event recall.
    pub recall: Interval,
    /// Event F1.
    pub f1: Interval,
    /// Resamples drawn.
    pub resamples: usize,
}

/// Resamples drawn by [`bootstrap`] in reports.
pub const RESAMPLES: usize = 1000;

/// The bootstrap intervals over `docs` (`None` with no document).
pub fn bootstrap(docs: &[DocCounts], resamples: usize) -> Option<Intervals> {
    if docs.is_empty() || resamples == 0 {
        return None;
    }
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let (mut p, mut r, mut f) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..resamples {
        let mut sum = DocCounts::default();
        for _ in 0..docs.len() {
            let d = docs[rng.below(docs.len())];
            sum.matched += d.matched;
            sum.wrong += d.wrong;
            sum.gold += d.gold;
        }
        let (pi, ri) = (
            share(sum.matched, sum.matched + sum.wrong),
            share(sum.matched, sum.gold),
        );
        p.push(pi);
        r.push(ri);
        f.push(if pi + ri > 0.0 {
            2.0 * pi * ri / (pi + ri)
        } else {
            0.0
        });
    }
    Some(Intervals {
        precision: percentiles(&mut p),
        recall: percentiles(&mut r),
        f1: percentiles(&mut f),
        resamples,
    })
}

fn share(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn percentiles(v: &mut [f64]) -> Interval {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((q * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)];
    Interval {
        low: at(0.025),
        high: at(0.975),
    }
}

/// xorshift64: small, seeded, the same sequence everywhere.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(matched: usize, wrong: usize, gold: usize) -> DocCounts {
        DocCounts {
            matched,
            wrong,
            gold,
        }
    }

    #[test]
    fn identical_documents_give_a_point_interval() {
        let docs = vec![doc(1, 1, 2); 20];
        let i = bootstrap(&docs, 200).unwrap();
        assert_eq!(
            i.precision,
            Interval {
                low: 0.5,
                high: 0.5
            }
        );
        assert_eq!(
            i.recall,
            Interval {
                low: 0.5,
                high: 0.5
            }
        );
    }

    #[test]
    fn the_interval_holds_the_figure_and_narrows_with_more_documents() {
        let mixed = |n: usize| -> Vec<DocCounts> {
            (0..n)
                .map(|k| {
                    if k % 3 == 0 {
                        doc(0, 1, 1)
                    } else {
                        doc(1, 0, 1)
                    }
                })
                .collect()
        };
        let small = bootstrap(&mixed(30), RESAMPLES).unwrap();
        let large = bootstrap(&mixed(300), RESAMPLES).unwrap();
        let point = 20.0 / 30.0;
        assert!(small.recall.low < point && point < small.recall.high);
        assert!(large.recall.high - large.recall.low < small.recall.high - small.recall.low);
    }

    #[test]
    fn the_same_input_gives_the_same_interval_and_nothing_gives_none() {
        let docs: Vec<DocCounts> = (0..40).map(|k| doc(k % 2, k % 3, 1)).collect();
        assert_eq!(bootstrap(&docs, 300), bootstrap(&docs, 300));
        assert_eq!(bootstrap(&[], 300), None);
    }
}
