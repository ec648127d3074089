//! The extraction pipeline: decode/clean, boilerplate, sentences, times, quantities,
//! toponyms, actors, speakers and events, producing one [`Extraction`] per document.
//!
//! [`Pipeline`] compiles its dictionaries once and is `Send + Sync`: share one across threads.
//! [`Pipeline::extract`] never panics; problems with a document become
//! [`Extraction::warnings`].

use std::path::{Path, PathBuf};

use frontline_geocode::Geocoder;
use frontline_model::{
    Boilerplate, Document, DocumentMeta, Extraction, Mention, MentionData, Sentence, SpeakerRef,
};
use frontline_text::Span;

use crate::actors::{ActorDataError, ActorDictionary, ActorFound};
use crate::attribution::AttributionFound;
use crate::attribution::{SourceDataError, SourceTable};
use crate::events::{
    ActorHit, AttributionHit, CoderError, DocState, EventCoder, NearMiss, PlaceHit, QuantityHit,
    SentenceInput, TimeHit,
};
use crate::lex::Tokens;
use crate::lex::tokenize;
use crate::quantity::QuantityFound;
use crate::time::TimeFound;
use frontline_geocode::Toponym;

/// Errors setting up a pipeline.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// Actor dictionary data.
    #[error(transparent)]
    Actors(#[from] ActorDataError),
    /// Source table data.
    #[error(transparent)]
    Sources(#[from] SourceDataError),
    /// Event lexicon or mapping data.
    #[error(transparent)]
    Coder(#[from] CoderError),
    /// A user data file could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// The extraction pipeline. Build once; `extract` from any thread.
#[derive(Debug, Clone)]
pub struct Pipeline {
    geocoder: Option<Geocoder>,
    dict: ActorDictionary,
    sources: SourceTable,
    coder: EventCoder,
    extra_actors: Vec<(String, String)>,
    extra_sources: Vec<(String, String)>,
    extra_triggers: Vec<(String, String)>,
}

fn read_files(paths: &[PathBuf]) -> Result<Vec<(String, String)>, ExtractError> {
    paths
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .map(|s| (p.display().to_string(), s))
                .map_err(|e| ExtractError::Io {
                    path: p.clone(),
                    source: e,
                })
        })
        .collect()
}

fn toml_files_in(dir: &Path) -> Result<Vec<PathBuf>, ExtractError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let rd = std::fs::read_dir(dir).map_err(|e| ExtractError::Io {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut out: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    out.sort();
    Ok(out)
}

impl Pipeline {
    /// A pipeline over the embedded dictionaries, geoparsing with `geocoder`.
    pub fn new(geocoder: Geocoder) -> Result<Pipeline, ExtractError> {
        let mut p = Self::without_geocoder()?;
        p.geocoder = Some(geocoder);
        Ok(p)
    }

    /// A pipeline that finds no toponyms (for tests and for callers that geoparse elsewhere).
    pub fn without_geocoder() -> Result<Pipeline, ExtractError> {
        Ok(Pipeline {
            geocoder: None,
            dict: ActorDictionary::embedded()?,
            sources: SourceTable::embedded()?,
            coder: EventCoder::new(&[])?,
            extra_actors: Vec::new(),
            extra_sources: Vec::new(),
            extra_triggers: Vec::new(),
        })
    }

    /// Adds user actor files (TOML with `country`, `agent`, `modifiers`, `allied`, `org`).
    pub fn with_actor_files(mut self, paths: &[PathBuf]) -> Result<Pipeline, ExtractError> {
        self.extra_actors.extend(read_files(paths)?);
        self.dict = ActorDictionary::with_extra(&self.extra_actors)?;
        Ok(self)
    }

    /// Adds user source-table files (TOML with `source` and `generic`).
    pub fn with_source_files(mut self, paths: &[PathBuf]) -> Result<Pipeline, ExtractError> {
        self.extra_sources.extend(read_files(paths)?);
        self.sources = SourceTable::with_extra(&self.extra_sources)?;
        Ok(self)
    }

    /// Adds user trigger files (TOML with `trigger` entries).
    pub fn with_trigger_files(mut self, paths: &[PathBuf]) -> Result<Pipeline, ExtractError> {
        self.extra_triggers.extend(read_files(paths)?);
        self.coder = EventCoder::new(&self.extra_triggers)?;
        Ok(self)
    }

    /// Loads every `*.toml` under `dir/actors`, `dir/sources` and `dir/triggers`.
    pub fn with_data_dir(self, dir: &Path) -> Result<Pipeline, ExtractError> {
        let a = toml_files_in(&dir.join("actors"))?;
        let s = toml_files_in(&dir.join("sources"))?;
        let t = toml_files_in(&dir.join("triggers"))?;
        self.with_actor_files(&a)?
            .with_source_files(&s)?
            .with_trigger_files(&t)
    }

    /// The actor dictionary.
    pub fn actors(&self) -> &ActorDictionary {
        &self.dict
    }

    /// The event coder (lexicon and mappings).
    pub fn coder(&self) -> &EventCoder {
        &self.coder
    }

    /// Extracts from raw bytes: decodes (lossily, with a warning naming each invalid byte
    /// offset), then [`Pipeline::extract`].
    pub fn extract_bytes(&self, meta: DocumentMeta, bytes: &[u8]) -> Extraction {
        let decoded = frontline_text::decode(bytes);
        let mut ex = self.extract(meta, &decoded.text);
        if !decoded.invalid_at.is_empty() {
            let shown: Vec<String> = decoded
                .invalid_at
                .iter()
                .take(5)
                .map(ToString::to_string)
                .collect();
            ex.warnings.insert(
                0,
                format!(
                    "invalid UTF-8 replaced at {} byte offset(s): {}{}",
                    decoded.invalid_at.len(),
                    shown.join(", "),
                    if decoded.invalid_at.len() > 5 {
                        ", ..."
                    } else {
                        ""
                    }
                ),
            );
        }
        ex
    }

    /// Extracts everything from one document.
    pub fn extract(&self, meta: DocumentMeta, raw_text: &str) -> Extraction {
        self.explain(meta, raw_text).0
    }

    /// Like [`Pipeline::extract`], also returning the rules that almost fired.
    pub fn explain(&self, meta: DocumentMeta, raw_text: &str) -> (Extraction, Vec<NearMiss>) {
        let cleaned = frontline_text::clean(raw_text);
        let published = meta.published_at;
        let doc = Document::from_meta(meta, cleaned.text);
        let mut ex = Extraction::new(doc);
        let text = ex.document.text.as_str();
        let mut near = Vec::new();
        if text.trim().is_empty() {
            ex.warnings
                .push("empty document: no text to analyse".into());
            return (ex, near);
        }

        // boilerplate and sentences
        let blocks = frontline_text::detect_boilerplate(text);
        let skip: Vec<Span> = blocks.iter().map(|b| b.span).collect();
        let regions = frontline_text::analysed_regions(text.len(), &blocks);
        let boilerplate: Vec<Boilerplate> = blocks
            .iter()
            .filter_map(|b| {
                Some(Boilerplate {
                    kind: b.kind,
                    span: b.span,
                    text: b.span.slice(text)?.to_string(),
                    rule: b.rule.to_string(),
                })
            })
            .collect();
        let sentences: Vec<Span> = regions
            .iter()
            .flat_map(|r| frontline_text::sentences(text, *r))
            .flat_map(|s| frontline_text::split_long(text, s, frontline_text::MAX_SENTENCE_BYTES))
            .collect();

        // document-level finders
        // Times and quantities read the same tokens: tokenise each sentence once for both.
        let lower = text.to_ascii_lowercase();
        let words: Vec<crate::time::words::Words<'_>> = sentences
            .iter()
            .map(|s| crate::time::words::Words::with_lower(text, &lower, *s))
            .collect();
        let times = crate::time::find_times_in(text, &words, published);
        let quantities = crate::quantity::find_quantities_in(&words);
        drop(words);
        let (toponyms, dropped) = match &self.geocoder {
            Some(g) => g.geoparse_explained(text, &sentences, &skip),
            None => (Vec::new(), Vec::new()),
        };

        let sentence_of = |span: Span| -> Option<usize> {
            let k = sentences.partition_point(|s| s.end <= span.start);
            sentences
                .get(k)
                .filter(|s| s.start <= span.start && span.end <= s.end)
                .map(|_| k)
        };

        // names the geocoder set aside are near misses of the place finder
        for d in dropped {
            if let Some(sentence) = sentence_of(d.span) {
                near.push(crate::events::NearMiss {
                    sentence,
                    span: d.span,
                    rule: d.rule.to_string(),
                    reason: "not taken as a place name".into(),
                });
            }
        }

        // per-sentence actors and attributions
        let mut toks = Vec::with_capacity(sentences.len());
        for s in &sentences {
            toks.push(tokenize(text, &lower, *s));
        }
        let mut actors_by_sent: Vec<Vec<ActorFound>> =
            toks.iter().map(|t| self.dict.find(t)).collect();
        // a bare "coalition" in a story that names the Saudi-led one is that one (AC12)
        crate::actors::coalition_by_document(&toks, &mut actors_by_sent);
        let attrs_by_sent: Vec<_> = toks
            .iter()
            .zip(&actors_by_sent)
            .map(|(t, a)| self.sources.find(t, a))
            .collect();

        // mentions, in text order, ids = index
        let finds = Finds {
            actors: &actors_by_sent,
            attributions: &attrs_by_sent,
            toponyms: &toponyms,
            times: &times,
            quantities: &quantities,
        };
        let ids = number_mentions(text, &finds, &sentence_of, &mut ex.mentions);

        // events, sentence by sentence
        let mut state = DocState {
            doc_id: ex.document.id.clone(),
            published,
            outlet: ex.document.outlet.clone(),
            ..DocState::default()
        };
        let (places_by, times_by, qty_by) =
            hits_by_sentence(toponyms, times, quantities, &ids, &toks, &sentence_of);
        let MentionIds {
            actors: actor_ids,
            speakers: speaker_ids,
            ..
        } = ids;
        let mut actors_iter = actors_by_sent.into_iter().zip(actor_ids);
        let mut attrs_iter = attrs_by_sent.into_iter().zip(speaker_ids);
        for (si, span) in sentences.iter().enumerate() {
            ex.sentences.push(Sentence { span: *span });
            let (Some(t), Some((al, al_ids)), Some((atl, atl_ids))) =
                (toks.get(si), actors_iter.next(), attrs_iter.next())
            else {
                continue;
            };
            let actors: Vec<ActorHit> = al
                .into_iter()
                .zip(al_ids)
                .map(|(found, mention)| ActorHit { found, mention })
                .collect();
            let attributions: Vec<AttributionHit> = atl
                .into_iter()
                .zip(atl_ids)
                .map(|(found, mention)| AttributionHit { found, mention })
                .collect();
            let input = SentenceInput {
                index: si,
                span: *span,
                tokens: t,
                actors: &actors,
                places: places_by.get(si).map_or(&[], Vec::as_slice),
                times: times_by.get(si).map_or(&[], Vec::as_slice),
                quantities: qty_by.get(si).map_or(&[], Vec::as_slice),
                attributions: &attributions,
            };
            let evs = self
                .coder
                .code_sentence(&self.dict, &input, &mut state, &mut near);
            ex.events.extend(evs);
        }
        crate::events::location::fill_from_document(&mut ex.events, &toks, &places_by);
        // ordinary crime in a police story is not a conflict event (CR10); before the merge,
        // so that an attack told beside an arrest is not merged into the arrest and lost
        crate::events::crime::drop_ordinary_crime(&toks, &mut ex.events, &mut near);
        // who acts on whom in the document's storyline, read before the merge sets any aside
        let story = crate::events::storyline::Storyline::of(&ex.events);
        // one record per real event: the sentences that tell it merge (MG30)
        crate::events::merge::merge_document(
            &mut ex.events,
            &mut near,
            &ex.document.text,
            &ex.sentences,
        );
        // one mention, one role (RO81)
        crate::events::merge::one_mention_one_role(&mut ex.events);
        // a role the sentence left empty from the storyline (RO82, RO83)
        crate::events::storyline::fill(&mut ex.events, &story);
        // a protest that names no protester has unnamed ones (RO73)
        crate::events::participants::protest_record_sides(&mut ex.events);
        ex.boilerplate = boilerplate;
        if let Err(e) = ex.check_spans() {
            // never expected; keep the document but say so rather than emit bad spans
            ex.warnings.push(format!("internal span check failed: {e}"));
            ex.events.clear();
        }
        (ex, near)
    }
}

/// What the finders read in one document, by sentence where they work by sentence.
struct Finds<'a> {
    actors: &'a [Vec<ActorFound>],
    attributions: &'a [Vec<AttributionFound>],
    toponyms: &'a [Toponym],
    times: &'a [TimeFound],
    quantities: &'a [QuantityFound],
}

/// The mention id of each thing found, by where it was found (None: not a mention).
struct MentionIds {
    actors: Vec<Vec<Option<usize>>>,
    speakers: Vec<Vec<Option<usize>>>,
    places: Vec<Option<usize>>,
    times: Vec<Option<usize>>,
    quantities: Vec<Option<usize>>,
}

impl MentionIds {
    /// The mention id of the time at `k` of the time finder's list.
    fn time(&self, k: usize) -> Option<usize> {
        self.times.get(k).copied().flatten()
    }
}

/// Numbers everything found as mentions in text order (ids = index into `mentions`), and
/// points each time's anchor at its mention.
fn number_mentions(
    text: &str,
    finds: &Finds<'_>,
    sentence_of: &dyn Fn(Span) -> Option<usize>,
    mentions: &mut Vec<Mention>,
) -> MentionIds {
    #[derive(Clone, Copy)]
    enum Key {
        Actor(usize, usize),
        Speaker(usize, usize),
        Place(usize),
        Time(usize),
        Quantity(usize),
    }
    /// A mention waiting for its id: span, kind order, sentence, data, where found.
    type Pending = (Span, u8, usize, MentionData, Key);
    let n_found = finds.actors.iter().map(Vec::len).sum::<usize>()
        + finds.attributions.iter().map(Vec::len).sum::<usize>()
        + finds.toponyms.len()
        + finds.times.len()
        + finds.quantities.len();
    let mut pending: Vec<Pending> = Vec::with_capacity(n_found);
    for (si, list) in finds.actors.iter().enumerate() {
        for (k, a) in list.iter().enumerate() {
            pending.push((
                a.span,
                0,
                si,
                MentionData::Actor(a.actor.clone()),
                Key::Actor(si, k),
            ));
        }
    }
    for (si, list) in finds.attributions.iter().enumerate() {
        for (k, a) in list.iter().enumerate() {
            pending.push((
                a.span,
                1,
                si,
                MentionData::Speaker(SpeakerRef {
                    actor: a.actor.clone(),
                    source: a.source.as_ref().map(|s| s.name.clone()),
                    cue: a.cue.clone(),
                }),
                Key::Speaker(si, k),
            ));
        }
    }
    for (k, tp) in finds.toponyms.iter().enumerate() {
        if let Some(si) = sentence_of(tp.span) {
            pending.push((
                tp.span,
                2,
                si,
                MentionData::Place(tp.place.clone()),
                Key::Place(k),
            ));
        }
    }
    for (k, tf) in finds.times.iter().enumerate() {
        if let Some(si) = sentence_of(tf.span) {
            pending.push((
                tf.span,
                3,
                si,
                MentionData::Time(tf.time.clone()),
                Key::Time(k),
            ));
        }
    }
    for (k, q) in finds.quantities.iter().enumerate() {
        if let Some(si) = sentence_of(q.span) {
            pending.push((
                q.span,
                4,
                si,
                MentionData::Quantity(q.quantity.clone()),
                Key::Quantity(k),
            ));
        }
    }
    pending.retain(|p| p.0.slice(text).is_some() && !p.0.is_empty());
    // Sort positions rather than the (large) entries; ties keep their order, as a stable
    // sort of the entries would.
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_unstable_by_key(|&i| pending.get(i).map(|p| (p.0.start, p.1, p.0.end, i)));
    // Mention id of each thing found, by where it was found (None: not a mention).
    let mut actor_ids: Vec<Vec<Option<usize>>> =
        finds.actors.iter().map(|l| vec![None; l.len()]).collect();
    let mut speaker_ids: Vec<Vec<Option<usize>>> = finds
        .attributions
        .iter()
        .map(|l| vec![None; l.len()])
        .collect();
    let mut place_ids: Vec<Option<usize>> = vec![None; finds.toponyms.len()];
    let mut time_ids: Vec<Option<usize>> = vec![None; finds.times.len()];
    let mut qty_ids: Vec<Option<usize>> = vec![None; finds.quantities.len()];
    let mut slots: Vec<Option<Pending>> = pending.into_iter().map(Some).collect();
    mentions.reserve(slots.len());
    for (id, &i) in order.iter().enumerate() {
        let Some((span, _, si, data, key)) = slots.get_mut(i).and_then(Option::take) else {
            continue;
        };
        let slot = match key {
            Key::Actor(s, k) => actor_ids.get_mut(s).and_then(|v| v.get_mut(k)),
            Key::Speaker(s, k) => speaker_ids.get_mut(s).and_then(|v| v.get_mut(k)),
            Key::Place(k) => place_ids.get_mut(k),
            Key::Time(k) => time_ids.get_mut(k),
            Key::Quantity(k) => qty_ids.get_mut(k),
        };
        if let Some(slot) = slot {
            *slot = Some(id);
        }
        mentions.push(Mention {
            id,
            span,
            text: span.slice(text).unwrap_or("").to_string(),
            sentence: si,
            data,
        });
    }
    drop(slots);
    let ids = MentionIds {
        actors: actor_ids,
        speakers: speaker_ids,
        places: place_ids,
        times: time_ids,
        quantities: qty_ids,
    };
    let time_id = |a: usize| ids.time(a);
    // time anchors: index into `times` -> mention id
    for m in mentions.iter_mut() {
        if let MentionData::Time(t) = &mut m.data {
            t.anchor = t.anchor.and_then(time_id);
        }
    }

    ids
}

/// The finders' results placed on each sentence's tokens, with their mention ids, for the
/// event coder. The results move into the hits: nothing else needs them after this.
fn hits_by_sentence(
    toponyms: Vec<Toponym>,
    times: Vec<TimeFound>,
    quantities: Vec<QuantityFound>,
    ids: &MentionIds,
    toks: &[Tokens<'_>],
    sentence_of: &dyn Fn(Span) -> Option<usize>,
) -> PerSentenceHits {
    let n = toks.len();
    let mut places_by: Vec<Vec<PlaceHit>> = vec![Vec::new(); n];
    let mut times_by: Vec<Vec<TimeHit>> = vec![Vec::new(); n];
    let mut qty_by: Vec<Vec<QuantityHit>> = vec![Vec::new(); n];
    // The finders' results are not needed after this: their values move into the hits.
    for (k, tp) in toponyms.into_iter().enumerate() {
        if let Some(si) = sentence_of(tp.span)
            && let (Some(t), Some(v)) = (toks.get(si), places_by.get_mut(si))
        {
            let (a, b) = t.range_of(tp.span);
            if b > a {
                v.push(PlaceHit {
                    start: a,
                    end: b,
                    place: tp.place,
                    mention: ids.places.get(k).copied().flatten(),
                    dateline: tp.dateline,
                });
            }
        }
    }
    for (k, tf) in times.into_iter().enumerate() {
        if let Some(si) = sentence_of(tf.span)
            && let (Some(t), Some(v)) = (toks.get(si), times_by.get_mut(si))
        {
            let (a, b) = t.range_of(tf.span);
            let mut time = tf.time;
            time.anchor = time.anchor.and_then(|a| ids.time(a));
            v.push(TimeHit {
                start: a,
                end: b.max(a + 1),
                time,
                mention: ids.time(k),
            });
        }
    }
    for (k, q) in quantities.into_iter().enumerate() {
        if let Some(si) = sentence_of(q.span)
            && let (Some(t), Some(v)) = (toks.get(si), qty_by.get_mut(si))
        {
            let (a, b) = t.range_of(q.span);
            v.push(QuantityHit {
                start: a,
                end: b.max(a + 1),
                span: q.span,
                quantity: q.quantity,
                mention: ids.quantities.get(k).copied().flatten(),
            });
        }
    }
    (places_by, times_by, qty_by)
}

/// Places, times and quantities by sentence.
type PerSentenceHits = (Vec<Vec<PlaceHit>>, Vec<Vec<TimeHit>>, Vec<Vec<QuantityHit>>);

#[cfg(test)]
mod tests;

#[cfg(test)]
mod rule_tests;

#[cfg(test)]
mod role_grammar_tests;
#[cfg(test)]
mod subtype_tests;
#[cfg(test)]
mod test_support;
