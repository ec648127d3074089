//! Streaming readers for the GeoNames dump formats.
//!
//! - the 19-column `geoname` table (`allCountries.txt`, per-country files such as `IQ.txt`,
//!   `cities500.txt`), plain or zipped;
//! - `alternateNamesV2.txt` (10 columns: id, geonameid, isolanguage, name, isPreferredName,
//!   isShortName, isColloquial, isHistoric, from, to), plain or zipped;
//! - `admin1CodesASCII.txt` and `admin2Codes.txt` (code, name, ascii name, geonameid);
//! - `countryInfo.txt` (19 columns, `#` comment lines).
//!
//! Rows are parsed one at a time and handed to a callback, so memory does not grow with the
//! file. A malformed row is counted and skipped; the first few are reported with file and line.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::GazetteerError;

/// Why one row could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    /// The row has the wrong number of tab-separated columns.
    #[error("expected {expected} tab-separated columns, found {found}")]
    Columns {
        /// Columns the format has.
        expected: usize,
        /// Columns found.
        found: usize,
    },
    /// A column does not hold what the format says.
    #[error("column {column} ({name}): {problem}: {value:?}")]
    Field {
        /// 1-based column number.
        column: usize,
        /// Column name in the GeoNames readme.
        name: &'static str,
        /// What is wrong.
        problem: &'static str,
        /// The offending value (cut to 40 characters).
        value: String,
    },
}

fn field_err(column: usize, name: &'static str, problem: &'static str, value: &str) -> RowError {
    RowError::Field {
        column,
        name,
        problem,
        value: value.chars().take(40).collect(),
    }
}

/// One row of the `geoname` table.
#[derive(Debug, Clone, PartialEq)]
pub struct GeonameRow {
    /// GeoNames id.
    pub geonameid: u64,
    /// Name (UTF-8).
    pub name: String,
    /// Name in plain ASCII.
    pub asciiname: String,
    /// Alternate names from the comma-separated column (may be empty).
    pub alternatenames: Vec<String>,
    /// Latitude, WGS84.
    pub lat: f64,
    /// Longitude, WGS84.
    pub lon: f64,
    /// Feature class (`P`, `A`, `H`, `T`, `L`, `S`, `R`, `U`, `V`), or empty.
    pub feature_class: String,
    /// Feature code (`PPL`, `ADM1`, `PCLI`...), or empty.
    pub feature_code: String,
    /// ISO alpha-2 country code, or empty.
    pub country_code: String,
    /// First-level administrative code.
    pub admin1: String,
    /// Second-level administrative code.
    pub admin2: String,
    /// Population (0 when unknown).
    pub population: u64,
}

fn parse_f64(
    v: &str,
    column: usize,
    name: &'static str,
    lo: f64,
    hi: f64,
) -> Result<f64, RowError> {
    let x: f64 = v
        .trim()
        .parse()
        .map_err(|_| field_err(column, name, "not a number", v))?;
    if !(lo..=hi).contains(&x) {
        return Err(field_err(column, name, "out of range", v));
    }
    Ok(x)
}

fn parse_u64(v: &str, column: usize, name: &'static str) -> Result<u64, RowError> {
    let v2 = v.trim();
    if v2.is_empty() {
        return Ok(0);
    }
    v2.parse()
        .map_err(|_| field_err(column, name, "not a whole number", v))
}

/// Parses one row of the 19-column `geoname` table.
pub fn parse_geoname_row(line: &str) -> Result<GeonameRow, RowError> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let c: Vec<&str> = line.split('\t').collect();
    if c.len() != 19 {
        return Err(RowError::Columns {
            expected: 19,
            found: c.len(),
        });
    }
    let geonameid = parse_u64(c[0], 1, "geonameid")?;
    if geonameid == 0 {
        return Err(field_err(1, "geonameid", "missing", c[0]));
    }
    if c[1].trim().is_empty() {
        return Err(field_err(2, "name", "empty", c[1]));
    }
    Ok(GeonameRow {
        geonameid,
        name: c[1].to_string(),
        asciiname: c[2].to_string(),
        alternatenames: c[3]
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        lat: parse_f64(c[4], 5, "latitude", -90.0, 90.0)?,
        lon: parse_f64(c[5], 6, "longitude", -180.0, 180.0)?,
        feature_class: c[6].to_string(),
        feature_code: c[7].to_string(),
        country_code: c[8].to_string(),
        admin1: c[10].to_string(),
        admin2: c[11].to_string(),
        population: parse_u64(c[14], 15, "population")?,
    })
}

/// One row of `alternateNamesV2.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlternateNameRow {
    /// Id of the alternate name.
    pub alternate_name_id: u64,
    /// GeoNames id of the place it names.
    pub geonameid: u64,
    /// ISO 639 language code, or a pseudo code (`abbr`, `link`, `post`, `iata`, `wkdt`...).
    pub isolanguage: String,
    /// The name.
    pub name: String,
    /// Official/preferred name for the language.
    pub is_preferred: bool,
    /// Short name ("California" for "State of California").
    pub is_short: bool,
    /// Colloquial or slang name ("Big Apple").
    pub is_colloquial: bool,
    /// Historic name no longer used.
    pub is_historic: bool,
}

impl AlternateNameRow {
    /// Whether this row is a name (not a link, postcode or airport/station code) worth indexing.
    pub fn is_place_name(&self) -> bool {
        !matches!(
            self.isolanguage.as_str(),
            "link"
                | "wkdt"
                | "post"
                | "iata"
                | "icao"
                | "faac"
                | "tcid"
                | "unlc"
                | "fr_1793"
                | "phon"
                | "piny"
                | "uicn"
        ) && !self.name.starts_with("http")
    }
}

fn flag(v: &str, column: usize, name: &'static str) -> Result<bool, RowError> {
    match v.trim() {
        "" | "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(field_err(column, name, "not 0, 1 or empty", v)),
    }
}

/// Parses one row of `alternateNamesV2.txt` (also accepts the older 8-column layout).
pub fn parse_alternate_name_row(line: &str) -> Result<AlternateNameRow, RowError> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let c: Vec<&str> = line.split('\t').collect();
    if c.len() != 10 && c.len() != 8 {
        return Err(RowError::Columns {
            expected: 10,
            found: c.len(),
        });
    }
    let geonameid = parse_u64(c[1], 2, "geonameid")?;
    if geonameid == 0 {
        return Err(field_err(2, "geonameid", "missing", c[1]));
    }
    Ok(AlternateNameRow {
        alternate_name_id: parse_u64(c[0], 1, "alternateNameId")?,
        geonameid,
        isolanguage: c[2].to_string(),
        name: c[3].to_string(),
        is_preferred: flag(c[4], 5, "isPreferredName")?,
        is_short: flag(c[5], 6, "isShortName")?,
        is_colloquial: flag(c[6], 7, "isColloquial")?,
        is_historic: flag(c[7], 8, "isHistoric")?,
    })
}

/// One row of `admin1CodesASCII.txt` or `admin2Codes.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminCodeRow {
    /// `CC.A1` (admin1) or `CC.A1.A2` (admin2).
    pub code: String,
    /// Name (UTF-8).
    pub name: String,
    /// Name in ASCII.
    pub asciiname: String,
    /// GeoNames id of the unit.
    pub geonameid: u64,
}

/// Parses one row of `admin1CodesASCII.txt` / `admin2Codes.txt`.
pub fn parse_admin_code_row(line: &str) -> Result<AdminCodeRow, RowError> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let c: Vec<&str> = line.split('\t').collect();
    if c.len() != 4 {
        return Err(RowError::Columns {
            expected: 4,
            found: c.len(),
        });
    }
    if !c[0].contains('.') {
        return Err(field_err(1, "code", "not CC.CODE", c[0]));
    }
    Ok(AdminCodeRow {
        code: c[0].to_string(),
        name: c[1].to_string(),
        asciiname: c[2].to_string(),
        geonameid: parse_u64(c[3], 4, "geonameid")?,
    })
}

/// One row of `countryInfo.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryInfoRow {
    /// ISO alpha-2.
    pub iso2: String,
    /// ISO alpha-3.
    pub iso3: String,
    /// Country name.
    pub name: String,
    /// Capital.
    pub capital: String,
    /// Population.
    pub population: u64,
    /// Continent code.
    pub continent: String,
    /// GeoNames id.
    pub geonameid: u64,
    /// Neighbour alpha-2 codes.
    pub neighbours: Vec<String>,
}

/// Parses one data row of `countryInfo.txt` (callers skip `#` lines).
pub fn parse_country_info_row(line: &str) -> Result<CountryInfoRow, RowError> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let c: Vec<&str> = line.split('\t').collect();
    if c.len() < 17 {
        return Err(RowError::Columns {
            expected: 19,
            found: c.len(),
        });
    }
    if c[0].len() != 2 {
        return Err(field_err(1, "ISO", "not a two-letter code", c[0]));
    }
    Ok(CountryInfoRow {
        iso2: c[0].to_string(),
        iso3: c[1].to_string(),
        name: c[4].to_string(),
        capital: c[5].to_string(),
        population: parse_u64(c[7], 8, "Population")?,
        continent: c[8].to_string(),
        geonameid: parse_u64(c[16], 17, "geonameid")?,
        neighbours: c
            .get(17)
            .map(|s| {
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Counts from one streamed file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Rows parsed and handed on.
    pub rows: u64,
    /// Malformed rows skipped.
    pub bad_rows: u64,
    /// The first malformed rows, as "file:line: problem".
    pub first_errors: Vec<String>,
}

const MAX_REPORTED: usize = 10;

/// Streams the lines of a plain or zipped text file. For a `.zip`, the first entry ending in
/// `.txt` is read. `progress` gets the number of compressed/plain bytes read so far.
pub fn for_each_line(
    path: &Path,
    mut f: impl FnMut(u64, &str),
    mut progress: impl FnMut(u64),
) -> Result<(), GazetteerError> {
    let io = |e: std::io::Error| GazetteerError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let file = File::open(path).map_err(io)?;
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        let mut archive = zip::ZipArchive::new(file).map_err(|e| GazetteerError::Format {
            path: path.to_path_buf(),
            problem: format!("not a readable zip archive: {e}"),
        })?;
        let idx = (0..archive.len())
            .find(|&i| {
                archive.name_for_index(i).is_some_and(|n| {
                    n.is_ok_and(|n| {
                        n.to_ascii_lowercase().ends_with(".txt") && !n.contains("readme")
                    })
                })
            })
            .ok_or_else(|| GazetteerError::Format {
                path: path.to_path_buf(),
                problem: "the zip archive holds no .txt file".into(),
            })?;
        let entry = archive.by_index(idx).map_err(|e| GazetteerError::Format {
            path: path.to_path_buf(),
            problem: format!("cannot read zip entry: {e}"),
        })?;
        stream(
            BufReader::with_capacity(1 << 20, entry),
            path,
            &mut f,
            &mut progress,
        )
    } else {
        stream(
            BufReader::with_capacity(1 << 20, file),
            path,
            &mut f,
            &mut progress,
        )
    }
}

fn stream<R: Read>(
    mut r: BufReader<R>,
    path: &Path,
    f: &mut impl FnMut(u64, &str),
    progress: &mut impl FnMut(u64),
) -> Result<(), GazetteerError> {
    let mut buf = Vec::with_capacity(4096);
    let mut lineno = 0u64;
    let mut bytes = 0u64;
    loop {
        buf.clear();
        let n = r
            .read_until(b'\n', &mut buf)
            .map_err(|e| GazetteerError::Io {
                path: path.to_path_buf(),
                source: e,
            })?;
        if n == 0 {
            break;
        }
        lineno += 1;
        bytes += n as u64;
        if lineno % 65536 == 0 {
            progress(bytes);
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        let line = String::from_utf8_lossy(&buf);
        f(lineno, &line);
    }
    progress(bytes);
    Ok(())
}

/// Streams a file of rows through `parse`, handing good rows to `f` and counting bad ones.
/// Lines starting with `#` and empty lines are skipped.
pub fn load_rows<T>(
    path: &Path,
    parse: impl Fn(&str) -> Result<T, RowError>,
    mut f: impl FnMut(T),
    progress: impl FnMut(u64),
) -> Result<LoadStats, GazetteerError> {
    let mut stats = LoadStats::default();
    let name = path.display().to_string();
    for_each_line(
        path,
        |lineno, line| {
            if line.is_empty() || line.starts_with('#') {
                return;
            }
            match parse(line) {
                Ok(row) => {
                    stats.rows += 1;
                    f(row);
                }
                Err(e) => {
                    stats.bad_rows += 1;
                    if stats.first_errors.len() < MAX_REPORTED {
                        let msg = format!("{name}:{lineno}: {e}");
                        tracing::warn!("skipped malformed row: {msg}");
                        stats.first_errors.push(msg);
                    }
                }
            }
        },
        progress,
    )?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ROW: &str = "170794\tDayr az Zawr\tDayr az Zawr\tDeir ez-Zor,Deir el-Zour,دير الزور\t35.33588\t40.14084\tP\tPPLA\tSY\t\t07\t\t\t\t242565\t\t209\tAsia/Damascus\t2020-06-10";

    #[test]
    fn parses_a_geoname_row() {
        let r = parse_geoname_row(ROW).unwrap();
        assert_eq!(r.geonameid, 170794);
        assert_eq!(r.name, "Dayr az Zawr");
        assert_eq!(r.alternatenames.len(), 3);
        assert_eq!(r.feature_code, "PPLA");
        assert_eq!(r.admin1, "07");
        assert_eq!(r.population, 242565);
        assert!((r.lat - 35.33588).abs() < 1e-9);
    }

    #[test]
    fn reports_bad_rows() {
        assert_eq!(
            parse_geoname_row("1\tx"),
            Err(RowError::Columns {
                expected: 19,
                found: 2
            })
        );
        let bad = ROW.replace("35.33588", "north");
        let e = parse_geoname_row(&bad).unwrap_err();
        assert!(e.to_string().contains("latitude"), "{e}");
        let bad = ROW.replace("35.33588", "135.3");
        assert!(parse_geoname_row(&bad).is_err());
    }

    #[test]
    fn parses_alternate_names() {
        let r = parse_alternate_name_row("1\t170794\tar\tدير الزور\t1\t\t\t\t\t").unwrap();
        assert!(r.is_preferred && !r.is_historic && r.is_place_name());
        let r = parse_alternate_name_row("2\t170794\tlink\thttps://x\t\t\t\t\t\t").unwrap();
        assert!(!r.is_place_name());
        assert!(parse_alternate_name_row("2\t170794\ten\tX\t2\t\t\t\t\t").is_err());
    }

    #[test]
    fn parses_admin_and_country_rows() {
        let r = parse_admin_code_row("SY.07\tDeir ez-Zor\tDeir ez-Zor\t170792").unwrap();
        assert_eq!(r.code, "SY.07");
        assert!(parse_admin_code_row("SY07\tx\tx\t1").is_err());
        let ci = "SY\tSYR\t760\tSY\tSyria\tDamascus\t185180\t22933531\tAS\t.sy\tSYP\tPound\t963\t\t\tar-SY,ku,hy,arc,fr,en\t163843\tIQ,JO,IL,TR,LB\t";
        let c = parse_country_info_row(ci).unwrap();
        assert_eq!(c.geonameid, 163843);
        assert_eq!(c.neighbours.len(), 5);
    }

    proptest! {
        #[test]
        fn geoname_parser_never_panics(s in "\\PC{0,300}") {
            let _ = parse_geoname_row(&s);
            let _ = parse_alternate_name_row(&s);
            let _ = parse_admin_code_row(&s);
            let _ = parse_country_info_row(&s);
        }

        #[test]
        fn geoname_parser_accepts_any_valid_row(
            id in 1u64..20_000_000,
            name in "[A-Za-z ]{1,30}",
            lat in -90.0f64..90.0,
            lon in -180.0f64..180.0,
            pop in 0u64..40_000_000,
        ) {
            prop_assume!(!name.trim().is_empty());
            let line = format!("{id}\t{name}\t{name}\t\t{lat}\t{lon}\tP\tPPL\tIQ\t\t01\t\t\t\t{pop}\t\t10\tAsia/Baghdad\t2020-01-01");
            let r = parse_geoname_row(&line).unwrap();
            prop_assert_eq!(r.geonameid, id);
            prop_assert_eq!(r.population, pop);
            prop_assert!((r.lat - lat).abs() < 1e-9);
        }

        #[test]
        fn column_count_errors_name_the_count(cols in 1usize..30) {
            prop_assume!(cols != 19);
            let line = vec!["1"; cols].join("\t");
            prop_assert_eq!(parse_geoname_row(&line), Err(RowError::Columns { expected: 19, found: cols }));
        }
    }
}
