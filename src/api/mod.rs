//! The engine's one front door. Every verb a person can use (in the app, on the command line,
//! through MCP later) is one function here: plain arguments and `now` in, a typed result or a
//! typed [`Error`](crate::Error) out. The desktop shell and the command line call only this
//! module; they hold no logic and no SQL.
//!
//! Connections come from [`open`]. Long work (import, dreams) reports progress through a
//! callback and stops when its cancel flag is raised.

pub mod agents;
pub mod dreams;
pub mod flow;
pub mod managed;
pub mod memory;
pub mod progress;
pub mod provider;
pub mod review;
pub mod rubric;
pub mod schedule;
pub mod sessions;
pub mod settings;
pub mod teams;
pub mod work;

use std::path::{Path, PathBuf};

pub use rusqlite::Connection;

use crate::error::Result;
use crate::model::AppInfo;

/// Open (creating and migrating if needed) the database at `path`. A dream whose process is
/// gone (a crash, a kill) is marked interrupted here, so it never blocks the next command.
pub fn open(path: &Path) -> Result<Connection> {
    let conn = crate::store::db::open(path)?;
    crate::dreaming::liveness::recover(&conn, chrono::Utc::now())?;
    Ok(conn)
}

/// The app's database in the OS data folder, unless `REVERIE_DB` says otherwise.
pub fn default_db_path() -> PathBuf {
    crate::store::db::default_path()
}

/// The version, and where the database lives so a person can back it up.
pub fn app_info(db_path: &Path) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: db_path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MemoryEventKind, Scope};
    use crate::rubric::Rubric;
    use crate::store::db;
    use crate::store::{agents, memory as mem};
    use crate::Error;
    use chrono::{DateTime, Utc};

    fn now() -> DateTime<Utc> {
        "2026-11-24T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn memory_edits_are_events_with_history() {
        let mut conn = db::open_in_memory().unwrap();
        agents::create(&conn, "a", None, now()).unwrap();
        let scope: Scope = [("client".to_string(), "Harbour Tea".to_string())].into();
        let e = memory::add(
            &mut conn,
            "a",
            "  No exclamation marks. ",
            scope.clone(),
            now(),
        )
        .unwrap();
        assert_eq!(e.content, "No exclamation marks.");
        let e2 = memory::edit(
            &mut conn,
            "a",
            e.id,
            "Never use exclamation marks.",
            scope,
            now(),
        )
        .unwrap();
        assert_eq!(e2.content, "Never use exclamation marks.");
        memory::delete(&mut conn, "a", e.id, now()).unwrap();
        let agent_id = agents::id_of(&conn, "a").unwrap();
        assert!(mem::list(&conn, agent_id).unwrap().is_empty());
        let h = memory::history(&conn, "a").unwrap();
        let kinds: Vec<_> = h.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                MemoryEventKind::Remove,
                MemoryEventKind::Edit,
                MemoryEventKind::Add
            ]
        );
        assert_eq!(h[1].before.as_deref(), Some("No exclamation marks."));
        assert!(matches!(
            memory::add(&mut conn, "a", "  ", Scope::new(), now()),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn schedule_info_speaks_plainly() {
        let i = schedule::describe("30 7 * * 1-5", now());
        assert_eq!(i.words, "Weekdays at 7:30");
        assert_eq!(i.next_runs.len(), 3);
        assert!(i.next_runs.windows(2).all(|w| w[0] < w[1]));
        let bad = schedule::describe("every night", now());
        assert!(bad.error.unwrap().contains("needs 5"));
    }

    #[test]
    fn rubric_checks_report_fields_and_yaml() {
        let mut r = Rubric::default();
        assert!(rubric::check(&r).issues.is_empty());
        r.dreaming.review_window_days = 0;
        let c = rubric::check(&r);
        assert_eq!(c.issues[0].field, "dreaming.review_window_days");
        let p = rubric::parse_yaml("outcomes: [");
        assert!(p.rubric.is_none() && p.issues[0].line.is_some());
    }
}
