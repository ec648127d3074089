//! Near-duplicate detection: MinHash signatures over word shingles, with LSH banding.
//!
//! A document's analysed text (boilerplate removed) is lower-cased and split into words;
//! common function words are dropped and a plural `s` is folded, so a reworded copy that keeps
//! the facts stays close to the original. The set of these content words (shingles of
//! [`SHINGLE`] word; pairs of words separated reworded copies too poorly on our fixtures,
//! see `tests/copies_eval.rs`) is summarised by
//! [`NUM_HASHES`] minimum hashes; the fraction of equal minimums estimates the Jaccard
//! similarity of the two sets. Signatures are cut into [`BANDS`] bands of [`ROWS`] hashes; two
//! documents sharing any band are candidates, and a candidate whose estimated similarity is at
//! least [`STORY_THRESHOLD`] is a copy of the same story.
//!
//! Sharing vocabulary is not enough: different stories on one topic from one region use the
//! same words (the same forces, places and verbs), and a corpus built from shared sentence
//! templates does so even more. Copies of one story also lead with the same facts (news is
//! written as an inverted pyramid), so a candidate is a copy only when, in addition, the sets
//! of the first [`LEAD_WORDS`] content words of the two documents have a Jaccard similarity of
//! at least [`LEAD_THRESHOLD`] ([`Lead`]; computed exactly, the lead is short).
//!
//! A reworded copy can share too few words for that: an outlet that rewrites a wire story
//! keeps its facts, not its sentences. So a candidate whose estimated similarity is at least
//! [`REWORD_THRESHOLD`] is also a copy when the two were published within [`REWORD_DAYS`] of
//! each other and report the same figures
//! ([`Figures`]: the killed, wounded, displaced, arrested and abducted counts), one document's
//! all among the other's, and those figures are telling: two or more of them, or one of at
//! least [`TELLING_FIGURE`] (one soldier killed is reported every day; 14 protesters arrested
//! much less often). An outlet with its own sources brings a figure of its own (a monitor's
//! higher toll, a claimant's count), and documents without figures are never copies this way.
//!
//! Hashes are FNV-1a and SplitMix64, written here so that signatures stored in a database stay
//! valid across Rust releases and platforms.

use frontline_model::{MentionData, QuantityKind};

/// Number of hash functions in a signature.
pub const NUM_HASHES: usize = 128;
/// Hashes per LSH band.
pub const ROWS: usize = 3;
/// Number of LSH bands (`BANDS * ROWS <= NUM_HASHES`).
pub const BANDS: usize = 42;
/// Estimated Jaccard similarity from which two documents are copies of one story.
pub const STORY_THRESHOLD: f64 = 0.36;
/// Words per shingle.
pub const SHINGLE: usize = 1;
/// Content words that make up a document's lead.
pub const LEAD_WORDS: usize = 30;
/// Jaccard similarity of the leads from which two documents can be copies of one story.
pub const LEAD_THRESHOLD: f64 = 0.4;
/// Estimated Jaccard similarity from which two documents reporting the same figures are
/// copies of one story (a reworded copy).
pub const REWORD_THRESHOLD: f64 = 0.22;
/// Most days between the publication of a document and of its reworded copy (both dates must
/// be known).
pub const REWORD_DAYS: i64 = 3;
/// A single figure at least this large is telling enough to recognise a reworded copy by.
pub const TELLING_FIGURE: u64 = 10;

/// The figures a document reports: distinct (kind, value) pairs of its killed, wounded,
/// displaced, arrested and abducted counts, sorted. Counts of other things (a crowd, a
/// temperature, drones) and areas, distances and sums are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures(pub Vec<(u8, u64)>);

impl Figures {
    /// The figures among a document's mentions.
    pub fn of_mentions<'m>(mentions: impl IntoIterator<Item = &'m MentionData>) -> Figures {
        let mut v: Vec<(u8, u64)> = mentions
            .into_iter()
            .filter_map(|m| match m {
                MentionData::Quantity(q) => {
                    let kind = match q.quantity_kind {
                        QuantityKind::Killed => 1,
                        QuantityKind::Wounded => 2,
                        QuantityKind::Displaced => 3,
                        QuantityKind::Arrested => 4,
                        QuantityKind::Abducted => 5,
                        _ => return None,
                    };
                    (q.value.is_finite() && q.value >= 0.0).then(|| (kind, q.value.round() as u64))
                }
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        Figures(v)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the two report the same figures: the smaller set (not empty, and telling) is
    /// all within the larger.
    pub fn agree(&self, other: &Figures) -> bool {
        let (small, large) = if self.0.len() <= other.0.len() {
            (self, other)
        } else {
            (other, self)
        };
        let telling = small.0.len() >= 2 || small.0.iter().any(|(_, v)| *v >= TELLING_FIGURE);
        !small.0.is_empty() && telling && small.0.iter().all(|f| large.0.binary_search(f).is_ok())
    }
}

/// The lead of a document: hashes of the distinct words among its first [`LEAD_WORDS`] content
/// words, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead(pub Vec<u64>);

impl Lead {
    /// The lead of a text.
    pub fn of(text: &str) -> Lead {
        Lead::of_word_hashes(&word_hashes(text))
    }

    /// The lead of a text given as the hashes of its content words ([`word_hashes`]).
    fn of_word_hashes(hashes: &[u64]) -> Lead {
        let mut v: Vec<u64> = hashes.iter().take(LEAD_WORDS).copied().collect();
        v.sort_unstable();
        v.dedup();
        Lead(v)
    }

    /// Jaccard similarity of two leads (0 when both are empty).
    pub fn similarity(&self, other: &Lead) -> f64 {
        let (mut i, mut j, mut inter) = (0, 0, 0usize);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].cmp(&other.0[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    inter += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let union = self.0.len() + other.0.len() - inter;
        if union == 0 {
            0.0
        } else {
            inter as f64 / union as f64
        }
    }

    /// Little-endian bytes, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads [`Lead::to_bytes`] output back.
    pub fn from_bytes(bytes: &[u8]) -> Lead {
        Lead(
            bytes
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .collect(),
        )
    }
}

/// A MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Vec<u32>);

const STOPWORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "during", "each",
    "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "more", "most", "no", "not", "of", "on", "once", "one", "only", "or",
    "other", "our", "out", "over", "said", "says", "she", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "told", "under", "until", "up", "upon", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you",
];

/// Bytes in the longest stopword; a longer word is no stopword.
const STOPWORD_MAX_LEN: usize = {
    let mut max = 0;
    let mut i = 0;
    while i < STOPWORDS.len() {
        if STOPWORDS[i].len() > max {
            max = STOPWORDS[i].len();
        }
        i += 1;
    }
    max
};
const _: () = assert!(STOPWORD_MAX_LEN <= 8, "stopwords are packed into a u64");

/// A word of at most 8 bytes packed into a `u64`, little-endian, zero-padded. Words contain no
/// NUL byte (it is not alphanumeric), so two words pack equal exactly when they are equal.
const fn pack(bytes: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut i = 0;
    while i < bytes.len() {
        k |= (bytes[i] as u64) << (8 * i);
        i += 1;
    }
    k
}

/// Slots of [`STOPWORD_TABLE`] (a power of two, well above the number of stopwords).
const STOPWORD_SLOTS: usize = 256;

/// The home slot of a packed word in [`STOPWORD_TABLE`].
const fn stopword_slot(k: u64) -> usize {
    (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize & (STOPWORD_SLOTS - 1)
}

/// The packed stopwords in an open-addressing table with linear probing; 0 marks a free slot.
const STOPWORD_TABLE: [u64; STOPWORD_SLOTS] = {
    let mut table = [0u64; STOPWORD_SLOTS];
    let mut i = 0;
    while i < STOPWORDS.len() {
        let k = pack(STOPWORDS[i].as_bytes());
        let mut slot = stopword_slot(k);
        while table[slot] != 0 && table[slot] != k {
            slot = (slot + 1) & (STOPWORD_SLOTS - 1);
        }
        table[slot] = k;
        i += 1;
    }
    table
};

/// Whether a lower-cased word is one of [`STOPWORDS`].
fn is_stopword(w: &[u8]) -> bool {
    if w.is_empty() || w.len() > STOPWORD_MAX_LEN {
        return false;
    }
    let k = pack(w);
    let mut slot = stopword_slot(k);
    loop {
        let e = STOPWORD_TABLE[slot];
        if e == k {
            return true;
        }
        if e == 0 {
            return false;
        }
        slot = (slot + 1) & (STOPWORD_SLOTS - 1);
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The normalised content words of a text, in order.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
        let raw = raw.trim_matches('\'');
        if raw.is_empty() {
            continue;
        }
        let mut w = raw.to_lowercase();
        // Possessive and plural folding: "syria's" -> "syria", "forces" -> "force".
        if w.ends_with("'s") {
            w.truncate(w.len() - 2);
        }
        if w.is_empty() || STOPWORDS.contains(&w.as_str()) {
            continue;
        }
        if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
            w.truncate(w.len() - 1);
        }
        out.push(w);
    }
    out
}

/// Whether a character continues a word (see [`words`]), given the text at its first byte.
/// Returns the answer and the character's length in bytes.
fn word_char_at(rest: &str) -> (bool, usize) {
    match rest.chars().next() {
        Some(c) => (c.is_alphanumeric() || c == '\'', c.len_utf8()),
        None => (false, 1),
    }
}

/// FNV-1a of the ASCII-lower-cased bytes.
fn fnv1a_ascii_lower(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Folds one raw word (a run of word characters with its apostrophes trimmed, non-empty) as
/// [`words`] does and returns the FNV-1a hash of the result, or `None` for a dropped word.
/// `w` must be lower-cased except for ASCII letters (which are lower-cased here): the raw word
/// itself when it is ASCII, else its `to_lowercase` (which has no ASCII upper-case left).
fn fold_hash(w: &[u8]) -> Option<u64> {
    let mut w = w;
    // Possessive and plural folding: "syria's" -> "syria", "forces" -> "force".
    if let [rest @ .., b'\'', b's' | b'S'] = w {
        w = rest;
    }
    if w.is_empty() {
        return None;
    }
    if w.len() <= STOPWORD_MAX_LEN {
        let mut lower = [0u8; STOPWORD_MAX_LEN];
        for (l, b) in lower.iter_mut().zip(w) {
            *l = b.to_ascii_lowercase();
        }
        if is_stopword(&lower[..w.len()]) {
            return None;
        }
    }
    if w.len() > 3 {
        if let [rest @ .., a, b's' | b'S'] = w {
            if !matches!(a, b's' | b'S') {
                w = &w[..rest.len() + 1];
            }
        }
    }
    Some(fnv1a_ascii_lower(w))
}

/// The FNV-1a hashes of the normalised content words of a text, in order: `fnv1a` of each word
/// of [`words`], without building a `String` per word (an ASCII word is lower-cased as it is
/// hashed; only a word with other characters goes through `str::to_lowercase`).
fn word_hashes(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut out = Vec::with_capacity(n / 8 + 1);
    let mut i = 0;
    while i < n {
        // Skip separators.
        let b = bytes[i];
        if b < 0x80 {
            if !(b.is_ascii_alphanumeric() || b == b'\'') {
                i += 1;
                continue;
            }
        } else {
            let (word, len) = word_char_at(text.get(i..).unwrap_or_default());
            if !word {
                i += len;
                continue;
            }
        }
        // A run of word characters.
        let start = i;
        let mut ascii = true;
        while i < n {
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_alphanumeric() || b == b'\'' {
                    i += 1;
                } else {
                    break;
                }
            } else {
                let (word, len) = word_char_at(text.get(i..).unwrap_or_default());
                if !word {
                    break;
                }
                ascii = false;
                i += len;
            }
        }
        let raw = text.get(start..i).unwrap_or_default().trim_matches('\'');
        if raw.is_empty() {
            continue;
        }
        let hash = if ascii {
            fold_hash(raw.as_bytes())
        } else {
            fold_hash(raw.to_lowercase().as_bytes())
        };
        if let Some(h) = hash {
            out.push(h);
        }
    }
    out
}

// The shingles below are single words: a shingle's hash is its word's hash.
const _: () = assert!(
    SHINGLE == 1,
    "shingles_of_word_hashes handles one-word shingles only"
);

/// Hashes of the word shingles of a text (deduplicated).
pub fn shingles(text: &str) -> Vec<u64> {
    shingles_of_word_hashes(&word_hashes(text))
}

/// The deduplicated shingle hashes, given the hashes of a text's words ([`word_hashes`]).
fn shingles_of_word_hashes(hashes: &[u64]) -> Vec<u64> {
    let mut out = hashes.to_vec();
    out.sort_unstable();
    out.dedup();
    out
}

/// The MinHash signature of a text.
pub fn signature(text: &str) -> Signature {
    signature_of_shingles(&shingles(text))
}

/// The MinHash signature and the lead of a text, splitting it into words once.
pub fn signature_and_lead(text: &str) -> (Signature, Lead) {
    let hashes = word_hashes(text);
    (
        signature_of_shingles(&shingles_of_word_hashes(&hashes)),
        Lead::of_word_hashes(&hashes),
    )
}

/// The per-slot keys of the signature: slot `i` hashes shingle `h` as `splitmix(h ^ KEYS[i])`.
const SLOT_KEYS: [u64; NUM_HASHES] = {
    let mut keys = [0u64; NUM_HASHES];
    let mut i = 0;
    while i < NUM_HASHES {
        keys[i] = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        i += 1;
    }
    keys
};

/// The hash of shingle `h` in the slot with key `key`.
#[inline(always)]
fn slot_hash(h: u64, key: u64) -> u32 {
    (splitmix(h ^ key) >> 32) as u32
}

fn signature_of_shingles(shingles: &[u64]) -> Signature {
    let mut sig = vec![u32::MAX; NUM_HASHES];
    // Eight shingles per pass over the slots (then four, then one): independent hash chains
    // for the processor, and one load and store of a slot per eight hashes. `black_box` keeps
    // these loops scalar: vectorised for baseline x86-64 (SSE2: no 64-bit multiply, no unsigned
    // 32-bit minimum) they take more instructions per hash than the scalar code.
    let mut octets = shingles.chunks_exact(8);
    for o in &mut octets {
        if let &[a, b, c, d, e, f, g, h] = o {
            for (slot, &k) in sig.iter_mut().zip(SLOT_KEYS.iter()) {
                let k = std::hint::black_box(k);
                let m1 = slot_hash(a, k)
                    .min(slot_hash(b, k))
                    .min(slot_hash(c, k).min(slot_hash(d, k)));
                let m2 = slot_hash(e, k)
                    .min(slot_hash(f, k))
                    .min(slot_hash(g, k).min(slot_hash(h, k)));
                *slot = (*slot).min(m1.min(m2));
            }
        }
    }
    let mut quads = octets.remainder().chunks_exact(4);
    for q in &mut quads {
        if let &[a, b, c, d] = q {
            for (slot, &k) in sig.iter_mut().zip(SLOT_KEYS.iter()) {
                let k = std::hint::black_box(k);
                let m = slot_hash(a, k)
                    .min(slot_hash(b, k))
                    .min(slot_hash(c, k).min(slot_hash(d, k)));
                *slot = (*slot).min(m);
            }
        }
    }
    for &h in quads.remainder() {
        for (slot, &k) in sig.iter_mut().zip(SLOT_KEYS.iter()) {
            *slot = (*slot).min(slot_hash(h, k));
        }
    }
    Signature(sig)
}

impl Signature {
    /// Estimated Jaccard similarity of the two shingle sets. Empty texts are similar to nothing.
    pub fn similarity(&self, other: &Signature) -> f64 {
        if self.0.len() != other.0.len() || self.0.is_empty() || self.is_empty_text() {
            return 0.0;
        }
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / self.0.len() as f64
    }

    /// Whether the signature is of a text with no words.
    pub fn is_empty_text(&self) -> bool {
        self.0.iter().all(|v| *v == u32::MAX)
    }

    /// The LSH band keys of this signature (one per band; empty for an empty text).
    pub fn band_keys(&self) -> Vec<i64> {
        if self.is_empty_text() {
            return Vec::new();
        }
        self.0
            .chunks(ROWS)
            .take(BANDS)
            .enumerate()
            .map(|(band, rows)| {
                let mut h = fnv1a(&(band as u64).to_le_bytes());
                for r in rows {
                    h = splitmix(h ^ u64::from(*r));
                }
                h as i64
            })
            .collect()
    }

    /// Little-endian bytes, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads [`Signature::to_bytes`] output back.
    pub fn from_bytes(bytes: &[u8]) -> Signature {
        Signature(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
}

/// Exact Jaccard similarity of the shingle sets of two texts (for evaluation).
pub fn jaccard(a: &str, b: &str) -> f64 {
    let (sa, sb) = (shingles(a), shingles(b));
    if sa.is_empty() && sb.is_empty() {
        return 0.0;
    }
    let set: std::collections::HashSet<u64> = sa.iter().copied().collect();
    let inter = sb.iter().filter(|h| set.contains(h)).count();
    inter as f64 / (sa.len() + sb.len() - inter) as f64
}

/// The implementation before `word_hashes` and the four-shingle signature loop, kept to check
/// that stored signatures, leads and band keys do not change.
#[cfg(test)]
mod reference {
    use super::{LEAD_WORDS, Lead, NUM_HASHES, SHINGLE, Signature, fnv1a, splitmix, words};

    fn shingles_of_words(words: &[String]) -> Vec<u64> {
        let mut out: Vec<u64> = if words.len() < SHINGLE {
            words.iter().map(|w| fnv1a(w.as_bytes())).collect()
        } else {
            words
                .windows(SHINGLE)
                .map(|win| fnv1a(win.join(" ").as_bytes()))
                .collect()
        };
        out.sort_unstable();
        out.dedup();
        out
    }

    fn lead_of_words(words: &[String]) -> Lead {
        let mut v: Vec<u64> = words
            .iter()
            .take(LEAD_WORDS)
            .map(|w| fnv1a(w.as_bytes()))
            .collect();
        v.sort_unstable();
        v.dedup();
        Lead(v)
    }

    fn signature_of_shingles(shingles: &[u64]) -> Signature {
        let mut sig = vec![u32::MAX; NUM_HASHES];
        for &h in shingles {
            for (i, slot) in sig.iter_mut().enumerate() {
                let v = (splitmix(h ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> 32) as u32;
                if v < *slot {
                    *slot = v;
                }
            }
        }
        Signature(sig)
    }

    /// Shingles, signature and lead of a text, as they were computed before.
    pub(super) fn all(text: &str) -> (Vec<u64>, Signature, Lead) {
        let words = words(text);
        let shingles = shingles_of_words(&words);
        let sig = signature_of_shingles(&shingles);
        (shingles, sig, lead_of_words(&words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Figures agree when the smaller set is all within the larger and telling: two or more
    /// figures, or one of at least ten.
    #[test]
    fn figures_agree_when_one_set_holds_the_other() {
        let f = |v: &[(u8, u64)]| Figures(v.to_vec());
        assert!(f(&[(1, 12), (2, 30)]).agree(&f(&[(1, 12), (2, 30)])));
        assert!(f(&[(1, 20)]).agree(&f(&[(1, 10), (1, 20)])));
        assert!(f(&[(1, 10), (1, 20)]).agree(&f(&[(1, 20)])));
        // a figure of its own: a monitor's higher toll
        assert!(!f(&[(1, 17), (2, 30)]).agree(&f(&[(1, 12), (2, 30)])));
        // the same number of another kind
        assert!(!f(&[(4, 14)]).agree(&f(&[(1, 14)])));
        // one small figure says little
        assert!(!f(&[(1, 2)]).agree(&f(&[(1, 2)])));
        assert!(f(&[(1, 2), (2, 5)]).agree(&f(&[(1, 2), (2, 5)])));
        // none at all
        assert!(!f(&[]).agree(&f(&[(1, 12)])));
        assert!(!f(&[]).agree(&f(&[])));
    }

    /// The new implementation against [`reference`], on one text.
    fn check_against_reference(text: &str) -> Result<(), TestCaseError> {
        let (shingles_ref, sig_ref, lead_ref) = reference::all(text);
        let hashes: Vec<u64> = words(text).iter().map(|w| fnv1a(w.as_bytes())).collect();
        prop_assert_eq!(word_hashes(text), hashes, "word hashes of {:?}", text);
        prop_assert_eq!(shingles(text), shingles_ref, "shingles of {:?}", text);
        prop_assert_eq!(&Lead::of(text), &lead_ref, "lead of {:?}", text);
        prop_assert_eq!(&signature(text), &sig_ref, "signature of {:?}", text);
        let (sig, lead) = signature_and_lead(text);
        prop_assert_eq!(
            sig.band_keys(),
            sig_ref.band_keys(),
            "band keys of {:?}",
            text
        );
        prop_assert_eq!((sig, lead), (sig_ref, lead_ref), "{:?}", text);
        Ok(())
    }

    #[test]
    fn stopword_table_holds_exactly_the_stopwords() {
        for w in STOPWORDS {
            assert!(is_stopword(w.as_bytes()), "{w}");
            assert!(!is_stopword(format!("{w}x").as_bytes()), "{w}x");
        }
        let in_table = STOPWORD_TABLE.iter().filter(|k| **k != 0).count();
        assert_eq!(in_table, STOPWORDS.len());
        for w in [
            "", "b", "thes", "abou", "whic", "hello", "againsts", "through'",
        ] {
            assert!(!is_stopword(w.as_bytes()), "{w}");
        }
    }

    #[test]
    fn matches_the_reference_on_edge_cases() -> Result<(), TestCaseError> {
        for text in [
            "",
            "'",
            "''s",
            "'s",
            "S",
            "'S's",
            "Syria's forces said",
            "SYRIA'S FORCES SAID THE CLASS'S BUSES",
            "The The THE tHe a A an AN",
            "ss sss ssss sssss gas gass bus buss BUSS'S",
            "Kafr Nabl 2015 B52s 1990s 3'S abc's' ''abc''",
            "ΣΊΣΥΦΟΣ ΌΣΟΣ Σ'S İstanbul'S Straße STRASSE ǅemal Éric's",
            "naïve café's résumés Ǆ ǆs ǅs",
            "\u{212A}elvin \u{212B} \u{1E9E}S ſs ßs Ωs",
            "١٢٣ ٣s 一二三 日本語's ",
            "tab\tnew\nline\r\n—dash–dash…dots «quoted» don't won't it's its",
        ] {
            check_against_reference(text)?;
        }
        Ok(())
    }

    #[test]
    fn identical_texts_are_fully_similar() {
        let a = signature("Government troops shelled the northern town of Kafr Nabl on Monday.");
        assert_eq!(a.similarity(&a), 1.0);
        assert_eq!(a.band_keys().len(), BANDS);
    }

    #[test]
    fn unrelated_texts_are_not_similar() {
        let a = signature("Government troops shelled the northern town of Kafr Nabl on Monday.");
        let b = signature("The central bank raised interest rates by half a point in March.");
        assert!(a.similarity(&b) < 0.1);
    }

    #[test]
    fn empty_text_has_no_bands() {
        let s = signature("");
        assert!(s.band_keys().is_empty());
        assert_eq!(s.similarity(&s), 0.0);
    }

    #[test]
    fn signature_and_lead_together_equal_each_alone() {
        for text in [
            "",
            "Troops captured Palmyra from militants on Monday, officials said.",
            "Syria's forces said",
        ] {
            assert_eq!(
                signature_and_lead(text),
                (signature(text), Lead::of(text)),
                "{text}"
            );
        }
    }

    #[test]
    fn words_fold_plurals_and_possessives() {
        assert_eq!(words("Syria's forces said"), vec!["syria", "force"]);
    }

    #[test]
    fn same_vocabulary_with_a_different_lead_is_not_a_copy_lead() {
        let a = Lead::of("Troops captured Palmyra from militants on Monday, officials said.");
        let b = Lead::of("A roadside bomb struck a convoy near Homs on Friday, killing six.");
        assert!(a.similarity(&b) < LEAD_THRESHOLD);
        assert_eq!(a.similarity(&a), 1.0);
        assert_eq!(Lead::from_bytes(&a.to_bytes()), a);
        assert_eq!(Lead::of("").similarity(&Lead::of("")), 0.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Words, shingles, signatures, band keys and leads are those of the reference
        /// implementation: text mixing cases, stopwords, plurals, possessives, apostrophes,
        /// digits, separators and non-ASCII letters (final sigma, dotted I, sharp s, ...).
        #[test]
        fn same_as_reference_on_mixed_text(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("The".to_string()), Just("the".to_string()), Just("SAID".to_string()),
                    Just("against".to_string()), Just("itself".to_string()),
                    Just("forces".to_string()), Just("class".to_string()),
                    Just("BUSES".to_string()), Just("gas".to_string()), Just("'s".to_string()),
                    Just("Syria's".to_string()), Just("ΌΣΟΣ".to_string()),
                    Just("İs".to_string()), Just("STRAẞE".to_string()),
                    "[a-zA-Z0-9']{1,12}",
                    "[a-zA-Z'sSΣσςİıßẞÉé\u{212A}\u{0345}0-9٣]{1,10}",
                    "[ ,.;:!?()\\-—\t\n\"']{1,3}",
                ],
                0..60,
            )
        ) {
            check_against_reference(&parts.concat())?;
        }

        /// The same on arbitrary Unicode text.
        #[test]
        fn same_as_reference_on_any_text(text in "\\PC{0,300}") {
            check_against_reference(&text)?;
        }

        /// The same on arbitrary strings, control characters included.
        #[test]
        fn same_as_reference_on_any_string(text in any::<String>()) {
            check_against_reference(&text)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn signature_bytes_round_trip(text in ".{0,200}") {
            let s = signature(&text);
            prop_assert_eq!(Signature::from_bytes(&s.to_bytes()), s);
        }

        /// `words` folds as its definition says, written plainly here (stored signatures
        /// depend on it, so it must not drift).
        #[test]
        fn words_follow_their_definition(text in "([a-zA-Z'ÉéİßΣ ,.]{0,12}){0,20}") {
            let mut expected = Vec::new();
            for raw in text.split(|c: char| !c.is_alphanumeric() && c != '\'') {
                let w = raw.trim_matches('\'').to_lowercase();
                let w = w.strip_suffix("'s").unwrap_or(&w).to_string();
                if w.is_empty() || STOPWORDS.contains(&w.as_str()) {
                    continue;
                }
                let w = if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                    w[..w.len() - 1].to_string()
                } else {
                    w
                };
                expected.push(w);
            }
            prop_assert_eq!(words(&text), expected);
        }
    }
}
