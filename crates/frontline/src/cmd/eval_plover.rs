//! `frontline eval plover`: scores the event coder on the PLOVER gold standard records.

use std::path::PathBuf;

use anyhow::Context as _;
use frontline_eval::plover::{PloverScores, parse_records};
use frontline_model::DocumentMeta;

use crate::globals::Globals;

/// Arguments of `frontline eval plover`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each record is one sentence with one gold event. Legacy PLOVER 0.5 \
type names are read as today's: FIGHT = ASSAULT, DISAPPROVE = ACCUSE, DEMAND = REQUEST, \
INVESTIGATE = ACCUSE. How Frontline's event for a record is chosen is described in \
docs/evaluation.md.\n\nExample:\n  frontline eval plover --records \
../shared/eval/events/plover/PLOVER_GSR_CAMEO.txt"
)]
pub struct Args {
    /// The records file (a JSON list).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "../shared/eval/events/plover/PLOVER_GSR_CAMEO.txt"
    )]
    pub records: PathBuf,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the scorer.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let json = std::fs::read_to_string(&args.records)
        .with_context(|| format!("cannot read {}", args.records.display()))?;
    let records = parse_records(&json).with_context(|| args.records.display().to_string())?;
    let pipeline = crate::util::pipeline(globals)?;
    let mut scores = PloverScores::default();
    for r in &records {
        let meta = DocumentMeta {
            published_at: r.published(),
            ..DocumentMeta::default()
        };
        let ex = pipeline.extract(meta, r.text.as_deref().unwrap_or_default());
        scores.add(r, &ex.events);
    }
    if args.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&scores).context("serialising")?
        )?;
    } else {
        outln!("{}", scores.to_table())?;
    }
    Ok(())
}
