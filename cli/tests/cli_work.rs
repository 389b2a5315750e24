//! `reverie run`, `reverie session` and `reverie memory prompt`, through the real binary on a
//! temp database, talking to a loopback OpenAI-compatible stand-in (a local model needs no
//! key) and, for Anthropic, with the key and address from the environment.

mod common;
#[path = "../../tests/llm_server/mod.rs"]
mod llm_server;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::{fixture, reverie, Run};
use llm_server::{anthropic_text_stream, openai_text_stream, Answer, Server};
use serde_json::Value;

const AGENT: &str = "social-drafts";
const ANSWER: &[&str] = &["Autumn Ember is here. ", "#SlowTea"];

fn server() -> Server {
    Server::start(|req, _| match req.path.as_str() {
        "/v1/chat/completions" => openai_text_stream(ANSWER, Duration::from_millis(1)),
        "/v1/messages" => anthropic_text_stream(ANSWER, Duration::from_millis(1)),
        _ => Answer::error(404, "not_found_error", "no such route"),
    })
}

/// Sessions from the fixture, memory for two clients, and a local model at `server`.
fn setup(dir: &Path, server: &Server) -> std::path::PathBuf {
    let db = dir.join("r.db");
    let r = reverie(
        &db,
        &["import", fixture("sessions.jsonl").to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let memory = dir.join("memory.jsonl");
    std::fs::write(
        &memory,
        concat!(
            "{\"content\": \"Never use exclamation marks.\"}\n",
            "{\"content\": \"Harbour Tea posts end with #SlowTea.\", \"scope\": {\"client\": \"Harbour Tea\"}}\n",
            "{\"content\": \"Fernwood Cycles posts sign off as Tom.\", \"scope\": {\"client\": \"Fernwood Cycles\"}}\n",
        ),
    )
    .unwrap();
    let r = reverie(
        &db,
        &[
            "memory",
            "import",
            "--agent",
            AGENT,
            memory.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let base = format!("{}/v1", server.addr);
    let r = reverie(
        &db,
        &[
            "provider",
            "set",
            "--kind",
            "openai",
            "--base-url",
            &base,
            "--model",
            "llama3.1:8b",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    db
}

fn system_message(body: &Value) -> String {
    body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "system")
        .map(|m| m["content"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn run_sends_byte_for_byte_what_memory_prompt_prints() {
    let dir = tempfile::tempdir().unwrap();
    let server = server();
    let db = setup(dir.path(), &server);

    let prompt = reverie(
        &db,
        &[
            "memory",
            "prompt",
            "--agent",
            AGENT,
            "--tag",
            "client=Harbour Tea",
        ],
    );
    assert_eq!(prompt.code, 0, "{}", prompt.stderr);
    assert!(prompt.stdout.contains("#SlowTea") && !prompt.stdout.contains("Fernwood"));
    let preview = reverie(
        &db,
        &[
            "--json",
            "memory",
            "prompt",
            "--agent",
            AGENT,
            "--tag",
            "client=Harbour Tea",
        ],
    )
    .json();
    assert_eq!(preview["text"].as_str().unwrap(), prompt.stdout);
    assert_eq!(preview["used"].as_array().unwrap().len(), 2);

    let run = reverie(
        &db,
        &[
            "--json",
            "run",
            "--agent",
            AGENT,
            "--tag",
            "client=Harbour Tea",
            "Draft",
            "a",
            "post.",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.json();
    assert_eq!(out["answer"], ANSWER.concat());
    assert_eq!(out["message"], 1);
    let session = out["session"].as_str().unwrap().to_string();

    let sent = server.requests()[0].json();
    // The imported agent has no prompt of its own: the system message is the memory text.
    assert_eq!(system_message(&sent), prompt.stdout);
    assert_eq!(sent["model"], "llama3.1:8b");
    assert_eq!(sent["messages"][1]["content"], "Draft a post.");

    // Text mode streams the answer to stdout and says on stderr how to continue.
    let next = reverie(
        &db,
        &["run", "--agent", AGENT, "--session", &session, "Shorter."],
    );
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert_eq!(next.stdout.trim_end(), ANSWER.concat());
    assert!(next.stderr.contains(&session), "{}", next.stderr);
    let sent = server.requests()[1].json();
    let roles: Vec<&str> = sent["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["system", "user", "assistant", "user"]);

    // The chat is a session like any other.
    let show = reverie(
        &db,
        &["--json", "session", "show", "--agent", AGENT, &session],
    )
    .json();
    assert_eq!(show["messages"].as_array().unwrap().len(), 4);
    assert_eq!(show["tags"]["client"], "Harbour Tea");
}

#[test]
fn run_reads_the_anthropic_key_and_address_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let server = server();
    let db = dir.path().join("r.db");
    assert_eq!(reverie(&db, &["agent", "create", AGENT]).code, 0);
    assert_eq!(
        reverie(&db, &["provider", "set", "--kind", "anthropic"]).code,
        0
    );
    let out = Command::new(env!("CARGO_BIN_EXE_reverie"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "--json",
            "run",
            "--agent",
            AGENT,
            "Hello",
        ])
        .env("ANTHROPIC_BASE_URL", &server.addr)
        .env("ANTHROPIC_API_KEY", "sk-ant-api03-CLIWORK-0123456789abcdef")
        .env_remove("REVERIE_DB")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["answer"], ANSWER.concat());
    let r = &server.requests()[0];
    assert_eq!(
        r.header("x-api-key"),
        Some("sk-ant-api03-CLIWORK-0123456789abcdef")
    );
    assert_eq!(r.json()["stream"], true);
}

#[test]
fn session_feedback_and_tags_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let file = dir.path().join("sessions.jsonl");
    std::fs::copy(fixture("sessions.jsonl"), &file).unwrap();
    assert_eq!(reverie(&db, &["import", file.to_str().unwrap()]).code, 0);

    let show = reverie(&db, &["session", "show", "--agent", AGENT, "s-0002"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(show.stdout.contains("[1] agent"), "{}", show.stdout);
    assert!(show.stdout.contains("-> revised"), "{}", show.stdout);

    let final_file = dir.path().join("final.txt");
    std::fs::write(
        &final_file,
        "Free safety checks all November. #RideFernwood\n",
    )
    .unwrap();
    let r = reverie(
        &db,
        &[
            "session",
            "feedback",
            "--agent",
            AGENT,
            "s-0002",
            "--message",
            "1",
            "--verdict",
            "revised",
            "--final-text",
            final_file.to_str().unwrap(),
            "--comment",
            "shorter",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = reverie(
        &db,
        &["--json", "session", "show", "--agent", AGENT, "s-0002"],
    )
    .json();
    assert_eq!(
        s["feedback"][0]["final_text"],
        "Free safety checks all November. #RideFernwood"
    );
    assert_eq!(s["judged_here"], serde_json::json!([1]));

    let r = reverie(
        &db,
        &[
            "session",
            "feedback",
            "--agent",
            AGENT,
            "s-0002",
            "--message",
            "1",
            "--clear",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = reverie(
        &db,
        &["--json", "session", "show", "--agent", AGENT, "s-0002"],
    )
    .json();
    assert_eq!(s["feedback"], serde_json::json!([]));

    // Tag one session, then every session from the file, then remove a tag.
    let r = reverie(
        &db,
        &[
            "session",
            "tag",
            "--agent",
            AGENT,
            "s-0001",
            "s-0003",
            "--tag",
            "channel=instagram",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Tagged 2 sessions"), "{}", r.stdout);
    let path = s["file"].as_str().unwrap().to_string();
    let r = reverie(
        &db,
        &[
            "--json",
            "session",
            "tag",
            "--agent",
            AGENT,
            "--file",
            &path,
            "--tag",
            "team=north",
        ],
    );
    assert_eq!(r.json()["changed"], 24);
    let r = reverie(
        &db,
        &[
            "session", "tag", "--agent", AGENT, "s-0001", "--tag", "client", "--remove",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = reverie(
        &db,
        &["--json", "session", "show", "--agent", AGENT, "s-0001"],
    )
    .json();
    assert_eq!(
        s["tags"],
        serde_json::json!({"channel": "instagram", "team": "north"})
    );
}

fn fails(r: &Run, code: i32, words: &str) {
    assert_eq!(r.code, code, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stderr.contains(words), "{}", r.stderr);
}

#[test]
fn bad_input_says_what_and_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert_eq!(
        reverie(
            &db,
            &["import", fixture("sessions.jsonl").to_str().unwrap()]
        )
        .code,
        0
    );
    fails(
        &reverie(
            &db,
            &["memory", "prompt", "--agent", AGENT, "--tag", "client"],
        ),
        2,
        "KEY=VALUE",
    );
    fails(
        &reverie(
            &db,
            &[
                "session",
                "feedback",
                "--agent",
                AGENT,
                "s-0002",
                "--message",
                "0",
                "--verdict",
                "accepted",
            ],
        ),
        2,
        "feedback is for the agent's answers",
    );
    fails(
        &reverie(
            &db,
            &[
                "session",
                "feedback",
                "--agent",
                AGENT,
                "s-0002",
                "--message",
                "1",
                "--verdict",
                "revised",
            ],
        ),
        2,
        "text you used instead",
    );
    fails(
        &reverie(&db, &["session", "show", "--agent", AGENT, "nope"]),
        1,
        "no session \"nope\"",
    );
    // No provider: the agent cannot answer, and the hint says how to choose one.
    fails(
        &reverie(&db, &["run", "--agent", AGENT, "Hello"]),
        1,
        "provider set",
    );
}
