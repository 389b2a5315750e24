//! Converters from other transcript formats (Anthropic Messages, OpenAI chat, Claude Code
//! session logs) into the session interchange record, and the sniffing that picks one.
//!
//! Converters only read: they never store anything and never panic on any input. Every
//! problem becomes a [`LineError`] that says what is wrong, where, and how to fix it.

mod anthropic;
mod claude_code;
mod detect;
mod documents;
mod openai;

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value};

use super::record::Parsed;
use crate::model::LineError;

pub use detect::detect;

crate::text_enum! {
    /// A transcript format the importer reads (`--format` on the command line).
    pub enum Format {
        /// Reverie's own session interchange format (JSON Lines).
        Reverie = "reverie",
        /// Anthropic Messages transcripts.
        Anthropic = "anthropic",
        /// OpenAI chat transcripts.
        Openai = "openai",
        /// Claude Code session logs (`~/.claude/projects/*/*.jsonl`).
        ClaudeCode = "claude-code",
    }
}

/// Convert a whole non-Reverie file into session records.
///
/// Session ids come from the file (`id`, Claude Code's `sessionId`); without one they are the
/// file stem (`stem-N` when the file holds several sessions), or without a path a hash of the
/// session's content, so importing the same file twice updates instead of duplicating.
/// Agent is `""` except for Claude Code logs, whose project folder names it.
/// A session without any time gets the file's modification time (the epoch without a path).
pub fn convert(format: Format, text: &str, path: Option<&Path>) -> Parsed {
    let mut parsed = match format {
        Format::Reverie => Parsed {
            records: Vec::new(),
            errors: vec![LineError {
                line: 1,
                message: "the Reverie format is read line by line by the importer, not converted; \
                          import the file with `--format reverie`"
                    .into(),
            }],
        },
        Format::Anthropic => documents::documents(text, path, anthropic::messages),
        Format::Openai => documents::documents(text, path, openai::messages),
        Format::ClaudeCode => claude_code::convert(text, path),
    };
    // A converted record must be one the importer accepts; move any that is not to errors.
    let records = std::mem::take(&mut parsed.records);
    for (line, record) in records {
        match record.check() {
            Ok(()) => parsed.records.push((line, record)),
            Err(e) => parsed.errors.push(LineError {
                line,
                message: format!("session `{}`: {e}", record.id),
            }),
        }
    }
    parsed.errors.sort_by_key(|e| e.line);
    parsed
}

/// A slug: lowercase ascii letters, digits and `-`, no leading/trailing `-`, at most 64
/// characters, never empty (`imported` when nothing is left).
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(64);
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "imported".into()
    } else {
        out.to_string()
    }
}

/// The first present field of `keys` as a time: RFC 3339 text or unix seconds.
fn time_field(obj: &Map<String, Value>, keys: &[&str]) -> Result<Option<DateTime<Utc>>, String> {
    for key in keys {
        match obj.get(*key) {
            None | Some(Value::Null) => continue,
            Some(v) => return parse_time(v).map(Some).map_err(|shown| {
                format!("field `{key}` is {shown}, not a time; use RFC 3339 such as 2026-11-02T09:00:00Z or unix seconds")
            }),
        }
    }
    Ok(None)
}

fn parse_time(v: &Value) -> Result<DateTime<Utc>, String> {
    match v {
        Value::String(s) => DateTime::parse_from_rfc3339(s.trim())
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| format!("{s:?}")),
        Value::Number(n) => n
            .as_f64()
            .filter(|s| s.is_finite())
            .and_then(|s| {
                Utc.timestamp_opt(s.trunc() as i64, (s.fract().abs() * 1e9) as u32)
                    .single()
            })
            .ok_or_else(|| n.to_string()),
        other => Err(kind(other).to_string()),
    }
}

/// When a session says nothing about its time: the file's modification time (the closest thing
/// to "when this happened" an export has), else the epoch so conversion stays deterministic.
fn file_time(path: Option<&Path>) -> DateTime<Utc> {
    path.and_then(|p| std::fs::metadata(p).ok())
        .and_then(|m| m.modified().ok())
        .map(DateTime::<Utc>::from)
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// "a string", "an array" … for messages about unexpected shapes.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
