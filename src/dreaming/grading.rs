//! Stable grades: every session is graded once, as a dream would grade it, and again only
//! when its feedback or the agent's rubric changes (both delete its grades). Progress reads
//! these stored grades; a dream never rewrites them.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::store::{agents, grades, memory, sessions};

use super::offline::effect;

/// Grade the agent's sessions that have no grades yet; returns how many were graded. Called
/// wherever sessions arrive (import, sources, chat, team runs, pulls), and again before
/// progress is read in case something arrived another way.
pub fn ensure(conn: &Connection, agent: &str, now: DateTime<Utc>) -> Result<usize> {
    ensure_id(conn, agents::id_of(conn, agent)?, now)
}

/// [`ensure`] for an agent known by its row id.
pub fn ensure_id(conn: &Connection, agent_id: i64, now: DateTime<Utc>) -> Result<usize> {
    let span: Option<(String, String)> = conn.query_row(
        "SELECT MIN(s.started_at), MAX(s.started_at) FROM sessions s
         WHERE s.agent_id = ?1 AND NOT EXISTS (SELECT 1 FROM grades g WHERE g.session_id = s.id)",
        [agent_id],
        |r| {
            Ok(r.get::<_, Option<String>>(0)?
                .zip(r.get::<_, Option<String>>(1)?))
        },
    )?;
    let Some((from, to)) = span else {
        return Ok(0);
    };
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let (list, rowids) = sessions::window(conn, agent_id, parse(&from), parse(&to))?;
    let graded: std::collections::HashSet<i64> = conn
        .prepare("SELECT DISTINCT g.session_id FROM grades g JOIN sessions s ON s.id = g.session_id WHERE s.agent_id = ?1")?
        .query_map([agent_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let todo: Vec<_> = list
        .into_iter()
        .filter(|s| rowids.get(&s.id).is_some_and(|r| !graded.contains(r)))
        .collect();
    if todo.is_empty() {
        return Ok(0);
    }
    let slug: String =
        conn.query_row("SELECT slug FROM agents WHERE id = ?1", [agent_id], |r| {
            r.get(0)
        })?;
    let rubric = agents::rubric(conn, &slug)?;
    let entries = memory::list(conn, agent_id)?;
    let tx = conn.unchecked_transaction()?;
    for (id, g) in effect::grade_sessions(&rubric, &entries, &todo) {
        if let Some(&rowid) = rowids.get(&id) {
            grades::put(&tx, rowid, &g, None, now)?;
        }
    }
    tx.commit()?;
    Ok(todo.len())
}

/// The rubric changed: every session of the agent is graded again.
pub fn forget(conn: &Connection, agent: &str) -> Result<()> {
    let agent_id = agents::id_of(conn, agent)?;
    conn.execute(
        "DELETE FROM grades WHERE session_id IN (SELECT id FROM sessions WHERE agent_id = ?1)",
        [agent_id],
    )?;
    Ok(())
}
