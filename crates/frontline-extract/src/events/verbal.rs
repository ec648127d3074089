//! Verbal event types from the verb's frame (`VT` rules). The trigger word alone does not say
//! which act a sentence tells: "halted aid" stops aid (SANCTION), it gives none; "lodged a
//! protest with the embassy" is a complaint (ACCUSE), not a street demonstration; "withdrew
//! from the treaty" rejects it (REJECT), it moves no troops; a demand "calling for" reforms,
//! told of a demonstration, is the demonstration's aim, not a second act; "X must do Y" in
//! reported words is the speaker's demand on X (REQUEST), and Y has not happened.
//!
//! The functions here are called from the classify stage (`reframe`, `mode_of`), from the
//! coder after the roles (`demand_roles`) and after modality (`obliged_act`), and from the
//! coder after the screen (`screen`).

use frontline_model::{Modality, PloverType};

use crate::lex::Tokens;
use crate::modality::ModalityFound;

use super::AttributionHit;
use super::lexicon::{Form, TriggerHit, TriggerRule};
use super::participants::Filled;

/// A new type for a trigger, from its frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Reframed {
    /// The PLOVER type.
    pub ptype: PloverType,
    /// The PLOVER mode.
    pub mode: Option<&'static str>,
    /// The CAMEO root code.
    pub cameo: &'static str,
    /// The rule id.
    pub rule: &'static str,
}

/// Verbs that stop, cut or call off a relation: what they govern is taken away.
const STOP_VERBS: &[&str] = &[
    "halted",
    "halt",
    "halts",
    "halting",
    "suspended",
    "suspend",
    "suspends",
    "suspending",
    "stopped",
    "stop",
    "stops",
    "ended",
    "end",
    "ends",
    "ending",
    "cut",
    "cuts",
    "cutting",
    "froze",
    "freeze",
    "freezes",
    "frozen",
    "cancelled",
    "canceled",
    "cancel",
    "cancels",
    "withheld",
    "withhold",
    "withholds",
    "reduced",
    "reduce",
    "reduces",
    "slashed",
    "prohibited",
    "prohibit",
    "prohibits",
    "terminated",
    "scrapped",
    "postponed",
    "broke",
    "break",
    "called",
    "call",
];

/// Agreements and talks: what one withdraws from or quits when one rejects it.
const AGREEMENT_NOUNS: &[&str] = &[
    "treaty",
    "deal",
    "accord",
    "agreement",
    "pact",
    "talks",
    "negotiations",
    "convention",
    "protocol",
    "ceasefire",
    "truce",
    "coalition",
    "process",
];

/// Verbs that deliver a complaint: "lodged a protest", "filed a formal protest".
const COMPLAINT_VERBS: &[&str] = &[
    "lodged",
    "lodge",
    "lodges",
    "lodging",
    "filed",
    "file",
    "files",
    "registered",
    "register",
    "delivered",
    "issued",
    "voiced",
    "expressed",
    "conveyed",
    "sent",
    "made",
];

/// Words that may stand between a governing verb and its noun: determiners and the usual
/// modifiers of aid, talks and complaints.
fn modifier(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "all"
            | "its"
            | "their"
            | "his"
            | "her"
            | "some"
            | "further"
            | "planned"
            | "official"
            | "formal"
            | "strong"
            | "strongly-worded"
            | "diplomatic"
            | "economic"
            | "military"
            | "humanitarian"
            | "food"
            | "financial"
            | "foreign"
            | "development"
            | "peace"
            | "direct"
            | "bilateral"
            | "scheduled"
            | "naval"
            | "air"
            | "nightly"
            | "off"
    )
}

/// The verb governing the noun at `start`: the word before it, over at most three
/// modifiers.
fn governing_verb<'a>(t: &Tokens<'a>, start: usize) -> Option<(usize, &'a str)> {
    let mut k = start;
    for _ in 0..4 {
        if k == 0 {
            return None;
        }
        k -= 1;
        let w = t.low(k);
        if !modifier(w) {
            return Some((k, w));
        }
    }
    None
}

/// `VT10-stopped-cooperation`: aid, talks, a visit or cooperation that a verb of stopping
/// governs ("halted economic aid", "cancelled a planned visit", "suspended talks", "aid was
/// frozen") is taken away: SANCTION (PLOVER "reduce or stop aid", "halt negotiations").
fn stopped_cooperation(t: &Tokens<'_>, ptype: PloverType, h: &TriggerHit) -> Option<Reframed> {
    if !matches!(
        ptype,
        PloverType::Aid | PloverType::Consult | PloverType::Cooperate
    ) {
        return None;
    }
    let before = governing_verb(t, h.start).is_some_and(|(k, w)| {
        STOP_VERBS.contains(&w)
            // "broke off talks", "called off a visit", "cut off aid"
            && (!matches!(w, "broke" | "break" | "called" | "call") || t.low(k + 1) == "off")
    });
    // "aid was suspended", "talks have been called off"
    let mut k = h.end;
    if matches!(t.low(k), "was" | "were" | "is" | "are") {
        k += 1;
    } else if matches!(t.low(k), "has" | "have" | "had") && t.low(k + 1) == "been" {
        k += 2;
    }
    let after = k > h.end
        && STOP_VERBS.contains(&t.low(k))
        && t.low(k).ends_with("ed")
        && !matches!(t.low(k), "called");
    if !(before || after) {
        return None;
    }
    let mode = if ptype == PloverType::Aid {
        "discontinue"
    } else {
        "withdraw"
    };
    Some(Reframed {
        ptype: PloverType::Sanction,
        mode: Some(mode),
        cameo: "16",
        rule: "VT10-stopped-cooperation",
    })
}

/// Whether the noun phrase starting at `k` ("the Anti-Ballistic Missile Treaty", "a nuclear
/// arms control treaty") names an agreement or talks: an agreement noun among its first six
/// words, before any preposition or punctuation ends the phrase ("the town under the deal"
/// names a town).
fn object_head_is_agreement(t: &Tokens<'_>, k: usize) -> bool {
    for j in k..(k + 6).min(t.len()) {
        let w = t.low(j);
        if AGREEMENT_NOUNS.contains(&w) {
            return true;
        }
        if matches!(
            w,
            "in" | "on"
                | "at"
                | "under"
                | "after"
                | "with"
                | "to"
                | "near"
                | "for"
                | "by"
                | "as"
                | "following"
                | "into"
                | "and"
                | "or"
                | "that"
                | "which"
        ) || t
            .toks
            .get(j)
            .is_some_and(|x| x.kind == crate::lex::Tok::Punct)
        {
            return false;
        }
    }
    false
}

/// `VT11-withdrew-from-agreement`: a withdrawal whose object is an agreement or talks
/// ("withdrew from the treaty", "pulled out of the talks"), and the agreement noun such a
/// verb governs, reject it: REJECT, not a retreat or an agreement.
fn withdrew_from_agreement(
    t: &Tokens<'_>,
    rule: &TriggerRule,
    ptype: PloverType,
    h: &TriggerHit,
) -> Option<Reframed> {
    let hit = match ptype {
        PloverType::Retreat if rule.rule.starts_with("EV080") => {
            let mut k = h.end;
            if matches!(t.low(k), "from" | "of") {
                k += 1;
            } else if !t.low(h.end - 1).ends_with("out") || t.low(k) != "of" {
                return None;
            }
            object_head_is_agreement(t, k)
        }
        PloverType::Agree | PloverType::Consult if h.form == Form::Noun => {
            let mut k = h.start;
            while k > 0 && modifier(t.low(k - 1)) {
                k -= 1;
            }
            k >= 2
                && matches!(t.low(k - 1), "from" | "of")
                && matches!(
                    t.low(k - 2),
                    "withdrew"
                        | "withdraw"
                        | "withdraws"
                        | "withdrawing"
                        | "withdrawn"
                        | "out"
                        | "exit"
                        | "exited"
                )
        }
        _ => false,
    };
    hit.then_some(Reframed {
        ptype: PloverType::Reject,
        mode: None,
        cameo: "12",
        rule: "VT11-withdrew-from-agreement",
    })
}

/// `VT12-complaint`: a protest that a verb of delivering governs ("lodged an official protest
/// with", "filed a formal protest") is an official complaint: ACCUSE (PLOVER "complain
/// officially"), not a demonstration.
fn complaint(t: &Tokens<'_>, rule: &TriggerRule, h: &TriggerHit) -> Option<Reframed> {
    if !rule.rule.starts_with("EV130") || !matches!(t.low(h.start), "protest" | "protests") {
        return None;
    }
    governing_verb(t, h.start)
        .is_some_and(|(_, w)| COMPLAINT_VERBS.contains(&w))
        .then_some(Reframed {
            ptype: PloverType::Accuse,
            mode: Some("allege"),
            cameo: "11",
            rule: "VT12-complaint",
        })
}

/// `VT20-intent-to-harm`: an intention of force ("ready to attack", "prepared to use force",
/// "offered to invade") is a threat, not an offer: THREATEN / violence.
fn intent_to_harm(t: &Tokens<'_>, rule: &TriggerRule, h: &TriggerHit) -> Option<Reframed> {
    if !rule.rule.starts_with("EV031") {
        return None;
    }
    if t.low(h.end - 1) != "to" {
        return None;
    }
    // over an opening quote: ready to "retaliate"
    let mut k = h.end;
    while t
        .toks
        .get(k)
        .is_some_and(|x| x.kind == crate::lex::Tok::Punct)
    {
        k += 1;
    }
    let next = t.low(k);
    let harm = matches!(
        next,
        "attack"
            | "strike"
            | "invade"
            | "bomb"
            | "retaliate"
            | "fight"
            | "kill"
            | "destroy"
            | "crush"
            | "shoot"
            | "wage"
    ) || (next == "use" && matches!(t.low(k + 1), "force" | "military" | "weapons"));
    harm.then_some(Reframed {
        ptype: PloverType::Threaten,
        mode: Some("violence"),
        cameo: "13",
        rule: "VT20-intent-to-harm",
    })
}

/// `VT13-lifted-blockade`: a blockade or closure that is lifted, eased or ended ("the army
/// lifted a day-old blockade on the crossing", "eased the closure of the port"), and the verb
/// that lifts it, tell an easing of coercion by whoever imposed it: RETREAT / `withdraw`
/// (PLOVER "ease military blockade"), not a blockade imposed. A siege is not read: relieving
/// forces "lift" a siege by fighting.
fn lifted_blockade(t: &Tokens<'_>, ptype: PloverType, h: &TriggerHit) -> Option<Reframed> {
    const LIFT: &[&str] = &[
        "lifted", "lift", "lifts", "lifting", "eased", "ease", "eases", "easing", "ended", "end",
        "ends", "relaxed",
    ];
    let hit = match ptype {
        PloverType::Concede => {
            LIFT.contains(&t.low(h.start))
                && (h.end..(h.end + 5).min(t.len())).any(|j| {
                    // a siege is "lifted" by the forces that break it, too: not read
                    matches!(t.low(j), "blockade" | "blockades" | "closure")
                })
        }
        PloverType::Coerce
            if h.form == Form::Noun && matches!(t.low(h.start), "blockade" | "blockades") =>
        {
            let mut k = h.start;
            let mut n = 0;
            while k > 0 && n < 4 && !LIFT.contains(&t.low(k - 1)) {
                let w = t.low(k - 1);
                if !(modifier(w) || w.contains('-') || w == "naval" || w == "military") {
                    break;
                }
                k -= 1;
                n += 1;
            }
            k > 0 && LIFT.contains(&t.low(k - 1))
        }
        _ => false,
    };
    hit.then_some(Reframed {
        ptype: PloverType::Retreat,
        mode: Some("withdraw"),
        cameo: "08",
        rule: "VT13-lifted-blockade",
    })
}

/// Goods that are handed over as aid: "handed over 700 kg of medicine", "handed over food
/// supplies".
const GOODS: &[&str] = &[
    "medicine",
    "medicines",
    "medical",
    "food",
    "aid",
    "supplies",
    "equipment",
    "tents",
    "blankets",
    "vaccines",
    "fuel",
    "flour",
    "wheat",
    "grain",
    "rice",
    "kits",
    "drugs",
    "masks",
    "cargo",
    "donation",
    "materials",
];

/// `VT14-handed-goods`: a handover whose object is goods ("handed over 700 kg of medicine to
/// the Red Crescent", "handed over food supplies") is a delivery: AID, not a retreat (a town,
/// control or prisoners handed over stay RETREAT).
fn handed_goods(t: &Tokens<'_>, rule: &TriggerRule, h: &TriggerHit) -> Option<Reframed> {
    if !rule.rule.starts_with("EV080") || !t.low(h.start).starts_with("hand") {
        return None;
    }
    // the object after the verb, or the subject of a passive ("the aid was handed over")
    let after = (h.end..(h.end + 10).min(t.len()))
        .take_while(|&j| !matches!(t.low(j), "to" | "," | "." | ";"))
        .any(|j| GOODS.contains(&t.low(j)));
    let be = |k: usize| matches!(t.low(k), "was" | "were" | "been" | "are" | "is");
    // over one adverb: "were officially handed over"
    let passive = (h.start >= 1 && be(h.start - 1))
        || (h.start >= 2 && t.low(h.start - 1).ends_with("ly") && be(h.start - 2));
    let before = passive
        && (h.start.saturating_sub(12)..h.start)
            .rev()
            .take_while(|&j| !matches!(t.low(j), "," | "." | ";"))
            .any(|j| GOODS.contains(&t.low(j)));
    (after || before).then_some(Reframed {
        ptype: PloverType::Aid,
        mode: Some("humanitarian"),
        cameo: "07",
        rule: "VT14-handed-goods",
    })
}

/// `VT15-eased-restriction`: a curfew, a ban or a state of emergency that a verb of easing
/// governs ("lifted the curfew", "shortened by one hour the nightly curfew", "eased the
/// restrictions") is a concession: CONCEDE / `ease`, not the restriction imposed.
fn eased_restriction(t: &Tokens<'_>, ptype: PloverType, h: &TriggerHit) -> Option<Reframed> {
    const EASE: &[&str] = &[
        "lifted",
        "lift",
        "lifts",
        "lifting",
        "eased",
        "ease",
        "eases",
        "easing",
        "relaxed",
        "relax",
        "shortened",
        "shortens",
        "ended",
        "end",
        "ends",
        "scrapped",
        "rescinded",
    ];
    if ptype != PloverType::Coerce
        || h.form != Form::Noun
        || !matches!(
            t.low(h.start),
            "curfew" | "curfews" | "ban" | "restrictions"
        )
    {
        return None;
    }
    // the verb over modifiers, or over a measure put before the object ("shortened by one
    // hour the curfew")
    let mut k = h.start;
    let mut n = 0;
    while k > 0 && n < 6 && !EASE.contains(&t.low(k - 1)) {
        if matches!(t.low(k - 1), "," | ";" | "." | "and" | "imposed" | "on") {
            return None;
        }
        k -= 1;
        n += 1;
    }
    (k > 0 && EASE.contains(&t.low(k - 1))).then_some(Reframed {
        ptype: PloverType::Concede,
        mode: Some("ease"),
        cameo: "08",
        rule: "VT15-eased-restriction",
    })
}

/// Whether the act at `h` is one its own party says it will do: "the rebels said they will
/// release", "NATO confirmed it would tighten the blockade", "Greece plans to impose", with
/// no negation between. Returns false for a noun whose governing verb is not so announced.
fn announced_future(t: &Tokens<'_>, h: &TriggerHit) -> bool {
    // the verb: the trigger, or the verb governing a noun trigger
    let verb = if h.form == Form::Noun {
        match governing_verb(t, h.start) {
            Some((k, _)) => k,
            None => return false,
        }
    } else {
        h.start
    };
    let mut k = verb;
    while k > 0
        && matches!(
            t.low(k - 1),
            "also" | "soon" | "now" | "immediately" | "then"
        )
    {
        k -= 1;
    }
    if k < 2 {
        return false;
    }
    let (aux, subj) = (t.low(k - 1), t.low(k - 2));
    // "did not mean that Ankara would ...": a negated frame states no intent
    if (k.saturating_sub(10)..k).any(|j| matches!(t.low(j), "not" | "never" | "n't" | "no")) {
        return false;
    }
    let pronoun = matches!(subj, "it" | "they" | "he" | "she" | "we");
    let future = matches!(aux, "will" | "would" | "'ll")
        && (pronoun || t.is_cap(k - 2))
        && (0..t.len()).any(|j| SAYING.contains(&t.low(j)) || t.low(j) == "confirmed");
    let plan = aux == "to" && matches!(subj, "plans" | "intends" | "planned" | "intended");
    future || plan
}

/// `VT21-stated-intent`: an act its own party says it will do is, in PLOVER, the statement of
/// intent: a coercive act (an attack, a blockade, a ban, a sanction, withdrawing inspectors)
/// is a THREATEN, a conciliatory one (a release, a meeting, aid, a concession) an AGREE.
/// Movements, protests and talk keep their type.
fn stated_intent(t: &Tokens<'_>, ptype: PloverType, h: &TriggerHit) -> Option<Reframed> {
    let retreat_of_mission = ptype == PloverType::Retreat
        && (h.end..(h.end + 4).min(t.len())).any(|j| {
            matches!(
                t.low(j),
                "inspectors"
                    | "observers"
                    | "monitors"
                    | "workers"
                    | "staff"
                    | "diplomats"
                    | "ambassador"
                    | "peacekeepers"
            )
        });
    let (ptype, mode, cameo) = match ptype {
        PloverType::Assault => (PloverType::Threaten, Some("violence"), "13"),
        PloverType::Coerce => (PloverType::Threaten, Some("restrict"), "13"),
        PloverType::Sanction => (PloverType::Threaten, Some("relations"), "13"),
        PloverType::Retreat if retreat_of_mission => {
            (PloverType::Threaten, Some("relations"), "13")
        }
        // "said it would withdraw from the body" leaves it, "would abandon its support"
        // drops it: not a promise; releases, handovers and troop withdrawals are
        PloverType::Retreat
            if matches!(t.low(h.end), "from" | "of")
                || !["release", "free", "withdraw", "pull", "hand", "cede"]
                    .iter()
                    .any(|p| t.low(h.start).starts_with(p)) =>
        {
            return None;
        }
        PloverType::Retreat
        | PloverType::Consult
        | PloverType::Support
        | PloverType::Aid
        | PloverType::Cooperate
        | PloverType::Concede => (PloverType::Agree, None, "03"),
        _ => return None,
    };
    announced_future(t, h).then_some(Reframed {
        ptype,
        mode,
        cameo,
        rule: "VT21-stated-intent",
    })
}

/// The frame rules of the classify stage, first that fires: `VT10`, `VT11`, `VT12`, `VT13`,
/// `VT14`, `VT15`, `VT20`, `VT21`.
pub(super) fn reframe(
    t: &Tokens<'_>,
    rule: &TriggerRule,
    ptype: PloverType,
    h: &TriggerHit,
) -> Option<Reframed> {
    stopped_cooperation(t, ptype, h)
        .or_else(|| withdrew_from_agreement(t, rule, ptype, h))
        .or_else(|| complaint(t, rule, h))
        .or_else(|| lifted_blockade(t, ptype, h))
        .or_else(|| handed_goods(t, rule, h))
        .or_else(|| eased_restriction(t, ptype, h))
        .or_else(|| intent_to_harm(t, rule, h))
        .or_else(|| stated_intent(t, ptype, h))
}

/// `VT21-stated-intent` on the modality: the statement of intent was made, whatever the
/// "will" says of the act: asserted.
pub(super) fn stated_intent_made(rules: &[String], m: ModalityFound) -> ModalityFound {
    if m.modality == Modality::Hypothetical && rules.iter().any(|r| r.starts_with("VT21")) {
        ModalityFound {
            modality: Modality::Asserted,
            cue: None,
            rule: None,
        }
    } else {
        m
    }
}

/// `VT40-consult-mode`: the PLOVER mode of a consultation from its verb: a visit ("visited",
/// "a visit to") is `visit`, hosting ("hosted", "received") is `host`, a call ("phoned",
/// "spoke by phone") is `phone`; other meetings keep the rule's mode.
pub(super) fn consult_mode(
    t: &Tokens<'_>,
    ptype: PloverType,
    h: &TriggerHit,
) -> Option<&'static str> {
    if ptype != PloverType::Consult {
        return None;
    }
    let words: Vec<&str> = (h.start..h.end).map(|k| t.low(k)).collect();
    let first = words.first().copied().unwrap_or("");
    if matches!(first, "visited" | "visit" | "visits" | "visiting") {
        Some("visit")
    } else if matches!(first, "hosted" | "hosts" | "host" | "hosting")
        // "received the Iranian envoy", not "received orders"
        || (first == "received"
            && (t.is_cap(h.end) || (t.low(h.end) == "the" && t.is_cap(h.end + 1))))
    {
        Some("host")
    } else if first == "phoned" || words.contains(&"phone") {
        Some("phone")
    } else {
        None
    }
}

/// `VT41-threat-mode`: the PLOVER mode of a threat from what is threatened, read in the
/// words after the trigger: force ("threatened to attack", "threats of military action") is
/// `violence`; sanctions, a blockade or a boycott are `restrict`; cutting ties or halting
/// talks is `relations`.
pub(super) fn threat_mode(
    t: &Tokens<'_>,
    ptype: PloverType,
    h: &TriggerHit,
) -> Option<&'static str> {
    if ptype != PloverType::Threaten {
        return None;
    }
    let end = (h.end + 6).min(t.len());
    for k in h.end..end {
        let w = t.low(k);
        if matches!(w, "," | ";" | "." | "if" | "unless" | "after" | "because") {
            break;
        }
        let next = t.low(k + 1);
        if matches!(
            w,
            "attack"
                | "attacks"
                | "strike"
                | "invade"
                | "bomb"
                | "retaliate"
                | "retaliation"
                | "force"
                | "war"
                | "kill"
                | "destroy"
                | "annihilate"
                | "violence"
                | "strikes"
                | "invasion"
                | "shell"
                | "terrorist"
                | "terror"
                | "missiles"
                | "rockets"
                | "nuclear"
        ) || (w == "military" && matches!(next, "action" | "force" | "strikes"))
        {
            return Some("violence");
        }
        if matches!(
            w,
            "sanctions" | "sanction" | "blockade" | "boycott" | "embargo" | "tariffs" | "curfew"
        ) {
            return Some("restrict");
        }
        if matches!(
            w,
            "ties" | "relations" | "talks" | "negotiations" | "ambassador"
        ) {
            return Some("relations");
        }
    }
    None
}

/// Verbs that report words or a conclusion: "said that X must", "declared X must".
const SAYING: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "declared",
    "declares",
    "reiterated",
    "reiterates",
    "repeated",
    "announced",
    "announces",
    "insisted",
    "insists",
    "stressed",
    "stresses",
    "concluded",
    "told",
    "tells",
    "added",
    "stated",
    "argued",
    "maintained",
    "warned",
    "warns",
    "reminded",
    "reminder",
    "noted",
    "wrote",
    "demanded",
];

/// Whether the "must" at `k` is a demand the sentence reports: a verb of saying in the
/// sentence ("said X must", "X must ..., he said"), a subject that is not the speaker himself ("we must", "I must"), and a verb
/// after it that is not the epistemic "must have" ("must have known").
fn reported_obligation(t: &Tokens<'_>, k: usize) -> bool {
    if t.low(k) != "must" || k == 0 {
        return false;
    }
    let mut v = k + 1;
    while matches!(
        t.low(v),
        "not" | "now" | "also" | "immediately" | "fully" | "first"
    ) {
        v += 1;
    }
    let verb = t.low(v);
    if verb.is_empty() || verb == "have" || !verb.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if matches!(t.low(k - 1), "we" | "i" | "one") {
        return false;
    }
    (0..t.len()).any(|j| j != k && SAYING.contains(&t.low(j)))
}

/// `VT30-reported-must`: "the minister said Libya must hand over the suspects": the speaker
/// demands the act of the one who must do it. The source is the speaker (when the speaker is
/// an actor), the target the one obliged (whom the roles stage found as the subject).
pub(super) fn demand_roles(
    rule: &TriggerRule,
    roles: &mut Filled,
    reporting: &[&AttributionHit],
    rules: &mut Vec<String>,
) {
    if !rule.rule.starts_with("EV091") {
        return;
    }
    let obliged = std::mem::take(&mut roles.sources);
    roles.sources = reporting
        .iter()
        .filter_map(|a| {
            a.found
                .actor
                .clone()
                .map(|actor| frontline_model::EventActor {
                    actor,
                    span: a.found.span,
                    mention: a.mention,
                })
        })
        .take(1)
        .collect();
    if roles.targets.is_empty() || !obliged.is_empty() {
        roles.targets = obliged;
    }
    rules.push("VT30-reported-must".into());
}

/// `VT31-obliged-act`: an act right after "must" (over "not" and adverbs) is what someone is
/// told to do, not what was done: "Sudan must return the helicopter", "the rebels must
/// withdraw". Hypothetical.
pub(super) fn obliged_act(t: &Tokens<'_>, h: &TriggerHit, m: ModalityFound) -> ModalityFound {
    if m.modality != Modality::Asserted || h.start == 0 {
        return m;
    }
    let mut k = h.start - 1;
    while k > 0
        && matches!(
            t.low(k),
            "not" | "now" | "also" | "immediately" | "fully" | "first" | "be" | "to"
        )
    {
        k -= 1;
    }
    // "must reach an agreement", "must agree to"
    let governed = t.low(k) == "must"
        || (k >= 2
            && t.low(k - 2) == "must"
            && matches!(
                t.low(k - 1),
                "reach" | "sign" | "conclude" | "accept" | "seek"
            )
            && matches!(t.low(k), "a" | "an" | "the"))
        || (k >= 1 && t.low(k - 1) == "must" && matches!(t.low(k), "reach" | "sign" | "seek"));
    if !governed {
        return m;
    }
    ModalityFound {
        modality: Modality::Hypothetical,
        cue: Some(t.span(h.start.saturating_sub(1), h.start)),
        rule: Some("VT31-obliged-act"),
    }
}

/// Verbs of refusing, opposing or asking for: what they govern is refused or asked for.
const REFUSE_OR_ASK: &[&str] = &[
    "rejected",
    "reject",
    "rejects",
    "rejecting",
    "opposed",
    "oppose",
    "opposes",
    "opposing",
    "refused",
    "refuse",
    "refuses",
    "vetoed",
    "blocked",
    "resisted",
    "demanded",
    "demand",
    "demands",
    "demanding",
    "urged",
    "sought",
    "seeking",
    "requested",
    "proposed",
];

/// `VT36-demanded-that`: an act in a clause that a verb of demanding or urging opens with
/// "that" ("demanding that the president abandon his policy", "insisted that the troops
/// withdraw") is what is asked for: hypothetical.
pub(super) fn demanded_that(t: &Tokens<'_>, h: &TriggerHit, m: ModalityFound) -> ModalityFound {
    if m.modality != Modality::Asserted {
        return m;
    }
    let floor = h.start.saturating_sub(8);
    for j in (floor..h.start).rev() {
        let w = t.low(j);
        if matches!(w, "," | ";" | ".") {
            return m;
        }
        if w == "that"
            && j > 0
            && matches!(
                t.low(j - 1),
                "demanding"
                    | "demanded"
                    | "demand"
                    | "demands"
                    | "urged"
                    | "urging"
                    | "insisted"
                    | "insisting"
                    | "proposed"
                    | "requested"
                    | "asked"
            )
        {
            return ModalityFound {
                modality: Modality::Hypothetical,
                cue: Some(t.span(j - 1, j)),
                rule: Some("VT36-demanded-that"),
            };
        }
    }
    m
}

/// `VT33-refused-or-asked`: an act named by a noun that a verb of refusing, opposing or
/// asking governs ("opposed the deployment of a regional force", "rejected the withdrawal of
/// peacekeepers", "sought the release of") has not happened: hypothetical. Applies after
/// the clause's own modality.
pub(super) fn refused_or_asked(t: &Tokens<'_>, h: &TriggerHit, m: ModalityFound) -> ModalityFound {
    if m.modality != Modality::Asserted || h.form != Form::Noun {
        return m;
    }
    let Some((k, w)) = governing_verb(t, h.start) else {
        return m;
    };
    // "opposed to the deployment", "calls for the withdrawal"
    let prep = matches!(w, "to" | "for") && k > 0;
    let (k, w) = if prep { (k - 1, t.low(k - 1)) } else { (k, w) };
    // "called for the withdrawal" asks for it; "called the protests" organised them
    let call_for = prep && matches!(w, "calls" | "called" | "calling" | "call");
    if !REFUSE_OR_ASK.contains(&w) && !call_for {
        return m;
    }
    ModalityFound {
        modality: Modality::Hypothetical,
        cue: Some(t.span(k, k + 1)),
        rule: Some("VT33-refused-or-asked"),
    }
}

/// Words that tell a demonstration, strike or riot.
fn protest_word(w: &str) -> bool {
    matches!(
        w,
        "protest"
            | "protests"
            | "protested"
            | "protesting"
            | "protesters"
            | "protestors"
            | "demonstration"
            | "demonstrations"
            | "demonstrators"
            | "demonstrated"
            | "rally"
            | "rallies"
            | "rallied"
            | "march"
            | "marched"
            | "marchers"
            | "sit-in"
            | "strike"
            | "strikers"
            | "rioted"
            | "rioters"
            | "riot"
            | "picketed"
    )
}

/// `VT32-protest-aim`: a demand told as the aim or the slogan of a demonstration, a strike or
/// a riot ("marched to demand reforms", "a rally calling for his resignation", "protesters
/// demanding the release of") is what the protest is for, not an act of its own: the
/// sentence's act is the protest.
fn protest_aim(t: &Tokens<'_>, rule: &TriggerRule, h: &TriggerHit) -> Option<&'static str> {
    // the demand itself ("to demand", "calling for"), or the act it demands ("to demand the
    // release of hostages")
    let demand = if rule.rule.starts_with("EV090") {
        Some(h.start)
    } else if h.form == Form::Noun {
        governing_verb(t, h.start).and_then(|(k, w)| match w {
            "demand" | "demanding" | "demands" => Some(k),
            "for" if k > 0 && matches!(t.low(k - 1), "calling" | "call") => Some(k - 1),
            _ => None,
        })
    } else {
        None
    };
    let d = demand.filter(|&d| d > 0)?;
    let aim = t.low(d - 1) == "to" || t.low(d).ends_with("ing");
    (aim && (0..d).any(|k| protest_word(t.low(k))))
        .then_some("VT32-protest-aim: the demand is what the protest is for")
}

/// Things handed over that carry words: "a letter handed over to the UN", "handed over a
/// petition".
const DOCUMENTS: &[&str] = &[
    "letter",
    "letters",
    "note",
    "petition",
    "petitions",
    "message",
    "memorandum",
    "report",
    "list",
    "documents",
    "document",
    "dossier",
    "proposal",
    "invitation",
];

/// `VT37-handed-document`: a letter, a note or a petition handed over ("in a letter handed
/// over to the United Nations", "handed over a petition to the governor") delivers words,
/// not territory or prisoners: no retreat.
fn handed_document(t: &Tokens<'_>, rule: &TriggerRule, h: &TriggerHit) -> bool {
    if !rule.rule.starts_with("EV080") || !t.low(h.start).starts_with("hand") {
        return false;
    }
    let before = (h.start.saturating_sub(2)..h.start).any(|j| DOCUMENTS.contains(&t.low(j)));
    let after = (h.end..(h.end + 5).min(t.len()))
        .take_while(|&j| !matches!(t.low(j), "to" | "," | "." | ";"))
        .any(|j| DOCUMENTS.contains(&t.low(j)));
    before || after
}

/// `VT35-concluded-that`: "the forum concluded on Saturday that ..." reports a finding, a
/// verb of saying: no agreement was concluded.
fn concluded_that(t: &Tokens<'_>, rule: &TriggerRule, h: &TriggerHit) -> bool {
    rule.rule.starts_with("EV030")
        && matches!(t.low(h.start), "concluded" | "concludes")
        && (h.end..(h.end + 5).min(t.len()))
            .take_while(|&j| !matches!(t.low(j), "agreement" | "deal" | "accord" | "treaty"))
            .any(|j| t.low(j) == "that")
}

/// `VT34-declined-comment`: "declined to comment", "declined to be named", "declined to give
/// details" is how a report says a source did not speak, not a rejection of anything.
fn declined_comment(t: &Tokens<'_>, rule: &TriggerRule, h: &TriggerHit) -> bool {
    rule.rule.starts_with("EV110")
        && matches!(t.low(h.start), "declined" | "declines")
        && matches!(
            t.low(h.end),
            "comment"
                | "say"
                | "elaborate"
                | "be"
                | "give"
                | "discuss"
                | "disclose"
                | "confirm"
                | "name"
                | "identify"
                | "specify"
                | "provide"
                | "answer"
                | "respond"
                | "speak"
                | "reveal"
                | "detail"
        )
}

/// The frame screens, run after the screen stage: `VT32-protest-aim`, `VT30`'s "must"
/// that reports no demand, `VT34-declined-comment`. Returns the near-miss reason.
pub(super) fn screen(t: &Tokens<'_>, rule: &TriggerRule, h: &TriggerHit) -> Option<&'static str> {
    if rule.rule.starts_with("EV091") && !reported_obligation(t, h.start) {
        return Some("VT30-reported-must: no reported demand on another party");
    }
    if handed_document(t, rule, h) {
        return Some("VT37-handed-document: a letter or petition handed over is no retreat");
    }
    if concluded_that(t, rule, h) {
        return Some("VT35-concluded-that: a finding, not an agreement concluded");
    }
    if declined_comment(t, rule, h) {
        return Some("VT34-declined-comment: a source that did not speak rejects nothing");
    }
    protest_aim(t, rule, h)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
    use crate::pipeline::Pipeline;
    use frontline_model::{DocumentMeta, Event, Modality};
    use std::sync::OnceLock;

    fn pipeline() -> &'static Pipeline {
        static P: OnceLock<Pipeline> = OnceLock::new();
        P.get_or_init(|| Pipeline::new(frontline_geocode::Geocoder::embedded().unwrap()).unwrap())
    }

    fn events(text: &str) -> Vec<Event> {
        pipeline().extract(DocumentMeta::default(), text).events
    }

    /// The event whose trigger is `trigger`.
    fn by_trigger(text: &str, trigger: &str) -> Event {
        let evs = events(text);
        evs.iter()
            .find(|e| e.trigger_text == trigger || e.trigger_text.split(' ').any(|w| w == trigger))
            .cloned()
            .unwrap_or_else(|| panic!("no event {trigger:?} in {text:?}: {evs:#?}"))
    }

    fn fired(e: &Event, id: &str) -> bool {
        e.rules.iter().any(|r| r.starts_with(id))
    }

    #[test]
    fn vt10_stopping_aid_or_talks_is_a_sanction() {
        for (s, trig, mode) in [
            (
                "Norway halted economic aid to the junta on Monday.",
                "aid",
                "discontinue",
            ),
            (
                "The minister cancelled a planned visit to the capital.",
                "visit",
                "withdraw",
            ),
            (
                "Both sides broke off talks after the shooting.",
                "talks",
                "withdraw",
            ),
            (
                "Military aid was suspended after the coup.",
                "aid",
                "discontinue",
            ),
        ] {
            let e = by_trigger(s, trig);
            assert_eq!(e.plover_type.as_str(), "SANCTION", "{s}");
            assert_eq!(e.plover_mode.as_deref(), Some(mode), "{s}");
            assert!(fired(&e, "VT10"), "{s}");
        }
        // aid given, talks held: unchanged
        let e = by_trigger("Norway sent aid to the flooded province.", "aid");
        assert_eq!(e.plover_type.as_str(), "AID");
        let e = by_trigger("The two ministers held talks in Oslo.", "held talks");
        assert_eq!(e.plover_type.as_str(), "CONSULT");
    }

    #[test]
    fn vt11_withdrawing_from_a_treaty_rejects_it() {
        let e = by_trigger(
            "Ruritania withdrew from the arms treaty on Friday.",
            "withdrew",
        );
        assert_eq!(e.plover_type.as_str(), "REJECT");
        assert!(fired(&e, "VT11"));
        assert!(e.acled.is_none());
        // troops withdrawing from a town still retreat
        let e = by_trigger("The rebels withdrew from the town on Friday.", "withdrew");
        assert_eq!(e.plover_type.as_str(), "RETREAT");
    }

    #[test]
    fn vt12_a_lodged_protest_is_a_complaint() {
        let e = by_trigger(
            "Ruritania lodged an official protest with the Freedonian envoy.",
            "protest",
        );
        assert_eq!(e.plover_type.as_str(), "ACCUSE");
        assert!(e.acled.is_none(), "a complaint is no ACLED protest");
        let e = by_trigger(
            "Thousands of students staged a protest in the capital.",
            "protest",
        );
        assert_eq!(e.plover_type.as_str(), "PROTEST");
    }

    #[test]
    fn ev031_an_offer_or_a_readiness_is_an_agreement_of_intent() {
        for (s, trig) in [
            (
                "Ruritania offered to hand over the two suspects.",
                "offered to",
            ),
            (
                "The government is willing to withdraw its troops from the valley.",
                "is willing to",
            ),
            (
                "The prime minister promised to hold elections next year.",
                "promised to",
            ),
            (
                "Freedonia offered its troops to the new president.",
                "offered",
            ),
        ] {
            let e = by_trigger(s, trig);
            assert_eq!(e.plover_type.as_str(), "AGREE", "{s}");
            assert!(e.acled.is_none(), "{s}");
        }
        // intending force is a threat
        let e = by_trigger(
            "The army is ready to attack the rebel enclave.",
            "is ready to",
        );
        assert_eq!(e.plover_type.as_str(), "THREATEN");
        assert_eq!(e.plover_mode.as_deref(), Some("violence"));
        assert!(fired(&e, "VT20"));
    }

    #[test]
    fn vt30_a_reported_must_is_a_demand_on_its_subject() {
        let s = "The Ruritanian foreign minister said Freedonia must release the detained sailors.";
        let e = by_trigger(s, "must");
        assert_eq!(e.plover_type.as_str(), "REQUEST");
        assert!(fired(&e, "VT30"));
        // the speaker demands, the one obliged is the target
        let e = by_trigger(
            "Iraq must hand over the suspects, the British foreign minister said.",
            "must",
        );
        assert!(
            e.sources.iter().any(|a| a.actor.code.starts_with("GBR")),
            "{e:#?}"
        );
        assert!(
            e.targets.iter().any(|a| a.actor.code.starts_with("IRQ")),
            "{e:#?}"
        );
        // VT31: the release has not happened
        let r = by_trigger(s, "release");
        assert_eq!(r.modality, Modality::Hypothetical);
        assert!(fired(&r, "VT31"));
        // the speaker's own obligation and the epistemic "must have" are no demand
        for s in [
            "The general said we must defend the border.",
            "The police said the gunmen must have fled north.",
        ] {
            assert!(!events(s).iter().any(|e| e.trigger_text == "must"), "{s}");
        }
    }

    #[test]
    fn vt34_declining_to_comment_rejects_nothing() {
        for s in [
            "A ministry spokesman declined to comment on the report.",
            "The official, who declined to be named, confirmed the visit.",
        ] {
            assert!(
                !events(s).iter().any(|e| e.trigger_text == "declined to"),
                "{s}"
            );
        }
        let e = by_trigger(
            "The minister declined to resign despite the scandal.",
            "declined to",
        );
        assert_eq!(e.plover_type.as_str(), "REJECT");
    }

    #[test]
    fn vt14_vt15_goods_handed_over_and_a_curfew_lifted() {
        let e = by_trigger(
            "Volunteers handed over two tonnes of medicine to the hospital.",
            "handed over",
        );
        assert_eq!(e.plover_type.as_str(), "AID");
        let e = by_trigger(
            "The rebels handed over the town to the army.",
            "handed over",
        );
        assert_eq!(e.plover_type.as_str(), "RETREAT");
        let e = by_trigger(
            "The governor lifted the curfew in the city on Monday.",
            "curfew",
        );
        assert_eq!(e.plover_type.as_str(), "CONCEDE");
        assert!(e.acled.is_none());
        let e = by_trigger(
            "The army imposed a curfew on the city.",
            "imposed a curfew on",
        );
        assert_eq!(e.plover_type.as_str(), "COERCE");
    }

    #[test]
    fn vt37_a_letter_handed_over_is_no_retreat() {
        for s in [
            "In a letter handed over to the envoy on Monday, the council set out its terms.",
            "The villagers handed over a petition to the governor.",
        ] {
            assert!(
                !events(s)
                    .iter()
                    .any(|e| e.plover_type.as_str() == "RETREAT"),
                "{s}"
            );
        }
    }

    #[test]
    fn vt35_vt36_a_finding_and_a_demanded_act() {
        let evs = events("The panel concluded on Friday that the dam was unsafe.");
        assert!(
            !evs.iter().any(|e| e.plover_type.as_str() == "AGREE"),
            "{evs:#?}"
        );
        let evs = events("The two sides concluded a peace accord on Friday.");
        assert!(
            evs.iter().any(|e| e.plover_type.as_str() == "AGREE"),
            "{evs:#?}"
        );
        let e = by_trigger(
            "The unions are demanding that the army withdraw from the port.",
            "withdraw",
        );
        assert_eq!(e.modality, Modality::Hypothetical);
        assert!(fired(&e, "VT36"));
    }

    #[test]
    fn vt13_lifting_a_blockade_eases_it() {
        let evs = events("The army lifted a week-old blockade on the northern crossing.");
        assert!(
            evs.iter().all(|e| e.plover_type.as_str() == "RETREAT"),
            "{evs:#?}"
        );
        assert!(evs.iter().any(|e| fired(e, "VT13")));
        assert!(evs.iter().all(|e| e.acled.is_none()));
    }

    #[test]
    fn vt21_an_act_a_party_says_it_will_do_is_a_threat_or_a_promise() {
        let e = by_trigger(
            "The farmers said they would blockade the capital.",
            "blockade",
        );
        assert_eq!(e.plover_type.as_str(), "THREATEN");
        assert_eq!(e.modality, Modality::Asserted);
        assert!(fired(&e, "VT21"));
        let e = by_trigger(
            "The rebels said they will release the two hostages on Sunday.",
            "release",
        );
        assert_eq!(e.plover_type.as_str(), "AGREE");
        // told by another party, or not announced, it stays the act
        let e = by_trigger("Observers fear the army would attack the town.", "attack");
        assert_eq!(e.plover_type.as_str(), "ASSAULT");
        let e = by_trigger(
            "The rebels released the two hostages on Sunday.",
            "released",
        );
        assert_eq!(e.plover_type.as_str(), "RETREAT");
        // a negated frame states no intent
        let evs = events("The minister said this did not mean that the army would release them.");
        assert!(!evs.iter().any(|e| fired(e, "VT21")), "{evs:#?}");
    }

    #[test]
    fn vt33_an_act_refused_or_asked_for_has_not_happened() {
        for (s, trig) in [
            (
                "The rebels opposed the deployment of a regional force.",
                "deployment",
            ),
            (
                "The council rejected the withdrawal of the peacekeepers.",
                "withdrawal",
            ),
        ] {
            let e = by_trigger(s, trig);
            assert_eq!(e.modality, Modality::Hypothetical, "{s}");
            assert!(fired(&e, "VT33"), "{s}");
        }
        let e = by_trigger(
            "The army completed the withdrawal of its troops.",
            "withdrawal",
        );
        assert_eq!(e.modality, Modality::Asserted);
    }

    #[test]
    fn vt32_a_demand_that_is_a_protests_aim_is_the_protest() {
        for s in [
            "Thousands of workers marched in the capital to demand higher wages.",
            "Students held a rally calling for the minister's resignation.",
        ] {
            let evs = events(s);
            assert!(
                !evs.iter().any(|e| e.plover_type.as_str() == "REQUEST"),
                "{s}: {evs:#?}"
            );
            assert!(
                evs.iter().any(|e| e.plover_type.as_str() == "PROTEST"),
                "{s}"
            );
        }
        // nor is the act demanded
        let evs =
            events("Demonstrators rallied in the capital to demand the release of the students.");
        assert!(
            !evs.iter().any(|e| e.plover_type.as_str() == "RETREAT"),
            "{evs:#?}"
        );
        // a demand with no protest stays one
        let e = by_trigger(
            "The opposition called for the minister's resignation.",
            "called for",
        );
        assert_eq!(e.plover_type.as_str(), "REQUEST");
    }

    #[test]
    fn vt40_vt41_modes_of_visits_and_threats() {
        let e = by_trigger(
            "The Freedonian president visited Ruritania on Monday.",
            "visited",
        );
        assert_eq!(e.plover_mode.as_deref(), Some("visit"));
        let e = by_trigger(
            "The king hosted the Ruritanian premier in his palace.",
            "hosted",
        );
        assert_eq!(e.plover_mode.as_deref(), Some("host"));
        let e = by_trigger(
            "Ruritania threatened to attack the border posts.",
            "threatened",
        );
        assert_eq!(e.plover_mode.as_deref(), Some("violence"));
        let e = by_trigger(
            "Ruritania threatened new sanctions against Freedonia.",
            "threatened",
        );
        assert_eq!(e.plover_mode.as_deref(), Some("restrict"));
        let e = by_trigger(
            "Ruritania threatened to cut ties with Freedonia.",
            "threatened",
        );
        assert_eq!(e.plover_mode.as_deref(), Some("relations"));
    }
}
