//! `reverie managed` through the real binary against the loopback stand-in of the Managed
//! Agents APIs (key from ANTHROPIC_API_KEY, server from ANTHROPIC_BASE_URL, as the SDKs read
//! them): list, link, pull with outcome verdicts, push, and Anthropic's dream reviewed with
//! `reverie review`.

#[path = "../../tests/managed_server/mod.rs"]
mod managed_server;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use serde_json::{json, Value};

use managed_server::{session, Managed, KEY};

fn run(m: &Managed, db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reverie"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("REVERIE_DB")
        .env("ANTHROPIC_BASE_URL", m.addr())
        .env("ANTHROPIC_API_KEY", KEY)
        .env("REVERIE_MANAGED_POLL_MS", "20")
        // The keychain is never needed: the key comes from the environment.
        .env(
            "REVERIE_KEYCHAIN_SERVICE",
            "reverie-test-cli-managed-unused",
        )
        .output()
        .expect("run reverie");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json_of(m: &Managed, db: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(m, db, &all);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn link_pull_push_and_review_anthropics_dream_from_the_command_line() {
    let m = Managed::start();
    {
        let mut st = m.state.lock().unwrap();
        st.agents = vec![
            json!({"id": "agent_support", "type": "agent", "name": "Support desk", "model": {"id": "claude-sonnet-4-5"}}),
        ];
        for i in 0..3 {
            st.sessions.push(session(
                "agent_support",
                &format!("sesn_{i}"),
                1 + i,
                "Harbour Tea",
                "Where is my parcel?",
                "It ships tomorrow.",
                "satisfied",
            ));
        }
        st.plan = Some(Arc::new(|input| {
            let mut out = input.clone();
            out.insert(
                "/team.md".into(),
                "# Team-wide\n\n- Answer in plain words.\n- Give the tracking link.\n".into(),
            );
            out
        }));
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert_eq!(run(&m, &db, &["agent", "create", "support"]).0, 0);

    let list = json_of(&m, &db, &["managed", "list"]);
    assert_eq!(list["agents"][0]["id"], "agent_support");
    let link = json_of(
        &m,
        &db,
        &["managed", "link", "--agent", "support", "agent_support"],
    );
    assert_eq!(link["managed_name"], "Support desk");
    let pull = json_of(&m, &db, &["managed", "pull"]);
    assert_eq!(pull["pulled"][0]["report"]["imported"], 3);
    assert_eq!(pull["pulled"][0]["report"]["outcomes"], 3);

    let entries = dir.path().join("memory.jsonl");
    std::fs::write(
        &entries,
        "{\"content\": \"Answer in plain words.\", \"scope\": {}}\n",
    )
    .unwrap();
    let (code, _, err) = run(
        &m,
        &db,
        &[
            "memory",
            "import",
            "--agent",
            "support",
            entries.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let show = json_of(&m, &db, &["managed", "show", "--agent", "support"]);
    let store = show["link"]["memory_store_id"]
        .as_str()
        .expect("the memory change created the store")
        .to_string();
    assert!(
        m.state.lock().unwrap().documents(&store)["/team.md"].contains("Answer in plain words.")
    );

    let dream = json_of(
        &m,
        &db,
        &["managed", "dream", "--agent", "support", "--sessions", "3"],
    );
    assert_eq!(dream["dream"]["status"], "completed", "{dream}");
    let proposals = dream["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 1, "{dream}");
    assert_eq!(proposals[0]["op"], "add");
    let id = proposals[0]["id"].to_string();
    let (code, _, err) = run(&m, &db, &["review", "approve", &id]);
    assert_eq!(code, 0, "{err}");
    assert!(
        m.state.lock().unwrap().documents(&store)["/team.md"].contains("Give the tracking link.")
    );

    // Someone edits the store: a push stops with exit 3 and shows both sides.
    m.state
        .lock()
        .unwrap()
        .outside_write(&store, "/team.md", "# Team-wide\n\n- Upsell.\n");
    let (code, out, _) = run(&m, &db, &["managed", "push"]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("/team.md") && out.contains("Upsell.") && out.contains("--force"),
        "{out}"
    );
}

#[test]
fn without_a_key_the_command_says_where_to_add_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let out = Command::new(env!("CARGO_BIN_EXE_reverie"))
        .arg("--db")
        .arg(&db)
        .args(["managed", "list"])
        .env_remove("REVERIE_DB")
        .env_remove("ANTHROPIC_API_KEY")
        .env("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
        .env(
            "REVERIE_KEYCHAIN_SERVICE",
            "reverie-test-cli-managed-unused",
        )
        .env("REVERIE_KEYCHAIN_BACKEND", "keyutils")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0));
    assert!(
        err.contains("Anthropic API key") && err.contains("ANTHROPIC_API_KEY"),
        "{err}"
    );
}
