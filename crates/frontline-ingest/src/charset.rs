//! Character sets: bytes to text, in the order a browser uses.
//!
//! 1. A byte order mark (UTF-8, UTF-16LE, UTF-16BE) decides.
//! 2. Otherwise a declared character set: the HTTP `Content-Type` of a WARC response, then,
//!    for HTML and XML, a `<meta charset>`, `<meta http-equiv="Content-Type">` or
//!    `<?xml encoding?>` in the first 4 KiB.
//! 3. Otherwise UTF-8 when the bytes are UTF-8 (a few broken sequences among valid non-ASCII
//!    ones are replaced, with a warning, as before).
//! 4. Otherwise the character set is guessed by [`chardetng`] (windows-1252, windows-1256,
//!    windows-1251, ...) and a warning says it was a guess.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How far into a page a `<meta charset>` is looked for.
const PRESCAN: usize = 4096;

/// Text decoded from bytes, with what the reader should know about how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    /// The text.
    pub text: String,
    /// Warnings: bytes replaced, a guessed or unknown character set.
    pub warnings: Vec<String>,
    /// The character set used (WHATWG name, e.g. `windows-1256`).
    pub charset: &'static str,
}

/// Decodes `bytes`. `declared` is a character set stated outside the bytes (an HTTP header);
/// `markup` says whether to look for one inside them (HTML `<meta>`, XML declaration).
pub fn decode_text(bytes: &[u8], declared: Option<&str>, markup: bool) -> DecodedText {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return with(enc, &bytes[bom..], Vec::new());
    }
    let mut warnings = Vec::new();
    let inner = if markup { meta_charset(bytes) } else { None };
    for label in [declared.map(str::to_string), inner].into_iter().flatten() {
        match Encoding::for_label(label.trim().as_bytes()) {
            // A UTF-16 declaration without a byte order mark is what HTML ignores too: the
            // bytes that declare it could not be read if it were true.
            Some(enc) if enc == UTF_16LE || enc == UTF_16BE => {}
            Some(enc) => return with(enc.output_encoding(), bytes, warnings),
            None => warnings.push(format!(
                "unknown character set {:?} declared; ignored",
                label.chars().take(40).collect::<String>()
            )),
        }
    }
    let d = frontline_text::decode(bytes);
    let Some(&first) = d.invalid_at.first() else {
        return DecodedText {
            text: d.text,
            warnings,
            charset: "UTF-8",
        };
    };
    if mostly_utf8(bytes, d.invalid_at.len()) {
        warnings.push(format!(
            "invalid UTF-8 replaced at {} byte offset(s), first at {first}",
            d.invalid_at.len()
        ));
        return DecodedText {
            text: d.text,
            warnings,
            charset: "UTF-8",
        };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
    warnings.push(format!(
        "not valid UTF-8 (invalid UTF-8 at byte offset {first}) and no character set declared: \
         decoded as {}, guessed by detection",
        enc.name()
    ));
    with(enc, bytes, warnings)
}

/// Decodes with a known encoding, noting replaced bytes.
fn with(enc: &'static Encoding, bytes: &[u8], mut warnings: Vec<String>) -> DecodedText {
    if enc == UTF_8 {
        let d = frontline_text::decode(bytes);
        if let Some(w) = d.warning() {
            warnings.push(w);
        }
        return DecodedText {
            text: d.text,
            warnings,
            charset: UTF_8.name(),
        };
    }
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        warnings.push(format!(
            "bytes that are not {} were replaced with U+FFFD",
            enc.name()
        ));
    }
    DecodedText {
        text: text.into_owned(),
        warnings,
        charset: enc.name(),
    }
}

/// Whether bytes with `invalid` broken sequences are still UTF-8 text: they hold at least as
/// many valid multi-byte sequences as broken ones (and at least one). Text in a legacy
/// single-byte character set holds almost none (its accented letters are lone high bytes).
fn mostly_utf8(bytes: &[u8], invalid: usize) -> bool {
    let mut valid_multi = 0usize;
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multi += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (ok, bad) = rest.split_at(e.valid_up_to());
                valid_multi += std::str::from_utf8(ok)
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                rest = &bad[skip.min(bad.len())..];
            }
        }
        if valid_multi > invalid {
            return true;
        }
    }
    valid_multi > 0 && valid_multi >= invalid
}

/// The character set declared inside the first bytes of a page: `<meta charset=...>`,
/// `<meta http-equiv="Content-Type" content="...; charset=...">`, or `<?xml ...
/// encoding="..."?>`.
pub(crate) fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(PRESCAN)]).to_ascii_lowercase();
    if let Some(rest) = head.trim_start().strip_prefix("<?xml")
        && let Some(decl) = rest.split("?>").next()
        && let Some(at) = decl.find("encoding")
        && let Some(label) = attribute_value(&decl[at + "encoding".len()..])
    {
        return Some(label);
    }
    let mut from = 0;
    while let Some(i) = head[from..].find("<meta") {
        let start = from + i + 5;
        let end = head[start..].find('>').map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(at) = tag.find("charset")
            && let Some(label) = attribute_value(&tag[at + "charset".len()..])
        {
            return Some(label);
        }
        from = end;
    }
    None
}

/// The value after `charset` or `encoding`: `= "x"`, `='x'` or `=x`.
fn attribute_value(s: &str) -> Option<String> {
    let s = s.trim_start().strip_prefix('=')?.trim_start();
    let s = s.trim_start_matches(['"', '\'']);
    let label: String = s
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    (!label.is_empty()).then_some(label)
}

/// The `charset` parameter of a `Content-Type` value.
pub(crate) fn content_type_charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bom_decides() {
        let mut b = vec![0xff, 0xfe];
        for u in "Страйк у Харкові".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode_text(&b, Some("windows-1252"), true);
        assert_eq!(d.text, "Страйк у Харкові");
        assert_eq!(d.charset, "UTF-16LE");
        let mut b = vec![0xfe, 0xff];
        for u in "Idlib".encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode_text(&b, None, false).text, "Idlib");
    }

    #[test]
    fn declared_charsets_are_used() {
        let (arabic, _, _) = encoding_rs::WINDOWS_1256.encode("قصف مدينة حلب يوم الاثنين");
        let page = [
            b"<html><head><meta charset=\"windows-1256\"></head><body><p>".as_slice(),
            &arabic,
            b"</p></body></html>",
        ]
        .concat();
        let d = decode_text(&page, None, true);
        assert!(d.text.contains("قصف مدينة حلب"), "{}", d.text);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        let (cyr, _, _) = encoding_rs::WINDOWS_1251.encode("Обстрел Харькова");
        let page = [
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">"
                .as_slice(),
            &cyr,
        ]
        .concat();
        assert!(
            decode_text(&page, None, true)
                .text
                .contains("Обстрел Харькова")
        );
        // Declared by HTTP.
        let d = decode_text(&cyr, Some("windows-1251"), false);
        assert_eq!(d.text, "Обстрел Харькова");
        assert_eq!(
            content_type_charset("text/html; Charset=\"ISO-8859-1\"").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            meta_charset(b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><rss>").as_deref(),
            Some("iso-8859-1")
        );
    }

    #[test]
    fn undeclared_legacy_text_is_guessed_with_a_warning() {
        let (latin, _, _) =
            encoding_rs::WINDOWS_1252.encode("Les forces armées ont attaqué le dépôt à Gao.");
        let d = decode_text(&latin, None, false);
        assert_eq!(d.text, "Les forces armées ont attaqué le dépôt à Gao.");
        assert!(d.warnings[0].contains("guessed"), "{:?}", d.warnings);
        let (arabic, _, _) = encoding_rs::WINDOWS_1256
            .encode("قالت وزارة الدفاع إن قواتها سيطرت على القرية بعد معارك عنيفة مع المسلحين");
        let d = decode_text(&arabic, None, false);
        assert_eq!(d.charset, "windows-1256");
        assert!(d.text.starts_with("قالت وزارة الدفاع"), "{}", d.text);
        let (cyr, _, _) = encoding_rs::WINDOWS_1251
            .encode("Российские войска обстреляли город, сообщили местные власти в понедельник");
        let d = decode_text(&cyr, None, false);
        assert_eq!(d.charset, "windows-1251");
        assert!(d.text.starts_with("Российские войска"), "{}", d.text);
    }

    #[test]
    fn utf8_with_a_few_broken_bytes_stays_utf8() {
        let mut one = "Idlib — ".as_bytes().to_vec();
        one.push(0xe9);
        let d = decode_text(&one, None, false);
        assert_eq!(
            d.charset, "UTF-8",
            "one valid sequence and one broken byte: {d:?}"
        );
        let mut b = "Forces in Deir ez-Zor — “heavy clashes” — near Raqqa"
            .as_bytes()
            .to_vec();
        b.push(0xff);
        let d = decode_text(&b, None, false);
        assert_eq!(d.charset, "UTF-8");
        assert!(d.text.contains("“heavy clashes”"));
        assert!(d.warnings[0].contains("invalid UTF-8"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300), markup: bool) {
            let _ = decode_text(&bytes, None, markup);
            let _ = decode_text(&bytes, Some("shift_jis"), markup);
        }

        #[test]
        fn valid_utf8_without_declaration_is_kept(s in "\\PC{0,80}") {
            prop_assume!(!s.starts_with('\u{feff}'));
            let d = decode_text(s.as_bytes(), None, false);
            prop_assert_eq!(d.text, s);
        }
    }
}
