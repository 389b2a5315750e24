//! An agent's progress: rubric outcome rates per week, with the dreams that changed memory.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use rusqlite::Connection;

use super::{agents, get_ts};
use crate::dreaming::MIN_SESSIONS_PER_WEEK;
use crate::error::Result;
use crate::model::{DreamMarker, OutcomeRate, ProgressReport, WeekProgress};

fn week_of(t: DateTime<Utc>) -> DateTime<Utc> {
    let monday = t.date_naive() - Duration::days(t.weekday().num_days_from_monday() as i64);
    monday.and_time(NaiveTime::MIN).and_utc()
}

pub fn report(conn: &Connection, agent: &str) -> Result<ProgressReport> {
    let agent_id = agents::id_of(conn, agent)?;
    let outcomes: Vec<String> = agents::rubric(conn, agent)?
        .outcomes
        .into_iter()
        .map(|o| o.name)
        .collect();
    let mut weeks: BTreeMap<DateTime<Utc>, WeekProgress> = BTreeMap::new();
    let blank = |w| WeekProgress {
        week_start: w,
        sessions: 0,
        outcomes: BTreeMap::new(),
    };

    let mut stmt = conn.prepare("SELECT started_at FROM sessions WHERE agent_id = ?1")?;
    let mut rows = stmt.query([agent_id])?;
    while let Some(r) = rows.next()? {
        let w = week_of(get_ts(r, 0)?);
        weeks.entry(w).or_insert_with(|| blank(w)).sessions += 1;
    }
    let mut stmt = conn.prepare(
        "SELECT s.started_at, g.outcome, g.value FROM grades g JOIN sessions s ON s.id = g.session_id
         WHERE s.agent_id = ?1 AND g.value != 'unknown'",
    )?;
    let mut rows = stmt.query([agent_id])?;
    while let Some(r) = rows.next()? {
        let w = week_of(get_ts(r, 0)?);
        let outcome: String = r.get(1)?;
        let value: String = r.get(2)?;
        let rate = weeks
            .entry(w)
            .or_insert_with(|| blank(w))
            .outcomes
            .entry(outcome)
            .or_insert(OutcomeRate {
                met: 0,
                not_met: 0,
                rate: None,
            });
        if value == "met" {
            rate.met += 1;
        } else {
            rate.not_met += 1;
        }
    }
    // Fill the weeks between, so a quiet week shows as a gap, not as nothing.
    if let (Some(&first), Some(&last)) = (weeks.keys().next(), weeks.keys().next_back()) {
        let mut w = first;
        while w < last {
            weeks.entry(w).or_insert_with(|| blank(w));
            w += Duration::days(7);
        }
    }
    let weeks: Vec<WeekProgress> = weeks
        .into_values()
        .map(|mut w| {
            for r in w.outcomes.values_mut() {
                r.rate = Some(r.met as f64 / (r.met + r.not_met) as f64);
            }
            w
        })
        .collect();

    let mut stmt = conn.prepare(
        "SELECT d.id, COALESCE(d.finished_at, d.started_at),
            (SELECT COUNT(*) FROM proposals p WHERE p.dream_id = d.id AND p.decision = 'applied')
         FROM dreams d WHERE d.agent_id = ?1 AND d.status = 'completed' AND d.undone_at IS NULL ORDER BY d.started_at",
    )?;
    let dreams = stmt
        .query_map([agent_id], |r| {
            Ok(DreamMarker {
                dream_id: r.get(0)?,
                at: get_ts(r, 1)?,
                applied: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|d| d.applied > 0)
        .collect();
    Ok(ProgressReport {
        labels: outcomes
            .iter()
            .map(|o| crate::rubric::outcome_label(o))
            .collect(),
        outcomes,
        weeks,
        dreams,
        guidance_per_week: MIN_SESSIONS_PER_WEEK as u32,
    })
}
