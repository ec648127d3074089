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

/// Fusion measured on the demo's clusters: each file `NN-<place>-<kind>.txt` reports the
/// cluster's one real event in its lead, and the files of a cluster are the outlets telling
/// it (wire story, syndicated and reworded copies, state media, monitors, claims, denials).
/// The lead event of an article is the first event coded from its earliest sentence that has
/// one. Asserted: no fused record holds reports of two clusters, each cluster's lead
/// events are one record, and that record has the independent sources expected when copies
/// (syndicated, reworded) count with their wire story. Printed (`cargo test -p
/// frontline-server --test samples -- --nocapture`): the records and sources per cluster.
#[test]
fn fusion_on_the_demo_clusters() {
    use std::collections::BTreeMap;
    let pipeline = Pipeline::new(Geocoder::embedded().unwrap()).unwrap();
    let store = Store::open_in_memory().unwrap();
    let all = samples::all().unwrap();
    let mut lead: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut cluster_of_document: BTreeMap<String, String> = BTreeMap::new();
    let mut batch = Vec::new();
    for s in all.iter().cloned() {
        let cluster = s.file.split('-').nth(1).unwrap().to_string();
        let ex = pipeline.extract(s.meta, &s.text);
        cluster_of_document.insert(ex.document.id.clone(), cluster.clone());
        let first = ex
            .events
            .iter()
            .min_by_key(|e| e.sentence)
            .map(|e| e.id.clone());
        lead.entry(cluster)
            .or_default()
            .push((s.file.to_string(), first.unwrap_or_default()));
        batch.push(ex);
    }
    store.put_extractions(&batch).unwrap();
    // Event id -> fused record.
    let mut fused_of: BTreeMap<String, i64> = BTreeMap::new();
    let mut sources: BTreeMap<i64, usize> = BTreeMap::new();
    for f in store.events(&EventFilter::default()).unwrap() {
        sources.insert(f.id, f.n_sources);
        let reports = store.event(f.id).unwrap().unwrap().reports;
        // no record, lead event or not, holds reports of two clusters
        let clusters: BTreeSet<&String> = reports
            .iter()
            .map(|r| &cluster_of_document[&r.document_id])
            .collect();
        assert_eq!(clusters.len(), 1, "record {} mixes {clusters:?}", f.id);
        for r in reports {
            fused_of.insert(r.event_id, f.id);
        }
    }
    let mut cluster_of_record: BTreeMap<i64, String> = BTreeMap::new();
    let (mut whole, mut right_sources) = (0, 0);
    for (cluster, files) in &lead {
        let records: BTreeSet<i64> = files
            .iter()
            .filter_map(|(_, ev)| fused_of.get(ev).copied())
            .collect();
        for r in &records {
            if let Some(other) = cluster_of_record.insert(*r, cluster.clone()) {
                assert_eq!(&other, cluster, "record {r} fuses two clusters");
            }
        }
        let copies = files
            .iter()
            .filter(|(f, _)| f.contains("-syndicated") || f.contains("-reworded"))
            .count();
        let expected_sources = files.len() - copies;
        let unfused = files
            .iter()
            .filter(|(_, ev)| !fused_of.contains_key(ev))
            .count();
        if records.len() == 1 && unfused == 0 {
            whole += 1;
        }
        let got: Vec<usize> = records.iter().map(|r| sources[r]).collect();
        if got == [expected_sources] {
            right_sources += 1;
        }
        println!(
            "{cluster:<10} {} articles -> {} record(s){}; sources {got:?}, expected {expected_sources}",
            files.len(),
            records.len(),
            if unfused > 0 {
                format!(" and {unfused} lead event(s) in no record")
            } else {
                String::new()
            }
        );
    }
    println!(
        "clusters whose lead events are one record: {whole} of {}",
        lead.len()
    );
    assert_eq!(whole, lead.len(), "every cluster is one record");
    assert!(
        right_sources == lead.len(),
        "every cluster has the expected number of independent sources"
    );
}
