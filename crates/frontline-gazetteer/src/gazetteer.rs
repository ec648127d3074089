//! The in-memory gazetteer: places in compact records and a name index over normalised keys.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::normalize::{self, hash_key};
use crate::{GazetteerError, countries};

const IDX_MAGIC: &[u8; 8] = b"FLGAZ01\n";

/// A place record, as stored in [`REC_LEN`] bytes of an index file.
#[derive(Debug, Clone, Copy)]
struct Rec {
    id: u32,
    lat: f32,
    lon: f32,
    pop: u32,
    name_off: u32,
    name_len: u16,
    fclass: u8,
    fcode: [u8; 5],
    cc: [u8; 2],
    admin1: u32,
    admin2: u32,
}

const NO_ADMIN: u32 = u32::MAX;

/// One place of the gazetteer, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place<'a> {
    /// Position in the gazetteer (stable for the life of the gazetteer).
    pub idx: u32,
    /// GeoNames id; `None` for places from other sources.
    pub geonameid: Option<u64>,
    /// Name.
    pub name: &'a str,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Feature class (`P`, `A`, `H`, `T`, `L`, `S`...), `' '` when unknown.
    pub feature_class: char,
    /// Feature code (`PPL`, `ADM1`, `PCLI`...), empty when unknown.
    pub feature_code: &'a str,
    /// ISO alpha-2 country code, empty when none.
    pub country: &'a str,
    /// First-level administrative code (`CC.A1`), when known.
    pub admin1_code: Option<&'a str>,
    /// Second-level administrative code (`CC.A1.A2`), when known.
    pub admin2_code: Option<&'a str>,
    /// Name of the first-level unit, when known.
    pub admin1_name: Option<&'a str>,
    /// Population (0 when unknown).
    pub population: u64,
}

/// A place to add to a [`GazetteerBuilder`].
#[derive(Debug, Clone, Default)]
pub struct NewPlace<'a> {
    /// GeoNames id (0 for none).
    pub geonameid: u64,
    /// Name.
    pub name: &'a str,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Feature class.
    pub feature_class: &'a str,
    /// Feature code.
    pub feature_code: &'a str,
    /// Country code.
    pub country: &'a str,
    /// Admin1 code (without the country).
    pub admin1: &'a str,
    /// Admin2 code (without country and admin1).
    pub admin2: &'a str,
    /// Population.
    pub population: u64,
}

/// A name-index hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Place position.
    pub idx: u32,
    /// Whether the exact key matched (otherwise only the loose key did).
    pub exact: bool,
}

/// The bytes of an index file: borrowed from the binary (the embedded default, built at compile
/// time by `build.rs`) or owned (read from disk, or built in memory).
#[derive(Debug)]
enum Blob {
    Static(&'static [u8]),
    Owned(Vec<u8>),
}

impl Blob {
    fn bytes(&self) -> &[u8] {
        match self {
            Blob::Static(b) => b,
            Blob::Owned(v) => v,
        }
    }
}

/// The name arena of a [`Gazetteer`].
#[derive(Debug)]
enum Names {
    Static(&'static str),
    Owned(String),
}

impl Names {
    fn as_str(&self) -> &str {
        match self {
            Names::Static(s) => s,
            Names::Owned(s) => s,
        }
    }
}

/// Grid cells (degrees) around a unit's centre searched for populated places
/// (`GZ10-unit-centre-abroad`).
const STRAY_CELLS: i32 = 3;

/// Letters a unit's name and its seat's must begin with alike for the unit to be the seat's
/// (`GZ20-unit-code-by-nearest-free`): "Odeska oblast" and Odesa, "Zaporizka" and Zaporizhzhia.
const SEAT_PREFIX: usize = 4;

/// Letters at most the shorter of a unit's and its seat's names may go on after their common
/// beginning (`GZ20`): "Santiago Rodríguez" is not "Santiago de los Caballeros"'s unit.
const SEAT_TAIL: usize = 3;

/// Farthest a unit's centre may lie from the places of a code no unit holds for the unit to
/// take that code by distance alone (`GZ20`).
const FREE_CODE_KM: f64 = 150.0;

/// Whether a unit's bare name key is its seat's name (`GZ20`): they begin alike over
/// [`SEAT_PREFIX`] letters, and the shorter goes on for at most [`SEAT_TAIL`] more.
fn seat_like(unit: &str, seat: &str) -> bool {
    let n = common_prefix(unit, seat);
    let shorter = unit.chars().count().min(seat.chars().count());
    n >= SEAT_PREFIX && n + SEAT_TAIL >= shorter
}

/// Unit words the embedded sources write after a first-level unit's name.
const UNIT_SUFFIXES: &[&str] = &[
    "governorate",
    "province",
    "region",
    "district",
    "state",
    "oblast",
    "department",
    "prefecture",
    "county",
    "municipality",
    "division",
];

/// The places of one admin1 code (`GZ20-unit-code-by-nearest-free`).
#[derive(Debug)]
struct CodeGroup {
    code: u32,
    cc: [u8; 2],
    lat: f64,
    lon: f64,
    seats: Vec<String>,
}

/// A name key with its spaces and hyphens left out ("sar e pul" -> "sarepul").
fn compact_key(name: &str) -> String {
    normalize::key(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// How many leading characters two keys share.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Great-circle distance in km.
fn km(a: (f32, f32), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (f64::from(a.0).to_radians(), f64::from(a.1).to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

/// Size of one place record in the index file.
const REC_LEN: usize = 38;
/// Size of one name-index entry (key hash, place position) in the index file.
const ENTRY_LEN: usize = 12;

/// A gazetteer: places and the index from name keys to them.
///
/// It reads its records straight from the bytes of the index file (see [`Gazetteer::save`]):
/// loading checks the layout once and copies nothing but the administrative-unit table, so the
/// embedded default is ready in milliseconds.
#[derive(Debug)]
pub struct Gazetteer {
    blob: Blob,
    /// The place names, one after another: borrowed from a static blob, copied from an owned
    /// one (so that a name is a plain `&str` slice, with no UTF-8 check per lookup).
    names: Names,
    recs: std::ops::Range<usize>,
    exact: std::ops::Range<usize>,
    loose: std::ops::Range<usize>,
    admin_codes: Vec<String>,
    admin_names: Vec<String>,
    admin_by_code: HashMap<String, u32>,
    source: String,
}

/// Builds a [`Gazetteer`] place by place.
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    arena: String,
    recs: Vec<Rec>,
    admin_idx: HashMap<String, u32>,
    admin_codes: Vec<String>,
    admin_names: Vec<String>,
    exact: Vec<(u64, u32)>,
    loose: Vec<(u64, u32)>,
    by_id: HashMap<u32, u32>,
}

impl GazetteerBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    fn admin(&mut self, code: String) -> u32 {
        if let Some(&i) = self.admin_idx.get(&code) {
            return i;
        }
        let i = self.admin_codes.len() as u32;
        self.admin_codes.push(code.clone());
        self.admin_names.push(String::new());
        self.admin_idx.insert(code, i);
        i
    }

    /// Sets the display name of an administrative unit (`CC.A1` or `CC.A1.A2`).
    pub fn set_admin_name(&mut self, code: &str, name: &str) {
        let i = self.admin(code.to_string());
        if self.admin_names[i as usize].is_empty() {
            self.admin_names[i as usize] = name.to_string();
        }
    }

    /// Number of places added.
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    /// Whether no place was added.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// The position of the place with this GeoNames id, if added.
    pub fn position(&self, geonameid: u64) -> Option<u32> {
        u32::try_from(geonameid)
            .ok()
            .and_then(|id| self.by_id.get(&id).copied())
    }

    /// Adds a place (its main name is indexed) and returns its position.
    pub fn add_place(&mut self, p: &NewPlace<'_>) -> u32 {
        let idx = self.recs.len() as u32;
        let name: String = p.name.chars().take(200).collect();
        let name_off = self.arena.len() as u32;
        self.arena.push_str(&name);
        let mut fcode = [0u8; 5];
        for (d, s) in fcode.iter_mut().zip(p.feature_code.bytes()) {
            *d = s;
        }
        let mut cc = [0u8; 2];
        for (d, s) in cc.iter_mut().zip(p.country.bytes()) {
            *d = s;
        }
        let admin1 = if p.admin1.is_empty() || p.country.is_empty() {
            NO_ADMIN
        } else {
            self.admin(format!("{}.{}", p.country, p.admin1))
        };
        let admin2 = if p.admin2.is_empty() || admin1 == NO_ADMIN {
            NO_ADMIN
        } else {
            self.admin(format!("{}.{}.{}", p.country, p.admin1, p.admin2))
        };
        let id = u32::try_from(p.geonameid).unwrap_or(0);
        self.recs.push(Rec {
            id,
            lat: p.lat as f32,
            lon: p.lon as f32,
            pop: u32::try_from(p.population).unwrap_or(u32::MAX),
            name_off,
            name_len: name.len() as u16,
            fclass: p.feature_class.bytes().next().unwrap_or(b' '),
            fcode,
            cc,
            admin1,
            admin2,
        });
        if id != 0 {
            self.by_id.insert(id, idx);
        }
        let code = p.feature_code;
        if code == "ADM1" && admin1 != NO_ADMIN {
            self.set_admin_name(&format!("{}.{}", p.country, p.admin1), &name);
        } else if code == "ADM2" && admin2 != NO_ADMIN {
            self.set_admin_name(&format!("{}.{}.{}", p.country, p.admin1, p.admin2), &name);
        }
        self.add_name(idx, &name);
        idx
    }

    /// Indexes another name for the place at `idx`.
    pub fn add_name(&mut self, idx: u32, name: &str) {
        let k = normalize::key(name);
        if k.is_empty() {
            return;
        }
        let l = normalize::loose_from_key(&k);
        self.exact.push((hash_key(&k), idx));
        if !l.is_empty() {
            self.loose.push((hash_key(&l), idx));
        }
    }

    /// Adds the rows of a supplement table (the format of `assets/supplement.tsv`: `place`
    /// rows add a place, `alias` rows add names to the place with that name, feature code and
    /// country, `centre` rows also give it the row's coordinates). Returns how many rows were malformed or named no place; they are skipped.
    pub fn add_supplement(&mut self, tsv: &str) -> usize {
        let mut bad = 0;
        for line in tsv.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let c: Vec<&str> = line.split('\t').collect();
            let [kind, name, lat, lon, code, cc, pop, names] = c[..] else {
                bad += 1;
                continue;
            };
            let idx = match kind {
                "place" => {
                    let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
                        bad += 1;
                        continue;
                    };
                    let class = if code.starts_with("ADM") || code.starts_with("PCL") {
                        "A"
                    } else if code.starts_with("PPL") {
                        "P"
                    } else {
                        "L"
                    };
                    self.add_place(&NewPlace {
                        name,
                        lat,
                        lon,
                        feature_class: class,
                        feature_code: code,
                        country: cc,
                        population: pop.parse().unwrap_or(0),
                        ..NewPlace::default()
                    })
                }
                "alias" => match self.find_place(name, code, cc) {
                    Some(i) => i,
                    None => {
                        bad += 1;
                        continue;
                    }
                },
                "centre" => {
                    let (Some(i), Ok(lat), Ok(lon)) = (
                        self.find_place(name, code, cc),
                        lat.parse::<f32>(),
                        lon.parse::<f32>(),
                    ) else {
                        bad += 1;
                        continue;
                    };
                    if let Some(r) = self.recs.get_mut(i as usize) {
                        r.lat = lat;
                        r.lon = lon;
                    }
                    i
                }
                _ => {
                    bad += 1;
                    continue;
                }
            };
            for n in names.split('|').filter(|n| !n.trim().is_empty()) {
                self.add_name(idx, n.trim());
            }
        }
        bad
    }

    /// `GZ10-unit-centre-abroad`: moves every first-level unit whose centre lies abroad to
    /// its country's centre, and returns how many it moved. A unit's centre is abroad when no
    /// populated place of its own country lies within about 300 km of it while one of another
    /// country does (the embedded sources geocoded some units to a namesake: Helmand to
    /// Baltimore, Unity to San Francisco), unless that other country bears the unit's name
    /// (Guam, French Polynesia: territories listed under another country). The supplement's
    /// `centre` rows, read after, give the units news names most their own centre.
    pub fn relocate_stray_units(&mut self) -> usize {
        let cell = |lat: f32, lon: f32| ((lat.floor() as i32), (lon.floor() as i32));
        let mut grid: HashMap<(i32, i32), Vec<u32>> = HashMap::default();
        for (i, r) in self.recs.iter().enumerate() {
            if r.fclass == b'P' {
                grid.entry(cell(r.lat, r.lon)).or_default().push(i as u32);
            }
        }
        let mut moved = 0;
        for i in 0..self.recs.len() {
            let r = &self.recs[i];
            if !r.fcode.starts_with(b"ADM1") || r.fcode[4] != 0 {
                continue;
            }
            let (la, lo) = cell(r.lat, r.lon);
            let (mut own, mut foreign): (bool, Option<[u8; 2]>) = (false, None);
            for dla in -STRAY_CELLS..=STRAY_CELLS {
                for dlo in -STRAY_CELLS..=STRAY_CELLS {
                    for &j in grid.get(&(la + dla, lo + dlo)).into_iter().flatten() {
                        let cc = self.recs[j as usize].cc;
                        if cc == r.cc {
                            own = true;
                        } else {
                            foreign.get_or_insert(cc);
                        }
                    }
                }
            }
            let Some(other) = foreign.filter(|_| !own) else {
                continue;
            };
            let off = r.name_off as usize;
            let name = self.arena.get(off..off + r.name_len as usize).unwrap_or("");
            let key = normalize::key(name);
            let other = std::str::from_utf8(&other).unwrap_or("");
            let territory = countries::by_iso2(other).is_some_and(|c| {
                let ck = normalize::key(&c.name);
                ck.contains(&key) || key.contains(&ck)
            });
            let home = std::str::from_utf8(&r.cc).ok().and_then(countries::by_iso2);
            if let (false, Some(c)) = (territory, home) {
                let r = &mut self.recs[i];
                r.lat = c.lat as f32;
                r.lon = c.lon as f32;
                moved += 1;
            }
        }
        moved
    }

    /// `GZ20-unit-code-by-nearest-free`: repairs the ties between the embedded sources'
    /// first-level units and the GeoNames admin1 codes of their places. The sources tied each
    /// unit to the code whose places' centre lay nearest its own centre, unit by unit, so two
    /// units could share a code (Panjshir's towns showed "Helmand", Helmand's centre having
    /// been abroad) while another code had none (Zaporizhzhia's towns showed no province).
    /// Run after the unit centres are fixed (`GZ10` and the supplement's `centre` rows), it
    /// leaves every code held by one unit alone; of the units sharing a code, the one whose
    /// name begins like the code's seat (its `PPLA`: "Odeska oblast" and Odesa), else the
    /// nearest, keeps it; the others, and any unit whose name begins like the seat of a code
    /// no unit holds while its own code's seat does not, take the free codes, pairs in order
    /// of distance (by name first). A unit left over keeps its code but does not name it. The
    /// US (whose units carry their real codes) is left alone. Returns how many units moved.
    pub fn retie_units_to_codes(&mut self) -> usize {
        let groups = self.code_groups();
        let mut by_country: HashMap<[u8; 2], Vec<usize>> = HashMap::new();
        for (i, r) in self.recs.iter().enumerate() {
            if r.fcode.starts_with(b"ADM1")
                && r.fcode[4] == 0
                && r.admin1 != NO_ADMIN
                && &r.cc != b"US"
            {
                by_country.entry(r.cc).or_default().push(i);
            }
        }
        let mut ccs: Vec<[u8; 2]> = by_country.keys().copied().collect();
        ccs.sort_unstable();
        let mut moved = 0;
        for cc in ccs {
            let units = by_country.get(&cc).cloned().unwrap_or_default();
            let codes: Vec<&CodeGroup> = groups.iter().filter(|g| g.cc == cc).collect();
            moved += self.retie_country(&units, &codes);
        }
        moved
    }

    /// [`GazetteerBuilder::retie_units_to_codes`] for one country's units and codes.
    fn retie_country(&mut self, units: &[usize], codes: &[&CodeGroup]) -> usize {
        let keys: Vec<String> = units.iter().map(|&u| self.bare_unit_key(u)).collect();
        let by_name = |k: usize, g: &CodeGroup| g.seats.iter().any(|s| seat_like(&keys[k], s));
        let dist = |u: usize, g: &CodeGroup| {
            let r = &self.recs[u];
            km((r.lat, r.lon), (g.lat, g.lon))
        };
        let holders = |code: u32| -> Vec<usize> {
            (0..units.len())
                .filter(|&k| self.recs[units[k]].admin1 == code)
                .collect()
        };
        // the keeper of each code, and the units that must look for another
        let mut keeper: Vec<(u32, usize)> = Vec::new();
        let mut homeless: Vec<usize> = Vec::new();
        for g in codes {
            let hs = holders(g.code);
            // named like the seat, else the unit that named the code first (the sources'
            // own choice: Lombardy, not one of its provinces, for Milan's code)
            let best = hs
                .iter()
                .copied()
                .min_by_key(|&k| (!by_name(k, g), units[k]));
            if let Some(best) = best {
                keeper.push((g.code, best));
                homeless.extend(hs.into_iter().filter(|&k| k != best));
            }
        }
        let free: Vec<&CodeGroup> = codes
            .iter()
            .copied()
            .filter(|g| !keeper.iter().any(|&(c, _)| c == g.code))
            .collect();
        // a keeper not named like its code's seat, named like a free code's seat, moves there
        for &(code, k) in &keeper {
            let own = codes.iter().find(|g| g.code == code);
            if own.is_some_and(|g| !by_name(k, g)) && free.iter().any(|g| by_name(k, g)) {
                homeless.push(k);
            }
        }
        keeper.retain(|(_, k)| !homeless.contains(k));
        let mut pairs: Vec<(bool, f64, usize, u32)> = Vec::new();
        for &k in &homeless {
            // a unit GZ10 moved to its country's centre has no centre of its own to go by
            let centreless = self.at_country_centre(units[k]);
            for g in &free {
                if by_name(k, g) || (!centreless && dist(units[k], g) <= FREE_CODE_KM) {
                    pairs.push((!by_name(k, g), dist(units[k], g), k, g.code));
                }
            }
        }
        pairs.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(&b.3))
        });
        let mut moved = 0;
        for (_, _, k, code) in pairs {
            if keeper.iter().any(|&(c, kk)| c == code || kk == k) {
                continue;
            }
            keeper.push((code, k));
            if self.recs[units[k]].admin1 != code {
                self.recs[units[k]].admin1 = code;
                moved += 1;
            }
        }
        // every code of the country is named by its keeper, or by no unit
        for g in codes {
            if let Some(slot) = self.admin_names.get_mut(g.code as usize) {
                slot.clear();
            }
        }
        for &k in &homeless {
            if let Some(slot) = self
                .admin_names
                .get_mut(self.recs[units[k]].admin1 as usize)
            {
                slot.clear();
            }
        }
        for (code, k) in keeper {
            let r = &self.recs[units[k]];
            let off = r.name_off as usize;
            let name = self
                .arena
                .get(off..off + r.name_len as usize)
                .unwrap_or("")
                .to_string();
            if let Some(slot) = self.admin_names.get_mut(code as usize) {
                *slot = name;
            }
        }
        moved
    }

    /// The admin1 codes of the populated places, each with its places' centre (weighted by
    /// the logarithm of their population) and the name keys of its seats (`PPLA`).
    fn code_groups(&self) -> Vec<CodeGroup> {
        let mut acc: HashMap<u32, CodeGroup> = HashMap::new();
        let mut weight: HashMap<u32, f64> = HashMap::new();
        for r in &self.recs {
            if r.fclass != b'P' || r.admin1 == NO_ADMIN {
                continue;
            }
            let w = (f64::from(r.pop) + 10.0).ln();
            let g = acc.entry(r.admin1).or_insert_with(|| CodeGroup {
                code: r.admin1,
                cc: r.cc,
                lat: 0.0,
                lon: 0.0,
                seats: Vec::new(),
            });
            g.lat += f64::from(r.lat) * w;
            g.lon += f64::from(r.lon) * w;
            *weight.entry(r.admin1).or_default() += w;
            if r.fcode.starts_with(b"PPLA") && r.fcode[4] == 0 {
                let off = r.name_off as usize;
                let name = self.arena.get(off..off + r.name_len as usize).unwrap_or("");
                g.seats.push(compact_key(name));
            }
        }
        let mut out: Vec<CodeGroup> = acc
            .into_values()
            .map(|mut g| {
                let w = weight
                    .get(&g.code)
                    .copied()
                    .unwrap_or(1.0)
                    .max(f64::MIN_POSITIVE);
                g.lat /= w;
                g.lon /= w;
                g
            })
            .collect();
        out.sort_by_key(|g| g.code);
        out
    }

    /// Whether the place at `i` lies at its country's centre (where `GZ10` puts a unit whose
    /// centre was abroad).
    fn at_country_centre(&self, i: usize) -> bool {
        let r = &self.recs[i];
        std::str::from_utf8(&r.cc)
            .ok()
            .and_then(countries::by_iso2)
            .is_some_and(|c| {
                (f64::from(r.lat) - c.lat).abs() < 1e-3 && (f64::from(r.lon) - c.lon).abs() < 1e-3
            })
    }

    /// The name key of the unit at `i` without its unit word ("Odeska oblast" -> "odeska").
    fn bare_unit_key(&self, i: usize) -> String {
        let r = &self.recs[i];
        let off = r.name_off as usize;
        let name = self.arena.get(off..off + r.name_len as usize).unwrap_or("");
        let key = normalize::key(name);
        let bare = UNIT_SUFFIXES
            .iter()
            .find_map(|w| key.strip_suffix(w).and_then(|k| k.strip_suffix(' ')))
            .unwrap_or(&key);
        compact_key(bare)
    }

    /// The first place added with this main name, feature code and country.
    fn find_place(&self, name: &str, code: &str, cc: &str) -> Option<u32> {
        self.recs
            .iter()
            .position(|r| {
                let off = r.name_off as usize;
                self.arena.get(off..off + r.name_len as usize) == Some(name)
                    && r.fcode
                        .iter()
                        .take_while(|&&b| b != 0)
                        .copied()
                        .eq(code.bytes())
                    && r.cc.iter().copied().eq(cc.bytes())
            })
            .map(|i| i as u32)
    }

    /// Adds the country table ([`crate::countries`]): each country becomes a place (or gets its
    /// names added to the place with its GeoNames id) with its name and aliases indexed.
    pub fn add_countries(&mut self) {
        for c in countries::all() {
            let idx = match self.position(c.geonameid) {
                Some(i) => {
                    self.add_name(i, &c.name);
                    i
                }
                None => self.add_place(&NewPlace {
                    geonameid: c.geonameid,
                    name: &c.name,
                    lat: c.lat,
                    lon: c.lon,
                    feature_class: "A",
                    feature_code: "PCLI",
                    country: &c.iso2,
                    population: c.population,
                    ..NewPlace::default()
                }),
            };
            for a in &c.aliases {
                self.add_name(idx, a);
            }
        }
    }

    /// Finishes the index.
    pub fn build(mut self, source: &str) -> Gazetteer {
        self.exact.sort_unstable();
        self.exact.dedup();
        self.loose.sort_unstable();
        self.loose.dedup();
        // The index-file form is written section by section, each builder vector freed once
        // written, so a full GeoNames import does not hold both forms whole at once.
        let mut b = Vec::with_capacity(
            IDX_MAGIC.len()
                + source.len()
                + self.arena.len()
                + self.recs.len() * REC_LEN
                + (self.exact.len() + self.loose.len()) * ENTRY_LEN
                + 64,
        );
        let put_str = |b: &mut Vec<u8>, s: &str| {
            b.extend_from_slice(&(s.len() as u64).to_le_bytes());
            b.extend_from_slice(s.as_bytes());
        };
        b.extend_from_slice(IDX_MAGIC);
        put_str(&mut b, source);
        put_str(&mut b, &self.arena);
        b.extend_from_slice(&(self.recs.len() as u64).to_le_bytes());
        for r in std::mem::take(&mut self.recs) {
            b.extend_from_slice(&r.id.to_le_bytes());
            b.extend_from_slice(&r.lat.to_le_bytes());
            b.extend_from_slice(&r.lon.to_le_bytes());
            b.extend_from_slice(&r.pop.to_le_bytes());
            b.extend_from_slice(&r.name_off.to_le_bytes());
            b.extend_from_slice(&r.name_len.to_le_bytes());
            b.push(r.fclass);
            b.extend_from_slice(&r.fcode);
            b.extend_from_slice(&r.cc);
            b.extend_from_slice(&r.admin1.to_le_bytes());
            b.extend_from_slice(&r.admin2.to_le_bytes());
        }
        self.by_id = HashMap::new();
        b.extend_from_slice(&(self.admin_codes.len() as u64).to_le_bytes());
        for (c, n) in self.admin_codes.iter().zip(&self.admin_names) {
            put_str(&mut b, c);
            put_str(&mut b, n);
        }
        for v in [&mut self.exact, &mut self.loose] {
            b.extend_from_slice(&(v.len() as u64).to_le_bytes());
            for (h, i) in std::mem::take(v) {
                b.extend_from_slice(&h.to_le_bytes());
                b.extend_from_slice(&i.to_le_bytes());
            }
        }
        // What was just written always reads back.
        let layout = Layout::read(&b).unwrap_or_default();
        Gazetteer {
            blob: Blob::Owned(b),
            names: Names::Owned(self.arena),
            recs: layout.recs,
            exact: layout.exact,
            loose: layout.loose,
            admin_codes: self.admin_codes,
            admin_names: self.admin_names,
            admin_by_code: self.admin_idx,
            source: source.to_string(),
        }
    }
}

impl Rec {
    fn decode(b: &[u8; REC_LEN]) -> Rec {
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Rec {
            id: u32_at(0),
            lat: f32::from_bits(u32_at(4)),
            lon: f32::from_bits(u32_at(8)),
            pop: u32_at(12),
            name_off: u32_at(16),
            name_len: u16::from_le_bytes([b[20], b[21]]),
            fclass: b[22],
            fcode: [b[23], b[24], b[25], b[26], b[27]],
            cc: [b[28], b[29]],
            admin1: u32_at(30),
            admin2: u32_at(34),
        }
    }
}

/// Where the sections of an index file lie, and its administrative-unit table.
#[derive(Debug, Default)]
struct Layout {
    source: String,
    arena: std::ops::Range<usize>,
    recs: std::ops::Range<usize>,
    exact: std::ops::Range<usize>,
    loose: std::ops::Range<usize>,
    admin_codes: Vec<String>,
    admin_names: Vec<String>,
}

impl Layout {
    /// Reads the section table of an index file, checking that every section fits and that the
    /// names are UTF-8.
    fn read(bytes: &[u8]) -> Result<Layout, String> {
        if !bytes.starts_with(IDX_MAGIC) {
            return Err("not a Frontline gazetteer index (bad magic)".into());
        }
        let mut r = Reader {
            b: bytes,
            pos: IDX_MAGIC.len(),
        };
        let source = r.string()?.to_string();
        let arena = r.section(1)?;
        let recs = r.section(REC_LEN)?;
        let n = r.count(16)?;
        let mut admin_codes = Vec::with_capacity(n);
        let mut admin_names = Vec::with_capacity(n);
        for _ in 0..n {
            admin_codes.push(r.string()?.to_string());
            admin_names.push(r.string()?.to_string());
        }
        let exact = r.section(ENTRY_LEN)?;
        let loose = r.section(ENTRY_LEN)?;
        Ok(Layout {
            source,
            arena,
            recs,
            exact,
            loose,
            admin_codes,
            admin_names,
        })
    }
}

/// The place positions stored under key hash `h` in a sorted entry section.
fn entries_for(section: &[u8], h: u64) -> impl Iterator<Item = u32> + '_ {
    let n = section.len() / ENTRY_LEN;
    let key = move |i: usize| {
        let mut k = [0u8; 8];
        k.copy_from_slice(&section[i * ENTRY_LEN..i * ENTRY_LEN + 8]);
        u64::from_le_bytes(k)
    };
    // The first entry whose key is not below `h`.
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if key(mid) < h {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (lo..n).map_while(move |i| {
        (key(i) == h).then(|| {
            let o = i * ENTRY_LEN + 8;
            u32::from_le_bytes([section[o], section[o + 1], section[o + 2], section[o + 3]])
        })
    })
}

/// The NUL-padded ASCII code at `from..from + len` of a record's bytes ("" if out of range or
/// not UTF-8).
fn code_at(raw: &[u8], from: usize, len: usize) -> &str {
    let b = raw.get(from..from + len).unwrap_or(&[]);
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    std::str::from_utf8(&b[..end]).unwrap_or("")
}

impl Gazetteer {
    /// A gazetteer over index-file bytes that live as long as the program (the embedded
    /// default, which `build.rs` writes at compile time).
    pub(crate) fn from_static_idx(bytes: &'static [u8]) -> Result<Gazetteer, String> {
        Self::from_blob(Blob::Static(bytes))
    }

    fn from_blob(blob: Blob) -> Result<Gazetteer, String> {
        let layout = Layout::read(blob.bytes())?;
        let utf8 = |b: &'static [u8]| {
            std::str::from_utf8(b).map_err(|e| format!("place names are not UTF-8: {e}"))
        };
        let names = match &blob {
            Blob::Static(b) => Names::Static(utf8(b.get(layout.arena.clone()).unwrap_or(&[]))?),
            Blob::Owned(b) => Names::Owned(
                std::str::from_utf8(b.get(layout.arena.clone()).unwrap_or(&[]))
                    .map_err(|e| format!("place names are not UTF-8: {e}"))?
                    .to_string(),
            ),
        };
        let g = Gazetteer {
            names,
            recs: layout.recs,
            exact: layout.exact,
            loose: layout.loose,
            admin_by_code: layout
                .admin_codes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.clone(), i as u32))
                .collect(),
            admin_codes: layout.admin_codes,
            admin_names: layout.admin_names,
            source: layout.source,
            blob,
        };
        // A file from disk is checked whole; the embedded index was checked when it was built.
        if matches!(g.blob, Blob::Owned(_)) {
            let arena = g.names.as_str();
            let bad = (0..g.len() as u32).filter_map(|i| g.rec(i)).any(|x| {
                let (a, b) = (
                    x.name_off as usize,
                    x.name_off as usize + x.name_len as usize,
                );
                arena.get(a..b).is_none()
            });
            if bad {
                return Err("a place name points outside the name arena".into());
            }
        }
        Ok(g)
    }

    fn rec(&self, idx: u32) -> Option<Rec> {
        let start = self.recs.start + idx as usize * REC_LEN;
        if start + REC_LEN > self.recs.end {
            return None;
        }
        let b: &[u8; REC_LEN] = self
            .blob
            .bytes()
            .get(start..start + REC_LEN)?
            .try_into()
            .ok()?;
        Some(Rec::decode(b))
    }

    /// The name stored at `off..off + len` of the name arena ("" if the range is bad).
    fn name_at(&self, off: u32, len: u16) -> &str {
        self.names
            .as_str()
            .get(off as usize..off as usize + len as usize)
            .unwrap_or("")
    }

    /// Opens a gazetteer file: an index written by [`Gazetteer::save`] (`frontline gazetteer
    /// import`), or a zlib-compressed record file like the embedded default.
    pub fn open(path: &Path) -> Result<Gazetteer, GazetteerError> {
        let bytes = std::fs::read(path).map_err(|e| GazetteerError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        if bytes.starts_with(IDX_MAGIC) {
            Self::from_blob(Blob::Owned(bytes)).map_err(|problem| GazetteerError::Format {
                path: path.to_path_buf(),
                problem,
            })
        } else {
            Self::from_flgz(&bytes, &path.display().to_string()).map_err(|e| match e {
                GazetteerError::Format { problem, .. } => GazetteerError::Format {
                    path: path.to_path_buf(),
                    problem,
                },
                other => other,
            })
        }
    }

    /// Parses the zlib-compressed record format of the embedded asset.
    pub fn from_flgz(bytes: &[u8], source: &str) -> Result<Gazetteer, GazetteerError> {
        Self::from_flgz_with(bytes, "", source)
    }

    /// Like [`Gazetteer::from_flgz`], with the rows of a supplement table added before the
    /// country table (see [`GazetteerBuilder::add_supplement`]).
    pub fn from_flgz_with(
        bytes: &[u8],
        supplement: &str,
        source: &str,
    ) -> Result<Gazetteer, GazetteerError> {
        let fmt = |problem: String| GazetteerError::Format {
            path: source.into(),
            problem,
        };
        let mut text = String::new();
        flate2::read::ZlibDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| fmt(format!("not a zlib-compressed UTF-8 gazetteer: {e}")))?;
        if !text.starts_with("#FLGZ 1\n") {
            return Err(fmt("missing `#FLGZ 1` header".into()));
        }
        let mut b = GazetteerBuilder::new();
        let mut bad = 0usize;
        for line in text.lines().skip(1) {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() != 11 {
                bad += 1;
                continue;
            }
            let (Ok(lat), Ok(lon)) = (c[2].parse::<f64>(), c[3].parse::<f64>()) else {
                bad += 1;
                continue;
            };
            let idx = b.add_place(&NewPlace {
                geonameid: c[0].parse().unwrap_or(0),
                name: c[1],
                lat,
                lon,
                feature_class: c[4],
                feature_code: c[5],
                country: c[6],
                admin1: c[7],
                admin2: c[8],
                population: c[9].parse().unwrap_or(0),
            });
            for n in c[10].split('|').filter(|n| !n.is_empty()) {
                b.add_name(idx, n);
            }
        }
        if bad > 0 {
            tracing::warn!("{source}: skipped {bad} malformed gazetteer records");
        }
        let moved = b.relocate_stray_units();
        tracing::debug!("{source}: {moved} first-level units had their centre abroad");
        let bad = b.add_supplement(supplement);
        if bad > 0 {
            tracing::warn!("{source}: skipped {bad} malformed supplement rows");
        }
        let retied = b.retie_units_to_codes();
        tracing::debug!("{source}: {retied} first-level units tied to another code");
        b.add_countries();
        Ok(b.build(source))
    }

    /// Where the gazetteer came from (`embedded` or a path).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.recs.len() / REC_LEN
    }

    /// Whether there are no places.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// Number of index entries (exact, loose).
    pub fn index_len(&self) -> (usize, usize) {
        (self.exact.len() / ENTRY_LEN, self.loose.len() / ENTRY_LEN)
    }

    /// The place at a position; `None` when out of range.
    pub fn place(&self, idx: u32) -> Option<Place<'_>> {
        let r = self.rec(idx)?;
        let name = self.name_at(r.name_off, r.name_len);
        // The codes are borrowed from the record's bytes: NUL-padded ASCII.
        let raw = self
            .blob
            .bytes()
            .get(self.recs.start + idx as usize * REC_LEN..)
            .unwrap_or(&[]);
        let code = |from: usize, len: usize| code_at(raw, from, len);
        let admin = |a: u32| {
            (a != NO_ADMIN)
                .then(|| self.admin_codes.get(a as usize).map(String::as_str))
                .flatten()
        };
        Some(Place {
            idx,
            geonameid: (r.id != 0).then_some(u64::from(r.id)),
            name,
            lat: f64::from(r.lat),
            lon: f64::from(r.lon),
            feature_class: char::from(r.fclass),
            feature_code: code(23, 5),
            country: code(28, 2),
            admin1_code: admin(r.admin1),
            admin2_code: admin(r.admin2),
            admin1_name: (r.admin1 != NO_ADMIN)
                .then(|| self.admin_names.get(r.admin1 as usize).map(String::as_str))
                .flatten()
                .filter(|s| !s.is_empty()),
            population: u64::from(r.pop),
        })
    }

    /// The feature code of the place at a position, as [`Gazetteer::place`] gives it, without
    /// reading the rest of the record; `None` when out of range.
    pub fn feature_code(&self, idx: u32) -> Option<&str> {
        let start = self.recs.start + idx as usize * REC_LEN;
        if start + REC_LEN > self.recs.end {
            return None;
        }
        let raw = self.blob.bytes().get(start..start + REC_LEN)?;
        Some(code_at(raw, 23, 5))
    }

    /// The display name of an administrative unit (`CC.A1`), when known.
    pub fn admin_name(&self, code: &str) -> Option<&str> {
        let i = self.admin_by_code.get(code).copied()? as usize;
        self.admin_names
            .get(i)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// Places whose exact key equals `key` (a key from [`normalize::key`]).
    pub fn lookup_exact_key(&self, key: &str) -> impl Iterator<Item = u32> + '_ {
        entries_for(
            self.blob.bytes().get(self.exact.clone()).unwrap_or(&[]),
            hash_key(key),
        )
    }

    /// Places whose loose key equals `loose` (from [`normalize::loose_key`]).
    pub fn lookup_loose_key(&self, loose: &str) -> impl Iterator<Item = u32> + '_ {
        entries_for(
            self.blob.bytes().get(self.loose.clone()).unwrap_or(&[]),
            hash_key(loose),
        )
    }

    /// Places a name may stand for: exact-key matches, then loose-key matches not already
    /// found, each once.
    pub fn lookup(&self, name: &str) -> Vec<Hit> {
        let k = normalize::key(name);
        if k.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .lookup_exact_key(&k)
            .map(|idx| Hit { idx, exact: true })
            .collect();
        hits.dedup();
        let l = normalize::loose_from_key(&k);
        for idx in self.lookup_loose_key(&l) {
            if !hits.iter().any(|h| h.idx == idx) {
                hits.push(Hit { idx, exact: false });
            }
        }
        hits
    }

    /// Writes the gazetteer as an index file that [`Gazetteer::open`] reads back quickly.
    pub fn save(&self, path: &Path) -> Result<(), GazetteerError> {
        let io = |e: std::io::Error| GazetteerError::Io {
            path: path.to_path_buf(),
            source: e,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = path.with_extension("idx.tmp");
        std::fs::write(&tmp, self.blob.bytes()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let s = self
            .b
            .get(self.pos..self.pos + N)
            .ok_or_else(|| format!("index file truncated at byte {}", self.pos))?;
        self.pos += N;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn count(&mut self, min_item: usize) -> Result<usize, String> {
        let n = u64::from_le_bytes(self.take::<8>()?) as usize;
        if n.saturating_mul(min_item.min(1)) > self.b.len() - self.pos.min(self.b.len()) {
            return Err(format!(
                "index file claims {n} items at byte {}, more than it holds",
                self.pos
            ));
        }
        Ok(n)
    }
    fn string(&mut self) -> Result<&'a str, String> {
        let r = self.section(1)?;
        std::str::from_utf8(&self.b[r])
            .map_err(|_| format!("invalid UTF-8 before byte {}", self.pos))
    }
    /// A counted run of `item`-byte items: its byte range.
    fn section(&mut self, item: usize) -> Result<std::ops::Range<usize>, String> {
        let n = u64::from_le_bytes(self.take::<8>()?);
        let len = usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_mul(item))
            .filter(|&len| len <= self.b.len() - self.pos)
            .ok_or_else(|| {
                format!(
                    "index file claims {n} items at byte {}, more than it holds",
                    self.pos - 8
                )
            })?;
        let r = self.pos..self.pos + len;
        self.pos += len;
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supplement_adds_places_and_names() {
        let mut b = GazetteerBuilder::new();
        b.add_place(&NewPlace {
            name: "Autonomous Republic of Abkhazia",
            lat: 43.0,
            lon: 41.0,
            feature_class: "A",
            feature_code: "ADM1",
            country: "GE",
            admin1: "02",
            ..NewPlace::default()
        });
        let bad = b.add_supplement(
            "# a comment\n\
             place\tSouth Ossetia\t42.34\t43.97\tADM1\tGE\t53000\tTskhinvali Region\n\
             alias\tAutonomous Republic of Abkhazia\t0\t0\tADM1\tGE\t0\tAbkhazia\n\
             alias\tNowhere\t0\t0\tADM1\tGE\t0\tX\n\
             place\ttoo few columns\n",
        );
        assert_eq!(bad, 2);
        let g = b.build("test");
        let so = g.lookup("Tskhinvali Region");
        assert_eq!(so.len(), 1);
        let p = g.place(so[0].idx).unwrap();
        assert_eq!(
            (p.name, p.feature_code, p.country),
            ("South Ossetia", "ADM1", "GE")
        );
        assert_eq!(p.population, 53000);
        let ab = g.lookup("Abkhazia");
        assert_eq!(ab.len(), 1);
        assert_eq!(
            g.place(ab[0].idx).unwrap().name,
            "Autonomous Republic of Abkhazia"
        );
    }

    #[test]
    fn gz10_a_unit_centred_abroad_moves_home_and_a_territory_stays() {
        let mut b = GazetteerBuilder::new();
        let town = |name: &'static str, lat: f64, lon: f64, cc: &'static str| NewPlace {
            name,
            lat,
            lon,
            feature_class: "P",
            feature_code: "PPL",
            country: cc,
            ..NewPlace::default()
        };
        let unit = |name: &'static str, lat: f64, lon: f64, cc: &'static str| NewPlace {
            name,
            lat,
            lon,
            feature_class: "A",
            feature_code: "ADM1",
            country: cc,
            admin1: "01",
            ..NewPlace::default()
        };
        b.add_place(&town("Riverton", 39.3, -76.6, "US"));
        b.add_place(&town("Kandahar", 31.6, 65.7, "AF"));
        b.add_place(&town("Hagatna", 13.5, 144.7, "GU"));
        // a province put at a namesake town in another country, one in place, a territory
        b.add_place(&unit("Desert Province", 39.29, -76.61, "AF"));
        b.add_place(&unit("Kandahar Province", 31.5, 65.5, "AF"));
        b.add_place(&unit("Guam", 13.44, 144.79, "US"));
        assert_eq!(b.relocate_stray_units(), 1);
        let bad = b.add_supplement("centre\tKandahar Province\t31.00\t65.00\tADM1\tAF\t0\t\n");
        assert_eq!(bad, 0);
        let g = b.build("test");
        let at = |name: &str| {
            let h = g.lookup(name);
            let p = g.place(h[0].idx).unwrap();
            (p.lat.round(), p.lon.round())
        };
        let af = countries::by_iso2("AF").unwrap();
        assert_eq!(at("Desert Province"), (af.lat.round(), af.lon.round()));
        assert_eq!(at("Kandahar Province"), (31.0, 65.0));
        assert_eq!(at("Guam"), (13.0, 145.0));
    }

    #[test]
    fn gz20_units_sharing_a_code_keep_one_and_the_others_take_free_codes() {
        let mut b = GazetteerBuilder::new();
        let place = |name: &'static str, lat: f64, code: &'static str, a1: &'static str| NewPlace {
            name,
            lat,
            lon: 65.0,
            feature_class: if code == "ADM1" { "A" } else { "P" },
            feature_code: code,
            country: "AF",
            admin1: a1,
            ..NewPlace::default()
        };
        // three codes, each with its seat; two units tied to code 11, none to code 10
        b.add_place(&place("Herat", 34.0, "PPLA", "11"));
        b.add_place(&place("Lashkar", 31.0, "PPLA", "10"));
        b.add_place(&place("Qalat", 32.0, "PPLA", "28"));
        b.add_place(&place("Desert", 31.1, "ADM1", "11"));
        b.add_place(&place("Herat Province", 34.1, "ADM1", "11"));
        b.add_place(&place("Zabul", 32.1, "ADM1", "28"));
        assert_eq!(b.retie_units_to_codes(), 1);
        let g = b.build("test");
        let admin1_of = |name: &str| {
            let h = g.lookup(name);
            g.place(h[0].idx).unwrap().admin1_name.map(str::to_string)
        };
        // the unit named like the seat keeps the code, the other takes the free one nearby
        assert_eq!(admin1_of("Herat").as_deref(), Some("Herat Province"));
        assert_eq!(admin1_of("Lashkar").as_deref(), Some("Desert"));
        assert_eq!(admin1_of("Qalat").as_deref(), Some("Zabul"));
    }

    #[test]
    fn the_embedded_gazetteer_holds_the_supplement() {
        let g = Gazetteer::embedded().unwrap();
        for (name, cc) in [
            ("South Ossetia", "GE"),
            ("West Bank", "PS"),
            ("Crimea", "UA"),
        ] {
            let hits = g.lookup(name);
            assert!(
                hits.iter()
                    .any(|h| g.place(h.idx).is_some_and(|p| p.country == cc)),
                "{name}"
            );
        }
    }

    fn small() -> Gazetteer {
        let mut b = GazetteerBuilder::new();
        let i = b.add_place(&NewPlace {
            geonameid: 170794,
            name: "Dayr az Zawr",
            lat: 35.33588,
            lon: 40.14084,
            feature_class: "P",
            feature_code: "PPLA",
            country: "SY",
            admin1: "07",
            population: 242565,
            ..NewPlace::default()
        });
        b.add_name(i, "Deir ez-Zor");
        b.add_place(&NewPlace {
            geonameid: 170793,
            name: "Deir ez-Zor Governorate",
            lat: 35.0,
            lon: 40.5,
            feature_class: "A",
            feature_code: "ADM1",
            country: "SY",
            admin1: "07",
            ..NewPlace::default()
        });
        b.add_countries();
        b.build("test")
    }

    #[test]
    fn finds_spelling_variants() {
        let g = small();
        let hits = g.lookup("Deir el-Zour");
        assert_eq!(hits.len(), 1);
        assert!(!hits[0].exact);
        let p = g.place(hits[0].idx).unwrap();
        assert_eq!(p.geonameid, Some(170794));
        assert_eq!(p.admin1_code, Some("SY.07"));
        assert_eq!(g.admin_name("SY.07"), Some("Deir ez-Zor Governorate"));
        assert!(g.lookup("Deir ez-Zor")[0].exact);
        let sy = g.lookup("Syrian Arab Republic");
        assert_eq!(g.place(sy[0].idx).unwrap().feature_code, "PCLI");
    }

    #[test]
    fn index_file_round_trips() {
        let g = small();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.idx");
        g.save(&path).unwrap();
        let back = Gazetteer::open(&path).unwrap();
        assert_eq!(back.len(), g.len());
        assert_eq!(back.place(0), g.place(0));
        assert_eq!(back.lookup("Dayr az Zawr"), g.lookup("Dayr az Zawr"));
        // A truncated file is an error naming the problem, not a panic.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let e = Gazetteer::open(&path).unwrap_err().to_string();
        assert!(e.contains("g.idx"), "{e}");
    }

    #[test]
    fn embedded_index_is_what_the_asset_builds_at_run_time() {
        let flgz =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/default.flgz")).unwrap();
        let supplement = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/supplement.tsv"
        ))
        .unwrap();
        let built = Gazetteer::from_flgz_with(&flgz, &supplement, "embedded").unwrap();
        let emb = Gazetteer::embedded().unwrap();
        assert_eq!(emb.len(), built.len());
        assert_eq!(emb.index_len(), built.index_len());
        assert_eq!(emb.blob.bytes(), built.blob.bytes());
        for idx in (0..built.len() as u32).step_by(997) {
            assert_eq!(emb.place(idx), built.place(idx));
        }
        assert_eq!(emb.lookup("Aleppo"), built.lookup("Aleppo"));
    }

    #[test]
    fn feature_code_is_the_places() {
        let g = Gazetteer::embedded().unwrap();
        for idx in 0..g.len() as u32 + 3 {
            assert_eq!(
                g.feature_code(idx),
                g.place(idx).map(|p| p.feature_code),
                "{idx}"
            );
        }
        let s = small();
        for idx in 0..s.len() as u32 + 3 {
            assert_eq!(s.feature_code(idx), s.place(idx).map(|p| p.feature_code));
        }
    }

    #[test]
    fn index_with_a_name_outside_the_arena_is_an_error() {
        let g = small();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.idx");
        g.save(&path).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        // The first record's name offset (after magic, source and arena, and the count).
        let at = IDX_MAGIC.len() + 8 + "test".len() + 8 + g.names.as_str().len() + 8 + 16;
        bytes[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let e = Gazetteer::open(&path).unwrap_err().to_string();
        assert!(e.contains("outside the name arena"), "{e}");
        // A name that is not UTF-8.
        let arena_at = IDX_MAGIC.len() + 8 + "test".len() + 8;
        bytes[arena_at] = 0xFF;
        std::fs::write(&path, &bytes).unwrap();
        let e = Gazetteer::open(&path).unwrap_err().to_string();
        assert!(e.contains("not UTF-8"), "{e}");
    }

    #[test]
    fn embedded_loads_with_the_seed_places() {
        let g = Gazetteer::embedded().unwrap();
        assert!(g.len() > 200_000, "{}", g.len());
        let names: Vec<_> = g
            .lookup("Baghdad")
            .iter()
            .filter_map(|h| g.place(h.idx))
            .map(|p| (p.country, p.feature_code))
            .collect();
        assert!(names.contains(&("IQ", "PPLC")), "{names:?}");
        let dez: Vec<_> = g
            .lookup("Deir el-Zour")
            .iter()
            .filter_map(|h| g.place(h.idx))
            .collect();
        assert!(
            dez.iter()
                .any(|p| p.country == "SY" && p.population > 100_000),
            "{dez:?}"
        );
    }
}
