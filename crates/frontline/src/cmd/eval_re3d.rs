//! `frontline eval re3d`: the geoparser's toponyms against re3d's `Location` gold, where the two
//! annotation schemes agree (`frontline_eval::re3d`).

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use anyhow::Context as _;
use frontline_eval::articles::{self, Split};
use frontline_eval::re3d::{self, Re3dCounts, Re3dFailure};
use frontline_text::Span;

use crate::cmd::eval_articles::SplitArg;
use crate::globals::Globals;

/// Arguments of `frontline eval re3d`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "The gold is re3d's Location entities that name a place (a capitalised \
word other than a leading article: \"Mosul\", \"eastern Aleppo\"; not \"the city\"). A toponym \
overlapping one is right; one overlapping only an unnamed location or a Nationality entity is \
left out of the count, since the schemes disagree there; any other toponym is a false place \
(P) and, apart, those inside an Organisation entity (\"Iraq\" in \"the Islamic State of Iraq and \
the Levant\") are not counted (P-org). \
The halves are those of the real-document gold (eval/articles), which holds every re3d \
document.\n\nExamples:\n  frontline eval re3d --split all\n  frontline eval re3d --split dev \
--failures 40"
)]
pub struct Args {
    /// Half to score: the real-document gold's dev or test half, or all.
    #[arg(long, value_enum, default_value = "dev")]
    pub split: SplitArg,
    /// The re3d folder (one sub-folder a publisher, each with documents.json and
    /// entities.json).
    #[arg(long, value_name = "DIR", default_value = "../shared/eval/events/re3d")]
    pub re3d: PathBuf,
    /// The real-document gold that says which half a document is in (run from the repository
    /// root).
    #[arg(long, value_name = "DIR", default_value = "eval/articles")]
    pub gold: PathBuf,
    /// List up to N false places and missed locations (dev only).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub failures: usize,
}

/// Runs the scorer.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let split = match args.split {
        SplitArg::Dev => Split::Dev,
        SplitArg::Test => Split::Test,
        SplitArg::All => Split::All,
    };
    if args.failures > 0 && !matches!(split, Split::Dev) {
        anyhow::bail!("--failures is refused for the held-out half: use --split dev");
    }
    let in_split: HashSet<String> = articles::load_gold(&args.gold, split)
        .with_context(|| format!("loading the halves from {}", args.gold.display()))?
        .into_iter()
        .map(|d| d.doc)
        .collect();
    let docs = re3d::load(&args.re3d)
        .with_context(|| format!("loading re3d from {}", args.re3d.display()))?;
    let geocoder = crate::util::geocoder(globals)?;
    let mut by_publisher: BTreeMap<String, Re3dCounts> = BTreeMap::new();
    let mut listed = 0;
    let mut bad_offsets = 0;
    for doc in docs.iter().filter(|d| in_split.contains(&d.id)) {
        let sentences = frontline_text::sentences(&doc.text, Span::new(0, doc.text.len()));
        let found: Vec<(usize, usize)> = geocoder
            .geoparse(&doc.text, &sentences, &[])
            .into_iter()
            .map(|t| (t.span.start, t.span.end))
            .collect();
        let (counts, failures) = re3d::score_document(doc, &found);
        by_publisher
            .entry(doc.publisher.clone())
            .or_default()
            .add(&counts);
        bad_offsets += doc.bad_offsets;
        for f in failures {
            if listed >= args.failures {
                break;
            }
            listed += 1;
            let (kind, s, t) = match f {
                Re3dFailure::FalsePlace(s, t) => ("false ", s, t),
                Re3dFailure::Missed(s, t) => ("missed", s, t),
            };
            outln!(
                "{kind} {} {s}..{t} {:?}",
                doc.id,
                doc.text.get(s..t).unwrap_or("")
            )?;
        }
    }
    if by_publisher.is_empty() {
        anyhow::bail!(
            "no re3d document of this half found under {}",
            args.re3d.display()
        );
    }
    print_table(&by_publisher, &args.split)?;
    if bad_offsets > 0 {
        outln!("({bad_offsets} entities skipped: their offsets do not fit the text)")?;
    }
    Ok(())
}

fn print_table(rows: &BTreeMap<String, Re3dCounts>, split: &SplitArg) -> anyhow::Result<()> {
    outln!(
        "re3d Location gold, split {}: toponyms where the schemes agree",
        format!("{split:?}").to_lowercase()
    )?;
    outln!(
        "| {:<40} | {:>4} | {:>5} | {:>5} | {:>6} | {:>6} | {:>6} | {:>6} | {:>8} |",
        "publisher",
        "docs",
        "gold",
        "found",
        "P",
        "P-org",
        "R",
        "F1",
        "left out"
    )?;
    outln!(
        "|{:-<42}|{:->6}|{:->7}|{:->7}|{:->8}|{:->8}|{:->8}|{:->8}|{:->10}|",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        ""
    )?;
    let mut total = Re3dCounts::default();
    for (name, c) in rows {
        total.add(c);
        row(name, c)?;
    }
    row("all", &total)
}

fn row(name: &str, c: &Re3dCounts) -> anyhow::Result<()> {
    outln!(
        "| {:<40} | {:>4} | {:>5} | {:>5} | {:>6.3} | {:>6.3} | {:>6.3} | {:>6.3} | {:>8} |",
        name,
        c.documents,
        c.gold,
        c.predicted,
        c.precision(),
        c.precision_without_organisations(),
        c.recall(),
        c.f1(),
        c.left_out
    )?;
    Ok(())
}
