//! Phrase index: longest-match lookup of multi-token phrases over [`Tokens`].
//!
//! Phrases are tokenized with the same tokenizer as the text, keyed by their first token, and
//! tried longest first. Lookups never allocate.

use rustc_hash::FxHashMap as HashMap;

use frontline_text::Span;

use crate::lex::{Tokens, tokenize};

/// A phrase index mapping token sequences to values.
#[derive(Debug, Clone)]
pub struct PhraseIndex<V> {
    /// first token -> (remaining tokens, value), longest first
    map: HashMap<String, Vec<(Vec<String>, V)>>,
    /// One bit per (first byte, length) of the first tokens: most tokens start no phrase, and
    /// this rejects them without hashing.
    starts: Box<[u64; 128]>,
    /// The same for (last byte, length).
    ends: Box<[u64; 128]>,
    case_sensitive: bool,
}

/// The bit of a first token in [`PhraseIndex::ends`].
fn end_bit(w: &str) -> usize {
    let b = w.as_bytes().last().copied().unwrap_or(0);
    (usize::from(b) << 5) | w.len().min(31)
}

/// The bit of a first token in [`PhraseIndex::starts`] (lengths from 31 share one bit).
fn start_bit(w: &str) -> usize {
    let b0 = w.as_bytes().first().copied().unwrap_or(0);
    (usize::from(b0) << 5) | w.len().min(31)
}

impl<V: Clone> PhraseIndex<V> {
    /// An empty index; `case_sensitive` compares original token text instead of lowercase.
    pub fn new(case_sensitive: bool) -> Self {
        Self {
            map: HashMap::default(),
            starts: Box::new([0; 128]),
            ends: Box::new([0; 128]),
            case_sensitive,
        }
    }

    /// Adds a phrase. Empty phrases are ignored. Re-adding the same phrase keeps the first value.
    pub fn insert(&mut self, phrase: &str, value: V) {
        let norm = if self.case_sensitive {
            phrase.to_string()
        } else {
            phrase.to_ascii_lowercase()
        };
        let lower = norm.to_ascii_lowercase();
        let t = tokenize(&norm, &lower, Span::new(0, norm.len()));
        if t.is_empty() {
            return;
        }
        let words: Vec<String> = (0..t.len()).map(|i| t.raw(i).to_string()).collect();
        let Some((first, rest)) = words.split_first() else {
            return;
        };
        let bit = start_bit(first);
        self.starts[bit >> 6] |= 1 << (bit & 63);
        let bit = end_bit(first);
        self.ends[bit >> 6] |= 1 << (bit & 63);
        let list = self.map.entry(first.clone()).or_default();
        if list.iter().any(|(r, _)| r.as_slice() == rest) {
            return;
        }
        list.push((rest.to_vec(), value));
        list.sort_by_key(|x| std::cmp::Reverse(x.0.len()));
    }

    /// Number of distinct first tokens.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    fn tok<'a>(&self, t: &Tokens<'a>, i: usize) -> &'a str {
        if self.case_sensitive {
            t.raw(i)
        } else {
            t.low(i)
        }
    }

    /// Longest phrase starting at token `i`: (end token index exclusive, value).
    pub fn longest_at(&self, t: &Tokens<'_>, i: usize) -> Option<(usize, &V)> {
        let first = self.tok(t, i);
        if first.is_empty() {
            return None;
        }
        let bit = start_bit(first);
        if self.starts[bit >> 6] & (1 << (bit & 63)) == 0 {
            return None;
        }
        let bit = end_bit(first);
        if self.ends[bit >> 6] & (1 << (bit & 63)) == 0 {
            return None;
        }
        let list = self.map.get(first)?;
        'outer: for (rest, v) in list {
            if i + 1 + rest.len() > t.len() {
                continue;
            }
            for (k, w) in rest.iter().enumerate() {
                if self.tok(t, i + 1 + k) != w {
                    continue 'outer;
                }
            }
            return Some((i + 1 + rest.len(), v));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_wins() {
        let mut p = PhraseIndex::new(false);
        p.insert("Islamic State", 1);
        p.insert("Islamic State group", 2);
        p.insert("Kurdistan Workers' Party", 3);
        let s = "the Islamic State group and the Kurdistan Workers' Party";
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        assert_eq!(p.longest_at(&t, 1), Some((4, &2)));
        assert_eq!(p.longest_at(&t, 6), Some((10, &3)));
        assert_eq!(p.longest_at(&t, 0), None);
    }
}
