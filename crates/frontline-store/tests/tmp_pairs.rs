#![allow(clippy::unwrap_used, missing_docs)]
use frontline_store::copies;
#[test]
fn pairs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontline-server/samples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let body = |p: &std::path::Path| {
        let s = std::fs::read_to_string(p).unwrap();
        s.split_once("\n---\n").unwrap().1.to_string()
    };
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().to_string(),
                body(p),
            )
        })
        .collect();
    for i in 0..texts.len() {
        for j in i + 1..texts.len() {
            let (a, b) = (&texts[i], &texts[j]);
            let same = a.0.split('-').nth(1) == b.0.split('-').nth(1);
            if !same {
                continue;
            }
            let jac = copies::jaccard(&a.1, &b.1);
            let lead = copies::Lead::of(&a.1).similarity(&copies::Lead::of(&b.1));
            let est = copies::signature(&a.1).similarity(&copies::signature(&b.1));
            println!(
                "{:<24} {:<24} jac={jac:.3} est={est:.3} lead={lead:.3}",
                a.0, b.0
            );
        }
    }
}
