//! End-to-end tests of `frontline eval re3d`: refusals, clear errors, and a run over the shared
//! re3d folder when it is present.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn frontline() -> Command {
    let mut cmd = Command::cargo_bin("frontline").unwrap();
    cmd.env_remove("FRONTLINE_GAZETTEER").env_remove("RUST_LOG");
    cmd
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn re3d_failures_are_refused_for_the_held_out_half() {
    frontline()
        .args(["eval", "re3d", "--split", "test", "--failures", "5"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--split dev"));
}

#[test]
fn re3d_missing_folder_is_a_clear_error() {
    frontline()
        .args([
            "eval",
            "re3d",
            "--split",
            "all",
            "--re3d",
            "no/such/re3d",
            "--gold",
        ])
        .arg(repo().join("eval/articles"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("no/such/re3d"));
}

#[test]
fn re3d_scores_every_publisher_when_the_shared_folder_is_present() {
    let re3d = repo().join("../shared/eval/events/re3d");
    if !re3d.is_dir() {
        eprintln!("skipping: re3d not found at {}", re3d.display());
        return;
    }
    let out = frontline()
        .args(["eval", "re3d", "--split", "all", "--re3d"])
        .arg(&re3d)
        .arg("--gold")
        .arg(repo().join("eval/articles"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let all = text
        .lines()
        .find(|l| l.starts_with("| all "))
        .expect("a total row");
    let cells: Vec<&str> = all.split('|').map(str::trim).collect();
    assert_eq!(cells[2], "88", "{all}");
    let recall: f64 = cells[7].parse().unwrap();
    assert!(recall > 0.5, "{all}");
}
