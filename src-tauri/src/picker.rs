//! The app reads and writes only files the person picked. The native file dialogs are opened
//! here, on the Rust side; every path they return is remembered with what it was picked for,
//! and the commands that read or write a file accept only such a path. A path typed or made up
//! in the web view is refused, so a compromised page cannot read `~/.ssh` or overwrite
//! `~/.bashrc` through an import or an export.
//!
//! End-to-end tests cannot click a native dialog through WebDriver: under automation
//! (`TAURI_WEBVIEW_AUTOMATION=true`, which tauri-driver sets) and only then, the picker takes
//! its answer from the file named by `REVERIE_TEST_PICKS`, one path per line, instead of
//! showing the dialog. Everything after the dialog, the grants included, is the real thing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use reverie::Error;
use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// What a file was picked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Sessions to import.
    ImportSessions,
    /// A rubric to read into the editor.
    ImportRubric,
    /// Memory to write out.
    ExportMemory,
    /// A rubric to write out.
    ExportRubric,
    /// A folder of session files to import once.
    ImportFolder,
    /// A folder to sync sessions from (a Claude Code project, a folder a tool drops files in).
    SourceFolder,
    /// A file to sync sessions from.
    SourceFile,
    /// A file to publish memory to (CLAUDE.md, AGENTS.md, Markdown, JSON Lines).
    PublishFile,
    /// A folder to publish memory to (a Claude Code memory folder).
    PublishFolder,
    /// The folder a team's members share.
    TeamFolder,
}

impl Purpose {
    fn saves(self) -> bool {
        matches!(
            self,
            Purpose::ExportMemory | Purpose::ExportRubric | Purpose::PublishFile
        )
    }

    fn folder(self) -> bool {
        matches!(
            self,
            Purpose::ImportFolder
                | Purpose::SourceFolder
                | Purpose::PublishFolder
                | Purpose::TeamFolder
        )
    }

    fn title(self) -> &'static str {
        match self {
            Purpose::ImportSessions => "Choose a session file",
            Purpose::ImportRubric => "Choose a rubric file",
            Purpose::ExportMemory => "Export memory",
            Purpose::ExportRubric => "Export the rubric",
            Purpose::ImportFolder => "Choose a folder of session files",
            Purpose::SourceFolder => "Choose a folder to sync sessions from",
            Purpose::SourceFile => "Choose a file to sync sessions from",
            Purpose::PublishFile => "Choose where to publish memory",
            Purpose::PublishFolder => "Choose a memory folder to publish to",
            Purpose::TeamFolder => "Choose the folder the team shares",
        }
    }
}

/// Paths the person picked, by purpose.
#[derive(Default)]
pub struct Grants(Mutex<HashSet<(Purpose, PathBuf)>>);

impl Grants {
    fn grant(&self, purpose: Purpose, path: &Path) {
        self.0
            .lock()
            .expect("lock")
            .insert((purpose, path.to_path_buf()));
    }

    /// `path`, if the person picked it for one of `purposes`.
    pub fn check_any(&self, purposes: &[Purpose], path: &Path) -> reverie::Result<PathBuf> {
        purposes
            .iter()
            .find_map(|p| self.check(*p, path).ok())
            .ok_or_else(|| self.check(purposes[0], path).unwrap_err())
    }

    /// `path`, if the person picked it for `purpose`; otherwise an error that says so.
    pub fn check(&self, purpose: Purpose, path: &Path) -> reverie::Result<PathBuf> {
        let granted = self
            .0
            .lock()
            .expect("lock")
            .contains(&(purpose, path.to_path_buf()));
        if granted {
            Ok(path.to_path_buf())
        } else {
            Err(Error::invalid_field(
                "path",
                "Reverie reads and writes only files you choose: choose the file with the file picker",
            ))
        }
    }
}

/// A filter for the dialog: a name and the extensions it shows.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct Filter {
    pub name: String,
    pub extensions: Vec<String>,
}

/// Under automation only: the next scripted answer, if a script is set.
fn scripted() -> Option<Option<PathBuf>> {
    if std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() != Ok("true") {
        return None;
    }
    let file = std::env::var_os("REVERIE_TEST_PICKS")?;
    let text = std::fs::read_to_string(&file).ok()?;
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return Some(None);
    }
    let first = lines.remove(0).trim().to_string();
    let _ = std::fs::write(&file, lines.join("\n"));
    Some((!first.is_empty()).then(|| PathBuf::from(first)))
}

/// Show the native dialog for `purpose` (blocking: call off the main thread) and grant the
/// path the person picked; `None` when they cancel.
pub fn pick(
    app: &AppHandle,
    grants: &Grants,
    purpose: Purpose,
    filter: Option<Filter>,
    suggested_name: Option<String>,
) -> Option<PathBuf> {
    let picked = match scripted() {
        Some(answer) => answer,
        None => {
            let mut dialog = app.dialog().file().set_title(purpose.title());
            if let Some(f) = &filter {
                let ext: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
                dialog = dialog.add_filter(&f.name, &ext);
            }
            if let Some(name) = suggested_name {
                dialog = dialog.set_file_name(name);
            }
            // Session folders usually live in Claude Code's hidden folder: start there.
            if matches!(purpose, Purpose::SourceFolder | Purpose::ImportFolder) {
                if let Some(root) = reverie::flow::claude::projects_root().filter(|r| r.is_dir()) {
                    dialog = dialog.set_directory(root);
                }
            }
            let chosen = if purpose.folder() {
                dialog.blocking_pick_folder()
            } else if purpose.saves() {
                dialog.blocking_save_file()
            } else {
                dialog.blocking_pick_file()
            };
            chosen.and_then(|p| p.into_path().ok())
        }
    }?;
    grants.grant(purpose, &picked);
    Some(picked)
}
