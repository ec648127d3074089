//! Wire credit lines: which news outlets a document says its story comes from ("(Meridian)",
//! "— NNA", "Agence Continentale reported", "according to Northstar News Agency",
//! "Reporting by ..."), as keys that compare with outlet names ([`outlet_keys`]). Fusion
//! counts a document that credits an outlet with that outlet's documents as one source
//! (`fusion::SourceGroups`): a reworded wire story that copy detection did not group is still
//! the wire's story.

/// Words that make a name a news outlet's name in a running-text credit ("X reported").
const MEDIA_WORDS: &[&str] = &[
    "agence",
    "agencia",
    "agency",
    "agentur",
    "broadcasting",
    "daily",
    "dispatch",
    "news",
    "press",
    "radio",
    "television",
    "times",
    "tv",
    "wire",
];

/// Words dropped from the end of an outlet's name to make its short key ("Meridian Press" is
/// "meridian", as a copy credits it "(Meridian)").
const GENERIC_TAIL: &[&str] = &["agency", "news", "press", "service", "wire"];

/// The keys an outlet name is known by: its words in lower case, the same without a generic
/// tail, and its initials when it has two words or more ("Northstar News Agency": `northstar
/// news agency`, `northstar`, `nna`).
pub fn outlet_keys(name: &str) -> Vec<String> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out = Vec::new();
    if words.is_empty() {
        return out;
    }
    out.push(words.join(" "));
    let mut short = words.as_slice();
    while short.len() > 1 && GENERIC_TAIL.contains(&short[short.len() - 1].as_str()) {
        short = &short[..short.len() - 1];
    }
    let short = short.join(" ");
    if !out.contains(&short) {
        out.push(short);
    }
    if words.len() >= 2 {
        let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
        if !out.contains(&initials) {
            out.push(initials);
        }
    }
    out
}

/// The capitalised words (or an all-capitals acronym) that end right before byte `end` of
/// `text`, at most four.
fn name_before(text: &str, end: usize) -> Option<&str> {
    let head = text.get(..end)?.trim_end();
    let mut start = head.len();
    for (n, w) in head.rsplit(' ').enumerate() {
        let w_clean = w.trim_end_matches([',', ';']);
        if n == 4 || w_clean.len() != w.len() || !w.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        start -= w.len();
        start = start.saturating_sub(1);
    }
    let name = head.get(start..)?.trim();
    (!name.is_empty()).then_some(name)
}

/// The capitalised words (or an acronym) that start at byte `start` of `text`, at most four
/// ("the" allowed first), up to the first word that ends a phrase.
fn name_after(text: &str, start: usize) -> Option<&str> {
    let tail = text.get(start..)?.trim_start();
    let tail = tail.strip_prefix("the ").unwrap_or(tail);
    let mut len = 0;
    let mut pos = 0;
    for (n, w) in tail.split(' ').enumerate() {
        let clean = w.trim_end_matches(['.', ',', ';', ':', ')', '\n']);
        if n == 4 || clean.is_empty() || !clean.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        len = pos + clean.len();
        if clean.len() != w.len() {
            break;
        }
        pos += w.len() + 1;
    }
    let name = tail.get(..len)?.trim();
    (!name.is_empty()).then_some(name)
}

fn is_media_name(name: &str) -> bool {
    name.split(|c: char| !c.is_alphanumeric())
        .any(|w| MEDIA_WORDS.contains(&w.to_lowercase().as_str()))
}

fn is_acronym(name: &str) -> bool {
    (2..=6).contains(&name.len()) && name.chars().all(|c| c.is_ascii_uppercase())
}

/// The keys ([`outlet_keys`]) of the news outlets `text` credits: a name in parentheses in
/// the first 400 bytes (a dateline credit, "(Meridian)"), an acronym or outlet name after a
/// dash ending a line ("— NNA"), and an outlet name (one with a media word: "Press", "News",
/// "Agency", "Agence", ...) before "reported" or after "according to", "Reporting by",
/// "distributed by" or a line's "By" (after which an acronym will do too). Sorted, without
/// repeats.
pub fn credits(text: &str) -> Vec<String> {
    let mut names: Vec<&str> = Vec::new();
    // Dateline credit in parentheses.
    let mut head_end = 400.min(text.len());
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let head = &text[..head_end];
    let mut at = 0;
    while let Some(open) = head[at..].find('(') {
        let open = at + open;
        let Some(close) = head[open..].find(')') else {
            break;
        };
        let inner = head[open + 1..open + close].trim();
        let words = inner.split(' ').count();
        if words <= 4
            && inner.chars().next().is_some_and(char::is_uppercase)
            && inner
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
        {
            names.push(inner);
        }
        at = open + close;
    }
    // A dash credit ending a line.
    for line in text.lines() {
        let line = line.trim_end().trim_end_matches('.');
        for dash in ["— ", "– ", "-- "] {
            if let Some(i) = line.rfind(dash) {
                let name = line[i + dash.len()..].trim();
                if is_acronym(name) || (is_media_name(name) && name.split(' ').count() <= 4) {
                    names.push(name);
                }
            }
        }
    }
    // Running-text credits: only names with a media word.
    for cue in [" reported", " reports"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(cue) {
            let end = from + i;
            if let Some(name) = name_before(text, end)
                && is_media_name(name)
            {
                names.push(name);
            }
            from = end + cue.len();
        }
    }
    for cue in [
        "according to ",
        "Reporting by ",
        "reporting by ",
        "distributed by ",
        "\nBy ",
    ] {
        let mut from = 0;
        while let Some(i) = text[from..].find(cue) {
            let start = from + i + cue.len();
            // an acronym only after a byline cue: "according to UN agencies" is no outlet
            if let Some(name) = name_after(text, start)
                && (is_media_name(name) || (cue != "according to " && is_acronym(name)))
            {
                names.push(name);
            }
            from = start;
        }
    }
    let mut keys: Vec<String> = names.iter().flat_map(|n| outlet_keys(n)).collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlet_keys_cover_the_short_forms_copies_use() {
        assert_eq!(
            outlet_keys("Northstar News Agency"),
            ["northstar news agency", "northstar", "nna"]
        );
        assert_eq!(
            outlet_keys("Meridian Press"),
            ["meridian press", "meridian", "mp"]
        );
        assert_eq!(outlet_keys("NNA"), ["nna"]);
    }

    #[test]
    fn credit_lines_in_their_usual_forms() {
        let dateline = "Strike kills nine\n\nARIHA, Syria, Oct 15 (Meridian) — Warplanes struck.";
        assert!(credits(dateline).contains(&"meridian".to_string()));
        let dash = "Warplanes struck the market.\n\nThe toll may rise.\n— NNA\n";
        assert!(credits(dash).contains(&"nna".to_string()));
        let reported = "The RSF captured the town on Thursday, according to residents, Agence Continentale reported.";
        assert!(credits(reported).contains(&"agence continentale".to_string()));
        let according = "Nine were killed, according to Northstar News Agency.";
        assert!(credits(according).contains(&"nna".to_string()));
        // an official or a monitor is not an outlet's credit
        let official = "Nine were killed, according to the Syria Civil Defence. Officials reported no arrests.";
        assert!(credits(official).is_empty(), "{:?}", credits(official));
        let agencies = "Thousands fled, according to UN agencies.";
        assert!(credits(agencies).is_empty(), "{:?}", credits(agencies));
        // a parenthesis that is not a name
        assert!(credits("Troops (about 200 of them) entered the town.").is_empty());
    }
}
