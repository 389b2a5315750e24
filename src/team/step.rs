//! One turn of an agent with tools: the conversation so far and the tool definitions go to the
//! provider's tool-use API (Anthropic `tools` with `tool_use` / `tool_result` blocks, or
//! OpenAI-compatible `tools` with `tool_calls` and `role: tool` messages); the answer comes back
//! as text and tool calls, streamed so a person watches each member write. Through the curator's
//! transport: the same retries and key scrubbing.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use serde_json::{json, Value};

use crate::llm::http::{Failure, Transport};
use crate::llm::openai::ChatStream;
use crate::llm::sse::{MessageStream, Part, SseParser};
use crate::llm::{Heard, Provider, ProviderKind, Usage};

/// A piece of a turn.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Text(String),
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
    ToolResult {
        id: String,
        content: String,
        is_error: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// `true` for the agent's turns, `false` for the task and tool results.
    pub assistant: bool,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct ToolDef {
    pub name: &'static str,
    pub description: &'static str,
    pub schema: Value,
}

#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub blocks: Vec<Block>,
    pub usage: Usage,
}

impl Answer {
    pub fn text(&self) -> String {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    pub fn tool_uses(&self) -> Vec<(String, String, Value)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::ToolUse { id, name, input } => {
                    Some((id.clone(), name.clone(), input.clone()))
                }
                _ => None,
            })
            .collect()
    }
}

const MAX_TOKENS: u32 = 4096;

fn anthropic_body(model: &str, system: &str, turns: &[Turn], tools: &[ToolDef]) -> Value {
    let messages: Vec<Value> = turns
        .iter()
        .map(|t| {
            let content: Vec<Value> = t
                .blocks
                .iter()
                .map(|b| match b {
                    Block::Text(text) => json!({"type": "text", "text": text}),
                    Block::ToolUse { id, name, input } => {
                        json!({"type": "tool_use", "id": id, "name": name, "input": input})
                    }
                    Block::ToolResult { id, content, is_error } => json!({
                        "type": "tool_result", "tool_use_id": id, "content": content, "is_error": is_error,
                    }),
                })
                .collect();
            json!({"role": if t.assistant { "assistant" } else { "user" }, "content": content})
        })
        .collect();
    let mut body = json!({"model": model, "max_tokens": MAX_TOKENS, "messages": messages});
    if !system.trim().is_empty() {
        body["system"] = json!(system);
    }
    if !tools.is_empty() {
        body["tools"] = json!(tools
            .iter()
            .map(
                |t| json!({"name": t.name, "description": t.description, "input_schema": t.schema})
            )
            .collect::<Vec<_>>());
    }
    body
}

fn openai_body(model: &str, system: &str, turns: &[Turn], tools: &[ToolDef]) -> Value {
    let mut messages = Vec::new();
    if !system.trim().is_empty() {
        messages.push(json!({"role": "system", "content": system}));
    }
    for t in turns {
        if t.assistant {
            let text: Vec<&str> = t
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Text(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            let calls: Vec<Value> = t
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::ToolUse { id, name, input } => Some(json!({
                        "id": id, "type": "function",
                        "function": {"name": name, "arguments": input.to_string()},
                    })),
                    _ => None,
                })
                .collect();
            let mut m = json!({"role": "assistant", "content": text.join("\n\n")});
            if !calls.is_empty() {
                m["tool_calls"] = json!(calls);
            }
            messages.push(m);
        } else {
            let mut text = Vec::new();
            for b in &t.blocks {
                match b {
                    Block::Text(s) => text.push(s.clone()),
                    Block::ToolResult { id, content, is_error } => messages.push(json!({
                        "role": "tool", "tool_call_id": id,
                        "content": if *is_error { format!("Error: {content}") } else { content.clone() },
                    })),
                    Block::ToolUse { .. } => {}
                }
            }
            if !text.is_empty() {
                messages.push(json!({"role": "user", "content": text.join("\n\n")}));
            }
        }
    }
    let mut body = json!({"model": model, "max_tokens": MAX_TOKENS, "messages": messages});
    if !tools.is_empty() {
        body["tools"] = json!(tools
            .iter()
            .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.schema}}))
            .collect::<Vec<_>>());
    }
    body
}

fn parse_anthropic(v: &Value) -> Result<Answer, Failure> {
    let content = v["content"]
        .as_array()
        .ok_or_else(|| Failure::BadResponse("the message has no content".into()))?;
    let mut blocks = Vec::new();
    for b in content {
        match b["type"].as_str() {
            Some("text") => blocks.push(Block::Text(b["text"].as_str().unwrap_or("").to_string())),
            Some("tool_use") => blocks.push(Block::ToolUse {
                id: b["id"].as_str().unwrap_or_default().to_string(),
                name: b["name"].as_str().unwrap_or_default().to_string(),
                input: b["input"].clone(),
            }),
            _ => {}
        }
    }
    let u = &v["usage"];
    let n = |k: &str| u[k].as_u64().unwrap_or(0);
    Ok(Answer {
        blocks,
        usage: Usage {
            input_tokens: n("input_tokens"),
            cache_creation_input_tokens: n("cache_creation_input_tokens"),
            cache_read_input_tokens: n("cache_read_input_tokens"),
            output_tokens: n("output_tokens"),
        },
    })
}

fn parse_openai(v: &Value) -> Result<Answer, Failure> {
    let msg = &v["choices"][0]["message"];
    if msg.is_null() {
        return Err(Failure::BadResponse("the answer has no choices".into()));
    }
    let mut blocks = Vec::new();
    if let Some(t) = msg["content"].as_str().filter(|t| !t.is_empty()) {
        blocks.push(Block::Text(t.to_string()));
    }
    for c in msg["tool_calls"].as_array().into_iter().flatten() {
        let args = c["function"]["arguments"].as_str().unwrap_or("{}");
        blocks.push(Block::ToolUse {
            id: c["id"].as_str().unwrap_or_default().to_string(),
            name: c["function"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            input: tool_input(args),
        });
    }
    let u = &v["usage"];
    Ok(Answer {
        blocks,
        usage: Usage {
            input_tokens: u["prompt_tokens"].as_u64().unwrap_or(0),
            output_tokens: u["completion_tokens"].as_u64().unwrap_or(0),
            ..Usage::default()
        },
    })
}

/// One turn of `provider`'s model with `system`, the conversation and the tools, streamed:
/// `heard` gets the text as it is written (`Heard::Text`), and `Heard::TextReset` when a retry
/// starts the turn over.
pub async fn step(
    provider: &Provider,
    system: &str,
    turns: &[Turn],
    tools: &[ToolDef],
    cancel: &AtomicBool,
    heard: &(dyn Fn(Heard) + Sync),
) -> Result<Answer, Failure> {
    let t = Transport::new(provider.retry.clone(), provider.key.clone())?;
    let base = provider.base_url.trim_end_matches('/');
    let (url, mut body) = match provider.kind {
        ProviderKind::Anthropic => (
            format!("{base}/v1/messages"),
            anthropic_body(&provider.model, system, turns, tools),
        ),
        ProviderKind::Openai => (
            format!("{base}/chat/completions"),
            openai_body(&provider.model, system, turns, tools),
        ),
    };
    body["stream"] = json!(true);
    if provider.kind == ProviderKind::Openai {
        body["stream_options"] = json!({"include_usage": true});
    }
    let idle = t.policy.request_timeout.min(Duration::from_secs(120));
    let attempts = AtomicU32::new(0);
    t.retry(cancel, || async {
        if attempts.fetch_add(1, Ordering::Relaxed) > 0 {
            heard(Heard::TextReset);
        }
        let mut r = t
            .client()
            .post(&url)
            .header("content-type", "application/json")
            .body(body.to_string());
        match (provider.kind, &provider.key) {
            (ProviderKind::Anthropic, Some(k)) => {
                if let Ok(mut v) = reqwest::header::HeaderValue::from_str(k.expose()) {
                    v.set_sensitive(true);
                    r = r.header("x-api-key", v);
                }
                r = r.header("anthropic-version", crate::llm::anthropic::VERSION);
            }
            (ProviderKind::Anthropic, None) => {
                r = r.header("anthropic-version", crate::llm::anthropic::VERSION);
            }
            (ProviderKind::Openai, Some(k)) => r = r.bearer_auth(k.expose()),
            (ProviderKind::Openai, None) => {}
        }
        let mut resp = t.send(r).await?;
        // Some OpenAI-compatible servers (and proxies) ignore `stream`: take the one piece.
        if crate::llm::http::answered_whole(&resp) {
            let text = resp.text().await.map_err(|e| t.reqwest_failure(e))?;
            let v: Value = serde_json::from_str(&text)
                .map_err(|e| Failure::BadResponse(format!("not JSON ({e})")))?;
            let answer = match provider.kind {
                ProviderKind::Anthropic => parse_anthropic(&v),
                ProviderKind::Openai => parse_openai(&v),
            }?;
            let said = answer.text();
            if !said.is_empty() {
                heard(Heard::Text(said));
            }
            return Ok(answer);
        }
        let mut parser = SseParser::default();
        let mut anthropic = MessageStream::default();
        let mut openai = ChatStream::default();
        while !openai.done {
            let chunk = tokio::time::timeout(idle, resp.chunk())
                .await
                .map_err(|_| Failure::Timeout)?
                .map_err(|e| t.reqwest_failure(e))?;
            let Some(chunk) = chunk else { break };
            for ev in parser.push(&chunk) {
                let fresh = match provider.kind {
                    ProviderKind::Anthropic => {
                        anthropic.apply(&ev)?;
                        std::mem::take(&mut anthropic.fresh_text)
                    }
                    ProviderKind::Openai => openai.apply(&ev.data)?,
                };
                if !fresh.is_empty() {
                    heard(Heard::Text(fresh));
                }
                if openai.done {
                    break;
                }
            }
        }
        match provider.kind {
            ProviderKind::Anthropic => {
                let (parts, usage) = anthropic.finish_parts()?;
                let blocks = parts
                    .into_iter()
                    .map(|p| match p {
                        Part::Text(t) => Block::Text(t),
                        Part::Tool { id, name, input } => Block::ToolUse { id, name, input },
                    })
                    .collect();
                Ok(Answer { blocks, usage })
            }
            ProviderKind::Openai => {
                let (reply, calls) = openai.finish()?;
                let mut blocks = Vec::new();
                if !reply.text.is_empty() {
                    blocks.push(Block::Text(reply.text));
                }
                for c in calls {
                    blocks.push(Block::ToolUse {
                        id: c.id,
                        name: c.name,
                        input: tool_input(&c.arguments),
                    });
                }
                Ok(Answer {
                    blocks,
                    usage: reply.usage,
                })
            }
        }
    })
    .await
}

/// A tool call's arguments as the model wrote them: arguments that are not JSON (or empty, for
/// a tool without parameters) reach the tool as nothing.
fn tool_input(args: &str) -> Value {
    serde_json::from_str(args).unwrap_or(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_turns_take_each_providers_shape() {
        let turns = vec![
            Turn {
                assistant: false,
                blocks: vec![Block::Text("Write the post.".into())],
            },
            Turn {
                assistant: true,
                blocks: vec![Block::ToolUse {
                    id: "t1".into(),
                    name: "read_file".into(),
                    input: json!({"path": "a.md"}),
                }],
            },
            Turn {
                assistant: false,
                blocks: vec![Block::ToolResult {
                    id: "t1".into(),
                    content: "hello".into(),
                    is_error: false,
                }],
            },
        ];
        let a = anthropic_body("m", "sys", &turns, &[]);
        assert_eq!(a["messages"][1]["content"][0]["type"], "tool_use");
        assert_eq!(a["messages"][2]["content"][0]["tool_use_id"], "t1");
        let o = openai_body("m", "sys", &turns, &[]);
        assert_eq!(o["messages"][0]["role"], "system");
        assert_eq!(
            o["messages"][2]["tool_calls"][0]["function"]["arguments"],
            "{\"path\":\"a.md\"}"
        );
        assert_eq!(o["messages"][3]["role"], "tool");
        let parsed = parse_openai(&json!({"choices": [{"message": {"content": null, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "delegate", "arguments": "{\"agent\":\"drafter\"}"}}]}}]}))
        .unwrap();
        assert_eq!(parsed.tool_uses()[0].2["agent"], "drafter");
    }
}
