#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
//! Copy detection measured on fixture clusters: the same wire story reworded or syndicated by
//! several outlets (`<story>_a.txt`, `<story>_b.txt`, ...) beside different stories on the same
//! topic (`<story>_other.txt`). Pairwise precision and recall of "same story" are printed
//! (`cargo test -p frontline-store --test copies_eval -- --nocapture`) and must stay high.

use std::path::Path;

use frontline_store::testutil::extraction;
use frontline_store::{Store, copies};

fn fixtures() -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/copies");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let (story, version) = name.split_once('_').unwrap();
        // Distractors are their own story.
        let gold = if version == "other" {
            name.clone()
        } else {
            story.to_string()
        };
        out.push((name, gold, std::fs::read_to_string(&path).unwrap()));
    }
    out.sort();
    out
}

#[test]
fn copy_detection_precision_and_recall() {
    let docs = fixtures();
    let store = Store::open_in_memory().unwrap();
    let mut stories = Vec::new();
    for (name, _, text) in &docs {
        let ex = extraction(text, Some(name), Some("2019-03-01"), &[]);
        store.put_extraction(&ex).unwrap();
        stories.push(store.document(&ex.document.id).unwrap().unwrap().story_id);
    }
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    for i in 0..docs.len() {
        for j in (i + 1)..docs.len() {
            let gold = docs[i].1 == docs[j].1;
            let pred = stories[i] == stories[j];
            let jac = copies::jaccard(&docs[i].2, &docs[j].2);
            if gold || pred || jac > 0.1 {
                println!(
                    "{:>18} {:>18} gold={gold:<5} pred={pred:<5} jaccard={jac:.3}",
                    docs[i].0, docs[j].0
                );
            }
            match (gold, pred) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fneg += 1,
                _ => {}
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    println!(
        "copy pairs: tp={tp} fp={fp} fn={fneg} precision={precision:.3} recall={recall:.3} \
         ({} documents)",
        docs.len()
    );
    assert!(tp + fneg >= 10, "fixture clusters missing");
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(recall >= 0.8, "recall {recall:.3}");
}
