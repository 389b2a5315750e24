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

/// A team as the window's form gives it: the slug is made from the name.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
pub struct TeamForm {
    pub name: String,
    pub lead: String,
    pub members: Vec<String>,
    /// Picked with `pick_file` (`TeamFolder`); `None`: a folder of its own next to Reverie's
    /// database.
    pub folder: Option<String>,
    pub max_parallel: u32,
    pub budget_tokens: Option<u64>,
    /// Agents of the team that get no file tools (a drafter that only writes).
    pub no_tools: Vec<String>,
}

/// Make a team of agents that already exist.
#[tauri::command]
#[specta::specta]
pub async fn create_team(db: State<'_, Db>, form: TeamForm) -> Answer<Team> {
    let picked = match &form.folder {
        Some(f) => Some(
            db.grants
                .check(crate::picker::Purpose::TeamFolder, std::path::Path::new(f))
                .map_err(|e| e.to_json())?,
        ),
        None => None,
    };
    let home = db.path.parent().map(|p| p.join("teams"));
    with_db(&db, move |c| {
        let name = form.name.trim();
        if name.is_empty() {
            return Err(reverie::Error::invalid_field(
                "name",
                "give the team a name, such as \"Launch crew\"",
            ));
        }
        let slug = api::teams::slug_for(c, name)?;
        let folder = match picked {
            Some(p) => p,
            None => home.unwrap_or_else(std::env::temp_dir).join(&slug),
        };
        api::teams::create(
            c,
            &api::teams::NewTeam {
                slug,
                name: Some(name.to_string()),
                lead: form.lead,
                members: form.members,
                folder,
                max_parallel: form.max_parallel,
                budget_tokens: form.budget_tokens,
                no_tools: form.no_tools,
            },
            Utc::now(),
        )
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
