//! `frontline geoparse`: find and resolve the place names of one text, printed as JSON.

use std::path::PathBuf;

use frontline_text::Span;

use crate::globals::Globals;
use crate::util;

/// Arguments of `frontline geoparse`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  frontline geoparse report.txt\n  cat report.txt | frontline geoparse -\n  frontline --gazetteer ~/geonames.idx geoparse report.txt --compact\n  frontline geoparse report.txt --dropped"
)]
pub struct Args {
    /// Article to read, as `frontline ingest` reads it (text with optional front matter,
    /// HTML, a feed, WARC, JSON Lines, gzip; the first document of a file that holds several),
    /// or `-` for standard input.
    pub input: PathBuf,
    /// One line of JSON instead of indented output.
    #[arg(long)]
    pub compact: bool,
    /// Also report names inside boilerplate (comment forms, share bars, credits).
    #[arg(long)]
    pub keep_boilerplate: bool,
    /// Print an object with the toponyms and the names set aside (`dropped`: each with its
    /// text, span and the id of the rule that set it aside) instead of the list of toponyms.
    #[arg(long)]
    pub dropped: bool,
    #[command(flatten)]
    pub read: util::ReadArgs,
}

#[derive(serde::Serialize)]
struct Out<'a> {
    text: &'a str,
    #[serde(flatten)]
    toponym: &'a frontline_geocode::Toponym,
}

#[derive(serde::Serialize)]
struct DroppedOut<'a> {
    text: &'a str,
    #[serde(flatten)]
    dropped: &'a frontline_geocode::Dropped,
}

#[derive(serde::Serialize)]
struct Explained<'a> {
    toponyms: Vec<Out<'a>>,
    dropped: Vec<DroppedOut<'a>>,
}

/// Runs `frontline geoparse`.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let (raw, _name) = util::read_one(&args.input, &args.read)?;
    let text = raw.text;
    let geo = util::geocoder(globals)?;
    let skip: Vec<Span> = if args.keep_boilerplate {
        Vec::new()
    } else {
        frontline_text::detect_boilerplate(&text)
            .into_iter()
            .map(|b| b.span)
            .collect()
    };
    let sentences = frontline_text::sentences(&text, Span::new(0, text.len()));
    let (toponyms, dropped) = geo.geoparse_explained(&text, &sentences, &skip);
    let out: Vec<Out<'_>> = toponyms
        .iter()
        .map(|t| Out {
            text: text.get(t.span.range()).unwrap_or(""),
            toponym: t,
        })
        .collect();
    let json = if args.dropped {
        let both = Explained {
            toponyms: out,
            dropped: dropped
                .iter()
                .map(|d| DroppedOut {
                    text: text.get(d.span.range()).unwrap_or(""),
                    dropped: d,
                })
                .collect(),
        };
        if args.compact {
            serde_json::to_string(&both)?
        } else {
            serde_json::to_string_pretty(&both)?
        }
    } else if args.compact {
        serde_json::to_string(&out)?
    } else {
        serde_json::to_string_pretty(&out)?
    };
    outln!("{json}")?;
    Ok(())
}
