//! Helpers shared by subcommands: building the pipeline, reading inputs, parsing dates.

use std::io::Read;
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
        tracing::info!("using imported gazetteer {}", path.display());
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

/// One input: a file path, or `-` for standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Input {
    /// How to name the input in messages.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// Expands the command-line inputs: `-` is stdin, a folder is walked recursively (sorted, hidden
/// files skipped), anything else is a file. A path that does not exist is an error.
pub fn expand_inputs(args: &[PathBuf]) -> Result<Vec<Input>> {
    let mut out = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if arg.is_dir() {
            walk(arg, &mut out).with_context(|| format!("cannot read folder {}", arg.display()))?;
        } else if arg.exists() {
            out.push(Input::File(arg.clone()));
        } else {
            bail!("{}: no such file or folder", arg.display());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(Input::File(path));
        }
    }
    Ok(())
}

/// Reads an input's bytes, refusing inputs over [`MAX_INPUT_BYTES`].
pub fn read_bytes(input: &Input) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    match input {
        Input::Stdin => {
            std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .context("cannot read standard input")?;
        }
        Input::File(p) => {
            let f =
                std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
            // One allocation of the file's size (`take` hides the size from `read_to_end`).
            if let Ok(m) = f.metadata() {
                buf.reserve(usize::try_from(m.len().min(MAX_INPUT_BYTES) + 1).unwrap_or(0));
            }
            f.take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .with_context(|| format!("cannot read {}", p.display()))?;
        }
    }
    if buf.len() as u64 > MAX_INPUT_BYTES {
        bail!(
            "{}: input is larger than {} MiB, the limit for one document; split it into \
             articles (one file each, or one JSON Lines record each for `frontline ingest`)",
            input.display(),
            MAX_INPUT_BYTES / (1024 * 1024)
        );
    }
    Ok(buf)
}

/// Decodes bytes as text for analysis. Invalid UTF-8 is replaced, with a warning naming the
/// first bad byte offset; empty input and binary data are errors.
pub fn decode_text(input: &Input, bytes: &[u8]) -> Result<(String, Vec<String>)> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        bail!("{}: input is empty", input.display());
    }
    if looks_binary(bytes) {
        bail!(
            "{}: does not look like text (too many control or invalid bytes); \
             is it an image, archive or other binary file?",
            input.display()
        );
    }
    let decoded = frontline_text::decode(bytes);
    let mut warnings = Vec::new();
    if let Some(first) = decoded.invalid_at.first() {
        let msg = format!(
            "{}: invalid UTF-8 at byte offset {first} ({} invalid sequence(s) replaced with U+FFFD)",
            input.display(),
            decoded.invalid_at.len()
        );
        tracing::warn!("{msg}");
        warnings.push(msg);
    }
    Ok((decoded.text, warnings))
}

/// Heuristic: a sample with NUL bytes or many control/invalid bytes is binary.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.is_empty() {
        return false;
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    let ctrl = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    let invalid = match std::str::from_utf8(sample) {
        Ok(_) => 0,
        Err(_) => String::from_utf8_lossy(sample).matches('\u{FFFD}').count(),
    };
    nul * 100 > sample.len() || (ctrl + invalid) * 10 > sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_detection() {
        assert!(looks_binary(&[0u8, 1, 2, 3, 0, 0, 255, 254, 0, 0]));
        assert!(!looks_binary("Syrian troops met Iraqi forces.".as_bytes()));
        let mut mostly_text = b"Iraqi forces captured the crossing. ".repeat(10);
        mostly_text.push(0xff);
        assert!(!looks_binary(&mostly_text));
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
}
