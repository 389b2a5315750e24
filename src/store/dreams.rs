//! Dreams and their proposals as records: what was read, what was proposed, what was decided.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{get_json, get_opt_ts, get_ts, to_json, ts};
use crate::dreaming::offline::{ProposalDraft, RejectedPattern};
use crate::error::{Error, Result};
use crate::model::{scope_label, Decision, Dream, DreamStatus, Proposal, Trigger};

const SELECT: &str = "SELECT d.id, a.slug, d.status, d.trigger, d.window_days, d.window_start, d.window_end,
        d.sessions_read, d.memory_version_start, d.model, d.input_tokens, d.output_tokens, d.warning,
        d.error, d.notes, d.started_at, d.finished_at, d.undone_at IS NOT NULL,
        (SELECT COUNT(*) FROM proposals p WHERE p.dream_id = d.id),
        (SELECT COUNT(*) FROM proposals p WHERE p.dream_id = d.id AND p.decision = 'pending'),
        (SELECT COUNT(*) FROM proposals p WHERE p.dream_id = d.id AND p.decision = 'applied'),
        (SELECT COUNT(*) FROM proposals p WHERE p.dream_id = d.id AND p.decision = 'rejected'),
        d.cached_tokens, d.cost_usd,
        (SELECT COUNT(*) FROM dreams d2 WHERE d2.agent_id = d.agent_id AND d2.id <= d.id)
     FROM dreams d JOIN agents a ON a.id = d.agent_id";

fn row_to_dream(r: &rusqlite::Row) -> rusqlite::Result<Dream> {
    Ok(Dream {
        id: r.get(0)?,
        agent: r.get(1)?,
        status: r.get(2)?,
        trigger: r.get(3)?,
        window_days: r.get(4)?,
        window_start: get_ts(r, 5)?,
        window_end: get_ts(r, 6)?,
        sessions_read: r.get(7)?,
        memory_version_start: r.get(8)?,
        model: r.get(9)?,
        input_tokens: r.get(10)?,
        output_tokens: r.get(11)?,
        cached_tokens: r.get(22)?,
        cost_usd: r.get(23)?,
        warning: r.get(12)?,
        error: r.get(13)?,
        notes: get_json(r, 14)?,
        started_at: get_ts(r, 15)?,
        finished_at: get_opt_ts(r, 16)?,
        undone: r.get(17)?,
        proposals: r.get(18)?,
        pending: r.get(19)?,
        applied: r.get(20)?,
        rejected: r.get(21)?,
        number: r.get(24)?,
    })
}

pub struct NewDream<'a> {
    pub agent_id: i64,
    pub trigger: Trigger,
    pub window_days: u32,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    pub memory_version_start: i64,
    pub model: &'a str,
}

pub fn create(conn: &Connection, d: &NewDream, now: DateTime<Utc>) -> Result<i64> {
    conn.execute(
        "INSERT INTO dreams (agent_id, status, trigger, window_days, window_start, window_end,
            memory_version_start, model, started_at, heartbeat_at)
         VALUES (?1, 'running', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            d.agent_id,
            d.trigger,
            d.window_days,
            ts(d.window_start),
            ts(d.window_end),
            d.memory_version_start,
            d.model,
            ts(now)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn heartbeat(conn: &Connection, dream_id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE dreams SET heartbeat_at = ?2 WHERE id = ?1",
        params![dream_id, ts(now)],
    )?;
    Ok(())
}

pub struct Finish<'a> {
    pub status: DreamStatus,
    pub session_ids: &'a [String],
    pub warning: Option<&'a str>,
    pub error: Option<&'a str>,
    pub notes: &'a [String],
}

pub fn finish(conn: &Connection, dream_id: i64, f: &Finish, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE dreams SET status = ?2, sessions_read = ?3, session_ids = ?4, warning = ?5, error = ?6,
            notes = ?7, finished_at = ?8, heartbeat_at = ?8
         WHERE id = ?1",
        params![
            dream_id,
            f.status,
            f.session_ids.len() as i64,
            to_json(&f.session_ids),
            f.warning,
            f.error,
            to_json(&f.notes),
            ts(now)
        ],
    )?;
    Ok(())
}

/// Every dream marked running, with its last heartbeat.
pub fn running_all(conn: &Connection) -> Result<Vec<(i64, DateTime<Utc>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, heartbeat_at FROM dreams WHERE status IN ('running', 'pending') ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, get_ts(r, 1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Mark a running dream interrupted (a crash or kill cut it off; memory was never touched),
/// ending at its last sign of life. Returns 1 if it was still running, else 0.
pub fn mark_interrupted(conn: &Connection, dream_id: i64, ended: DateTime<Utc>) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE dreams SET status = 'interrupted', finished_at = ?2,
            error = 'Reverie stopped before this dream finished (closed, crashed or the computer slept). Memory was not changed.'
         WHERE id = ?1 AND status IN ('running', 'pending')",
        params![dream_id, ts(ended)],
    )?)
}

/// Ask a running dream to stop at its next step, from any process.
pub fn request_cancel(conn: &Connection, dream_id: i64, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE dreams SET cancel_requested_at = COALESCE(cancel_requested_at, ?2)
         WHERE id = ?1 AND status IN ('running', 'pending')",
        params![dream_id, ts(now)],
    )? == 1)
}

/// Whether someone asked the dream to stop.
pub fn cancel_requested(conn: &Connection, dream_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT cancel_requested_at IS NOT NULL FROM dreams WHERE id = ?1")?
        .query_row([dream_id], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// Remember the Message Batch a dream created (`open`), or that it ended or was canceled.
pub fn set_batch(conn: &Connection, dream_id: i64, batch_id: &str, open: bool) -> Result<()> {
    conn.execute(
        "UPDATE dreams SET batch_id = ?2, batch_open = ?3 WHERE id = ?1",
        params![dream_id, batch_id, open],
    )?;
    Ok(())
}

/// Batches of dreams that are no longer running but never saw their batch end: (dream, batch).
pub fn orphan_batches(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, batch_id FROM dreams WHERE batch_open = 1 AND batch_id IS NOT NULL
           AND status NOT IN ('running', 'pending') ORDER BY id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Add a note to a dream that has ended (e.g. that its orphaned batch was canceled).
pub fn add_note(conn: &Connection, dream_id: i64, note: &str) -> Result<()> {
    conn.execute(
        "UPDATE dreams SET notes = json_insert(notes, '$[#]', ?2) WHERE id = ?1",
        params![dream_id, note],
    )?;
    Ok(())
}

/// The agent's dream that is still running, if any.
pub fn running(conn: &Connection, agent_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM dreams WHERE agent_id = ?1 AND status IN ('running', 'pending')",
            [agent_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn get(conn: &Connection, dream_id: i64) -> Result<Dream> {
    conn.query_row(
        &format!("{SELECT} WHERE d.id = ?1"),
        [dream_id],
        row_to_dream,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("there is no dream #{dream_id}")))
}

pub fn agent_of(conn: &Connection, dream_id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT agent_id FROM dreams WHERE id = ?1",
        [dream_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("there is no dream #{dream_id}")))
}

/// An agent's dreams, newest first.
pub fn list(conn: &Connection, agent_id: i64, limit: u32) -> Result<Vec<Dream>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE d.agent_id = ?1 ORDER BY d.started_at DESC, d.id DESC LIMIT ?2"
    ))?;
    let rows = stmt
        .query_map(params![agent_id, limit], row_to_dream)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn insert_proposal(
    conn: &Connection,
    agent_id: i64,
    dream_id: i64,
    p: &ProposalDraft,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO proposals (dream_id, agent_id, op, content, scope, targets, evidence, confidence,
            rationale, pattern, support, flags, support_days, impact)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        dream_id,
        agent_id,
        p.op,
        p.content,
        to_json(&p.scope),
        to_json(&p.targets),
        to_json(&p.evidence),
        p.confidence,
        p.rationale,
        p.pattern,
        p.support,
        to_json(&p.flags),
        p.support_days,
        p.impact.as_ref().map(to_json)
    ])?;
    Ok(conn.last_insert_rowid())
}

const PROPOSAL_COLS: &str =
    "id, dream_id, op, content, scope, targets, evidence, confidence, rationale,
    decision, reason, flags, agent_id, pattern, support, support_days, auto_note,
    decision = 'applied' AND EXISTS (SELECT 1 FROM memory_events e
        WHERE e.proposal_id = proposals.id AND e.actor = 'auto_apply' AND e.undone_by IS NULL),
    impact";

fn row_to_proposal(r: &rusqlite::Row) -> rusqlite::Result<Proposal> {
    let mut p = Proposal {
        id: r.get(0)?,
        dream_id: r.get(1)?,
        op: r.get(2)?,
        content: r.get(3)?,
        scope: get_json(r, 4)?,
        scope_label: String::new(),
        targets: get_json(r, 5)?,
        evidence: get_json(r, 6)?,
        confidence: r.get(7)?,
        rationale: r.get(8)?,
        decision: r.get(9)?,
        reason: r.get(10)?,
        flags: get_json(r, 11)?,
        support: r.get(14)?,
        support_days: r.get(15)?,
        auto_note: r.get(16)?,
        auto_applied: r.get(17)?,
        impact: r
            .get::<_, Option<String>>(18)?
            .and_then(|j| serde_json::from_str(&j).ok()),
    };
    p.scope_label = scope_label(&p.scope);
    Ok(p)
}

pub fn proposals(conn: &Connection, dream_id: i64) -> Result<Vec<Proposal>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PROPOSAL_COLS} FROM proposals WHERE dream_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([dream_id], row_to_proposal)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Proposals waiting for a decision, oldest dream first; all agents when `agent_id` is `None`.
pub fn pending(conn: &Connection, agent_id: Option<i64>) -> Result<Vec<Proposal>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PROPOSAL_COLS} FROM proposals
         WHERE decision = 'pending' AND (?1 IS NULL OR agent_id = ?1) ORDER BY dream_id, id"
    ))?;
    let rows = stmt
        .query_map([agent_id], row_to_proposal)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// One proposal, with the agent it belongs to.
pub fn proposal(conn: &Connection, id: i64) -> Result<(Proposal, i64)> {
    conn.query_row(
        &format!("SELECT {PROPOSAL_COLS} FROM proposals WHERE id = ?1"),
        [id],
        |r| Ok((row_to_proposal(r)?, r.get(12)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("there is no proposal #{id}")))
}

pub fn set_decision(
    conn: &Connection,
    id: i64,
    decision: Decision,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached("UPDATE proposals SET decision = ?2, reason = COALESCE(?3, reason), decided_at = ?4 WHERE id = ?1")?
        .execute(params![id, decision, reason, ts(now)])?;
    Ok(())
}

/// Patterns a person rejected, with the most support each had when rejected.
pub fn rejected_patterns(conn: &Connection, agent_id: i64) -> Result<Vec<RejectedPattern>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.pattern, MAX(p.support),
            (SELECT q.reason FROM proposals q
              WHERE q.agent_id = ?1 AND q.pattern = p.pattern AND q.decision = 'rejected'
                AND q.reason IS NOT NULL AND q.reason != ''
              ORDER BY q.decided_at DESC, q.id DESC LIMIT 1)
         FROM proposals p
         WHERE p.agent_id = ?1 AND p.decision = 'rejected' GROUP BY p.pattern ORDER BY p.pattern",
    )?;
    let rows = stmt
        .query_map([agent_id], |r| {
            Ok(RejectedPattern {
                pattern: r.get(0)?,
                support: r.get(1)?,
                reason: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Record what the LLM curator used on a dream: the model, tokens and cost.
pub fn record_usage(
    conn: &Connection,
    dream_id: i64,
    model: &str,
    input_tokens: u64,
    output_tokens: u64,
    cached_tokens: u64,
    cost_usd: f64,
) -> Result<()> {
    conn.execute(
        "UPDATE dreams SET model = ?2, input_tokens = ?3, output_tokens = ?4, cached_tokens = ?5,
            cost_usd = ?6 WHERE id = ?1",
        params![
            dream_id,
            model,
            input_tokens as i64,
            output_tokens as i64,
            cached_tokens as i64,
            cost_usd
        ],
    )?;
    Ok(())
}

/// An earlier dream's proposal of the same pattern, still waiting, is replaced by a fresher one.
pub fn supersede_pending(conn: &Connection, agent_id: i64, pattern: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE proposals SET decision = 'superseded' WHERE agent_id = ?1 AND pattern = ?2 AND decision = 'pending'",
    )?
    .execute(params![agent_id, pattern])?;
    Ok(())
}

/// Whether the dream was undone.
pub fn undone(conn: &Connection, dream_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT undone_at IS NOT NULL FROM dreams WHERE id = ?1",
        [dream_id],
        |r| r.get(0),
    )?)
}

/// Mark the dream undone: its proposals, applied or still waiting, are superseded.
pub fn mark_undone(conn: &Connection, dream_id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE proposals SET decision = 'superseded'
         WHERE dream_id = ?1 AND decision IN ('applied', 'pending', 'approved')",
        [dream_id],
    )?;
    conn.execute(
        "UPDATE dreams SET undone_at = ?2 WHERE id = ?1",
        params![dream_id, ts(now)],
    )?;
    Ok(())
}

/// Why auto-apply applied a proposal, or why it left it for a person.
pub fn set_auto_note(conn: &Connection, id: i64, note: &str) -> Result<()> {
    conn.prepare_cached("UPDATE proposals SET auto_note = ?2 WHERE id = ?1")?
        .execute(params![id, note])?;
    Ok(())
}

/// A decided proposal waits for review again (its decision was taken back).
pub fn reopen(conn: &Connection, id: i64) -> Result<()> {
    // A note saying auto-apply applied it is no longer true once a person took it back.
    conn.prepare_cached(
        "UPDATE proposals SET decision = 'pending', reason = NULL, decided_at = NULL,
            auto_note = CASE WHEN decision = 'applied' AND EXISTS (SELECT 1 FROM memory_events e
                WHERE e.proposal_id = proposals.id AND e.actor = 'auto_apply')
              THEN 'Taken back by a person after auto-apply applied it; it waits for review.'
              ELSE auto_note END
         WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(())
}
