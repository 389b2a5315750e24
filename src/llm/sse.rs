//! Server-sent events, and the Anthropic Messages stream built from them: `message_start`,
//! `content_block_start` / `_delta` (`text_delta`, `input_json_delta`) / `_stop`,
//! `message_delta` (stop reason, output tokens), `message_stop`, `ping` and `error`. Unknown
//! events are skipped, as the API asks.

use serde_json::Value;

use super::http::Failure;
use super::{Reply, Usage};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

/// Splits bytes, in chunks of any size, into events.
#[derive(Debug, Default)]
pub struct SseParser {
    buf: Vec<u8>,
    current: SseEvent,
    has_data: bool,
}

impl SseParser {
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buf.extend_from_slice(chunk);
        let mut out = Vec::new();
        while let Some(nl) = self.buf.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.buf.drain(..=nl).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line);
            if line.is_empty() {
                if self.has_data || !self.current.event.is_empty() {
                    out.push(std::mem::take(&mut self.current));
                }
                self.has_data = false;
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = match line.split_once(':') {
                Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                None => (line.as_ref(), ""),
            };
            match field {
                "event" => self.current.event = value.to_string(),
                "data" => {
                    if self.has_data {
                        self.current.data.push('\n');
                    }
                    self.current.data.push_str(value);
                    self.has_data = true;
                }
                _ => {}
            }
        }
        out
    }
}

#[derive(Debug)]
enum Block {
    Text(String),
    Tool {
        id: String,
        name: String,
        json: String,
        input: Value,
    },
    Other,
}

/// A finished block of a streamed answer, for callers that keep every tool call (an agent's
/// turn) rather than the one forced tool's input (a dream).
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Tool {
        id: String,
        name: String,
        input: Value,
    },
}

/// A Messages stream being put back together.
#[derive(Debug, Default)]
pub struct MessageStream {
    blocks: Vec<Block>,
    usage: Usage,
    model: String,
    stop_reason: Option<String>,
    done: bool,
    /// Characters received so far, for progress.
    pub received: usize,
    /// Text that arrived since the caller last took it.
    pub fresh_text: String,
}

fn tokens(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

fn read_usage(u: &Value, into: &mut Usage) {
    if let Some(n) = tokens(u, "input_tokens") {
        into.input_tokens = n;
    }
    if let Some(n) = tokens(u, "cache_creation_input_tokens") {
        into.cache_creation_input_tokens = n;
    }
    if let Some(n) = tokens(u, "cache_read_input_tokens") {
        into.cache_read_input_tokens = n;
    }
    if let Some(n) = tokens(u, "output_tokens") {
        into.output_tokens = n;
    }
}

/// The HTTP status an error type stands for, so a mid-stream error is retried like the same
/// error before the stream.
pub fn status_of(kind: &str) -> u16 {
    match kind {
        "overloaded_error" => 529,
        "rate_limit_error" => 429,
        "api_error" => 500,
        "timeout_error" => 504,
        "authentication_error" => 401,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        _ => 400,
    }
}

impl MessageStream {
    pub fn apply(&mut self, ev: &SseEvent) -> Result<(), Failure> {
        let kind = ev.event.as_str();
        if kind == "ping" || ev.data.is_empty() {
            return Ok(());
        }
        let v: Value = serde_json::from_str(&ev.data)
            .map_err(|e| Failure::BadResponse(format!("a {kind} event is not JSON ({e})")))?;
        let index = v["index"].as_u64().unwrap_or(0) as usize;
        match kind {
            "message_start" => {
                let m = &v["message"];
                self.model = m["model"].as_str().unwrap_or_default().to_string();
                read_usage(&m["usage"], &mut self.usage);
            }
            "content_block_start" => {
                let b = &v["content_block"];
                let block = match b["type"].as_str() {
                    Some("text") => Block::Text(b["text"].as_str().unwrap_or("").to_string()),
                    Some("tool_use") => Block::Tool {
                        id: b["id"].as_str().unwrap_or_default().to_string(),
                        name: b["name"].as_str().unwrap_or_default().to_string(),
                        json: String::new(),
                        input: b["input"].clone(),
                    },
                    _ => Block::Other,
                };
                while self.blocks.len() < index {
                    self.blocks.push(Block::Other);
                }
                if index < self.blocks.len() {
                    self.blocks[index] = block;
                } else {
                    self.blocks.push(block);
                }
            }
            "content_block_delta" => {
                let d = &v["delta"];
                match (self.blocks.get_mut(index), d["type"].as_str()) {
                    (Some(Block::Text(t)), Some("text_delta")) => {
                        let s = d["text"].as_str().unwrap_or("");
                        self.received += s.len();
                        t.push_str(s);
                        self.fresh_text.push_str(s);
                    }
                    (Some(Block::Tool { json, .. }), Some("input_json_delta")) => {
                        let s = d["partial_json"].as_str().unwrap_or("");
                        self.received += s.len();
                        json.push_str(s);
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                if let Some(Block::Tool { json, input, .. }) = self.blocks.get_mut(index) {
                    if !json.trim().is_empty() {
                        *input = serde_json::from_str(json).map_err(|e| {
                            Failure::BadResponse(format!("the structured answer is not JSON ({e})"))
                        })?;
                    }
                }
            }
            "message_delta" => {
                if let Some(r) = v["delta"]["stop_reason"].as_str() {
                    self.stop_reason = Some(r.to_string());
                }
                read_usage(&v["usage"], &mut self.usage);
            }
            "message_stop" => self.done = true,
            "error" => {
                let e = &v["error"];
                let t = e["type"].as_str().unwrap_or("api_error");
                let status = status_of(t);
                if status == 401 || status == 403 {
                    return Err(Failure::KeyRefused);
                }
                return Err(Failure::Status {
                    status,
                    kind: t.to_string(),
                    message: e["message"].as_str().unwrap_or("").to_string(),
                    retry_after: None,
                    should_retry: None,
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn complete(&self) -> Result<(), Failure> {
        if self.done {
            Ok(())
        } else {
            Err(Failure::Network(
                "the stream ended before the answer was complete".into(),
            ))
        }
    }

    /// Every block of the answer in order, and what it used.
    pub fn finish_parts(self) -> Result<(Vec<Part>, Usage), Failure> {
        self.complete()?;
        let parts = self
            .blocks
            .into_iter()
            .filter_map(|b| match b {
                Block::Text(t) => Some(Part::Text(t)),
                Block::Tool {
                    id, name, input, ..
                } => Some(Part::Tool { id, name, input }),
                Block::Other => None,
            })
            .collect();
        Ok((parts, self.usage))
    }

    pub fn finish(self) -> Result<Reply, Failure> {
        self.complete()?;
        let mut reply = Reply {
            usage: self.usage,
            model: self.model,
            stop_reason: self.stop_reason,
            ..Reply::default()
        };
        for b in self.blocks {
            match b {
                Block::Text(t) => reply.text.push_str(&t),
                Block::Tool { input, .. } => reply.output = input,
                Block::Other => {}
            }
        }
        Ok(reply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_any_chunking() {
        let text = "event: ping\ndata: {\"type\": \"ping\"}\n\n: comment\r\nevent: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n";
        for size in [1, 3, 7, text.len()] {
            let mut p = SseParser::default();
            let mut evs = Vec::new();
            for c in text.as_bytes().chunks(size) {
                evs.extend(p.push(c));
            }
            assert_eq!(evs.len(), 2, "chunk size {size}");
            assert_eq!(evs[1].event, "message_stop");
            assert_eq!(evs[1].data, "{\"type\":\"message_stop\"}");
        }
    }
}
