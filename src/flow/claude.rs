//! Claude Code's session logs: `~/.claude/projects/<project>/<session>.jsonl`, one folder per
//! working directory (`CLAUDE_CONFIG_DIR` moves `~/.claude`). Claude Code deletes logs older
//! than 30 days by default, so connecting a project early keeps its history in Reverie.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::sources::session_files;
use crate::model::ClaudeProject;

/// Where Claude Code keeps its project logs on this machine.
pub fn projects_root() -> Option<PathBuf> {
    let base = match std::env::var_os("CLAUDE_CONFIG_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => dirs::home_dir()?.join(".claude"),
    };
    Some(base.join("projects"))
}

/// The working directory a project folder stands for: the `cwd` its logs record, else the
/// folder name read back (`-home-mei-site` is `/home/mei/site`; dashes in names are lost).
fn working_dir(folder: &Path, files: &[PathBuf]) -> String {
    for f in files.iter().take(3) {
        let Ok(file) = std::fs::File::open(f) else {
            continue;
        };
        for line in std::io::BufReader::new(file)
            .lines()
            .take(50)
            .map_while(|l| l.ok())
        {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                if let Some(cwd) = v["cwd"].as_str() {
                    return cwd.to_string();
                }
            }
        }
    }
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.replace('-', "/")
}

/// The Claude Code projects on this machine, most recently active first; `connected` says
/// which folders are already sources (given as paths).
pub fn projects(connected: &[String]) -> Vec<ClaudeProject> {
    let Some(root) = projects_root() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&root) else {
        return Vec::new();
    };
    let mut out: Vec<ClaudeProject> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| {
            let folder = e.path();
            let files = session_files(&folder);
            let last = files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok()?.modified().ok())
                .max()
                .map(DateTime::<Utc>::from);
            let project = working_dir(&folder, &files);
            let name = Path::new(&project)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| project.clone());
            let folder = folder.display().to_string();
            ClaudeProject {
                connected: connected.contains(&folder),
                folder,
                project,
                name,
                sessions: files.len() as u32,
                last_activity: last,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.last_activity
            .cmp(&a.last_activity)
            .then_with(|| a.folder.cmp(&b.folder))
    });
    out
}

/// Whether `path` is a project folder Claude Code keeps on this machine (a source the app may
/// add without a file dialog, since it found the folder itself).
pub fn is_project_folder(path: &Path) -> bool {
    let (Some(root), Ok(path)) = (projects_root(), path.canonicalize()) else {
        return false;
    };
    root.canonicalize()
        .is_ok_and(|root| path.parent() == Some(root.as_path()) && path.is_dir())
}
