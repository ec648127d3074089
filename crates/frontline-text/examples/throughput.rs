//! Measures cleaning, boilerplate detection, sentence splitting and tokenising throughput on a
//! generated text (50 MB by default; pass another size in MB as the first argument).
//!
//! `cargo run --release -p frontline-text --example throughput [MB]`

use std::io::Write;
use std::time::Instant;

use frontline_text::{Span, analysed_regions, clean, detect_boilerplate, sentences, tokens};

/// Pieces of wire-style text, with the typographic punctuation, odd spaces and scripts the
/// cleaner has to handle.
const PIECES: &[&str] = &[
    "Government forces shelled the eastern districts on Tuesday,\u{a0}residents said. ",
    "\u{201c}We could not reach the wounded,\u{201d} a medic told reporters. ",
    "BEIRUT (AP) \u{2014} Rebel fighters withdrew from two hilltop villages overnight. ",
    "Lt. Gen. Nasser met U.S. and U.N. envoys on Sept. 3 to discuss a truce\u{2026} ",
    "At least 25,000 square kilometers (9,600 square miles) changed hands in 2016. ",
    "\u{642}\u{627}\u{644} \u{645}\u{633}\u{624}\u{648}\u{644} \u{625}\u{646} \u{627}\u{644}\u{642}\u{648}\u{627}\u{62a} \u{62a}\u{642}\u{62f}\u{645}\u{62a}. ",
    "The convoy\u{200b} of 1.5 tonnes of aid reached the town\u{2019}s outskirts.\r\n",
    "\r\n\r\n",
    "Share this:\nFacebook | Twitter\n",
    "Caf\u{65}\u{301} owners in the old city \u{2013} once crowded \u{2013} stayed shut.  \t ",
];

fn generate(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 256);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    while out.len() < bytes {
        // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let k = usize::try_from(state % PIECES.len() as u64).unwrap_or(0);
        out.push_str(PIECES[k]);
    }
    out
}

fn mbps(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / 1_000_000.0 / secs.max(1e-9)
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    // Quiet on a closed pipe: write errors are ignored.
    let mut out = std::io::stdout().lock();
    let raw = generate(mb * 1_000_000);
    let n = raw.len();
    let _ = writeln!(out, "input: {:.1} MB", n as f64 / 1e6);

    let t = Instant::now();
    let cleaned = clean(&raw);
    let secs = t.elapsed().as_secs_f64();
    let _ = writeln!(out, "clean:       {secs:7.3} s  {:8.1} MB/s", mbps(n, secs));
    let text = &cleaned.text;

    let t = Instant::now();
    let blocks = detect_boilerplate(text);
    let regions = analysed_regions(text.len(), &blocks);
    let secs = t.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "boilerplate: {secs:7.3} s  {:8.1} MB/s  ({} blocks)",
        mbps(text.len(), secs),
        blocks.len()
    );

    let t = Instant::now();
    let sents: Vec<Span> = regions.iter().flat_map(|r| sentences(text, *r)).collect();
    let secs = t.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "sentences:   {secs:7.3} s  {:8.1} MB/s  ({} sentences)",
        mbps(text.len(), secs),
        sents.len()
    );

    let t = Instant::now();
    let count: usize = sents.iter().map(|s| tokens(text, *s).len()).sum();
    let secs = t.elapsed().as_secs_f64();
    let _ = writeln!(
        out,
        "tokens:      {secs:7.3} s  {:8.1} MB/s  ({count} tokens)",
        mbps(text.len(), secs)
    );

    let t = Instant::now();
    let last = Span::new(text.len().saturating_sub(10), text.len());
    let raw_span = cleaned.raw_span(last);
    let secs = t.elapsed().as_secs_f64();
    let _ = writeln!(out, "raw_span lookup: {:.1} us -> {raw_span:?}", secs * 1e6);
}
