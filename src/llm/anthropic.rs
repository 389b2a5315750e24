//! The Anthropic Messages API: `POST /v1/messages` (plain or streamed), structured output via a
//! strict tool that `tool_choice` forces, prompt caching of the stable prefix,
//! `POST /v1/messages/count_tokens`, and the Message Batches API (create, poll until
//! `processing_status` is `ended`, read `results_url` as JSON Lines, match by `custom_id`).

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::http::{canceled, Failure, Transport};
use super::sse::{status_of, MessageStream, SseParser};
use super::{Heard, OnProgress, PollPolicy, Prompt, Provider, Reply, Usage};
use crate::secret::Secret;

pub const VERSION: &str = "2023-06-01";
/// The forced tool whose input is the structured answer.
pub const TOOL: &str = "propose_memory_edits";

pub struct Anthropic {
    base: String,
    key: Option<Secret>,
    t: Transport,
}

/// The Messages request for `prompt`: instructions, then the stable context marked for
/// caching, then this dream's evidence; with a schema, a strict tool the model must call.
pub fn body(model: &str, p: &Prompt) -> Value {
    // The API refuses empty text blocks: an agent with no prompt and no memory sends none.
    let mut system = Vec::new();
    if !p.system.trim().is_empty() {
        system.push(json!({"type": "text", "text": p.system}));
    }
    if !p.context.is_empty() {
        system.push(
            json!({"type": "text", "text": p.context, "cache_control": {"type": "ephemeral"}}),
        );
    }
    let messages: Vec<Value> = if p.turns.is_empty() {
        vec![json!({"role": "user", "content": p.user})]
    } else {
        p.turns
            .iter()
            .map(|t| json!({"role": t.role.as_str(), "content": t.content}))
            .collect()
    };
    let mut b = json!({
        "model": model,
        "max_tokens": p.max_tokens,
        "messages": messages,
    });
    if !system.is_empty() {
        b["system"] = json!(system);
    }
    if let Some(schema) = &p.schema {
        b["tools"] = json!([{
            "name": TOOL,
            "description": "Record the proposed memory edits, each with its evidence.",
            "input_schema": schema,
            "strict": true,
        }]);
        b["tool_choice"] = json!({"type": "tool", "name": TOOL});
    }
    b
}

fn usage(u: &Value) -> Usage {
    let n = |k: &str| u[k].as_u64().unwrap_or(0);
    Usage {
        input_tokens: n("input_tokens"),
        cache_creation_input_tokens: n("cache_creation_input_tokens"),
        cache_read_input_tokens: n("cache_read_input_tokens"),
        output_tokens: n("output_tokens"),
    }
}

/// A complete Message object as a reply.
pub fn parse_message(m: &Value) -> Result<Reply, Failure> {
    let content = m["content"]
        .as_array()
        .ok_or_else(|| Failure::BadResponse("the message has no content".into()))?;
    let mut reply = Reply {
        usage: usage(&m["usage"]),
        model: m["model"].as_str().unwrap_or_default().to_string(),
        stop_reason: m["stop_reason"].as_str().map(str::to_string),
        ..Reply::default()
    };
    for block in content {
        match block["type"].as_str() {
            Some("text") => reply.text.push_str(block["text"].as_str().unwrap_or("")),
            Some("tool_use") => reply.output = block["input"].clone(),
            _ => {}
        }
    }
    Ok(reply)
}

impl Anthropic {
    pub fn new(p: &Provider) -> Result<Self, Failure> {
        Ok(Anthropic {
            base: p.base_url.trim_end_matches('/').to_string(),
            key: p.key.clone(),
            t: Transport::new(p.retry.clone(), p.key.clone())?,
        })
    }

    fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        let mut r = self
            .t
            .client()
            .request(method, url)
            .header("anthropic-version", VERSION)
            .header("content-type", "application/json");
        if let Some(k) = &self.key {
            // Marked sensitive so no debug output of the request shows it.
            if let Ok(mut v) = reqwest::header::HeaderValue::from_str(k.expose()) {
                v.set_sensitive(true);
                r = r.header("x-api-key", v);
            }
        }
        r
    }

    fn post(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.request(reqwest::Method::POST, &format!("{}{path}", self.base))
            .body(body.to_string())
    }

    async fn json(&self, r: reqwest::RequestBuilder) -> Result<Value, Failure> {
        let resp = self.t.send(r).await?;
        let text = resp.text().await.map_err(|e| self.t.reqwest_failure(e))?;
        serde_json::from_str(&text).map_err(|e| Failure::BadResponse(format!("not JSON ({e})")))
    }

    pub async fn create(&self, body: &Value, cancel: &AtomicBool) -> Result<Reply, Failure> {
        self.t
            .retry(cancel, || async {
                parse_message(&self.json(self.post("/v1/messages", body)).await?)
            })
            .await
    }

    /// Streamed: `progress` hears how much has arrived, so a person sees the answer coming.
    pub async fn stream(
        &self,
        body: &Value,
        cancel: &AtomicBool,
        progress: OnProgress<'_>,
    ) -> Result<Reply, Failure> {
        let mut body = body.clone();
        body["stream"] = json!(true);
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
                let mut resp = self.t.send(self.post("/v1/messages", &body)).await?;
                let mut parser = SseParser::default();
                let mut msg = MessageStream::default();
                let mut last_report = 0;
                loop {
                    let chunk = tokio::time::timeout(idle, resp.chunk())
                        .await
                        .map_err(|_| Failure::Timeout)?
                        .map_err(|e| self.t.reqwest_failure(e))?;
                    let Some(chunk) = chunk else { break };
                    for ev in parser.push(&chunk) {
                        msg.apply(&ev)?;
                    }
                    let fresh = std::mem::take(&mut msg.fresh_text);
                    if !fresh.is_empty() {
                        if let Ok(mut p) = progress.lock() {
                            p(Heard::Text(fresh));
                        }
                    }
                    if msg.received >= last_report + 400 {
                        last_report = msg.received;
                        if let Ok(mut p) = progress.lock() {
                            p(Heard::Progress(format!(
                                "{} characters written",
                                msg.received
                            )));
                        }
                    }
                }
                msg.finish()
            })
            .await
    }

    /// Input tokens `body` would use, as `count_tokens` counts them.
    /// One attempt only, within 30 seconds: counting is a budget check, not the dream, and must
    /// not spend the dream's retries or its time.
    pub async fn count_tokens(&self, body: &Value, cancel: &AtomicBool) -> Result<u64, Failure> {
        let mut body = body.clone();
        if let Some(o) = body.as_object_mut() {
            o.remove("max_tokens");
            o.remove("stream");
        }
        let attempt = async {
            let v = self
                .json(self.post("/v1/messages/count_tokens", &body))
                .await?;
            v["input_tokens"]
                .as_u64()
                .ok_or_else(|| Failure::BadResponse("no input_tokens in the count".into()))
        };
        let answer = tokio::time::timeout(Duration::from_secs(30), async {
            tokio::select! {
                r = attempt => r,
                _ = canceled(cancel) => Err(Failure::Canceled),
            }
        })
        .await
        .unwrap_or(Err(Failure::Timeout));
        answer.map_err(|f| self.t.scrub_failure(f))
    }

    /// One request through the Message Batches API: create, poll until ended, read the
    /// results and pick ours by `custom_id`. Cancel (or waiting past `poll.max_wait`) cancels
    /// the batch.
    pub async fn batch(
        &self,
        custom_id: &str,
        body: &Value,
        cancel: &AtomicBool,
        poll: &PollPolicy,
        progress: OnProgress<'_>,
    ) -> Result<Reply, Failure> {
        let create = json!({"requests": [{"custom_id": custom_id, "params": body}]});
        let batch = self
            .t
            .retry(cancel, || async {
                self.json(self.post("/v1/messages/batches", &create)).await
            })
            .await?;
        let id = batch["id"]
            .as_str()
            .ok_or_else(|| Failure::BadResponse("the batch has no id".into()))?
            .to_string();
        progress(Heard::BatchOpened(id.clone()));
        let result = self
            .wait_and_read(&id, batch, custom_id, cancel, poll, &mut *progress)
            .await;
        match &result {
            // Stopped before the batch ended: cancel it, so it is not billed and lost. If the
            // cancel does not get through, the batch stays recorded as open and the next start
            // cancels it.
            Err(Failure::Canceled | Failure::Timeout) => {
                if self.cancel_batch(&id).await {
                    progress(Heard::BatchClosed(id));
                }
            }
            Ok(_) => progress(Heard::BatchClosed(id)),
            Err(_) => {}
        }
        result
    }

    async fn wait_and_read(
        &self,
        id: &str,
        mut state: Value,
        custom_id: &str,
        cancel: &AtomicBool,
        poll: &PollPolicy,
        progress: OnProgress<'_>,
    ) -> Result<Reply, Failure> {
        let started = Instant::now();
        while state["processing_status"].as_str() != Some("ended") {
            if started.elapsed() > poll.max_wait {
                return Err(Failure::Timeout);
            }
            progress(Heard::Progress(format!(
                "waiting for the batch ({} min so far)",
                started.elapsed().as_secs() / 60
            )));
            tokio::select! {
                _ = tokio::time::sleep(poll.interval) => {}
                _ = canceled(cancel) => return Err(Failure::Canceled),
            }
            let url = format!("{}/v1/messages/batches/{id}", self.base);
            state = self
                .t
                .retry(cancel, || async {
                    self.json(self.request(reqwest::Method::GET, &url)).await
                })
                .await?;
        }
        let url = state["results_url"]
            .as_str()
            .ok_or_else(|| Failure::BadResponse("the ended batch has no results_url".into()))?
            .to_string();
        // The key goes only where the API lives.
        if !same_origin(&url, &self.base) {
            return Err(Failure::BadResponse(
                "the batch results are on another server; not sending the key there".into(),
            ));
        }
        let lines = self
            .t
            .retry(cancel, || async {
                let resp = self
                    .t
                    .send(self.request(reqwest::Method::GET, &url))
                    .await?;
                resp.text().await.map_err(|e| self.t.reqwest_failure(e))
            })
            .await?;
        batch_result(&lines, custom_id).map_err(|f| self.t.scrub_failure(f))
    }

    /// Cancel a Message Batch; whether the API accepted it.
    pub async fn cancel_batch(&self, id: &str) -> bool {
        let url = format!("{}/v1/messages/batches/{id}/cancel", self.base);
        self.t
            .send(self.request(reqwest::Method::POST, &url))
            .await
            .is_ok()
    }
}

fn origin(url: &str) -> &str {
    let after = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after..].find('/') {
        Some(i) => &url[..after + i],
        None => url,
    }
}

fn same_origin(a: &str, b: &str) -> bool {
    origin(a).eq_ignore_ascii_case(origin(b))
}

/// Our line of a batch's results: `succeeded` gives the message; `errored`, `canceled` and
/// `expired` are failures.
pub fn batch_result(jsonl: &str, custom_id: &str) -> Result<Reply, Failure> {
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| Failure::BadResponse(format!("a batch result is not JSON ({e})")))?;
        if v["custom_id"].as_str() != Some(custom_id) {
            continue;
        }
        let r = &v["result"];
        return match r["type"].as_str() {
            Some("succeeded") => parse_message(&r["message"]),
            Some("errored") => {
                let e = &r["error"]["error"];
                let kind = e["type"].as_str().unwrap_or("api_error");
                let status = status_of(kind);
                if status == 401 || status == 403 {
                    return Err(Failure::KeyRefused);
                }
                Err(Failure::Status {
                    status,
                    kind: kind.to_string(),
                    message: e["message"].as_str().unwrap_or("").to_string(),
                    retry_after: None,
                    should_retry: Some(false),
                })
            }
            Some(other) => Err(Failure::BadResponse(format!(
                "the batch request was {other}"
            ))),
            None => Err(Failure::BadResponse("a batch result has no type".into())),
        };
    }
    Err(Failure::BadResponse(format!(
        "the batch results have no line for {custom_id}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_matched_by_custom_id() {
        let jsonl = r#"{"custom_id":"other","result":{"type":"expired"}}
{"custom_id":"dream","result":{"type":"succeeded","message":{"model":"claude-x","content":[{"type":"tool_use","id":"t","name":"propose_memory_edits","input":{"proposals":[]}}],"usage":{"input_tokens":10,"output_tokens":2}}}}"#;
        let r = batch_result(jsonl, "dream").unwrap();
        assert_eq!(r.output, json!({"proposals": []}));
        assert_eq!(r.usage.input_tokens, 10);
        assert!(batch_result(jsonl, "other").is_err());
        assert!(same_origin("http://127.0.0.1:9/v1/x", "http://127.0.0.1:9"));
        assert!(!same_origin(
            "https://evil.example/v1",
            "https://api.anthropic.com"
        ));
    }
}
