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
    dreaming::dream(conn, req, now, cancel, progress)
}

/// Open a dream's record (refused while another dream of the agent runs). Quick, so a window
/// can answer at once and [`run`] the rest elsewhere.
pub fn begin(conn: &mut Connection, req: &DreamRequest, now: DateTime<Utc>) -> Result<Begun> {
    dreaming::begin(conn, req, now)
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
    dreaming::run(conn, begun, now, cancel, progress)
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

/// Mark dreams that a crash or kill cut off as interrupted, so they block nothing.
pub fn recover_interrupted(conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
    dreams::mark_interrupted(
        conn,
        now - chrono::Duration::minutes(dreaming::STALE_AFTER_MINUTES),
        now,
    )
}
