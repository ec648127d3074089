//! Event or not: trigger words used in another sense, and sentences that tell no act (`NE`
//! rules). Each check looks at the trigger's tokens and its clause and returns the rule id and
//! reason of a near miss, shown by `frontline explain`; the trigger is then not coded.

use crate::lex::Tokens;
use frontline_model::PloverType;

use super::lexicon::{Form, TriggerHit, TriggerRule};

/// How far, in tokens, a check looks on either side of the trigger.
const WINDOW: usize = 30;

/// What is "executed" when nothing is killed: a warrant, an order, a plan, a deal.
const EXECUTED_THINGS: &[&str] = &[
    "warrant",
    "warrants",
    "order",
    "orders",
    "plan",
    "plans",
    "strategy",
    "deal",
    "deals",
    "contract",
    "contracts",
    "trade",
    "trades",
    "transaction",
    "transactions",
    "programme",
    "program",
    "project",
    "policy",
    "agreement",
];

/// Whether the object after an "execute" trigger ending at token `from` is one of
/// [`EXECUTED_THINGS`]: "executed a search warrant", "the execution of the plan". The object
/// is read over "of", a determiner and at most two modifiers; a preposition or punctuation
/// ends it ("executed five men in order to ..." is a killing).
fn executes_a_thing(t: &Tokens<'_>, from: usize) -> bool {
    let mut k = from;
    if k < t.len() && t.low(k) == "of" {
        k += 1;
    }
    if k < t.len()
        && matches!(
            t.low(k),
            "a" | "an" | "the" | "its" | "their" | "his" | "her" | "this" | "that" | "our"
        )
    {
        k += 1;
    }
    for _ in 0..3 {
        if k >= t.len() {
            return false;
        }
        let w = t.low(k);
        if EXECUTED_THINGS.contains(&w) {
            return true;
        }
        if !w.chars().all(char::is_alphabetic)
            || matches!(w, "in" | "to" | "for" | "on" | "at" | "and" | "by" | "with")
        {
            return false;
        }
        k += 1;
    }
    false
}

fn any_in(t: &Tokens<'_>, from: usize, to: usize, words: &[&str]) -> bool {
    (from..to.min(t.len())).any(|k| words.contains(&t.low(k)))
}

fn is_number(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

fn is_year(w: &str) -> bool {
    w.len() == 4 && is_number(w) && (w.starts_with("19") || w.starts_with("20"))
}

/// Whether the sentence is written in title case (a headline): most words capitalised.
fn title_case(t: &Tokens<'_>, from: usize, to: usize) -> bool {
    let (mut words, mut caps) = (0usize, 0usize);
    for k in from..to.min(t.len()) {
        if t.raw(k).chars().next().is_some_and(char::is_alphabetic) {
            words += 1;
            caps += usize::from(t.is_cap(k));
        }
    }
    words >= 3 && caps * 3 >= words * 2
}

const GOODS: &[&str] = &[
    "weapons",
    "weapon",
    "arms",
    "ammunition",
    "rifles",
    "guns",
    "gun",
    "drugs",
    "heroin",
    "cocaine",
    "cannabis",
    "items",
    "cash",
    "money",
    "documents",
    "evidence",
    "phones",
    "computers",
    "cars",
    "vehicle",
    "goods",
    "contraband",
    "property",
    "passports",
    "arsenal",
    "arsenals",
    "explosives",
    "grenades",
    "vehicles",
    "cache",
    "caches",
    "rifle",
    "pistol",
    "pistols",
];

const LEGAL_BEFORE: &[&[&str]] = &[
    &["charged", "with"],
    &["charge", "of"],
    &["charges", "of"],
    &["counts", "of"],
    &["count", "of"],
    &["convicted", "of"],
    &["guilty", "of"],
    &["suspected", "of"],
    &["sentenced", "for"],
    &["trial", "for"],
    &["arrested", "for"],
    &["acquitted", "of"],
];

const LEGAL_AFTER: &[&str] = &[
    "suspect",
    "suspects",
    "victim",
    "victims",
    "charge",
    "charges",
    "warrant",
    "warrants",
    "case",
    "cases",
    "trial",
    "conviction",
    "convictions",
    "investigation",
    "complaint",
];

const LEGAL_GOVERNORS: &[&str] = &[
    "charge",
    "charged",
    "charges",
    "convicted",
    "guilty",
    "sentenced",
    "indicted",
    "prosecuted",
    "acquitted",
    "jailed",
    "imprisoned",
];

const MODIFIED: &[&str] = &[
    "position",
    "positions",
    "experience",
    "experiences",
    "planners",
    "planner",
    "helicopter",
    "helicopters",
    "aircraft",
    "capability",
    "capabilities",
    "jets",
    "boots",
    "gear",
    "readiness",
    "training",
    "mission",
    "missions",
    "center",
    "centers",
    "centre",
    "centres",
    "facility",
    "facilities",
    "camp",
    "camps",
    "brigade",
    "brigades",
    "unit",
    "units",
    "squad",
    "squads",
    "participant",
    "participants",
    "tactics",
    "drills",
];

const CRIME_WORDS: &[&str] = &[
    "robbery",
    "robberies",
    "rob",
    "burglary",
    "theft",
    "stolen",
    "shoplifting",
    "drug",
    "drugs",
    "dealer",
    "dealers",
    "heroin",
    "cocaine",
    "fraud",
    "dui",
    "parole",
    "parolee",
    "homicide",
    "bail",
    "bond",
    "misdemeanor",
    "felony",
    "larceny",
    "trespassing",
    "jail",
    "inmate",
    "inmates",
    "sheriff",
    "warrant",
    "warrants",
    "slaying",
    "charged",
];

/// Words that make an arrest political, whatever crime words stand beside them (`NE23`
/// does not apply): who is arrested or why.
const POLITICAL_WORDS: &[&str] = &[
    "militant",
    "militants",
    "rebel",
    "rebels",
    "insurgent",
    "insurgents",
    "terrorist",
    "terrorists",
    "terrorism",
    "terror",
    "jihadist",
    "jihadists",
    "extremist",
    "extremists",
    "protester",
    "protesters",
    "protestors",
    "demonstrators",
    "activist",
    "activists",
    "opposition",
    "journalist",
    "journalists",
    "dissident",
    "dissidents",
    "soldiers",
    "troops",
];

const DISASTER_WORDS: &[&str] = &[
    "earthquake",
    "earthquakes",
    "quake",
    "flood",
    "floods",
    "flooding",
    "cholera",
    "epidemic",
    "outbreak",
    "disease",
    "virus",
    "hurricane",
    "cyclone",
    "typhoon",
    "tornado",
    "storm",
    "landslide",
    "landslides",
    "mudslide",
    "tsunami",
    "accident",
    "accidents",
    "crash",
    "collision",
    "derailment",
    "wildfire",
    "wildfires",
    "blaze",
    "avalanche",
    "factory",
    "refinery",
    "leak",
    "stampede",
    "malaria",
    "ebola",
    "flu",
    "famine",
    "drought",
    "heatwave",
];

const HABIT_WORDS: &[&str] = &[
    "often",
    "usually",
    "regularly",
    "frequently",
    "routinely",
    "typically",
    "generally",
    "habitually",
];

const COMMEMORATION: &[&str] = &[
    "anniversary",
    "commemorate",
    "commemorates",
    "commemorated",
    "commemorating",
    "commemoration",
    "memorial",
    "sentenced",
    "convicted",
    "verdict",
    "acquitted",
    "testified",
];

const METAPHOR_OBJECTS: &[&str] = &[
    "low",
    "high",
    "record",
    "snag",
    "wall",
    "roadblock",
    "nerve",
    "headlines",
    "stride",
    "jackpot",
    "home",
    "lows",
    "highs",
];

/// Words that make a "battle" or "fight" a dispute (`NE19`).
const DISPUTE_MODIFIERS: &[&str] = &[
    "legal",
    "court",
    "courtroom",
    "custody",
    "political",
    "uphill",
    "bureaucratic",
    "budget",
    "election",
    "electoral",
    "regulatory",
    "lawsuit",
    "ratings",
];

/// "on a regular basis", "on a daily basis" in the clause: habitual (`NE16`).
fn regular_basis(t: &Tokens<'_>, from: usize, to: usize) -> bool {
    (from..to.min(t.len()).saturating_sub(3)).any(|k| {
        t.low(k) == "on"
            && t.low(k + 1) == "a"
            && matches!(
                t.low(k + 2),
                "regular" | "daily" | "weekly" | "nightly" | "routine" | "monthly"
            )
            && t.low(k + 3) == "basis"
    })
}

const SPORT_WORDS: &[&str] = &[
    "ufc",
    "boxing",
    "boxer",
    "fighter",
    "martial",
    "bout",
    "championship",
    "tournament",
    "match",
    "season",
    "league",
    "mma",
    "wrestling",
    "game",
    "games",
];

/// `NE22-sport`: a sport word in the window; "fighter" before an aircraft word ("fighter
/// jets", "a fighter plane") is a warplane, not a boxer.
fn sport(t: &Tokens<'_>, w0: usize, w1: usize) -> bool {
    (w0..w1.min(t.len())).any(|k| {
        let w = t.low(k);
        SPORT_WORDS.contains(&w)
            && !(w == "fighter"
                && matches!(
                    t.low(k + 1),
                    "jet" | "jets" | "plane" | "planes" | "aircraft" | "bomber" | "bombers"
                ))
    })
}

/// What is "captured" when it is not territory: a picture or a mind (`NE12`).
const MEDIA: &[&str] = &[
    "video",
    "videos",
    "footage",
    "images",
    "image",
    "photos",
    "photo",
    "pictures",
    "picture",
    "attention",
    "imagination",
    "hearts",
    "moment",
];

/// What is "taken" when a decision is taken, not a place (`NE11`).
const DECISIONS: &[&str] = &[
    "steps",
    "step",
    "measure",
    "measures",
    "action",
    "actions",
    "decision",
    "decisions",
    "precautions",
    "initiative",
];

/// People whose expulsion is diplomacy, not coercion (`NE33`).
const DIPLOMATS: &[&str] = &[
    "diplomat",
    "diplomats",
    "envoy",
    "envoys",
    "ambassador",
    "ambassadors",
    "consul",
    "consulate",
    "embassy",
    "attache",
];

/// Ordinals and words that make a deployment a tour of duty (`NE35`).
const TOUR_BEFORE: &[&str] = &[
    "first", "second", "third", "fourth", "fifth", "sixth", "previous", "prior", "earlier", "past",
    "former", "several", "multiple",
];

/// Animals, whose killing is not an attack on people (`NE38`).
const ANIMALS: &[&str] = &[
    "animals",
    "animal",
    "buffalo",
    "buffaloes",
    "cattle",
    "cows",
    "goats",
    "sheep",
    "birds",
    "chickens",
    "pigs",
    "dogs",
    "livestock",
    "elephants",
    "rhinos",
    "camels",
    "horses",
];

/// Verbs and nouns of aims whose object is an act not told as done (`NE44`).
const AIMS: &[&str] = &[
    "cease",
    "end",
    "halt",
    "stop",
    "continue",
    "resume",
    "preparation",
    "preparations",
    "prepare",
    "preparing",
    "support",
    "supporting",
];

/// Who is sent when no force is (`NE39`).
const ENVOYS: &[&str] = &[
    "team",
    "teams",
    "delegation",
    "delegations",
    "envoy",
    "envoys",
    "minister",
    "investigators",
    "experts",
    "officials",
    "inspectors",
    "representative",
    "representatives",
    "diplomats",
];

/// What is dug from a mine that is not a landmine (`NE41`).
const MINERALS: &[&str] = &[
    "gold", "coal", "copper", "uranium", "diamond", "iron", "tin", "silver", "salt", "lithium",
    "cobalt", "open-pit",
];

/// What "falls" when nothing is captured (`NE37`).
const FALL_SENSES: &[&str] = &[
    "rain", "snow", "night", "darkness", "asleep", "silent", "ill", "sick", "short", "apart",
    "prices", "price", "sharply", "victim", "prey", "leaves",
];

/// Words of a weapon or an armed side: with one of them near the trigger, a disaster word
/// beside it names a target or a circumstance ("drones struck an oil refinery", "the bomber
/// detonated his car near a traffic accident", "forces could not repel the attack due to the
/// flooding"), not the cause of the harm (`NE17`).
const ARMED_WORDS: &[&str] = &[
    "drone",
    "drones",
    "missile",
    "missiles",
    "rocket",
    "rockets",
    "bomb",
    "bombs",
    "bomber",
    "bombers",
    "bombing",
    "airstrike",
    "airstrikes",
    "strike",
    "strikes",
    "shell",
    "shells",
    "shelling",
    "mortar",
    "mortars",
    "artillery",
    "grenade",
    "grenades",
    "explosives",
    "ied",
    "gunmen",
    "militants",
    "insurgents",
    "rebels",
    "troops",
    "soldiers",
    "fighters",
    "forces",
    "attackers",
    "terrorists",
    "bandits",
    "jihadists",
    "militia",
    "militias",
    "army",
    "warplanes",
];

/// `NE17-disaster`: a disaster or accident word near a violent trigger ("killed in a car
/// accident", "displaced by floods", "an explosion at a factory") makes it the disaster's
/// harm, unless a weapon or an armed side stands in the same window: then the disaster word
/// names a target ("a drone attack on an oil refinery", "a strike destroyed a VBIED factory")
/// or a circumstance. A trigger that is itself a disaster word is the weather unless an object
/// follows it ("militants storm the base", "storm Somali bases").
fn disaster(t: &Tokens<'_>, h: &TriggerHit, w0: usize, w1: usize) -> bool {
    let own = |k: usize| (h.start..h.end).contains(&k);
    let word = (w0..w1.min(t.len())).any(|k| !own(k) && DISASTER_WORDS.contains(&t.low(k)));
    // "storm" with an object ("militants storm the base") is an assault; "a perfect storm.",
    // "this storm," is the weather
    let weather = DISASTER_WORDS.contains(&t.low(h.start))
        && !(matches!(t.low(h.end), "the" | "a" | "an" | "into" | "its" | "their")
            || t.is_cap(h.end));
    (word || weather) && !any_in(t, w0, w1, ARMED_WORDS)
}

/// Whether the words from `k` (after "in the past", "over the last") name a day or less
/// ("in the past 24 hours", "over the last day": one day's shelling, not a running total) or
/// one act ("in the last attack on the checkpoint") (`NE15`); "the past few months", "the last
/// decade", a bare "in the past" stay totals. Within a day, a counted plural act is still a
/// tally ("in the last 24 hours conducted 10 airstrikes": [`counted_plural`]).
fn within_a_day(t: &Tokens<'_>, k: usize) -> bool {
    matches!(
        t.low(k),
        "attack" | "strike" | "raid" | "clash" | "assault" | "ambush" | "bombing" | "day" | "night"
    ) || (k..(k + 3).min(t.len())).any(|j| matches!(t.low(j), "hours" | "hour" | "24" | "48"))
}

/// Whether the trigger is a plural act noun counted by a number just before it ("10
/// airstrikes", "dozens of raids") (`NE15`).
fn counted_plural(t: &Tokens<'_>, h: &TriggerHit) -> bool {
    h.form == Form::Noun
        && t.low(h.end.saturating_sub(1)).ends_with('s')
        && (h.start.saturating_sub(3)..h.start).any(|k| {
            let w = t.low(k);
            is_number(&w.replace(',', ""))
                || matches!(w, "dozens" | "scores" | "hundreds" | "several" | "many")
        })
}

/// `NE40-war-toll`: "hundreds of thousands have been killed", "more than 600 people are
/// believed to have been killed": a vague large toll in the perfect tells the toll of a
/// war or a wave of violence, not one event.
fn war_toll(t: &Tokens<'_>, h: &TriggerHit, c0: usize, c1: usize) -> bool {
    let from = c0.max(h.start.saturating_sub(WINDOW));
    let to = c1.min(h.end + WINDOW).min(t.len());
    let perfect = (h.start.saturating_sub(4)..h.start).any(|k| matches!(t.low(k), "have" | "has"));
    let vague = (from..to).any(|k| {
        matches!(t.low(k), "hundreds" | "thousands" | "millions")
            || (matches!(t.low(k), "than" | "over")
                && t.low(k + 1)
                    .replace(',', "")
                    .parse::<u64>()
                    .is_ok_and(|n| n >= 100))
    });
    perfect && vague
}

/// Words of a specific recent time: with one of them a counted barrage in the perfect is one
/// night's or one day's events, not a campaign (`NE48`).
const RECENT_TIMES: &[&str] = &[
    "overnight",
    "today",
    "tonight",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "morning",
    "night",
    "hours",
];

/// `NE48-campaign-count`: "the air force has flown over 870 missions and conducted over 265
/// bombing raids", "militants have carried out 120 attacks on the road": a plural event noun
/// counted by a number of 50 or more, in the perfect, is the tally of a campaign, not one
/// event; so is a count of a thousand or more in any tense ("conducted 14,000 strikes"). A specific recent time in the clause ("has launched 120 drones overnight") makes it
/// one night's barrage and keeps it.
fn campaign_count(t: &Tokens<'_>, h: &TriggerHit, c0: usize, c1: usize) -> bool {
    if h.form != Form::Noun || !t.low(h.end.saturating_sub(1)).ends_with('s') {
        return false;
    }
    // the count: the largest number among the three words before the noun
    let count = (h.start.saturating_sub(3)..h.start)
        .filter_map(|k| t.low(k).replace(',', "").parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let from = c0.max(h.start.saturating_sub(14));
    let perfect = (from..h.start).any(|k| matches!(t.low(k), "has" | "have"));
    let to = c1.min(h.end + WINDOW).min(t.len());
    let recent = (from..to).any(|k| RECENT_TIMES.contains(&t.low(k)));
    ((count >= 50 && perfect) || count >= 1000) && !recent
}

/// Whether the trigger `h` of `rule` is an event; otherwise the near-miss reason.
pub fn non_event(
    t: &Tokens<'_>,
    rule: &TriggerRule,
    h: &TriggerHit,
    clause: (usize, usize),
) -> Option<&'static str> {
    let w = t.low(h.start);
    let next = t.low(h.end);
    let prev = if h.start > 0 { t.low(h.start - 1) } else { "" };
    let ptype = rule.plover_type;
    // every scan stays within a window around the trigger, so that the cost of a sentence
    // stays linear in its triggers whatever its length
    let (w0, w1) = (
        h.start.saturating_sub(WINDOW),
        (h.end + WINDOW).min(t.len()),
    );
    let violent = matches!(ptype, Some(PloverType::Assault | PloverType::Coerce));
    // "March 10", "in March": the month
    // "March 31, 2018", "March 3 2019": a day and a year make it a date even in a headline
    let dated = is_number(next)
        && next.len() <= 2
        && (t.low(h.end + 1) == "," || is_year(t.low(h.end + 1)));
    if t.raw(h.start) == "March"
        && h.end == h.start + 1
        && ((h.start > 0 || is_number(next)) && !title_case(t, w0, w1) || dated)
    {
        return Some("NE10-month: \"March\" names the month");
    }
    // "taken to hospital", "precautions were taken", "taken off life support": a bare
    // "taken" is a capture only when the taker or the loser follows ("taken by", "from")
    if rule.territory
        && h.end == h.start + 1
        && matches!(w, "taken" | "take" | "takes" | "took")
        && !matches!(next, "by" | "from")
    {
        return Some("NE11-taken-sense: \"taken\" without a taker is not a capture");
    }
    // "the steps that have been taken by the government", "such a measure was taken by":
    // a decision taken, not a place
    if rule.territory
        && matches!(w, "taken" | "take" | "takes" | "took")
        && any_in(t, h.start.saturating_sub(6), h.start, DECISIONS)
    {
        return Some("NE11-taken-sense: a step or measure is taken, not a place");
    }
    // "accounts captured video of him", "captured the attention of": a picture or a mind
    if rule.territory
        && matches!(w, "captured" | "capture" | "captures" | "capturing")
        && any_in(t, h.end, h.end + 3, MEDIA)
    {
        return Some("NE12-seized-goods: a picture or attention captured, not territory");
    }
    // "agents seized some items", "weapons were taken": goods, not territory
    if rule.territory
        && matches!(
            w,
            "seized" | "seize" | "seizes" | "seizing" | "captured" | "taken" | "confiscated"
        )
        && (any_in(t, h.end, h.end + 4, GOODS)
            || (h.start >= 3 && any_in(t, h.start.saturating_sub(3), h.start, GOODS)))
    {
        return Some("NE12-seized-goods: goods or weapons seized, not territory");
    }
    // "charged with assault", "a murder suspect", "kidnapping warrants": a charge, not an act
    if violent {
        let before = LEGAL_BEFORE.iter().any(|p| {
            h.start >= p.len()
                && p.iter()
                    .enumerate()
                    .all(|(k, x)| t.low(h.start - p.len() + k) == *x)
        }) || (h.start >= 3
            && LEGAL_BEFORE.iter().any(|p| {
                // "charged with simple assault", "one count of aggravated assault"
                p.iter()
                    .enumerate()
                    .all(|(k, x)| t.low(h.start - p.len() - 1 + k) == *x)
            }));
        // "charged a teenager on Monday with killing", "convicted him of the murder"
        // ("a charge of assault for allegedly attacking": an adverb between)
        let adverb = matches!(prev, "allegedly" | "reportedly" | "purportedly");
        let gov = if adverb && h.start >= 2 {
            t.low(h.start - 2)
        } else {
            prev
        };
        let governed = matches!(gov, "with" | "of" | "for")
            && any_in(t, h.start.saturating_sub(10), h.start, LEGAL_GOVERNORS);
        if before || governed || (h.form == Form::Noun && LEGAL_AFTER.contains(&next)) {
            return Some("NE13-legal: a charge, warrant or court case, not the act");
        }
    }
    // "a heart attack", "a panic attack": a medical condition
    if (matches!(w, "attack" | "attacks")
        && matches!(prev, "heart" | "panic" | "asthma" | "anxiety" | "seizure"))
        || (matches!(w, "death" | "deaths") && prev == "sudden")
    {
        return Some("NE29-medical: \"heart attack\" is a medical condition");
    }
    // "a news release", "a press release"
    if matches!(w, "release" | "releases") && matches!(prev, "news" | "press") {
        return Some("NE14-press-release: a statement, not a release");
    }
    let (c0, c1) = clause;
    // "has killed more than 40,000 since 2011", "a total of 978 people have been killed"
    if matches!(
        ptype,
        Some(PloverType::Assault | PloverType::Coerce | PloverType::Protest)
    ) {
        // "since" opens a clause of its own: read to the end of the sentence
        let since = (c0.max(w0)..w1).any(|k| {
            t.low(k) == "since"
                && (is_year(t.low(k + 1))
                    || (t.low(k + 1) == "the"
                        && matches!(
                            t.low(k + 2),
                            "start" | "beginning" | "outbreak" | "war" | "conflict" | "uprising"
                        ))
                    || matches!(t.low(k + 1), "then"))
        });
        let total = (c0.max(w0)..w1).any(|k| {
            (t.low(k) == "a" && t.low(k + 1) == "total" && t.low(k + 2) == "of")
                || (t.low(k) == "so" && t.low(k + 1) == "far")
                || (t.low(k) == "to" && t.low(k + 1) == "date")
                || (t.low(k) == "in" && t.low(k + 1) == "total")
                || (matches!(t.low(k), "over" | "in" | "during")
                    && t.low(k + 1) == "the"
                    && matches!(t.low(k + 2), "past" | "last")
                    && (!within_a_day(t, k + 3) || counted_plural(t, h)))
        });
        if since || total {
            return Some("NE15-running-total: a running total or campaign figure, not one event");
        }
    }
    if matches!(ptype, Some(PloverType::Assault)) && war_toll(t, h, c0, c1) {
        return Some("NE40-war-toll: a vague large toll in the perfect, not one event");
    }
    if violent && campaign_count(t, h, c0, c1) {
        return Some(
            "NE48-campaign-count: a count of 50 or more acts in the perfect, or of a thousand or more, tallies a campaign",
        );
    }
    // "often carries out such attacks", "has carried out repeated attacks": what a group does
    // in general
    if violent
        && (any_in(t, c0.max(w0), c1.min(w1), HABIT_WORDS)
            || regular_basis(t, c0.max(w0), c1.min(w1))
            || matches!(
                prev,
                "repeated" | "sporadic" | "frequent" | "periodic" | "occasional" | "recurrent"
            ))
    {
        return Some("NE16-habitual: a habitual statement, not one event");
    }
    // "killed by a cholera epidemic", "an explosion at a factory", "displaced by floods"
    if violent && disaster(t, h, w0, w1) {
        return Some("NE17-disaster: a disaster or accident, not political violence");
    }
    // anniversaries, memorials, trials and sentences about old events
    if violent && any_in(t, w0, w1, COMMEMORATION) {
        return Some("NE18-commemoration: an anniversary, memorial, trial or sentence");
    }
    // relations that "hit a low", talks that "hit a snag"
    if matches!(w, "hit" | "hits" | "struck" | "strike")
        && any_in(t, h.end, h.end + 3, METAPHOR_OBJECTS)
    {
        return Some("NE19-metaphor: \"hit a low\", \"hit a snag\"");
    }
    // "proven in combat", "a method of combat": the activity in general, not one fight
    // ("killed in combat with the rebels" names its enemy and stays)
    if w == "combat"
        && matches!(prev, "in" | "of" | "into" | "for" | "from")
        && !matches!(next, "with" | "against" | "between" | "near" | "in" | "at")
    {
        return Some("NE45-generic-combat: combat as an activity, not one fight");
    }
    // "a legal battle", "a long court fight", "an uphill battle": a dispute, not fighting
    if matches!(
        w,
        "battle" | "battles" | "fight" | "fights" | "fighting" | "struggle"
    ) && (h.start.saturating_sub(2)..h.start).any(|k| DISPUTE_MODIFIERS.contains(&t.low(k)))
    {
        return Some("NE19-metaphor: a legal or political battle is a dispute");
    }
    // "to deal with the threat": the verb "deal", not an accord
    if w == "deal" && prev == "to" {
        return Some("NE20-deal-verb: \"to deal with\" is not an accord");
    }
    // "Operation Inherent Resolve", "the Florida Highway Patrol", "Detention Center": a
    // capitalised trigger inside a run of capitalised words is a name
    if h.start > 0
        && t.is_cap(h.start)
        && (t.is_cap(h.start - 1) || t.is_cap(h.end))
        && !matches!(prev, "\"" | "“" | "'" | ":" | "-" | "–" | "—")
        && !title_case(t, w0, w1)
    {
        return Some("NE21-name: a capitalised trigger inside a name");
    }
    // "an ultimate fighting star", "removed three fights from the card": sport
    if matches!(ptype, Some(PloverType::Assault)) && sport(t, w0, w1) {
        return Some("NE22-sport: a fight in sport");
    }
    // "fighting positions", "combat experience", "attack helicopters": a modifier
    // (a noun, or a gerund: "fighting positions"; not a verb: "destroyed positions")
    // ("attack planners", "in riot gear": a bare noun-like verb form before a noun of
    // people or gear)
    if (h.form == Form::Noun
        || w.ends_with("ing")
        || (matches!(w, "attack" | "strike" | "raid" | "assault" | "riot")
            && !matches!(next, "position" | "positions")))
        && (MODIFIED.contains(&next) || (next == "," && prev == "using"))
    {
        return Some("NE25-modifier: the trigger noun modifies another noun");
    }
    // "strikes against ISIL targets": the noun "targets", not the verb
    if matches!(w, "target" | "targets")
        && any_in(
            t,
            h.start.saturating_sub(3),
            h.start,
            &["against", "on", "at", "hit", "engaged"],
        )
    {
        return Some("NE26-target-noun: \"targets\" names what was struck");
    }
    // arrests and abductions among private persons for ordinary crime ("arrested in
    // attempted robbery", "kidnapped during the robbery")
    if matches!(rule.mode.as_deref(), Some("arrest" | "abduct"))
        && any_in(t, w0, w1, CRIME_WORDS)
        && !any_in(t, w0, w1, POLITICAL_WORDS)
    {
        return Some("NE23-crime-arrest: an arrest for ordinary crime");
    }
    // "farmers from surrounding villages", "controversy surrounding a plan": not a siege
    if w == "surrounding" && !matches!(prev, "were" | "was" | "are" | "is" | "been" | "be") {
        return Some("NE27-surrounding: \"surrounding\" as an adjective or preposition");
    }
    // "reaching out to family members", "moved to a treatment facility": not a deployment
    if matches!(ptype, Some(PloverType::Mobilize)) && next == "out" {
        return Some("NE24-phrasal: \"reach out\" is not a move");
    }
    other_senses(t, rule, h, (w0, w1))
}

/// People a rescue evacuates (`NE49`).
const EVACUEES: &[&str] = &[
    "civilians",
    "residents",
    "people",
    "women",
    "children",
    "families",
    "wounded",
    "injured",
    "patients",
    "villagers",
    "citizens",
    "nationals",
    "students",
    "tourists",
    "staff",
    "workers",
    "inhabitants",
    "passengers",
    "diplomats",
    "foreigners",
    "elderly",
    "sick",
];

/// Fighters whose evacuation is a force leaving ground (`NE49`).
const FIGHTERS: &[&str] = &[
    "fighters",
    "rebels",
    "militants",
    "troops",
    "soldiers",
    "gunmen",
    "insurgents",
    "forces",
    "militiamen",
    "jihadists",
];

/// `NE49-evacuated-people`: "evacuated women and children from the town", "the evacuation
/// of the wounded", "300 residents were evacuated": moving people out of danger is a rescue,
/// not a force giving up ground. An evacuation that names fighters ("the evacuation of
/// rebels and civilians") is a withdrawal and stays.
fn evacuated_people(t: &Tokens<'_>, h: &TriggerHit) -> bool {
    if !t.low(h.start).starts_with("evacuat") {
        return false;
    }
    let (a, b) = (h.start.saturating_sub(5), (h.end + 6).min(t.len()));
    any_in(t, a, b, EVACUEES) && !any_in(t, a, b, FIGHTERS)
}

/// The senses checked after the general ones: diplomacy, tours of duty, displays, animals,
/// the weather (`NE33`–`NE38`).
fn other_senses(
    t: &Tokens<'_>,
    rule: &TriggerRule,
    h: &TriggerHit,
    (w0, w1): (usize, usize),
) -> Option<&'static str> {
    let w = t.low(h.start);
    let next = t.low(h.end);
    let prev = if h.start > 0 { t.low(h.start - 1) } else { "" };
    let ptype = rule.plover_type;
    // "agents executed a search warrant", "the execution of the plan": carrying something
    // out, not a killing
    if matches!(
        w,
        "executed" | "execute" | "executes" | "executing" | "execution"
    ) && executes_a_thing(t, h.end)
    {
        return Some("NE46-carried-out: a warrant, order or plan executed, not a killing");
    }
    // "60 Russian diplomats being expelled from the United States": diplomacy
    if matches!(ptype, Some(PloverType::Coerce))
        && w.starts_with("expel")
        && any_in(t, w0, w1, DIPLOMATS)
    {
        return Some("NE33-diplomatic-expulsion: diplomats expelled, not people coerced");
    }
    // "his third deployment", "previous deployments": a tour of duty, not a move
    if matches!(ptype, Some(PloverType::Mobilize))
        && matches!(w, "deployment" | "deployments")
        && (TOUR_BEFORE.contains(&prev)
            || (h.start >= 2 && TOUR_BEFORE.contains(&t.low(h.start - 2)))
            || matches!(next, "tour" | "tours"))
    {
        return Some("NE35-tour-of-duty: a deployment counted in a career, not a move");
    }
    // "a demonstration of military power": a display, not a protest
    if matches!(w, "demonstration" | "demonstrations")
        && next == "of"
        && any_in(
            t,
            h.end + 1,
            h.end + 3,
            &[
                "power",
                "force",
                "strength",
                "resolve",
                "might",
                "military",
                "capability",
                "capabilities",
                "unity",
                "commitment",
            ],
        )
    {
        return Some("NE36-display: \"a demonstration of power\" is a display, not a protest");
    }
    // "as soft rain began to fall": the weather, not a town
    if w == "fall" && any_in(t, h.start.saturating_sub(4), h.end + 3, FALL_SENSES) {
        return Some("NE37-fall-sense: \"fall\" of rain, night or prices, not of a town");
    }
    // "labour participation fell to 41 percent": a figure falls, not a town
    let figure_at = if t.low(h.end.saturating_sub(1)) == "to" {
        Some(h.end)
    } else if next == "to" {
        Some(h.end + 1)
    } else {
        None
    };
    if matches!(w, "fell" | "falls" | "fall" | "fallen")
        && figure_at.is_some_and(|k| {
            is_number(t.low(k).split('-').next().unwrap_or(""))
                || any_in(t, k, k + 3, &["percent", "%", "lows", "low", "zero"])
        })
    {
        return Some("NE37-fall-sense: a figure falls, not a town");
    }
    // "dispatched teams to look into the incident", "sent the foreign minister to": envoys
    // and inspectors, not forces
    if matches!(ptype, Some(PloverType::Mobilize))
        && matches!(w, "dispatched" | "dispatch" | "dispatches" | "sent")
        && any_in(t, h.end, h.end + 4, ENVOYS)
    {
        return Some("NE39-envoys-sent: envoys or inspectors sent, not forces");
    }
    // "gained the upper hand over": an idiom, not a handover
    if w == "hand" && prev == "upper" {
        return Some("NE19-metaphor: \"the upper hand\" is an idiom");
    }
    // "the Yanacocha mine which produced the mercury", "a coal mine": a mine of minerals
    if matches!(w, "mine" | "mines")
        && (any_in(t, h.start.saturating_sub(2), h.start, MINERALS)
            || any_in(t, w0, w1, &["mining", "miners", "ore"]))
    {
        return Some("NE41-mineral-mine: a mine of minerals, not a landmine");
    }
    // "he had just left the Army": someone quits a job, no force withdraws
    if matches!(ptype, Some(PloverType::Retreat))
        && matches!(w, "left" | "quit")
        && matches!(next, "the" | "his" | "her")
        && matches!(
            t.low(h.end + 1),
            "army"
                | "military"
                | "service"
                | "job"
                | "company"
                | "office"
                | "party"
                | "post"
                | "police"
                | "marines"
                | "navy"
                | "force"
        )
    {
        return Some("NE42-left-job: someone left a job or a service, not a place");
    }
    if matches!(ptype, Some(PloverType::Retreat)) && evacuated_people(t, h) {
        return Some(
            "NE49-evacuated-people: people moved out of danger, not a force giving up ground",
        );
    }
    // "the crowd had begun to disperse.": a crowd that breaks up, no force used
    if matches!(rule.mode.as_deref(), Some("crowd-control"))
        && matches!(
            t.low(h.end.saturating_sub(1)),
            "disperse" | "dispersed" | "dispersing"
        )
        && (matches!(next, "." | "," | ";" | "") || next == "peacefully")
    {
        return Some("NE43-dispersed-itself: the crowd broke up, no force was used");
    }
    // "urged them to cease at once airstrikes", "an end to all the fighting", "the need to
    // continue coalition operations", "in preparation for the offensive": the noun is what
    // someone aims to stop, go on with or prepare, not an act told
    if h.form == Form::Noun
        && (h.start.saturating_sub(4)..h.start).any(|k| AIMS.contains(&t.low(k)))
    {
        return Some("NE44-aim-object: the act is what someone aims to stop, continue or prepare");
    }
    // "300,000 birds, sheep and goats were slaughtered": animals, not people
    if matches!(ptype, Some(PloverType::Assault | PloverType::Coerce))
        && (h.start.saturating_sub(3)..h.start).any(|k| matches!(t.low(k), "were" | "was" | "been"))
        && any_in(t, h.start.saturating_sub(8), h.start, ANIMALS)
        && !any_in(
            t,
            h.start.saturating_sub(8),
            h.start,
            &["people", "civilians", "men", "women", "children"],
        )
    {
        return Some("NE38-animals: animals killed, not people");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::lexicon::Lexicon;
    use crate::lex::tokenize;
    use frontline_text::Span;

    /// The near-miss reason of the first trigger in `s` that `pick` chooses by its rule id
    /// and its first word (`what` names it in the panic).
    fn reason_by(s: &str, what: &str, pick: impl Fn(&str, &str) -> bool) -> Option<&'static str> {
        let lex = Lexicon::with_extra(&[]).unwrap();
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let hits = lex.find(&t);
        let h = hits
            .iter()
            .find(|h| pick(&lex.rules[h.rule].rule[..], t.low(h.start)))
            .unwrap_or_else(|| panic!("no trigger {what} in {s:?}"));
        let clause = crate::events::roles::clause(&t, h.start, h.end);
        non_event(&t, &lex.rules[h.rule], h, clause)
    }

    /// The near-miss reason of the first trigger of `rule_prefix` in `s`.
    fn reason(s: &str, rule_prefix: &str) -> Option<&'static str> {
        reason_by(s, rule_prefix, |rule, _| rule.starts_with(rule_prefix))
    }

    /// The near-miss reason of the trigger whose first word is `word`.
    fn reason_word(s: &str, word: &str) -> Option<&'static str> {
        reason_by(s, word, |_, first| first == word)
    }

    fn id(r: Option<&str>) -> &str {
        r.map_or("", |r| r.split(':').next().unwrap_or(""))
    }

    #[test]
    fn march_the_month() {
        assert_eq!(
            id(reason(
                "The man was arrested on March 11 in the city.",
                "EV130"
            )),
            "NE10-month"
        );
        assert_eq!(
            reason("Thousands of students march in the capital.", "EV130"),
            None
        );
        // a dateline in title case: a day and a year make it the month
        assert_eq!(
            id(reason(
                "By Staff Writer Published Friday, March 9, 2018 Updated Saturday",
                "EV130"
            )),
            "NE10-month"
        );
    }

    #[test]
    fn taken_senses() {
        assert_eq!(
            id(reason("The wounded man was taken to hospital.", "EV010")),
            "NE11-taken-sense"
        );
        assert_eq!(
            reason("The town was taken by the rebels on Friday.", "EV010"),
            None
        );
    }

    #[test]
    fn goods_seized() {
        assert_eq!(
            id(reason(
                "Police seized weapons and cash from the house.",
                "EV010"
            )),
            "NE12-seized-goods"
        );
        assert_eq!(
            id(reason(
                "Troops seized an arsenal of rifles after the raid.",
                "EV010"
            )),
            "NE12-seized-goods"
        );
        assert_eq!(
            reason("Rebels seized the airport on Monday.", "EV010"),
            None
        );
    }

    #[test]
    fn charges_and_warrants() {
        assert_eq!(
            id(reason("He was charged with assault last week.", "EV161")),
            "NE13-legal"
        );
        assert_eq!(
            id(reason("Police found the murder suspect at home.", "EV162")),
            "NE13-legal"
        );
    }

    #[test]
    fn warrants_and_plans_executed() {
        assert_eq!(
            id(reason_word(
                "Federal agents executed a search warrant at the farm.",
                "executed"
            )),
            "NE46-carried-out"
        );
        assert_eq!(
            id(reason_word(
                "The council delayed the execution of the new plan.",
                "execution"
            )),
            "NE46-carried-out"
        );
        assert_eq!(
            reason_word("Militants executed two hostages in the square.", "executed"),
            None
        );
        assert_eq!(
            reason_word(
                "Gunmen executed the men in order to terrify the village.",
                "executed"
            ),
            None
        );
    }

    #[test]
    fn press_release() {
        assert_eq!(
            id(reason(
                "The details came from a news release by the police.",
                "EV081"
            )),
            "NE14-press-release"
        );
    }

    #[test]
    fn running_totals() {
        assert_eq!(
            id(reason(
                "The war has killed more than 9,000 people since 2014.",
                "EV162"
            )),
            "NE15-running-total"
        );
        assert_eq!(
            id(reason(
                "A total of 300 people have been killed in the region.",
                "EV162"
            )),
            "NE15-running-total"
        );
        assert_eq!(
            reason("Gunmen killed four villagers on Sunday.", "EV162"),
            None
        );
        assert_eq!(
            id(reason(
                "Raiders have killed 30 herders in the past few months.",
                "EV162"
            )),
            "NE15-running-total"
        );
    }

    #[test]
    fn a_day_or_one_act_is_no_running_total() {
        // one day's shelling
        assert_eq!(
            reason_word(
                "The governor said two farmers were killed in shelling in the past 24 hours.",
                "killed"
            ),
            None
        );
        // one earlier act
        assert_eq!(
            reason_word(
                "In the last attack on the post, gunmen killed three guards.",
                "attack"
            ),
            None
        );
        // a counted tally within a day stays a total
        assert_eq!(
            id(reason_word(
                "The air force in the last 24 hours conducted 12 airstrikes near the dam.",
                "airstrikes"
            )),
            "NE15-running-total"
        );
    }

    #[test]
    fn habitual_statements() {
        assert_eq!(
            id(reason(
                "The group often attacks convoys on that road.",
                "EV161"
            )),
            "NE16-habitual"
        );
        assert_eq!(
            id(reason(
                "The cells still mount sporadic attacks on police in the hills.",
                "EV161"
            )),
            "NE16-habitual"
        );
        assert_eq!(
            reason("Rebels mounted an attack on police in the hills.", "EV161"),
            None
        );
    }

    #[test]
    fn disasters() {
        assert_eq!(
            id(reason(
                "The earthquake killed 40 people in the valley.",
                "EV162"
            )),
            "NE17-disaster"
        );
        assert_eq!(
            id(reason_word(
                "Two workers were killed when a boiler blew up at the factory.",
                "killed"
            )),
            "NE17-disaster"
        );
        assert_eq!(
            id(reason_word(
                "The region now faces a perfect storm.",
                "storm"
            )),
            "NE17-disaster"
        );
    }

    #[test]
    fn a_disaster_word_beside_a_weapon_or_an_armed_side_is_no_disaster() {
        // the refinery or the factory is the target
        assert_eq!(
            reason_word(
                "Two drones struck a fuel refinery near the port on Saturday.",
                "struck"
            ),
            None
        );
        assert_eq!(
            reason_word(
                "Near the river, one strike destroyed a bomb-making factory.",
                "destroyed"
            ),
            None
        );
        // the flood is a circumstance of an attack by an armed side
        assert_eq!(
            reason_word(
                "Soldiers could not repel the attack because the flooding cut the road.",
                "attack"
            ),
            None
        );
        // "storm" with an object is an assault
        assert_eq!(
            reason_word("Militants storm the army base at dawn.", "storm"),
            None
        );
    }

    #[test]
    fn commemorations() {
        assert_eq!(
            id(reason(
                "Crowds marked the anniversary of the massacre in the town.",
                "EV162"
            )),
            "NE18-commemoration"
        );
    }

    #[test]
    fn metaphors() {
        assert_eq!(
            id(reason(
                "Relations between the two neighbours hit a low this year.",
                "EV161"
            )),
            "NE19-metaphor"
        );
    }

    #[test]
    fn combat_in_general_and_modifiers() {
        assert_eq!(
            id(reason_word(
                "She served two tours and was decorated for bravery in combat.",
                "combat"
            )),
            "NE45-generic-combat"
        );
        assert_eq!(
            reason_word(
                "Two soldiers died in combat with the rebels near the river.",
                "combat"
            ),
            None
        );
        assert_eq!(
            id(reason_word(
                "Instructors trained the new counter-attack brigades at the base.",
                "counter-attack"
            )),
            "NE25-modifier"
        );
    }

    #[test]
    fn disputes_and_routines() {
        assert_eq!(
            id(reason_word(
                "The families are locked in a legal battle with the company.",
                "battle"
            )),
            "NE19-metaphor"
        );
        assert_eq!(
            id(reason(
                "The gangs attack buses on the highway on a regular basis.",
                "EV161"
            )),
            "NE16-habitual"
        );
        assert_eq!(
            reason_word(
                "Troops fought a fierce battle with rebels near the dam.",
                "battle"
            ),
            None
        );
    }

    #[test]
    fn deal_as_verb() {
        assert_eq!(
            id(reason(
                "Ministers met to deal with the threat of drought.",
                "EV030"
            )),
            "NE20-deal-verb"
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            id(reason_word(
                "Members of the Special Raid Unit arrived.",
                "raid"
            )),
            "NE21-name"
        );
        assert_eq!(
            id(reason(
                "Officers from the Florida Highway Patrol came to the scene.",
                "EV150"
            )),
            "NE21-name"
        );
    }

    #[test]
    fn sport() {
        assert_eq!(
            id(reason(
                "The UFC fighter faces two fights this season.",
                "EV160"
            )),
            "NE22-sport"
        );
        // a fighter jet is a warplane
        assert_eq!(
            reason_word(
                "A fierce battle raged in the hills, and the army sent fighter jets over them.",
                "battle"
            ),
            None
        );
    }

    #[test]
    fn medical_attacks() {
        assert_eq!(
            id(reason_word(
                "The former minister died of a heart attack on Tuesday.",
                "attack"
            )),
            "NE29-medical"
        );
        assert_eq!(
            reason_word("Gunmen opened fire in an attack on the convoy.", "attack"),
            None
        );
    }

    #[test]
    fn crime_arrests() {
        assert_eq!(
            id(reason(
                "Police arrested a man after a robbery at a shop.",
                "EV012"
            )),
            "NE23-crime-arrest"
        );
        assert_eq!(
            reason(
                "Police arrested 40 opposition activists in the capital.",
                "EV012"
            ),
            None
        );
        // taken to jail: ordinary crime
        assert_eq!(
            id(reason(
                "The man was arrested at the scene and taken to the county jail.",
                "EV012"
            )),
            "NE23-crime-arrest"
        );
        // a terror suspect, charged or not, is not ordinary crime
        assert_eq!(
            reason(
                "Police arrested two terror suspects who were later charged.",
                "EV012"
            ),
            None
        );
    }

    #[test]
    fn modifiers_and_target_nouns() {
        assert_eq!(
            id(reason_word(
                "Strikes destroyed two fighting positions near the river.",
                "fighting"
            )),
            "NE25-modifier"
        );
        assert_eq!(
            id(reason_word(
                "Jets carried out strikes against militant targets.",
                "targets"
            )),
            "NE26-target-noun"
        );
    }

    #[test]
    fn surrounding_as_adjective() {
        assert_eq!(
            id(reason(
                "Farmers from surrounding villages sold produce.",
                "EV011"
            )),
            "NE27-surrounding"
        );
        assert_eq!(
            reason("Troops were surrounding the town on Monday.", "EV011"),
            None
        );
    }

    #[test]
    fn reach_out() {
        assert_eq!(
            id(reason(
                "He had been reaching out to family members.",
                "EV150"
            )),
            "NE24-phrasal"
        );
    }

    #[test]
    fn decisions_and_pictures_are_not_captures() {
        assert_eq!(
            id(reason(
                "She praised the steps that have been taken by the new cabinet.",
                "EV010"
            )),
            "NE11-taken-sense"
        );
        assert_eq!(
            id(reason(
                "Several phones captured video of the man on the stage.",
                "EV010"
            )),
            "NE12-seized-goods"
        );
        assert_eq!(
            reason("The hill was taken by the rebels after a day.", "EV010"),
            None
        );
    }

    #[test]
    fn running_totals_of_protests_and_captures() {
        assert_eq!(
            id(reason_word(
                "The region has seen many protests by farmers over the past two years.",
                "protests"
            )),
            "NE15-running-total"
        );
        assert_eq!(
            reason_word(
                "Farmers held protests in the capital on Friday.",
                "protests"
            ),
            None
        );
    }

    #[test]
    fn war_tolls() {
        assert_eq!(
            id(reason_word(
                "More than 900 people are thought to have been killed in the unrest.",
                "killed"
            )),
            "NE40-war-toll"
        );
        assert_eq!(
            id(reason_word(
                "Hundreds of thousands of villagers have been killed in the war.",
                "killed"
            )),
            "NE40-war-toll"
        );
        // one event with a precise toll
        assert_eq!(
            reason_word("Gunmen have killed 12 villagers in the valley.", "killed"),
            None
        );
    }

    #[test]
    fn campaign_counts() {
        assert_eq!(
            id(reason_word(
                "Since spring the navy has sailed 300 patrols and conducted over 140 air strikes on the coast.",
                "air"
            )),
            "NE48-campaign-count"
        );
        assert_eq!(
            id(reason_word(
                "The rebels have carried out more than 200 attacks on the highway.",
                "attacks"
            )),
            "NE48-campaign-count"
        );
        // one night's barrage
        assert_eq!(
            reason_word(
                "The army has launched 120 air strikes on the town overnight.",
                "air"
            ),
            None
        );
        assert_eq!(
            id(reason_word(
                "The alliance conducted 12,500 air strikes in the north.",
                "air"
            )),
            "NE48-campaign-count"
        );
        // a day's report in the past tense, and a small count, stay events
        assert_eq!(
            reason_word("Jets conducted 60 air strikes near the dam.", "air"),
            None
        );
        assert_eq!(
            reason_word("Jets have conducted 12 air strikes near the dam.", "air"),
            None
        );
    }

    #[test]
    fn diplomats_expelled_and_envoys_sent() {
        assert_eq!(
            id(reason(
                "Dozens of diplomats were expelled from the capital in the row.",
                "EV014"
            )),
            "NE33-diplomatic-expulsion"
        );
        assert_eq!(
            reason(
                "Hundreds of families were expelled from the village.",
                "EV014"
            ),
            None
        );
        assert_eq!(
            id(reason_word(
                "The president dispatched a delegation to the border town.",
                "dispatched"
            )),
            "NE39-envoys-sent"
        );
        assert_eq!(
            reason_word(
                "The army dispatched tanks to the border town.",
                "dispatched"
            ),
            None
        );
    }

    #[test]
    fn tours_of_duty() {
        assert_eq!(
            id(reason_word(
                "The sergeant was on his second deployment abroad.",
                "deployment"
            )),
            "NE35-tour-of-duty"
        );
        assert_eq!(
            reason_word(
                "The deployment of troops to the border began.",
                "deployment"
            ),
            None
        );
    }

    #[test]
    fn displays_weather_figures_and_idioms() {
        assert_eq!(
            id(reason_word(
                "The parade was a demonstration of military power.",
                "demonstration"
            )),
            "NE36-display"
        );
        assert_eq!(
            id(reason_word(
                "Cold rain began to fall on the mourners.",
                "fall"
            )),
            "NE37-fall-sense"
        );
        assert_eq!(
            id(reason_word(
                "Turnout fell to 40 percent in the northern district.",
                "fell"
            )),
            "NE37-fall-sense"
        );
        assert_eq!(
            id(reason_word(
                "The police had gained the upper hand over the gangs.",
                "hand"
            )),
            "NE19-metaphor"
        );
    }

    #[test]
    fn mineral_mines_people_quitting_and_crowds_breaking_up() {
        assert_eq!(
            id(reason_word(
                "Workers at the gold mine went home early on Friday.",
                "mine"
            )),
            "NE41-mineral-mine"
        );
        assert_eq!(
            id(reason_word(
                "He had left the army two years before the trial.",
                "left"
            )),
            "NE42-left-job"
        );
        assert_eq!(
            id(reason_word(
                "After the speeches the crowd began to disperse.",
                "to"
            )),
            "NE43-dispersed-itself"
        );
    }

    #[test]
    fn evacuated_people_are_rescued() {
        assert_eq!(
            id(reason_word(
                "Rescuers evacuated women and children from the flooded quarter.",
                "evacuated"
            )),
            "NE49-evacuated-people"
        );
        assert_eq!(
            id(reason_word(
                "About 400 residents were evacuated as the fire spread.",
                "evacuated"
            )),
            "NE49-evacuated-people"
        );
        // fighters leaving a town give up ground
        assert_eq!(
            reason_word(
                "The deal evacuated rebels and their families from the old city.",
                "evacuated"
            ),
            None
        );
        assert_eq!(
            reason_word("The army evacuated the hilltop base at dawn.", "evacuated"),
            None
        );
    }

    #[test]
    fn animals_and_sudden_deaths() {
        assert_eq!(
            id(reason_word(
                "Thousands of goats and sheep were slaughtered at the fair.",
                "slaughtered"
            )),
            "NE38-animals"
        );
        assert_eq!(
            id(reason_word(
                "Police are looking into the sudden deaths of two hikers.",
                "deaths"
            )),
            "NE29-medical"
        );
    }

    #[test]
    fn charges_with_an_adverb_and_compound_nouns() {
        assert_eq!(
            id(reason_word(
                "He faces a charge of assault for allegedly attacking a neighbour.",
                "attacking"
            )),
            "NE13-legal"
        );
        assert_eq!(
            id(reason_word(
                "The militia's attack planners met in the town.",
                "attack"
            )),
            "NE25-modifier"
        );
        assert_eq!(
            id(reason_word(
                "Officers in riot gear lined the avenue before the march.",
                "riot"
            )),
            "NE25-modifier"
        );
    }

    #[test]
    fn acts_aimed_at_are_not_told() {
        assert_eq!(
            id(reason_word(
                "They urged the army to cease at once airstrikes on the town.",
                "airstrikes"
            )),
            "NE44-aim-object"
        );
        assert_eq!(
            id(reason_word(
                "All parties must commit to an end to the fighting.",
                "fighting"
            )),
            "NE44-aim-object"
        );
        assert_eq!(
            id(reason_word(
                "Crews trained in preparation for the offensive.",
                "offensive"
            )),
            "NE44-aim-object"
        );
        assert_eq!(
            reason_word("The offensive began at dawn on Monday.", "offensive"),
            None
        );
    }
}
