#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
//! Issue 23, item 8, the web UI's side: the map asks for the newest events, no more than one
//! page of the API holds, and says so when there are more than it shows. (A check of the
//! shipped script's text: the tests have no browser; the API's side is
//! `api::events_can_be_listed_newest_first`.)

use frontline_server::ServerConfig;

const APP: &str = include_str!("../ui/app.js");
const INDEX: &str = include_str!("../ui/index.html");

#[test]
fn the_map_loads_the_newest_events_and_says_what_it_shows() {
    let limit: u32 = APP
        .split("const MAP_LIMIT = ")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        limit >= 1 && limit <= ServerConfig::default().max_page,
        "{limit}"
    );
    let request = APP
        .lines()
        .find(|l| l.contains("api(`/api/events?") && l.contains("MAP_LIMIT"))
        .expect("the map's request");
    assert!(request.contains("order=newest"), "{request}");
    assert!(request.contains("limit=${MAP_LIMIT}"), "{request}");
    // The note: shown when the filters match more events than the map holds.
    assert!(INDEX.contains("id=\"shown-note\""));
    let count = APP.split("function renderCount()").nth(1).unwrap();
    let count = &count[..count.find("\n}\n").unwrap()];
    assert!(count.contains("#shown-note"), "{count}");
    assert!(
        count.contains("state.total > state.events.length"),
        "{count}"
    );
    assert!(count.contains("newest of"), "{count}");
}
