//! The in-app scheduler: a thread running the engine's scheduler loop (the same one
//! `reverie scheduler run` runs), reporting to the window, the tray and notifications.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use reverie::api::schedule::{Listener, Outcome};
use reverie::api::{self, Connection};
use reverie::model::DreamProgress;
use tauri::{AppHandle, Manager};

use crate::background::{self, emit};
use crate::ipc::DreamProgressed;
use crate::{tray, Db};

/// The longest the thread sleeps between looks.
const MAX_WAIT: Duration = Duration::from_secs(60);

pub fn start(app: AppHandle, path: PathBuf) {
    let spawned = std::thread::Builder::new()
        .name("scheduler".into())
        .spawn(move || {
            let stop = AtomicBool::new(false);
            let mut to_app = ToApp { app, current: None };
            api::schedule::run_loop(&path, &mut to_app, &stop, MAX_WAIT);
        });
    if let Err(e) = spawned {
        eprintln!("reverie: the scheduler could not start: {e}");
    }
}

/// Scheduled dreams show in the window (with cancel), the tray, and a notification.
struct ToApp {
    app: AppHandle,
    /// The scheduled dream running now, whose cancel flag is registered.
    current: Option<i64>,
}

impl Listener for ToApp {
    fn progress(&mut self, p: &DreamProgress, cancel: &Arc<AtomicBool>) {
        let db = self.app.state::<Db>();
        if self.current != Some(p.dream_id) {
            if let Some(old) = self.current.replace(p.dream_id) {
                db.running.remove(old);
            }
            db.running.insert(p.dream_id, cancel.clone());
            tray::refresh(&self.app);
        }
        if p.fraction >= 1.0 {
            // Done: a late cancel must not reach the next agent's dream through the shared flag.
            db.running.remove(p.dream_id);
        }
        emit(&self.app, DreamProgressed(p.clone()));
    }

    fn outcome(&mut self, conn: &Connection, outcome: &Outcome) {
        if let Some(id) = self.current.take() {
            self.app.state::<Db>().running.remove(id);
        }
        let dream_id = match outcome {
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
        if let Some(dream) = dream_id.and_then(|id| api::dreams::get(conn, id).ok()) {
            // The person did not ask for this dream, so it is always worth telling them.
            background::finished(&self.app, conn, &dream, true);
        }
    }

    fn looked(&mut self) {
        tray::refresh(&self.app);
    }
}
