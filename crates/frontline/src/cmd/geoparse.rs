//! `frontline geoparse`: find and resolve the place names of one text, printed as JSON.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use frontline_geocode::Geocoder;
use frontline_text::Span;

use crate::globals::Globals;

/// Arguments of `frontline geoparse`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  frontline geoparse report.txt\n  cat report.txt | frontline geoparse -\n  frontline --gazetteer ~/geonames.idx geoparse report.txt --compact"
)]
pub struct Args {
    /// Text file to read (UTF-8; invalid bytes are replaced), or `-` for standard input.
    pub input: PathBuf,
    /// One line of JSON instead of indented output.
    #[arg(long)]
    pub compact: bool,
    /// Also report names inside boilerplate (comment forms, share bars, credits).
    #[arg(long)]
    pub keep_boilerplate: bool,
}

/// Where `frontline gazetteer import` writes its index by default and where later runs look
/// for it: `<data dir>/gazetteer.idx` (e.g. `~/.local/share/frontline/gazetteer.idx`).
pub(crate) fn default_index_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "frontline", "frontline")
        .map(|d| d.data_dir().join("gazetteer.idx"))
}

/// The geocoder the global options ask for: `--gazetteer PATH`, else an index imported into
/// the data dir, else the embedded default.
pub(crate) fn geocoder(globals: &Globals) -> anyhow::Result<Geocoder> {
    if let Some(p) = &globals.gazetteer {
        return Geocoder::open(p)
            .with_context(|| format!("cannot load the gazetteer {}", p.display()));
    }
    if let Some(p) = default_index_path().filter(|p| p.is_file()) {
        tracing::info!("using the imported gazetteer {}", p.display());
        return Geocoder::open(&p).with_context(|| {
            format!("cannot load the imported gazetteer {} (re-run `frontline gazetteer import` or delete it)", p.display())
        });
    }
    Geocoder::embedded().context("cannot load the embedded gazetteer")
}

fn read_input(path: &Path) -> anyhow::Result<String> {
    let bytes = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .context("cannot read standard input")?;
        b
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[derive(serde::Serialize)]
struct Out<'a> {
    text: &'a str,
    #[serde(flatten)]
    toponym: &'a frontline_geocode::Toponym,
}

/// Runs `frontline geoparse`.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let text = read_input(&args.input)?;
    let geo = geocoder(globals)?;
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
    println!("{json}");
    Ok(())
}
