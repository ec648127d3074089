#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! Crash safety of `frontline ingest` (issue 7): the real binary is killed with SIGKILL at
//! random moments while it ingests a folder of generated articles. After every kill the
//! database must pass `PRAGMA integrity_check` and hold only whole batches; a final run must
//! complete, and the end state must have exactly the counts of one uninterrupted run on a
//! fresh database.
//!
//! The kill moments come from a seeded generator (`CRASH_SEED` overrides the seed, to explore
//! other moments), scaled by the duration of the clean run so that they land during the work
//! on fast and slow machines alike.

#![cfg(unix)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use frontline_store::{Store, StoreCounts};

/// Articles written as one `.txt` file each.
const TXT_ARTICLES: usize = 180;
/// Records per JSON Lines file (two files, two more outlets).
const JSONL_RECORDS: usize = 30;
/// Documents per committed batch (`--batch-size`).
const BATCH: u64 = 8;
/// Killed runs, one after the other on the same database.
const KILLS: usize = 4;
/// More killed runs, only while none of the first ones interrupted a run with the database
/// partly filled (a machine whose load changed since the clean run was timed).
const MAX_KILLS: usize = 10;
const DEFAULT_SEED: u64 = 0x5eed_c4a5;

/// SplitMix64: a small, seeded, reproducible generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// A fraction in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const TOWNS: &[&str] = &[
    "Aleppo",
    "Homs",
    "Idlib",
    "Raqqa",
    "Deir ez-Zor",
    "Mosul",
    "Kirkuk",
    "Ramadi",
    "Fallujah",
    "Tikrit",
    "Kandahar",
    "Kunduz",
    "Jalalabad",
    "Herat",
    "Ghazni",
    "Sanaa",
    "Taiz",
    "Aden",
    "Hodeidah",
    "Marib",
    "Mogadishu",
    "Kismayo",
    "Baidoa",
    "Maiduguri",
    "Gao",
    "Timbuktu",
    "Mopti",
    "Benghazi",
    "Sirte",
    "Misrata",
    "Donetsk",
    "Kharkiv",
    "Mariupol",
    "Goma",
    "Bunia",
    "Juba",
    "Malakal",
    "El Fasher",
    "Nyala",
    "Peshawar",
];
const ACTORS: &[&str] = &[
    "Government troops",
    "Rebel fighters",
    "Islamic State militants",
    "Taliban fighters",
    "Al-Shabaab militants",
    "Houthi forces",
    "Unidentified gunmen",
    "Army units",
    "Kurdish fighters",
    "Police officers",
    "Militiamen loyal to a local commander",
    "Separatist forces",
];
const ACTIONS: &[&str] = &[
    "attacked",
    "shelled",
    "ambushed",
    "raided",
    "stormed",
    "fired rockets at",
    "bombed",
    "opened fire on",
];
const TARGETS: &[&str] = &[
    "a police checkpoint",
    "an army post",
    "a crowded market",
    "a village",
    "a supply convoy",
    "a military base",
    "a camp for displaced families",
    "a border crossing",
    "the central prison",
    "a fuel depot",
];
const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const SOURCES: &[&str] = &[
    "a local official said",
    "the health ministry said",
    "a war monitor reported",
    "hospital staff said",
    "a spokesman for the provincial governor said",
    "residents told reporters",
    "a security source said",
];
/// Background sentences with their own vocabulary, so that unrelated articles stay apart in
/// the store's copy detection and only the deliberate rewrites below become one story.
const BACKGROUND: &[&str] = &[
    "Farmers in the surrounding valley have struggled to bring their harvest to market since the spring floods washed away two bridges.",
    "Electricity returned to the northern districts last week after engineers repaired a transformer station.",
    "Aid agencies warned that cholera cases had doubled in crowded shelters along the river.",
    "Negotiators are due to meet again in Geneva, although neither delegation has confirmed attendance.",
    "Schools reopened in October, but teachers complain that salaries arrive months late.",
    "The price of bread has tripled since the currency collapsed, shopkeepers said.",
    "A ceasefire brokered by tribal elders broke down within days.",
    "Mobile phone networks were cut for several hours, making casualty figures hard to verify.",
    "Thousands of families fled toward the coast, carrying what little they could on trucks and carts.",
    "The United Nations envoy urged restraint and called for an independent inquiry.",
    "Local journalists said the road to the airport remained closed to civilian traffic.",
    "Engineers were still clearing rubble from the old souk, where several shops collapsed.",
    "A drought has emptied wells across the plateau, forcing herders to sell livestock cheaply.",
    "Election officials postponed voting in three constituencies, citing insecurity.",
    "Doctors at the only functioning clinic said they were running out of anaesthetics and blood bags.",
    "The governor imposed a night curfew and banned motorcycles from the city centre.",
    "Prisoners' relatives gathered outside the courthouse demanding news of detainees.",
    "Smugglers have long used the desert tracks to move fuel, cigarettes and migrants.",
    "A football stadium on the outskirts has been turned into a depot for relief supplies.",
    "Fishermen said patrol boats had stopped them from leaving the harbour for a week.",
];
const OUTLET_TXT: &str = "Plains Wire";
const JSONL_OUTLETS: [&str; 2] = ["Coast Radio", "Valley Monitor"];

/// The facts of one generated report.
#[derive(Clone)]
struct Facts {
    actor: &'static str,
    action: &'static str,
    target: &'static str,
    town: &'static str,
    day: &'static str,
    killed: usize,
    wounded: usize,
    source: &'static str,
}

fn facts(rng: &mut Rng) -> Facts {
    Facts {
        actor: rng.pick(ACTORS),
        action: rng.pick(ACTIONS),
        target: rng.pick(TARGETS),
        town: rng.pick(TOWNS),
        day: rng.pick(DAYS),
        killed: 1 + rng.below(30),
        wounded: rng.below(60),
        source: rng.pick(SOURCES),
    }
}

fn article(rng: &mut Rng, f: &Facts, n: usize, rewrite: bool) -> String {
    let mut s = String::new();
    if rewrite {
        // Same facts, different words: a rewrite by another outlet.
        let _ = write!(
            s,
            "At least {} people died on {} when {} {} {} in {}, {}. ",
            f.killed,
            f.day,
            f.actor.to_lowercase(),
            f.action,
            f.target,
            f.town,
            f.source
        );
        let _ = write!(s, "Another {} were hurt. ", f.wounded);
    } else {
        let _ = write!(
            s,
            "{} {} {} in {} on {}, killing {} people and wounding {}, {}. ",
            f.actor, f.action, f.target, f.town, f.day, f.killed, f.wounded, f.source
        );
    }
    for _ in 0..2 {
        s.push_str(rng.pick(BACKGROUND));
        s.push(' ');
    }
    // A serial number keeps every text distinct, so no document is an exact repeat.
    let _ = write!(s, "(Report {n}.)");
    s
}

/// Writes the corpus: `TXT_ARTICLES` text files, then two JSON Lines files whose records are
/// partly rewrites of earlier text articles (copies and cross-outlet fusion) and partly new.
fn write_corpus(dir: &Path) -> u64 {
    let mut rng = Rng(0x0a47_c1e5);
    let mut all = Vec::new();
    for i in 0..TXT_ARTICLES {
        let f = facts(&mut rng);
        let text = article(&mut rng, &f, i, false);
        std::fs::write(dir.join(format!("a{i:04}.txt")), text).unwrap();
        all.push(f);
    }
    let mut n = TXT_ARTICLES;
    for (k, outlet) in JSONL_OUTLETS.iter().enumerate() {
        let mut lines = String::new();
        for j in 0..JSONL_RECORDS {
            let (f, rewrite) = if j % 2 == 0 {
                (all[rng.below(all.len())].clone(), true)
            } else {
                (facts(&mut rng), false)
            };
            let text = article(&mut rng, &f, n, rewrite);
            n += 1;
            let rec = serde_json::json!({
                "text": text,
                "outlet": outlet,
                "published": format!("2024-02-{:02}", 10 + (j % 5)),
                "url": format!("https://example.invalid/{k}/{j}"),
            });
            lines.push_str(&rec.to_string());
            lines.push('\n');
        }
        std::fs::write(dir.join(format!("z{k}.jsonl")), lines).unwrap();
    }
    n as u64
}

fn ingest(db: &Path, corpus: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_frontline"));
    c.env_remove("FRONTLINE_DB")
        .env_remove("FRONTLINE_GAZETTEER")
        .env("RAYON_NUM_THREADS", "2")
        .args([
            "-q",
            "ingest",
            "--published",
            "2024-02-12",
            "--outlet",
            OUTLET_TXT,
            "--batch-size",
            &BATCH.to_string(),
            "--db",
        ])
        .arg(db)
        .arg(corpus)
        .stdin(Stdio::null());
    c
}

fn run_to_completion(db: &Path, corpus: &Path) -> StoreCounts {
    let out = ingest(db, corpus).output().unwrap();
    assert!(
        out.status.success(),
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    counts(db)
}

fn counts(db: &Path) -> StoreCounts {
    let store = Store::open(db).unwrap();
    let problems = store.integrity_check().unwrap();
    assert_eq!(problems, vec!["ok".to_string()], "integrity_check");
    store.counts().unwrap()
}

fn kill_after(mut child: Child, wait: Duration) -> bool {
    let deadline = Instant::now() + wait;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false; // finished before the kill
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    true
}

#[test]
fn sigkilled_ingest_leaves_a_sound_database_and_resumes_to_a_clean_runs_counts() {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("articles");
    std::fs::create_dir(&corpus).unwrap();
    let total = write_corpus(&corpus);

    // The reference: one clean run on a fresh database.
    let clean_db: PathBuf = dir.path().join("clean.db");
    let started = Instant::now();
    let clean = run_to_completion(&clean_db, &corpus);
    let clean_time = started.elapsed();
    assert_eq!(clean.documents, total, "{clean:?}");
    assert!(clean.events > 0 && clean.fused_events > 0, "{clean:?}");
    assert!(
        clean.stories < clean.documents,
        "the rewrites should be filed as copies: {clean:?}"
    );

    // Killed runs, one after another on the same database: each resumes what the previous
    // one left and is killed in turn, at a moment drawn between 45% and 100% of the clean
    // run's duration (loading the gazetteer takes the first part of a run). When a run
    // finishes before its kill (the clean run, the first, can be the slowest), the span the
    // moments are drawn from shrinks, so that later kills land in the middle of real work.
    let mut span = clean_time;
    let db = dir.path().join("killed.db");
    let mut rng = Rng(seed);
    let mut log = Vec::new();
    let mut mid_run_kills = 0;
    for k in 0..MAX_KILLS {
        if k >= KILLS && mid_run_kills > 0 {
            break;
        }
        if db.exists() && counts(&db).documents == total {
            // A run finished before its kill: start again from nothing, so that the next
            // kills land in the middle of real work.
            for suffix in ["", "-wal", "-shm"] {
                let mut p = db.clone().into_os_string();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
            log.push("(complete: fresh database)".to_string());
            span = span.mul_f64(0.75);
        }
        let wait = span.mul_f64(0.45 + 0.55 * rng.unit());
        let child = ingest(&db, &corpus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let killed = kill_after(child, wait);
        let after = if db.exists() {
            counts(&db) // integrity_check inside
        } else {
            StoreCounts::default()
        };
        log.push(format!(
            "kill {k}: after {} ms, killed: {killed}, documents stored: {}",
            wait.as_millis(),
            after.documents
        ));
        // Every batch is committed whole (or not at all): only the last batch may be short.
        assert!(
            after.documents % BATCH == 0 || after.documents == total,
            "a batch was half written: {after:?}\n{}",
            log.join("\n")
        );
        if killed && after.documents > 0 && after.documents < total {
            mid_run_kills += 1;
        }
    }
    eprintln!(
        "seed {seed:#x}, clean run {clean_time:?}: {clean:?}\n{}",
        log.join("\n")
    );
    assert!(
        mid_run_kills > 0,
        "no kill interrupted a run with the database partly filled; the test proved nothing:\n{}",
        log.join("\n")
    );

    // Resume to completion: the same counts as the clean run.
    let resumed = run_to_completion(&db, &corpus);
    assert_eq!(resumed, clean, "resumed vs clean\n{}", log.join("\n"));
}
