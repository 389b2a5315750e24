//! A small HTTP/1.1 server on loopback for the LLM tests. It answers in the documented shapes
//! of the Anthropic Messages API (messages, SSE streams, count_tokens, Message Batches) and of
//! OpenAI chat completions, and can inject faults. Every request is recorded.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Request {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// One answer: status, headers, and the body in chunks (sent with `pause` between them).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub chunks: Vec<Vec<u8>>,
    pub delay: Duration,
    pub pause: Duration,
}

impl Answer {
    pub fn json(status: u16, v: Value) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            chunks: vec![v.to_string().into_bytes()],
            delay: Duration::ZERO,
            pause: Duration::ZERO,
        }
    }
    pub fn error(status: u16, kind: &str, message: &str) -> Answer {
        Answer::json(
            status,
            json!({"type": "error", "error": {"type": kind, "message": message}}),
        )
    }
    pub fn header(mut self, k: &str, v: &str) -> Answer {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delayed(mut self, d: Duration) -> Answer {
        self.delay = d;
        self
    }
    pub fn text(status: u16, content_type: &str, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            chunks: vec![body.as_bytes().to_vec()],
            delay: Duration::ZERO,
            pause: Duration::ZERO,
        }
    }
    /// An SSE stream, cut into small chunks so the client must reassemble events.
    pub fn sse(events: &[(&str, Value)]) -> Answer {
        let mut text = String::new();
        for (name, data) in events {
            text.push_str(&format!("event: {name}\ndata: {data}\n\n"));
        }
        Answer {
            status: 200,
            headers: vec![("content-type".into(), "text/event-stream".into())],
            chunks: text.as_bytes().chunks(37).map(<[u8]>::to_vec).collect(),
            delay: Duration::ZERO,
            pause: Duration::from_millis(1),
        }
    }
}

type Handler = dyn Fn(&Request, usize) -> Answer + Send + Sync;

pub struct Server {
    pub addr: String,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Start answering with `handler(request, index of the request)`.
    pub fn start(handler: impl Fn(&Request, usize) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, st) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (h, r) = (handler.clone(), reqs.clone());
                std::thread::spawn(move || serve(conn, &*h, &r));
            }
        });
        Server {
            addr,
            requests,
            stop,
        }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.addr.trim_start_matches("http://"));
    }
}

fn serve(conn: TcpStream, handler: &Handler, requests: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let req = Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let index = {
        let mut r = requests.lock().unwrap();
        r.push(req.clone());
        r.len() - 1
    };
    let answer = handler(&req, index);
    std::thread::sleep(answer.delay);
    let mut out = conn;
    let mut head = format!("HTTP/1.1 {} X\r\nconnection: close\r\n", answer.status);
    for (k, v) in &answer.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if answer.chunks.len() == 1 {
        head.push_str(&format!("content-length: {}\r\n", answer.chunks[0].len()));
    }
    head.push_str("\r\n");
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    for c in &answer.chunks {
        if out.write_all(c).is_err() {
            return;
        }
        let _ = out.flush();
        std::thread::sleep(answer.pause);
    }
}

/// A Message whose content is a call of the forced tool with `input`.
pub fn message(input: Value, usage: Value) -> Value {
    json!({
        "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
        "content": [{"type": "tool_use", "id": "toolu_01", "name": "propose_memory_edits", "input": input}],
        "stop_reason": "tool_use", "stop_sequence": null, "usage": usage
    })
}

pub fn usage(input: u64, cache_write: u64, cache_read: u64, output: u64) -> Value {
    json!({"input_tokens": input, "cache_creation_input_tokens": cache_write,
           "cache_read_input_tokens": cache_read, "output_tokens": output})
}

/// The documented event sequence of a streamed tool call, the JSON split across deltas.
pub fn stream_events(input: &Value, usage_start: Value, output_tokens: u64) -> Answer {
    let json_text = input.to_string();
    let mid = json_text.len() / 2;
    let mut start = message(json!({}), usage_start);
    start["content"] = json!([]);
    start["stop_reason"] = Value::Null;
    Answer::sse(&[
        (
            "message_start",
            json!({"type": "message_start", "message": start}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 0,
            "content_block": {"type": "tool_use", "id": "toolu_01", "name": "propose_memory_edits", "input": {}}}),
        ),
        ("ping", json!({"type": "ping"})),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": &json_text[..mid]}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": &json_text[mid..]}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 0}),
        ),
        (
            "message_delta",
            json!({"type": "message_delta",
            "delta": {"stop_reason": "tool_use", "stop_sequence": null},
            "usage": {"output_tokens": output_tokens}}),
        ),
        ("message_stop", json!({"type": "message_stop"})),
    ])
}

/// A well-behaved Anthropic: count_tokens, messages (plain or streamed) answering with
/// `proposals`, and the batch lifecycle (in progress once, then ended).
pub fn anthropic(proposals: Value) -> impl Fn(&Request, usize) -> Answer + Send + Sync {
    let polls = Arc::new(Mutex::new(0));
    move |req, _| {
        let input = json!({ "proposals": proposals });
        let base = format!("http://{}", req.header("host").unwrap_or("127.0.0.1"));
        match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/v1/messages/count_tokens") => {
                let n = req.body.len() as u64 / 4;
                Answer::json(200, json!({ "input_tokens": n }))
            }
            ("POST", "/v1/messages") => {
                let stream = req.json()["stream"] == json!(true);
                if stream {
                    stream_events(&input, usage(1200, 2000, 0, 1), 350)
                } else {
                    Answer::json(200, message(input, usage(1200, 0, 2000, 350)))
                }
            }
            ("POST", "/v1/messages/batches") => {
                Answer::json(200, batch("msgbatch_01", "in_progress", None))
            }
            ("GET", "/v1/messages/batches/msgbatch_01") => {
                let mut n = polls.lock().unwrap();
                *n += 1;
                if *n < 2 {
                    Answer::json(200, batch("msgbatch_01", "in_progress", None))
                } else {
                    let url = format!("{base}/v1/messages/batches/msgbatch_01/results");
                    Answer::json(200, batch("msgbatch_01", "ended", Some(&url)))
                }
            }
            ("GET", "/v1/messages/batches/msgbatch_01/results") => {
                let other = json!({"custom_id": "someone-else", "result": {"type": "expired"}});
                let ours = json!({"custom_id": "dream", "result": {"type": "succeeded",
                    "message": message(input, usage(1200, 0, 2000, 350))}});
                Answer::text(200, "application/binary", &format!("{other}\n{ours}\n"))
            }
            _ => Answer::error(404, "not_found_error", "no such route"),
        }
    }
}

pub fn batch(id: &str, status: &str, results_url: Option<&str>) -> Value {
    json!({"id": id, "type": "message_batch", "processing_status": status,
        "request_counts": {"processing": 1, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0},
        "ended_at": null, "created_at": "2026-11-24T00:00:00Z", "expires_at": "2026-11-25T00:00:00Z",
        "cancel_initiated_at": null, "results_url": results_url})
}

/// Events as the server sends them, one per chunk, `pause` apart (a slow model).
fn event_chunks(events: Vec<String>, pause: Duration) -> Answer {
    Answer {
        status: 200,
        headers: vec![("content-type".into(), "text/event-stream".into())],
        chunks: events.into_iter().map(String::into_bytes).collect(),
        delay: Duration::ZERO,
        pause,
    }
}

/// A streamed plain-text Message in the documented event sequence, one `text_delta` per piece.
pub fn anthropic_text_stream(pieces: &[&str], pause: Duration) -> Answer {
    let ev = |name: &str, data: Value| format!("event: {name}\ndata: {data}\n\n");
    let mut events = vec![
        ev(
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_chat", "type": "message",
                "role": "assistant", "content": [], "model": "claude-sonnet-4-5-20250929",
                "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": 120, "output_tokens": 1}}}),
        ),
        ev(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0,
                "content_block": {"type": "text", "text": ""}}),
        ),
        ev("ping", json!({"type": "ping"})),
    ];
    for p in pieces {
        events.push(ev(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0,
                "delta": {"type": "text_delta", "text": p}}),
        ));
    }
    events.push(ev(
        "content_block_stop",
        json!({"type": "content_block_stop", "index": 0}),
    ));
    events.push(ev(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null},
            "usage": {"output_tokens": 40}}),
    ));
    events.push(ev("message_stop", json!({"type": "message_stop"})));
    event_chunks(events, pause)
}

/// A streamed chat completion as OpenAI-compatible servers send it: `data:` chunks with
/// deltas, a finish reason, a usage chunk (`stream_options.include_usage`), then `[DONE]`.
pub fn openai_text_stream(pieces: &[&str], pause: Duration) -> Answer {
    let chunk = |choices: Value, usage: Value| {
        let data = json!({"id": "chatcmpl-1", "object": "chat.completion.chunk",
            "created": 1764662400, "model": "llama3.1:8b", "choices": choices, "usage": usage});
        format!("data: {data}\n\n")
    };
    let mut events = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": null}]),
        Value::Null,
    )];
    for p in pieces {
        events.push(chunk(
            json!([{"index": 0, "delta": {"content": p}, "finish_reason": null}]),
            Value::Null,
        ));
    }
    events.push(chunk(
        json!([{"index": 0, "delta": {}, "finish_reason": "stop"}]),
        Value::Null,
    ));
    events.push(chunk(
        json!([]),
        json!({"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160}),
    ));
    events.push("data: [DONE]\n\n".into());
    event_chunks(events, pause)
}

/// A whole Message's `content` (text and `tool_use` blocks) streamed in the documented event
/// sequence: text in word-sized `text_delta`s, each tool's input as `input_json_delta` pieces
/// of a few characters, so the client must put both back together.
pub fn anthropic_message_stream(content: &Value, pause: Duration) -> Answer {
    let ev = |name: &str, data: Value| format!("event: {name}\ndata: {data}\n\n");
    let mut events = vec![ev(
        "message_start",
        json!({"type": "message_start", "message": {"id": "msg_tools", "type": "message",
            "role": "assistant", "content": [], "model": "claude-sonnet-4-5-20250929",
            "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": 100, "output_tokens": 1}}}),
    )];
    let blocks = content.as_array().cloned().unwrap_or_default();
    for (i, b) in blocks.iter().enumerate() {
        if b["type"] == "tool_use" {
            events.push(ev(
                "content_block_start",
                json!({"type": "content_block_start", "index": i, "content_block":
                    {"type": "tool_use", "id": b["id"], "name": b["name"], "input": {}}}),
            ));
            let input: Vec<char> = b["input"].to_string().chars().collect();
            for piece in input.chunks(7) {
                events.push(ev(
                    "content_block_delta",
                    json!({"type": "content_block_delta", "index": i, "delta":
                        {"type": "input_json_delta", "partial_json": piece.iter().collect::<String>()}}),
                ));
            }
        } else {
            events.push(ev(
                "content_block_start",
                json!({"type": "content_block_start", "index": i,
                    "content_block": {"type": "text", "text": ""}}),
            ));
            for word in b["text"].as_str().unwrap_or_default().split_inclusive(' ') {
                events.push(ev(
                    "content_block_delta",
                    json!({"type": "content_block_delta", "index": i,
                        "delta": {"type": "text_delta", "text": word}}),
                ));
            }
        }
        events.push(ev(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": i}),
        ));
    }
    let stop = if blocks.iter().any(|b| b["type"] == "tool_use") {
        "tool_use"
    } else {
        "end_turn"
    };
    events.push(ev(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null},
            "usage": {"output_tokens": 20}}),
    ));
    events.push(ev("message_stop", json!({"type": "message_stop"})));
    event_chunks(events, pause)
}

/// A streamed chat completion with text and tool calls as OpenAI-compatible servers send it:
/// each call's first delta carries its `index`, `id`, `type` and `function.name`, later deltas
/// more of `function.arguments`; then the finish reason, a usage chunk and `[DONE]`.
pub fn openai_message_stream(text: &str, calls: &[(&str, &str, Value)], pause: Duration) -> Answer {
    let chunk = |choices: Value, usage: Value| {
        let data = json!({"id": "chatcmpl-2", "object": "chat.completion.chunk",
            "created": 1764662400, "model": "llama3.1:8b", "choices": choices, "usage": usage});
        format!("data: {data}\n\n")
    };
    let delta = |d: Value| json!([{"index": 0, "delta": d, "finish_reason": null}]);
    let mut events = vec![chunk(
        delta(json!({"role": "assistant", "content": ""})),
        Value::Null,
    )];
    for word in text.split_inclusive(' ') {
        events.push(chunk(delta(json!({"content": word})), Value::Null));
    }
    for (i, (id, name, args)) in calls.iter().enumerate() {
        events.push(chunk(
            delta(
                json!({"tool_calls": [{"index": i, "id": id, "type": "function",
                "function": {"name": name, "arguments": ""}}]}),
            ),
            Value::Null,
        ));
        let args: Vec<char> = args.to_string().chars().collect();
        for piece in args.chunks(9) {
            events.push(chunk(
                delta(json!({"tool_calls": [{"index": i,
                    "function": {"arguments": piece.iter().collect::<String>()}}]})),
                Value::Null,
            ));
        }
    }
    let finish = if calls.is_empty() {
        "stop"
    } else {
        "tool_calls"
    };
    events.push(chunk(
        json!([{"index": 0, "delta": {}, "finish_reason": finish}]),
        Value::Null,
    ));
    events.push(chunk(
        json!([]),
        json!({"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}),
    ));
    events.push("data: [DONE]\n\n".into());
    event_chunks(events, pause)
}
