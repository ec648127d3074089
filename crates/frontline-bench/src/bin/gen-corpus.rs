//! `gen-corpus`: writes a deterministic wire-style corpus for benchmarks.
//!
//! Usage: `cargo run --release -p frontline-bench --bin gen-corpus -- OUT_DIR [N] [SEED]`
//! writes `OUT_DIR/article-NNNNNN.txt` files and `OUT_DIR/corpus.jsonl` (one JSON object per
//! article: id, outlet, published, title, text).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen-corpus OUT_DIR [N=10000] [SEED=42]\n\
                 Writes N deterministic wire-style articles (one .txt each) and corpus.jsonl.";
    let out = match frontline_bench::out_dir_arg(args.next(), usage) {
        Ok(out) => out,
        Err(code) => return code,
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(42);
    match write(&out, n, seed) {
        Ok(bytes) => {
            eprintln!(
                "wrote {n} articles ({:.1} MB) to {}",
                bytes as f64 / 1e6,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}

fn write(out: &PathBuf, n: usize, seed: u64) -> std::io::Result<usize> {
    std::fs::create_dir_all(out)?;
    let mut jsonl = std::io::BufWriter::new(std::fs::File::create(out.join("corpus.jsonl"))?);
    let mut bytes = 0;
    for a in frontline_bench::corpus(seed, n) {
        std::fs::write(out.join(format!("{}.txt", a.id)), &a.text)?;
        bytes += a.text.len();
        serde_json::to_writer(&mut jsonl, &a)?;
        jsonl.write_all(b"\n")?;
    }
    jsonl.flush()?;
    Ok(bytes)
}
