//! A sentence's tokens with their lowercase forms, and small matching helpers.

use frontline_text::{Span, Token, TokenKind, tokens};

/// The tokens of one sentence.
pub(crate) struct Words<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    /// The ASCII-lowercased document, when the sentence is all ASCII: a token's lowercase form
    /// is then its span of this text, and `low_buf`/`low_ends` stay empty.
    lower: Option<&'a str>,
    /// The lowercase forms, one after another.
    low_buf: String,
    /// Where each lowercase form ends in `low_buf`.
    low_ends: Vec<usize>,
}

impl<'a> Words<'a> {
    /// Tokenises `text[span]`.
    pub fn new(text: &'a str, span: Span) -> Self {
        Self::build(text, None, span)
    }

    /// Tokenises `text[span]`, reading the lowercase forms of an all-ASCII sentence from
    /// `lower`, the ASCII-lowercased `text` (the same forms [`Words::new`] computes).
    pub fn with_lower(text: &'a str, lower: &'a str, span: Span) -> Self {
        Self::build(text, Some(lower), span)
    }

    fn build(text: &'a str, lower: Option<&'a str>, span: Span) -> Self {
        let toks = tokens(text, span);
        let lower = lower
            .filter(|l| l.len() == text.len() && text.get(span.range()).is_some_and(str::is_ascii));
        if lower.is_some() {
            return Self {
                text,
                toks,
                lower,
                low_buf: String::new(),
                low_ends: Vec::new(),
            };
        }
        let mut low_buf = String::with_capacity(span.len());
        let mut low_ends = Vec::with_capacity(toks.len());
        for t in &toks {
            let w = t.text(text);
            if w.is_ascii() {
                let start = low_buf.len();
                low_buf.push_str(w);
                low_buf[start..].make_ascii_lowercase();
            } else {
                low_buf.push_str(&w.to_lowercase());
            }
            low_ends.push(low_buf.len());
        }
        Self {
            text,
            toks,
            lower: None,
            low_buf,
            low_ends,
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// Lowercase form of token `i`, or "" past the end.
    #[inline]
    pub fn low(&self, i: usize) -> &str {
        if let Some(lower) = self.lower {
            return self
                .toks
                .get(i)
                .and_then(|t| lower.get(t.span.range()))
                .unwrap_or("");
        }
        let Some(&end) = self.low_ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.low_ends[i - 1] };
        &self.low_buf[start..end]
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

    #[test]
    fn lowercase_from_the_document_matches() {
        for t in [
            "On Sunday, 25 FIGHTERS died in Kirkuk.",
            "Ümit SAID Ärger in İzmir",
        ] {
            let lower = t.to_ascii_lowercase();
            let span = Span::new(0, t.len());
            let (a, b) = (Words::new(t, span), Words::with_lower(t, &lower, span));
            assert_eq!(a.len(), b.len());
            for i in 0..=a.len() {
                assert_eq!(a.low(i), b.low(i));
            }
        }
    }
}
