//! Sessions: their transcripts, feedback and grades.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, ToSql};

use super::{get_json, get_opt_ts, get_ts, to_json, ts};
use crate::dreaming::offline::DreamSession;
use crate::error::{Error, Result};
use crate::import::record::SessionRecord;
use crate::model::{Feedback, Message, Role, Session, SessionFilter, SessionPage, SessionSummary};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Inserted,
    Updated,
}

const PREVIEW_CHARS: usize = 140;

fn preview(messages: &[Message]) -> String {
    let first = messages
        .iter()
        .find(|m| m.role == Role::User)
        .or(messages.first())
        .map(|m| m.content.as_str())
        .unwrap_or("");
    preview_of(first)
}

/// A message shortened to a list row's preview.
pub(crate) fn preview_of(first: &str) -> String {
    let flat = first.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > PREVIEW_CHARS {
        let cut: String = flat.chars().take(PREVIEW_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        flat
    }
}

/// Insert or replace one session (idempotent by agent and id). Call inside a transaction or
/// savepoint: children are deleted and rewritten.
pub fn upsert(
    conn: &Connection,
    agent_id: i64,
    rec: &SessionRecord,
    source: &str,
    file: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Upserted> {
    let existing: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT id, tag_edits FROM sessions WHERE agent_id = ?1 AND external_id = ?2",
        )?
        .query_row(params![agent_id, rec.id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    // A person's tag changes in the app outlive any re-import.
    let edits: super::edits::TagEdits = existing
        .as_ref()
        .and_then(|(_, e)| serde_json::from_str(e).ok())
        .unwrap_or_default();
    let tags = to_json(&super::edits::apply(&rec.tags, &edits));
    let import_tags = to_json(&rec.tags);
    let outcomes = to_json(&rec.outcomes);
    let extra = to_json(&rec.extra);
    let pv = preview(&rec.messages);
    let (session_id, result) = match existing {
        Some((id, _)) => {
            conn.prepare_cached(
                "UPDATE sessions SET started_at = ?2, ended_at = ?3, user = ?4, tags = ?5, outcomes = ?6,
                    extra = ?7, source = ?8, preview = ?9, message_count = ?10, imported_at = ?11,
                    import_tags = ?12, file = COALESCE(?13, file)
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                ts(rec.started_at),
                rec.ended_at.map(ts),
                rec.user,
                tags,
                outcomes,
                extra,
                source,
                pv,
                rec.messages.len() as i64,
                ts(now),
                import_tags,
                file
            ])?;
            conn.prepare_cached("DELETE FROM messages WHERE session_id = ?1")?
                .execute([id])?;
            // What the last import brought goes; what a person gave in the app stays.
            conn.prepare_cached(
                "DELETE FROM feedback WHERE session_id = ?1 AND origin = 'import'",
            )?
            .execute([id])?;
            // Grades were computed from the old transcript; the next dream regrades.
            conn.prepare_cached("DELETE FROM grades WHERE session_id = ?1")?
                .execute([id])?;
            (id, Upserted::Updated)
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO sessions (agent_id, external_id, started_at, ended_at, user, tags, outcomes,
                    extra, source, preview, message_count, imported_at, import_tags, file)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                agent_id,
                rec.id,
                ts(rec.started_at),
                rec.ended_at.map(ts),
                rec.user,
                tags,
                outcomes,
                extra,
                source,
                pv,
                rec.messages.len() as i64,
                ts(now),
                import_tags,
                file
            ])?;
            (conn.last_insert_rowid(), Upserted::Inserted)
        }
    };
    for (i, m) in rec.messages.iter().enumerate() {
        insert_message(conn, session_id, i as u32, m)?;
    }
    // A verdict a person gave in the app for the same message wins over the imported one.
    let mut insert_fb = conn.prepare_cached(
        "INSERT OR IGNORE INTO feedback (session_id, message_idx, verdict, final_text, comment, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, 'import')",
    )?;
    for f in &rec.feedback {
        insert_fb.execute(params![
            session_id,
            f.message,
            f.verdict,
            f.final_text,
            f.comment
        ])?;
    }
    Ok(result)
}

/// Store one message of a session at `idx`.
pub fn insert_message(conn: &Connection, session_rowid: i64, idx: u32, m: &Message) -> Result<()> {
    let calls = (!m.tool_calls.is_empty()).then(|| to_json(&m.tool_calls));
    conn.prepare_cached(
        "INSERT INTO messages (session_id, idx, role, content, tool_calls, stopped)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        session_rowid,
        idx,
        m.role,
        m.content,
        calls,
        m.stopped
    ])?;
    Ok(())
}

const SUMMARY_COLS: &str =
    "s.external_id, a.slug, s.started_at, s.ended_at, s.user, s.tags, s.message_count, s.preview,
    (SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id AND f.verdict = 'accepted'),
    (SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id AND f.verdict = 'revised'),
    (SELECT COUNT(*) FROM feedback f WHERE f.session_id = s.id AND f.verdict = 'rejected'),
    s.id";

fn row_to_summary(row: &rusqlite::Row) -> rusqlite::Result<(SessionSummary, i64)> {
    let tags: crate::model::Scope = get_json(row, 5)?;
    Ok((
        SessionSummary {
            id: row.get(0)?,
            agent: row.get(1)?,
            started_at: get_ts(row, 2)?,
            ended_at: get_opt_ts(row, 3)?,
            user: row.get(4)?,
            tags_label: crate::model::scope_label(&tags),
            tags,
            message_count: row.get(6)?,
            preview: row.get(7)?,
            accepted: row.get(8)?,
            revised: row.get(9)?,
            rejected: row.get(10)?,
        },
        row.get(11)?,
    ))
}

/// Sessions of an agent, newest first, narrowed by `filter`.
pub fn list(conn: &Connection, agent: &str, filter: &SessionFilter) -> Result<SessionPage> {
    let agent_id = super::agents::id_of(conn, agent)?;
    let mut wheres = vec!["s.agent_id = ?".to_string()];
    let mut args: Vec<Box<dyn ToSql>> = vec![Box::new(agent_id)];
    if let (Some(k), Some(v)) = (&filter.scope_key, &filter.scope_value) {
        wheres.push("json_extract(s.tags, '$.' || json_quote(?)) = ?".into());
        args.push(Box::new(k.clone()));
        args.push(Box::new(v.clone()));
    }
    if let Some(outcome) = &filter.outcome {
        let value = match filter.outcome_met {
            Some(true) => "met",
            Some(false) => "not_met",
            None => "unknown",
        };
        wheres.push(
            "EXISTS (SELECT 1 FROM grades g WHERE g.session_id = s.id AND g.outcome = ? AND g.value = ?)"
                .into(),
        );
        args.push(Box::new(outcome.clone()));
        args.push(Box::new(value));
    }
    if let Some(from) = filter.from {
        wheres.push("s.started_at >= ?".into());
        args.push(Box::new(ts(from)));
    }
    if let Some(to) = filter.to {
        wheres.push("s.started_at < ?".into());
        args.push(Box::new(ts(to)));
    }
    if let Some(q) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        wheres.push(
            "EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND m.content LIKE ? ESCAPE '\\')"
                .into(),
        );
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        args.push(Box::new(format!("%{escaped}%")));
    }
    let where_sql = wheres.join(" AND ");
    let arg_refs: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    let total: u32 = conn.query_row(
        &format!("SELECT COUNT(*) FROM sessions s WHERE {where_sql}"),
        arg_refs.as_slice(),
        |r| r.get(0),
    )?;
    let limit = filter.limit.unwrap_or(100).min(1000);
    let offset = filter.offset.unwrap_or(0);
    let mut stmt = conn.prepare(&format!(
        "SELECT {SUMMARY_COLS} FROM sessions s JOIN agents a ON a.id = s.agent_id
         WHERE {where_sql} ORDER BY s.started_at DESC, s.external_id LIMIT {limit} OFFSET {offset}"
    ))?;
    let sessions = stmt
        .query_map(arg_refs.as_slice(), |r| row_to_summary(r).map(|(s, _)| s))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(SessionPage { total, sessions })
}

/// One session with its transcript, feedback and grades.
pub fn get(conn: &Connection, agent: &str, id: &str) -> Result<Session> {
    let agent_id = super::agents::id_of(conn, agent)?;
    let found = conn
        .query_row(
            &format!(
                "SELECT {SUMMARY_COLS}, s.outcomes, s.source, s.comment, s.file FROM sessions s JOIN agents a ON a.id = s.agent_id
                 WHERE s.agent_id = ?1 AND s.external_id = ?2"
            ),
            params![agent_id, id],
            |r| {
                Ok((
                    row_to_summary(r)?,
                    get_json(r, 12)?,
                    r.get::<_, String>(13)?,
                    r.get::<_, Option<String>>(14)?,
                    r.get::<_, Option<String>>(15)?,
                ))
            },
        )
        .optional()?;
    let Some(((summary, rowid), outcomes, source, comment, file)) = found else {
        return Err(Error::NotFound(format!(
            "agent \"{agent}\" has no session \"{id}\""
        )));
    };
    Ok(Session {
        summary,
        messages: messages(conn, rowid)?,
        feedback: feedback(conn, rowid)?,
        outcomes,
        grades: super::grades::of_session(conn, rowid)?,
        source,
        comment,
        file,
        judged_here: conn
            .prepare_cached(
                "SELECT message_idx FROM feedback WHERE session_id = ?1 AND origin = 'person' AND verdict IS NOT NULL ORDER BY message_idx",
            )?
            .query_map([rowid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
    })
}

/// A message from columns `role, content, tool_calls, stopped` starting at column `at`.
pub(crate) fn message_from(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Message> {
    let calls: Option<String> = r.get(at + 2)?;
    Ok(Message {
        role: r.get(at)?,
        content: r.get(at + 1)?,
        tool_calls: calls
            .and_then(|c| serde_json::from_str(&c).ok())
            .unwrap_or_default(),
        stopped: r.get(at + 3)?,
    })
}

/// Feedback from columns `message_idx, verdict, final_text, comment` starting at column `at`.
pub(crate) fn feedback_from(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Feedback> {
    Ok(Feedback {
        message: r.get(at)?,
        verdict: r.get(at + 1)?,
        final_text: r.get(at + 2)?,
        comment: r.get(at + 3)?,
    })
}

pub fn messages(conn: &Connection, session_rowid: i64) -> Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(
        "SELECT role, content, tool_calls, stopped FROM messages WHERE session_id = ?1 ORDER BY idx",
    )?;
    let rows = stmt
        .query_map([session_rowid], |r| message_from(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn feedback(conn: &Connection, session_rowid: i64) -> Result<Vec<Feedback>> {
    let mut stmt = conn.prepare_cached(
        "SELECT message_idx, verdict, final_text, comment FROM feedback WHERE session_id = ?1 AND verdict IS NOT NULL ORDER BY message_idx",
    )?;
    let rows = stmt
        .query_map([session_rowid], |r| feedback_from(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Tag values on an agent's sessions with their counts, most used first.
pub fn scopes(conn: &Connection, agent_id: i64) -> Result<Vec<crate::model::ScopeCount>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.key, t.value, COUNT(*) FROM sessions s, json_each(s.tags) t
         WHERE s.agent_id = ?1 AND t.type = 'text' GROUP BY t.key, t.value ORDER BY COUNT(*) DESC, t.key, t.value",
    )?;
    let rows = stmt
        .query_map([agent_id], |r| {
            let (key, value): (String, String) = (r.get(0)?, r.get(1)?);
            Ok(crate::model::ScopeCount {
                label: format!("{key}: {value}"),
                key,
                value,
                sessions: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The sessions of an agent started in `[from, to]`, with transcripts and feedback, in time
/// order; and a map from session id to row id. Three queries, not one per session.
pub fn window(
    conn: &Connection,
    agent_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<(Vec<DreamSession>, HashMap<String, i64>)> {
    let (from, to) = (ts(from), ts(to));
    let mut sessions = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut rowids = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT id, external_id, started_at, tags, outcomes, json_extract(extra, '$.outcome_notes') FROM sessions
         WHERE agent_id = ?1 AND started_at >= ?2 AND started_at <= ?3 ORDER BY started_at, external_id",
    )?;
    let mut rows = stmt.query(params![agent_id, from, to])?;
    while let Some(r) = rows.next()? {
        let rowid: i64 = r.get(0)?;
        let id: String = r.get(1)?;
        index.insert(rowid, sessions.len());
        rowids.insert(id.clone(), rowid);
        sessions.push(DreamSession {
            id,
            started_at: get_ts(r, 2)?,
            tags: get_json(r, 3)?,
            outcomes: get_json(r, 4)?,
            graders: r
                .get::<_, Option<String>>(5)?
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default(),
            messages: Vec::new(),
            feedback: Vec::new(),
        });
    }
    let mut stmt = conn.prepare(
        "SELECT m.session_id, m.role, m.content, m.tool_calls, m.stopped FROM messages m JOIN sessions s ON s.id = m.session_id
         WHERE s.agent_id = ?1 AND s.started_at >= ?2 AND s.started_at <= ?3 ORDER BY m.session_id, m.idx",
    )?;
    let mut rows = stmt.query(params![agent_id, from, to])?;
    while let Some(r) = rows.next()? {
        let Some(&i) = index.get(&r.get::<_, i64>(0)?) else {
            continue;
        };
        sessions[i].messages.push(message_from(r, 1)?);
    }
    let mut stmt = conn.prepare(
        "SELECT f.session_id, f.message_idx, f.verdict, f.final_text, f.comment FROM feedback f JOIN sessions s ON s.id = f.session_id
         WHERE s.agent_id = ?1 AND s.started_at >= ?2 AND s.started_at <= ?3 AND f.verdict IS NOT NULL
         ORDER BY f.session_id, f.message_idx",
    )?;
    let mut rows = stmt.query(params![agent_id, from, to])?;
    while let Some(r) = rows.next()? {
        let Some(&i) = index.get(&r.get::<_, i64>(0)?) else {
            continue;
        };
        sessions[i].feedback.push(feedback_from(r, 1)?);
    }
    Ok((sessions, rowids))
}
