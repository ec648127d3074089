//! A small, allocation-light tokenizer used by the rules.
//!
//! Tokens are byte spans into the document text; their lowercase form is read from a
//! lowercased copy of the whole text (ASCII lowercasing keeps byte offsets), so no token
//! allocates. A possessive `'s` is split off as its own token so that "Baghdad's" yields
//! `Baghdad` + `'s`.

use frontline_text::Span;

/// Coarse token classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// Letters (possibly with inner hyphens, apostrophes or dots: "al-Waleed", "U.S.").
    Word,
    /// Digits, possibly with separators ("25,000", "1.5").
    Number,
    /// The possessive clitic `'s` / `'`.
    Possessive,
    /// Any other single character (punctuation, quotes, brackets).
    Punct,
}

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Where it is in the text.
    pub span: Span,
    /// Its class.
    pub kind: Tok,
}

/// A sentence's tokens plus access to the lowercased text.
#[derive(Debug)]
pub struct Tokens<'a> {
    /// The original text.
    pub text: &'a str,
    /// The ASCII-lowercased text (same byte offsets).
    pub lower: &'a str,
    /// The tokens.
    pub toks: Vec<Token>,
}

impl<'a> Tokens<'a> {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// Lowercase form of token `i` ("" when out of range).
    pub fn low(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .and_then(|t| self.lower.get(t.span.range()))
            .unwrap_or("")
    }

    /// Original form of token `i` ("" when out of range).
    pub fn raw(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.span.range()))
            .unwrap_or("")
    }

    /// Whether token `i` starts with an uppercase letter.
    pub fn is_cap(&self, i: usize) -> bool {
        self.raw(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether token `i` is the punctuation character `c`.
    pub fn is_punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Tok::Punct) && self.raw(i).starts_with(c)
    }

    /// Span covering tokens `a..b` (b exclusive); empty span when the range is empty.
    pub fn span(&self, a: usize, b: usize) -> Span {
        match (
            self.toks.get(a),
            b.checked_sub(1).and_then(|l| self.toks.get(l)),
        ) {
            (Some(x), Some(y)) if a < b => Span::new(x.span.start, y.span.end),
            (Some(x), _) => Span::new(x.span.start, x.span.start),
            _ => Span::default(),
        }
    }

    /// Index of the first token starting at or after byte `pos`.
    pub fn index_at(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.span.start < pos)
    }

    /// Index range of the tokens inside `span`.
    pub fn range_of(&self, span: Span) -> (usize, usize) {
        let a = self.toks.partition_point(|t| t.span.start < span.start);
        let b = self.toks.partition_point(|t| t.span.end <= span.end);
        (a, b.max(a))
    }
}

/// "U.S" / "U.N" / "U.S.A": single uppercase letters joined by dots.
fn is_dotted_abbrev(w: &str) -> bool {
    w.len() >= 3
        && w.chars().enumerate().all(|(k, c)| {
            if k % 2 == 0 {
                c.is_ascii_uppercase()
            } else {
                c == '.'
            }
        })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The character at byte `i` of `s`, if any (`None` past the end or inside a character); an
/// ASCII byte is read as it is, without decoding.
#[inline]
fn char_at(s: &str, i: usize) -> Option<char> {
    match s.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        _ => s.get(i..).and_then(|r| r.chars().next()),
    }
}

/// Tokenizes `text[region]`. `lower` must be `text.to_ascii_lowercase()` (or any string with
/// the same byte layout).
pub fn tokenize<'a>(text: &'a str, lower: &'a str, region: Span) -> Tokens<'a> {
    let mut toks = Vec::with_capacity(region.len() / 5 + 1);
    let Some(s) = text.get(region.range()) else {
        return Tokens { text, lower, toks };
    };
    let base = region.start;
    // The next character to read is at `pos`; `char_at(s, pos)` looks at it without taking it.
    let mut pos = 0;
    while let Some(c) = char_at(s, pos) {
        let i = pos;
        pos += c.len_utf8();
        if c.is_whitespace() {
            continue;
        }
        if c == '\'' || c == '\u{2019}' {
            // Possessive clitic after a word: 's or bare '.
            let after_word = toks
                .last()
                .is_some_and(|t: &Token| t.span.end == base + i && t.kind == Tok::Word);
            if after_word {
                let mut end = pos;
                if let Some(n) = char_at(s, pos)
                    && (n == 's' || n == 'S')
                {
                    let next_is_word = char_at(s, pos + 1).is_some_and(is_word_char);
                    if !next_is_word {
                        pos += 1;
                        end = pos;
                    }
                }
                let next_is_word = char_at(s, end).is_some_and(is_word_char);
                if !next_is_word {
                    toks.push(Token {
                        span: Span::new(base + i, base + end),
                        kind: Tok::Possessive,
                    });
                    continue;
                }
            }
            toks.push(Token {
                span: Span::new(base + i, base + i + c.len_utf8()),
                kind: Tok::Punct,
            });
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = i + 1;
            while let Some(n) = char_at(s, pos) {
                let separator = (n == ',' || n == '.')
                    && char_at(s, pos + 1).is_some_and(|d| d.is_ascii_digit());
                if n.is_ascii_digit() || separator {
                    pos += 1;
                    end = pos;
                } else {
                    break;
                }
            }
            toks.push(Token {
                span: Span::new(base + i, base + end),
                kind: Tok::Number,
            });
            continue;
        }
        if is_word_char(c) {
            let mut end = pos;
            while let Some(n) = char_at(s, pos) {
                if is_word_char(n) {
                    pos += n.len_utf8();
                    end = pos;
                } else if (n == '-' || n == '.') && char_at(s, pos + 1).is_some_and(is_word_char) {
                    // inner hyphen (al-Waleed) or dotted abbreviation (U.S)
                    pos += 1;
                    end = pos;
                } else if n == '.' && is_dotted_abbrev(&s[i..end]) {
                    // trailing dot of a dotted abbreviation: "U.S." / "U.N."
                    pos += 1;
                    end = pos;
                    break;
                } else {
                    break;
                }
            }
            toks.push(Token {
                span: Span::new(base + i, base + end),
                kind: Tok::Word,
            });
            continue;
        }
        toks.push(Token {
            span: Span::new(base + i, base + i + c.len_utf8()),
            kind: Tok::Punct,
        });
    }
    Tokens { text, lower, toks }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `tokenize` as it was written over a peekable `char_indices` (the definition the
    /// index-based version is checked against).
    fn tokenize_by_chars<'a>(text: &'a str, lower: &'a str, region: Span) -> Tokens<'a> {
        let mut toks = Vec::with_capacity(region.len() / 5 + 1);
        let Some(s) = text.get(region.range()) else {
            return Tokens { text, lower, toks };
        };
        let base = region.start;
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c.is_whitespace() {
                continue;
            }
            if c == '\'' || c == '\u{2019}' {
                // Possessive clitic after a word: 's or bare '.
                let after_word = toks
                    .last()
                    .is_some_and(|t: &Token| t.span.end == base + i && t.kind == Tok::Word);
                if after_word {
                    let mut end = i + c.len_utf8();
                    if let Some(&(j, n)) = it.peek()
                        && (n == 's' || n == 'S')
                    {
                        let next_is_word = s[j + 1..].chars().next().is_some_and(is_word_char);
                        if !next_is_word {
                            it.next();
                            end = j + 1;
                        }
                    }
                    let next_is_word = s[end..].chars().next().is_some_and(is_word_char);
                    if !next_is_word {
                        toks.push(Token {
                            span: Span::new(base + i, base + end),
                            kind: Tok::Possessive,
                        });
                        continue;
                    }
                }
                toks.push(Token {
                    span: Span::new(base + i, base + i + c.len_utf8()),
                    kind: Tok::Punct,
                });
                continue;
            }
            if c.is_ascii_digit() {
                let mut end = i + 1;
                while let Some(&(j, n)) = it.peek() {
                    let separator = (n == ',' || n == '.')
                        && s[j + 1..]
                            .chars()
                            .next()
                            .is_some_and(|d| d.is_ascii_digit());
                    if n.is_ascii_digit() || separator {
                        it.next();
                        end = j + 1;
                    } else {
                        break;
                    }
                }
                toks.push(Token {
                    span: Span::new(base + i, base + end),
                    kind: Tok::Number,
                });
                continue;
            }
            if is_word_char(c) {
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = it.peek() {
                    if is_word_char(n) {
                        it.next();
                        end = j + n.len_utf8();
                    } else if (n == '-' || n == '.')
                        && s[j + 1..].chars().next().is_some_and(is_word_char)
                    {
                        // inner hyphen (al-Waleed) or dotted abbreviation (U.S)
                        it.next();
                        end = j + 1;
                    } else if n == '.' && is_dotted_abbrev(&s[i..end]) {
                        // trailing dot of a dotted abbreviation: "U.S." / "U.N."
                        it.next();
                        end = j + 1;
                        break;
                    } else {
                        break;
                    }
                }
                toks.push(Token {
                    span: Span::new(base + i, base + end),
                    kind: Tok::Word,
                });
                continue;
            }
            toks.push(Token {
                span: Span::new(base + i, base + i + c.len_utf8()),
                kind: Tok::Punct,
            });
        }
        Tokens { text, lower, toks }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The index-based tokenizer gives the tokens of the `char_indices` one.
        #[test]
        fn same_tokens_as_by_chars(
            s in "([a-zA-Z]{1,3}|[0-9]{1,3}|[ .,'\\-sS]|\u{2019}|\u{e9}|\u{627}|\u{661}|\u{a0}|\u{2014}|\n){0,20}"
        ) {
            let lower = s.to_ascii_lowercase();
            for (a, b) in [(0, s.len()), (1, s.len()), (0, s.len() / 2)] {
                let region = Span::new(a, b);
                proptest::prop_assert_eq!(
                    tokenize(&s, &lower, region).toks,
                    tokenize_by_chars(&s, &lower, region).toks
                );
            }
        }
    }

    fn words(s: &str) -> Vec<String> {
        let lower = s.to_ascii_lowercase();
        let t = tokenize(s, &lower, Span::new(0, s.len()));
        (0..t.len()).map(|i| t.raw(i).to_string()).collect()
    }

    #[test]
    fn splits_possessives_and_keeps_hyphens() {
        assert_eq!(
            words("Baghdad's desire to hold al-Waleed."),
            ["Baghdad", "'s", "desire", "to", "hold", "al-Waleed", "."]
        );
        assert_eq!(words("the rebels' base"), ["the", "rebels", "'", "base"]);
    }

    #[test]
    fn numbers_and_abbreviations() {
        assert_eq!(words("25,000 square km"), ["25,000", "square", "km"]);
        assert_eq!(words("U.S. troops"), ["U.S.", "troops"]);
        assert_eq!(words("said: \"no\""), ["said", ":", "\"", "no", "\""]);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for s in ["'", "''s", "\u{2019}s", "a.", "1,", "é'ś", "--", ".5."] {
            let _ = words(s);
        }
    }
}
