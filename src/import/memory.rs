//! `memory import`: JSON Lines of `{"content", "scope"}` added to an agent's memory. Fields
//! it does not know (an `id` from an export of another tool, say) are ignored; a line memory
//! already holds, or one repeated in the file, counts as "already there".

use std::io::BufRead;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Deserialize;

use super::lines::{self, Line, Lines};
use super::record::describe_json_error;
use crate::error::{Error, Result};
use crate::model::{ImportReport, LineError, MemorySource, Scope};
use crate::store::{agents, memory};

#[derive(Deserialize)]
struct Entry {
    content: String,
    #[serde(default)]
    scope: Scope,
}

/// Add each line's entry to the agent's memory, in one transaction. Bad lines are reported
/// with their number and the good ones land.
pub fn import_jsonl(
    conn: &mut Connection,
    agent: &str,
    input: impl BufRead,
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    let agent_id = agents::id_of(conn, agent)?;
    let mut report = ImportReport {
        format: "memory-jsonl".into(),
        ..Default::default()
    };
    let tx = conn.transaction()?;
    let mut known: Vec<(String, Scope)> = memory::list(&tx, agent_id)?
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
    let fail = |report: &mut ImportReport, line: u64, message: String| {
        report.failed += 1;
        report.errors.push(LineError { line, message });
    };
    let mut lines = Lines::new(input);
    while let Some(read) = lines
        .next_line()
        .map_err(|e| Error::io("could not read the memory file", e))?
    {
        let line = lines.number;
        let raw = match read {
            Line::Text(t) => t,
            bad => {
                fail(&mut report, line, lines::problem(&bad).unwrap_or_default());
                continue;
            }
        };
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let parsed: Entry = match serde_json::from_str(raw) {
            Ok(l) => l,
            Err(e) => {
                fail(
                    &mut report,
                    line,
                    format!(
                        "{}; each line is {{\"content\": \"...\", \"scope\": {{}}}}",
                        describe_json_error(&e)
                    ),
                );
                continue;
            }
        };
        let content = parsed.content.trim().to_string();
        if known
            .iter()
            .any(|(c, s)| *c == content && *s == parsed.scope)
        {
            report.updated += 1;
            continue;
        }
        let entry = memory::NewEntry {
            content: content.clone(),
            scope: parsed.scope.clone(),
            source: MemorySource::Import,
            session_ids: Vec::new(),
        };
        match writer.add(&entry) {
            Ok(_) => {
                report.imported += 1;
                known.push((content, parsed.scope));
            }
            Err(Error::InvalidInput { message, .. }) => {
                fail(&mut report, line, format!("field `content`: {message}"))
            }
            Err(e) => return Err(e),
        }
    }
    tx.commit()?;
    Ok(report)
}
