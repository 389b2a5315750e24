//! The in-app scheduler: one thread that runs whatever the agents' schedules have made due
//! (the engine's `scheduler::tick`), then sleeps until the next run, waking at least once a
//! minute so an edited schedule or a machine waking from sleep is noticed promptly.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use reverie::scheduler::{self, Outcome};
use reverie::store::dreams;
use reverie::{db, Result};
use rusqlite::Connection;
use tauri::{AppHandle, Manager};

use crate::background::{self, emit};
use crate::{tray, Db};

/// The longest the thread sleeps between looks.
const MAX_WAIT: Duration = Duration::from_secs(60);

pub fn start(app: AppHandle, path: PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("scheduler".into())
        .spawn(move || run(app, path));
    if let Err(e) = spawned {
        eprintln!("reverie: the scheduler could not start: {e}");
    }
}

fn run(app: AppHandle, path: PathBuf) {
    let mut conn = None;
    loop {
        if conn.is_none() {
            conn = db::open(&path)
                .map_err(|e| eprintln!("reverie: scheduler: {e}"))
                .ok();
        }
        let wait = match conn.as_mut() {
            Some(c) => match pass(&app, c) {
                Ok(wait) => wait,
                Err(e) => {
                    eprintln!("reverie: scheduler: {e}");
                    MAX_WAIT
                }
            },
            None => MAX_WAIT,
        };
        tray::refresh(&app);
        std::thread::sleep(wait);
    }
}

/// One look: run what is due, report each outcome, and say how long to sleep.
fn pass(app: &AppHandle, conn: &mut Connection) -> Result<Duration> {
    let db = app.state::<Db>();
    // A fresh flag per pass: `cancel_dream` on the running scheduled dream raises it.
    let cancel = Arc::new(AtomicBool::new(false));
    let mut current: Option<i64> = None;
    let outcomes = scheduler::tick(conn, Utc::now(), &cancel, &mut |p| {
        if current != Some(p.dream_id) {
            if let Some(old) = current.replace(p.dream_id) {
                db.running.remove(old);
            }
            db.running.insert(p.dream_id, cancel.clone());
            tray::refresh(app);
        }
        if p.fraction >= 1.0 {
            // Done: a late cancel must not reach the next agent's dream through the shared flag.
            db.running.remove(p.dream_id);
        }
        emit(app, "dream-progress", p);
    });
    if let Some(id) = current {
        db.running.remove(id);
    }
    for outcome in outcomes? {
        let dream_id = match &outcome {
            Outcome::Dreamed(report) => Some(report.dream.id),
            Outcome::Failed {
                dream_id, error, ..
            } => {
                eprintln!("reverie: a scheduled dream failed: {error}");
                *dream_id
            }
            Outcome::Canceled { dream_id, .. } => Some(*dream_id),
            Outcome::Skipped { .. } | Outcome::Busy { .. } => None,
        };
        if let Some(dream) = dream_id.and_then(|id| dreams::get(conn, id).ok()) {
            // The person did not ask for this dream, so it is always worth telling them.
            background::finished(app, conn, &dream, true);
        }
    }
    let now = Utc::now();
    let wake = scheduler::next_wake(conn, now, chrono::Duration::from_std(MAX_WAIT).unwrap())?;
    Ok((wake - now)
        .to_std()
        .unwrap_or_default()
        .clamp(Duration::from_secs(1), MAX_WAIT))
}
