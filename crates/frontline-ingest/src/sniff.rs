//! Choosing a reader from the first bytes of an input.

use std::path::Path;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// An HTML page.
    Html,
    /// RSS, Atom or JSON Feed.
    Feed,
    /// A WARC file.
    Warc,
    /// JSON Lines.
    Jsonl,
    /// Not text at all.
    Binary,
}

fn lower_prefix(head: &[u8], n: usize) -> String {
    String::from_utf8_lossy(&head[..head.len().min(n)]).to_ascii_lowercase()
}

/// Sniffs the format from the first bytes of an (uncompressed) input; the path's extension
/// only breaks ties.
pub fn sniff(head: &[u8], path: Option<&Path>) -> Format {
    let head = head.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(head);
    if head.starts_with(b"WARC/") {
        return Format::Warc;
    }
    let probe = &head[..head.len().min(8192)];
    if probe.contains(&0) {
        // UTF-16 with a byte order mark is decoded before sniffing; without one, treat as
        // binary.
        return Format::Binary;
    }
    // Control bytes other than line breaks, tabs and form feeds: more than one in ten is not
    // text in any character set.
    let control = probe
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || b == 0x7f)
        .count();
    if control * 10 > probe.len() {
        return Format::Binary;
    }
    let start = probe
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(probe.len());
    let body = &probe[start..];
    let ext = path
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if body.starts_with(b"{") {
        let first_line = body.split(|b| *b == b'\n').next().unwrap_or(body);
        let low = lower_prefix(body, 2048);
        if low.contains("jsonfeed.org/version") {
            return Format::Feed;
        }
        if serde_json::from_slice::<serde_json::Value>(first_line).is_ok()
            || ext.contains(".jsonl")
            || ext.contains(".ndjson")
        {
            return Format::Jsonl;
        }
        return Format::Text;
    }
    if body.starts_with(b"<") {
        let low = lower_prefix(body, 4096);
        if low.contains("<rss") || low.contains("<rdf:rdf") || low.contains("<feed") {
            return Format::Feed;
        }
        if low.contains("<html")
            || low.contains("<!doctype html")
            || low.contains("<head")
            || low.contains("<body")
            || low.contains("<p>")
            || low.contains("<p ")
            || low.contains("<div")
            || low.contains("<article")
        {
            return Format::Html;
        }
        if ext.ends_with(".html") || ext.ends_with(".htm") || ext.ends_with(".xhtml") {
            return Format::Html;
        }
        if ext.ends_with(".xml") || ext.ends_with(".rss") || ext.ends_with(".atom") {
            return Format::Feed;
        }
    }
    Format::Text
}
