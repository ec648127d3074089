//! Who reported a fused event: its independent sources (stories grouped with the outlets and
//! credits that tie them together) and each report's death toll with its date, for the event
//! detail. Read from the stored reports when a record is shown; the running aggregate keeps
//! only the counts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Result;
use crate::fusion::{SourceGroups, StoredReport};

/// Most documents of a fused event whose text is read for the outlets they credit (a record
/// with more lists the rest by story and outlet only).
const MAX_CREDIT_DOCUMENTS: usize = 200;

/// Documents of one fused event read for its independent sources and toll list: the earliest
/// stored this many. A record told by more (a story every outlet ran for weeks) answers with
/// these and says how many it read ([`Sources::documents_read`]); its `n_documents` and
/// `n_sources` still count all. Bounds the time and memory of one event-detail request.
pub const MAX_SOURCE_DOCUMENTS: usize = 1_000;

/// What [`read`] finds of one fused event.
pub(crate) struct Sources {
    pub(crate) independent: Vec<IndependentSource>,
    pub(crate) tolls: Vec<TollReport>,
    /// Documents read (at most the cap given to [`read`]).
    pub(crate) documents_read: usize,
}

/// One independent source of a fused event: the reports that are not independent of each
/// other (copies of one story, reports of one outlet, reports crediting one wire).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndependentSource {
    /// Stories (groups of near-identical copies) in it.
    pub stories: Vec<i64>,
    /// Outlets that published its reports.
    pub outlets: Vec<String>,
    /// Outlets its reports credit ("(Meridian)", "according to NNA"), as keys in lower case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<String>,
    /// Documents in it.
    pub documents: usize,
}

/// One report's death toll: who said how many, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TollReport {
    /// Document id.
    pub document_id: String,
    /// Outlet, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// Publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<NaiveDate>,
    /// Lowest figure the report gives.
    pub low: u64,
    /// Highest figure the report gives (equal to `low` for one figure).
    pub high: u64,
    /// Modality of the report (`asserted`, `hedged`, ...).
    pub modality: String,
    /// Published after an earlier report with a figure, with a higher figure than any of
    /// them: an update (bodies found, wounded who died).
    pub update: bool,
}

/// A report's toll as stored ("9", "12-15"): (low, high).
fn parse_toll(s: &str) -> Option<(u64, u64)> {
    let num = |x: &str| {
        x.trim()
            .parse::<f64>()
            .ok()
            .map(|v| v.max(0.0).round() as u64)
    };
    match s.split_once('-') {
        Some((a, b)) if !a.is_empty() => Some((num(a)?, num(b)?)),
        _ => num(s).map(|v| (v, v)),
    }
}

/// Marks each report whose figure rises above every figure published on an earlier day, and
/// puts the list in date order (undated reports last). One pass after the sort: the highest
/// figure of the days before the current one is carried along.
fn mark_updates(tolls: &mut [TollReport]) {
    tolls.sort_by(|a, b| {
        (a.published_at.is_none(), a.published_at, &a.document_id).cmp(&(
            b.published_at.is_none(),
            b.published_at,
            &b.document_id,
        ))
    });
    let mut day: Option<NaiveDate> = None;
    let mut max_before_day: Option<u64> = None;
    let mut max_through_day: Option<u64> = None;
    for t in tolls.iter_mut() {
        let Some(d) = t.published_at else {
            continue;
        };
        if day != Some(d) {
            day = Some(d);
            max_before_day = max_through_day;
        }
        t.update = max_before_day.is_some_and(|m| t.high > m);
        max_through_day = Some(max_through_day.map_or(t.high, |m| m.max(t.high)));
    }
}

struct DocRow {
    id: String,
    outlet: Option<String>,
    published_at: Option<String>,
    story: i64,
}

/// The independent sources and the per-report tolls of fused event `fused_id`, read from its
/// earliest stored `max_documents` documents (rows are streamed; reading stops at the cap).
pub(crate) fn read(
    conn: &rusqlite::Connection,
    fused_id: i64,
    max_documents: usize,
) -> Result<Sources> {
    // Each report's document (in document order) and what the store keeps of its claims.
    let mut stmt = conn.prepare_cached(
        "SELECT e.doc, e.modality, e.claims FROM events e INDEXED BY events_claims \
         WHERE e.fused_id = ?1 ORDER BY e.doc, e.idx",
    )?;
    let rows = stmt.query_map([fused_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut doc_stmt = conn.prepare_cached(
        "SELECT id, outlet, published_at, story_id FROM documents WHERE rowid_ = ?1",
    )?;
    let mut text_stmt = conn.prepare_cached("SELECT text FROM documents WHERE rowid_ = ?1")?;
    let mut groups = SourceGroups::default();
    let mut per_doc: BTreeMap<i64, (DocRow, Option<TollReport>)> = BTreeMap::new();
    for row in rows {
        let (rowid, modality, claims) = row?;
        if !per_doc.contains_key(&rowid) {
            if per_doc.len() >= max_documents {
                break;
            }
            let d = doc_stmt.query_row([rowid], |r| {
                Ok(DocRow {
                    id: r.get(0)?,
                    outlet: r.get(1)?,
                    published_at: r.get(2)?,
                    story: r.get(3)?,
                })
            })?;
            let credits = if per_doc.len() < MAX_CREDIT_DOCUMENTS {
                let text: String = text_stmt.query_row([rowid], |r| r.get(0))?;
                crate::credits::credits(&text)
            } else {
                Vec::new()
            };
            groups.add(d.story, d.outlet.as_deref(), &credits);
            per_doc.insert(rowid, (d, None));
        }
        let figure = claims
            .as_deref()
            .and_then(|c| serde_json::from_str::<StoredReport>(c).ok())
            .and_then(|s| s.killed.as_deref().and_then(parse_toll));
        if let (Some((lo, hi)), Some((d, toll))) = (figure, per_doc.get_mut(&rowid)) {
            let t = toll.get_or_insert_with(|| TollReport {
                document_id: d.id.clone(),
                outlet: d.outlet.clone(),
                published_at: d
                    .published_at
                    .as_deref()
                    .and_then(crate::columns::parse_day),
                low: lo,
                high: hi,
                modality: modality.clone(),
                update: false,
            });
            t.low = t.low.min(lo);
            t.high = t.high.max(hi);
        }
    }
    let documents_of = |stories: &[i64]| {
        per_doc
            .values()
            .filter(|(d, _)| stories.contains(&d.story))
            .count()
    };
    let sources = groups
        .groups()
        .map(|(stories, outlets, credits)| IndependentSource {
            documents: documents_of(&stories),
            stories,
            outlets: per_doc
                .values()
                .filter_map(|(d, _)| d.outlet.clone())
                .filter(|o| outlets.contains(&o.trim().to_lowercase()))
                .fold(Vec::new(), |mut v, o| {
                    if !v.contains(&o) {
                        v.push(o);
                    }
                    v
                }),
            credits,
        })
        .collect();
    let documents_read = per_doc.len();
    let mut tolls: Vec<TollReport> = per_doc.into_values().filter_map(|(_, t)| t).collect();
    mark_updates(&mut tolls);
    Ok(Sources {
        independent: sources,
        tolls,
        documents_read,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_stored_toll_reads_as_low_and_high() {
        assert_eq!(parse_toll("9"), Some((9, 9)));
        assert_eq!(parse_toll("12-15"), Some((12, 15)));
        assert_eq!(parse_toll("2.0"), Some((2, 2)));
        assert_eq!(parse_toll("many"), None);
    }

    fn toll(doc: &str, day: Option<&str>, high: u64) -> TollReport {
        TollReport {
            document_id: doc.into(),
            outlet: None,
            published_at: day.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            low: high,
            high,
            modality: "asserted".into(),
            update: false,
        }
    }

    #[test]
    fn a_later_higher_figure_is_an_update_and_the_list_is_in_date_order() {
        let mut t = vec![
            toll("c", Some("2025-01-03"), 8),
            toll("a", Some("2025-01-01"), 5),
            toll("b", Some("2025-01-01"), 6),
            toll("d", Some("2025-01-04"), 7),
            toll("e", None, 20),
        ];
        mark_updates(&mut t);
        let order: Vec<(&str, bool)> = t
            .iter()
            .map(|t| (t.document_id.as_str(), t.update))
            .collect();
        // same-day figures are not updates of each other; 7 after 8 is not an update; an
        // undated report is never one
        assert_eq!(
            order,
            [
                ("a", false),
                ("b", false),
                ("c", true),
                ("d", false),
                ("e", false)
            ]
        );
    }
}
