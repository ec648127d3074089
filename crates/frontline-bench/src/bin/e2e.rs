//! `e2e`: the end-to-end benchmark. Generates a deterministic corpus in memory, runs the full
//! extraction pipeline over it (clean, boilerplate, sentences, times, quantities, geoparse,
//! actors, events) and optionally stores every extraction into a temporary SQLite database,
//! then prints articles/s, MB/s and peak RSS.
//!
//! Usage: `cargo run --release -p frontline-bench --bin e2e -- [--n 10000] [--seed 42]
//! [--threads 1] [--store]`

use std::process::ExitCode;
use std::time::{Duration, Instant};

use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;
use frontline_model::Extraction;
use rayon::prelude::*;

/// The same allocator as the `frontline` binary, so the figures are the shipped binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: e2e [--n N=10000] [--seed SEED=42] [--threads T=1] [--store]

Generates N wire-style articles in memory (deterministic for SEED), runs the full Frontline
pipeline on T threads and, with --store, stores each extraction in a temporary SQLite file.
Prints articles/s and MB/s (of raw article text) by wall time and by CPU time (user + system,
all threads; the fair figure on a shared machine), and peak RSS (VmHWM).";

/// Articles handed to the thread pool at a time (as `frontline extract` does).
const CHUNK: usize = 256;

struct Opts {
    n: usize,
    seed: u64,
    threads: usize,
    store: bool,
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        n: 10_000,
        seed: 42,
        threads: 1,
        store: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match a.as_str() {
            "--n" => o.n = num(&value("--n")?, "--n")?,
            "--seed" => o.seed = num(&value("--seed")?, "--seed")?,
            "--threads" => o.threads = num(&value("--threads")?, "--threads")?,
            "--store" => o.store = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    if o.threads == 0 {
        return Err("--threads must be at least 1".into());
    }
    Ok(o)
}

fn num<T: std::str::FromStr>(s: &str, name: &str) -> Result<T, String> {
    s.parse()
        .map_err(|_| format!("{name}: `{s}` is not a valid number"))
}

/// CPU time (user + system, all threads) this process has used so far, from
/// `/proc/self/stat`; on a shared machine it measures the work done, where wall time also
/// measures the wait for a core.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // fields after the command name (which may hold spaces) start at field 3 (state)
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    // the kernel reports USER_HZ ticks, 100 per second on Linux
    Some(Duration::from_millis(ticks * 10))
}

/// Peak resident set size in KiB (VmHWM), if the platform reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(o: &Opts) -> Result<(), String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(o.threads)
        .build()
        .map_err(|e| format!("thread pool: {e}"))?;

    let t = Instant::now();
    let articles: Vec<_> = frontline_bench::corpus(o.seed, o.n).collect();
    let gen_time = t.elapsed();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let mb = bytes as f64 / 1e6;

    let t = Instant::now();
    let geocoder = Geocoder::embedded().map_err(|e| format!("embedded gazetteer: {e}"))?;
    let pipeline = Pipeline::new(geocoder).map_err(|e| format!("pipeline: {e}"))?;
    let load_time = t.elapsed();

    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let store = if o.store {
        let path = dir.path().join("bench.sqlite");
        Some(frontline_store::Store::open(&path).map_err(|e| format!("{}: {e}", path.display()))?)
    } else {
        None
    };

    let mut extract_time = Duration::ZERO;
    let mut store_time = Duration::ZERO;
    let (mut extract_cpu, mut store_cpu) = (Duration::ZERO, Duration::ZERO);
    let cpu = || cpu_time().unwrap_or_default();
    let total_cpu = cpu();
    let (mut events, mut mentions, mut warnings) = (0usize, 0usize, 0usize);
    let total = Instant::now();
    for chunk in articles.chunks(CHUNK) {
        let (t, c) = (Instant::now(), cpu());
        // With --store, what storing needs besides the database is prepared with the
        // extraction, as `frontline ingest` does, so the store stage is the writer thread's work.
        let with_store = store.is_some();
        let (exs, prepared): (Vec<Extraction>, Vec<Option<frontline_store::Prepared>>) = pool
            .install(|| {
                chunk
                    .par_iter()
                    .map(|a| {
                        let ex = pipeline.extract(a.meta(), &a.text);
                        let prepared = with_store.then(|| frontline_store::Prepared::of(&ex));
                        (ex, prepared)
                    })
                    .unzip()
            });
        extract_time += t.elapsed();
        extract_cpu += cpu().saturating_sub(c);
        for ex in &exs {
            events += ex.events.len();
            mentions += ex.mentions.len();
            warnings += ex.warnings.len();
        }
        if let Some(s) = &store {
            let (t, c) = (Instant::now(), cpu());
            let prepared: Vec<frontline_store::Prepared> = prepared.into_iter().flatten().collect();
            s.put_prepared(&exs, &prepared)
                .map_err(|e| format!("store: {e}"))?;
            store_time += t.elapsed();
            store_cpu += cpu().saturating_sub(c);
        }
    }
    let total = total.elapsed();
    let total_cpu = cpu().saturating_sub(total_cpu);

    let secs = |d: Duration| d.as_secs_f64().max(1e-9);
    println!(
        "corpus: {} articles, {:.2} MB, seed {} (generated in {:.2}s, not timed)",
        o.n,
        mb,
        o.seed,
        gen_time.as_secs_f64()
    );
    println!(
        "setup: embedded gazetteer + pipeline loaded in {:.2}s (not timed)",
        load_time.as_secs_f64()
    );
    println!(
        "output: {events} events, {mentions} mentions, {warnings} warnings ({:.2} events/article)",
        events as f64 / o.n.max(1) as f64
    );
    println!("threads: {}", o.threads);
    println!(
        "| stage | wall s | articles/s (wall) | MB/s (wall) | CPU s | articles/CPU-s | MB/CPU-s |"
    );
    println!("|---|---|---|---|---|---|---|");
    let row = |name: &str, d: Duration, c: Duration| {
        println!(
            "| {name} | {:.2} | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} |",
            d.as_secs_f64(),
            o.n as f64 / secs(d),
            mb / secs(d),
            c.as_secs_f64(),
            o.n as f64 / secs(c),
            mb / secs(c),
        );
    };
    row("extract (full pipeline)", extract_time, extract_cpu);
    if store.is_some() {
        row("store (SQLite file, WAL)", store_time, store_cpu);
    }
    row("end to end", total, total_cpu);
    match peak_rss_kib() {
        Some(k) => println!("peak RSS (VmHWM): {:.0} MiB", k as f64 / 1024.0),
        None => println!("peak RSS: not available on this platform"),
    }
    Ok(())
}
