//! A loopback stand-in of the Claude Managed Agents beta APIs, written from Anthropic's
//! documentation and SDK types: agents, sessions and events (`managed-agents-2026-04-01`),
//! memory stores and memories (`agent-memory-2026-07-22`; a request carrying both betas is
//! refused with 400, as documented), dreams (`dreaming-2026-04-21`) that go pending → running
//! → completed or failed over several polls. Lists page with `limit`/`page` → `{data,
//! next_page}`; memory updates take a `content_sha256` precondition (409
//! `memory_precondition_failed_error`), deletes `expected_content_sha256`, creates refuse a
//! taken path (409 `memory_path_conflict_error`). Errors use the documented envelope.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

#[path = "../llm_server/mod.rs"]
mod llm_server;
pub use llm_server::{Answer, Request, Server};

pub const KEY: &str = "sk-ant-api03-managed-test-key-0123456789abcdef";
const AGENTS: &str = "managed-agents-2026-04-01";
const MEMORY: &str = "agent-memory-2026-07-22";
const DREAMS: &str = "dreaming-2026-04-21";

pub fn sha(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Clone)]
pub struct Mem {
    pub id: String,
    pub path: String,
    pub content: String,
    pub version: u32,
}

/// How a dream ends, and what it writes: the output store's documents from the input's.
pub type DreamPlan =
    Arc<dyn Fn(&BTreeMap<String, String>) -> BTreeMap<String, String> + Send + Sync>;

pub struct RemoteDream {
    pub id: String,
    pub polls: u32,
    pub input_store: String,
    pub sessions: Vec<String>,
    pub output: Option<String>,
    pub status: String,
    pub body: Value,
}

#[derive(Default)]
pub struct State {
    pub agents: Vec<Value>,
    /// Sessions in creation order, each with its events.
    pub sessions: Vec<(Value, Vec<Value>)>,
    pub stores: BTreeMap<String, BTreeMap<String, Mem>>,
    pub dreams: Vec<RemoteDream>,
    /// The next dream fails (after writing part of its output) instead of completing.
    pub fail_dreams: bool,
    pub plan: Option<DreamPlan>,
    /// Items per page, whatever `limit` asks (a server may send fewer).
    pub page_size: usize,
    /// Polls a dream stays pending, then running, before it ends.
    pub polls_to_end: u32,
    next: u32,
}

impl State {
    fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}_{:04}", self.next)
    }

    /// A memory written in the store by someone else (the Console, another tool).
    pub fn outside_write(&mut self, store: &str, path: &str, content: &str) {
        let s = self.stores.get_mut(store).expect("store");
        let m = s.values_mut().find(|m| m.path == path).expect("memory");
        m.content = content.to_string();
        m.version += 1;
    }

    pub fn documents(&self, store: &str) -> BTreeMap<String, String> {
        self.stores
            .get(store)
            .map(|s| {
                s.values()
                    .map(|m| (m.path.clone(), m.content.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub struct Managed {
    pub server: Server,
    pub state: Arc<Mutex<State>>,
}

fn error(status: u16, kind: &str, message: &str) -> Answer {
    Answer::json(
        status,
        json!({"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_stand_in"}),
    )
}

fn memory_json(store: &str, m: &Mem, full: bool) -> Value {
    json!({
        "type": "memory", "id": m.id, "memory_store_id": store, "path": m.path,
        "content_sha256": sha(&m.content), "content_size_bytes": m.content.len(),
        "memory_version_id": format!("memver_{}_{}", m.id, m.version),
        "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z",
        "content": if full { json!(m.content) } else { Value::Null },
    })
}

fn query(path: &str) -> (String, BTreeMap<String, String>) {
    let (p, q) = path.split_once('?').unwrap_or((path, ""));
    let mut map = BTreeMap::new();
    for pair in q.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        map.insert(k.to_string(), decode(v));
    }
    (p.to_string(), map)
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One page of `items` from the cursor in `q` (the cursor is the index to start at).
fn page(items: Vec<Value>, q: &BTreeMap<String, String>, cap: usize) -> Answer {
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(20);
    if limit == 0 || limit > 100 {
        return error(
            400,
            "invalid_request_error",
            "limit: must be between 1 and 100",
        );
    }
    let size = limit.min(cap.max(1));
    let start: usize = match q.get("page") {
        None => 0,
        Some(p) => match p.strip_prefix("page_").and_then(|n| n.parse().ok()) {
            Some(n) => n,
            None => {
                return error(
                    400,
                    "invalid_request_error",
                    "page: not a cursor this API gave",
                )
            }
        },
    };
    let end = (start + size).min(items.len());
    let next = (end < items.len()).then(|| format!("page_{end}"));
    Answer::json(
        200,
        json!({"data": items[start.min(items.len())..end], "next_page": next}),
    )
}

impl Managed {
    pub fn start() -> Managed {
        let state = Arc::new(Mutex::new(State {
            page_size: 2,
            polls_to_end: 2,
            ..Default::default()
        }));
        let s = state.clone();
        let server = Server::start(move |req, _| handle(&mut s.lock().unwrap(), req));
        Managed { server, state }
    }

    pub fn addr(&self) -> &str {
        &self.server.addr
    }

    pub fn requests(&self) -> Vec<Request> {
        self.server.requests()
    }
}

fn handle(st: &mut State, req: &Request) -> Answer {
    if req.header("x-api-key") != Some(KEY) {
        return error(401, "authentication_error", "invalid x-api-key");
    }
    if req.header("anthropic-version") != Some("2023-06-01") {
        return error(
            400,
            "invalid_request_error",
            "anthropic-version: header is required",
        );
    }
    let betas: Vec<&str> = req
        .header("anthropic-beta")
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .collect();
    let (path, q) = query(&req.path);
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let method = req.method.as_str();
    let needs = |beta: &str| -> Option<Answer> {
        if !betas.contains(&beta) {
            return Some(error(
                400,
                "invalid_request_error",
                &format!("this endpoint requires the anthropic-beta header {beta}"),
            ));
        }
        None
    };
    match parts.as_slice() {
        ["v1", "agents", rest @ ..] => {
            if let Some(a) = needs(AGENTS) {
                return a;
            }
            match (method, rest) {
                ("GET", []) => page(st.agents.clone(), &q, st.page_size),
                ("GET", [id]) => match st.agents.iter().find(|a| a["id"] == *id) {
                    Some(a) => Answer::json(200, a.clone()),
                    None => error(404, "not_found_error", "agent not found"),
                },
                _ => error(404, "not_found_error", "no such endpoint"),
            }
        }
        ["v1", "sessions", rest @ ..] => {
            if let Some(a) = needs(AGENTS) {
                return a;
            }
            match (method, rest) {
                ("GET", []) => {
                    let mut list: Vec<Value> = st
                        .sessions
                        .iter()
                        .map(|(s, _)| s.clone())
                        .filter(|s| q.get("agent_id").is_none_or(|a| s["agent"]["id"] == *a))
                        .collect();
                    if q.get("order").map(String::as_str) != Some("asc") {
                        list.reverse();
                    }
                    page(list, &q, st.page_size)
                }
                ("GET", [id, "events"]) => match st.sessions.iter().find(|(s, _)| s["id"] == *id) {
                    Some((_, events)) => page(events.clone(), &q, st.page_size.max(3)),
                    None => error(404, "not_found_error", "session not found"),
                },
                _ => error(404, "not_found_error", "no such endpoint"),
            }
        }
        ["v1", "memory_stores", rest @ ..] => {
            if betas.contains(&AGENTS) && betas.contains(&MEMORY) {
                return error(
                    400,
                    "invalid_request_error",
                    "managed-agents-2026-04-01 and agent-memory-2026-07-22 cannot be sent together",
                );
            }
            if let Some(a) = needs(MEMORY) {
                return a;
            }
            let body = req.json();
            match (method, rest) {
                ("POST", []) => {
                    if body["name"].as_str().is_none_or(str::is_empty) {
                        return error(400, "invalid_request_error", "name: field required");
                    }
                    let id = st.id("memstore");
                    st.stores.insert(id.clone(), BTreeMap::new());
                    Answer::json(
                        200,
                        json!({"type": "memory_store", "id": id, "name": body["name"], "description": body["description"]}),
                    )
                }
                ("DELETE", [sid]) => match st.stores.remove(*sid) {
                    Some(_) => {
                        Answer::json(200, json!({"id": sid, "type": "memory_store_deleted"}))
                    }
                    None => error(404, "not_found_error", "memory store not found"),
                },
                (_, [sid, "memories", tail @ ..]) => {
                    let sid = sid.to_string();
                    let Some(store) = st.stores.get(&sid) else {
                        return error(404, "not_found_error", "memory store not found");
                    };
                    match (method, tail) {
                        ("GET", []) => {
                            let items: Vec<Value> = store
                                .values()
                                .map(|m| memory_json(&sid, m, false))
                                .collect();
                            page(items, &q, st.page_size)
                        }
                        ("GET", [mid]) => match store.get(*mid) {
                            Some(m) => Answer::json(200, memory_json(&sid, m, true)),
                            None => error(404, "not_found_error", "memory not found"),
                        },
                        ("POST", []) => {
                            let (Some(path), Some(content)) =
                                (body["path"].as_str(), body["content"].as_str())
                            else {
                                return error(
                                    400,
                                    "invalid_request_error",
                                    "path and content are required",
                                );
                            };
                            if !path.starts_with('/') {
                                return error(
                                    400,
                                    "invalid_request_error",
                                    "path: must start with /",
                                );
                            }
                            if content.len() > 102_400 {
                                return error(
                                    400,
                                    "invalid_request_error",
                                    "content: larger than 100 kB",
                                );
                            }
                            if let Some(m) = store.values().find(|m| m.path == path) {
                                return Answer::json(
                                    409,
                                    json!({"type": "error", "error": {"type": "memory_path_conflict_error", "message": "a memory already has this path", "conflicting_memory_id": m.id, "conflicting_path": path}}),
                                );
                            }
                            let id = st.id("mem");
                            let m = Mem {
                                id: id.clone(),
                                path: path.into(),
                                content: content.into(),
                                version: 1,
                            };
                            let json = memory_json(&sid, &m, true);
                            st.stores.get_mut(&sid).unwrap().insert(id, m);
                            Answer::json(200, json)
                        }
                        ("POST", [mid]) => {
                            let store = st.stores.get_mut(&sid).unwrap();
                            let Some(m) = store.get_mut(*mid) else {
                                return error(404, "not_found_error", "memory not found");
                            };
                            let content =
                                body["content"].as_str().unwrap_or(&m.content).to_string();
                            if let Some(p) = body.get("precondition") {
                                if p["type"] != "content_sha256" {
                                    return error(
                                        400,
                                        "invalid_request_error",
                                        "precondition.type: unknown",
                                    );
                                }
                                // Already as asked: documented to succeed whatever the hash.
                                if p["content_sha256"].as_str() != Some(&sha(&m.content))
                                    && content != m.content
                                {
                                    return error(409, "memory_precondition_failed_error", "content_sha256 does not match the memory's current content");
                                }
                            }
                            if content != m.content {
                                m.content = content;
                                m.version += 1;
                            }
                            Answer::json(200, memory_json(&sid, m, true))
                        }
                        ("DELETE", [mid]) => {
                            let store = st.stores.get_mut(&sid).unwrap();
                            let Some(m) = store.get(*mid) else {
                                return error(404, "not_found_error", "memory not found");
                            };
                            if let Some(expected) = q.get("expected_content_sha256") {
                                if *expected != sha(&m.content) {
                                    return error(
                                        409,
                                        "memory_precondition_failed_error",
                                        "expected_content_sha256 does not match",
                                    );
                                }
                            }
                            store.remove(*mid);
                            Answer::json(200, json!({"id": mid, "type": "memory_deleted"}))
                        }
                        _ => error(404, "not_found_error", "no such endpoint"),
                    }
                }
                _ => error(404, "not_found_error", "no such endpoint"),
            }
        }
        ["v1", "dreams", rest @ ..] => {
            if let Some(a) = needs(DREAMS) {
                return a;
            }
            match (method, rest) {
                ("POST", []) => {
                    let body = req.json();
                    let inputs = body["inputs"].as_array().cloned().unwrap_or_default();
                    let store = inputs
                        .iter()
                        .find(|i| i["type"] == "memory_store")
                        .and_then(|i| i["memory_store_id"].as_str());
                    let sessions: Vec<String> = inputs
                        .iter()
                        .find(|i| i["type"] == "sessions")
                        .and_then(|i| i["session_ids"].as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|s| s.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    let Some(store) = store else {
                        return error(
                            400,
                            "invalid_request_error",
                            "inputs: exactly one memory_store input is required",
                        );
                    };
                    if !st.stores.contains_key(store) {
                        return error(404, "not_found_error", "memory store not found");
                    }
                    if sessions.is_empty() || sessions.len() > 100 {
                        return error(
                            400,
                            "invalid_request_error",
                            "inputs: sessions must hold 1 to 100 session ids",
                        );
                    }
                    if body["model"].as_str().is_none() && body["model"]["id"].as_str().is_none() {
                        return error(400, "invalid_request_error", "model: field required");
                    }
                    let id = st.id("drm");
                    let d = RemoteDream {
                        id: id.clone(),
                        polls: 0,
                        input_store: store.to_string(),
                        sessions,
                        output: None,
                        status: "pending".into(),
                        body: body.clone(),
                    };
                    let json = dream_json(&d);
                    st.dreams.push(d);
                    Answer::json(200, json)
                }
                ("GET", [id]) => {
                    let Some(i) = st.dreams.iter().position(|d| d.id == *id) else {
                        return error(404, "not_found_error", "dream not found");
                    };
                    advance(st, i);
                    Answer::json(200, dream_json(&st.dreams[i]))
                }
                ("POST", [id, "cancel"]) => {
                    let Some(d) = st.dreams.iter_mut().find(|d| d.id == *id) else {
                        return error(404, "not_found_error", "dream not found");
                    };
                    if d.status == "completed" || d.status == "failed" {
                        return error(400, "invalid_request_error", "the dream already ended");
                    }
                    d.status = "canceled".into();
                    Answer::json(200, dream_json(d))
                }
                _ => error(404, "not_found_error", "no such endpoint"),
            }
        }
        _ => error(404, "not_found_error", "no such endpoint"),
    }
}

/// One poll of a dream: pending, then running (its output store appears), then it ends.
fn advance(st: &mut State, i: usize) {
    if matches!(
        st.dreams[i].status.as_str(),
        "completed" | "failed" | "canceled"
    ) {
        return;
    }
    st.dreams[i].polls += 1;
    let polls = st.dreams[i].polls;
    if polls == 1 {
        st.dreams[i].status = "running".into();
        let out = st.id("memstore");
        st.stores.insert(out.clone(), BTreeMap::new());
        st.dreams[i].output = Some(out);
        return;
    }
    if polls < st.polls_to_end + 1 {
        return;
    }
    let input = st.documents(&st.dreams[i].input_store.clone());
    let out = st.dreams[i].output.clone().unwrap();
    let docs = if st.fail_dreams {
        // Part of the output written before the failure.
        input.into_iter().take(1).collect()
    } else {
        match &st.plan {
            Some(plan) => plan(&input),
            None => input,
        }
    };
    for (path, content) in docs {
        let id = st.id("mem");
        st.stores.get_mut(&out).unwrap().insert(
            id.clone(),
            Mem {
                id,
                path,
                content,
                version: 1,
            },
        );
    }
    st.dreams[i].status = if st.fail_dreams {
        "failed"
    } else {
        "completed"
    }
    .into();
}

fn dream_json(d: &RemoteDream) -> Value {
    let ended = matches!(d.status.as_str(), "completed" | "failed" | "canceled");
    json!({
        "type": "dream", "id": d.id, "status": d.status,
        "inputs": d.body["inputs"], "model": {"id": d.body["model"], "speed": "standard"},
        "instructions": d.body["instructions"], "output_behavior": d.body["output_behavior"],
        "outputs": d.output.as_ref().map(|o| json!([{"type": "memory_store", "memory_store_id": o}])).unwrap_or(json!([])),
        "session_id": null,
        "usage": {"input_tokens": 12000, "output_tokens": 900, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 3000},
        "error": if d.status == "failed" { json!({"type": "model_overloaded_error", "message": "the model was overloaded"}) } else { Value::Null },
        "created_at": "2026-12-02T10:00:00Z",
        "ended_at": if ended { json!("2026-12-02T10:05:00Z") } else { Value::Null },
        "archived_at": null,
    })
}

/// A managed agent's session with its events, as the API lists them.
pub fn session(
    agent: &str,
    id: &str,
    day: u32,
    client: &str,
    ask: &str,
    answer: &str,
    result: &str,
) -> (Value, Vec<Value>) {
    let at = format!("2026-11-{day:02}T09:00:00Z");
    let s = json!({
        "type": "session", "id": id, "status": "idle", "title": ask,
        "agent": {"id": agent, "type": "agent", "name": "Support", "version": 1},
        "metadata": {"client": client},
        "created_at": at, "updated_at": format!("2026-11-{day:02}T09:10:00Z"), "archived_at": null,
    });
    let events = vec![
        json!({"id": format!("{id}_e1"), "type": "user.define_outcome", "outcome_id": format!("outc_{id}"), "description": "The customer's problem is solved without asking them to repeat themselves", "rubric": {"type": "text", "content": "Solved, no repeats."}, "max_iterations": 3, "processed_at": at}),
        json!({"id": format!("{id}_e2"), "type": "user.message", "content": [{"type": "text", "text": ask}], "processed_at": at}),
        json!({"id": format!("{id}_e3"), "type": "agent.tool_use", "name": "lookup_order", "input": {"q": ask}, "processed_at": at}),
        json!({"id": format!("{id}_e4"), "type": "agent.tool_result", "tool_use_id": format!("{id}_e3"), "content": [{"type": "text", "text": "order found"}], "processed_at": at}),
        json!({"id": format!("{id}_e5"), "type": "agent.message", "content": [{"type": "text", "text": answer}], "processed_at": at}),
        json!({"id": format!("{id}_e6"), "type": "span.outcome_evaluation_end", "outcome_id": format!("outc_{id}"), "outcome_evaluation_start_id": format!("{id}_s"), "iteration": 0, "result": result, "explanation": format!("Grader says: {result}"), "usage": {"input_tokens": 10, "output_tokens": 5}, "processed_at": format!("2026-11-{day:02}T09:10:00Z")}),
    ];
    (s, events)
}
