//! The sample articles bundled for `frontline demo`.
//!
//! About thirty short reports, written for this project in wire-story style, on fictional
//! events set in real places (Syria, Iraq, Yemen, Sudan, Ukraine, Burkina Faso, Somalia,
//! Niger). Most events are told by several outlets: a wire story, a syndicated copy, a reworded
//! copy, a state or party broadcaster in its own words, a monitor's claim; some disagree on the
//! toll or on who did it. Each file starts with `key: value` lines (`outlet`, `title`,
//! `published`, `url`), then a `---` line, then the body.

use chrono::NaiveDate;
use frontline_model::DocumentMeta;

/// One bundled article.
#[derive(Debug, Clone)]
pub struct Sample {
    /// File name inside `samples/`.
    pub file: &'static str,
    /// Outlet, title, date, URL.
    pub meta: DocumentMeta,
    /// The body text.
    pub text: String,
}

/// A sample file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("sample {file}: {problem}")]
pub struct SampleError {
    /// The file.
    pub file: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../samples/", $name)))),*]
    };
}

/// The raw sample files: (file name, contents).
pub const FILES: &[(&str, &str)] = bundled![
    "01-idlib-wire.txt",
    "02-idlib-syndicated.txt",
    "03-idlib-reworded.txt",
    "04-idlib-state.txt",
    "05-idlib-monitor.txt",
    "06-tarmiyah-wire.txt",
    "07-tarmiyah-reworded.txt",
    "08-tarmiyah-state.txt",
    "09-tarmiyah-claim.txt",
    "10-taiz-wire.txt",
    "11-taiz-syndicated.txt",
    "12-taiz-houthi.txt",
    "13-fasher-wire.txt",
    "14-fasher-reworded.txt",
    "15-fasher-monitor.txt",
    "16-fasher-rsf.txt",
    "17-kharkiv-wire.txt",
    "18-kharkiv-syndicated.txt",
    "19-kharkiv-russian.txt",
    "20-kharkiv-reworded.txt",
    "21-djibo-wire.txt",
    "22-djibo-state.txt",
    "23-djibo-reworded.txt",
    "24-mogadishu-wire.txt",
    "25-mogadishu-syndicated.txt",
    "26-mogadishu-hospital.txt",
    "27-basra-wire.txt",
    "28-basra-reworded.txt",
    "29-deir-wire.txt",
    "30-deir-state.txt",
    "31-niamey-wire.txt",
    "32-niamey-reworded.txt",
];

/// Parses one sample file.
pub fn parse(file: &'static str, contents: &str) -> Result<Sample, SampleError> {
    let err = |problem: String| SampleError { file, problem };
    let (head, body) = contents
        .split_once("\n---\n")
        .ok_or_else(|| err("no `---` line between the header and the body".into()))?;
    let mut meta = DocumentMeta::default();
    for (n, line) in head.lines().enumerate() {
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| err(format!("header line {}: expected `key: value`", n + 1)))?;
        let value = value.trim().to_string();
        match key.trim() {
            "outlet" => meta.outlet = Some(value),
            "title" => meta.title = Some(value),
            "url" => meta.url = Some(value),
            "published" => {
                let date = NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                    .map_err(|e| err(format!("published {value:?}: {e}")))?;
                meta.published_at = Some(date);
            }
            other => return Err(err(format!("unknown header key {other:?}"))),
        }
    }
    meta.language = Some("en".into());
    meta.origin = Some(frontline_model::Origin {
        format: "text".into(),
        path: Some(format!("samples/{file}")),
        ..Default::default()
    });
    Ok(Sample {
        file,
        meta,
        text: body.trim().to_string(),
    })
}

/// All bundled samples, parsed.
pub fn all() -> Result<Vec<Sample>, SampleError> {
    FILES.iter().map(|(f, c)| parse(f, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_parses_with_outlet_title_and_date() {
        let samples = all().unwrap();
        assert!(samples.len() >= 30);
        for s in &samples {
            assert!(s.meta.outlet.is_some(), "{}", s.file);
            assert!(s.meta.title.is_some(), "{}", s.file);
            assert!(s.meta.published_at.is_some(), "{}", s.file);
            assert!(s.text.len() > 100, "{}", s.file);
        }
    }

    #[test]
    fn every_file_in_the_folder_is_bundled() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        on_disk.sort();
        let bundled: Vec<String> = FILES.iter().map(|(f, _)| f.to_string()).collect();
        assert_eq!(on_disk, bundled);
    }

    #[test]
    fn bad_headers_are_reported_with_the_file() {
        let e = parse("x.txt", "outlet: A\npublished: 2025-13-01\n---\nbody").unwrap_err();
        assert!(e.to_string().contains("x.txt"));
        assert!(parse("y.txt", "no separator").is_err());
        assert!(parse("z.txt", "colour: red\n---\nbody").is_err());
    }
}
