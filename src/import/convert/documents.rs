//! The shared reader for formats that hold whole sessions (Anthropic, OpenAI): a JSON
//! document (a bare message list, one session object, an array of them) or JSON Lines with
//! one session object per line.

use std::path::Path;

use serde_json::{Map, Value};

use super::{anthropic, file_time, kind, time_field};
use crate::import::record::{describe_json_error, Parsed, SessionRecord};
use crate::model::{LineError, Message, Role};

/// Turns one format's `messages` array into Reverie messages, or says what is wrong with it.
pub(super) type MessagesFn = fn(&[Value]) -> Result<Vec<Message>, String>;

/// One session-shaped JSON value found in a file, the line it starts on, and its place among
/// the file's sessions (bad JSON Lines count too, so fixing one does not renumber the rest).
struct Item {
    line: u64,
    n: usize,
    value: Value,
}

/// Reads every session of a file with the format's own message converter.
pub(super) fn documents(text: &str, path: Option<&Path>, to_messages: MessagesFn) -> Parsed {
    let (items, mut errors) = split_items(text);
    let many = items.len() + errors.len() > 1;
    let mut records = Vec::new();
    for item in &items {
        let label = if many {
            format!("session {}: ", item.n + 1)
        } else {
            String::new()
        };
        match session(item, many, path, to_messages) {
            Ok(record) => records.push((item.line, record)),
            Err(e) => errors.push(LineError {
                line: item.line,
                message: format!("{label}{e}"),
            }),
        }
    }
    Parsed { records, errors }
}

fn session(
    item: &Item,
    many: bool,
    path: Option<&Path>,
    to_messages: MessagesFn,
) -> Result<SessionRecord, String> {
    let obj = item.value.as_object().ok_or_else(|| {
        format!(
            "expected a session object with a `messages` array, found {}; \
             each session is `{{\"messages\": [...]}}`",
            kind(&item.value)
        )
    })?;
    let msgs = match obj.get("messages") {
        Some(Value::Array(m)) => m,
        Some(other) => {
            return Err(format!(
                "field `messages` is {}; it must be an array of messages",
                kind(other)
            ))
        }
        None => {
            return Err(
                "field `messages` is missing; add the conversation as `\"messages\": [...]`".into(),
            )
        }
    };
    let mut messages = Vec::new();
    // Anthropic keeps the system prompt beside the messages; keep it as a leading system message.
    if let Some(system) = obj.get("system") {
        let text = anthropic::plain_text(system);
        if !text.is_empty() {
            messages.push(Message {
                role: Role::System,
                content: text,
                tool_calls: Vec::new(),
                stopped: false,
            });
        }
    }
    messages.extend(to_messages(msgs)?);
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => fallback_id(path, item.n, many, &item.value),
    };
    let started = time_field(obj, &["started_at", "created_at", "created", "timestamp"])?;
    let ended = time_field(obj, &["ended_at", "updated_at"])?;
    let user = obj.get("user").and_then(Value::as_str).map(str::to_string);
    Ok(SessionRecord {
        id,
        agent: String::new(),
        started_at: started.unwrap_or_else(|| file_time(path)),
        ended_at: ended,
        user,
        tags: Default::default(),
        messages,
        feedback: Vec::new(),
        outcomes: Default::default(),
        extra: Map::new(),
    })
}

/// Splits a file into session values: a whole JSON document first, JSON Lines if that fails.
fn split_items(text: &str) -> (Vec<Item>, Vec<LineError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first) = first_line(text) else {
        return (
            Vec::new(),
            vec![err(1, "the file is empty; export the transcript again")],
        );
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) if items.is_empty() => (
            Vec::new(),
            vec![err(
                first,
                "the file is an empty JSON array; there is no session to import",
            )],
        ),
        // A bare list of messages is one session.
        Ok(Value::Array(items)) if items[0].get("role").is_some() => {
            let mut obj = Map::new();
            obj.insert("messages".into(), Value::Array(items));
            (
                vec![Item {
                    line: first,
                    n: 0,
                    value: Value::Object(obj),
                }],
                Vec::new(),
            )
        }
        Ok(Value::Array(items)) => {
            let lines = array_item_lines(text);
            let items = items
                .into_iter()
                .enumerate()
                .map(|(n, value)| Item {
                    line: lines.get(n).copied().unwrap_or(first),
                    n,
                    value,
                })
                .collect();
            (items, Vec::new())
        }
        Ok(value) => (
            vec![Item {
                line: first,
                n: 0,
                value,
            }],
            Vec::new(),
        ),
        Err(whole) => {
            if !looks_like_json_lines(text) {
                let msg = format!(
                    "the file is not valid JSON: {} (line {}, column {}); fix it there or export it again",
                    whole_message(&whole),
                    whole.line(),
                    whole.column()
                );
                return (Vec::new(), vec![err(whole.line().max(1) as u64, &msg)]);
            }
            // JSON Lines: one session per line; a bad line does not stop the others.
            let (mut items, mut errors) = (Vec::new(), Vec::new());
            let lines = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty());
            for (n, (i, line)) in lines.enumerate() {
                match serde_json::from_str::<Value>(line) {
                    Ok(value) => items.push(Item {
                        line: i as u64 + 1,
                        n,
                        value,
                    }),
                    Err(e) => errors.push(err(
                        i as u64 + 1,
                        &format!("invalid JSON: {}", describe_json_error(&e)),
                    )),
                }
            }
            (items, errors)
        }
    }
}

fn err(line: u64, message: &str) -> LineError {
    LineError {
        line,
        message: message.to_string(),
    }
}

/// serde_json's message without its own " at line L column C" suffix.
pub(super) fn whole_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

/// JSON Lines, not a broken document: the first line, or most lines, parse on their own.
/// (A pretty-printed document has few lines that do, so its syntax error is reported once.)
fn looks_like_json_lines(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    let first_ok = lines
        .peek()
        .is_some_and(|l| serde_json::from_str::<Value>(l).is_ok());
    let (mut ok, mut all) = (0usize, 0usize);
    for l in lines {
        all += 1;
        ok += usize::from(matches!(
            serde_json::from_str::<Value>(l),
            Ok(Value::Object(_))
        ));
    }
    first_ok || ok * 2 > all
}

/// 1-based number of the first non-blank line.
fn first_line(text: &str) -> Option<u64> {
    text.lines()
        .position(|l| !l.trim().is_empty())
        .map(|i| i as u64 + 1)
}

/// The line each element of a top-level JSON array starts on, so errors point into the file.
/// Only called on text that already parsed as an array.
pub(super) fn array_item_lines(text: &str) -> Vec<u64> {
    let (mut depth, mut line, mut in_str, mut escaped, mut expect) =
        (0usize, 1u64, false, false, false);
    let mut out = Vec::new();
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        if expect && depth == 1 && !c.is_whitespace() && c != ']' {
            out.push(line);
            expect = false;
        }
        match c {
            '"' => in_str = true,
            '[' | '{' => {
                depth += 1;
                expect = depth == 1;
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expect = true,
            _ => {}
        }
    }
    out
}

/// An id for a session its file does not name: the file stem, numbered when the file holds
/// several; without a path, a stable hash of the session itself.
fn fallback_id(path: Option<&Path>, n: usize, many: bool, value: &Value) -> String {
    let stem = path
        .and_then(Path::file_stem)
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty());
    match (stem, many) {
        (Some(stem), false) => stem.to_string(),
        (Some(stem), true) => format!("{stem}-{}", n + 1),
        (None, _) => {
            // FNV-1a: stable across Rust releases, unlike std's DefaultHasher.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in value.to_string().bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            format!("session-{h:016x}")
        }
    }
}
