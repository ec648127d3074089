//! Arrival-order independence of fusion (FU70): the same reports, stored in different orders
//! and batch sizes, give the same records.

use std::collections::{BTreeMap, BTreeSet};

use frontline_model::{ActorType, Extraction};

use crate::testutil::{EventSpec, actor, extraction, place};
use crate::{EventFilter, Store};

/// A text of its own for each document (no two are copies of one story).
fn text(n: usize) -> String {
    let words: Vec<String> = (0..40).map(|j| format!("w{n}t{j}")).collect();
    format!("{}.\nFollow-up sentence number {n}.", words.join(" "))
}

/// Reports of three events in made-up places: an assault at one town told on three days two
/// days apart (each report fits its neighbours only), a strike at another town told on three
/// days and once, the day after, at the country level by the same actor, and a second assault the same days
/// at a town 12 km from the first by another actor (never the same event).
fn reports() -> Vec<(Extraction, &'static str)> {
    let rebels = actor("IMGMUSISI", "Islamic State", None, ActorType::Rebel);
    let army = actor(
        "SYRMIL",
        "Syrian military",
        Some("SYR"),
        ActorType::Military,
    );
    let town_a = place("Alpha", 900101, 34.7268, 36.7234, "SY");
    let town_b = place("Bravo", 900102, 34.8394, 36.7306, "SY");
    let town_c = place("Charlie", 900103, 35.3359, 40.1408, "SY");
    let mut country = place("Syria", 163843, 35.0, 38.0, "SY");
    country.precision = frontline_model::GeoPrecision::Country;
    let day = |d: u32| format!("2017-06-{d:02}");
    let mut out = Vec::new();
    let mut n = 0;
    let mut add = |spec: EventSpec, published: String, cluster: &'static str| {
        n += 1;
        let outlet = format!("Outlet {n}");
        out.push((
            extraction(&text(n), Some(&outlet), Some(&published), &[spec]),
            cluster,
        ));
    };
    for d in [19, 21, 23] {
        let spec = EventSpec::assault(vec![rebels.clone()], Some(town_a.clone()), Some(&day(d)));
        add(spec, day(d), "alpha");
    }
    for d in [20, 22, 24] {
        let spec = EventSpec::assault(vec![army.clone()], Some(town_c.clone()), Some(&day(d)));
        add(spec, day(d), "charlie");
    }
    let spec = EventSpec::assault(vec![army.clone()], Some(country), Some(&day(25)));
    add(spec, day(25), "charlie");
    for d in [19, 21] {
        let spec = EventSpec::assault(vec![army.clone()], Some(town_b.clone()), Some(&day(d)));
        add(spec, day(d), "bravo");
    }
    out
}

/// The records as sets of clusters' report counts: which reports went together.
fn partition(store: &Store, docs: &[(Extraction, &'static str)]) -> BTreeSet<BTreeSet<String>> {
    let mut by_record: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for (ex, _) in docs {
        let Some(record) = store.document(&ex.document.id).unwrap() else {
            panic!("document not stored")
        };
        for e in record.events {
            let fused = e.fused_id.unwrap();
            by_record
                .entry(fused)
                .or_default()
                .insert(ex.document.text.clone());
        }
    }
    by_record.into_values().collect()
}

/// A fixed pseudo-random order (xorshift), so that the test is deterministic.
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut state = seed.max(1);
    let mut out = items.to_vec();
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out
}

#[test]
fn fu70_the_records_do_not_depend_on_arrival_order_or_batch_size() {
    let docs = reports();
    let mut seen = BTreeSet::new();
    for seed in 0..12_u64 {
        let order = if seed == 0 {
            docs.clone()
        } else {
            shuffled(&docs, seed)
        };
        for batch in [1, 3, order.len()] {
            let store = Store::open_in_memory().unwrap();
            let exs: Vec<Extraction> = order.iter().map(|(e, _)| e.clone()).collect();
            for chunk in exs.chunks(batch) {
                store.put_extractions(chunk).unwrap();
            }
            store.integrity_check().unwrap();
            let p = partition(&store, &docs);
            assert_eq!(p.len(), 3, "seed {seed} batch {batch}: {p:?}");
            let events = store.events(&EventFilter::default()).unwrap();
            assert_eq!(events.len(), 3, "seed {seed} batch {batch}");
            let reports: usize = events.iter().map(|e| e.n_reports).sum();
            assert_eq!(reports, docs.len());
            for e in &events {
                assert_eq!(e.n_documents, e.n_reports, "{e:?}");
                assert_eq!(e.n_sources, e.n_documents, "{e:?}");
            }
            seen.insert(p);
        }
    }
    assert_eq!(seen.len(), 1, "{seen:#?}");
}

#[test]
fn fu70_two_towns_a_country_level_report_fits_stay_apart() {
    // The country-level report matches both towns' records; they are 12 km apart, so they are
    // not merged.
    let rebels = actor("IMGMUSISI", "Islamic State", None, ActorType::Rebel);
    let mut country = place("Syria", 163843, 35.0, 38.0, "SY");
    country.precision = frontline_model::GeoPrecision::Country;
    let a = EventSpec::assault(
        vec![rebels.clone()],
        Some(place("Alpha", 900101, 34.7268, 36.7234, "SY")),
        Some("2017-06-19"),
    );
    let b = EventSpec::assault(
        vec![rebels.clone()],
        Some(place("Bravo", 900102, 34.8394, 36.7306, "SY")),
        Some("2017-06-19"),
    );
    let c = EventSpec::assault(vec![rebels], Some(country), Some("2017-06-19"));
    let store = Store::open_in_memory().unwrap();
    for (i, spec) in [a, b, c].into_iter().enumerate() {
        let ex = extraction(
            &text(i),
            Some(&format!("Outlet {i}")),
            Some("2017-06-19"),
            &[spec],
        );
        store.put_extraction(&ex).unwrap();
    }
    let events = store.events(&EventFilter::default()).unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
}

#[test]
fn fu70_a_chain_of_reports_two_days_apart_is_not_merged_past_a_week() {
    // Shelling of one town by one side told every other day: two records of five days each,
    // then a report between them that fits both. Merging would make one record of 13 days.
    let army = actor(
        "SYRMIL",
        "Syrian military",
        Some("SYR"),
        ActorType::Military,
    );
    let town = place("Alpha", 900101, 34.7268, 36.7234, "SY");
    let store = Store::open_in_memory().unwrap();
    for (i, d) in [1, 3, 5, 9, 11, 13, 7].into_iter().enumerate() {
        let day = format!("2017-06-{d:02}");
        let spec = EventSpec::assault(vec![army.clone()], Some(town.clone()), Some(&day));
        let ex = extraction(
            &text(100 + i),
            Some(&format!("Outlet {i}")),
            Some(&day),
            &[spec],
        );
        store.put_extraction(&ex).unwrap();
    }
    let events = store.events(&EventFilter::default()).unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
}
