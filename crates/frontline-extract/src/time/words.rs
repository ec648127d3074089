//! A sentence's tokens with their lowercase forms, and small matching helpers.

use frontline_text::{Span, Token, TokenKind, tokens};

/// The tokens of one sentence.
pub(crate) struct Words<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    pub low: Vec<String>,
}

impl<'a> Words<'a> {
    /// Tokenises `text[span]`.
    pub fn new(text: &'a str, span: Span) -> Self {
        let toks = tokens(text, span);
        let low = toks.iter().map(|t| t.lower(text)).collect();
        Self { text, toks, low }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// Lowercase form of token `i`, or "" past the end.
    pub fn low(&self, i: usize) -> &str {
        self.low.get(i).map_or("", String::as_str)
    }

    /// Original text of token `i`, or "" past the end.
    pub fn raw(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| t.text(self.text))
    }

    /// Whether token `i` starts with an uppercase letter.
    pub fn cap(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.is_capitalized(self.text))
    }

    /// Whether token `i` is a number.
    pub fn is_number(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Number)
    }

    /// Integer value of token `i` when it is a plain number without separators.
    pub fn int(&self, i: usize) -> Option<i64> {
        if !self.is_number(i) {
            return None;
        }
        let s = self.raw(i);
        if s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }

    /// Whether tokens from `i` read `words` (lowercase).
    pub fn seq(&self, i: usize, words: &[&str]) -> bool {
        words.iter().enumerate().all(|(k, w)| self.low(i + k) == *w)
    }

    /// Span covering tokens `i..j` (j exclusive, j > i).
    pub fn span(&self, i: usize, j: usize) -> Span {
        match (self.toks.get(i), self.toks.get(j.saturating_sub(1))) {
            (Some(a), Some(b)) => a.span.cover(b.span),
            _ => Span::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        let t = "On Sunday, 25 fighters died";
        let w = Words::new(t, Span::new(0, t.len()));
        assert_eq!(w.low(1), "sunday");
        assert!(w.cap(1));
        assert_eq!(w.int(3), Some(25));
        assert!(w.seq(0, &["on", "sunday"]));
        assert_eq!(&t[w.span(1, 4).range()], "Sunday, 25");
        assert_eq!(w.low(99), "");
    }
}
