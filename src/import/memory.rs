//! `memory import`: JSON Lines of `{"content", "scope"}` added to an agent's memory.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Deserialize;

use super::record::describe_json_error;
use crate::error::{Error, Result};
use crate::model::{ImportReport, LineError, MemorySource, Scope};
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
            Err(Error::InvalidInput { message: msg, .. }) => {
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
