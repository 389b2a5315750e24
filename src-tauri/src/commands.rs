//! Tauri commands: each borrows state and makes one call into the engine on a blocking thread.
//! No logic lives here.

use std::path::PathBuf;

use chrono::Utc;
use reverie::import::{self, Format, ImportOptions};
use reverie::llm::config::{ProviderConfig, ProviderKind, ProviderStatus};
use reverie::model::{
    Agent, AgentPatch, AgentSchedule, AppInfo, Dream, DreamReport, ImportReport, MemoryEntry,
    MemoryEvent, ProgressReport, Proposal, RubricCheck, RubricView, ScheduleInfo, Scope,
    ScopeCount, Session, SessionFilter, SessionPage,
};
use reverie::rubric::Rubric;
use reverie::settings::AppSettings;
use reverie::store::{agents, dreams, memory, progress, sessions};
use reverie::{app, db, dreaming, review, scheduler, Error, Result};
use rusqlite::Connection;
use tauri::{AppHandle, State};

use crate::{background, Db};

/// Run engine work on a blocking thread with its own connection: rusqlite must never block
/// the async runtime that also serves the window.
pub async fn with_db<T: Send + 'static>(
    db: &Db,
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
pub async fn create_agent(db: State<'_, Db>, slug: String, name: Option<String>) -> Result<Agent> {
    with_db(&db, move |c| {
        agents::create(c, &slug, name.as_deref(), Utc::now())
    })
    .await
}

#[tauri::command]
pub async fn update_agent(db: State<'_, Db>, slug: String, patch: AgentPatch) -> Result<Agent> {
    with_db(&db, move |c| agents::update(c, &slug, &patch, Utc::now())).await
}

#[tauri::command]
pub async fn create_demo(db: State<'_, Db>) -> Result<Agent> {
    with_db(&db, |c| reverie::demo::create_demo(c, Utc::now())).await
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
pub async fn list_scopes(db: State<'_, Db>, agent: String) -> Result<Vec<ScopeCount>> {
    with_db(&db, move |c| sessions::scopes(c, agents::id_of(c, &agent)?)).await
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
    let opts = ImportOptions {
        format,
        agent: agent.filter(|a| !a.is_empty()),
    };
    with_db(&db, move |c| {
        import::import_file(c, &path, &opts, Utc::now(), &mut |p| {
            background::emit(&app, "import-progress", p)
        })
    })
    .await
}

#[tauri::command]
pub async fn list_memory(db: State<'_, Db>, agent: String) -> Result<Vec<MemoryEntry>> {
    with_db(&db, move |c| memory::list(c, agents::id_of(c, &agent)?)).await
}

#[tauri::command]
pub async fn add_memory(
    db: State<'_, Db>,
    agent: String,
    content: String,
    scope: Scope,
) -> Result<MemoryEntry> {
    with_db(&db, move |c| {
        app::add_memory(c, &agent, &content, scope, Utc::now())
    })
    .await
}

#[tauri::command]
pub async fn edit_memory(
    db: State<'_, Db>,
    agent: String,
    id: i64,
    content: String,
    scope: Scope,
) -> Result<MemoryEntry> {
    with_db(&db, move |c| {
        app::edit_memory(c, &agent, id, &content, scope, Utc::now())
    })
    .await
}

#[tauri::command]
pub async fn delete_memory(db: State<'_, Db>, agent: String, id: i64) -> Result<()> {
    with_db(&db, move |c| app::delete_memory(c, &agent, id, Utc::now())).await
}

#[tauri::command]
pub async fn memory_history(db: State<'_, Db>, agent: String) -> Result<Vec<MemoryEvent>> {
    with_db(&db, move |c| app::memory_history(c, &agent)).await
}

#[tauri::command]
pub async fn export_memory(
    db: State<'_, Db>,
    agent: String,
    format: String,
    path: PathBuf,
) -> Result<()> {
    with_db(&db, move |c| app::export_memory(c, &agent, &format, &path)).await
}

#[tauri::command]
pub async fn get_rubric(db: State<'_, Db>, agent: String) -> Result<RubricView> {
    with_db(&db, move |c| app::get_rubric(c, &agent)).await
}

#[tauri::command]
pub fn check_rubric(rubric: Rubric) -> RubricCheck {
    app::check_rubric(&rubric)
}

#[tauri::command]
pub fn parse_rubric_yaml(yaml: String) -> RubricCheck {
    app::parse_rubric_yaml(&yaml)
}

#[tauri::command]
pub async fn save_rubric(db: State<'_, Db>, agent: String, rubric: Rubric) -> Result<RubricView> {
    with_db(&db, move |c| {
        app::save_rubric(c, &agent, &rubric, Utc::now())
    })
    .await
}

#[tauri::command]
pub async fn import_rubric_file(path: PathBuf) -> Result<RubricCheck> {
    app::import_rubric_file(&path)
}

#[tauri::command]
pub async fn export_rubric(db: State<'_, Db>, agent: String, path: PathBuf) -> Result<()> {
    with_db(&db, move |c| app::export_rubric(c, &agent, &path)).await
}

#[tauri::command]
pub fn describe_schedule(expr: String) -> ScheduleInfo {
    app::describe_schedule(&expr, Utc::now())
}

#[tauri::command]
pub async fn schedule_overview(db: State<'_, Db>) -> Result<Vec<AgentSchedule>> {
    with_db(&db, |c| scheduler::overview(c, Utc::now())).await
}

#[tauri::command]
pub async fn list_dreams(db: State<'_, Db>, agent: String) -> Result<Vec<Dream>> {
    with_db(&db, move |c| app::list_dreams(c, &agent)).await
}

#[tauri::command]
pub async fn get_dream(db: State<'_, Db>, id: i64) -> Result<DreamReport> {
    with_db(&db, move |c| dreaming::report(c, id)).await
}

#[tauri::command]
pub async fn start_dream(
    app: AppHandle,
    db: State<'_, Db>,
    agent: String,
    window_days: Option<u32>,
) -> Result<Dream> {
    background::start_dream(app, &db, agent, window_days, "manual").await
}

#[tauri::command]
pub async fn cancel_dream(db: State<'_, Db>, id: i64) -> Result<()> {
    background::cancel_dream(&db, id)
}

#[tauri::command]
pub async fn approve_proposals(db: State<'_, Db>, ids: Vec<i64>) -> Result<Vec<Proposal>> {
    with_db(&db, move |c| review::approve(c, &ids, Utc::now())).await
}

#[tauri::command]
pub async fn reject_proposals(
    db: State<'_, Db>,
    ids: Vec<i64>,
    reason: Option<String>,
) -> Result<Vec<Proposal>> {
    with_db(&db, move |c| {
        review::reject(c, &ids, reason.as_deref(), Utc::now())
    })
    .await
}

#[tauri::command]
pub async fn undo_dream(db: State<'_, Db>, id: i64) -> Result<DreamReport> {
    with_db(&db, move |c| app::undo_dream(c, id, Utc::now())).await
}

#[tauri::command]
pub async fn progress(db: State<'_, Db>, agent: String) -> Result<ProgressReport> {
    with_db(&db, move |c| progress::report(c, &agent)).await
}

#[tauri::command]
pub async fn get_settings(db: State<'_, Db>) -> Result<AppSettings> {
    with_db(&db, |c| reverie::settings::get(c)).await
}

/// Start at login is applied first: if the system refuses it, nothing is saved.
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    db: State<'_, Db>,
    settings: AppSettings,
) -> Result<AppSettings> {
    apply_start_at_login(&app, settings.start_at_login)?;
    let saved = with_db(&db, move |c| reverie::settings::save(c, &settings)).await?;
    *db.settings.lock().expect("lock") = saved;
    Ok(saved)
}

/// Register (or remove) Reverie with the system's login items; it then starts in the tray.
pub fn apply_start_at_login(app: &AppHandle, on: bool) -> Result<()> {
    use tauri_plugin_autostart::ManagerExt;
    let login = app.autolaunch();
    let done = match (on, login.is_enabled().unwrap_or(false)) {
        (true, _) => login.enable(),
        (false, true) => login.disable(),
        (false, false) => Ok(()),
    };
    done.map_err(|e| Error::NotAvailable(format!("could not change start at login: {e}")))
}

/// Keep `dreams` in use for the interrupted-dream check at start-up.
pub fn recover_interrupted(conn: &Connection) -> Result<usize> {
    let now = Utc::now();
    dreams::mark_interrupted(
        conn,
        now - chrono::Duration::minutes(dreaming::STALE_AFTER_MINUTES),
        now,
    )
}

#[tauri::command]
pub async fn provider_status(db: State<'_, Db>) -> Result<ProviderStatus> {
    with_db(&db, |c| app::provider_status(c)).await
}

#[tauri::command]
pub async fn provider_set(
    db: State<'_, Db>,
    config: Option<ProviderConfig>,
) -> Result<ProviderStatus> {
    with_db(&db, move |c| app::provider_set(c, config)).await
}

/// The one command that carries the key, inward only; its arguments are never logged.
#[tauri::command]
pub async fn provider_key_set(kind: ProviderKind, key: String) -> Result<()> {
    tauri::async_runtime::spawn_blocking(move || app::provider_key_set(kind, key))
        .await
        .map_err(|e| Error::Internal(format!("background task failed: {e}")))?
}

#[tauri::command]
pub async fn provider_key_remove(kind: ProviderKind) -> Result<bool> {
    tauri::async_runtime::spawn_blocking(move || app::provider_key_remove(kind))
        .await
        .map_err(|e| Error::Internal(format!("background task failed: {e}")))?
}

#[tauri::command]
pub async fn provider_test(db: State<'_, Db>) -> Result<String> {
    with_db(&db, |c| app::provider_test(c)).await
}
