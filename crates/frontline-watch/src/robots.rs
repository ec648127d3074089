//! robots.txt (RFC 9309): the group for our product token (else `*`), longest match wins,
//! `Allow` wins a tie, `*` and `$` in paths.

/// One rule of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    allow: bool,
    pattern: String,
}

/// The rules that apply to us on one host.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    rules: Vec<Rule>,
    /// When set, nothing may be fetched (robots.txt unreachable: RFC 9309 §2.3.1.4).
    deny_all: bool,
    /// `Crawl-delay` of our group, in seconds, when given.
    pub crawl_delay: Option<f64>,
}

impl Robots {
    /// No robots.txt (a 4xx answer): everything is allowed.
    pub fn allow_all() -> Self {
        Self::default()
    }

    /// robots.txt could not be fetched (5xx or network error): nothing is allowed for now.
    pub fn deny_all() -> Self {
        Self {
            deny_all: true,
            ..Self::default()
        }
    }

    /// Parses a robots.txt for the product token `agent` (matched case-insensitively as a
    /// prefix of the group's `User-agent` value).
    pub fn parse(text: &str, agent: &str) -> Self {
        let agent = agent.to_ascii_lowercase();
        let mut specific: Vec<Rule> = Vec::new();
        let mut generic: Vec<Rule> = Vec::new();
        let mut specific_delay = None;
        let mut generic_delay = None;
        let mut found_specific = false;
        // The agents of the group being read, and whether its rules have started.
        let mut group: Vec<String> = Vec::new();
        let mut in_rules = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        group.clear();
                        in_rules = false;
                    }
                    group.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" | "crawl-delay" => {
                    in_rules = true;
                    let ours = group
                        .iter()
                        .any(|g| g != "*" && !g.is_empty() && agent.starts_with(g.as_str()));
                    let star = group.iter().any(|g| g == "*");
                    if ours {
                        found_specific = true;
                    }
                    if key == "crawl-delay" {
                        let d = value
                            .parse::<f64>()
                            .ok()
                            .filter(|d| d.is_finite() && *d >= 0.0);
                        if ours {
                            specific_delay = d.or(specific_delay);
                        } else if star {
                            generic_delay = d.or(generic_delay);
                        }
                        continue;
                    }
                    // An empty Disallow allows everything: no rule.
                    if value.is_empty() {
                        continue;
                    }
                    let rule = Rule {
                        allow: key == "allow",
                        pattern: value.to_string(),
                    };
                    if ours {
                        specific.push(rule);
                    } else if star {
                        generic.push(rule);
                    }
                }
                _ => {}
            }
        }
        if found_specific {
            Self {
                rules: specific,
                deny_all: false,
                crawl_delay: specific_delay,
            }
        } else {
            Self {
                rules: generic,
                deny_all: false,
                crawl_delay: generic_delay,
            }
        }
    }

    /// Whether `path` (path and query of a URL) may be fetched. `/robots.txt` always may.
    pub fn allows(&self, path: &str) -> bool {
        if path == "/robots.txt" {
            return true;
        }
        if self.deny_all {
            return false;
        }
        let mut best: Option<(usize, bool)> = None;
        for r in &self.rules {
            if matches(&r.pattern, path) {
                let len = r.pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, r.allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Whether a robots.txt path pattern (`*` any run, `$` end) matches the start of `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else if i == parts.len() - 1 && anchored {
            return path.len() >= pos + part.len() && path.ends_with(part);
        } else {
            match path[pos..].find(part) {
                Some(at) => pos += at + part.len(),
                None => return false,
            }
        }
    }
    !anchored || pos == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "User-agent: *\nDisallow: /private/\nAllow: /private/open\nCrawl-delay: 2\n\n\
                       User-agent: otherbot\nDisallow: /\n";

    #[test]
    fn generic_group_longest_match_wins() {
        let r = Robots::parse(TXT, "frontline-watch");
        assert!(r.allows("/news/1"));
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/open/x"));
        assert_eq!(r.crawl_delay, Some(2.0));
    }

    #[test]
    fn our_own_group_replaces_the_generic_one() {
        let r = Robots::parse(TXT, "OtherBot/1.0");
        assert!(!r.allows("/news/1"));
        assert!(r.allows("/robots.txt"));
    }

    #[test]
    fn wildcards_and_anchors() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /*.pdf$\nDisallow: /tmp*/x\nDisallow:\n",
            "a",
        );
        assert!(!r.allows("/files/report.pdf"));
        assert!(r.allows("/files/report.pdf?x=1"));
        assert!(!r.allows("/tmp123/x"));
        assert!(r.allows("/tmp123/y"));
    }

    #[test]
    fn unreachable_denies_and_missing_allows() {
        assert!(!Robots::deny_all().allows("/a"));
        assert!(Robots::allow_all().allows("/a"));
        assert!(Robots::parse("garbage\n\0\n", "a").allows("/a"));
    }
}
