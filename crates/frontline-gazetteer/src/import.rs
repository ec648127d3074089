//! Building a full gazetteer from a GeoNames dump directory.
//!
//! Reads the geoname table (`allCountries.txt`/`.zip`, or failing that `cities500`,
//! `cities1000`, `cities5000`, `cities15000`, or per-country files), then
//! `alternateNamesV2.txt`/`.zip` (names in Latin or Arabic script that are neither historic
//! nor links, postcodes or codes), `admin1CodesASCII.txt` and `admin2Codes.txt` for unit names.
//! Country names and newsroom forms from [`crate::countries`] are added on top.

use std::path::{Path, PathBuf};

use crate::geonames::{self, LoadStats};
use crate::{Gazetteer, GazetteerBuilder, GazetteerError, NewPlace};

/// What an import read.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Files read, in order.
    pub files: Vec<PathBuf>,
    /// Places loaded.
    pub places: u64,
    /// Alternate names indexed.
    pub alternate_names: u64,
    /// Malformed rows skipped, over all files.
    pub bad_rows: u64,
    /// The first malformed rows, as "file:line: problem".
    pub first_errors: Vec<String>,
}

impl ImportReport {
    fn add(&mut self, path: &Path, s: LoadStats) {
        self.files.push(path.to_path_buf());
        self.bad_rows += s.bad_rows;
        for e in s.first_errors {
            if self.first_errors.len() < 20 {
                self.first_errors.push(e);
            }
        }
    }
}

/// Whether a name is in a script Frontline reads (Latin or Arabic).
pub fn wanted_script(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| {
            let o = c as u32;
            o < 0x250
                || (0x1E00..=0x1EFF).contains(&o)
                || (0x600..=0x6FF).contains(&o)
                || (0x2000..=0x206F).contains(&o)
        })
}

fn first_existing(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names.iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

fn per_country_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let ext = p.extension().and_then(|s| s.to_str()).unwrap_or("");
            stem.len() == 2
                && stem.chars().all(|c| c.is_ascii_uppercase())
                && (ext == "txt" || ext == "zip")
        })
        .collect();
    v.sort();
    v
}

/// A stage of an import, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the geoname table.
    Places,
    /// Reading alternate names.
    AlternateNames,
    /// Reading admin code names.
    AdminNames,
    /// Sorting the index.
    Indexing,
}

/// Imports a GeoNames dump directory. `progress(stage, path, bytes_done, bytes_total)` is
/// called as files are read.
pub fn import_geonames(
    dir: &Path,
    mut progress: impl FnMut(Stage, &Path, u64, u64),
) -> Result<(Gazetteer, ImportReport), GazetteerError> {
    let mut tables: Vec<PathBuf> = first_existing(
        dir,
        &[
            "allCountries.txt",
            "allCountries.zip",
            "cities500.txt",
            "cities500.zip",
            "cities1000.txt",
            "cities1000.zip",
            "cities5000.txt",
            "cities5000.zip",
            "cities15000.txt",
            "cities15000.zip",
        ],
    )
    .into_iter()
    .collect();
    if tables.is_empty() {
        tables = per_country_files(dir);
    }
    if tables.is_empty() {
        return Err(GazetteerError::Missing {
            dir: dir.to_path_buf(),
            wanted: "allCountries.txt/.zip, citiesN.txt/.zip or per-country files (IQ.txt)".into(),
        });
    }
    let alt = first_existing(
        dir,
        &[
            "alternateNamesV2.txt",
            "alternateNamesV2.zip",
            "alternateNames.txt",
            "alternateNames.zip",
        ],
    );
    let mut report = ImportReport::default();
    let mut b = GazetteerBuilder::new();
    let use_column = alt.is_none();
    for t in &tables {
        let total = std::fs::metadata(t).map_or(0, |m| m.len());
        let mut names = 0u64;
        let stats = geonames::load_rows(
            t,
            geonames::parse_geoname_row,
            |r| {
                let idx = b.add_place(&NewPlace {
                    geonameid: r.geonameid,
                    name: &r.name,
                    lat: r.lat,
                    lon: r.lon,
                    feature_class: &r.feature_class,
                    feature_code: &r.feature_code,
                    country: &r.country_code,
                    admin1: &r.admin1,
                    admin2: &r.admin2,
                    population: r.population,
                });
                if r.asciiname != r.name && !r.asciiname.is_empty() {
                    b.add_name(idx, &r.asciiname);
                }
                if use_column {
                    for n in r.alternatenames.iter().filter(|n| wanted_script(n)) {
                        b.add_name(idx, n);
                        names += 1;
                    }
                }
            },
            |done| progress(Stage::Places, t, done, total),
        )?;
        report.places += stats.rows;
        report.alternate_names += names;
        report.add(t, stats);
    }
    if let Some(a) = alt {
        let total = std::fs::metadata(&a).map_or(0, |m| m.len());
        let mut names = 0u64;
        let stats = geonames::load_rows(
            &a,
            geonames::parse_alternate_name_row,
            |r| {
                if r.is_historic || !r.is_place_name() || !wanted_script(&r.name) {
                    return;
                }
                if let Some(idx) = b.position(r.geonameid) {
                    b.add_name(idx, &r.name);
                    names += 1;
                }
            },
            |done| progress(Stage::AlternateNames, &a, done, total),
        )?;
        report.alternate_names += names;
        report.add(&a, stats);
    }
    for f in ["admin1CodesASCII.txt", "admin2Codes.txt"] {
        let p = dir.join(f);
        if !p.is_file() {
            continue;
        }
        let total = std::fs::metadata(&p).map_or(0, |m| m.len());
        let stats = geonames::load_rows(
            &p,
            geonames::parse_admin_code_row,
            |r| b.set_admin_name(&r.code, &r.name),
            |done| progress(Stage::AdminNames, &p, done, total),
        )?;
        report.add(&p, stats);
    }
    progress(Stage::Indexing, dir, 0, 0);
    b.add_countries();
    Ok((b.build(&dir.display().to_string()), report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, body: &str) {
        std::fs::write(dir.join(name), body).unwrap();
    }

    const GEONAMES: &str = "\
99434\tAl Walid\tAl Walid\tal-Waleed\t33.38\t38.92\tS\tBDCP\tIQ\t\t01\t\t\t\t0\t\t300\tAsia/Baghdad\t2020-01-01
98182\tBaghdad\tBaghdad\tBagdad,بغداد\t33.34058\t44.40088\tP\tPPLC\tIQ\t\t07\t\t\t\t7216000\t\t41\tAsia/Baghdad\t2020-01-01
this line is broken
170794\tDayr az Zawr\tDayr az Zawr\t\t35.33588\t40.14084\tP\tPPLA\tSY\t\t07\t\t\t\t242565\t\t209\tAsia/Damascus\t2020-06-10
1\tBad lat\tBad lat\t\tnorth\t40.0\tP\tPPL\tSY\t\t07\t\t\t\t0\t\t209\tAsia/Damascus\t2020-06-10
";

    #[test]
    fn imports_a_small_dump_and_counts_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "allCountries.txt", GEONAMES);
        write(
            dir.path(),
            "alternateNamesV2.txt",
            "1\t170794\ten\tDeir ez-Zor\t1\t\t\t\t\t\n2\t170794\tlink\thttps://en.wikipedia.org/x\t\t\t\t\t\t\n3\t170794\t\tOld Name\t\t\t\t1\t\t\n4\t999\ten\tNowhere\t\t\t\t\t\t\nbad\n",
        );
        write(
            dir.path(),
            "admin1CodesASCII.txt",
            "IQ.07\tBaghdad\tBaghdad\t98181\nSY.07\tDeir ez-Zor\tDeir ez-Zor\t170792\n",
        );
        let (g, rep) = import_geonames(dir.path(), |_, _, _, _| {}).unwrap();
        assert_eq!(rep.places, 3);
        assert_eq!(rep.bad_rows, 3, "{:?}", rep.first_errors);
        assert!(
            rep.first_errors[0].contains("allCountries.txt:3"),
            "{:?}",
            rep.first_errors
        );
        assert_eq!(rep.alternate_names, 1);
        let hits = g.lookup("Deir ez-Zor");
        let p = g.place(hits[0].idx).unwrap();
        assert_eq!(p.geonameid, Some(170794));
        assert!(hits[0].exact);
        assert!(g.lookup("Old Name").is_empty());
        assert_eq!(g.admin_name("SY.07"), Some("Deir ez-Zor"));
        // Without the alternate names file the geoname column's names are used.
        let waleed = g.lookup("al-Waleed");
        assert!(waleed.is_empty() || g.place(waleed[0].idx).unwrap().geonameid == Some(99434));
    }

    #[test]
    fn reads_a_zipped_table() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let f = std::fs::File::create(dir.path().join("allCountries.zip")).unwrap();
        let mut z = zip::ZipWriter::new(f);
        z.start_file("allCountries.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(GEONAMES.as_bytes()).unwrap();
        z.finish().unwrap();
        let (g, rep) = import_geonames(dir.path(), |_, _, _, _| {}).unwrap();
        assert_eq!(rep.places, 3);
        let hits = g.lookup("al-Waleed");
        assert_eq!(g.place(hits[0].idx).unwrap().geonameid, Some(99434));
        assert_eq!(g.place(g.lookup("Bagdad")[0].idx).unwrap().name, "Baghdad");
    }

    #[test]
    fn missing_table_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = import_geonames(dir.path(), |_, _, _, _| {})
            .unwrap_err()
            .to_string();
        assert!(e.contains("allCountries"), "{e}");
    }
}
