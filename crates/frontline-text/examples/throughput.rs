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

/// CPU time (user + system) of this process so far, from `/proc/self/stat` (Linux; USER_HZ
/// is 100 there). On a shared machine wall-clock time mostly measures the neighbours.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Runs `f`, printing wall-clock and CPU throughput for `bytes` of input.
fn timed<T>(out: &mut impl Write, what: &str, bytes: usize, f: impl FnOnce() -> T) -> T {
    let cpu0 = cpu_seconds();
    let t = Instant::now();
    let r = f();
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let cpu_txt = cpu.map_or_else(String::new, |c| {
        format!("  cpu {c:6.2} s  {:8.1} MB/s", mbps(bytes, c))
    });
    let _ = writeln!(
        out,
        "{what:<12} wall {wall:6.2} s  {:8.1} MB/s{cpu_txt}",
        mbps(bytes, wall)
    );
    r
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

    let cleaned = timed(&mut out, "clean", n, || clean(&raw));
    let text = &cleaned.text;
    let blocks = timed(&mut out, "boilerplate", text.len(), || {
        detect_boilerplate(text)
    });
    let regions = analysed_regions(text.len(), &blocks);
    let sents: Vec<Span> = timed(&mut out, "sentences", text.len(), || {
        regions.iter().flat_map(|r| sentences(text, *r)).collect()
    });
    let count: usize = timed(&mut out, "tokens", text.len(), || {
        sents.iter().map(|s| tokens(text, *s).len()).sum()
    });
    let _ = writeln!(
        out,
        "{} boilerplate blocks, {} sentences, {count} tokens",
        blocks.len(),
        sents.len()
    );

    let t = Instant::now();
    let last = Span::new(text.len().saturating_sub(10), text.len());
    let raw_span = cleaned.raw_span(last);
    let secs = t.elapsed().as_secs_f64();
    let _ = writeln!(out, "raw_span lookup: {:.1} us -> {raw_span:?}", secs * 1e6);
}
