//! Role filling over clauses: who acted (sources), on whom (targets), and for territorial
//! events from whom. Rule ids:
//! - `RO10-active-subject`: the nearest actor before the trigger in its clause, with the
//!   actors coordinated with it ("Syrian troops and allied militias met ..."); actors inside
//!   an apposition or a prepositional phrase (", backed by Y,") are skipped.
//! - `RO11-relative-antecedent`: "the militia that fought ..." takes the antecedent.
//! - `RO12-anaphora`: a pronoun or "the campaign/offensive" subject takes the previous
//!   event's sources.
//! - `RO20-active-object`: the first actor after the trigger in its clause.
//! - `RO21-from`: "captured Y from Z": Z lost the territory (target).
//! - `RO30-passive`: "Y was retaken by X", "a town captured by X".
//! - `RO32-reduced-passive`: "police officer killed in shoot-out": a bare participle of a verb
//!   that always takes an object, followed by a preposition, is passive.
//! - `RO31-passive-aimed-at`: "shots were fired at X": with no actor as the passive subject,
//!   the actor after "at", "on", "upon" or "against" is the target.
//! - `RO40-nominal-of-by`: "the capture of Y by X".
//! - `RO41-nominal-between`: "clashes between X and Y".
//! - `RO42-nominal-on`: "an air strike on Y", "an offensive against Y".
//! - `RO43-nominal-possessor`: "X's offensive", "Israeli air strikes".
//! - `RO50-symmetric`: "X and Y clashed": both sides.
//! - `RO87-named-adjunct-noun`: a noun trigger in an adjunct keeps out of the clause's
//!   subject when a demonym or name stands before it too ("killed in an Israeli raid").
//! - `RO88-participle-object`: ", killing three villagers and wounding others": the actor
//!   after a participle is its object, not a later verb's subject.
//! - `RO89-described-adjunct-noun`: describing words between a determiner and a noun trigger
//!   ("during a retaliatory attack") are passed over to find the preposition governing it.
//! - `RO90-coordinated-verb-object`: "X killed 12 soldiers and captured a base": the first
//!   verb's object is never the coordinated verb's subject.
//! - `RO84-agent-of-nearest-noun`: "by X" after another action noun or an infinitive is
//!   that word's agent, not the noun trigger's ("protests against abuses by the army").

use crate::actors::ActorFound;
use crate::lex::{Tok, Tokens};

use super::lexicon::Form;

/// Tokens that end a clause when scanning left from a trigger.
pub const LEFT_BREAKS: &[&str] = &[
    ";",
    ":",
    "said",
    "says",
    "told",
    "that",
    "which",
    "who",
    "whom",
    "after",
    "before",
    "while",
    "when",
    "whereas",
    "because",
    "since",
    "but",
    "although",
    "though",
    "whether",
    "if",
    "\"",
    "reported",
    "according",
    "showed",
    "or",
    "once",
    "until",
    "where",
];

/// Tokens that end a clause when scanning right from a trigger.
pub const RIGHT_BREAKS: &[&str] = &[
    ";",
    ".",
    "said",
    "says",
    "told",
    "that",
    "which",
    "who",
    "after",
    "before",
    "while",
    "when",
    "because",
    "but",
    "although",
    "whether",
    "\"",
    "according",
    "where",
    "as",
    "since",
    "until",
    "reported",
];

/// Prepositions that make the following actor an oblique, not a subject.
const OBLIQUE: &[&str] = &[
    "by",
    "with",
    "alongside",
    "of",
    "from",
    "against",
    "to",
    "for",
    "on",
    "between",
    "among",
    "including",
    "like",
    "than",
    "toward",
    "towards",
    "into",
    "at",
    "near",
    "in",
];

/// Pronouns and definite NPs that refer back to the previous event's actor.
const ANAPHORS: &[&str] = &[
    "they",
    "it",
    "he",
    "she",
    "we",
    "campaign",
    "offensive",
    "operation",
    "group",
    "movement",
];

const BE: &[&str] = &[
    "was", "were", "is", "are", "been", "being", "be", "got", "get", "gets", "has", "have",
];
const ADVERBS: &[&str] = &[
    "reportedly",
    "allegedly",
    "also",
    "recently",
    "later",
    "then",
    "finally",
    "fully",
    "partially",
    "already",
    "just",
    "again",
    "eventually",
    "newly",
    "successfully",
    "briefly",
    "quickly",
    "now",
    "apparently",
    "still",
    "largely",
    "mostly",
    "not",
];

/// The filled roles, as indices into the sentence's actor list.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    /// Who acted.
    pub sources: Vec<usize>,
    /// On whom.
    pub targets: Vec<usize>,
    /// Territory lost by (index into actors).
    pub from: Option<usize>,
    /// Whether the clause is passive.
    pub passive: bool,
    /// Use the previous event's sources (anaphora).
    pub anaphora: bool,
    /// Rule ids that fired.
    pub rules: Vec<&'static str>,
}

/// Clause bounds (token range) around a trigger.
pub fn clause(t: &Tokens<'_>, start: usize, end: usize) -> (usize, usize) {
    type Set = rustc_hash::FxHashSet<&'static str>;
    static SETS: std::sync::OnceLock<(Set, Set)> = std::sync::OnceLock::new();
    let (left, right) = SETS.get_or_init(|| {
        (
            LEFT_BREAKS.iter().copied().collect(),
            RIGHT_BREAKS.iter().copied().collect(),
        )
    });
    let mut a = start;
    while a > 0 && !left.contains(t.low(a - 1)) {
        a -= 1;
    }
    let mut b = end;
    while b < t.len() && !right.contains(t.low(b)) {
        b += 1;
    }
    (a, b)
}

fn is_oblique(t: &Tokens<'_>, a: &ActorFound) -> bool {
    let s = a.tok_start;
    let p1 = if s >= 1 { t.low(s - 1) } else { "" };
    let p2 = if s >= 2 { t.low(s - 2) } else { "" };
    // "thousands of protesters", "dozens of fighters", "units of the army": a quantity or a
    // part, not a preposition
    let of_at = if p1 == "the" {
        s.saturating_sub(2)
    } else {
        s.saturating_sub(1)
    };
    let before_of = if of_at >= 1 { t.low(of_at - 1) } else { "" };
    let quantifier = s >= 1
        && t.low(of_at) == "of"
        && (matches!(
            before_of,
            "thousands"
                | "hundreds"
                | "dozens"
                | "scores"
                | "tens"
                | "millions"
                | "some"
                | "many"
                | "number"
                | "group"
                | "members"
                | "groups"
                | "units"
                | "elements"
                | "several"
        ) || t
            .toks
            .get(of_at.wrapping_sub(1))
            .is_some_and(|k| k.kind == Tok::Number));
    !quantifier && (OBLIQUE.contains(&p1) || (p1 == "the" && OBLIQUE.contains(&p2)))
}

/// Whether actor `a` sits in an apposition ", backed by X," / ", the militia that ...,".
fn in_apposition(t: &Tokens<'_>, a: &ActorFound, limit: usize) -> bool {
    // find a comma before a within 6 tokens whose next token is a participle/det, and a comma
    // after a before `limit`
    let open = (a.tok_start.saturating_sub(6)..a.tok_start)
        .rev()
        .find(|&k| t.is_punct(k, ','));
    let close = (a.tok_end..limit).find(|&k| t.is_punct(k, ','));
    match (open, close) {
        (Some(o), Some(_)) => {
            let w = t.low(o + 1);
            w.ends_with("ed")
                || matches!(
                    w,
                    "a" | "an" | "the" | "which" | "who" | "including" | "along"
                )
        }
        _ => false,
    }
}

fn coordinated_left(t: &Tokens<'_>, actors: &[ActorFound], idx: usize, floor: usize) -> Vec<usize> {
    let mut out = vec![idx];
    let mut cur = idx;
    // same-span siblings ("Syrian and Iraqi soldiers" yields two actors on one span)
    for (k, a) in actors.iter().enumerate() {
        if k != idx && actors.get(idx).is_some_and(|b| b.span == a.span) && !out.contains(&k) {
            out.push(k);
        }
    }
    while let Some(c) = actors.get(cur) {
        let prev = (0..actors.len()).rev().find(|&k| {
            actors.get(k).is_some_and(|p| {
                p.tok_end < c.tok_start
                    && p.tok_start >= floor
                    && (c.tok_start - p.tok_end == 1
                        || (c.tok_start - p.tok_end == 2 && t.low(p.tok_end + 1) == "the"))
                    && matches!(t.low(p.tok_end), "and" | "," | "&")
            })
        });
        match prev {
            Some(p) => {
                out.push(p);
                cur = p;
            }
            None => break,
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn coordinated_right(t: &Tokens<'_>, actors: &[ActorFound], idx: usize, ceil: usize) -> Vec<usize> {
    let mut out = vec![idx];
    for (k, a) in actors.iter().enumerate() {
        if k != idx && actors.get(idx).is_some_and(|b| b.span == a.span) && !out.contains(&k) {
            out.push(k);
        }
    }
    let mut cur = idx;
    while let Some(c) = actors.get(cur) {
        let next = actors.iter().position(|n| {
            (n.tok_start == c.tok_end + 1
                || (n.tok_start == c.tok_end + 2 && t.low(c.tok_end + 1) == "the"))
                && n.tok_end <= ceil
                && matches!(t.low(c.tok_end), "and" | "&")
        });
        match next {
            Some(n) => {
                out.push(n);
                cur = n;
            }
            None => break,
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Is the verb trigger at `start` passive? Returns whether a "by" agent phrase follows.
fn passive(t: &Tokens<'_>, start: usize, end: usize, participle: bool) -> bool {
    if !participle {
        return false;
    }
    // reduced relative: "a town captured by rebels"
    aux_passive(t, start) || t.low(end) == "by" || reduced_passive(t, start, end)
}

/// An auxiliary of the passive ("was", "were", "has been") before the participle at `start`,
/// over adverbs.
fn aux_passive(t: &Tokens<'_>, start: usize) -> bool {
    let mut k = start;
    let mut steps = 0;
    while k > 0 && steps < 4 {
        let w = t.low(k - 1);
        if matches!(
            w,
            "was" | "were" | "is" | "are" | "been" | "being" | "be" | "got" | "get"
        ) {
            return true;
        }
        if ADVERBS.contains(&w) || BE.contains(&w) {
            k -= 1;
            steps += 1;
            continue;
        }
        break;
    }
    false
}

/// Verbs that always take an object in the active voice: their bare participle before a
/// preposition of place, time or cause is passive (`RO32`).
const TRANSITIVE_PARTICIPLES: &[&str] = &[
    "killed",
    "wounded",
    "injured",
    "shot",
    "arrested",
    "detained",
    "abducted",
    "kidnapped",
    "captured",
    "executed",
    "murdered",
    "slain",
    "hurt",
    "beheaded",
    "ambushed",
    "targeted",
    "attacked",
    "seized",
    "lynched",
    "massacred",
    "gunned",
];

/// `RO32-reduced-passive`: a bare participle of a verb that always takes an object, with no
/// object after it but a preposition of place, time or cause ("French police officer killed
/// in shoot-out", "Over 100 people arrested since Friday", "two soldiers wounded near the
/// border"), is passive: the headline style drops the auxiliary, and the actor before it is
/// the patient, not the agent. Also at the clause's end for the verbs that never stand
/// alone ("three soldiers killed, two wounded").
fn reduced_passive(t: &Tokens<'_>, start: usize, end: usize) -> bool {
    if end != start + 1 {
        return false;
    }
    let verb = t.low(start);
    if !TRANSITIVE_PARTICIPLES.contains(&verb) || t.is_cap(start) {
        return false;
    }
    let next = t.low(end);
    let prep = matches!(
        next,
        "in" | "at"
            | "near"
            | "during"
            | "after"
            | "as"
            | "when"
            | "while"
            | "on"
            | "outside"
            | "inside"
            | "since"
            | "amid"
            | "following"
            | "across"
            | "around"
    );
    // "killed at least four", "killed as many as 20": a number's qualifier opens the object
    let counts = matches!(
        (next, t.low(end + 1)),
        ("at", "least" | "most") | ("as", "many" | "much" | "few")
    );
    let bare_end = end >= t.len() || matches!(next, "," | "." | ";" | ":");
    (prep && !counts) || (bare_end && verb != "attacked" && verb != "targeted")
}

/// First actor index after token `from` (inclusive) and before `ceil`, optionally requiring
/// the preceding word.
fn first_after(
    t: &Tokens<'_>,
    actors: &[ActorFound],
    from: usize,
    ceil: usize,
    prep: Option<&[&str]>,
) -> Option<usize> {
    actors.iter().position(|a| {
        a.tok_start >= from
            && a.tok_end <= ceil
            && match prep {
                Some(ps) => {
                    let p1 = if a.tok_start >= 1 {
                        t.low(a.tok_start - 1)
                    } else {
                        ""
                    };
                    let p2 = if a.tok_start >= 2 {
                        t.low(a.tok_start - 2)
                    } else {
                        ""
                    };
                    ps.contains(&p1) || (p1 == "the" && ps.contains(&p2))
                }
                None => true,
            }
    })
}

/// `RO41-nominal-between`: the "between" of "clashes between X and Y", right after the noun
/// or after a verb and a time word with no actor on the way ("fighting resumed Friday between
/// the army and rebels", "clashes broke out between").
fn between_after(t: &Tokens<'_>, actors: &[ActorFound], end: usize, ceil: usize) -> Option<usize> {
    let k = (end..ceil.min(end + 6)).find(|&k| t.low(k) == "between")?;
    let crossed = actors.iter().any(|a| a.tok_start >= end && a.tok_start < k);
    (!crossed).then_some(k)
}

/// Whether the "by" before the actor at token `at` belongs to a participle describing a
/// noun ("a facility used by the army", "areas held by rebels") rather than to the event
/// ("an attack carried out by", "a bombing claimed by").
fn by_modifies_a_noun(t: &Tokens<'_>, at: usize) -> bool {
    let mut k = at;
    if k >= 1 && t.low(k - 1) == "the" {
        k -= 1;
    }
    if k < 2 || t.low(k - 1) != "by" {
        return false;
    }
    let w = t.low(k - 2);
    let participle = (w.len() >= 4 && w.ends_with("ed"))
        || matches!(
            w,
            "held" | "run" | "built" | "owned" | "known" | "seen" | "hit"
        );
    participle
        && !matches!(
            w,
            "claimed"
                | "launched"
                | "conducted"
                | "led"
                | "staged"
                | "perpetrated"
                | "committed"
                | "mounted"
                | "executed"
                | "orchestrated"
                | "waged"
                | "ordered"
                | "initiated"
                | "fired"
                | "carried"
        )
}

/// `RO84-agent-of-nearest-noun`: a "by X" phrase belongs to the nearest event noun or verb
/// on its left. For a noun trigger, X is its agent only when no other action word stands
/// between: not in "protests against rights violations by the army" (the army violated) nor
/// in "marches to demand reforms by the government" (an infinitive starts another
/// predicate). Reads `end` (the trigger's end) up to the actor `a`.
pub(crate) fn agent_phrase_is_the_triggers(t: &Tokens<'_>, end: usize, a: &ActorFound) -> bool {
    let mut by = a.tok_start;
    if by >= 1 && t.low(by - 1) == "the" {
        by -= 1;
    }
    if by < 2 || by <= end {
        return true;
    }
    let between = end..by - 1;
    let infinitive = between.into_iter().any(|k| {
        t.low(k) == "to"
            && t.toks.get(k + 1).is_some_and(|x| x.kind == Tok::Word)
            && !t.is_cap(k + 1)
            && !matches!(t.low(k + 1), "the" | "a" | "an" | "its" | "their")
    });
    // the word right before "by" (the phrase's head noun) when it is not the trigger
    let head = by - 2;
    let other_action = head >= end && is_action_noun(t, head);
    !infinitive && !other_action
}

/// A lower-case noun of action derived from a verb ("violations", "deployment",
/// "interference"): the suffixes English makes event nouns with (-tion, -sion, -ment, -ance,
/// -ence), less the common nouns of places, bodies and things that share them.
fn is_action_noun(t: &Tokens<'_>, k: usize) -> bool {
    if t.is_cap(k) || t.toks.get(k).is_none_or(|x| x.kind != Tok::Word) {
        return false;
    }
    let w = t.low(k);
    let w = w.strip_suffix('s').unwrap_or(w);
    let suffixed = w.len() >= 6
        && ["tion", "sion", "ment", "ance", "ence"]
            .iter()
            .any(|x| w.ends_with(x));
    suffixed
        && !matches!(
            w,
            "nation"
                | "station"
                | "position"
                | "coalition"
                | "population"
                | "installation"
                | "organization"
                | "organisation"
                | "administration"
                | "delegation"
                | "federation"
                | "commission"
                | "mission"
                | "division"
                | "government"
                | "parliament"
                | "department"
                | "settlement"
                | "movement"
                | "regiment"
                | "detachment"
                | "equipment"
                | "apartment"
                | "compartment"
                | "establishment"
                | "alliance"
                | "ambulance"
                | "residence"
                | "defence"
                | "conference"
                | "audience"
        )
}

/// Fills the roles for one trigger.
#[allow(clippy::too_many_arguments)]
pub fn fill(
    t: &Tokens<'_>,
    actors: &[ActorFound],
    start: usize,
    end: usize,
    form: Form,
    participle: bool,
    territorial: bool,
    symmetric: bool,
) -> Roles {
    let (ca, cb) = clause(t, start, end);
    let mut r = Roles::default();
    // actors inside the trigger itself never fill roles
    let outside = |a: &ActorFound| a.tok_end <= start || a.tok_start >= end;

    // a verb form with nothing before it in its clause heads the clause as a noun does
    // ("Fighting resumed on Friday between the army and rebels")
    let nominal = form == Form::Noun
        || !actors
            .iter()
            .any(|a| a.tok_end <= start && a.tok_start >= ca);
    if nominal && let Some(between) = between_after(t, actors, end, cb) {
        if let Some(x) = first_after(t, actors, between + 1, cb, None) {
            let mut xs = coordinated_right(t, actors, x, cb);
            // a headline's comma stands for "and": "Clashes between rebels, army resume"
            if xs.len() == 1
                && let Some(a) = actors.get(x)
                && t.is_punct(a.tok_end, ',')
                && let Some(y) = actors.iter().position(|b| b.tok_start == a.tok_end + 1)
            {
                xs.push(y);
            }
            if let Some((&first, rest)) = xs.split_first() {
                r.sources.push(first);
                r.targets.extend_from_slice(rest);
            }
            r.rules.push("RO41-nominal-between");
            if form != Form::Noun {
                return r;
            }
        }
    }
    if form == Form::Noun {
        // "the capture of Y by X", "clashes between X and Y", "air strike on Y"
        let nx = t.low(end);
        if let Some(y) = first_after(
            t,
            actors,
            end,
            cb,
            Some(&["on", "against", "of", "targeting"]),
        )
        .filter(|&y| actors.get(y).is_some_and(|a| a.tok_start <= end + 8))
        {
            r.targets = coordinated_right(t, actors, y, cb);
            r.rules.push(if nx == "of" {
                "RO40-nominal-of-by"
            } else {
                "RO42-nominal-on"
            });
        }
        let agent = first_after(t, actors, end, cb, Some(&["by", "from"])).filter(|&x| {
            actors
                .get(x)
                .is_none_or(|a| !by_modifies_a_noun(t, a.tok_start))
        });
        let agent = agent.filter(|&x| {
            let own = actors
                .get(x)
                .is_none_or(|a| agent_phrase_is_the_triggers(t, end, a));
            if !own {
                r.rules.push("RO84-agent-of-nearest-noun");
            }
            own
        });
        if let Some(x) = agent {
            r.sources = coordinated_right(t, actors, x, cb);
            r.rules.push("RO40-nominal-of-by");
        }
        if r.sources.is_empty() {
            // possessor / prenominal actor: "IS's offensive", "Houthi drone attack"
            let mut k = start;
            while k > ca && is_noun_modifier(t.low(k - 1)) {
                k -= 1;
            }
            let mut k2 = k;
            if k2 > 0
                && t.toks
                    .get(k2 - 1)
                    .is_some_and(|x| x.kind == Tok::Possessive)
            {
                k2 -= 1;
            }
            if let Some(p) = actors.iter().position(|a| a.tok_end == k2 && k2 > ca) {
                r.sources = coordinated_left(t, actors, p, ca);
                r.rules.push("RO43-nominal-possessor");
            }
        }
        if !r.sources.is_empty()
            || !r.targets.is_empty() && r.rules.contains(&"RO41-nominal-between")
        {
            return r;
        }
        // light-verb use: "X launched an offensive against Y" - fall through to the clause
        // subject, unless the noun sits in an adjunct ("killed in an air strike")
        let mut k = start;
        let mut named = 0;
        let mut described = 0;
        while k > ca
            && (is_noun_modifier(t.low(k - 1))
                || matches!(t.low(k - 1), "its" | "their" | "his" | "her")
                || (named < 2 && t.is_cap(k - 1) && k - 1 > ca)
                || (described < 2 && describes_noun(t, k - 1, ca)))
        {
            // RO87: a demonym or name before the noun ("in an Israeli raid", "in a U.S.
            // airstrike") keeps it in the adjunct
            if t.is_cap(k - 1) && !is_noun_modifier(t.low(k - 1)) {
                named += 1;
            } else if !is_noun_modifier(t.low(k - 1))
                && !matches!(t.low(k - 1), "its" | "their" | "his" | "her")
            {
                described += 1;
            }
            k -= 1;
        }
        let head = if k > 0 { t.low(k - 1) } else { "" };
        if described > 0 && named == 0 && ADJUNCT_PREPS.contains(&head) {
            r.rules.push("RO89-described-adjunct-noun");
        }
        let head_prep = if k > 0 { t.low(k - 1) } else { "" };
        if named > 0 && matches!(head_prep, "in" | "during" | "by" | "amid" | "from") {
            r.rules.push("RO87-named-adjunct-noun");
        }
        if matches!(
            head_prep,
            "in" | "during"
                | "after"
                | "since"
                | "of"
                | "amid"
                | "following"
                | "before"
                | "from"
                | "by"
        ) {
            return r;
        }
    }

    let is_passive = form == Form::Verb && passive(t, start, end, participle);
    r.passive = is_passive;
    if is_passive && !aux_passive(t, start) && t.low(end) != "by" {
        r.rules.push("RO32-reduced-passive");
    }

    // left subject (or passive patient)
    let left: Vec<usize> = actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.tok_end <= start && a.tok_start >= ca && outside(a))
        .filter(|(_, a)| !is_oblique(t, a) && !in_apposition(t, a, start))
        .map(|(i, _)| i)
        .collect();
    let nearest = left.last().copied();
    let left: Vec<usize> = left
        .into_iter()
        .filter(|&i| actors.get(i).is_none_or(|a| !participle_object(t, a, ca)))
        .collect();
    if left.last().copied() != nearest {
        r.rules.push("RO88-participle-object");
    }
    let nearest = left.last().copied();
    let left: Vec<usize> = left
        .into_iter()
        .filter(|&i| {
            actors
                .get(i)
                .is_none_or(|a| !coordinated_verb_object(t, a, ca, start))
        })
        .collect();
    if left.last().copied() != nearest {
        r.rules.push("RO90-coordinated-verb-object");
    }
    let subject = left.last().map(|&i| coordinated_left(t, actors, i, ca));
    let subject = match subject {
        Some(s) => {
            if !is_passive {
                r.rules.push("RO10-active-subject");
            }
            Some(s)
        }
        None => {
            // relative clause: "the militia that fought alongside ..."
            let rel = ca > 0 && matches!(t.low(ca - 1), "that" | "which" | "who");
            let ante = if rel {
                let mut k = ca - 1;
                while k > 0 && t.is_punct(k - 1, ',') {
                    k -= 1;
                }
                let head = actors
                    .iter()
                    .position(|a| a.tok_end == k || a.tok_end + 1 == k);
                // "Hezbollah, the militia that fought ...": the apposition's head
                head.map(|h| {
                    let Some(a) = actors.get(h) else { return h };
                    let det = a.tok_start > 0 && t.low(a.tok_start - 1) == "the";
                    let before = a.tok_start.saturating_sub(1);
                    let comma = if det {
                        before.saturating_sub(1)
                    } else {
                        before
                    };
                    if a.rules.contains(&"AC05-bare-agent") && t.is_punct(comma, ',') {
                        actors.iter().position(|x| x.tok_end == comma).unwrap_or(h)
                    } else {
                        h
                    }
                })
            } else {
                None
            };
            match ante {
                Some(a) => {
                    r.rules.push("RO11-relative-antecedent");
                    Some(vec![a])
                }
                None => {
                    // anaphora: "they", "the campaign" right before the verb (skipping aux)
                    let mut k = start;
                    while k > ca
                        && (BE.contains(&t.low(k - 1))
                            || ADVERBS.contains(&t.low(k - 1))
                            || matches!(t.low(k - 1), "had" | "will" | "would" | "could"))
                    {
                        k -= 1;
                    }
                    let subject_anaphor = (k > ca && ANAPHORS.contains(&t.low(k - 1)))
                        || (ca..start).any(|j| {
                            ANAPHORS.contains(&t.low(j))
                                && (j == ca || !OBLIQUE.contains(&t.low(j - 1)))
                        });
                    if subject_anaphor && !is_passive {
                        r.anaphora = true;
                        r.rules.push("RO12-anaphora");
                    }
                    None
                }
            }
        }
    };

    // right side
    let by_agent = if is_passive {
        first_after(t, actors, end, cb, Some(&["by"]))
    } else {
        None
    };
    let from_actor = if territorial {
        first_after(t, actors, end, cb, Some(&["from"]))
    } else {
        None
    };
    let object = actors.iter().position(|a| {
        a.tok_start >= end
            && a.tok_end <= cb
            && {
                let p1 = if a.tok_start >= 1 {
                    t.low(a.tok_start - 1)
                } else {
                    ""
                };
                a.tok_start == end
                    || !matches!(p1, "by" | "alongside" | "including" | "than" | "like")
            }
            && !in_apposition(t, a, cb)
    });

    if is_passive {
        r.rules.push("RO30-passive");
        match subject {
            Some(s) => r.targets = s,
            None => {
                if let Some(o) = object.filter(|&o| aimed_at(t, actors, o, end)) {
                    r.targets = coordinated_right(t, actors, o, cb);
                    r.rules.push("RO31-passive-aimed-at");
                }
            }
        }
        if let Some(b) = by_agent {
            r.sources = coordinated_right(t, actors, b, cb);
        }
    } else {
        if let Some(s) = subject {
            r.sources = s;
        }
        if let Some(o) = object {
            r.targets = coordinated_right(t, actors, o, cb);
            r.rules.push("RO20-active-object");
        }
    }
    if let Some(f) = from_actor {
        r.from = Some(f);
        if !r.targets.contains(&f) {
            r.targets = coordinated_right(t, actors, f, cb);
        }
        r.rules.push("RO21-from");
    }
    if symmetric && r.targets.is_empty() && r.sources.len() > 1 {
        // "X and Y clashed": keep the first as source, the rest as the other side
        let rest = r.sources.split_off(1);
        r.targets = rest;
        r.rules.push("RO50-symmetric");
    }
    // an actor never fills both roles
    let srcs = r.sources.clone();
    r.targets.retain(|x| !srcs.contains(x));
    r
}

/// `RO88-participle-object`: an actor right after a participle clause's verb (", killing
/// three Palestinians and detaining others", ", wounding two soldiers") is that verb's
/// object, so never the subject of a later verb: the clause's subject stands before the
/// comma. Only an "-ing" form after a comma or "and" is read as such a verb (not "fighting
/// forces", "retreating troops", where it is an adjective).
fn participle_object(t: &Tokens<'_>, a: &ActorFound, floor: usize) -> bool {
    let k = before_count(t, a.tok_start, floor, 2, |_| false);
    if k < 2 || k - 1 < floor {
        return false;
    }
    let verb = t.low(k - 1);
    verb.len() > 5
        && verb.ends_with("ing")
        && !t.is_cap(k - 1)
        && (t.is_punct(k - 2, ',') || t.low(k - 2) == "and")
}

/// The token where a counted noun phrase ending before `start` begins: steps back over at most
/// `max_steps` numbers, articles and count words ("the", "three", "dozens"; `also` adds words
/// such as "at least"), never to or past `floor`. Shared by RO88 and RO90.
fn before_count(
    t: &Tokens<'_>,
    start: usize,
    floor: usize,
    max_steps: usize,
    also: impl Fn(&str) -> bool,
) -> usize {
    let mut k = start;
    let mut steps = 0;
    while k > floor && steps < max_steps {
        let w = t.low(k - 1);
        let count = t.toks.get(k - 1).is_some_and(|x| x.kind == Tok::Number)
            || matches!(
                w,
                "the"
                    | "a"
                    | "an"
                    | "two"
                    | "three"
                    | "four"
                    | "five"
                    | "six"
                    | "seven"
                    | "eight"
                    | "nine"
                    | "ten"
                    | "several"
                    | "dozens"
                    | "scores"
                    | "many"
            )
            || also(w);
        if !count {
            break;
        }
        k -= 1;
        steps += 1;
    }
    k
}

/// The prepositions of circumstance that put a noun trigger in an adjunct of its clause.
const ADJUNCT_PREPS: &[&str] = &[
    "in",
    "during",
    "after",
    "since",
    "of",
    "amid",
    "following",
    "before",
    "from",
    "by",
];

/// `RO89-described-adjunct-noun`: a lower-case describing word between a determiner and a
/// noun trigger ("during a retaliatory attack", "in a coordinated assault", "in a suspected
/// drone strike") is passed over when looking for the preposition that governs the noun, as
/// the determiners and common adjectives are: the noun stays an adjunct, and the clause's
/// subject (often the victims) is not its source. Only a word with a determiner (or another
/// such word) right before it is passed over, so a verb ("rebels launched a deadly attack")
/// never is.
fn describes_noun(t: &Tokens<'_>, k: usize, floor: usize) -> bool {
    if k <= floor || t.is_cap(k) || t.toks.get(k).is_none_or(|x| x.kind != Tok::Word) {
        return false;
    }
    let w = t.low(k);
    if FUNCTION_LIKE.contains(&w) {
        return false;
    }
    // the word before it opens the noun phrase: a determiner, or a second describing word
    // that itself follows one ("a suspected US-led drone strike" is read word by word)
    let before = t.low(k - 1);
    matches!(before, "a" | "an" | "the" | "its" | "their" | "his" | "her")
        || (k >= 2
            && !t.is_cap(k - 1)
            && !FUNCTION_LIKE.contains(&before)
            && matches!(t.low(k - 2), "a" | "an" | "the"))
}

/// Words that never describe a noun (`RO89`): auxiliaries, prepositions, conjunctions.
const FUNCTION_LIKE: &[&str] = &[
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "has",
    "have",
    "had",
    "and",
    "or",
    "but",
    "in",
    "on",
    "at",
    "of",
    "by",
    "for",
    "with",
    "to",
    "from",
    "during",
    "after",
    "amid",
    "since",
    "before",
    "following",
    "that",
    "which",
    "who",
];

/// Past forms that describe a noun rather than act on it (`RO90`): "armed men", "suspected
/// militants".
const ADJECTIVAL_PAST: &[&str] = &[
    "armed",
    "suspected",
    "alleged",
    "unidentified",
    "masked",
    "uniformed",
    "trained",
    "allied",
    "backed",
    "displaced",
    "wounded",
    "injured",
    "retired",
    "armoured",
    "armored",
    "united",
    "hooded",
    "disguised",
    "detained",
    "jailed",
    "banned",
    "outlawed",
    "elected",
    "based",
];

/// `RO90-coordinated-verb-object`: in "X killed 12 soldiers and captured a base", the actor
/// right after the first verb ("12 soldiers") is its object; the verb after "and" shares the
/// first verb's subject, never takes that object as its own. An actor is read as such an
/// object when a past-tense verb (a lower-case "-ed" word that is not adjectival, or an
/// always-transitive participle) stands before it, over a determiner or a number, with
/// something before the verb in the clause, and "and" (with up to one adverb) right after it
/// leads to the trigger.
fn coordinated_verb_object(t: &Tokens<'_>, a: &ActorFound, floor: usize, trigger: usize) -> bool {
    // "and" right after the actor, then the trigger (over one adverb)
    if t.low(a.tok_end) != "and" || !(a.tok_end + 1..=a.tok_end + 2).contains(&trigger) {
        return false;
    }
    let k = before_count(t, a.tok_start, floor, 3, |w| {
        matches!(
            w,
            "about" | "some" | "least" | "at" | "more" | "than" | "over" | "around"
        )
    });
    if k < 2 || k - 1 <= floor {
        return false;
    }
    let verb = t.low(k - 1);
    let past = (verb.len() > 4 && verb.ends_with("ed")) || TRANSITIVE_PARTICIPLES.contains(&verb);
    past && !t.is_cap(k - 1) && !ADJECTIVAL_PAST.contains(&verb) && !BE.contains(&t.low(k - 2))
}

/// Determiners and adjectives that may stand between an event noun and what governs it
/// ("a fresh offensive", "the deadly air strike").
fn is_noun_modifier(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "the"
            | "new"
            | "heavy"
            | "deadly"
            | "fierce"
            | "major"
            | "latest"
            | "renewed"
            | "fresh"
            | "overnight"
            | "joint"
    )
}

/// `RO31-passive-aimed-at`: in a passive clause whose subject is no actor ("shots were fired
/// at a police officer", "rockets were launched against the base"), the actor the act was
/// aimed at, right after "at", "on", "upon" or "against", is the target.
fn aimed_at(t: &Tokens<'_>, actors: &[ActorFound], o: usize, end: usize) -> bool {
    let prep = |i: usize| matches!(t.low(i), "at" | "on" | "upon" | "against");
    // the preposition ends the trigger ("fired at") or follows it ("opened fire on")
    let after = if end >= 1 && prep(end - 1) {
        Some(end)
    } else if prep(end) {
        Some(end + 1)
    } else {
        None
    };
    // a determiner and up to two modifiers may stand between: "at an off-duty officer"
    actors
        .get(o)
        .is_some_and(|a| after.is_some_and(|p| a.tok_start >= p && a.tok_start <= p + 3))
}
