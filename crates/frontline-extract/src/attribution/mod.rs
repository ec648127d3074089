//! Attribution: who says each event happened.
//!
//! Reporting cues found in a sentence, with the speaker resolved to an actor or to a source
//! from the source table (`data/sources.toml`, extendable). Rule ids:
//! - `AT10-x-said`: "X said (that) ...", "X told Y ...", "X reported", "X claimed".
//! - `AT11-said-x`: "..., said X" / "..., X said".
//! - `AT20-according-to`: "according to X".
//! - `AT30-map-showed`: "a map by X showed", "footage from X showed".
//! - `AT12-reported-by`: "the development reported by X".
//! - `AT40-statement`: "X said in a statement / an e-mail to Y" (the cue keeps "said").
//!
//! Quoted passages (straight double quotes after cleaning) are kept as spans on the
//! attribution of the sentence they are in.

use rustc_hash::FxHashMap as HashMap;

use frontline_model::{ActorRef, SourceKind};
use frontline_text::Span;
use serde::Deserialize;

use crate::actors::ActorFound;
use crate::lex::{Tok, Tokens};
use crate::phrase::PhraseIndex;

const SOURCES_TOML: &str = include_str!("../../data/sources.toml");

/// Errors loading the source table.
#[derive(Debug, thiserror::Error)]
#[error("source table {name}: {error}")]
pub struct SourceDataError {
    /// File name.
    pub name: String,
    /// Parser error.
    pub error: toml::de::Error,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SourceFile {
    #[serde(default)]
    source: Vec<SourceRow>,
    #[serde(default)]
    generic: Vec<GenericRow>,
}

#[derive(Debug, Deserialize, Clone)]
struct SourceRow {
    name: String,
    kind: SourceKind,
    #[serde(default)]
    affiliation: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
struct GenericRow {
    kind: SourceKind,
    words: Vec<String>,
}

/// A source known to the source table.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownSource {
    /// Canonical name.
    pub name: String,
    /// What kind of source it is.
    pub kind: SourceKind,
    /// Actor code it belongs to or speaks for.
    pub affiliation: Option<String>,
}

/// The source table. Build once, share.
#[derive(Debug, Clone)]
pub struct SourceTable {
    sources: Vec<SourceRow>,
    names: PhraseIndex<usize>,
    acronyms: PhraseIndex<usize>,
    generic: HashMap<String, SourceKind>,
}

/// A reporting cue found in a sentence, with its speaker.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributionFound {
    /// The speaker as written.
    pub speaker: String,
    /// Where the speaker is named.
    pub span: Span,
    /// The cue ("said", "according to", "told", "reported", "showed").
    pub cue: String,
    /// Token index of the cue.
    pub cue_tok: usize,
    /// The speaker resolved to an actor.
    pub actor: Option<ActorRef>,
    /// The speaker resolved to a known source.
    pub source: Option<KnownSource>,
    /// Kind of source.
    pub kind: SourceKind,
    /// Rule id.
    pub rule: &'static str,
    /// Token range of the reported content (events whose trigger lies in it are attributed).
    pub content: (usize, usize),
    /// Quotes in the sentence.
    pub quotes: Vec<Span>,
}

const SAY_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "reported",
    "reports",
    "claimed",
    "claims",
    "stated",
    "announced",
    "announces",
    "added",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "insisted",
    "wrote",
    "tweeted",
    "posted",
    "showed",
    "shows",
    "noted",
    "explained",
    "acknowledged",
    "alleged",
    "quoted",
    "cited",
];

/// [`SAY_VERBS`] as a set (tested at every token): whether `w` (lower-case) is a reporting verb.
pub fn is_say_verb(w: &str) -> bool {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| SAY_VERBS.iter().copied().collect())
        .contains(w)
}

const SPEAKER_STOP: &[&str] = &[
    ".", ";", "\"", "that", "and", "but", "which", "who", "after", "as", "while", "when",
    "because", "if", "whether",
];

impl SourceTable {
    /// The embedded table.
    pub fn embedded() -> Result<Self, SourceDataError> {
        Self::with_extra(&[])
    }

    /// The embedded table plus extra files `(name, contents)` with the same layout.
    pub fn with_extra(extra: &[(String, String)]) -> Result<Self, SourceDataError> {
        let mut files: Vec<(String, &str)> = vec![("sources.toml".into(), SOURCES_TOML)];
        files.extend(extra.iter().map(|(n, s)| (n.clone(), s.as_str())));
        let mut sources = Vec::new();
        let mut generic = HashMap::default();
        for (name, src) in files {
            let f: SourceFile = toml::from_str(src).map_err(|e| SourceDataError {
                name: name.clone(),
                error: e,
            })?;
            sources.extend(f.source);
            for g in f.generic {
                for w in g.words {
                    generic.insert(w.to_ascii_lowercase(), g.kind);
                }
            }
        }
        let mut names = PhraseIndex::new(false);
        let mut acronyms = PhraseIndex::new(true);
        for (i, s) in sources.iter().enumerate() {
            for a in std::iter::once(&s.name).chain(&s.aliases) {
                if a.len() <= 5 && a.chars().all(|c| c.is_uppercase() || c == '.') {
                    acronyms.insert(a, i);
                } else {
                    names.insert(a, i);
                }
            }
        }
        Ok(Self {
            sources,
            names,
            acronyms,
            generic,
        })
    }

    fn known_in(&self, t: &Tokens<'_>, a: usize, b: usize) -> Option<(Span, KnownSource)> {
        for i in a..b {
            let hit = self
                .names
                .longest_at(t, i)
                .or_else(|| self.acronyms.longest_at(t, i));
            if let Some((end, idx)) = hit
                && end <= b
                && let Some(s) = self.sources.get(*idx)
            {
                return Some((
                    t.span(i, end),
                    KnownSource {
                        name: s.name.clone(),
                        kind: s.kind,
                        affiliation: s.affiliation.clone(),
                    },
                ));
            }
        }
        None
    }

    fn generic_kind(&self, t: &Tokens<'_>, a: usize, b: usize) -> Option<SourceKind> {
        (a..b)
            .rev()
            .find_map(|i| self.generic.get(t.low(i)).copied())
    }

    /// Finds the attributions in one sentence. `actors` are the sentence's actors.
    pub fn find(&self, t: &Tokens<'_>, actors: &[ActorFound]) -> Vec<AttributionFound> {
        let quotes = quote_spans(t);
        let n = t.len();
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let w = t.low(i);
            // according to X
            if w == "according" && t.low(i + 1) == "to" {
                let a = i + 2;
                let b = speaker_end(t, a);
                if b > a {
                    let content = if i == 0 { (b, n) } else { (0, i) };
                    out.push(self.make(
                        t,
                        actors,
                        a,
                        b,
                        i,
                        "according to",
                        "AT20-according-to",
                        content,
                        &quotes,
                    ));
                }
                i += 2;
                continue;
            }
            if is_say_verb(w) {
                // a map by X showed / footage from X showed
                let rule_map = w == "showed" || w == "shows";
                // X said ...: speaker to the left
                let mut a = speaker_start(t, i);
                let mut head_end = i;
                let mut preceded_by_punct =
                    i > 0 && (t.is_punct(i - 1, ',') || t.is_punct(i - 1, '"'));
                // "X, a war monitor, said ...": an apposition before the cue
                if i > 1 && t.is_punct(i - 1, ',') {
                    if let Some(c1) = (0..i - 1)
                        .rev()
                        .find(|&k| t.is_punct(k, ',') || t.is_punct(k, '"'))
                    {
                        let opens =
                            matches!(t.low(c1 + 1), "a" | "an" | "the" | "its" | "his" | "her")
                                && t.is_punct(c1, ',');
                        let head_start = speaker_start(t, c1);
                        if opens && head_start < c1 {
                            a = head_start;
                            head_end = c1;
                            preceded_by_punct = false;
                        }
                    }
                }
                // "the development reported by X": the speaker follows "by"
                if matches!(
                    w,
                    "reported" | "claimed" | "announced" | "confirmed" | "cited"
                ) && t.low(i + 1) == "by"
                {
                    let b = speaker_end(t, i + 2);
                    if b > i + 2 {
                        out.push(self.make(
                            t,
                            actors,
                            i + 2,
                            b,
                            i,
                            w,
                            "AT12-reported-by",
                            (0, n),
                            &quotes,
                        ));
                        i = b;
                        continue;
                    }
                }
                // "..., the Observatory said." / "..., X said on Sunday.": a post-posed
                // speaker; the reported content is before the comma
                let last_comma = (0..i)
                    .rev()
                    .find(|&k| t.is_punct(k, ',') || t.is_punct(k, '"'));
                if !preceded_by_punct
                    && head_end == i
                    && let Some(c) = last_comma
                    && c + 1 < i
                    && n - i <= 10
                    && c > 0
                {
                    let cue = w;
                    out.push(self.make(
                        t,
                        actors,
                        c + 1,
                        i,
                        i,
                        cue,
                        "AT11-said-x",
                        (0, c),
                        &quotes,
                    ));
                    i += 1;
                    continue;
                }
                if a < head_end && !preceded_by_punct {
                    let (sa, sb) = if rule_map {
                        // "a map of the X showed": prefer the part after by/of/from
                        match (a..i).find(|&k| matches!(t.low(k), "by" | "of" | "from")) {
                            Some(k) => (k + 1, head_end),
                            None => (a, head_end),
                        }
                    } else {
                        (a, head_end)
                    };
                    let cue = if rule_map { "showed" } else { w };
                    let rule = if rule_map {
                        "AT30-map-showed"
                    } else if t.low(i + 1) == "in" && matches!(t.low(i + 2), "a" | "an") {
                        "AT40-statement"
                    } else {
                        "AT10-x-said"
                    };
                    out.push(self.make(t, actors, sa, sb, i, cue, rule, (i + 1, n), &quotes));
                } else {
                    // ..., said X  /  "...," X said (speaker after the cue)
                    let a = i + 1;
                    let b = speaker_end(t, a);
                    if b > a && preceded_by_punct {
                        out.push(self.make(t, actors, a, b, i, w, "AT11-said-x", (0, i), &quotes));
                    }
                }
            }
            i += 1;
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn make(
        &self,
        t: &Tokens<'_>,
        actors: &[ActorFound],
        a: usize,
        b: usize,
        cue_tok: usize,
        cue: &str,
        rule: &'static str,
        content: (usize, usize),
        quotes: &[Span],
    ) -> AttributionFound {
        let full = t.span(a, b);
        let known = self.known_in(t, a, b);
        let actor = actors
            .iter()
            .find(|f| f.tok_start >= a && f.tok_end <= b)
            .map(|f| f.actor.clone());
        let mut kind = match (&known, &actor) {
            (Some((_, k)), _) => k.kind,
            (None, Some(_)) => SourceKind::Party,
            (None, None) => SourceKind::Unknown,
        };
        if kind == SourceKind::Unknown || (known.is_none() && actor.is_some()) {
            if let Some(g) = self.generic_kind(t, a, b) {
                kind = g;
            }
        }
        let span = full;
        AttributionFound {
            speaker: t.text.get(span.range()).unwrap_or("").to_string(),
            span,
            cue: cue.to_string(),
            cue_tok,
            actor,
            source: known.map(|(_, k)| k),
            kind,
            rule,
            content,
            quotes: quotes.to_vec(),
        }
    }
}

/// Start of the speaker phrase ending just before token `i`.
fn speaker_start(t: &Tokens<'_>, i: usize) -> usize {
    let mut a = i;
    let mut commas = 0;
    while a > 0 {
        let w = t.low(a - 1);
        if SPEAKER_STOP.contains(&w) || i - a >= 14 {
            break;
        }
        if w == "," {
            // apposition: "The Observatory, a monitoring group, said"
            commas += 1;
            if commas > 2 {
                break;
            }
        }
        a -= 1;
    }
    // trim leading commas
    while a < i && t.is_punct(a, ',') {
        a += 1;
    }
    // an apposition ending at the cue: keep the head before it ("X, the ..., said")
    a
}

/// End of a speaker phrase starting at token `a`.
fn speaker_end(t: &Tokens<'_>, a: usize) -> usize {
    let mut b = a;
    while b < t.len() {
        let w = t.low(b);
        let stop_word = matches!(
            w,
            "on" | "came"
                | "was"
                | "were"
                | "is"
                | "are"
                | "has"
                | "had"
                | "have"
                | "will"
                | "monday"
                | "tuesday"
                | "wednesday"
                | "thursday"
                | "friday"
                | "saturday"
                | "sunday"
                | "yesterday"
                | "today"
                | "late"
                | "early"
                | "last"
        );
        if SPEAKER_STOP.contains(&w) || w == "," || b - a >= 12 || (stop_word && b > a) {
            break;
        }
        if t.toks.get(b).is_some_and(|k| k.kind == Tok::Punct) && w != "-" && w != "'" {
            break;
        }
        b += 1;
    }
    b
}

/// Spans of quoted passages (between straight double quotes) in the sentence.
fn quote_spans(t: &Tokens<'_>) -> Vec<Span> {
    let marks: Vec<usize> = (0..t.len()).filter(|&i| t.is_punct(i, '"')).collect();
    marks
        .chunks(2)
        .filter_map(|c| match c {
            [a, b] if b > a => Some(t.span(*a + 1, *b)),
            _ => None,
        })
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::ActorDictionary;
    use crate::lex::tokenize;

    fn attr(s: &str) -> Vec<AttributionFound> {
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        let d = ActorDictionary::embedded().unwrap();
        let actors = d.find(&t);
        SourceTable::embedded().unwrap().find(&t, &actors)
    }

    #[test]
    fn x_said_with_known_monitor() {
        let a = attr(
            "The Syrian Observatory for Human Rights, a war monitor, said rebels shelled the town.",
        );
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].kind, SourceKind::Monitor, "{a:?}");
        assert_eq!(
            a[0].source.as_ref().unwrap().name,
            "Syrian Observatory for Human Rights"
        );
        assert_eq!(a[0].cue, "said");
    }

    #[test]
    fn said_x_and_according_to() {
        let a = attr("Rebels shelled the town, said a local official.");
        assert_eq!(a[0].speaker, "a local official");
        assert_eq!(a[0].rule, "AT11-said-x");
        let b = attr("According to Reuters, the army withdrew.");
        assert_eq!(b[0].kind, SourceKind::Wire);
        assert!(b[0].content.0 > 0);
    }

    #[test]
    fn party_speakers_and_quotes() {
        let a = attr("\"We took the hill,\" Iraqi army officers told the Associated Press.");
        assert_eq!(a[0].actor.as_ref().unwrap().code, "IRQMIL");
        assert_eq!(a[0].kind, SourceKind::Party);
        assert_eq!(a[0].quotes.len(), 1);
    }

    #[test]
    fn map_showed() {
        let a = attr("A map by the central military media showed troops at the border.");
        assert_eq!(a[0].rule, "AT30-map-showed");
        assert_eq!(a[0].source.as_ref().unwrap().name, "Central Military Media");
    }

    #[test]
    fn extendable() {
        let extra = r#"source = [{ name = "Frontier Radio", kind = "media", aliases = ["Frontier Radio"] }]"#;
        let t = SourceTable::with_extra(&[("x.toml".into(), extra.into())]).unwrap();
        let s = "Frontier Radio reported clashes.";
        let lower = s.to_ascii_lowercase();
        let toks = tokenize(s, &lower, Span::new(0, s.len()));
        assert_eq!(t.find(&toks, &[])[0].kind, SourceKind::Media);
    }
}
