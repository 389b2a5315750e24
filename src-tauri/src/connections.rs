//! Sources, destinations and MCP from the window, and the watcher that keeps sources synced
//! while Reverie runs. Paths come from the native picker (see `picker.rs`) or, for Claude
//! Code projects, from Reverie's own listing of `~/.claude/projects`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::Utc;
use reverie::api::{self, flow::Synced};
use reverie::flow::watch;
use reverie::import::Format;
use reverie::model::{
    ClaudeProject, Destination, DestinationKind, PublishPreview, Published, Scope, Source,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};

use crate::background::emit;
use crate::commands::{with_db, Answer};
use crate::ipc::SourcesSynced;
use crate::picker::Purpose;
use crate::Db;

/// The running watcher over every source, replaced when sources change.
#[derive(Default)]
pub struct Watching(Mutex<Option<watch::Watcher>>);

/// How long a folder must be quiet before its changes are synced.
const QUIET: Duration = Duration::from_secs(2);

/// Watch every source anew, and sync them all once in the background (files that changed
/// while Reverie was closed).
pub fn refresh(app: &AppHandle) {
    let Some(db) = app.try_state::<Db>() else {
        return;
    };
    let path = db.path.clone();
    let sources = api::open(&path)
        .and_then(|c| api::flow::sources(&c, None))
        .unwrap_or_default();
    let paths: Vec<PathBuf> = sources.iter().map(|s| PathBuf::from(&s.path)).collect();
    let handle = app.clone();
    let db_path = path.clone();
    let watcher = watch::start(&paths, QUIET, move |changed| {
        let synced = api::open(&db_path).and_then(|mut c| {
            let mut out = Vec::new();
            for s in api::flow::sources(&c, None)? {
                if changed.iter().any(|p| p.starts_with(&s.path)) {
                    out.push(api::flow::sync_source(&mut c, s.id, Utc::now())?);
                }
            }
            Ok(out)
        });
        if let Ok(list) = synced {
            if !list.is_empty() {
                emit(&handle, SourcesSynced(list));
            }
        }
    })
    .ok();
    *db.watching.0.lock().expect("lock") = watcher;
    let handle = app.clone();
    std::thread::spawn(move || {
        if let Ok(list) =
            api::open(&path).and_then(|mut c| api::flow::sync(&mut c, None, Utc::now()))
        {
            emit(&handle, SourcesSynced(list));
        }
    });
}

/// The agent's sources, with what each holds and what could not be read.
#[tauri::command]
#[specta::specta]
pub async fn list_sources(db: State<'_, Db>, agent: String) -> Answer<Vec<Source>> {
    with_db(&db, move |c| api::flow::sources(c, Some(&agent))).await
}

/// Sync a folder or file (picked with `pick_file`, or a Claude Code project folder from
/// `claude_projects`) into the agent, stamping `tags` on its sessions. The first sync runs
/// at once; later changes arrive through the watcher.
#[tauri::command]
#[specta::specta]
pub async fn add_source(
    app: AppHandle,
    db: State<'_, Db>,
    agent: String,
    path: PathBuf,
    tags: Scope,
    format: Option<Format>,
) -> Answer<Synced> {
    let allowed = reverie::flow::claude::is_project_folder(&path)
        || db
            .grants
            .check_any(&[Purpose::SourceFolder, Purpose::SourceFile], &path)
            .is_ok();
    if !allowed {
        return Err(reverie::Error::invalid_field(
            "path",
            "Reverie syncs only folders and files you choose: choose it with the picker",
        )
        .to_json());
    }
    let synced = with_db(&db, move |c| {
        let s = api::flow::add_source(c, &agent, &path, &tags, format, Utc::now())?;
        api::flow::sync_source(c, s.id, Utc::now())
    })
    .await?;
    refresh(&app);
    Ok(synced)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_source(app: AppHandle, db: State<'_, Db>, id: i64) -> Answer<()> {
    with_db(&db, move |c| api::flow::remove_source(c, id)).await?;
    refresh(&app);
    Ok(())
}

/// Import what is new or changed in the agent's sources now.
#[tauri::command]
#[specta::specta]
pub async fn sync_sources(db: State<'_, Db>, agent: String) -> Answer<Vec<Synced>> {
    with_db(&db, move |c| api::flow::sync(c, Some(&agent), Utc::now())).await
}

/// Claude Code's projects on this machine (most recently active first), marked when already
/// a source of `agent`.
#[tauri::command]
#[specta::specta]
pub async fn claude_projects(db: State<'_, Db>, agent: String) -> Answer<Vec<ClaudeProject>> {
    with_db(&db, move |c| api::flow::claude_projects(c, &agent)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_destinations(db: State<'_, Db>, agent: String) -> Answer<Vec<Destination>> {
    with_db(&db, move |c| api::flow::destinations(c, Some(&agent))).await
}

fn publish_path(db: &Db, kind: DestinationKind, path: &Path) -> reverie::Result<PathBuf> {
    let purpose = match kind {
        DestinationKind::ClaudeMemory => Purpose::PublishFolder,
        _ => Purpose::PublishFile,
    };
    db.grants.check(purpose, path)
}

/// What publishing to `path` (picked with `pick_file`) would write, file by file.
#[tauri::command]
#[specta::specta]
pub async fn preview_destination(
    db: State<'_, Db>,
    agent: String,
    path: PathBuf,
    kind: DestinationKind,
    tags: Scope,
) -> Answer<PublishPreview> {
    let path = publish_path(&db, kind, &path).map_err(|e| e.to_json())?;
    with_db(&db, move |c| {
        api::flow::preview(c, &agent, &path, kind, &tags)
    })
    .await
}

/// Publish the agent's memory to `path` after every change, starting now.
#[tauri::command]
#[specta::specta]
pub async fn add_destination(
    db: State<'_, Db>,
    agent: String,
    path: PathBuf,
    kind: DestinationKind,
    tags: Scope,
) -> Answer<Published> {
    let path = publish_path(&db, kind, &path).map_err(|e| e.to_json())?;
    with_db(&db, move |c| {
        api::flow::add_destination(c, &agent, &path, kind, &tags, Utc::now()).map(|(_, p)| p)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_destination(db: State<'_, Db>, id: i64) -> Answer<()> {
    with_db(&db, move |c| api::flow::remove_destination(c, id)).await
}

/// Publish one destination now; `force` replaces a section edited outside Reverie.
#[tauri::command]
#[specta::specta]
pub async fn publish_destination(db: State<'_, Db>, id: i64, force: bool) -> Answer<Published> {
    with_db(&db, move |c| {
        api::flow::publish_destination(c, id, force, Utc::now())
    })
    .await
}

/// How to connect an MCP client to Reverie: the command, and the configuration to paste.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct McpSetup {
    /// The program and its arguments.
    pub command: String,
    pub args: Vec<String>,
    /// For Claude Desktop's `claude_desktop_config.json` and Cursor's `mcp.json`.
    pub json: String,
    /// For Claude Code: one command to run in a terminal.
    pub claude_code: String,
}

/// The `reverie` command beside the app's own program, else the one on the PATH.
fn cli_program() -> String {
    let name = if cfg!(windows) {
        "reverie.exe"
    } else {
        "reverie"
    };
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join(name)))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| name.to_string())
}

#[tauri::command]
#[specta::specta]
pub fn mcp_setup(db: State<'_, Db>) -> McpSetup {
    let command = cli_program();
    let args = vec![
        "--db".to_string(),
        db.path.display().to_string(),
        "mcp".to_string(),
    ];
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "mcpServers": {"reverie": {"command": command, "args": args}}
    }))
    .unwrap_or_default();
    let quote = |s: &str| {
        if s.contains(' ') {
            format!("\"{s}\"")
        } else {
            s.to_string()
        }
    };
    let claude_code = format!(
        "claude mcp add reverie -- {} {}",
        quote(&command),
        args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
    );
    McpSetup {
        command,
        args,
        json,
        claude_code,
    }
}
