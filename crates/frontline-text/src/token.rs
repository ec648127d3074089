//! Word, number and punctuation tokens with byte spans.
//!
//! Choices, for rule authors:
//! - Internal hyphens join: `al-Waleed`, `pro-Iranian`, `AK-47`, `25-year-old` are one token.
//! - Possessive and clitic endings split off: `Baghdad's` is `Baghdad` + `'s`, `they're` is
//!   `they` + `'re`; other internal apostrophes join (`O'Brien`, `Qur'an`, `don't`).
//! - Dotted acronyms keep their periods: `U.S.`, `U.N.`, `J.R.R.`; a lone initial (`F.`) is a
//!   word and a period.
//! - Numbers keep their separators: `25,000`, `1.5`, `2017-06-18`, `6/17/2017`, `10-15`,
//!   `10:30` are one [`TokenKind::Number`] each. Digits followed by letters (`2nd`, `1990s`,
//!   `10km`) are one [`TokenKind::Word`].
//! - Letters include every script (Arabic with its vowel marks); `$`, `%`, `€`, `£` and other
//!   symbols are [`TokenKind::Symbol`]; everything else is one-character
//!   [`TokenKind::Punct`], except that runs of periods (`...`) and of hyphens (`--`) are one.

use crate::Span;
use crate::sentence::clamp;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (any script), possibly with digits, internal hyphens and apostrophes.
    Word,
    /// Digits, possibly with `,` `.` `-` `/` `:` between digits.
    Number,
    /// Punctuation.
    Punct,
    /// Currency, percent and other symbols.
    Symbol,
}

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    /// Where it is in the text.
    pub span: Span,
    /// What it is.
    pub kind: TokenKind,
}

impl Token {
    /// The token's text (empty if the span does not index `text`).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        self.span.slice(text).unwrap_or("")
    }

    /// Whether the token starts with an uppercase letter.
    pub fn is_capitalized(&self, text: &str) -> bool {
        self.text(text)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// Whether the token has letters and all of them are uppercase ("ISIS", "U.S.").
    pub fn is_all_caps(&self, text: &str) -> bool {
        let t = self.text(text);
        t.chars().any(char::is_alphabetic) && !t.chars().any(char::is_lowercase)
    }

    /// The token's text in lowercase.
    pub fn lower(&self, text: &str) -> String {
        self.text(text).to_lowercase()
    }

    /// Whether the token is a word.
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// Whether the token is a number.
    pub fn is_number(&self) -> bool {
        self.kind == TokenKind::Number
    }

    /// Whether the token is punctuation.
    pub fn is_punct(&self) -> bool {
        self.kind == TokenKind::Punct
    }
}

/// Whether `c` is a combining mark that belongs inside a word (Latin accents, Arabic vowel
/// marks and Quranic annotations).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36F}'
        | '\u{610}'..='\u{61A}'
        | '\u{64B}'..='\u{65F}'
        | '\u{670}'
        | '\u{6D6}'..='\u{6ED}'
        | '\u{200C}'..='\u{200D}')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '%'
            | '\u{20AC}'
            | '\u{A3}'
            | '\u{A5}'
            | '#'
            | '@'
            | '&'
            | '+'
            | '='
            | '<'
            | '>'
            | '\u{B0}'
            | '\u{A7}'
            | '\u{A9}'
            | '\u{AE}'
            | '*'
            | '^'
            | '~'
            | '|'
            | '\\'
            | '\u{B2}'
            | '\u{B3}'
    ) || ('\u{20A0}'..='\u{20CF}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn is_hyphen(c: char) -> bool {
    c == '-' || c == '\u{2010}' || c == '\u{2011}'
}

/// The character at byte `i` of `s`, if any (`None` past the end or inside a character).
#[inline]
pub(crate) fn at(s: &str, i: usize) -> Option<char> {
    // An ASCII byte is always a whole character: no boundary check or decoding needed.
    match s.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        _ => at_general(s, i),
    }
}

/// [`at`] by its definition: the first character of `s[i..]`.
fn at_general(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|r| r.chars().next())
}

/// Splits `text[span]` into tokens (span clamped to the text and to char boundaries). Tokens
/// are in order, non-overlapping, non-empty and on char boundaries.
pub fn tokens(text: &str, span: Span) -> Vec<Token> {
    let span = clamp(text, span);
    let end = span.end;
    // Work on the slice up to the span end so no token runs past it.
    let s = &text[..end];
    // About one token per five bytes of prose: sized so that most sentences never regrow.
    let mut out = Vec::with_capacity(span.len() / 4 + 2);
    let mut i = span.start;
    while i < end {
        let Some(c) = at(s, i) else {
            break;
        };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let kind;
        if c.is_ascii_digit() || (c.is_numeric() && c.is_alphanumeric() && !c.is_alphabetic()) {
            let (j, has_letters) = scan_number(s, i);
            i = j;
            kind = if has_letters {
                TokenKind::Word
            } else {
                TokenKind::Number
            };
        } else if is_word_char(c) {
            i = scan_word(s, i);
            kind = TokenKind::Word;
        } else if is_apostrophe(c) && at(s, i + c.len_utf8()).is_some_and(char::is_alphabetic) {
            // A clitic split from the word before ("'s", "'re"), or a quote opening a word.
            let j = i + c.len_utf8();
            let clitic = clitic_len(s, i);
            if clitic > 0
                && out
                    .last()
                    .is_some_and(|t: &Token| t.span.end == i && t.is_word())
            {
                i += clitic;
                kind = TokenKind::Word;
            } else {
                i = j;
                kind = TokenKind::Punct;
            }
        } else if is_symbol(c) {
            i += c.len_utf8();
            kind = TokenKind::Symbol;
        } else {
            i += c.len_utf8();
            if c == '.' || c == '-' {
                while at(s, i) == Some(c) {
                    i += 1;
                }
            }
            kind = TokenKind::Punct;
        }
        out.push(Token {
            span: Span::new(start, i),
            kind,
        });
    }
    out
}

/// Length of a clitic ("'s", "'ll", "'re", "'ve", "'d", "'m") at `i`, or 0.
fn clitic_len(s: &str, i: usize) -> usize {
    let Some(a) = at(s, i) else {
        return 0;
    };
    let rest = &s[i + a.len_utf8()..];
    for suffix in [
        "s", "ll", "re", "ve", "d", "m", "S", "LL", "RE", "VE", "D", "M",
    ] {
        if let Some(after) = rest.strip_prefix(suffix)
            && !after.chars().next().is_some_and(is_word_char)
        {
            return a.len_utf8() + suffix.len();
        }
    }
    0
}

/// Scans a word from `i`: word characters, internal hyphens, internal apostrophes (but not
/// clitics), and dotted acronyms.
fn scan_word(s: &str, mut i: usize) -> usize {
    let start = i;
    while let Some(c) = at(s, i).filter(|&c| is_word_char(c)) {
        i += c.len_utf8();
    }
    // Dotted acronym: "U.S.", "J.R.R."
    if i - start <= 4 && s[start..i].chars().count() == 1 && at(s, i) == Some('.') {
        let mut j = i;
        let mut letters = 1;
        while at(s, j) == Some('.') {
            match at(s, j + 1) {
                Some(l)
                    if l.is_alphabetic()
                        && !at(s, j + 1 + l.len_utf8()).is_some_and(is_word_char) =>
                {
                    j += 1 + l.len_utf8();
                    letters += 1;
                }
                _ => break,
            }
        }
        if letters >= 2 && at(s, j) == Some('.') {
            return j + 1;
        }
        if letters >= 2 {
            return j;
        }
    }
    loop {
        let Some(c) = at(s, i) else {
            return i;
        };
        let next = at(s, i + c.len_utf8());
        let hyphen = is_hyphen(c) && next.is_some_and(is_word_char);
        let apostrophe =
            is_apostrophe(c) && next.is_some_and(char::is_alphabetic) && clitic_len(s, i) == 0;
        if hyphen || apostrophe {
            i += c.len_utf8();
        } else {
            return i;
        }
        while let Some(c) = at(s, i).filter(|&c| is_word_char(c)) {
            i += c.len_utf8();
        }
    }
}

/// Scans a number from `i`; returns its end and whether letters are attached.
fn scan_number(s: &str, mut i: usize) -> (usize, bool) {
    let mut has_letters = false;
    loop {
        while let Some(c) = at(s, i).filter(|&c| is_word_char(c)) {
            if !c.is_numeric() {
                has_letters = true;
            }
            i += c.len_utf8();
        }
        let Some(c) = at(s, i) else {
            return (i, has_letters);
        };
        let next = at(s, i + c.len_utf8());
        let joins = match c {
            ',' | '.' | '/' | ':' => next.is_some_and(|n| n.is_ascii_digit()) && !has_letters,
            c if is_hyphen(c) => next.is_some_and(is_word_char),
            _ => false,
        };
        if !joins {
            return (i, has_letters);
        }
        i += c.len_utf8();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The ASCII shortcut of `at` agrees with its definition at every byte offset.
        #[test]
        fn at_agrees_with_its_definition(s in "(?s).{0,40}") {
            for i in 0..=s.len() + 1 {
                proptest::prop_assert_eq!(at(&s, i), at_general(&s, i));
            }
        }
    }

    fn toks(text: &str) -> Vec<(&str, TokenKind)> {
        tokens(text, Span::new(0, text.len()))
            .into_iter()
            .map(|t| (t.text(text), t.kind))
            .collect()
    }

    fn words(text: &str) -> Vec<&str> {
        toks(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn words_hyphens_and_possessives() {
        assert_eq!(
            words("Baghdad's pro-Iranian militias took al-Waleed, O'Brien said."),
            vec![
                "Baghdad",
                "'s",
                "pro-Iranian",
                "militias",
                "took",
                "al-Waleed",
                ",",
                "O'Brien",
                "said",
                "."
            ]
        );
        assert_eq!(words("they're here"), vec!["they", "'re", "here"]);
        assert_eq!(
            words("the soldiers' guns"),
            vec!["the", "soldiers", "'", "guns"]
        );
        assert_eq!(words("'Hello'"), vec!["'", "Hello", "'"]);
    }

    #[test]
    fn numbers() {
        use TokenKind::*;
        assert_eq!(
            toks("25,000 1.5 2017-06-18 6/17/2017 10-15 10:30 2nd AK-47 $5 40%"),
            vec![
                ("25,000", Number),
                ("1.5", Number),
                ("2017-06-18", Number),
                ("6/17/2017", Number),
                ("10-15", Number),
                ("10:30", Number),
                ("2nd", Word),
                ("AK-47", Word),
                ("$", Symbol),
                ("5", Number),
                ("40", Number),
                ("%", Symbol)
            ]
        );
        assert_eq!(words("in 2015. Then"), vec!["in", "2015", ".", "Then"]);
        assert_eq!(
            words("killed 12, wounded"),
            vec!["killed", "12", ",", "wounded"]
        );
    }

    #[test]
    fn acronyms_and_initials() {
        assert_eq!(
            words("U.S. and U.N. troops, John F. Kennedy, J.R.R. Tolkien..."),
            vec![
                "U.S.", "and", "U.N.", "troops", ",", "John", "F", ".", "Kennedy", ",", "J.R.R.",
                "Tolkien", "..."
            ]
        );
    }

    #[test]
    fn arabic_words() {
        let t = "\u{62F}\u{64E}\u{64A}\u{652}\u{631} \u{627}\u{644}\u{632}\u{648}\u{631}\u{60C}";
        assert_eq!(
            words(t),
            vec![
                "\u{62F}\u{64E}\u{64A}\u{652}\u{631}",
                "\u{627}\u{644}\u{632}\u{648}\u{631}",
                "\u{60C}"
            ]
        );
    }

    #[test]
    fn helpers_and_span_limits() {
        let t = "Syrian TROOPS advanced";
        let all = tokens(t, Span::new(0, t.len()));
        assert!(all[0].is_capitalized(t));
        assert!(all[1].is_all_caps(t));
        assert_eq!(all[1].lower(t), "troops");
        assert!(!all[2].is_capitalized(t));
        // A span that cuts a word yields the part inside it.
        let part = tokens(t, Span::new(2, 10));
        assert_eq!(
            part.iter().map(|x| x.text(t)).collect::<Vec<_>>(),
            vec!["rian", "TRO"]
        );
    }
}
