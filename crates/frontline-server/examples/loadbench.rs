//! Load benchmark of `GET /api/events` (and `/api/stats`) with a bbox and a time filter, on
//! loopback.
//!
//! First builds (or reuses) a database of synthetic fused events, written in bulk through the
//! store ([`Store::insert_fused_events`]: one transaction per 100,000 events), then serves it
//! in-process with the real router and drives it with a small keep-alive HTTP/1.1 client:
//!
//! ```sh
//! cargo run --release -p frontline-server --example loadbench -- \
//!     --db /tmp/bench-1m.db --events 1000000 --box country --window 30 --concurrency 2
//! ```
//!
//! The events are deterministic (`--seed`): 2017-2025, clustered around 33 real conflict areas
//! with bursts of activity, PLOVER types with ACLED types, actors, outlets and source counts.
//! Each request asks for a box of the chosen size centred near one of those areas (so answers
//! are not empty) and a window of `--window` days, `limit=100`. Prints p50/p90/p99 latency,
//! requests per second and the mean `total` of the answers; `--explain` prints SQLite's plan for
//! a typical request first.

#![allow(clippy::print_stdout, missing_docs)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use frontline_model::{AcledType, ActorType, GeoPrecision, Modality, PloverType, TimePrecision};
use frontline_server::{AppState, ConnectionLimits, ServerConfig, router, serve_with};
use frontline_store::{BBox, EventFilter, FusedActor, FusedEvent, FusedLocation, Store};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

struct Opts {
    db: PathBuf,
    events: u64,
    seed: u64,
    requests: u64,
    seconds: u64,
    concurrency: usize,
    connections: usize,
    box_deg: f64,
    box_name: String,
    window: u64,
    plover: Option<String>,
    endpoint: String,
    explain: bool,
    build_only: bool,
}

const HELP: &str = "loadbench: load benchmark of /api/events on loopback

options:
  --db PATH            database (built if it has fewer than --events fused events)
  --events N           synthetic fused events to build (default 1000000)
  --seed N             generator seed (default 42)
  --build-only         build the database and stop
  --box SIZE           city (0.5 deg), country (5 deg), region (20 deg), world, or degrees
  --window DAYS        days between since and until, inclusive (default 30; 0 = no date filter)
  --type T             add type=T (a PLOVER type)
  --endpoint E         events (default) or stats
  --requests N         requests in all (default 2000)
  --seconds N          stop each client after N seconds even if requests remain (0: never)
  --concurrency N      client connections, each one request at a time (default 2)
  --connections N      database connections of the server (default: --concurrency, at most 8)
  --explain            print SQLite's query plan for a typical request";

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        db: std::env::temp_dir().join("frontline-bench.db"),
        events: 1_000_000,
        seed: 42,
        requests: 2_000,
        seconds: 0,
        concurrency: 2,
        connections: 0,
        box_deg: 5.0,
        box_name: "country".into(),
        window: 30,
        plover: None,
        endpoint: "events".into(),
        explain: false,
        build_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        let num = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{v:?} is not a whole number"))
        };
        match a.as_str() {
            "--db" => o.db = PathBuf::from(val()?),
            "--events" => o.events = num(val()?)?,
            "--seed" => o.seed = num(val()?)?,
            "--requests" => o.requests = num(val()?)?,
            "--seconds" => o.seconds = num(val()?)?,
            "--concurrency" => o.concurrency = num(val()?)?.max(1) as usize,
            "--connections" => o.connections = num(val()?)? as usize,
            "--window" => o.window = num(val()?)?,
            "--type" => o.plover = Some(val()?),
            "--endpoint" => o.endpoint = val()?,
            "--explain" => o.explain = true,
            "--build-only" => o.build_only = true,
            "--box" => {
                let v = val()?;
                o.box_deg = match v.as_str() {
                    "city" => 0.5,
                    "country" => 5.0,
                    "region" => 20.0,
                    "world" => 360.0,
                    deg => deg
                        .parse::<f64>()
                        .ok()
                        .filter(|d| *d > 0.0)
                        .ok_or_else(|| {
                            format!("--box {deg:?}: city, country, region, world or degrees")
                        })?,
                };
                o.box_name = v;
            }
            "-h" | "--help" => return Err(HELP.into()),
            other => return Err(format!("unknown option {other}\n\n{HELP}")),
        }
    }
    if !matches!(o.endpoint.as_str(), "events" | "stats") {
        return Err(format!("--endpoint {:?}: events or stats", o.endpoint));
    }
    if o.connections == 0 {
        o.connections = o.concurrency.min(8);
    }
    Ok(o)
}

/// A tiny deterministic PRNG (xorshift64*), so runs are repeatable.
struct Rng(u64);
impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Standard normal (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
    /// Index into `weights`, chosen in proportion to them.
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// A conflict area: centre (a real city), spread, relative weight, active years, and the
/// country's ISO2 code, state forces and a non-state group (codes in CAMEO style).
struct Area {
    name: &'static str,
    admin1: &'static str,
    cc: &'static str,
    lat: f64,
    lon: f64,
    sigma: f64,
    weight: f64,
    years: (i32, i32),
    state: (&'static str, &'static str),
    group: (&'static str, &'static str),
}

#[allow(clippy::too_many_arguments)]
const fn area(
    name: &'static str,
    admin1: &'static str,
    cc: &'static str,
    (lat, lon): (f64, f64),
    sigma: f64,
    weight: f64,
    years: (i32, i32),
    state: (&'static str, &'static str),
    group: (&'static str, &'static str),
) -> Area {
    Area {
        name,
        admin1,
        cc,
        lat,
        lon,
        sigma,
        weight,
        years,
        state,
        group,
    }
}

#[rustfmt::skip]
const AREAS: &[Area] = &[
    area("Aleppo", "Aleppo", "SY", (36.20, 37.16), 0.4, 6.0, (2017, 2025), ("SYRMIL", "Syrian military"), ("SYRREB", "Syrian rebels")),
    area("Idlib", "Idlib", "SY", (35.93, 36.63), 0.3, 6.0, (2017, 2025), ("SYRMIL", "Syrian military"), ("SYRREB", "Syrian rebels")),
    area("Deir ez-Zor", "Deir ez-Zor", "SY", (35.34, 40.14), 0.6, 3.0, (2017, 2025), ("SYRMIL", "Syrian military"), ("IMGMUSISI", "Islamic State")),
    area("Mosul", "Nineveh", "IQ", (36.34, 43.13), 0.5, 3.0, (2017, 2021), ("IRQMIL", "Iraqi military"), ("IMGMUSISI", "Islamic State")),
    area("Baghdad", "Baghdad", "IQ", (33.31, 44.37), 0.3, 2.0, (2017, 2025), ("IRQCOP", "Iraqi police"), ("IRQOPP", "Iraqi protesters")),
    area("Donetsk", "Donetsk", "UA", (48.00, 37.80), 0.7, 10.0, (2017, 2025), ("UKRMIL", "Ukrainian military"), ("RUSMIL", "Russian military")),
    area("Kharkiv", "Kharkiv", "UA", (49.99, 36.23), 0.6, 6.0, (2022, 2025), ("UKRMIL", "Ukrainian military"), ("RUSMIL", "Russian military")),
    area("Kherson", "Kherson", "UA", (46.64, 32.61), 0.6, 5.0, (2022, 2025), ("UKRMIL", "Ukrainian military"), ("RUSMIL", "Russian military")),
    area("Zaporizhzhia", "Zaporizhzhia", "UA", (47.84, 35.14), 0.6, 4.0, (2022, 2025), ("UKRMIL", "Ukrainian military"), ("RUSMIL", "Russian military")),
    area("Sanaa", "Amanat al Asimah", "YE", (15.37, 44.19), 0.5, 3.0, (2017, 2025), ("YEMMIL", "Yemeni military"), ("YEMREBHOU", "Houthi forces")),
    area("Taiz", "Taiz", "YE", (13.58, 44.02), 0.4, 3.0, (2017, 2025), ("YEMMIL", "Yemeni military"), ("YEMREBHOU", "Houthi forces")),
    area("Hodeidah", "Al Hudaydah", "YE", (14.80, 42.95), 0.4, 2.0, (2017, 2025), ("YEMMIL", "Yemeni military"), ("YEMREBHOU", "Houthi forces")),
    area("Khartoum", "Khartoum", "SD", (15.50, 32.56), 0.4, 4.0, (2019, 2025), ("SDNMIL", "Sudanese Armed Forces"), ("SDNREBRSF", "Rapid Support Forces")),
    area("El Fasher", "North Darfur", "SD", (13.63, 25.35), 0.7, 3.0, (2017, 2025), ("SDNMIL", "Sudanese Armed Forces"), ("SDNREBRSF", "Rapid Support Forces")),
    area("Gao", "Gao", "ML", (16.27, -0.04), 1.0, 2.0, (2017, 2025), ("MLIMIL", "Malian military"), ("IMGMUSJNI", "JNIM")),
    area("Mopti", "Mopti", "ML", (14.49, -4.20), 0.8, 2.0, (2017, 2025), ("MLIMIL", "Malian military"), ("IMGMUSJNI", "JNIM")),
    area("Djibo", "Sahel", "BF", (14.10, -1.63), 0.8, 2.5, (2018, 2025), ("BFAMIL", "Burkinabe military"), ("IMGMUSJNI", "JNIM")),
    area("Maiduguri", "Borno", "NG", (11.85, 13.16), 0.8, 3.0, (2017, 2025), ("NGAMIL", "Nigerian military"), ("IMGMUSBOK", "Boko Haram")),
    area("Zamfara", "Zamfara", "NG", (12.17, 6.25), 0.8, 2.0, (2019, 2025), ("NGACOP", "Nigerian police"), ("NGAREBBAN", "armed bandits")),
    area("Mogadishu", "Banaadir", "SO", (2.04, 45.34), 0.5, 3.0, (2017, 2025), ("SOMMIL", "Somali military"), ("IMGMUSSHB", "al-Shabaab")),
    area("Goma", "North Kivu", "CD", (-1.68, 29.22), 0.6, 3.0, (2017, 2025), ("CODMIL", "Congolese military"), ("CODREBM23", "M23")),
    area("Bunia", "Ituri", "CD", (1.56, 30.25), 0.5, 2.0, (2017, 2025), ("CODMIL", "Congolese military"), ("CODREBCDC", "CODECO")),
    area("Mandalay", "Mandalay", "MM", (21.97, 96.08), 0.8, 2.5, (2021, 2025), ("MMRMIL", "Myanmar military"), ("MMRREBPDF", "People's Defence Force")),
    area("Sittwe", "Rakhine", "MM", (20.15, 92.90), 0.6, 1.5, (2017, 2025), ("MMRMIL", "Myanmar military"), ("MMRREBAA", "Arakan Army")),
    area("Kandahar", "Kandahar", "AF", (31.61, 65.70), 0.6, 2.0, (2017, 2021), ("AFGMIL", "Afghan military"), ("AFGREBTAL", "Taliban")),
    area("Kabul", "Kabul", "AF", (34.53, 69.17), 0.3, 2.0, (2017, 2025), ("AFGGOV", "Afghan government"), ("IMGMUSISK", "Islamic State Khorasan")),
    area("Gaza", "Gaza", "PS", (31.45, 34.40), 0.12, 5.0, (2017, 2025), ("ISRMIL", "Israeli military"), ("PSEREBHAM", "Hamas")),
    area("Mekelle", "Tigray", "ET", (13.50, 39.47), 0.6, 2.0, (2020, 2023), ("ETHMIL", "Ethiopian military"), ("ETHREBTPL", "Tigray forces")),
    area("Tripoli", "Tripoli", "LY", (32.89, 13.19), 0.3, 1.5, (2017, 2025), ("LBYMIL", "Libyan forces"), ("LBYREBLNA", "Libyan National Army")),
    area("Culiacan", "Sinaloa", "MX", (24.80, -107.39), 0.5, 1.5, (2017, 2025), ("MEXMIL", "Mexican military"), ("MEXCRMCAR", "drug cartel")),
    area("Port-au-Prince", "Ouest", "HT", (18.54, -72.34), 0.15, 1.5, (2019, 2025), ("HTICOP", "Haitian police"), ("HTICRMGNG", "armed gangs")),
    area("Peshawar", "Khyber Pakhtunkhwa", "PK", (34.01, 71.58), 0.7, 1.5, (2017, 2025), ("PAKMIL", "Pakistani military"), ("PAKREBTTP", "Pakistani Taliban")),
    area("Cauca", "Cauca", "CO", (2.50, -76.60), 0.6, 1.0, (2017, 2025), ("COLMIL", "Colombian military"), ("COLREBFAR", "FARC dissidents")),
];

/// PLOVER types with weights, and the ACLED types the coder would give them.
const TYPES: &[(PloverType, f64)] = &[
    (PloverType::Assault, 40.0),
    (PloverType::Protest, 12.0),
    (PloverType::Coerce, 10.0),
    (PloverType::Mobilize, 6.0),
    (PloverType::Accuse, 6.0),
    (PloverType::Threaten, 5.0),
    (PloverType::Consult, 5.0),
    (PloverType::Aid, 3.0),
    (PloverType::Agree, 3.0),
    (PloverType::Request, 3.0),
    (PloverType::Sanction, 2.0),
    (PloverType::Retreat, 2.0),
    (PloverType::Reject, 1.0),
    (PloverType::Support, 1.0),
    (PloverType::Concede, 0.5),
    (PloverType::Cooperate, 0.5),
];

fn acled(t: PloverType, rng: &mut Rng) -> Option<AcledType> {
    let (a, b) = match t {
        PloverType::Assault => match rng.below(4) {
            0 => ("Battles", "Armed clash"),
            1 => ("Explosions/Remote violence", "Air/drone strike"),
            2 => (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
            _ => ("Violence against civilians", "Attack"),
        },
        PloverType::Protest => ("Protests", "Peaceful protest"),
        PloverType::Coerce => ("Strategic developments", "Arrests"),
        PloverType::Mobilize => ("Strategic developments", "Other"),
        _ => return None,
    };
    Some(AcledType {
        event_type: a.into(),
        sub_event_type: b.into(),
    })
}

const FIRST_DAY: (i32, u32, u32) = (2017, 1, 1);
const N_DAYS: u64 = 3287; // 2017-01-01 ..= 2025-12-31

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).unwrap_or_default()
}

fn day_of_year_start(y: i32) -> u64 {
    NaiveDate::from_ymd_opt(y, 1, 1).map_or(0, |d| (d - first_day()).num_days().max(0) as u64)
}

/// Twenty burst days per area (offensives, sieges, protest waves).
fn bursts(seed: u64) -> Vec<Vec<u64>> {
    let mut rng = Rng::new(seed ^ 0xB0B5);
    AREAS
        .iter()
        .map(|a| {
            let (s, e) = (
                day_of_year_start(a.years.0),
                day_of_year_start(a.years.1 + 1),
            );
            (0..20).map(|_| s + rng.below(e - s)).collect()
        })
        .collect()
}

fn synthetic(rng: &mut Rng, bursts: &[Vec<u64>], serial: u64) -> FusedEvent {
    let weights: Vec<f64> = AREAS.iter().map(|a| a.weight).collect();
    let ai = rng.weighted(&weights);
    let a = &AREAS[ai];
    let (s, e) = (
        day_of_year_start(a.years.0),
        day_of_year_start(a.years.1 + 1),
    );
    let day = if rng.unit() < 0.3 {
        let b = bursts[ai][rng.below(20) as usize] as f64 + rng.normal() * 6.0;
        (b.max(s as f64) as u64).min(e - 1)
    } else {
        s + rng.below(e - s)
    };
    let date = first_day() + Days::new(day);
    let span = if rng.unit() < 0.05 {
        1 + rng.below(6)
    } else {
        0
    };
    let (plover, _) = TYPES[rng.weighted(&TYPES.iter().map(|t| t.1).collect::<Vec<_>>())];
    let n_sources = 1 + (rng.unit().powi(3) * 6.0) as usize;
    let n_reports = n_sources + rng.below(3) as usize;
    let outlets: Vec<String> = (0..n_sources.min(4))
        .map(|_| format!("Synthetic Wire {}", rng.below(60)))
        .collect();
    let fatalities = (plover == PloverType::Assault && rng.unit() < 0.6)
        .then(|| (rng.unit().powi(4) * 80.0) as u64);
    let located = rng.unit() >= 0.03;
    let dated = rng.unit() >= 0.02;
    let location = located.then(|| FusedLocation {
        name: a.name.into(),
        geonameid: None,
        lat: Some((a.lat + rng.normal() * a.sigma).clamp(-90.0, 90.0)),
        lon: Some((a.lon + rng.normal() * a.sigma).clamp(-180.0, 180.0)),
        precision: if rng.unit() < 0.8 {
            GeoPrecision::Point
        } else {
            GeoPrecision::Admin1
        },
        country_code: Some(a.cc.into()),
        admin1: Some(a.admin1.into()),
        relation: "in".into(),
    });
    let actor = |(code, name): (&str, &str), t: ActorType, reports: usize| FusedActor {
        code: code.into(),
        name: name.into(),
        country: None,
        actor_type: t,
        reports,
    };
    let (src, tgt) = if rng.unit() < 0.5 {
        (a.state, a.group)
    } else {
        (a.group, a.state)
    };
    let end = date + Days::new(span);
    FusedEvent {
        id: 0,
        plover_type: plover,
        plover_mode: None,
        acled: acled(plover, rng),
        cameo_root: None,
        date_start: dated.then_some(date),
        date_end: dated.then_some(end),
        time_precision: dated.then_some(if span == 0 {
            TimePrecision::Day
        } else {
            TimePrecision::Range
        }),
        location,
        sources: vec![actor(src, ActorType::Military, n_reports)],
        targets: vec![actor(tgt, ActorType::Rebel, 1)],
        fatalities,
        fatalities_best: fatalities,
        fatalities_max: fatalities.map(|f| f + rng.below(3)),
        n_reports,
        n_documents: n_reports,
        n_sources,
        n_outlets: outlets.len(),
        outlets,
        earliest_report: dated.then_some(end),
        earliest_document: format!("{:016x}{:016x}", rng.next(), serial),
        modality: Modality::Asserted,
        confidence: 0.5 + 0.5 * rng.unit() as f32,
        notes: format!(
            "Synthetic event {serial}: {} near {} ({}), {date}.",
            plover.as_str(),
            a.name,
            a.cc
        ),
        contradictions: vec![],
        match_start: dated.then_some(date),
        match_end: dated.then_some(end),
        created_at: None,
        updated_at: None,
    }
}

fn build(o: &Opts) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::open(&o.db)?;
    let have = store.counts()?.fused_events;
    if have >= o.events {
        println!("{}: {have} fused events already", o.db.display());
        return Ok(());
    }
    println!(
        "building {}: {} synthetic fused events (seed {}, have {have})",
        o.db.display(),
        o.events,
        o.seed
    );
    let t = Instant::now();
    let bursts = bursts(o.seed);
    // Skip what a killed earlier run already stored, so the result is the same.
    let mut rng = Rng::new(o.seed);
    for i in 0..have {
        synthetic(&mut rng, &bursts, i);
    }
    let mut i = have;
    let batch = 100_000;
    while i < o.events {
        let n = batch.min(o.events - i);
        let evs: Vec<FusedEvent> = (i..i + n)
            .map(|k| synthetic(&mut rng, &bursts, k))
            .collect();
        store.insert_fused_events(&evs)?;
        i += n;
        println!(
            "  {i} events, {:.0} s, {:.0} events/s",
            t.elapsed().as_secs_f64(),
            (i - have) as f64 / t.elapsed().as_secs_f64()
        );
    }
    println!(
        "built {:?} in {:.1} s",
        store.counts()?,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One request: a box of the chosen size near a conflict area, and a date window.
fn request(o: &Opts, rng: &mut Rng) -> (String, EventFilter) {
    let weights: Vec<f64> = AREAS.iter().map(|a| a.weight).collect();
    let a = &AREAS[rng.weighted(&weights)];
    let h = o.box_deg / 2.0;
    let bbox = (o.box_deg < 360.0).then(|| {
        let clat = (a.lat + rng.normal() * a.sigma).clamp(-90.0 + h, 90.0 - h);
        let clon = (a.lon + rng.normal() * a.sigma).clamp(-180.0 + h, 180.0 - h);
        BBox {
            min_lon: clon - h,
            min_lat: (clat - h).max(-90.0),
            max_lon: clon + h,
            max_lat: (clat + h).min(90.0),
        }
    });
    let (since, until) = if o.window == 0 {
        (None, None)
    } else {
        let s = first_day() + Days::new(rng.below(N_DAYS.saturating_sub(o.window).max(1)));
        (Some(s), Some(s + Days::new(o.window - 1)))
    };
    let mut q = String::from("limit=100");
    if let Some(b) = bbox {
        q.push_str(&format!(
            "&bbox={:.3},{:.3},{:.3},{:.3}",
            b.min_lon, b.min_lat, b.max_lon, b.max_lat
        ));
    }
    if let (Some(s), Some(u)) = (since, until) {
        q.push_str(&format!("&since={s}&until={u}"));
    }
    if let Some(t) = &o.plover {
        q.push_str(&format!("&type={t}"));
    }
    let filter = EventFilter {
        since,
        until,
        bbox,
        plover_type: o.plover.as_deref().and_then(|t| {
            PloverType::ALL
                .into_iter()
                .find(|p| p.as_str().eq_ignore_ascii_case(t))
        }),
        limit: Some(100),
        ..Default::default()
    };
    (q, filter)
}

type ClientResult = Result<(Vec<Duration>, u64), Box<dyn std::error::Error + Send + Sync>>;

async fn client(addr: std::net::SocketAddr, o: &Opts, n: u64, seed: u64) -> ClientResult {
    let deadline = (o.seconds > 0).then(|| Instant::now() + Duration::from_secs(o.seconds));
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    let mut rng = Rng::new(seed);
    let mut lat = Vec::with_capacity(n as usize);
    let mut matched = 0u64;
    let mut line = String::new();
    let mut body = Vec::new();
    let prefix = if o.endpoint == "stats" {
        "{\"events\":"
    } else {
        "{\"total\":"
    };
    for _ in 0..n {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let (q, _) = request(o, &mut rng);
        let req = format!(
            "GET /api/{}?{q} HTTP/1.1\r\nHost: bench\r\n\r\n",
            o.endpoint
        );
        let t = Instant::now();
        w.write_all(req.as_bytes()).await?;
        let mut len = 0usize;
        let mut status = 0u16;
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Err("server closed the connection".into());
            }
            let l = line.trim_end();
            if status == 0 {
                status = l
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
            } else if l.is_empty() {
                break;
            } else if let Some(v) = l
                .strip_prefix("content-length:")
                .or_else(|| l.strip_prefix("Content-Length:"))
            {
                len = v.trim().parse()?;
            }
        }
        body.resize(len, 0);
        r.read_exact(&mut body).await?;
        lat.push(t.elapsed());
        if status != 200 {
            return Err(
                format!("HTTP {status} for {q}: {}", String::from_utf8_lossy(&body)).into(),
            );
        }
        // The matching count comes first in the body.
        let head = String::from_utf8_lossy(&body[..body.len().min(40)]).to_string();
        matched += head
            .strip_prefix(prefix)
            .and_then(|s| s.split(',').next())
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(0);
    }
    Ok((lat, matched))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            println!("{e}");
            std::process::exit(2);
        }
    };
    build(&o)?;
    if o.build_only {
        return Ok(());
    }
    let stores = (0..o.connections.max(1))
        .map(|_| Store::open_existing(&o.db))
        .collect::<Result<Vec<_>, _>>()?;
    if o.explain {
        let (q, filter) = request(&o, &mut Rng::new(7));
        println!("plan for {q}:");
        for line in stores[0].events_query_plan(&filter)? {
            println!("  {line}");
        }
    }
    let state = AppState::new(stores, None, ServerConfig::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let o = std::sync::Arc::new(o);
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        // The server's own accept loop, with the limits `frontline serve` runs with.
        let limits = ConnectionLimits::of(state.config());
        tokio::spawn(async move {
            serve_with(listener, router(state), limits, std::future::pending()).await
        });
        // Warm-up (not counted).
        client(addr, &o, 20, 1).await?;
        let per = (o.requests / o.concurrency as u64).max(1);
        let t = Instant::now();
        let tasks: Vec<_> = (0..o.concurrency)
            .map(|k| {
                let o = o.clone();
                tokio::spawn(async move { client(addr, &o, per, 1000 + k as u64).await })
            })
            .collect();
        let mut all = Vec::new();
        let mut matched = 0;
        for task in tasks {
            let (l, m) = task.await??;
            all.extend(l);
            matched += m;
        }
        let wall = t.elapsed().as_secs_f64();
        all.sort();
        let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let window = if o.window == 0 {
            "no date filter".to_string()
        } else {
            format!("{}-day window", o.window)
        };
        println!(
            "GET /api/{} ({} box, {window}{}, limit=100): {} requests, concurrency {}, {} DB connections",
            o.endpoint,
            o.box_name,
            o.plover.as_ref().map(|t| format!(", type={t}")).unwrap_or_default(),
            all.len(),
            o.concurrency,
            o.connections
        );
        println!(
            "  p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms  {:.1} requests/s  mean total {:.0}",
            ms(pct(0.50)),
            ms(pct(0.90)),
            ms(pct(0.99)),
            ms(all[all.len() - 1]),
            all.len() as f64 / wall,
            matched as f64 / all.len() as f64
        );
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    })
    .map_err(|e| -> Box<dyn std::error::Error> { e.to_string().into() })?;
    Ok(())
}
