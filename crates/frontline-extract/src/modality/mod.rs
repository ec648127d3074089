//! Modality: how sure the text is that an event happened.
//!
//! A cue before the trigger, in the trigger's clause, sets the modality. Cues and their rule
//! ids (shown by `frontline explain`):
//! - `MO10-denied`: "denied", "deny", "denies", "rejected claims" (a party denies the act).
//! - `MO20-negated`: "not", "never", "no", "cannot", "failed to", "didn't" within three tokens
//!   before.
//! - `MO30-hypothetical`: "would", "could", "may", "might", "will", "plans to", "threatened to",
//!   "vowed to", "intends to", "desire to", "if", "allow ... to", "aims to", "ready to".
//! - `MO40-hedged`: "reportedly", "allegedly", "claimed", "apparently", "appeared to",
//!   "it was not clear whether", "unconfirmed", "said to have", "purportedly", "suspected".
//!
//! Only asserted and hedged events count by default (see [`Modality::counts`]). A hedge that
//! wraps a negation ("it was not clear whether") is a hedge, not a negation.

use frontline_model::Modality;
use frontline_text::Span;

use crate::lex::Tokens;

/// What the modality finder decided, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ModalityFound {
    /// The modality.
    pub modality: Modality,
    /// The cue's span, when there is one.
    pub cue: Option<Span>,
    /// Rule id, when a cue fired.
    pub rule: Option<&'static str>,
}

const HEDGE_PHRASES: &[&[&str]] = &[
    &["not", "entirely", "clear", "whether"],
    &["not", "clear", "whether"],
    &["unclear", "whether"],
    &["not", "clear", "if"],
    &["unclear", "if"],
    &["not", "immediately", "clear"],
    &["could", "not", "be", "independently", "verified"],
    &["could", "not", "be", "confirmed"],
    &["appeared", "to"],
    &["appears", "to"],
    &["appear", "to"],
    &["seemed", "to"],
    &["said", "to", "have"],
    &["is", "believed", "to"],
    &["are", "believed", "to"],
    &["was", "believed", "to"],
    &["were", "believed", "to"],
    &["was", "thought", "to"],
    &["were", "reported", "to"],
    &["was", "reported", "to"],
];

const HEDGE_WORDS: &[&str] = &[
    "reportedly",
    "allegedly",
    "apparently",
    "purportedly",
    "supposedly",
    "claimed",
    "claims",
    "claim",
    "unconfirmed",
    "alleged",
    "suspected",
    "possibly",
    "probably",
    "likely",
    "rumoured",
    "rumored",
];

const HYPO_PHRASES: &[&[&str]] = &[
    &["plans", "to"],
    &["planned", "to"],
    &["planning", "to"],
    &["plan", "to"],
    &["threatened", "to"],
    &["threatens", "to"],
    &["threaten", "to"],
    &["vowed", "to"],
    &["vows", "to"],
    &["intends", "to"],
    &["intended", "to"],
    &["intend", "to"],
    &["aims", "to"],
    &["aimed", "to"],
    &["desire", "to"],
    &["wants", "to"],
    &["want", "to"],
    &["wanted", "to"],
    &["ready", "to"],
    &["prepared", "to"],
    &["preparing", "to"],
    &["set", "to"],
    &["expected", "to"],
    &["promised", "to"],
    &["promises", "to"],
    &["pledged", "to"],
    &["pledges", "to"],
    &["poised", "to"],
    &["about", "to"],
    &["provides", "for"],
    &["provide", "for"],
    &["calls", "for"],
    &["called", "for"],
    &["in", "order", "to"],
    &["seeking", "to"],
    &["seeks", "to"],
    &["sought", "to"],
    &["try", "to"],
    &["trying", "to"],
    &["committed", "to"],
    &["scheduled", "to"],
    &["continue", "to"],
    &["continues", "to"],
    &["is", "to"],
    &["are", "to"],
    &["going", "to"],
    &["seeks", "to"],
    &["sought", "to"],
    &["seek", "to"],
    &["tried", "to"],
    &["trying", "to"],
    &["attempt", "to"],
    &["attempted", "to"],
    &["ordered", "to"],
    &["called", "on"],
    &["urged"],
    &["warned", "of"],
    &["in", "order", "to"],
    &["so", "as", "to"],
];

const HYPO_WORDS: &[&str] = &[
    "would",
    "could",
    "may",
    "might",
    "will",
    "shall",
    "should",
    "can",
    "if",
    "unless",
    "allow",
    "allows",
    "allowing",
    "enable",
    "enables",
    "possible",
    "potential",
    "proposed",
    "planned",
    "future",
    "wo",
    "awaiting",
    "awaits",
    "await",
    "imminent",
    "prevent",
    "prevents",
    "preventing",
    "thwart",
    "scheduled",
];

const NEG_WORDS: &[&str] = &["not", "never", "n't", "no", "nor", "without", "cannot"];
const NEG_PHRASES: &[&[&str]] = &[&["failed", "to"], &["fail", "to"], &["fails", "to"]];
const DENY_WORDS: &[&str] = &[
    "denied",
    "deny",
    "denies",
    "denying",
    "dismissed",
    "refuted",
];

/// Tokens that end a modality cue's scope when met between the cue and the trigger.
const SCOPE_BREAKS: &[&str] = &[";", "but", "however", "meanwhile", "."];

/// Whether `w` (lower-case) is a word by which a party denies an act ("denied", "refuted").
pub fn is_deny_word(w: &str) -> bool {
    DENY_WORDS.contains(&w)
}

/// Whether `w` is a single-word modality cue.
pub fn is_cue_word(w: &str) -> bool {
    HEDGE_WORDS.contains(&w)
        || HYPO_WORDS.contains(&w)
        || NEG_WORDS.contains(&w)
        || DENY_WORDS.contains(&w)
}

fn phrase_at(t: &Tokens<'_>, i: usize, p: &[&str]) -> bool {
    p.iter().enumerate().all(|(k, w)| t.low(i + k) == *w)
}

/// How far back, in tokens, a cue reaches its trigger. A cue further back governs another
/// clause of a run-on sentence; the bound also keeps the cost of a sentence linear in its
/// length, whatever the input.
const MAX_SCOPE: usize = 64;

/// Every word that can open a cue (the first word of each phrase and the single cue words),
/// so most tokens are passed over with one lookup.
fn cue_words() -> &'static rustc_hash::FxHashSet<&'static str> {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        [HEDGE_PHRASES, NEG_PHRASES, HYPO_PHRASES]
            .iter()
            .flat_map(|l| l.iter().filter_map(|p| p.first().copied()))
            .chain(
                [DENY_WORDS, NEG_WORDS, HYPO_WORDS, HEDGE_WORDS]
                    .iter()
                    .flat_map(|l| l.iter().copied()),
            )
            .collect()
    })
}

/// The modality of the event whose trigger is token `trigger` (its clause starting at
/// `clause_start`).
pub fn modality_of(t: &Tokens<'_>, clause_start: usize, trigger: usize) -> ModalityFound {
    let asserted = ModalityFound {
        modality: Modality::Asserted,
        cue: None,
        rule: None,
    };
    let mut best = asserted.clone();
    let rank = |m: Modality| match m {
        Modality::Denied => 4,
        Modality::Negated => 3,
        Modality::Hypothetical => 2,
        Modality::Hedged => 1,
        Modality::Asserted => 0,
    };
    let cues = cue_words();
    let mut consumed_until = 0usize;
    let mut i = clause_start.max(trigger.saturating_sub(MAX_SCOPE));
    while i < trigger {
        if SCOPE_BREAKS.contains(&t.low(i)) {
            best = asserted.clone();
            i += 1;
            continue;
        }
        let mut found: Option<(Modality, usize, &'static str)> = None;
        if i >= consumed_until && cues.contains(t.low(i)) {
            if let Some(p) = HEDGE_PHRASES.iter().find(|p| phrase_at(t, i, p)) {
                found = Some((Modality::Hedged, p.len(), "MO40-hedged"));
            } else if let Some(p) = NEG_PHRASES.iter().find(|p| phrase_at(t, i, p)) {
                found = Some((Modality::Negated, p.len(), "MO20-negated"));
            } else if let Some(p) = HYPO_PHRASES.iter().find(|p| phrase_at(t, i, p)) {
                found = Some((Modality::Hypothetical, p.len(), "MO30-hypothetical"));
            } else {
                let w = t.low(i);
                if DENY_WORDS.contains(&w) {
                    found = Some((Modality::Denied, 1, "MO10-denied"));
                } else if NEG_WORDS.contains(&w) && trigger - i <= 3 {
                    found = Some((Modality::Negated, 1, "MO20-negated"));
                } else if HYPO_WORDS.contains(&w) {
                    found = Some((Modality::Hypothetical, 1, "MO30-hypothetical"));
                } else if HEDGE_WORDS.contains(&w) {
                    found = Some((Modality::Hedged, 1, "MO40-hedged"));
                }
            }
        }
        if let Some((m, len, rule)) = found {
            consumed_until = i + len;
            if rank(m) >= rank(best.modality) || best.modality == Modality::Hedged {
                // a later cue closer to the trigger refines an earlier one, except that a
                // hedge never downgrades a stronger cue already found
                if !(m == Modality::Hedged && rank(best.modality) > 1) {
                    best = ModalityFound {
                        modality: m,
                        cue: Some(t.span(i, i + len)),
                        rule: Some(rule),
                    };
                }
            }
            i += len;
        } else {
            i += 1;
        }
    }
    // a hedge that wraps the whole clause ("it was not clear whether ... ") wins over the
    // negation inside its own words, which phrase matching already consumed
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;

    fn m(s: &str, trigger_word: &str) -> Modality {
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let k = (0..t.len()).find(|&k| t.low(k) == trigger_word).unwrap();
        modality_of(&t, 0, k).modality
    }

    #[test]
    fn cue_scope_is_bounded() {
        let filler = "and the convoy moved on ".repeat(20);
        let far = format!("Rebels reportedly said {filler}then captured the town.");
        assert_eq!(m(&far, "captured"), Modality::Asserted);
        let near = format!("{filler}rebels reportedly captured the town.");
        assert_eq!(m(&near, "captured"), Modality::Hedged);
    }

    #[test]
    fn asserted_by_default() {
        assert_eq!(
            m("Rebels captured the town.", "captured"),
            Modality::Asserted
        );
    }

    #[test]
    fn hedges() {
        assert_eq!(
            m("Rebels reportedly captured the town.", "captured"),
            Modality::Hedged
        );
        assert_eq!(
            m(
                "It was not clear whether rebels have captured the town.",
                "captured"
            ),
            Modality::Hedged
        );
        assert_eq!(
            m("Troops appeared to withdraw.", "withdraw"),
            Modality::Hedged
        );
    }

    #[test]
    fn negation_and_denial() {
        assert_eq!(
            m("Rebels did not capture the town.", "capture"),
            Modality::Negated
        );
        assert_eq!(
            m("The army denied shelling the village.", "shelling"),
            Modality::Denied
        );
        assert_eq!(
            m("Troops failed to retake the hill.", "retake"),
            Modality::Negated
        );
        // "cannot" is "can not" in one word
        assert_eq!(
            m(
                "Police cannot detain the protesters without a warrant.",
                "detain"
            ),
            Modality::Negated
        );
    }

    #[test]
    fn hypotheticals() {
        assert_eq!(
            m(
                "The deal would allow fighters to move within Syria.",
                "move"
            ),
            Modality::Hypothetical
        );
        assert_eq!(
            m("Ankara plans to deploy troops.", "deploy"),
            Modality::Hypothetical
        );
        assert_eq!(
            m("The group threatened to attack the base.", "attack"),
            Modality::Hypothetical
        );
    }

    #[test]
    fn scope_ends_at_but() {
        assert_eq!(
            m(
                "Talks may resume, but troops attacked the town.",
                "attacked"
            ),
            Modality::Asserted
        );
    }
}
