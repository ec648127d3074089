//! Text primitives for Frontline: byte spans, offset-preserving cleaning, sentence splitting,
//! tokens and boilerplate detection.
//!
//! Everything downstream (mentions, events, evidence) points into the *cleaned* document text
//! with a [`Span`] of UTF-8 byte offsets, so `&text[span.range()]` is always valid. The cleaner
//! keeps a map from every cleaned offset back to the raw input's byte offset, so any span can be
//! traced to the bytes the outlet published.

mod span;

pub use span::Span;
