//! OpenAI-compatible chat completions (OpenAI, Ollama, llama.cpp server, vLLM, LM Studio).
//! Like the official SDK, the base URL includes the version (`https://api.openai.com/v1`,
//! `http://localhost:11434/v1`) and requests go to `{base}/chat/completions`. Structured
//! output uses `response_format: {type: "json_schema", …, strict: true}`.

use std::sync::atomic::AtomicBool;

use serde_json::{json, Value};

use super::http::{Failure, Transport};
use super::{Prompt, Provider, Reply, Usage};
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
    let mut b = json!({
        "model": model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": p.user},
        ],
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_json_from_local_models_is_read() {
        assert_eq!(json_in("```json\n{\"a\":1}\n```"), Some(json!({"a": 1})));
        assert_eq!(json_in("{\"a\":1}"), Some(json!({"a": 1})));
        assert_eq!(json_in("sure!"), None);
    }
}
