//! OpenAI-compatible chat completions (OpenAI, Ollama, llama.cpp server, vLLM, LM Studio).
//! Like the official SDK, the base URL includes the version (`https://api.openai.com/v1`,
//! `http://localhost:11434/v1`) and requests go to `{base}/chat/completions`. Structured
//! output uses `response_format: {type: "json_schema", …, strict: true}`.

use std::sync::atomic::AtomicBool;

use std::time::Duration;

use serde_json::{json, Value};

use super::http::{Failure, Transport};
use super::sse::SseParser;
use super::{Heard, OnProgress, Prompt, Provider, Reply, Usage};
use crate::secret::Secret;

pub struct OpenAi {
    base: String,
    key: Option<Secret>,
    t: Transport,
}

pub fn body(model: &str, p: &Prompt) -> Value {
    let system = if p.context.is_empty() {
        p.system.clone()
    } else {
        format!("{}\n\n{}", p.system, p.context)
    };
    let mut messages = Vec::new();
    if !system.trim().is_empty() {
        messages.push(json!({"role": "system", "content": system}));
    }
    if p.turns.is_empty() {
        messages.push(json!({"role": "user", "content": p.user}));
    } else {
        messages.extend(
            p.turns
                .iter()
                .map(|t| json!({"role": t.role.as_str(), "content": t.content})),
        );
    }
    let mut b = json!({
        "model": model,
        "messages": messages,
        "max_tokens": p.max_tokens,
    });
    if let Some(schema) = &p.schema {
        b["response_format"] = json!({
            "type": "json_schema",
            "json_schema": {"name": "memory_edits", "strict": true, "schema": schema},
        });
        b["temperature"] = json!(0);
    }
    b
}

/// The JSON inside a model's text, tolerating a Markdown fence around it (local models add one).
fn json_in(text: &str) -> Option<Value> {
    let t = text.trim();
    let t = t
        .strip_prefix("```json")
        .or_else(|| t.strip_prefix("```"))
        .map(|r| r.trim_end().trim_end_matches("```"))
        .unwrap_or(t);
    serde_json::from_str(t.trim()).ok()
}

pub fn parse_chat(v: &Value, structured: bool) -> Result<Reply, Failure> {
    let msg = &v["choices"][0]["message"];
    if msg.is_null() {
        return Err(Failure::BadResponse("the answer has no choices".into()));
    }
    if let Some(r) = msg["refusal"].as_str() {
        return Err(Failure::BadResponse(format!("the model refused: {r}")));
    }
    let text = msg["content"].as_str().unwrap_or("").to_string();
    let u = &v["usage"];
    let cached = u["prompt_tokens_details"]["cached_tokens"]
        .as_u64()
        .unwrap_or(0);
    let prompt = u["prompt_tokens"].as_u64().unwrap_or(0);
    let output = if structured {
        json_in(&text)
            .ok_or_else(|| Failure::BadResponse("the structured answer is not JSON".into()))?
    } else {
        Value::Null
    };
    Ok(Reply {
        output,
        text,
        usage: Usage {
            input_tokens: prompt.saturating_sub(cached),
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: cached,
            output_tokens: u["completion_tokens"].as_u64().unwrap_or(0),
        },
        model: v["model"].as_str().unwrap_or_default().to_string(),
        stop_reason: v["choices"][0]["finish_reason"]
            .as_str()
            .map(str::to_string),
    })
}

/// A streamed chat completion being put back together from its `data:` chunks: text in
/// `choices[0].delta.content`, tool calls in `delta.tool_calls` (each piece names its `index`;
/// the first carries the id and name, the rest more of the `arguments` JSON), the finish
/// reason, a usage chunk (`stream_options.include_usage`), then `[DONE]`.
#[derive(Debug, Default)]
pub struct ChatStream {
    reply: Reply,
    /// By index.
    calls: Vec<StreamedCall>,
    /// `[DONE]` arrived.
    pub done: bool,
}

/// More tool calls than any turn makes: a stream that numbers past them is broken.
const MAX_TOOL_CALLS: usize = 64;

/// A tool call of a streamed chat completion, its `arguments` JSON as the model wrote it.
#[derive(Debug, Clone, Default)]
pub struct StreamedCall {
    pub id: String,
    pub name: String,
    pub arguments: String,
}

impl ChatStream {
    /// Take one chunk's `data`; answers the text it added.
    pub fn apply(&mut self, data: &str) -> Result<String, Failure> {
        if data.trim() == "[DONE]" {
            self.done = true;
            return Ok(String::new());
        }
        let v: Value = serde_json::from_str(data)
            .map_err(|e| Failure::BadResponse(format!("a streamed chunk is not JSON ({e})")))?;
        if v.get("error").is_some() {
            let (kind, message) = super::http::error_body(data);
            let status = v["error"]["code"].as_u64().unwrap_or(500) as u16;
            return Err(Failure::Status {
                status,
                kind,
                message,
                retry_after: None,
                should_retry: None,
            });
        }
        if let Some(m) = v["model"].as_str() {
            self.reply.model = m.to_string();
        }
        let choice = &v["choices"][0];
        let mut fresh = String::new();
        // The first chunk of many servers carries the role and an empty text.
        if let Some(s) = choice["delta"]["content"].as_str() {
            self.reply.text.push_str(s);
            fresh.push_str(s);
        }
        for c in choice["delta"]["tool_calls"]
            .as_array()
            .into_iter()
            .flatten()
        {
            // A piece names its call by `index`; a server that leaves it out continues the
            // last call unless the piece opens a new one with an id. An index far beyond the
            // calls so far is a broken stream, not a reason to grow without end.
            let i = match c["index"].as_u64() {
                Some(i) => i as usize,
                None if c["id"].is_string() || self.calls.is_empty() => self.calls.len(),
                None => self.calls.len() - 1,
            };
            if i > self.calls.len() + MAX_TOOL_CALLS {
                return Err(Failure::BadResponse(format!(
                    "a streamed tool call has index {i}"
                )));
            }
            while self.calls.len() <= i {
                self.calls.push(Default::default());
            }
            let call = &mut self.calls[i];
            if let Some(id) = c["id"].as_str() {
                call.id = id.to_string();
            }
            // Set, not appended: some servers repeat the name in every piece.
            if let Some(n) = c["function"]["name"].as_str().filter(|n| !n.is_empty()) {
                call.name = n.to_string();
            }
            if let Some(a) = c["function"]["arguments"].as_str() {
                call.arguments.push_str(a);
            }
        }
        if let Some(r) = choice["finish_reason"].as_str() {
            self.reply.stop_reason = Some(r.to_string());
        }
        let u = &v["usage"];
        if u.is_object() {
            let cached = u["prompt_tokens_details"]["cached_tokens"]
                .as_u64()
                .unwrap_or(0);
            self.reply.usage = Usage {
                input_tokens: u["prompt_tokens"]
                    .as_u64()
                    .unwrap_or(0)
                    .saturating_sub(cached),
                cache_creation_input_tokens: 0,
                cache_read_input_tokens: cached,
                output_tokens: u["completion_tokens"].as_u64().unwrap_or(0),
            };
        }
        Ok(fresh)
    }

    /// The answer, and its tool calls (a call that never said its name is dropped).
    pub fn finish(self) -> Result<(Reply, Vec<StreamedCall>), Failure> {
        if !self.done && self.reply.stop_reason.is_none() {
            return Err(Failure::Network(
                "the stream ended before the answer was complete".into(),
            ));
        }
        let calls = self
            .calls
            .into_iter()
            .filter(|c| !c.name.is_empty())
            .collect();
        Ok((self.reply, calls))
    }
}

impl OpenAi {
    pub fn new(p: &Provider) -> Result<Self, Failure> {
        Ok(OpenAi {
            base: p.base_url.trim_end_matches('/').to_string(),
            key: p.key.clone(),
            t: Transport::new(p.retry.clone(), p.key.clone())?,
        })
    }

    pub async fn create(&self, body: &Value, cancel: &AtomicBool) -> Result<Reply, Failure> {
        let structured = body.get("response_format").is_some();
        let url = format!("{}/chat/completions", self.base);
        self.t
            .retry(cancel, || async {
                let mut r = self
                    .t
                    .client()
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.to_string());
                if let Some(k) = &self.key {
                    r = r.bearer_auth(k.expose());
                }
                let resp = self.t.send(r).await?;
                let text = resp.text().await.map_err(|e| self.t.reqwest_failure(e))?;
                let v: Value = serde_json::from_str(&text)
                    .map_err(|e| Failure::BadResponse(format!("not JSON ({e})")))?;
                parse_chat(&v, structured)
            })
            .await
    }
}

impl OpenAi {
    /// Streamed (`stream: true`): server-sent `chat.completion.chunk`s, each with a piece of
    /// the answer in `choices[0].delta.content`, then `data: [DONE]`. `progress` hears the text
    /// as it comes.
    pub async fn stream(
        &self,
        body: &Value,
        cancel: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<Reply, Failure> {
        let mut body = body.clone();
        body["stream"] = json!(true);
        body["stream_options"] = json!({"include_usage": true});
        let url = format!("{}/chat/completions", self.base);
        let idle = self.t.policy.request_timeout.min(Duration::from_secs(120));
        let progress = std::sync::Mutex::new(progress);
        let attempts = std::sync::atomic::AtomicU32::new(0);
        self.t
            .retry(cancel, || async {
                if attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed) > 0 {
                    if let Ok(mut p) = progress.lock() {
                        p(Heard::TextReset);
                    }
                }
                let mut r = self
                    .t
                    .client()
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.to_string());
                if let Some(k) = &self.key {
                    r = r.bearer_auth(k.expose());
                }
                let mut resp = self.t.send(r).await?;
                // Some compatible servers ignore `stream` and answer in one piece: take it.
                if super::http::answered_whole(&resp) {
                    let text = resp.text().await.map_err(|e| self.t.reqwest_failure(e))?;
                    let v: Value = serde_json::from_str(&text)
                        .map_err(|e| Failure::BadResponse(format!("not JSON ({e})")))?;
                    let reply = parse_chat(&v, body.get("response_format").is_some())?;
                    if !reply.text.is_empty() {
                        if let Ok(mut p) = progress.lock() {
                            p(Heard::Text(reply.text.clone()));
                        }
                    }
                    return Ok(reply);
                }
                let mut parser = SseParser::default();
                let mut chat = ChatStream::default();
                while !chat.done {
                    let chunk = tokio::time::timeout(idle, resp.chunk())
                        .await
                        .map_err(|_| Failure::Timeout)?
                        .map_err(|e| self.t.reqwest_failure(e))?;
                    let Some(chunk) = chunk else { break };
                    for ev in parser.push(&chunk) {
                        let fresh = chat.apply(&ev.data)?;
                        if chat.done {
                            break;
                        }
                        if !fresh.is_empty() {
                            if let Ok(mut p) = progress.lock() {
                                p(Heard::Text(fresh));
                            }
                        }
                    }
                }
                let (mut reply, _) = chat.finish()?;
                if body.get("response_format").is_some() {
                    reply.output = json_in(&reply.text).ok_or_else(|| {
                        Failure::BadResponse("the structured answer is not JSON".into())
                    })?;
                }
                Ok(reply)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_tool_calls_survive_loose_servers() {
        let chunk = |calls: Value| {
            json!({"choices": [{"index": 0, "delta": {"tool_calls": calls}, "finish_reason": null}]})
                .to_string()
        };
        let mut c = ChatStream::default();
        // No index: the first piece opens a call, the next ones continue it; the name repeats.
        c.apply(&chunk(
            json!([{"id": "a", "function": {"name": "read_file", "arguments": "{\"pa"}}]),
        ))
        .unwrap();
        c.apply(&chunk(
            json!([{"function": {"name": "read_file", "arguments": "th\": \"x\"}"}}]),
        ))
        .unwrap();
        // A second call with an id of its own, and a nameless fragment that is dropped.
        c.apply(&chunk(
            json!([{"id": "b", "function": {"name": "list_files", "arguments": "{}"}}]),
        ))
        .unwrap();
        c.apply(&chunk(
            json!([{"index": 2, "function": {"arguments": "{}"}}]),
        ))
        .unwrap();
        assert!(c
            .apply(&chunk(json!([{"index": 100000000, "id": "z"}])))
            .is_err());
        c.apply("[DONE]").unwrap();
        let (_, calls) = c.finish().unwrap();
        let got: Vec<(&str, &str, &str)> = calls
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str(), c.arguments.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "read_file", "{\"path\": \"x\"}"),
                ("b", "list_files", "{}")
            ]
        );
    }

    #[test]
    fn fenced_json_from_local_models_is_read() {
        assert_eq!(json_in("```json\n{\"a\":1}\n```"), Some(json!({"a": 1})));
        assert_eq!(json_in("{\"a\":1}"), Some(json!({"a": 1})));
        assert_eq!(json_in("sure!"), None);
    }
}
