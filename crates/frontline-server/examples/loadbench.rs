//! Load benchmark of `GET /api/events` with a bbox and a time filter, on loopback.
//!
//! Builds (or reuses) a database of synthetic fused events through the real store, serves it
//! in-process with the real router, and drives it with a small keep-alive HTTP/1.1 client:
//!
//! ```sh
//! cargo run --release -p frontline-server --example loadbench -- \
//!     --db /tmp/bench.db --events 1000000 --requests 20000 --concurrency 16
//! ```
//!
//! Prints p50/p90/p99 latency and requests per second. Each request asks for a random
//! 10°×10° box and a random 30-day window, `limit=100`.

#![allow(clippy::print_stdout, missing_docs)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use frontline_model::{
    ActorRef, ActorType, Document, DocumentMeta, Event, EventActor, EventLocation, Extraction,
    GeoPrecision, Modality, PlaceRef, PloverType, Sentence, Span, TimePrecision, TimeRef,
};
use frontline_server::{AppState, ServerConfig, router};
use frontline_store::Store;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

struct Opts {
    db: PathBuf,
    events: u64,
    requests: u64,
    concurrency: usize,
    connections: usize,
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        db: std::env::temp_dir().join("frontline-bench.db"),
        events: 1_000_000,
        requests: 20_000,
        concurrency: 16,
        connections: 4,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        let num = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{v:?} is not a number"))
        };
        match a.as_str() {
            "--db" => o.db = PathBuf::from(val()?),
            "--events" => o.events = num(val()?)?,
            "--requests" => o.requests = num(val()?)?,
            "--concurrency" => o.concurrency = num(val()?)? as usize,
            "--connections" => o.connections = num(val()?)? as usize,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

/// A tiny deterministic PRNG (xorshift64*), so runs are repeatable.
struct Rng(u64);
impl Rng {
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
        self.next() % n
    }
}

const LAT: (f64, f64) = (-35.0, 60.0);
const LON: (f64, f64) = (-20.0, 80.0);
const DAYS: u64 = 4000;
fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 1, 1).unwrap_or_default()
}

/// One synthetic report: random words (so no two documents look like copies), one event
/// with a random type, place and day.
fn synthetic(i: u64, rng: &mut Rng) -> Extraction {
    let mut text = format!("Report {i}.");
    for _ in 0..24 {
        text.push_str(&format!(" w{}", rng.below(50_000)));
    }
    text.push('.');
    let lat = LAT.0 + rng.unit() * (LAT.1 - LAT.0);
    let lon = LON.0 + rng.unit() * (LON.1 - LON.0);
    let date = day0() + Days::new(rng.below(DAYS));
    let plover = PloverType::ALL[rng.below(16) as usize];
    let doc = Document::from_meta(
        DocumentMeta {
            outlet: Some(format!("Outlet {}", rng.below(200))),
            published_at: Some(date),
            ..Default::default()
        },
        text,
    );
    let len = doc.text.len();
    let mut ex = Extraction::new(doc);
    ex.sentences.push(Sentence {
        span: Span::new(0, len),
    });
    let mut place = PlaceRef::unresolved("Somewhere");
    place.lat = Some(lat);
    place.lon = Some(lon);
    place.geonameid = Some(i + 1);
    place.precision = GeoPrecision::Point;
    place.country_code = Some("XX".into());
    let actor = ActorRef {
        code: format!("A{}", rng.below(500)),
        name: "synthetic actor".into(),
        country: None,
        actor_type: ActorType::Rebel,
        entity: None,
        affiliations: vec![],
    };
    ex.events.push(Event {
        id: format!("{}:0", ex.document.id),
        plover_type: plover,
        plover_mode: None,
        acled: None,
        cameo_root: None,
        trigger: Span::new(0, 6),
        trigger_text: "report".into(),
        sentence: 0,
        sources: vec![EventActor {
            actor,
            span: Span::new(0, 6),
            mention: None,
        }],
        targets: vec![],
        location: Some(EventLocation {
            place,
            span: Span::new(0, 6),
            mention: None,
            relation: "in".into(),
        }),
        date: Some(TimeRef {
            start: date,
            end: date,
            precision: TimePrecision::Day,
            derivation: "explicit".into(),
            anchor: None,
        }),
        quantities: vec![],
        territory: None,
        attribution: vec![],
        modality: Modality::Asserted,
        confidence: 0.5,
        evidence: vec![],
        rules: vec![],
    });
    ex
}

fn build(o: &Opts) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::open(&o.db)?;
    let have = store.counts()?.fused_events;
    if have >= o.events {
        println!("{}: {have} fused events already", o.db.display());
        return Ok(());
    }
    println!(
        "building {} with {} synthetic events (have {have})",
        o.db.display(),
        o.events
    );
    let t = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ have);
    let mut i = store.counts()?.documents;
    let batch = 5_000;
    while store.counts()?.fused_events < o.events {
        let exs: Vec<Extraction> = (0..batch).map(|k| synthetic(i + k, &mut rng)).collect();
        store.put_extractions(&exs)?;
        i += batch;
        if i % 50_000 == 0 {
            let rate = i as f64 / t.elapsed().as_secs_f64();
            println!("  {i} documents ({rate:.0}/s)");
        }
    }
    println!(
        "built: {:?} in {:.0} s",
        store.counts()?,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn client(
    addr: std::net::SocketAddr,
    n: u64,
    seed: u64,
) -> Result<(Vec<Duration>, u64), Box<dyn std::error::Error + Send + Sync>> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    let mut rng = Rng(seed);
    let mut lat = Vec::with_capacity(n as usize);
    let mut returned = 0u64;
    let mut line = String::new();
    let mut body = Vec::new();
    for _ in 0..n {
        let lon0 = LON.0 + rng.unit() * (LON.1 - LON.0 - 10.0);
        let lat0 = LAT.0 + rng.unit() * (LAT.1 - LAT.0 - 10.0);
        let since = day0() + Days::new(rng.below(DAYS - 30));
        let until = since + Days::new(29);
        let req = format!(
            "GET /api/events?bbox={lon0:.3},{lat0:.3},{:.3},{:.3}&since={since}&until={until}&limit=100 HTTP/1.1\r\nHost: bench\r\n\r\n",
            lon0 + 10.0,
            lat0 + 10.0
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
            return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)).into());
        }
        // Count events cheaply: the page's "total" is first in the body.
        let head = String::from_utf8_lossy(&body[..body.len().min(40)]).to_string();
        returned += head
            .strip_prefix("{\"total\":")
            .and_then(|s| s.split(',').next())
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0);
    }
    Ok((lat, returned))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let o = parse_args()?;
    build(&o)?;
    let stores = (0..o.connections.max(1))
        .map(|_| Store::open_existing(&o.db))
        .collect::<Result<Vec<_>, _>>()?;
    let state = AppState::new(stores, None, ServerConfig::default());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, router(state)).await });
        // Warm-up.
        client(addr, 200, 1).await?;
        let per = o.requests / o.concurrency as u64;
        let t = Instant::now();
        let tasks: Vec<_> = (0..o.concurrency)
            .map(|k| tokio::spawn(client(addr, per, 1000 + k as u64)))
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
        println!(
            "GET /api/events (10°x10° bbox, 30-day window, limit=100), {} requests, concurrency {}, {} DB connections",
            all.len(),
            o.concurrency,
            o.connections
        );
        println!(
            "  p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
            ms(pct(0.50)),
            ms(pct(0.90)),
            ms(pct(0.99)),
            ms(all[all.len() - 1])
        );
        println!(
            "  {:.0} requests/s; mean {:.1} matching events per request",
            all.len() as f64 / wall,
            matched as f64 / all.len() as f64
        );
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
    })
    .map_err(|e| -> Box<dyn std::error::Error> { e.to_string().into() })?;
    Ok(())
}
