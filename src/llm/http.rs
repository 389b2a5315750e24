//! HTTP for the providers: one reqwest client (rustls), retries with exponential backoff and
//! jitter for 408, 409, 429, 5xx and 529 (honouring `retry-after-ms`, then `retry-after`, and
//! `x-should-retry`), per-request timeouts, a bound on attempts and total time, and
//! cancellation. Every message that leaves this module is scrubbed of the key.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::{RequestBuilder, Response};

use crate::error::Error;
use crate::secret::Secret;

/// How hard to try before giving up.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub total: Duration,
    /// One request, response body included.
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// The longest `retry-after` honoured; a server asking for more ends the attempts.
    pub max_retry_after: Duration,
}

impl RetryPolicy {
    /// One attempt, quickly: for a budget check (`count_tokens`) that must not cost a dream
    /// its time.
    pub fn once(timeout: Duration) -> Self {
        RetryPolicy {
            max_attempts: 1,
            total: timeout,
            request_timeout: timeout,
            connect_timeout: timeout.min(Duration::from_secs(10)),
            ..RetryPolicy::default()
        }
    }

    /// "Test connection": an answer within 20 seconds, whatever happens.
    pub fn test() -> Self {
        RetryPolicy {
            max_attempts: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(2),
            total: Duration::from_secs(16),
            request_timeout: Duration::from_secs(8),
            connect_timeout: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(2),
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            total: Duration::from_secs(15 * 60),
            request_timeout: Duration::from_secs(5 * 60),
            connect_timeout: Duration::from_secs(15),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// Why one attempt failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// 401 or 403.
    KeyRefused,
    Status {
        status: u16,
        kind: String,
        message: String,
        retry_after: Option<Duration>,
        should_retry: Option<bool>,
    },
    Timeout,
    Network(String),
    Canceled,
    /// The answer did not have the documented shape.
    BadResponse(String),
    /// Retries ran out; the last failure and how many attempts were made.
    GaveUp {
        attempts: u32,
        last: Box<Failure>,
    },
}

impl Failure {
    fn retryable(&self) -> bool {
        match self {
            // A 409 is a lock timeout worth retrying, except a memory store's precondition or
            // path conflict: the same request would fail the same way.
            Failure::Status {
                status: 409, kind, ..
            } if kind.starts_with("memory_") => false,
            Failure::Status {
                status,
                should_retry,
                ..
            } => should_retry.unwrap_or(matches!(status, 408 | 409 | 429 | 500..=599)),
            Failure::Timeout | Failure::Network(_) => true,
            _ => false,
        }
    }

    /// A sentence for the person reading the dream's warning or the CLI.
    pub fn describe(&self, provider: &str) -> String {
        match self {
            Failure::KeyRefused => Error::KeyRefused.to_string(),
            Failure::Status {
                status,
                kind,
                message,
                ..
            } => {
                let what = match status {
                    429 => "is rate limiting requests",
                    529 => "is overloaded",
                    400 => "rejected the request",
                    404 => "does not know that model or address",
                    408 => "timed out the request",
                    413 => "found the request too large",
                    300..=399 => "answered with a redirect to another address, which Reverie does not follow with your key; check the server address in Settings",
                    500..=599 => "had an internal error",
                    _ => "answered with an error",
                };
                let detail = if message.is_empty() {
                    String::new()
                } else {
                    format!(": {message}")
                };
                let kind = if kind.is_empty() {
                    String::new()
                } else {
                    format!(" {kind}")
                };
                format!("{provider} {what} (HTTP {status}{kind}{detail})")
            }
            Failure::Timeout => format!("{provider} did not answer in time"),
            Failure::Network(m) => format!("could not reach {provider}: {m}"),
            Failure::Canceled => "canceled".into(),
            Failure::BadResponse(m) => {
                format!("{provider} gave an answer Reverie could not read: {m}")
            }
            Failure::GaveUp { attempts, last } => {
                let waited = match **last {
                    Failure::Status {
                        retry_after: Some(d),
                        ..
                    } if d > Duration::from_secs(60) => format!(
                        "; it asked to wait {} before trying again, so try later",
                        words_for(d)
                    ),
                    _ => String::new(),
                };
                format!(
                    "{} (gave up after {attempts} attempts{waited})",
                    last.describe(provider)
                )
            }
        }
    }

    pub fn into_error(self, provider: &str) -> Error {
        match self {
            Failure::KeyRefused => Error::KeyRefused,
            Failure::Canceled => Error::Canceled,
            Failure::GaveUp { last, .. } if *last == Failure::KeyRefused => Error::KeyRefused,
            other => Error::ProviderFailed(other.describe(provider)),
        }
    }
}

/// The HTTP client, its retry policy, and the key to scrub from every message.
pub struct Transport {
    client: reqwest::Client,
    pub policy: RetryPolicy,
    key: Option<Secret>,
}

impl Transport {
    pub fn new(policy: RetryPolicy, key: Option<Secret>) -> Result<Self, Failure> {
        let client = reqwest::Client::builder()
            .connect_timeout(policy.connect_timeout)
            // A redirect would carry the key's headers to wherever it points: never follow one.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("reverie/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Failure::Network(e.without_url().to_string()))?;
        Ok(Transport {
            client,
            policy,
            key,
        })
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// `text` without the key, and without anything else shaped like a key (a server's error
    /// may quote another one).
    pub fn scrub(&self, text: &str) -> String {
        let text = match &self.key {
            Some(k) => k.scrub(text),
            None => text.to_string(),
        };
        crate::secret::redact_key_shapes(&text)
    }

    /// A failure with every message in it scrubbed.
    pub fn scrub_failure(&self, f: Failure) -> Failure {
        match f {
            Failure::Status {
                status,
                kind,
                message,
                retry_after,
                should_retry,
            } => Failure::Status {
                status,
                kind: self.scrub(&kind),
                message: self.scrub(&message),
                retry_after,
                should_retry,
            },
            Failure::Network(m) => Failure::Network(self.scrub(&m)),
            Failure::BadResponse(m) => Failure::BadResponse(self.scrub(&m)),
            Failure::GaveUp { attempts, last } => Failure::GaveUp {
                attempts,
                last: Box::new(self.scrub_failure(*last)),
            },
            other => other,
        }
    }

    /// Send one request; a non-2xx answer becomes [`Failure::Status`] (or `KeyRefused`).
    pub async fn send(&self, req: RequestBuilder) -> Result<Response, Failure> {
        let resp = req
            .timeout(self.policy.request_timeout)
            .send()
            .await
            .map_err(|e| self.reqwest_failure(e))?;
        let status = resp.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(resp);
        }
        if status == 401 || status == 403 {
            return Err(Failure::KeyRefused);
        }
        let headers = resp.headers().clone();
        let body = resp.text().await.unwrap_or_default();
        let (kind, message) = error_body(&body);
        Err(Failure::Status {
            status,
            kind,
            message: self.scrub(&message),
            retry_after: retry_after(&headers),
            should_retry: headers
                .get("x-should-retry")
                .and_then(|v| v.to_str().ok())
                .map(|v| v == "true"),
        })
    }

    /// A reqwest error as a failure, without the URL and without the key.
    pub fn reqwest_failure(&self, e: reqwest::Error) -> Failure {
        if e.is_timeout() {
            return Failure::Timeout;
        }
        let mut chain = Vec::new();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            chain.push(s.to_string());
            source = s.source();
        }
        let mut text = e.without_url().to_string();
        for c in chain {
            if !text.contains(&c) {
                text.push_str(&format!(": {c}"));
            }
        }
        Failure::Network(self.scrub(&text))
    }

    /// Run `attempt` until it succeeds, fails for good, runs out of attempts or time, or
    /// `cancel` is set.
    pub async fn retry<T, F, Fut>(&self, cancel: &AtomicBool, mut attempt: F) -> Result<T, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Failure>>,
    {
        let started = Instant::now();
        let p = &self.policy;
        let mut n = 0;
        loop {
            n += 1;
            let result = tokio::select! {
                r = attempt() => r,
                _ = canceled(cancel) => Err(Failure::Canceled),
            };
            let failure = match result {
                Ok(v) => return Ok(v),
                // Whatever the server said (a stream's `error` event, a batch's `errored`
                // result) loses the key and anything shaped like one before it goes further.
                Err(f) => self.scrub_failure(f),
            };
            if !failure.retryable() {
                return Err(failure);
            }
            let give_up = |f: Failure| Failure::GaveUp {
                attempts: n,
                last: Box::new(f),
            };
            if n >= p.max_attempts {
                return Err(give_up(failure));
            }
            let backoff = {
                let exp = p.base_delay.saturating_mul(1 << (n - 1).min(16));
                let capped = exp.min(p.max_delay);
                // Up to 25% less, so clients that failed together do not retry together.
                capped.mul_f64(1.0 - 0.25 * fastrand::f64())
            };
            let wait = match &failure {
                // Asked to wait longer than Reverie would: stop now rather than ask too early.
                Failure::Status {
                    retry_after: Some(d),
                    ..
                } if *d > p.max_retry_after => return Err(give_up(failure)),
                Failure::Status {
                    retry_after: Some(d),
                    ..
                } => *d,
                _ => backoff,
            };
            if started.elapsed() + wait > p.total {
                return Err(give_up(failure));
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = canceled(cancel) => return Err(Failure::Canceled),
            }
        }
    }
}

/// "3 minutes", "45 seconds".
fn words_for(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=119 => format!("{s} seconds"),
        120..=7199 => format!("{} minutes", s / 60),
        _ => format!("{} hours", s / 3600),
    }
}

/// Whether a response is one JSON document rather than the stream that was asked for.
pub fn answered_whole(resp: &reqwest::Response) -> bool {
    resp.headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Resolves once `cancel` is set (checked every 50 ms).
pub async fn canceled(cancel: &AtomicBool) {
    while !cancel.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `retry-after-ms` (milliseconds) first, then `retry-after` (seconds; an HTTP date is ignored).
pub fn retry_after(h: &reqwest::header::HeaderMap) -> Option<Duration> {
    let num = |name: &str| -> Option<f64> {
        h.get(name)?
            .to_str()
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    num("retry-after-ms")
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        .or_else(|| num("retry-after").map(Duration::from_secs_f64))
}

/// `(type, message)` of an error body: Anthropic's `{"type":"error","error":{…}}` or
/// OpenAI's `{"error":{…}}`; otherwise the start of the text.
pub fn error_body(body: &str) -> (String, String) {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
        let e = &v["error"];
        let kind = e["type"].as_str().or(e["code"].as_str()).unwrap_or("");
        let message = e["message"]
            .as_str()
            .or(e.as_str())
            .unwrap_or("")
            .to_string();
        return (kind.to_string(), message);
    }
    (String::new(), body.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_both_providers_are_read() {
        let (k, m) = error_body(
            r#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#,
        );
        assert_eq!((k.as_str(), m.as_str()), ("rate_limit_error", "slow down"));
        let (k, m) =
            error_body(r#"{"error":{"message":"no such model","type":"invalid_request_error"}}"#);
        assert_eq!(
            (k.as_str(), m.as_str()),
            ("invalid_request_error", "no such model")
        );
    }

    #[test]
    fn which_failures_are_retried() {
        let s = |status| Failure::Status {
            status,
            kind: String::new(),
            message: String::new(),
            retry_after: None,
            should_retry: None,
        };
        for st in [408, 409, 429, 500, 502, 503, 529] {
            assert!(s(st).retryable(), "{st}");
        }
        for st in [400, 404, 413, 422] {
            assert!(!s(st).retryable(), "{st}");
        }
        assert!(!Failure::KeyRefused.retryable());
        assert!(Failure::Timeout.retryable());
    }
}
