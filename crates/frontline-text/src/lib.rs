//! Text primitives for Frontline: byte spans, offset-preserving cleaning, sentence splitting,
//! tokens and boilerplate detection.
//!
//! Everything downstream (mentions, events, evidence) points into the *cleaned* document text
//! with a [`Span`] of UTF-8 byte offsets, so `&text[span.range()]` is always valid. The cleaner
//! keeps a map from every cleaned offset back to the raw input's byte offset, so any span can be
//! traced to the bytes the outlet published.
//!
//! The usual order:
//! 1. [`decode`] bytes (lossy, recording where the input was not UTF-8);
//! 2. [`clean`] the text (NFC, ASCII punctuation, normalised whitespace, offset map);
//! 3. [`detect_boilerplate`] and take the [`analysed_regions`] around it;
//! 4. split each region into [`sentences`] and each sentence into [`tokens`].
//!
//! ```
//! use frontline_text::{Span, analysed_regions, clean, detect_boilerplate, sentences};
//!
//! let cleaned = clean("BEIRUT (AP) \u{2014} Troops advanced. \u{201C}We held,\u{201D} he said.\n\nLeave a Reply");
//! let text = &cleaned.text;
//! let blocks = detect_boilerplate(text);
//! let regions = analysed_regions(text.len(), &blocks);
//! let sents: Vec<&str> = regions
//!     .iter()
//!     .flat_map(|r| sentences(text, *r))
//!     .map(|s| &text[s.range()])
//!     .collect();
//! assert_eq!(sents, ["BEIRUT (AP) - Troops advanced.", "\"We held,\" he said."]);
//! ```

mod boilerplate;
mod clean;
mod decode;
mod sentence;
mod span;
mod token;

pub use boilerplate::{
    BP_ADVERT, BP_COMMENT_FORM, BP_COPYRIGHT, BP_NEWSLETTER, BP_PHOTO_CREDIT, BP_RELATED,
    BP_SHARE_BAR, BoilerplateBlock, BoilerplateKind, RULES as BOILERPLATE_RULES, analysed_regions,
    detect_boilerplate,
};
pub use clean::{Cleaned, clean};
pub use decode::{Decoded, decode};
pub use sentence::{MAX_SENTENCE_BYTES, sentences, split_long};
pub use span::Span;
pub use token::{Token, TokenKind, tokens};
