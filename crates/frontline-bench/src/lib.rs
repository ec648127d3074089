//! A deterministic generator of wire-style conflict reports for benchmarks.
//!
//! The same seed always yields the same corpus, so throughput figures from different runs and
//! machines are measured on identical input. Articles are assembled from sentence templates
//! written for this project, filled with real actor and place names, dates and casualty figures.
//! They are for measuring speed, not accuracy: nothing here is a gold standard.

use serde::Serialize;

/// A small, fast, seedable PRNG (SplitMix64); good enough for picking template slots.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One string of a non-empty list.
    pub fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

/// One generated article.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// Stable name, e.g. `article-000042`.
    pub id: String,
    /// Outlet credited in the dateline.
    pub outlet: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    /// Headline.
    pub title: String,
    /// Full text (headline, dateline paragraph, body).
    pub text: String,
}

impl Article {
    /// The article's metadata as the pipeline takes it (outlet, headline, publication date).
    pub fn meta(&self) -> frontline_model::DocumentMeta {
        frontline_model::DocumentMeta {
            outlet: Some(self.outlet.clone()),
            title: Some(self.title.clone()),
            published_at: chrono::NaiveDate::parse_from_str(&self.published, "%Y-%m-%d").ok(),
            language: Some("en".into()),
            ..Default::default()
        }
    }
}

/// (country, demonym, capital, places, forces, opponents)
struct Theatre {
    country: &'static str,
    demonym: &'static str,
    capital: &'static str,
    places: &'static [&'static str],
    regions: &'static [&'static str],
    forces: &'static [&'static str],
    opponents: &'static [&'static str],
}

const THEATRES: &[Theatre] = &[
    Theatre {
        country: "Syria",
        demonym: "Syrian",
        capital: "Damascus",
        places: &[
            "Aleppo",
            "Homs",
            "Palmyra",
            "Raqqa",
            "Idlib",
            "Deir ez-Zor",
            "Hama",
            "Daraa",
        ],
        regions: &[
            "Idlib province",
            "Deir ez-Zor province",
            "Homs province",
            "the Syrian desert",
        ],
        forces: &[
            "Syrian troops",
            "Syrian government forces",
            "the Syrian army",
        ],
        opponents: &[
            "Islamic State militants",
            "rebel fighters",
            "Hayat Tahrir al-Sham",
        ],
    },
    Theatre {
        country: "Iraq",
        demonym: "Iraqi",
        capital: "Baghdad",
        places: &[
            "Mosul", "Tal Afar", "Ramadi", "Fallujah", "Kirkuk", "Tikrit", "Samarra",
        ],
        regions: &[
            "Anbar province",
            "Nineveh province",
            "Diyala province",
            "Salahuddin province",
        ],
        forces: &[
            "Iraqi forces",
            "Iraqi security forces",
            "the Popular Mobilization Forces",
        ],
        opponents: &["Islamic State fighters", "IS militants", "Daesh extremists"],
    },
    Theatre {
        country: "Yemen",
        demonym: "Yemeni",
        capital: "Sanaa",
        places: &["Aden", "Taiz", "Hodeidah", "Marib", "Saada", "Mukalla"],
        regions: &["Marib province", "Taiz province", "Hodeidah province"],
        forces: &["Yemeni government forces", "troops loyal to the government"],
        opponents: &[
            "Houthi rebels",
            "Ansar Allah fighters",
            "al-Qaeda militants",
        ],
    },
    Theatre {
        country: "Somalia",
        demonym: "Somali",
        capital: "Mogadishu",
        places: &[
            "Kismayo",
            "Baidoa",
            "Beledweyne",
            "Afgoye",
            "Marka",
            "Jowhar",
        ],
        regions: &["Lower Shabelle region", "the Gedo region", "Hiraan region"],
        forces: &["Somali soldiers", "the Somali army", "African Union troops"],
        opponents: &["al-Shabaab militants", "al-Shabab fighters"],
    },
    Theatre {
        country: "Mali",
        demonym: "Malian",
        capital: "Bamako",
        places: &["Gao", "Timbuktu", "Mopti", "Kidal", "Menaka", "Segou"],
        regions: &["the Mopti region", "the Gao region", "central Mali"],
        forces: &["Malian soldiers", "the Malian army"],
        opponents: &[
            "jihadist fighters",
            "JNIM militants",
            "Islamic State Sahel fighters",
        ],
    },
    Theatre {
        country: "Ukraine",
        demonym: "Ukrainian",
        capital: "Kyiv",
        places: &[
            "Kharkiv",
            "Kherson",
            "Zaporizhzhia",
            "Bakhmut",
            "Avdiivka",
            "Kupiansk",
        ],
        regions: &[
            "the Donetsk region",
            "the Kharkiv region",
            "the Kherson region",
        ],
        forces: &["Ukrainian troops", "Ukraine's armed forces"],
        opponents: &["Russian forces", "Russian troops"],
    },
];

const OUTLETS: &[(&str, &str)] = &[
    ("AP", "(AP) —"),
    ("Reuters", "(Reuters) -"),
    ("AFP", "(AFP) —"),
    ("Staff", "—"),
];

const DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const LEADS: &[&str] = &[
    "{FORCE} captured {PLACE} from {OPP} on {DAY}, {SOURCE} said.",
    "An air strike killed at least {N} {OPP} near {PLACE} on {DAY}, {SOURCE} said.",
    "{OPP} attacked a checkpoint outside {PLACE} on {DAY}, killing {N} soldiers and wounding {M}, {SOURCE} said.",
    "Clashes between {FORCE} and {OPP} in {REGION} left {N} people dead on {DAY}, according to {SOURCE}.",
    "A roadside bomb struck a convoy near {PLACE} on {DAY}, killing {N} and wounding {M}, {SOURCE} said.",
    "{FORCE} shelled positions held by {OPP} east of {PLACE} on {DAY}, {SOURCE} reported.",
];

const FOLLOWS: &[&str] = &[
    "The offensive came a day after {OPP} launched a series of attacks in {REGION}.",
    "{SOURCE2} said the fighting had forced about {K} people to flee their homes in recent weeks.",
    "It was not clear whether {OPP} had withdrawn from the outskirts of {PLACE2}.",
    "Officials in {CAPITAL} said the operation would allow displaced families to return to {PLACE2}.",
    "{SOURCE2} said {N} civilians were among the dead, a figure that could not be independently verified.",
    "The {DEMONYM} defence ministry said its forces had seized weapons and {M} vehicles.",
    "Residents of {PLACE2} told reporters they heard explosions through the night.",
    "{FORCE} have retaken more than {K} square kilometers ({K2} square miles) since the campaign began.",
    "Lt. Col. Ahmed Karim, a military spokesman, told the U.S.-based network that the area was secured.",
    "A monitoring group said the death toll could rise as rescuers searched the rubble.",
];

const SOURCES: &[&str] = &[
    "military officials",
    "a local official",
    "a Britain-based monitoring group",
    "state media",
    "a security source",
    "the interior ministry",
    "medical sources",
    "the United Nations",
];

const TAIL: &[&str] = &[
    "",
    "\n\nShare this:\nFacebook\nTwitter\nWhatsApp\n",
    "\n\nLeave a Reply\nYour email address will not be published. Required fields are marked *\n",
    "\n\nRelated:\nWhat we know about the offensive\nMaps of the front line\n",
];

/// Generates article number `index` of the corpus for `seed`.
pub fn article(seed: u64, index: usize) -> Article {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let t = rng.pick(THEATRES);
    let (outlet, tag) = *rng.pick(OUTLETS);
    let year = 2015 + rng.below(9);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let published = format!("{year:04}-{month:02}-{day:02}");
    let place = rng.word(t.places);
    let place2 = rng.word(t.places);
    let fill = |s: &str, rng: &mut Rng| -> String {
        let k = 1_000 * (1 + rng.below(40));
        s.replace("{FORCE}", rng.word(t.forces))
            .replace("{OPP}", rng.word(t.opponents))
            .replace("{PLACE2}", place2)
            .replace("{PLACE}", place)
            .replace("{REGION}", rng.word(t.regions))
            .replace("{DAY}", rng.word(DAYS))
            .replace("{SOURCE2}", &capitalise(rng.word(SOURCES)))
            .replace("{SOURCE}", rng.word(SOURCES))
            .replace("{CAPITAL}", t.capital)
            .replace("{DEMONYM}", t.demonym)
            .replace("{K2}", &group((k as f64 * 0.386) as usize))
            .replace("{K}", &group(k))
            .replace("{N}", &(2 + rng.below(60)).to_string())
            .replace("{M}", &(1 + rng.below(30)).to_string())
    };
    let lead = fill(rng.word(LEADS), &mut rng);
    let title = format!(
        "{} fighting near {place}, {}, leaves casualties",
        t.demonym, t.country
    );
    let mut text = format!("{title}\n\n{} {tag} {lead}", t.capital.to_uppercase());
    let paragraphs = 3 + rng.below(5);
    for _ in 0..paragraphs {
        text.push_str("\n\n");
        let sentences = 1 + rng.below(3);
        for s in 0..sentences {
            if s > 0 {
                text.push(' ');
            }
            text.push_str(&fill(rng.word(FOLLOWS), &mut rng));
        }
    }
    text.push_str(rng.word(TAIL));
    text.push('\n');
    Article {
        id: format!("article-{index:06}"),
        outlet: outlet.to_string(),
        published,
        title,
        text,
    }
}

/// The first `n` articles of the corpus for `seed`.
pub fn corpus(seed: u64, n: usize) -> impl Iterator<Item = Article> {
    (0..n).map(move |i| article(seed, i))
}

/// The `OUT_DIR` argument of the corpus tools (`gen-corpus`, `train-dicts`): the folder, or
/// the exit code after printing `usage` for `-h`/`--help` (success), an unknown option or a
/// missing argument (2).
pub fn out_dir_arg(
    arg: Option<String>,
    usage: &str,
) -> Result<std::path::PathBuf, std::process::ExitCode> {
    use std::process::ExitCode;
    match arg {
        Some(a) if a == "-h" || a == "--help" => {
            println!("{usage}");
            Err(ExitCode::SUCCESS)
        }
        Some(a) if a.starts_with('-') => {
            eprintln!("error: unknown option {a:?}\n{usage}");
            Err(ExitCode::from(2))
        }
        Some(a) => Ok(a.into()),
        None => {
            eprintln!("{usage}");
            Err(ExitCode::from(2))
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let a: Vec<_> = corpus(7, 50).collect();
        let b: Vec<_> = corpus(7, 50).collect();
        assert_eq!(a[13].text, b[13].text);
        assert_ne!(a[0].text, a[1].text);
        assert_ne!(article(7, 0).text, article(8, 0).text);
        let mean = a.iter().map(|x| x.text.len()).sum::<usize>() / a.len();
        assert!((600..6000).contains(&mean), "mean article length {mean}");
        assert!(a.iter().all(|x| !x.text.contains('{')), "unfilled slot");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group(25_000), "25,000");
        assert_eq!(group(999), "999");
        assert_eq!(group(1_234_567), "1,234,567");
    }
}
