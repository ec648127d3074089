//! Geoparses every file of a corpus directory on one thread and reports the speed.
//!
//! `cargo run --release -p frontline-geocode --example geoparse_corpus -- DIR [OUT]`
//!
//! Files named 0, 1, 2, ... are read in numeric order (other names in name order). With OUT,
//! the toponyms are written one line per document in the EUPEG line format (code-point
//! offsets), the format `frontline eval geo` scores.
#![allow(clippy::print_stdout, missing_docs)]

use std::time::Instant;

use frontline_geocode::Geocoder;
use frontline_text::Span;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: geoparse_corpus DIR [OUT]")?;
    let out = args.next();
    let t_load = Instant::now();
    let geo = Geocoder::embedded()?;
    let load = t_load.elapsed();
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort_by_key(|p| {
        let n = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        (n.parse::<u64>().unwrap_or(u64::MAX), n)
    });
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read(p).map(|b| String::from_utf8_lossy(&b).into_owned()))
        .collect::<Result<_, _>>()?;
    let bytes: usize = texts.iter().map(String::len).sum();
    let t0 = Instant::now();
    let mut lines = Vec::with_capacity(texts.len());
    let mut n_top = 0usize;
    for text in &texts {
        let sentences = frontline_text::sentences(text, Span::new(0, text.len()));
        let tops = geo.geoparse(text, &sentences, &[]);
        n_top += tops.len();
        if out.is_some() {
            let co = |b: usize| text[..b].chars().count();
            let mut line = String::new();
            for t in &tops {
                let f = |v: Option<f64>| v.map(|x| format!("{x:.5}")).unwrap_or_default();
                let clean = |s: &str| {
                    s.replace(",,", ", ")
                        .replace("||", "| ")
                        .replace(['\n', '\r'], " ")
                };
                line.push_str(&format!(
                    "{},,{},,{},,{},,{},,{}||",
                    clean(&t.place.name),
                    clean(&text[t.span.range()]),
                    f(t.place.lat),
                    f(t.place.lon),
                    co(t.span.start),
                    co(t.span.end)
                ));
            }
            lines.push(line);
        }
    }
    let el = t0.elapsed().as_secs_f64();
    if let Some(out) = out {
        std::fs::write(out, lines.join("\n") + "\n")?;
    }
    println!(
        "{} documents ({:.1} MB), {} toponyms in {:.3}s on one thread: {:.0} documents/s, {:.2} MB/s; gazetteer ready in {:.2}s",
        texts.len(),
        bytes as f64 / 1e6,
        n_top,
        el,
        texts.len() as f64 / el,
        bytes as f64 / 1e6 / el,
        load.as_secs_f64()
    );
    Ok(())
}
