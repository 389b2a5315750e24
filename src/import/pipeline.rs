//! Reading a file of sessions into the store: detect the format, convert, and write each
//! session all-or-nothing while bad lines are reported and good ones land.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::convert::{self, Format};
use super::lines::{self, Line, Lines};
use super::record::{describe_json_error, SessionRecord};
use crate::error::{Error, Result};
use crate::model::{ImportProgress, ImportReport, LineError};
use crate::store::{agents, sessions};

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// `None` detects the format from the file's first lines.
    pub format: Option<Format>,
    /// Agent for sessions whose format names none (and for Reverie lines without `agent`).
    pub agent: Option<String>,
    /// Every session goes to `agent`, whatever the file says (a source belongs to one agent).
    pub force_agent: bool,
    /// Tags stamped on every session (a source's `client: Harbour Tea`); they win over the file's.
    pub tags: crate::model::Scope,
}

/// Sessions per transaction: large enough to amortise commits, small enough that progress
/// moves and a crash loses little.
const BATCH: usize = 1000;
/// Errors kept in the report; past this only the count grows, so a wrong file cannot flood memory.
const MAX_ERRORS: usize = 1000;
/// Formats read whole (one JSON document) are refused above this size.
const MAX_WHOLE_FILE: u64 = 256 * 1_000_000;

/// Where imported sessions are written, one transaction per batch.
struct Sink<'c> {
    conn: &'c mut Connection,
    source: String,
    /// The file read, so "all sessions from this file" can be found again.
    file: String,
    fallback_agent: Option<String>,
    force_agent: bool,
    tags: crate::model::Scope,
    agent_ids: HashMap<String, i64>,
    pending: Vec<(u64, SessionRecord)>,
    /// (agent, id) of every session read so far in this file, with the line it was on.
    seen: HashMap<(String, String), u64>,
    report: ImportReport,
    now: DateTime<Utc>,
}

impl Sink<'_> {
    fn fail(&mut self, line: u64, message: String) {
        self.report.failed += 1;
        if self.report.errors.len() < MAX_ERRORS {
            self.report.errors.push(LineError { line, message });
        }
    }

    fn push(&mut self, line: u64, rec: SessionRecord) -> Result<()> {
        self.pending.push((line, rec));
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.pending);
        let mut failures = Vec::new();
        let mut tx = self.conn.transaction()?;
        for (line, mut rec) in batch {
            if self.force_agent {
                if let Some(a) = &self.fallback_agent {
                    rec.agent = a.clone();
                }
            }
            for (k, v) in &self.tags {
                rec.tags.insert(k.clone(), v.clone());
            }
            if rec.agent.is_empty() {
                match &self.fallback_agent {
                    Some(a) => rec.agent = a.clone(),
                    None => {
                        failures.push((
                            line,
                            "field `agent` is missing; add the agent's slug, or pass --agent SLUG"
                                .to_string(),
                        ));
                        continue;
                    }
                }
            }
            if let Err(msg) = rec.check() {
                failures.push((line, msg));
                continue;
            }
            if let Some(first) = self.seen.get(&(rec.agent.clone(), rec.id.clone())) {
                failures.push((
                    line,
                    format!(
                        "session \"{}\" of agent \"{}\" is here a second time (first on line {first}); the first was kept. Give each session its own id, or remove the repeat",
                        rec.id, rec.agent
                    ),
                ));
                continue;
            }
            self.seen.insert((rec.agent.clone(), rec.id.clone()), line);
            // Each session is all-or-nothing: a failure rolls back only its own savepoint.
            let mut sp = tx.savepoint()?;
            let written = (|| -> Result<sessions::Upserted> {
                let agent_id = match self.agent_ids.get(&rec.agent) {
                    Some(id) => *id,
                    None => {
                        let id = agents::ensure(&sp, &rec.agent, self.now)?;
                        self.agent_ids.insert(rec.agent.clone(), id);
                        id
                    }
                };
                sessions::upsert(
                    &sp,
                    agent_id,
                    &rec,
                    &self.source,
                    Some(&self.file),
                    self.now,
                )
            })();
            match written {
                Ok(kind) => {
                    sp.commit()?;
                    match kind {
                        sessions::Upserted::Inserted => self.report.imported += 1,
                        sessions::Upserted::Updated => self.report.updated += 1,
                    }
                }
                Err(Error::InvalidInput { message: msg, .. }) => {
                    sp.rollback()?;
                    drop(sp);
                    // An agent created inside the rolled-back savepoint is gone again.
                    self.agent_ids.remove(&rec.agent);
                    failures.push((line, format!("field `agent`: {msg}")));
                }
                Err(e) => return Err(e),
            }
        }
        tx.commit()?;
        for (line, msg) in failures {
            self.fail(line, msg);
        }
        Ok(())
    }
}

/// Import a file in any supported format. `progress` is called after each batch.
pub fn import_file(
    conn: &mut Connection,
    path: &Path,
    opts: &ImportOptions,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(&ImportProgress),
) -> Result<ImportReport> {
    let open_err = |e| Error::io(format!("could not read {}", path.display()), e);
    let file = File::open(path).map_err(open_err)?;
    let bytes_total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = BufReader::with_capacity(1 << 16, file);

    let format = match opts.format {
        Some(f) => f,
        None => {
            let sample = reader.fill_buf().map_err(open_err)?;
            let sample = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
            let sample = String::from_utf8_lossy(sample).into_owned();
            convert::detect(&sample, Some(path))
                .map_err(|msg| Error::invalid(format!("{}: {msg}", path.display())))?
        }
    };
    if let Some(agent) = &opts.agent {
        if let Some(msg) = agents::slug_problem(agent) {
            return Err(Error::invalid_field("agent", msg));
        }
    }
    let mut sink = Sink {
        conn,
        source: format.as_str().to_string(),
        file: path.display().to_string(),
        fallback_agent: opts.agent.clone(),
        force_agent: opts.force_agent,
        tags: opts.tags.clone(),
        agent_ids: HashMap::new(),
        pending: Vec::with_capacity(BATCH),
        seen: HashMap::new(),
        report: ImportReport {
            format: format.as_str().to_string(),
            ..Default::default()
        },
        now,
    };

    if format == Format::Reverie {
        // Streamed line by line: a 10,000-session file never sits in memory whole, and one
        // enormous line costs at most the line limit.
        let mut lines = Lines::new(reader);
        while let Some(line) = lines.next_line().map_err(open_err)? {
            let line_no = lines.number;
            let text = match line {
                Line::Text(text) => text,
                bad => {
                    sink.fail(line_no, lines::problem(&bad).unwrap_or_default());
                    continue;
                }
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            match serde_json::from_str::<SessionRecord>(text) {
                Ok(rec) => {
                    let before = sink.pending.len();
                    sink.push(line_no, rec)?;
                    if sink.pending.len() < before {
                        progress(&ImportProgress {
                            lines_done: line_no,
                            bytes_done: lines.bytes,
                            bytes_total,
                        });
                    }
                }
                Err(e) => sink.fail(line_no, describe_json_error(&e)),
            }
        }
        sink.flush()?;
        progress(&ImportProgress {
            lines_done: lines.number,
            bytes_done: lines.bytes,
            bytes_total,
        });
    } else {
        // Other formats are read whole (a transcript is one JSON document): up to a limit.
        if bytes_total > MAX_WHOLE_FILE {
            return Err(Error::invalid(format!(
                "{} is {:.0} MB; {} files are read whole, up to {} MB; split it into smaller files",
                path.display(),
                bytes_total as f64 / 1e6,
                format.as_str(),
                MAX_WHOLE_FILE / 1_000_000
            )));
        }
        let mut bytes = Vec::new();
        reader
            .take(MAX_WHOLE_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(open_err)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Error::invalid(format!(
                "{} is not UTF-8 text (a bad byte on line {line}); save it as UTF-8",
                path.display()
            ))
        })?;
        let parsed = convert::convert(format, text, Some(path));
        for e in parsed.errors {
            sink.fail(e.line, e.message);
        }
        let total_lines = text.lines().count() as u64;
        for (line, mut rec) in parsed.records {
            // A format without agent names goes to --agent, else to the source's name.
            if let Some(agent) = &opts.agent {
                rec.agent = agent.clone();
            } else if rec.agent.is_empty() {
                rec.agent = "imported".into();
            }
            sink.push(line, rec)?;
        }
        sink.flush()?;
        progress(&ImportProgress {
            lines_done: total_lines,
            bytes_done: bytes_total,
            bytes_total,
        });
    }
    sink.report.errors.sort_by_key(|e| e.line);
    // Graded as they arrive, with the memory they were written under (progress reads these).
    let mut agents: Vec<&String> = sink.agent_ids.keys().collect();
    agents.sort();
    for agent in agents {
        crate::dreaming::grading::ensure(sink.conn, agent, now)?;
    }
    Ok(sink.report)
}
