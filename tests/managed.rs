//! Claude Managed Agents against a loopback stand-in of the documented endpoints, driving the
//! production client: sessions pulled over several pages with the outcome grader's verdicts,
//! memory pushed to a store with hash preconditions and an outside change caught, and
//! Anthropic's dream read back as proposals that the normal review applies and publishes.

#[path = "managed_server/mod.rs"]
mod managed_server;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use reverie::api::{self, managed, review};
use reverie::llm::provider;
use reverie::llm::{ProviderConfig, ProviderKind};
use reverie::model::{DreamStatus, GradeSource, GradeValue, ProposalOp, Scope};
use reverie::secret::{Keychain, Secret};
use serde_json::json;

use managed_server::{session, Managed, KEY};

const AGENT: &str = "support";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap()
}

fn keychain() -> Keychain {
    // Never touched: the key is given to this process for the stand-in's address only.
    Keychain::with_service("reverie-test-managed-unused")
}

/// A database with the agent, the stand-in as the Anthropic server, and its key.
fn setup(m: &Managed) -> (tempfile::TempDir, api::Connection) {
    std::env::set_var("REVERIE_MANAGED_POLL_MS", "20");
    let dir = tempfile::tempdir().unwrap();
    let mut conn = api::open(&dir.path().join("reverie.db")).unwrap();
    api::agents::create(&mut conn, AGENT, Some("Support"), now()).unwrap();
    provider::save(
        &conn,
        &ProviderConfig {
            kind: ProviderKind::Anthropic,
            base_url: Some(m.addr().to_string()),
            model: None,
            use_batches: false,
        },
    )
    .unwrap();
    provider::use_key_in_process(ProviderKind::Anthropic, m.addr(), Secret::new(KEY));
    (dir, conn)
}

fn with_sessions(m: &Managed, n: u32) {
    let mut st = m.state.lock().unwrap();
    st.agents = vec![
        json!({"id": "agent_support", "type": "agent", "name": "Support desk", "model": {"id": "claude-sonnet-4-5"}, "created_at": "2026-11-01T00:00:00Z"}),
        json!({"id": "agent_other", "type": "agent", "name": "Other", "model": {"id": "claude-haiku-4-5"}}),
    ];
    for i in 0..n {
        let result = if i % 2 == 0 { "satisfied" } else { "failed" };
        st.sessions.push(session(
            "agent_support",
            &format!("sesn_{i:03}"),
            1 + i,
            if i % 2 == 0 {
                "Harbour Tea"
            } else {
                "Fernwood"
            },
            &format!("Where is my order {i}?"),
            "It ships tomorrow.",
            result,
        ));
    }
    // Another agent's session is not pulled.
    st.sessions.push(session(
        "agent_other",
        "sesn_other",
        3,
        "X",
        "hi",
        "hello",
        "satisfied",
    ));
}

#[test]
fn sessions_and_outcomes_are_pulled_page_by_page_and_only_once() {
    let m = Managed::start();
    with_sessions(&m, 5);
    let (_dir, mut conn) = setup(&m);

    let agents = managed::list_agents(&conn, &keychain()).unwrap();
    assert_eq!(agents.len(), 2, "two pages of one and one: {agents:?}");
    let link = managed::link(&conn, &keychain(), AGENT, "agent_support", None, now()).unwrap();
    assert_eq!(link.managed_name, "Support desk");

    let r = managed::pull(&mut conn, &keychain(), AGENT, false, now()).unwrap();
    assert_eq!((r.listed, r.imported, r.updated), (5, 5, 0), "{r:?}");
    assert_eq!(r.outcomes, 5);
    // Several pages of sessions were asked for, each with the managed-agents beta only.
    let session_pages = m
        .requests()
        .iter()
        .filter(|q| q.path.starts_with("/v1/sessions?"))
        .count();
    assert_eq!(session_pages, 3, "5 sessions, 2 per page");
    assert!(m
        .requests()
        .iter()
        .all(|q| q.header("x-api-key") == Some(KEY)));

    let s = api::sessions::get(&conn, AGENT, "sesn_000").unwrap();
    assert_eq!(
        s.summary.tags.get("client").map(String::as_str),
        Some("Harbour Tea")
    );
    let roles: Vec<&str> = s.messages.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(
        roles,
        ["user", "assistant", "tool", "assistant"],
        "the tool call, its result, the answer"
    );
    assert_eq!(s.messages[1].tool_calls[0].name, "lookup_order");
    assert_eq!(s.messages[3].content, "It ships tomorrow.");

    // A dream grades with the outcome grader's verdicts and explanations.
    let req = reverie::dreaming::DreamRequest {
        agent: AGENT.into(),
        window_days: Some(60),
        trigger: reverie::model::Trigger::Manual,
    };
    let cancel = AtomicBool::new(false);
    api::dreams::dream(&mut conn, &req, now(), &cancel, &mut |_| {}).unwrap();
    let s = api::sessions::get(&conn, AGENT, "sesn_001").unwrap();
    let g = s
        .grades
        .iter()
        .find(|g| g.source == GradeSource::Grader)
        .unwrap_or_else(|| panic!("a grader's grade: {:?}", s.grades));
    assert_eq!(g.value, GradeValue::NotMet);
    assert!(
        g.reason.contains("Anthropic outcome grader") && g.reason.contains("Grader says: failed"),
        "{}",
        g.reason
    );

    // Nothing changed: nothing is read again. A changed session is.
    let before = m.requests().len();
    let r = managed::pull(&mut conn, &keychain(), AGENT, false, now()).unwrap();
    assert_eq!((r.imported, r.updated), (0, 0));
    assert!(m.requests()[before..]
        .iter()
        .all(|q| !q.path.contains("/events")));
    {
        let mut st = m.state.lock().unwrap();
        let (s, events) = &mut st.sessions[1];
        s["updated_at"] = json!("2026-11-20T00:00:00Z");
        events.push(json!({"type": "user.message", "content": [{"type": "text", "text": "Thanks!"}], "processed_at": "2026-11-20T00:00:00Z"}));
    }
    let r = managed::pull(&mut conn, &keychain(), AGENT, false, now()).unwrap();
    assert_eq!((r.imported, r.updated), (0, 1));
}

#[test]
fn a_pull_that_fails_half_way_resumes_without_losing_what_landed() {
    let m = Managed::start();
    with_sessions(&m, 4);
    let (_dir, mut conn) = setup(&m);
    managed::link(&conn, &keychain(), AGENT, "agent_support", None, now()).unwrap();
    // The third session's events are gone (deleted upstream between listing and reading).
    let third = m.state.lock().unwrap().sessions.remove(2);
    m.state
        .lock()
        .unwrap()
        .sessions
        .insert(2, (third.0.clone(), Vec::new()));
    let r = managed::pull(&mut conn, &keychain(), AGENT, false, now()).unwrap();
    assert_eq!(r.imported, 3, "{r:?}");
    assert_eq!(r.problems.len(), 1, "the empty session is reported: {r:?}");
    assert!(r.problems[0].contains("sesn_002"));
    // It arrives once it has events.
    m.state.lock().unwrap().sessions[2] = third;
    let r = managed::pull(&mut conn, &keychain(), AGENT, false, now()).unwrap();
    assert_eq!(r.imported, 1);
    assert!(r.problems.is_empty());
}

#[test]
fn memory_is_pushed_per_scope_and_an_outside_change_stops_the_write() {
    let m = Managed::start();
    with_sessions(&m, 1);
    let (_dir, mut conn) = setup(&m);
    managed::link(&conn, &keychain(), AGENT, "agent_support", None, now()).unwrap();
    let harbour = Scope::from([("client".to_string(), "Harbour Tea".to_string())]);
    // Adding memory publishes by itself (the first write creates the store).
    api::memory::add(
        &mut conn,
        AGENT,
        "Answer in plain words.",
        Scope::new(),
        now(),
    )
    .unwrap();
    api::memory::add(
        &mut conn,
        AGENT,
        "Offer the loose-leaf refill first.",
        harbour.clone(),
        now(),
    )
    .unwrap();
    let link = managed::get(&conn, AGENT).unwrap().unwrap();
    let store = link.memory_store_id.clone().expect("a store was created");
    assert_eq!(link.last_error, None);
    let docs = m.state.lock().unwrap().documents(&store);
    assert_eq!(
        docs.keys().collect::<Vec<_>>(),
        ["/clients/harbour-tea.md", "/team.md"]
    );
    assert!(docs["/team.md"].contains("- Answer in plain words."));
    // Memory-store calls carry the memory beta alone.
    for q in m
        .requests()
        .iter()
        .filter(|q| q.path.starts_with("/v1/memory_stores"))
    {
        assert_eq!(
            q.header("anthropic-beta"),
            Some("agent-memory-2026-07-22"),
            "{}",
            q.path
        );
    }
    // An update carries the hash Reverie last wrote.
    api::memory::add(
        &mut conn,
        AGENT,
        "Sign off with the agent's first name.",
        Scope::new(),
        now(),
    )
    .unwrap();
    let update = m
        .requests()
        .into_iter()
        .rev()
        .find(|q| q.method == "POST" && q.path.contains("/memories/"))
        .expect("an update");
    assert_eq!(update.json()["precondition"]["type"], "content_sha256");

    // Someone edits the team document in the Console.
    m.state.lock().unwrap().outside_write(
        &store,
        "/team.md",
        "# Team-wide\n\n- Answer in plain words.\n- Always upsell.\n",
    );
    api::memory::add(
        &mut conn,
        AGENT,
        "Never promise a delivery date.",
        Scope::new(),
        now(),
    )
    .unwrap();
    let docs = m.state.lock().unwrap().documents(&store);
    assert!(
        docs["/team.md"].contains("Always upsell"),
        "their text is not overwritten"
    );
    let link = managed::get(&conn, AGENT).unwrap().unwrap();
    assert_eq!(link.conflicts.len(), 1, "{link:?}");
    let c = &link.conflicts[0];
    assert_eq!(c.path, "/team.md");
    assert!(c.ours.contains("Never promise a delivery date."));
    assert!(c.theirs.as_deref().unwrap().contains("Always upsell"));
    assert!(link.last_error.unwrap().contains("changed outside Reverie"));

    // Forced, Reverie's memory goes over it and the conflict clears.
    let r = managed::push(&conn, &keychain(), AGENT, true, now()).unwrap();
    assert!(r.conflicts.is_empty());
    let docs = m.state.lock().unwrap().documents(&store);
    assert!(
        docs["/team.md"].contains("Never promise a delivery date.")
            && !docs["/team.md"].contains("upsell")
    );
    assert!(managed::get(&conn, AGENT)
        .unwrap()
        .unwrap()
        .conflicts
        .is_empty());

    // A scope with no entries left loses its document.
    let e = api::memory::list(&conn, AGENT)
        .unwrap()
        .into_iter()
        .find(|e| e.scope == harbour)
        .unwrap();
    api::memory::delete(&mut conn, AGENT, e.id, now()).unwrap();
    assert!(!m
        .state
        .lock()
        .unwrap()
        .documents(&store)
        .contains_key("/clients/harbour-tea.md"));
}

#[test]
fn anthropics_dream_becomes_proposals_and_approving_two_publishes_exactly_those() {
    let m = Managed::start();
    with_sessions(&m, 4);
    let (_dir, mut conn) = setup(&m);
    managed::link(&conn, &keychain(), AGENT, "agent_support", None, now()).unwrap();
    managed::pull(&mut conn, &keychain(), AGENT, false, now()).unwrap();
    api::memory::add(
        &mut conn,
        AGENT,
        "Answer in plain words.",
        Scope::new(),
        now(),
    )
    .unwrap();
    api::memory::add(
        &mut conn,
        AGENT,
        "Always mention the newsletter.",
        Scope::new(),
        now(),
    )
    .unwrap();
    let harbour = Scope::from([("client".to_string(), "Harbour Tea".to_string())]);
    api::memory::add(
        &mut conn,
        AGENT,
        "Offer the refill first.",
        harbour.clone(),
        now(),
    )
    .unwrap();
    let store = managed::get(&conn, AGENT)
        .unwrap()
        .unwrap()
        .memory_store_id
        .unwrap();

    // Anthropic's dream adds a line, rewords one and deletes one.
    m.state.lock().unwrap().plan = Some(Arc::new(|input: &BTreeMap<String, String>| {
        let mut out = input.clone();
        out.insert(
            "/team.md".into(),
            "# Team-wide\n\n- Answer in plain, short words.\n- Give the tracking link with every shipping answer.\n".into(),
        );
        out
    }));
    let cancel = AtomicBool::new(false);
    let id = managed::dream(&mut conn, &keychain(), AGENT, 100, &cancel, now).unwrap();
    let report = api::dreams::report(&conn, id).unwrap();
    assert_eq!(
        report.dream.status,
        DreamStatus::Completed,
        "{:?}",
        report.dream
    );
    assert!(report.dream.model.starts_with("anthropic-dream:"));
    assert_eq!(report.dream.sessions_read, 4);
    assert_eq!(
        (report.dream.input_tokens, report.dream.output_tokens),
        (12000, 900)
    );
    let ops: Vec<ProposalOp> = report.proposals.iter().map(|p| p.op).collect();
    assert_eq!(report.proposals.len(), 3, "{:?}", report.proposals);
    assert!(
        ops.contains(&ProposalOp::Add)
            && ops.contains(&ProposalOp::Remove)
            && ops.contains(&ProposalOp::Refine)
    );
    for p in &report.proposals {
        assert!(!p.evidence.is_empty(), "evidence is the sessions it read");
        assert!(p.evidence[0].session_id.starts_with("sesn_"));
    }
    // The dream was asked for as documented.
    let create = m
        .requests()
        .into_iter()
        .find(|q| q.path == "/v1/dreams")
        .unwrap();
    assert_eq!(create.header("anthropic-beta"), Some("dreaming-2026-04-21"));
    let body = create.json();
    assert_eq!(body["output_behavior"]["type"], "create_new");
    assert_eq!(body["inputs"][0]["memory_store_id"], store.as_str());
    assert_eq!(
        body["inputs"][1]["session_ids"].as_array().unwrap().len(),
        4
    );

    // Approve the addition and the rewording; reject the removal.
    let add = report
        .proposals
        .iter()
        .find(|p| p.op == ProposalOp::Add)
        .unwrap();
    let refine = report
        .proposals
        .iter()
        .find(|p| p.op == ProposalOp::Refine)
        .unwrap();
    let remove = report
        .proposals
        .iter()
        .find(|p| p.op == ProposalOp::Remove)
        .unwrap();
    review::approve(&mut conn, &[add.id, refine.id], now()).unwrap();
    let team = m.state.lock().unwrap().documents(&store)["/team.md"].clone();
    assert!(
        team.contains("Give the tracking link with every shipping answer."),
        "{team}"
    );
    assert!(
        team.contains("Answer in plain, short words.")
            && !team.contains("- Answer in plain words."),
        "{team}"
    );
    assert!(
        team.contains("Always mention the newsletter."),
        "the rejected removal is not published: {team}"
    );
    assert!(m
        .state
        .lock()
        .unwrap()
        .documents(&store)
        .contains_key("/clients/harbour-tea.md"));
    // The output store stays until the review is done, then goes.
    let output = m.state.lock().unwrap().dreams[0].output.clone().unwrap();
    assert!(m.state.lock().unwrap().stores.contains_key(&output));
    review::reject(
        &mut conn,
        &[remove.id],
        Some("we still want the newsletter"),
        now(),
    )
    .unwrap();
    assert!(
        !m.state.lock().unwrap().stores.contains_key(&output),
        "the output store is deleted after the review"
    );
}

#[test]
fn a_failed_anthropic_dream_offers_nothing() {
    let m = Managed::start();
    with_sessions(&m, 2);
    let (_dir, mut conn) = setup(&m);
    managed::link(&conn, &keychain(), AGENT, "agent_support", None, now()).unwrap();
    managed::pull(&mut conn, &keychain(), AGENT, false, now()).unwrap();
    api::memory::add(
        &mut conn,
        AGENT,
        "Answer in plain words.",
        Scope::new(),
        now(),
    )
    .unwrap();
    m.state.lock().unwrap().fail_dreams = true;
    let cancel = AtomicBool::new(false);
    let id = managed::dream(&mut conn, &keychain(), AGENT, 10, &cancel, now).unwrap();
    let report = api::dreams::report(&conn, id).unwrap();
    assert_eq!(report.dream.status, DreamStatus::Failed);
    assert!(report.proposals.is_empty());
    assert!(
        report
            .dream
            .error
            .as_deref()
            .unwrap()
            .contains("overloaded"),
        "{:?}",
        report.dream.error
    );
    // Its partly written output store is gone.
    let output = m.state.lock().unwrap().dreams[0].output.clone().unwrap();
    assert!(!m.state.lock().unwrap().stores.contains_key(&output));
}

#[test]
fn a_wrong_key_or_an_unknown_agent_is_said_plainly() {
    let m = Managed::start();
    with_sessions(&m, 1);
    let (_dir, conn) = setup(&m);
    let e = managed::link(&conn, &keychain(), AGENT, "agent_nope", None, now()).unwrap_err();
    assert!(e.to_string().contains("no managed agent agent_nope"), "{e}");
    let e = managed::pull(
        &mut api::open(&_dir.path().join("reverie.db")).unwrap(),
        &keychain(),
        AGENT,
        false,
        now(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("not linked"), "{e}");
    provider::use_key_in_process(
        ProviderKind::Anthropic,
        m.addr(),
        Secret::new("sk-ant-wrong"),
    );
    let e = managed::list_agents(&conn, &keychain()).unwrap_err();
    assert_eq!(e.code(), reverie::ErrorCode::KeyRefused);
    assert!(!e.to_string().contains("sk-ant-wrong"));
}
