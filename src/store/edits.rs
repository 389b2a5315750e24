//! What a person changes on a session in the app: verdicts, a comment, tags, and the messages a
//! chat adds. Kept apart from what an import brought (feedback rows carry their origin, tag
//! changes live beside the imported tags), so a re-import never erases them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{get_json, to_json, ts};
use crate::error::{Error, Result};
use crate::model::{Message, Role, Scope, Verdict};

/// A person's tag changes: a value, or `None` for "removed".
pub type TagEdits = BTreeMap<String, Option<String>>;

/// Imported tags with a person's changes applied.
pub fn apply(imported: &Scope, edits: &TagEdits) -> Scope {
    let mut tags = imported.clone();
    for (k, v) in edits {
        match v {
            Some(v) => {
                tags.insert(k.clone(), v.clone());
            }
            None => {
                tags.remove(k);
            }
        }
    }
    tags
}

/// The row id of an agent's session, or a plain not-found error.
pub fn rowid(conn: &Connection, agent_id: i64, id: &str) -> Result<i64> {
    conn.prepare_cached("SELECT id FROM sessions WHERE agent_id = ?1 AND external_id = ?2")?
        .query_row(params![agent_id, id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("there is no session \"{id}\" for this agent")))
}

/// Row ids of the agent's sessions imported from `file`.
pub fn from_file(conn: &Connection, agent_id: i64, file: &str) -> Result<Vec<i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT id FROM sessions WHERE agent_id = ?1 AND file = ?2 ORDER BY id")?;
    let rows = stmt
        .query_map(params![agent_id, file], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Files the agent's sessions came from, with how many sessions each.
pub fn files(conn: &Connection, agent_id: i64) -> Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT file, COUNT(*) FROM sessions WHERE agent_id = ?1 AND file IS NOT NULL
         GROUP BY file ORDER BY MAX(imported_at) DESC",
    )?;
    let rows = stmt
        .query_map([agent_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The role of message `idx`, if the session has one.
fn role_of(conn: &Connection, rowid: i64, idx: u32) -> Result<Option<(Role, String)>> {
    Ok(conn
        .prepare_cached("SELECT role, content FROM messages WHERE session_id = ?1 AND idx = ?2")?
        .query_row(params![rowid, idx], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A person's verdict on one assistant message, or `None` to clear it. It replaces whatever
/// verdict the message had, imported or not.
pub fn set_feedback(
    conn: &Connection,
    rowid: i64,
    message: u32,
    verdict: Option<(Verdict, Option<&str>, Option<&str>)>,
) -> Result<()> {
    let Some((role, draft)) = role_of(conn, rowid, message)? else {
        return Err(Error::invalid_field(
            "message",
            format!("the session has no message {message}"),
        ));
    };
    if role != Role::Assistant {
        return Err(Error::invalid_field(
            "message",
            format!("message {message} is the {role}'s; feedback is for the agent's answers"),
        ));
    }
    conn.prepare_cached("DELETE FROM feedback WHERE session_id = ?1 AND message_idx = ?2")?
        .execute(params![rowid, message])?;
    let Some((verdict, final_text, comment)) = verdict else {
        // A row with no verdict keeps an imported verdict cleared through later re-imports.
        conn.prepare_cached(
            "INSERT INTO feedback (session_id, message_idx, verdict, origin) VALUES (?1, ?2, NULL, 'person')",
        )?
        .execute(params![rowid, message])?;
        clear_grades(conn, rowid)?;
        return Ok(());
    };
    let final_text = final_text.map(str::trim).filter(|t| !t.is_empty());
    let comment = comment.map(str::trim).filter(|t| !t.is_empty());
    let final_text = match verdict {
        Verdict::Revised => {
            let Some(t) = final_text else {
                return Err(Error::invalid_field(
                    "final_text",
                    "a revised answer needs the text you used instead",
                ));
            };
            if t == draft.trim() {
                return Err(Error::invalid_field(
                    "final_text",
                    "the text you used is the answer as written; mark it accepted instead",
                ));
            }
            Some(t)
        }
        _ => None,
    };
    conn.prepare_cached(
        "INSERT INTO feedback (session_id, message_idx, verdict, final_text, comment, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, 'person')",
    )?
    .execute(params![rowid, message, verdict, final_text, comment])?;
    clear_grades(conn, rowid)
}

/// The grades came from the old verdicts; the next dream grades again.
fn clear_grades(conn: &Connection, rowid: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM grades WHERE session_id = ?1")?
        .execute([rowid])?;
    Ok(())
}

/// A person's comment on the whole session, or `None` to clear it.
pub fn set_comment(conn: &Connection, rowid: i64, comment: Option<&str>) -> Result<()> {
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    conn.prepare_cached("UPDATE sessions SET comment = ?2 WHERE id = ?1")?
        .execute(params![rowid, comment])?;
    Ok(())
}

/// Set (or with `None` remove) one tag of a session; imported tags are changed too, and the
/// change outlives a re-import.
pub fn set_tag(conn: &Connection, rowid: i64, key: &str, value: Option<&str>) -> Result<()> {
    let (imported, edits): (Scope, TagEdits) = conn
        .prepare_cached("SELECT import_tags, tag_edits FROM sessions WHERE id = ?1")?
        .query_row([rowid], |r| Ok((get_json(r, 0)?, get_json(r, 1)?)))?;
    let mut edits = edits;
    edits.insert(key.to_string(), value.map(str::to_string));
    // An edit that only repeats the import is no edit.
    edits.retain(|k, v| imported.get(k) != v.as_ref());
    let tags = apply(&imported, &edits);
    conn.prepare_cached("UPDATE sessions SET tags = ?2, tag_edits = ?3 WHERE id = ?1")?
        .execute(params![rowid, to_json(&tags), to_json(&edits)])?;
    Ok(())
}

/// A new session started in the app (a chat), with no messages yet.
pub fn create(
    conn: &Connection,
    agent_id: i64,
    id: &str,
    tags: &Scope,
    user: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO sessions (agent_id, external_id, started_at, user, tags, import_tags, tag_edits,
            source, message_count, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?6, 'chat', 0, ?3)",
    )?
    .execute(params![
        agent_id,
        id,
        ts(now),
        user,
        to_json(tags),
        // In-app tags are a person's own: kept like any tag edit.
        to_json(
            &tags
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect::<TagEdits>()
        )
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Add a message at the end of a session; returns its index.
pub fn append_message(
    conn: &Connection,
    rowid: i64,
    m: &Message,
    now: DateTime<Utc>,
) -> Result<u32> {
    let idx: u32 = conn
        .prepare_cached("SELECT COALESCE(MAX(idx) + 1, 0) FROM messages WHERE session_id = ?1")?
        .query_row([rowid], |r| r.get(0))?;
    super::sessions::insert_message(conn, rowid, idx, m)?;
    conn.prepare_cached(
        "UPDATE sessions SET message_count = ?2, ended_at = ?3, imported_at = ?3,
            preview = CASE WHEN preview = '' AND ?4 = 'user' THEN ?5 ELSE preview END
         WHERE id = ?1",
    )?
    .execute(params![
        rowid,
        idx + 1,
        ts(now),
        m.role,
        super::sessions::preview_of(&m.content)
    ])?;
    // Graded from fewer messages than it now has.
    clear_grades(conn, rowid)?;
    Ok(idx)
}
