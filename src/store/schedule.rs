//! What the scheduler needs to know and remember per agent: the last slot it handled and why,
//! and whether anything new arrived since the last dream.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{get_opt_ts, get_ts, ts};
use crate::error::Result;
use crate::model::ScheduleRecord;

/// What the scheduler last did for the agent.
pub fn last(conn: &Connection, agent_id: i64) -> Result<Option<ScheduleRecord>> {
    Ok(conn
        .query_row(
            "SELECT last_slot, last_outcome, reason, dream_id, at FROM schedule_state WHERE agent_id = ?1",
            [agent_id],
            |r| {
                Ok(ScheduleRecord {
                    slot: get_ts(r, 0)?,
                    outcome: r.get(1)?,
                    reason: r.get(2)?,
                    dream_id: r.get(3)?,
                    at: get_ts(r, 4)?,
                })
            },
        )
        .optional()?)
}

/// Remember what the scheduler did with a slot.
pub fn record(conn: &Connection, agent_id: i64, rec: &ScheduleRecord) -> Result<()> {
    conn.execute(
        "INSERT INTO schedule_state (agent_id, last_slot, last_outcome, reason, dream_id, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (agent_id) DO UPDATE SET last_slot = ?2, last_outcome = ?3, reason = ?4, dream_id = ?5, at = ?6",
        params![
            agent_id,
            ts(rec.slot),
            rec.outcome,
            rec.reason,
            rec.dream_id,
            ts(rec.at)
        ],
    )?;
    Ok(())
}

/// When the agent was made: where its schedule counts from before any slot was handled.
pub fn agent_created(conn: &Connection, agent_id: i64) -> Result<DateTime<Utc>> {
    Ok(conn.query_row(
        "SELECT created_at FROM agents WHERE id = ?1",
        [agent_id],
        |r| get_ts(r, 0),
    )?)
}

/// Sessions that arrived since the agent's last completed dream, and when that dream started.
pub fn new_sessions(conn: &Connection, agent_id: i64) -> Result<(i64, Option<DateTime<Utc>>)> {
    let last: Option<DateTime<Utc>> = conn.query_row(
        "SELECT MAX(started_at) FROM dreams WHERE agent_id = ?1 AND status = 'completed'",
        [agent_id],
        |r| get_opt_ts(r, 0),
    )?;
    let n: i64 = match last {
        Some(t) => conn.query_row(
            "SELECT COUNT(*) FROM sessions WHERE agent_id = ?1 AND imported_at > ?2",
            params![agent_id, ts(t)],
            |r| r.get(0),
        )?,
        None => conn.query_row(
            "SELECT COUNT(*) FROM sessions WHERE agent_id = ?1",
            [agent_id],
            |r| r.get(0),
        )?,
    };
    Ok((n, last))
}

/// Proposals waiting for review across the agent's dreams.
pub fn pending_proposals(conn: &Connection, agent_id: i64) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM proposals WHERE agent_id = ?1 AND decision = 'pending'",
        [agent_id],
        |r| r.get(0),
    )?)
}

/// The agent's newest dream, if any.
pub fn last_dream(conn: &Connection, agent_id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT MAX(id) FROM dreams WHERE agent_id = ?1",
        [agent_id],
        |r| r.get(0),
    )?)
}
