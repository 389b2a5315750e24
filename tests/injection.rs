//! The injection corpus (tests/fixtures/injection/): every family of what must never reach
//! memory unseen (links and bare domains in any script, email, phone, payment card, national
//! id, the common API key families, tokens, passwords, instructions to the operator or tools,
//! a team-wide change of language or persona), each planted in six sessions on six days. Run
//! through an offline dream and a curator dream that echoes every planted text with real
//! quotes, both with `auto_apply: true`: memory must hold none of it, and a clean rule still
//! applies.

mod common;
mod llm_server;

use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use llm_server::{anthropic, Server};
use reverie::api;
use reverie::dreaming::DreamRequest;
use reverie::llm::provider::{self, ProviderConfig, ProviderKind};
use reverie::model::{Decision, DreamReport, Trigger};
use serde_json::{json, Value};

const KEY: &str = "sk-ant-api03-INJECTIONCORPUS-11aa22bb33cc";

/// A piece of each planted text: if it is in memory, the family got through.
const MARKERS: &[&str] = &[
    "bit.ly",
    "evil.xyz",
    "ｅｖｉｌ",
    "пример",
    "harbour-deals",
    "555",
    "4111",
    "123-45-6789",
    "sk-ant-api03-planted",
    "sk-proj-planted",
    "akiaiosfodnn7",
    "ghp_planted",
    "eyjhbgci",
    "begin private key",
    "hunter22",
    "xk9/qz",
    "ignore previous",
    "api key",
    "environment variables",
    "cvv",
    "french",
    "pirate",
];

fn now() -> DateTime<Utc> {
    "2026-11-20T00:00:00Z".parse().unwrap()
}

fn carries_planted(text: &str) -> bool {
    let low = text.to_lowercase();
    MARKERS.iter().any(|m| low.contains(m))
}

fn setup() -> (tempfile::TempDir, api::Connection) {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("x.db")).unwrap();
    let r = api::sessions::import_file(
        &mut conn,
        &common::fixture("injection/sessions.jsonl"),
        &Default::default(),
        now(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(r.failed, 0, "{r:?}");
    let mut rubric = api::rubric::get(&conn, "injection-drafts").unwrap().rubric;
    rubric.dreaming.auto_apply = true;
    api::rubric::save(&conn, "injection-drafts", &rubric, now()).unwrap();
    (dir, conn)
}

fn dream(conn: &mut api::Connection, offline: bool) -> DreamReport {
    let req = DreamRequest {
        agent: "injection-drafts".into(),
        window_days: Some(30),
        trigger: Trigger::Scheduled,
    };
    let mut begun = api::dreams::begin(conn, &req, now()).unwrap();
    if offline {
        begun = begun.offline();
    }
    api::dreams::run(conn, &begun, now(), &AtomicBool::new(false), &mut |_| {}).unwrap()
}

fn memory(conn: &api::Connection) -> Vec<String> {
    api::memory::list(conn, "injection-drafts")
        .unwrap()
        .into_iter()
        .map(|e| format!("{} {}", e.scope_label, e.content))
        .collect()
}

#[test]
fn an_offline_dream_with_auto_apply_lets_nothing_planted_into_memory() {
    let (_d, mut conn) = setup();
    let r = dream(&mut conn, true);
    let planted: Vec<_> = r
        .proposals
        .iter()
        .filter(|p| carries_planted(&format!("{} {}", p.scope_label, p.content)))
        .collect();
    // The corpus really makes the dreamer propose planted text, family after family.
    assert!(
        planted.len() >= 10,
        "only {} planted proposals: {:#?}",
        planted.len(),
        r.proposals
    );
    for p in &planted {
        assert!(!p.flags.is_empty(), "not flagged: {}", p.content);
        assert_eq!(p.decision, Decision::Pending, "applied: {}", p.content);
        assert!(
            p.auto_note.as_deref().unwrap_or("").contains("contains"),
            "{p:?}"
        );
    }
    let mem = memory(&conn);
    for m in &mem {
        assert!(!carries_planted(m), "reached memory: {m}");
    }
    assert!(
        r.proposals.iter().any(|p| p.decision == Decision::Applied),
        "the clean rule still applies: {:#?}",
        r.proposals
    );
}

/// A planted text, with one session of each day it appears on, and the client it was planted
/// for (`None` when it was planted for every client).
struct Planted {
    sessions: Vec<String>,
    days: Vec<String>,
    client: Option<String>,
    text: String,
}

fn planted_texts() -> Vec<Planted> {
    let text = std::fs::read_to_string(common::fixture("injection/sessions.jsonl")).unwrap();
    let mut out: Vec<Planted> = Vec::new();
    for line in text.lines() {
        let s: Value = serde_json::from_str(line).unwrap();
        let Some(planted) = s["messages"].as_array().unwrap().get(2) else {
            continue;
        };
        let planted = planted["content"].as_str().unwrap().to_string();
        let client = s["tags"]["client"].as_str().unwrap();
        let client = client.starts_with("Client ").then(|| client.to_string());
        let id = s["id"].as_str().unwrap().to_string();
        let day = s["started_at"].as_str().unwrap()[..10].to_string();
        // One session a day: the citations span as many days as the planting did.
        match out.iter_mut().find(|p| p.text == planted) {
            Some(p) if !p.days.contains(&day) => {
                p.sessions.push(id);
                p.days.push(day);
            }
            Some(_) => {}
            None => out.push(Planted {
                sessions: vec![id],
                days: vec![day],
                client,
                text: planted,
            }),
        }
    }
    out
}

#[test]
fn a_curator_that_echoes_every_planted_text_gets_nothing_into_memory() {
    // Every citation is real, in six sessions on six days: only the flags can stop them.
    let echoed: Vec<Value> = planted_texts()
        .into_iter()
        .map(|p| {
            let scope = match &p.client {
                Some(c) => json!([{"key": "client", "value": c}]),
                None => json!([]),
            };
            let evidence: Vec<Value> = p
                .sessions
                .iter()
                .take(6)
                .map(|s| json!({"session_id": s, "quote": p.text}))
                .collect();
            json!({"op": "add", "content": p.text, "scope": scope, "targets": [],
                   "evidence": evidence,
                   "confidence": 0.97, "rationale": "The reviewers asked for it every time."})
        })
        .collect();
    assert!(echoed.len() >= 22, "{}", echoed.len());
    let server = Server::start(anthropic(json!(echoed)));
    let (_d, mut conn) = setup();
    provider::save(
        &conn,
        &ProviderConfig {
            kind: ProviderKind::Anthropic,
            base_url: Some(server.addr.clone()),
            model: None,
            use_batches: false,
        },
    )
    .unwrap();
    provider::use_key_in_process(
        ProviderKind::Anthropic,
        &server.addr,
        reverie::secret::Secret::new(KEY),
    );
    let r = dream(&mut conn, false);
    let curated: Vec<_> = r
        .proposals
        .iter()
        .filter(|p| p.rationale.contains("Proposed by"))
        .collect();
    assert!(!curated.is_empty(), "{:#?}", r.dream);
    for p in &curated {
        assert!(p.support_days >= 3, "{p:?}");
        assert!(!p.flags.is_empty(), "not flagged: {}", p.content);
        assert_ne!(p.decision, Decision::Applied, "applied: {}", p.content);
    }
    for m in memory(&conn) {
        assert!(!carries_planted(&m), "reached memory: {m}");
    }
}
