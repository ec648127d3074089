//! `frontline gazetteer`: import a full GeoNames dump, inspect the gazetteer in use.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use frontline_gazetteer::import::{Stage, import_geonames};

use crate::globals::Globals;

/// Subcommands of `frontline gazetteer`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Build a local index from a GeoNames dump, used instead of the embedded default.
    ///
    /// DIR holds allCountries.txt or allCountries.zip (or cities500/1000/5000/15000, or
    /// per-country files such as IQ.txt), and optionally alternateNamesV2.txt/.zip,
    /// admin1CodesASCII.txt and admin2Codes.txt, as downloaded from the GeoNames export dump.
    /// Malformed rows are skipped and counted; the first ones are listed with file and line.
    #[command(
        after_help = "Example:\n  frontline gazetteer import --geonames ~/geonames\n  frontline gazetteer import --geonames ~/geonames --out /data/geonames.idx\n  frontline --gazetteer /data/geonames.idx geoparse report.txt"
    )]
    Import {
        /// Directory holding the GeoNames files.
        #[arg(long, value_name = "DIR")]
        geonames: PathBuf,
        /// Where to write the index (default: the data dir, where later runs find it).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Show which gazetteer is in use and its size.
    Info,
    /// Look a name up in the gazetteer (all candidates, exact and transliteration matches).
    Lookup {
        /// The name, e.g. "Deir el-Zour".
        name: String,
    },
}

/// Runs `frontline gazetteer`.
pub fn run(command: Command, globals: &Globals) -> anyhow::Result<()> {
    match command {
        Command::Import { geonames, out } => import(&geonames, out, globals),
        Command::Info => {
            let geo = crate::util::geocoder(globals)?;
            let g = geo.gazetteer();
            let (exact, loose) = g.index_len();
            outln!("source: {}", g.source())?;
            outln!("places: {}", g.len())?;
            outln!("index keys: {exact} exact, {loose} transliteration-folded")?;
            outln!("countries: {}", frontline_gazetteer::countries::all().len())?;
            if let Some(p) = crate::util::default_index_path() {
                outln!(
                    "import location: {}{}",
                    p.display(),
                    if p.is_file() { " (present)" } else { " (none)" }
                )?;
            }
            Ok(())
        }
        Command::Lookup { name } => {
            let geo = crate::util::geocoder(globals)?;
            let g = geo.gazetteer();
            let mut rows: Vec<_> = g
                .lookup(&name)
                .into_iter()
                .filter_map(|h| g.place(h.idx).map(|p| (h, p)))
                .collect();
            rows.sort_by_key(|(_, p)| std::cmp::Reverse(p.population));
            if let Some(c) = frontline_gazetteer::countries::lookup(&name) {
                outln!("country: {} ({}/{})", c.name, c.iso2, c.iso3)?;
            }
            for (h, p) in rows.iter().take(50) {
                outln!(
                    "{}\t{}\t{:.4}\t{:.4}\t{}.{}\t{}\t{}\tpop {}\t{}",
                    p.geonameid
                        .map_or_else(|| "-".to_string(), |i| i.to_string()),
                    p.name,
                    p.lat,
                    p.lon,
                    p.feature_class,
                    p.feature_code,
                    p.country,
                    p.admin1_code.and_then(|a| g.admin_name(a)).unwrap_or(""),
                    p.population,
                    if h.exact { "exact" } else { "folded" }
                )?;
            }
            if rows.is_empty() {
                outln!("no match for {name:?}")?;
            }
            Ok(())
        }
    }
}

fn import(dir: &std::path::Path, out: Option<PathBuf>, globals: &Globals) -> anyhow::Result<()> {
    if !dir.is_dir() {
        anyhow::bail!(
            "{}: not a directory (pass the folder holding allCountries.zip)",
            dir.display()
        );
    }
    let Some(out) = out.or_else(crate::util::default_index_path) else {
        anyhow::bail!("cannot find a data directory for this user; pass --out PATH")
    };
    let t0 = Instant::now();
    let bar = if globals.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(0)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:40} [{bar:30}] {bytes}/{total_bytes} ({eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let mut current = PathBuf::new();
    let (gaz, report) = import_geonames(dir, |stage, path, done, total| {
        if path != current {
            current = path.to_path_buf();
            bar.set_length(total);
            bar.set_position(0);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            bar.set_message(match stage {
                Stage::Places => format!("places: {name}"),
                Stage::AlternateNames => format!("alternate names: {name}"),
                Stage::AdminNames => format!("unit names: {name}"),
                Stage::Indexing => "sorting the index".to_string(),
            });
        }
        bar.set_position(done);
    })
    .with_context(|| format!("cannot import GeoNames from {}", dir.display()))?;
    // What the new index replaces, said before it is written.
    let replaced = if out.is_file() {
        frontline_gazetteer::Gazetteer::open(&out).map_or_else(
            |_| format!("an unreadable index at {}", out.display()),
            |g| {
                format!(
                    "the earlier import at {} ({} places)",
                    out.display(),
                    g.len()
                )
            },
        )
    } else {
        String::new()
    };
    let countries = countries_covered(&gaz);
    bar.set_message("writing the index");
    gaz.save(&out)
        .with_context(|| format!("cannot write {}", out.display()))?;
    bar.finish_and_clear();
    eprintln!(
        "imported {} places and {} alternate names from {} file(s) in {:.1}s; {} malformed rows skipped",
        report.places,
        report.alternate_names,
        report.files.len(),
        t0.elapsed().as_secs_f64(),
        report.bad_rows
    );
    for e in &report.first_errors {
        eprintln!("  skipped: {e}");
    }
    eprintln!(
        "wrote {}: {} places in {}",
        out.display(),
        report.places,
        describe_countries(&countries)
    );
    if !replaced.is_empty() {
        eprintln!("it replaces {replaced}");
    }
    if Some(&out) == crate::util::default_index_path().as_ref() {
        let embedded = frontline_gazetteer::Gazetteer::embedded().map_or(0, |g| g.len());
        eprintln!(
            "later runs use it instead of the embedded gazetteer ({embedded} places, every \
             country){}; pass --gazetteer PATH to choose another, or delete the file to go back",
            if countries.len() < 100 {
                ": places outside the countries above will not be found"
            } else {
                ""
            }
        );
    } else {
        eprintln!("use it with --gazetteer {}", out.display());
    }
    Ok(())
}

/// The countries (ISO alpha-2) that have places in a gazetteer other than the country itself
/// (every index has an entry per country), sorted.
fn countries_covered(g: &frontline_gazetteer::Gazetteer) -> Vec<String> {
    let mut set = std::collections::BTreeSet::new();
    for i in 0..u32::try_from(g.len()).unwrap_or(u32::MAX) {
        if let Some(p) = g.place(i)
            && !p.country.is_empty()
            && !p.feature_code.starts_with("PCL")
        {
            set.insert(p.country.to_string());
        }
    }
    set.into_iter().collect()
}

/// `3 countries (IQ, SY, YE)`, or just the count for many.
fn describe_countries(c: &[String]) -> String {
    if c.len() <= 12 {
        format!(
            "{} countr{} ({})",
            c.len(),
            if c.len() == 1 { "y" } else { "ies" },
            c.join(", ")
        )
    } else {
        format!("{} countries", c.len())
    }
}
