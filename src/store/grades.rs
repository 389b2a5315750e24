//! Grades: how each session did on each rubric outcome, and who decided.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::ts;
use crate::error::Result;
use crate::model::Grade;

/// Store (or replace) a session's grades, decided at `now` (by `dream_id`, if a dream did).
pub fn put(
    conn: &Connection,
    session_rowid: i64,
    grades: &[Grade],
    dream_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut put = conn.prepare_cached(
        "INSERT OR REPLACE INTO grades (session_id, outcome, value, source, reason, dream_id, graded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let at = ts(now);
    for g in grades {
        put.execute(params![
            session_rowid,
            g.outcome,
            g.value,
            g.source,
            g.reason,
            dream_id,
            at
        ])?;
    }
    Ok(())
}

/// A session's grades, by outcome name.
pub fn of_session(conn: &Connection, session_rowid: i64) -> Result<Vec<Grade>> {
    let mut stmt = conn.prepare_cached(
        "SELECT outcome, value, source, reason FROM grades WHERE session_id = ?1 ORDER BY outcome",
    )?;
    let rows = stmt
        .query_map([session_rowid], |r| {
            let outcome: String = r.get(0)?;
            Ok(Grade {
                label: crate::rubric::outcome_label(&outcome),
                outcome,
                value: r.get(1)?,
                source: r.get(2)?,
                reason: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
