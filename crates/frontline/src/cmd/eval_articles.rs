//! `frontline eval articles`: scores whole real documents against the ACLED-style gold of
//! `eval/articles` (docs/evaluation.md).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use frontline_eval::articles::{self, ArticleScores, Evaluation, FusionScores, Split};

use crate::globals::Globals;

/// Which half to score.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SplitArg {
    /// The half to read, debug and tune on.
    Dev,
    /// The held-out half: figures only, never failures.
    Test,
    /// Both halves.
    All,
}

/// Arguments of `frontline eval articles`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The gold format, the annotation guide and the scoring rules are in \
docs/evaluation.md. The texts are read from the shared data folder (../shared), never from the \
repository.\n\nExamples:\n  frontline eval articles --split dev --failures 30\n  frontline \
eval articles --split test --json"
)]
pub struct Args {
    /// Half of the gold to score.
    #[arg(long, value_enum, default_value = "dev")]
    pub split: SplitArg,
    /// Gold folder (with dev/ and test/ inside): eval/articles for real documents, eval/fusion
    /// for the cluster set written for fusion (run from the repository root).
    #[arg(long, value_name = "DIR", default_value = "eval/articles")]
    pub gold: PathBuf,
    /// Shared data folder holding eval/events/re3d and eval/geo/corpora.
    #[arg(long, value_name = "DIR", default_value = "../shared")]
    pub shared: PathBuf,
    /// Only documents whose id starts with this prefix (`re3d:`, `geo:LGL:`).
    #[arg(long, value_name = "PREFIX")]
    pub only: Option<String>,
    /// List up to N misses, false events, duplicates and must-not hits (dev only).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub failures: usize,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the scorer.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let split = match args.split {
        SplitArg::Dev => Split::Dev,
        SplitArg::Test => Split::Test,
        SplitArg::All => Split::All,
    };
    if args.failures > 0 && !matches!(split, Split::Dev) {
        anyhow::bail!(
            "--failures lists documents' errors and is refused for the held-out half: \
             use --split dev"
        );
    }
    if !args.shared.join("eval").is_dir() {
        anyhow::bail!(
            "{}: no shared data folder here (it holds eval/events/re3d and eval/geo/corpora); \
             give it with --shared",
            args.shared.display()
        );
    }
    let mut docs = articles::load_gold(&args.gold, split)
        .with_context(|| format!("loading the gold under {}", args.gold.display()))?;
    if let Some(p) = &args.only {
        docs.retain(|d| d.doc.starts_with(p.as_str()));
    }
    let pipeline = crate::util::pipeline(globals)?;
    let store = frontline_store::Store::open_in_memory().context("opening a temporary store")?;
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let mut texts = articles::TextSource::new(&args.shared).with_local_root(&cwd);
    let stories = articles::load_cluster_stories(&args.gold);
    let bar = if globals.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(docs.len() as u64)
    };
    let start = std::time::Instant::now();
    let n = docs.len();
    let eval = articles::evaluate(docs, &stories, &mut texts, &pipeline, &store, || bar.inc(1))?;
    bar.finish_and_clear();
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&eval).context("serialising")?
        )?;
        return Ok(());
    }
    outln!("{}", table(&eval, split))?;
    if args.failures > 0 {
        outln!(
            "\nFailures (first {}; spans are byte offsets into the raw text):",
            args.failures
        )?;
        for f in eval.events.failures.iter().take(args.failures) {
            outln!(
                "  {:<9} {} {}..{}  {}",
                f.kind,
                f.doc,
                f.span[0],
                f.span[1],
                f.what
            )?;
        }
    }
    if !globals.quiet {
        eprintln!(
            "scored {n} documents in {:.1}s",
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:.1}", 100.0 * v))
}

/// The report for people.
pub fn table(eval: &Evaluation, split: Split) -> String {
    let e = &eval.events;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Split {:?}: {} documents, {} gold events (+{} background), {} counted events emitted",
        split, e.documents, e.gold_events, e.gold_background, e.emitted
    );
    let _ = writeln!(
        s,
        "\nEvents\n  precision {:.1}  recall {:.1}  F1 {:.1}\n  matched {}  false {}  \
         duplicates {} ({:.1} % of emitted)  background matched {}\n  flagged background by \
         the coder (not counted) {}, of them in news gold {}\n  material-type events \
         emitted per gold event {:.2}",
        100.0 * e.precision(),
        100.0 * e.recall(),
        100.0 * e.f1(),
        e.matched,
        e.false_events,
        e.duplicates,
        if e.emitted == 0 {
            0.0
        } else {
            100.0 * e.duplicates as f64 / e.emitted as f64
        },
        e.background_matched,
        e.flagged_background,
        e.flagged_on_news,
        if e.gold_events == 0 {
            0.0
        } else {
            e.emitted_material as f64 / e.gold_events as f64
        },
    );
    if let Some(i) = eval.event_intervals {
        let _ = writeln!(
            s,
            "  95 % interval over documents (bootstrap, {} resamples): precision {:.1}–{:.1}  \
             recall {:.1}–{:.1}  F1 {:.1}–{:.1}",
            i.resamples,
            100.0 * i.precision.low,
            100.0 * i.precision.high,
            100.0 * i.recall.low,
            100.0 * i.recall.high,
            100.0 * i.f1.low,
            100.0 * i.f1.high,
        );
    }
    let _ = writeln!(s, "\nFields over matched events (right / judged)");
    for (k, r) in &e.fields {
        let _ = writeln!(
            s,
            "  {:<26} {:>4}/{:<4} {:>6} %",
            k,
            r.right,
            r.total,
            pct(r.share())
        );
    }
    let _ = writeln!(
        s,
        "  median location error     {}",
        e.median_error_km()
            .map_or_else(|| "-".into(), |km| format!("{km:.0} km"))
    );
    let total_mn: usize = e.must_not.values().map(|r| r.total).sum();
    let hit_mn: usize = e.must_not.values().map(|r| r.right).sum();
    let _ = writeln!(
        s,
        "\nMust-not spans carrying a counted event: {hit_mn}/{total_mn} ({} %)",
        pct((total_mn > 0).then(|| hit_mn as f64 / total_mn as f64))
    );
    for (k, r) in &e.must_not {
        let _ = writeln!(s, "  {:<14} {:>4}/{:<4}", k, r.right, r.total);
    }
    let _ = writeln!(s, "\n{}", error_table(e));
    let _ = write!(s, "{}", fusion_table(&eval.fusion));
    s
}

fn error_table(e: &ArticleScores) -> String {
    let mut s = String::from("Errors by class\n");
    let _ = writeln!(s, "  false events by PLOVER type:");
    for (k, n) in &e.false_by_type {
        let _ = writeln!(s, "    {k:<12} {n:>4}");
    }
    let _ = writeln!(s, "  duplicates by PLOVER type:");
    for (k, n) in &e.duplicates_by_type {
        let _ = writeln!(s, "    {k:<12} {n:>4}");
    }
    if !e.missed_by_rule.is_empty() {
        let _ = writeln!(
            s,
            "  gold events missed, by the rule that set aside a trigger in their evidence:"
        );
        let mut by: Vec<(&String, &usize)> = e.missed_by_rule.iter().collect();
        by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (k, n) in by {
            let _ = writeln!(s, "    {k:<36} {n:>4}");
        }
    }
    let _ = writeln!(s, "  gold events missed / gold, by ACLED sub-event type:");
    for (k, n) in &e.gold_by_subtype {
        let m = e.missed_by_subtype.get(k).copied().unwrap_or(0);
        let _ = writeln!(s, "    {k:<36} {m:>4}/{n:<4}");
    }
    s
}

fn fusion_table(f: &FusionScores) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Fusion over {} multi-document clusters: completeness {} %, purity {} % ({} of {} \
         records), sources right {} %, toll ranges holding every report {} %",
        f.clusters.len(),
        pct(f.completeness()),
        pct(f.purity()),
        f.pure_records,
        f.records,
        pct(f.sources_right()),
        pct(f.toll_ranges_hold())
    );
    for c in &f.clusters {
        let _ = writeln!(
            s,
            "  {:<6} documents {} found {} records {} {} sources {}/{}",
            c.cluster,
            c.documents,
            c.documents_found,
            c.records,
            if c.complete { "complete" } else { "split   " },
            c.sources_found
                .map_or_else(|| "-".into(), |n| n.to_string()),
            c.sources_expected
        );
    }
    s
}
