//! Whether an agent is getting better: outcome rates and drafts accepted as written, week by
//! week, with dream markers; the headline before and since dreaming; each memory entry's effect.

use chrono::Utc;
use rusqlite::Connection;

use crate::error::Result;
use crate::model::{ProgressReport, Scope};

/// The agent's progress, limited to sessions with `tags` (`{}`: all). Sessions not graded yet
/// are graded first (once; their grades then stay).
pub fn report(conn: &Connection, agent: &str, tags: &Scope) -> Result<ProgressReport> {
    crate::dreaming::grading::ensure(conn, agent, Utc::now())?;
    crate::store::progress::report(conn, agent, tags)
}
