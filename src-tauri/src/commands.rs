//! Tauri commands: each borrows state and makes one call into the engine's API on a blocking
//! thread. No logic and no SQL live here. The list of commands is `command_list.rs`; their
//! TypeScript wrappers are generated from these signatures (see `ipc.rs`).

use std::path::PathBuf;

use chrono::Utc;
use reverie::api::memory::MemoryPrompt;
use reverie::api::sessions::{FeedbackChange, Sessions, SourceFile};
use reverie::api::work::Asked;
use reverie::api::{self, Connection};
use reverie::error::ErrorJson;
use reverie::import::{Format, ImportOptions};
use reverie::model::{
    Agent, AgentPatch, AgentSchedule, AppInfo, AppSettings, Dream, DreamReport, ImportReport,
    MemoryEntry, MemoryEvent, MemoryFormat, ProgressReport, Proposal, ProviderConfig,
    ProviderDefaults, ProviderKind, ProviderStatus, RubricCheck, RubricView, ScheduleInfo, Scope,
    ScopeCount, Session, SessionFilter, SessionPage, SlugCheck,
};
use reverie::rubric::Rubric;
use reverie::Result;
use tauri::{AppHandle, Manager, State};

use crate::ipc::ImportProgressed;
use crate::picker::{self, Filter, Purpose};
use crate::work;

// The connection commands live beside their watcher; listed here with the others (a glob,
// so the items `#[tauri::command]` generates come along).
pub use crate::connections::*;
pub use crate::managed::*;
pub use crate::teams::*;
use crate::{background, Db};

/// What every command answers: its result, or the engine's `{code, message, field}`.
pub type Answer<T> = std::result::Result<T, ErrorJson>;

/// Run engine work on a blocking thread with its own connection: rusqlite must never block
/// the async runtime that also serves the window.
pub async fn with_db<T: Send + 'static>(
    db: &Db,
    f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
) -> Answer<T> {
    let path = db.path.clone();
    blocking(move || f(&mut api::open(&path)?)).await
}

/// Run engine work that needs no database on a blocking thread (the keychain can block).
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Answer<T> {
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(r) => r.map_err(|e| e.to_json()),
        Err(e) => Err(reverie::Error::Internal(format!("background task failed: {e}")).to_json()),
    }
}

/// The version, and where the database lives.
#[tauri::command]
#[specta::specta]
pub async fn app_info(db: State<'_, Db>) -> Answer<AppInfo> {
    Ok(api::app_info(&db.path))
}

#[tauri::command]
#[specta::specta]
pub async fn list_agents(db: State<'_, Db>) -> Answer<Vec<Agent>> {
    with_db(&db, |c| api::agents::list(c)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_agent(db: State<'_, Db>, slug: String) -> Answer<Agent> {
    with_db(&db, move |c| api::agents::get(c, &slug)).await
}

/// A new agent with the default rubric; `null` names it after the slug.
#[tauri::command]
#[specta::specta]
pub async fn create_agent(db: State<'_, Db>, slug: String, name: Option<String>) -> Answer<Agent> {
    with_db(&db, move |c| {
        api::agents::create(c, &slug, name.as_deref(), Utc::now())
    })
    .await
}

/// `null` fields stay as they are; an empty `model` goes back to the default model.
#[tauri::command]
#[specta::specta]
pub async fn update_agent(db: State<'_, Db>, slug: String, patch: AgentPatch) -> Answer<Agent> {
    with_db(&db, move |c| {
        api::agents::update(c, &slug, &patch, Utc::now())
    })
    .await
}

/// Whether `slug` can name a new agent, and a slug made from the display name `name`.
#[tauri::command]
#[specta::specta]
pub async fn check_slug(db: State<'_, Db>, slug: String, name: String) -> Answer<SlugCheck> {
    with_db(&db, move |c| api::agents::check_slug(c, &slug, &name)).await
}

/// The first-run demo agent with three weeks of sessions.
#[tauri::command]
#[specta::specta]
pub async fn create_demo(db: State<'_, Db>) -> Answer<Agent> {
    with_db(&db, |c| api::agents::create_demo(c, Utc::now())).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_sessions(
    db: State<'_, Db>,
    agent: String,
    filter: SessionFilter,
) -> Answer<SessionPage> {
    with_db(&db, move |c| api::sessions::list(c, &agent, &filter)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_session(db: State<'_, Db>, agent: String, id: String) -> Answer<Session> {
    with_db(&db, move |c| api::sessions::get(c, &agent, &id)).await
}

/// Tag values seen on the agent's sessions, with how many sessions carry each.
#[tauri::command]
#[specta::specta]
pub async fn list_scopes(db: State<'_, Db>, agent: String) -> Answer<Vec<ScopeCount>> {
    with_db(&db, move |c| api::sessions::scopes(c, &agent)).await
}

/// Give, change or clear (`verdict` `null`) the verdict on one of the agent's answers.
#[tauri::command]
#[specta::specta]
pub async fn session_feedback(
    db: State<'_, Db>,
    agent: String,
    id: String,
    change: FeedbackChange,
) -> Answer<Session> {
    with_db(&db, move |c| {
        api::sessions::feedback(c, &agent, &id, &change)
    })
    .await
}

/// A comment on the whole session; `null` or blank clears it.
#[tauri::command]
#[specta::specta]
pub async fn session_comment(
    db: State<'_, Db>,
    agent: String,
    id: String,
    comment: Option<String>,
) -> Answer<Session> {
    with_db(&db, move |c| {
        api::sessions::comment(c, &agent, &id, comment.as_deref())
    })
    .await
}

/// Set a tag on sessions (by id, or every session from a file), or remove it (`value`
/// `null`). Answers how many sessions changed.
#[tauri::command]
#[specta::specta]
pub async fn tag_sessions(
    db: State<'_, Db>,
    agent: String,
    which: Sessions,
    key: String,
    value: Option<String>,
) -> Answer<u32> {
    with_db(&db, move |c| {
        api::sessions::tag(c, &agent, &which, &key, value.as_deref())
    })
    .await
}

/// The files the agent's sessions were imported from, with how many sessions each.
#[tauri::command]
#[specta::specta]
pub async fn session_files(db: State<'_, Db>, agent: String) -> Answer<Vec<SourceFile>> {
    with_db(&db, move |c| api::sessions::files(c, &agent)).await
}

/// Send the agent a message: a new session with `tags`, or the next turn of `session` (empty
/// `text` asks again after a failed answer). Answers once the message is saved; the answer
/// streams as `work-text` and ends with `work-finished`.
#[tauri::command]
#[specta::specta]
pub async fn work_send(
    app: AppHandle,
    db: State<'_, Db>,
    agent: String,
    session: Option<String>,
    tags: Scope,
    text: String,
) -> Answer<Asked> {
    work::send(app, &db, work::request(agent, session, tags, text)).await
}

/// Stop the answer streaming in `session`; what arrived is kept and marked stopped.
#[tauri::command]
#[specta::specta]
pub async fn work_stop(db: State<'_, Db>, session: String) -> Answer<()> {
    work::stop(&db, &session);
    Ok(())
}

/// Exactly the memory text the agent reads in a session with `tags`, and what did not fit.
#[tauri::command]
#[specta::specta]
pub async fn memory_prompt(db: State<'_, Db>, agent: String, tags: Scope) -> Answer<MemoryPrompt> {
    with_db(&db, move |c| api::memory::prompt(c, &agent, &tags)).await
}

/// Show the native file dialog for `purpose` and answer with the path the person picked
/// (`null` when they cancel). Only a path picked here can be read or written by the commands
/// that take one.
#[tauri::command]
#[specta::specta]
pub async fn pick_file(
    app: AppHandle,
    purpose: Purpose,
    filter: Option<Filter>,
    suggested_name: Option<String>,
) -> Answer<Option<String>> {
    let handle = app.clone();
    blocking(move || {
        let db = handle.state::<Db>();
        Ok(
            picker::pick(&handle, &db.grants, purpose, filter, suggested_name)
                .map(|p| p.display().to_string()),
        )
    })
    .await
}

/// Import a session file (or every session file of a folder) picked with `pick_file`;
/// `format` `null` detects it. Emits
/// `import-progress` as it goes.
#[tauri::command]
#[specta::specta]
pub async fn import_file(
    app: AppHandle,
    db: State<'_, Db>,
    path: PathBuf,
    format: Option<Format>,
    agent: Option<String>,
) -> Answer<ImportReport> {
    let path = db
        .grants
        .check_any(&[Purpose::ImportSessions, Purpose::ImportFolder], &path)
        .map_err(|e| e.to_json())?;
    let opts = ImportOptions {
        format,
        agent: agent.filter(|a| !a.is_empty()),
        ..Default::default()
    };
    with_db(&db, move |c| {
        api::sessions::import_file(c, &path, &opts, Utc::now(), &mut |p| {
            background::emit(&app, ImportProgressed(p.clone()))
        })
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_memory(db: State<'_, Db>, agent: String) -> Answer<Vec<MemoryEntry>> {
    with_db(&db, move |c| api::memory::list(c, &agent)).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_memory(
    db: State<'_, Db>,
    agent: String,
    content: String,
    scope: Scope,
) -> Answer<MemoryEntry> {
    with_db(&db, move |c| {
        api::memory::add(c, &agent, &content, scope, Utc::now())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn edit_memory(
    db: State<'_, Db>,
    agent: String,
    id: i64,
    content: String,
    scope: Scope,
) -> Answer<MemoryEntry> {
    with_db(&db, move |c| {
        api::memory::edit(c, &agent, id, &content, scope, Utc::now())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_memory(db: State<'_, Db>, agent: String, id: i64) -> Answer<()> {
    with_db(&db, move |c| api::memory::delete(c, &agent, id, Utc::now())).await
}

/// Every change to memory, newest first.
#[tauri::command]
#[specta::specta]
pub async fn memory_history(db: State<'_, Db>, agent: String) -> Answer<Vec<MemoryEvent>> {
    with_db(&db, move |c| api::memory::history(c, &agent)).await
}

/// Write the agent's memory into a file picked with `pick_file`.
#[tauri::command]
#[specta::specta]
pub async fn export_memory(
    db: State<'_, Db>,
    agent: String,
    format: MemoryFormat,
    path: PathBuf,
) -> Answer<()> {
    let path = db
        .grants
        .check(Purpose::ExportMemory, &path)
        .map_err(|e| e.to_json())?;
    with_db(&db, move |c| {
        api::memory::export_to_file(c, &agent, format, &path)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_rubric(db: State<'_, Db>, agent: String) -> Answer<RubricView> {
    with_db(&db, move |c| api::rubric::get(c, &agent)).await
}

/// The rubric a new agent starts with (the editor's "start from the defaults").
#[tauri::command]
#[specta::specta]
pub fn default_rubric() -> Rubric {
    api::rubric::default()
}

/// Problems by field, and the YAML the rubric would be saved as.
#[tauri::command]
#[specta::specta]
pub fn check_rubric(rubric: Rubric) -> RubricCheck {
    api::rubric::check(&rubric)
}

/// Problems with line and column, or the rubric the YAML holds.
#[tauri::command]
#[specta::specta]
pub fn parse_rubric_yaml(yaml: String) -> RubricCheck {
    api::rubric::parse_yaml(&yaml)
}

/// Saved only when the whole rubric is valid; otherwise `invalid_rubric`.
#[tauri::command]
#[specta::specta]
pub async fn save_rubric(db: State<'_, Db>, agent: String, rubric: Rubric) -> Answer<RubricView> {
    with_db(&db, move |c| {
        api::rubric::save(c, &agent, &rubric, Utc::now())
    })
    .await
}

/// Read and check a YAML file picked with `pick_file`; nothing is saved.
#[tauri::command]
#[specta::specta]
pub async fn import_rubric_file(db: State<'_, Db>, path: PathBuf) -> Answer<RubricCheck> {
    let path = db
        .grants
        .check(Purpose::ImportRubric, &path)
        .map_err(|e| e.to_json())?;
    blocking(move || api::rubric::read_file(&path)).await
}

/// Write the stored YAML into a file picked with `pick_file`.
#[tauri::command]
#[specta::specta]
pub async fn export_rubric(db: State<'_, Db>, agent: String, path: PathBuf) -> Answer<()> {
    let path = db
        .grants
        .check(Purpose::ExportRubric, &path)
        .map_err(|e| e.to_json())?;
    with_db(&db, move |c| api::rubric::export_to_file(c, &agent, &path)).await
}

/// The rubric name for an outcome typed in words ("Sounds like the client" gives
/// `sounds_like_the_client`), numbered when one of `taken` already has it.
#[tauri::command]
#[specta::specta]
pub fn outcome_name(words: String, taken: Vec<String>) -> String {
    api::rubric::outcome_name(&words, &taken)
}

/// A crontab in words, with its next three runs, or what is wrong with it.
#[tauri::command]
#[specta::specta]
pub fn describe_schedule(expr: String) -> ScheduleInfo {
    api::schedule::describe(&expr, Utc::now())
}

/// Every agent's schedule in words, next run, last scheduled outcome and changes waiting.
#[tauri::command]
#[specta::specta]
pub async fn schedule_overview(db: State<'_, Db>) -> Answer<Vec<AgentSchedule>> {
    with_db(&db, |c| api::schedule::overview(c, Utc::now())).await
}

/// The agent's dreams, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_dreams(db: State<'_, Db>, agent: String) -> Answer<Vec<Dream>> {
    with_db(&db, move |c| api::dreams::list(c, &agent)).await
}

/// A dream with its proposals and the memory entries they change.
#[tauri::command]
#[specta::specta]
pub async fn get_dream(db: State<'_, Db>, id: i64) -> Answer<DreamReport> {
    with_db(&db, move |c| api::dreams::report(c, id)).await
}

/// Start a dream (`windowDays` `null`: the rubric's window), or join the one already running
/// for the agent. Answers at once with the running dream; `dream-progress` and then
/// `dream-finished` follow.
#[tauri::command]
#[specta::specta]
pub async fn start_dream(
    app: AppHandle,
    db: State<'_, Db>,
    agent: String,
    window_days: Option<u32>,
) -> Answer<Dream> {
    background::start_dream(app, &db, agent, window_days).await
}

/// Stop a running dream, whoever started it; memory stays as it was.
#[tauri::command]
#[specta::specta]
pub async fn cancel_dream(db: State<'_, Db>, id: i64) -> Answer<()> {
    background::cancel_dream(&db, id).await
}

/// Apply proposals to memory, all or none.
#[tauri::command]
#[specta::specta]
pub async fn approve_proposals(db: State<'_, Db>, ids: Vec<i64>) -> Answer<Vec<Proposal>> {
    with_db(&db, move |c| api::review::approve(c, &ids, Utc::now())).await
}

/// Take decisions back: an applied change leaves memory again, a rejection is reopened; the
/// changes wait for review again.
#[tauri::command]
#[specta::specta]
pub async fn take_back_proposals(db: State<'_, Db>, ids: Vec<i64>) -> Answer<Vec<Proposal>> {
    with_db(&db, move |c| api::review::take_back(c, &ids, Utc::now())).await
}

#[tauri::command]
#[specta::specta]
pub async fn reject_proposals(
    db: State<'_, Db>,
    ids: Vec<i64>,
    reason: Option<String>,
) -> Answer<Vec<Proposal>> {
    with_db(&db, move |c| {
        api::review::reject(c, &ids, reason.as_deref(), Utc::now())
    })
    .await
}

/// Memory goes back exactly to how it was before the dream's changes.
#[tauri::command]
#[specta::specta]
pub async fn undo_dream(db: State<'_, Db>, id: i64) -> Answer<DreamReport> {
    with_db(&db, move |c| {
        Ok(api::dreams::undo(c, id, Utc::now())?.report)
    })
    .await
}

/// Outcome rates week by week, with the dreams that changed memory.
#[tauri::command]
#[specta::specta]
pub async fn progress(db: State<'_, Db>, agent: String, tags: Scope) -> Answer<ProgressReport> {
    with_db(&db, move |c| api::progress::report(c, &agent, &tags)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_settings(db: State<'_, Db>) -> Answer<AppSettings> {
    with_db(&db, |c| api::settings::get(c)).await
}

/// Start at login is applied first: if the system refuses it (`system_refused`), nothing is
/// saved.
#[tauri::command]
#[specta::specta]
pub async fn save_settings(
    app: AppHandle,
    db: State<'_, Db>,
    settings: AppSettings,
) -> Answer<AppSettings> {
    crate::apply_start_at_login(&app, settings.start_at_login).map_err(|e| e.to_json())?;
    let saved = with_db(&db, move |c| api::settings::save(c, &settings)).await?;
    *db.settings.lock().expect("lock") = saved;
    Ok(saved)
}

/// The AI provider as dreams would use it now. Never the key.
#[tauri::command]
#[specta::specta]
pub async fn provider_status(db: State<'_, Db>) -> Answer<ProviderStatus> {
    with_db(&db, |c| api::provider::status(c)).await
}

/// What each provider uses when a field is left empty, with help in words.
#[tauri::command]
#[specta::specta]
pub fn provider_defaults() -> Vec<ProviderDefaults> {
    api::provider::defaults()
}

/// `null` turns the AI tier off: dreams use the offline dreamer alone.
#[tauri::command]
#[specta::specta]
pub async fn provider_set(
    db: State<'_, Db>,
    config: Option<ProviderConfig>,
) -> Answer<ProviderStatus> {
    with_db(&db, move |c| api::provider::set(c, config)).await
}

/// The one command that carries the key, inward only: it goes to the OS keychain and never
/// comes back. Its arguments are never logged.
#[tauri::command]
#[specta::specta]
pub async fn provider_key_set(db: State<'_, Db>, kind: ProviderKind, key: String) -> Answer<()> {
    with_db(&db, move |c| api::provider::key_set(c, kind, key)).await
}

/// Whether there was a key to remove.
#[tauri::command]
#[specta::specta]
pub async fn provider_key_remove(db: State<'_, Db>, kind: ProviderKind) -> Answer<bool> {
    with_db(&db, move |c| api::provider::key_remove(c, kind)).await
}

/// A plain answer such as "Connected to Anthropic (claude-…): OK".
#[tauri::command]
#[specta::specta]
pub async fn provider_test(db: State<'_, Db>) -> Answer<String> {
    with_db(&db, |c| api::provider::test(c)).await
}
