//! Whether an agent is getting better: outcome rates week by week, with dream markers.

use rusqlite::Connection;

use crate::error::Result;
use crate::model::ProgressReport;

pub fn report(conn: &Connection, agent: &str) -> Result<ProgressReport> {
    crate::store::progress::report(conn, agent)
}
