//! Claude Managed Agents from the window: the managed agents the Anthropic key can see, an
//! agent's link, pull and push now, and Anthropic's dream, run on a thread of its own like
//! Reverie's dreams and reviewed in the same place. The key stays in the keychain.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::Utc;
use reverie::api;
use reverie::model::{Dream, ManagedAgent, ManagedLink, PullReport, PushReport};
use reverie::secret::Keychain;
use tauri::{AppHandle, Manager, State};

use crate::background::finished;
use crate::commands::{with_db, Answer};
use crate::{tray, Db};

/// The managed agents the saved Anthropic key can see.
#[tauri::command]
#[specta::specta]
pub async fn managed_agents(db: State<'_, Db>) -> Answer<Vec<ManagedAgent>> {
    with_db(&db, |c| api::managed::list_agents(c, &Keychain::default())).await
}

/// The agent's link to a managed agent, if any.
#[tauri::command]
#[specta::specta]
pub async fn managed_link(db: State<'_, Db>, agent: String) -> Answer<Option<ManagedLink>> {
    with_db(&db, move |c| api::managed::get(c, &agent)).await
}

/// Link the agent to a managed agent (and an existing memory store, if given).
#[tauri::command]
#[specta::specta]
pub async fn link_managed(
    db: State<'_, Db>,
    agent: String,
    managed_agent_id: String,
    memory_store_id: Option<String>,
) -> Answer<ManagedLink> {
    with_db(&db, move |c| {
        api::managed::link(
            c,
            &Keychain::default(),
            &agent,
            &managed_agent_id,
            memory_store_id.as_deref(),
            Utc::now(),
        )
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn unlink_managed(db: State<'_, Db>, agent: String) -> Answer<()> {
    with_db(&db, move |c| api::managed::unlink(c, &agent)).await
}

/// Pull the managed agent's new and changed sessions (and, with `memory`, the store's entries).
#[tauri::command]
#[specta::specta]
pub async fn pull_managed(db: State<'_, Db>, agent: String, memory: bool) -> Answer<PullReport> {
    with_db(&db, move |c| {
        api::managed::pull(c, &Keychain::default(), &agent, memory, Utc::now())
    })
    .await
}

/// Publish memory to the store now; `force` writes over documents changed there.
#[tauri::command]
#[specta::specta]
pub async fn push_managed(db: State<'_, Db>, agent: String, force: bool) -> Answer<PushReport> {
    with_db(&db, move |c| {
        api::managed::push(c, &Keychain::default(), &agent, force, Utc::now())
    })
    .await
}

/// Start Anthropic's dream on the store and the newest `sessions` pulled sessions; answers
/// with the running dream, whose proposals arrive for review when it ends.
#[tauri::command]
#[specta::specta]
pub async fn start_managed_dream(
    app: AppHandle,
    db: State<'_, Db>,
    agent: String,
    sessions: u32,
) -> Answer<Dream> {
    let begun = with_db(&db, move |c| {
        api::managed::begin_dream(c, &Keychain::default(), &agent, sessions, Utc::now())
    })
    .await?;
    let id = begun.dream_id;
    let cancel = Arc::new(AtomicBool::new(false));
    db.running.insert(id, cancel.clone());
    let path = db.path.clone();
    let handle = app.clone();
    std::thread::spawn(move || {
        let result = api::open(&path).and_then(|mut c| {
            api::managed::finish_dream(&mut c, &Keychain::default(), begun, &cancel, Utc::now)?;
            Ok(c)
        });
        if let Some(state) = handle.try_state::<Db>() {
            state.running.remove(id);
        }
        let ended = result
            .or_else(|_| api::open(&path))
            .and_then(|c| api::dreams::get(&c, id).map(|d| (c, d)));
        if let Ok((conn, dream)) = ended {
            finished(&handle, &conn, &dream, false);
        }
    });
    tray::refresh(&app);
    with_db(&db, move |c| api::dreams::get(c, id)).await
}
