//! `frontline geoparse`: find and resolve the place names of one text, printed as JSON.

use std::path::PathBuf;

use frontline_text::Span;

use crate::globals::Globals;
use crate::util;

/// Arguments of `frontline geoparse`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  frontline geoparse report.txt\n  cat report.txt | frontline geoparse -\n  frontline --gazetteer ~/geonames.idx geoparse report.txt --compact"
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
    #[command(flatten)]
    pub read: util::ReadArgs,
}

#[derive(serde::Serialize)]
struct Out<'a> {
    text: &'a str,
    #[serde(flatten)]
    toponym: &'a frontline_geocode::Toponym,
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
    let toponyms = geo.geoparse(&text, &sentences, &skip);
    let out: Vec<Out<'_>> = toponyms
        .iter()
        .map(|t| Out {
            text: text.get(t.span.range()).unwrap_or(""),
            toponym: t,
        })
        .collect();
    let json = if args.compact {
        serde_json::to_string(&out)?
    } else {
        serde_json::to_string_pretty(&out)?
    };
    outln!("{json}")?;
    Ok(())
}
