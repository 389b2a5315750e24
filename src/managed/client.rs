//! The Claude Managed Agents beta APIs, as documented: agents, sessions and their events
//! (`managed-agents-2026-04-01`), memory stores and their memories (`agent-memory-2026-07-22`,
//! never sent together with the first: the API answers 400), and dreams
//! (`dreaming-2026-04-21`). Lists page with `limit` and `page`, answered with
//! `{data, next_page}`. Every request goes through the curator's transport: the same retries,
//! `retry-after`, timeouts and key scrubbing.

use std::sync::atomic::AtomicBool;

use reqwest::Method;
use serde_json::{json, Value};

use crate::llm::http::{Failure, Transport};
use crate::llm::RetryPolicy;
use crate::secret::Secret;

pub const AGENTS_BETA: &str = "managed-agents-2026-04-01";
pub const MEMORY_BETA: &str = "agent-memory-2026-07-22";
pub const DREAMS_BETA: &str = "dreaming-2026-04-21";
const VERSION: &str = "2023-06-01";
/// The largest page the lists accept.
const PAGE: u32 = 100;
/// A safety bound on pages of one list, so a server that never stops paging cannot loop.
const MAX_PAGES: usize = 10_000;

pub struct Client {
    base: String,
    key: Secret,
    t: Transport,
    cancel: AtomicBool,
}

/// A memory of a store, as listed (`content` is `None` until read in full).
#[derive(Debug, Clone, PartialEq)]
pub struct Memory {
    pub id: String,
    pub path: String,
    pub content_sha256: String,
    pub version_id: Option<String>,
    pub content: Option<String>,
}

/// A session as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionInfo {
    pub id: String,
    pub title: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub status: String,
    /// The session's `metadata`: string pairs, which become the session's tags.
    pub metadata: std::collections::BTreeMap<String, String>,
}

/// A dream as the API reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct DreamInfo {
    pub id: String,
    pub status: String,
    pub output_store: Option<String>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_creation_tokens: u64,
    /// `type: message` of a failed dream.
    pub error: Option<String>,
}

impl DreamInfo {
    pub fn ended(&self) -> bool {
        matches!(self.status.as_str(), "completed" | "failed" | "canceled")
    }
}

fn text(v: &Value, k: &str) -> Option<String> {
    v[k].as_str().map(str::to_string)
}

fn bad(what: &str) -> Failure {
    Failure::BadResponse(what.to_string())
}

pub fn memory_from(v: &Value) -> Result<Memory, Failure> {
    Ok(Memory {
        id: text(v, "id").ok_or_else(|| bad("a memory has no id"))?,
        path: text(v, "path").ok_or_else(|| bad("a memory has no path"))?,
        content_sha256: text(v, "content_sha256").unwrap_or_default(),
        version_id: text(v, "memory_version_id"),
        content: text(v, "content"),
    })
}

fn dream_from(v: &Value) -> Result<DreamInfo, Failure> {
    let u = &v["usage"];
    let n = |k: &str| u[k].as_u64().unwrap_or(0);
    let output_store = v["outputs"].as_array().and_then(|o| {
        o.iter()
            .find(|x| x["type"] == "memory_store")
            .and_then(|x| text(x, "memory_store_id"))
    });
    let error = match &v["error"] {
        Value::Null => None,
        e => Some(match (e["type"].as_str(), e["message"].as_str()) {
            (Some(t), Some(m)) => format!("{m} ({t})"),
            (None, Some(m)) => m.to_string(),
            (Some(t), None) => t.to_string(),
            (None, None) => e.to_string(),
        }),
    };
    Ok(DreamInfo {
        id: text(v, "id").ok_or_else(|| bad("the dream has no id"))?,
        status: text(v, "status").ok_or_else(|| bad("the dream has no status"))?,
        output_store,
        input_tokens: n("input_tokens"),
        output_tokens: n("output_tokens"),
        cache_read_tokens: n("cache_read_input_tokens"),
        cache_creation_tokens: n("cache_creation_input_tokens"),
        error,
    })
}

/// `s` with everything but unreserved characters percent-encoded, for a query value or a path
/// segment.
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    pub fn new(base: &str, key: Secret, policy: RetryPolicy) -> Result<Self, Failure> {
        Ok(Client {
            base: base.trim_end_matches('/').to_string(),
            t: Transport::new(policy, Some(key.clone()))?,
            key,
            cancel: AtomicBool::new(false),
        })
    }

    fn request(&self, method: Method, beta: &str, path_and_query: &str) -> reqwest::RequestBuilder {
        let mut r = self
            .t
            .client()
            .request(method, format!("{}{path_and_query}", self.base))
            .header("anthropic-version", VERSION)
            .header("anthropic-beta", beta)
            .header("content-type", "application/json");
        if let Ok(mut v) = reqwest::header::HeaderValue::from_str(self.key.expose()) {
            // Marked sensitive so no debug output of the request shows it.
            v.set_sensitive(true);
            r = r.header("x-api-key", v);
        }
        r
    }

    /// One call with retries; the answer's JSON body (`Null` when empty).
    async fn call(
        &self,
        method: Method,
        beta: &str,
        path_and_query: &str,
        body: Option<&Value>,
    ) -> Result<Value, Failure> {
        self.t
            .retry(&self.cancel, || async {
                let mut req = self.request(method.clone(), beta, path_and_query);
                if let Some(b) = body {
                    req = req.body(b.to_string());
                }
                let resp = self.t.send(req).await?;
                let bytes = resp.bytes().await.map_err(|e| self.t.reqwest_failure(e))?;
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return Ok(Value::Null);
                }
                serde_json::from_slice(&bytes)
                    .map_err(|e| Failure::BadResponse(format!("the answer is not JSON ({e})")))
            })
            .await
    }

    /// Every item of a list, page after page.
    async fn all(
        &self,
        beta: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Vec<Value>, Failure> {
        let mut items = Vec::new();
        let mut page: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let (data, next) = self.page(beta, path, query, page.as_deref()).await?;
            items.extend(data);
            match next {
                Some(n) => page = Some(n),
                None => return Ok(items),
            }
        }
        Err(bad("the list did not end after 10,000 pages"))
    }

    /// One page of a list and the cursor of the next, if any.
    pub async fn page(
        &self,
        beta: &str,
        path: &str,
        query: &[(&str, &str)],
        page: Option<&str>,
    ) -> Result<(Vec<Value>, Option<String>), Failure> {
        let mut q = format!("{path}?limit={PAGE}");
        for (k, v) in query {
            q.push_str(&format!("&{k}={}", enc(v)));
        }
        if let Some(p) = page {
            q.push_str(&format!("&page={}", enc(p)));
        }
        let v = self.call(Method::GET, beta, &q, None).await?;
        let data = v["data"]
            .as_array()
            .cloned()
            .ok_or_else(|| bad("a list answer has no `data`"))?;
        let next = v["next_page"]
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        Ok((data, next))
    }

    pub async fn agents(&self) -> Result<Vec<Value>, Failure> {
        self.all(AGENTS_BETA, "/v1/agents", &[]).await
    }

    pub async fn agent(&self, id: &str) -> Result<Value, Failure> {
        self.call(
            Method::GET,
            AGENTS_BETA,
            &format!("/v1/agents/{}", enc(id)),
            None,
        )
        .await
    }

    /// One page of an agent's sessions, oldest first.
    pub async fn sessions_page(
        &self,
        agent: &str,
        page: Option<&str>,
    ) -> Result<(Vec<SessionInfo>, Option<String>), Failure> {
        let (data, next) = self
            .page(
                AGENTS_BETA,
                "/v1/sessions",
                &[("agent_id", agent), ("order", "asc")],
                page,
            )
            .await?;
        let sessions = data
            .iter()
            .map(|v| {
                let created = text(v, "created_at").unwrap_or_default();
                Ok(SessionInfo {
                    id: text(v, "id").ok_or_else(|| bad("a session has no id"))?,
                    title: text(v, "title"),
                    updated_at: text(v, "updated_at").unwrap_or_else(|| created.clone()),
                    created_at: created,
                    status: text(v, "status").unwrap_or_default(),
                    metadata: v["metadata"]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect::<Result<_, Failure>>()?;
        Ok((sessions, next))
    }

    /// Every event of a session, in the order they were processed.
    pub async fn events(&self, session: &str) -> Result<Vec<Value>, Failure> {
        self.all(
            AGENTS_BETA,
            &format!("/v1/sessions/{}/events", enc(session)),
            &[("order", "asc")],
        )
        .await
    }

    pub async fn create_store(&self, name: &str, description: &str) -> Result<String, Failure> {
        let v = self
            .call(
                Method::POST,
                MEMORY_BETA,
                "/v1/memory_stores",
                Some(&json!({"name": name, "description": description})),
            )
            .await?;
        text(&v, "id").ok_or_else(|| bad("the new memory store has no id"))
    }

    pub async fn delete_store(&self, store: &str) -> Result<(), Failure> {
        self.call(
            Method::DELETE,
            MEMORY_BETA,
            &format!("/v1/memory_stores/{}", enc(store)),
            None,
        )
        .await
        .map(|_| ())
    }

    /// The store's memories, without their content.
    pub async fn memories(&self, store: &str) -> Result<Vec<Memory>, Failure> {
        let items = self
            .all(
                MEMORY_BETA,
                &format!("/v1/memory_stores/{}/memories", enc(store)),
                &[],
            )
            .await?;
        items
            .iter()
            // Prefixes (folders) are listed too; only memories hold text.
            .filter(|v| v["type"] != "memory_prefix")
            .map(memory_from)
            .collect()
    }

    /// One memory with its content.
    pub async fn memory(&self, store: &str, id: &str) -> Result<Memory, Failure> {
        let v = self
            .call(
                Method::GET,
                MEMORY_BETA,
                &format!("/v1/memory_stores/{}/memories/{}", enc(store), enc(id)),
                None,
            )
            .await?;
        memory_from(&v)
    }

    /// Every memory of the store, with content.
    pub async fn read_store(&self, store: &str) -> Result<Vec<Memory>, Failure> {
        let mut out = Vec::new();
        for m in self.memories(store).await? {
            out.push(match m.content {
                Some(_) => m,
                None => self.memory(store, &m.id).await?,
            });
        }
        Ok(out)
    }

    pub async fn create_memory(
        &self,
        store: &str,
        path: &str,
        content: &str,
    ) -> Result<Memory, Failure> {
        let v = self
            .call(
                Method::POST,
                MEMORY_BETA,
                &format!("/v1/memory_stores/{}/memories", enc(store)),
                Some(&json!({"path": path, "content": content})),
            )
            .await?;
        memory_from(&v)
    }

    /// Replace a memory's content if it still has the hash Reverie last saw; a 409
    /// `memory_precondition_failed_error` otherwise.
    pub async fn update_memory(
        &self,
        store: &str,
        id: &str,
        content: &str,
        expected_sha256: &str,
    ) -> Result<Memory, Failure> {
        let v = self
            .call(
                Method::POST,
                MEMORY_BETA,
                &format!("/v1/memory_stores/{}/memories/{}", enc(store), enc(id)),
                Some(&json!({
                    "content": content,
                    "precondition": {"type": "content_sha256", "content_sha256": expected_sha256},
                })),
            )
            .await?;
        memory_from(&v)
    }

    pub async fn delete_memory(
        &self,
        store: &str,
        id: &str,
        expected_sha256: &str,
    ) -> Result<(), Failure> {
        self.call(
            Method::DELETE,
            MEMORY_BETA,
            &format!(
                "/v1/memory_stores/{}/memories/{}?expected_content_sha256={}",
                enc(store),
                enc(id),
                enc(expected_sha256)
            ),
            None,
        )
        .await
        .map(|_| ())
    }

    /// Start a dream that reads `store` and `sessions` and writes a new store.
    pub async fn create_dream(
        &self,
        store: &str,
        sessions: &[String],
        model: &str,
        instructions: &str,
    ) -> Result<DreamInfo, Failure> {
        let mut body = json!({
            "inputs": [
                {"type": "memory_store", "memory_store_id": store},
                {"type": "sessions", "session_ids": sessions},
            ],
            "model": model,
            "output_behavior": {"type": "create_new"},
        });
        if !instructions.trim().is_empty() {
            body["instructions"] = json!(instructions);
        }
        let v = self
            .call(Method::POST, DREAMS_BETA, "/v1/dreams", Some(&body))
            .await?;
        dream_from(&v)
    }

    pub async fn dream(&self, id: &str) -> Result<DreamInfo, Failure> {
        let v = self
            .call(
                Method::GET,
                DREAMS_BETA,
                &format!("/v1/dreams/{}", enc(id)),
                None,
            )
            .await?;
        self.scrubbed(dream_from(&v)?)
    }

    pub async fn cancel_dream(&self, id: &str) -> Result<DreamInfo, Failure> {
        let v = self
            .call(
                Method::POST,
                DREAMS_BETA,
                &format!("/v1/dreams/{}/cancel", enc(id)),
                None,
            )
            .await?;
        self.scrubbed(dream_from(&v)?)
    }

    /// A dream whose error text (from a successful answer, so not yet scrubbed) loses the key.
    fn scrubbed(&self, mut d: DreamInfo) -> Result<DreamInfo, Failure> {
        d.error = d.error.map(|e| self.t.scrub(&e));
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(enc("agent_01 a/b"), "agent_01%20a%2Fb");
    }

    #[test]
    fn a_dream_reads_its_output_store_usage_and_error() {
        let d = dream_from(&json!({
            "id": "drm_1", "type": "dream", "status": "failed",
            "outputs": [{"type": "memory_store", "memory_store_id": "memstore_out"}],
            "usage": {"input_tokens": 10, "output_tokens": 3, "cache_read_input_tokens": 2},
            "error": {"type": "model_overloaded_error", "message": "overloaded"}
        }))
        .unwrap();
        assert_eq!(d.output_store.as_deref(), Some("memstore_out"));
        assert_eq!(
            (d.input_tokens, d.output_tokens, d.cache_read_tokens),
            (10, 3, 2)
        );
        assert_eq!(
            d.error.as_deref(),
            Some("overloaded (model_overloaded_error)")
        );
        assert!(d.ended());
    }
}
