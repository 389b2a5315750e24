//! Dreams on their schedules: schedules in words, every agent's next run, and the scheduler
//! loop the app's thread and `reverie scheduler run` share.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::model::{AgentSchedule, ScheduleInfo};
use crate::notice;
use crate::schedule::{self, scheduler, Schedule};
use crate::store::{agents, dreams};

pub use scheduler::{Listener, Outcome};

/// A crontab explained: in words and its next three runs, or what is wrong with it.
pub fn describe(expr: &str, now: DateTime<Utc>) -> ScheduleInfo {
    match Schedule::parse(expr) {
        Ok(s) => {
            let next_runs = s.upcoming(now, 3);
            let local = now.with_timezone(&chrono::Local);
            ScheduleInfo {
                expr: expr.to_string(),
                words: schedule::describe(expr),
                next_runs_words: next_runs
                    .iter()
                    .map(|t| schedule::when(&t.with_timezone(&chrono::Local), &local))
                    .collect(),
                next_runs,
                error: None,
            }
        }
        Err(e) => ScheduleInfo {
            expr: expr.to_string(),
            words: String::new(),
            next_runs: Vec::new(),
            next_runs_words: Vec::new(),
            error: Some(e),
        },
    }
}

/// Every agent's schedule in words, its next run, and what its last scheduled slot did.
pub fn overview(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<AgentSchedule>> {
    scheduler::overview(conn, now)
}

/// The tray's status lines (the next dream, what waits for review, any dream running now)
/// and the agents its "Dream now" menu lists, as (slug, name).
pub fn tray_status(conn: &Connection, now: DateTime<Utc>) -> Result<TrayStatus> {
    let schedules = scheduler::overview(conn, now)?;
    let mut running = Vec::new();
    for s in &schedules {
        if dreams::running(conn, agents::id_of(conn, &s.agent)?)?.is_some() {
            running.push(s.name.clone());
        }
    }
    Ok(TrayStatus {
        lines: notice::tray_status(&schedules, &running, now, &chrono::Local),
        agents: schedules.into_iter().map(|s| (s.agent, s.name)).collect(),
    })
}

/// What the tray shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TrayStatus {
    pub lines: Vec<String>,
    pub agents: Vec<(String, String)>,
}

/// Run whatever is due at `now` (a missed slot once), report each outcome, and say when to
/// look again (at most `max_wait` from now).
pub fn run_due(
    conn: &mut Connection,
    now: DateTime<Utc>,
    listener: &mut dyn Listener,
    max_wait: chrono::Duration,
) -> Result<DateTime<Utc>> {
    scheduler::pass(conn, now, listener, max_wait)
}

/// The scheduler, until `stop` is raised: look, run what is due, sleep until the next run
/// (at most `max_wait`). A failed look is reported to the listener and never ends the loop.
pub fn run_loop(
    db_path: &Path,
    listener: &mut dyn Listener,
    stop: &AtomicBool,
    max_wait: std::time::Duration,
) {
    scheduler::run_loop(db_path, listener, stop, max_wait)
}
