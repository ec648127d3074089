//! What a count of people counts: the killed, wounded, displaced, arrested or abducted, read
//! from the nearest trigger word around the number; and the counted noun.

use frontline_model::QuantityKind;

use crate::time::words::Words;

/// Nouns for people.
const PEOPLE: &[&str] = &[
    "people",
    "persons",
    "person",
    "civilians",
    "civilian",
    "soldiers",
    "soldier",
    "troops",
    "fighters",
    "fighter",
    "militants",
    "militant",
    "children",
    "child",
    "women",
    "woman",
    "men",
    "man",
    "protesters",
    "protestors",
    "demonstrators",
    "rebels",
    "rebel",
    "members",
    "member",
    "officers",
    "officer",
    "policemen",
    "policeman",
    "police",
    "residents",
    "refugees",
    "migrants",
    "villagers",
    "workers",
    "students",
    "journalists",
    "insurgents",
    "jihadists",
    "gunmen",
    "worshippers",
    "pilgrims",
    "prisoners",
    "detainees",
    "hostages",
    "militiamen",
    "personnel",
    "staff",
    "casualties",
    "victims",
    "guards",
    "recruits",
    "volunteers",
    "boys",
    "girls",
    "family",
    "families",
    "individuals",
    "passengers",
    "miners",
    "farmers",
    "shepherds",
    "fishermen",
    "activists",
    "opponents",
    "supporters",
    "suspects",
    "combatants",
    "militias",
    "commanders",
    "leaders",
    "inmates",
    "infants",
    "babies",
    "teenagers",
    "others",
    "bodies",
    "dead",
    "wounded",
    "injured",
];

/// Words that may sit between a number and its noun ("25 Syrian soldiers", "30 armed men").
const MODIFIERS: &[&str] = &[
    "armed",
    "armored",
    "armoured",
    "military",
    "other",
    "more",
    "additional",
    "new",
    "small",
    "heavy",
    "foreign",
    "local",
    "government",
    "rebel",
    "opposition",
    "pro-government",
    "security",
    "unarmed",
    "suspected",
    "alleged",
    "army",
    "police",
    "militia",
    "young",
    "elderly",
    "innocent",
    "civilian",
    "enemy",
    "allied",
    "regime",
    "islamist",
    "jihadist",
    "kurdish",
    "of",
    "the",
    "their",
    "its",
];

/// Words that are never a counted noun ("killed 25 since Friday", "25 were killed").
const FUNCTION_WORDS: &[&str] = &[
    "since",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "to",
    "and",
    "or",
    "but",
    "with",
    "were",
    "was",
    "are",
    "is",
    "be",
    "been",
    "have",
    "has",
    "had",
    "who",
    "which",
    "that",
    "as",
    "after",
    "before",
    "during",
    "near",
    "across",
    "while",
    "when",
    "including",
    "among",
    "said",
    "says",
    "say",
    "according",
    "into",
    "across",
    "across",
    "inside",
    "outside",
    "over",
    "under",
    "between",
    "than",
    "a",
    "an",
    "this",
    "these",
    "those",
    "it",
    "they",
    "he",
    "she",
    "we",
    "would",
    "will",
    "could",
    "may",
    "might",
    "had",
    "not",
    "also",
    "all",
    "each",
    "last",
    "this",
    "so",
    "far",
    "yet",
    "there",
    "here",
    "out",
    "up",
    "down",
    "off",
    "away",
];

/// Auxiliaries and adverbs between a number and its predicate.
const AUXILIARIES: &[&str] = &[
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "being",
    "are",
    "is",
    "be",
    "reportedly",
    "also",
    "later",
    "allegedly",
    "all",
    "now",
    "since",
    "were",
    "got",
    "confirmed",
    "reported",
    "believed",
    "feared",
    "say",
    "said",
    "to",
];

/// Trigger words and the kind they give.
fn trigger(word: &str) -> Option<QuantityKind> {
    use QuantityKind::*;
    Some(match word {
        "killed" | "kill" | "kills" | "killing" | "dead" | "deaths" | "death" | "died" | "die"
        | "dies" | "dying" | "fatalities" | "lives" | "slain" | "executed" | "massacred"
        | "bodies" | "perished" | "murdered" => Killed,
        "wounded" | "wounding" | "injured" | "injuring" | "injuries" | "hurt" | "wounds" => Wounded,
        "displaced" | "displacing" | "fled" | "flee" | "fleeing" | "refugees" | "displacement"
        | "homeless" | "evacuated" | "uprooted" => Displaced,
        "arrested" | "arresting" | "arrests" | "detained" | "detaining" | "detentions"
        | "jailed" | "imprisoned" | "apprehended" | "custody" | "detainees" => Arrested,
        "abducted" | "abducting" | "kidnapped" | "kidnapping" | "abductions" | "hostages"
        | "hostage" | "captives" | "abduction" => Abducted,
        _ => return None,
    })
}

/// Whether `word` is a people noun.
pub(crate) fn is_people(word: &str) -> bool {
    PEOPLE.contains(&word)
}

/// The counted noun after a number ending at `end`: skips up to three modifiers and
/// capitalised words ("25 Syrian soldiers"); returns (noun index).
pub(crate) fn counted_noun(w: &Words, end: usize) -> Option<usize> {
    for j in end..end + 4 {
        let t = w.toks.get(j)?;
        if !t.is_word() {
            return None;
        }
        let low = w.low(j);
        if FUNCTION_WORDS.contains(&low) {
            return None;
        }
        let next_is_word = w.toks.get(j + 1).is_some_and(|n| n.is_word())
            && !FUNCTION_WORDS.contains(&w.low(j + 1));
        let skippable = MODIFIERS.contains(&low) || (w.cap(j) && next_is_word && !is_people(low));
        if !skippable || is_people(low) {
            return Some(j);
        }
    }
    None
}

/// The kind given by a trigger near the number: its predicate after it when only the noun
/// and auxiliaries lie between ("25 people were killed"), else the nearest trigger within 4
/// tokens before `start` or 6 after `end` (not looking past another number or a clause
/// break); on a tie, the one before ("killed 25 and wounded 40").
pub(crate) fn kind_near(w: &Words, start: usize, end: usize) -> Option<QuantityKind> {
    let stop = |k: usize| w.is_number(k) || matches!(w.raw(k), ";" | "." | ":" | "(" | ")" | "\"");
    let mut after = None;
    // Whether everything between the number and the trigger is its noun or an auxiliary
    // ("25 people were killed", "5 million have fled"): then the trigger is its predicate.
    let mut predicate = true;
    for (d, k) in (end..(end + 6).min(w.len())).enumerate() {
        if stop(k) {
            break;
        }
        if let Some(kind) = trigger(w.low(k)) {
            after = Some((d, kind));
            break;
        }
        let low = w.low(k);
        predicate &= AUXILIARIES.contains(&low) || is_people(low) || MODIFIERS.contains(&low);
    }
    if let (Some((_, kind)), true) = (after, predicate) {
        return Some(kind);
    }
    let mut before = None;
    for (d, k) in (start.saturating_sub(4)..start).rev().enumerate() {
        if stop(k) {
            break;
        }
        if let Some(kind) = trigger(w.low(k)) {
            before = Some((d, kind));
            break;
        }
    }
    match (before, after) {
        (Some((db, kb)), Some((da, ka))) => Some(if db <= da { kb } else { ka }),
        (Some((_, k)), None) | (None, Some((_, k))) => Some(k),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_text::Span;

    fn kind(t: &str, num: &str) -> Option<QuantityKind> {
        let w = Words::new(t, Span::new(0, t.len()));
        let i = (0..w.len()).find(|&i| w.raw(i) == num).unwrap();
        kind_near(&w, i, i + 1)
    }

    #[test]
    fn nearest_trigger_wins() {
        use QuantityKind::*;
        let t = "The strike killed 25 people and wounded 40 others";
        assert_eq!(kind(t, "25"), Some(Killed));
        assert_eq!(kind(t, "40"), Some(Wounded));
        assert_eq!(
            kind("killed 2 and 5 million have fled", "5"),
            Some(Displaced)
        );
        let t = "25 people were killed and 40 wounded";
        assert_eq!(kind(t, "25"), Some(Killed));
        assert_eq!(kind(t, "40"), Some(Wounded));
        assert_eq!(
            kind("some 300 families fled the area", "300"),
            Some(Displaced)
        );
        assert_eq!(kind("police detained 12 students", "12"), Some(Arrested));
        assert_eq!(kind("gunmen kidnapped 7 workers", "7"), Some(Abducted));
        assert_eq!(kind("the group has 500 members", "500"), None);
    }

    #[test]
    fn counted_nouns() {
        let t = "25 Syrian soldiers and 30 armored vehicles and 4 Grad rockets";
        let w = Words::new(t, Span::new(0, t.len()));
        assert_eq!(w.low(counted_noun(&w, 1).unwrap()), "soldiers");
        assert_eq!(w.low(counted_noun(&w, 5).unwrap()), "vehicles");
        assert_eq!(w.low(counted_noun(&w, 9).unwrap()), "rockets");
        assert!(is_people("civilians"));
    }
}
