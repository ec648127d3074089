//! Prints a one-line summary per event for a text file:
//! `cargo run -p frontline-extract --example events -- FILE [YYYY-MM-DD]`.
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs
)]

use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;
use frontline_model::DocumentMeta;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE");
    let published = args
        .next()
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let bytes = std::fs::read(&path).expect("readable file");
    let p = Pipeline::new(Geocoder::embedded().expect("gazetteer")).expect("pipeline");
    let meta = DocumentMeta {
        published_at: published,
        ..DocumentMeta::default()
    };
    let (ex, near) = p.explain(meta, &String::from_utf8_lossy(&bytes));
    for e in &ex.events {
        let names = |v: &[frontline_model::EventActor]| {
            v.iter()
                .map(|a| a.actor.code.clone())
                .collect::<Vec<_>>()
                .join("+")
        };
        println!(
            "[{}] s{} {:?}/{} '{}' src={} tgt={} loc={} date={} q={} attr={} mod={:?} acled={}",
            e.id.split(':').nth(1).unwrap_or(""),
            e.sentence,
            e.plover_type,
            e.plover_mode.clone().unwrap_or_default(),
            e.trigger_text,
            names(&e.sources),
            names(&e.targets),
            e.location
                .as_ref()
                .map(|l| format!("{} {}", l.relation, l.place.name))
                .unwrap_or_default(),
            e.date
                .as_ref()
                .map(|d| d.start.to_string())
                .unwrap_or_default(),
            e.quantities
                .iter()
                .map(|q| format!("{}{:?}", q.quantity.value, q.quantity.unit))
                .collect::<Vec<_>>()
                .join(","),
            e.attribution
                .iter()
                .map(|a| format!("{}:{:?}", a.speaker, a.source_kind))
                .collect::<Vec<_>>()
                .join("|"),
            e.modality,
            e.acled
                .as_ref()
                .map(|a| a.sub_event_type.clone())
                .unwrap_or_default(),
        );
    }
    if std::env::var("NEAR").is_ok() {
        for n in near {
            println!("near: s{} {} {}", n.sentence, n.rule, n.reason);
        }
    }
}
