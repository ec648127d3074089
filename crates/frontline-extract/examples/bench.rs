//! Single-thread throughput of the full pipeline (cleaning, geocoding, actors, events).
//!
//! `cargo run --release -p frontline-extract --example bench -- CORPUS.jsonl [ROUNDS]`
//! where each line has `text` and optionally `published` (YYYY-MM-DD), e.g. the output of
//! `cargo run --release -p frontline-bench --bin gen-corpus`.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs
)]

use std::time::Instant;

use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;
use frontline_model::DocumentMeta;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("CORPUS.jsonl");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let docs: Vec<(String, Option<chrono::NaiveDate>)> = std::fs::read_to_string(&path)
        .expect("readable corpus")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| {
            let text = v["text"].as_str().unwrap_or("").to_string();
            let published = v["published"]
                .as_str()
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            (text, published)
        })
        .collect();
    let t0 = Instant::now();
    // NOGEO=1 measures everything but geocoding, to see where the time goes
    let p = if std::env::var("NOGEO").is_ok() {
        Pipeline::without_geocoder().expect("pipeline")
    } else {
        Pipeline::new(Geocoder::embedded().expect("gazetteer")).expect("pipeline")
    };
    println!("pipeline built in {:.2}s", t0.elapsed().as_secs_f64());
    // warm-up
    for (text, published) in docs.iter().take(20) {
        let meta = DocumentMeta {
            published_at: *published,
            ..DocumentMeta::default()
        };
        let _ = p.extract(meta, text);
    }
    let bytes: usize = docs.iter().map(|d| d.0.len()).sum::<usize>() * rounds;
    let (mut sentences, mut events, mut mentions) = (0usize, 0usize, 0usize);
    let t = Instant::now();
    for _ in 0..rounds {
        for (text, published) in &docs {
            let meta = DocumentMeta {
                published_at: *published,
                ..DocumentMeta::default()
            };
            let ex = p.extract(meta, text);
            sentences += ex.sentences.len();
            events += ex.events.len();
            mentions += ex.mentions.len();
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let n = docs.len() * rounds;
    println!(
        "{n} articles, {sentences} sentences, {mentions} mentions, {events} events in {secs:.2}s on one thread"
    );
    println!(
        "{:.0} articles/s, {:.0} sentences/s, {:.2} MB/s",
        n as f64 / secs,
        sentences as f64 / secs,
        bytes as f64 / secs / 1e6
    );
}
