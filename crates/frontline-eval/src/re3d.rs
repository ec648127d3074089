//! re3d `Location` gold: toponym precision and recall where the two annotation schemes agree.
//!
//! re3d (Dstl, 2017) marks every location an analyst would, named or not ("Mosul", "the city",
//! "fighting positions"), and marks demonyms as `Nationality`. Frontline's geoparser finds named
//! places only. The schemes agree on named locations, so:
//! - the gold is the `Location` entities whose text holds a capitalised word other than a
//!   leading article or demonstrative ([`is_named`]);
//! - a found toponym that overlaps such an entity is right;
//! - one that overlaps only an unnamed `Location` or a `Nationality` is left out of the count
//!   (the schemes disagree there);
//! - any other found toponym is a false place; those inside an `Organisation` entity ("Iraq" in
//!   "the Islamic State of Iraq and the Levant", "U.S." in "U.S. forces") are also counted apart,
//!   since a reader may hold them a scheme difference rather than an error;
//! - a named entity is found when some toponym overlaps it.
//!
//! Offsets in re3d count Unicode code points; [`Re3dDocument`] holds byte offsets.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Errors reading the re3d folders.
#[derive(Debug, thiserror::Error)]
pub enum Re3dError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line of a file is not the JSON object expected.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One re3d document with the entity spans the scorer reads, in byte offsets.
#[derive(Debug, Clone)]
pub struct Re3dDocument {
    /// `re3d:<publisher>:<_id>`, the id the real-document gold uses.
    pub id: String,
    /// The publisher folder.
    pub publisher: String,
    /// The text.
    pub text: String,
    /// `Location` entities.
    pub locations: Vec<(usize, usize)>,
    /// `Nationality` entities.
    pub nationalities: Vec<(usize, usize)>,
    /// `Organisation` entities.
    pub organisations: Vec<(usize, usize)>,
    /// Entities whose offsets did not fit the text (skipped).
    pub bad_offsets: usize,
}

#[derive(Deserialize)]
struct DocLine {
    #[serde(rename = "_id")]
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct EntityLine {
    begin: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "documentId")]
    document: String,
}

fn read_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, Re3dError> {
    let all = std::fs::read_to_string(path).map_err(|source| Re3dError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in all.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v = serde_json::from_str(line).map_err(|e| Re3dError::Parse {
            path: path.to_path_buf(),
            line: i + 1,
            message: e.to_string(),
        })?;
        out.push(v);
    }
    Ok(out)
}

/// The byte offset of code point `c` in `text` (`None` past its end).
fn byte_of_char(text: &str, c: usize) -> Option<usize> {
    if c == 0 {
        return Some(0);
    }
    text.char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .nth(c)
}

/// Loads every publisher folder under `root` (`../shared/eval/events/re3d`), sorted by name.
pub fn load(root: &Path) -> Result<Vec<Re3dDocument>, Re3dError> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(root)
        .map_err(|source| Re3dError::Io {
            path: root.to_path_buf(),
            source,
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("documents.json").is_file())
        .collect();
    folders.sort();
    let mut out = Vec::new();
    for dir in folders {
        let publisher = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.extend(load_publisher(&dir, &publisher)?);
    }
    Ok(out)
}

fn load_publisher(dir: &Path, publisher: &str) -> Result<Vec<Re3dDocument>, Re3dError> {
    let docs: Vec<DocLine> = read_lines(&dir.join("documents.json"))?;
    let entities: Vec<EntityLine> = read_lines(&dir.join("entities.json"))?;
    let mut by_doc: HashMap<&str, Vec<&EntityLine>> = HashMap::new();
    for e in &entities {
        by_doc.entry(e.document.as_str()).or_default().push(e);
    }
    let mut out = Vec::new();
    for d in docs {
        let mut doc = Re3dDocument {
            id: format!("re3d:{publisher}:{}", d.id),
            publisher: publisher.to_string(),
            text: String::new(),
            locations: Vec::new(),
            nationalities: Vec::new(),
            organisations: Vec::new(),
            bad_offsets: 0,
        };
        for e in by_doc.get(d.id.as_str()).into_iter().flatten() {
            let list = match e.kind.as_str() {
                "Location" => &mut doc.locations,
                "Nationality" => &mut doc.nationalities,
                "Organisation" => &mut doc.organisations,
                _ => continue,
            };
            match (byte_of_char(&d.text, e.begin), byte_of_char(&d.text, e.end)) {
                (Some(s), Some(t)) if s < t => list.push((s, t)),
                _ => doc.bad_offsets += 1,
            }
        }
        doc.text = d.text;
        out.push(doc);
    }
    Ok(out)
}

/// Whether a `Location` entity's text names a place: it holds a capitalised word that is not a
/// leading article or demonstrative ("Mosul", "eastern Aleppo", "the city of Mosul"; not
/// "the city", "The hospital", "fighting positions").
pub fn is_named(value: &str) -> bool {
    const LEADING: [&str; 6] = ["The", "A", "An", "This", "That", "These"];
    value
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-')
        .filter(|w| !w.is_empty())
        .enumerate()
        .any(|(i, w)| {
            w.chars().next().is_some_and(char::is_uppercase) && !(i == 0 && LEADING.contains(&w))
        })
}

/// Counts over some documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Re3dCounts {
    /// Documents scored.
    pub documents: usize,
    /// Named `Location` entities (the gold).
    pub gold: usize,
    /// Gold entities some toponym overlaps.
    pub found: usize,
    /// Toponyms counted (right + false).
    pub predicted: usize,
    /// Toponyms overlapping a named gold entity.
    pub right: usize,
    /// Toponyms left out: they overlap only an unnamed `Location` or a `Nationality`.
    pub left_out: usize,
    /// False places that lie inside an `Organisation` entity.
    pub in_organisation: usize,
}

impl Re3dCounts {
    /// Precision of the counted toponyms.
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.predicted)
    }
    /// Precision when false places inside an organisation's name are not counted.
    pub fn precision_without_organisations(&self) -> f64 {
        ratio(self.right, self.predicted - self.in_organisation)
    }
    /// Recall of the named gold.
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Adds `o`'s counts.
    pub fn add(&mut self, o: &Re3dCounts) {
        self.documents += o.documents;
        self.gold += o.gold;
        self.found += o.found;
        self.predicted += o.predicted;
        self.right += o.right;
        self.left_out += o.left_out;
        self.in_organisation += o.in_organisation;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// One scoring error, for `--failures`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Re3dFailure {
    /// A toponym that overlaps no gold location or nationality.
    FalsePlace(usize, usize),
    /// A named gold location no toponym overlaps.
    Missed(usize, usize),
}

/// Scores one document's toponym spans (`found`, byte offsets) against its gold; also returns
/// its errors.
pub fn score_document(
    doc: &Re3dDocument,
    found: &[(usize, usize)],
) -> (Re3dCounts, Vec<Re3dFailure>) {
    let named: Vec<(usize, usize)> = doc
        .locations
        .iter()
        .copied()
        .filter(|&(s, t)| doc.text.get(s..t).is_some_and(is_named))
        .collect();
    let mut c = Re3dCounts {
        documents: 1,
        gold: named.len(),
        ..Re3dCounts::default()
    };
    let mut errors = Vec::new();
    for &f in found {
        if named.iter().any(|&g| overlaps(f, g)) {
            c.predicted += 1;
            c.right += 1;
        } else if doc
            .locations
            .iter()
            .chain(&doc.nationalities)
            .any(|&g| overlaps(f, g))
        {
            c.left_out += 1;
        } else {
            c.predicted += 1;
            if doc.organisations.iter().any(|&o| o.0 <= f.0 && f.1 <= o.1) {
                c.in_organisation += 1;
            }
            errors.push(Re3dFailure::FalsePlace(f.0, f.1));
        }
    }
    for &g in &named {
        if found.iter().any(|&f| overlaps(f, g)) {
            c.found += 1;
        } else {
            errors.push(Re3dFailure::Missed(g.0, g.1));
        }
    }
    (c, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str, locs: &[&str], nats: &[&str]) -> Re3dDocument {
        let find = |w: &&str| {
            let s = text.find(*w).expect("word in text");
            (s, s + w.len())
        };
        Re3dDocument {
            id: "re3d:T:1".into(),
            publisher: "T".into(),
            text: text.into(),
            locations: locs.iter().map(find).collect(),
            nationalities: nats.iter().map(find).collect(),
            organisations: vec![find(&"Fooville units")],
            bad_offsets: 0,
        }
    }

    #[test]
    fn named_locations() {
        assert!(is_named("Mosul"));
        assert!(is_named("eastern Aleppo"));
        assert!(is_named("the city of Mosul"));
        assert!(is_named("Palmyra, Syria"));
        assert!(!is_named("the city"));
        assert!(!is_named("The hospital"));
        assert!(!is_named("fighting positions"));
    }

    #[test]
    fn right_false_left_out_and_missed() {
        let d = doc(
            "Kurdish fighters left the camp near Raqqa for Tabqa while Fooville units waited.",
            &["the camp", "Raqqa", "Tabqa"],
            &["Kurdish"],
        );
        let span = |w: &str| {
            let s = d.text.find(w).expect("word");
            (s, s + w.len())
        };
        // Raqqa right, "camp" and "Kurdish" left out, Fooville false, Tabqa missed
        let found = [
            span("Raqqa"),
            span("camp"),
            span("Kurdish"),
            span("Fooville"),
        ];
        let (c, errors) = score_document(&d, &found);
        assert_eq!(
            c,
            Re3dCounts {
                documents: 1,
                gold: 2,
                found: 1,
                predicted: 2,
                right: 1,
                left_out: 2,
                in_organisation: 1
            }
        );
        assert_eq!(
            errors,
            vec![
                Re3dFailure::FalsePlace(span("Fooville").0, span("Fooville").1),
                Re3dFailure::Missed(span("Tabqa").0, span("Tabqa").1)
            ]
        );
        assert!((c.precision() - 0.5).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
        assert!((c.precision_without_organisations() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn code_point_offsets_become_byte_offsets() {
        let t = "Café in Aleppo";
        assert_eq!(byte_of_char(t, 8), Some(9));
        assert_eq!(
            &t[byte_of_char(t, 8).unwrap()..byte_of_char(t, 14).unwrap()],
            "Aleppo"
        );
        assert_eq!(byte_of_char(t, 15), None);
    }

    #[test]
    fn loads_a_publisher_folder() {
        let dir = std::env::temp_dir().join(format!("fl-re3d-{}", std::process::id()));
        let p = dir.join("Pub");
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(
            p.join("documents.json"),
            "{ \"_id\" : \"D1\", \"text\" : \"Shelling hit Homs.\" }\n",
        )
        .unwrap();
        std::fs::write(
            p.join("entities.json"),
            "{ \"begin\" : 13, \"end\" : 17, \"type\" : \"Location\", \"documentId\" : \"D1\" }\n\
             { \"begin\" : 13, \"end\" : 99, \"type\" : \"Location\", \"documentId\" : \"D1\" }\n",
        )
        .unwrap();
        let docs = load(&dir).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "re3d:Pub:D1");
        assert_eq!(docs[0].locations, vec![(13, 17)]);
        assert_eq!(docs[0].bad_offsets, 1);
    }

    #[test]
    fn a_bad_line_names_its_file_and_line() {
        let dir = std::env::temp_dir().join(format!("fl-re3d-bad-{}", std::process::id()));
        let p = dir.join("Pub");
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(p.join("documents.json"), "\n{ not json\n").unwrap();
        std::fs::write(p.join("entities.json"), "").unwrap();
        let err = load(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).ok();
        assert!(err.contains("documents.json:2:"), "{err}");
    }
}
