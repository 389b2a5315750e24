//! Memory entries and their event log. Every change writes an event with a snapshot of the
//! entry before it, so memory has versions, an audit trail and exact undo.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{get_json, get_opt_ts, get_ts, to_json, ts};
use crate::error::{Error, Result};
use crate::model::{scope_label, MemoryEntry, MemoryEvent, MemoryEventKind, MemorySource, Scope};

const SELECT: &str =
    "SELECT id, content, scope, source, dream_id, session_ids, support, created_at, updated_at,
        deleted_at IS NOT NULL
     FROM memory_entries";

fn row_to_entry(row: &rusqlite::Row) -> rusqlite::Result<MemoryEntry> {
    let mut e = MemoryEntry {
        id: row.get(0)?,
        content: row.get(1)?,
        scope: get_json(row, 2)?,
        scope_label: String::new(),
        source: row.get(3)?,
        dream_id: row.get(4)?,
        session_ids: get_json(row, 5)?,
        support: row.get(6)?,
        created_at: get_ts(row, 7)?,
        updated_at: get_ts(row, 8)?,
    };
    e.scope_label = scope_label(&e.scope);
    Ok(e)
}

/// Live entries of an agent, team-wide first, then by scope and age.
pub fn list(conn: &Connection, agent_id: i64) -> Result<Vec<MemoryEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE agent_id = ?1 AND deleted_at IS NULL ORDER BY scope != '{{}}', scope, created_at, id"
    ))?;
    let rows = stmt
        .query_map([agent_id], row_to_entry)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// An entry, live or removed.
pub fn get(conn: &Connection, agent_id: i64, entry_id: i64) -> Result<(MemoryEntry, bool)> {
    conn.query_row(
        &format!("{SELECT} WHERE agent_id = ?1 AND id = ?2"),
        params![agent_id, entry_id],
        |r| Ok((row_to_entry(r)?, r.get::<_, bool>(9)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("this agent has no memory entry #{entry_id}")))
}

/// The agent's memory version: how many changes memory has had.
pub fn version(conn: &Connection, agent_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(MAX(version), 0) FROM memory_events WHERE agent_id = ?1")?
        .query_row([agent_id], |r| r.get(0))?)
}

/// What an event's `before_row` keeps of an entry: enough to put it back exactly.
#[derive(serde::Deserialize)]
struct Snapshot {
    content: String,
    scope: Scope,
    source: MemorySource,
    dream_id: Option<i64>,
    session_ids: Vec<String>,
    support: u32,
    updated_at: DateTime<Utc>,
}

/// Who and what caused a change.
#[derive(Debug, Clone, Default)]
pub struct Cause {
    pub actor: String,
    pub dream_id: Option<i64>,
    pub proposal_id: Option<i64>,
}

impl Cause {
    pub fn person() -> Cause {
        Cause {
            actor: "person".into(),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewEntry {
    pub content: String,
    pub scope: Scope,
    pub source: MemorySource,
    pub session_ids: Vec<String>,
}

fn check_content(content: &str) -> Result<&str> {
    let c = content.trim();
    if c.is_empty() {
        return Err(Error::invalid(
            "a memory entry needs some text: one short statement in plain language",
        ));
    }
    if c.chars().count() > 2000 {
        return Err(Error::invalid(
            "a memory entry is limited to 2,000 characters; split it into shorter statements",
        ));
    }
    Ok(c)
}

/// Writes changes to one agent's memory, each with its event, for one cause at one time.
pub struct Writer<'c> {
    pub conn: &'c Connection,
    pub agent_id: i64,
    pub cause: Cause,
    pub now: DateTime<Utc>,
}

/// The entry as it was before a change (`None` for an add) and whether it was removed then.
type Before<'a> = Option<(&'a MemoryEntry, bool)>;

impl Writer<'_> {
    fn record(
        &self,
        entry_id: i64,
        kind: MemoryEventKind,
        before: Before,
        after: Option<&str>,
    ) -> Result<i64> {
        let v = version(self.conn, self.agent_id)? + 1;
        let snapshot = before.map(|(e, deleted)| {
            let mut v = serde_json::to_value(e).expect("entry serializes");
            v["deleted"] = serde_json::Value::Bool(deleted);
            v.to_string()
        });
        self.conn
            .prepare_cached(
                "INSERT INTO memory_events (agent_id, version, entry_id, kind, before, after, before_row, dream_id, proposal_id, actor, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                self.agent_id,
                v,
                entry_id,
                kind,
                before.map(|(e, _)| e.content.as_str()),
                after,
                snapshot,
                self.cause.dream_id,
                self.cause.proposal_id,
                self.cause.actor,
                ts(self.now)
            ])?;
        Ok(v)
    }

    pub fn add(&self, entry: &NewEntry) -> Result<i64> {
        let content = check_content(&entry.content)?;
        self.conn
            .prepare_cached(
                "INSERT INTO memory_entries (agent_id, content, scope, source, dream_id, session_ids, support, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?
            .execute(params![
                self.agent_id,
                content,
                to_json(&entry.scope),
                entry.source,
                self.cause.dream_id,
                to_json(&entry.session_ids),
                entry.session_ids.len() as i64,
                ts(self.now)
            ])?;
        let id = self.conn.last_insert_rowid();
        self.record(id, MemoryEventKind::Add, None, Some(content))?;
        Ok(id)
    }

    /// Change an entry's text and scope (a person's edit, or a dream's refine / merge).
    pub fn edit(
        &self,
        entry_id: i64,
        content: &str,
        scope: &Scope,
        kind: MemoryEventKind,
    ) -> Result<()> {
        let content = check_content(content)?;
        let (before, deleted) = get(self.conn, self.agent_id, entry_id)?;
        if deleted {
            return Err(Error::ChangedSince(format!(
                "memory entry #{entry_id} was removed; it cannot be edited"
            )));
        }
        self.conn.execute(
            "UPDATE memory_entries SET content = ?2, scope = ?3, updated_at = ?4,
                dream_id = COALESCE(?5, dream_id) WHERE id = ?1",
            params![
                entry_id,
                content,
                to_json(scope),
                ts(self.now),
                self.cause.dream_id
            ],
        )?;
        self.record(entry_id, kind, Some((&before, false)), Some(content))?;
        Ok(())
    }

    pub fn remove(&self, entry_id: i64, kind: MemoryEventKind) -> Result<()> {
        let (before, deleted) = get(self.conn, self.agent_id, entry_id)?;
        if deleted {
            return Err(Error::ChangedSince(format!(
                "memory entry #{entry_id} was already removed"
            )));
        }
        self.conn.execute(
            "UPDATE memory_entries SET deleted_at = ?2 WHERE id = ?1",
            params![entry_id, ts(self.now)],
        )?;
        self.record(entry_id, kind, Some((&before, false)), None)?;
        Ok(())
    }

    /// Put an entry back exactly as it was before the event `event_version` (or remove it,
    /// for an `add`). Used by undo; recorded as a `restore` event.
    pub fn revert_event(&self, event_version: i64) -> Result<i64> {
        let (entry_id, kind, before_row): (i64, MemoryEventKind, Option<String>) = self.conn.query_row(
            "SELECT entry_id, kind, before_row FROM memory_events WHERE agent_id = ?1 AND version = ?2",
            params![self.agent_id, event_version],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let (current, current_deleted) = get(self.conn, self.agent_id, entry_id)?;
        let now = ts(self.now);
        let after = match (kind, before_row) {
            (MemoryEventKind::Add, _) | (_, None) => {
                self.conn.execute(
                    "UPDATE memory_entries SET deleted_at = ?2 WHERE id = ?1",
                    params![entry_id, now],
                )?;
                None
            }
            (_, Some(row)) => {
                let unreadable = |e: serde_json::Error| {
                    Error::Internal(format!("memory history is unreadable: {e}"))
                };
                let v: serde_json::Value = serde_json::from_str(&row).map_err(unreadable)?;
                let was_deleted = v["deleted"].as_bool().unwrap_or(false);
                let before: Snapshot = serde_json::from_value(v).map_err(unreadable)?;
                self.conn.execute(
                    "UPDATE memory_entries SET content = ?2, scope = ?3, source = ?4, dream_id = ?5,
                        session_ids = ?6, support = ?7, updated_at = ?8,
                        deleted_at = CASE WHEN ?9 THEN COALESCE(deleted_at, ?10) ELSE NULL END
                     WHERE id = ?1",
                    params![
                        entry_id,
                        before.content,
                        to_json(&before.scope),
                        before.source,
                        before.dream_id,
                        to_json(&before.session_ids),
                        before.support,
                        ts(before.updated_at),
                        was_deleted,
                        now
                    ],
                )?;
                (!was_deleted).then_some(before.content)
            }
        };
        self.record(
            entry_id,
            MemoryEventKind::Restore,
            Some((&current, current_deleted)),
            after.as_deref(),
        )
    }
}

/// Who made a change, after "by": the person at the app is "you"; dreams go by the agent's
/// own count ("Dream 3").
fn who(actor: &str, dream: Option<i64>) -> String {
    match (actor, dream) {
        ("person", Some(n)) => format!("you, from Dream {n}"),
        ("person", None) => "you".into(),
        ("auto_apply", Some(n)) => format!("Dream {n}, automatically"),
        ("undo", Some(n)) => format!("you, undoing Dream {n}"),
        ("undo", None) => "you, undoing a change".into(),
        ("import", _) => "an import from a file".into(),
        ("demo", _) => "the demo's team".into(),
        (other, Some(n)) => format!("{other} (Dream {n})"),
        (other, None) => other.replace('_', " "),
    }
}

/// Memory's history, newest first.
pub fn history(conn: &Connection, agent_id: i64, limit: u32) -> Result<Vec<MemoryEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, entry_id, kind, before, after, dream_id, proposal_id, actor, at,
            (SELECT COUNT(*) FROM dreams d2, dreams d
             WHERE d.id = e.dream_id AND d2.agent_id = d.agent_id AND d2.id <= d.id)
         FROM memory_events e WHERE agent_id = ?1 ORDER BY version DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![agent_id, limit], |r| {
            let actor: String = r.get(7)?;
            let dream: Option<i64> = r.get(5)?;
            let number: i64 = r.get(9)?;
            Ok(MemoryEvent {
                who: who(&actor, dream.map(|_| number)),
                version: r.get(0)?,
                entry_id: r.get(1)?,
                kind: r.get(2)?,
                before: r.get(3)?,
                after: r.get(4)?,
                dream_id: r.get(5)?,
                proposal_id: r.get(6)?,
                actor,
                at: get_ts(r, 8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// When an entry was last removed, for "removed entries" views.
pub fn removed_at(conn: &Connection, entry_id: i64) -> Result<Option<DateTime<Utc>>> {
    Ok(conn
        .query_row(
            "SELECT deleted_at FROM memory_entries WHERE id = ?1",
            [entry_id],
            |r| get_opt_ts(r, 0),
        )
        .optional()?
        .flatten())
}

/// The memory events a dream made (`version`, `entry_id`), newest first; restores and the
/// changes already undone one by one left out.
pub fn events_of_dream(conn: &Connection, agent_id: i64, dream_id: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT version, entry_id FROM memory_events WHERE agent_id = ?1 AND dream_id = ?2 AND kind != 'restore'
           AND undone_by IS NULL
         ORDER BY version DESC",
    )?;
    let rows = stmt.query_map(params![agent_id, dream_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first change (`version`, `entry_id`) after `version` to any of `entries` that another
/// cause than `dream_id` made.
pub fn later_change(
    conn: &Connection,
    agent_id: i64,
    version: i64,
    dream_id: i64,
    entries: &[i64],
) -> Result<Option<(i64, i64)>> {
    let placeholders = vec!["?"; entries.len()].join(",");
    Ok(conn
        .query_row(
            &format!(
                "SELECT version, entry_id FROM memory_events WHERE agent_id = ? AND version > ?
                 AND (dream_id IS NULL OR dream_id != ?) AND entry_id IN ({placeholders}) ORDER BY version LIMIT 1"
            ),
            rusqlite::params_from_iter(
                [agent_id, version, dream_id]
                    .into_iter()
                    .chain(entries.iter().copied()),
            ),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The memory events one applied proposal made and that still stand, newest first.
pub fn events_of_proposal(
    conn: &Connection,
    agent_id: i64,
    proposal_id: i64,
) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT version, entry_id FROM memory_events WHERE agent_id = ?1 AND proposal_id = ?2
           AND kind != 'restore' AND undone_by IS NULL
         ORDER BY version DESC",
    )?;
    let rows = stmt.query_map(params![agent_id, proposal_id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first change (`version`, `entry_id`) after `version` to any of `entries` that did not
/// come from proposal `proposal_id`.
pub fn later_change_by_others(
    conn: &Connection,
    agent_id: i64,
    version: i64,
    proposal_id: i64,
    entries: &[i64],
) -> Result<Option<(i64, i64)>> {
    let placeholders = vec!["?"; entries.len()].join(",");
    Ok(conn
        .query_row(
            &format!(
                "SELECT version, entry_id FROM memory_events WHERE agent_id = ? AND version > ?
                 AND (proposal_id IS NULL OR proposal_id != ?) AND entry_id IN ({placeholders}) ORDER BY version LIMIT 1"
            ),
            rusqlite::params_from_iter(
                [agent_id, version, proposal_id]
                    .into_iter()
                    .chain(entries.iter().copied()),
            ),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Record that the event `version` was undone on its own by the restore `restore`.
pub fn mark_undone(conn: &Connection, agent_id: i64, version: i64, restore: i64) -> Result<()> {
    conn.execute(
        "UPDATE memory_events SET undone_by = ?3 WHERE agent_id = ?1 AND version = ?2",
        params![agent_id, version, restore],
    )?;
    Ok(())
}
