//! Links to managed agents, the sessions pulled, the store's documents as last written, the
//! conflicts found, and Anthropic dreams.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{get_opt_ts, get_ts, ts};
use crate::error::Result;
use crate::model::{ManagedLink, StoreConflict};

pub fn link(
    conn: &Connection,
    agent_id: i64,
    managed_agent_id: &str,
    name: &str,
    store: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    // Linking to another managed agent starts over: its sessions and documents are not these.
    let previous: Option<String> = conn
        .query_row(
            "SELECT managed_agent_id FROM managed_links WHERE agent_id = ?1",
            [agent_id],
            |r| r.get(0),
        )
        .optional()?;
    if previous.as_deref() != Some(managed_agent_id) {
        conn.execute(
            "DELETE FROM managed_sessions WHERE agent_id = ?1",
            [agent_id],
        )?;
    }
    conn.execute(
        "INSERT INTO managed_links (agent_id, managed_agent_id, managed_name, memory_store_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (agent_id) DO UPDATE SET managed_agent_id = ?2, managed_name = ?3,
            memory_store_id = COALESCE(?4, memory_store_id), last_error = NULL",
        params![agent_id, managed_agent_id, name, store, ts(now)],
    )?;
    Ok(())
}

/// Forget the link (the sessions and memory already in Reverie stay).
pub fn unlink(conn: &Connection, agent_id: i64) -> Result<bool> {
    for table in ["managed_sessions", "managed_documents", "managed_conflicts"] {
        conn.execute(
            &format!("DELETE FROM {table} WHERE agent_id = ?1"),
            [agent_id],
        )?;
    }
    Ok(conn.execute("DELETE FROM managed_links WHERE agent_id = ?1", [agent_id])? > 0)
}

pub fn get(conn: &Connection, agent_id: i64) -> Result<Option<ManagedLink>> {
    let link = conn
        .query_row(
            "SELECT a.slug, l.managed_agent_id, l.managed_name, l.memory_store_id, l.created_at,
                l.last_pull_at, l.last_push_at, l.last_error,
                (SELECT COUNT(*) FROM managed_sessions s WHERE s.agent_id = l.agent_id)
             FROM managed_links l JOIN agents a ON a.id = l.agent_id WHERE l.agent_id = ?1",
            [agent_id],
            |r| {
                Ok(ManagedLink {
                    agent: r.get(0)?,
                    managed_agent_id: r.get(1)?,
                    managed_name: r.get(2)?,
                    memory_store_id: r.get(3)?,
                    created_at: get_ts(r, 4)?,
                    last_pull_at: get_opt_ts(r, 5)?,
                    last_push_at: get_opt_ts(r, 6)?,
                    last_error: r.get(7)?,
                    sessions: r.get(8)?,
                    conflicts: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut link) = link else {
        return Ok(None);
    };
    link.conflicts = conflicts(conn, agent_id)?;
    Ok(Some(link))
}

/// Every linked agent's id, and the managed agent it is linked to.
pub fn all(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt =
        conn.prepare("SELECT agent_id, managed_agent_id FROM managed_links ORDER BY agent_id")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn set_store(conn: &Connection, agent_id: i64, store: &str) -> Result<()> {
    conn.execute(
        "UPDATE managed_links SET memory_store_id = ?2 WHERE agent_id = ?1",
        params![agent_id, store],
    )?;
    Ok(())
}

/// Record how a pull or push ended: `error` is `None` when it finished.
pub fn finished(
    conn: &Connection,
    agent_id: i64,
    pull: bool,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let column = if pull { "last_pull_at" } else { "last_push_at" };
    conn.execute(
        &format!(
            "UPDATE managed_links SET last_error = ?2,
                {column} = CASE WHEN ?2 IS NULL THEN ?3 ELSE {column} END
             WHERE agent_id = ?1"
        ),
        params![agent_id, error, ts(now)],
    )?;
    Ok(())
}

/// The `updated_at` a session had when it was last pulled.
pub fn pulled_at(conn: &Connection, agent_id: i64, session: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT updated_at FROM managed_sessions WHERE agent_id = ?1 AND session_id = ?2",
        )?
        .query_row(params![agent_id, session], |r| r.get(0))
        .optional()?)
}

pub fn mark_pulled(
    conn: &Connection,
    agent_id: i64,
    session: &str,
    updated_at: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO managed_sessions (agent_id, session_id, updated_at, pulled_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![agent_id, session, updated_at, ts(now)])?;
    Ok(())
}

/// The newest `n` pulled sessions' ids, newest first.
pub fn recent_sessions(conn: &Connection, agent_id: i64, n: u32) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT m.session_id FROM managed_sessions m
         JOIN sessions s ON s.agent_id = m.agent_id AND s.external_id = m.session_id
         WHERE m.agent_id = ?1 ORDER BY s.started_at DESC, m.session_id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![agent_id, n], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A document of the store as Reverie last wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub path: String,
    pub memory_id: String,
    pub content_sha256: String,
}

pub fn documents(conn: &Connection, agent_id: i64) -> Result<Vec<Written>> {
    let mut stmt = conn.prepare(
        "SELECT path, memory_id, content_sha256 FROM managed_documents WHERE agent_id = ?1 ORDER BY path",
    )?;
    let rows = stmt
        .query_map([agent_id], |r| {
            Ok(Written {
                path: r.get(0)?,
                memory_id: r.get(1)?,
                content_sha256: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[allow(clippy::too_many_arguments)]
pub fn wrote(
    conn: &Connection,
    agent_id: i64,
    path: &str,
    memory_id: &str,
    sha: &str,
    version_id: Option<&str>,
    reverie_version: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO managed_documents
            (agent_id, path, memory_id, content_sha256, memory_version_id, reverie_version, written_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![agent_id, path, memory_id, sha, version_id, reverie_version, ts(now)],
    )?;
    conn.execute(
        "DELETE FROM managed_conflicts WHERE agent_id = ?1 AND path = ?2",
        params![agent_id, path],
    )?;
    Ok(())
}

pub fn forget_document(conn: &Connection, agent_id: i64, path: &str) -> Result<()> {
    for table in ["managed_documents", "managed_conflicts"] {
        conn.execute(
            &format!("DELETE FROM {table} WHERE agent_id = ?1 AND path = ?2"),
            params![agent_id, path],
        )?;
    }
    Ok(())
}

/// Documents written before to a store the link no longer uses are not this store's.
pub fn forget_documents(conn: &Connection, agent_id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM managed_documents WHERE agent_id = ?1",
        [agent_id],
    )?;
    Ok(())
}

pub fn conflict(conn: &Connection, agent_id: i64, c: &StoreConflict) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO managed_conflicts (agent_id, path, ours, theirs, found_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![agent_id, c.path, c.ours, c.theirs, ts(c.found_at)],
    )?;
    Ok(())
}

pub fn conflicts(conn: &Connection, agent_id: i64) -> Result<Vec<StoreConflict>> {
    let mut stmt = conn.prepare(
        "SELECT path, ours, theirs, found_at FROM managed_conflicts WHERE agent_id = ?1 ORDER BY path",
    )?;
    let rows = stmt
        .query_map([agent_id], |r| {
            Ok(StoreConflict {
                path: r.get(0)?,
                ours: r.get(1)?,
                theirs: r.get(2)?,
                found_at: get_ts(r, 3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn add_dream(
    conn: &Connection,
    dream_id: i64,
    remote_id: &str,
    input_store: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO managed_dreams (dream_id, remote_id, input_store) VALUES (?1, ?2, ?3)",
        params![dream_id, remote_id, input_store],
    )?;
    Ok(())
}

pub fn set_output_store(conn: &Connection, dream_id: i64, store: &str) -> Result<()> {
    conn.execute(
        "UPDATE managed_dreams SET output_store = ?2 WHERE dream_id = ?1",
        params![dream_id, store],
    )?;
    Ok(())
}

/// An Anthropic dream's remote id and output store, if `dream_id` is one.
pub fn dream(conn: &Connection, dream_id: i64) -> Result<Option<(String, Option<String>, bool)>> {
    Ok(conn
        .query_row(
            "SELECT remote_id, output_store, cleaned_at IS NOT NULL FROM managed_dreams WHERE dream_id = ?1",
            [dream_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

pub fn cleaned(conn: &Connection, dream_id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE managed_dreams SET cleaned_at = ?2 WHERE dream_id = ?1",
        params![dream_id, ts(now)],
    )?;
    Ok(())
}
