//! `frontline explain`: why each event in an article was coded as it was.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use frontline_extract::events::{NearMiss, registry};
use frontline_model::{Event, Extraction, Span};

use crate::globals::Globals;

/// Arguments of `frontline explain`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  frontline explain report.txt --published 2017-06-18 --event 1")]
pub struct Args {
    /// Article to explain, read as `frontline ingest` reads it (text with optional front
    /// matter, HTML, a feed, WARC, JSON Lines, gzip; the first document of a file that holds
    /// several); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Only this event (its index in the article, from 0).
    #[arg(long, value_name = "N")]
    pub event: Option<usize>,
    /// Publication date (YYYY-MM-DD): relative dates ("Sunday", "a day after") resolve
    /// against it.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = crate::util::parse_date)]
    pub published: Option<chrono::NaiveDate>,
    /// Outlet that published the article (the default source of unattributed events).
    #[arg(long, value_name = "NAME")]
    pub outlet: Option<String>,
    /// Also list the rules that almost fired.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub near_misses: bool,
    #[command(flatten)]
    pub read: crate::util::ReadArgs,
}

/// Runs `frontline explain`.
pub fn run(args: Args, globals: &Globals) -> anyhow::Result<()> {
    let (raw, _name) = crate::util::read_one(&args.file, &args.read)?;
    let pipeline = crate::util::pipeline(globals)?;
    let mut meta = raw.meta;
    if meta.published_at.is_none() {
        meta.published_at = args.published;
    }
    if meta.outlet.is_none() {
        meta.outlet = args.outlet;
    }
    let (mut ex, near) = pipeline.explain(meta, &raw.text);
    ex.warnings.splice(0..0, raw.warnings);
    if let Some(n) = args.event
        && n >= ex.events.len()
    {
        anyhow::bail!(
            "{}: there is no event {n}; the article has {} event(s) (numbered from 0)",
            args.file.display(),
            ex.events.len()
        );
    }
    let out = render(&ex, &near, args.event, args.near_misses);
    print(&out)
}

/// Writes to stdout, quietly stopping on a closed pipe.
fn print(s: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut o = std::io::stdout().lock();
    match o.write_all(s.as_bytes()).and_then(|()| o.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.context("writing to stdout"),
    }
}

fn quote(text: &str, span: Span) -> String {
    span.slice(text)
        .map_or_else(|| "?".into(), |s| format!("\u{201c}{s}\u{201d}"))
}

fn describe(rule: &str) -> String {
    let key = rule.split(':').next().unwrap_or(rule);
    registry().iter().find(|r| r.id == key).map_or_else(
        || rule.to_string(),
        |r| format!("{} ({})", r.id, r.description),
    )
}

/// Renders the explanation.
pub fn render(
    ex: &Extraction,
    near: &[NearMiss],
    only: Option<usize>,
    near_misses: bool,
) -> String {
    let text = &ex.document.text;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Document {} — {} sentence(s), {} mention(s), {} event(s){}",
        ex.document.id,
        ex.sentences.len(),
        ex.mentions.len(),
        ex.events.len(),
        ex.document.published_at.map_or_else(
            || ", no publication date (relative dates cannot resolve)".into(),
            |d| format!(", published {d}")
        )
    );
    for b in &ex.boilerplate {
        let _ = writeln!(
            s,
            "  set aside as {:?} by {}: {}",
            b.kind,
            b.rule,
            quote(text, b.span)
        );
    }
    for w in &ex.warnings {
        let _ = writeln!(s, "  warning: {w}");
    }
    for (i, e) in ex.events.iter().enumerate() {
        if only.is_some_and(|n| n != i) {
            continue;
        }
        explain_event(&mut s, text, i, e);
    }
    if near_misses {
        let list: Vec<&NearMiss> = near
            .iter()
            .filter(|n| {
                only.is_none_or(|k| ex.events.get(k).is_some_and(|e| e.sentence == n.sentence))
            })
            .collect();
        if !list.is_empty() {
            let _ = writeln!(s, "\nRules that almost fired:");
            for n in list {
                let _ = writeln!(
                    s,
                    "  sentence {}: {} at {} — {}",
                    n.sentence,
                    n.rule,
                    quote(text, n.span),
                    n.reason
                );
            }
        }
    }
    s
}

fn explain_event(s: &mut String, text: &str, i: usize, e: &Event) {
    let _ = writeln!(
        s,
        "\nEvent {i}: {}{} (CAMEO {}){}",
        e.plover_type.as_str(),
        e.plover_mode
            .as_ref()
            .map(|m| format!("/{m}"))
            .unwrap_or_default(),
        e.cameo_root.as_deref().unwrap_or("-"),
        if e.modality.counts() {
            String::new()
        } else {
            format!("  [{:?}: kept, not counted]", e.modality)
        }
    );
    let _ = writeln!(
        s,
        "  trigger   {} — rule {}",
        quote(text, e.trigger),
        e.rules.first().map_or("?", String::as_str)
    );
    if let Some(a) = &e.acled {
        let _ = writeln!(s, "  ACLED     {} / {}", a.event_type, a.sub_event_type);
    }
    for (label, list) in [("source", &e.sources), ("target", &e.targets)] {
        if list.is_empty() {
            let _ = writeln!(s, "  {label:<9} (none found)");
        }
        for a in list {
            let mut extra = String::new();
            if !a.actor.affiliations.is_empty() {
                extra = format!(", affiliated with {}", a.actor.affiliations.join(", "));
            }
            let _ = writeln!(
                s,
                "  {label:<9} {} = {} ({}, {:?}{extra})",
                quote(text, a.span),
                a.actor.code,
                a.actor.name,
                a.actor.actor_type
            );
        }
    }
    match &e.location {
        Some(l) => {
            let _ = writeln!(
                s,
                "  where     {} {} = {}{}{}",
                l.relation,
                quote(text, l.span),
                l.place.name,
                l.place
                    .geonameid
                    .map(|g| format!(" (GeoNames {g})"))
                    .unwrap_or_default(),
                l.place
                    .inferred
                    .as_ref()
                    .map(|x| format!(" [inferred: {x}]"))
                    .unwrap_or_default()
            );
        }
        None => {
            let _ = writeln!(s, "  where     (no place attached)");
        }
    }
    if let Some(d) = &e.date {
        let range = if d.start == d.end {
            d.start.to_string()
        } else {
            format!("{} to {}", d.start, d.end)
        };
        let _ = writeln!(
            s,
            "  when      {range} ({:?}; {})",
            d.precision, d.derivation
        );
    }
    for q in &e.quantities {
        let _ = writeln!(
            s,
            "  quantity  {} = {} {:?} ({:?})",
            quote(text, q.span),
            q.quantity.value,
            q.quantity.unit,
            q.quantity.quantity_kind
        );
    }
    if let Some(t) = &e.territory {
        let _ = writeln!(
            s,
            "  territory {} from {} to {}",
            t.place.as_ref().map_or("?", |p| p.name.as_str()),
            t.from.as_ref().map_or("?", |a| a.code.as_str()),
            t.to.as_ref().map_or("?", |a| a.code.as_str())
        );
    }
    for a in &e.attribution {
        let _ = writeln!(
            s,
            "  says who  {} ({:?}, cue \u{201c}{}\u{201d}){}{}",
            a.speaker,
            a.source_kind,
            a.cue,
            a.actor
                .as_ref()
                .map(|x| format!(" = {}", x.code))
                .unwrap_or_default(),
            if a.quotes.is_empty() {
                String::new()
            } else {
                format!(", {} quote(s)", a.quotes.len())
            }
        );
    }
    let _ = writeln!(
        s,
        "  modality  {:?}   confidence {:.2}",
        e.modality, e.confidence
    );
    let _ = writeln!(s, "  rules:");
    for r in &e.rules {
        let _ = writeln!(s, "    - {}", describe(r));
    }
    let ev: Vec<String> = e.evidence.iter().map(|sp| quote(text, *sp)).collect();
    let _ = writeln!(s, "  evidence: {}", ev.join(" · "));
}
