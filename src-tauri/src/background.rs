//! Dreams that run while the window stays responsive: each on its own thread with its own
//! connection and a cancel flag, reporting progress and completion as events.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use reverie::dreaming::{self, DreamRequest};
use reverie::model::Dream;
use reverie::store::dreams;
use reverie::{db, Error, Result};
use serde::Serialize;
use tauri::{AppHandle, Emitter};

use crate::commands::with_db;
use crate::Db;

/// Cancel flags of the dreams this process is running.
#[derive(Default)]
pub struct Running(Mutex<HashMap<i64, Arc<AtomicBool>>>);

/// Send an event to the window; a closed window must not fail the work behind it.
pub fn emit<T: Serialize + Clone>(app: &AppHandle, event: &str, payload: T) {
    let _ = app.emit(event, payload);
}

pub async fn start_dream(
    app: AppHandle,
    db: &Db,
    agent: String,
    window_days: Option<u32>,
    trigger: &str,
) -> Result<Dream> {
    let req = DreamRequest {
        agent,
        window_days,
        trigger: trigger.to_string(),
    };
    let begun = with_db(db, move |c| dreaming::begin(c, &req, Utc::now())).await?;
    let id = begun.dream_id;
    let cancel = Arc::new(AtomicBool::new(false));
    db.running
        .0
        .lock()
        .expect("lock")
        .insert(id, cancel.clone());
    let path = db.path.clone();
    let handle = app.clone();
    std::thread::spawn(move || {
        let result = db::open(&path).and_then(|mut c| {
            dreaming::run(&mut c, &begun, Utc::now(), &cancel, &mut |p| {
                emit(&handle, "dream-progress", p)
            })?;
            dreams::get(&c, id)
        });
        if let Some(state) = tauri::Manager::try_state::<Db>(&handle) {
            state.running.0.lock().expect("lock").remove(&id);
        }
        let finished = result.or_else(|_| db::open(&path).and_then(|c| dreams::get(&c, id)));
        if let Ok(dream) = finished {
            emit(&handle, "dream-finished", dream);
        }
    });
    with_db(db, move |c| dreams::get(c, id)).await
}

pub fn cancel_dream(db: &Db, id: i64) -> Result<()> {
    match db.running.0.lock().expect("lock").get(&id) {
        Some(flag) => {
            flag.store(true, Ordering::Relaxed);
            Ok(())
        }
        None => Err(Error::NotFound(format!("dream #{id} is not running"))),
    }
}
