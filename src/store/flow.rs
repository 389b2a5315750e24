//! Sources, the files seen in them, and destinations.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{get_json, get_opt_ts, get_ts, to_json, ts};
use crate::error::{Error, Result};
use crate::model::{
    scope_label, Destination, DestinationKind, FileProblem, LineError, Scope, Source,
};

const SOURCE_COLS: &str = "s.id, a.slug, s.path, s.tags, s.format, s.created_at, s.last_sync_at,
    (SELECT COUNT(*) FROM source_files f WHERE f.source_id = s.id),
    (SELECT COALESCE(SUM(f.sessions), 0) FROM source_files f WHERE f.source_id = s.id)";

fn row_to_source(r: &rusqlite::Row) -> rusqlite::Result<Source> {
    let tags: Scope = get_json(r, 3)?;
    let format: Option<String> = r.get(4)?;
    Ok(Source {
        id: r.get(0)?,
        agent: r.get(1)?,
        path: r.get(2)?,
        tags_label: scope_label(&tags),
        tags,
        format: format.and_then(|f| f.parse().ok()),
        created_at: get_ts(r, 5)?,
        last_sync_at: get_opt_ts(r, 6)?,
        files: r.get(7)?,
        sessions: r.get(8)?,
        problems: Vec::new(),
    })
}

fn problems(conn: &Connection, source: i64) -> Result<Vec<FileProblem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT path, errors FROM source_files WHERE source_id = ?1 AND errors != '[]' ORDER BY path",
    )?;
    let rows = stmt
        .query_map([source], |r| {
            Ok(FileProblem {
                file: r.get(0)?,
                errors: get_json(r, 1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Sources of one agent (`Some(agent_id)`) or of all, oldest first.
pub fn sources(conn: &Connection, agent_id: Option<i64>) -> Result<Vec<Source>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SOURCE_COLS} FROM sources s JOIN agents a ON a.id = s.agent_id
         WHERE ?1 IS NULL OR s.agent_id = ?1 ORDER BY s.id"
    ))?;
    let mut out: Vec<Source> = stmt
        .query_map([agent_id], row_to_source)?
        .collect::<rusqlite::Result<_>>()?;
    for s in &mut out {
        s.problems = problems(conn, s.id)?;
    }
    Ok(out)
}

pub fn source(conn: &Connection, id: i64) -> Result<Source> {
    let mut s = conn
        .query_row(
            &format!(
                "SELECT {SOURCE_COLS} FROM sources s JOIN agents a ON a.id = s.agent_id WHERE s.id = ?1"
            ),
            [id],
            row_to_source,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("there is no source #{id}")))?;
    s.problems = problems(conn, id)?;
    Ok(s)
}

pub fn add_source(
    conn: &Connection,
    agent_id: i64,
    path: &str,
    tags: &Scope,
    format: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM sources WHERE agent_id = ?1 AND path = ?2",
            params![agent_id, path],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = exists {
        return Err(Error::AlreadyExists(format!(
            "{path} is already a source of this agent (#{id})"
        )));
    }
    conn.execute(
        "INSERT INTO sources (agent_id, path, tags, format, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![agent_id, path, to_json(tags), format, ts(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn remove_source(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM sources WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound(format!("there is no source #{id}")));
    }
    Ok(())
}

/// A file of a source as last read: size and modification time.
pub fn file_seen(conn: &Connection, source: i64, path: &str) -> Result<Option<(u64, String)>> {
    Ok(conn
        .prepare_cached("SELECT size, mtime FROM source_files WHERE source_id = ?1 AND path = ?2")?
        .query_row(params![source, path], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

#[allow(clippy::too_many_arguments)] // one row, column by column
pub fn record_file(
    conn: &Connection,
    source: i64,
    path: &str,
    size: u64,
    mtime: &str,
    sessions: u64,
    errors: &[LineError],
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO source_files (source_id, path, size, mtime, sessions, errors, synced_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (source_id, path) DO UPDATE SET size = ?3, mtime = ?4, sessions = ?5,
            errors = ?6, synced_at = ?7",
    )?
    .execute(params![
        source,
        path,
        size,
        mtime,
        sessions,
        to_json(&errors),
        ts(now)
    ])?;
    Ok(())
}

/// Files a source no longer has (deleted) are forgotten; their sessions stay.
pub fn forget_files(conn: &Connection, source: i64, keep: &[String]) -> Result<()> {
    let mut stmt = conn.prepare_cached("SELECT path FROM source_files WHERE source_id = ?1")?;
    let known: Vec<String> = stmt
        .query_map([source], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for p in known.iter().filter(|p| !keep.contains(p)) {
        conn.prepare_cached("DELETE FROM source_files WHERE source_id = ?1 AND path = ?2")?
            .execute(params![source, p])?;
    }
    Ok(())
}

pub fn synced(conn: &Connection, source: i64, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE sources SET last_sync_at = ?2 WHERE id = ?1")?
        .execute(params![source, ts(now)])?;
    Ok(())
}

const DEST_COLS: &str = "d.id, a.slug, d.path, d.kind, d.tags, d.created_at, d.last_written_at,
    d.last_error";

fn row_to_destination(r: &rusqlite::Row) -> rusqlite::Result<Destination> {
    let tags: Scope = get_json(r, 4)?;
    Ok(Destination {
        id: r.get(0)?,
        agent: r.get(1)?,
        path: r.get(2)?,
        kind: r.get(3)?,
        tags_label: scope_label(&tags),
        tags,
        created_at: get_ts(r, 5)?,
        last_written_at: get_opt_ts(r, 6)?,
        last_error: r.get(7)?,
    })
}

pub fn destinations(conn: &Connection, agent_id: Option<i64>) -> Result<Vec<Destination>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DEST_COLS} FROM destinations d JOIN agents a ON a.id = d.agent_id
         WHERE ?1 IS NULL OR d.agent_id = ?1 ORDER BY d.id"
    ))?;
    let rows = stmt
        .query_map([agent_id], row_to_destination)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn destination(conn: &Connection, id: i64) -> Result<Destination> {
    conn.query_row(
        &format!(
            "SELECT {DEST_COLS} FROM destinations d JOIN agents a ON a.id = d.agent_id WHERE d.id = ?1"
        ),
        [id],
        row_to_destination,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("there is no destination #{id}")))
}

pub fn add_destination(
    conn: &Connection,
    agent_id: i64,
    path: &str,
    kind: DestinationKind,
    tags: &Scope,
    now: DateTime<Utc>,
) -> Result<i64> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM destinations WHERE agent_id = ?1 AND path = ?2",
            params![agent_id, path],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = exists {
        return Err(Error::AlreadyExists(format!(
            "this agent already publishes to {path} (#{id})"
        )));
    }
    conn.execute(
        "INSERT INTO destinations (agent_id, path, kind, tags, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![agent_id, path, kind, to_json(tags), ts(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn remove_destination(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM destinations WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound(format!("there is no destination #{id}")));
    }
    Ok(())
}

/// The hash of what was last written to a destination, if anything was.
pub fn last_hash(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT last_hash FROM destinations WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

pub fn written(conn: &Connection, id: i64, hash: &str, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE destinations SET last_hash = ?2, last_written_at = ?3, last_error = NULL WHERE id = ?1",
    )?
    .execute(params![id, hash, ts(now)])?;
    Ok(())
}

pub fn failed(conn: &Connection, id: i64, error: &str) -> Result<()> {
    conn.prepare_cached("UPDATE destinations SET last_error = ?2 WHERE id = ?1")?
        .execute(params![id, error])?;
    Ok(())
}
