//! Teams of agents against a loopback stand-in of the Anthropic Messages API with scripted tool
//! use: the lead delegates to two specialists in one turn and both requests are in flight at
//! once; each specialist asks with its own prompt and its own memory for the run's tags; a file
//! one writes is read by the lead; escapes from the shared folder are refused; a specialist's
//! 500 reaches the lead as a tool error; stop ends every member; every part is a session of its
//! agent, which its own dream reads.

#[path = "llm_server/mod.rs"]
mod llm_server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use llm_server::{Answer, Request, Server};
use reverie::api::{self, teams};
use reverie::llm::provider;
use reverie::llm::{ProviderConfig, ProviderKind};
use reverie::model::{RunEventKind, RunStatus, Scope};
use reverie::secret::Secret;
use serde_json::{json, Value};

const KEY: &str = "sk-ant-api03-teams-test-0123456789abcdef";

/// The answer `content`, streamed when the request asks for a stream (as every team step does).
fn reply(request: &Value, content: Value) -> Answer {
    if request["stream"] == true {
        return llm_server::anthropic_message_stream(&content, Duration::from_millis(1));
    }
    Answer::json(
        200,
        json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
               "content": content, "stop_reason": "end_turn",
               "usage": {"input_tokens": 100, "output_tokens": 20}}),
    )
}

fn tool_use(id: &str, name: &str, input: Value) -> Value {
    json!({"type": "tool_use", "id": id, "name": name, "input": input})
}

/// The text of every tool result in the request's last message.
fn results(req: &Value) -> Vec<(String, bool)> {
    req["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["content"].as_array())
        .map(|blocks| {
            blocks
                .iter()
                .filter(|b| b["type"] == "tool_result")
                .map(|b| {
                    (
                        b["content"].as_str().unwrap_or_default().to_string(),
                        b["is_error"] == true,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// When each request arrived and when its answer was sent, by who asked.
type Timeline = Arc<Mutex<Vec<(String, Instant, Instant)>>>;

/// The scripted team: the lead delegates to both specialists at once, then reads the notes the
/// researcher wrote (and tries a path outside the folder), then answers.
fn script(
    drafter_fails: bool,
    slow: Duration,
    timeline: Timeline,
) -> impl Fn(&Request, usize) -> Answer + Send + Sync {
    move |req, _| {
        let arrived = Instant::now();
        if req.header("x-api-key") != Some(KEY) {
            return Answer::error(401, "authentication_error", "invalid x-api-key");
        }
        let body = req.json();
        let system = body["system"].as_str().unwrap_or_default().to_string();
        let turns = body["messages"].as_array().map(Vec::len).unwrap_or(0);
        let (who, answer) = if system.contains("You lead the content work") {
            let a = match turns {
                1 => {
                    assert!(body["tools"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| t["name"] == "delegate"));
                    reply(
                        &body,
                        json!([
                            {"type": "text", "text": "I will split this."},
                            tool_use("d1", "delegate", json!({"agent": "researcher", "task": "Find Harbour Tea's opening hours."})),
                            tool_use("d2", "delegate", json!({"agent": "drafter", "task": "Draft a post about the new blend."})),
                        ]),
                    )
                }
                3 => reply(
                    &body,
                    json!([
                        tool_use("r1", "read_file", json!({"path": "research/notes.md"})),
                        tool_use("r2", "read_file", json!({"path": "../outside.txt"})),
                    ]),
                ),
                _ => {
                    let notes = results(&body);
                    reply(
                        &body,
                        json!([{"type": "text", "text": format!("Final post. Notes: {}", notes[0].0)}]),
                    )
                }
            };
            ("lead", a)
        } else if system.contains("You research") {
            std::thread::sleep(slow);
            assert!(
                body["tools"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|t| t["name"] != "delegate"),
                "specialists do not delegate"
            );
            let a = if turns == 1 {
                reply(
                    &body,
                    json!([tool_use(
                        "w1",
                        "write_file",
                        json!({"path": "research/notes.md", "content": "Harbour Tea opens at 9."})
                    )]),
                )
            } else {
                reply(
                    &body,
                    json!([{"type": "text", "text": "Notes are in research/notes.md."}]),
                )
            };
            ("researcher", a)
        } else if system.contains("You draft") {
            std::thread::sleep(slow);
            assert!(body.get("tools").is_none(), "the drafter has no tools");
            let a = if drafter_fails {
                Answer::error(500, "api_error", "Internal server error")
                    .header("x-should-retry", "false")
            } else {
                reply(
                    &body,
                    json!([{"type": "text", "text": "New autumn blend, in store now."}]),
                )
            };
            ("drafter", a)
        } else {
            (
                "unknown",
                Answer::error(400, "invalid_request_error", "unexpected system prompt"),
            )
        };
        timeline
            .lock()
            .unwrap()
            .push((who.to_string(), arrived, Instant::now()));
        answer
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    folder: std::path::PathBuf,
    server: Server,
    timeline: Timeline,
}

fn setup(drafter_fails: bool, slow: Duration) -> Setup {
    let timeline: Timeline = Arc::default();
    let server = Server::start(script(drafter_fails, slow, timeline.clone()));
    setup_on(ProviderKind::Anthropic, server, timeline)
}

/// Three agents with their prompts and memory, a team of them, and `server` as the provider.
fn setup_on(kind: ProviderKind, server: Server, timeline: Timeline) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let folder = dir.path().join("shared");
    std::fs::write(dir.path().join("outside.txt"), "secret").unwrap();
    let mut conn = api::open(&db).unwrap();
    let now = Utc::now();
    for (slug, prompt) in [
        ("lead", "You lead the content work of the agency."),
        ("researcher", "You research facts for posts."),
        ("drafter", "You draft posts in the client's voice."),
    ] {
        api::agents::create(&mut conn, slug, None, now).unwrap();
        api::agents::update(
            &conn,
            slug,
            &reverie::model::AgentPatch {
                name: None,
                model: None,
                system_prompt: Some(prompt.into()),
                memory_enabled: None,
                mcp_write: None,
            },
            now,
        )
        .unwrap();
    }
    let harbour = Scope::from([("client".to_string(), "Harbour Tea".to_string())]);
    let fernwood = Scope::from([("client".to_string(), "Fernwood".to_string())]);
    api::memory::add(
        &mut conn,
        "researcher",
        "Check opening hours on the shop's own page.",
        harbour.clone(),
        now,
    )
    .unwrap();
    api::memory::add(
        &mut conn,
        "researcher",
        "Fernwood's facts come from its newsletter.",
        fernwood,
        now,
    )
    .unwrap();
    api::memory::add(
        &mut conn,
        "drafter",
        "Never use exclamation marks.",
        Scope::new(),
        now,
    )
    .unwrap();
    // OpenAI-compatible base URLs carry the version, as the official SDK's do.
    let base = match kind {
        ProviderKind::Anthropic => server.addr.clone(),
        ProviderKind::Openai => format!("{}/v1", server.addr),
    };
    provider::save(
        &conn,
        &ProviderConfig {
            kind,
            base_url: Some(base.clone()),
            model: None,
            use_batches: false,
        },
    )
    .unwrap();
    provider::use_key_in_process(kind, &base, Secret::new(KEY));
    teams::create(
        &mut conn,
        &teams::NewTeam {
            slug: "content".into(),
            name: None,
            lead: "lead".into(),
            members: vec!["researcher".into(), "drafter".into()],
            folder: folder.clone(),
            max_parallel: 3,
            budget_tokens: None,
            no_tools: vec!["drafter".into()],
        },
        now,
    )
    .unwrap();
    Setup {
        _dir: dir,
        db,
        folder,
        server,
        timeline,
    }
}

fn request(team: &str) -> teams::RunRequest {
    teams::RunRequest {
        team: team.into(),
        task: "A post about our new autumn blend with the opening hours.".into(),
        tags: Scope::from([("client".to_string(), "Harbour Tea".to_string())]),
    }
}

#[test]
fn the_lead_delegates_in_parallel_and_reads_what_a_specialist_wrote() {
    let s = setup(false, Duration::from_millis(400));
    let conn = api::open(&s.db).unwrap();
    let req = request("content");
    let id = teams::begin(&conn, &req, Utc::now()).unwrap();
    let events = Mutex::new(Vec::new());
    let cancel = AtomicBool::new(false);
    let run = teams::run(&s.db, id, &req, &cancel, &|e| {
        events.lock().unwrap().push(e.clone())
    })
    .unwrap();
    assert_eq!(run.status, RunStatus::Completed, "{run:?}");
    assert_eq!(
        run.output.as_deref(),
        Some("Final post. Notes: Harbour Tea opens at 9.")
    );
    assert_eq!(
        std::fs::read_to_string(s.folder.join("research/notes.md")).unwrap(),
        "Harbour Tea opens at 9."
    );

    // Both specialists' first requests were in flight at the same time.
    let t = s.timeline.lock().unwrap().clone();
    let first = |who: &str| t.iter().find(|(w, ..)| w == who).cloned().unwrap();
    let (r, d) = (first("researcher"), first("drafter"));
    assert!(
        r.1 < d.2 && d.1 < r.2,
        "the two delegations overlap: researcher {:?}..{:?}, drafter {:?}..{:?}",
        r.1,
        r.2,
        d.1,
        d.2
    );

    // Each asked with its own prompt and its own memory for the run's client.
    let reqs = s.server.requests();
    let system_of = |needle: &str| {
        reqs.iter()
            .map(|q| q.json()["system"].as_str().unwrap_or_default().to_string())
            .find(|sys| sys.starts_with(needle))
            .unwrap()
    };
    let researcher = system_of("You research");
    assert!(researcher.contains("Check opening hours on the shop's own page."));
    assert!(
        !researcher.contains("Fernwood"),
        "another client's memory stays out"
    );
    assert!(!researcher.contains("exclamation"));
    let drafter = system_of("You draft");
    assert!(
        drafter.contains("Never use exclamation marks.") && !drafter.contains("opening hours on")
    );

    // The path out of the folder came back to the lead as an error.
    let last_lead = reqs
        .iter()
        .rev()
        .find(|q| {
            q.json()["system"]
                .as_str()
                .unwrap_or_default()
                .contains("You lead")
        })
        .unwrap();
    let res = results(&last_lead.json());
    assert!(res[1].1 && res[1].0.contains(".."), "{res:?}");

    // Every part is a session of its agent, tagged with the run's client, linked to the run.
    assert_eq!(run.delegations.len(), 2, "{:?}", run.delegations);
    for d in &run.delegations {
        let sess = api::sessions::get(&conn, &d.agent, &d.session).unwrap();
        assert_eq!(
            sess.summary.tags.get("client").map(String::as_str),
            Some("Harbour Tea")
        );
        assert!(d.ok);
    }
    let lead = api::sessions::get(&conn, "lead", run.lead_session.as_deref().unwrap()).unwrap();
    assert_eq!(
        lead.messages.last().unwrap().content,
        "Final post. Notes: Harbour Tea opens at 9."
    );
    let events = events.lock().unwrap();
    assert!(events.iter().any(|e| e.agent == "researcher"
        && e.kind == RunEventKind::File
        && e.text == "research/notes.md"));
    assert!(events
        .iter()
        .any(|e| e.agent == "drafter" && e.kind == RunEventKind::Finished));

    // Each lane heard its member's text as it was written, piece by piece, before the turn
    // ended: the drafter's pieces make its answer, the lead's make the words before it delegated.
    let lane = |who: &str| -> Vec<&reverie::model::RunEvent> {
        events.iter().filter(|e| e.agent == who).collect()
    };
    let drafter = lane("drafter");
    // Every step of a part names that part's session, so its lane is its own.
    let part = run
        .delegations
        .iter()
        .find(|d| d.agent == "drafter")
        .unwrap();
    assert!(drafter.iter().all(|e| e.session == part.session));
    assert!(lane("lead")
        .iter()
        .all(|e| Some(e.session.as_str()) == run.lead_session.as_deref()));
    let done = drafter
        .iter()
        .position(|e| e.kind == RunEventKind::Finished)
        .unwrap();
    let pieces: Vec<&str> = drafter[..done]
        .iter()
        .filter(|e| e.kind == RunEventKind::Writing)
        .map(|e| e.text.as_str())
        .collect();
    assert!(pieces.len() > 1, "streamed in pieces: {pieces:?}");
    assert_eq!(pieces.concat(), drafter[done].text);
    let lead = lane("lead");
    let said = lead
        .iter()
        .position(|e| e.kind == RunEventKind::Text)
        .unwrap();
    let before: String = lead[..said]
        .iter()
        .filter(|e| e.kind == RunEventKind::Writing)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(before, "I will split this.");

    // The drafter's own dream reads its session.
    let mut conn = conn;
    let dream = api::dreams::dream(
        &mut conn,
        &reverie::dreaming::DreamRequest {
            agent: "drafter".into(),
            window_days: Some(1),
            trigger: reverie::model::Trigger::Manual,
        },
        Utc::now(),
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(dream.dream.sessions_read, 1);
}

/// The same team on an OpenAI-compatible server: `tools` as functions, streamed `tool_calls`
/// with their arguments split across chunks, results as `role: tool` messages. The drafter's
/// server ignores `stream` and answers in one piece, as some local servers do.
fn openai_script(
    slow: Duration,
    timeline: Timeline,
) -> impl Fn(&Request, usize) -> Answer + Send + Sync {
    move |req, _| {
        let arrived = Instant::now();
        if req.path != "/v1/chat/completions" {
            return Answer::error(404, "not_found_error", "no such route");
        }
        if req.header("authorization") != Some(&format!("Bearer {KEY}")) {
            return Answer::error(401, "invalid_api_key", "Incorrect API key provided");
        }
        let body = req.json();
        let messages = body["messages"].as_array().cloned().unwrap_or_default();
        let system = messages[0]["content"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let pause = Duration::from_millis(1);
        let (who, answer) = if system.contains("You lead the content work") {
            let tool_results: Vec<&Value> =
                messages.iter().filter(|m| m["role"] == "tool").collect();
            let a = if tool_results.is_empty() {
                assert!(body["tools"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["type"] == "function" && t["function"]["name"] == "delegate"));
                llm_server::openai_message_stream(
                    "I will split this.",
                    &[
                        (
                            "call_1",
                            "delegate",
                            json!({"agent": "researcher", "task": "Find Harbour Tea's opening hours."}),
                        ),
                        (
                            "call_2",
                            "delegate",
                            json!({"agent": "drafter", "task": "Draft a post about the new blend."}),
                        ),
                    ],
                    pause,
                )
            } else {
                // Both results came back, each answering its own call.
                let by_id = |id: &str| {
                    tool_results
                        .iter()
                        .find(|m| m["tool_call_id"] == id)
                        .and_then(|m| m["content"].as_str())
                        .unwrap_or_default()
                        .to_string()
                };
                let text = format!("Final post: {} / {}", by_id("call_2"), by_id("call_1"));
                llm_server::openai_message_stream(&text, &[], pause)
            };
            ("lead", a)
        } else if system.contains("You research") {
            std::thread::sleep(slow);
            assert!(body["tools"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["function"]["name"] != "delegate"));
            (
                "researcher",
                llm_server::openai_message_stream("Harbour Tea opens at 9.", &[], pause),
            )
        } else if system.contains("You draft") {
            std::thread::sleep(slow);
            assert!(body.get("tools").is_none(), "the drafter has no tools");
            let whole = json!({"id": "chatcmpl-3", "object": "chat.completion", "model": "llama3.1:8b",
                "choices": [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "New autumn blend, in store now."}}],
                "usage": {"prompt_tokens": 80, "completion_tokens": 9, "total_tokens": 89}});
            ("drafter", Answer::json(200, whole))
        } else {
            (
                "unknown",
                Answer::error(400, "invalid_request_error", "unexpected system prompt"),
            )
        };
        timeline
            .lock()
            .unwrap()
            .push((who.to_string(), arrived, Instant::now()));
        answer
    }
}

#[test]
fn an_openai_compatible_team_delegates_in_parallel_through_tool_calls() {
    let timeline: Timeline = Arc::default();
    let server = Server::start(openai_script(Duration::from_millis(400), timeline.clone()));
    let s = setup_on(ProviderKind::Openai, server, timeline);
    let conn = api::open(&s.db).unwrap();
    let req = request("content");
    let id = teams::begin(&conn, &req, Utc::now()).unwrap();
    let events = Mutex::new(Vec::new());
    let run = teams::run(&s.db, id, &req, &AtomicBool::new(false), &|e| {
        events.lock().unwrap().push(e.clone())
    })
    .unwrap();
    assert_eq!(run.status, RunStatus::Completed, "{run:?}");
    assert_eq!(
        run.output.as_deref(),
        Some("Final post: New autumn blend, in store now. / Harbour Tea opens at 9.")
    );
    let t = s.timeline.lock().unwrap().clone();
    let first = |who: &str| t.iter().find(|(w, ..)| w == who).cloned().unwrap();
    let (r, d) = (first("researcher"), first("drafter"));
    assert!(r.1 < d.2 && d.1 < r.2, "the two delegations overlap");

    // The specialists asked with their own prompts and memory; the lead's second request
    // carries its own calls back as `tool_calls` with the arguments as the model wrote them.
    let reqs = s.server.requests();
    let second_lead = reqs
        .iter()
        .map(|q| q.json())
        .filter(|b| {
            b["messages"][0]["content"]
                .as_str()
                .unwrap_or_default()
                .contains("You lead")
        })
        .nth(1)
        .unwrap();
    let calls = &second_lead["messages"][2]["tool_calls"];
    assert_eq!(calls[0]["id"], "call_1");
    let args: Value =
        serde_json::from_str(calls[1]["function"]["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(args["agent"], "drafter");
    let researcher = reqs
        .iter()
        .map(|q| {
            q.json()["messages"][0]["content"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .find(|s| s.starts_with("You research"))
        .unwrap();
    assert!(researcher.contains("Check opening hours on the shop's own page."));
    assert!(!researcher.contains("Fernwood"));

    // Text streamed into the lanes, from the stream and from the whole answer alike.
    let events = events.lock().unwrap();
    let written = |who: &str| -> String {
        events
            .iter()
            .filter(|e| e.agent == who && e.kind == RunEventKind::Writing)
            .map(|e| e.text.as_str())
            .collect()
    };
    assert_eq!(written("researcher"), "Harbour Tea opens at 9.");
    assert_eq!(written("drafter"), "New autumn blend, in store now.");
    assert_eq!(run.delegations.len(), 2);
    assert!(run.delegations.iter().all(|d| d.ok));
}

#[test]
fn a_specialists_failure_reaches_the_lead_as_a_tool_error() {
    let s = setup(true, Duration::ZERO);
    let conn = api::open(&s.db).unwrap();
    let req = request("content");
    let id = teams::begin(&conn, &req, Utc::now()).unwrap();
    let run = teams::run(&s.db, id, &req, &AtomicBool::new(false), &|_| {}).unwrap();
    assert_eq!(run.status, RunStatus::Completed, "the run goes on: {run:?}");
    let reqs = s.server.requests();
    let second_lead = reqs
        .iter()
        .filter(|q| {
            q.json()["system"]
                .as_str()
                .unwrap_or_default()
                .contains("You lead")
        })
        .nth(1)
        .unwrap();
    let res = results(&second_lead.json());
    let drafter = res
        .iter()
        .find(|(t, _)| t.contains("internal error") || t.contains("HTTP 500"))
        .unwrap_or_else(|| panic!("{res:?}"));
    assert!(drafter.1, "sent as is_error");
    assert!(run
        .delegations
        .iter()
        .any(|d| d.agent == "drafter" && !d.ok));
}

#[test]
fn stop_ends_every_member() {
    let s = setup(false, Duration::from_secs(3));
    let conn = api::open(&s.db).unwrap();
    let req = request("content");
    let id = teams::begin(&conn, &req, Utc::now()).unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let c = cancel.clone();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        c.store(true, Ordering::Relaxed);
    });
    let run = teams::run(&s.db, id, &req, &cancel, &|_| {}).unwrap();
    stopper.join().unwrap();
    assert_eq!(run.status, RunStatus::Canceled, "{run:?}");
    assert!(run.output.is_none());
    // The specialists' sessions were kept, marked as not finished.
    assert!(
        run.delegations.iter().all(|d| !d.ok),
        "{:?}",
        run.delegations
    );
    assert_eq!(
        teams::get_run(&conn, id).unwrap().status,
        RunStatus::Canceled
    );
}

#[test]
fn a_teams_slug_is_made_from_its_name_and_never_taken_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = reverie::api::open(&dir.path().join("r.db")).unwrap();
    let now = chrono::Utc::now();
    for slug in ["lead", "writer"] {
        reverie::api::agents::create(&mut conn, slug, None, now).unwrap();
    }
    assert_eq!(
        teams::slug_for(&conn, "Launch Crew!").unwrap(),
        "launch-crew"
    );
    let make = |conn: &mut rusqlite::Connection, name: &str| {
        let slug = teams::slug_for(conn, name).unwrap();
        teams::create(
            conn,
            &teams::NewTeam {
                slug,
                name: Some(name.into()),
                lead: "lead".into(),
                members: vec!["writer".into()],
                folder: dir.path().join(name.replace(' ', "_")),
                max_parallel: 2,
                budget_tokens: None,
                no_tools: vec!["writer".into()],
            },
            now,
        )
        .unwrap()
    };
    assert_eq!(make(&mut conn, "Launch crew").slug, "launch-crew");
    let second = make(&mut conn, "Launch  crew");
    assert_eq!(second.slug, "launch-crew-2");
    assert_eq!(second.name, "Launch  crew");
    assert_eq!(teams::slug_for(&conn, "???").unwrap(), "team");
}
