//! Helpers shared by subcommands: building the pipeline, reading inputs, parsing dates.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;

use crate::globals::Globals;

/// Largest input accepted from one file or stdin (bytes). Larger inputs are refused with a
/// clear message rather than exhausting memory: analysis is linear in time, but dense conflict
/// text holds about 100 bytes of results in memory per byte of input (a 50 MB file peaks near
/// 5 GB), so 64 MiB keeps one document within a laptop's memory.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Parses a `YYYY-MM-DD` date for clap, with a message that says what was expected.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("expected a date as YYYY-MM-DD (e.g. 2017-06-18), got {s:?}"))
}

/// Parses a listening address for clap: `IP:PORT` (`127.0.0.1:8080`, `[::1]:8080`,
/// `0.0.0.0:8080`), a bare `PORT` or `:PORT` (on loopback, 127.0.0.1), or `localhost:PORT`
/// (127.0.0.1, without asking a resolver).
// Used by `serve --addr` and `demo --addr` (`value_parser = crate::util::parse_addr`).
pub fn parse_addr(s: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::{Ipv4Addr, SocketAddr};
    let s = s.trim();
    if let Ok(a) = s.parse::<SocketAddr>() {
        return Ok(a);
    }
    let port = s
        .strip_prefix(':')
        .or_else(|| {
            s.get(..10)
                .filter(|h| h.eq_ignore_ascii_case("localhost:"))
                .map(|_| &s[10..])
        })
        .unwrap_or(s);
    port.parse::<u16>()
        .map(|p| SocketAddr::from((Ipv4Addr::LOCALHOST, p)))
        .map_err(|_| {
            format!(
                "expected IP:PORT (127.0.0.1:8080, 0.0.0.0:8080, [::1]:8080), PORT or \
                 localhost:PORT, got {s:?}"
            )
        })
}

/// The platform data directory (`~/.local/share/frontline` on Linux), if one can be found.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "frontline", "frontline").map(|d| d.data_dir().into())
}

/// Where `frontline gazetteer import` writes its index by default and where later runs look
/// for it: `<data dir>/gazetteer.idx` (e.g. `~/.local/share/frontline/gazetteer.idx`).
pub fn default_index_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("gazetteer.idx"))
}

/// Builds the geocoder named by the global options: `--gazetteer PATH`, else an index imported
/// into the data dir, else the embedded default.
pub fn geocoder(globals: &Globals) -> Result<Geocoder> {
    if let Some(path) = &globals.gazetteer {
        return Geocoder::open(path)
            .with_context(|| format!("cannot open gazetteer {}", path.display()));
    }
    if let Some(path) = data_dir()
        .map(|d| d.join("gazetteer.idx"))
        .filter(|p| p.is_file())
    {
        // Said on every run: an import (perhaps of a few countries only) silently replaced
        // the embedded gazetteer before.
        if !globals.quiet {
            eprintln!(
                "note: using the imported gazetteer {} instead of the embedded one \
                 (--gazetteer PATH chooses another)",
                path.display()
            );
        }
        return Geocoder::open(&path)
            .with_context(|| format!("cannot open gazetteer {}", path.display()));
    }
    Geocoder::embedded().context("cannot load the embedded gazetteer")
}

/// Builds the extraction pipeline over the gazetteer named by the global options, with the
/// extra dictionary folder (`--dictionary`) when one is given.
pub fn pipeline(globals: &Globals) -> Result<Pipeline> {
    let geocoder = geocoder(globals)?;
    let mut pipeline = Pipeline::new(geocoder).context("cannot build the extraction pipeline")?;
    if let Some(dir) = &globals.dictionary {
        pipeline = pipeline
            .with_data_dir(dir)
            .with_context(|| format!("cannot load dictionary folder {}", dir.display()))?;
    }
    Ok(pipeline)
}

/// How inputs are read, shared by `extract`, `explain`, `geoparse` and `ingest`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReadArgs {
    /// Feeds: read the page an item links to when it is a file inside the feed's own folder
    /// (after resolving `..` and symbolic links). Off by default: a feed brings in only the
    /// text its items carry. `file:` links and files elsewhere are never read; links not
    /// followed are counted and named.
    #[arg(long)]
    pub feed_local_pages: bool,
}

impl ReadArgs {
    /// Reader options with these settings and `max_record_bytes` as the one-document limit.
    pub fn options(&self, max_record_bytes: u64) -> frontline_ingest::Options {
        frontline_ingest::Options {
            max_record_bytes,
            feed_local_pages: self.feed_local_pages,
            ..frontline_ingest::Options::default()
        }
    }
}

/// The command line's inputs for the readers: `-` is standard input (at most once), anything
/// else a path that must exist (checked before anything is created or read).
pub fn reader_inputs<S: AsRef<std::ffi::OsStr>>(
    args: &[S],
) -> Result<Vec<frontline_ingest::Input>> {
    let mut out = Vec::with_capacity(args.len());
    for arg in args {
        let arg = Path::new(arg.as_ref());
        if arg.as_os_str() == "-" {
            if out.contains(&frontline_ingest::Input::Stdin) {
                bail!("`-` (standard input) can be given only once");
            }
            out.push(frontline_ingest::Input::Stdin);
        } else if std::fs::metadata(arg).is_ok() {
            out.push(frontline_ingest::Input::Path(arg.to_path_buf()));
        } else {
            bail!("{}: no such file or folder", arg.display());
        }
    }
    Ok(out)
}

/// How to name a document read by the readers in messages: its path (or `-`), and its record
/// inside multi-record files.
pub fn document_name(meta: &frontline_model::DocumentMeta) -> String {
    let Some(o) = &meta.origin else {
        return "<input>".into();
    };
    let path = o.path.clone().unwrap_or_else(|| "-".into());
    match o.record_index {
        Some(i) if o.format != "text" && o.format != "html" => format!("{path} record {}", i + 1),
        _ => path,
    }
}

/// Reads exactly one document for commands that analyse one (`explain`, `geoparse`): the
/// first the readers find in `arg` (a file, HTML page, feed, archive, or `-`). Its reader
/// warnings are logged with its name and returned.
pub fn read_one(arg: &Path, read: &ReadArgs) -> Result<(frontline_ingest::RawDocument, String)> {
    let inputs = reader_inputs(&[arg])?;
    let mut docs = frontline_ingest::read_inputs(inputs, read.options(MAX_INPUT_BYTES));
    let mut errors = Vec::new();
    for item in docs.by_ref() {
        match item {
            Ok(doc) => {
                let name = document_name(&doc.meta);
                for w in &doc.warnings {
                    tracing::warn!("{name}: {w}");
                }
                for e in &errors {
                    eprintln!("error: {e} (skipped)");
                }
                if !errors.is_empty() || docs.next().is_some() {
                    tracing::warn!(
                        "{}: holds more than one document; only the first is analysed \
                         (use `frontline extract` for all)",
                        arg.display()
                    );
                }
                return Ok((doc, name));
            }
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => bail!("{}: no document found", arg.display()),
        1 => bail!("{}", errors[0]),
        n => {
            for e in &errors {
                eprintln!("error: {e} (skipped)");
            }
            bail!("{}: no document could be read ({n} skipped)", arg.display())
        }
    }
}

/// The progress display on stderr (hidden when it is not a terminal or with `--quiet`):
/// against `total` bytes when the inputs' size is known (a bar, the share done and an ETA;
/// the caller sets the message, e.g. a count of documents), else a count of `unit`s with a
/// whole-number rate.
pub fn progress_bar(quiet: bool, total: Option<u64>, unit: &'static str) -> indicatif::ProgressBar {
    if quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let pb =
        indicatif::ProgressBar::with_draw_target(total, indicatif::ProgressDrawTarget::stderr());
    if total.is_some() {
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {percent}% of {total_bytes}, ETA {eta} · {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        return pb;
    }
    pb.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {{elapsed_precise}} {{human_pos}} {unit} ({{rate}}) {{msg}}"
        ))
        .map_or_else(
            |_| indicatif::ProgressStyle::default_spinner(),
            |style| {
                style.with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&rate(state.per_sec()));
                    },
                )
            },
        ),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// A rate for people: whole units per second, with thousands separated
/// (`4,178/s`; `0.4/s` below one a second).
pub fn rate(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        return "0/s".into();
    }
    if per_sec < 1.0 {
        return format!("{per_sec:.1}/s");
    }
    let digits = format!("{:.0}", per_sec);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str("/s");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 23, item 12: `--addr 8081` and `--addr localhost:8081`.
    #[test]
    fn addresses_accept_a_port_and_localhost() {
        let lo = |p: u16| std::net::SocketAddr::from(([127, 0, 0, 1], p));
        assert_eq!(parse_addr("8081"), Ok(lo(8081)));
        assert_eq!(parse_addr(":8081"), Ok(lo(8081)));
        assert_eq!(parse_addr("localhost:8081"), Ok(lo(8081)));
        assert_eq!(parse_addr("LOCALHOST:8081"), Ok(lo(8081)));
        assert_eq!(parse_addr("127.0.0.1:9000"), Ok(lo(9000)));
        assert_eq!(
            parse_addr("0.0.0.0:80").map(|a| a.to_string()),
            Ok("0.0.0.0:80".into())
        );
        assert_eq!(
            parse_addr("[::1]:8080").map(|a| a.to_string()),
            Ok("[::1]:8080".into())
        );
        for bad in [
            "",
            "70000",
            "localhost",
            "example.org:80",
            "8081x",
            "localhost:",
        ] {
            let e = parse_addr(bad).unwrap_err();
            assert!(e.contains("PORT"), "{e}");
        }
    }

    #[test]
    fn dates_parse_with_clear_errors() {
        assert_eq!(
            parse_date("2017-06-18"),
            Ok(NaiveDate::from_ymd_opt(2017, 6, 18).unwrap())
        );
        let err = parse_date("18/06/2017").unwrap_err();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
    }

    /// Issue 23, item 12: no `4,177.9979/s`.
    #[test]
    fn rates_are_whole_numbers_with_separators() {
        assert_eq!(rate(4177.9979), "4,178/s");
        assert_eq!(rate(999.4), "999/s");
        assert_eq!(rate(1_234_567.0), "1,234,567/s");
        assert_eq!(rate(0.42), "0.4/s");
        assert_eq!(rate(0.0), "0/s");
        assert_eq!(rate(f64::NAN), "0/s");
    }
}
