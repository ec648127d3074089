//! Offset-preserving cleaning: NFC, typographic punctuation folded to ASCII, invisible
//! characters removed, whitespace normalised, with a map from every cleaned byte offset back to
//! the raw input.
//!
//! The map is stored as a sorted list of segments (one per edit, identical stretches merged), so
//! it costs memory in proportion to the number of edits, not to the length of the text, and each
//! lookup is a binary search.

use unicode_normalization::UnicodeNormalization;

use crate::Span;

/// One stretch of the cleaned text and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// First cleaned byte of the stretch.
    clean: usize,
    /// First raw byte of its source.
    raw: usize,
    /// Length of its source in raw bytes.
    raw_len: usize,
    /// Whether the cleaned bytes are a byte-for-byte copy of the raw ones (offsets inside map
    /// one-to-one); otherwise every offset inside maps to the start of the source.
    exact: bool,
}

/// The result of [`clean`]: the cleaned text and its offset map back to the raw input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// The cleaned text.
    pub text: String,
    segments: Vec<Segment>,
    raw_len: usize,
}

impl Cleaned {
    fn segment_at(&self, clean: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.clean <= clean);
        i.checked_sub(1).and_then(|i| self.segments.get(i))
    }

    /// The raw byte offset that cleaned byte offset `clean` comes from.
    ///
    /// Offsets at or past the end of the cleaned text map to the end of the last raw character
    /// that produced output. The map is monotonic: a larger cleaned offset never maps to a
    /// smaller raw offset. Cleaned char boundaries map to raw char boundaries.
    pub fn raw_offset(&self, clean: usize) -> usize {
        if clean >= self.text.len() {
            return self.segments.last().map_or(0, |s| s.raw + s.raw_len);
        }
        match self.segment_at(clean) {
            Some(s) if s.exact => s.raw + (clean - s.clean),
            Some(s) => s.raw,
            None => 0,
        }
    }

    /// The raw byte offset just past the raw source of the cleaned text ending at `clean`.
    ///
    /// Used for span ends: a span ending right after a replaced character ends right after
    /// that character's raw source, not before the next one.
    pub fn raw_end_offset(&self, clean: usize) -> usize {
        if clean == 0 {
            return self.raw_offset(0);
        }
        let clean = clean.min(self.text.len());
        match self.segment_at(clean - 1) {
            Some(s) if s.exact => s.raw + (clean - s.clean),
            Some(s) => s.raw + s.raw_len,
            None => 0,
        }
    }

    /// The raw span that a cleaned span comes from.
    pub fn raw_span(&self, span: Span) -> Span {
        let start = self.raw_offset(span.start);
        if span.is_empty() {
            return Span::new(start, start);
        }
        Span::new(start, self.raw_end_offset(span.end))
    }

    /// Length in bytes of the raw input.
    pub fn raw_len(&self) -> usize {
        self.raw_len
    }
}

/// How a cleaned character is written.
enum Fold {
    /// Keep as is.
    Keep,
    /// Drop entirely (invisible characters).
    Drop,
    /// Horizontal whitespace.
    Space,
    /// A line break (`\n`, lone `\r`, NEL, line separator).
    Newline,
    /// A paragraph separator.
    Paragraph,
    /// Replace with ASCII text.
    Ascii(&'static str),
    /// A spaced dash: " - ".
    SpacedDash,
}

/// Whether `c` is removed by the cleaner.
fn is_dropped(c: char) -> bool {
    matches!(fold(c), Fold::Drop)
}

/// Whether some character of `s` is removed by the cleaner: `s.chars().any(is_dropped)`,
/// looking only at the non-ASCII characters (no ASCII character is dropped), which are found
/// by skipping ASCII bytes.
fn any_dropped(s: &str) -> bool {
    let mut rest = s;
    while let Some(k) = rest.bytes().position(|b| !b.is_ascii()) {
        let mut chars = rest.get(k..).unwrap_or("").chars();
        match chars.next() {
            Some(c) if is_dropped(c) => return true,
            Some(_) => rest = chars.as_str(),
            None => return false,
        }
    }
    false
}

fn fold(c: char) -> Fold {
    match c {
        '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => Fold::Newline,
        '\u{2029}' => Fold::Paragraph,
        ' '
        | '\t'
        | '\u{A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Fold::Space,
        // Invisible: zero-width space and joiners, word joiner, BOM, soft hyphen, direction marks,
        // embeddings and isolates.
        '\u{200B}'..='\u{200F}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}'
        | '\u{AD}'
        | '\u{61C}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => Fold::Drop,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2039}'
        | '\u{203A}' => Fold::Ascii("'"),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{AB}' | '\u{BB}' => {
            Fold::Ascii("\"")
        }
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' => Fold::Ascii("-"),
        '\u{2014}' | '\u{2015}' => Fold::SpacedDash,
        '\u{2026}' => Fold::Ascii("..."),
        c if c.is_control() => Fold::Space,
        _ => Fold::Keep,
    }
}

/// Pending whitespace between two pieces of output.
#[derive(Default)]
struct Pending {
    active: bool,
    newlines: usize,
    raw_start: usize,
    raw_end: usize,
    /// Whether the run is a single raw byte equal to what will be written.
    single_raw: Option<u8>,
}

struct Builder {
    text: String,
    segments: Vec<Segment>,
    pending: Pending,
    prev_cr: bool,
}

impl Builder {
    fn with_capacity(n: usize) -> Self {
        Self {
            text: String::with_capacity(n),
            segments: Vec::new(),
            pending: Pending::default(),
            prev_cr: false,
        }
    }

    fn push_segment(&mut self, mut seg: Segment) {
        if let Some(last) = self.segments.last() {
            // Keep the map monotonic: normalisation can reorder output against its sources
            // (a dash spaced inside a chunk that NFC reorders), so never map backwards.
            let min_raw = if last.exact {
                last.raw + (seg.clean - last.clean)
            } else {
                last.raw
            };
            if seg.raw < min_raw {
                let end = seg.raw + seg.raw_len;
                seg.raw = min_raw;
                seg.raw_len = end.saturating_sub(min_raw);
                seg.exact = false;
            }
        }
        if let Some(last) = self.segments.last_mut() {
            if last.clean == seg.clean {
                // The previous piece wrote nothing; replace it.
                *last = seg;
                return;
            }
            if last.exact && seg.exact && last.raw + last.raw_len == seg.raw {
                let last_clean_len = seg.clean - last.clean;
                if last_clean_len == last.raw_len {
                    last.raw_len += seg.raw_len;
                    return;
                }
            }
        }
        self.segments.push(seg);
    }

    fn emit(&mut self, out: &str, raw_start: usize, raw_end: usize, exact: bool) {
        self.flush_pending();
        let seg = Segment {
            clean: self.text.len(),
            raw: raw_start,
            raw_len: raw_end - raw_start,
            exact,
        };
        self.push_segment(seg);
        self.text.push_str(out);
    }

    fn whitespace(&mut self, newlines: usize, raw_start: usize, raw_end: usize, byte: Option<u8>) {
        let p = &mut self.pending;
        if p.active {
            p.newlines += newlines;
            p.raw_end = raw_end;
            p.single_raw = None;
        } else {
            *p = Pending {
                active: true,
                newlines,
                raw_start,
                raw_end,
                single_raw: byte,
            };
        }
    }

    fn flush_pending(&mut self) {
        if !self.pending.active {
            return;
        }
        let p = std::mem::take(&mut self.pending);
        if self.text.is_empty() {
            // Leading whitespace is dropped.
            return;
        }
        let out = match p.newlines {
            0 => " ",
            1 => "\n",
            _ => "\n\n",
        };
        let exact = p.single_raw.is_some_and(|b| out.as_bytes() == [b]);
        let seg = Segment {
            clean: self.text.len(),
            raw: p.raw_start,
            raw_len: p.raw_end - p.raw_start,
            exact,
        };
        self.push_segment(seg);
        self.text.push_str(out);
    }

    /// Appends a run of printable ASCII starting at raw offset `raw_start`.
    fn plain(&mut self, s: &str, raw_start: usize) {
        self.prev_cr = false;
        self.emit(s, raw_start, raw_start + s.len(), true);
    }

    /// Feeds one (already NFC) character whose raw source is `raw_start..raw_end`; `exact` says
    /// whether its raw bytes are its own UTF-8 encoding.
    fn feed(&mut self, c: char, raw_start: usize, raw_end: usize, exact: bool) {
        let was_cr = std::mem::replace(&mut self.prev_cr, c == '\r');
        match fold(c) {
            Fold::Keep => {
                let mut buf = [0u8; 4];
                self.emit(c.encode_utf8(&mut buf), raw_start, raw_end, exact);
            }
            Fold::Drop => {}
            Fold::Space => {
                let byte = (exact && c == ' ').then_some(b' ');
                self.whitespace(0, raw_start, raw_end, byte);
            }
            Fold::Newline if c == '\n' && was_cr => {
                // Second half of CRLF: already counted.
                self.whitespace(0, raw_start, raw_end, None);
            }
            Fold::Newline => {
                let byte = (exact && c == '\n').then_some(b'\n');
                self.whitespace(1, raw_start, raw_end, byte);
            }
            Fold::Paragraph => self.whitespace(2, raw_start, raw_end, None),
            Fold::Ascii(s) => self.emit(s, raw_start, raw_end, false),
            Fold::SpacedDash => {
                self.whitespace(0, raw_start, raw_start, None);
                self.emit("-", raw_start, raw_end, false);
                self.whitespace(0, raw_end, raw_end, None);
            }
        }
        if c == '\r' {
            // A lone CR is a line break; a following LF is absorbed above.
            self.whitespace(1, raw_start, raw_end, None);
        }
    }

    fn finish(mut self, raw_len: usize) -> Cleaned {
        // Trailing whitespace is dropped.
        self.pending = Pending::default();
        Cleaned {
            text: self.text,
            segments: self.segments,
            raw_len,
        }
    }
}

/// Printable ASCII other than space: copied unchanged.
fn is_plain(b: u8) -> bool {
    (0x21..=0x7e).contains(&b)
}

/// Whether an ASCII character can start a canonical composition with the non-ASCII characters
/// after it (a letter before a combining accent, or `<`, `=`, `>` before U+0338).
fn composes_forward(b: u8) -> bool {
    b.is_ascii_alphabetic() || matches!(b, b'<' | b'=' | b'>')
}

/// Cleans raw text: Unicode NFC, typographic quotes and dashes folded to ASCII (`'`, `"`, `-`;
/// em dashes become a spaced ` - `), ellipsis to `...`, invisible characters (zero-width
/// space and joiners, BOM, direction marks, soft hyphen) removed, control characters and odd
/// spaces (NBSP, thin space, ...) turned into spaces, CRLF and CR to `\n`, runs of spaces and
/// tabs collapsed to one space, a line break inside a run kept as `\n`, two or more as `\n\n`
/// (a paragraph break), and leading and trailing whitespace removed.
///
/// Runs in linear time. Every cleaned offset maps back to the raw input with
/// [`Cleaned::raw_offset`] and [`Cleaned::raw_span`].
pub fn clean(raw: &str) -> Cleaned {
    let mut b = Builder::with_capacity(raw.len());
    // Fast path: already NFC and nothing to remove, so no normalisation is needed.
    let fast = raw.is_ascii() || (unicode_normalization::is_nfc(raw) && !any_dropped(raw));
    // Otherwise normalise chunk by chunk, invisible characters removed first. A chunk is a run
    // of non-ASCII characters, with the ASCII letter before it when there is one; no canonical
    // composition or reordering crosses a chunk boundary, so chunk-wise NFC equals whole-text
    // NFC.
    let bytes = raw.as_bytes();
    let n = raw.len();
    let mut i = 0;
    let mut filtered = String::new();
    while i < n {
        let start = i;
        if is_plain(bytes[i]) {
            // A run of printable ASCII is copied as is.
            while i < n && is_plain(bytes[i]) {
                i += 1;
            }
            // Single spaces between printable characters are copied as they are too, so a
            // line of prose is one piece. (Written one by one, each would be pending
            // whitespace written as the one exact space it is, and every piece would merge
            // into one exact segment: the same text and map.) Not where chunks are
            // normalised, which may take the letter before them back.
            while fast && i + 1 < n && bytes[i] == b' ' && is_plain(bytes[i + 1]) {
                i += 2;
                while i < n && is_plain(bytes[i]) {
                    i += 1;
                }
            }
            if !fast && i < n && !bytes[i].is_ascii() && composes_forward(bytes[i - 1]) {
                // Leave the letter for the chunk it may compose with.
                i -= 1;
            }
            if i > start {
                b.plain(&raw[start..i], start);
                continue;
            }
        }
        if bytes[i].is_ascii() && (fast || !composes_forward(bytes[i])) {
            b.feed(char::from(bytes[i]), i, i + 1, true);
            i += 1;
            continue;
        }
        if fast {
            let Some(c) = raw[i..].chars().next() else {
                break;
            };
            b.feed(c, i, i + c.len_utf8(), true);
            i += c.len_utf8();
            continue;
        }
        if bytes[i].is_ascii() {
            i += 1;
        }
        while i < n && !bytes[i].is_ascii() {
            i += 1;
        }
        let chunk = &raw[start..i];
        filtered.clear();
        filtered.extend(chunk.chars().filter(|&c| !is_dropped(c)));
        if unicode_normalization::is_nfc(&filtered) {
            for (j, c) in chunk.char_indices() {
                b.feed(c, start + j, start + j + c.len_utf8(), true);
            }
        } else {
            for c in filtered.nfc() {
                b.feed(c, start, i, false);
            }
        }
    }
    b.finish(raw.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `any_dropped` agrees with its definition.
        #[test]
        fn any_dropped_agrees_with_its_definition(
            s in "([a-z \n]|[\u{80}-\u{2fff}]|\u{feff}|\u{ad}|\u{200b}|\u{2066}){0,30}"
        ) {
            proptest::prop_assert_eq!(any_dropped(&s), s.chars().any(is_dropped));
        }
    }

    /// `clean` as it was written before runs took in single spaces: every space between two
    /// runs of printable ASCII is fed on its own.
    fn clean_one_piece_at_a_time(raw: &str) -> Cleaned {
        let mut b = Builder::with_capacity(raw.len());
        let fast = raw.is_ascii() || (unicode_normalization::is_nfc(raw) && !any_dropped(raw));
        let bytes = raw.as_bytes();
        let n = raw.len();
        let mut i = 0;
        let mut filtered = String::new();
        while i < n {
            let start = i;
            if is_plain(bytes[i]) {
                while i < n && is_plain(bytes[i]) {
                    i += 1;
                }
                if !fast && i < n && !bytes[i].is_ascii() && composes_forward(bytes[i - 1]) {
                    i -= 1;
                }
                if i > start {
                    b.plain(&raw[start..i], start);
                    continue;
                }
            }
            if bytes[i].is_ascii() && (fast || !composes_forward(bytes[i])) {
                b.feed(char::from(bytes[i]), i, i + 1, true);
                i += 1;
                continue;
            }
            if fast {
                let Some(c) = raw[i..].chars().next() else {
                    break;
                };
                b.feed(c, i, i + c.len_utf8(), true);
                i += c.len_utf8();
                continue;
            }
            if bytes[i].is_ascii() {
                i += 1;
            }
            while i < n && !bytes[i].is_ascii() {
                i += 1;
            }
            let chunk = &raw[start..i];
            filtered.clear();
            filtered.extend(chunk.chars().filter(|&c| !is_dropped(c)));
            if unicode_normalization::is_nfc(&filtered) {
                for (j, c) in chunk.char_indices() {
                    b.feed(c, start + j, start + j + c.len_utf8(), true);
                }
            } else {
                for c in filtered.nfc() {
                    b.feed(c, start, i, false);
                }
            }
        }
        b.finish(raw.len())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Copying single spaces inside runs gives the text and map of feeding them one by one.
        /// (No text here needs normalising: runs take no spaces in there. Note that two spaced
        /// dashes in a chunk that normalisation changes, as in "e\u{301}——", overflow the raw
        /// range of pending whitespace in debug builds, with or without this change.)
        #[test]
        fn runs_with_spaces_clean_as_pieces_do(
            raw in "([a-z.,]{1,4}|[ ]{1,2}|\n|\r\n|\t|\u{a0}|\u{2014}|\u{2026}|\u{2019}|\
                    \u{e9}|\u{627}\u{644}|\u{200b}|\u{ad}|\u{ff}){0,16}"
        ) {
            proptest::prop_assert_eq!(clean(&raw), clean_one_piece_at_a_time(&raw));
        }
    }

    #[test]
    fn no_ascii_character_is_dropped() {
        assert!((0u8..0x80).all(|b| !is_dropped(char::from(b))));
    }

    fn check_map(raw: &str, c: &Cleaned) {
        let mut prev = 0;
        for i in 0..=c.text.len() {
            let r = c.raw_offset(i);
            assert!(r >= prev, "not monotonic at {i}");
            assert!(r <= raw.len());
            prev = r;
        }
    }

    #[test]
    fn folds_punctuation_and_spaces() {
        let raw = "\u{FEFF}  \u{201C}We held the line,\u{201D} he said\u{2026}\u{A0}\u{200B}ok ";
        let c = clean(raw);
        assert_eq!(c.text, "\"We held the line,\" he said... ok");
        check_map(raw, &c);
        // "We" maps back to its raw bytes.
        let we = c.text.find("We").unwrap();
        let rs = c.raw_span(Span::new(we, we + 2));
        assert_eq!(&raw[rs.range()], "We");
        // The folded opening quote maps back to the typographic one.
        let rs = c.raw_span(Span::new(0, 1));
        assert_eq!(&raw[rs.range()], "\u{201C}");
        let rs = c.raw_span(Span::new(c.text.len() - 6, c.text.len() - 3));
        assert_eq!(&raw[rs.range()], "\u{2026}");
    }

    #[test]
    fn dashes() {
        let c = clean("BEIRUT (AP) \u{2014} Syrian troops");
        assert_eq!(c.text, "BEIRUT (AP) - Syrian troops");
        let c = clean("troops\u{2014}backed by jets\u{2014}moved");
        assert_eq!(c.text, "troops - backed by jets - moved");
        let c = clean("2015\u{2013}2017 and \u{2212}5");
        assert_eq!(c.text, "2015-2017 and -5");
    }

    #[test]
    fn whitespace_and_paragraphs() {
        let raw = "Line one.\r\nLine two.\r\n\r\n\r\n  Para\t\t two.\u{0}\u{7}end \n";
        let c = clean(raw);
        assert_eq!(c.text, "Line one.\nLine two.\n\nPara two. end");
        check_map(raw, &c);
        let p = c.text.find("Para").unwrap();
        assert_eq!(&raw[c.raw_span(Span::new(p, p + 4)).range()], "Para");
        let e = c.text.find("end").unwrap();
        assert_eq!(&raw[c.raw_span(Span::new(e, e + 3)).range()], "end");
    }

    #[test]
    fn nfc_and_arabic() {
        let raw = "Cafe\u{301} in Deir ez-Zor: \u{62F}\u{64A}\u{631} \u{627}\u{644}\u{632}\u{648}\u{631}\u{200F}.";
        let c = clean(raw);
        assert_eq!(
            c.text,
            "Caf\u{E9} in Deir ez-Zor: \u{62F}\u{64A}\u{631} \u{627}\u{644}\u{632}\u{648}\u{631}."
        );
        check_map(raw, &c);
        let a = c.text.find('\u{627}').unwrap();
        let s = Span::new(a, a + "\u{627}\u{644}\u{632}\u{648}\u{631}".len());
        assert_eq!(
            &raw[c.raw_span(s).range()],
            "\u{627}\u{644}\u{632}\u{648}\u{631}"
        );
        let e = c.text.find('\u{E9}').unwrap();
        assert_eq!(&raw[c.raw_span(Span::new(e, e + 2)).range()], "e\u{301}");
    }

    #[test]
    fn removal_before_normalisation() {
        // Dropping the Arabic letter mark between two marks must leave NFC text.
        let raw = "\u{6d6}\u{61c}\u{64b}";
        let c = clean(raw);
        assert!(unicode_normalization::is_nfc(&c.text));
        assert_eq!(clean(&c.text).text, c.text);
        check_map(raw, &c);
    }

    #[test]
    fn map_stays_monotonic_when_nfc_reorders() {
        let raw = "\u{2014}\u{6d6}\u{64b}";
        let c = clean(raw);
        check_map(raw, &c);
    }

    #[test]
    fn empty_and_all_space() {
        assert_eq!(clean("").text, "");
        let c = clean(" \n\u{200B}\t ");
        assert_eq!(c.text, "");
        assert_eq!(c.raw_offset(0), 0);
        assert_eq!(c.raw_span(Span::new(0, 0)), Span::new(0, 0));
    }

    #[test]
    fn plain_ascii_is_one_segment() {
        let raw = "Iraqi forces said on Sunday they had reached the border.";
        let c = clean(raw);
        assert_eq!(c.text, raw);
        assert_eq!(c.segments.len(), 1);
        assert_eq!(c.raw_span(Span::new(6, 12)), Span::new(6, 12));
    }
}
