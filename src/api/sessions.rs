//! Sessions: list and read them, the tag values they carry, and import files of them.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::import::{self, ImportOptions};
use crate::model::{
    ImportProgress, ImportReport, ScopeCount, Session, SessionFilter, SessionPage, Verdict,
};
use crate::store::{agents, edits, sessions};

/// An agent's sessions, newest first, narrowed by `filter`.
pub fn list(conn: &Connection, agent: &str, filter: &SessionFilter) -> Result<SessionPage> {
    sessions::list(conn, agent, filter)
}

/// One session with its transcript, feedback and grades.
pub fn get(conn: &Connection, agent: &str, id: &str) -> Result<Session> {
    sessions::get(conn, agent, id)
}

/// Tag values (such as clients) on an agent's sessions, most used first.
pub fn scopes(conn: &Connection, agent: &str) -> Result<Vec<ScopeCount>> {
    sessions::scopes(conn, agents::id_of(conn, agent)?)
}

/// Import a file of sessions in any supported format; bad lines are reported, good ones land.
pub fn import_file(
    conn: &mut Connection,
    path: &Path,
    opts: &ImportOptions,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportReport> {
    if !path.is_dir() {
        return import::import_file(conn, path, opts, now, progress);
    }
    // A folder (a Claude Code project, a folder a tool drops files into): every session file
    // in it; a file that cannot be read is reported with its name, the others still import.
    let files = crate::flow::sources::session_files(path);
    if files.is_empty() {
        return Err(Error::invalid_field(
            "path",
            format!(
                "{} holds no session files (.jsonl or .json); choose a folder of transcripts or one file",
                path.display()
            ),
        ));
    }
    let mut total = ImportReport::default();
    let mut formats = std::collections::BTreeSet::new();
    for f in &files {
        let name = f.strip_prefix(path).unwrap_or(f).display().to_string();
        match import::import_file(conn, f, opts, now, progress) {
            Ok(r) => {
                total.imported += r.imported;
                total.updated += r.updated;
                total.failed += r.failed;
                formats.insert(r.format);
                total
                    .errors
                    .extend(r.errors.into_iter().map(|e| crate::model::LineError {
                        line: e.line,
                        message: format!("{name}: {}", e.message),
                    }));
            }
            Err(e @ (Error::InvalidInput { .. } | Error::Io { .. })) => {
                total.failed += 1;
                total
                    .errors
                    .push(crate::model::LineError::whole_file(format!("{name}: {e}")));
            }
            Err(e) => return Err(e),
        }
    }
    total.format = formats.into_iter().collect::<Vec<_>>().join(", ");
    Ok(total)
}

/// A person's verdict on one of the agent's answers, given in the app or on the command line.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FeedbackChange {
    /// The answer's index in the session's messages.
    pub message: u32,
    /// `None` clears the verdict.
    pub verdict: Option<Verdict>,
    /// For `revised`: the text the person used instead.
    pub final_text: Option<String>,
    pub comment: Option<String>,
}

/// Give, change or clear the verdict on one answer. Kept apart from imported verdicts, so a
/// re-import of the same file never erases it; the next dream reads it.
pub fn feedback(
    conn: &mut Connection,
    agent: &str,
    id: &str,
    change: &FeedbackChange,
) -> Result<Session> {
    let tx = conn.transaction()?;
    let rowid = edits::rowid(&tx, agents::id_of(&tx, agent)?, id)?;
    edits::set_feedback(
        &tx,
        rowid,
        change.message,
        change
            .verdict
            .map(|v| (v, change.final_text.as_deref(), change.comment.as_deref())),
    )?;
    tx.commit()?;
    sessions::get(conn, agent, id)
}

/// A comment on the whole session (`None` clears it).
pub fn comment(conn: &Connection, agent: &str, id: &str, comment: Option<&str>) -> Result<Session> {
    let rowid = edits::rowid(conn, agents::id_of(conn, agent)?, id)?;
    edits::set_comment(conn, rowid, comment)?;
    sessions::get(conn, agent, id)
}

/// Which sessions a tag change is for.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Sessions {
    /// These sessions, by id.
    Ids(Vec<String>),
    /// Every session imported from this file.
    File(String),
}

/// Set a tag (such as the client) on sessions, or remove it with `value` `None`; the change
/// outlives re-imports. Returns how many sessions changed.
pub fn tag(
    conn: &mut Connection,
    agent: &str,
    which: &Sessions,
    key: &str,
    value: Option<&str>,
) -> Result<u32> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid_field(
            "key",
            "say which tag, for example client",
        ));
    }
    let value = value.map(str::trim);
    if value == Some("") {
        return Err(Error::invalid_field(
            "value",
            "give the tag a value, or remove it",
        ));
    }
    let tx = conn.transaction()?;
    let agent_id = agents::id_of(&tx, agent)?;
    let rowids = match which {
        Sessions::Ids(ids) => ids
            .iter()
            .map(|id| edits::rowid(&tx, agent_id, id))
            .collect::<Result<Vec<_>>>()?,
        Sessions::File(file) => edits::from_file(&tx, agent_id, file)?,
    };
    for &r in &rowids {
        edits::set_tag(&tx, r, key, value)?;
    }
    tx.commit()?;
    Ok(rowids.len() as u32)
}

/// The files the agent's sessions were imported from, with how many sessions each.
pub fn files(conn: &Connection, agent: &str) -> Result<Vec<SourceFile>> {
    Ok(edits::files(conn, agents::id_of(conn, agent)?)?
        .into_iter()
        .map(|(path, sessions)| SourceFile { path, sessions })
        .collect())
}

/// A file sessions came from.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SourceFile {
    pub path: String,
    pub sessions: u32,
}

/// A session an agent reports about itself from outside Reverie (through MCP): what it was
/// asked, what it answered, and the person's verdict. Stored like an imported session: data
/// for dreams, never instructions.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Reported {
    pub task: String,
    pub answer: Option<String>,
    pub verdict: Verdict,
    /// For `revised`: the text the person used.
    pub final_text: Option<String>,
    pub comment: Option<String>,
    pub tags: crate::model::Scope,
}

/// Store a reported session for `agent` under `source` (e.g. `mcp`); returns its id.
pub fn record(
    conn: &mut Connection,
    agent: &str,
    r: &Reported,
    source: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    use crate::model::{Feedback, Message, Role};
    let agent_id = agents::id_of(conn, agent)?;
    let msg = |role, content: &str| Message {
        role,
        content: content.to_string(),
        tool_calls: vec![],
        stopped: false,
    };
    let mut messages = vec![msg(Role::User, r.task.trim())];
    let answer = r.answer.as_deref().map(str::trim).unwrap_or("");
    messages.push(msg(Role::Assistant, answer));
    let rec = import::record::SessionRecord {
        id: format!(
            "{source}-{}-{:04x}",
            now.format("%Y%m%d-%H%M%S"),
            fastrand::u16(..)
        ),
        agent: agent.to_string(),
        started_at: now,
        ended_at: Some(now),
        user: None,
        tags: r.tags.clone(),
        messages,
        feedback: vec![Feedback {
            message: 1,
            verdict: r.verdict,
            final_text: r.final_text.clone(),
            comment: r.comment.clone(),
        }],
        outcomes: Default::default(),
        extra: Default::default(),
    };
    rec.check().map_err(Error::invalid)?;
    let tx = conn.transaction()?;
    sessions::upsert(&tx, agent_id, &rec, source, None, now)?;
    tx.commit()?;
    crate::dreaming::grading::ensure(conn, agent, now)?;
    Ok(rec.id)
}
