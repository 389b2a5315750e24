//! Dreams: start one (now, or opened here and run on another thread), list, read, undo.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::dreaming::{self, Begun, DreamRequest};
use crate::error::Result;
use crate::model::{Dream, DreamProgress, DreamReport, UndoReport};
use crate::store::{agents, dreams};

/// Dream for one agent now and wait for it: [`begin`] then [`run`].
pub fn dream(
    conn: &mut Connection,
    req: &DreamRequest,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&DreamProgress),
) -> Result<DreamReport> {
    sync_first(conn, &req.agent, now);
    let report = dreaming::dream(conn, req, now, cancel, progress)?;
    if report.proposals.iter().any(|p| p.auto_applied) {
        super::flow::after_change_of(conn, &req.agent, now);
    }
    Ok(report)
}

/// A dream reads what the agent's sources hold now: new and changed files are imported
/// first. A source that cannot be read records why and does not stop the dream.
/// A linked managed agent's new sessions are pulled too (a failure is recorded on the link).
fn sync_first(conn: &mut Connection, agent: &str, now: DateTime<Utc>) {
    let _ = super::flow::sync(conn, Some(agent), now);
    crate::managed::pull_before_dream(conn, agent, now);
}

/// Open a dream's record (refused while another dream of the agent runs). Quick, so a window
/// can answer at once and [`run`] the rest elsewhere.
pub fn begin(conn: &mut Connection, req: &DreamRequest, now: DateTime<Utc>) -> Result<Begun> {
    dreaming::begin(conn, req, now)
}

/// What asking for a dream started.
pub enum Started {
    /// A new dream, opened and ready to [`run`].
    New(Box<Begun>),
    /// The agent was already dreaming (a scheduled dream, say): "Dream now" joins that one.
    Joined(Box<Dream>),
}

/// Open a dream for the agent, or join the one already running for it.
pub fn start(conn: &mut Connection, req: &DreamRequest, now: DateTime<Utc>) -> Result<Started> {
    let agent_id = agents::id_of(conn, &req.agent)?;
    dreaming::liveness::recover(conn, now)?;
    if let Some(id) = dreams::running(conn, agent_id)? {
        return Ok(Started::Joined(Box::new(dreams::get(conn, id)?)));
    }
    sync_first(conn, &req.agent, now);
    match dreaming::begin(conn, req, now) {
        Ok(b) => Ok(Started::New(Box::new(b))),
        // Another process began one between the look and the begin: join it.
        Err(crate::Error::DreamRunning(_)) => match dreams::running(conn, agent_id)? {
            Some(id) => Ok(Started::Joined(Box::new(dreams::get(conn, id)?))),
            None => dreaming::begin(conn, req, now).map(|b| Started::New(Box::new(b))),
        },
        Err(e) => Err(e),
    }
}

/// Ask a running dream to stop, whichever process runs it; it stops at its next step, memory
/// unchanged, and a Message Batch it waits on is canceled.
pub fn cancel(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    let d = dreams::get(conn, id)?;
    if !dreams::request_cancel(conn, id, now)? {
        return Err(crate::Error::NotRunning(format!(
            "dream #{id} is not running (it is {})",
            d.status
        )));
    }
    Ok(())
}

/// Cancel the Message Batches of dreams that died while waiting on them (a crash, a kill, a
/// power cut), so nothing is billed and lost. Returns how many were canceled; a batch whose
/// cancel does not get through is tried again next time.
pub fn cancel_orphan_batches(conn: &Connection) -> Result<usize> {
    dreaming::curator::cancel_orphan_batches(conn)
}

/// Run an opened dream to the end. On failure or cancel its record says so and memory is
/// untouched.
pub fn run(
    conn: &mut Connection,
    begun: &Begun,
    now: DateTime<Utc>,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&DreamProgress),
) -> Result<DreamReport> {
    let report = dreaming::run(conn, begun, now, cancel, progress)?;
    // Auto-apply may have changed memory.
    if report.proposals.iter().any(|p| p.auto_applied) {
        if let Ok(agent) = dreams::agent_of(conn, report.dream.id) {
            super::flow::after_change(conn, agent, now);
        }
    }
    Ok(report)
}

/// An agent's dreams, newest first.
pub fn list(conn: &Connection, agent: &str) -> Result<Vec<Dream>> {
    dreams::list(conn, agents::id_of(conn, agent)?, 200)
}

/// One dream.
pub fn get(conn: &Connection, id: i64) -> Result<Dream> {
    dreams::get(conn, id)
}

/// One dream with its proposals and the memory entries they change.
pub fn report(conn: &Connection, id: i64) -> Result<DreamReport> {
    dreaming::report(conn, id)
}

/// Undo a dream: memory goes back exactly to how it was before the dream's changes.
pub fn undo(conn: &mut Connection, id: i64, now: DateTime<Utc>) -> Result<UndoReport> {
    let reverted = dreaming::review::undo_dream(conn, id, now)?;
    if let Ok(agent) = dreams::agent_of(conn, id) {
        super::flow::after_change(conn, agent, now);
    }
    Ok(UndoReport {
        report: dreaming::report(conn, id)?,
        reverted: reverted as u32,
    })
}

/// The desktop notification for a dream that ended, if it deserves one.
pub fn notice(conn: &Connection, dream: &Dream) -> Option<crate::notice::Notice> {
    let name = agents::get(conn, &dream.agent).map_or_else(|_| dream.agent.clone(), |a| a.name);
    crate::notice::dream_finished(&name, dream)
}

/// Mark dreams whose process is gone (a crash, a kill) as interrupted, so they block nothing.
pub fn recover_interrupted(conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
    dreaming::liveness::recover(conn, now)
}
