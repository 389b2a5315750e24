//! Working with the agent: send it a task (or continue a session) and stream its answer,
//! through the configured provider, with its system prompt, model and memory for the tags.

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::llm::Heard;
pub use crate::work::chat::{Asked, Opened, Turn, TurnRequest};

/// Save the person's message (a new session when none is given) and prepare the request.
/// Quick, so a window can show the message at once and [`answer`] on another thread.
pub fn open(conn: &mut Connection, req: &TurnRequest, now: DateTime<Utc>) -> Result<Opened> {
    crate::work::chat::open(conn, req, now)
}

/// Stream the agent's answer to `on_heard` and save it; raising `cancel` stops it, keeping
/// what arrived.
pub fn answer(
    conn: &Connection,
    opened: Opened,
    now: impl Fn() -> DateTime<Utc>,
    cancel: &AtomicBool,
    on_heard: &mut (dyn FnMut(Heard) + Send),
) -> Result<Turn> {
    crate::work::chat::answer(conn, opened, now, cancel, on_heard)
}

/// [`open`] then [`answer`].
pub fn turn(
    conn: &mut Connection,
    req: &TurnRequest,
    now: impl Fn() -> DateTime<Utc>,
    cancel: &AtomicBool,
    on_heard: &mut (dyn FnMut(Heard) + Send),
) -> Result<Turn> {
    let opened = open(conn, req, now())?;
    answer(conn, opened, now, cancel, on_heard)
}
