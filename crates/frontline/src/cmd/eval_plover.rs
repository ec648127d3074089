//! `frontline eval plover`: scores the event coder on the PLOVER gold standard records.

use std::path::PathBuf;

use anyhow::Context as _;
use frontline_eval::plover::{PloverScores, PloverSplit, parse_records, select};
use frontline_model::DocumentMeta;

use crate::globals::Globals;

/// Which half of the records to score.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SplitArg {
    /// Records whose id hashes even: read failures and tune here.
    Dev,
    /// Records whose id hashes odd: figures only.
    Test,
    /// Every record.
    All,
}

/// Arguments of `frontline eval plover`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each record is one sentence with one gold event. Legacy PLOVER 0.5 \
type names are read as today's: FIGHT = ASSAULT, DISAPPROVE = ACCUSE, DEMAND = REQUEST, \
INVESTIGATE = ACCUSE. How Frontline's event for a record is chosen is described in \
docs/evaluation.md.\n\nThe records are split in two stable halves by a hash (FNV-1a) of each \
record's id (of its position in the file when the id is empty): dev (even hash) for reading \
failures and tuning, test (odd) for figures only; all (the default) is the reported \
figure.\n\nExamples:\n  frontline eval plover --records \
../shared/eval/events/plover/PLOVER_GSR_CAMEO.txt\n  frontline eval plover --split dev"
)]
pub struct Args {
    /// The records file (a JSON list).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "../shared/eval/events/plover/PLOVER_GSR_CAMEO.txt"
    )]
    pub records: PathBuf,
    /// Which half of the records to score: dev (tune and read failures here), test, or all
    /// (the reported figure).
    #[arg(long, value_enum, default_value = "all")]
    pub split: SplitArg,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the scorer.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let json = std::fs::read_to_string(&args.records)
        .with_context(|| format!("cannot read {}", args.records.display()))?;
    let records = parse_records(&json).with_context(|| args.records.display().to_string())?;
    let split = match args.split {
        SplitArg::Dev => PloverSplit::Dev,
        SplitArg::Test => PloverSplit::Test,
        SplitArg::All => PloverSplit::All,
    };
    let pipeline = crate::util::pipeline(globals)?;
    let mut scores = PloverScores::default();
    for (_, r) in select(&records, split) {
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
        outln!("split: {}", format!("{:?}", args.split).to_lowercase())?;
        outln!("{}", scores.to_table())?;
    }
    Ok(())
}
