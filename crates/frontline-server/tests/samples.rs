#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! The bundled demo articles, through the real pipeline and store, give the demo what it
//! promises: several outlets per event, copies, disagreements, events across many countries.

use std::collections::BTreeSet;

use frontline_extract::pipeline::Pipeline;
use frontline_geocode::Geocoder;
use frontline_server::samples;
use frontline_store::{EventFilter, Store};

#[test]
fn demo_samples_fuse_into_multi_source_events_with_disagreements() {
    let pipeline = Pipeline::new(Geocoder::embedded().unwrap()).unwrap();
    let store = Store::open_in_memory().unwrap();
    let all = samples::all().unwrap();
    let mut batch = Vec::new();
    for s in all.iter().cloned() {
        let ex = pipeline.extract(s.meta, &s.text);
        ex.check_spans()
            .unwrap_or_else(|e| panic!("{}: {e}", s.file));
        batch.push(ex);
    }
    let outcomes = store.put_extractions(&batch).unwrap();
    assert_eq!(
        outcomes.iter().filter(|o| o.is_new()).count(),
        all.len(),
        "every sample is a distinct text"
    );
    let events = store.events(&EventFilter::default()).unwrap();
    assert!(events.len() >= 10, "only {} fused events", events.len());
    let multi = events.iter().filter(|e| e.n_documents >= 2).count();
    assert!(multi >= 3, "only {multi} events told by several documents");
    assert!(
        events.iter().any(|e| !e.contradictions.is_empty()),
        "no event where reports disagree"
    );
    let countries: BTreeSet<&str> = events
        .iter()
        .filter_map(|e| e.location.as_ref()?.country_code.as_deref())
        .collect();
    assert!(countries.len() >= 5, "events in only {countries:?}");
}
