//! Memory in files: `memory import` (JSON Lines of `{"content", "scope"}`) and `memory export`
//! (Markdown for people, JSON Lines for tools).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::import::record::describe_json_error;
use crate::model::{ImportReport, LineError, MemoryEntry, MemorySource, Scope};
use crate::store::{agents, memory};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    content: String,
    #[serde(default)]
    scope: Scope,
}

/// Add each line's entry to the agent's memory. Bad lines are reported with their number;
/// an entry memory already has (same text and scope) is counted as updated, not duplicated.
pub fn import_jsonl(
    conn: &mut Connection,
    agent: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    let agent_id = agents::id_of(conn, agent)?;
    let mut report = ImportReport {
        format: "memory-jsonl".into(),
        ..Default::default()
    };
    let tx = conn.transaction()?;
    let existing: Vec<(String, Scope)> = memory::list(&tx, agent_id)?
        .into_iter()
        .map(|e| (e.content, e.scope))
        .collect();
    let writer = memory::Writer {
        conn: &tx,
        agent_id,
        cause: memory::Cause {
            actor: "import".into(),
            ..Default::default()
        },
        now,
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let parsed: Line = match serde_json::from_str(raw) {
            Ok(l) => l,
            Err(e) => {
                report.failed += 1;
                report.errors.push(LineError {
                    line,
                    message: format!(
                        "{}; each line is {{\"content\": \"...\", \"scope\": {{}}}}",
                        describe_json_error(&e)
                    ),
                });
                continue;
            }
        };
        let content = parsed.content.trim().to_string();
        if existing
            .iter()
            .any(|(c, s)| *c == content && *s == parsed.scope)
        {
            report.updated += 1;
            continue;
        }
        let entry = memory::NewEntry {
            content,
            scope: parsed.scope,
            source: MemorySource::Import,
            session_ids: Vec::new(),
        };
        match writer.add(&entry) {
            Ok(_) => report.imported += 1,
            Err(Error::InvalidInput(msg)) => {
                report.failed += 1;
                report.errors.push(LineError {
                    line,
                    message: format!("field `content`: {msg}"),
                });
            }
            Err(e) => return Err(e),
        }
    }
    tx.commit()?;
    Ok(report)
}

/// "Team-wide" for the empty scope, else "client: Harbour Tea".
pub fn scope_label(scope: &Scope) -> String {
    if scope.is_empty() {
        "Team-wide".into()
    } else {
        scope
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub fn export_jsonl(entries: &[MemoryEntry]) -> String {
    entries
        .iter()
        .map(|e| serde_json::json!({"content": e.content, "scope": e.scope}).to_string() + "\n")
        .collect()
}

pub fn export_markdown(agent_name: &str, entries: &[MemoryEntry]) -> String {
    let mut groups: BTreeMap<(bool, String), Vec<&MemoryEntry>> = BTreeMap::new();
    for e in entries {
        groups
            .entry((!e.scope.is_empty(), scope_label(&e.scope)))
            .or_default()
            .push(e);
    }
    let mut out = format!("# {agent_name}: memory\n");
    if entries.is_empty() {
        out.push_str("\nNo memory entries yet.\n");
    }
    for ((_, label), list) in groups {
        out.push_str(&format!("\n## {label}\n\n"));
        for e in list {
            out.push_str(&format!("- {}\n", e.content.replace('\n', " ")));
        }
    }
    out
}
