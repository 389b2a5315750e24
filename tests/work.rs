//! Working with the agent (issue 11), on a real SQLite file with the production clients against
//! a loopback stand-in of both APIs: a chat turn sends exactly the preview's memory text and
//! no other client's entries, a continued session sends its history, a stopped answer keeps
//! what arrived, a 429 mid-conversation is retried, a refused key says so; feedback and tags
//! given in the app survive re-imports, and in-app revisions become a dream's evidence.

mod common;
mod llm_server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use llm_server::{anthropic_text_stream, openai_text_stream, Answer, Request, Server};
use reverie::api::sessions::{FeedbackChange, Sessions};
use reverie::api::{self, work};
use reverie::llm::provider::{self, ProviderConfig, ProviderKind};
use reverie::llm::Heard;
use reverie::model::{AgentPatch, Role, Scope, Verdict};
use reverie::{ErrorCode, Result};
use rusqlite::Connection;
use serde_json::Value;

const KEY: &str = "sk-ant-api03-WORKTEST-0b1c2d3e4f5a6b7c8d9e-NEVER-LEAK";
const AGENT: &str = "social-drafts";

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    t("2026-11-24T08:00:00Z")
}

fn scope(pairs: &[(&str, &str)]) -> Scope {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// An agent with a system prompt and memory for two clients, talking to `server`.
fn setup(server: &Server, kind: ProviderKind) -> (tempfile::TempDir, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("work.db")).unwrap();
    api::agents::create(&mut conn, AGENT, Some("Social drafts"), now()).unwrap();
    api::agents::update(
        &conn,
        AGENT,
        &AgentPatch {
            system_prompt: Some("You draft social posts for small shops.".into()),
            ..Default::default()
        },
        now(),
    )
    .unwrap();
    for (content, sc) in [
        ("Never use exclamation marks.", scope(&[])),
        (
            "Harbour Tea posts end with #SlowTea.",
            scope(&[("client", "Harbour Tea")]),
        ),
        (
            "Fernwood Cycles posts sign off as Tom.",
            scope(&[("client", "Fernwood Cycles")]),
        ),
    ] {
        api::memory::add(&mut conn, AGENT, content, sc, now()).unwrap();
    }
    connect(&conn, server, kind);
    (dir, conn)
}

fn connect(conn: &Connection, server: &Server, kind: ProviderKind) {
    provider::save(
        conn,
        &ProviderConfig {
            kind,
            base_url: Some(match kind {
                ProviderKind::Anthropic => server.addr.clone(),
                ProviderKind::Openai => format!("{}/v1", server.addr),
            }),
            model: None,
            use_batches: false,
        },
    )
    .unwrap();
    let base = match kind {
        ProviderKind::Anthropic => server.addr.clone(),
        ProviderKind::Openai => format!("{}/v1", server.addr),
    };
    provider::use_key_in_process(kind, &base, reverie::secret::Secret::new(KEY));
}

fn ask(
    conn: &mut Connection,
    session: Option<&str>,
    tags: Scope,
    text: &str,
) -> Result<work::Turn> {
    ask_at(
        conn,
        session,
        tags,
        text,
        now(),
        &AtomicBool::new(false),
        &mut |_| {},
    )
}

fn ask_at(
    conn: &mut Connection,
    session: Option<&str>,
    tags: Scope,
    text: &str,
    at: DateTime<Utc>,
    cancel: &AtomicBool,
    heard: &mut (dyn FnMut(Heard) + Send),
) -> Result<work::Turn> {
    let req = work::TurnRequest {
        agent: AGENT.into(),
        session: session.map(str::to_string),
        tags,
        text: text.into(),
    };
    work::turn(conn, &req, || at, cancel, heard)
}

/// The system text a request carried, for either API.
fn system_of(r: &Request) -> String {
    let v = r.json();
    if let Some(blocks) = v["system"].as_array() {
        return blocks
            .iter()
            .map(|b| b["text"].as_str().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
    }
    v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "system")
        .map(|m| m["content"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The conversation a request carried (without the system message), as (role, text).
fn turns_of(r: &Request) -> Vec<(String, String)> {
    r.json()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] != "system")
        .map(|m| {
            (
                m["role"].as_str().unwrap().to_string(),
                m["content"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn chat_server(kind: ProviderKind, pieces: &'static [&'static str]) -> Server {
    Server::start(move |req, _| match (kind, req.path.as_str()) {
        (ProviderKind::Anthropic, "/v1/messages") => {
            assert_eq!(req.json()["stream"], Value::Bool(true));
            anthropic_text_stream(pieces, Duration::from_millis(2))
        }
        (ProviderKind::Openai, "/v1/chat/completions") => {
            assert_eq!(req.json()["stream"], Value::Bool(true));
            openai_text_stream(pieces, Duration::from_millis(2))
        }
        _ => Answer::error(404, "not_found_error", "no such route"),
    })
}

const ANSWER: &[&str] = &[
    "Autumn Ember ",
    "is here: smoked tea, ",
    "apple and clove. #SlowTea",
];

fn chat_turn_sends_exactly_the_preview(kind: ProviderKind) {
    let server = chat_server(kind, ANSWER);
    let (_dir, mut conn) = setup(&server, kind);
    let tags = scope(&[("client", "Harbour Tea")]);
    let preview = api::memory::prompt(&conn, AGENT, &tags).unwrap();
    assert_eq!(preview.used.len(), 2, "team-wide plus Harbour Tea's own");

    let pieces = Mutex::new(Vec::new());
    let turn = ask_at(
        &mut conn,
        None,
        tags.clone(),
        "Draft a post for the Autumn Ember launch.",
        now(),
        &AtomicBool::new(false),
        &mut |h| {
            if let Heard::Text(t) = h {
                pieces.lock().unwrap().push(t);
            }
        },
    )
    .unwrap();

    // Streamed as it arrived, and saved whole.
    assert_eq!(pieces.into_inner().unwrap(), ANSWER);
    assert_eq!(turn.answer, ANSWER.concat());
    assert!(!turn.stopped);
    assert_eq!(turn.message, 1);
    assert_eq!(turn.memory, preview);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let system = system_of(&requests[0]);
    assert_eq!(
        system,
        format!(
            "You draft social posts for small shops.\n\n{}",
            preview.text
        ),
        "the agent's prompt, then byte for byte the preview's memory text"
    );
    assert!(system.contains("#SlowTea") && system.contains("exclamation"));
    assert!(
        !system.contains("Fernwood"),
        "never another client's memory"
    );
    assert_eq!(
        turns_of(&requests[0]),
        vec![(
            "user".to_string(),
            "Draft a post for the Autumn Ember launch.".to_string()
        )]
    );

    // A normal session: tagged, listed, readable.
    let s = api::sessions::get(&conn, AGENT, &turn.session).unwrap();
    assert_eq!(s.summary.tags, tags);
    assert_eq!(s.source, "chat");
    assert_eq!(s.messages.len(), 2);
    assert_eq!(s.messages[1].role, Role::Assistant);
    assert_eq!(s.messages[1].content, ANSWER.concat());

    // Continued: the whole history goes, and the session keeps its own tags.
    let next = ask(
        &mut conn,
        Some(&turn.session),
        Scope::new(),
        "Shorter, please.",
    )
    .unwrap();
    assert_eq!(next.session, turn.session);
    assert_eq!(next.message, 3);
    let r = &server.requests()[1];
    assert_eq!(
        turns_of(r),
        vec![
            (
                "user".to_string(),
                "Draft a post for the Autumn Ember launch.".to_string()
            ),
            ("assistant".to_string(), ANSWER.concat()),
            ("user".to_string(), "Shorter, please.".to_string()),
        ]
    );
    assert!(system_of(r).contains("#SlowTea"));
    assert!(!system_of(r).contains("Fernwood"));
}

#[test]
fn anthropic_chat_turn_sends_exactly_the_preview_and_the_history() {
    chat_turn_sends_exactly_the_preview(ProviderKind::Anthropic);
}

#[test]
fn openai_compatible_chat_turn_sends_exactly_the_preview_and_the_history() {
    chat_turn_sends_exactly_the_preview(ProviderKind::Openai);
}

#[test]
fn memory_off_means_no_memory_in_the_prompt() {
    let server = chat_server(ProviderKind::Anthropic, ANSWER);
    let (_dir, mut conn) = setup(&server, ProviderKind::Anthropic);
    api::agents::update(
        &conn,
        AGENT,
        &AgentPatch {
            memory_enabled: Some(false),
            ..Default::default()
        },
        now(),
    )
    .unwrap();
    let tags = scope(&[("client", "Harbour Tea")]);
    let preview = api::memory::prompt(&conn, AGENT, &tags).unwrap();
    assert!(preview.text.is_empty() && preview.used.is_empty());
    assert!(preview.note.contains("off"), "{}", preview.note);
    let turn = ask(&mut conn, None, tags, "Draft a post.").unwrap();
    assert!(turn.memory.used.is_empty());
    assert_eq!(
        system_of(&server.requests()[0]),
        "You draft social posts for small shops."
    );
}

fn stop_keeps_what_arrived(kind: ProviderKind) {
    // A slow model: each piece a second apart.
    let server = Server::start(move |req, _| match req.path.as_str() {
        "/v1/messages" => anthropic_text_stream(
            &["First part. ", "Second part. ", "Third part."],
            Duration::from_secs(1),
        ),
        "/v1/chat/completions" => openai_text_stream(
            &["First part. ", "Second part. ", "Third part."],
            Duration::from_secs(1),
        ),
        _ => Answer::error(404, "not_found_error", "no such route"),
    });
    let (_dir, mut conn) = setup(&server, kind);
    let cancel = AtomicBool::new(false);
    let started = std::time::Instant::now();
    let turn = ask_at(
        &mut conn,
        None,
        Scope::new(),
        "Write three parts.",
        now(),
        &cancel,
        &mut |h| {
            if matches!(h, Heard::Text(ref t) if t.contains("First")) {
                cancel.store(true, Ordering::Relaxed);
            }
        },
    )
    .unwrap();
    assert!(turn.stopped);
    assert_eq!(turn.answer, "First part. ");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "stopped at once"
    );
    let s = api::sessions::get(&conn, AGENT, &turn.session).unwrap();
    assert_eq!(s.messages.len(), 2);
    assert!(s.messages[1].stopped);
    assert_eq!(s.messages[1].content, "First part. ");
}

#[test]
fn anthropic_stop_mid_stream_keeps_what_arrived_and_marks_it_stopped() {
    stop_keeps_what_arrived(ProviderKind::Anthropic);
}

#[test]
fn openai_stop_mid_stream_keeps_what_arrived_and_marks_it_stopped() {
    stop_keeps_what_arrived(ProviderKind::Openai);
}

fn rate_limited_then_answers(kind: ProviderKind) {
    // The second turn's first attempt is rate limited; the retry answers.
    let server = Server::start(move |req, i| {
        if i == 1 {
            return match kind {
                ProviderKind::Anthropic => {
                    Answer::error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
                        .header("retry-after", "1")
                }
                ProviderKind::Openai => Answer::json(
                    429,
                    serde_json::json!({"error": {"message": "Rate limit reached", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}),
                )
                .header("retry-after", "1"),
            };
        }
        match req.path.as_str() {
            "/v1/messages" => anthropic_text_stream(ANSWER, Duration::from_millis(1)),
            _ => openai_text_stream(ANSWER, Duration::from_millis(1)),
        }
    });
    let (_dir, mut conn) = setup(&server, kind);
    let first = ask(&mut conn, None, Scope::new(), "Draft a post.").unwrap();
    let second = ask(&mut conn, Some(&first.session), Scope::new(), "Again.").unwrap();
    assert_eq!(second.answer, ANSWER.concat());
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        turns_of(&server.requests()[2]).len(),
        3,
        "the retry carries the same history"
    );
}

#[test]
fn anthropic_rate_limit_mid_conversation_is_retried() {
    rate_limited_then_answers(ProviderKind::Anthropic);
}

#[test]
fn openai_rate_limit_mid_conversation_is_retried() {
    rate_limited_then_answers(ProviderKind::Openai);
}

#[test]
fn a_refused_key_says_so_and_the_message_waits_to_be_asked_again() {
    let refuse = std::sync::Arc::new(AtomicBool::new(true));
    let r = refuse.clone();
    let server = Server::start(move |_, _| {
        if r.load(Ordering::Relaxed) {
            Answer::error(401, "authentication_error", "invalid x-api-key")
        } else {
            anthropic_text_stream(ANSWER, Duration::from_millis(1))
        }
    });
    let (_dir, mut conn) = setup(&server, ProviderKind::Anthropic);
    let err = ask(&mut conn, None, Scope::new(), "Draft a post.").unwrap_err();
    assert_eq!(err.code(), ErrorCode::KeyRefused);
    let message = err.to_json().message;
    assert!(message.contains("refused"), "{message}");
    assert!(!message.contains(KEY), "the key never appears in an error");
    assert_eq!(server.requests().len(), 1, "a refused key is not retried");

    // The person's message was saved; asking again with no text answers it.
    let page = api::sessions::list(&conn, AGENT, &Default::default()).unwrap();
    let id = page.sessions[0].id.clone();
    let s = api::sessions::get(&conn, AGENT, &id).unwrap();
    assert_eq!(s.messages.len(), 1);
    refuse.store(false, Ordering::Relaxed);
    let turn = ask(&mut conn, Some(&id), Scope::new(), "").unwrap();
    assert_eq!(turn.message, 1);
    let s = api::sessions::get(&conn, AGENT, &id).unwrap();
    assert_eq!(
        s.messages.len(),
        2,
        "asked again, not a second copy of the message"
    );
}

#[test]
fn without_a_provider_nothing_is_sent_or_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("work.db")).unwrap();
    api::agents::create(&mut conn, AGENT, None, now()).unwrap();
    let err = ask(&mut conn, None, Scope::new(), "Draft a post.").unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoProvider);
    let page = api::sessions::list(&conn, AGENT, &Default::default()).unwrap();
    assert!(page.sessions.is_empty());
    // Everything else works without one: the preview, feedback, tags.
    assert!(api::memory::prompt(&conn, AGENT, &Scope::new()).is_ok());
}

fn import(conn: &mut Connection, path: &std::path::Path) {
    let opts = reverie::import::ImportOptions::default();
    reverie::import::import_file(conn, path, &opts, now(), &mut |_| {}).unwrap();
}

#[test]
fn feedback_comments_and_tags_given_in_the_app_survive_re_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("work.db")).unwrap();
    // A copy, so the test can import "the same file" again.
    let file = dir.path().join("sessions.jsonl");
    std::fs::copy(common::fixture("sessions.jsonl"), &file).unwrap();
    import(&mut conn, &file);

    // s-0002 has an imported "revised"; the person overrules it. s-0001's is cleared.
    let s = api::sessions::feedback(
        &mut conn,
        AGENT,
        "s-0002",
        &FeedbackChange {
            message: 1,
            verdict: Some(Verdict::Rejected),
            final_text: None,
            comment: Some("wrong shop hours".into()),
        },
    )
    .unwrap();
    assert_eq!(s.feedback[0].verdict, Verdict::Rejected);
    assert_eq!(s.judged_here, vec![1]);
    api::sessions::feedback(
        &mut conn,
        AGENT,
        "s-0001",
        &FeedbackChange {
            message: 1,
            verdict: None,
            final_text: None,
            comment: None,
        },
    )
    .unwrap();
    api::sessions::comment(&conn, AGENT, "s-0003", Some("A good one to copy.")).unwrap();
    let files = api::sessions::files(&conn, AGENT).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].sessions, 24);
    let n = api::sessions::tag(
        &mut conn,
        AGENT,
        &Sessions::File(files[0].path.clone()),
        "channel",
        Some("instagram"),
    )
    .unwrap();
    assert_eq!(n, 24);
    // Remove an imported tag from one session.
    api::sessions::tag(
        &mut conn,
        AGENT,
        &Sessions::Ids(vec!["s-0004".into()]),
        "client",
        None,
    )
    .unwrap();

    import(&mut conn, &file);

    let s2 = api::sessions::get(&conn, AGENT, "s-0002").unwrap();
    assert_eq!(s2.feedback.len(), 1);
    assert_eq!(
        s2.feedback[0].verdict,
        Verdict::Rejected,
        "the person's verdict wins"
    );
    assert_eq!(s2.feedback[0].comment.as_deref(), Some("wrong shop hours"));
    let s1 = api::sessions::get(&conn, AGENT, "s-0001").unwrap();
    assert!(s1.feedback.is_empty(), "a cleared verdict stays cleared");
    assert_eq!(s1.summary.revised, 0);
    let s3 = api::sessions::get(&conn, AGENT, "s-0003").unwrap();
    assert_eq!(s3.comment.as_deref(), Some("A good one to copy."));
    assert_eq!(
        s3.summary.tags.get("channel").map(String::as_str),
        Some("instagram")
    );
    let s4 = api::sessions::get(&conn, AGENT, "s-0004").unwrap();
    assert!(
        !s4.summary.tags.contains_key("client"),
        "a removed tag stays removed"
    );
    assert_eq!(
        s4.summary.tags.get("channel").map(String::as_str),
        Some("instagram")
    );
    // Sessions filter by the tag given in the app.
    let filter = reverie::model::SessionFilter {
        scope_key: Some("channel".into()),
        scope_value: Some("instagram".into()),
        ..Default::default()
    };
    assert_eq!(
        api::sessions::list(&conn, AGENT, &filter)
            .unwrap()
            .sessions
            .len(),
        24
    );
}

#[test]
fn feedback_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("work.db")).unwrap();
    import(&mut conn, &common::fixture("sessions.jsonl"));
    let change = |message, verdict, final_text: Option<&str>| FeedbackChange {
        message,
        verdict,
        final_text: final_text.map(str::to_string),
        comment: None,
    };
    let field = |r: Result<reverie::model::Session>| r.unwrap_err().to_json().field;
    // The person's own message is not an answer.
    let e = field(api::sessions::feedback(
        &mut conn,
        AGENT,
        "s-0002",
        &change(0, Some(Verdict::Accepted), None),
    ));
    assert_eq!(e.as_deref(), Some("message"));
    let e = field(api::sessions::feedback(
        &mut conn,
        AGENT,
        "s-0002",
        &change(9, Some(Verdict::Accepted), None),
    ));
    assert_eq!(e.as_deref(), Some("message"));
    // Revised needs the text used instead, and one that differs.
    let e = field(api::sessions::feedback(
        &mut conn,
        AGENT,
        "s-0002",
        &change(1, Some(Verdict::Revised), None),
    ));
    assert_eq!(e.as_deref(), Some("final_text"));
    let s = api::sessions::get(&conn, AGENT, "s-0002").unwrap();
    let same = s.messages[1].content.clone();
    let e = field(api::sessions::feedback(
        &mut conn,
        AGENT,
        "s-0002",
        &change(1, Some(Verdict::Revised), Some(&same)),
    ));
    assert_eq!(e.as_deref(), Some("final_text"));
    // Nothing was half-written: the imported verdict is still there.
    let s = api::sessions::get(&conn, AGENT, "s-0002").unwrap();
    assert_eq!(s.feedback[0].verdict, Verdict::Revised);
    assert!(s.judged_here.is_empty());
    let e = api::sessions::feedback(
        &mut conn,
        AGENT,
        "nope",
        &change(1, Some(Verdict::Accepted), None),
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
}

#[test]
fn revisions_given_in_the_app_become_a_dreams_evidence() {
    // The model keeps writing exclamation marks; the person fixes each answer in the app.
    let server = chat_server(
        ProviderKind::Anthropic,
        &[
            "Big news! Autumn Ember is here! ",
            "Smoked tea, apple and clove!",
        ],
    );
    let (_dir, mut conn) = setup(&server, ProviderKind::Anthropic);
    // No memory yet, so nothing already says it.
    for e in api::memory::list(&conn, AGENT).unwrap() {
        api::memory::delete(&mut conn, AGENT, e.id, now()).unwrap();
    }
    let dream = |conn: &mut Connection, at: DateTime<Utc>| {
        let begun = reverie::dreaming::begin(
            conn,
            &reverie::dreaming::DreamRequest {
                agent: AGENT.into(),
                window_days: Some(14),
                trigger: reverie::model::Trigger::Manual,
            },
            at,
        )
        .unwrap()
        .offline();
        reverie::dreaming::run(conn, &begun, at, &AtomicBool::new(false), &mut |_| {}).unwrap()
    };
    let mut ids = Vec::new();
    for day in 0..4 {
        let at = t("2026-11-16T09:00:00Z") + chrono::Duration::days(day);
        let turn = ask_at(
            &mut conn,
            None,
            scope(&[("client", "Harbour Tea")]),
            "Draft a launch post for Autumn Ember.",
            at,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .unwrap();
        ids.push(turn.session);
    }
    // Without a verdict the chats teach nothing about exclamation marks.
    let before = dream(&mut conn, t("2026-11-20T12:00:00Z"));
    assert!(
        !before
            .proposals
            .iter()
            .any(|p| p.content.to_lowercase().contains("exclamation")),
        "{:#?}",
        before.proposals
    );
    for id in &ids {
        api::sessions::feedback(
            &mut conn,
            AGENT,
            id,
            &FeedbackChange {
                message: 1,
                verdict: Some(Verdict::Revised),
                final_text: Some("Autumn Ember is here. Smoked tea, apple and clove.".into()),
                comment: None,
            },
        )
        .unwrap();
    }
    let after = dream(&mut conn, t("2026-11-20T13:00:00Z"));
    let p = after
        .proposals
        .iter()
        .find(|p| p.content.to_lowercase().contains("exclamation"))
        .unwrap_or_else(|| {
            panic!(
                "no proposal about exclamation marks: {:#?}",
                after.proposals
            )
        });
    let cited: std::collections::BTreeSet<_> =
        p.evidence.iter().map(|e| e.session_id.clone()).collect();
    assert!(cited.iter().all(|id| ids.contains(id)), "{cited:?}");
    assert!(
        p.support >= 3 && p.support_days >= 3,
        "{} sessions, {} days",
        p.support,
        p.support_days
    );
}
