//! `frontline export`: stored fused events as JSONL, CSV, GeoJSON or a GDELT-style table.
//!
//! Column meanings are documented in `docs/exports.md`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use frontline_model::{ActorType, GeoPrecision};
use frontline_server::rows::CSV_COLUMNS;
use frontline_server::rows::{
    CONFIDENCE_DECIMALS, COORD_DECIMALS, coord, country_name, csv_row, neutralise, opt, round_to,
};
use frontline_store::{BBox, EventFilter, FusedActor, FusedEvent, Store};

use crate::globals::Globals;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line: the fused event with all its reports.
    Jsonl,
    /// ACLED-style columns, one row per fused event.
    Csv,
    /// A GeoJSON FeatureCollection of points (events without coordinates get null geometry).
    Geojson,
    /// A GDELT 2.0-style tab-separated event table (61 columns, no header).
    Gdelt,
    /// The CSV's columns as a typed Parquet file (needs `-o FILE` and a build with the
    /// `parquet` feature).
    Parquet,
}

/// Export stored events as JSONL, CSV, GeoJSON or a GDELT-style table.
///
/// Each row is a fused event: one real-world event merged from all the reports that describe
/// it. Column meanings are documented in docs/exports.md.
///
/// Examples:
///
///   frontline export --format csv -o events.csv
///   frontline export --format geojson --since 2017-06-01 --bbox 35,32,43,38 -o syria.geojson
///   frontline export --format jsonl --type ASSAULT --min-sources 2 | jq .n_sources
///   frontline export --format jsonl --updated-since 2026-12-07T01:36:00.000Z -o new.jsonl
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Database file. Default: frontline.db in the platform data dir.
    #[arg(long, value_name = "PATH", env = "FRONTLINE_DB")]
    pub db: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum)]
    pub format: Format,
    /// Write to this file instead of standard output (written to a temporary file, then
    /// renamed, so a failed export never leaves half a file).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only events on or after this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::util::parse_date)]
    pub since: Option<NaiveDate>,
    /// Only events on or before this day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::util::parse_date)]
    pub until: Option<NaiveDate>,
    /// Only events inside this box: minlon,minlat,maxlon,maxlat (WGS84 degrees).
    #[arg(
        long,
        value_name = "MINLON,MINLAT,MAXLON,MAXLAT",
        allow_hyphen_values = true
    )]
    pub bbox: Option<String>,
    /// Only events of these types, comma-separated, any of which matches: PLOVER types
    /// (ASSAULT, PROTEST...) or ACLED event or sub-event types ("Battles", "Air/drone strike").
    #[arg(long = "type", value_name = "TYPE[,TYPE...]")]
    pub event_type: Option<String>,
    /// Only events located in these countries, comma-separated: ISO codes (SY, SYR) or names
    /// (Syria).
    #[arg(long, value_name = "COUNTRY[,COUNTRY...]")]
    pub country: Option<String>,
    /// Only events involving this actor: code (SYRMIL) or part of a name.
    #[arg(long, value_name = "ACTOR")]
    pub actor: Option<String>,
    /// Only events whose reports contain all these words.
    #[arg(long, value_name = "WORDS")]
    pub text: Option<String>,
    /// Only events reported by at least this many independent sources.
    #[arg(long, value_name = "N")]
    pub min_sources: Option<u32>,
    /// At most this many events.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Only events created or given a further report at or after this time (their
    /// `updated_at`): an RFC 3339 time (2026-12-07T01:36:00Z) or a day (its start in UTC).
    /// For incremental sync, pass the latest `updated_at` of the previous export.
    #[arg(long, value_name = "TIME", value_parser = parse_updated_since)]
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
}

fn parse_updated_since(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    frontline_store::parse_updated_since(s)
}

const PAGE: u32 = 2000;

/// Whether `for_each_event` shows a count of events on stderr: not with `--quiet`, nor when
/// the export itself is written to the terminal.
static SHOW_PROGRESS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Runs `frontline export`.
// The signature is shared by every subcommand (see cmd/mod.rs).
#[allow(clippy::needless_pass_by_value)]
pub fn run(args: Args, globals: &Globals) -> Result<()> {
    let to_terminal = args.output.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout());
    SHOW_PROGRESS.store(
        !globals.quiet && !to_terminal,
        std::sync::atomic::Ordering::Relaxed,
    );
    #[cfg(not(feature = "parquet"))]
    if args.format == Format::Parquet {
        bail!(NO_PARQUET);
    }
    let db = match &args.db {
        Some(p) => p.clone(),
        None => frontline_store::default_db_path()
            .context("no home directory to find the default database in; pass --db PATH")?,
    };
    let store = Store::open_existing(&db)
        .with_context(|| format!("cannot open database {}", db.display()))?;
    let filter = build_filter(&args)?;
    match (&args.output, args.format) {
        (None, Format::Parquet) => bail!("Parquet is a binary file format: pass -o FILE"),
        (Some(path), Format::Parquet) => {
            write_to(path, |file| write_parquet(&store, &filter, file))?;
        }
        (Some(path), format) => {
            write_to(path, |file| {
                let mut out = BufWriter::new(file);
                let n = write_all(&store, &filter, format, &mut out)?;
                out.flush()?;
                Ok(n)
            })?;
        }
        (None, format) => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write_all(&store, &filter, format, &mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// Writes `path` through `write` (which returns the number of events): to `path.part` first,
/// renamed when complete and removed on failure, so a failed export never leaves half a file.
fn write_to(path: &Path, write: impl FnOnce(std::fs::File) -> Result<u64>) -> Result<()> {
    let tmp = tmp_path(path);
    let file =
        std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    match write(file) {
        Ok(n) => {
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {n} events to {}", path.display());
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e.context(format!("cannot write {}", path.display())))
        }
    }
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".part");
    path.with_file_name(name)
}

fn build_filter(args: &Args) -> Result<EventFilter> {
    let mut f = EventFilter {
        since: args.since,
        until: args.until,
        actor: args.actor.clone(),
        text: args.text.clone(),
        min_sources: args.min_sources,
        limit: args.limit,
        updated_since: args.updated_since,
        ..Default::default()
    };
    if let (Some(s), Some(u)) = (args.since, args.until)
        && s > u
    {
        bail!("--since {s} is after --until {u}");
    }
    if let Some(b) = &args.bbox {
        f.bbox = Some(
            b.parse::<BBox>()
                .map_err(|e| anyhow::anyhow!("--bbox: {e}"))?,
        );
    }
    // The API's parsers: the same values mean the same events everywhere.
    if let Some(t) = &args.event_type {
        (f.plover_types, f.acled_types) =
            frontline_server::api::type_list(t).map_err(|e| anyhow::anyhow!("--{e}"))?;
    }
    if let Some(c) = &args.country {
        f.countries =
            frontline_server::api::country_list(c).map_err(|e| anyhow::anyhow!("--{e}"))?;
    }
    Ok(f)
}

/// Calls `each` on every stored event the filter selects, in export order, a page at a time;
/// returns how many there were. Without `with_claims` the records' contradictions come without
/// their claims (see `Store::event_summaries`).
fn for_each_event(
    store: &Store,
    filter: &EventFilter,
    with_claims: bool,
    mut each: impl FnMut(&FusedEvent, u64) -> Result<()>,
) -> Result<u64> {
    // A count of events on stderr when the export goes to a file or a pipe.
    let progress = crate::util::progress_bar(
        !SHOW_PROGRESS.load(std::sync::atomic::Ordering::Relaxed),
        None,
        "events",
    );
    let mut n = 0u64;
    let limit = filter_limit(filter);
    let mut offset = 0u32;
    'pages: loop {
        let page_filter = EventFilter {
            limit: Some(PAGE),
            offset: Some(offset),
            ..filter.clone()
        };
        // Only GeoJSON writes these records' claims (JSONL writes each event's detail).
        let page = if with_claims {
            store.events(&page_filter)?
        } else {
            store.event_summaries(&page_filter)?
        };
        if page.is_empty() {
            break;
        }
        offset += page.len() as u32;
        for ev in &page {
            if limit.is_some_and(|l| n >= l) {
                break 'pages;
            }
            each(ev, n)?;
            n += 1;
            progress.inc(1);
        }
        if (page.len() as u32) < PAGE {
            break;
        }
    }
    progress.finish_and_clear();
    Ok(n)
}

fn write_all(
    store: &Store,
    filter: &EventFilter,
    format: Format,
    out: &mut dyn Write,
) -> Result<u64> {
    match format {
        Format::Geojson => out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?,
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(CSV_COLUMNS)?;
            out.write_all(&w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
        }
        Format::Parquet => bail!("Parquet is written by write_parquet"),
        _ => {}
    }
    let n = for_each_event(store, filter, format == Format::Geojson, |ev, n| {
        match format {
            Format::Jsonl => {
                let detail = store
                    .event(ev.id)?
                    .with_context(|| format!("event {} vanished during export", ev.id))?;
                let mut detail = serde_json::to_value(&detail)?;
                round_floats(&mut detail, None);
                serde_json::to_writer(&mut *out, &detail)?;
                out.write_all(b"\n")?;
            }
            Format::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(Vec::new());
                w.write_record(csv_row(ev))?;
                out.write_all(&w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
            }
            Format::Geojson => {
                if n > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(b"\n")?;
                serde_json::to_writer(&mut *out, &geojson_feature(ev)?)?;
            }
            Format::Gdelt => {
                let url = store
                    .event(ev.id)?
                    .and_then(|d| d.reports.iter().find_map(|r| r.url.clone()));
                let row = gdelt_row(ev, url.as_deref());
                out.write_all(row.join("\t").as_bytes())?;
                out.write_all(b"\n")?;
            }
            Format::Parquet => {}
        }
        Ok(())
    })?;
    if format == Format::Geojson {
        out.write_all(b"\n]}\n")?;
    }
    Ok(n)
}

/// Writes the selected events as a Parquet file (feature `parquet`).
#[cfg(feature = "parquet")]
fn write_parquet(store: &Store, filter: &EventFilter, file: std::fs::File) -> Result<u64> {
    let mut w = super::export_parquet::ParquetWriter::new(file)?;
    let n = for_each_event(store, filter, false, |ev, _| {
        w.push(frontline_server::rows::acled_row(ev))
    })?;
    w.finish()?;
    Ok(n)
}

#[cfg(not(feature = "parquet"))]
fn write_parquet(_: &Store, _: &EventFilter, _: std::fs::File) -> Result<u64> {
    bail!(NO_PARQUET)
}

/// The error of a build without the `parquet` feature (on by default; off only with
/// `--no-default-features`).
#[cfg(not(feature = "parquet"))]
const NO_PARQUET: &str = "this frontline was built without Parquet support \
     (--no-default-features); rebuild it with the default features (`cargo install --path \
     crates/frontline`, or add `--features parquet`), or export CSV";

fn filter_limit(f: &EventFilter) -> Option<u64> {
    f.limit.map(u64::from)
}

fn geojson_feature(ev: &FusedEvent) -> Result<serde_json::Value> {
    let geometry = match ev.location.as_ref().and_then(|l| l.lat.zip(l.lon)) {
        Some((lat, lon)) => serde_json::json!({"type": "Point", "coordinates": [lon, lat]}),
        None => serde_json::Value::Null,
    };
    let mut props = serde_json::to_value(ev)?;
    if let Some(o) = props.as_object_mut() {
        o.remove("match_start");
        o.remove("match_end");
    }
    let mut feature = serde_json::json!({
        "type": "Feature",
        "id": ev.id,
        "geometry": geometry,
        "properties": props,
    });
    round_floats(&mut feature, None);
    Ok(feature)
}

/// Rounds the floats of exported JSON by what they are: coordinates (`lat`, `lon`,
/// `latitude`, `longitude`, `coordinates`, bounding boxes) to 6 decimals, confidences and
/// scores to 3. Other numbers are left as they are.
fn round_floats(v: &mut serde_json::Value, key: Option<&str>) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                round_floats(item, Some(k.as_str()));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| round_floats(i, key)),
        Value::Number(n) if n.is_f64() => {
            let decimals = match key {
                Some("lat" | "lon" | "latitude" | "longitude" | "coordinates" | "bbox") => {
                    COORD_DECIMALS
                }
                Some(k) if k.contains("confidence") || k.contains("score") => CONFIDENCE_DECIMALS,
                _ => return,
            };
            if let Some(x) = n.as_f64().map(|x| round_to(x, decimals))
                && let Some(r) = serde_json::Number::from_f64(x)
            {
                *n = r;
            }
        }
        _ => {}
    }
}

/// CAMEO actor type code for a PLOVER actor type.
fn cameo_type(t: ActorType) -> &'static str {
    match t {
        ActorType::State | ActorType::Government => "GOV",
        ActorType::Military => "MIL",
        ActorType::Police => "COP",
        ActorType::Rebel => "REB",
        ActorType::Militia => "UAF",
        ActorType::Party => "OPP",
        ActorType::Civilian => "CVL",
        ActorType::Protester => "OPP",
        ActorType::Igo => "IGO",
        ActorType::Ngo => "NGO",
        ActorType::Media => "MED",
        ActorType::Business => "BUS",
        ActorType::Other => "",
    }
}

fn quad_class(root: Option<&str>) -> String {
    let Some(r) = root.and_then(|r| r.parse::<u8>().ok()) else {
        return String::new();
    };
    match r {
        1..=5 => "1",
        6..=8 => "2",
        9..=13 => "3",
        14..=20 => "4",
        _ => "",
    }
    .into()
}

fn geo_type(p: GeoPrecision) -> &'static str {
    match p {
        GeoPrecision::Country | GeoPrecision::Continent => "1",
        GeoPrecision::Admin1 | GeoPrecision::Region => "5",
        GeoPrecision::Point | GeoPrecision::Admin2 => "4",
        GeoPrecision::Unresolved => "",
    }
}

fn actor_cols(a: Option<&FusedActor>) -> Vec<String> {
    let mut cols = vec![String::new(); 10];
    if let Some(a) = a {
        cols[0] = a.code.clone();
        cols[1] = a.name.to_uppercase();
        cols[2] = opt(a.country.clone());
        cols[7] = cameo_type(a.actor_type).into();
    }
    cols
}

/// One row of the GDELT 2.0-style table (61 columns).
pub fn gdelt_row(ev: &FusedEvent, url: Option<&str>) -> Vec<String> {
    let mut row: Vec<String> = Vec::with_capacity(61);
    let date = ev.date_start;
    row.push(ev.id.to_string());
    row.push(opt(date.map(|d| d.format("%Y%m%d"))));
    row.push(opt(date.map(|d| d.format("%Y%m"))));
    row.push(opt(date.map(|d| d.format("%Y"))));
    row.push(opt(date.map(|d| {
        let y = chrono::Datelike::year(&d);
        let doy = chrono::Datelike::ordinal(&d);
        format!("{:.4}", f64::from(y) + f64::from(doy) / 365.0)
    })));
    row.extend(actor_cols(ev.sources.first()));
    row.extend(actor_cols(ev.targets.first()));
    let root = ev.cameo_root.as_deref();
    row.push("1".into()); // IsRootEvent
    row.push(opt(root)); // EventCode (root only)
    row.push(opt(root)); // EventBaseCode
    row.push(opt(root)); // EventRootCode
    row.push(quad_class(root));
    row.push(String::new()); // GoldsteinScale
    row.push(ev.n_reports.to_string()); // NumMentions
    row.push(ev.n_sources.to_string()); // NumSources
    row.push(ev.n_documents.to_string()); // NumArticles
    row.push(String::new()); // AvgTone
    let geo = |row: &mut Vec<String>| match &ev.location {
        Some(l) => {
            row.push(geo_type(l.precision).into());
            row.push(
                [
                    Some(l.name.clone()),
                    l.admin1.clone(),
                    l.country_code.as_deref().map(country_name),
                ]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            );
            row.push(opt(l.country_code.clone()));
            row.push(String::new()); // ADM1Code
            row.push(String::new()); // ADM2Code
            row.push(coord(l.lat));
            row.push(coord(l.lon));
            row.push(opt(l.geonameid));
        }
        None => row.extend(std::iter::repeat_n(String::new(), 8)),
    };
    // Actor1Geo, Actor2Geo: the event's place is the only place we attach.
    let empty = std::iter::repeat_n(String::new(), 8);
    row.extend(empty.clone());
    row.extend(empty);
    geo(&mut row); // ActionGeo
    row.push(opt(ev
        .earliest_report
        .map(|d| format!("{}000000", d.format("%Y%m%d")))));
    row.push(opt(url));
    // Tabs and newlines inside fields would break the table.
    row.into_iter()
        .map(|c| neutralise(c.replace(['\t', '\n', '\r'], " ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gdelt_rows_have_61_columns() {
        let ev: FusedEvent = serde_json::from_value(serde_json::json!({
            "id": 7, "plover_type": "ASSAULT", "sources": [], "targets": [],
            "n_reports": 1, "n_documents": 1, "n_sources": 1, "n_outlets": 0, "outlets": [],
            "earliest_document": "x", "modality": "asserted", "confidence": 0.5,
            "notes": "a\tb", "contradictions": []
        }))
        .unwrap();
        assert_eq!(gdelt_row(&ev, None).len(), 61);
        assert_eq!(csv_row(&ev).len(), CSV_COLUMNS.len());
    }

    /// Issue 23, item 12: no float32 noise in JSON exports.
    #[test]
    fn json_floats_are_rounded() {
        // Float32 values widened to f64, as the store's are.
        let (lat, lon) = (f64::from(35.288_f32), f64::from(-40.309_f32));
        let mut v = serde_json::json!({
            "location": {"lat": lat, "lon": lon, "count": 0.123456789},
            "confidence": f64::from(0.85_f32),
            "geometry": {"coordinates": [-lon, lat]},
            "reports": [{"confidence": 0.3333333}],
        });
        assert_ne!(lat.to_string(), "35.288");
        round_floats(&mut v, None);
        assert_eq!(
            v.to_string(),
            r#"{"confidence":0.85,"geometry":{"coordinates":[40.309,35.288]},"location":{"count":0.123456789,"lat":35.288,"lon":-40.309},"reports":[{"confidence":0.333}]}"#
        );
    }
}
