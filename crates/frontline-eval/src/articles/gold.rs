//! The real-document gold (`eval/articles/{dev,test}/*.jsonl`, docs/evaluation.md): types,
//! loading, and reading each document's text from `../shared`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Errors loading the gold or the texts it refers to.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A line is not a valid gold document.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// No gold documents were found.
    #[error("no gold documents (*.jsonl lines) under {0}")]
    Empty(PathBuf),
    /// A document id names no text in the shared data.
    #[error("{doc}: {message}")]
    Text {
        /// The document id.
        doc: String,
        /// What is wrong.
        message: String,
    },
}

/// Which half of the gold to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// The half that may be read and tuned on.
    Dev,
    /// The held-out half.
    Test,
    /// Both.
    All,
}

impl Split {
    /// The folder names under the gold root that this split reads.
    pub fn folders(&self) -> &'static [&'static str] {
        match self {
            Split::Dev => &["dev"],
            Split::Test => &["test"],
            Split::All => &["dev", "test"],
        }
    }
}

/// PLOVER type and mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldPlover {
    /// PLOVER type (`ASSAULT`...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Mode, when given.
    #[serde(default)]
    pub mode: Option<String>,
}

/// ACLED event type and sub-event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldAcled {
    /// Event type (`Battles`...).
    pub event_type: String,
    /// Sub-event type (`Armed clash`...).
    pub sub_event_type: String,
}

/// An actor of a gold event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldActor {
    /// Name as written.
    #[serde(default)]
    pub name: Option<String>,
    /// CAMEO-style code (`UNK` for unidentified).
    pub code: String,
    /// ACLED interaction category (`state`, `rebels`, ...).
    pub inter: String,
}

/// Where a gold event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldLocation {
    /// Name as written.
    #[serde(default)]
    pub name: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// ACLED geo_precision (1, 2, 3).
    pub geo_precision: u8,
    /// First-level unit.
    #[serde(default)]
    pub admin1: Option<String>,
    /// ISO alpha-2 country.
    pub country: String,
}

/// When a gold event happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldDate {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// ACLED time_precision (1, 2, 3).
    pub time_precision: u8,
}

/// Deaths the text attributes to the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoldFatalities {
    /// Lowest figure.
    pub low: u64,
    /// Highest figure.
    pub high: u64,
}

/// One real event as the document tells it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldEvent {
    /// Id, unique within the document.
    pub id: String,
    /// Cluster shared across documents telling the same event.
    #[serde(default)]
    pub cluster: Option<String>,
    /// PLOVER type and mode.
    pub plover: GoldPlover,
    /// ACLED types.
    pub acled: GoldAcled,
    /// Who acts.
    pub actor1: GoldActor,
    /// Who is acted upon.
    #[serde(default)]
    pub actor2: Option<GoldActor>,
    /// Where.
    #[serde(default)]
    pub location: Option<GoldLocation>,
    /// When.
    #[serde(default)]
    pub date: Option<GoldDate>,
    /// Deaths.
    #[serde(default)]
    pub fatalities: Option<GoldFatalities>,
    /// Who the document credits.
    #[serde(default)]
    pub reported_by: Option<String>,
    /// `asserted`, `claimed`, `denied`, `uncertain`.
    pub modality: String,
    /// A past event mentioned as context.
    #[serde(default)]
    pub background: bool,
    /// Byte spans of the raw text that tell the event.
    pub evidence: Vec<[usize; 2]>,
}

/// A span that must carry no counted event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MustNot {
    /// Byte span of the raw text.
    pub span: [usize; 2],
    /// Class (`hospital`, `running_total`...).
    pub class: String,
}

/// One gold document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldDocument {
    /// Document id (`re3d:<folder>:<_id>`, `geo:<Corpus>:<i>`).
    pub doc: String,
    /// `dev` or `test`.
    pub split: String,
    /// SHA-256 of the raw text's bytes.
    pub text_sha256: String,
    /// Publication date the annotator established.
    #[serde(default)]
    pub published: Option<NaiveDate>,
    /// Publisher.
    #[serde(default)]
    pub outlet: Option<String>,
    /// The events.
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    /// Spans that must yield no counted event.
    #[serde(default)]
    pub must_not: Vec<MustNot>,
}

/// Loads the gold of a split from `root` (`eval/articles`): every `*.jsonl` file under the
/// split's folders, sorted by path. Blank lines are skipped.
pub fn load_gold(root: &Path, split: Split) -> Result<Vec<GoldDocument>, GoldError> {
    let mut files = Vec::new();
    for folder in split.folders() {
        let dir = root.join(folder);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(GoldError::Io { path: dir, source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| GoldError::Io {
                path: dir.clone(),
                source,
            })?;
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "jsonl") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut docs = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|source| GoldError::Io {
            path: path.clone(),
            source,
        })?;
        docs.extend(parse_gold(&text, &path)?);
    }
    if docs.is_empty() {
        return Err(GoldError::Empty(root.to_path_buf()));
    }
    Ok(docs)
}

/// Parses one gold file's text (`path` names it in errors).
pub fn parse_gold(text: &str, path: &Path) -> Result<Vec<GoldDocument>, GoldError> {
    let mut docs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parse_err = |message: String| GoldError::Parse {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        let d: GoldDocument = serde_json::from_str(line).map_err(|e| parse_err(e.to_string()))?;
        for e in &d.events {
            if e.evidence.is_empty() || e.evidence.iter().any(|[s, t]| s >= t) {
                return Err(parse_err(format!("event {}: empty or bad evidence", e.id)));
            }
        }
        docs.push(d);
    }
    Ok(docs)
}

/// Reads documents' texts from the shared data folder (`../shared`), indexing each re3d
/// publisher's `documents.json` once.
#[derive(Debug)]
pub struct TextSource {
    shared: PathBuf,
    local_root: Option<PathBuf>,
    re3d: HashMap<String, HashMap<String, String>>,
}

impl TextSource {
    /// A source over `shared` (the folder holding `eval/`).
    pub fn new(shared: &Path) -> Self {
        Self {
            shared: shared.to_path_buf(),
            local_root: None,
            re3d: HashMap::new(),
        }
    }

    /// Also reads `local:<path>` documents (the project's own texts), relative to `root`.
    pub fn with_local_root(mut self, root: &Path) -> Self {
        self.local_root = Some(root.to_path_buf());
        self
    }

    /// The raw text of document `doc`, checked against `sha256` when given.
    pub fn text(&mut self, doc: &str, sha256: Option<&str>) -> Result<String, GoldError> {
        let err = |message: String| GoldError::Text {
            doc: doc.to_string(),
            message,
        };
        let parts: Vec<&str> = doc.split(':').collect();
        let text = match parts.as_slice() {
            ["re3d", folder, id] => {
                if !self.re3d.contains_key(*folder) {
                    let index = self.index_re3d(folder).map_err(err)?;
                    self.re3d.insert((*folder).to_string(), index);
                }
                self.re3d
                    .get(*folder)
                    .and_then(|m| m.get(*id))
                    .cloned()
                    .ok_or_else(|| err(format!("no document {id} in re3d/{folder}")))?
            }
            ["geo", corpus, i]
                if i.bytes().all(|b| b.is_ascii_digit()) && !corpus.contains('/') =>
            {
                let p = self.shared.join("eval/geo/corpora").join(corpus).join(i);
                let bytes = std::fs::read(&p).map_err(|e| err(format!("{}: {e}", p.display())))?;
                String::from_utf8(bytes).map_err(|_| err(format!("{}: not UTF-8", p.display())))?
            }
            ["local", rel] => {
                // the project's own texts (eval/fusion): relative to the repository root
                let root = self.local_root.as_ref().ok_or_else(|| {
                    err(
                        "local: documents need the repository root (TextSource::with_local_root)"
                            .into(),
                    )
                })?;
                if rel.split('/').any(|c| c == ".." || c.is_empty()) || rel.starts_with('/') {
                    return Err(err("a local: path must stay inside the repository".into()));
                }
                let p = root.join(rel);
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| err(format!("{}: {e}", p.display())))?;
                if let Some(want) = sha256 {
                    check_sha(&text, want).map_err(err)?;
                }
                return Ok(blank_front_matter(&text));
            }
            _ => {
                return Err(err(
                    "unknown id form (re3d:<folder>:<_id>, geo:<Corpus>:<i>, local:<path>)".into(),
                ));
            }
        };
        if let Some(want) = sha256 {
            check_sha(&text, want).map_err(err)?;
        }
        Ok(text)
    }

    fn index_re3d(&self, folder: &str) -> Result<HashMap<String, String>, String> {
        if folder.contains('/') || folder.contains("..") {
            return Err(format!("bad re3d folder {folder:?}"));
        }
        let p = self
            .shared
            .join("eval/events/re3d")
            .join(folder)
            .join("documents.json");
        let all = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        #[derive(Deserialize)]
        struct Line {
            #[serde(rename = "_id")]
            id: String,
            text: String,
        }
        let mut out = HashMap::new();
        for (i, line) in all.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let l: Line = serde_json::from_str(line)
                .map_err(|e| format!("{}:{}: {e}", p.display(), i + 1))?;
            out.insert(l.id, l.text);
        }
        Ok(out)
    }
}

fn check_sha(text: &str, want: &str) -> Result<(), String> {
    let got = hex(&Sha256::digest(text.as_bytes()));
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "the text changed since it was annotated (sha256 {got}, gold {want})"
        ))
    }
}

/// A local text's front matter (`key: value` lines up to a `---` line) turned into spaces, so
/// that offsets into the file stay valid and the metadata, which the gold carries, is not
/// read as article text.
pub fn blank_front_matter(text: &str) -> String {
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        end += line.len();
        let l = line.trim_end();
        if l == "---" {
            return text
                .char_indices()
                .map(|(i, c)| if i < end && c != '\n' { ' ' } else { c })
                .collect();
        }
        if !l.contains(':') {
            break;
        }
    }
    text.to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn front_matter_is_blanked_keeping_offsets() {
        let t = "outlet: AP\npublished: 2025-01-02\n---\nTroops shelled Idlib.\n";
        let b = blank_front_matter(t);
        assert_eq!(b.len(), t.len());
        assert_eq!(&b[37..], &t[37..]);
        assert!(b[..36].trim().is_empty());
        // no front matter: unchanged
        assert_eq!(
            blank_front_matter("Troops: many\nshelled"),
            "Troops: many\nshelled"
        );
    }

    #[test]
    fn bad_lines_and_unknown_ids_are_reported() {
        let e = parse_gold("{\"doc\": 1}", Path::new("g.jsonl")).unwrap_err();
        assert!(e.to_string().starts_with("g.jsonl:1:"), "{e}");
        let mut t = TextSource::new(Path::new("/nonexistent"));
        assert!(
            t.text("web:x", None)
                .unwrap_err()
                .to_string()
                .contains("unknown id form")
        );
        assert!(t.text("re3d:../x:1", None).is_err());
        let mut l = TextSource::new(Path::new("/x")).with_local_root(Path::new("/tmp"));
        assert!(l.text("local:../etc/passwd", None).is_err());
    }

    /// Every committed gold document's text is in ../shared, unchanged, and every span lies
    /// inside it. Skips with a message when ../shared is absent.
    #[test]
    fn committed_gold_matches_the_shared_texts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let shared = root.join("../shared");
        if !shared.join("eval").is_dir() {
            eprintln!("skipped: {} is absent", shared.display());
            return;
        }
        let docs = load_gold(&root.join("eval/articles"), Split::All).unwrap();
        let mut texts = TextSource::new(&shared);
        for d in &docs {
            let text = texts.text(&d.doc, Some(&d.text_sha256)).unwrap();
            for e in &d.events {
                for [s, t] in &e.evidence {
                    assert!(
                        *t <= text.len() && text.is_char_boundary(*s),
                        "{} {}",
                        d.doc,
                        e.id
                    );
                }
            }
            for m in &d.must_not {
                assert!(m.span[1] <= text.len(), "{}", d.doc);
            }
        }
    }
}
