//! An agent's memory: list, add, edit, delete, history, and memory in files.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::export;
use crate::model::{
    ImportReport, MemoryEntry, MemoryEvent, MemoryEventKind, MemoryFormat, MemorySource, Scope,
};
use crate::store::agents;
use crate::store::memory::{self, Cause, NewEntry, Writer};
pub use crate::work::prompt::MemoryPrompt;

fn person<'c>(conn: &'c Connection, agent: &str, now: DateTime<Utc>) -> Result<Writer<'c>> {
    Ok(Writer {
        conn,
        agent_id: agents::id_of(conn, agent)?,
        cause: Cause::person(),
        now,
    })
}

/// Live entries, team-wide first, then by scope and age.
pub fn list(conn: &Connection, agent: &str) -> Result<Vec<MemoryEntry>> {
    memory::list(conn, agents::id_of(conn, agent)?)
}

/// A person adds an entry.
pub fn add(
    conn: &mut Connection,
    agent: &str,
    content: &str,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<MemoryEntry> {
    let tx = conn.transaction()?;
    let w = person(&tx, agent, now)?;
    let id = w.add(&NewEntry {
        content: content.to_string(),
        scope,
        source: MemorySource::Person,
        session_ids: Vec::new(),
    })?;
    let entry = memory::get(&tx, w.agent_id, id)?.0;
    tx.commit()?;
    super::flow::after_change_of(conn, agent, now);
    Ok(entry)
}

/// A person changes an entry's text or scope.
pub fn edit(
    conn: &mut Connection,
    agent: &str,
    id: i64,
    content: &str,
    scope: Scope,
    now: DateTime<Utc>,
) -> Result<MemoryEntry> {
    let tx = conn.transaction()?;
    let w = person(&tx, agent, now)?;
    w.edit(id, content, &scope, MemoryEventKind::Edit)?;
    let entry = memory::get(&tx, w.agent_id, id)?.0;
    tx.commit()?;
    super::flow::after_change_of(conn, agent, now);
    Ok(entry)
}

/// A person removes an entry (it stays in the history, and can come back by undo).
pub fn delete(conn: &mut Connection, agent: &str, id: i64, now: DateTime<Utc>) -> Result<()> {
    let tx = conn.transaction()?;
    person(&tx, agent, now)?.remove(id, MemoryEventKind::Remove)?;
    tx.commit()?;
    super::flow::after_change_of(conn, agent, now);
    Ok(())
}

/// Every change to the agent's memory, newest first (the latest 500).
pub fn history(conn: &Connection, agent: &str) -> Result<Vec<MemoryEvent>> {
    memory::history(conn, agents::id_of(conn, agent)?, 500)
}

/// The agent's memory as Markdown (for people) or JSON Lines (for tools).
pub fn export(conn: &Connection, agent: &str, format: MemoryFormat) -> Result<String> {
    let a = agents::get(conn, agent)?;
    let entries = memory::list(conn, agents::id_of(conn, agent)?)?;
    Ok(match format {
        MemoryFormat::Markdown => export::memory::markdown(&a.name, &entries),
        MemoryFormat::Jsonl => export::memory::jsonl(&entries),
    })
}

/// [`export`] into a file.
pub fn export_to_file(
    conn: &Connection,
    agent: &str,
    format: MemoryFormat,
    path: &Path,
) -> Result<()> {
    let text = export(conn, agent, format)?;
    std::fs::write(path, text)
        .map_err(|e| Error::io(format!("could not write {}", path.display()), e))
}

/// Add entries from a JSON Lines file of `{"content", "scope"}`.
pub fn import_file(
    conn: &mut Connection,
    agent: &str,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("could not read {}", path.display()), e))?;
    let report =
        crate::import::memory::import_jsonl(conn, agent, std::io::BufReader::new(file), now)?;
    super::flow::after_change_of(conn, agent, now);
    Ok(report)
}

/// Exactly the memory text the agent reads in a session with `tags` (team-wide entries and
/// those whose scope the tags match), what it is made of, and what did not fit.
pub fn prompt(conn: &Connection, agent: &str, tags: &Scope) -> Result<MemoryPrompt> {
    let a = agents::get(conn, agent)?;
    let entries = memory::list(conn, agents::id_of(conn, agent)?)?;
    Ok(crate::work::prompt::build(
        a.memory_enabled,
        &entries,
        tags,
        crate::work::prompt::BUDGET_TOKENS,
    ))
}

/// Entries whose text has every word of `query` (in any form: "emojis" finds "emoji"),
/// best matches first.
pub fn search(conn: &Connection, agent: &str, query: &str) -> Result<Vec<MemoryEntry>> {
    let stems = |t: &str| -> Vec<String> { crate::dreaming::text_words(t) };
    let want = stems(query);
    let entries = list(conn, agent)?;
    if want.is_empty() {
        return Ok(entries);
    }
    Ok(entries
        .into_iter()
        .filter(|e| {
            let have = stems(&format!("{} {}", e.content, e.scope_label));
            want.iter().all(|w| have.contains(w))
        })
        .collect())
}
