//! The production provider clients against a loopback server that follows the documented
//! request and response shapes, with faults injected: 429 with retry-after, 529, 500s until
//! give-up, timeouts, 401, cancel, and an error event in the middle of a stream.

mod llm_server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use llm_server::{anthropic, batch, message, stream_events, usage, Answer, Server};
use reverie::llm::{
    block_on, Mode, PollPolicy, Prompt, Provider, ProviderKind, Reply, RetryPolicy,
};
use reverie::secret::Secret;
use reverie::{Error, ErrorCode};
use serde_json::{json, Value};

const KEY: &str = "sk-ant-api03-TESTKEY-7f3a9c2e1b5d4086-NEVER-LEAK";

fn fast() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        total: Duration::from_secs(10),
        request_timeout: Duration::from_secs(3),
        connect_timeout: Duration::from_secs(2),
        max_retry_after: Duration::from_secs(5),
    }
}

fn provider(kind: ProviderKind, server: &Server) -> Provider {
    Provider {
        kind,
        base_url: match kind {
            ProviderKind::Anthropic => server.addr.clone(),
            ProviderKind::Openai => format!("{}/v1", server.addr),
        },
        model: match kind {
            ProviderKind::Anthropic => "claude-sonnet-4-5".into(),
            ProviderKind::Openai => "llama3.1".into(),
        },
        use_batches: false,
        key: Some(Secret::new(KEY)),
        retry: fast(),
        poll: PollPolicy {
            interval: Duration::from_millis(20),
            max_wait: Duration::from_secs(5),
        },
    }
}

fn prompt() -> Prompt {
    Prompt {
        system: "You curate memory.".into(),
        context: "Rubric and memory".into(),
        user: "Evidence".into(),
        turns: Vec::new(),
        schema: Some(reverie::dreaming::curator::prompt::schema()),
        max_tokens: 1024,
    }
}

fn proposals() -> Value {
    json!([{"op": "add", "content": "Harbour Tea: no exclamation marks.", "scope": [{"key": "client", "value": "Harbour Tea"}],
            "targets": [], "evidence": [{"session_id": "s-0001", "quote": "No exclamation marks, please."}],
            "confidence": 0.9, "rationale": "Reviewers removed them."}])
}

fn ask(p: &Provider, mode: Mode) -> Result<Reply, Error> {
    let cancel = AtomicBool::new(false);
    block_on(p.ask(&prompt(), mode, &cancel, &mut |_| {}))
        .unwrap()
        .map_err(|f| f.into_error(&p.kind.label()))
}

#[test]
fn anthropic_request_follows_the_documented_shape() {
    let server = Server::start(anthropic(proposals()));
    let p = provider(ProviderKind::Anthropic, &server);
    let reply = ask(&p, Mode::Plain).unwrap();
    assert_eq!(reply.output, json!({ "proposals": proposals() }));
    assert_eq!(reply.usage.input_tokens, 1200);
    assert_eq!(reply.usage.cache_read_input_tokens, 2000);
    assert_eq!(reply.usage.output_tokens, 350);

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/v1/messages")
    );
    assert_eq!(r.header("x-api-key"), Some(KEY));
    assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
    let b = r.json();
    assert_eq!(b["model"], "claude-sonnet-4-5");
    assert_eq!(b["tools"][0]["name"], "propose_memory_edits");
    assert_eq!(b["tools"][0]["strict"], true);
    assert_eq!(b["tools"][0]["input_schema"]["additionalProperties"], false);
    assert_eq!(
        b["tool_choice"],
        json!({"type": "tool", "name": "propose_memory_edits"})
    );
    // The stable prefix (rubric + memory) is marked for caching; the instructions come first.
    assert_eq!(
        b["system"][1]["cache_control"],
        json!({"type": "ephemeral"})
    );
    assert_eq!(b["system"][1]["text"], "Rubric and memory");
    assert_eq!(b["messages"][0]["content"], "Evidence");
}

#[test]
fn anthropic_stream_is_reassembled_from_its_events() {
    let server = Server::start(anthropic(proposals()));
    let p = provider(ProviderKind::Anthropic, &server);
    let cancel = AtomicBool::new(false);
    let mut heard = Vec::new();
    let reply = block_on(p.ask(&prompt(), Mode::Stream, &cancel, &mut |h| heard.push(h)))
        .unwrap()
        .unwrap();
    assert_eq!(reply.output, json!({ "proposals": proposals() }));
    assert_eq!(reply.stop_reason.as_deref(), Some("tool_use"));
    assert_eq!(reply.usage.input_tokens, 1200);
    assert_eq!(reply.usage.cache_creation_input_tokens, 2000);
    assert_eq!(
        reply.usage.output_tokens, 350,
        "output tokens come from message_delta"
    );
    assert_eq!(server.requests()[0].json()["stream"], true);
}

#[test]
fn an_error_event_mid_stream_is_retried_like_the_same_status() {
    let input = json!({ "proposals": proposals() });
    let server = Server::start(move |_, n| {
        if n == 0 {
            let mut a = Answer::sse(&[
                (
                    "message_start",
                    json!({"type": "message_start", "message": message(json!({}), usage(5, 0, 0, 1))}),
                ),
                (
                    "error",
                    json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
                ),
            ]);
            a.pause = Duration::ZERO;
            a
        } else {
            stream_events(&input, usage(10, 0, 0, 1), 20)
        }
    });
    let p = provider(ProviderKind::Anthropic, &server);
    let reply = ask(&p, Mode::Stream).unwrap();
    assert_eq!(reply.output["proposals"][0]["op"], "add");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn count_tokens_budgets_the_prompt() {
    let server = Server::start(anthropic(proposals()));
    let p = provider(ProviderKind::Anthropic, &server);
    let cancel = AtomicBool::new(false);
    let n = block_on(p.count_tokens(&prompt(), &cancel))
        .unwrap()
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.path, "/v1/messages/count_tokens");
    assert!(r.json().get("max_tokens").is_none());
    assert_eq!(n, r.body.len() as u64 / 4);
}

#[test]
fn message_batches_create_poll_and_match_results_by_custom_id() {
    let server = Server::start(anthropic(proposals()));
    let p = provider(ProviderKind::Anthropic, &server);
    let reply = ask(&p, Mode::Batch).unwrap();
    assert_eq!(reply.output, json!({ "proposals": proposals() }));
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        paths,
        [
            "POST /v1/messages/batches",
            "GET /v1/messages/batches/msgbatch_01",
            "GET /v1/messages/batches/msgbatch_01",
            "GET /v1/messages/batches/msgbatch_01/results"
        ]
    );
    let create = server.requests()[0].json();
    assert_eq!(create["requests"][0]["custom_id"], "dream");
    assert_eq!(
        create["requests"][0]["params"]["model"],
        "claude-sonnet-4-5"
    );
}

#[test]
fn rate_limits_are_retried_after_the_time_the_server_asks() {
    let ok = message(json!({"proposals": []}), usage(1, 0, 0, 1));
    let server = Server::start(move |_, n| match n {
        0 => Answer::error(
            429,
            "rate_limit_error",
            "Number of request tokens has exceeded your per-minute rate limit",
        )
        .header("retry-after-ms", "300")
        .header("retry-after", "30"),
        _ => Answer::json(200, ok.clone()),
    });
    let p = provider(ProviderKind::Anthropic, &server);
    let t = Instant::now();
    ask(&p, Mode::Plain).unwrap();
    let waited = t.elapsed();
    assert!(
        waited >= Duration::from_millis(300),
        "retry-after-ms wins over retry-after: {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn overloaded_529_and_408_409_are_retried() {
    let ok = message(json!({"proposals": []}), usage(1, 0, 0, 1));
    let server = Server::start(move |_, n| match n {
        0 => Answer::error(529, "overloaded_error", "Overloaded"),
        1 => Answer::error(408, "timeout_error", "timeout"),
        2 => Answer::error(409, "conflict", "conflict").header("retry-after", "0"),
        _ => Answer::json(200, ok.clone()),
    });
    let p = provider(ProviderKind::Anthropic, &server);
    ask(&p, Mode::Plain).unwrap();
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn server_errors_until_the_attempts_run_out_give_a_readable_failure() {
    let server = Server::start(|_, _| Answer::error(500, "api_error", "Internal server error"));
    let p = provider(ProviderKind::Anthropic, &server);
    let e = ask(&p, Mode::Plain).unwrap_err();
    assert_eq!(e.code(), ErrorCode::ProviderFailed);
    assert_eq!(
        e.to_string(),
        "Anthropic had an internal error (HTTP 500 api_error: Internal server error) (gave up after 4 attempts)"
    );
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_bad_request_is_not_retried() {
    let server =
        Server::start(|_, _| Answer::error(400, "invalid_request_error", "max_tokens: too large"));
    let p = provider(ProviderKind::Anthropic, &server);
    let e = ask(&p, Mode::Plain).unwrap_err();
    assert!(e.to_string().contains("rejected the request"), "{e}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn requests_time_out_and_are_bounded() {
    let server = Server::start(|_, _| Answer::json(200, json!({})).delayed(Duration::from_secs(3)));
    let mut p = provider(ProviderKind::Anthropic, &server);
    p.retry.request_timeout = Duration::from_millis(300);
    p.retry.max_attempts = 2;
    let t = Instant::now();
    let e = ask(&p, Mode::Plain).unwrap_err();
    assert!(e.to_string().contains("did not answer in time"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_refused_key_is_its_own_error_and_not_retried() {
    let server =
        Server::start(|_, _| Answer::error(401, "authentication_error", "invalid x-api-key"));
    let p = provider(ProviderKind::Anthropic, &server);
    let e = ask(&p, Mode::Plain).unwrap_err();
    assert!(matches!(e, Error::KeyRefused));
    assert_eq!(e.to_json().code, ErrorCode::KeyRefused);
    assert_eq!(e.to_string(), "the key was refused; check it in Settings");
    assert_eq!(server.requests().len(), 1);
    let e = p.test(&AtomicBool::new(false)).unwrap_err();
    assert_eq!(e.to_string(), "the key was refused; check it in Settings");
}

#[test]
fn cancel_stops_a_request_in_flight() {
    let server = Server::start(|_, _| Answer::json(200, json!({})).delayed(Duration::from_secs(5)));
    let p = provider(ProviderKind::Anthropic, &server);
    let cancel = Arc::new(AtomicBool::new(false));
    let c = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        c.store(true, Ordering::Relaxed);
    });
    let t = Instant::now();
    let r = block_on(p.ask(&prompt(), Mode::Plain, &cancel, &mut |_| {})).unwrap();
    assert_eq!(
        r.unwrap_err().into_error("Anthropic").code(),
        ErrorCode::Canceled
    );
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn provider_test_gives_a_plain_answer() {
    let server = Server::start(|_, _| {
        Answer::json(
            200,
            json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
            "content": [{"type": "text", "text": "OK"}], "stop_reason": "end_turn", "usage": usage(8, 0, 0, 1)}),
        )
    });
    let p = provider(ProviderKind::Anthropic, &server);
    assert_eq!(
        p.test(&AtomicBool::new(false)).unwrap(),
        "Connected to Anthropic (claude-sonnet-4-5-20250929): OK"
    );
    assert!(server.requests()[0].json().get("tools").is_none());
}

#[test]
fn openai_compatible_servers_get_chat_completions_with_a_json_schema() {
    let content = json!({ "proposals": proposals() }).to_string();
    let server = Server::start(move |_, _| {
        Answer::json(
            200,
            json!({"id": "chatcmpl-1", "object": "chat.completion", "model": "llama3.1",
            "choices": [{"index": 0, "finish_reason": "stop",
                "message": {"role": "assistant", "content": format!("```json\n{content}\n```")}}],
            "usage": {"prompt_tokens": 900, "completion_tokens": 120, "total_tokens": 1020,
                "prompt_tokens_details": {"cached_tokens": 512}}}),
        )
    });
    let p = provider(ProviderKind::Openai, &server);
    // Asked to stream, a server that answers in one piece is read all the same.
    let reply = ask(&p, Mode::Stream).unwrap();
    assert_eq!(reply.output, json!({ "proposals": proposals() }));
    assert_eq!(server.requests()[0].json()["stream"], true);
    assert_eq!(reply.usage.total_input(), 900);
    assert_eq!(reply.usage.cache_read_input_tokens, 512);
    let r = &server.requests()[0];
    // Like the official SDK: the base URL carries /v1, the path is /chat/completions.
    assert_eq!(r.path, "/v1/chat/completions");
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    let b = r.json();
    assert_eq!(b["response_format"]["type"], "json_schema");
    assert_eq!(b["response_format"]["json_schema"]["strict"], true);
    assert_eq!(b["messages"][0]["role"], "system");
}

#[test]
fn openai_error_bodies_and_rate_limits() {
    let server = Server::start(|_, n| {
        match n {
        0 => Answer::json(429, json!({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}))
            .header("retry-after", "0.05"),
        _ => Answer::json(404, json!({"error": {"message": "model 'llama9' not found", "type": "not_found_error"}})),
    }
    });
    let p = provider(ProviderKind::Openai, &server);
    let e = ask(&p, Mode::Plain).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the OpenAI-compatible server does not know that model or address (HTTP 404 not_found_error: model 'llama9' not found)"
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_redirect_is_never_followed_with_the_key() {
    let elsewhere = Server::start(anthropic(proposals()));
    let target = format!("{}/v1/messages", elsewhere.addr);
    let server =
        Server::start(move |_, _| Answer::json(307, json!({})).header("location", &target));
    let p = provider(ProviderKind::Anthropic, &server);
    let err = ask(&p, Mode::Plain).unwrap_err();
    assert!(err.to_string().contains("redirect"), "{err}");
    assert!(
        elsewhere.requests().is_empty(),
        "the redirect was followed: {:?}",
        elsewhere.requests()
    );
    assert_eq!(server.requests().len(), 1, "a redirect is not retried");
}

#[test]
fn key_shaped_text_in_a_stream_error_or_a_batch_result_is_never_repeated() {
    let other = "sk-ant-api03-SOMEONE-ELSES-KEY-0123456789";
    let server = Server::start(move |req, _| {
        if req.path == "/v1/messages" {
            let mut a = Answer::sse(&[(
                "error",
                json!({"type": "error", "error": {"type": "invalid_request_error",
                       "message": format!("bad key {KEY}, also tried {other}")}}),
            )]);
            a.pause = Duration::ZERO;
            a
        } else {
            Answer::error(404, "not_found_error", "no")
        }
    });
    let p = provider(ProviderKind::Anthropic, &server);
    let err = ask(&p, Mode::Stream).unwrap_err().to_string();
    assert!(!err.contains(KEY) && !err.contains(other), "{err}");
    assert!(err.contains("[redacted]"), "{err}");

    let base = server.addr.clone();
    let batches = Server::start(
        move |req, _| match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/v1/messages/batches") => Answer::json(
                200,
                batch("msgbatch_9", "ended", Some(&format!("{base}/r"))),
            ),
            _ => Answer::text(
                200,
                "application/binary",
                &json!({"custom_id": "dream", "result": {"type": "errored",
                "error": {"type": "error", "error": {"type": "invalid_request_error",
                "message": format!("the key {other} is not allowed")}}}})
                .to_string(),
            ),
        },
    );
    let p2 = provider(ProviderKind::Anthropic, &batches);
    let err = ask(&p2, Mode::Batch).unwrap_err().to_string();
    assert!(!err.contains(other), "{err}");
}

#[test]
fn a_retry_after_past_the_cap_ends_the_attempts_at_once() {
    let server = Server::start(|_, _| {
        Answer::error(429, "rate_limit_error", "slow down").header("retry-after", "3600")
    });
    let p = provider(ProviderKind::Anthropic, &server);
    let err = ask(&p, Mode::Plain).unwrap_err().to_string();
    assert_eq!(server.requests().len(), 1, "it asked too early");
    assert!(err.contains("60 minutes"), "{err}");
}

#[test]
fn counting_tokens_is_one_attempt() {
    let server = Server::start(|_, _| Answer::error(500, "api_error", "boom"));
    let p = provider(ProviderKind::Anthropic, &server);
    let cancel = AtomicBool::new(false);
    assert!(block_on(p.count_tokens(&prompt(), &cancel))
        .unwrap()
        .is_err());
    assert_eq!(server.requests().len(), 1, "count_tokens was retried");
}

#[test]
fn test_connection_answers_within_20_seconds_when_the_server_hangs() {
    let server =
        Server::start(|_, _| Answer::json(200, json!({})).delayed(Duration::from_secs(120)));
    let mut p = provider(ProviderKind::Anthropic, &server);
    p.retry = RetryPolicy::default();
    let started = std::time::Instant::now();
    let err = p.test(&AtomicBool::new(false)).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}: {err}",
        started.elapsed()
    );
}
