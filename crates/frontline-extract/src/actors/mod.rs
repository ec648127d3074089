//! The actor dictionary and actor mention finding.
//!
//! The dictionary lives in TOML data files embedded in the binary
//! (`data/actors/{countries,agents,organizations}.toml`) and can be extended at run time with
//! more files of the same layout. Actor codes follow the CAMEO style: a country prefix (ISO3)
//! plus a sector (`SYR` + `MIL` = `SYRMIL`), or a named organisation's own code
//! (`IMGMUSISI` for the Islamic State).
//!
//! Noun phrases recognised (rule ids in brackets, shown by `frontline explain`):
//! - `AC01-org`: a named organisation or one of its aliases ("Daesh", "Ansar Allah").
//! - `AC02-country-agent`: demonym(s) or country + modifiers + agent word ("Syrian and Iraqi
//!   soldiers", "Iraqi security forces", "Syria's army").
//! - `AC03-pro-affiliated`: "pro-X forces" = a militia affiliated with X.
//! - `AC04-capital-metonym`: a capital standing for its government ("Baghdad's desire").
//! - `AC05-bare-agent`: an agent word alone ("rebels", "allied militias").
//! - `AC06-country-state`: a bare country name used as an actor (not after "in", "near"...).
//! - `AC07-post-country`: "representatives of ... in Iraq", "officials from Syria".
//! - `AC08-affiliation`: "backed by / sponsored by / allied with X" adds X to affiliations.
//! - `AC09-allied-coordination`: "X troops and allied militias": the militias are tied to X.
//! - `AC14-modifier-agent`: a word that is both an agent and a modifier ("military", "army")
//!   before another agent word makes one phrase with it, of its own sector: "Syrian military
//!   forces" is one actor, Syria's military, not "military" and then bare "forces"; a
//!   military modifier decides the sector ("military officials" are the military's), any
//!   other leaves it to the head ("government army" is the army, "state news agency" media).
//! - `AC15-possessive-title`: "Taiwan's vice foreign minister": one or two describing words
//!   between a country's possessive and the agent word.
//! - `AC16-demonym-people`: a plural demonym as a noun ("Palestinians protested") is the
//!   country's civilians (not "ethnic Albanians", "Bosnian Serbs").
//! - `AC17-org-compound-title`: "an ISIL gang leader": one describing noun between an
//!   organisation and an agent word; the phrase is the organisation's.
//! - `AC19-region-of-country`: "in northwest Syria", "across eastern Ukraine": a country
//!   after a direction word after a place preposition is a place.
//! - `AC20-name-not-split`: a country's or capital's name read as a place is passed over whole
//!   ("in DR Congo" holds no actor "Congo").
//! - `AC21-led-coalition`: "US-led forces", "a Saudi-led airstrike": the coalition the country
//!   leads.
//! - `AC18-shared-name-populous`: a name or demonym two countries share ("American",
//!   "Dutch") is the curated country's, else the most populous one's.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use frontline_model::{ActorRef, ActorType};
use frontline_text::Span;
use serde::Deserialize;

use crate::lex::{Tok, Tokens};
use crate::phrase::PhraseIndex;

const COUNTRIES_TOML: &str = include_str!("../../data/actors/countries.toml");
const AGENTS_TOML: &str = include_str!("../../data/actors/agents.toml");
const ORGS_TOML: &str = include_str!("../../data/actors/organizations.toml");

/// Errors loading actor data.
#[derive(Debug, thiserror::Error)]
pub enum ActorDataError {
    /// A TOML file could not be parsed.
    #[error("actor data {name}: {error}")]
    Parse {
        /// File name.
        name: String,
        /// The parser's error.
        error: toml::de::Error,
    },
    /// A value is not allowed.
    #[error("actor data {name}: {message}")]
    Invalid {
        /// File name.
        name: String,
        /// What is wrong.
        message: String,
    },
}

/// One actor data file: any of the sections may be present.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DataFile {
    #[serde(default)]
    country: Vec<CountryRow>,
    #[serde(default)]
    agent: Vec<AgentRow>,
    #[serde(default)]
    modifiers: Vec<String>,
    #[serde(default)]
    allied: Vec<String>,
    #[serde(default)]
    org: Vec<OrgRow>,
}

#[derive(Debug, Deserialize, Clone)]
struct CountryRow {
    iso3: String,
    #[serde(default)]
    iso2: String,
    /// The gazetteer's population (0 for a data file's row): who keeps a shared name.
    #[serde(skip)]
    population: u64,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
    #[serde(default)]
    capitals: Vec<String>,
}

#[derive(Debug, Default)]
struct AgentFile {
    agent: Vec<AgentRow>,
    modifiers: Vec<String>,
    allied: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
struct AgentRow {
    code: String,
    #[serde(rename = "type")]
    actor_type: ActorType,
    name: String,
    words: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
struct OrgRow {
    id: String,
    name: String,
    code: String,
    #[serde(rename = "type")]
    actor_type: ActorType,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    affiliations: Vec<String>,
}

/// A country as the actor dictionary knows it.
#[derive(Debug, Clone)]
pub struct CountryInfo {
    /// ISO 3166-1 alpha-3.
    pub iso3: String,
    /// ISO 3166-1 alpha-2.
    pub iso2: String,
    /// Common English name.
    pub name: String,
    /// Main demonym, used to name actors ("Syrian military").
    pub demonym: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Country(u16),
    Demonym(u16),
    Capital(u16),
    Org(u16),
}

/// The actor dictionary: countries, agent words, organisations. Build once, share freely.
#[derive(Debug, Clone)]
pub struct ActorDictionary {
    countries: Vec<CountryInfo>,
    by_iso3: HashMap<String, u16>,
    agents: Vec<AgentRow>,
    orgs: Vec<OrgRow>,
    names: PhraseIndex<Entry>,
    acronyms: PhraseIndex<Entry>,
    agent_words: PhraseIndex<u16>,
    modifiers: HashSet<String>,
    allied: HashSet<String>,
}

/// An actor found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorFound {
    /// Where it is.
    pub span: Span,
    /// First token index (in the sentence's [`Tokens`]).
    pub tok_start: usize,
    /// One past the last token index.
    pub tok_end: usize,
    /// The actor.
    pub actor: ActorRef,
    /// Rule ids that built it.
    pub rules: Vec<&'static str>,
    /// Whether it is a bare country name (a state; also a place).
    pub bare_country: bool,
}

/// `AC12-coalition-by-document`: in a document that names the Saudi-led coalition ("the
/// Saudi-led coalition", "the Arab coalition"), a bare "coalition" is that coalition, not the
/// US-led one that the bare word names by default.
pub fn coalition_by_document(sentences: &[Tokens<'_>], actors: &mut [Vec<ActorFound>]) {
    const SAUDI: &str = "IMGSAUCOA";
    const US: &str = "IMGUSACOA";
    let Some(saudi) = actors
        .iter()
        .flatten()
        .find(|a| a.actor.code == SAUDI)
        .map(|a| a.actor.clone())
    else {
        return;
    };
    for (t, list) in sentences.iter().zip(actors.iter_mut()) {
        for a in list.iter_mut() {
            let bare = a.tok_end == a.tok_start + 1
                && matches!(t.low(a.tok_start), "coalition" | "coalition's");
            if bare && a.actor.code == US {
                a.actor = saudi.clone();
                a.rules.push("AC12-coalition-by-document");
            }
        }
    }
}

/// `AC11-coalition-qualified`: a bare "coalition" qualified as another kind ("the opposition
/// coalition", "the ruling coalition", "an electoral coalition") is not the US-led coalition
/// that the bare word names in war reports.
fn qualified_coalition(t: &Tokens<'_>, i: usize, end: usize) -> bool {
    end == i + 1
        && matches!(t.low(i), "coalition" | "coalitions")
        && i >= 1
        && matches!(
            t.low(i - 1),
            "opposition"
                | "ruling"
                | "governing"
                | "government"
                | "electoral"
                | "political"
                | "parliamentary"
                | "party"
                | "rebel"
                | "tribal"
                | "civic"
                | "broad"
                | "centrist"
                | "leftist"
                | "conservative"
        )
}

/// Words before which a bare country name is a place, not an actor.
const PLACE_PREPS: &[&str] = &[
    "in",
    "at",
    "near",
    "inside",
    "across",
    "into",
    "throughout",
    "within",
    "of",
    "from",
    "to",
    "toward",
    "towards",
    "through",
    "around",
    "outside",
    "over",
    "on",
    "along",
    "via",
    "between",
    "and",
    "with",
];

/// `AC19-region-of-country`: a country after a word of direction or part that itself follows
/// a place preposition ("in northwest Syria", "across eastern Ukraine", "in central Mali") is
/// a place, as after the preposition alone.
fn region_of_country(t: &Tokens<'_>, i: usize) -> bool {
    let mut k = i;
    let mut steps = 0;
    while k > 0 && steps < 2 && is_direction(t.low(k - 1)) {
        k -= 1;
        steps += 1;
    }
    if steps == 0 || k == 0 {
        return false;
    }
    let p = t.low(k - 1);
    REGION_PREPS.contains(&p) || (p == "the" && k >= 2 && REGION_PREPS.contains(&t.low(k - 2)))
}

/// The prepositions of `AC19`: those that only say where. "at", "on", "into" and "toward"
/// also name what an attack aims at ("fired rockets at northern Israel": Israel is the
/// target), so a country after them and a direction word stays an actor.
const REGION_PREPS: &[&str] = &[
    "in",
    "near",
    "inside",
    "across",
    "throughout",
    "within",
    "of",
    "around",
    "outside",
    "along",
];

/// Words of direction or part that stand before a place name ("northwest", "eastern").
fn is_direction(w: &str) -> bool {
    let w = w.strip_suffix("ern").unwrap_or(w);
    matches!(
        w,
        "north"
            | "south"
            | "east"
            | "west"
            | "northwest"
            | "northeast"
            | "southwest"
            | "southeast"
            | "north-west"
            | "north-east"
            | "south-west"
            | "south-east"
            | "central"
            | "upper"
            | "lower"
            | "far"
            | "rural"
            | "coastal"
    )
}

/// Words that never describe the agent after a country's possessive (`AC15`).
const TITLE_STOP: &[&str] = &[
    "the", "and", "for", "from", "with", "has", "had", "have", "was", "were", "are", "will",
    "would", "can", "could", "may", "not", "but", "who", "which", "that", "this", "its", "their",
    "his", "her", "own", "war", "army", "attack", "support", "role", "fight", "campaign",
    // prepositions, conjunctions and adverbs join two phrases, never describe an agent
    // ("Tigrayan forces after government troops withdrew")
    "after", "before", "during", "over", "into", "onto", "near", "against", "since", "amid",
    "until", "while", "when", "where", "than", "then", "also", "just", "only", "about", "under",
    "upon", "across", "toward", "towards", "through", "between", "among", "within", "without",
    "outside", "inside", "around", "behind", "beyond", "along", "despite", "via", "now", "yet",
    "still", "once", "off", "out",
];

/// Verbs after a capital that make it a metonym for the government.
const METONYM_VERBS: &[&str] = &[
    "said",
    "says",
    "has",
    "have",
    "had",
    "will",
    "would",
    "wants",
    "accused",
    "denied",
    "rejected",
    "warned",
    "announced",
    "claimed",
    "agreed",
    "signed",
    "demanded",
    "condemned",
    "threatened",
    "insists",
    "insisted",
    "is",
    "was",
    "responded",
    "retaliated",
    "sent",
    "deployed",
];

impl ActorDictionary {
    /// The embedded dictionary.
    pub fn embedded() -> Result<Self, ActorDataError> {
        Self::with_extra(&[])
    }

    /// The embedded dictionary plus extra TOML files `(name, contents)`, each of which may
    /// hold `country`, `agent`, `modifiers`, `allied` and `org` entries.
    pub fn with_extra(extra: &[(String, String)]) -> Result<Self, ActorDataError> {
        let mut country_rows: Vec<CountryRow> = Vec::new();
        let mut agent_file = AgentFile::default();
        let mut org_rows: Vec<OrgRow> = Vec::new();
        let mut files: Vec<(String, &str)> = vec![
            ("countries.toml".into(), COUNTRIES_TOML),
            ("agents.toml".into(), AGENTS_TOML),
            ("organizations.toml".into(), ORGS_TOML),
        ];
        files.extend(extra.iter().map(|(n, s)| (n.clone(), s.as_str())));
        for (name, src) in &files {
            let f: DataFile = toml::from_str(src).map_err(|e| ActorDataError::Parse {
                name: name.clone(),
                error: e,
            })?;
            country_rows.extend(f.country);
            agent_file.agent.extend(f.agent);
            agent_file.modifiers.extend(f.modifiers);
            agent_file.allied.extend(f.allied);
            org_rows.extend(f.org);
        }
        Self::build(country_rows, agent_file, org_rows)
    }

    fn build(
        country_rows: Vec<CountryRow>,
        agent_file: AgentFile,
        orgs: Vec<OrgRow>,
    ) -> Result<Self, ActorDataError> {
        let mut countries: Vec<CountryInfo> = Vec::new();
        let mut by_iso3: HashMap<String, u16> = HashMap::default();
        let mut names = PhraseIndex::new(false);
        let mut acronyms = PhraseIndex::new(true);
        let add_name = |names: &mut PhraseIndex<Entry>,
                        acronyms: &mut PhraseIndex<Entry>,
                        s: &str,
                        e: Entry| {
            let s = s.trim();
            if s.is_empty() {
                return;
            }
            let letters = s.chars().filter(|c| c.is_alphanumeric()).count();
            let is_acronym = letters <= 5
                && s.chars()
                    .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.' || c == '-');
            if is_acronym {
                acronyms.insert(s, e);
            } else {
                names.insert(s, e);
            }
        };
        // The countries: the gazetteer's in ISO order (their names and demonyms as shown),
        // then our variants.
        let gazetteer = gazetteer_country_rows();
        for row in gazetteer.iter().chain(country_rows.iter()) {
            let idx = match by_iso3.get(&row.iso3) {
                Some(i) => *i,
                None => {
                    let i =
                        u16::try_from(countries.len()).map_err(|_| ActorDataError::Invalid {
                            name: "countries".into(),
                            message: "too many countries".into(),
                        })?;
                    countries.push(CountryInfo {
                        iso3: row.iso3.clone(),
                        iso2: row.iso2.clone(),
                        name: row.name.clone(),
                        demonym: row.demonyms.first().cloned().unwrap_or_default(),
                    });
                    by_iso3.insert(row.iso3.clone(), i);
                    i
                }
            };
            if let Some(c) = countries.get_mut(usize::from(idx))
                && c.demonym.is_empty()
                && let Some(d) = row.demonyms.first()
            {
                c.demonym = d.clone();
            }
        }
        // AC18: the names, our curated rows first, then the gazetteer's, most populous
        // country first. The first country to claim a name keeps it, so a name or demonym
        // two countries share ("American", "Dutch", "Dominican") is the curated one's, else
        // the most populous country's (as in the gazetteer), never the first in ISO order.
        let mut by_population: Vec<&CountryRow> = gazetteer.iter().collect();
        by_population.sort_by_key(|r| std::cmp::Reverse(r.population));
        for row in country_rows.iter().chain(by_population) {
            let Some(&idx) = by_iso3.get(&row.iso3) else {
                continue;
            };
            add_name(&mut names, &mut acronyms, &row.name, Entry::Country(idx));
            for a in &row.aliases {
                add_name(&mut names, &mut acronyms, a, Entry::Country(idx));
            }
            for d in &row.demonyms {
                add_name(&mut names, &mut acronyms, d, Entry::Demonym(idx));
            }
            for c in &row.capitals {
                add_name(&mut names, &mut acronyms, c, Entry::Capital(idx));
            }
        }
        for (i, o) in orgs.iter().enumerate() {
            let idx = u16::try_from(i).map_err(|_| ActorDataError::Invalid {
                name: "organizations".into(),
                message: "too many organisations".into(),
            })?;
            add_name(&mut names, &mut acronyms, &o.name, Entry::Org(idx));
            for a in &o.aliases {
                add_name(&mut names, &mut acronyms, a, Entry::Org(idx));
            }
        }
        let mut agent_words = PhraseIndex::new(false);
        for (i, a) in agent_file.agent.iter().enumerate() {
            let idx = u16::try_from(i).map_err(|_| ActorDataError::Invalid {
                name: "agents".into(),
                message: "too many agents".into(),
            })?;
            for w in &a.words {
                agent_words.insert(w, idx);
            }
        }
        Ok(Self {
            countries,
            by_iso3,
            agents: agent_file.agent,
            orgs,
            names,
            acronyms,
            agent_words,
            modifiers: agent_file.modifiers.into_iter().collect(),
            allied: agent_file.allied.into_iter().collect(),
        })
    }

    /// Number of named organisations.
    pub fn org_count(&self) -> usize {
        self.orgs.len()
    }

    /// Number of countries.
    pub fn country_count(&self) -> usize {
        self.countries.len()
    }

    /// The country with this ISO3 code.
    pub fn country(&self, iso3: &str) -> Option<&CountryInfo> {
        self.by_iso3
            .get(iso3)
            .and_then(|i| self.countries.get(usize::from(*i)))
    }

    /// Canonical name for an actor code, when the dictionary knows it.
    pub fn describe_code(&self, code: &str) -> Option<String> {
        if let Some(o) = self.orgs.iter().find(|o| o.code == code) {
            return Some(o.name.clone());
        }
        let (cc, sector) = code.split_at(code.len().min(3));
        let c = self.country(cc)?;
        if sector.is_empty() {
            return Some(c.name.clone());
        }
        let a = self.agents.iter().find(|a| a.code == sector)?;
        Some(format!("{} {}", c.demonym, a.name))
    }

    /// ISO3 code for an ISO2 code.
    pub fn iso3_of_iso2(&self, iso2: &str) -> Option<String> {
        self.countries
            .iter()
            .find(|c| c.iso2.eq_ignore_ascii_case(iso2))
            .map(|c| c.iso3.clone())
    }

    /// A demonym (or country name) right before token `i`, skipping a few adjectives
    /// ("Israeli air strikes", "a Russian missile attack"): the country's actor with `sector`.
    pub fn demonym_before(
        &self,
        t: &Tokens<'_>,
        i: usize,
        sector: &str,
    ) -> Option<(Span, ActorRef)> {
        let mut k = i;
        let mut steps = 0;
        while k > 0 && steps < 3 {
            let w = t.low(k - 1);
            if matches!(
                w,
                "heavy"
                    | "deadly"
                    | "new"
                    | "fresh"
                    | "overnight"
                    | "renewed"
                    | "fierce"
                    | "major"
                    | "suspected"
                    | "alleged"
            ) {
                k -= 1;
                steps += 1;
                continue;
            }
            break;
        }
        // find an entry that ends exactly at k
        for start in k.saturating_sub(3)..k {
            if let Some((end, Entry::Demonym(c) | Entry::Country(c))) = self.entry_at(t, start)
                && end == k
            {
                let agent = self
                    .agents
                    .iter()
                    .position(|a| a.code == sector)
                    .and_then(|p| u16::try_from(p).ok());
                return Some((t.span(start, end), self.country_actor(c, agent)));
            }
        }
        None
    }

    /// A country name or demonym starting at token `i` ("Costa Rica", "Iraqi"): where it ends,
    /// whether it is a demonym, and the country's actor, of `sector` when one is given
    /// (`"CVL"`: its civilians), else the state.
    pub fn country_named_at(
        &self,
        t: &Tokens<'_>,
        i: usize,
        sector: Option<&str>,
    ) -> Option<(usize, bool, ActorRef)> {
        let (end, c, demonym) = match self.entry_at(t, i)? {
            (e, Entry::Country(c)) => (e, c, false),
            (e, Entry::Demonym(c)) => (e, c, true),
            _ => return None,
        };
        let agent = sector.and_then(|sec| {
            self.agents
                .iter()
                .position(|a| a.code == sec)
                .and_then(|p| u16::try_from(p).ok())
        });
        Some((end, demonym, self.country_actor(c, agent)))
    }

    fn entry_at(&self, t: &Tokens<'_>, i: usize) -> Option<(usize, Entry)> {
        let a = self.acronyms.longest_at(t, i);
        let b = self.names.longest_at(t, i);
        match (a, b) {
            (Some((ea, va)), Some((eb, vb))) => {
                if eb >= ea {
                    Some((eb, *vb))
                } else {
                    Some((ea, *va))
                }
            }
            (Some((e, v)), None) | (None, Some((e, v))) => Some((e, *v)),
            (None, None) => None,
        }
    }

    /// Country index for a single-token "pro-X" word.
    fn pro_country(&self, t: &Tokens<'_>, i: usize) -> Option<(u16, bool)> {
        let low = t.low(i);
        let rest = low.strip_prefix("pro-")?;
        if rest == "government" || rest == "regime" {
            return None;
        }
        let raw = t.raw(i);
        let rest_raw = raw.get(4..)?;
        let probe = rest_raw.to_string();
        let lower = probe.to_ascii_lowercase();
        let pt = crate::lex::tokenize(&probe, &lower, Span::new(0, probe.len()));
        match self.entry_at(&pt, 0) {
            Some((_, Entry::Demonym(c) | Entry::Country(c))) => Some((c, true)),
            _ => None,
        }
    }

    /// Agent phrase at `i`, skipping up to three modifiers: (end, agent index, first token).
    fn agent_at(&self, t: &Tokens<'_>, mut i: usize) -> Option<(usize, u16, bool)> {
        let mut allied = false;
        for _ in 0..4 {
            if let Some((end, a)) = self.agent_words.longest_at(t, i) {
                if let Some((e2, agent)) = self.modifier_agent(t, i, end, *a) {
                    return Some((e2, agent, allied));
                }
                return Some((end, *a, allied));
            }
            let w = t.low(i);
            let is_allied = self.allied.contains(w);
            allied |= is_allied;
            if is_allied || self.modifiers.contains(w) {
                i += 1;
            } else {
                return None;
            }
        }
        None
    }

    fn country_actor(&self, c: u16, agent: Option<u16>) -> ActorRef {
        let country = self.countries.get(usize::from(c));
        let iso3 = country.map(|c| c.iso3.clone()).unwrap_or_default();
        match agent.and_then(|a| self.agents.get(usize::from(a))) {
            Some(a) => ActorRef {
                code: format!("{iso3}{}", a.code),
                name: format!("{} {}", country.map_or("", |c| c.demonym.as_str()), a.name)
                    .trim()
                    .to_string(),
                country: Some(iso3),
                actor_type: a.actor_type,
                entity: None,
                affiliations: Vec::new(),
            },
            None => ActorRef {
                code: iso3.clone(),
                name: country.map(|c| c.name.clone()).unwrap_or_default(),
                country: Some(iso3),
                actor_type: ActorType::State,
                entity: None,
                affiliations: Vec::new(),
            },
        }
    }

    fn gov_actor(&self, c: u16) -> ActorRef {
        let gov = self
            .agents
            .iter()
            .position(|a| a.code == "GOV")
            .and_then(|p| u16::try_from(p).ok());
        self.country_actor(c, gov)
    }

    fn org_actor(&self, o: u16) -> Option<ActorRef> {
        let o = self.orgs.get(usize::from(o))?;
        Some(ActorRef {
            code: o.code.clone(),
            name: o.name.clone(),
            country: o.country.clone(),
            actor_type: o.actor_type,
            entity: Some(o.id.clone()),
            affiliations: o.affiliations.clone(),
        })
    }

    /// A reference code for the thing named at token `i` (country ISO3 or org code), used for
    /// affiliations ("backed by Iran").
    fn reference_at(&self, t: &Tokens<'_>, i: usize) -> Option<(usize, String)> {
        let i = if t.low(i) == "the" { i + 1 } else { i };
        match self.entry_at(t, i)? {
            (e, Entry::Country(c) | Entry::Demonym(c) | Entry::Capital(c)) => {
                let iso3 = self.countries.get(usize::from(c))?.iso3.clone();
                // "backed by Iranian forces" -> the agent's code
                if let Some((end, a, _)) = self.agent_at(t, e) {
                    let ag = self.agents.get(usize::from(a))?;
                    return Some((end, format!("{iso3}{}", ag.code)));
                }
                Some((e, iso3))
            }
            (e, Entry::Org(o)) => Some((e, self.orgs.get(usize::from(o))?.code.clone())),
        }
    }

    /// Finds the actors in one sentence's tokens, in text order.
    pub fn find(&self, t: &Tokens<'_>) -> Vec<ActorFound> {
        let mut out: Vec<ActorFound> = Vec::new();
        let n = t.len();
        let mut i = 0;
        while i < n {
            if t.toks.get(i).is_some_and(|k| k.kind != Tok::Word) {
                i += 1;
                continue;
            }
            let after_actor_and = i >= 2
                && t.low(i - 1) == "and"
                && out.last().is_some_and(|a: &ActorFound| a.tok_end == i - 1);
            match self.np_at(t, i, after_actor_and) {
                Some(found) => {
                    let end = found.iter().map(|f| f.tok_end).max().unwrap_or(i + 1);
                    out.extend(found);
                    i = end.max(i + 1);
                }
                // AC20: a country's or capital's name read as a place is passed over whole,
                // never read again from a word inside it ("in DR Congo" is no "Congo")
                None => match self.entry_at(t, i) {
                    Some((end, Entry::Country(_) | Entry::Capital(_))) => i = end.max(i + 1),
                    _ => i += 1,
                },
            }
        }
        self.post_process(t, &mut out);
        out
    }

    /// One actor noun phrase starting at `i`.
    fn np_at(&self, t: &Tokens<'_>, i: usize, after_actor_and: bool) -> Option<Vec<ActorFound>> {
        // pro-X forces
        if let Some((c, _)) = self.pro_country(t, i) {
            let (end, agent) = match self.agent_at(t, i + 1) {
                Some((end, a, _)) => (end, Some(a)),
                None => return None,
            };
            let country = self.countries.get(usize::from(c))?;
            let ag = agent.and_then(|a| self.agents.get(usize::from(a)));
            let actor = ActorRef {
                code: "UAF".into(),
                name: format!("{} {}", t.raw(i), ag.map_or("forces", |a| a.name.as_str())),
                country: None,
                actor_type: ActorType::Militia,
                entity: None,
                affiliations: vec![country.iso3.clone()],
            };
            return Some(vec![ActorFound {
                span: t.span(i, end),
                tok_start: i,
                tok_end: end,
                actor,
                rules: vec!["AC03-pro-affiliated"],
                bare_country: false,
            }]);
        }
        let entry = self.entry_at(t, i);
        // a whole alias ("Saudi-led coalition") is the organisation itself
        if !matches!(entry, Some((_, Entry::Org(_))))
            && let Some(found) = self.led_coalition(t, i, entry)
        {
            return Some(vec![found]);
        }
        match entry {
            Some((end, Entry::Org(o))) => {
                if qualified_coalition(t, i, end) {
                    return None;
                }
                let mut actor = self.org_actor(o)?;
                let mut end = end;
                let mut rules = vec!["AC01-org"];
                // "Hezbollah fighters", "IS militants": the agent word belongs to the org
                if let Some((e2, _, _)) = self.agent_at(t, end)
                    && e2 <= end + 2
                {
                    end = e2;
                } else if let Some(e2) = self.org_compound_title(t, end) {
                    end = e2;
                    rules.push("AC17-org-compound-title");
                }
                actor.name = self.orgs.get(usize::from(o))?.name.clone();
                Some(vec![ActorFound {
                    span: t.span(i, end),
                    tok_start: i,
                    tok_end: end,
                    actor,
                    rules,
                    bare_country: false,
                }])
            }
            Some((end, Entry::Demonym(c))) => {
                // Demonym list: "Syrian and Iraqi soldiers"
                let mut cs = vec![c];
                let mut j = end;
                loop {
                    let w = t.low(j);
                    if w == "and" || w == "," || w == "or" {
                        if let Some((e2, Entry::Demonym(c2))) = self.entry_at(t, j + 1) {
                            cs.push(c2);
                            j = e2;
                            continue;
                        }
                    }
                    break;
                }
                let Some((aend, agent, _)) = self.agent_at(t, j) else {
                    return self.demonym_people(t, i, end, c);
                };
                Some(
                    cs.into_iter()
                        .map(|c| ActorFound {
                            span: t.span(i, aend),
                            tok_start: i,
                            tok_end: aend,
                            actor: self.country_actor(c, Some(agent)),
                            rules: vec!["AC02-country-agent"],
                            bare_country: false,
                        })
                        .collect(),
                )
            }
            Some((end, Entry::Country(c))) => {
                if t.toks.get(end).is_some_and(|k| k.kind == Tok::Possessive) {
                    let owned = self
                        .agent_at(t, end + 1)
                        .map(|a| (a, "AC02-country-agent"))
                        .or_else(|| {
                            self.titled_agent_at(t, end + 1)
                                .map(|a| (a, "AC15-possessive-title"))
                        });
                    if let Some(((aend, agent, _), rule)) = owned {
                        return Some(vec![ActorFound {
                            span: t.span(i, aend),
                            tok_start: i,
                            tok_end: aend,
                            actor: self.country_actor(c, Some(agent)),
                            rules: vec![rule],
                            bare_country: false,
                        }]);
                    }
                }
                // "Iraq troops": country name used attributively
                if let Some((aend, agent, _)) = self.agent_at(t, end) {
                    return Some(vec![ActorFound {
                        span: t.span(i, aend),
                        tok_start: i,
                        tok_end: aend,
                        actor: self.country_actor(c, Some(agent)),
                        rules: vec!["AC02-country-agent"],
                        bare_country: false,
                    }]);
                }
                let prev = if i == 0 { "" } else { t.low(i - 1) };
                let prev2 = if i < 2 { "" } else { t.low(i - 2) };
                let is_place = (PLACE_PREPS.contains(&prev) && !after_actor_and)
                    || (prev == "the" && PLACE_PREPS.contains(&prev2))
                    || region_of_country(t, i)
                    || t.low(end) == "-"
                    || t.is_punct(end, '-');
                if is_place {
                    return None;
                }
                Some(vec![ActorFound {
                    span: t.span(i, end),
                    tok_start: i,
                    tok_end: end,
                    actor: self.country_actor(c, None),
                    rules: vec!["AC06-country-state"],
                    bare_country: true,
                }])
            }
            Some((end, Entry::Capital(c))) => {
                let next = t.low(end);
                let possessive = t.toks.get(end).is_some_and(|k| k.kind == Tok::Possessive);
                if possessive {
                    if let Some((aend, agent, _)) = self.agent_at(t, end + 1) {
                        return Some(vec![ActorFound {
                            span: t.span(i, aend),
                            tok_start: i,
                            tok_end: aend,
                            actor: self.country_actor(c, Some(agent)),
                            rules: vec!["AC04-capital-metonym"],
                            bare_country: false,
                        }]);
                    }
                }
                let prev = if i == 0 { "" } else { t.low(i - 1) };
                let verb_next = METONYM_VERBS.contains(&next)
                    || (next.len() > 4 && next.ends_with("ed") && !t.is_cap(end));
                if (possessive || verb_next) && !PLACE_PREPS.contains(&prev) {
                    return Some(vec![ActorFound {
                        span: t.span(i, end),
                        tok_start: i,
                        tok_end: end,
                        actor: self.gov_actor(c),
                        rules: vec!["AC04-capital-metonym"],
                        bare_country: false,
                    }]);
                }
                None
            }
            None => {
                let (end, agent, allied) = self.agent_at(t, i)?;
                // "positions", "convoy": an actor only with an owner ("rebel positions")
                if end == i + 1
                    && matches!(
                        t.low(i),
                        "positions"
                            | "outposts"
                            | "convoy"
                            | "convoys"
                            | "barracks"
                            | "patrol"
                            | "patrols"
                            | "tanks"
                            | "aircraft"
                            | "planes"
                            | "missiles"
                            | "units"
                            | "unit"
                            | "division"
                            | "battalion"
                            | "brigade"
                    )
                {
                    return None;
                }
                let ag = self.agents.get(usize::from(agent))?;
                let actor = ActorRef {
                    code: if allied {
                        "UAF".into()
                    } else {
                        ag.code.clone()
                    },
                    name: t
                        .text
                        .get(t.span(i, end).range())
                        .unwrap_or(&ag.name)
                        .to_string(),
                    country: None,
                    actor_type: if allied {
                        ActorType::Militia
                    } else {
                        ag.actor_type
                    },
                    entity: None,
                    affiliations: Vec::new(),
                };
                Some(vec![ActorFound {
                    span: t.span(i, end),
                    tok_start: i,
                    tok_end: end,
                    actor,
                    rules: vec!["AC05-bare-agent"],
                    bare_country: false,
                }])
            }
        }
    }

    /// `AC21-led-coalition`: "US-led forces", "a U.S.-led airstrike", "Saudi-led troops": a
    /// country or demonym before "-led" names the coalition that country leads, when the
    /// dictionary has one ("US-led coalition"), with the agent word after it if any. The
    /// phrase ends at "-led" when a noun that is no agent follows, so that an event noun
    /// ("airstrike") takes it as its possessor.
    fn led_coalition(
        &self,
        t: &Tokens<'_>,
        i: usize,
        entry: Option<(usize, Entry)>,
    ) -> Option<ActorFound> {
        // "U.S.-led" in three tokens, or "Saudi-led" in one
        let (leader, next) = match entry {
            Some((end, Entry::Country(_) | Entry::Demonym(_)))
                if (t.low(end) == "-" || t.is_punct(end, '-')) && t.low(end + 1) == "led" =>
            {
                (t.text.get(t.span(i, end).range())?, end + 2)
            }
            _ => (t.raw(i).strip_suffix("-led")?, i + 1),
        };
        if leader.is_empty() {
            return None;
        }
        let want = format!("{leader}-led coalition");
        let o = self.orgs.iter().position(|o| {
            o.aliases
                .iter()
                .chain(std::iter::once(&o.name))
                .any(|a| a.eq_ignore_ascii_case(&want))
        })?;
        let actor = self.org_actor(u16::try_from(o).ok()?)?;
        let mut aend = next;
        if let Some((e2, _, _)) = self.agent_at(t, aend)
            && e2 <= aend + 3
        {
            aend = e2;
        }
        Some(ActorFound {
            span: t.span(i, aend),
            tok_start: i,
            tok_end: aend,
            actor,
            rules: vec!["AC21-led-coalition"],
            bare_country: false,
        })
    }

    /// `AC15-possessive-title`: "Taiwan's vice foreign minister", "Iran's religious leader":
    /// after a country's possessive, one or two describing words may stand before the agent
    /// word (an adjective or a title part, not a function word, a verb form or a plural
    /// noun, so "Syria's war killed soldiers" is no phrase).
    fn titled_agent_at(&self, t: &Tokens<'_>, i: usize) -> Option<(usize, u16, bool)> {
        for skip in 1..=2 {
            let describing = (i..i + skip).all(|k| {
                let w = t.low(k);
                t.toks.get(k).is_some_and(|x| x.kind == Tok::Word)
                    && w.len() > 2
                    && !w.ends_with("ed")
                    && !(w.ends_with('s')
                        && !w.ends_with("ous")
                        && !w.ends_with("ss")
                        && !w.ends_with("us"))
                    && !w.ends_with("ing")
                    && !TITLE_STOP.contains(&w)
            });
            if !describing {
                return None;
            }
            if let Some(found) = self.agent_at(t, i + skip) {
                return Some(found);
            }
        }
        None
    }

    /// `AC17-org-compound-title`: "an ISIL gang leader", "a Taliban shadow governor", "an
    /// al-Shabaab militia commander": one describing noun between an organisation's name and
    /// an agent word makes one phrase, the organisation's member, not a bare agent of the
    /// state. Returns where the phrase ends.
    fn org_compound_title(&self, t: &Tokens<'_>, end: usize) -> Option<usize> {
        let w = t.low(end);
        let describing = t.toks.get(end).is_some_and(|x| x.kind == Tok::Word)
            && !t.is_cap(end)
            && w.len() > 2
            && !w.ends_with("ed")
            && !w.ends_with("ing")
            && !w.ends_with('s')
            && !TITLE_STOP.contains(&w);
        if !describing {
            return None;
        }
        let (e2, _, _) = self.agent_at(t, end + 1)?;
        (e2 <= end + 3).then_some(e2)
    }

    /// `AC16-demonym-people`: a plural demonym standing as a noun ("Palestinians protested",
    /// "abducted two Moroccans") names people of that country: its civilians. Not a
    /// demonym before another name, nor an ethnic group ("ethnic Albanians", "Bosnian
    /// Serbs"), whose members a demonym does not place in its country.
    fn demonym_people(
        &self,
        t: &Tokens<'_>,
        i: usize,
        end: usize,
        c: u16,
    ) -> Option<Vec<ActorFound>> {
        let last = t.low(end.checked_sub(1)?);
        let plural = end == i + 1 && last.len() > 4 && last.ends_with('s') && last != "swiss";
        // "ethnic Albanians", "Bosnian Serbs": an ethnic group, whose country the name
        // does not say
        let prev = i.checked_sub(1);
        let ethnic = prev.is_some_and(|p| {
            t.low(p) == "ethnic"
                || matches!(self.entry_at(t, p), Some((e, Entry::Demonym(_))) if e == i)
        });
        if !plural || ethnic || t.is_cap(end) {
            return None;
        }
        let civilians = self
            .agents
            .iter()
            .position(|a| a.code == "CVL")
            .and_then(|p| u16::try_from(p).ok());
        Some(vec![ActorFound {
            span: t.span(i, end),
            tok_start: i,
            tok_end: end,
            actor: self.country_actor(c, civilians),
            rules: vec!["AC16-demonym-people"],
            bare_country: false,
        }])
    }

    /// `AC14-modifier-agent`: the agent word `first`, from `i` to `end`, is one word that is
    /// also a modifier, and another agent word follows it ("military forces", "military
    /// officials", "government army"): the two make one agent phrase, whose end and agent this
    /// returns. A military modifier decides the sector ("military officials" are the
    /// military's), any other leaves it to the head ("state news agency" is media).
    fn modifier_agent(
        &self,
        t: &Tokens<'_>,
        i: usize,
        end: usize,
        first: u16,
    ) -> Option<(usize, u16)> {
        if end != i + 1 || !self.modifiers.contains(t.low(i)) {
            return None;
        }
        let (e2, head) = self.agent_words.longest_at(t, end)?;
        let military = self
            .agents
            .get(usize::from(first))
            .is_some_and(|g| g.actor_type == ActorType::Military);
        Some((e2, if military { first } else { *head }))
    }

    /// Whether an AC14 phrase starts at token `k`.
    fn modifier_agent_at(&self, t: &Tokens<'_>, k: usize) -> bool {
        self.agent_words
            .longest_at(t, k)
            .and_then(|(end, a)| self.modifier_agent(t, k, end, *a))
            .is_some()
    }

    /// Post-modifiers, affiliations and coordination with "allied".
    fn post_process(&self, t: &Tokens<'_>, out: &mut [ActorFound]) {
        for f in out.iter_mut() {
            if (f.tok_start..f.tok_end.saturating_sub(1)).any(|k| self.modifier_agent_at(t, k)) {
                f.rules.push("AC14-modifier-agent");
            }
        }
        for k in 0..out.len() {
            let (end, no_country) = match out.get(k) {
                Some(f) => (f.tok_end, f.actor.country.is_none() && !f.bare_country),
                None => continue,
            };
            // AC07: "representatives of Defense in Iraq", "officials from Syria"
            if no_country
                && out.get(k).is_some_and(|f| {
                    f.rules.contains(&"AC05-bare-agent")
                        && matches!(
                            f.actor.actor_type,
                            ActorType::Government | ActorType::Military | ActorType::Police
                        )
                })
            {
                let mut j = end;
                let limit = (end + 5).min(t.len());
                while j < limit {
                    let w = t.low(j);
                    if w == "," || w == "." || w == "said" || w == "and" {
                        break;
                    }
                    // AC07 reads a post-modifier of the agent only: a verb or another actor on
                    // the way ends it ("the army clashed with rebels in the DRC")
                    let other_actor = out.iter().any(|f| f.tok_start == j);
                    if other_actor || is_verb_form(t, j) {
                        break;
                    }
                    if (w == "of" || w == "from")
                        && let Some((_, Entry::Org(o))) = self.entry_at(t, j + 1)
                        && let Some(org) = self.org_actor(o)
                        && let Some(f) = out.get_mut(k)
                        && matches!(
                            f.actor.actor_type,
                            ActorType::Rebel | ActorType::Military | ActorType::Militia
                        )
                    {
                        f.actor = org;
                        f.rules.push("AC07-post-country");
                        break;
                    }
                    if (w == "of" || w == "from" || w == "in")
                        && let Some(nx) = [j + 1, j + 2].into_iter().find(|&x| t.low(x) != "the")
                        && let Some((e2, Entry::Country(c) | Entry::Demonym(c))) =
                            self.entry_at(t, nx)
                        && let Some(f) = out.get_mut(k)
                    {
                        let code = f.actor.code.clone();
                        let iso3 = self
                            .countries
                            .get(usize::from(c))
                            .map(|c| c.iso3.clone())
                            .unwrap_or_default();
                        f.actor.code = format!("{iso3}{code}");
                        f.actor.country = Some(iso3);
                        f.span = t.span(f.tok_start, e2);
                        f.tok_end = e2;
                        f.actor.name = t.text.get(f.span.range()).unwrap_or("").to_string();
                        f.rules.push("AC07-post-country");
                        break;
                    }
                    j += 1;
                }
            }
            // AC08: ", backed by Iran", "sponsored by Iran", "allied with Damascus"
            let end = out.get(k).map_or(end, |f| f.tok_end);
            let mut j = end;
            if t.is_punct(j, ',') {
                j += 1;
            }
            let w = t.low(j);
            let w2 = t.low(j + 1);
            let refpos = match (w, w2) {
                ("backed" | "sponsored" | "supported" | "armed" | "funded" | "trained", "by") => {
                    Some(j + 2)
                }
                ("allied" | "aligned" | "affiliated", "with" | "to") => Some(j + 2),
                ("loyal", "to") => Some(j + 2),
                _ => None,
            };
            // AC13: "fighters loyal to the STC", "gunmen loyal to X": a bare armed agent loyal
            // to a named organisation is that organisation's force, not a state's military
            if (w, w2) == ("loyal", "to")
                && let Some(p) = refpos
                && let Some((_, Entry::Org(o))) =
                    self.entry_at(t, if t.low(p) == "the" { p + 1 } else { p })
                && let Some(org) = self.org_actor(o)
                && let Some(f) = out.get_mut(k)
                && f.actor.entity.is_none()
                && f.actor.country.is_none()
                && matches!(
                    f.actor.actor_type,
                    ActorType::Rebel | ActorType::Military | ActorType::Militia
                )
            {
                f.actor = org;
                f.rules.push("AC13-loyal-to-org");
                continue;
            }
            if let Some(p) = refpos
                && let Some((_, code)) = self.reference_at(t, p)
                && let Some(f) = out.get_mut(k)
                && !f.actor.affiliations.contains(&code)
            {
                f.actor.affiliations.push(code);
                f.rules.push("AC08-affiliation");
            }
        }
        // AC09: "Syrian troops and allied militias"
        for k in 1..out.len() {
            let (prev_code, prev_end) = match out.get(k - 1) {
                Some(p) if p.actor.country.is_some() => (p.actor.code.clone(), p.tok_end),
                _ => continue,
            };
            if let Some(f) = out.get_mut(k)
                && f.actor.code == "UAF"
                && f.actor.affiliations.is_empty()
                && f.tok_start == prev_end + 1
                && (t.low(prev_end) == "and" || t.low(prev_end) == ",")
            {
                f.actor.affiliations.push(prev_code);
                f.actor.actor_type = ActorType::Militia;
                f.rules.push("AC09-allied-coordination");
            }
        }
    }
}

/// A word that reads as a finite verb or a participle (`AC07`): a lower-case word ending in
/// "-ed", or an auxiliary. The words after it are a predicate, not a post-modifier.
fn is_verb_form(t: &Tokens<'_>, k: usize) -> bool {
    let w = t.low(k);
    let word = t.toks.get(k).is_some_and(|x| x.kind == Tok::Word) && !t.is_cap(k);
    word && ((w.len() > 4 && w.ends_with("ed") && w != "based")
        || matches!(
            w,
            "is" | "are" | "was" | "were" | "has" | "have" | "had" | "will" | "fought" | "met"
        ))
}

/// Country rows from the gazetteer's country table, when it provides one.
/// The gazetteer's countries as rows, in ISO order, with their population (`AC18`).
fn gazetteer_country_rows() -> Vec<CountryRow> {
    frontline_gazetteer::countries::all()
        .iter()
        .map(|c| CountryRow {
            population: c.population,
            iso3: c.iso3.clone(),
            iso2: c.iso2.clone(),
            name: c.name.clone(),
            aliases: c.aliases.clone(),
            demonyms: c.demonyms.clone(),
            capitals: if c.capital.is_empty() {
                Vec::new()
            } else {
                vec![c.capital.clone()]
            },
        })
        .collect()
}

#[cfg(test)]
mod tests;
