//! Dreams on their schedules. Each agent's rubric `dreaming.schedule` (5-field crontab, local
//! time) says when; time is passed in, so tests never sleep.
//!
//! - A schedule missed while the app was closed or the machine asleep runs once at the next
//!   tick, not once per missed slot: the latest missed slot is the one handled.
//! - A slot is skipped, with the reason recorded, when no session arrived since the last dream.
//! - One dream per agent at a time (see [`dreaming::begin`]); a busy agent's slot is recorded.
//! - Daylight saving: slots are local wall-clock times. A time that does not exist on the
//!   spring-forward day (e.g. 2:30) runs at the next valid time; a time that happens twice on the
//!   fall-back day runs once.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use crate::dreaming::{self, DreamRequest};
use crate::error::{Error, Result};
use crate::model::{AgentSchedule, DreamProgress, DreamReport, ScheduleRecord};
use crate::schedule::{self, Schedule};
use crate::store::{self, agents};

/// A guard against pathological schedules when walking missed slots after a long gap.
const MAX_SLOTS_WALKED: usize = 100_000;

/// What one tick did for one agent.
#[derive(Debug)]
pub enum Outcome {
    Dreamed(Box<DreamReport>),
    Skipped {
        agent: String,
        reason: String,
    },
    /// `dream_id` is the failed dream's record, if it got as far as opening one.
    Failed {
        agent: String,
        error: Error,
        dream_id: Option<i64>,
    },
    Busy {
        agent: String,
        reason: String,
    },
    /// Someone canceled the dream. The slot counts as handled (a canceled nightly dream does not
    /// start again at once); agents after it in this tick are handled at the next one.
    Canceled {
        agent: String,
        dream_id: i64,
    },
}

fn last_record(conn: &Connection, agent_id: i64) -> Result<Option<ScheduleRecord>> {
    Ok(conn
        .query_row(
            "SELECT last_slot, last_outcome, reason, dream_id, at FROM schedule_state WHERE agent_id = ?1",
            [agent_id],
            |r| {
                Ok(ScheduleRecord {
                    slot: store::get_ts(r, 0)?,
                    outcome: r.get(1)?,
                    reason: r.get(2)?,
                    dream_id: r.get(3)?,
                    at: store::get_ts(r, 4)?,
                })
            },
        )
        .optional()?)
}

fn record(conn: &Connection, agent_id: i64, rec: &ScheduleRecord) -> Result<()> {
    conn.execute(
        "INSERT INTO schedule_state (agent_id, last_slot, last_outcome, reason, dream_id, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (agent_id) DO UPDATE SET last_slot = ?2, last_outcome = ?3, reason = ?4, dream_id = ?5, at = ?6",
        params![
            agent_id,
            store::ts(rec.slot),
            rec.outcome,
            rec.reason,
            rec.dream_id,
            store::ts(rec.at)
        ],
    )?;
    Ok(())
}

/// The latest slot in `(after, now]`, if any.
fn latest_due(
    schedule: &Schedule,
    after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let mut slot = schedule.next_after(after).filter(|t| *t <= now)?;
    for _ in 0..MAX_SLOTS_WALKED {
        match schedule.next_after(slot) {
            Some(next) if next <= now => slot = next,
            _ => break,
        }
    }
    Some(slot)
}

/// Where an agent's schedule counts from: the last slot handled, else when the agent was made.
fn handled_until(conn: &Connection, agent_id: i64) -> Result<DateTime<Utc>> {
    if let Some(r) = last_record(conn, agent_id)? {
        return Ok(r.slot);
    }
    Ok(conn.query_row(
        "SELECT created_at FROM agents WHERE id = ?1",
        [agent_id],
        |r| store::get_ts(r, 0),
    )?)
}

/// Sessions that arrived since the agent's last completed dream.
fn new_sessions(conn: &Connection, agent_id: i64) -> Result<(i64, Option<DateTime<Utc>>)> {
    let last: Option<DateTime<Utc>> = conn.query_row(
        "SELECT MAX(started_at) FROM dreams WHERE agent_id = ?1 AND status = 'completed'",
        [agent_id],
        |r| store::get_opt_ts(r, 0),
    )?;
    let n: i64 = match last {
        Some(t) => conn.query_row(
            "SELECT COUNT(*) FROM sessions WHERE agent_id = ?1 AND imported_at > ?2",
            params![agent_id, store::ts(t)],
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

/// Every agent's schedule, next run and last outcome.
pub fn overview(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<AgentSchedule>> {
    let mut out = Vec::new();
    for a in agents::list(conn)? {
        let agent_id = agents::id_of(conn, &a.slug)?;
        let rubric = agents::rubric(conn, &a.slug)?;
        let expr = rubric.dreaming.schedule;
        let next_run = Schedule::parse(&expr).ok().and_then(|s| {
            let base = handled_until(conn, agent_id).ok()?;
            // A missed slot runs at the next tick, so "next" is now in that case.
            Some(match latest_due(&s, base, now) {
                Some(_) => now,
                None => s.next_after(base.max(now))?,
            })
        });
        let pending: u32 = conn.query_row(
            "SELECT COUNT(*) FROM proposals WHERE agent_id = ?1 AND decision = 'pending'",
            [agent_id],
            |r| r.get(0),
        )?;
        out.push(AgentSchedule {
            words: schedule::describe(&expr),
            schedule: expr,
            agent: a.slug,
            name: a.name,
            next_run,
            last: last_record(conn, agent_id)?,
            pending,
        });
    }
    Ok(out)
}

/// Handle every agent whose schedule has come due by `now` (at most one dream each).
/// `progress` hears each running dream; the outcomes say what happened to each due agent.
pub fn tick(
    conn: &mut Connection,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&DreamProgress),
) -> Result<Vec<Outcome>> {
    let mut outcomes = Vec::new();
    for a in agents::list(conn)? {
        let agent_id = agents::id_of(conn, &a.slug)?;
        let rubric = agents::rubric(conn, &a.slug)?;
        let Ok(schedule) = Schedule::parse(&rubric.dreaming.schedule) else {
            continue;
        };
        let Some(slot) = latest_due(&schedule, handled_until(conn, agent_id)?, now) else {
            continue;
        };
        let mut rec = ScheduleRecord {
            slot,
            outcome: String::new(),
            reason: None,
            dream_id: None,
            at: now,
        };
        let (fresh, last) = new_sessions(conn, agent_id)?;
        if fresh == 0 {
            let reason = match last {
                Some(t) => format!(
                    "No new sessions since the last dream ({}).",
                    t.format("%Y-%m-%d %H:%M UTC")
                ),
                None => "No sessions to dream over yet.".to_string(),
            };
            rec.outcome = "skipped".into();
            rec.reason = Some(reason.clone());
            record(conn, agent_id, &rec)?;
            outcomes.push(Outcome::Skipped {
                agent: a.slug,
                reason,
            });
            continue;
        }
        let req = DreamRequest {
            agent: a.slug.clone(),
            window_days: None,
            trigger: "scheduled".into(),
        };
        match dreaming::dream(conn, &req, now, cancel, progress) {
            Ok(report) => {
                rec.outcome = "dreamed".into();
                rec.dream_id = Some(report.dream.id);
                record(conn, agent_id, &rec)?;
                outcomes.push(Outcome::Dreamed(Box::new(report)));
            }
            Err(Error::Conflict(reason)) => {
                rec.outcome = "busy".into();
                rec.reason = Some(reason.clone());
                record(conn, agent_id, &rec)?;
                outcomes.push(Outcome::Busy {
                    agent: a.slug,
                    reason,
                });
            }
            Err(Error::Canceled) => {
                rec.outcome = "canceled".into();
                rec.reason = Some("Canceled before it finished.".into());
                rec.dream_id = dreaming_last_id(conn, agent_id)?;
                record(conn, agent_id, &rec)?;
                if let Some(dream_id) = rec.dream_id {
                    outcomes.push(Outcome::Canceled {
                        agent: a.slug,
                        dream_id,
                    });
                }
                // The cancel flag is still raised: it would cancel every later agent too.
                break;
            }
            Err(error) => {
                rec.outcome = "failed".into();
                rec.reason = Some(error.to_string());
                rec.dream_id = dreaming_last_id(conn, agent_id)?;
                record(conn, agent_id, &rec)?;
                outcomes.push(Outcome::Failed {
                    agent: a.slug,
                    error,
                    dream_id: rec.dream_id,
                });
            }
        }
    }
    Ok(outcomes)
}

fn dreaming_last_id(conn: &Connection, agent_id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT MAX(id) FROM dreams WHERE agent_id = ?1",
        [agent_id],
        |r| r.get(0),
    )?)
}

/// When the scheduler should look again: the earliest next run over all agents, but never
/// later than `max_wait` from now, so a changed rubric or a wake from sleep is noticed.
pub fn next_wake(
    conn: &Connection,
    now: DateTime<Utc>,
    max_wait: chrono::Duration,
) -> Result<DateTime<Utc>> {
    let soonest = overview(conn, now)?
        .into_iter()
        .filter_map(|s| s.next_run)
        .min();
    Ok(soonest.map_or(now + max_wait, |t| t.max(now).min(now + max_wait)))
}

#[cfg(test)]
mod tests;
