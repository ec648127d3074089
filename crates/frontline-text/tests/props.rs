//! Property tests: cleaning, sentence splitting, tokenising and boilerplate detection never
//! panic and always return well-formed spans, whatever the input.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use frontline_text::{
    Span, analysed_regions, clean, decode, detect_boilerplate, sentences, tokens,
};
use proptest::prelude::*;

/// Case count: small by default so CI stays fast; `PROPTEST_CASES` overrides it.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig::with_cases(cases)
}

/// Strings mixing news-like ASCII, whitespace, control characters, typographic punctuation,
/// invisible marks, combining accents and Arabic.
fn messy() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => "[A-Za-z]{1,8}",
        2 => "[0-9][0-9,.]{0,6}",
        3 => Just(" ".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\r\n\r\n".to_string()),
        1 => Just("\t".to_string()),
        2 => "[.!?,;:\"'()-]",
        1 => Just("U.S.".to_string()),
        1 => Just("Gen.".to_string()),
        1 => Just("...".to_string()),
        1 => "[\u{0}-\u{1f}\u{7f}-\u{9f}]",
        1 => "[\u{2018}\u{2019}\u{201c}\u{201d}\u{ab}\u{bb}\u{2013}\u{2014}\u{2026}\u{a0}]",
        1 => "[\u{200b}-\u{200f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{feff}\u{ad}]",
        1 => "[\u{300}-\u{36f}]",
        2 => "[\u{600}-\u{6ff}]{1,6}",
        1 => "[\u{ac00}-\u{ac10}\u{1100}-\u{1112}\u{1161}-\u{1175}]",
        1 => any::<char>().prop_map(String::from),
        1 => Just("Send a Comment\n\nYour email address will not be published.".to_string()),
        1 => Just("\nShare this:\nFacebook Twitter\n".to_string()),
    ];
    proptest::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn check_spans(text: &str, spans: &[Span], region: Span) {
    let mut prev_end = region.start;
    for s in spans {
        assert!(!s.is_empty(), "empty span {s:?}");
        assert!(s.start >= prev_end, "overlap or disorder at {s:?}");
        assert!(region.contains(*s), "{s:?} outside {region:?}");
        assert!(s.slice(text).is_some(), "{s:?} not on char boundaries");
        prev_end = s.end;
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn clean_map_is_monotonic_and_on_boundaries(raw in messy()) {
        let c = clean(&raw);
        let mut prev = 0;
        let boundaries: Vec<usize> = c.text.char_indices().map(|(i, _)| i).chain([c.text.len()]).collect();
        for i in 0..=c.text.len() {
            let r = c.raw_offset(i);
            prop_assert!(r >= prev);
            prop_assert!(r <= raw.len());
            prev = r;
        }
        for w in boundaries.windows(2) {
            let s = Span::new(w[0], w[1]);
            let rs = c.raw_span(s);
            prop_assert!(rs.end <= raw.len());
            prop_assert!(rs.slice(&raw).is_some(), "raw span {rs:?} of {s:?} not on boundaries");
        }
        // Any span between char boundaries maps to a valid raw span.
        if boundaries.len() > 2 {
            let s = Span::new(boundaries[1], boundaries[boundaries.len() - 1]);
            prop_assert!(c.raw_span(s).slice(&raw).is_some());
        }
        // Cleaning is idempotent.
        prop_assert_eq!(&clean(&c.text).text, &c.text);
        // No invisible characters, control characters or runs of spaces survive.
        prop_assert!(!c.text.contains("  "));
        let invisible = c.text.contains('\u{200b}') || c.text.contains('\u{feff}');
        prop_assert!(!invisible);
        prop_assert!(!c.text.chars().any(|ch| ch.is_control() && ch != '\n'));
        prop_assert!(!c.text.contains("\n\n\n"));
    }

    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let d = decode(&bytes);
        prop_assert_eq!(&d.text, &String::from_utf8_lossy(&bytes).into_owned());
        for w in d.invalid_at.windows(2) {
            prop_assert!(w[0] < w[1]);
        }
        prop_assert!(d.invalid_at.iter().all(|&i| i < bytes.len()));
    }

    #[test]
    fn sentences_and_tokens_are_well_formed(raw in messy(), a in 0usize..400, b in 0usize..400) {
        let text = clean(&raw).text;
        let full = Span::new(0, text.len());
        let sents = sentences(&text, full);
        check_spans(&text, &sents, full);
        for s in &sents {
            let toks = tokens(&text, *s);
            let spans: Vec<Span> = toks.iter().map(|t| t.span).collect();
            check_spans(&text, &spans, *s);
        }
        // Arbitrary (even out-of-range, mid-character) regions never panic and stay inside.
        let region = Span::new(a.min(b), a.max(b));
        let sents = sentences(&text, region);
        for s in &sents {
            prop_assert!(s.start >= region.start && s.end <= region.end.min(text.len()));
            prop_assert!(s.slice(&text).is_some());
        }
        let toks = tokens(&text, region);
        for t in &toks {
            prop_assert!(t.span.slice(&text).is_some());
        }
        // Raw (uncleaned) text works too.
        let raw_sents = sentences(&raw, Span::new(0, raw.len()));
        check_spans(&raw, &raw_sents, Span::new(0, raw.len()));
    }

    #[test]
    fn boilerplate_blocks_are_well_formed(raw in messy()) {
        let text = clean(&raw).text;
        let blocks = detect_boilerplate(&text);
        let spans: Vec<Span> = blocks.iter().map(|b| b.span).collect();
        check_spans(&text, &spans, Span::new(0, text.len()));
        let regions = analysed_regions(text.len(), &blocks);
        check_spans(&text, &regions, Span::new(0, text.len()));
        for r in &regions {
            prop_assert!(!spans.iter().any(|s| s.overlaps(*r)));
        }
        let covered: usize = spans.iter().map(Span::len).sum::<usize>()
            + regions.iter().map(Span::len).sum::<usize>();
        prop_assert_eq!(covered, text.len());
    }
}
