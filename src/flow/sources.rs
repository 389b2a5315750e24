//! Syncing sources: every session file under a source's folder (or the one file) that is new
//! or changed since it was last read is imported into the source's agent with the source's
//! tags. Re-reading a file that grew (a Claude Code log being written) updates its sessions,
//! idempotently by session id. One bad file is recorded on the source with its lines; the
//! others still import.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::import::{self, ImportOptions};
use crate::model::{FileProblem, LineError, Source, SyncReport};
use crate::store::flow;

/// How deep under a source folder session files are looked for (Claude Code keeps a
/// project's logs flat; tools that drop files may nest by day).
const MAX_DEPTH: usize = 4;

/// Whether a file is one of the session formats Reverie reads.
fn is_session_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("json"))
}

/// Session files under `dir`, sorted, hidden entries skipped (a source folder may itself be
/// hidden, like `~/.claude/projects/...`).
pub fn session_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            match e.file_type() {
                Ok(t) if t.is_dir() && !hidden && depth < MAX_DEPTH => walk(&p, depth + 1, out),
                Ok(t) if t.is_file() && !hidden && is_session_file(&p) => out.push(p),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, 0, &mut out);
    out.sort();
    out
}

/// A file's modification time as text, to tell whether it changed since the last read.
fn stamp(meta: &std::fs::Metadata) -> String {
    meta.modified()
        .ok()
        .map(|t| DateTime::<Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Nanos, true))
        .unwrap_or_default()
}

/// Imports what is new or changed in `source`.
pub fn sync(conn: &mut Connection, source: &Source, now: DateTime<Utc>) -> Result<SyncReport> {
    let root = Path::new(&source.path);
    let mut report = SyncReport::default();
    let files = match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => session_files(root),
        Ok(_) => vec![root.to_path_buf()],
        Err(e) => {
            report.problems.push(FileProblem {
                file: source.path.clone(),
                errors: vec![LineError::whole_file(format!(
                    "cannot be read ({e}); was it moved or deleted? Remove this source and add the new place"
                ))],
            });
            return Ok(report);
        }
    };
    let opts = ImportOptions {
        format: source.format,
        agent: Some(source.agent.clone()),
        force_agent: true,
        tags: source.tags.clone(),
    };
    let mut kept = Vec::with_capacity(files.len());
    for file in files {
        let name = file.display().to_string();
        kept.push(name.clone());
        let Ok(meta) = std::fs::metadata(&file) else {
            continue;
        };
        let (size, mtime) = (meta.len(), stamp(&meta));
        if flow::file_seen(conn, source.id, &name)? == Some((size, mtime.clone())) {
            continue;
        }
        report.files_read += 1;
        let (sessions, errors) = match import::import_file(conn, &file, &opts, now, &mut |_| {}) {
            Ok(r) => {
                report.imported += r.imported;
                report.updated += r.updated;
                report.failed += r.failed;
                (r.imported + r.updated, r.errors)
            }
            // A file nobody can read as sessions is recorded, and read again when it changes.
            Err(e @ (Error::InvalidInput { .. } | Error::Io { .. })) => {
                report.failed += 1;
                (0, vec![LineError::whole_file(e.to_string())])
            }
            Err(e) => return Err(e),
        };
        if !errors.is_empty() {
            report.problems.push(FileProblem {
                file: name.clone(),
                errors: errors.clone(),
            });
        }
        flow::record_file(conn, source.id, &name, size, &mtime, sessions, &errors, now)?;
    }
    flow::forget_files(conn, source.id, &kept)?;
    flow::synced(conn, source.id, now)?;
    Ok(report)
}
