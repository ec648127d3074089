//! A rule-based sentence splitter for news text.
//!
//! Rules, in order:
//! - A paragraph break (a blank line) always ends a sentence.
//! - A single line break ends a sentence (headlines, datelines on their own line, list items)
//!   unless the next line starts with a lowercase letter or the line before ends with `,`, `;`,
//!   `:`, `-`, `(` or `/` (a wrapped line).
//! - `.`, `!`, `?` (and Arabic `؟`, `۔`), with any closing quotes or brackets after them, end a
//!   sentence when followed by whitespace and a word that does not start in lowercase, except:
//!   - after titles and other abbreviations that never end a sentence (`Gen.`, `Col.`, `Mr.`,
//!     `Dr.`, `St.`, `vs.`), and after month abbreviations and `No.` before a number;
//!   - after dotted acronyms (`U.S.`, `U.N.`, `J.R.R.`), single-letter initials (`John F.
//!     Kennedy`) and company abbreviations (`Inc.`, `Corp.`) unless the next word is a common
//!     sentence opener ("The", "He", "But"...);
//!   - after an ellipsis (`...`), which marks an omission more often than an ending.
//! - Decimals (`1.5`), web addresses and other periods not followed by whitespace never split.
//!
//! Datelines ("BEIRUT (AP) - Syrian troops ...", "BAGHDAD, June 17 (Reuters) - ...") carry no
//! sentence-final punctuation, so they stay with their first sentence.

use crate::Span;

/// Abbreviations that never end a sentence (lowercase, without the final period).
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "col", "lt", "maj", "sgt", "capt", "cpl",
    "pvt", "adm", "brig", "cmdr", "cdr", "gov", "sen", "rep", "rev", "st", "mt", "ft", "pres",
    "supt", "insp", "hon", "vs", "v", "approx", "cf", "e.g", "i.e", "viz", "lt.col", "lt.gen",
    "maj.gen", "brig.gen", "gens", "sens", "reps", "amb", "gen.",
];

/// Abbreviations that do not end a sentence before a number ("Sept. 3", "No. 5").
const BEFORE_NUMBER: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
    "nos", "vol", "art", "para", "fig", "p", "pp", "ch", "sec", "approx",
];

/// Abbreviations that end a sentence only before a common sentence opener.
const AMBIGUOUS: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "plc", "bros", "jr", "sr", "etc", "dept", "univ", "assn",
    "a.m", "p.m", "a.d", "b.c",
];

/// Words that commonly open a sentence; after an ambiguous abbreviation they signal a split.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "its",
    "their",
    "our",
    "this",
    "that",
    "these",
    "those",
    "there",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "if",
    "in",
    "on",
    "at",
    "after",
    "before",
    "when",
    "while",
    "meanwhile",
    "however",
    "according",
    "also",
    "some",
    "many",
    "most",
    "no",
    "since",
    "earlier",
    "later",
    "last",
    "on",
    "for",
    "from",
    "as",
    "officials",
    "residents",
    "witnesses",
    "several",
    "both",
    "one",
    "two",
    "three",
    "it's",
    "what",
    "who",
    "why",
    "how",
    "last",
    "separately",
    "elsewhere",
];

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\u{61F}' | '\u{6D4}' | '\u{2026}')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '\u{2019}' | '\u{201D}' | '\u{BB}' | '\u{203A}'
    )
}

fn is_opener_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '\u{2018}' | '\u{201C}' | '\u{AB}' | '\u{2039}'
    )
}

/// Splits `text[region]` into sentences. Returned spans are trimmed of whitespace, non-empty,
/// in order, non-overlapping and inside `region` (which is first clamped to the text and to
/// char boundaries).
pub fn sentences(text: &str, region: Span) -> Vec<Span> {
    let region = clamp(text, region);
    let base = region.start;
    let s = &text[region.range()];
    let b = s.as_bytes();
    let n = s.len();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < n {
        // ASCII other than a line break or `.`, `!`, `?` neither breaks a line nor ends a
        // sentence: skipped in one scan (non-ASCII characters are looked at one by one).
        i += b
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .position(|&x| !x.is_ascii() || matches!(x, b'\n' | b'.' | b'!' | b'?'))
            .unwrap_or(n - i);
        let Some(c) = crate::token::at(s, i) else {
            break;
        };
        if c == '\n' {
            let (j, newlines) = skip_space(s, i);
            if newlines >= 2 || j >= n || line_break_splits(s, start, i, j) {
                push(&mut out, s, base, start, i);
                start = j;
            }
            i = j;
            continue;
        }
        if !is_terminal(c) {
            i += c.len_utf8();
            continue;
        }
        // A run of terminal punctuation, then closing quotes and brackets.
        let mut k = i;
        let mut dots = 0;
        while let Some(t) = s[k..].chars().next().filter(|&t| is_terminal(t)) {
            if t == '.' {
                dots += 1;
            } else if t == '\u{2026}' {
                dots += 3;
            }
            k += t.len_utf8();
        }
        while let Some(t) = s[k..].chars().next().filter(|&t| is_closer(t)) {
            k += t.len_utf8();
        }
        if k >= n {
            push(&mut out, s, base, start, k);
            start = k;
            i = k;
            continue;
        }
        if !b[k].is_ascii_whitespace() {
            if missing_space(s, i, k) {
                // "said.The army": a sentence end with the space lost.
                push(&mut out, s, base, start, k);
                start = k;
            }
            i = k;
            continue;
        }
        let (m, newlines) = skip_space(s, k);
        let split = if newlines > 0 || m >= n {
            true
        } else {
            let ellipsis = dots >= 2;
            let only_period = s[i..k].trim_end_matches(is_closer) == ".";
            let next = next_word(s, m);
            let next_first = next.chars().next();
            if next_first.is_some_and(char::is_lowercase)
                || ellipsis
                || (only_period && is_list_number(&s[start..i]))
            {
                false
            } else if only_period {
                period_splits(&s[word_start(s, i)..i], next)
            } else {
                true
            }
        };
        if split {
            push(&mut out, s, base, start, k);
            start = m;
        }
        i = m;
    }
    push(&mut out, s, base, start, n);
    out
}

/// Whether a period after `word` (without the period) followed by `next` ends a sentence.
fn period_splits(word: &str, next: &str) -> bool {
    let lower = word.to_lowercase();
    let next_lower = next.to_lowercase();
    let next_is_opener = OPENERS.contains(&next_lower.as_str());
    let next_is_digit = next.chars().next().is_some_and(|c| c.is_ascii_digit());
    if TITLES.contains(&lower.as_str()) {
        return false;
    }
    if BEFORE_NUMBER.contains(&lower.as_str()) && next_is_digit {
        return false;
    }
    if AMBIGUOUS.contains(&lower.as_str()) {
        return next_is_opener;
    }
    if is_initials(word) {
        return next_is_opener;
    }
    true
}

/// Whether the sentence so far is only a list number ("1", "12").
fn is_list_number(so_far: &str) -> bool {
    let t = so_far.trim();
    !t.is_empty() && t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the period at `i` (terminal run ending at `k`, no space after) ends a sentence
/// whose following space was lost: a lowercase word of two or more letters, then an
/// uppercase letter starting a word of two or more letters ("said.The").
fn missing_space(s: &str, i: usize, k: usize) -> bool {
    if &s[i..k] != "." {
        return false;
    }
    let before = &s[word_start(s, i)..i];
    let after: &str = {
        let rest = &s[k..];
        let end = rest
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(rest.len(), |(j, _)| j);
        &rest[..end]
    };
    let next_char = s[k + after.len()..].chars().next();
    before.chars().count() >= 2
        && before.chars().all(|c| c.is_lowercase())
        && after.chars().count() >= 2
        && after.chars().next().is_some_and(char::is_uppercase)
        && after.chars().skip(1).all(char::is_lowercase)
        && next_char != Some('.')
}

/// "F", "U.S", "J.R.R", "U.N": single letters joined by periods, the first uppercase.
fn is_initials(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let mut expect_dot = true;
    for c in chars {
        if expect_dot {
            if c != '.' {
                return false;
            }
        } else if !c.is_alphabetic() {
            return false;
        }
        expect_dot = !expect_dot;
    }
    expect_dot
}

/// Start of the word that ends at `end` (at most 32 bytes back, so the splitter stays linear).
fn word_start(s: &str, end: usize) -> usize {
    let mut w = end;
    for (j, c) in s[..end].char_indices().rev() {
        if c.is_whitespace() || is_opener_punct(c) || end - j > 32 {
            break;
        }
        w = j;
    }
    w
}

/// The word starting at `m`, after any opening quotes or brackets (at most 32 bytes).
fn next_word(s: &str, m: usize) -> &str {
    let rest = &s[m..];
    let rest = rest.trim_start_matches(is_opener_punct);
    let mut end = 0;
    for (j, c) in rest.char_indices() {
        if !(c.is_alphanumeric() || c == '\'') || j > 32 {
            break;
        }
        end = j + c.len_utf8();
    }
    if end == 0 {
        // Not a word (a number sign, a dash...): return the first character.
        return rest
            .get(..rest.chars().next().map_or(0, char::len_utf8))
            .unwrap_or("");
    }
    &rest[..end]
}

/// Whether a single line break at `nl` (next line starting at `next`) ends the sentence that
/// started at `start`.
fn line_break_splits(s: &str, start: usize, nl: usize, next: usize) -> bool {
    let line = s[start..nl].trim_end();
    let Some(last) = line.chars().next_back() else {
        return false;
    };
    if matches!(last, ',' | ';' | ':' | '-' | '(' | '/' | '&') {
        return false;
    }
    let next_first = s[next..].chars().next();
    !next_first.is_some_and(char::is_lowercase)
}

/// Skips whitespace from `i`; returns the next non-space offset and the number of line breaks.
fn skip_space(s: &str, i: usize) -> (usize, usize) {
    let mut newlines = 0;
    for (j, c) in s[i..].char_indices() {
        if !c.is_whitespace() {
            return (i + j, newlines);
        }
        if c == '\n' {
            newlines += 1;
        }
    }
    (s.len(), newlines)
}

fn push(out: &mut Vec<Span>, s: &str, base: usize, start: usize, end: usize) {
    if start >= end {
        return;
    }
    let piece = &s[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let a = base + start + lead;
    out.push(Span::new(a, a + trimmed.len()));
}

/// Clamps a span to the text and moves its ends inward to char boundaries.
pub(crate) fn clamp(text: &str, span: Span) -> Span {
    let mut end = span.end.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut start = span.start.min(end);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    Span::new(start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes `sentences` skips in one scan are exactly the ASCII characters its loop would
    /// step over one by one: neither a line break nor terminal punctuation.
    #[test]
    fn skipped_bytes_are_the_ones_stepped_over() {
        for x in 0u8..0x80 {
            let c = char::from(x);
            assert_eq!(
                !matches!(x, b'\n' | b'.' | b'!' | b'?'),
                c != '\n' && !is_terminal(c),
                "{x}"
            );
        }
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text, Span::new(0, text.len()))
            .into_iter()
            .map(|s| &text[s.range()])
            .collect()
    }

    #[test]
    fn abbreviations_and_titles() {
        let t = "Lt. Gen. Karim Haddad met U.S. and U.N. envoys on Sept. 3 in the city. \
                 Col. Omar Nasser of the 4th Division said St. Elias church was hit. \
                 Mr. and Mrs. Salem fled to No. 9 camp.";
        assert_eq!(
            split(t),
            vec![
                "Lt. Gen. Karim Haddad met U.S. and U.N. envoys on Sept. 3 in the city.",
                "Col. Omar Nasser of the 4th Division said St. Elias church was hit.",
                "Mr. and Mrs. Salem fled to No. 9 camp."
            ]
        );
    }

    #[test]
    fn initials_acronyms_and_openers() {
        let t = "The airport is named for John F. Kennedy. J.R.R. Tolkien was cited. \
                 Troops arrived from the U.S. The convoy left at dawn.";
        assert_eq!(
            split(t),
            vec![
                "The airport is named for John F. Kennedy.",
                "J.R.R. Tolkien was cited.",
                "Troops arrived from the U.S.",
                "The convoy left at dawn."
            ]
        );
    }

    #[test]
    fn decimals_ellipses_and_quotes() {
        let t = "The blast left a crater 1.5 meters deep... officials said. \
                 \"We will not leave,\" a fighter said. \"They shelled us all night.\" \
                 The army denied it. Was it true? Nobody knew!";
        assert_eq!(
            split(t),
            vec![
                "The blast left a crater 1.5 meters deep... officials said.",
                "\"We will not leave,\" a fighter said.",
                "\"They shelled us all night.\"",
                "The army denied it.",
                "Was it true?",
                "Nobody knew!"
            ]
        );
    }

    #[test]
    fn datelines_headlines_and_paragraphs() {
        let t = "Border crossing reopens after three years\n\
                 BEIRUT (AP) - Syrian troops reached the frontier on Sunday. \
                 They met Iraqi units.\n\n\
                 BAGHDAD, June 17 (Reuters) - Iraqi officials confirmed the meeting\n\n\
                 Shelling resumed later";
        assert_eq!(
            split(t),
            vec![
                "Border crossing reopens after three years",
                "BEIRUT (AP) - Syrian troops reached the frontier on Sunday.",
                "They met Iraqi units.",
                "BAGHDAD, June 17 (Reuters) - Iraqi officials confirmed the meeting",
                "Shelling resumed later"
            ]
        );
    }

    #[test]
    fn wrapped_lines_and_lowercase_continuations() {
        let t = "Fighters moved toward the town,\nwhich had been besieged for months.";
        assert_eq!(split(t).len(), 1);
        let t = "Forces took the village\nafter a week of clashes.";
        assert_eq!(split(t).len(), 1);
    }

    #[test]
    fn times_of_day() {
        let t = "The shelling began at 10 p.m. Syrian troops answered at dawn. \
                 It stopped at 4 a.m. The army said it had won.";
        assert_eq!(
            split(t),
            vec![
                "The shelling began at 10 p.m. Syrian troops answered at dawn.",
                "It stopped at 4 a.m.",
                "The army said it had won."
            ]
        );
    }

    #[test]
    fn lost_spaces_and_list_numbers() {
        let t = "Clashes left three dead, an official said.The army denied it.";
        assert_eq!(
            split(t),
            vec![
                "Clashes left three dead, an official said.",
                "The army denied it."
            ]
        );
        // Domains, acronyms and decimals are not sentence ends.
        assert_eq!(
            split("Visit example.com or the U.S.Army site, 1.5 km away.").len(),
            1
        );
        let t = "1. Troops arrive\n2. Talks begin";
        assert_eq!(split(t), vec!["1. Troops arrive", "2. Talks begin"]);
    }

    #[test]
    fn respects_region() {
        let t = "Skip this. Keep this one. And this.";
        let region = Span::new(11, t.len());
        let got = sentences(t, region);
        assert_eq!(
            got.iter().map(|s| &t[s.range()]).collect::<Vec<_>>(),
            vec!["Keep this one.", "And this."]
        );
        assert!(got.iter().all(|s| region.contains(*s)));
        assert!(sentences(t, Span::new(50, 60)).is_empty());
    }

    #[test]
    fn arabic_sentences() {
        let t = "\u{642}\u{627}\u{644} \u{627}\u{644}\u{62C}\u{64A}\u{634}. \u{648}\u{635}\u{644}\u{62A} \u{627}\u{644}\u{642}\u{648}\u{627}\u{62A}\u{61F} \u{646}\u{639}\u{645}";
        assert_eq!(split(t).len(), 3);
    }
}

/// Longest sentence the pipeline analyses as one unit, in bytes. Real sentences are far
/// shorter; text with no sentence ends (a page flattened to one line, a table, garbage) would
/// otherwise become one huge "sentence" whose per-sentence rules cost more than linear time.
pub const MAX_SENTENCE_BYTES: usize = 2048;

/// Cuts a span longer than `max` bytes into pieces of at most `max` bytes, at the last
/// whitespace before each limit where there is one (else at a char boundary), so that the work
/// done per sentence stays bounded. Pieces are trimmed of whitespace and never empty; a span of
/// at most `max` bytes is returned unchanged.
pub fn split_long(text: &str, span: Span, max: usize) -> Vec<Span> {
    let max = max.max(8);
    if span.len() <= max || span.end > text.len() {
        return vec![span];
    }
    let mut out = Vec::with_capacity(span.len() / max + 1);
    let mut start = span.start;
    while start < span.end {
        while start < span.end && text[start..].starts_with(char::is_whitespace) {
            start += text[start..].chars().next().map_or(1, char::len_utf8);
        }
        if start >= span.end {
            break;
        }
        let mut end = (start + max).min(span.end);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if end < span.end {
            if let Some(ws) = text[start..end]
                .rfind(char::is_whitespace)
                .filter(|&i| i > 0)
            {
                end = start + ws;
            }
        }
        if end <= start {
            // A single char wider than what is left of `max`: take it whole.
            end = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
        let piece = text[start..end].trim_end();
        if !piece.is_empty() {
            out.push(Span::new(start, start + piece.len()));
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod split_long_tests {
    use super::*;

    #[test]
    fn short_spans_are_untouched_and_long_ones_bounded() {
        let text = "Rebels shelled the town. ";
        assert_eq!(
            split_long(text, Span::new(0, 24), 2048),
            vec![Span::new(0, 24)]
        );

        let long = "word ".repeat(2000) + "ÄÖÜ".repeat(500).as_str();
        let pieces = split_long(&long, Span::new(0, long.len()), 100);
        assert!(pieces.len() > 100);
        let mut last = 0;
        for p in &pieces {
            assert!(p.len() <= 100, "{p:?}");
            assert!(p.start >= last && !p.is_empty());
            let s = p.slice(&long).unwrap();
            assert_eq!(s, s.trim());
            last = p.end;
        }
        // Nothing but whitespace is lost.
        let kept: usize = pieces
            .iter()
            .map(|p| p.slice(&long).unwrap().replace(' ', "").len())
            .sum();
        assert_eq!(kept, long.replace(' ', "").len());
    }
}
