#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! Hostile GeoNames rows (issue 7): any line is a row or a clear error, never a panic.
//!
//! Small by default; the long run:
//! `PROPTEST_CASES=100000 cargo test --release -p frontline-gazetteer --test hostile_geonames`.

use frontline_gazetteer::geonames::{
    parse_admin_code_row, parse_alternate_name_row, parse_country_info_row, parse_geoname_row,
};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64)
}

/// A real-looking row shape (19 columns) with hostile values in each column.
fn geoname_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "\\PC{0,12}",
            "-?[0-9]{0,25}(\\.[0-9]{0,20})?",
            Just(String::new()),
            Just("NaN".to_string()),
            Just("inf".to_string()),
            Just("1e309".to_string()),
            Just("\u{200F}حلب\u{200D}".to_string()),
        ],
        17..21,
    )
    .prop_map(|cols| cols.join("\t"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn any_line_parses_or_errors(line in prop_oneof!["\\PC{0,300}", geoname_like()]) {
        let _ = parse_geoname_row(&line);
        let _ = parse_alternate_name_row(&line);
        let _ = parse_admin_code_row(&line);
        let _ = parse_country_info_row(&line);
    }

    #[test]
    fn accepted_rows_have_finite_coordinates(line in geoname_like()) {
        if let Ok(row) = parse_geoname_row(&line) {
            prop_assert!(row.lat.is_finite() && row.lon.is_finite(), "{row:?}");
            prop_assert!((-90.0..=90.0).contains(&row.lat), "{row:?}");
            prop_assert!((-180.0..=180.0).contains(&row.lon), "{row:?}");
        }
    }
}
