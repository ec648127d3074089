//! `frontline eval geo`: score the geoparser on a corpus in the EUPEG line format, beside the
//! published systems' outputs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use frontline_eval::geo::{self, GeoEntry, GeoScores};
use frontline_text::Span;
use rayon::prelude::*;

use crate::globals::Globals;

/// Arguments.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Layout: DIR/<i> holds the text of document i (i = 0..N-1); line i of the gold file \
holds its toponyms as name,,surface,,lat,,lon,,start,,end entries separated by || (offsets in \
Unicode code points). Anchor files are named <Corpus>_<System>.txt, where <Corpus> is the \
basename of --corpus.\n\nExample:\n  frontline eval geo --corpus eval/geo/corpora/LGL \
--gold eval/geo/gold/LGL_gold.txt --anchors eval/geo/anchors"
)]
pub struct Args {
    /// Corpus directory: one plain-text file per document, named 0, 1, 2, ...
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,
    /// Gold file: line i holds the toponyms of document i.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Directory of other systems' outputs named <Corpus>_<System>.txt, scored alongside.
    #[arg(long, value_name = "DIR")]
    pub anchors: Option<PathBuf>,
    /// Write Frontline's output in the same line format to this file.
    #[arg(long, value_name = "OUT")]
    pub write_eupeg: Option<PathBuf>,
}

fn read_doc(dir: &Path, i: usize) -> anyhow::Result<String> {
    let p = dir.join(i.to_string());
    let bytes =
        std::fs::read(&p).with_context(|| format!("cannot read document {}", p.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Runs the suite.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let gold_text = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("cannot read {}", args.gold.display()))?;
    let gold = geo::parse_file(&gold_text)
        .with_context(|| format!("{}: malformed gold file", args.gold.display()))?;
    let corpus_name = args
        .corpus
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .context("--corpus has no directory name")?;
    let geocoder = crate::util::geocoder(globals)?;
    let n = gold.len();
    let t0 = Instant::now();
    let bar = if globals.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(n as u64)
    };
    let results: Vec<anyhow::Result<Vec<GeoEntry>>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let text = read_doc(&args.corpus, i)?;
            let sentences = frontline_text::sentences(&text, Span::new(0, text.len()));
            let tops = geocoder.geoparse(&text, &sentences, &[]);
            bar.inc(1);
            Ok(tops
                .into_iter()
                .map(|t| GeoEntry {
                    name: t.place.name.clone(),
                    surface: text.get(t.span.range()).unwrap_or("").to_string(),
                    lat: t.place.lat,
                    lon: t.place.lon,
                    start: geo::char_offset(&text, t.span.start) as i64,
                    end: geo::char_offset(&text, t.span.end) as i64,
                })
                .collect())
        })
        .collect();
    bar.finish_and_clear();
    let elapsed = t0.elapsed();
    let mut preds = Vec::with_capacity(n);
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(v) => preds.push(v),
            Err(e) => {
                eprintln!("document {i}: {e:#}; scored as having no toponyms");
                preds.push(Vec::new());
            }
        }
    }
    if let Some(out) = &args.write_eupeg {
        let body: String = preds.iter().map(|p| geo::format_line(p) + "\n").collect();
        std::fs::write(out, body).with_context(|| format!("cannot write {}", out.display()))?;
    }
    let mut rows: Vec<(String, GeoScores)> =
        vec![("Frontline".to_string(), geo::score(&gold, &preds))];
    if let Some(dir) = &args.anchors {
        let prefix = format!("{corpus_name}_");
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read the anchors directory {}", dir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".txt"))
            })
            .collect();
        files.sort();
        for f in files {
            let system = f
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.strip_prefix(&prefix))
                .unwrap_or("?")
                .to_string();
            let text = match std::fs::read(&f) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => {
                    eprintln!("{}: {e}; skipped", f.display());
                    continue;
                }
            };
            match geo::parse_file(&text) {
                Ok(p) => rows.push((system, geo::score(&gold, &p))),
                Err(e) => eprintln!("{}: {e}; skipped", f.display()),
            }
        }
    }
    outln!(
        "{corpus_name}: {n} documents, {} gold toponyms; Frontline ran in {:.2}s ({:.0} docs/s on {} threads)",
        rows[0].1.gold,
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64().max(1e-9),
        rayon::current_num_threads()
    )?;
    outln!(
        "| {:<14} | {:>6} | {:>6} | {:>6} | {:>7} | {:>7} | {:>6} | {:>9} |",
        "system",
        "P",
        "R",
        "F1",
        "acc@161",
        "e2e@161",
        "AUC",
        "median km"
    )?;
    outln!(
        "|{:-<16}|{:->8}|{:->8}|{:->8}|{:->9}|{:->9}|{:->8}|{:->11}|",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        ""
    )?;
    for (name, s) in &rows {
        outln!(
            "| {:<14} | {:>6.3} | {:>6.3} | {:>6.3} | {:>7.3} | {:>7.3} | {:>6.3} | {:>9.1} |",
            name,
            s.precision,
            s.recall,
            s.f1,
            s.acc161,
            s.e2e161,
            s.auc,
            s.median_error_km
        )?;
    }
    Ok(())
}
