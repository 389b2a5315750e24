//! Claude Code session logs (`~/.claude/projects/<project-folder>/<session-uuid>.jsonl`): one
//! JSON event per line. User and assistant events carry Anthropic-style messages; the rest
//! (summaries, system notices, file snapshots) are bookkeeping.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{anthropic, file_time, kind, slugify};
use crate::import::record::{describe_json_error, Parsed, SessionRecord};
use crate::model::{LineError, Message, Role};

/// One session being assembled from its events.
struct Building {
    id: String,
    line: u64,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    cwd: Option<String>,
    branch: Option<String>,
    uuids: Vec<String>,
    messages: Vec<Message>,
    /// The assistant message still receiving pieces: its API `message.id` and index.
    open: Option<(String, usize)>,
}

pub(super) fn convert(text: &str, path: Option<&Path>) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Vec::new();
    if text.trim().is_empty() {
        errors.push(err(
            1,
            "the file is empty; a Claude Code log has one JSON event per line",
        ));
        return Parsed {
            records: Vec::new(),
            errors,
        };
    }
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        if !v.is_object() {
            let msg = format!(
                "the file is {} in one JSON document, not a Claude Code log (one event per line); \
                 try `--format anthropic` or `--format openai`",
                kind(&v)
            );
            errors.push(err(1, &msg));
            return Parsed {
                records: Vec::new(),
                errors,
            };
        }
    }
    let mut sessions: Vec<Building> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut summaries: HashMap<String, String> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let event = match serde_json::from_str::<Value>(raw) {
            Ok(Value::Object(o)) => o,
            Ok(other) => {
                errors.push(err(
                    line,
                    &format!(
                        "the line is {}, not an event object; delete the line",
                        kind(&other)
                    ),
                ));
                continue;
            }
            Err(e) => {
                errors.push(err(
                    line,
                    &format!("invalid JSON: {}", describe_json_error(&e)),
                ));
                continue;
            }
        };
        match event.get("type").and_then(Value::as_str) {
            Some("user" | "assistant") => {}
            Some("summary") => {
                if let (Some(leaf), Some(s)) =
                    (str_field(&event, "leafUuid"), str_field(&event, "summary"))
                {
                    summaries.insert(leaf.to_string(), s.to_string());
                }
                continue;
            }
            Some(_) => continue,
            None => {
                errors.push(err(line, "field `type` is missing; every Claude Code event has one (user, assistant, summary, …) — is this a Claude Code log?"));
                continue;
            }
        }
        // Sidechains are sub-agent work; meta and compaction events are text the tool injected,
        // not something the person said.
        if ["isSidechain", "isMeta", "isCompactSummary"]
            .iter()
            .any(|k| event.get(*k) == Some(&Value::Bool(true)))
        {
            continue;
        }
        match event_messages(&event) {
            Ok((sid, at, msg_id, msgs)) => {
                let idx = *by_id.entry(sid.clone()).or_insert_with(|| {
                    sessions.push(Building {
                        id: sid,
                        line,
                        first: None,
                        last: None,
                        cwd: None,
                        branch: None,
                        uuids: Vec::new(),
                        messages: Vec::new(),
                        open: None,
                    });
                    sessions.len() - 1
                });
                add(&mut sessions[idx], &event, at, msg_id, msgs);
            }
            Err(e) => errors.push(err(line, &e)),
        }
    }
    let agent = agent_for(path, sessions.iter().filter_map(|s| s.cwd.as_deref()));
    let records = sessions
        .into_iter()
        .filter(|s| !s.messages.is_empty())
        .map(|s| (s.line, record(s, &agent, &summaries, path)))
        .collect();
    Parsed { records, errors }
}

type EventParts = (String, Option<DateTime<Utc>>, Option<String>, Vec<Message>);

/// A user or assistant event's session id, time, API message id and messages.
fn event_messages(event: &Map<String, Value>) -> Result<EventParts, String> {
    let sid = str_field(event, "sessionId").filter(|s| !s.trim().is_empty()).ok_or(
        "field `sessionId` is missing; every user and assistant event of a Claude Code log has one \
         (if this is not a Claude Code log, pass the right `--format`)",
    )?;
    let at = match event.get("timestamp") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            DateTime::parse_from_rfc3339(s)
                .map_err(|_| format!("field `timestamp` is {s:?}, not a time; use RFC 3339 such as 2026-11-02T09:00:00Z"))?
                .with_timezone(&Utc),
        ),
        Some(other) => return Err(format!("field `timestamp` is {}; use RFC 3339 text such as 2026-11-02T09:00:00Z", kind(other))),
    };
    let msg = event.get("message").and_then(Value::as_object).ok_or(
        "field `message` is missing or not an object; it holds the event's {\"role\", \"content\"}",
    )?;
    let role = if event.get("type").and_then(Value::as_str) == Some("assistant") {
        Role::Assistant
    } else {
        Role::User
    };
    let msgs = anthropic::message(role, msg.get("content").unwrap_or(&Value::Null), "message")?;
    let msg_id = str_field(msg, "id").map(str::to_string);
    Ok((sid.to_string(), at, msg_id, msgs))
}

fn add(
    s: &mut Building,
    event: &Map<String, Value>,
    at: Option<DateTime<Utc>>,
    msg_id: Option<String>,
    msgs: Vec<Message>,
) {
    if let Some(t) = at {
        s.first = Some(s.first.map_or(t, |f| f.min(t)));
        s.last = Some(s.last.map_or(t, |l| l.max(t)));
    }
    if s.cwd.is_none() {
        s.cwd = str_field(event, "cwd")
            .filter(|c| !c.is_empty())
            .map(str::to_string);
    }
    if s.branch.is_none() {
        s.branch = str_field(event, "gitBranch")
            .filter(|b| !b.is_empty())
            .map(str::to_string);
    }
    if let Some(u) = str_field(event, "uuid") {
        s.uuids.push(u.to_string());
    }
    // Claude Code writes one event per content block of a streamed answer, all with the same
    // API message id; they are one message.
    let is_assistant = msgs.iter().any(|m| m.role == Role::Assistant);
    let continues = match (&s.open, &msg_id) {
        (Some((open, idx)), Some(id)) => open == id && *idx + 1 == s.messages.len(),
        _ => false,
    };
    for m in msgs {
        match s.messages.last_mut() {
            Some(prev) if continues && m.role == Role::Assistant => {
                prev.content = anthropic::join(vec![std::mem::take(&mut prev.content), m.content]);
                prev.tool_calls.extend(m.tool_calls);
            }
            _ => s.messages.push(m),
        }
    }
    if is_assistant {
        s.open = msg_id.map(|id| (id, s.messages.len() - 1));
    } else if s.messages.last().is_some_and(|m| m.role != Role::Assistant) {
        s.open = None;
    }
}

fn record(
    s: Building,
    agent: &str,
    summaries: &HashMap<String, String>,
    path: Option<&Path>,
) -> SessionRecord {
    let mut extra = Map::new();
    if let Some(cwd) = s.cwd {
        extra.insert("cwd".into(), Value::String(cwd));
    }
    if let Some(b) = s.branch {
        extra.insert("git_branch".into(), Value::String(b));
    }
    if let Some(summary) = s.uuids.iter().rev().find_map(|u| summaries.get(u)) {
        extra.insert("summary".into(), Value::String(summary.clone()));
    }
    SessionRecord {
        id: s.id,
        agent: agent.to_string(),
        started_at: s.first.unwrap_or_else(|| file_time(path)),
        ended_at: s.last,
        user: None,
        tags: Default::default(),
        messages: s.messages,
        feedback: Vec::new(),
        outcomes: Default::default(),
        extra,
    }
}

/// The agent slug from the project folder Claude Code keeps the log in. The folder is the
/// project's path with every non-alphanumeric character made `-` (`/home/mei/harbour-site` ->
/// `-home-mei-harbour-site`), so a `cwd` that encodes to it gives the project's real name;
/// otherwise the home-directory prefix is stripped. `""` without a path or outside such a folder.
fn agent_for<'a>(path: Option<&Path>, cwds: impl Iterator<Item = &'a str>) -> String {
    let Some(folder) = path
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .and_then(|f| f.to_str())
    else {
        return String::new();
    };
    let encode = |p: &str| {
        p.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
    };
    for cwd in cwds {
        if encode(cwd) == folder {
            if let Some(name) = cwd.rsplit(['/', '\\']).find(|p| !p.is_empty()) {
                return slugify(name);
            }
        }
    }
    let b = folder.as_bytes();
    let rest = if b.len() > 3 && b[0].is_ascii_alphabetic() && &b[1..3] == b"--" {
        &folder[3..] // Windows: `C:\Users\mei\site` -> `C--Users-mei-site`
    } else if let Some(rest) = folder.strip_prefix('-') {
        rest
    } else {
        return String::new();
    };
    let parts: Vec<&str> = rest.split('-').collect();
    let project = match parts.as_slice() {
        ["home" | "Users", _, tail @ ..] | ["root", tail @ ..] if !tail.is_empty() => {
            tail.join("-")
        }
        _ => rest.to_string(),
    };
    slugify(&project)
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

fn err(line: u64, message: &str) -> LineError {
    LineError {
        line,
        message: message.to_string(),
    }
}

#[cfg(test)]
#[path = "claude_code_tests.rs"]
mod tests;
