//! The `table` output format: a readable terminal summary of an extraction.

use std::io::{self, Write};

use frontline_model::{Event, Extraction, MentionData, MentionKind, PlaceRef};

/// Writes a summary of one extraction for people.
pub fn write_extraction(out: &mut impl Write, ex: &Extraction) -> io::Result<()> {
    let doc = &ex.document;
    let rule = "=".repeat(78);
    writeln!(out, "{rule}")?;
    let title = doc.title.clone().unwrap_or_else(|| first_line(&doc.text));
    writeln!(out, "{}", truncate(&title, 78))?;
    let mut facts = vec![format!("id {}", doc.id)];
    if let Some(o) = &doc.outlet {
        facts.push(format!("outlet {o}"));
    }
    if let Some(d) = doc.published_at {
        facts.push(format!("published {d}"));
    }
    if let Some(p) = doc.origin.as_ref().and_then(|o| o.path.as_ref()) {
        facts.push(p.clone());
    }
    writeln!(out, "{}", facts.join(" · "))?;
    writeln!(
        out,
        "{} sentences, {} mentions, {} events, {} boilerplate block(s) set aside",
        ex.sentences.len(),
        ex.mentions.len(),
        ex.events.len(),
        ex.boilerplate.len()
    )?;
    for w in &ex.warnings {
        writeln!(out, "warning: {w}")?;
    }
    writeln!(out, "{rule}")?;

    for kind in [
        MentionKind::Actor,
        MentionKind::Place,
        MentionKind::Time,
        MentionKind::Quantity,
        MentionKind::Speaker,
    ] {
        let items: Vec<String> = ex
            .mentions
            .iter()
            .filter(|m| m.kind() == kind)
            .map(|m| match &m.data {
                MentionData::Actor(a) => format!("{} [{}]", m.text, a.code),
                MentionData::Place(p) => format!("{} [{}]", m.text, place_label(p)),
                MentionData::Time(t) if t.start == t.end => format!("{} [{}]", m.text, t.start),
                MentionData::Time(t) => format!("{} [{}..{}]", m.text, t.start, t.end),
                MentionData::Quantity(q) => {
                    format!(
                        "{} [{} {:?} {:?}]",
                        m.text, q.value, q.unit, q.quantity_kind
                    )
                }
                MentionData::Speaker(s) => format!("{} [{}]", m.text, s.cue),
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        let mut uniq: Vec<String> = Vec::new();
        for i in items {
            if !uniq.contains(&i) {
                uniq.push(i);
            }
        }
        writeln!(out, "{:<10} {}", format!("{kind:?}s:"), uniq.join("; "))?;
    }

    if !ex.events.is_empty() {
        writeln!(out)?;
        writeln!(out, "Events:")?;
        for (i, e) in ex.events.iter().enumerate() {
            write_event(out, i, e)?;
        }
    }
    if !ex.boilerplate.is_empty() {
        writeln!(out)?;
        writeln!(out, "Set aside:")?;
        for b in &ex.boilerplate {
            writeln!(
                out,
                "  {:?}: {}",
                b.kind,
                truncate(&b.text.replace('\n', " / "), 66)
            )?;
        }
    }
    writeln!(out)
}

fn write_event(out: &mut impl Write, i: usize, e: &Event) -> io::Result<()> {
    let kind = match &e.plover_mode {
        Some(m) => format!("{} ({m})", e.plover_type.as_str()),
        None => e.plover_type.as_str().to_string(),
    };
    let date = e.date.as_ref().map_or_else(
        || "date ?".to_string(),
        |d| {
            if d.start == d.end {
                d.start.to_string()
            } else {
                format!("{}..{}", d.start, d.end)
            }
        },
    );
    let modality = if e.modality.counts() {
        format!("{:?}", e.modality).to_lowercase()
    } else {
        format!("{:?} (not counted)", e.modality).to_uppercase()
    };
    writeln!(out, "  #{i:<2} {date:<22} {kind:<24} {modality}")?;
    let actors = |list: &[frontline_model::EventActor]| {
        if list.is_empty() {
            "?".to_string()
        } else {
            list.iter()
                .map(|a| a.actor.code.clone())
                .collect::<Vec<_>>()
                .join("+")
        }
    };
    writeln!(
        out,
        "      {} -> {}   \"{}\"",
        actors(&e.sources),
        actors(&e.targets),
        e.trigger_text
    )?;
    if let Some(l) = &e.location {
        writeln!(out, "      where: {} {}", l.relation, place_label(&l.place))?;
    }
    if let Some(a) = &e.acled {
        let cameo = e.cameo_root.as_deref().unwrap_or("-");
        writeln!(
            out,
            "      ACLED: {} / {}   CAMEO {cameo}",
            a.event_type, a.sub_event_type
        )?;
    }
    for q in &e.quantities {
        writeln!(
            out,
            "      {:?}: {}{}",
            q.quantity.quantity_kind,
            q.quantity.value,
            q.quantity
                .value_max
                .map(|m| format!("-{m}"))
                .unwrap_or_default()
        )?;
    }
    for a in &e.attribution {
        writeln!(
            out,
            "      per {} ({:?}, {})",
            a.speaker, a.source_kind, a.cue
        )?;
    }
    writeln!(out, "      rules: {}", e.rules.join(", "))
}

fn place_label(p: &PlaceRef) -> String {
    match (p.lat, p.lon) {
        (Some(lat), Some(lon)) => format!(
            "{}{} {:.3},{:.3} {:?}",
            p.name,
            p.country_code
                .as_deref()
                .map(|c| format!(", {c}"))
                .unwrap_or_default(),
            lat,
            lon,
            p.precision
        ),
        _ => match &p.inferred {
            Some(inf) => format!("{} unresolved: {inf}", p.name),
            None => format!("{} unresolved", p.name),
        },
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
