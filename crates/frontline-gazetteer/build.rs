//! Turns the embedded gazetteer (`assets/default.flgz`, zlib-compressed place records) into the
//! index-file form that the library reads in place, so that start-up does no parsing,
//! normalising or sorting. The library's own parsing and indexing code is compiled into this
//! script, so the embedded index is exactly what `Gazetteer::from_flgz_with` would build at run
//! time from the asset and `assets/supplement.tsv`.
#![allow(dead_code, missing_docs, unreachable_pub)]

#[path = "src/countries.rs"]
mod countries;
#[path = "src/error.rs"]
mod error;
#[path = "src/gazetteer.rs"]
mod gazetteer;
#[path = "src/normalize.rs"]
mod normalize;

pub use error::GazetteerError;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for f in [
        "assets/default.flgz",
        "assets/countries.tsv",
        "assets/supplement.tsv",
        "src/countries.rs",
        "src/error.rs",
        "src/gazetteer.rs",
        "src/normalize.rs",
    ] {
        println!("cargo::rerun-if-changed={f}");
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("default.idx");
    let bytes = std::fs::read("assets/default.flgz")?;
    let supplement = std::fs::read_to_string("assets/supplement.tsv")?;
    let gazetteer = gazetteer::Gazetteer::from_flgz_with(&bytes, &supplement, "embedded")?;
    gazetteer.save(&out)?;
    Ok(())
}
