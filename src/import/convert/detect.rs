//! Telling a transcript's format from its content, for `--format auto`.

use std::path::Path;

use serde_json::{Map, Value};

use super::documents::whole_message;
use super::Format;

/// How many non-blank lines of a JSON Lines file are looked at.
const SNIFF_LINES: usize = 50;

/// Sniff the format of a file from its content (`path` only names it in errors). `text` may
/// be just the file's first block: a document cut off at its end is read as far as it goes.
///
/// The rule, in order:
/// 1. **One JSON document** (the whole text, or a cut-off one closed where it stops): a
///    single Claude Code event or Reverie line is that format; a session object (or an
///    array of them) or a bare array of `{role, content}` messages is OpenAI or Anthropic
///    as in 3.
/// 2. **JSON Lines** (the first 50 non-blank lines that parse on their own as objects): an
///    event with `sessionId` and `type` (or a `summary` event with `leafUuid`) is a
///    **Claude Code** log; a session with `id`, `messages` and `started_at` is **Reverie**;
///    sessions with `messages` are OpenAI or Anthropic as in 3.
/// 3. **OpenAI or Anthropic** by what only one of them has. OpenAI: `tool_calls`,
///    `function_call`, `tool_call_id`, roles `system` / `developer` / `tool` / `function`,
///    `image_url` / `input_audio` / `refusal` / `file` parts. Anthropic: a top-level `system`
///    beside `messages`, or `tool_use` / `tool_result` / `thinking` / `document` / `image`
///    (with `source`) blocks. With neither, plain `{role, content: "text"}` messages read the
///    same either way: a bare array is taken as Anthropic (how Messages transcripts are
///    exported), `{"messages": [...]}` objects as OpenAI (its fine-tuning and log shape).
///    With both, the file is refused and `--format` asked for.
pub fn detect(text: &str, path: Option<&Path>) -> Result<Format, String> {
    let name = path.map_or_else(|| "the file".to_string(), |p| format!("`{}`", p.display()));
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(format!("{name} is empty; there is nothing to import"));
    }
    let several_lines = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .nth(1)
        .is_some();
    let whole = match serde_json::from_str::<Value>(text) {
        Ok(v) => return document(v, several_lines, &name),
        Err(e) => e,
    };
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if serde_json::from_str::<Value>(first).is_ok() {
        return json_lines(text, &name);
    }
    // A document cut off by the sample's end: classify what it holds so far.
    if whole.is_eof() {
        if let Some(v) = close_truncated(text) {
            return document(v, several_lines, &name);
        }
    }
    // JSON Lines whose first line is broken: the good lines still tell.
    if let Ok(format) = json_lines(text, &name) {
        return Ok(format);
    }
    Err(unknown(
        &name,
        &format!(
            "it is not JSON ({} at line {}, column {})",
            whole_message(&whole),
            whole.line(),
            whole.column()
        ),
    ))
}

/// A file that is one JSON document.
fn document(v: Value, several_lines: bool, name: &str) -> Result<Format, String> {
    match v {
        Value::Object(obj) => {
            if is_claude_event(&obj) {
                return Ok(Format::ClaudeCode);
            }
            if is_reverie(&obj) {
                return if several_lines {
                    Err(format!(
                        "{name} holds one Reverie session spread over several lines; the Reverie \
                         format is JSON Lines: put each session on a single line"
                    ))
                } else {
                    Ok(Format::Reverie)
                };
            }
            if obj.contains_key("messages") {
                return decide(&[&obj], Format::Openai, name);
            }
            Err(unknown(
                name,
                "it is a JSON object without a `messages` list",
            ))
        }
        Value::Array(items) => {
            let objs: Vec<&Map<String, Value>> =
                items.iter().filter_map(Value::as_object).collect();
            match objs.first() {
                None => Err(unknown(name, "it is a JSON array without any objects")),
                Some(first) if is_reverie(first) => Err(format!(
                    "{name} is a JSON array of Reverie sessions; the Reverie format is JSON Lines: \
                     write one session per line, without the surrounding `[` `]`"
                )),
                Some(first) if first.contains_key("messages") => {
                    decide(&objs, Format::Openai, name)
                }
                Some(first) if first.contains_key("role") => {
                    let mut session = Map::new();
                    session.insert("messages".into(), Value::Array(items.clone()));
                    decide(&[&session], Format::Anthropic, name)
                }
                Some(_) => Err(unknown(
                    name,
                    "its objects have neither `messages` nor `role`",
                )),
            }
        }
        other => Err(unknown(
            name,
            &format!("it is {}, not a transcript", super::kind(&other)),
        )),
    }
}

/// A file of one JSON value per line; the first lines that are objects decide.
fn json_lines(text: &str, name: &str) -> Result<Format, String> {
    let objs: Vec<Map<String, Value>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SNIFF_LINES)
        .filter_map(|l| match serde_json::from_str(l) {
            Ok(Value::Object(o)) => Some(o),
            _ => None,
        })
        .collect();
    if objs.iter().any(is_claude_event) {
        return Ok(Format::ClaudeCode);
    }
    let sessions: Vec<&Map<String, Value>> =
        objs.iter().filter(|o| o.contains_key("messages")).collect();
    match sessions.first() {
        Some(first) if is_reverie(first) => Ok(Format::Reverie),
        Some(_) => decide(&sessions, Format::Openai, name),
        None => Err(unknown(
            name,
            "its lines are not JSON objects with `messages` or `sessionId`",
        )),
    }
}

/// The longest prefix of a cut-off JSON document that can be closed, closed: cut after an
/// opening or closing bracket or before a comma, then close what is still open.
fn close_truncated(text: &str) -> Option<Value> {
    let mut open: Vec<char> = Vec::new();
    let mut best: Option<(usize, String)> = None;
    let (mut in_str, mut escaped) = (false, false);
    for (i, c) in text.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        let cut = match c {
            '"' => {
                in_str = true;
                continue;
            }
            '{' | '[' => {
                open.push(if c == '{' { '}' } else { ']' });
                i + 1
            }
            '}' | ']' => {
                open.pop();
                i + 1
            }
            ',' => i,
            _ => continue,
        };
        best = Some((cut, open.iter().rev().collect()));
        if open.is_empty() {
            break;
        }
    }
    let (cut, close) = best?;
    serde_json::from_str(&format!("{}{close}", &text[..cut])).ok()
}

fn is_claude_event(o: &Map<String, Value>) -> bool {
    let ty = o.get("type").and_then(Value::as_str);
    (ty.is_some() && o.contains_key("sessionId"))
        || (ty == Some("summary") && o.contains_key("leafUuid"))
}

fn is_reverie(o: &Map<String, Value>) -> bool {
    ["id", "messages", "started_at"]
        .iter()
        .all(|k| o.contains_key(*k))
}

/// The first evidence seen for each side, quoted in the "mixed" error.
#[derive(Default)]
struct Signals {
    openai: Option<&'static str>,
    anthropic: Option<&'static str>,
}

impl Signals {
    fn session(&mut self, o: &Map<String, Value>) {
        if o.contains_key("system") {
            self.anthropic.get_or_insert("a top-level `system`");
        }
        for m in o
            .get("messages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(m) = m.as_object() else { continue };
            if let Some(k) = ["tool_calls", "function_call", "tool_call_id"]
                .into_iter()
                .find(|k| m.contains_key(*k))
            {
                self.openai.get_or_insert(k);
            }
            if let Some(r) = m.get("role").and_then(Value::as_str) {
                if matches!(r, "system" | "developer" | "tool" | "function") {
                    self.openai
                        .get_or_insert("a `system`, `developer` or `tool` role");
                }
            }
            for b in m
                .get("content")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                match b.get("type").and_then(Value::as_str).unwrap_or("") {
                    t @ ("tool_use" | "tool_result" | "thinking" | "redacted_thinking"
                    | "document") => {
                        self.anthropic.get_or_insert(block_name(t));
                    }
                    "image" if b.get("source").is_some() => {
                        self.anthropic.get_or_insert("`image` blocks");
                    }
                    "image_url" | "input_audio" | "refusal" | "file" => {
                        self.openai.get_or_insert("OpenAI content parts");
                    }
                    _ => {}
                }
            }
        }
    }
}

fn block_name(t: &str) -> &'static str {
    match t {
        "tool_use" => "`tool_use` blocks",
        "tool_result" => "`tool_result` blocks",
        "document" => "`document` blocks",
        _ => "`thinking` blocks",
    }
}

fn decide(sessions: &[&Map<String, Value>], default: Format, name: &str) -> Result<Format, String> {
    let mut s = Signals::default();
    for o in sessions {
        s.session(o);
    }
    match (s.openai, s.anthropic) {
        (Some(o), Some(a)) => Err(format!(
            "{name} mixes OpenAI ({o}) and Anthropic ({a}) transcript shapes; \
             pass `--format openai` or `--format anthropic` to choose"
        )),
        (Some(_), None) => Ok(Format::Openai),
        (None, Some(_)) => Ok(Format::Anthropic),
        (None, None) => Ok(default),
    }
}

fn unknown(name: &str, why: &str) -> String {
    format!(
        "could not tell the format of {name}: {why}. Reverie imports Reverie session JSON Lines, \
         Anthropic Messages transcripts, OpenAI chat transcripts and Claude Code session logs; \
         if the file is one of these, pass `--format reverie|anthropic|openai|claude-code`"
    )
}
