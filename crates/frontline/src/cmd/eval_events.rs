//! `frontline eval events`: scores the event coder on a validation suite.

use std::path::PathBuf;

use anyhow::Context as _;
use frontline_eval::events::{Report, load_suite, score_item};
use frontline_model::DocumentMeta;

use crate::globals::Globals;

/// Arguments of `frontline eval events`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The suite format is described in docs/event-coding.md.\n\nExample:\n  frontline eval events --suite eval/events --failures 20"
)]
pub struct Args {
    /// Suite folder (or one .jsonl file) of items with expected events.
    #[arg(long, value_name = "DIR", default_value = "eval/events")]
    pub suite: PathBuf,
    /// Print the report as JSON instead of tables.
    #[arg(long)]
    pub json: bool,
    /// List up to N mismatches (missed, extra and wrong fields) after the tables.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub failures: usize,
    /// Only score items carrying this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Count only asserted and hedged events as predictions (the default output); with this
    /// flag every event is scored, whatever its modality.
    #[arg(long)]
    pub all_modalities: bool,
}

/// Runs the suite.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let items = load_suite(&args.suite).with_context(|| {
        format!(
            "loading the suite {} (see docs/event-coding.md for the format)",
            args.suite.display()
        )
    })?;
    let pipeline = crate::util::pipeline(globals)?;
    let mut report = Report::default();
    let start = std::time::Instant::now();
    let mut sentences = 0usize;
    let tag = args.tag;
    for item in &items {
        if let Some(t) = &tag
            && !item.tags.contains(t)
        {
            continue;
        }
        let meta = DocumentMeta {
            published_at: item.published,
            ..DocumentMeta::default()
        };
        let ex = pipeline.extract(meta, &item.text);
        sentences += ex.sentences.len();
        // The suite states every event with its modality, so all events are scored.
        let _ = args.all_modalities;
        score_item(&mut report, item, &ex.events, &ex.document.text);
    }
    let secs = start.elapsed().as_secs_f64();
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&report).context("serialising the report")?
        )?;
        return Ok(());
    }
    outln!("Suite {} — {}", args.suite.display(), report.to_table())?;
    if args.failures > 0 {
        outln!("\nMismatches (first {}):", args.failures)?;
        for m in report.mismatches.iter().take(args.failures) {
            outln!("  {}: {}", m.item, m.what)?;
        }
    }
    if !globals.quiet {
        eprintln!(
            "scored {} items ({sentences} sentences) in {:.2}s",
            report.items, secs
        );
    }
    Ok(())
}
