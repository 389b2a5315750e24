//! Anthropic Messages transcripts: `{role, content}` messages whose content is a string or a
//! list of content blocks (`text`, `tool_use`, `tool_result`, `thinking`, `image`, …).
//! The block handling is shared with Claude Code logs, which embed the same messages.

use serde_json::Value;

use super::kind;
use crate::model::{Message, Role, ToolCall};

/// Converts a session's `messages` array.
pub(super) fn messages(msgs: &[Value]) -> Result<Vec<Message>, String> {
    let mut out = Vec::new();
    for (i, m) in msgs.iter().enumerate() {
        let at = format!("messages[{i}]");
        let obj = m.as_object().ok_or_else(|| {
            format!(
                "`{at}` is {}; each message is an object with `role` and `content`",
                kind(m)
            )
        })?;
        let role = match obj.get("role") {
            Some(Value::String(r)) => r.parse::<Role>().ok().ok_or_else(|| {
                format!("field `{at}.role` is {r:?}; use \"user\" or \"assistant\"")
            })?,
            Some(other) => {
                return Err(format!(
                    "field `{at}.role` is {}; use \"user\" or \"assistant\"",
                    kind(other)
                ))
            }
            None => {
                return Err(format!(
                    "field `{at}.role` is missing; add \"user\" or \"assistant\""
                ))
            }
        };
        out.extend(message(
            role,
            obj.get("content").unwrap_or(&Value::Null),
            &at,
        )?);
    }
    Ok(out)
}

/// One Anthropic-style message as Reverie messages: the tool results it carries become `tool`
/// messages (they answer the previous turn's calls), then its own text and tool calls.
/// Nothing is returned for a message with no text and no calls (e.g. only `thinking`).
pub(super) fn message(role: Role, content: &Value, at: &str) -> Result<Vec<Message>, String> {
    let mut out = Vec::new();
    let mut text = Vec::new();
    let mut calls = Vec::new();
    match content {
        Value::Null => {}
        Value::String(s) => text.push(s.clone()),
        Value::Array(blocks) => {
            for (j, b) in blocks.iter().enumerate() {
                block(
                    b,
                    &format!("{at}.content[{j}]"),
                    &mut text,
                    &mut calls,
                    &mut out,
                )?;
            }
        }
        other => {
            return Err(format!(
                "field `{at}.content` is {}; it must be a string or a list of content blocks",
                kind(other)
            ))
        }
    }
    let content = join(text);
    if !content.is_empty() || !calls.is_empty() {
        out.push(Message {
            role,
            content,
            tool_calls: calls,
            stopped: false,
        });
    }
    Ok(out)
}

fn block(
    b: &Value,
    at: &str,
    text: &mut Vec<String>,
    calls: &mut Vec<ToolCall>,
    results: &mut Vec<Message>,
) -> Result<(), String> {
    let obj = match b {
        Value::String(s) => {
            text.push(s.clone());
            return Ok(());
        }
        Value::Object(o) => o,
        other => {
            return Err(format!(
                "`{at}` is {}; a content block is an object such as {{\"type\": \"text\", \"text\": \"...\"}}",
                kind(other)
            ))
        }
    };
    match obj.get("type").and_then(Value::as_str).unwrap_or("") {
        "tool_use" | "server_tool_use" => {
            let name = obj
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| {
                    format!(
                        "field `{at}.name` is missing; a `tool_use` block names the tool it calls"
                    )
                })?;
            let input = obj
                .get("input")
                .cloned()
                .unwrap_or(Value::Object(Default::default()));
            calls.push(ToolCall {
                name: name.to_string(),
                input,
            });
        }
        "tool_result" => {
            let mut content = plain_text(obj.get("content").unwrap_or(&Value::Null));
            if obj.get("is_error").and_then(Value::as_bool) == Some(true) {
                content = format!("[error] {content}").trim_end().to_string();
            }
            results.push(Message {
                role: Role::Tool,
                content,
                tool_calls: Vec::new(),
                stopped: false,
            });
        }
        // Reasoning is not part of what the person saw; it is not kept.
        "thinking" | "redacted_thinking" => {}
        "image" => text.push("[image]".into()),
        "document" => text.push("[document]".into()),
        // Unknown or future block types: keep their text if they have any.
        _ => {
            if let Some(t) = obj.get("text").and_then(Value::as_str) {
                text.push(t.to_string());
            }
        }
    }
    Ok(())
}

/// The text of a string or a list of blocks (system prompts, tool results); never fails.
pub(super) fn plain_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(blocks) => join(
            blocks
                .iter()
                .filter_map(|b| match b {
                    Value::String(s) => Some(s.clone()),
                    Value::Object(o) => match o.get("type").and_then(Value::as_str) {
                        Some("image") => Some("[image]".into()),
                        Some("document") => Some("[document]".into()),
                        _ => o.get("text").and_then(Value::as_str).map(str::to_string),
                    },
                    _ => None,
                })
                .collect(),
        ),
        _ => String::new(),
    }
}

/// Text parts joined by a blank line, as they read in a chat window.
pub(super) fn join(parts: Vec<String>) -> String {
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{convert, detect, Format};
    use super::*;

    const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/anthropic.json");

    fn fixture() -> String {
        std::fs::read_to_string(FIXTURE).unwrap()
    }

    #[test]
    fn fixture_is_detected_as_anthropic() {
        assert_eq!(
            detect(&fixture(), Some(Path::new(FIXTURE))),
            Ok(Format::Anthropic)
        );
    }

    #[test]
    fn fixture_converts_tool_round_trip() {
        let p = convert(Format::Anthropic, &fixture(), Some(Path::new(FIXTURE)));
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records.len(), 1);
        let (line, r) = &p.records[0];
        assert_eq!(*line, 1);
        assert_eq!(r.id, "anthropic", "no id in the file: the file stem");
        assert_eq!(r.agent, "");
        r.check().unwrap();
        let roles: Vec<_> = r.messages.iter().map(|m| m.role).collect();
        use Role::*;
        assert_eq!(roles, [User, Assistant, Tool, Assistant, User, Assistant]);
        let call = &r.messages[1].tool_calls[0];
        assert_eq!(call.name, "get_brand_guide");
        assert_eq!(call.input["client"], "Harbour Tea");
        // The thinking block is dropped; the text before the call is kept.
        assert_eq!(
            r.messages[1].content,
            "Let me check the Harbour Tea brand guide first."
        );
        assert!(r.messages[2].content.contains("No exclamation marks"));
        assert!(r.messages[5].content.starts_with("Steeped slowly."));
        // No time in the file: the file's modification time.
        let mtime = std::fs::metadata(FIXTURE).unwrap().modified().unwrap();
        assert_eq!(r.started_at, chrono::DateTime::<chrono::Utc>::from(mtime));
    }

    #[test]
    fn without_a_path_time_is_the_epoch_and_id_a_stable_hash() {
        let a = convert(Format::Anthropic, &fixture(), None);
        let b = convert(Format::Anthropic, &fixture(), None);
        let r = &a.records[0].1;
        assert_eq!(r.started_at, chrono::DateTime::UNIX_EPOCH);
        assert!(r.id.starts_with("session-"));
        assert_eq!(r.id, b.records[0].1.id);
    }

    #[test]
    fn session_objects_with_system_id_and_time() {
        let text = r#"[
  {"id": "t-1", "created_at": "2026-11-03T08:00:00Z", "system": "You draft posts.",
   "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": [{"type": "text", "text": "Hello"}]}]},
  {"messages": [{"role": "user", "content": "Again"}]},
  {"messages": [{"role": "robot", "content": "?"}]}
]"#;
        assert_eq!(
            detect(text, None),
            Ok(Format::Anthropic),
            "`system` beside messages is Anthropic's"
        );
        let p = convert(Format::Anthropic, text, Some(Path::new("/tmp/export.json")));
        assert_eq!(p.records.len(), 2);
        let (line, r) = &p.records[0];
        assert_eq!((*line, r.id.as_str()), (2, "t-1"));
        assert_eq!(r.started_at.to_rfc3339(), "2026-11-03T08:00:00+00:00");
        assert_eq!(r.messages[0].role, Role::System);
        assert_eq!(r.messages[0].content, "You draft posts.");
        assert_eq!(p.records[1].1.id, "export-2");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].line, 5);
        assert!(
            p.errors[0].message.contains("session 3"),
            "{}",
            p.errors[0].message
        );
        assert!(
            p.errors[0].message.contains("messages[0].role"),
            "{}",
            p.errors[0].message
        );
    }

    #[test]
    fn mixed_user_message_and_error_results() {
        let text = r#"[{"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "a", "content": [{"type": "text", "text": "not found"}], "is_error": true},
            {"type": "tool_result", "tool_use_id": "b", "content": "ok"},
            {"type": "text", "text": "Try the other file."},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}}]}]"#;
        let r = &convert(Format::Anthropic, text, None).records[0].1;
        assert_eq!(r.messages.len(), 3);
        assert_eq!(r.messages[0].content, "[error] not found");
        assert_eq!(r.messages[1].content, "ok");
        assert_eq!(
            (r.messages[2].role, r.messages[2].content.as_str()),
            (Role::User, "Try the other file.\n\n[image]")
        );
    }

    #[test]
    fn wrong_shapes_are_errors_not_panics() {
        for text in [
            "",
            "null",
            "42",
            "\"hi\"",
            "[]",
            "[1, 2]",
            "{}",
            "{\"messages\": 3}",
            "[{\"role\": 1}]",
            "[{\"role\": \"user\", \"content\": 5}]",
            "[{\"role\": \"assistant\", \"content\": [7]}]",
            "[{\"role\": \"assistant\", \"content\": [{\"type\": \"tool_use\"}]}]",
            "{\"messages\": [[[]]]}",
            "[[",
            "{\"a\":",
        ] {
            let p = convert(Format::Anthropic, text, None);
            assert!(p.records.is_empty(), "{text}");
            assert!(!p.errors.is_empty(), "{text}");
            assert!(p
                .errors
                .iter()
                .all(|e| e.line >= 1 && !e.message.is_empty()));
        }
    }
}
