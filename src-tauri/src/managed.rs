//! Claude Managed Agents from the window: the managed agents the Anthropic key can see, an
//! agent's link, pull and push now, and Anthropic's dream, run on a thread of its own like
//! Reverie's dreams and reviewed in the same place. The key stays in the keychain.

use chrono::Utc;
use reverie::api;
use reverie::model::{Dream, ManagedAgent, ManagedLink, PullReport, PushReport};
use reverie::secret::Keychain;
use tauri::{AppHandle, State};

use crate::background::follow;
use crate::commands::{with_db, Answer};
use crate::Db;

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
    follow(&app, &db, id, move |c, cancel| {
        api::managed::finish_dream(c, &Keychain::default(), begun, cancel, Utc::now).map(|_| ())
    });
    with_db(&db, move |c| api::dreams::get(c, id)).await
}
