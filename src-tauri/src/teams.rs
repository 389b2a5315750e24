//! Teams from the window: list and read them, make the ready-made content team, and run one
//! on a thread of its own, each lane's steps sent to the window as they happen; Stop ends
//! every member.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::Utc;
use reverie::api;
use reverie::model::{Scope, Team, TeamRun};
use tauri::{AppHandle, Manager, State};

use crate::background::emit;
use crate::commands::{with_db, Answer};
use crate::ipc::{TeamRunFinished, TeamRunStep};
use crate::Db;

#[tauri::command]
#[specta::specta]
pub async fn list_teams(db: State<'_, Db>) -> Answer<Vec<Team>> {
    with_db(&db, |c| api::teams::list(c)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_team(db: State<'_, Db>, slug: String) -> Answer<Team> {
    with_db(&db, move |c| api::teams::get(c, &slug)).await
}

/// The ready-made content team (a lead, a researcher, a drafter and a fact-checker), sharing a
/// folder next to Reverie's database.
#[tauri::command]
#[specta::specta]
pub async fn create_content_team(db: State<'_, Db>) -> Answer<Team> {
    let folder = db
        .path
        .parent()
        .map(|p| p.join("teams").join("content"))
        .unwrap_or_else(|| std::env::temp_dir().join("reverie-content-team"));
    with_db(&db, move |c| {
        api::teams::create_content_team(c, &folder, Utc::now())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_team_run(db: State<'_, Db>, id: i64) -> Answer<TeamRun> {
    with_db(&db, move |c| api::teams::get_run(c, id)).await
}

/// Give the team a task; answers with the run at once, its steps follow as `team-run-step`
/// events and its end as `team-run-finished`.
#[tauri::command]
#[specta::specta]
pub async fn start_team_run(
    app: AppHandle,
    db: State<'_, Db>,
    team: String,
    task: String,
    tags: Scope,
) -> Answer<TeamRun> {
    let req = api::teams::RunRequest { team, task, tags };
    let begin_req = req.clone();
    let id = with_db(&db, move |c| api::teams::begin(c, &begin_req, Utc::now())).await?;
    let cancel = Arc::new(AtomicBool::new(false));
    db.team_runs.insert(id, cancel.clone());
    let path = db.path.clone();
    let handle = app.clone();
    std::thread::spawn(move || {
        let h = handle.clone();
        let result = api::teams::run(&path, id, &req, &cancel, &move |e| {
            emit(&h, TeamRunStep(e.clone()))
        });
        if let Some(state) = handle.try_state::<Db>() {
            state.team_runs.remove(id);
        }
        let run = result.or_else(|_| api::open(&path).and_then(|c| api::teams::get_run(&c, id)));
        if let Ok(run) = run {
            emit(&handle, TeamRunFinished(run));
        }
    });
    with_db(&db, move |c| api::teams::get_run(c, id)).await
}

/// Stop a run: every member stops at once, keeping what it did so far.
#[tauri::command]
#[specta::specta]
pub async fn stop_team_run(db: State<'_, Db>, id: i64) -> Answer<()> {
    if let Some(flag) = db.team_runs.get(id) {
        flag.store(true, Ordering::Relaxed);
    }
    Ok(())
}
