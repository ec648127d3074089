//! Geoparsing scorer for the EUPEG line format.
//!
//! One line per document; entries separated by `||`, fields by `,,`:
//! `name,,surface,,lat,,lon,,start,,end[,,extra]`, with start/end as Unicode code-point
//! offsets (end exclusive). Scoring follows the protocol of the shared geoparsing gold
//! standards:
//! - **Finding**: a prediction matches a gold toponym when their spans overlap; each prediction
//!   matches at most one gold toponym (the first unused overlapping one, in file order).
//! - **Placing** over matched pairs: haversine error (R = 6371.0088 km); a prediction without
//!   coordinates counts as 20,039 km; acc@161 is the share within 161 km.
//! - **End to end**: e2e@161 = gold toponyms found *and* placed within 161 km / all gold.
//! - **AUC**: area under the sorted ln(1 + error) curve (trapezoid rule) divided by
//!   (n − 1)·ln(20039); lower is better.

use std::fmt::Write as _;

/// Earth radius used by the protocol, km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Error assigned to a matched prediction without coordinates, km.
pub const MAX_ERROR_KM: f64 = 20039.0;
/// The accuracy threshold, km.
pub const ACC_KM: f64 = 161.0;

/// Errors reading a gold or prediction file.
#[derive(Debug, thiserror::Error)]
pub enum GeoEvalError {
    /// An entry could not be parsed.
    #[error("line {line}, entry {entry}: {problem}")]
    Entry {
        /// 1-based line number.
        line: usize,
        /// 1-based entry number within the line.
        entry: usize,
        /// What is wrong.
        problem: String,
    },
}

/// One toponym in the line format.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoEntry {
    /// Gazetteer name.
    pub name: String,
    /// Surface form in the text.
    pub surface: String,
    /// Latitude, when given.
    pub lat: Option<f64>,
    /// Longitude, when given.
    pub lon: Option<f64>,
    /// Start, in code points (some published files hold negative offsets; they are kept and
    /// simply overlap nothing real).
    pub start: i64,
    /// End (exclusive), in code points.
    pub end: i64,
}

fn clean_field(s: &str) -> String {
    s.replace(",,", ", ")
        .replace("||", "| ")
        .replace(['\n', '\r'], " ")
}

impl GeoEntry {
    /// The entry in the line format.
    pub fn to_field(&self) -> String {
        let coord = |v: Option<f64>| v.map(|x| format!("{x:.5}")).unwrap_or_default();
        format!(
            "{},,{},,{},,{},,{},,{}",
            clean_field(&self.name),
            clean_field(&self.surface),
            coord(self.lat),
            coord(self.lon),
            self.start,
            self.end
        )
    }
}

/// Parses one line (one document). `line_no` is used in errors.
pub fn parse_line(line: &str, line_no: usize) -> Result<Vec<GeoEntry>, GeoEvalError> {
    let mut out = Vec::new();
    for (k, e) in line.trim_end_matches(['\n', '\r']).split("||").enumerate() {
        if e.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = e.split(",,").collect();
        let err = |problem: String| GeoEvalError::Entry {
            line: line_no,
            entry: k + 1,
            problem,
        };
        if f.len() < 6 {
            return Err(err(format!(
                "expected at least 6 `,,`-separated fields, found {}",
                f.len()
            )));
        }
        let num = |s: &str, what: &str| -> Result<i64, GeoEvalError> {
            s.trim()
                .parse()
                .map_err(|_| err(format!("{what} is not an offset: {s:?}")))
        };
        let coord = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        let start = num(f[4], "start")?;
        let end = num(f[5], "end")?;
        out.push(GeoEntry {
            name: f[0].to_string(),
            surface: f[1].to_string(),
            lat: coord(f[2]),
            lon: coord(f[3]),
            start,
            end: end.max(start),
        });
    }
    Ok(out)
}

/// Parses a whole file: line i holds document i.
pub fn parse_file(text: &str) -> Result<Vec<Vec<GeoEntry>>, GeoEvalError> {
    text.lines()
        .enumerate()
        .map(|(i, l)| parse_line(l, i + 1))
        .collect()
}

/// Formats one document's entries as a line (without the newline).
pub fn format_line(entries: &[GeoEntry]) -> String {
    let mut s = String::new();
    for e in entries {
        let _ = write!(s, "{}||", e.to_field());
    }
    s
}

/// Great-circle distance in km (haversine, R = 6371.0088 km).
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Scores of one system on one corpus.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeoScores {
    /// Gold toponyms.
    pub gold: usize,
    /// Predicted toponyms.
    pub predicted: usize,
    /// Matched pairs.
    pub matched: usize,
    /// Finding precision.
    pub precision: f64,
    /// Finding recall.
    pub recall: f64,
    /// Finding F1.
    pub f1: f64,
    /// Share of matched pairs within 161 km.
    pub acc161: f64,
    /// Share of all gold toponyms found and placed within 161 km (the headline figure).
    pub e2e161: f64,
    /// Normalised area under the sorted ln(1 + error) curve (lower is better).
    pub auc: f64,
    /// Mean error over matched pairs, km.
    pub mean_error_km: f64,
    /// Median error over matched pairs, km.
    pub median_error_km: f64,
}

/// Errors (km) of matched pairs and the counts, for one document.
pub fn match_document(gold: &[GeoEntry], pred: &[GeoEntry]) -> Vec<f64> {
    let mut used = vec![false; gold.len()];
    let mut errors = Vec::new();
    for p in pred {
        let hit = gold
            .iter()
            .enumerate()
            .find(|(i, g)| !used[*i] && p.start < g.end && g.start < p.end);
        if let Some((i, g)) = hit {
            used[i] = true;
            let err = match (p.lat, p.lon, g.lat, g.lon) {
                (Some(a), Some(b), Some(c), Some(d)) => haversine_km(a, b, c, d),
                _ => MAX_ERROR_KM,
            };
            errors.push(err);
        }
    }
    errors
}

/// The normalised AUC of a set of errors.
pub fn auc(errors: &[f64]) -> f64 {
    if errors.is_empty() {
        return 0.0;
    }
    let mut v: Vec<f64> = errors.iter().map(|e| (1.0 + e).ln()).collect();
    v.sort_by(f64::total_cmp);
    if v.len() == 1 {
        return v[0] / MAX_ERROR_KM.ln();
    }
    let area: f64 = v.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum();
    area / ((v.len() - 1) as f64 * MAX_ERROR_KM.ln())
}

/// Scores predictions against gold, document by document. Documents missing from `pred` count
/// as having no predictions.
pub fn score(gold: &[Vec<GeoEntry>], pred: &[Vec<GeoEntry>]) -> GeoScores {
    let empty = Vec::new();
    let mut errors = Vec::new();
    let n_gold: usize = gold.iter().map(Vec::len).sum();
    let n_pred: usize = pred.iter().take(gold.len()).map(Vec::len).sum();
    for (i, g) in gold.iter().enumerate() {
        errors.extend(match_document(g, pred.get(i).unwrap_or(&empty)));
    }
    let matched = errors.len();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(matched, n_pred);
    let recall = ratio(matched, n_gold);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let within = errors.iter().filter(|e| **e <= ACC_KM).count();
    let mut sorted = errors.clone();
    sorted.sort_by(f64::total_cmp);
    GeoScores {
        gold: n_gold,
        predicted: n_pred,
        matched,
        precision,
        recall,
        f1,
        acc161: ratio(within, matched),
        e2e161: ratio(within, n_gold),
        auc: auc(&errors),
        mean_error_km: if matched == 0 {
            0.0
        } else {
            errors.iter().sum::<f64>() / matched as f64
        },
        median_error_km: sorted.get(matched / 2).copied().unwrap_or(0.0),
    }
}

/// Converts a byte offset into `text` to a code-point offset.
pub fn char_offset(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    text.char_indices().take_while(|(i, _)| *i < byte).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(start: i64, end: i64, lat: Option<f64>, lon: Option<f64>) -> GeoEntry {
        GeoEntry {
            name: "x".into(),
            surface: "x".into(),
            lat,
            lon,
            start,
            end,
        }
    }

    #[test]
    fn parses_lines_with_trailing_separators_and_extras() {
        let v = parse_line("Alexandria, LA,,Alexandria,,31.31,,-92.44,,0,,10,,265.2||Rapides,,Rapides,,31.1,,-92.4,,20,,27||", 1).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].name, "Alexandria, LA");
        assert_eq!((v[1].start, v[1].end), (20, 27));
        assert!(parse_line("", 1).unwrap().is_empty());
        assert_eq!(
            parse_line("a,,a,,1,,2,,-139,,-130||", 1).unwrap()[0].start,
            -139
        );
        let err = parse_line("a,,b,,1,,2,,x,,3", 7).unwrap_err().to_string();
        assert!(err.contains("line 7"), "{err}");
        let v = parse_line("Tanf,,Tanf,,,,,,5,,9||", 1).unwrap();
        assert_eq!(v[0].lat, None);
    }

    #[test]
    fn format_round_trips() {
        let v = vec![e(0, 4, Some(33.3), Some(44.4)), e(10, 14, None, None)];
        let back = parse_line(&format_line(&v), 1).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].lat, None);
        assert!((back[0].lat.unwrap() - 33.3).abs() < 1e-9);
    }

    #[test]
    fn scores_a_tiny_corpus() {
        // Doc 0: two gold; one prediction overlaps the first and is 0 km off; one spurious.
        // Doc 1: one gold; one overlapping prediction without coordinates.
        let gold = vec![
            vec![
                e(0, 6, Some(10.0), Some(10.0)),
                e(20, 25, Some(0.0), Some(0.0)),
            ],
            vec![e(3, 8, Some(50.0), Some(5.0))],
        ];
        let pred = vec![
            vec![
                e(2, 4, Some(10.0), Some(10.0)),
                e(40, 44, Some(1.0), Some(1.0)),
            ],
            vec![e(0, 4, None, None)],
        ];
        let s = score(&gold, &pred);
        assert_eq!((s.gold, s.predicted, s.matched), (3, 3, 2));
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.recall - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.acc161 - 0.5).abs() < 1e-9);
        assert!((s.e2e161 - 1.0 / 3.0).abs() < 1e-9);
        // AUC of errors [0, 20039]: trapezoid of [0, ln(20040)] over 1 * ln(20039).
        let want = (0.0 + 20040f64.ln()) / 2.0 / 20039f64.ln();
        assert!((s.auc - want).abs() < 1e-9, "{}", s.auc);
    }

    #[test]
    fn each_prediction_matches_one_gold_and_each_gold_once() {
        let gold = vec![vec![
            e(0, 10, Some(0.0), Some(0.0)),
            e(5, 15, Some(0.0), Some(0.0)),
        ]];
        // The first prediction overlaps both and takes the first; the second takes the second;
        // the third overlaps only used ones.
        let pred = vec![vec![
            e(6, 8, Some(0.0), Some(0.0)),
            e(7, 9, Some(0.0), Some(0.0)),
            e(8, 9, Some(0.0), Some(0.0)),
        ]];
        let s = score(&gold, &pred);
        assert_eq!(s.matched, 2);
        assert!((s.e2e161 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn haversine_and_offsets() {
        // Baghdad to Damascus is about 760 km.
        let d = haversine_km(33.34, 44.40, 33.51, 36.29);
        assert!((d - 754.0).abs() < 15.0, "{d}");
        assert_eq!(char_offset("Ünï Baghdad", "Ünï ".len()), 4);
        assert_eq!(char_offset("abc", 99), 3);
    }
}
