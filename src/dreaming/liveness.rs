//! Whether a running dream is really running. The process that runs a dream holds an
//! exclusive lock on a small file next to the database (`reverie.db-dreams/<id>.lock`); the
//! operating system drops the lock when the process ends, however it ends (a crash, a kill,
//! a power cut). So a dream whose lock can be taken is dead: it is marked interrupted at once,
//! and the agent's next dream runs. Dreams without a lock file (an in-memory database, or one
//! started by an older version) fall back to their heartbeat.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::store::dreams;

/// A running dream whose heartbeat is older than this, and that has no lock file, was cut off.
pub const STALE_AFTER_MINUTES: i64 = 10;

/// The lock a running dream holds until it ends; dropping it releases and removes the file.
#[derive(Debug)]
pub struct DreamLock {
    file: File,
    path: PathBuf,
}

impl Drop for DreamLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Where the lock files of the database behind `conn` live; `None` for an in-memory one.
fn folder(conn: &Connection) -> Option<PathBuf> {
    let db = conn.path().filter(|p| !p.is_empty())?;
    let db = Path::new(db);
    let name = format!("{}-dreams", db.file_name()?.to_string_lossy());
    Some(db.with_file_name(name))
}

fn lock_path(folder: &Path, dream_id: i64) -> PathBuf {
    folder.join(format!("{dream_id}.lock"))
}

/// Take the lock for a dream about to run. `None` for an in-memory database.
pub fn lock(conn: &Connection, dream_id: i64) -> Result<Option<DreamLock>> {
    let Some(dir) = folder(conn) else {
        return Ok(None);
    };
    let io = |e| {
        Error::io(
            format!("could not create the dream lock in {}", dir.display()),
            e,
        )
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let path = lock_path(&dir, dream_id);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(DreamLock { file, path })),
        Err(TryLockError::WouldBlock) => Err(Error::Internal(format!(
            "dream #{dream_id}'s lock is held by another process"
        ))),
        Err(TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Whether the dream's process is gone: `Some(true)` when its lock file exists and nobody holds
/// it, `Some(false)` when somebody does, `None` when there is no lock file to tell.
fn is_dead(dir: &Path, dream_id: i64) -> Option<bool> {
    let path = lock_path(dir, dream_id);
    let file = OpenOptions::new().write(true).open(&path).ok()?;
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            let _ = std::fs::remove_file(&path);
            Some(true)
        }
        Err(TryLockError::WouldBlock) => Some(false),
        Err(TryLockError::Error(_)) => None,
    }
}

/// Mark running dreams whose process is gone as interrupted (memory was never touched), so
/// they block nothing. Returns how many were marked.
pub fn recover(conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
    let dir = folder(conn);
    let stale_before = now - Duration::minutes(STALE_AFTER_MINUTES);
    let mut marked = 0;
    for (id, heartbeat) in dreams::running_all(conn)? {
        let dead = match dir.as_deref().and_then(|d| is_dead(d, id)) {
            Some(dead) => dead,
            None => heartbeat < stale_before,
        };
        if dead {
            marked += dreams::mark_interrupted(conn, id, heartbeat)?;
        }
    }
    Ok(marked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Trigger;
    use crate::store::{agents, db};

    fn running_dream(conn: &Connection, now: DateTime<Utc>) -> i64 {
        let agent_id = agents::ensure(conn, "a", now).unwrap();
        dreams::create(
            conn,
            &dreams::NewDream {
                agent_id,
                trigger: Trigger::Manual,
                window_days: 7,
                window_start: now - Duration::days(7),
                window_end: now,
                memory_version_start: 0,
                model: "offline",
            },
            now,
        )
        .unwrap()
    }

    #[test]
    fn a_dream_whose_lock_nobody_holds_is_interrupted_at_once_and_a_held_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let conn = db::open(&dir.path().join("r.db")).unwrap();
        let now: DateTime<Utc> = "2026-11-20T10:00:00Z".parse().unwrap();
        let alive = running_dream(&conn, now);
        let held = lock(&conn, alive)
            .unwrap()
            .expect("a file database has locks");
        let dead = running_dream(&conn, now);
        // A process that died leaves its lock file behind, unlocked.
        let folder = folder(&conn).unwrap();
        std::fs::write(lock_path(&folder, dead), b"").unwrap();
        // A fresh heartbeat does not keep a dead dream alive.
        assert_eq!(recover(&conn, now).unwrap(), 1);
        let status = |id| dreams::get(&conn, id).unwrap().status;
        assert_eq!(status(dead), crate::model::DreamStatus::Interrupted);
        assert_eq!(status(alive), crate::model::DreamStatus::Running);
        assert_eq!(
            dreams::get(&conn, dead).unwrap().finished_at,
            Some(now),
            "it ended at its last heartbeat"
        );
        drop(held);
        assert!(
            !lock_path(&folder, alive).exists(),
            "a finished dream cleans up"
        );
    }

    #[test]
    fn without_a_lock_file_the_heartbeat_decides() {
        let conn = db::open_in_memory().unwrap();
        let now: DateTime<Utc> = "2026-11-20T10:00:00Z".parse().unwrap();
        let id = running_dream(&conn, now);
        assert_eq!(recover(&conn, now + Duration::minutes(5)).unwrap(), 0);
        assert_eq!(recover(&conn, now + Duration::minutes(11)).unwrap(), 1);
        assert_eq!(
            dreams::get(&conn, id).unwrap().status,
            crate::model::DreamStatus::Interrupted
        );
    }
}
