//! Chat turns that stream while the window stays responsive: the person's message is saved and
//! answered at once, the agent's answer streams on a thread of its own as `work-text` events,
//! and `work-finished` says how it ended. One answer at a time per session; `work_stop` raises
//! its cancel flag and the part that arrived is kept.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use reverie::api::{self, work};
use reverie::error::ErrorJson;
use reverie::llm::Heard;
use reverie::model::Scope;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};

use crate::background::emit;
use crate::commands::{with_db, Answer};
use crate::ipc::{WorkFinished, WorkText};
use crate::Db;

/// Cancel flags of the answers streaming now, by session.
#[derive(Default)]
pub struct Answering(Mutex<HashMap<String, Arc<AtomicBool>>>);

/// More of an answer arrived.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct WorkDelta {
    pub session: String,
    /// Text to add to what arrived so far.
    pub text: String,
    /// Forget what arrived so far first (the provider failed mid-answer and is asked again).
    pub reset: bool,
}

/// An answer ended: `turn` when it was saved (whole or stopped), `error` when it failed.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct WorkEnded {
    pub session: String,
    pub turn: Option<work::Turn>,
    pub error: Option<ErrorJson>,
}

/// Save the person's message and start the answer; answers at once.
pub async fn send(app: AppHandle, db: &Db, req: work::TurnRequest) -> Answer<work::Asked> {
    if let Some(id) = &req.session {
        if db.answering.0.lock().expect("lock").contains_key(id) {
            return Err(reverie::Error::Busy(
                "the agent is still answering in this session; wait for it or stop it".into(),
            )
            .to_json());
        }
    }
    let opened = with_db(db, move |c| work::open(c, &req, Utc::now())).await?;
    let asked = opened.asked();
    let session = asked.session.clone();
    let cancel = Arc::new(AtomicBool::new(false));
    db.answering
        .0
        .lock()
        .expect("lock")
        .insert(session.clone(), cancel.clone());
    let path = db.path.clone();
    std::thread::spawn(move || {
        let mut on_heard = |h: Heard| {
            let delta = match h {
                Heard::Text(text) => WorkDelta {
                    session: session.clone(),
                    text,
                    reset: false,
                },
                Heard::TextReset => WorkDelta {
                    session: session.clone(),
                    text: String::new(),
                    reset: true,
                },
                _ => return,
            };
            emit(&app, WorkText(delta));
        };
        let result = api::open(&path)
            .and_then(|c| work::answer(&c, opened, Utc::now, &cancel, &mut on_heard));
        if let Some(state) = app.try_state::<Db>() {
            state.answering.0.lock().expect("lock").remove(&session);
        }
        let (turn, error) = match result {
            Ok(t) => (Some(t), None),
            Err(e) => (None, Some(e.to_json())),
        };
        emit(
            &app,
            WorkFinished(WorkEnded {
                session,
                turn,
                error,
            }),
        );
    });
    Ok(asked)
}

/// Stop the answer streaming in `session`; what arrived is kept. Nothing to stop is no error.
pub fn stop(db: &Db, session: &str) {
    if let Some(flag) = db.answering.0.lock().expect("lock").get(session) {
        flag.store(true, Ordering::Relaxed);
    }
}

/// The tags a chat starts with, from the window's `{key: value}`.
pub fn request(
    agent: String,
    session: Option<String>,
    tags: Scope,
    text: String,
) -> work::TurnRequest {
    work::TurnRequest {
        agent,
        session,
        tags,
        text,
    }
}
