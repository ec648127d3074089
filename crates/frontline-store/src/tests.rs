use frontline_model::{ActorType, Extraction, Modality, PloverType};

use crate::testutil::{EventSpec, actor, extraction, place};
use crate::{BBox, ContradictionKind, EventFilter, PutOutcome, Store};

fn isis() -> frontline_model::ActorRef {
    actor("IMGMUSISI", "Islamic State", None, ActorType::Rebel)
}
fn syrmil() -> frontline_model::ActorRef {
    actor(
        "SYRMIL",
        "Syrian military",
        Some("SYR"),
        ActorType::Military,
    )
}
fn homs() -> frontline_model::PlaceRef {
    place("Homs", 169577, 34.7268, 36.7234, "SY")
}
fn talbiseh() -> frontline_model::PlaceRef {
    // About 12 km north of Homs.
    place("Talbiseh", 163270, 34.8394, 36.7306, "SY")
}
fn homs_outskirts() -> frontline_model::PlaceRef {
    // About 5 km north of the centre of Homs.
    place("Homs northern outskirts", 900001, 34.7718, 36.7234, "SY")
}
fn deir() -> frontline_model::PlaceRef {
    place("Deir ez-Zor", 170794, 35.3359, 40.1408, "SY")
}

const WIRE: &str = "Islamic State fighters attacked army positions outside Homs on Monday, \
killing at least nine soldiers, a war monitor said.\nThe assault began before dawn and lasted \
several hours, according to residents reached by telephone.";
const COPY: &str = "Islamic State fighters attacked army positions outside the city of Homs on \
Monday, killing at least nine soldiers, a war monitor said.\nThe assault began before dawn and \
lasted several hours, residents reached by telephone said.";
const OTHER: &str = "Government warplanes struck the outskirts of Homs late on Monday, state \
television reported, saying dozens of militants were killed.\nIt did not say how the figure \
was reached.";

/// The wire's report of an Islamic State assault in Homs on 2017-06-19, which several tests
/// start from.
fn wire_report() -> Extraction {
    extraction(
        WIRE,
        Some("Wire"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![isis()],
            Some(homs()),
            Some("2017-06-19"),
        )],
    )
}

/// Every row of `sql`, each read as the tuple `T`.
fn rows_of<T>(conn: &rusqlite::Connection, sql: &str) -> Vec<T>
where
    T: for<'a> TryFrom<&'a rusqlite::Row<'a>, Error = rusqlite::Error>,
{
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| T::try_from(r))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn put_is_idempotent() {
    let store = Store::open_in_memory().unwrap();
    let ex = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]);
    assert!(store.put_extraction(&ex).unwrap().is_new());
    let before = store.counts().unwrap();
    assert_eq!(
        store.put_extraction(&ex).unwrap(),
        PutOutcome::Known {
            document_id: ex.document.id.clone()
        }
    );
    assert_eq!(store.counts().unwrap(), before);
    assert_eq!(before.documents, 1);
    // A batch holding the same document twice stores it once.
    let ex2 = extraction(OTHER, None, None, &[]);
    let out = store.put_extractions(&[ex2.clone(), ex2]).unwrap();
    assert!(out[0].is_new());
    assert!(!out[1].is_new());
}

#[test]
fn file_store_persists_and_migrates_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/frontline.db");
    {
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            crate::schema::SCHEMA_VERSION
        );
        store
            .put_extraction(&extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]))
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        crate::schema::SCHEMA_VERSION
    );
    assert_eq!(store.counts().unwrap().documents, 1);
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    assert!(Store::open_existing(dir.path().join("missing.db")).is_err());
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(err.contains("newer"), "{err}");
}

#[test]
fn copies_share_a_story() {
    let store = Store::open_in_memory().unwrap();
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]);
    let b = extraction(COPY, Some("Daily"), Some("2017-06-19"), &[]);
    let c = extraction(OTHER, Some("State TV"), Some("2017-06-19"), &[]);
    store
        .put_extractions(&[a.clone(), b.clone(), c.clone()])
        .unwrap();
    let da = store.document(&a.document.id).unwrap().unwrap();
    let db = store.document(&b.document.id).unwrap().unwrap();
    let dc = store.document(&c.document.id).unwrap().unwrap();
    assert_eq!(da.story_id, db.story_id);
    assert_ne!(da.story_id, dc.story_id);
    assert_eq!(db.nearest_copy.as_deref(), Some(a.document.id.as_str()));
    assert!(db.similarity.unwrap() > 0.4, "{:?}", db.similarity);
    assert_eq!(da.story_documents, vec![b.document.id]);
}

/// Adds a quantity mention (a figure) to an extraction, over its first word.
fn with_figure(mut ex: Extraction, kind: frontline_model::QuantityKind, value: f64) -> Extraction {
    let span = frontline_model::Span::new(0, ex.document.text.find(' ').unwrap_or(1));
    ex.mentions.push(frontline_model::Mention {
        id: ex.mentions.len(),
        span,
        text: span
            .slice(&ex.document.text)
            .unwrap_or_default()
            .to_string(),
        sentence: 0,
        data: frontline_model::MentionData::Quantity(frontline_model::Quantity {
            value,
            value_max: None,
            unit: frontline_model::Unit::People,
            quantity_kind: kind,
            approximate: false,
        }),
    });
    ex
}

/// A reworded copy shares fewer words than a syndicated one; it is recognised by reporting the
/// wire story's figures within days of it. A report with a figure of its own, one published
/// weeks later, or one with no figures is not a copy.
#[test]
fn reworded_copies_are_recognised_by_their_figures() {
    use frontline_model::QuantityKind::{Killed, Wounded};
    const WIRE_RW: &str = "An air strike hit a crowded vegetable market in the northwestern city \
        of Idlib on Tuesday, killing at least 12 civilians and wounding 30 others, rescue \
        workers said. The aircraft came twice, a civil defence volunteer said.";
    const REWORDED: &str = "At least a dozen people were killed on Tuesday when warplanes bombed \
        a busy market in Idlib, according to local rescuers. About 30 people were hurt and the \
        jets came back twice, a volunteer said.";
    let figures =
        |ex: Extraction, killed: f64| with_figure(with_figure(ex, Killed, killed), Wounded, 30.0);
    let wire = figures(
        extraction(WIRE_RW, Some("Wire"), Some("2021-03-02"), &[]),
        12.0,
    );
    let cases = [
        ("2021-03-03", Some(12.0), true),
        ("2021-03-03", Some(17.0), false),
        ("2021-03-30", Some(12.0), false),
        ("2021-03-03", None, false),
    ];
    for (date, killed, copy) in cases {
        let store = Store::open_in_memory().unwrap();
        let text_ex = extraction(REWORDED, Some("Daily"), Some(date), &[]);
        let b = match killed {
            Some(k) => figures(text_ex, k),
            None => text_ex,
        };
        store.put_extractions(&[wire.clone(), b.clone()]).unwrap();
        let da = store.document(&wire.document.id).unwrap().unwrap();
        let db = store.document(&b.document.id).unwrap().unwrap();
        let s = db.similarity.unwrap_or(0.0);
        assert!(
            (crate::copies::REWORD_THRESHOLD..crate::copies::STORY_THRESHOLD).contains(&s),
            "the two share some words, not enough for a copy by words: {s}"
        );
        assert_eq!(
            da.story_id == db.story_id,
            copy,
            "published {date}, killed {killed:?}: copy expected {copy}"
        );
    }
}

#[test]
fn reports_of_one_event_fuse_and_count_independent_sources() {
    let store = Store::open_in_memory().unwrap();
    let ev = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    let a = extraction(
        WIRE,
        Some("Wire"),
        Some("2017-06-19"),
        std::slice::from_ref(&ev),
    );
    // A syndicated copy: same story, counts once.
    let b = extraction(
        COPY,
        Some("Daily"),
        Some("2017-06-20"),
        std::slice::from_ref(&ev),
    );
    // An independent report placing it a few km away, one day later.
    let mut ev_c = EventSpec::assault(vec![isis()], Some(homs_outskirts()), Some("2017-06-20"));
    ev_c.targets = vec![syrmil()];
    let c = extraction(
        "Militants stormed a checkpoint on the northern outskirts of Homs, a local council said.",
        Some("Monitor"),
        Some("2017-06-20"),
        &[ev_c],
    );
    // A different event: same type and day, 300 km away.
    let d = extraction(
        "Islamic State shelled Deir ez-Zor on Monday.",
        Some("Wire"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![isis()],
            Some(deir()),
            Some("2017-06-19"),
        )],
    );
    for ex in [&a, &b, &c, &d] {
        store.put_extraction(ex).unwrap();
    }
    // The writer added the later reports from its cache, which must hold what is stored.
    assert!(!store.cache.lock().unwrap().fused.is_empty());
    assert_write_cache_matches_db(&store);
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 2, "{all:#?}");
    let homs_ev = all
        .iter()
        .find(|f| f.location.as_ref().unwrap().name == "Homs")
        .unwrap();
    assert_eq!(homs_ev.n_reports, 3);
    assert_eq!(homs_ev.n_documents, 3);
    assert_eq!(homs_ev.n_sources, 2);
    assert_eq!(homs_ev.n_outlets, 3);
    assert_eq!(homs_ev.earliest_document, a.document.id);
    assert_eq!(homs_ev.earliest_report.unwrap().to_string(), "2017-06-19");
    assert_eq!(homs_ev.targets[0].code, "SYRMIL");
    let detail = store.event(homs_ev.id).unwrap().unwrap();
    assert_eq!(detail.reports.len(), 3);
    assert_eq!(detail.reports[0].document_id, a.document.id);
    assert!(!detail.reports[0].quotes.is_empty());
    assert!(detail.reports[0].sentence.is_some());
    // Different-day reports within the window are flagged.
    assert!(
        homs_ev
            .contradictions
            .iter()
            .any(|c| c.kind == ContradictionKind::Date)
    );
    let deir_ev = all.iter().find(|f| f.id != homs_ev.id).unwrap();
    assert_eq!(deir_ev.n_reports, 1);
    assert!(store.event(9999).unwrap().is_none());
    // Sources and tolls are read from every document up to the cap, and from the earliest
    // stored ones beyond it (issue 23, item 1: one record told by very many documents).
    assert_eq!(detail.sources_documents_read, 3);
    let conn = store.conn().unwrap();
    let capped = crate::sources::read(&conn, homs_ev.id, 2).unwrap();
    assert_eq!(capped.documents_read, 2);
    let sourced: usize = capped.independent.iter().map(|s| s.documents).sum();
    assert_eq!(sourced, 2, "{:#?}", capped.independent);
    let all_docs = crate::sources::read(&conn, homs_ev.id, 100).unwrap();
    assert_eq!(all_docs.documents_read, 3);
}

#[test]
fn fusion_is_incremental_and_flags_contradictions() {
    let store = Store::open_in_memory().unwrap();
    let mut e1 = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    e1.killed = Some(9.0);
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[e1]);
    let out = store.put_extraction(&a).unwrap();
    let PutOutcome::New { fused_created, .. } = out else {
        panic!("{out:?}")
    };
    assert_eq!(fused_created, 1);
    let id = store.events(&EventFilter::default()).unwrap()[0].id;

    put_contradicting_state_tv(&store);

    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 1);
    let f = &all[0];
    assert_eq!(f.id, id);
    assert_eq!(f.n_reports, 2);
    assert_eq!(f.n_sources, 2);
    assert_eq!(f.fatalities, Some(9));
    // the hedged 40 widens the range, the report stating it as fact gives the best estimate
    assert_eq!(f.fatalities_best, Some(9));
    assert_eq!(f.fatalities_max, Some(40));
    assert_eq!(f.modality, Modality::Asserted);
    let kinds: Vec<ContradictionKind> = f.contradictions.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&ContradictionKind::Perpetrator), "{kinds:?}");
    assert!(kinds.contains(&ContradictionKind::Fatalities), "{kinds:?}");
    assert!(kinds.contains(&ContradictionKind::Hedging), "{kinds:?}");
    assert!(!kinds.contains(&ContradictionKind::Date), "{kinds:?}");

    // The claims are read from the reports, in the order they were added; each names its
    // report.
    let fatalities = f
        .contradictions
        .iter()
        .find(|c| c.kind == ContradictionKind::Fatalities)
        .unwrap();
    let values: Vec<&str> = fatalities.claims.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["9", "40"]);
    assert_eq!(fatalities.claims[0].document_id, a.document.id);
    assert_eq!(fatalities.claims[0].outlet.as_deref(), Some("Wire"));

    // What the writer stores is made from the summary: the full record less the claims. The
    // stored aggregate keeps no claim (its size does not grow with the reports).
    let conn = store.conn().unwrap();
    let (values, state) = crate::put::stored_fused(&conn, id).unwrap();
    let mut full = f.clone();
    assert!(full.contradictions.iter().all(|c| !c.claims.is_empty()));
    for c in &mut full.contradictions {
        c.claims.clear();
    }
    // The stamps are the row's, not the aggregate's.
    (full.created_at, full.updated_at) = (None, None);
    assert_eq!(state.finish_summary(id).unwrap(), full);
    let Some(rusqlite::types::Value::Text(agg)) = values.get(crate::columns::SUMMARY_COLUMNS.len())
    else {
        panic!("no aggregate: {values:?}")
    };
    assert!(!agg.contains("event_id"), "{agg}");

    // The detail says how many reports the claims were read from: both here.
    drop(conn);
    let detail = store.event(id).unwrap().unwrap();
    assert_eq!(detail.claims_reports_read, 2);
    assert_eq!(detail.reports_total, 2);
    assert!(detail.aggregate_capped.is_empty());
}

#[test]
fn a_record_told_by_many_outlets_keeps_a_bounded_aggregate_and_says_so() {
    // Issue 23, item 1: one record from more outlets than its aggregate lists.
    let store = Store::open_in_memory().unwrap();
    let ev = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    let n = crate::MAX_AGGREGATE_ENTRIES + 44;
    let batch: Vec<Extraction> = (0..n)
        .map(|i| {
            extraction(
                &format!("Bulletin {i}: fighters hit an army post near Homs on Monday."),
                Some(&format!("Outlet {i}")),
                Some("2017-06-19"),
                std::slice::from_ref(&ev),
            )
        })
        .collect();
    store.put_extractions(&batch).unwrap();
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].n_reports, n);
    assert_eq!(all[0].n_outlets, crate::MAX_AGGREGATE_ENTRIES);
    let detail = store.event(all[0].id).unwrap().unwrap();
    assert_eq!(detail.aggregate_capped.get("outlets"), Some(&44));
    let json = serde_json::to_value(&detail).unwrap();
    assert_eq!(json["aggregate_capped"]["outlets"], 44);
    // the record is the agreeing reports' own
    assert_eq!(detail.event.location.unwrap().name, "Homs");
    assert_eq!(detail.event.sources[0].code, "IMGMUSISI");
}

#[test]
fn contradiction_claims_are_read_from_a_bounded_number_of_reports() {
    // Issue 23, item 1: a record's claims are read from at most MAX_CLAIM_REPORTS reports;
    // with a bound of 1 of its 2 reports, the claims are the first report's only, and the
    // reader says it read 1.
    let store = Store::open_in_memory().unwrap();
    let mut e1 = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    e1.killed = Some(9.0);
    store
        .put_extraction(&extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[e1]))
        .unwrap();
    put_contradicting_state_tv(&store);
    let id = store.events(&EventFilter::default()).unwrap()[0].id;
    let conn = store.conn().unwrap();
    let (all, read_all) = crate::query::stored_claims(&conn, id, usize::MAX).unwrap();
    let (first, read_first) = crate::query::stored_claims(&conn, id, 1).unwrap();
    assert_eq!((read_all, read_first), (2, 1));
    assert_ne!(all, first);
    let (none, read_none) = crate::query::stored_claims(&conn, id, 0).unwrap();
    assert_eq!((none, read_none), (crate::fusion::Claims::default(), 0));
}

#[test]
fn different_actors_at_different_places_do_not_fuse() {
    let store = Store::open_in_memory().unwrap();
    let rebels = actor("SYRREB", "Syrian rebels", Some("SYR"), ActorType::Rebel);
    let us = actor("USAMIL", "US military", Some("USA"), ActorType::Military);
    let a = extraction(
        "Rebels attacked Homs.",
        Some("A"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![rebels],
            Some(homs()),
            Some("2017-06-19"),
        )],
    );
    // 30 km away, disjoint actors of other countries: a different event.
    let b = extraction(
        "US jets struck Rastan.",
        Some("B"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![us],
            Some(place("Rastan", 163345, 34.9266, 36.7325, "SY")),
            Some("2017-06-19"),
        )],
    );
    // Same place, outside the date window.
    let c = extraction(
        "Rebels attacked Homs again.",
        Some("C"),
        Some("2017-06-30"),
        &[EventSpec::assault(
            vec![isis()],
            Some(homs()),
            Some("2017-06-30"),
        )],
    );
    // Same place and day, another type.
    let mut protest = EventSpec::assault(vec![], Some(homs()), Some("2017-06-19"));
    protest.plover = PloverType::Protest;
    let d = extraction("Crowds marched in Homs.", Some("D"), None, &[protest]);
    store.put_extractions(&[a, b, c, d]).unwrap();
    assert_eq!(store.events(&EventFilter::default()).unwrap().len(), 4);
}

#[test]
fn a_later_toll_update_is_the_best_estimate_and_the_range_holds_every_report() {
    let store = Store::open_in_memory().unwrap();
    let mut first = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    first.killed = Some(9.0);
    let mut claim = first.clone();
    claim.killed = Some(30.0);
    claim.modality = Modality::Hedged;
    let mut update = first.clone();
    update.killed = Some(13.0);
    // the update first, to show the order reports arrive in does not matter
    let docs = [
        extraction(
            "Officials said on Wednesday the toll rose to 13.",
            Some("Monitor"),
            Some("2017-06-21"),
            &[update],
        ),
        extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[first]),
        extraction(OTHER, Some("Group"), Some("2017-06-22"), &[claim]),
    ];
    store.put_extractions(&docs).unwrap();
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    let f = &all[0];
    assert_eq!(
        (f.fatalities, f.fatalities_best, f.fatalities_max),
        (Some(9), Some(13), Some(30))
    );
    assert_write_cache_matches_db(&store);
}

#[test]
fn a_rewrite_crediting_the_wire_counts_with_it() {
    // Three outlets, three stories as copy detection sees them (the rewrite shares too few
    // words); the rewrite credits the wire ("— NNA"), so the wire and it are one source, the
    // monitor another.
    let store = Store::open_in_memory().unwrap();
    let ev = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    let docs = [
        extraction(
            WIRE,
            Some("Northstar News Agency"),
            Some("2017-06-19"),
            std::slice::from_ref(&ev),
        ),
        extraction(
            "Jihadists hit an army post by Homs overnight; nine troops died.\n— NNA",
            Some("Levant Daily"),
            Some("2017-06-19"),
            std::slice::from_ref(&ev),
        ),
        extraction(
            OTHER,
            Some("Homs Monitor"),
            Some("2017-06-19"),
            std::slice::from_ref(&ev),
        ),
    ];
    store.put_extractions(&docs).unwrap();
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!((all[0].n_documents, all[0].n_sources), (3, 2));
    assert_write_cache_matches_db(&store);
}

#[test]
fn two_towns_more_than_a_few_km_apart_do_not_fuse() {
    // Same type, day and perpetrator, same story even (a wire telling two strikes): Homs and
    // Talbiseh, 12 km apart, are two places.
    let store = Store::open_in_memory().unwrap();
    let a = extraction(
        WIRE,
        Some("Wire"),
        Some("2017-06-19"),
        &[
            EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19")),
            EventSpec::assault(vec![isis()], Some(talbiseh()), Some("2017-06-19")),
        ],
    );
    store.put_extraction(&a).unwrap();
    assert_eq!(store.events(&EventFilter::default()).unwrap().len(), 2);
}

#[test]
fn a_capture_and_an_attack_on_the_same_town_are_one_event() {
    // One report codes the fall of the town as a capture (COERCE, ACLED Battles / Non-state
    // actor overtakes territory), another as the shelling that took it (ASSAULT, Explosions/
    // Remote violence): one type family, the same town, the same day. (Killings of civilians,
    // ACLED Violence against civilians, would stay apart from the battle: FU50.)
    let store = Store::open_in_memory().unwrap();
    let mut capture = extraction(
        "Islamic State fighters overran Homs on Monday.",
        Some("Wire"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![isis()],
            Some(homs()),
            Some("2017-06-19"),
        )],
    );
    capture.events[0].plover_type = PloverType::Coerce;
    capture.events[0].acled = Some(frontline_model::AcledType {
        event_type: "Battles".into(),
        sub_event_type: "Non-state actor overtakes territory".into(),
    });
    let mut attack = extraction(
        "Jihadists shelled Homs before entering it, state television said.",
        Some("State TV"),
        Some("2017-06-19"),
        &[EventSpec::assault(vec![], Some(homs()), Some("2017-06-19"))],
    );
    attack.events[0].acled = Some(frontline_model::AcledType {
        event_type: "Explosions/Remote violence".into(),
        sub_event_type: "Shelling/artillery/missile attack".into(),
    });
    // Another type family at the same town and day stays apart.
    let mut protest = EventSpec::assault(vec![], Some(homs()), Some("2017-06-19"));
    protest.plover = PloverType::Protest;
    let mut protest = extraction("Crowds marched in Homs.", Some("D"), None, &[protest]);
    protest.events[0].acled = None;
    // A capture of a town 12 km away stays apart too.
    let mut other = extraction(
        "Islamic State fighters overran Talbiseh on Monday.",
        Some("Local"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![isis()],
            Some(talbiseh()),
            Some("2017-06-19"),
        )],
    );
    other.events[0].plover_type = PloverType::Coerce;
    store
        .put_extractions(&[capture, attack, protest, other])
        .unwrap();
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all.iter().any(|f| f.n_documents == 2 && f.n_sources == 2));
    assert_write_cache_matches_db(&store);
}

#[test]
fn negated_events_are_stored_but_not_fused() {
    let store = Store::open_in_memory().unwrap();
    let mut e = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    e.modality = Modality::Negated;
    let a = extraction(WIRE, None, None, &[e]);
    store.put_extraction(&a).unwrap();
    assert_eq!(store.counts().unwrap().events, 1);
    assert_eq!(store.counts().unwrap().fused_events, 0);
    let doc = store.document(&a.document.id).unwrap().unwrap();
    assert_eq!(doc.events.len(), 1);
    assert_eq!(doc.events[0].fused_id, None);
}

#[test]
fn filters_select_events() {
    let store = Store::open_in_memory().unwrap();
    let a = wire_report();
    let b = extraction(
        COPY,
        Some("Daily"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![isis()],
            Some(homs()),
            Some("2017-06-19"),
        )],
    );
    let c = extraction(
        "The army shelled Deir ez-Zor neighbourhoods held by militants.",
        Some("Other"),
        Some("2017-07-02"),
        &[EventSpec::assault(
            vec![syrmil()],
            Some(deir()),
            Some("2017-07-01"),
        )],
    );
    let mut protest = EventSpec::assault(vec![], None, Some("2017-07-03"));
    protest.plover = PloverType::Protest;
    let d = extraction("Students protested in the capital.", None, None, &[protest]);
    store.put_extractions(&[a, b, c, d]).unwrap();

    let n = |f: EventFilter| store.events(&f).unwrap().len();
    assert_eq!(n(EventFilter::default()), 3);
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    assert_eq!(
        n(EventFilter {
            since: day("2017-07-01"),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            until: day("2017-06-30"),
            ..Default::default()
        }),
        1
    );
    let bbox: BBox = "36,34,37,35".parse().unwrap();
    assert_eq!(
        n(EventFilter {
            bbox: Some(bbox),
            ..Default::default()
        }),
        1
    );
    assert!("1,2,3".parse::<BBox>().is_err());
    assert!("a,2,3,4".parse::<BBox>().is_err());
    assert_eq!(
        n(EventFilter {
            plover_type: Some(PloverType::Protest),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            acled_type: Some("battles".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            actor: Some("syrmil".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            actor: Some("Islamic".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            country: Some("sy".into()),
            ..Default::default()
        }),
        2
    );
    // Several values per filter (issue 23, item 13): any of them.
    assert_eq!(
        n(EventFilter {
            plover_types: vec![PloverType::Assault, PloverType::Protest],
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        n(EventFilter {
            plover_types: vec![PloverType::Protest],
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            plover_types: vec![PloverType::Protest],
            acled_types: vec!["armed CLASH".into()],
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        n(EventFilter {
            acled_types: vec!["Riots".into(), "battles".into()],
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            countries: vec!["IQ".into(), "sy".into()],
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            countries: vec!["IQ".into()],
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        n(EventFilter {
            countries: vec!["SY".into()],
            plover_types: vec![PloverType::Protest],
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        n(EventFilter {
            text: Some("neighbourhoods".into()),
            ..Default::default()
        }),
        1
    );
    // Free text with FTS5 syntax characters is quoted, never an SQL or FTS error.
    assert_eq!(
        n(EventFilter {
            text: Some("army\" (shelled*".into()),
            ..Default::default()
        }),
        1
    );
    assert!(
        store
            .events(&EventFilter {
                text: Some("  ".into()),
                ..Default::default()
            })
            .is_err()
    );
    assert_eq!(
        n(EventFilter {
            min_sources: Some(2),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        n(EventFilter {
            limit: Some(1),
            offset: Some(1),
            ..Default::default()
        }),
        1
    );
    let stats = store.stats(&EventFilter::default()).unwrap();
    assert_eq!(stats.events, 3);
    assert_eq!(stats.reports, 4);
    assert_eq!(stats.by_day.len(), 3);
    assert_eq!(stats.by_type[0].key, "ASSAULT");
    assert_eq!(stats.by_type[0].count, 2);
    assert_eq!(stats.by_country[0].key, "SY");
    let sy = store
        .stats(&EventFilter {
            country: Some("SY".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(sy.events, 2);
    assert_eq!(store.count_events(&EventFilter::default()).unwrap(), 3);
}

#[test]
fn document_round_trips_mentions_and_meta() {
    let store = Store::open_in_memory().unwrap();
    let mut a = wire_report();
    a.document.origin = Some(frontline_model::Origin {
        format: "warc".into(),
        path: Some("/data/x.warc.gz".into()),
        record_offset: Some(1234),
        record_index: Some(3),
    });
    a.warnings.push("lossy decoding".into());
    store.put_extraction(&a).unwrap();
    let d = store.document(&a.document.id).unwrap().unwrap();
    assert_eq!(d.document, a.document);
    assert_eq!(d.mentions, a.mentions);
    assert_eq!(d.sentences, a.sentences);
    assert_eq!(d.warnings, a.warnings);
    assert_eq!(d.events.len(), 1);
    assert!(d.events[0].fused_id.is_some());
    assert!(store.document("nope").unwrap().is_none());
    // Everything the API returns serialises.
    serde_json::to_string(&d).unwrap();
    let f = store.events(&EventFilter::default()).unwrap();
    serde_json::to_string(&store.event(f[0].id).unwrap()).unwrap();
}

#[test]
fn a_vague_report_does_not_stretch_an_event_over_the_year() {
    use frontline_model::{TimePrecision, TimeRef};
    let store = Store::open_in_memory().unwrap();
    let a = wire_report();
    // A copy that also mentions attacks "this year": year-precision date, same story.
    let mut b = extraction(
        COPY,
        Some("Daily"),
        Some("2017-06-19"),
        &[
            EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19")),
            EventSpec::assault(vec![isis()], None, None),
        ],
    );
    b.events[1].date = Some(TimeRef {
        start: chrono::NaiveDate::from_ymd_opt(2017, 1, 1).unwrap(),
        end: chrono::NaiveDate::from_ymd_opt(2017, 12, 31).unwrap(),
        precision: TimePrecision::Year,
        derivation: "explicit".into(),
        anchor: None,
    });
    // An attack at the same place three weeks later is another event.
    let c = extraction(
        "Islamic State fighters attacked Homs again in July.",
        Some("Monitor"),
        Some("2017-07-10"),
        &[EventSpec::assault(
            vec![isis()],
            Some(homs()),
            Some("2017-07-10"),
        )],
    );
    store.put_extractions(&[a, b, c]).unwrap();
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().any(|f| f.n_documents == 2));
}

#[test]
fn generic_role_codes_do_not_make_actors_shared() {
    let store = Store::open_in_memory().unwrap();
    let soldiers = actor("MIL", "soldiers", None, ActorType::Military);
    let idlib = place("Idlib", 169389, 35.9306, 36.6339, "SY");
    let mut idlib_province = idlib;
    idlib_province.precision = frontline_model::GeoPrecision::Admin1;
    idlib_province.admin1 = Some("Idlib".into());
    let a = extraction(
        "Soldiers attacked Idlib.",
        Some("A"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![soldiers.clone()],
            Some(idlib_province.clone()),
            Some("2017-06-19"),
        )],
    );
    // Another outlet, only the province known, only "soldiers" in common: not enough.
    let b = extraction(
        "Soldiers raided villages in Idlib province.",
        Some("B"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![soldiers],
            Some(idlib_province),
            Some("2017-06-19"),
        )],
    );
    store.put_extractions(&[a, b]).unwrap();
    assert_eq!(store.events(&EventFilter::default()).unwrap().len(), 2);
}

/// Stores State TV's version of the Homs attack (a different perpetrator, a different toll,
/// hedged) and checks that it joined the one fused event already there.
fn put_contradicting_state_tv(store: &Store) {
    let mut e = EventSpec::assault(vec![syrmil()], Some(homs()), Some("2017-06-19"));
    e.killed = Some(40.0);
    e.modality = Modality::Hedged;
    let b = extraction(OTHER, Some("State TV"), Some("2017-06-19"), &[e]);
    let out = store.put_extraction(&b).unwrap();
    let PutOutcome::New {
        fused_created,
        fused_updated,
        ..
    } = out
    else {
        panic!("{out:?}")
    };
    assert_eq!((fused_created, fused_updated), (0, 1));
}

/// Fused events written by schema version 1 carry no running aggregate and are filed under
/// bucket -1 by the migration; a new report joining one rebuilds the aggregate from the stored
/// members and gives the same record as in a database written by this version throughout.
#[test]
fn fused_events_from_schema_1_are_rebuilt_when_a_report_joins() {
    let run = |simulate_v1: bool| {
        let store = Store::open_in_memory().unwrap();
        let mut e1 = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
        e1.killed = Some(9.0);
        let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[e1]);
        let b = extraction(
            COPY,
            Some("Daily"),
            Some("2017-06-20"),
            &[EventSpec::assault(
                vec![isis()],
                Some(homs()),
                Some("2017-06-19"),
            )],
        );
        store.put_extraction(&a).unwrap();
        store.put_extraction(&b).unwrap();
        if simulate_v1 {
            let records = store.events(&EventFilter::default()).unwrap();
            let conn = store.conn().unwrap();
            for f in records {
                conn.execute(
                    "UPDATE fused_events SET record = ?1 WHERE id = ?2",
                    rusqlite::params![serde_json::to_string(&f).unwrap(), f.id],
                )
                .unwrap();
            }
            conn.execute_batch(
                "UPDATE fused_events SET agg = NULL, actor_codes = NULL, actor_countries = NULL, \
                 stories = NULL;
                 DELETE FROM fused_buckets;
                 INSERT INTO fused_buckets (tkey, bucket, fused_id)
                   SELECT 'p|' || plover_type || '|' || upper(coalesce(country_code, '')), -1, id
                   FROM fused_events;",
            )
            .unwrap();
        }
        put_contradicting_state_tv(&store);
        let all = store.events(&EventFilter::default()).unwrap();
        assert_eq!(all.len(), 1);
        all.into_iter().next().unwrap()
    };
    let fresh = run(false);
    let migrated = run(true);
    assert_eq!(fresh.n_reports, 3);
    assert_eq!(fresh.n_sources, 2);
    assert_eq!(unstamped(vec![fresh]), unstamped(vec![migrated]));
}

/// A finished fused event for the bulk-insert and index tests.
fn fused(
    plover: PloverType,
    days: Option<(&str, &str)>,
    at: Option<(f64, f64)>,
) -> crate::FusedEvent {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    crate::FusedEvent {
        id: 0,
        plover_type: plover,
        plover_mode: None,
        acled: None,
        cameo_root: None,
        date_start: days.map(|d| day(d.0)),
        date_end: days.map(|d| day(d.1)),
        time_precision: None,
        location: at.map(|(lat, lon)| crate::FusedLocation {
            name: "Somewhere".into(),
            geonameid: None,
            lat: Some(lat),
            lon: Some(lon),
            precision: frontline_model::GeoPrecision::Point,
            country_code: Some("SY".into()),
            admin1: None,
            relation: "in".into(),
        }),
        sources: vec![crate::FusedActor {
            code: "SYRMIL".into(),
            name: "Syrian military".into(),
            country: Some("SYR".into()),
            actor_type: ActorType::Military,
            reports: 1,
        }],
        targets: vec![],
        fatalities: None,
        fatalities_best: None,
        fatalities_max: None,
        n_reports: 2,
        n_documents: 2,
        n_sources: 2,
        n_outlets: 2,
        outlets: vec![],
        earliest_report: None,
        earliest_document: "d".into(),
        modality: Modality::Asserted,
        confidence: 0.5,
        notes: String::new(),
        contradictions: vec![],
        match_start: None,
        match_end: None,
        created_at: None,
        updated_at: None,
    }
}

/// Events for the date and box filters: ids 1..=7 in this order.
fn indexed_events() -> Vec<crate::FusedEvent> {
    use PloverType::{Assault, Protest};
    vec![
        // 1: Homs, one day.
        fused(
            Assault,
            Some(("2020-03-10", "2020-03-10")),
            Some((34.73, 36.72)),
        ),
        // 2: Homs, a week that starts before 2020-03-10.
        fused(
            Assault,
            Some(("2020-03-05", "2020-03-11")),
            Some((34.80, 36.70)),
        ),
        // 3: Homs, a month later.
        fused(
            Protest,
            Some(("2020-04-10", "2020-04-10")),
            Some((34.73, 36.72)),
        ),
        // 4: Fiji, west of the antimeridian.
        fused(
            Assault,
            Some(("2020-03-10", "2020-03-10")),
            Some((-17.8, 178.4)),
        ),
        // 5: Samoa, east of it.
        fused(
            Assault,
            Some(("2020-03-10", "2020-03-10")),
            Some((-13.8, -171.8)),
        ),
        // 6: dated, no place.
        fused(Assault, Some(("2020-03-10", "2020-03-10")), None),
        // 7: placed at Homs, no date.
        fused(Assault, None, Some((34.73, 36.72))),
    ]
}

fn ids(store: &Store, f: &EventFilter) -> Vec<i64> {
    let mut v: Vec<i64> = store.events(f).unwrap().iter().map(|e| e.id).collect();
    v.sort();
    assert_eq!(store.count_events(f).unwrap(), v.len() as u64, "{f:?}");
    assert_eq!(store.stats(f).unwrap().events, v.len() as u64, "{f:?}");
    v
}

fn check_date_and_box_filters(store: &Store) {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let homs: BBox = "36.5,34.5,37,35".parse().unwrap();
    let pacific: BBox = "178,-20,-170,-10".parse().unwrap();
    let march10 = EventFilter {
        since: day("2020-03-10"),
        until: day("2020-03-10"),
        ..Default::default()
    };
    assert_eq!(ids(store, &march10), vec![1, 2, 4, 5, 6]);
    let homs_march10 = EventFilter {
        bbox: Some(homs),
        ..march10.clone()
    };
    assert_eq!(ids(store, &homs_march10), vec![1, 2]);
    // The week-long event overlaps a window that starts after it began.
    let homs_march11 = EventFilter {
        since: day("2020-03-11"),
        until: day("2020-03-31"),
        bbox: Some(homs),
        ..Default::default()
    };
    assert_eq!(ids(store, &homs_march11), vec![2]);
    assert_eq!(
        ids(
            store,
            &EventFilter {
                since: day("2020-03-01"),
                bbox: Some(homs),
                ..Default::default()
            }
        ),
        vec![1, 2, 3]
    );
    assert_eq!(
        ids(
            store,
            &EventFilter {
                until: day("2020-03-09"),
                ..Default::default()
            }
        ),
        vec![2]
    );
    assert_eq!(
        ids(
            store,
            &EventFilter {
                plover_type: Some(PloverType::Protest),
                since: day("2020-01-01"),
                bbox: Some(homs),
                ..Default::default()
            }
        ),
        vec![3]
    );
    assert_eq!(
        ids(
            store,
            &EventFilter {
                bbox: Some(pacific),
                ..march10.clone()
            }
        ),
        vec![4, 5]
    );
    // Without a date filter the undated event is found by its place.
    assert_eq!(
        ids(
            store,
            &EventFilter {
                bbox: Some(homs),
                ..Default::default()
            }
        ),
        vec![1, 2, 3, 7]
    );
    assert_eq!(
        ids(store, &EventFilter::default()),
        (1..=7).collect::<Vec<_>>()
    );
    // Pages come in date order, undated last, with the index or without.
    let page: Vec<i64> = store
        .events(&EventFilter {
            limit: Some(3),
            offset: Some(1),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(page, vec![1, 4, 5]);
    let page: Vec<i64> = store
        .events(&EventFilter {
            limit: Some(2),
            ..march10
        })
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(page, vec![2, 1]);
}

#[test]
fn bulk_insert_and_date_box_filters_use_the_rtree() {
    let store = Store::open_in_memory().unwrap();
    let given = store.insert_fused_events(&indexed_events()).unwrap();
    assert_eq!(given, (1..=7).collect::<Vec<_>>());
    assert_eq!(store.counts().unwrap().fused_events, 7);
    let e = store.event(2).unwrap().unwrap();
    assert_eq!(e.event.id, 2);
    assert!(e.reports.is_empty());
    check_date_and_box_filters(&store);
    // Stats with a filter are counted in one pass, not by one grouped query per aggregate: a
    // filter that keeps everything must give the same answer.
    let all = EventFilter {
        min_sources: Some(0),
        ..Default::default()
    };
    let grouped = store.stats(&EventFilter::default()).unwrap();
    assert_eq!(store.stats(&all).unwrap(), grouped);
    assert_eq!(grouped.events, 7);
    assert_eq!(grouped.reports, 14);
    assert_eq!(grouped.by_day.len(), 3);
    assert_eq!(grouped.by_type[0].key, "ASSAULT");
    assert_eq!(grouped.by_type[0].count, 6);
    let plan = store
        .events_query_plan(&EventFilter {
            since: chrono::NaiveDate::from_ymd_opt(2020, 3, 1),
            bbox: Some("36.5,34.5,37,35".parse().unwrap()),
            ..Default::default()
        })
        .unwrap();
    assert!(plan.iter().any(|l| l.contains("fused_where")), "{plan:#?}");
    // Appending goes on from the largest id.
    let more = store.insert_fused_events(&indexed_events()[..1]).unwrap();
    assert_eq!(more, vec![8]);
    assert!(store.insert_fused_events(&[]).unwrap().is_empty());
}

/// The R*Tree holds, for every fused event, the box its view defines (the writer keeps it
/// since schema v5; see rtree.rs).
fn assert_rtree_matches_view(conn: &rusqlite::Connection) {
    let read = |sql: &str| -> Vec<(i64, f64, f64, f64, f64)> { rows_of(conn, sql) };
    let tree = read("SELECT id, min_lon, min_lat, min_day, max_day FROM fused_where ORDER BY id");
    let view = read(
        "SELECT id, lon, lat, d0, d1 FROM fused_where_source WHERE d0 IS NOT NULL ORDER BY id",
    );
    assert_eq!(tree.len(), view.len());
    for (t, v) in tree.iter().zip(&view) {
        assert_eq!(t.0, v.0);
        // The tree stores 32-bit floats.
        for (a, b) in [(t.1, v.1), (t.2, v.2), (t.3, v.3), (t.4, v.4)] {
            assert!((a - b).abs() <= 1e-3 * b.abs().max(1.0), "{t:?} {v:?}");
        }
    }
}

#[test]
fn rtree_follows_inserts_and_deletes() {
    let store = Store::open_in_memory().unwrap();
    store.insert_fused_events(&indexed_events()).unwrap();
    // The filters read the boxes the bulk insert wrote.
    check_date_and_box_filters(&store);
    {
        let conn = store.conn().unwrap();
        assert_rtree_matches_view(&conn);
        conn.execute_batch(
            "DELETE FROM fused_actors WHERE fused_id = 3;
             DELETE FROM fused_events WHERE id = 3;",
        )
        .unwrap();
        assert_rtree_matches_view(&conn);
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM fused_where WHERE id = 3", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 0);
    }
}

#[test]
fn rtree_migration_indexes_events_stored_before_it() {
    let store = Store::open_in_memory().unwrap();
    store.insert_fused_events(&indexed_events()).unwrap();
    undo_v11(&store);
    {
        let mut conn = store.conn().unwrap();
        // Back to version 2, as a database written before the R*Tree existed (migrations 3
        // and 4 undone).
        downgrade_to_v3(&conn);
        conn.execute_batch(
            "DROP TRIGGER IF EXISTS fused_where_insert; DROP TRIGGER IF EXISTS fused_where_update;
             DROP TRIGGER fused_where_delete; DROP VIEW fused_where_source;
             DROP TABLE fused_where; DROP INDEX fused_order; DROP INDEX fused_stats;
             PRAGMA user_version = 2;",
        )
        .unwrap();
        crate::schema::migrate(&mut conn).unwrap();
    }
    assert_eq!(
        store.schema_version().unwrap(),
        crate::schema::SCHEMA_VERSION
    );
    check_date_and_box_filters(&store);
}

#[test]
fn normal_ingest_fills_the_rtree() {
    let store = Store::open_in_memory().unwrap();
    let a = wire_report();
    store.put_extractions(&[a]).unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let f = EventFilter {
        since: day("2017-06-19"),
        until: day("2017-06-19"),
        bbox: Some("36,34,37,35".parse().unwrap()),
        ..Default::default()
    };
    assert_eq!(store.events(&f).unwrap().len(), 1);
    let conn = store.conn().unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM fused_where", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

/// Migration 6 rebuilds `copy_bands` without its foreign key and keeps every band; copies are
/// still found through them afterwards.
#[test]
fn band_migration_keeps_every_band() {
    let store = Store::open_in_memory().unwrap();
    let a = wire_report();
    store.put_extractions(std::slice::from_ref(&a)).unwrap();
    let bands = |conn: &rusqlite::Connection| -> Vec<(i64, i64)> {
        rows_of(conn, "SELECT key, doc FROM copy_bands ORDER BY key, doc")
    };
    let foreign_keys = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT COUNT(*) FROM pragma_foreign_key_list('copy_bands')",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    undo_v11(&store);
    {
        let mut conn = store.conn().unwrap();
        let before = bands(&conn);
        assert!(!before.is_empty());
        assert_eq!(foreign_keys(&conn), 0);
        // Back to version 5: the table as migration 1 created it.
        conn.execute_batch(
            "CREATE TABLE copy_bands_v5 (
                 key INTEGER NOT NULL, doc INTEGER NOT NULL REFERENCES documents(rowid_),
                 PRIMARY KEY (key, doc)) WITHOUT ROWID;
             INSERT INTO copy_bands_v5 SELECT key, doc FROM copy_bands;
             DROP TABLE copy_bands;
             ALTER TABLE copy_bands_v5 RENAME TO copy_bands;
             PRAGMA user_version = 5;",
        )
        .unwrap();
        assert_eq!(foreign_keys(&conn), 1);
        crate::schema::migrate(&mut conn).unwrap();
        assert_eq!(bands(&conn), before);
        assert_eq!(foreign_keys(&conn), 0);
    }
    // A fresh store: the cache holds nothing, so the copy is found through the table.
    store.cache.lock().unwrap().clear();
    let b = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]);
    let out = store.put_extractions(&[b]).unwrap();
    assert!(
        matches!(out[0], PutOutcome::New { copy: true, .. }),
        "{out:?}"
    );
}

/// Rewrites the compressed JSON columns as the TEXT that versions before 10 stored.
/// Makes `store` a version 10 database: every band row filed, no `copy_bands_filed`, no
/// `created_at` / `updated_at` (version 12).
fn undo_v11(store: &Store) {
    store.flush().unwrap();
    store
        .conn()
        .unwrap()
        .execute_batch(
            "DROP INDEX fused_updated;
             ALTER TABLE fused_events DROP COLUMN created_at;
             ALTER TABLE fused_events DROP COLUMN updated_at;
             DROP TABLE copy_bands_filed; PRAGMA user_version = 10;",
        )
        .unwrap();
}

fn unpack_json_columns(conn: &rusqlite::Connection) {
    for table in ["events", "document_mentions"] {
        let rows: Vec<(i64, crate::codec::Packed)> =
            rows_of(conn, &format!("SELECT rowid, data FROM {table}"));
        for (rowid, json) in rows {
            conn.execute(
                &format!("UPDATE {table} SET data = ?1 WHERE rowid = ?2"),
                rusqlite::params![json.0, rowid],
            )
            .unwrap();
        }
    }
}

/// Undoes migration 4: mentions back to one row per mention, as version 3 stored them, and
/// the indexes it dropped.
fn downgrade_to_v3(conn: &rusqlite::Connection) {
    unpack_json_columns(conn);
    conn.execute_batch(
        "CREATE TABLE mentions (
             doc INTEGER NOT NULL REFERENCES documents(rowid_), idx INTEGER NOT NULL,
             kind TEXT NOT NULL, start_ INTEGER NOT NULL, end_ INTEGER NOT NULL,
             sentence INTEGER NOT NULL, key TEXT, data TEXT NOT NULL,
             PRIMARY KEY (doc, idx)) WITHOUT ROWID;
         CREATE INDEX mentions_key ON mentions(kind, key);
         INSERT INTO mentions
             SELECT m.doc, j.value ->> 0, j.value -> 4 ->> 'kind', j.value ->> 1, j.value ->> 2,
                    j.value ->> 3, NULL, j.value -> 4
             FROM document_mentions m, json_each(m.data) j;
         DROP TABLE document_mentions;
         CREATE INDEX fused_match ON fused_events(plover_type, match_start);
         CREATE INDEX fused_acled_match ON fused_events(acled_type, match_start);
         CREATE INDEX events_date ON events(date_start);
         CREATE TABLE fused_event_members (
             fused_id INTEGER NOT NULL REFERENCES fused_events(id),
             event_id TEXT NOT NULL REFERENCES events(id),
             PRIMARY KEY (fused_id, event_id)) WITHOUT ROWID;
         INSERT INTO fused_event_members SELECT fused_id, id FROM events
             WHERE fused_id IS NOT NULL;
         PRAGMA user_version = 3;",
    )
    .unwrap();
}

/// A database of version 3 (one row per mention) keeps every mention through migration 4.
#[test]
fn mentions_migration_keeps_every_mention() {
    let store = Store::open_in_memory().unwrap();
    let a = wire_report();
    let b = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]);
    store.put_extractions(&[a.clone(), b.clone()]).unwrap();
    assert!(!a.mentions.is_empty());
    let before: Vec<_> = [&a, &b]
        .iter()
        .map(|x| store.document(&x.document.id).unwrap().unwrap())
        .collect();
    let counts = store.counts().unwrap();
    assert_eq!(
        counts.mentions as usize,
        a.mentions.len() + b.mentions.len()
    );
    undo_v11(&store);
    {
        let mut conn = store.conn().unwrap();
        downgrade_to_v3(&conn);
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM mentions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows as u64, counts.mentions);
        crate::schema::migrate(&mut conn).unwrap();
    }
    assert_eq!(
        store.schema_version().unwrap(),
        crate::schema::SCHEMA_VERSION
    );
    for (x, d) in [&a, &b].iter().zip(&before) {
        let after = store.document(&x.document.id).unwrap().unwrap();
        assert_eq!(after.mentions, x.mentions);
        assert_eq!(
            serde_json::to_value(&after).unwrap(),
            serde_json::to_value(d).unwrap()
        );
    }
    assert_eq!(store.counts().unwrap().mentions, counts.mentions);
}

#[test]
fn dates_are_written_as_iso_days() {
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day);
    let s = |x| crate::columns::date_str(x);
    assert_eq!(s(d(2017, 6, 9)).as_deref(), Some("2017-06-09"));
    assert_eq!(s(d(12, 1, 31)).as_deref(), Some("0012-01-31"));
    for x in [d(2017, 6, 9), d(12, 1, 31), d(-44, 3, 15), d(12345, 12, 1)] {
        assert_eq!(s(x), x.map(|x| x.format("%Y-%m-%d").to_string()));
    }
    assert_eq!(s(None), None);
    // Every day from year 1 to 9999 (the fast path) as chrono writes it, sampled.
    let first = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
    for n in (0..3_652_059_u64).step_by(97) {
        let x = first + chrono::Days::new(n);
        assert_eq!(s(Some(x)), Some(x.format("%Y-%m-%d").to_string()));
    }
}

#[test]
fn prepared_documents_must_match_the_batch() {
    let store = Store::open_in_memory().unwrap();
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]);
    let b = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]);
    let wrong = [crate::Prepared::of(&b)];
    assert!(
        store
            .put_prepared(std::slice::from_ref(&a), &wrong)
            .is_err()
    );
    assert!(store.put_prepared(std::slice::from_ref(&a), &[]).is_err());
    assert!(!store.contains_document(&a.document.id).unwrap());
    let right = [crate::Prepared::of(&a)];
    let out = store
        .put_prepared(std::slice::from_ref(&a), &right)
        .unwrap();
    assert!(out[0].is_new());
    // The same as storing without preparing.
    let other = Store::open_in_memory().unwrap();
    other.put_extraction(&a).unwrap();
    assert_eq!(
        serde_json::to_value(store.document(&a.document.id).unwrap()).unwrap(),
        serde_json::to_value(other.document(&a.document.id).unwrap()).unwrap()
    );
}

/// What the writer of `store` keeps in memory equals what is stored: every band list (the
/// latest documents per key, oldest first, of the rows in `copy_bands` and those not yet
/// filed), every candidate document and every fused event. Every document up to
/// `copy_bands_filed.upto` has its band rows filed, and the unfiled rows are of documents
/// above it.
fn assert_write_cache_matches_db(store: &Store) {
    // Every linked row has its parent (foreign keys are checked here, not on each write).
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    let conn = store.conn().unwrap();
    let cache = store.cache.lock().unwrap();
    assert!(!cache.docs.is_empty());
    let mut stmt = conn
        .prepare("SELECT doc FROM copy_bands WHERE key = ?1 ORDER BY doc DESC LIMIT 64")
        .unwrap();
    for (key, docs) in &cache.docs {
        let mut stored: Vec<i64> = stmt
            .query_map([key], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        stored.extend(cache.unfiled.iter().filter(|r| r.0 == *key).map(|r| r.1));
        stored.sort_unstable();
        stored.dedup();
        let stored = stored[stored.len().saturating_sub(64)..].to_vec();
        assert_eq!(docs, &stored, "band key {key}");
    }
    let upto: i64 = conn
        .query_row("SELECT upto FROM copy_bands_filed", [], |r| r.get(0))
        .unwrap();
    assert!(cache.unfiled.iter().all(|r| r.1 > upto));
    assert!(
        cache
            .unfiled
            .iter()
            .all(|(key, _)| cache.docs.contains_key(key))
    );
    let mut stmt = conn
        .prepare(
            "SELECT rowid_, minhash, (SELECT COUNT(*) FROM copy_bands WHERE doc = rowid_)
             FROM documents WHERE rowid_ <= ?1",
        )
        .unwrap();
    let filed: Vec<(i64, Vec<u8>, usize)> = stmt
        .query_map([upto], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (rowid, minhash, n) in filed {
        let keys = crate::copies::Signature::from_bytes(&minhash).band_keys();
        assert_eq!(n, keys.len(), "band rows of document {rowid}");
    }
    // The cached comparison keys are those stored.
    assert!(!cache.candidates.is_empty());
    let mut stmt = conn
        .prepare(
            "SELECT id, story_id, minhash, lead, published_at FROM documents WHERE rowid_ = ?1",
        )
        .unwrap();
    for (rowid, cached) in &cache.candidates {
        let stored = stmt
            .query_row([rowid], |r| {
                Ok(crate::put::Candidate {
                    id: r.get(0)?,
                    story: r.get(1)?,
                    signature: crate::copies::Signature::from_bytes(&r.get::<_, Vec<u8>>(2)?),
                    lead: r
                        .get::<_, Option<Vec<u8>>>(3)?
                        .map(|l| crate::copies::Lead::from_bytes(&l)),
                    published: r
                        .get::<_, Option<String>>(4)?
                        .as_deref()
                        .and_then(crate::columns::parse_day),
                    figures: None,
                })
            })
            .unwrap();
        // figures are read when a comparison first needs them
        let stored = crate::put::Candidate {
            figures: cached
                .figures
                .as_ref()
                .map(|_| crate::put::stored_figures(&conn, *rowid).unwrap()),
            ..stored
        };
        assert_eq!(cached, &stored, "document {rowid}");
    }
    // The cached fused events are as stored: column values and aggregate.
    for (id, cached) in &cache.fused {
        let (mut values, state) = crate::put::stored_fused(&conn, *id).unwrap();
        // The aggregate's JSON is not kept (see `CachedFused`); it is compared parsed.
        values[crate::columns::SUMMARY_COLUMNS.len()] = rusqlite::types::Value::Null;
        assert_eq!(cached.values, values, "fused event {id}");
        assert_eq!(cached.state, state, "fused event {id}");
    }
    assert_rtree_matches_view(&conn);
    // The candidate index holds each fused event's stored match-key columns.
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {} FROM fused_events f WHERE f.id = ?1",
            crate::candidates::KEY_COLUMNS
        ))
        .unwrap();
    for (id, indexed) in cache.index.iter() {
        let stored = stmt
            .query_row([id], |r| crate::candidates::KeyCols::from_row(r, 0))
            .unwrap();
        assert_eq!(indexed.cols, stored, "fused event {id}");
    }
}

/// Copy detection keeps the band lists it has read in memory; another connection's writes
/// must be seen (the cache is dropped when `PRAGMA data_version` changes).
#[test]
fn band_cache_sees_other_connections_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let one = Store::open(&path).unwrap();
    let two = Store::open(&path).unwrap();
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]);
    // The same words as `a` (a stopword more), so the same band keys, another document.
    let b_text = format!("{WIRE} The");
    let b = extraction(&b_text, Some("Daily"), Some("2017-06-20"), &[]);
    let c = extraction(COPY, Some("Post"), Some("2017-06-21"), &[]);
    one.put_extraction(&a).unwrap();
    assert_write_cache_matches_db(&one);
    // `one` has `a`'s keys cached; `two` files `b` under the same keys.
    two.put_extraction(&b).unwrap();
    one.put_extraction(&c).unwrap();
    assert_write_cache_matches_db(&one);
    let stored = one.document(&c.document.id).unwrap().unwrap();
    // The same as a single connection storing all three.
    let single = Store::open_in_memory().unwrap();
    for x in [&a, &b, &c] {
        single.put_extraction(x).unwrap();
    }
    let expected = single.document(&c.document.id).unwrap().unwrap();
    assert_eq!(stored.nearest_copy, expected.nearest_copy);
    assert_eq!(stored.similarity, expected.similarity);
}

/// A batch that fails is rolled back; band lists cached while writing it must go too.
#[test]
fn band_cache_is_dropped_with_a_failed_batch() {
    let store = Store::open_in_memory().unwrap();
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]);
    store.put_extraction(&a).unwrap();
    let b = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]);
    // Fails after `b` is written, inside the transaction.
    store
        .conn()
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER fail AFTER INSERT ON documents WHEN new.outlet = 'Fail'
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    let bad = extraction(
        "An unrelated report about the weather in Oslo, where it rained all day.",
        Some("Fail"),
        Some("2017-06-20"),
        &[],
    );
    assert!(store.put_extractions(&[b.clone(), bad]).is_err());
    assert!(!store.contains_document(&b.document.id).unwrap());
    store.put_extraction(&b).unwrap();
    assert_write_cache_matches_db(&store);
    // `a`'s band rows, unfiled when the batch failed, were filed from the database.
    let stored = store.document(&b.document.id).unwrap().unwrap();
    assert_eq!(stored.nearest_copy.as_deref(), Some(a.document.id.as_str()));
}

fn band_rows(path: &std::path::Path) -> Vec<(i64, i64)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    rows_of(&conn, "SELECT key, doc FROM copy_bands ORDER BY key, doc")
}

/// Band rows wait in memory and are filed by `Store::flush` (and when the store is
/// dropped), all of them, sorted into `copy_bands`.
#[test]
fn flush_files_the_band_rows_held_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let store = Store::open(&path).unwrap();
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]);
    store.put_extraction(&a).unwrap();
    assert!(band_rows(&path).is_empty());
    assert_write_cache_matches_db(&store);
    store.flush().unwrap();
    assert_eq!(band_rows(&path).len(), crate::copies::BANDS);
    assert_write_cache_matches_db(&store);
    let b = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]);
    store.put_extraction(&b).unwrap();
    drop(store);
    assert_eq!(band_rows(&path).len(), 2 * crate::copies::BANDS);
    let store = Store::open(&path).unwrap();
    let stored = store.document(&b.document.id).unwrap().unwrap();
    assert_eq!(stored.nearest_copy.as_deref(), Some(a.document.id.as_str()));
}

/// A writer killed before filing its band rows (here: never dropped) leaves them to the next
/// writer, which files them before it looks a band up, so copies of those documents are found.
#[test]
fn band_rows_a_killed_writer_left_unfiled_are_filed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let killed = Store::open(&path).unwrap();
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]);
    let c = extraction(OTHER, Some("State TV"), Some("2017-06-19"), &[]);
    killed.put_extractions(&[a.clone(), c]).unwrap();
    std::mem::forget(killed);
    assert!(band_rows(&path).is_empty());

    let next = Store::open(&path).unwrap();
    let b = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]);
    next.put_extraction(&b).unwrap();
    assert_eq!(band_rows(&path).len(), 2 * crate::copies::BANDS);
    assert_write_cache_matches_db(&next);
    let stored = next.document(&b.document.id).unwrap().unwrap();
    assert_eq!(stored.nearest_copy.as_deref(), Some(a.document.id.as_str()));
    drop(next);
    assert_eq!(band_rows(&path).len(), 3 * crate::copies::BANDS);
}

/// A writer that kept what it wrote in memory stores the same rows as one that reads
/// everything back from the database (a new connection for each document).
#[test]
fn a_warm_writer_stores_what_a_cold_one_does() {
    let dir = tempfile::tempdir().unwrap();
    let ev = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    let mut ev_c = EventSpec::assault(vec![isis()], Some(talbiseh()), Some("2017-06-20"));
    ev_c.targets = vec![syrmil()];
    let docs = [
        extraction(
            WIRE,
            Some("Wire"),
            Some("2017-06-19"),
            std::slice::from_ref(&ev),
        ),
        extraction(
            COPY,
            Some("Daily"),
            Some("2017-06-20"),
            std::slice::from_ref(&ev),
        ),
        extraction(
            "Militants stormed a checkpoint near Talbiseh, a local council said.",
            Some("Monitor"),
            Some("2017-06-20"),
            &[ev_c],
        ),
        extraction(
            OTHER,
            Some("State TV"),
            Some("2017-06-20"),
            std::slice::from_ref(&ev),
        ),
    ];
    let warm = Store::open(dir.path().join("warm.db")).unwrap();
    for ex in &docs {
        warm.put_extraction(ex).unwrap();
    }
    let cold_path = dir.path().join("cold.db");
    for ex in &docs {
        Store::open(&cold_path).unwrap().put_extraction(ex).unwrap();
    }
    let cold = Store::open(&cold_path).unwrap();
    let rows = |store: &Store, sql: &str| -> Vec<Vec<rusqlite::types::Value>> {
        let conn = store.conn().unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    for sql in [
        "SELECT * FROM fused_events ORDER BY id",
        "SELECT * FROM fused_buckets ORDER BY 1, 2, 3",
        "SELECT * FROM fused_actors ORDER BY 1, 2, 3",
        "SELECT id, fused_id FROM events ORDER BY id",
        "SELECT id, story_id, nearest_copy, similarity FROM documents ORDER BY rowid_",
    ] {
        let (mut w, mut c) = (rows(&warm, sql), rows(&cold, sql));
        if sql.contains("fused_events") {
            // Its last two columns, `created_at` and `updated_at`, say when each store wrote.
            for row in w.iter_mut().chain(c.iter_mut()) {
                row.truncate(row.len() - 2);
            }
        }
        assert!(!w.is_empty(), "{sql}");
        assert_eq!(w, c, "{sql}");
    }
    let n = rows(&warm, "SELECT max(n_reports) FROM fused_events");
    assert!(
        matches!(n[0][0], rusqlite::types::Value::Integer(k) if k >= 3),
        "reports were added to a fused event: {n:?}"
    );
}

/// A batch in which one write fails is refused whole and leaves nothing behind.
#[test]
fn a_failing_batch_is_refused_whole() {
    let store = Store::open_in_memory().unwrap();
    let a = wire_report();
    store.put_extraction(&a).unwrap();
    // Makes the writer's insert of the second document of the batch fail, after the first
    // document and its copy links were written.
    store
        .conn()
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse AFTER INSERT ON documents WHEN new.outlet = 'Bad'
             BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END;",
        )
        .unwrap();
    let good = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]);
    let bad = extraction(OTHER, Some("Bad"), Some("2017-06-20"), &[]);
    let err = store.put_extractions(&[good.clone(), bad]).unwrap_err();
    assert!(
        err.to_string().contains("refused by a test trigger"),
        "{err}"
    );
    assert!(!store.contains_document(&good.document.id).unwrap());
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    // The same documents without the broken row are stored.
    store.put_extraction(&good).unwrap();
    assert_write_cache_matches_db(&store);
}

/// While a background checkpoint runs, the writer checkpoints itself only rarely; when it
/// stops, everything written is copied back into the database file.
#[test]
fn a_background_checkpoint_copies_back_everything_written() {
    assert!(
        Store::open_in_memory()
            .unwrap()
            .checkpoint_in_background()
            .unwrap()
            .is_none()
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let store = Store::open(&path).unwrap();
    let auto = |store: &Store| -> i64 {
        store
            .conn()
            .unwrap()
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .unwrap()
    };
    let checkpointer = store.checkpoint_in_background().unwrap().unwrap();
    assert_eq!(auto(&store), 262_144);
    store.put_extraction(&wire_report()).unwrap();
    store
        .put_extraction(&extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]))
        .unwrap();
    drop(checkpointer);
    // Every frame of the log is in the database file.
    let other = rusqlite::Connection::open(&path).unwrap();
    let (busy, log, copied): (i64, i64, i64) = other
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((busy, copied), (0, log), "{log} frames");
    assert!(log > 0);
    store.checkpoint_automatically().unwrap();
    assert_eq!(auto(&store), 16384);
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    assert_eq!(Store::open(&path).unwrap().counts().unwrap().documents, 2);
}

#[test]
fn cache_size_is_set_in_mib() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.cache_mib().unwrap(), 64);
    store.set_cache_mib(256).unwrap();
    assert_eq!(store.cache_mib().unwrap(), 256);
    store.set_cache_mib(0).unwrap();
    assert_eq!(store.cache_mib().unwrap(), 1);
}

/// Migration 7 rewrites the aggregates of version 6, which kept every report's claims, to the
/// form that keeps only whether reports disagree; the records read afterwards are the same,
/// claims included, and a report joining later updates the migrated aggregate.
#[test]
fn claims_migration_keeps_every_record() {
    let store = Store::open_in_memory().unwrap();
    let mut e1 = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    e1.killed = Some(9.0);
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[e1]);
    store.put_extraction(&a).unwrap();
    put_contradicting_state_tv(&store);
    let before = store.events(&EventFilter::default()).unwrap();
    assert_eq!(before.len(), 1);
    assert!(before[0].contradictions.len() >= 3, "{before:#?}");
    let id = before[0].id;
    undo_v11(&store);
    {
        let mut conn = store.conn().unwrap();
        let agg: String = conn
            .query_row("SELECT agg FROM fused_events WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        let now: serde_json::Value = serde_json::from_str(&agg).unwrap();
        // The aggregate as version 6 stored it: the claims in it, under their old names.
        let (claims, _) = crate::query::stored_claims(&conn, id, usize::MAX).unwrap();
        let serde_json::Value::Object(claims) = serde_json::to_value(&claims).unwrap() else {
            panic!("claims are not an object")
        };
        let mut old = now.clone();
        let fields = old.as_object_mut().unwrap();
        for key in ["any_hedged", "any_denied", "first_day", "days_differ"] {
            assert!(fields.remove(key).is_some(), "{key} missing from {agg}");
        }
        for (key, value) in claims {
            let key = match key.as_str() {
                "killed" | "perpetrator" => format!("{key}_claims"),
                _ => key,
            };
            fields.insert(key, value);
        }
        assert!(old["days"].as_array().is_some_and(|d| !d.is_empty()));
        conn.execute(
            "UPDATE fused_events SET agg = ?1 WHERE id = ?2",
            rusqlite::params![old.to_string(), id],
        )
        .unwrap();
        conn.execute_batch("PRAGMA user_version = 6").unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let migrated: String = conn
            .query_row("SELECT agg FROM fused_events WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        let migrated: serde_json::Value = serde_json::from_str(&migrated).unwrap();
        assert_eq!(migrated, now);
    }
    store.cache.lock().unwrap().clear();
    // Stamps are set again by the version 12 migration, from the documents' ingestion times.
    assert_eq!(
        unstamped(store.events(&EventFilter::default()).unwrap()),
        unstamped(before)
    );

    // Days that differ are found in a migrated aggregate too.
    let mut e3 = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-20"));
    e3.killed = Some(9.0);
    let c = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[e3]);
    store.put_extraction(&c).unwrap();
    let after = store.events(&EventFilter::default()).unwrap();
    assert_eq!(after.len(), 1, "{after:#?}");
    let days = after[0]
        .contradictions
        .iter()
        .find(|c| c.kind == ContradictionKind::Date)
        .unwrap();
    let values: Vec<&str> = days.claims.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["2017-06-19", "2017-06-19", "2017-06-20"]);
}

/// A report whose date is only its publication date (`DT40`) claims no day: it raises no
/// `date` contradiction and is not listed among the days claimed.
#[test]
fn a_publication_date_is_no_claim_about_the_day() {
    let store = Store::open_in_memory().unwrap();
    let ev = |day: &str| EventSpec::assault(vec![isis()], Some(homs()), Some(day));
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[ev("2017-06-19")]);
    let mut b = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[ev("2017-06-20")]);
    b.events[0].rules.push("DT40-publication-date".into());
    store.put_extractions(&[a, b]).unwrap();
    let all = store.events(&EventFilter::default()).unwrap();
    assert_eq!((all.len(), all[0].n_reports), (1, 2), "{all:#?}");
    let kinds: Vec<ContradictionKind> = all[0].contradictions.iter().map(|c| c.kind).collect();
    assert!(!kinds.contains(&ContradictionKind::Date), "{kinds:?}");
    // a report that gives another day in its text does contradict; the undated one is not
    // among the claims
    let c = extraction(
        "Islamic State fighters attacked Homs on Tuesday, the monitor said.",
        Some("Monitor"),
        Some("2017-06-21"),
        &[ev("2017-06-20")],
    );
    store.put_extraction(&c).unwrap();
    let f = &store.events(&EventFilter::default()).unwrap()[0];
    let days = f
        .contradictions
        .iter()
        .find(|c| c.kind == ContradictionKind::Date)
        .unwrap_or_else(|| panic!("{f:#?}"));
    let values: Vec<&str> = days.claims.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["2017-06-19", "2017-06-20"]);
}

/// Foreign keys are not enforced on write; `integrity_check` finds a row without its parent.
#[test]
fn integrity_check_reports_rows_without_parents() {
    let store = Store::open_in_memory().unwrap();
    store.put_extractions(&[wire_report()]).unwrap();
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    store
        .conn()
        .unwrap()
        .execute(
            "INSERT INTO event_documents (fused_id, doc) VALUES (?1, 1)",
            [987_654],
        )
        .unwrap();
    let problems = store.integrity_check().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("foreign key: event_documents row")
            && problems[0].ends_with("has no parent in fused_events"),
        "{problems:?}"
    );
}

/// Migration 8 rebuilds `events` without the unique index on the text id; every event is
/// kept, in order, and `(doc, idx)` is unique instead.
#[test]
fn events_migration_keeps_every_event() {
    let store = Store::open_in_memory().unwrap();
    store.put_extractions(&[wire_report()]).unwrap();
    let rows = |conn: &rusqlite::Connection| -> Vec<(String, i64, i64, Option<i64>, String)> {
        rows_of(
            conn,
            "SELECT id, doc, idx, fused_id, data FROM events ORDER BY rowid",
        )
    };
    let indexes = |conn: &rusqlite::Connection| -> Vec<(String, bool)> {
        rows_of(
            conn,
            "SELECT name, \"unique\" FROM pragma_index_list('events') ORDER BY name",
        )
    };
    let before_records = store.events(&EventFilter::default()).unwrap();
    undo_v11(&store);
    {
        let mut conn = store.conn().unwrap();
        unpack_json_columns(&conn);
        let before = rows(&conn);
        assert!(!before.is_empty());
        // Back to version 7: the table as migration 1 created it.
        conn.execute_batch(
            "CREATE TABLE events_v7 (
                 id TEXT PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(rowid_),
                 idx INTEGER NOT NULL, plover_type TEXT NOT NULL, acled_type TEXT,
                 acled_sub_type TEXT, date_start TEXT, date_end TEXT, time_precision TEXT,
                 lat REAL, lon REAL, geo_precision TEXT, country_code TEXT,
                 modality TEXT NOT NULL, fused_id INTEGER REFERENCES fused_events(id),
                 sentence_text TEXT NOT NULL, data TEXT NOT NULL);
             INSERT INTO events_v7 SELECT id, doc, idx, plover_type, acled_type,
                 acled_sub_type, date_start, date_end, time_precision, lat, lon, geo_precision,
                 country_code, modality, fused_id, sentence_text, data FROM events ORDER BY rowid;
             DROP TABLE events;
             ALTER TABLE events_v7 RENAME TO events;
             CREATE INDEX events_doc ON events(doc);
             CREATE INDEX events_fused ON events(fused_id);
             PRAGMA user_version = 7;",
        )
        .unwrap();
        assert!(
            indexes(&conn)
                .iter()
                .any(|i| i.0 == "sqlite_autoindex_events_1")
        );
        crate::schema::migrate(&mut conn).unwrap();
        assert_eq!(rows(&conn), before);
        // Events of older versions have no stored claims: their records read the event JSON.
        let without: i64 = conn
            .query_row(
                "SELECT count(*) FROM events WHERE claims IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(without, before.len() as i64);
        assert_eq!(
            indexes(&conn),
            [
                ("events_claims".to_string(), false),
                ("events_doc".to_string(), true)
            ]
        );
        // The same event twice is refused, as before.
        let again = conn.execute(
            "INSERT INTO events SELECT * FROM events WHERE rowid = 1",
            [],
        );
        assert!(again.is_err());
    }
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    store.cache.lock().unwrap().clear();
    assert_eq!(
        unstamped(store.events(&EventFilter::default()).unwrap()),
        unstamped(before_records)
    );
}

/// Fused events without `created_at` and `updated_at`: when a record was written differs
/// between two stores, and is set again when a test replays the version 12 migration.
fn unstamped(mut events: Vec<crate::FusedEvent>) -> Vec<crate::FusedEvent> {
    for e in &mut events {
        (e.created_at, e.updated_at) = (None, None);
    }
    events
}

/// Since version 10 the event and mention JSON is stored compressed (codec.rs); rows written
/// before stay TEXT. A database holding both kinds reads exactly as one holding either.
#[test]
fn json_columns_read_the_same_compressed_or_not() {
    let second = || {
        extraction(
            COPY,
            Some("Monitor"),
            Some("2017-06-19"),
            &[EventSpec::assault(
                vec![isis()],
                Some(homs()),
                Some("2017-06-19"),
            )],
        )
    };
    let read = |store: &Store| {
        let fused: Vec<i64> = store
            .events(&EventFilter::default())
            .unwrap()
            .iter()
            .map(|e| e.id)
            .collect();
        assert!(!fused.is_empty());
        let details: Vec<_> = fused
            .iter()
            .map(|id| {
                let mut v = serde_json::to_value(store.event(*id).unwrap()).unwrap();
                // When each store wrote it.
                if let Some(o) = v.as_object_mut() {
                    o.remove("created_at");
                    o.remove("updated_at");
                }
                v
            })
            .collect();
        let docs: Vec<_> = [wire_report(), second()]
            .iter()
            .map(|ex| serde_json::to_value(store.document(&ex.document.id).unwrap()).unwrap())
            .collect();
        (details, docs)
    };

    let packed = Store::open_in_memory().unwrap();
    packed.put_extractions(&[wire_report()]).unwrap();
    packed.put_extractions(&[second()]).unwrap();
    {
        let conn = packed.conn().unwrap();
        let kinds: Vec<(String,)> = rows_of(
            &conn,
            "SELECT DISTINCT typeof(data) FROM events \
             UNION SELECT DISTINCT typeof(data) FROM document_mentions",
        );
        assert_eq!(kinds, [("blob".to_string(),)]);
    }
    let expected = read(&packed);
    assert!(
        expected
            .0
            .iter()
            .any(|d| d["reports"].as_array().is_some_and(|r| r.len() == 2))
    );

    // The first report as a version 9 database stored it, the second written after migrating.
    let mixed = Store::open_in_memory().unwrap();
    mixed.put_extractions(&[wire_report()]).unwrap();
    undo_v11(&mixed);
    {
        let mut conn = mixed.conn().unwrap();
        unpack_json_columns(&conn);
        conn.execute_batch("PRAGMA user_version = 9").unwrap();
        crate::schema::migrate(&mut conn).unwrap();
    }
    mixed.cache.lock().unwrap().clear();
    mixed.put_extractions(&[second()]).unwrap();
    {
        let conn = mixed.conn().unwrap();
        let kinds: Vec<(String, i64)> = rows_of(
            &conn,
            "SELECT typeof(data), count(*) FROM events GROUP BY 1 ORDER BY 1",
        );
        assert_eq!(kinds.len(), 2, "{kinds:?}");
    }
    assert_eq!(read(&mixed), expected);

    // A damaged value is an error naming the problem, not a panic.
    mixed
        .conn()
        .unwrap()
        .execute_batch("UPDATE document_mentions SET data = x'01deadbeef'")
        .unwrap();
    let err = mixed.document(&wire_report().document.id).unwrap_err();
    assert!(err.to_string().contains("compressed frame"), "{err}");
}

/// Migration 11 marks every document of a version 10 database as filed: they all have their
/// band rows already.
#[test]
fn filing_migration_marks_every_stored_document_filed() {
    let store = Store::open_in_memory().unwrap();
    let a = extraction(WIRE, Some("Wire"), Some("2017-06-19"), &[]);
    let c = extraction(OTHER, Some("State TV"), Some("2017-06-19"), &[]);
    store.put_extractions(&[a.clone(), c]).unwrap();
    undo_v11(&store);
    {
        let mut conn = store.conn().unwrap();
        crate::schema::migrate(&mut conn).unwrap();
        let (upto, newest): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT upto FROM copy_bands_filed), (SELECT max(rowid_) FROM documents)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(upto, newest);
    }
    store.cache.lock().unwrap().clear();
    let b = extraction(COPY, Some("Daily"), Some("2017-06-20"), &[]);
    store.put_extraction(&b).unwrap();
    assert_write_cache_matches_db(&store);
    let stored = store.document(&b.document.id).unwrap().unwrap();
    assert_eq!(stored.nearest_copy.as_deref(), Some(a.document.id.as_str()));
}

/// Issue 23, item 1: a document that repeats one attack sentence codes thousands of identical
/// events, all reports of one fused event. The store keeps at most
/// `MAX_EVENTS_PER_DOCUMENT` of them, says so in the document's warnings, and the detail of
/// the fused event is read a page at a time.
#[test]
fn an_event_dense_document_is_bounded_and_its_reports_paged() {
    use crate::MAX_EVENTS_PER_DOCUMENT;
    let store = Store::open_in_memory().unwrap();
    let n = MAX_EVENTS_PER_DOCUMENT + 500;
    let text = "Islamic State fighters attacked army positions outside Homs on Monday.\n".repeat(n);
    let spec = EventSpec::assault(vec![isis()], Some(homs()), Some("2017-06-19"));
    let ex = extraction(&text, Some("Wire"), Some("2017-06-19"), &vec![spec; n]);
    let out = store.put_extraction(&ex).unwrap();
    match out {
        PutOutcome::New { events, .. } => assert_eq!(events, MAX_EVENTS_PER_DOCUMENT),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.counts().unwrap().events,
        MAX_EVENTS_PER_DOCUMENT as u64
    );
    let doc = store.document(&ex.document.id).unwrap().unwrap();
    assert_eq!(doc.events.len(), MAX_EVENTS_PER_DOCUMENT);
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.starts_with("500 of the 1500 events coded in this document were not stored")),
        "{:?}",
        doc.warnings
    );
    let fused = store.events(&EventFilter::default()).unwrap();
    assert_eq!(fused.len(), 1);
    let id = fused[0].id;
    let page = store.event_page(id, 0, 100).unwrap().unwrap();
    assert_eq!(page.reports.len(), 100);
    assert_eq!(page.reports_total, MAX_EVENTS_PER_DOCUMENT as u64);
    assert_eq!(page.reports[0].event_id, format!("{}:0", ex.document.id));
    let last = store
        .event_page(id, MAX_EVENTS_PER_DOCUMENT as u32 - 10, 100)
        .unwrap()
        .unwrap();
    assert_eq!(last.reports.len(), 10);
    assert_eq!(last.reports_offset, MAX_EVENTS_PER_DOCUMENT as u32 - 10);
    assert_eq!(last.event, page.event);
    // The whole detail is the pages together.
    let all = store.event(id).unwrap().unwrap();
    assert_eq!(all.reports.len(), MAX_EVENTS_PER_DOCUMENT);
    assert_eq!(all.reports[..100], page.reports[..]);
    assert_eq!(all.reports[all.reports.len() - 10..], last.reports[..]);
}

/// Issue 23, item 8: newest first, undated last, paged like the default order.
#[test]
fn events_newest_first_with_undated_last() {
    let store = Store::open_in_memory().unwrap();
    for (text, day) in [
        ("Fighters attacked Homs on Monday.", Some("2017-06-19")),
        ("Fighters attacked Deir ez-Zor in the spring.", None),
        ("Fighters attacked Talbiseh in August.", Some("2017-08-02")),
    ] {
        let p = if text.contains("Homs") {
            homs()
        } else if text.contains("Deir") {
            deir()
        } else {
            talbiseh()
        };
        let spec = EventSpec::assault(vec![isis()], Some(p), day);
        store
            .put_extraction(&extraction(text, Some("Wire"), day, &[spec]))
            .unwrap();
    }
    let names = |f: EventFilter| -> Vec<String> {
        store
            .events(&f)
            .unwrap()
            .into_iter()
            .map(|e| e.location.unwrap().name)
            .collect()
    };
    let newest = EventFilter {
        newest_first: true,
        ..Default::default()
    };
    assert_eq!(names(newest.clone()), ["Talbiseh", "Homs", "Deir ez-Zor"]);
    assert_eq!(
        names(EventFilter::default()),
        ["Homs", "Talbiseh", "Deir ez-Zor"]
    );
    assert_eq!(
        names(EventFilter {
            limit: Some(1),
            offset: Some(1),
            ..newest.clone()
        }),
        ["Homs"]
    );
    assert_eq!(
        names(EventFilter {
            since: Some(chrono::NaiveDate::from_ymd_opt(2017, 6, 1).unwrap()),
            ..newest
        }),
        ["Talbiseh", "Homs"]
    );
}

#[test]
fn fu12_a_report_placed_by_its_dateline_joins_the_event_in_that_country_and_fu36_keeps_a_second_town_out()
 {
    let store = Store::open_in_memory().unwrap();
    let a = extraction(
        "Islamic State fighters attacked Deir ez-Zor.",
        Some("A"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![isis()],
            Some(deir()),
            Some("2017-06-19"),
        )],
    );
    // Filed from Homs, 300 km away; the clause names no place, so the coder took the dateline.
    let mut b = extraction(
        "HOMS - Islamic State fighters attacked an army post. Shelling also hit Talbiseh.",
        Some("B"),
        Some("2017-06-19"),
        &[
            EventSpec::assault(
                vec![isis()],
                Some(frontline_model::PlaceRef {
                    // the provincial capital, where the bureau is
                    feature_code: Some("PPLA".into()),
                    ..homs()
                }),
                Some("2017-06-19"),
            ),
            EventSpec::assault(vec![], Some(talbiseh()), Some("2017-06-19")),
        ],
    );
    b.events[0]
        .rules
        .push(crate::focus::CODER_DATELINE_RULE.into());
    store.put_extractions(&[a, b]).unwrap();
    let events = store.events(&EventFilter::default()).unwrap();
    assert_eq!(events.len(), 2);
    let deir_record = events
        .iter()
        .find(|e| e.location.as_ref().is_some_and(|l| l.name == "Deir ez-Zor"))
        .unwrap();
    assert_eq!(deir_record.n_reports, 2);
    // Talbiseh does not join the Deir ez-Zor record through the document's dateline report.
    assert!(
        events
            .iter()
            .any(|e| e.location.as_ref().is_some_and(|l| l.name == "Talbiseh"))
    );
}

#[test]
fn fu71_a_coarse_report_that_joins_its_own_document_still_merges_the_record_it_matches() {
    let in_homs = |mut p: frontline_model::PlaceRef| {
        p.admin1 = Some("Homs Governorate".into());
        p
    };
    let province = frontline_model::PlaceRef {
        precision: frontline_model::GeoPrecision::Admin1,
        ..in_homs(place("Homs Governorate", 169575, 34.5, 37.5, "SY"))
    };
    let town = extraction(
        "Islamic State fighters attacked Talbiseh.",
        Some("A"),
        Some("2017-06-19"),
        &[EventSpec::assault(
            vec![isis()],
            Some(in_homs(talbiseh())),
            Some("2017-06-19"),
        )],
    );
    // A roundup: fighting in the province (no named actor), then the Islamic State's attack
    // there, both placed only to the province.
    let roundup = extraction(
        "Fighting spread across Homs province. Islamic State fighters attacked army posts there.",
        Some("B"),
        Some("2017-06-19"),
        &[
            EventSpec::assault(vec![], Some(province.clone()), Some("2017-06-19")),
            EventSpec::assault(vec![isis()], Some(province), Some("2017-06-19")),
        ],
    );
    for order in [[town.clone(), roundup.clone()], [roundup, town]] {
        let store = Store::open_in_memory().unwrap();
        for ex in &order {
            store.put_extraction(ex).unwrap();
        }
        let events = store.events(&EventFilter::default()).unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(events[0].n_reports, 3);
    }
}
