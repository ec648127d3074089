//! The trigger lexicon (`data/events/triggers.toml`) and trigger finding.

use rustc_hash::FxHashMap as HashMap;

use frontline_model::PloverType;
use serde::Deserialize;

use crate::lex::{Tok, Tokens};
use crate::phrase::PhraseIndex;

const TRIGGERS_TOML: &str = include_str!("../../data/events/triggers.toml");

/// One trigger rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerRule {
    /// Stable rule id.
    pub rule: String,
    /// PLOVER type name.
    #[serde(rename = "type")]
    pub plover: String,
    /// PLOVER mode.
    #[serde(default)]
    pub mode: Option<String>,
    /// Key into the ACLED mapping.
    pub acled: String,
    /// CAMEO root code.
    pub cameo: String,
    /// Verb forms.
    #[serde(default)]
    pub verbs: Vec<String>,
    /// Noun forms.
    #[serde(default)]
    pub nouns: Vec<String>,
    /// Extra passive participles.
    #[serde(default)]
    pub participles: Vec<String>,
    /// Fills the territorial change.
    #[serde(default)]
    pub territory: bool,
    /// Both sides are sources.
    #[serde(default)]
    pub symmetric: bool,
    /// Only when no stronger event of the same type is in the sentence.
    #[serde(default)]
    pub weak: bool,
    /// Allowed next words for some forms.
    #[serde(default)]
    pub needs_after: HashMap<String, Vec<String>>,
    /// Words one of which must be what the act is done to (`EV174`: the weapon disrupted):
    /// the head of the noun phrase after the form, or before it when the form is a passive
    /// ("two drones were intercepted"). Other rules' noun hits on that word are dropped:
    /// the weapon defused was not used.
    #[serde(default)]
    pub needs_object: Vec<String>,
    /// Parsed PLOVER type.
    #[serde(skip)]
    pub plover_type: Option<PloverType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerFile {
    #[serde(default)]
    trigger: Vec<TriggerRule>,
}

/// How a trigger form was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A verb form.
    Verb,
    /// A noun form.
    Noun,
}

/// A trigger occurrence in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerHit {
    /// Index of the rule.
    pub rule: usize,
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Verb or noun use.
    pub form: Form,
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// The rules.
    pub rules: Vec<TriggerRule>,
    verbs: PhraseIndex<usize>,
    nouns: PhraseIndex<usize>,
}

/// Errors loading the lexicon.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// Bad TOML.
    #[error("trigger lexicon {name}: {error}")]
    Parse {
        /// File.
        name: String,
        /// Parser error.
        error: toml::de::Error,
    },
    /// Unknown PLOVER type.
    #[error("trigger lexicon {name}: rule {rule}: unknown PLOVER type {plover:?}")]
    UnknownType {
        /// File.
        name: String,
        /// Rule id.
        rule: String,
        /// The type given.
        plover: String,
    },
}

const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "this",
    "that",
    "these",
    "those",
    "our",
    "new",
    "fresh",
    "heavy",
    "deadly",
    "fierce",
    "major",
    "latest",
    "renewed",
    "further",
    "joint",
    "'s",
    "'",
    "overnight",
    "weekend",
    "two-day",
    "several",
    "no",
    "any",
    "first",
];

impl Lexicon {
    /// The embedded lexicon plus extra files.
    pub fn with_extra(extra: &[(String, String)]) -> Result<Self, LexiconError> {
        let mut files: Vec<(String, &str)> = vec![("triggers.toml".into(), TRIGGERS_TOML)];
        files.extend(extra.iter().map(|(n, s)| (n.clone(), s.as_str())));
        let mut rules = Vec::new();
        for (name, src) in files {
            let f: TriggerFile = toml::from_str(src).map_err(|e| LexiconError::Parse {
                name: name.clone(),
                error: e,
            })?;
            for mut r in f.trigger {
                r.plover_type = PloverType::parse(&r.plover);
                if r.plover_type.is_none() {
                    return Err(LexiconError::UnknownType {
                        name,
                        rule: r.rule,
                        plover: r.plover,
                    });
                }
                rules.push(r);
            }
        }
        let mut verbs = PhraseIndex::new(false);
        let mut nouns = PhraseIndex::new(false);
        for (i, r) in rules.iter().enumerate() {
            for v in r.verbs.iter().chain(&r.participles) {
                verbs.insert(v, i);
            }
            for n in &r.nouns {
                nouns.insert(n, i);
            }
        }
        Ok(Self {
            rules,
            verbs,
            nouns,
        })
    }

    /// Whether the form ending at `end` may be a passive participle.
    pub fn is_participle(&self, rule: usize, t: &Tokens<'_>, start: usize, end: usize) -> bool {
        let last = t.low(end.saturating_sub(1));
        let first = t.low(start);
        let irregular = [
            "taken", "overrun", "retaken", "shot", "hit", "struck", "held", "seen", "caught",
            "fought", "met", "freed", "beaten", "left", "sent", "cut", "put", "set", "built",
        ];
        first.ends_with("ed")
            || first.ends_with("en")
            || irregular.contains(&first)
            || last.ends_with("ed")
            || self.rules.get(rule).is_some_and(|r| {
                r.participles.iter().any(|p| {
                    p.eq_ignore_ascii_case(t.text.get(t.span(start, end).range()).unwrap_or(""))
                })
            })
    }

    /// All trigger occurrences in the sentence, left to right, longest first, not overlapping.
    pub fn find(&self, t: &Tokens<'_>) -> Vec<TriggerHit> {
        let mut out = Vec::new();
        // the objects of `needs_object` rules: the weapon disrupted is not an event of its own
        let mut objects: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < t.len() {
            if t.toks.get(i).is_some_and(|k| k.kind != Tok::Word) {
                i += 1;
                continue;
            }
            let v = self.verbs.longest_at(t, i);
            let n = self.nouns.longest_at(t, i);
            let prev = if i == 0 { "" } else { t.low(i - 1) };
            let next_after = |end: usize| t.low(end);
            let noun_context = |end: usize| {
                DETERMINERS.contains(&prev)
                    || matches!(
                        next_after(end),
                        "of" | "on" | "against" | "between" | "by" | "in" | "at" | "near"
                    )
                    || t.toks
                        .get(i.wrapping_sub(1))
                        .is_some_and(|k| k.kind == Tok::Number)
                    || (i > 0 && t.is_cap(i - 1) && !t.is_cap(i))
            };
            let pick = match (v, n) {
                (Some((ve, vr)), Some((ne, nr))) => {
                    if ne > ve || (ne == ve && noun_context(ne)) {
                        Some((ne, *nr, Form::Noun))
                    } else {
                        Some((ve, *vr, Form::Verb))
                    }
                }
                (Some((ve, vr)), None) => Some((ve, *vr, Form::Verb)),
                (None, Some((ne, nr))) => Some((ne, *nr, Form::Noun)),
                (None, None) => None,
            };
            match pick {
                Some((end, rule, form)) => {
                    let object = self
                        .rules
                        .get(rule)
                        .filter(|r| !r.needs_object.is_empty())
                        .map(|r| object_of(t, i, end, &r.needs_object));
                    let ok = object.is_none_or(|o| o.is_some())
                        && self.rules.get(rule).is_some_and(|r| {
                            // The lowercased text has the same offsets as the text.
                            let key = t.lower.get(t.span(i, end).range()).unwrap_or("");
                            match r.needs_after.get(key) {
                                Some(allowed) => {
                                    allowed.iter().any(|a| a == t.low(end)) || t.is_cap(end)
                                }
                                None => true,
                            }
                        });
                    // "to" + verb is an infinitive: still an event (modality decides), but a
                    // noun form right after "to" is a verb misread ("to attack")
                    let form = if form == Form::Noun && prev == "to" {
                        Form::Verb
                    } else {
                        form
                    };
                    if let Some(Some(o)) = object
                        && ok
                    {
                        // "a landmine was found and defused": one act on one weapon, told by
                        // the last verb
                        if let Some(pos) = objects.iter().position(|&x| x == o)
                            && let Some(prev) = out.iter().rposition(|h: &TriggerHit| {
                                self.rules
                                    .get(h.rule)
                                    .is_some_and(|r| !r.needs_object.is_empty())
                            })
                        {
                            out.remove(prev);
                            objects.remove(pos);
                        }
                        objects.push(o);
                        // its abbreviation in brackets: "an explosive device (IED)"
                        if t.low(o + 1) == "(" {
                            objects.extend(
                                (o + 2..(o + 5).min(t.len())).take_while(|&k| t.low(k) != ")"),
                            );
                        }
                        // "intercepted and destroyed 40 drones": one act, the second verb too
                        if o > end + 1 && matches!(t.low(end), "and" | "or") {
                            objects.push(end + 1);
                        }
                    }
                    if ok {
                        out.push(TriggerHit {
                            rule,
                            start: i,
                            end,
                            form,
                        });
                        i = end;
                    } else {
                        i += 1;
                    }
                }
                None => i += 1,
            }
        }
        out.retain(|x| !objects.iter().any(|&o| x.start <= o && o < x.end));
        out
    }
}

/// Words that end an object's noun phrase search: what carries a weapon is seized, not
/// disrupted ("intercepted a truck laden with explosives", "a shipment of missiles").
const OBJECT_STOP: &[&str] = &[
    "of",
    "with",
    "carrying",
    "laden",
    "loaded",
    "packed",
    "containing",
    "and",
    "but",
    "that",
    "which",
    "who",
];

/// Words after a weapon noun that make it a modifier, not the thing disrupted ("a
/// bomb-making cell", "rocket launchers", "a drone factory").
const MODIFIED: &[&str] = &[
    "-",
    "making",
    "maker",
    "makers",
    "factory",
    "factories",
    "network",
    "networks",
    "cell",
    "cells",
    "workshop",
    "workshops",
    "launcher",
    "launchers",
    "site",
    "sites",
    "lab",
    "laboratory",
    "plant",
    "production",
    "program",
    "programme",
    "cache",
    "caches",
    "depot",
    "depots",
    "unit",
    "units",
    "operator",
    "operators",
    "pilot",
    "pilots",
];

/// Auxiliaries of a passive ("was intercepted", "had been defused").
const PASSIVE_AUX: &[&str] = &["was", "were", "been", "being", "is", "are", "be", "got"];

/// The token of the object `needs_object` names for the form `start..end` (`EV174`): one of
/// `words` heading the noun phrase within six words after it, or, for a passive, within eight
/// words before its auxiliary, with no clause break between.
fn object_of(t: &Tokens<'_>, start: usize, end: usize, words: &[String]) -> Option<usize> {
    let is_word = |k: usize| words.iter().any(|w| w == t.low(k));
    let head = |k: usize| k + 1 >= t.len() || !MODIFIED.contains(&t.low(k + 1));
    let brk = |k: usize| {
        t.toks
            .get(k)
            .is_some_and(|x| x.kind != Tok::Word && x.kind != Tok::Number)
    };
    // a second verb sharing the object: "intercepted and destroyed 40 drones"
    let from = if matches!(t.low(end), "and" | "or") {
        end + 2
    } else {
        end
    };
    // "found the bomb had been hidden in a car": a noun followed by an auxiliary is the subject
    // of the clause the verb reports, not its object
    let clause_subject = |k: usize| {
        k + 1 < t.len()
            && matches!(
                t.low(k + 1),
                "had"
                    | "has"
                    | "have"
                    | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "would"
                    | "went"
                    | "exploded"
            )
    };
    for k in from..(from + 6).min(t.len()) {
        if brk(k) || OBJECT_STOP.contains(&t.low(k)) {
            break;
        }
        // "found no explosives": no weapon, no act
        if t.low(k) == "no" {
            return None;
        }
        if is_word(k) && head(k) {
            return (!clause_subject(k)).then_some(k);
        }
    }
    // a passive: an auxiliary, perhaps an adverb, then the form
    let mut a = start;
    while a > 0 && t.low(a - 1).ends_with("ly") {
        a -= 1;
    }
    // "was found and defused": the auxiliary of the first participle
    if a >= 3 && matches!(t.low(a - 1), "and" | "or") {
        a -= 2;
    }
    if a == 0 || !PASSIVE_AUX.contains(&t.low(a - 1)) {
        return None;
    }
    let mut k = a - 1;
    let lo = (a - 1).saturating_sub(8);
    while k > lo {
        k -= 1;
        // "an improvised explosive device (IED) was found": step over the abbreviation
        if t.low(k) == ")" {
            while k > lo && t.low(k) != "(" {
                k -= 1;
            }
            continue;
        }
        if brk(k) {
            break;
        }
        if is_word(k) && head(k) {
            return Some(k);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lex::tokenize;
    use frontline_text::Span;

    fn hits(s: &str) -> Vec<(String, String, Form)> {
        let lx = Lexicon::with_extra(&[]).unwrap();
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        lx.find(&t)
            .into_iter()
            .map(|h| {
                (
                    s[t.span(h.start, h.end).range()].to_string(),
                    lx.rules[h.rule].rule.clone(),
                    h.form,
                )
            })
            .collect()
    }

    #[test]
    fn every_plover_type_has_a_rule() {
        let lx = Lexicon::with_extra(&[]).unwrap();
        for t in PloverType::ALL {
            assert!(
                lx.rules.iter().any(|r| r.plover_type == Some(t)),
                "no rule for {t:?}"
            );
        }
        let mut ids: Vec<&str> = lx.rules.iter().map(|r| r.rule.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "rule ids must be unique");
    }

    #[test]
    fn multiword_and_noun_forms() {
        let h = hits("Rebels took control of the town after an air strike on the base.");
        assert_eq!(h[0].0, "took control of");
        assert_eq!(h[0].1, "EV010-capture-territory");
        assert_eq!(h[1].0, "air strike");
        assert_eq!(h[1].2, Form::Noun);
    }

    #[test]
    fn needs_object_wants_the_weapon_and_takes_its_noun() {
        let rules = |s: &str| hits(s).into_iter().map(|h| h.1).collect::<Vec<_>>();
        // the roadside bomb defused is not an explosion of its own
        let r = rules("Engineers defused a roadside bomb near the school.");
        assert_eq!(r.len(), 1, "{r:?}");
        let r = rules("Engineers defused an improvised explosive device (IED) on the road.");
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].starts_with("EV175"), "{r:?}");
        let r = rules("Gunners intercepted and destroyed nine rockets.");
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].starts_with("EV174"), "{r:?}");
        let r = rules("Three drones were shot down over the harbour.");
        assert!(r.iter().any(|x| x.starts_with("EV174")), "{r:?}");
        let r = rules("Two ballistic missiles were intercepted by air defences.");
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].starts_with("EV174"), "{r:?}");
        let r = rules("A landmine was found and defused near the well.");
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].starts_with("EV175"), "{r:?}");
        // EV176: a bomb found before it went off is a disrupted weapon, not a bombing
        let r = rules("An improvised explosive device (IED) was found near the school.");
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].starts_with("EV176"), "{r:?}");
        let r = rules("Soldiers found a roadside bomb under the bridge.");
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].starts_with("EV176"), "{r:?}");
        // none found, or the bomb that went off found out about: no such act
        assert!(
            !rules("Sappers found no explosives at the depot.")
                .iter()
                .any(|x| x.starts_with("EV176"))
        );
        assert!(
            !rules("Detectives found the bomb had been hidden in a van.")
                .iter()
                .any(|x| x.starts_with("EV176"))
        );
        // no weapon object: another sense
        assert!(rules("The senate shot down the bill.").is_empty());
        assert!(rules("Their emails were intercepted last year.").is_empty());
        assert!(rules("Police dismantled a drug network.").is_empty());
        // the weapon is a modifier or what carries it is seized
        assert!(rules("Troops dismantled a drone factory.").is_empty());
        assert!(
            !rules("Guards intercepted a truck carrying rockets.")
                .iter()
                .any(|x| x.starts_with("EV174"))
        );
        // only "lynched" is a lynching told: a lynch mob is a kind of crowd
        assert!(rules("A lynch mob gathered outside the jail.").is_empty());
        assert!(!rules("Two men were lynched in the square.").is_empty());
        // beaten to death needs "death"
        assert!(rules("The champion beat the challenger easily.").is_empty());
        assert!(
            rules("They beat the two suspects to death.")
                .iter()
                .any(|x| x.starts_with("EV167"))
        );
    }

    #[test]
    fn needs_after_filters_common_verbs() {
        assert!(
            hits("The rebels left the town.")
                .iter()
                .any(|h| h.0 == "left")
        );
        assert!(
            !hits("Two people were left homeless.")
                .iter()
                .any(|h| h.0 == "left")
        );
    }

    #[test]
    fn move_and_mass_need_forces_or_a_direction() {
        // a decision ("backed the president's move", "a move to ban") and a liturgy or a
        // modifier ("a requiem Mass for", "mass murder") are no troop movements
        for s in [
            "Three governors backed the president's move.",
            "Critics attacked his move to ban the notes.",
            "A requiem Mass for the officer was held.",
            "These acts of mass murder shocked the city.",
        ] {
            assert!(
                !hits(s).iter().any(|h| h.0 == "move" || h.0 == "mass"),
                "{s}"
            );
        }
        assert!(
            hits("The deal lets the militias move within the province.")
                .iter()
                .any(|h| h.0 == "move")
        );
        assert!(
            hits("The rebels move troops toward the city.")
                .iter()
                .any(|h| h.0 == "move")
        );
        assert!(
            hits("Both armies mass forces along the border.")
                .iter()
                .any(|h| h.0 == "mass")
        );
    }

    #[test]
    fn noun_or_verb_by_context() {
        let h = hits("the capture of the town");
        assert_eq!(h[0].2, Form::Noun);
        let h = hits("troops capture the town");
        assert_eq!(h[0].2, Form::Verb);
    }
}
