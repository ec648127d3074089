//! Lossy UTF-8 decoding that records where the input was broken.

/// The result of [`decode`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decoded {
    /// The decoded text; each invalid sequence is replaced by U+FFFD.
    pub text: String,
    /// Raw byte offsets (into the input) of the invalid sequences, in order.
    pub invalid_at: Vec<usize>,
}

impl Decoded {
    /// Whether the input was valid UTF-8.
    pub fn is_clean(&self) -> bool {
        self.invalid_at.is_empty()
    }

    /// A one-line warning for reports when the input was not valid UTF-8, e.g. "3 invalid
    /// UTF-8 sequences replaced with U+FFFD (first at byte 17)".
    pub fn warning(&self) -> Option<String> {
        let first = self.invalid_at.first()?;
        let n = self.invalid_at.len();
        let s = if n == 1 { "" } else { "s" };
        Some(format!(
            "{n} invalid UTF-8 sequence{s} replaced with U+FFFD (first at byte {first})"
        ))
    }
}

/// Decodes bytes as UTF-8, replacing each maximal invalid sequence with U+FFFD (as
/// [`String::from_utf8_lossy`] does) and recording its raw byte offset. A leading UTF-8 byte
/// order mark is kept (the cleaner drops it). Control characters are kept; [`crate::clean`]
/// turns them into spaces.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len());
    let mut invalid_at = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(s) => {
                text.push_str(s);
                break;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                // The prefix is valid by construction; `from_utf8` cannot fail on it.
                if let Ok(s) = std::str::from_utf8(&bytes[pos..pos + valid]) {
                    text.push_str(s);
                }
                invalid_at.push(pos + valid);
                text.push(char::REPLACEMENT_CHARACTER);
                let bad = e.error_len().unwrap_or(bytes.len() - pos - valid);
                pos += valid + bad.max(1);
            }
        }
    }
    Decoded { text, invalid_at }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_input_is_unchanged() {
        let d = decode("Raqqa \u{627}\u{644}\u{631}\u{642}\u{629}".as_bytes());
        assert_eq!(d.text, "Raqqa \u{627}\u{644}\u{631}\u{642}\u{629}");
        assert!(d.is_clean());
    }

    #[test]
    fn records_invalid_offsets() {
        let bytes = b"ab\xffcd\xe2\x80x\xf0";
        let d = decode(bytes);
        assert_eq!(d.text, "ab\u{FFFD}cd\u{FFFD}x\u{FFFD}");
        assert_eq!(d.invalid_at, vec![2, 5, 8]);
        assert_eq!(d.text, String::from_utf8_lossy(bytes));
        assert_eq!(
            d.warning().as_deref(),
            Some("3 invalid UTF-8 sequences replaced with U+FFFD (first at byte 2)")
        );
        assert_eq!(decode(b"ok").warning(), None);
    }

    #[test]
    fn nul_bytes_survive_decoding() {
        let d = decode(b"a\0b");
        assert_eq!(d.text, "a\0b");
        assert_eq!(crate::clean(&d.text).text, "a b");
    }
}
