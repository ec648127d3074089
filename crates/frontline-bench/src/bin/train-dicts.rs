//! `train-dicts`: trains the zstd dictionaries that the store compresses its JSON columns with.
//!
//! Usage: `cargo run --release -p frontline-bench --bin train-dicts -- OUT_DIR [N=4000] [SEED=7]`
//!
//! Runs the extraction pipeline over N articles of the deterministic synthetic corpus (this
//! crate's generator, written for the project), collects the JSON the store writes for each
//! event (`events.data`) and each document's mentions (`document_mentions.data`), trains one
//! dictionary for each, and writes `OUT_DIR/events.zdict` and `OUT_DIR/mentions.zdict`. It
//! prints how well each compresses the samples it was not trained on.
//!
//! A shipped dictionary never changes (stored values name it by id): to ship new ones, add them
//! to `crates/frontline-store/dicts/` under new ids and append them to
//! `frontline_store::codec::DICTIONARIES`.

use std::process::ExitCode;

use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;
use rayon::prelude::*;

/// Dictionary size: 16 KiB compressed held-out real news as well as 32, 64 or 112 KiB did.
const DICT_BYTES: usize = 16 * 1024;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let usage = "usage: train-dicts OUT_DIR [N=4000] [SEED=7]\n\
                 Trains the store's zstd dictionaries on N synthetic articles and writes\n\
                 OUT_DIR/events.zdict and OUT_DIR/mentions.zdict.";
    let out = match frontline_bench::out_dir_arg(args.next(), usage) {
        Ok(out) => out,
        Err(code) => return code,
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(4000);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(7);
    match run(&out, n, seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(out: &std::path::Path, n: usize, seed: u64) -> Result<(), String> {
    let geocoder = Geocoder::embedded().map_err(|e| format!("embedded gazetteer: {e}"))?;
    let pipeline = Pipeline::new(geocoder).map_err(|e| format!("pipeline: {e}"))?;
    let articles: Vec<_> = frontline_bench::corpus(seed, n).collect();
    let samples: Vec<frontline_store::codec::TrainingSamples> = articles
        .par_iter()
        .map(|a| {
            let ex = pipeline.extract(a.meta(), &a.text);
            frontline_store::codec::training_samples(&ex)
                .map_err(|e| format!("article {}: {e}", a.id))
        })
        .collect::<Result<_, _>>()?;
    let events: Vec<&[u8]> = samples
        .iter()
        .flat_map(|s| s.events.iter().map(|e| e.as_bytes()))
        .collect();
    let mentions: Vec<&[u8]> = samples.iter().map(|s| s.mentions.as_bytes()).collect();
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (name, rows) in [("events", events), ("mentions", mentions)] {
        // Train on four fifths, report the ratio on the rest.
        let split = rows.len() * 4 / 5;
        let (train, held) = rows.split_at(split);
        let dict = zstd::dict::from_samples(train, DICT_BYTES)
            .map_err(|e| format!("training the {name} dictionary: {e}"))?;
        let mut plain = zstd::bulk::Compressor::new(3).map_err(|e| e.to_string())?;
        let mut with =
            zstd::bulk::Compressor::with_dictionary(3, &dict).map_err(|e| e.to_string())?;
        let (mut raw, mut alone, mut packed) = (0usize, 0usize, 0usize);
        for row in held {
            raw += row.len();
            alone += plain.compress(row).map_err(|e| e.to_string())?.len();
            packed += with.compress(row).map_err(|e| e.to_string())?.len();
        }
        let path = out.join(format!("{name}.zdict"));
        std::fs::write(&path, &dict).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!(
            "{name}: {} samples, dictionary {} bytes -> {}; held-out {} samples: {:.2}x alone, {:.2}x with it",
            train.len(),
            dict.len(),
            path.display(),
            held.len(),
            raw as f64 / alone.max(1) as f64,
            raw as f64 / packed.max(1) as f64,
        );
    }
    Ok(())
}
