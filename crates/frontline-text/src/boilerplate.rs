//! Boilerplate detection: comment forms, share bars, newsletter prompts, photo credits, link
//! lists and page furniture that extraction must not read as article text.
//!
//! Detection works line by line with patterns anchored at the start (or, for credits, the end)
//! of a short line, so a real article sentence that merely contains "subscribe" or "photo" is
//! never taken. Each rule has a stable id (`BP001-comment-form`, ...) reported with every block.
//! A comment-form heading after the first third of the text starts a block that runs to the end
//! of the text: everything after it is the form and readers' comments.

use serde::{Deserialize, Serialize};

use crate::Span;

/// What kind of boilerplate a removed block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BoilerplateKind {
    /// A comment form ("Leave a Reply", "Your email address will not be published").
    CommentForm,
    /// Social share buttons ("Share on Facebook", "Tweet").
    ShareBar,
    /// Newsletter or subscription prompts.
    Newsletter,
    /// Photo credits and captions ("Photo: AFP/Getty Images").
    PhotoCredit,
    /// "Related:" / "Read more" link lists.
    RelatedLinks,
    /// Cookie banners, copyright lines, navigation crumbs and other page furniture.
    Other,
}

/// A block of boilerplate found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BoilerplateBlock {
    /// Where it is (whole lines, without the final line break).
    pub span: Span,
    /// What it is.
    pub kind: BoilerplateKind,
    /// Stable id of the rule that matched, e.g. `BP001-comment-form`.
    pub rule: &'static str,
}

/// Rule id: comment forms.
pub const BP_COMMENT_FORM: &str = "BP001-comment-form";
/// Rule id: share bars.
pub const BP_SHARE_BAR: &str = "BP002-share-bar";
/// Rule id: newsletter and subscription prompts.
pub const BP_NEWSLETTER: &str = "BP003-newsletter";
/// Rule id: photo credits and captions.
pub const BP_PHOTO_CREDIT: &str = "BP004-photo-credit";
/// Rule id: related-links lists.
pub const BP_RELATED: &str = "BP005-related-links";
/// Rule id: copyright, cookie and rights lines.
pub const BP_COPYRIGHT: &str = "BP006-copyright-cookie";

/// Rule id: advertisement markers and "continue reading" furniture.
pub const BP_ADVERT: &str = "BP007-advert";

/// Every rule id, for documentation and listing.
pub const RULES: &[(&str, BoilerplateKind, &str)] = &[
    (
        BP_COMMENT_FORM,
        BoilerplateKind::CommentForm,
        "comment form headings and fields; a heading late in the text runs to the end",
    ),
    (
        BP_SHARE_BAR,
        BoilerplateKind::ShareBar,
        "share prompts and rows of social network names",
    ),
    (
        BP_NEWSLETTER,
        BoilerplateKind::Newsletter,
        "short newsletter and subscription prompts",
    ),
    (
        BP_PHOTO_CREDIT,
        BoilerplateKind::PhotoCredit,
        "photo credit and caption lines",
    ),
    (
        BP_RELATED,
        BoilerplateKind::RelatedLinks,
        "\"Related:\", \"Read more:\" headings and the short headline lines after them",
    ),
    (
        BP_COPYRIGHT,
        BoilerplateKind::Other,
        "copyright, rights-reserved and cookie notices",
    ),
    (
        BP_ADVERT,
        BoilerplateKind::Other,
        "advertisement markers and \"continue reading\" lines",
    ),
];

/// Longest line (in bytes) that a heading-style rule will take.
const SHORT: usize = 160;

/// Comment-form headings: a late one runs to the end of the text.
const COMMENT_HEADINGS: &[&str] = &[
    "send a comment",
    "leave a reply",
    "leave a comment",
    "post a comment",
    "add a comment",
    "add comment",
    "write a comment",
    "comments",
    "join the conversation",
    "join the discussion",
];

/// Comment-form fields and notices.
const COMMENT_FIELDS: &[&str] = &[
    "your email address will not be published",
    "required fields are marked",
    "post comment",
    "submit comment",
    "cancel reply",
    "comment name email website",
    "name email website",
    "save my name, email, and website",
    "you must be logged in to post a comment",
    "notify me of follow-up comments",
    "notify me of new posts",
    "this site uses akismet",
];

const SHARE_PREFIXES: &[&str] = &[
    "share this",
    "share on ",
    "share via ",
    "share to ",
    "click to share",
    "click to email",
    "click to print",
    "share:",
    "share article",
    "share the story",
    "share story",
];

const SOCIAL_WORDS: &[&str] = &[
    "share",
    "tweet",
    "twitter",
    "x",
    "facebook",
    "whatsapp",
    "telegram",
    "email",
    "e-mail",
    "print",
    "pinterest",
    "linkedin",
    "reddit",
    "copy",
    "link",
    "copy link",
    "messenger",
    "vk",
    "tumblr",
    "pocket",
    "more",
    "sms",
    "mail",
    "flipboard",
    "threads",
    "bluesky",
];

const NEWSLETTER_PREFIXES: &[&str] = &[
    "sign up for our",
    "sign up to our",
    "sign up for the",
    "subscribe to our",
    "subscribe to the",
    "subscribe now",
    "subscribe",
    "get our newsletter",
    "get the latest news",
    "get breaking news",
    "newsletter",
    "enter your email",
    "follow us on",
    "like us on facebook",
];

const PHOTO_PREFIXES: &[&str] = &[
    "photo:",
    "photo by",
    "photos:",
    "photograph:",
    "photo credit",
    "image:",
    "image copyright",
    "image caption",
    "image source",
    "picture:",
    "file photo",
    "caption:",
    "credit:",
    "media caption",
];

/// Credit markers inside a caption; each starts with "(" (`classify` relies on it).
const PHOTO_MARKERS: &[&str] = &["(ap photo", "(reuters/", "(afp/", "(afp photo", "(epa/"];

const PHOTO_SUFFIXES: &[&str] = &[
    "getty images",
    "getty images)",
    "(ap photo)",
    "/ap",
    "/afp",
    "/reuters",
    "/epa",
    "/anadolu",
    "/sana",
    "(reuters)",
];

const RELATED_PREFIXES: &[&str] = &[
    "related:",
    "related",
    "related articles",
    "related stories",
    "related news",
    "related content",
    "read more:",
    "read more",
    "also read",
    "read also",
    "see also",
    "more on this",
    "more from",
    "recommended",
    "you may also like",
    "you might also like",
    "most read",
    "trending",
    "latest news",
];

const COPYRIGHT_PREFIXES: &[&str] = &[
    "\u{a9}",
    "copyright",
    "(c) ",
    "all rights reserved",
    "this material may not be published",
    "we use cookies",
    "this website uses cookies",
    "this site uses cookies",
    "by continuing to use this",
    "accept cookies",
    "cookie policy",
    "privacy policy",
    "terms of use",
];

/// Whole lines that are advertisement or reading furniture.
const ADVERT_LINES: &[&str] = &[
    "advertisement",
    "advertising",
    "skip advertisement",
    "story continues below advertisement",
    "article continues below advertisement",
    "continue reading",
    "continue reading below",
    "scroll to continue",
    "scroll to continue with content",
    "sponsored",
    "sponsored content",
    "promoted content",
];

/// The line with trailing punctuation and decoration trimmed, lowercased.
fn normalise(line: &str) -> String {
    line.trim()
        .trim_end_matches(['*', ':', '.', '!', '>', '\u{bb}', ' '])
        .trim_start_matches(['*', '-', '|', ' ', '>', '\u{bb}'])
        .to_lowercase()
}

/// Whether `line` starts with `prefix` at a word boundary.
fn starts_with_word(line: &str, prefix: &str) -> bool {
    // Most prefixes of a list differ from the line in the first byte: rejected without
    // comparing whole strings.
    if prefix
        .as_bytes()
        .first()
        .is_some_and(|b| line.as_bytes().first() != Some(b))
    {
        return false;
    }
    line.strip_prefix(prefix).is_some_and(|rest| {
        prefix.ends_with(|c: char| !c.is_alphanumeric())
            || !rest.chars().next().is_some_and(char::is_alphanumeric)
    })
}

fn is_comment_heading(norm: &str) -> bool {
    COMMENT_HEADINGS.iter().any(|h| {
        norm == *h || {
            // "Comments (3)", "Leave a Reply Cancel reply"
            norm.strip_prefix(h).is_some_and(|rest| {
                let rest = rest.trim();
                rest.starts_with('(')
                    || rest.chars().all(|c| c.is_ascii_digit())
                    || rest == "cancel reply"
            })
        }
    })
}

fn is_share_bar(norm: &str) -> bool {
    if SHARE_PREFIXES.iter().any(|p| norm.starts_with(p)) && norm.len() <= SHORT {
        return true;
    }
    // A row of social network names: "Facebook Twitter WhatsApp", "Tweet | Email": one to
    // twelve words, all of them social words, not only "more", "link" and "copy". Read word by
    // word, so that ordinary text stops at its first word.
    let mut count = 0;
    let mut named = false;
    for w in share_bar_words(norm) {
        count += 1;
        if count > 12 || !SOCIAL_WORDS.contains(&w) {
            return false;
        }
        named |= w != "more" && w != "link" && w != "copy";
    }
    count > 0 && named
}

/// The words of a possible share bar, split at spaces and separators.
fn share_bar_words(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(|c: char| c.is_whitespace() || matches!(c, '|' | ',' | '/' | '\u{b7}' | '\u{2022}'))
        .filter(|w| !w.is_empty())
}

fn classify(line: &str) -> Option<(BoilerplateKind, &'static str)> {
    let norm = normalise(line);
    if norm.is_empty() {
        return None;
    }
    let short = line.trim().len() <= SHORT;
    if short && (is_comment_heading(&norm) || COMMENT_FIELDS.iter().any(|f| norm.starts_with(f))) {
        return Some((BoilerplateKind::CommentForm, BP_COMMENT_FORM));
    }
    if short && is_share_bar(&norm) {
        return Some((BoilerplateKind::ShareBar, BP_SHARE_BAR));
    }
    if short
        && NEWSLETTER_PREFIXES
            .iter()
            .any(|p| starts_with_word(&norm, p))
        && norm.len() <= 100
    {
        return Some((BoilerplateKind::Newsletter, BP_NEWSLETTER));
    }
    let photo_len = line.trim().len() <= 300;
    if photo_len
        && (PHOTO_PREFIXES.iter().any(|p| starts_with_word(&norm, p))
            // Every marker starts with "(": one byte search rules most lines out.
            || (norm.contains('(') && PHOTO_MARKERS.iter().any(|m| norm.contains(m)))
            || (short && PHOTO_SUFFIXES.iter().any(|s| norm.ends_with(s))))
    {
        return Some((BoilerplateKind::PhotoCredit, BP_PHOTO_CREDIT));
    }
    if short && RELATED_PREFIXES.iter().any(|p| starts_with_word(&norm, p)) {
        // "Related" alone or "Related: <headline>"; not "Related fighting erupted ...".
        let rest = norm
            .trim_start_matches(|c: char| c.is_alphabetic() || c == ' ')
            .trim();
        if RELATED_PREFIXES.contains(&norm.as_str()) || line.contains(':') || rest.is_empty() {
            return Some((BoilerplateKind::RelatedLinks, BP_RELATED));
        }
    }
    if short
        && COPYRIGHT_PREFIXES
            .iter()
            .any(|p| starts_with_word(&norm, p))
    {
        return Some((BoilerplateKind::Other, BP_COPYRIGHT));
    }
    if short && norm.contains("all rights reserved") {
        return Some((BoilerplateKind::Other, BP_COPYRIGHT));
    }
    if ADVERT_LINES.contains(&norm.as_str()) {
        return Some((BoilerplateKind::Other, BP_ADVERT));
    }
    None
}

/// A headline-like line in a related-links list: short, no sentence-final period.
fn is_link_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.len() <= 120 && !t.ends_with('.') && !t.ends_with('"')
}

/// Finds boilerplate blocks in `text`, in order and non-overlapping. Blocks cover whole lines
/// (without their final line break); adjacent blocks of the same kind separated only by
/// whitespace are merged.
pub fn detect_boilerplate(text: &str) -> Vec<BoilerplateBlock> {
    let mut lines: Vec<Span> = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push(Span::new(start, i));
            start = i + 1;
        }
    }
    lines.push(Span::new(start, text.len()));

    let mut blocks: Vec<BoilerplateBlock> = Vec::new();
    let mut li = 0;
    while li < lines.len() {
        let line_span = lines[li];
        let line = &text[line_span.range()];
        li += 1;
        let Some((kind, rule)) = classify(line) else {
            continue;
        };
        let mut span = trim_span(text, line_span);
        if kind == BoilerplateKind::CommentForm
            && is_comment_heading(&normalise(line))
            && line_span.start * 3 >= text.len()
        {
            span = Span::new(span.start, text.trim_end().len().max(span.end));
            li = lines.len();
        } else if kind == BoilerplateKind::RelatedLinks {
            // The heading takes the short headline lines after it (a blank line between the
            // heading and the list is allowed).
            let mut lj = li;
            while lj < lines.len() {
                let l = &text[lines[lj].range()];
                if l.trim().is_empty() {
                    if lj == li {
                        lj += 1;
                        continue;
                    }
                    break;
                }
                if !is_link_line(l) || classify(l).is_some_and(|(k, _)| k != kind) {
                    break;
                }
                span = span.cover(trim_span(text, lines[lj]));
                lj += 1;
            }
            li = lj;
        }
        if span.is_empty() {
            continue;
        }
        match blocks.last_mut() {
            Some(last)
                if last.kind == kind && text[last.span.end..span.start].trim().is_empty() =>
            {
                last.span = last.span.cover(span);
            }
            _ => blocks.push(BoilerplateBlock { span, kind, rule }),
        }
    }
    blocks
}

fn trim_span(text: &str, span: Span) -> Span {
    let s = &text[span.range()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    Span::new(span.start + lead, span.start + lead + t.len())
}

/// The parts of a text of `text_len` bytes not covered by `blocks`: the regions to analyse.
/// Blocks may be in any order and may overlap; empty gaps are left out.
pub fn analysed_regions(text_len: usize, blocks: &[BoilerplateBlock]) -> Vec<Span> {
    let mut spans: Vec<Span> = blocks.iter().map(|b| b.span).collect();
    spans.sort();
    let mut out = Vec::new();
    let mut pos = 0;
    for s in spans {
        let start = s.start.min(text_len);
        if start > pos {
            out.push(Span::new(pos, start));
        }
        pos = pos.max(s.end.min(text_len));
    }
    if pos < text_len {
        out.push(Span::new(pos, text_len));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `starts_with_word` by its definition, without the first-byte test.
    fn starts_with_word_by_definition(line: &str, prefix: &str) -> bool {
        line.strip_prefix(prefix).is_some_and(|rest| {
            prefix.ends_with(|c: char| !c.is_alphanumeric())
                || !rest.chars().next().is_some_and(char::is_alphanumeric)
        })
    }

    #[test]
    fn first_byte_test_rejects_only_what_the_definition_rejects() {
        let lists = [
            NEWSLETTER_PREFIXES,
            PHOTO_PREFIXES,
            RELATED_PREFIXES,
            COPYRIGHT_PREFIXES,
            &["", "a", "\u{e9}t\u{e9}"],
        ];
        for list in lists {
            for prefix in list {
                let mut lines: Vec<String> = vec![String::new(), "x".into(), "\u{e9}".into()];
                for (i, _) in prefix.char_indices() {
                    lines.push(prefix[..i].to_string());
                }
                for tail in ["", " more", "s", ":", "\u{e9}"] {
                    lines.push(format!("{prefix}{tail}"));
                }
                for line in &lines {
                    for p in list {
                        assert_eq!(
                            starts_with_word(line, p),
                            starts_with_word_by_definition(line, p),
                            "{line:?} {p:?}"
                        );
                    }
                }
            }
        }
    }

    /// The share-bar row test as first written: every word collected, then counted and checked.
    fn social_row_by_definition(norm: &str) -> bool {
        let words: Vec<&str> = share_bar_words(norm).collect();
        !words.is_empty()
            && words.len() <= 12
            && words.iter().all(|w| SOCIAL_WORDS.contains(w))
            && words
                .iter()
                .any(|w| *w != "more" && *w != "link" && *w != "copy")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The word-by-word share-bar test agrees with the definition.
        #[test]
        fn share_bar_agrees_with_its_definition(
            words in proptest::collection::vec(
                "(share|tweet|x|facebook|more|link|copy|email|the|news|\\||,|/|\u{b7}| )",
                0..16,
            ),
            sep in "[ |,]{0,2}",
        ) {
            let norm = words.join(&sep);
            let row = !SHARE_PREFIXES.iter().any(|p| norm.starts_with(p)) || norm.len() > SHORT;
            if row {
                proptest::prop_assert_eq!(is_share_bar(&norm), social_row_by_definition(&norm));
            }
        }
    }

    #[test]
    fn photo_markers_start_with_a_bracket() {
        assert!(PHOTO_MARKERS.iter().all(|m| m.starts_with('(')));
    }

    fn found(text: &str) -> Vec<(&str, BoilerplateKind, &'static str)> {
        detect_boilerplate(text)
            .into_iter()
            .map(|b| (&text[b.span.range()], b.kind, b.rule))
            .collect()
    }

    const ARTICLE: &str = "Government forces shelled the eastern districts on Tuesday, \
                           residents said.\n\nAt least four people were wounded, a medic said.";

    #[test]
    fn comment_form_at_the_end_runs_to_the_end() {
        let text = format!(
            "{ARTICLE}\n\nSend a Comment\n\nYour email address will not be published.\n\nGreat report!"
        );
        let got = found(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, BoilerplateKind::CommentForm);
        assert_eq!(got[0].2, "BP001-comment-form");
        assert!(got[0].0.starts_with("Send a Comment"));
        assert!(got[0].0.ends_with("Great report!"));
        let regions = analysed_regions(text.len(), &detect_boilerplate(&text));
        assert_eq!(regions.len(), 1);
        assert_eq!(text[regions[0].range()].trim(), ARTICLE);
    }

    #[test]
    fn comment_fields_alone() {
        let text = "Leave a Reply Cancel reply\nYour email address will not be published. Required fields are marked *\nComment Name Email Website\nPost Comment";
        let got = found(text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, text);
    }

    #[test]
    fn share_bars_newsletters_and_credits() {
        let text = format!(
            "Share this:\nFacebook | Twitter | WhatsApp\n{ARTICLE}\n(AP Photo/Hassan Ammar)\n\
             Photo: Reuters\nSign up for our daily newsletter\nSubscribe\n\
             \u{a9} 2017 The Daily Wire Service. All rights reserved.\n\
             We use cookies to improve your experience."
        );
        let got = found(&text);
        let kinds: Vec<_> = got.iter().map(|g| g.1).collect();
        assert_eq!(
            kinds,
            vec![
                BoilerplateKind::ShareBar,
                BoilerplateKind::PhotoCredit,
                BoilerplateKind::Newsletter,
                BoilerplateKind::Other
            ]
        );
        assert_eq!(got[0].0, "Share this:\nFacebook | Twitter | WhatsApp");
        assert!(got[3].0.ends_with("experience."));
    }

    #[test]
    fn related_lists_take_their_headlines() {
        let text = format!(
            "{ARTICLE}\nRelated:\nRebels retreat from hilltop town\nAid convoy reaches besieged city\n\nThe army said it would continue."
        );
        let got = found(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].0,
            "Related:\nRebels retreat from hilltop town\nAid convoy reaches besieged city"
        );
    }

    #[test]
    fn article_sentences_are_never_taken() {
        let text = "Related fighting erupted in the north, officials said.\n\
                    Subscribers to the local radio heard the blasts.\n\
                    Photographs of the damage circulated widely on Sunday, residents said.\n\
                    Comments by the minister angered the opposition.\n\
                    Share prices fell after the attack.\n\
                    Tweets from the area showed smoke over the city.\n\
                    Copyrights were not the issue, the lawyer said, adding the trial would go on.";
        let got = found(text);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn advert_lines() {
        let text = format!("{ARTICLE}\nAdvertisement\nContinue reading\n{ARTICLE}");
        let got = found(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "Advertisement\nContinue reading");
        assert_eq!(got[0].2, "BP007-advert");
        // Merged blocks keep the first rule id; a sentence about advertising is kept.
        assert!(found("Advertisement revenue fell sharply, the company said.").is_empty());
    }

    #[test]
    fn early_comment_heading_is_only_its_line() {
        let text = format!("Comments\n{ARTICLE}\n{ARTICLE}");
        let got = found(&text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "Comments");
    }

    #[test]
    fn regions_are_the_complement() {
        let blocks = [
            BoilerplateBlock {
                span: Span::new(10, 20),
                kind: BoilerplateKind::Other,
                rule: BP_COPYRIGHT,
            },
            BoilerplateBlock {
                span: Span::new(0, 5),
                kind: BoilerplateKind::ShareBar,
                rule: BP_SHARE_BAR,
            },
            BoilerplateBlock {
                span: Span::new(15, 25),
                kind: BoilerplateKind::Other,
                rule: BP_COPYRIGHT,
            },
        ];
        assert_eq!(
            analysed_regions(40, &blocks),
            vec![Span::new(5, 10), Span::new(25, 40)]
        );
        assert_eq!(analysed_regions(10, &[]), vec![Span::new(0, 10)]);
        assert_eq!(analysed_regions(3, &blocks), Vec::<Span>::new());
    }

    #[test]
    fn boilerplate_kind_serde_form() {
        let json = serde_json::to_string(&BoilerplateKind::CommentForm).unwrap();
        assert_eq!(json, "\"comment_form\"");
    }
}
