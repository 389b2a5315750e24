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

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::{describe, Schedule};
use crate::dreaming::{self, DreamRequest};
use crate::error::{Error, Result};
use crate::model::{
    AgentSchedule, DreamProgress, DreamReport, ScheduleOutcome, ScheduleRecord, Trigger,
};
use crate::store::{agents, schedule as state};

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
    match state::last(conn, agent_id)? {
        Some(r) => Ok(r.slot),
        None => state::agent_created(conn, agent_id),
    }
}

/// Every agent's schedule, next run and last outcome, with times in words in the local zone.
pub fn overview(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<AgentSchedule>> {
    overview_in(conn, now, &chrono::Local)
}

/// [`overview`], with times in words in the zone `tz`.
pub fn overview_in<Tz: chrono::TimeZone>(
    conn: &Connection,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<AgentSchedule>> {
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
        let pending = state::pending_proposals(conn, agent_id)?;
        out.push(AgentSchedule {
            words: describe(&expr),
            schedule: expr,
            agent: a.slug,
            name: a.name,
            next_run_words: next_run
                .map(|t| super::when(&t.with_timezone(tz), &now.with_timezone(tz))),
            next_run,
            last: state::last(conn, agent_id)?,
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
            outcome: ScheduleOutcome::Skipped,
            reason: None,
            dream_id: None,
            at: now,
        };
        let (fresh, last) = state::new_sessions(conn, agent_id)?;
        if fresh == 0 {
            let reason = match last {
                Some(t) => format!(
                    "No new sessions since the last dream ({}).",
                    super::words::on(&t.with_timezone(&chrono::Local))
                ),
                None => "No sessions to dream over yet.".to_string(),
            };
            rec.outcome = ScheduleOutcome::Skipped;
            rec.reason = Some(reason.clone());
            state::record(conn, agent_id, &rec)?;
            outcomes.push(Outcome::Skipped {
                agent: a.slug,
                reason,
            });
            continue;
        }
        let req = DreamRequest {
            agent: a.slug.clone(),
            window_days: None,
            trigger: Trigger::Scheduled,
        };
        match dreaming::dream(conn, &req, now, cancel, progress) {
            Ok(report) => {
                rec.outcome = ScheduleOutcome::Dreamed;
                rec.dream_id = Some(report.dream.id);
                state::record(conn, agent_id, &rec)?;
                outcomes.push(Outcome::Dreamed(Box::new(report)));
            }
            Err(Error::DreamRunning(reason)) => {
                rec.outcome = ScheduleOutcome::Busy;
                rec.reason = Some(reason.clone());
                state::record(conn, agent_id, &rec)?;
                outcomes.push(Outcome::Busy {
                    agent: a.slug,
                    reason,
                });
            }
            Err(Error::Canceled) => {
                rec.outcome = ScheduleOutcome::Canceled;
                rec.reason = Some("Canceled before it finished.".into());
                rec.dream_id = state::last_dream(conn, agent_id)?;
                state::record(conn, agent_id, &rec)?;
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
                rec.outcome = ScheduleOutcome::Failed;
                rec.reason = Some(error.to_string());
                rec.dream_id = state::last_dream(conn, agent_id)?;
                state::record(conn, agent_id, &rec)?;
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

/// What a scheduler loop tells its owner (the app's tray and notifications, or the headless
/// command's output).
pub trait Listener {
    /// A scheduled dream moved on; `cancel` stops it when raised.
    fn progress(&mut self, _progress: &DreamProgress, _cancel: &Arc<AtomicBool>) {}
    /// What one due slot came to.
    fn outcome(&mut self, _conn: &Connection, _outcome: &Outcome) {}
    /// A pass failed (the database could not be opened, or was busy too long); the loop goes
    /// on and tries again at the next look.
    fn failed(&mut self, error: &Error) {
        eprintln!("reverie: scheduler: {error}");
    }
    /// A pass ended (whatever it did); the tray refreshes here.
    fn looked(&mut self) {}
}

/// One look: run whatever is due at `now`, report each outcome, and say when to look again
/// (never later than `max_wait`).
pub fn pass(
    conn: &mut Connection,
    now: DateTime<Utc>,
    listener: &mut dyn Listener,
    max_wait: chrono::Duration,
) -> Result<DateTime<Utc>> {
    // Batches of dreams that died waiting on them are canceled first, so nothing is billed
    // and lost. A failure here (no network) is tried again at the next look.
    if let Err(e) = crate::dreaming::curator::cancel_orphan_batches(conn) {
        listener.failed(&e);
    }
    // A fresh flag per pass: a cancel raised for one dream must not reach the next agent's.
    let cancel = Arc::new(AtomicBool::new(false));
    let outcomes = tick(conn, now, &cancel, &mut |p| listener.progress(p, &cancel))?;
    for o in &outcomes {
        listener.outcome(conn, o);
    }
    let now = Utc::now().max(now);
    next_wake(conn, now, max_wait)
}

/// The scheduler: look, run what is due, sleep until the next run (at most `max_wait`, so an
/// edited schedule or a machine waking from sleep is noticed), until `stop` is raised. One
/// failed look (a busy database, a file that cannot be opened) never ends the loop.
pub fn run_loop(
    path: &Path,
    listener: &mut dyn Listener,
    stop: &AtomicBool,
    max_wait: std::time::Duration,
) {
    let max = chrono::Duration::from_std(max_wait).unwrap_or(chrono::Duration::seconds(60));
    let mut conn: Option<Connection> = None;
    while !stop.load(Ordering::Relaxed) {
        let now = Utc::now();
        let wake = match conn.take().map_or_else(|| crate::store::db::open(path), Ok) {
            Ok(mut c) => match pass(&mut c, now, listener, max) {
                Ok(wake) => {
                    conn = Some(c);
                    wake
                }
                Err(e) => {
                    // Drop the connection: the next look starts from a fresh one.
                    listener.failed(&e);
                    now + max
                }
            },
            Err(e) => {
                listener.failed(&e);
                now + max
            }
        };
        listener.looked();
        let wait = (wake - Utc::now())
            .to_std()
            .unwrap_or_default()
            .clamp(std::time::Duration::from_secs(1), max_wait);
        let until = std::time::Instant::now() + wait;
        while !stop.load(Ordering::Relaxed) && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(200).min(wait));
        }
    }
}

#[cfg(test)]
#[path = "scheduler_tests.rs"]
mod tests;
