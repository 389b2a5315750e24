//! The one place that opens the database: pragmas, embedded migrations, version check.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Ordered migrations; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_trust.sql"),
    include_str!("migrations/0003_work.sql"),
    include_str!("migrations/0004_flow.sql"),
    include_str!("migrations/0005_managed.sql"),
    include_str!("migrations/0006_teams.sql"),
    include_str!("migrations/0007_impact.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The app's database in the OS data directory, unless `REVERIE_DB` says otherwise.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("REVERIE_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("Reverie")
        .join("reverie.db")
}

/// Open (creating if needed) and migrate the database at `path`.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("could not create the folder {}", dir.display()), e))?;
    }
    let mut conn = Connection::open(path)?;
    configure(&mut conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// An in-memory database with the full schema, for tests.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&mut conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// How long a writer waits for another to finish before giving up with `busy`.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

fn configure(conn: &mut Connection) -> Result<()> {
    // The app and a CLI/scheduler may use the file at once: WAL lets readers and one writer
    // proceed together, and the busy timeout waits out short write locks instead of failing.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Every transaction takes the write lock when it begins. A deferred one that reads first
    // and writes later cannot wait for the lock (SQLite answers "database is locked" at once,
    // whatever the busy timeout), so concurrent writers would be refused.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // All pending migrations in one transaction: a failure leaves the file as it was.
    let tx = conn.transaction()?;
    for sql in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_file_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/reverie.db");
        let conn = open(&path).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(conn);
        open(&path).unwrap();
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reverie.db");
        {
            let conn = open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = open(&path).unwrap_err();
        assert!(matches!(err, Error::DatabaseTooNew { .. }));
        assert!(err.to_string().contains("newer version of Reverie"));
        // Refused, not changed.
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION + 1);
    }
}
