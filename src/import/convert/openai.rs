//! OpenAI chat transcripts: `messages` with roles system / developer / user / assistant / tool,
//! string or part-list content, and `tool_calls` whose `arguments` are JSON text. The same
//! shape is used by chat-completion logs and fine-tuning JSON Lines.

use serde_json::{Map, Value};

use super::anthropic::join;
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
        let role = role(obj, &at)?;
        let mut content = content(obj.get("content").unwrap_or(&Value::Null), &at)?;
        if content.is_empty() {
            // A refused answer carries its text in `refusal` instead of `content`.
            if let Some(r) = obj.get("refusal").and_then(Value::as_str) {
                content = r.to_string();
            }
        }
        let mut calls = Vec::new();
        match obj.get("tool_calls") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                for (j, c) in list.iter().enumerate() {
                    calls.push(tool_call(c, &format!("{at}.tool_calls[{j}]"))?);
                }
            }
            Some(other) => {
                return Err(format!(
                    "field `{at}.tool_calls` is {}; it must be a list of calls",
                    kind(other)
                ))
            }
        }
        // The pre-2024 single `function_call` has the same shape as a call's `function`.
        if let Some(f) = obj.get("function_call").filter(|f| f.is_object()) {
            calls.push(function(f, &format!("{at}.function_call"))?);
        }
        // Tool results are kept even when empty: "no output" is an answer too.
        if role == Role::Tool || !content.is_empty() || !calls.is_empty() {
            out.push(Message {
                role,
                content,
                tool_calls: calls,
                stopped: false,
            });
        }
    }
    Ok(out)
}

fn role(obj: &Map<String, Value>, at: &str) -> Result<Role, String> {
    const HOW: &str = "use system, user, assistant or tool";
    match obj.get("role") {
        Some(Value::String(r)) => match r.as_str() {
            "developer" => Ok(Role::System),
            "function" => Ok(Role::Tool),
            other => other
                .parse::<Role>()
                .ok()
                .ok_or_else(|| format!("field `{at}.role` is {other:?}; {HOW}")),
        },
        Some(other) => Err(format!("field `{at}.role` is {}; {HOW}", kind(other))),
        None => Err(format!("field `{at}.role` is missing; {HOW}")),
    }
}

/// `content` as text: a string, null (an assistant turn that only calls tools), or parts.
fn content(v: &Value, at: &str) -> Result<String, String> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        Value::Array(parts) => {
            let mut text = Vec::new();
            for (j, p) in parts.iter().enumerate() {
                match p {
                    Value::String(s) => text.push(s.clone()),
                    Value::Object(o) => match o.get("type").and_then(Value::as_str).unwrap_or("") {
                        "refusal" => text
                            .extend(o.get("refusal").and_then(Value::as_str).map(str::to_string)),
                        "image_url" | "input_image" => text.push("[image]".into()),
                        "input_audio" => text.push("[audio]".into()),
                        "file" | "input_file" => text.push("[file]".into()),
                        _ => text.extend(o.get("text").and_then(Value::as_str).map(str::to_string)),
                    },
                    other => {
                        return Err(format!(
                            "`{at}.content[{j}]` is {}; a content part is an object such as \
                             {{\"type\": \"text\", \"text\": \"...\"}}",
                            kind(other)
                        ))
                    }
                }
            }
            Ok(join(text))
        }
        other => Err(format!(
            "field `{at}.content` is {}; it must be a string, null or a list of content parts",
            kind(other)
        )),
    }
}

fn tool_call(c: &Value, at: &str) -> Result<ToolCall, String> {
    let obj = c.as_object().ok_or_else(|| {
        format!(
            "`{at}` is {}; a tool call is {{\"type\": \"function\", \"function\": {{\"name\": ..., \"arguments\": ...}}}}",
            kind(c)
        )
    })?;
    // Custom tools (`"type": "custom"`) take free text input instead of JSON arguments.
    if let Some(custom) = obj.get("custom").and_then(Value::as_object) {
        if let Some(name) = custom.get("name").and_then(Value::as_str) {
            let input = custom.get("input").cloned().unwrap_or(Value::Null);
            return Ok(ToolCall {
                name: name.to_string(),
                input,
            });
        }
    }
    match obj.get("function") {
        Some(f) => function(f, &format!("{at}.function")),
        None => Err(format!(
            "field `{at}.function` is missing; add {{\"name\": ..., \"arguments\": ...}}"
        )),
    }
}

fn function(f: &Value, at: &str) -> Result<ToolCall, String> {
    let name = f
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            format!("field `{at}.name` is missing; a tool call names the function it calls")
        })?;
    // `arguments` is JSON text; keep it as a string when a model wrote invalid JSON.
    let input = match f.get("arguments") {
        Some(Value::String(s)) => {
            serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone()))
        }
        Some(v) => v.clone(),
        None => Value::Object(Map::new()),
    };
    Ok(ToolCall {
        name: name.to_string(),
        input,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{convert, detect, Format};
    use super::*;

    const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/openai.json");

    fn fixture() -> String {
        std::fs::read_to_string(FIXTURE).unwrap()
    }

    #[test]
    fn fixture_is_detected_as_openai() {
        assert_eq!(
            detect(&fixture(), Some(Path::new(FIXTURE))),
            Ok(Format::Openai)
        );
    }

    #[test]
    fn fixture_converts_tool_calls_and_replies() {
        let p = convert(Format::Openai, &fixture(), Some(Path::new(FIXTURE)));
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let (line, r) = &p.records[0];
        assert_eq!((*line, r.id.as_str()), (1, "chatcmpl-fernwood-2026-11-05"));
        assert_eq!(
            r.started_at.to_rfc3339(),
            "2026-11-05T10:15:00+00:00",
            "from `created` (unix seconds)"
        );
        r.check().unwrap();
        use Role::*;
        let roles: Vec<_> = r.messages.iter().map(|m| m.role).collect();
        assert_eq!(
            roles,
            [System, User, Assistant, Tool, Assistant, User, Assistant]
        );
        let call = &r.messages[2].tool_calls[0];
        assert_eq!(call.name, "lookup_product");
        assert_eq!(
            call.input["sku"], "FW-GRAVEL-22",
            "arguments parsed from JSON text"
        );
        assert_eq!(r.messages[2].content, "", "a call-only turn has no text");
        assert!(r.messages[3].content.contains("Ridgeline 22"));
        assert!(r.messages[6].content.ends_with("#RideFernwood"));
    }

    #[test]
    fn fine_tuning_jsonl_with_a_bad_line() {
        let text = concat!(
            r#"{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}"#,
            "\n\n",
            r#"{"messages": [{"role": "user", "content": "Hi"}, "#,
            "\n",
            r#"{"messages": [{"role": "user", "content": [{"type": "text", "text": "Look"}, {"type": "image_url", "image_url": {"url": "x"}}]}, "#,
            r#"{"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "zoom", "arguments": "{not json"}}]}, "#,
            r#"{"role": "tool", "tool_call_id": "c1", "content": ""}]}"#,
        );
        assert_eq!(detect(text, None), Ok(Format::Openai));
        let p = convert(Format::Openai, text, Some(Path::new("train.jsonl")));
        // The bad line keeps its number, so fixing it later does not rename the session after it.
        assert_eq!(
            p.records
                .iter()
                .map(|(l, r)| (*l, r.id.as_str()))
                .collect::<Vec<_>>(),
            [(1, "train-1"), (4, "train-3")]
        );
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].line, 3);
        assert!(
            p.errors[0].message.contains("invalid JSON"),
            "{}",
            p.errors[0].message
        );
        let r = &p.records[1].1;
        assert_eq!(r.messages[0].content, "Look\n\n[image]");
        assert_eq!(
            r.messages[1].tool_calls[0].input,
            Value::String("{not json".into())
        );
        assert_eq!(
            (r.messages[2].role, r.messages[2].content.as_str()),
            (Role::Tool, "")
        );
    }

    #[test]
    fn wrong_shapes_are_errors_not_panics() {
        for text in [
            "",
            "   \n ",
            "null",
            "true",
            "-1e999",
            "[{}]",
            "{\"messages\": {}}",
            "{\"messages\": [null]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": {}}]}",
            "{\"created\": \"soon\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}",
            "{\"messages\": [{\"role\": \"assistant\", \"tool_calls\": [{\"function\": {}}]}]}",
            "{\"messages\": [{\"role\": \"assistant\", \"tool_calls\": 1}]}",
            "{\"created\": 1e300, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}",
        ] {
            let p = convert(Format::Openai, text, None);
            assert!(p.records.is_empty(), "{text}");
            assert!(!p.errors.is_empty(), "{text}");
        }
    }
}
