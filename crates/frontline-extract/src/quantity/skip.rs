//! Numbers that are not quantities: years, dates, times of day, percentages, ages,
//! identifiers ("Resolution 2254", "Route 4", "No. 5") and weapon models ("AK-47", "F-16",
//! which the tokenizer keeps as words).

use crate::time::lexicon::month;
use crate::time::words::Words;

/// Words before a number that make it an identifier.
const IDENTIFIER_BEFORE: &[&str] = &[
    "resolution",
    "route",
    "highway",
    "road",
    "article",
    "chapter",
    "section",
    "flight",
    "brigade",
    "division",
    "battalion",
    "regiment",
    "corps",
    "unit",
    "number",
    "no",
    "room",
    "building",
    "gate",
    "page",
    "line",
    "zone",
    "sector",
    "phase",
    "camp",
    "point",
    "hill",
    "hall",
    "block",
    "checkpoint",
    "base",
    "station",
    "tower",
    "street",
    "level",
    "grade",
    "class",
    "model",
    "version",
    "paragraph",
    "item",
    "law",
    "decree",
    "order",
    "category",
    "amendment",
    "protocol",
    "resolutions",
    "aged",
    "age",
    "ages",
    "platoon",
    "squadron",
    "fleet",
    "district",
    "kilometre",
    "kilometer",
    "km",
    "mile",
    "exit",
    "term",
    "channel",
    "tv",
    "radio",
    "apartment",
    "floor",
    "bus",
    "train",
    "mark",
    "mk",
    "type",
    "series",
    "precinct",
    "ward",
    "lot",
    "plot",
];

/// Words after a number that make it a time of day or a percentage.
const AFTER: &[&str] = &[
    "%", "percent", "per", "pct", "a.m.", "p.m.", "am", "pm", "gmt", "utc", "o'clock", "bst",
    "cet", "est", "edt", "pst", "local",
];

/// Whether the number in tokens `i..end` is not a quantity; `unit_follows` says a unit comes
/// after it (then "checkpoint 20 km" is a distance, not an identifier).
pub(crate) fn skip(w: &Words, i: usize, end: usize, unit_follows: bool) -> bool {
    let raw = w.raw(i);
    // Dates and times written as one token: "2017-06-18", "6/17/2017", "10:30".
    if w.is_number(i) && (raw.contains('/') || raw.contains(':') || raw.matches('-').count() > 1) {
        return true;
    }
    // A year: four digits, 1900-2100, without a separator.
    if end == i + 1 && raw.len() == 4 && w.int(i).is_some_and(|y| (1900..=2100).contains(&y)) {
        return true;
    }
    // Next to a month name: "June 17", "17 June".
    let prev = if i > 0 { w.low(i - 1) } else { "" };
    let prev_is_month = i > 0 && w.cap(i - 1) && month(prev).is_some();
    let prev_is_month = prev_is_month || (prev == "." && i > 1 && month(w.low(i - 2)).is_some());
    if prev_is_month || (w.cap(end) && month(w.low(end)).is_some()) {
        return true;
    }
    if AFTER.contains(&w.low(end)) {
        return true;
    }
    // "years old", "-year-old"
    if w.seq(end, &["years", "old"]) || w.low(end).starts_with("-year") {
        return true;
    }
    if unit_follows {
        return false;
    }
    // An age in apposition: "a Palestinian, 23, who".
    if prev == ","
        && matches!(w.raw(end), "," | ")" | ";")
        && end == i + 1
        && w.int(i).is_some_and(|a| a <= 120)
        && i > 1
        && w.cap(i - 2)
    {
        return true;
    }
    // Identifiers: "Resolution 2254", "No. 5", "#3".
    if IDENTIFIER_BEFORE.contains(&prev) || prev == "#" {
        return true;
    }
    if prev == "." && i > 1 && IDENTIFIER_BEFORE.contains(&w.low(i - 2)) {
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_text::Span;

    fn skipped(t: &str, num: &str) -> bool {
        let w = Words::new(t, Span::new(0, t.len()));
        let i = (0..w.len()).find(|&i| w.raw(i) == num).unwrap();
        skip(&w, i, i + 1, false)
    }

    #[test]
    fn not_quantities() {
        assert!(skipped("in 2015 the army", "2015"));
        assert!(skipped("on 2017-06-18 at", "2017-06-18"));
        assert!(skipped("at 10:30 local", "10:30"));
        assert!(skipped("on June 17 troops", "17"));
        assert!(skipped("on 17 June troops", "17"));
        assert!(skipped("on Sept. 3 troops", "3"));
        assert!(skipped("at 6 p.m. troops", "6"));
        assert!(skipped("a 40% rise", "40"));
        assert!(skipped("rose 40 percent", "40"));
        assert!(skipped("under Resolution 2254 the", "2254"));
        assert!(skipped("on Route 4 near", "4"));
        assert!(skipped("camp No. 9 near", "9"));
        assert!(skipped("a boy aged 12 was", "12"));
        assert!(skipped("he was 45 years old", "45"));
        assert!(skipped("shot dead a Palestinian, 23, who", "23"));
    }

    #[test]
    fn units_override_identifiers() {
        let t = "a checkpoint 20 km north";
        let w = Words::new(t, Span::new(0, t.len()));
        assert!(skip(&w, 2, 3, false));
        assert!(!skip(&w, 2, 3, true));
    }

    #[test]
    fn quantities_pass() {
        assert!(!skipped("killed 25 people", "25"));
        assert!(!skipped("25,000 square kilometers", "25,000"));
        assert!(!skipped("June saw 40 strikes", "40"));
    }
}
