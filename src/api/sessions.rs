//! Sessions: list and read them, the tag values they carry, and import files of them.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::Result;
use crate::import::{self, ImportOptions};
use crate::model::{ImportProgress, ImportReport, ScopeCount, Session, SessionFilter, SessionPage};
use crate::store::{agents, sessions};

/// An agent's sessions, newest first, narrowed by `filter`.
pub fn list(conn: &Connection, agent: &str, filter: &SessionFilter) -> Result<SessionPage> {
    sessions::list(conn, agent, filter)
}

/// One session with its transcript, feedback and grades.
pub fn get(conn: &Connection, agent: &str, id: &str) -> Result<Session> {
    sessions::get(conn, agent, id)
}

/// Tag values (such as clients) on an agent's sessions, most used first.
pub fn scopes(conn: &Connection, agent: &str) -> Result<Vec<ScopeCount>> {
    sessions::scopes(conn, agents::id_of(conn, agent)?)
}

/// Import a file of sessions in any supported format; bad lines are reported, good ones land.
pub fn import_file(
    conn: &mut Connection,
    path: &Path,
    opts: &ImportOptions,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportReport> {
    import::import_file(conn, path, opts, now, progress)
}
