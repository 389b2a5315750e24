//! Dreams that run while the window stays responsive: each on its own thread with its own
//! connection and a cancel flag, reporting progress and completion as events. Dreams the
//! scheduler starts register their flags here too, so one `cancel_dream` stops either kind.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use reverie::api;
use reverie::dreaming::DreamRequest;
use reverie::model::{Dream, Trigger};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;

use crate::commands::{with_db, Answer};
use crate::ipc::{DreamFinished, DreamProgressed};
use crate::{notify, tray, Db};

/// Cancel flags of the dreams this process is running.
#[derive(Default)]
pub struct Running(Mutex<HashMap<i64, Arc<AtomicBool>>>);

impl Running {
    pub fn insert(&self, id: i64, flag: Arc<AtomicBool>) {
        self.0.lock().expect("lock").insert(id, flag);
    }

    pub fn remove(&self, id: i64) {
        self.0.lock().expect("lock").remove(&id);
    }

    pub fn get(&self, id: i64) -> Option<Arc<AtomicBool>> {
        self.0.lock().expect("lock").get(&id).cloned()
    }
}

/// Send an event to the window; a closed window must not fail the work behind it.
pub fn emit<E: Event + serde::Serialize + Clone>(app: &AppHandle, event: E) {
    let _ = event.emit(app);
}

/// Tell the window a dream ended, tell the person (a notification, unless they are looking at
/// the window or asked for none), and bring the tray's status up to date.
pub fn finished(app: &AppHandle, conn: &api::Connection, dream: &Dream, always_notify: bool) {
    emit(app, DreamFinished(dream.clone()));
    let watching = app
        .get_webview_window("main")
        .is_some_and(|w| w.is_visible().unwrap_or(false) && w.is_focused().unwrap_or(false));
    if always_notify || !watching {
        notify::dream_finished(app, conn, dream);
    }
    tray::refresh(app);
}

/// Open a dream for `agent` and run it on a thread of its own; answers with the running dream.
pub async fn start_dream(
    app: AppHandle,
    db: &Db,
    agent: String,
    window_days: Option<u32>,
) -> Answer<Dream> {
    let req = DreamRequest {
        agent,
        window_days,
        trigger: Trigger::Manual,
    };
    let started = with_db(db, move |c| api::dreams::start(c, &req, Utc::now())).await?;
    let begun = match started {
        api::dreams::Started::New(begun) => *begun,
        // The agent is already dreaming (a scheduled dream, the tray): join that one; its
        // progress events keep coming to the window.
        api::dreams::Started::Joined(dream) => return Ok(*dream),
    };
    let id = begun.dream_id;
    let handle = app.clone();
    follow(&app, db, id, move |c, cancel| {
        api::dreams::run(c, &begun, Utc::now(), cancel, &mut |p| {
            emit(&handle, DreamProgressed(p.clone()))
        })
        .map(|_| ())
    });
    with_db(db, move |c| api::dreams::get(c, id)).await
}

/// Run dream `id`'s remaining work on a thread of its own with a stop flag `cancel_dream`
/// reaches, then tell the window (and the person) how it ended: Reverie's dreams and
/// Anthropic's alike.
pub fn follow(
    app: &AppHandle,
    db: &Db,
    id: i64,
    work: impl FnOnce(&mut api::Connection, &AtomicBool) -> reverie::Result<()> + Send + 'static,
) {
    let cancel = Arc::new(AtomicBool::new(false));
    db.running.insert(id, cancel.clone());
    let path = db.path.clone();
    let handle = app.clone();
    std::thread::spawn(move || {
        let result = api::open(&path).and_then(|mut c| {
            work(&mut c, &cancel)?;
            Ok(c)
        });
        if let Some(state) = handle.try_state::<Db>() {
            state.running.remove(id);
        }
        // A failed or canceled run has still closed its record; read it back either way.
        let ended = result
            .or_else(|_| api::open(&path))
            .and_then(|c| api::dreams::get(&c, id).map(|d| (c, d)));
        if let Ok((conn, dream)) = ended {
            finished(&handle, &conn, &dream, false);
        }
    });
    tray::refresh(app);
}

/// Stop a running dream: at once if this process runs it, and through its record for one the
/// command line or another window runs.
pub async fn cancel_dream(db: &Db, id: i64) -> Answer<()> {
    if let Some(flag) = db.running.0.lock().expect("lock").get(&id) {
        flag.store(true, Ordering::Relaxed);
    }
    with_db(db, move |c| api::dreams::cancel(c, id, Utc::now())).await
}
