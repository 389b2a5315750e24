//! Tauri commands: thin calls into the engine. No logic lives here.

use std::path::PathBuf;

use reverie::import::{self, Format, ImportOptions};
use reverie::model::{
    Agent, AppInfo, ImportReport, MemoryEntry, Session, SessionFilter, SessionPage,
};
use reverie::store::{agents, memory, sessions};
use reverie::{db, Error, Result};
use rusqlite::Connection;
use tauri::{AppHandle, Emitter, State};

use crate::Db;

/// Run engine work on a blocking thread with its own connection: rusqlite must never block
/// the async runtime that also serves the window.
async fn with_db<T: Send + 'static>(
    db: &State<'_, Db>,
    f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
) -> Result<T> {
    let path = db.path.clone();
    tauri::async_runtime::spawn_blocking(move || f(&mut db::open(&path)?))
        .await
        .map_err(|e| Error::Internal(format!("background task failed: {e}")))?
}

#[tauri::command]
pub async fn app_info(db: State<'_, Db>) -> Result<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        db_path: db.path.display().to_string(),
    })
}

#[tauri::command]
pub async fn list_agents(db: State<'_, Db>) -> Result<Vec<Agent>> {
    with_db(&db, |c| agents::list(c)).await
}

#[tauri::command]
pub async fn get_agent(db: State<'_, Db>, slug: String) -> Result<Agent> {
    with_db(&db, move |c| agents::get(c, &slug)).await
}

#[tauri::command]
pub async fn list_sessions(
    db: State<'_, Db>,
    agent: String,
    filter: SessionFilter,
) -> Result<SessionPage> {
    with_db(&db, move |c| sessions::list(c, &agent, &filter)).await
}

#[tauri::command]
pub async fn get_session(db: State<'_, Db>, agent: String, id: String) -> Result<Session> {
    with_db(&db, move |c| sessions::get(c, &agent, &id)).await
}

#[tauri::command]
pub async fn list_memory(db: State<'_, Db>, agent: String) -> Result<Vec<MemoryEntry>> {
    with_db(&db, move |c| memory::list(c, agents::id_of(c, &agent)?)).await
}

#[tauri::command]
pub async fn import_file(
    app: AppHandle,
    db: State<'_, Db>,
    path: PathBuf,
    format: Option<String>,
    agent: Option<String>,
) -> Result<ImportReport> {
    let format = match format.as_deref() {
        None | Some("") | Some("auto") => None,
        Some(f) => Some(Format::parse(f).ok_or_else(|| {
            Error::InvalidInput(format!("\"{f}\" is not a format Reverie reads"))
        })?),
    };
    let opts = ImportOptions { format, agent: agent.filter(|a| !a.is_empty()) };
    with_db(&db, move |c| {
        import::import_file(c, &path, &opts, chrono::Utc::now(), &mut |p| {
            // Progress is best effort: a closed window must not fail the import.
            let _ = app.emit("import-progress", p);
        })
    })
    .await
}
