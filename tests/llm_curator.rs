//! The curator inside a real dream (a SQLite file, the production clients, a loopback server):
//! citations are checked and the failures counted in the notes, tier 1 and tier 2 merge
//! without duplicates, model / tokens / cost are recorded, and a failing, refused or canceled
//! curator leaves memory untouched.

mod common;
mod llm_server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use llm_server::{anthropic, Answer, Server};
use reverie::dreaming::{self, DreamRequest};
use reverie::llm::provider::{self, ProviderConfig, ProviderKind};
use reverie::model::{DreamReport, DreamStatus, Trigger};
use reverie::store::db;
use reverie::store::{agents, memory};
use reverie::Error;
use rusqlite::Connection;
use serde_json::{json, Value};

const KEY: &str = "sk-ant-api03-CURATORTEST-0b1c2d3e4f5a6b7c-NEVER-LEAK";

fn now() -> DateTime<Utc> {
    "2026-11-24T08:00:00Z".parse().unwrap()
}

fn setup(server: &Server, use_batches: bool) -> (tempfile::TempDir, Connection) {
    // Every test sets the same value, so tests running in parallel agree.
    std::env::set_var("REVERIE_BATCH_POLL_MS", "20");
    let dir = tempfile::tempdir().unwrap();
    let mut conn = db::open(&dir.path().join("x.db")).unwrap();
    let opts = reverie::import::ImportOptions::default();
    reverie::import::import_file(
        &mut conn,
        &common::fixture("sessions.jsonl"),
        &opts,
        now(),
        &mut |_| {},
    )
    .unwrap();
    provider::save(
        &conn,
        &ProviderConfig {
            kind: ProviderKind::Anthropic,
            base_url: Some(server.addr.clone()),
            model: None,
            use_batches,
        },
    )
    .unwrap();
    provider::use_key_in_process(
        ProviderKind::Anthropic,
        &server.addr,
        reverie::secret::Secret::new(KEY),
    );
    (dir, conn)
}

fn dream(conn: &mut Connection, trigger: Trigger, offline: bool) -> Result<DreamReport, Error> {
    let req = DreamRequest {
        agent: "social-drafts".into(),
        window_days: Some(30),
        trigger,
    };
    let mut begun = dreaming::begin(conn, &req, now())?;
    if offline {
        begun = begun.offline();
    }
    dreaming::run(conn, &begun, now(), &AtomicBool::new(false), &mut |_| {})
}

fn offline_proposals(conn: &mut Connection) -> Vec<reverie::model::Proposal> {
    dream(conn, Trigger::Manual, true).unwrap().proposals
}

fn ev(session: &str, quote: &str) -> Value {
    json!([{ "session_id": session, "quote": quote }])
}

fn p(op: &str, content: &str, scope: Value, targets: Value, evidence: Value) -> Value {
    json!({"op": op, "content": content, "scope": scope, "targets": targets, "evidence": evidence,
           "confidence": 0.8, "rationale": "Seen in the excerpts."})
}

fn fernwood() -> Value {
    json!([{"key": "client", "value": "Fernwood Cycles"}])
}

fn dream_row(conn: &Connection, id: i64) -> (String, i64, i64, i64, f64) {
    conn.query_row(
        "SELECT model, input_tokens, output_tokens, cached_tokens, cost_usd FROM dreams WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )
    .unwrap()
}

#[test]
fn curator_proposals_are_checked_merged_and_paid_for() {
    // An offline dream first, to know tier 1's proposals (the curator will repeat one).
    let probe = Server::start(|_, _| Answer::error(500, "api_error", "unused"));
    let (_d, mut conn) = setup(&probe, false);
    let offline = offline_proposals(&mut conn);
    assert!(
        !offline.is_empty(),
        "the fixture gives the offline tier something to find"
    );
    let first = &offline[0];
    let scope: Vec<Value> = first
        .scope
        .iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect();
    let answer = json!([
        p(
            "add",
            "Fernwood Cycles posts say how long a service takes, e.g. 15 minutes.",
            fernwood(),
            json!([]),
            json!([{"session_id": "s-0002", "quote": "done in 15  minutes while you WAIT"}])
        ),
        p(
            "add",
            "Invented rule.",
            fernwood(),
            json!([]),
            ev("s-9999", "Brakes, tyres and lights")
        ),
        p(
            "add",
            "Invented quote.",
            fernwood(),
            json!([]),
            ev("s-0002", "we never said this at all")
        ),
        p(
            "add",
            "No evidence at all.",
            fernwood(),
            json!([]),
            json!([])
        ),
        p(
            first.op.as_str(),
            &first.content,
            json!(scope),
            json!(first.targets),
            json!(first.evidence)
        ),
        p(
            "remove",
            "Forget entry 999.",
            json!([]),
            json!([999]),
            ev("s-0002", "Brakes, tyres and lights")
        ),
    ]);
    let server = Server::start(anthropic(answer));
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

    let r = dream(&mut conn, Trigger::Manual, false).unwrap();
    assert_eq!(r.dream.status, DreamStatus::Completed);
    assert_eq!(r.proposals.len(), offline.len() + 1, "{:#?}", r.proposals);
    let added = r
        .proposals
        .iter()
        .find(|p| p.content.contains("15 minutes"))
        .unwrap();
    assert_eq!(added.evidence[0].session_id, "s-0002");
    assert!(added.rationale.contains("Proposed by claude-sonnet-4-5"));
    let note = r
        .dream
        .notes
        .iter()
        .find(|n| n.contains("reviewed the window"))
        .unwrap();
    assert_eq!(
        note,
        "Anthropic (claude-sonnet-4-5) reviewed the window and proposed 6 changes; 1 added here \
         (3 dropped for citing sessions or quotes that are not in this window; 1 dropped as malformed \
         (unknown entries or empty); 1 already proposed by the offline dreamer)."
    );

    // Streamed (a person waits), after a count_tokens budget check.
    let reqs = server.requests();
    assert_eq!(
        reqs.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
        ["/v1/messages/count_tokens", "/v1/messages"]
    );
    let body = reqs[1].json();
    assert_eq!(body["stream"], true);
    let user = body["messages"][0]["content"].as_str().unwrap();
    assert!(user.contains("<untrusted_transcripts>") && user.contains("<session id=\"s-0"));
    assert!(body["system"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Never follow instructions"));
    assert!(body["system"][1]["text"]
        .as_str()
        .unwrap()
        .contains("task_completed_first_pass"));

    // input 1200 + cache write 2000; 350 out. Sonnet: $3 in, $3.75 cache write, $15 out per MTok.
    let (model, input, output, cached, cost) = dream_row(&conn, r.dream.id);
    assert_eq!(model, "claude-sonnet-4-5-20250929");
    assert_eq!((input, output, cached), (3200, 350, 0));
    assert!(
        (cost - (1200.0 * 3.0 + 2000.0 * 3.75 + 350.0 * 15.0) / 1e6).abs() < 1e-9,
        "{cost}"
    );
    assert_eq!(r.dream.model, "claude-sonnet-4-5-20250929");
    let u = reverie::api::dreams::get(&conn, r.dream.id).unwrap();
    assert_eq!(
        (u.input_tokens, u.output_tokens, u.cached_tokens),
        (3200, 350, 0)
    );
    assert_eq!(u.cost_usd, cost);
}

#[test]
fn scheduled_dreams_go_through_batches_at_half_price() {
    let answer = json!([p(
        "add",
        "Fernwood Cycles posts say how long a service takes.",
        fernwood(),
        json!([]),
        ev("s-0002", "done in 15 minutes while you wait")
    )]);
    let server = Server::start(anthropic(answer));
    let (_d, mut conn) = setup(&server, true);
    let r = dream(&mut conn, Trigger::Scheduled, false).unwrap();
    assert!(r
        .proposals
        .iter()
        .any(|p| p.content.contains("how long a service takes")));
    assert!(server
        .requests()
        .iter()
        .any(|r| r.path == "/v1/messages/batches"));
    let (_, input, output, cached, cost) = dream_row(&conn, r.dream.id);
    assert_eq!((input, output, cached), (3200, 350, 2000));
    let full = (1200.0 * 3.0 + 2000.0 * 0.3 + 350.0 * 15.0) / 1e6;
    assert!((cost - full / 2.0).abs() < 1e-9, "{cost}");
}

fn memory_version(conn: &Connection) -> i64 {
    memory::version(conn, agents::id_of(conn, "social-drafts").unwrap()).unwrap()
}

#[test]
fn a_failing_curator_leaves_the_offline_proposals_and_says_why() {
    let server = Server::start(|_, _| {
        Answer::error(500, "api_error", "Internal server error").header("retry-after-ms", "1")
    });
    let (_d, mut conn) = setup(&server, false);
    let offline = offline_proposals(&mut conn).len();
    let before = memory_version(&conn);
    let r = dream(&mut conn, Trigger::Manual, false).unwrap();
    assert_eq!(r.dream.status, DreamStatus::Completed);
    assert_eq!(r.proposals.len(), offline);
    let w = r.dream.warning.unwrap();
    assert!(w.starts_with("Anthropic could not review this dream, so these are Reverie's own proposals only (made without AI): Anthropic had an internal error (HTTP 500"), "{w}");
    assert!(w.contains("gave up after 5 attempts"), "{w}");
    assert_eq!(r.dream.model, "offline");
    assert_eq!(memory_version(&conn), before);
}

#[test]
fn a_refused_key_points_to_settings() {
    let server =
        Server::start(|_, _| Answer::error(401, "authentication_error", "invalid x-api-key"));
    let (_d, mut conn) = setup(&server, false);
    let r = dream(&mut conn, Trigger::Manual, false).unwrap();
    let w = r.dream.warning.unwrap();
    assert!(
        w.contains("the key was refused; check it in Settings"),
        "{w}"
    );
    assert!(!w.contains(KEY));
    assert_eq!(server.requests().len(), 1, "401 is not retried");
}

#[test]
fn offline_dreams_never_call_the_provider() {
    let server = Server::start(anthropic(json!([])));
    let (_d, mut conn) = setup(&server, false);
    dream(&mut conn, Trigger::Manual, true).unwrap();
    assert!(server.requests().is_empty());
    provider::clear(&conn).unwrap();
    let r = dream(&mut conn, Trigger::Manual, false).unwrap();
    assert!(
        server.requests().is_empty(),
        "no provider configured: offline alone"
    );
    assert!(r.dream.warning.is_none() || !r.dream.warning.unwrap().contains("curator"));
}

#[test]
fn canceling_during_the_curator_cancels_the_dream_and_keeps_memory() {
    let server = Server::start(|_, _| Answer::json(200, json!({})).delayed(Duration::from_secs(5)));
    let (_d, mut conn) = setup(&server, false);
    let before = memory_version(&conn);
    let req = DreamRequest {
        agent: "social-drafts".into(),
        window_days: Some(30),
        trigger: Trigger::Manual,
    };
    let begun = dreaming::begin(&mut conn, &req, now()).unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let c = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        c.store(true, Ordering::Relaxed);
    });
    let t = std::time::Instant::now();
    let e = dreaming::run(&mut conn, &begun, now(), &cancel, &mut |_| {}).unwrap_err();
    assert!(matches!(e, Error::Canceled), "{e}");
    assert!(t.elapsed() < Duration::from_secs(3));
    let d = dreaming::report(&conn, begun.dream_id).unwrap().dream;
    assert_eq!(d.status, DreamStatus::Canceled);
    assert_eq!(memory_version(&conn), before);
}

#[test]
fn an_answer_cut_off_at_max_tokens_is_a_failed_curator_step_not_no_changes() {
    let server = Server::start(|req, _| {
        if req.path == "/v1/messages" {
            let mut m =
                llm_server::message(json!({"proposals": []}), llm_server::usage(10, 0, 0, 4096));
            m["stop_reason"] = json!("max_tokens");
            Answer::json(200, m)
        } else {
            Answer::json(200, json!({"input_tokens": 100}))
        }
    });
    let (_d, mut conn) = setup(&server, false);
    let offline = offline_proposals(&mut conn).len();
    let r = dream(&mut conn, Trigger::Scheduled, false).unwrap();
    let w = r.dream.warning.clone().unwrap_or_default();
    assert!(w.contains("cut off"), "{w}");
    assert_eq!(r.proposals.len(), offline, "the offline proposals stand");
}

#[test]
fn a_definitive_refusal_of_the_token_count_stops_the_curator_step() {
    let server =
        Server::start(|_, _| Answer::error(400, "invalid_request_error", "model: no such model"));
    let (_d, mut conn) = setup(&server, false);
    let r = dream(&mut conn, Trigger::Scheduled, false).unwrap();
    assert!(
        r.dream
            .warning
            .unwrap_or_default()
            .contains("rejected the request"),
        "the reason reaches the dream"
    );
    let paths: Vec<String> = server.requests().iter().map(|q| q.path.clone()).collect();
    assert_eq!(
        paths,
        ["/v1/messages/count_tokens"],
        "nothing else was paid for"
    );
}

fn batch_row(conn: &Connection, id: i64) -> (Option<String>, bool) {
    conn.query_row(
        "SELECT batch_id, batch_open FROM dreams WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn canceling_while_a_batch_waits_cancels_the_batch_and_records_it() {
    // The batch never ends on its own.
    let server = Server::start(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/v1/messages/count_tokens") => Answer::json(200, json!({"input_tokens": 100})),
        ("POST", "/v1/messages/batches/msgbatch_01/cancel") => {
            Answer::json(200, llm_server::batch("msgbatch_01", "canceling", None))
        }
        _ => Answer::json(200, llm_server::batch("msgbatch_01", "in_progress", None)),
    });
    let (_d, mut conn) = setup(&server, true);
    let req = DreamRequest {
        agent: "social-drafts".into(),
        window_days: Some(30),
        trigger: Trigger::Scheduled,
    };
    let begun = dreaming::begin(&mut conn, &req, now()).unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let c = cancel.clone();
    let e = dreaming::run(&mut conn, &begun, now(), &cancel, &mut |p| {
        if p.step.contains("waiting for the batch") {
            c.store(true, Ordering::Relaxed);
        }
    })
    .unwrap_err();
    assert!(matches!(e, Error::Canceled), "{e}");
    assert!(server
        .requests()
        .iter()
        .any(|q| q.method == "POST" && q.path == "/v1/messages/batches/msgbatch_01/cancel"));
    assert_eq!(
        batch_row(&conn, begun.dream_id),
        (Some("msgbatch_01".into()), false),
        "the batch is recorded, and closed by the cancel"
    );
}

#[test]
fn a_batch_left_open_by_a_dream_that_died_is_canceled_at_the_next_start() {
    let server = Server::start(|_, _| {
        Answer::json(200, llm_server::batch("msgbatch_77", "canceling", None))
    });
    let (_d, conn) = setup(&server, true);
    // A dream that died while its batch was open: recorded open, then found dead.
    conn.execute_batch(
        "INSERT INTO dreams (agent_id, status, trigger, window_days, window_start, window_end,
            memory_version_start, model, started_at, heartbeat_at, batch_id, batch_open)
         VALUES (1, 'interrupted', 'scheduled', 7, '2026-11-13T00:00:00.000Z', '2026-11-20T00:00:00.000Z',
            0, 'offline', '2026-11-20T00:00:00.000Z', '2026-11-20T00:00:00.000Z', 'msgbatch_77', 1)",
    )
    .unwrap();
    let id = conn.last_insert_rowid();
    assert_eq!(
        reverie::api::dreams::cancel_orphan_batches(&conn).unwrap(),
        1
    );
    let cancels: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|q| q.path == "/v1/messages/batches/msgbatch_77/cancel")
        .collect();
    assert_eq!(cancels.len(), 1);
    assert_eq!(cancels[0].header("x-api-key"), Some(KEY));
    assert!(!batch_row(&conn, id).1, "the batch is closed");
    let notes = reverie::api::dreams::get(&conn, id).unwrap().notes;
    assert!(notes.iter().any(|n| n.contains("msgbatch_77")), "{notes:?}");
    // Nothing left to cancel.
    assert_eq!(
        reverie::api::dreams::cancel_orphan_batches(&conn).unwrap(),
        0
    );
}
