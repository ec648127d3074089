//! Front matter of text files: `key: value` lines before a `---` line.
//!
//! ```text
//! outlet: Corvid Wire
//! title: Air strike on Idlib market kills 12, rescuers say
//! published: 2025-03-04
//! url: https://corvid.example/2025/03/04/idlib-market-strike
//! ---
//! IDLIB, Syria (Corvid) - An air strike hit ...
//! ```
//!
//! This is the form of the demo's sample articles. A `---` line may also open the block (as in
//! Jekyll or Hugo). Keys (any letter case): `outlet`, `title`, `published` (any form
//! [`crate::read_date`] reads), `url`, `author`, `language`. The block is front matter only
//! when every line before the closing `---` is one of these keys (at most 16 lines, none
//! blank); otherwise the file is all text and nothing is taken out of it.

use frontline_model::DocumentMeta;

use crate::dates::read_date;

/// The most lines a front-matter block may have.
const MAX_LINES: usize = 16;

/// What front matter held, and where the body starts.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct FrontMatter {
    /// The fields found (origin unset).
    pub meta: DocumentMeta,
    /// Problems with values (an unreadable date).
    pub warnings: Vec<String>,
    /// Byte offset of the body in the text.
    pub body_start: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Reads the front matter at the start of `text`, if it has any.
pub(crate) fn front_matter(text: &str) -> Option<FrontMatter> {
    let text_start = text.len() - text.trim_start_matches('\u{feff}').len();
    let mut pos = text_start;
    let mut lines = text[text_start..].split_inclusive('\n');
    let mut fm = FrontMatter::default();
    let mut keys = 0usize;
    for n in 0..=MAX_LINES + 1 {
        let line = lines.next()?;
        pos += line.len();
        let l = line.trim_end_matches(['\n', '\r']);
        if is_fence(l) {
            if n == 0 {
                continue;
            }
            if keys == 0 {
                return None;
            }
            fm.body_start = pos;
            return Some(fm);
        }
        let (key, value) = l.split_once(':')?;
        let value = value.trim();
        let value = (!value.is_empty()).then(|| value.to_string());
        match key.trim().to_ascii_lowercase().as_str() {
            "outlet" => fm.meta.outlet = value,
            "title" => fm.meta.title = value,
            "url" => fm.meta.url = value,
            "author" => fm.meta.author = value,
            "language" => fm.meta.language = value,
            "published" => {
                if let Some(v) = value {
                    match read_date(&v) {
                        Ok(r) => {
                            fm.meta.published_at = Some(r.date);
                            fm.warnings.extend(r.note);
                        }
                        Err(e) => fm.warnings.push(e.to_string()),
                    }
                }
            }
            _ => return None,
        }
        keys += 1;
        if keys > MAX_LINES {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_demo_form_and_the_fenced_form() {
        let t = "outlet: Corvid Wire\ntitle: Air strike\npublished: 2025-03-04\n\
                 url: https://corvid.example/x\n---\nIDLIB, Syria - An air strike hit.\n";
        let fm = front_matter(t).unwrap();
        assert_eq!(fm.meta.outlet.as_deref(), Some("Corvid Wire"));
        assert_eq!(fm.meta.title.as_deref(), Some("Air strike"));
        assert_eq!(fm.meta.url.as_deref(), Some("https://corvid.example/x"));
        assert_eq!(
            fm.meta.published_at,
            chrono::NaiveDate::from_ymd_opt(2025, 3, 4)
        );
        assert_eq!(&t[fm.body_start..], "IDLIB, Syria - An air strike hit.\n");
        let t = "---\r\nTitle: X\r\nPublished: June 3, 2025\r\n---\r\nBody.";
        let fm = front_matter(t).unwrap();
        assert_eq!(fm.meta.title.as_deref(), Some("X"));
        assert_eq!(
            fm.meta.published_at,
            chrono::NaiveDate::from_ymd_opt(2025, 6, 3)
        );
        assert_eq!(&t[fm.body_start..], "Body.");
    }

    #[test]
    fn text_that_only_looks_like_it_is_left_alone() {
        assert_eq!(
            front_matter("Note: troops advanced.\n---\nMore text."),
            None
        );
        assert_eq!(front_matter("Troops advanced.\n---\n"), None);
        assert_eq!(front_matter("---\n---\nText"), None);
        assert_eq!(front_matter("title: only a title and no fence"), None);
        assert_eq!(front_matter("title: X\n\n---\nText"), None);
    }

    #[test]
    fn an_unreadable_date_is_a_warning_naming_the_value() {
        let fm = front_matter("published: next week\n---\nText").unwrap();
        assert_eq!(fm.meta.published_at, None);
        assert!(
            fm.warnings[0].contains("\"next week\""),
            "{:?}",
            fm.warnings
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn never_panics_and_body_is_a_suffix(s in "(---\n)?((title|outlet|published|x): [^\n]{0,12}\n){0,4}(---\n)?[^\n]{0,20}") {
            if let Some(fm) = front_matter(&s) {
                prop_assert!(s.is_char_boundary(fm.body_start));
                prop_assert!(fm.body_start <= s.len());
            }
        }
    }
}
