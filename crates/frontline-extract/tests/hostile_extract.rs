#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! Hostile input for the extraction pipeline (issue 7): arbitrary bytes, mutated wire copy,
//! Arabic script, bidi controls and zero-width joiners all give an extraction whose spans are
//! valid, never a panic.
//!
//! Small by default; the long run:
//! `PROPTEST_CASES=100000 cargo test --release -p frontline-extract --test hostile_extract`.

use std::sync::OnceLock;

use chrono::NaiveDate;
use frontline_extract::pipeline::Pipeline;
use frontline_extract::quantity::find_quantities;
use frontline_extract::time::find_times;
use frontline_model::{DocumentMeta, Extraction};
use frontline_text::Span;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48)
}

/// Without the geocoder: the gazetteer is exercised by frontline-geocode's own tests, and
/// loading it here would slow the default test run.
fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::without_geocoder().expect("embedded dictionaries"))
}

fn meta() -> DocumentMeta {
    DocumentMeta {
        published_at: NaiveDate::from_ymd_opt(2020, 3, 2),
        ..DocumentMeta::default()
    }
}

fn check(ex: &Extraction) {
    let text = &ex.document.text;
    for s in &ex.sentences {
        assert!(s.span.slice(text).is_some(), "sentence span out of bounds");
    }
    for m in &ex.mentions {
        assert_eq!(
            m.span.slice(text),
            Some(m.text.as_str()),
            "mention text does not match its span"
        );
    }
    for e in &ex.events {
        assert!(
            e.trigger.slice(text).is_some(),
            "event trigger out of bounds"
        );
    }
}

const WIRE: &str = "BEIRUT (Reuters) - Syrian troops shelled rebel positions near Idlib on \
Monday, killing at least 12 fighters, a war monitor said. \"We pushed them back 3 km,\" an army \
officer told reporters. Two days later, Turkish forces said they had not crossed the border. \
About 2,500 families fled, the U.N. said on March 4.";

fn mutated_wire() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            any::<usize>(),
            prop_oneof![
                Just('\u{200D}'),
                Just('\u{200F}'),
                Just('\u{202E}'),
                Just('\u{FEFF}'),
                Just('\0'),
                Just('\u{0301}'),
                Just('ش'),
                Just('.'),
                Just('"'),
                Just('\n'),
                any::<char>(),
            ],
        ),
        0..20,
    )
    .prop_map(|edits| {
        let mut chars: Vec<char> = WIRE.chars().collect();
        for (pos, c) in edits {
            let i = pos % (chars.len() + 1);
            chars.insert(i, c);
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn extract_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        check(&pipeline().extract_bytes(meta(), &bytes));
    }

    #[test]
    fn mutated_wire_copy_gives_valid_spans(text in mutated_wire()) {
        check(&pipeline().extract(meta(), &text));
    }

    #[test]
    fn times_and_quantities_on_any_text(text in "\\PC{0,200}", day in 1u32..=28) {
        let whole = [Span::new(0, text.len())];
        let published = NaiveDate::from_ymd_opt(2021, 6, day);
        for t in find_times(&text, &whole, published) {
            prop_assert!(t.span.slice(&text).is_some());
        }
        for q in find_quantities(&text, &whole) {
            prop_assert!(q.span.slice(&text).is_some());
        }
    }

    #[test]
    fn numbers_and_dates_of_any_size(n in any::<u64>(), frac in any::<u32>(), y in any::<i32>()) {
        let text = format!(
            "Officials said {n} people and {n}.{frac} tonnes were reported on {y}-13-45, \
             or {frac} days after March {y}, killing {n},{frac} fighters."
        );
        check(&pipeline().extract(meta(), &text));
    }
}

#[test]
fn arabic_script_rtl_marks_and_joiners() {
    let text = "\u{200F}قصفت القوات السورية مدينة إدلب يوم الاثنين\u{200F}، وقال مسؤول إن ثلاثة \
                أشخاص قتلوا.\n\nSyrian\u{200D} troops shelled \u{202B}Idlib\u{202C} on Monday, \
                killing 3 people, a medic said. Kurdish\u{200C} fighters (\u{2067}YPG\u{2069}) \
                attacked a checkpoint.";
    let ex = pipeline().extract(meta(), text);
    check(&ex);
    assert!(
        ex.document.text.contains("القوات"),
        "Arabic text lost in cleaning"
    );
}

#[test]
fn a_long_single_line_is_handled() {
    // 2 MB without a newline or sentence end: bounded time, valid spans.
    let text: String = "troops advanced and ".repeat(100_000);
    let ex = pipeline().extract(meta(), &text);
    check(&ex);
}
